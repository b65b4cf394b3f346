//! The locator map: where the area lies. For a gemeente, all gemeenten of Nederland with
//! the area dark and its peers light; for a wijk or buurt, the wijken of its gemeente
//! with the area's wijk dark. Drawn from the outlines in the store (PDOK or
//! wijkbuurtkaart GeoJSON); without outlines there is no map, and the factsheet says so.

use std::collections::HashSet;

use super::canvas::{Anchor, Canvas, Color};
use super::WIDTH;
use crate::compare::Profile;
use crate::model::region::{code_level, Level};
use crate::model::store::Geometry;
use crate::model::Outlines;

const AREA: Color = Color(0x21, 0x66, 0xac);
const PEER: Color = Color(0xa6, 0xcb, 0xe3);
const OTHER: Color = Color(0xec, 0xec, 0xec);
const EDGE: Color = Color(0xff, 0xff, 0xff);
/// How far (in canvas units, 1.000 to the map's width) a simplified outline may stray
/// from the real one: under a tenth of a millimetre on paper for a map printed half a
/// page wide or more.
const DETAIL: f64 = 0.9;
/// The same for the map of all gemeenten, printed at a quarter of the text width.
const COUNTRY_DETAIL: f64 = 2.5;

/// One outline ring in canvas pixels.
type Ring = Vec<(f64, f64)>;

/// The size of a map and how finely it is drawn.
struct Frame {
    /// The drawing's greatest height (its width is `WIDTH`).
    max_h: f64,
    /// Room below the drawing for a legend or a note.
    below: f64,
    /// How far a simplified outline may stray from the real one, in canvas units.
    detail: f64,
}

/// Projects the outlines onto a canvas `WIDTH` wide and at most `frame.max_h` high (plus
/// `frame.below` for a legend), simplified to within `frame.detail` units, fills each
/// with `fill`, and returns the canvas and the height of the drawing; `None` without
/// outlines.
fn draw(
    shapes: &[&Geometry],
    frame: Frame,
    fill: impl Fn(&Geometry) -> Color,
    edge: Color,
    label: impl Fn(&Geometry) -> Option<String>,
    label_size: f64,
) -> Option<(Canvas, f64)> {
    let Frame { max_h, below, detail } = frame;
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for g in shapes {
        for ring in &g.rings {
            for [lon, lat] in ring {
                x0 = x0.min(*lon);
                x1 = x1.max(*lon);
                y0 = y0.min(*lat);
                y1 = y1.max(*lat);
            }
        }
    }
    if !(x1 > x0 && y1 > y0) {
        return None;
    }
    // Longitude shrinks with the cosine of the latitude (an equirectangular view).
    let k = ((y0 + y1) / 2.0).to_radians().cos();
    let (gw, gh) = ((x1 - x0) * k, y1 - y0);
    let w = WIDTH as f64 - 20.0;
    let scale = (w / gw).min(max_h / gh);
    let h = gh * scale + 20.0;
    let mut c = Canvas::new(WIDTH, (h + below).ceil() as u32);
    let proj = |lon: f64, lat: f64| (10.0 + (lon - x0) * k * scale, 10.0 + (y1 - lat) * scale);
    // Labels go on top of every shape, each on a point inside its largest ring, moved
    // apart where they would overlap (see `labels`).
    let mut labels: Vec<(super::labels::Wanted, Color)> = Vec::new();
    // The rings of each colour, in the order the colours first appear, go onto the
    // canvas as one path per colour (see `Canvas::underlay`).
    let mut groups: Vec<(Color, Vec<Ring>)> = Vec::new();
    for g in shapes {
        let color = fill(g);
        if let Some(text) = label(g) {
            let projected = g.rings.iter().map(|r| r.iter().map(|[lon, lat]| proj(*lon, *lat)).collect::<Vec<_>>());
            let largest = projected.map(|r| (centroid(&r), r)).max_by(|a, b| a.0 .0.total_cmp(&b.0 .0));
            if let Some(((area, c), ring)) = largest {
                let at = super::labels::interior(&ring, c);
                let ink = if color.is_dark() { Color::WHITE } else { Color::INK };
                labels.push((super::labels::Wanted { text, at, area, ring }, ink));
            }
        }
        for ring in &g.rings {
            let mut pts: Vec<(f64, f64)> = Vec::with_capacity(ring.len());
            for [lon, lat] in ring {
                let q = proj(*lon, *lat);
                // Drop points closer than a pixel to the previous one.
                if pts.last().is_none_or(|l: &(f64, f64)| (l.0 - q.0).abs() + (l.1 - q.1).abs() >= 1.5) {
                    pts.push(q);
                }
            }
            let pts = crate::model::store::simplify(&pts, detail);
            if pts.len() >= 3 {
                match groups.iter_mut().find(|(c, _)| *c == color) {
                    Some((_, rings)) => rings.push(pts),
                    None => groups.push((color, vec![pts])),
                }
            }
        }
    }
    for (color, rings) in &groups {
        c.underlay(rings, *color, edge, 1.0);
    }
    let areas: Vec<Ring> = groups.iter().flat_map(|(_, rings)| rings.iter().cloned()).collect();
    put_labels(&mut c, labels, label_size, (0.0, 0.0, WIDTH as f64, h), &areas);
    Some((c, h))
}

