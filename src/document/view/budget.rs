//! The page budget's steps: how a view that ran past its level's pages is set one step
//! tighter ([`View::tighten`]). Split from the view because the order of the steps is a
//! decision of its own, read together with [`super::super::page_budget`].

use super::source_list::source_list;
use super::View;
use crate::compare::Profile;
use crate::model::Level;

impl View {
    /// One step tighter, for a factsheet laid out past its page budget; false when
    /// there is no step left. First smaller type, and for a buurt its trend panels give
    /// way (the page names them, and the earlier years' tables leave the sources);
    /// then the key figures on page one's blank foot (`key_follows`), which leaves
    /// nothing out; last the tightest layout (`compact_sources`: sources by table id, no
    /// locator map, two finer points of method left out), which a gemeente with many
    /// wijken (such as Amsterdam's 110) may need too.
    pub fn tighten(&mut self, p: &Profile) -> bool {
        let buurt = p.region.level == crate::model::Level::Buurt;
        if !self.dense {
            self.dense = true;
            if buurt && self.has_trends {
                self.has_trends = false;
                let labels: Vec<String> =
                    p.trend_panels().iter().map(|i| crate::templates::lower_first(&i.label)).collect();
                self.trends_left_out = crate::format::and_list(&labels);
                // Nor does the reading guide explain the panels that gave way.
                self.reading_guide = super::guide(&self.reading_guide, false);
                self.sources = source_list(p, &[]);
            }
            return true;
        }
        // Nothing is left out: the key figures start on page one's blank foot.
        if !self.key_follows {
            self.key_follows = true;
            return true;
        }
        if !self.compact_sources {
            self.compact_sources = true;
            return true;
        }
        // Presikhaaf I (Arnhem) was four pages before the index's block and five with it.
        if self.achterstand.is_some() && !self.index_brief {
            self.index_brief = true;
            return true;
        }
        // Ballum (Ameland) was still one section past four pages here.
        if !self.guide_brief {
            self.guide_brief = true;
            return true;
        }
        false
    }
}

/// A buurt's markup (shipped templates) longer than this never fitted four pages in the
/// first layout: calibrated on the 353 buurten of `batch --all-buurten --shard 7/40` (the
/// longest that fitted: 31.908 bytes) and checked on the 705 of shards 11/40 and 23/40
/// (longest that fitted: 31.955; none above this among 281 above it).
pub const SKIP_FIRST_ABOVE: usize = 33_500;
/// A buurt's markup longer than this always needed the tightest layout too (shard 7/40:
/// the longest that needed less, 36.846 bytes; shards 11/40 and 23/40: 37.336, and none
/// of the 30 above this).
pub const SKIP_TWO_ABOVE: usize = 38_700;

/// How many page-budget steps a factsheet may take before its first layout, from the
/// length of its markup: a layout that is sure to run past the budget is not run. Only
/// for a buurt with the shipped templates (the estimate is calibrated on them), and
/// only where the measured margin is safe; elsewhere 0 and Typst measures, as before.
/// A buurt was laid out 3,29 times on average before (docs/performance.md).
pub fn steps_to_skip(level: Level, markup_len: usize, shipped_templates: bool) -> usize {
    if level != Level::Buurt || !shipped_templates {
        return 0;
    }
    match markup_len {
        n if n > SKIP_TWO_ABOVE => 2,
        n if n > SKIP_FIRST_ABOVE => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_long_buurt_with_the_shipped_templates_skips_a_layout() {
        assert_eq!(steps_to_skip(Level::Buurt, 30_000, true), 0);
        assert_eq!(steps_to_skip(Level::Buurt, 35_000, true), 1);
        assert_eq!(steps_to_skip(Level::Buurt, 40_000, true), 2);
        assert_eq!(steps_to_skip(Level::Buurt, 40_000, false), 0, "own templates: measured, not guessed");
        assert_eq!(steps_to_skip(Level::Wijk, 90_000, true), 0);
        assert_eq!(steps_to_skip(Level::Gemeente, 90_000, true), 0);
    }

    #[test]
    fn a_sheet_without_trend_panels_does_not_explain_them() {
        let all = vec![
            "De cijfers zijn een eerste signaal.".to_string(),
            format!("{}: een paneel …", super::super::TRENDS_GUIDE),
        ];
        assert_eq!(super::super::guide(&all, true).len(), 2);
        assert_eq!(super::super::guide(&all, false), all[..1].to_vec());
    }
}
