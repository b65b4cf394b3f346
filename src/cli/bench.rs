//! `wijkmonitor bench`: times the pipeline by phase and reports peak memory, for one
//! factsheet (repeated) or a whole batch; a country-wide batch is read in the same parts
//! as `batch` reads it, so its memory figure is the batch's. Figures, not assertions:
//! tests never time.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use wijkmonitor::batch::run::{run as run_batch, Outcome, RunOptions};
use wijkmonitor::batch::Selection;
use wijkmonitor::document::{Engine, Meta};
use wijkmonitor::model::region::Level;
use wijkmonitor::report::{Reporter, Timings};

use super::{common, Cli};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Scope {
    /// Alle gemeenten.
    Gemeenten,
    /// Alle wijken van Nederland.
    Wijken,
    /// Alle buurten van Nederland.
    Buurten,
}

#[derive(clap::Args)]
pub struct Args {
    /// Gebieden om één voor één te meten (namen of codes).
    pub regions: Vec<String>,
    /// Elke losse factsheet zo vaak herhalen.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// In plaats daarvan een hele reeks meten.
    #[arg(long, value_enum)]
    pub batch: Option<Scope>,
    /// In plaats daarvan de achterstandsindex van alle gebieden van dit niveau meten, met de trekkingen voor de onzekerheid.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub index: Option<super::index::LevelArg>,
    /// De Typst-opmaak van (de eerste) factsheet met alle bestanden die ze gebruikt in deze
    /// map zetten, om varianten ervan te meten met --typst.
    #[arg(long, value_name = "MAP")]
    pub dump: Option<PathBuf>,
    /// In plaats daarvan de Typst-opmaak in deze map (van --dump) opmaken en exporteren,
    /// --repeat keer, en de tijd per keer tonen.
    #[arg(long, value_name = "MAP")]
    pub typst: Option<PathBuf>,
    /// De reeks beperken tot de eerste N gebieden.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Aantal taken tegelijk in de reeks; 0 = alle kernen.
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
    /// Uitvoermap voor de PDF's van de reeks [standaard: een tijdelijke map].
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub report: common::ReportArgs,
}

fn ms(d: Duration) -> String {
    format!("{:>8} ms", wijkmonitor::format::number(d.as_secs_f64() * 1e3, 1))
}

/// Peak resident memory of this process (Linux), in MB.
fn peak_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn print_phases(t: &Timings, n: usize) -> anyhow::Result<()> {
    let n = n.max(1) as u32;
    outln!("  vergelijken  {}", ms(t.compare / n));
    outln!("  zinnen       {}", ms(t.narrate / n));
    outln!("  grafieken    {}", ms(t.charts / n));
    outln!("  sjabloon     {}", ms(t.template / n));
    outln!("  opmaak       {}", ms(t.layout / n));
    outln!("  pdf          {}", ms(t.export / n));
    outln!("  totaal       {}", ms(t.total() / n));
    outln!("  opmaakrondes {:>11}", wijkmonitor::format::number(f64::from(t.layouts) / f64::from(n), 2));
    outln!(
        "  overgeslagen {:>11}  (stappen genomen vóór de eerste opmaak)",
        wijkmonitor::format::number(f64::from(t.skipped) / f64::from(n), 2)
    );
    Ok(())
}

