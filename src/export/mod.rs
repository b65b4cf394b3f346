//! Export: the figures of a factsheet as a table (`wijkmonitor table`, and the batch's
//! `cijfers.*`): exactly the rows the PDF shows, from the same [`Profile`], as one row
//! type ([`TableRow`]) and one pure function per format returning bytes (the way
//! hyperfine's `export/` is laid out). CSV and JSON numbers are plain (decimal point, no
//! thousands separator) for scripts; the workbook holds real numbers with a display
//! format, so a Dutch Excel shows 14,0 where a CSV would open as text or as 140.

pub mod achterstand;
pub mod csv;
pub mod json;
pub mod xlsx;

pub use self::csv::{csv, csv_rows};
pub use self::json::json;
pub use self::xlsx::{xlsx, TableWorkbook, WorkbookInfo};

use serde::{Deserialize, Serialize};

use crate::compare::{Cell, IndicatorResult, Profile, Status};

/// One row of the export. Figures are rounded to the decimals the PDF prints; a whole
/// number (a count, a denominator, a value in euro) is written as an integer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableRow {
    /// Region code.
    pub region: String,
    /// Region name.
    pub region_name: String,
    /// Indicator id.
    pub indicator: String,
    /// Label.
    pub label: String,
    /// Theme id.
    pub theme: String,
    /// Herkomst group ("totaal" for everyone).
    pub group: crate::model::Group,
    /// Unit.
    pub unit: crate::model::Unit,
    /// Year of the area's figure.
    pub year: Option<i32>,
    /// Area value.
    #[serde(serialize_with = "whole_as_integer")]
    pub value: Option<f64>,
    /// Count behind it.
    #[serde(serialize_with = "whole_as_integer")]
    pub count: Option<f64>,
    /// Denominator.
    #[serde(serialize_with = "whole_as_integer")]
    pub denominator: Option<f64>,
    /// value / small_number / suppressed / missing.
    pub status: Status,
    /// Gemeente value (wijk/buurt).
    #[serde(serialize_with = "whole_as_integer")]
    pub gemeente: Option<f64>,
    /// Nederland value.
    #[serde(serialize_with = "whole_as_integer")]
    pub nederland: Option<f64>,
    /// Peer median.
    #[serde(serialize_with = "whole_as_integer")]
    pub peer_median: Option<f64>,
    /// Peer minimum.
    #[serde(serialize_with = "whole_as_integer")]
    pub peer_min: Option<f64>,
    /// Peer maximum.
    #[serde(serialize_with = "whole_as_integer")]
    pub peer_max: Option<f64>,
    /// Rank (1 = highest) among all areas of the level.
    pub rank: Option<usize>,
    /// Areas ranked.
    pub rank_of: Option<usize>,
    /// Rating word against Nederland (or the gemeente when Nederland has no figure).
    pub rating: String,
    /// Rating word against the gemeente.
    pub rating_gemeente: Option<String>,
    /// Source table(s): "85990NED; 85984NED" for a figure derived from two tables.
    pub source: Option<String>,
    /// The same sources as data (whether each is CBS's), for the workbook's list.
    #[serde(skip)]
    pub sources: Vec<std::sync::Arc<crate::model::Source>>,
    /// How Nederland was computed from the gemeenten where no source gives it
    /// ("gemiddelde van de gemeenten, gewogen naar inwoners"); empty for a CBS figure.
    pub nederland_computed: Option<String>,
    /// For a row of the achterstandsindex (unit `deciel`): the lower number of the
    /// decile's 90% interval; empty for other rows.
    pub decile_low: Option<u8>,
    /// Its higher number.
    pub decile_high: Option<u8>,
    /// Level noun (gemeente, wijk, buurt); the workbook's region columns.
    #[serde(skip)]
    pub level: &'static str,
    /// The region's gemeente (empty for a gemeente itself).
    #[serde(skip)]
    pub gemeente_name: String,
    /// Theme title as the PDF prints it.
    #[serde(skip)]
    pub theme_title: String,
    /// Decimals the PDF prints (the workbook's display format).
    #[serde(skip)]
    pub decimals: usize,
}

