//! The rating rule: when is a difference between an area and a benchmark a finding, and
//! when is it a clear one. This module owns the thresholds and the wording of the five
//! steps; the methodology page of the factsheet quotes the constants from here, so the
//! PDF and the code cannot drift apart.
//!
//! The rule, in order, with the gap measured in percentage points for a share and as a
//! ratio otherwise:
//! 1. No benchmark, or no value for the area (missing, suppressed, small number): not
//!    rated.
//! 2. **Comparable** when a share differs by less than [`PP_COMPARABLE`] (0,5
//!    percentage point), any other figure by less than [`REL_COMPARABLE`] (10%) of the
//!    benchmark, or the benchmark lies inside the area's 95% confidence interval
//!    (Wilson for a share with count and denominator, Poisson for a rate with its count).
//! 3. **Clearly** higher/lower when a share differs by at least [`PP_CLEARLY`] (5
//!    percentage points), or when the area is at least [`RATIO_CLEARLY`] (1,5) times the
//!    benchmark or at most 1/1,5 of it (for a share also at least [`PP_RATIO_FLOOR`], 1
//!    point: 2,9% against 1,1% is clear, 1,4% against 0,6% is not).
//! 4. Otherwise higher/lower.
//!
//! A standardised score around a national mean of 0 (SES-WOA) has no meaningful ratio:
//! it is comparable within [`SCORE_COMPARABLE`] (0,05) of the benchmark and clearly
//! different from [`SCORE_CLEARLY`] (0,25) on; wijken lie roughly between −0,6 and +0,6.
//!
//! Findings are ranked by [`Rating::strength`], the same measure: the gap divided by the
//! threshold of "clearly", so every clear finding ranks above every plain one.
//!
//! Evaluative indicators turn higher/lower into gunstiger/ongunstiger by their polarity;
//! descriptive ones keep hoger/lager.

use serde::Serialize;

use crate::model::catalogue::Polarity;
use crate::model::unit::{Unit, UnitKind};

use super::verdict::Verdict;

/// For a figure that is not a share: below this relative difference an area is
/// comparable to its benchmark.
pub const REL_COMPARABLE: f64 = 0.10;
/// For a share: below this many percentage points the area is comparable.
pub const PP_COMPARABLE: f64 = 0.5;
/// From this ratio (or its inverse) a difference is clear.
pub const RATIO_CLEARLY: f64 = 1.5;
/// For a share: from this many percentage points a difference is clear, whatever the
/// ratio (56% against 68% is clear).
pub const PP_CLEARLY: f64 = 5.0;
/// For a share: a difference is clear by its ratio only from this many points.
pub const PP_RATIO_FLOOR: f64 = 1.0;
/// For a score (SES-WOA, Dutch mean 0): below this difference an area is comparable.
pub const SCORE_COMPARABLE: f64 = 0.05;
/// For a score: from this difference on it is clear.
pub const SCORE_CLEARLY: f64 = 0.25;
/// z for the 95% confidence interval.
pub const Z95: f64 = 1.959_964;

/// Where the area lies relative to the benchmark, in the direction of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Clearly lower.
    ClearlyLower,
    /// Lower.
    Lower,
    /// No difference worth reporting.
    Comparable,
    /// Higher.
    Higher,
    /// Clearly higher.
    ClearlyHigher,
}

impl Step {
    /// −2 … +2 in the direction of the value.
    pub fn signed(self) -> i8 {
        match self {
            Step::ClearlyLower => -2,
            Step::Lower => -1,
            Step::Comparable => 0,
            Step::Higher => 1,
            Step::ClearlyHigher => 2,
        }
    }
}

/// Why there is no rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotRated {
    /// The area has no figure (missing or suppressed by CBS).
    NoData,
    /// The count behind the figure is too small to show.
    SmallNumber,
    /// The benchmark has no figure for the same year.
    NoBenchmark,
    /// A count (inwoners, woningen): its size is described, never judged.
    Size,
}

