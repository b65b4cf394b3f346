//! Source descriptions (`data/sources/*.toml`): which columns of which CBS table feed
//! which indicator, how its regions, periods and herkomst groups are written, and how
//! to recognise the table. A new CBS year is a new or changed TOML file, not new code.
//!
//! This file is the schema; column references are parsed into [`ColumnRef`] when a
//! description loads ([`super::colref`]), cells by [`super::cell`], region names by
//! `ingest::names`, and [`super::extract`] applies a description to a table.

use std::collections::BTreeMap;

use serde::Deserialize;

pub use super::colref::ColumnRef;
use super::table::Table;
use crate::error::{Error, Location};
use crate::model::region::{Level, Region};
use crate::model::{Geometry, Group, Observation};

/// What to do with a region label that is not in the registry.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Unknown {
    /// Stop the import with an error (the default: a typo must not pass silently).
    #[default]
    Error,
    /// Skip the row and report it (for historic tables with gemeenten that no longer
    /// exist).
    Warn,
}

/// How regions are written in the table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    /// Column with the CBS code.
    pub code: Option<ColumnRef>,
    /// Column with the region name (used when there is no code).
    pub name: Option<ColumnRef>,
    /// Column with the gemeente name.
    pub gemeente: Option<ColumnRef>,
    /// Column with the level word (Gemeente, Wijk, Buurt).
    pub level: Option<ColumnRef>,
    /// Rows of this table define the registry for its year.
    #[serde(default)]
    pub defines: bool,
    /// Unknown region labels.
    #[serde(default)]
    pub unknown: Unknown,
    /// The table holds only this level besides Nederland (e.g. `gemeente` for RegioS
    /// tables); names are then matched at that level only.
    pub only: Option<Level>,
}

/// How dimension values map to herkomst groups.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Dimension columns; their values are joined with `|` to look up `map`.
    pub columns: Vec<ColumnRef>,
    /// Joined values → group code (`skip` drops the rows).
    pub map: BTreeMap<String, GroupTarget>,
}

/// Where the rows with one combination of dimension values go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupTarget {
    /// Into this herkomst group.
    Group(Group),
    /// Dropped (`skip`): a breakdown the tool does not use.
    Skip,
}

impl<'de> Deserialize<'de> for GroupTarget {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<GroupTarget, D::Error> {
        let s = String::deserialize(d)?;
        if s == "skip" {
            return Ok(GroupTarget::Skip);
        }
        Group::parse(&s).map(GroupTarget::Group).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "onbekende herkomstgroep '{s}'; gebruik `skip` of een van: {}",
                Group::known()
            ))
        })
    }
}

/// One column (or pair) → one indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureSpec {
    /// Indicator id.
    pub indicator: String,
    /// Fixed herkomst group for this column (when groups are columns, not a dimension).
    pub group: Option<Group>,
    /// Column with the value in the indicator's unit (or a sum, `A+B`).
    pub value: Option<ColumnRef>,
    /// Column with the count.
    pub count: Option<ColumnRef>,
    /// Column with the denominator.
    pub denominator: Option<ColumnRef>,
    /// Multiplier applied to `value` (e.g. 0.001 when the source is in euro and the unit
    /// x 1.000 euro).
    #[serde(default = "one")]
    pub scale: f64,
    /// When there is no value column: value = count / denominator × `per`.
    pub per: Option<f64>,
    /// Only rows whose dimension columns have these values.
    #[serde(default, rename = "where")]
    pub filter: BTreeMap<String, Vec<String>>,
    /// Add up the figures of every row the `where` keeps (the kinds of crime a group is
    /// made of: "1.1.1 Diefstal/inbraak woning" and "1.1.2 … box/garage/schuur" are one
    /// `woninginbraak`) instead of keeping one row. A kept row whose cell is secret
    /// makes the sum secret, an empty one makes it missing: never a sum of what is left.
    #[serde(default)]
    pub sum_rows: bool,
}

/// Which OData feed of CBS serves a table, for `data download`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Feed {
    /// CBS's own StatLine tables (opendata.cbs.nl).
    #[default]
    Opendata,
    /// Tables CBS publishes for others, with the same API (dataderden.cbs.nl): the
    /// Politie's crime per wijk and buurt, RIVM's health estimates.
    Dataderden,
}

