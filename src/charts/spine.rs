//! The spine chart of the key figures (after Fingertips): one thin row per indicator,
//! centred on the benchmark (Nederland, or the gemeente where Nederland has no figure,
//! then drawn dashed with the gemeente's square on it), with the comparable areas as a
//! grey band, the gemeente as an open square and the area as a dot in its verdict's
//! colour. Every row is turned so that "gunstiger" lies right of the centre line; a
//! descriptive row puts "hoger" right (the document sets those rows under their own
//! heading, lager … hoger). Each row has its own scale, and says how far it reaches: a
//! round number at each end ("−6" … "+6", in the row's unit, from the centre line). Each
//! row is its own SVG, so the document can set it in a table cell beside the words and
//! numbers it draws.

use super::canvas::{Anchor, Canvas, Color};
use super::verdict_color;
use crate::compare::{IndicatorResult, Status};
use crate::model::catalogue::Polarity;

/// Width and height of one row in SVG pixels (about 35 × 3,5 mm on the page).
const W: f64 = 300.0;
const H: f64 = 30.0;
/// Half the width of the axis at most: the centre line is at `W / 2`, the ends leave
/// room for the scale's labels (a row with long labels, € 200.000, has a shorter axis).
const HALF: f64 = 96.0;
/// Size of the scale's labels.
const LABEL: u32 = 18;

/// About how wide a label is in Open Sans at `size` pixels.
fn text_width(t: &str, size: u32) -> f64 {
    t.chars().map(|c| if matches!(c, '.' | ',') { 0.28 } else { 0.57 }).sum::<f64>() * size as f64
}
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
    /// How far the axis reaches from the centre, in the row's unit (a round number).
    pub reach: f64,
    /// Half the axis in pixels.
    pub half: f64,
    /// The centre is the gemeente (Nederland has no figure).
    pub gemeente_centre: bool,
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
    // A round number a little beyond the farthest mark, so the ends can be labelled.
    let reach = super::trend::round_up(reach * 1.04);
    let label = text_width(&format!("+{}", reach_text(r, reach)), LABEL);
    let half = HALF.min(W / 2.0 - 8.0 - label);
    // Gunstiger to the right: a lower-is-better row is mirrored.
    let sign = if r.polarity == Polarity::Lower { -1.0 } else { 1.0 };
    let x = |v: f64| W / 2.0 + sign * (v - centre) / reach * half;
    let peers = r.peers.as_ref().map(|p| {
        let (a, b) = (x(p.min), x(p.max));
        (a.min(b), x(p.median), a.max(b))
    });
    Some(Layout { area: x(area), gemeente: gemeente.map(x), peers, reach, half, gemeente_centre: nl.is_none() })
}

/// The reach as the ends print it, in the row's unit without its sign ("6", "200.000").
fn reach_text(r: &IndicatorResult, reach: f64) -> String {
    let decimals = if (reach - reach.round()).abs() > 1e-9 { 1 } else { 0 };
    r.unit.bare(reach, decimals)
}

/// The labels at the ends of a row: how far each end lies from the centre, signed the
/// way the values run ("+6" right for a higher-is-better row, "−6" right when mirrored).
pub fn end_labels(r: &IndicatorResult, l: &Layout) -> (String, String) {
    let n = reach_text(r, l.reach);
    let (plus, minus) = (format!("+{n}"), format!("−{n}"));
    if r.polarity == Polarity::Lower {
        (plus, minus)
    } else {
        (minus, plus)
    }
}