/// Draws the labels where [`super::labels::place`] puts them: on their own area in the
/// ink that reads on its colour, or moved out on a white box with a leader line back.
fn put_labels(
    c: &mut Canvas,
    labels: Vec<(super::labels::Wanted, Color)>,
    size: f64,
    bounds: (f64, f64, f64, f64),
    areas: &[Ring],
) {
    let ink: std::collections::HashMap<String, Color> = labels.iter().map(|(w, c)| (w.text.clone(), *c)).collect();
    let placed = super::labels::place(labels.into_iter().map(|(w, _)| w).collect(), size, bounds, areas);
    for p in &placed {
        if let Some(from) = p.leader {
            // From the area's point to the nearest edge of the label's box.
            let to = (
                from.0.clamp(p.at.0 - p.half.0, p.at.0 + p.half.0),
                from.1.clamp(p.at.1 - p.half.1, p.at.1 + p.half.1),
            );
            c.line(&[from, to], Color(0x55, 0x55, 0x55), 1.2);
            c.circle(from.0, from.1, 2.5, Color::INK, None);
        }
    }
    for p in &placed {
        let color = match p.leader {
            Some(_) => {
                c.rect(
                    p.at.0 - p.half.0,
                    p.at.1 - p.half.1,
                    2.0 * p.half.0,
                    2.0 * p.half.1,
                    Color::WHITE,
                    Some(Color::MUTED),
                );
                Color::INK
            }
            None => ink.get(&p.text).copied().unwrap_or(Color::INK),
        };
        c.text(p.at.0, p.at.1, &p.text, size.round() as u32, true, Anchor::Center, color);
    }
}

/// The area (absolute) and centre of a ring (the shoelace formula); the mean of its
/// points when it has no area.
fn centroid(pts: &[(f64, f64)]) -> (f64, (f64, f64)) {
    let n = pts.len();
    if n == 0 {
        return (0.0, (0.0, 0.0));
    }
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (p, q) = (pts[i], pts[(i + 1) % n]);
        let cross = p.0 * q.1 - q.0 * p.1;
        a += cross;
        cx += (p.0 + q.0) * cross;
        cy += (p.1 + q.1) * cross;
    }
    if a.abs() < 1e-9 {
        let (sx, sy) = pts.iter().fold((0.0, 0.0), |s, p| (s.0 + p.0, s.1 + p.1));
        return (0.0, (sx / n as f64, sy / n as f64));
    }
    (a.abs() / 2.0, (cx / (3.0 * a), cy / (3.0 * a)))
}

