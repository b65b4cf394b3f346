//! Download: fetches the StatLine tables that the source descriptions read, from CBS's
//! OData v3 feed, so a user never has to hunt for files.
//!
//! Why a module of its own: the feed has habits a plain HTTP GET does not cover. It
//! pages (10,000 rows and an `odata.nextLink`), dimension values come as keys
//! (`T009002`) while the source descriptions were written against titles ("Totaal
//! personen"), and busy servers answer 5xx or cut a response off. This module
//!
//! - asks each table for its dimensions (`DataProperties`, then one list per dimension)
//!   and pushes the source description's row filters and the requested years down into
//!   an OData `$filter`, so only needed rows travel;
//! - follows `odata.nextLink` page by page, retrying transport errors, 429/5xx answers
//!   and incomplete JSON with a growing pause;
//! - keeps every good response in a cache (one file per URL), so a second run and a run
//!   after a failure do not fetch again what already arrived;
//! - returns each table as one OData JSON document (region and period keys kept,
//!   other dimension keys replaced by their titles), which [`super::import`] reads like
//!   any other StatLine file.
//!
//! Nothing here touches the store: the caller writes the tables and imports them in one
//! step, so a failed download leaves the store as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use super::spec::{parse_period, SourceSpec};
use super::table::split_key;
use crate::error::Error;

/// CBS's OData v3 bulk feed: no row maximum per request, server-driven paging.
pub const DEFAULT_BASE_URL: &str = "https://opendata.cbs.nl/ODataFeed/odata";

/// Years to download when none are asked for: the latest this many of every table.
pub const DEFAULT_YEARS: usize = 6;

/// Which periods of a table to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Years {
    /// The latest `n` years the table has.
    Latest(usize),
    /// These years; a table that has none of them contributes its latest year.
    Only(BTreeSet<i32>),
}

impl Years {
    /// Parses `2024`, `2020-2024` or `2019,2021-2024`.
    pub fn parse(text: &str) -> Result<Years, String> {
        let mut set = BTreeSet::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let year = |s: &str| {
                s.trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1900..=2100).contains(y))
                    .ok_or_else(|| format!("'{s}' is not a year"))
            };
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (year(a)?, year(b)?);
                    if a > b {
                        return Err(format!("'{part}': the first year is after the last"));
                    }
                    set.extend(a..=b);
                }
                None => {
                    set.insert(year(part)?);
                }
            }
        }
        if set.is_empty() {
            return Err("no years given".into());
        }
        Ok(Years::Only(set))
    }
}

/// How to talk to the server.
#[derive(Debug, Clone)]
pub struct Options {
    /// Base URL of the OData v3 feed (without a trailing slash).
    pub base_url: String,
    /// Periods to fetch.
    pub years: Years,
    /// Tries per request (1 = no retry).
    pub attempts: u32,
    /// Pause before the first retry; doubled for every further one.
    pub retry_delay: Duration,
    /// Time limit for one request, connect to last byte.
    pub timeout: Duration,
    /// Folder for cached responses; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// Cached responses older than this are fetched again.
    pub max_age: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_url: DEFAULT_BASE_URL.into(),
            years: Years::Latest(DEFAULT_YEARS),
            attempts: 4,
            retry_delay: Duration::from_secs(2),
            timeout: Duration::from_secs(300),
            cache_dir: None,
            max_age: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// What the download reports while it works (for progress bars and logs).
#[derive(Debug, Clone)]
pub enum Event<'a> {
    /// A page of rows arrived (or came from the cache).
    Page {
        /// Table id.
        table: &'a str,
        /// Rows of this table so far.
        rows: usize,
        /// True when the page came from the cache.
        cached: bool,
    },
    /// A request failed and will be tried again.
    Retry {
        /// The URL.
        url: &'a str,
        /// The attempt that failed (1-based).
        attempt: u32,
        /// Of how many.
        attempts: u32,
        /// What went wrong.
        why: &'a str,
    },
}

