//! The consistency check of the short version for residents, with its own reading of
//! what the template prints (see [`super::check`]): every number on it is the one the
//! full factsheet's theme table prints, from the same comparison; its everyday words
//! ("minder goed", "meer") say what the table's verdict says; what goes well is
//! better than (or as good as) the benchmark and is named whenever a figure is better;
//! what stands out differs; and the questions are each about another figure, asked
//! another way, to the people in the room.

use super::check::{number_in, Problem};
use super::view::{Row, View};

/// The verdict word of a theme table in the short version's words.
fn everyday(table_word: &str) -> Option<&'static str> {
    Some(match table_word {
        "duidelijk gunstiger" => "veel beter",
        "gunstiger" => "beter",
        "vergelijkbaar" => "ongeveer gelijk",
        "ongunstiger" => "minder goed",
        "duidelijk ongunstiger" => "veel minder goed",
        "duidelijk hoger" => "veel meer",
        "hoger" => "meer",
        "lager" => "minder",
        "duidelijk lager" => "veel minder",
        _ => return None,
    })
}

/// The row of the theme tables that shows an indicator.
fn row<'v>(view: &'v View, indicator: &str) -> Option<&'v Row> {
    view.themes.iter().flat_map(|t| t.rows.iter().chain(&t.context_rows)).find(|r| r.indicator == indicator)
}

/// The benchmark's value and name a row is judged against.
fn benchmark(r: &Row) -> (&str, &str) {
    if r.versus.is_empty() {
        ("Nederland", &r.nederland)
    } else {
        (&r.versus, &r.gemeente)
    }
}

