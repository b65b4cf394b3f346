//! What the index reads: for every area of a level (the newest indeling of the level)
//! and every indicator of the recipe, the latest whole-population figure with its count
//! and denominator, and the same figure of the larger area it is shrunk toward (its
//! gemeente; Nederland for a gemeente). Read through [`LevelView`], so the index works
//! on the thin figures a factsheet already holds as well as on a whole store.
//!
//! The thin figures keep value and count, not the denominator: for a share or rate the
//! denominator is count ÷ value × scale. Where the source gives no count (a KWB
//! percentage, an RIVM estimate), the recipe may name the population the share is taken
//! of (`population = "inwoners"`), which stands in as denominator; without either the
//! figure is used as it is (no shrinkage, no sampling variance).

use super::config::IndexConfig;
use crate::dataset::{Dataset, LevelView};
use crate::model::region::{gemeente_of, is_placeholder, Level, NL};
use crate::model::{UnitKind, TOTAAL};
use crate::store::ThinFigure;

/// How an indicator's sampling variance is modelled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Model {
    /// A share (count of a population): binomial, on the logit scale.
    Share { scale: f64 },
    /// A rate per 1.000 or 10.000 (events over a population): Poisson, on the log scale.
    Rate { scale: f64 },
    /// Anything else (a mark, a mean): taken as it is.
    Plain,
}

/// One figure as the index reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Fig {
    /// The published value.
    pub value: f64,
    /// Its year.
    pub year: i32,
    /// Count and denominator, where known or derived.
    pub count: Option<(f64, f64)>,
    /// A published interval: lower and upper bound and its level.
    pub interval: Option<(f64, f64, f64)>,
}

/// One area of the level.
#[derive(Debug, Clone)]
pub(super) struct Area {
    pub code: String,
    pub name: String,
    /// The gemeente code (None for a gemeente itself).
    pub gemeente: Option<String>,
    /// The gemeente's name.
    pub gemeente_name: String,
    /// Index of the larger area it is shrunk toward and ranked within.
    pub group: usize,
    /// Inwoners (latest figure).
    pub population: Option<f64>,
}

/// One indicator of the recipe with every area's figure.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub id: String,
    pub domain: usize,
    pub weight: f64,
    /// +1 when higher is more achterstand, −1 when lower is.
    pub sign: f64,
    pub model: Model,
    /// Shrunk toward the larger area (not for a model estimate).
    pub shrink: bool,
    /// Per area (in the order of [`Input::areas`]).
    pub figures: Vec<Option<Fig>>,
    /// Per area, the figure of its larger area in the same year.
    pub targets: Vec<Option<Fig>>,
    /// Figures left out because their gemeente was re-divided since their year.
    pub redivided: usize,
}

/// Everything the computation needs, read once.
#[derive(Debug, Clone)]
pub(super) struct Input {
    pub level: Level,
    /// The indeling year of the areas.
    pub indeling: i32,
    /// Sorted by code.
    pub areas: Vec<Area>,
    /// The larger areas (gemeente codes, or Nederland), indexed by [`Area::group`].
    pub groups: Vec<String>,
    pub columns: Vec<Column>,
}

/// The index's areas of `level`: the regions of its newest indeling year (at or before
/// `year` when given), placeholders left out, sorted by code.
fn areas_of(ds: &Dataset, level: Level, year: Option<i32>) -> (i32, Vec<&crate::model::Region>) {
    let years = ds.registry.years(level);
    let indeling =
        years.iter().rev().find(|y| year.is_none_or(|m| **y <= m)).or(years.first()).copied().unwrap_or_default();
    let mut regions: Vec<&crate::model::Region> =
        ds.registry.of_level_in_year(level, indeling).filter(|r| !is_placeholder(&r.code)).collect();
    regions.sort_by(|a, b| a.code.cmp(&b.code));
    regions.dedup_by(|a, b| a.code == b.code);
    (indeling, regions)
}

