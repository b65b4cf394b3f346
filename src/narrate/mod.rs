//! Narrate: turns a [`Profile`] into plain Dutch sentences. The wording lives in
//! `report-templates/zinnen.toml` (minijinja), not in Rust, so a gemeente can reword it;
//! this module only chooses *which* findings to tell and fills in the numbers, formatted
//! the Dutch way. Evaluative indicators say gunstiger/ongunstiger and why (from the
//! catalogue's rationale); descriptive ones say hoger/lager and nothing more.
//!
//! The sentences come from the run's [`Templates`], which the document stage shares.

mod alt;

use std::collections::BTreeMap;

use minijinja::{context, Value};
use serde::Serialize;

use crate::compare::{peers, rating, Benchmark, IndicatorResult, Profile, Rating, Status};
use crate::format;
use crate::model::catalogue::{Catalogue, Polarity};
use crate::templates::{lower_first, Templates};

/// A finding on page one or in a theme.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Indicator id.
    pub indicator: String,
    /// Theme id.
    pub theme: String,
    /// What: value, count, benchmark.
    pub sentence: String,
    /// Why it counts as (on)gunstig, or that it is only descriptive.
    pub reason: String,
    /// Rating word ("duidelijk ongunstiger").
    pub word: String,
    /// Rating class for styling (see [`Rating::class`]).
    pub class: String,
}

/// Text of one theme.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeText {
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// One line for the page-one tile.
    pub tile: String,
    /// Summary sentence(s).
    pub summary: String,
    /// What stands out, both ways, strongest first.
    pub findings: Vec<Finding>,
}

/// All text of one factsheet.
#[derive(Debug, Clone, Serialize)]
pub struct Narrative {
    /// Opening sentences.
    pub intro: String,
    /// Page-one findings (three to five, both ways where possible).
    pub highlights: Vec<Finding>,
    /// Per theme, in page order.
    pub themes: Vec<ThemeText>,
    /// Herkomst: composition and per-group comparisons.
    pub herkomst: Vec<String>,
    /// The fixed "how to read" paragraphs.
    pub reading_guide: Vec<String>,
    /// How differences are judged, with the thresholds filled in.
    pub method: Vec<String>,
    /// How the peers were chosen.
    pub peer_rule: String,
    /// How findings are ordered: a finer point of the method, which the tightest buurt
    /// layout leaves out.
    pub method_order: String,
    /// How the peers' distance is computed (empty without peers); left out like
    /// `method_order`.
    pub peer_method: String,
    /// Questions to discuss with residents and professionals, from the strongest
    /// findings ("warme duiding"), for the two-page version.
    pub questions: Vec<String>,
    /// Alt text of every chart by file stem, for screen readers (PDF/UA).
    pub alt: BTreeMap<String, String>,
}

/// How many findings page one shows at most.
pub const MAX_HIGHLIGHTS: usize = 5;

/// The gap as the rule measures it, plainly: "12 procentpunt lager" for a share (from the
/// values as printed, with `decimals`, so the reader can check it), "35% hoger"
/// otherwise; `None` when comparable.
pub fn gap_measure(rating: &Rating, area: Option<f64>, benchmark: Option<f64>, decimals: usize) -> Option<String> {
    if !rating.is_finding() {
        return None;
    }
    let d = rating.difference?;
    let dir = if d > 0.0 { "hoger" } else { "lager" };
    if rating.share {
        let f = 10f64.powi(decimals.min(3) as i32);
        let shown = |v: f64| (v * f).round() / f;
        let points = (shown(area?) - shown(benchmark?)).abs();
        let points = format::number(points, decimals.min(1));
        let points = points.strip_suffix(",0").unwrap_or(&points);
        return Some(format!("{points} procentpunt {dir}"));
    }
    let r = rating.ratio?;
    Some(format!("{}% {dir}", format::number((r - 1.0).abs() * 100.0, 0)))
}

