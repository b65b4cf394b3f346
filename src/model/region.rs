//! Region codes and the region registry: which gemeenten, wijken and buurten exist, per
//! year of the CBS indeling, with their names and parents, and how a user's text or a
//! CBS file's region label resolves to a code.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

mod lookup;
use lookup::Folded;
pub use lookup::{shown, Lookup, MAX_NAME_CHARS};

/// The level of a region in the CBS hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nederland as a whole (code NL01).
    Land,
    /// A gemeente (GMxxxx).
    Gemeente,
    /// A wijk (WKxxxxxx).
    Wijk,
    /// A buurt (BUxxxxxxxx).
    Buurt,
}

impl Level {
    /// Dutch noun, singular.
    pub fn noun(self) -> &'static str {
        match self {
            Level::Land => "land",
            Level::Gemeente => "gemeente",
            Level::Wijk => "wijk",
            Level::Buurt => "buurt",
        }
    }
    /// Dutch noun, plural.
    pub fn plural(self) -> &'static str {
        match self {
            Level::Land => "landen",
            Level::Gemeente => "gemeenten",
            Level::Wijk => "wijken",
            Level::Buurt => "buurten",
        }
    }
    /// Parses the level word used in files and on the command line.
    pub fn parse(s: &str) -> Option<Level> {
        // The files hold the nouns as written; only typed text needs folding (which costs
        // a store of 27.000 regions 40 million instructions).
        let levels = [Level::Land, Level::Gemeente, Level::Wijk, Level::Buurt];
        if let Some(level) = levels.into_iter().find(|l| l.noun() == s) {
            return Some(level);
        }
        match normalize_name(s).as_str() {
            "land" | "nederland" => Some(Level::Land),
            "gemeente" => Some(Level::Gemeente),
            "wijk" => Some(Level::Wijk),
            "buurt" => Some(Level::Buurt),
            _ => None,
        }
    }
}

/// The code of Nederland in the store.
pub const NL: &str = "NL01";

/// Normalises a CBS region code: trims padding, upper-cases, maps the national variants
/// (`NL`, `NL00`, `NL01`) to `NL01`, and checks the shape. Returns `None` for text that
/// is not a code.
pub fn normalize_code(s: &str) -> Option<String> {
    let t = s.trim().to_ascii_uppercase();
    if t == "NL" || t == "NL00" || t == "NL01" {
        return Some(NL.to_string());
    }
    // Four digits of the gemeente, then wijk and buurt parts that may hold letters
    // (Amsterdam: WK0363AA, BU0363AA01).
    let shape = |p: &str, n: usize| {
        t.len() == p.len() + n
            && t.starts_with(p)
            && t[2..6].bytes().all(|b| b.is_ascii_digit())
            && t[6..].bytes().all(|b| b.is_ascii_alphanumeric())
    };
    if shape("GM", 4) || shape("WK", 6) || shape("BU", 8) {
        Some(t)
    } else {
        None
    }
}

/// The four digits of the gemeente a code lies in (`0344` of `GM0344`, `WK034401`,
/// `BU03440101`), compared in place without building the gemeente's code.
pub fn gemeente_digits(code: &str) -> Option<&str> {
    code.get(2..6)
}

/// True for CBS's placeholder "Buitenland" (GM0998 and its wijk and buurt), which PDOK
/// files carry as a feature without figures; it is not a region of the Netherlands.
pub fn is_placeholder(code: &str) -> bool {
    gemeente_digits(code) == Some("0998")
}

/// The level a normalised code belongs to.
pub fn code_level(code: &str) -> Option<Level> {
    match code.get(..2)? {
        "NL" => Some(Level::Land),
        "GM" => Some(Level::Gemeente),
        "WK" => Some(Level::Wijk),
        "BU" => Some(Level::Buurt),
        _ => None,
    }
}

/// The gemeente code a wijk or buurt code belongs to (`WK036305` → `GM0363`).
pub fn gemeente_of(code: &str) -> Option<String> {
    match code_level(code)? {
        Level::Gemeente => Some(code.to_string()),
        Level::Wijk | Level::Buurt => Some(format!("GM{}", &code[2..6])),
        Level::Land => None,
    }
}

/// The wijk code a buurt code belongs to (`BU03630501` → `WK036305`).
pub fn wijk_of(code: &str) -> Option<String> {
    match code_level(code)? {
        Level::Buurt => Some(format!("WK{}", &code[2..8])),
        Level::Wijk => Some(code.to_string()),
        _ => None,
    }
}

