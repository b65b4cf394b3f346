//! Source descriptions (`data/sources/*.toml`): which columns of which CBS table feed
//! which indicator, how its regions, periods and herkomst groups are written, and how
//! to recognise the table. A new CBS year is a new or changed TOML file, not new code.
//!
//! Column references are written once and match every flavour of the same table:
//! `AantalInwoners` matches the OData key `AantalInwoners_5` (the suffix changes per
//! year), `BuitenEuropa#2` the second column with that stem, and for the StatLine
//! website export the label path (`Herkomstland/Nederland` matches
//! `Bevolking/.../Herkomstland/Nederland (aantal)`).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;

use super::table::{split_key, Flavour, Row, Table};
use crate::error::{Error, Location};
use crate::model::region::{code_level, normalize_code, normalize_name, Level, Region, Registry, NL};
use crate::model::{Geometry, Observation, TOTAAL};

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
    pub code: Option<String>,
    /// Column with the region name (used when there is no code).
    pub name: Option<String>,
    /// Column with the gemeente name.
    pub gemeente: Option<String>,
    /// Column with the level word (Gemeente, Wijk, Buurt).
    pub level: Option<String>,
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
    pub columns: Vec<String>,
    /// Joined values → group code (`skip` drops the rows).
    pub map: BTreeMap<String, String>,
}

/// One column (or pair) → one indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureSpec {
    /// Indicator id.
    pub indicator: String,
    /// Fixed herkomst group for this column (when groups are columns, not a dimension).
    pub group: Option<String>,
    /// Column with the value in the indicator's unit.
    pub value: Option<String>,
    /// Column with the count.
    pub count: Option<String>,
    /// Column with the denominator.
    pub denominator: Option<String>,
    /// Multiplier applied to `value` (e.g. 0.001 when the source is in euro and the unit
    /// x 1.000 euro).
    #[serde(default = "one")]
    pub scale: f64,
    /// When there is no value column: value = count / denominator × `per`.
    pub per: Option<f64>,
    /// Only rows whose dimension columns have these values.
    #[serde(default, rename = "where")]
    pub filter: BTreeMap<String, Vec<String>>,
}

fn one() -> f64 {
    1.0
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
    /// Free text: where the file comes from, quirks.
    #[serde(default)]
    pub note: String,
    /// Columns that must all be present to recognise the table.
    pub detect: Vec<String>,
    /// Columns that must be absent.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Column with the period (Perioden); its year is the figure's year.
    pub period: Option<String>,
    /// Column with the year as a number.
    pub year_column: Option<String>,
    /// Fixed year (else taken from the period, the year column or the file name).
    pub year: Option<i32>,
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
    /// Measures.
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
            line: e.span().map(|s| text[..s.start].lines().count().max(1)),
            column: None,
        },
        message: e.message().to_string(),
        hint: "compare with the other files in data/sources".into(),
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

/// True when `id` is a source shipped with the tool (a CBS table or CBS-derived file),
/// as opposed to a user's own figures imported as tidy CSV, whose source is free text.
/// The factsheet attributes the first to CBS and names the second as it is.
pub fn is_builtin_source(id: &str) -> bool {
    static IDS: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    IDS.get_or_init(|| builtin_specs().into_iter().map(|s| s.id.to_ascii_uppercase()).collect())
        .contains(&id.trim().to_ascii_uppercase())
}

/// Orders descriptions most specific first, so a table that several would recognise is
/// read by the one that requires the most columns.
pub fn sort_specs(specs: &mut [SourceSpec]) {
    specs.sort_by(|a, b| {
        (b.detect.len() + b.exclude.len()).cmp(&(a.detect.len() + a.exclude.len())).then(a.id.cmp(&b.id))
    });
}

