//! Helpers for the tests, shared by the unit tests beside the code and the integration
//! tests in `tests/` (through `tests/common`): fictional figures, the fixture folder,
//! stores imported from fixtures, and the text of a PDF by poppler's `pdftotext`. Not
//! part of the pipeline: nothing here runs outside a test, and a helper that cannot do
//! its work panics, as a test should.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::{Observation, Source};
use crate::store::Store;

/// The table fictional figures are credited to: the Kerncijfers wijken en buurten 2024.
pub fn kwb_2024() -> Arc<Source> {
    Source::new("85984NED", "CBS, Kerncijfers wijken en buurten 2024 (85984NED)", true)
}

/// A fictional figure of the whole population (suppressed when `value` is `None`),
/// credited to [`kwb_2024`] as released on 2025-01-01.
pub fn figure(region: &str, indicator: &str, year: i32, value: Option<f64>) -> Observation {
    Observation::new(region, year, indicator, value, [kwb_2024()], "2025-01-01")
}

/// The path of a fixture (`tests/fixtures/REL`): fictional figures in real CBS formats.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// A new store with `paths` imported into it, each in an import of its own, in order
/// (as `wijkmonitor data import` would, one call a path).
pub fn store_from(paths: &[PathBuf]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::new(dir.path());
    let specs = crate::ingest::spec::builtin_specs();
    for path in paths {
        // Nobody else uses a new store, but the lock can still be briefly held: another
        // test thread that spawns a process forks with this lock's descriptor open, and
        // the child keeps the lock until it execs. Wait for it as the CLI does.
        let lock = store.write_lock(|_| {}).expect("the lock");
        if let Err(e) = crate::session::import(&store, &lock, std::slice::from_ref(path), &specs) {
            panic!("{} did not import: {e:?}", path.display());
        }
    }
    dir
}

/// What `pdftotext` makes of `pdf` with `args` (poppler-utils, which `.ci/run`
/// installs).
pub fn pdftotext(pdf: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed to run the PDF tests");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of a PDF as laid out on the page.
pub fn pdf_text(pdf: &Path) -> String {
    pdftotext(pdf, &["-layout"])
}

/// The text of a PDF in reading order (no layout), white space folded: sentences that
/// the page sets in a column come out whole.
pub fn pdf_prose(pdf: &Path) -> String {
    fold(&pdftotext(pdf, &[]))
}

/// The text of one page in reading order, one sentence (or table cell run) per line, so
/// a snapshot of it reads like the page and a change shows as a changed line.
pub fn pdf_page_prose(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    fold(&pdftotext(pdf, &["-f", &page, "-l", &page])).replace(". ", ".\n").replace("; ", ";\n")
}

/// White space folded to single spaces.
fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
