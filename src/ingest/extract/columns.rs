//! The columns a source description reads in one table, found once before any row is
//! read: the region, period and herkomst columns, the row filters and each measure's
//! cells. Apart from the row loop so that a table without a usable key column is
//! refused before a single figure is made.

use crate::error::Error;
use crate::ingest::colref::ColumnRef;
use crate::ingest::spec::{MeasureSpec, SourceSpec};
use crate::ingest::table::{Row, Table};

/// A row filter: a column and the values a row may have in it.
pub(super) type Filter<'s> = (usize, &'s Vec<String>);

/// A measure with its columns in this table (`A+B+C` gives several to sum).
pub(super) struct Measure<'s> {
    /// The description of the measure.
    pub spec: &'s MeasureSpec,
    /// Columns of the value.
    pub value: Option<Vec<usize>>,
    /// Columns of the count.
    pub count: Option<Vec<usize>>,
    /// Columns of the denominator.
    pub den: Option<Vec<usize>>,
    /// The measure's own row filter (`where`).
    pub filter: Vec<Filter<'s>>,
}

/// Where the columns a description reads sit in one table.
pub(super) struct Columns<'s> {
    /// Region code.
    pub code: Option<usize>,
    /// Region name.
    pub name: Option<usize>,
    /// Gemeente name.
    pub gemeente: Option<usize>,
    /// Level word.
    pub level: Option<usize>,
    /// Period (`2023JJ00`).
    pub period: Option<usize>,
    /// Plain year.
    pub year: Option<usize>,
    /// The table's row filters.
    pub filters: Vec<Filter<'s>>,
    /// Herkomst dimension columns, when the description maps groups.
    pub groups: Option<Vec<usize>>,
    /// The measures this table has the columns of (the others are left out).
    pub measures: Vec<Measure<'s>>,
}

impl<'s> Columns<'s> {
    /// Finds the columns of `spec` in `table`. Refuses a table without a region column,
    /// with a key column of formulas without stored results, or without a herkomst
    /// column the description names.
    pub fn find(spec: &'s SourceSpec, table: &Table) -> crate::Result<Columns<'s>> {
        let col = |r: &Option<ColumnRef>| r.as_ref().and_then(|c| c.resolve(table));
        let (code, name) = (col(&spec.region.code), col(&spec.region.name));
        if code.is_none() && name.is_none() {
            return Err(Error::input(
                table.at(Some(1), None),
                format!("geen gebiedskolom gevonden voor bron {}", spec.id),
                "het bestand mist de kolom met gebiedscode of -naam; exporteer de tabel met de dimensie Regio's",
            ));
        }
        let cols = Columns {
            code,
            name,
            gemeente: col(&spec.region.gemeente),
            level: col(&spec.region.level),
            period: col(&spec.period),
            year: col(&spec.year_column),
            filters: spec
                .filter
                .iter()
                .filter_map(|(c, v)| ColumnRef::parse(c).resolve(table).map(|i| (i, v)))
                .collect(),
            groups: None,
            measures: measures(spec, table),
        };
        cols.refuse_formula_gaps(table)?;
        Ok(Columns { groups: group_columns(spec, table)?, ..cols })
    }

    /// A key column of formulas without stored results (a workbook saved by a tool that
    /// does not calculate) would drop rows without a word: the file is refused.
    fn refuse_formula_gaps(&self, table: &Table) -> crate::Result<()> {
        let keys = [self.code, self.name, self.gemeente, self.level, self.period, self.year];
        match table.formula_gaps.iter().find(|gap| keys.contains(&Some(gap.column))) {
            Some(gap) => Err(Error::input(
                table.at(Some(gap.first_line), Some(gap.column + 1)),
                format!(
                    "de sleutelkolom '{}' bestaat uit formules zonder opgeslagen uitkomst ({} cellen)",
                    table.headers.get(gap.column).map(String::as_str).unwrap_or("?"),
                    gap.cells
                ),
                "open de werkmap in Excel en sla haar op (dan worden de uitkomsten bewaard), of exporteer het blad als CSV",
            )),
            None => Ok(()),
        }
    }
}

/// True when `row` has one of the allowed values in every filtered column.
pub(super) fn passes(filters: &[Filter], row: &Row) -> bool {
    filters.iter().all(|(i, allowed)| allowed.iter().any(|a| a.trim() == row.cells[*i].trim()))
}

/// The herkomst dimension columns; an error when the description names one the table
/// lacks.
fn group_columns(spec: &SourceSpec, table: &Table) -> crate::Result<Option<Vec<usize>>> {
    let Some(g) = &spec.groups else { return Ok(None) };
    g.columns
        .iter()
        .map(|c| {
            c.resolve(table).ok_or_else(|| {
                Error::input(
                    table.at(Some(1), None),
                    format!("de herkomstkolom '{c}' van bron {} ontbreekt", spec.id),
                    "exporteer de tabel met de dimensie herkomst",
                )
            })
        })
        .collect::<crate::Result<_>>()
        .map(Some)
}

/// The measures whose columns the table has: a value, or a count (with a denominator
/// where a share is computed). `A+B+C` sums columns (e.g. the three education levels as
/// denominator).
fn measures<'s>(spec: &'s SourceSpec, table: &Table) -> Vec<Measure<'s>> {
    spec.measure
        .iter()
        .filter_map(|m| {
            let sum = |r: &Option<ColumnRef>| -> Option<Vec<usize>> { r.as_ref()?.resolve_sum(table) };
            let (value, count, den) = (sum(&m.value), sum(&m.count), sum(&m.denominator));
            if value.is_none() && (count.is_none() || (m.per.is_some() && den.is_none())) {
                return None;
            }
            let filter: Option<Vec<_>> =
                m.filter.iter().map(|(c, v)| ColumnRef::parse(c).resolve(table).map(|i| (i, v))).collect();
            Some(Measure { spec: m, value, count, den, filter: filter? })
        })
        .collect()
}
