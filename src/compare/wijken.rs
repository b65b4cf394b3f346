//! The wijken of a gemeente side by side, for the map page of a gemeente's factsheet,
//! and the buurten of a wijk the same way for a wijk's page of its buurten: per
//! indicator marked `wijkkaart` in the catalogue, every area's figure in one year (the
//! newest year in which at least two thirds of the areas have it), under the same
//! small-number and suppression rules as every other figure. Pure: the charts stage
//! draws the maps, the document stage the table.

use serde::Serialize;

use super::Cell;
use crate::dataset::Dataset;
use crate::model::observation::TOTAAL;
use crate::model::region::Level;

/// How many indicators the map page shows at most (a 2 × 3 grid).
pub const MAX_MAPS: usize = 6;

/// One wijk of the gemeente.
#[derive(Debug, Clone, Serialize)]
pub struct Wijk {
    /// Wijk code.
    pub code: String,
    /// Wijk name.
    pub name: String,
    /// Inhabitants in the reference year.
    pub inwoners: Option<f64>,
    /// The year from which CBS marks the wijk as re-bounded (Indelingswijziging 3): its
    /// figures of earlier years belong to another area, so a missing cell of such a year
    /// says "opnieuw ingedeeld", not "geen gegevens".
    pub redivided_since: Option<i32>,
}

impl Wijk {
    /// True when the wijk's figure of `year` is missing because the wijk was re-bounded
    /// after it.
    pub fn redivided_after(&self, year: i32) -> bool {
        self.redivided_since.is_some_and(|since| year < since)
    }
}

