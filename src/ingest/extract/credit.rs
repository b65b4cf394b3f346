//! Which source a table's figures are credited to. Usually the table itself, but a KWB
//! copy credits each year's figures to that year's StatLine table, a description with
//! yearly editions credits each edition, and a table whose publisher changed the method
//! (`breaks`) or continues another series (`series`) names its series per year. Apart
//! from the row loop because these rules are about the description, not about a row.

use std::collections::HashMap;
use std::sync::Arc;

use crate::ingest::cell::part_of_year;
use crate::ingest::spec::SourceSpec;
use crate::ingest::table::Table;
use crate::model::{Atom, Source};

/// The sources of one table's figures, each made once.
pub(super) struct Credits<'s> {
    spec: &'s SourceSpec,
    /// The table's own source.
    source: Arc<Source>,
    /// Release date of the figures.
    pub released: Atom,
    /// Source per (year, sub-period), for tables credited per year.
    editions: HashMap<(i32, i32), Arc<Source>>,
    /// Another publisher's outlines are credited on the map (empty for CBS's).
    pub outline_source: String,
}

impl<'s> Credits<'s> {
    /// The credits of `table` read by `spec`. One of several tables with the same
    /// columns is the one the file name names.
    pub fn new(spec: &'s SourceSpec, table: &Table) -> Credits<'s> {
        let (source, released) = match spec.table_in_file_name(&table.path) {
            Some((id, released)) => (Source::new(id, spec.title.replace("{id}", id), spec.cbs), Atom::from(released)),
            None => {
                let (id, title) = spec.credit(spec.year.unwrap_or_default());
                (Source::new(id, title, spec.cbs), Atom::from(spec.released.as_str()))
            }
        };
        let outline_source = if spec.cbs { String::new() } else { spec.title.clone() };
        Credits { spec, source, released, editions: HashMap::new(), outline_source }
    }

    /// The source of a figure of `year` (and sub-period `sub`). An edition that holds
    /// only part of a year (the first half year of 2024) is a series of its own: half a
    /// year's clients are not a year's.
    pub fn source_of(&mut self, year: i32, sub: i32) -> Arc<Source> {
        let spec = self.spec;
        if !spec.kwb_edition && spec.editions.is_empty() && spec.series.is_none() && spec.breaks.is_empty() {
            return self.source.clone();
        }
        let source = &self.source;
        self.editions
            .entry((year, sub))
            .or_insert_with(|| {
                let series = spec.series_of(year, &source.id).unwrap_or_default();
                if spec.kwb_edition {
                    let (id, title) = crate::model::kwb_edition(year);
                    Source::new(id, title, true)
                } else if spec.editions.is_empty() {
                    Source::edition(source.id.clone(), source.title.clone(), source.cbs, series)
                } else {
                    let (id, title) = spec.credit(year);
                    match part_of_year(sub) {
                        Some(part) => Source::edition(
                            id,
                            title.replace(&year.to_string(), &format!("{part} {year}")),
                            spec.cbs,
                            format!("{series} ({part})"),
                        ),
                        None => Source::edition(id, title, spec.cbs, series),
                    }
                }
            })
            .clone()
    }
}