/// A rating of one figure against one benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rating {
    /// The step, or why there is none.
    pub step: Result<Step, NotRated>,
    /// The indicator's polarity.
    pub polarity: Polarity,
    /// area / benchmark (when both are positive).
    pub ratio: Option<f64>,
    /// area − benchmark.
    pub difference: Option<f64>,
    /// The gap in units of "clearly" ([`severity`]); 0 when comparable or not rated.
    pub severity: f64,
    /// The figure is a share, so its gap is in percentage points.
    pub share: bool,
}

/// The inputs of a rating: the area's value with its count and denominator.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    /// The value in the indicator's unit.
    pub value: f64,
    /// The count behind it (persons, misdrijven …), when known.
    pub count: Option<f64>,
    /// The population it is a share or rate of, when known.
    pub denominator: Option<f64>,
}

/// The area's 95% confidence interval, when count and denominator are known: Wilson for
/// a percentage, Byar's approximation of the Poisson interval for a rate.
pub fn interval(unit: Unit, f: &Figure) -> Option<(f64, f64)> {
    let (c, n) = (f.count?, f.denominator?);
    if n <= 0.0 || c < 0.0 {
        return None;
    }
    let scale = unit.scale()?;
    let z = Z95;
    if unit.is_share() {
        let p = (c / n).min(1.0);
        let z2 = z * z;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
        Some(((centre - half) * scale, (centre + half) * scale))
    } else {
        let lower = if c == 0.0 { 0.0 } else { c * (1.0 - 1.0 / (9.0 * c) - z / (3.0 * c.sqrt())).powi(3) };
        let c1 = c + 1.0;
        let upper = c1 * (1.0 - 1.0 / (9.0 * c1) + z / (3.0 * c1.sqrt())).powi(3);
        Some((lower / n * scale, upper / n * scale))
    }
}

/// How far `a` lies from `b` in units of "clearly": ≥ 1 is a clear difference. The gap
/// in points over [`PP_CLEARLY`] for a share, the log ratio over the log of
/// [`RATIO_CLEARLY`] (for a share only from [`PP_RATIO_FLOOR`] points).
pub fn severity(unit: Unit, a: f64, b: f64) -> f64 {
    let d = (a - b).abs();
    // A score around 0 has no meaningful ratio: its gap counts.
    if unit.kind() == UnitKind::Score {
        return d / SCORE_CLEARLY;
    }
    let by_ratio = if a > 0.0 && b > 0.0 {
        (a / b).ln().abs() / RATIO_CLEARLY.ln()
    } else if d > f64::EPSILON {
        f64::INFINITY
    } else {
        0.0
    };
    if unit.is_share() {
        let by_points = d / PP_CLEARLY;
        if d >= PP_RATIO_FLOOR {
            by_points.max(by_ratio)
        } else {
            by_points
        }
    } else {
        by_ratio
    }
}

/// Places an area figure against a benchmark value (see the module header for the rule).
pub fn step(unit: Unit, area: &Figure, benchmark: f64) -> Step {
    let a = area.value;
    let b = benchmark;
    let d = a - b;
    let small = if unit.is_share() {
        d.abs() < PP_COMPARABLE
    } else if unit.kind() == UnitKind::Score {
        d.abs() < SCORE_COMPARABLE
    } else if b.abs() > f64::EPSILON {
        d.abs() / b.abs() < REL_COMPARABLE
    } else {
        d.abs() <= f64::EPSILON
    };
    if small {
        return Step::Comparable;
    }
    if let Some((lo, hi)) = interval(unit, area) {
        if (lo..=hi).contains(&b) {
            return Step::Comparable;
        }
    }
    let clear = severity(unit, a, b) >= 1.0;
    match (d > 0.0, clear) {
        (true, true) => Step::ClearlyHigher,
        (true, false) => Step::Higher,
        (false, true) => Step::ClearlyLower,
        (false, false) => Step::Lower,
    }
}