pub fn run(cli: &Cli, a: &Args) -> anyhow::Result<ExitCode> {
    if let Some(level) = a.index {
        return index(cli, a, level.level());
    }
    if let Some(dir) = &a.typst {
        super::bench_typst::time(dir, a.repeat)?;
        return Ok(ExitCode::SUCCESS);
    }
    // The store read and the index build, timed apart (the first is IO and parquet
    // decoding, the second derived figures, national figures and the region registry).
    // The part of the store read is what `factsheet` or `batch` would read.
    let t0 = Instant::now();
    let date = common::date(Some(a.report.date.as_deref().unwrap_or("2026-01-01")))?;
    let session = common::session(cli, a.report.demo)?;
    let registry = session.registry();
    let regions: Vec<String> =
        if a.regions.is_empty() && a.report.demo { vec![common::DEMO_REGION.into()] } else { a.regions.clone() };
    let codes = regions
        .iter()
        .map(|r| common::resolve(registry, r, a.report.gemeente.as_deref()))
        .collect::<anyhow::Result<Vec<String>>>()?;
    let selection = match a.batch {
        Some(Scope::Gemeenten) => Selection::AllGemeenten,
        Some(Scope::Wijken) => Selection::AllOfLevel(Level::Wijk),
        Some(Scope::Buurten) => Selection::AllOfLevel(Level::Buurt),
        None => Selection::Codes(codes.clone()),
    };
    let registry_read = t0.elapsed();
    // A country-wide batch reads what `batch` reads: the shared part, then part by part.
    let t = Instant::now();
    let part = selection.parted();
    let parted = match part {
        Some((level, _)) => session.parted(level).context("de opslag kon niet gelezen worden")?,
        None => Err(session),
    };
    let (ds, read, parted) = match parted {
        Ok(p) => {
            let read = t.elapsed();
            (p.dataset(None)?, read, Some(p))
        }
        Err(session) => {
            let (ds, read) = session.dataset_timed(&selection.scope()).context("de opslag kon niet gelezen worden")?;
            (ds, read, None)
        }
    };
    let read = registry_read + read;
    let fictional = a.report.demo;
    let load = t0.elapsed();
    let templates = common::templates(a.report.templates.as_deref())?;
    let t1 = Instant::now();
    let engine = Engine::new();
    let fonts = t1.elapsed();
    let t2 = Instant::now();
    let meta = Meta { date, fictional, kort: a.report.kort };
    let (options, index_time) = a.report.options_with_index(&ds)?;
    let reporter = Reporter::new(&ds, &templates, &engine, options.clone(), meta.clone());
    let shared = t2.elapsed();
    outln!(
        "gegevens laden {}  ({} cijfers, {} gebieden)",
        ms(load),
        wijkmonitor::format::count(ds.observations.len() as f64),
        wijkmonitor::format::count(ds.registry.len() as f64)
    );
    outln!("  opslag lezen {}", ms(read));
    outln!("  index        {}", ms(load - read));
    outln!("lettertypen    {}  ({} stijlen)", ms(fonts), engine.font_count());
    outln!("vergelijking   {}", ms(shared));
    if let Some(t) = index_time {
        outln!("  waarvan achterstandsindex (--index-config) {}", ms(t));
    }

    if a.batch.is_some() {
        let mut codes = selection.codes(&reporter);
        if let Some(l) = a.limit {
            codes.truncate(l);
        }
        let tmp = tempfile::tempdir()?;
        let out = a.output.clone().unwrap_or_else(|| tmp.path().to_path_buf());
        let opts = RunOptions { out_dir: out, jobs: a.jobs, skip_existing: false, check: false };
        // The memory given back as `batch` gives it back.
        let progress = wijkmonitor::batch::releasing(&|_| {});
        let summary = match (&parted, part) {
            (Some(parted), Some(part)) => {
                drop(reporter);
                let make = wijkmonitor::batch::Make { templates: &templates, engine: &engine, options, meta };
                wijkmonitor::batch::in_parts(parted, part, &codes, &make, &opts, &progress)?
            }
            _ => run_batch(&reporter, &codes, &opts, &progress)?,
        };
        let ok = summary.count(Outcome::Ok);
        let secs = summary.elapsed.as_secs_f64();
        outln!(
            "reeks: {ok} van {} factsheets in {} s = {} PDF/s, {} mislukt",
            codes.len(),
            wijkmonitor::format::number(secs, 1),
            wijkmonitor::format::number(ok as f64 / secs, 1),
            summary.count(Outcome::Failed)
        );
        outln!("gemiddelde processortijd per factsheet per stap:");
        print_phases(&summary.timings, ok)?;
    } else {
        for code in &codes {
            let mut sum = Timings::default();
            let mut bytes = 0;
            for k in 0..a.repeat.max(1) {
                let rep = reporter.render(code)?;
                bytes = rep.pdf.len();
                sum.add(&rep.timings);
                if let (Some(dir), 0, true) = (&a.dump, k, code == &codes[0]) {
                    let markup = wijkmonitor::document::markup(&templates, &rep.view)?;
                    let charts = wijkmonitor::charts::render(&ds.geometry, &rep.profile);
                    super::bench_typst::dump(dir, &markup, &wijkmonitor::document::world_files(&templates, &charts))?;
                }
            }
            outln!("{code} ({} bytes), gemiddelde van {}:", wijkmonitor::format::count(bytes as f64), a.repeat.max(1));
            print_phases(&sum, a.repeat.max(1))?;
        }
    }
    if let Some(mb) = peak_mb() {
        outln!("geheugen (piek) {} MB", wijkmonitor::format::count(mb));
    }
    Ok(ExitCode::SUCCESS)
}

/// `bench --index LEVEL`: the achterstandsindex of every area of a level, timed apart:
/// the store read, the index without draws, and with the recipe's draws.
fn index(cli: &Cli, a: &Args, level: Level) -> anyhow::Result<ExitCode> {
    use wijkmonitor::compare::achterstand::{Achterstand, IndexConfig, Settings};
    let t0 = Instant::now();
    let session = common::session(cli, a.report.demo)?;
    let (ds, _) = common::dataset(session, &wijkmonitor::store::Scope::thin_level(level))?;
    let load = t0.elapsed();
    let config = IndexConfig::builtin(&ds.catalogue);
    let settings = Settings { year: a.report.year, ..Default::default() };
    let t1 = Instant::now();
    let points = Achterstand::compute(&ds, level, &config, &Settings { draws: Some(0), ..settings.clone() })?;
    let without = t1.elapsed();
    let t2 = Instant::now();
    let full = Achterstand::compute(&ds, level, &config, &settings)?;
    let with = t2.elapsed();
    let n = wijkmonitor::format::count(points.regions.len() as f64);
    outln!("gegevens laden  {}", ms(load));
    outln!("index zonder trekkingen {}  ({n} {})", ms(without), level.plural());
    outln!("index met {} trekkingen {}", wijkmonitor::format::count(full.draws as f64), ms(with));
    if let Some(mb) = peak_mb() {
        outln!("geheugen (piek) {} MB", wijkmonitor::format::count(mb));
    }
    Ok(ExitCode::SUCCESS)
}
