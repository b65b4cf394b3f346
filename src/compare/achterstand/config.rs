//! The index's recipe as data: `data/index.toml` names the seven domains, their weights,
//! each domain's indicators with the direction that counts as more achterstand and
//! their weight, how many indicators a domain needs before it is scored, how many
//! domains the total needs, and the seed and number of uncertainty draws. A gemeente
//! copies the file, changes a weight and passes it with `--index-config`; nothing of the
//! recipe lives in code. Parsing checks the file against the catalogue, so a typo or an
//! input the index must never use (herkomst; the SES-WOA score, which is its outside
//! check) is a load error that names the line.

use serde::Deserialize;

use crate::error::{Error, Location};
use crate::model::catalogue::{Catalogue, Polarity};
use crate::model::UnitKind;

/// Which way of an indicator counts as more achterstand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Worse {
    /// A higher value is more achterstand (bijstand, misdrijven).
    Higher,
    /// A lower value is more achterstand (arbeidsparticipatie, rapportcijfer).
    Lower,
}

impl Worse {
    /// +1 when higher is worse, −1 when lower is: the factor that turns a value into
    /// "more is more achterstand".
    pub fn sign(self) -> f64 {
        match self {
            Worse::Higher => 1.0,
            Worse::Lower => -1.0,
        }
    }
}

/// One indicator of a domain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainIndicator {
    /// The catalogue id.
    pub id: String,
    /// Which way counts as more achterstand.
    pub worse: Worse,
    /// Its weight within the domain (relative; the weights of the indicators an area has
    /// are scaled to sum to one).
    #[serde(default = "one")]
    pub weight: f64,
    /// For a share or rate whose source gives no count: the catalogue indicator whose
    /// figure is the population it is taken of (`inwoners`), so that its sampling
    /// variance can be estimated. Without a count and without this, the figure is used
    /// as it is: not shrunk and without uncertainty (the documentation says where).
    #[serde(default)]
    pub population: Option<String>,
    /// False for a model estimate (RIVM's figures per wijk and buurt) that already
    /// borrows strength from similar areas: shrinking it again would count that twice.
    /// Its uncertainty is still drawn.
    #[serde(default = "yes")]
    pub shrink: bool,
    /// The indicators that hold the published lower and upper bound of the figure's
    /// interval (as CBS and RIVM publish them), when imported: the draws then take the
    /// figure's uncertainty from it instead of from the count or population.
    #[serde(default)]
    pub interval: Option<Interval>,
}

/// A published interval of a figure: the indicators of its bounds and its level.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// Indicator id of the lower bound.
    pub lower: String,
    /// Indicator id of the upper bound.
    pub upper: String,
    /// Its level (0,95 for a 95% interval).
    #[serde(default = "ninety_five")]
    pub level: f64,
}

fn one() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}

fn ninety_five() -> f64 {
    0.95
}

/// One domain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Stable id (`inkomen`), used in the exports.
    pub id: String,
    /// Dutch label as shown.
    pub label: String,
    /// Weight in the total (relative; the IMD's 22,5 … 9,3 by default).
    pub weight: f64,
    /// The domain is scored only where an area has figures of at least this many of
    /// its indicators; otherwise it is reported as not scored, never as zero.
    pub min_indicators: usize,
    /// The indicators.
    #[serde(rename = "indicator")]
    pub indicators: Vec<DomainIndicator>,
}

/// The whole recipe (see the module header).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexConfig {
    /// The file it was read from, as the page names it (`data/index.toml`).
    #[serde(skip)]
    pub file: String,
    /// The total is computed only for areas with at least this many scored domains.
    pub min_domains: usize,
    /// A figure older than this many years before the newest figure of its indicator at
    /// the level is left out (sources that cover different gemeenten in different years).
    pub max_age: i32,
    /// Number of uncertainty draws (0: no intervals).
    pub draws: usize,
    /// Seed of the draws: the same seed and input give the same output byte for byte.
    pub seed: u64,
    /// The domains, in the order the profile shows them.
    #[serde(rename = "domain")]
    pub domains: Vec<Domain>,
}

/// The file name the shipped recipe goes by.
pub const BUILTIN_NAME: &str = "data/index.toml";

/// Indicator ids the index refuses as input: herkomst describes who lives somewhere,
/// never achterstand; the SES-WOA score is the outside check the index is validated
/// against, so it may not be part of it.
const FORBIDDEN: &[(&str, &str)] = &[
    (
        "herkomst_",
        "herkomst is nooit een invoer van de achterstandsindex: het beschrijft wie er wonen, niet de achterstand",
    ),
    (
        "ses_woa",
        "de SES-WOA-score van CBS is de buitenmaat waarmee de index getoetst wordt en kan er geen invoer van zijn",
    ),
];