/// The map as SVG, or `None` when the store has no outlines for the area's
/// surroundings.
pub fn locator(outlines: &Outlines, p: &Profile) -> Option<String> {
    let code = &p.region.code;
    // A buurt lies among the buurten of its wijk when their outlines are there, else
    // its wijk among the wijken of the gemeente.
    let buurt_outlines = p.region.level == Level::Buurt
        && outlines.get(code.as_str()).is_some_and(|g| code_level(&g.code) == Some(Level::Buurt));
    let (level, highlight): (Level, String) = match p.region.level {
        Level::Gemeente => (Level::Gemeente, code.clone()),
        Level::Wijk => (Level::Wijk, code.clone()),
        Level::Buurt if buurt_outlines => (Level::Buurt, code.clone()),
        Level::Buurt => (Level::Wijk, p.region.wijk()?),
        Level::Land => return None,
    };
    let wijk = p.region.wijk();
    let gm = p.region.gemeente();
    let mut shapes: Vec<&Geometry> = outlines
        .values()
        .filter(|g| code_level(&g.code) == Some(level))
        .filter(|g| level == Level::Gemeente || crate::model::region::gemeente_of(&g.code) == gm)
        .filter(|g| level != Level::Buurt || crate::model::region::wijk_of(&g.code) == wijk)
        .collect();
    if !shapes.iter().any(|g| g.code == highlight) {
        return None;
    }
    // Only outlines of the newest indeling present, so merged areas do not overlap.
    let newest = shapes.iter().map(|g| g.year).max()?;
    shapes.retain(|g| g.year == newest || g.code == highlight);
    shapes.sort_by(|a, b| a.code.cmp(&b.code));
    let peers: HashSet<&str> = p.peers.iter().flat_map(|s| s.members.iter().map(|m| m.code.as_str())).collect();

    let fill = |g: &Geometry| {
        if g.code == highlight {
            AREA
        } else if level == Level::Gemeente && peers.contains(g.code.as_str()) {
            PEER
        } else {
            OTHER
        }
    };
    let credit = credit(&shapes);
    let below = if credit.is_some() { 82.0 } else { 50.0 };
    // The area's name on it, or beside it with a leader line when it is too small.
    let name = super::shorten(&p.region.name, 28);
    // (Not on the map of the whole country: a gemeente is too small there to point at.)
    let label = |g: &Geometry| (g.code == highlight && level != Level::Gemeente).then(|| name.clone());
    // The map of the whole country is printed at a quarter of the text width: points
    // that a coarser simplification drops lie under 0,15 mm apart on paper, and its
    // 342 outlines are a twentieth of a gemeente sheet's Typst time at the finer one.
    let detail = if level == Level::Gemeente { COUNTRY_DETAIL } else { DETAIL };
    let (mut c, h) = draw(&shapes, Frame { max_h: 760.0, below, detail }, fill, EDGE, label, 34.0)?;
    let gemeente = p.gemeente.as_ref().map(|g| g.name.as_str()).unwrap_or("de gemeente");
    let note = match p.region.level {
        Level::Gemeente if !peers.is_empty() => "donker: deze gemeente · licht: vergelijkbare gemeenten".to_string(),
        Level::Gemeente => "donker: deze gemeente".to_string(),
        Level::Wijk => format!("donker: deze wijk, tussen de andere wijken van {gemeente}"),
        Level::Buurt if buurt_outlines => "donker: deze buurt, tussen de andere buurten van de wijk".to_string(),
        _ => format!("donker: de wijk waarin deze buurt ligt, tussen de wijken van {gemeente}"),
    };
    // As large as the width allows.
    let size = ((980.0 / (0.55 * note.chars().count() as f64)) as u32).clamp(20, 32);
    c.text(10.0, h + 26.0, &note, size, false, Anchor::Left, Color::MUTED);
    if let Some(credit) = credit {
        c.text(10.0, h + 62.0, &credit, 26, false, Anchor::Left, Color::MUTED);
    }
    Some(c.finish())
}

/// "Grenzen: Gemeente Amsterdam, …" when outlines drawn come from another publisher
/// than CBS; `None` for CBS's own.
fn credit(shapes: &[&Geometry]) -> Option<String> {
    let mut sources: Vec<&str> = shapes.iter().map(|g| g.source.as_str()).filter(|s| !s.is_empty()).collect();
    sources.sort();
    sources.dedup();
    (!sources.is_empty()).then(|| format!("Grenzen: {}", sources.join("; ")))
}

