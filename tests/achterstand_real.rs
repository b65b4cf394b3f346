//! The achterstandsindex on the real CBS files in ../shared/data: the outside check
//! against CBS's SES-WOA (Spearman's ρ per level), the width of the intervals by
//! population, and the rules (a total only on five domains, the same seed the same
//! bytes). Prints the method's report of every level, the figures docs/achterstandsindex.md
//! quotes. Under CI=true the data must be there; elsewhere the test says it did not run.

mod common;

use common::{shared_data, wijkmonitor};
use wijkmonitor::compare::achterstand::{checks, Achterstand, IndexConfig, Report, Settings, TOTAL};
use wijkmonitor::model::{Catalogue, Level};
use wijkmonitor::session::Session;
use wijkmonitor::store::{Scope, Store};

fn rho(report: &Report, domain: &str) -> (f64, usize) {
    let c = report.ses_woa.correlations.iter().find(|c| c.domain == domain).unwrap();
    (c.rho.unwrap_or(f64::NAN), c.n)
}

#[test]
fn the_index_agrees_with_ses_woa_and_small_areas_show_wide_intervals() {
    let Some(raw) = shared_data() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but ../shared/data/raw is absent: the real-data test of the achterstandsindex cannot run"
        );
        eprintln!("../shared/data/raw not present: real-data test of the achterstandsindex not run");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    wijkmonitor(dir.path()).args(["data", "import"]).arg(&raw).assert().success();
    let config = IndexConfig::builtin(&Catalogue::builtin());
    let settings = Settings::default();
    let mut reports = Vec::new();
    for level in [Level::Gemeente, Level::Wijk, Level::Buurt] {
        let session = Session::open(Store::new(dir.path())).unwrap();
        let ds = session.dataset(&Scope::thin_level(level)).unwrap();
        let t = std::time::Instant::now();
        let (index, report) = Report::build(&ds, level, &config, &settings).unwrap();
        eprintln!("{}\n(berekend in {:.1} s)\n", report.text(), t.elapsed().as_secs_f64());
        // A total rests on at least five scored domains; a domain not scored has no
        // score, rank or decile (never 0).
        for r in &index.regions {
            if r.total.score.is_some() {
                assert!(r.total.used.len() >= config.min_domains, "{}: {:?}", r.code, r.total.used);
            }
            for d in &r.domains {
                assert_eq!(d.score.is_some(), d.nederland.is_some(), "{} {}", r.code, d.id);
            }
        }
        // The same seed, the same bytes.
        let again = Achterstand::compute(&ds, level, &config, &settings).unwrap();
        assert!(index.rows(None) == again.rows(None), "{level:?}: another run gave other rows");
        reports.push((level, index, report));
    }
    let (_, _, gemeenten) = &reports[0];
    let (_, _, wijken) = &reports[1];
    let (_, buurt_index, buurten) = &reports[2];
    // Strongly negative: more achterstand, lower socio-economic status.
    let (r, n) = rho(gemeenten, TOTAL);
    assert!(n >= 15 && r < -0.7, "gemeenten: ρ = {r} (n = {n})");
    let (r, n) = rho(wijken, TOTAL);
    assert!(n >= 150 && r < -0.8, "wijken: ρ = {r} (n = {n})");
    for domain in ["inkomen", "werk", "gezondheid"] {
        let (r, n) = rho(buurten, domain);
        assert!(n >= 300 && r < -0.6, "buurten, {domain}: ρ = {r} (n = {n})");
    }
    // Small areas are uncertain: of the smallest buurten a far larger share has an
    // interval wider than three deciles than of the largest.
    let widths = checks::widths(buurt_index, &buurten.widths_of);
    let (small, large) = (widths.first().unwrap(), widths.last().unwrap());
    let share = |w: &checks::Width| w.wide as f64 / w.areas as f64;
    assert!(share(small) > 0.5 && share(large) < 0.05, "{widths:?}");
    // The command prints the same report from the store.
    let out = wijkmonitor(dir.path()).args(["index", "--level", "wijk", "--check"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("Spearman") && text.contains("totaal         ρ = −0,"), "{text}");
    factsheets_show_the_index(dir.path(), &[&reports[1].1, &reports[2].1]);
}

