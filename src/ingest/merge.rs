//! The import's merge rule: which figure fills a cell when the store and an incoming
//! file both have one (a suppressed figure never replaces a value, else the newer
//! source wins, the same source re-imported replaces itself). Used only by the import.

use std::collections::{BTreeMap, HashMap};

use crate::model::{is_marker, Atom, Group, Observation};

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
    let mut index: HashMap<(Atom, i32, Group, Atom), usize> = existing
        .iter()
        .enumerate()
        .map(|(i, o)| ((o.region.clone(), o.year, o.group, o.indicator.clone()), i))
        .collect();
    for o in incoming {
        let key = (o.region.clone(), o.year, o.group, o.indicator.clone());
        match index.get(&key) {
            None => {
                index.insert(key, existing.len());
                existing.push(o);
                report.added += 1;
            }
            Some(&i) => {
                let old = &existing[i];
                // Several tables of a year carry the same re-division mark: no news.
                if is_marker(&o.indicator) && old.value == o.value {
                    report.unchanged += 1;
                    continue;
                }
                let same_source = old.source_id() == o.source_id() && old.released == o.released;
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
                    *report
                        .replacements
                        .entry((old.source_id().to_string(), o.source_id().to_string()))
                        .or_default() += 1;
                }
                existing[i] = o;
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn obs(value: Option<f64>, source: &str, released: &str) -> Observation {
        Observation::new("GM0001", 2024, "x", value, [Source::new(source, source, true)], released)
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