/// Reads the figures of every area of `level` for the recipe.
pub(super) fn gather(ds: &Dataset, level: Level, config: &IndexConfig, year: Option<i32>) -> Input {
    let (indeling, regions) = areas_of(ds, level, year);
    let view = ds.level_view(level);
    let mut groups: Vec<String> = Vec::new();
    let areas: Vec<Area> = regions
        .iter()
        .map(|r| {
            let gemeente = if level == Level::Gemeente { None } else { gemeente_of(&r.code) };
            let larger = gemeente.clone().unwrap_or_else(|| NL.to_string());
            let group = match groups.iter().position(|g| *g == larger) {
                Some(k) => k,
                None => {
                    groups.push(larger);
                    groups.len() - 1
                }
            };
            let gemeente_name = if level == Level::Gemeente { String::new() } else { r.gemeente_name.clone() };
            let population = view.latest(ds.population(), &r.code, year).and_then(|(_, f)| f.value);
            Area { code: r.code.clone(), name: r.name.clone(), gemeente, gemeente_name, group, population }
        })
        .collect();
    let mut columns = Vec::new();
    for (k, domain) in config.domains.iter().enumerate() {
        for di in &domain.indicators {
            let Some(ind) = ds.catalogue.get(&di.id) else { continue };
            let model = match (ind.unit.kind(), ind.unit.scale()) {
                (UnitKind::Share, Some(scale)) => Model::Share { scale },
                (UnitKind::Rate, Some(scale)) => Model::Rate { scale },
                _ => Model::Plain,
            };
            let pop = di.population.as_deref();
            let read = |view: &LevelView<'_>, code: &str, at: Option<i32>| {
                let (y, f) = view.latest(&di.id, code, at)?;
                let mut fig = figure(y, f, model, pop.and_then(|p| population(view, p, code, y)))?;
                fig.interval = di.interval.as_ref().and_then(|b| {
                    let bound = |id: &str| view.get(id, code, y).filter(|f| !f.suppressed).and_then(|f| f.value);
                    Some((bound(&b.lower)?, bound(&b.upper)?, b.level)).filter(|(lo, hi, _)| lo <= hi)
                });
                Some(fig)
            };
            let mut figures: Vec<Option<Fig>> = areas.iter().map(|a| read(&view, &a.code, year)).collect();
            // Sources that cover some gemeenten in other years: only figures within
            // `max_age` of the newest.
            if let Some(newest) = figures.iter().flatten().map(|f| f.year).max() {
                for f in &mut figures {
                    if f.is_some_and(|f| f.year < newest - config.max_age) {
                        *f = None;
                    }
                }
            }
            let redivided = drop_redivided(&view, &di.id, level, &areas, &mut figures);
            let targets = areas
                .iter()
                .zip(&figures)
                .map(|(a, f)| {
                    let y = f.as_ref()?.year;
                    match &a.gemeente {
                        Some(g) => read(&ds.level_view(Level::Gemeente), g, Some(y)).filter(|t| t.year == y),
                        None => nederland(ds, &di.id, y, model),
                    }
                })
                .collect();
            columns.push(Column {
                id: di.id.clone(),
                domain: k,
                weight: di.weight,
                sign: di.worse.sign(),
                model,
                shrink: di.shrink,
                figures,
                targets,
                redivided,
            });
        }
    }
    Input { level, indeling, areas, groups, columns }
}

/// A gemeente of which more than this share of the wijk or buurt codes with a figure in
/// some year no longer exist (and are no earlier code of a renumbered area) has been
/// re-divided since that year.
pub(super) const STALE_SHARE: f64 = 0.2;

/// Leaves out the figures of a year in a gemeente re-divided since (see
/// [`STALE_SHARE`]): a code reused for another area would otherwise carry that other
/// area's figure (Almere's buurten of 2020 and 2024). A renumbered area's figures of
/// its earlier code stay. Returns how many were left out.
fn drop_redivided(
    view: &LevelView<'_>,
    indicator: &str,
    level: Level,
    areas: &[Area],
    figures: &mut [Option<Fig>],
) -> usize {
    if level == Level::Gemeente {
        return 0;
    }
    let current: std::collections::HashSet<&str> = areas
        .iter()
        .map(|a| a.code.as_str())
        .chain(areas.iter().filter_map(|a| view.renumbered_from(&a.code).map(|(old, _)| old)))
        .collect();
    let years: std::collections::BTreeSet<i32> = figures.iter().flatten().map(|f| f.year).collect();
    // (gemeente digits, year) → (codes with a figure, of which no longer current)
    let mut stale: std::collections::HashMap<(String, i32), (usize, usize)> = Default::default();
    for y in years {
        for code in view.codes_with(indicator, y) {
            let e = stale.entry((code.get(2..6).unwrap_or_default().to_string(), y)).or_default();
            e.0 += 1;
            e.1 += usize::from(!current.contains(code.as_str()));
        }
    }
    let mut dropped = 0;
    for (a, f) in areas.iter().zip(figures.iter_mut()) {
        let Some(fig) = f else { continue };
        // A figure of an earlier code with the same boundaries (a renumbered area) is
        // its own, whatever else the gemeente re-divided.
        if view.renumbered_from(&a.code).is_some_and(|(_, since)| fig.year < since) {
            continue;
        }
        let key = (a.code.get(2..6).unwrap_or_default().to_string(), fig.year);
        if stale.get(&key).is_some_and(|(n, gone)| *gone as f64 > STALE_SHARE * *n as f64) {
            *f = None;
            dropped += 1;
        }
    }
    dropped
}

