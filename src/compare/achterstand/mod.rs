//! The achterstandsindex: a transparent, IMD-style index of seven domains (inkomen,
//! werk, opleiding, gezondheid, veiligheid, huisvesting, woonomgeving) for every
//! gemeente, wijk and buurt, with the uncertainty of each rank. Every step is a small
//! file and every weight is in `data/index.toml`:
//!
//! 1. [`config`]: the recipe (domains, weights, indicators, directions, minimums).
//! 2. `input`: each area's latest figure of each indicator, with count and denominator.
//! 3. `shrink`: small areas shrunk toward their gemeente (empirical Bayes).
//! 4. [`scores`]: rank-based normal scores, domain scores, the IMD's exponential
//!    transformation and the total; ranks and deciles.
//! 5. `draws`: seeded draws of every figure's true value, the whole index again per
//!    draw, and the 90% interval of every decile.
//! 6. [`checks`]: what the index is trusted on: coverage, the sensitivity to the weights
//!    and to the transformation, Spearman's ρ with CBS's SES-WOA, and the width of the
//!    intervals by population.
//!
//! Pure code: it reads a [`Dataset`] (whole, or with levels read thin, as a factsheet
//! has it) and returns an [`Achterstand`]; the CLI writes it out. A score describes an
//! area relative to the others of its level, not the people who live there.
//!
//! ```
//! use wijkmonitor::compare::achterstand::{Achterstand, IndexConfig, Settings};
//! use wijkmonitor::model::Level;
//! use wijkmonitor::session::Session;
//! use wijkmonitor::store::Scope;
//!
//! # fn main() -> wijkmonitor::Result<()> {
//! let ds = Session::demo()?.dataset(&Scope::thin_level(Level::Wijk))?;
//! // Once per level and run (a batch shares it): every wijk with its draws.
//! let index = Achterstand::compute(&ds, Level::Wijk, &IndexConfig::builtin(&ds.catalogue), &Settings::default())?;
//! let centrum = index.of("WK999000").expect("a wijk of the demo");
//! let werk = centrum.domain("werk").unwrap();
//! let place = werk.nederland.unwrap();
//! assert!(place.low.unwrap() <= place.decile && place.decile <= place.high.unwrap());
//! // The demo has figures of one domain: no total, and it says why.
//! assert_eq!(centrum.profile().rows[0].words(), "Totaal: niet berekend (1 van de 5 benodigde domeinen berekend)");
//! # Ok(())
//! # }
//! ```

pub mod checks;
pub mod config;
mod draws;
mod input;
pub mod report;
mod result;
pub mod scores;
mod shrink;
pub mod stored;

use rustc_hash::FxHashMap;

pub use config::{Domain, DomainIndicator, IndexConfig, Interval, Worse};
pub use report::Report;
pub use result::{Band, DomainIndex, DomainProfile, IndexRow, Place, ProfileRow, RegionIndex, Status};
pub use scores::Combine;
pub use stored::Indexes;

use crate::dataset::Dataset;
use crate::model::region::Level;
use draws::{interval, Drawing, Tally};
use input::Input;
use scores::{decile, group_ranks, ranks, Frame, Scores};
use shrink::Shrunk;

/// The id of the total in the exports and the profile.
pub const TOTAL: &str = "totaal";

/// A decile within a gemeente needs at least this many ranked areas there: the one
/// buurt of a small gemeente is its first and its last, and says nothing.
pub const MIN_IN_GEMEENTE: u32 = 5;

/// At least this share of a level's areas must have an inwonertal in the dataset before
/// the index ranks them: fewer means the dataset holds only part of the level.
pub const MIN_WITH_PEOPLE: f64 = 0.5;

/// Choices of one computation beside the recipe.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Figures up to this year (default: the latest); also picks the indeling.
    pub year: Option<i32>,
    /// How the domains are combined (the IMD's exponential transformation by default).
    pub combine: Combine,
    /// Number of draws instead of the recipe's (0: no intervals).
    pub draws: Option<usize>,
}

/// What one indicator contributed at this level, for the method's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnSummary {
    /// Indicator id.
    pub id: String,
    /// Domain id.
    pub domain: String,
    /// Areas with a figure.
    pub areas: usize,
    /// Of those, with a count or population (shrunk, with a sampling variance).
    pub with_variance: usize,
    /// The median weight on an area's own figure after shrinkage (1 = not shrunk).
    pub median_weight: Option<f64>,
    /// Oldest and newest year of the figures used.
    pub years: Option<(i32, i32)>,
    /// Figures left out because their gemeente was re-divided since their year.
    pub redivided: usize,
}

use serde::Serialize;

