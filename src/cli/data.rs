//! `wijkmonitor data download|import|status`: fill and inspect the local store.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use wijkmonitor::ingest::download::{self, Client, Event, Years};
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

/// The indeling year of the outlines: the last of `--years`, but no later than the
/// newest year any table arrived with (PDOK has no outlines for a year CBS has no
/// figures of); without `--years`, the newest year of the Kerncijfers wijken en buurten
/// that arrived (or of any table), so the maps fit the figures.
fn outline_year(years: Option<&download::Years>, tables: &[download::Downloaded]) -> i32 {
    let newest = |t: &download::Downloaded| t.years.last().copied();
    let newest_any = tables.iter().filter_map(newest).max();
    let kwb = tables.iter().filter(|t| wijkmonitor::model::is_kwb_table(&t.table)).filter_map(newest).max();
    match years {
        Some(download::Years::Only(set)) if !set.is_empty() => {
            let asked = *set.last().expect("not empty");
            newest_any.map_or(asked, |n| asked.min(n))
        }
        _ => kwb.or(newest_any).unwrap_or(2024),
    }
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
    let wanted = args.years.clone().unwrap_or_default();
    // A table asked by name may be any edition, whatever the years.
    let all = download::statline_tables(&specs, &download::Years::Latest(usize::MAX));
    let chosen: Vec<_> = if args.tables.is_empty() {
        download::statline_tables(&specs, &wanted)
    } else {
        let mut out = Vec::new();
        for t in &args.tables {
            match all.iter().find(|s| s.id.eq_ignore_ascii_case(t.trim())) {
                Some(s) => out.push(s.clone()),
                None => {
                    return Err(wijkmonitor::Error::Download {
                        status: None,
                        message: format!("geen bronbeschrijving leest CBS-tabel '{}'", t.trim()),
                        hint: format!(
                            "tabellen die wijkmonitor kan lezen: {}",
                            all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    }
                    .into())
                }
            }
        }
        out
    };
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
    // The tables CBS publishes for others come from its second feed, the same way.
    let derden = Client::new(download::Options {
        base_url: args.derden_url.trim_end_matches('/').to_string(),
        feed: ingest::spec::Feed::Dataderden,
        ..opts.clone()
    });
    let client = Client::new(opts);
    let from_derden = |s: &ingest::spec::SourceSpec| s.feed == ingest::spec::Feed::Dataderden;
    let n_derden = chosen.iter().filter(|s| from_derden(s)).count();
    if n_derden == 0 {
        eprintln!("Downloaden van {} CBS-tabellen van {}", chosen.len(), client.options().base_url);
    } else {
        eprintln!(
            "Downloaden van {} CBS-tabellen van {} en {} van {}",
            chosen.len() - n_derden,
            client.options().base_url,
            n_derden,
            derden.options().base_url
        );
    }
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
    let mut tables = Vec::new();
    // Each table on its own: CBS discontinues tables every year, and one that fails
    // must not keep the others out. A failed table leaves its earlier figures as they are.
    let mut failed: Vec<(String, wijkmonitor::Error)> = Vec::new();
    for spec in &chosen {
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
        let feed = if from_derden(spec) { &derden } else { &client };
        let d = match feed.table(spec, &mut on) {
            Ok(d) => d,
            Err(e) => {
                say(format!("  {:<9} mislukt: {e}", spec.id));
                if let Some(b) = &bar {
                    b.inc(1);
                }
                failed.push((spec.id.clone(), e));
                continue;
            }
        };
        let years = match (d.years.first(), d.years.last()) {
            (Some(a), Some(b)) if a != b => format!(", {a}–{b}"),
            (Some(a), _) => format!(", {a}"),
            _ => String::new(),
        };
        let cache = if d.cached_pages > 0 { format!(", {} uit de cache", d.cached_pages) } else { String::new() };
        say(format!("  {:<9} {} rijen{years} ({} verzoeken{cache})", d.table, d.rows, d.pages));
        if let Some(n) = &d.note {
            say(format!("  {:<9} let op: {n}", ""));
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
        tables.push(d);
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    // The outlines for the maps, each layer all or nothing like a table.
    let mut layers = Vec::new();
    if !args.zonder_kaarten && tables.is_empty() {
        eprintln!("geen kaarten opgehaald: er is geen tabel binnengekomen");
    } else if !args.zonder_kaarten {
        let year = outline_year(args.years.as_ref(), &tables);
        eprintln!("Kaarten {year} van {}", args.pdok_url.trim_end_matches('/'));
        for layer in download::wfs::LAYERS {
            let mut on = |e: Event| match e {
                Event::Retry { url, attempt, attempts, why } => {
                    eprintln!("  poging {attempt} van {attempts} mislukt ({why}); opnieuw: {url}")
                }
                Event::Waiting { url, seconds } => eprintln!("  wacht al {seconds} s op antwoord van {url} …"),
                Event::Page { .. } => {}
            };
            match client.wfs_layer(&args.pdok_url, year, layer, &mut on) {
                Ok(l) if l.features == 0 => {
                    eprintln!("let op: de PDOK-laag {layer} {year} is leeg; geen kaarten van de {layer}")
                }
                Ok(l) => {
                    let cache =
                        if l.cached_pages > 0 { format!(", {} uit de cache", l.cached_pages) } else { String::new() };
                    eprintln!("  {layer:<9} {} omtrekken ({} verzoeken{cache})", l.features, l.pages);
                    layers.push(l);
                }
                Err(e) => {
                    eprintln!("  {layer:<9} mislukt: {e}");
                    failed.push((format!("PDOK {layer} {year}"), e));
                }
            }
        }
    }
    // Every table arrived: write them where the import reads them, then import all at once.
    let dir = store.dir().join("downloads");
    std::fs::create_dir_all(&dir).with_context(|| format!("de map {} kon niet gemaakt worden", dir.display()))?;
    let mut paths = Vec::new();
    for d in tables.iter().filter(|d| d.rows > 0) {
        let path = dir.join(format!("{}_UntypedDataSet.json", d.table.to_ascii_uppercase()));
        wijkmonitor::paths::write_atomic(&path, &d.json)?;
        paths.push(path);
    }
    for l in &layers {
        let path = dir.join(l.file_name());
        wijkmonitor::paths::write_atomic(&path, &l.geojson)?;
        paths.push(path);
    }
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
    let failed_layers = failed.iter().filter(|(t, _)| t.starts_with("PDOK ")).count();
    let failed_tables = failed.len() - failed_layers;
    if failed_tables > 0 {
        eprintln!(
            "\n{failed_tables} van de {} tabellen niet binnengekomen; hun eerdere cijfers in de opslag zijn ongewijzigd:",
            chosen.len()
        );
    }
    if failed_layers > 0 {
        eprintln!(
            "\n{failed_layers} van de {} kaartlagen niet binnengekomen; hun eerdere omtrekken blijven (--zonder-kaarten slaat ze over):",
            download::wfs::LAYERS.len()
        );
    }
    for (table, e) in &failed {
        eprintln!("  {table}: {e}");
        if let Some(h) = e.hint() {
            eprintln!("    hint: {h}");
        }
    }
    Ok(ExitCode::FAILURE)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn table(id: &str, years: &[i32]) -> download::Downloaded {
        download::Downloaded {
            table: id.into(),
            rows: 1,
            pages: 1,
            cached_pages: 0,
            years: years.to_vec(),
            note: None,
            json: Vec::new(),
        }
    }

    #[test]
    fn the_outline_year_follows_years_but_not_past_the_figures() {
        let tables = [table("85984NED", &[2024]), table("86088NED", &[2019, 2024])];
        assert_eq!(outline_year(None, &tables), 2024);
        let only = |ys: &[i32]| download::Years::Only(ys.iter().copied().collect());
        assert_eq!(outline_year(Some(&only(&[2022])), &tables), 2022);
        assert_eq!(outline_year(Some(&only(&[2030])), &tables), 2024);
        assert_eq!(outline_year(Some(&only(&[2023])), &[]), 2023);
    }
}
