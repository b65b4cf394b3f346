//! Many factsheets in parallel: rayon over the selected codes, each report written to a
//! temporary file and renamed into place, outcomes folded into a [`Summary`] with an
//! index (JSON and CSV) and the figures of every region (`cijfers.csv`, `cijfers.xlsx`)
//! beside the PDFs. A region that fails is recorded and the rest goes on. A country-wide
//! batch goes in [`parts`] of whole gemeenten, each made with a dataset of only that
//! part's full figures ([`Batch`]), so the figures it holds are one part's, not the
//! country's.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::tables::{self, TableSink};
use crate::error::Error;
use crate::export::{self as figures, TableRow, WorkbookInfo};
use crate::model::region::{gemeente_digits, Level};
use crate::paths::write_atomic;
use crate::report::{file_name, Reporter, Timings};

/// What to produce factsheets for.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Every gemeente of the latest indeling.
    AllGemeenten,
    /// Every wijk (or buurt) of one gemeente.
    Children {
        /// Gemeente code.
        gemeente: String,
        /// Wijk or Buurt.
        level: Level,
    },
    /// Every region of a level in the whole country.
    AllOfLevel(Level),
    /// Explicit codes.
    Codes(Vec<String>),
}

impl Selection {
    /// The part of the store the selection's factsheets need (see [`Scope`]).
    ///
    /// [`Scope`]: crate::store::Scope
    pub fn scope(&self) -> crate::store::Scope {
        use crate::store::Scope;
        match self {
            Selection::AllGemeenten => Scope::level(Level::Gemeente),
            Selection::Children { gemeente, level } => Scope::children(gemeente, *level),
            Selection::AllOfLevel(level) => Scope::level(*level),
            Selection::Codes(codes) => codes.iter().fold(Scope::nederland(), |s, c| s.with(&Scope::region(c))),
        }
    }

    /// The level and part size of a country-wide selection, which is made in [`parts`]
    /// of whole gemeenten; `None` for one gemeente's regions or a list of codes.
    pub fn parted(&self) -> Option<(Level, usize)> {
        match self {
            Selection::AllOfLevel(level) => Some((*level, PART_SIZE)),
            Selection::AllGemeenten => Some((Level::Gemeente, GEMEENTEN_PER_PART)),
            _ => None,
        }
    }

    /// The codes of the selection, sorted; regions without population figures in the
    /// reference year (dissolved gemeenten, water wijken) are left out of the level-wide
    /// selections.
    pub fn codes(&self, reporter: &Reporter<'_>) -> Vec<String> {
        let ds = reporter.ctx.ds;
        let current = |level: Level, code: &str| {
            // Every region of the level, read whole or thin.
            reporter.ctx.reference_year(level).is_some_and(|y| {
                ds.level_view(level).get(ds.population(), code, y).is_some_and(|f| f.value.unwrap_or(0.0) > 0.0)
            })
        };
        let mut codes: Vec<String> = match self {
            Selection::AllGemeenten => ds
                .registry
                .of_level(Level::Gemeente)
                .filter(|r| current(Level::Gemeente, &r.code))
                .map(|r| r.code.clone())
                .collect(),
            Selection::Children { gemeente, level } => ds
                .registry
                .children(gemeente, *level)
                .into_iter()
                .filter(|r| current(*level, &r.code))
                .map(|r| r.code.clone())
                .collect(),
            Selection::AllOfLevel(level) => {
                ds.registry.of_level(*level).filter(|r| current(*level, &r.code)).map(|r| r.code.clone()).collect()
            }
            Selection::Codes(c) => c.clone(),
        };
        codes.sort();
        codes.dedup();
        codes
    }
}

/// How one region ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// PDF written.
    Ok,
    /// PDF already there (`--skip-existing`).
    Skipped,
    /// Something went wrong; see `error`.
    Failed,
}

/// One line of the index.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Item {
    /// Region code.
    pub region: String,
    /// Region name (the code when unknown).
    pub name: String,
    /// File name inside the output folder.
    pub file: String,
    /// Outcome.
    pub status: Outcome,
    /// Error message with hint, when failed.
    pub error: Option<String>,
    /// Things worth knowing (e.g. no peers).
    pub warnings: Vec<String>,
    /// Wall time of this report in milliseconds.
    pub duration_ms: u64,
    /// With `--check`: what the consistency check found on this sheet (empty when all
    /// its sentences agree with its figures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// The outcome of a batch.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Per region, in selection order.
    pub items: Vec<Item>,
    /// Phase times summed over all reports (CPU time across threads).
    #[serde(skip)]
    pub timings: Timings,
    /// Wall time of the whole batch.
    #[serde(skip)]
    pub elapsed: Duration,
    /// With `--check`: figures printed as different numbers on different sheets of the
    /// batch (see [`crate::document::check::Ledger`]).
    #[serde(skip)]
    pub conflicts: Vec<String>,
    /// With `--check`: how many printed figures were compared across sheets.
    #[serde(skip)]
    pub compared: usize,
}

