//! The uncertainty of every rank. Each draw takes every figure's true value from its
//! distribution (normal on the logit or log scale around the shrunken estimate, with the
//! variance of the true value given the count: `w·s²`, at most the sampling variance
//! `s²`), computes the whole index again, and notes each area's decile per domain and
//! in total, among all areas of the level and within its gemeente. The 90% interval of
//! a rank is read from those deciles (the 5th and 95th percentile).
//!
//! Why draw the true value and not a new figure that is then shrunk again: shrinking a
//! redrawn figure scales its noise by `w²`, so a small buurt (small `w`) would get a
//! narrow interval exactly where the figure says least: false precision. Drawing from
//! the distribution of the true value (Goldstein & Spiegelhalter's league tables) gives
//! a small area the wide interval it has.
//!
//! Seeded: draw `k` uses its own generator (PCG, `rand_pcg`) seeded from the recipe's
//! seed and `k`, and the counts are summed, so the result does not depend on threads or
//! their order: the same input gives the same bytes.

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::scores::{decile, group_ranks, ranks, Frame, Scratch};
use super::shrink::Shrunk;

/// How often each decile came out, per slot (domain or total, area), among all areas
/// and within the gemeente.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tally {
    pub national: Vec<[u16; 10]>,
    pub local: Vec<[u16; 10]>,
}

impl Tally {
    fn new(slots: usize) -> Tally {
        Tally { national: vec![[0; 10]; slots], local: vec![[0; 10]; slots] }
    }

    fn add(mut self, other: Tally) -> Tally {
        for (a, b) in self.national.iter_mut().zip(&other.national).chain(self.local.iter_mut().zip(&other.local)) {
            for k in 0..10 {
                a[k] += b[k];
            }
        }
        self
    }
}

/// The shared, fixed part of the draws.
pub(super) struct Drawing<'a> {
    pub frame: &'a Frame,
    /// Per column and area, the shrunken figure.
    pub shrunk: &'a [Vec<Option<Shrunk>>],
    /// Per column: +1 or −1 (higher is more achterstand).
    pub signs: &'a [f64],
    pub groups: &'a [usize],
    pub n_groups: usize,
    pub seed: u64,
}

impl Drawing<'_> {
    fn n_areas(&self) -> usize {
        self.groups.len()
    }

    /// Slots: one per domain and area, then the total's.
    fn slots(&self) -> usize {
        (self.frame.domains.len() + 1) * self.n_areas()
    }

    /// The generator of draw `k`.
    fn rng(&self, k: usize) -> rand_pcg::Pcg64Mcg {
        rand_pcg::Pcg64Mcg::seed_from_u64(self.seed ^ (k as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// One draw's oriented values.
    fn values(&self, k: usize) -> Vec<Vec<Option<f64>>> {
        let mut rng = self.rng(k);
        self.shrunk
            .iter()
            .zip(self.signs)
            .map(|(col, sign)| {
                col.iter()
                    .map(|s| {
                        s.map(|s| {
                            let e: f64 = if s.var > 0.0 { StandardNormal.sample(&mut rng) } else { 0.0 };
                            sign * (s.z + s.var.sqrt() * e)
                        })
                    })
                    .collect()
            })
            .collect()
    }

    /// Counts the deciles of `draws` draws: in a few runs of consecutive draws, one per
    /// thread and a few more, each with its own counts, summed at the end.
    pub fn tally(&self, draws: usize) -> Tally {
        let runs = (rayon::current_num_threads() * 2).clamp(1, draws.max(1));
        (0..runs)
            .into_par_iter()
            .map(|run| {
                let mut t = Tally::new(self.slots());
                let mut scratch = Scratch::default();
                for k in (run * draws / runs)..((run + 1) * draws / runs) {
                    self.count(k, &mut t, &mut scratch);
                }
                t
            })
            .reduce(|| Tally::new(self.slots()), Tally::add)
    }

    /// Draw `k`: the index again and each area's deciles counted.
    fn count(&self, k: usize, t: &mut Tally, scratch: &mut Scratch) {
        let n = self.n_areas();
        let scores = self.frame.evaluate(&self.values(k), n, scratch);
        for (d, s) in scores.domains.iter().chain(std::iter::once(&scores.total)).enumerate() {
            let (r, of) = ranks(s);
            let local = group_ranks(s, self.groups, self.n_groups);
            for a in 0..n {
                if let Some(r) = r[a] {
                    t.national[d * n + a][decile(r, of) as usize - 1] += 1;
                }
                if let Some((r, of)) = local[a] {
                    t.local[d * n + a][decile(r, of) as usize - 1] += 1;
                }
            }
        }
    }
}

/// The 90% interval (5th and 95th percentile) of a decile from its counts; `None`
/// without counts.
pub(super) fn interval(counts: &[u16; 10]) -> Option<(u8, u8)> {
    let total: u32 = counts.iter().map(|&c| c as u32).sum();
    if total == 0 {
        return None;
    }
    let at = |q: f64| {
        let need = (q * total as f64).ceil().max(1.0) as u32;
        let mut cum = 0;
        for (k, &c) in counts.iter().enumerate() {
            cum += c as u32;
            if cum >= need {
                return k as u8 + 1;
            }
        }
        10
    };
    Some((at(0.05), at(0.95)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_leaves_out_a_twentieth_on_each_side() {
        // 100 draws: 4 in decile 1, 10 in 2, 70 in 3, 10 in 4, 6 in 5.
        let c = [4, 10, 70, 10, 6, 0, 0, 0, 0, 0];
        assert_eq!(interval(&c), Some((2, 5)));
        assert_eq!(interval(&[0; 10]), None);
        let mut one = [0; 10];
        one[6] = 200;
        assert_eq!(interval(&one), Some((7, 7)));
    }
}
