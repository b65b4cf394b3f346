//! A local imitation of CBS's OData v3 feed (`/ODataFeed/odata/{table}/…`), started by
//! the download tests. It serves the demo tables in `data/demo/` the way CBS does:
//! `DataProperties`, one key/title list per dimension, and `TypedDataSet` with dimension
//! keys instead of titles (regions as padded codes, periods as `2024JJ00`), `$filter`
//! on dimensions, and server-driven paging with `odata.nextLink`. Faults can be
//! switched on per URL: an HTTP status, a body cut off below its Content-Length, or a
//! complete HTTP answer whose JSON stops half-way.
//!
//! The tables CBS publishes for others (the Politie's 47018NED in the demo, in the
//! shape of its TypedDataSet as `../shared/data/odata-recordings/DATADERDEN.md`
//! describes it: SoortMisdrijf keys with a trailing space, padded region codes) are
//! served only under the second feed's path, `/dataderden/ODataFeed/odata/{table}/…`,
//! and CBS's own only under the first, so a request to the wrong feed gets a 404.
//!
//! Beside it, under `/pdok/{year}/wfs/v1_0`, an imitation of PDOK's WFS "CBS Wijken en
//! Buurten": the demo's GeoJSON layers as GetFeature pages (`count`, `startIndex`,
//! `numberMatched`), at most `page_size` features a page as a server maximum, in WGS84
//! or (switched on per layer) in RD New with a `crs` member, or empty.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};

/// What a fault does to the answer.
#[derive(Debug, Clone, Copy)]
pub enum FaultKind {
    /// Answer with this HTTP status.
    Status(u16),
    /// Promise the full length, send half, close the connection.
    CutBody,
    /// Send a complete HTTP answer whose JSON body stops half-way.
    HalfJson,
    /// Answer 200 with an HTML page (a proxy or maintenance page).
    Html,
}

/// A fault: requests whose path and query contain all of `needles` get `kind`, the
/// first `times` times.
#[derive(Debug, Clone)]
pub struct Fault {
    pub needles: Vec<String>,
    pub times: usize,
    pub kind: FaultKind,
}

