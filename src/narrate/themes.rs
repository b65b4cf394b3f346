//! The text of each theme: its page-one tile, its summary and the findings it tells
//! that page one did not. The summary is written from the same counts as the tile and
//! the profile ([`ThemeSummary`], which counts exactly the theme table's findings), and
//! the sentences that depend on the table (which rows differ clearly, that none does)
//! are computed from those rows, so a summary cannot contradict the table below it.

use minijinja::context;

use crate::compare::{Benchmark, Profile, Step, ThemeSummary};
use crate::model::catalogue::{Catalogue, Polarity};
use crate::model::Level;
use crate::templates::lower_first;

use super::finding::order_key;
use super::{ThemeText, Writer};

/// The name of what a theme's findings were compared with: Nederland, the gemeente
/// (a wijk's figures Nederland has none of), or both.
fn benchmark_name(p: &Profile, t: &ThemeSummary) -> String {
    let rated: Vec<Benchmark> = t
        .counted
        .iter()
        .filter_map(|id| p.indicator(id))
        .filter(|i| i.main_rating().step.is_ok())
        .map(|i| i.main_benchmark())
        .collect();
    let gemeente_name = p.gemeente.as_ref().map(|g| g.name.as_str()).unwrap_or("de gemeente");
    if !rated.is_empty() && rated.iter().all(|b| *b == Benchmark::Gemeente) {
        gemeente_name.to_string()
    } else if rated.contains(&Benchmark::Gemeente) {
        format!("Nederland (of {gemeente_name} waar Nederland geen cijfer heeft)")
    } else {
        "Nederland".to_string()
    }
}

/// The labels of the theme's counted findings whose difference is clear, in one
/// direction of the value (`higher`), in catalogue order.
fn clear_ones(p: &Profile, t: &ThemeSummary, higher: bool) -> Vec<String> {
    t.counted
        .iter()
        .filter_map(|id| p.indicator(id))
        .filter(|i| match i.main_rating().step {
            Ok(Step::ClearlyHigher) => higher,
            Ok(Step::ClearlyLower) => !higher,
            _ => false,
        })
        .map(|i| lower_first(&i.label))
        .collect()
}

impl Writer<'_> {
    /// The texts of every theme, in page order; `told` are the findings page one
    /// already tells (not repeated word for word in their theme).
    pub(super) fn theme_texts(&self, p: &Profile, cat: &Catalogue, told: &[usize]) -> crate::Result<Vec<ThemeText>> {
        let mut themes = Vec::new();
        for t in &p.themes {
            let (tile, summary) = self.tile_and_summary(p, t)?;
            // What page one already told is not repeated here; a buurt's four pages hold
            // one each way, a wijk's or gemeente's two.
            let mut of_theme: Vec<usize> = p
                .findings
                .iter()
                .copied()
                .filter(|&k| p.indicators[k].theme == t.id && !told.contains(&k))
                .filter(|&k| t.descriptive || p.indicators[k].polarity != Polarity::Neutral)
                .collect();
            of_theme.sort_by_key(|&k| order_key(p, k));
            let sign = |k: usize| {
                let r = p.indicators[k].main_rating();
                if t.descriptive {
                    r.step.map(|s| s.signed()).unwrap_or(0)
                } else {
                    r.favourable()
                }
            };
            // The strongest first (a clear difference is never left out for a plain
            // one); in an evaluative theme the strongest of each way is told first, so
            // a strength is named beside a weakness.
            let room = if p.region.level == Level::Buurt { 2 } else { 4 };
            let mut picks: Vec<usize> = Vec::new();
            if !t.descriptive {
                for want in [-1i8, 1] {
                    if let Some(&k) = of_theme.iter().find(|&&k| sign(k).signum() == want) {
                        picks.push(k);
                    }
                }
            }
            for &k in &of_theme {
                if picks.len() >= room {
                    break;
                }
                if !picks.contains(&k) {
                    picks.push(k);
                }
            }
            picks.sort_by_key(|&k| order_key(p, k));
            let mut findings = Vec::new();
            for k in picks {
                findings.push(self.finding(p, cat, &p.indicators[k])?);
            }
            themes.push(ThemeText { id: t.id.clone(), title: t.title.clone(), tile, summary, findings });
        }
        Ok(themes)
    }

    /// A theme's page-one tile and its summary, from its counts and its table's rows.
    fn tile_and_summary(&self, p: &Profile, t: &ThemeSummary) -> crate::Result<(String, String)> {
        let (up, down) = (clear_ones(p, t, true), clear_ones(p, t, false));
        // In an evaluative theme, a clear difference up or down is gunstiger or
        // ongunstiger by each indicator's polarity.
        let (mut better, mut worse) = (Vec::new(), Vec::new());
        if !t.descriptive {
            for id in &t.counted {
                let Some(i) = p.indicator(id) else { continue };
                let r = i.main_rating();
                match r.favourable() {
                    2 => better.push(lower_first(&i.label)),
                    -2 => worse.push(lower_first(&i.label)),
                    _ => {}
                }
            }
        }
        let ctx = context! {
            up => t.up, same => t.same, down => t.down, unrated => t.unrated,
            beoordeeld => t.rated(),
            context => t.context,
            beschrijvend => t.descriptive,
            duidelijk => !up.is_empty() || !down.is_empty(),
            referentienaam => benchmark_name(p, t),
            duidelijk_gunstiger => better,
            duidelijk_ongunstiger => worse,
            duidelijk_hoger => up.clone(),
            duidelijk_lager => down.clone(),
        };
        let rated = t.rated() > 0;
        let tile = match (rated, t.descriptive, t.context > 0 || t.unrated > 0) {
            (true, false, _) => self.say("tegel", ctx.clone())?,
            (true, true, _) => self.say("tegel_beschrijvend", ctx.clone())?,
            (false, _, true) => self.say("tegel_alleen_beschrijvend", ctx.clone())?,
            (false, _, false) => self.say("tegel_leeg", ctx.clone())?,
        };
        let mut parts = Vec::new();
        if t.descriptive {
            parts.push(self.say("thema_beschrijvend", ctx.clone())?);
        }
        if rated {
            let counts = if t.descriptive { "thema_telling_beschrijvend" } else { "thema_telling" };
            parts.push(self.say(counts, ctx.clone())?);
            // From the rows: which differ clearly, or that none does.
            if !up.is_empty() || !down.is_empty() {
                parts.push(self.say("thema_duidelijk", ctx.clone())?);
            } else if t.up + t.down > 0 {
                parts.push(self.say("thema_geen_afwijking", ctx.clone())?);
            }
            if t.context > 0 {
                parts.push(self.say("thema_context", ctx.clone())?);
            }
        } else if t.context > 0 && !t.descriptive {
            parts.push(self.say("thema_alleen_context", ctx.clone())?);
        }
        let summary = parts.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
        Ok((tile, summary))
    }
}
