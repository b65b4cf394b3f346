//! `wijkmonitor index --level gemeente|wijk|buurt`: the achterstandsindex of every area
//! of a level as CSV, JSON or a workbook (one row per area and domain, sorted by code),
//! or with `--check` the method's report: coverage, sensitivity to the weights, the
//! outside check against CBS's SES-WOA and the width of the intervals by population.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use wijkmonitor::compare::achterstand::{Achterstand, IndexConfig, Report, Settings};
use wijkmonitor::export::achterstand as out;
use wijkmonitor::model::region::Level;
use wijkmonitor::model::Catalogue;
use wijkmonitor::store::Scope;

use super::table::Format;
use super::{common, Cli};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum LevelArg {
    /// Alle gemeenten.
    Gemeente,
    /// Alle wijken.
    Wijk,
    /// Alle buurten.
    Buurt,
}

impl LevelArg {
    pub fn level(self) -> Level {
        match self {
            LevelArg::Gemeente => Level::Gemeente,
            LevelArg::Wijk => Level::Wijk,
            LevelArg::Buurt => Level::Buurt,
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// Het niveau: elk gebied wordt gerangschikt onder alle gebieden van dit niveau in Nederland.
    #[arg(long, value_enum, required_unless_present = "show_config")]
    pub level: Option<LevelArg>,
    /// Het meegeleverde recept (data/index.toml) op standaarduitvoer, om te kopiëren en aan te passen.
    #[arg(long, conflicts_with_all = ["check", "index_config"])]
    pub show_config: bool,
    /// Alleen de regels van de gebieden in deze gemeente (naam of code); de rang blijft die in heel Nederland.
    #[arg(long)]
    pub gemeente: Option<String>,
    /// Uitvoerformaat.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Naar dit bestand schrijven in plaats van standaarduitvoer (- is standaarduitvoer).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Een eigen recept in plaats van het meegeleverde data/index.toml (andere gewichten of indicatoren).
    #[arg(long, value_name = "FILE")]
    pub index_config: Option<PathBuf>,
    /// Cijfers tot en met dit jaar gebruiken [standaard: het nieuwste jaar].
    #[arg(long)]
    pub year: Option<i32>,
    /// Aantal trekkingen voor de onzekerheid [standaard: uit het recept]; 0 = geen intervallen.
    #[arg(long)]
    pub draws: Option<usize>,
    /// In plaats van de tabel de toetsing tonen: dekking, gevoeligheid voor de gewichten, SES-WOA en breedte van de intervallen.
    #[arg(long)]
    pub check: bool,
    /// Datum in de werkmap (JJJJ-MM-DD) [standaard: vandaag].
    #[arg(long)]
    pub date: Option<String>,
    /// De meegeleverde fictieve demogegevens gebruiken in plaats van de opslag.
    #[arg(long)]
    pub demo: bool,
}

pub fn run(cli: &Cli, a: &Args) -> anyhow::Result<ExitCode> {
    let path = a.output.as_deref().unwrap_or(std::path::Path::new("-"));
    let Some(level) = a.level.map(LevelArg::level).filter(|_| !a.show_config) else {
        common::write_output(path, wijkmonitor::paths::embedded::INDEX.as_bytes(), None)?;
        return Ok(ExitCode::SUCCESS);
    };
    let date = common::date(a.date.as_deref())?;
    let to_stdout = a.output.as_deref().is_none_or(common::is_stdout);
    if matches!(a.format, Format::Xlsx) && !a.check && to_stdout && std::io::stdout().is_terminal() {
        anyhow::bail!(wijkmonitor::Error::Config {
            at: wijkmonitor::error::Location { file: "--format xlsx".into(), line: None, column: None },
            message: "een Excel-werkmap is binair en wordt niet naar een terminal geschreven".into(),
            hint: "schrijf de werkmap naar een bestand met -o, bijv. -o index.xlsx".into()
        });
    }
    let catalogue = Catalogue::builtin();
    // The recipe before the data: a mistake in it is cheap to report.
    let config = match &a.index_config {
        Some(path) => IndexConfig::from_file(path, &catalogue)?,
        None => IndexConfig::builtin(&catalogue),
    };
    let session = common::session(cli, a.demo)?;
    let gemeente = a.gemeente.as_deref().map(|g| common::resolve_gemeente(session.registry(), g)).transpose()?;
    // Nederland, the gemeenten and the whole level in thin form: every area's figures.
    let (ds, _) = common::dataset(session, &Scope::thin_level(level))?;
    common::check_year(&ds, a.year)?;
    let settings = Settings { year: a.year, draws: a.draws, ..Default::default() };
    if a.check {
        let (_, report) = Report::build(&ds, level, &config, &settings)?;
        let bytes = match a.format {
            Format::Json => {
                let mut b = serde_json::to_vec_pretty(&report)?;
                b.push(b'\n');
                b
            }
            _ => report.text().into_bytes(),
        };
        common::write_output(path, &bytes, None)?;
        return Ok(ExitCode::SUCCESS);
    }
    let index = Achterstand::compute(&ds, level, &config, &settings)?;
    if index.regions.is_empty() {
        anyhow::bail!(wijkmonitor::Error::Store {
            message: format!("de opslag heeft geen {} om een index van te maken", level.plural()),
            hint: "lees de Kerncijfers wijken en buurten in (`wijkmonitor data import` of `data download`)".into(),
        });
    }
    let rows = index.rows(gemeente.as_deref());
    let bytes = match a.format {
        Format::Csv => out::csv(&rows),
        Format::Json => out::json(&index, &rows),
        Format::Xlsx => out::xlsx(&index, &rows, &date)?,
    };
    let binary = matches!(a.format, Format::Xlsx).then_some("Excel-werkmap");
    common::write_output(path, &bytes, binary)?;
    Ok(ExitCode::SUCCESS)
}
