//! The view: what `factsheet.typ.j2` gets to see. Every number is formatted here, once,
//! the Dutch way, from the [`Profile`] and the [`Narrative`]; the template only places
//! strings. Field names are part of the template contract (documented on each struct).

use std::collections::BTreeSet;

use serde::Serialize;

use super::sources::{family_title, source_line, sources_text, trend_source_line, years_text};

use crate::compare::composition::SHARE_INDICATORS;
use crate::compare::{Benchmark, Cell, IndicatorResult, Profile, Status};
use crate::format;
use crate::model::catalogue::{Catalogue, Polarity};
use crate::narrate::{value_text, Finding, Narrative};

/// A region as the template sees it.
#[derive(Debug, Serialize)]
pub struct RegionView {
    /// Name.
    pub name: String,
    /// Code.
    pub code: String,
    /// "gemeente", "wijk", "buurt".
    pub level: String,
    /// Gemeente name (none for a gemeente).
    pub gemeente: Option<String>,
    /// Gemeente code (none for a gemeente), for the batch's cross-sheet check.
    pub gemeente_code: Option<String>,
}

/// A headline number on page one.
#[derive(Debug, Serialize)]
pub struct Headline {
    /// Label.
    pub label: String,
    /// Formatted value.
    pub value: String,
    /// "Nederland: 7,3% (2024)".
    pub compare: String,
}

/// One table row of a theme page.
#[derive(Debug, Serialize)]
pub struct Row {
    /// Indicator id (for the check; not printed).
    pub indicator: String,
    /// Label.
    pub label: String,
    /// Grey note after the label: population of a share, or the unit.
    pub share_of: String,
    /// Area value.
    pub value: String,
    /// Count (and denominator).
    pub count: String,
    /// Gemeente value.
    pub gemeente: String,
    /// Nederland value.
    pub nederland: String,
    /// Peers: "7,1% (5,0–9,8%)"; "−0,34 (−0,46 tot −0,18)" when a bound is negative.
    pub peers: String,
    /// The area's 95% interval where its source publishes one (SES-WOA): "95%-interval
    /// −0,46 tot −0,32"; empty otherwise.
    pub interval: String,
    /// Rating class.
    pub class: String,
    /// Rating word.
    pub word: String,
    /// Rating word against the gemeente (wijk/buurt), when rated.
    pub word_gemeente: String,
    /// "Rotterdam" when the verdict is against the gemeente because Nederland has no
    /// figure; empty when it is against Nederland.
    pub versus: String,
    /// For a wijk or buurt: its place among those of its gemeente ("3 van 12", 1 =
    /// hoogste); empty otherwise.
    pub rank_gemeente: String,
    /// Year of the area figure.
    pub year: String,
    /// The figure is more than two years older than the area's newest: the year is set
    /// apart (bold, with a note under the table).
    pub stale: bool,
    /// A finding that counts in its theme's tally; false for context, which is shown as
    /// hoger/lager but not counted.
    pub counted: bool,
    /// Source table id.
    pub source: String,
    /// The key figures' spine row (`charts/SPINE.svg`), empty when it cannot be drawn.
    pub spine: String,
}

/// The key figures of one theme on page two.
#[derive(Debug, Serialize)]
pub struct KeyTheme {
    /// Theme title.
    pub title: String,
    /// Its key figures that have a figure for the area.
    pub rows: Vec<Row>,
}

/// One theme page.
#[derive(Debug, Serialize)]
pub struct ThemeView {
    /// Theme id (also the chart file name).
    pub id: String,
    /// Title.
    pub title: String,
    /// The theme's counts in one line ("0 gunstiger · 1 vergelijkbaar · 6 ongunstiger");
    /// page one draws them as the profile, the check reads this line, and an own
    /// template may print it.
    pub tile: String,
    /// Tone for the tile colour.
    pub tone: String,
    /// Summary sentences.
    pub summary: String,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Table rows of the theme's findings: exactly what its tally counts.
    pub rows: Vec<Row>,
    /// Table rows of its context (herkomst, age, density, the housing stock,
    /// distances): described as hoger/lager, not counted; after the findings under
    /// their own heading.
    pub context_rows: Vec<Row>,
    /// Some row of the theme has an older figure (its year is bold).
    pub has_stale: bool,
    /// True when at least one row has a figure for the area.
    pub has_values: bool,
    /// The theme's indicators without a figure for this area, for one line under the
    /// table ("Niet beschikbaar voor deze wijk: …"); empty when none.
    pub not_here: String,
    /// "Nederland" (the column header of the rating).
    pub benchmark: String,
    /// Sources of the page.
    pub source_line: String,
    /// Every row comes from the same table: the rows show only the year, the source
    /// line names the table.
    pub one_source: bool,
}

