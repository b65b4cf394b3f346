//! The herkomst composition of an area, its gemeente and Nederland: the finest split
//! (herkomst × geboren in/buiten Nederland, else herkomst) that the area has in full,
//! the same split for all three so the bars compare, and counts with shares.

use super::result::{Composition, Part};
use crate::dataset::Dataset;
use crate::model::observation::{Group, Observation, TOTAAL};
use crate::model::region::{Region, NL};

/// The compositions of `region`, its gemeente (for a wijk or buurt) and Nederland in
/// `year`, leaving out those without figures.
pub(crate) fn compositions(ds: &Dataset, region: &Region, gemeente: Option<&Region>, year: i32) -> Vec<Composition> {
    let code = region.code.as_str();
    let mut composition = Vec::new();
    let mut who = vec![(code.to_string(), region.name.clone())];
    if let Some(g) = gemeente {
        who.push((g.code.clone(), g.name.clone()));
    }
    who.push((NL.to_string(), "Nederland".to_string()));
    let split = composition_split(ds, code, year);
    for (c, name) in who {
        if let Some(comp) = composition_of(ds, &c, &name, year, split) {
            composition.push(comp);
        }
    }
    composition
}

/// The indicators that give the composition as shares when there are no counts per
/// group. The factsheet shows them in the herkomst section, not again in a theme table.
pub const SHARE_INDICATORS: [(Group, &str); 3] = [
    (Group::Nederland, "herkomst_nederland"),
    (Group::Europa, "herkomst_europa"),
    (Group::BuitenEuropa, "herkomst_buiten_europa"),
];

/// The herkomst groups of a composition, finest split first.
const SPLITS: &[&[Group]] = &[
    &[
        Group::Nederland,
        Group::EuropaGebNl,
        Group::EuropaGebBuitenland,
        Group::BuitenEuropaGebNl,
        Group::BuitenEuropaGebBuitenland,
    ],
    &[Group::Nederland, Group::Europa, Group::BuitenEuropa],
];

/// The split to use for an area: the finest one with every part present (the same
/// split is then used for its gemeente and Nederland, so the bars compare).
fn composition_split(ds: &Dataset, code: &str, year: i32) -> Option<&'static [Group]> {
    SPLITS.iter().copied().find(|split| split.iter().all(|g| ds.get(ds.population(), *g, code, year).is_some()))
}

fn composition_of(ds: &Dataset, code: &str, name: &str, year: i32, split: Option<&[Group]>) -> Option<Composition> {
    let total = ds.get(ds.population(), TOTAAL, code, year).and_then(|o| o.value);
    if let Some(split) = split {
        let obs: Vec<Option<&Observation>> = split.iter().map(|g| ds.get(ds.population(), *g, code, year)).collect();
        if obs.iter().all(|o| o.is_none()) {
            return None;
        }
        let source = obs.iter().flatten().find_map(|o| o.sources.first().cloned());
        let parts = split
            .iter()
            .zip(&obs)
            .map(|(g, o)| {
                let count = o.filter(|o| !o.suppressed).and_then(|o| o.value);
                Part {
                    group: *g,
                    label: g.label().to_string(),
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
    let ids = SHARE_INDICATORS;
    let obs: Vec<Option<&Observation>> = ids.iter().map(|(_, i)| ds.get(i, TOTAAL, code, year)).collect();
    if obs.iter().all(|o| o.is_none()) {
        return None;
    }
    let source = obs.iter().flatten().find_map(|o| o.sources.first().cloned());
    Some(Composition {
        name: name.to_string(),
        year,
        parts: ids
            .iter()
            .zip(&obs)
            .map(|((g, _), o)| {
                let share = o.filter(|o| !o.suppressed).and_then(|o| o.value);
                Part {
                    group: *g,
                    label: g.label().to_string(),
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
