//! Property tests for the parsers a user's file goes through: arbitrary input never
//! panics and never yields a figure that is not a finite number in range for its unit.
//! The tidy CSV, the StatLine website export (through the whole import), the
//! column-reference language, cells and period keys.

use std::path::Path;

use proptest::prelude::*;
// A fixed seed: CI sees the same cases every run; cases that once failed are replayed
// from tests/properties.proptest-regressions.
use proptest::test_runner::RngSeed;
use wijkmonitor::ingest::cell::{parse_cell, parse_period, Cell};
use wijkmonitor::ingest::colref::ColumnRef;
use wijkmonitor::ingest::table::{read_csv, Flavour};
use wijkmonitor::model::Catalogue;
use wijkmonitor::store::StoreData;

/// Cells as they come: numbers in both decimal styles, CBS markers, junk and edge cases.
fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| v.to_string().replace('.', ",")),
        (-1000i64..1_000_000).prop_map(|v| v.to_string()),
        Just(".".to_string()),
        Just("-99999999".to_string()),
        Just("inf".to_string()),
        Just("NaN".to_string()),
        Just("1e308".to_string()),
        Just("-0".to_string()),
        ".{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, rng_seed: RngSeed::Fixed(20261201), ..ProptestConfig::default() })]

    #[test]
    fn cells_are_finite_or_not_numbers(raw in ".{0,24}", web in any::<bool>()) {
        let flavour = if web { Flavour::Web } else { Flavour::Plain };
        if let Ok(Cell::Number(v)) = parse_cell(&raw, flavour) {
            prop_assert!(v.is_finite(), "{raw:?} gave {v}");
        }
    }

    #[test]
    fn any_cbs_number_parses_finite(v in cell_text()) {
        if let Ok(Cell::Number(x)) = parse_cell(&v, Flavour::Web) {
            prop_assert!(x.is_finite());
        }
    }

    #[test]
    fn periods_never_panic_and_give_plausible_years(s in "\\PC{0,20}", key in "(19|20)[0-9]{2}(JJ00|MM[0-9]{2}|KW0[1-4]|HJ0[12])") {
        if let Some((y, sub)) = parse_period(&s) {
            prop_assert!((1900..=2099).contains(&y) && (0..=100).contains(&sub));
        }
        let (y, _) = parse_period(&key).expect("a StatLine period key");
        prop_assert!((1900..=2099).contains(&y));
    }

    #[test]
    fn column_references_never_panic(r in "\\PC{0,30}", headers in proptest::collection::vec("\\PC{0,12}", 0..6)) {
        let csv = format!("{};x\n", headers.iter().map(|h| h.replace([';', '\n', '\r', '"'], "")).collect::<Vec<_>>().join(";"));
        if let Ok(t) = read_csv(Path::new("t.csv"), csv.as_bytes()) {
            let c = ColumnRef::parse(&r);
            let _ = c.resolve(&t);
            let _ = c.resolve_sum(&t);
            prop_assert_eq!(c.to_string(), r);
        }
    }

    #[test]
    fn csv_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_csv(Path::new("t.csv"), &bytes);
    }
}

/// Imports one file into an empty store (with the fixture regions) and checks every
/// figure it stored.
fn import_checked(name: &str, text: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cbs/85984NED_kwb2024.csv");
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let catalogue = Catalogue::builtin();
    let specs = wijkmonitor::ingest::spec::builtin_specs();
    let mut data = StoreData::default();
    if wijkmonitor::ingest::import(&[fixtures, file], &mut data, &specs, &catalogue).is_ok() {
        for o in &data.observations {
            // CBS's re-division mark is no figure: only 1, 2 or 3 is kept.
            if wijkmonitor::model::is_marker(&o.indicator) {
                prop_assert!(matches!(o.value, Some(v) if v == 1.0 || v == 2.0 || v == 3.0), "{o:?}");
                continue;
            }
            let unit = catalogue.get(&o.indicator).unwrap().unit;
            // CBS rounds small counts to 5, so a count may lie past its denominator; then
            // no share is computed and the cell is stored as suppressed, with both counts
            // as CBS gave them.
            let rounded_past = o.value.is_none()
                && o.suppressed
                && matches!((o.count, o.denominator), (Some(c), Some(d)) if c > d && c - d <= 5.0);
            let denominator = if rounded_past { o.count } else { o.denominator };
            prop_assert!(unit.check(o.value, o.count, denominator).is_ok(), "{o:?}");
            prop_assert!(o.value.is_none_or(f64::is_finite), "{o:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, rng_seed: RngSeed::Fixed(20261201), ..ProptestConfig::default() })]

    #[test]
    fn tidy_csv_never_stores_a_bad_figure(
        rows in proptest::collection::vec(
            (prop_oneof![Just("GM9990"), Just("WK999000"), Just("GM0000"), Just("Voorbeeldstad")],
             prop_oneof![Just("2024"), Just("20x4"), Just("")],
             prop_oneof![Just("totaal"), Just("buiten_europa"), Just("allochtoon")],
             prop_oneof![Just("bijstand"), Just("inwoners"), Just("misdrijven"), Just("woz_waarde")],
             cell_text(), cell_text(), cell_text()),
            1..6)
    ) {
        let mut text = String::from("region,year,group,indicator,value,count,denominator,source\n");
        for (r, y, g, i, v, c, d) in rows {
            let clean = |s: String| s.replace([',', '\n', '\r', '"'], "");
            text.push_str(&format!("{r},{y},{g},{i},{},{},{},eigen\n", clean(v), clean(c), clean(d)));
        }
        import_checked("eigen.csv", &text)?;
    }

    #[test]
    fn website_export_never_stores_a_bad_figure(
        rows in proptest::collection::vec(
            (prop_oneof![Just("Voorbeeldstad"), Just("Centrum"), Just("Nederland"), Just("Nergenshuizen")],
             cell_text(), cell_text(), cell_text(), cell_text(), cell_text()),
            1..5)
    ) {
        let header = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cbs/kwb2024_herkomst_export.csv"))
            .unwrap();
        let header = header.lines().next().unwrap().trim_start_matches('\u{feff}').to_string();
        let mut text = header + "\n";
        for (name, a, b, c, d, e) in rows {
            let clean = |s: String| s.replace([';', '\n', '\r', '"'], "");
            text.push_str(&format!(
                "\"{name}\";\"Voorbeeldstad\";{};{};{};{};{}\n",
                clean(a), clean(b), clean(c), clean(d), clean(e)
            ));
        }
        import_checked("kwb2024_herkomst_export.csv", &text)?;
    }
}
