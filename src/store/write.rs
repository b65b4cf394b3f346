//! Writing one generation into a fresh folder: the figure files grouped by gemeente with
//! their row indexes, the regions, the outlines, the import log, the inventory, the
//! thin and national figures and the achterstandsindex computed before the commit, and the format file that says
//! which of them there are; then the check that the folder reads back as written.

use std::path::Path;

use super::frames::{write_json, write_observations, write_regions};
use super::layout::{add_to_run, by_gemeente, file_level, row_index_file, Layout, RowIndex};
use super::layout::{OBSERVATION_FILES, SORTED_ROW_GROUP};
use super::scope::Scope;
use super::{inventory, national, outlines, perr, read, Derived, StoreData};
use crate::model::observation::Observation;

/// Writes `data` and what was `derived` from it into the empty folder `gen`.
pub(super) fn generation(gen: &Path, data: &StoreData, derived: &Derived) -> crate::Result<()> {
    for (file, level) in OBSERVATION_FILES {
        let mut part: Vec<&Observation> = data.observations.iter().filter(|o| file_level(&o.region) == level).collect();
        // Grouped by gemeente, indexed by gemeente. The sort is stable: within a
        // gemeente the figures keep the import's order, which decides between two
        // figures of one cell and keeps one table's rows together (the reader reuses a
        // row's source for the next).
        part.sort_by(|a, b| by_gemeente(&a.region, &b.region));
        let mut rows = RowIndex::new();
        for (i, o) in part.iter().enumerate() {
            add_to_run(&mut rows, &o.region, i, i + 1);
        }
        write_observations(&gen.join(file), &part, Some(SORTED_ROW_GROUP))?;
        write_json(&gen.join(row_index_file(level)), &rows)?;
    }
    write_regions(&gen.join("regions.parquet"), &data.regions)?;
    outlines::write(gen, &outlines::newest(&data.geometry))?;
    write_json(&gen.join("imports.json"), &data.imports)?;
    write_json(&gen.join("inventory.json"), &inventory(&data.observations))?;
    for thin in &derived.levels {
        thin.write(gen)?;
    }
    if let Some(figures) = &derived.national {
        national::write(figures, gen)?;
    }
    let index = !derived.index.is_empty();
    if index {
        super::index::write(gen, &derived.index)?;
    }
    Layout::current(derived.levels.iter().map(|t| t.level()), derived.national.is_some(), index).write(gen)
}

/// Reads the generation in `gen` back and compares it with what was written: the
/// number of figures and regions, and every outline.
pub(super) fn check(gen: &Path, data: &StoreData) -> crate::Result<()> {
    let back = read::generation(gen, &Scope::all(), true)?;
    let written = outlines::newest(&data.geometry);
    if back.observations.len() != data.observations.len()
        || back.regions.len() != data.regions.len()
        || back.geometry.len() != written.len()
        || !outlines::same(&back.geometry.iter().collect::<Vec<_>>(), &written)
    {
        return Err(perr(gen, "de geschreven generatie leest niet terug zoals geschreven"));
    }
    Ok(())
}
