//! The indicator catalogue (`data/indicators.toml`): for every indicator its theme,
//! label, definition, unit, population, polarity and the reason for that polarity, in
//! the project's own Dutch. Everything the factsheet says about *why* a figure counts as
//! gunstig or ongunstig comes from here, not from code.

use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::error::{Error, Location};
use crate::model::unit::Unit;

/// The themes of the profile, in page order. Code takes their number from here (the
/// profile, the tiles, the key figures), never a fixed six.
pub const THEMES: &[(&str, &str)] = &[
    ("demografie", "Demografie"),
    ("onderwijs", "Onderwijs"),
    ("arbeid_inkomen", "Arbeid & inkomen"),
    ("wonen", "Wonen & leefomgeving"),
    ("energie", "Energie & duurzaamheid"),
    ("veiligheid", "Veiligheid"),
    ("zorg_welzijn", "Zorg & welzijn"),
];

/// Title of a theme id.
pub fn theme_title(id: &str) -> &str {
    THEMES.iter().find(|(t, _)| *t == id).map(|(_, l)| *l).unwrap_or(id)
}

/// Whether a higher value is gunstig, ongunstig, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// Higher is gunstig.
    Higher,
    /// Lower is gunstig.
    Lower,
    /// Descriptive: only hoger/lager.
    Neutral,
}

/// A figure computed from two other indicators of the same region and year.
#[derive(Debug, Clone, Deserialize)]
pub struct Derive {
    /// Indicator giving the count.
    pub numerator: String,
    /// Indicator giving the population.
    pub denominator: String,
    /// Multiplier: 100 for a percentage, 1000 for "per 1.000".
    pub scale: f64,
}

