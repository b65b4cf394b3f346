//! The text of the short version for residents (`--kort`, the buurtagenda attachment),
//! at B1 level: short sentences, everyday words, a number with its meaning ("ongeveer 1
//! op de 4 huishoudens"), the reader addressed as "u". Page one says what the area is
//! like, what goes well, what stands out and asks three questions, each about another
//! figure; page two lists the catalogue's figures for residents (`kort`), each with one
//! comparison. Every number is the full factsheet's, from the same comparison (the
//! main rating: Nederland, or the gemeente where Nederland has none); only indicators
//! the catalogue words for residents (`kort_label`, `kort_zin`) are told, so no term of
//! the full version slips in. The wording is in `zinnen.toml` (`kort_…`).

use minijinja::context;
use serde::Serialize;

use crate::compare::{Benchmark, IndicatorResult, Profile, Status, Step};
use crate::format;
use crate::model::catalogue::{Catalogue, Indicator, Polarity};

use super::{finding::order_key, value_text, Writer};

/// A tile of page one: a number about who lives there.
#[derive(Debug, Clone, Serialize)]
pub struct KortTile {
    /// Label.
    pub label: String,
    /// The number.
    pub value: String,
    /// What it means ("ongeveer 1 op de 6 inwoners").
    pub meaning: String,
    /// Nederland's ("Nederland: 15,1%"), empty for a count.
    pub compare: String,
}

/// A figure told on page one (what goes well, what stands out).
#[derive(Debug, Clone, Serialize)]
pub struct KortPoint {
    /// Indicator id.
    pub indicator: String,
    /// The sentence.
    pub sentence: String,
    /// The comparison in everyday words ("minder goed", "meer").
    pub word: String,
    /// The verdict class (the chip's colour).
    pub class: String,
    /// The area's value as printed in the sentence.
    pub value: String,
    /// The benchmark's value as printed.
    pub reference: String,
    /// "Nederland" or the gemeente.
    pub reference_name: String,
    /// The area's value lies above the benchmark's.
    pub higher: bool,
    /// The figure's year when it is more than two years older than the area's newest
    /// (printed beside the chip: "cijfer uit 2020"), as on the full factsheet.
    pub stale_year: Option<i32>,
}

/// A question for the meeting.
#[derive(Debug, Clone, Serialize)]
pub struct KortQuestion {
    /// The figure it is about (none for the open question).
    pub indicator: Option<String>,
    /// The question, with the fact it starts from.
    pub text: String,
}

/// The words of one figure on page two; the numbers come from its table row.
#[derive(Debug, Clone, Serialize)]
pub struct KortFigure {
    /// Indicator id.
    pub indicator: String,
    /// Label in everyday words.
    pub label: String,
    /// What the number means ("ongeveer de helft van de huishoudens").
    pub meaning: String,
    /// The comparison in everyday words.
    pub word: String,
    /// The verdict class.
    pub class: String,
}

/// All text of the short version.
#[derive(Debug, Clone, Serialize, Default)]
pub struct KortText {
    /// Under the name.
    pub subtitle: String,
    /// Who lives there, in numbers.
    pub tiles: Vec<KortTile>,
    /// What the area is like, in sentences (the housing, the herkomst line).
    pub about: Vec<String>,
    /// What goes well (at least one, when a figure is better than the benchmark or as
    /// good).
    pub good: Vec<KortPoint>,
    /// Said when no figure goes well.
    pub good_none: String,
    /// What stands out.
    pub notable: Vec<KortPoint>,
    /// Said when nothing stands out.
    pub notable_none: String,
    /// Three questions, each about another figure.
    pub questions: Vec<KortQuestion>,
    /// Page two: the figures for residents, in catalogue order.
    pub figures: Vec<KortFigure>,
    /// Page two's opening.
    pub intro: String,
    /// Page two: the figures for residents this area has none of (the sentence before
    /// the list).
    pub not_here: String,
    /// Their labels.
    pub not_here_list: Vec<String>,
}

/// The figures page one describes the area with (the tiles, the housing, the herkomst
/// line), besides the figures of page two.
pub const CONTEXT: &[&str] = &[
    "inwoners",
    "huishoudens",
    "aandeel_0_14",
    "aandeel_65plus",
    "eenpersoonshuishoudens",
    "huurwoningen_corporatie",
    "herkomst_nederland",
    "herkomst_europa",
    "herkomst_buiten_europa",
];

