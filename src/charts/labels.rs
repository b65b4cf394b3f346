//! Labels on a map without overlap. Each label sits inside its own area when its box fits
//! there; where it does not (a small wijk) or would cover a label already placed, it
//! moves outward step by step to the nearest spot that lies inside its own area or off
//! every area (water, the land around the gemeente), and gets a leader line back to its
//! area. So a number never covers a neighbour's colour or another number. Areas are
//! placed smallest first: the crowded centre of a city gets the free spots near it.

/// A label to place.
#[derive(Debug, Clone)]
pub struct Wanted {
    /// The text ("14").
    pub text: String,
    /// The point inside the area it belongs to.
    pub at: (f64, f64),
    /// The area's size in square pixels (small areas are placed first).
    pub area: f64,
    /// The outline of the largest ring of the area, to tell whether a spot is inside.
    pub ring: Vec<(f64, f64)>,
}

/// A placed label.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The text.
    pub text: String,
    /// Centre of the label.
    pub at: (f64, f64),
    /// Half width and half height of its box.
    pub half: (f64, f64),
    /// Where its leader line starts (the point in its area), when it moved out.
    pub leader: Option<(f64, f64)>,
}

impl Placed {
    fn overlaps(&self, at: (f64, f64), half: (f64, f64)) -> bool {
        (self.at.0 - at.0).abs() < self.half.0 + half.0 && (self.at.1 - at.1).abs() < self.half.1 + half.1
    }
}

/// Half the box of a text of `size` pixels (Open Sans bold digits, with some air).
pub fn half_box(text: &str, size: f64) -> (f64, f64) {
    (text.chars().count() as f64 * size * 0.3 + size * 0.24, size * 0.66)
}

/// The corners, edge middles and centre of a box.
fn box_points(at: (f64, f64), half: (f64, f64)) -> [(f64, f64); 9] {
    let (x, y, w, h) = (at.0, at.1, half.0, half.1);
    [
        (x, y),
        (x - w, y - h),
        (x + w, y - h),
        (x - w, y + h),
        (x + w, y + h),
        (x, y - h),
        (x, y + h),
        (x - w, y),
        (x + w, y),
    ]
}

/// True when `p` lies inside the ring (even-odd rule).
pub fn inside(ring: &[(f64, f64)], p: (f64, f64)) -> bool {
    let mut c = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + n - 1) % n]);
        if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
            c = !c;
        }
    }
    c
}

/// A point well inside a ring: its centroid when that lies inside, else the middle of
/// the widest stretch of the ring on the centroid's line (a crescent's centroid lies
/// outside it).
pub fn interior(ring: &[(f64, f64)], centroid: (f64, f64)) -> (f64, f64) {
    if inside(ring, centroid) {
        return centroid;
    }
    let y = centroid.1;
    let n = ring.len();
    let mut xs: Vec<f64> = (0..n)
        .filter_map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            ((a.1 > y) != (b.1 > y)).then(|| a.0 + (y - a.1) / (b.1 - a.1) * (b.0 - a.0))
        })
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.chunks(2)
        .filter(|c| c.len() == 2)
        .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])))
        .map(|c| ((c[0] + c[1]) / 2.0, y))
        .unwrap_or(centroid)
}

