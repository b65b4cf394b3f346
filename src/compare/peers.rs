//! Peers: the areas most like a given area in structure, never in outcomes. For one
//! level (gemeenten, wijken or buurten nationwide) every candidate gets a vector of the
//! catalogue's `peer_feature` indicators (size and density on a log scale, age
//! structure, herkomst composition), standardised to z-scores over all candidates; the
//! peers are the [`DEFAULT_PEERS`] nearest by Euclidean distance. Built once per level
//! and shared by every report of a batch.

use std::collections::HashMap;

use serde::Serialize;

use crate::dataset::{Dataset, LevelView};
use crate::model::region::Level;

/// How many peers a report lists.
pub const DEFAULT_PEERS: usize = 10;
/// Fewer usable peers than this: no peer comparison at all.
pub const MIN_PEERS: usize = 3;
/// Candidates with fewer inhabitants are left out (their figures are mostly
/// suppressed).
pub const MIN_INWONERS: f64 = 100.0;
/// A feature may be at most this many years older than the reference year.
const MAX_AGE: i32 = 3;

/// One peer.
#[derive(Debug, Clone, Serialize)]
pub struct Peer {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its gemeente's name.
    pub gemeente_name: String,
    /// Distance in standardised units.
    pub distance: f64,
}

/// The peers of one area.
#[derive(Debug, Clone, Serialize)]
pub struct PeerSet {
    /// Nearest first.
    pub members: Vec<Peer>,
    /// Labels of the features used.
    pub features: Vec<String>,
    /// The year of the features.
    pub year: i32,
}

/// Standardised features of every candidate of one level.
#[derive(Debug)]
pub struct PeerIndex {
    level: Level,
    year: i32,
    features: Vec<(String, String)>,
    codes: Vec<String>,
    rows: Vec<Vec<Option<f64>>>,
    by_code: HashMap<String, usize>,
}

/// A feature's value as compared: sizes and densities (`peer_log` in the catalogue) on
/// a log scale.
fn transform(log: bool, v: f64) -> f64 {
    if log {
        (v.max(0.0) + 1.0).ln()
    } else {
        v
    }
}

fn latest(figures: LevelView<'_>, indicator: &str, code: &str, year: i32) -> Option<f64> {
    let (y, figure) = figures.latest(indicator, code, Some(year))?;
    if year - y > MAX_AGE {
        return None;
    }
    figure.value
}

impl PeerIndex {
    /// Builds the index of `level` for the reference `year`: candidates are regions of
    /// that level with at least [`MIN_INWONERS`] inhabitants in the latest year up to
    /// `year`.
    pub fn build(ds: &Dataset, level: Level, year: i32) -> PeerIndex {
        let features: Vec<(String, String)> = ds
            .catalogue
            .indicators
            .iter()
            .filter(|i| i.peer_feature)
            .map(|i| (i.id.clone(), i.label.clone()))
            .collect();
        let log: Vec<bool> = features.iter().map(|(id, _)| ds.catalogue.get(id).is_some_and(|i| i.peer_log)).collect();
        // Every region of the level, read whole or thin.
        let figures = ds.level_view(level);
        let mut codes = Vec::new();
        let mut rows = Vec::new();
        for r in ds.registry.of_level(level) {
            // Inhabitants in the reference year itself.
            let Some((y, inwoners)) = figures.latest(ds.population(), &r.code, Some(year)) else { continue };
            if y != year || inwoners.value.is_none_or(|n| n < MIN_INWONERS) {
                continue;
            }
            let row: Vec<Option<f64>> = features
                .iter()
                .zip(&log)
                .map(|((id, _), &lg)| latest(figures, id, &r.code, year).map(|v| transform(lg, v)))
                .collect();
            codes.push(r.code.clone());
            rows.push(row);
        }
        // Standardise each feature over the candidates that have it.
        for f in 0..features.len() {
            let vals: Vec<f64> = rows.iter().filter_map(|r| r[f]).collect();
            if vals.len() < 2 {
                rows.iter_mut().for_each(|r| r[f] = None);
                continue;
            }
            let mean = vals.iter().sum::<f64>() / vals.len() as f64;
            let sd = (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (vals.len() - 1) as f64).sqrt();
            for r in rows.iter_mut() {
                r[f] = r[f].map(|v| if sd > 0.0 { (v - mean) / sd } else { 0.0 });
            }
        }
        let by_code = codes.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect();
        PeerIndex { level, year, features, codes, rows, by_code }
    }