fn row(
    p: &Profile,
    i: &IndicatorResult,
    group: crate::model::Group,
    area: &Cell,
    nl: &Cell,
    rating: String,
) -> TableRow {
    let total = group == crate::model::observation::TOTAAL;
    // As printed: the PDF's decimals, so an export and the page agree.
    let shown = |v: Option<f64>| v.map(|x| round_to(x, i.decimals));
    TableRow {
        region: p.region.code.clone(),
        region_name: p.region.name.clone(),
        indicator: i.id.clone(),
        label: i.label.clone(),
        theme: i.theme.clone(),
        group,
        unit: i.unit,
        year: area.year,
        value: shown(area.value),
        count: area.count,
        denominator: area.denominator,
        status: area.status,
        gemeente: if total { shown(i.gemeente.as_ref().and_then(|g| g.value)) } else { None },
        nederland: shown(nl.value),
        peer_median: shown(i.peers.as_ref().filter(|_| total).map(|s| s.median)),
        peer_min: shown(i.peers.as_ref().filter(|_| total).map(|s| s.min)),
        peer_max: shown(i.peers.as_ref().filter(|_| total).map(|s| s.max)),
        rank: i.rank.as_ref().filter(|_| total).map(|r| r.position),
        rank_of: i.rank.as_ref().filter(|_| total).map(|r| r.of),
        rating,
        rating_gemeente: if total { i.vs_gemeente.map(|r| r.word().to_string()) } else { None },
        source: area.source_ids(),
        sources: area.sources.clone(),
        nederland_computed: nl.computed_note(),
        decile_low: None,
        decile_high: None,
        level: p.region.level.noun(),
        gemeente_name: p.gemeente.as_ref().map(|g| g.name.clone()).unwrap_or_default(),
        theme_title: p
            .themes
            .iter()
            .find(|t| t.id == i.theme)
            .map(|t| t.title.clone())
            .unwrap_or_else(|| i.theme.clone()),
        decimals: i.decimals,
    }
}

/// `v` rounded to `decimals` places (half away from zero, as the PDF prints it).
pub fn round_to(v: f64, decimals: usize) -> f64 {
    let f = 10f64.powi(decimals.min(12) as i32);
    let r = (v * f).round() / f;
    // Keep the shortest decimal form (0.1 + 0.2 style noise would survive `* f / f`).
    format!("{r:.*}", decimals.min(12)).parse().unwrap_or(r)
}

/// Writes a whole number as an integer (`59098`, not `59098.0`), others as they are.
fn whole_as_integer<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_some(&(*x as i64)),
        Some(x) => s.serialize_some(x),
        None => s.serialize_none(),
    }
}

/// The rows: every indicator for everyone, then every herkomst group.
pub fn rows(p: &Profile) -> Vec<TableRow> {
    let mut out = Vec::new();
    for i in &p.indicators {
        out.push(row(
            p,
            i,
            crate::model::observation::TOTAAL,
            &i.area,
            &i.nederland,
            i.main_rating().word().to_string(),
        ));
    }
    for i in &p.indicators {
        for g in &i.groups {
            out.push(row(p, i, g.group, &g.area, &g.nederland, g.rating.word().to_string()));
        }
    }
    out.extend(index_rows(p));
    out
}

/// The theme id of the achterstandsindex's rows.
pub const INDEX_THEME: &str = "achterstandsindex";

/// The achterstandsindex as rows (after the figures): the total and each domain, its
/// decile among all areas of the level as the value (unit `deciel`, 1 = the most
/// achterstand), its rank, and the 90% interval in `decile_low`/`decile_high`; a
/// domain not scored is `missing`, never 0. Its source is the recipe.
pub fn index_rows(p: &Profile) -> Vec<TableRow> {
    let Some(index) = &p.achterstand else { return Vec::new() };
    let recipe = format!("achterstandsindex ({})", index.weights_file);
    let source = crate::model::Source::new(&recipe, &recipe, false);
    std::iter::once(&index.total)
        .chain(&index.domains)
        .map(|d| TableRow {
            region: p.region.code.clone(),
            region_name: p.region.name.clone(),
            indicator: format!("{INDEX_THEME}_{}", d.id),
            label: format!(
                "Achterstandsindex: {} (deciel, 1 = meeste achterstand)",
                crate::templates::lower_first(&d.label)
            ),
            theme: INDEX_THEME.into(),
            group: crate::model::observation::TOTAAL,
            unit: crate::model::Unit::Deciel,
            year: Some(p.year),
            value: d.nederland.map(|n| f64::from(n.decile)),
            count: None,
            denominator: None,
            status: if d.nederland.is_some() { Status::Value } else { Status::Missing },
            gemeente: None,
            nederland: None,
            peer_median: None,
            peer_min: None,
            peer_max: None,
            rank: d.nederland.map(|n| n.rank as usize),
            rank_of: d.nederland.map(|n| n.of as usize),
            rating: d.status.words().unwrap_or_default(),
            rating_gemeente: d.gemeente.map(|g| format!("deciel {} in de gemeente", g.decile)),
            source: Some(recipe.clone()),
            sources: vec![source.clone()],
            nederland_computed: None,
            decile_low: d.nederland.and_then(|n| n.low),
            decile_high: d.nederland.and_then(|n| n.high),
            level: p.region.level.noun(),
            gemeente_name: p.gemeente.as_ref().map(|g| g.name.clone()).unwrap_or_default(),
            theme_title: "Achterstandsindex".into(),
            decimals: 0,
        })
        .collect()
}
