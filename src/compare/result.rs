//! The result types of the comparison: what one figure, one indicator, one theme and
//! one whole area came out as ([`Profile`]). Every later stage reads these and nothing
//! else, so the PDF, the exports and the text cannot disagree.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

use super::peers::PeerSet;
use super::rating::{Figure, NotRated, Rating};
use super::verdict::{Benchmark, Verdict};
use super::wijken;
use crate::model::catalogue::{Indicator, Polarity};
use crate::model::observation::{Group, NationalMethod, Observation, Source};
use crate::model::region::Region;
use crate::model::Unit;

/// Whether a figure can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A value to show.
    Value,
    /// The count behind the figure is below the indicator's minimum: not shown.
    SmallNumber,
    /// CBS kept the cell secret or empty.
    Suppressed,
    /// The store has no figure for this region and year.
    Missing,
}

impl Status {
    /// How an absent figure is written ("te weinig waarnemingen", "geen gegevens");
    /// `None` for a value.
    pub fn absent(self) -> Option<&'static str> {
        match self {
            Status::Value => None,
            Status::SmallNumber => Some("te weinig waarnemingen"),
            Status::Suppressed | Status::Missing => Some("geen gegevens"),
        }
    }
}

/// One figure as shown: value, count, denominator, year and source, or why it is absent.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Shown value (None unless `status` is `Value`).
    pub value: Option<f64>,
    /// Count behind the value, when the source gives it.
    pub count: Option<f64>,
    /// Population of the share or rate, when known.
    pub denominator: Option<f64>,
    /// Year of the figure.
    pub year: Option<i32>,
    /// Whether it can be shown.
    pub status: Status,
    /// The tables it comes from, primary first (none for a missing figure).
    #[serde(serialize_with = "crate::model::observation::serialize_sources")]
    pub sources: Vec<Arc<Source>>,
    /// For a national figure no source gives: how the tool computed it.
    pub national: Option<NationalMethod>,
}

impl Cell {
    /// A cell for a figure the store lacks.
    pub fn missing(year: Option<i32>) -> Cell {
        Cell {
            value: None,
            count: None,
            denominator: None,
            year,
            status: Status::Missing,
            sources: Vec::new(),
            national: None,
        }
    }

    /// The cell of a stored figure (or its absence), with the small-number rule of
    /// the indicator applied.
    pub(crate) fn of(o: Option<&Observation>, ind: &Indicator, year: Option<i32>) -> Cell {
        let Some(o) = o else { return Cell::missing(year) };
        let mut c = Cell {
            value: o.value,
            count: o.count,
            denominator: o.denominator,
            year: Some(o.year),
            status: Status::Value,
            sources: o.sources.to_vec(),
            national: o.national.as_deref().cloned(),
        };
        if o.value.is_none() || o.suppressed {
            c.status = Status::Suppressed;
            c.value = None;
        } else if ind.min_count > 0.0 && o.count.is_some_and(|n| n < ind.min_count) {
            c.status = Status::SmallNumber;
            c.value = None;
            c.count = None;
        }
        c
    }

    /// For a national figure that the tool computed from the gemeenten because no
    /// source gives one: how ("gemiddelde van de gemeenten, gewogen naar inwoners").
    pub fn computed_note(&self) -> Option<String> {
        self.national.as_ref().filter(|_| self.status == Status::Value).map(NationalMethod::note)
    }

    /// The source table ids, "85990NED; 85984NED" for a figure derived from two tables;
    /// `None` for a missing figure.
    pub fn source_ids(&self) -> Option<String> {
        (!self.sources.is_empty()).then(|| self.sources.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join("; "))
    }

    /// The figure for rating, or why there is none.
    pub fn figure(&self) -> Result<Figure, NotRated> {
        match (self.status, self.value) {
            (Status::Value, Some(v)) => Ok(Figure { value: v, count: self.count, denominator: self.denominator }),
            (Status::SmallNumber, _) => Err(NotRated::SmallNumber),
            _ => Err(NotRated::NoData),
        }
    }
}

