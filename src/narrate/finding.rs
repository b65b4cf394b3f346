//! One finding as a typed claim, and its sentence and reason written from that claim
//! and nothing else. A [`Claim`] says what is compared (the indicator), with what (the
//! benchmark and its figure as printed), which way (the area's value above or below it),
//! how strongly (plain or clear) and from which year; the sentence, the reason (the
//! catalogue's reason *for that direction*) and the document's check all read the same
//! claim, so a reason written for one direction is never printed for the other.
//!
//! Also the order rule of the page: a clear difference always stands above a plain one,
//! and among findings of the same strength a current figure above one that is more than
//! [`crate::compare::STALE_AFTER`] years older than the area's newest.

use minijinja::context;
use serde::Serialize;

use crate::compare::{Benchmark, IndicatorResult, Profile, Rating, Status, Step};
use crate::format;
use crate::model::catalogue::{Catalogue, Polarity};

use super::{gap_words, value_text, Writer};

/// What a finding claims, as data. Every word of its sentence follows from this.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Claim {
    /// Indicator id.
    pub indicator: String,
    /// Compared with Nederland, or with the gemeente where Nederland has no figure.
    pub benchmark: Benchmark,
    /// The benchmark's name as printed ("Nederland", "Rotterdam").
    pub benchmark_name: String,
    /// The area's value lies above the benchmark's.
    pub higher: bool,
    /// A clear difference ("duidelijk …").
    pub clear: bool,
    /// Judged (gunstiger/ongunstiger) rather than described (hoger/lager).
    pub evaluative: bool,
    /// Year of the area's figure.
    pub year: Option<i32>,
    /// The figure is more than two years older than the area's newest.
    pub stale: bool,
    /// The area's value as printed.
    pub value: String,
    /// The benchmark's value as printed.
    pub reference: String,
    /// The gap as printed ("9,9 procentpunt hoger"), when the rule measures one.
    pub gap: Option<String>,
    /// The verdict word ("duidelijk ongunstiger", "hoger").
    pub word: String,
}

/// A finding on page one or in a theme.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Indicator id.
    pub indicator: String,
    /// Theme id.
    pub theme: String,
    /// What: value, count, benchmark.
    pub sentence: String,
    /// Why it counts as (on)gunstig, or why it is only described.
    pub reason: String,
    /// Rating word ("duidelijk ongunstiger").
    pub word: String,
    /// Rating class for styling (see [`Rating::class`]).
    pub class: String,
    /// The year of an older figure (see [`Claim::stale`]), shown beside the verdict;
    /// `None` for a current one.
    pub stale_year: Option<i32>,
    /// What the sentence claims.
    pub claim: Claim,
}

/// The benchmark a finding is compared with: its cell and its name.
fn benchmark<'p>(p: &'p Profile, i: &'p IndicatorResult) -> (&'p crate::compare::Cell, String, Benchmark) {
    match (&i.gemeente, i.main_benchmark()) {
        (Some(g), Benchmark::Gemeente) => (
            g,
            p.gemeente.as_ref().map(|g| g.name.clone()).unwrap_or_else(|| "de gemeente".into()),
            Benchmark::Gemeente,
        ),
        _ => (&i.nederland, "Nederland".to_string(), Benchmark::Nederland),
    }
}

/// The claim of an indicator's main rating; `None` when it is no finding.
pub fn claim(p: &Profile, i: &IndicatorResult) -> Option<Claim> {
    let rating = i.main_rating();
    let step = rating.step.ok().filter(|s| *s != Step::Comparable)?;
    let (bench, benchmark_name, which) = benchmark(p, i);
    Some(Claim {
        indicator: i.id.clone(),
        benchmark: which,
        benchmark_name,
        higher: matches!(step, Step::Higher | Step::ClearlyHigher),
        clear: matches!(step, Step::ClearlyHigher | Step::ClearlyLower),
        evaluative: i.polarity != Polarity::Neutral,
        year: i.area.year,
        stale: p.is_stale(i.area.year),
        value: value_text(i, i.area.value, i.area.status),
        reference: value_text(i, bench.value, bench.status),
        gap: gap_words(rating, i.area.value, bench.value, i.decimals),
        word: rating.word().to_string(),
    })
}