/// One downloaded table.
#[derive(Debug, Clone)]
pub struct Downloaded {
    /// Table id (`86088NED`).
    pub table: String,
    /// Rows.
    pub rows: usize,
    /// Pages fetched or read from the cache.
    pub pages: usize,
    /// Pages that came from the cache.
    pub cached_pages: usize,
    /// Years of the periods fetched (empty for tables without a period dimension).
    pub years: Vec<i32>,
    /// Something the user should know (no requested year in this table …).
    pub note: Option<String>,
    /// The table as one OData JSON document.
    pub json: Vec<u8>,
}

/// The StatLine tables the source descriptions read, each once, in id order.
pub fn statline_tables(specs: &[SourceSpec]) -> Vec<&SourceSpec> {
    let mut seen = BTreeSet::new();
    let mut out: Vec<&SourceSpec> =
        specs.iter().filter(|s| is_statline_id(&s.id) && seen.insert(s.id.to_ascii_uppercase())).collect();
    out.sort_by_key(|s| s.id.to_ascii_uppercase());
    out
}

/// True for a StatLine table id: five digits and `NED` (any case), e.g. `85984NED`,
/// `81064ned`.
pub fn is_statline_id(id: &str) -> bool {
    id.len() == 8 && id[..5].bytes().all(|b| b.is_ascii_digit()) && id[5..].eq_ignore_ascii_case("NED")
}

/// The kind of a table column, from `DataProperties`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DimensionKind {
    /// Regions: keys are CBS codes (`GM0344`), kept unless the table has a code column.
    Geo,
    /// Periods: keys like `2024JJ00`, kept as they are.
    Time,
    /// Any other dimension: keys are replaced by titles.
    Plain,
}

/// A dimension of a table with its values (key, title).
#[derive(Debug, Clone)]
pub struct Dimension {
    /// Column key (`Perioden`).
    pub key: String,
    /// Kind.
    pub kind: DimensionKind,
    /// Values as (key, title).
    pub values: Vec<(String, String)>,
}

/// The periods to fetch of a table with this period dimension: the keys, their years
/// and a note when none of the requested years was there.
pub fn choose_periods(periods: &Dimension, years: &Years) -> (Vec<String>, Vec<i32>, Option<String>) {
    let dated: Vec<(&str, i32)> =
        periods.values.iter().filter_map(|(k, _)| parse_period(k).map(|(y, _)| (k.as_str(), y))).collect();
    let all: BTreeSet<i32> = dated.iter().map(|(_, y)| *y).collect();
    let (wanted, note): (BTreeSet<i32>, Option<String>) = match years {
        Years::Latest(n) => (all.iter().rev().take(*n).copied().collect(), None),
        Years::Only(set) => {
            let hit: BTreeSet<i32> = all.intersection(set).copied().collect();
            if hit.is_empty() {
                match all.last() {
                    Some(last) => (
                        BTreeSet::from([*last]),
                        Some(format!(
                            "geen van de gevraagde jaren in deze tabel; het laatste jaar ({last}) is genomen"
                        )),
                    ),
                    None => (BTreeSet::new(), None),
                }
            } else {
                (hit, None)
            }
        }
    };
    let keys = dated.iter().filter(|(_, y)| wanted.contains(y)).map(|(k, _)| k.to_string()).collect();
    (keys, wanted.into_iter().collect(), note)
}

/// True when the column reference (`Geslacht`, `A|B`) names this dimension.
fn names(reference: &str, key: &str) -> bool {
    reference.split('|').map(str::trim).any(|r| r == key || split_key(key).0 == r)
}