/// The areas of one level in a gemeente as its pages list them: the newest indeling,
/// those with inhabitants in the latest year up to `year`, by code. The map page of a
/// gemeente lists these wijken, and a wijk's or buurt's rank within its gemeente counts
/// these and no others ("2 van 19" where the gemeente's page shows 19 wijken).
pub fn listed(ds: &Dataset, gemeente: &str, level: Level, year: i32) -> Vec<Wijk> {
    let children = ds.registry.children(gemeente, level);
    let Some(newest) = children.iter().map(|r| r.year).max() else { return Vec::new() };
    let mut out: Vec<Wijk> = children
        .iter()
        .filter(|r| r.year == newest)
        .filter_map(|r| {
            let y = ds.latest_year(ds.population(), TOTAAL, &r.code, Some(year))?;
            let inwoners = ds.get(ds.population(), TOTAAL, &r.code, y).and_then(|o| o.value).filter(|v| *v > 0.0)?;
            let redivided_since = ds
                .series(crate::model::INDELINGSWIJZIGING, TOTAAL, &r.code)
                .iter()
                .filter(|o| o.value == Some(3.0))
                .map(|o| o.year)
                .max();
            Some(Wijk { code: r.code.clone(), name: r.name.clone(), inwoners: Some(inwoners), redivided_since })
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

/// One indicator across the wijken.
#[derive(Debug, Clone, Serialize)]
pub struct WijkMap {
    /// Indicator id.
    pub indicator: String,
    /// Label.
    pub label: String,
    /// Unit.
    pub unit: crate::model::Unit,
    /// Decimals to print.
    pub decimals: usize,
    /// The one year shown.
    pub year: i32,
    /// Per wijk, in the order of [`Wijken::wijken`].
    pub cells: Vec<Cell>,
    /// The whole the areas are part of in the same year: the gemeente of its wijken,
    /// the wijk of its buurten (the table's last row).
    pub gemeente: Cell,
}

/// The wijken of a gemeente (or the buurten of a wijk) and the indicators compared
/// across them.
#[derive(Debug, Clone, Serialize)]
pub struct Wijken {
    /// Wijken (buurten) of the newest indeling with inhabitants, by code.
    pub wijken: Vec<Wijk>,
    /// Indicators, in catalogue order.
    pub maps: Vec<WijkMap>,
}

/// The wijken of `gemeente` with figures up to `year`; `None` when the gemeente has
/// fewer than two wijken with inhabitants or no indicator is covered well enough.
pub fn wijken(ds: &Dataset, gemeente: &str, year: i32) -> Option<Wijken> {
    compared(ds, gemeente, listed(ds, gemeente, Level::Wijk, year), year)
}

/// The buurten of `wijk` (in `gemeente`) with figures up to `year`, compared the way a
/// gemeente's wijken are, with the wijk as the whole; `None` when the wijk has fewer
/// than two buurten with inhabitants or no indicator is covered well enough.
pub fn buurten(ds: &Dataset, gemeente: &str, wijk: &str, year: i32) -> Option<Wijken> {
    let mut buurten = listed(ds, gemeente, Level::Buurt, year);
    buurten.retain(|b| crate::model::region::wijk_of(&b.code).as_deref() == Some(wijk));
    compared(ds, wijk, buurten, year)
}

/// `wijken` (or buurten), all parts of `whole`, on every indicator marked for a map.
fn compared(ds: &Dataset, whole: &str, wijken: Vec<Wijk>, year: i32) -> Option<Wijken> {
    if wijken.len() < 2 {
        return None;
    }
    // Every indicator marked for a map that enough wijken have, in catalogue order.
    let mut candidates: Vec<(&str, WijkMap)> = Vec::new();
    for ind in ds.catalogue.indicators.iter().filter(|i| i.wijkkaart) {
        // The newest year that at least two thirds of the wijken have.
        let mut years: Vec<i32> =
            wijken.iter().filter_map(|w| ds.latest_year(&ind.id, TOTAAL, &w.code, Some(year))).collect();
        years.sort_unstable();
        years.dedup();
        let Some(y) = years.into_iter().rev().find(|&y| {
            let have = wijken.iter().filter(|w| ds.get(&ind.id, TOTAAL, &w.code, y).is_some()).count();
            3 * have >= 2 * wijken.len()
        }) else {
            continue;
        };
        let cells: Vec<Cell> =
            wijken.iter().map(|w| Cell::of(ds.get(&ind.id, TOTAAL, &w.code, y), ind, Some(y))).collect();
        if cells.iter().all(|c| c.value.is_none()) {
            continue;
        }
        candidates.push((
            ind.theme.as_str(),
            WijkMap {
                indicator: ind.id.clone(),
                label: ind.label.clone(),
                unit: ind.unit,
                decimals: ind.decimals,
                year: y,
                cells,
                gemeente: Cell::of(ds.get(&ind.id, TOTAAL, whole, y), ind, Some(y)),
            },
        ));
    }
    // At most MAX_MAPS: first one per theme, then the others, each in catalogue order,
    // so a theme with several maps (arbeid & inkomen) does not crowd out another
    // theme's only one (energie & duurzaamheid's gas use); shown in catalogue order.
    let mut chosen: Vec<usize> = Vec::new();
    let mut themes = std::collections::HashSet::new();
    for (k, (theme, _)) in candidates.iter().enumerate() {
        if chosen.len() < MAX_MAPS && themes.insert(*theme) {
            chosen.push(k);
        }
    }
    for k in 0..candidates.len() {
        if chosen.len() < MAX_MAPS && !chosen.contains(&k) {
            chosen.push(k);
        }
    }
    let maps: Vec<WijkMap> =
        candidates.into_iter().enumerate().filter(|(k, _)| chosen.contains(k)).map(|(_, (_, m))| m).collect();
    if maps.is_empty() {
        return None;
    }
    Some(Wijken { wijken, maps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::region::Region;
    use crate::model::{Catalogue, Observation, Source};
    use crate::store::StoreData;

    #[test]
    fn every_theme_gets_a_map_before_a_theme_gets_its_second() {
        // Two wijken with a figure for every indicator marked for a map: more than six,
        // three of them of arbeid & inkomen.
        let cat = Catalogue::builtin();
        let marked: Vec<String> = cat.indicators.iter().filter(|i| i.wijkkaart).map(|i| i.id.clone()).collect();
        assert!(marked.len() > MAX_MAPS && marked.iter().any(|m| m == "aardgasverbruik"), "{marked:?}");
        let mut data = StoreData::default();
        let region = |code: &str, level| Region {
            code: code.into(),
            name: code.into(),
            level,
            gemeente_name: "G".into(),
            year: 2024,
        };
        data.regions.extend([
            region("GM0001", Level::Gemeente),
            region("WK000100", Level::Wijk),
            region("WK000101", Level::Wijk),
        ]);
        let source = Source::new("T", "t", true);
        for (k, code) in ["WK000100", "WK000101"].into_iter().enumerate() {
            for id in marked.iter().map(String::as_str).chain(["inwoners"]) {
                let value = if id == "inwoners" { 1000.0 } else { 10.0 + k as f64 };
                data.observations.push(Observation::new(code, 2024, id, Some(value), [source.clone()], "2025-01-01"));
            }
        }
        let ds = Dataset::new(data, cat);
        let w = wijken(&ds, "GM0001", 2024).unwrap();
        let ids: Vec<&str> = w.maps.iter().map(|m| m.indicator.as_str()).collect();
        assert_eq!(ids.len(), MAX_MAPS);
        let themes: std::collections::BTreeSet<&str> =
            ids.iter().map(|id| ds.catalogue.get(id).unwrap().theme.as_str()).collect();
        let all: std::collections::BTreeSet<&str> =
            marked.iter().map(|id| ds.catalogue.get(id).unwrap().theme.as_str()).collect();
        assert_eq!(themes, all, "one map of every theme that has one: {ids:?}");
        // In catalogue order.
        let order: Vec<usize> = ids.iter().map(|id| marked.iter().position(|m| m == id).unwrap()).collect();
        assert!(order.windows(2).all(|p| p[0] < p[1]), "{ids:?}");
    }
}
