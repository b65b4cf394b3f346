//! Theme summaries ("stapeling"): per theme, how many of its *findings* came out
//! gunstiger, vergelijkbaar or ongunstiger (hoger/lager for a descriptive theme), and
//! their verdicts in catalogue order, the input of the profile chart, the page-one tiles
//! and the theme's summary sentence.
//!
//! Only indicators that can be a finding (the catalogue's `finding`: evaluative outcomes
//! and the use of zorg & welzijn) are counted. Context (herkomst, density, age, the
//! housing stock, distances) is shown in the theme's table as hoger/lager but never
//! counts: a theme is not "gunstiger" because a kinderdagverblijf is close by. The tally
//! counts exactly the rows of the theme's table that are findings, so a summary and its
//! table cannot disagree (the `check` of the document verifies it on every sheet).

use super::rating::Step;
use super::result::{IndicatorResult, Status, ThemeSummary};
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
                if !i.finding {
                    if i.area.status == Status::Value {
                        s.context += 1;
                    }
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
