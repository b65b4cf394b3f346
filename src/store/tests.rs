//! Tests of the store: generations, scopes, older layouts, thin files.

use std::fs;

use super::frames::{read_frame, read_json, write_frame, write_json, write_observations, write_regions};
use super::layout::{fingerprint, thin_files, RowIndex, FORMAT_FILE, LEGACY_GEOMETRY, LEGACY_OBSERVATIONS};
use super::*;
use crate::dataset::derived;
use crate::dataset::levels::thin;
use polars::prelude::*;

#[test]
fn roundtrip_and_atomic_generations() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    assert!(store.is_empty());
    let mut data = StoreData::default();
    data.observations.push(figure("GM0001", None).counted(Some(3.0), None));
    data.regions.push(gemeente_a());
    let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
    store.commit(&lock, &data, &derived(&data)).unwrap();
    store.commit(&lock, &data, &derived(&data)).unwrap();
    store.commit(&lock, &data, &derived(&data)).unwrap();
    let back = store.load().unwrap();
    assert_eq!(back.observations, data.observations);
    assert_eq!(back.regions, data.regions);
    let gens = fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert_eq!(gens, KEEP_GENERATIONS, "older generations are removed, the one before stays");
}

#[test]
fn a_generation_keeps_each_regions_newest_outline() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut data = StoreData { regions: vec![gemeente_a()], ..Default::default() };
    data.observations.push(figure("GM0001", Some(1.0)));
    let outline = |code: &str, year: i32| Geometry { code: code.into(), year, rings: vec![], source: String::new() };
    // A gemeente in three years, a buurt in two, a dissolved gemeente in its last.
    for (code, year) in [("GM0001", 2022), ("GM0001", 2024), ("GM0001", 2023), ("BU00010101", 2024)] {
        data.geometry.push(outline(code, year));
    }
    data.geometry.push(outline("BU00010101", 2020));
    data.geometry.push(outline("GM0002", 2018));
    let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
    store.commit(&lock, &data, &derived(&data)).unwrap();
    let mut back: Vec<(String, i32)> = store.load().unwrap().geometry.into_iter().map(|g| (g.code, g.year)).collect();
    back.sort();
    assert_eq!(back, [("BU00010101".into(), 2024), ("GM0001".into(), 2024), ("GM0002".into(), 2018)]);
}

/// The one gemeente of the test stores.
fn gemeente_a() -> Region {
    Region { code: "GM0001".into(), name: "A".into(), level: Level::Gemeente, gemeente_name: "A".into(), year: 2024 }
}

fn figure(region: &str, value: Option<f64>) -> Observation {
    crate::testkit::figure(region, "inwoners", 2024, value)
}

