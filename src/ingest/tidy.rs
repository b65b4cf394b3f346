//! The tidy CSV format, for a gemeente's own figures (survey results, microdata splits by
//! herkomst) next to CBS's:
//!
//! ```text
//! region,year,group,indicator,value[,count,denominator][,source]
//! GM0363,2024,totaal,bijstand,5.1,31200,611000,Eigen registratie
//! ```
//!
//! `region` is a code or a name from the registry, `group` a herkomst group code,
//! `indicator` an id from the catalogue (`wijkmonitor indicators`), numbers use a decimal
//! point, an empty or `.` value means missing or secret.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::cell::{parse_cell, Cell};
use super::table::{Flavour, Table};
use crate::error::{Error, Location};
use crate::model::region::{normalize_code, Lookup};
use crate::model::{Catalogue, Indicator, Observation, Registry};
use crate::model::{Group, Source};

/// Required columns, in order.
pub const REQUIRED: &[&str] = &["region", "year", "group", "indicator", "value"];
/// Optional columns.
pub const OPTIONAL: &[&str] = &["count", "denominator", "source"];

/// The longest source name a row may carry (it is printed under every table).
pub const MAX_TEXT: usize = 200;

/// One row as read.
#[derive(Debug, Clone)]
pub struct TidyRow {
    line: usize,
    cells: Vec<(String, String)>,
}

/// True when the header is the tidy format's.
pub fn is_tidy(t: &Table) -> bool {
    t.headers.len() >= REQUIRED.len()
        && t.headers.iter().take(REQUIRED.len()).map(|h| h.to_lowercase()).eq(REQUIRED.iter().map(|s| s.to_string()))
}

/// Checks the header and keeps the rows.
pub fn parse(t: &Table) -> crate::Result<Vec<TidyRow>> {
    for (i, h) in t.headers.iter().enumerate().skip(REQUIRED.len()) {
        if !OPTIONAL.contains(&h.to_lowercase().as_str()) {
            return Err(Error::input(
                t.at(Some(1), Some(i + 1)),
                format!("onbekende kolom '{h}'"),
                format!(
                    "het nette formaat heeft de kolommen {} en eventueel {}",
                    REQUIRED.join(","),
                    OPTIONAL.join(",")
                ),
            ));
        }
    }
    Ok(t.rows
        .iter()
        .map(|r| TidyRow {
            line: r.line,
            cells: t.headers.iter().map(|h| h.to_lowercase()).zip(r.cells.iter().cloned()).collect(),
        })
        .collect())
}

/// One cell of the tidy format: region, year, group, indicator.
type CellKey = (String, i32, Group, String);

/// A figure's numbers as bits (value, count, denominator), to compare two rows exactly.
type Figure = (Option<u64>, Option<u64>, Option<u64>);

/// Turns rows into figures, checking every field.
pub fn to_observations(
    path: &Path,
    rows: Vec<TidyRow>,
    registry: &Registry,
    catalogue: &Catalogue,
) -> crate::Result<Vec<Observation>> {
    let released = released_on(path);
    let mut sources = OwnSources::new(path);
    let mut seen: HashMap<CellKey, (usize, Figure)> = HashMap::default();
    let mut out = Vec::new();
    for r in rows {
        let f = Fields { path, row: &r };
        let region = f.region(registry)?;
        let year = f.year()?;
        let group = f.group()?;
        let indicator = f.get("indicator");
        let Some(ind) = catalogue.get(indicator) else {
            return Err(Error::input(
                f.at("indicator"),
                format!("onbekende indicator '{indicator}'"),
                "`wijkmonitor indicators` toont de ids",
            ));
        };
        let (value, count, denominator) = f.numbers(ind)?;
        let source = f.source()?;
        let v = number(value);
        // Two rows for one cell: the same figure twice is harmless, two different ones
        // are a mistake that must not be settled by row order.
        let key = (region.clone(), year, group, indicator.to_string());
        let figure = (v.map(f64::to_bits), count.map(f64::to_bits), denominator.map(f64::to_bits));
        match seen.get(&key) {
            Some((line, was)) if *was != figure => {
                return Err(Error::input(
                    f.at("value"),
                    format!("{} {} {year} ({}) heeft een ander cijfer op regel {line}", ind.label, key.0, group.code()),
                    "houd één regel per gebied, jaar, groep en indicator",
                ))
            }
            Some(_) => continue,
            None => {
                seen.insert(key, (r.line, figure));
            }
        }
        out.push(
            Observation::new(region, year, indicator, v, [sources.get(source)], released.as_str())
                .in_group(group)
                .counted(count, denominator)
                .marked(matches!(value, Some(Cell::Suppressed))),
        );
    }
    Ok(out)
}

/// The release date of a file's own figures: the day it was last changed.
fn released_on(path: &Path) -> String {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| {
            let days = (d.as_secs() / 86400) as i64;
            crate::format::civil_date(days)
        })
        .unwrap_or_else(|| "0000-00-00".into())
}

/// One shared source per distinct source text of a file; a gemeente's own figures are
/// never CBS's.
struct OwnSources {
    /// The file's name, for rows without a source.
    name: String,
    sources: HashMap<String, Arc<Source>>,
}

impl OwnSources {
    /// The sources of the file at `path`.
    fn new(path: &Path) -> OwnSources {
        let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        OwnSources { name, sources: HashMap::default() }
    }

