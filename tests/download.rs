//! `wijkmonitor data download` against a local imitation of the CBS OData feed
//! (tests/common/odata.rs) serving the demo tables: paging, key → title mapping,
//! year filters, retries, cut-off answers, the cache, and an unchanged store on failure.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::odata::{FaultKind, FeedServer};
use common::{fixture, snapshot_dir, wijkmonitor};
use predicates::prelude::*;
use predicates::str::contains;
use wijkmonitor::store::Store;

fn download(dir: &Path, server: &FeedServer, extra: &[&str]) -> Command {
    let mut c = wijkmonitor(dir);
    c.args(["data", "download", "--base-url", &server.base_url, "--retry-delay", "0.01", "--attempts", "3"])
        .args(["--pdok-url", &server.pdok_url, "--derden-url", &server.derden_url])
        .args(extra);
    c
}

/// The store's own files: everything but the response cache and the downloaded tables.
fn store_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot_dir(dir).into_iter().filter(|(n, _)| !n.starts_with("cache/") && !n.starts_with("downloads/")).collect()
}

fn requests(server: &FeedServer, needles: &[&str]) -> usize {
    server.log().iter().filter(|l| needles.iter().all(|n| l.contains(n))).count()
}

fn table_csv(dir: &Path, demo: bool) -> String {
    let mut c = wijkmonitor(dir);
    c.args(["table", "--format", "csv"]);
    if demo {
        c.arg("--demo");
    } else {
        c.arg("GM9990");
    }
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn downloads_every_table_page_by_page_and_gives_the_demo_figures() {
    let server = FeedServer::start(25);
    let dir = tempfile::tempdir().unwrap();
    let tables = server.tables().join(",");
    download(dir.path(), &server, &["--years", "2010-2024", "--tables", &tables])
        .assert()
        .success()
        .stderr(contains("85984NED"))
        .stderr(contains("86 rijen"));
    // Every demo table was asked for; the 86-row KWB table came in four pages of 25.
    for t in server.tables() {
        assert!(requests(&server, &[&format!("/{t}/UntypedDataSet")]) >= 1, "{t} not fetched");
    }
    assert_eq!(requests(&server, &["/85984NED/UntypedDataSet"]), 4);
    assert_eq!(requests(&server, &["/85984NED/UntypedDataSet", "$skip=75"]), 1);
    // Only the columns the source description reads were asked for (not Mannen_6).
    let kwb = server.log().into_iter().find(|l| l.contains("/85984NED/UntypedDataSet")).unwrap();
    assert!(
        kwb.contains("$select=WijkenEnBuurten,") && kwb.contains("AantalInwoners_5") && !kwb.contains("Mannen_6"),
        "{kwb}"
    );
    // The table filter went to the server as keys (Persoonskenmerken "Totaal personen").
    let all = requests(&server, &["/86088NED/UntypedDataSet"]);
    assert!(all > 0);
    assert_eq!(requests(&server, &["/86088NED/UntypedDataSet", "Persoonskenmerken eq 'A048000'"]), all);
    // Same figures as importing the demo files directly: keys were mapped back to titles,
    // padded region codes and period keys were understood, and the province row skipped.
    assert_eq!(table_csv(dir.path(), false), table_csv(tempfile::tempdir().unwrap().path(), true));
    // A factsheet can be made from the downloaded store.
    let pdf = dir.path().join("v.pdf");
    wijkmonitor(dir.path())
        .args(["factsheet", "Voorbeeldstad", "--date", "2026-11-23", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    assert!(common::pdf_text(&pdf).contains("Bron: CBS, 85984NED (2024)"));
}

#[test]
fn only_the_requested_years_are_fetched() {
    let server = FeedServer::start(1000);
    let dir = tempfile::tempdir().unwrap();
    download(dir.path(), &server, &["--tables", "85984NED,83648NED", "--years", "2023-2024"]).assert().success();
    assert_eq!(
        requests(&server, &["/83648NED/UntypedDataSet", "(Perioden eq '2023JJ00' or Perioden eq '2024JJ00')"]),
        1
    );
    let out = wijkmonitor(dir.path()).args(["data", "status", "--json"]).assert().success().get_output().stdout.clone();
    let status: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let years: Vec<i64> = status["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["indicator"] == "misdrijven" && c["level"] == "gemeente" && c["group"] == "totaal")
        .unwrap()["years"]
        .as_object()
        .unwrap()
        .keys()
        .map(|y| y.parse().unwrap())
        .collect();
    assert_eq!(years, [2023, 2024]);
    // A year the table does not have: its latest year instead, and the user is told.
    download(dir.path(), &server, &["--tables", "85036NED", "--years", "2030"])
        .assert()
        .success()
        .stderr(contains("het laatste jaar (2024)"));
}

#[test]
fn a_server_error_mid_way_is_retried_then_reported_and_the_store_is_unchanged() {
    let server = FeedServer::start(25);
    let dir = tempfile::tempdir().unwrap();
    wijkmonitor(dir.path()).args(["data", "import"]).arg(fixture("cbs")).assert().success();
    let before = store_files(dir.path());
    server.fault(&["/85984NED/UntypedDataSet", "$skip=50"], usize::MAX, FaultKind::Status(500));
    let kwb = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = Store::new(d)
            .load()
            .unwrap()
            .observations
            .iter()
            .filter(|o| o.source_id() == "85984NED")
            .map(|o| format!("{} {} {} {:?}", o.region, o.year, o.indicator, o.value))
            .collect();
        v.sort();
        v
    };
    let kwb_before = kwb(dir.path());
    download(dir.path(), &server, &["--tables", "86088NED,85984NED"])
        .assert()
        .failure()
        .stderr(contains("85984NED: CBS-tabel 85984NED: geen goed antwoord na 3 pogingen"))
        .stderr(contains("HTTP 500"))
        .stderr(contains("poging 2 van 3 mislukt (HTTP 500)"))
        .stderr(contains("hint: CBS is misschien druk"))
        .stderr(contains("1 van de 2 tabellen niet binnengekomen"));
    assert_eq!(requests(&server, &["/85984NED/UntypedDataSet", "$skip=50"]), 3);
    // The table that failed keeps its earlier figures; the one that arrived is imported.
    assert_eq!(kwb(dir.path()), kwb_before, "a failed table must leave its figures as they were");
    assert_ne!(store_files(dir.path()), before);
    assert!(table_csv(dir.path(), false).contains("werkloosheid"));
    // Once the server is well again, the next run resumes: pages that arrived come from
    // the cache, only the rest is fetched.
    server.heal();
    server.clear_log();
    download(dir.path(), &server, &["--tables", "86088NED,85984NED"])
        .assert()
        .success()
        .stderr(contains("uit de cache"));
    assert_eq!(requests(&server, &["/85984NED/UntypedDataSet"]), 2, "{:#?}", server.log());
    assert_eq!(requests(&server, &["/86088NED/"]), 0);
}

#[test]
fn transient_faults_and_cut_off_answers_are_retried() {
    let server = FeedServer::start(25);
    let dir = tempfile::tempdir().unwrap();
    server.fault(&["/86088NED/UntypedDataSet"], 2, FaultKind::Status(503));
    server.fault(&["/85995NED/UntypedDataSet"], 1, FaultKind::CutBody);
    server.fault(&["/85984NED/DataProperties"], 1, FaultKind::HalfJson);
    download(dir.path(), &server, &["--tables", "85984NED,86088NED,85995NED"])
        .assert()
        .success()
        .stderr(contains("poging 2 van 3 mislukt (HTTP 503)"))
        .stderr(contains("het antwoord is afgebroken"))
        .stderr(contains("het antwoord is onvolledige JSON"));
    let csv = table_csv(dir.path(), false);
    assert!(csv.contains("werkloosheid"), "{csv}");
    assert!(csv.contains("wmo"), "{csv}");
}

#[test]
fn a_persistently_truncated_table_fails_clearly_and_the_others_land() {
    let server = FeedServer::start(25);
    let dir = tempfile::tempdir().unwrap();
    server.fault(&["/86003NED/UntypedDataSet"], usize::MAX, FaultKind::CutBody);
    download(dir.path(), &server, &["--tables", "85984NED,86003NED"])
        .assert()
        .failure()
        .stderr(contains("86003NED: CBS-tabel 86003NED: geen goed antwoord na 3 pogingen"))
        .stderr(contains("het antwoord is afgebroken"));
    let csv = table_csv(dir.path(), false);
    assert!(csv.contains(",inwoners,") && !csv.contains("86003NED"), "{csv}");
    // When every table fails, an empty store stays empty and says what to run.
    let empty = tempfile::tempdir().unwrap();
    download(empty.path(), &server, &["--tables", "86003NED"]).assert().failure();
    assert!(store_files(empty.path()).is_empty());
    wijkmonitor(empty.path()).args(["factsheet", "Voorbeeldstad"]).assert().failure().stderr(contains("data download"));
}

#[test]
fn a_discontinued_table_or_an_html_page_does_not_block_the_others() {
    let server = FeedServer::start(25);
    let dir = tempfile::tempdir().unwrap();
    server.fault(&["/85995NED/DataProperties"], usize::MAX, FaultKind::Status(404));
    server.fault(&["/86003NED/DataProperties"], usize::MAX, FaultKind::Html);
    download(dir.path(), &server, &["--tables", "85984NED,85995NED,86003NED"])
        .assert()
        .failure()
        .stderr(contains("2 van de 3 tabellen niet binnengekomen"))
        .stderr(contains("85995NED").and(contains("HTTP 404")).and(contains("stopgezet")).and(contains("--tables")))
        .stderr(contains("86003NED").and(contains("een HTML-pagina")).and(contains("onvolledige JSON").not()));
    // HTML is not retried; the good table is in the store.
    assert_eq!(requests(&server, &["/86003NED/DataProperties"]), 1, "{:#?}", server.log());
    assert!(table_csv(dir.path(), false).contains(",inwoners,"));
}

#[test]
fn a_second_run_uses_the_cache_and_refresh_fetches_again() {
    let server = FeedServer::start(25);
    let dir = tempfile::tempdir().unwrap();
    download(dir.path(), &server, &["--tables", "85984NED,86088NED"]).assert().success();
    server.clear_log();
    download(dir.path(), &server, &["--tables", "85984NED,86088NED"])
        .assert()
        .success()
        .stderr(contains("uit de cache"));
    assert!(server.log().is_empty(), "{:#?}", server.log());
    download(dir.path(), &server, &["--tables", "85984NED,86088NED", "--refresh"]).assert().success();
    assert_eq!(requests(&server, &["/85984NED/UntypedDataSet"]), 4);
}

#[test]
fn unknown_tables_and_wrong_urls_are_clear_errors() {
    let server = FeedServer::start(25);
    let dir = tempfile::tempdir().unwrap();
    download(dir.path(), &server, &["--tables", "12345NED"])
        .assert()
        .failure()
        .stderr(contains("geen bronbeschrijving leest CBS-tabel '12345NED'"))
        .stderr(contains("hint: tabellen die wijkmonitor kan lezen:").and(contains("85984NED")));
    let wrong = server.base_url.replace("/ODataFeed/odata", "/ODataApi/wrong");
    let mut c = wijkmonitor(dir.path());
    c.args(["data", "download", "--tables", "86088NED", "--base-url", &wrong, "--retry-delay", "0"])
        .assert()
        .failure()
        .stderr(contains("HTTP 404"))
        .stderr(contains("hint: de tabel is misschien stopgezet"));
    // A 404 is not retried.
    assert_eq!(server.log().len(), 1, "{:#?}", server.log());
    assert!(store_files(dir.path()).is_empty());
}

#[test]
fn a_download_and_an_import_of_the_same_table_give_the_same_statuses() {
    // The demo's 86003NED has secret cells ("."): the typed data set would send them as
    // null (missing); the untyped one keeps the ".", so both ways store them as secret.
    let server = FeedServer::start(25);
    let (down, file) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    download(down.path(), &server, &["--tables", "85984NED,86003NED"]).assert().success();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    wijkmonitor(file.path())
        .args(["data", "import"])
        .arg(demo.join("85984NED_TypedDataSet.csv"))
        .arg(demo.join("86003NED_TypedDataSet.csv"))
        .assert()
        .success();
    let cells = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = Store::new(d)
            .load()
            .unwrap()
            .observations
            .iter()
            .filter(|o| o.source_id() == "86003NED")
            .map(|o| format!("{} {} {} {} {:?} {}", o.region, o.year, o.group, o.indicator, o.value, o.suppressed))
            .collect();
        v.sort();
        v
    };
    let (a, b) = (cells(down.path()), cells(file.path()));
    assert!(a.iter().any(|c| c.ends_with(" true")), "the table has secret cells: {a:#?}");
    assert_eq!(a, b);
}

/// What CBS really sent (recorded from the live feed by the CBSOData3.jl project, in
/// `../shared/data/odata-recordings/`), served by the test server as recorded.
fn recordings() -> Option<std::path::PathBuf> {
    common::shared("odata-recordings")
}

fn client_for(server: &FeedServer) -> wijkmonitor::ingest::download::Client {
    use wijkmonitor::ingest::download::{Client, Options, Years};
    Client::new(Options {
        base_url: server.base_url.clone(),
        years: Years::Only((1990..=2030).collect()),
        attempts: 1,
        retry_delay: std::time::Duration::ZERO,
        cache_dir: None,
        ..Default::default()
    })
}

#[test]
fn the_real_cbs_answers_are_read_whole() {
    let Some(rec) = recordings() else { return };
    let read = |f: &str| std::fs::read(rec.join(f)).unwrap();
    let server = FeedServer::start(25);
    // 80137ned as CBS sent it: DataProperties whose TopicGroups have "Key": "" (a
    // $select with an empty item gets a 400 from this server, as from a strict one),
    // the dimension lists and Perioden with Status. Its rows were recorded from the
    // typed set (675 rows, doubles as 7559.0); served under the untyped name the client
    // asks for, they are the same rows.
    for (entity, file) in [
        ("DataProperties", "meta_7.json"),
        ("Persoonskenmerken", "meta_4.json"),
        ("BedrijfstakkenSBI93", "meta_5.json"),
        ("Perioden", "meta_6.json"),
        ("UntypedDataSet", "meta_8.json"),
    ] {
        server.record("80137ned", entity, None, read(file));
    }
    let spec = wijkmonitor::ingest::spec::parse_spec(
        r#"
id = "80137ned"
title = "CBS, Banen en arbeidsvolume (beschrijving voor de test)"
released = "2020-01-01"
detect = ["Persoonskenmerken", "Totaal"]
period = "Perioden"
[region]
name = "Persoonskenmerken"
[[measure]]
indicator = "bijstand"
value = "Totaal"
"#,
        "80137ned.toml",
    )
    .unwrap();
    let d = client_for(&server).table(&spec, &mut |_| {}).unwrap_or_else(|e| panic!("{e}: {:#?}", server.log()));
    assert_eq!(d.rows, 675);
    let data = server.log().into_iter().find(|l| l.contains("/80137ned/UntypedDataSet")).unwrap();
    assert!(data.contains("$select=") && !data.contains(",,"), "{data}");

    // 83599NED: two recorded pages of the untyped set (10.000 and 5.504 rows, padded
    // values such as "   135.5"), the first with CBS's absolute odata.nextLink. Its
    // metadata was not recorded; the shapes below follow CBS's.
    let page1: serde_json::Value = serde_json::from_slice(&read("tables_2.json")).unwrap();
    let mut periods: Vec<String> = page1["value"]
        .as_array()
        .unwrap()
        .iter()
        .chain(
            serde_json::from_slice::<serde_json::Value>(&read("tables_3.json")).unwrap()["value"].as_array().unwrap(),
        )
        .map(|r| r["Perioden"].as_str().unwrap().to_string())
        .collect();
    periods.sort();
    periods.dedup();
    let props = serde_json::json!({"value": [
        {"ID": 0, "Position": 0, "Type": "Dimension", "Key": "BedrijfstakkenBranchesSBI2008", "Title": "Bedrijfstakken"},
        {"ID": 1, "Position": 1, "Type": "GeoDimension", "Key": "RegioS", "Title": "Regio's"},
        {"ID": 2, "Position": 2, "Type": "TimeDimension", "Key": "Perioden", "Title": "Perioden"},
        {"ID": 3, "Position": null, "Type": "TopicGroup", "Key": "", "Title": "Vacatures"},
        {"ID": 4, "Position": 3, "Type": "Topic", "Key": "OpenstaandeVacatures_1", "Title": "Openstaande vacatures"}
    ]});
    server.record("83599NED", "DataProperties", None, props.to_string().into_bytes());
    server.record(
        "83599NED",
        "BedrijfstakkenBranchesSBI2008",
        None,
        serde_json::json!({"value": [{"Key": "T001081", "Title": "A-U Alle economische activiteiten"}]})
            .to_string()
            .into_bytes(),
    );
    let perioden: Vec<serde_json::Value> =
        periods.iter().map(|k| serde_json::json!({"Key": k, "Title": k, "Status": "Definitief"})).collect();
    server.record("83599NED", "Perioden", None, serde_json::json!({"value": perioden}).to_string().into_bytes());
    server.record("83599NED", "UntypedDataSet", None, read("tables_2.json"));
    server.record("83599NED", "UntypedDataSet", Some(10000), read("tables_3.json"));
    let spec = wijkmonitor::ingest::spec::parse_spec(
        r#"
id = "83599NED"
title = "CBS, Vacatures (beschrijving voor de test)"
released = "2020-01-01"
detect = ["RegioS", "OpenstaandeVacatures"]
period = "Perioden"
[region]
name = "RegioS"
[[measure]]
indicator = "bijstand"
value = "OpenstaandeVacatures"
"#,
        "83599NED.toml",
    )
    .unwrap();
    server.clear_log();
    let d = client_for(&server).table(&spec, &mut |_| {}).unwrap_or_else(|e| panic!("{e}: {:#?}", server.log()));
    assert_eq!(d.rows, 15_504, "every row of both pages");
    // The absolute next link (opendata.cbs.nl, "OData") was followed on this server.
    assert_eq!(requests(&server, &["/83599NED/UntypedDataSet", "$skip=10000"]), 1, "{:#?}", server.log());
    // Padded keys and values arrive as CBS sent them, for the importer to trim.
    let doc: serde_json::Value = serde_json::from_slice(&d.json).unwrap();
    assert_eq!(doc["value"][0]["RegioS"], "NL01  ");
    assert_eq!(doc["value"][0]["OpenstaandeVacatures_1"], "   135.5");

    // A next link that leads back to a page already read (a server fault) ends with an
    // error, not an endless loop.
    server.record("83599NED", "UntypedDataSet", Some(10000), read("tables_2.json"));
    let e = client_for(&server).table(&spec, &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("dezelfde volgende pagina twee keer"), "{e}");
}

/// The outlines in the store after a download: (code, first point).
fn outlines(dir: &Path) -> Vec<(String, [f64; 2])> {
    let data = Store::new(dir).load().unwrap();
    data.geometry.iter().map(|g| (g.code.clone(), g.rings[0][0])).collect()
}

#[test]
fn outlines_come_from_pdok_page_by_page_and_give_a_wijk_its_buurten_map() {
    // 25 features a page at most: the 36 demo buurten take two pages, the last cut off
    // once and fetched again; the wijken come in RD New and land in WGS84.
    let server = FeedServer::start(25);
    server.layer_in_rd("wijken");
    server.fault(&["/pdok/2024/", "wijkenbuurten:buurten", "startIndex=25"], 1, FaultKind::CutBody);
    let dir = tempfile::tempdir().unwrap();
    let tables = server.tables().join(",");
    download(dir.path(), &server, &["--tables", &tables])
        .assert()
        .success()
        .stderr(contains("Kaarten 2024"))
        .stderr(contains("buurten   36 omtrekken (2 verzoeken)"))
        .stderr(contains("poging 1 van 3 mislukt"));
    assert_eq!(requests(&server, &["/pdok/2024/wfs/v1_0", "wijkenbuurten:buurten"]), 3);
    let shapes = outlines(dir.path());
    for level in ["GM", "WK", "BU"] {
        assert!(shapes.iter().any(|(c, _)| c.starts_with(level)), "no {level} outlines");
    }
    // RD New converted: every point lies in the Netherlands (lon 3–8, lat 50–54).
    for (code, [lon, lat]) in &shapes {
        assert!((3.0..8.0).contains(lon) && (50.0..54.0).contains(lat), "{code}: {lon},{lat}");
    }
    // A wijk's factsheet now has the map of its buurten, a buurt its place in the wijk.
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("centrum.pdf");
    wijkmonitor(dir.path()).args(["factsheet", "WK999000", "--date", "2026-11-23", "-o"]).arg(&pdf).assert().success();
    assert!(common::pdf_prose(&pdf).contains("De buurten van Centrum"));
    let pdf = out.path().join("noord.pdf");
    wijkmonitor(dir.path())
        .args(["factsheet", "BU99900000", "--date", "2026-11-23", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    assert!(common::pdf_prose(&pdf).contains("donker: deze buurt, tussen de andere buurten van de wijk"));
}

#[test]
fn an_empty_layer_is_said_and_no_maps_is_a_choice() {
    let server = FeedServer::start(1000);
    server.empty_layer("buurten");
    let dir = tempfile::tempdir().unwrap();
    download(dir.path(), &server, &["--tables", "85984NED"])
        .assert()
        .success()
        .stderr(contains("de PDOK-laag buurten 2024 is leeg"));
    assert!(!outlines(dir.path()).iter().any(|(c, _)| c.starts_with("BU")));
    // --zonder-kaarten: not one request to PDOK.
    let server = FeedServer::start(1000);
    let dir = tempfile::tempdir().unwrap();
    download(dir.path(), &server, &["--tables", "85984NED", "--zonder-kaarten"]).assert().success();
    assert_eq!(requests(&server, &["/pdok/"]), 0);
    assert!(outlines(dir.path()).is_empty());
}

#[test]
fn a_missing_pdok_year_fails_that_layer_only() {
    // PDOK without the year: the layers fail with a hint, the tables still land, exit 1.
    let server = FeedServer::start(1000);
    server.empty_layer("gemeenten");
    let dir = tempfile::tempdir().unwrap();
    let mut c = wijkmonitor(dir.path());
    c.args(["data", "download", "--base-url", &server.base_url, "--retry-delay", "0.01", "--attempts", "3"]).args([
        "--tables",
        "85984NED",
        "--pdok-url",
        &format!("{}/elders", server.pdok_url),
    ]);
    c.assert()
        .failure()
        .stderr(contains("3 van de 3 kaartlagen niet binnengekomen"))
        .stderr(contains("--zonder-kaarten"))
        // The server's 404, recognised by its status, gets the hint of a missing year.
        .stderr(contains("PDOK heeft deze laag misschien niet voor"));
    assert!(table_csv(dir.path(), false).contains(",inwoners,"));
}

/// The full download at the size of the real Netherlands, against the local server:
/// prints time, requests and bytes for docs/data.md. Not a check (no timed assertions);
/// run with `cargo test --release --test download -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_the_full_download_at_national_size() {
    let server = FeedServer::start(10_000);
    server.at_national_size();
    let dir = tempfile::tempdir().unwrap();
    let tables = server.tables().join(",");
    let t0 = std::time::Instant::now();
    let out = download(dir.path(), &server, &["--tables", &tables]).assert().success();
    let secs = t0.elapsed().as_secs_f64();
    print!("{}", String::from_utf8_lossy(&out.get_output().stderr));
    let size = |sub: &str| -> u64 { snapshot_dir(&dir.path().join(sub)).iter().map(|(_, b)| b.len() as u64).sum() };
    println!(
        "full download: {secs:.1} s, {} requests, downloads {:.1} MB, cache {:.1} MB, store {:.1} MB",
        server.log().len(),
        size("downloads") as f64 / 1e6,
        size("cache") as f64 / 1e6,
        store_files(dir.path()).iter().map(|(_, b)| b.len() as u64).sum::<u64>() as f64 / 1e6
    );
}
