//! The steps that turn one row's cells into figures: each measure's numbers read (and
//! summed over `A+B` columns), a share computed from a count and a denominator, the
//! figure checked against its unit, and placed in its cell, where the latest sub-period
//! of a year wins, rows of a sum add up, and a second, different figure for one cell is
//! an error. Apart from the row's keys so that the rules of a figure read on their own.

use super::columns::{passes, Measure};
use super::{Extractor, CBS_ROUNDING};
use crate::error::Error;
use crate::ingest::cell::{parse_cell, Cell};
use crate::ingest::table::{Flavour, Row};
use crate::model::{Group, Observation, TOTAAL};

/// One measure's numbers in one row.
struct Figure {
    /// The value, read or computed.
    value: Option<f64>,
    /// The count.
    count: Option<f64>,
    /// The denominator.
    den: Option<f64>,
    /// A count CBS rounded past its denominator (15 of 10).
    rounded_past: bool,
    /// The value is secret.
    suppressed: bool,
}

impl Extractor<'_> {
    /// Reads measure `m` in `row` of region `code` in `period` (year, sub-period) and
    /// places its figure, if the row has one.
    pub(super) fn read_measure(
        &mut self,
        m: &Measure,
        row: &Row,
        code: &str,
        (year, sub): (i32, i32),
        group: Option<Group>,
    ) -> crate::Result<()> {
        if !passes(&m.filter, row) {
            return Ok(());
        }
        let Some(fig) = self.figure(m, row)? else { return Ok(()) };
        self.check_unit(m, row, code, &fig)?;
        let obs = Observation::new(
            self.codes.get(code),
            year,
            self.indicators.get(&m.spec.indicator),
            fig.value,
            [self.credits.source_of(year, sub)],
            self.credits.released.clone(),
        )
        .in_group(m.spec.group.or(group).unwrap_or(TOTAAL))
        .counted(fig.count, fig.den)
        .marked(fig.suppressed);
        self.place(m, row, code, sub, obs)
    }

    /// One cell as a number; an error naming the cell when it is none.
    fn number(&self, row: &Row, i: usize) -> crate::Result<Cell> {
        let table = self.table;
        parse_cell(&row.cells[i], table.flavour)
            .map(|c| if self.spec.dot_is_missing && c == Cell::Suppressed { Cell::Empty } else { c })
            .map_err(|_| {
                Error::input(
                    table.at(Some(row.line), Some(i + 1)),
                    format!("'{}' in kolom '{}' is geen getal", row.cells[i].trim(), table.headers[i]),
                    if table.flavour == Flavour::Web {
                        "StatLine-exports gebruiken een decimale komma en '.' voor geheime waarden; controleer de exportinstellingen"
                    } else {
                        "getallen hebben een decimale punt; '.' of een lege cel betekent: geen waarde"
                    },
                )
            })
    }

    /// The sum of `cols` in `row` (`None` without columns): a secret part makes it
    /// secret, an empty part empty.
    fn total(&self, row: &Row, cols: &Option<Vec<usize>>) -> crate::Result<Option<Cell>> {
        let Some(cols) = cols else { return Ok(None) };
        let mut acc = Cell::Number(0.0);
        for &i in cols {
            acc = match (acc, self.number(row, i)?) {
                (Cell::Number(a), Cell::Number(b)) => Cell::Number(a + b),
                (Cell::Suppressed, _) | (_, Cell::Suppressed) => Cell::Suppressed,
                _ => Cell::Empty,
            };
        }
        Ok(Some(acc))
    }

    /// Measure `m`'s numbers in `row`: the value (read and scaled, or computed from
    /// the count and denominator), and whether it is secret. `None` when the row has no
    /// figure of it (nor a secret one, nor a part of a sum).
    fn figure(&self, m: &Measure, row: &Row) -> crate::Result<Option<Figure>> {
        let value = self.total(row, &m.value)?;
        let count = self.total(row, &m.count)?;
        let den = self.total(row, &m.den)?;
        let num = |c: Option<Cell>| match c {
            Some(Cell::Number(v)) => Some(v),
            _ => None,
        };
        let (count_v, den_v) = (num(count), num(den));
        // CBS rounds counts to 5 in small areas, so a count can exceed its
        // denominator by a rounding step (15 of 10): no share can be computed from
        // that; the cell is as good as suppressed, never 150%.
        let rounded_past = matches!((count_v, den_v), (Some(c), Some(d)) if c > d && c - d <= CBS_ROUNDING);
        let computed = match (m.spec.per, count_v, den_v) {
            (Some(per), Some(c), Some(d)) if d > 0.0 && !rounded_past => Some(c / d * per),
            _ => None,
        };
        let mut value_v = num(value).map(|v| v * m.spec.scale).or(computed);
        // CBS's re-division mark is 1, 2 or 3; anything else (empty, "." for
        // Nederland) is no mark.
        if crate::model::is_marker(&m.spec.indicator) {
            value_v = value_v.filter(|v| [1.0, 2.0, 3.0].contains(v));
            if value_v.is_none() {
                return Ok(None);
            }
        }
        let suppressed = value_v.is_none()
            && (value == Some(Cell::Suppressed)
                || (rounded_past && m.spec.per.is_some())
                || count == Some(Cell::Suppressed)
                || (m.spec.per.is_some() && den == Some(Cell::Suppressed)));
        if value_v.is_none() && !suppressed && !m.spec.sum_rows {
            return Ok(None);
        }
        Ok(Some(Figure { value: value_v, count: count_v, den: den_v, rounded_past, suppressed }))
    }

    /// Every figure is checked against its unit as it is read.
    fn check_unit(&self, m: &Measure, row: &Row, code: &str, fig: &Figure) -> crate::Result<()> {
        let Some(ind) = self.catalogue.get(&m.spec.indicator) else { return Ok(()) };
        let den_checked = if fig.rounded_past { fig.count } else { fig.den };
        ind.unit.check(fig.value, fig.count, den_checked).map_err(|why| {
            let col = [&m.value, &m.count].into_iter().flatten().flatten().next().map(|&i| i + 1);
            Error::input(
                self.table.at(Some(row.line), col),
                format!("{}: {why} (source {}, {})", ind.label, self.spec.id, code),
                "het bestand is beschadigd of niet de tabel die het lijkt; download het opnieuw bij CBS",
            )
        })
    }

    /// Places a figure in its cell: a later sub-period of the year replaces an earlier
    /// one, rows of a sum add up, and the same figure twice is harmless.
    fn place(&mut self, m: &Measure, row: &Row, code: &str, sub: i32, obs: Observation) -> crate::Result<()> {
        let key = (obs.region.clone(), obs.year, obs.group, obs.indicator.clone());
        match self.cells.get(&key) {
            Some(&(s, _, _)) if s > sub => {}
            // Rows that add up to one figure (sum_rows): the sum.
            Some(&(s, i, _)) if s == sub && m.spec.sum_rows => add_to(&mut self.out.observations[i], &obs),
            Some(&(s, i, first)) if s == sub => self.same_cell(m, row, code, (sub, i, first), obs)?,
            Some(&(_, i, _)) => {
                self.out.observations[i] = obs;
                self.cells.insert(key, (sub, i, row.line));
            }
            None => {
                self.cells.insert(key, (sub, self.out.observations.len(), row.line));
                self.out.observations.push(obs);
            }
        }
        Ok(())
    }

    /// The same figure twice (one region in two rows): a second row that says
    /// something else is an error naming both, never a silent winner. `at` is the
    /// sub-period, the index of the first figure and its line.
    fn same_cell(
        &mut self,
        m: &Measure,
        row: &Row,
        code: &str,
        (sub, i, first): (i32, usize, usize),
        obs: Observation,
    ) -> crate::Result<()> {
        let was = &self.out.observations[i];
        let differs = (was.value, was.count, was.denominator, was.suppressed)
            != (obs.value, obs.count, obs.denominator, obs.suppressed);
        if !differs {
            return Ok(());
        }
        // A table that names its regions (a website export) can name two buurten of one
        // gemeente alike ("Verspreide huizen Oosterwolde" in Oldebroek): the later row is
        // kept, as before, and it is said.
        if self.cols.code.is_none() {
            if self.clashes.insert(code.to_string()) {
                self.out.warnings.push(format!(
                    "{}:{}: {code} staat twee keer in het bestand (ook op regel {first}; twee gebieden met dezelfde naam?); de laatste regel telt",
                    self.table.path.display(),
                    row.line
                ));
            }
            let key = (obs.region.clone(), obs.year, obs.group, obs.indicator.clone());
            self.out.observations[i] = obs;
            self.cells.insert(key, (sub, i, row.line));
            return Ok(());
        }
        Err(Error::input(
            self.table.at(Some(row.line), None),
            format!(
                "{code} staat twee keer in het bestand met verschillende cijfers ({}, {}; de eerste op regel {first})",
                m.spec.indicator, obs.year
            ),
            "houd één regel per gebied en periode; is het bestand uit twee bestanden samengevoegd?",
        ))
    }
}

/// Adds one row's figure to the sum of a `sum_rows` measure: a secret part makes the
/// sum secret, an empty part makes it missing (value `None`, not secret), and neither
/// is undone by a later part.
fn add_to(sum: &mut Observation, part: &Observation) {
    let add = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a + b);
    if sum.suppressed || part.suppressed {
        sum.suppressed = true;
        sum.value = None;
        sum.count = None;
        return;
    }
    sum.value = add(sum.value, part.value);
    sum.count = add(sum.count, part.count);
}
