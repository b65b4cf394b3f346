//! The local data store: Parquet files (written and read with polars) in a data
//! directory. Every import writes a complete new generation folder and then switches the
//! `CURRENT` pointer with an atomic rename, so a failed or killed import leaves the store
//! exactly as it was.

use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;
use std::sync::Arc;

use super::herkomst::Group;
use super::observation::{Observation, Source};
use super::region::{Level, Region};
use crate::error::Error;

/// Douglas–Peucker: drops the points that lie within `tol` pixels of the line through
/// their neighbours. A map of all gemeenten keeps its shape with about a fifth of the
/// points, and every factsheet's PDF carries (and Typst parses) a fifth of the SVG.
pub fn simplify(pts: &[(f64, f64)], tol: f64) -> Vec<(f64, f64)> {
    if pts.len() < 4 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    // A closed ring: split at the point farthest from the first, so both halves have
    // distinct end points.
    let far = (1..pts.len())
        .max_by(|&a, &b| dist2(pts[0], pts[a]).total_cmp(&dist2(pts[0], pts[b])))
        .unwrap_or(pts.len() - 1);
    keep[far] = true;
    let mut stack = vec![(0, far), (far, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut worst, mut at) = (0.0, a);
        for k in a + 1..b {
            let d = segment_distance(pts[k], pts[a], pts[b]);
            if d > worst {
                worst = d;
                at = k;
            }
        }
        if worst > tol {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    pts.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

fn dist2(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let len2 = dist2(a, b);
    if len2 == 0.0 {
        return dist2(p, a).sqrt();
    }
    let t = (((p.0 - a.0) * (b.0 - a.0) + (p.1 - a.1) * (b.1 - a.1)) / len2).clamp(0.0, 1.0);
    dist2(p, (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))).sqrt()
}

/// A region outline (WGS84 lon/lat rings) kept for maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geometry {
    /// Region code.
    pub code: String,
    /// Indeling year.
    pub year: i32,
    /// Outer rings of the (multi)polygon, each a list of [lon, lat].
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Who drew the outline when it is not CBS ("Gemeente Amsterdam, …"), for the
    /// map's credit; empty for CBS's own (PDOK, the wijk- en buurtkaart).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// One imported file, for `data status` and idempotent re-imports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRecord {
    /// File name as given.
    pub file: String,
    /// Source id it was read as.
    pub source: String,
    /// Number of figures it supplied.
    pub observations: usize,
}

/// Everything the store holds.
#[derive(Debug, Clone, Default)]
pub struct StoreData {
    /// All figures, one per cell.
    pub observations: Vec<Observation>,
    /// Region registry entries.
    pub regions: Vec<Region>,
    /// Outlines.
    pub geometry: Vec<Geometry>,
    /// Import log.
    pub imports: Vec<ImportRecord>,
}

/// A data directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// A problem reading or writing a generation. Whether the store itself is damaged is
/// decided by the caller ([`Store::load`] checks before it says so).
fn perr(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Store {
        message: format!("{}: de opslag kon niet gelezen of geschreven worden: {e}", path.display()),
        hint: "de opslag is ongewijzigd; controleer vrije schijfruimte en rechten en probeer het opnieuw".into(),
    }
}

/// The writer's lock on a store: one import or download at a time. Held from before the
/// store is read until after the new generation is current, so two imports never both
/// start from the same old generation and lose each other's figures. Released on drop.
#[derive(Debug)]
pub struct WriteLock {
    _file: fs::File,
}

/// How many generations stay on disk: the current one and the one before, so a reader
/// that picked the previous `CURRENT` a moment before a commit still finds all its files.
const KEEP_GENERATIONS: usize = 2;

impl Store {
    /// A store in `dir` (nothing is read until [`Store::load`]).
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn current_name(&self) -> Option<String> {
        let name = fs::read_to_string(self.dir.join("CURRENT")).ok()?;
        let name = name.trim().to_string();
        self.dir.join(&name).is_dir().then_some(name)
    }

    /// True when nothing has been imported yet.
    pub fn is_empty(&self) -> bool {
        self.current_name().is_none()
    }

    /// Takes the writer's lock, waiting while another process holds it; `waiting` is
    /// called once with the holder's description ("proces 1234") before the wait.
    pub fn write_lock(&self, waiting: impl FnOnce(&str)) -> crate::Result<WriteLock> {
        use std::io::{Read, Seek, Write};
        fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let path = self.dir.join("LOCK");
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                waiting(if holder.is_empty() { "een ander proces" } else { holder });
                file.lock().map_err(|e| Error::io(&path, e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        // Say who holds it, for the next one that has to wait.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "proces {}", std::process::id());
        let _ = file.flush();
        Ok(WriteLock { _file: file })
    }

    /// Reads the current generation (empty data when nothing was imported). A commit
    /// that switches `CURRENT` while this reads is no problem: the generation read stays
    /// on disk, and a read that still fails is tried once more on the new `CURRENT`.
    /// Only a generation that fails twice is called damaged.
    pub fn load(&self) -> crate::Result<StoreData> {
        let Some(name) = self.current_name() else { return Ok(StoreData::default()) };
        match read_generation(&self.dir.join(&name)) {
            Ok(d) => Ok(d),
            Err(first) => {
                let Some(again) = self.current_name() else { return Err(first) };
                read_generation(&self.dir.join(&again)).map_err(|e| {
                    let message = match e {
                        Error::Store { message, .. } => message,
                        other => other.to_string(),
                    };
                    Error::Store {
                        message,
                        hint: format!(
                            "de generatie {again} van de opslag is niet te lezen; zet een reservekopie van {} terug of verwijder \
                             die en lees opnieuw in (`wijkmonitor data import …`)",
                            self.dir.display()
                        ),
                    }
                })
            }
        }
    }

    /// Writes `data` as a new generation, reads it back, and only then makes it current
    /// atomically; a generation that does not read back is removed and the store stays
    /// as it was. Needs the writer's lock.
    pub fn commit(&self, _lock: &WriteLock, data: &StoreData) -> crate::Result<()> {
        fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let name = format!("gen-{stamp:020x}-{}", std::process::id());
        let tmp = self.dir.join(format!(".{name}.tmp"));
        fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let result = (|| {
            write_observations(&tmp.join("observations.parquet"), &data.observations)?;
            write_regions(&tmp.join("regions.parquet"), &data.regions)?;
            write_json(&tmp.join("geometry.json"), &data.geometry)?;
            write_json(&tmp.join("imports.json"), &data.imports)?;
            // Read back before anything points at it.
            let back = read_generation(&tmp)?;
            if back.observations.len() != data.observations.len()
                || back.regions.len() != data.regions.len()
                || back.geometry != data.geometry
            {
                return Err(perr(&tmp, "de geschreven generatie leest niet terug zoals geschreven"));
            }
            let gen = self.dir.join(&name);
            fs::rename(&tmp, &gen).map_err(|e| Error::io(&gen, e))?;
            let ptr = self.dir.join(".CURRENT.tmp");
            fs::write(&ptr, &name).map_err(|e| Error::io(&ptr, e))?;
            fs::rename(&ptr, self.dir.join("CURRENT")).map_err(|e| Error::io(&ptr, e))
        })();
        if result.is_err() {
            let _ = fs::remove_dir_all(&tmp);
            let _ = fs::remove_dir_all(self.dir.join(&name));
            return result;
        }
        self.prune();
        Ok(())
    }

    /// Removes generations older than the last [`KEEP_GENERATIONS`] and leftovers of
    /// interrupted commits. Runs under the writer's lock, so no newer generation exists.
    fn prune(&self) {
        let Ok(rd) = fs::read_dir(&self.dir) else { return };
        let mut gens = Vec::new();
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if n.starts_with(".gen-") && n.ends_with(".tmp") {
                let _ = fs::remove_dir_all(e.path());
            } else if n.starts_with("gen-") {
                gens.push(n);
            }
        }
        // By the time stamp in the name (`gen-<hex nanoseconds>-<pid>`), never by the
        // name's length or text: process ids differ in width. The current generation is
        // never removed, whatever its name says.
        gens.sort_by_key(|n| (generation_stamp(n), n.clone()));
        let current = self.current_name();
        let old = gens.len().saturating_sub(KEEP_GENERATIONS);
        for n in gens[..old].iter().filter(|n| Some(n.as_str()) != current.as_deref()) {
            let _ = fs::remove_dir_all(self.dir.join(n));
        }
    }
}

/// The time stamp of a generation's name (`gen-<hex>-<pid>`); 0 when it has none.
fn generation_stamp(name: &str) -> u128 {
    name.strip_prefix("gen-")
        .and_then(|rest| rest.split('-').next())
        .and_then(|hex| u128::from_str_radix(hex, 16).ok())
        .unwrap_or(0)
}

fn read_generation(gen: &Path) -> crate::Result<StoreData> {
    let observations = read_observations(&gen.join("observations.parquet"))?;
    let regions = read_regions(&gen.join("regions.parquet"))?;
    let geometry = read_json(&gen.join("geometry.json"))?;
    let imports = read_json(&gen.join("imports.json"))?;
    Ok(StoreData { observations, regions, geometry, imports })
}

fn write_json<T: Serialize>(path: &Path, v: &T) -> crate::Result<()> {
    let f = fs::File::create(path).map_err(|e| Error::io(path, e))?;
    serde_json::to_writer(std::io::BufWriter::new(f), v).map_err(|e| perr(path, e))
}

fn read_json<T: for<'de> Deserialize<'de> + Default>(path: &Path) -> crate::Result<T> {
    if !path.exists() {
        return Ok(T::default());
    }
    let f = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_reader(std::io::BufReader::new(f)).map_err(|e| perr(path, e))
}

fn write_frame(path: &Path, mut df: DataFrame) -> crate::Result<()> {
    let f = fs::File::create(path).map_err(|e| Error::io(path, e))?;
    ParquetWriter::new(f).with_compression(ParquetCompression::Snappy).finish(&mut df).map_err(|e| perr(path, e))?;
    Ok(())
}

fn read_frame(path: &Path) -> crate::Result<DataFrame> {
    let f = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetReader::new(f).finish().map_err(|e| perr(path, e))
}

fn write_observations(path: &Path, obs: &[Observation]) -> crate::Result<()> {
    let s =
        |name: &str, f: &dyn Fn(&Observation) -> &str| Column::new(name.into(), obs.iter().map(f).collect::<Vec<_>>());
    let o = |name: &str, f: &dyn Fn(&Observation) -> Option<f64>| {
        Column::new(name.into(), obs.iter().map(f).collect::<Vec<_>>())
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
    write_frame(path, df)
}

fn read_observations(path: &Path) -> crate::Result<Vec<Observation>> {
    let df = read_frame(path)?;
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
    // Stores written before the flag existed: every shipped source title names CBS, a
    // gemeente's own source does not.
    let cbs_col = df.column("source_cbs").ok().map(|c| c.bool().map_err(e)).transpose()?;
    // Stores written before editions existed: every source is its own series.
    let series_col = df.column("source_series").ok().map(|c| c.str().map_err(e)).transpose()?;
    let mut sources: HashMap<(&str, &str, bool, &str), Arc<Source>> = HashMap::new();
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let (id, title) = (source.get(i).unwrap_or_default(), source_title.get(i).unwrap_or_default());
        let cbs = match &cbs_col {
            Some(c) => c.get(i).unwrap_or(false),
            None => title.contains("CBS"),
        };
        let series = series_col.as_ref().and_then(|c| c.get(i)).unwrap_or_default();
        let src =
            sources.entry((id, title, cbs, series)).or_insert_with(|| Source::edition(id, title, cbs, series)).clone();
        let group_code = group.get(i).unwrap_or_default();
        let group = Group::parse(group_code)
            .ok_or_else(|| perr(path, format!("onbekende herkomstgroep '{group_code}' in regel {}", i + 1)))?;
        out.push(Observation {
            region: region.get(i).unwrap_or_default().to_string(),
            year: year.get(i).unwrap_or_default(),
            group,
            indicator: indicator.get(i).unwrap_or_default().to_string(),
            value: value.get(i),
            count: count.get(i),
            denominator: denominator.get(i),
            suppressed: suppressed.get(i).unwrap_or(false),
            sources: vec![src],
            national: None,
            released: released.get(i).unwrap_or_default().to_string(),
        });
    }
    Ok(out)
}

fn write_regions(path: &Path, regions: &[Region]) -> crate::Result<()> {
    let df = DataFrame::new_infer_height(vec![
        Column::new("code".into(), regions.iter().map(|r| r.code.as_str()).collect::<Vec<_>>()),
        Column::new("name".into(), regions.iter().map(|r| r.name.as_str()).collect::<Vec<_>>()),
        Column::new("level".into(), regions.iter().map(|r| r.level.noun()).collect::<Vec<_>>()),
        Column::new("gemeente_name".into(), regions.iter().map(|r| r.gemeente_name.as_str()).collect::<Vec<_>>()),
        Column::new("year".into(), regions.iter().map(|r| r.year).collect::<Vec<_>>()),
    ])
    .map_err(|e| perr(path, e))?;
    write_frame(path, df)
}

fn read_regions(path: &Path) -> crate::Result<Vec<Region>> {
    let df = read_frame(path)?;
    let e = |x: PolarsError| perr(path, x);
    let code = df.column("code").map_err(e)?.str().map_err(e)?;
    let name = df.column("name").map_err(e)?.str().map_err(e)?;
    let level = df.column("level").map_err(e)?.str().map_err(e)?;
    let gm = df.column("gemeente_name").map_err(e)?.str().map_err(e)?;
    let year = df.column("year").map_err(e)?.i32().map_err(e)?;
    (0..df.height())
        .map(|i| {
            Ok(Region {
                code: code.get(i).unwrap_or_default().to_string(),
                name: name.get(i).unwrap_or_default().to_string(),
                level: Level::parse(level.get(i).unwrap_or_default()).ok_or_else(|| perr(path, "onbekend niveau"))?,
                gemeente_name: gm.get(i).unwrap_or_default().to_string(),
                year: year.get(i).unwrap_or_default(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_atomic_generations() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        assert!(store.is_empty());
        let mut data = StoreData::default();
        data.observations.push(Observation {
            region: "GM0001".into(),
            year: 2024,
            group: Group::Totaal,
            indicator: "inwoners".into(),
            value: None,
            count: Some(3.0),
            denominator: None,
            suppressed: true,
            sources: vec![Source::new("T", "Test", false)],
            national: None,
            released: "2024-01-01".into(),
        });
        data.regions.push(Region {
            code: "GM0001".into(),
            name: "A".into(),
            level: Level::Gemeente,
            gemeente_name: "A".into(),
            year: 2024,
        });
        let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
        store.commit(&lock, &data).unwrap();
        store.commit(&lock, &data).unwrap();
        store.commit(&lock, &data).unwrap();
        let back = store.load().unwrap();
        assert_eq!(back.observations, data.observations);
        assert_eq!(back.regions, data.regions);
        let gens = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("gen-"))
            .count();
        assert_eq!(gens, KEEP_GENERATIONS, "older generations are removed, the one before stays");
    }

    #[test]
    fn pruning_goes_by_time_and_never_removes_the_current_generation() {
        // Regression: sorting names by length put a newer generation of a process with a
        // short id before older ones of a longer id, and removed it.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
        for name in ["gen-00000000000000000001-1234567", "gen-00000000000000000002-1234567"] {
            fs::create_dir_all(dir.path().join(name)).unwrap();
        }
        store.commit(&lock, &StoreData::default()).unwrap();
        let current = store.current_name().unwrap();
        assert!(dir.path().join(&current).is_dir());
        assert!(!dir.path().join("gen-00000000000000000001-1234567").exists(), "the oldest goes");
        assert!(dir.path().join("gen-00000000000000000002-1234567").exists(), "the one before stays");
        assert_eq!(generation_stamp("gen-ff-12"), 255);
        assert_eq!(generation_stamp("gen-x"), 0);
    }
}
