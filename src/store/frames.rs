//! The bytes of a generation's files: JSON and Parquet frames written and read with
//! serde and polars, the figure frames (one row per [`Observation`], its source as
//! columns) and the regions frame. No file names and no layout: those are
//! [`layout`](super::layout)'s.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::perr;
use super::scope::Scope;
use crate::error::Error;
use crate::model::atom::Interner;
use crate::model::herkomst::Group;
use crate::model::observation::{Observation, Source};
use crate::model::region::{Level, Region};

/// Writes `v` as JSON.
pub(super) fn write_json<T: Serialize>(path: &Path, v: &T) -> crate::Result<()> {
    let f = fs::File::create(path).map_err(|e| Error::io(path, e))?;
    serde_json::to_writer(std::io::BufWriter::new(f), v).map_err(|e| perr(path, e))
}

/// Reads a JSON file.
pub(super) fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> crate::Result<T> {
    // Read whole, then parsed: serde_json parses a slice several times faster than a
    // reader, and the outlines are megabytes.
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| perr(path, e))
}

/// Writes a frame; `row_group` rows per row group where given (polars' default is
/// large groups).
pub(super) fn write_frame(path: &Path, mut df: DataFrame, row_group: Option<usize>) -> crate::Result<()> {
    let f = fs::File::create(path).map_err(|e| Error::io(path, e))?;
    ParquetWriter::new(f)
        .with_compression(ParquetCompression::Snappy)
        .with_row_group_size(row_group)
        .finish(&mut df)
        .map_err(|e| perr(path, e))?;
    Ok(())
}

/// Reads a frame, or the rows `(first, count)` of it. One row group after the other:
/// decoding the groups of a sorted file in parallel held 45 MB more at the peak of a
/// wijk factsheet and saved no time (measured).
pub(super) fn read_frame(path: &Path, slice: Option<(usize, usize)>) -> crate::Result<DataFrame> {
    let f = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetReader::new(f).with_slice(slice).read_parallel(ParallelStrategy::None).finish().map_err(|e| perr(path, e))
}

/// [`read_json`], or the empty value when the file is not there: for the files a
/// generation of an older layout may lack.
pub(super) fn read_json_or_default<T: for<'de> Deserialize<'de> + Default>(path: &Path) -> crate::Result<T> {
    if !path.exists() {
        return Ok(T::default());
    }
    read_json(path)
}

/// Writes figures, one row each (a stored figure has one source).
pub(super) fn write_observations(path: &Path, obs: &[&Observation], row_group: Option<usize>) -> crate::Result<()> {
    let s = |name: &str, f: &dyn Fn(&Observation) -> &str| {
        Column::new(name.into(), obs.iter().map(|o| f(o)).collect::<Vec<_>>())
    };
    let o = |name: &str, f: &dyn Fn(&Observation) -> Option<f64>| {
        Column::new(name.into(), obs.iter().map(|o| f(o)).collect::<Vec<_>>())
    };
    let df = DataFrame::new_infer_height(vec![
        s("region", &|o| &o.region),
        Column::new("year".into(), obs.iter().map(|o| o.year).collect::<Vec<_>>()),
        s("group", &|o| o.group.code()),
        s("indicator", &|o| &o.indicator),
        o("value", &|o| o.value),
        o("count", &|o| o.count),
        o("denominator", &|o| o.denominator),
        Column::new("suppressed".into(), obs.iter().map(|o| o.suppressed).collect::<Vec<_>>()),
        // A stored figure has one source: derived and national figures are computed
        // when the store is read, never written.
        s("source", &|o| o.source_id()),
        s("source_title", &|o| o.sources.first().map(|s| s.title.as_str()).unwrap_or("")),
        s("source_series", &|o| o.sources.first().map(|s| s.series.as_str()).unwrap_or("")),
        Column::new(
            "source_cbs".into(),
            obs.iter().map(|o| o.sources.first().is_some_and(|s| s.cbs)).collect::<Vec<_>>(),
        ),
        s("released", &|o| &o.released),
    ])
    .map_err(|e| perr(path, e))?;
    write_frame(path, df, row_group)
}

