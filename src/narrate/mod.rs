//! Narrate: turns a [`Profile`] into plain Dutch sentences. The wording lives in
//! `report-templates/zinnen.toml` (minijinja), not in Rust, so a gemeente can reword it;
//! this module only chooses *which* findings to tell and fills in the numbers, formatted
//! the Dutch way. Each finding is first a typed [`Claim`] (what is compared, with what,
//! which way, how strongly, from which year) and its sentence and reason are written
//! from that claim: an evaluative indicator prints the catalogue's reason for the
//! direction its figure differs in, a descriptive one says only hoger/lager. A theme's
//! summary is written from the counts of its table's rows (see `themes`).
//!
//! The sentences come from the run's [`Templates`], which the document stage shares.

pub mod achterstand;
mod alt;
mod finding;
pub mod kort;
mod themes;

pub use finding::{claim, order_key, Claim, Finding};
pub use kort::KortText;

use std::collections::BTreeMap;

use minijinja::{context, Value};
use serde::Serialize;

use crate::compare::{peers, rating, IndicatorResult, Profile, Rating, Status};
use crate::format;
use crate::model::catalogue::{Catalogue, Polarity};
use crate::templates::{lower_first, Templates};

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
    /// The short version for residents (B1): what the area is like, what goes well,
    /// what stands out, questions for the meeting and the figures of page two.
    pub kort: KortText,
    /// Alt text of every chart by file stem, for screen readers (PDF/UA).
    pub alt: BTreeMap<String, String>,
    /// The words beside the achterstandsindex (none where the area has no index).
    pub achterstand: Option<achterstand::IndexText>,
}

/// How many findings page one shows at most.
pub const MAX_HIGHLIGHTS: usize = 5;

/// A value as printed with `decimals` (so a gap computed from it is the one the reader
/// computes from the page).
fn shown(v: f64, decimals: usize) -> f64 {
    let f = 10f64.powi(decimals.min(3) as i32);
    (v * f).round() / f
}

/// The ratio of the values as printed; `None` unless both are positive.
fn shown_ratio(area: Option<f64>, benchmark: Option<f64>, decimals: usize) -> Option<f64> {
    let (a, b) = (shown(area?, decimals), shown(benchmark?, decimals));
    (a > 0.0 && b > 0.0).then(|| a / b)
}

/// The gap as the rule measures it, plainly: "12 procentpunt lager" for a share, "35%
/// hoger" otherwise, both from the values as printed (with `decimals`), so the reader
/// can check them; `None` when comparable.
pub fn gap_measure(rating: &Rating, area: Option<f64>, benchmark: Option<f64>, decimals: usize) -> Option<String> {
    if !rating.is_finding() {
        return None;
    }
    let d = rating.difference?;
    let dir = if d > 0.0 { "hoger" } else { "lager" };
    if rating.share {
        let points = (shown(area?, decimals) - shown(benchmark?, decimals)).abs();
        let points = format::number(points, decimals.min(1));
        let points = points.strip_suffix(",0").unwrap_or(&points);
        return Some(format!("{points} procentpunt {dir}"));
    }
    let r = shown_ratio(area, benchmark, decimals)?;
    Some(format!("{}% {dir}", format::number((r - 1.0).abs() * 100.0, 0)))
}

/// The gap for a finding's sentence: [`gap_measure`], with a large ratio of the printed
/// values in words ("8,4 procentpunt hoger, ongeveer vier keer zo hoog"; for a figure
/// that is not a share the words replace the percentage: "1,8 keer zo hoog").
pub fn gap_words(rating: &Rating, area: Option<f64>, benchmark: Option<f64>, decimals: usize) -> Option<String> {
    let measure = gap_measure(rating, area, benchmark, decimals)?;
    Some(match (rating.share, shown_ratio(area, benchmark, decimals).and_then(format::ratio_words)) {
        (true, Some(times)) => format!("{measure}, {times}"),
        (false, Some(times)) => times,
        (_, None) => measure,
    })
}

/// Formats an indicator's value with its unit (or why it is absent).
pub fn value_text(i: &IndicatorResult, v: Option<f64>, status: Status) -> String {
    shown_value(i, v, status, false)
}

