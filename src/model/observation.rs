//! One figure in long form: region × year × herkomst group × indicator, with the count
//! and denominator where the source has them, and the sources it came from as data: a
//! [`Source`] says which table, its title and whether it is CBS's; a national figure that
//! the tool computed from the gemeenten says how ([`NationalMethod`]).

use std::sync::Arc;

use serde::Serialize;

use super::atom::Atom;

pub use super::herkomst::Group;

/// The herkomst group of the whole population.
pub const TOTAAL: Group = Group::Totaal;

/// Not a figure but CBS's mark of a re-division, stored like one (region × year):
/// 1 = code and boundaries as the year before, 2 = new code, same boundaries, 3 =
/// boundaries changed. A trend breaks before a year marked 3. Read from the
/// "Indelingswijziging" columns; not in the catalogue, never on a page.
pub const INDELINGSWIJZIGING: &str = "indelingswijziging";

/// True for CBS's re-division mark ([`INDELINGSWIJZIGING`]).
pub fn is_marker(indicator: &str) -> bool {
    indicator == INDELINGSWIJZIGING
}

/// The bounds of a figure's 95% interval where its source publishes them (SES-WOA's
/// "ondergrens" and "bovengrens"): the indicator, the id of its lower bound and of its
/// upper bound. Stored like figures (region × year), read with the figure they bound,
/// never on a page by themselves.
pub const PUBLISHED_BOUNDS: [(&str, &str, &str); 1] = [("ses_woa", "ses_woa_ondergrens", "ses_woa_bovengrens")];

/// True for an id that the store holds beside the catalogue's indicators: the
/// re-division mark and the published interval bounds.
pub fn is_beside(indicator: &str) -> bool {
    is_marker(indicator) || PUBLISHED_BOUNDS.iter().any(|(_, lo, hi)| indicator == *lo || indicator == *hi)
}

/// A table or file that figures come from. Shared ([`Arc`]) by every figure of one
/// import, so a million figures hold a handful of sources.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Source {
    /// Table id (`85984NED`) or the name of a user's own source.
    pub id: String,
    /// Title for the PDF ("CBS, Kerncijfers wijken en buurten 2024 (85984NED)").
    pub title: String,
    /// Published by CBS (alone or with partners): the source line says "CBS, …". A
    /// gemeente's own figures are named as they are, never as CBS.
    pub cbs: bool,
    /// The series the table belongs to when CBS publishes it as one table per year
    /// with the same definitions ("Wmo-cliënten; wijken" 2016–2023): a trend runs on
    /// through its editions and breaks where the series changes. Empty: the table is
    /// its own series. Not part of the exports (the id names the table).
    #[serde(skip)]
    pub series: String,
}

impl Source {
    /// A shared source.
    pub fn new(id: impl Into<String>, title: impl Into<String>, cbs: bool) -> Arc<Source> {
        Arc::new(Source { id: id.into(), title: title.into(), cbs, series: String::new() })
    }

    /// A shared source that is one yearly edition of the series `series`.
    pub fn edition(
        id: impl Into<String>,
        title: impl Into<String>,
        cbs: bool,
        series: impl Into<String>,
    ) -> Arc<Source> {
        Arc::new(Source { id: id.into(), title: title.into(), cbs, series: series.into() })
    }
}

/// True for a StatLine table id: five digits and `NED` (any case), e.g. `85984NED`,
/// `81064ned`.
pub fn is_statline_id(id: &str) -> bool {
    id.len() == 8 && id[..5].bytes().all(|b| b.is_ascii_digit()) && id[5..].eq_ignore_ascii_case("NED")
}

/// StatLine's table of "Kerncijfers wijken en buurten" per year (the edition a PDOK or
/// wijk- en buurtkaart copy of that year holds).
const KWB_TABLES: [(i32, &str); 9] = [
    (2017, "83765NED"),
    (2018, "84286NED"),
    (2019, "84583NED"),
    (2020, "84799NED"),
    (2021, "85039NED"),
    (2022, "85318NED"),
    (2023, "85618NED"),
    (2024, "85984NED"),
    (2025, "86165NED"),
];

/// True for a StatLine table of the Kerncijfers wijken en buurten (any year, any case).
pub fn is_kwb_table(id: &str) -> bool {
    KWB_TABLES.iter().any(|(_, t)| t.eq_ignore_ascii_case(id))
}

/// The id and title to credit a figure of the Kerncijfers wijken en buurten of `year`
/// with: its StatLine table where known ("85318NED", "CBS, Kerncijfers wijken en
/// buurten 2022 (85318NED)"), else the edition by year ("KWB 2016").
pub fn kwb_edition(year: i32) -> (String, String) {
    match KWB_TABLES.iter().find(|(y, _)| *y == year) {
        Some((_, id)) => (id.to_string(), format!("CBS, Kerncijfers wijken en buurten {year} ({id})")),
        None => (format!("KWB {year}"), format!("CBS, Kerncijfers wijken en buurten {year}")),
    }
}

/// Serialises shared sources as plain values (serde's `rc` feature would rebuild half
/// the dependency tree for this one use).
pub fn serialize_sources<S: serde::Serializer>(sources: &[Arc<Source>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(sources.iter().map(|x| &**x))
}

/// [`serialize_sources`] for one optional source.
pub fn serialize_source<S: serde::Serializer>(source: &Option<Arc<Source>>, s: S) -> Result<S::Ok, S::Error> {
    match source {
        Some(x) => s.serialize_some(&**x),
        None => s.serialize_none(),
    }
}

/// How the tool computed a national figure that no source gives.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub enum NationalMethod {
    /// Σ count / Σ denominator over the gemeenten.
    Summed,
    /// The gemeenten's mean weighted by the population the figure is taken of.
    WeightedMean {
        /// What weighs, in lower case ("inwoners", "huishoudens").
        weight: String,
    },
    /// The national figure is fixed by the measure's definition (the SES-WOA score is
    /// standardised to a Dutch mean of 0).
    Definition,
}

