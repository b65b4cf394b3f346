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
mod common;
mod completions;
mod data;
mod factsheet;
mod indicators;
mod regions;
mod table;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Interpreted PDF factsheets for Dutch gemeenten, wijken and buurten from CBS open data.
#[derive(Parser)]
#[command(name = "wijkmonitor", version, about, long_about = None)]
pub struct Cli {
    /// Data directory with the imported figures [env: WIJKMONITOR_DATA_DIR; default: the
    /// per-user data directory].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import and inspect CBS data in the local store.
    #[command(subcommand)]
    Data(data::DataCommand),
    /// Find gemeenten, wijken and buurten by name or code.
    #[command(subcommand)]
    Regions(regions::RegionsCommand),
    /// List the indicators of the catalogue.
    Indicators(indicators::Args),
    /// Make the interpreted PDF factsheet of one gemeente, wijk or buurt.
    Factsheet(factsheet::Args),
    /// Print the figures of a factsheet as CSV or JSON.
    Table(table::Args),
    /// Make factsheets for many regions at once (all gemeenten, all wijken of a gemeente …).
    Batch(batch::Args),
    /// Time the pipeline by phase (one factsheet, or a whole batch) and report memory.
    Bench(bench::Args),
    /// Shell completions (bash, zsh, fish, powershell) on standard output.
    Completions(completions::CompletionArgs),
    /// The man page (roff) on standard output: `wijkmonitor man > wijkmonitor.1`.
    Man,
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
        eprintln!("  caused by: {cause}");
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

/// Runs the command line.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Data(c) => data::run(&cli, c),
        Command::Regions(c) => regions::run(&cli, c),
        Command::Indicators(a) => indicators::run(a),
        Command::Factsheet(a) => factsheet::run(&cli, a),
        Command::Table(a) => table::run(&cli, a),
        Command::Batch(a) => batch::run(&cli, a),
        Command::Bench(a) => bench::run(&cli, a),
        Command::Completions(a) => completions::completions(a),
        Command::Man => completions::man(),
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
