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

/// Joins the batch folders `parts` into `out`: `index.json`/`index.csv` and
/// `cijfers.csv` in region order (as one run makes them), `cijfers.xlsx` built from the
/// joined rows, and every PDF linked or copied beside them. A region in two parts, or a
/// part without its index, is an error; nothing is written then.
pub fn merge(parts: &[PathBuf], out: &Path, info: WorkbookInfo) -> crate::Result<Merged> {
    let mut items: Vec<Item> = Vec::new();
    let mut rows: Vec<(String, usize, TableRow)> = Vec::new();
    let mut header: Option<csv::StringRecord> = None;
    let mut pdfs: Vec<(PathBuf, String)> = Vec::new();
    let catalogue = crate::model::Catalogue::builtin();
    for dir in parts {
        let index = dir.join("index.json");
        let text = std::fs::read(&index).map_err(|e| Error::io(&index, e))?;
        let part: Vec<Item> = serde_json::from_slice(&text).map_err(|e| {
            input(&index, format!("geen index van wijkmonitor batch: {e}"), "geef de uitvoermappen van `batch --shard`")
        })?;
        for it in &part {
            if !it.file.is_empty() {
                pdfs.push((dir.join(&it.file), it.file.clone()));
            }
        }
        items.extend(part);
        let path = dir.join(CSV_NAME);
        let mut r = csv::Reader::from_path(&path).map_err(|e| {
            input(
                &path,
                format!("niet te lezen: {e}"),
                "maak dat deel opnieuw; de reeks schrijft cijfers.csv als laatste",
            )
        })?;
        let h = r.headers().map_err(|e| input(&path, e.to_string(), "maak dat deel opnieuw"))?.clone();
        match &header {
            Some(first) if *first != h => {
                return Err(input(
                    &path,
                    "andere kolommen dan de andere delen".into(),
                    "maak alle delen met dezelfde versie",
                ))
            }
            None => header = Some(h.clone()),
            _ => {}
        }
        for (n, rec) in r.deserialize::<TableRow>().enumerate() {
            let row = rec.map_err(|e| input(&path, format!("regel {}: {e}", n + 2), "maak dat deel opnieuw"))?;
            let row = restored(row, &catalogue);
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
        if from == &to || !from.exists() {
            continue;
        }
        let _ = std::fs::remove_file(&to);
        if std::fs::hard_link(from, &to).is_err() {
            std::fs::copy(from, &to).map_err(|e| Error::io(&to, e))?;
        }
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
