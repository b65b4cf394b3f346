//! Resolving what a user typed (or a list of codes holds) to a region: a code, a name
//! folded for case and accents, an everyday alias, "Centrum" for "Wijk 03 Centrum", and
//! suggestions when nothing matches. Every text has a bound ([`MAX_NAME_CHARS`]) and the
//! names compared one by one are folded once per run ([`Folded`]), so a long or unknown
//! text costs microseconds, not a pass over every region.

use std::collections::HashMap;

use super::{code_level, normalize_code, normalize_name, Level, Region, Registry, GEMEENTE_ALIASES};

/// The latest entries with their folded names, in code order; the entries named
/// "Wijk NN tail" by their folded tail, and the gemeenten named "Base (X.)" by their
/// folded base (indexes into `all`).
#[derive(Debug, Clone, Default)]
pub(super) struct Folded {
    all: Vec<(String, Region)>,
    tails: HashMap<String, Vec<usize>>,
    bases: HashMap<String, Vec<usize>>,
}

/// The longest text that is matched as a region name, in characters (the longest CBS
/// name has about 60): a longer text is no region, and matching it against every name
/// would take minutes.
pub const MAX_NAME_CHARS: usize = 200;

/// A text as a message shows it: characters that do not show (a byte-order mark,
/// control characters) written as escapes, and a long text cut after 60 characters.
pub fn shown(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == 60 {
            out.push('…');
            break;
        }
        if c.is_control()
            || matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}')
        {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// The outcome of resolving a user's region text.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// Exactly one region.
    Found(Region),
    /// Several regions share the name; the list says which.
    Ambiguous(Vec<Region>),
    /// Nothing matched; closest names by edit distance.
    NotFound {
        /// "Bedoelde u …?" suggestions.
        suggestions: Vec<Region>,
    },
}