/// The order of findings on a page: clear before plain, then current before older,
/// then the larger gap first (the measure that picks the word), then catalogue order.
pub fn order_key(p: &Profile, k: usize) -> (bool, bool, std::cmp::Reverse<u64>, usize) {
    let i = &p.indicators[k];
    let r: &Rating = i.main_rating();
    let clear = matches!(r.step, Ok(Step::ClearlyHigher | Step::ClearlyLower));
    // Strength as an orderable integer (millionths): NaN never occurs for a finding.
    let strength = (r.strength() * 1e6).round().max(0.0) as u64;
    (!clear, p.is_stale(i.area.year), std::cmp::Reverse(strength), k)
}

/// True when the count and denominator, printed as whole numbers, give the printed
/// share; CBS rounds its counts, so 2.450 of 3.850 (63,6%) may stand beside 64,0%.
fn counts_give_the_share(i: &IndicatorResult) -> bool {
    let (Some(v), Some(c), Some(d)) = (i.area.value, i.area.count, i.area.denominator) else { return true };
    if !i.unit.is_share() || d <= 0.0 {
        return true;
    }
    let scale = i.unit.scale().unwrap_or(100.0);
    format::number(c.round() / d.round() * scale, i.decimals) == format::number(v, i.decimals)
}

impl Writer<'_> {
    /// The finding of one indicator: its claim, sentence and reason.
    pub(super) fn finding(&self, p: &Profile, cat: &Catalogue, i: &IndicatorResult) -> crate::Result<Finding> {
        let rating = i.main_rating();
        let claim = claim(p, i).expect("a finding has a claim");
        let ind = cat.get(&i.id);
        let shares = i.unit.is_share() && i.area.status == Status::Value;
        let ctx = context! {
            label => i.label.clone(),
            onderwerp => ind.map(|d| d.subject()).unwrap_or_else(|| i.label.clone()),
            waarde => claim.value.clone(),
            aantal => i.area.count.filter(|_| !i.is_count()).map(format::count),
            noemer => i.area.denominator.filter(|_| shares).map(format::count),
            // The share the printed counts give differs from the printed one.
            afgerond => !counts_give_the_share(i),
            // "1.990 van de 41.473 inwoners", not "… van de 41.473 alle inwoners".
            populatie => ind
                .map(|d| d.share_of.strip_prefix("alle ").unwrap_or(&d.share_of).to_string())
                .filter(|s| !s.is_empty()),
            gebied => p.region.name.clone(),
            referentie => claim.reference.clone(),
            referentienaam => claim.benchmark_name.clone(),
            verschil => claim.gap.clone(),
            hoger => claim.higher,
            oordeel => claim.word.clone(),
            beschrijvend => !claim.evaluative,
            reden => ind.map(|d| d.reason(claim.higher).to_string()).unwrap_or_default(),
            jaar => i.area.year,
            oud => claim.stale,
        };
        let sentence = self.say("bevinding", ctx.clone())?;
        let reason = if claim.evaluative { self.say("reden", ctx)? } else { self.say("beschrijving", ctx)? };
        Ok(Finding {
            indicator: i.id.clone(),
            theme: i.theme.clone(),
            sentence,
            reason,
            word: rating.word().to_string(),
            class: rating.class().to_string(),
            stale_year: claim.year.filter(|_| claim.stale),
            claim,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_the_printed_counts_give_is_checked() {
        use crate::compare::testdata::dataset;
        use crate::compare::{Context, Options};
        let ds = dataset(&[]);
        let p = Context::new(&ds, None).profile("GM0001", &Options::default()).unwrap();
        let mut i = p.indicator("bijstand").unwrap().clone();
        // 3.200 of 40.000 is 8,0%.
        assert!(counts_give_the_share(&i));
        // 2.450 of 3.850 is 63,6%, not 64,0% (CBS rounds its counts).
        i.area.value = Some(64.0);
        i.area.count = Some(2450.0);
        i.area.denominator = Some(3850.0);
        assert!(!counts_give_the_share(&i));
    }
}
