//! What the index says about one area: per domain and in total its score, its rank and
//! decile among all areas of its level with the 90% interval, the same within its
//! gemeente, and what the score rests on; a domain that could not be scored says why.
//! Beside it the data of the domain profile picture (no SVG: the charts stage draws it)
//! and the rows of the `index` export.

use serde::{Deserialize, Serialize};

use crate::model::region::Level;

/// A place in a ranking: rank 1 has the most achterstand; decile 1 is the tenth with the
/// most achterstand. `low`/`high` bound the 90% interval of the decile (none without
/// draws).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// Rank, 1 = most achterstand.
    pub rank: u32,
    /// Number of areas ranked.
    pub of: u32,
    /// Decile, 1 = the tenth with the most achterstand.
    pub decile: u8,
    /// Lower bound of the decile's 90% interval (the smaller number).
    pub low: Option<u8>,
    /// Upper bound of the decile's 90% interval.
    pub high: Option<u8>,
}

/// Whether a domain or the total could be scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// Scored.
    Scored,
    /// The area has figures of fewer of the domain's indicators than it needs.
    TooFewIndicators {
        /// Indicators with a figure.
        have: usize,
        /// Indicators needed.
        need: usize,
    },
    /// The area has fewer scored domains than the total needs.
    TooFewDomains {
        /// Scored domains.
        have: usize,
        /// Domains needed.
        need: usize,
    },
}

impl Status {
    /// The stable word of the exports (`scored`, `too_few_indicators`, `too_few_domains`).
    pub fn code(self) -> &'static str {
        match self {
            Status::Scored => "scored",
            Status::TooFewIndicators { .. } => "too_few_indicators",
            Status::TooFewDomains { .. } => "too_few_domains",
        }
    }

    /// Why not scored, in Dutch ("cijfers voor 1 van de 2 benodigde indicatoren",
    /// "geen cijfers", "4 van de 5 benodigde domeinen berekend").
    pub fn words(self) -> Option<String> {
        match self {
            Status::Scored => None,
            Status::TooFewIndicators { have: 0, .. } => Some("geen cijfers".into()),
            Status::TooFewIndicators { have, need } => {
                Some(format!("cijfers voor {have} van de {need} benodigde indicatoren"))
            }
            Status::TooFewDomains { have, need } => Some(format!("{have} van de {need} benodigde domeinen berekend")),
        }
    }
}

/// One domain (or the total) of one area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainIndex {
    /// Domain id (`inkomen`), or `totaal`.
    pub id: String,
    /// Dutch label.
    pub label: String,
    /// Its weight in the total (the total's is the sum of the domains').
    pub weight: f64,
    /// The score: a domain's weighted mean of normal scores, the total's weighted mean
    /// of the transformed domain ranks (0–100); higher is more achterstand.
    pub score: Option<f64>,
    /// The place among all areas of the level.
    pub nederland: Option<Place>,
    /// The place among the areas of the level in its gemeente (none for a gemeente).
    pub gemeente: Option<Place>,
    /// What the score rests on: a domain's indicators with a figure, the total's scored
    /// domains.
    pub used: Vec<String>,
    /// Scored, or why not.
    pub status: Status,
}

/// The index of one area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionIndex {
    /// CBS code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: Level,
    /// Its gemeente's code (none for a gemeente).
    pub gemeente: Option<String>,
    /// Its gemeente's name (empty for a gemeente).
    pub gemeente_name: String,
    /// Inwoners (latest figure), for reading the width of an interval.
    pub population: Option<f64>,
    /// The total.
    pub total: DomainIndex,
    /// The domains, in the recipe's order.
    pub domains: Vec<DomainIndex>,
    /// The recipe's file name, for the method line ("index.toml").
    pub weights_file: String,
    /// Number of uncertainty draws behind the intervals.
    pub draws: usize,
}

impl RegionIndex {
    /// One domain by id (`totaal` for the total).
    pub fn domain(&self, id: &str) -> Option<&DomainIndex> {
        if id == super::TOTAL {
            return Some(&self.total);
        }
        self.domains.iter().find(|d| d.id == id)
    }

    /// The data of the domain profile picture: the total, then each domain, with its
    /// decile and interval against Nederland and within the gemeente.
    pub fn profile(&self) -> DomainProfile {
        let band = |p: &Option<Place>| {
            p.map(|p| Band { decile: p.decile, low: p.low.unwrap_or(p.decile), high: p.high.unwrap_or(p.decile) })
        };
        let rows = std::iter::once(&self.total)
            .chain(&self.domains)
            .map(|d| ProfileRow {
                domain: d.id.clone(),
                label: d.label.clone(),
                total: d.id == super::TOTAL,
                nederland: band(&d.nederland),
                gemeente: band(&d.gemeente),
                missing: d.status.words(),
            })
            .collect();
        DomainProfile {
            region: self.code.clone(),
            level: self.level,
            gemeente_name: self.gemeente_name.clone(),
            rows,
            weights_file: self.weights_file.clone(),
        }
    }
}