#[test]
fn a_scope_reads_its_part_and_the_inventory_tells_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut data = StoreData::default();
    for (code, v) in [("BU00010101", Some(5.0)), ("NL01", Some(9.0)), ("GM0001", Some(7.0)), ("WK000101", Some(6.0))] {
        data.observations.push(figure(code, v));
    }
    data.observations.push(figure("WK000201", None));
    data.observations.push(figure("BU00020101", Some(4.0)));
    data.observations.push(figure("GM0002", Some(8.0)));
    for code in ["GM0001", "WK000101", "WK000201", "BU00010101"] {
        data.geometry.push(Geometry { code: code.into(), year: 2024, rings: vec![], source: String::new() });
    }
    let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
    store.commit(&lock, &data, &derived(&data)).unwrap();

    let gm = store.load_scope(&Scope::region("GM0001")).unwrap();
    let codes: Vec<&str> = gm.observations.iter().map(|o| o.region.as_str()).collect();
    assert_eq!(codes, ["NL01", "GM0001", "WK000101"], "Nederland, the gemeenten, its own wijken");
    assert_eq!(gm.regions.len(), data.regions.len());
    let outlines: Vec<&str> = gm.geometry.iter().map(|g| g.code.as_str()).collect();
    assert_eq!(outlines, ["GM0001", "WK000101", "BU00010101"]);
    // A suppressed figure is not a figure the level has.
    let levels: Vec<Level> = gm.inventory["inwoners"].iter().copied().collect();
    assert_eq!(levels, [Level::Land, Level::Gemeente, Level::Wijk, Level::Buurt]);

    let all = store.load().unwrap();
    assert_eq!(all.observations.len(), data.observations.len());
    // A buurt reads its gemeente's buurten in full and every buurt thin.
    let bu = store.load_scope(&Scope::region("BU00010101")).unwrap();
    let full: Vec<&str> = bu.observations.iter().map(|o| o.region.as_str()).filter(|c| c.starts_with("BU")).collect();
    assert_eq!(full, ["BU00010101"], "its own gemeente's buurten in full");
    let thin = bu.levels.iter().find(|l| l.level() == Level::Buurt).expect("the buurten thin");
    let view = crate::dataset::LevelView::Thin(thin);
    assert_eq!(view.get("inwoners", "BU00020101", 2024).and_then(|f| f.value), Some(4.0), "every buurt");
    // Without thin figures (a store of an older version, without a format file) the
    // level is read whole.
    let gen = store.dir().join(store.current_name().unwrap());
    fs::remove_file(gen.join(FORMAT_FILE)).unwrap();
    for level in ["wijk", "buurt"] {
        fs::remove_file(gen.join(format!("thin-{level}.parquet"))).unwrap();
    }
    let bu = store.load_scope(&Scope::region("BU00010101")).unwrap();
    assert!(bu.levels.iter().all(|l| l.level() == Level::Gemeente), "only the gemeenten thin");
    assert_eq!(bu.observations.iter().filter(|o| o.region.starts_with("BU")).count(), 2, "every buurt");
    assert!(!bu.observations.iter().any(|o| o.region == "GM0002"), "another gemeente thin");
    // Without the computed national figures the gemeenten are read whole (Nederland
    // is computed from them).
    let gen = store.dir().join(store.current_name().unwrap());
    fs::remove_file(gen.join("national.json")).unwrap();
    let bu = store.load_scope(&Scope::region("BU00010101")).unwrap();
    assert!(bu.levels.is_empty() && bu.national.is_empty());
    assert!(bu.observations.iter().any(|o| o.region == "GM0002"), "every gemeente");
}

#[test]
fn a_gemeente_reads_its_own_run_of_the_wijk_file_in_import_order() {
    // Imported interleaved (one table after the other); stored grouped by gemeente
    // with a row index, read back as the gemeente's slice.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut data = StoreData::default();
    for (code, v) in [
        ("WK000201", 1.0),
        ("WK000101", 2.0),
        ("WK000202", 3.0),
        ("WK000301", 4.0),
        ("WK000201", 5.0),
        ("WK000102", 6.0),
    ] {
        data.observations.push(figure(code, Some(v)));
    }
    let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
    store.commit(&lock, &data, &derived(&data)).unwrap();
    let gen = dir.path().join(store.current_name().unwrap());
    let rows: RowIndex = read_json(&gen.join("rows-wijk.json")).unwrap();
    assert_eq!(rows["0001"], (0, 2));
    assert_eq!(rows["0002"], (2, 3));
    assert_eq!(rows["0003"], (5, 1));
    let part = store.load_scope(&Scope::region("GM0002")).unwrap();
    let got: Vec<(&str, Option<f64>)> = part.observations.iter().map(|o| (o.region.as_str(), o.value)).collect();
    assert_eq!(got, [("WK000201", Some(1.0)), ("WK000202", Some(3.0)), ("WK000201", Some(5.0))]);
    assert_eq!(store.load().unwrap().observations.len(), 6);

    // A generation written before the indexes (and the format file): the level files
    // are read whole and filtered, with the same result.
    for index in [FORMAT_FILE, "rows-wijk.json", "rows-buurt.json", "outlines-wijk.json", "outlines-buurt.json"] {
        fs::remove_file(gen.join(index)).unwrap();
    }
    let whole = store.load_scope(&Scope::region("GM0002")).unwrap();
    assert_eq!(whole.observations, part.observations);
}

