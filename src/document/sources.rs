//! Source lines: "Bron: CBS, 85984NED (2024); …" under every table of the factsheet,
//! from the sources the cells carry (CBS's tables named as CBS's, a gemeente's own
//! figures as they are), with a note where Nederland was computed from the gemeenten.

use std::collections::BTreeSet;

use crate::compare::{Cell, IndicatorResult, Status};

/// "2016–2023", "2012, 2016, 2020", "2016–2018, 2024": runs of three or more
/// consecutive years as a range.
pub(crate) fn years_text(years: &BTreeSet<i32>) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &y in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == y => *end = y,
            _ => runs.push((y, y)),
        }
    }
    let mut parts = Vec::new();
    for (a, b) in runs {
        match b - a {
            0 => parts.push(a.to_string()),
            1 => parts.extend([a.to_string(), b.to_string()]),
            _ => parts.push(format!("{a}–{b}")),
        }
    }
    parts.join(", ")
}

/// The title of a table without its year and id, which the yearly editions of one
/// table share: "CBS, Wmo-cliënten; wijken 2017 (83818NED)" → "CBS, Wmo-cliënten;
/// wijken".
pub(crate) fn family_title(id: &str, title: &str) -> String {
    let t = title.replace(&format!(" ({id})"), "");
    t.split(' ')
        .filter(|w| {
            !(w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) && (w.starts_with("19") || w.starts_with("20")))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Bron: CBS, 85984NED (2024); …." for the cells that have a figure; empty without.
pub(crate) fn sources_text<'c>(cells: impl Iterator<Item = &'c Cell>) -> String {
    let figures = cells.filter(|c| c.status != Status::Missing).filter_map(|c| Some((c.year?, &c.sources)));
    sources_of(figures.flat_map(|(y, sources)| sources.iter().map(move |s| (&**s, y))))
}

/// [`sources_text`] for (source, year) pairs.
fn sources_of<'s>(figures: impl Iterator<Item = (&'s crate::model::Source, i32)>) -> String {
    // Yearly editions of one series are one entry, "83620NED t/m 85638NED (2016–2023)";
    // the list of sources at the end names each. series → (id → first year), CBS's,
    // publisher, years.
    type Entry = (std::collections::BTreeMap<String, i32>, bool, String, BTreeSet<i32>);
    let mut series: std::collections::BTreeMap<String, Entry> = Default::default();
    for (s, y) in figures {
        // One entry per series of one table family: the energy tables continue the KWB's
        // trend ("kwb") but are another table, never "85999NED t/m 85984NED".
        let key = if s.series.is_empty() {
            s.id.clone()
        } else {
            format!("{}\u{0}{}\u{0}{}", s.series, s.cbs, family_title(&s.id, &s.title))
        };
        let e = series.entry(key).or_insert_with(|| (Default::default(), s.cbs, publisher(s), BTreeSet::new()));
        let first = e.0.entry(s.id.clone()).or_insert(y);
        *first = (*first).min(y);
        e.3.insert(y);
    }
    if series.is_empty() {
        return String::new();
    }
    // id (or "first t/m last") → (CBS's, publisher, years), in id order.
    let mut map: std::collections::BTreeMap<String, (bool, String, BTreeSet<i32>)> = Default::default();
    for (ids, cbs, by, years) in series.into_values() {
        let mut by_year: Vec<(i32, String)> = ids.into_iter().map(|(id, y)| (y, id)).collect();
        by_year.sort();
        let label = match by_year.as_slice() {
            [(_, only)] => only.clone(),
            [(_, first), .., (_, last)] => format!("{first} t/m {last}"),
            [] => continue,
        };
        // A table on both sides of a method break (RIVM's 50150NED) is one entry again.
        map.entry(label).and_modify(|e| e.2.extend(&years)).or_insert((cbs, by, years));
    }
    let part = |(id, (_, _, ys)): (&String, &(bool, String, BTreeSet<i32>))| format!("{id} ({})", years_text(ys));
    let (cbs, own): (Vec<_>, Vec<_>) = map.iter().partition(|(_, (cbs, _, _))| *cbs);
    let mut out = Vec::new();
    if !cbs.is_empty() {
        out.push(format!("CBS, {}", cbs.into_iter().map(part).collect::<Vec<_>>().join("; ")));
    }
    // Another publisher's table under its name ("RIVM/GGD'en/CBS, 50090NED (2020)"), a
    // gemeente's own figures (tidy CSV) as they are; never as CBS.
    out.extend(own.into_iter().map(|e| match e.1 .1.as_str() {
        "" => part(e),
        by => format!("{by}, {}", part(e)),
    }));
    format!("Bron: {}.", out.join("; "))
}

/// The publisher a title names before its first comma ("RIVM/GGD'en/CBS" of "RIVM/GGD'en/CBS,
/// Gezondheid per wijk en buurt …"), for a table that is not CBS's; empty for CBS's
/// tables and for a title without one.
fn publisher(s: &crate::model::Source) -> String {
    if s.cbs || s.title == s.id {
        return String::new();
    }
    title_publisher(&s.title).unwrap_or_default().to_string()
}

