//! A small drawing surface over plotters' SVG backend: the charts record shapes in
//! chart coordinates and [`Canvas::finish`] replays them into an SVG string. Keeps the
//! chart code free of backend plumbing and lifetimes.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendColor, BackendStyle, DrawingBackend};

/// An opaque colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    /// Text and outlines.
    pub const INK: Color = Color(0x26, 0x26, 0x26);
    /// Secondary text, Nederland's line.
    pub const MUTED: Color = Color(0x76, 0x76, 0x76);
    /// Axis lines.
    pub const AXIS: Color = Color(0xbd, 0xbd, 0xbd);
    /// The peer range band.
    pub const BAND: Color = Color(0xc6, 0xdb, 0xef);
    /// Alternate row shading.
    pub const ZEBRA: Color = Color(0xf7, 0xf7, 0xf7);
    /// White.
    pub const WHITE: Color = Color(0xff, 0xff, 0xff);

    /// True when white text reads better on it.
    pub fn is_dark(self) -> bool {
        (0.299 * self.0 as f64 + 0.587 * self.1 as f64 + 0.114 * self.2 as f64) < 140.0
    }

    fn rgb(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }
}

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    /// Text starts at x.
    Left,
    /// Text is centred on x.
    Center,
    /// Text ends at x.
    Right,
}

enum Op {
    Polygon(Vec<(f64, f64)>, Color),
    Path(Vec<(f64, f64)>, Color, f64),
    Circle(f64, f64, f64, Color, Option<Color>),
    Text(f64, f64, String, u32, bool, Anchor, Color),
}

/// Records shapes; see the module header.
pub struct Canvas {
    w: u32,
    h: u32,
    ops: Vec<Op>,
    /// SVG paths drawn beneath the recorded shapes (see [`Canvas::underlay`]).
    under: String,
}

struct Stroke(BackendColor, u32);

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.0
    }
    fn stroke_width(&self) -> u32 {
        self.1
    }
}

fn bc(c: Color) -> BackendColor {
    BackendColor { alpha: 1.0, rgb: (c.0, c.1, c.2) }
}

