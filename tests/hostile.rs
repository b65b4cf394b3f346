//! Hostile input, one regression test per class: the store never breaks, two imports
//! never lose data, templates never leak files, nothing hangs or panics, and every bad
//! input gets `error:` + `hint:` with a non-zero exit.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{fixture, snapshot_dir, wijkmonitor};
use predicates::prelude::*;
use wijkmonitor::model::TOTAAL;
use wijkmonitor::store::Store;

fn imported() -> tempfile::TempDir {
    common::store_from(&[fixture("cbs")])
}

fn tidy(dir: &Path, name: &str, rows: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("region,year,group,indicator,value,count,denominator,source\n{rows}")).unwrap();
    p
}

fn store_figure(data: &Path, region: &str, indicator: &str) -> Option<f64> {
    Store::new(data)
        .load()
        .unwrap()
        .observations
        .into_iter()
        .find(|o| o.region == region && o.indicator == indicator && o.group == TOTAAL)
        .and_then(|o| o.value)
}

fn mkfifo(p: &Path) {
    let ok = std::process::Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo failed");
}

// ── Data loss ─────────────────────────────────────────────────────────────────────────

#[test]
fn broken_outlines_are_refused_per_feature_and_the_store_stays_readable() {
    let data = imported();
    let files = tempfile::tempdir().unwrap();
    let geo = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"gemeentecode": "GM9990", "gemeentenaam": "Voorbeeldstad"},
         "geometry": {"type": "Polygon", "coordinates": [[[4.9, 52.1], [5.2, 52.1], [5.2, 52.3], [4.9, 52.1]]]}},
        {"type": "Feature", "properties": {"gemeentecode": "GM9991", "gemeentenaam": "Rivierdal"},
         "geometry": {"type": "Polygon", "coordinates": [[[4.7, 52.0], [1e308, 52.0], [4.9, 52.1], [4.7, 52.0]]]}},
        {"type": "Feature", "properties": {"gemeentecode": "GM9992", "gemeentenaam": "Heuvelrug-Oost"},
         "geometry": {"type": "Polygon", "coordinates": [[]]}},
        {"type": "Feature", "properties": {"gemeentecode": "GM9993", "gemeentenaam": "Zandhoven"}, "geometry": null}
    ]});
    let path = files.path().join("gemeenten_2024.geojson");
    std::fs::write(&path, geo.to_string()).unwrap();
    wijkmonitor(data.path())
        .args(["data", "import"])
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("object 2 (GM9991)").and(predicate::str::contains("buiten Nederland")))
        .stderr(predicate::str::contains("object 3 (GM9992)").and(predicate::str::contains("minstens 3")))
        .stderr(predicate::str::contains("object 4 (GM9993)").and(predicate::str::contains("geen geometrie")));
    // The store loads, with the good outline only; the next import works too.
    let back = Store::new(data.path()).load().unwrap();
    let codes: Vec<&str> = back.geometry.iter().map(|g| g.code.as_str()).collect();
    assert!(codes.contains(&"GM9990") && !codes.contains(&"GM9991"), "{codes:?}");
    wijkmonitor(data.path()).args(["data", "import"]).arg(fixture("cbs")).assert().success();
    wijkmonitor(data.path()).args(["data", "status"]).assert().success();
}

#[test]
fn two_imports_at_once_both_land() {
    let data = imported();
    let files = tempfile::tempdir().unwrap();
    let a = tidy(files.path(), "a.csv", "WK999000,2024,totaal,onveilig_buurt,33.5,,,Peiling A\n");
    let b = tidy(files.path(), "b.csv", "GM9991,2024,totaal,onveilig_buurt,22.5,,,Peiling B\n");
    let bin = assert_cmd::cargo::cargo_bin("wijkmonitor");
    let spawn = |p: &Path| {
        std::process::Command::new(&bin)
            .arg("--data-dir")
            .arg(data.path())
            .args(["data", "import"])
            .arg(p)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut x, mut y) = (spawn(&a), spawn(&b));
    // A reader during the commits always sees one whole generation.
    let reader = wijkmonitor(data.path()).args(["table", "GM9990", "--format", "csv"]).output().unwrap();
    assert!(reader.status.success(), "{}", String::from_utf8_lossy(&reader.stderr));
    assert!(x.wait().unwrap().success() && y.wait().unwrap().success());
    assert_eq!(store_figure(data.path(), "WK999000", "onveilig_buurt"), Some(33.5));
    assert_eq!(store_figure(data.path(), "GM9991", "onveilig_buurt"), Some(22.5));
}