    /// The level this index covers.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Number of candidates.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when there are no candidates.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The `k` nearest peers of `code` on the features it has; `None` when the area is
    /// not a candidate (too small, no figures) or fewer than [`MIN_PEERS`] peers exist.
    pub fn peers(&self, ds: &Dataset, code: &str, k: usize) -> Option<PeerSet> {
        let &i = self.by_code.get(code)?;
        let me = &self.rows[i];
        let used: Vec<usize> = (0..self.features.len()).filter(|&f| me[f].is_some()).collect();
        if used.len() < 2 {
            return None;
        }
        let mut dist: Vec<(f64, usize)> = self
            .rows
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .filter_map(|(j, row)| {
                let mut d = 0.0;
                for &f in &used {
                    d += (row[f]? - me[f]?).powi(2);
                }
                Some((d.sqrt(), j))
            })
            .collect();
        if dist.len() < MIN_PEERS {
            return None;
        }
        dist.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| self.codes[a.1].cmp(&self.codes[b.1])));
        dist.truncate(k.max(MIN_PEERS));
        let members = dist
            .into_iter()
            .map(|(d, j)| {
                let code = &self.codes[j];
                let r = ds.registry.get(code);
                Peer {
                    code: code.clone(),
                    name: r.map(|r| r.name.clone()).unwrap_or_else(|| code.clone()),
                    gemeente_name: r.map(|r| r.gemeente_name.clone()).unwrap_or_default(),
                    distance: d,
                }
            })
            .collect();
        Some(PeerSet { members, features: used.iter().map(|&f| self.features[f].1.clone()).collect(), year: self.year })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::testdata::dataset;

    fn peer_codes(ds: &Dataset, code: &str, k: usize) -> Option<Vec<String>> {
        let index = PeerIndex::build(ds, Level::Gemeente, 2024);
        index.peers(ds, code, k).map(|s| s.members.into_iter().map(|m| m.code).collect())
    }

    #[test]
    fn peers_are_the_nearest_in_structure() {
        let ds = dataset(&[]);
        // GM0002..4 are mid-sized and mid-dense like GM0001; the small rural and the
        // large urban gemeenten are far away.
        let peers = peer_codes(&ds, "GM0001", 3).unwrap();
        let mut sorted = peers.clone();
        sorted.sort();
        assert_eq!(sorted, ["GM0002", "GM0003", "GM0004"]);
        assert_eq!(peer_codes(&ds, "GM0005", 1).unwrap()[0], "GM0006", "at least three, the nearest first");
    }

    #[test]
    fn outcomes_never_move_the_peers() {
        let a = peer_codes(&dataset(&[]), "GM0001", 5);
        let b = peer_codes(&dataset(&[("GM0002", 40.0), ("GM0007", 0.1)]), "GM0001", 5);
        assert_eq!(a, b);
    }

    #[test]
    fn sizes_and_densities_are_compared_on_a_log_scale() {
        assert!((transform(true, 999.0) - 1000f64.ln()).abs() < 1e-12);
        assert_eq!(transform(false, 999.0), 999.0);
        let ds = dataset(&[]);
        assert!(ds.catalogue.get("inwoners").unwrap().peer_log);
        assert!(!ds.catalogue.get("aandeel_65plus").unwrap().peer_log);
    }

    #[test]
    fn an_area_that_is_no_candidate_has_no_peers() {
        let ds = dataset(&[]);
        assert!(peer_codes(&ds, "GM9999", 3).is_none());
    }
}