/// Folds a name for matching: lower case, accents removed, punctuation and padding
/// folded to single spaces (`'s-Gravenhage ` → `s gravenhage`, `Súdwest-Fryslân` →
/// `sudwest fryslan`).
pub fn normalize_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' {
            space = true;
        }
    }
    out
}

/// One region in one year of the indeling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// Normalised code.
    pub code: String,
    /// Name as CBS writes it (padding removed).
    pub name: String,
    /// Level.
    pub level: Level,
    /// Name of the gemeente the region lies in (its own name for a gemeente).
    pub gemeente_name: String,
    /// Year of the indeling this entry comes from.
    pub year: i32,
}

impl Region {
    /// The gemeente code (None for Nederland).
    pub fn gemeente(&self) -> Option<String> {
        gemeente_of(&self.code)
    }
    /// The wijk code (for a buurt or wijk).
    pub fn wijk(&self) -> Option<String> {
        wijk_of(&self.code)
    }
    /// A name that identifies the region for a reader: "Centrum (wijk, Amsterdam)".
    pub fn display(&self) -> String {
        match self.level {
            Level::Land | Level::Gemeente => self.name.clone(),
            _ => format!("{} ({}, {})", self.name, self.level.noun(), self.gemeente_name),
        }
    }
}

/// Everyday names of gemeenten and their CBS names (which is what the registry holds).
pub const GEMEENTE_ALIASES: &[(&str, &str)] = &[
    ("Den Haag", "'s-Gravenhage"),
    ("Den Bosch", "'s-Hertogenbosch"),
    ("s-Hertogenbosch", "'s-Hertogenbosch"),
    ("Hertogenbosch", "'s-Hertogenbosch"),
    ("Nuenen", "Nuenen, Gerwen en Nederwetten"),
    ("Son", "Son en Breugel"),
];

/// All known regions, every year of the indeling that was imported.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Latest entry per code.
    latest: BTreeMap<String, Region>,
    /// Every (code, year) entry.
    all: Vec<Region>,
    /// Other spellings of an entry's name (a second entry of the same code and year),
    /// as (name, code).
    spellings: Vec<(String, String)>,
    /// Folded name → codes (any year), built at the first search by name: folding
    /// 19.000 names costs more than a factsheet by code needs.
    by_name: std::sync::OnceLock<HashMap<String, Vec<String>>>,
    /// The latest entries' folded names, in code order, built at the first search that
    /// compares names one by one (suggestions, "Centrum" for "Wijk 03 Centrum"), so a
    /// list of a thousand unknown names does not fold every name a thousand times.
    latest_folded: std::sync::OnceLock<Folded>,
}

impl Registry {
    /// Builds the registry from entries (any order; duplicates merge, the latest year
    /// gives the current name).
    /// Sources may spell one region differently ("Oude stad e.o." and "Oude stad en
    /// omgeving"): every spelling is kept as a name to match.
    pub fn new(mut entries: Vec<Region>) -> Self {
        entries.sort_by(|a, b| a.code.cmp(&b.code).then(a.year.cmp(&b.year)));
        let mut spellings = Vec::new();
        entries.dedup_by(|a, b| {
            let same = a.code == b.code && a.year == b.year;
            if same && a.name != b.name {
                spellings.push((a.name.clone(), a.code.clone()));
            }
            same
        });
        // Sorted by code, so the last entry of each code is its latest; a BTreeMap built
        // from sorted pairs is built in one pass instead of by 27.000 inserts.
        let latest: BTreeMap<String, Region> = entries
            .iter()
            .enumerate()
            .filter(|(k, r)| entries.get(k + 1).is_none_or(|next| next.code != r.code))
            .map(|(_, r)| (r.code.clone(), r.clone()))
            .collect();
        Registry {
            latest,
            all: entries,
            spellings,
            by_name: std::sync::OnceLock::new(),
            latest_folded: std::sync::OnceLock::new(),
        }
    }

    fn by_name(&self) -> &HashMap<String, Vec<String>> {
        self.by_name.get_or_init(|| {
            let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
            let names = self.all.iter().map(|r| (&r.name, &r.code)).chain(self.spellings.iter().map(|(n, c)| (n, c)));
            for (name, code) in names {
                let codes = by_name.entry(normalize_name(name)).or_default();
                if !codes.contains(code) {
                    codes.push(code.clone());
                }
            }
            // In code order, whichever spelling named a code first.
            by_name.values_mut().for_each(|codes| codes.sort());
            by_name
        })
    }

    /// Every (code, year) entry.
    pub fn entries(&self) -> &[Region] {
        &self.all
    }

    /// The latest entry of a code.
    pub fn get(&self, code: &str) -> Option<&Region> {
        self.latest.get(code)
    }

