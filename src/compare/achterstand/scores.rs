//! From figures to scores and ranks, as the IMD does it. Each indicator is turned into
//! rank-based normal scores over all areas of the level that have it (`Φ⁻¹((rank−½)/n)`,
//! ties share the mean of their scores), oriented so that higher is more achterstand.
//! A domain's score is the weighted mean of the normal scores of the indicators an area
//! has, if it has at least the domain's minimum. Domains are ranked (1 = most
//! achterstand); each rank is scaled to `R = (n − rank + 1)/n` in (0, 1] and
//! transformed exponentially, `X = −23·ln(1 − R·(1 − e^(−100/23)))` (0–100, a tenth of
//! the areas above 50), so that a low score in one domain does not cancel a high one in
//! another; the total is the weighted mean of `X` over the scored domains, where there
//! are at least the recipe's minimum. The alternative the sensitivity check reports
//! beside it is the plain weighted mean of the domains' normal scores.

/// How the domains are combined into the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Combine {
    /// The IMD's exponential transformation of the domain ranks.
    #[default]
    Exponential,
    /// The weighted mean of the domain scores' normal scores (the sensitivity check).
    NormalScores,
}

// Wichura's coefficients as published (Applied Statistics 37, 1988), digits and all.
#[allow(clippy::excessive_precision)]
const AS241_A: [f64; 8] = [
    3.3871328727963666080,
    1.3314166789178437745e2,
    1.9715909503065514427e3,
    1.3731693765509461125e4,
    4.5921953931549871457e4,
    6.7265770927008700853e4,
    3.3430575583588128105e4,
    2.5090809287301226727e3,
];
#[allow(clippy::excessive_precision)]
const AS241_B: [f64; 8] = [
    1.0,
    4.2313330701600911252e1,
    6.8718700749205790830e2,
    5.3941960214247511077e3,
    2.1213794301586595867e4,
    3.9307895800092710610e4,
    2.8729085735721942674e4,
    5.2264952788528545610e3,
];
#[allow(clippy::excessive_precision)]
const AS241_C: [f64; 8] = [
    1.42343711074968357734,
    4.63033784615654529590,
    5.76949722146069140550,
    3.64784832476320460504,
    1.27045825245236838258,
    2.41780725177450611770e-1,
    2.27238449892691845833e-2,
    7.74545014278341407640e-4,
];
#[allow(clippy::excessive_precision)]
const AS241_D: [f64; 8] = [
    1.0,
    2.05319162663775882187,
    1.67638483018380384940,
    6.89767334985100004550e-1,
    1.48103976427480074590e-1,
    1.51986665636164571966e-2,
    5.47593808499534494600e-4,
    1.05075007164441684324e-9,
];
#[allow(clippy::excessive_precision)]
const AS241_E: [f64; 8] = [
    6.65790464350110377720,
    5.46378491116411436990,
    1.78482653991729133580,
    2.96560571828504891230e-1,
    2.65321895265761230930e-2,
    1.24266094738807843860e-3,
    2.71155556874348757815e-5,
    2.01033439929228813265e-7,
];
#[allow(clippy::excessive_precision)]
const AS241_F: [f64; 8] = [
    1.0,
    5.99832206555887937690e-1,
    1.36929880922735805310e-1,
    1.48753612908506148525e-2,
    7.86869131145613259100e-4,
    1.84631831751005468180e-5,
    1.42151175831644588870e-7,
    2.04426310338993978564e-15,
];

/// `c[0] + c[1]·x + … + c[7]·x⁷`.
fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, k| acc * x + k)
}

/// The inverse of the standard normal distribution function (Wichura's AS 241,
/// PPND16: about 16 correct digits).
pub fn inverse_normal(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&AS241_A, r) / poly(&AS241_B, r);
    }
    let r = (-(if q < 0.0 { p } else { 1.0 - p }).ln()).sqrt();
    let x = if r <= 5.0 {
        poly(&AS241_C, r - 1.6) / poly(&AS241_D, r - 1.6)
    } else {
        poly(&AS241_E, r - 5.0) / poly(&AS241_F, r - 5.0)
    };
    if q < 0.0 {
        -x
    } else {
        x
    }
}

