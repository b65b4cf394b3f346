//! Alt text for every chart of the factsheet, by chart file stem. Written from the same
//! profile as the sentences, so a screen reader hears what the eye sees: the profile
//! per theme, each key figure against the gemeente and Nederland, the herkomst shares,
//! each trend's first and last value and its direction, a map's highest and lowest
//! wijken. The charts stage draws the pictures; this module only describes them.

use std::collections::BTreeMap;

use crate::compare::{IndicatorResult, Profile, Status};
use crate::model::region::Level;

use super::ThemeText;

/// Alt text per chart stem (`profiel`, `spine-legenda`, `spine-ID`,
/// `herkomst`, `herkomst-balk`, `trends`, `kaart`, `wijken-ID`). A stem the document
/// does not draw is simply not looked up.
pub fn alt_texts(p: &Profile, _themes: &[ThemeText]) -> BTreeMap<String, String> {
    let mut alt = BTreeMap::new();
    let name = &p.region.name;
    // The profile as the chart shows it: per theme its counts in words.
    let profile: Vec<String> =
        crate::compare::profile_rows(&p.themes).iter().map(|r| format!("{}: {}", r.title, r.words())).collect();
    alt.insert(
        "profiel".into(),
        format!(
            "Profiel van {name}: per thema het aantal cijfers dat gunstiger, vergelijkbaar of ongunstiger is dan \
             in Nederland (of de gemeente waar Nederland geen cijfer heeft). {}.",
            profile.join("; ")
        ),
    );
    alt.insert(
        "spine-legenda".into(),
        "Legenda van de kerncijfers: een stip voor dit gebied in de kleur van het oordeel, een open vierkant voor de \
         gemeente, een lijn voor Nederland in het midden (gestreept als de gemeente het midden is, omdat Nederland \
         geen cijfer heeft) en een grijze balk voor het bereik van de vergelijkbare gebieden met een streep op de \
         mediaan. De getallen aan de uiteinden zeggen hoe ver de rij reikt vanaf het midden. Bij cijfers met een \
         oordeel is rechts van de lijn gunstiger; bij beschrijvende cijfers is rechts hoger."
            .into(),
    );
    for i in p.indicators.iter().filter(|i| i.key && i.shown) {
        alt.insert(format!("spine-{}", i.id), spine(p, i));
    }
    if let Some(index) = &p.achterstand {
        let rows: Vec<String> = index.profile().rows.iter().map(|r| r.words()).collect();
        alt.insert(
            "achterstand".into(),
            format!(
                "Achterstandsindex van {name} per domein: het deciel onder de {} van Nederland, 1 is de meeste \
                 achterstand, met het 90%-interval. {}.",
                p.region.level.plural(),
                rows.join(". ")
            ),
        );
    }
    if !p.achterstand_wijken.is_empty() {
        alt.insert(
            "wijken-achterstand".into(),
            format!(
                "Kaart van de wijken van {name}, gekleurd naar het deciel van de achterstandsindex onder alle wijken \
                 van Nederland, in vijf groepen van twee decielen; donker is meer achterstand. Elke wijk staat met \
                 zijn deciel in de tabel."
            ),
        );
    }
    if let Some(c) = p.composition.first() {
        let parts = |c: &crate::compare::Composition| {
            c.parts
                .iter()
                .map(|part| match part.share {
                    Some(s) => format!("{} {}", part.label, crate::model::Unit::Percent.format(s, 0)),
                    None => format!("{} geen gegevens", part.label),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        alt.insert(
            "herkomst-balk".into(),
            format!("Inwoners van {} naar herkomst ({}): {}.", c.name, c.year, parts(c)),
        );
        let all: Vec<String> = p.composition.iter().map(|c| format!("{}: {}", c.name, parts(c))).collect();
        alt.insert("herkomst".into(), format!("Inwoners naar herkomst, {}. {}.", c.year, all.join(". ")));
    }
    let trends: Vec<String> = p.trend_panels().into_iter().filter_map(trend).collect();
    if !trends.is_empty() {
        alt.insert("trends".into(), format!("Ontwikkeling in {name}. {}", trends.join(" ")));
    }
    alt.insert(
        "kaart".into(),
        match p.region.level {
            Level::Gemeente if p.peers.is_some() => {
                format!("Kaart van Nederland met {name} donker en de vergelijkbare gemeenten licht.")
            }
            Level::Gemeente => format!("Kaart van Nederland met {name} donker."),
            Level::Wijk => format!(
                "Kaart van de wijken van {} met {name} donker en bij naam.",
                p.gemeente.as_ref().map(|g| g.name.as_str()).unwrap_or("de gemeente")
            ),
            _ => format!(
                "Kaart van de wijken van {} met de wijk waarin {name} ligt donker, met de naam {name} erbij.",
                p.gemeente.as_ref().map(|g| g.name.as_str()).unwrap_or("de gemeente")
            ),
        },
    );
    if !p.buurten.is_empty() {
        let list: Vec<String> = p.buurten.iter().enumerate().map(|(k, (_, n))| format!("{} {n}", k + 1)).collect();
        alt.insert("buurten".into(), format!("Kaart van de buurten van {name}, genummerd: {}.", list.join(", ")));
    }
    if let Some(w) = &p.wijken {
        let list: Vec<String> =
            w.wijken.iter().enumerate().map(|(k, wijk)| format!("{} {}", k + 1, wijk.name)).collect();
        alt.insert(
            "wijken-nummers".into(),
            format!(
                "Kaart van de {} wijken van {name} met het nummer van elke wijk in de tabel: {}.",
                w.wijken.len(),
                list.join(", ")
            ),
        );
        for m in &w.maps {
            let mut by_value: Vec<(f64, &str)> = w
                .wijken
                .iter()
                .zip(&m.cells)
                .filter_map(|(wijk, c)| c.value.filter(|_| c.status == Status::Value).map(|v| (v, wijk.name.as_str())))
                .collect();
            by_value.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
            let fmt = |list: &[(f64, &str)]| {
                list.iter()
                    .map(|(v, n)| format!("{n} ({})", m.unit.format(*v, m.decimals)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let n = by_value.len().min(3);
            let text = if by_value.len() < 2 {
                format!("Kaart van de wijken van {name}: {} ({}); te weinig wijken met een cijfer.", m.label, m.year)
            } else {
                let low: Vec<(f64, &str)> = by_value.iter().rev().take(n).copied().collect();
                format!(
                    "Kaart van de wijken van {name}: {} ({}). Hoogst: {}. Laagst: {}.",
                    m.label,
                    m.year,
                    fmt(&by_value[..n]),
                    fmt(&low)
                )
            };
            alt.insert(format!("wijken-{}", m.indicator), text);
        }
    }
    alt
}

/// "Bijstandsuitkering: 4,8% in Voorbeeldstad, Nederland 2,6%, vergelijkbare gebieden
/// 3,7% tot 6,1%; duidelijk ongunstiger."
fn spine(p: &Profile, i: &IndicatorResult) -> String {
    let f = |v: f64| i.unit.format(v, i.decimals);
    let mut parts =
        vec![format!("{}: {} in {}", i.label, super::value_text(i, i.area.value, i.area.status), p.region.name)];
    if let (Some(g), Some(gm)) = (&i.gemeente, &p.gemeente) {
        if let Some(v) = g.value.filter(|_| g.status == Status::Value) {
            parts.push(format!("{} {}", gm.name, f(v)));
        }
    }
    if let Some(v) = i.nederland.value.filter(|_| i.nederland.status == Status::Value) {
        parts.push(format!("Nederland {}", f(v)));
    }
    if let Some(s) = &i.peers {
        parts.push(format!("vergelijkbare gebieden {} tot {}", f(s.min), f(s.max)));
    }
    let versus = match (i.main_benchmark(), &p.gemeente) {
        (crate::compare::Benchmark::Gemeente, Some(g)) => {
            format!(" vergeleken met {}, want Nederland heeft geen cijfer", g.name)
        }
        _ => String::new(),
    };
    format!("{}; {}{versus}.", parts.join(", "), i.main_rating().word())
}

/// "Bijstandsuitkering: van 5,1% in 2015 naar 4,8% in 2024, gedaald (breuk in de reeks
/// in 2022)." `None` without two figures.
fn trend(i: &IndicatorResult) -> Option<String> {
    let points: Vec<(i32, f64)> = i.trend.iter().filter_map(|t| t.area.map(|v| (t.year, v))).collect();
    let (&(y0, v0), &(y1, v1)) = (points.first()?, points.last()?);
    if y0 == y1 {
        return None;
    }
    let f = |v: f64| i.unit.format(v, i.decimals);
    // The direction as the reader sees it: unchanged when it rounds to the same figure.
    let direction = if f(v0) == f(v1) {
        "gelijk gebleven"
    } else if v1 > v0 {
        "gestegen"
    } else {
        "gedaald"
    };
    let years = |redivided: bool| -> Vec<String> {
        i.trend.iter().filter(|t| t.break_before && t.redivided == redivided).map(|t| t.year.to_string()).collect()
    };
    let mut notes = Vec::new();
    if !years(false).is_empty() {
        notes.push(format!("andere bron of definitie vanaf {}", years(false).join(" en ")));
    }
    if !years(true).is_empty() {
        notes.push(format!("gebied anders afgebakend vanaf {}", years(true).join(" en ")));
    }
    // Where years are missing the panel leaves the dots unjoined; say which years it has.
    let spans = year_spans(&points.iter().map(|p| p.0).collect::<Vec<_>>());
    if spans.len() > 1 && points.windows(2).any(|w| w[1].0 - w[0].0 > 1) {
        notes.insert(0, format!("cijfers voor {}", crate::format::and_list(&spans)));
    }
    let note = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) };
    Some(format!("{}: van {} in {y0} naar {} in {y1}, {direction}{note}.", i.label, f(v0), f(v1)))
}

/// Years as spans of consecutive ones: [2010, 2011, 2012, 2023] → "2010–2012", "2023".
fn year_spans(years: &[i32]) -> Vec<String> {
    let mut spans: Vec<(i32, i32)> = Vec::new();
    for &y in years {
        match spans.last_mut() {
            Some((_, end)) if y == *end + 1 => *end = y,
            _ => spans.push((y, y)),
        }
    }
    spans.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::testdata::dataset;
    use crate::compare::{Context, Options};

    #[test]
    fn every_key_figure_and_the_profile_have_alt_text_with_their_numbers() {
        let ds = dataset(&[]);
        let p = Context::new(&ds, None).profile("GM0001", &Options::default()).unwrap();
        let n = crate::narrate::narrate(&crate::templates::Templates::builtin().unwrap(), &p, &ds.catalogue).unwrap();
        let bijstand = &n.alt["spine-bijstand"];
        assert!(bijstand.contains("8,0%") && bijstand.contains("Nederland 2,6%"), "{bijstand}");
        assert!(bijstand.ends_with("duidelijk ongunstiger."), "{bijstand}");
        let profile = &n.alt["profiel"];
        assert!(profile.starts_with("Profiel van Gemeente 1: per thema het aantal cijfers"), "{profile}");
        assert!(profile.contains("Demografie: beschrijvend: "), "{profile}");
        assert!(profile.contains("Arbeid & inkomen: 0 gunstiger, "), "{profile}");
        for i in p.indicators.iter().filter(|i| i.key && i.shown) {
            assert!(n.alt.contains_key(&format!("spine-{}", i.id)), "{}", i.id);
        }
    }

    #[test]
    fn a_trend_says_where_it_starts_and_ends_and_which_way() {
        let ds = dataset(&[]);
        let p = Context::new(&ds, None).profile("GM0001", &Options::default()).unwrap();
        let mut i = p.indicators.iter().find(|i| i.id == "bijstand").unwrap().clone();
        let point = |year, v| crate::compare::TrendPoint {
            year,
            area: Some(v),
            gemeente: None,
            nederland: None,
            break_before: year == 2022,
            redivided: false,
            sources: Vec::new(),
        };
        i.trend = vec![point(2015, 5.1), point(2022, 4.9), point(2024, 4.8)];
        assert_eq!(
            trend(&i).unwrap(),
            "Bijstandsuitkering: van 5,1% in 2015 naar 4,8% in 2024, gedaald (cijfers voor 2015, 2022 en 2024; andere \
             bron of definitie vanaf 2022)."
        );
    }
}
