//! Issue 32's sources on fixtures written here with fictional figures in the real
//! formats: the yearly energy tables per wijk and buurt, the Politie's crime per wijk and
//! buurt (47018NED, in the shape of CBS's second feed) with its groups of kinds and its
//! rates from the KWB population, RIVM's newer health table (50150NED) beside 50090NED,
//! and `data download` reaching the second feed.

mod common;

use std::path::Path;

use common::odata::FeedServer;
use common::{dataset, store_with, wijkmonitor};
use predicates::prelude::*;
use predicates::str::contains;
use wijkmonitor::compare::{Context, Options};
use wijkmonitor::dataset::Dataset;
use wijkmonitor::model::TOTAAL;

fn value(ds: &Dataset, indicator: &str, region: &str, year: i32) -> Option<f64> {
    ds.get(indicator, TOTAAL, region, year).and_then(|o| o.value)
}

/// One yearly energy table as the StatLine dump writes it (keys replaced by titles):
/// per region "Totaal woningen" and "Appartement", which the import leaves out.
fn energy_edition(electricity: &str, rows: &[(&str, &str, &str, &str)]) -> Vec<u8> {
    let mut s = format!(
        "\u{feff}ID;Woningkenmerken;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;GemiddeldAardgasverbruik_4;{electricity}_5;Stadsverwarming_6;IndelingswijzigingWijkenEnBuurten_7\n"
    );
    for (i, (code, name, gas, warmte)) in rows.iter().enumerate() {
        let level = match &code[..2] {
            "NL" => "Land",
            "GM" => "Gemeente",
            "WK" => "Wijk",
            _ => "Buurt",
        };
        s.push_str(&format!(
            "{};Totaal woningen;{name};Voorbeeldstad                           ;{level:<10};{code:<10};{gas};2500.0;{warmte};1\n",
            2 * i
        ));
        s.push_str(&format!(
            "{};Appartement;{name};Voorbeeldstad                           ;{level:<10};{code:<10};9999.0;1.0;;1\n",
            2 * i + 1
        ));
    }
    s.into_bytes()
}

#[test]
fn energy_per_wijk_and_buurt_comes_from_its_yearly_table_as_one_series() {
    let y2019 = energy_edition(
        "GemiddeldElektriciteitsverbruik",
        &[("NL00", "Nederland", "1180.0", "5.9"), ("WK999000", "Centrum", "900.0", "30.0")],
    );
    let y2023 = energy_edition(
        "GemiddeldeElektriciteitslevering",
        &[
            ("NL00", "Nederland", "820.0", "6.8"),
            ("WK999000", "Centrum", "700.0", ""),
            ("BU99900000", "Centrum", "650.0", "41.0"),
        ],
    );
    let (dir, _src) = store_with(&[("84837NED.csv", y2019), ("85999NED.csv", y2023)]);
    let ds = dataset(dir.path());
    // The year from the edition in the file name; "Appartement" left out; empty is missing.
    assert_eq!(value(&ds, "aardgasverbruik", "WK999000", 2019), Some(900.0));
    assert_eq!(value(&ds, "aardgasverbruik", "WK999000", 2023), Some(700.0));
    assert_eq!(value(&ds, "aardgasverbruik", "NL01", 2023), Some(820.0));
    assert_eq!(value(&ds, "elektriciteitslevering", "BU99900000", 2023), Some(2500.0));
    assert_eq!(value(&ds, "elektriciteitslevering", "WK999000", 2019), Some(2500.0), "the 2019 name");
    assert_eq!(value(&ds, "stadsverwarming", "BU99900000", 2023), Some(41.0));
    assert!(ds.get("stadsverwarming", TOTAAL, "WK999000", 2023).is_none(), "an empty cell is no figure");
    let o = ds.get("aardgasverbruik", TOTAAL, "WK999000", 2023).unwrap();
    assert_eq!(o.source_id(), "85999NED");
    assert!(o.sources[0].title.contains("woningtype, wijken en buurten 2023"), "{}", o.sources[0].title);
    // One series with the KWB's own energy figures: the wijk's trend does not break.
    let p = Context::new(&ds, None).profile("WK999000", &Options::default()).unwrap();
    let gas = p.indicators.iter().find(|i| i.id == "aardgasverbruik").unwrap();
    let years: Vec<(i32, bool)> = gas.trend.iter().map(|t| (t.year, t.break_before)).collect();
    assert_eq!(years, [(2019, false), (2023, false)]);
}

