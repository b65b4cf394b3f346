//! Batch: the last stage. [`Reporter`] runs the pipeline for one area (compare →
//! narrate → charts → document) with everything that can be shared built once (the
//! comparison context with its peer indexes, the compiled templates, the parsed fonts),
//! and times each phase. [`run`] produces many factsheets in parallel with rayon and
//! folds the per-region outcomes into one summary; one failing region never stops the
//! rest, and the figures of all regions land in one table beside the PDFs ([`tables`]).
//! Writing files happens here and in the CLI only, always to a temporary file that is
//! renamed into place, so an interrupted run leaves no half-written PDF.

pub mod run;
pub mod tables;

use std::time::{Duration, Instant};

use serde::Serialize;

pub use run::{run, Item, Outcome, Selection, Summary};

use crate::charts;
use crate::compare::{Context, Options, Profile};
use crate::document::{self, Engine, Meta};
use crate::model::Dataset;
use crate::narrate::{Narrative, Templates};

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
    }
}

/// One finished factsheet.
pub struct Report {
    /// The comparison result (also what `table` exports).
    pub profile: Profile,
    /// The text.
    pub narrative: Narrative,
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

    /// One factsheet, start to finish.
    pub fn render(&self, code: &str) -> crate::Result<Report> {
        let mut t = Timings::default();
        let clock = Instant::now();
        let profile = self.profile(code)?;
        t.compare = clock.elapsed();

        let clock = Instant::now();
        let narrative = self.templates.narrate(&profile, &self.ctx.ds.catalogue)?;
        t.narrate = clock.elapsed();

        let clock = Instant::now();
        let charts = charts::render(self.ctx.ds, &profile);
        t.charts = clock.elapsed();

        let clock = Instant::now();
        let view = document::view::build(&profile, &narrative, &self.ctx.ds.catalogue, &self.meta, &charts);
        let markup = document::markup(self.templates, &view)?;
        t.template = clock.elapsed();

        let clock = Instant::now();
        let doc = document::layout(self.engine, self.templates, markup, &charts, &self.meta.date)?;
        t.layout = clock.elapsed();

        let clock = Instant::now();
        let pdf = document::export(&doc, &profile.region.code, &self.meta.date)?;
        t.export = clock.elapsed();
        Ok(Report { profile, narrative, pdf, timings: t })
    }
}
