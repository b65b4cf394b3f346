//! The local data store: Parquet files (written and read with polars) in a data
//! directory. Every import writes a complete new generation folder and then switches the
//! `CURRENT` pointer with an atomic rename, so a failed or killed import leaves the store
//! exactly as it was. A generation keeps its figures in one file per level (Nederland
//! and the gemeenten, wijken, buurten) so that a [`Scope`] reads only what one
//! factsheet or batch needs, and an [`Inventory`] of which indicator has figures at
//! which level, so that a factsheet can say what the store lacks for its level without
//! reading the other levels.

use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::atom::Interner;
pub use super::geometry::Geometry;
use super::herkomst::Group;
use super::observation::{Observation, Source};
use super::region::{code_level, gemeente_digits, Level, Region};
use super::scope::Scope;
pub use super::simplify::simplify;
use super::thin::LevelFigures;
use crate::error::Error;

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
    /// Which indicator has figures at which level in the whole store, whatever part of
    /// it was read (written at commit, see [`inventory`]).
    pub inventory: Inventory,
    /// Levels read in thin form (see [`Scope::thin`]); never written by a commit,
    /// which derives them from the figures.
    pub levels: Vec<Arc<LevelFigures>>,
    /// The national figures computed at import from all gemeenten (see
    /// [`read_national`](super::thin::read_national)); never written by a commit, which
    /// computes them anew.
    pub national: Vec<Observation>,
}

/// Indicator id → the levels at which the store has at least one figure of it (a
/// value for the whole population, not suppressed; re-division marks left out).
pub type Inventory = BTreeMap<String, BTreeSet<Level>>;

/// The [`Inventory`] of a set of figures.
pub fn inventory(observations: &[Observation]) -> Inventory {
    let mut inv = Inventory::new();
    let mut last: Option<(&str, Level)> = None;
    for o in observations {
        if o.group != Group::Totaal || o.suppressed || o.value.is_none() || super::is_marker(&o.indicator) {
            continue;
        }
        let Some(level) = code_level(&o.region) else { continue };
        if last == Some((o.indicator.as_str(), level)) {
            continue;
        }
        last = Some((o.indicator.as_str(), level));
        match inv.get_mut(o.indicator.as_str()) {
            Some(levels) => {
                levels.insert(level);
            }
            None => {
                inv.insert(o.indicator.to_string(), [level].into());
            }
        }
    }
    inv
}

/// The figure files of a generation: Nederland and the gemeenten (and any code of no
/// known level) in the first, always read; wijken and buurten each in their own.
const OBSERVATION_FILES: [(&str, Level); 3] = [
    ("observations-gemeente.parquet", Level::Gemeente),
    ("observations-wijk.parquet", Level::Wijk),
    ("observations-buurt.parquet", Level::Buurt),
];

/// The row index of a sorted wijk or buurt figure file: the gemeente's four digits
/// (`0344`) → (first row, number of rows) of its regions.
type RowIndex = BTreeMap<String, (usize, usize)>;

/// The [`RowIndex`] file beside a figure file (`observations-wijk.parquet` →
/// `rows-wijk.json`). Written with the store's wijk and buurt files, which are grouped
/// by gemeente so that a gemeente's wijken are one run of rows: a factsheet reads only its
/// own gemeente's rows of them. A generation without it is read whole and filtered.
fn row_index_file(level: Level) -> String {
    format!("rows-{}.json", level.noun())
}

/// The run a region's rows belong to: its gemeente's four digits, or `""` for
/// Nederland and codes of no known level (the run every read of the gemeente file takes).
fn run_key(code: &str) -> &str {
    match code_level(code) {
        Some(Level::Gemeente | Level::Wijk | Level::Buurt) => gemeente_digits(code).unwrap_or(""),
        _ => "",
    }
}

/// The order of the figure files: by gemeente, Nederland first, stable (see
/// [`row_index_file`]).
fn by_gemeente(a: &str, b: &str) -> std::cmp::Ordering {
    run_key(a).cmp(run_key(b))
}

/// Adds the item at `start..end` (rows or bytes) of region `code` to its gemeente's run.
fn add_to_run(runs: &mut RowIndex, code: &str, start: usize, end: usize) {
    runs.entry(run_key(code).to_string()).and_modify(|r| r.1 = end - r.0).or_insert((start, end - start));
}

