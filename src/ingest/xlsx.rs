//! Excel workbooks (`.xlsx`: the KWB as CBS publishes it, RIVM's health figures), read
//! with a bound on everything a small file can ask for. A workbook is a zip of XML, so
//! 2 KB can name a cell at XFD1048576 (a dense grid of 549 GB) and 2 MB can unpack to a
//! cell of 2 GiB. So this module
//!
//! - unpacks every part once into a counter before the reader sees it: a part may grow
//!   to at most [`MAX_RATIO`] times its packed size (above a floor) and the workbook to
//!   [`MAX_UNPACKED`], and no stretch of XML text may be longer than a cell may be;
//! - reads the sheet cell by cell (calamine's streaming reader), keeping the cells that
//!   are there, never a grid sized by the last address, and refuses a sheet whose
//!   table would be more than [`MAX_GRID`] cells;
//! - says per column where formulas have no stored result (as many tools save them),
//!   instead of dropping those figures without a word;
//! - names a damaged sheet, a bad shared string or a password-protected workbook as
//!   such, instead of "no sheet with a header".

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, XlsxError};

use super::table::{flavour_of, FormulaGap, Row, Table, MAX_FIELD};
use crate::error::{Error, Location};

/// The most bytes a workbook's parts may unpack to together.
pub const MAX_UNPACKED: u64 = 1 << 30;
/// How many times its packed size one part may unpack to (above `RATIO_FLOOR`): XML
/// packs about 10:1, a zip bomb 1000:1.
pub const MAX_RATIO: u64 = 100;
/// A part may always unpack to this many bytes, whatever its packed size.
const RATIO_FLOOR: u64 = 16 << 20;
/// The longest stretch of XML without a `<`: a cell's text, escaped (`&amp;` is five
/// bytes for one character), is at most this long.
const MAX_TEXT_RUN: u64 = 6 * MAX_FIELD as u64;
/// The most cells (rows × columns between the first and last filled column) a sheet's
/// table may have: the whole KWB is 17.000 rows of 120 columns, 2 million; a sheet of
/// 7,5 million small cells took 780 MB before it was refused at 20 million.
pub const MAX_GRID: usize = 5_000_000;

fn at(file: &Path) -> Location {
    Location { file: file.to_path_buf(), ..Default::default() }
}

fn unreadable(path: &Path, message: String) -> Error {
    Error::input(at(path), message, "sla het bestand opnieuw op als .xlsx, of exporteer het als CSV")
}

fn protected(path: &Path) -> Error {
    Error::input(
        at(path),
        "de werkmap is beveiligd met een wachtwoord (of is een oud Excel 97-2003-bestand), dus niet te lezen",
        "open het bestand in Excel, haal het wachtwoord weg (Bestand > Info > Werkmap beveiligen) en sla het op als .xlsx",
    )
}