/// Places every label inside `bounds` (x0, y0, x1, y1) without two overlapping, each
/// inside its own area or off all `areas` (every ring of the map).
pub fn place(
    mut wanted: Vec<Wanted>,
    size: f64,
    bounds: (f64, f64, f64, f64),
    areas: &[Vec<(f64, f64)>],
) -> Vec<Placed> {
    wanted.sort_by(|a, b| a.area.total_cmp(&b.area));
    // Each area's box, to skip far rings quickly.
    let boxes: Vec<(f64, f64, f64, f64)> = areas
        .iter()
        .map(|r| {
            r.iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, p| {
                (b.0.min(p.0), b.1.min(p.1), b.2.max(p.0), b.3.max(p.1))
            })
        })
        .collect();
    let on_any_area = |p: (f64, f64)| {
        areas.iter().zip(&boxes).any(|(r, b)| p.0 >= b.0 && p.0 <= b.2 && p.1 >= b.1 && p.1 <= b.3 && inside(r, p))
    };
    // Labels that move go outward, away from the middle of all labels, so their leader
    // lines fan out instead of crossing.
    let n = wanted.len().max(1) as f64;
    let middle = wanted.iter().fold((0.0, 0.0), |m, w| (m.0 + w.at.0 / n, m.1 + w.at.1 / n));
    let mut placed: Vec<Placed> = Vec::new();
    for w in wanted {
        let out = (w.at.1 - middle.1).atan2(w.at.0 - middle.0);
        let half = half_box(&w.text, size);
        let in_bounds = |at: (f64, f64)| {
            at.0 - half.0 >= bounds.0
                && at.0 + half.0 <= bounds.2
                && at.1 - half.1 >= bounds.1
                && at.1 + half.1 <= bounds.3
        };
        // Inside its own area: the text itself (without the air around it) fits, one
        // corner may touch the edge.
        let tight = (half.0 - size * 0.22, half.1 - size * 0.16);
        let own = |at: (f64, f64)| box_points(at, tight).iter().filter(|p| inside(&w.ring, **p)).count() >= 8;
        let off = |at: (f64, f64)| !box_points(at, half).iter().any(|p| on_any_area(*p));
        // The label's own spot, then rings of candidates farther and farther out.
        let mut chosen = None;
        'search: for step in 0..48 {
            let r = step as f64 * size * 0.4;
            let tries = if step == 0 { 1 } else { 8 + 2 * step.min(12) };
            for k in 0..tries {
                // Outward first, then alternately a step to either side.
                let turn = if k % 2 == 1 { (k as f64 + 1.0) / 2.0 } else { -(k as f64) / 2.0 };
                let a = out + turn / tries as f64 * std::f64::consts::TAU;
                let at = (w.at.0 + r * a.cos(), w.at.1 + r * a.sin());
                if in_bounds(at) && !placed.iter().any(|p| p.overlaps(at, half)) && (own(at) || off(at)) {
                    chosen = Some(at);
                    break 'search;
                }
            }
        }
        // Nowhere free within reach: keep the own spot (better than no number).
        let at = chosen.unwrap_or(w.at);
        let leader = (!own(at) && (at.0 - w.at.0).hypot(at.1 - w.at.1) > 1.0).then_some(w.at);
        placed.push(Placed { text: w.text, at, half, leader });
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, s: f64) -> Vec<(f64, f64)> {
        vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s)]
    }

    #[test]
    fn crowded_labels_move_apart_with_a_leader_and_never_overlap() {
        // Rotterdam's 14, 15 and 18: three small wijken side by side.
        let wanted: Vec<Wanted> = [("14", 100.0), ("15", 104.0), ("18", 108.0)]
            .iter()
            .map(|(t, x)| Wanted {
                text: t.to_string(),
                at: (*x, 100.0),
                area: 16.0,
                ring: square(*x - 2.0, 98.0, 4.0),
            })
            .collect();
        let areas: Vec<Vec<(f64, f64)>> = wanted.iter().map(|w| w.ring.clone()).collect();
        let placed = place(wanted, 26.0, (0.0, 0.0, 400.0, 400.0), &areas);
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.overlaps(b.at, b.half), "{a:?} overlaps {b:?}");
            }
        }
        // Too small to hold a number: each moved off the areas, with a leader.
        assert!(placed.iter().all(|p| p.leader.is_some()), "{placed:?}");
        for p in &placed {
            assert!(box_points(p.at, p.half).iter().all(|q| !areas.iter().any(|r| inside(r, *q))), "{p:?}");
        }
        // A label with room stays on its spot, without a leader.
        let big = Wanted { text: "1".into(), at: (50.0, 50.0), area: 10_000.0, ring: square(0.0, 0.0, 100.0) };
        let ring = big.ring.clone();
        assert_eq!(place(vec![big], 26.0, (0.0, 0.0, 400.0, 400.0), &[ring])[0].leader, None);
    }

    #[test]
    fn a_crescent_gets_a_point_inside_it() {
        // A U shape: its centroid lies in the gap.
        let u = vec![
            (0.0, 0.0),
            (30.0, 0.0),
            (30.0, 100.0),
            (70.0, 100.0),
            (70.0, 0.0),
            (100.0, 0.0),
            (100.0, 130.0),
            (0.0, 130.0),
        ];
        let c = (50.0, 60.0);
        assert!(!inside(&u, c));
        assert!(inside(&u, interior(&u, c)));
    }
}
