//! The wijk and buurt sources as users get them, on fixtures written here with fictional
//! figures in the real formats: yearly StatLine editions (Wmo, misdrijven), RIVM's
//! health workbook, SES-WOA in two tables and a website export, a renumbered wijk with
//! the same boundaries, and another publisher's buurt outlines.

mod common;

use std::path::Path;

use common::{dataset, fixture, snapshot_dir, store_with, wijkmonitor};
use predicates::prelude::*;
use wijkmonitor::compare::{Context, Options};
use wijkmonitor::model::TOTAAL;

/// One yearly "Wmo-cliënten; wijken" edition as the OData dump writes it: three periods
/// per region, `IndelingswijzigingWijken` per wijk.
fn wmo_edition(year: i32, rows: &[(&str, &str, &str, f64)]) -> Vec<u8> {
    let mut s = String::from(
        "\u{feff}ID;Financieringsvorm;Wijken;Perioden;Gemeentenaam_1;SoortRegio_2;Codering_3;IndelingswijzigingWijken_4;WmoClienten_5;WmoClientenPer1000Inwoners_6\n",
    );
    let mut id = 0;
    for (code, name, mark, per1000) in rows {
        let level = if code.starts_with("GM") { "Gemeente" } else { "Wijk" };
        for (period, part) in
            [(format!("1e halfjaar {year}"), 0.6), (format!("2e halfjaar {year}"), 0.7), (year.to_string(), 1.0)]
        {
            let v = (per1000 * part).round();
            s.push_str(&format!(
                "{id};Totaal;{name};{period};Voorbeeldstad                           ;{level:<9};{code:<8};{mark};{};{v}\n",
                v * 10.0
            ));
            id += 1;
        }
    }
    s.into_bytes()
}

#[test]
fn yearly_editions_credit_their_own_table_and_a_redivision_breaks_the_trend() {
    let rows = |mark_noord: &'static str, centrum: f64, noord: f64| {
        vec![
            ("GM9990", "Voorbeeldstad", "", 60.0),
            ("WK999000", "Centrum", "1.0", centrum),
            ("WK999001", "Noord", mark_noord, noord),
        ]
    };
    let (dir, _src) = store_with(&[
        ("83818NED.csv", wmo_edition(2017, &rows("1.0", 70.0, 50.0))),
        ("84421NED.csv", wmo_edition(2018, &rows("1.0", 72.0, 52.0))),
        // Noord is re-bounded in 2019.
        ("84664NED.csv", wmo_edition(2019, &rows("3.0", 74.0, 80.0))),
    ]);
    // The first half of 2024 (85995NED), as the fixture's OData JSON has it.
    wijkmonitor(dir.path()).args(["data", "import"]).arg(fixture("cbs/85995NED_TypedDataSet.json")).assert().success();
    let ds = dataset(dir.path());
    assert_eq!(ds.get("wmo", TOTAAL, "WK999000", 2024).unwrap().sources[0].series, "wmo-wijken (1e halfjaar)");
    // Each year credited to its own edition; the whole year wins over the half years.
    let o = ds.get("wmo", TOTAAL, "WK999000", 2017).unwrap();
    assert_eq!((o.value, o.source_id()), (Some(70.0), "83818NED"));
    assert!(o.sources[0].title.contains("wijken 2017 (83818NED)"), "{}", o.sources[0].title);
    assert_eq!(ds.get("wmo", TOTAAL, "WK999000", 2018).unwrap().source_id(), "84421NED");

    let ctx = Context::new(&ds, Some(2024));
    let trend = |code: &str| {
        let p = ctx.profile(code, &Options::default()).unwrap();
        p.indicator("wmo").unwrap().trend.clone()
    };
    // Centrum: 2017–2019 one line; the first half of 2024 (the fixture's 85995NED) is
    // another series, so the line breaks there.
    let c = trend("WK999000");
    let years: Vec<(i32, bool, bool)> = c.iter().map(|t| (t.year, t.break_before, t.redivided)).collect();
    assert_eq!(years, vec![(2017, false, false), (2018, false, false), (2019, false, false), (2024, true, false)]);
    // Noord: re-bounded in 2019, so 2018 and 2019 are not joined.
    let n = trend("WK999001");
    let at = |y: i32| n.iter().find(|t| t.year == y).unwrap();
    assert!(at(2019).break_before && at(2019).redivided);
    assert!(!at(2018).break_before);
}