/// A dimension: key, CBS type, values as (key, title).
type Dim = (String, &'static str, Vec<(String, String)>);

struct Table {
    dims: Vec<Dim>,
    /// Measure keys.
    measures: Vec<String>,
    /// Rows as JSON objects with keys.
    rows: Vec<Map<String, Value>>,
}

#[derive(Default)]
struct State {
    tables: BTreeMap<String, Table>,
    /// Answers recorded from CBS, served as they are: "table/entity" or
    /// "table/entity?$skip=N" → body.
    recorded: BTreeMap<String, Vec<u8>>,
    faults: Vec<Fault>,
    log: Vec<String>,
    page_size: usize,
    /// (layer, year) → features, from the demo's GeoJSON files.
    layers: BTreeMap<(String, i32), Vec<Value>>,
    /// Layers served in RD New (EPSG:28992).
    rd: BTreeSet<String>,
}

/// The running server.
pub struct FeedServer {
    /// Base URL to give `--base-url`.
    pub base_url: String,
    /// Base URL to give `--pdok-url`.
    pub pdok_url: String,
    /// Base URL to give `--derden-url` (the feed of the Politie's and RIVM's tables).
    pub derden_url: String,
    state: Arc<Mutex<State>>,
}

impl FeedServer {
    /// Starts a server on a free port with the demo tables, `page_size` rows per page.
    pub fn start(page_size: usize) -> FeedServer {
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let state = Arc::new(Mutex::new(State {
            tables: load_demo(&demo),
            layers: load_layers(&demo),
            page_size,
            ..Default::default()
        }));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}/ODataFeed/odata", listener.local_addr().unwrap());
        let pdok_url = format!("http://{}/pdok", listener.local_addr().unwrap());
        let derden_url = format!("http://{}/dataderden/ODataFeed/odata", listener.local_addr().unwrap());
        let st = state.clone();
        let base = base_url.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let st = st.clone();
                let base = base.clone();
                std::thread::spawn(move || handle(stream, &st, &base));
            }
        });
        FeedServer { base_url, pdok_url, derden_url, state }
    }

    /// Grows every table and layer to the size of the real Netherlands: each gemeente,
    /// wijk and buurt of the demo is repeated under new codes `factor(level)` times
    /// (gemeente ×43 ≈ 344, wijk ×120 ≈ 3.400, buurt ×300 ≈ 14.700 in the KWB), and the
    /// pages are CBS's 10.000 rows and PDOK's 1.000 features. For measuring the full
    /// download, not for checking figures.
    pub fn at_national_size(&self) {
        let factor = |code: &str| match &code[..2] {
            "GM" => 43,
            "WK" => 120,
            "BU" => 300,
            _ => 1,
        };
        // The k-th copy of a code: same level and width, a number no real region has.
        let copy = |code: &str, n: usize, k: usize| -> String {
            match &code[..2] {
                "GM" => format!("GM{:04}", 5000 + n * 50 + k),
                "WK" => format!("WK{:06}", 500_000 + n * 200 + k),
                _ => format!("BU{:08}", 50_000_000 + n * 400 + k),
            }
        };
        let mut st = self.state.lock().unwrap();
        st.page_size = 10_000;
        let is_code = |s: &str| {
            s.len() >= 6 && ["GM", "WK", "BU"].contains(&&s[..2]) && s[2..].bytes().all(|b| b.is_ascii_alphanumeric())
        };
        for table in st.tables.values_mut() {
            let Some(geo) = table.dims.iter().position(|d| d.1.starts_with("Geo")) else { continue };
            let geo_name = table.dims[geo].0.clone();
            let mut new_keys = Vec::new();
            let mut new_rows = Vec::new();
            for (n, row) in table.rows.iter().enumerate() {
                // The row's region code: a field that holds one (the key, or Codering).
                let Some(code) = row.values().filter_map(Value::as_str).map(str::trim).find(|s| is_code(s)) else {
                    continue;
                };
                let code = code.to_string();
                let key = row[&geo_name].as_str().unwrap_or("").to_string();
                for k in 1..factor(&code) {
                    let c = copy(&code, n, k);
                    let mut r = row.clone();
                    for v in r.values_mut() {
                        if let Some(s) = v.as_str().filter(|s| s.trim() == code) {
                            *v = json!(format!("{c:<width$}", width = s.len()));
                        }
                    }
                    // A key that is a name (the KWB's wijken and buurten here) gets a number.
                    if key.trim() != code {
                        let named = format!("{} {k}", key.trim());
                        r.insert(geo_name.clone(), json!(named.clone()));
                        new_keys.push((named.clone(), named));
                    } else {
                        let padded = format!("{c:<width$}", width = key.len());
                        new_keys.push((padded, key.trim().to_string()));
                    }
                    new_rows.push(r);
                }
            }
            new_keys.sort();
            new_keys.dedup();
            table.dims[geo].2.extend(new_keys);
            let start = table.rows.len();
            for (i, mut r) in new_rows.into_iter().enumerate() {
                r.insert("ID".into(), json!(start + i));
                table.rows.push(r);
            }
        }
        for ((layer, _), features) in st.layers.iter_mut() {
            let (key, times) = match layer.as_str() {
                "gemeenten" => ("gemeentecode", 43),
                "wijken" => ("wijkcode", 290),
                _ => ("buurtcode", 400),
            };
            let base = features.clone();
            for (n, f) in base.iter().enumerate() {
                let code = f["properties"][key].as_str().unwrap_or("").to_string();
                for k in 1..times {
                    let mut g = f.clone();
                    g["properties"][key] = json!(copy(&code, n, k));
                    features.push(g);
                }
            }
        }
    }

    /// Serves this layer in RD New coordinates with a `crs` member.
    pub fn layer_in_rd(&self, layer: &str) {
        self.state.lock().unwrap().rd.insert(layer.to_string());
    }

    /// Makes this layer empty.
    pub fn empty_layer(&self, layer: &str) {
        for ((l, _), f) in self.state.lock().unwrap().layers.iter_mut() {
            if l == layer {
                f.clear();
            }
        }
    }

    /// Adds a fault.
    pub fn fault(&self, needles: &[&str], times: usize, kind: FaultKind) {
        self.state.lock().unwrap().faults.push(Fault {
            needles: needles.iter().map(|s| s.to_string()).collect(),
            times,
            kind,
        });
    }

    /// Removes all faults.
    pub fn heal(&self) {
        self.state.lock().unwrap().faults.clear();
    }

    /// Every request so far (path and query, percent-decoded), in order.
    pub fn log(&self) -> Vec<String> {
        self.state.lock().unwrap().log.clone()
    }

    /// Forgets the request log.
    pub fn clear_log(&self) {
        self.state.lock().unwrap().log.clear();
    }

    /// Serves a recorded answer of CBS for `table/entity` (with `$skip` when paged).
    pub fn record(&self, table: &str, entity: &str, skip: Option<usize>, body: Vec<u8>) {
        let key = match skip {
            Some(n) => format!("{table}/{entity}?$skip={n}"),
            None => format!("{table}/{entity}"),
        };
        self.state.lock().unwrap().recorded.insert(key, body);
    }

    /// Table ids served.
    pub fn tables(&self) -> Vec<String> {
        self.state.lock().unwrap().tables.keys().cloned().collect()
    }
}

