//! Charts: every picture of the factsheet as an SVG string, drawn with plotters. Pure
//! functions of the [`Profile`]; the document stage embeds the strings. Text is set in
//! the bundled Open Sans so it renders in the PDF.
//!
//! Colours follow the design rules: blue for gunstiger, orange for ongunstiger, grey for
//! vergelijkbaar, olive for a descriptive hoger/lager (the one palette of
//! [`crate::compare::Verdict`]); herkomst has a violet ramp of its own, never a verdict
//! colour. Never colour alone (every mark has a word or a shape); dark and light steps so
//! the charts still read in grey print and with colour-blindness (tested below).

mod canvas;
pub mod map;
pub mod spine;

use canvas::{Canvas, Color};

use crate::compare::{Composition, IndicatorResult, Profile, Verdict};
use crate::model::Outlines;

/// Width of every chart in SVG pixels (the document scales it to the column).
pub const WIDTH: u32 = 1000;

/// Fill colour of a verdict (the one palette, [`Verdict::fill`]).
pub fn verdict_color(v: Verdict) -> Color {
    let [r, g, b] = v.fill();
    Color(r, g, b)
}

/// Legend entries of the profile chart: the verdict and its words (the descriptive
/// verdicts share one entry).
pub const LEGEND: &[(Verdict, &str)] = &[
    (Verdict::ClearlyFavourable, "duidelijk gunstiger"),
    (Verdict::Favourable, "gunstiger"),
    (Verdict::Comparable, "vergelijkbaar"),
    (Verdict::Unfavourable, "ongunstiger"),
    (Verdict::ClearlyUnfavourable, "duidelijk ongunstiger"),
    (Verdict::ClearlyHigher, "hoger / lager (beschrijvend)"),
    (Verdict::None, "geen oordeel mogelijk"),
];

