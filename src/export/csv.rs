//! CSV export: comma-separated, a header row of stable snake_case column names, UTF-8;
//! for programs, not for Excel (the workbook is for people).

use super::{rows, TableRow};
use crate::compare::Profile;

/// CSV bytes (comma-separated, header row, UTF-8).
pub fn csv(p: &Profile) -> Vec<u8> {
    csv_rows(&rows(p))
}

/// CSV bytes of any rows (one region or a whole batch). Text that a spreadsheet would
/// run as a formula (a user's own source or region name starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, so opening the file never runs it.
pub fn csv_rows(rows: &[TableRow]) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(inert_row(r)).expect("rows serialise");
    }
    w.into_inner().unwrap_or_default()
}

/// The row as the CSV writes it: every text field made [`inert`]. The batch's
/// `cijfers.csv` writes its rows through this too.
pub fn inert_row(r: &TableRow) -> TableRow {
    let mut r = r.clone();
    for text in [&mut r.region, &mut r.region_name, &mut r.indicator, &mut r.label, &mut r.theme, &mut r.rating] {
        *text = inert(text);
    }
    for text in [&mut r.rating_gemeente, &mut r.source, &mut r.nederland_computed].into_iter().flatten() {
        *text = inert(text);
    }
    r
}

/// `'=1+1` for `=1+1`: a text that no spreadsheet evaluates.
pub fn inert(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_start_gets_a_quote_and_other_text_stays() {
        assert_eq!(inert("=1+1"), "'=1+1");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("-2"), "'-2");
        assert_eq!(inert("Voorbeeldstad"), "Voorbeeldstad");
        assert_eq!(inert(""), "");
    }

    #[test]
    fn figures_are_rounded_as_printed_and_whole_numbers_are_integers() {
        use crate::compare::testdata::dataset;
        use crate::compare::{Context, Options};
        let ds = dataset(&[]);
        let p = Context::new(&ds, None).profile("GM0001", &Options::default()).unwrap();
        let text = String::from_utf8(csv(&p)).unwrap();
        let bijstand = text.lines().find(|l| l.contains(",bijstand,")).unwrap();
        // 8,0% of 40.000: value 8 (one decimal, whole), count 3200, denominator 40000.
        assert!(bijstand.contains(",8,3200,40000,"), "{bijstand}");
        assert!(!text.contains(".0,"), "a whole number written as a float: {text}");
        assert_eq!(crate::export::round_to(15.791555106643365, 1), 15.8);
    }
}
