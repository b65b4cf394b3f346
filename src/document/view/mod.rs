//! The view: what `factsheet.typ.j2` gets to see. Every number is formatted here, once,
//! the Dutch way, from the [`Profile`] and the [`Narrative`]; the template only places
//! strings. Field names are part of the template contract (documented on each struct).
//!
//! This file holds the contract's top ([`View`]) and [`build`], which assembles it in
//! named steps; the parts live beside it: `themes` (the rows of the theme pages and the
//! key figures), `areas` (the wijken and buurten tables), `source_list` (the list of
//! sources) and `budget` (the page budget's steps, [`View::tighten`]).

mod areas;
mod budget;
pub use budget::{steps_to_skip, SKIP_FIRST_ABOVE, SKIP_TWO_ABOVE};
mod source_list;
mod themes;

use serde::Serialize;

use super::sources::{sources_text, trend_source_line};

pub use areas::{WijkMapView, WijkRow, WijkenView};
pub use source_list::SourceView;
pub use themes::{Definition, GroupRow, GroupTable, KeyTheme, Row, ThemeView};

use themes::cell;

use crate::compare::{Benchmark, IndicatorResult, Profile, Status};
use crate::format;
use crate::model::catalogue::Catalogue;
use crate::narrate::{Finding, Narrative};

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

/// A peer in the list.
#[derive(Debug, Serialize)]
pub struct PeerView {
    /// Name.
    pub name: String,
    /// Gemeente (for wijken and buurten).
    pub note: String,
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
    /// The very last step: the method's finer paragraphs left out of the reading guide
    /// (the rule for vergelijkbaar and duidelijk stays; the rest is in docs and the
    /// workbook's Definities sheet).
    pub guide_brief: bool,
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

    let headlines = headlines(p, cat);
    let themes = themes::theme_views(p, n, cat, charts);
    let keys = themes::key_figures(p, cat, charts);
    // The panels the chart draws, so the line under it names what it shows.
    let trend_items: Vec<&IndicatorResult> = p.trend_panels();
    let home = peers_home(p);
    let unavailable: Vec<String> =
        p.unavailable.iter().filter_map(|id| cat.get(id)).map(|d| d.label.to_lowercase()).collect();
    let kort_view = kort_view(p, n, &themes, charts);
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
        key_themes: keys.themes,
        key_context: keys.context,
        key_missing: keys.missing,
        key_source: keys.source,
        key_stale: keys.stale,
        themes,
        composition: !p.composition.is_empty(),
        composition_source: composition_source(p),
        group_tables: themes::group_tables(p),
        has_trends,
        trend_source: trend_source_line(&trend_items),
        reading_guide: guide(&n.reading_guide, has_trends),
        method: n.method.clone(),
        peer_rule: n.peer_rule.clone(),
        method_order: n.method_order.clone(),
        peer_method: n.peer_method.clone(),
        peers: peer_list(p, &home),
        peers_home: home,
        map,
        buurten_map: charts.has("buurten"),
        buurten_list: p
            .buurten
            .iter()
            .enumerate()
            .map(|(k, (_, name))| format!("{} {name}", k + 1))
            .collect::<Vec<_>>()
            .join(" · "),
        wijken: areas::wijken_view(p, charts, cat.min_count),
        buurten: areas::buurten_view(p, charts, cat.min_count),
        sources: source_list::source_list(p, &trend_items),
        compact_sources: false,
        unavailable: unavailable.join(", "),
        definitions: themes::definitions(p, cat),
        kort: meta.kort,
        dense: false,
        trends_left_out: String::new(),
        // A buurt starts with its key figures on page one's foot: nothing is left out,
        // and most buurten needed that step anyway (see `budget::steps_to_skip`).
        key_follows: p.region.level == crate::model::Level::Buurt,
        index_brief: false,
        guide_brief: false,
        kort_view,
        alt: n.alt.clone(),
        achterstand: super::achterstand::build(p, n, charts),
        all_sources: sources_text(p.indicators.iter().filter(|i| i.shown).map(|i| &i.area)),
    }
}

/// Page one's headline numbers: up to four of the catalogue's, each by the indicator or
/// one of its alternatives.
fn headlines(p: &Profile, cat: &Catalogue) -> Vec<Headline> {
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
    headlines
}

/// The gemeente whose wijken or buurten among the peers go without its name (the
/// area's own, for a wijk or buurt with peers in it), else empty.
fn peers_home(p: &Profile) -> String {
    match p.region.level {
        crate::model::Level::Wijk | crate::model::Level::Buurt
            if p.peers.iter().flat_map(|s| &s.members).any(|m| m.gemeente_name == p.region.gemeente_name) =>
        {
            p.region.gemeente_name.clone()
        }
        _ => String::new(),
    }
}

/// The peers as listed, each with its gemeente where that is not `home` (see
/// [`peers_home`]).
fn peer_list(p: &Profile, home: &str) -> Vec<PeerView> {
    p.peers
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
        .collect()
}

/// The line under the herkomst composition chart; empty without one.
fn composition_source(p: &Profile) -> String {
    p.composition
        .first()
        .map(|c| {
            let by = if c.source.as_ref().is_some_and(|s| s.cbs) { "CBS, " } else { "" };
            format!(
                "Bron: {by}{} ({}); aandelen berekend als aantal in de groep gedeeld door alle inwoners.",
                c.source.as_ref().map(|s| s.id.as_str()).unwrap_or(""),
                c.year
            )
        })
        .unwrap_or_default()
}

/// The short version's view: its rows carry the numbers of the theme tables.
fn kort_view(
    p: &Profile,
    n: &Narrative,
    themes: &[ThemeView],
    charts: &crate::charts::ChartSet,
) -> super::kort::KortView {
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
    kort_view
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

/// The reading guide's first words about the trend panels (report-templates/zinnen.toml):
/// a sheet without panels leaves that paragraph out.
pub(crate) const TRENDS_GUIDE: &str = "Ontwikkeling door de jaren";

/// The reading guide of a sheet: without the paragraph on trend panels where it has none.
pub(crate) fn guide(all: &[String], has_trends: bool) -> Vec<String> {
    all.iter().filter(|p| has_trends || !p.starts_with(TRENDS_GUIDE)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::source_list::short_source;
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
