//! [`Dataset`]: the indexed, read-only view of the figures that the comparison stage
//! works on, with every figure the tool derives when it is built:
//!
//! - [`mod@derive`]: indicators the catalogue computes from two others (a count and its
//!   population);
//! - [`national`]: Nederland where no source gives it (summed, weighted, by definition);
//! - [`renumber`]: which wijken and buurten were renumbered, so a region's figures
//!   before its new code are read under its old one;
//! - [`levels`]: every region of a level, whether it was read whole or thin
//!   ([`LevelView`]), the one path peers read; and what a commit keeps of the complete
//!   figures ([`derived`]);
//! - [`ranks`]: the sorted figures a rank is taken from ([`Distributions`]), the one
//!   path ranks read, whole or thin.
//!
//! `Dataset::get` and `Dataset::series` are how the later stages read a figure.

pub mod derive;
pub mod levels;
pub mod national;
pub mod ranks;
pub mod renumber;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::model::geometry::Outlines;
use crate::model::renumbered::Renumbered;
use crate::model::{Atom, Catalogue, Group, Level, Observation, Registry, TOTAAL};
use crate::store::{Inventory, LevelFigures, StoreData};
pub use levels::{derived, derived_with, LevelView};
pub use national::{NATIONAL_COVERAGE, NATIONAL_MIN_GEMEENTEN};
pub use ranks::Distributions;

/// Series of one indicator and group: region → year → index into the observations.
type Series = FxHashMap<Atom, Years>;

/// The years of one region's series, each with the index of its figure, sorted by
/// year. Most series have one to ten years: a short vector per region costs a fraction
/// of a tree node, and a million figures make half a million of them.
#[derive(Debug, Clone, Default)]
struct Years(Vec<(i32, usize)>);

impl Years {
    /// Sets the figure of `year` (a later one replaces an earlier).
    fn insert(&mut self, year: i32, i: usize) {
        match self.0.binary_search_by_key(&year, |e| e.0) {
            Ok(k) => self.0[k].1 = i,
            Err(k) => self.0.insert(k, (year, i)),
        }
    }

    fn get(&self, year: &i32) -> Option<&usize> {
        self.0.binary_search_by_key(year, |e| e.0).ok().map(|k| &self.0[k].1)
    }

    fn iter(&self) -> impl DoubleEndedIterator<Item = (&i32, &usize)> {
        self.0.iter().map(|(y, i)| (y, i))
    }

    fn keys(&self) -> impl DoubleEndedIterator<Item = &i32> {
        self.0.iter().map(|(y, _)| y)
    }
}

impl<'a> IntoIterator for &'a Years {
    type Item = (&'a i32, &'a usize);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (i32, usize)>, fn(&'a (i32, usize)) -> (&'a i32, &'a usize)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(y, i)| (y, i))
    }
}

/// The indexed, read-only view of the store that the later stages use. Derived
/// indicators from the catalogue are computed when it is built.
#[derive(Debug)]
pub struct Dataset {
    /// Regions.
    pub registry: Registry,
    /// Indicators (shared: the shipped catalogue is parsed once per process).
    pub catalogue: Arc<Catalogue>,
    /// Every figure, derived ones included.
    pub observations: Vec<Observation>,
    /// Outlines by code (latest year).
    pub geometry: Outlines,
    /// indicator → group → series; looked up by `&str` at every level, so a query
    /// allocates nothing (compare asks millions of them in a batch).
    index: FxHashMap<Atom, FxHashMap<Group, Series>>,
    /// Renumbered wijken and buurten (see [`renumber`]): the region accessors
    /// ([`Dataset::get`], [`Dataset::series`], [`Dataset::latest_year`]) read the old
    /// code's figures for the years before the new code.
    renumbered: Renumbered,
    /// Which indicator has figures at which level in the whole store, derived
    /// indicators included, whatever [`Scope`] was read.
    inventory: Inventory,
    /// Levels read in thin form (every wijk or buurt, for ranks and peers) while only
    /// some of their regions' full figures are in `observations`.
    pub level_figures: Vec<Arc<LevelFigures>>,
    /// The stored achterstandsindex records of the areas of the gemeenten read (see
    /// [`StoreData::index`]); `compare::achterstand::Indexes` reads them.
    pub index_records: Vec<serde_json::Value>,
    /// Whether the store held the achterstandsindex at all (false for a store written
    /// by an earlier version, and for the demo data, whose index is computed).
    pub index_stored: bool,
}

impl Dataset {
    /// Builds the view from what the store holds.
    pub fn new(mut data: StoreData, catalogue: impl Into<Arc<Catalogue>>) -> Dataset {
        let registry = Registry::new(std::mem::take(&mut data.regions));
        Dataset::with_registry(data, registry, catalogue)
    }

    /// Builds the view from figures and a registry built before (`data.regions` is not
    /// read): the CLI resolves a typed name with the registry before it reads the
    /// figures, and does not build it twice.
    pub fn with_registry(data: StoreData, registry: Registry, catalogue: impl Into<Arc<Catalogue>>) -> Dataset {
        let catalogue = catalogue.into();
        let inventory = derived_inventory(data.inventory, &catalogue);
        let mut geometry: Outlines = HashMap::new();
        for g in data.geometry {
            match geometry.get(&g.code) {
                Some(old) if old.year >= g.year => {}
                _ => {
                    geometry.insert(g.code.clone(), g);
                }
            }
        }
        let mut ds = Dataset {
            registry,
            catalogue,
            observations: data.observations,
            geometry,
            index: FxHashMap::default(),
            renumbered: Renumbered::default(),
            inventory,
            level_figures: data.levels,
            index_records: data.index,
            index_stored: data.index_stored,
        };
        ds.index_from(0);
        ds.renumbered = renumber::links(&ds);
        let derived = derive::figures(&ds);
        ds.append(derived);
        // Computed before the commit from all gemeenten; what follows then computes
        // only those of a store without them.
        ds.append(data.national);
        for compute in [national::sums, national::means, national::by_definition] {
            let new = compute(&ds);
            ds.append(new);
        }
        ds
    }

