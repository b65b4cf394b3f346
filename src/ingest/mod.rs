//! Ingest: reads the files a user has (or downloaded) and turns them into figures and
//! registry entries. Files and folders are expanded, every file is read into a
//! [`table::Table`], recognised by a source description ([`spec`]) or as the tidy CSV
//! format ([`tidy`]), and the result is merged into the store's content with the
//! newer-source-wins rule. Nothing is written here: the caller commits the merged data
//! to the store in one atomic step, so a failed import changes nothing.

pub mod cell;
pub mod colref;
pub mod download;
pub mod extract;
pub mod merge;
mod names;
pub mod spec;
pub mod table;
pub mod tidy;
pub mod xlsx;

use std::path::{Path, PathBuf};

use crate::error::{Error, Location};
use crate::model::{Catalogue, Registry};
use crate::store::StoreData;
pub use merge::{merge, MergeReport};
use spec::SourceSpec;
use table::Table;

/// What happened to one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file.
    pub path: PathBuf,
    /// Source id it was read as (empty when skipped).
    pub source: String,
    /// Figures read.
    pub observations: usize,
    /// Registry entries read.
    pub regions: usize,
    /// Outlines read (for the maps).
    pub outlines: usize,
    /// Why it was skipped, if it was.
    pub skipped: Option<String>,
}

/// The result of an import.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Per file.
    pub files: Vec<FileReport>,
    /// Merge counts.
    pub merge: MergeReport,
    /// Warnings.
    pub warnings: Vec<String>,
}

/// File endings that never hold figures (shapefile side files, R data, notes).
const NOT_DATA: &[&str] = &["prj", "cpg", "shx", "shp", "rda", "md", "txt", "qmd", "sbn", "sbx", "xml", "zip"];

/// Files to read: (file, named explicitly, index of the argument it came from), and
/// what was passed over in folders (not a regular file: a pipe, a socket, a device, a
/// link that leads nowhere or back into a folder already read) with the reason.
type Expanded = (Vec<(PathBuf, bool, usize)>, Vec<(PathBuf, String)>);

fn expand(paths: &[PathBuf]) -> crate::Result<Expanded> {
    let mut out = Vec::new();
    let mut passed = Vec::new();
    for (arg, p) in paths.iter().enumerate() {
        let at = Location { file: p.clone(), ..Default::default() };
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                let (what, hint) = match (std::fs::symlink_metadata(p), e.raw_os_error()) {
                    (Ok(_), Some(40)) => (
                        "een symbolische koppeling die naar zichzelf terugwijst",
                        "wijs het bestand of de map zelf aan",
                    ),
                    (Ok(_), _) => {
                        ("een symbolische koppeling naar iets dat niet bestaat", "wijs het bestand of de map zelf aan")
                    }
                    _ => ("dat bestand of die map bestaat niet", "controleer het pad"),
                };
                return Err(Error::input(at, what, hint));
            }
        };
        if meta.is_dir() {
            let mut files = Vec::new();
            let mut seen = std::collections::HashSet::new();
            walk(p, &mut files, &mut passed, &mut seen).map_err(|e| Error::io(p, e))?;
            files.sort();
            out.extend(files.into_iter().map(|f| (f, false, arg)));
        } else if meta.is_file() {
            out.push((p.clone(), true, arg));
        } else {
            return Err(Error::input(
                at,
                format!("dit is {}, geen bestand", special_kind(&meta)),
                "schrijf de gegevens naar een bestand en lees dat in",
            ));
        }
    }
    passed.sort();
    Ok((out, passed))
}

/// What kind of special file this is, in words.
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "een benoemde pijp (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = meta;
    "een speciaal bestand"
}

/// Collects the regular files below `dir`, following links to folders once (a link
/// back to a folder already read is passed over, so a loop cannot recurse forever).
fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    passed: &mut Vec<(PathBuf, String)>,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> std::io::Result<()> {
    if !seen.insert(dir.canonicalize()?) {
        passed.push((dir.to_path_buf(), "een koppeling terug naar een map die al gelezen is".into()));
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, out, passed, seen)?,
            Ok(m) if m.is_file() => out.push(p),
            Ok(m) => passed.push((p, format!("{}, geen bestand", special_kind(&m)))),
            Err(_) => passed.push((p, "een symbolische koppeling die nergens heen leidt".into())),
        }
    }
    Ok(())
}

enum Read {
    Table(Table),
    Tidy(Vec<tidy::TidyRow>),
    Skip(String),
}