fn one() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}

/// A source description.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// Table id (`85984NED`) or a short name for non-StatLine files.
    pub id: String,
    /// Title for the PDF's source line.
    pub title: String,
    /// Version date of the data (YYYY-MM-DD); the newer source wins a cell.
    pub released: String,
    /// Published by CBS, alone or with partners (the default for a StatLine table): the
    /// source line then says "CBS, …". `false` for another publisher's file.
    #[serde(default = "yes")]
    pub cbs: bool,
    /// The OData feed `data download` fetches the table from (CBS's own, or the feed of
    /// tables CBS publishes for others: the Politie's and RIVM's).
    #[serde(default)]
    pub feed: Feed,
    /// The trend series the figures belong to, where it is not the table itself: the
    /// energy tables per wijk and buurt publish the same statistics as the Kerncijfers
    /// wijken en buurten (`kwb`), so a trend runs on from one to the other unbroken.
    #[serde(default)]
    pub series: Option<String>,
    /// Years from which the publisher changed its method or definition within this
    /// table: a trend breaks ("andere bron of definitie") before each of them.
    #[serde(default)]
    pub breaks: Vec<i32>,
    /// The file is a copy of CBS's "Kerncijfers wijken en buurten" of the row's year
    /// (PDOK's WFS, the wijk- en buurtkaart, tmap): each figure is then credited to that
    /// year's StatLine table ("CBS, Kerncijfers wijken en buurten 2022 (85318NED)"), not
    /// to the copy, so the page names what a reader can look up.
    #[serde(default)]
    pub kwb_edition: bool,
    /// A "." in this source means "no figure here" rather than "secret": CBS's KWB
    /// workbooks write "." both for a secret cell and for a theme not yet published in an
    /// early release, so reading it as secret would hide a published figure of another
    /// source or year behind "geheim".
    #[serde(default)]
    pub dot_is_missing: bool,
    /// Free text: where the file comes from, quirks.
    #[serde(default)]
    pub note: String,
    /// Columns that must all be present to recognise the table.
    pub detect: Vec<ColumnRef>,
    /// Columns that must be absent.
    #[serde(default)]
    pub exclude: Vec<ColumnRef>,
    /// Column with the period (Perioden); its year is the figure's year.
    pub period: Option<ColumnRef>,
    /// Column with the year as a number.
    pub year_column: Option<ColumnRef>,
    /// Fixed year (else taken from the period, the year column or the file name); with
    /// `editions`, the year of a file whose name names no edition.
    pub year: Option<i32>,
    /// One table per year with the same columns ("Wmo-cliënten; wijken" 2016–2023):
    /// year → StatLine id of that year's edition. Each figure is credited to the
    /// edition of its year, `{year}` and `{id}` in `title` are filled in, and the
    /// editions form one trend series named by `id`. A table without a period column
    /// gets its year from the edition id in its file name (`83903NED.csv`). A new year
    /// is one line here.
    #[serde(default)]
    pub editions: BTreeMap<String, String>,
    /// Several StatLine tables with the same columns that overlap in years (SES-WOA:
    /// 85163NED 2014–2019 and 86092NED 2014–2023 on a newer indeling): table id → its
    /// release date, so the newer table wins a cell both have. The table is told by
    /// its id in the file name; a file without one (a website export) is credited to
    /// the family by `title` without an id.
    #[serde(default)]
    pub tables: BTreeMap<String, String>,
    /// Tables of `tables` that `data download` leaves alone: superseded by a newer one
    /// of the family (RIVM's 50090NED by 50150NED); a file of them is still read.
    #[serde(default)]
    pub not_downloaded: Vec<String>,
    /// Regions.
    pub region: RegionSpec,
    /// Only rows whose columns have these values (columns that are absent are ignored).
    #[serde(default)]
    pub filter: BTreeMap<String, Vec<String>>,
    /// Herkomst groups as a dimension.
    pub groups: Option<GroupSpec>,
    /// Keep outlines for maps.
    #[serde(default)]
    pub geometry: bool,
    /// Measures (none for a file that brings only outlines).
    #[serde(default)]
    pub measure: Vec<MeasureSpec>,
}

