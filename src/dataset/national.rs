//! Nederland where no source gives it, computed from all gemeenten when the dataset is
//! built: summed from counts and denominators (`sums`), the mean weighted by the
//! population the figure is taken of (`means`), or fixed by the measure's definition
//! (`by_definition`). Each only when (nearly) every gemeente has the figure, so a
//! partial table never poses as the country. A commit keeps them (see
//! [`derived`](super::derived)), so a factsheet that reads one gemeente still has them.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::{Dataset, Years};
use crate::model::region::{self, Level};
use crate::model::{Atom, Group, NationalMethod, Observation, TOTAAL};

/// Share of gemeenten that must have count and denominator before Nederland is summed.
pub const NATIONAL_COVERAGE: f64 = 0.95;
/// Fewer gemeenten than this in a year: not a national table, no sum.
pub const NATIONAL_MIN_GEMEENTEN: usize = 300;

/// Fills in Nederland where the sources give shares or rates with count and
/// denominator for (nearly) every gemeente but no national figure (e.g. opleiding
/// in the KWB): Nederland = Σ count / Σ denominator × scale. Only when at least
/// [`NATIONAL_COVERAGE`] of at least [`NATIONAL_MIN_GEMEENTEN`] gemeenten have both, so
/// a partial table never poses as the country.
pub(super) fn sums(ds: &Dataset) -> Vec<Observation> {
    type Key = (Atom, Group, i32);
    let mut sums: FxHashMap<Key, (f64, f64, usize, usize, usize)> = FxHashMap::default();
    for (i, o) in ds.observations.iter().enumerate() {
        if region::code_level(&o.region) != Some(Level::Gemeente) {
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
        let Some(scale) = ds.catalogue.get(&indicator).and_then(|i| i.scale()) else { continue };
        if all < NATIONAL_MIN_GEMEENTEN || (with as f64) < NATIONAL_COVERAGE * all as f64 || d <= 0.0 {
            continue;
        }
        if ds.get(&indicator, group, region::NL, year).is_some() {
            continue;
        }
        let src = &ds.observations[first];
        new.push(
            Observation::new(
                region::NL,
                year,
                indicator.clone(),
                Some(c / d * scale),
                src.sources.clone(),
                src.released.clone(),
            )
            .in_group(group)
            .counted(Some(c), Some(d))
            .computed(NationalMethod::Summed),
        );
    }
    new.sort_by(|a, b| (&a.indicator, &a.group, a.year).cmp(&(&b.indicator, &b.group, b.year)));
    new
}

/// Fills in Nederland for indicators with a `national_weight` where no source gives a
/// national figure: Nederland = Σ value × weight / Σ weight over the gemeenten, the
/// weight taken from the same year (else the year before or after). The same
/// coverage rule as [`sums`] applies, counted in gemeenten and in
/// weight, so a partial table never poses as the country.
pub(super) fn means(ds: &Dataset) -> Vec<Observation> {
    let mut new = Vec::new();
    for ind in &ds.catalogue.indicators {
        let Some(weight) = &ind.national_weight else { continue };
        let Some(series) = ds.lookup(&ind.id, TOTAAL) else { continue };
        // year → (Σ v·w, Σ w, gemeenten, gemeenten with value and weight, first obs)
        let mut acc: BTreeMap<i32, (f64, f64, usize, usize, usize)> = BTreeMap::new();
        // Sorted, so the sum (and the bytes of every PDF) does not depend on hash order.
        let mut codes: Vec<(&Atom, &Years)> = series.iter().collect();
        codes.sort_by(|a, b| a.0.cmp(b.0));
        for (code, years) in codes {
            if region::code_level(code) != Some(Level::Gemeente) {
                continue;
            }
            for (&year, &i) in years {
                let e = acc.entry(year).or_insert((0.0, 0.0, 0, 0, i));
                e.2 += 1;
                let o = &ds.observations[i];
                let Some(v) = o.value.filter(|_| !o.suppressed) else { continue };
                let w = [year, year - 1, year + 1]
                    .into_iter()
                    .find_map(|y| ds.get(weight, TOTAAL, code, y).and_then(|o| o.value))
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
            if ds.get(&ind.id, TOTAAL, region::NL, year).is_some() {
                continue;
            }
            let weight = ds.catalogue.get(weight).map(|i| i.label.to_lowercase()).unwrap_or_else(|| weight.clone());
            new.push(national_figure(ds, &ind.id, year, vw / w, first, NationalMethod::WeightedMean { weight }));
        }
    }
    new
}

/// Fills in Nederland for indicators whose definition fixes it (`national_value`),
/// in every year the store has the indicator for some region.
pub(super) fn by_definition(ds: &Dataset) -> Vec<Observation> {
    let mut new = Vec::new();
    for ind in &ds.catalogue.indicators {
        let Some(value) = ind.national_value else { continue };
        let Some(series) = ds.lookup(&ind.id, TOTAAL) else { continue };
        // year → the first figure of that year, for its source.
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        for by_year in series.values() {
            for (&y, &i) in by_year {
                let e = years.entry(y).or_insert(i);
                *e = (*e).min(i);
            }
        }
        for (year, first) in years {
            if ds.get(&ind.id, TOTAAL, region::NL, year).is_some() {
                continue;
            }
            new.push(national_figure(ds, &ind.id, year, value, first, NationalMethod::Definition));
        }
    }
    new
}

/// A national figure the tool computed (or the definition fixes), credited to the
/// source of the figure at index `first`.
fn national_figure(
    ds: &Dataset,
    indicator: &str,
    year: i32,
    value: f64,
    first: usize,
    how: NationalMethod,
) -> Observation {
    let src = &ds.observations[first];
    Observation::new(region::NL, year, indicator, Some(value), src.sources.clone(), src.released.clone()).computed(how)
}