/// Median and range of the peers' figures.
#[derive(Debug, Clone, Serialize)]
pub struct PeerStats {
    /// Median.
    pub median: f64,
    /// Lowest.
    pub min: f64,
    /// Highest.
    pub max: f64,
    /// Peers with a figure.
    pub n: usize,
}

/// The area's place among all areas of its level in the same year.
#[derive(Debug, Clone, Serialize)]
pub struct Rank {
    /// 1 = highest value.
    pub position: usize,
    /// Areas with a figure.
    pub of: usize,
    /// Share of areas with a lower value (ties count half), 0–100.
    pub percentile: f64,
}

/// One year of a trend.
#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    /// Year.
    pub year: i32,
    /// The area.
    pub area: Option<f64>,
    /// Its gemeente (for a wijk or buurt).
    pub gemeente: Option<f64>,
    /// Nederland.
    pub nederland: Option<f64>,
    /// The area's figure comes from another source than the one before it (another
    /// table, another definition): the line breaks here and is marked, never joined.
    pub break_before: bool,
    /// The break is a re-division: CBS marks the wijk or buurt as re-bounded since the
    /// figure before (Indelingswijziging 3), so the same code covers another area.
    pub redivided: bool,
    /// The tables the area's figure of this year comes from (empty without a figure),
    /// so the trend's source line names every edition it draws.
    #[serde(serialize_with = "crate::model::observation::serialize_sources")]
    pub sources: Vec<std::sync::Arc<crate::model::Source>>,
}

/// One herkomst group of one indicator.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    /// Group.
    pub group: Group,
    /// Person-first label.
    pub label: String,
    /// The area's figure for the group.
    pub area: Cell,
    /// Nederland's figure for the same group.
    pub nederland: Cell,
    /// The area's group against the same group in Nederland.
    pub rating: Rating,
}

/// Everything about one indicator for one area.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    /// Indicator id.
    pub id: String,
    /// Theme id.
    pub theme: String,
    /// Label.
    pub label: String,
    /// Unit.
    pub unit: Unit,
    /// Decimals to print.
    pub decimals: usize,
    /// Polarity.
    pub polarity: Polarity,
    /// One of the catalogue's curated trend panels.
    pub trend_panel: bool,
    /// May be a finding (the catalogue's `finding`); context indicators never are.
    pub finding: bool,
    /// One of the key figures of page two (the catalogue's `key`, or shared with a key
    /// indicator of the same concept).
    pub key: bool,
    /// Shown on the page: the one figure of its concept (see `compare::context`); the
    /// others of the concept are in the exports only.
    pub shown: bool,
    /// The area.
    pub area: Cell,
    /// Its gemeente, same year (for a wijk or buurt).
    pub gemeente: Option<Cell>,
    /// Nederland, same year.
    pub nederland: Cell,
    /// The peers, same year.
    pub peers: Option<PeerStats>,
    /// Rank among all areas of the level.
    pub rank: Option<Rank>,
    /// For a wijk or buurt: its rank among the wijken (buurten) of its gemeente.
    pub rank_in_gemeente: Option<Rank>,
    /// Against Nederland.
    pub vs_nederland: Rating,
    /// Against the gemeente (for a wijk or buurt).
    pub vs_gemeente: Option<Rating>,
    /// All years with a figure for the area.
    pub trend: Vec<TrendPoint>,
    /// Per herkomst group, where the store has a split.
    pub groups: Vec<GroupResult>,
    /// The area's 95% interval as its source publishes it with the figure (SES-WOA's
    /// ondergrens and bovengrens, same year); `None` where the source gives none.
    pub interval: Option<(f64, f64)>,
}

impl IndicatorResult {
    /// True for a count (inwoners, woningen): described by its size, never compared
    /// with the gemeente's or the country's count.
    pub fn is_count(&self) -> bool {
        self.unit.is_count()
    }

