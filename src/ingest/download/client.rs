//! The HTTP side of the download: a client for the CBS OData feed that follows
//! `odata.nextLink` page by page, retries transport errors, 429/5xx answers and cut-off
//! JSON with a growing pause, and keeps every good response in a cache (one file per
//! URL) so a repeated or interrupted run does not fetch twice.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::{Map, Value};

use super::query::{choose_periods, column_selection, encode, row_filter, titles_for_keys, Dimension, DimensionKind};
use std::collections::BTreeSet;

use super::bounds::{
    count_values, json_values, read_cached, Limits, MAX_PAGES, MAX_TABLE_VALUES, ODATA_PAGE, WAIT_WORD, WFS_PAGE,
};
use super::{Downloaded, Event, Options};
use crate::error::Error;
use crate::ingest::spec::SourceSpec;

/// How a table or layer is named in a message: "CBS-tabel 85984NED", "PDOK-laag wijken 2024".
fn what(table: &str) -> String {
    if crate::model::is_statline_id(table) {
        format!("CBS-tabel {table}")
    } else {
        table.to_string()
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
                status: None,
                message: format!("CBS-tabel {table}: DataProperties noemt geen dimensies"),
                hint: format!(
                    "is {} wel een OData-v3-feed? Standaard is {}",
                    self.opts.base_url,
                    self.opts.default_url()
                ),
            });
        }
        let (period_keys, years, note) = match dims.iter().find(|d| d.kind == DimensionKind::Time) {
            Some(t) => {
                let (k, y, n) = choose_periods(t, &self.opts.years);
                (Some(k), y, n)
            }
            None => (None, Vec::new(), None),
        };
        // UntypedDataSet, not TypedDataSet: only the untyped set keeps CBS's "." for a
        // secret cell (the typed one sends null, as for an empty one), so a download
        // and an import of the same table give the same statuses.
        let mut url = self.table_url(table, "UntypedDataSet");
        if let Some(f) = row_filter(spec, &dims, period_keys.as_deref()) {
            url.push_str("&$filter=");
            url.push_str(&encode(&f));
        }
        let all_columns = data_columns(&props);
        if let Some(sel) = column_selection(spec, &all_columns) {
            url.push_str("&$select=");
            url.push_str(&encode(&sel.join(",")));
        }
        let mut rows = self.collect(table, &url, &mut tally, on, true)?;
        titles_for_keys(&mut rows, &dims);
        let metadata =
            format!("{}/{}/$metadata#Cbs.OData.WebAPI.UntypedDataSet", self.opts.base_url.trim_end_matches('/'), table);
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
        let mut values_read = 0usize;
        let mut next = Some(first.to_string());
        let mut seen = BTreeSet::new();
        while let Some(url) = next.take() {
            if !seen.insert(url.clone()) {
                return Err(Error::Download {
                    status: None,
                    message: format!("CBS-tabel {table}: de server stuurde dezelfde volgende pagina twee keer ({url})"),
                    hint: "dit is een fout van de server; probeer het later opnieuw".into(),
                });
            }
            let (doc, cached) = self.get_json_within(table, &url, on, ODATA_PAGE)?;
            tally.pages += 1;
            tally.cached += cached as usize;
            let Some(values) = doc.get("value").and_then(Value::as_array) else {
                return Err(Error::Download {
                    status: None,
                    message: format!("CBS-tabel {table}: het antwoord van {url} heeft geen lijst 'value'"),
                    hint: format!(
                        "is {} wel een OData-v3-feed? Standaard is {}",
                        self.opts.base_url,
                        self.opts.default_url()
                    ),
                });
            };
            values_read += json_values(values.iter());
            if values_read > MAX_TABLE_VALUES || tally.pages > MAX_PAGES {
                return Err(Error::Download {
                    status: None,
                    message: format!(
                        "CBS-tabel {table}: meer dan {} waarden of {MAX_PAGES} pagina's; zo groot is geen tabel die wijkmonitor leest",
                        crate::format::number(MAX_TABLE_VALUES as f64, 0)
                    ),
                    hint: format!("controleer {}; kies met --years minder jaren", self.opts.url_option()),
                });
            }
            out.extend(values.iter().cloned());
            if pages {
                on(Event::Page { table, rows: out.len(), cached });
            }
            next = match doc.get("odata.nextLink").and_then(Value::as_str) {
                Some(link) => Some(self.next_page(table, first, link)?),
                None => None,
            };
        }
        Ok(out)
    }

    /// The next page of the collection `first` from an `odata.nextLink`: followed only
    /// when it is the same collection (table and entity) on the chosen server, so a
    /// server cannot make the download read, and merge in, another path.
    fn next_page(&self, table: &str, first: &str, link: &str) -> crate::Result<String> {
        let next = self.absolute(link);
        let path = |u: &str| u.split('?').next().unwrap_or("").trim_end_matches('/').to_ascii_lowercase();
        if path(&next) != path(first) {
            return Err(Error::Download {
                status: None,
                message: format!(
                    "{}: de server verwijst voor de volgende pagina naar een ander adres ({}) dan de tabel die gelezen wordt ({})",
                    what(table),
                    crate::model::region::shown(&next),
                    path(first)
                ),
                hint: format!(
                    "dat volgt wijkmonitor niet; controleer {} (een proxy die adressen herschrijft?)",
                    self.opts.url_option()
                ),
            });
        }
        Ok(next)
    }

    /// A next link may be absolute or relative to the base URL. An absolute link is
    /// taken onto the base URL the client was given from the table id on (CBS writes
    /// `…/ODataFeed/OData/83599NED/UntypedDataSet/?$skip=10000` whatever host or proxy was
    /// asked), so paging stays on the server the user chose.
    fn absolute(&self, link: &str) -> String {
        let base = self.opts.base_url.trim_end_matches('/');
        if !(link.starts_with("http://") || link.starts_with("https://")) {
            return format!("{base}/{}", link.trim_start_matches('/'));
        }
        // The path after the feed root: the segment that follows "/odata/" (any case).
        let lower = link.to_ascii_lowercase();
        match lower.find("/odata/") {
            Some(i) => format!("{base}/{}", &link[i + "/odata/".len()..]),
            None => link.to_string(),
        }
    }

    fn cache_path(&self, table: &str, url: &str) -> Option<PathBuf> {
        let dir = self.opts.cache_dir.as_ref()?;
        let folder = table.to_ascii_uppercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-");
        Some(dir.join(folder).join(format!("{:016x}.json", crate::paths::fnv1a(url.as_bytes()))))
    }

    /// One JSON document, from the cache when fresh, else from the server with retries,
    /// within the bounds of a WFS page. Returns the document and whether it came from the
    /// cache.
    pub(super) fn get_json(&self, table: &str, url: &str, on: &mut dyn FnMut(Event)) -> crate::Result<(Value, bool)> {
        self.get_json_within(table, url, on, WFS_PAGE)
    }

    /// [`Client::get_json`] within `limits`. All tries of one request share one deadline
    /// (`--timeout`); while an answer is awaited, a word is said every few seconds.
    /// Only a document that was read whole and within its bounds is cached.
    fn get_json_within(
        &self,
        table: &str,
        url: &str,
        on: &mut dyn FnMut(Event),
        limits: Limits,
    ) -> crate::Result<(Value, bool)> {
        let cache = self.cache_path(table, url);
        if let Some(p) = &cache {
            if let Some(doc) = read_cached(p, self.opts.max_age, limits) {
                return Ok((doc, true));
            }
        }
        let attempts = self.opts.attempts.max(1);
        let deadline = Instant::now() + self.opts.timeout;
        let mut last = String::new();
        for attempt in 1..=attempts {
            match self.try_get_waiting(table, url, deadline, limits, on) {
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
                    let pause = self.opts.retry_delay * 2u32.pow(attempt - 1);
                    if attempt < attempts && Instant::now() + pause < deadline {
                        on(Event::Retry { url, attempt, attempts, why: &last });
                        std::thread::sleep(pause);
                    } else if attempt < attempts {
                        break;
                    }
                }
            }
        }
        if Instant::now() >= deadline {
            return Err(self.too_slow(table, url, &last));
        }
        Err(Error::Download {
            status: None,
            message: format!("{}: geen goed antwoord na {attempts} pogingen van {url}: {last}", what(table)),
            hint: match &self.opts.cache_dir {
                Some(d) => format!(
                    "CBS is misschien druk of de verbinding is onstabiel; geef dezelfde opdracht later opnieuw (pagina's die wel binnenkwamen, staan in {}). Geen internet? Lees CBS-bestanden die u heeft in met `wijkmonitor data import`",
                    d.display()
                ),
                None => "CBS is misschien druk of de verbinding is onstabiel; geef dezelfde opdracht later opnieuw".into(),
            },
        })
    }

    fn too_slow(&self, table: &str, url: &str, last: &str) -> Error {
        Error::Download {
            status: None,
            message: format!(
                "{}: geen volledig antwoord binnen {} s van {url}{}",
                what(table),
                self.opts.timeout.as_secs(),
                if last.is_empty() { String::new() } else { format!(" ({last})") }
            ),
            hint:
                "de server antwoordt te langzaam; probeer het later opnieuw, of geef meer tijd met --timeout SECONDEN"
                    .into(),
        }
    }

    /// One try, run beside a clock: every [`WAIT_WORD`] without an answer the caller
    /// hears how long it has been waiting.
    fn try_get_waiting(
        &self,
        table: &str,
        url: &str,
        deadline: Instant,
        limits: Limits,
        on: &mut dyn FnMut(Event),
    ) -> Result<(Vec<u8>, Value), Failure> {
        let start = Instant::now();
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::channel();
            scope.spawn(move || {
                let _ = tx.send(self.try_get(table, url, deadline, limits));
            });
            loop {
                match rx.recv_timeout(WAIT_WORD) {
                    Ok(result) => return result,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        on(Event::Waiting { url, seconds: start.elapsed().as_secs() });
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(Failure::Transient("het verzoek brak af".into()));
                    }
                }
            }
        })
    }

    fn try_get(&self, table: &str, url: &str, deadline: Instant, limits: Limits) -> Result<(Vec<u8>, Value), Failure> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Failure::Fatal(self.too_slow(table, url, "")));
        }
        let request =
            self.agent.get(url).header("Accept", "application/json").config().timeout_global(Some(left)).build();
        let mut resp = match request.call() {
            Ok(r) => r,
            Err(e) => return Err(self.failed_call(table, url, e)),
        };
        let status = resp.status().as_u16();
        let content_type =
            resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        let body = resp.body_mut().with_config().limit(limits.bytes).read_to_vec(); // A proxy or maintenance page answers HTML, often with status 200: not JSON that
                                                                                    // was cut off, and asking again will not change it.
        if content_type.contains("text/html") {
            return Err(Failure::Fatal(Error::Download {
                status: None,
                message: format!("de server gaf een HTML-pagina (HTTP {status}), geen CBS-gegevens, voor {url}"),
                hint: format!(
                    "een proxy, een inlogpagina of onderhoud bij CBS zit in de weg; open het adres in een browser, of \
                     probeer het later opnieuw ({} kiest een andere server)",
                    self.opts.url_option()
                ),
            }));
        }
        if status == 429 || status >= 500 {
            return Err(Failure::Transient(format!("HTTP {status}")));
        }
        if status != 200 {
            let snippet = body
                .as_deref()
                .map(|b| String::from_utf8_lossy(&b[..b.len().min(200)]).trim().to_string())
                .unwrap_or_default();
            let (path, query) = url.split_once('?').unwrap_or((url, ""));
            return Err(Failure::Fatal(Error::Download {
                status: Some(status),
                message: format!(
                    "de server antwoordde HTTP {status} voor {path}{}",
                    if snippet.is_empty() { String::new() } else { format!(": {snippet}") }
                ),
                hint: match status {
                    404 => {
                        "de tabel is misschien stopgezet (CBS vervangt tabellen elk jaar onder een nieuw id); laat haar weg \
                            met --tables, of download de tabellen die wel werken"
                            .into()
                    }
                    400 => format!(
                        "CBS accepteerde de vraag niet; dit is een fout in de vraag van wijkmonitor, meld die alstublieft: {}",
                        crate::ingest::download::query::decode(query)
                    ),
                    _ => format!("controleer {} en uw netwerk (proxy)", self.opts.url_option()),
                },
            }));
        }
        let bytes = match body {
            Ok(b) => b,
            Err(ureq::Error::BodyExceedsLimit(_)) => {
                return Err(Failure::Fatal(too_big(&self.opts, table, url, limits)))
            }
            Err(ureq::Error::Timeout(_)) => return Err(Failure::Fatal(self.too_slow(table, url, ""))),
            Err(e) => return Err(Failure::Transient(format!("het antwoord is afgebroken: {e}"))),
        };
        parse(&self.opts, table, url, bytes, limits)
    }

    /// A request that got no answer: a transport error is worth another try; a bad
    /// address, a redirect loop or the deadline is not, and each says so.
    fn failed_call(&self, table: &str, url: &str, e: ureq::Error) -> Failure {
        match e {
            ureq::Error::BadUri(why) => Failure::Fatal(bad_address(&self.opts, url, &why)),
            ureq::Error::Http(why) => Failure::Fatal(bad_address(&self.opts, url, &why.to_string())),
            ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => Failure::Fatal(Error::Download {
                status: None,
                message: format!(
                    "{}: de server stuurt steeds door naar een ander adres (omleidingslus) voor {url}",
                    what(table)
                ),
                hint: format!("controleer {}; een proxy of inlogpagina kan zo doorsturen", self.opts.url_option()),
            }),
            ureq::Error::Timeout(_) => Failure::Fatal(self.too_slow(table, url, "")),
            ureq::Error::HostNotFound => Failure::Transient(format!(
                "de servernaam is niet gevonden (geen internet, of een typefout in {}?)",
                self.opts.url_option()
            )),
            e => Failure::Transient(format!("geen verbinding: {e}")),
        }
    }
}

