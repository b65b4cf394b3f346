//! The words beside the achterstandsindex's domain profile: one or two neutral
//! sentences made from the same rows the picture draws (where the area stands in
//! total, and on which domains the achterstand is largest and smallest), what was not
//! scored and why, the method line with the recipe's file, and the one line of the short
//! version in plain Dutch. The index describes the area, not the people who live there:
//! no "probleemwijk", no "slechtste", and herkomst is never an input.
//!
//! `document::check` reads the sentences back against the rows: a decile a sentence
//! names must be the one the picture draws.

use serde::Serialize;

use crate::compare::achterstand::{config::BUILTIN_NAME, Band, DomainProfile, ProfileRow, RegionIndex, Status};
use crate::format::and_list;
use crate::model::region::Level;

/// The text of the index block.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexText {
    /// One or two sentences: the total, then the domains.
    pub sentences: Vec<String>,
    /// The domains not scored, with why ("Gezondheid: cijfers voor 1 van de 2 …"); empty
    /// when all are.
    pub missing: String,
    /// How it is computed, naming the recipe file.
    pub method: String,
    /// The short version's line (B1).
    pub kort: String,
}

/// Where a domain stands, for a sentence: "werk (deciel 2)".
fn named(r: &ProfileRow, b: &Band) -> String {
    format!("{} (deciel {})", crate::templates::lower_first(&r.label), b.decile)
}

/// The text of an area's index (see the module header).
pub fn text(name: &str, index: &RegionIndex) -> IndexText {
    let profile = index.profile();
    let plural = index.level.plural();
    let mut sentences = Vec::new();
    let total = profile.rows.iter().find(|r| r.total);
    match total.and_then(|t| t.nederland.map(|b| (t, b))) {
        Some((t, b)) => {
            let between = if b.low == b.high { String::new() } else { format!(" (tussen {} en {})", b.low, b.high) };
            let local = match (t.gemeente, index.gemeente_name.as_str()) {
                (Some(g), gm) if !gm.is_empty() => format!("; binnen {gm} in deciel {}", g.decile),
                _ => String::new(),
            };
            sentences.push(format!(
                "Op de achterstandsindex staat {name} in deciel {}{between} van de {plural} van Nederland{local} (deciel 1: de meeste achterstand).",
                b.decile
            ));
        }
        None => {
            let why = match index.total.status {
                Status::TooFewDomains { have, need } => format!(
                    "daarvoor zijn {} van de {} domeinen nodig, en {} heeft er {} met genoeg cijfers",
                    count_word(need),
                    count_word(index.domains.len()),
                    name,
                    count_word(have)
                ),
                _ => "te weinig cijfers".to_string(),
            };
            let buurt = if index.level == Level::Buurt {
                " Per buurt zijn er minder cijfers dan per wijk; kijk ook in de factsheet van de wijk."
            } else {
                ""
            };
            sentences.push(format!("Voor {name} is geen totaal van de achterstandsindex berekend: {why}.{buurt}"));
        }
    }
    if let Some(s) = domains_sentence(&profile) {
        sentences.push(s);
    }
    let missing = missing_line(index);
    IndexText { sentences, missing, method: method(index), kort: kort(name, index.level, &profile) }
}

/// "De meeste achterstand is er op werk (deciel 1) en inkomen (deciel 1), de minste op
/// veiligheid (deciel 8)." from the scored domains (those of the lowest and of the
/// highest decile, at most three each), or, when all lie in one half, that half;
/// `None` with fewer than two.
fn domains_sentence(p: &DomainProfile) -> Option<String> {
    let mut scored: Vec<(&ProfileRow, Band)> =
        p.rows.iter().filter(|r| !r.total).filter_map(|r| r.nederland.map(|b| (r, b))).collect();
    if scored.len() < 2 {
        return None;
    }
    scored.sort_by_key(|(_, b)| b.decile);
    let (lo, hi) = (scored[0].1.decile, scored[scored.len() - 1].1.decile);
    if lo == hi {
        let all: Vec<String> = scored.iter().map(|(r, b)| named(r, b)).collect();
        return Some(format!("De berekende domeinen staan in hetzelfde deciel: {}.", and_list(&all)));
    }
    let most: Vec<String> = scored.iter().filter(|(_, b)| b.decile == lo).take(3).map(|(r, b)| named(r, b)).collect();
    let least: Vec<String> =
        scored.iter().rev().filter(|(_, b)| b.decile == hi).take(3).map(|(r, b)| named(r, b)).collect();
    // A decile of 5 or less is the half of the areas with the most achterstand: where
    // every domain lies in one half, say so, so "de meeste achterstand" is not read as
    // much of it in a village whose every domain is in deciel 8 to 10.
    let (most, least) = (and_list(&most), and_list(&least));
    Some(if lo >= 6 {
        format!(
            "Op elk berekend domein hoort het gebied bij de helft met de minste achterstand, van {most} tot {least}."
        )
    } else if hi <= 5 {
        format!(
            "Op elk berekend domein hoort het gebied bij de helft met de meeste achterstand, van {most} tot {least}."
        )
    } else {
        format!("De meeste achterstand is er op {most}, de minste op {least}.")
    })
}