/// Resolves a column reference against a table's headers.
pub fn resolve(table: &Table, reference: &str) -> Option<usize> {
    if reference.contains('|') {
        return reference.split('|').find_map(|r| resolve(table, r.trim()));
    }
    let (name, nth) = match reference.rsplit_once('#') {
        Some((n, k)) if k.parse::<usize>().is_ok() => (n, k.parse::<usize>().unwrap().max(1)),
        _ => (reference, 1),
    };
    if nth == 1 {
        if let Some(i) = table.headers.iter().position(|h| h == name) {
            return Some(i);
        }
    }
    let matches = |h: &String| -> bool {
        match table.flavour {
            Flavour::OData => split_key(h).0 == name,
            Flavour::Web => {
                let label = web_label(h);
                label == normalize_ws(name) || label.ends_with(&format!("/{}", normalize_ws(name)))
            }
            Flavour::Plain => h.eq_ignore_ascii_case(name),
        }
    };
    table.headers.iter().enumerate().filter(|(_, h)| matches(h)).nth(nth - 1).map(|(i, _)| i)
}

fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The label of a website-export header without its unit: `Bevolking/Aantal inwoners
/// (aantal)` → `Bevolking/Aantal inwoners`.
fn web_label(h: &str) -> String {
    let h = normalize_ws(h);
    match h.rfind(" (") {
        Some(i) if h.ends_with(')') => h[..i].trim().to_string(),
        _ => h,
    }
}

impl SourceSpec {
    /// True when the table has the columns of this source.
    pub fn detects(&self, table: &Table) -> bool {
        self.detect.iter().all(|c| resolve(table, c).is_some())
            && !self.exclude.iter().any(|c| resolve(table, c).is_some())
    }

    /// The column stems this description reads (`AantalInwoners` for
    /// `AantalInwoners|Aantal inwoners`, both `A` and `B` for `A+B`, `X` for `X#2`), so a
    /// download can ask for only those columns.
    pub fn referenced_columns(&self) -> std::collections::BTreeSet<String> {
        let mut refs: Vec<&String> = Vec::new();
        refs.extend(&self.detect);
        refs.extend(&self.exclude);
        refs.extend([&self.period, &self.year_column].into_iter().flatten());
        refs.extend(
            [&self.region.code, &self.region.name, &self.region.gemeente, &self.region.level].into_iter().flatten(),
        );
        refs.extend(self.filter.keys());
        if let Some(g) = &self.groups {
            refs.extend(&g.columns);
        }
        for m in &self.measure {
            refs.extend([&m.value, &m.count, &m.denominator].into_iter().flatten());
            refs.extend(m.filter.keys());
        }
        refs.iter()
            .flat_map(|r| r.split(['|', '+']))
            .map(|r| r.trim())
            .map(|r| match r.rsplit_once('#') {
                Some((n, k)) if k.parse::<usize>().is_ok() => n,
                _ => r,
            })
            .filter(|r| !r.is_empty())
            .map(String::from)
            .collect()
    }

    /// True when rows of this source define registry entries.
    pub fn defines_regions(&self) -> bool {
        self.region.defines
    }
}

/// A parsed cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// Empty: no figure.
    Empty,
    /// Secret or not available (".", "x", -99999999).
    Suppressed,
    /// A number.
    Number(f64),
}

/// Parses a number cell with CBS's missing markers.
pub fn parse_cell(raw: &str, flavour: Flavour) -> Result<Cell, ()> {
    let t = raw.trim();
    match t {
        "" => return Ok(Cell::Empty),
        "." | "x" | "X" | "?" | "nvt" | "geheim" => return Ok(Cell::Suppressed),
        "-" => return Ok(Cell::Number(0.0)),
        _ => {}
    }
    let v: f64 = if flavour == Flavour::Web { t.replace(',', ".").parse() } else { t.parse() }.map_err(|_| ())?;
    if v <= -99_999_990.0 {
        return Ok(Cell::Suppressed);
    }
    Ok(Cell::Number(v))
}

