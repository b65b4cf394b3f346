//! The comparison and the text for fixed inputs (the shipped fictional demo data):
//! snapshots of the Dutch sentences, and checks of the rules that the sentences rest on
//! (peers, small numbers, herkomst groups). Review changes with `cargo insta review`.

use wijkmonitor::compare::{NotRated, Options, Status};
use wijkmonitor::dataset::Dataset;
use wijkmonitor::document::{Engine, Meta};
use wijkmonitor::report::Reporter;
use wijkmonitor::templates::Templates;

fn demo() -> Dataset {
    wijkmonitor::session::Session::demo().unwrap().dataset(&wijkmonitor::store::Scope::all()).unwrap()
}

fn with_reporter<T>(f: impl FnOnce(&Reporter<'_>, &Templates) -> T) -> T {
    let ds = demo();
    let templates = Templates::builtin().unwrap();
    let engine = Engine::new();
    let r = Reporter::new(
        &ds,
        &templates,
        &engine,
        Options::default(),
        Meta { date: "2026-11-23".into(), fictional: true, kort: false },
    );
    f(&r, &templates)
}

#[test]
fn gemeente_text_snapshot() {
    with_reporter(|r, t| {
        let p = r.profile("GM9990").unwrap();
        let n = wijkmonitor::narrate::narrate(t, &p, &r.ctx.ds.catalogue).unwrap();
        insta::assert_yaml_snapshot!("voorbeeldstad_intro", n.intro);
        let highlights: Vec<String> =
            n.highlights.iter().map(|f| format!("[{}] {} {}", f.word, f.sentence, f.reason)).collect();
        insta::assert_yaml_snapshot!("voorbeeldstad_highlights", highlights);
        let themes: Vec<String> = n.themes.iter().map(|t| format!("{}: {} | {}", t.title, t.tile, t.summary)).collect();
        insta::assert_yaml_snapshot!("voorbeeldstad_themes", themes);
        insta::assert_yaml_snapshot!("voorbeeldstad_herkomst", n.herkomst);
        insta::assert_yaml_snapshot!("voorbeeldstad_peer_rule", n.peer_rule);
        insta::assert_yaml_snapshot!("voorbeeldstad_peer_method", n.peer_method);
    });
}

#[test]
fn wijk_text_snapshot() {
    with_reporter(|r, t| {
        let p = r.profile("WK999005").unwrap();
        let n = wijkmonitor::narrate::narrate(t, &p, &r.ctx.ds.catalogue).unwrap();
        let highlights: Vec<String> =
            n.highlights.iter().map(|f| format!("[{}] {} {}", f.word, f.sentence, f.reason)).collect();
        insta::assert_yaml_snapshot!("havenkwartier_highlights", (n.intro, highlights));
    });
}

#[test]
fn page_one_puts_clear_differences_first_and_older_figures_last() {
    // Regression (Amsterdam): a plain "gunstiger" above two "duidelijk ongunstiger".
    // The rule the method page states: clear above plain, and within each, a current
    // figure above one more than two years older than the area's newest.
    with_reporter(|r, _| {
        for code in ["GM9990", "WK999005", "WK999000", "BU99900000"] {
            let mut p = r.profile(code).unwrap();
            // However the findings were sorted before, page one is in the rule's order.
            p.findings.reverse();
            let chosen = wijkmonitor::narrate::highlights(&p);
            let keys: Vec<_> = chosen.iter().map(|&k| wijkmonitor::narrate::order_key(&p, k)).collect();
            assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{code}: {keys:?}");
            // Both ways are told where the area has both.
            let fav = |k: &usize| p.indicators[*k].main_rating().favourable();
            if p.findings.iter().any(|k| fav(k) > 0) && p.findings.iter().any(|k| fav(k) < 0) {
                assert!(chosen.iter().any(|k| fav(k) > 0) && chosen.iter().any(|k| fav(k) < 0), "{code}");
            }
        }
        // A stale figure ranks below a current one of the same strength.
        let mut p = r.profile("GM9990").unwrap();
        let k = p.findings[0];
        let (clear, stale, ..) = wijkmonitor::narrate::order_key(&p, k);
        assert!(!stale);
        p.indicators[k].area.year = Some(2019);
        let (clear2, stale2, ..) = wijkmonitor::narrate::order_key(&p, k);
        assert_eq!((clear, true), (clear2, stale2), "2019 against a newest of 2024 is older");
    });
}

#[test]
fn peers_are_structural_and_listed() {
    with_reporter(|r, _| {
        let p = r.profile("GM9990").unwrap();
        let peers = p.peers.as_ref().expect("seven other gemeenten are candidates");
        assert!(peers.members.len() >= 3);
        assert!(peers.members.iter().all(|m| m.code != "GM9990" && m.code.starts_with("GM")));
        assert!(peers.features.iter().any(|f| f == "Inwoners"));
        // Outcomes (bijstand, WOZ) are never features.
        assert!(!peers.features.iter().any(|f| f.contains("ijstand") || f.contains("WOZ")));
        let bijstand = p.indicator("bijstand").unwrap();
        let stats = bijstand.peers.as_ref().unwrap();
        assert!(stats.min <= stats.median && stats.median <= stats.max);
        assert_eq!(bijstand.rank.as_ref().unwrap().of, 8);
    });
}

#[test]
fn tiny_buurt_shows_suppression_not_zero() {
    with_reporter(|r, _| {
        let p = r.profile("BU99901199").unwrap();
        let b = p.indicator("bijstand").unwrap();
        assert_eq!(b.area.status, Status::Suppressed);
        assert_eq!(b.area.value, None);
        assert_eq!(b.vs_nederland.step, Err(NotRated::NoData));
        assert_eq!(b.vs_nederland.word(), "geen gegevens");
        assert!(p.peers.is_none(), "5 inhabitants: no peer comparison");
    });
}

#[test]
fn herkomst_groups_compare_with_the_same_group() {
    with_reporter(|r, _| {
        let p = r.profile("GM9990").unwrap();
        let a = p.indicator("arbeidsdeelname").unwrap();
        let be = a.groups.iter().find(|g| g.group == wijkmonitor::model::Group::BuitenEuropa).unwrap();
        assert_eq!(be.label, "inwoners met een herkomst buiten Europa");
        assert!(be.nederland.value.is_some());
        let comp = &p.composition[0];
        let total: f64 = comp.parts.iter().filter_map(|x| x.share).sum();
        assert!((total - 100.0).abs() < 0.5, "{total}");
        assert_eq!(p.composition.len(), 2, "area and Nederland");
    });
}

#[test]
fn every_key_figure_with_a_benchmark_gets_a_spine_row() {
    with_reporter(|r, _| {
        for code in ["GM9990", "WK999000", "BU99900000"] {
            let p = r.profile(code).unwrap();
            let charts = wijkmonitor::charts::render(&r.ctx.ds.geometry, &p);
            let keys: Vec<_> = p.indicators.iter().filter(|i| i.key && i.shown).collect();
            assert!(!keys.is_empty(), "{code} has no key figures");
            for i in keys {
                let drawable = i.area.status == Status::Value
                    && (i.nederland.status == Status::Value
                        || i.gemeente.as_ref().is_some_and(|g| g.status == Status::Value));
                assert_eq!(charts.has(&format!("spine-{}", i.id)), drawable, "{code} {}", i.id);
            }
        }
    });
}

#[test]
fn gemeente_compares_its_wijken_on_maps() {
    with_reporter(|r, _| {
        let p = r.profile("GM9990").unwrap();
        let w = p.wijken.as_ref().expect("Voorbeeldstad has twelve wijken");
        assert_eq!(w.wijken.len(), 12);
        let ids: Vec<&str> = w.maps.iter().map(|m| m.indicator.as_str()).collect();
        assert_eq!(
            ids,
            ["aandeel_65plus", "bijstand", "woz_waarde", "huurwoningen_corporatie", "aardgasverbruik", "wmo"]
        );
        let k = w.wijken.iter().position(|x| x.name == "Havenkwartier").unwrap();
        let bijstand = w.maps.iter().find(|m| m.indicator == "bijstand").unwrap();
        let one_decimal = |v: Option<f64>| v.map(|v| (v * 10.0).round() / 10.0);
        assert_eq!((bijstand.year, one_decimal(bijstand.cells[k].value)), (2024, Some(11.0)));
        assert_eq!(one_decimal(bijstand.gemeente.value), Some(4.8));
        // Every map is drawn from the demo's outlines: a ring per wijk (the rings of one
        // colour are one path) and a legend box per class.
        let charts = wijkmonitor::charts::render(&r.ctx.ds.geometry, &p);
        for m in &w.maps {
            let svg = &charts.files.iter().find(|(s, _)| *s == format!("wijken-{}", m.indicator)).expect("map").1;
            let values: Vec<f64> = m.cells.iter().filter_map(|c| c.value).collect();
            let classes = wijkmonitor::charts::map::classes(&values).len();
            let rings: usize = svg
                .split("<path")
                .skip(1)
                .map(|p| {
                    let d = &p[p.find(" d=\"").unwrap() + 4..];
                    d[..d.find('"').unwrap()].matches('M').count()
                })
                .sum();
            assert_eq!(rings, 12, "{}", m.indicator);
            assert_eq!(svg.matches("<polygon").count(), classes, "{}", m.indicator);
        }
        // A wijk's own factsheet has no such page.
        assert!(r.profile("WK999005").unwrap().wijken.is_none());
    });
}

#[test]
fn one_figure_per_concept_on_the_page() {
    with_reporter(|r, t| {
        let p = r.profile("GM9990").unwrap();
        // Voorbeeldstad has participation from the register by herkomst (2023) and the
        // labour force survey (2024): the page shows the newest comparable one.
        let shown: Vec<&str> = p
            .indicators
            .iter()
            .filter(|i| {
                i.shown
                    && ["arbeidsparticipatie", "arbeidsparticipatie_ebb", "arbeidsdeelname"].contains(&i.id.as_str())
            })
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(shown, ["arbeidsparticipatie_ebb"], "{shown:?}");
        // The others stay in the export, and never in the text.
        assert!(p.indicator("arbeidsdeelname").is_some_and(|i| !i.shown));
        let n = wijkmonitor::narrate::narrate(t, &p, &r.ctx.ds.catalogue).unwrap();
        let said: Vec<&str> = n.highlights.iter().map(|f| f.indicator.as_str()).collect();
        assert!(!said.contains(&"arbeidsdeelname"), "{said:?}");
        let rows = wijkmonitor::export::rows(&p);
        assert!(rows.iter().any(|r| r.indicator == "arbeidsdeelname"));
    });
}