/// The publisher a title starts with ("RIVM/GGD'en/CBS" of "RIVM/GGD'en/CBS,
/// Gezondheid per wijk en buurt"), if it has one.
pub(crate) fn title_publisher(title: &str) -> Option<&str> {
    match title.split_once(", ") {
        Some((by, _)) if !by.is_empty() && by.len() <= 40 => Some(by),
        _ => None,
    }
}

pub(crate) fn source_line(items: &[&IndicatorResult]) -> String {
    source_line_with(items, false)
}

/// The source line of the trend panels: besides the latest figures, every table a
/// trend point comes from (each yearly edition with its year).
pub(crate) fn trend_source_line(items: &[&IndicatorResult]) -> String {
    source_line_with(items, true)
}

fn source_line_with(items: &[&IndicatorResult], trends: bool) -> String {
    let cells = items.iter().flat_map(|i| [Some(&i.area), Some(&i.nederland), i.gemeente.as_ref()]).flatten();
    let latest = cells.filter(|c| c.status != Status::Missing).filter_map(|c| Some((c.year?, &c.sources)));
    let points = items.iter().filter(|_| trends).flat_map(|i| i.trend.iter()).map(|t| (t.year, &t.sources));
    let mut line = sources_of(latest.chain(points).flat_map(|(y, sources)| sources.iter().map(move |s| (&**s, y))));
    if line.is_empty() {
        return line;
    }
    // A national figure that no source gives but the tool computed from the gemeenten
    // (or that the measure's definition fixes) carries a * in the table; the line says
    // how.
    let by_definition = |i: &&&IndicatorResult| i.nederland.national == Some(crate::model::NationalMethod::Definition);
    let mut how: Vec<String> = items
        .iter()
        .filter(|i| !by_definition(i))
        .filter_map(|i| i.nederland.computed_note())
        .map(|n| n.replace(" van de gemeenten", "").replace(" over de gemeenten", ""))
        .collect();
    how.sort();
    how.dedup();
    if !how.is_empty() {
        line.push_str(&format!(" * Nederland berekend uit de gemeenten: {}.", how.join("; ")));
    }
    let defined: Vec<String> = items
        .iter()
        .filter(|i| by_definition(i) && i.nederland.computed_note().is_some())
        .map(|i| i.label.clone())
        .collect();
    if !defined.is_empty() {
        line.push_str(&format!(
            " * Nederland bij {}: per definitie 0, het landelijk gemiddelde van de score.",
            defined.join(" en ")
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    #[test]
    fn years_run_together_and_editions_share_a_family() {
        let ys = |v: &[i32]| years_text(&v.iter().copied().collect());
        assert_eq!(ys(&[2016, 2017, 2018, 2019]), "2016–2019");
        assert_eq!(ys(&[2012, 2016, 2020]), "2012, 2016, 2020");
        assert_eq!(ys(&[2016, 2017, 2018, 2023, 2024]), "2016–2018, 2023, 2024");
        assert_eq!(family_title("83818NED", "CBS, Wmo-cliënten; wijken 2017 (83818NED)"), "CBS, Wmo-cliënten; wijken");
        assert_eq!(
            family_title("85984NED", "CBS, Kerncijfers wijken en buurten 2024 (85984NED)"),
            family_title("85318NED", "CBS, Kerncijfers wijken en buurten 2022 (85318NED)")
        );
        // Half a year is not the same series.
        assert_ne!(
            family_title("85995NED", "CBS, Wmo-cliënten; wijken 1e halfjaar 2024 (85995NED)"),
            family_title("85638NED", "CBS, Wmo-cliënten; wijken 2023 (85638NED)")
        );
    }

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

    #[test]
    fn a_series_spans_one_table_family_and_a_method_break_keeps_one_entry() {
        let edition = |id: &str, title: &str, series: &str, cbs: bool, year: i32| Cell {
            value: Some(1.0),
            count: None,
            denominator: None,
            year: Some(year),
            status: Status::Value,
            sources: vec![Source::edition(id, title, cbs, series)],
            national: None,
        };
        // The energy table continues the KWB's trend series but is another table.
        let energy = "CBS, Energieverbruik particuliere woningen; woningtype, wijken en buurten 2023 (85999NED)";
        let cells = [
            edition("85999NED", energy, "kwb", true, 2023),
            edition("85984NED", "CBS, Kerncijfers wijken en buurten 2024 (85984NED)", "kwb", true, 2024),
        ];
        assert_eq!(sources_text(cells.iter()), "Bron: CBS, 85984NED (2024); 85999NED (2023).");
        // RIVM's 50150NED before (its own series) and after the 2020 break: one entry.
        let rivm = "RIVM/GGD'en/CBS, Gezondheid per wijk en buurt (50150NED)";
        let cells =
            [edition("50150NED", rivm, "", false, 2016), edition("50150NED", rivm, "50150NED vanaf 2020", false, 2022)];
        assert_eq!(sources_text(cells.iter()), "Bron: RIVM/GGD'en/CBS, 50150NED (2016, 2022).");
    }
}
