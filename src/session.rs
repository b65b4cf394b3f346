//! A session over the data, what every command that reads figures starts from (as
//! typst-cli's `world.rs` is for Typst): the store or the fictional demo data, its
//! regions read first so a typed name resolves before any figure is read, the shipped
//! catalogue (parsed once per process), and the dataset of the part of the store a
//! [`Scope`] names, or of a country-wide batch read in parts ([`Parted`]). The CLI, the
//! `bench` command and the tests all read through it; only the CLI adds the words of an
//! error's context.
//!
//! It also fills the store: [`import`] merges files into the current figures, computes
//! what a commit keeps beside them ([`dataset::derived_with`]: the thin and national
//! figures and the achterstandsindex of every level) and commits, all or nothing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::dataset::{self, Dataset};
use crate::error::Error;
use crate::ingest::{self, spec::SourceSpec, ImportReport};
use crate::model::region::Level;
use crate::model::{Catalogue, Registry};
use crate::store::{Regions, Scope, Store, StoreData, WriteLock};

/// The data a command reads: where it comes from and its regions (see the module
/// header). Kept to build the dataset with, so the registry is not read or built twice.
pub struct Session {
    registry: Registry,
    source: Source,
}

/// Where a session's figures come from.
enum Source {
    /// The demo data, all of it, built once.
    Demo(Box<StoreData>),
    /// A generation of the store, whose regions were read.
    Store(Store, Regions),
}

impl Session {
    /// The fictional demo data shipped in the binary, imported into memory.
    pub fn demo() -> crate::Result<Session> {
        let mut data = ingest::demo_store(&Catalogue::builtin())?;
        let registry = Registry::new(std::mem::take(&mut data.regions));
        Ok(Session { registry, source: Source::Demo(Box::new(data)) })
    }

    /// A session over `store`: its regions are read now, its figures when a dataset is
    /// asked for.
    pub fn open(store: Store) -> crate::Result<Session> {
        let mut regions = store.regions()?;
        let registry = Registry::new(std::mem::take(&mut regions.list));
        Ok(Session { registry, source: Source::Store(store, regions) })
    }

    /// The regions.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// True for the fictional demo data.
    pub fn fictional(&self) -> bool {
        matches!(self.source, Source::Demo(_))
    }

    /// The dataset of the part `scope` of the store (all of the demo data).
    pub fn dataset(self, scope: &Scope) -> crate::Result<Dataset> {
        self.dataset_timed(scope).map(|(ds, _)| ds)
    }

    /// [`Session::dataset`], with the time the store read took (the rest is the
    /// index), for `bench`.
    pub fn dataset_timed(self, scope: &Scope) -> crate::Result<(Dataset, Duration)> {
        let catalogue = Catalogue::builtin();
        let t0 = Instant::now();
        match self.source {
            Source::Demo(data) => {
                let read = t0.elapsed();
                // The demo is read whole: its index is computed here, as an import
                // would have stored it.
                let mut ds = Dataset::with_registry(*data, self.registry, catalogue);
                ds.index_records =
                    crate::compare::achterstand::stored::records(&ds).into_iter().map(|(_, v)| v).collect();
                ds.index_stored = true;
                Ok((ds, read))
            }
            Source::Store(store, regions) => {
                let (data, same) = store.load_scope_known(scope, &regions)?;
                let read = t0.elapsed();
                // After a commit in between, the new generation's regions came with it.
                let ds = if same {
                    Dataset::with_registry(data, self.registry, catalogue)
                } else {
                    Dataset::new(data, catalogue)
                };
                Ok((ds, read))
            }
        }
    }

    /// A country-wide batch of `level` read in parts: what every part shares
    /// (Nederland, the gemeenten and the level thin) read once. The session comes back
    /// for the demo data or a store without those thin figures, which is then read
    /// whole, as one part.
    pub fn parted(self, level: Level) -> crate::Result<Result<Parted, Session>> {
        let Source::Store(store, regions) = &self.source else { return Ok(Err(self)) };
        let (base, same) = store.load_scope_known(&Scope::thin_level(level), regions)?;
        let thin = |l: Level| base.levels.iter().any(|t| t.level() == l);
        if !same || !thin(Level::Gemeente) || !thin(level) {
            return Ok(Err(self));
        }
        let Source::Store(store, regions) = self.source else { unreachable!("checked above") };
        Ok(Ok(Parted { store, regions, registry: self.registry, base }))
    }
}