/// The buurten of a wijk, each with its number in the table of its buurten (as text,
/// readable at any size); a buurt outside that list (no inhabitants) is drawn without
/// one. `None` without outlines for at least two numbered buurten.
pub fn buurten(outlines: &Outlines, p: &Profile) -> Option<String> {
    if p.buurten.iter().filter(|(c, _)| outlines.get(c).is_some()).count() < 2 {
        return None;
    }
    // Every buurt of the wijk in the newest indeling of the outlines, so the map has no
    // holes where a buurt has no number.
    let wijk = Some(p.region.code.clone());
    let mut shapes: Vec<&Geometry> = outlines
        .values()
        .filter(|g| code_level(&g.code) == Some(Level::Buurt) && crate::model::region::wijk_of(&g.code) == wijk)
        .collect();
    let newest = shapes.iter().map(|g| g.year).max()?;
    let numbered: HashSet<&str> = p.buurten.iter().map(|(c, _)| c.as_str()).collect();
    shapes.retain(|g| g.year == newest || numbered.contains(g.code.as_str()));
    shapes.sort_by(|a, b| a.code.cmp(&b.code));
    let number: std::collections::HashMap<&str, usize> =
        p.buurten.iter().enumerate().map(|(k, (c, _))| (c.as_str(), k + 1)).collect();
    let label = |g: &Geometry| number.get(g.code.as_str()).map(|n| n.to_string());
    let credit = credit(&shapes);
    let below = if credit.is_some() { 50.0 } else { 10.0 };
    let fill = |g: &Geometry| if numbered.contains(g.code.as_str()) { PEER } else { OTHER };
    let (mut c, h) = draw(&shapes, Frame { max_h: 440.0, below, detail: DETAIL }, fill, EDGE, label, 26.0)?;
    if let Some(credit) = credit {
        c.text(14.0, h + 34.0, &credit, 30, false, Anchor::Left, Color::MUTED);
    }
    Some(c.finish())
}

/// Sequential classes, light (low) to dark (high): a colour is a level, not a verdict.
const CLASSES: [Color; 5] = [
    Color(0xc6, 0xdb, 0xef),
    Color(0x9e, 0xca, 0xe1),
    Color(0x6b, 0xae, 0xd6),
    Color(0x31, 0x82, 0xbd),
    Color(0x08, 0x51, 0x9c),
];
const NO_DATA: Color = Color(0xff, 0xff, 0xff);
const WIJK_EDGE: Color = Color(0x96, 0x96, 0x96);

/// A value as the table prints it with `decimals` (so a class limit is a number the
/// reader finds in the table): 12,35 with one decimal is 12,4 where the table says 12,4.
pub fn as_printed(unit: crate::model::Unit, v: f64, decimals: usize) -> f64 {
    let text = unit.bare(v, decimals).replace('.', "").replace(',', ".").replace('−', "-");
    let back: f64 = text.parse().unwrap_or(v);
    if unit == crate::model::Unit::Euro1000 {
        back / 1000.0
    } else {
        back
    }
}

/// Up to five classes of about equal numbers of wijken, from the values as printed: for
/// each, its lowest and highest value. Equal values stay in one class, every class holds
/// at least two different values (unless all values are one), and the limits of
/// neighbouring classes differ, so the legend never shows a class of one figure or the
/// same limit twice.
pub fn classes(values: &[f64]) -> Vec<(f64, f64)> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let mut distinct = v.clone();
    distinct.dedup();
    if distinct.len() <= 1 {
        return distinct.first().map(|x| vec![(*x, *x)]).unwrap_or_default();
    }
    let n = CLASSES.len().min(distinct.len() / 2).max(1);
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut start = 0;
    for k in 0..n {
        let mut end = ((k + 1) * v.len()).div_ceil(n).max(start + 1).min(v.len());
        // Keep ties together.
        while end < v.len() && v[end] == v[end - 1] {
            end += 1;
        }
        if start >= end {
            break;
        }
        out.push((v[start], v[end - 1]));
        start = end;
    }
    // A class of one value joins the neighbour with fewer wijken.
    let count = |c: &(f64, f64)| v.iter().filter(|x| c.0 <= **x && **x <= c.1).count();
    while out.len() > 1 {
        let Some(k) = out.iter().position(|c| c.0 == c.1) else { break };
        let with = if k == 0 {
            1
        } else if k == out.len() - 1 || count(&out[k - 1]) <= count(&out[k + 1]) {
            k - 1
        } else {
            k + 1
        };
        let (a, b) = (k.min(with), k.max(with));
        out[a] = (out[a].0, out[b].1);
        out.remove(b);
    }
    out
}