impl Summary {
    /// Number of regions with a given outcome.
    pub fn count(&self, o: Outcome) -> usize {
        self.items.iter().filter(|i| i.status == o).count()
    }
}

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Output folder (created if missing).
    pub out_dir: PathBuf,
    /// Worker threads (0 = all cores).
    pub jobs: usize,
    /// Keep PDFs that already exist.
    pub skip_existing: bool,
    /// Check every sheet's sentences against its figures, and the figures across sheets.
    pub check: bool,
}

fn error_text(e: &Error) -> String {
    match e.hint() {
        Some(h) => format!("{e} (hint: {h})"),
        None => e.to_string(),
    }
}

/// Produces a factsheet for every code, in parallel. `progress` is called once per
/// finished region (from worker threads).
pub fn run(
    reporter: &Reporter<'_>,
    codes: &[String],
    opts: &RunOptions,
    progress: &(dyn Fn(&Item) + Sync),
) -> crate::Result<Summary> {
    let batch = Batch::start(&reporter.ctx.ds.registry, &reporter.meta, codes, opts)?;
    batch.part(reporter, 0..codes.len(), progress);
    batch.finish()
}

/// How many wijken or buurten one part of a country-wide batch reads at least, ending
/// at a gemeente's last (a part is whole gemeenten, so Amsterdam's 479 buurten are one
/// part however small this is). Measured on all 14.095 buurten: with parts of 1.000 one
/// part (around buurt 4.000) peaked at 320 MB, with parts of 500 none above 281 MB (292
/// MB for the whole run, at the end); the 14 more part reads cost seconds of a 40-minute
/// run.
pub const PART_SIZE: usize = 500;
/// The same for gemeenten, each of which reads its own wijken (about ten).
pub const GEMEENTEN_PER_PART: usize = 100;

/// Splits sorted codes into parts of whole gemeenten, for a batch that reads the full
/// figures of one part at a time. `weight` says how many regions a gemeente (its four
/// digits) reads: all its wijken or buurten, also when a `--shard` selects only some of
/// them. A part ends at the first gemeente that brings it to `size`.
pub fn parts(codes: &[String], size: usize, weight: impl Fn(&str) -> usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut load) = (0, 0);
    for k in 1..=codes.len() {
        let digits = gemeente_digits(&codes[k - 1]).unwrap_or("");
        let gemeente_ends = k == codes.len() || gemeente_digits(&codes[k]) != Some(digits);
        if gemeente_ends {
            load += weight(digits);
            if load >= size || k == codes.len() {
                out.push(start..k);
                (start, load) = (k, 0);
            }
        }
    }
    out
}

/// A batch under way: the output folder, the worker pool, the table sink and each
/// region's outcome. [`run`] makes all factsheets with one dataset; a country-wide
/// batch hands in one part of the regions at a time, each with a dataset that holds
/// only that part's full figures ([`Batch::part`]), so its memory does not grow with
/// the country.
pub struct Batch<'o> {
    codes: &'o [String],
    opts: &'o RunOptions,
    pool: rayon::ThreadPool,
    sink: std::sync::Mutex<TableSink>,
    slots: Vec<std::sync::Mutex<Option<(Item, Timings)>>>,
    /// The name of each code, for a region that fails before a part with its figures
    /// is read (its index row and file name are then those a made one would have).
    names: Vec<String>,
    /// The figures every sheet printed, for the cross-sheet check (`--check`).
    ledger: std::sync::Mutex<crate::document::check::Ledger>,
    start: Instant,
}

