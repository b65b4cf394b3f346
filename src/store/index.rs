//! The achterstandsindex kept beside the figures: computing it needs every area of a
//! level (seconds for the buurten), so the import computes it once per level and the
//! store keeps each area's record, grouped by gemeente with a byte index like the
//! outlines, so that a factsheet parses only its own gemeente's records (the area, its
//! wijken, its buurten). The records are JSON objects in the format
//! [`compare::achterstand`](crate::compare::achterstand) writes; the store writes what
//! it is given and reads back what a scope names, and interprets nothing.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use super::frames::{read_json, write_json};
use super::layout::{add_to_run, by_gemeente, RowIndex};
use super::perr;
use crate::error::Error;

/// The records of every area (`index.json`).
pub(super) const INDEX_FILE: &str = "index.json";

/// Its byte index by gemeente (`index-runs.json`).
pub(super) const INDEX_RUNS: &str = "index-runs.json";

/// Writes `items` (code, record) as one JSON array grouped by gemeente, with the byte
/// index of each gemeente's run beside it. Shared with the outlines.
pub(super) fn write_runs<T: serde::Serialize>(
    path: &Path,
    index: &Path,
    items: &mut [(&str, &T)],
) -> crate::Result<()> {
    items.sort_by(|a, b| by_gemeente(a.0, b.0));
    let mut bytes = b"[".to_vec();
    let mut runs = RowIndex::new();
    for (i, (code, item)) in items.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        let start = bytes.len();
        serde_json::to_writer(&mut bytes, item).map_err(|e| perr(path, e))?;
        add_to_run(&mut runs, code, start, bytes.len());
    }
    bytes.push(b']');
    fs::write(path, bytes).map_err(|e| Error::io(path, e))?;
    write_json(index, &runs)
}

/// The items of `gemeenten` (their four digits) from a file written by [`write_runs`];
/// every item for `None`.
pub(super) fn read_runs<T: serde::de::DeserializeOwned>(
    path: &Path,
    index: &Path,
    gemeenten: Option<&BTreeSet<String>>,
) -> crate::Result<Vec<T>> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    let Some(gemeenten) = gemeenten else {
        return serde_json::from_slice(&bytes).map_err(|e| perr(path, e));
    };
    let runs: RowIndex = read_json(index)?;
    let mut out = Vec::new();
    for &(start, len) in gemeenten.iter().filter_map(|g| runs.get(g)) {
        let run = bytes.get(start..start + len).ok_or_else(|| perr(path, "de index wijst buiten het bestand"))?;
        let mut array = Vec::with_capacity(len + 2);
        array.push(b'[');
        array.extend_from_slice(run);
        array.push(b']');
        out.extend(serde_json::from_slice::<Vec<T>>(&array).map_err(|e| perr(path, e))?);
    }
    Ok(out)
}

/// Writes the records of the index into the generation `gen`.
pub(super) fn write(gen: &Path, records: &[(String, serde_json::Value)]) -> crate::Result<()> {
    let mut items: Vec<(&str, &serde_json::Value)> = records.iter().map(|(c, v)| (c.as_str(), v)).collect();
    write_runs(&gen.join(INDEX_FILE), &gen.join(INDEX_RUNS), &mut items)
}

/// The records of the areas in `gemeenten` (every record for `None`).
pub(super) fn read(gen: &Path, gemeenten: Option<&BTreeSet<String>>) -> crate::Result<Vec<serde_json::Value>> {
    read_runs(&gen.join(INDEX_FILE), &gen.join(INDEX_RUNS), gemeenten)
}