/// The OData `$filter` for a table: the chosen periods and, per plain dimension, the
/// values the source description keeps (its `filter`, and a `where` that every measure
/// shares). A dimension whose listed values match none of the table's is left out of
/// the filter; the import then decides. `None` when every row is wanted.
pub fn row_filter(spec: &SourceSpec, dims: &[Dimension], period_keys: Option<&[String]>) -> Option<String> {
    let mut terms = Vec::new();
    let quote = |k: &str| format!("'{}'", k.replace('\'', "''"));
    let any_of = |col: &str, keys: &[&str]| {
        let parts: Vec<String> = keys.iter().map(|k| format!("{col} eq {}", quote(k))).collect();
        if parts.len() == 1 {
            parts[0].clone()
        } else {
            format!("({})", parts.join(" or "))
        }
    };
    if let (Some(keys), Some(time)) = (period_keys, dims.iter().find(|d| d.kind == DimensionKind::Time)) {
        if !keys.is_empty() && keys.len() < time.values.len() {
            terms.push(any_of(&time.key, &keys.iter().map(String::as_str).collect::<Vec<_>>()));
        }
    }
    // Allowed values per column: the table filter, plus a `where` on a column that every
    // measure restricts (the union of their values).
    let mut allowed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (col, vals) in &spec.filter {
        allowed.entry(col.clone()).or_default().extend(vals.iter().map(|v| v.trim().to_string()));
    }
    if let Some(first) = spec.measure.first() {
        for col in first.filter.keys() {
            if spec.measure.iter().all(|m| m.filter.contains_key(col)) && !spec.filter.contains_key(col) {
                let union = spec.measure.iter().flat_map(|m| m.filter[col].iter().map(|v| v.trim().to_string()));
                allowed.entry(col.clone()).or_default().extend(union);
            }
        }
    }
    for (col, vals) in &allowed {
        let Some(dim) = dims.iter().find(|d| d.kind == DimensionKind::Plain && names(col, &d.key)) else { continue };
        let keys: Vec<&str> = dim
            .values
            .iter()
            .filter(|(k, t)| vals.contains(k.trim()) || vals.contains(t.trim()))
            .map(|(k, _)| k.as_str())
            .collect();
        if !keys.is_empty() && keys.len() < dim.values.len() {
            terms.push(any_of(&dim.key, &keys));
        }
    }
    (!terms.is_empty()).then(|| terms.join(" and "))
}

