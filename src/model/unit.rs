//! Units of measurement as a type. A unit owns everything that depends on it: how a value
//! is printed (`7,3%`, `€ 450.000`, `45,2`), its scale when the value is count /
//! denominator × scale, the note that goes beside a label, and whether it is a share, a
//! rate, a count or a plain measure. The catalogue parses each unit once, when it loads;
//! the rest of the pipeline matches on the enum, so an unknown unit is a load error, not
//! a silent fall-through at print time.
//!
//! Adding a unit is a change in this file only: a variant, its entry in [`Unit::ALL`] and
//! its arms below.

use serde::{Deserialize, Serialize};

use crate::format;

/// What kind of quantity a unit measures; decides how it is rated and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A percentage of a population (count / denominator × 100).
    Share,
    /// A rate per 1.000 or 10.000 (count / denominator × scale).
    Rate,
    /// A number of persons, dwellings …: described by its size, never rated against a
    /// larger area's count.
    Count,
    /// Money.
    Money,
    /// Anything else measured on its own scale (km, per km², a mark).
    Measure,
    /// A standardised score around a national mean of 0 (SES-WOA): compared by its
    /// difference, never by a ratio.
    Score,
}

/// The unit of an indicator, as written in `data/indicators.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// `%`: a share of a population.
    Percent,
    /// `aantal`: a count.
    Aantal,
    /// `personen`: an average number of persons (household size).
    Personen,
    /// `per 1.000`: a rate per 1.000 of the population.
    Per1000,
    /// `per 10.000`: a rate per 10.000 of the population.
    Per10000,
    /// `euro`.
    Euro,
    /// `x 1.000 euro`: thousands of euros, printed as whole euros.
    Euro1000,
    /// `per km²`: a density.
    PerKm2,
    /// `km`: a distance.
    Km,
    /// `cijfer`: a mark on a scale (1–10).
    Cijfer,
    /// `per huishouden`: an average per household.
    PerHuishouden,
    /// `score`: a standardised score, Dutch mean 0 (SES-WOA).
    Score,
    /// `m³`: cubic metres (of natural gas) per dwelling per year.
    M3,
    /// `kWh`: kilowatt-hours (of electricity) per dwelling per year.
    KWh,
    /// `deciel`: a place among the tenths of a ranking, 1–10 (the achterstandsindex).
    Deciel,
}

