//! The consistency check of a factsheet: reads what the template prints (the [`View`]:
//! every sentence and table cell as a string) and verifies, with its own reading of
//! those strings and not with the code that wrote them, that the words agree with the
//! figures beside them. A sentence that contradicts its table is a defect a reader
//! notices once and then distrusts the whole sheet; this check runs on every factsheet
//! of a batch with `--check`, in the tests on the demo, and over the real data.
//!
//! Per sheet ([`check`]):
//! - page one's profile counts per theme what the theme's table says, and draws a theme
//!   with only descriptive figures, or none, as such (`check_profile.rs`);
//! - a theme's summary counts what its table's findings say (gunstiger, vergelijkbaar,
//!   ongunstiger; hoger/lager in a descriptive theme), names exactly the clear ones, and
//!   says "geen … wijkt duidelijk af" only when none does; its page-one tile agrees;
//!   context rows carry no verdict;
//! - a finding's sentence carries the figures of its row, its gap points the way the
//!   figures do, its reason is the one for that direction (a descriptive figure's names
//!   none), a gap in words is true ("1,8 keer", not "twee keer") and printed counts give
//!   the printed share unless the sentence says they are rounded;
//! - page one's order: a clear difference above a plain one, a current figure above an
//!   older one of the same strength, and an older one marked;
//! - no sentence repeats the one before it, no command-line text, and every year
//!   printed lies within the years the header names;
//! - the short version for residents (`check_kort.rs`): its numbers are the
//!   tables', its everyday words say what the tables' verdicts say, and its questions
//!   are each about another figure, asked another way;
//! - the table of a gemeente's wijken or a wijk's buurten (`check_areas.rs`): its last
//!   row, the area itself, prints the figure of the area's own theme table.
//!
//! Across sheets ([`Ledger`]): a region's figure for one indicator and year is printed
//! as one number on every sheet of a batch (the gemeente on a wijk's sheet, Nederland
//! everywhere, a buurt in its wijk's table of buurten), or carries another label.
//! (`check_ledger.rs`). Every part reads the printed strings with the readers of
//! `check_text.rs`.

use serde::Serialize;

pub use super::check_ledger::Ledger;
pub use super::check_text::number_in;
pub(super) use super::check_text::{decimals_in, tally};

use super::check_text::{content_words, counts_in, named_after, sentences, tally_of};
use super::view::{Row, ThemeView, View};
use crate::model::catalogue::{first_direction, Catalogue};
use crate::narrate::Finding;

/// One thing the check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where on the sheet ("Arbeid & inkomen", "pagina 1").
    pub place: String,
    /// What is wrong, in Dutch.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// The row that shows a finding's indicator.
fn row_of<'v>(view: &'v View, indicator: &str) -> Option<&'v Row> {
    view.themes
        .iter()
        .flat_map(|t| t.rows.iter().chain(&t.context_rows))
        .chain(view.key_themes.iter().chain(&view.key_context).flat_map(|k| &k.rows))
        .find(|r| r.indicator == indicator)
}