impl IndexConfig {
    /// The recipe shipped with the tool.
    pub fn builtin(catalogue: &Catalogue) -> IndexConfig {
        IndexConfig::parse(crate::paths::embedded::INDEX, BUILTIN_NAME, catalogue).expect("shipped index.toml is valid")
    }

    /// Parses and checks a recipe; `name` is the file name the errors and the pages use.
    pub fn parse(text: &str, name: &str, catalogue: &Catalogue) -> crate::Result<IndexConfig> {
        let err = |message: String, line: Option<usize>, hint: &str| Error::Config {
            at: Location { file: name.into(), line, column: None },
            message,
            hint: hint.into(),
        };
        let hint = "vergelijk het bestand met het meegeleverde data/index.toml (`wijkmonitor index --help`)";
        let mut c: IndexConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
            err(e.message().to_string(), line, hint)
        })?;
        c.file = name.to_string();
        // The line where an indicator or domain id is written, for the messages below.
        let line_of = |id: &str| {
            let quoted = format!("\"{id}\"");
            text.lines().position(|l| l.trim_start().starts_with("id") && l.contains(&quoted)).map(|k| k + 1)
        };
        if c.domains.is_empty() {
            return Err(err("er staat geen domein in".into(), None, hint));
        }
        if c.min_domains == 0 || c.min_domains > c.domains.len() {
            return Err(err(
                format!("min_domains = {} past niet bij {} domeinen", c.min_domains, c.domains.len()),
                None,
                "kies een aantal tussen 1 en het aantal domeinen",
            ));
        }
        if c.draws > 10_000 || c.max_age < 0 {
            return Err(err(
                "draws moet tussen 0 en 10.000 liggen en max_age mag niet negatief zijn".into(),
                None,
                hint,
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut domain_ids: Vec<&str> = Vec::new();
        for d in &c.domains {
            let at = line_of(&d.id);
            if domain_ids.contains(&d.id.as_str()) || d.id == super::TOTAL {
                return Err(err(format!("domein '{}' staat er twee keer in of is gereserveerd", d.id), at, hint));
            }
            domain_ids.push(&d.id);
            if !(d.weight.is_finite() && d.weight > 0.0) {
                return Err(err(format!("domein '{}' heeft geen positief gewicht", d.id), at, hint));
            }
            if d.indicators.is_empty() || d.min_indicators == 0 || d.min_indicators > d.indicators.len() {
                return Err(err(
                    format!(
                        "domein '{}': min_indicators = {} past niet bij {} indicatoren",
                        d.id,
                        d.min_indicators,
                        d.indicators.len()
                    ),
                    at,
                    "een domein heeft minstens één indicator en vraagt er hooguit zoveel als het heeft",
                ));
            }
            for i in &d.indicators {
                check_indicator(i, catalogue, &mut seen).map_err(|m| err(m, line_of(&i.id), hint))?;
            }
        }
        Ok(c)
    }

    /// Reads a user's recipe from a file.
    pub fn from_file(path: &std::path::Path, catalogue: &Catalogue) -> crate::Result<IndexConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        IndexConfig::parse(&text, &path.display().to_string(), catalogue)
    }

    /// The file name without its folders, as a page prints it ("index.toml").
    pub fn file_name(&self) -> &str {
        self.file.rsplit(['/', '\\']).next().unwrap_or(&self.file)
    }

    /// The recipe as the pages and exports name it: the shipped one by its place in
    /// the repository (`data/index.toml`), a user's by its file name without folders.
    pub fn shown_name(&self) -> &str {
        if self.file == BUILTIN_NAME {
            BUILTIN_NAME
        } else {
            self.file_name()
        }
    }

    /// The same recipe with every domain weighing the same: the usual check of how much
    /// the ranking owes to the chosen weights.
    pub fn with_equal_weights(&self) -> IndexConfig {
        let mut c = self.clone();
        for d in &mut c.domains {
            d.weight = 1.0;
        }
        c
    }
}

