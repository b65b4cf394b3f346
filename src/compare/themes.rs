//! Theme summaries ("stapeling"): per theme, how many of its *findings* came out
//! gunstiger, vergelijkbaar or ongunstiger (hoger/lager for a descriptive theme), and
//! their verdicts in catalogue order, the input of page one's profile rows
//! ([`ProfileRow`]), the theme's one-line count and its summary sentence.
//!
//! Only indicators that can be a finding (the catalogue's `finding`: evaluative outcomes
//! and the use of zorg & welzijn) are counted. Context (herkomst, density, age, the
//! housing stock, distances) is shown in the theme's table as hoger/lager but never
//! counts: a theme is not "gunstiger" because a kinderdagverblijf is close by. The tally
//! counts exactly the rows of the theme's table that are findings, so a summary and its
//! table cannot disagree (the `check` of the document verifies it on every sheet).

use serde::Serialize;

use super::rating::Step;
use super::result::{IndicatorResult, Status, ThemeSummary};
use super::verdict::Verdict;
use crate::model::catalogue::{Catalogue, Polarity, THEMES};

/// True when the indicator has a row in its theme's table: shown (one per concept),
/// with a figure or a reason why it has none. The herkomst shares, drawn in the herkomst
/// section instead, are context and never counted anyway.
pub fn in_table(i: &IndicatorResult) -> bool {
    i.shown && i.area.status != Status::Missing
}

/// The summary of every theme, in page order.
pub(crate) fn summarise(catalogue: &Catalogue, indicators: &[IndicatorResult]) -> Vec<ThemeSummary> {
    THEMES
        .iter()
        .map(|(id, title)| {
            // Descriptive when the catalogue has no evaluative indicator in the theme
            // (demografie, zorg & welzijn), whatever the store holds.
            let descriptive = !catalogue.theme(id).any(|i| i.evaluative());
            let mut s = ThemeSummary {
                id: id.to_string(),
                title: title.to_string(),
                descriptive,
                up: 0,
                same: 0,
                down: 0,
                unrated: 0,
                context: 0,
                counted: Vec::new(),
                classes: Vec::new(),
            };
            for i in indicators.iter().filter(|i| i.theme == *id && in_table(i)) {
                // A context row in the table counts as described also when its figure
                // rests on too few to show ("te weinig waarnemingen"), as a finding's does
                // (page one drew such a theme as empty beside a table with a row).
                if !i.finding {
                    s.context += 1;
                    continue;
                }
                let r = i.main_rating();
                // A descriptive theme counts hoger/lager; an evaluative theme counts
                // gunstiger/ongunstiger (its findings are all evaluative).
                let dir = if descriptive || i.polarity == Polarity::Neutral {
                    r.step.map(Step::signed).ok()
                } else {
                    r.step.ok().map(|_| r.favourable())
                };
                match dir {
                    Some(d) if d > 0 => s.up += 1,
                    Some(d) if d < 0 => s.down += 1,
                    Some(_) => s.same += 1,
                    None => s.unrated += 1,
                }
                s.counted.push(i.id.clone());
                s.classes.push(r.verdict());
            }
            s
        })
        .collect()
}

/// What a theme's row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProfileKind {
    /// Figures with a verdict: gunstiger, vergelijkbaar, ongunstiger.
    Oordeel,
    /// Only figures that describe (hoger/lager or context): no verdict.
    Beschrijvend,
    /// No figure for this area.
    Geen,
}

/// One theme's row of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileRow {
    /// Theme id.
    pub theme: String,
    /// Theme title.
    pub title: String,
    /// What the row shows.
    pub kind: ProfileKind,
    /// Gunstiger (hoger in a descriptive theme).
    pub up: usize,
    /// Vergelijkbaar.
    pub same: usize,
    /// Ongunstiger (lager).
    pub down: usize,
    /// Of `up`, clearly so.
    pub up_clear: usize,
    /// Of `down`, clearly so.
    pub down_clear: usize,
    /// Figures that describe without a verdict and are not counted (context).
    pub described: usize,
}

impl ProfileRow {
    /// The row in words, as the alt text and the check read it: "0 gunstiger, 1
    /// vergelijkbaar, 6 ongunstiger"; "beschrijvend: 7 hoger, 0 vergelijkbaar, 2 lager";
    /// "beschrijvend: 11 cijfers"; "geen cijfers".
    pub fn words(&self) -> String {
        match self.kind {
            ProfileKind::Oordeel => {
                format!("{} gunstiger, {} vergelijkbaar, {} ongunstiger", self.up, self.same, self.down)
            }
            ProfileKind::Beschrijvend if self.up + self.same + self.down > 0 => {
                format!("beschrijvend: {} hoger, {} vergelijkbaar, {} lager", self.up, self.same, self.down)
            }
            ProfileKind::Beschrijvend => {
                format!("beschrijvend: {} {}", self.described, if self.described == 1 { "cijfer" } else { "cijfers" })
            }
            ProfileKind::Geen => "geen cijfers".to_string(),
        }
    }
}

/// The rows of page one's profile, in theme order, from the theme tallies: what the
/// chart draws, the document prints and its check reads.
pub fn profile_rows(themes: &[ThemeSummary]) -> Vec<ProfileRow> {
    themes
        .iter()
        .map(|t| {
            let clear = |v: Verdict| t.classes.iter().filter(|c| **c == v).count();
            let (up_clear, down_clear) = if t.descriptive {
                (clear(Verdict::ClearlyHigher), clear(Verdict::ClearlyLower))
            } else {
                (clear(Verdict::ClearlyFavourable), clear(Verdict::ClearlyUnfavourable))
            };
            let kind = if t.rated() > 0 && !t.descriptive {
                ProfileKind::Oordeel
            } else if t.rated() > 0 || t.context > 0 || t.unrated > 0 {
                ProfileKind::Beschrijvend
            } else {
                ProfileKind::Geen
            };
            ProfileRow {
                theme: t.id.clone(),
                title: t.title.clone(),
                kind,
                up: t.up,
                same: t.same,
                down: t.down,
                up_clear,
                down_clear,
                described: t.context + t.unrated,
            }
        })
        .collect()
}