    /// The rating the factsheet leads with: against Nederland, or against the gemeente
    /// when Nederland has no figure.
    pub fn main_rating(&self) -> &Rating {
        match (&self.vs_nederland.step, &self.vs_gemeente) {
            (Err(NotRated::NoBenchmark), Some(g)) => g,
            _ => &self.vs_nederland,
        }
    }

    /// The benchmark the main rating is against.
    pub fn main_benchmark(&self) -> Benchmark {
        match (&self.vs_nederland.step, &self.vs_gemeente) {
            (Err(NotRated::NoBenchmark), Some(_)) => Benchmark::Gemeente,
            _ => Benchmark::Nederland,
        }
    }
}

/// Counts of ratings in one theme ("stapeling"): the profile chart's input. Only the
/// theme's findings count (see [`super::themes`]); context is shown but not counted.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeSummary {
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// True when the theme only describes (demografie, zorg & welzijn, or no evaluative
    /// indicator).
    pub descriptive: bool,
    /// Findings rated gunstiger (or hoger for a descriptive theme).
    pub up: usize,
    /// Findings rated vergelijkbaar.
    pub same: usize,
    /// Findings rated ongunstiger (or lager).
    pub down: usize,
    /// Findings in the table without a rating (too few, no benchmark).
    pub unrated: usize,
    /// Context figures in the table (herkomst, age, density, housing stock, distances):
    /// shown as hoger/lager, never counted.
    pub context: usize,
    /// The ids of the counted findings, in catalogue order.
    pub counted: Vec<String>,
    /// The verdicts of the counted findings, in catalogue order.
    pub classes: Vec<Verdict>,
}

impl ThemeSummary {
    /// Findings with a rating.
    pub fn rated(&self) -> usize {
        self.up + self.same + self.down
    }

    /// One word for the theme: `gunstig`, `ongunstig`, `gemengd`, `vergelijkbaar`,
    /// `beschrijvend` (a descriptive theme, or only context) or `geen`.
    pub fn tone(&self) -> &'static str {
        if self.rated() == 0 {
            return if self.context > 0 || self.unrated > 0 { "beschrijvend" } else { "geen" };
        }
        if self.descriptive {
            return "beschrijvend";
        }
        match (self.up, self.down) {
            (0, 0) => "vergelijkbaar",
            (u, d) if u > 0 && d > 0 && u.abs_diff(d) <= 1 => "gemengd",
            (u, d) if u > d => "gunstig",
            _ => "ongunstig",
        }
    }
}

/// One group's part of the population.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// Group.
    pub group: Group,
    /// Label.
    pub label: String,
    /// Inhabitants in the group.
    pub count: Option<f64>,
    /// Share of all inhabitants, %.
    pub share: Option<f64>,
}

/// The herkomst composition of one region.
#[derive(Debug, Clone, Serialize)]
pub struct Composition {
    /// Region name.
    pub name: String,
    /// Year.
    pub year: i32,
    /// Parts, in the CBS order.
    pub parts: Vec<Part>,
    /// The table the counts come from.
    #[serde(serialize_with = "crate::model::observation::serialize_source")]
    pub source: Option<Arc<Source>>,
}

/// A CBS table a report used.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    /// Table id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Published by CBS (see [`Source::cbs`]).
    pub cbs: bool,
    /// Years used.
    pub years: Vec<i32>,
}

