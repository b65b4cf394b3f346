//! Splitting a batch over machines and joining the parts: `--shard K/N` keeps every
//! N-th region of the sorted selection, starting at the K-th, so N CI jobs, Slurm array
//! tasks or Kubernetes indexed Jobs make disjoint parts that together are the whole; and
//! [`merge`] joins their `index` and `cijfers` files (and PDFs) into one folder whose
//! index and CSV are those of the batch made in one run.

use std::path::{Path, PathBuf};

use super::run::{write_index, Item, Summary};
use super::tables::{CSV_NAME, XLSX_NAME};
use crate::error::{Error, Location};
use crate::export::{TableRow, TableWorkbook, WorkbookInfo};

/// Part `k` of `n` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which part, 1 to `n`.
    pub k: usize,
    /// Of how many.
    pub n: usize,
}

impl Shard {
    /// Parses `2/4`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (k, n) = text.split_once('/').ok_or_else(|| format!("'{text}' is geen deel K/N, zoals 2/4"))?;
        let num = |s: &str| s.trim().parse::<usize>().map_err(|_| format!("'{s}' is geen geheel getal"));
        let (k, n) = (num(k)?, num(n)?);
        if n == 0 || k == 0 || k > n {
            return Err(format!("deel {k} van {n} bestaat niet; K loopt van 1 tot en met N"));
        }
        Ok(Shard { k, n })
    }

    /// The regions of this part: every `n`-th of the sorted `codes`, from the `k`-th.
    pub fn take(&self, codes: Vec<String>) -> Vec<String> {
        codes.into_iter().enumerate().filter(|(i, _)| i % self.n == self.k - 1).map(|(_, c)| c).collect()
    }
}

/// A row read back from a `cijfers.csv`: the CSV's `'` before formula-like text taken
/// off again, and what the CSV does not carry (the level, the theme's title, the
/// decimals, the sources as data) taken from the code and the catalogue, so the joined
/// workbook shows the figures as the parts' workbooks did.
fn restored(mut r: TableRow, cat: &crate::model::Catalogue) -> TableRow {
    let plain = |s: &mut String| {
        if s.starts_with('\'') && s[1..].starts_with(['=', '+', '-', '@', '\t', '\r']) {
            s.remove(0);
        }
    };
    for s in [&mut r.region, &mut r.region_name, &mut r.indicator, &mut r.label, &mut r.theme, &mut r.rating] {
        plain(s);
    }
    for s in [&mut r.rating_gemeente, &mut r.source, &mut r.nederland_computed].into_iter().flatten() {
        plain(s);
    }
    r.level = crate::model::region::code_level(&r.region).map(|l| l.noun()).unwrap_or("");
    r.theme_title = crate::model::catalogue::theme_title(&r.theme).to_string();
    r.decimals = cat.get(&r.indicator).map(|d| d.decimals).unwrap_or(1);
    r.sources = r
        .source
        .iter()
        .flat_map(|s| s.split("; "))
        .map(|id| crate::model::Source::new(id, id, crate::model::is_statline_id(id)))
        .collect();
    r
}

fn input(path: &Path, message: String, hint: &str) -> Error {
    Error::input(Location { file: path.to_path_buf(), ..Default::default() }, message, hint)
}

/// The file in a part folder that says how the part was made.
pub const PART_NAME: &str = "deel.json";

/// How a part of a batch was made, written beside its index ([`PART_NAME`]): parts made
/// with another date, `--kort`, year, templates, selection or number of shards do not
/// make one batch, and [`merge`] refuses to join them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartInfo {
    /// The wijkmonitor version.
    pub version: String,
    /// `K/N`, `1/1` for a batch without `--shard`.
    pub shard: String,
    /// How the regions were chosen (`alle wijken van GM0344`, a fingerprint of a list).
    pub selection: String,
    /// Regions of the whole selection, all shards together.
    pub regions: usize,
    /// The date on the pages.
    pub date: String,
    /// `--kort`.
    pub kort: bool,
    /// `--year`.
    pub year: Option<i32>,
    /// `--peers`.
    pub peers: usize,
    /// Fingerprint of the templates ([`crate::templates::Templates::fingerprint`]).
    pub templates: String,
    /// Made from the fictional demo data.
    pub demo: bool,
}

