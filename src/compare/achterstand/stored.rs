//! The index as a factsheet reads it: each area's [`RegionIndex`] by code, from the
//! records the import computed once per level and the store kept (the usual way), or
//! computed now from a dataset that holds the whole level (a recipe of the user's,
//! `--index-config`, and the demo data). Computing needs every area of a level and takes
//! seconds for the buurten; reading a gemeente's records takes milliseconds.

use rustc_hash::FxHashMap;

use super::{Achterstand, IndexConfig, RegionIndex, Settings};
use crate::dataset::Dataset;
use crate::error::Error;
use crate::model::region::Level;

/// The levels the index ranks.
pub const LEVELS: [Level; 3] = [Level::Gemeente, Level::Wijk, Level::Buurt];

/// Each area's index by code (see the module header).
#[derive(Debug, Clone, Default)]
pub struct Indexes {
    by_code: FxHashMap<String, RegionIndex>,
}

impl Indexes {
    /// The areas of computed levels.
    pub fn computed(levels: &[Achterstand]) -> Indexes {
        let by_code = levels.iter().flat_map(|l| &l.regions).map(|r| (r.code.clone(), r.clone())).collect();
        Indexes { by_code }
    }

    /// Computes every level that `ds` holds whole or thin with `config`; a level it holds
    /// only in part (a factsheet's dataset holds only its own level thin) is left out.
    pub fn compute(ds: &Dataset, config: &IndexConfig, year: Option<i32>) -> Indexes {
        let settings = Settings { year, ..Settings::default() };
        let levels: Vec<Achterstand> =
            LEVELS.iter().filter_map(|l| Achterstand::compute(ds, *l, config, &settings).ok()).collect();
        Indexes::computed(&levels)
    }

    /// The records the store kept for the gemeenten `ds` read. A record that does not
    /// read is a damaged store.
    pub fn stored(ds: &Dataset) -> crate::Result<Indexes> {
        let mut by_code = FxHashMap::default();
        for v in &ds.index_records {
            let r: RegionIndex = serde_json::from_value(v.clone()).map_err(|e| Error::Store {
                message: format!("index.json: een record van de achterstandsindex is onleesbaar: {e}"),
                hint: "lees de gegevens opnieuw in (`wijkmonitor data import …`)".into(),
            })?;
            by_code.insert(r.code.clone(), r);
        }
        Ok(Indexes { by_code })
    }

    /// One area's index.
    pub fn get(&self, code: &str) -> Option<&RegionIndex> {
        self.by_code.get(code)
    }

    /// True when no area has an index.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

/// What the import stores: every level of the dataset of all figures computed with the
/// shipped recipe, one record per area (a level without enough areas with figures, as in
/// a small test store, has none).
pub fn records(ds: &Dataset) -> Vec<(String, serde_json::Value)> {
    let config = IndexConfig::builtin(&ds.catalogue);
    let mut out = Vec::new();
    for level in LEVELS {
        let Ok(index) = Achterstand::compute(ds, level, &config, &Settings::default()) else { continue };
        for r in index.regions {
            if let Ok(v) = serde_json::to_value(&r) {
                out.push((r.code.clone(), v));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;
    use crate::store::Scope;

    #[test]
    fn a_stored_record_reads_back_as_computed() {
        let ds = Session::demo().unwrap().dataset(&Scope::all()).unwrap();
        let computed = Indexes::compute(&ds, &IndexConfig::builtin(&ds.catalogue), None);
        let wijk = computed.get("WK999000").expect("the demo wijk has an index");
        let mut ds = ds;
        ds.index_records = records(&ds).into_iter().map(|(_, v)| v).collect();
        let stored = Indexes::stored(&ds).unwrap();
        // What a page prints is the same (a float read back may differ in its last bit).
        assert_eq!(stored.get("WK999000").map(|r| r.profile()), Some(wijk.profile()));
        ds.index_records.push(serde_json::json!({"code": "WK1"}));
        assert!(Indexes::stored(&ds).unwrap_err().to_string().contains("onleesbaar"));
    }
}