/// Above this many wijken the maps of the figures carry no numbers (they would cover
/// them); one larger map of the numbers ([`wijken_key`]) goes before them instead.
pub const MAX_LABELLED: usize = 40;

/// The wijken of a gemeente with many of them, each with its number in the table
/// (leader lines where a wijk is too small to hold it), page-wide and grey: the key to
/// the maps of the figures, which then carry no numbers. `None` without outlines for
/// most wijken.
pub fn wijken_key(outlines: &Outlines, w: &crate::compare::wijken::Wijken) -> Option<String> {
    let mut shapes: Vec<&Geometry> = w.wijken.iter().filter_map(|wijk| outlines.get(&wijk.code)).collect();
    if 3 * shapes.len() < 2 * w.wijken.len() {
        return None;
    }
    shapes.sort_by(|a, b| a.code.cmp(&b.code));
    let number: std::collections::HashMap<&str, usize> =
        w.wijken.iter().enumerate().map(|(k, wijk)| (wijk.code.as_str(), k + 1)).collect();
    let label = |g: &Geometry| number.get(g.code.as_str()).map(|n| n.to_string());
    let (c, _) = draw(&shapes, Frame { max_h: 420.0, below: 0.0, detail: DETAIL }, |_| KEY, WIJK_EDGE, label, 15.0)?;
    Some(c.finish())
}

/// The fill of the key map: light, so the numbers read.
const KEY: Color = Color(0xee, 0xee, 0xee);

