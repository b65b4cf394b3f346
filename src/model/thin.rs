//! What a factsheet needs of every region but cannot take from a part of the store,
//! computed at import from the complete [`Dataset`] and read instead of the whole.
//!
//! - The whole-population figures of every region of one level (all gemeenten, wijken
//!   or buurten) in thin form: value, count and the suppression flag, nothing else. A
//!   factsheet needs every region of its level only for three things: its rank (the
//!   sorted figures of each indicator and year), its peers (the structure features of
//!   every candidate) and its peers' figures. Reading the level's full figures for that
//!   held two thirds of a buurt factsheet's memory. [`LevelFigures`] has derived
//!   indicators and renumbered codes, so it answers exactly as the full figures would.
//! - The national figures the tool computes from all gemeenten where no source gives
//!   one (summed, weighted, by definition): [`read_national`], so that a factsheet that
//!   reads only its own gemeente still has Nederland.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::path::Path;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::herkomst::Group;
use super::observation::{NationalMethod, Observation, Source, TOTAAL};
use super::region::{code_level, Level};
use super::store::{perr, read_frame, read_json, write_frame, write_json};
use super::Dataset;

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
struct Row {
    value: f64,
    count: f64,
    region: u32,
    year: i32,
    indicator: u32,
    suppressed: bool,
}