impl Rating {
    /// Rates `area` against `benchmark`; `area` is `Err` when the area has no usable
    /// figure.
    pub fn new(polarity: Polarity, unit: Unit, area: Result<Figure, NotRated>, benchmark: Option<f64>) -> Rating {
        let none = |why| Rating {
            step: Err(why),
            polarity,
            ratio: None,
            difference: None,
            severity: 0.0,
            share: unit.is_share(),
        };
        let area = match area {
            Ok(a) => a,
            Err(why) => return none(why),
        };
        if unit.is_count() {
            return none(NotRated::Size);
        }
        let Some(b) = benchmark else { return none(NotRated::NoBenchmark) };
        let step = step(unit, &area, b);
        Rating {
            step: Ok(step),
            polarity,
            ratio: (area.value > 0.0 && b > 0.0).then(|| area.value / b),
            difference: Some(area.value - b),
            severity: if step == Step::Comparable { 0.0 } else { severity(unit, area.value, b) },
            share: unit.is_share(),
        }
    }

    /// The rating where the source publishes the area's 95% interval (SES-WOA): a
    /// benchmark inside it is no difference to speak of, as inside a computed interval.
    pub fn within(mut self, interval: Option<(f64, f64)>, benchmark: Option<f64>) -> Rating {
        if let (Some((lo, hi)), Some(b), Ok(_)) = (interval, benchmark, &self.step) {
            if (lo..=hi).contains(&b) {
                self.step = Ok(Step::Comparable);
                self.severity = 0.0;
            }
        }
        self
    }

    /// −2 … +2 where positive is gunstiger; 0 for comparable, descriptive or unrated.
    pub fn favourable(&self) -> i8 {
        let s = self.step.map(Step::signed).unwrap_or(0);
        match self.polarity {
            Polarity::Higher => s,
            Polarity::Lower => -s,
            Polarity::Neutral => 0,
        }
    }

    /// True for a rated, non-comparable difference.
    pub fn is_finding(&self) -> bool {
        matches!(self.step, Ok(s) if s != Step::Comparable)
    }

    /// How far the area deviates, used to rank findings: the same measure that picks
    /// the word ([`severity`]), so a clear finding always ranks above a plain one. 0 when
    /// comparable or not rated.
    pub fn strength(&self) -> f64 {
        if !self.is_finding() {
            return 0.0;
        }
        self.severity
    }

    /// The verdict: one of the five steps for an evaluative indicator, hoger/lager for
    /// a descriptive one, or [`Verdict::None`].
    pub fn verdict(&self) -> Verdict {
        let Ok(step) = self.step else { return Verdict::None };
        if self.polarity == Polarity::Neutral {
            return match step {
                Step::ClearlyHigher => Verdict::ClearlyHigher,
                Step::Higher => Verdict::Higher,
                Step::Comparable => Verdict::Comparable,
                Step::Lower => Verdict::Lower,
                Step::ClearlyLower => Verdict::ClearlyLower,
            };
        }
        match self.favourable() {
            2 => Verdict::ClearlyFavourable,
            1 => Verdict::Favourable,
            0 => Verdict::Comparable,
            -1 => Verdict::Unfavourable,
            _ => Verdict::ClearlyUnfavourable,
        }
    }

