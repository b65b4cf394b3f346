//! `wijkmonitor table REGION`: the figures of the factsheet as CSV or JSON on stdout
//! (or into a file), or as an Excel workbook into a file, from the same comparison as
//! the PDF.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use wijkmonitor::compare::{Context, Options};
use wijkmonitor::document::table;

use super::{common, Cli};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    /// Excel workbook (needs `-o FILE` or a pipe).
    Xlsx,
}

#[derive(clap::Args)]
pub struct Args {
    /// Gemeente, wijk or buurt: a name or a CBS code.
    pub region: Option<String>,
    /// The gemeente to look in when the name occurs more than once.
    #[arg(long)]
    pub gemeente: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use figures up to this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Use the fictional demo data.
    #[arg(long)]
    pub demo: bool,
    /// Number of comparable areas (peers).
    #[arg(long, default_value_t = wijkmonitor::compare::peers::DEFAULT_PEERS)]
    pub peers: usize,
    /// Date written into the workbook (YYYY-MM-DD) [default: today]. Fixes the xlsx bytes.
    #[arg(long)]
    pub date: Option<String>,
}

pub fn run(cli: &Cli, a: &Args) -> anyhow::Result<ExitCode> {
    let date = common::date(a.date.as_deref())?;
    if matches!(a.format, Format::Xlsx) && a.output.is_none() && std::io::stdout().is_terminal() {
        anyhow::bail!(wijkmonitor::Error::Config {
            at: wijkmonitor::error::Location { file: "--format xlsx".into(), line: None, column: None },
            message: "an Excel workbook is binary and is not written to a terminal".into(),
            hint: "write it to a file with -o, e.g. -o cijfers.xlsx".into()
        });
    }
    let (ds, fictional) = common::dataset(cli, a.demo)?;
    let code = match &a.region {
        Some(r) => common::resolve(&ds, r, a.gemeente.as_deref())?,
        None if a.demo => common::DEMO_REGION.to_string(),
        None => anyhow::bail!(wijkmonitor::Error::Region {
            message: "which region?".into(),
            hint: "e.g. `wijkmonitor table Utrecht`".into()
        }),
    };
    let ctx = Context::new(&ds, a.year);
    let profile = ctx.profile(&code, &Options { year: a.year, peers: a.peers })?;
    let bytes = match a.format {
        Format::Csv => table::csv(&profile),
        Format::Json => table::json(&profile),
        Format::Xlsx => {
            let title = format!("Cijfers {}", profile.region.display());
            table::xlsx(&table::rows(&profile), &table::WorkbookInfo { title, date, fictional })?
        }
    };
    match &a.output {
        Some(p) => wijkmonitor::paths::write_atomic(p, &bytes)?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}