/// Where the reader meets it: the factsheets of Feijenoord, Overvecht, Kolenkitbuurt-Noord
/// and a village buurt (Hijum in Leeuwarden, about 390 inwoners) show the block, from the
/// records the import stored (the same as the index computed from the whole level),
/// with the deciles the index has, within their page budgets and passing the check; the
/// short version has its line and stays at two pages; a gemeente's wijken page has the
/// map of their totals where most wijken have one.
fn factsheets_show_the_index(store: &std::path::Path, levels: &[&Achterstand]) {
    use wijkmonitor::compare::achterstand::Indexes;
    use wijkmonitor::narrate::achterstand::text;
    let out = tempfile::tempdir().unwrap();
    for (code, budget) in [("WK059910", 6), ("WK034403", 6), ("BU0363ED01", 4), ("BU00806305", 4)] {
        let computed = levels.iter().find_map(|l| l.of(code)).unwrap_or_else(|| panic!("{code} has an index"));
        let ds = Session::open(Store::new(store)).unwrap().dataset(&Scope::region(code)).unwrap();
        let stored = Indexes::stored(&ds).unwrap();
        // What the page prints (deciles, intervals, why not) is the same; a float read back
        // from JSON may differ in its last bit (serde_json's fast parser).
        let stored = stored.get(code).unwrap_or_else(|| panic!("{code}: no stored record"));
        assert_eq!(stored.profile(), computed.profile(), "{code}: the stored record is not the computed one");
        let pdf = checked_factsheet(store, out.path(), code, &[]);
        let prose = common::pdf_prose(&pdf);
        let said = text(&computed.name, computed);
        eprintln!("{code} {}: {}\n  {}\n", computed.name, said.sentences.join(" "), said.missing);
        assert!(prose.contains("Achterstandsindex") && prose.contains("index.toml van wijkmonitor"), "{code}: {prose}");
        for d in computed.domains.iter().filter(|d| d.nederland.is_some()) {
            let phrase = format!("{} (deciel {})", d.label.to_lowercase(), d.nederland.unwrap().decile);
            if said.sentences.iter().any(|s| s.contains(&phrase)) {
                assert!(prose.contains(&phrase), "{code}: '{phrase}' not on the page: {prose}");
            }
        }
        if computed.total.nederland.is_none() {
            assert!(prose.contains("geen totaal van de achterstandsindex berekend"), "{code}: {prose}");
        }
        let pages = common::pdf_pages(&pdf);
        assert!(pages <= budget, "{code}: {pages} pages, budget {budget}");
        let kort = checked_factsheet(store, out.path(), code, &["--kort"]);
        assert_eq!(common::pdf_pages(&kort), 2, "{code} kort");
        assert!(common::pdf_prose(&kort).contains("Achterstand bij geld, werk, school"), "{code} kort");
    }
    // A gemeente whose wijken mostly have a total (Groningen: 15 of 20) has their map
    // on its wijken page; one whose wijken have none (Rotterdam) has no white map.
    for (code, map) in [("GM0014", true), ("GM0599", false)] {
        let pdf = checked_factsheet(store, out.path(), code, &[]);
        let prose = common::pdf_prose(&pdf);
        assert_eq!(prose.contains("Achterstandsindex: deciel onder alle wijken van Nederland"), map, "{code}");
        assert!(common::pdf_pages(&pdf) <= 8, "{code}");
    }
}

/// A real factsheet of `code` made with `--check` (the command fails when a sentence
/// disagrees with its figures), written into `dir`; `extra` such as `--kort`.
fn checked_factsheet(store: &std::path::Path, dir: &std::path::Path, code: &str, extra: &[&str]) -> std::path::PathBuf {
    let pdf = dir.join(format!("{code}{}.pdf", extra.concat()));
    wijkmonitor(store)
        .args(["factsheet", code, "--check", "--date", "2026-11-23", "-o"])
        .arg(&pdf)
        .args(extra)
        .assert()
        .success();
    pdf
}
