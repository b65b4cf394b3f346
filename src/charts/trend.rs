//! The trend panels: one small chart per indicator with the area (solid, dots), the
//! gemeente (dashed) and Nederland (grey), three panels a row. The rules a reader can
//! rely on, stated in the reading guide too:
//!
//! - a panel has at least [`crate::compare::MIN_TREND_POINTS`] years with a figure
//!   (chosen in [`crate::compare::Profile::trend_panels`]);
//! - a line joins two years only when no year between them is missing: years follow each
//!   other, or lie as far apart as the series' own rhythm (the Gezondheidsmonitor's 2012,
//!   2016, 2020). A missing year leaves the dots unjoined;
//! - the line breaks, with a "b", only where the definition or the area changed (the
//!   comparison marks that; editions of one source are no break);
//! - the value axis starts at 0 (a score runs through 0) and ends at a round number above
//!   the highest figure, both labelled, so a change looks as large as it is relative to
//!   the figure itself (74.040 → 79.440 inwoners is a rise of 7%, not a cliff).
//!
//! [`plan`] decides what is drawn in years and values; [`chart`] only draws the plan,
//! so the tests check the rules on the plan.

use super::canvas::{Anchor, Canvas, Color};
use super::WIDTH;
use crate::compare::{IndicatorResult, TrendPoint};

/// What one panel draws, in years and values.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The area's points joined by one line each (a run of one point is a lone dot).
    pub area: Vec<Vec<(i32, f64)>>,
    /// The gemeente's lines (empty when not drawn).
    pub gemeente: Vec<Vec<(i32, f64)>>,
    /// Nederland's lines (empty when not drawn).
    pub nederland: Vec<Vec<(i32, f64)>>,
    /// Years before which the definition or the area changed ("b").
    pub breaks: Vec<i32>,
    /// Bottom and top of the value axis.
    pub axis: (f64, f64),
    /// The years on the x axis: first and last of the series.
    pub years: (i32, i32),
}

/// The smallest step between two years with a figure in any of the series: 1 for a
/// yearly source, 4 for the Gezondheidsmonitor.
fn rhythm(series: &[Vec<(i32, f64)>]) -> i32 {
    series.iter().flat_map(|s| s.windows(2).map(|w| w[1].0 - w[0].0)).filter(|d| *d > 0).min().unwrap_or(1)
}

/// Splits a series into lines: at a missing year (a step longer than `step`) and at a
/// break.
fn lines(points: &[(i32, f64)], step: i32, breaks: &[i32]) -> Vec<Vec<(i32, f64)>> {
    let mut out: Vec<Vec<(i32, f64)>> = Vec::new();
    for &(y, v) in points {
        let joins = out
            .last()
            .and_then(|r| r.last())
            .is_some_and(|&(prev, _)| y - prev <= step && !breaks.iter().any(|b| prev < *b && *b <= y));
        match out.last_mut() {
            Some(run) if joins => run.push((y, v)),
            _ => out.push(vec![(y, v)]),
        }
    }
    out
}

/// A round number at or above `v` (1; 1,2; 1,5; 2; 2,5; 3; 4; 5; 6; 8 times a power of
/// ten); 0 for a value at or below 0.
pub fn round_up(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 0.0;
    }
    let k = 10f64.powf(v.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if m * k >= v * (1.0 - 1e-12) {
            return m * k;
        }
    }
    10.0 * k
}

/// The plan of one panel. `with_gemeente`: a wijk or buurt draws its gemeente. A count
/// (inwoners) is drawn alone: the gemeente's and the country's are not on its scale.
pub fn plan(ind: &IndicatorResult, with_gemeente: bool) -> Plan {
    let with_refs = !ind.is_count();
    let of = |f: &dyn Fn(&TrendPoint) -> Option<f64>| -> Vec<(i32, f64)> {
        ind.trend.iter().filter_map(|t| f(t).filter(|v| v.is_finite()).map(|v| (t.year, v))).collect()
    };
    let area = of(&|t| t.area);
    let gemeente = if with_refs && with_gemeente { of(&|t| t.gemeente) } else { Vec::new() };
    let nederland = if with_refs { of(&|t| t.nederland) } else { Vec::new() };
    let breaks: Vec<i32> = ind.trend.iter().filter(|t| t.break_before && t.area.is_some()).map(|t| t.year).collect();
    // The rhythm of the source, from every series the comparison has (also those a count
    // does not draw: the country's yearly inwoners show that a year is missing).
    let step = rhythm(&[area.clone(), of(&|t| t.gemeente), of(&|t| t.nederland)]);
    let all: Vec<f64> = area.iter().chain(&gemeente).chain(&nederland).map(|p| p.1).collect();
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let top = round_up(hi);
    let bottom = if lo < 0.0 { -round_up(-lo) } else { 0.0 };
    let top = if top <= bottom { bottom + 1.0 } else { top };
    let years = (area.first().map(|p| p.0).unwrap_or(0), area.last().map(|p| p.0).unwrap_or(0));
    let years = ind.trend.iter().fold(years, |(a, b), t| {
        if t.area.is_some() || (with_refs && t.nederland.is_some()) {
            (a.min(t.year), b.max(t.year))
        } else {
            (a, b)
        }
    });
    Plan {
        area: lines(&area, step, &breaks),
        gemeente: lines(&gemeente, step, &breaks),
        nederland: lines(&nederland, step, &breaks),
        breaks,
        axis: (bottom, top),
        years,
    }
}