/// One indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable id, used in source mappings and exports.
    pub id: String,
    /// Theme id (see [`THEMES`]).
    pub theme: String,
    /// Label as shown in tables.
    pub label: String,
    /// One-sentence definition.
    pub definition: String,
    /// Unit, parsed when the catalogue loads (see [`Unit`]).
    pub unit: Unit,
    /// The population a share is taken of ("inwoners van 15 tot 75 jaar").
    #[serde(default)]
    pub share_of: String,
    /// Polarity.
    pub polarity: Polarity,
    /// Why this polarity, in plain Dutch (the definitions page and the workbook).
    pub rationale: String,
    /// For an evaluative indicator: what a value *higher* than the benchmark means, the
    /// reason a finding in that direction prints (never the other direction's).
    #[serde(default)]
    pub rationale_higher: Option<String>,
    /// For an evaluative indicator: what a value *lower* than the benchmark means.
    #[serde(default)]
    pub rationale_lower: Option<String>,
    /// For an indicator that can be a finding: the subject of a sentence about it ("het
    /// aandeel inwoners met een bijstandsuitkering"), so a question or summary that
    /// names it is grammatical whatever its label.
    #[serde(default)]
    pub subject: Option<String>,
    /// Decimals to print (the unit's default when the catalogue names none).
    #[serde(default = "unit_default")]
    pub decimals: usize,
    /// Used as a structural feature to choose peers (never an outcome).
    #[serde(default)]
    pub peer_feature: bool,
    /// As a peer feature, compared on a log scale (sizes and densities, where a step
    /// from 1.000 to 2.000 weighs like one from 100.000 to 200.000).
    #[serde(default)]
    pub peer_log: bool,
    /// May be a finding (page one, a theme's "wat valt op"): an evaluative outcome, or
    /// the use of zorg & welzijn (worded as hoger/lager). Context (herkomst, density,
    /// age structure, the housing stock, distances) never is; it stays in the tables.
    #[serde(default)]
    pub finding: bool,
    /// The concept this figure measures, shared with the same concept from other
    /// sources or populations (`arbeidsparticipatie`: the KWB, the register table per
    /// gemeente, the labour force survey). The page shows one figure per concept (see
    /// `compare`); the exports keep them all.
    #[serde(default)]
    pub concept: Option<String>,
    /// One of the curated trend panels: shown first when the area has a series.
    #[serde(default)]
    pub trend: bool,
    /// Every source of the indicator measures it by one definition (inwoners: the BRP on
    /// 1 January, whichever table gives it), so a trend breaks only where the area
    /// changes, not where the table does.
    #[serde(default)]
    pub one_definition: bool,
    /// Shown among the headline numbers on page one.
    #[serde(default)]
    pub headline: bool,
    /// One of the figures of the short version for residents (`--kort`, page two):
    /// about ten to twelve, chosen for what residents recognise. For a concept with
    /// several sources, whichever the page shows stands in.
    #[serde(default)]
    pub kort: bool,
    /// The label in everyday words for the short version ("Mensen met betaald werk");
    /// the label when none.
    #[serde(default)]
    pub kort_label: Option<String>,
    /// Who is counted, in everyday words, for a figure about people ("huishoudens",
    /// "mensen van 15 tot 75 jaar"): the short version says "ongeveer 1 op de 4
    /// huishoudens". None for a figure about events (misdrijven per 1.000 inwoners).
    #[serde(default)]
    pub kort_wie: Option<String>,
    /// What those counted do or are, as the rest of a short sentence after "ongeveer 1
    /// op de 4 huishoudens in Overvecht (24,0%)": "heeft een laag inkomen".
    #[serde(default)]
    pub kort_zin: Option<String>,
    /// One of the key figures (kerncijfers) of page two: two or three per theme, the same
    /// set for every area. For a concept with several sources, whichever of them the
    /// page shows stands in (see `concept`).
    #[serde(default)]
    pub key: bool,
    /// The same concept from other sources (`arbeidsparticipatie`: the register table
    /// per gemeente, the labour force survey). A headline tile shows whichever of these
    /// and the indicator itself can be compared with Nederland, newest year first.
    #[serde(default)]
    pub headline_alternatives: Vec<String>,
    /// For an average or share whose sources give no national figure and no counts (the
    /// KWB's income, distance and housing figures): the indicator whose gemeente figures
    /// weight the national mean (`inwoners`, `huishoudens`, `woningvoorraad`), so
    /// Nederland = Σ value × weight / Σ weight over the gemeenten. Only where the weight
    /// is the population the figure is taken of; the source line says it is computed.
    #[serde(default)]
    pub national_weight: Option<String>,
    /// Shown on the map page of a gemeente's factsheet, where its wijken are compared
    /// with each other (when most wijken have the figure).
    #[serde(default)]
    pub wijkkaart: bool,
    /// Counts below this are not shown (small numbers); the catalogue's `min_count`
    /// when the indicator names none.
    #[serde(default = "catalogue_default")]
    pub min_count: f64,
    /// Computed from two other indicators.
    #[serde(default)]
    pub derive: Option<Derive>,
    /// Named as missing ("Geen cijfer voor …") on a factsheet even when the store has no
    /// figure for it at any level, instead of being left out: a figure its theme leans
    /// on (energiearmoede), whose absence a reader must see and never read as zero.
    #[serde(default)]
    pub missing_named: bool,
    /// The national figure the measure's definition fixes (a score standardised to a
    /// Dutch mean of 0), for every year the store has the indicator and no source gives
    /// Nederland.
    #[serde(default)]
    pub national_value: Option<f64>,
}

/// Marks "no decimals given" until [`Catalogue::parse`] puts in the unit's default.
const UNIT_DEFAULT: usize = usize::MAX;
fn unit_default() -> usize {
    UNIT_DEFAULT
}
/// Marks "no min_count given" until [`Catalogue::parse`] puts in the catalogue's.
fn catalogue_default() -> f64 {
    f64::NAN
}

impl Indicator {
    /// For a share or rate (value = count / denominator × scale): the scale.
    pub fn scale(&self) -> Option<f64> {
        self.unit.scale()
    }

    /// True when the indicator is judged (gunstig/ongunstig) rather than described.
    pub fn evaluative(&self) -> bool {
        self.polarity != Polarity::Neutral
    }

    /// The reason a finding in one direction prints: for an evaluative indicator the
    /// catalogue's reason for that direction (`higher`: the area's value lies above the
    /// benchmark), for a descriptive one its direction-free rationale.
    pub fn reason(&self, higher: bool) -> &str {
        let by_direction = if higher { &self.rationale_higher } else { &self.rationale_lower };
        by_direction.as_deref().unwrap_or(&self.rationale)
    }