#[test]
fn a_damaged_store_is_called_damaged_and_only_then() {
    let data = imported();
    let current = std::fs::read_to_string(data.path().join("CURRENT")).unwrap();
    // The gemeenten's figures, which every read takes. (This wrote an
    // `observations.parquet`, the one figure file of generations before the split by
    // level, into a current generation: the store took it for an old one by its
    // presence. A generation now names its format, and that file is none of its own.)
    let parquet = data.path().join(current.trim()).join("observations-gemeente.parquet");
    std::fs::write(&parquet, b"PAR1 not really").unwrap();
    wijkmonitor(data.path())
        .args(["data", "status"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("is niet te lezen").and(predicate::str::contains("lees opnieuw in")));
    // The region list cut short: the same, not a hint about disk space (it had that).
    let data = imported();
    let current = std::fs::read_to_string(data.path().join("CURRENT")).unwrap();
    let regions = data.path().join(current.trim()).join("regions.parquet");
    std::fs::OpenOptions::new().write(true).open(&regions).unwrap().set_len(200).unwrap();
    wijkmonitor(data.path())
        .args(["factsheet", "GM9990", "--date", "2026-11-23", "-o"])
        .arg(data.path().join("x.pdf"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("regions.parquet"))
        .stderr(predicate::str::contains("is niet te lezen").and(predicate::str::contains("lees opnieuw in")))
        .stderr(predicate::str::contains("schijfruimte").not());
    assert!(!data.path().join("x.pdf").exists(), "no PDF from a damaged store");
}

// ── Wrong figures ─────────────────────────────────────────────────────────────────────

#[test]
fn tidy_figures_are_checked_against_their_unit() {
    let data = imported();
    let files = tempfile::tempdir().unwrap();
    for (row, says) in [
        ("GM9990,2024,totaal,bijstand,NaN,,,x", "is geen getal"),
        ("GM9990,2024,totaal,bijstand,inf,,,x", "is geen getal"),
        ("GM9990,2024,totaal,woz_waarde,1e308,,,x", "onwaarschijnlijk groot"),
        ("GM9990,2024,totaal,bijstand,150,,,x", "tussen 0 en 100"),
        ("GM9990,2024,totaal,bijstand,-5,,,x", "tussen 0 en 100"),
        ("GM9990,2024,totaal,bijstand,5,-3,100,x", "geheel getal"),
        ("GM9990,2024,totaal,bijstand,5,120,100,x", "groter dan de noemer"),
        ("GM0000,2024,totaal,bijstand,5,,,x", "onbekende gebiedscode 'GM0000'"),
    ] {
        let before = snapshot_dir(data.path());
        let p = tidy(files.path(), "eigen.csv", &format!("{row}\n"));
        wijkmonitor(data.path())
            .args(["data", "import"])
            .arg(&p)
            .assert()
            .failure()
            .stderr(predicate::str::contains(says).and(predicate::str::contains("eigen.csv:2")))
            .stderr(predicate::str::contains("hint:"));
        assert!(snapshot_dir(data.path()) == before, "{row}: the store changed");
    }
    // Two rows for one cell with different figures: both lines named.
    let p = tidy(files.path(), "dubbel.csv", "GM9990,2024,totaal,bijstand,5,,,x\nGM9990,2024,totaal,bijstand,6,,,x\n");
    wijkmonitor(data.path())
        .args(["data", "import"])
        .arg(&p)
        .assert()
        .failure()
        .stderr(predicate::str::contains("dubbel.csv:3").and(predicate::str::contains("regel 2")));
}

// ── Leaks, hangs and crashes ──────────────────────────────────────────────────────────

#[test]
fn a_template_link_out_of_the_folder_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let own = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", own.path().join("stijl.typ")).unwrap();
    let out = tempfile::tempdir().unwrap();
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--templates"])
        .arg(own.path())
        .arg("-o")
        .arg(out.path().join("x.pdf"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("buiten de sjabloonmap").and(predicate::str::contains("hint:")));
    assert!(!out.path().join("x.pdf").exists());
    // A pipe in the folder is passed over, not read (it would block forever).
    let own = tempfile::tempdir().unwrap();
    mkfifo(&own.path().join("zinnen.toml"));
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--date", "2026-11-23", "--templates"])
        .arg(own.path())
        .arg("-o")
        .arg(out.path().join("y.pdf"))
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success()
        .stderr(predicate::str::contains("geen gewoon bestand"));
}

#[test]
fn special_files_never_hang_an_import() {
    let data = imported();
    let files = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("cbs/86003NED.csv"), files.path().join("86003NED.csv")).unwrap();
    mkfifo(&files.path().join("pipe.csv"));
    std::os::unix::fs::symlink(files.path(), files.path().join("loop")).unwrap();
    wijkmonitor(data.path())
        .args(["data", "import"])
        .arg(files.path())
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success()
        .stderr(predicate::str::contains("pipe.csv").and(predicate::str::contains("benoemde pijp")))
        .stderr(predicate::str::contains("een koppeling terug naar een map die al gelezen is"));
    // Named directly, each says what it is.
    wijkmonitor(data.path())
        .args(["data", "import"])
        .arg(files.path().join("pipe.csv"))
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .failure()
        .stderr(predicate::str::contains("benoemde pijp (FIFO), geen bestand"));
    let self_link = files.path().join("self");
    std::os::unix::fs::symlink(&self_link, &self_link).unwrap();
    wijkmonitor(data.path())
        .args(["data", "import"])
        .arg(&self_link)
        .assert()
        .failure()
        .stderr(predicate::str::contains("naar zichzelf terugwijst"));
}

#[test]
fn runaway_templates_and_huge_fields_hit_a_limit() {
    let data = tempfile::tempdir().unwrap();
    let own = tempfile::tempdir().unwrap();
    let shipped =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/factsheet.typ.j2"))
            .unwrap();
    let looping =
        format!("{{% for a in range(100000) %}}{{% for b in range(100000) %}}{{% endfor %}}{{% endfor %}}\n{shipped}");
    std::fs::write(own.path().join("factsheet.typ.j2"), looping).unwrap();
    let out = tempfile::tempdir().unwrap();
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--templates"])
        .arg(own.path())
        .arg("-o")
        .arg(out.path().join("x.pdf"))
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .failure()
        .stderr(predicate::str::contains("meer werk dan toegestaan"))
        .stderr(predicate::str::contains(own.path().join("factsheet.typ.j2").display().to_string()));
    // A 10 MB field.
    let store = imported();
    let files = tempfile::tempdir().unwrap();
    let big = "x".repeat(10 << 20);
    let p = tidy(files.path(), "groot.csv", &format!("GM9990,2024,totaal,bijstand,5,,,{big}\n"));
    wijkmonitor(store.path())
        .args(["data", "import"])
        .arg(&p)
        .assert()
        .failure()
        .stderr(predicate::str::contains("hooguit 10000 is toegestaan"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let data = imported();
    for args in [&["data", "status"][..], &["indicators", "--long"][..]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wijkmonitor"))
            .arg("--data-dir")
            .arg(data.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read a little, then close the pipe like `| head -c 10`.
        let mut stdout = child.stdout.take().unwrap();
        let mut buf = [0u8; 10];
        std::io::Read::read_exact(&mut stdout, &mut buf).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{err}");
    }
}

// ── Messages and leftovers ────────────────────────────────────────────────────────────

#[test]
fn output_into_a_missing_folder_names_the_folder() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let missing = out.path().join("nog-niet");
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "-o"])
        .arg(missing.join("x.pdf"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(format!("{}: deze map bestaat niet", missing.display())))
        .stderr(predicate::str::contains("mkdir -p").and(predicate::str::contains(".wijkmonitor-").not()));
}

#[test]
fn a_batch_cleans_up_and_redoes_cut_off_pdfs() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let codes = out.path().join("codes.txt");
    std::fs::write(&codes, "GM9990\nWK999000\n").unwrap();
    let dir = out.path().join("pdf");
    std::fs::create_dir(&dir).unwrap();
    // What an interrupted run leaves: a temp file and an empty PDF.
    std::fs::write(dir.join(".wijkmonitor-AbC123.tmp"), b"%PDF-1.7 half").unwrap();
    std::fs::write(dir.join("GM9990-voorbeeldstad.pdf"), b"").unwrap();
    wijkmonitor(data.path())
        .args(["batch", "--demo", "--date", "2026-11-23", "--skip-existing", "--codes"])
        .arg(&codes)
        .arg("-o")
        .arg(&dir)
        .assert()
        .success();
    assert!(!dir.join(".wijkmonitor-AbC123.tmp").exists(), "the stale temp file is gone");
    let pdf = std::fs::read(dir.join("GM9990-voorbeeldstad.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 10_000, "the empty PDF was made again");
}

#[test]
fn utf16_dates_and_years_are_answered_clearly() {
    let data = imported();
    let files = tempfile::tempdir().unwrap();
    // UTF-16 little-endian without a byte-order mark, as some spreadsheet programs save.
    let text = "region,year,group,indicator,value,count,denominator,source\nGM9991,2024,totaal,onveilig_buurt,30.5,,,Peiling\n";
    let utf16: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let p = files.path().join("utf16.csv");
    std::fs::write(&p, utf16).unwrap();
    wijkmonitor(data.path()).args(["data", "import"]).arg(&p).assert().success();
    assert_eq!(store_figure(data.path(), "GM9991", "onveilig_buurt"), Some(30.5));

    let empty = tempfile::tempdir().unwrap();
    wijkmonitor(empty.path())
        .args(["factsheet", "--demo", "--date", "0000-01-01"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("tussen 1900 en 2100"));
    wijkmonitor(empty.path())
        .args(["factsheet", "--demo", "--year", "3000"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("geen cijfers voor 3000"));
    // A broken stijl.typ of the user's own is reported where it is.
    let own = tempfile::tempdir().unwrap();
    std::fs::write(own.path().join("stijl.typ"), "#let x = (\n").unwrap();
    wijkmonitor(empty.path())
        .args(["factsheet", "--demo", "--templates"])
        .arg(own.path())
        .arg("-o")
        .arg(files.path().join("x.pdf"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(own.path().join("stijl.typ").display().to_string()))
        .stderr(predicate::str::contains("--root").not());
}

#[test]
fn command_line_mistakes_and_help_are_dutch() {
    let data = tempfile::tempdir().unwrap();
    let out = common::wijkmonitor(data.path()).args(["factsheet", "--jaar", "2020"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("error: onbekende optie '--jaar'") && err.contains("hint: zie `wijkmonitor factsheet --help`"),
        "{err}"
    );
    let out = common::wijkmonitor(data.path()).args(["table", "--format", "pdf"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("'pdf' is geen geldige waarde") && err.contains("mogelijke waarden: csv, json, xlsx"),
        "{err}"
    );
    let out = common::wijkmonitor(data.path()).args(["tabel"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("bedoelde u table?"));
    let help = common::wijkmonitor(data.path()).args(["factsheet", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&help.get_output().stdout).into_owned();
    for word in [
        "Gebruik: wijkmonitor factsheet [OPTIES] [GEBIED]",
        "Opties:",
        "Argumenten:",
        "[standaard: 10]",
        "Deze hulp tonen",
    ] {
        assert!(help.contains(word), "{word} missing: {help}");
    }
    for english in ["Usage:", "Options:", "Print help", "[default:", "[possible values"] {
        assert!(!help.contains(english), "{english} in: {help}");
    }
}

#[test]
fn completions_and_man_page_come_from_the_same_definitions() {
    let data = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = common::wijkmonitor(data.path()).args(["completions", shell]).assert().success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(text.contains("factsheet") && text.contains("kort"), "{shell}");
    }
    let out = common::wijkmonitor(data.path()).arg("man").assert().success();
    let man = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(man.starts_with(".ie") || man.contains(".TH wijkmonitor 1"), "{man}");
    assert!(man.contains("factsheet"));
}