fn bad_address(opts: &Options, url: &str, why: &str) -> Error {
    Error::Download {
        status: None,
        message: format!("'{}' is geen bruikbaar adres ({why})", crate::model::region::shown(url)),
        hint: format!("controleer {}; standaard is {}", opts.url_option(), opts.default_url()),
    }
}

fn too_big(opts: &Options, table: &str, url: &str, limits: Limits) -> Error {
    Error::Download {
        status: None,
        message: format!(
            "{}: het antwoord van {url} is groter dan {} MB of {} waarden; zo groot is geen pagina van CBS",
            what(table),
            limits.bytes >> 20,
            crate::format::number(limits.values as f64, 0)
        ),
        hint: format!(
            "controleer {}; een andere server (of een proxy) stuurt hier iets anders dan CBS-gegevens",
            opts.url_option()
        ),
    }
}

/// Parses an answer within its bounds. Cut off (the end missing): worth another try;
/// not UTF-8 or not JSON: not.
fn parse(opts: &Options, table: &str, url: &str, bytes: Vec<u8>, limits: Limits) -> Result<(Vec<u8>, Value), Failure> {
    if count_values(&bytes, limits.values) > limits.values {
        return Err(Failure::Fatal(too_big(opts, table, url, limits)));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(doc) => Ok((bytes, doc)),
        Err(e) if e.is_eof() => {
            Err(Failure::Transient(format!("het antwoord is onvolledige JSON ({} bytes; {e})", bytes.len())))
        }
        Err(e) => {
            let message = match std::str::from_utf8(&bytes) {
                Err(bad) => format!(
                    "{}: het antwoord van {url} is geen geldige UTF-8-tekst (byte {})",
                    what(table),
                    bad.valid_up_to() + 1
                ),
                Ok(_) => format!("{}: het antwoord van {url} is geen geldige JSON: {e}", what(table)),
            };
            Err(Failure::Fatal(Error::Download {
                status: None,
                message,
                hint: format!(
                    "controleer {}; daar staat geen OData-feed van CBS (of een proxy verandert de antwoorden)",
                    opts.url_option()
                ),
            }))
        }
    }
}

