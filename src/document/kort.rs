//! What the short version's template (`kort.typ.j2`) sees besides the common view: the
//! text for residents from [`crate::narrate::KortText`], and page two's rows, whose
//! numbers are those of the full factsheet's theme tables (the same [`Row`]s, so the
//! same formatting and the same comparison): the value, the benchmark of the verdict
//! (Nederland, or the gemeente where Nederland has no figure) and the verdict in
//! everyday words. No rank within the gemeente: one comparison per row.
//!
//! Also the B1 rules the tests hold the short version to: its word list
//! (`kort-woorden.toml`, [`word_list`], [`unplain`]) and its sentences ([`sentences`],
//! [`words`]).

use serde::Serialize;

use super::view::Row;
use crate::narrate::kort::KortText;

/// One row of page two.
#[derive(Debug, Serialize)]
pub struct KortRow {
    /// Indicator id (for the check).
    pub indicator: String,
    /// Label in everyday words.
    pub label: String,
    /// The area's value, as the theme table prints it.
    pub value: String,
    /// What it means ("ongeveer de helft van de huishoudens").
    pub meaning: String,
    /// What it is compared with: "Nederland" or the gemeente.
    pub reference_name: String,
    /// The benchmark's value, as the theme table prints it.
    pub reference: String,
    /// The comparison in everyday words ("minder goed", "meer").
    pub word: String,
    /// The verdict class (the chip's colour).
    pub class: String,
    /// Year of the area's figure.
    pub year: String,
}

/// The short version's own part of the view: its text (the template reads its fields
/// as `kort_view.good`, `kort_view.questions` …) and page two's rows.
#[derive(Debug, Serialize, Default)]
pub struct KortView {
    /// The text for residents.
    #[serde(flatten)]
    pub text: KortText,
    /// Page two: the figures for residents, with the theme tables' numbers.
    pub rows: Vec<KortRow>,
    /// The sources of the figures the short version prints, in one line.
    pub sources: String,
    /// The achterstandsindex in one line, beside its small picture (empty without one).
    pub achterstand: String,
}

/// The short version's view from its text and the full factsheet's rows.
pub fn build(t: &KortText, rows: &[&Row], sources: String) -> KortView {
    let rows = t
        .figures
        .iter()
        .filter_map(|f| {
            let row = rows.iter().find(|r| r.indicator == f.indicator)?;
            // The table's "*" (Nederland computed from the gemeenten) is explained in
            // the full version; here the number alone.
            let (reference_name, reference) = if row.versus.is_empty() {
                ("Nederland".to_string(), row.nederland.trim_end_matches('*').to_string())
            } else {
                (row.versus.clone(), row.gemeente.clone())
            };
            // A rate carries its unit ("33,6 per 1.000"): the table has it in its label.
            let unit = |v: &str| match row.share_of.as_str() {
                note if !note.is_empty()
                    && !note.starts_with('%')
                    && crate::document::check::number_in(v).is_some() =>
                {
                    format!("{v} {note}")
                }
                _ => v.to_string(),
            };
            let reference = unit(&reference);
            Some(KortRow {
                indicator: f.indicator.clone(),
                label: f.label.clone(),
                value: unit(&row.value),
                meaning: f.meaning.clone(),
                reference_name,
                reference,
                word: f.word.clone(),
                class: f.class.clone(),
                year: row.year.clone(),
            })
        })
        .collect();
    KortView { text: t.clone(), rows, sources, achterstand: String::new() }
}

/// The word list of the short version (`kort-woorden.toml` of the templates): the words
/// it does not use, each with the everyday word that replaces it.
pub fn word_list(templates: &crate::templates::Templates) -> crate::Result<Vec<(String, String)>> {
    #[derive(serde::Deserialize)]
    struct File {
        woorden: std::collections::BTreeMap<String, String>,
    }
    let name = "kort-woorden.toml";
    let bytes = templates.file(name).unwrap_or_default();
    let file: File = toml::from_str(&String::from_utf8_lossy(bytes)).map_err(|e| crate::Error::Config {
        at: crate::error::Location { file: templates.shown_path(name).into(), line: None, column: None },
        message: e.message().to_string(),
        hint: "het bestand moet een tabel [woorden] hebben: woord = \"gewone woorden\"".into(),
    })?;
    Ok(file.woorden.into_iter().collect())
}

