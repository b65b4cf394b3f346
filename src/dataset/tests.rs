//! Tests of the dataset: national figures, thin figures answering as the full ones.

use super::levels::thin;
use super::*;
use crate::model::region;
use crate::model::Source;

fn obs(value: Option<f64>, source: &str, released: &str) -> Observation {
    Observation::new("GM0001", 2024, "x", value, [Source::new(source, source, true)], released)
}

fn at(region: String, indicator: &str, year: i32, value: f64) -> Observation {
    Observation { region: region.into(), indicator: indicator.into(), year, ..obs(Some(value), "KWB", "2024-01-01") }
}

#[test]
fn nederland_is_the_weighted_mean_of_the_gemeenten_when_no_source_has_it() {
    // 320 fictional gemeenten: a tenth large (50.000 woningen, leegstand 10%), the
    // rest small (5.000 woningen, leegstand 2%).
    let mut o = Vec::new();
    for k in 0..320 {
        let code = format!("GM{:04}", k + 1);
        let big = k % 10 == 0;
        o.push(at(code.clone(), "woningvoorraad", 2023, if big { 50_000.0 } else { 5_000.0 }));
        o.push(at(code.clone(), "leegstand", 2022, if big { 10.0 } else { 2.0 }));
        // Income of 2019 with inwoners of 2021 only: two years apart is not near enough.
        o.push(at(code.clone(), "inkomen_per_inwoner", 2019, 30.0));
        o.push(at(code, "inwoners", 2021, 1.0));
    }
    let data = StoreData { observations: o, ..Default::default() };
    let ds = Dataset::new(data, Catalogue::builtin());
    // Weight from the year after (2023): (32 × 50.000 × 10 + 288 × 5.000 × 2) / (32 × 50.000 + 288 × 5.000).
    let nl = ds.get("leegstand", TOTAAL, region::NL, 2022).expect("computed Nederland");
    let expect = (32.0 * 50_000.0 * 10.0 + 288.0 * 5_000.0 * 2.0) / (32.0 * 50_000.0 + 288.0 * 5_000.0);
    assert!((nl.value.unwrap() - expect).abs() < 1e-9, "{:?}", nl.value);
    assert_eq!(nl.national.as_ref().unwrap().note(), "gemiddelde van de gemeenten, gewogen naar woningvoorraad");
    assert_eq!(nl.count, None);
    // No weight within a year: no Nederland rather than a guess.
    assert!(ds.get("inkomen_per_inwoner", TOTAAL, region::NL, 2019).is_none());
    // Too few gemeenten: no Nederland either.
    let few: Vec<Observation> = (0..50)
        .flat_map(|k| {
            let code = format!("GM{:04}", k + 1);
            [at(code.clone(), "woningvoorraad", 2023, 100.0), at(code, "leegstand", 2023, 3.0)]
        })
        .collect();
    let ds = Dataset::new(StoreData { observations: few, ..Default::default() }, Catalogue::builtin());
    assert!(ds.get("leegstand", TOTAAL, region::NL, 2023).is_none());
}
fn thin_at(region: &str, indicator: &str, year: i32, value: Option<f64>) -> Observation {
    crate::testkit::figure(region, indicator, year, value).counted(value.map(|v| v * 2.0), None)
}

/// Three wijken of two gemeenten, a suppressed figure, a derived indicator and a
/// buurt (another level).
fn wijken() -> Dataset {
    let mut o = Vec::new();
    for (code, n) in [("WK000101", 500.0), ("WK000102", 900.0), ("WK000201", 700.0)] {
        o.push(thin_at(code, "inwoners", 2023, Some(n)));
        o.push(thin_at(code, "inwoners", 2024, Some(n + 10.0)));
        o.push(thin_at(code, "jeugdzorg_jongeren", 2024, Some(n / 10.0)));
    }
    o.push(thin_at("WK000102", "aandeel_65plus", 2024, None));
    o.push(thin_at("WK000201", "aandeel_65plus", 2024, Some(21.0)));
    o.push(thin_at("BU00010101", "inwoners", 2024, Some(50.0)));
    Dataset::new(StoreData { observations: o, ..Default::default() }, Catalogue::builtin())
}

