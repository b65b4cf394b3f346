//! Readers that turn every supported CBS file format into one shape, a [`Table`]:
//! header names plus rows of text cells (and, for map files, an outline per row). The
//! mapping engine ([`super::spec`]) then works the same way on all of them.
//!
//! Formats: StatLine OData TypedDataSet as `;`-CSV or JSON, the StatLine website's CSV
//! export ("CSV met statistische symbolen"), dBASE attribute tables of the wijk- en
//! buurtkaart, GeoJSON (WGS84 or RD New) and plain CSV (tidy or columnar).

use std::path::{Path, PathBuf};

use crate::error::{Error, Location};
use crate::model::Geometry;

/// How the file was written, which decides how headers and numbers are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// OData keys as headers (`AantalInwoners_5`), `.` decimal.
    OData,
    /// StatLine website export: labelled headers, decimal comma.
    Web,
    /// Field names as they are (dBASE, GeoJSON, plain CSV), `.` decimal.
    Plain,
}

/// One data row.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line in the file (feature or record number for non-text formats).
    pub line: usize,
    /// Cells in header order.
    pub cells: Vec<String>,
    /// Outline, for map files.
    pub rings: Option<Vec<Vec<[f64; 2]>>>,
}

/// A file read into headers and rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file.
    pub path: PathBuf,
    /// Header names.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Row>,
    /// How to read headers and numbers.
    pub flavour: Flavour,
    /// What the reader left out and why (a feature with a broken outline …).
    pub warnings: Vec<String>,
    /// Columns of a workbook with formulas that have no stored result.
    pub formula_gaps: Vec<FormulaGap>,
}

/// A column of a workbook whose formulas have no stored result (a file written by a
/// tool that does not calculate): those cells read as empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaGap {
    /// Column index in the table's headers.
    pub column: usize,
    /// Formula cells without a result.
    pub cells: usize,
    /// The first of them.
    pub first_line: usize,
}

impl Table {
    /// A location in this file.
    pub fn at(&self, line: Option<usize>, column: Option<usize>) -> Location {
        Location { file: self.path.clone(), line, column }
    }
}

/// UTF-16 by its byte-order mark, or without one by its zero bytes: ASCII text in
/// UTF-16 has a zero in every other byte (odd positions little-endian, even ones
/// big-endian).
fn utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(encoding_rs::UTF_16LE);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some(encoding_rs::UTF_16BE);
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    if zeros(1) * 10 >= pairs * 9 && zeros(0) * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if zeros(0) * 10 >= pairs * 9 && zeros(1) * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

fn decode_text(path: &Path, bytes: &[u8]) -> crate::Result<String> {
    if let Some(enc) = utf16(bytes) {
        let (s, _, bad) = enc.decode(bytes);
        if !bad {
            return Ok(s.into_owned());
        }
    }
    if bytes.contains(&0) {
        return Err(Error::input(
            Location { file: path.into(), ..Default::default() },
            "het bestand bevat binaire gegevens, geen tekst",
            "is dit een CSV-bestand? Exporteer de tabel opnieuw uit StatLine als 'CSV'",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            // Older StatLine exports are Windows-1252.
            let (s, _, bad) = encoding_rs::WINDOWS_1252.decode(bytes);
            if bad {
                return Err(Error::input(
                    Location { file: path.into(), ..Default::default() },
                    "het bestand is geen tekst in UTF-8 of Windows-1252",
                    "is dit een CSV-bestand? Exporteer de tabel opnieuw uit StatLine als 'CSV'",
                ));
            }
            Ok(s.into_owned())
        }
    }
}

/// Counts lines up to a byte offset, incrementally (records come in order, so the whole
/// file is scanned once).
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The 1-based line of the record starting at `byte`, skipping a leftover line break.
    fn at(&mut self, mut byte: usize) -> usize {
        while byte < self.text.len() && (self.text[byte] == b'\r' || self.text[byte] == b'\n') {
            byte += 1;
        }
        let byte = byte.min(self.text.len());
        if byte < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.text[self.pos..byte].iter().filter(|&&b| b == b'\n').count();
        self.pos = byte;
        self.line
    }
}