/// The columns to ask for (`$select`): the dimensions and every column whose stem the
/// source description reads. `None` when that is all of them. Of the KWB 2024's 129
/// columns the catalogue reads 54, so the download is well under half the size.
pub fn column_selection(spec: &SourceSpec, columns: &[&str]) -> Option<Vec<String>> {
    let wanted = spec.referenced_columns();
    let keep: Vec<String> = columns
        .iter()
        .filter(|c| split_key(c).1.is_none() || wanted.contains(split_key(c).0) || wanted.contains(**c))
        .map(|c| c.to_string())
        .collect();
    (keep.len() < columns.len()).then_some(keep)
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// FNV-1a, for cache file names (stable across runs and platforms).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Replaces dimension keys by their titles, row by row: plain dimensions always, region
/// dimensions when their titles were fetched (tables with a separate code column);
/// periods never.
pub fn titles_for_keys(rows: &mut [Value], dims: &[Dimension]) {
    let maps: Vec<(&str, BTreeMap<&str, &str>)> = dims
        .iter()
        .filter(|d| d.kind != DimensionKind::Time && !d.values.is_empty())
        .map(|d| (d.key.as_str(), d.values.iter().map(|(k, t)| (k.as_str(), t.as_str())).collect()))
        .collect();
    for row in rows.iter_mut() {
        let Some(obj) = row.as_object_mut() else { continue };
        for (col, map) in &maps {
            if let Some(Value::String(v)) = obj.get_mut(*col) {
                if let Some(t) = map.get(v.as_str()) {
                    *v = t.to_string();
                }
            }
        }
    }
}

/// A client for the CBS OData feed.
pub struct Client {
    agent: ureq::Agent,
    opts: Options,
}

/// Pages fetched and pages served from the cache.
#[derive(Default)]
struct Tally {
    pages: usize,
    cached: usize,
}

/// Why one attempt at a request failed.
enum Failure {
    /// Worth another try (transport error, 429/5xx, cut-off body).
    Transient(String),
    /// Trying again will not help (404, not OData).
    Fatal(Error),
}

impl Client {
    /// A client with these options.
    pub fn new(opts: Options) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("wijkmonitor/", env!("CARGO_PKG_VERSION"), " (+https://github.com/wijkmonitor)"))
            .build()
            .into();
        Client { agent, opts }
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    fn table_url(&self, table: &str, entity: &str) -> String {
        format!("{}/{}/{}?$format=json", self.opts.base_url.trim_end_matches('/'), table, entity)
    }

    /// Downloads one table: its dimensions, then the rows the source description needs.
    pub fn table(&self, spec: &SourceSpec, on: &mut dyn FnMut(Event)) -> crate::Result<Downloaded> {
        let table = spec.id.as_str();
        let mut tally = Tally::default();
        let props = self.collect(table, &self.table_url(table, "DataProperties"), &mut tally, on, false)?;
        let mut dims = Vec::new();
        for p in &props {
            let kind = match p.get("Type").and_then(Value::as_str) {
                // GeoDetail: the region column of a table with one indeling (the KWB).
                Some("GeoDimension" | "GeoDetail") => DimensionKind::Geo,
                Some("TimeDimension") => DimensionKind::Time,
                Some("Dimension") => DimensionKind::Plain,
                _ => continue,
            };
            let Some(key) = p.get("Key").and_then(Value::as_str) else { continue };
            // Region keys are CBS codes and stay; only a table that has the code in a
            // column of its own (Codering) needs the titles, as region names.
            let values = if kind == DimensionKind::Geo && spec.region.code.is_none() {
                Vec::new()
            } else {
                self.collect(table, &self.table_url(table, key), &mut tally, on, false)?
                    .iter()
                    .filter_map(|v| {
                        Some((
                            v.get("Key")?.as_str()?.to_string(),
                            v.get("Title").and_then(Value::as_str).unwrap_or_default().to_string(),
                        ))
                    })
                    .collect()
            };
            dims.push(Dimension { key: key.to_string(), kind, values });
        }
        if dims.is_empty() {
            return Err(Error::Download {
                message: format!("CBS table {table}: DataProperties lists no dimensions"),
                hint: format!("is {} an OData v3 feed? The default is {DEFAULT_BASE_URL}", self.opts.base_url),
            });
        }
        let (period_keys, years, note) = match dims.iter().find(|d| d.kind == DimensionKind::Time) {
            Some(t) => {
                let (k, y, n) = choose_periods(t, &self.opts.years);
                (Some(k), y, n)
            }
            None => (None, Vec::new(), None),
        };
        let mut url = self.table_url(table, "TypedDataSet");
        if let Some(f) = row_filter(spec, &dims, period_keys.as_deref()) {
            url.push_str("&$filter=");
            url.push_str(&encode(&f));
        }
        let all_columns: Vec<&str> = props.iter().filter_map(|p| p.get("Key").and_then(Value::as_str)).collect();
        if let Some(sel) = column_selection(spec, &all_columns) {
            url.push_str("&$select=");
            url.push_str(&encode(&sel.join(",")));
        }
        let mut rows = self.collect(table, &url, &mut tally, on, true)?;
        titles_for_keys(&mut rows, &dims);
        let metadata =
            format!("{}/{}/$metadata#Cbs.OData.WebAPI.TypedDataSet", self.opts.base_url.trim_end_matches('/'), table);
        let n_rows = rows.len();
        let mut doc = Map::new();
        doc.insert("odata.metadata".into(), Value::String(metadata));
        doc.insert("value".into(), Value::Array(rows));
        let json = serde_json::to_vec(&Value::Object(doc)).expect("JSON values serialise");
        Ok(Downloaded {
            table: table.to_string(),
            rows: n_rows,
            pages: tally.pages,
            cached_pages: tally.cached,
            years,
            note,
            json,
        })
    }

    /// All `value` entries of a paged collection, following `odata.nextLink`.
    fn collect(
        &self,
        table: &str,
        first: &str,
        tally: &mut Tally,
        on: &mut dyn FnMut(Event),
        pages: bool,
    ) -> crate::Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut next = Some(first.to_string());
        let mut seen = BTreeSet::new();
        while let Some(url) = next.take() {
            if !seen.insert(url.clone()) {
                return Err(Error::Download {
                    message: format!("CBS table {table}: the server sent the same next page twice ({url})"),
                    hint: "this is a server fault; try again later".into(),
                });
            }
            let (doc, cached) = self.get_json(table, &url, on)?;
            tally.pages += 1;
            tally.cached += cached as usize;
            let Some(values) = doc.get("value").and_then(Value::as_array) else {
                return Err(Error::Download {
                    message: format!("CBS table {table}: the answer from {url} has no 'value' list"),
                    hint: format!("is {} an OData v3 feed? The default is {DEFAULT_BASE_URL}", self.opts.base_url),
                });
            };
            out.extend(values.iter().cloned());
            if pages {
                on(Event::Page { table, rows: out.len(), cached });
            }
            next = doc.get("odata.nextLink").and_then(Value::as_str).map(|l| self.absolute(l));
        }
        Ok(out)
    }

    /// A next link may be absolute or relative to the base URL.
    fn absolute(&self, link: &str) -> String {
        if link.starts_with("http://") || link.starts_with("https://") {
            link.to_string()
        } else {
            format!("{}/{}", self.opts.base_url.trim_end_matches('/'), link.trim_start_matches('/'))
        }
    }

    fn cache_path(&self, table: &str, url: &str) -> Option<PathBuf> {
        let dir = self.opts.cache_dir.as_ref()?;
        Some(dir.join(table.to_ascii_uppercase()).join(format!("{:016x}.json", fnv1a(url))))
    }

    /// One JSON document, from the cache when fresh, else from the server with retries.
    /// Returns the document and whether it came from the cache.
    fn get_json(&self, table: &str, url: &str, on: &mut dyn FnMut(Event)) -> crate::Result<(Value, bool)> {
        let cache = self.cache_path(table, url);
        if let Some(p) = &cache {
            if let Some(doc) = read_cached(p, self.opts.max_age) {
                return Ok((doc, true));
            }
        }
        let attempts = self.opts.attempts.max(1);
        let mut last = String::new();
        for attempt in 1..=attempts {
            match self.try_get(url) {
                Ok((bytes, doc)) => {
                    if let Some(p) = &cache {
                        // A cache that cannot be written costs a refetch next time, nothing more.
                        if let Some(dir) = p.parent() {
                            let _ = std::fs::create_dir_all(dir);
                        }
                        let _ = crate::paths::write_atomic(p, &bytes);
                    }
                    return Ok((doc, false));
                }
                Err(Failure::Fatal(e)) => return Err(e),
                Err(Failure::Transient(why)) => {
                    last = why;
                    if attempt < attempts {
                        on(Event::Retry { url, attempt, attempts, why: &last });
                        std::thread::sleep(self.opts.retry_delay * 2u32.pow(attempt - 1));
                    }
                }
            }
        }
        Err(Error::Download {
            message: format!("CBS table {table}: no good answer after {attempts} attempts from {url}: {last}"),
            hint: match &self.opts.cache_dir {
                Some(d) => format!(
                    "CBS may be busy or the connection unstable; run the same command again later (pages that did arrive are kept in {}). Offline? Import CBS files you have with `wijkmonitor data import`",
                    d.display()
                ),
                None => "CBS may be busy or the connection unstable; run the same command again later".into(),
            },
        })
    }

    fn try_get(&self, url: &str) -> Result<(Vec<u8>, Value), Failure> {
        let mut resp = match self.agent.get(url).header("Accept", "application/json").call() {
            Ok(r) => r,
            Err(e) => return Err(Failure::Transient(format!("no connection: {e}"))),
        };
        let status = resp.status().as_u16();
        let body = resp.body_mut().with_config().limit(1 << 30).read_to_vec();
        if status == 429 || status >= 500 {
            return Err(Failure::Transient(format!("HTTP {status}")));
        }
        if status != 200 {
            let snippet = body
                .as_deref()
                .map(|b| String::from_utf8_lossy(&b[..b.len().min(200)]).trim().to_string())
                .unwrap_or_default();
            return Err(Failure::Fatal(Error::Download {
                message: format!(
                    "CBS answered HTTP {status} for {url}{}",
                    if snippet.is_empty() { String::new() } else { format!(": {snippet}") }
                ),
                hint: if status == 404 {
                    "the table may be discontinued (CBS then publishes a new table id) or the base URL is wrong; check --base-url".into()
                } else {
                    "check --base-url and your network (proxy)".into()
                },
            }));
        }
        let bytes = body.map_err(|e| Failure::Transient(format!("the answer was cut off: {e}")))?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(doc) => Ok((bytes, doc)),
            Err(e) => Err(Failure::Transient(format!("the answer is incomplete JSON ({} bytes; {e})", bytes.len()))),
        }
    }
}

