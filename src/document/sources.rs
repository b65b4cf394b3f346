//! Source lines: "Bron: CBS, 85984NED (2024); …" under every table of the factsheet,
//! from the sources the cells carry (CBS's tables named as CBS's, a gemeente's own
//! figures as they are), with a note where Nederland was computed from the gemeenten.

use std::collections::BTreeSet;

use crate::compare::{Cell, IndicatorResult, Status};

pub(crate) fn years_text(years: &BTreeSet<i32>) -> String {
    years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
}

/// "Bron: CBS, 85984NED (2024); …." for the cells that have a figure; empty without.
pub(crate) fn sources_text<'c>(cells: impl Iterator<Item = &'c Cell>) -> String {
    // id → (CBS's, years)
    let mut map: std::collections::BTreeMap<String, (bool, BTreeSet<i32>)> = Default::default();
    for c in cells {
        if let Some(y) = c.year.filter(|_| c.status != Status::Missing) {
            for s in &c.sources {
                map.entry(s.id.clone()).or_insert_with(|| (s.cbs, BTreeSet::new())).1.insert(y);
            }
        }
    }
    if map.is_empty() {
        return String::new();
    }
    let part = |(id, (_, ys)): (&String, &(bool, BTreeSet<i32>))| format!("{id} ({})", years_text(ys));
    let (cbs, own): (Vec<_>, Vec<_>) = map.iter().partition(|(_, (cbs, _))| *cbs);
    let mut out = Vec::new();
    if !cbs.is_empty() {
        out.push(format!("CBS, {}", cbs.into_iter().map(part).collect::<Vec<_>>().join("; ")));
    }
    // A gemeente's own figures (tidy CSV) are named as they are, never as CBS.
    out.extend(own.into_iter().map(part));
    format!("Bron: {}.", out.join("; "))
}

pub(crate) fn source_line(items: &[&IndicatorResult]) -> String {
    let cells = items.iter().flat_map(|i| [Some(&i.area), Some(&i.nederland), i.gemeente.as_ref()]).flatten();
    let mut line = sources_text(cells);
    if line.is_empty() {
        return line;
    }
    // A national figure that no source gives but the tool computed from the gemeenten
    // carries a * in the table; the line says how.
    let mut how: Vec<String> = items
        .iter()
        .filter_map(|i| i.nederland.computed_note())
        .map(|n| n.replace(" van de gemeenten", "").replace(" over de gemeenten", ""))
        .collect();
    how.sort();
    how.dedup();
    if !how.is_empty() {
        line.push_str(&format!(" * Nederland berekend uit de gemeenten: {}.", how.join("; ")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    #[test]
    fn source_lines_name_cbs_only_for_cbs_tables() {
        let cell = |id: &str, cbs: bool| Cell {
            value: Some(1.0),
            count: None,
            denominator: None,
            year: Some(2024),
            status: Status::Value,
            sources: vec![Source::new(id, id, cbs)],
            national: None,
        };
        let cells = [cell("85984NED", true), cell("Burgerpeiling", false), Cell::missing(Some(2024))];
        assert_eq!(sources_text(cells.iter()), "Bron: CBS, 85984NED (2024); Burgerpeiling (2024).");
        assert_eq!(sources_text([Cell::missing(Some(2024))].iter()), "");
    }
}
