//! Report: the pipeline for one area, start to finish (compare → narrate → charts →
//! document), with everything that can be shared built once ([`Reporter`]: the
//! comparison context with its peer indexes, the compiled templates, the parsed fonts),
//! and each phase timed. The single `factsheet` command and every batch worker run
//! this same code; it returns bytes and writes nothing. It also names the output file.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::charts;
use crate::compare::{Context, Options, Profile};
use crate::dataset::Dataset;
use crate::document::{self, Engine, Meta};
use crate::narrate::{self, Narrative};
use crate::templates::Templates;

/// Time spent per phase of one factsheet.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    /// Comparison (figures, peers, ratings).
    pub compare: Duration,
    /// Sentences.
    pub narrate: Duration,
    /// SVG charts.
    pub charts: Duration,
    /// minijinja → Typst markup.
    pub template: Duration,
    /// Typst layout.
    pub layout: Duration,
    /// PDF export.
    pub export: Duration,
    /// Typst layout runs: 1, or more when a factsheet past its page budget was laid
    /// out again, tighter.
    pub layouts: u32,
    /// Page-budget steps taken before the first layout, where the markup's length said
    /// the layout would not fit (`document::view::steps_to_skip`).
    pub skipped: u32,
}

impl Timings {
    /// Sum of all phases.
    pub fn total(&self) -> Duration {
        self.compare + self.narrate + self.charts + self.template + self.layout + self.export
    }

    /// Adds another report's timings.
    pub fn add(&mut self, o: &Timings) {
        self.compare += o.compare;
        self.narrate += o.narrate;
        self.charts += o.charts;
        self.template += o.template;
        self.layout += o.layout;
        self.export += o.export;
        self.layouts += o.layouts;
        self.skipped += o.skipped;
    }
}

/// One finished factsheet.
pub struct Report {
    /// The comparison result (also what `table` exports).
    pub profile: Profile,
    /// The text.
    pub narrative: Narrative,
    /// What the template printed (the last, tightest layout's), for the check.
    pub view: document::View,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Time per phase.
    pub timings: Timings,
}

/// Everything a run shares across reports.
pub struct Reporter<'a> {
    /// Comparison context (dataset, peers, distributions).
    pub ctx: Context<'a>,
    /// Compiled templates.
    pub templates: &'a Templates,
    /// Parsed fonts and the Typst library.
    pub engine: &'a Engine,
    /// Comparison options.
    pub options: Options,
    /// Page options.
    pub meta: Meta,
}

impl<'a> Reporter<'a> {
    /// Builds the shared structures.
    pub fn new(ds: &'a Dataset, templates: &'a Templates, engine: &'a Engine, options: Options, meta: Meta) -> Self {
        let ctx = Context::new(ds, options.year);
        Reporter { ctx, templates, engine, options, meta }
    }

    /// The comparison result only.
    pub fn profile(&self, code: &str) -> crate::Result<Profile> {
        self.ctx.profile(code, &self.options)
    }

    /// The consistency check of a finished factsheet (see [`document::check`]).
    pub fn check(&self, report: &Report) -> Vec<document::check::Problem> {
        document::check::check(&report.view, &self.ctx.ds.catalogue)
    }

    /// One factsheet, start to finish.
    pub fn render(&self, code: &str) -> crate::Result<Report> {
        let mut t = Timings::default();
        let clock = Instant::now();
        let profile = self.profile(code)?;
        t.compare = clock.elapsed();

        let clock = Instant::now();
        let narrative = narrate::narrate(self.templates, &profile, &self.ctx.ds.catalogue)?;
        t.narrate = clock.elapsed();

        let clock = Instant::now();
        let charts = charts::render(&self.ctx.ds.geometry, &profile);
        t.charts = clock.elapsed();

        let clock = Instant::now();
        let mut view = document::view::build(&profile, &narrative, &self.ctx.ds.catalogue, &self.meta, &charts);
        let mut markup = document::markup(self.templates, &view)?;
        // A layout that is sure to run past the budget is not run: the steps the
        // markup's length says it will need are taken first (a long buurt; see
        // `steps_to_skip` for the calibration and its margin).
        let shipped = self.templates.own_files().is_empty();
        for _ in 0..document::view::steps_to_skip(profile.region.level, markup.len(), shipped) {
            if !self.meta.kort && view.tighten(&profile) {
                markup = document::markup(self.templates, &view)?;
                t.skipped += 1;
            }
        }
        t.template = clock.elapsed();

        if let Some(budget) = self.templates.budget() {
            return self.render_within(budget, (profile, narrative, charts), view, markup, t);
        }
        let clock = Instant::now();
        let mut laid = document::layout(self.engine, self.templates, markup, &charts, &self.meta.date)?;
        t.layouts = 1;
        // Measured, not guessed: a factsheet past its level's page budget is laid out
        // again, one step tighter each time, while the view has a step left.
        let budget = document::page_budget(profile.region.level);
        while !self.meta.kort && laid.doc.pages().len() > budget && view.tighten(&profile) {
            let markup = document::markup(self.templates, &view)?;
            laid = document::layout(self.engine, self.templates, markup, &charts, &self.meta.date)?;
            t.layouts += 1;
        }
        t.layout = clock.elapsed();

        let clock = Instant::now();
        let pdf = document::export(&laid, self.templates, &profile.region.code, &self.meta.date)?;
        t.export = clock.elapsed();
        Ok(Report { profile, narrative, view, pdf, timings: t })
    }
}

