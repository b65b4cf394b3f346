//! Issue 32's sources on fixtures written here with fictional figures in the real
//! formats: RIVM's newer health table (50150NED) beside 50090NED.

mod common;

use std::path::Path;

use common::{fixture, wijkmonitor};
use wijkmonitor::compare::{Context, Options};
use wijkmonitor::model::{Catalogue, Dataset, Store, TOTAAL};

/// The fixture KWB 2024 (registry and population of Voorbeeldstad and Rivierdal) plus
/// `files`, imported in one go.
fn store_with(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(src.path().join(name), bytes).unwrap();
    }
    wijkmonitor(dir.path()).args(["data", "import"]).arg(fixture("cbs/85984NED_kwb2024.csv")).assert().success();
    if !files.is_empty() {
        wijkmonitor(dir.path()).args(["data", "import"]).arg(src.path()).assert().success();
    }
    (dir, src)
}

fn dataset(dir: &Path) -> Dataset {
    Dataset::new(Store::new(dir).load().unwrap(), Catalogue::builtin())
}

/// RIVM's health table as an OData CSV: (table's file name, [(region, year, eenzaam)]).
fn rivm_table(rows: &[(&str, &str, f64)]) -> Vec<u8> {
    let mut s = String::from("\u{feff}ID;Leeftijd;Marges;WijkenEnBuurten;Perioden;Gemeentenaam_1;SoortRegio_2;Codering_3;ErvarenGezondheidGoedZeerGoed_4;Eenzaam_28;MoeiteMetRondkomen_38\n");
    for (i, (code, period, eenzaam)) in rows.iter().enumerate() {
        s.push_str(&format!(
            "{i};20300;MW00000;{code:<10};{period};Voorbeeldstad;Wijk;{code:<10};75.0;{eenzaam};20.0\n"
        ));
    }
    s.into_bytes()
}

#[test]
fn the_newer_rivm_table_wins_and_the_trend_breaks_where_the_monitor_changed() {
    let old = rivm_table(&[("WK999000", "2016JJ00", 40.0), ("WK999000", "2020JJ00", 45.0)]);
    let new = rivm_table(&[
        ("WK999000", "2016JJ00", 41.0),
        ("WK999000", "2020JJ00", 46.0),
        ("WK999000", "2022JJ00", 48.0),
        ("WK999000", "2024JJ00", 47.0),
    ]);
    let (dir, _src) = store_with(&[("50090NED.csv", old), ("50150NED_TypedDataSet.csv", new)]);
    let ds = dataset(dir.path());
    // Where both tables have the cell, 50150NED (the newer) wins.
    for (year, v) in [(2016, 41.0), (2020, 46.0), (2022, 48.0), (2024, 47.0)] {
        let o = ds.get("eenzaamheid", TOTAAL, "WK999000", year).unwrap();
        assert_eq!((o.value, o.source_id()), (Some(v), "50150NED"), "{year}");
    }
    // 2012 and 2016 asked adults of 19 and older, 2020 on 18 and older: the trend breaks
    // before 2020 and nowhere else; the figures are RIVM's.
    let p = Context::new(&ds, None).profile("WK999000", &Options::default()).unwrap();
    let e = p.indicators.iter().find(|i| i.id == "eenzaamheid").unwrap();
    let breaks: Vec<i32> = e.trend.iter().filter(|t| t.break_before).map(|t| t.year).collect();
    assert_eq!(breaks, [2020]);
    assert!(!ds.get("eenzaamheid", TOTAAL, "WK999000", 2024).unwrap().sources[0].cbs);
}
