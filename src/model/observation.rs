//! One figure in long form: region × year × herkomst group × indicator, with the count
//! and denominator where the source has them, and the source it came from.

use serde::{Deserialize, Serialize};

/// The herkomst group of the whole population.
pub const TOTAAL: &str = "totaal";

/// The herkomst groups the store knows, with their person-first Dutch label. The CBS
/// classification since 2022: herkomstland Nederland / Europa (excl. NL) / buiten
/// Europa, crossed with geboren in / buiten Nederland.
pub const GROUPS: &[(&str, &str)] = &[
    ("totaal", "alle inwoners"),
    ("nederland", "inwoners met een Nederlandse herkomst"),
    ("europa", "inwoners met een herkomst in Europa (buiten Nederland)"),
    ("buiten_europa", "inwoners met een herkomst buiten Europa"),
    ("buiten_nederland", "inwoners met een herkomst buiten Nederland"),
    ("europa_geb_nl", "in Nederland geboren, herkomst in Europa"),
    ("europa_geb_buitenland", "buiten Nederland geboren, herkomst in Europa"),
    ("buiten_europa_geb_nl", "in Nederland geboren, herkomst buiten Europa"),
    ("buiten_europa_geb_buitenland", "buiten Nederland geboren, herkomst buiten Europa"),
    ("geb_nl", "in Nederland geboren"),
    ("geb_buitenland", "buiten Nederland geboren"),
];

/// The label of a group code, or the code itself for a user-defined group.
pub fn group_label(code: &str) -> &str {
    GROUPS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or(code)
}

/// True for a group code the tool knows.
pub fn is_known_group(code: &str) -> bool {
    GROUPS.iter().any(|(c, _)| *c == code)
}

/// One figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Normalised region code (NL01, GMxxxx, WKxxxxxx, BUxxxxxxxx).
    pub region: String,
    /// Reference year (the period's year).
    pub year: i32,
    /// Herkomst group code ([`TOTAAL`] for everyone).
    pub group: String,
    /// Indicator id from the catalogue.
    pub indicator: String,
    /// The value in the indicator's unit; `None` when the source suppressed or lacks it.
    pub value: Option<f64>,
    /// The count behind the value (persons, dwellings …), where the source has it.
    pub count: Option<f64>,
    /// The population the count is a share of, where the source has it.
    pub denominator: Option<f64>,
    /// The source marked the cell as secret or not available ("." or -99999999).
    pub suppressed: bool,
    /// Source table id ("85984NED") or a user source name.
    pub source: String,
    /// Source title for the PDF ("CBS, Kerncijfers wijken en buurten 2024").
    pub source_title: String,
    /// Version date of the source (YYYY-MM-DD); the newer source wins a cell.
    pub released: String,
}

impl Observation {
    /// The identity of the cell this figure fills.
    pub fn key(&self) -> (&str, i32, &str, &str) {
        (&self.region, self.year, &self.group, &self.indicator)
    }
}