/// The byte index of a wijk or buurt outline file, grouped by gemeente like the
/// figures: the gemeente's four digits → (first byte, number of bytes) of its outlines,
/// a run of comma-separated JSON objects.
fn outline_index_file(level: Level) -> String {
    format!("outlines-{}.json", level.noun())
}

/// Writes outlines as one JSON array grouped by gemeente, with the byte index of
/// each gemeente's run (see [`outline_index_file`]).
fn write_outlines(path: &Path, index: &Path, outlines: &mut [&Geometry]) -> crate::Result<()> {
    outlines.sort_by(|a, b| by_gemeente(&a.code, &b.code));
    let mut bytes = b"[".to_vec();
    let mut runs = RowIndex::new();
    for (i, g) in outlines.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        let start = bytes.len();
        serde_json::to_writer(&mut bytes, g).map_err(|e| perr(path, e))?;
        add_to_run(&mut runs, &g.code, start, bytes.len());
    }
    bytes.push(b']');
    fs::write(path, bytes).map_err(|e| Error::io(path, e))?;
    write_json(index, &runs)
}

/// The outlines of `gemeenten` from a file written by [`write_outlines`].
fn read_outlines(path: &Path, index: &Path, gemeenten: &BTreeSet<String>) -> crate::Result<Vec<Geometry>> {
    let runs: RowIndex = read_json(index)?;
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for &(start, len) in gemeenten.iter().filter_map(|g| runs.get(g)) {
        let run = bytes.get(start..start + len).ok_or_else(|| perr(path, "de index wijst buiten het bestand"))?;
        let mut array = Vec::with_capacity(len + 2);
        array.push(b'[');
        array.extend_from_slice(run);
        array.push(b']');
        out.extend(serde_json::from_slice::<Vec<Geometry>>(&array).map_err(|e| perr(path, e))?);
    }
    Ok(out)
}

/// Rows per Parquet row group in the sorted files: a gemeente's slice decodes a few
/// small groups instead of all of a level's 400.000 figures.
const SORTED_ROW_GROUP: usize = 16_384;

/// The file of a generation written before the figures were split by level.
const LEGACY_OBSERVATIONS: &str = "observations.parquet";

/// The outline files of a generation, split like the figures.
const GEOMETRY_FILES: [(&str, Level); 3] = [
    ("geometry-gemeente.json", Level::Gemeente),
    ("geometry-wijk.json", Level::Wijk),
    ("geometry-buurt.json", Level::Buurt),
];

/// The outline file of a generation written before the outlines were split by level.
const LEGACY_GEOMETRY: &str = "geometry.json";

/// The figure file a region's figures go in.
fn file_level(code: &str) -> Level {
    match code_level(code) {
        Some(l @ (Level::Wijk | Level::Buurt)) => l,
        _ => Level::Gemeente,
    }
}

/// The regions of one generation of the store (see [`Store::regions`]).
#[derive(Debug, Clone, Default)]
pub struct Regions {
    /// The generation read; `None` for an empty store.
    generation: Option<String>,
    /// The registry entries (a caller may take them: a later read needs only the
    /// generation).
    pub list: Vec<Region>,
}