impl PartInfo {
    /// Writes the description into a part folder.
    pub fn write(&self, dir: &Path) -> crate::Result<()> {
        let json = serde_json::to_vec_pretty(self).expect("part info serialises");
        crate::paths::write_atomic(&dir.join(PART_NAME), &json)
    }

    fn read(dir: &Path) -> crate::Result<(PartInfo, Shard)> {
        let path = dir.join(PART_NAME);
        let text = read_small(&path, 1 << 20)?;
        let info: PartInfo = serde_json::from_slice(&text).map_err(|e| {
            input(&path, format!("geen beschrijving van een deel: {e}"), "maak dat deel opnieuw met `batch --shard`")
        })?;
        let shard = Shard::parse(&info.shard).map_err(|e| input(&path, e, "maak dat deel opnieuw"))?;
        Ok((info, shard))
    }

    /// The first setting in which `self` and `other` differ, in words.
    fn difference(&self, other: &PartInfo) -> Option<String> {
        let n = |s: &str| s.split_once('/').map(|(_, n)| n.to_string()).unwrap_or_default();
        let pairs = [
            ("versie", self.version.clone(), other.version.clone()),
            ("aantal delen (--shard K/N)", n(&self.shard), n(&other.shard)),
            ("selectie", self.selection.clone(), other.selection.clone()),
            ("aantal gebieden", self.regions.to_string(), other.regions.to_string()),
            ("--date", self.date.clone(), other.date.clone()),
            ("--kort", self.kort.to_string(), other.kort.to_string()),
            ("--year", format!("{:?}", self.year), format!("{:?}", other.year)),
            ("--peers", self.peers.to_string(), other.peers.to_string()),
            ("sjablonen (--templates)", self.templates.clone(), other.templates.clone()),
            ("--demo", self.demo.to_string(), other.demo.to_string()),
        ];
        pairs.into_iter().find(|(_, a, b)| a != b).map(|(what, a, b)| format!("{what}: {a} tegenover {b}"))
    }
}

/// Reads a file a part names, at most `limit` bytes (a part is untrusted input).
fn read_small(path: &Path, limit: u64) -> crate::Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(input(path, "geen gewoon bestand".into(), "maak dat deel opnieuw"));
    }
    let mut bytes = Vec::new();
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    f.take(limit + 1).read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(input(path, format!("groter dan {limit} bytes"), "maak dat deel opnieuw"));
    }
    Ok(bytes)
}

/// A file name from a part's index: a plain name inside its folder, never a path (a
/// part whose index named `../victim.txt` made the merge delete or overwrite that file).
fn plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!((parts.next(), parts.next()), (Some(std::path::Component::Normal(n)), None) if n == name)
        && !name.contains(['/', '\\'])
        && name.ends_with(".pdf")
}

/// What [`merge`] did.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    /// Regions in the joined index.
    pub regions: usize,
    /// Rows in the joined `cijfers.csv`.
    pub rows: usize,
    /// PDFs copied (or linked) into the output folder.
    pub pdfs: usize,
}

/// One part folder as [`merge`] read and checked it.
struct Part {
    items: Vec<Item>,
    rows: Vec<TableRow>,
    header: Option<csv::StringRecord>,
    /// (PDF in the part, its plain name).
    pdfs: Vec<(PathBuf, String)>,
}

