//! `wijkmonitor data import|status`: fill and inspect the local store.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use wijkmonitor::ingest;
use wijkmonitor::model::{coverage, Catalogue, Store};

use super::Cli;

#[derive(clap::Subcommand)]
pub enum DataCommand {
    /// Import CBS files or folders (StatLine CSV/JSON, website CSV export, wijk- en
    /// buurtkaart .dbf/.geojson, tidy CSV). All or nothing: on an error the store is unchanged.
    Import {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Show what the store holds: regions per level and year, and per indicator which
    /// years, levels and herkomst groups have figures.
    Status {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cli: &Cli, cmd: &DataCommand) -> anyhow::Result<ExitCode> {
    let store = Store::new(cli.data_dir());
    match cmd {
        DataCommand::Import { paths } => import(&store, paths),
        DataCommand::Status { json } => status(&store, *json),
    }
}

fn import(store: &Store, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let mut data = store.load().context("reading the data store")?;
    let catalogue = Catalogue::builtin();
    let specs = ingest::spec::builtin_specs();
    let report = ingest::import(paths, &mut data, &specs, &catalogue)?;
    store.commit(&data).context("writing the data store")?;
    for f in &report.files {
        match &f.skipped {
            Some(why) => eprintln!("  overgeslagen  {}: {why}", f.path.display()),
            None => eprintln!("  {:<12} {} ({} cijfers, {} gebieden)", f.source, f.path.display(), f.observations, f.regions),
        }
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    let m = &report.merge;
    eprintln!(
        "{} nieuw, {} vervangen, {} ongewijzigd, {} genegeerd (nieuwere bron in de store) in {:.1} s",
        m.added,
        m.replaced,
        m.unchanged,
        m.kept_newer,
        t0.elapsed().as_secs_f64()
    );
    for ((old, new), n) in &m.replacements {
        eprintln!("  {n} cijfers van {old} vervangen door de nieuwere bron {new}");
    }
    Ok(ExitCode::SUCCESS)
}

fn status(store: &Store, json: bool) -> anyhow::Result<ExitCode> {
    if store.is_empty() {
        eprintln!("De store {} is leeg. Importeer eerst: wijkmonitor data import PAD…", store.dir().display());
        return Ok(ExitCode::FAILURE);
    }
    let data = store.load().context("reading the data store")?;
    let cov = coverage(&data);
    if json {
        let cells: Vec<_> = cov
            .cells
            .iter()
            .map(|((i, l, g), ys)| serde_json::json!({"indicator": i, "level": l, "group": g, "years": ys}))
            .collect();
        let regions: Vec<_> = cov.regions.iter().map(|((l, y), n)| serde_json::json!({"level": l, "year": y, "regions": n})).collect();
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({"regions": regions, "coverage": cells, "observations": data.observations.len()}))?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("Store: {}", store.dir().display());
    println!("{} cijfers uit {} bestanden\n", data.observations.len(), data.imports.len());
    println!("Gebieden per indeling:");
    for ((level, year), n) in &cov.regions {
        println!("  {level:<10} {year}  {n:>6}");
    }
    println!("\nIndicator × niveau × groep: jaren (aantal gebieden met een waarde)");
    for ((ind, level, group), years) in &cov.cells {
        let ys: Vec<String> = years.iter().map(|(y, n)| format!("{y}:{n}")).collect();
        println!("  {ind:<28} {level:<9} {group:<28} {}", ys.join(" "));
    }
    Ok(ExitCode::SUCCESS)
}
