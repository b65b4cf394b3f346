//! Region names in tables that have no codes: StatLine writes a gemeente, its wijken,
//! each wijk followed by its buurten, so names that a gemeente, wijk and buurt share are
//! settled by the order ([`Resolver`]); rows of other levels (provinces, GGD regions …)
//! are recognised by their key or their "(PV)" tag and skipped.

use super::colref::normalize_ws;
use crate::model::region::{code_level, normalize_code, normalize_name, Level, Region, Registry, NL};

/// Suffixes StatLine puts behind region names of other levels; such rows are skipped.
pub(crate) const OTHER_LEVEL: &[&str] = &[
    "(PV)", "(LD)", "(CR)", "(AM)", "(RE)", "(BT)", "(GGD)", "(JZ)", "(VT)", "(RPA)", "(COROP)", "(WGR)", "(RZ)",
    "(LG)",
];

/// True for a trailing "(XX)" tag of two to five capitals other than "(GM)": StatLine's
/// marker for provinces, GGD regions, police units and other non-gemeente regions.
pub(crate) fn other_level_suffix(name: &str) -> bool {
    let Some(open) = name.rfind(" (") else { return false };
    let tag = &name[open + 2..];
    let Some(tag) = tag.strip_suffix(')') else { return false };
    (2..=5).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_uppercase()) && tag != "GM"
}

/// True for a StatLine region key of a level wijkmonitor does not report on: two
/// capitals and two to four digits other than GM (`PV26`, `CR33`, `LD01`, `RE03`,
/// `GG3306`). OData downloads carry keys, where website exports carry "(PV)" titles.
pub(crate) fn other_level_key(key: &str) -> bool {
    let b = key.as_bytes();
    (4..=6).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit)
        && !key.starts_with("GM")
        && !key.starts_with("NL")
}

/// Resolves region labels in the order StatLine writes them (gemeente, its wijken,
/// each wijk followed by its buurten), which settles names that a gemeente, wijk and
/// buurt share.
pub(crate) struct Resolver<'a> {
    registry: &'a Registry,
    only: Option<Level>,
    gemeente: Option<String>,
    wijk: Option<String>,
}

pub(crate) enum Resolved {
    Code(String),
    Skip,
    Unknown(String),
    Ambiguous(Vec<String>),
}

impl<'a> Resolver<'a> {
    /// A resolver over `registry`; `only` limits names to one level (besides Nederland).
    pub(crate) fn new(registry: &'a Registry, only: Option<Level>) -> Self {
        Resolver { registry, only, gemeente: None, wijk: None }
    }

    pub(crate) fn resolve(&mut self, name: &str, gemeente_name: Option<&str>, year: i32) -> Resolved {
        let name = name.trim();
        if let Some(c) = normalize_code(name) {
            return self.enter(c);
        }
        if other_level_key(name) {
            return Resolved::Skip;
        }
        let folded = normalize_name(name);
        // Steenwijkerland has a wijk and a buurt called "Nederland": only a row without a
        // gemeente, or with gemeente "Nederland", is the country.
        let in_gemeente = gemeente_name.map(normalize_name).filter(|g| !g.is_empty() && g != "nederland");
        if (folded == "nederland" || folded == "totaal nederland") && in_gemeente.is_none() {
            return Resolved::Code(NL.into());
        }
        if folded == "buitenland" || OTHER_LEVEL.iter().any(|s| name.ends_with(s)) || other_level_suffix(name) {
            return Resolved::Skip;
        }
        let (name, only_gm) = match name.strip_suffix("(gemeente)").or_else(|| name.strip_suffix("(GM)")) {
            Some(n) => (n.trim(), true),
            None => (name, false),
        };
        let gm_folded = gemeente_name.map(normalize_name).filter(|g| !g.is_empty());
        let folded_name = normalize_name(name);
        let mut cands: Vec<&Region> = self
            .registry
            .codes_named(name)
            .iter()
            .filter_map(|c| self.registry.get(c))
            .filter(|r| !only_gm || r.level == Level::Gemeente)
            .filter(|r| self.only.is_none_or(|l| r.level == l))
            .filter(|r| gm_folded.as_ref().is_none_or(|g| normalize_name(&r.gemeente_name) == *g))
            .collect();
        if cands.len() > 1 {
            // Prefer regions that exist in the row's year.
            let in_year: Vec<&Region> = cands
                .iter()
                .copied()
                .filter(|r| {
                    self.registry
                        .entries()
                        .iter()
                        .any(|e| e.code == r.code && e.year == year && normalize_name(&e.name) == folded_name)
                })
                .collect();
            if !in_year.is_empty() {
                cands = in_year;
            }
        }
        if cands.len() > 1 && gm_folded.is_none() {
            // Without a gemeente column, the gemeente row read last is the context.
            if let Some(cur) = self.gemeente.clone() {
                let inside: Vec<&Region> =
                    cands.iter().copied().filter(|r| r.gemeente().as_deref() == Some(cur.as_str())).collect();
                if !inside.is_empty()
                    && inside.len() < cands.len()
                    && !cands.iter().any(|r| r.level == Level::Gemeente && r.code != cur)
                {
                    cands = inside;
                }
            }
        }
        if cands.len() > 1 {
            let gm = cands.iter().find(|r| r.level == Level::Gemeente).map(|r| r.code.clone());
            if let Some(gm) = gm.filter(|g| self.gemeente.as_ref() != Some(g)) {
                return self.enter(gm);
            }
            let cur_wijk = self.wijk.clone();
            if let Some(b) = cands.iter().find(|r| r.level == Level::Buurt && r.wijk() == cur_wijk) {
                return self.enter(b.code.clone());
            }
            let wijken: Vec<&&Region> = cands.iter().filter(|r| r.level == Level::Wijk).collect();
            if wijken.len() == 1 {
                return self.enter(wijken[0].code.clone());
            }
            return Resolved::Ambiguous(cands.iter().map(|r| r.display()).collect());
        }
        match cands.first() {
            Some(r) => self.enter(r.code.clone()),
            None => Resolved::Unknown(name.to_string()),
        }
    }

    pub(crate) fn enter(&mut self, code: String) -> Resolved {
        match code_level(&code) {
            Some(Level::Gemeente) => {
                self.gemeente = Some(code.clone());
                self.wijk = None;
            }
            Some(Level::Wijk) => self.wijk = Some(code.clone()),
            _ => {}
        }
        Resolved::Code(code)
    }
}

pub(crate) fn clean_name(s: &str) -> String {
    normalize_ws(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_keys_of_other_levels_are_recognised() {
        for k in ["PV26", "CR33", "LD01", "RE03", "GG3306"] {
            assert!(other_level_key(k), "{k}");
        }
        for k in ["GM0344", "NL01", "Utrecht", "PV", "Ee12345"] {
            assert!(!other_level_key(k), "{k}");
        }
    }
}
