//! Command-line interface: one file per subcommand, clap definitions here, and the one
//! place where errors are printed (`error:` + `hint:`, to stderr, honouring NO_COLOR).

/// `println!` that returns the write error instead of panicking, so a closed pipe
/// (`wijkmonitor data status | head`) ends the command quietly, as ripgrep does.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

mod batch;
mod bench;
mod bench_typst;
mod common;
mod completions;
mod data;
mod factsheet;
mod index;
mod indicators;
mod regions;
mod table;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};

/// Geïnterpreteerde factsheets (PDF) voor gemeenten, wijken en buurten uit open data van CBS.
#[derive(Parser)]
#[command(
    name = "wijkmonitor",
    version,
    about = "Factsheets (PDF) met duiding voor gemeenten, wijken en buurten, uit open data van CBS",
    long_about = None
)]
pub struct Cli {
    /// Map met de ingelezen cijfers [omgevingsvariabele: WIJKMONITOR_DATA_DIR; standaard: de
    /// gegevensmap van de gebruiker].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// CBS-gegevens downloaden, inlezen en bekijken in de lokale opslag.
    #[command(subcommand)]
    Data(data::DataCommand),
    /// Gemeenten, wijken en buurten zoeken op naam of code.
    #[command(subcommand)]
    Regions(regions::RegionsCommand),
    /// De indicatoren van de catalogus tonen.
    Indicators(indicators::Args),
    /// De factsheet (PDF) van één gemeente, wijk of buurt maken.
    Factsheet(factsheet::Args),
    /// De cijfers van een factsheet als CSV, JSON of Excel-werkmap.
    Table(table::Args),
    /// De achterstandsindex van alle gemeenten, wijken of buurten (zeven domeinen, met onzekerheid).
    ///
    /// Per gebied en domein (inkomen, werk, opleiding, gezondheid, veiligheid, huisvesting,
    /// woonomgeving) en in totaal: de score, de rang en het deciel onder alle gebieden van
    /// het niveau, met het 90%-interval van het deciel, en het deciel binnen de gemeente.
    /// Deciel 1 is het tiende deel met de meeste achterstand. Een leeg vak is niet berekend
    /// (te weinig cijfers), nooit 0. De gewichten en indicatoren staan in het recept
    /// (`--show-config`); een aangepaste kopie gaat mee met `--index-config`. De methode:
    /// docs/achterstandsindex.md.
    Index(index::Args),
    /// Factsheets voor veel gebieden tegelijk (alle gemeenten, alle wijken van een gemeente …).
    Batch(batch::Args),
    /// De snelheid per stap meten (één factsheet of een hele reeks) en het geheugengebruik tonen.
    Bench(bench::Args),
    /// Aanvulling voor de shell (bash, zsh, fish, powershell) op standaarduitvoer.
    Completions(completions::CompletionArgs),
    /// De man-pagina (roff) op standaarduitvoer: `wijkmonitor man > wijkmonitor.1`.
    Man,
    /// Intern: legt eigen sjablonen op in een apart proces met een geheugen- en tijdgrens.
    #[command(name = "__typst-werker", hide = true)]
    TypstWorker,
}

impl Cli {
    /// The data directory in effect.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(wijkmonitor::paths::default_data_dir)
    }
}

/// True when stderr is a terminal that can show colour and progress bars: not when
/// `NO_COLOR` is set, nor on a `TERM=dumb` terminal (Emacs shells, some CI logs).
pub fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && fancy_terminal()
}

