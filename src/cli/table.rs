//! `wijkmonitor table REGION`: the figures of the factsheet as CSV or JSON on stdout
//! (or into a file), or as an Excel workbook into a file, from the same comparison as
//! the PDF.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use wijkmonitor::compare::Context;
use wijkmonitor::export;

use super::{common, Cli};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    /// Excel-werkmap (met `-o BESTAND` of een pijp).
    Xlsx,
}

#[derive(clap::Args)]
pub struct Args {
    /// Gemeente, wijk of buurt: een naam of een CBS-code.
    pub region: Option<String>,
    /// Uitvoerformaat.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Naar dit bestand schrijven in plaats van standaarduitvoer (- is standaarduitvoer).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub report: common::ReportArgs,
}

pub fn run(cli: &Cli, a: &Args) -> anyhow::Result<ExitCode> {
    let date = common::date(a.report.date.as_deref())?;
    let to_stdout = a.output.as_deref().is_none_or(common::is_stdout);
    if matches!(a.format, Format::Xlsx) && to_stdout && std::io::stdout().is_terminal() {
        anyhow::bail!(wijkmonitor::Error::Config {
            at: wijkmonitor::error::Location { file: "--format xlsx".into(), line: None, column: None },
            message: "een Excel-werkmap is binair en wordt niet naar een terminal geschreven".into(),
            hint: "schrijf de werkmap naar een bestand met -o, bijv. -o cijfers.xlsx".into()
        });
    }
    let session = common::session(cli, a.report.demo)?;
    let code = a.report.region(session.registry(), a.region.as_deref(), "wijkmonitor table")?;
    let (ds, fictional) = common::dataset(session, &a.report.scope_of(&code))?;
    common::check_year(&ds, a.report.year)?;
    let ctx = Context::new(&ds, a.report.year);
    let profile = ctx.profile(&code, &a.report.options_with_index(&ds)?.0)?;
    let bytes = match a.format {
        Format::Csv => export::csv(&profile),
        Format::Json => export::json(&profile),
        Format::Xlsx => {
            let title = format!("Cijfers {}", profile.region.display());
            export::xlsx(&export::rows(&profile), &export::WorkbookInfo { title, date, fictional })?
        }
    };
    let binary = matches!(a.format, Format::Xlsx).then_some("Excel-werkmap");
    common::write_output(a.output.as_deref().unwrap_or(std::path::Path::new("-")), &bytes, binary)?;
    Ok(ExitCode::SUCCESS)
}
