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
//!
//! The pure part, the OData query building ([`query`]: dimensions, `$filter`,
//! `$select`, keys → titles), is apart from HTTP, retries and the cache ([`client`]), so
//! a second backend (CBS's OData v4 feed) can sit beside it.
//!
//! CBS runs a second feed with the same API for tables it publishes for others
//! (dataderden: the Politie's and RIVM's); a description with `feed = "dataderden"` is
//! fetched from there by a second [`Client`] with that base URL, the same way.

mod bounds;
pub mod client;
pub mod query;
pub mod run;
pub mod wfs;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

pub use client::Client;
pub use query::{choose_periods, column_selection, row_filter, titles_for_keys, Dimension, DimensionKind};
pub use run::{choose_tables, fetch_outlines, fetch_tables, outline_year, Failure, Feeds, Missing};

use super::spec::{Feed, SourceSpec};

/// CBS's OData v3 bulk feed: no row maximum per request, server-driven paging.
pub const DEFAULT_BASE_URL: &str = "https://opendata.cbs.nl/ODataFeed/odata";

/// CBS's second OData v3 feed, with the same API, for tables it publishes for others
/// ("derden"): the Politie's crime per wijk and buurt (47018NED), RIVM's health
/// estimates (50150NED). A source description says `feed = "dataderden"`.
pub const DEFAULT_DERDEN_URL: &str = "https://dataderden.cbs.nl/ODataFeed/odata";

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
                    .ok_or_else(|| format!("'{s}' is geen jaar"))
            };
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (year(a)?, year(b)?);
                    if a > b {
                        return Err(format!("'{part}': het eerste jaar ligt na het laatste"));
                    }
                    set.extend(a..=b);
                }
                None => {
                    set.insert(year(part)?);
                }
            }
        }
        if set.is_empty() {
            return Err("geen jaren gegeven".into());
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
    /// Time limit for one request, connect to last byte, all its tries together.
    pub timeout: Duration,
    /// Folder for cached responses; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// Cached responses older than this are fetched again.
    pub max_age: Duration,
    /// Which of CBS's two feeds `base_url` is: the hints name its own option and default.
    pub feed: Feed,
}

impl Options {
    /// The command-line option (and environment variable) that sets this feed's address,
    /// as a hint names it: "--base-url (of WIJKMONITOR_CBS_URL)".
    pub fn url_option(&self) -> &'static str {
        match self.feed {
            Feed::Opendata => "--base-url (of WIJKMONITOR_CBS_URL)",
            Feed::Dataderden => "--derden-url (of WIJKMONITOR_DERDEN_URL)",
        }
    }

    /// The address this feed has when no option sets it.
    pub fn default_url(&self) -> &'static str {
        match self.feed {
            Feed::Opendata => DEFAULT_BASE_URL,
            Feed::Dataderden => DEFAULT_DERDEN_URL,
        }
    }
}