/// True when stderr is a terminal other than `TERM=dumb`.
pub fn fancy_terminal() -> bool {
    std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// Prints an error with its hint.
pub fn report(err: &anyhow::Error) {
    let (red, cyan, reset) = if color() { ("\x1b[1;31m", "\x1b[1;36m", "\x1b[0m") } else { ("", "", "") };
    eprintln!("{red}error:{reset} {err}");
    for cause in err.chain().skip(1) {
        // An I/O error the message already said in Dutch ("de schijf is vol") is not
        // repeated in the system's English.
        if cause.downcast_ref::<std::io::Error>().is_some_and(|io| wijkmonitor::error::io_words(io) != io.to_string()) {
            continue;
        }
        eprintln!("  oorzaak: {cause}");
    }
    let hint = err.chain().find_map(|e| e.downcast_ref::<wijkmonitor::Error>()).and_then(|e| e.hint());
    if let Some(h) = hint {
        eprintln!("{cyan}hint:{reset} {h}");
    }
}

/// True when the error is a write to a closed pipe.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || matches!(c.downcast_ref::<wijkmonitor::Error>(), Some(wijkmonitor::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The clap command with clap's own words in Dutch too: the usage line, the section
/// headings and the help and version flags (clap itself speaks only English).
pub(crate) fn command() -> clap::Command {
    dutch(Cli::command()).disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("De versie tonen")
            .help_heading("Opties"),
    )
}

/// Dutch placeholders for clap's upper-case value names (`--year <JAAR>`).
const VALUE_NAMES: &[(&str, &str)] = &[
    ("DIR", "MAP"),
    ("FILE", "BESTAND"),
    ("REGION", "GEBIED"),
    ("REGIONS", "GEBIEDEN"),
    ("YEAR", "JAAR"),
    ("YEARS", "JAREN"),
    ("PEERS", "AANTAL"),
    ("DATE", "DATUM"),
    ("FORMAT", "FORMAAT"),
    ("JOBS", "AANTAL"),
    ("TEXT", "TEKST"),
    ("LEVEL", "NIVEAU"),
    ("LIMIT", "AANTAL"),
    ("THEME", "THEMA"),
    ("TABLES", "TABELLEN"),
    ("BASE_URL", "ADRES"),
    ("PDOK_URL", "ADRES"),
    ("ATTEMPTS", "AANTAL"),
    ("RETRY_DELAY", "SECONDEN"),
    ("TIMEOUT", "SECONDEN"),
    ("REPEAT", "AANTAL"),
    ("BATCH", "REEKS"),
    ("OUTPUT", "MAP"),
    ("PATHS", "PAD"),
    ("INDEX_CONFIG", "BESTAND"),
    ("DRAWS", "AANTAL"),
];

/// One argument in Dutch: placeholder, defaults, environment variable and possible
/// values written by us instead of clap's "[default: …]", "[env: …]", "[possible values: …]".
fn dutch_arg(a: Arg) -> Arg {
    let mut a = if a.is_positional() {
        a.help_heading("Argumenten")
    } else if a.get_help_heading().is_none() {
        a.help_heading("Opties")
    } else {
        a
    };
    let id = a.get_id().as_str().to_ascii_uppercase();
    let shown: Vec<String> = match a.get_value_names() {
        Some(names) => names.iter().map(|n| n.to_string()).collect(),
        None => vec![id],
    };
    let mapped: Option<Vec<&'static str>> =
        shown.iter().map(|n| VALUE_NAMES.iter().find(|(en, _)| en == n).map(|(_, nl)| *nl)).collect();
    if let Some(mapped) = mapped.filter(|_| a.get_action().takes_values()) {
        a = a.value_names(mapped);
    }
    let mut extra = Vec::new();
    let defaults: Vec<String> = a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() && a.get_action().takes_values() && !a.is_hide_default_value_set() {
        extra.push(format!("[standaard: {}]", defaults.join(", ")));
        a = a.hide_default_value(true);
    }
    if let Some(env) = a.get_env() {
        extra.push(format!("[omgevingsvariabele: {}]", env.to_string_lossy()));
        a = a.hide_env(true);
    }
    let values: Vec<String> =
        a.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_string()).collect();
    if !values.is_empty() && a.get_action().takes_values() && !a.is_hide_possible_values_set() {
        extra.push(format!("[mogelijke waarden: {}]", values.join(", ")));
        a = a.hide_possible_values(true);
    }
    if !extra.is_empty() {
        let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        a = a.help(format!("{help} {}", extra.join(" ")).trim().to_string());
    }
    a
}