/// Reads and checks one part: its index, its figures and every PDF the index lists as
/// made. Nothing in the part is trusted: names are plain names, PDFs regular and whole.
fn read_part(dir: &Path, catalogue: &crate::model::Catalogue) -> crate::Result<Part> {
    let index = dir.join("index.json");
    let text = read_small(&index, 256 << 20)?;
    let items: Vec<Item> = serde_json::from_slice(&text).map_err(|e| {
        input(&index, format!("geen index van wijkmonitor batch: {e}"), "geef de uitvoermappen van `batch --shard`")
    })?;
    let mut pdfs = Vec::new();
    for it in items.iter().filter(|it| !(it.file.is_empty() && it.status == super::Outcome::Failed)) {
        if !plain_name(&it.file) {
            return Err(input(
                &index,
                format!("{}: '{}' is geen bestandsnaam in de map van het deel", it.region, it.file.escape_debug()),
                "een deel noemt alleen PDF's in zijn eigen map; maak dat deel opnieuw",
            ));
        }
        if it.status == super::Outcome::Failed {
            continue;
        }
        let pdf = dir.join(&it.file);
        let regular = std::fs::symlink_metadata(&pdf).is_ok_and(|m| m.is_file());
        if !regular || !crate::paths::is_complete_pdf(&pdf) {
            return Err(input(
                &pdf,
                format!("{} staat in de index als gemaakt, maar de PDF ontbreekt of is niet compleet", it.region),
                "maak dat deel opnieuw (batch --shard K/N --skip-existing maakt alleen wat ontbreekt)",
            ));
        }
        pdfs.push((pdf, it.file.clone()));
    }
    let path = dir.join(CSV_NAME);
    let mut r = csv::Reader::from_path(&path).map_err(|e| {
        input(&path, format!("niet te lezen: {e}"), "maak dat deel opnieuw; de reeks schrijft cijfers.csv als laatste")
    })?;
    let h = r.headers().map_err(|e| input(&path, e.to_string(), "maak dat deel opnieuw"))?.clone();
    let mut rows = Vec::new();
    for (n, rec) in r.deserialize::<TableRow>().enumerate() {
        let row = rec.map_err(|e| input(&path, format!("regel {}: {e}", n + 2), "maak dat deel opnieuw"))?;
        rows.push(restored(row, catalogue));
    }
    // An empty part (a shard without regions) has no header.
    let header = (!h.is_empty()).then_some(h);
    Ok(Part { items, rows, header, pdfs })
}

/// Checks that the parts are one batch: made the same way, each shard once, none
/// missing.
fn check_parts(parts: &[PathBuf], out: &Path) -> crate::Result<()> {
    let mut first: Option<(PartInfo, &Path)> = None;
    let mut seen: Vec<Option<&Path>> = Vec::new();
    for dir in parts {
        let (info, shard) = PartInfo::read(dir)?;
        if let Some((f, at)) = &first {
            if let Some(d) = f.difference(&info) {
                return Err(input(
                    &dir.join(PART_NAME),
                    format!("dit deel is anders gemaakt dan {}: {d}", at.display()),
                    "voeg alleen delen samen die met dezelfde opdracht en --shard K/N van dezelfde N gemaakt zijn",
                ));
            }
        } else {
            seen = vec![None; shard.n];
        }
        if let Some(other) = seen[shard.k - 1] {
            return Err(input(
                out,
                format!("deel {} staat in meer dan één deel: {} en {}", info.shard, other.display(), dir.display()),
                "geef elk deel één keer, gemaakt met verschillende --shard K/N van dezelfde N",
            ));
        }
        seen[shard.k - 1] = Some(dir);
        first.get_or_insert((info, dir));
    }
    if let Some(k) = seen.iter().position(Option::is_none) {
        return Err(input(
            out,
            format!("deel {}/{} ontbreekt", k + 1, seen.len()),
            "geef de mappen van alle delen; een deel zonder gebieden heeft ook een map",
        ));
    }
    Ok(())
}

