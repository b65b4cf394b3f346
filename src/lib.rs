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
//! Only [`batch`] and the binary's `cli` layer touch the file system for output; every
//! other stage is a pure function of its inputs (charts return SVG strings, the document
//! stage returns PDF bytes).

#![warn(missing_docs)]

pub mod batch;
pub mod charts;
pub mod compare;
pub mod document;
pub mod error;
pub mod format;
pub mod ingest;
pub mod model;
pub mod narrate;
pub mod paths;

pub use error::{Error, Result};
