//! The spine chart of the key figures (after Fingertips): one thin row per indicator,
//! centred on the benchmark (Nederland, or the gemeente where Nederland has no figure),
//! with the comparable areas as a grey band, the gemeente as an open square and the area
//! as a dot in its verdict's colour. Every row is turned so that "gunstiger" lies right
//! of the centre line; a descriptive row puts "hoger" right. Each row is its own SVG, so
//! the document can set it in a table cell beside the words and numbers it draws.

use super::canvas::{Anchor, Canvas, Color};
use super::verdict_color;
use crate::compare::{IndicatorResult, Status};
use crate::model::catalogue::Polarity;

/// Width and height of one row in SVG pixels (about 50 × 3,5 mm on the page).
const W: f64 = 400.0;
const H: f64 = 30.0;
/// Half the drawing width: the centre line is at `W / 2`.
const HALF: f64 = 188.0;
/// The comparable areas' range: a neutral grey, never a verdict colour.
const RANGE: Color = Color(0xd9, 0xd9, 0xd9);

/// Where the marks of one row go, as x positions from 0 to `W`, the chart's width.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The area.
    pub area: f64,
    /// The gemeente, when it is drawn (a wijk or buurt rated against Nederland).
    pub gemeente: Option<f64>,
    /// The comparable areas: lowest, median, highest (left to right on the page).
    pub peers: Option<(f64, f64, f64)>,
}

/// The positions of one row, or `None` when the area has no figure or nothing to be
/// compared with.
pub fn layout(r: &IndicatorResult) -> Option<Layout> {
    let area = r.area.value.filter(|_| r.area.status == Status::Value)?;
    let nl = r.nederland.value.filter(|_| r.nederland.status == Status::Value);
    let gm = r.gemeente.as_ref().and_then(|g| g.value.filter(|_| g.status == Status::Value));
    // Centre: Nederland, or the gemeente that the area is rated against instead.
    let (centre, gemeente) = match (nl, gm) {
        (Some(n), g) => (n, g),
        (None, Some(g)) => (g, None),
        (None, None) => return None,
    };
    let mut reach = (area - centre).abs();
    for v in [gemeente, r.peers.as_ref().map(|p| p.min), r.peers.as_ref().map(|p| p.max)].into_iter().flatten() {
        reach = reach.max((v - centre).abs());
    }
    if reach <= 0.0 || !reach.is_finite() {
        reach = centre.abs().max(1.0) * 0.1;
    }
    // Gunstiger to the right: a lower-is-better row is mirrored.
    let sign = if r.polarity == Polarity::Lower { -1.0 } else { 1.0 };
    let x = |v: f64| W / 2.0 + sign * (v - centre) / (reach * 1.08) * HALF;
    let peers = r.peers.as_ref().map(|p| {
        let (a, b) = (x(p.min), x(p.max));
        (a.min(b), x(p.median), a.max(b))
    });
    Some(Layout { area: x(area), gemeente: gemeente.map(x), peers })
}

/// One row of the spine chart as SVG, or `None` when it cannot be drawn (see [`layout`]).
pub fn spine(r: &IndicatorResult) -> Option<String> {
    let l = layout(r)?;
    let mut c = Canvas::new(W as u32, H as u32);
    let y = H / 2.0;
    c.line(&[(4.0, y), (W - 4.0, y)], Color::AXIS, 1.0);
    if let Some((lo, med, hi)) = l.peers {
        c.rect(lo, y - 7.0, (hi - lo).max(2.0), 14.0, RANGE, None);
        c.line(&[(med, y - 7.0), (med, y + 7.0)], Color::MUTED, 1.5);
    }
    c.line(&[(W / 2.0, 1.0), (W / 2.0, H - 1.0)], Color::INK, 2.0);
    if let Some(g) = l.gemeente {
        c.square(g, y, 5.5, Color::WHITE, Color::INK);
    }
    c.circle(l.area, y, 7.5, verdict_color(r.main_rating().verdict()), Some(Color::INK));
    Some(c.finish())
}

/// The key to the spine chart, in words and the same marks.
pub fn legend(gemeente: Option<&str>) -> String {
    let mut c = Canvas::new(1000, 40);
    let y = 20.0;
    let mut x = 8.0;
    c.circle(x + 8.0, y, 8.0, Color(0x9e, 0x9e, 0x9e), Some(Color::INK));
    c.text(x + 22.0, y, "dit gebied (kleur: oordeel)", 17, false, Anchor::Left, Color::INK);
    x += 240.0;
    if let Some(g) = gemeente {
        c.square(x + 8.0, y, 6.0, Color::WHITE, Color::INK);
        let label = format!("gemeente {}", super::shorten(g, 28));
        c.text(x + 22.0, y, &label, 17, false, Anchor::Left, Color::INK);
        x += 36.0 + label.chars().count() as f64 * 9.0;
    }
    c.line(&[(x + 8.0, y - 12.0), (x + 8.0, y + 12.0)], Color::INK, 2.0);
    c.text(x + 18.0, y, "Nederland", 17, false, Anchor::Left, Color::INK);
    x += 120.0;
    c.rect(x, y - 7.0, 36.0, 14.0, RANGE, None);
    c.line(&[(x + 18.0, y - 7.0), (x + 18.0, y + 7.0)], Color::MUTED, 1.5);
    c.text(x + 44.0, y, "vergelijkbare gebieden (bereik; streep: mediaan)", 17, false, Anchor::Left, Color::INK);
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::testdata::dataset;
    use crate::compare::{Context, Options};

    fn result(code: &str, id: &str) -> IndicatorResult {
        let ds = dataset(&[]);
        let p = Context::new(&ds, None).profile(code, &Options::default()).unwrap();
        p.indicators.into_iter().find(|i| i.id == id).unwrap()
    }

    #[test]
    fn gunstiger_lies_right_of_nederland_whatever_the_polarity() {
        // Bijstand: lower is better; GM0001 has 8,0% against 2,6% (ongunstiger): left.
        let r = result("GM0001", "bijstand");
        assert!(r.area.value.unwrap() > r.nederland.value.unwrap());
        let l = layout(&r).unwrap();
        assert!(l.area < W / 2.0, "{l:?}");
        // The same row with the polarity turned round lies right.
        let mut turned = r.clone();
        turned.polarity = Polarity::Higher;
        assert!(layout(&turned).unwrap().area > W / 2.0);
    }

    #[test]
    fn every_mark_stays_inside_the_row() {
        let ds = dataset(&[]);
        for (code, ..) in crate::compare::testdata::GEMEENTEN {
            let p = Context::new(&ds, None).profile(code, &Options::default()).unwrap();
            for i in &p.indicators {
                if let Some(l) = layout(i) {
                    let mut xs = vec![l.area];
                    xs.extend(l.gemeente);
                    if let Some((a, b, c)) = l.peers {
                        xs.extend([a, b, c]);
                    }
                    assert!(xs.iter().all(|x| (0.0..=W).contains(x)), "{} {}: {l:?}", code, i.id);
                }
            }
        }
    }

    #[test]
    fn no_figure_no_row() {
        let mut r = result("GM0001", "bijstand");
        r.area.status = Status::Suppressed;
        assert!(spine(&r).is_none());
    }
}