fn opt(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

/// What the row file needs beside it: the code and indicator lists its numbers point
/// into, the renumbered regions, and the catalogue it was derived with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Header {
    /// [`fingerprint`] of the catalogue and of this format.
    fingerprint: String,
    codes: Vec<String>,
    indicators: Vec<String>,
    /// New code → (old code, first year of the new code), as [`Dataset`] links them.
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
    renumbered: HashMap<String, (String, i32)>,
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

/// Changes when the shipped catalogue (derived indicators, which indicators there are)
/// or this file format changes: a store written by another version is then read whole.
pub fn fingerprint() -> String {
    const FORMAT: &str = "thin-1";
    let mut h = rustc_hash::FxHasher::default();
    h.write(FORMAT.as_bytes());
    h.write(crate::paths::embedded::INDICATORS.as_bytes());
    format!("{:016x}", h.finish())
}

/// The row file of a level (`thin-wijk.parquet`) and its header (`thin-wijk.json`).
fn files(dir: &Path, level: Level) -> (std::path::PathBuf, std::path::PathBuf) {
    (dir.join(format!("thin-{}.parquet", level.noun())), dir.join(format!("thin-{}.json", level.noun())))
}

impl LevelFigures {
    /// Takes the whole-population figures of every region of `level` from a dataset
    /// that holds them all: the catalogue's indicators (derived ones included), no
    /// re-division marks.
    pub fn of(ds: &Dataset, level: Level) -> LevelFigures {
        let mut indicators: Vec<String> = ds
            .catalogue
            .indicators
            .iter()
            .filter(|i| ds.lookup(&i.id, TOTAAL).is_some())
            .map(|i| i.id.clone())
            .collect();
        indicators.sort();
        indicators.dedup();
        let mut codes: Vec<String> = ds
            .registry
            .of_level(level)
            .map(|r| r.code.clone())
            .chain(
                indicators
                    .iter()
                    .flat_map(|i| ds.lookup(i, TOTAAL).into_iter().flat_map(|s| s.keys()).map(|c| c.to_string())),
            )
            .filter(|c| code_level(c) == Some(level))
            .collect();
        codes.sort();
        codes.dedup();
        let mut rows = Vec::new();
        let mut starts = Vec::with_capacity(indicators.len() + 1);
        for (k, ind) in indicators.iter().enumerate() {
            starts.push(rows.len());
            let Some(series) = ds.lookup(ind, TOTAAL) else { continue };
            let mut mine: Vec<(&str, i32, usize)> = series
                .iter()
                .filter(|(c, _)| code_level(c) == Some(level))
                .flat_map(|(c, ys)| ys.iter().map(move |(y, i)| (c.as_str(), *y, *i)))
                .collect();
            mine.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
            for (c, year, i) in mine {
                let o = &ds.observations[i];
                let region = codes.binary_search_by(|x| x.as_str().cmp(c)).expect("code listed") as u32;
                rows.push(Row {
                    value: o.value.unwrap_or(f64::NAN),
                    count: o.count.unwrap_or(f64::NAN),
                    region,
                    year,
                    indicator: k as u32,
                    suppressed: o.suppressed,
                });
            }
        }
        starts.push(rows.len());
        let renumbered = ds
            .renumbered
            .iter()
            .filter(|(c, _)| code_level(c) == Some(level))
            .map(|(c, v)| (c.clone(), v.clone()))
            .collect();
        let (code_at, indicator_at) = places(&codes, &indicators);
        LevelFigures { level, codes, indicators, rows, starts, renumbered, code_at, indicator_at }
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

    /// One figure, as [`Dataset::get`] with group totaal: a renumbered region's years
    /// before its new code from its old code.
    pub fn get(&self, indicator: &str, code: &str, year: i32) -> Option<ThinFigure> {
        let find = |rows: &[Row]| rows.binary_search_by_key(&year, |x| x.year).ok().map(|i| rows[i]);
        let row = match find(self.own(indicator, code)) {
            Some(r) => r,
            None => match self.renumbered.get(code) {
                Some((old, since)) if year < *since => find(self.own(indicator, old))?,
                _ => return None,
            },
        };
        Some(ThinFigure { value: opt(row.value), count: opt(row.count), suppressed: row.suppressed })
    }

    /// The latest year with a figure (value or suppressed) at or before `max_year`, as
    /// [`Dataset::latest_year`] with group totaal.
    pub fn latest_year(&self, indicator: &str, code: &str, max_year: Option<i32>) -> Option<i32> {
        self.latest(indicator, code, max_year).map(|(year, _)| year)
    }

    /// The latest figure (value or suppressed) at or before `max_year`, with its year:
    /// what [`LevelFigures::latest_year`] and then [`LevelFigures::get`] give, in one
    /// look-up, which a peer index of every buurt makes a hundred thousand times.
    pub fn latest(&self, indicator: &str, code: &str, max_year: Option<i32>) -> Option<(i32, ThinFigure)> {
        let fits = |r: &&Row| max_year.is_none_or(|m| r.year <= m);
        let own = self.own(indicator, code).iter().rev().find(fits);
        let earlier = self
            .renumbered
            .get(code)
            .and_then(|(old, since)| self.own(indicator, old).iter().rev().filter(|r| r.year < *since).find(fits));
        let row = match (own, earlier) {
            (Some(o), Some(e)) if e.year > o.year => e,
            (Some(o), _) => o,
            (None, e) => e?,
        };
        Some((row.year, ThinFigure { value: opt(row.value), count: opt(row.count), suppressed: row.suppressed }))
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

    /// The earlier code a renumbered region's figures before a year are under, with that
    /// year (see [`Dataset::renumbered_from`]).
    pub fn renumbered_from(&self, code: &str) -> Option<(&str, i32)> {
        self.renumbered.get(code).map(|(c, y)| (c.as_str(), *y))
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
    pub fn write(&self, dir: &Path) -> crate::Result<()> {
        let (rows_path, header_path) = files(dir, self.level);
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
            renumbered: self.renumbered.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        };
        write_json(&header_path, &header)
    }

    /// Reads the figures of `level` from the generation folder `dir`; `None` when the
    /// generation has none or has them from another catalogue (the caller then reads
    /// the level's full figures).
    pub fn read(dir: &Path, level: Level) -> crate::Result<Option<LevelFigures>> {
        let (rows_path, header_path) = files(dir, level);
        if !rows_path.exists() || !header_path.exists() {
            return Ok(None);
        }
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

/// Every region's whole-population figures of one level, from wherever the dataset has
/// them: its thin figures when the level was read thin, else its full figures.
#[derive(Debug, Clone, Copy)]
pub enum LevelView<'a> {
    /// The level was read whole.
    Full(&'a Dataset),
    /// The level was read thin.
    Thin(&'a LevelFigures),
}

impl Dataset {
    /// The figures of every region of `level` (see [`LevelView`]).
    pub fn level_view(&self, level: Level) -> LevelView<'_> {
        match self.level_figures.iter().find(|t| t.level == level) {
            Some(t) => LevelView::Thin(t),
            None => LevelView::Full(self),
        }
    }

    /// True when `level` was read thin: its full figures cover only some regions.
    pub fn is_thin(&self, level: Level) -> bool {
        self.level_figures.iter().any(|t| t.level == level)
    }
}

impl LevelView<'_> {
    /// One whole-population figure.
    pub fn get(&self, indicator: &str, code: &str, year: i32) -> Option<ThinFigure> {
        match self {
            LevelView::Full(ds) => ds.get(indicator, TOTAAL, code, year).map(|o| ThinFigure {
                value: o.value,
                count: o.count,
                suppressed: o.suppressed,
            }),
            LevelView::Thin(t) => t.get(indicator, code, year),
        }
    }

    /// The latest year with a whole-population figure at or before `max_year`.
    pub fn latest_year(&self, indicator: &str, code: &str, max_year: Option<i32>) -> Option<i32> {
        match self {
            LevelView::Full(ds) => ds.latest_year(indicator, TOTAAL, code, max_year),
            LevelView::Thin(t) => t.latest_year(indicator, code, max_year),
        }
    }

    /// The earlier code a renumbered region's figures before a year are under, with that
    /// year, as the figures of this view link them.
    pub fn renumbered_from(&self, code: &str) -> Option<(&str, i32)> {
        match self {
            LevelView::Full(ds) => ds.renumbered_from(code),
            LevelView::Thin(t) => t.renumbered_from(code),
        }
    }

    /// The codes of `level` with a whole-population figure (a value or suppressed) of one
    /// indicator and year, as stored (not following renumbering).
    pub fn codes_with(&self, indicator: &str, year: i32, level: Level) -> Vec<String> {
        match self {
            LevelView::Full(ds) => ds
                .cross_section(indicator, TOTAAL, year)
                .into_iter()
                .filter(|o| code_level(&o.region) == Some(level))
                .map(|o| o.region.to_string())
                .collect(),
            LevelView::Thin(t) => t.codes_with(indicator, year).into_iter().map(str::to_string).collect(),
        }
    }

    /// The latest whole-population figure at or before `max_year`, with its year.
    pub fn latest(&self, indicator: &str, code: &str, max_year: Option<i32>) -> Option<(i32, ThinFigure)> {
        match self {
            LevelView::Full(_) => {
                let y = self.latest_year(indicator, code, max_year)?;
                Some((y, self.get(indicator, code, y)?))
            }
            LevelView::Thin(t) => t.latest(indicator, code, max_year),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::model::{Catalogue, Observation, Source, StoreData};

    fn at(region: &str, indicator: &str, year: i32, value: Option<f64>) -> Observation {
        Observation {
            region: region.into(),
            year,
            group: TOTAAL,
            indicator: indicator.into(),
            value,
            count: value.map(|v| v * 2.0),
            denominator: None,
            suppressed: value.is_none(),
            sources: vec![Source::new("KWB", "KWB", true)].into(),
            national: None,
            released: "2024-01-01".into(),
        }
    }

    /// Three wijken of two gemeenten, a suppressed figure, a derived indicator and a
    /// buurt (another level).
    fn dataset() -> Dataset {
        let mut o = Vec::new();
        for (code, n) in [("WK000101", 500.0), ("WK000102", 900.0), ("WK000201", 700.0)] {
            o.push(at(code, "inwoners", 2023, Some(n)));
            o.push(at(code, "inwoners", 2024, Some(n + 10.0)));
            o.push(at(code, "jeugdzorg_jongeren", 2024, Some(n / 10.0)));
        }
        o.push(at("WK000102", "aandeel_65plus", 2024, None));
        o.push(at("WK000201", "aandeel_65plus", 2024, Some(21.0)));
        o.push(at("BU00010101", "inwoners", 2024, Some(50.0)));
        Dataset::new(StoreData { observations: o, ..Default::default() }, Catalogue::builtin())
    }

    #[test]
    fn thin_figures_answer_as_the_full_ones_also_after_a_round_trip() {
        let ds = dataset();
        let thin = LevelFigures::of(&ds, Level::Wijk);
        let dir = tempfile::tempdir().unwrap();
        thin.write(dir.path()).unwrap();
        let back = LevelFigures::read(dir.path(), Level::Wijk).unwrap().expect("written with this catalogue");
        assert_eq!(back.len(), thin.len());
        let full = LevelView::Full(&ds);
        for view in [LevelView::Thin(&thin), LevelView::Thin(&back)] {
            for ind in ["inwoners", "jeugdzorg_jongeren", "jeugdzorg", "aandeel_65plus", "woz_waarde"] {
                for code in ["WK000101", "WK000102", "WK000201", "WK000999"] {
                    for year in [2022, 2023, 2024] {
                        assert_eq!(view.get(ind, code, year), full.get(ind, code, year), "{ind} {code} {year}");
                        assert_eq!(view.latest_year(ind, code, Some(year)), full.latest_year(ind, code, Some(year)));
                        // The one look-up answers as the two.
                        let two =
                            view.latest_year(ind, code, Some(year)).and_then(|y| Some((y, view.get(ind, code, y)?)));
                        assert_eq!(view.latest(ind, code, Some(year)), two, "{ind} {code} {year}");
                        assert_eq!(full.latest(ind, code, Some(year)), two);
                    }
                }
            }
        }
        // The codes with a figure of a year, as the full figures have them.
        let mut codes = thin.codes_with("aandeel_65plus", 2024);
        codes.sort();
        assert_eq!(codes, ["WK000102", "WK000201"]);
        let mut full_codes = full.codes_with("aandeel_65plus", 2024, Level::Wijk);
        full_codes.sort();
        assert_eq!(full_codes, codes);
        // The derived figure is there: 50 jongeren of 510 inwoners = 98,0 per 1.000.
        let j = thin.get("jeugdzorg", "WK000101", 2024).unwrap().value.unwrap();
        assert!((j - 50.0 / 510.0 * 1000.0).abs() < 1e-9);
        // No buurt among the wijken; suppressed figures are no part of a rank.
        assert!(thin.get("inwoners", "BU00010101", 2024).is_none());
        let ranked = thin.ranked();
        let of = |i: &str, y: i32| ranked.contains(&(i, y)).then(|| thin.distribution(i, y));
        assert_eq!(of("inwoners", 2024), Some(vec![510.0, 710.0, 910.0]));
        assert_eq!(of("aandeel_65plus", 2024), Some(vec![21.0]));
    }

    #[test]
    fn a_damaged_row_file_names_the_line() {
        let ds = dataset();
        let dir = tempfile::tempdir().unwrap();
        LevelFigures::of(&ds, Level::Wijk).write(dir.path()).unwrap();
        let (rows_path, _) = files(dir.path(), Level::Wijk);
        let df = read_frame(&rows_path, None).unwrap();
        let n = df.height();
        let with = |name: &str, column: Column| {
            let mut d = df.clone();
            d.with_column(column.with_name(name.into())).unwrap();
            write_frame(&rows_path, d, None).unwrap();
            match LevelFigures::read(dir.path(), Level::Wijk) {
                Err(e) => e.to_string(),
                Ok(_) => panic!("a damaged {name} column was read"),
            }
        };
        // The second line without a region.
        let regions: Vec<Option<u32>> = (0..n).map(|i| (i != 1).then_some(0)).collect();
        let e = with("region", Column::new("region".into(), regions));
        assert!(e.contains("regel 2 is onvolledig"), "{e}");
        // The first line pointing at an indicator the header does not list.
        let indicators: Vec<u32> = (0..n).map(|i| if i == 0 { 9_999 } else { 0 }).collect();
        let e = with("indicator", Column::new("indicator".into(), indicators));
        assert!(e.contains("regel 1 verwijst buiten de lijsten"), "{e}");
    }

    #[test]
    fn a_level_without_figures_reads_back_empty() {
        // The rows are read as one array per column; a level without rows has none.
        let ds = dataset();
        let dir = tempfile::tempdir().unwrap();
        LevelFigures::of(&ds, Level::Gemeente).write(dir.path()).unwrap();
        let back = LevelFigures::read(dir.path(), Level::Gemeente).unwrap().expect("written with this catalogue");
        assert!(back.is_empty());
        assert_eq!(back.level(), Level::Gemeente);
        assert!(back.get("inwoners", "GM0001", 2024).is_none());
        assert!(back.ranked().is_empty());
    }

    #[test]
    fn thin_figures_of_another_catalogue_are_not_used() {
        let ds = dataset();
        let dir = tempfile::tempdir().unwrap();
        LevelFigures::of(&ds, Level::Wijk).write(dir.path()).unwrap();
        let (_, header) = files(dir.path(), Level::Wijk);
        let text = fs::read_to_string(&header).unwrap().replace(&fingerprint(), "0000000000000000");
        fs::write(&header, text).unwrap();
        assert!(LevelFigures::read(dir.path(), Level::Wijk).unwrap().is_none());
        assert!(LevelFigures::read(dir.path(), Level::Buurt).unwrap().is_none(), "none written");
    }

    #[test]
    fn a_dataset_with_a_thin_level_answers_from_it() {
        let mut ds = dataset();
        assert!(matches!(ds.level_view(Level::Wijk), LevelView::Full(_)));
        let thin = LevelFigures::of(&ds, Level::Wijk);
        ds.level_figures.push(std::sync::Arc::new(thin));
        assert!(ds.is_thin(Level::Wijk) && !ds.is_thin(Level::Buurt));
        assert!(matches!(ds.level_view(Level::Wijk), LevelView::Thin(_)));
    }
}

/// A computed national figure as kept in `national.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredNational {
    indicator: String,
    group: String,
    year: i32,
    value: Option<f64>,
    count: Option<f64>,
    denominator: Option<f64>,
    /// Each source as (id, title, published by CBS, series).
    sources: Vec<(String, String, bool, String)>,
    method: NationalMethod,
    released: String,
}

/// `national.json`: the computed national figures and the catalogue they were computed
/// with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct NationalFile {
    fingerprint: String,
    figures: Vec<StoredNational>,
}

const NATIONAL_FILE: &str = "national.json";

/// Writes the national figures `ds` computed (see the module header) into the
/// generation folder `dir`, in the dataset's order.
pub fn write_national(ds: &Dataset, dir: &Path) -> crate::Result<()> {
    let figures = ds
        .observations
        .iter()
        .filter_map(|o| {
            let method = o.national.as_deref()?.clone();
            Some(StoredNational {
                indicator: o.indicator.to_string(),
                group: o.group.code().to_string(),
                year: o.year,
                value: o.value,
                count: o.count,
                denominator: o.denominator,
                sources: o.sources.iter().map(|s| (s.id.clone(), s.title.clone(), s.cbs, s.series.clone())).collect(),
                method,
                released: o.released.to_string(),
            })
        })
        .collect();
    write_json(&dir.join(NATIONAL_FILE), &NationalFile { fingerprint: fingerprint(), figures })
}

/// The computed national figures of the generation in `dir`; `None` when it has none
/// or has them from another catalogue (they are then computed from the gemeenten, which
/// must be read whole).
pub fn read_national(dir: &Path) -> crate::Result<Option<Vec<Observation>>> {
    let path = dir.join(NATIONAL_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let file: NationalFile = read_json(&path)?;
    if file.fingerprint != fingerprint() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(file.figures.len());
    for f in file.figures {
        let group =
            Group::parse(&f.group).ok_or_else(|| perr(&path, format!("onbekende herkomstgroep '{}'", f.group)))?;
        out.push(Observation {
            region: super::region::NL.into(),
            year: f.year,
            group,
            indicator: f.indicator.as_str().into(),
            value: f.value,
            count: f.count,
            denominator: f.denominator,
            suppressed: false,
            sources: f
                .sources
                .into_iter()
                .map(|(id, title, cbs, series)| Source::edition(id, title, cbs, series))
                .collect(),
            national: Some(Box::new(f.method)),
            released: f.released.as_str().into(),
        });
    }
    Ok(Some(out))
}