/// True when every wijk lies within a small difference of the others: for a share, a
/// spread of at most 2 procentpunt (four times what the rating calls vergelijkbaar, so
/// five shades would each span less than that); for other figures, a spread of at most
/// the rating's vergelijkbaar margin (10%) of the middle value.
pub fn narrow(values: &[f64], unit: crate::model::Unit) -> bool {
    use crate::compare::rating::{PP_COMPARABLE, REL_COMPARABLE};
    if values.len() < 2 {
        return false;
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if unit.is_share() {
        hi - lo <= 4.0 * PP_COMPARABLE
    } else {
        let mid = (lo + hi) / 2.0;
        mid.abs() > 0.0 && (hi - lo) <= REL_COMPARABLE * mid.abs()
    }
}

/// The wijken of a gemeente coloured by one indicator, with a legend of the classes
/// and of wijken without a figure; `None` without outlines.
pub fn wijk_map(
    outlines: &Outlines,
    w: &crate::compare::wijken::Wijken,
    m: &crate::compare::wijken::WijkMap,
) -> Option<String> {
    // Every value as the table prints it: the classes and their limits are the table's.
    let printed = |v: f64| as_printed(m.unit, v, m.decimals);
    let values: Vec<f64> = m.cells.iter().filter_map(|c| c.value).map(printed).collect();
    // When the wijken lie within what counts as a small difference, one colour says so
    // better than five shades of nearly the same figure.
    let flat = narrow(&values, m.unit);
    let classes = if flat {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        vec![(lo, hi)]
    } else {
        classes(&values)
    };
    let class_of = |v: f64| classes.iter().position(|(_, hi)| v <= *hi).unwrap_or(classes.len().saturating_sub(1));
    // Spread the colours over the whole ramp when there are fewer than five classes.
    let color_of = |k: usize| {
        let n = classes.len().max(1);
        CLASSES[if n == 1 { 2 } else { k * (CLASSES.len() - 1) / (n - 1) }]
    };
    let value: std::collections::HashMap<&str, Option<f64>> =
        w.wijken.iter().zip(&m.cells).map(|(wijk, c)| (wijk.code.as_str(), c.value.map(printed))).collect();
    let mut shapes: Vec<&Geometry> = w.wijken.iter().filter_map(|wijk| outlines.get(&wijk.code)).collect();
    shapes.sort_by(|a, b| a.code.cmp(&b.code));
    // Most wijken need an outline, or the map misleads more than it shows.
    if 3 * shapes.len() < 2 * w.wijken.len() {
        return None;
    }
    let fill = |g: &Geometry| match value.get(g.code.as_str()).copied().flatten() {
        Some(v) => color_of(class_of(v)),
        None => NO_DATA,
    };
    let legend_rows = classes.len() + 1 + usize::from(flat);
    let (mut c, h) = draw_wijken(w, &shapes, fill, legend_rows)?;
    let fmt = |v: f64| m.unit.bare(v, m.decimals);
    let mut y = h + 24.0;
    for (k, (lo, hi)) in classes.iter().enumerate() {
        c.rect(14.0, y - 13.0, 40.0, 26.0, color_of(k), Some(WIJK_EDGE));
        let text = if lo == hi { fmt(*lo) } else { format!("{} – {}", fmt(*lo), fmt(*hi)) };
        c.text(68.0, y, &text, 30, false, Anchor::Left, Color::INK);
        y += 38.0;
    }
    if flat {
        c.text(14.0, y, "alle wijken liggen dicht bij elkaar", 30, false, Anchor::Left, Color::INK);
        y += 38.0;
    }
    if m.cells.iter().any(|c| c.value.is_none()) {
        c.rect(14.0, y - 13.0, 40.0, 26.0, NO_DATA, Some(WIJK_EDGE));
        c.text(68.0, y, "geen gegevens of te weinig waarnemingen", 30, false, Anchor::Left, Color::MUTED);
    }
    Some(c.finish())
}

/// A gemeente's wijken drawn for the map of one figure or of the index: each carries its
/// number in the table when the numbers still fit, with room for `legend_rows` rows of
/// legend below.
fn draw_wijken(
    w: &crate::compare::wijken::Wijken,
    shapes: &[&Geometry],
    fill: impl Fn(&Geometry) -> Color,
    legend_rows: usize,
) -> Option<(Canvas, f64)> {
    let number: std::collections::HashMap<&str, usize> =
        w.wijken.iter().enumerate().map(|(k, wijk)| (wijk.code.as_str(), k + 1)).collect();
    let labelled = w.wijken.len() <= MAX_LABELLED;
    let label = |g: &Geometry| labelled.then(|| number.get(g.code.as_str()).map(|n| n.to_string())).flatten();
    let frame = Frame { max_h: 520.0, below: 12.0 + 38.0 * legend_rows as f64, detail: DETAIL };
    draw(shapes, frame, fill, WIJK_EDGE, label, 28.0)
}

/// The wijken of a gemeente coloured by the decile of their achterstandsindex among
/// all wijken of Nederland, in five fixed classes of two deciles (darkest: deciel 1–2,
/// the most achterstand), with a legend in words and the wijken without a total apart;
/// numbered as the wijken table when the numbers fit. `deciles` holds each wijk's
/// decile (none: no total). `None` without outlines for most wijken.
pub fn index_map(
    outlines: &Outlines,
    w: &crate::compare::wijken::Wijken,
    deciles: &std::collections::HashMap<&str, Option<u8>>,
) -> Option<String> {
    let mut shapes: Vec<&Geometry> = w.wijken.iter().filter_map(|wijk| outlines.get(&wijk.code)).collect();
    shapes.sort_by(|a, b| a.code.cmp(&b.code));
    if 3 * shapes.len() < 2 * w.wijken.len() {
        return None;
    }
    // Deciel 1–2 darkest: the ramp read from its dark end.
    let color_of = |d: u8| CLASSES[CLASSES.len() - 1 - usize::from((d.clamp(1, 10) - 1) / 2)];
    let fill = |g: &Geometry| deciles.get(g.code.as_str()).copied().flatten().map(color_of).unwrap_or(NO_DATA);
    let none = w.wijken.iter().any(|wijk| deciles.get(wijk.code.as_str()).copied().flatten().is_none());
    let (mut c, h) = draw_wijken(w, &shapes, fill, 5 + usize::from(none))?;
    let mut y = h + 24.0;
    for k in 0..5u8 {
        let (lo, hi) = (2 * k + 1, 2 * k + 2);
        c.rect(14.0, y - 13.0, 40.0, 26.0, color_of(lo), Some(WIJK_EDGE));
        let note = match k {
            0 => " (meeste achterstand)",
            4 => " (minste)",
            _ => "",
        };
        c.text(68.0, y, &format!("deciel {lo}–{hi}{note}"), 30, false, Anchor::Left, Color::INK);
        y += 38.0;
    }
    if none {
        c.rect(14.0, y - 13.0, 40.0, 26.0, NO_DATA, Some(WIJK_EDGE));
        c.text(68.0, y, "geen totaal: te weinig cijfers", 30, false, Anchor::Left, Color::MUTED);
    }
    Some(c.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wijken_a_few_tenths_apart_are_one_class_not_five_shades() {
        use crate::model::Unit;
        // Ten wijken between 72 and 73%: within the margin, drawn in one colour.
        let close: Vec<f64> = (0..10).map(|k| 72.0 + k as f64 * 0.1).collect();
        assert!(narrow(&close, Unit::Percent));
        // From 60 to 75%: real differences.
        let apart: Vec<f64> = (0..10).map(|k| 60.0 + k as f64 * 1.5).collect();
        assert!(!narrow(&apart, Unit::Percent));
        // WOZ 300.000–310.000 is within 10%; 250.000–450.000 is not.
        assert!(narrow(&[300.0, 305.0, 310.0], Unit::Euro1000));
        assert!(!narrow(&[250.0, 350.0, 450.0], Unit::Euro1000));
    }

    #[test]
    fn the_centre_of_a_square_is_its_middle() {
        let (a, (x, y)) = centroid(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]);
        assert_eq!((a, x, y), (100.0, 5.0, 5.0));
    }

    #[test]
    fn simplify_keeps_corners_and_drops_points_on_a_line() {
        // A square with extra points along its edges and a 0,3 px wobble.
        let ring =
            [(0.0, 0.0), (5.0, 0.3), (10.0, 0.0), (10.0, 5.0), (10.0, 10.0), (5.0, 10.0), (0.0, 10.0), (0.0, 5.0)];
        assert_eq!(
            crate::model::store::simplify(&ring, 0.9),
            [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 5.0)]
        );
        // A real bend stays.
        let bent = [(0.0, 0.0), (5.0, 3.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        assert_eq!(crate::model::store::simplify(&bent, 0.9).len(), 5);
    }

    #[test]
    fn classes_hold_about_equal_numbers_and_keep_ties_together() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(classes(&v), [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0), (7.0, 8.0), (9.0, 10.0)]);
        // Never a class of one value, unless all values are one.
        assert_eq!(classes(&[3.0, 1.0, 2.0]), [(1.0, 3.0)]);
        assert_eq!(classes(&[5.0, 5.0, 5.0, 7.0]), [(5.0, 7.0)]);
        assert_eq!(classes(&[4.0, 4.0]), [(4.0, 4.0)]);
        assert!(classes(&[]).is_empty());
        // Every value falls in exactly one class.
        let v = [0.5, 0.5, 0.7, 1.0, 1.0, 1.0, 2.0, 9.0, 9.0, 12.0, 30.0];
        let c = classes(&v);
        for x in v {
            assert_eq!(c.iter().filter(|(lo, hi)| *lo <= x && x <= *hi).count(), 1, "{x} in {c:?}");
        }
        assert!(c.windows(2).all(|p| p[0].1 < p[1].0));
        assert!(c.iter().all(|(lo, hi)| lo < hi), "{c:?}");
    }

    #[test]
    fn class_limits_are_distinct_and_rounded_as_the_table_prints() {
        use crate::model::Unit;
        // Rotterdam's participation: 65,0 alone was a class; 0,4 … 11,6 / 12,4 … read
        // fine, but limits must be the printed figures.
        let raw = [56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 67.0, 68.0, 65.04, 64.96];
        let printed: Vec<f64> = raw.iter().map(|v| as_printed(Unit::Percent, *v, 1)).collect();
        let c = classes(&printed);
        for (lo, hi) in &c {
            assert!(lo < hi, "a class of one value: {c:?}");
            for x in [lo, hi] {
                assert_eq!(Unit::Percent.bare(*x, 1), Unit::Percent.bare(as_printed(Unit::Percent, *x, 1), 1));
                assert!(printed.contains(x), "{x} is not a printed value");
            }
        }
        assert!(c.windows(2).all(|p| Unit::Percent.bare(p[0].1, 1) != Unit::Percent.bare(p[1].0, 1)), "{c:?}");
        // WOZ in thousands, printed in euros: 352,4 is printed € 352.000.
        assert_eq!(as_printed(Unit::Euro1000, 352.4, 0), 352.0);
        assert_eq!((as_printed(Unit::Percent, 12.349, 1), as_printed(Unit::Percent, 12.351, 1)), (12.3, 12.4));
    }
}