fn read_cached(path: &Path, max_age: Duration) -> Option<Value> {
    let meta = std::fs::metadata(path).ok()?;
    let age = SystemTime::now().duration_since(meta.modified().ok()?).unwrap_or_default();
    if age > max_age {
        return None;
    }
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(key: &str, kind: DimensionKind, values: &[(&str, &str)]) -> Dimension {
        Dimension {
            key: key.into(),
            kind,
            values: values.iter().map(|(k, t)| (k.to_string(), t.to_string())).collect(),
        }
    }

    fn spec(text: &str) -> SourceSpec {
        crate::ingest::spec::parse_spec(text, "t.toml").unwrap()
    }

    const SPEC: &str = r#"
id = "83648NED"
title = "t"
released = "2025-01-01"
detect = ["RegioS"]
period = "Perioden"
[region]
name = "RegioS"
[filter]
Geslacht = ["Totaal mannen en vrouwen", "T001038"]
[[measure]]
indicator = "a"
value = "X"
where = { SoortMisdrijf = ["Misdrijven, totaal"] }
[[measure]]
indicator = "b"
value = "X"
where = { SoortMisdrijf = ["1.0.0 "] }
"#;

    #[test]
    fn years_parse() {
        assert_eq!(Years::parse("2020-2022,2024").unwrap(), Years::Only(BTreeSet::from([2020, 2021, 2022, 2024])));
        assert!(Years::parse("2024-2020").is_err());
        assert!(Years::parse("twintig").is_err());
        assert!(Years::parse("").is_err());
    }

    #[test]
    fn periods_latest_and_fallback() {
        let p = dim(
            "Perioden",
            DimensionKind::Time,
            &[("2021JJ00", "2021"), ("2022JJ00", "2022"), ("2023MM03", "2023 maart"), ("2023MM09", "2023 september")],
        );
        let (keys, years, note) = choose_periods(&p, &Years::Latest(2));
        assert_eq!(keys, ["2022JJ00", "2023MM03", "2023MM09"]);
        assert_eq!(years, [2022, 2023]);
        assert!(note.is_none());
        let (keys, _, note) = choose_periods(&p, &Years::Only(BTreeSet::from([2010])));
        assert_eq!(keys, ["2023MM03", "2023MM09"]);
        assert!(note.unwrap().contains("2023"));
    }

    #[test]
    fn filter_pushes_down_table_filter_shared_where_and_periods() {
        let s = spec(SPEC);
        let dims = [
            dim("Geslacht", DimensionKind::Plain, &[("T001038", "Totaal mannen en vrouwen"), ("3000", "Mannen")]),
            dim(
                "SoortMisdrijf",
                DimensionKind::Plain,
                &[("0.0.0 ", "Misdrijven, totaal"), ("1.0.0 ", "1 Vermogensmisdrijven"), ("1.1.1 ", "Diefstal")],
            ),
            dim("RegioS", DimensionKind::Geo, &[]),
            dim("Perioden", DimensionKind::Time, &[("2023JJ00", "2023"), ("2024JJ00", "2024")]),
        ];
        let f = row_filter(&s, &dims, Some(&["2024JJ00".to_string()])).unwrap();
        assert_eq!(f, "Perioden eq '2024JJ00' and Geslacht eq 'T001038' and (SoortMisdrijf eq '0.0.0 ' or SoortMisdrijf eq '1.0.0 ')");
        // All periods wanted and no dimension narrows: no filter at all.
        let dims = [dim("Perioden", DimensionKind::Time, &[("2024JJ00", "2024")])];
        assert_eq!(row_filter(&s, &dims, Some(&["2024JJ00".to_string()])), None);
    }

    #[test]
    fn filter_skips_values_the_table_does_not_have() {
        let s = spec(SPEC);
        let dims = [dim("Geslacht", DimensionKind::Plain, &[("M", "Mannen"), ("V", "Vrouwen")])];
        assert_eq!(row_filter(&s, &dims, None), None);
    }

    #[test]
    fn quotes_and_encoding() {
        assert_eq!(encode("Perioden eq '2024JJ00'"), "Perioden%20eq%20%272024JJ00%27");
        let s = spec(&SPEC.replace("Totaal mannen en vrouwen", "Kinder's"));
        let dims = [dim("Geslacht", DimensionKind::Plain, &[("K'1", "Kinder's"), ("M", "Mannen")])];
        assert_eq!(row_filter(&s, &dims, None).unwrap(), "Geslacht eq 'K''1'");
    }

    #[test]
    fn titles_replace_keys_where_the_import_needs_names() {
        let dims = [
            dim("Geslacht", DimensionKind::Plain, &[("T001038", "Totaal mannen en vrouwen")]),
            dim("Perioden", DimensionKind::Time, &[("2024JJ00", "2024")]),
            dim("RegioS", DimensionKind::Geo, &[]),
            dim("Wijken", DimensionKind::Geo, &[("WK034401", "Binnenstad")]),
        ];
        let mut rows = vec![
            serde_json::json!({"Geslacht": "T001038", "Perioden": "2024JJ00", "RegioS": "GM0344  ", "Wijken": "WK034401"}),
        ];
        titles_for_keys(&mut rows, &dims);
        assert_eq!(rows[0]["Geslacht"], "Totaal mannen en vrouwen");
        assert_eq!(rows[0]["Perioden"], "2024JJ00");
        assert_eq!(rows[0]["RegioS"], "GM0344  ");
        assert_eq!(rows[0]["Wijken"], "Binnenstad");
    }

    #[test]
    fn select_asks_for_dimensions_and_referenced_columns_only() {
        let s = spec(&SPEC.replace(
            "value = \"X\"\nwhere = { SoortMisdrijf = [\"1.0.0 \"] }",
            "value = \"X#2\"\ncount = \"A+B\"\nwhere = { SoortMisdrijf = [\"1.0.0 \"] }",
        ));
        let cols = ["ID", "Geslacht", "SoortMisdrijf", "RegioS", "Perioden", "X_1", "X_2", "A_3", "B_4", "C_5"];
        let sel = column_selection(&s, &cols).unwrap();
        assert_eq!(sel, ["ID", "Geslacht", "SoortMisdrijf", "RegioS", "Perioden", "X_1", "X_2", "A_3", "B_4"]);
        assert_eq!(column_selection(&s, &cols[..8]), None);
    }

    #[test]
    fn statline_ids() {
        assert!(is_statline_id("85984NED"));
        assert!(is_statline_id("81064ned"));
        assert!(!is_statline_id("85618NED-pdok"));
        assert!(!is_statline_id("pdok-kwb-gemeenten"));
    }
}
