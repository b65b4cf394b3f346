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
use crate::model::Dataset;

const AREA: Color = Color(0x21, 0x66, 0xac);
const PEER: Color = Color(0xa6, 0xcb, 0xe3);
const OTHER: Color = Color(0xec, 0xec, 0xec);
const EDGE: Color = Color(0xff, 0xff, 0xff);

/// The map as SVG, or `None` when the store has no outlines for the area's
/// surroundings.
pub fn locator(ds: &Dataset, p: &Profile) -> Option<String> {
    let code = &p.region.code;
    let (level, highlight): (Level, String) = match p.region.level {
        Level::Gemeente => (Level::Gemeente, code.clone()),
        Level::Wijk => (Level::Wijk, code.clone()),
        Level::Buurt => (Level::Wijk, p.region.wijk()?),
        Level::Land => return None,
    };
    let gm = p.region.gemeente();
    let mut shapes: Vec<&Geometry> = ds
        .geometry
        .values()
        .filter(|g| code_level(&g.code) == Some(level))
        .filter(|g| level == Level::Gemeente || crate::model::region::gemeente_of(&g.code) == gm)
        .collect();
    if !shapes.iter().any(|g| g.code == highlight) {
        return None;
    }
    // Only outlines of the newest indeling present, so merged areas do not overlap.
    let newest = shapes.iter().map(|g| g.year).max()?;
    shapes.retain(|g| g.year == newest || g.code == highlight);
    shapes.sort_by(|a, b| a.code.cmp(&b.code));
    let peers: HashSet<&str> = p.peers.iter().flat_map(|s| s.members.iter().map(|m| m.code.as_str())).collect();

    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for g in &shapes {
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
    let k = ((y0 + y1) / 2.0).to_radians().cos();
    let (gw, gh) = ((x1 - x0) * k, y1 - y0);
    let w = WIDTH as f64 - 20.0;
    let scale = (w / gw).min(760.0 / gh);
    let h = gh * scale + 20.0;
    let mut c = Canvas::new(WIDTH, h.ceil() as u32 + 40);
    let proj = |lon: f64, lat: f64| (10.0 + (lon - x0) * k * scale, 10.0 + (y1 - lat) * scale);
    for g in &shapes {
        let fill = if g.code == highlight {
            AREA
        } else if level == Level::Gemeente && peers.contains(g.code.as_str()) {
            PEER
        } else {
            OTHER
        };
        for ring in &g.rings {
            let mut pts: Vec<(f64, f64)> = Vec::with_capacity(ring.len());
            for [lon, lat] in ring {
                let q = proj(*lon, *lat);
                // Drop points closer than a pixel to the previous one.
                if pts.last().is_none_or(|l: &(f64, f64)| (l.0 - q.0).abs() + (l.1 - q.1).abs() >= 1.5) {
                    pts.push(q);
                }
            }
            if pts.len() >= 3 {
                let mut outline = pts.clone();
                outline.push(pts[0]);
                c.polygon(pts, fill);
                c.line(&outline, EDGE, 1.0);
            }
        }
    }
    let note = match p.region.level {
        Level::Gemeente if !peers.is_empty() => "donker: deze gemeente · licht: vergelijkbare gemeenten",
        Level::Gemeente => "donker: deze gemeente",
        Level::Wijk => "donker: deze wijk, tussen de andere wijken van de gemeente",
        _ => "donker: de wijk waarin deze buurt ligt",
    };
    c.text(10.0, h + 22.0, note, 20, false, Anchor::Left, Color::MUTED);
    Some(c.finish())
}