/// Reads a CSV file: detects the separator (`;`, `,` or tab), and whether it is an
/// OData dump, a StatLine website export or a plain CSV.
pub fn read_csv(path: &Path, bytes: &[u8]) -> crate::Result<Table> {
    let text = decode_text(path, bytes)?;
    let at = |line: Option<usize>, col: Option<usize>| Location { file: path.into(), line, column: col };
    if text.trim().is_empty() {
        return Err(Error::input(at(None, None), "het bestand is leeg", "download of exporteer de tabel opnieuw"));
    }
    let first = text.lines().next().unwrap_or_default();
    let sep = [b';', b',', b'\t'].into_iter().max_by_key(|s| first.bytes().filter(|b| b == s).count()).unwrap();
    let mut reader =
        csv::ReaderBuilder::new().delimiter(sep).has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            Error::input(
                at(Some(1), None),
                format!("de kopregel is niet te lezen: {e}"),
                "controleer of het bestand CSV is",
            )
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.len() < 2 {
        return Err(Error::input(
            at(Some(1), None),
            "de kopregel heeft maar één kolom: het scheidingsteken is geen ';', ',' of tab",
            "CBS-bestanden hebben ';' tussen de kolommen; exporteer de tabel opnieuw als CSV",
        ));
    }
    let mut rows = Vec::new();
    let mut lines = LineCounter { text: text.as_bytes(), pos: 0, line: 1 };
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize);
            Error::input(
                at(line, None),
                format!("de regel is niet te lezen: {e}"),
                "het bestand is misschien beschadigd of afgebroken; download het opnieuw",
            )
        })?;
        // The csv crate counts a CRLF record's line before its '\n'; count lines from
        // the byte offset instead, skipping the leftover line break.
        let line = rec.position().map(|p| lines.at(p.byte() as usize)).unwrap_or(0);
        if rec.len() == 1 && rec.get(0).is_some_and(|c| c.trim().is_empty()) {
            continue;
        }
        if let Some(k) = rec.iter().position(|c| c.len() > MAX_FIELD) {
            return Err(Error::input(
                at(Some(line), Some(k + 1)),
                format!("een veld van {} bytes; hooguit {MAX_FIELD} is toegestaan", rec.get(k).map_or(0, str::len)),
                "er ontbreekt misschien een aanhalingsteken, waardoor de rest van het bestand in één veld belandde; controleer het bestand",
            ));
        }
        if rec.len() != headers.len() {
            return Err(Error::input(
                at(Some(line), Some(rec.len().min(headers.len()) + 1)),
                format!("de regel heeft {} velden, de kopregel {}", rec.len(), headers.len()),
                if rec.len() < headers.len() {
                    "het bestand lijkt hier afgebroken of gebruikt een ander scheidingsteken; download het opnieuw"
                } else {
                    "een waarde bevat het scheidingsteken zonder aanhalingstekens; exporteer de tabel opnieuw"
                },
            ));
        }
        rows.push(Row { line, cells: rec.iter().map(|c| c.to_string()).collect(), rings: None });
    }
    let flavour = flavour_of(&headers, sep == b';');
    Ok(Table { path: path.into(), headers, rows, flavour, warnings: Vec::new(), formula_gaps: Vec::new() })
}

/// How a table's headers are written: OData keys (`ID` and `AantalInwoners_5`), the
/// StatLine website's label paths (only where the export can be one: `;`-separated text
/// or a workbook), or plain names.
pub(crate) fn flavour_of(headers: &[String], web_possible: bool) -> Flavour {
    let odata = headers.iter().any(|h| h == "ID") && headers.iter().any(|h| split_key(h).1.is_some());
    let web = web_possible && headers.iter().any(|h| h.contains('/') || h.ends_with(')'));
    if odata {
        Flavour::OData
    } else if web {
        Flavour::Web
    } else {
        Flavour::Plain
    }
}

