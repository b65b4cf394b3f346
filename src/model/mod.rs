//! The data model: figures in long form ([`Observation`]), the region registry, the
//! indicator catalogue and the Parquet store; plus [`Dataset`], the indexed, read-only
//! view that the comparison stage works on, and [`merge`], the rule that decides which
//! source fills a cell.

pub mod catalogue;
pub mod observation;
pub mod region;
pub mod store;

use std::collections::{BTreeMap, HashMap};

pub use catalogue::{Catalogue, Indicator, Polarity};
pub use observation::{Observation, TOTAAL};
pub use region::{Level, Region, Registry, NL};
pub use store::{Geometry, Store, StoreData};

/// What a merge did, for the import report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// New cells.
    pub added: usize,
    /// Cells whose value came from an older source and now from a newer one.
    pub replaced: usize,
    /// Cells re-imported with the same source (idempotent re-import).
    pub unchanged: usize,
    /// Incoming figures ignored because the store has a newer source for the cell.
    pub kept_newer: usize,
    /// (source replaced, source that replaced it) pairs with counts.
    pub replacements: BTreeMap<(String, String), usize>,
}

/// Merges incoming figures into the store's figures. A cell is (region, year, group,
/// indicator). The rule: a suppressed or missing figure never replaces a value; otherwise
/// the source with the later `released` date wins; the same source re-imported replaces
/// itself (idempotent).
pub fn merge(existing: &mut Vec<Observation>, incoming: Vec<Observation>) -> MergeReport {
    let mut report = MergeReport::default();
    let mut index: HashMap<(String, i32, String, String), usize> = existing
        .iter()
        .enumerate()
        .map(|(i, o)| ((o.region.clone(), o.year, o.group.clone(), o.indicator.clone()), i))
        .collect();
    for o in incoming {
        let key = (o.region.clone(), o.year, o.group.clone(), o.indicator.clone());
        match index.get(&key) {
            None => {
                index.insert(key, existing.len());
                existing.push(o);
                report.added += 1;
            }
            Some(&i) => {
                let old = &existing[i];
                let same_source = old.source == o.source && old.released == o.released;
                let new_has_value = o.value.is_some();
                let old_has_value = old.value.is_some();
                let take = if same_source {
                    true
                } else if new_has_value != old_has_value {
                    new_has_value
                } else {
                    o.released > old.released
                };
                if !take {
                    report.kept_newer += 1;
                    continue;
                }
                if same_source {
                    if *old == o {
                        report.unchanged += 1;
                    } else {
                        report.replaced += 1;
                    }
                } else {
                    report.replaced += 1;
                    *report.replacements.entry((old.source.clone(), o.source.clone())).or_default() += 1;
                }
                existing[i] = o;
            }
        }
    }
    report
}

/// Share of gemeenten that must have count and denominator before Nederland is summed.
pub const NATIONAL_COVERAGE: f64 = 0.95;
/// Fewer gemeenten than this in a year: not a national table, no sum.
pub const NATIONAL_MIN_GEMEENTEN: usize = 300;

/// Series of one indicator and group: region → year → index into the observations.
type Series = HashMap<String, BTreeMap<i32, usize>>;

/// The indexed, read-only view of the store that the later stages use. Derived
/// indicators from the catalogue are computed when it is built.
#[derive(Debug)]
pub struct Dataset {
    /// Regions.
    pub registry: Registry,
    /// Indicators.
    pub catalogue: Catalogue,
    /// Every figure, derived ones included.
    pub observations: Vec<Observation>,
    /// Outlines by code (latest year).
    pub geometry: HashMap<String, Geometry>,
    index: HashMap<(String, String), Series>,
}

impl Dataset {
    /// Builds the view from what the store holds.
    pub fn new(data: StoreData, catalogue: Catalogue) -> Dataset {
        let registry = Registry::new(data.regions);
        let mut geometry: HashMap<String, Geometry> = HashMap::new();
        for g in data.geometry {
            match geometry.get(&g.code) {
                Some(old) if old.year >= g.year => {}
                _ => {
                    geometry.insert(g.code.clone(), g);
                }
            }
        }
        let mut ds = Dataset { registry, catalogue, observations: data.observations, geometry, index: HashMap::new() };
        ds.reindex();
        ds.derive();
        ds.national_sums();
        ds
    }

    /// Fills in Nederland where the sources give shares or rates with count and
    /// denominator for (nearly) every gemeente but no national figure (e.g. opleiding
    /// in the KWB): Nederland = Σ count / Σ denominator × scale. Only when at least
    /// [`NATIONAL_COVERAGE`] of at least [`NATIONAL_MIN_GEMEENTEN`] gemeenten have both, so
    /// a partial table never poses as the country.
    fn national_sums(&mut self) {
        type Key = (String, String, i32);
        let mut sums: HashMap<Key, (f64, f64, usize, usize, usize)> = HashMap::new();
        for (i, o) in self.observations.iter().enumerate() {
            if region::code_level(&o.region) != Some(region::Level::Gemeente) {
                continue;
            }
            let e = sums.entry((o.indicator.clone(), o.group.clone(), o.year)).or_insert((0.0, 0.0, 0, 0, i));
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
            if self.get(&indicator, &group, region::NL, year).is_some() {
                continue;
            }
            let src = &self.observations[first];
            new.push(Observation {
                region: region::NL.into(),
                year,
                group,
                indicator,
                value: Some(c / d * scale),
                count: Some(c),
                denominator: Some(d),
                suppressed: false,
                source: src.source.clone(),
                source_title: format!("{} (Nederland: opgeteld over de gemeenten)", src.source_title),
                released: src.released.clone(),
            });
        }
        if !new.is_empty() {
            new.sort_by(|a, b| (&a.indicator, &a.group, a.year).cmp(&(&b.indicator, &b.group, b.year)));
            self.observations.extend(new);
            self.reindex();
        }
    }

