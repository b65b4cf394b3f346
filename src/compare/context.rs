//! The comparison context and the comparison of one area: [`Context`] holds what every
//! report shares (peer indexes, the sorted figures of every indicator per level and
//! year), built once per run; [`Context::profile`] compares one area on every indicator.

use std::collections::{BTreeSet, HashMap};

use super::achterstand;
use super::composition;
use super::peers::{self, PeerIndex, PeerSet};
use super::rating::Rating;
use super::result::{self, Cell, GroupResult, IndicatorResult, PeerStats, Profile, Rank, Status, TrendPoint};
use super::themes;
use super::wijken;
use super::Options;
use crate::dataset::{Dataset, Distributions};
use crate::error::Error;
use crate::model::catalogue::{Catalogue, Indicator};
use crate::model::observation::{Group, TOTAAL};
use crate::model::region::{gemeente_of, Level, NL};

/// What every report shares: the dataset, the peer index per level and the sorted
/// figures of every indicator per level and year.
pub struct Context<'a> {
    /// The data.
    pub ds: &'a Dataset,
    peers: HashMap<Level, PeerIndex>,
    /// The sorted figures of every indicator, level and year with a figure to rank,
    /// whether a level was read whole or thin.
    distributions: Distributions<'a>,
    /// Per indicator, the levels the store has figures for.
    levels: HashMap<&'a str, BTreeSet<Level>>,
    /// Per level, the latest year with population figures (up to the requested year).
    reference: HashMap<Level, i32>,
    year: Option<i32>,
    /// The achterstandsindex the store kept for the gemeenten read, or why it does not
    /// read.
    stored: Result<achterstand::Indexes, String>,
}