    /// The levels at which the whole store has figures of `indicator` (the part read
    /// may hold fewer).
    pub fn stored_levels(&self, indicator: &str) -> Option<&BTreeSet<Level>> {
        self.inventory.get(indicator)
    }

    /// The indicator that counts everyone, as the catalogue names it (see
    /// [`Catalogue::population`]); empty, so that no figure is found, for a catalogue
    /// without one.
    pub fn population(&self) -> &str {
        self.catalogue.population().unwrap_or_default()
    }

    /// The earlier code a renumbered region's figures before `year` are under, with the
    /// first year of its own code.
    pub fn renumbered_from(&self, region: &str) -> Option<(&str, i32)> {
        self.renumbered.from(region)
    }

    /// Adds computed figures and indexes only them.
    fn append(&mut self, new: Vec<Observation>) {
        if new.is_empty() {
            return;
        }
        let start = self.observations.len();
        self.observations.extend(new);
        self.index_from(start);
    }

    /// Indexes the observations from `start` on (a later figure for the same cell wins,
    /// as the order of `observations` says). Keys are cloned only when new.
    fn index_from(&mut self, start: usize) {
        for (i, o) in self.observations.iter().enumerate().skip(start) {
            let groups = match self.index.get_mut(o.indicator.as_str()) {
                Some(g) => g,
                None => self.index.entry(o.indicator.clone()).or_default(),
            };
            let series = groups.entry(o.group).or_default();
            match series.get_mut(o.region.as_str()) {
                Some(years) => {
                    years.insert(o.year, i);
                }
                None => {
                    series.entry(o.region.clone()).or_default().insert(o.year, i);
                }
            }
        }
    }

    fn lookup(&self, indicator: &str, group: Group) -> Option<&Series> {
        self.index.get(indicator)?.get(&group)
    }

    /// One figure.
    pub fn get(&self, indicator: &str, group: Group, region: &str, year: i32) -> Option<&Observation> {
        let series = self.lookup(indicator, group)?;
        let i = self.renumbered.figure(region, year, |c| series.get(c)?.get(&year).copied())?;
        Some(&self.observations[i])
    }

    /// The years and figures of one region (a renumbered one's earlier years from its
    /// old code).
    fn years_of(&self, indicator: &str, group: Group, region: &str) -> BTreeMap<i32, usize> {
        let Some(series) = self.lookup(indicator, group) else { return BTreeMap::new() };
        self.renumbered
            .years(region, |c| series.get(c).map(|ys| ys.iter().map(|(y, i)| (*y, *i)).collect()).unwrap_or_default())
    }

    /// All years of one region's figure, oldest first.
    pub fn series(&self, indicator: &str, group: Group, region: &str) -> Vec<&Observation> {
        self.years_of(indicator, group, region).values().map(|&i| &self.observations[i]).collect()
    }

    /// Every region's figure for one indicator, group and year.
    pub fn cross_section(&self, indicator: &str, group: Group, year: i32) -> Vec<&Observation> {
        self.lookup(indicator, group)
            .map(|s| s.values().filter_map(|ys| ys.get(&year)).map(|&i| &self.observations[i]).collect())
            .unwrap_or_default()
    }

    /// Herkomst groups (other than totaal) that have figures for an indicator.
    pub fn groups_of(&self, indicator: &str) -> Vec<Group> {
        let mut g: Vec<Group> = self
            .index
            .get(indicator)
            .map(|groups| groups.keys().filter(|g| **g != TOTAAL).copied().collect())
            .unwrap_or_default();
        g.sort_by_key(|c| c.position());
        g
    }

    /// The latest year for which `region` has a figure (value or suppressed) for an
    /// indicator, at or before `max_year` when given.
    pub fn latest_year(&self, indicator: &str, group: Group, region: &str, max_year: Option<i32>) -> Option<i32> {
        let series = self.lookup(indicator, group)?;
        let latest = self.renumbered.latest(region, max_year, |c, max| {
            let year = series.get(c)?.keys().rev().find(|y| max.is_none_or(|m| **y <= m))?;
            Some((*year, ()))
        });
        latest.map(|(year, ())| year)
    }
}

/// The inventory with the derived indicators: one is there where its count and its
/// population are.
fn derived_inventory(mut inventory: Inventory, catalogue: &Catalogue) -> Inventory {
    for ind in &catalogue.indicators {
        let Some(d) = &ind.derive else { continue };
        let (Some(n), Some(p)) = (inventory.get(&d.numerator), inventory.get(&d.denominator)) else { continue };
        let both: BTreeSet<Level> = n.intersection(p).copied().collect();
        if !both.is_empty() {
            inventory.entry(ind.id.clone()).or_default().extend(both);
        }
    }
    inventory
}

#[cfg(test)]
mod tests;