fn read_file(path: &Path) -> crate::Result<Read> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if NOT_DATA.contains(&ext.as_str()) {
        return Ok(Read::Skip("geen gegevensbestand".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    match ext.as_str() {
        "csv" | "tsv" => {
            let t = table::read_csv(path, &bytes)?;
            if tidy::is_tidy(&t) {
                Ok(Read::Tidy(tidy::parse(&t)?))
            } else {
                Ok(Read::Table(t))
            }
        }
        "dbf" => Ok(Read::Table(table::read_dbf(path, &bytes)?)),
        "xlsx" => Ok(Read::Table(table::read_xlsx(path, &bytes)?)),
        "json" | "geojson" => {
            let at = |line, column| Location { file: path.into(), line, column };
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                return Err(Error::input(at(None, None), "het bestand is leeg", "download het bestand opnieuw"));
            }
            let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
                Error::input(
                    at(Some(e.line()), Some(e.column())),
                    format!("geen geldige JSON: {e}"),
                    "het bestand is misschien afgebroken; download het opnieuw",
                )
            })?;
            if let Some(t) = table::read_geojson(path, &v)? {
                return Ok(Read::Table(t));
            }
            if let Some(t) = table::read_odata_json(path, &v) {
                return Ok(Read::Table(t));
            }
            let is_meta = v
                .get("value")
                .or(Some(&v))
                .and_then(|a| a.as_array())
                .and_then(|a| a.first())
                .is_some_and(|o| o.get("Key").is_some() || o.get("Identifier").is_some());
            if is_meta {
                return Ok(Read::Skip("StatLine-metadata (kolombeschrijvingen), geen cijfers".into()));
            }
            Ok(Read::Skip("JSON zonder features of OData-lijst 'value'".into()))
        }
        _ => Ok(Read::Skip("onbekend bestandstype".into())),
    }
}

/// Imports files and folders into `data` (in memory). Explicitly named files must be
/// recognised; in folders, unrecognised files are skipped and reported. Fails when a
/// folder holds no CBS file at all.
pub fn import(
    paths: &[PathBuf],
    data: &mut StoreData,
    specs: &[SourceSpec],
    catalogue: &Catalogue,
) -> crate::Result<ImportReport> {
    let (files, passed) = expand(paths)?;
    let mut report = ImportReport::default();
    report.files.extend(passed.into_iter().map(|(path, why)| FileReport::skipped(path, why)));
    let Recognised { mut tables, tidies } = recognise(paths, &files, specs, &mut report)?;
    // Region lists first, so names in the other tables resolve against them.
    // Lists with codes before lists with only names, which resolve against them.
    tables.sort_by_key(|(t, s)| (!s.defines_regions(), s.region.code.as_ref().and_then(|c| c.resolve(t)).is_none()));
    let mut incoming = Vec::new();
    // The registry changes only after a region-defining table; rebuild it only then.
    let mut registry = Registry::new(data.regions.clone());
    for (t, s) in &tables {
        let ex = extract::extract(s, t, &registry, catalogue)?;
        check_indicators(&ex, s, catalogue)?;
        report.files.push(FileReport {
            path: t.path.clone(),
            source: s.id.clone(),
            observations: ex.observations.len(),
            regions: ex.regions.len(),
            outlines: ex.geometry.len(),
            skipped: None,
        });
        report.warnings.extend(ex.warnings);
        add_regions_and_outlines(data, ex.regions, ex.geometry);
        incoming.extend(ex.observations);
        if s.defines_regions() {
            registry = Registry::new(data.regions.clone());
        }
    }
    for (path, rows) in tidies {
        let obs = tidy::to_observations(&path, rows, &registry, catalogue)?;
        report.files.push(FileReport {
            path: path.clone(),
            source: "tidy".into(),
            observations: obs.len(),
            regions: 0,
            outlines: 0,
            skipped: None,
        });
        incoming.extend(obs);
    }
    report.merge = merge(&mut data.observations, incoming);
    record_imports(data, &report);
    Ok(report)
}

impl FileReport {
    /// A file passed over, and why.
    fn skipped(path: PathBuf, why: String) -> FileReport {
        FileReport { path, source: String::new(), observations: 0, regions: 0, outlines: 0, skipped: Some(why) }
    }
}

/// The files an import reads: tables with the description that recognised them, and
/// files in the tidy format.
struct Recognised<'s> {
    tables: Vec<(Table, &'s SourceSpec)>,
    tidies: Vec<(PathBuf, Vec<tidy::TidyRow>)>,
}

