//! Why the index can be trusted, or where not: how many areas each domain could score,
//! how much the deciles move under other weights or without the exponential
//! transformation, how strongly the index agrees with CBS's own socio-economic status
//! score (SES-WOA, never an input: welvaart, opleiding and arbeidsverleden of the
//! households) and where the two disagree, and whether small areas show the wide
//! intervals they should. Pure functions over computed indexes; the `index --check`
//! command prints them and a real-data test runs them.

use serde::Serialize;

use super::{Achterstand, RegionIndex, TOTAL};
use crate::dataset::Dataset;

/// How many areas a domain (or the total) could score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Domain id or `totaal`.
    pub domain: String,
    /// Label.
    pub label: String,
    /// Areas scored.
    pub scored: usize,
    /// Areas of the level.
    pub areas: usize,
}

/// Per domain and the total, the areas scored.
pub fn coverage(a: &Achterstand) -> Vec<Coverage> {
    let Some(first) = a.regions.first() else { return Vec::new() };
    std::iter::once(&first.total)
        .chain(&first.domains)
        .map(|d| Coverage {
            domain: d.id.clone(),
            label: d.label.clone(),
            scored: a.regions.iter().filter(|r| r.domain(&d.id).is_some_and(|x| x.score.is_some())).count(),
            areas: a.regions.len(),
        })
        .collect()
}

/// How far the total's deciles move under an alternative.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shift {
    /// Areas with a total in both.
    pub compared: usize,
    /// Of those, areas whose decile moved more than one.
    pub moved: usize,
    /// Areas whose decile stayed the same.
    pub same: usize,
}

impl Shift {
    /// The share that moved more than one decile.
    pub fn share(&self) -> f64 {
        if self.compared == 0 {
            0.0
        } else {
            self.moved as f64 / self.compared as f64
        }
    }
}

/// Compares the total's deciles of `base` with those of an alternative computation.
pub fn shift(base: &Achterstand, alternative: &Achterstand) -> Shift {
    let mut s = Shift { compared: 0, moved: 0, same: 0 };
    for r in &base.regions {
        let (Some(p), Some(q)) = (r.total.nederland, alternative.of(&r.code).and_then(|x| x.total.nederland)) else {
            continue;
        };
        s.compared += 1;
        let d = (p.decile as i32 - q.decile as i32).abs();
        s.moved += usize::from(d > 1);
        s.same += usize::from(d == 0);
    }
    s
}

/// Average ranks (1 = lowest), ties sharing the mean of their places.
fn average_ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && v[order[j]] == v[order[i]] {
            j += 1;
        }
        let mean = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            out[k] = mean;
        }
        i = j;
    }
    out
}

/// Spearman's rank correlation (Pearson's on average ranks); `None` under three pairs
/// or without spread.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 3 {
        return None;
    }
    let (rx, ry) = (average_ranks(&x[..n]), average_ranks(&y[..n]));
    let mean = (n as f64 + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for k in 0..n {
        let (a, b) = (rx[k] - mean, ry[k] - mean);
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// A correlation with the number of pairs behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    /// Domain id or `totaal`.
    pub domain: String,
    /// Pairs.
    pub n: usize,
    /// Spearman's ρ.
    pub rho: Option<f64>,
}

/// An area where the index and SES-WOA disagree by four deciles or more (among the
/// areas that have both).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its gemeente.
    pub gemeente_name: String,
    /// Inwoners.
    pub population: Option<f64>,
    /// The index's decile among the areas with both (1 = most achterstand).
    pub index_decile: u8,
    /// SES-WOA's decile among them (1 = lowest score).
    pub ses_decile: u8,
    /// The SES-WOA score.
    pub ses: f64,
    /// The domains' deciles (among all areas of the level).
    pub domains: Vec<(String, Option<u8>)>,
}

/// The outside check against SES-WOA for one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SesCheck {
    /// The total and each domain against SES-WOA (expected: strongly negative).
    pub correlations: Vec<Correlation>,
    /// Years of the SES-WOA figures used.
    pub years: Option<(i32, i32)>,
    /// Areas four deciles or more apart, largest gap first.
    pub disagreements: Vec<Disagreement>,
}

/// Compares the index with the latest SES-WOA score (at or before `year`) of each area.
pub fn ses_woa(ds: &Dataset, a: &Achterstand, year: Option<i32>) -> SesCheck {
    let view = ds.level_view(a.level);
    let ses: Vec<Option<(i32, f64)>> = a
        .regions
        .iter()
        .map(|r| {
            let (y, f) = view.latest("ses_woa", &r.code, year)?;
            f.value.filter(|_| !f.suppressed).map(|v| (y, v))
        })
        .collect();
    let years = ses
        .iter()
        .flatten()
        .fold(None, |acc: Option<(i32, i32)>, (y, _)| Some(acc.map_or((*y, *y), |(lo, hi)| (lo.min(*y), hi.max(*y)))));
    let first = a.regions.first();
    let ids: Vec<&str> =
        first.map(|f| std::iter::once(&f.total).chain(&f.domains).map(|d| d.id.as_str()).collect()).unwrap_or_default();
    let correlations = ids
        .iter()
        .map(|id| {
            let pairs: Vec<(f64, f64)> =
                a.regions.iter().zip(&ses).filter_map(|(r, s)| Some((r.domain(id)?.score?, s.as_ref()?.1))).collect();
            let (x, y): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
            Correlation { domain: id.to_string(), n: x.len(), rho: spearman(&x, &y) }
        })
        .collect();
    SesCheck { correlations, years, disagreements: disagreements(a, &ses) }
}