/// The figures that `scope` wants of `df`, read from `path` from row `first` on;
/// `level` is the file's, so a file the scope covers whole is read without a test per
/// row. A file of an `older` layout may lack the source flag and series columns.
pub(super) fn read_observations(
    path: &Path,
    df: &DataFrame,
    first: usize,
    scope: &Scope,
    level: Option<Level>,
    older: bool,
) -> crate::Result<Vec<Observation>> {
    let whole = scope.is_all() || level.is_some_and(|l| scope.covers(l));
    let e = |x: PolarsError| perr(path, x);
    let col = |n: &str| df.column(n).map_err(e);
    let region = col("region")?.str().map_err(e)?;
    let year = col("year")?.i32().map_err(e)?;
    let group = col("group")?.str().map_err(e)?;
    let indicator = col("indicator")?.str().map_err(e)?;
    let value = col("value")?.f64().map_err(e)?;
    let count = col("count")?.f64().map_err(e)?;
    let denominator = col("denominator")?.f64().map_err(e)?;
    let suppressed = col("suppressed")?.bool().map_err(e)?;
    let source = col("source")?.str().map_err(e)?;
    let source_title = col("source_title")?.str().map_err(e)?;
    let released = col("released")?.str().map_err(e)?;
    let height = df.height();
    let optional = |n: &str| if older { Ok(df.column(n).ok()) } else { col(n).map(Some) };
    // Stores written before the flag existed: every shipped source title names CBS, a
    // gemeente's own source does not.
    let cbs: Vec<Option<bool>> = match optional("source_cbs")? {
        Some(c) => c.bool().map_err(e)?.iter().collect(),
        None => source_title.iter().map(|t| Some(t.unwrap_or_default().contains("CBS"))).collect(),
    };
    // Stores written before editions existed: every source is its own series.
    let series: Vec<Option<&str>> = match optional("source_series")? {
        Some(c) => c.str().map_err(e)?.iter().collect(),
        None => vec![None; height],
    };
    // Columns walked as iterators: `get(i)` searches the chunk of every cell.
    let cols = region
        .iter()
        .zip(year.iter())
        .zip(group.iter())
        .zip(indicator.iter())
        .zip(value.iter().zip(count.iter()).zip(denominator.iter()))
        .zip(suppressed.iter().zip(source.iter()).zip(source_title.iter()))
        .zip(released.iter().zip(cbs).zip(series));
    // Rows of one import are consecutive, so the last source nearly always serves.
    type Key<'a> = (&'a str, &'a str, bool, &'a str);
    // Each source's list of one, shared by its figures.
    let mut sources: rustc_hash::FxHashMap<Key<'_>, Arc<[Arc<Source>]>> = Default::default();
    let mut last: Option<(Key<'_>, Arc<[Arc<Source>]>)> = None;
    let (mut regions, mut indicators, mut releases) = (Interner::default(), Interner::default(), Interner::default());
    // Reserved up front only for a whole store: for a part, the vector grown as it
    // goes and then moved into the generation's list peaked 40 MB lower for Utrecht.
    let mut out = Vec::with_capacity(if scope.is_all() { height } else { 0 });
    for (row, ((((((r, y), g), ind), ((v, c), d)), ((s, id), title)), ((rel, cbs), series))) in cols.enumerate() {
        let line = first + row + 1;
        let r = r.unwrap_or_default();
        if !whole && !scope.wants(r) {
            continue;
        }
        let key = (id.unwrap_or_default(), title.unwrap_or_default(), cbs.unwrap_or(false), series.unwrap_or_default());
        let src = match &last {
            Some((k, src)) if *k == key => src.clone(),
            _ => {
                let src = sources
                    .entry(key)
                    .or_insert_with(|| Arc::from([Source::edition(key.0, key.1, key.2, key.3)]))
                    .clone();
                last = Some((key, src.clone()));
                src
            }
        };
        let group_code = g.unwrap_or_default();
        let group = Group::parse(group_code)
            .ok_or_else(|| perr(path, format!("onbekende herkomstgroep '{group_code}' in regel {line}")))?;
        out.push(
            Observation::new(
                regions.get(r),
                y.unwrap_or_default(),
                indicators.get(ind.unwrap_or_default()),
                v,
                src,
                releases.get(rel.unwrap_or_default()),
            )
            .in_group(group)
            .counted(c, d)
            .marked(s.unwrap_or(false)),
        );
    }
    Ok(out)
}

/// Writes the region registry's entries.
pub(super) fn write_regions(path: &Path, regions: &[Region]) -> crate::Result<()> {
    let df = DataFrame::new_infer_height(vec![
        Column::new("code".into(), regions.iter().map(|r| r.code.as_str()).collect::<Vec<_>>()),
        Column::new("name".into(), regions.iter().map(|r| r.name.as_str()).collect::<Vec<_>>()),
        Column::new("level".into(), regions.iter().map(|r| r.level.noun()).collect::<Vec<_>>()),
        Column::new("gemeente_name".into(), regions.iter().map(|r| r.gemeente_name.as_str()).collect::<Vec<_>>()),
        Column::new("year".into(), regions.iter().map(|r| r.year).collect::<Vec<_>>()),
    ])
    .map_err(|e| perr(path, e))?;
    write_frame(path, df, None)
}

/// Reads the region registry's entries.
pub(super) fn read_regions(path: &Path) -> crate::Result<Vec<Region>> {
    let df = read_frame(path, None)?;
    let e = |x: PolarsError| perr(path, x);
    let code = df.column("code").map_err(e)?.str().map_err(e)?;
    let name = df.column("name").map_err(e)?.str().map_err(e)?;
    let level = df.column("level").map_err(e)?.str().map_err(e)?;
    let gm = df.column("gemeente_name").map_err(e)?.str().map_err(e)?;
    let year = df.column("year").map_err(e)?.i32().map_err(e)?;
    // Iterated, not indexed: `get(i)` seeks the chunk of every row anew.
    code.iter()
        .zip(name.iter())
        .zip(level.iter())
        .zip(gm.iter())
        .zip(year.iter())
        .map(|((((code, name), level), gm), year)| {
            Ok(Region {
                code: code.unwrap_or_default().to_string(),
                name: name.unwrap_or_default().to_string(),
                level: Level::parse(level.unwrap_or_default()).ok_or_else(|| perr(path, "onbekend niveau"))?,
                gemeente_name: gm.unwrap_or_default().to_string(),
                year: year.unwrap_or_default(),
            })
        })
        .collect()
}