/// What one table yielded.
#[derive(Debug, Default)]
pub struct Extract {
    /// Figures.
    pub observations: Vec<Observation>,
    /// Registry entries (when the source defines regions).
    pub regions: Vec<Region>,
    /// Outlines.
    pub geometry: Vec<Geometry>,
    /// Things the user should know (skipped rows …).
    pub warnings: Vec<String>,
}

/// Parses a source description.
pub fn parse_spec(text: &str, name: &str) -> crate::Result<SourceSpec> {
    toml::from_str(text).map_err(|e| Error::Config {
        at: Location {
            file: name.into(),
            line: e.span().map(|s| text[..s.start].matches('\n').count() + 1),
            column: None,
        },
        message: e.message().to_string(),
        hint: "vergelijk met de andere bestanden in data/sources".into(),
    })
}

/// The source descriptions shipped with the tool.
pub fn builtin_specs() -> Vec<SourceSpec> {
    let mut specs = crate::paths::embedded::SOURCES
        .iter()
        .filter(|(n, _)| n.ends_with(".toml"))
        .map(|(n, b)| {
            parse_spec(std::str::from_utf8(b).expect("utf-8"), n).expect("shipped source description is valid")
        })
        .collect::<Vec<_>>();
    sort_specs(&mut specs);
    specs
}

/// Orders descriptions most specific first, so a table that several would recognise is
/// read by the one that requires the most columns.
pub fn sort_specs(specs: &mut [SourceSpec]) {
    specs.sort_by(|a, b| {
        (b.detect.len() + b.exclude.len()).cmp(&(a.detect.len() + a.exclude.len())).then(a.id.cmp(&b.id))
    });
}

impl SourceSpec {
    /// True when the table has the columns of this source.
    pub fn detects(&self, table: &Table) -> bool {
        self.detect.iter().all(|c| c.resolve(table).is_some())
            && !self.exclude.iter().any(|c| c.resolve(table).is_some())
    }

    /// The column stems this description reads (`AantalInwoners` for
    /// `AantalInwoners|Aantal inwoners`, both `A` and `B` for `A+B`, `X` for `X#2`), so a
    /// download can ask for only those columns.
    pub fn referenced_columns(&self) -> std::collections::BTreeSet<String> {
        let mut refs: Vec<&ColumnRef> = Vec::new();
        refs.extend(&self.detect);
        refs.extend(&self.exclude);
        refs.extend([&self.period, &self.year_column].into_iter().flatten());
        refs.extend(
            [&self.region.code, &self.region.name, &self.region.gemeente, &self.region.level].into_iter().flatten(),
        );
        if let Some(g) = &self.groups {
            refs.extend(&g.columns);
        }
        for m in &self.measure {
            refs.extend([&m.value, &m.count, &m.denominator].into_iter().flatten());
        }
        let filters = self.filter.keys().chain(self.measure.iter().flat_map(|m| m.filter.keys()));
        let parsed: Vec<ColumnRef> = filters.map(|k| ColumnRef::parse(k)).collect();
        refs.iter().copied().chain(&parsed).flat_map(|r| r.stems()).map(String::from).collect()
    }

