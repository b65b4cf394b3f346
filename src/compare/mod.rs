//! Compare: everything a factsheet says about numbers, computed once as a [`Profile`].
//! For every indicator of an area: its latest figure with count and denominator, the
//! gemeente's and Nederland's figure for the same year, the peers' median and range, its
//! rank among all areas of its level, a rating against Nederland and the gemeente, the
//! series over the years, and the same per herkomst group. The PDF, the `table` export
//! and the text all read this one result, so they cannot disagree.
//!
//! Pure code: no IO. A [`Context`] holds what every report shares (peer indexes and the
//! distribution of each indicator per level), so a batch builds it once.

pub mod peers;
pub mod rating;
pub mod wijken;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

pub use peers::{Peer, PeerIndex, PeerSet};
pub use rating::{Figure, NotRated, Rating, Step};

use crate::error::Error;
use crate::model::catalogue::{Indicator, Polarity, THEMES};
use crate::model::observation::{group_label, Observation, TOTAAL};
use crate::model::region::{code_level, gemeente_of, Level, Region, NL};
use crate::model::Dataset;

/// What a report asks for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Use figures up to this year (default: the latest).
    pub year: Option<i32>,
    /// Number of peers.
    pub peers: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { year: None, peers: peers::DEFAULT_PEERS }
    }
}

/// Whether a figure can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    /// CBS table id(s).
    pub source: Option<String>,
    /// Table title.
    pub source_title: Option<String>,
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
            source: None,
            source_title: None,
        }
    }

    fn of(o: Option<&Observation>, ind: &Indicator, year: Option<i32>) -> Cell {
        let Some(o) = o else { return Cell::missing(year) };
        let mut c = Cell {
            value: o.value,
            count: o.count,
            denominator: o.denominator,
            year: Some(o.year),
            status: Status::Value,
            source: Some(o.source.clone()),
            source_title: Some(o.source_title.clone()),
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
    pub fn computed_note(&self) -> Option<&str> {
        let note = self.source_title.as_deref().and_then(crate::model::national_note)?;
        (self.status == Status::Value).then_some(note)
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
}

/// One herkomst group of one indicator.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    /// Group code.
    pub group: String,
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
    pub unit: String,
    /// Decimals to print.
    pub decimals: usize,
    /// Polarity.
    pub polarity: Polarity,
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
    /// Against Nederland.
    pub vs_nederland: Rating,
    /// Against the gemeente (for a wijk or buurt).
    pub vs_gemeente: Option<Rating>,
    /// All years with a figure for the area.
    pub trend: Vec<TrendPoint>,
    /// Per herkomst group, where the store has a split.
    pub groups: Vec<GroupResult>,
}

impl IndicatorResult {
    /// True for a count (inwoners, woningen): described by its size, never compared
    /// with the gemeente's or the country's count.
    pub fn is_count(&self) -> bool {
        self.unit == "aantal"
    }

    /// The rating the factsheet leads with: against Nederland, or against the gemeente
    /// when Nederland has no figure.
    pub fn main_rating(&self) -> &Rating {
        match (&self.vs_nederland.step, &self.vs_gemeente) {
            (Err(NotRated::NoBenchmark), Some(g)) => g,
            _ => &self.vs_nederland,
        }
    }

    /// The benchmark the main rating is against: "Nederland" or "gemeente".
    pub fn main_benchmark(&self) -> &'static str {
        match (&self.vs_nederland.step, &self.vs_gemeente) {
            (Err(NotRated::NoBenchmark), Some(_)) => "gemeente",
            _ => "nederland",
        }
    }
}

/// Counts of ratings in one theme ("stapeling"): the profile chart's input.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeSummary {
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// True when the theme only describes (demografie, zorg & welzijn, or no evaluative
    /// indicator).
    pub descriptive: bool,
    /// Rated gunstiger (or hoger for a descriptive theme).
    pub up: usize,
    /// Rated vergelijkbaar.
    pub same: usize,
    /// Rated ongunstiger (or lager).
    pub down: usize,
    /// Indicators shown without a rating.
    pub unrated: usize,
    /// In an evaluative theme: indicators without a polarity (WOZ-waarde, koopwoningen)
    /// that were compared, as hoger/lager.
    pub described: usize,
    /// The rating classes of the theme's indicators, in catalogue order.
    pub classes: Vec<String>,
}