    /// The subject of a sentence about the indicator: the catalogue's `subject`, else
    /// the label as written.
    pub fn subject(&self) -> String {
        self.subject.clone().unwrap_or_else(|| self.label.clone())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    min_count: f64,
    #[serde(default)]
    population: Option<String>,
    indicator: Vec<Indicator>,
}

/// Words that say "more" and "less"; the first of them in a reason per direction must
/// be of its own direction (see `check_reasons`).
pub const HIGHER_WORDS: &[&str] = &["meer", "hoger", "hogere", "groter", "grotere"];
/// See [`HIGHER_WORDS`].
pub const LOWER_WORDS: &[&str] = &["minder", "lager", "lagere", "kleiner", "kleinere"];

/// The direction the first "more" or "less" word of `text` points in: `Some(true)` for
/// more/higher, `Some(false)` for less/lower, `None` without one. "hoger of lager" and
/// "meer of minder" name both and count as none.
pub fn first_direction(text: &str) -> Option<bool> {
    let lower = text.to_lowercase().replace("hoger of lager", "").replace("meer of minder", "");
    lower.split(|c: char| !c.is_alphanumeric()).find_map(|w| {
        if HIGHER_WORDS.contains(&w) {
            Some(true)
        } else {
            LOWER_WORDS.contains(&w).then_some(false)
        }
    })
}

/// The rule for reasons: an evaluative indicator has a reason for each direction, each
/// pointing its own way first; a descriptive one has none, and when it can be a finding
/// its rationale (printed whichever way the figure differs) names no direction. Every
/// indicator that can be a finding is evaluative or in zorg & welzijn, and has a subject.
fn check_reasons(i: &Indicator) -> Result<(), String> {
    let id = &i.id;
    if i.evaluative() {
        for (higher, text) in [(true, &i.rationale_higher), (false, &i.rationale_lower)] {
            let name = if higher { "rationale_higher" } else { "rationale_lower" };
            let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) else {
                return Err(format!("indicator '{id}' heeft een oordeel en dus een reden per richting nodig ({name})"));
            };
            if first_direction(text) != Some(higher) {
                let want = if higher { "meer, hoger of groter" } else { "minder, lager of kleiner" };
                return Err(format!("de {name} van '{id}' moet als eerste richtingwoord {want} hebben: \"{text}\""));
            }
        }
        if !i.finding {
            return Err(format!(
                "indicator '{id}' heeft een oordeel maar is geen bevinding: context heeft polarity = \"neutral\""
            ));
        }
    } else {
        if i.rationale_higher.is_some() || i.rationale_lower.is_some() {
            return Err(format!("indicator '{id}' is beschrijvend en heeft geen reden per richting"));
        }
        if i.finding && first_direction(&i.rationale).is_some() {
            return Err(format!(
                "de reden van '{id}' staat bij elke richting en mag geen richting noemen: \"{}\"",
                i.rationale
            ));
        }
    }
    if i.finding && i.subject.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err(format!("indicator '{id}' kan een bevinding zijn en heeft een onderwerp (subject) nodig"));
    }
    Ok(())
}

/// The whole catalogue.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// Indicators in file order (the order of the factsheet's tables).
    pub indicators: Vec<Indicator>,
    /// The smallest count shown and rated unless an indicator names its own: the rule
    /// [`Indicator::min_count`] applies and the figure the method text quotes.
    pub min_count: f64,
    /// The indicator that counts everyone (see [`Catalogue::population`]).
    population: Option<String>,
}

