//! The data model: figures in long form ([`Observation`]), the region registry, the
//! indicator catalogue and the Parquet store; plus [`Dataset`], the indexed, read-only
//! view that the comparison stage works on, and [`merge`], the rule that decides which
//! source fills a cell.

pub mod atom;
pub mod catalogue;
pub mod geometry;
pub mod herkomst;
pub mod observation;
pub mod region;
pub mod scope;
pub mod simplify;
pub mod store;
pub mod thin;
pub mod unit;

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

pub use atom::{Atom, Interner};
pub use catalogue::{Catalogue, Indicator, Polarity};
pub use geometry::{Geometry, Outlines};
pub use herkomst::Group;
pub use observation::{
    is_kwb_table, is_marker, is_statline_id, kwb_edition, NationalMethod, Observation, Source, INDELINGSWIJZIGING,
    TOTAAL,
};
pub use region::{Level, Region, Registry, NL};
pub use scope::Scope;
pub use store::{Inventory, Regions, Store, StoreData};
pub use thin::{LevelFigures, LevelView, ThinFigure};
pub use unit::{Unit, UnitKind};

/// Share of gemeenten that must have count and denominator before Nederland is summed.
pub const NATIONAL_COVERAGE: f64 = 0.95;
/// Fewer gemeenten than this in a year: not a national table, no sum.
pub const NATIONAL_MIN_GEMEENTEN: usize = 300;

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
    pub catalogue: std::sync::Arc<Catalogue>,
    /// Every figure, derived ones included.
    pub observations: Vec<Observation>,
    /// Outlines by code (latest year).
    pub geometry: Outlines,
    /// indicator → group → series; looked up by `&str` at every level, so a query
    /// allocates nothing (compare asks millions of them in a batch).
    index: FxHashMap<Atom, FxHashMap<Group, Series>>,
    /// Renumbered wijken and buurten: new code → (old code, first year of the new
    /// code), where CBS marks the new code as "code changed, boundaries the same"
    /// (Indelingswijziging 2) and one code of the same name, level and gemeente existed
    /// before. The region accessors ([`Dataset::get`], [`Dataset::series`],
    /// [`Dataset::latest_year`]) read the old code's figures for the years before.
    renumbered: HashMap<String, (String, i32)>,
    /// Which indicator has figures at which level in the whole store, derived
    /// indicators included, whatever [`Scope`] was read.
    inventory: Inventory,
    /// Levels read in thin form (every wijk or buurt, for ranks and peers) while only
    /// some of their regions' full figures are in `observations`.
    pub level_figures: Vec<std::sync::Arc<LevelFigures>>,
}

impl Dataset {
    /// Builds the view from what the store holds.
    pub fn new(mut data: StoreData, catalogue: impl Into<std::sync::Arc<Catalogue>>) -> Dataset {
        let registry = Registry::new(std::mem::take(&mut data.regions));
        Dataset::with_registry(data, registry, catalogue)
    }