#[test]
fn thin_figures_answer_as_the_full_ones_also_after_a_round_trip() {
    let ds = wijken();
    let thin = thin(&ds, Level::Wijk);
    let dir = tempfile::tempdir().unwrap();
    thin.write(dir.path()).unwrap();
    let back = LevelFigures::read(dir.path(), Level::Wijk).unwrap().expect("written with this catalogue");
    assert_eq!(back.len(), thin.len());
    let full = LevelView::Full(&ds, Level::Wijk);
    for view in [LevelView::Thin(&thin), LevelView::Thin(&back)] {
        for ind in ["inwoners", "jeugdzorg_jongeren", "jeugdzorg", "aandeel_65plus", "woz_waarde"] {
            for code in ["WK000101", "WK000102", "WK000201", "WK000999"] {
                for year in [2022, 2023, 2024] {
                    assert_eq!(view.get(ind, code, year), full.get(ind, code, year), "{ind} {code} {year}");
                    assert_eq!(view.latest_year(ind, code, Some(year)), full.latest_year(ind, code, Some(year)));
                    // The one look-up answers as the two.
                    let two = view.latest_year(ind, code, Some(year)).and_then(|y| Some((y, view.get(ind, code, y)?)));
                    assert_eq!(view.latest(ind, code, Some(year)), two, "{ind} {code} {year}");
                    assert_eq!(full.latest(ind, code, Some(year)), two);
                }
            }
        }
    }
    // The codes with a figure of a year, as the full figures have them.
    let mut codes = thin.codes_with("aandeel_65plus", 2024);
    codes.sort();
    assert_eq!(codes, ["WK000102", "WK000201"]);
    let mut full_codes = full.codes_with("aandeel_65plus", 2024);
    full_codes.sort();
    assert_eq!(full_codes, codes);
    // The derived figure is there: 50 jongeren of 510 inwoners = 98,0 per 1.000.
    let j = thin.get("jeugdzorg", "WK000101", 2024).unwrap().value.unwrap();
    assert!((j - 50.0 / 510.0 * 1000.0).abs() < 1e-9);
    // No buurt among the wijken; suppressed figures are no part of a rank.
    assert!(thin.get("inwoners", "BU00010101", 2024).is_none());
    let ranked = thin.ranked();
    let of = |i: &str, y: i32| ranked.contains(&(i, y)).then(|| thin.distribution(i, y));
    assert_eq!(of("inwoners", 2024), Some(vec![510.0, 710.0, 910.0]));
    assert_eq!(of("aandeel_65plus", 2024), Some(vec![21.0]));
    // One ranking path: the full figures rank as the thin ones.
    let mut with_thin = wijken();
    with_thin.level_figures.push(std::sync::Arc::new(thin.clone()));
    let (whole, part) = (Distributions::new(&ds), Distributions::new(&with_thin));
    let mut keys: Vec<_> = part.keys().filter(|k| k.1 == Level::Wijk).collect();
    keys.sort();
    let mut full_keys: Vec<_> =
        whole.keys().filter(|k| k.1 == Level::Wijk && ds.catalogue.get(k.0).is_some()).collect();
    full_keys.sort();
    assert_eq!(keys, full_keys);
    for (i, level, y) in keys {
        assert_eq!(whole.sorted(i, level, y), part.sorted(i, level, y), "{i} {y}");
    }
}

#[test]
fn a_dataset_with_a_thin_level_answers_from_it() {
    let mut ds = wijken();
    assert!(matches!(ds.level_view(Level::Wijk), LevelView::Full(..)));
    let figures = thin(&ds, Level::Wijk);
    ds.level_figures.push(std::sync::Arc::new(figures));
    assert!(matches!(ds.level_view(Level::Buurt), LevelView::Full(..)));
    assert!(matches!(ds.level_view(Level::Wijk), LevelView::Thin(_)));
}
