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

use std::path::Path;

use super::cell::{parse_cell, Cell};
use super::table::{Flavour, Table};
use crate::error::{Error, Location};
use crate::model::region::{normalize_code, Lookup};
use crate::model::{Catalogue, Observation, Registry};
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

/// Turns rows into figures, checking every field.
pub fn to_observations(
    path: &Path,
    rows: Vec<TidyRow>,
    registry: &Registry,
    catalogue: &Catalogue,
) -> crate::Result<Vec<Observation>> {
    let released = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| {
            let days = (d.as_secs() / 86400) as i64;
            crate::format::civil_date(days)
        })
        .unwrap_or_else(|| "0000-00-00".into());
    let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let mut out = Vec::new();
    // One shared source per distinct source text; a gemeente's own figures are never CBS's.
    let mut sources: std::collections::HashMap<String, std::sync::Arc<Source>> = Default::default();
    let mut own_source = |text: &str| -> std::sync::Arc<Source> {
        sources
            .entry(text.to_string())
            .or_insert_with(|| {
                if text.is_empty() {
                    Source::new(format!("eigen:{name}"), format!("Eigen gegevens ({name})"), false)
                } else {
                    Source::new(text, text, false)
                }
            })
            .clone()
    };
    type Figure = (Option<u64>, Option<u64>, Option<u64>);
    let mut seen: std::collections::HashMap<(String, i32, Group, String), (usize, Figure)> = Default::default();
    for r in rows {
        let get = |k: &str| r.cells.iter().find(|(h, _)| h == k).map(|(_, v)| v.trim()).unwrap_or("");
        let col = |k: &str| r.cells.iter().position(|(h, _)| h == k).map(|i| i + 1);
        let at = |k: &str| Location { file: path.into(), line: Some(r.line), column: col(k) };
        let region_text = get("region");
        let region = match normalize_code(region_text) {
            Some(c) if registry.get(&c).is_some() => c,
            Some(c) => {
                return Err(Error::input(
                    at("region"),
                    format!("onbekende gebiedscode '{c}'"),
                    if registry.is_empty() {
                        "lees eerst de Kerncijfers wijken en buurten in (`wijkmonitor data download` of `data import`), \
                         zodat de gebiedscodes bekend zijn"
                            .to_string()
                    } else {
                        "controleer de code; `wijkmonitor regions search NAAM` zoekt hem op".to_string()
                    },
                ))
            }
            None => match registry.lookup(region_text, None, None) {
                Lookup::Found(reg) => reg.code,
                Lookup::Ambiguous(list) => {
                    return Err(Error::input(
                        at("region"),
                        format!("de gebiedsnaam '{region_text}' is niet eenduidig"),
                        format!(
                            "gebruik de code: {}",
                            list.iter().map(|r| format!("{} = {}", r.code, r.display())).collect::<Vec<_>>().join(", ")
                        ),
                    ))
                }
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
                    return Err(Error::input(at("region"), format!("onbekend gebied '{region_text}'"), hint));
                }
            },
        };
        let year: i32 = get("year").parse().map_err(|_| {
            Error::input(
                at("year"),
                format!("'{}' is geen jaar", get("year")),
                "schrijf het jaar in vier cijfers, bijv. 2024",
            )
        })?;
        let group_text = get("group");
        let group = if group_text.is_empty() {
            Group::Totaal
        } else {
            Group::parse(group_text).ok_or_else(|| {
                Error::input(
                    at("group"),
                    format!("onbekende herkomstgroep '{group_text}'"),
                    format!("gebruik een van: {}", Group::known()),
                )
            })?
        };
        let indicator = get("indicator");
        let Some(ind) = catalogue.get(indicator) else {
            return Err(Error::input(
                at("indicator"),
                format!("onbekende indicator '{indicator}'"),
                "`wijkmonitor indicators` toont de ids",
            ));
        };
        let num = |k: &str| -> crate::Result<Option<Cell>> {
            if col(k).is_none() {
                return Ok(None);
            }
            parse_cell(get(k), Flavour::Plain).map(Some).map_err(|_| {
                Error::input(
                    at(k),
                    format!("'{}' is geen getal", get(k)),
                    "gebruik een decimale punt (7.3); laat leeg of schrijf '.' als er geen waarde is",
                )
            })
        };
        let value = num("value")?;
        let v = |c: Option<Cell>| if let Some(Cell::Number(x)) = c { Some(x) } else { None };
        let (count, denominator) = (v(num("count")?), v(num("denominator")?));
        ind.unit.check(v(value), count, denominator).map_err(|why| {
            Error::input(
                at("value"),
                format!("{}: {why}", ind.label),
                format!("{} is in {}; verbeter het cijfer in het bestand", ind.label, ind.unit),
            )
        })?;
        let source = get("source");
        if source.chars().count() > MAX_TEXT {
            return Err(Error::input(
                at("source"),
                format!("de bronnaam is {} tekens lang; hooguit {MAX_TEXT} is toegestaan", source.chars().count()),
                "geef de bron een korte naam, bijv. \"Burgerpeiling 2024\"",
            ));
        }
        // Two rows for one cell: the same figure twice is harmless, two different ones
        // are a mistake that must not be settled by row order.
        let key = (region.clone(), year, group, indicator.to_string());
        let figure = (v(value).map(f64::to_bits), count.map(f64::to_bits), denominator.map(f64::to_bits));
        match seen.get(&key) {
            Some((line, f)) if *f != figure => {
                return Err(Error::input(
                    at("value"),
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
            Observation::new(region, year, indicator, v(value), [own_source(source)], released.as_str())
                .in_group(group)
                .counted(count, denominator)
                .marked(matches!(value, Some(Cell::Suppressed))),
        );
    }
    Ok(out)
}