/// An axis label: the round number with the unit, decimals only where it has them.
fn axis_label(ind: &IndicatorResult, v: f64) -> String {
    let decimals = if (v - v.round()).abs() > 1e-9 { 1 } else { 0 };
    ind.unit.short(v, decimals)
}

/// A panel's title: the label on its first line, cut only at a word and continued on a
/// second line with the unit the axis does not show ("per 1.000", "m³"); a label that
/// needs more than two lines ends in "…". Bold 20-unit type is about 0,6 of its size
/// wide a character, the 17-unit second line 0,55.
fn title_lines(ind: &IndicatorResult, pw: f64) -> Vec<String> {
    let first_room = ((pw - 24.0) / 12.0) as usize;
    let second_room = ((pw - 24.0) / 9.4) as usize;
    let note = ind.unit.label_note();
    let mut first = String::new();
    let mut rest: Vec<&str> = Vec::new();
    for word in ind.label.split(' ') {
        if rest.is_empty() && (first.is_empty() || first.chars().count() + word.chars().count() < first_room) {
            if !first.is_empty() {
                first.push(' ');
            }
            first.push_str(word);
        } else {
            rest.push(word);
        }
    }
    let mut second = rest.join(" ");
    if !note.is_empty() && !ind.label.contains(note) {
        second = if second.is_empty() { note.to_string() } else { format!("{second} ({note})") };
    }
    let mut lines = vec![first];
    if !second.is_empty() {
        lines.push(super::shorten(&second, second_room));
    }
    lines
}

/// Small multiples of the trends, three panels a row.
pub fn chart(items: &[&IndicatorResult], gemeente: bool) -> String {
    let cols = 3usize;
    let (pw, ph) = (WIDTH as f64 / cols as f64, 204.0);
    let rows = items.len().div_ceil(cols);
    let mut c = Canvas::new(WIDTH, (rows as f64 * ph + 44.0) as u32);
    // Legend.
    c.line(&[(10.0, 22.0), (50.0, 22.0)], Color::INK, 4.0);
    c.circle(30.0, 22.0, 6.0, Color::INK, None);
    c.text(60.0, 22.0, "dit gebied", 20, false, Anchor::Left, Color::INK);
    if gemeente {
        c.dashed(&[(190.0, 22.0), (230.0, 22.0)], Color::INK, 2.5);
        c.text(240.0, 22.0, "gemeente", 20, false, Anchor::Left, Color::INK);
    }
    c.line(&[(360.0, 22.0), (400.0, 22.0)], Color::MUTED, 3.0);
    c.text(410.0, 22.0, "Nederland", 20, false, Anchor::Left, Color::INK);
    for (k, ind) in items.iter().enumerate() {
        let (ox, oy) = ((k % cols) as f64 * pw, 44.0 + (k / cols) as f64 * ph);
        panel(&mut c, ind, &plan(ind, gemeente), ox, oy, pw, ph);
    }
    c.finish()
}

