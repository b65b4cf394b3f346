//! `wijkmonitor batch`: factsheets for many regions at once, in parallel, with an index
//! of what succeeded and what failed. The exit code is non-zero when any region failed.
//! Every gemeente, wijk or buurt of the country is read from the store in parts of whole
//! gemeenten beside what all parts share (`wijkmonitor::session::Parted`,
//! `wijkmonitor::batch::in_parts`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use wijkmonitor::batch::run::{run as run_batch, Outcome, RunOptions};
use wijkmonitor::batch::Selection;
use wijkmonitor::batch::{in_parts, releasing, Make};
use wijkmonitor::document::{Engine, Meta};
use wijkmonitor::model::region::Level;
use wijkmonitor::report::Reporter;

use super::{common, Cli};

#[derive(clap::Args)]
#[command(
    group(clap::ArgGroup::new("selection").required(true).args(["all_gemeenten", "all_wijken", "all_buurten", "codes"])),
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<BatchCommand>,
    /// Elke gemeente van de nieuwste indeling.
    #[arg(long)]
    pub all_gemeenten: bool,
    /// Elke wijk (van --gemeente, of van heel Nederland).
    #[arg(long)]
    pub all_wijken: bool,
    /// Elke buurt (van --gemeente, of van heel Nederland).
    #[arg(long)]
    pub all_buurten: bool,
    /// Een bestand met één gebied (code of naam) per regel; `#` begint een opmerking.
    #[arg(long, value_name = "FILE")]
    pub codes: Option<PathBuf>,
    /// Uitvoermap.
    #[arg(short, long, value_name = "DIR", default_value = "factsheets")]
    pub output: PathBuf,
    /// Aantal taken tegelijk; 0 = alle kernen.
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
    /// Bestaande PDF's houden (een onderbroken reeks hervatten).
    #[arg(long)]
    pub skip_existing: bool,
    /// Elke zin controleren tegen de cijfers ernaast (samenvattingen, redenen, volgorde) en
    /// de cijfers tussen de factsheets; wat niet klopt staat in de index en op het scherm,
    /// en de code is dan 1.
    #[arg(long)]
    pub check: bool,
    /// Alleen deel K van N (bijv. 2/4): elke N-de van de gesorteerde gebieden, vanaf de K-de,
    /// zodat N machines of CI-taken samen de hele reeks maken; `batch merge` voegt ze samen.
    #[arg(long, value_name = "K/N", value_parser = wijkmonitor::batch::Shard::parse)]
    pub shard: Option<wijkmonitor::batch::Shard>,
    #[command(flatten)]
    pub report: common::ReportArgs,
}

/// `batch merge`.
#[derive(clap::Subcommand)]
pub enum BatchCommand {
    /// De delen van een reeks (gemaakt met --shard) samenvoegen tot één map: index,
    /// cijfers.csv en cijfers.xlsx in gebiedsvolgorde, de PDF's erbij.
    Merge {
        /// De uitvoermappen van de delen.
        #[arg(required = true, value_name = "MAP")]
        parts: Vec<PathBuf>,
        /// De map voor het geheel.
        #[arg(short, long, value_name = "MAP")]
        output: PathBuf,
        /// Datum in de werkmap (JJJJ-MM-DD) [standaard: vandaag].
        #[arg(long, value_name = "DATUM")]
        date: Option<String>,
    },
}

fn merge(parts: &[PathBuf], output: &std::path::Path, date: Option<&str>) -> anyhow::Result<ExitCode> {
    let date = common::date(date)?;
    let info = wijkmonitor::export::WorkbookInfo {
        title: "Cijfers van de samengevoegde reeks".into(),
        date,
        fictional: false,
    };
    let m = wijkmonitor::batch::merge(parts, output, info)?;
    eprintln!(
        "{} delen samengevoegd in {}: {} gebieden, {} regels cijfers, {} PDF's",
        parts.len(),
        output.display(),
        m.regions,
        m.rows,
        m.pdfs
    );
    Ok(ExitCode::SUCCESS)
}

/// The largest `--codes` file read: a list of every buurt of the country is 200 kB.
const MAX_CODES_FILE: u64 = 16 << 20;

