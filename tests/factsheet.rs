//! End-to-end: the binary makes factsheets from the fixtures and the shipped demo data;
//! the PDF's text (pdftotext) must carry the key numbers, the rating words and the source
//! line; the same `--date` gives the same bytes; a broken template gives a diagnostic
//! with file and line.

mod common;

use common::{demo_factsheet, fixture, pdf_page_prose, pdf_pages, pdf_prose, pdf_text, wijkmonitor};
use predicates::str::contains;

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn factsheet_from_fixtures_has_numbers_sources_and_ratings() {
    let data = tempfile::tempdir().unwrap();
    wijkmonitor(data.path()).args(["data", "import"]).arg(fixture("cbs")).assert().success();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("noord.pdf");
    wijkmonitor(data.path())
        .args(["factsheet", "Noord", "--gemeente", "Voorbeeldstad", "--date", "2026-11-23", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    let text = normalise(&pdf_text(&pdf));
    // Title, level and gemeente.
    assert!(text.contains("Noord"), "{text}");
    assert!(text.contains("wijk in de gemeente Voorbeeldstad"), "{text}");
    // The date written out, and the source line with table id and year.
    assert!(text.contains("23 november 2026"), "{text}");
    assert!(text.contains("Bron: CBS, 85984NED (2024)"), "{text}");
    // A specific finding: the figure with its count and population, the benchmark, and
    // the verdict with its reason from the catalogue (2,0% against 2,6%: gunstiger, not
    // clearly so).
    let prose = pdf_prose(&pdf);
    assert!(
        prose.contains(
            "Bijstandsuitkering: 2,0% (330 van de 16.720 inwoners van 15 jaar en ouder) in Noord, tegen 2,6% in \
             Nederland; dat is 0,6 procentpunt lager (2024). Bijstand is het vangnet voor wie geen ander inkomen \
             heeft; minder inwoners met bijstand wijst op meer bestaanszekerheid."
        ),
        "{prose}"
    );
    // The fixed reading guide.
    assert!(text.contains("eerste signaal, geen oordeel"), "{text}");
    // The methodology quotes the rule.
    assert!(text.contains("0,5 procentpunt"), "{text}");
}

#[test]
fn demo_factsheet_is_complete_and_marked_fictional() {
    let data = tempfile::tempdir().unwrap(); // stays empty: the demo needs no store
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("demo.pdf");
    wijkmonitor(data.path()).args(["factsheet", "--demo", "--date", "2026-11-23", "-o"]).arg(&pdf).assert().success();
    let text = normalise(&pdf_text(&pdf));
    let pages = pdf_pages(&pdf);
    assert!((4..=8).contains(&pages), "{pages} pages: complete, and within the budget of a gemeente");
    // Every page says the figures are fictional.
    assert_eq!(text.matches("FICTIEVE GEGEVENS").count(), pages, "{text}");
    // Key numbers in Dutch format, counts next to percentages.
    assert!(text.contains("48.210"), "inwoners: {text}");
    let prose = pdf_prose(&pdf);
    assert!(prose.contains("Bijstandsuitkering: 4,8% (1.990 van de 41.473"), "{prose}");
    assert!(prose.contains("tegen 2,6% in Nederland; dat is 2,2 procentpunt hoger"), "{prose}");
    // Why it counts as ongunstig: the catalogue's reason for a higher figure.
    assert!(prose.contains("meer inwoners met bijstand wijst op minder bestaanszekerheid"), "{prose}");
    // Descriptive themes only say hoger/lager.
    assert!(text.contains("duidelijk lager"), "{text}");
    // Peers listed, herkomst per group, trends and every source table.
    assert!(text.contains("Vergelijkbare gebieden"), "{text}");
    assert!(text.contains("Per herkomstgroep"), "{text}");
    assert!(text.contains("dezelfde groep in Nederland"), "{text}");
    assert!(text.contains("Ontwikkeling door de jaren"), "{text}");
    for id in ["85984NED", "86003NED", "86088NED", "83648NED"] {
        assert!(text.contains(id), "{id} missing: {text}");
    }
}

#[test]
fn same_date_gives_identical_bytes() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a.pdf"), out.path().join("b.pdf"));
    for p in [&a, &b] {
        wijkmonitor(data.path()).args(["factsheet", "--demo", "--date", "2026-11-23", "-o"]).arg(p).assert().success();
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn table_export_matches_the_factsheet_figures() {
    let data = tempfile::tempdir().unwrap();
    let out = wijkmonitor(data.path()).args(["table", "--demo", "--format", "csv"]).assert().success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let header = csv.lines().next().unwrap();
    for col in [
        "indicator",
        "label",
        "theme",
        "year",
        "value",
        "count",
        "denominator",
        "gemeente",
        "nederland",
        "peer_median",
        "peer_min",
        "peer_max",
        "rating",
        "source",
    ] {
        assert!(header.split(',').any(|c| c == col), "{col} missing in {header}");
    }
    let bijstand = csv.lines().find(|l| l.contains(",bijstand,") && l.contains(",totaal,")).unwrap();
    assert!(bijstand.contains(",1990,41473,"), "{bijstand}");
    assert!(bijstand.contains("duidelijk ongunstiger"), "{bijstand}");
    let json = wijkmonitor(data.path()).args(["table", "--demo", "--format", "json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(v["region"]["code"], "GM9990");
    assert!(v["peers"].as_array().unwrap().len() >= 3);

    // The workbook: the same rows, the same bytes for the same --date.
    let dir = tempfile::tempdir().unwrap();
    let xlsx = |name: &str| {
        let path = dir.path().join(name);
        wijkmonitor(data.path())
            .args(["table", "--demo", "--format", "xlsx", "--date", "2026-11-23", "-o"])
            .arg(&path)
            .assert()
            .success();
        std::fs::read(path).unwrap()
    };
    let (a, b) = (xlsx("a.xlsx"), xlsx("b.xlsx"));
    assert!(a == b, "same --date must give identical workbooks");
    use calamine::Reader;
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(a)).unwrap();
    let sheet = wb.worksheet_range("Cijfers (fictief)").unwrap();
    assert_eq!(sheet.height(), csv.lines().count());
    let bijstand = sheet.rows().find(|r| r[6] == "bijstand" && r[7] == "iedereen").unwrap();
    assert_eq!(bijstand[12], calamine::Data::Float(1990.0));
    assert_eq!(bijstand[13], calamine::Data::Float(41473.0));
    wijkmonitor(data.path())
        .args(["table", "--demo", "--format", "xlsx", "--date", "23-11-2026", "-o"])
        .arg(dir.path().join("c.xlsx"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("hint: schrijf een datum tussen 1900 en 2100 als JJJJ-MM-DD"));
    assert!(!dir.path().join("c.xlsx").exists());
}

#[test]
fn broken_template_reports_file_and_line() {
    let data = tempfile::tempdir().unwrap();
    let tpl = tempfile::tempdir().unwrap();
    // A stijl.typ with a Typst error on line 3.
    std::fs::write(tpl.path().join("stijl.typ"), "#let inkt = black\n\n#let x = (\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("x.pdf");
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--date", "2026-11-23", "--templates"])
        .arg(tpl.path())
        .arg("-o")
        .arg(&pdf)
        .assert()
        .failure()
        .stderr(contains("error:"))
        // The user's own file, where it is (not the shipped report-templates/stijl.typ).
        .stderr(contains(format!("{}:3:", tpl.path().join("stijl.typ").display())))
        .stderr(contains("hint:"));
    assert!(!pdf.exists(), "no half-written output");

    // A broken sentence template names the file and the sentence.
    let tpl2 = tempfile::tempdir().unwrap();
    let mut zinnen =
        String::from_utf8(std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/report-templates/zinnen.toml")).unwrap())
            .unwrap();
    zinnen = zinnen.replace("reden = \"\"\"{{ reden }}", "reden = \"\"\"{{ reden ");
    std::fs::write(tpl2.path().join("zinnen.toml"), zinnen).unwrap();
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--templates"])
        .arg(tpl2.path())
        .arg("-o")
        .arg(&pdf)
        .assert()
        .failure()
        .stderr(contains("zinnen.toml:"))
        .stderr(contains("zin `reden`"));
}

#[test]
fn unknown_and_ambiguous_regions_get_hints() {
    let data = tempfile::tempdir().unwrap();
    wijkmonitor(data.path())
        .args(["factsheet", "Voorbeeldsatd", "--demo"])
        .assert()
        .failure()
        .stderr(contains("geen gemeente, wijk of buurt met de naam 'Voorbeeldsatd'"))
        .stderr(contains("hint: bedoelde u: Voorbeeldstad"));
    wijkmonitor(data.path())
        .args(["factsheet", "Kern", "--demo"])
        .assert()
        .failure()
        .stderr(contains("hint: voeg --gemeente"));
}

#[test]
fn empty_store_says_what_to_run() {
    let data = tempfile::tempdir().unwrap();
    wijkmonitor(data.path())
        .args(["factsheet", "Utrecht"])
        .assert()
        .failure()
        .stderr(contains("is leeg"))
        .stderr(contains("data download"))
        .stderr(contains("data import MAP"))
        .stderr(contains("--demo"));
}

#[test]
fn page_budgets_and_the_two_page_version() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // The full factsheet stays within its budget for every level; --kort is exactly two
    // pages for each. Every sentence of both passes the consistency check (`--check`
    // exits 1 when one contradicts its figures).
    for (region, full_max) in [("GM9990", 8), ("WK999000", 6), ("BU99900000", 4)] {
        let pdf = demo_factsheet(data.path(), out.path(), region, &["--check"]);
        let pages = pdf_pages(&pdf);
        assert!(pages <= full_max, "{region}: {pages} pages");
        let kort = demo_factsheet(data.path(), out.path(), region, &["--kort", "--check"]);
        assert_eq!(pdf_pages(&kort), 2, "{region} --kort");
        let text = pdf_prose(&kort);
        assert!(text.contains("Om over te praten") && text.contains("Wat gaat goed"), "{text}");
        assert!(
            text.contains("De cijfers op een rij") && text.contains("Bron: CBS,") && text.contains("85984NED (2024)"),
            "{text}"
        );
        assert_eq!(text.matches("FICTIEVE GEGEVENS").count(), 2, "{text}");
    }
}

#[test]
fn the_check_fails_a_sentence_that_contradicts_its_table() {
    // A gemeente's own wording that always says "nothing differs clearly" (the defect of
    // issue 27): the check names the theme and the rows, and exits 1; the shipped
    // wording passes.
    let data = tempfile::tempdir().unwrap();
    let own = tempfile::tempdir().unwrap();
    std::fs::write(
        own.path().join("zinnen.toml"),
        "[zinnen]\nthema_duidelijk = \"Geen van de indicatoren in dit thema wijkt duidelijk af van {{ referentienaam }}.\"\n",
    )
    .unwrap();
    let out = own.path().join("x.pdf");
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--check", "--date", "2026-11-23", "-o"])
        .arg(&out)
        .arg("--templates")
        .arg(own.path())
        .assert()
        .failure()
        .code(1)
        .stderr(contains("controle: Arbeid & inkomen: de samenvatting zegt dat niets duidelijk afwijkt"))
        .stderr(contains("bijstandsuitkering"));
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--check", "--date", "2026-11-23", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("controle: elke zin klopt met de cijfers ernaast"));
}

#[test]
fn page_one_of_the_demo_reads_as_before() {
    // What a raadslid reads in 30 seconds: the name, the headline numbers, the profile,
    // the findings with their reasons, the herkomst strip and the six themes. Review a
    // change with `cargo insta review`.
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for region in ["GM9990", "BU99900000"] {
        let pdf = demo_factsheet(data.path(), out.path(), region, &[]);
        insta::assert_snapshot!(format!("page_one_{region}"), pdf_page_prose(&pdf, 1));
    }
}

#[test]
fn dash_writes_the_pdf_to_standard_output_not_to_a_file_called_dash() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = wijkmonitor(data.path())
        .current_dir(dir.path())
        .args(["factsheet", "--demo", "--date", "2026-11-23", "-o", "-"])
        .assert()
        .success();
    let pdf = &out.get_output().stdout;
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 10_000, "{} bytes", pdf.len());
    assert!(!dir.path().join("-").exists(), "a file called - was written");
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("standaarduitvoer geschreven"), "{err}");
    // The table too.
    let out = wijkmonitor(data.path()).current_dir(dir.path()).args(["table", "--demo", "-o", "-"]).assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).starts_with("region,region_name,"), "csv header");
    assert!(!dir.path().join("-").exists());
}

/// Where the reader meets the achterstandsindex, on the demo: page one of the wijk and
/// the buurt has the block (the picture, the sentence from its rows, what was not
/// scored and why, the recipe), the short version its line, the gemeente its own block,
/// `table` its rows; `--index-config` with a changed weight computes
/// it now and names that file; `--check` passes on all of them.
#[test]
fn the_demo_sheets_show_the_achterstandsindex() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for region in ["WK999000", "BU99900000"] {
        let pdf = demo_factsheet(data.path(), out.path(), region, &["--check"]);
        let page = pdf_page_prose(&pdf, 1).replace('\n', " ");
        assert!(page.contains("Achterstandsindex"), "{region}: {page}");
        assert!(page.contains("geen totaal van de achterstandsindex berekend"), "{region}: {page}");
        assert!(page.contains("Niet berekend: geen cijfers voor inkomen"), "{region}: {page}");
        assert!(page.contains("Gewichten en indicatoren: data/index.toml"), "{region}: {page}");
        assert!(page.contains("Werk") && page.contains("in Nederland"), "{region}: the picture's words: {page}");
        for word in ["probleemwijk", "slechtste", "herkomstgroep"] {
            assert!(!page.contains(word), "{region}: {word}");
        }
        let kort = demo_factsheet(data.path(), out.path(), region, &["--kort", "--check"]);
        assert!(pdf_prose(&kort).contains("Achterstand bij geld, werk, school, gezondheid en wonen"), "{region}");
    }
    let gm = demo_factsheet(data.path(), out.path(), "GM9990", &["--check"]);
    let text = pdf_prose(&gm);
    assert!(text.contains("Deciel 1 is het tiende deel van de gemeenten met de meeste achterstand"), "{text}");
    // The demo's wijken have figures of one domain, so no total: no map of totals that
    // would be all white (the map is tested with the real data).
    assert!(!text.contains("Achterstandsindex: deciel onder alle wijken van Nederland"), "{text}");
    // table: a row per domain, a domain not scored missing (never 0).
    let csv = wijkmonitor(data.path()).args(["table", "--demo", "WK999000", "--format", "csv"]).assert().success();
    let csv = String::from_utf8(csv.get_output().stdout.clone()).unwrap();
    let werk = csv.lines().find(|l| l.contains(",achterstandsindex_werk,")).expect("the werk row");
    assert!(werk.contains(",deciel,"), "{werk}");
    let inkomen = csv.lines().find(|l| l.contains(",achterstandsindex_inkomen,")).expect("the inkomen row");
    assert!(inkomen.contains(",missing,") && !inkomen.contains(",0,"), "{inkomen}");
    // An own recipe: computed now, named on the page.
    let recipe = out.path().join("eigen-recept.toml");
    let shipped = wijkmonitor(data.path()).args(["index", "--show-config"]).assert().success();
    let text = String::from_utf8(shipped.get_output().stdout.clone()).unwrap();
    std::fs::write(&recipe, text).unwrap();
    let pdf = out.path().join("eigen.pdf");
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "WK999000", "--check", "--date", "2026-11-23", "--index-config"])
        .arg(&recipe)
        .arg("-o")
        .arg(&pdf)
        .assert()
        .success();
    let page = pdf_page_prose(&pdf, 1).replace('\n', " ");
    assert!(page.contains("eigen-recept.toml (een eigen recept, --index-config)"), "{page}");
}

