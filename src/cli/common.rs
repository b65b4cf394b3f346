//! What several subcommands share: the session over the data (store or demo, see
//! [`Session`]) with the words of its errors, resolving what the user typed into one
//! region code, today's date, writing the output.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use wijkmonitor::dataset::Dataset;
use wijkmonitor::model::region::{shown, Level, Lookup, MAX_NAME_CHARS};
use wijkmonitor::model::Registry;
use wijkmonitor::session::Session;
use wijkmonitor::store::{Scope, Store};
use wijkmonitor::templates::Templates;
use wijkmonitor::Error;

use super::Cli;

/// Options every report-making command shares (`factsheet`, `table`, `batch`, `bench`),
/// flattened into each, as typst-cli does with its `WorldArgs`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// De gemeente (naam of code) waarin een gebied gezocht wordt als de naam vaker
    /// voorkomt; bij `batch` de gemeente waarvan de wijken of buurten gemaakt worden.
    #[arg(long)]
    pub gemeente: Option<String>,
    /// Cijfers tot en met dit jaar gebruiken [standaard: het nieuwste jaar].
    #[arg(long)]
    pub year: Option<i32>,
    /// Aantal vergelijkbare gebieden.
    #[arg(long, default_value_t = wijkmonitor::compare::peers::DEFAULT_PEERS)]
    pub peers: usize,
    /// Datum op de pagina's (JJJJ-MM-DD) [standaard: vandaag]. Zelfde datum, zelfde bestand.
    #[arg(long)]
    pub date: Option<String>,
    /// De meegeleverde fictieve demogegevens gebruiken in plaats van de opslag.
    #[arg(long)]
    pub demo: bool,
    /// De versie van twee pagina's voor een buurtagenda: kerncijfers, profiel, hooguit drie
    /// signalen en vragen om te bespreken; daarna alle cijfers in één tabel.
    #[arg(long)]
    pub kort: bool,
    /// Een map met sjablonen die de meegeleverde vervangen (zinnen.toml, factsheet.typ.j2, stijl.typ).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Een eigen recept voor de achterstandsindex (een aangepaste kopie van
    /// data/index.toml, zie `wijkmonitor index --show-config`): de index wordt dan nu
    /// berekend in plaats van gelezen uit de opslag, wat enkele seconden kost.
    #[arg(long, value_name = "FILE")]
    pub index_config: Option<PathBuf>,
}

/// What a report-making command loads before it starts: the date, the templates and the
/// data (with whether it is fictional).
pub struct Loaded {
    /// ISO date for the pages.
    pub date: String,
    /// Compiled templates.
    pub templates: Templates,
    /// The figures.
    pub ds: Dataset,
    /// True for the demo data.
    pub fictional: bool,
}

impl ReportArgs {
    /// Validates the date, compiles the templates and loads the part `scope` of the
    /// data, in that order (cheap checks first).
    pub fn load(&self, session: Session, scope: &Scope) -> anyhow::Result<Loaded> {
        self.load_with(|| dataset(session, scope))
    }

    /// [`ReportArgs::load`] with the data read by `read` (a batch read in parts), after
    /// the cheap checks.
    pub fn load_with(&self, read: impl FnOnce() -> anyhow::Result<(Dataset, bool)>) -> anyhow::Result<Loaded> {
        let date = date(self.date.as_deref())?;
        let templates = templates(self.templates.as_deref())?;
        let (ds, fictional) = read()?;
        check_year(&ds, self.year)?;
        Ok(Loaded { date, templates, ds, fictional })
    }

    /// The comparison options.
    pub fn options(&self) -> wijkmonitor::compare::Options {
        wijkmonitor::compare::Options { year: self.year, peers: self.peers, achterstand: None }
    }

    /// The comparison options with the achterstandsindex of `--index-config` computed
    /// from `ds` (every level it holds whole or thin), with the time that took; the
    /// plain options without the flag (the index the store kept).
    pub fn options_with_index(
        &self,
        ds: &Dataset,
    ) -> anyhow::Result<(wijkmonitor::compare::Options, Option<std::time::Duration>)> {
        use wijkmonitor::compare::achterstand::{IndexConfig, Indexes};
        let mut options = self.options();
        let Some(path) = &self.index_config else { return Ok((options, None)) };
        let config = IndexConfig::from_file(path, &ds.catalogue).context("het recept van --index-config")?;
        let t = std::time::Instant::now();
        options.achterstand = Some(std::sync::Arc::new(Indexes::compute(ds, &config, self.year)));
        Ok((options, Some(t.elapsed())))
    }

