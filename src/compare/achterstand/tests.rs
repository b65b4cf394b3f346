//! The method on fixtures: a hand-computed one of five areas and two domains, and a
//! fictional level of 32 wijken in four gemeenten built as a dataset.

use super::input::{Area, Column, Fig, Input, Model};
use super::*;
use crate::model::region::{Region, NL};
use crate::model::{Catalogue, Observation};
use crate::store::StoreData;

fn plain(values: [f64; 5]) -> Vec<Option<Fig>> {
    values.iter().map(|&value| Some(Fig { value, year: 2024, count: None, interval: None })).collect()
}

fn column(id: &str, domain: usize, weight: f64, sign: f64, figures: Vec<Option<Fig>>) -> Column {
    Column {
        id: id.into(),
        domain,
        weight,
        sign,
        model: Model::Plain,
        shrink: true,
        targets: vec![None; figures.len()],
        figures,
        redivided: 0,
    }
}

fn domain(id: &str, weight: f64) -> Domain {
    Domain { id: id.into(), label: id.to_uppercase(), weight, min_indicators: 1, indicators: Vec::new() }
}

/// Five wijken V, W, X, Y, Z of one gemeente; two domains.
fn five() -> (Input, IndexConfig) {
    let areas = ["V", "W", "X", "Y", "Z"]
        .iter()
        .enumerate()
        .map(|(k, name)| Area {
            code: format!("WK00010{}", k + 1),
            name: name.to_string(),
            gemeente: Some("GM0001".into()),
            gemeente_name: "Een".into(),
            group: 0,
            population: Some(1000.0),
        })
        .collect();
    let columns = vec![
        column("a1", 0, 1.0, 1.0, plain([10.0, 20.0, 30.0, 40.0, 50.0])),
        column("a2", 0, 2.0, -1.0, plain([5.0, 4.0, 1.0, 2.0, 3.0])),
        column("b1", 1, 1.0, 1.0, plain([50.0, 40.0, 30.0, 20.0, 10.0])),
    ];
    let input = Input { level: Level::Wijk, indeling: 2024, areas, groups: vec!["GM0001".into()], columns };
    let config = IndexConfig {
        file: "fixture/proef.toml".into(),
        min_domains: 2,
        max_age: 4,
        draws: 0,
        seed: 1,
        domains: vec![domain("werk", 2.0), domain("inkomen", 1.0)],
    };
    (input, config)
}

fn deciles(a: &Achterstand, id: &str) -> Vec<Option<u8>> {
    a.regions.iter().map(|r| r.domain(id).unwrap().nederland.map(|p| p.decile)).collect()
}