/// A data directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// A problem reading or writing a generation. Whether the store itself is damaged is
/// decided by the caller ([`Store::load`] checks before it says so).
pub(super) fn perr(path: &Path, e: impl std::fmt::Display) -> Error {
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

    /// Reads the whole current generation (empty data when nothing was imported).
    pub fn load(&self) -> crate::Result<StoreData> {
        self.load_scope(&Scope::all())
    }

    /// Reads the regions registry only (small: what resolving a typed name needs before
    /// the scope of a factsheet is known), with the generation it belongs to, so that
    /// [`Store::load_scope_known`] does not read and index it again.
    pub fn regions(&self) -> crate::Result<Regions> {
        let Some(name) = self.current_name() else { return Ok(Regions { generation: None, list: Vec::new() }) };
        let path = self.dir.join(&name).join("regions.parquet");
        match read_regions(&path) {
            Ok(list) => Ok(Regions { generation: Some(name), list }),
            Err(first) => {
                // A commit in between: the next generation's.
                let again = self.current_name().ok_or(first)?;
                let list = read_regions(&self.dir.join(&again).join("regions.parquet"))
                    .map_err(|e| self.damaged(&again, e))?;
                Ok(Regions { generation: Some(again), list })
            }
        }
    }

    /// [`Store::load_scope`] for a caller that has read the regions already (with
    /// [`Store::regions`]): while that generation is still current, its figures are read
    /// without the regions (the result's `regions` is empty) and `true` is returned; after
    /// a commit in between, the new generation is read whole and `false` says so.
    pub fn load_scope_known(&self, scope: &Scope, known: &Regions) -> crate::Result<(StoreData, bool)> {
        match &known.generation {
            Some(name) if self.current_name().as_ref() == Some(name) => {
                match read_generation(&self.dir.join(name), scope, false) {
                    Ok(d) => Ok((d, true)),
                    Err(_) => Ok((self.load_scope(scope)?, false)),
                }
            }
            _ => Ok((self.load_scope(scope)?, false)),
        }
    }

    /// Reads the part `scope` of the current generation: every region, all outlines and
    /// figures in scope, the inventory of the whole store. A commit that switches
    /// `CURRENT` while this reads is no problem: the generation read stays on disk, and
    /// a read that still fails is tried once more on the new `CURRENT`. Only a
    /// generation that fails twice is called damaged.
    pub fn load_scope(&self, scope: &Scope) -> crate::Result<StoreData> {
        let Some(name) = self.current_name() else { return Ok(StoreData::default()) };
        match read_generation(&self.dir.join(&name), scope, true) {
            Ok(d) => Ok(d),
            Err(first) => {
                let Some(again) = self.current_name() else { return Err(first) };
                read_generation(&self.dir.join(&again), scope, true).map_err(|e| self.damaged(&again, e))
            }
        }
    }

    /// The error of a generation that failed to read twice: its file is damaged, so the
    /// hint is a backup or a new import, not disk space.
    fn damaged(&self, generation: &str, e: Error) -> Error {
        let message = match e {
            Error::Store { message, .. } => message,
            other => other.to_string(),
        };
        Error::Store {
            message,
            hint: format!(
                "de generatie {generation} van de opslag is niet te lezen; zet een reservekopie van {} terug of \
                 verwijder die en lees opnieuw in (`wijkmonitor data import …`)",
                self.dir.display()
            ),
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
            for (file, level) in OBSERVATION_FILES {
                let mut part: Vec<&Observation> =
                    data.observations.iter().filter(|o| file_level(&o.region) == level).collect();
                // Grouped by gemeente, indexed by gemeente. The sort is stable: within a
                // gemeente the figures keep the import's order, which decides between
                // two figures of one cell and keeps one table's rows together (the
                // reader reuses a row's source for the next).
                part.sort_by(|a, b| by_gemeente(&a.region, &b.region));
                let mut rows = RowIndex::new();
                for (i, o) in part.iter().enumerate() {
                    add_to_run(&mut rows, &o.region, i, i + 1);
                }
                write_observations(&tmp.join(file), &part, Some(SORTED_ROW_GROUP))?;
                write_json(&tmp.join(row_index_file(level)), &rows)?;
            }
            write_regions(&tmp.join("regions.parquet"), &data.regions)?;
            // Each region's newest outline only: the maps draw no other (the dataset
            // keeps the newest of each code), and the older years were six of every
            // seven gemeente outlines a factsheet parsed.
            let mut newest: std::collections::HashMap<&str, i32> = Default::default();
            for g in &data.geometry {
                let y = newest.entry(g.code.as_str()).or_insert(g.year);
                *y = (*y).max(g.year);
            }
            let outlines: Vec<&Geometry> = data.geometry.iter().filter(|g| newest[g.code.as_str()] == g.year).collect();
            for (file, level) in GEOMETRY_FILES {
                let mut part: Vec<&Geometry> =
                    outlines.iter().copied().filter(|g| file_level(&g.code) == level).collect();
                match level {
                    Level::Wijk | Level::Buurt => {
                        write_outlines(&tmp.join(file), &tmp.join(outline_index_file(level)), &mut part)?
                    }
                    _ => write_json(&tmp.join(file), &part)?,
                }
            }
            write_json(&tmp.join("imports.json"), &data.imports)?;
            write_json(&tmp.join("inventory.json"), &inventory(&data.observations))?;
            write_thin(&tmp, data)?;
            // Read back before anything points at it.
            let back = read_generation(&tmp, &Scope::all(), true)?;
            let same_outlines = GEOMETRY_FILES.iter().all(|(_, level)| {
                // In the file's order: wijken and buurten grouped by gemeente.
                fn of<'g>(v: &[&'g Geometry], level: Level) -> Vec<&'g Geometry> {
                    let mut part: Vec<&Geometry> = v.iter().copied().filter(|g| file_level(&g.code) == level).collect();
                    part.sort_by(|a, b| by_gemeente(&a.code, &b.code));
                    part
                }
                of(&back.geometry.iter().collect::<Vec<_>>(), *level) == of(&outlines, *level)
            });
            if back.observations.len() != data.observations.len()
                || back.regions.len() != data.regions.len()
                || back.geometry.len() != outlines.len()
                || !same_outlines
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