fn dutch(cmd: clap::Command) -> clap::Command {
    cmd.help_template("{before-help}{about-with-newline}\nGebruik: {usage}\n\n{all-args}{after-help}")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("Opdrachten")
        .subcommand_value_name("OPDRACHT")
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("Deze hulp tonen"))
        .mut_args(dutch_arg)
        .mut_subcommands(dutch)
}

/// One piece of a clap error's context as text ("--jaar", "csv, json, xlsx").
fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ")),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A command-line mistake in Dutch, with a hint, as every other error of the tool.
fn usage_error(e: &clap::Error) -> (String, String) {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    // The command the mistake was made in, from clap's usage line.
    let cmd = context(e, ContextKind::Usage)
        .map(|u| {
            u.trim_start_matches("Usage:")
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "wijkmonitor".into());
    let see = format!("zie `{cmd} --help`");
    let suggest = |kind| context(e, kind).map(|s| format!("bedoelde u {s}? ")).unwrap_or_default();
    match e.kind() {
        ErrorKind::UnknownArgument => {
            (format!("onbekende optie '{arg}'"), format!("{}{see}", suggest(ContextKind::SuggestedArg)))
        }
        ErrorKind::InvalidSubcommand => (
            format!("onbekende opdracht '{}'", context(e, ContextKind::InvalidSubcommand).unwrap_or_default()),
            format!("{}{see}", suggest(ContextKind::SuggestedSubcommand)),
        ),
        ErrorKind::InvalidValue => (
            format!("'{value}' is geen geldige waarde voor {arg}"),
            match context(e, ContextKind::ValidValue) {
                Some(v) => format!("mogelijke waarden: {v}"),
                None => see,
            },
        ),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| format!(": {s}")).unwrap_or_default();
            (format!("'{value}' is geen geldige waarde voor {arg}{why}"), see)
        }
        ErrorKind::MissingRequiredArgument => (format!("ontbreekt: {arg}"), see),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            ("geef een opdracht".into(), see)
        }
        ErrorKind::ArgumentConflict => {
            (format!("{arg} gaat niet samen met {}", context(e, ContextKind::PriorArg).unwrap_or_default()), see)
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            (format!("verkeerd aantal waarden voor {arg}"), see)
        }
        _ => (format!("ongeldige aanroep ({})", e.kind()), see),
    }
}

/// Prints to stdout, ignoring a closed pipe (`wijkmonitor --help | head`).
fn outln_quiet(text: &str) {
    use std::io::Write as _;
    let _ = write!(std::io::stdout().lock(), "{text}");
}

/// Runs the command line.
pub fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            // clap writes "[OPTIONS]" in the usage line whatever the language.
            let text = e.render().to_string().replace("[OPTIONS]", "[OPTIES]");
            outln_quiet(&text);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let (message, hint) = usage_error(&e);
            let (red, cyan, reset) = if color() { ("\x1b[1;31m", "\x1b[1;36m", "\x1b[0m") } else { ("", "", "") };
            eprintln!("{red}error:{reset} {message}");
            eprintln!("{cyan}hint:{reset} {hint}");
            return ExitCode::from(2);
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match &cli.command {
        Command::Data(c) => data::run(&cli, c),
        Command::Regions(c) => regions::run(&cli, c),
        Command::Indicators(a) => indicators::run(a),
        Command::Factsheet(a) => factsheet::run(&cli, a),
        Command::Table(a) => table::run(&cli, a),
        Command::Index(a) => index::run(&cli, a),
        Command::Batch(a) => batch::run(&cli, a),
        Command::Bench(a) => bench::run(&cli, a),
        Command::Completions(a) => completions::completions(a),
        Command::Man => completions::man(),
        Command::TypstWorker => Ok(wijkmonitor::document::sandbox::serve()),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`| head`): nothing more to say, and nothing went wrong.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::FAILURE
        }
    }
}
