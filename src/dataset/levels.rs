//! Every region of a level, whether the level was read whole or thin, and what a commit
//! keeps of the complete figures.
//!
//! A factsheet needs every region of its level for its ranks and peers; a part of the
//! store holds the level either in full (its figures are in the dataset) or thin (its
//! [`LevelFigures`]). [`LevelView`] answers the same questions from either, so ranks and
//! peers have one path and never ask which it was.
//!
//! [`derived`] takes from the complete figures what the store keeps beside them (the
//! thin figures of each level and the computed national figures), before a commit.

use super::Dataset;
use crate::model::region::{code_level, Level};
use crate::model::renumbered::Renumbered;
use crate::model::TOTAAL;
use crate::store::layout::THIN_LEVELS;
use crate::store::thin::Row;
use crate::store::{Derived, LevelFigures, StoreData, ThinFigure};

/// Every region's whole-population figures of one level, from wherever the dataset has
/// them: its thin figures when the level was read thin, else its full figures.
#[derive(Debug, Clone, Copy)]
pub enum LevelView<'a> {
    /// The level was read whole.
    Full(&'a Dataset, Level),
    /// The level was read thin.
    Thin(&'a LevelFigures),
}

impl Dataset {
    /// The figures of every region of `level` (see [`LevelView`]).
    pub fn level_view(&self, level: Level) -> LevelView<'_> {
        match self.level_figures.iter().find(|t| t.level() == level) {
            Some(t) => LevelView::Thin(t),
            None => LevelView::Full(self, level),
        }
    }
}

impl LevelView<'_> {
    /// One whole-population figure.
    pub fn get(&self, indicator: &str, code: &str, year: i32) -> Option<ThinFigure> {
        match self {
            LevelView::Full(ds, _) => ds.get(indicator, TOTAAL, code, year).map(|o| ThinFigure {
                value: o.value,
                count: o.count,
                suppressed: o.suppressed,
            }),
            LevelView::Thin(t) => t.get(indicator, code, year),
        }
    }

    /// The latest year with a whole-population figure at or before `max_year`.
    pub fn latest_year(&self, indicator: &str, code: &str, max_year: Option<i32>) -> Option<i32> {
        match self {
            LevelView::Full(ds, _) => ds.latest_year(indicator, TOTAAL, code, max_year),
            LevelView::Thin(t) => t.latest_year(indicator, code, max_year),
        }
    }

    /// The earlier code a renumbered region's figures before a year are under, with that
    /// year, as the figures of this view link them.
    pub fn renumbered_from(&self, code: &str) -> Option<(&str, i32)> {
        match self {
            LevelView::Full(ds, _) => ds.renumbered_from(code),
            LevelView::Thin(t) => t.renumbered().from(code),
        }
    }

    /// The codes of the level with a whole-population figure (a value or suppressed) of
    /// one indicator and year, as stored (not following renumbering).
    pub fn codes_with(&self, indicator: &str, year: i32) -> Vec<String> {
        match self {
            LevelView::Full(ds, level) => ds
                .cross_section(indicator, TOTAAL, year)
                .into_iter()
                .filter(|o| code_level(&o.region) == Some(*level))
                .map(|o| o.region.to_string())
                .collect(),
            LevelView::Thin(t) => t.codes_with(indicator, year).into_iter().map(str::to_string).collect(),
        }
    }

    /// The latest whole-population figure at or before `max_year`, with its year.
    pub fn latest(&self, indicator: &str, code: &str, max_year: Option<i32>) -> Option<(i32, ThinFigure)> {
        match self {
            LevelView::Full(..) => {
                let y = self.latest_year(indicator, code, max_year)?;
                Some((y, self.get(indicator, code, y)?))
            }
            LevelView::Thin(t) => t.latest(indicator, code, max_year),
        }
    }
}

/// Takes the whole-population figures of every region of `level` from a dataset that
/// holds them all: the catalogue's indicators (derived ones included), no re-division
/// marks.
pub fn thin(ds: &Dataset, level: Level) -> LevelFigures {
    let mut indicators: Vec<String> =
        ds.catalogue.indicators.iter().filter(|i| ds.lookup(&i.id, TOTAAL).is_some()).map(|i| i.id.clone()).collect();
    indicators.sort();
    indicators.dedup();
    let mut codes: Vec<String> = ds
        .registry
        .of_level(level)
        .map(|r| r.code.clone())
        .chain(
            indicators
                .iter()
                .flat_map(|i| ds.lookup(i, TOTAAL).into_iter().flat_map(|s| s.keys()).map(|c| c.to_string())),
        )
        .filter(|c| code_level(c) == Some(level))
        .collect();
    codes.sort();
    codes.dedup();
    let mut rows = Vec::new();
    for (k, ind) in indicators.iter().enumerate() {
        let Some(series) = ds.lookup(ind, TOTAAL) else { continue };
        let mut mine: Vec<(&str, i32, usize)> = series
            .iter()
            .filter(|(c, _)| code_level(c) == Some(level))
            .flat_map(|(c, ys)| ys.iter().map(move |(y, i)| (c.as_str(), *y, *i)))
            .collect();
        mine.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (c, year, i) in mine {
            let o = &ds.observations[i];
            let region = codes.binary_search_by(|x| x.as_str().cmp(c)).expect("code listed") as u32;
            rows.push(Row {
                value: o.value.unwrap_or(f64::NAN),
                count: o.count.unwrap_or(f64::NAN),
                region,
                year,
                indicator: k as u32,
                suppressed: o.suppressed,
            });
        }
    }
    let renumbered: Renumbered = ds.renumbered.filtered(|c| code_level(c) == Some(level));
    LevelFigures::new(level, codes, indicators, rows, renumbered)
}

/// What a commit keeps beside the figures of `data` (see [`Derived`]): the thin figures
/// of the gemeenten, wijken and buurten and the national figures computed from all
/// gemeenten, taken from a dataset of all the figures with the shipped catalogue, so
/// they have derived indicators and renumbered codes as a factsheet's dataset sees them.
/// Nothing for a store without figures.
pub fn derived(data: &StoreData) -> Derived {
    derived_with(data, |_| Vec::new())
}

/// [`derived`], with the records of the achterstandsindex that `index` computes from
/// the same dataset of all figures (a later stage owns the index; the session passes
/// it in, so the dataset is built once).
pub fn derived_with(data: &StoreData, index: impl FnOnce(&Dataset) -> Vec<(String, serde_json::Value)>) -> Derived {
    if data.observations.is_empty() {
        return Derived::default();
    }
    let all = StoreData {
        observations: data.observations.clone(),
        regions: data.regions.clone(),
        inventory: data.inventory.clone(),
        ..StoreData::default()
    };
    let ds = Dataset::new(all, crate::model::Catalogue::builtin());
    let levels = THIN_LEVELS.into_iter().map(|level| thin(&ds, level)).collect();
    let national = ds.observations.iter().filter(|o| o.national.is_some()).cloned().collect();
    let index = index(&ds);
    Derived { levels, national: Some(national), index }
}