#[test]
fn regions_read_first_are_reused_only_while_their_generation_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut data = StoreData::default();
    data.observations.push(figure("GM0001", Some(1.0)));
    data.regions.push(gemeente_a());
    let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
    store.commit(&lock, &data, &derived(&data)).unwrap();
    let known = store.regions().unwrap();
    assert_eq!(known.list.len(), 1);
    let (part, same) = store.load_scope_known(&Scope::region("GM0001"), &known).unwrap();
    assert!(same && part.regions.is_empty() && part.observations.len() == 1, "figures only");
    // An import commits in between: the new generation is read whole.
    data.regions[0].name = "B".into();
    store.commit(&lock, &data, &derived(&data)).unwrap();
    let (part, same) = store.load_scope_known(&Scope::region("GM0001"), &known).unwrap();
    assert!(!same);
    assert_eq!(part.regions[0].name, "B");
}

#[test]
fn a_generation_of_one_figure_file_is_still_read_and_scoped() {
    // Stores written before the split by level: one observations.parquet, one
    // geometry.json, no inventory.
    let dir = tempfile::tempdir().unwrap();
    let gen = dir.path().join("gen-00000000000000000001-1");
    fs::create_dir_all(&gen).unwrap();
    let obs = [figure("NL01", Some(9.0)), figure("WK000201", Some(3.0)), figure("BU00010101", Some(5.0))];
    write_observations(&gen.join(LEGACY_OBSERVATIONS), &obs.iter().collect::<Vec<_>>(), None).unwrap();
    write_regions(&gen.join("regions.parquet"), &[]).unwrap();
    write_json(&gen.join(LEGACY_GEOMETRY), &Vec::<Geometry>::new()).unwrap();
    fs::write(dir.path().join("CURRENT"), "gen-00000000000000000001-1").unwrap();
    let store = Store::new(dir.path());
    assert_eq!(store.load().unwrap().observations.len(), 3);
    let part = store.load_scope(&Scope::region("GM0001")).unwrap();
    assert_eq!(part.observations.len(), 1, "only Nederland: no wijk of GM0001");
    let levels: Vec<Level> = part.inventory["inwoners"].iter().copied().collect();
    assert_eq!(levels, [Level::Land, Level::Wijk, Level::Buurt], "of the whole file");
}

#[test]
fn pruning_goes_by_time_and_never_removes_the_current_generation() {
    // Regression: sorting names by length put a newer generation of a process with a
    // short id before older ones of a longer id, and removed it.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
    for name in ["gen-00000000000000000001-1234567", "gen-00000000000000000002-1234567"] {
        fs::create_dir_all(dir.path().join(name)).unwrap();
    }
    store.commit(&lock, &StoreData::default(), &Derived::default()).unwrap();
    let current = store.current_name().unwrap();
    assert!(dir.path().join(&current).is_dir());
    assert!(!dir.path().join("gen-00000000000000000001-1234567").exists(), "the oldest goes");
    assert!(dir.path().join("gen-00000000000000000002-1234567").exists(), "the one before stays");
    assert_eq!(generation_stamp("gen-ff-12"), 255);
    assert_eq!(generation_stamp("gen-x"), 0);
}

/// Three wijken of two gemeenten, a suppressed figure and a buurt (another level).
fn wijken() -> crate::dataset::Dataset {
    let mut data = StoreData::default();
    for (code, v) in [("WK000101", Some(5.0)), ("WK000102", None), ("WK000201", Some(7.0)), ("BU00010101", Some(1.0))] {
        data.observations.push(figure(code, v));
    }
    crate::dataset::Dataset::new(data, crate::model::Catalogue::builtin())
}

