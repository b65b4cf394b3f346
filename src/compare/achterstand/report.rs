//! The method's report of one level in Dutch, as `wijkmonitor index --check` prints it:
//! coverage per domain, what each indicator contributed, the sensitivity to the weights
//! and to the transformation, the outside check against SES-WOA and the width of the
//! intervals by population. Built from the checks; the text is plain lines for a
//! terminal or a file.

use serde::Serialize;

use super::checks::{self, Coverage, SesCheck, Shift, Width};
use super::{Achterstand, Combine, IndexConfig, Settings, TOTAL};
use crate::dataset::Dataset;
use crate::format::{count, number};
use crate::model::region::Level;

/// Everything the report says, as data (the JSON of `index --check --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The level.
    pub level: Level,
    /// Its indeling year.
    pub indeling: i32,
    /// Areas of the level.
    pub areas: usize,
    /// The recipe's file name.
    pub weights_file: String,
    /// Draws behind the intervals.
    pub draws: usize,
    /// Areas scored per domain and in total.
    pub coverage: Vec<Coverage>,
    /// What each indicator contributed.
    pub columns: Vec<super::ColumnSummary>,
    /// The total's deciles with every domain weighing the same.
    pub equal_weights: Shift,
    /// The total's deciles as a plain weighted sum of normal scores.
    pub without_transformation: Shift,
    /// Against SES-WOA.
    pub ses_woa: SesCheck,
    /// The domain (or `totaal`) the widths are of.
    pub widths_of: String,
    /// The width of the 90% intervals by population.
    pub widths: Vec<Width>,
}

impl Report {
    /// Computes the index of `level` with `config` and its checks. The alternatives are
    /// computed without draws (only their deciles are compared). Errors as
    /// [`Achterstand::compute`].
    pub fn build(
        ds: &Dataset,
        level: Level,
        config: &IndexConfig,
        settings: &Settings,
    ) -> crate::Result<(Achterstand, Report)> {
        let base = Achterstand::compute(ds, level, config, settings)?;
        let points = Settings { draws: Some(0), ..settings.clone() };
        let equal = Achterstand::compute(ds, level, &config.with_equal_weights(), &points)?;
        let plain = Achterstand::compute(ds, level, config, &Settings { combine: Combine::NormalScores, ..points })?;
        let widths_of = checks::widest_covered(&base);
        let report = Report {
            level,
            indeling: base.indeling,
            areas: base.regions.len(),
            weights_file: base.weights_file.clone(),
            draws: base.draws,
            coverage: checks::coverage(&base),
            columns: base.columns.clone(),
            equal_weights: checks::shift(&base, &equal),
            without_transformation: checks::shift(&base, &plain),
            ses_woa: checks::ses_woa(ds, &base, settings.year),
            widths: checks::widths(&base, &widths_of),
            widths_of,
        };
        Ok((base, report))
    }

    /// The report as Dutch lines.
    pub fn text(&self) -> String {
        let mut out = Vec::new();
        let pct = |a: usize, b: usize| {
            if b == 0 {
                "–".to_string()
            } else {
                format!("{}%", number(a as f64 / b as f64 * 100.0, 1))
            }
        };
        out.push(format!(
            "Achterstandsindex, toetsing: {} (indeling {}, {} gebieden; recept {}, {} trekkingen)",
            self.level.plural(),
            self.indeling,
            count(self.areas as f64),
            self.weights_file,
            count(self.draws as f64)
        ));
        out.push(String::new());
        out.push("Berekend (een domein alleen met genoeg indicatoren, het totaal met genoeg domeinen):".into());
        for c in &self.coverage {
            out.push(format!(
                "  {:<14} {:>7} van {} ({})",
                c.label,
                count(c.scored as f64),
                count(c.areas as f64),
                pct(c.scored, c.areas)
            ));
        }
        out.push(String::new());
        out.push("Indicatoren (gebieden met een cijfer; met telling of populatie; gewicht van het eigen cijfer na krimp, mediaan; jaren; weggelaten na herindeling):".into());
        for c in &self.columns {
            let w = c.median_weight.map(|w| number(w, 2)).unwrap_or_else(|| "–".into());
            let years = c
                .years
                .map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") })
                .unwrap_or_else(|| "–".into());
            out.push(format!(
                "  {:<28} {:<13} {:>7} {:>7} {:>5} {:<10} {}",
                c.id,
                c.domain,
                count(c.areas as f64),
                count(c.with_variance as f64),
                w,
                years,
                if c.redivided > 0 { count(c.redivided as f64) } else { String::new() }
            ));
        }
        out.push(String::new());
        out.push("Gevoeligheid: gebieden waarvan het deciel van het totaal meer dan één verschuift".into());
        for (what, s) in [
            ("gelijke gewichten", &self.equal_weights),
            ("zonder exponentiële transformatie", &self.without_transformation),
        ] {
            out.push(format!(
                "  {:<34} {} van {} ({}); zelfde deciel: {}",
                what,
                count(s.moved as f64),
                count(s.compared as f64),
                pct(s.moved, s.compared),
                pct(s.same, s.compared)
            ));
        }
        out.push(String::new());
        out.extend(self.ses_lines());
        out.push(String::new());
        let of =
            if self.widths_of == TOTAL { "het totaal".to_string() } else { format!("het domein {}", self.widths_of) };
        out.push(format!("Breedte van het 90%-interval van het deciel naar inwonertal ({of}):"));
        for w in &self.widths {
            out.push(format!(
                "  {:<26} {:>6} gebieden, {} breder dan drie decielen, gemiddeld {} decielen",
                w.class,
                count(w.areas as f64),
                pct(w.wide, w.areas),
                number(w.mean_span, 1)
            ));
        }
        out.join("\n") + "\n"
    }

    fn ses_lines(&self) -> Vec<String> {
        let s = &self.ses_woa;
        let years = s.years.map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") });
        let mut out = vec![format!(
            "Buitenmaat: Spearman's ρ met de SES-WOA-score van CBS ({}; verwacht sterk negatief: meer achterstand, lagere SES):",
            years.unwrap_or_else(|| "geen SES-WOA-cijfers op dit niveau".into())
        )];
        for c in &s.correlations {
            let rho = c.rho.map(|r| number(r, 2)).unwrap_or_else(|| "–".into());
            out.push(format!("  {:<14} ρ = {:>5} (n = {})", c.domain, rho, count(c.n as f64)));
        }
        let n = s.correlations.first().map(|c| c.n).unwrap_or(0);
        out.push(format!(
            "  Vier decielen of meer uit elkaar (onder de gebieden met beide): {} van {}",
            count(s.disagreements.len() as f64),
            count(n as f64)
        ));
        for d in s.disagreements.iter().take(12) {
            let doms: Vec<String> = d
                .domains
                .iter()
                .map(|(id, dec)| format!("{id} {}", dec.map(|x| x.to_string()).unwrap_or_else(|| "–".into())))
                .collect();
            out.push(format!(
                "    {} {} ({}; {} inwoners): index deciel {}, SES deciel {} ({}); {}",
                d.code,
                d.name,
                d.gemeente_name,
                d.population.map(count).unwrap_or_else(|| "?".into()),
                d.index_decile,
                d.ses_decile,
                number(d.ses, 2),
                doms.join(", ")
            ));
        }
        out
    }
}