/// The method by hand. Five areas, so the normal scores are Φ⁻¹((k − ½)/5) for
/// k = 1…5: −1,2816, −0,5244, 0, 0,5244, 1,2816 (lowest value first).
///
/// Domain werk (weight 2): a1 (higher is worse, weight 1) and a2 (lower is worse,
/// weight 2).
///   a1 = 10, 20, 30, 40, 50 → V −1,2816, W −0,5244, X 0, Y 0,5244, Z 1,2816.
///   a2 = 5, 4, 1, 2, 3, turned round (−5, −4, −1, −2, −3) → V −1,2816, W −0,5244,
///   X 1,2816, Y 0,5244, Z 0.
///   Score = (a1 + 2·a2)/3: V −1,2816, W −0,5244, X 0,8544, Y 0,5244, Z 0,4272.
///   Ranks (1 = most achterstand): X 1, Y 2, Z 3, W 4, V 5; deciles ⌈10·rank/5⌉ =
///   X 2, Y 4, Z 6, W 8, V 10.
/// Domain inkomen (weight 1): b1 = 50, 40, 30, 20, 10 (higher is worse) → V 1,2816,
///   W 0,5244, X 0, Y −0,5244, Z −1,2816; ranks V 1, W 2, X 3, Y 4, Z 5; deciles
///   V 2, W 4, X 6, Y 8, Z 10.
/// Exponential transformation, R = (5 − rank + 1)/5, X = −23·ln(1 − R·(1 − e^(−100/23))):
///   rank 1 → 100, rank 2 → 35,856, rank 3 → 20,632, rank 4 → 11,552, rank 5 → 5,058.
/// Total = (2·werk + 1·inkomen)/3:
///   V (2·5,058 + 100)/3 = 36,705; W (2·11,552 + 35,856)/3 = 19,653;
///   X (2·100 + 20,632)/3 = 73,544; Y (2·35,856 + 11,552)/3 = 27,755;
///   Z (2·20,632 + 5,058)/3 = 15,441.
///   Ranks X 1, V 2, Y 3, W 4, Z 5; deciles X 2, V 4, Y 6, W 8, Z 10. V, the area with
///   the least achterstand in werk, is second in total because its inkomen is the worst:
///   one domain does not cancel another.
#[test]
fn hand_computed_five_areas_two_domains() {
    let (input, config) = five();
    let a = Achterstand::from_input(input, &config, &Settings::default());
    assert_eq!(deciles(&a, "werk"), [10, 8, 2, 4, 6].map(Some));
    assert_eq!(deciles(&a, "inkomen"), [2, 4, 6, 8, 10].map(Some));
    assert_eq!(deciles(&a, TOTAL), [4, 8, 2, 6, 10].map(Some));
    let ranks: Vec<u32> = a.regions.iter().map(|r| r.total.nederland.unwrap().rank).collect();
    assert_eq!(ranks, [2, 4, 1, 3, 5]);
    let scores: Vec<f64> = a.regions.iter().map(|r| r.total.score.unwrap()).collect();
    for (got, hand) in scores.iter().zip([36.705, 19.653, 73.544, 27.755, 15.441]) {
        assert!((got - hand).abs() < 0.002, "{got} against {hand} by hand");
    }
    let werk: Vec<f64> = a.regions.iter().map(|r| r.domain("werk").unwrap().score.unwrap()).collect();
    for (got, hand) in werk.iter().zip([-1.2816, -0.5244, 0.8544, 0.5244, 0.4272]) {
        assert!((got - hand).abs() < 1e-4, "{got} against {hand} by hand");
    }
    // Within the one gemeente the places are the same as in the country.
    let x = &a.regions[2];
    assert_eq!(x.total.gemeente.map(|p| (p.rank, p.of, p.decile)), Some((1, 5, 2)));
    assert_eq!(x.total.used, ["werk", "inkomen"]);
    assert_eq!(x.weights_file, "proef.toml");
    // The plain sum of normal scores (the sensitivity check) puts V with Z at the bottom.
    let plain =
        Achterstand::from_input(five().0, &config, &Settings { combine: Combine::NormalScores, ..Default::default() });
    let v = plain.regions[0].total.score.unwrap();
    assert!((v - plain.regions[4].total.score.unwrap()).abs() < 1e-12 && v < 0.0);
}

#[test]
fn a_domain_without_enough_indicators_is_reported_not_scored_as_zero() {
    let (mut input, mut config) = five();
    // Z has no inkomen figure; werk needs both its indicators.
    input.columns[2].figures[4] = None;
    input.columns[1].figures[0] = None;
    config.domains[0].min_indicators = 2;
    let a = Achterstand::from_input(input, &config, &Settings::default());
    let z = &a.regions[4];
    let inkomen = z.domain("inkomen").unwrap();
    assert_eq!((inkomen.score, inkomen.nederland), (None, None));
    assert_eq!(inkomen.status, Status::TooFewIndicators { have: 0, need: 1 });
    let v = &a.regions[0];
    assert_eq!(v.domain("werk").unwrap().status, Status::TooFewIndicators { have: 1, need: 2 });
    assert_eq!(v.domain("werk").unwrap().used, ["a1"]);
    assert_eq!(v.profile().rows[1].words(), "WERK: niet berekend (cijfers voor 1 van de 2 benodigde indicatoren)");
    assert_eq!(z.profile().rows[0].words(), "Totaal: niet berekend (1 van de 2 benodigde domeinen berekend)");
    // Neither gets a total (two domains needed), and neither counts in the ranks.
    assert_eq!(z.total.status, Status::TooFewDomains { have: 1, need: 2 });
    assert_eq!(z.total.score, None);
    assert_eq!(v.total.status, Status::TooFewDomains { have: 1, need: 2 });
    assert_eq!(a.regions[2].total.nederland.unwrap().of, 3);
    assert_eq!(a.regions[1].domain("inkomen").unwrap().nederland.unwrap().of, 4);
    let row = a.rows(None).into_iter().find(|r| r.region == z.code && r.domain == "inkomen").unwrap();
    assert_eq!((row.score, row.decile, row.status), (None, None, "too_few_indicators"));
    assert_eq!(z.profile().rows[2].words(), "INKOMEN: niet berekend (geen cijfers)");
}

