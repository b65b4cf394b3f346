//! Douglas–Peucker line simplification for the outlines the maps draw: pure geometry on
//! canvas points, no store and no chart. Its own module because two stages use it
//! beside [`Geometry`](super::geometry::Geometry): the charts simplify what they draw.

/// Douglas–Peucker: drops the points that lie within `tol` pixels of the line through
/// their neighbours. A map of all gemeenten keeps its shape with about a fifth of the
/// points, and every factsheet's PDF carries (and Typst parses) a fifth of the SVG.
pub fn simplify(pts: &[(f64, f64)], tol: f64) -> Vec<(f64, f64)> {
    if pts.len() < 4 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    // A closed ring: split at the point farthest from the first, so both halves have
    // distinct end points.
    let far = (1..pts.len())
        .max_by(|&a, &b| dist2(pts[0], pts[a]).total_cmp(&dist2(pts[0], pts[b])))
        .unwrap_or(pts.len() - 1);
    keep[far] = true;
    let mut stack = vec![(0, far), (far, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut worst, mut at) = (0.0, a);
        for k in a + 1..b {
            let d = segment_distance(pts[k], pts[a], pts[b]);
            if d > worst {
                worst = d;
                at = k;
            }
        }
        if worst > tol {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    pts.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

fn dist2(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let len2 = dist2(a, b);
    if len2 == 0.0 {
        return dist2(p, a).sqrt();
    }
    let t = (((p.0 - a.0) * (b.0 - a.0) + (p.1 - a.1) * (b.1 - a.1)) / len2).clamp(0.0, 1.0);
    dist2(p, (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_ring_is_kept_and_a_closed_ring_keeps_both_halves() {
        let short = [(0.0, 0.0), (1.0, 0.1), (2.0, 0.0)];
        assert_eq!(simplify(&short, 5.0), short);
        // A closed ring (first point = last) around a square: split at the farthest
        // point, so neither half collapses to a line.
        let ring = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)];
        assert_eq!(simplify(&ring, 0.5).len(), 5);
    }
}
