//! The files of one generation and what says which of them it has: the format version
//! in `format.json`. A generation written by this version names its version and the
//! levels whose thin figures it holds, so a reader knows every file it may open. A
//! generation written before there was a format file is probed once, here, for the files
//! the older layouts had (`Layout::probe`); nowhere else asks whether a file exists.
//!
//! The figure files are grouped by gemeente, so that a gemeente's wijken are one run of
//! rows: a factsheet reads only its own gemeente's rows of them (`RowIndex`).

use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hasher;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::frames::{read_json, write_json};
use super::perr;
use crate::error::Error;
use crate::model::region::{code_level, gemeente_digits, Level};

/// The layout this version writes: figures, outlines and row indexes split by level,
/// the inventory, the thin figures and the computed national figures; since version 2
/// the achterstandsindex of every area (`index.json`, see `store/index.rs`). Raise it
/// when a file changes so that an older reader can tell.
pub const FORMAT_VERSION: u32 = 2;

/// The format file of a generation.
pub(super) const FORMAT_FILE: &str = "format.json";

/// The figure files of a generation: Nederland and the gemeenten (and any code of no
/// known level) in the first, always read; wijken and buurten each in their own.
pub(super) const OBSERVATION_FILES: [(&str, Level); 3] = [
    ("observations-gemeente.parquet", Level::Gemeente),
    ("observations-wijk.parquet", Level::Wijk),
    ("observations-buurt.parquet", Level::Buurt),
];

/// The outline files of a generation, split like the figures.
pub(super) const GEOMETRY_FILES: [(&str, Level); 3] = [
    ("geometry-gemeente.json", Level::Gemeente),
    ("geometry-wijk.json", Level::Wijk),
    ("geometry-buurt.json", Level::Buurt),
];

/// The levels whose figures are kept thin as well (see [`LevelFigures`](super::LevelFigures)).
pub const THIN_LEVELS: [Level; 3] = [Level::Gemeente, Level::Wijk, Level::Buurt];

/// The file of a generation written before the figures were split by level.
pub(super) const LEGACY_OBSERVATIONS: &str = "observations.parquet";

/// The outline file of a generation written before the outlines were split by level.
pub(super) const LEGACY_GEOMETRY: &str = "geometry.json";

/// Rows per Parquet row group in the sorted files: a gemeente's slice decodes a few
/// small groups instead of all of a level's 400.000 figures.
pub(super) const SORTED_ROW_GROUP: usize = 16_384;

/// The row index of a sorted figure file: the gemeente's four digits (`0344`) →
/// (first row, number of rows) of its regions; `""` is the run of Nederland.
pub(super) type RowIndex = BTreeMap<String, (usize, usize)>;

/// The [`RowIndex`] file beside a figure file (`observations-wijk.parquet` →
/// `rows-wijk.json`).
pub(super) fn row_index_file(level: Level) -> String {
    format!("rows-{}.json", level.noun())
}

/// The byte index of a wijk or buurt outline file, grouped by gemeente like the
/// figures: the gemeente's four digits → (first byte, number of bytes) of its outlines,
/// a run of comma-separated JSON objects.
pub(super) fn outline_index_file(level: Level) -> String {
    format!("outlines-{}.json", level.noun())
}

/// The thin figures of a level (`thin-wijk.parquet`) and their header (`thin-wijk.json`).
pub(super) fn thin_files(level: Level) -> (String, String) {
    (format!("thin-{}.parquet", level.noun()), format!("thin-{}.json", level.noun()))
}

/// The computed national figures.
pub(super) const NATIONAL_FILE: &str = "national.json";

/// The fingerprint of the catalogue and formats the derived files (thin and national
/// figures) were written with: a generation written by another version reads them anew.
/// Changes when the shipped catalogue (derived indicators, which indicators there are)
/// or the thin format changes: a store written by another version is then read whole.
pub(super) fn fingerprint() -> String {
    const FORMAT: &str = "thin-1";
    let mut h = rustc_hash::FxHasher::default();
    h.write(FORMAT.as_bytes());
    h.write(crate::paths::embedded::INDICATORS.as_bytes());
    format!("{:016x}", h.finish())
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
pub(super) fn by_gemeente(a: &str, b: &str) -> std::cmp::Ordering {
    run_key(a).cmp(run_key(b))
}

/// Adds the item at `start..end` (rows or bytes) of region `code` to its gemeente's run.
pub(super) fn add_to_run(runs: &mut RowIndex, code: &str, start: usize, end: usize) {
    runs.entry(run_key(code).to_string()).and_modify(|r| r.1 = end - r.0).or_insert((start, end - start));
}

/// The figure file a region's figures go in.
pub(super) fn file_level(code: &str) -> Level {
    match code_level(code) {
        Some(l @ (Level::Wijk | Level::Buurt)) => l,
        _ => Level::Gemeente,
    }
}

/// `format.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct FormatFile {
    /// [`FORMAT_VERSION`] of the writer.
    version: u32,
    /// The levels whose thin figures the generation holds.
    thin: Vec<Level>,
    /// Whether it holds the computed national figures.
    national: bool,
    /// Whether it holds the achterstandsindex (version 2 on; absent before).
    #[serde(default)]
    index: bool,
}