impl Unit {
    /// Every unit, in the order a hint lists them.
    pub const ALL: &'static [Unit] = &[
        Unit::Percent,
        Unit::Aantal,
        Unit::Personen,
        Unit::Per1000,
        Unit::Per10000,
        Unit::Euro,
        Unit::Euro1000,
        Unit::PerKm2,
        Unit::Km,
        Unit::Cijfer,
        Unit::PerHuishouden,
        Unit::Score,
        Unit::M3,
        Unit::KWh,
        Unit::Deciel,
    ];

    /// The unit as written in the catalogue and the exports (`%`, `per 1.000` …).
    pub fn label(self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::Aantal => "aantal",
            Unit::Personen => "personen",
            Unit::Per1000 => "per 1.000",
            Unit::Per10000 => "per 10.000",
            Unit::Euro => "euro",
            Unit::Euro1000 => "x 1.000 euro",
            Unit::PerKm2 => "per km²",
            Unit::Km => "km",
            Unit::Cijfer => "cijfer",
            Unit::PerHuishouden => "per huishouden",
            Unit::Score => "score",
            Unit::M3 => "m³",
            Unit::KWh => "kWh",
            Unit::Deciel => "deciel",
        }
    }

    /// Parses a unit as written in the catalogue.
    pub fn parse(s: &str) -> Option<Unit> {
        Unit::ALL.iter().copied().find(|u| u.label() == s.trim())
    }

    /// The known units, for a hint: "`%`, `aantal`, …".
    pub fn known() -> String {
        Unit::ALL.iter().map(|u| format!("`{}`", u.label())).collect::<Vec<_>>().join(", ")
    }

    /// What kind of quantity this is.
    pub fn kind(self) -> UnitKind {
        match self {
            Unit::Percent => UnitKind::Share,
            Unit::Per1000 | Unit::Per10000 => UnitKind::Rate,
            Unit::Aantal => UnitKind::Count,
            Unit::Euro | Unit::Euro1000 => UnitKind::Money,
            Unit::Personen
            | Unit::PerKm2
            | Unit::Km
            | Unit::Cijfer
            | Unit::PerHuishouden
            | Unit::M3
            | Unit::KWh
            | Unit::Deciel => UnitKind::Measure,
            Unit::Score => UnitKind::Score,
        }
    }

    /// True for a percentage of a population.
    pub fn is_share(self) -> bool {
        self.kind() == UnitKind::Share
    }

    /// True for a count (inwoners, woningen): described by its size, never rated.
    pub fn is_count(self) -> bool {
        self.kind() == UnitKind::Count
    }

    /// For a share or rate (value = count / denominator × scale): the scale.
    pub fn scale(self) -> Option<f64> {
        match self {
            Unit::Percent => Some(100.0),
            Unit::Per1000 => Some(1000.0),
            Unit::Per10000 => Some(10000.0),
            _ => None,
        }
    }

    /// Decimals printed when the catalogue names none.
    pub fn default_decimals(self) -> usize {
        match self {
            Unit::Aantal | Unit::Deciel => 0,
            Unit::Score => 2,
            _ => 1,
        }
    }

    /// A value in this unit: `7,3%`, `€ 312.000`, `12.345`, `45,2 per 1.000`.
    pub fn format(self, v: f64, decimals: usize) -> String {
        match self {
            Unit::Percent => format!("{}%", format::number(v, decimals)),
            Unit::Euro => format!("€ {}", format::number(v, decimals)),
            Unit::Euro1000 => format!("€ {}", self.bare(v, decimals)),
            Unit::Aantal | Unit::Score => format::number(v, decimals),
            Unit::Deciel => format!("deciel {}", format::number(v, decimals)),
            u => format!("{} {}", format::number(v, decimals), u.label()),
        }
    }

    /// A value with its unit only where the unit is short (`7,3%`, `€ 450.000`); other
    /// units (per km², km, per 1.000) are left to the label.
    pub fn short(self, v: f64, decimals: usize) -> String {
        match self {
            Unit::Percent | Unit::Euro | Unit::Euro1000 => self.format(v, decimals),
            _ => format::number(v, decimals),
        }
    }

    /// A bare number in the display scale (`x 1.000 euro` as euros, rounded to the
    /// indicator's decimals in thousands first: 30,39886 with one decimal is € 30.400,
    /// not a precise-looking € 30.399).
    pub fn bare(self, v: f64, decimals: usize) -> String {
        match self {
            Unit::Euro1000 => {
                let f = 10f64.powi(decimals.min(3) as i32);
                format::number((v * f).round() / f * 1000.0, 0)
            }
            _ => format::number(v, decimals),
        }
    }

    /// The note a label carries when its values are printed bare (a map legend, the
    /// wijken table): `` for % and counts, `euro`, `per 1.000` …
    pub fn bare_note(self) -> &'static str {
        match self {
            Unit::Percent | Unit::Aantal | Unit::Score => "",
            Unit::Euro1000 => "euro",
            u => u.label(),
        }
    }

    /// The note a table label carries when its values are printed [`Unit::short`]: the
    /// unit where the value does not show it (`per 1.000`, `km`), nothing for %, euro and
    /// counts (a share's population is the catalogue's `share_of`).
    pub fn label_note(self) -> &'static str {
        match self {
            Unit::Percent | Unit::Aantal | Unit::Euro | Unit::Euro1000 | Unit::Score => "",
            u => u.label(),
        }
    }
}

/// The largest magnitude a figure may have (a count of euros in a national total stays
/// far below it; `1e308` does not).
pub const MAX_MAGNITUDE: f64 = 1e12;

