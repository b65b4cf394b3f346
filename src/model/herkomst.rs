//! Herkomst groups as a type. CBS's classification since 2022: herkomstland Nederland,
//! Europa (excluding Nederland) and buiten Europa, crossed with geboren in or buiten
//! Nederland. The set is fixed, so it is an enum: source descriptions and tidy CSV are
//! parsed into it once, when they are read, and this file is the one place that holds
//! each group's code (stable, in the store and the exports) and its person-first Dutch
//! label.

use serde::{Deserialize, Serialize};

/// A herkomst group, or everyone ([`Group::Totaal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// Everyone.
    Totaal,
    /// Herkomstland Nederland.
    Nederland,
    /// Herkomst in Europa, excluding Nederland.
    Europa,
    /// Herkomst buiten Europa.
    BuitenEuropa,
    /// Herkomst buiten Nederland (Europa and buiten Europa together).
    BuitenNederland,
    /// Born in Nederland, herkomst in Europa.
    EuropaGebNl,
    /// Born abroad, herkomst in Europa.
    EuropaGebBuitenland,
    /// Born in Nederland, herkomst buiten Europa.
    BuitenEuropaGebNl,
    /// Born abroad, herkomst buiten Europa.
    BuitenEuropaGebBuitenland,
    /// Born in Nederland (any herkomst).
    GebNl,
    /// Born abroad (any herkomst).
    GebBuitenland,
}

impl Group {
    /// Every group, in the CBS order (the order of tables and charts).
    pub const ALL: &'static [Group] = &[
        Group::Totaal,
        Group::Nederland,
        Group::Europa,
        Group::BuitenEuropa,
        Group::BuitenNederland,
        Group::EuropaGebNl,
        Group::EuropaGebBuitenland,
        Group::BuitenEuropaGebNl,
        Group::BuitenEuropaGebBuitenland,
        Group::GebNl,
        Group::GebBuitenland,
    ];

    /// The stable code used in the store, tidy CSV and the exports (`buiten_europa`).
    pub fn code(self) -> &'static str {
        match self {
            Group::Totaal => "totaal",
            Group::Nederland => "nederland",
            Group::Europa => "europa",
            Group::BuitenEuropa => "buiten_europa",
            Group::BuitenNederland => "buiten_nederland",
            Group::EuropaGebNl => "europa_geb_nl",
            Group::EuropaGebBuitenland => "europa_geb_buitenland",
            Group::BuitenEuropaGebNl => "buiten_europa_geb_nl",
            Group::BuitenEuropaGebBuitenland => "buiten_europa_geb_buitenland",
            Group::GebNl => "geb_nl",
            Group::GebBuitenland => "geb_buitenland",
        }
    }

    /// The person-first Dutch label ("inwoners met een herkomst buiten Europa").
    pub fn label(self) -> &'static str {
        match self {
            Group::Totaal => "alle inwoners",
            Group::Nederland => "inwoners met een Nederlandse herkomst",
            Group::Europa => "inwoners met een herkomst in Europa (buiten Nederland)",
            Group::BuitenEuropa => "inwoners met een herkomst buiten Europa",
            Group::BuitenNederland => "inwoners met een herkomst buiten Nederland",
            Group::EuropaGebNl => "in Nederland geboren, herkomst in Europa",
            Group::EuropaGebBuitenland => "buiten Nederland geboren, herkomst in Europa",
            Group::BuitenEuropaGebNl => "in Nederland geboren, herkomst buiten Europa",
            Group::BuitenEuropaGebBuitenland => "buiten Nederland geboren, herkomst buiten Europa",
            Group::GebNl => "in Nederland geboren",
            Group::GebBuitenland => "buiten Nederland geboren",
        }
    }

    /// The group's colour in the herkomst charts: its own calm violet ramp (one hue,
    /// five lightness steps), light for Nederland to dark for buiten Europa, never one of
    /// the verdict colours (blue, orange, grey, olive), because a herkomst is no verdict.
    /// The steps stay apart in grey print and, like the verdicts, under deuteranopia and
    /// protanopia (tested with a simulation in `charts`).
    pub fn colour(self) -> [u8; 3] {
        match self {
            Group::Totaal | Group::Nederland | Group::GebNl => [0xed, 0xdf, 0xff],
            Group::EuropaGebNl => [0xc5, 0xb8, 0xf9],
            Group::Europa | Group::BuitenNederland | Group::EuropaGebBuitenland => [0x9f, 0x93, 0xd1],
            Group::BuitenEuropaGebNl => [0x79, 0x6f, 0xab],
            Group::BuitenEuropa | Group::GebBuitenland | Group::BuitenEuropaGebBuitenland => [0x56, 0x4d, 0x85],
        }
    }

    /// Parses a group code; `None` for anything else.
    pub fn parse(code: &str) -> Option<Group> {
        Group::ALL.iter().copied().find(|g| g.code() == code.trim())
    }

    /// The known codes, for a hint: "totaal, nederland, …".
    pub fn known() -> String {
        Group::ALL.iter().map(|g| g.code()).collect::<Vec<_>>().join(", ")
    }

    /// Position in [`Group::ALL`] (the CBS order).
    pub fn position(self) -> usize {
        Group::ALL.iter().position(|g| *g == self).unwrap_or(usize::MAX)
    }
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.code())
    }
}

impl Serialize for Group {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Group {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Group, D::Error> {
        let s = String::deserialize(d)?;
        Group::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("onbekende herkomstgroep '{s}'; bekende groepen: {}", Group::known()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_labels_are_person_first() {
        for &g in Group::ALL {
            assert_eq!(Group::parse(g.code()), Some(g));
            assert!(g == Group::Totaal || g.label().contains("herkomst") || g.label().contains("geboren"));
        }
        assert_eq!(Group::parse("allochtoon"), None);
        assert_eq!(Group::BuitenEuropa.to_string(), "buiten_europa");
    }
}