/// The profile chart ("profieltaart"): one wedge per theme, split into one slice per
/// indicator coloured by its rating against Nederland; the theme's name and count of
/// gunstiger/ongunstiger around it.
pub fn profile_pie(p: &Profile) -> String {
    let (w, h) = (WIDTH, 760);
    let mut c = Canvas::new(w, h);
    let (cx, cy) = (500.0, 380.0);
    let (r0, r1) = (80.0, 190.0);
    let n = p.themes.len().max(1) as f64;
    let gap = 0.035;
    // An odd number of themes (seven) would put one label at the bottom, between its
    // neighbours' lines; turned by half a wedge, the first theme sits at the top instead.
    let turn = if p.themes.len() % 2 == 1 { -0.5 } else { 0.0 };
    for (t, theme) in p.themes.iter().enumerate() {
        let a0 = (t as f64 + turn) / n * std::f64::consts::TAU + gap / 2.0;
        let a1 = (t as f64 + 1.0 + turn) / n * std::f64::consts::TAU - gap / 2.0;
        // One segment per verdict, as wide as the number of indicators that got it,
        // in the order of the legend (gunstiger to ongunstiger, then hoger/lager): a
        // stack that reads at a glance instead of one sliver per indicator. A theme
        // without rated indicators is one pale wedge.
        let rated: Vec<Verdict> = theme.classes.iter().copied().filter(|v| v.is_rated()).collect();
        let mut segments: Vec<(Verdict, usize)> = Verdict::ALL
            .iter()
            .map(|v| (*v, rated.iter().filter(|r| *r == v).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        if segments.is_empty() {
            segments.push((Verdict::None, 1));
        }
        let total = segments.iter().map(|(_, n)| *n).sum::<usize>() as f64;
        let mut from = 0usize;
        for (class, count) in &segments {
            let b0 = a0 + (a1 - a0) * from as f64 / total;
            let b1 = a0 + (a1 - a0) * (from + count) as f64 / total;
            c.wedge(cx, cy, r0, r1, b0, b1, verdict_color(*class), Color::WHITE);
            from += count;
        }
        // Label outside the wedge.
        let mid = (a0 + a1) / 2.0;
        let (sx, sy) = (mid.sin(), -mid.cos());
        let lx = cx + (r1 + 22.0) * sx;
        let ly = cy + (r1 + 22.0) * sy;
        let anchor = if sx > 0.2 {
            canvas::Anchor::Left
        } else if sx < -0.2 {
            canvas::Anchor::Right
        } else {
            canvas::Anchor::Center
        };
        let lines: Vec<String> = if theme.up + theme.same + theme.down == 0 {
            vec!["geen oordeel".to_string()]
        } else if theme.descriptive {
            vec![format!("{} hoger", theme.up), format!("{} lager", theme.down)]
        } else {
            vec![format!("{} gunstiger", theme.up), format!("{} ongunstiger", theme.down)]
        };
        // A title longer than the room beside the pie (the seventh theme's "Energie &
        // duurzaamheid" on the left) goes on two lines, split at a space near its middle.
        let room = match anchor {
            canvas::Anchor::Left => w as f64 - lx,
            canvas::Anchor::Right => lx,
            canvas::Anchor::Center => 2.0 * lx.min(w as f64 - lx),
        };
        let titles = title_lines(&theme.title, room);
        let head = 40.0 * titles.len() as f64;
        let block = head + 34.0 * lines.len() as f64;
        let top = if sy > 0.3 {
            ly + 16.0
        } else if sy < -0.3 {
            ly - block
        } else {
            ly - block / 2.0 + 14.0
        };
        for (j, t) in titles.iter().enumerate() {
            c.text(lx, top + 40.0 * j as f64, t, 33, true, anchor, Color::INK);
        }
        for (j, l) in lines.iter().enumerate() {
            c.text(lx, top + head + 34.0 * j as f64, l, 29, false, anchor, Color::MUTED);
        }
    }
    c.text(cx, cy - 16.0, "t.o.v.", 28, false, canvas::Anchor::Center, Color::MUTED);
    c.text(cx, cy + 20.0, "Nederland", 30, true, canvas::Anchor::Center, Color::INK);
    c.finish()
}

/// A theme title as one line, or as two split at the space nearest its middle when it
/// is wider than `room` (estimated at 0,6 of the 33-unit type size per character).
fn title_lines(title: &str, room: f64) -> Vec<String> {
    if title.chars().count() as f64 * 33.0 * 0.6 <= room - 8.0 {
        return vec![title.to_string()];
    }
    let middle = title.len() / 2;
    match title.match_indices(' ').map(|(i, _)| i).min_by_key(|i| i.abs_diff(middle)) {
        Some(i) => vec![title[..i].to_string(), title[i + 1..].to_string()],
        None => vec![title.to_string()],
    }
}

/// The legend of the profile chart as its own small SVG.
pub fn legend() -> String {
    let rows = LEGEND.len().div_ceil(2);
    let mut c = Canvas::new(WIDTH, (rows * 48 + 10) as u32);
    for (k, (class, words)) in LEGEND.iter().enumerate() {
        let x = 10.0 + (k % 2) as f64 * 500.0;
        let y = 8.0 + (k / 2) as f64 * 48.0;
        c.rect(x, y, 36.0, 36.0, verdict_color(*class), Some(Color::MUTED));
        c.text(x + 48.0, y + 18.0, words, 30, false, canvas::Anchor::Left, Color::INK);
    }
    c.finish()
}

/// A herkomst group's colour ([`crate::model::Group::colour`]): its own palette, never a
/// verdict's.
pub fn group_color(g: crate::model::Group) -> Color {
    let [r, gr, b] = g.colour();
    Color(r, gr, b)
}

/// Two legend columns when every label fits in one (about 52 characters at this size),
/// else one, so no label is cut off.
fn legend_columns(c: &Composition) -> usize {
    if c.parts.iter().all(|p| p.label.chars().count() <= 52) {
        2
    } else {
        1
    }
}

/// The herkomst composition of the area, its gemeente and Nederland as stacked bars on
/// one 0–100% scale, with a legend in words.
pub fn composition(comps: &[Composition]) -> String {
    let bar_h = 36.0;
    let parts = comps.first().map(|c| c.parts.len()).unwrap_or(0);
    let legend_rows = parts.div_ceil(comps.first().map(legend_columns).unwrap_or(2));
    let h = (20.0 + comps.len() as f64 * (bar_h + 22.0) + 20.0 + legend_rows as f64 * 34.0) as u32;
    let mut c = Canvas::new(WIDTH, h);
    let (x0, x1) = (262.0, 980.0);
    for (k, comp) in comps.iter().enumerate() {
        let y = 20.0 + k as f64 * (bar_h + 22.0);
        c.text(10.0, y + bar_h / 2.0, &shorten(&comp.name, 20), 22, k == 0, canvas::Anchor::Left, Color::INK);
        let mut x = x0;
        for part in &comp.parts {
            let Some(s) = part.share else { continue };
            let wdt = s / 100.0 * (x1 - x0);
            let col = group_color(part.group);
            c.rect(x, y, wdt, bar_h, col, Some(Color::WHITE));
            if wdt > 58.0 {
                let txt = crate::model::Unit::Percent.format(s, 0);
                let ink = if col.is_dark() { Color::WHITE } else { Color::INK };
                c.text(x + wdt / 2.0, y + bar_h / 2.0, &txt, 20, false, canvas::Anchor::Center, ink);
            }
            x += wdt;
        }
    }
    if let Some(first) = comps.first() {
        let ly0 = 20.0 + comps.len() as f64 * (bar_h + 22.0) + 10.0;
        let cols = legend_columns(first);
        for (j, part) in first.parts.iter().enumerate() {
            let lx = 10.0 + (j % cols) as f64 * 490.0;
            let ly = ly0 + (j / cols) as f64 * 34.0;
            c.rect(lx, ly, 24.0, 24.0, group_color(part.group), Some(Color::MUTED));
            c.text(lx + 32.0, ly + 12.0, &part.label, 16, false, canvas::Anchor::Left, Color::INK);
        }
    }
    c.finish()
}

/// Page one's herkomst strip: the area's composition as one bar, with each group's
/// share and count in a legend line below (no comparison: that is the herkomst section's
/// job). Context, never a verdict: its own violet palette.
pub fn composition_strip(comp: &Composition) -> String {
    let (w, bar_h, line_h) = (600.0, 30.0, 26.0);
    let shown: Vec<&crate::compare::Part> = comp.parts.iter().filter(|p| p.share.is_some()).collect();
    let h = bar_h + 10.0 + comp.parts.len() as f64 * line_h;
    let mut c = Canvas::new(w as u32, h as u32);
    let mut x = 0.0;
    for part in &shown {
        let wdt = part.share.unwrap_or(0.0) / 100.0 * w;
        c.rect(x, 0.0, wdt, bar_h, group_color(part.group), Some(Color::WHITE));
        x += wdt;
    }
    for (k, part) in comp.parts.iter().enumerate() {
        let y = bar_h + 10.0 + k as f64 * line_h + line_h / 2.0;
        c.rect(0.0, y - 8.0, 16.0, 16.0, group_color(part.group), Some(Color::MUTED));
        let figure = match (part.share, part.count) {
            (Some(s), Some(n)) => format!("{} ({})", crate::model::Unit::Percent.format(s, 0), crate::format::count(n)),
            (Some(s), None) => crate::model::Unit::Percent.format(s, 0),
            _ => "geen gegevens".to_string(),
        };
        c.text(
            24.0,
            y,
            &format!("{}: {figure}", upper_first(&part.label)),
            16,
            false,
            canvas::Anchor::Left,
            Color::INK,
        );
    }
    c.finish()
}

/// Small multiples of the trends: one panel per indicator with the area (solid, dots),
/// the gemeente (dashed) and Nederland (grey), three panels per row.
pub fn trends(items: &[&IndicatorResult], gemeente: bool) -> String {
    let cols = 3usize;
    let (pw, ph) = (WIDTH as f64 / cols as f64, 230.0);
    let rows = items.len().div_ceil(cols);
    let mut c = Canvas::new(WIDTH, (rows as f64 * ph + 50.0) as u32);
    // Legend.
    c.line(&[(10.0, 22.0), (50.0, 22.0)], Color::INK, 4.0);
    c.circle(30.0, 22.0, 6.0, Color::INK, None);
    c.text(60.0, 22.0, "dit gebied", 20, false, canvas::Anchor::Left, Color::INK);
    if gemeente {
        c.dashed(&[(190.0, 22.0), (230.0, 22.0)], Color::INK, 2.5);
        c.text(240.0, 22.0, "gemeente", 20, false, canvas::Anchor::Left, Color::INK);
    }
    c.line(&[(360.0, 22.0), (400.0, 22.0)], Color::MUTED, 3.0);
    c.text(410.0, 22.0, "Nederland", 20, false, canvas::Anchor::Left, Color::INK);
    for (k, ind) in items.iter().enumerate() {
        let ox = (k % cols) as f64 * pw;
        let oy = 50.0 + (k / cols) as f64 * ph;
        c.text(ox + 12.0, oy + 14.0, &shorten(&ind.label, 30), 20, true, canvas::Anchor::Left, Color::INK);
        let (px0, px1, py0, py1) = (ox + 20.0, ox + pw - 30.0, oy + 44.0, oy + ph - 40.0);
        let years: Vec<i32> = ind.trend.iter().map(|t| t.year).collect();
        let (ymin, ymax) = (*years.first().unwrap_or(&0), *years.last().unwrap_or(&1));
        // A count (inwoners) is not on the same scale as the gemeente's or the country's.
        let with_refs = !ind.is_count();
        let vals: Vec<f64> = ind
            .trend
            .iter()
            .flat_map(|t| if with_refs { [t.area, t.gemeente, t.nederland] } else { [t.area, None, None] })
            .flatten()
            .collect();
        let (mut lo, mut hi) =
            (vals.iter().cloned().fold(f64::MAX, f64::min), vals.iter().cloned().fold(f64::MIN, f64::max));
        if lo > 0.0 && lo < hi * 0.6 {
            lo = 0.0;
        }
        if (hi - lo).abs() < 1e-9 {
            hi = lo + 1.0;
        }
        let pad = (hi - lo) * 0.1;
        let (lo, hi) = (lo - pad, hi + pad);
        let sx = |y: i32| px0 + (y - ymin) as f64 / ((ymax - ymin).max(1)) as f64 * (px1 - px0);
        let sy = |v: f64| py1 - (v - lo) / (hi - lo) * (py1 - py0);
        c.line(&[(px0, py1), (px1, py1)], Color::AXIS, 1.0);
        c.text(px0, py1 + 22.0, &ymin.to_string(), 18, false, canvas::Anchor::Left, Color::MUTED);
        c.text(px1, py1 + 22.0, &ymax.to_string(), 18, false, canvas::Anchor::Right, Color::MUTED);
        let series = |f: &dyn Fn(&crate::compare::TrendPoint) -> Option<f64>| -> Vec<(f64, f64)> {
            ind.trend.iter().filter_map(|t| f(t).map(|v| (sx(t.year), sy(v)))).collect()
        };
        let nl = series(&|t| t.nederland);
        if with_refs && nl.len() > 1 {
            c.line(&nl, Color::MUTED, 3.0);
        }
        let gm = series(&|t| t.gemeente);
        if with_refs && gemeente && gm.len() > 1 {
            c.dashed(&gm, Color::INK, 2.5);
        }
        // The area's line in runs of one source; a change of source is a gap with a
        // dashed mark ("b" for break), never a joined line.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for t in &ind.trend {
            let Some(v) = t.area else { continue };
            if t.break_before && !runs.last().is_some_and(|r| r.is_empty()) {
                let x = sx(t.year);
                let prev_x = runs.last().and_then(|r| r.last()).map(|p| p.0).unwrap_or(x);
                let mx = (x + prev_x) / 2.0;
                c.dashed(&[(mx, py0), (mx, py1)], Color::MUTED, 1.5);
                c.text(mx + 4.0, py0 + 4.0, "b", 16, false, canvas::Anchor::Left, Color::MUTED);
                runs.push(Vec::new());
            }
            if let Some(r) = runs.last_mut() {
                r.push((sx(t.year), sy(v)));
            }
        }
        for run in &runs {
            if run.len() > 1 {
                c.line(run, Color::INK, 4.0);
            }
            for &(x, y) in run {
                c.circle(x, y, 5.0, Color::INK, None);
            }
        }
        // First and last value, so the size of a change can be read.
        let points: Vec<(f64, f64, f64)> =
            ind.trend.iter().filter_map(|t| t.area.map(|v| (sx(t.year), sy(v), v))).collect();
        if let (Some(first), Some(last)) = (points.first(), points.last()) {
            c.text(
                last.0,
                last.1 - 16.0,
                &ind.unit.short(last.2, ind.decimals),
                18,
                true,
                canvas::Anchor::Right,
                Color::INK,
            );
            if points.len() > 1 && (first.0 - last.0).abs() > 1.0 {
                c.text(
                    first.0,
                    first.1 - 16.0,
                    &ind.unit.short(first.2, ind.decimals),
                    18,
                    false,
                    canvas::Anchor::Left,
                    Color::INK,
                );
            }
        }
    }
    c.finish()
}

/// The charts of one factsheet, by file stem (`profiel`, `legenda`, `spine-legenda` and
/// `spine-ID` per key figure, `herkomst`, `trends`, `kaart`, `wijken-ID`).
#[derive(Debug, Clone, Default)]
pub struct ChartSet {
    /// (stem, SVG).
    pub files: Vec<(String, String)>,
}

impl ChartSet {
    /// True when a chart with this stem exists.
    pub fn has(&self, stem: &str) -> bool {
        self.files.iter().any(|(s, _)| s == stem)
    }
}

/// Draws every chart of a factsheet; maps from `outlines` (none: no maps).
pub fn render(outlines: &Outlines, p: &Profile) -> ChartSet {
    let mut files = vec![("profiel".to_string(), profile_pie(p)), ("legenda".to_string(), legend())];
    // The key figures of page two: one spine row each.
    let gm = p.gemeente.as_ref().map(|g| g.name.as_str());
    files.push(("spine-legenda".to_string(), spine::legend(gm)));
    for i in p.indicators.iter().filter(|i| i.key && i.shown) {
        if let Some(svg) = spine::spine(i) {
            files.push((format!("spine-{}", i.id), svg));
        }
    }
    if !p.composition.is_empty() {
        files.push(("herkomst".into(), composition(&p.composition)));
        // The strip is the area's own composition (the list leaves out regions without one).
        if p.composition[0].name == p.region.name {
            files.push(("herkomst-balk".into(), composition_strip(&p.composition[0])));
        }
    }
    let items = p.trend_panels();
    if !items.is_empty() {
        files.push(("trends".into(), trends(&items, p.gemeente.is_some())));
    }
    if let Some(m) = map::locator(outlines, p) {
        files.push(("kaart".into(), m));
    }
    if let Some(m) = map::buurten(outlines, p) {
        files.push(("buurten".into(), m));
    }
    if let Some(w) = &p.wijken {
        for m in &w.maps {
            if let Some(svg) = map::wijk_map(outlines, w, m) {
                files.push((format!("wijken-{}", m.indicator), svg));
            }
        }
    }
    ChartSet { files }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_keeps_short_labels() {
        assert_eq!(shorten("Inwoners", 10), "Inwoners");
        assert_eq!(shorten("Inwoners met een uitkering", 10), "Inwoners …");
    }

    #[test]
    fn a_theme_title_too_wide_for_its_side_goes_on_two_lines() {
        // The seventh theme sits on the left of the pie with about 330 units of room.
        assert_eq!(title_lines("Energie & duurzaamheid", 330.0), ["Energie &", "duurzaamheid"]);
        assert_eq!(title_lines("Energie & duurzaamheid", 600.0), ["Energie & duurzaamheid"]);
        assert_eq!(title_lines("Veiligheid", 100.0), ["Veiligheid"], "one word stays one line");
    }

    #[test]
    fn legend_is_valid_svg_with_words() {
        let s = legend();
        assert!(s.starts_with("<svg"));
        assert!(s.contains("duidelijk ongunstiger"));
        assert!(s.contains("Open Sans"));
    }
}

#[cfg(test)]
mod palette_tests {
    //! The palettes under colour-blindness: every colour is simulated for deuteranopia and
    //! protanopia (Machado, Oliveira & Fernandes 2009, severity 1, in linear RGB) and
    //! compared in CIELAB; ΔE below 10 would be hard to tell apart.
    use crate::compare::Verdict;
    use crate::model::Group;

    const DEUTERANOPIA: [[f64; 3]; 3] =
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]];
    const PROTANOPIA: [[f64; 3]; 3] =
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];

    fn linear(c: u8) -> f64 {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }

    /// CIELAB of a colour as seen with `m` (None: normal vision).
    fn seen(rgb: [u8; 3], m: Option<&[[f64; 3]; 3]>) -> [f64; 3] {
        let l = rgb.map(linear);
        let l = match m {
            Some(m) => [0, 1, 2].map(|i| (m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]).clamp(0.0, 1.0)),
            None => l,
        };
        let x = 0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2];
        let y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
        let z = 0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2];
        let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
        let (fx, fy, fz) = (f(x / 0.9505), f(y), f(z / 1.089));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    fn delta(a: [u8; 3], b: [u8; 3], m: Option<&[[f64; 3]; 3]>) -> f64 {
        let (p, q) = (seen(a, m), seen(b, m));
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
    }

    fn distinct(name: &str, a: [u8; 3], b: [u8; 3]) {
        for (vision, m) in [("normal", None), ("deuteranopia", Some(&DEUTERANOPIA)), ("protanopia", Some(&PROTANOPIA))]
        {
            let d = delta(a, b, m);
            assert!(d >= 10.0, "{name}: ΔE {d:.1} under {vision}");
        }
    }

    #[test]
    fn verdict_colours_stay_apart_with_colour_blindness() {
        let fills: Vec<(Verdict, [u8; 3])> = Verdict::ALL.iter().map(|v| (*v, v.fill())).collect();
        for (i, (a, fa)) in fills.iter().enumerate() {
            for (b, fb) in &fills[i + 1..] {
                if fa != fb {
                    distinct(&format!("{a:?} / {b:?}"), *fa, *fb);
                }
            }
        }
    }

    #[test]
    fn herkomst_has_its_own_palette_apart_from_the_verdicts() {
        for g in Group::ALL {
            for v in Verdict::ALL {
                distinct(&format!("{g} / {v:?}"), g.colour(), v.fill());
            }
        }
        // The steps of one composition differ from each other too.
        let steps =
            [Group::Nederland, Group::EuropaGebNl, Group::Europa, Group::BuitenEuropaGebNl, Group::BuitenEuropa];
        for w in steps.windows(2) {
            distinct(&format!("{} / {}", w[0], w[1]), w[0].colour(), w[1].colour());
        }
    }
}