/// Splits an OData measure key into stem and numeric suffix: `AantalInwoners_5` →
/// (`AantalInwoners`, Some(5)).
pub fn split_key(h: &str) -> (&str, Option<u32>) {
    if let Some((stem, n)) = h.rsplit_once('_') {
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !stem.is_empty() {
            return (stem, n.parse().ok());
        }
    }
    (h, None)
}

/// Reads an OData TypedDataSet response saved as JSON (`{"value": [...]}`, or a bare
/// array of row objects).
pub fn read_odata_json(path: &Path, v: &serde_json::Value) -> Option<Table> {
    let rows = v.get("value").and_then(|x| x.as_array()).or_else(|| v.as_array())?;
    let first = rows.first()?.as_object()?;
    let mut headers: Vec<String> = first.keys().cloned().collect();
    // JSON objects do not keep their key order here; the OData key suffix is the
    // column's position in the table, and `#n` references (the n-th `Bijstandsuitkering`)
    // depend on it. Dimensions (no suffix) first.
    headers.sort_by_key(|h| split_key(h).1.unwrap_or(0));
    if !headers.iter().any(|h| split_key(h).1.is_some()) {
        return None;
    }
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Row { line: i + 1, cells: headers.iter().map(|h| json_cell(r.get(h))).collect(), rings: None })
        .collect();
    Some(Table {
        path: path.into(),
        headers,
        rows,
        flavour: Flavour::OData,
        warnings: Vec::new(),
        formula_gaps: Vec::new(),
    })
}

fn json_cell(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Bool(b)) => b.to_string(),
        Some(other) => other.to_string(),
    }
}

/// Reads a GeoJSON FeatureCollection: properties become columns, geometry becomes
/// outlines in WGS84 (RD New, EPSG:28992, is converted).
pub fn read_geojson(path: &Path, v: &serde_json::Value) -> crate::Result<Option<Table>> {
    let Some(features) = v.get("features").and_then(|f| f.as_array()) else { return Ok(None) };
    let crs = v.pointer("/crs/properties/name").and_then(|n| n.as_str()).unwrap_or("");
    let mut rd = crs.contains("28992");
    let mut headers: Vec<String> = Vec::new();
    for f in features {
        if let Some(p) = f.get("properties").and_then(|p| p.as_object()) {
            for k in p.keys() {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
    }
    // Guess RD coordinates when no crs member says so: values far outside lon/lat range.
    if !rd {
        if let Some(c) = features.iter().find_map(|f| first_coord(f.get("geometry")?)) {
            rd = c[0].abs() > 180.0 || c[1].abs() > 90.0;
        }
    }
    let mut warnings = Vec::new();
    let rows = features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let props = f.get("properties");
            let cells = headers.iter().map(|h| json_cell(props.and_then(|p| p.get(h)))).collect();
            let name = || {
                ["statcode", "cbsCode", "gemeentecode", "wijkcode", "buurtcode", "code", "statnaam", "naam"]
                    .iter()
                    .find_map(|k| props?.get(*k)?.as_str().map(crate::model::region::shown))
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            };
            let rings = match outer_rings(f.get("geometry"), rd) {
                Ok(mut r) => {
                    if let Some(n) = r.iter().map(Vec::len).filter(|&n| n > MAX_RING_POINTS).max() {
                        r.iter_mut().for_each(thin_ring);
                        warnings.push(format!(
                            "{}: object {}{}: een ring van {} punten is voor de kaarten teruggebracht tot {} punten",
                            path.display(),
                            i + 1,
                            name(),
                            crate::format::number(n as f64, 0),
                            crate::format::number(MAX_RING_POINTS as f64, 0),
                        ));
                    }
                    Some(r)
                }
                Err(why) => {
                    warnings.push(format!(
                        "{}: object {}{}: {why}; de omtrek blijft weg (de cijfers blijven)",
                        path.display(),
                        i + 1,
                        name()
                    ));
                    None
                }
            };
            Row { line: i + 1, cells, rings }
        })
        .collect();
    Ok(Some(Table { path: path.into(), headers, rows, flavour: Flavour::Plain, warnings, formula_gaps: Vec::new() }))
}