/// The regions of a `--codes` file, one per line (`#` starts a comment). An unknown
/// entry is a failed item of the batch, not its end; it is named without suggestions
/// (each would compare every region's name), cut short when long. A byte-order mark
/// (a list saved by Notepad) is no part of the first code.
fn listed_codes(
    path: &std::path::Path,
    registry: &wijkmonitor::model::Registry,
    gemeente: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    use std::io::Read;
    use wijkmonitor::model::region::{shown, Lookup, MAX_NAME_CHARS};
    let file = std::fs::File::open(path).with_context(|| format!("{} is niet te lezen", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_CODES_FILE + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{} is niet te lezen", path.display()))?;
    if bytes.len() as u64 > MAX_CODES_FILE {
        anyhow::bail!(wijkmonitor::Error::input(
            wijkmonitor::error::Location { file: path.into(), ..Default::default() },
            format!("groter dan {} MB; een lijst van alle buurten van Nederland is 0,2 MB", MAX_CODES_FILE >> 20),
            "geef een lijst met één gebied per regel, of kies --all-wijken / --all-buurten",
        ));
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut codes = Vec::new();
    let mut unresolved = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        match registry.lookup_plain(entry, gemeente, None) {
            Lookup::Found(r) => codes.push(r.code),
            _ => unresolved.push((n + 1, entry)),
        }
    }
    for (k, (line, entry)) in unresolved.iter().enumerate() {
        if k == 20 {
            eprintln!("let op: en nog {} onbekende regels; ze staan bij de mislukte", unresolved.len() - 20);
        } else if k < 20 {
            let why = if entry.chars().count() > MAX_NAME_CHARS {
                "is te lang voor een gebiedsnaam"
            } else {
                "is geen bekend gebied"
            };
            eprintln!("let op: {}:{line}: '{}' {why}; het staat bij de mislukte", path.display(), shown(entry));
        }
        codes.push(shown(entry));
    }
    Ok(codes)
}

/// How this batch (or part) is made, for `batch merge` to check ([`PartInfo`]).
///
/// [`PartInfo`]: wijkmonitor::batch::PartInfo
fn part_info(
    a: &Args,
    selection: &Selection,
    codes: &[String],
    meta: &Meta,
    templates: &wijkmonitor::templates::Templates,
) -> wijkmonitor::batch::PartInfo {
    let selection = match selection {
        Selection::AllGemeenten => "alle gemeenten".to_string(),
        Selection::Children { gemeente, level } => format!("alle {}en van {gemeente}", level.noun()),
        Selection::AllOfLevel(level) => format!("alle {}en", level.noun()),
        Selection::Codes(_) => {
            format!("lijst {:016x}", wijkmonitor::paths::fnv1a(codes.join("\n").as_bytes()))
        }
    };
    let shard = a.shard.map(|s| format!("{}/{}", s.k, s.n)).unwrap_or_else(|| "1/1".into());
    wijkmonitor::batch::PartInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        shard,
        selection,
        regions: codes.len(),
        date: meta.date.clone(),
        kort: meta.kort,
        year: a.report.year,
        peers: a.report.peers,
        templates: templates.fingerprint(),
        demo: a.report.demo,
    }
}

pub fn run(cli: &Cli, a: &Args) -> anyhow::Result<ExitCode> {
    if let Some(BatchCommand::Merge { parts, output, date }) = &a.command {
        return merge(parts, output, date.as_deref());
    }
    // The regions first: the selection decides which part of the store is read.
    let session = common::session(cli, a.report.demo)?;
    let registry = session.registry();
    let gemeente = a.report.gemeente.as_deref().map(|g| common::resolve_gemeente(registry, g)).transpose()?;
    let selection = if a.all_gemeenten {
        Selection::AllGemeenten
    } else if a.all_wijken || a.all_buurten {
        let level = if a.all_buurten { Level::Buurt } else { Level::Wijk };
        match gemeente {
            Some(g) => Selection::Children { gemeente: g, level },
            None => Selection::AllOfLevel(level),
        }
    } else {
        let path = a.codes.as_ref().expect("clap requires a selection");
        Selection::Codes(listed_codes(path, registry, gemeente.as_deref())?)
    };
    // Every wijk or buurt of the country: the shared part read once, each part's full
    // figures one part at a time (peak memory stays that of one part).
    let part = selection.parted();
    let parted = match part {
        Some((level, _)) => session.parted(level).context("de opslag kon niet gelezen worden")?,
        None => Err(session),
    };
    let (common::Loaded { date, templates, ds, fictional }, parted) = match parted {
        Ok(p) => (a.report.load_with(|| Ok((p.dataset(None)?, false)))?, Some(p)),
        Err(session) => (a.report.load(session, &selection.scope())?, None),
    };
    let engine = Engine::new();
    // With --index-config, the index is computed once from what every part shares.
    let (options, index_time) = a.report.options_with_index(&ds)?;
    a.report.warn_without_index(&ds);
    if let Some(t) = index_time {
        eprintln!("achterstandsindex berekend met --index-config in {:.1} s", t.as_secs_f64());
    }
    let meta = Meta { date, fictional, kort: a.report.kort };
    let reporter = Reporter::new(&ds, &templates, &engine, options.clone(), meta.clone());
    let codes = selection.codes(&reporter);
    let made = part_info(a, &selection, &codes, &meta, &templates);
    let whole = codes.len();
    let codes = match a.shard {
        Some(s) => s.take(codes),
        None => codes,
    };
    // A shard past the end of a small selection is a valid, empty part: the merge of
    // all parts needs its folder.
    if codes.is_empty() && whole > 0 {
        let opts =
            RunOptions { out_dir: a.output.clone(), jobs: a.jobs, skip_existing: a.skip_existing, check: a.check };
        run_batch(&reporter, &codes, &opts, &|_| {})?;
        made.write(&a.output)?;
        eprintln!(
            "deel {} bevat geen gebieden (de selectie heeft er {whole}); lege deelmap {} geschreven",
            made.shard,
            a.output.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if codes.is_empty() {
        anyhow::bail!(wijkmonitor::Error::Region {
            message: "de selectie bevat geen gebieden met cijfers".into(),
            hint: "controleer --gemeente, of lees gegevens van dat niveau in (`wijkmonitor data status`)".into()
        });
    }

    let tty = super::fancy_terminal();
    let bar = if tty {
        let b = ProgressBar::new(codes.len() as u64);
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} · {per_sec} · nog {eta} · {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        b.set_style(style);
        Some(b)
    } else {
        None
    };
    let done = Mutex::new(0usize);
    let total = codes.len();
    let progress = |item: &wijkmonitor::batch::Item| {
        if let Some(b) = &bar {
            b.set_message(item.name.clone());
            b.inc(1);
            if item.status == Outcome::Failed {
                b.println(format!("mislukt: {} {}: {}", item.region, item.name, item.error.as_deref().unwrap_or("")));
            }
        } else {
            let mut n = done.lock().unwrap_or_else(|e| e.into_inner());
            *n += 1;
            let status = match item.status {
                Outcome::Ok => "ok",
                Outcome::Skipped => "overgeslagen",
                Outcome::Failed => "MISLUKT",
            };
            let err = item.error.as_deref().map(|e| format!(": {e}")).unwrap_or_default();
            eprintln!("[{n}/{total}] {status} {} {} ({} ms){err}", item.region, item.name, item.duration_ms);
        }
    };
    let opts = RunOptions { out_dir: a.output.clone(), jobs: a.jobs, skip_existing: a.skip_existing, check: a.check };
    // Ctrl-C: leave no half-written files behind; finished PDFs stay, and
    // `--skip-existing` resumes from them.
    let out_dir = a.output.clone();
    let _ = ctrlc::set_handler(move || {
        wijkmonitor::paths::remove_stale_tmp(&out_dir);
        eprintln!("\nafgebroken; klaar zijn de PDF's die er staan (ga verder met --skip-existing)");
        std::process::exit(130);
    });
    let progress = releasing(&progress);
    let summary = match (&parted, part) {
        (Some(parted), Some((level, size))) => {
            drop(reporter);
            drop(ds);
            let make = Make { templates: &templates, engine: &engine, options, meta };
            in_parts(parted, (level, size), &codes, &make, &opts, &progress)?
        }
        _ => run_batch(&reporter, &codes, &opts, &progress)?,
    };
    drop(progress);
    made.write(&a.output)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let (ok, skipped, failed) =
        (summary.count(Outcome::Ok), summary.count(Outcome::Skipped), summary.count(Outcome::Failed));
    eprintln!(
        "{ok} factsheets gemaakt, {skipped} overgeslagen, {failed} mislukt in {} s ({} per seconde); index: {}; cijfers: {}",
        wijkmonitor::format::number(summary.elapsed.as_secs_f64(), 1),
        wijkmonitor::format::number((ok as f64) / summary.elapsed.as_secs_f64().max(1e-9), 1),
        a.output.join("index.csv").display(),
        a.output.join(wijkmonitor::batch::tables::XLSX_NAME).display()
    );
    for i in summary.items.iter().filter(|i| i.status == Outcome::Failed) {
        eprintln!("  mislukt: {} {}: {}", i.region, i.name, i.error.as_deref().unwrap_or(""));
    }
    let mut checked_wrong = false;
    if a.check {
        let with: Vec<&wijkmonitor::batch::Item> = summary.items.iter().filter(|i| !i.problems.is_empty()).collect();
        let problems: usize = with.iter().map(|i| i.problems.len()).sum();
        eprintln!(
            "controle: {problems} {} in {} factsheets; {} {} tussen factsheets ({} cijfers vergeleken)",
            if problems == 1 { "probleem" } else { "problemen" },
            with.len(),
            summary.conflicts.len(),
            if summary.conflicts.len() == 1 { "verschil" } else { "verschillen" },
            wijkmonitor::format::count(summary.compared as f64)
        );
        for i in &with {
            for p in &i.problems {
                eprintln!("  {} {}: {p}", i.region, i.name);
            }
        }
        for c in &summary.conflicts {
            eprintln!("  verschil: {c}");
        }
        checked_wrong = problems > 0 || !summary.conflicts.is_empty();
    }
    Ok(if failed > 0 || checked_wrong { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