impl Registry {
    fn folded(&self) -> &Folded {
        self.latest_folded.get_or_init(|| {
            let all: Vec<(String, Region)> =
                self.latest.values().map(|r| (normalize_name(&r.name), r.clone())).collect();
            let mut tails: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, (n, _)) in all.iter().enumerate() {
                if let Some((_, tail)) = n.strip_prefix("wijk ").and_then(|rest| rest.split_once(' ')) {
                    tails.entry(tail.to_string()).or_default().push(i);
                }
            }
            let mut bases: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, (_, r)) in all.iter().enumerate().filter(|(_, (_, r))| r.level == Level::Gemeente) {
                if let Some((base, _)) = r.name.rsplit_once(" (") {
                    bases.entry(normalize_name(base)).or_default().push(i);
                }
            }
            Folded { all, tails, bases }
        })
    }

    fn latest_folded(&self) -> impl Iterator<Item = (&str, &Region)> {
        self.folded().all.iter().map(|(n, r)| (n.as_str(), r))
    }

    /// Resolves what a user typed: a code, or a name (case- and accent-insensitive),
    /// optionally restricted to one gemeente (by name or code) and/or one level.
    pub fn lookup(&self, text: &str, gemeente: Option<&str>, level: Option<Level>) -> Lookup {
        self.find(text, gemeente, level, true)
    }

    /// [`Registry::lookup`] without suggestions for a name that is not found (a list of
    /// codes in a batch reports unknown lines without them, and a thousand unknown
    /// lines would each compare every name).
    pub fn lookup_plain(&self, text: &str, gemeente: Option<&str>, level: Option<Level>) -> Lookup {
        self.find(text, gemeente, level, false)
    }

    fn find(&self, text: &str, gemeente: Option<&str>, level: Option<Level>, suggest: bool) -> Lookup {
        // A byte-order mark (a list saved by Notepad) or spaces around are no part of it.
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.len() > 4 * MAX_NAME_CHARS || text.chars().count() > MAX_NAME_CHARS {
            return Lookup::NotFound { suggestions: Vec::new() };
        }
        if let Some(code) = normalize_code(text) {
            if let Some(r) = self.get(&code) {
                return Lookup::Found(r.clone());
            }
        }
        let gm_filter: Option<Vec<String>> = gemeente.map(|g| match normalize_code(g) {
            Some(c) => vec![c],
            None => self.codes_named(g).iter().filter(|c| code_level(c) == Some(Level::Gemeente)).cloned().collect(),
        });
        let keep = |r: &Region| {
            level.is_none_or(|l| r.level == l)
                && gm_filter.as_ref().is_none_or(|g| r.gemeente().is_some_and(|c| g.contains(&c)))
        };
        let folded = normalize_name(text);
        // What people call a gemeente is not always its CBS name: Den Haag is
        // 's-Gravenhage.
        let text = GEMEENTE_ALIASES
            .iter()
            .find(|(alias, _)| normalize_name(alias) == folded)
            .map(|(_, official)| *official)
            .unwrap_or(text);
        let folded = normalize_name(text);
        let mut hits: Vec<Region> =
            self.codes_named(text).iter().filter_map(|c| self.get(c)).filter(|r| keep(r)).cloned().collect();
        // "Bergen" is the gemeenten "Bergen (L.)" and "Bergen (NH.)" before it is any buurt.
        if !folded.is_empty() && level.is_none_or(|l| l == Level::Gemeente) {
            let names = self.folded();
            let gms: Vec<Region> = names
                .bases
                .get(&folded)
                .into_iter()
                .flatten()
                .map(|&i| &names.all[i].1)
                .filter(|r| keep(r) && !hits.iter().any(|h| h.code == r.code))
                .cloned()
                .collect();
            if !gms.is_empty() {
                hits.retain(|r| r.level == Level::Gemeente);
                hits.extend(gms);
            }
        }
        // "Wijk 03 Centrum" is often asked for as "Centrum": accept a unique suffix match.
        if hits.is_empty() && !folded.is_empty() {
            let names = self.folded();
            hits = names
                .tails
                .get(&folded)
                .into_iter()
                .flatten()
                .map(|&i| &names.all[i].1)
                .filter(|r| keep(r) && r.level != Level::Land)
                .cloned()
                .collect();
        }
        // The same wijk under an old and a new code in one gemeente (Amsterdam renumbered
        // its wijken: De Kolenkit WK036339 in 2022, WK0363ED in 2024): the newest
        // indeling is meant.
        if hits.len() > 1 && hits.iter().all(|r| r.level == hits[0].level && r.gemeente() == hits[0].gemeente()) {
            let newest = hits.iter().map(|r| r.year).max();
            hits.retain(|r| Some(r.year) == newest);
        }
        // A gemeente and a wijk/buurt of the same name (Utrecht, wijk "Utrecht"): without
        // a level, the gemeente is what people mean.
        if hits.len() > 1 && level.is_none() {
            let gms: Vec<&Region> = hits.iter().filter(|r| r.level == Level::Gemeente).collect();
            if gms.len() == 1 && gemeente.is_none() {
                return Lookup::Found(gms[0].clone());
            }
        }
        match hits.len() {
            1 => Lookup::Found(hits.remove(0)),
            0 if !suggest => Lookup::NotFound { suggestions: Vec::new() },
            0 => {
                let mut scored: Vec<(f64, &Region)> = self
                    .latest_folded()
                    .filter(|(_, r)| keep(r))
                    .map(|(n, r)| (strsim::jaro_winkler(&folded, n), r))
                    .filter(|(s, _)| *s > 0.80)
                    .collect();
                // Gemeenten first, then wijken, then buurten; the closest first within each.
                scored.sort_by(|a, b| a.1.level.cmp(&b.1.level).then(b.0.total_cmp(&a.0)));
                Lookup::NotFound { suggestions: scored.into_iter().take(5).map(|(_, r)| r.clone()).collect() }
            }
            _ => {
                hits.sort_by(|a, b| a.level.cmp(&b.level).then(a.code.cmp(&b.code)));
                Lookup::Ambiguous(hits)
            }
        }
    }

    /// Free-text search for `regions search`: every region whose folded name contains the
    /// folded text, or whose code starts with it, best matches first.
    pub fn search(&self, text: &str, level: Option<Level>, limit: usize) -> Vec<&Region> {
        if text.chars().count() > MAX_NAME_CHARS {
            return Vec::new();
        }
        let folded = normalize_name(text);
        let code = text.trim().to_ascii_uppercase();
        let official =
            GEMEENTE_ALIASES.iter().find(|(a, _)| normalize_name(a) == folded).map(|(_, o)| normalize_name(o));
        let mut hits: Vec<(u8, &Region)> = self
            .latest
            .values()
            .filter(|r| level.is_none_or(|l| r.level == l))
            .filter_map(|r| {
                let n = normalize_name(&r.name);
                // "Bergen (L.)" is an exact hit for "Bergen"; "Den Haag" for 's-Gravenhage.
                let base = r.name.rsplit_once(" (").map(|(b, _)| normalize_name(b));
                let rank = if n == folded
                    || r.code == code
                    || base.as_deref() == Some(folded.as_str())
                    || official.as_deref() == Some(n.as_str())
                {
                    0
                } else if n.starts_with(&folded) || r.code.starts_with(&code) {
                    1
                } else if n.contains(&folded) {
                    2
                } else {
                    return None;
                };
                Some((rank, r))
            })
            .collect();
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.level.cmp(&b.1.level)).then(a.1.name.cmp(&b.1.name)));
        hits.into_iter().take(limit).map(|(_, r)| r).collect()
    }
}
