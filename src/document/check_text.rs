//! Reading a factsheet's printed strings the way a reader does: the first number in a
//! Dutch text ("€ 249.000", "49,9%"), its decimals, a verdict word's direction, a
//! theme's count sentence and the names it calls clear, and the sentences and content
//! words of a text. The check ([`super::check`]) and its siblings read the view only
//! through these, never through the code that wrote the strings. Split from the check
//! because these readers are shared by every part of it.

use super::view::Row;

/// The first number in a Dutch text ("€ 249.000" → 249000, "49,9%" → 49,9), or `None`.
pub fn number_in(text: &str) -> Option<f64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let negative = text[..start].ends_with('−') || text[..start].ends_with('-');
    let digits: String = text[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
    let digits = digits.trim_end_matches(['.', ',']);
    let v: f64 = digits.replace('.', "").replace(',', ".").parse().ok()?;
    Some(if negative { -v } else { v })
}

/// Decimals of the first number in a text ("49,9%" → 1).
pub(super) fn decimals_in(text: &str) -> usize {
    let start = text.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
    let digits: String = text[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
    digits.trim_end_matches(['.', ',']).split_once(',').map(|(_, d)| d.len()).unwrap_or(0)
}

/// How a verdict word counts: +1 gunstiger/hoger, −1 ongunstiger/lager, 0 vergelijkbaar,
/// `None` for no verdict ("geen gegevens", "te weinig waarnemingen", "omvang").
pub(super) fn tally_of(word: &str) -> Option<i8> {
    let w = word.trim();
    if w.ends_with("ongunstiger") || w.ends_with("lager") {
        Some(-1)
    } else if w.ends_with("gunstiger") || w.ends_with("hoger") {
        Some(1)
    } else if w == "vergelijkbaar" {
        Some(0)
    } else {
        None
    }
}

/// A table's rows counted by their verdict words: (up, same, down).
pub(super) fn tally(rows: &[Row]) -> (usize, usize, usize) {
    let (mut up, mut same, mut down) = (0, 0, 0);
    for r in rows {
        match tally_of(&r.word) {
            Some(1) => up += 1,
            Some(-1) => down += 1,
            Some(_) => same += 1,
            None => {}
        }
    }
    (up, same, down)
}

/// The numbers after "Van de" in a theme's count sentence: (rated, up, same, down).
pub(super) fn counts_in(summary: &str) -> Option<(usize, usize, usize, usize)> {
    if let Some(rest) = summary.split("Er is 1 ").nth(1) {
        let word = rest.split(':').nth(1)?.trim_start();
        let one = |w: &str| word.starts_with(w);
        return Some(if one("gunstiger") || one("hoger") {
            (1, 1, 0, 0)
        } else if one("ongunstiger") || one("lager") {
            (1, 0, 0, 1)
        } else {
            (1, 0, 1, 0)
        });
    }
    let rest = summary.split("Van de ").nth(1)?;
    let nums: Vec<usize> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(4)
        .filter_map(|s| s.parse().ok())
        .collect();
    match nums.as_slice() {
        [n, u, s, d] => Some((*n, *u, *s, *d)),
        _ => None,
    }
}

/// The names after "Duidelijk WORD:" in a summary, lower case.
pub(super) fn named_after(summary: &str, word: &str) -> Vec<String> {
    let key = format!("Duidelijk {word}: ");
    let Some(rest) = summary.split(&key).nth(1) else { return Vec::new() };
    let list = rest.split(". ").next().unwrap_or(rest).trim_end_matches('.');
    // Names are separated by "; " (a label may hold a comma itself).
    list.split("; ").map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect()
}

/// The content words of a sentence (numbers and short words left out), for the
/// repetition rule.
pub(super) fn content_words(sentence: &str) -> std::collections::BTreeSet<String> {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| w.to_lowercase())
        .collect()
}

/// Sentences of a text, split at ". " (a decimal comma never ends one).
pub(super) fn sentences(text: &str) -> Vec<&str> {
    text.split(". ").map(str::trim).filter(|s| !s.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_the_dutch_way() {
        assert_eq!(number_in("€ 249.000"), Some(249000.0));
        assert_eq!(number_in("49,9%"), Some(49.9));
        assert_eq!(number_in("56,6 per 1.000"), Some(56.6));
        assert_eq!(number_in("−0,12"), Some(-0.12));
        assert_eq!(number_in("geen gegevens"), None);
        assert_eq!(decimals_in("64,0%"), 1);
    }

    #[test]
    fn a_summary_is_read_for_its_counts_and_names() {
        let s =
            "Van de 12 beoordeelde cijfers zijn er 0 gunstiger, 2 vergelijkbaar en 10 ongunstiger dan in Nederland. \
                 Duidelijk ongunstiger: bijstandsuitkering; diefstal uit woning, schuur of garage.";
        assert_eq!(counts_in(s), Some((12, 0, 2, 10)));
        assert_eq!(named_after(s, "ongunstiger"), vec!["bijstandsuitkering", "diefstal uit woning, schuur of garage"]);
        assert_eq!(counts_in("Er is 1 beoordeeld cijfer: ongunstiger dan in Nederland."), Some((1, 0, 0, 1)));
    }
}
