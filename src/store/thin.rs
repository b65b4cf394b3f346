//! The thin figures of a level: what a factsheet needs of every region of its level but
//! cannot take from a part of the store, kept with every generation and read instead of
//! the level's full figures.
//!
//! The whole-population figures of every region of one level (all gemeenten, wijken or
//! buurten) in thin form: value, count and the suppression flag, nothing else. A
//! factsheet needs every region of its level only for three things: its rank (the
//! sorted figures of each indicator and year), its peers (the structure features of
//! every candidate) and its peers' figures. Reading the level's full figures for that
//! held two thirds of a buurt factsheet's memory. [`LevelFigures`] has derived
//! indicators and renumbered codes (the dataset takes them from the complete figures
//! before a commit, see [`dataset`](crate::dataset)), so it answers exactly as the full
//! figures would.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::frames::{read_frame, read_json, write_frame, write_json};
use super::layout::{fingerprint, thin_files};
use super::perr;
use crate::model::region::Level;
use crate::model::renumbered::Renumbered;

/// One region's whole-population figure of one indicator and year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThinFigure {
    /// The figure; `None` when suppressed or not given.
    pub value: Option<f64>,
    /// The count behind it, where the source gives one.
    pub count: Option<f64>,
    /// Suppressed by the source or by a derivation without a denominator.
    pub suppressed: bool,
}

/// A row in memory: `NaN` stands for "no figure" (a CBS figure is never NaN), which
/// keeps a row at 32 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// The value, `NaN` for none.
    pub value: f64,
    /// The count, `NaN` for none.
    pub count: f64,
    /// The place of the region's code in the code list.
    pub region: u32,
    /// The year.
    pub year: i32,
    /// The place of the indicator in the indicator list.
    pub indicator: u32,
    /// Suppressed.
    pub suppressed: bool,
}

fn opt(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

/// The figure of a row.
fn figure(row: &Row) -> ThinFigure {
    ThinFigure { value: opt(row.value), count: opt(row.count), suppressed: row.suppressed }
}

/// What the row file needs beside it: the code and indicator lists its numbers point
/// into, the renumbered regions, and the catalogue it was derived with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Header {
    /// The fingerprint of the catalogue and of this format.
    fingerprint: String,
    codes: Vec<String>,
    indicators: Vec<String>,
    /// New code → (old code, first year of the new code), as the dataset links them.
    renumbered: BTreeMap<String, (String, i32)>,
}

/// The whole-population figures of every region of one level (see the module header).
#[derive(Debug, Clone)]
pub struct LevelFigures {
    level: Level,
    /// Sorted.
    codes: Vec<String>,
    /// Sorted.
    indicators: Vec<String>,
    /// Sorted by indicator, region, year.
    rows: Vec<Row>,
    /// Where each indicator's rows start (one more entry than `indicators`).
    starts: Vec<usize>,
    renumbered: Renumbered,
    /// Code → its place in `codes`, indicator → its place in `indicators`: a peer index
    /// of every buurt asks a quarter of a million times.
    code_at: rustc_hash::FxHashMap<String, u32>,
    indicator_at: rustc_hash::FxHashMap<String, usize>,
}

/// The look-up maps of [`LevelFigures`].
fn places(
    codes: &[String],
    indicators: &[String],
) -> (rustc_hash::FxHashMap<String, u32>, rustc_hash::FxHashMap<String, usize>) {
    (
        codes.iter().enumerate().map(|(i, c)| (c.clone(), i as u32)).collect(),
        indicators.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect(),
    )
}

impl LevelFigures {
    /// The figures of `level` from sorted lists of codes and indicators and rows sorted
    /// by indicator, region and year that point into them.
    pub(crate) fn new(
        level: Level,
        codes: Vec<String>,
        indicators: Vec<String>,
        rows: Vec<Row>,
        renumbered: Renumbered,
    ) -> LevelFigures {
        let mut starts = vec![0; indicators.len() + 1];
        for (line, r) in rows.iter().enumerate() {
            starts[r.indicator as usize + 1] = line + 1;
        }
        let header = Header { fingerprint: String::new(), codes, indicators, renumbered: renumbered.sorted() };
        LevelFigures::assemble(level, header, rows, starts)
    }