/// Scratch space for [`normal_scores`], kept across the draws: the sort order and the
/// normal scores `Φ⁻¹((k − ½)/n)` of each `n` met (the same few `n` in every draw).
#[derive(Debug, Default)]
pub(super) struct Scratch {
    order: Vec<(f64, u32)>,
    tables: std::collections::HashMap<usize, Vec<f64>>,
}

/// Rank-based normal scores of the values present (higher value, higher score); tied
/// values share the mean of their scores.
pub(super) fn normal_scores(values: &[Option<f64>], out: &mut Vec<Option<f64>>, scratch: &mut Scratch) {
    out.clear();
    out.resize(values.len(), None);
    let order = &mut scratch.order;
    order.clear();
    order.extend(values.iter().enumerate().filter_map(|(i, v)| Some(((*v)?, i as u32))));
    let n = order.len();
    if n == 0 {
        return;
    }
    let table = scratch
        .tables
        .entry(n)
        .or_insert_with(|| (0..n).map(|k| inverse_normal((k as f64 + 0.5) / n as f64)).collect());
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut i = 0;
    while i < n {
        let v = order[i].0;
        let mut j = i + 1;
        while j < n && order[j].0 == v {
            j += 1;
        }
        let mean = if j == i + 1 { table[i] } else { table[i..j].iter().sum::<f64>() / (j - i) as f64 };
        for &(_, a) in &order[i..j] {
            out[a as usize] = Some(mean);
        }
        i = j;
    }
}

/// The scores present with their area, highest first (the area's index breaks a tie,
/// so the order is the same on every run).
fn descending(scores: &[Option<f64>]) -> Vec<(f64, u32)> {
    let mut order: Vec<(f64, u32)> = scores.iter().enumerate().filter_map(|(i, s)| Some(((*s)?, i as u32))).collect();
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    order
}

/// Ranks of the scores present, 1 = highest; equal scores share the better rank. With
/// the number ranked.
pub(super) fn ranks(scores: &[Option<f64>]) -> (Vec<Option<u32>>, u32) {
    let order = descending(scores);
    let mut out = vec![None; scores.len()];
    let mut rank = 0;
    for (k, &(v, a)) in order.iter().enumerate() {
        if k == 0 || v != order[k - 1].0 {
            rank = k as u32 + 1;
        }
        out[a as usize] = Some(rank);
    }
    (out, order.len() as u32)
}

/// Ranks within each larger area (see [`ranks`]), with the number ranked there: one
/// pass over the areas in descending order, counting per larger area.
pub(super) fn group_ranks(scores: &[Option<f64>], groups: &[usize], n_groups: usize) -> Vec<Option<(u32, u32)>> {
    let order = descending(scores);
    let mut size = vec![0u32; n_groups];
    for &(_, a) in &order {
        size[groups[a as usize]] += 1;
    }
    // Per larger area: areas seen, the last score and its rank.
    let mut seen = vec![0u32; n_groups];
    let mut last: Vec<(f64, u32)> = vec![(f64::NAN, 0); n_groups];
    let mut out = vec![None; scores.len()];
    for &(v, a) in &order {
        let g = groups[a as usize];
        seen[g] += 1;
        if last[g].0 != v {
            last[g] = (v, seen[g]);
        }
        out[a as usize] = Some((last[g].1, size[g]));
    }
    out
}

/// The decile of a rank (1 = the tenth with the most achterstand).
pub fn decile(rank: u32, of: u32) -> u8 {
    if of == 0 {
        return 0;
    }
    ((10 * rank as u64).div_ceil(of as u64)).clamp(1, 10) as u8
}

/// The IMD's exponential transformation of a rank (1 = most achterstand) among `of`.
pub fn exponential(rank: u32, of: u32) -> f64 {
    let r = (of - rank + 1) as f64 / of as f64;
    -23.0 * (1.0 - r * (1.0 - (-100.0f64 / 23.0).exp())).ln()
}

/// What stays the same in every evaluation of one level: which domain each column
/// belongs to, the weights and the minimums.
pub(super) struct Frame {
    /// Per column: its domain and weight.
    pub columns: Vec<(usize, f64)>,
    /// Per domain: weight and minimum number of indicators.
    pub domains: Vec<(f64, usize)>,
    pub min_domains: usize,
    pub combine: Combine,
}

/// The scores of one evaluation: per domain and per area, and the total per area.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scores {
    pub domains: Vec<Vec<Option<f64>>>,
    pub total: Vec<Option<f64>>,
}