/// The columns a `$select` may name: the keys of dimensions and topics. CBS's
/// DataProperties also list TopicGroups, which are headings with an empty key (a
/// `$select` with an empty item is a syntax error) or with a key that is no column.
pub fn data_columns(props: &[Value]) -> Vec<&str> {
    props
        .iter()
        .filter(|p| {
            matches!(
                p.get("Type").and_then(Value::as_str),
                Some("Dimension" | "GeoDimension" | "GeoDetail" | "TimeDimension" | "Topic")
            )
        })
        .filter_map(|p| p.get("Key").and_then(Value::as_str))
        .filter(|k| !k.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_names_only_dimensions_and_topics_never_an_empty_key() {
        // As in CBS's DataProperties of 80137ned: TopicGroups are headings with "Key": "".
        let props: Vec<Value> = serde_json::from_str(
            r#"[{"Type": "Dimension", "Key": "Persoonskenmerken"},
                {"Type": "TimeDimension", "Key": "Perioden"},
                {"Type": "TopicGroup", "Key": ""},
                {"Type": "TopicGroup", "Key": "Banen"},
                {"Type": "Topic", "Key": "Werknemers_2"},
                {"Type": "GeoDetail", "Key": "WijkenEnBuurten"}]"#,
        )
        .unwrap();
        assert_eq!(data_columns(&props), ["Persoonskenmerken", "Perioden", "Werknemers_2", "WijkenEnBuurten"]);
    }

    #[test]
    fn an_absolute_next_link_stays_on_the_chosen_server() {
        let c = Client::new(Options { base_url: "http://127.0.0.1:9/ODataFeed/odata".into(), ..Default::default() });
        // CBS's own link, as recorded (note "OData" in another case than the base URL).
        let link = "https://opendata.cbs.nl/ODataFeed/OData/83599NED/UntypedDataSet/?$format=json&$skip=10000";
        assert_eq!(
            c.absolute(link),
            "http://127.0.0.1:9/ODataFeed/odata/83599NED/UntypedDataSet/?$format=json&$skip=10000"
        );
        assert_eq!(
            c.absolute("83599NED/TypedDataSet?$skip=5"),
            "http://127.0.0.1:9/ODataFeed/odata/83599NED/TypedDataSet?$skip=5"
        );
    }
}