    /// Says on stderr when the store holds no achterstandsindex (written by an earlier
    /// version) and no `--index-config` computes one: the factsheets then go without it.
    pub fn warn_without_index(&self, ds: &Dataset) {
        if !ds.index_stored && self.index_config.is_none() && !self.demo {
            eprintln!(
                "let op: de opslag is geschreven door een eerdere versie van wijkmonitor en heeft geen \
                 achterstandsindex; de factsheets komen zonder. Lees de gegevens opnieuw in \
                 (`wijkmonitor data import …`) om hem te zien, of geef een recept mee met --index-config"
            );
        }
    }

    /// The part of the store a factsheet of `code` reads: [`Scope::region`], and for a
    /// gemeente with `--index-config` every wijk thin as well (its wijken map ranks them
    /// among all wijken).
    pub fn scope_of(&self, code: &str) -> Scope {
        match wijkmonitor::model::region::code_level(code) {
            Some(Level::Gemeente) if self.index_config.is_some() => Scope::children(code, Level::Wijk),
            _ => Scope::region(code),
        }
    }

    /// The region a `factsheet` or `table` is about: what the user typed, resolved, or
    /// the demo gemeente with `--demo` and nothing typed.
    pub fn region(&self, registry: &Registry, typed: Option<&str>, example: &str) -> anyhow::Result<String> {
        match typed {
            Some(r) => resolve(registry, r, self.gemeente.as_deref()),
            None if self.demo => Ok(DEMO_REGION.to_string()),
            None => Err(Error::Region {
                message: "welk gebied? Geef een gemeente, wijk of buurt".into(),
                hint: format!("e.g. `{example} Utrecht` or `{example} --demo`"),
            }
            .into()),
        }
    }
}

/// The gemeente the demo factsheet is about.
pub const DEMO_REGION: &str = "GM9990";

/// What to run when the store is empty: download when online, import when offline.
pub fn empty_store_hint(cli: &Cli) -> String {
    format!(
        "met internet: `wijkmonitor{dd} data download` (haalt de CBS-tabellen op); zonder: \
         `wijkmonitor{dd} data import MAP` met CBS-bestanden die u heeft (StatLine CSV/JSON, de KWB-export, \
         wijk- en buurtkaartbestanden; zie docs/data.md); of probeer `wijkmonitor factsheet --demo` voor een fictief voorbeeld",
        dd = cli.data_dir.as_ref().map(|d| format!(" --data-dir {}", d.display())).unwrap_or_default()
    )
}

/// The session over the store of `--data-dir` (its regions read), or over the demo data.
pub fn session(cli: &Cli, demo: bool) -> anyhow::Result<Session> {
    if demo {
        return Session::demo().context("de demogegevens konden niet geladen worden");
    }
    Session::open(dataset_store(cli)?).context("de opslag kon niet gelezen worden")
}

/// The dataset of the part `scope` of the session's data. Returns whether it is
/// fictional.
pub fn dataset(session: Session, scope: &Scope) -> anyhow::Result<(Dataset, bool)> {
    let fictional = session.fictional();
    Ok((session.dataset(scope).context("de opslag kon niet gelezen worden")?, fictional))
}

/// The store of `--data-dir`, or an error with what to run when it is empty.
pub fn dataset_store(cli: &Cli) -> anyhow::Result<Store> {
    let store = Store::new(cli.data_dir());
    if store.is_empty() {
        return Err(Error::Store {
            message: format!(
                "de opslag {} is leeg: er zijn geen cijfers om een factsheet van te maken",
                store.dir().display()
            ),
            hint: empty_store_hint(cli),
        }
        .into());
    }
    Ok(store)
}

/// Resolves a region typed by the user (name or code, optionally inside a gemeente).
pub fn resolve(registry: &Registry, text: &str, gemeente: Option<&str>) -> anyhow::Result<String> {
    let gm_code = gemeente.map(|g| resolve_gemeente(registry, g)).transpose()?;
    match registry.lookup(text, gm_code.as_deref(), None) {
        Lookup::Found(r) => Ok(r.code),
        Lookup::Ambiguous(list) => {
            let options: Vec<String> = list.iter().take(8).map(|r| format!("{} {}", r.code, r.display())).collect();
            Err(Error::Region {
                message: format!("'{}' is de naam van {} gebieden: {}", shown(text), list.len(), options.join("; ")),
                hint: if list.iter().all(|r| r.gemeente() == list[0].gemeente()) {
                    format!("ze liggen in dezelfde gemeente; geef de code, bijv. {}", list[0].code)
                } else {
                    format!("voeg --gemeente NAAM toe, of geef de code (bijv. {})", list[0].code)
                },
            }
            .into())
        }
        Lookup::NotFound { suggestions } => {
            let hint = if suggestions.is_empty() {
                "controleer de spelling, of zoek met `wijkmonitor regions search TEKST`".to_string()
            } else {
                let s: Vec<String> =
                    suggestions.iter().take(5).map(|r| format!("{} ({})", r.display(), r.code)).collect();
                format!("bedoelde u: {}?", s.join(", "))
            };
            Err(Error::Region {
                message: if text.chars().count() > MAX_NAME_CHARS {
                    format!("'{}' is te lang voor de naam van een gemeente, wijk of buurt", shown(text))
                } else {
                    format!("geen gemeente, wijk of buurt met de naam '{}' in de gegevens", shown(text))
                },
                hint,
            }
            .into())
        }
    }
}