/// How many figures page one tells at most as going well, and as standing out.
const MAX_GOOD: usize = 2;
const MAX_NOTABLE: usize = 3;

/// A share in everyday words: "ongeveer de helft van de huishoudens", "ongeveer 1 op
/// de 4 inwoners", "ongeveer 6 op de 10 woningen", "minder dan 1 op de 100 …".
pub fn share_words(pct: f64, wie: &str) -> String {
    if !pct.is_finite() || pct < 1.0 {
        return format!("minder dan 1 op de 100 {wie}");
    }
    if pct > 98.0 {
        return format!("bijna alle {wie}");
    }
    if (pct - 50.0).abs() <= 5.0 {
        return format!("ongeveer de helft van de {wie}");
    }
    for (a, b) in [(1, 4), (1, 3), (2, 3), (3, 4)] {
        if (pct - 100.0 * a as f64 / b as f64).abs() <= 2.0 {
            return format!("ongeveer {a} op de {b} {wie}");
        }
    }
    if pct < 20.0 {
        let n = 100.0 / pct;
        // Round to a number one can picture: 13, 20, 40, 55.
        let n = if n > 20.0 { (n / 5.0).round() * 5.0 } else { n.round() };
        return format!("ongeveer 1 op de {} {wie}", format::number(n, 0));
    }
    let k = (pct / 10.0).round();
    format!("ongeveer {} op de 10 {wie}", format::number(k, 0))
}

/// What an indicator's value means for residents: a share or a rate of people as "1
/// op de …", events as a number per 1.000 inwoners in a year; empty otherwise.
pub fn meaning(i: &IndicatorResult, ind: &Indicator, v: Option<f64>) -> String {
    let Some(v) = v else { return String::new() };
    match (&ind.kort_wie, i.unit.scale()) {
        (Some(wie), Some(scale)) => share_words(v / scale * 100.0, wie),
        (None, Some(_)) => format!("ongeveer {} op elke 1.000 inwoners in een jaar", format::number(v.round(), 0)),
        _ => String::new(),
    }
}

/// The benchmark of the main rating: its cell and name.
fn benchmark<'p>(p: &'p Profile, i: &'p IndicatorResult) -> (&'p crate::compare::Cell, String) {
    match (&i.gemeente, i.main_benchmark(), &p.gemeente) {
        (Some(g), Benchmark::Gemeente, Some(gm)) => (g, gm.name.clone()),
        _ => (&i.nederland, "Nederland".to_string()),
    }
}

/// The indicators of the short version that the page shows, in catalogue order.
pub fn figures<'p>(p: &'p Profile, cat: &'p Catalogue) -> Vec<(&'p IndicatorResult, &'p Indicator)> {
    p.indicators
        .iter()
        .filter(|i| i.shown && crate::compare::themes::in_table(i))
        .filter_map(|i| Some((i, cat.get(&i.id).filter(|d| d.kort)?)))
        .collect()
}