impl<'o> Batch<'o> {
    /// Prepares the output folder (removing what an interrupted run left half-written)
    /// and the table files for `codes`, all of them, in order.
    pub fn start(
        registry: &crate::model::Registry,
        meta: &crate::document::Meta,
        codes: &'o [String],
        opts: &'o RunOptions,
    ) -> crate::Result<Batch<'o>> {
        std::fs::create_dir_all(&opts.out_dir).map_err(|e| Error::io(&opts.out_dir, e))?;
        // What an interrupted earlier run left half-written goes first.
        crate::paths::remove_stale_tmp(&opts.out_dir);
        let start = Instant::now();
        // Typst layout recurses deeply; rayon's default 2 MB stacks overflow on big tables.
        let pool =
            rayon::ThreadPoolBuilder::new().num_threads(opts.jobs).stack_size(32 << 20).build().map_err(|e| {
                Error::Config {
                    at: crate::error::Location { file: "--jobs".into(), line: None, column: None },
                    message: e.to_string(),
                    hint: "geef een kleiner aantal taken".into(),
                }
            })?;
        let levels: Vec<&str> =
            codes.iter().map(|c| registry.get(c).map(|r| r.level.noun()).unwrap_or("gebied")).collect();
        let info = WorkbookInfo { title: tables::title(&levels), date: meta.date.clone(), fictional: meta.fictional };
        let sink = std::sync::Mutex::new(TableSink::create(&opts.out_dir, info)?);
        let slots = codes.iter().map(|_| std::sync::Mutex::new(None)).collect();
        let names =
            codes.iter().map(|c| registry.get(c).map(|r| r.name.clone()).unwrap_or_else(|| c.clone())).collect();
        Ok(Batch { codes, opts, pool, sink, slots, names, ledger: Default::default(), start })
    }

    /// Makes the factsheets of `codes[range]` with `reporter`, in parallel.
    pub fn part(&self, reporter: &Reporter<'_>, range: std::ops::Range<usize>, progress: &(dyn Fn(&Item) + Sync)) {
        let opts = self.opts;
        let codes = &self.codes[range.clone()];
        // One long-running task per worker, each taking the next code from a shared
        // counter. Not `par_iter` over the codes: Typst's PDF export uses rayon itself,
        // and a worker waiting inside it would steal whole other factsheets, nesting
        // them on its stack (timings then include other reports and memory grows with
        // the batch).
        let workers = self.pool.current_num_threads().min(codes.len()).max(1);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let one = |code: &String| -> (Item, Timings, Vec<TableRow>) {
            let clock = Instant::now();
            let name = reporter.ctx.ds.registry.get(code).map(|r| r.name.clone()).unwrap_or_else(|| code.clone());
            let file = file_name(code, &name);
            let path = opts.out_dir.join(&file);
            let mut item = Item {
                region: code.clone(),
                name,
                file,
                status: Outcome::Ok,
                error: None,
                warnings: Vec::new(),
                duration_ms: 0,
                problems: Vec::new(),
            };
            let mut timings = Timings::default();
            let mut rows = Vec::new();
            // Only a complete PDF counts as done; an empty or cut-off one is made again.
            if opts.skip_existing && crate::paths::is_complete_pdf(&path) {
                item.status = Outcome::Skipped;
                // The PDF stays; its figures still belong in the batch's table.
                if let Ok(p) = reporter.profile(code) {
                    rows = figures::rows(&p);
                }
            } else {
                // A panic in one report (a bug) must not take the batch down.
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reporter.render(code)));
                match outcome {
                    Ok(Ok(report)) => {
                        if report.profile.peers.is_none() {
                            item.warnings.push("geen vergelijking met vergelijkbare gebieden (minder dan 3)".into());
                        }
                        if opts.check {
                            item.problems = reporter.check(&report).iter().map(|p| p.to_string()).collect();
                            self.ledger.lock().unwrap_or_else(|e| e.into_inner()).add(&report.view);
                        }
                        timings = report.timings;
                        if let Err(e) = write_atomic(&path, &report.pdf) {
                            item.status = Outcome::Failed;
                            item.error = Some(error_text(&e));
                        } else {
                            rows = figures::rows(&report.profile);
                        }
                    }
                    Ok(Err(e)) => {
                        item.status = Outcome::Failed;
                        item.error = Some(error_text(&e));
                    }
                    Err(_) => {
                        item.status = Outcome::Failed;
                        item.error =
                            Some("interne fout (panic) bij het maken van deze factsheet; meld die alstublieft".into());
                    }
                }
                // Keep Typst's memoisation cache from growing with the batch.
                typst::comemo::evict(2);
            }
            item.duration_ms = clock.elapsed().as_millis() as u64;
            progress(&item);
            (item, timings, rows)
        };
        self.pool.scope(|s| {
            for _ in 0..workers {
                s.spawn(|_| loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(code) = codes.get(k) else { break };
                    let (item, timings, rows) = one(code);
                    self.sink.lock().unwrap_or_else(|e| e.into_inner()).put(range.start + k, rows);
                    *self.slots[range.start + k].lock().unwrap_or_else(|e| e.into_inner()) = Some((item, timings));
                });
            }
        });
    }

    /// Records a region of `codes[k]` that got no factsheet because its part could not
    /// be read: a failed item, and the batch goes on.
    pub fn fail(&self, k: usize, error: &Error, progress: &(dyn Fn(&Item) + Sync)) {
        let (code, name) = (&self.codes[k], &self.names[k]);
        let item = Item {
            region: code.clone(),
            name: name.clone(),
            file: file_name(code, name),
            status: Outcome::Failed,
            error: Some(error_text(error)),
            warnings: Vec::new(),
            duration_ms: 0,
            problems: Vec::new(),
        };
        progress(&item);
        self.sink.lock().unwrap_or_else(|e| e.into_inner()).put(k, Vec::new());
        *self.slots[k].lock().unwrap_or_else(|e| e.into_inner()) = Some((item, Timings::default()));
    }

    /// Writes the index and the table files once every region was handed in.
    pub fn finish(self) -> crate::Result<Summary> {
        let results: Vec<(Item, Timings)> =
            self.slots.into_iter().filter_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner())).collect();
        let mut timings = Timings::default();
        let mut items = Vec::with_capacity(results.len());
        for (item, t) in results {
            timings.add(&t);
            items.push(item);
        }
        let ledger = self.ledger.into_inner().unwrap_or_else(|e| e.into_inner());
        let (conflicts, compared) = (ledger.conflicts, ledger.compared);
        let summary = Summary { items, timings, elapsed: self.start.elapsed(), conflicts, compared };
        write_index(&self.opts.out_dir, &summary)?;
        self.sink.into_inner().unwrap_or_else(|e| e.into_inner()).finish()?;
        Ok(summary)
    }
}