/// The population figure that stands in as denominator: the same year, else the latest
/// before it, else the newest.
fn population(view: &LevelView<'_>, indicator: &str, code: &str, year: i32) -> Option<f64> {
    let at = |y: Option<i32>| view.latest(indicator, code, y).and_then(|(_, f)| f.value).filter(|v| *v > 0.0);
    at(Some(year)).or_else(|| at(None))
}

/// A published figure as the index reads it: suppressed or empty figures are none; a
/// share's or rate's count and denominator from its count (denominator = count ÷ value
/// × scale) or from the stand-in population.
fn figure(year: i32, f: ThinFigure, model: Model, population: Option<f64>) -> Option<Fig> {
    if f.suppressed {
        return None;
    }
    let value = f.value.filter(|v| v.is_finite())?;
    let scale = match model {
        Model::Share { scale } | Model::Rate { scale } => scale,
        Model::Plain => return Some(Fig { value, year, count: None, interval: None }),
    };
    let count = match (f.count, population) {
        (Some(c), _) if c > 0.0 && value > 0.0 => Some((c, c / value * scale)),
        (_, Some(n)) => Some((value / scale * n, n)),
        _ => None,
    };
    // A share's count never exceeds its population (a rate's may).
    let fits =
        |&(c, n): &(f64, f64)| n > 0.0 && c >= 0.0 && (matches!(model, Model::Rate { .. }) || c <= n * 1.000_001);
    Some(Fig { value, year, count: count.filter(fits), interval: None })
}

/// Nederland's figure of one year (the larger area of a gemeente).
fn nederland(ds: &Dataset, indicator: &str, year: i32, model: Model) -> Option<Fig> {
    let o = ds.get(indicator, TOTAAL, NL, year)?;
    let value = o.value.filter(|_| !o.suppressed)?;
    let count = match (o.count, o.denominator) {
        (Some(c), Some(n)) if n > 0.0 && model != Model::Plain => Some((c, n)),
        _ => None,
    };
    Some(Fig { value, year, count, interval: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thin(value: Option<f64>, count: Option<f64>) -> ThinFigure {
        ThinFigure { value, count, suppressed: value.is_none() }
    }

    #[test]
    fn the_denominator_comes_from_the_count_or_the_population_and_never_from_nothing() {
        let share = Model::Share { scale: 100.0 };
        // 8% of 3.200: 40.000.
        let f = figure(2024, thin(Some(8.0), Some(3200.0)), share, None).unwrap();
        assert_eq!(f.count, Some((3200.0, 40_000.0)));
        // No count: 20% of 1.500 inwoners stands in.
        let f = figure(2020, thin(Some(20.0), None), share, Some(1500.0)).unwrap();
        assert_eq!(f.count, Some((300.0, 1500.0)));
        // Neither: the value alone.
        assert_eq!(figure(2020, thin(Some(20.0), None), share, None).unwrap().count, None);
        // A zero share with a count of 0 and a population: 0 of the population.
        let f = figure(2024, thin(Some(0.0), Some(0.0)), share, Some(400.0)).unwrap();
        assert_eq!(f.count, Some((0.0, 400.0)));
        // Suppressed: nothing, not zero.
        assert_eq!(figure(2024, thin(None, None), share, Some(400.0)), None);
        // A mark has no count.
        assert_eq!(figure(2024, thin(Some(6.8), Some(12.0)), Model::Plain, None).unwrap().count, None);
    }
}