/// The gap for a finding's sentence: [`gap_measure`], with a large ratio in words ("8,4
/// procentpunt hoger, ongeveer vier keer zo hoog"; for a figure that is not a share the
/// words replace the percentage: "ongeveer twee keer zo hoog").
pub fn gap_words(rating: &Rating, area: Option<f64>, benchmark: Option<f64>, decimals: usize) -> Option<String> {
    let measure = gap_measure(rating, area, benchmark, decimals)?;
    Some(match (rating.share, rating.ratio.and_then(format::ratio_words)) {
        (true, Some(times)) => format!("{measure}, {times}"),
        (false, Some(times)) => times,
        (_, None) => measure,
    })
}

/// Formats an indicator's value with its unit (or why it is absent).
pub fn value_text(i: &IndicatorResult, v: Option<f64>, status: Status) -> String {
    match (status.absent(), v) {
        (None, Some(v)) => i.unit.format(v, i.decimals),
        (why, _) => why.unwrap_or("geen gegevens").into(),
    }
}

/// The text of one factsheet from its profile, in the run's wording.
pub fn narrate(templates: &Templates, p: &Profile, cat: &Catalogue) -> crate::Result<Narrative> {
    Writer(templates).narrate(p, cat)
}

/// Writes sentences with the run's templates.
struct Writer<'t>(&'t Templates);