/// The domains not scored, grouped by why: "Niet berekend: geen cijfers voor inkomen en
/// opleiding; te weinig voor woonomgeving (1 van de 2 benodigde indicatoren)."
fn missing_line(index: &RegionIndex) -> String {
    let lower = |d: &crate::compare::achterstand::DomainIndex| crate::templates::lower_first(&d.label);
    let none: Vec<String> = index
        .domains
        .iter()
        .filter(|d| matches!(d.status, Status::TooFewIndicators { have: 0, .. }))
        .map(lower)
        .collect();
    let few: Vec<String> = index
        .domains
        .iter()
        .filter_map(|d| match d.status {
            Status::TooFewIndicators { have, need } if have > 0 => {
                Some(format!("{} ({have} van de {need} benodigde indicatoren)", lower(d)))
            }
            _ => None,
        })
        .collect();
    let mut parts = Vec::new();
    if !none.is_empty() {
        parts.push(format!("geen cijfers voor {}", and_list(&none)));
    }
    if !few.is_empty() {
        parts.push(format!("te weinig voor {}", and_list(&few)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("Niet berekend: {}.", parts.join("; "))
    }
}

/// A small count in words ("vijf"), as a sentence says it.
fn count_word(n: usize) -> String {
    const WORDS: [&str; 11] = ["geen", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"];
    WORDS.get(n).map(|w| w.to_string()).unwrap_or_else(|| n.to_string())
}

/// The method line, naming the recipe.
fn method(index: &RegionIndex) -> String {
    let recipe = if index.weights_file == BUILTIN_NAME {
        format!("{BUILTIN_NAME} van wijkmonitor")
    } else {
        format!("{} (een eigen recept, --index-config)", index.weights_file)
    };
    format!(
        "Naar de Engelse Index of Multiple Deprivation, met cijfers van CBS en RIVM, kleine gebieden naar hun gemeente getrokken, {} trekkingen; herkomst telt niet mee. Gewichten en indicatoren: {recipe}; uitleg: docs/achterstandsindex.md.",
        index.draws
    )
}

/// The short version's line, in plain Dutch.
fn kort(name: &str, level: Level, p: &DomainProfile) -> String {
    let plural = level.plural();
    match p.rows.iter().find(|r| r.total).and_then(|t| t.nederland) {
        Some(b) => format!(
            "Achterstand bij geld, werk, school, gezondheid en wonen: {name} staat op {} van 10, vergeleken met alle {plural} in Nederland. Bij 1 is er de meeste achterstand, bij 10 de minste.",
            b.decile
        ),
        None => format!(
            "Achterstand bij geld, werk, school, gezondheid en wonen: voor {name} zijn er te weinig cijfers voor één getal. Het plaatje laat zien wat er wel is: bij 1 de meeste achterstand, bij 10 de minste."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::achterstand::{IndexConfig, Indexes};
    use crate::session::Session;
    use crate::store::Scope;

    /// Regression: four wijken (De Hagen, Ter Heijde …) with all their scored domains in
    /// deciel 1 and no total got "Op elk berekend domein staat het gebied in deciel 1.",
    /// which the check read as a decile of the total the picture does not draw.
    #[test]
    fn domains_in_one_decile_are_named_each_and_not_as_a_total() {
        let band = Some(Band { decile: 1, low: 1, high: 2 });
        let row = |label: &str, total: bool, nederland| ProfileRow {
            domain: label.to_lowercase(),
            label: label.into(),
            total,
            nederland,
            gemeente: None,
            missing: None,
        };
        let p = DomainProfile {
            region: "WK000101".into(),
            level: Level::Wijk,
            gemeente_name: String::new(),
            rows: vec![row("Totaal", true, None), row("Inkomen", false, band), row("Werk", false, band)],
            weights_file: BUILTIN_NAME.into(),
        };
        let s = domains_sentence(&p).unwrap();
        assert_eq!(s, "De berekende domeinen staan in hetzelfde deciel: inkomen (deciel 1) en werk (deciel 1).");
        assert!(!s.contains(" in deciel "));
    }

    #[test]
    fn the_sentences_name_the_deciles_the_picture_draws_and_no_loaded_words() {
        let ds = Session::demo().unwrap().dataset(&Scope::all()).unwrap();
        let idx = Indexes::compute(&ds, &IndexConfig::builtin(&ds.catalogue), None);
        for code in ["WK999000", "BU99900000", "GM9990"] {
            let Some(r) = idx.get(code) else { continue };
            let t = text("Centrum", r);
            let all = t.sentences.join(" ");
            for word in ["probleem", "slechtst", "herkomst"] {
                assert!(!all.to_lowercase().contains(word), "{code}: {all}");
            }
            for row in r.profile().rows.iter().filter(|r| !r.total) {
                if let Some(b) = row.nederland {
                    let said = format!("{} (deciel ", crate::templates::lower_first(&row.label));
                    if let Some(at) = all.find(&said) {
                        assert!(all[at + said.len()..].starts_with(&b.decile.to_string()), "{code}: {all}");
                    }
                }
            }
            assert!(t.method.contains("data/index.toml"), "{}", t.method);
        }
    }
}
