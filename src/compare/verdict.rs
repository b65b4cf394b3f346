//! The verdict of a comparison as a type: the ten outcomes a figure can get (five steps
//! for an evaluative indicator, four plus comparable for a descriptive one, or none),
//! each with its Dutch word, the class the template styles it by, and its colours. This
//! file is the one palette: the charts draw with it and the document stage hands it to
//! the Typst template (`palet.typ`), so the PDF's labels and its charts cannot disagree.
//!
//! Adding a verdict class is a change here only: a variant, its entry in
//! [`Verdict::ALL`] and its arms below.

use serde::Serialize;

/// The colour of the text set on a verdict's fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    /// White, on a dark fill.
    Light,
    /// The page's ink, on a light fill.
    Dark,
    /// The page's muted grey, for "no verdict".
    Muted,
}

impl Ink {
    /// As RGB.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Ink::Light => [0xff, 0xff, 0xff],
            Ink::Dark => [0x26, 0x26, 0x26],
            Ink::Muted => [0x6b, 0x6b, 0x6b],
        }
    }

    /// The name the Typst style knows it by (`white`, `inkt`, `gedempt`).
    pub fn typst(self) -> &'static str {
        match self {
            Ink::Light => "white",
            Ink::Dark => "inkt",
            Ink::Muted => "gedempt",
        }
    }
}

/// What a comparison says about one figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Evaluative, clearly better.
    ClearlyFavourable,
    /// Evaluative, better.
    Favourable,
    /// No difference worth reporting.
    Comparable,
    /// Evaluative, worse.
    Unfavourable,
    /// Evaluative, clearly worse.
    ClearlyUnfavourable,
    /// Descriptive, clearly higher.
    ClearlyHigher,
    /// Descriptive, higher.
    Higher,
    /// Descriptive, lower.
    Lower,
    /// Descriptive, clearly lower.
    ClearlyLower,
    /// No comparison possible (no figure, small number, no benchmark, a count).
    None,
}

