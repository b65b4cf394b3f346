//! The domain profile of the achterstandsindex: one row per scored domain (the total
//! first where it is scored),
//! each a strip of ten cells from deciel 1 (the tenth of the areas with the most
//! achterstand, left) to deciel 10 (the least, right); the cells of the 90% interval
//! shaded, the decile itself dark with its number. A second strip within the gemeente
//! where the area has one. A domain that was not scored has no row (the page says which
//! and why beside the picture: never a cell, never a zero); with none scored, one empty,
//! dashed strip says so. Reads in five seconds: dark cells on the left are more
//! achterstand. Only the rows that carry a decile keep the block small enough for a
//! buurt's four pages.
//!
//! The rows are [`ProfileRow`]s from `compare`, the same the document's sentences and
//! its check read.

use super::canvas::{Anchor, Canvas, Color};
use crate::compare::achterstand::{Band, ProfileRow};

/// The decile's cell: dark slate, apart from the verdict colours (a decile ranks, it
/// does not compare with Nederland's figure).
const DECILE: Color = Color(0x3b, 0x4a, 0x6b);
/// The interval's cells.
const INTERVAL: Color = Color(0xb8, 0xc2, 0xd6);
/// The other cells.
const EMPTY: Color = Color(0xf0, 0xf0, 0xf0);

/// Narrower than the other charts: it stands in page one's left column, and its type
/// must read there.
const WIDTH: u32 = 700;
const LABELS_W: f64 = 172.0;
const HEAD: f64 = 54.0;
const ROW: f64 = 40.0;
const GAP: f64 = 26.0;

/// The rows the picture draws: those with a decile, the total first.
pub fn drawn(rows: &[ProfileRow]) -> Vec<ProfileRow> {
    rows.iter().filter(|r| r.nederland.is_some()).cloned().collect()
}

/// The picture as SVG of the rows that carry a decile ([`drawn`]); `gemeente` adds the
/// strip within the gemeente (headed with its name) where any row has one.
pub fn chart(rows: &[ProfileRow], gemeente: Option<&str>) -> String {
    let shown = drawn(rows);
    let none = [ProfileRow {
        domain: String::new(),
        label: "Domeinen".into(),
        total: false,
        nederland: None,
        gemeente: None,
        missing: None,
    }];
    let rows: &[ProfileRow] = if shown.is_empty() { &none } else { &shown };
    let local = gemeente.filter(|_| rows.iter().any(|r| r.gemeente.is_some()));
    let strips = if local.is_some() { 2 } else { 1 };
    let strip_w = (WIDTH as f64 - LABELS_W - GAP * (strips - 1) as f64) / strips as f64;
    let h = HEAD + ROW * rows.len() as f64 + 8.0;
    let mut c = Canvas::new(WIDTH, h.ceil() as u32);
    let heads = std::iter::once("in Nederland".to_string()).chain(local.map(|g| format!("binnen {g}")));
    for (k, head) in heads.enumerate() {
        let x0 = LABELS_W + k as f64 * (strip_w + GAP);
        c.text(x0 + strip_w / 2.0, 14.0, &super::shorten(&head, 24), 22, true, Anchor::Center, Color::INK);
        c.text(x0, 40.0, "meer achterstand", 18, false, Anchor::Left, Color::MUTED);
        c.text(x0 + strip_w, 40.0, "minder", 18, false, Anchor::Right, Color::MUTED);
    }
    for (k, row) in rows.iter().enumerate() {
        let top = HEAD + ROW * k as f64;
        let mid = top + ROW / 2.0;
        if row.total && k + 1 < rows.len() {
            c.line(&[(0.0, top + ROW), (WIDTH as f64, top + ROW)], Color::AXIS, 2.0);
        }
        c.text(4.0, mid, &super::shorten(&row.label, 14), 23, row.total, Anchor::Left, Color::INK);
        if row.nederland.is_none() {
            // Not scored: one empty strip across, with why; no cell anywhere.
            let w = WIDTH as f64 - LABELS_W;
            not_scored(&mut c, LABELS_W, top + 6.0, w, ROW - 12.0, "niet berekend: te weinig cijfers");
            continue;
        }
        let bands = std::iter::once(row.nederland).chain(local.map(|_| row.gemeente));
        for (s, band) in bands.enumerate() {
            let x0 = LABELS_W + s as f64 * (strip_w + GAP);
            match band {
                Some(b) => strip(&mut c, x0, top + 6.0, strip_w, ROW - 12.0, b),
                None => not_scored(&mut c, x0, top + 6.0, strip_w, ROW - 12.0, "geen deciel in de gemeente"),
            }
        }
    }
    c.finish()
}

/// Ten cells, the interval shaded and the decile dark with its number.
fn strip(c: &mut Canvas, x0: f64, y: f64, w: f64, h: f64, b: Band) {
    let cell = w / 10.0;
    for d in 1..=10u8 {
        let x = x0 + cell * (d - 1) as f64;
        let fill = if d == b.decile {
            DECILE
        } else if (b.low..=b.high).contains(&d) {
            INTERVAL
        } else {
            EMPTY
        };
        c.rect(x + 1.0, y, cell - 2.0, h, fill, None);
        if d == b.decile {
            c.text(x + cell / 2.0, y + h / 2.0, &d.to_string(), 21, true, Anchor::Center, Color::WHITE);
        }
    }
}

/// A dashed, empty strip with why there is no decile.
fn not_scored(c: &mut Canvas, x0: f64, y: f64, w: f64, h: f64, why: &str) {
    let (x1, y1) = (x0 + w, y + h);
    c.dashed(&[(x0, y), (x1, y), (x1, y1), (x0, y1), (x0, y)], Color::MUTED, 1.5);
    c.text(x0 + 8.0, y + h / 2.0, why, 19, false, Anchor::Left, Color::MUTED);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, nl: Option<Band>, gm: Option<Band>) -> ProfileRow {
        ProfileRow {
            domain: label.to_lowercase(),
            label: label.into(),
            total: label == "Totaal",
            nederland: nl,
            gemeente: gm,
            missing: nl.is_none().then(|| "geen cijfers".to_string()),
        }
    }

    #[test]
    fn a_decile_is_a_dark_numbered_cell_and_a_domain_not_scored_is_no_cell() {
        let b = Band { decile: 2, low: 1, high: 4 };
        let rows = [row("Totaal", Some(b), Some(b)), row("Werk", Some(b), None), row("Gezondheid", None, None)];
        let svg = chart(&rows, Some("Utrecht"));
        assert!(svg.starts_with("<svg") && svg.contains("binnen Utrecht"), "{svg}");
        assert!(svg.contains("geen deciel in de gemeente"));
        // A domain not scored has no row (the page names it beside the picture).
        assert!(!svg.contains("Gezondheid") && !svg.contains("niet berekend"), "{svg}");
        // Nothing scored: one strip says so.
        let none = chart(&[row("Totaal", None, None), row("Werk", None, None)], None);
        assert_eq!(none.matches("niet berekend").count(), 1, "{none}");
        // Three dark cells (two strips of the total, one of werk), none for gezondheid.
        assert_eq!(svg.matches("#3B4A6B").count() + svg.matches("#3b4a6b").count(), 3, "{svg}");
        // Without a gemeente: one strip.
        let one = chart(&rows, None);
        assert!(!one.contains("binnen") && !one.contains("geen deciel in de gemeente"));
    }
}
