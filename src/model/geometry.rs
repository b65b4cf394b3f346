//! Region outlines as the store keeps them and the maps draw them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A region outline (WGS84 lon/lat rings) kept for maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geometry {
    /// Region code.
    pub code: String,
    /// Indeling year.
    pub year: i32,
    /// Outer rings of the (multi)polygon, each a list of [lon, lat].
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Who drew the outline when it is not CBS ("Gemeente Amsterdam, …"), for the
    /// map's credit; empty for CBS's own (PDOK, the wijk- en buurtkaart).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// Region outlines by code (the latest indeling year of each), what the maps draw.
pub type Outlines = HashMap<String, Geometry>;