/// Checks the short version's part of a view.
pub(super) fn check(view: &View, out: &mut Vec<Problem>) {
    let k = &view.kort_view;
    let mut problem = |place: &str, message: String| out.push(Problem { place: place.to_string(), message });
    for r in &k.rows {
        let place = format!("korte versie, {}", r.indicator);
        let Some(full) = row(view, &r.indicator) else {
            problem(&place, "staat in de korte versie maar niet in de factsheet".into());
            continue;
        };
        let (name, reference) = benchmark(full);
        // The table's number (a rate with its unit, a computed Nederland without "*").
        let same =
            |a: &str, b: &str| a == b || (a.starts_with(b.trim_end_matches('*')) && number_in(a) == number_in(b));
        if !same(&r.value, &full.value) || !same(&r.reference, reference) || r.reference_name != name {
            problem(
                &place,
                format!(
                    "de korte versie zegt {} tegen {} in {}, de factsheet {} tegen {reference} in {name}",
                    r.value, r.reference, r.reference_name, full.value
                ),
            );
        }
        if everyday(&full.word).is_some_and(|w| w != r.word) {
            problem(&place, format!("de korte versie zegt \"{}\", de factsheet \"{}\"", r.word, full.word));
        }
    }
    for (part, points) in [("wat gaat goed", &k.text.good), ("wat valt op", &k.text.notable)] {
        for p in points.iter() {
            let place = format!("korte versie, {part}, {}", p.indicator);
            for (what, text) in [("de waarde", &p.value), ("de referentie", &p.reference)] {
                let number = text.split(' ').next().unwrap_or(text);
                if !p.sentence.contains(number) {
                    problem(&place, format!("{what} {text} staat niet in de zin \"{}\"", p.sentence));
                }
            }
            if let Some(full) = row(view, &p.indicator) {
                if number_in(&full.value) != number_in(&p.value)
                    || number_in(benchmark(full).1) != number_in(&p.reference)
                {
                    problem(&place, format!("de zin zegt {} tegen {}, de tabel {}", p.value, p.reference, full.value));
                }
                if everyday(&full.word).is_some_and(|w| w != p.word) {
                    problem(&place, format!("de zin zegt \"{}\", de tabel \"{}\"", p.word, full.word));
                }
            }
            if let (Some(a), Some(b)) = (number_in(&p.value), number_in(&p.reference)) {
                if a != b && (a > b) != p.higher {
                    problem(
                        &place,
                        format!("{} tegen {} heet {}", p.value, p.reference, if p.higher { "hoger" } else { "lager" }),
                    );
                }
            }
            let fits = match part {
                "wat gaat goed" => matches!(p.word.as_str(), "beter" | "veel beter" | "ongeveer gelijk"),
                _ => !matches!(p.word.as_str(), "beter" | "veel beter" | "ongeveer gelijk" | "niet te vergelijken"),
            };
            if !fits {
                problem(&place, format!("\"{}\" hoort niet onder {part}", p.word));
            }
        }
    }
    // A strength is named whenever a figure for residents is better.
    if k.text.good.iter().all(|g| !g.word.ends_with("beter")) && k.rows.iter().any(|r| r.word.ends_with("beter")) {
        problem(
            "korte versie, wat gaat goed",
            "een cijfer is beter dan de referentie, maar er staat niets dat goed gaat".into(),
        );
    }
    // "Nowhere better" only where a figure was compared with a verdict (none compared is
    // not "nowhere better"; the words of a verdict are beter / ongeveer gelijk / minder goed).
    let judged = |w: &str| w.ends_with("beter") || w.ends_with("goed") || w == "ongeveer gelijk";
    if k.text.good_none.contains("nergens beter") && !k.rows.iter().any(|r| judged(&r.word)) {
        problem(
            "korte versie, wat gaat goed",
            "\"nergens beter\", maar geen cijfer is met een oordeel vergeleken".into(),
        );
    }
    // Questions: each about another figure, each asked another way, to the reader.
    let mut about = std::collections::BTreeSet::new();
    let mut asks = std::collections::BTreeSet::new();
    for q in &k.text.questions {
        if let Some(id) = &q.indicator {
            if !about.insert(id.clone()) {
                problem("korte versie, vragen", format!("twee vragen over hetzelfde cijfer ({id})"));
            }
        }
        // The asking part: the sentences after the fact (the last two).
        let parts: Vec<&str> = q.text.split_inclusive(['.', '?']).map(str::trim).filter(|s| !s.is_empty()).collect();
        let ask = parts.iter().rev().take(2).copied().collect::<Vec<_>>().join(" ");
        if !asks.insert(ask.clone()) {
            problem("korte versie, vragen", format!("dezelfde vraag twee keer: \"{ask}\""));
        }
        // A figure without a verdict (meer / minder) is asked about neutrally: more use of
        // help is no problem to solve or success to keep.
        let row = q.indicator.as_ref().and_then(|id| k.rows.iter().find(|r| &r.indicator == id));
        if row.is_some_and(|r| r.word.ends_with("meer") || r.word.ends_with("minder")) {
            if let Some(w) = ["helpen", "nodig", "samen aan doen", "goed gaat", "houden we dat zo"]
                .iter()
                .find(|w| q.text.contains(*w))
            {
                problem(
                    "korte versie, vragen",
                    format!("\"{}\" vraagt met \"{w}\" naar een cijfer zonder oordeel", q.text),
                );
            }
        }
        // Its direction is the figures': "meer" above the benchmark, "minder" below.
        if let Some(r) = q.indicator.as_ref().and_then(|id| k.rows.iter().find(|r| &r.indicator == id)) {
            if let (Some(a), Some(b)) = (number_in(&r.value), number_in(&r.reference)) {
                let says_more = q.text.contains(" meer ");
                let says_less = q.text.contains(" minder ");
                let says_same = q.text.contains("ongeveer evenveel");
                if (says_more && a <= b) || (says_less && a >= b) || (says_same != (r.word == "ongeveer gelijk")) {
                    problem(
                        "korte versie, vragen",
                        format!("\"{}\" past niet bij {} tegen {} ({})", q.text, r.value, r.reference, r.word),
                    );
                }
            }
        }
        let words: Vec<&str> = q.text.split(|c: char| !c.is_alphanumeric()).collect();
        if !words.iter().any(|w| *w == "u" || *w == "we") {
            problem("korte versie, vragen", format!("de vraag spreekt de lezer niet aan: \"{}\"", q.text));
        }
        if !q.text.trim_end().ends_with('?') {
            problem("korte versie, vragen", format!("geen vraag: \"{}\"", q.text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(code: &str) -> View {
        crate::document::test_view(code, true).0
    }

    fn problems(v: &View) -> Vec<Problem> {
        let mut out = Vec::new();
        check(v, &mut out);
        out
    }

    #[test]
    fn a_sound_short_version_passes_and_each_defect_is_caught() {
        let mut v = view("GM0001");
        assert!(!v.kort_view.rows.is_empty() && !v.kort_view.text.notable.is_empty(), "{:?}", v.kort_view);
        assert_eq!(problems(&v), Vec::new());
        // A question that turns the figures round.
        let q0 = v.kort_view.text.questions[0].text.clone();
        assert!(q0.contains(" meer ") || q0.contains(" minder "), "{q0}");
        let turned =
            if q0.contains(" meer ") { q0.replace(" meer ", " minder ") } else { q0.replace(" minder ", " meer ") };
        v.kort_view.text.questions[0].text = turned;
        assert!(problems(&v).iter().any(|p| p.message.contains("past niet bij")), "{:?}", problems(&v));
        v.kort_view.text.questions[0].text = q0;
        // Another number than the table's, or a verdict the table does not give.
        v.kort_view.rows[0].value = "99,9%".into();
        v.kort_view.rows[0].word = "beter".into();
        // Rank beside a verdict: a second comparison is not the table's benchmark.
        v.kort_view.rows[1].reference_name = "plaats 3 van 12".into();
        // "Nowhere better" beside rows of which none has a verdict.
        let mut w = view("GM0001");
        w.kort_view.text.good.clear();
        w.kort_view.text.good_none = "In deze cijfers gaat het hier nergens beter dan in Nederland.".into();
        w.kort_view.rows.iter_mut().for_each(|r| r.word = "meer".into());
        assert!(
            problems(&w).iter().any(|p| p.message.contains("geen cijfer is met een oordeel")),
            "{:?}",
            problems(&w)
        );
        // A question that asks to solve a figure without a verdict.
        w.kort_view.text.questions[0].text.push_str(" Wat zou daarbij helpen, denkt u?");
        assert!(problems(&w).iter().any(|p| p.message.contains("zonder oordeel")), "{:?}", problems(&w));
        // Two questions about one figure, asked the same way, not to the reader.
        let first = v.kort_view.text.questions[0].clone();
        v.kort_view.text.questions[1] = first.clone();
        v.kort_view.text.questions[2].text =
            "Herkennen bewoners en professionals dat, en wat zien zij erachter?".into();
        let found = problems(&v);
        for want in [
            "de korte versie zegt 99,9%",
            "de korte versie zegt \"beter\"",
            "plaats 3 van 12",
            "twee vragen over hetzelfde cijfer",
            "dezelfde vraag twee keer",
            "spreekt de lezer niet aan",
        ] {
            assert!(found.iter().any(|p| p.message.contains(want)), "{want}: {found:?}");
        }
    }

    #[test]
    fn what_goes_well_must_be_better_and_is_named_when_a_figure_is() {
        let mut v = view("GM0001");
        let worse = v.kort_view.text.notable[0].clone();
        v.kort_view.text.good = vec![worse];
        let found = problems(&v);
        assert!(found.iter().any(|p| p.message.contains("hoort niet onder wat gaat goed")), "{found:?}");
        // A row that is better with nothing named as going well.
        let mut v = view("GM0001");
        v.kort_view.text.good.clear();
        v.kort_view.rows[0].word = "beter".into();
        let found = problems(&v);
        assert!(found.iter().any(|p| p.message.contains("er staat niets dat goed gaat")), "{found:?}");
    }
}
