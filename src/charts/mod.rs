//! Charts: every picture of the factsheet as an SVG string, drawn with plotters. Pure
//! functions of the [`Profile`]; the document stage embeds the strings. Text is set in
//! the bundled Open Sans so it renders in the PDF.
//!
//! Colours follow the design rules: blue for gunstiger, orange for ongunstiger, grey for
//! vergelijkbaar, olive for a descriptive hoger/lager (the one palette of
//! [`crate::compare::Verdict`]); herkomst has a violet ramp of its own, never a verdict
//! colour. Never colour alone (every mark has a word or a shape); dark and light steps so
//! the charts still read in grey print and with colour-blindness (tested below).

pub mod achterstand;
mod canvas;
mod labels;
pub mod map;
pub mod profile;
pub mod spine;
pub mod trend;

use canvas::{Canvas, Color};

use crate::compare::{Composition, Profile, Verdict};
use crate::model::Outlines;

/// Width of every chart in SVG pixels (the document scales it to the column).
pub const WIDTH: u32 = 1000;

/// Fill colour of a verdict (the one palette, [`Verdict::fill`]).
pub fn verdict_color(v: Verdict) -> Color {
    let [r, g, b] = v.fill();
    Color(r, g, b)
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

/// The charts of one factsheet, by file stem (`profiel`, `spine-legenda` and
/// `spine-ID` per key figure, `herkomst`, `trends`, `kaart`, `wijken-ID`, `achterstand`
/// and `wijken-achterstand`).
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
    let mut files = vec![("profiel".to_string(), profile::chart(&crate::compare::profile_rows(&p.themes)))];
    // The key figures of page two: one spine row each.
    let gm = p.gemeente.as_ref().map(|g| g.name.as_str());
    let rows: Vec<(&crate::compare::IndicatorResult, spine::Layout)> =
        p.indicators.iter().filter(|i| i.key && i.shown).filter_map(|i| Some((i, spine::layout(i)?))).collect();
    files.push(("spine-legenda".to_string(), spine::legend(gm, rows.iter().any(|(_, l)| l.gemeente_centre))));
    for (i, _) in rows {
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
        files.push(("trends".into(), trend::chart(&items, p.gemeente.is_some())));
    }
    if let Some(m) = map::locator(outlines, p) {
        files.push(("kaart".into(), m));
    }
    if let Some(m) = map::buurten(outlines, p) {
        files.push(("buurten".into(), m));
    }
    if let Some(index) = &p.achterstand {
        let gemeente = p.gemeente.as_ref().map(|g| g.name.as_str());
        files.push(("achterstand".into(), achterstand::chart(&index.profile().rows, gemeente)));
    }
    if let Some(w) = &p.wijken {
        let deciles: std::collections::HashMap<&str, Option<u8>> =
            p.achterstand_wijken.iter().map(|r| (r.code.as_str(), r.total.nederland.map(|n| n.decile))).collect();
        // A map of the totals only where at least half the wijken have one (Rotterdam's
        // and Utrecht's have none: the RIVM and Politie figures per wijk are missing
        // there); a white map says nothing.
        let with_total = deciles.values().filter(|d| d.is_some()).count();
        if 2 * with_total >= w.wijken.len() && with_total > 0 {
            if let Some(svg) = map::index_map(outlines, w, &deciles) {
                files.push(("wijken-achterstand".into(), svg));
            }
        }
        if w.wijken.len() > map::MAX_LABELLED {
            if let Some(svg) = map::wijken_key(outlines, w) {
                files.push(("wijken-nummers".into(), svg));
            }
        }
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
    fn the_profile_is_valid_svg_with_words() {
        use crate::compare::testdata::dataset;
        use crate::compare::{Context, Options};
        let ds = dataset(&[]);
        let p = Context::new(&ds, None).profile("GM0001", &Options::default()).unwrap();
        let s = render(&Default::default(), &p).files.into_iter().find(|(stem, _)| stem == "profiel").unwrap().1;
        assert!(s.starts_with("<svg"));
        assert!(s.contains("ongunstiger") && s.contains("Arbeid &amp; inkomen"), "{s}");
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
