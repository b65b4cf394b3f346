//! The profile of page one: one row per theme with the number of its figures that came
//! out gunstiger, vergelijkbaar and ongunstiger, under column heads that say so in
//! words, so it reads without a legend ("Arbeid & inkomen: 0 gunstiger, 1
//! vergelijkbaar, 6 ongunstiger"). A theme that only describes (hoger/lager, no verdict)
//! is a filled band with its counts in words; a theme without figures a dashed, empty
//! band. KIS's profieltaart was the seed (one verdict per theme); a row per theme keeps
//! its counts readable for six or seven themes.
//!
//! The rows ([`ProfileRow`], built in `compare` from the theme tallies, which count
//! exactly the findings of each theme's table) are the ones the document prints and its
//! check compares with the tables.

use super::canvas::{Anchor, Canvas, Color};
use super::{verdict_color, WIDTH};
use crate::compare::{ProfileKind, ProfileRow, Verdict};

/// Left edge of the first count column; the theme titles stand left of it.
const COLUMNS_AT: f64 = 408.0;
/// Width of one count column.
const COLUMN: f64 = (WIDTH as f64 - COLUMNS_AT) / 3.0;
/// Height of the column heads and of one row.
const HEAD: f64 = 60.0;
const ROW: f64 = 74.0;

/// The profile as SVG: column heads in words, then one row per theme.
pub fn chart(rows: &[ProfileRow]) -> String {
    let h = HEAD + ROW * rows.len() as f64 + 4.0;
    let mut c = Canvas::new(WIDTH, h.ceil() as u32);
    let heads = [
        ("gunstiger", Verdict::ClearlyFavourable.fill()),
        ("vergelijkbaar", [0x59, 0x59, 0x59]),
        ("ongunstiger", Verdict::ClearlyUnfavourable.fill()),
    ];
    for (k, (word, [r, g, b])) in heads.iter().enumerate() {
        let x = COLUMNS_AT + COLUMN * k as f64 + 8.0;
        c.text(x, HEAD / 2.0, word, 25, true, Anchor::Left, Color(*r, *g, *b));
    }
    for (k, row) in rows.iter().enumerate() {
        let top = HEAD + ROW * k as f64;
        let mid = top + ROW / 2.0;
        c.line(&[(0.0, top), (WIDTH as f64, top)], Color::AXIS, 1.0);
        c.text(4.0, mid, &super::shorten(&row.title, 24), title_size(&row.title), true, Anchor::Left, Color::INK);
        match row.kind {
            ProfileKind::Oordeel => {
                let cells = [
                    (row.up, row.up_clear, Verdict::ClearlyFavourable, Verdict::Favourable),
                    (row.same, 0, Verdict::Comparable, Verdict::Comparable),
                    (row.down, row.down_clear, Verdict::ClearlyUnfavourable, Verdict::Unfavourable),
                ];
                for (j, (n, clear, dark, light)) in cells.into_iter().enumerate() {
                    count_cell(&mut c, COLUMNS_AT + COLUMN * j as f64 + 8.0, mid, n, clear, dark, light);
                }
            }
            ProfileKind::Beschrijvend => {
                let (x0, x1) = (COLUMNS_AT + 4.0, WIDTH as f64 - 4.0);
                c.rect(x0, top + 9.0, x1 - x0, ROW - 18.0, verdict_color(Verdict::Higher), None);
                let text = band_words(row);
                // Smaller type when the words would run past the band.
                let size = (((x1 - x0 - 24.0) / (0.56 * text.chars().count() as f64)).floor() as u32).clamp(24, 31);
                c.text(x0 + 12.0, mid, &text, size, false, Anchor::Left, Color::INK);
            }
            ProfileKind::Geen => {
                let (x0, x1, y0, y1) = (COLUMNS_AT + 4.0, WIDTH as f64 - 4.0, top + 9.0, top + ROW - 9.0);
                c.dashed(&[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], Color::MUTED, 2.0);
                c.text(x0 + 12.0, mid, "geen cijfers voor dit gebied", 31, false, Anchor::Left, Color::MUTED);
            }
        }
    }
    let bottom = HEAD + ROW * rows.len() as f64;
    c.line(&[(0.0, bottom), (WIDTH as f64, bottom)], Color::AXIS, 1.0);
    c.finish()
}