/// The words of `list` that occur in `text`: a word as a whole word, a group of words
/// as a whole, any case; an entry with other signs ("--long", "per km²") as it is.
pub fn unplain(text: &str, list: &[(String, String)]) -> Vec<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let joined = format!(" {} ", words.join(" "));
    list.iter()
        .filter(|(w, _)| {
            let w = w.to_lowercase();
            if w.chars().all(|c| c.is_alphanumeric() || c == ' ') {
                joined.contains(&format!(" {w} "))
            } else {
                lower.contains(&w)
            }
        })
        .map(|(w, _)| w.clone())
        .collect()
}

/// The sentences of the short version's own prose (page one's text and questions, page
/// two's opening and notes), for the sentence-length bound.
pub fn sentences(view: &KortView) -> Vec<String> {
    let k = &view.text;
    let texts = k
        .about
        .iter()
        .chain(k.good.iter().chain(&k.notable).map(|p| &p.sentence))
        .chain(k.questions.iter().map(|q| &q.text))
        .chain([&k.good_none, &k.notable_none, &k.intro, &k.not_here, &view.achterstand]);
    let mut out = Vec::new();
    for t in texts {
        let mut start = 0;
        let chars: Vec<(usize, char)> = t.char_indices().collect();
        for (n, (at, c)) in chars.iter().enumerate() {
            let ends = matches!(c, '.' | '?' | '!') && chars.get(n + 1).is_none_or(|(_, next)| next.is_whitespace());
            if ends {
                let s = t[start..at + c.len_utf8()].trim();
                if !s.is_empty() {
                    out.push(s.to_string());
                }
                start = at + c.len_utf8();
            }
        }
        let rest = t[start..].trim();
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

/// The average length the short version keeps its sentences under, in words (B1
/// guidance: about 10 to 15 words on average; the longest may run longer).
pub const AVERAGE_WORDS: f64 = 14.0;
/// No sentence of the short version is longer than this many words.
pub const LONGEST_WORDS: usize = 26;

/// The number of words of a sentence.
pub fn words(sentence: &str) -> usize {
    sentence.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_words_are_found_as_whole_words_in_any_case() {
        let list = vec![
            ("procentpunt".to_string(), "verschil".to_string()),
            ("sociaal domein".to_string(), "hulp van de gemeente".to_string()),
            ("--long".to_string(), "-".to_string()),
        ];
        assert_eq!(unplain("Dat is 12 Procentpunt lager.", &list), ["procentpunt"]);
        assert!(unplain("Twaalf procentpunten", &list).is_empty(), "a whole word only");
        assert_eq!(unplain("inwoners met een voorziening sociaal domein", &list), ["sociaal domein"]);
        assert_eq!(unplain("wijkmonitor indicators --long", &list), ["--long"]);
    }

    #[test]
    fn the_shipped_list_has_a_replacement_for_every_word() {
        let list = word_list(&crate::templates::Templates::builtin().unwrap()).unwrap();
        assert!(list.len() >= 20, "{list:?}");
        for (word, instead) in &list {
            assert!(!instead.trim().is_empty(), "{word}");
            assert!(unplain(instead, &list).is_empty(), "{word}: the replacement \"{instead}\" uses a listed word");
        }
    }

    #[test]
    fn sentences_end_at_a_stop_not_at_a_number() {
        let k = KortView {
            text: KortText {
                about: vec!["In X wonen 1.201 mensen. Ongeveer 1 op de 4 (24,5%) is jong? Ja!".into()],
                ..KortText::default()
            },
            ..KortView::default()
        };
        let s = sentences(&k);
        assert_eq!(s, ["In X wonen 1.201 mensen.", "Ongeveer 1 op de 4 (24,5%) is jong?", "Ja!"]);
        assert_eq!(words(&s[1]), 8);
    }
}
