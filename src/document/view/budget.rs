//! The page budget's steps: how a view that ran past its level's pages is set one step
//! tighter ([`View::tighten`]). Split from the view because the order of the steps is a
//! decision of its own, read together with [`super::super::page_budget`].

use super::source_list::source_list;
use super::View;
use crate::compare::Profile;

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
        false
    }
}