fn handle(stream: TcpStream, state: &Mutex<State>, base: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let decoded = decode(&target);
    let (status, body, fault) = {
        let mut st = state.lock().unwrap();
        st.log.push(decoded.clone());
        let mut fault = None;
        for f in st.faults.iter_mut() {
            if f.times > 0 && f.needles.iter().all(|n| decoded.contains(n.as_str())) {
                f.times -= 1;
                fault = Some(f.kind);
                break;
            }
        }
        let (status, body) = route(&st, &target, base);
        (status, body, fault)
    };
    let mut out = stream;
    let (status, body) = match fault {
        Some(FaultKind::Status(s)) => {
            (s, format!("{{\"odata.error\":{{\"message\":{{\"value\":\"fault {s}\"}}}}}}").into_bytes())
        }
        _ => (status, body),
    };
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    if let Some(FaultKind::Html) = fault {
        let page = b"<!DOCTYPE html><html><body><h1>Onderhoud</h1></body></html>";
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            page.len()
        );
        let _ = out.write_all(head.as_bytes());
        let _ = out.write_all(page);
        let _ = out.flush();
        return;
    }
    let send = match fault {
        Some(FaultKind::CutBody) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = out.write_all(head.as_bytes());
            let _ = out.write_all(&body[..body.len() / 2]);
            let _ = out.flush();
            return;
        }
        Some(FaultKind::HalfJson) => body[..body.len() / 2].to_vec(),
        _ => body,
    };
    let head = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: application/json;charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", send.len());
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&send);
    let _ = out.flush();
}

/// The demo's `{layer}_{year}.geojson` files.
fn load_layers(dir: &Path) -> BTreeMap<(String, i32), Vec<Value>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".geojson") else { continue };
        let Some((layer, year)) = stem.split_once('_') else { continue };
        let doc: Value = serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
        out.insert((layer.to_string(), year.parse().unwrap()), doc["features"].as_array().unwrap().clone());
    }
    out
}

/// WGS84 → RD New, a linear approximation around Amersfoort (good to a few hundred
/// metres in the middle of the country; the importer converts back with the full
/// formulas, so the outlines stay in the Netherlands).
fn to_rd(v: &mut Value) {
    match v {
        Value::Array(a) if a.len() == 2 && a.iter().all(Value::is_f64) => {
            let (lon, lat) = (a[0].as_f64().unwrap(), a[1].as_f64().unwrap());
            *v = json!([155_000.0 + (lon - 5.387_206) * 68_600.0, 463_000.0 + (lat - 52.155_17) * 111_200.0]);
        }
        Value::Array(a) => a.iter_mut().for_each(to_rd),
        _ => {}
    }
}