/// Everything the factsheet shows about one area.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// The area.
    pub region: Region,
    /// Its gemeente (for a wijk or buurt).
    pub gemeente: Option<Region>,
    /// Reference year (latest year of the population figures).
    pub year: i32,
    /// Inhabitants in the reference year.
    pub inwoners: Option<f64>,
    /// Peers, when at least three exist.
    pub peers: Option<PeerSet>,
    /// Indicators with a figure for this level, in catalogue order.
    pub indicators: Vec<IndicatorResult>,
    /// Indicators the store has for other levels but not for this one.
    pub unavailable: Vec<String>,
    /// Per theme, in page order.
    pub themes: Vec<ThemeSummary>,
    /// Herkomst composition of the area, its gemeente and Nederland.
    pub composition: Vec<Composition>,
    /// Indices into `indicators` of rated differences, strongest first.
    pub findings: Vec<usize>,
    /// Every table used.
    pub sources: Vec<SourceRef>,
    /// For a gemeente: its wijken compared with each other (the map page).
    pub wijken: Option<wijken::Wijken>,
    /// For a wijk: its buurten compared with each other (the page of its buurten, a
    /// table beside the numbered map of [`Profile::buurten`]).
    pub buurten_compared: Option<wijken::Wijken>,
    /// For a wijk or buurt: earlier codes of the same name in the same gemeente (a
    /// renumbered wijk, such as De Kolenkit: WK036339 until 2022, WK0363ED since), with
    /// the last indeling year of each. Their figures are not mixed in (the borders may
    /// differ); the page says they exist.
    pub earlier_codes: Vec<(String, i32)>,
    /// For a renumbered wijk or buurt with the same boundaries: the old code and the
    /// first year of the new one; its figures before that year come from the old code.
    pub renumbered_from: Option<(String, i32)>,
    /// For a wijk: its buurten (code, name) of the latest indeling, by code, for the map
    /// of its buurten.
    pub buurten: Vec<(String, String)>,
    /// The area's achterstandsindex (none where the store has none for it).
    pub achterstand: Option<super::achterstand::RegionIndex>,
    /// For a gemeente: the index of each of its listed wijken that has one, in the
    /// order of the wijken page (its map of the deciles).
    pub achterstand_wijken: Vec<super::achterstand::RegionIndex>,
}

/// A figure more than this many years older than the area's newest is marked as older
/// ("cijfer uit 2020") and ranks below current ones among findings of the same strength.
pub const STALE_AFTER: i32 = 2;

/// How many trend panels the factsheet shows at most.
pub const MAX_TRENDS: usize = 6;
/// At most this many on a buurt's four pages (one row).
pub const MAX_TRENDS_BUURT: usize = 3;
/// A trend panel needs at least this many years with a figure for the area: two
/// points are a difference, not a trend.
pub const MIN_TREND_POINTS: usize = 3;

impl Profile {
    /// The indicators of the trend panels, in catalogue order: the catalogue's curated
    /// panels first, then the strongest findings, then the rest, at most `MAX_TRENDS`
    /// (`MAX_TRENDS_BUURT` for a buurt), each with at least [`MIN_TREND_POINTS`] years
    /// with a figure. The chart draws them and the alt text describes the same ones.
    pub fn trend_panels(&self) -> Vec<&IndicatorResult> {
        let mut order: Vec<usize> = Vec::new();
        let with_trend = |k: &usize| {
            let i = &self.indicators[*k];
            i.shown && i.trend.iter().filter(|t| t.area.is_some()).count() >= MIN_TREND_POINTS
        };
        order.extend((0..self.indicators.len()).filter(|k| self.indicators[*k].trend_panel).filter(with_trend));
        order.extend(self.findings.iter().copied().filter(with_trend));
        order.extend((0..self.indicators.len()).filter(with_trend));
        let mut seen = std::collections::HashSet::new();
        order.retain(|k| seen.insert(*k));
        order.truncate(if self.region.level == crate::model::Level::Buurt { MAX_TRENDS_BUURT } else { MAX_TRENDS });
        order.sort();
        order.iter().map(|&k| &self.indicators[k]).collect()
    }

    /// One indicator by id.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorResult> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The oldest and newest year of the area's own figures on the page, those with a
    /// value or a reason why it has none ("cijfers 2020–2024"); the reference year alone
    /// when there are none.
    pub fn year_span(&self) -> (i32, i32) {
        let years = self.indicators.iter().filter(|i| super::themes::in_table(i)).filter_map(|i| i.area.year);
        years
            .fold(None, |span, y| match span {
                None => Some((y, y)),
                Some((lo, hi)) => Some((y.min(lo), y.max(hi))),
            })
            .unwrap_or((self.year, self.year))
    }