impl Frame {
    /// Scores every area from the oriented values of each column (higher is more
    /// achterstand), per column and area.
    pub fn evaluate(&self, values: &[Vec<Option<f64>>], n_areas: usize, scratch: &mut Scratch) -> Scores {
        let nd = self.domains.len();
        let mut sum = vec![vec![0.0; n_areas]; nd];
        let mut weight = vec![vec![0.0; n_areas]; nd];
        let mut count = vec![vec![0usize; n_areas]; nd];
        let mut ns = Vec::new();
        for (col, &(d, w)) in values.iter().zip(&self.columns) {
            normal_scores(col, &mut ns, scratch);
            for (a, s) in ns.iter().enumerate() {
                if let Some(s) = s {
                    sum[d][a] += w * s;
                    weight[d][a] += w;
                    count[d][a] += 1;
                }
            }
        }
        let domains: Vec<Vec<Option<f64>>> = (0..nd)
            .map(|d| {
                (0..n_areas).map(|a| (count[d][a] >= self.domains[d].1).then(|| sum[d][a] / weight[d][a])).collect()
            })
            .collect();
        let parts: Vec<Vec<Option<f64>>> = domains
            .iter()
            .map(|scores| match self.combine {
                Combine::Exponential => {
                    let (r, of) = ranks(scores);
                    r.iter().map(|r| r.map(|r| exponential(r, of))).collect()
                }
                Combine::NormalScores => {
                    let mut out = Vec::new();
                    normal_scores(scores, &mut out, scratch);
                    out
                }
            })
            .collect();
        let total = (0..n_areas)
            .map(|a| {
                let scored: Vec<(f64, f64)> =
                    (0..nd).filter_map(|d| parts[d][a].map(|x| (self.domains[d].0, x))).collect();
                let w: f64 = scored.iter().map(|(w, _)| w).sum();
                (scored.len() >= self.min_domains).then(|| scored.iter().map(|(w, x)| w * x).sum::<f64>() / w)
            })
            .collect();
        Scores { domains, total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_normal_gives_the_known_quantiles() {
        for (p, z) in [(0.5, 0.0), (0.95, 1.6448536269514722), (0.975, 1.959963984540054), (0.1, -1.2815515655446004)] {
            assert!((inverse_normal(p) - z).abs() < 1e-12, "{p}");
        }
        assert!((inverse_normal(1e-10) + 6.361340902404056).abs() < 1e-9);
    }

    #[test]
    fn normal_scores_share_a_tie_and_skip_what_is_missing() {
        let (mut out, mut scratch) = (Vec::new(), Scratch::default());
        normal_scores(&[Some(3.0), None, Some(1.0), Some(3.0)], &mut out, &mut scratch);
        // n = 3: ranks 1 (1,0), 2 and 3 (both 3,0) share the mean of Φ⁻¹(1,5/3) and Φ⁻¹(2,5/3).
        let tie = (inverse_normal(1.5 / 3.0) + inverse_normal(2.5 / 3.0)) / 2.0;
        assert_eq!(out[1], None);
        assert!((out[2].unwrap() - inverse_normal(0.5 / 3.0)).abs() < 1e-15);
        assert_eq!(out[0], Some(tie));
        assert_eq!(out[3], Some(tie));
    }

    #[test]
    fn ranks_deciles_and_the_exponential_transformation() {
        let (r, of) = ranks(&[Some(0.1), None, Some(2.0), Some(0.1)]);
        assert_eq!((r, of), (vec![Some(2), None, Some(1), Some(2)], 3));
        assert_eq!([1, 2, 3, 4, 5].map(|r| decile(r, 5)), [2, 4, 6, 8, 10]);
        assert_eq!(decile(1, 14_000), 1);
        assert_eq!(decile(14_000, 14_000), 10);
        assert!((exponential(1, 10) - 100.0).abs() < 1e-9);
        // A tenth of the areas above 50: R = 0,9 gives 50 and a bit.
        let x = exponential(2, 10);
        assert!(x > 50.0 && x < 55.0, "{x}");
        assert!(exponential(10, 10) < 3.0);
        let g = group_ranks(&[Some(1.0), Some(5.0), Some(2.0), None], &[0, 1, 0, 1], 2);
        assert_eq!(g, vec![Some((2, 2)), Some((1, 1)), Some((1, 2)), None]);
    }
}