/// Year and sub-period order of a CBS period, from a title ("2023*", "1e halfjaar
/// 2024", "2024 september") or key ("2024JJ00", "2024MM09", "2024KW03").
pub fn parse_period(s: &str) -> Option<(i32, i32)> {
    let t = s.trim();
    let bytes = t.as_bytes();
    let mut year = None;
    for i in 0..bytes.len().saturating_sub(3) {
        let w = &t[i..i + 4];
        let boundary =
            (i == 0 || !bytes[i - 1].is_ascii_digit()) && (i + 4 == bytes.len() || !bytes[i + 4].is_ascii_digit());
        if boundary && w.bytes().all(|b| b.is_ascii_digit()) && (w.starts_with("19") || w.starts_with("20")) {
            year = w.parse().ok();
            break;
        }
    }
    let year = year?;
    let l = t.to_lowercase();
    let months = crate::format::MONTHS;
    let sub = if let Some(m) = months.iter().position(|m| l.contains(m)) {
        m as i32 + 1
    } else if l.contains("1e halfjaar") || l.contains("hj01") {
        6
    } else if l.contains("2e halfjaar") || l.contains("hj02") {
        12
    } else if let Some(k) = l.find("kw") {
        l[k + 2..]
            .trim_start_matches('0')
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .map(|q| q as i32 * 3)
            .unwrap_or(12)
    } else if let Some(k) = l.find("mm") {
        l[k + 2..k + 4].parse().unwrap_or(12)
    } else if l.contains("kwartaal") {
        l.chars()
            .find(|c| c.is_ascii_digit() && *c != '0' && *c <= '4')
            .and_then(|c| c.to_digit(10))
            .map(|q| q as i32 * 3)
            .unwrap_or(12)
    } else {
        100
    };
    Some((year, sub))
}

fn year_from_file_name(path: &std::path::Path) -> Option<i32> {
    let stem = path.file_stem()?.to_string_lossy().to_string();
    parse_period(&stem.replace(['_', '-'], " ")).map(|(y, _)| y)
}

/// Suffixes StatLine puts behind region names of other levels; such rows are skipped.
const OTHER_LEVEL: &[&str] = &[
    "(PV)", "(LD)", "(CR)", "(AM)", "(RE)", "(BT)", "(GGD)", "(JZ)", "(VT)", "(RPA)", "(COROP)", "(WGR)", "(RZ)",
    "(LG)",
];

/// True for a trailing "(XX)" tag of two to five capitals other than "(GM)": StatLine's
/// marker for provinces, GGD regions, police units and other non-gemeente regions.
fn other_level_suffix(name: &str) -> bool {
    let Some(open) = name.rfind(" (") else { return false };
    let tag = &name[open + 2..];
    let Some(tag) = tag.strip_suffix(')') else { return false };
    (2..=5).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_uppercase()) && tag != "GM"
}

/// True for a StatLine region key of a level wijkmonitor does not report on: two
/// capitals and two to four digits other than GM (`PV26`, `CR33`, `LD01`, `RE03`,
/// `GG3306`). OData downloads carry keys, where website exports carry "(PV)" titles.
fn other_level_key(key: &str) -> bool {
    let b = key.as_bytes();
    (4..=6).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit)
        && !key.starts_with("GM")
        && !key.starts_with("NL")
}

/// Resolves region labels in the order StatLine writes them (gemeente, its wijken,
/// each wijk followed by its buurten), which settles names that a gemeente, wijk and
/// buurt share.
struct Resolver<'a> {
    registry: &'a Registry,
    only: Option<Level>,
    gemeente: Option<String>,
    wijk: Option<String>,
}

enum Resolved {
    Code(String),
    Skip,
    Unknown(String),
    Ambiguous(Vec<String>),
}