/// The areas four deciles or more apart (see [`Disagreement`]).
fn disagreements(a: &Achterstand, ses: &[Option<(i32, f64)>]) -> Vec<Disagreement> {
    let both: Vec<(&RegionIndex, f64, f64)> =
        a.regions.iter().zip(ses).filter_map(|(r, s)| Some((r, r.total.score?, s.as_ref()?.1))).collect();
    let n = both.len();
    if n < 10 {
        return Vec::new();
    }
    let index: Vec<f64> = both.iter().map(|b| -b.1).collect();
    let status: Vec<f64> = both.iter().map(|b| b.2).collect();
    let (ri, rs) = (average_ranks(&index), average_ranks(&status));
    let dec = |r: f64| ((10.0 * r / n as f64).ceil() as u8).clamp(1, 10);
    let mut out: Vec<Disagreement> = both
        .iter()
        .enumerate()
        .filter(|(k, _)| (dec(ri[*k]) as i32 - dec(rs[*k]) as i32).abs() >= 4)
        .map(|(k, (r, _, s))| Disagreement {
            code: r.code.clone(),
            name: r.name.clone(),
            gemeente_name: r.gemeente_name.clone(),
            population: r.population,
            index_decile: dec(ri[k]),
            ses_decile: dec(rs[k]),
            ses: *s,
            domains: r.domains.iter().map(|d| (d.id.clone(), d.nederland.map(|p| p.decile))).collect(),
        })
        .collect();
    out.sort_by_key(|d| (std::cmp::Reverse((d.index_decile as i32 - d.ses_decile as i32).abs()), d.code.clone()));
    out
}

/// The width of the 90% intervals by population, for one domain or the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Width {
    /// Population class ("500–1.000 inwoners").
    pub class: String,
    /// Areas with an interval.
    pub areas: usize,
    /// Of those, areas whose interval spans more than three deciles.
    pub wide: usize,
    /// The mean number of deciles spanned.
    pub mean_span: f64,
}

/// Population classes for [`widths`]: upper bounds (exclusive) and labels.
const CLASSES: [(f64, &str); 6] = [
    (250.0, "minder dan 250 inwoners"),
    (500.0, "250–500 inwoners"),
    (1_000.0, "500–1.000 inwoners"),
    (2_500.0, "1.000–2.500 inwoners"),
    (5_000.0, "2.500–5.000 inwoners"),
    (f64::INFINITY, "5.000 inwoners of meer"),
];

/// The widths of one domain's (or the total's, `totaal`) intervals by population class.
pub fn widths(a: &Achterstand, domain: &str) -> Vec<Width> {
    let mut out: Vec<Width> =
        CLASSES.iter().map(|(_, l)| Width { class: l.to_string(), areas: 0, wide: 0, mean_span: 0.0 }).collect();
    for r in &a.regions {
        let (Some(pop), Some(p)) = (r.population, r.domain(domain).and_then(|d| d.nederland)) else { continue };
        let (Some(lo), Some(hi)) = (p.low, p.high) else { continue };
        let k = CLASSES.iter().position(|(bound, _)| pop < *bound).unwrap_or(CLASSES.len() - 1);
        let span = (hi - lo + 1) as f64;
        out[k].areas += 1;
        out[k].wide += usize::from(span > 3.0);
        out[k].mean_span += span;
    }
    for w in &mut out {
        if w.areas > 0 {
            w.mean_span /= w.areas as f64;
        }
    }
    out.retain(|w| w.areas > 0);
    out
}

/// The domain to show interval widths for: the total when enough areas have one, else
/// the domain scored for the most areas.
pub fn widest_covered(a: &Achterstand) -> String {
    let cov = coverage(a);
    match cov.first() {
        Some(t) if t.scored * 4 >= t.areas && t.scored > 0 => TOTAL.to_string(),
        _ => cov.iter().skip(1).max_by_key(|c| c.scored).map(|c| c.domain.clone()).unwrap_or_else(|| TOTAL.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_of_known_series() {
        assert_eq!(spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 20.0, 30.0, 40.0]), Some(1.0));
        assert_eq!(spearman(&[1.0, 2.0, 3.0, 4.0], &[4.0, 3.0, 2.0, 1.0]), Some(-1.0));
        // By hand: d = (0, 1, −1, 0, 0) → 1 − 6·2/(5·24) = 0,9.
        let r = spearman(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0, 3.0, 2.0, 4.0, 5.0]).unwrap();
        assert!((r - 0.9).abs() < 1e-12, "{r}");
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(average_ranks(&[5.0, 1.0, 5.0]), vec![2.5, 1.0, 2.5]);
    }
}