/// The most points a ring keeps for the maps. The outline simplification
/// (Douglas–Peucker) takes time quadratic in the points of a ring in the worst case: a
/// ring of 100.000 points took 25 s at import and again in every factsheet. The real
/// outlines have at most about 1.500; a longer ring keeps every k-th point.
pub const MAX_RING_POINTS: usize = 10_000;

/// Keeps every k-th point of a ring longer than [`MAX_RING_POINTS`] (and its last).
fn thin_ring(ring: &mut Vec<[f64; 2]>) {
    if ring.len() <= MAX_RING_POINTS {
        return;
    }
    let step = ring.len().div_ceil(MAX_RING_POINTS - 1);
    let last = *ring.last().expect("a long ring has points");
    let mut kept: Vec<[f64; 2]> = ring.iter().step_by(step).copied().collect();
    kept.push(last);
    *ring = kept;
}

fn first_coord(g: &serde_json::Value) -> Option<[f64; 2]> {
    let mut c = g.get("coordinates")?;
    while let Some(a) = c.as_array() {
        if a.len() >= 2 && a[0].is_number() {
            return Some([a[0].as_f64()?, a[1].as_f64()?]);
        }
        c = a.first()?;
    }
    None
}

/// The box an outline of a Dutch region must lie in (WGS84, with a margin).
const NL_LON: std::ops::RangeInclusive<f64> = 2.0..=8.0;
const NL_LAT: std::ops::RangeInclusive<f64> = 50.0..=54.0;

/// The outer rings of a (multi)polygon in WGS84, or why the geometry cannot be used: no
/// geometry, another type, an empty ring, a coordinate that is not a finite number or
/// lies outside the Netherlands.
fn outer_rings(g: Option<&serde_json::Value>, rd: bool) -> Result<Vec<Vec<[f64; 2]>>, String> {
    let g = g.filter(|g| !g.is_null()).ok_or("het heeft geen geometrie (null)")?;
    let ring = |r: &serde_json::Value| -> Result<Vec<[f64; 2]>, String> {
        let points = r.as_array().ok_or("een ring is geen lijst van punten")?;
        if points.len() < 3 {
            return Err(format!("een ring heeft {} punten; een omtrek heeft er minstens 3 nodig", points.len()));
        }
        points
            .iter()
            .map(|p| {
                let xy = p.as_array().filter(|a| a.len() >= 2).ok_or("een punt is geen [x, y]")?;
                let (x, y) = match (xy[0].as_f64(), xy[1].as_f64()) {
                    (Some(x), Some(y)) if x.is_finite() && y.is_finite() => (x, y),
                    _ => return Err(format!("de coördinaat {} is geen eindig getal", p)),
                };
                let [lon, lat] = if rd { rd_to_wgs84(x, y) } else { [x, y] };
                if !(lon.is_finite() && lat.is_finite() && NL_LON.contains(&lon) && NL_LAT.contains(&lat)) {
                    return Err(format!("de coördinaat {p} ligt buiten Nederland"));
                }
                Ok([lon, lat])
            })
            .collect()
    };
    let coords = g.get("coordinates").ok_or("de geometrie heeft geen coördinaten")?;
    let first = |poly: &serde_json::Value| -> Result<Vec<[f64; 2]>, String> {
        ring(poly.as_array().and_then(|a| a.first()).ok_or("een polygoon heeft geen ringen")?)
    };
    match g.get("type").and_then(|t| t.as_str()) {
        Some("Polygon") => Ok(vec![first(coords)?]),
        Some("MultiPolygon") => {
            let polys = coords.as_array().filter(|a| !a.is_empty()).ok_or("de multipolygoon is leeg")?;
            polys.iter().map(first).collect()
        }
        Some(t) => Err(format!("een {t} is geen vlak")),
        None => Err("de geometrie heeft geen type".into()),
    }
}

