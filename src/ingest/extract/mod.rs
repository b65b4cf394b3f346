//! Applies a source description to a table: finds the columns, reads each row's region
//! (by code, or by name in table order), period and herkomst group, and turns every
//! measure into figures, with the latest sub-period of a year winning a cell.
//!
//! The work is in named steps: `columns` finds the columns before any row is read,
//! `credit` says which source each figure is credited to, `rows` reads a row's
//! period, group and region (and records the regions and outlines a table defines), and
//! `figures` turns a row's cells into figures and places them, one per cell.

mod columns;
mod credit;
mod figures;
mod rows;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use self::columns::{passes, Columns};
use self::credit::Credits;
use super::cell::year_from_file_name;
use super::names::Resolver;
use super::spec::{Extract, SourceSpec};
use super::table::{Row, Table};
use crate::model::region::{is_placeholder, Registry};
use crate::model::{Atom, Catalogue, Group, Interner};

/// How far CBS's rounding of small counts (to 5) can put a count past its denominator.
const CBS_ROUNDING: f64 = 5.0;

/// One figure's place: region, year, group, indicator.
type CellKey = (Atom, i32, Group, Atom);

/// Applies a source description to a table.
pub fn extract(spec: &SourceSpec, table: &Table, registry: &Registry, catalogue: &Catalogue) -> crate::Result<Extract> {
    let cols = Columns::find(spec, table)?;
    let mut ex = Extractor::new(spec, table, registry, catalogue, &cols);
    for row in &table.rows {
        ex.read_row(row)?;
    }
    Ok(ex.finish())
}

/// One table being read: what is fixed for the table, and what its rows have given so
/// far.
struct Extractor<'a> {
    spec: &'a SourceSpec,
    table: &'a Table,
    registry: &'a Registry,
    catalogue: &'a Catalogue,
    cols: &'a Columns<'a>,
    credits: Credits<'a>,
    /// The year a file name says (`wijk_2022.dbf`).
    file_year: Option<i32>,
    /// The edition a file name names (`86165NED.csv` is 2025).
    edition_year: Option<i32>,
    out: Extract,
    resolver: Resolver<'a>,
    seen_regions: HashSet<String>,
    /// Where each region's outline came from: (line, index in `out.geometry`).
    outlines_at: HashMap<String, (usize, usize)>,
    /// Regions named twice in a table without codes (said once each).
    clashes: HashSet<String>,
    /// cell → (sub-period, index, line) so the latest period of a year wins. The line is
    /// kept to name both rows of a conflicting duplicate.
    cells: HashMap<CellKey, (i32, usize, usize)>,
    /// Ids shared by the figures of this table (a store holds a million).
    codes: Interner,
    indicators: Interner,
    /// Region names not in the registry, skipped where the description allows it.
    skipped_unknown: Vec<String>,
    /// Rows that passed the table's filters.
    kept_rows: usize,
}

impl<'a> Extractor<'a> {
    /// A reader of `table` with the columns `cols` found in it.
    fn new(
        spec: &'a SourceSpec,
        table: &'a Table,
        registry: &'a Registry,
        catalogue: &'a Catalogue,
        cols: &'a Columns<'a>,
    ) -> Extractor<'a> {
        Extractor {
            spec,
            table,
            registry,
            catalogue,
            cols,
            credits: Credits::new(spec, table),
            file_year: year_from_file_name(&table.path),
            edition_year: spec.edition_in_file_name(&table.path).map(|(y, _)| y),
            out: Extract { warnings: table.warnings.clone(), ..Extract::default() },
            resolver: Resolver::new(registry, spec.region.only),
            seen_regions: HashSet::new(),
            outlines_at: HashMap::new(),
            clashes: HashSet::new(),
            cells: HashMap::new(),
            codes: Interner::default(),
            indicators: Interner::default(),
            skipped_unknown: Vec::new(),
            kept_rows: 0,
        }
    }

    /// Reads one row: its period, group and region, the region's registry entry and
    /// outline where the table defines them, and the figure of every measure.
    fn read_row(&mut self, row: &Row) -> crate::Result<()> {
        let cols = self.cols;
        if !passes(&cols.filters, row) {
            return Ok(());
        }
        self.kept_rows += 1;
        let (year, sub) = self.period(row)?;
        let Some(group) = self.group(row) else { return Ok(()) };
        if !self.worth_reading(row) {
            return Ok(());
        }
        let labels = self.labels(row);
        let Some(code) = self.region(row, &labels, year)? else { return Ok(()) };
        if is_placeholder(&code) {
            return Ok(());
        }
        self.record_region(row, &labels, &code, year)?;
        for m in &cols.measures {
            self.read_measure(m, row, &code, (year, sub), group)?;
        }
        Ok(())
    }

    /// The result, with what the rows left to say: a sum with an empty part is
    /// dropped, and filters that kept no row and skipped region names are reported.
    fn finish(mut self) -> Extract {
        let (spec, table) = (self.spec, self.table);
        // A sum with an empty part is missing (kept until here so the later parts could
        // not make it whole again).
        if spec.measure.iter().any(|m| m.sum_rows) {
            self.out.observations.retain(|o| o.value.is_some() || o.suppressed);
        }
        // A file of the right table with none of the rows the description reads (RIVM's
        // file for 65+ only): said, not silently empty.
        let filters = &self.cols.filters;
        if self.kept_rows == 0 && !table.rows.is_empty() && !filters.is_empty() {
            self.out.warnings.push(format!(
                "{}: geen rijen met {}; het bestand is van tabel {} maar bevat alleen andere uitsplitsingen",
                table.path.display(),
                filters
                    .iter()
                    .map(|(i, allowed)| format!("{} = {}", table.headers[*i], allowed.join(" of ")))
                    .collect::<Vec<_>>()
                    .join(", "),
                spec.id
            ));
        }
        if !self.skipped_unknown.is_empty() {
            self.out.warnings.push(format!(
                "{}: {} gebiedsna(a)m(en) die niet in de gebiedsindeling staan, zijn overgeslagen: {}",
                table.path.display(),
                self.skipped_unknown.len(),
                self.skipped_unknown.join("; ")
            ));
        }
        self.out
    }
}