    /// Checks the description against the catalogue: every measure names a known
    /// indicator, and a value computed as count / denominator × `per` uses the scale of
    /// the indicator's unit (100 for %, 1.000 for per 1.000). Herkomst groups and column
    /// references were already checked when the file was parsed.
    pub fn check(&self, catalogue: &crate::model::Catalogue) -> Result<(), String> {
        for (y, id) in &self.editions {
            if !y.trim().parse::<i32>().is_ok_and(|y| (1900..=2100).contains(&y)) {
                return Err(format!("bron {}: editie '{y}' is geen jaar", self.id));
            }
            if !crate::model::is_statline_id(id) {
                return Err(format!("bron {}: editie {y} = '{id}' is geen StatLine-tabel (zoals 85638NED)", self.id));
            }
        }
        for (id, released) in &self.tables {
            if !crate::model::is_statline_id(id) || released.len() != 10 {
                return Err(format!("bron {}: tables: '{id}' = '{released}' hoort een StatLine-tabel met een datum (JJJJ-MM-DD) te zijn", self.id));
            }
        }
        if let Some(b) = self.breaks.iter().find(|b| !(1900..=2100).contains(*b)) {
            return Err(format!("bron {}: breaks: '{b}' is geen jaar", self.id));
        }
        if !self.editions.is_empty() && !self.title.contains("{year}") {
            return Err(format!("bron {}: een titel met edities noemt het jaar met {{year}}", self.id));
        }
        for m in &self.measure {
            if crate::model::is_beside(&m.indicator) {
                continue;
            }
            let Some(ind) = catalogue.get(&m.indicator) else {
                return Err(format!("bron {}: onbekende indicator '{}'", self.id, m.indicator));
            };
            if let Some(per) = m.per {
                match ind.unit.scale() {
                    Some(scale) if (scale - per).abs() < 1e-9 => {}
                    Some(scale) => {
                        return Err(format!(
                            "bron {}: '{}' is in {} maar berekend per {per} (hoort {scale} te zijn)",
                            self.id, m.indicator, ind.unit
                        ))
                    }
                    None => {
                        return Err(format!(
                            "bron {}: '{}' is in {}, geen aandeel of verhouding, maar berekend met per = {per}",
                            self.id, m.indicator, ind.unit
                        ))
                    }
                }
            }
            if m.value.is_none() && (m.count.is_none() || m.per.is_none()) && !ind.unit.is_count() {
                return Err(format!(
                    "bron {}: '{}' heeft geen waardekolom en geen aantal met per",
                    self.id, m.indicator
                ));
            }
        }
        Ok(())
    }

    /// True when rows of this source define registry entries.
    pub fn defines_regions(&self) -> bool {
        self.region.defines
    }

    /// The yearly editions, oldest first: (year, StatLine id).
    pub fn edition_list(&self) -> Vec<(i32, &str)> {
        let mut v: Vec<(i32, &str)> =
            self.editions.iter().filter_map(|(y, id)| Some((y.trim().parse().ok()?, id.as_str()))).collect();
        v.sort();
        v
    }

    /// The edition whose id the file name carries (`83903NED.csv`, `83903ned_2.json`).
    pub fn edition_in_file_name(&self, path: &std::path::Path) -> Option<(i32, &str)> {
        id_in_file_name(path, self.edition_list(), |(_, id)| id)
    }

    /// The table of `tables` whose id the file name carries, with its release date.
    pub fn table_in_file_name(&self, path: &std::path::Path) -> Option<(&str, &str)> {
        id_in_file_name(path, self.tables.iter().map(|(i, r)| (i.as_str(), r.as_str())), |(id, _)| id)
    }

    /// The id and title to credit a figure of `year` with: the edition of that year
    /// where the description has editions, else the description's own.
    pub fn credit(&self, year: i32) -> (String, String) {
        if self.editions.is_empty() {
            return (self.id.clone(), self.title.replace(" ({id})", "").replace("{id}", ""));
        }
        let id = self.edition_list().into_iter().find(|(y, _)| *y == year).map(|(_, id)| id.to_string());
        let title = self.title.replace("{year}", &year.to_string());
        match id {
            Some(id) => (id.clone(), title.replace("{id}", &id)),
            // A year the description does not list: named by the series, never by
            // another year's table.
            None => (self.id.clone(), title.replace(" ({id})", "").replace("{id}", "")),
        }
    }

    /// The trend series a figure of `year` belongs to, where it is not its table alone:
    /// the description's `series`, or its id for yearly editions, and past a method
    /// break "… vanaf {year}" of the series or of `table` (so the trend breaks there).
    /// `None`: the table is its own series.
    pub fn series_of(&self, year: i32, table: &str) -> Option<String> {
        let base = self.series.clone().or_else(|| (!self.editions.is_empty()).then(|| self.id.clone()));
        match self.breaks.iter().copied().filter(|b| *b <= year).max() {
            Some(b) => Some(format!("{} vanaf {b}", base.unwrap_or_else(|| table.to_string()))),
            None => base,
        }
    }

