//! `national.json`: the national figures the tool computes from all gemeenten where no
//! source gives one (summed, weighted, by definition), kept with the generation so that a
//! factsheet that reads only its own gemeente still has Nederland. Computed before the
//! commit (see [`dataset`](crate::dataset)); written and read here.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::frames::{read_json, write_json};
use super::layout::{fingerprint, NATIONAL_FILE};
use super::perr;
use crate::model::herkomst::Group;
use crate::model::observation::{NationalMethod, Observation, Source};
use crate::model::region::NL;

/// A computed national figure as kept in `national.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredNational {
    indicator: String,
    group: String,
    year: i32,
    value: Option<f64>,
    count: Option<f64>,
    denominator: Option<f64>,
    /// Each source as (id, title, published by CBS, series).
    sources: Vec<(String, String, bool, String)>,
    method: NationalMethod,
    released: String,
}

/// `national.json`: the computed national figures and the catalogue they were computed
/// with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct NationalFile {
    fingerprint: String,
    figures: Vec<StoredNational>,
}

/// Writes the national figures computed from all gemeenten (in the order given) into
/// the generation folder `dir`.
pub(super) fn write(national: &[Observation], dir: &Path) -> crate::Result<()> {
    let figures = national
        .iter()
        .filter_map(|o| {
            let method = o.national.as_deref()?.clone();
            Some(StoredNational {
                indicator: o.indicator.to_string(),
                group: o.group.code().to_string(),
                year: o.year,
                value: o.value,
                count: o.count,
                denominator: o.denominator,
                sources: o.sources.iter().map(|s| (s.id.clone(), s.title.clone(), s.cbs, s.series.clone())).collect(),
                method,
                released: o.released.to_string(),
            })
        })
        .collect();
    write_json(&dir.join(NATIONAL_FILE), &NationalFile { fingerprint: fingerprint(), figures })
}

/// The computed national figures of the generation in `dir`; `None` when they are
/// from another catalogue (they are then computed from the gemeenten, which must be
/// read whole).
pub(super) fn read(dir: &Path) -> crate::Result<Option<Vec<Observation>>> {
    let path = dir.join(NATIONAL_FILE);
    let file: NationalFile = read_json(&path)?;
    if file.fingerprint != fingerprint() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(file.figures.len());
    for f in file.figures {
        let group =
            Group::parse(&f.group).ok_or_else(|| perr(&path, format!("onbekende herkomstgroep '{}'", f.group)))?;
        let sources: Vec<_> =
            f.sources.into_iter().map(|(id, title, cbs, series)| Source::edition(id, title, cbs, series)).collect();
        out.push(
            Observation::new(NL, f.year, f.indicator.as_str(), f.value, sources, f.released.as_str())
                .in_group(group)
                .counted(f.count, f.denominator)
                .marked(false)
                .computed(f.method),
        );
    }
    Ok(Some(out))
}
