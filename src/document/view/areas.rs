//! The wijken page of a gemeente and the buurten table of a wijk: their maps, their
//! table of figures with the whole as the last row, and the column widths of the narrow
//! table of many wijken. Split from the view because the areas of a sheet are their own
//! page with their own rules (marks for missing, small and redivided cells).

use serde::Serialize;

use super::super::sources::sources_text;

use crate::compare::{Cell, Profile, Status};
use crate::format;

/// The map page of a gemeente: its wijken side by side; for a wijk, its buurten.
#[derive(Debug, Serialize)]
pub struct WijkenView {
    /// One map per indicator that has a drawing.
    pub maps: Vec<WijkMapView>,
    /// For many wijken: a page-wide map of their numbers (`charts/wijken-nummers.svg`)
    /// before the maps of the figures, which then carry none.
    pub key_map: bool,
    /// Table header: one column per indicator (label, unit and year).
    pub columns: Vec<String>,
    /// Per column its indicator id and year (for the check; not printed).
    pub indicators: Vec<(String, String)>,
    /// One row per wijk.
    pub rows: Vec<WijkRow>,
    /// The gemeente as the last row.
    pub total: WijkRow,
    /// Where the figures come from.
    pub source_line: String,
    /// What the marks in the cells mean ("–: geen gegevens; nieuwe grenzen: …"), only
    /// those that occur.
    pub notes: String,
    /// The relative widths (Typst `fr`) of the inhabitants' column and of each figure's
    /// column in the narrow two-column table of many wijken: from the widest cell, so
    /// "1.155.000" (a WOZ-waarde) does not run into its neighbour ("0,9%1.155.000").
    pub widths: Vec<String>,
}

/// One map of the wijken page.
#[derive(Debug, Serialize)]
pub struct WijkMapView {
    /// Chart stem.
    pub stem: String,
    /// "Bijstandsuitkering (% van inwoners van 15 jaar en ouder), 2024".
    pub title: String,
}

/// One row of the wijken table.
#[derive(Debug, Serialize)]
pub struct WijkRow {
    /// Region code (for the check; not printed).
    pub code: String,
    /// Number on the maps ("" for the gemeente's row and when the maps carry none).
    pub number: String,
    /// Name.
    pub name: String,
    /// Inhabitants.
    pub inwoners: String,
    /// Per indicator: the value, or "–" when absent.
    pub values: Vec<String>,
}

pub(super) fn wijken_view(p: &Profile, charts: &crate::charts::ChartSet, min_count: f64) -> Option<WijkenView> {
    let w = p.wijken.as_ref()?;
    // The achterstandsindex's map first: the one picture that sums up the others.
    let index = charts.has("wijken-achterstand");
    let index_map = index.then(|| WijkMapView {
        stem: "wijken-achterstand".into(),
        title: "Achterstandsindex: deciel onder alle wijken van Nederland".into(),
    });
    let mut figure_maps: Vec<WijkMapView> = w
        .maps
        .iter()
        .filter(|m| charts.has(&format!("wijken-{}", m.indicator)))
        .map(|m| WijkMapView {
            stem: format!("wijken-{}", m.indicator),
            title: format!("{}{}, {}", m.label, unit_note(m), m.year),
        })
        .collect();
    // The maps stand in a grid of three (four with many wijken) kept on one page with
    // the table: where the index's map would open a row, it takes the last figure's
    // place (that figure stays in the table). Groningen's table ran into the footer.
    let per_row = if w.wijken.len() > crate::charts::map::MAX_LABELLED { 4 } else { 3 };
    if index_map.is_some() && !figure_maps.is_empty() && figure_maps.len().is_multiple_of(per_row) {
        figure_maps.pop();
    }
    let maps = index_map.into_iter().chain(figure_maps).collect();
    // Numbered on every map, or on the map of the numbers when there are many.
    let key_map = charts.has("wijken-nummers");
    let labelled = w.wijken.len() <= crate::charts::map::MAX_LABELLED || key_map;
    let mut v = compared_view(p, w, maps, key_map, labelled, "wijk", min_count);
    if index {
        // A last column: each wijk's decile of the index in Nederland ("–" without a
        // total), empty for the gemeente.
        v.columns.push("Achterstands\u{ad}index (deciel)".into());
        // Not a catalogue figure: the check matches no theme row to it.
        v.indicators.push(("achterstandsindex".into(), String::new()));
        for row in &mut v.rows {
            let decile = p.achterstand_wijken.iter().find(|r| r.code == row.code).and_then(|r| r.total.nederland);
            row.values.push(decile.map(|n| n.decile.to_string()).unwrap_or_else(|| "–".to_string()));
        }
        v.total.values.push(String::new());
        if !v.notes.contains("–: geen gegevens") && v.rows.iter().any(|r| r.values.last().is_some_and(|c| c == "–"))
        {
            v.notes = match v.notes.strip_suffix('.') {
                Some(rest) => format!("–: geen gegevens; {rest}."),
                None => "–: geen gegevens.".to_string(),
            };
        }
        v.widths = column_widths(&v.rows, &v.total);
    }
    Some(v)
}

/// For a wijk: its buurten in a table, numbered as on the map of its buurten when
/// that map is drawn (`charts/buurten.svg`, numbered in the order of the table).
pub(super) fn buurten_view(p: &Profile, charts: &crate::charts::ChartSet, min_count: f64) -> Option<WijkenView> {
    let w = p.buurten_compared.as_ref()?;
    Some(compared_view(p, w, Vec::new(), false, charts.has("buurten"), "buurt", min_count))
}