impl Writer<'_> {
    /// The text of the short version.
    pub(super) fn kort(&self, p: &Profile, cat: &Catalogue) -> crate::Result<KortText> {
        let figures = figures(p, cat);
        let mut t = KortText {
            subtitle: self.say(
                "kort_ondertitel",
                context! {
                    niveau => p.region.level.noun(),
                    gemeente => p.gemeente.as_ref().map(|g| g.name.clone()),
                    jaar => p.year,
                },
            )?,
            tiles: tiles(p),
            about: self.about(p)?,
            ..KortText::default()
        };
        // What goes well: better than the benchmark, strongest first; else as good.
        let rated = |i: &IndicatorResult| i.area.status == Status::Value && i.main_rating().step.is_ok();
        let mut order: Vec<usize> = (0..p.indicators.len()).collect();
        order.sort_by_key(|&k| order_key(p, k));
        let ranked: Vec<(&IndicatorResult, &Indicator)> = order
            .iter()
            .filter_map(|&k| figures.iter().find(|(i, _)| std::ptr::eq(*i, &p.indicators[k])).copied())
            .collect();
        let judged = |i: &IndicatorResult| i.polarity != Polarity::Neutral;
        let better: Vec<_> =
            ranked.iter().filter(|(i, _)| judged(i) && rated(i) && i.main_rating().favourable() > 0).collect();
        let as_good: Vec<_> = ranked
            .iter()
            .filter(|(i, _)| judged(i) && rated(i) && i.main_rating().step == Ok(Step::Comparable))
            .collect();
        let good: Vec<_> = if better.is_empty() { as_good.into_iter().take(1).collect() } else { better };
        for (i, d) in good.into_iter().take(MAX_GOOD) {
            t.good.push(self.point(p, i, d)?);
        }
        if t.good.is_empty() {
            // "Nowhere better" only where figures were compared; with none to compare,
            // that sentence would be untrue and discouraging.
            let compared = ranked.iter().any(|(i, _)| judged(i) && rated(i));
            let key = if compared { "kort_geen_goed" } else { "kort_geen_oordeel" };
            t.good_none = self.say(key, context! { referentienaam => "Nederland", gebied => p.region.name.clone() })?;
        }
        // What stands out: worse than the benchmark first, then what is clearly more or
        // less (use of help), strongest first.
        let differs = |i: &IndicatorResult| rated(i) && i.main_rating().step != Ok(Step::Comparable);
        let told = |i: &IndicatorResult, t: &KortText| t.good.iter().any(|g| g.indicator == i.id);
        let worse = ranked.iter().filter(|(i, _)| judged(i) && differs(i) && i.main_rating().favourable() < 0);
        // Only findings: context (the housing stock) is told under "wie er wonen".
        let more = ranked.iter().filter(|(i, _)| !judged(i) && i.finding && differs(i));
        for (i, d) in worse.chain(more) {
            if t.notable.len() < MAX_NOTABLE && !told(i, &t) {
                t.notable.push(self.point(p, i, d)?);
            }
        }
        if t.notable.is_empty() {
            t.notable_none = self.say("kort_niets_valt_op", context! { referentienaam => "Nederland" })?;
        }
        t.questions = self.questions(p, &figures, &t)?;
        t.figures = figures
            .iter()
            .map(|(i, d)| {
                let v = i.main_rating().verdict();
                KortFigure {
                    indicator: i.id.clone(),
                    label: d.kort_label.clone().unwrap_or_else(|| i.label.clone()),
                    meaning: meaning(i, d, i.area.value.filter(|_| i.area.status == Status::Value)),
                    word: v.kort_word().to_string(),
                    class: v.class().to_string(),
                }
            })
            .collect();
        t.intro = self.say(
            "kort_uitleg",
            context! { referentienaam => "Nederland", gemeente => p.gemeente.as_ref().map(|g| g.name.clone()) },
        )?;
        let lacking: Vec<String> = cat
            .indicators
            .iter()
            .filter(|d| d.kort)
            // Not shown, and no other source of its concept (or its label) stands in.
            .filter(|d| {
                !figures
                    .iter()
                    .any(|(_, f)| f.kort_label == d.kort_label || (d.concept.is_some() && f.concept == d.concept))
            })
            .filter_map(|d| d.kort_label.as_deref().map(crate::templates::lower_first))
            .fold(Vec::new(), |mut all, l| {
                if !all.contains(&l) {
                    all.push(l);
                }
                all
            });
        if !lacking.is_empty() {
            t.not_here = self.say("kort_niet_hier", context! { niveau => p.region.level.noun() })?;
            t.not_here_list = lacking;
        }
        Ok(t)
    }

    /// One figure told on page one, as a sentence with its numbers.
    fn point(&self, p: &Profile, i: &IndicatorResult, d: &Indicator) -> crate::Result<KortPoint> {
        let (bench, bench_name) = benchmark(p, i);
        let value = value_text(i, i.area.value, i.area.status);
        let reference = value_text(i, bench.value, bench.status);
        let sentence = match (&d.kort_wie, &d.kort_zin) {
            (Some(_), Some(zin)) => self.say(
                "kort_feit",
                context! {
                    betekenis => meaning(i, d, i.area.value),
                    gebied => p.region.name.clone(),
                    waarde => value.clone(),
                    zin => zin.clone(),
                    referentienaam => bench_name.clone(),
                    referentie => reference.clone(),
                },
            )?,
            _ => self.say(
                "kort_feit_gebeurtenis",
                context! {
                    label => d.kort_label.clone().unwrap_or_else(|| i.label.clone()),
                    gebied => p.region.name.clone(),
                    waarde => i.area.value.map(|v| i.unit.bare(v, i.decimals)),
                    referentienaam => bench_name.clone(),
                    referentie => bench.value.map(|v| i.unit.bare(v, i.decimals)),
                },
            )?,
        };
        let v = i.main_rating().verdict();
        Ok(KortPoint {
            indicator: i.id.clone(),
            sentence,
            word: v.kort_word().to_string(),
            class: v.class().to_string(),
            value,
            reference,
            reference_name: bench_name,
            higher: i.main_rating().difference.unwrap_or(0.0) > 0.0,
            stale_year: i.area.year.filter(|y| p.is_stale(Some(*y))),
        })
    }

    /// The fact a question starts from: short, without the numbers (page one's points
    /// give them), with the direction of the comparison.
    fn fact(&self, p: &Profile, i: &IndicatorResult, d: &Indicator) -> crate::Result<String> {
        let (_, bench_name) = benchmark(p, i);
        let r = i.main_rating();
        let (richting, dan) = match r.step {
            Ok(Step::Comparable) => ("ongeveer evenveel", "als"),
            _ if r.difference.unwrap_or(0.0) > 0.0 => ("meer", "dan"),
            _ => ("minder", "dan"),
        };
        let key = if d.kort_wie.is_some() { "kort_vraag_feit" } else { "kort_vraag_feit_gebeurtenis" };
        self.say(
            key,
            context! {
                betekenis => meaning(i, d, i.area.value),
                zin => d.kort_zin.clone(),
                richting => richting,
                dan => dan,
                referentienaam => bench_name,
                label => d.kort_label.clone(),
            },
        )
    }

    /// Three questions, each about another figure and each asked another way: what
    /// stands out most (do you recognise it?), what goes well (what makes it so?), the
    /// next figures that stand out (what would help? what can we do together?); the open
    /// question when the figures run out.
    fn questions(
        &self,
        p: &Profile,
        figures: &[(&IndicatorResult, &Indicator)],
        t: &KortText,
    ) -> crate::Result<Vec<KortQuestion>> {
        let find = |id: &str| figures.iter().find(|(i, _)| i.id == id).copied();
        let mut plan: Vec<(&str, &str)> = Vec::new();
        // What stands out most, what goes well, what else stands out …
        let mut standing_out = ["kort_vraag_herken", "kort_vraag_helpt", "kort_vraag_samen"].into_iter();
        // A figure without a verdict (the use of help, health) is asked about neutrally:
        // more jeugdhulp is no problem to solve together.
        let descriptive = |id: &str| find(id).is_some_and(|(i, _)| i.polarity == Polarity::Neutral);
        let mut neutral = ["kort_vraag_klopt", "kort_vraag_beeld"].into_iter();
        let mut notable = t.notable.iter().map(|n| n.indicator.as_str());
        if let Some(id) = notable.next() {
            let key = if descriptive(id) { neutral.next() } else { standing_out.next() };
            if let Some(key) = key {
                plan.push((key, id));
            }
        }
        if let Some(g) = t.good.first() {
            let key = if g.word.ends_with("beter") { "kort_vraag_goed" } else { "kort_vraag_gelijk" };
            plan.push((key, g.indicator.as_str()));
        }
        for id in notable {
            if let Some(key) = if descriptive(id) { neutral.next() } else { standing_out.next() } {
                plan.push((key, id));
            }
        }
        // … then another finding of page two that is about as in the benchmark.
        // Findings first, then what describes the area (the housing); "about the same"
        // only for a figure that is.
        let others = figures.iter().filter(|(i, _)| i.finding).chain(figures.iter().filter(|(i, _)| !i.finding));
        for (i, _) in others.filter(|(i, _)| i.area.status == Status::Value && rated_here(i)) {
            if plan.len() >= 3 || plan.iter().any(|(_, used)| *used == i.id) {
                continue;
            }
            let same = i.main_rating().step == Ok(Step::Comparable);
            let key = ["kort_vraag_gelijk", "kort_vraag_klopt"]
                .into_iter()
                .filter(|k| same || *k != "kort_vraag_gelijk")
                .find(|k| !plan.iter().any(|(used, _)| used == k));
            if let Some(key) = key {
                plan.push((key, i.id.as_str()));
            }
        }
        plan.truncate(3);
        let mut out = Vec::new();
        for (key, id) in plan {
            let Some((i, d)) = find(id) else { continue };
            let feit = self.fact(p, i, d)?;
            let (_, bench_name) = benchmark(p, i);
            let text = self.say(key, context! { feit => feit, referentienaam => bench_name })?;
            out.push(KortQuestion { indicator: Some(id.to_string()), text });
        }
        // When the figures run out: questions about the area itself.
        for key in ["kort_vraag_open", "kort_vraag_open_buurt", "kort_vraag_open_samen"] {
            if out.len() < 3 {
                out.push(KortQuestion {
                    indicator: None,
                    text: self.say(key, context! { gebied => p.region.name.clone() })?,
                });
            }
        }
        Ok(out)
    }

    /// What the area is like: its housing and its herkomst in one line with counts.
    fn about(&self, p: &Profile) -> crate::Result<Vec<String>> {
        let mut out = Vec::new();
        if let Some(i) = p.indicator("huurwoningen_corporatie").filter(|i| i.area.status == Status::Value) {
            out.push(self.say(
                "kort_huur",
                context! {
                    betekenis => meaning_of(i, "woningen"),
                    waarde => value_text(i, i.area.value, i.area.status),
                },
            )?);
        }
        let parts: Vec<String> = [
            ("herkomst_nederland", "Nederland"),
            ("herkomst_europa", "elders in Europa"),
            ("herkomst_buiten_europa", "buiten Europa"),
        ]
        .iter()
        .filter_map(|(id, words)| {
            let i = p.indicator(id).filter(|i| i.area.status == Status::Value)?;
            let share = crate::model::Unit::Percent.format(i.area.value?, 0);
            Some(match i.area.count {
                Some(n) => format!("{words} {} ({share})", format::count(n)),
                None => format!("{words} {share}"),
            })
        })
        .collect();
        if !parts.is_empty() {
            out.push(self.say("kort_herkomst", context! { delen => parts })?);
        }
        Ok(out)
    }
}