    /// Builds the view from figures and a registry built before (`data.regions` is not
    /// read): the CLI resolves a typed name with the registry before it reads the
    /// figures, and does not build it twice.
    pub fn with_registry(
        data: StoreData,
        registry: Registry,
        catalogue: impl Into<std::sync::Arc<Catalogue>>,
    ) -> Dataset {
        let catalogue = catalogue.into();
        let mut inventory = data.inventory;
        // A derived indicator is there where its count and its population are.
        for ind in &catalogue.indicators {
            let Some(d) = &ind.derive else { continue };
            let (Some(n), Some(p)) = (inventory.get(&d.numerator), inventory.get(&d.denominator)) else { continue };
            let both: std::collections::BTreeSet<Level> = n.intersection(p).copied().collect();
            if !both.is_empty() {
                inventory.entry(ind.id.clone()).or_default().extend(both);
            }
        }
        let mut geometry: HashMap<String, Geometry> = HashMap::new();
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
            renumbered: HashMap::new(),
            inventory,
            level_figures: data.levels,
        };
        ds.index_from(0);
        ds.link_renumbered();
        ds.derive();
        // Computed at import from all gemeenten; what follows then computes only those
        // of a store without them.
        if !data.national.is_empty() {
            ds.append(data.national);
        }
        ds.national_sums();
        ds.national_means();
        ds.national_by_definition();
        ds
    }

    /// Finds the renumbered regions (see [`Dataset::renumbered`]).
    fn link_renumbered(&mut self) {
        let Some(marks) = self.lookup(INDELINGSWIJZIGING, TOTAAL) else { return };
        let mut links: Vec<(String, (String, i32))> = Vec::new();
        for (code, years) in marks {
            let Some(since) = years.iter().find(|(_, &i)| self.observations[i].value == Some(2.0)).map(|(y, _)| *y)
            else {
                continue;
            };
            let Some(region) = self.registry.get(code) else { continue };
            if region.level == region::Level::Gemeente {
                continue;
            }
            let earlier: Vec<&String> = self
                .registry
                .codes_named(&region.name)
                .iter()
                .filter(|c| *c != code)
                .filter(|c| {
                    self.registry
                        .get(c)
                        .is_some_and(|r| r.level == region.level && r.gemeente() == region.gemeente() && r.year < since)
                })
                .collect();
            if let [old] = earlier.as_slice() {
                links.push((code.to_string(), ((*old).clone(), since)));
            }
        }
        self.renumbered.extend(links);
    }

    /// The levels at which the whole store has figures of `indicator` (the part read
    /// may hold fewer).
    pub fn stored_levels(&self, indicator: &str) -> Option<&std::collections::BTreeSet<Level>> {
        self.inventory.get(indicator)
    }

    /// The earlier code a renumbered region's figures before `year` are under, with the
    /// first year of its own code.
    pub fn renumbered_from(&self, region: &str) -> Option<(&str, i32)> {
        self.renumbered.get(region).map(|(c, y)| (c.as_str(), *y))
    }

    /// Fills in Nederland where the sources give shares or rates with count and
    /// denominator for (nearly) every gemeente but no national figure (e.g. opleiding
    /// in the KWB): Nederland = Σ count / Σ denominator × scale. Only when at least
    /// [`NATIONAL_COVERAGE`] of at least [`NATIONAL_MIN_GEMEENTEN`] gemeenten have both, so
    /// a partial table never poses as the country.
    fn national_sums(&mut self) {
        type Key = (Atom, Group, i32);
        let mut sums: FxHashMap<Key, (f64, f64, usize, usize, usize)> = FxHashMap::default();
        for (i, o) in self.observations.iter().enumerate() {
            if region::code_level(&o.region) != Some(region::Level::Gemeente) {
                continue;
            }
            let e = sums.entry((o.indicator.clone(), o.group, o.year)).or_insert((0.0, 0.0, 0, 0, i));
            e.2 += 1;
            if let (Some(c), Some(d), false) = (o.count, o.denominator, o.suppressed) {
                if d > 0.0 {
                    e.0 += c;
                    e.1 += d;
                    e.3 += 1;
                }
            }
        }
        let mut new = Vec::new();
        for ((indicator, group, year), (c, d, all, with, first)) in sums {
            let Some(scale) = self.catalogue.get(&indicator).and_then(|i| i.scale()) else { continue };
            if all < NATIONAL_MIN_GEMEENTEN || (with as f64) < NATIONAL_COVERAGE * all as f64 || d <= 0.0 {
                continue;
            }
            if self.get(&indicator, group, region::NL, year).is_some() {
                continue;
            }
            let src = &self.observations[first];
            new.push(Observation {
                region: region::NL.into(),
                year,
                group,
                indicator: indicator.clone(),
                value: Some(c / d * scale),
                count: Some(c),
                denominator: Some(d),
                suppressed: false,
                sources: src.sources.clone(),
                national: Some(Box::new(NationalMethod::Summed)),
                released: src.released.clone(),
            });
        }
        if !new.is_empty() {
            new.sort_by(|a, b| (&a.indicator, &a.group, a.year).cmp(&(&b.indicator, &b.group, b.year)));
            self.append(new);
        }
    }

    /// Fills in Nederland for indicators with a `national_weight` where no source gives a
    /// national figure: Nederland = Σ value × weight / Σ weight over the gemeenten, the
    /// weight taken from the same year (else the year before or after). The same
    /// coverage rule as [`Dataset::national_sums`] applies, counted in gemeenten and in
    /// weight, so a partial table never poses as the country.
    fn national_means(&mut self) {
        let mut new = Vec::new();
        for ind in &self.catalogue.indicators {
            let Some(weight) = &ind.national_weight else { continue };
            let Some(series) = self.lookup(&ind.id, TOTAAL) else { continue };
            // year → (Σ v·w, Σ w, gemeenten, gemeenten with value and weight, first obs)
            let mut acc: BTreeMap<i32, (f64, f64, usize, usize, usize)> = BTreeMap::new();
            // Sorted, so the sum (and the bytes of every PDF) does not depend on hash order.
            let mut codes: Vec<(&Atom, &Years)> = series.iter().collect();
            codes.sort_by(|a, b| a.0.cmp(b.0));
            for (code, years) in codes {
                if region::code_level(code) != Some(region::Level::Gemeente) {
                    continue;
                }
                for (&year, &i) in years {
                    let e = acc.entry(year).or_insert((0.0, 0.0, 0, 0, i));
                    e.2 += 1;
                    let o = &self.observations[i];
                    let Some(v) = o.value.filter(|_| !o.suppressed) else { continue };
                    let w = [year, year - 1, year + 1]
                        .into_iter()
                        .find_map(|y| self.get(weight, TOTAAL, code, y).and_then(|o| o.value))
                        .filter(|w| *w > 0.0);
                    if let Some(w) = w {
                        e.0 += v * w;
                        e.1 += w;
                        e.3 += 1;
                    }
                }
            }
            for (year, (vw, w, all, with, first)) in acc {
                if all < NATIONAL_MIN_GEMEENTEN || (with as f64) < NATIONAL_COVERAGE * all as f64 || w <= 0.0 {
                    continue;
                }
                if self.get(&ind.id, TOTAAL, region::NL, year).is_some() {
                    continue;
                }
                let weight =
                    self.catalogue.get(weight).map(|i| i.label.to_lowercase()).unwrap_or_else(|| weight.clone());
                new.push(self.national_figure(&ind.id, year, vw / w, first, NationalMethod::WeightedMean { weight }));
            }
        }
        if !new.is_empty() {
            self.append(new);
        }
    }

    /// Fills in Nederland for indicators whose definition fixes it (`national_value`),
    /// in every year the store has the indicator for some region.
    fn national_by_definition(&mut self) {
        let mut new = Vec::new();
        for ind in &self.catalogue.indicators {
            let Some(value) = ind.national_value else { continue };
            let Some(series) = self.lookup(&ind.id, TOTAAL) else { continue };
            // year → the first figure of that year, for its source.
            let mut years: BTreeMap<i32, usize> = BTreeMap::new();
            for by_year in series.values() {
                for (&y, &i) in by_year {
                    let e = years.entry(y).or_insert(i);
                    *e = (*e).min(i);
                }
            }
            for (year, first) in years {
                if self.get(&ind.id, TOTAAL, region::NL, year).is_some() {
                    continue;
                }
                new.push(self.national_figure(&ind.id, year, value, first, NationalMethod::Definition));
            }
        }
        if !new.is_empty() {
            self.append(new);
        }
    }

    /// A national figure the tool computed (or the definition fixes), credited to the
    /// source of the figure at index `first`.
    fn national_figure(
        &self,
        indicator: &str,
        year: i32,
        value: f64,
        first: usize,
        how: NationalMethod,
    ) -> Observation {
        let src = &self.observations[first];
        Observation {
            region: region::NL.into(),
            year,
            group: TOTAAL,
            indicator: indicator.into(),
            value: Some(value),
            count: None,
            denominator: None,
            suppressed: false,
            sources: src.sources.clone(),
            national: Some(Box::new(how)),
            released: src.released.clone(),
        }
    }

    /// Adds computed figures and indexes only them.
    fn append(&mut self, new: Vec<Observation>) {
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

    fn derive(&mut self) {
        let mut new = Vec::new();
        for ind in &self.catalogue.indicators {
            let Some(d) = &ind.derive else { continue };
            let Some(num) = self.lookup(&d.numerator, TOTAAL) else { continue };
            for (region, years) in num {
                for (&year, &i) in years {
                    let n = &self.observations[i];
                    let den = self.get(&d.denominator, TOTAAL, region, year);
                    let value = match (n.value, den.and_then(|o| o.value)) {
                        (Some(a), Some(b)) if b > 0.0 => Some(a / b * d.scale),
                        _ => None,
                    };
                    if value.is_none() && !n.suppressed {
                        continue;
                    }
                    new.push(Observation {
                        region: region.clone(),
                        year,
                        group: TOTAAL,
                        indicator: ind.id.as_str().into(),
                        value,
                        count: n.value,
                        denominator: den.and_then(|o| o.value),
                        suppressed: value.is_none(),
                        sources: {
                            let extra: Vec<&std::sync::Arc<Source>> = den
                                .iter()
                                .flat_map(|o| o.sources.iter())
                                .filter(|d| !n.sources.iter().any(|x| x.id == d.id))
                                .collect();
                            if extra.is_empty() {
                                n.sources.clone()
                            } else {
                                n.sources.iter().chain(extra).cloned().collect()
                            }
                        },
                        national: None,
                        released: n.released.clone(),
                    });
                }
            }
        }
        if !new.is_empty() {
            self.append(new);
        }
    }

    /// One figure.
    pub fn get(&self, indicator: &str, group: Group, region: &str, year: i32) -> Option<&Observation> {
        let series = self.lookup(indicator, group)?;
        let own = series.get(region).and_then(|ys| ys.get(&year));
        let i = match (own, self.renumbered.get(region)) {
            (Some(i), _) => *i,
            (None, Some((old, since))) if year < *since => *series.get(old.as_str())?.get(&year)?,
            _ => return None,
        };
        Some(&self.observations[i])
    }

    /// The years and figures of one region (a renumbered one's earlier years from its
    /// old code).
    fn years_of(&self, indicator: &str, group: Group, region: &str) -> BTreeMap<i32, usize> {
        let Some(series) = self.lookup(indicator, group) else { return BTreeMap::new() };
        let mut out: BTreeMap<i32, usize> =
            series.get(region).map(|ys| ys.iter().map(|(y, i)| (*y, *i)).collect()).unwrap_or_default();
        if let Some((old, since)) = self.renumbered.get(region) {
            for (&y, &i) in series.get(old.as_str()).into_iter().flatten() {
                if y < *since {
                    out.entry(y).or_insert(i);
                }
            }
        }
        out
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
        if !self.renumbered.contains_key(region) {
            let ys = series.get(region)?;
            return ys.keys().rev().find(|y| max_year.is_none_or(|m| **y <= m)).copied();
        }
        let ys = self.years_of(indicator, group, region);
        ys.keys().rev().find(|y| max_year.is_none_or(|m| **y <= m)).copied()
    }
}