/// Converts Rijksdriehoeksmeting (EPSG:28992) to WGS84 lon/lat with the published
/// approximation series (Schreutelkamp & Strang van Hees), accurate to about a metre.
pub fn rd_to_wgs84(x: f64, y: f64) -> [f64; 2] {
    let dx = (x - 155000.0) * 1e-5;
    let dy = (y - 463000.0) * 1e-5;
    let lat_terms: [(i32, i32, f64); 11] = [
        (0, 1, 3235.65389),
        (2, 0, -32.58297),
        (0, 2, -0.24750),
        (2, 1, -0.84978),
        (0, 3, -0.06550),
        (2, 2, -0.01709),
        (1, 0, -0.00738),
        (4, 0, 0.00530),
        (2, 3, -0.00039),
        (4, 1, 0.00033),
        (1, 1, -0.00012),
    ];
    let lon_terms: [(i32, i32, f64); 12] = [
        (1, 0, 5260.52916),
        (1, 1, 105.94684),
        (1, 2, 2.45656),
        (3, 0, -0.81885),
        (1, 3, 0.05594),
        (3, 1, -0.05607),
        (0, 1, 0.01199),
        (3, 2, -0.00256),
        (1, 4, 0.00128),
        (0, 2, 0.00022),
        (2, 0, -0.00022),
        (5, 0, 0.00026),
    ];
    let sum = |t: &[(i32, i32, f64)]| t.iter().map(|(p, q, k)| k * dx.powi(*p) * dy.powi(*q)).sum::<f64>();
    let lat = 52.15517440 + sum(&lat_terms) / 3600.0;
    let lon = 5.38720621 + sum(&lon_terms) / 3600.0;
    [lon, lat]
}

/// The largest field a CSV line may have: CBS fields are short, and a runaway quote
/// must not swallow the file into one cell that every factsheet then carries.
pub const MAX_FIELD: usize = 10_000;

pub use super::xlsx::read_xlsx;

/// Reads a dBASE table (the attribute table of a CBS wijk- en buurtkaart shapefile).
pub fn read_dbf(path: &Path, bytes: &[u8]) -> crate::Result<Table> {
    let at = Location { file: path.into(), ..Default::default() };
    let mut reader = dbase::Reader::new(std::io::Cursor::new(bytes)).map_err(|e| {
        Error::input(
            at.clone(),
            format!("geen leesbaar dBASE-bestand: {e}"),
            "haal de .dbf opnieuw uit de zip van de CBS wijk- en buurtkaart",
        )
    })?;
    let headers: Vec<String> = reader.fields().iter().map(|f| f.name().to_string()).collect();
    let mut rows = Vec::new();
    for (i, rec) in reader.iter_records().enumerate() {
        let rec = rec.map_err(|e| {
            Error::input(
                Location { line: Some(i + 1), ..at.clone() },
                format!("record {} is niet te lezen: {e}", i + 1),
                "het .dbf-bestand lijkt beschadigd of afgebroken",
            )
        })?;
        let cells = headers
            .iter()
            .map(|h| match rec.get(h) {
                Some(dbase::FieldValue::Character(Some(s))) => s.trim().to_string(),
                Some(dbase::FieldValue::Numeric(Some(n))) => n.to_string(),
                Some(dbase::FieldValue::Float(Some(n))) => n.to_string(),
                Some(dbase::FieldValue::Integer(n)) => n.to_string(),
                Some(dbase::FieldValue::Double(n)) => n.to_string(),
                Some(dbase::FieldValue::Logical(Some(b))) => b.to_string(),
                _ => String::new(),
            })
            .collect();
        rows.push(Row { line: i + 1, cells, rings: None });
    }
    Ok(Table {
        path: path.into(),
        headers,
        rows,
        flavour: Flavour::Plain,
        warnings: Vec::new(),
        formula_gaps: Vec::new(),
    })
}