/// A country-wide batch of wijken or buurten read in parts: what every part shares
/// (Nederland, the gemeenten, the level thin), read once, and the store generation each
/// part's full figures are read from (see [`Scope::part`]).
pub struct Parted {
    store: Store,
    regions: Regions,
    registry: Registry,
    base: StoreData,
}

impl Parted {
    /// The regions.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// A dataset of the shared part and the full figures `scope` reads (none for
    /// `None`): what one part's factsheets need. A store imported again since the batch
    /// began is an error (the parts would mix two generations).
    pub fn dataset(&self, scope: Option<&Scope>) -> crate::Result<Dataset> {
        let base = &self.base;
        let mut data = StoreData {
            observations: base.observations.clone(),
            regions: Vec::new(),
            geometry: base.geometry.clone(),
            imports: base.imports.clone(),
            inventory: base.inventory.clone(),
            levels: base.levels.clone(),
            national: base.national.clone(),
            index: Vec::new(),
            index_stored: base.index_stored,
        };
        if let Some(scope) = scope {
            let (part, same) = self.store.load_scope_known(scope, &self.regions)?;
            if !same {
                return Err(Error::Store {
                    message: "de opslag is tijdens de reeks opnieuw ingelezen".into(),
                    hint: "start de reeks opnieuw met --skip-existing: de gemaakte PDF's blijven".into(),
                });
            }
            data.observations.extend(part.observations);
            data.geometry.extend(part.geometry);
            data.index.extend(part.index);
        }
        Ok(Dataset::with_registry(data, self.registry.clone(), Catalogue::builtin()))
    }
}

/// Which step of an [`import`] failed: reading the store, reading the files, or
/// writing the new generation (the store is unchanged in each case).
#[derive(Debug)]
pub enum ImportError {
    /// The current generation could not be read.
    Read(Error),
    /// A file could not be imported.
    Files(Error),
    /// The new generation could not be written.
    Write(Error),
}

/// Imports `paths` into `store` under the writer's `lock`: the current figures read,
/// the files merged in ([`ingest::import`]), what a commit keeps beside the figures
/// computed from all of them ([`dataset::derived`]), and the new generation committed.
pub fn import(
    store: &Store,
    lock: &WriteLock,
    paths: &[PathBuf],
    specs: &[SourceSpec],
) -> Result<ImportReport, ImportError> {
    let mut data = store.load().map_err(ImportError::Read)?;
    let report = ingest::import(paths, &mut data, specs, &Catalogue::builtin()).map_err(ImportError::Files)?;
    let derived = dataset::derived_with(&data, crate::compare::achterstand::stored::records);
    store.commit(lock, &data, &derived).map_err(ImportError::Write)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TOTAAL;

    #[test]
    fn the_demo_is_fictional_and_read_whole_never_in_parts() {
        let session = Session::demo().unwrap();
        assert!(session.fictional());
        assert_eq!(session.registry().get("GM9990").map(|r| r.name.as_str()), Some("Voorbeeldstad"));
        let session = session.parted(Level::Buurt).unwrap().err().expect("the demo is read whole");
        let ds = session.dataset(&Scope::region("GM9990")).unwrap();
        assert!(ds.latest_year("inwoners", TOTAAL, "GM9990", None).is_some());
    }

    #[test]
    fn an_import_commits_the_figures_with_what_is_derived_from_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let kwb = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cbs/85984NED_kwb2024.csv");
        let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
        let report = import(&store, &lock, &[kwb], &ingest::spec::builtin_specs()).unwrap();
        assert!(report.merge.added > 0);
        drop(lock);
        // The thin figures were computed before the commit: a country-wide batch of
        // buurten is read in parts.
        let parted = Session::open(store).unwrap().parted(Level::Buurt).unwrap().ok().expect("read in parts");
        let ds = parted.dataset(Some(&Scope::part(["9990".to_string()], Level::Buurt))).unwrap();
        assert!(ds.observations.iter().any(|o| o.region.starts_with("BU9990")), "the part's own buurten in full");
        // A file that cannot be read leaves the store as it was and says which step failed.
        let missing = dir.path().join("er-niet.csv");
        let store = Store::new(dir.path());
        let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
        let e = import(&store, &lock, &[missing], &ingest::spec::builtin_specs()).unwrap_err();
        assert!(matches!(e, ImportError::Files(_)), "{e:?}");
    }
}
