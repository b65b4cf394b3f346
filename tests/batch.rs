//! Batch: a selection with a poisoned region finishes the others, reports the failure in
//! the index and the summary and exits non-zero; two runs with the same --date give
//! identical files; --skip-existing resumes.

mod common;

use common::wijkmonitor;
use predicates::str::contains;

#[test]
fn poisoned_region_fails_alone() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("codes.txt");
    std::fs::write(&list, "# wijken for the buurtagenda\nWK999000\nGM0000  # does not exist\nWK999005\nBU99901199\n")
        .unwrap();
    let out = dir.path().join("out");
    wijkmonitor(data.path())
        .args(["batch", "--demo", "--date", "2026-11-23", "--jobs", "2", "--codes"])
        .arg(&list)
        .arg("-o")
        .arg(&out)
        .assert()
        .failure()
        .stderr(contains("3 factsheets gemaakt, 0 overgeslagen, 1 mislukt"))
        .stderr(contains("mislukt: GM0000"));
    let index = std::fs::read_to_string(out.join("index.csv")).unwrap();
    assert!(index.contains("GM0000,GM0000,GM0000.pdf,failed,"), "{index}");
    assert!(index.contains("WK999000,Centrum,WK999000-centrum.pdf,ok"), "{index}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 4);
    assert!(out.join("WK999005-havenkwartier.pdf").exists());
    assert!(!out.join("GM0000.pdf").exists());
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".wijkmonitor-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn batch_is_reproducible_and_resumable() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &std::path::Path, extra: &[&str]| {
        wijkmonitor(data.path())
            .args(["batch", "--demo", "--gemeente", "Voorbeeldstad", "--all-wijken", "--date", "2026-11-23", "-o"])
            .arg(out)
            .args(extra)
            .assert()
            .success()
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run(&a, &[]).stderr(contains("12 factsheets gemaakt"));
    run(&b, &["--jobs", "1"]);
    let pdfs = |d: &std::path::Path| {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    let (pa, pb) = (pdfs(&a), pdfs(&b));
    assert_eq!(pa.len(), 12);
    assert!(pa == pb, "same --date must give identical files");
    run(&a, &["--skip-existing"]).stderr(contains("0 factsheets gemaakt, 12 overgeslagen"));
}