/// True when the figure has a benchmark to be compared with.
fn rated_here(i: &IndicatorResult) -> bool {
    i.main_rating().step.is_ok()
}

/// A share's meaning for `wie`.
fn meaning_of(i: &IndicatorResult, wie: &str) -> String {
    i.area.value.map(|v| share_words(v, wie)).unwrap_or_default()
}

/// The tiles of page one: inwoners (with the households), children, 65-plussers and
/// one-person households, each with its meaning and Nederland's figure.
fn tiles(p: &Profile) -> Vec<KortTile> {
    let mut out = Vec::new();
    if let Some(i) = p.indicator("inwoners").filter(|i| i.area.status == Status::Value) {
        let households = p
            .indicator("huishoudens")
            .and_then(|h| h.area.value.filter(|_| h.area.status == Status::Value))
            .map(|h| format!("in {} huishoudens", format::count(h)))
            .unwrap_or_default();
        out.push(KortTile {
            label: "Inwoners".into(),
            value: value_text(i, i.area.value, i.area.status),
            meaning: households,
            compare: i.area.year.map(|y| format!("op 1 januari {y}")).unwrap_or_default(),
        });
    }
    for (id, label, wie) in [
        ("aandeel_0_14", "Kinderen tot 15 jaar", "inwoners"),
        ("aandeel_65plus", "65 jaar en ouder", "inwoners"),
        ("eenpersoonshuishoudens", "Huishoudens van één persoon", "huishoudens"),
    ] {
        let Some(i) = p.indicator(id).filter(|i| i.area.status == Status::Value) else { continue };
        out.push(KortTile {
            label: label.into(),
            value: value_text(i, i.area.value, i.area.status),
            meaning: meaning_of(i, wie),
            compare: i
                .nederland
                .value
                .map(|v| format!("Nederland: {}", i.unit.format(v, i.decimals)))
                .unwrap_or_default(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_is_said_as_a_part_one_can_picture() {
        assert_eq!(share_words(49.5, "huishoudens"), "ongeveer de helft van de huishoudens");
        assert_eq!(share_words(24.0, "huishoudens"), "ongeveer 1 op de 4 huishoudens");
        assert_eq!(share_words(56.0, "mensen van 15 tot 75 jaar"), "ongeveer 6 op de 10 mensen van 15 tot 75 jaar");
        assert_eq!(share_words(8.0, "inwoners"), "ongeveer 1 op de 13 inwoners");
        assert_eq!(share_words(15.1, "inwoners"), "ongeveer 1 op de 7 inwoners");
        assert_eq!(share_words(2.6, "inwoners"), "ongeveer 1 op de 40 inwoners");
        assert_eq!(share_words(66.0, "volwassenen"), "ongeveer 2 op de 3 volwassenen");
        assert_eq!(share_words(0.4, "woningen"), "minder dan 1 op de 100 woningen");
        assert_eq!(share_words(99.0, "woningen"), "bijna alle woningen");
    }
}