#[test]
fn misdrijven_without_a_period_take_the_year_of_their_edition() {
    let csv = "\u{feff}ID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;Indelingswijziging_4;AantalInwoners_5;TotaalVermogenVernielingEnGeweld_6;TotaalVermogensmisdrijven_7;TotaalDiefstalUitWoningSchuurED_13;TotaalVernielingTegenOpenbareOrde_17;TotaalGeweldsEnSeksueleMisdrijven_22\n\
        0;Voorbeeldstad;Voorbeeldstad                 ;Gemeente;GM9990    ;;47000;2100.0;1400.0;150.0;420.0;280.0\n\
        1;Centrum;Voorbeeldstad                 ;Wijk    ;WK999000  ;1.0;12000;900.0;620.0;40.0;170.0;110.0\n";
    let (dir, src) = store_with(&[("83903NED.csv", csv.as_bytes().to_vec())]);
    let ds = dataset(dir.path());
    let o = ds.get("vermogensmisdrijven", TOTAAL, "WK999000", 2016).unwrap();
    assert_eq!(o.source_id(), "83903NED");
    assert!((o.value.unwrap() - 620.0 / 12000.0 * 1000.0).abs() < 1e-9);
    assert!(ds.get("vermogensmisdrijven", TOTAAL, "WK999000", 2018).is_none(), "never posed as 2018");

    // The same file without its table id or a year in the name: said, with a hint.
    let nameless = src.path().join("misdrijven.csv");
    std::fs::write(&nameless, csv).unwrap();
    let before = snapshot_dir(dir.path());
    wijkmonitor(dir.path())
        .args(["data", "import"])
        .arg(&nameless)
        .assert()
        .failure()
        .stderr(predicate::str::contains("niet te zien voor welk jaar"))
        .stderr(predicate::str::contains("hint:").and(predicate::str::contains("83903NED.csv voor 2016")));
    assert_eq!(before, snapshot_dir(dir.path()));
}