    /// The Dutch word: "duidelijk gunstiger", "ongunstiger", "vergelijkbaar", "hoger",
    /// or why there is none: "geen gegevens", "te weinig waarnemingen" …
    pub fn word(&self) -> &'static str {
        match self.step {
            Ok(_) => self.verdict().word(),
            Err(NotRated::NoData) => "geen gegevens",
            Err(NotRated::SmallNumber) => "te weinig waarnemingen",
            Err(NotRated::NoBenchmark) => "geen vergelijking",
            Err(NotRated::Size) => "omvang",
        }
    }

    /// The verdict's style class (`fav2`, `same`, `low1`, `none` …).
    pub fn class(&self) -> &'static str {
        self.verdict().class()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(v: f64) -> Figure {
        Figure { value: v, count: None, denominator: None }
    }

    #[test]
    fn small_gap_on_a_half_share_is_not_a_finding() {
        // 50,3% against 50%: 0,3 percentage point.
        assert_eq!(step(Unit::Percent, &fig(50.3), 50.0), Step::Comparable);
        let r = Rating::new(Polarity::Higher, Unit::Percent, Ok(fig(50.3)), Some(50.0));
        assert_eq!(r.word(), "vergelijkbaar");
        assert!(!r.is_finding());
    }

    #[test]
    fn relative_threshold_for_non_percentages() {
        assert_eq!(step(Unit::Euro1000, &fig(330.0), 310.0), Step::Comparable); // 6,5%
        assert_eq!(step(Unit::Euro1000, &fig(350.0), 310.0), Step::Higher); // 12,9%
        assert_eq!(step(Unit::Euro1000, &fig(470.0), 310.0), Step::ClearlyHigher); // ×1,52
        assert_eq!(step(Unit::Per1000, &fig(30.0), 50.0), Step::ClearlyLower); // ×0,6
        assert_eq!(step(Unit::Per1000, &fig(40.0), 50.0), Step::Lower); // ×0,8
    }

    #[test]
    fn shares_are_judged_in_points() {
        // ×1,4 and 0,8 point: higher, not clearly; ×1,75 and 1,5 points: clearly.
        assert_eq!(step(Unit::Percent, &fig(2.8), 2.0), Step::Higher);
        assert_eq!(step(Unit::Percent, &fig(3.5), 2.0), Step::ClearlyHigher);
        // Twice as high and 4,4 points: clearly.
        assert_eq!(step(Unit::Percent, &fig(8.8), 4.4), Step::ClearlyHigher);
        // 6 points on 60%: clearly, though only ×1,1.
        assert_eq!(step(Unit::Percent, &fig(66.0), 60.0), Step::ClearlyHigher);
        // 2 points on 70%: lower.
        assert_eq!(step(Unit::Percent, &fig(68.0), 70.0), Step::Lower);
        // Under half a point: comparable even though ×1,2.
        assert_eq!(step(Unit::Percent, &fig(2.4), 2.0), Step::Comparable);
    }

    #[test]
    fn words_scale_with_the_gap() {
        // Overvecht: participation 56,0% against 68,0%, twelve points: clearly.
        let r = Rating::new(Polarity::Higher, Unit::Percent, Ok(fig(56.0)), Some(68.0));
        assert_eq!(r.word(), "duidelijk ongunstiger");
        // Utrecht: sociaal minimum 7,0% against 6,1%, under a point: ongunstiger, not
        // the same word as twelve points.
        let r = Rating::new(Polarity::Lower, Unit::Percent, Ok(fig(7.0)), Some(6.1));
        assert_eq!(r.word(), "ongunstiger");
        // Rotterdam: betalingsachterstand 2,9% against 1,1%, 2,6 times: clearly.
        let r = Rating::new(Polarity::Lower, Unit::Percent, Ok(fig(2.9)), Some(1.1));
        assert_eq!(r.word(), "duidelijk ongunstiger");
        // A large ratio on a tiny share is not clear: 1,4% against 0,6%.
        assert_eq!(step(Unit::Percent, &fig(1.4), 0.6), Step::Higher);
    }

    #[test]
    fn findings_rank_by_the_measure_that_picks_the_word() {
        let r = |v, b| Rating::new(Polarity::Lower, Unit::Percent, Ok(fig(v)), Some(b));
        let (participation, minimum, arrears) =
            (Rating::new(Polarity::Higher, Unit::Percent, Ok(fig(56.0)), Some(68.0)), r(7.0, 6.1), r(2.9, 1.1));
        // Every clear finding above every plain one, whatever the ratio.
        assert!(participation.strength() >= 1.0 && arrears.strength() >= 1.0);
        assert!(minimum.strength() < 1.0 && minimum.strength() > 0.0);
        assert!(minimum.strength() < participation.strength().min(arrears.strength()));
    }

    #[test]
    fn a_published_interval_that_holds_the_benchmark_makes_it_comparable() {
        // SES-WOA −0,30 against 0: clearly lower, unless CBS's interval reaches 0.
        let r = || Rating::new(Polarity::Neutral, Unit::Score, Ok(fig(-0.30)), Some(0.0));
        assert_eq!(r().step, Ok(Step::ClearlyLower));
        assert_eq!(r().within(Some((-0.45, -0.15)), Some(0.0)).step, Ok(Step::ClearlyLower));
        let wide = r().within(Some((-0.62, 0.02)), Some(0.0));
        assert_eq!((wide.step, wide.severity), (Ok(Step::Comparable), 0.0));
        assert_eq!(r().within(None, Some(0.0)).step, Ok(Step::ClearlyLower));
    }

    #[test]
    fn confidence_interval_makes_small_areas_comparable() {
        // 3 of 20 = 15% against 10%: the Wilson interval (5%–36%) holds 10%.
        let f = Figure { value: 15.0, count: Some(3.0), denominator: Some(20.0) };
        assert_eq!(step(Unit::Percent, &f, 10.0), Step::Comparable);
        // 1.500 of 10.000 = 15% against 10%: clearly higher.
        let f = Figure { value: 15.0, count: Some(1500.0), denominator: Some(10000.0) };
        assert_eq!(step(Unit::Percent, &f, 10.0), Step::ClearlyHigher);
        // A rate: 12 misdrijven on 200 inwoners = 60 per 1.000 against 45.
        let f = Figure { value: 60.0, count: Some(12.0), denominator: Some(200.0) };
        assert_eq!(step(Unit::Per1000, &f, 45.0), Step::Comparable);
    }

    #[test]
    fn wilson_interval_matches_reference_values() {
        // Reference: 10 of 100 → 5,52% – 17,44% (Wilson, 95%).
        let (lo, hi) =
            interval(Unit::Percent, &Figure { value: 10.0, count: Some(10.0), denominator: Some(100.0) }).unwrap();
        assert!((lo - 5.52).abs() < 0.01, "{lo}");
        assert!((hi - 17.44).abs() < 0.01, "{hi}");
    }

    #[test]
    fn words_follow_polarity() {
        let r = |p, v| Rating::new(p, Unit::Percent, Ok(fig(v)), Some(10.0));
        assert_eq!(r(Polarity::Lower, 20.0).word(), "duidelijk ongunstiger");
        assert_eq!(r(Polarity::Higher, 20.0).word(), "duidelijk gunstiger");
        assert_eq!(r(Polarity::Neutral, 20.0).word(), "duidelijk hoger");
        assert_eq!(r(Polarity::Lower, 8.5).word(), "gunstiger");
        assert_eq!(r(Polarity::Neutral, 8.5).word(), "lager");
        assert_eq!(r(Polarity::Neutral, 8.5).favourable(), 0);
        let none = Rating::new(Polarity::Lower, Unit::Percent, Err(NotRated::SmallNumber), Some(10.0));
        assert_eq!(none.word(), "te weinig waarnemingen");
        assert_eq!(Rating::new(Polarity::Lower, Unit::Percent, Ok(fig(3.0)), None).word(), "geen vergelijking");
        // Counts are never compared with Nederland's count.
        let size = Rating::new(Polarity::Neutral, Unit::Aantal, Ok(fig(374_238.0)), Some(17_942_942.0));
        assert_eq!(size.word(), "omvang");
        assert!(!size.is_finding());
    }

    #[test]
    fn comparable_has_no_strength() {
        let same = Rating::new(Polarity::Lower, Unit::Percent, Ok(fig(4.5)), Some(4.4));
        assert_eq!(same.strength(), 0.0);
        let twice = Rating::new(Polarity::Lower, Unit::Per1000, Ok(fig(90.0)), Some(45.0));
        let half = Rating::new(Polarity::Lower, Unit::Per1000, Ok(fig(22.5)), Some(45.0));
        assert!((twice.strength() - half.strength()).abs() < 1e-9, "for rates twice and half weigh the same");
    }
}
