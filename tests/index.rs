//! `wijkmonitor index`: the achterstandsindex of a level from a small fixture store (the
//! Kerncijfers fixture's two gemeenten with fictional outcome figures in tidy form):
//! rows sorted by code, the same bytes for the same seed, a changed weight changes the
//! ranks, a domain without figures is reported rather than scored as zero, the checks
//! are printed in Dutch, and a bad recipe is a clear error.

mod common;

use common::{fixture, wijkmonitor};
use predicates::str::contains;

/// A store with the Kerncijfers fixture's regions and the fictional outcome figures.
fn store() -> tempfile::TempDir {
    common::store_from(&[fixture("cbs/85984NED_kwb2024.csv"), fixture("index/cijfers.csv")])
}

fn index(data: &std::path::Path, args: &[&str]) -> String {
    let out = wijkmonitor(data).arg("index").args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn recipe() -> String {
    fixture("index/recept.toml").display().to_string()
}

#[test]
fn the_buurten_as_csv_sorted_by_code_with_the_total_first() {
    let data = store();
    let csv = index(data.path(), &["--level", "buurt", "--index-config", &recipe()]);
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with(
        "region,region_name,level,gemeente,domain,score,rank,rank_of,decile,decile_low,decile_high,indicators_used"
    ));
    let codes: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert!(codes.windows(2).all(|w| w[0] <= w[1]), "not sorted by code");
    assert_eq!(codes.len(), 7 * 6, "seven buurten, the total and five domains each");
    insta::assert_snapshot!("index_buurten_csv", csv);
}

#[test]
fn the_same_seed_gives_the_same_bytes_in_every_format() {
    let data = store();
    let dir = tempfile::tempdir().unwrap();
    for format in ["csv", "json", "xlsx"] {
        let file = |k: usize| dir.path().join(format!("{k}.{format}"));
        for k in 0..2 {
            let f = file(k);
            wijkmonitor(data.path())
                .args([
                    "index",
                    "--level",
                    "wijk",
                    "--index-config",
                    &recipe(),
                    "--format",
                    format,
                    "--date",
                    "2026-11-23",
                    "-o",
                ])
                .arg(&f)
                .assert()
                .success();
        }
        assert_eq!(std::fs::read(file(0)).unwrap(), std::fs::read(file(1)).unwrap(), "{format}");
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("0.json")).unwrap()).unwrap();
    assert_eq!(json["level"], "wijk");
    assert_eq!(json["weights_file"], "recept.toml");
    assert_eq!(json["rows"].as_array().unwrap().len(), 4 * 6);
}