impl Verdict {
    /// Every verdict, in legend order.
    pub const ALL: &'static [Verdict] = &[
        Verdict::ClearlyFavourable,
        Verdict::Favourable,
        Verdict::Comparable,
        Verdict::Unfavourable,
        Verdict::ClearlyUnfavourable,
        Verdict::ClearlyHigher,
        Verdict::Higher,
        Verdict::Lower,
        Verdict::ClearlyLower,
        Verdict::None,
    ];

    /// The class the template styles it by (`fav2`, `same`, `low1`, `none` …).
    pub fn class(self) -> &'static str {
        match self {
            Verdict::ClearlyFavourable => "fav2",
            Verdict::Favourable => "fav1",
            Verdict::Comparable => "same",
            Verdict::Unfavourable => "unfav1",
            Verdict::ClearlyUnfavourable => "unfav2",
            Verdict::ClearlyHigher => "high2",
            Verdict::Higher => "high1",
            Verdict::Lower => "low1",
            Verdict::ClearlyLower => "low2",
            Verdict::None => "none",
        }
    }

    /// The Dutch word ("duidelijk gunstiger", "lager" …); for [`Verdict::None`] the
    /// legend's "geen oordeel mogelijk" (a rating says *why* there is none).
    pub fn word(self) -> &'static str {
        match self {
            Verdict::ClearlyFavourable => "duidelijk gunstiger",
            Verdict::Favourable => "gunstiger",
            Verdict::Comparable => "vergelijkbaar",
            Verdict::Unfavourable => "ongunstiger",
            Verdict::ClearlyUnfavourable => "duidelijk ongunstiger",
            Verdict::ClearlyHigher => "duidelijk hoger",
            Verdict::Higher => "hoger",
            Verdict::Lower => "lager",
            Verdict::ClearlyLower => "duidelijk lager",
            Verdict::None => "geen oordeel mogelijk",
        }
    }

    /// The word in the short version for residents (B1): "beter", "minder goed",
    /// "ongeveer gelijk", "meer", "minder" … The same verdict as [`Verdict::word`], in
    /// everyday words.
    pub fn kort_word(self) -> &'static str {
        match self {
            Verdict::ClearlyFavourable => "veel beter",
            Verdict::Favourable => "beter",
            Verdict::Comparable => "ongeveer gelijk",
            Verdict::Unfavourable => "minder goed",
            Verdict::ClearlyUnfavourable => "veel minder goed",
            Verdict::ClearlyHigher => "veel meer",
            Verdict::Higher => "meer",
            Verdict::Lower => "minder",
            Verdict::ClearlyLower => "veel minder",
            Verdict::None => "niet te vergelijken",
        }
    }

    /// Fill colour: blue for gunstiger, orange for ongunstiger, grey for comparable,
    /// olive for a descriptive hoger/lager (dark for "duidelijk"), near-white for none.
    /// Every pair stays apart (CIELAB ΔE ≥ 10) also under simulated deuteranopia and
    /// protanopia; the test in `charts` checks it. (The earlier lavender for hoger/lager
    /// was indistinguishable from light blue "gunstiger" under protanopia: ΔE 1,9.)
    pub const fn fill(self) -> [u8; 3] {
        match self {
            Verdict::ClearlyFavourable => [0x21, 0x66, 0xac],
            Verdict::Favourable => [0x92, 0xc5, 0xde],
            Verdict::Comparable => [0xd4, 0xd4, 0xd4],
            Verdict::Unfavourable => [0xf4, 0xa5, 0x82],
            Verdict::ClearlyUnfavourable => [0xb3, 0x58, 0x06],
            Verdict::ClearlyHigher | Verdict::ClearlyLower => [0x58, 0x58, 0x40],
            Verdict::Higher | Verdict::Lower => [0xd8, 0xe0, 0xb8],
            Verdict::None => [0xf2, 0xf2, 0xf2],
        }
    }

    /// The text colour on [`Verdict::fill`].
    pub fn ink(self) -> Ink {
        match self {
            Verdict::ClearlyFavourable | Verdict::ClearlyUnfavourable => Ink::Light,
            Verdict::ClearlyHigher | Verdict::ClearlyLower => Ink::Light,
            Verdict::None => Ink::Muted,
            _ => Ink::Dark,
        }
    }

    /// The fill as `#rrggbb`.
    pub fn hex(self) -> String {
        let [r, g, b] = self.fill();
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// True for a rated outcome (anything but [`Verdict::None`]).
    pub fn is_rated(self) -> bool {
        self != Verdict::None
    }

    /// The palette as Typst: `#let klassen = (fav2: (rgb("#2166ac"), white), …)`, the
    /// file `palet.typ` that the style imports.
    pub fn typst_palette() -> String {
        let mut out = String::from(
            "// Gemaakt door wijkmonitor uit compare::Verdict: de kleuren van de oordelen.\n\
             // Niet met de hand wijzigen; de grafieken gebruiken dezelfde kleuren.\n\
             #let inkt = rgb(\"#262626\")\n#let gedempt = rgb(\"#6b6b6b\")\n#let klassen = (\n",
        );
        for v in Verdict::ALL {
            let key = if *v == Verdict::None { "\"none\"".to_string() } else { v.class().to_string() };
            out.push_str(&format!("  {key}: (rgb(\"{}\"), {}),\n", v.hex(), v.ink().typst()));
        }
        out.push_str(")\n#let tonen = (\n");
        for (tone, [r, g, b]) in TONES {
            out.push_str(&format!("  {tone}: rgb(\"#{r:02x}{g:02x}{b:02x}\"),\n"));
        }
        out.push_str(")\n");
        out
    }
}

/// The colour of a theme's tone on page one ([`super::ThemeSummary::tone`]): the
/// verdicts' own colours where a theme leans one way, greys where it does not.
pub const TONES: [(&str, [u8; 3]); 6] = [
    ("gunstig", Verdict::ClearlyFavourable.fill()),
    ("ongunstig", Verdict::ClearlyUnfavourable.fill()),
    ("gemengd", [0x8c, 0x8c, 0x8c]),
    ("vergelijkbaar", [0xbd, 0xbd, 0xbd]),
    ("beschrijvend", Verdict::ClearlyHigher.fill()),
    ("geen", [0xe0, 0xe0, 0xe0]),
];

/// What a figure is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Benchmark {
    /// The country.
    Nederland,
    /// The area's own gemeente (for a wijk or buurt, where Nederland has no figure).
    Gemeente,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_has_its_own_class_and_a_palette_line() {
        let palette = Verdict::typst_palette();
        let mut classes = std::collections::HashSet::new();
        for v in Verdict::ALL {
            assert!(classes.insert(v.class()), "{v:?}");
            assert!(palette.contains(&v.hex()), "{v:?}");
        }
        assert!(palette.contains("\"none\": (rgb(\"#f2f2f2\"), gedempt)"));
    }
}