/// A GetFeature page of PDOK's WFS.
fn wfs(st: &State, path: &str, params: &BTreeMap<String, String>) -> (u16, Vec<u8>) {
    let year: Option<i32> = path.trim_start_matches("/pdok/").split('/').next().and_then(|y| y.parse().ok());
    let layer = params.get("typeNames").and_then(|t| t.strip_prefix("wijkenbuurten:")).unwrap_or("");
    let Some(features) = year.and_then(|y| st.layers.get(&(layer.to_string(), y))) else {
        return (404, b"<ExceptionReport>unknown layer</ExceptionReport>".to_vec());
    };
    let start: usize = params.get("startIndex").and_then(|s| s.parse().ok()).unwrap_or(0);
    let count: usize = params.get("count").and_then(|s| s.parse().ok()).unwrap_or(usize::MAX);
    let max = if st.page_size >= 10_000 { 1_000 } else { st.page_size };
    let page: Vec<Value> = features.iter().skip(start).take(count.min(max)).cloned().collect();
    let mut doc = json!({"type": "FeatureCollection", "numberMatched": features.len(),
                         "numberReturned": page.len(), "features": page});
    if st.rd.contains(layer) {
        for f in doc["features"].as_array_mut().unwrap() {
            to_rd(&mut f["geometry"]["coordinates"]);
        }
        doc["crs"] = json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}});
    }
    (200, doc.to_string().into_bytes())
}