/// A decile with its 90% interval, for a picture: ten cells, the interval shaded, the
/// decile marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// 1 = the tenth with the most achterstand.
    pub decile: u8,
    /// Interval, lower decile number.
    pub low: u8,
    /// Interval, higher decile number.
    pub high: u8,
}

impl Band {
    /// "deciel 2, tussen 1 en 4" (or "deciel 2" when the interval is the decile itself).
    pub fn words(&self) -> String {
        if self.low == self.high {
            format!("deciel {}", self.decile)
        } else {
            format!("deciel {}, tussen {} en {}", self.decile, self.low, self.high)
        }
    }
}

/// One row of the domain profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileRow {
    /// Domain id or `totaal`.
    pub domain: String,
    /// Label.
    pub label: String,
    /// True for the total (drawn apart from the domains).
    pub total: bool,
    /// Against all areas of the level in Nederland.
    pub nederland: Option<Band>,
    /// Within the gemeente.
    pub gemeente: Option<Band>,
    /// Why there is no band ("cijfers voor 1 van de 2 benodigde indicatoren").
    pub missing: Option<String>,
}

impl ProfileRow {
    /// The row in words, for an alt text: "Inkomen: deciel 2, tussen 1 en 4 in
    /// Nederland; deciel 3, tussen 1 en 5 in de gemeente".
    pub fn words(&self) -> String {
        match (&self.nederland, &self.gemeente, &self.missing) {
            (Some(n), Some(g), _) => {
                format!("{}: {} in Nederland; {} in de gemeente", self.label, n.words(), g.words())
            }
            (Some(n), None, _) => format!("{}: {} in Nederland", self.label, n.words()),
            (None, _, Some(why)) => format!("{}: niet berekend ({why})", self.label),
            (None, _, None) => format!("{}: niet berekend", self.label),
        }
    }
}

/// The domain profile of one area: what a picture that reads in five seconds needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainProfile {
    /// The area's code.
    pub region: String,
    /// Its level (deciles are among the areas of this level).
    pub level: Level,
    /// Its gemeente's name (empty for a gemeente).
    pub gemeente_name: String,
    /// The total first, then the domains.
    pub rows: Vec<ProfileRow>,
    /// The recipe's file name.
    pub weights_file: String,
}

/// One row of the `index` export: an area and a domain (or `totaal`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexRow {
    /// CBS code.
    pub region: String,
    /// Name.
    pub region_name: String,
    /// gemeente, wijk or buurt.
    pub level: &'static str,
    /// The gemeente's code (empty for a gemeente).
    pub gemeente: String,
    /// Domain id or `totaal`.
    pub domain: String,
    /// Score (higher is more achterstand), rounded to three decimals.
    pub score: Option<f64>,
    /// Rank among all areas of the level, 1 = most achterstand.
    pub rank: Option<u32>,
    /// Areas ranked.
    pub rank_of: Option<u32>,
    /// Decile, 1 = the tenth with the most achterstand.
    pub decile: Option<u8>,
    /// 90% interval of the decile: lower number.
    pub decile_low: Option<u8>,
    /// 90% interval of the decile: higher number.
    pub decile_high: Option<u8>,
    /// Indicators (for a domain) or domains (for the total) the score rests on, `;`-separated.
    pub indicators_used: String,
    /// Decile within the gemeente.
    pub gemeente_decile: Option<u8>,
    /// Its 90% interval: lower number.
    pub gemeente_decile_low: Option<u8>,
    /// Its 90% interval: higher number.
    pub gemeente_decile_high: Option<u8>,
    /// `scored`, `too_few_indicators` or `too_few_domains`.
    pub status: &'static str,
}

impl RegionIndex {
    /// The export rows: the total, then each domain.
    pub fn rows(&self) -> Vec<IndexRow> {
        std::iter::once(&self.total)
            .chain(&self.domains)
            .map(|d| IndexRow {
                region: self.code.clone(),
                region_name: self.name.clone(),
                level: self.level.noun(),
                gemeente: self.gemeente.clone().unwrap_or_default(),
                domain: d.id.clone(),
                score: d.score.map(|s| (s * 1000.0).round() / 1000.0),
                rank: d.nederland.map(|p| p.rank),
                rank_of: d.nederland.map(|p| p.of),
                decile: d.nederland.map(|p| p.decile),
                decile_low: d.nederland.and_then(|p| p.low),
                decile_high: d.nederland.and_then(|p| p.high),
                indicators_used: d.used.join(";"),
                gemeente_decile: d.gemeente.map(|p| p.decile),
                gemeente_decile_low: d.gemeente.and_then(|p| p.low),
                gemeente_decile_high: d.gemeente.and_then(|p| p.high),
                status: d.status.code(),
            })
            .collect()
    }
}