fn pt(p: (f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

/// Twice the signed area of a ring (the shoelace formula): its sign says which way
/// round the ring runs.
fn shoelace(pts: &[(i32, i32)]) -> i64 {
    let n = pts.len();
    (0..n)
        .map(|i| {
            let (p, q) = (pts[i], pts[(i + 1) % n]);
            p.0 as i64 * q.1 as i64 - q.0 as i64 * p.1 as i64
        })
        .sum()
}

impl Canvas {
    /// An empty canvas of `w` × `h` pixels.
    pub fn new(w: u32, h: u32) -> Canvas {
        Canvas { w, h, ops: Vec::new(), under: String::new() }
    }

    /// Filled and outlined rings, drawn beneath every other shape of the canvas, as one
    /// SVG path however many rings: a map of 342 gemeenten is then a few elements for
    /// the PDF's SVG reader instead of 700, which cost 6 % of a gemeente factsheet's
    /// instructions.
    /// Each ring is turned the same way round, so that the path (non-zero fill) fills
    /// their union, as one polygon per ring would.
    pub fn underlay(&mut self, rings: &[Vec<(f64, f64)>], fill: Color, edge: Color, width: f64) {
        use std::fmt::Write;
        let mut d = String::new();
        for ring in rings {
            let mut pts: Vec<(i32, i32)> = Vec::with_capacity(ring.len());
            for p in ring.iter().map(|p| pt(*p)) {
                if pts.last() != Some(&p) {
                    pts.push(p);
                }
            }
            if pts.len() < 3 {
                continue;
            }
            if shoelace(&pts) < 0 {
                pts.reverse();
            }
            for (k, (x, y)) in pts.iter().enumerate() {
                let _ = write!(d, "{}{x} {y}", if k == 0 { 'M' } else { 'L' });
            }
            d.push('Z');
        }
        if d.is_empty() {
            return;
        }
        let hex = |c: Color| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        let _ = writeln!(
            self.under,
            r#"<path fill="{}" stroke="{}" stroke-width="{}" d="{d}"/>"#,
            hex(fill),
            hex(edge),
            width.round().max(1.0)
        );
    }

    /// A filled polygon.
    pub fn polygon(&mut self, pts: Vec<(f64, f64)>, fill: Color) {
        self.ops.push(Op::Polygon(pts, fill));
    }

    /// A polyline.
    pub fn line(&mut self, pts: &[(f64, f64)], color: Color, width: f64) {
        self.ops.push(Op::Path(pts.to_vec(), color, width));
    }

    /// A dashed polyline.
    pub fn dashed(&mut self, pts: &[(f64, f64)], color: Color, width: f64) {
        let (dash, gap) = (10.0, 7.0);
        for seg in pts.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
            let mut t = 0.0;
            while t < len {
                let t1 = (t + dash).min(len);
                let p = |s: f64| (a.0 + (b.0 - a.0) * s / len, a.1 + (b.1 - a.1) * s / len);
                self.line(&[p(t), p(t1)], color, width);
                t += dash + gap;
            }
        }
    }

    /// A rectangle with an optional outline.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: Color, stroke: Option<Color>) {
        self.polygon(vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)], fill);
        if let Some(s) = stroke {
            self.line(&[(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)], s, 1.0);
        }
    }

    /// A circle.
    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: Color, stroke: Option<Color>) {
        self.ops.push(Op::Circle(x, y, r, fill, stroke));
    }

    /// A square marker centred on (x, y).
    pub fn square(&mut self, x: f64, y: f64, half: f64, fill: Color, stroke: Color) {
        self.rect(x - half, y - half, 2.0 * half, 2.0 * half, fill, Some(stroke));
        self.line(
            &[
                (x - half, y - half),
                (x + half, y - half),
                (x + half, y + half),
                (x - half, y + half),
                (x - half, y - half),
            ],
            stroke,
            2.0,
        );
    }

    /// A text; `size` in pixels.
    #[allow(clippy::too_many_arguments)]
    pub fn text(&mut self, x: f64, y: f64, s: &str, size: u32, bold: bool, anchor: Anchor, color: Color) {
        self.ops.push(Op::Text(x, y, s.to_string(), size, bold, anchor, color));
    }

    /// Replays the recorded shapes into an SVG document.
    pub fn finish(self) -> String {
        let mut out = String::new();
        {
            let mut b = SVGBackend::with_string(&mut out, (self.w, self.h));
            for op in &self.ops {
                // Drawing into a String cannot fail.
                let _ = match op {
                    Op::Polygon(pts, c) => b.fill_polygon(pts.iter().map(|p| pt(*p)), &Stroke(bc(*c), 0)),
                    Op::Path(pts, c, w) => {
                        b.draw_path(pts.iter().map(|p| pt(*p)), &Stroke(bc(*c), w.round().max(1.0) as u32))
                    }
                    Op::Circle(x, y, r, fill, stroke) => {
                        let _ = b.draw_circle(pt((*x, *y)), r.round() as u32, &Stroke(bc(*fill), 0), true);
                        match stroke {
                            Some(s) => b.draw_circle(pt((*x, *y)), r.round() as u32, &Stroke(bc(*s), 2), false),
                            None => Ok(()),
                        }
                    }
                    Op::Text(x, y, s, size, bold, anchor, color) => {
                        let h = match anchor {
                            Anchor::Left => HPos::Left,
                            Anchor::Center => HPos::Center,
                            Anchor::Right => HPos::Right,
                        };
                        let style = if *bold { FontStyle::Bold } else { FontStyle::Normal };
                        // plotters writes font-size = size / 1.24.
                        let font = FontDesc::new(FontFamily::Name("Open Sans"), *size as f64 * 1.24, style);
                        let rgb = color.rgb();
                        let ts = TextStyle::from(font).color(&rgb).pos(Pos::new(h, VPos::Center));
                        b.draw_text(s, &ts, pt((*x, *y)))
                    }
                };
            }
            let _ = b.present();
        }
        if !self.under.is_empty() {
            // Right after the opening `<svg …>` tag, so that it lies beneath the rest.
            let at = out.find("<svg").and_then(|s| out[s..].find('>').map(|e| s + e + 1)).unwrap_or(0);
            out.insert_str(at, &format!("\n{}", self.under.trim_end()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GREY: Color = Color(0xec, 0xec, 0xec);

    #[test]
    fn rings_are_one_path_beneath_the_other_shapes() {
        let mut c = Canvas::new(100, 50);
        c.text(5.0, 5.0, "bovenop", 12, false, Anchor::Left, Color::INK);
        let square = vec![(10.0, 10.0), (20.0, 10.0), (20.0, 20.0), (10.0, 20.0)];
        let other = vec![(30.0, 10.0), (40.0, 10.0), (40.0, 20.0)];
        c.underlay(&[square, other], GREY, Color::WHITE, 1.0);
        let svg = c.finish();
        assert_eq!(svg.matches("<path").count(), 1, "{svg}");
        let path = svg.find("<path").unwrap();
        assert!(path < svg.find("<text").unwrap(), "the rings lie beneath the text: {svg}");
        assert!(path > svg.find("<svg").unwrap());
        assert!(svg.contains(r##"fill="#ECECEC" stroke="#FFFFFF" stroke-width="1""##), "{svg}");
        assert!(svg.contains("ZM"), "two rings in one path: {svg}");
    }

    #[test]
    fn rings_run_the_same_way_round_so_the_fill_is_their_union() {
        // The same square written both ways round: both come out clockwise on screen.
        let cw = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let ccw: Vec<(f64, f64)> = cw.iter().rev().copied().collect();
        let mut c = Canvas::new(20, 20);
        c.underlay(&[cw, ccw], GREY, Color::WHITE, 1.0);
        let svg = c.finish();
        let d = &svg[svg.find(" d=\"").unwrap() + 4..];
        let d = &d[..d.find('"').unwrap()];
        let rings: Vec<&str> = d.split('Z').filter(|r| !r.is_empty()).collect();
        assert_eq!(rings.len(), 2);
        let area = |r: &str| {
            let pts: Vec<(i32, i32)> = r
                .split(['M', 'L'])
                .filter(|s| !s.is_empty())
                .map(|s| {
                    let (x, y) = s.split_once(' ').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            shoelace(&pts)
        };
        assert!(area(rings[0]) > 0 && area(rings[1]) > 0, "{d}");
    }

    #[test]
    fn degenerate_rings_are_left_out() {
        let mut c = Canvas::new(20, 20);
        // Three points that round to two.
        c.underlay(&[vec![(1.0, 1.0), (1.2, 1.1), (5.0, 5.0)]], GREY, Color::WHITE, 1.0);
        assert!(!c.finish().contains("<path"));
    }
}
