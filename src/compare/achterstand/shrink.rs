//! Small areas: a buurt of 300 people has noisy shares, so each figure is shrunk toward
//! its gemeente's (empirical Bayes, as the IMD does). A share is put on the logit scale,
//! `z = ln((r+½)/(n−r+½))` with sampling variance `s² = 1/(r+½) + 1/(n−r+½)`; a rate on
//! the log scale, `z = ln((r+½)/n)` with `s² = 1/(r+½)`. The shrunken value is
//! `w·z + (1−w)·z_gemeente` with `w = t²/(t²+s²)`, where `t²` is the variance between
//! areas within a gemeente that is not sampling noise. Large areas (small `s²`) barely
//! move; small ones move toward their gemeente.
//!
//! `t²` is estimated once per indicator and level, pooled over all gemeenten (the
//! spread of the areas around their gemeente's mean, less the mean sampling variance):
//! a gemeente with five wijken cannot estimate it on its own. It is never taken below a
//! tenth of the observed spread, so no gemeente's areas are assumed all alike. A figure
//! without a count or population (a mark, a mean) is used as it is, with no variance.

use super::input::{Fig, Model};

/// A figure on the scale the index works on, with its sampling variance where known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Point {
    pub z: f64,
    pub s2: Option<f64>,
}

/// A figure after shrinkage: its estimate, its weight on the area's own figure and the
/// variance of the true value around the estimate (what the draws sample from).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Shrunk {
    pub z: f64,
    pub w: f64,
    pub var: f64,
}

/// Shares and rates never quite 0 or 1 on the logit or log scale.
const EDGE: f64 = 1e-4;

/// The figure on the working scale (see the module header); a published interval gives
/// the sampling variance where there is one.
pub(super) fn transform(model: Model, f: &Fig) -> Point {
    let p = on_scale(model, f);
    match f.interval {
        Some((lo, hi, level)) => {
            let at = |v: f64| on_scale(model, &Fig { value: v, year: f.year, count: None, interval: None }).z;
            let half = super::scores::inverse_normal(0.5 + level / 2.0);
            let se = (at(hi) - at(lo)) / (2.0 * half);
            Point { z: p.z, s2: Some(se * se).filter(|v| *v > 0.0).or(p.s2) }
        }
        None => p,
    }
}

/// The figure on the working scale from its count, else its value.
fn on_scale(model: Model, f: &Fig) -> Point {
    match (model, f.count) {
        (Model::Share { .. }, Some((r, n))) => {
            let r = r.min(n);
            Point { z: ((r + 0.5) / (n - r + 0.5)).ln(), s2: Some(1.0 / (r + 0.5) + 1.0 / (n - r + 0.5)) }
        }
        (Model::Rate { .. }, Some((r, n))) => Point { z: ((r + 0.5) / n).ln(), s2: Some(1.0 / (r + 0.5)) },
        (Model::Share { scale }, None) => {
            let p = (f.value / scale).clamp(EDGE, 1.0 - EDGE);
            Point { z: (p / (1.0 - p)).ln(), s2: None }
        }
        (Model::Rate { scale }, None) => Point { z: (f.value / scale).max(EDGE * EDGE).ln(), s2: None },
        (Model::Plain, _) => Point { z: f.value, s2: None },
    }
}

/// The pooled between-area variance within the larger areas (see the module header).
/// `None` when no larger area has two areas with a sampling variance.
pub(super) fn between_variance(points: &[Option<Point>], groups: &[usize], n_groups: usize) -> Option<f64> {
    let mut sum = vec![0.0; n_groups];
    let mut k = vec![0usize; n_groups];
    for (p, &g) in points.iter().zip(groups) {
        if let Some(Point { z, s2: Some(_) }) = p {
            sum[g] += z;
            k[g] += 1;
        }
    }
    let (mut ss, mut df, mut s2_sum, mut s2_n) = (0.0, 0usize, 0.0, 0usize);
    for (p, &g) in points.iter().zip(groups) {
        if let (Some(Point { z, s2: Some(s2) }), true) = (p, k[g] >= 2) {
            let mean = sum[g] / k[g] as f64;
            ss += (z - mean).powi(2);
            s2_sum += s2;
            s2_n += 1;
        }
    }
    for &kg in &k {
        df += kg.saturating_sub(1);
    }
    if df == 0 || s2_n == 0 {
        return None;
    }
    let spread = ss / df as f64;
    Some((spread - s2_sum / s2_n as f64).max(0.1 * spread).max(1e-12))
}

