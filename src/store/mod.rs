//! The local data store: Parquet and JSON files in a data directory. Every import
//! writes a complete new generation folder and then switches the `CURRENT` pointer with
//! an atomic rename, so a failed or killed import leaves the store exactly as it was.
//! One writer at a time holds the lock ([`WriteLock`]).
//!
//! The store persists what it is given and computes nothing: the thin figures and the
//! national figures a generation keeps are computed before the commit from all figures
//! (see [`dataset::derived`](crate::dataset::derived)) and handed over as [`Derived`].
//!
//! - [`layout`]: the files of a generation and its format version;
//! - `frames`: the bytes of the Parquet and JSON files;
//! - `outlines`: the outline files, grouped by gemeente;
//! - [`thin`]: the thin figures of a level ([`LevelFigures`]);
//! - `national`: the computed national figures;
//! - [`scope`]: which part of the store a command reads;
//! - [`mod@coverage`]: what the store holds, for `data status`.

pub mod coverage;
mod frames;
mod index;
pub mod layout;
mod national;
mod outlines;
mod read;
pub mod scope;
pub mod thin;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::geometry::Geometry;
use crate::model::herkomst::Group;
use crate::model::observation::{is_beside, Observation};
use crate::model::region::{code_level, Level, Region};
pub use coverage::{coverage, Coverage};
use frames::read_regions;
pub use scope::Scope;
pub use thin::{LevelFigures, ThinFigure};

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
    /// Levels read in thin form (see [`Scope::thin`]); a commit writes the thin
    /// figures it is given in [`Derived`] instead.
    pub levels: Vec<Arc<LevelFigures>>,
    /// The national figures computed before the last commit from all gemeenten; a
    /// commit writes those of its [`Derived`] instead.
    pub national: Vec<Observation>,
    /// The achterstandsindex records of the areas of the gemeenten in scope (see
    /// [`Scope::index_gemeenten`]), as `compare::achterstand` wrote them; a commit
    /// writes those of its [`Derived`] instead.
    pub index: Vec<serde_json::Value>,
    /// Whether the generation holds the achterstandsindex (a store written by an
    /// earlier version has none).
    pub index_stored: bool,
}

/// What a commit writes beside the figures, computed from all of them before it (see
/// [`dataset::derived`](crate::dataset::derived)): the thin figures of each level and
/// the national figures computed from the gemeenten. Empty for a store without figures.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// The thin figures of the gemeenten, wijken and buurten.
    pub levels: Vec<LevelFigures>,
    /// The national figures no source gives, computed from all gemeenten.
    pub national: Option<Vec<Observation>>,
    /// The achterstandsindex of every area, as (code, record); empty when no level
    /// could be ranked.
    pub index: Vec<(String, serde_json::Value)>,
}

/// Indicator id → the levels at which the store has at least one figure of it (a
/// value for the whole population, not suppressed; re-division marks left out).
pub type Inventory = BTreeMap<String, BTreeSet<Level>>;

/// The [`Inventory`] of a set of figures.
pub fn inventory(observations: &[Observation]) -> Inventory {
    let mut inv = Inventory::new();
    let mut last: Option<(&str, Level)> = None;
    for o in observations {
        if o.group != Group::Totaal || o.suppressed || o.value.is_none() || is_beside(&o.indicator) {
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
pub(crate) fn perr(path: &Path, e: impl std::fmt::Display) -> Error {
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
                match read::generation(&self.dir.join(name), scope, false) {
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
        match read::generation(&self.dir.join(&name), scope, true) {
            Ok(d) => Ok(d),
            Err(first) => {
                let Some(again) = self.current_name() else { return Err(first) };
                read::generation(&self.dir.join(&again), scope, true).map_err(|e| self.damaged(&again, e))
            }
        }
    }

    /// The error of a generation that failed to read twice: its file is damaged, so the
    /// hint is a backup or a new import, not disk space (unless a newer wijkmonitor
    /// wrote it, which its own error says).
    fn damaged(&self, generation: &str, e: Error) -> Error {
        if layout::is_newer(&self.dir.join(generation)) {
            return e;
        }
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

    /// Writes `data` and what was `derived` from it (see
    /// [`dataset::derived`](crate::dataset::derived)) as a new generation, reads it
    /// back, and only then makes it current atomically; a generation that does not read
    /// back is removed and the store stays as it was. Needs the writer's lock. The store
    /// writes what it is given and computes nothing.
    pub fn commit(&self, _lock: &WriteLock, data: &StoreData, derived: &Derived) -> crate::Result<()> {
        fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let stamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let name = format!("gen-{stamp:020x}-{}", std::process::id());
        let tmp = self.dir.join(format!(".{name}.tmp"));
        fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let result = (|| {
            write::generation(&tmp, data, derived)?;
            // Read back before anything points at it.
            write::check(&tmp, data)?;
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

#[cfg(test)]
mod tests;
