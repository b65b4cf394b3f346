//! CLI tests of `data import`, `data status` and `regions search` on the project's own
//! fixtures (fictional figures in real CBS formats).

mod common;

use common::{fixture, snapshot_dir, wijkmonitor};
use predicates::prelude::*;
use wijkmonitor::model::{Group, TOTAAL};
use wijkmonitor::store::Store;

fn imported() -> tempfile::TempDir {
    common::store_from(&[fixture("cbs")])
}

fn value(
    dir: &std::path::Path,
    region: &str,
    year: i32,
    group: Group,
    indicator: &str,
) -> Option<wijkmonitor::model::Observation> {
    let data = Store::new(dir).load().unwrap();
    data.observations
        .into_iter()
        .find(|o| o.region == region && o.year == year && o.group == group && o.indicator == indicator)
}

#[test]
fn imports_every_fixture_format() {
    let dir = imported();
    // OData KWB with codes.
    let o = value(dir.path(), "GM9990", 2024, TOTAAL, "inwoners").unwrap();
    assert_eq!(o.value, Some(48210.0));
    assert_eq!(o.source_id(), "85984NED");
    // A share computed from counts keeps the count and denominator.
    let o = value(dir.path(), "WK999000", 2024, TOTAAL, "herkomst_buiten_europa").unwrap();
    assert_eq!(o.count, Some(4620.0));
    assert_eq!(o.denominator, Some(12480.0));
    assert!((o.value.unwrap() - 37.019).abs() < 0.01);
    // Herkomst groups as a split of inwoners, from the website export resolved by name,
    // including the buurt "Centrum" inside the wijk "Centrum".
    assert_eq!(value(dir.path(), "BU99900000", 2024, Group::BuitenEuropa, "inwoners").unwrap().value, Some(3375.0));
    assert_eq!(value(dir.path(), "WK999000", 2024, Group::BuitenEuropa, "inwoners").unwrap().value, Some(4620.0));
    // A missing marker stays missing.
    let o = value(dir.path(), "BU99900200", 2024, TOTAAL, "woz_waarde").unwrap();
    assert_eq!(o.value, None);
    assert!(o.suppressed);
    // Region names in a dimension table; provinces skipped; last quarter of the year.
    assert_eq!(value(dir.path(), "GM9991", 2023, TOTAAL, "werkloosheid").unwrap().value, Some(3.1));
    let o = value(dir.path(), "WK999000", 2024, TOTAAL, "bijstand").unwrap();
    assert_eq!(o.count, Some(1190.0));
    // OData TypedDataSet JSON with dimension keys (T001019, 2024HJ01).
    let o = value(dir.path(), "GM9990", 2024, TOTAAL, "wmo").unwrap();
    assert_eq!((o.value, o.count), (Some(73.0), Some(3520.0)));
    assert!(value(dir.path(), "WK999002", 2024, TOTAAL, "wmo").is_none(), "an empty cell is no figure");
    // Tidy CSV with a herkomst group.
    let o = value(dir.path(), "GM9990", 2024, Group::BuitenEuropa, "bijstand").unwrap();
    assert_eq!(o.value, Some(9.6));
    assert_eq!(o.source_id(), "Voorbeeldstad Burgerpeiling");
}

#[test]
fn reimport_is_idempotent() {
    let dir = imported();
    let before = Store::new(dir.path()).load().unwrap().observations;
    wijkmonitor(dir.path())
        .args(["data", "import"])
        .arg(fixture("cbs"))
        .assert()
        .success()
        .stderr(predicate::str::contains("0 nieuw, 0 vervangen"));
    let after = Store::new(dir.path()).load().unwrap().observations;
    assert_eq!(before, after);
}

#[test]
fn status_reports_coverage() {
    let dir = imported();
    wijkmonitor(dir.path())
        .args(["data", "status"])
        .assert()
        .success()
        .stdout(predicate::str::contains("gemeente   2024"))
        .stdout(predicate::str::contains("werkloosheid"))
        .stdout(predicate::str::contains("2021:2 2022:2 2023:2"));
}