/// " (euro)" after a label whose unit the cells leave out; empty when they keep it.
fn unit_note(m: &crate::compare::wijken::WijkMap) -> String {
    match m.unit.bare_note() {
        "" => String::new(),
        note => format!(" ({note})"),
    }
}

/// The table of a gemeente's wijken or a wijk's buurten (`noun`: "wijk", "buurt"),
/// with the whole (the area of the sheet) as its last row.
fn compared_view(
    p: &Profile,
    w: &crate::compare::wijken::Wijken,
    maps: Vec<WijkMapView>,
    key_map: bool,
    labelled: bool,
    noun: &str,
    min_count: f64,
) -> WijkenView {
    // The unit is in the column header when it has a word ("euro"), so the cell keeps
    // only the number; a % stays with it.
    // A missing cell says why: CBS has no figure ("–"), too few to show ("klein"), or
    // the wijk got other boundaries after the map's year ("nieuwe grenzen": its earlier
    // figures belong to another area).
    let cell_text = |m: &crate::compare::wijken::WijkMap, c: &Cell, wijk: Option<&crate::compare::wijken::Wijk>| match (
        c.status, c.value,
    ) {
        (Status::Value, Some(v)) if m.unit.bare_note().is_empty() => m.unit.short(v, m.decimals),
        (Status::Value, Some(v)) => m.unit.bare(v, m.decimals),
        (Status::SmallNumber, _) => SMALL.to_string(),
        (Status::Missing, _) if wijk.is_some_and(|w| w.redivided_after(m.year)) => REDIVIDED.to_string(),
        _ => "–".to_string(),
    };
    // Many wijken: a narrow table in two columns, so its heads leave out what a label
    // explains in brackets (the map's title above says it in full).
    let head = |m: &crate::compare::wijken::WijkMap| match key_map {
        true => m.label.split(" (").next().unwrap_or(&m.label).to_string(),
        false => m.label.clone(),
    };
    let columns: Vec<String> = w.maps.iter().map(|m| format!("{}{} ({})", head(m), unit_note(m), m.year)).collect();
    let rows: Vec<WijkRow> = w
        .wijken
        .iter()
        .enumerate()
        .map(|(k, wijk)| WijkRow {
            code: wijk.code.clone(),
            number: if labelled { (k + 1).to_string() } else { String::new() },
            name: wijk.name.clone(),
            inwoners: wijk.inwoners.map(format::count).unwrap_or_else(|| "–".into()),
            values: w.maps.iter().map(|m| cell_text(m, &m.cells[k], Some(wijk))).collect(),
        })
        .collect();
    let total = WijkRow {
        code: p.region.code.clone(),
        number: String::new(),
        name: p.region.name.clone(),
        inwoners: p.inwoners.map(format::count).unwrap_or_else(|| "–".into()),
        values: w.maps.iter().map(|m| cell_text(m, &m.gemeente, None)).collect(),
    };
    let all: Vec<&String> = rows.iter().chain(std::iter::once(&total)).flat_map(|r: &WijkRow| &r.values).collect();
    let mut notes = Vec::new();
    if all.iter().any(|v| *v == "–") {
        notes.push("–: geen gegevens".to_string());
    }
    if all.iter().any(|v| *v == SMALL) {
        notes.push(format!("{SMALL}: minder dan {} personen of gebeurtenissen", format::number(min_count, 0)));
    }
    if all.iter().any(|v| *v == REDIVIDED) {
        notes.push(format!(
            "{REDIVIDED}: de {noun} is na het jaar van het cijfer opnieuw ingedeeld; het cijfer van toen hoort bij andere grenzen"
        ));
    }
    let notes = if notes.is_empty() { String::new() } else { format!("{}.", notes.join("; ")) };
    let source_line = sources_text(w.maps.iter().flat_map(|m| m.cells.iter().chain(std::iter::once(&m.gemeente))));
    let indicators = w.maps.iter().map(|m| (m.indicator.clone(), m.year.to_string())).collect();
    let widths = column_widths(&rows, &total);
    WijkenView { maps, key_map, columns, indicators, rows, total, source_line, notes, widths }
}

/// The `fr` width of each number column (inhabitants first) of a narrow wijken table:
/// a quarter per character of its widest cell, at least five characters (1,25fr, the
/// width all had before).
fn column_widths(rows: &[WijkRow], total: &WijkRow) -> Vec<String> {
    let all = || rows.iter().chain(std::iter::once(total));
    let widest = |cells: Vec<&String>| cells.iter().map(|c| c.chars().count()).max().unwrap_or(0).max(5);
    let mut widths = vec![widest(all().map(|r| &r.inwoners).collect())];
    for k in 0..total.values.len() {
        widths.push(widest(all().filter_map(|r| r.values.get(k)).collect()));
    }
    widths.into_iter().map(|n| format!("{}fr", format::number(n as f64 * 0.25, 2).replace(',', "."))).collect()
}

/// A wijken table cell whose count is too small to show.
const SMALL: &str = "klein";
/// A wijken table cell of a wijk that got other boundaries after the map's year.
const REDIVIDED: &str = "nieuwe grenzen";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_number_gets_a_wider_column_in_the_narrow_wijken_table() {
        // Regression: Amsterdam's WOZ-waarde "1.155.000" ran into "0,9%" beside it.
        let row = |inwoners: &str, values: [&str; 2]| WijkRow {
            code: String::new(),
            number: String::new(),
            name: String::new(),
            inwoners: inwoners.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        let rows = [row("8.405", ["0,9%", "1.155.000"]), row("25", ["klein", "–"])];
        let total = row("931.298", ["4,4%", "498.000"]);
        assert_eq!(column_widths(&rows, &total), ["1.75fr", "1.25fr", "2.25fr"]);
    }
}