/// Rows of 47018NED in the shape of CBS's second feed: (kind key, region, period, count),
/// with the kind keys' trailing space and padded region codes.
fn politie_table(rows: &[(&str, &str, &str, &str)]) -> Vec<u8> {
    let mut s = String::from(
        "\u{feff}ID;SoortMisdrijf;WijkenEnBuurten;Perioden;GeregistreerdeMisdrijven_1;Gemeentenaam_2;SoortRegio_3\n",
    );
    for (i, (kind, region, period, count)) in rows.iter().enumerate() {
        s.push_str(&format!("{i};{kind:<6};{region:<10};{period};{count};Voorbeeldstad;Buurt\n"));
    }
    s.into_bytes()
}

#[test]
fn crime_per_buurt_adds_up_the_politie_kinds_and_gets_its_rate_from_the_kwb() {
    let mut rows = vec![];
    for (region, total, woning, schuur) in
        [("NL00", "800000", "20000", "9000"), ("GM9990", "3000", "90", "30"), ("BU99900000", "450", "12", "6")]
    {
        rows.extend([
            ("0.0.0", region, "2024JJ00", total),
            ("1.1.1", region, "2024JJ00", woning),
            ("1.1.2", region, "2024JJ00", schuur),
            ("2.2.1", region, "2024JJ00", "40"),
            ("3.6.4", region, "2024JJ00", "5"),
        ]);
    }
    // A kind that is secret makes its group secret; an empty one makes it missing.
    rows.extend([
        ("0.0.0", "BU99900001", "2024JJ00", "200"),
        ("1.1.1", "BU99900001", "2024JJ00", "."),
        ("1.1.2", "BU99900001", "2024JJ00", "3"),
        ("2.2.1", "BU99900001", "2024JJ00", ""),
        ("3.6.4", "BU99900001", "2024JJ00", "4"),
        // 2023: no KWB population of that year in the store, so a count without a rate.
        ("0.0.0", "BU99900000", "2023JJ00", "470"),
    ]);
    let (dir, _src) = store_with(&[("47018NED_TypedDataSet.csv", politie_table(&rows))]);
    let ds = dataset(dir.path());
    assert_eq!(value(&ds, "misdrijven_aantal", "BU99900000", 2024), Some(450.0));
    assert_eq!(value(&ds, "woninginbraak_aantal", "BU99900000", 2024), Some(18.0), "1.1.1 + 1.1.2");
    assert_eq!(value(&ds, "vernieling_aantal", "BU99900000", 2024), Some(45.0), "2.2.1 + 3.6.4");
    // The rate: the count divided by the buurt's 9.120 inwoners of 2024 (KWB), per 1.000.
    let rate = ds.get("misdrijven_politie", TOTAAL, "BU99900000", 2024).unwrap();
    assert!((rate.value.unwrap() - 450.0 / 9120.0 * 1000.0).abs() < 1e-9, "{rate:?}");
    assert_eq!((rate.count, rate.denominator), (Some(450.0), Some(9120.0)));
    let ids: Vec<&str> = rate.sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["47018NED", "85984NED"]);
    assert!(!rate.sources[0].cbs && rate.sources[0].title.starts_with("Politie,"), "{:?}", rate.sources[0]);
    assert!((value(&ds, "misdrijven_politie", "NL01", 2024).unwrap() - 800000.0 / 17942942.0 * 1000.0).abs() < 1e-9);
    // Secret and missing parts.
    let secret = ds.get("woninginbraak_aantal", TOTAAL, "BU99900001", 2024).unwrap();
    assert!(secret.suppressed && secret.value.is_none());
    assert!(ds.get("vernieling_aantal", TOTAAL, "BU99900001", 2024).is_none(), "never a sum of what is left");
    // No rate without the population of the same year; the count stays.
    assert_eq!(value(&ds, "misdrijven_aantal", "BU99900000", 2023), Some(470.0));
    assert!(value(&ds, "misdrijven_politie", "BU99900000", 2023).is_none());

    // The buurt's factsheet has a Veiligheid theme now, crediting the Politie.
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("b.pdf");
    wijkmonitor(dir.path())
        .args(["factsheet", "BU99900000", "--date", "2026-11-23", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    let text = common::pdf_prose(&pdf);
    assert!(text.contains("Geregistreerde misdrijven") && text.contains("47018NED"), "{text}");
    assert!(text.contains("Politie"), "the Politie is named as the publisher");
}

#[test]
fn a_statline_export_with_titles_gives_the_same_crime_figures() {
    // The same figures with the kinds as titles ("1.1.1 Diefstal/inbraak woning"), as a
    // StatLine dump or a download writes them.
    let keys = politie_table(&[
        ("0.0.0", "GM9990", "2024JJ00", "3000"),
        ("1.1.1", "GM9990", "2024JJ00", "90"),
        ("1.1.2", "GM9990", "2024JJ00", "30"),
    ]);
    let titles = String::from_utf8(keys.clone())
        .unwrap()
        .replace("0.0.0 ", "Totaal misdrijven")
        .replace("1.1.1 ", "1.1.1 Diefstal/inbraak woning")
        .replace("1.1.2 ", "1.1.2 Diefstal/inbraak box/garage/schuur");
    let read = |bytes: Vec<u8>| {
        let (dir, _src) = store_with(&[("47018NED.csv", bytes)]);
        let ds = dataset(dir.path());
        (value(&ds, "misdrijven_aantal", "GM9990", 2024), value(&ds, "woninginbraak_aantal", "GM9990", 2024))
    };
    assert_eq!(read(keys), (Some(3000.0), Some(120.0)));
    assert_eq!(read(titles.into_bytes()), (Some(3000.0), Some(120.0)));
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

#[test]
fn a_figure_shown_from_another_source_of_its_concept_is_not_called_missing() {
    // The demo's buurt has the Politie's misdrijven per 1.000; CBS's own (83648NED) is
    // per gemeente only. The page must not say the buurt has no figure for them.
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = common::demo_factsheet(data.path(), out.path(), "BU99900000", &[]);
    let text = common::pdf_prose(&pdf);
    assert!(text.contains("Geregistreerde misdrijven (per 1.000"), "{text}");
    let missing: Vec<&str> =
        text.split("Geen cijfer voor Centrum-Noord:").skip(1).map(|t| t.split('.').next().unwrap()).collect();
    assert!(!missing.is_empty());
    for m in missing {
        assert!(!m.contains("geregistreerde misdrijven"), "called missing: {m}");
    }
}

#[test]
fn energiearmoede_is_named_as_missing_never_as_zero() {
    // No source in the store has it: the energy theme names it instead of leaving it out.
    let (dir, _src) = store_with(&[]);
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("v.pdf");
    wijkmonitor(dir.path()).args(["factsheet", "GM9990", "--date", "2026-11-23", "-o"]).arg(&pdf).assert().success();
    let text = common::pdf_prose(&pdf);
    assert!(text.contains("Energie & duurzaamheid"), "the seventh theme is on the page");
    assert!(text.contains("energiearmoede"), "{text}");
}

fn download(dir: &Path, server: &FeedServer, extra: &[&str]) -> assert_cmd::Command {
    let mut c = wijkmonitor(dir);
    c.args(["data", "download", "--base-url", &server.base_url, "--derden-url", &server.derden_url])
        .args(["--retry-delay", "0.01", "--attempts", "2", "--zonder-kaarten"])
        .args(extra);
    c
}

fn requests(server: &FeedServer, needle: &str) -> usize {
    server.log().iter().filter(|l| l.contains(needle)).count()
}

#[test]
fn crime_per_buurt_comes_from_the_second_feed_and_a_missing_table_is_named() {
    // 47018NED (the demo's, in the shape of the dataderden feed) is served only on the
    // second feed; 50150NED is not on the server at all.
    let server = FeedServer::start(25);
    let dir = tempfile::tempdir().unwrap();
    download(dir.path(), &server, &["--tables", "85984NED,47018NED,50150NED"])
        .assert()
        .failure()
        .stderr(contains(format!("en 2 van {}", server.derden_url)))
        .stderr(contains("47018NED").and(contains("rijen")))
        .stderr(contains("50150NED").and(contains("HTTP 404")).and(contains("stopgezet")))
        .stderr(contains("1 van de 3 tabellen niet binnengekomen"));
    // Every request for the Politie's table went to the second feed, page by page, with
    // the kinds the catalogue reads pushed down as keys.
    let on_second = requests(&server, "/dataderden/ODataFeed/odata/47018NED/");
    assert_eq!(requests(&server, "/ODataFeed/odata/47018NED/"), on_second, "none on the first feed");
    assert!(requests(&server, "/dataderden/ODataFeed/odata/47018NED/UntypedDataSet") > 2, "paged");
    let data = server.log().into_iter().find(|l| l.contains("/47018NED/UntypedDataSet")).unwrap();
    assert!(data.contains("SoortMisdrijf eq '0.0.0 '") && data.contains("SoortMisdrijf eq '1.1.2 '"), "{data}");
    assert!(!data.contains("1.3.1"), "the kind no group reads (1.3.1 Ongevallen) stays away: {data}");

    // Crime per buurt landed with its rate, from the same figures as the demo file.
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(demo.join("47018NED_TypedDataSet.json")).unwrap()).unwrap();
    let count = |kind: &str| -> f64 {
        doc["value"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["SoortMisdrijf"] == kind && r["WijkenEnBuurten"] == "BU99900000" && r["Perioden"] == "2024JJ00")
            .unwrap()["GeregistreerdeMisdrijven_1"]
            .as_f64()
            .unwrap()
    };
    let ds = dataset(dir.path());
    let inwoners = value(&ds, "inwoners", "BU99900000", 2024).unwrap();
    let rate = ds.get("misdrijven_politie", TOTAAL, "BU99900000", 2024).unwrap();
    assert_eq!(rate.count, Some(count("0.0.0 ")));
    assert!((rate.value.unwrap() - count("0.0.0 ") / inwoners * 1000.0).abs() < 1e-9);
    assert_eq!(value(&ds, "woninginbraak_aantal", "BU99900000", 2024), Some(count("1.1.1 ") + count("1.1.2 ")));

    // A second run takes the Politie's pages from the cache, as CBS's.
    server.clear_log();
    download(dir.path(), &server, &["--tables", "85984NED,47018NED"])
        .assert()
        .success()
        .stderr(contains("uit de cache"));
    assert_eq!(requests(&server, "/47018NED/"), 0, "{:#?}", server.log());
}

#[test]
fn a_bad_address_of_the_second_feed_is_named_with_its_own_option_and_default() {
    // The hint of a table from the second feed names --derden-url and its default, not
    // --base-url and CBS's own feed (which the user did not get wrong).
    let server = FeedServer::start(4);
    let dir = tempfile::tempdir().unwrap();
    let mut c = wijkmonitor(dir.path());
    c.args(["data", "download", "--base-url", &server.base_url, "--derden-url", "http//geen adres"]).args([
        "--retry-delay",
        "0.01",
        "--attempts",
        "1",
        "--zonder-kaarten",
        "--tables",
        "47018NED",
    ]);
    let run = c.assert().failure();
    let err = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(err.contains("geen bruikbaar adres"), "{err}");
    assert!(err.contains("--derden-url (of WIJKMONITOR_DERDEN_URL)"), "{err}");
    assert!(err.contains(wijkmonitor::ingest::download::DEFAULT_DERDEN_URL), "{err}");
    assert!(!err.contains("--base-url") && !err.contains("opendata.cbs.nl"), "{err}");
}