/// The index of every area of one level.
#[derive(Debug, Clone)]
pub struct Achterstand {
    /// The level.
    pub level: Level,
    /// The indeling year of its areas.
    pub indeling: i32,
    /// Every area, sorted by code.
    pub regions: Vec<RegionIndex>,
    /// Per indicator, what it contributed.
    pub columns: Vec<ColumnSummary>,
    /// The recipe's name ([`IndexConfig::shown_name`]).
    pub weights_file: String,
    /// Draws behind the intervals.
    pub draws: usize,
    at: FxHashMap<String, usize>,
}

impl Achterstand {
    /// Computes the index of every area of `level` (see the module header). The
    /// dataset must hold every area of the level, thin or whole (a factsheet's dataset
    /// holds its own level thin): an index of the few areas a part of the store holds
    /// would rank them among each other only, so it is refused (see [`MIN_WITH_PEOPLE`]).
    pub fn compute(
        ds: &Dataset,
        level: Level,
        config: &IndexConfig,
        settings: &Settings,
    ) -> crate::Result<Achterstand> {
        let input = input::gather(ds, level, config, settings.year);
        let people = input.areas.iter().filter(|a| a.population.is_some()).count();
        if (people as f64) < MIN_WITH_PEOPLE * input.areas.len() as f64 {
            return Err(crate::Error::Store {
                message: format!(
                    "de achterstandsindex rangschikt alle {} van Nederland, maar van {} van de {} zijn geen inwonertallen gelezen",
                    level.plural(),
                    input.areas.len() - people,
                    input.areas.len()
                ),
                hint: "lees de Kerncijfers wijken en buurten van het niveau in (`wijkmonitor data import` of \
                       `data download`); in de code: lees het niveau dun (Scope::thin_level)"
                    .into(),
            });
        }
        Ok(Achterstand::from_input(input, config, settings))
    }

    fn from_input(input: Input, config: &IndexConfig, settings: &Settings) -> Achterstand {
        let n = input.areas.len();
        let groups: Vec<usize> = input.areas.iter().map(|a| a.group).collect();
        let frame = Frame {
            columns: input.columns.iter().map(|c| (c.domain, c.weight)).collect(),
            domains: config.domains.iter().map(|d| (d.weight, d.min_indicators)).collect(),
            min_domains: config.min_domains,
            combine: settings.combine,
        };
        let shrunk: Vec<Vec<Option<Shrunk>>> = input
            .columns
            .iter()
            .map(|c| {
                let on_scale = |f: &Option<input::Fig>| f.map(|f| shrink::transform(c.model, &f));
                let points: Vec<_> = c.figures.iter().map(on_scale).collect();
                let targets: Vec<_> = c.targets.iter().map(on_scale).collect();
                if c.shrink {
                    shrink::shrink(&points, &targets, &groups, input.groups.len())
                } else {
                    shrink::unshrunk(&points)
                }
            })
            .collect();
        let signs: Vec<f64> = input.columns.iter().map(|c| c.sign).collect();
        let values: Vec<Vec<Option<f64>>> =
            shrunk.iter().zip(&signs).map(|(col, sign)| col.iter().map(|s| s.map(|s| sign * s.z)).collect()).collect();
        let scores = frame.evaluate(&values, n, &mut scores::Scratch::default());
        let draws = settings.draws.unwrap_or(config.draws);
        let drawing = Drawing {
            frame: &frame,
            shrunk: &shrunk,
            signs: &signs,
            groups: &groups,
            n_groups: input.groups.len(),
            seed: config.seed,
        };
        let tally = (draws > 0 && n > 0).then(|| drawing.tally(draws));
        let regions = assemble(&input, config, &scores, tally.as_ref(), &groups, draws);
        let columns = summarise(&input, config, &shrunk);
        let at = regions.iter().enumerate().map(|(k, r)| (r.code.clone(), k)).collect();
        Achterstand {
            level: input.level,
            indeling: input.indeling,
            regions,
            columns,
            weights_file: config.shown_name().to_string(),
            draws,
            at,
        }
    }

    /// The index of one area of this level; `None` for an area the level does not hold.
    pub fn of(&self, code: &str) -> Option<&RegionIndex> {
        self.at.get(code).map(|&k| &self.regions[k])
    }

    /// The export rows, sorted by code: per area the total and each domain; only the
    /// areas of one gemeente when `gemeente` is given.
    pub fn rows(&self, gemeente: Option<&str>) -> Vec<IndexRow> {
        self.regions
            .iter()
            .filter(|r| gemeente.is_none_or(|g| r.gemeente.as_deref() == Some(g) || r.code == g))
            .flat_map(|r| r.rows())
            .collect()
    }
}