    /// The level these figures cover.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Number of figures.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True without figures.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn rows_of(&self, indicator: &str) -> &[Row] {
        match self.indicator_at.get(indicator) {
            Some(&k) => &self.rows[self.starts[k]..self.starts[k + 1]],
            None => &[],
        }
    }

    /// The years and rows of one code (not following renumbering).
    fn own(&self, indicator: &str, code: &str) -> &[Row] {
        let Some(&r) = self.code_at.get(code) else { return &[] };
        let rows = self.rows_of(indicator);
        let lo = rows.partition_point(|x| x.region < r);
        let hi = rows.partition_point(|x| x.region <= r);
        &rows[lo..hi]
    }

    /// One figure, as the dataset's with group totaal: a renumbered region's years
    /// before its new code from its old code.
    pub fn get(&self, indicator: &str, code: &str, year: i32) -> Option<ThinFigure> {
        let row = self.renumbered.figure(code, year, |c| {
            let rows = self.own(indicator, c);
            rows.binary_search_by_key(&year, |x| x.year).ok().map(|i| rows[i])
        })?;
        Some(figure(&row))
    }

    /// The latest year with a figure (value or suppressed) at or before `max_year`, as
    /// the dataset's with group totaal.
    pub fn latest_year(&self, indicator: &str, code: &str, max_year: Option<i32>) -> Option<i32> {
        self.latest(indicator, code, max_year).map(|(year, _)| year)
    }

    /// The latest figure (value or suppressed) at or before `max_year`, with its year:
    /// what [`LevelFigures::latest_year`] and then [`LevelFigures::get`] give, in one
    /// look-up, which a peer index of every buurt makes a hundred thousand times.
    pub fn latest(&self, indicator: &str, code: &str, max_year: Option<i32>) -> Option<(i32, ThinFigure)> {
        self.renumbered.latest(code, max_year, |c, max| {
            let row = self.own(indicator, c).iter().rev().find(|r| max.is_none_or(|m| r.year <= m))?;
            Some((row.year, figure(row)))
        })
    }

    /// The codes with a figure (a value or suppressed) of one indicator and year, as
    /// they are stored (not following renumbering).
    pub fn codes_with(&self, indicator: &str, year: i32) -> Vec<&str> {
        self.rows_of(indicator)
            .iter()
            .filter(|r| r.year == year)
            .map(|r| self.codes[r.region as usize].as_str())
            .collect()
    }

    /// The renumbered regions of the level.
    pub fn renumbered(&self) -> &Renumbered {
        &self.renumbered
    }

    /// The indicators and years with at least one figure to rank, sorted.
    pub fn ranked(&self) -> Vec<(&str, i32)> {
        let mut out = Vec::new();
        for (k, ind) in self.indicators.iter().enumerate() {
            // A level has a handful of years over hundreds of thousands of rows: a short
            // list with a look-up beats collecting and sorting every row's year.
            let mut years: Vec<i32> = Vec::new();
            for r in &self.rows[self.starts[k]..self.starts[k + 1]] {
                if !r.suppressed && !r.value.is_nan() && !years.contains(&r.year) {
                    years.push(r.year);
                }
            }
            years.sort_unstable();
            out.extend(years.into_iter().map(|y| (ind.as_str(), y)));
        }
        out
    }

    /// The sorted values of one indicator and year (suppressed figures left out): what
    /// a rank among all regions of the level is taken from. A factsheet asks for the
    /// hundred or so it ranks on, not the level's every one.
    pub fn distribution(&self, indicator: &str, year: i32) -> Vec<f64> {
        let mut v: Vec<f64> = self
            .rows_of(indicator)
            .iter()
            .filter(|r| r.year == year && !r.suppressed && !r.value.is_nan())
            .map(|r| r.value)
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }

    /// Writes the figures into the generation folder `dir`.
    pub(crate) fn write(&self, dir: &Path) -> crate::Result<()> {
        let (rows, header) = thin_files(self.level);
        let (rows_path, header_path) = (dir.join(rows), dir.join(header));
        let col = |name: &str, f: &dyn Fn(&Row) -> f64| {
            Column::new(name.into(), self.rows.iter().map(|r| opt(f(r))).collect::<Vec<_>>())
        };
        let df = DataFrame::new_infer_height(vec![
            Column::new("region".into(), self.rows.iter().map(|r| r.region).collect::<Vec<_>>()),
            Column::new("indicator".into(), self.rows.iter().map(|r| r.indicator).collect::<Vec<_>>()),
            Column::new("year".into(), self.rows.iter().map(|r| r.year).collect::<Vec<_>>()),
            col("value", &|r| r.value),
            col("count", &|r| r.count),
            Column::new("suppressed".into(), self.rows.iter().map(|r| r.suppressed).collect::<Vec<_>>()),
        ])
        .map_err(|e| perr(&rows_path, e))?;
        write_frame(&rows_path, df, None)?;
        let header = Header {
            fingerprint: fingerprint(),
            codes: self.codes.clone(),
            indicators: self.indicators.clone(),
            renumbered: self.renumbered.sorted(),
        };
        write_json(&header_path, &header)
    }

    /// Reads the figures of `level` from the generation folder `dir`; `None` when they
    /// are from another catalogue (the caller then reads the level's full figures).
    pub(crate) fn read(dir: &Path, level: Level) -> crate::Result<Option<LevelFigures>> {
        let (rows, header) = thin_files(level);
        let (rows_path, header_path) = (dir.join(rows), dir.join(header));
        let header: Header = read_json(&header_path)?;
        if header.fingerprint != fingerprint() {
            return Ok(None);
        }
        let mut df = read_frame(&rows_path, None)?;
        let height = df.height();
        let e = |x: PolarsError| perr(&rows_path, x);
        // Each column as one array, walked by index: 800.000 rows, where a zip of
        // polars' boxed cell iterators cost more than the Parquet decoding. A column is
        // taken out of the frame as it is made one array, so at most one is held twice.
        let mut take = |n: &str| df.drop_in_place(n).map_err(e);
        let region = take("region")?.u32().map_err(e)?.rechunk().into_owned();
        let indicator = take("indicator")?.u32().map_err(e)?.rechunk().into_owned();
        let year = take("year")?.i32().map_err(e)?.rechunk().into_owned();
        let value = take("value")?.f64().map_err(e)?.rechunk().into_owned();
        let count = take("count")?.f64().map_err(e)?.rechunk().into_owned();
        let suppressed = take("suppressed")?.bool().map_err(e)?.rechunk().into_owned();
        let mut rows = Vec::with_capacity(height);
        let mut starts = vec![0; header.indicators.len() + 1];
        let arrays = (
            region.downcast_get(0),
            indicator.downcast_get(0),
            year.downcast_get(0),
            value.downcast_get(0),
            count.downcast_get(0),
            suppressed.downcast_get(0),
        );
        let (Some(region), Some(indicator), Some(year), Some(value), Some(count), Some(suppressed)) = arrays else {
            // Only a level without rows has no array to walk.
            return Ok(Some(LevelFigures::empty(level, header)));
        };
        // Region, indicator and year are never empty; the first empty one is named.
        for keys in [region.validity(), indicator.validity(), year.validity()].into_iter().flatten() {
            if let Some(line) = keys.iter().position(|valid| !valid) {
                return Err(perr(&rows_path, format!("regel {} is onvolledig", line + 1)));
            }
        }
        // The value slices walked directly, with the empty marks beside them: a third of
        // the instructions of a checked `get` per cell.
        let (rs, ks, ys) = (region.values().as_slice(), indicator.values().as_slice(), year.values().as_slice());
        let (vs, cs, ss) = (value.values().as_slice(), count.values().as_slice(), suppressed.values());
        let (v_ok, c_ok, s_ok) = (value.validity(), count.validity(), suppressed.validity());
        for line in 0..height {
            let (r, k, y) = (rs[line], ks[line], ys[line]);
            if r as usize >= header.codes.len() || k as usize >= header.indicators.len() {
                return Err(perr(&rows_path, format!("regel {} verwijst buiten de lijsten", line + 1)));
            }
            starts[k as usize + 1] = line + 1;
            rows.push(Row {
                value: if v_ok.is_none_or(|m| m.get_bit(line)) { vs[line] } else { f64::NAN },
                count: if c_ok.is_none_or(|m| m.get_bit(line)) { cs[line] } else { f64::NAN },
                region: r,
                year: y,
                indicator: k,
                suppressed: s_ok.is_none_or(|m| m.get_bit(line)) && ss.get_bit(line),
            });
        }
        Ok(Some(LevelFigures::assemble(level, header, rows, starts)))
    }

    /// The figures of a level without rows (the lists of its header only).
    fn empty(level: Level, header: Header) -> LevelFigures {
        let starts = vec![0; header.indicators.len() + 1];
        LevelFigures::assemble(level, header, Vec::new(), starts)
    }

    /// The figures from their header and rows; `starts[k + 1]` is one past the last row
    /// of indicator `k` (0 where it has none).
    fn assemble(level: Level, header: Header, rows: Vec<Row>, mut starts: Vec<usize>) -> LevelFigures {
        // An indicator without rows starts where the one before it ends.
        for k in 1..starts.len() {
            starts[k] = starts[k].max(starts[k - 1]);
        }
        let (code_at, indicator_at) = places(&header.codes, &header.indicators);
        LevelFigures {
            level,
            codes: header.codes,
            indicators: header.indicators,
            rows,
            starts,
            renumbered: header.renumbered.into_iter().collect(),
            code_at,
            indicator_at,
        }
    }
}