#[test]
fn region_search_folds_case_and_suggests() {
    let dir = imported();
    wijkmonitor(dir.path())
        .args(["regions", "search", "VOORBEELDSTAD"])
        .assert()
        .success()
        .stdout(predicate::str::contains("GM9990"));
    wijkmonitor(dir.path())
        .args(["regions", "search", "Voorbeeldstd"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("Bedoelde u"))
        .stdout(predicate::str::contains("Voorbeeldstad"));
    wijkmonitor(dir.path())
        .args(["regions", "search", "Centrum"])
        .assert()
        .success()
        .stderr(predicate::str::contains("--gemeente"));
}

/// Every malformed input: `error:` with the place, a `hint:`, a non-zero exit, and the
/// store exactly as it was.
#[test]
fn malformed_inputs_fail_cleanly_and_leave_the_store_alone() {
    let dir = imported();
    let before = snapshot_dir(dir.path());
    let cases: &[(&str, &str)] = &[
        ("bad/truncated.csv", "truncated.csv:4"),
        ("bad/wrong_separator.csv", "scheidingsteken"),
        ("bad/unknown_column.csv", "unknown_column.csv:1:6"),
        ("bad/non_numeric.csv", "non_numeric.csv:3:6"),
        ("bad/unknown_region.csv", "onbekend gebied 'Voorbeeldstadt'"),
        ("bad/empty.csv", "leeg"),
        ("bad/emptydir", "geen CBS-bestanden gevonden"),
    ];
    for (file, expect) in cases {
        wijkmonitor(dir.path())
            .args(["data", "import"])
            .arg(fixture("cbs/86088NED.csv"))
            .arg(fixture(file))
            .assert()
            .failure()
            .stderr(predicate::str::contains("error:"))
            .stderr(predicate::str::contains("hint:"))
            .stderr(predicate::str::contains(*expect));
        assert_eq!(snapshot_dir(dir.path()), before, "{file} changed the store");
    }
}

/// A KWB workbook as CBS publishes it (`kwb-2023.xlsx`: short variable names, "." for
/// secret), written here with fictional figures.
fn kwb_workbook(path: &std::path::Path, rows: &[[&str; 8]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("kwb-2023").unwrap();
    let header = ["gwb_code_10", "regio", "gm_naam", "recs", "a_inw", "a_00_14", "g_wozbag", "p_koopw"];
    for (c, h) in header.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // Numbers as numbers, the rest (codes, names, ".") as text, as in CBS's file.
            match cell.parse::<f64>() {
                Ok(v) if c >= 4 => ws.write(r as u32 + 1, c as u16, v).unwrap(),
                _ => ws.write(r as u32 + 1, c as u16, *cell).unwrap(),
            };
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_kwb_workbook_is_read_like_the_statline_table_of_its_year() {
    let files = tempfile::tempdir().unwrap();
    let xlsx = files.path().join("kwb-2023.xlsx");
    kwb_workbook(
        &xlsx,
        &[
            ["GM9990", "Voorbeeldstad", "Voorbeeldstad", "Gemeente", "48000", "6700", "312", "57"],
            ["WK999000", "Centrum", "Voorbeeldstad", "Wijk", "3600", "530", "410", "."],
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    wijkmonitor(dir.path()).args(["data", "import"]).arg(&xlsx).assert().success();
    let o = value(dir.path(), "GM9990", 2023, TOTAAL, "aandeel_0_14").unwrap();
    assert_eq!((o.count, o.denominator), (Some(6700.0), Some(48000.0)));
    // Credited to CBS's StatLine table of that year, not to the file.
    assert_eq!(o.source_id(), "85618NED");
    assert_eq!(value(dir.path(), "WK999000", 2023, TOTAAL, "woz_waarde").unwrap().value, Some(410.0));
    // "." (secret, or not yet published in an early release) is no figure, never 0.
    assert!(value(dir.path(), "WK999000", 2023, TOTAAL, "koopwoningen").is_none());

    // A bad cell: the sheet, row and column, a hint, and the store as it was.
    let bad = files.path().join("kwb-2022.xlsx");
    kwb_workbook(&bad, &[["GM9990", "Voorbeeldstad", "Voorbeeldstad", "Gemeente", "veel", "6700", "312", "57"]]);
    let before = snapshot_dir(dir.path());
    wijkmonitor(dir.path())
        .args(["data", "import"])
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicate::str::contains("kwb-2022.xlsx (blad kwb-2023):2:5"))
        .stderr(predicate::str::contains("'veel' in kolom 'a_inw' is geen getal"))
        .stderr(predicate::str::contains("hint:"));
    assert_eq!(before, snapshot_dir(dir.path()));
}