/// The herkomst groups of one indicator.
#[derive(Debug, Serialize)]
pub struct GroupTable {
    /// Indicator label.
    pub label: String,
    /// One row per group, in the CBS order.
    pub rows: Vec<GroupRow>,
}

/// One per-group row.
#[derive(Debug, Serialize)]
pub struct GroupRow {
    /// Group label.
    pub group: String,
    /// Area value for the group ("geen gegevens" when the group has none).
    pub value: String,
    /// The count behind it ("–" when none).
    pub count: String,
    /// Nederland for the group.
    pub nederland: String,
    /// Rating class.
    pub class: String,
    /// Rating word.
    pub word: String,
    /// Year.
    pub year: String,
    /// Source.
    pub source: String,
}

/// A peer in the list.
#[derive(Debug, Serialize)]
pub struct PeerView {
    /// Name.
    pub name: String,
    /// Gemeente (for wijken and buurten).
    pub note: String,
}

/// A source line.
#[derive(Debug, Serialize)]
pub struct SourceView {
    /// "CBS: " before the first of CBS's tables (whose titles then drop their "CBS, "),
    /// else empty.
    pub lead: String,
    /// Table id.
    pub id: String,
    /// Title.
    pub title: String,
    /// "2022, 2024".
    pub years: String,
    /// The table ids only, with the publisher where it is not CBS ("85984NED";
    /// "83818NED t/m 85638NED"; "RIVM/GGD'en/CBS, 50090NED"), for the tightest layout.
    pub short: String,
}

/// A definition row.
#[derive(Debug, Serialize)]
pub struct Definition {
    /// Label.
    pub label: String,
    /// Definition.
    pub definition: String,
    /// "Hoger is gunstiger" / "Lager is gunstiger" / "Beschrijvend".
    pub polarity: String,
    /// Why.
    pub rationale: String,
}

/// Everything the template sees.
#[derive(Debug, Serialize)]
pub struct View {
    /// Document title.
    pub title: String,
    /// Subtitle under the name.
    pub subtitle: String,
    /// Opening sentences.
    pub intro: String,
    /// For a renumbered wijk or buurt: where its older figures are; empty otherwise.
    pub earlier: String,
    /// Date on the page, written out.
    pub date_long: String,
    /// Tool version.
    pub version: String,
    /// True for the demo: every page says the figures are fictional.
    pub fictional: bool,
    /// Reference year.
    pub year: i32,
    /// The years of the area's figures on the page: "2024", or "2020–2024" when older
    /// figures are among them (page header and subtitle).
    pub years: String,
    /// The area.
    pub region: RegionView,
    /// Headline numbers.
    pub headlines: Vec<Headline>,
    /// Page one's profile: per theme its counts, the rows the chart `profiel` draws.
    pub profile: Vec<crate::compare::ProfileRow>,
    /// Page-one findings.
    pub highlights: Vec<Finding>,
    /// Page one's herkomst strip exists (`charts/herkomst-balk.svg`).
    pub herkomst_strip: bool,
    /// Page two: the catalogue's key figures with a verdict by theme, those with a
    /// figure here (the spine column reads ongunstiger … gunstiger).
    pub key_themes: Vec<KeyTheme>,
    /// Page two: the descriptive key figures by theme, under their own heading (lager …
    /// hoger).
    pub key_context: Vec<KeyTheme>,
    /// Key figures without a figure for this area, in one line; empty when none.
    pub key_missing: String,
    /// Sources of the key figures.
    pub key_source: String,
    /// Some key figure is older (its year is bold, with a note).
    pub key_stale: bool,
    /// Theme pages.
    pub themes: Vec<ThemeView>,
    /// True when there is a composition chart.
    pub composition: bool,
    /// Its source line.
    pub composition_source: String,
    /// Per-group rows.
    pub group_tables: Vec<GroupTable>,
    /// True when there is a trends chart.
    pub has_trends: bool,
    /// Its source line.
    pub trend_source: String,
    /// How to read.
    pub reading_guide: Vec<String>,
    /// Methodology.
    pub method: Vec<String>,
    /// Peer rule.
    pub peer_rule: String,
    /// How findings are ordered (left out with `compact_sources`).
    pub method_order: String,
    /// How the peers' distance is computed (left out with `compact_sources`).
    pub peer_method: String,
    /// Peer list.
    pub peers: Vec<PeerView>,
    /// The area's own gemeente when peers in it are listed without it ("Amsterdam"),
    /// else empty.
    pub peers_home: String,
    /// True when there is a map.
    pub map: bool,
    /// For a wijk: true when there is a map of its buurten (`charts/buurten.svg`).
    pub buurten_map: bool,
    /// The numbers on that map with their buurt: "1 Kolenkitbuurt-Noord · 2 …".
    pub buurten_list: String,
    /// For a gemeente: its wijken compared on maps and in a table.
    pub wijken: Option<WijkenView>,
    /// For a wijk: its buurten in a table (no maps of figures; numbered as on
    /// `charts/buurten.svg` when [`View::buurten_map`]).
    pub buurten: Option<WijkenView>,
    /// Sources.
    pub sources: Vec<SourceView>,
    /// Indicators not available at this level.
    pub unavailable: String,
    /// Definitions of the indicators shown.
    pub definitions: Vec<Definition>,
    /// The two-page version (`kort.typ.j2` instead of `factsheet.typ.j2`).
    pub kort: bool,
    /// Set more tightly: the first layout ran past the level's page budget
    /// ([`super::page_budget`]), so the tables and the reading guide get smaller type.
    pub dense: bool,
    /// The sources named by table id only: a buurt that the tight layout still did not
    /// fit in four pages (its titles are in `wijkmonitor table --format json`).
    pub compact_sources: bool,
    /// The trend panels left out to keep a buurt within its four pages (their labels,
    /// "vermogensmisdrijven, overgewicht en rokers"); empty when the trends are shown.
    pub trends_left_out: String,
    /// A factsheet that the smaller type did not fit in its pages: the key figures
    /// follow page one's summary on the same page instead of on a page of their own
    /// (nothing is left out, page one's blank foot is used).
    pub key_follows: bool,
    /// The last step, for a sheet the tightest layout still did not fit: the
    /// achterstandsindex on page one in its first sentence only, without its picture
    /// and method note (the workbook and `table` keep every domain).
    pub index_brief: bool,
    /// The two-page version for residents (`kort.typ.j2`): its own text and page two's
    /// rows, with the numbers of the theme tables.
    pub kort_view: super::kort::KortView,
    /// Every source of the factsheet in one line.
    pub all_sources: String,
    /// Alt text of every chart by file stem (`alt["profiel"]`), for screen readers.
    pub alt: std::collections::BTreeMap<String, String>,
    /// The achterstandsindex block (none where the area has no index).
    pub achterstand: Option<super::achterstand::IndexView>,
}

