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

    /// The region a label names, in the context of the rows read before it: a code,
    /// a row of another level to skip, a name no region (here) has, or one several
    /// regions share. Each narrowing step below keeps the candidates it prefers only
    /// when some remain.
    pub(crate) fn resolve(&mut self, name: &str, gemeente_name: Option<&str>, year: i32) -> Resolved {
        let name = name.trim();
        if let Some(settled) = self.not_a_name(name, gemeente_name) {
            return settled;
        }
        let (name, only_gm) = match name.strip_suffix("(gemeente)").or_else(|| name.strip_suffix("(GM)")) {
            Some(n) => (n.trim(), true),
            None => (name, false),
        };
        let gm_folded = gemeente_name.map(normalize_name).filter(|g| !g.is_empty());
        let folded_name = normalize_name(name);
        let mut cands = self.candidates(name, only_gm, gm_folded.as_deref());
        if !only_gm && cands.iter().all(|r| r.level != Level::Gemeente) && !self.is_here(&cands) {
            if let Some(code) = self.gemeente_without_tag(&folded_name) {
                return self.enter(code);
            }
        }
        if cands.len() > 1 {
            // Prefer regions that carry the name now over those that carried it once.
            // ("Beek (L.)" carries "Beek".)
            keep_if_any(&mut cands, |r| {
                normalize_name(&r.name) == folded_name || normalize_name(without_tag(&r.name)) == folded_name
            });
        }
        if cands.len() > 1 && gm_folded.is_none() {
            if let Some(settled) = self.in_context(&mut cands, name) {
                return settled;
            }
        }
        if cands.len() > 1 {
            self.prefer_year(&mut cands, &folded_name, year);
        }
        if cands.len() > 1 {
            return self.pick_among(&cands);
        }
        match cands.first() {
            // Without a gemeente column the gemeente row read last is the context: a
            // wijk or buurt name found only in another gemeente is not this row's area
            // (a renamed or re-divided one), and is never placed there by guess.
            Some(r)
                if gm_folded.is_none()
                    && matches!(r.level, Level::Wijk | Level::Buurt)
                    && self.gemeente.as_ref().is_some_and(|cur| r.gemeente().as_ref() != Some(cur)) =>
            {
                Resolved::Unknown(name.to_string())
            }
            Some(r) => self.enter(r.code.clone()),
            None => Resolved::Unknown(name.to_string()),
        }
    }

    /// A label settled without looking up a name: a code, another level's key or tag,
    /// Nederland, or Buitenland.
    fn not_a_name(&mut self, name: &str, gemeente_name: Option<&str>) -> Option<Resolved> {
        if let Some(c) = normalize_code(name) {
            return Some(self.enter(c));
        }
        if other_level_key(name) {
            return Some(Resolved::Skip);
        }
        let folded = normalize_name(name);
        // Steenwijkerland has a wijk and a buurt called "Nederland": only a row without a
        // gemeente, or with gemeente "Nederland", is the country.
        let in_gemeente = gemeente_name.map(normalize_name).filter(|g| !g.is_empty() && g != "nederland");
        if (folded == "nederland" || folded == "totaal nederland") && in_gemeente.is_none() {
            return Some(Resolved::Code(NL.into()));
        }
        if folded == "buitenland" || OTHER_LEVEL.iter().any(|s| name.ends_with(s)) || other_level_suffix(name) {
            return Some(Resolved::Skip);
        }
        None
    }

    /// The regions that carry or carried `name`, of the table's level, a gemeente only
    /// where the label says so, and in the row's gemeente where the table names it.
    fn candidates(&self, name: &str, only_gm: bool, gm_folded: Option<&str>) -> Vec<&'a Region> {
        let registry: &'a Registry = self.registry;
        registry
            .codes_named(name)
            .iter()
            .filter_map(|c| registry.get(c))
            .filter(|r| !only_gm || r.level == Level::Gemeente)
            .filter(|r| self.only.is_none_or(|l| r.level == l))
            .filter(|r| gm_folded.is_none_or(|g| normalize_name(&r.gemeente_name) == g))
            .collect()
    }

    /// "Beek" and "Hengelo" in a table whose registry writes "Beek (L.)" and "Hengelo
    /// (O.)": a gemeente row with the province tag dropped. Only where the name is a
    /// gemeente of nothing else, and not inside a wijk of the gemeente being read (the
    /// caller checks that).
    fn gemeente_without_tag(&self, folded_name: &str) -> Option<String> {
        let mut codes: Vec<&str> = self
            .registry
            .entries()
            .iter()
            .filter(|r| r.level == Level::Gemeente)
            .filter(|r| without_tag(&r.name) != r.name && normalize_name(without_tag(&r.name)) == folded_name)
            .map(|r| r.code.as_str())
            .collect();
        codes.sort();
        codes.dedup();
        match codes.as_slice() {
            [code] => Some(code.to_string()),
            _ => None,
        }
    }

    /// Without a gemeente column, the gemeente row read last is the context; the order
    /// of the table is stronger evidence than the registry's years (which may hold only
    /// the gemeenten of a year). Narrows `cands` to the regions there, or settles the
    /// label as unknown when the name is only a wijk or buurt of other gemeenten.
    fn in_context(&self, cands: &mut Vec<&'a Region>, name: &str) -> Option<Resolved> {
        let cur = self.gemeente.clone()?;
        let inside: Vec<&Region> =
            cands.iter().copied().filter(|r| r.gemeente().as_deref() == Some(cur.as_str())).collect();
        // A wijk of the gemeente being read, or a buurt of the wijk being read, is this
        // row's area even where a gemeente elsewhere has the name (Waterland is a buurt
        // of Alblasserdam; the gemeente Waterland comes much later).
        let here: Vec<&Region> = inside
            .iter()
            .copied()
            .filter(|r| r.level == Level::Wijk || (r.level == Level::Buurt && r.wijk() == self.wijk))
            .collect();
        if !here.is_empty() && here.len() < cands.len() {
            *cands = here;
        } else if !inside.is_empty()
            && inside.len() < cands.len()
            && !cands.iter().any(|r| r.level == Level::Gemeente && r.code != cur)
        {
            *cands = inside;
        } else if inside.is_empty() && cands.iter().all(|r| matches!(r.level, Level::Wijk | Level::Buurt)) {
            // Wijken or buurten of that name exist only in other gemeenten.
            return Some(Resolved::Unknown(name.to_string()));
        }
        None
    }

    /// Prefers the regions that exist in the row's year under this name; else those
    /// still in use that year: a code whose last indeling lies before the row's year had
    /// been replaced by then (Amsterdam's wijken of 2022 against those of 2023 on).
    fn prefer_year(&self, cands: &mut Vec<&'a Region>, folded_name: &str, year: i32) {
        let registry = self.registry;
        let in_year: Vec<&Region> = cands
            .iter()
            .copied()
            .filter(|r| {
                registry
                    .entries()
                    .iter()
                    .any(|e| e.code == r.code && e.year == year && normalize_name(&e.name) == folded_name)
            })
            .collect();
        if !in_year.is_empty() {
            *cands = in_year;
        } else {
            keep_if_any(cands, |r| r.year >= year);
        }
    }

    /// Picks one of several regions by the order of the table: a gemeente other than
    /// the one being read, a buurt of the wijk being read, or the only wijk; else the
    /// name is ambiguous.
    fn pick_among(&mut self, cands: &[&Region]) -> Resolved {
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
        Resolved::Ambiguous(cands.iter().map(|r| r.display()).collect())
    }

    /// True when one of `cands` is a wijk of the gemeente being read or a buurt of the
    /// wijk being read.
    fn is_here(&self, cands: &[&Region]) -> bool {
        let Some(cur) = &self.gemeente else { return false };
        cands.iter().any(|r| {
            r.gemeente().as_ref() == Some(cur)
                && (r.level == Level::Wijk || (r.level == Level::Buurt && r.wijk() == self.wijk))
        })
    }

    /// The gemeente of the rows being read (the gemeente row read last).
    pub(crate) fn current_gemeente(&self) -> Option<&str> {
        self.gemeente.as_deref()
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

/// Keeps the candidates that `keep` accepts, when there are any; else all.
fn keep_if_any(cands: &mut Vec<&Region>, keep: impl Fn(&Region) -> bool) {
    let kept: Vec<&Region> = cands.iter().copied().filter(|r| keep(r)).collect();
    if !kept.is_empty() {
        *cands = kept;
    }
}

/// A gemeente name without CBS's province tag: "Beek (L.)" → "Beek", "Hengelo (O.)" →
/// "Hengelo"; other names as they are.
fn without_tag(name: &str) -> &str {
    let t = name.trim_end();
    match t.strip_suffix(')').and_then(|n| n.rsplit_once(" (")) {
        Some((bare, tag)) if tag.len() <= 5 && tag.ends_with('.') => bare,
        _ => t,
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