/// Reads every file and recognises it. A file named explicitly that cannot be read or
/// recognised is an error; one in a folder is reported as skipped. A folder (or file)
/// argument without any recognised file is an error.
fn recognise<'s>(
    paths: &[PathBuf],
    files: &[(PathBuf, bool, usize)],
    specs: &'s [SourceSpec],
    report: &mut ImportReport,
) -> crate::Result<Recognised<'s>> {
    let mut out = Recognised { tables: Vec::new(), tidies: Vec::new() };
    let mut found = vec![false; paths.len()];
    for (path, explicit, arg) in files {
        match read_file(path)? {
            Read::Skip(why) => {
                if *explicit {
                    return Err(Error::input(Location { file: path.clone(), ..Default::default() }, format!("dit bestand is niet in te lezen: {why}"), "wijkmonitor leest CBS StatLine CSV/JSON, de CSV-export van de StatLine-website, wijk- en buurtkaart .dbf/.geojson en het nette CSV-formaat (zie docs/data.md)"));
                }
                report.files.push(FileReport::skipped(path.clone(), why));
            }
            Read::Tidy(rows) => {
                found[*arg] = true;
                out.tidies.push((path.clone(), rows))
            }
            Read::Table(t) => match specs.iter().find(|s| s.detects(&t)) {
                Some(s) => {
                    found[*arg] = true;
                    out.tables.push((t, s))
                }
                None => {
                    let why = format!(
                        "de kolommen passen bij geen enkele bronbeschrijving ({})",
                        t.headers.iter().take(6).cloned().collect::<Vec<_>>().join(", ")
                    );
                    if *explicit {
                        return Err(Error::input(
                            t.at(Some(1), None),
                            format!("onbekende tabelindeling: {why}"),
                            "voeg een beschrijving toe in data/sources/ (zie docs/data.md), of zet de cijfers om naar het nette CSV-formaat region,year,group,indicator,value",
                        ));
                    }
                    report.files.push(FileReport::skipped(path.clone(), why));
                }
            },
        }
    }
    if let Some(i) = found.iter().position(|f| !f) {
        return Err(Error::input(
            Location { file: paths[i].clone(), ..Default::default() },
            "geen CBS-bestanden gevonden in deze map".to_string(),
            "wijs StatLine CSV/JSON-bestanden, wijk- en buurtkaartbestanden of nette CSV-bestanden aan; `wijkmonitor data download` haalt ze op bij CBS",
        ));
    }
    Ok(out)
}

/// A description that gives an indicator the catalogue does not have is a mistake in
/// the descriptions, said as such.
fn check_indicators(ex: &spec::Extract, s: &SourceSpec, catalogue: &Catalogue) -> crate::Result<()> {
    for o in &ex.observations {
        if catalogue.get(&o.indicator).is_none() && !crate::model::is_beside(&o.indicator) {
            return Err(Error::Config {
                at: Location { file: format!("data/sources ({})", s.id).into(), ..Default::default() },
                message: format!("bron {} levert de onbekende indicator '{}'", s.id, o.indicator),
                hint: "voeg de indicator toe aan data/indicators.toml of verbeter de bronbeschrijving".into(),
            });
        }
    }
    Ok(())
}

/// Adds a table's registry entries (each code, year and name once, in order) and its
/// outlines (a newer outline of a region and year replaces the older).
fn add_regions_and_outlines(
    data: &mut StoreData,
    regions: Vec<crate::model::Region>,
    geometry: Vec<crate::model::Geometry>,
) {
    data.regions.extend(regions);
    data.regions.sort_by(|a, b| a.code.cmp(&b.code).then(a.year.cmp(&b.year)).then(a.name.cmp(&b.name)));
    data.regions.dedup_by(|a, b| a.code == b.code && a.year == b.year && a.name == b.name);
    for g in geometry {
        data.geometry.retain(|x| !(x.code == g.code && x.year == g.year));
        data.geometry.push(g);
    }
}

/// Notes every file read in the store's import list (a file read again replaces its
/// earlier record).
fn record_imports(data: &mut StoreData, report: &ImportReport) {
    for f in report.files.iter().filter(|f| f.skipped.is_none()) {
        data.imports.retain(|r| r.file != f.path.display().to_string());
        data.imports.push(crate::store::ImportRecord {
            file: f.path.display().to_string(),
            source: f.source.clone(),
            observations: f.observations,
        });
    }
}

/// The demo dataset shipped in `data/demo/` (fictional Voorbeeldstad, in real CBS
/// formats), imported into a fresh in-memory store. Goes through the same readers as a
/// user's files, so the demo also exercises the import.
pub fn demo_store(catalogue: &Catalogue) -> crate::Result<StoreData> {
    let dir = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    if crate::paths::embedded::DEMO.is_empty() {
        return Err(Error::Store {
            message: "deze versie van wijkmonitor heeft geen demogegevens".into(),
            hint: "bouw wijkmonitor uit een kopie van de broncode met data/demo/".into(),
        });
    }
    for (name, bytes) in crate::paths::embedded::DEMO {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    }
    let mut data = StoreData::default();
    import(&[dir.path().to_path_buf()], &mut data, &spec::builtin_specs(), catalogue)?;
    Ok(data)
}