    /// True when a figure of `year` is older than the area's newest figure by more than
    /// [`STALE_AFTER`] years: the page marks it where the reader sees it, and among
    /// findings of the same strength it ranks below current ones.
    pub fn is_stale(&self, year: Option<i32>) -> bool {
        year.is_some_and(|y| self.year_span().1 - y > STALE_AFTER)
    }
}

/// Every table the figures of a report come from, with the years used.
pub(crate) fn sources_of(
    indicators: &[IndicatorResult],
    composition: &[Composition],
    wijken: Option<&wijken::Wijken>,
) -> Vec<SourceRef> {
    let mut map: BTreeMap<String, (Arc<Source>, BTreeSet<i32>)> = BTreeMap::new();
    let mut add = |c: &Cell| {
        if let Some(y) = c.year {
            for s in &c.sources {
                map.entry(s.id.clone()).or_insert_with(|| (s.clone(), BTreeSet::new())).1.insert(y);
            }
        }
    };
    for m in wijken.iter().flat_map(|w| &w.maps) {
        m.cells.iter().for_each(&mut add);
    }
    for i in indicators {
        add(&i.area);
        add(&i.nederland);
        if let Some(g) = &i.gemeente {
            add(g);
        }
        for g in &i.groups {
            add(&g.area);
            add(&g.nederland);
        }
    }
    let mut out: Vec<SourceRef> = map
        .into_iter()
        .map(|(id, (s, years))| SourceRef {
            id,
            title: s.title.clone(),
            cbs: s.cbs,
            years: years.into_iter().collect(),
        })
        .collect();
    for c in composition {
        if let Some(s) = c.source.as_ref().filter(|s| !out.iter().any(|o| o.id == s.id)) {
            out.push(SourceRef { id: s.id.clone(), title: String::new(), cbs: s.cbs, years: vec![c.year] });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_title_with_a_semicolon_is_kept_whole() {
        // Regression: sources were joined with "; " and split again, which cut
        // "CBS/Politie, Geregistreerde misdrijven; regio (83648NED)" at its own "; ".
        let title = "CBS/Politie, Geregistreerde misdrijven; regio (83648NED)";
        let cell = Cell {
            value: Some(45.0),
            count: None,
            denominator: None,
            year: Some(2024),
            status: Status::Value,
            sources: vec![Source::new("83648NED", title, true)],
            national: None,
        };
        let i = IndicatorResult {
            id: "misdrijven".into(),
            theme: "veiligheid".into(),
            label: "Misdrijven".into(),
            unit: Unit::Per1000,
            decimals: 1,
            polarity: Polarity::Lower,
            trend_panel: false,
            finding: true,
            key: false,
            shown: true,
            area: cell.clone(),
            gemeente: None,
            nederland: cell,
            peers: None,
            rank: None,
            rank_in_gemeente: None,
            vs_nederland: Rating::new(Polarity::Lower, Unit::Per1000, Err(NotRated::NoData), None),
            vs_gemeente: None,
            trend: Vec::new(),
            groups: Vec::new(),
            interval: None,
        };
        let s = sources_of(&[i], &[], None);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].title, title);
    }

    #[test]
    fn theme_with_only_context_is_not_empty() {
        // Regression: a wijk's wonen theme with only WOZ-waarde and koopwoningen compared
        // said "geen vergelijkbare cijfers voor dit gebied".
        let t = |context| ThemeSummary {
            id: "wonen".into(),
            title: "Wonen & leefomgeving".into(),
            descriptive: false,
            up: 0,
            same: 0,
            down: 0,
            unrated: 0,
            context,
            counted: Vec::new(),
            classes: Vec::new(),
        };
        assert_eq!(t(2).tone(), "beschrijvend");
        assert_eq!(t(0).tone(), "geen");
    }
}
