//! Batch: a selection with a poisoned region finishes the others, reports the failure in
//! the index and the summary and exits non-zero; two runs with the same --date give
//! identical files; --skip-existing resumes; the figures of every region land in one
//! CSV and one workbook beside the PDFs.

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
    let tables = |d: &std::path::Path| {
        ["cijfers.csv", "cijfers.xlsx"].map(|f| std::fs::read(d.join(f)).unwrap_or_else(|e| panic!("{f}: {e}")))
    };
    let before = tables(&a);
    assert!(before == tables(&b), "the figures tables must not depend on the order workers finish");
    run(&a, &["--skip-existing"]).stderr(contains("0 factsheets gemaakt, 12 overgeslagen"));
    // Skipped PDFs keep their figures in the table.
    assert!(before == tables(&a), "a resumed batch must write the same tables");
}

#[test]
fn batch_table_holds_every_region_and_never_a_zero_for_a_gap() {
    use calamine::{Data, Reader};
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("codes.txt");
    std::fs::write(&list, "WK999005\nGM0000\nWK999000\nBU99901199\n").unwrap();
    let out = dir.path().join("out");
    wijkmonitor(data.path())
        .args(["batch", "--demo", "--date", "2026-11-23", "--codes"])
        .arg(&list)
        .arg("-o")
        .arg(&out)
        .assert()
        .failure()
        .stderr(contains("cijfers: "));

    // The CSV: the rows of `wijkmonitor table`, region after region in selection order.
    let csv = std::fs::read_to_string(out.join("cijfers.csv")).unwrap();
    let regions: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    let mut order = regions.clone();
    order.dedup();
    assert_eq!(order, ["BU99901199", "WK999000", "WK999005"], "sorted by code, the failed region left out");
    let single = wijkmonitor(data.path()).args(["table", "--demo", "WK999005"]).output().unwrap().stdout;
    let single = String::from_utf8(single).unwrap();
    for line in single.lines().skip(1) {
        assert!(csv.contains(line), "batch table lacks {line}");
    }

    // The workbook, read back as a spreadsheet program would.
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("cijfers.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Cijfers (fictief)", "Overzicht (fictief)", "Definities (fictief)", "Toelichting (fictief)"]
    );
    // The definitions the PDF leaves out are in the workbook, with the reason.
    let defs = wb.worksheet_range("Definities (fictief)").unwrap();
    let bijstand = defs.rows().find(|r| r[1] == "bijstand").expect("bijstand defined");
    assert_eq!(bijstand[4].to_string(), "ongunstiger");
    assert!(bijstand[5].to_string().contains("vangnet"));
    let cijfers = wb.worksheet_range("Cijfers (fictief)").unwrap();
    let head: Vec<String> = cijfers.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    assert_eq!(cijfers.height(), csv.lines().count(), "one sheet row per CSV row");
    let row = |region: &str, indicator: &str| {
        cijfers
            .rows()
            .find(|r| r[0] == region && r[col("Indicator (id)")] == indicator)
            .unwrap_or_else(|| panic!("no row {region} {indicator}"))
            .to_vec()
    };
    // A number is a number (not text), equal to the CSV's.
    let inwoners = row("WK999005", "inwoners");
    let csv_inwoners: f64 =
        single.lines().find(|l| l.contains(",inwoners,")).unwrap().split(',').nth(8).unwrap().parse().unwrap();
    assert_eq!(inwoners[col("Waarde")], Data::Float(csv_inwoners));
    assert_eq!(inwoners[col("Groep")], Data::String("iedereen".into()));
    // A suppressed figure: an empty cell and the reason, never 0.
    let bijstand = row("BU99901199", "bijstand");
    assert_eq!(bijstand[col("Waarde")], Data::Empty);
    assert_eq!(bijstand[col("Status")], Data::String("geheim of onbetrouwbaar (CBS)".into()));
    assert_eq!(bijstand[col("Oordeel t.o.v. Nederland")], Data::String("geen gegevens".into()));

    let overzicht = wb.worksheet_range("Overzicht (fictief)").unwrap();
    let lines: Vec<String> = overzicht.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(lines, ["BU99901199", "WK999000", "WK999005"]);
    let first = overzicht.rows().next().unwrap();
    let k = first.iter().position(|h| h == "Inwoners (aantal)").unwrap();
    assert_eq!(overzicht.rows().nth(3).unwrap()[k], Data::Float(csv_inwoners));

    let toelichting: Vec<String> =
        wb.worksheet_range("Toelichting (fictief)").unwrap().rows().map(|r| r[0].to_string()).collect();
    assert!(toelichting.iter().any(|l| l.contains("FICTIEVE GEGEVENS")));
    assert!(toelichting.iter().any(|l| l.contains("CC BY 4.0")));
    assert!(
        toelichting
            .iter()
            .any(|l| l
                .starts_with("CBS, Kerncijfers wijken en buurten 2024 (85984NED); 2024 — https://opendata.cbs.nl/")),
        "{toelichting:?}"
    );
}

