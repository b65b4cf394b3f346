//! Hostile input, round two, the input side: every input has a bound. Workbooks are
//! sized by the cells they have and unpacked within limits, formulas without results
//! and duplicate regions are said, outlines and names cost bounded work, and a
//! template folder is read only for its templates. Fixtures are made here.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{snapshot_dir, wijkmonitor};
use predicates::prelude::*;
use predicates::str::contains;

const HEADER: [&str; 8] = ["gwb_code_10", "regio", "gm_naam", "recs", "a_inw", "a_00_14", "g_wozbag", "p_koopw"];

fn inline(col: &str, row: usize, text: &str) -> String {
    format!(r#"<c r="{col}{row}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// One KWB row (`r` is the sheet row) of a gemeente with `inwoners`.
fn kwb_row(r: usize, code: &str, inwoners: &str) -> String {
    let cols = ["A", "B", "C", "D", "E", "F", "G", "H"];
    let cells: String = [code, "Voorbeeldstad", "Voorbeeldstad", "Gemeente"]
        .iter()
        .zip(cols)
        .map(|(v, c)| inline(c, r, v))
        .chain(
            [inwoners, "6700", "312", "57"]
                .iter()
                .zip(&cols[4..])
                .map(|(v, c)| format!(r#"<c r="{c}{r}"><v>{v}</v></c>"#)),
        )
        .collect();
    format!(r#"<row r="{r}">{cells}</row>"#)
}

/// The sheet rows of a small KWB workbook: the header and one gemeente.
fn kwb_rows() -> String {
    let cols = ["A", "B", "C", "D", "E", "F", "G", "H"];
    let head: String = cols.iter().zip(HEADER).map(|(c, h)| inline(c, 1, h)).collect();
    format!(r#"<row r="1">{head}</row>{}"#, kwb_row(2, "GM9990", "48000"))
}

/// A workbook written part by part (as many tools other than Excel write them): one
/// sheet `kwb-2023` with `sheet_data` inside `<sheetData>`, and `shared` strings.
fn raw_workbook(path: &Path, sheet_data: &str, shared: &[&str]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="kwb-2023" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{n}" uniqueCount="{n}">{}</sst>"#,
                shared.iter().map(|s| format!("<si><t>{s}</t></si>")).collect::<String>(),
                n = shared.len()
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{sheet_data}</sheetData></worksheet>"#),
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

fn import(data: &Path, file: &Path) -> assert_cmd::assert::Assert {
    wijkmonitor(data).args(["data", "import"]).arg(file).timeout(Duration::from_secs(120)).assert()
}

#[test]
fn a_workbook_is_sized_by_its_cells_not_its_last_address() {
    let files = tempfile::tempdir().unwrap();
    for far in ["XFD1048576", "CV300000"] {
        let data = tempfile::tempdir().unwrap();
        let (col, row) = far.split_at(far.find(|c: char| c.is_ascii_digit()).unwrap());
        // A lone cell far out, in a row of its own: a row without a region, said with its
        // place (before: "memory allocation of 549755813888 bytes failed", exit 134).
        let path = files.path().join(format!("kwb-2023-{far}.xlsx"));
        raw_workbook(&path, &format!(r#"{}<row r="{row}"><c r="{far}"><v>1</v></c></row>"#, kwb_rows()), &[]);
        assert!(std::fs::metadata(&path).unwrap().len() < 4000);
        import(data.path(), &path).code(1).stderr(contains(format!("(blad kwb-2023):{row}:")).and(contains("hint:")));
        // The same far column in the header row: the table is read.
        let path = files.path().join(format!("kwb-2022-{far}.xlsx"));
        let rows = kwb_rows().replacen("</row>", &format!(r#"<c r="{col}1"><v>1</v></c></row>"#), 1);
        raw_workbook(&path, &rows, &[]);
        import(data.path(), &path).success();
        let table = wijkmonitor(data.path()).args(["table", "GM9990", "--format", "csv"]).assert().success();
        assert!(String::from_utf8_lossy(&table.get_output().stdout).contains("inwoners"), "{far}");
    }
}

#[test]
fn a_workbook_bomb_is_refused_while_it_is_unpacked() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    // One cell of 64 MB packs to about 64 kB.
    let bomb = files.path().join("kwb-2023.xlsx");
    let cell = "a".repeat(64 << 20);
    raw_workbook(&bomb, &format!(r#"{}<row r="3">{}</row>"#, kwb_rows(), inline("A", 3, &cell)), &[]);
    drop(cell);
    let before = snapshot_dir(data.path());
    import(data.path(), &bomb).failure().stderr(contains("pakt uit tot meer dan").and(contains("hint:")));
    // A cell past the field limit, small enough to pack normally.
    let long = files.path().join("kwb-2022.xlsx");
    raw_workbook(&long, &format!(r#"{}<row r="3">{}</row>"#, kwb_rows(), inline("A", 3, &"b".repeat(200_000))), &[]);
    import(data.path(), &long).failure().stderr(contains("een cel van meer dan 10000 tekens"));
    assert!(snapshot_dir(data.path()) == before, "a refused workbook changed the store");
}

#[test]
fn formulas_without_results_are_said_per_column_and_fail_a_key_column() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    // a_inw as a formula without a stored result, as tools other than Excel write it.
    let rows = kwb_rows().replace(r#"<c r="E2"><v>48000</v></c>"#, r#"<c r="E2"><f>F2*7</f></c>"#);
    let path = files.path().join("kwb-2023.xlsx");
    raw_workbook(&path, &rows, &[]);
    import(data.path(), &path)
        .success()
        .stderr(contains("kolom 'a_inw': 1 formulecel(len) zonder opgeslagen uitkomst").and(contains("regel 2")));
    // The region code as formulas: the file is refused, naming the column.
    let rows = kwb_rows().replace(&inline("A", 2, "GM9990"), r#"<c r="A2" t="str"><f>"GM"&amp;"9990"</f></c>"#);
    let path = files.path().join("kwb-2022.xlsx");
    raw_workbook(&path, &rows, &[]);
    let before = snapshot_dir(data.path());
    import(data.path(), &path).failure().stderr(contains("de sleutelkolom 'gwb_code_10' bestaat uit formules"));
    assert!(snapshot_dir(data.path()) == before);
}

#[test]
fn a_damaged_or_protected_workbook_says_what_is_wrong() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    // The sheet cut off in the middle of a row.
    let cut = files.path().join("kwb-2023.xlsx");
    let rows = kwb_rows();
    raw_workbook(&cut, &rows[..rows.len() - 40], &[]);
    import(data.path(), &cut)
        .failure()
        .stderr(contains("het blad is niet te lezen").and(contains("geen blad met een kopregel").not()));
    // A shared string that is not there.
    let bad = files.path().join("kwb-2022.xlsx");
    raw_workbook(
        &bad,
        &kwb_rows().replace(&inline("B", 2, "Voorbeeldstad"), r#"<c r="B2" t="s"><v>99</v></c>"#),
        &["x"],
    );
    import(data.path(), &bad)
        .failure()
        .stderr(contains("het blad is niet te lezen").and(contains("geen blad met een kopregel").not()));
    // Excel's encrypted package is an OLE file, not a zip.
    let locked = files.path().join("kwb-2021.xlsx");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    std::fs::write(&locked, ole).unwrap();
    import(data.path(), &locked).failure().stderr(contains("beveiligd met een wachtwoord").and(contains("EOCD").not()));
}

#[test]
fn names_to_match_have_a_bound() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let codes = files.path().join("codes.txt");
    let mut text = String::from("\u{feff}GM9990\n");
    // 20.000 unknown lines (each compared name by name took 4 ms, 100.000 took 5 minutes).
    for i in 0..20_000 {
        text.push_str(&format!("Geen Gebied Nummer {i} met een wat langere naam\n"));
    }
    text.push_str(&"x".repeat(1 << 20));
    text.push('\n');
    std::fs::write(&codes, text).unwrap();
    let out = files.path().join("uit");
    let run = wijkmonitor(data.path())
        .args(["batch", "--demo", "--date", "2026-11-23", "--codes"])
        .arg(&codes)
        .arg("-o")
        .arg(&out)
        .timeout(Duration::from_secs(60))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(
        err.contains("is te lang voor een gebiedsnaam") || err.contains("onbekende regels"),
        "{}",
        &err[..err.len().min(2000)]
    );
    // The byte-order mark is no part of the first code: GM9990 is made.
    let index: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    let first = &index.as_array().unwrap()[0];
    assert_eq!((first["region"].as_str(), first["status"].as_str()), (Some("GM9990"), Some("ok")), "{first}");
    // A region name of 120.000 characters on the command line.
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", &"Voorbeeldstad ".repeat(9000)])
        .timeout(Duration::from_secs(60))
        .assert()
        .failure()
        .stderr(contains("te lang voor de naam van een gemeente"));
}

#[test]
fn a_region_twice_with_other_figures_or_outlines_is_an_error_naming_both() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let second = kwb_rows() + &kwb_row(3, "GM9990", "51000");
    let path = files.path().join("kwb-2023.xlsx");
    raw_workbook(&path, &second, &[]);
    import(data.path(), &path)
        .failure()
        .stderr(contains("GM9990 staat twee keer in het bestand met verschillende cijfers").and(contains("regel 2")));

    let feature = |x: f64| {
        serde_json::json!({"type": "Feature", "properties": {"gemeentecode": "GM9990", "gemeentenaam": "Voorbeeldstad"},
            "geometry": {"type": "Polygon", "coordinates": [[[x, 52.1], [5.2, 52.1], [5.2, 52.3], [x, 52.1]]]}})
    };
    let geo = serde_json::json!({"type": "FeatureCollection", "features": [feature(4.9), feature(4.8), feature(4.7)]});
    let path = files.path().join("gemeenten_2024.geojson");
    std::fs::write(&path, geo.to_string()).unwrap();
    import(data.path(), &path)
        .failure()
        .stderr(contains("GM9990 heeft een tweede, andere omtrek").and(contains("object 1")));
}

#[test]
fn a_ring_of_a_hundred_thousand_points_is_capped_with_a_message() {
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    // A zigzag: every point is a corner, the worst case of the simplification.
    let n = 100_000;
    let ring: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let t = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = 0.1 + if i % 2 == 0 { 0.01 } else { 0.0 };
            [5.1 + r * t.cos(), 52.1 + r * t.sin()]
        })
        .chain(std::iter::once([5.2, 52.1]))
        .collect();
    let geo = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"gemeentecode": "GM9990", "gemeentenaam": "Voorbeeldstad"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]});
    let path = files.path().join("gemeenten_2024.geojson");
    std::fs::write(&path, geo.to_string()).unwrap();
    import(data.path(), &path)
        .success()
        .stderr(contains("een ring van 100.001 punten is voor de kaarten teruggebracht tot 10.000"));
}

#[test]
fn a_template_folder_is_read_only_for_its_templates_with_a_size_limit() {
    let data = tempfile::tempdir().unwrap();
    let own = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // A 3 GB video beside the templates (sparse: it takes no disk), never read.
    std::fs::File::create(own.path().join("film.mp4")).unwrap().set_len(3 << 30).unwrap();
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--date", "2026-11-23", "--templates"])
        .arg(own.path())
        .arg("-o")
        .arg(out.path().join("x.pdf"))
        .timeout(Duration::from_secs(120))
        .assert()
        .success()
        .stderr(contains("film.mp4: geen sjabloon").and(contains("niet gelezen")));
    // A template of 100 MB is refused by its size, unread.
    std::fs::File::create(own.path().join("stijl.typ")).unwrap().set_len(100 << 20).unwrap();
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--templates"])
        .arg(own.path())
        .arg("-o")
        .arg(out.path().join("y.pdf"))
        .assert()
        .failure()
        .stderr(contains("een sjabloon is hooguit 4 MB"));
}

fn shipped(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates").join(name)).unwrap()
}

#[test]
fn own_templates_are_laid_out_within_a_memory_budget_and_give_the_same_bytes() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // The shipped style as an own file: laid out in the worker, the same PDF.
    let own = tempfile::tempdir().unwrap();
    std::fs::write(own.path().join("stijl.typ"), shipped("stijl.typ")).unwrap();
    let make = |dir: Option<&Path>, name: &str| -> (bool, String, PathBuf) {
        let pdf = out.path().join(name);
        let mut c = wijkmonitor(data.path());
        c.args(["factsheet", "--demo", "--date", "2026-11-23", "-o"]).arg(&pdf).timeout(Duration::from_secs(180));
        if let Some(d) = dir {
            c.arg("--templates").arg(d);
        }
        let o = c.output().unwrap();
        (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned(), pdf)
    };
    let (ok, err, plain) = make(None, "plain.pdf");
    assert!(ok, "{err}");
    let (ok, err, worker) = make(Some(own.path()), "own.pdf");
    assert!(ok, "{err}");
    assert_eq!(std::fs::read(plain).unwrap(), std::fs::read(worker).unwrap(), "the worker changed the bytes");
    // Asking Typst for a billion-element array: a template error, not an abort.
    std::fs::write(own.path().join("stijl.typ"), format!("#let a = (0,)*1000000000\n{}", shipped("stijl.typ")))
        .unwrap();
    let (ok, err, pdf) = make(Some(own.path()), "big.pdf");
    assert!(!ok && !pdf.exists());
    assert!(err.contains("meer geheugen dan de grens") && err.contains("hint:"), "{err}");
    assert!(err.contains(&own.path().join("stijl.typ").display().to_string()), "{err}");
}