impl NationalMethod {
    /// How, in Dutch: "opgeteld over de gemeenten", "gemiddelde van de gemeenten,
    /// gewogen naar inwoners".
    pub fn note(&self) -> String {
        match self {
            NationalMethod::Summed => "opgeteld over de gemeenten".into(),
            NationalMethod::WeightedMean { weight } => format!("gemiddelde van de gemeenten, gewogen naar {weight}"),
            NationalMethod::Definition => {
                "per definitie (de score is zo berekend dat Nederland gemiddeld 0 heeft)".into()
            }
        }
    }
}

/// One figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Normalised region code (NL01, GMxxxx, WKxxxxxx, BUxxxxxxxx).
    pub region: Atom,
    /// Reference year (the period's year).
    pub year: i32,
    /// Herkomst group ([`TOTAAL`] for everyone).
    pub group: Group,
    /// Indicator id from the catalogue.
    pub indicator: Atom,
    /// The value in the indicator's unit; `None` when the source suppressed or lacks it.
    pub value: Option<f64>,
    /// The count behind the value (persons, dwellings …), where the source has it.
    pub count: Option<f64>,
    /// The population the count is a share of, where the source has it.
    pub denominator: Option<f64>,
    /// The source marked the cell as secret or not available ("." or -99999999).
    pub suppressed: bool,
    /// The sources, primary first: one for an imported figure, two for a figure derived
    /// from a count and a denominator of different tables. Shared: every figure of one
    /// import holds the same list (no allocation per figure).
    pub sources: Arc<[Arc<Source>]>,
    /// For a national figure that no source gives: how the tool computed it.
    pub national: Option<Box<NationalMethod>>,
    /// Version date of the source (YYYY-MM-DD); the newer source wins a cell.
    pub released: Atom,
}

impl Observation {
    /// A figure of `indicator` for `region` in `year` for the whole population: `value`
    /// in the indicator's unit (marked suppressed when `None`), without a count or
    /// denominator, from `sources` (primary first) as released on `released`. The one
    /// way a figure is made; [`Observation::in_group`], [`Observation::counted`],
    /// [`Observation::marked`] and [`Observation::computed`] say the rest.
    pub fn new(
        region: impl Into<Atom>,
        year: i32,
        indicator: impl Into<Atom>,
        value: Option<f64>,
        sources: impl Into<Arc<[Arc<Source>]>>,
        released: impl Into<Atom>,
    ) -> Observation {
        Observation {
            region: region.into(),
            year,
            group: TOTAAL,
            indicator: indicator.into(),
            value,
            count: None,
            denominator: None,
            suppressed: value.is_none(),
            sources: sources.into(),
            national: None,
            released: released.into(),
        }
    }

    /// The figure of a herkomst group instead of the whole population.
    pub fn in_group(mut self, group: Group) -> Observation {
        self.group = group;
        self
    }

    /// The figure with the count behind it and the population it is a share of.
    pub fn counted(mut self, count: Option<f64>, denominator: Option<f64>) -> Observation {
        self.count = count;
        self.denominator = denominator;
        self
    }

    /// The figure marked suppressed by its source, or not (a missing value that no
    /// source suppressed, such as a sum with an empty part).
    pub fn marked(mut self, suppressed: bool) -> Observation {
        self.suppressed = suppressed;
        self
    }

    /// A national figure the tool computed, and how.
    pub fn computed(mut self, how: NationalMethod) -> Observation {
        self.national = Some(Box::new(how));
        self
    }

    /// The identity of the cell this figure fills.
    pub fn key(&self) -> (&str, i32, Group, &str) {
        (&self.region, self.year, self.group, &self.indicator)
    }

    /// The id of the primary source ("" for none).
    pub fn source_id(&self) -> &str {
        self.sources.first().map(|s| s.id.as_str()).unwrap_or("")
    }

    /// The series the figure belongs to, for marking breaks in a trend: the primary
    /// source, except that yearly editions of one table (the Kerncijfers wijken en
    /// buurten, and every source description with `editions`) form one series.
    pub fn series(&self) -> &str {
        if let Some(s) = self.sources.first().filter(|s| !s.series.is_empty()) {
            return &s.series;
        }
        let id = self.source_id();
        if id.starts_with("KWB ") || KWB_TABLES.iter().any(|(_, t)| *t == id) {
            "kwb"
        } else {
            id
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(source: Arc<Source>, year: i32) -> Observation {
        Observation::new("GM0344", year, "woz_waarde", Some(1.0), [source], "2024-01-01")
    }

    #[test]
    fn a_kwb_copy_is_credited_to_the_statline_table_of_its_year() {
        assert_eq!(
            kwb_edition(2022),
            ("85318NED".to_string(), "CBS, Kerncijfers wijken en buurten 2022 (85318NED)".to_string())
        );
        assert_eq!(kwb_edition(2016).0, "KWB 2016");
    }

    #[test]
    fn the_yearly_kwb_editions_are_one_series_other_tables_are_not() {
        let (a, b) = (kwb_edition(2022), kwb_edition(2023));
        let kwb22 = obs(Source::new(a.0, a.1, true), 2022);
        let kwb23 = obs(Source::new(b.0, b.1, true), 2023);
        assert_eq!(kwb22.series(), kwb23.series());
        let gm20 = obs(Source::new("85012NED", "Gezondheidsmonitor 2020", true), 2020);
        let gm22 = obs(Source::new("85563NED", "Gezondheidsmonitor 2022", true), 2022);
        assert_ne!(gm20.series(), gm22.series());
    }
}