struct Checker<'a> {
    view: &'a View,
    cat: &'a Catalogue,
    out: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, place: &str, message: String) {
        self.out.push(Problem { place: place.to_string(), message });
    }

    /// Theme summary and tile against the theme table's rows.
    fn theme(&mut self, t: &ThemeView) {
        let place = t.title.as_str();
        let descriptive = t.rows.iter().any(|r| r.word.ends_with("hoger") || r.word.ends_with("lager"));
        let (up, same, down) = tally(&t.rows);
        let rated = up + same + down;
        match counts_in(&t.summary) {
            Some(c) if c != (rated, up, same, down) => self.problem(
                place,
                format!(
                    "de samenvatting telt {} ({} / {} / {}), de tabel {rated} ({up} / {same} / {down}): \"{}\"",
                    c.0, c.1, c.2, c.3, t.summary
                ),
            ),
            None if rated > 0 => self.problem(place, format!("de samenvatting telt de {rated} beoordeelde rijen niet")),
            Some(_) if rated == 0 => self.problem(place, "de samenvatting telt rijen die de tabel niet heeft".into()),
            _ => {}
        }
        let clear = |dir: i8| -> Vec<String> {
            t.rows
                .iter()
                .filter(|r| r.word.starts_with("duidelijk") && tally_of(&r.word) == Some(dir))
                .map(|r| crate::templates::lower_first(&r.label).to_lowercase())
                .collect()
        };
        let (clear_up, clear_down) = (clear(1), clear(-1));
        let says_none = (t.summary.contains("Geen van") && t.summary.contains("wijkt duidelijk af"))
            || t.summary.contains("wijkt niet duidelijk af")
            || t.summary.contains("maar niet duidelijk");
        if says_none && !(clear_up.is_empty() && clear_down.is_empty()) {
            let all = [clear_up.clone(), clear_down.clone()].concat().join(", ");
            self.problem(
                place,
                format!("de samenvatting zegt dat niets duidelijk afwijkt, de tabel heeft duidelijk: {all}"),
            );
        }
        // "Duidelijk ongunstiger: a, b." names exactly the clear rows of that way, in
        // the words of the theme's kind (gunstiger/ongunstiger, or hoger/lager).
        for (word, dir, of_kind) in [
            ("gunstiger", 1, !descriptive),
            ("ongunstiger", -1, !descriptive),
            ("hoger", 1, descriptive),
            ("lager", -1, descriptive),
        ] {
            let named = named_after(&t.summary, word);
            let want: &Vec<String> = if dir > 0 { &clear_up } else { &clear_down };
            let expected: &[String] = if of_kind { want } else { &[] };
            if named != expected {
                self.problem(
                    place,
                    format!("de samenvatting noemt als duidelijk {word} {named:?}, de tabel {expected:?}"),
                );
            }
        }
        // The tile: "2 gunstiger · 1 vergelijkbaar · 0 ongunstiger".
        let tile: Vec<usize> = t.tile.split(" · ").filter_map(|p| p.split(' ').next()?.parse().ok()).collect();
        if let [u, s, d] = tile.as_slice() {
            if (*u, *s, *d) != (up, same, down) {
                self.problem(place, format!("de tegel zegt \"{}\", de tabel {up} / {same} / {down}", t.tile));
            }
        } else if rated > 0 {
            self.problem(place, format!("de tegel \"{}\" telt de {rated} beoordeelde rijen niet", t.tile));
        }
        // A theme tells a plain difference only when it tells every clear one that page
        // one did not.
        if t.findings.iter().any(|f| !f.word.starts_with("duidelijk")) {
            for r in t.rows.iter().filter(|r| r.word.starts_with("duidelijk")) {
                let told = t.findings.iter().chain(&self.view.highlights).any(|f| f.indicator == r.indicator);
                if !told {
                    self.problem(
                        place,
                        format!("\"{}\" ({}) is niet genoemd, een gewoon verschil wel", r.label, r.word),
                    );
                }
            }
        }
        for r in &t.context_rows {
            if r.word.contains("gunstig") {
                self.problem(place, format!("context ({}) heeft het oordeel \"{}\"", r.label, r.word));
            }
        }
        self.repetition(place, &t.summary);
    }

    /// A finding's sentence and reason against its claim, its row and the catalogue.
    fn finding(&mut self, place: &str, f: &Finding) {
        let c = &f.claim;
        let place = format!("{place}, {}", f.indicator);
        for (what, text) in [("de waarde", &c.value), ("de referentie", &c.reference)] {
            if !f.sentence.contains(text.as_str()) {
                self.problem(&place, format!("{what} {text} staat niet in de zin \"{}\"", f.sentence));
            }
        }
        let view = self.view;
        if let Some(row) = row_of(view, &f.indicator) {
            if number_in(&row.value) != number_in(&c.value) {
                self.problem(&place, format!("de zin zegt {}, de tabel {}", c.value, row.value));
            }
            if row.word != f.word {
                self.problem(&place, format!("de zin zegt \"{}\", de tabel \"{}\"", f.word, row.word));
            }
        }
        // The direction: the printed figures, the gap's word and the claim agree.
        if let (Some(a), Some(b)) = (number_in(&c.value), number_in(&c.reference)) {
            if a != b && (a > b) != c.higher {
                self.problem(
                    &place,
                    format!(
                        "de zin zegt {} maar {} tegen {}",
                        if c.higher { "hoger" } else { "lager" },
                        c.value,
                        c.reference
                    ),
                );
            }
            if let Some(gap) = &c.gap {
                let says_higher = gap.contains("hoger") || gap.contains("keer zo hoog");
                let says_lower = gap.contains("lager")
                    || gap.contains("helft")
                    || gap.contains("een derde")
                    || gap.contains("een kwart")
                    || gap.contains("een vijfde");
                if (says_higher && a <= b) || (says_lower && a >= b) {
                    self.problem(
                        &place,
                        format!("het verschil \"{gap}\" past niet bij {} tegen {}", c.value, c.reference),
                    );
                }
                self.ratio_words(&place, gap, a, b);
            }
        }
        // The reason: the catalogue's for this direction; a descriptive one names none.
        if let Some(ind) = self.cat.get(&f.indicator) {
            if c.evaluative {
                // The reason of the claim's direction, whatever its first letter.
                let own = ind.reason(c.higher).trim_end_matches('.').to_lowercase();
                let printed = f.reason.to_lowercase();
                if first_direction(&f.reason) != Some(c.higher) || !printed.contains(&own) {
                    self.problem(
                        &place,
                        format!(
                            "de reden past niet bij de richting ({}): \"{}\"",
                            if c.higher { "hoger" } else { "lager" },
                            f.reason
                        ),
                    );
                }
            } else if first_direction(&f.reason).is_some() {
                self.problem(
                    &place,
                    format!("een beschrijvend cijfer met een reden die een richting noemt: \"{}\"", f.reason),
                );
            }
        }
        if c.stale && f.stale_year.is_none() {
            self.problem(&place, format!("een cijfer uit {:?} is ouder maar niet gemarkeerd", c.year));
        }
        self.counts(&place, &f.sentence);
        self.repetition(&place, &format!("{} {}", f.sentence, f.reason));
    }

    /// "ongeveer twee keer zo hoog" only for a printed ratio near 2; "1,8 keer" near 1,8.
    fn ratio_words(&mut self, place: &str, gap: &str, a: f64, b: f64) {
        if b <= 0.0 || a <= 0.0 {
            return;
        }
        let ratio = a / b;
        // The word or number before "keer zo hoog": "twee", "1,8".
        let claimed = gap.split(" keer zo hoog").next().filter(|_| gap.contains(" keer zo hoog")).and_then(|s| {
            let last = s.rsplit(' ').next().unwrap_or(s);
            match last {
                "twee" => Some(2.0),
                "drie" => Some(3.0),
                "vier" => Some(4.0),
                "vijf" => Some(5.0),
                other => number_in(other),
            }
        });
        // Words from the printed values, rounded to a tenth (a whole number from 10 on).
        let tolerance = if ratio >= 9.95 { 0.51 } else { 0.051 };
        if let Some(v) = claimed {
            if (ratio - v).abs() > tolerance {
                self.problem(place, format!("\"{gap}\" terwijl de verhouding {ratio:.2} is"));
            }
        }
        // "35% hoger": the printed ratio, in percent, rounded.
        if let Some(pct) = gap.strip_suffix("% hoger").or_else(|| gap.strip_suffix("% lager")).and_then(number_in) {
            if ((ratio - 1.0).abs() * 100.0 - pct).abs() > 0.51 {
                self.problem(place, format!("\"{gap}\" terwijl de verhouding {ratio:.3} is"));
            }
        }
        for (word, v) in [("de helft", 2.0), ("een derde", 3.0), ("een kwart", 4.0), ("een vijfde", 5.0)] {
            if gap.contains(word) && (1.0 / ratio - v).abs() > 0.15 * v {
                self.problem(place, format!("\"{gap}\" terwijl de verhouding {:.2} is", ratio));
            }
        }
    }

    /// "(2.450 van de 3.850 …)" beside "64,0%" must give 64,0%, or say "ongeveer".
    fn counts(&mut self, place: &str, sentence: &str) {
        let Some((head, rest)) = sentence.split_once(" (") else { return };
        if rest.starts_with("ongeveer") {
            return;
        }
        let Some((count, after)) = rest.split_once(" van de ") else { return };
        let (Some(c), Some(d)) = (number_in(count), number_in(after)) else { return };
        if !head.ends_with('%') || d <= 0.0 {
            return;
        }
        let Some(v) = number_in(head.rsplit(": ").next().unwrap_or(head)) else { return };
        let dec = decimals_in(head.rsplit(": ").next().unwrap_or(head));
        let shown = crate::format::number(c / d * 100.0, dec);
        if shown != crate::format::number(v, dec) {
            let (count, of) = (crate::format::count(c), crate::format::count(d));
            self.problem(place, format!("{count} van de {of} is {shown}%, niet {}%", crate::format::number(v, dec)));
        }
    }

    /// No sentence says only what the one before it said.
    fn repetition(&mut self, place: &str, text: &str) {
        let all = sentences(text);
        for pair in all.windows(2) {
            let (a, b) = (content_words(pair[0]), content_words(pair[1]));
            if b.len() >= 2 && b.is_subset(&a) {
                self.problem(place, format!("\"{}\" herhaalt de zin ervoor", pair[1]));
            }
        }
    }

    /// Page one: clear above plain, current above older within each, older marked.
    fn order(&mut self, place: &str, findings: &[Finding]) {
        let key = |f: &Finding| (!f.word.starts_with("duidelijk"), f.stale_year.is_some());
        for pair in findings.windows(2) {
            if key(&pair[0]) > key(&pair[1]) {
                self.problem(
                    place,
                    format!(
                        "\"{}\" ({}) staat boven \"{}\" ({})",
                        pair[0].indicator, pair[0].word, pair[1].indicator, pair[1].word
                    ),
                );
            }
        }
    }

    /// Every string the sheet prints, for the command-line and year rules.
    fn printed(&self) -> Vec<(&'static str, &str)> {
        let v = self.view;
        let mut all: Vec<(&'static str, &str)> =
            vec![("inleiding", &v.intro), ("inleiding", &v.earlier), ("bronnen", &v.all_sources)];
        all.extend(v.reading_guide.iter().map(|s| ("leeswijzer", s.as_str())));
        all.extend(v.method.iter().map(|s| ("methode", s.as_str())));
        all.push(("methode", &v.method_order));
        all.push(("methode", &v.peer_rule));
        let k = &v.kort_view.text;
        all.extend(k.questions.iter().map(|q| ("korte versie", q.text.as_str())));
        all.extend(k.good.iter().chain(&k.notable).map(|p| ("korte versie", p.sentence.as_str())));
        all.extend(k.about.iter().map(|s| ("korte versie", s.as_str())));
        all.extend([("korte versie", k.intro.as_str()), ("korte versie", k.not_here.as_str())]);
        for t in &v.themes {
            all.push(("thema", &t.summary));
            all.push(("thema", &t.tile));
            all.extend(t.findings.iter().flat_map(|f| [("thema", f.sentence.as_str()), ("thema", f.reason.as_str())]));
        }
        all.extend(
            v.highlights.iter().flat_map(|f| [("pagina 1", f.sentence.as_str()), ("pagina 1", f.reason.as_str())]),
        );
        all
    }

    fn sheet(&mut self) {
        let view = self.view;
        for t in &view.themes {
            self.theme(t);
            for f in &t.findings {
                self.finding(&t.title, f);
            }
        }
        for f in &view.highlights {
            self.finding("pagina 1", f);
        }
        self.order("pagina 1", &view.highlights);
        let printed: Vec<(String, String)> =
            self.printed().into_iter().map(|(p, s)| (p.to_string(), s.to_string())).collect();
        for (place, s) in &printed {
            if let Some(at) = s.find("wijkmonitor ") {
                let next = s[at + "wijkmonitor ".len()..].split_whitespace().next().unwrap_or("");
                if ["factsheet", "table", "batch", "data", "indicators", "regions", "index", "bench"].contains(&next) {
                    self.problem(
                        place,
                        format!("opdrachtregeltekst in de PDF: \"{}\"", &s[at..(at + 40).min(s.len())]),
                    );
                }
            }
            if s.contains("--format") || s.contains("--long") || s.contains("--year") {
                self.problem(place, format!("opdrachtregeltekst in de PDF: \"{s}\""));
            }
        }
        // Every year of the area's figures lies within the years the header names.
        let (lo, hi) = match view.years.split_once('–') {
            Some((a, b)) => (a.parse::<i32>().unwrap_or(0), b.parse::<i32>().unwrap_or(0)),
            None => (view.years.parse().unwrap_or(0), view.years.parse().unwrap_or(0)),
        };
        let rows = view.themes.iter().flat_map(|t| t.rows.iter().chain(&t.context_rows));
        for r in rows {
            if let Ok(y) = r.year.parse::<i32>() {
                if y < lo || y > hi {
                    self.problem("kop", format!("{} is van {y}, de kop zegt cijfers {}", r.label, view.years));
                }
                if hi - y > crate::compare::STALE_AFTER && !r.stale {
                    self.problem(
                        "tabel",
                        format!(
                            "{} is van {y}, ouder dan {} jaar, maar niet gemarkeerd",
                            r.label,
                            crate::compare::STALE_AFTER
                        ),
                    );
                }
            }
        }
    }
}