impl<'a> Resolver<'a> {
    fn resolve(&mut self, name: &str, gemeente_name: Option<&str>, year: i32) -> Resolved {
        let name = name.trim();
        if let Some(c) = normalize_code(name) {
            return self.enter(c);
        }
        if other_level_key(name) {
            return Resolved::Skip;
        }
        let folded = normalize_name(name);
        // Steenwijkerland has a wijk and a buurt called "Nederland": only a row without a
        // gemeente, or with gemeente "Nederland", is the country.
        let in_gemeente = gemeente_name.map(normalize_name).filter(|g| !g.is_empty() && g != "nederland");
        if (folded == "nederland" || folded == "totaal nederland") && in_gemeente.is_none() {
            return Resolved::Code(NL.into());
        }
        if folded == "buitenland" || OTHER_LEVEL.iter().any(|s| name.ends_with(s)) || other_level_suffix(name) {
            return Resolved::Skip;
        }
        let (name, only_gm) = match name.strip_suffix("(gemeente)").or_else(|| name.strip_suffix("(GM)")) {
            Some(n) => (n.trim(), true),
            None => (name, false),
        };
        let gm_folded = gemeente_name.map(normalize_name).filter(|g| !g.is_empty());
        let folded_name = normalize_name(name);
        let mut cands: Vec<&Region> = self
            .registry
            .codes_named(name)
            .iter()
            .filter_map(|c| self.registry.get(c))
            .filter(|r| !only_gm || r.level == Level::Gemeente)
            .filter(|r| self.only.is_none_or(|l| r.level == l))
            .filter(|r| gm_folded.as_ref().is_none_or(|g| normalize_name(&r.gemeente_name) == *g))
            .collect();
        if cands.len() > 1 {
            // Prefer regions that exist in the row's year.
            let in_year: Vec<&Region> = cands
                .iter()
                .copied()
                .filter(|r| {
                    self.registry
                        .entries()
                        .iter()
                        .any(|e| e.code == r.code && e.year == year && normalize_name(&e.name) == folded_name)
                })
                .collect();
            if !in_year.is_empty() {
                cands = in_year;
            }
        }
        if cands.len() > 1 && gm_folded.is_none() {
            // Without a gemeente column, the gemeente row read last is the context.
            if let Some(cur) = self.gemeente.clone() {
                let inside: Vec<&Region> =
                    cands.iter().copied().filter(|r| r.gemeente().as_deref() == Some(cur.as_str())).collect();
                if !inside.is_empty()
                    && inside.len() < cands.len()
                    && !cands.iter().any(|r| r.level == Level::Gemeente && r.code != cur)
                {
                    cands = inside;
                }
            }
        }
        if cands.len() > 1 {
            let gm = cands.iter().find(|r| r.level == Level::Gemeente).map(|r| r.code.clone());
            if let Some(gm) = gm.filter(|g| self.gemeente.as_ref() != Some(g)) {
                return self.enter(gm);
            }
            let cur_wijk = self.wijk.clone();
            if let Some(b) = cands.iter().find(|r| r.level == Level::Buurt && r.wijk() == cur_wijk) {
                return self.enter(b.code.clone());
            }
            let wijken: Vec<&&Region> = cands.iter().filter(|r| r.level == Level::Wijk).collect();
            if wijken.len() == 1 {
                return self.enter(wijken[0].code.clone());
            }
            return Resolved::Ambiguous(cands.iter().map(|r| r.display()).collect());
        }
        match cands.first() {
            Some(r) => self.enter(r.code.clone()),
            None => Resolved::Unknown(name.to_string()),
        }
    }

    fn enter(&mut self, code: String) -> Resolved {
        match code_level(&code) {
            Some(Level::Gemeente) => {
                self.gemeente = Some(code.clone());
                self.wijk = None;
            }
            Some(Level::Wijk) => self.wijk = Some(code.clone()),
            _ => {}
        }
        Resolved::Code(code)
    }
}

fn clean_name(s: &str) -> String {
    normalize_ws(s)
}

