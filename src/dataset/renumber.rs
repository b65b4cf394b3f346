//! Renumbered wijken and buurten: a new code that CBS marks as "code changed,
//! boundaries the same" (Indelingswijziging 2) from a year on, where exactly one code of
//! the same name, level and gemeente existed before. The look-up across the link is
//! [`Renumbered`]'s, shared with the thin figures.

use super::Dataset;
use crate::model::renumbered::Renumbered;
use crate::model::{Level, INDELINGSWIJZIGING, TOTAAL};

/// The renumbered wijken and buurten of the dataset's figures and registry.
pub(super) fn links(ds: &Dataset) -> Renumbered {
    let Some(marks) = ds.lookup(INDELINGSWIJZIGING, TOTAAL) else { return Renumbered::default() };
    let mut links: Vec<(String, (String, i32))> = Vec::new();
    for (code, years) in marks {
        let Some(since) = years.iter().find(|(_, &i)| ds.observations[i].value == Some(2.0)).map(|(y, _)| *y) else {
            continue;
        };
        let Some(region) = ds.registry.get(code) else { continue };
        if region.level == Level::Gemeente {
            continue;
        }
        let earlier: Vec<&String> = ds
            .registry
            .codes_named(&region.name)
            .iter()
            .filter(|c| *c != code)
            .filter(|c| {
                ds.registry
                    .get(c)
                    .is_some_and(|r| r.level == region.level && r.gemeente() == region.gemeente() && r.year < since)
            })
            .collect();
        if let [old] = earlier.as_slice() {
            links.push((code.to_string(), ((*old).clone(), since)));
        }
    }
    links.into_iter().collect()
}