/// The PDFs and `cijfers.csv` of a batch folder, by file name.
fn outputs(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".pdf") || n == "cijfers.csv")
        .map(|n| (n.clone(), std::fs::read(dir.join(&n)).unwrap()))
        .collect();
    v.sort();
    v
}

/// The index without its timings.
fn index_regions(dir: &std::path::Path) -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| (i["region"].to_string(), i["file"].to_string(), i["status"].to_string()))
        .collect()
}

#[test]
fn shards_merged_give_the_same_files_as_one_run_with_any_jobs() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let batch = |out: &str, extra: &[&str]| {
        wijkmonitor(data.path())
            .args(["batch", "--demo", "--all-wijken", "--gemeente", "GM9990", "--date", "2026-11-23", "-o"])
            .arg(work.path().join(out))
            .args(extra)
            .assert()
            .success();
    };
    batch("een", &["--jobs", "1"]);
    batch("twee", &["--jobs", "2"]);
    assert_eq!(outputs(&work.path().join("een")), outputs(&work.path().join("twee")), "--jobs changed the bytes");
    for k in 1..=3 {
        batch(&format!("deel{k}"), &["--shard", &format!("{k}/3")]);
    }
    // Disjoint parts that together are the whole.
    let sizes: Vec<usize> = (1..=3).map(|k| index_regions(&work.path().join(format!("deel{k}"))).len()).collect();
    assert_eq!(sizes.iter().sum::<usize>(), index_regions(&work.path().join("een")).len());
    wijkmonitor(data.path())
        .args(["batch", "merge"])
        .args((1..=3).map(|k| work.path().join(format!("deel{k}"))))
        .arg("-o")
        .arg(work.path().join("samen"))
        .assert()
        .success()
        .stderr(contains("3 delen samengevoegd"));
    let (one, merged) = (work.path().join("een"), work.path().join("samen"));
    assert_eq!(index_regions(&one), index_regions(&merged));
    assert_eq!(outputs(&one), outputs(&merged), "merged shards differ from one run");
    assert!(merged.join("cijfers.xlsx").exists());
    // The same part twice is refused.
    wijkmonitor(data.path())
        .args(["batch", "merge"])
        .arg(work.path().join("deel1"))
        .arg(work.path().join("deel1"))
        .arg("-o")
        .arg(work.path().join("fout"))
        .assert()
        .failure()
        .stderr(contains("staat in meer dan één deel"));
}

/// A store with the fixture's Kerncijfers wijken en buurten: two gemeenten, their wijken
/// and seven buurten.
fn kwb_store() -> tempfile::TempDir {
    common::store_from(&[common::fixture("cbs/85984NED_kwb2024.csv")])
}

/// A file of the store's current generation.
fn generation_file(data: &std::path::Path, name: &str) -> std::path::PathBuf {
    let generation = std::fs::read_to_string(data.join("CURRENT")).unwrap();
    data.join(generation.trim()).join(name)
}