fn route(st: &State, target: &str, base: &str) -> (u16, Vec<u8>) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let params: BTreeMap<String, String> =
        query.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect();
    if path.starts_with("/pdok/") {
        return wfs(st, path, &params);
    }
    // Like CBS's own server: a $select with an empty item is a syntax error.
    if let Some(sel) = params.get("$select") {
        if sel.split(',').any(|c| c.trim().is_empty()) {
            let msg = format!("Syntax error at position {} in '{sel}'.", sel.find(",,").unwrap_or(0) + 1);
            return (
                400,
                json!({"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": msg}}})
                    .to_string()
                    .into_bytes(),
            );
        }
    }
    // The second feed (dataderden) serves the tables CBS publishes for others, and
    // only those; the first only CBS's own.
    let derden = path.starts_with("/dataderden/");
    let derden_base = base.replace("/ODataFeed/odata", "/dataderden/ODataFeed/odata");
    let base = if derden { derden_base.as_str() } else { base };
    let parts: Vec<&str> = path
        .trim_start_matches("/dataderden")
        .trim_start_matches("/ODataFeed/odata/")
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let not_found = || (404, br#"{"odata.error":{"message":{"value":"Resource not found"}}}"#.to_vec());
    let [table_id, entity] = parts.as_slice() else { return not_found() };
    if DERDEN.contains(table_id) != derden {
        return not_found();
    }
    let skip_key = params.get("$skip").map(|n| format!("{table_id}/{entity}?$skip={n}"));
    if let Some(body) =
        skip_key.and_then(|k| st.recorded.get(&k)).or_else(|| st.recorded.get(&format!("{table_id}/{entity}")))
    {
        return (200, body.clone());
    }
    let Some(table) = st.tables.get(*table_id) else { return not_found() };
    let doc = |value: Vec<Value>, next: Option<String>| {
        let mut m = Map::new();
        m.insert("odata.metadata".into(), json!(format!("{base}/{table_id}/$metadata#Cbs.OData.WebAPI.{entity}")));
        m.insert("value".into(), Value::Array(value));
        if let Some(n) = next {
            m.insert("odata.nextLink".into(), json!(n));
        }
        (200, serde_json::to_vec_pretty(&Value::Object(m)).unwrap())
    };
    match *entity {
        "DataProperties" => {
            let mut v: Vec<Value> = table
                .dims
                .iter()
                .enumerate()
                .map(|(i, (k, kind, _))| {
                    let mut p = json!({"ID": i, "Position": i, "ParentID": null, "Type": kind, "Key": k, "Title": k});
                    if *kind == "TimeDimension" {
                        p["ReleasePolicy"] = json!(true);
                    }
                    p
                })
                .collect();
            // A TopicGroup heading with an empty key, as CBS lists them.
            v.push(json!({"ID": v.len(), "Position": null, "ParentID": null, "Type": "TopicGroup", "Key": "", "Title": "Cijfers"}));
            let first = v.len();
            v.extend(table.measures.iter().enumerate().map(|(i, k)| {
                json!({"ID": first + i, "Position": table.dims.len() + i, "ParentID": first - 1, "Type": "Topic", "Key": k, "Title": k})
            }));
            doc(v, None)
        }
        "TypedDataSet" | "UntypedDataSet" => {
            let typed = *entity == "TypedDataSet";
            let filter = params.get("$filter").map(|f| parse_filter(f)).unwrap_or_default();
            let rows: Vec<&Map<String, Value>> = table
                .rows
                .iter()
                .filter(|r| {
                    filter
                        .iter()
                        .all(|(col, vals)| r.get(col).and_then(Value::as_str).is_some_and(|v| vals.contains(v)))
                })
                .collect();
            let skip: usize = params.get("$skip").and_then(|s| s.parse().ok()).unwrap_or(0);
            let select: Option<BTreeSet<&str>> = params.get("$select").map(|s| s.split(',').map(str::trim).collect());
            let page: Vec<Value> = rows
                .iter()
                .skip(skip)
                .take(st.page_size)
                .map(|r| {
                    Value::Object(
                        r.iter()
                            .filter(|(k, _)| select.as_ref().is_none_or(|s| s.contains(k.as_str())))
                            .map(|(k, v)| (k.clone(), as_sent(k, v, typed)))
                            .collect(),
                    )
                })
                .collect();
            let next = (skip + st.page_size < rows.len()).then(|| {
                let mut link = format!("{base}/{table_id}/{entity}?$format=json");
                for p in ["$filter", "$select"] {
                    if let Some(v) = params.get(p) {
                        link.push_str(&format!("&{p}={}", encode(v)));
                    }
                }
                link.push_str(&format!("&$skip={}", skip + st.page_size));
                link
            });
            doc(page, next)
        }
        dim => match table.dims.iter().find(|(k, _, _)| k == dim) {
            Some((_, _, values)) => {
                // Perioden carry a Status, the latest one "Voorlopig" as CBS marks new figures.
                let last = values.len().saturating_sub(1);
                doc(
                    values
                        .iter()
                        .enumerate()
                        .map(|(n, (k, t))| {
                            let mut v = json!({"Key": k, "Title": t, "Description": null});
                            if dim == "Perioden" {
                                v["Status"] = json!(if n == last { "Voorlopig" } else { "Definitief" });
                            }
                            v
                        })
                        .collect(),
                    None,
                )
            }
            None => not_found(),
        },
    }
}

/// A cell as CBS sends it: TypedDataSet has numbers and null (secret too), UntypedDataSet
/// strings right-aligned in a fixed width (`"   183.3"`) and `"."` for secret, keys as
/// they are.
fn as_sent(key: &str, v: &Value, typed: bool) -> Value {
    match v {
        Value::String(s) if s == "." => {
            if typed {
                Value::Null
            } else {
                json!("       .")
            }
        }
        Value::Number(n) if !typed && key != "ID" => json!(format!("{:>10}", n.to_string())),
        other => other.clone(),
    }
}

/// `A eq 'x' and (B eq 'y' or B eq 'z')` → {A: {x}, B: {y, z}}: the grammar the client
/// writes (an AND of ORs over distinct columns).
fn parse_filter(f: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut rest = f;
    while let Some(i) = rest.find(" eq '") {
        let col = rest[..i].rsplit(['(', ' ']).next().unwrap().to_string();
        let after = &rest[i + 5..];
        // The value ends at a quote that is not doubled.
        let mut val = String::new();
        let mut chars = after.char_indices().peekable();
        let mut end = after.len();
        while let Some((j, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|(_, c)| *c) == Some('\'') {
                    val.push('\'');
                    chars.next();
                    continue;
                }
                end = j + 1;
                break;
            }
            val.push(c);
        }
        out.entry(col).or_default().insert(val);
        rest = &after[end..];
    }
    out
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const GEO: &[&str] = &["RegioS", "WijkenEnBuurten", "Wijken", "Woongemeente"];

