//! wijkmonitor: interpreted PDF factsheets for Dutch gemeenten, wijken and buurten from
//! CBS open data.
//!
//! The library is the pipeline; each stage is a module and data flows one way:
//!
//! ```text
//! ingest  → model → compare → narrate → charts → document → batch
//! (files)   (store,  (ratings, (Dutch    (SVG)    (Typst    (many
//!            regions, peers,   sentences)          → PDF)    reports)
//!            catalogue) trends)
//! ```
//!
//! Beside the stages: [`templates`] (the wording and layout files both narrate and
//! document read), [`report`] (one factsheet start to finish, which the single command
//! and every batch worker run), [`export`] (the figures as CSV, JSON or a workbook) and
//! [`mod@format`] (Dutch numbers). A [`session::Session`] opens the data (a store or the
//! demo) and reads the part of it a command needs. The words of the domain are types in [`model`]: a
//! [`model::Unit`], a herkomst [`model::Group`], a [`model::Source`]; the verdict of a
//! comparison is a [`compare::Verdict`] that carries its word and its colour.
//!
//! Only [`batch`] and the binary's `cli` layer touch the file system for output; every
//! other stage is a pure function of its inputs (charts return SVG strings, the document
//! stage returns PDF bytes).
//!
//! # From the demo data to the Dutch sentences
//!
//! ```
//! use wijkmonitor::compare::{Context, Options};
//! use wijkmonitor::session::Session;
//! use wijkmonitor::store::Scope;
//! use wijkmonitor::templates::Templates;
//!
//! # fn main() -> wijkmonitor::Result<()> {
//! // The fictional demo gemeente Voorbeeldstad, read through the same importers as a
//! // user's CBS files (`Session::open(Store::new(dir))` reads a store instead).
//! let ds = Session::demo()?.dataset(&Scope::all())?;
//!
//! // Compare Voorbeeldstad with Nederland and its peers on every indicator.
//! let ctx = Context::new(&ds, None);
//! let profile = ctx.profile("GM9990", &Options::default())?;
//! let bijstand = profile.indicator("bijstand").expect("the demo has bijstand");
//! assert_eq!(bijstand.main_rating().word(), "duidelijk ongunstiger");
//!
//! // And say it in Dutch, with the reason from the catalogue.
//! let text = wijkmonitor::narrate::narrate(&Templates::builtin()?, &profile, &ds.catalogue)?;
//! let finding = text.highlights.iter().find(|f| f.indicator == "bijstand").unwrap();
//! assert!(finding.sentence.contains("4,8%"));
//! assert!(finding.reason.contains("vangnet"));
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod batch;
pub mod charts;
pub mod compare;
pub mod dataset;
pub mod document;
pub mod error;
pub mod export;
pub mod format;
pub mod ingest;
pub mod model;
pub mod narrate;
pub mod paths;
pub mod report;
pub mod session;
pub mod store;
pub mod templates;
pub mod testkit;

pub use error::{Error, Result};