/// The one formatter of a printed value: with its unit (`value_text`), or in a table
/// cell with the unit only where it is short (`short`: %, €; other units are in the
/// label), or why it is absent ("geen gegevens", "klein", …), never 0.
pub fn shown_value(i: &IndicatorResult, v: Option<f64>, status: Status, short: bool) -> String {
    match (status.absent(), v) {
        (None, Some(v)) if short => i.unit.short(v, i.decimals),
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

/// The page-one findings: at most [`MAX_HIGHLIGHTS`], both ways where the area has
/// both (the strongest unfavourable and the strongest favourable first), evaluative ones
/// before the use of zorg & welzijn; then put in the page's order ([`order_key`]: a
/// clear difference above a plain one, a current figure above an older one).
pub fn highlights(p: &Profile) -> Vec<usize> {
    let mut by_order = p.findings.clone();
    by_order.sort_by_key(|&k| order_key(p, k));
    let evaluative: Vec<usize> =
        by_order.iter().copied().filter(|&k| p.indicators[k].polarity != Polarity::Neutral).collect();
    let mut chosen: Vec<usize> = Vec::new();
    for want in [-1i8, 1] {
        if let Some(&k) = evaluative.iter().find(|&&k| p.indicators[k].main_rating().favourable().signum() == want) {
            chosen.push(k);
        }
    }
    let descriptive = by_order.iter().copied().filter(|&k| p.indicators[k].polarity == Polarity::Neutral);
    for k in evaluative.iter().copied().chain(descriptive) {
        if chosen.len() >= MAX_HIGHLIGHTS {
            break;
        }
        if !chosen.contains(&k) {
            chosen.push(k);
        }
    }
    chosen.sort_by_key(|&k| order_key(p, k));
    chosen
}

impl Writer<'_> {
    fn say(&self, key: &str, ctx: Value) -> crate::Result<String> {
        self.0.say(key, ctx)
    }

    /// Writes the text of one factsheet.
    fn narrate(&self, p: &Profile, cat: &Catalogue) -> crate::Result<Narrative> {
        let chosen = highlights(p);
        let mut highlights = Vec::new();
        for &k in &chosen {
            highlights.push(self.finding(p, cat, &p.indicators[k])?);
        }
        let themes = self.theme_texts(p, cat, &chosen)?;
        let (method, method_order) = self.method(p, cat)?;
        let (peer_rule, peer_method) = self.peers(p)?;
        Ok(Narrative {
            achterstand: p.achterstand.as_ref().map(|i| achterstand::text(&p.region.name, i)),
            alt: alt::alt_texts(p, &themes),
            intro: self.intro(p)?,
            kort: self.kort(p, cat)?,
            highlights,
            themes,
            herkomst: self.herkomst(p)?,
            reading_guide: self.0.reading_guide().to_vec(),
            method,
            peer_rule,
            method_order,
            peer_method,
        })
    }

    /// The opening sentence: how many live there. Herkomst is context and stays in the
    /// strip beside the profile, not the first thing said about an area.
    fn intro(&self, p: &Profile) -> crate::Result<String> {
        let inwoners = p.inwoners.unwrap_or(0.0);
        self.say(
            "intro",
            context! {
                gebied => p.region.name.clone(),
                niveau => p.region.level.noun(),
                gemeente => p.region.gemeente_name.clone(),
                inwoners => format::count(inwoners),
                inwoners_n => inwoners,
                jaar => p.year,
            },
        )
    }

    /// The herkomst sentences: the composition, and each group against the same group
    /// in Nederland.
    fn herkomst(&self, p: &Profile) -> crate::Result<Vec<String>> {
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
            for g in i.groups.iter().filter(|g| g.area.status != Status::Missing) {
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
        Ok(herkomst)
    }

    /// How differences are judged, with the thresholds filled in, and how findings are
    /// ordered.
    fn method(&self, p: &Profile, cat: &Catalogue) -> crate::Result<(Vec<String>, String)> {
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
            oud_na => crate::compare::STALE_AFTER,
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
        Ok((method, self.say("methode_volgorde", c)?))
    }

    /// The peer rule and how the peers' distance is computed (empty without peers).
    fn peers(&self, p: &Profile) -> crate::Result<(String, String)> {
        let Some(set) = &p.peers else { return Ok((self.say("peers_geen", context! {})?, String::new())) };
        let kenmerken = format::and_list(&set.features.iter().map(|f| lower_first(f)).collect::<Vec<_>>());
        let rule = self.say(
            "peers_regel",
            context! {
                k => set.members.len(),
                niveau_mv => p.region.level.plural(),
                kenmerken => kenmerken,
                min_inwoners => format::count(peers::MIN_INWONERS),
                jaar => set.year,
            },
        )?;
        Ok((rule, self.say("peers_berekening", context! {})?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::testdata::dataset;
    use crate::compare::{Context, Options};

    fn ds_rationale(id: &str) -> String {
        crate::model::catalogue::Catalogue::builtin().get(id).unwrap().rationale.clone()
    }

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
        // The reason of the direction the figure differs in (higher), not the verdict
        // again (the label before the sentence says it).
        let own = crate::model::catalogue::Catalogue::builtin().get("bijstand").unwrap().reason(true).to_string();
        assert_eq!(f.reason, own);
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
        // Regression: "dat is … hoger. Dit is duidelijk hoger dan in Nederland." said the
        // direction twice; the reason now says why the figure has no verdict.
        assert!(f.sentence.contains("hoger"), "{}", f.sentence);
        assert_eq!(f.reason, ds_rationale("wmo"));
        assert!(!f.reason.contains("hoger dan in"), "{}", f.reason);
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
