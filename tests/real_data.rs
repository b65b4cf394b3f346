//! Tests against the real CBS files in ../shared/data (present beside the checkout in
//! CI). Spot checks compare the store with values read from the source files. Without
//! the data a test is skipped with a notice, except under `CI=true`, where it fails
//! (`common::shared`).

mod common;

use common::{shared_data, wijkmonitor};
use wijkmonitor::model::{Group, Level, Registry, TOTAAL};
use wijkmonitor::store::{coverage, Store};

/// The rule of `common::shared`: a real-data folder that is missing skips the test on a
/// developer's machine, fails it in CI (where a green run must have read the data), and
/// a folder that is there is used either way.
#[test]
fn missing_real_data_fails_in_ci_and_is_skipped_elsewhere() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(common::shared_in(data.path(), "raw", false), None);
    let in_ci = std::panic::catch_unwind(|| common::shared_in(data.path(), "raw", true));
    let message = in_ci.expect_err("CI=true without the data must fail the test");
    let message = message.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("CI=true") && message.contains("raw"), "{message}");
    std::fs::create_dir(data.path().join("raw")).unwrap();
    for ci in [false, true] {
        assert_eq!(common::shared_in(data.path(), "raw", ci), Some(data.path().join("raw")));
    }
}

#[test]
fn real_cbs_folder_imports_with_full_coverage() {
    let Some(raw) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let t0 = std::time::Instant::now();
    wijkmonitor(dir.path()).args(["data", "import"]).arg(&raw).assert().success();
    eprintln!("import of {} took {:.1} s", raw.display(), t0.elapsed().as_secs_f64());
    let data = Store::new(dir.path()).load().unwrap();
    let reg = Registry::new(data.regions.clone());
    assert_eq!(reg.of_level_in_year(Level::Gemeente, 2024).count(), 342);
    assert!(reg.of_level_in_year(Level::Wijk, 2024).count() >= 3300);
    let cov = coverage(&data);
    // Herkomst groups for the population.
    for g in ["nederland", "europa", "buiten_europa"] {
        assert!(cov.cells.contains_key(&("inwoners".into(), "wijk".into(), g.into())), "no {g} split");
    }
    // Themes with more than one year at gemeente level.
    let multi =
        |ind: &str| cov.cells.get(&(ind.into(), "gemeente".into(), TOTAAL.code().into())).is_some_and(|y| y.len() > 1);
    assert!(multi("werkloosheid") && multi("woz_waarde") && multi("misdrijven"));

    let get = |r: &str, y: i32, g: Group, i: &str| {
        data.observations
            .iter()
            .find(|o| o.region == r && o.year == y && o.group == g && o.indicator == i)
            .and_then(|o| o.value)
    };
    // Spot checks against the source files.
    assert_eq!(get("NL01", 2024, TOTAAL, "inwoners"), Some(17942942.0)); // KWB 2024 export
    assert_eq!(get("GM1680", 2024, TOTAAL, "inwoners"), Some(25845.0)); // Aa en Hunze
    assert_eq!(get("WK168000", 2024, TOTAAL, "inwoners"), Some(3590.0)); // Wijk 00 Annen
    assert_eq!(get("GM1680", 2024, Group::BuitenEuropa, "inwoners"), Some(1330.0));
    assert_eq!(get("GM0344", 2022, TOTAAL, "arbeidsparticipatie"), Some(68.0)); // PDOK 2022 Utrecht
    assert_eq!(get("NL01", 2013, TOTAAL, "werkloosheid"), Some(8.2)); // 86088NED
    assert_eq!(get("GM1680", 2024, TOTAAL, "wmo").map(|v| v.round()), Some(66.0)); // 85995NED

    // Wijk and buurt depth, read by hand from the files in raw/:
    let source = |r: &str, y: i32, i: &str| {
        data.observations
            .iter()
            .find(|o| o.region == r && o.year == y && o.group == TOTAAL && o.indicator == i)
            .map(|o| o.source_id().to_string())
            .unwrap_or_default()
    };
    // Wmo per wijk, one table per year (wmo-jeugdzorg-wijk-2017-2023): Overvecht
    // 102, 106, 106, 106, 105, 102, 99 per 1.000, each from its own edition.
    let overvecht: Vec<Option<f64>> = (2017..=2023).map(|y| get("WK034403", y, TOTAAL, "wmo")).collect();
    let expect = [102.0, 106.0, 106.0, 106.0, 105.0, 102.0, 99.0].map(Some);
    assert_eq!(overvecht, expect);
    assert_eq!(source("WK034403", 2017, "wmo"), "83818NED");
    assert_eq!(source("WK034403", 2023, "wmo"), "85638NED");
    // Jongeren met jeugdzorg, Amsterdam 2017 (83782NED): 20.680.
    assert_eq!(get("GM0363", 2017, TOTAAL, "jeugdzorg_jongeren"), Some(20680.0));
    // Misdrijven per wijk en buurt 2016 (83903NED, no period column): Burgwallen-Oude
    // Zijde 3.000 vermogensmisdrijven of 4.282 inwoners, as 2016, never as 2018.
    let v = data
        .observations
        .iter()
        .find(|o| o.region == "WK036300" && o.year == 2016 && o.indicator == "vermogensmisdrijven")
        .unwrap();
    assert_eq!((v.count, v.denominator, v.source_id()), (Some(3000.0), Some(4282.0), "83903NED"));
    // Arbeidsdeelname per wijk en buurt (86089NED, region names only, placed in table
    // order): Wijk 00 Annen 1.890 werkzaam of 2.640, 72%; De Kolenkit 66%, on its 2024
    // code; Amsterdam's 520.570 of 739.700 agree with 86008NED for 2023.
    let a = data
        .observations
        .iter()
        .find(|o| o.region == "WK168000" && o.year == 2023 && o.indicator == "arbeidsparticipatie")
        .unwrap();
    assert_eq!((a.value, a.count, a.denominator, a.source_id()), (Some(72.0), Some(1890.0), Some(2640.0), "86089NED"));
    assert_eq!(get("WK0363ED", 2023, TOTAAL, "arbeidsparticipatie"), Some(66.0));
    assert_eq!(get("GM0363", 2023, TOTAAL, "arbeidsparticipatie"), Some(70.0));
    // Nabijheid voorzieningen 2023 (website export in raw/kwb-utrecht-2023): Overvecht
    // 0,5 km to a large supermarket.
    assert_eq!(get("WK034403", 2023, TOTAAL, "afstand_supermarkt"), Some(0.5));
    assert_eq!(source("WK034403", 2023, "afstand_supermarkt"), "nabijheid-voorzieningen");
    // RIVM's Gezondheid per wijk en buurt (50090NED, xlsx): Overvecht 58,2% eenzaam and
    // 27,2% moeite met rondkomen in 2020, 40,9% in 2012; Utrecht 48,9% and 17,2%.
    assert_eq!(get("WK034403", 2020, TOTAAL, "eenzaamheid"), Some(58.2));
    assert_eq!(get("WK034403", 2020, TOTAAL, "moeite_rondkomen"), Some(27.2));
    assert_eq!(get("WK034403", 2012, TOTAAL, "moeite_rondkomen"), Some(40.9));
    assert_eq!(get("GM0344", 2020, TOTAAL, "eenzaamheid"), Some(48.9));
    assert_eq!(source("WK034403", 2020, "eenzaamheid"), "50090NED");
    // SES-WOA (85163NED): Amsterdam −0,164 in 2014 and −0,100 in 2019, spread 1,010.
    assert_eq!(get("GM0363", 2014, TOTAAL, "ses_woa"), Some(-0.164));
    assert_eq!(get("GM0363", 2019, TOTAAL, "ses_woa"), Some(-0.1));
    assert_eq!(get("GM0363", 2019, TOTAAL, "ses_woa_spreiding"), Some(1.01));
    assert_eq!(source("GM0363", 2019, "ses_woa"), "85163NED", "the table, not the website export");
    // Energy per wijk and buurt (raw/energie-wijk-buurt-2019-2023-partial, 85999NED):
    // De Kolenkit 230 m³ gas in 2023, credited to that year's table.
    assert_eq!(get("WK0363ED", 2023, TOTAAL, "aardgasverbruik"), Some(230.0));
    assert_eq!(source("WK0363ED", 2023, "aardgasverbruik"), "85999NED");
    // Amsterdam's buurt outlines, credited to Gemeente Amsterdam.
    let g = data.geometry.iter().find(|g| g.code == "BU0363AA01").expect("Amsterdam's outline of BU0363AA01");
    assert!(g.source.starts_with("Gemeente Amsterdam"), "{}", g.source);
    // De Kolenkit: WK036339 until 2022, WK0363ED since 2023 with the same boundaries
    // (IndelingswijzigingWijken 2 in 85638NED): its earlier figures follow it.
    let ds = wijkmonitor::dataset::Dataset::new(data.clone(), wijkmonitor::model::Catalogue::builtin());
    assert_eq!(ds.renumbered_from("WK0363ED"), Some(("WK036339", 2023)));
    assert_eq!(ds.get("wmo", TOTAAL, "WK0363ED", 2022).and_then(|o| o.value), Some(73.0));

    // Factsheets from the real store: a gemeente, an Amsterdam wijk, a wijk of a small
    // gemeente and a buurt (one store import for all of them).
    let out = tempfile::tempdir().unwrap();
    for (region, expect) in [
        // The arbeidsparticipatie tile uses a source with a national figure (the KWB's
        // 2022 register figure has none): 86088NED 2024, 77,6% against 73,2%.
        ("GM0344", vec!["Utrecht", "374.238", "Bron: CBS", "85984NED", "77,6%", "Nederland: 73,2% (2024)"]),
        // Nine pages with its 110 wijken (the sources ran onto page 9); eight with the
        // key figures on page one's foot.
        ("GM0363", vec!["Amsterdam", "De wijken van Amsterdam", "Kerncijfers"]),
        // By name: Amsterdam renumbered its wijken; the 2024 code is meant, not WK036339.
        // Renumbered with the same boundaries: RIVM 2020 and SES-WOA 2019 of the old
        // code, its buurten on Gemeente Amsterdam's outlines.
        (
            "De Kolenkit",
            vec![
                "De Kolenkit",
                "wijk in de gemeente Amsterdam",
                "12.140",
                "Moeite met rondkomen",
                "Sociaal-economische status",
                "Grenzen: Gemeente Amsterdam",
                "RIVM/GGD'en/CBS, 50090NED",
                // Its four buurten on their own page, numbered on the map as in the
                // table (inhabitants and 65+ 2024, participation 2023, bijstand, WOZ,
                // corporation housing 2024, gas 2023), the wijk last; and SES-WOA 2019
                // with the interval CBS gives (−0,390 to −0,382).
                "Hoe de 4 buurten van De Kolenkit van elkaar verschillen",
                "1 Kolenkitbuurt-Noord 5.055 6,7% 64,0% 8,4% 433.000 69,0% 380",
                "De Kolenkit 12.140 8,4% 66,0% 6,3% 406.000 57,0% 230",
                "95%-interval −0,39 tot −0,38",
            ],
        ),
        // The Wmo trend from eight yearly editions, health from RIVM.
        // Its ten buurten in a table; no outlines of Utrecht's buurten in the data.
        (
            "WK034403",
            vec![
                "Wijk 03 Overvecht",
                "Eenzaam",
                "Wmo-cliënten; wijken",
                "83818NED",
                "De buurten van Wijk 03 Overvecht",
                "Geen kaart van de buurten",
                "Taag- en Rubicondreef en omgeving",
            ],
        ),
        ("WK009600", vec!["wijk in de gemeente Vlieland"]),
        ("BU0363ED01", vec!["Kolenkitbuurt-Noord", "buurt in de gemeente Amsterdam"]),
        // Five pages each once the energy theme and the Politie's figures came (issue
        // 32), in the tightest layout too: the key figures now start on page one's foot.
        ("BU02020423", vec!["Presikhaaf I", "Kerncijfers", "Energie & duurzaamheid", "Zo leest u deze factsheet"]),
        // Regression: Ballum (Ameland) stayed one section past four pages after every
        // step once the index's block landed; the last step shortens the method.
        ("BU00600002", vec!["Ballum", "werkblad Toelichting"]),
        ("BU03620803", vec!["Van der Leekbuurt", "Kerncijfers", "Energie & duurzaamheid", "Zo leest u deze factsheet"]),
    ] {
        let pdf = out.path().join(format!("{region}.pdf"));
        wijkmonitor(dir.path()).args(["factsheet", region, "--date", "2026-11-23", "-o"]).arg(&pdf).assert().success();
        let text = common::pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
        for e in expect {
            assert!(text.contains(e), "{region}: '{e}' missing");
        }
        let pages = common::pdf_pages(&pdf);
        // The budgets of the real areas: a gemeente at most 8 pages, a wijk 6, a buurt 4.
        let budget = match region {
            r if r.starts_with("GM") => 8,
            r if r.starts_with("BU") => 4,
            _ => 6,
        };
        assert!((3..=budget).contains(&pages), "{region}: {pages} pages, budget {budget}");
        // Archival and accessible on real data too: PDF/A-2b and PDF/UA-1, one H1.
        let meta = std::process::Command::new("pdfinfo").arg("-meta").arg(&pdf).output().unwrap();
        let meta = String::from_utf8_lossy(&meta.stdout);
        assert!(
            meta.contains("<pdfaid:part>2</pdfaid:part>") && meta.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{region}"
        );
        let tags = std::process::Command::new("pdfinfo").arg("-struct").arg(&pdf).output().unwrap();
        let h1 = String::from_utf8_lossy(&tags.stdout).lines().filter(|l| l.trim_start().starts_with("H1 ")).count();
        assert_eq!(h1, 1, "{region}: one H1");
    }
    // Every sentence of the sheets readers found wrong (issue 27: Rotterdam, Amsterdam,
    // Vlieland, Sittard-Geleen, Feijenoord, Overvecht, Kolenkitbuurt-Noord, Wolga- en
    // Donaudreef), full and --kort, agrees with the figures beside it, and Vlieland and
    // its wijk print one number per figure (`batch --check` exits 1 otherwise).
    let codes = out.path().join("codes.txt");
    std::fs::write(&codes, "GM0599\nGM0363\nGM0096\nGM1883\nWK059910\nWK034403\nBU0363ED01\nBU03440312\nWK009600\n")
        .unwrap();
    for kort in [false, true] {
        let mut batch = wijkmonitor(dir.path());
        batch.args(["batch", "--check", "--date", "2026-11-23", "--codes"]).arg(&codes);
        if kort {
            batch.arg("--kort");
        }
        let run = batch.arg("-o").arg(out.path().join(format!("check-{kort}"))).assert();
        let err = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
        assert!(err.contains("controle: 0 problemen in 0 factsheets; 0 verschillen"), "kort {kort}: {err}");
        run.success();
    }
    // The short versions of the reference areas (issue 29): none of the listed words,
    // no rank beside a verdict (one comparison per row), no command-line text.
    let list = wijkmonitor::document::kort::word_list(&wijkmonitor::templates::Templates::builtin().unwrap()).unwrap();
    for entry in std::fs::read_dir(out.path().join("check-true")).unwrap() {
        let pdf = entry.unwrap().path();
        if pdf.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let text = common::pdf_text(&pdf);
        let name = pdf.display().to_string();
        assert_eq!(wijkmonitor::document::kort::unplain(&text, &list), Vec::<String>::new(), "{name}");
        assert!(!text.contains("Plaats in") && !text.contains("1 = hoogste"), "{name}: a rank");
        assert!(text.contains("Om over te praten") && text.contains("De cijfers op een rij"), "{name}");
        assert_eq!(common::pdf_pages(&pdf), 2, "{name}");
    }
    // Their sentences are short (B1), and page one names a strength whenever a figure
    // for residents is better than its benchmark.
    {
        use wijkmonitor::document::kort::{sentences, words, AVERAGE_WORDS, LONGEST_WORDS};
        let ds = wijkmonitor::dataset::Dataset::new(
            Store::new(dir.path()).load().unwrap(),
            wijkmonitor::model::Catalogue::builtin(),
        );
        let templates = wijkmonitor::templates::Templates::builtin().unwrap();
        let engine = wijkmonitor::document::Engine::new();
        let meta = wijkmonitor::document::Meta { date: "2026-11-23".into(), fictional: false, kort: true };
        let r = wijkmonitor::report::Reporter::new(
            &ds,
            &templates,
            &engine,
            wijkmonitor::compare::Options::default(),
            meta,
        );
        for code in ["GM0599", "GM0363", "GM0096", "WK059910", "WK034403", "BU0363ED01", "BU03440312"] {
            let report = r.render(code).unwrap();
            let (k, rows) = (&report.view.kort_view.text, &report.view.kort_view.rows);
            let counts: Vec<usize> = sentences(&report.view.kort_view).iter().map(|s| words(s)).collect();
            let average = counts.iter().sum::<usize>() as f64 / counts.len() as f64;
            assert!(average <= AVERAGE_WORDS && counts.iter().all(|n| *n <= LONGEST_WORDS), "{code}: {counts:?}");
            assert_eq!(k.questions.len(), 3, "{code}");
            if rows.iter().any(|row| row.word.ends_with("beter")) {
                assert!(k.good.iter().any(|g| g.word.ends_with("beter")), "{code}: a strength not named");
            }
        }
    }
    // The full sheets: the trend rules (issue 29) on Rotterdam and Vlieland; no panel
    // with fewer than three years, the population without breaks between editions.
    {
        use wijkmonitor::dataset::Dataset;
        use wijkmonitor::model::Catalogue;
        let ds = Dataset::new(Store::new(dir.path()).load().unwrap(), Catalogue::builtin());
        let ctx = wijkmonitor::compare::Context::new(&ds, None);
        for code in ["GM0599", "GM0363", "GM0096", "WK034403", "WK059910"] {
            let p = ctx.profile(code, &wijkmonitor::compare::Options::default()).unwrap();
            for i in p.trend_panels() {
                let points = i.trend.iter().filter(|t| t.area.is_some()).count();
                assert!(points >= wijkmonitor::compare::MIN_TREND_POINTS, "{code} {}: {points} points", i.id);
                let plan = wijkmonitor::charts::trend::plan(i, p.gemeente.is_some());
                // No line across a year that has a figure in some series of the panel
                // but not in the line's own (Vlieland's misdrijven 2014-2023, Feijenoord's
                // inwoners 2022-2024 while the country has 2023).
                let years: Vec<i32> = i
                    .trend
                    .iter()
                    .filter(|t| t.area.or(t.gemeente).or(t.nederland).is_some())
                    .map(|t| t.year)
                    .collect();
                for line in plan.area.iter().chain(&plan.gemeente).chain(&plan.nederland) {
                    for w in line.windows(2) {
                        let skipped = years.iter().find(|y| **y > w[0].0 && **y < w[1].0);
                        assert!(
                            skipped.is_none(),
                            "{code} {}: a line from {} to {} across {skipped:?}",
                            i.id,
                            w[0].0,
                            w[1].0
                        );
                    }
                }
                if i.id == "inwoners" {
                    assert!(plan.breaks.is_empty(), "{code}: the population breaks at {:?}", plan.breaks);
                }
                if i.id == "aandeel_65plus" {
                    assert!(
                        plan.nederland.iter().map(Vec::len).sum::<usize>() >= 3,
                        "{code}: no Nederland line for 65+"
                    );
                }
            }
        }
    }

    // A factsheet reads only its scope of the store (issue 17): the same bytes as from
    // the whole store, for a gemeente, a renumbered Amsterdam wijk and a buurt.
    {
        use wijkmonitor::session::Session;
        use wijkmonitor::store::Scope;
        let session = || Session::open(Store::new(dir.path())).unwrap();
        let templates = wijkmonitor::templates::Templates::builtin().unwrap();
        let engine = wijkmonitor::document::Engine::new();
        let meta = || wijkmonitor::document::Meta { date: "2026-11-23".into(), fictional: false, kort: false };
        let options = || wijkmonitor::compare::Options {
            year: None,
            peers: wijkmonitor::compare::peers::DEFAULT_PEERS,
            achterstand: None,
        };
        let whole = session().dataset(&Scope::all()).unwrap();
        let from_whole = wijkmonitor::report::Reporter::new(&whole, &templates, &engine, options(), meta());
        // The gemeenten, and a wijk's or buurt's own level, read thin (ranks, peers and
        // the peers' figures from the thin figures, Nederland's computed figures from
        // the import), with renumbered codes and derived indicators.
        for code in ["GM0344", "WK0363ED", "WK034403", "BU0363ED01", "BU03440612"] {
            let part = session().dataset(&Scope::region(code)).unwrap();
            assert!(part.observations.len() < whole.observations.len(), "{code}: reads a part");
            let thin: Vec<Level> = part.level_figures.iter().map(|l| l.level()).collect();
            let own = wijkmonitor::model::region::code_level(code).unwrap();
            assert!(thin.contains(&Level::Gemeente) && thin.contains(&own), "{code}: {thin:?} thin");
            let from_part = wijkmonitor::report::Reporter::new(&part, &templates, &engine, options(), meta());
            let (a, b) = (from_whole.render(code).unwrap().pdf, from_part.render(code).unwrap().pdf);
            assert!(a == b, "{code}: the factsheet from its scope differs from the one from the whole store");
        }
    }
    // Utrecht's wijken page: ten wijken on maps and in a table.
    let utrecht = common::pdf_text(&out.path().join("GM0344.pdf")).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(utrecht.contains("De wijken van Utrecht"));
    assert!(utrecht.contains("Hoe de 10 wijken van Utrecht van elkaar verschillen"));
    assert!(utrecht.contains("Wijk 03 Overvecht 35.255"), "Overvecht's row");
    // Utrecht against the source: 15,8% children (59.098 of 374.238, 85984NED).
    let csv = wijkmonitor(dir.path()).args(["table", "GM0344"]).assert().success();
    let csv = String::from_utf8(csv.get_output().stdout.clone()).unwrap();
    let row = csv.lines().find(|l| l.contains(",aandeel_0_14,") && l.contains(",totaal,")).unwrap();
    assert!(row.contains(",59098,374238,"), "{row}");
    // The KWB workbook of 2023 (raw/kwb-utrecht-2023, read by hand): Overvecht's WOZ
    // 301 (x 1.000 euro) and 20% koopwoningen, credited to StatLine's KWB 2023 table.
    let ov = wijkmonitor(dir.path()).args(["table", "WK034403", "--year", "2023"]).assert().success();
    let ov = String::from_utf8(ov.get_output().stdout.clone()).unwrap();
    for (id, figure) in [(",woz_waarde,", ",2023,301,"), (",koopwoningen,", ",2023,20,")] {
        let row = ov.lines().find(|l| l.contains(id) && l.contains(",totaal,")).unwrap();
        assert!(row.contains(figure) && row.contains("85618NED"), "{row}");
    }

    // Nederland where the KWB has no national figure: the weighted mean of the
    // gemeenten. "Laag inkomen" is the lowest 40% of the national distribution, so the
    // national mean must come out at about 40% by definition.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let head = reader.headers().unwrap().clone();
    let at = |name: &str| head.iter().position(|h| h == name).unwrap();
    let national: std::collections::HashMap<String, f64> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[at("group")] == "totaal" && !r[at("nederland")].is_empty())
        .map(|r| (r[at("indicator")].to_string(), r[at("nederland")].parse().unwrap()))
        .collect();
    let nl = |i: &str| *national.get(i).unwrap_or_else(|| panic!("no Nederland for {i}"));
    assert!((39.0..=41.0).contains(&nl("inwoners_laag_inkomen")), "{}", nl("inwoners_laag_inkomen"));
    assert!((38.5..=41.5).contains(&nl("huishoudens_laag_inkomen")), "{}", nl("huishoudens_laag_inkomen"));
    assert!((60.0..=68.0).contains(&nl("eengezinswoningen")), "{}", nl("eengezinswoningen"));
    assert!((0.8..=1.4).contains(&nl("afstand_huisarts")), "{}", nl("afstand_huisarts"));
    // The export says which national figures were computed, and how.
    let laag = csv.lines().find(|l| l.contains(",inwoners_laag_inkomen,") && l.contains(",totaal,")).unwrap();
    // (After it the achterstandsindex's interval columns, empty for a figure.)
    assert!(laag.ends_with(",\"gemiddelde van de gemeenten, gewogen naar inwoners\",,"), "{laag}");
    let kinderen = csv.lines().find(|l| l.contains(",aandeel_0_14,") && l.contains(",totaal,")).unwrap();
    assert!(kinderen.ends_with(','), "a CBS national figure is not marked computed: {kinderen}");
}

