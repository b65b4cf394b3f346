//! One download run, the library side of `wijkmonitor data download`: which tables are
//! fetched (every table the descriptions read, or those asked for by id), from which of
//! CBS's two feeds, the year of the map outlines, and what arrived and what failed, each
//! table and layer on its own (CBS discontinues tables every year, and one that fails
//! must not keep the others out). The CLI only shows progress, writes what arrived and
//! imports it.

use std::fmt;

use super::wfs::{Layer, LAYERS};
use super::{statline_tables, Client, Downloaded, Event, Options, Years};
use crate::error::Error;
use crate::ingest::spec::{Feed, SourceSpec};

/// The tables to fetch: those the descriptions read in the years `years` asks for, or,
/// when `asked` names tables, those (any edition, whatever the years). An id no
/// description reads is an error that lists the ids there are.
pub fn choose_tables(specs: &[SourceSpec], years: &Years, asked: &[String]) -> crate::Result<Vec<SourceSpec>> {
    if asked.is_empty() {
        return Ok(statline_tables(specs, years));
    }
    let all = statline_tables(specs, &Years::Latest(usize::MAX));
    asked
        .iter()
        .map(|t| {
            all.iter().find(|s| s.id.eq_ignore_ascii_case(t.trim())).cloned().ok_or_else(|| Error::Download {
                status: None,
                message: format!("geen bronbeschrijving leest CBS-tabel '{}'", t.trim()),
                hint: format!(
                    "tabellen die wijkmonitor kan lezen: {}",
                    all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            })
        })
        .collect()
}

/// CBS's two OData feeds: its own tables, and those it publishes for others
/// (dataderden), fetched the same way.
pub struct Feeds {
    opendata: Client,
    derden: Client,
}

impl Feeds {
    /// Clients for both feeds with the same options; `derden_url` is the base URL of
    /// the second feed.
    pub fn new(opts: Options, derden_url: &str) -> Feeds {
        let derden = Client::new(Options {
            base_url: derden_url.trim_end_matches('/').to_string(),
            feed: Feed::Dataderden,
            ..opts.clone()
        });
        Feeds { opendata: Client::new(opts), derden }
    }

    /// The client of CBS's own feed (also used for PDOK's outlines).
    pub fn opendata(&self) -> &Client {
        &self.opendata
    }

    /// The client of the feed for others' tables.
    pub fn derden(&self) -> &Client {
        &self.derden
    }

    /// The client that fetches `spec`'s table.
    pub fn for_table(&self, spec: &SourceSpec) -> &Client {
        if spec.feed == Feed::Dataderden {
            &self.derden
        } else {
            &self.opendata
        }
    }
}

/// What did not arrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// A StatLine table, by id.
    Table(String),
    /// A PDOK layer of outlines.
    Layer {
        /// `gemeenten`, `wijken` or `buurten`.
        layer: String,
        /// Indeling year.
        year: i32,
    },
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Table(id) => f.write_str(id),
            Missing::Layer { layer, year } => write!(f, "PDOK {layer} {year}"),
        }
    }
}

/// A table or layer that did not arrive, and why.
#[derive(Debug)]
pub struct Failure {
    /// What did not arrive.
    pub missing: Missing,
    /// Why.
    pub error: Error,
}

/// Fetches each of `chosen` from its feed. `on` hears the progress of a table,
/// `done` each table's outcome as it comes. A table that fails leaves the others be.
pub fn fetch_tables(
    feeds: &Feeds,
    chosen: &[SourceSpec],
    on: &mut dyn FnMut(Event),
    done: &mut dyn FnMut(&SourceSpec, Result<&Downloaded, &Error>),
) -> (Vec<Downloaded>, Vec<Failure>) {
    let (mut tables, mut failed) = (Vec::new(), Vec::new());
    for spec in chosen {
        match feeds.for_table(spec).table(spec, on) {
            Ok(d) => {
                done(spec, Ok(&d));
                tables.push(d);
            }
            Err(error) => {
                done(spec, Err(&error));
                failed.push(Failure { missing: Missing::Table(spec.id.clone()), error });
            }
        }
    }
    (tables, failed)
}