/// Counts the bytes of one unpacked part and the longest stretch without a tag.
struct Counter {
    bytes: u64,
    run: u64,
    longest: u64,
    xml: bool,
}

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        if self.xml {
            for piece in buf.split_inclusive(|&b| b == b'<') {
                let ends_at_tag = piece.last() == Some(&b'<');
                self.run += piece.len() as u64 - ends_at_tag as u64;
                self.longest = self.longest.max(self.run);
                if ends_at_tag {
                    self.run = 0;
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Unpacks every part of the workbook into a [`Counter`], streaming (nothing is kept),
/// and refuses a part or a workbook past its bound before the reader unpacks it.
fn guard(path: &Path, bytes: &[u8]) -> crate::Result<()> {
    // An OLE compound file: Excel's encrypted package (or an old .xls renamed).
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(protected(path));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| unreadable(path, format!("geen leesbare Excel-werkmap (geen zip-archief of afgebroken): {e}")))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part =
            zip.by_index(i).map_err(|e| unreadable(path, format!("deel {} is niet te lezen: {e}", i + 1)))?;
        let name = part.name().to_string();
        let limit = part.compressed_size().saturating_mul(MAX_RATIO).max(RATIO_FLOOR).min(MAX_UNPACKED - total);
        let xml = name.ends_with(".xml") || name.ends_with(".rels");
        let mut counter = Counter { bytes: 0, run: 0, longest: 0, xml };
        std::io::copy(&mut (&mut part).take(limit + 1), &mut counter)
            .map_err(|e| unreadable(path, format!("{name} in de werkmap is beschadigd: {e}")))?;
        if counter.bytes > limit {
            return Err(Error::input(
                at(path),
                format!(
                    "{name} in de werkmap pakt uit tot meer dan {} MB (ingepakt {} kB); dat is geen gewone werkmap",
                    limit >> 20,
                    part.compressed_size() >> 10
                ),
                "lees alleen werkmappen in van CBS, RIVM of uw eigen organisatie; exporteer een grote tabel als CSV",
            ));
        }
        if counter.longest > MAX_TEXT_RUN {
            return Err(Error::input(
                at(path),
                format!("{name} in de werkmap heeft een cel van meer dan {MAX_FIELD} tekens; hooguit {MAX_FIELD} is toegestaan"),
                "controleer de werkmap",
            ));
        }
        total += counter.bytes;
    }
    Ok(())
}

/// The filled cells of one sheet by row (0-based), each row's cells with their column,
/// and the columns from the first to the last filled one.
struct Sheet {
    rows: BTreeMap<u32, Vec<(u32, Data)>>,
    cols: std::ops::RangeInclusive<u32>,
    /// Cells with a formula and no stored result: (row, column).
    unresolved: Vec<(u32, u32)>,
}

fn sheet_error(named: &Path, e: XlsxError) -> Error {
    Error::input(
        at(named),
        format!("het blad is niet te lezen: {e}"),
        "de werkmap is beschadigd of afgebroken; open en sla haar opnieuw op in Excel, of exporteer het blad als CSV",
    )
}

/// Reads one sheet cell by cell. `None` for a sheet that is no worksheet (a chart).
fn read_sheet<R: Read + std::io::Seek>(
    book: &mut calamine::Xlsx<R>,
    sheet: &str,
    named: &Path,
) -> crate::Result<Option<Sheet>> {
    let mut cells = match book.worksheet_cells_reader(sheet) {
        Ok(r) => r,
        Err(XlsxError::NotAWorksheet(_)) => return Ok(None),
        Err(e) => return Err(sheet_error(named, e)),
    };
    let mut rows: BTreeMap<u32, Vec<(u32, Data)>> = BTreeMap::new();
    let (mut first, mut last) = (u32::MAX, 0);
    while let Some(cell) = cells.next_cell().map_err(|e| sheet_error(named, e))? {
        let value = Data::from(cell.get_value().clone());
        if matches!(value, Data::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        (first, last) = (first.min(c), last.max(c));
        rows.entry(r).or_default().push((c, value));
        let width = (last - first) as usize + 1;
        if rows.len().saturating_mul(width) > MAX_GRID {
            return Err(Error::input(
                Location { file: named.to_path_buf(), line: Some(r as usize + 1), column: Some(c as usize + 1) },
                format!(
                    "het blad beslaat meer dan {} cellen ({} rijen met cellen, {width} kolommen breed)",
                    crate::format::number(MAX_GRID as f64, 0),
                    rows.len()
                ),
                "verwijder losse cellen ver buiten de tabel, of exporteer de tabel als CSV",
            ));
        }
    }
    drop(cells);
    if rows.is_empty() {
        return Ok(Some(Sheet { rows, cols: 0..=0, unresolved: Vec::new() }));
    }
    let mut unresolved = Vec::new();
    let mut formulas = book.worksheet_cells_reader(sheet).map_err(|e| sheet_error(named, e))?;
    while let Some(cell) = formulas.next_formula().map_err(|e| sheet_error(named, e))? {
        let (r, c) = cell.get_position();
        let has_value = rows.get(&r).is_some_and(|cells| cells.iter().any(|(k, _)| *k == c));
        if !cell.get_value().is_empty() && !has_value {
            unresolved.push((r, c));
            // A column of formulas only is still a column of the table.
            (first, last) = (first.min(c), last.max(c));
            if unresolved.len() > MAX_GRID || rows.len().saturating_mul((last - first) as usize + 1) > MAX_GRID {
                return Err(Error::input(
                    at(named),
                    format!("het blad beslaat meer dan {} cellen", crate::format::number(MAX_GRID as f64, 0)),
                    "verwijder losse cellen ver buiten de tabel, of exporteer de tabel als CSV",
                ));
            }
        }
    }
    Ok(Some(Sheet { rows, cols: first..=last, unresolved }))
}

fn text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Reads an Excel workbook (see the module header for its bounds): the first row with
/// two or more filled cells gives the headers, every row below it a row. Numbers are
/// written as Rust prints them (so a source description reads them like a plain CSV),
/// CBS's "." stays "." (secret). The table's path names the sheet, so an error reads
/// "kwb-2023.xlsx (blad KWB):12:5".
pub fn read_xlsx(path: &Path, bytes: &[u8]) -> crate::Result<Table> {
    guard(path, bytes)?;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| match e {
        XlsxError::Password => protected(path),
        e => unreadable(path, format!("geen leesbare Excel-werkmap: {e}")),
    })?;
    for sheet in book.sheet_names() {
        let named = PathBuf::from(format!("{} (blad {sheet})", path.display()));
        let Some(grid) = read_sheet(&mut book, &sheet, &named)? else { continue };
        let (first, width) = (*grid.cols.start(), (grid.cols.end() - grid.cols.start()) as usize + 1);
        let dense = |cells: &[(u32, Data)]| -> Vec<String> {
            let mut out = vec![String::new(); width];
            for (c, v) in cells {
                out[(c - first) as usize] = text(v);
            }
            out
        };
        let mut rows = grid.rows.iter();
        let Some((&h_row, header)) = rows.by_ref().find(|(_, cells)| cells.len() >= 2) else { continue };
        let headers: Vec<String> = dense(header).iter().map(|h| h.trim().to_string()).collect();
        let mut out = Vec::new();
        for (&r, cells) in rows {
            let cells = dense(cells);
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if let Some(k) = cells.iter().position(|c| c.len() > MAX_FIELD) {
                return Err(Error::input(
                    Location { file: named, line: Some(r as usize + 1), column: Some(k + 1) },
                    format!("een cel van {} bytes; hooguit {MAX_FIELD} is toegestaan", cells[k].len()),
                    "controleer de werkmap",
                ));
            }
            out.push(Row { line: r as usize + 1, cells, rings: None });
        }
        let formula_gaps = gaps(&grid.unresolved, h_row, first, width);
        let warnings = formula_gaps
            .iter()
            .map(|g| {
                format!(
                    "{}: kolom '{}': {} formulecel(len) zonder opgeslagen uitkomst (de eerste op regel {}); die cijfers ontbreken. \
                     Open de werkmap in Excel en sla haar op, dan worden de uitkomsten bewaard",
                    named.display(),
                    headers.get(g.column).map(String::as_str).unwrap_or("?"),
                    crate::format::number(g.cells as f64, 0),
                    g.first_line
                )
            })
            .collect();
        // A raw StatLine table saved as a workbook (RIVM's 50090NED) keeps its OData
        // keys; CBS's KWB workbook has plain short names.
        let flavour = flavour_of(&headers, true);
        return Ok(Table { path: named, headers, rows: out, flavour, warnings, formula_gaps });
    }
    Err(Error::input(
        at(path),
        "de werkmap heeft geen blad met een kopregel",
        "de eerste rij met twee of meer gevulde cellen hoort de kolomnamen te bevatten",
    ))
}

/// Formula cells without a result below the header row, per column of the table.
fn gaps(unresolved: &[(u32, u32)], header_row: u32, first: u32, width: usize) -> Vec<FormulaGap> {
    let mut per: BTreeMap<usize, FormulaGap> = BTreeMap::new();
    for &(r, c) in unresolved.iter().filter(|(r, c)| *r > header_row && *c >= first) {
        let column = (c - first) as usize;
        if column >= width {
            continue;
        }
        let g = per.entry(column).or_insert(FormulaGap { column, cells: 0, first_line: r as usize + 1 });
        g.cells += 1;
        g.first_line = g.first_line.min(r as usize + 1);
    }
    per.into_values().collect()
}
