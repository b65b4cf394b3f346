//! The achterstandsindex on the page: the view of its block (the picture's rows, the
//! sentences, what was not scored, the method line) and its check, which reads each
//! decile a sentence names back against the row the picture draws. A view, not a
//! computation: the rows come from `compare`, the words from `narrate`.

use serde::Serialize;

use super::check::Problem;
use super::view::View;
use crate::compare::achterstand::ProfileRow;
use crate::compare::Profile;
use crate::narrate::Narrative;

/// The index block of a factsheet (and the line and picture of the short version).
#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    /// The rows the picture (`charts/achterstand.svg`) draws: the scored ones, the total
    /// first (the others are in `missing`, with why).
    pub rows: Vec<ProfileRow>,
    /// One or two sentences made from those rows.
    pub sentences: Vec<String>,
    /// Domains not scored, with why (empty when all were).
    pub missing: String,
    /// How it is computed, with the recipe file.
    pub method: String,
    /// "wijken" or "buurten": the level the deciles are among.
    pub level_plural: String,
}

/// The block's view, where the area has an index and its picture was drawn.
pub fn build(p: &Profile, n: &Narrative, charts: &crate::charts::ChartSet) -> Option<IndexView> {
    let (index, text) = (p.achterstand.as_ref()?, n.achterstand.as_ref()?);
    charts.has("achterstand").then(|| IndexView {
        rows: crate::charts::achterstand::drawn(&index.profile().rows),
        sentences: text.sentences.clone(),
        missing: text.missing.clone(),
        method: text.method.clone(),
        level_plural: p.region.level.plural().to_string(),
    })
}

/// Every decile a sentence of the block names is the one its row draws: "werk (deciel
/// 2" against the row Werk, "in deciel 4" against the total, "staat op 4 van 10" (the
/// short version's line, as its view prints it) against the total.
pub(super) fn check(view: &View, out: &mut Vec<Problem>) {
    let Some(a) = &view.achterstand else { return };
    let mut problem = |message: String| out.push(Problem { place: "achterstandsindex".into(), message });
    let text = a.sentences.join(" ");
    let total = a.rows.iter().find(|r| r.total).and_then(|r| r.nederland.map(|b| b.decile));
    let number_after = |s: &str, at: usize| -> Option<u8> {
        s[at..].chars().take_while(|c| c.is_ascii_digit()).collect::<String>().parse().ok()
    };
    for r in a.rows.iter().filter(|r| !r.total) {
        let said = format!("{} (deciel ", crate::templates::lower_first(&r.label));
        for (at, _) in text.match_indices(&said) {
            let named = number_after(&text, at + said.len());
            if named != r.nederland.map(|b| b.decile) {
                problem(format!(
                    "de zin noemt {said}{}), het plaatje tekent {}",
                    named.map(|d| d.to_string()).unwrap_or_default(),
                    r.words()
                ));
            }
        }
    }
    // The total is named in the first sentence and in the short version's line only.
    let first = a.sentences.first().map(String::as_str).unwrap_or("");
    let shown = |d: Option<u8>| d.map(|d| format!("deciel {d}")).unwrap_or_else(|| "geen totaal".into());
    for (sentence, key) in [(first, " in deciel "), (view.kort_view.achterstand.as_str(), " staat op ")] {
        if let Some(at) = sentence.find(key) {
            let named = number_after(sentence, at + key.len());
            if named != total {
                problem(format!(
                    "de zin noemt '{}{}' voor het totaal, het plaatje tekent {}",
                    key.trim_start(),
                    named.map(|d| d.to_string()).unwrap_or_default(),
                    shown(total)
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view of a demo factsheet (the demo computes its index).
    fn demo_view(code: &str) -> View {
        use crate::compare::{Context, Options};
        let ds = crate::session::Session::demo().unwrap().dataset(&crate::store::Scope::all()).unwrap();
        let p = Context::new(&ds, None).profile(code, &Options::default()).unwrap();
        let n = crate::narrate::narrate(&crate::templates::Templates::builtin().unwrap(), &p, &ds.catalogue).unwrap();
        let charts = crate::charts::render(&ds.geometry, &p);
        let meta = super::super::Meta { date: "2026-11-23".into(), fictional: true, kort: false };
        super::super::view::build(&p, &n, &ds.catalogue, &meta, &charts)
    }

    #[test]
    fn a_sentence_whose_decile_is_not_the_pictures_fails_the_check() {
        let mut view = demo_view("WK999000");
        let a = view.achterstand.clone().expect("the demo wijk has the index block");
        let mut out = Vec::new();
        check(&view, &mut out);
        assert!(out.is_empty(), "{out:?}");
        // Break a domain's decile in the sentence.
        let row = a.rows.iter().find(|r| !r.total && r.nederland.is_some()).expect("a scored domain");
        let d = row.nederland.unwrap().decile;
        let other = if d == 10 { 1 } else { d + 1 };
        let label = crate::templates::lower_first(&row.label);
        let broken = format!("De meeste achterstand is er op {label} (deciel {other}), de minste op niets.");
        view.achterstand.as_mut().unwrap().sentences = vec![broken];
        let mut out = Vec::new();
        check(&view, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].message.contains(&format!("{label} (deciel {other})")), "{out:?}");
        // And the short version's line naming another total than the picture's.
        view.achterstand.as_mut().unwrap().sentences = a.sentences.clone();
        view.kort_view.achterstand = "Het gebied staat op 11 van 10.".into();
        let mut out = Vec::new();
        check(&view, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
    }
}