/// Writes the thin figures of the gemeenten, wijken and buurten (see [`LevelFigures`])
/// and the computed national figures, taken from the complete figures with the shipped
/// catalogue: derived indicators and renumbered codes as a factsheet's
/// [`Dataset`](super::Dataset) sees them.
fn write_thin(dir: &Path, data: &StoreData) -> crate::Result<()> {
    let levels = [Level::Gemeente, Level::Wijk, Level::Buurt];
    if data.observations.is_empty() {
        return Ok(());
    }
    let all = StoreData {
        observations: data.observations.clone(),
        regions: data.regions.clone(),
        inventory: data.inventory.clone(),
        ..StoreData::default()
    };
    let ds = super::Dataset::new(all, super::Catalogue::builtin());
    for level in levels {
        LevelFigures::of(&ds, level).write(dir)?;
    }
    super::thin::write_national(&ds, dir)
}

/// The time stamp of a generation's name (`gen-<hex>-<pid>`); 0 when it has none.
fn generation_stamp(name: &str) -> u128 {
    name.strip_prefix("gen-")
        .and_then(|rest| rest.split('-').next())
        .and_then(|hex| u128::from_str_radix(hex, 16).ok())
        .unwrap_or(0)
}

/// Reads the part `scope` of the generation in `gen`; the regions too when `regions`.
fn read_generation(gen: &Path, scope: &Scope, regions: bool) -> crate::Result<StoreData> {
    // The levels wanted thin, from their thin figures; a generation without them (or
    // written with another catalogue) reads those levels whole.
    let mut scope = scope.clone();
    let mut levels = Vec::new();
    let national = super::thin::read_national(gen)?;
    for level in scope.thin() {
        // The gemeenten read thin also need Nederland's computed figures and the row
        // index of their file.
        let usable =
            level != Level::Gemeente || (national.is_some() && gen.join(row_index_file(Level::Gemeente)).exists());
        match if usable { LevelFigures::read(gen, level)? } else { None } {
            Some(thin) => levels.push(Arc::new(thin)),
            None => scope = scope.whole(level),
        }
    }
    let scope = &scope;
    let legacy = gen.join(LEGACY_OBSERVATIONS);
    // A generation written before the split: one file, read whole; its inventory is
    // taken before the part in scope is kept.
    let mut legacy_inventory = None;
    let observations = if legacy.exists() {
        let df = read_frame(&legacy, None)?;
        let mut all = read_observations(&legacy, &df, 0, &Scope::all(), None)?;
        legacy_inventory = Some(inventory(&all));
        all.retain(|o| scope.wants(&o.region));
        all
    } else {
        let mut all = Vec::new();
        for (file, level) in OBSERVATION_FILES {
            if !scope.touches(level) {
                continue;
            }
            let path = gen.join(file);
            let rows = gen.join(row_index_file(level));
            match scope.gemeenten_inside(level) {
                Some(gemeenten) if rows.exists() => {
                    let index: RowIndex = read_json(&rows)?;
                    // The gemeente file's run of Nederland (and of codes of no level),
                    // which every scope reads, first.
                    let always = (level == Level::Gemeente).then(|| index.get(""));
                    let runs = gemeenten.iter().map(|g| index.get(g));
                    for (start, len) in always.into_iter().chain(runs).flatten() {
                        let df = read_frame(&path, Some((*start, *len)))?;
                        all.extend(read_observations(&path, &df, *start, scope, Some(level))?);
                    }
                }
                _ => {
                    let df = read_frame(&path, None)?;
                    all.extend(read_observations(&path, &df, 0, scope, Some(level))?);
                }
            }
        }
        all
    };
    let regions = if regions { read_regions(&gen.join("regions.parquet"))? } else { Vec::new() };
    let legacy = gen.join(LEGACY_GEOMETRY);
    let mut geometry: Vec<Geometry> = Vec::new();
    if legacy.exists() {
        geometry = read_json(&legacy)?;
    } else {
        for (file, level) in GEOMETRY_FILES {
            if !scope.touches_outlines(level) {
                continue;
            }
            let index = gen.join(outline_index_file(level));
            match scope.outline_gemeenten(level) {
                Some(gemeenten) if index.exists() => {
                    geometry.extend(read_outlines(&gen.join(file), &index, gemeenten)?)
                }
                _ => geometry.extend(read_json::<Vec<Geometry>>(&gen.join(file))?),
            }
        }
    }
    if !scope.is_all() {
        geometry.retain(|g| scope.wants_outline(&g.code));
    }
    let imports = read_json(&gen.join("imports.json"))?;
    let inventory = match legacy_inventory {
        Some(inv) => inv,
        None => read_json(&gen.join("inventory.json"))?,
    };
    Ok(StoreData {
        observations,
        regions,
        geometry,
        imports,
        inventory,
        levels,
        national: national.unwrap_or_default(),
    })
}