/// The energy tables per wijk and buurt and the energy figures of the PDOK gemeenten
/// files, each figure read by hand from the file named beside it.
#[test]
fn energy_figures_match_the_files_read_by_hand() {
    let Some(raw) = shared_data() else {
        eprintln!("../shared/data/raw not present: real-data test not run");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    wijkmonitor(dir.path())
        .args(["data", "import"])
        .arg(raw.join("energie-wijk-buurt-2019-2023-partial"))
        .arg(raw.join("geoinzicht-pdok"))
        .assert()
        .success();
    let data = Store::new(dir.path()).load().unwrap();
    let get = |r: &str, y: i32, i: &str| {
        let o =
            data.observations.iter().find(|o| o.region == r && o.year == y && o.group == TOTAAL && o.indicator == i);
        o.map(|o| (o.value, o.source_id().to_string()))
    };
    let fig = |v: f64, s: &str| Some((Some(v), s.to_string()));
    // 85999NED.csv (2023), the "Totaal woningen" rows: Nederland 820 m³, 2.500 kWh, 6,8%
    // stadsverwarming; Amsterdam 600 m³ and 17,2%; Kolenkitbuurt-Noord
    // 380 m³, 1.770 kWh, 49,2%; Aa en Hunze has no stadsverwarming figure (empty).
    assert_eq!(get("NL01", 2023, "aardgasverbruik"), fig(820.0, "85999NED"));
    assert_eq!(get("NL01", 2023, "elektriciteitslevering"), fig(2500.0, "85999NED"));
    assert_eq!(get("NL01", 2023, "stadsverwarming"), fig(6.8, "85999NED"));
    assert_eq!(get("GM0363", 2023, "aardgasverbruik"), fig(600.0, "85999NED"));
    assert_eq!(get("GM0363", 2023, "stadsverwarming"), fig(17.2, "85999NED"));
    assert_eq!(get("BU0363ED01", 2023, "aardgasverbruik"), fig(380.0, "85999NED"));
    assert_eq!(get("BU0363ED01", 2023, "elektriciteitslevering"), fig(1770.0, "85999NED"));
    assert_eq!(get("BU0363ED01", 2023, "stadsverwarming"), fig(49.2, "85999NED"));
    assert_eq!(get("GM1680", 2023, "stadsverwarming"), None);
    // 84837NED.csv (2019): Amsterdam 800 m³, 2.050 kWh ("verbruik" then), 14,0%; the
    // rows per kind of dwelling (Appartement 760 m³) are not read.
    assert_eq!(get("GM0363", 2019, "aardgasverbruik").map(|f| f.0), Some(Some(800.0)));
    assert_eq!(get("GM0363", 2019, "elektriciteitslevering").map(|f| f.0), Some(Some(2050.0)));
    assert_eq!(get("GM0363", 2019, "stadsverwarming"), fig(14.0, "84837NED"));
    // geoinzicht-pdok: gemeenten_2012 Amsterdam gem_aardgas 1.050, gem_elektriciteit
    // 2.350; gemeenten_2022 Utrecht 620 m³ and pct_stadsverwarming 30, credited to the
    // KWB of that year.
    assert_eq!(get("GM0363", 2012, "aardgasverbruik"), fig(1050.0, "KWB 2012"));
    assert_eq!(get("GM0363", 2012, "elektriciteitslevering"), fig(2350.0, "KWB 2012"));
    assert_eq!(get("GM0344", 2022, "aardgasverbruik"), fig(620.0, "85318NED"));
    assert_eq!(get("GM0344", 2022, "stadsverwarming"), fig(30.0, "85318NED"));
}

/// `data download` asks CBS only for the columns the source description reads
/// (`$select`). Checked against CBS's real DataProperties of the KWB 2024 and the real
/// KWB rows: the selected columns give exactly the figures and regions of all columns.
#[test]
fn download_column_selection_keeps_every_kwb_figure() {
    use wijkmonitor::ingest::{download::column_selection, import, spec::builtin_specs};
    use wijkmonitor::model::Catalogue;
    use wijkmonitor::store::StoreData;
    let Some(raw) = shared_data() else { return };
    let props: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(raw.join("statline-85984NED-metadata/DataProperties.json")).unwrap())
            .unwrap();
    let columns: Vec<&str> = props.iter().filter_map(|p| p["Key"].as_str()).filter(|k| !k.is_empty()).collect();
    assert_eq!(columns.len(), 129, "128 measures and the region column");
    let specs = builtin_specs();
    let kwb = specs.iter().find(|s| s.id == "85984NED").unwrap();
    let selected = column_selection(kwb, &columns).unwrap();
    eprintln!("$select: {} of {} columns", selected.len(), columns.len());
    // 54 columns before the energy columns of issue 32 (gas, electricity, heat networks
    // and the cars by fuel), still under half of the 129.
    assert!(selected.len() < 65, "{} columns selected", selected.len());

    // The real KWB rows, once with all columns and once with the selection only.
    let src = raw.join("statline-85984NED-partial/85984NED.csv");
    let text = std::fs::read_to_string(&src).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut rd = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let headers: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let keep: Vec<usize> =
        (0..headers.len()).filter(|&i| headers[i] == "ID" || selected.contains(&headers[i])).collect();
    let dir = tempfile::tempdir().unwrap();
    let narrow = dir.path().join("85984NED_TypedDataSet.csv");
    let mut wr = csv::WriterBuilder::new().delimiter(b';').from_path(&narrow).unwrap();
    wr.write_record(keep.iter().map(|&i| &headers[i])).unwrap();
    for r in rd.records() {
        let r = r.unwrap();
        wr.write_record(keep.iter().map(|&i| &r[i])).unwrap();
    }
    wr.flush().unwrap();
    let catalogue = Catalogue::builtin();
    let read = |path: std::path::PathBuf| {
        let mut data = StoreData::default();
        import(&[path], &mut data, &specs, &catalogue).unwrap();
        let mut obs: Vec<String> = data.observations.iter().map(|o| format!("{o:?}")).collect();
        obs.sort();
        (obs, data.regions.len())
    };
    let (all, regions_all) = read(src);
    let (narrowed, regions_narrow) = read(narrow);
    assert!(all.len() > 100_000, "{}", all.len());
    assert_eq!(regions_all, regions_narrow);
    assert_eq!(all.len(), narrowed.len());
    assert!(all == narrowed, "the selected columns must give the same figures");
}

