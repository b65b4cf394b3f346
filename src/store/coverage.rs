//! What the store holds, for `data status`: per indicator, level and herkomst group the
//! years with how many regions have a value, and the regions per indeling year.

use std::collections::BTreeMap;

use super::StoreData;
use crate::model::region::code_level;

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
        let level = code_level(&o.region).map(|l| l.noun()).unwrap_or("?");
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