/// What one generation holds (see the module header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Layout {
    /// The format version; 0 for a generation written before there was a format file.
    pub version: u32,
    /// Figures and outlines in one file per level (else one file each, read whole).
    pub split: bool,
    /// The levels whose figure file has a row index.
    pub row_index: BTreeSet<Level>,
    /// The levels whose outline file has a byte index.
    pub outline_index: BTreeSet<Level>,
    /// The levels whose thin figures are kept.
    pub thin: BTreeSet<Level>,
    /// The computed national figures are kept.
    pub national: bool,
    /// The achterstandsindex of every area is kept (a generation of version 1 or
    /// older has none: the factsheet says to import again).
    pub index: bool,
}

impl Layout {
    /// The layout this version writes, with thin figures of `thin` and, when
    /// `national`, the national figures, when `index` the achterstandsindex.
    pub fn current(thin: impl IntoIterator<Item = Level>, national: bool, index: bool) -> Layout {
        Layout {
            version: FORMAT_VERSION,
            split: true,
            row_index: OBSERVATION_FILES.iter().map(|(_, l)| *l).collect(),
            outline_index: [Level::Wijk, Level::Buurt].into(),
            thin: thin.into_iter().collect(),
            national,
            index,
        }
    }

    /// Writes the format file into the generation folder `gen`.
    pub fn write(&self, gen: &Path) -> crate::Result<()> {
        let file = FormatFile {
            version: self.version,
            thin: self.thin.iter().copied().collect(),
            national: self.national,
            index: self.index,
        };
        write_json(&gen.join(FORMAT_FILE), &file)
    }

    /// The layout of the generation in `gen`: its format file, or a probe of an older
    /// generation. A generation of a newer format is refused.
    pub fn of(gen: &Path) -> crate::Result<Layout> {
        let path = gen.join(FORMAT_FILE);
        if !path.exists() {
            return Ok(Layout::probe(gen));
        }
        let file: FormatFile = read_json(&path)?;
        if file.version > FORMAT_VERSION {
            return Err(newer(&path, file.version));
        }
        Ok(Layout { version: file.version, ..Layout::current(file.thin, file.national, file.index) })
    }

    /// A generation written before the format file: which of the files of the older
    /// layouts it has (the only place that asks).
    fn probe(gen: &Path) -> Layout {
        let has = |name: &str| gen.join(name).exists();
        let levels =
            |f: &dyn Fn(Level) -> bool| -> BTreeSet<Level> { THIN_LEVELS.into_iter().filter(|l| f(*l)).collect() };
        Layout {
            version: 0,
            split: !has(LEGACY_OBSERVATIONS),
            row_index: levels(&|l| has(&row_index_file(l))),
            outline_index: levels(&|l| l != Level::Gemeente && has(&outline_index_file(l))),
            thin: levels(&|l| {
                let (rows, header) = thin_files(l);
                has(&rows) && has(&header)
            }),
            national: has(NATIONAL_FILE),
            index: has(super::index::INDEX_FILE) && has(super::index::INDEX_RUNS),
        }
    }

    /// True for a generation that names its format: every file it lists is there.
    pub fn versioned(&self) -> bool {
        self.version > 0
    }
}

/// The error of a generation written by a newer wijkmonitor.
fn newer(path: &Path, version: u32) -> Error {
    let mut e = perr(path, format!("opslagformaat {version}, deze versie van wijkmonitor leest tot {FORMAT_VERSION}"));
    if let Error::Store { hint, .. } = &mut e {
        *hint = "de opslag is geschreven door een nieuwere wijkmonitor: werk wijkmonitor bij, of lees de gegevens \
                 opnieuw in met deze versie in een andere map (--data-dir)"
            .into();
    }
    e
}

/// True when the generation in `gen` was written by a newer wijkmonitor.
pub(super) fn is_newer(gen: &Path) -> bool {
    read_json::<FormatFile>(&gen.join(FORMAT_FILE)).is_ok_and(|f| f.version > FORMAT_VERSION)
}
