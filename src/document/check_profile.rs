//! The check of page one's profile (see [`super::check`]), with its own reading of the
//! printed view: each theme's counts are what its table's verdicts say, a theme with only
//! descriptive figures is drawn as such, and one without figures as empty.

use super::check::{tally, Problem};
use super::view::View;
use crate::compare::ProfileKind;

/// Page one's profile against the theme tables: each theme's counts are what its
/// table's verdicts say, a theme with only descriptive figures is drawn as such, and
/// one without figures as empty.
pub(super) fn check(view: &View, out: &mut Vec<Problem>) {
    let mut problem = |place: &str, message: String| out.push(Problem { place: place.to_string(), message });
    if view.profile.len() != view.themes.len() {
        problem(
            "profiel",
            format!("het profiel heeft {} thema's, de factsheet {}", view.profile.len(), view.themes.len()),
        );
    }
    for r in &view.profile {
        let Some(t) = view.themes.iter().find(|t| t.title == r.title) else {
            problem("profiel", format!("het profiel toont {}, de factsheet niet", r.title));
            continue;
        };
        let (up, same, down) = tally(&t.rows);
        // Judged: rated rows in a theme that speaks of gunstiger/ongunstiger (all of
        // them may be vergelijkbaar; the tile still counts in verdicts).
        let descriptive_words = t.rows.iter().any(|r| r.word.ends_with("hoger") || r.word.ends_with("lager"));
        let judged = up + same + down > 0 && !descriptive_words && t.tile.contains("gunstiger");
        let place = format!("profiel, {}", r.title);
        if (r.up, r.same, r.down) != (up, same, down) {
            problem(&place, format!("het profiel telt {}, de tabel {up} / {same} / {down}", r.words()));
        }
        let described = t.rows.len() + t.context_rows.len() > 0;
        let kind = if judged {
            ProfileKind::Oordeel
        } else if described {
            ProfileKind::Beschrijvend
        } else {
            ProfileKind::Geen
        };
        if r.kind != kind {
            problem(&place, format!("het profiel tekent {:?}, de tabel is {:?}", r.kind, kind));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalogue::Catalogue;

    fn demo_view(code: &str) -> (View, Catalogue) {
        crate::document::test_view(code, false)
    }

    fn check(v: &View, cat: &Catalogue) -> Vec<Problem> {
        crate::document::check::check(v, cat)
    }

    #[test]
    fn a_profile_that_is_not_the_tables_is_caught() {
        // The profile counts equal the theme tables' verdicts on a sound sheet …
        let (mut v, cat) = demo_view("GM0001");
        let arbeid = v.profile.iter().find(|r| r.theme == "arbeid_inkomen").unwrap();
        assert!(arbeid.down > 0, "{arbeid:?}");
        assert!(check(&v, &cat).is_empty());
        // … and a profile that counts otherwise, or draws a theme with figures as empty,
        // is caught.
        let r = v.profile.iter_mut().find(|r| r.theme == "arbeid_inkomen").unwrap();
        r.down -= 1;
        r.same += 1;
        let d = v.profile.iter_mut().find(|r| r.theme == "demografie").unwrap();
        assert_eq!(d.kind, ProfileKind::Beschrijvend);
        d.kind = ProfileKind::Geen;
        let found = check(&v, &cat);
        assert!(
            found.iter().any(|p| p.place == "profiel, Arbeid & inkomen" && p.message.contains("telt")),
            "{found:?}"
        );
        assert!(found.iter().any(|p| p.place == "profiel, Demografie" && p.message.contains("tekent")), "{found:?}");
    }
}
