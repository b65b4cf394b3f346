//! The short version for residents (`--kort`, the buurtagenda attachment) at B1 level:
//! none of the words of `report-templates/kort-woorden.toml` anywhere on its two pages,
//! short sentences, page one with who lives there (herkomst as one line with counts),
//! what goes well, what stands out and three questions to the people in the room, each
//! about another figure; page two with one comparison per figure and no rank. Checked
//! on every level of the demo; tests/real_data.rs checks the real reference areas.

mod common;

use common::{demo_factsheet, pdf_pages, pdf_text};
use wijkmonitor::compare::Options;
use wijkmonitor::document::kort::{sentences, unplain, word_list, words, AVERAGE_WORDS, LONGEST_WORDS};
use wijkmonitor::document::{Engine, Meta};
use wijkmonitor::report::Reporter;
use wijkmonitor::templates::Templates;

const REGIONS: [&str; 3] = ["GM9990", "WK999000", "BU99900000"];

fn with_views(f: impl Fn(&str, &wijkmonitor::document::View)) {
    // Through the session, as the CLI reads it: with the achterstandsindex's line.
    let ds = wijkmonitor::session::Session::demo().unwrap().dataset(&wijkmonitor::store::Scope::all()).unwrap();
    let templates = Templates::builtin().unwrap();
    let engine = Engine::new();
    let meta = Meta { date: "2026-11-23".into(), fictional: true, kort: true };
    let r = Reporter::new(&ds, &templates, &engine, Options::default(), meta);
    for region in REGIONS {
        let report = r.render(region).unwrap();
        assert_eq!(r.check(&report), Vec::new(), "{region}");
        f(region, &report.view);
    }
}

#[test]
fn the_short_version_uses_none_of_its_listed_words() {
    let list = word_list(&Templates::builtin().unwrap()).unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for region in REGIONS {
        let pdf = demo_factsheet(data.path(), out.path(), region, &["--kort"]);
        assert_eq!(pdf_pages(&pdf), 2, "{region}");
        let text = pdf_text(&pdf);
        assert_eq!(unplain(&text, &list), Vec::<String>::new(), "{region}: {text}");
        // The full version does use them: the list is not empty talk.
        let full = pdf_text(&demo_factsheet(data.path(), out.path(), region, &[]));
        assert!(!unplain(&full, &list).is_empty(), "{region}");
    }
}

#[test]
fn its_sentences_are_short() {
    with_views(|region, v| {
        let all = sentences(&v.kort_view);
        assert!(all.len() >= 8, "{region}: {all:?}");
        assert!(all.iter().any(|s| s.starts_with("Achterstand bij geld")), "{region}: the index's line: {all:?}");
        let counts: Vec<usize> = all.iter().map(|s| words(s)).collect();
        let average = counts.iter().sum::<usize>() as f64 / counts.len() as f64;
        eprintln!(
            "{region}: {} sentences, {average:.1} words on average, longest {}",
            all.len(),
            counts.iter().max().unwrap()
        );
        assert!(average <= AVERAGE_WORDS, "{region}: {average:.1} words per sentence: {all:?}");
        for (s, n) in all.iter().zip(&counts) {
            assert!(*n <= LONGEST_WORDS, "{region}: {n} words: {s}");
        }
    });
}

#[test]
fn page_one_tells_who_lives_there_what_goes_well_and_asks_the_room() {
    with_views(|region, v| {
        let (k, rows) = (&v.kort_view.text, &v.kort_view.rows);
        // Herkomst is one line of context with counts, not a picture.
        let herkomst: Vec<&String> = k.about.iter().filter(|s| s.starts_with("Herkomst van de inwoners:")).collect();
        assert_eq!(herkomst.len(), 1, "{region}: {:?}", k.about);
        assert!(herkomst[0].contains("Nederland ") && herkomst[0].contains('('), "{}", herkomst[0]);
        assert!(!k.tiles.is_empty(), "{region}");
        // What goes well: named whenever a figure for residents is better.
        let better = rows.iter().any(|r| r.word.ends_with("beter"));
        assert!(!better || k.good.iter().any(|g| g.word.ends_with("beter")), "{region}: {:?}", k.good);
        assert!(k.good.is_empty() != k.good_none.is_empty(), "{region}");
        // Three questions, to the reader, each about another figure, asked another way.
        assert_eq!(k.questions.len(), 3, "{region}: {:?}", k.questions);
        let about: Vec<&String> = k.questions.iter().filter_map(|q| q.indicator.as_ref()).collect();
        let mut distinct = about.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), about.len(), "{region}: {about:?}");
        for q in &k.questions {
            let words: Vec<&str> = q.text.split(|c: char| !c.is_alphanumeric()).collect();
            assert!(words.contains(&"u") || words.contains(&"we"), "{region}: {}", q.text);
            assert!(!q.text.contains("bewoners en professionals"), "{region}: third person: {}", q.text);
        }
    });
}

#[test]
fn page_two_compares_each_figure_once_without_a_rank() {
    with_views(|region, v| {
        let k = &v.kort_view;
        // About ten to twelve for residents (the demo has fewer sources).
        assert!((1..=12).contains(&k.rows.len()), "{region}: {} rows", k.rows.len());
        let gemeente = v.region.gemeente.clone().unwrap_or_default();
        for r in &k.rows {
            assert!(r.reference_name == "Nederland" || r.reference_name == gemeente, "{region}: {}", r.reference_name);
            // The number of the full factsheet's table, from the same comparison.
            let full =
                v.themes.iter().flat_map(|t| t.rows.iter().chain(&t.context_rows)).find(|x| x.indicator == r.indicator);
            let full = full.map(|x| x.value.as_str()).unwrap_or("");
            assert!(!full.is_empty() && r.value.starts_with(full), "{region}: {} {} / {full}", r.indicator, r.value);
        }
    });
    // No rank and no command-line text on the page.
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let text = pdf_text(&demo_factsheet(data.path(), out.path(), "WK999000", &["--kort"]));
    assert!(!text.contains("Plaats in") && !text.contains("1 = hoogste"), "{text}");
    assert!(!text.contains("wijkmonitor indicators") && !text.contains("--"), "{text}");
}
