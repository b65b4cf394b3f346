//! The theme pages' tables and page two's key figures: one [`Row`] per indicator, the
//! theme pages ([`ThemeView`]), the key figures by theme ([`KeyTheme`]) and the herkomst
//! groups ([`GroupTable`]). Split from the view so that formatting one indicator's row
//! lives in one place, beside the tables that use it.

use serde::Serialize;

use super::super::sources::source_line;

use crate::compare::composition::SHARE_INDICATORS;
use crate::compare::{Benchmark, Cell, IndicatorResult, Profile, Status};
use crate::format;
use crate::model::catalogue::{Catalogue, Polarity};
use crate::narrate::{value_text, Finding, Narrative};

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

/// A cell with its unit, as the narrative writes it.
pub(super) fn cell(i: &IndicatorResult, c: &Cell) -> String {
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

/// The theme pages: per theme of the profile its findings' rows, its context rows and
/// its text.
pub(super) fn theme_views(
    p: &Profile,
    n: &Narrative,
    cat: &Catalogue,
    charts: &crate::charts::ChartSet,
) -> Vec<ThemeView> {
    p.themes
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
        .collect()
}

/// Page two's key figures, ready for the view's `key_*` fields.
pub(super) struct KeyFigures {
    /// Judged key figures by theme.
    pub(super) themes: Vec<KeyTheme>,
    /// Descriptive key figures by theme.
    pub(super) context: Vec<KeyTheme>,
    /// Key figures without a figure here, in one line.
    pub(super) missing: String,
    /// Their sources.
    pub(super) source: String,
    /// Some key figure is older.
    pub(super) stale: bool,
}

/// Page two: the same key figures for every area, in theme order.
pub(super) fn key_figures(p: &Profile, cat: &Catalogue, charts: &crate::charts::ChartSet) -> KeyFigures {
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
    KeyFigures {
        themes: key_themes,
        context: key_context,
        missing: key_missing.join(", "),
        source: source_line(&key_items),
        stale: key_items.iter().any(|i| i.area.status == Status::Value && p.is_stale(i.area.year)),
    }
}

/// The herkomst groups of every indicator that has them.
pub(super) fn group_tables(p: &Profile) -> Vec<GroupTable> {
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
    group_tables
}

/// The definitions of the indicators with a figure (or a mark) for the area.
pub(super) fn definitions(p: &Profile, cat: &Catalogue) -> Vec<Definition> {
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
    definitions
}
