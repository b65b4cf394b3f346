//! `wijkmonitor factsheet REGION`: one interpreted PDF for a gemeente, wijk or buurt.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use wijkmonitor::document::{Engine, Meta};
use wijkmonitor::report::{file_name, Reporter};

use super::{common, Cli};

#[derive(clap::Args)]
pub struct Args {
    /// Gemeente, wijk of buurt: een naam of een CBS-code (GM0344, WK034401, BU03440101).
    pub region: Option<String>,
    /// Uitvoerbestand, of - voor standaarduitvoer [standaard: CODE-naam.pdf in de huidige map].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub report: common::ReportArgs,
    /// De tijd per stap tonen.
    #[arg(long)]
    pub timings: bool,
    /// Elke zin controleren tegen de cijfers ernaast; wat niet klopt, staat op het scherm
    /// en de code is dan 1 (de PDF wordt wel geschreven).
    #[arg(long)]
    pub check: bool,
}

pub fn run(cli: &Cli, a: &Args) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    // The regions first: the region decides which part of the store is read.
    let session = common::session(cli, a.report.demo)?;
    let code = a.report.region(session.registry(), a.region.as_deref(), "wijkmonitor factsheet")?;
    let common::Loaded { date, templates, ds, fictional } = a.report.load(session, &a.report.scope_of(&code))?;
    let (options, index_time) = a.report.options_with_index(&ds)?;
    a.report.warn_without_index(&ds);
    let load = t0.elapsed();
    let engine = Engine::new();
    let reporter =
        Reporter::new(&ds, &templates, &engine, options, Meta { date: date.clone(), fictional, kort: a.report.kort });
    let report = reporter.render(&code)?;
    let out = a.output.clone().unwrap_or_else(|| PathBuf::from(file_name(&code, &report.profile.region.name)));
    common::write_output(&out, &report.pdf, Some("PDF"))?;
    let to = if common::is_stdout(&out) { "standaarduitvoer".to_string() } else { out.display().to_string() };
    eprintln!("{to} geschreven: factsheet {} ({} bytes)", report.profile.region.display(), report.pdf.len());
    if a.timings {
        if let Some(t) = index_time {
            eprintln!("achterstandsindex berekend met --index-config: {:.0} ms (in data)", t.as_secs_f64() * 1e3);
        }
        let t = &report.timings;
        eprintln!(
            "data {:.0} ms · compare {:.0} ms · narrate {:.0} ms · charts {:.0} ms · template {:.0} ms · layout {:.0} ms · pdf {:.0} ms",
            load.as_secs_f64() * 1e3,
            t.compare.as_secs_f64() * 1e3,
            t.narrate.as_secs_f64() * 1e3,
            t.charts.as_secs_f64() * 1e3,
            t.template.as_secs_f64() * 1e3,
            t.layout.as_secs_f64() * 1e3,
            t.export.as_secs_f64() * 1e3
        );
    }
    let problems = if a.check { reporter.check(&report) } else { Vec::new() };
    for p in &problems {
        eprintln!("controle: {p}");
    }
    if a.check && problems.is_empty() {
        eprintln!("controle: elke zin klopt met de cijfers ernaast");
    }
    // The process ends here: its figures are left to the operating system, which takes
    // the memory back at once, instead of freed one by one (60 ms of a factsheet).
    drop(reporter);
    std::mem::forget(ds);
    Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