#[test]
fn a_gemeente_with_fewer_than_five_ranked_areas_gives_no_decile_within_it() {
    let (mut input, config) = five();
    // Z moves to a gemeente of its own: four areas are left in the first.
    input.groups.push("GM0002".into());
    input.areas[4].group = 1;
    input.areas[4].gemeente = Some("GM0002".into());
    let a = Achterstand::from_input(input, &config, &Settings::default());
    assert!(a.regions.iter().all(|r| r.total.gemeente.is_none()));
    // Among all areas nothing changed.
    assert_eq!(deciles(&a, TOTAL), [4, 8, 2, 6, 10].map(Some));
    assert_eq!(a.regions[2].profile().rows[0].words(), "Totaal: deciel 2 in Nederland");
}

// ── A fictional level as a dataset ─────────────────────────────────────────────────

fn obs(region: &str, indicator: &str, value: f64, count: Option<f64>, denominator: Option<f64>) -> Observation {
    obs_in(2024, region, indicator, value, count, denominator)
}

fn obs_in(
    year: i32,
    region: &str,
    indicator: &str,
    value: f64,
    count: Option<f64>,
    denominator: Option<f64>,
) -> Observation {
    crate::testkit::figure(region, indicator, year, Some(value)).counted(count, denominator)
}

/// Four gemeenten of eight wijken each, from 60 to 20.000 inwoners; bijstand and WW
/// with counts, misdrijven as a rate with a count, the rapportcijfer without. Figures
/// follow a fixed pattern, no randomness.
fn dataset() -> Dataset {
    let mut data = StoreData::default();
    let region = |code: &str, name: &str, level, gm: &str| Region {
        code: code.into(),
        name: name.into(),
        level,
        gemeente_name: gm.into(),
        year: 2024,
    };
    data.regions.push(region(NL, "Nederland", Level::Land, "Nederland"));
    for g in 1..=4 {
        let gm = format!("GM000{g}");
        data.regions.push(region(&gm, &format!("Gemeente {g}"), Level::Gemeente, &format!("Gemeente {g}")));
        let (mut gm_bij, mut gm_n) = (0.0, 0.0);
        for w in 1..=8 {
            let code = format!("WK000{g}0{w}");
            data.regions.push(region(&code, &format!("Wijk {g}.{w}"), Level::Wijk, &format!("Gemeente {g}")));
            let n: f64 = [60.0, 20_000.0, 300.0, 5_000.0, 900.0, 12_000.0, 2_000.0, 150.0][w - 1];
            let wave = ((g * 7 + w * 3) % 11) as f64 / 10.0;
            let adults = (n * 0.8).round();
            let bij = ((0.02 + 0.06 * wave + 0.01 * g as f64) * adults).round();
            let ww = ((0.04 - 0.02 * wave + 0.002 * w as f64) * adults).round();
            let crimes = ((30.0 + 40.0 * (1.0 - wave)) / 1000.0 * n).round();
            data.observations.push(obs(&code, "inwoners", n, None, None));
            data.observations.push(obs(&code, "bijstand", bij / adults * 100.0, Some(bij), Some(adults)));
            data.observations.push(obs(&code, "werkloosheidsuitkering", ww / adults * 100.0, Some(ww), Some(adults)));
            data.observations.push(obs(&code, "misdrijven", crimes / n * 1000.0, Some(crimes), Some(n)));
            data.observations.push(obs(&code, "rapportcijfer_leefbaarheid", 8.0 - wave - 0.1 * g as f64, None, None));
            gm_bij += bij;
            gm_n += adults;
        }
        data.observations.push(obs(&gm, "bijstand", gm_bij / gm_n * 100.0, Some(gm_bij), Some(gm_n)));
    }
    Dataset::new(data, Catalogue::builtin())
}

const RECIPE: &str = r#"
min_domains = 2
max_age = 4
draws = 60
seed = 2024

[[domain]]
id = "werk"
label = "Werk"
weight = 22.5
min_indicators = 1

[[domain.indicator]]
id = "bijstand"
worse = "higher"

[[domain.indicator]]
id = "werkloosheidsuitkering"
worse = "higher"

[[domain]]
id = "veiligheid"
label = "Veiligheid"
weight = 9.3
min_indicators = 1

[[domain.indicator]]
id = "misdrijven"
worse = "higher"

[[domain]]
id = "woonomgeving"
label = "Woonomgeving"
weight = 9.3
min_indicators = 1

[[domain.indicator]]
id = "rapportcijfer_leefbaarheid"
worse = "lower"
"#;

fn recipe(text: &str) -> IndexConfig {
    IndexConfig::parse(text, "proef/index.toml", &Catalogue::builtin()).unwrap()
}