/// Checks one factsheet's printed text against its printed figures.
pub fn check(view: &View, cat: &Catalogue) -> Vec<Problem> {
    let mut c = Checker { view, cat, out: Vec::new() };
    c.sheet();
    super::check_profile::check(view, &mut c.out);
    super::check_areas::check(view, &mut c.out);
    super::check_kort::check(view, &mut c.out);
    super::achterstand::check(view, &mut c.out);
    c.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_view(code: &str) -> (View, Catalogue) {
        crate::document::test_view(code, false)
    }

    fn theme<'v>(v: &'v mut View, id: &str) -> &'v mut ThemeView {
        v.themes.iter_mut().find(|t| t.id == id).unwrap()
    }

    #[test]
    fn a_sound_sheet_passes() {
        let (v, cat) = demo_view("GM0001");
        assert_eq!(check(&v, &cat), Vec::<Problem>::new());
        assert!(!v.highlights.is_empty(), "the check has findings to read");
    }

    #[test]
    fn a_summary_that_contradicts_its_table_is_caught() {
        // Regression (Feijenoord): "Geen van de indicatoren in dit thema wijkt duidelijk
        // af van Nederland" above a "duidelijk ongunstiger" row.
        let (mut v, cat) = demo_view("GM0001");
        let t = theme(&mut v, "arbeid_inkomen");
        assert!(t.rows.iter().any(|r| r.word == "duidelijk ongunstiger"));
        t.summary = "Van de 1 beoordeelde cijfers zijn er 0 gunstiger, 0 vergelijkbaar en 1 ongunstiger dan in \
                     Nederland. Geen van deze cijfers wijkt duidelijk af van Nederland."
            .into();
        let found = check(&v, &cat);
        assert!(found.iter().any(|p| p.message.contains("niets duidelijk afwijkt")), "{found:?}");
        // Counts that are not the table's.
        let t = theme(&mut v, "arbeid_inkomen");
        t.summary =
            "Van de 3 beoordeelde cijfers zijn er 2 gunstiger, 0 vergelijkbaar en 1 ongunstiger dan in Nederland."
                .into();
        t.tile = "2 gunstiger · 0 vergelijkbaar · 1 ongunstiger".into();
        let found = check(&v, &cat);
        assert!(found.iter().any(|p| p.message.contains("de samenvatting telt 3")), "{found:?}");
        assert!(found.iter().any(|p| p.message.contains("de tegel zegt")), "{found:?}");
    }

    #[test]
    fn a_reason_for_the_other_direction_is_caught() {
        // Regression: "een lager aandeel is gunstig, ook als …" printed for a high figure.
        let (mut v, cat) = demo_view("GM0001");
        let f = v.highlights.iter_mut().find(|f| f.indicator == "bijstand").unwrap();
        assert!(f.claim.higher);
        let lower = cat.get("bijstand").unwrap().reason(false);
        f.reason = format!("Dit geldt als duidelijk ongunstiger: {}", crate::templates::lower_first(lower));
        let found = check(&v, &cat);
        assert!(found.iter().any(|p| p.message.contains("de reden past niet")), "{found:?}");
    }

    #[test]
    fn a_repeated_direction_and_untrue_words_are_caught() {
        let (mut v, cat) = demo_view("GM0001");
        // Regression: "… dat is 14,7 procentpunt hoger. Dit is duidelijk hoger dan in
        // Nederland." on every zorg finding.
        let f = v.highlights.iter_mut().find(|f| !f.claim.evaluative).expect("a descriptive finding");
        f.reason = "Dit is duidelijk hoger dan in Nederland.".into();
        // Regression: 8,0% against 2,6% is 3,1 times, "ongeveer twee keer zo hoog" is false.
        let g = v.highlights.iter_mut().find(|f| f.indicator == "bijstand").unwrap();
        g.sentence = g.sentence.replace("dat is", "dat is ongeveer twee keer zo hoog,");
        g.claim.gap = Some("5,4 procentpunt hoger, ongeveer twee keer zo hoog".into());
        let found = check(&v, &cat);
        assert!(found.iter().any(|p| p.message.contains("een beschrijvend cijfer met een reden")), "{found:?}");
        assert!(found.iter().any(|p| p.message.contains("terwijl de verhouding")), "{found:?}");
    }

    #[test]
    fn counts_that_do_not_give_the_share_are_caught() {
        // Regression: "64,0% (2.450 van de 3.850)" is 63,6%.
        let (mut v, cat) = demo_view("GM0001");
        let f = v.highlights.iter_mut().find(|f| f.indicator == "bijstand").unwrap();
        f.sentence =
            "Bijstandsuitkering: 8,0% (3.250 van de 40.000 inwoners) in Gemeente 1, tegen 2,6% in Nederland.".into();
        f.claim.gap = None;
        let found = check(&v, &cat);
        assert!(found.iter().any(|p| p.message.contains("3.250 van de 40.000 is 8,1%")), "{found:?}");
    }

    #[test]
    fn the_order_rule_and_command_text_are_checked() {
        // Regression (Amsterdam): "gunstiger" above two "duidelijk ongunstiger".
        let (mut v, cat) = demo_view("GM0001");
        let mut plain = v.highlights[0].clone();
        plain.word = "gunstiger".into();
        plain.indicator = "x".into();
        v.highlights.insert(0, plain);
        v.earlier = "Ze staan in de factsheet (wijkmonitor factsheet WK036339).".into();
        let found = check(&v, &cat);
        assert!(found.iter().any(|p| p.place == "pagina 1" && p.message.contains("staat boven")), "{found:?}");
        assert!(found.iter().any(|p| p.message.contains("opdrachtregeltekst")), "{found:?}");
    }
}