#[test]
fn a_changed_weight_in_a_copied_recipe_changes_the_ranks() {
    let data = store();
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("index/recept.toml")).unwrap();
    // Woonomgeving from 9,3 to 80: the rapportcijfer now leads.
    let changed = text.replacen(
        "weight = 9.3\nmin_indicators = 1\n\n[[domain.indicator]]\nid = \"rapport",
        "weight = 80\nmin_indicators = 1\n\n[[domain.indicator]]\nid = \"rapport",
        1,
    );
    assert_ne!(changed, text);
    let own = dir.path().join("eigen.toml");
    std::fs::write(&own, changed).unwrap();
    let totals = |csv: &str| {
        csv.lines()
            .filter(|l| l.contains(",totaal,"))
            .map(|l| l.split(',').nth(6).unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let base = index(data.path(), &["--level", "buurt", "--index-config", &recipe(), "--draws", "0"]);
    let own = index(data.path(), &["--level", "buurt", "--index-config", own.to_str().unwrap(), "--draws", "0"]);
    assert_ne!(totals(&base), totals(&own));
}

#[test]
fn a_domain_without_figures_is_reported_and_never_zero() {
    let data = store();
    let csv = index(data.path(), &["--level", "buurt", "--index-config", &recipe()]);
    // Verspreide huizen Zuid (5 inwoners): every figure secret but the rapportcijfer.
    let tiny: Vec<&str> = csv.lines().filter(|l| l.starts_with("BU99900201,")).collect();
    assert_eq!(tiny.len(), 6);
    let total = tiny.iter().find(|l| l.contains(",totaal,")).unwrap();
    assert!(total.ends_with(",too_few_domains"), "{total}");
    assert!(total.contains(",totaal,,,,,,,woonomgeving,"), "no score, rank or decile: {total}");
    let werk = tiny.iter().find(|l| l.contains(",werk,")).unwrap();
    assert!(werk.contains(",werk,,,,,,,,") && werk.ends_with(",too_few_indicators"), "{werk}");
    // The shipped recipe needs five of seven domains; the fixture has figures for fewer.
    let shipped = index(data.path(), &["--level", "wijk", "--draws", "0"]);
    assert!(shipped.lines().filter(|l| l.contains(",totaal,")).all(|l| l.ends_with(",too_few_domains")), "{shipped}");
    assert!(shipped.lines().any(|l| l.contains(",werk,") && l.ends_with(",scored")));
}

#[test]
fn one_gemeente_keeps_the_ranks_of_the_whole_country() {
    let data = store();
    let all = index(data.path(), &["--level", "buurt", "--index-config", &recipe()]);
    let one = index(data.path(), &["--level", "buurt", "--index-config", &recipe(), "--gemeente", "Rivierdal"]);
    let lines: Vec<&str> = one.lines().skip(1).collect();
    assert_eq!(lines.len(), 6);
    for l in lines {
        assert!(l.starts_with("BU99910000,Kerkbuurt,buurt,GM9991,"), "{l}");
        assert!(all.contains(l), "ranked otherwise than in the whole: {l}");
    }
}

#[test]
fn the_check_prints_coverage_sensitivity_ses_woa_and_widths_in_dutch() {
    let data = store();
    let text = index(data.path(), &["--level", "buurt", "--index-config", &recipe(), "--check"]);
    for part in [
        "Achterstandsindex, toetsing: buurten",
        "Berekend",
        "Gevoeligheid",
        "gelijke gewichten",
        "zonder exponentiële transformatie",
        "SES-WOA",
        "geen SES-WOA-cijfers op dit niveau",
        "Breedte van het 90%-interval",
    ] {
        assert!(text.contains(part), "'{part}' missing:\n{text}");
    }
    let json = index(data.path(), &["--level", "buurt", "--index-config", &recipe(), "--check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["areas"], 7);
    assert_eq!(v["coverage"][0]["domain"], "totaal");
}

#[test]
fn a_bad_recipe_is_an_error_with_its_line_and_no_file_is_written() {
    let data = store();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("fout.toml");
    let text = std::fs::read_to_string(fixture("index/recept.toml"))
        .unwrap()
        .replace("\"bijstand\"", "\"herkomst_buiten_europa\"");
    std::fs::write(&bad, text).unwrap();
    let out = dir.path().join("uit.csv");
    wijkmonitor(data.path())
        .args(["index", "--level", "wijk", "--index-config"])
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("fout.toml:26"))
        .stderr(contains("herkomst is nooit een invoer"))
        .stderr(contains("hint:"));
    assert!(!out.exists());
}

#[test]
fn the_shipped_recipe_is_shown_to_be_copied_and_a_copy_gives_the_same_rows() {
    let data = store();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("kopie.toml");
    wijkmonitor(data.path()).args(["index", "--show-config", "-o"]).arg(&copy).assert().success();
    let text = std::fs::read_to_string(&copy).unwrap();
    assert!(text.contains("min_domains = 5") && text.contains("id = \"inkomen\""));
    let shipped = index(data.path(), &["--level", "wijk", "--draws", "0"]);
    let copied = index(data.path(), &["--level", "wijk", "--draws", "0", "--index-config", copy.to_str().unwrap()]);
    assert_eq!(shipped, copied);
    // Without a level there is nothing to compute.
    wijkmonitor(data.path()).arg("index").assert().code(2).stderr(contains("--level"));
}

#[test]
fn bench_times_the_index_of_every_buurt() {
    let data = store();
    wijkmonitor(data.path())
        .args(["bench", "--index", "buurt"])
        .assert()
        .success()
        .stdout(contains("index met 200 trekkingen"))
        .stdout(contains("(7 buurten)"));
}