/// One row of the spine chart as SVG, or `None` when it cannot be drawn (see [`layout`]).
pub fn spine(r: &IndicatorResult) -> Option<String> {
    let l = layout(r)?;
    let mut c = Canvas::new(W as u32, H as u32);
    let y = H / 2.0;
    let (x0, x1) = (W / 2.0 - l.half, W / 2.0 + l.half);
    c.line(&[(x0, y), (x1, y)], Color::AXIS, 1.0);
    c.line(&[(x0, y - 5.0), (x0, y + 5.0)], Color::AXIS, 1.0);
    c.line(&[(x1, y - 5.0), (x1, y + 5.0)], Color::AXIS, 1.0);
    let (left, right) = end_labels(r, &l);
    c.text(x0 - 4.0, y, &left, LABEL, false, Anchor::Right, Color::MUTED);
    c.text(x1 + 4.0, y, &right, LABEL, false, Anchor::Left, Color::MUTED);
    if let Some((lo, med, hi)) = l.peers {
        c.rect(lo, y - 7.0, (hi - lo).max(2.0), 14.0, RANGE, None);
        c.line(&[(med, y - 7.0), (med, y + 7.0)], Color::MUTED, 1.5);
    }
    if l.gemeente_centre {
        // Compared with the gemeente: a dashed centre with the gemeente's square on it.
        c.dashed(&[(W / 2.0, 1.0), (W / 2.0, H - 1.0)], Color::INK, 2.0);
        c.square(W / 2.0, y, 5.5, Color::WHITE, Color::INK);
    } else {
        c.line(&[(W / 2.0, 1.0), (W / 2.0, H - 1.0)], Color::INK, 2.0);
    }
    if let Some(g) = l.gemeente {
        c.square(g, y, 5.5, Color::WHITE, Color::INK);
    }
    c.circle(l.area, y, 7.5, verdict_color(r.main_rating().verdict()), Some(Color::INK));
    Some(c.finish())
}

/// The key to the spine chart, in words and the same marks: two lines, and a third when
/// a row is compared with the gemeente (`dashed`).
pub fn legend(gemeente: Option<&str>, dashed: bool) -> String {
    let mut c = Canvas::new(1000, if dashed { 108 } else { 74 });
    let y = 18.0;
    let mut x = 8.0;
    c.circle(x + 8.0, y, 8.0, Color(0x9e, 0x9e, 0x9e), Some(Color::INK));
    c.text(x + 22.0, y, "dit gebied (kleur: oordeel)", 19, false, Anchor::Left, Color::INK);
    x += 270.0;
    c.line(&[(x + 8.0, y - 12.0), (x + 8.0, y + 12.0)], Color::INK, 2.0);
    c.text(x + 18.0, y, "Nederland (midden)", 19, false, Anchor::Left, Color::INK);
    x += 210.0;
    if let Some(g) = gemeente {
        c.square(x + 8.0, y, 6.0, Color::WHITE, Color::INK);
        c.text(x + 22.0, y, &format!("gemeente {}", super::shorten(g, 28)), 19, false, Anchor::Left, Color::INK);
    }
    let y = 52.0;
    c.rect(8.0, y - 7.0, 36.0, 14.0, RANGE, None);
    c.line(&[(26.0, y - 7.0), (26.0, y + 7.0)], Color::MUTED, 1.5);
    c.text(52.0, y, "vergelijkbare gebieden (bereik; streep: mediaan)", 19, false, Anchor::Left, Color::INK);
    c.text(520.0, y, "+6 … −6: hoe ver de rij reikt vanaf het midden", 19, false, Anchor::Left, Color::INK);
    if dashed {
        let y = 88.0;
        c.dashed(&[(16.0, y - 12.0), (16.0, y + 12.0)], Color::INK, 2.0);
        c.square(16.0, y, 6.0, Color::WHITE, Color::INK);
        c.text(
            30.0,
            y,
            "gestreept midden: vergeleken met de gemeente, want Nederland heeft geen cijfer",
            19,
            false,
            Anchor::Left,
            Color::INK,
        );
    }
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
    fn the_ends_say_how_far_the_row_reaches_the_way_the_values_run() {
        // Bijstand 8,0% against 2,6%: the row reaches a round 6 from Nederland; lower
        // is better, so "+6" stands left and "−6" right.
        let r = result("GM0001", "bijstand");
        let l = layout(&r).unwrap();
        assert_eq!(l.reach, 6.0);
        assert_eq!(end_labels(&r, &l), ("+6".to_string(), "−6".to_string()));
        let svg = spine(&r).unwrap();
        assert!(svg.contains("\n+6\n") && svg.contains("\n−6\n"), "{svg}");
        let mut turned = r.clone();
        turned.polarity = Polarity::Higher;
        assert_eq!(end_labels(&turned, &layout(&turned).unwrap()).1, "+6");
    }

    #[test]
    fn no_figure_no_row() {
        let mut r = result("GM0001", "bijstand");
        r.area.status = Status::Suppressed;
        assert!(spine(&r).is_none());
    }
}
