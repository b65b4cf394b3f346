//! The figures of a whole batch in one table beside the PDFs: `cijfers.csv` (the rows of
//! `wijkmonitor table`, one region after another) and `cijfers.xlsx` (the same rows, an
//! overview with a line per region, and an explanation sheet). Workers finish regions in
//! any order; the sink writes them in selection order as soon as the next one is in, so
//! a batch of every wijk of the country streams its rows instead of holding them, and the
//! same selection gives the same bytes. Both files appear only when complete.

use std::collections::BTreeMap;
use std::path::Path;

use crate::export::{TableRow, TableWorkbook, WorkbookInfo};
use crate::paths::AtomicFile;

/// File names inside the output folder.
pub const CSV_NAME: &str = "cijfers.csv";
/// See [`CSV_NAME`].
pub const XLSX_NAME: &str = "cijfers.xlsx";

/// Collects rows per selection index and writes them out in order.
pub struct TableSink {
    next: usize,
    pending: BTreeMap<usize, Vec<TableRow>>,
    csv: csv::Writer<AtomicFile>,
    book: TableWorkbook,
    dir: std::path::PathBuf,
    error: Option<crate::Error>,
}

impl TableSink {
    /// Opens the CSV (a temporary file in `dir`) and starts the workbook.
    pub fn create(dir: &Path, info: WorkbookInfo) -> crate::Result<Self> {
        let csv = csv::Writer::from_writer(AtomicFile::create(&dir.join(CSV_NAME))?);
        Ok(TableSink {
            next: 0,
            pending: BTreeMap::new(),
            csv,
            book: TableWorkbook::new(info)?,
            dir: dir.to_path_buf(),
            error: None,
        })
    }

    /// Hands in the rows of selection item `k` (empty for a region that failed). Every
    /// index from 0 must be handed in exactly once.
    pub fn put(&mut self, k: usize, rows: Vec<TableRow>) {
        self.pending.insert(k, rows);
        while let Some(rows) = self.pending.remove(&self.next) {
            self.next += 1;
            if self.error.is_none() {
                self.error = self.write(&rows).err();
            }
        }
    }

    fn write(&mut self, rows: &[TableRow]) -> crate::Result<()> {
        for r in rows {
            self.csv.serialize(crate::export::csv::inert_row(r)).map_err(|e| crate::Error::Export {
                message: format!("{CSV_NAME}: {e}"),
                hint: "controleer de vrije schijfruimte van de uitvoermap".into(),
            })?;
        }
        self.book.add(rows)
    }

    /// Writes both files into place.
    pub fn finish(mut self) -> crate::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let file = self.csv.into_inner().map_err(|e| crate::Error::Export {
            message: format!("{CSV_NAME}: {}", e.error()),
            hint: "controleer de vrije schijfruimte van de uitvoermap".into(),
        })?;
        // Written straight into its temporary file, not built in memory first.
        let mut xlsx = AtomicFile::create(&self.dir.join(XLSX_NAME))?;
        self.book.finish_into(&mut xlsx)?;
        file.commit()?;
        xlsx.commit()
    }
}

/// The title of a batch workbook: "Cijfers van 12 wijken".
pub fn title(levels: &[&str]) -> String {
    let n = levels.len();
    let mut kinds: Vec<&str> = levels.to_vec();
    kinds.sort();
    kinds.dedup();
    let noun = match kinds.as_slice() {
        ["gemeente"] => {
            if n == 1 {
                "gemeente"
            } else {
                "gemeenten"
            }
        }
        ["wijk"] => {
            if n == 1 {
                "wijk"
            } else {
                "wijken"
            }
        }
        ["buurt"] => {
            if n == 1 {
                "buurt"
            } else {
                "buurten"
            }
        }
        _ => "gebieden",
    };
    format!("Cijfers van {n} {noun}")
}