/// One panel at (ox, oy).
fn panel(c: &mut Canvas, ind: &IndicatorResult, p: &Plan, ox: f64, oy: f64, pw: f64, ph: f64) {
    for (j, line) in title_lines(ind, pw).iter().enumerate() {
        c.text(
            ox + 12.0,
            oy + 12.0 + 20.0 * j as f64,
            line,
            if j == 0 { 20 } else { 17 },
            j == 0,
            Anchor::Left,
            Color::INK,
        );
    }
    let (px0, px1, py0, py1) = (ox + 84.0, ox + pw - 34.0, oy + 52.0, oy + ph - 42.0);
    let (ymin, ymax) = p.years;
    let (bottom, top) = p.axis;
    let sx = |y: i32| px0 + (y - ymin) as f64 / ((ymax - ymin).max(1)) as f64 * (px1 - px0);
    let sy = |v: f64| py1 - (v - bottom) / (top - bottom) * (py1 - py0);
    // The value axis: its bottom (0) and its top, both labelled; 0 marked when a score
    // runs through it.
    c.line(&[(px0, sy(bottom)), (px1, sy(bottom))], Color::AXIS, 1.0);
    c.line(&[(px0, sy(top)), (px1, sy(top))], Color(0xe4, 0xe4, 0xe4), 1.0);
    c.line(&[(px0, sy(bottom)), (px0, sy(top))], Color::AXIS, 1.0);
    c.text(px0 - 6.0, sy(bottom), &axis_label(ind, bottom), 17, false, Anchor::Right, Color::MUTED);
    c.text(px0 - 6.0, sy(top), &axis_label(ind, top), 17, false, Anchor::Right, Color::MUTED);
    if bottom < 0.0 && top > 0.0 {
        c.line(&[(px0, sy(0.0)), (px1, sy(0.0))], Color::AXIS, 1.0);
        c.text(px0 - 6.0, sy(0.0), "0", 17, false, Anchor::Right, Color::MUTED);
    }
    c.text(px0, py1 + 24.0, &ymin.to_string(), 18, false, Anchor::Left, Color::MUTED);
    c.text(px1, py1 + 24.0, &ymax.to_string(), 18, false, Anchor::Right, Color::MUTED);
    let xy = |run: &Vec<(i32, f64)>| run.iter().map(|&(y, v)| (sx(y), sy(v))).collect::<Vec<_>>();
    for run in p.nederland.iter().filter(|r| r.len() > 1) {
        c.line(&xy(run), Color::MUTED, 3.0);
    }
    for run in p.gemeente.iter().filter(|r| r.len() > 1) {
        c.dashed(&xy(run), Color::INK, 2.5);
    }
    // A break: a dashed mark between the two years, never a joined line.
    let points: Vec<(i32, f64)> = p.area.iter().flatten().copied().collect();
    for b in &p.breaks {
        let prev = points.iter().rev().find(|(y, _)| y < b).map(|p| p.0).unwrap_or(*b);
        let mx = (sx(*b) + sx(prev)) / 2.0;
        c.dashed(&[(mx, py0 - 6.0), (mx, py1)], Color::MUTED, 1.5);
        c.text(mx + 4.0, py0 - 2.0, "b", 16, false, Anchor::Left, Color::MUTED);
    }
    for run in &p.area {
        if run.len() > 1 {
            c.line(&xy(run), Color::INK, 4.0);
        }
        for (x, y) in xy(run) {
            c.circle(x, y, 5.0, Color::INK, None);
        }
    }
    // First and last value, so the size of a change can be read.
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let f = |v: f64| ind.unit.short(v, ind.decimals);
        c.text(sx(last.0), sy(last.1) - 16.0, &f(last.1), 18, true, Anchor::Right, Color::INK);
        if first.0 != last.0 {
            c.text(sx(first.0), sy(first.1) - 16.0, &f(first.1), 18, false, Anchor::Left, Color::INK);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::testdata::dataset;
    use crate::compare::{Context, Options};

    fn point(year: i32, area: Option<f64>, nl: Option<f64>, b: bool) -> TrendPoint {
        TrendPoint { year, area, gemeente: None, nederland: nl, break_before: b, redivided: false, sources: Vec::new() }
    }

    fn with_trend(id: &str, trend: Vec<TrendPoint>) -> IndicatorResult {
        let ds = dataset(&[]);
        let p = Context::new(&ds, None).profile("GM0001", &Options::default()).unwrap();
        let mut i = p.indicators.into_iter().find(|i| i.id == id).unwrap();
        i.trend = trend;
        i
    }

    #[test]
    fn a_long_title_goes_on_two_lines_with_the_unit_the_axis_does_not_show() {
        let mut i = with_trend("bijstand", Vec::new());
        i.unit = crate::model::Unit::Per1000;
        i.label = "Matig of hoog risico op angst of depressie".into();
        let pw = WIDTH as f64 / 3.0;
        let lines = title_lines(&i, pw);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(!lines[0].contains('…') && lines[0].chars().count() as f64 * 12.0 <= pw - 24.0, "{lines:?}");
        assert!(lines[1].ends_with("(per 1.000)") || lines[1].contains("per 1.000"), "{lines:?}");
        assert_eq!(lines.join(" ").split(" (").next().unwrap(), i.label, "no word lost");
        i.label = "Bijstand".into();
        assert_eq!(title_lines(&i, pw), ["Bijstand", "per 1.000"]);
    }

    #[test]
    fn no_line_across_a_missing_year() {
        // Vlieland's misdrijven: 2010–2014, then nothing until 2023.
        let t = (2010..=2014).map(|y| point(y, Some(90.0), Some(60.0), false)).chain([point(
            2023,
            Some(73.6),
            Some(45.8),
            false,
        )]);
        let p = plan(&with_trend("bijstand", t.collect()), false);
        assert_eq!(p.area.len(), 2, "{:?}", p.area);
        assert_eq!(p.area[1], vec![(2023, 73.6)], "2023 stands alone");
        assert!(p.nederland.iter().all(|r| r.windows(2).all(|w| w[1].0 - w[0].0 == 1)));
        // A four-yearly source (2012, 2016, 2020) is joined: no year of it is missing.
        let t = [2012, 2016, 2020].map(|y| point(y, Some(50.0), Some(40.0), false));
        let p = plan(&with_trend("bijstand", t.to_vec()), false);
        assert_eq!(p.area.len(), 1);
        // Feijenoord's inwoners 2017, 2022, 2024 beside Rotterdam's 2022, 2023, 2024: no
        // line at all (every step skips a year the gemeente has).
        let gm = |mut t: TrendPoint| {
            t.gemeente = Some(8.0);
            t
        };
        let t = vec![
            point(2017, Some(7.0), None, false),
            gm(point(2022, Some(7.0), None, false)),
            gm(point(2023, None, None, false)),
            gm(point(2024, Some(7.0), None, false)),
        ];
        let p = plan(&with_trend("bijstand", t), true);
        assert!(p.area.iter().all(|r| r.len() == 1), "{:?}", p.area);
        assert_eq!(p.gemeente, vec![vec![(2022, 8.0), (2023, 8.0), (2024, 8.0)]]);
    }

    #[test]
    fn a_count_is_not_joined_across_a_year_the_country_has() {
        // Feijenoord's inwoners 2022 and 2024, the country's 2022, 2023, 2024: no line.
        let t = vec![
            point(2017, Some(74040.0), None, false),
            point(2022, Some(77000.0), Some(17.6e6), false),
            point(2023, None, Some(17.8e6), false),
            point(2024, Some(79440.0), Some(17.9e6), false),
        ];
        let p = plan(&with_trend("inwoners", t), false);
        assert!(p.area.iter().all(|r| r.len() == 1), "{:?}", p.area);
        assert!(p.nederland.is_empty(), "a count is drawn alone");
    }

    #[test]
    fn a_break_only_where_the_comparison_marks_one() {
        let t = vec![
            point(2021, Some(5.0), None, false),
            point(2022, Some(5.5), None, false),
            point(2023, Some(6.0), None, true),
            point(2024, Some(6.5), None, false),
        ];
        let p = plan(&with_trend("bijstand", t), false);
        assert_eq!(p.breaks, vec![2023]);
        assert_eq!(p.area, vec![vec![(2021, 5.0), (2022, 5.5)], vec![(2023, 6.0), (2024, 6.5)]]);
    }

    #[test]
    fn the_axis_starts_at_zero_and_ends_at_a_round_number() {
        // 74.040 → 79.440 inwoners: 0 to 80.000, not 74.000 to 80.000.
        let t = vec![point(2017, Some(74040.0), None, false), point(2024, Some(79440.0), None, false)];
        let p = plan(&with_trend("inwoners", t), false);
        assert_eq!(p.axis, (0.0, 80000.0));
        let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
        for (v, up) in [(13.2, 15.0), (670_610.0, 800_000.0), (20.0, 20.0), (0.7, 0.8), (113.0, 120.0)] {
            assert!(near(round_up(v), up), "{v}: {}", round_up(v));
        }
        // A score runs through 0.
        let t = vec![point(2019, Some(-0.31), Some(0.0), false), point(2022, Some(0.14), Some(0.0), false)];
        let p = plan(&with_trend("bijstand", t), false);
        assert!(near(p.axis.0, -0.4) && near(p.axis.1, 0.15), "{:?}", p.axis);
        let svg = chart(&[&with_trend("bijstand", vec![point(2022, Some(4.4), Some(2.0), false)])], false);
        assert!(svg.contains("\n0%\n") && svg.contains("\n5%\n"), "both ends of the axis are labelled");
    }
}