#[test]
fn recorded_cbs_metadata_gives_a_select_without_empty_items() {
    // CBS's real DataProperties of 80137ned (recorded from the live feed): its
    // TopicGroups have "Key": "", which must never reach a $select.
    let Some(recordings) = common::shared("odata-recordings") else { return };
    let rec = recordings.join("meta_7.json");
    let bytes = std::fs::read(&rec).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let props = doc["value"].as_array().unwrap();
    assert!(
        props.iter().any(|p| p["Type"] == "TopicGroup" && p["Key"] == ""),
        "the recording has empty TopicGroup keys"
    );
    let cols = wijkmonitor::ingest::download::client::data_columns(props);
    assert!(!cols.is_empty() && cols.iter().all(|c| !c.trim().is_empty()), "{cols:?}");
    let topics = props.iter().filter(|p| p["Type"] == "Topic").count();
    let dims = props.iter().filter(|p| p["Type"].as_str().is_some_and(|t| t.ends_with("Dimension"))).count();
    assert_eq!(cols.len(), topics + dims, "{cols:?}");
    // The TypedDataSet of the same recording has a column for every selected key.
    let rows: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rec.with_file_name("meta_8.json")).unwrap()).unwrap();
    let rows = rows["value"].as_array().unwrap();
    assert_eq!(rows.len(), 675);
    for c in &cols {
        assert!(rows[0].get(*c).is_some(), "{c} is no column of the TypedDataSet");
    }
}