/// Shrinks every area's figure toward its larger area's (`targets`, per area; where
/// the larger area has no figure, the mean of its areas) with the pooled `t²`.
pub(super) fn shrink(
    points: &[Option<Point>],
    targets: &[Option<Point>],
    groups: &[usize],
    n_groups: usize,
) -> Vec<Option<Shrunk>> {
    let t2 = between_variance(points, groups, n_groups);
    let mut sum = vec![0.0; n_groups];
    let mut k = vec![0usize; n_groups];
    for (p, &g) in points.iter().zip(groups) {
        if let Some(p) = p {
            sum[g] += p.z;
            k[g] += 1;
        }
    }
    points
        .iter()
        .zip(targets)
        .zip(groups)
        .map(|((p, t), &g)| {
            let p = (*p)?;
            let Some(s2) = p.s2 else { return Some(Shrunk { z: p.z, w: 1.0, var: 0.0 }) };
            // No t² (no gemeente with two such areas): not shrunk, but still uncertain.
            let Some(t2) = t2 else { return Some(Shrunk { z: p.z, w: 1.0, var: s2 }) };
            let target = t.map(|t| t.z).or((k[g] >= 2).then(|| sum[g] / k[g] as f64));
            let Some(target) = target else { return Some(Shrunk { z: p.z, w: 1.0, var: s2 }) };
            let w = t2 / (t2 + s2);
            Some(Shrunk { z: w * p.z + (1.0 - w) * target, w, var: w * s2 })
        })
        .collect()
}

/// A model estimate as it is: not shrunk, its sampling variance still drawn.
pub(super) fn unshrunk(points: &[Option<Point>]) -> Vec<Option<Shrunk>> {
    points.iter().map(|p| p.map(|p| Shrunk { z: p.z, w: 1.0, var: p.s2.unwrap_or(0.0) })).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(value: f64, r: f64, n: f64) -> Fig {
        Fig { value, year: 2024, count: Some((r, n)), interval: None }
    }

    #[test]
    fn a_published_interval_gives_the_variance() {
        // 20% with a 95% interval of 15–26%, no count: on the logit scale
        // (logit 0,26 − logit 0,15)/(2·1,96).
        let f = Fig { value: 20.0, year: 2020, count: None, interval: Some((15.0, 26.0, 0.95)) };
        let p = transform(Model::Share { scale: 100.0 }, &f);
        let logit = |p: f64| (p / (1.0 - p)).ln();
        let se = (logit(0.26) - logit(0.15)) / (2.0 * 1.959963984540054);
        assert!((p.s2.unwrap() - se * se).abs() < 1e-12);
        assert!((p.z - logit(0.2)).abs() < 1e-12);
    }

    #[test]
    fn logit_and_variance_of_a_share_and_log_of_a_rate() {
        let m = Model::Share { scale: 100.0 };
        let p = transform(m, &share(10.0, 10.0, 100.0));
        assert!((p.z - (10.5f64 / 90.5).ln()).abs() < 1e-12);
        assert!((p.s2.unwrap() - (1.0 / 10.5 + 1.0 / 90.5)).abs() < 1e-12);
        let r = transform(Model::Rate { scale: 1000.0 }, &share(50.0, 25.0, 500.0));
        assert!((r.z - (25.5f64 / 500.0).ln()).abs() < 1e-12);
        let mark = Fig { value: 6.5, year: 2024, count: None, interval: None };
        assert_eq!(transform(Model::Plain, &mark), Point { z: 6.5, s2: None });
    }

    /// Shrinkage pulls a tiny area further toward its gemeente than a large one with the
    /// same share.
    #[test]
    fn a_tiny_area_moves_further_toward_its_gemeente_than_a_large_one() {
        let m = Model::Share { scale: 100.0 };
        // One gemeente at 10%; its areas: a tiny one and a large one both at 30%, and
        // four ordinary ones around 10% so that t² can be estimated.
        let figs = [
            share(30.0, 6.0, 20.0),
            share(30.0, 3000.0, 10_000.0),
            share(8.0, 80.0, 1000.0),
            share(12.0, 120.0, 1000.0),
            share(9.0, 90.0, 1000.0),
            share(11.0, 110.0, 1000.0),
        ];
        let points: Vec<Option<Point>> = figs.iter().map(|f| Some(transform(m, f))).collect();
        let target = transform(m, &share(10.0, 5000.0, 50_000.0));
        let shrunk = shrink(&points, &[Some(target); 6], &[0; 6], 1);
        let (tiny, large) = (shrunk[0].unwrap(), shrunk[1].unwrap());
        let moved = |k: usize, s: Shrunk| points[k].unwrap().z - s.z;
        assert!(moved(0, tiny) > 10.0 * moved(1, large), "tiny {} large {}", moved(0, tiny), moved(1, large));
        assert!(tiny.w < large.w - 0.25 && large.w > 0.99, "{tiny:?} {large:?}");
        // Both stay on their own side of the gemeente: shrinkage pulls, it does not swap.
        assert!(tiny.z > target.z);
        // The tiny area's true value is less certain.
        assert!(tiny.var > large.var);
    }

    #[test]
    fn without_a_variance_or_a_second_area_nothing_moves() {
        let alone = shrink(&[Some(Point { z: 1.0, s2: Some(0.5) })], &[None], &[0], 1);
        assert_eq!(alone[0], Some(Shrunk { z: 1.0, w: 1.0, var: 0.5 }));
        let plain = shrink(&[Some(Point { z: 7.0, s2: None }), None], &[None, None], &[0, 0], 1);
        assert_eq!(plain, vec![Some(Shrunk { z: 7.0, w: 1.0, var: 0.0 }), None]);
    }
}