/// A country-wide batch of buurten from the store reads every buurt thin once and the
/// full figures one part of the gemeenten at a time (issue 17): its files are those of
/// each gemeente's own batch and of a store without thin figures, which is read whole.
#[test]
fn a_country_wide_batch_read_in_parts_gives_the_files_of_the_whole_store() {
    let data = kwb_store();
    let work = tempfile::tempdir().unwrap();
    let run = |out: &str, selection: &[&str]| {
        wijkmonitor(data.path())
            .arg("batch")
            .args(selection)
            .args(["--date", "2026-11-23", "-o"])
            .arg(work.path().join(out))
            .assert()
            .success();
        outputs(&work.path().join(out))
    };
    let batch = |out: &str, extra: &[&str]| run(out, &[&["--all-buurten"], extra].concat());
    // Every gemeente in parts: the files of the same gemeenten named one by one.
    let list = work.path().join("gemeenten.txt");
    std::fs::write(&list, "GM9990\nGM9991\n").unwrap();
    let listed = run("genoemd", &["--codes", list.to_str().unwrap()]);
    assert!(run("gemeenten", &["--all-gemeenten"]) == listed, "all gemeenten in parts differ");
    let parted = batch("land", &[]);
    assert_eq!(parted.iter().filter(|(n, _)| n.ends_with(".pdf")).count(), 7, "every buurt of the fixture");
    // Each gemeente's batch, its PDFs side by side.
    let mut by_gemeente: Vec<(String, Vec<u8>)> = ["GM9990", "GM9991"]
        .iter()
        .flat_map(|g| batch(g, &["--gemeente", g]))
        .filter(|(n, _)| n.ends_with(".pdf"))
        .collect();
    by_gemeente.sort();
    let pdfs = |v: &[(String, Vec<u8>)]| v.iter().filter(|(n, _)| n.ends_with(".pdf")).cloned().collect::<Vec<_>>();
    assert!(pdfs(&parted) == by_gemeente, "a part's factsheets differ from their gemeente's batch");
    // A store written before thin figures existed (and before its generations named
    // their format): the level read whole, the same files.
    std::fs::remove_file(generation_file(data.path(), "format.json")).unwrap();
    for level in ["wijk", "buurt"] {
        std::fs::remove_file(generation_file(data.path(), &format!("thin-{level}.parquet"))).unwrap();
    }
    assert!(batch("heel", &[]) == parted, "the store read whole gives other files");
    assert!(run("gemeenten-heel", &["--all-gemeenten"]) == listed, "all gemeenten read whole differ");
}

#[test]
fn bench_measures_a_country_wide_batch_in_the_parts_batch_reads() {
    // `bench --batch` reads what `batch` reads: the shared part, then one part at a time.
    let data = kwb_store();
    let out = wijkmonitor(data.path())
        .args(["bench", "--batch", "buurten", "--limit", "3", "--jobs", "1", "--date", "2026-11-23"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("reeks: 3 van 3 factsheets"), "{text}");
    assert!(text.contains("0 mislukt"), "{text}");
    for phase in ["opslag lezen", "opmaak ", "pdf ", "opmaakrondes", "geheugen (piek)"] {
        assert!(text.contains(phase), "no {phase} in {text}");
    }
}

#[test]
fn bench_dumps_a_factsheets_markup_and_times_it_again() {
    // `bench --dump` writes what Typst lays out (the markup of the last layout and every
    // file it includes); `bench --typst` lays that folder out again and times it: the
    // harness for measuring what a markup costs (docs/performance.md).
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("markup");
    wijkmonitor(data.path()).args(["bench", "--demo", "--repeat", "1", "--dump"]).arg(&dump).assert().success();
    assert!(dump.join("factsheet.typ").is_file() && dump.join("stijl.typ").is_file());
    assert!(dump.join("charts/profiel.svg").is_file(), "the charts are in the folder");
    let out = wijkmonitor(data.path()).args(["bench", "--repeat", "1", "--typst"]).arg(&dump).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("pagina's") && text.contains("opmaak") && text.contains("pdf"), "{text}");
}

/// A part whose figures cannot be read fails its regions, each under its own name and
/// the file name a made factsheet would have had; the batch reports them and exits
/// non-zero. (The failed rows named a region by its code twice before.)
#[test]
fn a_part_that_cannot_be_read_fails_its_regions_by_name() {
    let data = kwb_store();
    let work = tempfile::tempdir().unwrap();
    // The buurten's full figures cut short; the shared part (regions, thin figures) reads.
    let figures = generation_file(data.path(), "observations-buurt.parquet");
    std::fs::OpenOptions::new().write(true).open(&figures).unwrap().set_len(100).unwrap();
    let out = work.path().join("land");
    wijkmonitor(data.path())
        .args(["batch", "--all-buurten", "--date", "2026-11-23", "-o"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(contains("0 factsheets gemaakt, 0 overgeslagen, 7 mislukt"));
    let index = std::fs::read_to_string(out.join("index.csv")).unwrap();
    assert!(index.contains("BU99900000,Centrum,BU99900000-centrum.pdf,failed,"), "{index}");
    assert!(index.contains("BU99900001,Havenkwartier,BU99900001-havenkwartier.pdf,failed,"), "{index}");
    assert!(index.contains("observations-buurt.parquet"), "the error names the file: {index}");
}