/// RIVM's "Gezondheid per wijk en buurt" (50090NED) as a workbook of the raw table:
/// OData keys, Leeftijd 20300 = 18+, 80200 = 65+.
fn rivm_workbook(path: &Path, rows: &[(&str, &str, &str, f64, f64)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("50090NED").unwrap();
    let header = [
        "ID",
        "Leeftijd",
        "Marges",
        "WijkenEnBuurten",
        "Perioden",
        "Gemeentenaam_1",
        "SoortRegio_2",
        "Codering_3",
        "ErvarenGezondheidGoedZeerGoed_4",
        "Eenzaam_28",
        "MoeiteMetRondkomen_38",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (r, (age, code, period, eenzaam, rondkomen)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let texts = [r.to_string(), age.to_string(), "MW00000".into(), format!("{code:<10}"), period.to_string()];
        for (c, t) in texts.iter().enumerate() {
            ws.write(r, c as u16, t.as_str()).unwrap();
        }
        ws.write(r, 5, "Voorbeeldstad                           ").unwrap();
        ws.write(r, 6, if code.starts_with("BU") { "Buurt     " } else { "Gemeente  " }).unwrap();
        ws.write(r, 7, format!("{code:<20}")).unwrap();
        // Numbers as RIVM's file has them: text padded with spaces.
        ws.write(r, 8, "    77.0").unwrap();
        ws.write(r, 9, format!("{eenzaam:>8.1}")).unwrap();
        ws.write(r, 10, format!("{rondkomen:>8.1}")).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn rivm_health_workbook_gives_every_buurt_its_figures_credited_to_rivm() {
    let files = tempfile::tempdir().unwrap();
    let adults = files.path().join("RIVM_gezondheid2020_18plus.xlsx");
    rivm_workbook(
        &adults,
        &[
            ("20300", "GM9990", "2020JJ00", 49.0, 17.0),
            ("20300", "BU99900000", "2020JJ00", 58.2, 27.2),
            ("20300", "BU99900000", "2016JJ00", 55.0, 36.0),
            ("80200", "BU99900000", "2020JJ00", 61.0, 9.0),
        ],
    );
    let (dir, _src) = store_with(&[]);
    wijkmonitor(dir.path()).args(["data", "import"]).arg(&adults).assert().success();
    let ds = dataset(dir.path());
    let o = ds.get("eenzaamheid", TOTAAL, "BU99900000", 2020).unwrap();
    assert_eq!(o.value, Some(58.2), "the 18+ row, not the 65+ one");
    assert_eq!(o.source_id(), "50090NED");
    assert!(!o.sources[0].cbs && o.sources[0].title.starts_with("RIVM"), "{:?}", o.sources[0]);
    assert_eq!(ds.get("moeite_rondkomen", TOTAAL, "BU99900000", 2016).unwrap().value, Some(36.0));

    // A workbook with only the 65+ rows: imported as nothing, and said why.
    let elderly = files.path().join("RIVM_gezondheid2020_65plus.xlsx");
    rivm_workbook(&elderly, &[("80200", "BU99900000", "2020JJ00", 61.0, 9.0)]);
    wijkmonitor(dir.path())
        .args(["data", "import"])
        .arg(&elderly)
        .assert()
        .success()
        .stderr(predicate::str::contains("geen rijen met Leeftijd").and(predicate::str::contains("50090NED")));
}

#[test]
fn ses_woa_from_two_tables_and_a_website_export_with_nederland_zero_by_definition() {
    let odata = |households: u32, gm: f64| {
        format!(
            "\u{feff}ID;WijkenEnBuurten;Perioden;RegiocodeGemeenteWijkBuurt_1;ParticuliereHuishoudens_2;Ondergrens95Interval_15;Bovengrens95Interval_17;Ondergrens95Interval_18;Bovengrens95Interval_20;Ondergrens95Interval_21;Bovengrens95Interval_23;Ondergrens95Interval_28;GemiddeldeScore_29;Bovengrens95Interval_30;GemiddeldeScore_31;Ondergrens95Interval_36;Waarde_16;Waarde_19;Waarde_22;Waarde_37\n\
             0;Voorbeeldstad;2019;GM9990    ;{households};18.0;22.0;28.0;32.0;48.0;52.0;-0.2;{gm};0.0;0.1;0.9;20.0;30.0;50.0;0.95\n\
             1;Centrum;2019;WK999000  ;5000;23.0;27.0;28.0;32.0;43.0;47.0;-0.5;-0.35;-0.2;-0.1;1.0;25.0;30.0;45.0;1.10\n"
        )
        .into_bytes()
    };
    let web = "\"Perioden\";\"Wijken en buurten\";\"Regiocode (gemeente, wijk, buurt) (code)\";\"Particuliere huishoudens (Aantal)\";\"SES-WOA/Totaalscore/Gemiddelde score (Getal)\";\"Spreiding/Spreiding totaal/Waarde (Getal)\"\n\
               \"2019\";\"Voorbeeldstad\";\"GM9990    \";\"  21000\";\"  -0.120\";\"   0.980\"\n\
               \"2019\";\"Noord\";\"WK999001  \";\"   8000\";\"       .\";\"       .\"\n";
    let (dir, _src) = store_with(&[
        ("SES_WOA_scores_per_wijk_en_buurt.csv", web.as_bytes().to_vec()),
        ("85163NED.csv", odata(21000, -0.10)),
        ("86092NED.csv", odata(21100, -0.08)),
    ]);
    let ds = dataset(dir.path());
    // The newer table wins where both have the region and year; the score is the
    // first GemiddeldeScore column, the spread the fourth Waarde.
    let gm = ds.get("ses_woa", TOTAAL, "GM9990", 2019).unwrap();
    assert_eq!((gm.value, gm.source_id()), (Some(-0.08), "86092NED"));
    assert_eq!(ds.get("ses_woa_spreiding", TOTAAL, "WK999000", 2019).unwrap().value, Some(1.10));
    // "." in the website export is secret, never 0.
    let noord = ds.get("ses_woa", TOTAAL, "WK999001", 2019).unwrap();
    assert!(noord.value.is_none() && noord.suppressed);
    // Nederland is 0 by the score's definition, and says so.
    let nl = ds.get("ses_woa", TOTAAL, "NL01", 2019).unwrap();
    assert_eq!(nl.value, Some(0.0));
    assert_eq!(nl.national.as_deref(), Some(&wijkmonitor::model::NationalMethod::Definition));
    let p = Context::new(&ds, Some(2024)).profile("WK999000", &Options::default()).unwrap();
    let i = p.indicator("ses_woa").unwrap();
    assert_eq!(i.area.year, Some(2019), "an old figure keeps its year");
    assert_eq!(i.vs_nederland.step, Ok(wijkmonitor::compare::Step::ClearlyLower));
    // The interval CBS publishes around the total score (the fourth Ondergrens and
    // Bovengrens columns, not the education levels' before them) comes with it, and
    // is printed with the year.
    assert_eq!(i.interval, Some((-0.5, -0.2)));
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("w.pdf");
    wijkmonitor(dir.path()).args(["factsheet", "WK999000", "--date", "2026-11-23", "-o"]).arg(&pdf).assert().success();
    let text = common::pdf_prose(&pdf);
    assert!(text.contains("95%-interval −0,50 tot −0,20"), "{text}");
    // Where the interval holds Nederland's 0 there is no difference to speak of: the
    // gemeente's −0,08 (86092NED, interval −0,2 to 0,0) is vergelijkbaar, not lager.
    let p = Context::new(&ds, Some(2024)).profile("GM9990", &Options::default()).unwrap();
    let g = p.indicator("ses_woa").unwrap();
    assert_eq!((g.area.value, g.interval), (Some(-0.08), Some((-0.2, 0.0))));
    assert_eq!(g.vs_nederland.step, Ok(wijkmonitor::compare::Step::Comparable));
}

#[test]
fn a_renumbered_wijk_with_the_same_boundaries_keeps_its_earlier_figures() {
    // KWB 2022 as a workbook: Centrum of Voorbeeldstad was WK999009 then.
    let files = tempfile::tempdir().unwrap();
    let kwb = files.path().join("kwb-2022.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("kwb-2022").unwrap();
    for (c, h) in ["gwb_code_10", "regio", "gm_naam", "recs", "a_inw"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (r, row) in
        [["GM9990", "Voorbeeldstad", "Voorbeeldstad", "Gemeente"], ["WK999009", "Centrum", "Voorbeeldstad", "Wijk"]]
            .iter()
            .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            ws.write(r as u32 + 1, c as u16, *cell).unwrap();
        }
        ws.write(r as u32 + 1, 4, 12000.0).unwrap();
    }
    wb.save(&kwb).unwrap();
    let (dir, _src) = store_with(&[
        ("85376NED.csv", wmo_edition(2022, &[("WK999009", "Centrum", "1.0", 66.0)])),
        // 2023: new code, CBS marks "code changed, boundaries the same" (2).
        ("85638NED.csv", wmo_edition(2023, &[("WK999000", "Centrum", "2.0", 68.0)])),
    ]);
    wijkmonitor(dir.path()).args(["data", "import"]).arg(&kwb).assert().success();
    let ds = dataset(dir.path());
    assert_eq!(ds.renumbered_from("WK999000"), Some(("WK999009", 2023)));
    assert_eq!(ds.get("wmo", TOTAAL, "WK999000", 2022).unwrap().value, Some(66.0));
    let p = Context::new(&ds, Some(2024)).profile("WK999000", &Options::default()).unwrap();
    let years: Vec<(i32, bool)> = p.indicator("wmo").unwrap().trend.iter().map(|t| (t.year, t.break_before)).collect();
    assert_eq!(&years[..2], &[(2022, false), (2023, false)], "{years:?}");
    assert_eq!(p.renumbered_from, Some(("WK999009".to_string(), 2023)));
    // The old code is no longer listed as "other figures elsewhere".
    assert!(p.earlier_codes.is_empty(), "{:?}", p.earlier_codes);
}

#[test]
fn another_publishers_buurt_outlines_are_credited_on_the_map() {
    let square = |x: f64| format!("[[[{x},52.0],[{},52.0],[{},52.01],[{x},52.01],[{x},52.0]]]", x + 0.01, x + 0.01);
    let geojson = format!(
        r#"{{"type":"FeatureCollection","features":[
        {{"type":"Feature","geometry":{{"type":"Polygon","coordinates":{}}},"properties":{{"naam":"Centrum","code":"AA01","cbsCode":"BU99900000","ligtInWijkId":"1","beginGeldigheid":"2022-03-24T00:00:00"}}}},
        {{"type":"Feature","geometry":{{"type":"Polygon","coordinates":{}}},"properties":{{"naam":"Havenkwartier","code":"AA02","cbsCode":"BU99900001","ligtInWijkId":"1","beginGeldigheid":"2022-03-24T00:00:00"}}}}]}}"#,
        square(4.90),
        square(4.91)
    );
    let (dir, _src) = store_with(&[("buurten.geojson", geojson.into_bytes())]);
    let ds = dataset(dir.path());
    assert_eq!(ds.geometry["BU99900000"].source, "Gemeente Amsterdam, Gebieden: buurten");
    let p = Context::new(&ds, None).profile("WK999000", &Options::default()).unwrap();
    let svg = wijkmonitor::charts::map::buurten(&ds.geometry, &p).unwrap();
    assert!(svg.contains("Grenzen: Gemeente Amsterdam"), "the map names who drew the outlines");
    // No registry entries from another publisher's file: the names stay CBS's.
    assert_eq!(ds.registry.get("BU99900001").unwrap().name, "Havenkwartier");
}

#[test]
fn a_table_with_region_names_only_is_placed_in_table_order_within_its_gemeente() {
    // 86089NED as a dump that replaced the region keys by their titles: no codes, no
    // level, no gemeente column. "Centrum" is both a wijk and a buurt of Voorbeeldstad;
    // "Molenhoek" is a buurt of Voorbeeldstad only, so under Rivierdal it is not placed.
    let mut csv = String::from(
        "\u{feff}ID;Geslacht;Leeftijd;WijkenEnBuurten;BeroepsEnNietBeroepsbevolking_1;WerkzameBeroepsbevolking_2;NettoArbeidsparticipatie_3;Werknemer_4;Zelfstandige_7\n",
    );
    for (k, (name, total, working, pct)) in [
        ("Nederland", 13315630, 9519120, 71.0),
        ("Voorbeeldstad", 36000, 25200, 70.0),
        ("Centrum", 9500, 6300, 66.0),
        ("Centrum", 7000, 4550, 65.0),
        ("Havenkwartier", 2500, 1750, 70.0),
        ("Noord", 15000, 10800, 72.0),
        ("Bloemenbuurt", 8800, 6400, 73.0),
        ("Nieuwe Hoeven", 400, 290, 72.0),
        ("Rivierdal", 16000, 11700, 73.0),
        ("Rivierdal-Centrum", 16000, 11700, 73.0),
        ("Kerkbuurt", 16000, 11700, 73.0),
        ("Molenhoek", 100, 70, 70.0),
    ]
    .iter()
    .enumerate()
    {
        csv.push_str(&format!(
            "{k};Totaal mannen en vrouwen;15 tot 75 jaar;{name};{total};{working};{pct:.1};85.0;15.0\n"
        ));
    }
    let (dir, _src) = store_with(&[("86089NED.csv", csv.into_bytes())]);
    let ds = dataset(dir.path());
    let at = |code: &str| ds.get("arbeidsparticipatie", TOTAAL, code, 2023).and_then(|o| o.value);
    assert_eq!(at("WK999000"), Some(66.0), "the first Centrum is the wijk");
    assert_eq!(at("BU99900000"), Some(65.0), "the second Centrum is its buurt");
    assert_eq!(at("BU99900001"), Some(70.0));
    assert_eq!(at("BU99910000"), Some(73.0));
    assert_eq!(at("BU99900101"), None, "never placed in another gemeente");
    assert_eq!(ds.get("arbeidsparticipatie", TOTAAL, "WK999000", 2023).unwrap().source_id(), "86089NED");
    // Every name that cannot be placed is reported, with the gemeente it was read in.
    let again = tempfile::tempdir().unwrap();
    let file = again.path().join("86089NED.csv");
    std::fs::write(&file, std::fs::read(_src.path().join("86089NED.csv")).unwrap()).unwrap();
    wijkmonitor(dir.path())
        .args(["data", "import"])
        .arg(&file)
        .assert()
        .success()
        .stderr(predicate::str::contains("2 gebiedsna(a)m(en)"))
        .stderr(predicate::str::contains("Nieuwe Hoeven (in Voorbeeldstad); Molenhoek (in Rivierdal)"));
}

#[test]
fn nabijheid_as_the_statline_website_exports_it_takes_its_year_from_the_file_name() {
    let csv = "\u{feff}\"Wijken en buurten\";\"Regioaanduiding/Gemeentenaam (naam)\";\"Regioaanduiding/Soort regio (omschrijving)\";\"Regioaanduiding/Codering (code)\";\"Regioaanduiding/Indelingswijziging wijken en buurten (code)\";\"Gezondheid en welzijn/Huisartsenpraktijk/Afstand tot huisartsenpraktijk (km)\";\"Detailhandel/Winkels dagelijkse boodschappen/Afstand tot grote supermarkt (km)\";\"Onderwijs/Basisonderwijs/Afstand tot school (km)\";\"Onderwijs/Voortgezet onderwijs/Voortgezet onderwijs totaal/Afstand tot school (km)\"\n\
               \"Voorbeeldstad\";\"Voorbeeldstad   \";\"Gemeente  \";\"GM9990    \";\"1\";\"       .\";\"       .\";\"       .\";\"       .\"\n\
               \"Centrum\";\"Voorbeeldstad   \";\"Buurt     \";\"BU99900000\";\"1\";\"     0.6\";\"     0.4\";\"     0.3\";\"     1.9\"\n";
    let (dir, _src) = store_with(&[("Nabijheid_voorzieningen__buurt_2023.csv", csv.as_bytes().to_vec())]);
    let ds = dataset(dir.path());
    let at = |i: &str| ds.get(i, TOTAAL, "BU99900000", 2023).and_then(|o| o.value);
    assert_eq!((at("afstand_huisarts"), at("afstand_supermarkt")), (Some(0.6), Some(0.4)));
    assert_eq!(at("afstand_basisschool"), Some(0.3), "basisonderwijs, not voortgezet onderwijs");
    // "." (not yet published in this export) is no figure from this file, never 0 and
    // never a "geheim" that would hide another year's figure.
    assert!(ds.get("afstand_huisarts", TOTAAL, "GM9990", 2023).is_none());
}
