//! Reading one generation, or the part of it a [`Scope`] names: the figure files (only
//! the rows of the gemeenten in scope where the file has a row index), the thin figures
//! of the levels wanted thin, the computed national figures, the outlines, the regions,
//! the inventory, the import log and the achterstandsindex of the gemeenten in scope.

use std::path::Path;
use std::sync::Arc;

use super::frames::{read_frame, read_json, read_json_or_default, read_observations, read_regions};
use super::layout::{row_index_file, Layout, RowIndex, LEGACY_OBSERVATIONS, OBSERVATION_FILES};
use super::scope::Scope;
use super::thin::LevelFigures;
use super::{inventory, national, outlines, StoreData};
use crate::model::observation::Observation;
use crate::model::region::Level;

/// Reads the part `scope` of the generation in `gen`; the regions too when `regions`.
pub(super) fn generation(gen: &Path, scope: &Scope, regions: bool) -> crate::Result<StoreData> {
    let layout = Layout::of(gen)?;
    let national = if layout.national { national::read(gen)? } else { None };
    // The levels wanted thin, from their thin figures; a generation without them (or
    // written with another catalogue) reads those levels whole.
    let mut scope = scope.clone();
    let mut levels = Vec::new();
    for level in scope.thin() {
        // The gemeenten read thin also need Nederland's computed figures and the row
        // index of their file.
        let usable = layout.thin.contains(&level)
            && (level != Level::Gemeente || (national.is_some() && layout.row_index.contains(&Level::Gemeente)));
        match if usable { LevelFigures::read(gen, level)? } else { None } {
            Some(thin) => levels.push(Arc::new(thin)),
            None => scope = scope.whole(level),
        }
    }
    let scope = &scope;
    let (observations, legacy_inventory) = figures(gen, &layout, scope)?;
    let regions = if regions { read_regions(&gen.join("regions.parquet"))? } else { Vec::new() };
    let geometry = outlines::read(gen, &layout, scope)?;
    let (imports, inventory) = if layout.versioned() {
        (read_json(&gen.join("imports.json"))?, read_json(&gen.join("inventory.json"))?)
    } else {
        let imports = read_json_or_default(&gen.join("imports.json"))?;
        let inventory = match legacy_inventory {
            Some(inv) => inv,
            None => read_json_or_default(&gen.join("inventory.json"))?,
        };
        (imports, inventory)
    };
    let index = if layout.index { super::index::read(gen, scope.index_gemeenten())? } else { Vec::new() };
    Ok(StoreData {
        index,
        index_stored: layout.index,
        observations,
        regions,
        geometry,
        imports,
        inventory,
        levels,
        national: national.unwrap_or_default(),
    })
}

/// The figures `scope` wants, and for a generation of one figure file its inventory
/// (taken before the part in scope is kept).
fn figures(gen: &Path, layout: &Layout, scope: &Scope) -> crate::Result<(Vec<Observation>, Option<super::Inventory>)> {
    let older = !layout.versioned();
    if !layout.split {
        // A generation written before the split: one file, read whole.
        let legacy = gen.join(LEGACY_OBSERVATIONS);
        let df = read_frame(&legacy, None)?;
        let mut all = read_observations(&legacy, &df, 0, &Scope::all(), None, older)?;
        let inventory = inventory(&all);
        all.retain(|o| scope.wants(&o.region));
        return Ok((all, Some(inventory)));
    }
    let mut all = Vec::new();
    for (file, level) in OBSERVATION_FILES {
        if !scope.touches(level) {
            continue;
        }
        let path = gen.join(file);
        match scope.gemeenten_inside(level) {
            Some(gemeenten) if layout.row_index.contains(&level) => {
                let index: RowIndex = read_json(&gen.join(row_index_file(level)))?;
                // The gemeente file's run of Nederland (and of codes of no level),
                // which every scope reads, first.
                let always = (level == Level::Gemeente).then(|| index.get(""));
                let runs = gemeenten.iter().map(|g| index.get(g));
                for (start, len) in always.into_iter().chain(runs).flatten() {
                    let df = read_frame(&path, Some((*start, *len)))?;
                    all.extend(read_observations(&path, &df, *start, scope, Some(level), older)?);
                }
            }
            _ => {
                let df = read_frame(&path, None)?;
                all.extend(read_observations(&path, &df, 0, scope, Some(level), older)?);
            }
        }
    }
    Ok((all, None))
}