impl Default for Years {
    /// The latest [`DEFAULT_YEARS`] years.
    fn default() -> Self {
        Years::Latest(DEFAULT_YEARS)
    }
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
            feed: Feed::Opendata,
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
    /// An answer is still awaited (said every few seconds).
    Waiting {
        /// The URL.
        url: &'a str,
        /// Seconds since the request was sent.
        seconds: u64,
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

/// The StatLine tables the source descriptions read, each once, in id order. A
/// description with yearly editions gives one table per edition, as many as `years`
/// asks for: the latest `n` editions, or those of the years asked (the latest one when
/// none matches).
pub fn statline_tables(specs: &[SourceSpec], years: &Years) -> Vec<SourceSpec> {
    let mut seen = BTreeSet::new();
    let mut out: Vec<SourceSpec> = Vec::new();
    for s in specs {
        let mut tables = s.per_table();
        if !s.editions.is_empty() {
            tables = match years {
                Years::Latest(n) => tables.split_off(tables.len().saturating_sub(*n)),
                Years::Only(set) => {
                    let latest = tables.last().cloned();
                    let chosen: Vec<SourceSpec> =
                        tables.into_iter().filter(|t| t.year.is_some_and(|y| set.contains(&y))).collect();
                    if chosen.is_empty() {
                        latest.into_iter().collect()
                    } else {
                        chosen
                    }
                }
            };
        }
        // Another publisher's table is fetched only from the feed CBS runs for others
        // (the Politie's 47018NED, RIVM's 50150NED); one that is on neither (RIVM's
        // 50090NED, superseded by 50150NED) is imported from a file.
        let on_a_feed = |t: &SourceSpec| {
            (t.cbs || t.feed == Feed::Dataderden) && !s.not_downloaded.iter().any(|n| n.eq_ignore_ascii_case(&t.id))
        };
        out.extend(
            tables
                .into_iter()
                .filter(|t| on_a_feed(t) && is_statline_id(&t.id) && seen.insert(t.id.to_ascii_uppercase())),
        );
    }
    out.sort_by_key(|s| s.id.to_ascii_uppercase());
    out
}

pub use crate::model::is_statline_id;

#[cfg(test)]
mod tests {
    use super::query::*;
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

    #[test]
    fn a_table_id_shared_by_a_csv_copy_is_downloaded_by_the_statline_description() {
        // RIVM's wijk file of 83674NED is credited to that table; the download must still
        // use the StatLine description (with RegioS), not the CSV copy's.
        let specs = crate::ingest::spec::builtin_specs();
        let tables = statline_tables(&specs, &Years::default());
        let t = tables.iter().find(|s| s.id == "83674NED").unwrap();
        assert!(t.detect.iter().any(|c| format!("{c:?}").contains("RegioS")), "{:?}", t.detect);
    }

    #[test]
    fn the_politie_and_rivm_tables_come_from_the_second_feed() {
        let specs = crate::ingest::spec::builtin_specs();
        let tables = statline_tables(&specs, &Years::default());
        let feed = |id: &str| tables.iter().find(|t| t.id == id).map(|t| t.feed);
        assert_eq!(feed("47018NED"), Some(Feed::Dataderden));
        assert_eq!(feed("50150NED"), Some(Feed::Dataderden));
        assert_eq!(feed("85999NED"), Some(Feed::Opendata));
        // 50090NED is superseded by 50150NED: read from a file, never downloaded.
        assert_eq!(feed("50090NED"), None);
        // The KWB's 2025 edition is downloaded as the 2025 table, not as 2024.
        let kwb25 = tables.iter().find(|t| t.id == "86165NED").unwrap();
        assert_eq!(kwb25.year, Some(2025));
        assert!(kwb25.title.contains("2025"), "{}", kwb25.title);
    }

    #[test]
    fn yearly_editions_are_downloaded_as_the_years_ask() {
        let specs = crate::ingest::spec::builtin_specs();
        let ids = |y: &Years| -> Vec<String> {
            statline_tables(&specs, y).into_iter().filter(|t| t.editions.contains_key("2018")).map(|t| t.id).collect()
        };
        // Misdrijven per wijk en buurt: 2016 83903NED, 2017 83901NED, 2018 84468NED.
        let all = ids(&Years::Latest(10));
        for id in ["83903NED", "83901NED", "84468NED", "83818NED", "85638NED"] {
            assert!(all.contains(&id.to_string()), "{id} in {all:?}");
        }
        let only = ids(&Years::parse("2017").unwrap());
        assert!(only.contains(&"83901NED".to_string()) && !only.contains(&"83903NED".to_string()), "{only:?}");
        // Each edition's description carries its year and credits its own table.
        let t = statline_tables(&specs, &Years::Latest(10)).into_iter().find(|t| t.id == "83903NED").unwrap();
        assert_eq!(t.year, Some(2016));
        assert!(t.title.contains("2016") && t.title.contains("83903NED"), "{}", t.title);
    }
}