impl Writer<'_> {
    fn say(&self, key: &str, ctx: Value) -> crate::Result<String> {
        self.0.say(key, ctx)
    }

    fn finding(&self, p: &Profile, cat: &Catalogue, i: &IndicatorResult, rating: &Rating) -> crate::Result<Finding> {
        let ind = cat.get(&i.id);
        let against_gm = i.main_benchmark() == Benchmark::Gemeente;
        let (bench, bench_name) = match (&i.gemeente, against_gm) {
            (Some(g), true) => (g, p.gemeente.as_ref().map(|g| g.name.clone()).unwrap_or_else(|| "de gemeente".into())),
            _ => (&i.nederland, "Nederland".to_string()),
        };
        let ratio = rating.ratio.and_then(format::ratio_words);
        let gap = gap_words(rating, i.area.value, bench.value, i.decimals);
        let ctx = context! {
            label => i.label.clone(),
            waarde => value_text(i, i.area.value, i.area.status),
            aantal => i.area.count.filter(|_| !i.is_count()).map(format::count),
            noemer => i.area.denominator.filter(|_| i.unit.is_share()).map(format::count),
            // "1.990 van de 41.473 inwoners", not "… van de 41.473 alle inwoners".
            populatie => ind
                .map(|d| d.share_of.strip_prefix("alle ").unwrap_or(&d.share_of).to_string())
                .filter(|s| !s.is_empty()),
            gebied => p.region.name.clone(),
            referentie => value_text(i, bench.value, bench.status),
            referentienaam => bench_name.clone(),
            verhouding => ratio,
            verschil => gap,
            oordeel => rating.word(),
            beschrijvend => i.polarity == Polarity::Neutral,
            reden => ind.map(|d| d.rationale.clone()).unwrap_or_default(),
            jaar => i.area.year,
        };
        let sentence = self.say("bevinding", ctx.clone())?;
        let reason =
            if i.polarity == Polarity::Neutral { self.say("beschrijving", ctx)? } else { self.say("reden", ctx)? };
        Ok(Finding {
            indicator: i.id.clone(),
            theme: i.theme.clone(),
            sentence,
            reason,
            word: rating.word().to_string(),
            class: rating.class().to_string(),
        })
    }

    /// Writes the text of one factsheet.
    fn narrate(&self, p: &Profile, cat: &Catalogue) -> crate::Result<Narrative> {
        let level = p.region.level;
        let inwoners = p.inwoners.unwrap_or(0.0);
        let mut intro = self.say(
            "intro",
            context! {
                gebied => p.region.name.clone(),
                niveau => level.noun(),
                gemeente => p.region.gemeente_name.clone(),
                inwoners => format::count(inwoners),
                inwoners_n => inwoners,
                jaar => p.year,
            },
        )?;
        if let Some(i) = p.indicator("herkomst_buiten_europa") {
            if let (Some(a), Some(n)) = (i.area.value, i.nederland.value) {
                intro.push(' ');
                intro.push_str(&self.say(
                    "intro_herkomst",
                    context! { aandeel => crate::model::Unit::Percent.format(a, 0), referentie => crate::model::Unit::Percent.format(n, 0) },
                )?);
            }
        }

        // Page one: evaluative findings first, alternating unfavourable and favourable
        // so both ways are told; then the use of zorg & welzijn (hoger/lager) until the
        // page has its five. Context never comes here (see the catalogue's `finding`).
        let evaluative: Vec<usize> =
            p.findings.iter().copied().filter(|&k| p.indicators[k].polarity != Polarity::Neutral).collect();
        let mut down = evaluative.iter().filter(|&&k| p.indicators[k].main_rating().favourable() < 0).peekable();
        let mut up = evaluative.iter().filter(|&&k| p.indicators[k].main_rating().favourable() > 0).peekable();
        let mut chosen = Vec::new();
        while chosen.len() < MAX_HIGHLIGHTS && (down.peek().is_some() || up.peek().is_some()) {
            if let Some(&k) = down.next() {
                chosen.push(k);
            }
            if chosen.len() < MAX_HIGHLIGHTS {
                if let Some(&k) = up.next() {
                    chosen.push(k);
                }
            }
        }
        for &k in &p.findings {
            if chosen.len() >= MAX_HIGHLIGHTS {
                break;
            }
            if !chosen.contains(&k) {
                chosen.push(k);
            }
        }
        let chosen_on_page_one = chosen.clone();
        // Two questions from the strongest signals, one about what goes well.
        let mut questions = Vec::new();
        for &k in chosen.iter().take(2) {
            let i = &p.indicators[k];
            let r = i.main_rating();
            let against_gm = i.main_benchmark() == Benchmark::Gemeente;
            let bench_name = match (&p.gemeente, against_gm) {
                (Some(g), true) => g.name.clone(),
                _ => "Nederland".to_string(),
            };
            let bench = if against_gm { i.gemeente.as_ref().unwrap_or(&i.nederland) } else { &i.nederland };
            questions.push(self.say(
                "vraag",
                context! {
                    label => i.label.clone(),
                    gebied => p.region.name.clone(),
                    // In a question the gap reads "2,2 procentpunt hoger" or "18% hoger".
                    verschil => gap_measure(r, i.area.value, bench.value, i.decimals),
                    richting => if r.difference.unwrap_or(0.0) > 0.0 { "hoger" } else { "lager" },
                    referentienaam => bench_name,
                },
            )?);
        }
        questions.push(self.say("vraag_slot", context! { gebied => p.region.name.clone() })?);
        let mut highlights = Vec::new();
        for k in chosen {
            let i = &p.indicators[k];
            highlights.push(self.finding(p, cat, i, i.main_rating())?);
        }

        let mut themes = Vec::new();
        for t in &p.themes {
            // What the theme's verdicts were against: a wijk is compared with its
            // gemeente where Nederland has no figure, and the summary says so.
            let rated: Vec<Benchmark> = p
                .indicators
                .iter()
                .filter(|i| i.theme == t.id && i.main_rating().step.is_ok())
                .map(|i| i.main_benchmark())
                .collect();
            let gemeente_name = p.gemeente.as_ref().map(|g| g.name.as_str()).unwrap_or("de gemeente");
            let bench_name = if !rated.is_empty() && rated.iter().all(|b| *b == Benchmark::Gemeente) {
                gemeente_name.to_string()
            } else if rated.contains(&Benchmark::Gemeente) {
                format!("Nederland (of {gemeente_name} waar Nederland geen cijfer heeft)")
            } else {
                "Nederland".to_string()
            };
            let ctx = context! {
                up => t.up, same => t.same, down => t.down, unrated => t.unrated,
                beschreven => t.described,
                referentienaam => bench_name,
            };
            let only_described = t.up + t.same + t.down == 0 && t.described > 0;
            let tile = if only_described {
                self.say("tegel_alleen_beschrijvend", ctx.clone())?
            } else if t.up + t.same + t.down == 0 {
                self.say("tegel_leeg", ctx.clone())?
            } else if t.descriptive {
                self.say("tegel_beschrijvend", ctx.clone())?
            } else {
                self.say("tegel", ctx.clone())?
            };
            let mut summary = if t.descriptive {
                self.say("thema_beschrijvend", ctx.clone())?
            } else if only_described {
                self.say("thema_alleen_beschrijvend", ctx.clone())?
            } else if t.up + t.same + t.down > 0 {
                self.say("thema_telling", ctx.clone())?
            } else {
                String::new()
            };
            // Strongest one each way; evaluative indicators only in an evaluative theme.
            let of_theme: Vec<usize> = p
                .findings
                .iter()
                .copied()
                .filter(|&k| {
                    p.indicators[k].theme == t.id && (t.descriptive || p.indicators[k].polarity != Polarity::Neutral)
                })
                .collect();
            let sign = |k: usize| {
                let r = p.indicators[k].main_rating();
                if t.descriptive {
                    r.step.map(|s| s.signed()).unwrap_or(0)
                } else {
                    r.favourable()
                }
            };
            // What page one already told is not repeated word for word here.
            let of_theme: Vec<usize> = of_theme.into_iter().filter(|k| !chosen_on_page_one.contains(k)).collect();
            // A buurt's four pages hold one each way; a wijk or gemeente two.
            let each_way = if p.region.level == crate::model::Level::Buurt { 1 } else { 2 };
            let mut picks: Vec<usize> = Vec::new();
            picks.extend(of_theme.iter().copied().filter(|&k| sign(k) < 0).take(each_way));
            picks.extend(of_theme.iter().copied().filter(|&k| sign(k) > 0).take(each_way));
            picks.sort_by_key(|&k| of_theme.iter().position(|&x| x == k));
            if picks.is_empty() && !t.descriptive && t.up + t.same + t.down > 0 {
                summary.push(' ');
                summary.push_str(&self.say("thema_geen_afwijking", ctx)?);
            }
            let mut findings = Vec::new();
            for k in picks {
                let i = &p.indicators[k];
                findings.push(self.finding(p, cat, i, i.main_rating())?);
            }
            themes.push(ThemeText { id: t.id.clone(), title: t.title.clone(), tile, summary, findings });
        }

        let mut herkomst = Vec::new();
        if let Some(c) = p.composition.first() {
            let delen: Vec<String> = c
                .parts
                .iter()
                .map(|part| match (part.share, part.count) {
                    (Some(s), Some(n)) => {
                        format!("{} {} ({})", part.label, crate::model::Unit::Percent.format(s, 0), format::count(n))
                    }
                    (Some(s), None) => format!("{} {}", part.label, crate::model::Unit::Percent.format(s, 0)),
                    _ => format!("{}: geen gegevens", part.label),
                })
                .collect();
            herkomst.push(
                self.say("samenstelling", context! { gebied => c.name.clone(), delen => delen, jaar => c.year })?,
            );
        }
        for i in &p.indicators {
            for g in &i.groups {
                if g.area.status == Status::Missing {
                    continue;
                }
                herkomst.push(self.say(
                    "groep",
                    context! {
                        groep => g.label.clone(),
                        label => i.label.clone(),
                        waarde => value_text(i, g.area.value, g.area.status),
                        referentie => value_text(i, g.nederland.value, g.nederland.status),
                        oordeel => g.rating.word(),
                        jaar => g.area.year,
                    },
                )?);
            }
        }
        let c = context! {
            rel_vergelijkbaar => format!("{}%", format::number(rating::REL_COMPARABLE * 100.0, 0)),
            pp_vergelijkbaar => format::number(rating::PP_COMPARABLE, 1),
            ratio_duidelijk => format::number(rating::RATIO_CLEARLY, 1),
            ratio_laag => format::number(1.0 / rating::RATIO_CLEARLY, 2),
            pp_duidelijk => format::number(rating::PP_CLEARLY, 0),
            pp_vloer => format::number(rating::PP_RATIO_FLOOR, 0),
            min_aantal => format::number(cat.min_count, 0),
            score_vergelijkbaar => format::number(rating::SCORE_COMPARABLE, 2),
            score_duidelijk => format::number(rating::SCORE_CLEARLY, 2),
        };
        let mut method = Vec::new();
        for key in ["methode_vergelijkbaar", "methode_duidelijk", "methode_referentie", "methode_klein"] {
            method.push(self.say(key, c.clone())?);
        }
        // Only where the page shows a score (SES-WOA): its own rule.
        if p.indicators
            .iter()
            .any(|i| i.shown && i.unit.kind() == crate::model::unit::UnitKind::Score && i.area.status == Status::Value)
        {
            method.push(self.say("methode_score", c.clone())?);
        }
        let method_order = self.say("methode_volgorde", c.clone())?;
        let peer_method = if p.peers.is_some() { self.say("peers_berekening", context! {})? } else { String::new() };
        let peer_rule = match &p.peers {
            Some(set) => {
                let kenmerken = format::and_list(&set.features.iter().map(|f| lower_first(f)).collect::<Vec<_>>());
                self.say(
                    "peers_regel",
                    context! {
                        k => set.members.len(),
                        niveau_mv => level.plural(),
                        kenmerken => kenmerken,
                        min_inwoners => format::count(peers::MIN_INWONERS),
                        jaar => set.year,
                    },
                )?
            }
            None => self.say("peers_geen", context! {})?,
        };
        let alt = alt::alt_texts(p, &themes);
        Ok(Narrative {
            alt,
            intro,
            highlights,
            themes,
            herkomst,
            reading_guide: self.0.reading_guide().to_vec(),
            questions,
            method,
            peer_rule,
            method_order,
            peer_method,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::testdata::dataset;
    use crate::compare::{Context, Options};

    fn text_of(code: &str) -> Narrative {
        let ds = dataset(&[]);
        let p = Context::new(&ds, None).profile(code, &Options::default()).unwrap();
        narrate(&Templates::builtin().unwrap(), &p, &ds.catalogue).unwrap()
    }

    #[test]
    fn a_finding_gives_figure_count_benchmark_and_the_reason() {
        let n = text_of("GM0001");
        let f =
            n.highlights.iter().find(|f| f.indicator == "bijstand").expect("bijstand 8,0% against 2,6% is on page one");
        assert!(f.sentence.starts_with("Bijstandsuitkering: 8,0% (3.200 van de 40.000"), "{}", f.sentence);
        assert!(f.sentence.contains("2,6%") && f.sentence.contains("Nederland"), "{}", f.sentence);
        assert_eq!(f.word, "duidelijk ongunstiger");
        assert_eq!(f.class, "unfav2");
        assert!(f.reason.starts_with("Dit geldt als duidelijk ongunstiger: "), "{}", f.reason);
    }

    #[test]
    fn a_descriptive_figure_says_only_higher_or_lower() {
        // Wmo use 80 against 60 per 1.000: hoger, and never gunstig or ongunstig.
        let n = text_of("GM0001");
        let f = n
            .highlights
            .iter()
            .chain(n.themes.iter().flat_map(|t| &t.findings))
            .find(|f| f.indicator == "wmo")
            .expect("Wmo use is a finding");
        assert_eq!(f.word, "hoger");
        assert!(!f.reason.contains("gunstig"), "{}", f.reason);
        assert!(f.reason.contains("hoger dan in Nederland"), "{}", f.reason);
    }

    #[test]
    fn context_never_stands_out() {
        // 18% 65-plussers against 20,5% and 20% herkomst buiten Europa are context:
        // in the tables, never among the findings.
        let n = text_of("GM0001");
        let all: Vec<&str> = n
            .highlights
            .iter()
            .chain(n.themes.iter().flat_map(|t| &t.findings))
            .map(|f| f.indicator.as_str())
            .collect();
        assert!(
            !all.iter().any(|i| i.starts_with("aandeel_") || i.starts_with("herkomst_") || i.contains("dichtheid")),
            "{all:?}"
        );
    }

    #[test]
    fn the_method_quotes_the_catalogues_minimum_count() {
        let n = text_of("GM0001");
        let small = n.method.iter().find(|m| m.starts_with("Kleine aantallen")).unwrap();
        assert!(small.contains("minder dan 10 personen"), "{small}");
    }
}
