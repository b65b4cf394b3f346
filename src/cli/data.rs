//! `wijkmonitor data download|import|status`: fill and inspect the local store.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use wijkmonitor::ingest::download::{self, Event, Failure, Feeds, Missing, Years};
use wijkmonitor::ingest::{self, ImportReport};
use wijkmonitor::session::{self, ImportError};
use wijkmonitor::store::{coverage, Store};

use super::Cli;

#[derive(clap::Subcommand)]
pub enum DataCommand {
    /// De StatLine-tabellen die de indicatoren nodig hebben downloaden van CBS (OData) en
    /// inlezen. Antwoorden blijven bewaard in MAP/cache, zodat een herhaalde of onderbroken
    /// download niet opnieuw haalt wat al binnen is. Alles of niets: bij een fout blijft de
    /// opslag ongewijzigd.
    Download(DownloadArgs),
    /// CBS-bestanden of mappen inlezen (StatLine CSV/JSON, CSV-export van de website, wijk- en
    /// buurtkaart .dbf/.geojson, nette CSV). Alles of niets: bij een fout blijft de opslag ongewijzigd.
    Import {
        /// Bestanden of mappen.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Tonen wat de opslag bevat: gebieden per niveau en jaar, en per indicator de jaren,
    /// niveaus en herkomstgroepen met cijfers.
    Status {
        /// JSON in plaats van een tabel.
        #[arg(long)]
        json: bool,
    },
}

/// Options of `data download`.
#[derive(clap::Args)]
pub struct DownloadArgs {
    /// Op te halen jaren: `2024`, `2020-2024` of `2019,2022-2024` [standaard: de nieuwste 6
    /// van elke tabel]. Een tabel zonder een van die jaren geeft haar nieuwste jaar.
    #[arg(long, value_parser = Years::parse)]
    years: Option<Years>,
    /// Alleen deze tabellen (ids met komma's, bijv. 85984NED,86088NED) [standaard: elke
    /// tabel die een bronbeschrijving in data/sources leest].
    #[arg(long, value_delimiter = ',')]
    tables: Vec<String>,
    /// Basisadres van de OData-v3-feed van CBS.
    #[arg(long, env = "WIJKMONITOR_CBS_URL", default_value = download::DEFAULT_BASE_URL)]
    base_url: String,
    /// Basisadres van de tweede OData-v3-feed van CBS, met tabellen van anderen (politie:
    /// misdrijven per wijk en buurt; RIVM: gezondheid per wijk en buurt).
    #[arg(long, env = "WIJKMONITOR_DERDEN_URL", default_value = download::DEFAULT_DERDEN_URL)]
    derden_url: String,
    /// Ook opnieuw ophalen wat al in de cache staat.
    #[arg(long)]
    refresh: bool,
    /// Pogingen per verzoek voordat de download stopt.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=20))]
    attempts: u32,
    /// Seconden wachten voor de eerste nieuwe poging (telkens verdubbeld).
    #[arg(long, default_value_t = 2.0)]
    retry_delay: f64,
    /// Tijdslimiet per verzoek (alle pogingen samen), in seconden.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// Geen kaarten: de omtrekken van gemeenten, wijken en buurten niet bij PDOK ophalen.
    #[arg(long = "zonder-kaarten")]
    zonder_kaarten: bool,
    /// Basisadres van de WFS "CBS Wijken en Buurten" van PDOK (het jaar en /wfs/v1_0 komen erachter).
    #[arg(long, env = "WIJKMONITOR_PDOK_URL", default_value = download::wfs::DEFAULT_PDOK_URL)]
    pdok_url: String,
}

pub fn run(cli: &Cli, cmd: &DataCommand) -> anyhow::Result<ExitCode> {
    let store = Store::new(cli.data_dir());
    match cmd {
        DataCommand::Download(args) => download(&store, args),
        DataCommand::Import { paths } => import(&store, paths),
        DataCommand::Status { json } => status(&store, *json),
    }
}

fn import(store: &Store, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let lock = write_lock(store)?;
    let report = import_files(store, &lock, paths, &ingest::spec::builtin_specs())?;
    print_import(&report, t0);
    Ok(ExitCode::SUCCESS)
}

/// Imports `paths` into the store (see [`session::import`]), with the words of each
/// step's error.
fn import_files(
    store: &Store,
    lock: &wijkmonitor::store::WriteLock,
    paths: &[PathBuf],
    specs: &[ingest::spec::SourceSpec],
) -> anyhow::Result<ImportReport> {
    session::import(store, lock, paths, specs).map_err(|e| match e {
        ImportError::Read(e) => anyhow::Error::new(e).context("de opslag kon niet gelezen worden"),
        ImportError::Files(e) => e.into(),
        ImportError::Write(e) => anyhow::Error::new(e).context("de opslag kon niet geschreven worden"),
    })
}

/// The store's writer lock; says so on stderr when another import or download holds it.
fn write_lock(store: &Store) -> anyhow::Result<wijkmonitor::store::WriteLock> {
    Ok(store.write_lock(|holder| {
        eprintln!("De opslag wordt bijgewerkt door {holder}; wachten tot die klaar is …");
    })?)
}

fn download(store: &Store, args: &DownloadArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let specs = ingest::spec::builtin_specs();
    let chosen = download::choose_tables(&specs, &args.years.clone().unwrap_or_default(), &args.tables)?;
    let feeds = Feeds::new(options(store, args)?, &args.derden_url);
    announce(&feeds, &chosen);
    let (tables, mut failed) = fetch_tables(&feeds, &chosen);
    // The outlines for the maps, each layer all or nothing like a table.
    let mut layers = Vec::new();
    if !args.zonder_kaarten && tables.is_empty() {
        eprintln!("geen kaarten opgehaald: er is geen tabel binnengekomen");
    } else if !args.zonder_kaarten {
        let year = download::outline_year(args.years.as_ref(), &tables);
        let (arrived, missing) = fetch_outlines(&feeds, &args.pdok_url, year);
        layers = arrived;
        failed.extend(missing);
    }
    // Every table arrived: write them where the import reads them, then import all at once.
    let paths = write_downloads(store, &tables, &layers)?;
    for d in tables.iter().filter(|d| d.rows == 0) {
        eprintln!("let op: CBS-tabel {} gaf geen regels voor de gevraagde jaren; niet ingelezen", d.table);
    }
    if !paths.is_empty() {
        let lock = write_lock(store)?;
        let report = import_files(store, &lock, &paths, &specs)?;
        print_import(&report, t0);
    }
    if failed.is_empty() {
        if paths.is_empty() {
            anyhow::bail!("de download gaf helemaal geen regels; niets ingelezen");
        }
        return Ok(ExitCode::SUCCESS);
    }
    print_failures(&failed, chosen.len());
    Ok(ExitCode::FAILURE)
}

/// The download options the arguments give.
fn options(store: &Store, args: &DownloadArgs) -> anyhow::Result<download::Options> {
    if !args.retry_delay.is_finite() || args.retry_delay < 0.0 {
        anyhow::bail!("--retry-delay moet nul of meer seconden zijn");
    }
    let mut opts = download::Options {
        base_url: args.base_url.trim_end_matches('/').to_string(),
        attempts: args.attempts,
        retry_delay: Duration::from_secs_f64(args.retry_delay),
        timeout: Duration::from_secs(args.timeout.max(1)),
        cache_dir: Some(store.dir().join("cache").join("odata")),
        ..Default::default()
    };
    if let Some(y) = &args.years {
        opts.years = y.clone();
    }
    if args.refresh {
        opts.max_age = Duration::ZERO;
    }
    Ok(opts)
}

/// Says how many tables come from where.
fn announce(feeds: &Feeds, chosen: &[ingest::spec::SourceSpec]) {
    let n_derden = chosen.iter().filter(|s| s.feed == ingest::spec::Feed::Dataderden).count();
    if n_derden == 0 {
        eprintln!("Downloaden van {} CBS-tabellen van {}", chosen.len(), feeds.opendata().options().base_url);
    } else {
        eprintln!(
            "Downloaden van {} CBS-tabellen van {} en {} van {}",
            chosen.len() - n_derden,
            feeds.opendata().options().base_url,
            n_derden,
            feeds.derden().options().base_url
        );
    }
}

/// Fetches the tables with a progress bar on a terminal (a line per table elsewhere).
fn fetch_tables(feeds: &Feeds, chosen: &[ingest::spec::SourceSpec]) -> (Vec<download::Downloaded>, Vec<Failure>) {
    let bar = super::fancy_terminal().then(|| {
        let b = ProgressBar::new(chosen.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} tabellen · {elapsed} · {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let say = |line: String| match &bar {
        Some(b) => b.println(line),
        None => eprintln!("{line}"),
    };
    let mut on = |e: Event| match e {
        Event::Page { table, rows, cached } => {
            if let Some(b) = &bar {
                b.set_message(format!("{table}: {rows} rijen{}", if cached { " (cache)" } else { "" }));
            }
        }
        Event::Retry { url, attempt, attempts, why } => {
            say(format!("  poging {attempt} van {attempts} mislukt ({why}); opnieuw: {url}"))
        }
        Event::Waiting { url, seconds } => say(format!("  wacht al {seconds} s op antwoord van {url} …")),
    };
    let mut done = |spec: &ingest::spec::SourceSpec, outcome: Result<&download::Downloaded, &wijkmonitor::Error>| {
        match outcome {
            Ok(d) => {
                let years = match (d.years.first(), d.years.last()) {
                    (Some(a), Some(b)) if a != b => format!(", {a}–{b}"),
                    (Some(a), _) => format!(", {a}"),
                    _ => String::new(),
                };
                let cache =
                    if d.cached_pages > 0 { format!(", {} uit de cache", d.cached_pages) } else { String::new() };
                say(format!("  {:<9} {} rijen{years} ({} verzoeken{cache})", d.table, d.rows, d.pages));
                if let Some(n) = &d.note {
                    say(format!("  {:<9} let op: {n}", ""));
                }
            }
            Err(e) => say(format!("  {:<9} mislukt: {e}", spec.id)),
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let fetched = download::fetch_tables(feeds, chosen, &mut on, &mut done);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    fetched
}

/// Fetches the outline layers of `year`, a line per layer.
fn fetch_outlines(feeds: &Feeds, pdok_url: &str, year: i32) -> (Vec<download::wfs::Layer>, Vec<Failure>) {
    eprintln!("Kaarten {year} van {}", pdok_url.trim_end_matches('/'));
    let mut on = |e: Event| match e {
        Event::Retry { url, attempt, attempts, why } => {
            eprintln!("  poging {attempt} van {attempts} mislukt ({why}); opnieuw: {url}")
        }
        Event::Waiting { url, seconds } => eprintln!("  wacht al {seconds} s op antwoord van {url} …"),
        Event::Page { .. } => {}
    };
    let mut done = |layer: &str, outcome: Result<&download::wfs::Layer, &wijkmonitor::Error>| match outcome {
        Ok(l) if l.features == 0 => {
            eprintln!("let op: de PDOK-laag {layer} {year} is leeg; geen kaarten van de {layer}")
        }
        Ok(l) => {
            let cache = if l.cached_pages > 0 { format!(", {} uit de cache", l.cached_pages) } else { String::new() };
            eprintln!("  {layer:<9} {} omtrekken ({} verzoeken{cache})", l.features, l.pages);
        }
        Err(e) => eprintln!("  {layer:<9} mislukt: {e}"),
    };
    download::fetch_outlines(feeds.opendata(), pdok_url, year, &mut on, &mut done)
}

/// Writes the tables with rows and the layers where the import reads them
/// (`MAP/downloads`); returns their paths.
fn write_downloads(
    store: &Store,
    tables: &[download::Downloaded],
    layers: &[download::wfs::Layer],
) -> anyhow::Result<Vec<PathBuf>> {
    let dir = store.dir().join("downloads");
    std::fs::create_dir_all(&dir).with_context(|| format!("de map {} kon niet gemaakt worden", dir.display()))?;
    let mut paths = Vec::new();
    for d in tables.iter().filter(|d| d.rows > 0) {
        let path = dir.join(d.file_name());
        wijkmonitor::paths::write_atomic(&path, &d.json)?;
        paths.push(path);
    }
    for l in layers {
        let path = dir.join(l.file_name());
        wijkmonitor::paths::write_atomic(&path, &l.geojson)?;
        paths.push(path);
    }
    Ok(paths)
}

/// Says which tables and layers did not arrive, and that their earlier figures stay.
fn print_failures(failed: &[Failure], asked: usize) {
    let failed_layers = failed.iter().filter(|f| matches!(f.missing, Missing::Layer { .. })).count();
    let failed_tables = failed.len() - failed_layers;
    if failed_tables > 0 {
        eprintln!(
            "\n{failed_tables} van de {asked} tabellen niet binnengekomen; hun eerdere cijfers in de opslag zijn ongewijzigd:"
        );
    }
    if failed_layers > 0 {
        eprintln!(
            "\n{failed_layers} van de {} kaartlagen niet binnengekomen; hun eerdere omtrekken blijven (--zonder-kaarten slaat ze over):",
            download::wfs::LAYERS.len()
        );
    }
    for Failure { missing, error } in failed {
        eprintln!("  {missing}: {error}");
        if let Some(h) = error.hint() {
            eprintln!("    hint: {h}");
        }
    }
}

fn print_import(report: &ImportReport, t0: Instant) {
    for f in &report.files {
        match &f.skipped {
            Some(why) => eprintln!("  overgeslagen  {}: {why}", f.path.display()),
            None => eprintln!(
                "  {:<12} {} ({} cijfers, {} gebieden{})",
                f.source,
                f.path.display(),
                f.observations,
                f.regions,
                if f.outlines > 0 { format!(", {} kaartvlakken", f.outlines) } else { String::new() }
            ),
        }
    }
    for w in &report.warnings {
        eprintln!("let op: {w}");
    }
    let m = &report.merge;
    eprintln!(
        "{} nieuw, {} vervangen, {} ongewijzigd, {} genegeerd (nieuwere bron in de opslag) in {} s",
        m.added,
        m.replaced,
        m.unchanged,
        m.kept_newer,
        wijkmonitor::format::number(t0.elapsed().as_secs_f64(), 1)
    );
    for ((old, new), n) in &m.replacements {
        eprintln!("  {n} cijfers van {old} vervangen door de nieuwere bron {new}");
    }
}

fn status(store: &Store, json: bool) -> anyhow::Result<ExitCode> {
    if store.is_empty() {
        eprintln!(
            "De opslag {} is leeg. Haal de cijfers op met `wijkmonitor data download` (internet nodig), of importeer CBS-bestanden die u al heeft met `wijkmonitor data import PAD…`.",
            store.dir().display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let data = store.load().context("de opslag kon niet gelezen worden")?;
    let cov = coverage(&data);
    if json {
        let cells: Vec<_> = cov
            .cells
            .iter()
            .map(|((i, l, g), ys)| serde_json::json!({"indicator": i, "level": l, "group": g, "years": ys}))
            .collect();
        let regions: Vec<_> =
            cov.regions.iter().map(|((l, y), n)| serde_json::json!({"level": l, "year": y, "regions": n})).collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"regions": regions, "coverage": cells, "observations": data.observations.len()})
            )?
        );
        return Ok(ExitCode::SUCCESS);
    }
    outln!("Opslag: {}", store.dir().display());
    outln!("{} cijfers uit {} bestanden\n", data.observations.len(), data.imports.len());
    outln!("Gebieden per indeling:");
    for ((level, year), n) in &cov.regions {
        outln!("  {level:<10} {year}  {n:>6}");
    }
    outln!("\nIndicator × niveau × groep: jaren (aantal gebieden met een waarde)");
    for ((ind, level, group), years) in &cov.cells {
        let ys: Vec<String> = years.iter().map(|(y, n)| format!("{y}:{n}")).collect();
        outln!("  {ind:<28} {level:<9} {group:<28} {}", ys.join(" "));
    }
    Ok(ExitCode::SUCCESS)
}