    /// One description per StatLine table it reads: itself, or one per edition (the
    /// edition's id in `id`, its year fixed), for the download.
    pub fn per_table(&self) -> Vec<SourceSpec> {
        if !self.tables.is_empty() {
            return self
                .tables
                .iter()
                .map(|(id, released)| {
                    let mut s = self.clone();
                    s.title = self.title.replace("{id}", id);
                    s.id = id.clone();
                    s.released = released.clone();
                    s
                })
                .collect();
        }
        if self.editions.is_empty() {
            return vec![self.clone()];
        }
        self.edition_list()
            .into_iter()
            .map(|(year, id)| {
                let mut s = self.clone();
                s.id = id.to_string();
                s.title = self.credit(year).1;
                s.year = Some(year);
                s
            })
            .collect()
    }
}

/// The first of `candidates` whose table id (`id_of`) the file name carries, in any
/// case (`83903NED.csv`, `83903ned_2.json`).
fn id_in_file_name<T: Copy>(
    path: &std::path::Path,
    candidates: impl IntoIterator<Item = T>,
    id_of: impl Fn(&T) -> &str,
) -> Option<T> {
    let name = path.file_name()?.to_string_lossy().to_ascii_uppercase();
    candidates.into_iter().find(|c| name.contains(&id_of(c).to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalogue;

    #[test]
    fn every_shipped_source_fits_the_catalogue_and_the_groups() {
        let cat = Catalogue::builtin();
        let specs = builtin_specs();
        assert!(specs.len() >= 20, "{} descriptions", specs.len());
        for s in &specs {
            s.check(&cat).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    const BASE: &str =
        "id = \"T\"\ntitle = \"t\"\nreleased = \"2025-01-01\"\ndetect = [\"A\"]\n[region]\ncode = \"A\"\n";

    #[test]
    fn a_method_break_and_a_shared_series_name_the_trend_series() {
        let plain = parse_spec(BASE, "t.toml").unwrap();
        assert_eq!(plain.series_of(2024, "T"), None, "a table is its own series");
        let broken = parse_spec(&BASE.replace("detect", "breaks = [2020]\ndetect"), "t.toml").unwrap();
        assert_eq!(broken.series_of(2016, "50150NED"), None);
        assert_eq!(broken.series_of(2022, "50150NED").as_deref(), Some("50150NED vanaf 2020"));
        let kwb = parse_spec(&BASE.replace("detect", "series = \"kwb\"\ndetect"), "t.toml").unwrap();
        assert_eq!(kwb.series_of(2019, "84837NED").as_deref(), Some("kwb"));
        let bad = parse_spec(&BASE.replace("detect", "breaks = [20]\ndetect"), "t.toml").unwrap();
        assert!(bad.check(&Catalogue::builtin()).unwrap_err().contains("geen jaar"));
    }

    #[test]
    fn a_wrong_scale_or_group_is_caught() {
        let cat = Catalogue::builtin();
        let per =
            format!("{BASE}[[measure]]\nindicator = \"bijstand\"\ncount = \"B\"\ndenominator = \"C\"\nper = 1000.0\n");
        let e = parse_spec(&per, "t.toml").unwrap().check(&cat).unwrap_err();
        assert!(e.contains("hoort 100 te zijn"), "{e}");
        let unknown = format!("{BASE}[[measure]]\nindicator = \"bijstandt\"\nvalue = \"B\"\n");
        assert!(parse_spec(&unknown, "t.toml").unwrap().check(&cat).unwrap_err().contains("onbekende indicator"));
        let group = format!("{BASE}[[measure]]\nindicator = \"bijstand\"\nvalue = \"B\"\ngroup = \"allochtoon\"\n");
        let e = parse_spec(&group, "t.toml").unwrap_err();
        assert!(e.to_string().contains("allochtoon") && e.to_string().contains("buiten_europa"), "{e}");
        let Error::Config { at, .. } = e else { panic!() };
        assert_eq!(at.line, Some(10));
    }
}
