//! The column-reference mini-language of the source descriptions, parsed once into a
//! type when a description loads. A reference is written once and matches every
//! flavour of the same table:
//!
//! - `AantalInwoners` matches the OData key `AantalInwoners_5` (the suffix changes per
//!   year); in the StatLine website export it matches the label path
//!   (`Herkomstland/Nederland` matches `Bevolking/.../Herkomstland/Nederland (aantal)`);
//! - `BuitenEuropa#2` is the second column with that stem;
//! - `A|B` is the first of the alternatives that the table has;
//! - `A+B+C` sums columns (the three education levels as a denominator); each term may
//!   have alternatives of its own.

use serde::Deserialize;

use super::table::{split_key, Flavour, Table};

/// One column name with the match it takes (`#2` = the second column with the stem).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Name {
    stem: String,
    nth: usize,
}

/// A parsed column reference (see the module header for the language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRef {
    text: String,
    /// Terms that are summed (`+`), each a list of alternatives (`|`).
    terms: Vec<Vec<Name>>,
}

impl ColumnRef {
    /// Parses a reference.
    pub fn parse(text: &str) -> ColumnRef {
        let terms = text
            .split('+')
            .map(|term| {
                term.split('|')
                    .map(str::trim)
                    .map(|r| match r.rsplit_once('#') {
                        Some((n, k)) if k.parse::<usize>().is_ok() => {
                            Name { stem: n.to_string(), nth: k.parse::<usize>().unwrap_or(1).max(1) }
                        }
                        _ => Name { stem: r.to_string(), nth: 1 },
                    })
                    .collect()
            })
            .collect();
        ColumnRef { text: text.to_string(), terms }
    }

    /// The reference as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The column of a single reference (the first alternative the table has); `None`
    /// when the table lacks it or the reference is a sum.
    pub fn resolve(&self, table: &Table) -> Option<usize> {
        match self.terms.as_slice() {
            [only] => resolve_term(table, only),
            _ => None,
        }
    }

    /// The columns of a sum (one for a single reference); `None` when any term is
    /// missing.
    pub fn resolve_sum(&self, table: &Table) -> Option<Vec<usize>> {
        self.terms.iter().map(|t| resolve_term(table, t)).collect()
    }

    /// The column stems it names (`A` and `B` for `A|B`, `X` for `X#2`), so a download
    /// can ask for only those columns.
    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().flatten().map(|n| n.stem.as_str()).filter(|s| !s.is_empty())
    }
}

impl std::fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for ColumnRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ColumnRef, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            return Err(serde::de::Error::custom("een kolomverwijzing mag niet leeg zijn"));
        }
        Ok(ColumnRef::parse(&s))
    }
}

fn resolve_term(table: &Table, alternatives: &[Name]) -> Option<usize> {
    alternatives.iter().find_map(|n| resolve_name(table, n))
}

fn resolve_name(table: &Table, n: &Name) -> Option<usize> {
    let name = n.stem.as_str();
    if n.nth == 1 {
        if let Some(i) = table.headers.iter().position(|h| h == name) {
            return Some(i);
        }
    }
    let matches = |h: &String| -> bool {
        match table.flavour {
            Flavour::OData => split_key(h).0 == name,
            Flavour::Web => {
                let label = web_label(h);
                label == normalize_ws(name) || label.ends_with(&format!("/{}", normalize_ws(name)))
            }
            Flavour::Plain => h.eq_ignore_ascii_case(name),
        }
    };
    table.headers.iter().enumerate().filter(|(_, h)| matches(h)).nth(n.nth - 1).map(|(i, _)| i)
}

/// Folds runs of white space into one space.
pub(crate) fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The label of a website-export header without its unit: `Bevolking/Aantal inwoners
/// (aantal)` → `Bevolking/Aantal inwoners`.
fn web_label(h: &str) -> String {
    let h = normalize_ws(h);
    match h.rfind(" (") {
        Some(i) if h.ends_with(')') => h[..i].trim().to_string(),
        _ => h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(flavour: Flavour, headers: &[&str]) -> Table {
        Table {
            path: "t.csv".into(),
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: vec![],
            flavour,
            warnings: vec![],
            formula_gaps: vec![],
        }
    }

    fn resolve(t: &Table, r: &str) -> Option<usize> {
        ColumnRef::parse(r).resolve(t)
    }

    #[test]
    fn column_references_match_all_flavours() {
        let t = table(Flavour::OData, &["ID", "AantalInwoners_5", "BuitenEuropa_19", "BuitenEuropa_22"]);
        assert_eq!(resolve(&t, "AantalInwoners"), Some(1));
        assert_eq!(resolve(&t, "BuitenEuropa#2"), Some(3));
        assert_eq!(resolve(&t, "Onbekend|AantalInwoners"), Some(1));
        let w = table(
            Flavour::Web,
            &[
                "Wijken en buurten",
                "Bevolking/Aantal inwoners (aantal)",
                "Bevolking/Bevolking naar herkomst/Herkomstland/Buiten Europa  (aantal)",
            ],
        );
        assert_eq!(resolve(&w, "Aantal inwoners"), Some(1));
        assert_eq!(resolve(&w, "Herkomstland/Buiten Europa"), Some(2));
        assert_eq!(resolve(&w, "Wijken en buurten"), Some(0));
    }

    #[test]
    fn sums_take_alternatives_per_term_and_name_their_stems() {
        let t = table(Flavour::Plain, &["opl_laag", "opl_midden", "hoog"]);
        let r = ColumnRef::parse("opl_laag+opl_midden+opl_hoog|hoog");
        assert_eq!(r.resolve_sum(&t), Some(vec![0, 1, 2]));
        assert_eq!(r.resolve(&t), None, "a sum is not one column");
        assert_eq!(ColumnRef::parse("opl_laag+x").resolve_sum(&t), None);
        assert_eq!(r.stems().collect::<Vec<_>>(), ["opl_laag", "opl_midden", "opl_hoog", "hoog"]);
        assert_eq!(ColumnRef::parse("X#2").stems().collect::<Vec<_>>(), ["X"]);
        assert_eq!(r.to_string(), "opl_laag+opl_midden+opl_hoog|hoog");
    }
}
