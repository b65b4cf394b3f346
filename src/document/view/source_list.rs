//! The list of sources at the end of a sheet: every table its figures come from, the
//! yearly editions its trend panels draw on, one entry per family of tables, CBS's own
//! first. Split from the view because it is one self-contained task with its own test.

use std::collections::BTreeSet;

use serde::Serialize;

use super::super::sources::{family_title, years_text};

use crate::compare::{IndicatorResult, Profile};

/// A source line.
#[derive(Debug, Serialize)]
pub struct SourceView {
    /// "CBS: " before the first of CBS's tables (whose titles then drop their "CBS, "),
    /// else empty.
    pub lead: String,
    /// Table id.
    pub id: String,
    /// Title.
    pub title: String,
    /// "2022, 2024".
    pub years: String,
    /// The table ids only, with the publisher where it is not CBS ("85984NED";
    /// "83818NED t/m 85638NED"; "RIVM/GGD'en/CBS, 50090NED"), for the tightest layout.
    pub short: String,
}

/// A source by its ids, with its publisher where that is not CBS alone: "85984NED",
/// "RIVM/GGD'en/CBS, 50090NED", a gemeente's own source as it is titled.
pub(super) fn short_source(title: &str, ids: &str) -> String {
    match super::super::sources::title_publisher(title) {
        Some("CBS") => ids.to_string(),
        Some(by) if by != ids => format!("{by}, {ids}"),
        _ if title == ids || title.starts_with("CBS") => ids.to_string(),
        _ => title.to_string(),
    }
}

/// One table the figures or trends of a sheet come from, with the years read from it.
struct UsedTable {
    id: String,
    title: String,
    years: BTreeSet<i32>,
}

/// The list of sources at the end: every table of the figures, and the yearly editions
/// the trend panels (`trend_items`) draw on besides (a Wmo trend 2016–2023 names eight
/// tables).
pub(super) fn source_list(p: &Profile, trend_items: &[&IndicatorResult]) -> Vec<SourceView> {
    let mut list: Vec<UsedTable> = p
        .sources
        .iter()
        .map(|s| UsedTable { id: s.id.clone(), title: s.title.clone(), years: s.years.iter().copied().collect() })
        .collect();
    for t in trend_items.iter().flat_map(|i| &i.trend) {
        for s in &t.sources {
            match list.iter_mut().find(|u| u.id == s.id) {
                Some(entry) => {
                    entry.years.insert(t.year);
                }
                None => {
                    list.push(UsedTable { id: s.id.clone(), title: s.title.clone(), years: BTreeSet::from([t.year]) })
                }
            }
        }
    }
    // The yearly editions of one table are one entry: "CBS, Wmo-cliënten; wijken
    // (83620NED, …, 85638NED) (2016–2023)".
    let mut families: Vec<(String, Vec<UsedTable>)> = Vec::new();
    for entry in list {
        let key = family_title(&entry.id, &entry.title);
        match families.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(entry),
            None => families.push((key, vec![entry])),
        }
    }
    let mut out: Vec<SourceView> = families
        .into_iter()
        .map(|(key, mut members)| {
            if members.len() == 1 {
                let UsedTable { id, title, years } = members.remove(0);
                // "Misdrijven per wijk en buurt 2018 (84468NED)" names its one year already.
                let named = years.len() == 1 && years.iter().all(|y| title.contains(&y.to_string()));
                let short = short_source(&title, &id);
                let years = if named { String::new() } else { years_text(&years) };
                return SourceView { lead: String::new(), id, title, years, short };
            }
            members.sort_by(|a, b| a.years.iter().next().cmp(&b.years.iter().next()));
            let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
            let years: BTreeSet<i32> = members.iter().flat_map(|m| m.years.iter().copied()).collect();
            let span = match ids.as_slice() {
                [a, b] => format!("{a}, {b}"),
                [first, .., last] => format!("{first} t/m {last}"),
                _ => ids.join(", "),
            };
            SourceView {
                lead: String::new(),
                id: ids[0].to_string(),
                short: short_source(&key, &span),
                title: format!("{key} ({})", ids.join(", ")),
                years: years_text(&years),
            }
        })
        .collect();
    // CBS's own tables first, named once: "CBS: Kerncijfers wijken en buurten (…); …".
    out.sort_by_key(|s| !s.title.starts_with("CBS, "));
    let mut first = true;
    for s in out.iter_mut().filter(|s| s.title.starts_with("CBS, ")) {
        s.title = s.title["CBS, ".len()..].to_string();
        if first {
            s.lead = "CBS: ".into();
            first = false;
        }
    }
    out
}
