//! Helpers shared by the CLI tests: a temporary data directory and the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Path of a fixture.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// The binary with its data directory set.
pub fn wijkmonitor(data_dir: &Path) -> Command {
    let mut c = Command::cargo_bin("wijkmonitor").unwrap();
    c.arg("--data-dir").arg(data_dir).env("NO_COLOR", "1");
    c
}

/// The shared real CBS data, when it is beside the checkout (it is in CI).
pub fn shared_data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/raw");
    p.is_dir().then_some(p)
}

/// Everything in a directory, for "the store is unchanged" checks.
pub fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
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