/// Tables on CBS's second feed (dataderden), served only under its path.
pub const DERDEN: &[&str] = &["47018NED", "50150NED"];

fn is_code(s: &str) -> bool {
    let t = s.trim();
    t == "NL01"
        || ["GM", "WK", "BU"]
            .iter()
            .any(|p| t.starts_with(p) && t.len() >= 6 && t[2..6].bytes().all(|b| b.is_ascii_digit()))
}

fn time_key(title: &str) -> String {
    let t = title.trim().trim_end_matches('*');
    let months = wijkmonitor::format::MONTHS;
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        return format!("{t}JJ00");
    }
    if let Some((y, m)) = t.split_once(' ') {
        if let Some(i) = months.iter().position(|x| *x == m) {
            return format!("{y}MM{:02}", i + 1);
        }
    }
    title.to_string()
}

/// Reads the demo tables and turns them into what the CBS feed would hold.
fn load_demo(dir: &Path) -> BTreeMap<String, Table> {
    // Gemeente names → codes, from the KWB table (what CBS's RegioS keys are).
    let mut codes: BTreeMap<String, String> = BTreeMap::from([("Nederland".to_string(), "NL01".to_string())]);
    let mut raw: Vec<(String, Vec<String>, Vec<Vec<String>>)> = Vec::new();
    let mut json_tables = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let id = name.split('_').next().unwrap().to_string();
        if name.ends_with(".csv") {
            let text = std::fs::read_to_string(&p).unwrap();
            let text = text.trim_start_matches('\u{feff}');
            let mut rd = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
            let headers: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
            let rows: Vec<Vec<String>> = rd.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
            if id == "85984NED" {
                let col = |n: &str| headers.iter().position(|h| h.starts_with(n)).unwrap();
                let (name_c, kind_c, code_c) = (col("WijkenEnBuurten"), col("SoortRegio"), col("Codering"));
                for r in &rows {
                    if r[kind_c].trim() == "Gemeente" {
                        codes.insert(r[name_c].trim().to_string(), r[code_c].trim().to_string());
                    }
                }
            }
            raw.push((id, headers, rows));
        } else if name.ends_with(".json") {
            json_tables.push((id, serde_json::from_slice::<Value>(&std::fs::read(&p).unwrap()).unwrap()));
        }
    }
    let mut out = BTreeMap::new();
    for (id, headers, rows) in raw {
        let is_measure = |h: &str| h.rsplit_once('_').is_some_and(|(_, n)| n.bytes().all(|b| b.is_ascii_digit()));
        let mut dims: Vec<Dim> = Vec::new();
        let mut keymaps: Vec<BTreeMap<String, String>> = Vec::new();
        let dim_cols: Vec<usize> =
            (0..headers.len()).filter(|&i| headers[i] != "ID" && !is_measure(&headers[i])).collect();
        let has_periods = headers.iter().any(|h| h == "Perioden");
        for &i in &dim_cols {
            let h = &headers[i];
            let kind = if GEO.contains(&h.as_str()) {
                // As in CBS's DataProperties: a table of one indeling (the KWB) has a
                // GeoDetail, a table over years a GeoDimension.
                if has_periods {
                    "GeoDimension"
                } else {
                    "GeoDetail"
                }
            } else if h == "Perioden" {
                "TimeDimension"
            } else {
                "Dimension"
            };
            let mut map = BTreeMap::new();
            let mut values = Vec::new();
            for r in &rows {
                let title = r[i].trim().to_string();
                if map.contains_key(&title) {
                    continue;
                }
                let key = match kind {
                    "GeoDimension" | "GeoDetail" => {
                        let code = if is_code(&title) {
                            title.clone()
                        } else {
                            codes.get(&title).cloned().unwrap_or_else(|| title.clone())
                        };
                        format!("{code:<10}")
                    }
                    "TimeDimension" => time_key(&title),
                    _ => format!("A{:06}", 48000 + values.len()),
                };
                map.insert(title.clone(), key.clone());
                values.push((key, title));
            }
            dims.push((h.clone(), kind, values));
            keymaps.push(map);
        }
        let measures: Vec<String> = headers.iter().filter(|h| is_measure(h)).cloned().collect();
        let mut objs = Vec::new();
        for (n, r) in rows.iter().enumerate() {
            let mut o = Map::new();
            o.insert("ID".into(), json!(n));
            for (d, &i) in dim_cols.iter().enumerate() {
                o.insert(headers[i].clone(), json!(keymaps[d][r[i].trim()]));
            }
            for (i, h) in headers.iter().enumerate().filter(|(_, h)| is_measure(h)) {
                let cell = r[i].trim();
                // "." (secret) is kept as a marker: TypedDataSet sends it as null,
                // UntypedDataSet as "." (see `as_sent`).
                let v = if cell.is_empty() {
                    Value::Null
                } else if cell == "." {
                    json!(".")
                } else if let Ok(x) = cell.parse::<i64>() {
                    json!(x)
                } else if let Ok(x) = cell.parse::<f64>() {
                    json!(x)
                } else {
                    json!(r[i])
                };
                o.insert(h.clone(), v);
            }
            objs.push(o);
        }
        // CBS's RegioS tables also hold provinces and other regions: add one, which the
        // import must skip.
        if let Some(geo) = dims.iter().find(|d| d.0 == "RegioS").map(|d| d.0.clone()) {
            let nl: Vec<Map<String, Value>> =
                objs.iter().filter(|o| o[&geo].as_str().unwrap().trim() == "NL01").cloned().collect();
            for mut o in nl {
                o.insert(geo.clone(), json!("PV99      "));
                o.insert("ID".into(), json!(objs.len()));
                objs.push(o);
            }
        }
        // Real tables break figures down further than the demo files do: give 86088NED a
        // second Persoonskenmerken value, which the client's filter must keep away.
        if id == "86088NED" {
            let d = dims.iter_mut().find(|d| d.0 == "Persoonskenmerken").unwrap();
            d.2.push(("52052   ".into(), "15 tot 25 jaar".into()));
            let extra: Vec<Map<String, Value>> = objs
                .iter()
                .map(|o| {
                    let mut o = o.clone();
                    o.insert("Persoonskenmerken".into(), json!("52052   "));
                    o
                })
                .collect();
            for mut o in extra {
                o.insert("ID".into(), json!(objs.len()));
                objs.push(o);
            }
        }
        out.insert(id, Table { dims, measures, rows: objs });
    }
    for (id, v) in json_tables {
        let rows: Vec<Map<String, Value>> =
            v["value"].as_array().unwrap().iter().map(|r| r.as_object().unwrap().clone()).collect();
        let headers: Vec<String> = rows[0].keys().cloned().collect();
        let is_measure = |h: &str| h.rsplit_once('_').is_some_and(|(_, n)| n.bytes().all(|b| b.is_ascii_digit()));
        let mut dims = Vec::new();
        for h in headers.iter().filter(|h| *h != "ID" && !is_measure(h)) {
            let kind = if GEO.contains(&h.as_str()) {
                "GeoDimension"
            } else if h == "Perioden" {
                "TimeDimension"
            } else {
                "Dimension"
            };
            let values: BTreeSet<String> = rows.iter().map(|r| r[h].as_str().unwrap().to_string()).collect();
            let values =
                values.into_iter().map(|k| (k.clone(), if k == "T001019" { "Totaal".into() } else { k })).collect();
            dims.push((h.clone(), kind, values));
        }
        let measures = headers.iter().filter(|h| is_measure(h)).cloned().collect();
        out.insert(id, Table { dims, measures, rows });
    }
    out
}