/// Checks one indicator against the catalogue and the rules; the message on failure.
fn check_indicator<'a>(i: &'a DomainIndicator, catalogue: &Catalogue, seen: &mut Vec<&'a str>) -> Result<(), String> {
    if let Some((_, why)) = FORBIDDEN.iter().find(|(prefix, _)| i.id.starts_with(prefix)) {
        return Err(format!("'{}': {why}", i.id));
    }
    let Some(ind) = catalogue.get(&i.id) else {
        return Err(format!("onbekende indicator '{}' (zie `wijkmonitor indicators`)", i.id));
    };
    if seen.contains(&i.id.as_str()) {
        return Err(format!("indicator '{}' staat in twee domeinen of twee keer in één", i.id));
    }
    seen.push(&i.id);
    if ind.unit.is_count() {
        return Err(format!("'{}' is een aantal, geen maat voor achterstand", i.id));
    }
    if !(i.weight.is_finite() && i.weight > 0.0) {
        return Err(format!("indicator '{}' heeft geen positief gewicht", i.id));
    }
    // The catalogue's polarity says which way is gunstig; the index's direction may
    // not contradict it.
    let contradicts =
        matches!((ind.polarity, i.worse), (Polarity::Higher, Worse::Higher) | (Polarity::Lower, Worse::Lower));
    if contradicts {
        return Err(format!(
            "indicator '{}': worse = \"{}\" spreekt de catalogus tegen (daar is {} gunstig)",
            i.id,
            if i.worse == Worse::Higher { "higher" } else { "lower" },
            if ind.polarity == Polarity::Higher { "hoger" } else { "lager" }
        ));
    }
    if let Some(b) = &i.interval {
        for bound in [&b.lower, &b.upper] {
            if catalogue.get(bound).is_none() {
                return Err(format!("indicator '{}' noemt de onbekende intervalgrens '{bound}'", i.id));
            }
        }
        if !(b.level > 0.0 && b.level < 1.0) {
            return Err(format!("indicator '{}': het niveau van het interval ligt tussen 0 en 1 (0.95)", i.id));
        }
    }
    if let Some(p) = &i.population {
        if catalogue.get(p).is_none() {
            return Err(format!("indicator '{}' noemt de onbekende populatie '{p}'", i.id));
        }
        if !matches!(ind.unit.kind(), UnitKind::Share | UnitKind::Rate) {
            return Err(format!("'{}' is geen aandeel of verhouding; een populatie heeft dan geen betekenis", i.id));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> crate::Result<IndexConfig> {
        IndexConfig::parse(text, "eigen.toml", &Catalogue::builtin())
    }

    const SMALL: &str = r#"
min_domains = 1
max_age = 4
draws = 10
seed = 7

[[domain]]
id = "werk"
label = "Werk"
weight = 1
min_indicators = 1

[[domain.indicator]]
id = "bijstand"
worse = "higher"
"#;

    #[test]
    fn the_shipped_recipe_loads_with_the_imd_weights() {
        let c = IndexConfig::builtin(&Catalogue::builtin());
        let w: Vec<(&str, f64)> = c.domains.iter().map(|d| (d.id.as_str(), d.weight)).collect();
        assert_eq!(
            w,
            [
                ("inkomen", 22.5),
                ("werk", 22.5),
                ("opleiding", 13.5),
                ("gezondheid", 13.5),
                ("veiligheid", 9.3),
                ("huisvesting", 9.3),
                ("woonomgeving", 9.3)
            ]
        );
        assert_eq!(c.min_domains, 5);
        assert_eq!(c.file_name(), "index.toml");
    }

    #[test]
    fn a_small_recipe_parses_and_a_weight_defaults_to_one() {
        let c = parse(SMALL).unwrap();
        assert_eq!(c.domains[0].indicators[0].weight, 1.0);
        assert_eq!(c.with_equal_weights().domains[0].weight, 1.0);
    }

    #[test]
    fn herkomst_and_ses_woa_are_refused_as_input_with_their_line() {
        for (id, word) in [("herkomst_buiten_europa", "herkomst"), ("ses_woa", "buitenmaat")] {
            let text = SMALL.replace("\"bijstand\"", &format!("\"{id}\""));
            let e = parse(&text).unwrap_err();
            let Error::Config { at, message, .. } = &e else { panic!("{e:?}") };
            assert!(message.contains(word), "{message}");
            assert_eq!(at.line, Some(14), "{message}");
        }
    }

    #[test]
    fn a_direction_against_the_catalogue_and_an_unknown_indicator_are_errors() {
        let e = parse(&SMALL.replace("worse = \"higher\"", "worse = \"lower\"")).unwrap_err();
        assert!(e.to_string().contains("spreekt de catalogus tegen"), "{e}");
        let e = parse(&SMALL.replace("\"bijstand\"", "\"bijstandd\"")).unwrap_err();
        assert!(e.to_string().contains("onbekende indicator 'bijstandd'"), "{e}");
        let e = parse(&SMALL.replace("min_indicators = 1", "min_indicators = 2")).unwrap_err();
        assert!(e.to_string().contains("min_indicators = 2"), "{e}");
        let e = parse(&SMALL.replace("min_domains = 1", "min_domains = 2")).unwrap_err();
        assert!(e.to_string().contains("min_domains"), "{e}");
        let e = parse(&SMALL.replace("weight = 1\n", "weight = -1\n")).unwrap_err();
        assert!(e.to_string().contains("positief gewicht"), "{e}");
        let e = parse(&SMALL.replace("seed = 7", "seed = 7\nzaad = 3")).unwrap_err();
        assert!(e.to_string().contains("zaad"), "{e}");
    }
}