/// Writes `index.json` and `index.csv` into the output folder.
pub fn write_index(dir: &Path, s: &Summary) -> crate::Result<()> {
    let json = serde_json::to_vec_pretty(&s.items).expect("index serialises");
    write_atomic(&dir.join("index.json"), &json)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["region", "name", "file", "status", "error", "warnings", "duration_ms", "problems"]);
    for i in &s.items {
        let status = match i.status {
            Outcome::Ok => "ok",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        };
        let _ = w.write_record([
            i.region.as_str(),
            i.name.as_str(),
            i.file.as_str(),
            status,
            i.error.as_deref().unwrap_or(""),
            &i.warnings.join("; "),
            &i.duration_ms.to_string(),
            &i.problems.join("; "),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    write_atomic(&dir.join("index.csv"), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_whole_gemeenten_of_about_the_part_size() {
        // A size of 1.000, whatever PART_SIZE is now.
        const PART_SIZE: usize = 1000;
        let codes: Vec<String> =
            (0..3).flat_map(|g| (0..PART_SIZE * 2 / 3).map(move |b| format!("BU{:04}{:04}", g + 1, b))).collect();
        let ranges = parts(&codes, PART_SIZE, |_| PART_SIZE * 2 / 3);
        // Two gemeenten of 666 make the first part (1.332 ≥ 1.000), the third the last.
        assert_eq!(ranges, [0..1332, 1332..1998]);
        // Every tenth buurt (a shard): the parts still read about 1.000 buurten each.
        let shard: Vec<String> = codes.iter().step_by(10).cloned().collect();
        assert_eq!(parts(&shard, PART_SIZE, |_| PART_SIZE * 2 / 3).len(), 2);
        for r in &ranges {
            let first = gemeente_digits(&codes[r.start]);
            assert!(r.start == 0 || gemeente_digits(&codes[r.start - 1]) != first, "a gemeente is never split");
        }
        assert!(parts(&[], PART_SIZE, |_| 1).is_empty());
        assert_eq!(parts(&["WK000101".to_string()], PART_SIZE, |_| 1), vec![0..1]);
        let gemeenten: Vec<String> = (1..=250).map(|g| format!("GM{g:04}")).collect();
        assert_eq!(parts(&gemeenten, GEMEENTEN_PER_PART, |_| 1), [0..100, 100..200, 200..250]);
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_readable_like_ordinary_files() {
        // Regression: PDFs came out 0600 because the temporary file's mode was kept.
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.pdf");
        write_atomic(&p, b"%PDF").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o644);
    }
}
