//! Theme summaries ("stapeling"): per theme, how many indicators came out gunstiger,
//! vergelijkbaar or ongunstiger (hoger/lager for a descriptive theme), and their
//! verdicts in catalogue order, the input of the profile chart and the page-one tiles.

use super::rating::Step;
use super::result::{IndicatorResult, ThemeSummary};
use crate::model::catalogue::{Catalogue, Polarity, THEMES};

/// The summary of every theme, in page order.
pub(crate) fn summarise(catalogue: &Catalogue, indicators: &[IndicatorResult]) -> Vec<ThemeSummary> {
    THEMES
        .iter()
        .map(|(id, title)| {
            let of_theme: Vec<&IndicatorResult> = indicators.iter().filter(|i| i.theme == *id && i.shown).collect();
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
                described: 0,
                classes: Vec::new(),
            };
            for i in of_theme {
                let r = i.main_rating();
                // A descriptive theme counts hoger/lager; an evaluative theme counts
                // gunstiger/ongunstiger of its evaluative indicators only.
                let dir = if descriptive {
                    r.step.map(Step::signed).ok()
                } else if i.polarity == Polarity::Neutral {
                    if r.step.is_ok() {
                        s.described += 1;
                        s.classes.push(r.verdict());
                    }
                    continue;
                } else {
                    r.step.ok().map(|_| r.favourable())
                };
                match dir {
                    Some(d) if d > 0 => s.up += 1,
                    Some(d) if d < 0 => s.down += 1,
                    Some(_) => s.same += 1,
                    None => s.unrated += 1,
                }
                s.classes.push(r.verdict());
            }
            s
        })
        .collect()
}