impl ThemeSummary {
    /// One word for the theme: `gunstig`, `ongunstig`, `gemengd`, `vergelijkbaar`,
    /// `beschrijvend` or `geen`.
    pub fn tone(&self) -> &'static str {
        if self.up + self.same + self.down == 0 {
            return if self.described > 0 { "beschrijvend" } else { "geen" };
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
    /// Group code.
    pub group: String,
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
    /// Source table(s).
    pub source: String,
}

/// A CBS table a report used.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    /// Table id.
    pub id: String,
    /// Title.
    pub title: String,
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
}

impl Profile {
    /// One indicator by id.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorResult> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// What every report shares: the dataset, the peer index per level and the sorted
/// figures of every indicator per level and year.
pub struct Context<'a> {
    /// The data.
    pub ds: &'a Dataset,
    peers: HashMap<Level, PeerIndex>,
    distributions: HashMap<(&'a str, Level, i32), Vec<f64>>,
    /// Per indicator, the levels the store has figures for.
    levels: HashMap<&'a str, BTreeSet<Level>>,
    /// Per level, the latest year with population figures (up to the requested year).
    reference: HashMap<Level, i32>,
    year: Option<i32>,
}

impl<'a> Context<'a> {
    /// Builds the shared structures for reports up to `year` (default: latest).
    pub fn new(ds: &'a Dataset, year: Option<i32>) -> Context<'a> {
        let mut distributions: HashMap<(&'a str, Level, i32), Vec<f64>> = HashMap::new();
        for o in &ds.observations {
            if o.group != TOTAAL || o.suppressed {
                continue;
            }
            let (Some(v), Some(level)) = (o.value, code_level(&o.region)) else { continue };
            distributions.entry((o.indicator.as_str(), level, o.year)).or_default().push(v);
        }
        for v in distributions.values_mut() {
            v.sort_by(f64::total_cmp);
        }
        let mut levels: HashMap<&'a str, BTreeSet<Level>> = HashMap::new();
        let mut reference: HashMap<Level, i32> = HashMap::new();
        for &(ind, level, y) in distributions.keys() {
            levels.entry(ind).or_default().insert(level);
            if ind == "inwoners" && year.is_none_or(|m| y <= m) {
                let r = reference.entry(level).or_insert(y);
                *r = (*r).max(y);
            }
        }
        let peers = reference
            .iter()
            .filter(|(l, _)| **l != Level::Land)
            .map(|(&l, &y)| (l, PeerIndex::build(ds, l, y)))
            .collect();
        Context { ds, peers, distributions, levels, reference, year }
    }

    /// The latest year with population figures for a level, up to the requested year.
    pub fn reference_year(&self, level: Level) -> Option<i32> {
        self.reference.get(&level).copied()
    }

    fn rank(&self, indicator: &str, level: Level, year: i32, value: f64) -> Option<Rank> {
        let d = self.distributions.get(&(indicator, level, year))?;
        if d.len() < 2 {
            return None;
        }
        let below = d.partition_point(|v| *v < value);
        let upto = d.partition_point(|v| *v <= value);
        let equal = upto - below;
        Some(Rank {
            position: d.len() - upto + 1,
            of: d.len(),
            percentile: (below as f64 + equal as f64 / 2.0) / d.len() as f64 * 100.0,
        })
    }

    /// Compares one area (a gemeente, wijk or buurt code) on every indicator.
    pub fn profile(&self, code: &str, options: &Options) -> crate::Result<Profile> {
        let ds = self.ds;
        let region = ds.registry.get(code).cloned().ok_or_else(|| Error::Region {
            message: format!("unknown region code {code}"),
            hint: "look the region up with `wijkmonitor regions search NAME`".into(),
        })?;
        if region.level == Level::Land {
            return Err(Error::Region {
                message: "a factsheet is made for a gemeente, wijk or buurt, not for Nederland".into(),
                hint: "choose a gemeente, wijk or buurt; Nederland is the benchmark on every page".into(),
            });
        }
        let level = region.level;
        let year = ds
            .latest_year("inwoners", TOTAAL, code, options.year.or(self.year))
            .or_else(|| self.reference_year(level))
            .ok_or_else(|| Error::Region {
                message: format!("the store has no population figures for {}", region.display()),
                hint: "import the Kerncijfers wijken en buurten (85984NED or similar) for this year".into(),
            })?;
        let gm_code = if level == Level::Gemeente { None } else { gemeente_of(code) };
        let gemeente = gm_code.as_deref().and_then(|g| ds.registry.get(g)).cloned();
        let peer_set = self.peers.get(&level).and_then(|p| p.peers(ds, code, options.peers));

        let mut indicators = Vec::new();
        let mut unavailable = Vec::new();
        for ind in &ds.catalogue.indicators {
            let area_year = ds.latest_year(&ind.id, TOTAAL, code, Some(year));
            let levels = self.levels.get(ind.id.as_str());
            if area_year.is_none() && !levels.is_some_and(|l| l.contains(&level)) {
                if levels.is_some() {
                    unavailable.push(ind.id.clone());
                }
                continue;
            }
            indicators.push(self.indicator(ind, code, level, area_year, gm_code.as_deref(), peer_set.as_ref()));
        }

        let themes = THEMES
            .iter()
            .map(|(id, title)| {
                let of_theme: Vec<&IndicatorResult> = indicators.iter().filter(|i| i.theme == *id).collect();
                // Descriptive when the catalogue has no evaluative indicator in the theme
                // (demografie, zorg & welzijn), whatever the store holds.
                let descriptive = !ds.catalogue.theme(id).any(|i| i.evaluative());
                let mut s = ThemeSummary {
                    id: id.to_string(),
                    title: title.to_string(),
                    descriptive,
                    up: 0,
                    same: 0,
                    down: 0,
                    unrated: 0,
                    described: 0,
                    classes: Vec::new(),
                };
                for i in of_theme {
                    let r = i.main_rating();
                    // A descriptive theme counts hoger/lager; an evaluative theme counts
                    // gunstiger/ongunstiger of its evaluative indicators only.
                    let dir = if descriptive {
                        r.step.map(Step::signed).ok()
                    } else if i.polarity == Polarity::Neutral {
                        if r.step.is_ok() {
                            s.described += 1;
                            s.classes.push(r.class().to_string());
                        }
                        continue;
                    } else {
                        r.step.ok().map(|_| r.favourable())
                    };
                    match dir {
                        Some(d) if d > 0 => s.up += 1,
                        Some(d) if d < 0 => s.down += 1,
                        Some(_) => s.same += 1,
                        None => s.unrated += 1,
                    }
                    s.classes.push(r.class().to_string());
                }
                s
            })
            .collect();

        let mut findings: Vec<usize> =
            (0..indicators.len()).filter(|&i| indicators[i].main_rating().is_finding()).collect();
        findings.sort_by(|&a, &b| {
            indicators[b].main_rating().strength().total_cmp(&indicators[a].main_rating().strength()).then(a.cmp(&b))
        });

        let mut composition = Vec::new();
        let mut who = vec![(code.to_string(), region.name.clone())];
        if let Some(g) = &gemeente {
            who.push((g.code.clone(), g.name.clone()));
        }
        who.push((NL.to_string(), "Nederland".to_string()));
        let split = composition_split(ds, code, year);
        for (c, name) in who {
            if let Some(comp) = composition_of(ds, &c, &name, year, split) {
                composition.push(comp);
            }
        }

        let wijken = if level == Level::Gemeente { wijken::wijken(ds, code, year) } else { None };
        let sources = sources_of(&indicators, &composition, wijken.as_ref());
        let inwoners = ds.get("inwoners", TOTAAL, code, year).and_then(|o| o.value);
        Ok(Profile {
            region,
            gemeente,
            year,
            inwoners,
            peers: peer_set,
            indicators,
            unavailable,
            themes,
            composition,
            findings,
            sources,
            wijken,
        })
    }

    fn indicator(
        &self,
        ind: &Indicator,
        code: &str,
        level: Level,
        area_year: Option<i32>,
        gm: Option<&str>,
        peers: Option<&PeerSet>,
    ) -> IndicatorResult {
        let ds = self.ds;
        let get = |region: &str, group: &str| area_year.and_then(|y| ds.get(&ind.id, group, region, y));
        let area = Cell::of(get(code, TOTAAL), ind, area_year);
        let nederland = Cell::of(get(NL, TOTAAL), ind, area_year);
        let gemeente = gm.map(|g| Cell::of(get(g, TOTAAL), ind, area_year));
        let rate =
            |bench: &Cell| Rating::new(ind.polarity, &ind.unit, area.figure(), bench.figure().ok().map(|f| f.value));
        let vs_nederland = rate(&nederland);
        let vs_gemeente = gemeente.as_ref().map(rate);

        let peer_stats = match (peers, area_year) {
            (Some(p), Some(y)) => {
                let mut v: Vec<f64> = p
                    .members
                    .iter()
                    .filter_map(|m| ds.get(&ind.id, TOTAAL, &m.code, y))
                    .filter(|o| !o.suppressed)
                    .filter(|o| !(ind.min_count > 0.0 && o.count.is_some_and(|n| n < ind.min_count)))
                    .filter_map(|o| o.value)
                    .collect();
                v.sort_by(f64::total_cmp);
                (v.len() >= peers::MIN_PEERS).then(|| PeerStats {
                    median: median(&v),
                    min: v[0],
                    max: v[v.len() - 1],
                    n: v.len(),
                })
            }
            _ => None,
        };
        let rank = match (area.value, area_year) {
            (Some(v), Some(y)) => self.rank(&ind.id, level, y, v),
            _ => None,
        };

        let mut trend: Vec<TrendPoint> = ds
            .series(&ind.id, TOTAAL, code)
            .into_iter()
            .filter(|o| area_year.is_some_and(|y| o.year <= y))
            .map(|o| {
                let shown = Cell::of(Some(o), ind, Some(o.year)).value;
                let v = |r: &str| ds.get(&ind.id, TOTAAL, r, o.year).filter(|o| !o.suppressed).and_then(|o| o.value);
                TrendPoint { year: o.year, area: shown, gemeente: gm.and_then(v), nederland: v(NL) }
            })
            .collect();
        if trend.iter().filter(|t| t.area.is_some()).count() < 2 {
            trend.clear();
        }

        let mut groups = Vec::new();
        // Counts split by group are the composition, not something to rate.
        if ind.unit != "aantal" {
            for g in ds.groups_of(&ind.id) {
                let y = ds.latest_year(&ind.id, &g, code, area_year);
                let a = Cell::of(y.and_then(|y| ds.get(&ind.id, &g, code, y)), ind, y);
                let n = Cell::of(y.and_then(|y| ds.get(&ind.id, &g, NL, y)), ind, y);
                if a.status == Status::Missing {
                    continue;
                }
                let rating = Rating::new(ind.polarity, &ind.unit, a.figure(), n.figure().ok().map(|f| f.value));
                groups.push(GroupResult {
                    label: group_label(&g).to_string(),
                    group: g,
                    area: a,
                    nederland: n,
                    rating,
                });
            }
        }

        IndicatorResult {
            id: ind.id.clone(),
            theme: ind.theme.clone(),
            label: ind.label.clone(),
            unit: ind.unit.clone(),
            decimals: ind.decimals,
            polarity: ind.polarity,
            area,
            gemeente,
            nederland,
            peers: peer_stats,
            rank,
            vs_nederland,
            vs_gemeente,
            trend,
            groups,
        }
    }
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// The herkomst groups of a composition, finest split first.
const SPLITS: &[&[&str]] = &[
    &["nederland", "europa_geb_nl", "europa_geb_buitenland", "buiten_europa_geb_nl", "buiten_europa_geb_buitenland"],
    &["nederland", "europa", "buiten_europa"],
];

/// The split to use for an area: the finest one with every part present (the same
/// split is then used for its gemeente and Nederland, so the bars compare).
fn composition_split(ds: &Dataset, code: &str, year: i32) -> Option<&'static [&'static str]> {
    SPLITS.iter().copied().find(|split| split.iter().all(|g| ds.get("inwoners", g, code, year).is_some()))
}

fn composition_of(ds: &Dataset, code: &str, name: &str, year: i32, split: Option<&[&str]>) -> Option<Composition> {
    let total = ds.get("inwoners", TOTAAL, code, year).and_then(|o| o.value);
    if let Some(split) = split {
        let obs: Vec<Option<&Observation>> = split.iter().map(|g| ds.get("inwoners", g, code, year)).collect();
        if obs.iter().all(|o| o.is_none()) {
            return None;
        }
        let source = obs.iter().flatten().map(|o| o.source.clone()).next().unwrap_or_default();
        let parts = split
            .iter()
            .zip(&obs)
            .map(|(g, o)| {
                let count = o.filter(|o| !o.suppressed).and_then(|o| o.value);
                Part {
                    group: g.to_string(),
                    label: group_label(g).to_string(),
                    count,
                    share: match (count, total) {
                        (Some(c), Some(t)) if t > 0.0 => Some(c / t * 100.0),
                        _ => None,
                    },
                }
            })
            .collect();
        return Some(Composition { name: name.to_string(), year, parts, source });
    }
    // Only shares: the herkomst_* indicators.
    let ids = [
        ("nederland", "herkomst_nederland"),
        ("europa", "herkomst_europa"),
        ("buiten_europa", "herkomst_buiten_europa"),
    ];
    let obs: Vec<Option<&Observation>> = ids.iter().map(|(_, i)| ds.get(i, TOTAAL, code, year)).collect();
    if obs.iter().all(|o| o.is_none()) {
        return None;
    }
    let source = obs.iter().flatten().map(|o| o.source.clone()).next().unwrap_or_default();
    Some(Composition {
        name: name.to_string(),
        year,
        parts: ids
            .iter()
            .zip(&obs)
            .map(|((g, _), o)| {
                let share = o.filter(|o| !o.suppressed).and_then(|o| o.value);
                Part {
                    group: g.to_string(),
                    label: group_label(g).to_string(),
                    count: match (share, total) {
                        (Some(s), Some(t)) => Some((s * t / 100.0).round()),
                        _ => None,
                    },
                    share,
                }
            })
            .collect(),
        source,
    })
}

fn sources_of(
    indicators: &[IndicatorResult],
    composition: &[Composition],
    wijken: Option<&wijken::Wijken>,
) -> Vec<SourceRef> {
    let mut map: BTreeMap<String, (String, BTreeSet<i32>)> = BTreeMap::new();
    let mut add = |c: &Cell| {
        if let (Some(s), Some(t), Some(y)) = (&c.source, &c.source_title, c.year) {
            let ids: Vec<&str> = s.split("; ").collect();
            let titles: Vec<&str> = t.split("; ").collect();
            for (k, id) in ids.iter().enumerate() {
                let title = titles.get(k).or(titles.first()).copied().unwrap_or("");
                map.entry(id.to_string()).or_insert_with(|| (title.to_string(), BTreeSet::new())).1.insert(y);
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
        .map(|(id, (title, years))| SourceRef { id, title, years: years.into_iter().collect() })
        .collect();
    for c in composition {
        if !out.iter().any(|s| s.id == c.source) && !c.source.is_empty() {
            out.push(SourceRef { id: c.source.clone(), title: String::new(), years: vec![c.year] });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[1.0, 2.0, 3.0]), 2.0);
        assert_eq!(median(&[1.0, 2.0, 3.0, 10.0]), 2.5);
    }

    #[test]
    fn theme_with_only_descriptive_figures_is_not_empty() {
        // Regression: a wijk's wonen theme with only WOZ-waarde and koopwoningen compared
        // said "geen vergelijkbare cijfers voor dit gebied".
        let t = |described| ThemeSummary {
            id: "wonen".into(),
            title: "Wonen & leefomgeving".into(),
            descriptive: false,
            up: 0,
            same: 0,
            down: 0,
            unrated: 0,
            described,
            classes: Vec::new(),
        };
        assert_eq!(t(2).tone(), "beschrijvend");
        assert_eq!(t(0).tone(), "geen");
    }
}
