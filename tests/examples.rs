//! The commands of `examples/README.md`, run as written, so the examples stay true.

mod common;

use std::path::Path;

use common::{pdf_text, wijkmonitor};
use predicates::str::contains;

fn example(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

#[test]
fn buurtagenda_batch_makes_one_pdf_per_listed_wijk() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    wijkmonitor(data.path())
        .args(["batch", "--demo", "--date", "2026-11-23", "--codes"])
        .arg(example("buurtagenda-wijken.txt"))
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let mut pdfs: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    pdfs.sort();
    assert_eq!(pdfs, ["WK999005-havenkwartier.pdf", "WK999008-stationsgebied.pdf", "WK999009-oude-dorp.pdf"]);
    assert!(out.path().join("index.csv").is_file());
    assert!(out.path().join("cijfers.xlsx").is_file() && out.path().join("cijfers.csv").is_file());
}

#[test]
fn figures_go_to_a_spreadsheet() {
    let data = tempfile::tempdir().unwrap();
    let xlsx = data.path().join("havenkwartier.xlsx");
    wijkmonitor(data.path())
        .args(["table", "Havenkwartier", "--demo", "--format", "xlsx", "-o"])
        .arg(&xlsx)
        .assert()
        .success();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let overview = wb.worksheet_range("Overzicht (fictief)").unwrap();
    assert_eq!(overview.rows().nth(1).unwrap()[1].to_string(), "Havenkwartier");
}

#[test]
fn own_wording_replaces_only_its_sentences() {
    let data = tempfile::tempdir().unwrap();
    let pdf = data.path().join("voorbeeldstad.pdf");
    wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--date", "2026-11-23", "--templates"])
        .arg(example("eigen-zinnen"))
        .arg("-o")
        .arg(&pdf)
        .assert()
        .success();
    let text = pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Voorbeeldstad telt ") && text.contains(" inwoners op 1 januari 2024."),
        "own opening sentence missing"
    );
    assert!(text.contains("Deze cijfers laten zien wie er in het gebied wonen"), "own theme intro missing");
    assert!(text.contains("Bijstand is het vangnet"), "the shipped sentences stay");
}

#[test]
fn own_figures_appear_with_their_own_source_not_as_cbs() {
    let data = tempfile::tempdir().unwrap();
    wijkmonitor(data.path())
        .args(["data", "import"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo"))
        .arg(example("burgerpeiling-voorbeeldstad.csv"))
        .assert()
        .success()
        .stderr(contains("burgerpeiling-voorbeeldstad.csv (56 cijfers"));
    let pdf = data.path().join("havenkwartier.pdf");
    wijkmonitor(data.path())
        .args(["factsheet", "Havenkwartier", "--date", "2026-11-23", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    let text = pdf_text(&pdf);
    // The Veiligheid line names the Politie's table first; it may wrap.
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        folded.contains(
            "Burgerpeiling Voorbeeldstad (fictief) (2024); Landelijke vergelijkingscijfers (fictief) (2024)."
        ),
        "{text}"
    );
    assert!(!text.contains("CBS, Burgerpeiling"), "own figures must not be attributed to CBS");
    assert!(text.contains("Bron: CBS, 85984NED (2024)."));
    // Counts next to the percentage, from the respondents in the file.
    let prose = common::pdf_prose(&pdf);
    assert!(prose.contains("6,1% (12 van de 196"), "{prose}");
}
