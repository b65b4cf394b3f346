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

impl Canvas {
    /// An empty canvas of `w` × `h` pixels.
    pub fn new(w: u32, h: u32) -> Canvas {
        Canvas { w, h, ops: Vec::new() }
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

    /// An annular wedge from angle `a0` to `a1` (radians, clockwise from the top).
    #[allow(clippy::too_many_arguments)]
    pub fn wedge(&mut self, cx: f64, cy: f64, r0: f64, r1: f64, a0: f64, a1: f64, fill: Color, edge: Color) {
        let steps = (((a1 - a0).abs() / 0.03).ceil() as usize).max(2);
        let at = |r: f64, a: f64| (cx + r * a.sin(), cy - r * a.cos());
        let mut pts: Vec<(f64, f64)> = (0..=steps).map(|i| at(r1, a0 + (a1 - a0) * i as f64 / steps as f64)).collect();
        pts.extend((0..=steps).rev().map(|i| at(r0, a0 + (a1 - a0) * i as f64 / steps as f64)));
        let mut outline = pts.clone();
        outline.push(pts[0]);
        self.polygon(pts, fill);
        self.line(&outline, edge, 3.0);
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
        out
    }
}