/// `--year` must lie within the years the data covers; a year after the newest figures
/// would otherwise be quietly read as "the latest".
pub fn check_year(ds: &Dataset, year: Option<i32>) -> anyhow::Result<()> {
    let Some(y) = year else { return Ok(()) };
    let years = ds.observations.iter().filter(|o| o.indicator == ds.population()).map(|o| o.year);
    let (lo, hi) = years.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if lo <= hi && (y < lo || y > hi) {
        let span = if lo == hi { format!("alleen {lo}") } else { format!("{lo}–{hi}") };
        return Err(Error::Config {
            at: wijkmonitor::error::Location { file: "--year".into(), line: None, column: None },
            message: format!("er zijn geen cijfers voor {y}: de bevolkingscijfers beslaan {span}"),
            hint: format!("geef een jaar in {span}, of laat --year weg voor het nieuwste"),
        }
        .into());
    }
    Ok(())
}

/// Resolves a gemeente typed by the user (name or code).
pub fn resolve_gemeente(registry: &Registry, text: &str) -> anyhow::Result<String> {
    match registry.lookup(text, None, Some(Level::Gemeente)) {
        Lookup::Found(r) => Ok(r.code),
        _ => Err(Error::Region {
            message: format!("onbekende gemeente '{}'", shown(text)),
            hint: "geef de naam of code (GM0344) van een gemeente; `wijkmonitor regions search` zoekt ze op".into(),
        }
        .into()),
    }
}

/// Today's date (UTC), ISO.
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    wijkmonitor::format::civil_date((secs / 86_400) as i64)
}

/// Validates `--date`, or gives today.
pub fn date(given: Option<&str>) -> anyhow::Result<String> {
    match given {
        Some(d)
            if wijkmonitor::document::parse_date(d).is_some()
                && d.get(..4).and_then(|y| y.parse::<i32>().ok()).is_some_and(|y| (1900..=2100).contains(&y)) =>
        {
            Ok(d.to_string())
        }
        Some(d) => Err(Error::Config {
            at: wijkmonitor::error::Location { file: "--date".into(), line: None, column: None },
            message: format!("`{d}` is geen datum"),
            hint: "schrijf een datum tussen 1900 en 2100 als JJJJ-MM-DD, bijv. --date 2026-11-23".into(),
        }
        .into()),
        None => Ok(today()),
    }
}

/// The templates: shipped ones, with files from `--templates DIR` replacing them.
pub fn templates(dir: Option<&Path>) -> anyhow::Result<Templates> {
    let Some(dir) = dir else { return Ok(Templates::builtin()?) };
    let (files, notes) = wijkmonitor::templates::read_dir(dir)?;
    for n in notes {
        eprintln!("let op: {n}");
    }
    let templates = Templates::from_dir(dir, files)?;
    // Own templates are laid out in a worker with a memory and time limit.
    Ok(match std::env::current_exe() {
        Ok(exe) => templates.with_budget(wijkmonitor::document::sandbox::Budget::new(exe)),
        Err(_) => templates,
    })
}

/// `-o -`: standard output instead of a file.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes `bytes` to the file (via a temporary file, then renamed) or, for `-o -`, to
/// standard output. A binary format (`binary` names it: "PDF", "Excel-werkmap") is not
/// written to a terminal.
pub fn write_output(path: &Path, bytes: &[u8], binary: Option<&str>) -> anyhow::Result<()> {
    use std::io::{IsTerminal, Write};
    if !is_stdout(path) {
        if let Some(what) = binary.filter(|_| wijkmonitor::paths::is_terminal_path(path)) {
            anyhow::bail!(Error::Config {
                at: wijkmonitor::error::Location { file: path.into(), line: None, column: None },
                message: format!("een {what} is binair en wordt niet naar de terminal geschreven"),
                hint: "kies met -o een bestandsnaam".into(),
            });
        }
        wijkmonitor::paths::write_atomic(path, bytes)?;
        return Ok(());
    }
    if let Some(what) = binary {
        if std::io::stdout().is_terminal() {
            anyhow::bail!(Error::Config {
                at: wijkmonitor::error::Location { file: "-o -".into(), line: None, column: None },
                message: format!("een {what} is binair en wordt niet naar de terminal geschreven"),
                hint:
                    "stuur de uitvoer naar een bestand of een ander programma, bijv. `-o - > uit.pdf` of `-o bestand`"
                        .into(),
            });
        }
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        // The reader stopped early (`| head`): not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(wijkmonitor::Error::io("standaarduitvoer", e).into()),
        Ok(()) => Ok(()),
    }
}