/// Joins the batch folders `parts` into `out`: `index.json`/`index.csv` and
/// `cijfers.csv` in region order (as one run makes them), `cijfers.xlsx` built from the
/// joined rows, and every PDF linked or copied beside them. Everything is read and
/// checked before anything is written: parts made differently ([`PartInfo`]), a shard
/// missing or given twice, a region in two parts, a name that is not a plain file name
/// or a listed PDF that is missing are errors, and nothing is written then.
pub fn merge(parts: &[PathBuf], out: &Path, info: WorkbookInfo) -> crate::Result<Merged> {
    check_parts(parts, out)?;
    let catalogue = crate::model::Catalogue::builtin();
    let mut items: Vec<Item> = Vec::new();
    let mut rows: Vec<(String, usize, TableRow)> = Vec::new();
    let mut header: Option<(csv::StringRecord, PathBuf)> = None;
    let mut pdfs: Vec<(PathBuf, String)> = Vec::new();
    for dir in parts {
        let part = read_part(dir, &catalogue)?;
        match (&header, part.header) {
            (Some((first, _)), Some(h)) if *first != h => {
                return Err(input(
                    &dir.join(CSV_NAME),
                    "andere kolommen dan de andere delen".into(),
                    "maak alle delen met dezelfde versie",
                ))
            }
            (None, Some(h)) => header = Some((h, dir.clone())),
            _ => {}
        }
        items.extend(part.items);
        pdfs.extend(part.pdfs);
        for row in part.rows {
            rows.push((row.region.clone(), rows.len(), row));
        }
    }
    items.sort_by(|a, b| a.region.cmp(&b.region));
    if let Some(w) = items.windows(2).find(|w| w[0].region == w[1].region) {
        return Err(input(
            out,
            format!("{} staat in meer dan één deel", w[0].region),
            "geef elk deel één keer, gemaakt met verschillende --shard K/N van dezelfde N",
        ));
    }
    // Region order, each region's rows as its part wrote them.
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let mut pdf_count = 0;
    for (from, name) in &pdfs {
        let to = out.join(name);
        if same_file(from, &to) {
            continue;
        }
        place(from, &to)?;
        pdf_count += 1;
    }
    let table: Vec<TableRow> = rows.into_iter().map(|(_, _, r)| r).collect();
    crate::paths::write_atomic(&out.join(CSV_NAME), &crate::export::csv_rows(&table))?;
    let mut book = TableWorkbook::new(info)?;
    book.add(&table)?;
    // Streamed into its temporary file, as a batch writes it (see `TableSink::finish`).
    let mut xlsx = crate::paths::AtomicFile::create(&out.join(XLSX_NAME))?;
    book.finish_into(&mut xlsx)?;
    xlsx.commit()?;
    let merged = Merged { regions: items.len(), rows: table.len(), pdfs: pdf_count };
    write_index(
        out,
        &Summary {
            items,
            timings: Default::default(),
            elapsed: Default::default(),
            conflicts: Vec::new(),
            compared: 0,
        },
    )?;
    Ok(merged)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Puts the PDF `from` at `to` whole or not at all: hard-linked, else copied, under a
/// temporary name in the target folder and renamed into place (a copy cut short by a
/// full disk left a truncated PDF in the output).
fn place(from: &Path, to: &Path) -> crate::Result<()> {
    let dir = to.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(crate::paths::TMP_PREFIX)
        .suffix(crate::paths::TMP_SUFFIX)
        .make_in(dir, |p| std::fs::hard_link(from, p));
    if let Ok(tmp) = tmp {
        return tmp.persist(to).map(|_| ()).map_err(|e| Error::io(to, e.error));
    }
    use std::io::Write;
    let mut file = crate::paths::AtomicFile::create(to)?;
    let mut src = std::fs::File::open(from).map_err(|e| Error::io(from, e))?;
    std::io::copy(&mut src, &mut file).map_err(|e| file.write_error(e))?;
    file.flush().map_err(|e| file.write_error(e))?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_disjoint_and_together_the_whole() {
        let codes: Vec<String> = (0..10).map(|i| format!("GM{i:04}")).collect();
        let parts: Vec<Vec<String>> = (1..=3).map(|k| Shard { k, n: 3 }.take(codes.clone())).collect();
        assert_eq!(parts[0], ["GM0000", "GM0003", "GM0006", "GM0009"]);
        let mut all: Vec<String> = parts.concat();
        all.sort();
        assert_eq!(all, codes);
        assert_eq!(Shard::parse("2/4"), Ok(Shard { k: 2, n: 4 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
