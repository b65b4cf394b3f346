//! The steps that read one row's keys: its period, its herkomst group, its region (by
//! code, or by name in the order StatLine writes them), and the registry entry and
//! outline of a region the table defines. Apart from the figures so that how a row is
//! placed can be read without how its numbers are computed.

use super::Extractor;
use crate::error::Error;
use crate::ingest::cell::parse_period;
use crate::ingest::names::{clean_name, Resolved};
use crate::ingest::spec::{GroupTarget, Unknown};
use crate::ingest::table::{geometry_of, Row};
use crate::model::region::{code_level, normalize_code, Level, Lookup, Region};
use crate::model::Group;

/// The region labels of one row.
pub(super) struct Labels<'r> {
    /// The code cell, when not empty.
    code: Option<&'r str>,
    /// The name cell (untrimmed; empty without a name column).
    name: &'r str,
    /// The gemeente name, when the table has one.
    gemeente: Option<&'r str>,
}

impl Extractor<'_> {
    /// The row's year and sub-period (100 for a whole year): from the period column,
    /// else the year column, else the edition or year a file name or the description
    /// gives.
    pub(super) fn period(&self, row: &Row) -> crate::Result<(i32, i32)> {
        let (table, cols) = (self.table, self.cols);
        if let Some(p) = cols.period {
            parse_period(&row.cells[p]).ok_or_else(|| {
                Error::input(
                    table.at(Some(row.line), Some(p + 1)),
                    format!("'{}' is geen periode", row.cells[p].trim()),
                    "de periodekolom hoort een jaar te bevatten, zoals 2023 of 2023JJ00",
                )
            })
        } else if let Some(y) = cols.year {
            match row.cells[y].trim().parse::<f64>() {
                Ok(v) => Ok((v as i32, 100)),
                Err(_) => Err(Error::input(
                    table.at(Some(row.line), Some(y + 1)),
                    format!("'{}' is geen jaar", row.cells[y].trim()),
                    "de jaarkolom hoort een jaar te bevatten, zoals 2022",
                )),
            }
        } else if let Some(y) = self.edition_year.or(self.spec.year).or(self.file_year) {
            // The edition a file name names, before a description's fixed year (the
            // KWB: 86165NED.csv is 2025, a file without a table id 2024).
            Ok((y, 100))
        } else {
            Err(self.no_year())
        }
    }

    /// The error for a table whose year shows nowhere.
    fn no_year(&self) -> Error {
        let spec = self.spec;
        Error::input(
            self.table.at(None, None),
            "niet te zien voor welk jaar de cijfers zijn",
            if spec.editions.is_empty() {
                "zet het jaar in de bestandsnaam (bijv. wijk_2022.dbf)".to_string()
            } else {
                format!(
                    "noem het bestand naar de CBS-tabel ({}) of zet het jaar in de bestandsnaam",
                    spec.edition_list()
                        .iter()
                        .map(|(y, id)| format!("{id}.csv voor {y}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        )
    }

    /// The row's herkomst group: `None` when the row is not read (its values map to
    /// `skip` or to nothing), `Some(None)` in a table without herkomst columns.
    pub(super) fn group(&self, row: &Row) -> Option<Option<Group>> {
        match (&self.spec.groups, &self.cols.groups) {
            (Some(g), Some(cols)) => {
                let key = cols.iter().map(|&i| row.cells[i].trim()).collect::<Vec<_>>().join("|");
                match g.map.get(&key) {
                    Some(GroupTarget::Group(group)) => Some(Some(*group)),
                    _ => None,
                }
            }
            _ => Some(None),
        }
    }

    /// False for a row without any figure, which needs no region (StatLine lists empty
    /// periods too), unless the table defines regions or outlines, or sums rows (a row
    /// of a sum is read even when empty: its empty cell makes the sum missing).
    pub(super) fn worth_reading(&self, row: &Row) -> bool {
        let measures = &self.cols.measures;
        let any_figure = measures
            .iter()
            .any(|m| [&m.value, &m.count].into_iter().flatten().flatten().any(|&i| !row.cells[i].trim().is_empty()));
        any_figure || self.spec.region.defines || self.spec.geometry || measures.iter().any(|m| m.spec.sum_rows)
    }

    /// The row's region labels.
    pub(super) fn labels<'r>(&self, row: &'r Row) -> Labels<'r> {
        let cols = self.cols;
        Labels {
            code: cols.code.map(|i| row.cells[i].trim()).filter(|c| !c.is_empty()),
            name: cols.name.map(|i| row.cells[i].as_str()).unwrap_or_default(),
            gemeente: cols.gemeente.map(|i| row.cells[i].trim()).filter(|s| !s.is_empty()),
        }
    }

    /// The row's region code, by its code or else by its name; `None` for a row that is
    /// skipped (another level, water rows of a region list, an unknown name the
    /// description lets pass). An unknown or ambiguous name is an error.
    pub(super) fn region(&mut self, row: &Row, labels: &Labels, year: i32) -> crate::Result<Option<String>> {
        match labels.code.and_then(normalize_code) {
            Some(c) => {
                self.resolver.enter(c.clone());
                Ok(Some(c))
            }
            None if self.spec.region.defines && labels.code.is_some() => Ok(None), // e.g. GM0998 water rows
            None => match self.resolver.resolve(labels.name, labels.gemeente, year) {
                Resolved::Code(c) => Ok(Some(c)),
                Resolved::Skip => Ok(None),
                Resolved::Unknown(n) => self.unknown_region(row, labels, n).map(|()| None),
                Resolved::Ambiguous(list) => Err(Error::input(
                    self.table.at(Some(row.line), self.cols.name.map(|i| i + 1)),
                    format!("de gebiedsnaam '{}' is niet eenduidig: {}", labels.name.trim(), list.join("; ")),
                    "gebruik een bestand met gebiedscodes (de StatLine-export met 'Codering'), of voeg de kolom gemeente toe",
                )),
            },
        }
    }

    /// A region name not in the registry: noted and skipped where the description says
    /// `unknown = "warn"`, else an error with the names meant most likely.
    fn unknown_region(&mut self, row: &Row, labels: &Labels, n: String) -> crate::Result<()> {
        let registry = self.registry;
        if self.spec.region.unknown == Unknown::Warn {
            // Named with the gemeente it was read in, so a user can find it.
            let within = self
                .resolver
                .current_gemeente()
                .filter(|_| labels.gemeente.is_none())
                .and_then(|g| registry.get(g))
                .map(|g| format!("{n} (in {})", g.name));
            let n = within.or(labels.gemeente.map(|g| format!("{n} (in {g})"))).unwrap_or(n);
            if !self.skipped_unknown.contains(&n) {
                self.skipped_unknown.push(n);
            }
            return Ok(());
        }
        let at = self.table.at(Some(row.line), self.cols.name.map(|i| i + 1));
        let sugg = match registry.lookup(&n, None, None) {
            Lookup::NotFound { suggestions } if !suggestions.is_empty() => format!(
                "bedoelde u {}? ",
                suggestions.iter().take(3).map(|r| r.display()).collect::<Vec<_>>().join(", ")
            ),
            _ => String::new(),
        };
        Err(Error::input(
            at,
            format!("onbekend gebied '{n}'"),
            format!(
                "{sugg}lees eerst de gebiedsindeling van dat jaar in (de KWB-tabel van dat jaar), of verbeter de naam"
            ),
        ))
    }

    /// Records the region's registry entry (when the table defines regions) and its
    /// outline (when it has outlines), the first time the region is seen. A second,
    /// different outline of one region is an error: which one is the region is not
    /// ours to guess.
    pub(super) fn record_region(&mut self, row: &Row, labels: &Labels, code: &str, year: i32) -> crate::Result<()> {
        let spec = self.spec;
        if spec.region.defines && !self.seen_regions.contains(code) {
            let level =
                self.cols.level.and_then(|i| Level::parse(row.cells[i].trim())).or_else(|| code_level(code)).unwrap();
            let name = if labels.name.trim().is_empty() { code.to_string() } else { clean_name(labels.name) };
            let gemeente_name = match level {
                Level::Gemeente | Level::Land => name.clone(),
                _ => labels.gemeente.map(clean_name).unwrap_or_default(),
            };
            self.out.regions.push(Region { code: code.to_string(), name, level, gemeente_name, year });
            if spec.geometry {
                self.add_outline(row, code, year);
            }
            self.seen_regions.insert(code.to_string());
        } else if spec.geometry && !self.seen_regions.contains(code) {
            self.add_outline(row, code, year);
            self.seen_regions.insert(code.to_string());
        } else if let Some(&(first, i)) = self.outlines_at.get(code).filter(|_| spec.geometry) {
            let second = geometry_of(code, year, row, &self.credits.outline_source);
            if second.is_some_and(|g| g.rings != self.out.geometry[i].rings) {
                return Err(Error::input(
                    self.table.at(Some(row.line), None),
                    format!("{code} heeft een tweede, andere omtrek in dit bestand (de eerste bij object {first})"),
                    "houd één object per gebied (een gebied uit delen is één MultiPolygon)",
                ));
            }
        }
        Ok(())
    }

    /// Keeps the row's outline, if it has one, and where it came from.
    fn add_outline(&mut self, row: &Row, code: &str, year: i32) {
        if let Some(g) = geometry_of(code, year, row, &self.credits.outline_source) {
            self.outlines_at.insert(code.to_string(), (row.line, self.out.geometry.len()));
            self.out.geometry.push(g);
        }
    }
}