impl Catalogue {
    /// The catalogue shipped with the tool, parsed and checked once per process and
    /// shared: a country-wide batch asks for it once per part, every dataset holds it.
    pub fn builtin() -> Arc<Catalogue> {
        static BUILTIN: OnceLock<Arc<Catalogue>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Arc::new(
                    Catalogue::parse(crate::paths::embedded::INDICATORS, "data/indicators.toml")
                        .expect("shipped catalogue is valid"),
                )
            })
            .clone()
    }

    /// Parses and checks a catalogue.
    pub fn parse(text: &str, name: &str) -> crate::Result<Catalogue> {
        let at = |msg: String, line: Option<usize>| Error::Config {
            at: Location { file: name.into(), line, column: None },
            message: msg,
            hint: "vergelijk de beschrijving met de andere in data/indicators.toml".into(),
        };
        let mut f: File = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
            let mut err = at(e.message().to_string(), line);
            if e.message().starts_with("onbekende eenheid") {
                if let Error::Config { hint, .. } = &mut err {
                    *hint = format!("gebruik een van de bekende eenheden: {}", Unit::known());
                }
            }
            err
        })?;
        for i in &mut f.indicator {
            if i.decimals == UNIT_DEFAULT {
                i.decimals = i.unit.default_decimals();
            }
            if i.min_count.is_nan() {
                i.min_count = f.min_count;
            }
        }
        let mut seen = std::collections::HashSet::new();
        for i in &f.indicator {
            if !seen.insert(i.id.clone()) {
                return Err(at(format!("indicator '{}' staat er twee keer in", i.id), None));
            }
            if !THEMES.iter().any(|(t, _)| *t == i.theme) {
                return Err(at(format!("indicator '{}' heeft het onbekende thema '{}'", i.id, i.theme), None));
            }
            if i.rationale.trim().is_empty() {
                return Err(at(format!("indicator '{}' heeft een reden (rationale) nodig", i.id), None));
            }
            if i.finding && i.unit.is_count() {
                return Err(at(format!("indicator '{}' is een aantal en kan geen bevinding zijn", i.id), None));
            }
            check_reasons(i).map_err(|m| at(m, None))?;
            // A figure of the short version is said in everyday words: a label, and for
            // a figure about people who is counted and what they do.
            if i.kort && (i.kort_label.is_none() || i.kort_wie.is_some() != i.kort_zin.is_some()) {
                return Err(at(
                    format!("indicator '{}' staat in de korte versie en heeft kort_label en (samen) kort_wie en kort_zin nodig", i.id),
                    None,
                ));
            }
        }
        for i in &f.indicator {
            for alt in &i.headline_alternatives {
                if !seen.contains(alt) {
                    return Err(at(format!("indicator '{}' noemt het onbekende alternatief '{}'", i.id, alt), None));
                }
            }
            if let Some(w) = i.national_weight.as_ref().filter(|w| !seen.contains(*w)) {
                return Err(at(format!("indicator '{}' wordt gewogen met de onbekende indicator '{}'", i.id, w), None));
            }
            if let Some(d) = &i.derive {
                for dep in [&d.numerator, &d.denominator] {
                    if !seen.contains(dep) {
                        return Err(at(
                            format!("indicator '{}' wordt berekend uit het onbekende '{}'", i.id, dep),
                            None,
                        ));
                    }
                }
            }
        }
        if let Some(p) = &f.population {
            match f.indicator.iter().find(|i| i.id == *p) {
                Some(i) if i.unit.is_count() => {}
                Some(_) => return Err(at(format!("de bevolking '{p}' is geen aantal"), None)),
                None => return Err(at(format!("de bevolking is de onbekende indicator '{p}'"), None)),
            }
        }
        Ok(Catalogue { indicators: f.indicator, min_count: f.min_count, population: f.population })
    }

    /// The indicator that counts everyone (`population`; `inwoners` in the shipped
    /// catalogue): the size of an area, the year its factsheet is of, the denominator
    /// of its herkomst composition. `None` for a catalogue without one.
    pub fn population(&self) -> Option<&str> {
        self.population.as_deref()
    }

    /// Looks up an indicator.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// Indicators of a theme, in catalogue order.
    pub fn theme(&self, theme: &str) -> impl Iterator<Item = &Indicator> {
        let theme = theme.to_string();
        self.indicators.iter().filter(move |i| i.theme == theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_figures_are_twelve_to_sixteen_one_to_three_per_theme() {
        // Two or three per theme; energie & duurzaamheid, the seventh, has one.
        let c = Catalogue::builtin();
        let keys: Vec<&Indicator> = c.indicators.iter().filter(|i| i.key).collect();
        assert!((12..=16).contains(&keys.len()), "{} key figures", keys.len());
        for (theme, _) in THEMES {
            let n = keys.iter().filter(|i| i.theme == *theme).count();
            let range = if *theme == "energie" { 1..=2 } else { 2..=3 };
            assert!(range.contains(&n), "{theme}: {n} key figures");
        }
    }

    #[test]
    fn new_evaluative_indicators_say_what_higher_and_lower_mean() {
        // The energy and Politie indicators (issue 32) follow the catalogue rule of
        // issue 27: an evaluative indicator says in one sentence each what a higher and
        // a lower value than the benchmark means.
        let c = Catalogue::builtin();
        let new = c.indicators.iter().filter(|i| i.theme == "energie" || i.id.ends_with("_politie"));
        let mut n = 0;
        for i in new.filter(|i| i.evaluative()) {
            // Each reason points its own way first ("Meer …", "Minder …"), and a finding
            // has a subject for the sentences about it (issue 27's rule).
            for (which, word, text) in
                [("higher", "meer ", &i.rationale_higher), ("lower", "minder ", &i.rationale_lower)]
            {
                let t = text.as_deref().unwrap_or_default();
                assert!(t.len() > 40 && t.ends_with('.'), "{}: rationale_{which} '{t}'", i.id);
                assert!(t.to_lowercase().starts_with(word), "{}: rationale_{which} '{t}'", i.id);
            }
            assert!(i.finding && i.subject.as_deref().is_some_and(|s| s.starts_with("het ")), "{}", i.id);
            n += 1;
        }
        assert!(n >= 6, "{n} new evaluative indicators");
    }

    #[test]
    fn builtin_catalogue_covers_all_themes_with_reasons() {
        let c = Catalogue::builtin();
        assert!(c.indicators.len() >= 40, "only {} indicators", c.indicators.len());
        for (t, _) in THEMES {
            assert!(c.theme(t).count() >= 3, "theme {t} has fewer than 3 indicators");
        }
        for i in &c.indicators {
            assert!(i.rationale.len() > 30, "{} has a thin rationale", i.id);
            if matches!(i.theme.as_str(), "demografie" | "zorg_welzijn") {
                assert_eq!(i.polarity, Polarity::Neutral, "{} in a descriptive theme must be neutral", i.id);
            }
        }
        assert!(c.indicators.iter().filter(|i| i.peer_feature).count() >= 4);
    }

    #[test]
    fn context_is_never_a_finding() {
        // Herkomst, density, age structure and distances describe where people live;
        // they are context, never "what stands out".
        let c = Catalogue::builtin();
        for i in &c.indicators {
            let context = i.theme == "demografie"
                || i.id.starts_with("herkomst_")
                || i.id.starts_with("aandeel_")
                || i.id.contains("dichtheid")
                || i.unit == Unit::Km
                || i.unit.is_count();
            if context {
                assert!(!i.finding, "{} is context and may not be a finding", i.id);
            }
            if i.polarity == Polarity::Neutral && i.theme != "zorg_welzijn" {
                assert!(!i.finding, "{} has no verdict outside zorg & welzijn: context", i.id);
            }
        }
        assert!(c.get("bijstand").unwrap().finding && c.get("jeugdzorg").unwrap().finding);
    }

    #[test]
    fn every_reason_fits_its_direction() {
        // Regression: "een lager aandeel is gunstig, ook als de geregistreerde
        // criminaliteit laag is" was printed for areas whose crime is high, and "een hoger
        // aandeel is een signaal" under a gunstiger (lower) verdict. Each evaluative
        // indicator now has one reason per direction, and each names its own direction
        // first; descriptive findings have one reason that names none.
        let c = Catalogue::builtin();
        let mut evaluative = 0;
        for i in &c.indicators {
            if i.evaluative() {
                evaluative += 1;
                assert_eq!(first_direction(i.reason(true)), Some(true), "{}: {}", i.id, i.reason(true));
                assert_eq!(first_direction(i.reason(false)), Some(false), "{}: {}", i.id, i.reason(false));
                assert!(i.finding, "{} is judged, so it is a finding", i.id);
            } else if i.finding {
                assert_eq!(first_direction(i.reason(true)), None, "{}: {}", i.id, i.rationale);
                assert_eq!(i.reason(true), i.reason(false));
            }
            if i.finding {
                let s = i.subject();
                assert!(s.starts_with("het ") || s.starts_with("de "), "{}: subject '{s}'", i.id);
            }
        }
        assert!(evaluative >= 20, "{evaluative}");
        // Distances describe where facilities are: context, never judged.
        assert_eq!(c.get("afstand_kinderdagverblijf").unwrap().polarity, Polarity::Neutral);
    }

    #[test]
    fn a_reason_pointing_the_wrong_way_is_a_load_error() {
        let t = |higher: &str, lower: &str| {
            format!(
                "min_count = 10\n[[indicator]]\nid = \"a\"\ntheme = \"wonen\"\nlabel = \"A\"\ndefinition = \"d\"\n\
                 unit = \"%\"\npolarity = \"lower\"\nrationale = \"r\"\nfinding = true\nsubject = \"het aandeel a\"\n\
                 rationale_higher = \"{higher}\"\nrationale_lower = \"{lower}\"\n"
            )
        };
        assert!(Catalogue::parse(&t("Meer a is ongunstig.", "Minder a is gunstig."), "x.toml").is_ok());
        let e = Catalogue::parse(&t("Een lager aandeel is gunstig.", "Minder a."), "x.toml").unwrap_err();
        assert!(e.to_string().contains("rationale_higher"), "{e}");
        let missing = t("Meer a.", "Minder a.").replace("rationale_lower = \"Minder a.\"\n", "");
        let e = Catalogue::parse(&missing, "x.toml").unwrap_err();
        assert!(e.to_string().contains("rationale_lower"), "{e}");
        assert_eq!(first_direction("Hoger of lager is geen oordeel; het gebruik hangt af van leeftijd."), None);
        assert_eq!(first_direction("Bijstand is een vangnet; meer inwoners met bijstand …"), Some(true));
    }

    #[test]
    fn the_population_role_names_a_count_of_the_catalogue() {
        assert_eq!(Catalogue::builtin().population(), Some("inwoners"));
        let t = |population: &str, unit: &str| {
            format!(
                "min_count = 10\npopulation = \"{population}\"\n[[indicator]]\nid = \"a\"\ntheme = \"wonen\"\n\
                 label = \"A\"\ndefinition = \"d\"\nunit = \"{unit}\"\npolarity = \"neutral\"\nrationale = \"r\"\n"
            )
        };
        assert_eq!(Catalogue::parse(&t("a", "aantal"), "x.toml").unwrap().population(), Some("a"));
        let e = Catalogue::parse(&t("b", "aantal"), "x.toml").unwrap_err();
        assert!(e.to_string().contains("onbekende indicator 'b'"), "{e}");
        let e = Catalogue::parse(&t("a", "%"), "x.toml").unwrap_err();
        assert!(e.to_string().contains("geen aantal"), "{e}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let t = r#"
min_count = 10
[[indicator]]
id = "a"
theme = "wonen"
label = "A"
definition = "d"
unit = "%"
polarity = "neutral"
rationale = "r"
[[indicator]]
id = "a"
theme = "wonen"
label = "A"
definition = "d"
unit = "%"
polarity = "neutral"
rationale = "r"
"#;
        let e = Catalogue::parse(t, "x.toml").unwrap_err();
        assert!(e.to_string().contains("twee keer"));
    }

    #[test]
    fn unknown_unit_is_a_load_error_with_line_and_the_known_units() {
        let t = "min_count = 10\n[[indicator]]\nid = \"a\"\ntheme = \"wonen\"\nlabel = \"A\"\ndefinition = \"d\"\nunit = \"procent\"\npolarity = \"higher\"\nrationale = \"r\"\n";
        let e = Catalogue::parse(t, "data/indicators.toml").unwrap_err();
        let Error::Config { at, message, hint } = &e else { panic!("{e:?}") };
        assert_eq!(at.line, Some(7), "{message}");
        assert!(message.contains("procent"), "{message}");
        assert!(hint.contains("`per 1.000`") && hint.contains("`%`"), "{hint}");
    }

    #[test]
    fn decimals_default_to_the_unit() {
        let t = "min_count = 10\n[[indicator]]\nid = \"a\"\ntheme = \"wonen\"\nlabel = \"A\"\ndefinition = \"d\"\nunit = \"aantal\"\npolarity = \"neutral\"\nrationale = \"r\"\n";
        assert_eq!(Catalogue::parse(t, "x.toml").unwrap().indicators[0].decimals, 0);
        let pct = t.replace("aantal", "%");
        assert_eq!(Catalogue::parse(&pct, "x.toml").unwrap().indicators[0].decimals, 1);
    }
}