impl Reporter<'_> {
    /// The layout and export of [`Reporter::render`] in a worker within `budget` (own
    /// templates, see [`document::sandbox`]): each layout run is a compile there, so the
    /// page count is known before the next, tighter run.
    fn render_within(
        &self,
        budget: &document::sandbox::Budget,
        (profile, narrative, charts): (Profile, Narrative, charts::ChartSet),
        mut view: document::View,
        markup: String,
        mut t: Timings,
    ) -> crate::Result<Report> {
        let clock = Instant::now();
        let own = self.templates.own_files().join(", ");
        let compile = |markup: &str| {
            let files = document::world_files(self.templates, &charts)
                .into_iter()
                .map(|(path, bytes)| {
                    let shown = self.templates.shown_path(path.trim_start_matches('/'));
                    (path, shown, bytes)
                })
                .collect();
            let request =
                document::sandbox::Request { markup, files, date: &self.meta.date, ident: &profile.region.code };
            document::sandbox::compile(budget, &request, &own)
        };
        let (mut pages, mut pdf) = compile(&markup)?;
        t.layouts = 1;
        let page_budget = document::page_budget(profile.region.level);
        while !self.meta.kort && pages > page_budget && view.tighten(&profile) {
            (pages, pdf) = compile(&document::markup(self.templates, &view)?)?;
            t.layouts += 1;
        }
        t.layout = clock.elapsed();
        Ok(Report { profile, narrative, view, pdf, timings: t })
    }
}

/// The longest name part of a file name (ASCII), far below the 255 bytes file systems
/// take; the longest CBS region name has about 60 characters.
const MAX_SLUG: usize = 120;

/// A file name that sorts by code and reads by name: `GM0344-utrecht.pdf`.
pub fn file_name(code: &str, name: &str) -> String {
    let folded: String = unicode_normalization::UnicodeNormalization::nfkd(name)
        .filter(|c| c.is_ascii())
        .collect::<String>()
        .to_ascii_lowercase();
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    // File systems take names of at most 255 bytes: a long name is cut (at a word where
    // one ends near the limit), the code always kept.
    if slug.len() > MAX_SLUG {
        let cut = &slug[..MAX_SLUG];
        let at = cut.rfind('-').filter(|&i| i > MAX_SLUG / 2).unwrap_or(MAX_SLUG);
        slug.truncate(at);
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() || slug.eq_ignore_ascii_case(code) {
        format!("{code}.pdf")
    } else {
        format!("{code}-{slug}.pdf")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_predictable() {
        assert_eq!(file_name("GM0344", "Utrecht"), "GM0344-utrecht.pdf");
        assert_eq!(file_name("WK036300", "Burgwallen-Oude Zijde"), "WK036300-burgwallen-oude-zijde.pdf");
        assert_eq!(file_name("GM1900", "Súdwest-Fryslân"), "GM1900-sudwest-fryslan.pdf");
        assert_eq!(file_name("BU1", "’s-Gravenhage (#1)"), "BU1-s-gravenhage-1.pdf");
        assert_eq!(file_name("X", "—"), "X.pdf");
        // An unknown region has its code as name.
        assert_eq!(file_name("GM0000", "GM0000"), "GM0000.pdf");
    }

    /// Regression: a region name of 305 characters made the default file name too long
    /// for the file system (os error 36).
    #[test]
    fn a_long_name_is_cut_to_what_file_systems_take_and_keeps_the_code() {
        let long = "Buurt met een heel lange naam ".repeat(11);
        let name = file_name("BU03440612", &long);
        assert!(name.len() <= 255 && name.starts_with("BU03440612-buurt-met-een") && name.ends_with(".pdf"), "{name}");
        assert!(!name.contains("-.pdf"), "{name}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(&name), b"x").unwrap();
        let one_word = file_name("GM0001", &"a".repeat(400));
        assert!(one_word.len() <= 255, "{one_word}");
    }
}