    fn reindex(&mut self) {
        self.index.clear();
        for (i, o) in self.observations.iter().enumerate() {
            self.index
                .entry((o.indicator.clone(), o.group.clone()))
                .or_default()
                .entry(o.region.clone())
                .or_default()
                .insert(o.year, i);
        }
    }

    fn derive(&mut self) {
        let mut new = Vec::new();
        for ind in &self.catalogue.indicators {
            let Some(d) = &ind.derive else { continue };
            let Some(num) = self.index.get(&(d.numerator.clone(), TOTAAL.to_string())) else { continue };
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
                    let den_title = den.map(|o| o.source_title.as_str()).filter(|t| *t != n.source_title);
                    new.push(Observation {
                        region: region.clone(),
                        year,
                        group: TOTAAL.into(),
                        indicator: ind.id.clone(),
                        value,
                        count: n.value,
                        denominator: den.and_then(|o| o.value),
                        suppressed: value.is_none(),
                        source: match den {
                            Some(o) if o.source != n.source => format!("{}; {}", n.source, o.source),
                            _ => n.source.clone(),
                        },
                        source_title: match den_title {
                            Some(t) => format!("{}; {}", n.source_title, t),
                            None => n.source_title.clone(),
                        },
                        released: n.released.clone(),
                    });
                }
            }
        }
        if !new.is_empty() {
            self.observations.extend(new);
            self.reindex();
        }
    }

    /// One figure.
    pub fn get(&self, indicator: &str, group: &str, region: &str, year: i32) -> Option<&Observation> {
        let i = *self.index.get(&(indicator.to_string(), group.to_string()))?.get(region)?.get(&year)?;
        Some(&self.observations[i])
    }

    /// All years of one region's figure, oldest first.
    pub fn series(&self, indicator: &str, group: &str, region: &str) -> Vec<&Observation> {
        self.index
            .get(&(indicator.to_string(), group.to_string()))
            .and_then(|s| s.get(region))
            .map(|ys| ys.values().map(|&i| &self.observations[i]).collect())
            .unwrap_or_default()
    }

    /// Every region's figure for one indicator, group and year.
    pub fn cross_section(&self, indicator: &str, group: &str, year: i32) -> Vec<&Observation> {
        self.index
            .get(&(indicator.to_string(), group.to_string()))
            .map(|s| s.values().filter_map(|ys| ys.get(&year)).map(|&i| &self.observations[i]).collect())
            .unwrap_or_default()
    }

    /// Herkomst groups (other than totaal) that have figures for an indicator.
    pub fn groups_of(&self, indicator: &str) -> Vec<String> {
        let mut g: Vec<String> =
            self.index.keys().filter(|(i, g)| i == indicator && g != TOTAAL).map(|(_, g)| g.clone()).collect();
        g.sort_by_key(|c| observation::GROUPS.iter().position(|(k, _)| k == c).unwrap_or(usize::MAX));
        g
    }

    /// The latest year for which `region` has a figure (value or suppressed) for an
    /// indicator, at or before `max_year` when given.
    pub fn latest_year(&self, indicator: &str, group: &str, region: &str, max_year: Option<i32>) -> Option<i32> {
        let ys = self.index.get(&(indicator.to_string(), group.to_string()))?.get(region)?;
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
            .entry((o.indicator.clone(), level.to_string(), o.group.clone()))
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
            group: TOTAAL.into(),
            indicator: "x".into(),
            value,
            count: None,
            denominator: None,
            suppressed: value.is_none(),
            source: source.into(),
            source_title: source.into(),
            released: released.into(),
        }
    }

    #[test]
    fn newer_source_wins_and_reimport_is_idempotent() {
        let mut store = vec![obs(Some(1.0), "A", "2024-01-01")];
        let r = merge(&mut store, vec![obs(Some(1.0), "A", "2024-01-01")]);
        assert_eq!((r.added, r.replaced, r.unchanged), (0, 0, 1));
        let r = merge(&mut store, vec![obs(Some(2.0), "B", "2025-01-01")]);
        assert_eq!(r.replaced, 1);
        assert_eq!(store[0].value, Some(2.0));
        let r = merge(&mut store, vec![obs(Some(3.0), "C", "2023-01-01")]);
        assert_eq!(r.kept_newer, 1);
        assert_eq!(store[0].value, Some(2.0));
    }

    #[test]
    fn suppressed_never_replaces_a_value() {
        let mut store = vec![obs(Some(1.0), "A", "2024-01-01")];
        let r = merge(&mut store, vec![obs(None, "B", "2025-01-01")]);
        assert_eq!(r.kept_newer, 1);
        assert_eq!(store[0].value, Some(1.0));
        let mut store = vec![obs(None, "A", "2024-01-01")];
        merge(&mut store, vec![obs(Some(5.0), "B", "2020-01-01")]);
        assert_eq!(store[0].value, Some(5.0));
    }
}