impl Unit {
    /// Checks a figure against this unit when it is read: every number finite and within
    /// [`MAX_MAGNITUDE`]; a share between 0 and 100 and a rate not negative; counts and
    /// denominators whole and not negative, a count of a share not above its
    /// denominator; a count indicator (`aantal`) whole and not negative. The message
    /// says what is wrong, in the user's terms.
    pub fn check(self, value: Option<f64>, count: Option<f64>, denominator: Option<f64>) -> Result<(), String> {
        let whole = |x: f64| (x - x.round()).abs() < 1e-6;
        for (what, x) in [("de waarde", value), ("het aantal", count), ("de noemer", denominator)] {
            if let Some(x) = x {
                if !x.is_finite() {
                    return Err(format!("{what} is geen eindig getal ({x})"));
                }
                if x.abs() > MAX_MAGNITUDE {
                    return Err(format!("{what} {x} is onwaarschijnlijk groot"));
                }
            }
        }
        for (what, x) in [("het aantal", count), ("de noemer", denominator)] {
            if let Some(x) = x {
                if x < 0.0 || !whole(x) {
                    return Err(format!("{what} {x} is geen geheel getal van nul of meer"));
                }
            }
        }
        if let (Some(c), Some(d)) = (count, denominator) {
            if self.is_share() && c > d {
                return Err(format!("het aantal {c} is groter dan de noemer {d}"));
            }
        }
        if let Some(v) = value {
            match self.kind() {
                UnitKind::Share if !(0.0..=100.0).contains(&v) => {
                    return Err(format!("{v} is geen percentage tussen 0 en 100"))
                }
                UnitKind::Rate if v < 0.0 => return Err(format!("{v} is een negatieve verhouding")),
                UnitKind::Count if v < 0.0 || !whole(v) => {
                    return Err(format!("{v} is geen geheel getal van nul of meer"))
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.label())
    }
}

impl Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Unit, D::Error> {
        let s = String::deserialize(d)?;
        Unit::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("onbekende eenheid '{s}'; bekende eenheden: {}", Unit::known()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_round_trips_through_its_label() {
        for &u in Unit::ALL {
            assert_eq!(Unit::parse(u.label()), Some(u));
        }
        assert_eq!(Unit::parse("procent"), None);
    }

    #[test]
    fn values_print_the_dutch_way() {
        assert_eq!(Unit::Percent.format(7.3, 1), "7,3%");
        assert_eq!(Unit::Euro1000.format(312.0, 0), "€ 312.000");
        assert_eq!(Unit::Euro1000.format(30.39886, 1), "€ 30.400");
        assert_eq!(Unit::Per1000.format(45.23, 1), "45,2 per 1.000");
        assert_eq!(Unit::Aantal.format(12345.0, 0), "12.345");
        assert_eq!(Unit::Km.short(1.26, 1), "1,3");
        assert_eq!(Unit::Euro1000.bare(30.39886, 1), "30.400");
        assert_eq!(Unit::M3.format(1160.0, 0), "1.160 m³");
        assert_eq!(Unit::KWh.format(2500.0, 0), "2.500 kWh");
        assert_eq!(Unit::M3.label_note(), "m³");
    }

    #[test]
    fn figures_are_checked_against_their_unit() {
        assert!(Unit::Percent.check(Some(14.0), Some(140.0), Some(1000.0)).is_ok());
        for bad in [f64::NAN, f64::INFINITY, 1e308, 150.0, -5.0] {
            assert!(Unit::Percent.check(Some(bad), None, None).is_err(), "{bad}");
        }
        assert!(Unit::Percent.check(Some(50.0), Some(-1.0), Some(10.0)).unwrap_err().contains("geheel getal"));
        assert!(Unit::Percent.check(Some(50.0), Some(12.0), Some(10.0)).unwrap_err().contains("groter dan"));
        assert!(Unit::Percent.check(Some(50.0), Some(2.5), Some(10.0)).is_err());
        assert!(Unit::Per1000.check(Some(-1.0), None, None).is_err());
        assert!(Unit::Aantal.check(Some(12.5), None, None).is_err());
        // Money and measures may be anything finite and plausible, negative included.
        assert!(Unit::Euro1000.check(Some(-3.2), None, None).is_ok());
    }

    #[test]
    fn kinds_and_scales_agree() {
        for &u in Unit::ALL {
            let scaled = matches!(u.kind(), UnitKind::Share | UnitKind::Rate);
            assert_eq!(u.scale().is_some(), scaled, "{u}");
        }
    }
}