/// Every area's [`RegionIndex`] from the point scores and the draws' counts.
fn assemble(
    input: &Input,
    config: &IndexConfig,
    scores: &Scores,
    tally: Option<&Tally>,
    groups: &[usize],
    draws: usize,
) -> Vec<RegionIndex> {
    let n = input.areas.len();
    let nd = config.domains.len();
    // Per slot (each domain, then the total): ranks among all and within the gemeente.
    let slots: Vec<&Vec<Option<f64>>> = scores.domains.iter().chain(std::iter::once(&scores.total)).collect();
    let national: Vec<(Vec<Option<u32>>, u32)> = slots.iter().map(|s| ranks(s)).collect();
    let local: Vec<Vec<Option<(u32, u32)>>> =
        slots.iter().map(|s| group_ranks(s, groups, input.groups.len())).collect();
    let place = |rank: u32, of: u32, counts: Option<&[u16; 10]>| {
        let decile = decile(rank, of);
        let band = counts.and_then(interval).map(|(lo, hi)| (lo.min(decile), hi.max(decile)));
        Place { rank, of, decile, low: band.map(|b| b.0), high: band.map(|b| b.1) }
    };
    let one = |d: usize, a: usize, used: Vec<String>, status: Status, id: &str, label: &str, weight: f64| {
        let (r, of) = &national[d];
        let nat = r[a].map(|r| place(r, *of, tally.map(|t| &t.national[d * n + a])));
        let loc = if input.level == Level::Gemeente {
            None
        } else {
            local[d][a]
                .filter(|(_, of)| *of >= MIN_IN_GEMEENTE)
                .map(|(r, of)| place(r, of, tally.map(|t| &t.local[d * n + a])))
        };
        DomainIndex {
            id: id.to_string(),
            label: label.to_string(),
            weight,
            score: slots[d][a],
            nederland: nat,
            gemeente: loc,
            used,
            status,
        }
    };
    input
        .areas
        .iter()
        .enumerate()
        .map(|(a, area)| {
            let domains: Vec<DomainIndex> = config
                .domains
                .iter()
                .enumerate()
                .map(|(d, dom)| {
                    let used: Vec<String> = input
                        .columns
                        .iter()
                        .filter(|c| c.domain == d && c.figures[a].is_some())
                        .map(|c| c.id.clone())
                        .collect();
                    let status = if scores.domains[d][a].is_some() {
                        Status::Scored
                    } else {
                        Status::TooFewIndicators { have: used.len(), need: dom.min_indicators }
                    };
                    one(d, a, used, status, &dom.id, &dom.label, dom.weight)
                })
                .collect();
            let used: Vec<String> =
                domains.iter().filter(|d| d.status == Status::Scored).map(|d| d.id.clone()).collect();
            let status = if scores.total[a].is_some() {
                Status::Scored
            } else {
                Status::TooFewDomains { have: used.len(), need: config.min_domains }
            };
            let weight = config.domains.iter().map(|d| d.weight).sum();
            let total = one(nd, a, used, status, TOTAL, "Totaal", weight);
            RegionIndex {
                code: area.code.clone(),
                name: area.name.clone(),
                level: input.level,
                gemeente: area.gemeente.clone(),
                gemeente_name: area.gemeente_name.clone(),
                population: area.population,
                total,
                domains,
                weights_file: config.shown_name().to_string(),
                draws,
            }
        })
        .collect()
}

/// Per indicator, what it contributed (see [`ColumnSummary`]).
fn summarise(input: &Input, config: &IndexConfig, shrunk: &[Vec<Option<Shrunk>>]) -> Vec<ColumnSummary> {
    input
        .columns
        .iter()
        .zip(shrunk)
        .map(|(c, s)| {
            let figs: Vec<&input::Fig> = c.figures.iter().flatten().collect();
            let mut w: Vec<f64> = s.iter().flatten().filter(|s| s.w < 1.0 || s.var > 0.0).map(|s| s.w).collect();
            w.sort_by(f64::total_cmp);
            let years = figs
                .iter()
                .map(|f| f.year)
                .fold(None, |acc: Option<(i32, i32)>, y| Some(acc.map_or((y, y), |(lo, hi)| (lo.min(y), hi.max(y)))));
            ColumnSummary {
                id: c.id.clone(),
                domain: config.domains[c.domain].id.clone(),
                areas: figs.len(),
                with_variance: figs.iter().filter(|f| f.count.is_some() || f.interval.is_some()).count(),
                median_weight: (!w.is_empty()).then(|| w[w.len() / 2]),
                years,
                redivided: c.redivided,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
