//! The outline files of a generation: each region's newest outline, one file per level;
//! the wijk and buurt files grouped by gemeente with a byte index, so a factsheet parses
//! only its own gemeente's outlines.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::frames::{read_json, read_json_or_default, write_json};
use super::layout::{by_gemeente, file_level, outline_index_file, Layout, GEOMETRY_FILES, LEGACY_GEOMETRY};
use super::scope::Scope;
use crate::model::geometry::Geometry;
use crate::model::region::Level;

/// Each region's newest outline only: the maps draw no other (the dataset keeps the
/// newest of each code), and the older years were six of every seven gemeente outlines
/// a factsheet parsed.
pub(super) fn newest(geometry: &[Geometry]) -> Vec<&Geometry> {
    let mut newest: HashMap<&str, i32> = HashMap::new();
    for g in geometry {
        let y = newest.entry(g.code.as_str()).or_insert(g.year);
        *y = (*y).max(g.year);
    }
    geometry.iter().filter(|g| newest[g.code.as_str()] == g.year).collect()
}

/// Writes the outline files of the generation folder `gen`.
pub(super) fn write(gen: &Path, outlines: &[&Geometry]) -> crate::Result<()> {
    for (file, level) in GEOMETRY_FILES {
        let mut part: Vec<&Geometry> = outlines.iter().copied().filter(|g| file_level(&g.code) == level).collect();
        match level {
            Level::Wijk | Level::Buurt => {
                write_outlines(&gen.join(file), &gen.join(outline_index_file(level)), &mut part)?
            }
            _ => write_json(&gen.join(file), &part)?,
        }
    }
    Ok(())
}

/// True when two sets of outlines are the same in the files' order (wijken and buurten
/// grouped by gemeente): what a commit checks after reading a generation back.
pub(super) fn same(a: &[&Geometry], b: &[&Geometry]) -> bool {
    fn of<'g>(v: &[&'g Geometry], level: Level) -> Vec<&'g Geometry> {
        let mut part: Vec<&Geometry> = v.iter().copied().filter(|g| file_level(&g.code) == level).collect();
        part.sort_by(|a, b| by_gemeente(&a.code, &b.code));
        part
    }
    GEOMETRY_FILES.iter().all(|(_, level)| of(a, *level) == of(b, *level))
}

/// The outlines `scope` wants of the generation in `gen`.
pub(super) fn read(gen: &Path, layout: &Layout, scope: &Scope) -> crate::Result<Vec<Geometry>> {
    let mut geometry: Vec<Geometry> = Vec::new();
    if !layout.split {
        geometry = read_json(&gen.join(LEGACY_GEOMETRY))?;
    } else {
        for (file, level) in GEOMETRY_FILES {
            if !scope.touches_outlines(level) {
                continue;
            }
            let path = gen.join(file);
            match scope.outline_gemeenten(level) {
                Some(gemeenten) if layout.outline_index.contains(&level) => {
                    geometry.extend(read_outlines(&path, &gen.join(outline_index_file(level)), gemeenten)?)
                }
                _ if layout.versioned() => geometry.extend(read_json::<Vec<Geometry>>(&path)?),
                _ => geometry.extend(read_json_or_default::<Vec<Geometry>>(&path)?),
            }
        }
    }
    if !scope.is_all() {
        geometry.retain(|g| scope.wants_outline(&g.code));
    }
    Ok(geometry)
}

/// Writes outlines as one JSON array grouped by gemeente, with the byte index of
/// each gemeente's run (see [`outline_index_file`]).
fn write_outlines(path: &Path, index: &Path, outlines: &mut [&Geometry]) -> crate::Result<()> {
    let mut items: Vec<(&str, &Geometry)> = outlines.iter().map(|g| (g.code.as_str(), *g)).collect();
    super::index::write_runs(path, index, &mut items)
}

/// The outlines of `gemeenten` from a file written by [`write_outlines`].
fn read_outlines(path: &Path, index: &Path, gemeenten: &BTreeSet<String>) -> crate::Result<Vec<Geometry>> {
    super::index::read_runs(path, index, Some(gemeenten))
}
