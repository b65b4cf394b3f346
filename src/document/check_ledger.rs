//! The check across sheets: a batch's [`Ledger`] holds every figure a sheet printed,
//! by region, indicator and year, and notes where another sheet printed the same
//! figure as another number (the gemeente on a wijk's sheet, Nederland everywhere, a
//! buurt in its wijk's table of buurten). Split from the per-sheet check
//! ([`super::check`]) because it lives as long as a batch, not one sheet.

use std::collections::BTreeMap;

use super::check_text::number_in;
use super::view::View;

/// The figures a batch printed, by region, indicator and year: one number each, on
/// every sheet it appears on.
#[derive(Debug, Default)]
pub struct Ledger {
    /// The printed value, the sheet, and whether it was a cell of a wijken (buurten)
    /// table, which prints its numbers without their unit.
    seen: BTreeMap<(String, String, String), (String, String, bool)>,
    /// How many printed figures were compared with the same figure on another sheet.
    pub compared: usize,
    /// What disagreed: (region, indicator, year) with the two numbers and where.
    pub conflicts: Vec<String>,
}

impl Ledger {
    /// Adds the figures one sheet printed: its own, its gemeente's and Nederland's, and
    /// those of the wijken (buurten) in its table.
    pub fn add(&mut self, view: &View) {
        let sheet = view.region.code.clone();
        let rows = view.themes.iter().flat_map(|t| t.rows.iter().chain(&t.context_rows));
        for r in rows {
            self.put(&sheet, (&view.region.code, &r.indicator, &r.year), &r.value, false);
            if let Some(g) = &view.region.gemeente_code {
                self.put(&sheet, (g, &r.indicator, &r.year), &r.gemeente, false);
            }
            self.put(&sheet, (crate::model::region::NL, &r.indicator, &r.year), &r.nederland, false);
        }
        for t in [&view.wijken, &view.buurten].into_iter().flatten() {
            for row in &t.rows {
                for ((indicator, year), value) in t.indicators.iter().zip(&row.values) {
                    self.put(&sheet, (&row.code, indicator, year), value, true);
                }
            }
        }
    }

    /// One printed figure of `sheet`: the same string as before, or (where one is a
    /// table's bare number) the same number.
    fn put(&mut self, sheet: &str, (region, indicator, year): (&str, &str, &str), value: &str, bare: bool) {
        if number_in(value).is_none() || year == "–" {
            return;
        }
        let key = (region.to_string(), indicator.to_string(), year.to_string());
        let value = value.trim_end_matches('*').to_string();
        match self.seen.get(&key) {
            Some((v, at, was_bare)) => {
                self.compared += 1;
                let differs = if bare || *was_bare { !super::check_areas::same_number(v, &value) } else { *v != value };
                if differs {
                    self.conflicts.push(format!("{region} {indicator} {year}: {v} op {at}, {value} op {sheet}"));
                }
            }
            None => {
                self.seen.insert(key, (value, sheet.to_string(), bare));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_view(code: &str) -> (View, crate::model::catalogue::Catalogue) {
        crate::document::test_view(code, false)
    }

    #[test]
    fn a_figure_printed_twice_as_two_numbers_is_caught() {
        let (v, _) = demo_view("GM0001");
        let mut ledger = Ledger::default();
        ledger.add(&v);
        assert!(ledger.conflicts.is_empty());
        let (mut w, _) = demo_view("GM0002");
        let before = ledger.compared;
        // Nederland's bijstand on the second sheet, printed differently.
        let row = w.themes.iter_mut().flat_map(|t| t.rows.iter_mut()).find(|r| r.indicator == "bijstand").unwrap();
        row.nederland = "2,7%".into();
        ledger.add(&w);
        assert_eq!(ledger.conflicts.len(), 1, "{:?}", ledger.conflicts);
        assert!(ledger.compared > before, "Nederland's figures were compared across the sheets");
        assert!(
            ledger.conflicts[0].starts_with("NL01 bijstand 2024: 2,6% op GM0001, 2,7% op GM0002"),
            "{:?}",
            ledger.conflicts
        );
    }
}