pub(super) fn write_json<T: Serialize>(path: &Path, v: &T) -> crate::Result<()> {
    let f = fs::File::create(path).map_err(|e| Error::io(path, e))?;
    serde_json::to_writer(std::io::BufWriter::new(f), v).map_err(|e| perr(path, e))
}

pub(super) fn read_json<T: for<'de> Deserialize<'de> + Default>(path: &Path) -> crate::Result<T> {
    if !path.exists() {
        return Ok(T::default());
    }
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

fn write_observations(path: &Path, obs: &[&Observation], row_group: Option<usize>) -> crate::Result<()> {
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
/// row.
fn read_observations(
    path: &Path,
    df: &DataFrame,
    first: usize,
    scope: &Scope,
    level: Option<Level>,
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
    // Stores written before the flag existed: every shipped source title names CBS, a
    // gemeente's own source does not.
    let cbs: Vec<Option<bool>> = match df.column("source_cbs").ok() {
        Some(c) => c.bool().map_err(e)?.iter().collect(),
        None => source_title.iter().map(|t| Some(t.unwrap_or_default().contains("CBS"))).collect(),
    };
    // Stores written before editions existed: every source is its own series.
    let series: Vec<Option<&str>> = match df.column("source_series").ok() {
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
        out.push(Observation {
            region: regions.get(r),
            year: y.unwrap_or_default(),
            group,
            indicator: indicators.get(ind.unwrap_or_default()),
            value: v,
            count: c,
            denominator: d,
            suppressed: s.unwrap_or(false),
            sources: src,
            national: None,
            released: releases.get(rel.unwrap_or_default()),
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
    write_frame(path, df, None)
}

fn read_regions(path: &Path) -> crate::Result<Vec<Region>> {
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
            sources: vec![Source::new("T", "Test", false)].into(),
            national: None,
            released: "2024-01-01".into(),
        });
        data.regions.push(gemeente_a());
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
    fn a_generation_keeps_each_regions_newest_outline() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut data = StoreData { regions: vec![gemeente_a()], ..Default::default() };
        data.observations.push(figure("GM0001", Some(1.0)));
        let outline =
            |code: &str, year: i32| Geometry { code: code.into(), year, rings: vec![], source: String::new() };
        // A gemeente in three years, a buurt in two, a dissolved gemeente in its last.
        for (code, year) in [("GM0001", 2022), ("GM0001", 2024), ("GM0001", 2023), ("BU00010101", 2024)] {
            data.geometry.push(outline(code, year));
        }
        data.geometry.push(outline("BU00010101", 2020));
        data.geometry.push(outline("GM0002", 2018));
        let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
        store.commit(&lock, &data).unwrap();
        let mut back: Vec<(String, i32)> =
            store.load().unwrap().geometry.into_iter().map(|g| (g.code, g.year)).collect();
        back.sort();
        assert_eq!(back, [("BU00010101".into(), 2024), ("GM0001".into(), 2024), ("GM0002".into(), 2018)]);
    }

    /// The one gemeente of the test stores.
    fn gemeente_a() -> Region {
        Region {
            code: "GM0001".into(),
            name: "A".into(),
            level: Level::Gemeente,
            gemeente_name: "A".into(),
            year: 2024,
        }
    }

    fn figure(region: &str, value: Option<f64>) -> Observation {
        Observation {
            region: region.into(),
            year: 2024,
            group: Group::Totaal,
            indicator: "inwoners".into(),
            value,
            count: None,
            denominator: None,
            suppressed: value.is_none(),
            sources: vec![Source::new("T", "Test", false)].into(),
            national: None,
            released: "2024-01-01".into(),
        }
    }

    #[test]
    fn a_scope_reads_its_part_and_the_inventory_tells_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut data = StoreData::default();
        for (code, v) in
            [("BU00010101", Some(5.0)), ("NL01", Some(9.0)), ("GM0001", Some(7.0)), ("WK000101", Some(6.0))]
        {
            data.observations.push(figure(code, v));
        }
        data.observations.push(figure("WK000201", None));
        data.observations.push(figure("BU00020101", Some(4.0)));
        data.observations.push(figure("GM0002", Some(8.0)));
        for code in ["GM0001", "WK000101", "WK000201", "BU00010101"] {
            data.geometry.push(Geometry { code: code.into(), year: 2024, rings: vec![], source: String::new() });
        }
        let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
        store.commit(&lock, &data).unwrap();

        let gm = store.load_scope(&Scope::region("GM0001")).unwrap();
        let codes: Vec<&str> = gm.observations.iter().map(|o| o.region.as_str()).collect();
        assert_eq!(codes, ["NL01", "GM0001", "WK000101"], "Nederland, the gemeenten, its own wijken");
        assert_eq!(gm.regions.len(), data.regions.len());
        let outlines: Vec<&str> = gm.geometry.iter().map(|g| g.code.as_str()).collect();
        assert_eq!(outlines, ["GM0001", "WK000101", "BU00010101"]);
        // A suppressed figure is not a figure the level has.
        let levels: Vec<Level> = gm.inventory["inwoners"].iter().copied().collect();
        assert_eq!(levels, [Level::Land, Level::Gemeente, Level::Wijk, Level::Buurt]);

        let all = store.load().unwrap();
        assert_eq!(all.observations.len(), data.observations.len());
        // A buurt reads its gemeente's buurten in full and every buurt thin.
        let bu = store.load_scope(&Scope::region("BU00010101")).unwrap();
        let full: Vec<&str> =
            bu.observations.iter().map(|o| o.region.as_str()).filter(|c| c.starts_with("BU")).collect();
        assert_eq!(full, ["BU00010101"], "its own gemeente's buurten in full");
        let thin = bu.levels.iter().find(|l| l.level() == Level::Buurt).expect("the buurten thin");
        let view = crate::model::LevelView::Thin(thin);
        assert_eq!(view.get("inwoners", "BU00020101", 2024).and_then(|f| f.value), Some(4.0), "every buurt");
        // Without thin figures (a store of an older version) the level is read whole.
        for level in ["wijk", "buurt"] {
            let gen = store.dir().join(store.current_name().unwrap());
            fs::remove_file(gen.join(format!("thin-{level}.parquet"))).unwrap();
        }
        let bu = store.load_scope(&Scope::region("BU00010101")).unwrap();
        assert!(bu.levels.iter().all(|l| l.level() == Level::Gemeente), "only the gemeenten thin");
        assert_eq!(bu.observations.iter().filter(|o| o.region.starts_with("BU")).count(), 2, "every buurt");
        assert!(!bu.observations.iter().any(|o| o.region == "GM0002"), "another gemeente thin");
        // Without the computed national figures the gemeenten are read whole (Nederland
        // is computed from them).
        let gen = store.dir().join(store.current_name().unwrap());
        fs::remove_file(gen.join("national.json")).unwrap();
        let bu = store.load_scope(&Scope::region("BU00010101")).unwrap();
        assert!(bu.levels.is_empty() && bu.national.is_empty());
        assert!(bu.observations.iter().any(|o| o.region == "GM0002"), "every gemeente");
    }

    #[test]
    fn a_gemeente_reads_its_own_run_of_the_wijk_file_in_import_order() {
        // Imported interleaved (one table after the other); stored grouped by gemeente
        // with a row index, read back as the gemeente's slice.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut data = StoreData::default();
        for (code, v) in [
            ("WK000201", 1.0),
            ("WK000101", 2.0),
            ("WK000202", 3.0),
            ("WK000301", 4.0),
            ("WK000201", 5.0),
            ("WK000102", 6.0),
        ] {
            data.observations.push(figure(code, Some(v)));
        }
        let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
        store.commit(&lock, &data).unwrap();
        let gen = dir.path().join(store.current_name().unwrap());
        let rows: RowIndex = read_json(&gen.join("rows-wijk.json")).unwrap();
        assert_eq!(rows["0001"], (0, 2));
        assert_eq!(rows["0002"], (2, 3));
        assert_eq!(rows["0003"], (5, 1));
        let part = store.load_scope(&Scope::region("GM0002")).unwrap();
        let got: Vec<(&str, Option<f64>)> = part.observations.iter().map(|o| (o.region.as_str(), o.value)).collect();
        assert_eq!(got, [("WK000201", Some(1.0)), ("WK000202", Some(3.0)), ("WK000201", Some(5.0))]);
        assert_eq!(store.load().unwrap().observations.len(), 6);

        // A generation written before the indexes: the level files are read whole and
        // filtered, with the same result.
        for index in ["rows-wijk.json", "rows-buurt.json", "outlines-wijk.json", "outlines-buurt.json"] {
            fs::remove_file(gen.join(index)).unwrap();
        }
        let whole = store.load_scope(&Scope::region("GM0002")).unwrap();
        assert_eq!(whole.observations, part.observations);
    }

    #[test]
    fn regions_read_first_are_reused_only_while_their_generation_is_current() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut data = StoreData::default();
        data.observations.push(figure("GM0001", Some(1.0)));
        data.regions.push(gemeente_a());
        let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
        store.commit(&lock, &data).unwrap();
        let known = store.regions().unwrap();
        assert_eq!(known.list.len(), 1);
        let (part, same) = store.load_scope_known(&Scope::region("GM0001"), &known).unwrap();
        assert!(same && part.regions.is_empty() && part.observations.len() == 1, "figures only");
        // An import commits in between: the new generation is read whole.
        data.regions[0].name = "B".into();
        store.commit(&lock, &data).unwrap();
        let (part, same) = store.load_scope_known(&Scope::region("GM0001"), &known).unwrap();
        assert!(!same);
        assert_eq!(part.regions[0].name, "B");
    }

    #[test]
    fn a_generation_of_one_figure_file_is_still_read_and_scoped() {
        // Stores written before the split by level: one observations.parquet, one
        // geometry.json, no inventory.
        let dir = tempfile::tempdir().unwrap();
        let gen = dir.path().join("gen-00000000000000000001-1");
        fs::create_dir_all(&gen).unwrap();
        let obs = [figure("NL01", Some(9.0)), figure("WK000201", Some(3.0)), figure("BU00010101", Some(5.0))];
        write_observations(&gen.join(LEGACY_OBSERVATIONS), &obs.iter().collect::<Vec<_>>(), None).unwrap();
        write_regions(&gen.join("regions.parquet"), &[]).unwrap();
        write_json(&gen.join(LEGACY_GEOMETRY), &Vec::<Geometry>::new()).unwrap();
        fs::write(dir.path().join("CURRENT"), "gen-00000000000000000001-1").unwrap();
        let store = Store::new(dir.path());
        assert_eq!(store.load().unwrap().observations.len(), 3);
        let part = store.load_scope(&Scope::region("GM0001")).unwrap();
        assert_eq!(part.observations.len(), 1, "only Nederland: no wijk of GM0001");
        let levels: Vec<Level> = part.inventory["inwoners"].iter().copied().collect();
        assert_eq!(levels, [Level::Land, Level::Wijk, Level::Buurt], "of the whole file");
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