/// Converts the rows' outlines into store geometry for the given codes.
pub fn geometry_of(code: &str, year: i32, row: &Row, source: &str) -> Option<Geometry> {
    let rings = row.rings.as_ref()?;
    // Keep maps light: drop points closer than ~10 m to the previous one.
    let rings = rings
        .iter()
        .map(|r| {
            let mut out: Vec<[f64; 2]> = Vec::with_capacity(r.len());
            for p in r {
                if out.last().is_none_or(|q: &[f64; 2]| (q[0] - p[0]).abs() + (q[1] - p[1]).abs() > 1.2e-4) {
                    out.push([(p[0] * 1e5).round() / 1e5, (p[1] * 1e5).round() / 1e5]);
                }
            }
            // Then Douglas–Peucker at ~3 m: straight stretches keep their two ends, so
            // the outlines of all ~14.500 buurten stay small in the store and the maps.
            let pts: Vec<(f64, f64)> = out.iter().map(|p| (p[0], p[1])).collect();
            crate::model::store::simplify(&pts, 3e-5).into_iter().map(|(x, y)| [x, y]).collect::<Vec<_>>()
        })
        .filter(|r| r.len() >= 3)
        .collect();
    Some(Geometry { code: code.into(), year, rings, source: source.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rd_new_converts_to_wgs84() {
        // Amersfoort, the origin of the RD grid.
        let [lon, lat] = rd_to_wgs84(155000.0, 463000.0);
        assert!((lon - 5.38720621).abs() < 1e-6 && (lat - 52.15517440).abs() < 1e-6);
        // Dam, Amsterdam: RD (121394, 487383) ≈ 4.8932 E, 52.3731 N.
        let [lon, lat] = rd_to_wgs84(121394.0, 487383.0);
        assert!((lon - 4.8932).abs() < 0.001 && (lat - 52.3731).abs() < 0.001, "{lon} {lat}");
    }

    #[test]
    fn odata_json_columns_keep_the_table_order() {
        let v = serde_json::json!({"value": [{"ID": 0, "Bijstandsuitkering_10": 2.6, "Bijstandsuitkering_6": 1990, "Perioden": "2024MM09"}]});
        let t = read_odata_json(Path::new("x.json"), &v).unwrap();
        assert_eq!(t.headers, ["ID", "Perioden", "Bijstandsuitkering_6", "Bijstandsuitkering_10"]);
        assert_eq!(t.rows[0].cells, ["0", "2024MM09", "1990", "2.6"]);
    }

    #[test]
    fn keys_split() {
        assert_eq!(split_key("AantalInwoners_5"), ("AantalInwoners", Some(5)));
        assert_eq!(split_key("k_0Tot15Jaar_8"), ("k_0Tot15Jaar", Some(8)));
        assert_eq!(split_key("WK_CODE"), ("WK_CODE", None));
    }

    #[test]
    fn csv_with_wrong_separator_is_refused() {
        let e = read_csv(Path::new("x.csv"), b"a|b|c\n1|2|3\n").unwrap_err();
        assert!(e.to_string().contains("scheidingsteken"), "{e}");
    }

    #[test]
    fn truncated_csv_names_the_line() {
        let e = read_csv(Path::new("x.csv"), b"ID;RegioS;A_1\n0;GM0001;1\n1;GM0002\n").unwrap_err();
        assert!(e.to_string().contains("x.csv:3"), "{e}");
    }

    #[test]
    fn row_lines_count_the_header_and_crlf() {
        // Regression: rows of the CRLF website export were reported one line early.
        let t = read_csv(Path::new("x.csv"), "\u{feff}\"A\";\"B\"\r\n\"x\";1\r\n\"y\";2\r\n".as_bytes()).unwrap();
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3]);
    }
}
