//! What a rank among all regions of a level is taken from: the sorted values of every
//! indicator, level and year with a figure to rank. One path whether a level was read
//! whole or thin: the comparison asks [`Distributions`] and never which it was. A level
//! read whole is sorted at once, in one pass over its figures; a level read thin is
//! sorted when first asked for, since one factsheet ranks on a hundred of the several
//! hundred of a level.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::Dataset;
use crate::model::region::{code_level, Level};
use crate::model::{is_beside, TOTAAL};

/// The sorted values of one indicator per (level, year), sorted when first asked for.
type ByLevelYear = HashMap<(Level, i32), OnceLock<Vec<f64>>>;

/// The sorted values per (indicator, level, year) of a dataset (see the module header).
pub struct Distributions<'a> {
    ds: &'a Dataset,
    /// Indicator → (level, year) → the sorted values.
    sorted: HashMap<&'a str, ByLevelYear>,
}

impl<'a> Distributions<'a> {
    /// The distributions of every level of `ds`: those read whole sorted now, those read
    /// thin listed.
    pub fn new(ds: &'a Dataset) -> Distributions<'a> {
        let mut full: HashMap<(&'a str, Level, i32), Vec<f64>> = HashMap::new();
        for o in &ds.observations {
            if o.group != TOTAAL || o.suppressed || is_beside(&o.indicator) {
                continue;
            }
            let (Some(v), Some(level)) = (o.value, code_level(&o.region)) else { continue };
            // A level read thin has only some regions' full figures: its ranks come
            // from its thin figures below.
            if ds.level_figures.iter().any(|t| t.level() == level) {
                continue;
            }
            full.entry((o.indicator.as_str(), level, o.year)).or_default().push(v);
        }
        let mut sorted: HashMap<&'a str, ByLevelYear> = HashMap::new();
        for ((indicator, level, year), mut v) in full {
            v.sort_by(f64::total_cmp);
            sorted.entry(indicator).or_default().insert((level, year), OnceLock::from(v));
        }
        for thin in &ds.level_figures {
            for (indicator, year) in thin.ranked() {
                sorted.entry(indicator).or_default().insert((thin.level(), year), OnceLock::new());
            }
        }
        Distributions { ds, sorted }
    }

    /// Every (indicator, level, year) with a value to rank.
    pub fn keys(&self) -> impl Iterator<Item = (&'a str, Level, i32)> + '_ {
        self.sorted.iter().flat_map(|(i, by)| by.keys().map(move |(l, y)| (*i, *l, *y)))
    }

    /// The sorted values of one indicator, level and year; `None` when no region of the
    /// level has a value.
    pub fn sorted(&self, indicator: &str, level: Level, year: i32) -> Option<&[f64]> {
        let cell = self.sorted.get(indicator)?.get(&(level, year))?;
        let v = cell.get_or_init(|| {
            let thin = self.ds.level_figures.iter().find(|t| t.level() == level);
            thin.map(|t| t.distribution(indicator, year)).unwrap_or_default()
        });
        Some(v)
    }
}