    /// The source a row names (`text`), or the file's own when it names none.
    fn get(&mut self, text: &str) -> Arc<Source> {
        let name = &self.name;
        self.sources
            .entry(text.to_string())
            .or_insert_with(|| {
                if text.is_empty() {
                    Source::new(format!("eigen:{name}"), format!("Eigen gegevens ({name})"), false)
                } else {
                    Source::new(text, text, false)
                }
            })
            .clone()
    }
}

/// A cell's number, if it holds one.
fn number(c: Option<Cell>) -> Option<f64> {
    if let Some(Cell::Number(x)) = c {
        Some(x)
    } else {
        None
    }
}

/// One row's fields by column name, each read and checked with its place for errors.
struct Fields<'r> {
    path: &'r Path,
    row: &'r TidyRow,
}

impl Fields<'_> {
    /// The trimmed text of column `k` (empty when the file lacks it).
    fn get(&self, k: &str) -> &str {
        self.row.cells.iter().find(|(h, _)| h == k).map(|(_, v)| v.trim()).unwrap_or("")
    }

    /// The 1-based column of `k`, if the file has it.
    fn col(&self, k: &str) -> Option<usize> {
        self.row.cells.iter().position(|(h, _)| h == k).map(|i| i + 1)
    }

    /// Where column `k` of this row is, for an error.
    fn at(&self, k: &str) -> Location {
        Location { file: self.path.into(), line: Some(self.row.line), column: self.col(k) }
    }

    /// The region: a code the registry knows, or a name it finds once.
    fn region(&self, registry: &Registry) -> crate::Result<String> {
        let region_text = self.get("region");
        match normalize_code(region_text) {
            Some(c) if registry.get(&c).is_some() => Ok(c),
            Some(c) => Err(Error::input(
                self.at("region"),
                format!("onbekende gebiedscode '{c}'"),
                if registry.is_empty() {
                    "lees eerst de Kerncijfers wijken en buurten in (`wijkmonitor data download` of `data import`), \
                     zodat de gebiedscodes bekend zijn"
                        .to_string()
                } else {
                    "controleer de code; `wijkmonitor regions search NAAM` zoekt hem op".to_string()
                },
            )),
            None => match registry.lookup(region_text, None, None) {
                Lookup::Found(reg) => Ok(reg.code),
                Lookup::Ambiguous(list) => Err(Error::input(
                    self.at("region"),
                    format!("de gebiedsnaam '{region_text}' is niet eenduidig"),
                    format!(
                        "gebruik de code: {}",
                        list.iter().map(|r| format!("{} = {}", r.code, r.display())).collect::<Vec<_>>().join(", ")
                    ),
                )),
                Lookup::NotFound { suggestions } => {
                    let hint = if suggestions.is_empty() {
                        "gebruik een CBS-code zoals GM0363 of WK036305".to_string()
                    } else {
                        format!(
                            "bedoelde u {}?",
                            suggestions
                                .iter()
                                .take(3)
                                .map(|r| format!("{} ({})", r.display(), r.code))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    Err(Error::input(self.at("region"), format!("onbekend gebied '{region_text}'"), hint))
                }
            },
        }
    }

    /// The year, in four digits.
    fn year(&self) -> crate::Result<i32> {
        self.get("year").parse().map_err(|_| {
            Error::input(
                self.at("year"),
                format!("'{}' is geen jaar", self.get("year")),
                "schrijf het jaar in vier cijfers, bijv. 2024",
            )
        })
    }

    /// The herkomst group; empty is the total.
    fn group(&self) -> crate::Result<Group> {
        let group_text = self.get("group");
        if group_text.is_empty() {
            return Ok(Group::Totaal);
        }
        Group::parse(group_text).ok_or_else(|| {
            Error::input(
                self.at("group"),
                format!("onbekende herkomstgroep '{group_text}'"),
                format!("gebruik een van: {}", Group::known()),
            )
        })
    }

    /// The number in column `k` (`None` when the file lacks the column).
    fn cell(&self, k: &str) -> crate::Result<Option<Cell>> {
        if self.col(k).is_none() {
            return Ok(None);
        }
        parse_cell(self.get(k), Flavour::Plain).map(Some).map_err(|_| {
            Error::input(
                self.at(k),
                format!("'{}' is geen getal", self.get(k)),
                "gebruik een decimale punt (7.3); laat leeg of schrijf '.' als er geen waarde is",
            )
        })
    }

    /// The value cell, count and denominator, checked against the indicator's unit.
    fn numbers(&self, ind: &Indicator) -> crate::Result<(Option<Cell>, Option<f64>, Option<f64>)> {
        let value = self.cell("value")?;
        let (count, denominator) = (number(self.cell("count")?), number(self.cell("denominator")?));
        ind.unit.check(number(value), count, denominator).map_err(|why| {
            Error::input(
                self.at("value"),
                format!("{}: {why}", ind.label),
                format!("{} is in {}; verbeter het cijfer in het bestand", ind.label, ind.unit),
            )
        })?;
        Ok((value, count, denominator))
    }

    /// The source name, at most [`MAX_TEXT`] characters.
    fn source(&self) -> crate::Result<&str> {
        let source = self.get("source");
        if source.chars().count() > MAX_TEXT {
            return Err(Error::input(
                self.at("source"),
                format!("de bronnaam is {} tekens lang; hooguit {MAX_TEXT} is toegestaan", source.chars().count()),
                "geef de bron een korte naam, bijv. \"Burgerpeiling 2024\"",
            ));
        }
        Ok(source)
    }
}
