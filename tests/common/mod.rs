//! Helpers shared by the CLI tests: a temporary data directory and the binary.
#![allow(dead_code)]

pub mod odata;

// Each test file uses some of them.
#[allow(unused_imports)]
pub use wijkmonitor::testkit::{fixture, pdf_page_prose, pdf_prose, pdf_text, store_from};

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use wijkmonitor::dataset::Dataset;
use wijkmonitor::session::Session;
use wijkmonitor::store::{Scope, Store};

/// The binary with its data directory set.
pub fn wijkmonitor(data_dir: &Path) -> Command {
    let mut c = Command::cargo_bin("wijkmonitor").unwrap();
    c.arg("--data-dir").arg(data_dir).env("NO_COLOR", "1");
    c
}

/// A store with the fixture KWB 2024 (registry and population of Voorbeeldstad and
/// Rivierdal) and then `files` (name, bytes) imported from a folder of their own:
/// (store, that folder).
pub fn store_with(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, tempfile::TempDir) {
    let src = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(src.path().join(name), bytes).unwrap();
    }
    let mut paths = vec![fixture("cbs/85984NED_kwb2024.csv")];
    if !files.is_empty() {
        paths.push(src.path().to_path_buf());
    }
    (store_from(&paths), src)
}

/// The store in `dir` as the later stages see it.
pub fn dataset(dir: &Path) -> Dataset {
    Session::open(Store::new(dir)).unwrap().dataset(&Scope::all()).unwrap()
}

/// The shared real CBS files (`../shared/data/raw`), when they are beside the checkout.
/// See [`shared`]: under `CI=true` their absence fails the test.
pub fn shared_data() -> Option<PathBuf> {
    shared("raw")
}

/// A folder of the shared real data (`../shared/data/REL`: `raw`, `odata-recordings`).
/// On a developer's machine without it, the real-data test says so and is skipped
/// (`None`); in CI (`CI=true`, which CI services set) the data must be there, so a test
/// that cannot find it fails instead of passing without having read a figure.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    shared_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"), rel, ci)
}

/// [`shared`] with the data folder and the CI flag given, so a test can check the rule
/// without setting the process's environment.
pub fn shared_in(data: &Path, rel: &str, ci: bool) -> Option<PathBuf> {
    let p = data.join(rel);
    if p.is_dir() {
        return Some(p);
    }
    assert!(
        !ci,
        "CI=true, but the real-data folder {} is missing: CI runs with ../shared beside the checkout; \
         a real-data test may not pass without its data",
        p.display()
    );
    eprintln!("{} not present: real-data test not run", p.display());
    None
}

/// Everything in a directory, for "the store is unchanged" checks. The writer's `LOCK`
/// file is not data (it names the last process that held the lock) and is left out.
pub fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten().filter(|e| e.file_name() != "LOCK") {
            let p = e.path();
            if p.is_dir() {
                for (n, b) in snapshot_dir(&p) {
                    out.push((format!("{}/{n}", e.file_name().to_string_lossy()), b));
                }
            } else {
                out.push((e.file_name().to_string_lossy().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Makes the demo factsheet of `region` (with `extra` flags such as `--kort`) into
/// `dir` on the fixed test date, and returns its path.
pub fn demo_factsheet(data: &Path, dir: &Path, region: &str, extra: &[&str]) -> PathBuf {
    let pdf = dir.join(format!("{region}{}.pdf", extra.concat()));
    wijkmonitor(data)
        .args(["factsheet", region, "--demo", "--date", "2026-11-23"])
        .args(extra)
        .arg("-o")
        .arg(&pdf)
        .assert()
        .success();
    pdf
}

/// Number of pages of a PDF, via `pdfinfo`.
pub fn pdf_pages(pdf: &Path) -> usize {
    let out = std::process::Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo must be installed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}