    /// Number of distinct codes.
    pub fn len(&self) -> usize {
        self.latest.len()
    }

    /// True when no region is known.
    pub fn is_empty(&self) -> bool {
        self.latest.is_empty()
    }

    /// Regions (latest entry) of one level.
    pub fn of_level(&self, level: Level) -> impl Iterator<Item = &Region> {
        self.latest.values().filter(move |r| r.level == level)
    }

    /// Regions of a level in a given indeling year.
    pub fn of_level_in_year(&self, level: Level, year: i32) -> impl Iterator<Item = &Region> {
        self.all.iter().filter(move |r| r.level == level && r.year == year)
    }

    /// Years of the indeling present for a level.
    pub fn years(&self, level: Level) -> Vec<i32> {
        let mut y: Vec<i32> = self.all.iter().filter(|r| r.level == level).map(|r| r.year).collect();
        y.sort();
        y.dedup();
        y
    }

    /// Wijken (or buurten) of a gemeente, latest indeling.
    pub fn children(&self, gemeente: &str, level: Level) -> Vec<&Region> {
        self.latest.values().filter(|r| r.level == level && r.gemeente().as_deref() == Some(gemeente)).collect()
    }

    /// Codes whose folded name equals the folded `name`.
    pub fn codes_named(&self, name: &str) -> &[String] {
        self.by_name().get(&normalize_name(name)).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// [`Registry::codes_named`] among the codes that start with `prefix` (`WK0344`:
    /// the wijken of one gemeente), sorted: folds only their names, where
    /// [`Registry::codes_named`] folds every region's name the first time it is asked.
    pub fn codes_named_in(&self, name: &str, prefix: &str) -> Vec<String> {
        let folded = normalize_name(name);
        let first = self.all.partition_point(|r| r.code.as_str() < prefix);
        let entries = self.all[first..].iter().take_while(|r| r.code.starts_with(prefix)).map(|r| (&r.name, &r.code));
        let spellings = self.spellings.iter().filter(|(_, c)| c.starts_with(prefix)).map(|(n, c)| (n, c));
        let mut codes: Vec<String> =
            entries.chain(spellings).filter(|(n, _)| normalize_name(n) == folded).map(|(_, c)| c.clone()).collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_words_parse_as_written_and_as_typed() {
        for level in [Level::Land, Level::Gemeente, Level::Wijk, Level::Buurt] {
            assert_eq!(Level::parse(level.noun()), Some(level));
        }
        assert_eq!(Level::parse(" Gemeente "), Some(Level::Gemeente));
        assert_eq!(Level::parse("BUURT"), Some(Level::Buurt));
        assert_eq!(Level::parse("Nederland"), Some(Level::Land));
        assert_eq!(Level::parse("wijken"), None);
    }

    #[test]
    fn the_latest_entry_of_each_code_is_kept_whatever_the_order() {
        let mut old = reg("GM0001", "Oud", "Oud");
        old.year = 2020;
        let mut new = reg("GM0001", "Nieuw", "Nieuw");
        new.year = 2024;
        let r = Registry::new(vec![new.clone(), reg("GM0002", "B", "B"), old]);
        assert_eq!(r.len(), 2);
        assert_eq!(r.get("GM0001").map(|x| x.name.as_str()), Some("Nieuw"));
        assert_eq!(r.entries().len(), 3);
    }

    fn reg(code: &str, name: &str, gm: &str) -> Region {
        Region {
            code: code.into(),
            name: name.into(),
            level: code_level(code).unwrap(),
            gemeente_name: gm.into(),
            year: 2024,
        }
    }

    fn sample() -> Registry {
        Registry::new(vec![
            reg("NL01", "Nederland", "Nederland"),
            reg("GM0344", "Utrecht", "Utrecht"),
            reg("GM0518", "'s-Gravenhage", "'s-Gravenhage"),
            reg("GM1900", "Súdwest-Fryslân", "Súdwest-Fryslân"),
            reg("WK034401", "Wijk 01 West", "Utrecht"),
            reg("WK051801", "Wijk 01 West", "'s-Gravenhage"),
            reg("WK034402", "Centrum", "Utrecht"),
        ])
    }

    #[test]
    fn codes_normalise() {
        assert_eq!(normalize_code("GM0363    ").as_deref(), Some("GM0363"));
        assert_eq!(normalize_code("nl00").as_deref(), Some("NL01"));
        assert_eq!(normalize_code("Amsterdam"), None);
        assert_eq!(normalize_code("BU0363AA01").as_deref(), Some("BU0363AA01"));
        assert_eq!(wijk_of("BU0363AA01").as_deref(), Some("WK0363AA"));
        assert_eq!(gemeente_of("BU03630501").as_deref(), Some("GM0363"));
        assert_eq!(wijk_of("BU03630501").as_deref(), Some("WK036305"));
    }

    #[test]
    fn names_fold_accents_and_case() {
        assert_eq!(normalize_name("Súdwest-Fryslân "), "sudwest fryslan");
        assert_eq!(normalize_name("'s-Gravenhage"), "s gravenhage");
        let r = sample();
        assert!(matches!(r.lookup("sudwest fryslan", None, None), Lookup::Found(g) if g.code == "GM1900"));
        assert!(matches!(r.lookup("GM0344", None, None), Lookup::Found(g) if g.name == "Utrecht"));
    }

    #[test]
    fn names_within_a_prefix_are_the_names_there() {
        let mut entries = sample().all;
        // Another spelling of the same wijk in another year's table.
        entries.push(Region { name: "Wijk 1 West".into(), ..reg("WK034401", "", "Utrecht") });
        let r = Registry::new(entries);
        for (name, prefix) in
            [("wijk 01 west", "WK0344"), ("Wijk 1 West", "WK0344"), ("Centrum", "WK0518"), ("x", "WK")]
        {
            let all: Vec<String> = r.codes_named(name).iter().filter(|c| c.starts_with(prefix)).cloned().collect();
            assert_eq!(r.codes_named_in(name, prefix), all, "{name} {prefix}");
        }
        assert_eq!(r.codes_named_in("Wijk 01 West", "WK0344"), ["WK034401"]);
    }

    #[test]
    fn ambiguous_wijk_asks_for_gemeente() {
        let r = sample();
        match r.lookup("Wijk 01 West", None, None) {
            Lookup::Ambiguous(v) => assert_eq!(v.len(), 2),
            other => panic!("{other:?}"),
        }
        assert!(matches!(r.lookup("West", Some("Utrecht"), None), Lookup::Found(w) if w.code == "WK034401"));
    }

    #[test]
    fn renumbered_wijk_resolves_to_the_newest_indeling() {
        // Regression: "De Kolenkit" was ambiguous between Amsterdam's 2022 and 2024 codes,
        // and --gemeente could not help.
        let mut old = reg("WK036339", "De Kolenkit", "Amsterdam");
        old.year = 2022;
        let r = Registry::new(vec![
            reg("GM0363", "Amsterdam", "Amsterdam"),
            old,
            reg("WK0363ED", "De Kolenkit", "Amsterdam"),
        ]);
        assert!(matches!(r.lookup("De Kolenkit", None, None), Lookup::Found(w) if w.code == "WK0363ED"));
        // The old code itself still works.
        assert!(matches!(r.lookup("WK036339", None, None), Lookup::Found(w) if w.code == "WK036339"));
        // Two wijken of one name in the same indeling stay ambiguous.
        let r = Registry::new(vec![reg("WK036301", "Park", "Amsterdam"), reg("WK036302", "Park", "Amsterdam")]);
        assert!(matches!(r.lookup("Park", None, None), Lookup::Ambiguous(v) if v.len() == 2));
    }

    #[test]
    fn typo_gets_suggestion() {
        match sample().lookup("Utrech", None, None) {
            Lookup::NotFound { suggestions } => assert_eq!(suggestions[0].code, "GM0344"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn everyday_names_and_bare_names_find_gemeenten_first() {
        let mut regions = vec![
            reg("GM0518", "'s-Gravenhage", "'s-Gravenhage"),
            reg("GM0373", "Bergen (NH.)", "Bergen (NH.)"),
            reg("GM0893", "Bergen (L.)", "Bergen (L.)"),
            reg("BU07721120", "Bergen", "Eindhoven"),
            reg("BU08280907", "De Haag", "Oss"),
        ];
        regions[3].level = Level::Buurt;
        regions[4].level = Level::Buurt;
        let r = Registry::new(regions);
        assert!(matches!(r.lookup("Den Haag", None, None), Lookup::Found(g) if g.code == "GM0518"));
        let Lookup::Ambiguous(list) = r.lookup("Bergen", None, None) else { panic!("Bergen is two gemeenten") };
        assert!(list.iter().all(|g| g.level == Level::Gemeente), "{list:?}");
        let found: Vec<&str> = r.search("Bergen", None, 10).iter().map(|g| g.code.as_str()).collect();
        assert_eq!(&found[..2], ["GM0893", "GM0373"]);
        assert_eq!(r.search("den haag", None, 3)[0].code, "GM0518");
    }
}