impl View {
    /// One step tighter, for a factsheet laid out past its page budget; false when
    /// there is no step left. First smaller type, and for a buurt its trend panels give
    /// way (the page names them, and the earlier years' tables leave the sources);
    /// then the key figures on page one's blank foot (`key_follows`), which leaves
    /// nothing out; last the tightest layout (`compact_sources`: sources by table id, no
    /// locator map, two finer points of method left out), which a gemeente with many
    /// wijken (such as Amsterdam's 110) may need too.
    pub fn tighten(&mut self, p: &Profile) -> bool {
        let buurt = p.region.level == crate::model::Level::Buurt;
        if !self.dense {
            self.dense = true;
            if buurt && self.has_trends {
                self.has_trends = false;
                let labels: Vec<String> =
                    p.trend_panels().iter().map(|i| crate::templates::lower_first(&i.label)).collect();
                self.trends_left_out = crate::format::and_list(&labels);
                self.sources = source_list(p, &[]);
            }
            return true;
        }
        // Nothing is left out: the key figures start on page one's blank foot.
        if !self.key_follows {
            self.key_follows = true;
            return true;
        }
        if !self.compact_sources {
            self.compact_sources = true;
            return true;
        }
        // Presikhaaf I (Arnhem) was four pages before the index's block and five with it.
        if self.achterstand.is_some() && !self.index_brief {
            self.index_brief = true;
            return true;
        }
        false
    }
}

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