/// A store written before the achterstandsindex was kept (format version 1, no
/// `index.json`) still makes factsheets, without the block, and says once that a new
/// import brings it.
#[test]
fn a_store_of_an_earlier_version_says_that_importing_again_brings_the_index() {
    let data = tempfile::tempdir().unwrap();
    wijkmonitor(data.path()).args(["data", "import"]).arg(fixture("cbs")).assert().success();
    let generation = data.path().join(std::fs::read_to_string(data.path().join("CURRENT")).unwrap().trim());
    let out = tempfile::tempdir().unwrap();
    let make = |name: &str| {
        let pdf = out.path().join(name);
        let run = wijkmonitor(data.path())
            .args(["factsheet", "Noord", "--gemeente", "Voorbeeldstad", "--date", "2026-11-23", "-o"])
            .arg(&pdf)
            .assert()
            .success();
        (String::from_utf8(run.get_output().stderr.clone()).unwrap(), pdf_prose(&pdf))
    };
    let (said, text) = make("nu.pdf");
    assert!(!said.contains("eerdere versie"), "{said}");
    assert!(text.contains("Achterstandsindex"), "{text}");
    let format = generation.join("format.json");
    let old = std::fs::read_to_string(&format)
        .unwrap()
        .replace("\"version\":2", "\"version\":1")
        .replace(",\"index\":true", "");
    std::fs::write(&format, old).unwrap();
    std::fs::remove_file(generation.join("index.json")).unwrap();
    let (said, text) = make("oud.pdf");
    assert!(said.contains("eerdere versie van wijkmonitor") && said.contains("data import"), "{said}");
    assert!(!text.contains("Achterstandsindex"), "{text}");
}