impl<'a> Context<'a> {
    /// Builds the shared structures for reports up to `year` (default: latest).
    pub fn new(ds: &'a Dataset, year: Option<i32>) -> Context<'a> {
        let distributions = Distributions::new(ds);
        let mut levels: HashMap<&'a str, BTreeSet<Level>> = HashMap::new();
        let mut reference: HashMap<Level, i32> = HashMap::new();
        // What the store has at levels that were not read (a gemeente's factsheet reads
        // no buurt figures but still says what the sources give only for buurten).
        for ind in &ds.catalogue.indicators {
            if let Some(stored) = ds.stored_levels(&ind.id) {
                levels.entry(ind.id.as_str()).or_default().extend(stored.iter().copied());
            }
        }
        for (ind, level, y) in distributions.keys() {
            levels.entry(ind).or_default().insert(level);
            if ind == ds.population() && year.is_none_or(|m| y <= m) {
                let r = reference.entry(level).or_insert(y);
                *r = (*r).max(y);
            }
        }
        let peers = reference
            .iter()
            .filter(|(l, _)| **l != Level::Land)
            .map(|(&l, &y)| (l, PeerIndex::build(ds, l, y)))
            .collect();
        let stored = achterstand::Indexes::stored(ds).map_err(|e| e.to_string());
        Context { ds, peers, distributions, levels, reference, year, stored }
    }

    /// The latest year with population figures for a level, up to the requested year.
    pub fn reference_year(&self, level: Level) -> Option<i32> {
        self.reference.get(&level).copied()
    }

    fn rank(&self, indicator: &str, level: Level, year: i32, value: f64) -> Option<Rank> {
        rank_in(self.distributions.sorted(indicator, level, year)?, value)
    }

    /// Compares one area (a gemeente, wijk or buurt code) on every indicator.
    pub fn profile(&self, code: &str, options: &Options) -> crate::Result<Profile> {
        let ds = self.ds;
        let region = ds.registry.get(code).cloned().ok_or_else(|| Error::Region {
            message: format!("onbekende gebiedscode {code}"),
            hint: "zoek het gebied op met `wijkmonitor regions search NAAM`".into(),
        })?;
        if region.level == Level::Land {
            return Err(Error::Region {
                message: "een factsheet is voor een gemeente, wijk of buurt, niet voor Nederland".into(),
                hint: "kies een gemeente, wijk of buurt; Nederland is op elke pagina de vergelijking".into(),
            });
        }
        let level = region.level;
        let year = ds
            .latest_year(ds.population(), TOTAAL, code, options.year.or(self.year))
            .or_else(|| self.reference_year(level))
            .ok_or_else(|| Error::Region {
                message: format!("de opslag heeft geen bevolkingscijfers voor {}", region.display()),
                hint: "lees de Kerncijfers wijken en buurten (85984NED of vergelijkbaar) van dit jaar in".into(),
            })?;
        let gm_code = if level == Level::Gemeente { None } else { gemeente_of(code) };
        let gemeente = gm_code.as_deref().and_then(|g| ds.registry.get(g)).cloned();
        let peer_set = self.peers.get(&level).and_then(|p| p.peers(ds, code, options.peers));

        // The wijken (buurten) of the area's gemeente, looked up once for all indicators:
        // those the gemeente's pages list, so a rank counts the areas a reader can see.
        let siblings: Vec<String> = match gm_code.as_deref() {
            Some(g) => wijken::listed(ds, g, level, year).into_iter().map(|w| w.code).collect(),
            None => Vec::new(),
        };
        let subject = Subject { code, level, gm: gm_code.as_deref(), siblings: &siblings, peers: peer_set.as_ref() };

        let mut indicators = Vec::new();
        let mut unavailable = Vec::new();
        for ind in &ds.catalogue.indicators {
            let area_year = ds.latest_year(&ind.id, TOTAAL, code, Some(year));
            let levels = self.levels.get(ind.id.as_str());
            if area_year.is_none() && !levels.is_some_and(|l| l.contains(&level)) {
                if levels.is_some() || ind.missing_named {
                    unavailable.push(ind.id.clone());
                }
                continue;
            }
            indicators.push(self.indicator(ind, &subject, area_year));
        }

        one_per_concept(&mut indicators, &ds.catalogue);
        // What another source of the same concept shows for this area is not missing
        // (the Politie's misdrijven per buurt stand in for CBS's per gemeente).
        unavailable.retain(|id| {
            let concept = ds.catalogue.get(id).and_then(|i| i.concept.as_ref());
            !concept.is_some_and(|c| {
                indicators.iter().any(|i| {
                    i.area.status != Status::Missing
                        && ds.catalogue.get(&i.id).and_then(|x| x.concept.as_ref()) == Some(c)
                })
            })
        });
        let themes = themes::summarise(&ds.catalogue, &indicators);

        // Only what the catalogue lets be a finding: context (herkomst, density, age,
        // distances) stays in the tables.
        let mut findings: Vec<usize> = (0..indicators.len())
            .filter(|&i| indicators[i].shown && indicators[i].finding && indicators[i].main_rating().is_finding())
            .collect();
        findings.sort_by(|&a, &b| {
            indicators[b].main_rating().strength().total_cmp(&indicators[a].main_rating().strength()).then(a.cmp(&b))
        });

        let composition = composition::compositions(ds, &region, gemeente.as_ref(), year);

        let wijken = if level == Level::Gemeente { wijken::wijken(ds, code, year) } else { None };
        let buurten_compared = match (level, gm_code.as_deref()) {
            (Level::Wijk, Some(g)) => wijken::buurten(ds, g, code, year),
            _ => None,
        };
        let sources = result::sources_of(&indicators, &composition, wijken.as_ref().or(buurten_compared.as_ref()));
        let inwoners = ds.get(ds.population(), TOTAAL, code, year).and_then(|o| o.value);
        let renumbered_from = ds.renumbered_from(code).map(|(c, y)| (c.to_string(), y));
        let earlier_codes: Vec<(String, i32)> = earlier_codes(&ds.registry, &region)
            .into_iter()
            .filter(|(c, _)| renumbered_from.as_ref().is_none_or(|(old, _)| old != c))
            .collect();
        // Numbered on the map as in the table of its buurten: those with inhabitants
        // (a business park without any is drawn, without a number).
        let buurten = match (level, gm_code.as_deref(), &buurten_compared) {
            (Level::Wijk, _, Some(b)) => b.wijken.iter().map(|w| (w.code.clone(), w.name.clone())).collect(),
            (Level::Wijk, Some(g), None) => {
                let mut b: Vec<(String, String)> = ds
                    .registry
                    .children(g, Level::Buurt)
                    .into_iter()
                    .filter(|r| crate::model::region::wijk_of(&r.code).as_deref() == Some(code))
                    .map(|r| (r.code.clone(), r.name.clone()))
                    .collect();
                b.sort();
                b
            }
            _ => Vec::new(),
        };
        let index = match (&options.achterstand, &self.stored) {
            (Some(computed), _) => computed.as_ref(),
            (None, Ok(stored)) => stored,
            (None, Err(e)) => {
                return Err(Error::Store { message: e.clone(), hint: "lees de gegevens opnieuw in".into() });
            }
        };
        let achterstand = index.get(code).cloned();
        let achterstand_wijken =
            wijken.iter().flat_map(|w| &w.wijken).filter_map(|w| index.get(&w.code).cloned()).collect();
        Ok(Profile {
            achterstand,
            achterstand_wijken,
            buurten,
            earlier_codes,
            renumbered_from,
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
            buurten_compared,
        })
    }

    fn indicator(&self, ind: &Indicator, subject: &Subject<'_>, area_year: Option<i32>) -> IndicatorResult {
        let Subject { code, level, gm, siblings, peers } = *subject;
        let ds = self.ds;
        let get = |region: &str, group: Group| area_year.and_then(|y| ds.get(&ind.id, group, region, y));
        let area = Cell::of(get(code, TOTAAL), ind, area_year);
        let nederland = Cell::of(get(NL, TOTAAL), ind, area_year);
        let gemeente = gm.map(|g| Cell::of(get(g, TOTAAL), ind, area_year));
        // The 95% interval its source publishes with the figure (SES-WOA), same year.
        let interval = crate::model::PUBLISHED_BOUNDS
            .iter()
            .find(|(id, ..)| *id == ind.id)
            .filter(|_| area.status == Status::Value)
            .and_then(|(_, lo, hi)| {
                let y = area.year?;
                let bound = |id: &str| ds.get(id, TOTAAL, code, y).and_then(|o| o.value);
                Some((bound(lo)?, bound(hi)?))
            })
            .filter(|(lo, hi)| lo <= hi);
        let rate = |bench: &Cell| {
            let b = bench.figure().ok().map(|f| f.value);
            Rating::new(ind.polarity, ind.unit, area.figure(), b).within(interval, b)
        };
        let vs_nederland = rate(&nederland);
        let vs_gemeente = gemeente.as_ref().map(rate);

        let peer_stats = match (peers, area_year) {
            (Some(p), Some(y)) => {
                let figures = ds.level_view(level);
                let mut v: Vec<f64> = p
                    .members
                    .iter()
                    .filter_map(|m| figures.get(&ind.id, &m.code, y))
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
        // A wijk or buurt among the others of its gemeente, same year.
        let rank_in_gemeente = match (area.value, area_year) {
            (Some(v), Some(y)) if !siblings.is_empty() => {
                let mut sibs: Vec<f64> = siblings
                    .iter()
                    .filter_map(|c| Cell::of(ds.get(&ind.id, TOTAAL, c, y), ind, Some(y)).value)
                    .collect();
                sibs.sort_by(f64::total_cmp);
                rank_in(&sibs, v)
            }
            _ => None,
        };

        // A change of source between two figures of the series breaks the line (unless the
        // catalogue says every source has one definition), and so
        // does a re-division of the wijk or buurt in any year since the figure before
        // when the two figures come from different tables (one table's years share its
        // indeling: RIVM's 2012, 2016 and 2020 are all on the 2020 indeling). A figure
        // computed from two tables counts both: the Politie's yearly counts (one table,
        // each year on its own indeling) divided by each year's KWB population differ
        // in their second table, so a re-division between them breaks the line.
        let mut last_source: Option<&str> = None;
        let mut last_tables: Option<&[std::sync::Arc<crate::model::Source>]> = None;
        let mut last_year: Option<i32> = None;
        let redivided_in = |from: i32, to: i32| {
            (from + 1..=to)
                .any(|y| ds.get(crate::model::INDELINGSWIJZIGING, TOTAAL, code, y).and_then(|o| o.value) == Some(3.0))
        };
        let mut trend: Vec<TrendPoint> = ds
            .series(&ind.id, TOTAAL, code)
            .into_iter()
            .filter(|o| area_year.is_some_and(|y| o.year <= y))
            .map(|o| {
                let shown = Cell::of(Some(o), ind, Some(o.year)).value;
                let v = |r: &str| ds.get(&ind.id, TOTAAL, r, o.year).filter(|o| !o.suppressed).and_then(|o| o.value);
                let source = o.series();
                // Editions of one definition (the BRP's inwoners in the KWB or in the
                // herkomst table) are one line.
                let new_source = shown.is_some() && !ind.one_definition && last_source.is_some_and(|s| s != source);
                let redivided = shown.is_some()
                    && level != Level::Gemeente
                    && last_tables.is_some_and(|t| !same_tables(t, &o.sources))
                    && last_year.is_some_and(|from| redivided_in(from, o.year));
                if shown.is_some() {
                    last_source = Some(source);
                    last_tables = Some(&o.sources);
                    last_year = Some(o.year);
                }
                TrendPoint {
                    year: o.year,
                    area: shown,
                    gemeente: gm.and_then(v),
                    nederland: v(NL),
                    break_before: new_source || redivided,
                    redivided: redivided && !new_source,
                    sources: if shown.is_some() { o.sources.to_vec() } else { Vec::new() },
                }
            })
            .collect();
        if trend.iter().filter(|t| t.area.is_some()).count() < 2 {
            trend.clear();
        }

        let mut groups = Vec::new();
        // Counts split by group are the composition, not something to rate.
        if !ind.unit.is_count() {
            for g in ds.groups_of(&ind.id) {
                let y = ds.latest_year(&ind.id, g, code, area_year);
                let a = Cell::of(y.and_then(|y| ds.get(&ind.id, g, code, y)), ind, y);
                let n = Cell::of(y.and_then(|y| ds.get(&ind.id, g, NL, y)), ind, y);
                // A group is described (hoger/lager than the same group in Nederland),
                // never judged: an orange "ongunstiger" beside a herkomst group reads as a
                // verdict about people.
                let rating = Rating::new(
                    crate::model::catalogue::Polarity::Neutral,
                    ind.unit,
                    a.figure(),
                    n.figure().ok().map(|f| f.value),
                );
                groups.push(GroupResult { label: g.label().to_string(), group: g, area: a, nederland: n, rating });
            }
            // A group without a figure is named (the page says so) as long as another
            // group of the split has one.
            if groups.iter().all(|g| g.area.status == Status::Missing) {
                groups.clear();
            }
        }

        IndicatorResult {
            id: ind.id.clone(),
            theme: ind.theme.clone(),
            label: ind.label.clone(),
            unit: ind.unit,
            decimals: ind.decimals,
            polarity: ind.polarity,
            trend_panel: ind.trend,
            finding: ind.finding,
            // A key figure stays one whichever source of its concept the page shows.
            key: ind.key
                || ind
                    .concept
                    .as_ref()
                    .is_some_and(|c| ds.catalogue.indicators.iter().any(|o| o.key && o.concept.as_ref() == Some(c))),
            shown: true,
            area,
            gemeente,
            nederland,
            peers: peer_stats,
            rank,
            rank_in_gemeente,
            vs_nederland,
            vs_gemeente,
            trend,
            groups,
            interval,
        }
    }
}

/// The area one comparison is about, and what all its indicators share.
#[derive(Clone, Copy)]
struct Subject<'x> {
    code: &'x str,
    level: Level,
    /// Its gemeente (for a wijk or buurt).
    gm: Option<&'x str>,
    /// The other wijken (buurten) of that gemeente, for the rank within it.
    siblings: &'x [String],
    peers: Option<&'x PeerSet>,
}

/// True when two figures come from the same tables (by id, in order).
fn same_tables(a: &[std::sync::Arc<crate::model::Source>], b: &[std::sync::Arc<crate::model::Source>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.id == y.id)
}

/// Codes of the same level, name and gemeente as `region` whose last indeling is older
/// than the region's: the same wijk or buurt before it was renumbered.
fn earlier_codes(
    registry: &crate::model::region::Registry,
    region: &crate::model::region::Region,
) -> Vec<(String, i32)> {
    if region.level == Level::Gemeente {
        return Vec::new();
    }
    // The codes of its level in its gemeente (`WK0344`).
    let Some(prefix) = region.code.get(..6) else { return Vec::new() };
    let mut out: Vec<(String, i32)> = registry
        .codes_named_in(&region.name, prefix)
        .iter()
        .filter(|c| **c != region.code)
        .filter_map(|c| registry.get(c))
        .filter(|r| r.level == region.level && r.gemeente() == region.gemeente() && r.year < region.year)
        .map(|r| (r.code.clone(), r.year))
        .collect();
    out.sort();
    out
}

/// The place of `value` in `sorted` (ascending): 1 = highest; `None` with fewer than two.
fn rank_in(sorted: &[f64], value: f64) -> Option<Rank> {
    if sorted.len() < 2 {
        return None;
    }
    let below = sorted.partition_point(|v| *v < value);
    let upto = sorted.partition_point(|v| *v <= value);
    Some(Rank {
        position: sorted.len() - upto + 1,
        of: sorted.len(),
        percentile: (below as f64 + (upto - below) as f64 / 2.0) / sorted.len() as f64 * 100.0,
    })
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// One figure per concept on the page: of the indicators that share a catalogue
/// `concept`, the one with a figure that can be compared (rated against Nederland or the
/// gemeente) in the newest year; on a tie, the first in the catalogue. Without any
/// comparable figure, the newest figure. The others stay in the exports.
fn one_per_concept(indicators: &mut [IndicatorResult], catalogue: &Catalogue) {
    let concept = |id: &str| catalogue.get(id).and_then(|i| i.concept.clone());
    let mut groups: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (k, i) in indicators.iter().enumerate() {
        if let Some(c) = concept(&i.id) {
            groups.entry(c).or_default().push(k);
        }
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let key = |k: &usize| {
            let i = &indicators[*k];
            let has = i.area.status == Status::Value;
            let rated = has && i.main_rating().step.is_ok();
            // Higher is better; `Reverse` keeps the catalogue order on a tie.
            (rated, has, i.area.year.unwrap_or(i32::MIN), std::cmp::Reverse(*k))
        };
        let Some(&winner) = members.iter().max_by_key(|k| key(k)) else { continue };
        for &k in members {
            indicators[k].shown = k == winner;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[1.0, 2.0, 3.0]), 2.0);
        assert_eq!(median(&[1.0, 2.0, 3.0, 10.0]), 2.5);
    }
}