/// Applies a source description to a table.
pub fn extract(spec: &SourceSpec, table: &Table, registry: &Registry) -> crate::Result<Extract> {
    let col = |r: &Option<String>| r.as_ref().and_then(|c| resolve(table, c));
    let code_col = col(&spec.region.code);
    let name_col = col(&spec.region.name);
    let gm_col = col(&spec.region.gemeente);
    let level_col = col(&spec.region.level);
    if code_col.is_none() && name_col.is_none() {
        return Err(Error::input(
            table.at(Some(1), None),
            format!("no region column found for source {}", spec.id),
            "the file lacks the region code or name column; export the table with its region dimension",
        ));
    }
    let period_col = col(&spec.period);
    let year_col = col(&spec.year_column);
    let file_year = year_from_file_name(&table.path);
    let filters: Vec<(usize, &Vec<String>)> =
        spec.filter.iter().filter_map(|(c, v)| resolve(table, c).map(|i| (i, v))).collect();
    let group_cols: Option<Vec<usize>> = match &spec.groups {
        Some(g) => Some(
            g.columns
                .iter()
                .map(|c| {
                    resolve(table, c).ok_or_else(|| {
                        Error::input(
                            table.at(Some(1), None),
                            format!("the herkomst column '{c}' of source {} is missing", spec.id),
                            "export the table with its herkomst dimension",
                        )
                    })
                })
                .collect::<crate::Result<_>>()?,
        ),
        None => None,
    };
    struct M<'s> {
        spec: &'s MeasureSpec,
        value: Option<Vec<usize>>,
        count: Option<Vec<usize>>,
        den: Option<Vec<usize>>,
        filter: Vec<(usize, &'s Vec<String>)>,
    }
    let measures: Vec<M> = spec
        .measure
        .iter()
        .filter_map(|m| {
            // `A+B+C` sums columns (e.g. the three education levels as denominator).
            let sum = |r: &Option<String>| -> Option<Vec<usize>> {
                r.as_ref()?.split('+').map(|c| resolve(table, c.trim())).collect()
            };
            let value = sum(&m.value);
            let count = sum(&m.count);
            let den = sum(&m.denominator);
            if value.is_none() && (count.is_none() || (m.per.is_some() && den.is_none())) {
                return None;
            }
            let filter: Option<Vec<_>> = m.filter.iter().map(|(c, v)| resolve(table, c).map(|i| (i, v))).collect();
            Some(M { spec: m, value, count, den, filter: filter? })
        })
        .collect();

    let mut out = Extract::default();
    let mut resolver = Resolver { registry, only: spec.region.only, gemeente: None, wijk: None };
    let mut seen_regions: HashSet<String> = HashSet::new();
    // cell → (sub-period, index) so the latest period of a year wins.
    let mut cells: HashMap<(String, i32, String, String), (i32, usize)> = HashMap::new();
    let mut skipped_unknown: Vec<String> = Vec::new();
    let number = |row: &Row, i: usize| -> crate::Result<Cell> {
        parse_cell(&row.cells[i], table.flavour).map_err(|_| {
            Error::input(
                table.at(Some(row.line), Some(i + 1)),
                format!("'{}' in column '{}' is not a number", row.cells[i].trim(), table.headers[i]),
                if table.flavour == Flavour::Web {
                    "StatLine exports use a decimal comma and '.' for secret values; check the export settings"
                } else {
                    "numbers use a decimal point; '.' or an empty cell means no value"
                },
            )
        })
    };
    for row in &table.rows {
        if !filters.iter().all(|(i, allowed)| allowed.iter().any(|a| a.trim() == row.cells[*i].trim())) {
            continue;
        }
        let (year, sub) = if let Some(p) = period_col {
            match parse_period(&row.cells[p]) {
                Some(ys) => ys,
                None => {
                    return Err(Error::input(
                        table.at(Some(row.line), Some(p + 1)),
                        format!("'{}' is not a period", row.cells[p].trim()),
                        "the period column should hold a year such as 2023 or 2023JJ00",
                    ));
                }
            }
        } else if let Some(y) = year_col {
            match row.cells[y].trim().parse::<f64>() {
                Ok(v) => (v as i32, 100),
                Err(_) => {
                    return Err(Error::input(
                        table.at(Some(row.line), Some(y + 1)),
                        format!("'{}' is not a year", row.cells[y].trim()),
                        "the year column should hold a year such as 2022",
                    ))
                }
            }
        } else if let Some(y) = spec.year.or(file_year) {
            (y, 100)
        } else {
            return Err(Error::input(
                table.at(None, None),
                "cannot tell which year the figures are for",
                "put the year in the file name (e.g. wijk_2022.dbf)",
            ));
        };
        let group = match (&spec.groups, &group_cols) {
            (Some(g), Some(cols)) => {
                let key = cols.iter().map(|&i| row.cells[i].trim()).collect::<Vec<_>>().join("|");
                match g.map.get(&key) {
                    Some(code) if code != "skip" => Some(code.clone()),
                    _ => continue,
                }
            }
            _ => None,
        };
        // A row without any figure needs no region (StatLine lists empty periods too).
        let any_figure = measures
            .iter()
            .any(|m| [&m.value, &m.count].into_iter().flatten().flatten().any(|&i| !row.cells[i].trim().is_empty()));
        if !any_figure && !spec.region.defines {
            continue;
        }
        let code_cell = code_col.map(|i| row.cells[i].trim()).filter(|c| !c.is_empty());
        let name_cell = name_col.map(|i| row.cells[i].as_str()).unwrap_or_default();
        let gm_name = gm_col.map(|i| row.cells[i].trim()).filter(|s| !s.is_empty());
        let code = match code_cell.and_then(normalize_code) {
            Some(c) => {
                resolver.enter(c.clone());
                c
            }
            None if spec.region.defines && code_cell.is_some() => continue, // e.g. GM0998 water rows
            None => match resolver.resolve(name_cell, gm_name, year) {
                Resolved::Code(c) => c,
                Resolved::Skip => continue,
                Resolved::Unknown(n) => {
                    if spec.region.unknown == Unknown::Warn {
                        if !skipped_unknown.contains(&n) {
                            skipped_unknown.push(n);
                        }
                        continue;
                    }
                    let at = table.at(Some(row.line), name_col.map(|i| i + 1));
                    let sugg = match registry.lookup(&n, None, None) {
                        crate::model::region::Lookup::NotFound { suggestions } if !suggestions.is_empty() => format!(
                            "bedoelde u {}? ",
                            suggestions.iter().take(3).map(|r| r.display()).collect::<Vec<_>>().join(", ")
                        ),
                        _ => String::new(),
                    };
                    return Err(Error::input(at, format!("unknown region '{n}'"), format!("{sugg}import the region list of that year first (the KWB table of that year), or correct the name")));
                }
                Resolved::Ambiguous(list) => {
                    return Err(Error::input(
                        table.at(Some(row.line), name_col.map(|i| i + 1)),
                        format!("the region name '{}' is ambiguous: {}", name_cell.trim(), list.join("; ")),
                        "use a file with region codes (the StatLine export with 'Codering'), or add the gemeente column",
                    ));
                }
            },
        };
        if crate::model::region::is_placeholder(&code) {
            continue;
        }
        if spec.region.defines && !seen_regions.contains(&code) {
            let level =
                level_col.and_then(|i| Level::parse(row.cells[i].trim())).or_else(|| code_level(&code)).unwrap();
            let name = if name_cell.trim().is_empty() { code.clone() } else { clean_name(name_cell) };
            let gemeente_name = match level {
                Level::Gemeente | Level::Land => name.clone(),
                _ => gm_name.map(clean_name).unwrap_or_default(),
            };
            out.regions.push(Region { code: code.clone(), name, level, gemeente_name, year });
            if spec.geometry {
                if let Some(g) = super::table::geometry_of(&code, year, row) {
                    out.geometry.push(g);
                }
            }
            seen_regions.insert(code.clone());
        } else if spec.geometry && !seen_regions.contains(&code) {
            if let Some(g) = super::table::geometry_of(&code, year, row) {
                out.geometry.push(g);
            }
            seen_regions.insert(code.clone());
        }
        for m in &measures {
            if !m.filter.iter().all(|(i, allowed)| allowed.iter().any(|a| a.trim() == row.cells[*i].trim())) {
                continue;
            }
            let total = |cols: &Option<Vec<usize>>| -> crate::Result<Option<Cell>> {
                let Some(cols) = cols else { return Ok(None) };
                let mut acc = Cell::Number(0.0);
                for &i in cols {
                    acc = match (acc, number(row, i)?) {
                        (Cell::Number(a), Cell::Number(b)) => Cell::Number(a + b),
                        (Cell::Suppressed, _) | (_, Cell::Suppressed) => Cell::Suppressed,
                        _ => Cell::Empty,
                    };
                }
                Ok(Some(acc))
            };
            let value = total(&m.value)?;
            let count = total(&m.count)?;
            let den = total(&m.den)?;
            let num = |c: Option<Cell>| match c {
                Some(Cell::Number(v)) => Some(v),
                _ => None,
            };
            let (count_v, den_v) = (num(count), num(den));
            let computed = match (m.spec.per, count_v, den_v) {
                (Some(per), Some(c), Some(d)) if d > 0.0 => Some(c / d * per),
                _ => None,
            };
            let value_v = num(value).map(|v| v * m.spec.scale).or(computed);
            let suppressed = value_v.is_none()
                && (value == Some(Cell::Suppressed)
                    || count == Some(Cell::Suppressed)
                    || (m.spec.per.is_some() && den == Some(Cell::Suppressed)));
            if value_v.is_none() && !suppressed {
                continue;
            }
            let group = m.spec.group.clone().or_else(|| group.clone()).unwrap_or_else(|| TOTAAL.to_string());
            let obs = Observation {
                region: code.clone(),
                year,
                group,
                indicator: m.spec.indicator.clone(),
                value: value_v,
                count: count_v,
                denominator: den_v,
                suppressed,
                source: spec.id.clone(),
                source_title: spec.title.clone(),
                released: spec.released.clone(),
            };
            let key = (obs.region.clone(), obs.year, obs.group.clone(), obs.indicator.clone());
            match cells.get(&key) {
                Some(&(s, _)) if s > sub => {}
                Some(&(_, i)) => {
                    out.observations[i] = obs;
                    cells.insert(key, (sub, i));
                }
                None => {
                    cells.insert(key, (sub, out.observations.len()));
                    out.observations.push(obs);
                }
            }
        }
    }
    if !skipped_unknown.is_empty() {
        out.warnings.push(format!(
            "{}: {} region name(s) not in the registry were skipped (e.g. {})",
            table.path.display(),
            skipped_unknown.len(),
            skipped_unknown.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_keys_of_other_levels_are_recognised() {
        for k in ["PV26", "CR33", "LD01", "RE03", "GG3306"] {
            assert!(other_level_key(k), "{k}");
        }
        for k in ["GM0344", "NL01", "Utrecht", "PV", "Ee12345"] {
            assert!(!other_level_key(k), "{k}");
        }
    }

    #[test]
    fn periods() {
        assert_eq!(parse_period("2023*"), Some((2023, 100)));
        assert_eq!(parse_period("2024JJ00"), Some((2024, 100)));
        assert_eq!(parse_period("1e halfjaar 2024"), Some((2024, 6)));
        assert_eq!(parse_period("2024 september"), Some((2024, 9)));
        assert_eq!(parse_period("2024KW03"), Some((2024, 9)));
        assert_eq!(parse_period("2004/'05"), Some((2004, 100)));
        assert_eq!(parse_period("totaal"), None);
    }

    #[test]
    fn cells() {
        assert_eq!(parse_cell(" . ", Flavour::OData), Ok(Cell::Suppressed));
        assert_eq!(parse_cell("", Flavour::OData), Ok(Cell::Empty));
        assert_eq!(parse_cell("-99999999", Flavour::Plain), Ok(Cell::Suppressed));
        assert_eq!(parse_cell("2,5", Flavour::Web), Ok(Cell::Number(2.5)));
        assert_eq!(parse_cell("2.5", Flavour::OData), Ok(Cell::Number(2.5)));
        assert!(parse_cell("abc", Flavour::OData).is_err());
    }

    fn table(flavour: Flavour, headers: &[&str]) -> Table {
        Table { path: "t.csv".into(), headers: headers.iter().map(|s| s.to_string()).collect(), rows: vec![], flavour }
    }

    #[test]
    fn column_references_match_all_flavours() {
        let t = table(Flavour::OData, &["ID", "AantalInwoners_5", "BuitenEuropa_19", "BuitenEuropa_22"]);
        assert_eq!(resolve(&t, "AantalInwoners"), Some(1));
        assert_eq!(resolve(&t, "BuitenEuropa#2"), Some(3));
        let w = table(
            Flavour::Web,
            &[
                "Wijken en buurten",
                "Bevolking/Aantal inwoners (aantal)",
                "Bevolking/Bevolking naar herkomst/Herkomstland/Buiten Europa  (aantal)",
            ],
        );
        assert_eq!(resolve(&w, "Aantal inwoners"), Some(1));
        assert_eq!(resolve(&w, "Herkomstland/Buiten Europa"), Some(2));
        assert_eq!(resolve(&w, "Wijken en buurten"), Some(0));
    }
}