/// Fetches the outlines of `year` from PDOK at `pdok_url`, each layer all or nothing
/// like a table. `done` hears each layer's outcome; an empty layer is left out (it is
/// no failure: there are no maps of it).
pub fn fetch_outlines(
    client: &Client,
    pdok_url: &str,
    year: i32,
    on: &mut dyn FnMut(Event),
    done: &mut dyn FnMut(&str, Result<&Layer, &Error>),
) -> (Vec<Layer>, Vec<Failure>) {
    let (mut layers, mut failed) = (Vec::new(), Vec::new());
    for layer in LAYERS {
        match client.wfs_layer(pdok_url, year, layer, on) {
            Ok(l) => {
                done(layer, Ok(&l));
                if l.features > 0 {
                    layers.push(l);
                }
            }
            Err(error) => {
                done(layer, Err(&error));
                failed.push(Failure { missing: Missing::Layer { layer: layer.to_string(), year }, error });
            }
        }
    }
    (layers, failed)
}

/// The indeling year of the outlines: the last of `years`, but no later than the
/// newest year any table arrived with (PDOK has no outlines for a year CBS has no
/// figures of); without `years`, the newest year of the Kerncijfers wijken en buurten
/// that arrived (or of any table), so the maps fit the figures.
pub fn outline_year(years: Option<&Years>, tables: &[Downloaded]) -> i32 {
    let newest = |t: &Downloaded| t.years.last().copied();
    let newest_any = tables.iter().filter_map(newest).max();
    let kwb = tables.iter().filter(|t| crate::model::is_kwb_table(&t.table)).filter_map(newest).max();
    match years {
        Some(Years::Only(set)) if !set.is_empty() => {
            let asked = *set.last().expect("not empty");
            newest_any.map_or(asked, |n| asked.min(n))
        }
        _ => kwb.or(newest_any).unwrap_or(2024),
    }
}

impl Downloaded {
    /// The file name the importer reads the table from (`86088NED_UntypedDataSet.json`).
    pub fn file_name(&self) -> String {
        format!("{}_UntypedDataSet.json", self.table.to_ascii_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(id: &str, years: &[i32]) -> Downloaded {
        Downloaded {
            table: id.into(),
            rows: 1,
            pages: 1,
            cached_pages: 0,
            years: years.to_vec(),
            note: None,
            json: Vec::new(),
        }
    }

    #[test]
    fn the_outline_year_follows_years_but_not_past_the_figures() {
        let tables = [table("85984NED", &[2024]), table("86088NED", &[2019, 2024])];
        assert_eq!(outline_year(None, &tables), 2024);
        let only = |ys: &[i32]| Years::Only(ys.iter().copied().collect());
        assert_eq!(outline_year(Some(&only(&[2022])), &tables), 2022);
        assert_eq!(outline_year(Some(&only(&[2030])), &tables), 2024);
        assert_eq!(outline_year(Some(&only(&[2023])), &[]), 2023);
    }

    #[test]
    fn tables_asked_by_id_are_any_edition_and_an_unknown_id_lists_the_known() {
        let specs = crate::ingest::spec::builtin_specs();
        // 83903NED is the 2016 edition: asked by id, it comes whatever the years.
        let asked = choose_tables(&specs, &Years::parse("2024").unwrap(), &[" 83903ned ".into()]).unwrap();
        assert_eq!(asked.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["83903NED"]);
        let e = choose_tables(&specs, &Years::default(), &["12345NED".into()]).unwrap_err();
        assert!(e.to_string().contains("'12345NED'") && e.hint().unwrap().contains("85984NED"), "{e}");
        assert_eq!(
            choose_tables(&specs, &Years::default(), &[]).unwrap().len(),
            statline_tables(&specs, &Years::default()).len()
        );
    }

    #[test]
    fn a_missing_layer_is_named_apart_from_a_table() {
        assert_eq!(Missing::Table("85984NED".into()).to_string(), "85984NED");
        assert_eq!(Missing::Layer { layer: "wijken".into(), year: 2024 }.to_string(), "PDOK wijken 2024");
        assert_eq!(table("86088ned", &[]).file_name(), "86088NED_UntypedDataSet.json");
    }
}