/// Coverage of the store for `data status`: per indicator, per level and group, which
/// years have how many regions with a value.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Coverage {
    /// (indicator, level, group) → year → regions with a value.
    pub cells: BTreeMap<(String, String, String), BTreeMap<i32, usize>>,
    /// Regions in the registry per level and indeling year.
    pub regions: BTreeMap<(String, i32), usize>,
}

/// Computes [`Coverage`] from the store's content.
pub fn coverage(data: &StoreData) -> Coverage {
    let mut c = Coverage::default();
    for o in &data.observations {
        if o.value.is_none() {
            continue;
        }
        let level = region::code_level(&o.region).map(|l| l.noun()).unwrap_or("?");
        *c.cells
            .entry((o.indicator.to_string(), level.to_string(), o.group.code().to_string()))
            .or_default()
            .entry(o.year)
            .or_default() += 1;
    }
    for r in &data.regions {
        *c.regions.entry((r.level.noun().to_string(), r.year)).or_default() += 1;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(value: Option<f64>, source: &str, released: &str) -> Observation {
        Observation {
            region: "GM0001".into(),
            year: 2024,
            group: TOTAAL,
            indicator: "x".into(),
            value,
            count: None,
            denominator: None,
            suppressed: value.is_none(),
            sources: vec![Source::new(source, source, true)].into(),
            national: None,
            released: released.into(),
        }
    }

    fn at(region: String, indicator: &str, year: i32, value: f64) -> Observation {
        Observation {
            region: region.into(),
            indicator: indicator.into(),
            year,
            ..obs(Some(value), "KWB", "2024-01-01")
        }
    }

    #[test]
    fn nederland_is_the_weighted_mean_of_the_gemeenten_when_no_source_has_it() {
        // 320 fictional gemeenten: a tenth large (50.000 woningen, leegstand 10%), the
        // rest small (5.000 woningen, leegstand 2%).
        let mut o = Vec::new();
        for k in 0..320 {
            let code = format!("GM{:04}", k + 1);
            let big = k % 10 == 0;
            o.push(at(code.clone(), "woningvoorraad", 2023, if big { 50_000.0 } else { 5_000.0 }));
            o.push(at(code.clone(), "leegstand", 2022, if big { 10.0 } else { 2.0 }));
            // Income of 2019 with inwoners of 2021 only: two years apart is not near enough.
            o.push(at(code.clone(), "inkomen_per_inwoner", 2019, 30.0));
            o.push(at(code, "inwoners", 2021, 1.0));
        }
        let data = StoreData { observations: o, ..Default::default() };
        let ds = Dataset::new(data, Catalogue::builtin());
        // Weight from the year after (2023): (32 × 50.000 × 10 + 288 × 5.000 × 2) / (32 × 50.000 + 288 × 5.000).
        let nl = ds.get("leegstand", TOTAAL, region::NL, 2022).expect("computed Nederland");
        let expect = (32.0 * 50_000.0 * 10.0 + 288.0 * 5_000.0 * 2.0) / (32.0 * 50_000.0 + 288.0 * 5_000.0);
        assert!((nl.value.unwrap() - expect).abs() < 1e-9, "{:?}", nl.value);
        assert_eq!(nl.national.as_ref().unwrap().note(), "gemiddelde van de gemeenten, gewogen naar woningvoorraad");
        assert_eq!(nl.count, None);
        // No weight within a year: no Nederland rather than a guess.
        assert!(ds.get("inkomen_per_inwoner", TOTAAL, region::NL, 2019).is_none());
        // Too few gemeenten: no Nederland either.
        let few: Vec<Observation> = (0..50)
            .flat_map(|k| {
                let code = format!("GM{:04}", k + 1);
                [at(code.clone(), "woningvoorraad", 2023, 100.0), at(code, "leegstand", 2023, 3.0)]
            })
            .collect();
        let ds = Dataset::new(StoreData { observations: few, ..Default::default() }, Catalogue::builtin());
        assert!(ds.get("leegstand", TOTAAL, region::NL, 2023).is_none());
    }
}