fn bytes(a: &Achterstand) -> Vec<u8> {
    serde_json::to_vec(&a.rows(None)).unwrap()
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_intervals() {
    let ds = dataset();
    let config = recipe(RECIPE);
    let one = Achterstand::compute(&ds, Level::Wijk, &config, &Settings::default()).unwrap();
    let two = Achterstand::compute(&ds, Level::Wijk, &config, &Settings::default()).unwrap();
    assert_eq!(one.regions.len(), 32);
    assert_eq!(bytes(&one), bytes(&two));
    let other = recipe(&RECIPE.replace("seed = 2024", "seed = 7"));
    let three = Achterstand::compute(&ds, Level::Wijk, &other, &Settings::default()).unwrap();
    assert_ne!(bytes(&one), bytes(&three), "the draws do not follow the seed");
    // The point estimates do not depend on the seed, only the intervals do.
    let points = |a: &Achterstand| a.regions.iter().map(|r| r.total.score).collect::<Vec<_>>();
    assert_eq!(points(&one), points(&three));
}

#[test]
fn changing_a_weight_in_the_file_changes_the_result() {
    let ds = dataset();
    let settings = Settings { draws: Some(0), ..Default::default() };
    let base = Achterstand::compute(&ds, Level::Wijk, &recipe(RECIPE), &settings).unwrap();
    let heavier = recipe(&RECIPE.replace(
        "weight = 9.3\nmin_indicators = 1\n\n[[domain.indicator]]\nid = \"rapport",
        "weight = 60\nmin_indicators = 1\n\n[[domain.indicator]]\nid = \"rapport",
    ));
    assert_eq!(heavier.domains[2].weight, 60.0);
    let changed = Achterstand::compute(&ds, Level::Wijk, &heavier, &settings).unwrap();
    let totals = |a: &Achterstand| a.regions.iter().map(|r| r.total.nederland.map(|p| p.rank)).collect::<Vec<_>>();
    assert_ne!(totals(&base), totals(&changed));
    // The domains themselves are the same: only their weight in the total changed.
    assert_eq!(deciles(&base, "werk"), deciles(&changed, "werk"));
}

#[test]
fn a_small_wijk_has_a_wider_interval_and_is_shrunk_more_than_a_large_one() {
    let ds = dataset();
    let a =
        Achterstand::compute(&ds, Level::Wijk, &recipe(RECIPE), &Settings { draws: Some(200), ..Default::default() })
            .unwrap();
    let width = |r: &RegionIndex| {
        let p = r.domain("werk").unwrap().nederland.unwrap();
        p.high.unwrap() - p.low.unwrap()
    };
    let (small, large): (Vec<&RegionIndex>, Vec<&RegionIndex>) = a
        .regions
        .iter()
        .filter(|r| r.population.unwrap() <= 150.0 || r.population.unwrap() >= 12_000.0)
        .partition(|r| r.population.unwrap() <= 150.0);
    let mean = |v: &[&RegionIndex]| v.iter().map(|r| width(r) as f64).sum::<f64>() / v.len() as f64;
    assert!(mean(&small) > mean(&large) + 1.0, "small {} large {}", mean(&small), mean(&large));
    let bijstand = a.columns.iter().find(|c| c.id == "bijstand").unwrap();
    assert_eq!((bijstand.areas, bijstand.with_variance), (32, 32));
    assert!(bijstand.median_weight.unwrap() < 1.0);
    let mark = a.columns.iter().find(|c| c.id == "rapportcijfer_leefbaarheid").unwrap();
    assert_eq!((mark.with_variance, mark.median_weight), (0, None));
}

#[test]
fn thin_figures_give_the_same_index_as_the_full_ones() {
    let full = dataset();
    let mut thin = dataset();
    thin.level_figures.push(std::sync::Arc::new(crate::dataset::levels::thin(&full, Level::Wijk)));
    thin.level_figures.push(std::sync::Arc::new(crate::dataset::levels::thin(&full, Level::Gemeente)));
    assert!(matches!(thin.level_view(Level::Wijk), crate::dataset::LevelView::Thin(_)));
    let config = recipe(RECIPE);
    let a = Achterstand::compute(&full, Level::Wijk, &config, &Settings::default()).unwrap();
    let b = Achterstand::compute(&thin, Level::Wijk, &config, &Settings::default()).unwrap();
    assert_eq!(bytes(&a), bytes(&b));
}

#[test]
fn rows_are_sorted_by_code_with_the_total_first_and_one_gemeente_can_be_picked() {
    let ds = dataset();
    let a = Achterstand::compute(&ds, Level::Wijk, &recipe(RECIPE), &Settings { draws: Some(0), ..Default::default() })
        .unwrap();
    let rows = a.rows(None);
    assert_eq!(rows.len(), 32 * 4);
    let codes: Vec<&str> = rows.iter().map(|r| r.region.as_str()).collect();
    assert!(codes.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(rows[0].domain, TOTAL);
    assert_eq!(rows[1].domain, "werk");
    let gm2 = a.rows(Some("GM0002"));
    assert_eq!(gm2.len(), 8 * 4);
    assert!(gm2.iter().all(|r| r.gemeente == "GM0002"));
    let r = a.of("WK000203").unwrap();
    assert_eq!(r.gemeente_name, "Gemeente 2");
    assert!(a.of("WK009999").is_none());
    // A gemeente's wijk is ranked among the eight of its gemeente too.
    assert_eq!(r.total.gemeente.unwrap().of, 8);
}

/// Almere's case: a gemeente re-divided since the figures' year reused some codes for
/// other areas. Its figures of that year are left out; a gemeente whose codes stayed
/// keeps them, and so does an area renumbered with the same boundaries.
#[test]
fn figures_from_before_a_re_division_are_not_put_on_reused_codes() {
    let mut data = StoreData::default();
    let region = |code: &str, name: &str, level, year| Region {
        code: code.into(),
        name: name.into(),
        level,
        gemeente_name: "G".into(),
        year,
    };
    let mut add = |code: &str, year: i32, value: f64| {
        data.observations.push(obs_in(year, code, "bijstand", value, Some(value * 10.0), Some(1000.0)));
    };
    // GM0009 re-divided: of its six codes with a 2020 figure, five are gone.
    add("WK000901", 2020, 9.0);
    for k in 51..=55 {
        add(&format!("WK0009{k}"), 2020, 3.0);
    }
    // GM0008 kept its codes.
    for k in 1..=6 {
        add(&format!("WK00080{k}"), 2020, 2.0 + k as f64);
    }
    // GM0007: WK000701 became WK0007AA with the same boundaries in 2024 (mark 2); two
    // other 2020 codes are gone.
    for code in ["WK000701", "WK000798", "WK000799"] {
        add(code, 2020, 4.0);
    }
    for g in ["0007", "0008", "0009"] {
        data.regions.push(region(&format!("GM{g}"), "G", Level::Gemeente, 2024));
    }
    let current = (1..=6).flat_map(|k| [format!("WK00090{k}"), format!("WK00080{k}")]);
    for code in current {
        data.regions.push(region(&code, &code, Level::Wijk, 2024));
        data.observations.push(obs_in(2024, &code, "inwoners", 1250.0, None, None));
    }
    data.regions.push(region("WK0007AA", "Oud", Level::Wijk, 2024));
    data.regions.push(region("WK000701", "Oud", Level::Wijk, 2020));
    data.observations.push(obs_in(2024, "WK0007AA", crate::model::INDELINGSWIJZIGING, 2.0, None, None));
    let ds = Dataset::new(data, Catalogue::builtin());
    assert_eq!(ds.renumbered_from("WK0007AA"), Some(("WK000701", 2024)));
    let config = recipe(RECIPE);
    let a =
        Achterstand::compute(&ds, Level::Wijk, &config, &Settings { draws: Some(0), ..Default::default() }).unwrap();
    let werk = |code: &str| a.of(code).unwrap().domain("werk").unwrap().used.clone();
    assert!(werk("WK000901").is_empty(), "a reused code kept another area's figure");
    assert_eq!(werk("WK000801"), ["bijstand"]);
    assert_eq!(werk("WK0007AA"), ["bijstand"], "the renumbered wijk lost its own figure");
    assert_eq!(a.columns.iter().find(|c| c.id == "bijstand").unwrap().redivided, 1);
}

#[test]
fn a_dataset_with_only_some_areas_of_the_level_is_refused() {
    // The wijken of one gemeente only (a factsheet's full figures without the level
    // thin): ranks among those eight would pose as national ranks.
    let full = dataset();
    let data = StoreData {
        regions: full.registry.entries().to_vec(),
        observations: full.observations.iter().filter(|o| o.region.starts_with("WK0001")).cloned().collect(),
        ..Default::default()
    };
    let part = Dataset::new(data, Catalogue::builtin());
    let e = Achterstand::compute(&part, Level::Wijk, &recipe(RECIPE), &Settings::default()).unwrap_err();
    assert!(e.to_string().contains("24 van de 32"), "{e}");
}
