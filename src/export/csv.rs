//! CSV export: comma-separated, a header row of stable snake_case column names, UTF-8;
//! for programs, not for Excel (the workbook is for people).

use super::{rows, TableRow};
use crate::compare::Profile;

/// CSV bytes (comma-separated, header row, UTF-8).
pub fn csv(p: &Profile) -> Vec<u8> {
    csv_rows(&rows(p))
}

/// CSV bytes of any rows (one region or a whole batch).
pub fn csv_rows(rows: &[TableRow]) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).expect("rows serialise");
    }
    w.into_inner().unwrap_or_default()
}