#[test]
fn a_damaged_row_file_names_the_line() {
    let ds = wijken();
    let dir = tempfile::tempdir().unwrap();
    thin(&ds, Level::Wijk).write(dir.path()).unwrap();
    let rows_path = dir.path().join(thin_files(Level::Wijk).0);
    let df = read_frame(&rows_path, None).unwrap();
    let n = df.height();
    let with = |name: &str, column: Column| {
        let mut d = df.clone();
        d.with_column(column.with_name(name.into())).unwrap();
        write_frame(&rows_path, d, None).unwrap();
        match LevelFigures::read(dir.path(), Level::Wijk) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("a damaged {name} column was read"),
        }
    };
    // The second line without a region.
    let regions: Vec<Option<u32>> = (0..n).map(|i| (i != 1).then_some(0)).collect();
    let e = with("region", Column::new("region".into(), regions));
    assert!(e.contains("regel 2 is onvolledig"), "{e}");
    // The first line pointing at an indicator the header does not list.
    let indicators: Vec<u32> = (0..n).map(|i| if i == 0 { 9_999 } else { 0 }).collect();
    let e = with("indicator", Column::new("indicator".into(), indicators));
    assert!(e.contains("regel 1 verwijst buiten de lijsten"), "{e}");
}

#[test]
fn a_level_without_figures_reads_back_empty() {
    // The rows are read as one array per column; a level without rows has none.
    let ds = wijken();
    let dir = tempfile::tempdir().unwrap();
    thin(&ds, Level::Gemeente).write(dir.path()).unwrap();
    let back = LevelFigures::read(dir.path(), Level::Gemeente).unwrap().expect("written with this catalogue");
    assert!(back.is_empty());
    assert_eq!(back.level(), Level::Gemeente);
    assert!(back.get("inwoners", "GM0001", 2024).is_none());
    assert!(back.ranked().is_empty());
}

#[test]
fn thin_figures_of_another_catalogue_are_not_used() {
    let ds = wijken();
    let dir = tempfile::tempdir().unwrap();
    thin(&ds, Level::Wijk).write(dir.path()).unwrap();
    let header = dir.path().join(thin_files(Level::Wijk).1);
    let text = fs::read_to_string(&header).unwrap().replace(&fingerprint(), "0000000000000000");
    fs::write(&header, text).unwrap();
    assert!(LevelFigures::read(dir.path(), Level::Wijk).unwrap().is_none());
}

#[test]
fn a_generation_names_its_format_and_a_newer_one_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut data = StoreData { regions: vec![gemeente_a()], ..Default::default() };
    data.observations.push(figure("GM0001", Some(1.0)));
    data.observations.push(figure("BU00010101", Some(2.0)));
    let lock = store.write_lock(|_| panic!("nobody else holds the lock")).unwrap();
    store.commit(&lock, &data, &derived(&data)).unwrap();
    let gen = dir.path().join(store.current_name().unwrap());
    let format: serde_json::Value = read_json(&gen.join(FORMAT_FILE)).unwrap();
    assert_eq!(format["version"], layout::FORMAT_VERSION);
    assert_eq!(format["thin"], serde_json::json!(["gemeente", "wijk", "buurt"]));
    // A file the format lists is no longer optional: a missing one is damage, not an
    // older store to read whole.
    let thin = gen.join(thin_files(Level::Buurt).0);
    let kept = fs::read(&thin).unwrap();
    fs::remove_file(&thin).unwrap();
    let e = store.load_scope(&Scope::region("BU00010101")).unwrap_err();
    assert!(e.to_string().contains("thin-buurt.parquet"), "{e}");
    assert!(e.hint().unwrap().contains("reservekopie"), "{:?}", e.hint());
    fs::write(&thin, kept).unwrap();
    // A generation of a newer format: said so, with what to do.
    fs::write(gen.join(FORMAT_FILE), r#"{"version":99,"thin":[],"national":false}"#).unwrap();
    let e = store.load().unwrap_err();
    assert!(e.to_string().contains("opslagformaat 99"), "{e}");
    assert!(e.hint().unwrap().contains("nieuwere wijkmonitor"), "{:?}", e.hint());
}
