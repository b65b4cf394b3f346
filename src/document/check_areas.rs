//! The check of the tables of a gemeente's wijken and a wijk's buurten (see
//! [`super::check`]), with its own reading of the printed view: the table's last row,
//! the area of the sheet itself, prints the figure its own theme table prints for the
//! same indicator and year, and every row has as many cells as the table has columns.
//! Across sheets the [`super::check::Ledger`] holds a wijk's (buurt's) cell to the
//! figure on that wijk's (buurt's) own sheet.

use super::check::{decimals_in, number_in, Problem};
use super::view::{View, WijkenView};

/// True when two printed numbers are the same figure at the precision of the coarser
/// of the two ("49,9" and "49,9%"; "€ 336.000" and "336.000"), or neither has one.
pub(super) fn same_number(a: &str, b: &str) -> bool {
    match (number_in(a), number_in(b)) {
        (Some(x), Some(y)) => {
            let d = decimals_in(a).min(decimals_in(b));
            (x - y).abs() <= 0.5 * 10f64.powi(-(d as i32)) + 1e-9
        }
        (None, None) => true,
        _ => false,
    }
}

/// The wijken table of a gemeente and the buurten table of a wijk against the sheet's
/// own figures.
pub(super) fn check(view: &View, out: &mut Vec<Problem>) {
    for (table, place) in [(&view.wijken, "de wijken"), (&view.buurten, "de buurten")] {
        if let Some(t) = table {
            check_table(view, t, place, out);
        }
    }
}

fn check_table(view: &View, t: &WijkenView, place: &str, out: &mut Vec<Problem>) {
    let mut problem = |message: String| out.push(Problem { place: place.to_string(), message });
    if t.indicators.len() != t.columns.len() {
        problem(format!("{} kolommen, {} indicatoren", t.columns.len(), t.indicators.len()));
    }
    for r in t.rows.iter().chain(std::iter::once(&t.total)) {
        if r.values.len() != t.columns.len() {
            problem(format!("{}: {} cellen bij {} kolommen", r.name, r.values.len(), t.columns.len()));
        }
    }
    let own = view.themes.iter().flat_map(|th| th.rows.iter().chain(&th.context_rows));
    for (k, (indicator, year)) in t.indicators.iter().enumerate() {
        let Some(cell) = t.total.values.get(k) else { continue };
        let Some(row) = own.clone().find(|r| &r.indicator == indicator && &r.year == year) else { continue };
        if number_in(cell).is_some() && !same_number(cell, &row.value) {
            problem(format!(
                "{} ({year}) staat in de tabel als {cell}, in de tabel van het thema als {}",
                t.total.name, row.value
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_the_same_at_the_coarser_precision() {
        assert!(same_number("49,9", "49,9%"));
        assert!(same_number("€ 336.000", "336.000"));
        assert!(same_number("12", "12,4"));
        assert!(!same_number("12,3", "12,5%"));
        assert!(!same_number("12,3", "geen gegevens"));
        assert!(same_number("–", "geen gegevens"));
    }

    #[test]
    fn a_total_row_that_differs_from_the_theme_table_is_caught() {
        use crate::document::view::WijkRow;
        let (mut v, _) = crate::document::test_view("GM0001", false);
        let own = v.themes.iter().flat_map(|t| &t.rows).find(|r| r.indicator == "bijstand").unwrap();
        let (year, value) = (own.year.clone(), own.value.clone());
        // The bare number of the table ("8,0") is the theme table's "8,0%".
        let bare = value.trim_end_matches('%').to_string();
        let row = |code: &str, name: &str, cell: &str| WijkRow {
            code: code.into(),
            number: String::new(),
            name: name.into(),
            inwoners: "1.000".into(),
            values: vec![cell.into()],
        };
        v.buurten = Some(WijkenView {
            maps: Vec::new(),
            key_map: false,
            columns: vec![format!("Bijstandsuitkering ({year})")],
            indicators: vec![("bijstand".into(), year.clone())],
            rows: vec![row("BU00010001", "Noord", "7,1"), row("BU00010002", "Zuid", "–")],
            total: row("GM0001", "Gemeente 1", &bare),
            source_line: String::new(),
            notes: String::new(),
            widths: Vec::new(),
        });
        let mut out = Vec::new();
        check(&v, &mut out);
        assert_eq!(out, Vec::new(), "{bare} agrees with {value}");
        v.buurten.as_mut().unwrap().total.values[0] = "9,9".into();
        v.buurten.as_mut().unwrap().rows[1].values.push("1,0".into());
        check(&v, &mut out);
        assert!(out.iter().any(|p| p.place == "de buurten" && p.message.contains("9,9")), "{out:?}");
        assert!(out.iter().any(|p| p.message.contains("Zuid: 2 cellen bij 1 kolommen")), "{out:?}");

        // Across sheets: a cell of the table is the figure of that area's own sheet, read
        // as a number (the table prints it without its unit). Here the table's row names
        // the sheet's own area, so the ledger meets both on one sheet.
        let mut ledger = crate::document::check::Ledger::default();
        v.buurten.as_mut().unwrap().rows[0] = row("GM0001", "Gemeente 1", &bare);
        ledger.add(&v);
        assert_eq!((ledger.compared > 0, ledger.conflicts.len()), (true, 0), "{:?}", ledger.conflicts);
        let mut ledger = crate::document::check::Ledger::default();
        v.buurten.as_mut().unwrap().rows[0] = row("GM0001", "Gemeente 1", "9,9");
        ledger.add(&v);
        assert!(ledger.conflicts.iter().any(|c| c.contains("9,9") && c.contains(&value)), "{:?}", ledger.conflicts);
    }
}