fn wijken_view(p: &Profile, charts: &crate::charts::ChartSet, min_count: f64) -> Option<WijkenView> {
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
fn buurten_view(p: &Profile, charts: &crate::charts::ChartSet, min_count: f64) -> Option<WijkenView> {
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

/// Options of the view that do not come from the data.
#[derive(Debug, Clone)]
pub struct Meta {
    /// ISO date printed on the page and used as PDF date.
    pub date: String,
    /// Fictional demo data.
    pub fictional: bool,
    /// The two-page version for a buurtagenda (`--kort`).
    pub kort: bool,
}

fn cell(i: &IndicatorResult, c: &Cell) -> String {
    value_text(i, c.value, c.status)
}

/// A table cell: the unit only where it is short (%, €); other units go in the label.
fn short(i: &IndicatorResult, c: &Cell) -> String {
    crate::narrate::shown_value(i, c.value, c.status, true)
}

/// The grey note after a label: the population of a share, or the unit.
fn label_note(i: &IndicatorResult, cat: &Catalogue, level: crate::model::Level) -> String {
    if i.unit.is_share() {
        return cat
            .get(&i.id)
            .map(|d| d.share_of.clone())
            .filter(|s| !s.is_empty())
            .map(|s| format!("% van {s}"))
            .unwrap_or_default();
    }
    // A score has no unit to name; where it lies in the country says more (SES-WOA:
    // "hoger dan 23% van de wijken").
    if i.unit.kind() == crate::model::unit::UnitKind::Score {
        if let Some(r) = &i.rank {
            return format!(
                "score; hoger dan {}% van de {} met een cijfer",
                format::number(r.percentile.round(), 0),
                level.plural()
            );
        }
    }
    // A rate says of whom: "per 1.000 inwoners", not "per 1.000".
    match cat.get(&i.id).map(|d| d.share_of.as_str()).filter(|s| !s.is_empty()) {
        Some(of) if i.unit.scale().is_some() && !i.unit.label_note().is_empty() => {
            format!("{} {}", i.unit.label_note(), of.strip_prefix("alle ").unwrap_or(of))
        }
        _ => i.unit.label_note().to_string(),
    }
}

fn count_text(i: &IndicatorResult) -> String {
    if i.is_count() || i.area.status != Status::Value {
        return "–".into();
    }
    i.area.count.map(format::count).unwrap_or_else(|| "–".into())
}

/// "5,0–9,8%", or "−0,46 tot −0,18" where a bound is negative (a dash between two
/// minus signs reads as a sum).
fn range(i: &IndicatorResult, lo: f64, hi: f64) -> String {
    match lo < 0.0 || hi < 0.0 {
        true => format!("{} tot {}", i.unit.bare(lo, i.decimals), i.unit.bare(hi, i.decimals)),
        false => format!("{}–{}", i.unit.bare(lo, i.decimals), i.unit.bare(hi, i.decimals)),
    }
}

/// One table row of an indicator.
fn row(p: &Profile, i: &IndicatorResult, cat: &Catalogue, charts: &crate::charts::ChartSet) -> Row {
    let level = p.region.level;
    let stale = p.is_stale(i.area.year);
    let rating = i.main_rating();
    Row {
        indicator: i.id.clone(),
        label: i.label.clone(),
        share_of: label_note(i, cat, level),
        value: short(i, &i.area),
        count: count_text(i),
        gemeente: i.gemeente.as_ref().map(|g| short(i, g)).unwrap_or_else(|| "–".into()),
        nederland: match i.nederland.computed_note() {
            Some(_) => format!("{}*", short(i, &i.nederland)),
            None => short(i, &i.nederland),
        },
        peers: match &i.peers {
            Some(s) => format!("{} ({})", i.unit.short(s.median, i.decimals), range(i, s.min, s.max)),
            None => "–".into(),
        },
        interval: match (i.interval, i.area.status) {
            (Some((lo, hi)), Status::Value) => format!("95%-interval {}", range(i, lo, hi)),
            _ => String::new(),
        },
        class: rating.class().to_string(),
        word: rating.word().to_string(),
        // The verdict against the gemeente only where it says something else than the
        // one against Nederland ("duidelijk hoger / gemeente: duidelijk hoger" told
        // nothing new and doubled the height of every row).
        word_gemeente: match (&i.vs_gemeente, i.main_benchmark()) {
            (Some(g), Benchmark::Nederland) if g.step.is_ok() && g.word() != rating.word() => g.word().to_string(),
            _ => String::new(),
        },
        versus: match (i.main_benchmark(), &p.gemeente) {
            (Benchmark::Gemeente, Some(g)) if rating.step.is_ok() => g.name.clone(),
            _ => String::new(),
        },
        year: i.area.year.map(|y| y.to_string()).unwrap_or_else(|| "–".into()),
        stale,
        counted: i.finding,
        rank_gemeente: i.rank_in_gemeente.as_ref().map(|r| format!("{} van {}", r.position, r.of)).unwrap_or_default(),
        source: i.area.source_ids().unwrap_or_else(|| "–".into()),
        spine: if charts.has(&format!("spine-{}", i.id)) { format!("spine-{}", i.id) } else { String::new() },
    }
}

/// Builds the view.
pub fn build(p: &Profile, n: &Narrative, cat: &Catalogue, meta: &Meta, charts: &crate::charts::ChartSet) -> View {
    let map = charts.has("kaart");
    let has_trends = charts.has("trends");
    let level = p.region.level;
    let gemeente_name = p.gemeente.as_ref().map(|g| g.name.clone());
    let years = match p.year_span() {
        (lo, hi) if lo < hi => format!("{lo}–{hi}"),
        (_, hi) => hi.to_string(),
    };
    let subtitle = match &gemeente_name {
        Some(g) => format!("{} in de gemeente {g} · factsheet met cijfers uit {years}", level.noun()),
        None => format!("gemeente · factsheet met cijfers uit {years}"),
    };

    let mut headlines = Vec::new();
    for headline in cat.indicators.iter().filter(|i| i.headline) {
        // The indicator or one of its alternatives: comparable with Nederland first, then
        // the newest year, then catalogue order.
        let candidates = std::iter::once(&headline.id).chain(&headline.headline_alternatives);
        let best = candidates
            .enumerate()
            .filter_map(|(n, id)| Some((n, p.indicator(id)?, cat.get(id)?)))
            .filter(|(_, r, _)| r.area.status == Status::Value)
            .max_by_key(|(n, r, _)| (r.nederland.value.is_some(), r.area.year, std::cmp::Reverse(*n)));
        let Some((_, r, ind)) = best else { continue };
        let year = r.area.year.map(|y| format!(" ({y})")).unwrap_or_default();
        let compare = if ind.id == "inwoners" {
            format!("op 1 januari{year}")
        } else {
            match r.nederland.value {
                Some(v) => format!("Nederland: {}{year}", r.unit.format(v, r.decimals)),
                // Compared with the gemeente where Nederland has none: say so.
                None => match (r.main_benchmark(), &p.gemeente) {
                    (Benchmark::Gemeente, Some(g)) if r.main_rating().step.is_ok() => {
                        format!("{} dan {}{year}", r.main_rating().word(), g.name)
                    }
                    _ => format!("{}{year}", r.main_rating().word()),
                },
            }
        };
        headlines.push(Headline { label: ind.label.clone(), value: cell(r, &r.area), compare });
        if headlines.len() == 4 {
            break;
        }
    }

    let themes: Vec<ThemeView> = p
        .themes
        .iter()
        .zip(&n.themes)
        .map(|(t, text)| {
            // One figure per concept (the others are in the exports).
            // The herkomst shares are drawn in the herkomst section when it exists.
            let in_composition =
                |i: &IndicatorResult| !p.composition.is_empty() && SHARE_INDICATORS.iter().any(|(_, id)| *id == i.id);
            let all: Vec<&IndicatorResult> =
                p.indicators.iter().filter(|i| i.theme == t.id && i.shown && !in_composition(i)).collect();
            // Only indicators with a figure for this area get a row (suppressed and
            // small numbers say so); what the sources lack for it is named in one line.
            let items: Vec<&IndicatorResult> =
                all.iter().copied().filter(|i| crate::compare::themes::in_table(i)).collect();
            let lacking: Vec<String> = all
                .iter()
                .filter(|i| i.area.status == Status::Missing)
                .map(|i| i.label.clone())
                .chain(
                    p.unavailable
                        .iter()
                        .filter_map(|id| cat.get(id))
                        .filter(|d| d.theme == t.id)
                        .map(|d| d.label.clone()),
                )
                .map(|l| crate::templates::lower_first(&l))
                .collect();
            // The findings first (what the tally counts), the context after them.
            let (rows, context_rows): (Vec<Row>, Vec<Row>) =
                items.iter().map(|i| row(p, i, cat, charts)).partition(|r| r.counted);
            let benchmark = if items.iter().all(|i| i.main_benchmark() == Benchmark::Gemeente) && !items.is_empty() {
                "gemeente".to_string()
            } else {
                "Nederland".to_string()
            };
            ThemeView {
                id: t.id.clone(),
                title: t.title.clone(),
                tile: text.tile.clone(),
                tone: t.tone().to_string(),
                summary: text.summary.clone(),
                findings: text.findings.clone(),
                has_values: !items.is_empty(),
                not_here: lacking.join(", "),
                benchmark,
                source_line: source_line(&items),
                one_source: rows
                    .iter()
                    .chain(&context_rows)
                    .collect::<Vec<_>>()
                    .windows(2)
                    .all(|w| w[0].source == w[1].source),
                has_stale: rows.iter().chain(&context_rows).any(|r| r.stale),
                rows,
                context_rows,
            }
        })
        .collect();

    // Page two: the same key figures for every area, in theme order.
    let keys: Vec<&IndicatorResult> = p.indicators.iter().filter(|i| i.key && i.shown).collect();
    let key_items: Vec<&IndicatorResult> = keys.iter().copied().filter(|i| i.area.status != Status::Missing).collect();
    let key_missing: Vec<String> = keys
        .iter()
        .filter(|i| i.area.status == Status::Missing)
        .map(|i| crate::templates::lower_first(&i.label))
        .chain(
            cat.indicators
                .iter()
                .filter(|d| d.key && p.unavailable.contains(&d.id))
                // Another source of the same concept may stand in for it.
                .filter(|d| {
                    d.concept.as_ref().is_none_or(|c| {
                        !key_items.iter().any(|i| cat.get(&i.id).and_then(|x| x.concept.as_ref()) == Some(c))
                    })
                })
                .map(|d| crate::templates::lower_first(&d.label)),
        )
        .collect();
    // Judged rows under "ongunstiger … gunstiger", descriptive ones under their own
    // heading ("lager … hoger"), each by theme.
    let key_group = |judged: bool| -> Vec<KeyTheme> {
        p.themes
            .iter()
            .map(|t| KeyTheme {
                title: t.title.clone(),
                rows: key_items
                    .iter()
                    .filter(|i| i.theme == t.id && (i.polarity != Polarity::Neutral) == judged)
                    .map(|i| row(p, i, cat, charts))
                    .collect(),
            })
            .filter(|k| !k.rows.is_empty())
            .collect()
    };
    let (key_themes, key_context) = (key_group(true), key_group(false));

    let mut group_tables = Vec::new();
    for i in p.indicators.iter().filter(|i| !i.groups.is_empty()) {
        let mut rows = Vec::new();
        for g in &i.groups {
            rows.push(GroupRow {
                group: g.label.clone(),
                value: short(i, &g.area),
                count: match (g.area.status, g.area.count) {
                    (Status::Value, Some(n)) => format::count(n),
                    _ => "–".into(),
                },
                nederland: cell(i, &g.nederland),
                class: g.rating.class().to_string(),
                word: g.rating.word().to_string(),
                year: g.area.year.map(|y| y.to_string()).unwrap_or_else(|| "–".into()),
                source: g.area.source_ids().unwrap_or_else(|| "–".into()),
            });
        }
        group_tables.push(GroupTable { label: i.label.clone(), rows });
    }

    // The panels the chart draws, so the line under it names what it shows.
    // The gemeente whose wijken or buurten among the peers go without its name.
    let home = match p.region.level {
        crate::model::Level::Wijk | crate::model::Level::Buurt
            if p.peers.iter().flat_map(|s| &s.members).any(|m| m.gemeente_name == p.region.gemeente_name) =>
        {
            p.region.gemeente_name.clone()
        }
        _ => String::new(),
    };
    let trend_items: Vec<&IndicatorResult> = p.trend_panels();
    let composition_source = p
        .composition
        .first()
        .map(|c| {
            let by = if c.source.as_ref().is_some_and(|s| s.cbs) { "CBS, " } else { "" };
            format!(
                "Bron: {by}{} ({}); aandelen berekend als aantal in de groep gedeeld door alle inwoners.",
                c.source.as_ref().map(|s| s.id.as_str()).unwrap_or(""),
                c.year
            )
        })
        .unwrap_or_default();

    let mut definitions = Vec::new();
    for i in p.indicators.iter().filter(|i| i.area.status != Status::Missing) {
        if let Some(d) = cat.get(&i.id) {
            definitions.push(Definition {
                label: d.label.clone(),
                definition: d.definition.clone(),
                polarity: match d.polarity {
                    Polarity::Higher => "Hoger is gunstiger",
                    Polarity::Lower => "Lager is gunstiger",
                    Polarity::Neutral => "Beschrijvend",
                }
                .to_string(),
                rationale: d.rationale.clone(),
            });
        }
    }
    let unavailable: Vec<String> =
        p.unavailable.iter().filter_map(|id| cat.get(id)).map(|d| d.label.to_lowercase()).collect();

    // The short version's rows carry the numbers of these tables.
    let in_kort = |i: &&IndicatorResult| {
        crate::narrate::kort::CONTEXT.contains(&i.id.as_str()) || n.kort.figures.iter().any(|f| f.indicator == i.id)
    };
    let mut kort_view = super::kort::build(
        &n.kort,
        &themes.iter().flat_map(|t| t.rows.iter().chain(&t.context_rows)).collect::<Vec<_>>(),
        sources_text(p.indicators.iter().filter(in_kort).map(|i| &i.area)),
    );
    if charts.has("achterstand") {
        kort_view.achterstand = n.achterstand.as_ref().map(|t| t.kort.clone()).unwrap_or_default();
    }
    View {
        title: format!("Factsheet {}", p.region.name),
        subtitle,
        intro: n.intro.clone(),
        earlier: earlier_note(p),
        date_long: format::long_date(&meta.date),
        version: env!("CARGO_PKG_VERSION").to_string(),
        fictional: meta.fictional,
        year: p.year,
        years,
        region: RegionView {
            name: p.region.name.clone(),
            code: p.region.code.clone(),
            level: level.noun().to_string(),
            gemeente: gemeente_name,
            gemeente_code: p.gemeente.as_ref().map(|g| g.code.clone()),
        },
        headlines,
        profile: crate::compare::profile_rows(&p.themes),
        highlights: n.highlights.clone(),
        herkomst_strip: charts.has("herkomst-balk"),
        key_themes,
        key_context,
        key_missing: key_missing.join(", "),
        key_source: source_line(&key_items),
        key_stale: key_items.iter().any(|i| i.area.status == Status::Value && p.is_stale(i.area.year)),
        themes,
        composition: !p.composition.is_empty(),
        composition_source,
        group_tables,
        has_trends,
        trend_source: trend_source_line(&trend_items),
        reading_guide: n.reading_guide.clone(),
        method: n.method.clone(),
        peer_rule: n.peer_rule.clone(),
        method_order: n.method_order.clone(),
        peer_method: n.peer_method.clone(),
        peers: p
            .peers
            .iter()
            .flat_map(|s| &s.members)
            .map(|m| PeerView {
                name: m.name.clone(),
                // A wijk or buurt of the area's own gemeente goes without it (the list
                // says so once); others name theirs.
                note: if m.gemeente_name != m.name && m.gemeente_name != home {
                    m.gemeente_name.clone()
                } else {
                    String::new()
                },
            })
            .collect(),
        peers_home: home.clone(),
        map,
        buurten_map: charts.has("buurten"),
        buurten_list: p
            .buurten
            .iter()
            .enumerate()
            .map(|(k, (_, name))| format!("{} {name}", k + 1))
            .collect::<Vec<_>>()
            .join(" · "),
        wijken: wijken_view(p, charts, cat.min_count),
        buurten: buurten_view(p, charts, cat.min_count),
        sources: source_list(p, &trend_items),
        compact_sources: false,
        unavailable: unavailable.join(", "),
        definitions,
        kort: meta.kort,
        dense: false,
        trends_left_out: String::new(),
        key_follows: false,
        index_brief: false,
        kort_view,
        alt: n.alt.clone(),
        achterstand: super::achterstand::build(p, n, charts),
        all_sources: sources_text(p.indicators.iter().filter(|i| i.shown).map(|i| &i.area)),
    }
}

/// "Voor De Kolenkit bestaan ook oudere cijfers onder de vroegere code WK036339 …", or,
/// for a renumbering with the same boundaries, where its earlier figures come from.
fn earlier_note(p: &Profile) -> String {
    let linked = p.renumbered_from.as_ref().map(|(old, since)| {
        format!(
            "{} heeft sinds {since} de code {}; CBS meldt dezelfde grenzen als onder de vroegere code {old}, \
             daarom komen cijfers van vóór {since} van die code.",
            p.region.name, p.region.code
        )
    });
    if p.earlier_codes.is_empty() {
        return linked.unwrap_or_default();
    }
    let codes: Vec<String> = p.earlier_codes.iter().map(|(c, y)| format!("{c} (indeling {y})")).collect();
    let (noun, first) = (p.region.level.noun(), &p.earlier_codes[0].0);
    let other = format!(
        "Voor {} bestaan ook oudere cijfers onder de vroegere {noun}code {}. De grenzen kunnen anders zijn, \
         daarom staan die cijfers hier niet; ze staan in de factsheet van {first}.",
        p.region.name,
        codes.join(" en ")
    );
    match linked {
        Some(l) => format!("{l} {other}"),
        None => other,
    }
}

/// A source by its ids, with its publisher where that is not CBS alone: "85984NED",
/// "RIVM/GGD'en/CBS, 50090NED", a gemeente's own source as it is titled.
fn short_source(title: &str, ids: &str) -> String {
    match super::sources::title_publisher(title) {
        Some("CBS") => ids.to_string(),
        Some(by) if by != ids => format!("{by}, {ids}"),
        _ if title == ids || title.starts_with("CBS") => ids.to_string(),
        _ => title.to_string(),
    }
}

/// One table the figures or trends of a sheet come from, with the years read from it.
struct UsedTable {
    id: String,
    title: String,
    years: BTreeSet<i32>,
}

/// The list of sources at the end: every table of the figures, and the yearly editions
/// the trend panels (`trend_items`) draw on besides (a Wmo trend 2016–2023 names eight
/// tables).
fn source_list(p: &Profile, trend_items: &[&IndicatorResult]) -> Vec<SourceView> {
    let mut list: Vec<UsedTable> = p
        .sources
        .iter()
        .map(|s| UsedTable { id: s.id.clone(), title: s.title.clone(), years: s.years.iter().copied().collect() })
        .collect();
    for t in trend_items.iter().flat_map(|i| &i.trend) {
        for s in &t.sources {
            match list.iter_mut().find(|u| u.id == s.id) {
                Some(entry) => {
                    entry.years.insert(t.year);
                }
                None => {
                    list.push(UsedTable { id: s.id.clone(), title: s.title.clone(), years: BTreeSet::from([t.year]) })
                }
            }
        }
    }
    // The yearly editions of one table are one entry: "CBS, Wmo-cliënten; wijken
    // (83620NED, …, 85638NED) (2016–2023)".
    let mut families: Vec<(String, Vec<UsedTable>)> = Vec::new();
    for entry in list {
        let key = family_title(&entry.id, &entry.title);
        match families.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(entry),
            None => families.push((key, vec![entry])),
        }
    }
    let mut out: Vec<SourceView> = families
        .into_iter()
        .map(|(key, mut members)| {
            if members.len() == 1 {
                let UsedTable { id, title, years } = members.remove(0);
                // "Misdrijven per wijk en buurt 2018 (84468NED)" names its one year already.
                let named = years.len() == 1 && years.iter().all(|y| title.contains(&y.to_string()));
                let short = short_source(&title, &id);
                let years = if named { String::new() } else { years_text(&years) };
                return SourceView { lead: String::new(), id, title, years, short };
            }
            members.sort_by(|a, b| a.years.iter().next().cmp(&b.years.iter().next()));
            let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
            let years: BTreeSet<i32> = members.iter().flat_map(|m| m.years.iter().copied()).collect();
            let span = match ids.as_slice() {
                [a, b] => format!("{a}, {b}"),
                [first, .., last] => format!("{first} t/m {last}"),
                _ => ids.join(", "),
            };
            SourceView {
                lead: String::new(),
                id: ids[0].to_string(),
                short: short_source(&key, &span),
                title: format!("{key} ({})", ids.join(", ")),
                years: years_text(&years),
            }
        })
        .collect();
    // CBS's own tables first, named once: "CBS: Kerncijfers wijken en buurten (…); …".
    out.sort_by_key(|s| !s.title.starts_with("CBS, "));
    let mut first = true;
    for s in out.iter_mut().filter(|s| s.title.starts_with("CBS, ")) {
        s.title = s.title["CBS, ".len()..].to_string();
        if first {
            s.lead = "CBS: ".into();
            first = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::testdata::dataset;
    use crate::compare::{Context, Options};

    fn view_of(code: &str) -> View {
        let ds = dataset(&[]);
        let p = Context::new(&ds, None).profile(code, &Options::default()).unwrap();
        let n = crate::narrate::narrate(&crate::templates::Templates::builtin().unwrap(), &p, &ds.catalogue).unwrap();
        let charts = crate::charts::render(&Default::default(), &p);
        build(&p, &n, &ds.catalogue, &Meta { date: "2026-11-23".into(), fictional: false, kort: false }, &charts)
    }

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

    #[test]
    fn a_row_shows_value_count_benchmark_and_verdict() {
        let v = view_of("GM0001");
        let row = v.themes.iter().flat_map(|t| &t.rows).find(|r| r.label == "Bijstandsuitkering").unwrap();
        assert_eq!(row.value, "8,0%");
        assert_eq!(row.count, "3.200");
        assert_eq!(row.nederland, "2,6%");
        assert_eq!((row.word.as_str(), row.class.as_str()), ("duidelijk ongunstiger", "unfav2"));
        assert!(row.share_of.starts_with("% van "), "{}", row.share_of);
        assert_eq!(row.source, "85984NED");
    }

    #[test]
    fn the_tightest_layout_names_sources_by_id_and_publisher() {
        assert_eq!(short_source("CBS, Kerncijfers wijken en buurten 2024 (85984NED)", "85984NED"), "85984NED");
        assert_eq!(
            short_source("RIVM/GGD'en/CBS, Gezondheid per wijk en buurt (50090NED)", "50090NED"),
            "RIVM/GGD'en/CBS, 50090NED"
        );
        assert_eq!(short_source("CBS, Wmo-cliënten; wijken", "83818NED t/m 85638NED"), "83818NED t/m 85638NED");
        assert_eq!(
            short_source("Monitor Veiligheid", "eigen-monitor"),
            "Monitor Veiligheid",
            "an own source by its title"
        );
        // The template: ids only, the titles referred to the workbook (a reader of paper
        // cannot run a command), no method details.
        let mut v = view_of("GM0001");
        v.compact_sources = true;
        let m = crate::document::markup(&crate::templates::Templates::builtin().unwrap(), &v).unwrap();
        assert!(m.contains("Volledige titels, definities"), "{m}");
        assert!(!m.contains("`wijkmonitor"), "command-line text in the PDF");
        let order = &v.method_order[..20];
        assert!(!m.contains(order), "{order}");
        v.compact_sources = false;
        let m = crate::document::markup(&crate::templates::Templates::builtin().unwrap(), &v).unwrap();
        assert!(m.contains(&v.method_order[..20]) && !m.contains("Volledige titels"));
        assert!(!m.contains("`wijkmonitor"), "command-line text in the PDF");
    }
}