/// The type size of a theme title: 34, or smaller for a title that would run into the
/// first count column ("Energie & duurzaamheid" is 22 characters; bold Open Sans is
/// about 0,6 of its size wide a character).
fn title_size(title: &str) -> u32 {
    let room = COLUMNS_AT - 12.0;
    ((room / (0.6 * title.chars().count().max(1) as f64)).floor() as u32).clamp(26, 34)
}

/// The words in a descriptive band: "beschrijvend: 7 hoger · 2 lager" (counts of 0 left
/// out), or "beschrijvend: 11 cijfers" for a theme with only context.
fn band_words(row: &ProfileRow) -> String {
    let parts: Vec<String> = [(row.up, "hoger"), (row.same, "vergelijkbaar"), (row.down, "lager")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect();
    if parts.is_empty() {
        let noun = if row.described == 1 { "cijfer" } else { "cijfers" };
        format!("beschrijvend: {} {noun}", row.described)
    } else {
        format!("beschrijvend: {}", parts.join(" · "))
    }
}

/// One count: the number, then one block per figure (dark for a clear difference).
fn count_cell(c: &mut Canvas, x: f64, mid: f64, n: usize, clear: usize, dark: Verdict, light: Verdict) {
    let ink = if n == 0 { Color::MUTED } else { Color::INK };
    c.text(x, mid, &n.to_string(), 42, n > 0, Anchor::Left, ink);
    if n == 0 {
        return;
    }
    let room = COLUMN - 66.0;
    let step = (room / n as f64).min(28.0);
    let size = (step - 4.0).max(3.0);
    for k in 0..n {
        let v = if k < clear { dark } else { light };
        let bx = x + 54.0 + step * k as f64;
        c.rect(bx, mid - size / 2.0, size, size, verdict_color(v), Some(Color::MUTED));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{profile_rows as rows, ThemeSummary};

    fn summary(id: &str, descriptive: bool, counts: [usize; 5], classes: Vec<Verdict>) -> ThemeSummary {
        ThemeSummary {
            id: id.into(),
            title: crate::model::catalogue::theme_title(id).into(),
            descriptive,
            up: counts[0],
            same: counts[1],
            down: counts[2],
            unrated: counts[3],
            context: counts[4],
            counted: Vec::new(),
            classes,
        }
    }

    #[test]
    fn a_long_theme_title_gets_smaller_type_instead_of_running_into_the_counts() {
        assert_eq!(title_size("Veiligheid"), 34);
        let size = title_size("Energie & duurzaamheid");
        assert!(size < 34 && 0.6 * 22.0 * size as f64 <= COLUMNS_AT - 12.0, "{size}");
    }

    #[test]
    fn a_row_per_theme_with_its_counts_in_words() {
        use Verdict::*;
        let themes = [
            summary("arbeid_inkomen", false, [0, 1, 6, 0, 0], vec![Comparable, ClearlyUnfavourable, Unfavourable]),
            summary("zorg_welzijn", true, [7, 0, 2, 0, 1], vec![ClearlyHigher, Higher, Lower]),
            summary("demografie", true, [0, 0, 0, 0, 11], vec![]),
            summary("wonen", false, [0, 0, 0, 0, 2], vec![]),
            summary("veiligheid", false, [0, 0, 0, 0, 0], vec![]),
        ];
        let r = rows(&themes);
        assert_eq!(r[0].kind, ProfileKind::Oordeel);
        assert_eq!((r[0].down, r[0].down_clear), (6, 1));
        assert_eq!(r[0].words(), "0 gunstiger, 1 vergelijkbaar, 6 ongunstiger");
        assert_eq!(r[1].words(), "beschrijvend: 7 hoger, 0 vergelijkbaar, 2 lager");
        assert_eq!(r[1].up_clear, 1);
        assert_eq!(r[2].words(), "beschrijvend: 11 cijfers");
        // An evaluative theme with only context describes; one without figures is empty.
        assert_eq!(r[3].kind, ProfileKind::Beschrijvend);
        assert_eq!(r[4].kind, ProfileKind::Geen);
        let svg = chart(&r);
        for words in ["gunstiger", "vergelijkbaar", "ongunstiger", "geen cijfers voor dit gebied"] {
            assert!(svg.contains(words), "{words}");
        }
        assert!(svg.contains("beschrijvend: 7 hoger · 2 lager"));
        assert!(svg.contains("beschrijvend: 11 cijfers"));
        // Seven themes fit (an energie theme may come).
        let seven: Vec<ProfileRow> = r.iter().chain(&r[..2]).cloned().collect();
        assert!(chart(&seven).contains("height=\"582\""), "{}", &chart(&seven)[..200]);
    }
}
