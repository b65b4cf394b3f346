//! Export: the figures of a factsheet as a table (`wijkmonitor table`, and the batch's
//! `cijfers.*`): exactly the rows the PDF shows, from the same [`Profile`], as one row
//! type ([`TableRow`]) and one pure function per format returning bytes (the way
//! hyperfine's `export/` is laid out). CSV and JSON numbers are plain (decimal point, no
//! thousands separator) for scripts; the workbook holds real numbers with a display
//! format, so a Dutch Excel shows 14,0 where a CSV would open as text or as 140.

pub mod csv;
pub mod json;
pub mod xlsx;

pub use self::csv::{csv, csv_rows};
pub use self::json::json;
pub use self::xlsx::{xlsx, TableWorkbook, WorkbookInfo};

use serde::Serialize;

use crate::compare::{Cell, IndicatorResult, Profile, Status};

/// One row of the export.
#[derive(Debug, Serialize)]
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
    pub value: Option<f64>,
    /// Count behind it.
    pub count: Option<f64>,
    /// Denominator.
    pub denominator: Option<f64>,
    /// value / small_number / suppressed / missing.
    pub status: Status,
    /// Gemeente value (wijk/buurt).
    pub gemeente: Option<f64>,
    /// Nederland value.
    pub nederland: Option<f64>,
    /// Peer median.
    pub peer_median: Option<f64>,
    /// Peer minimum.
    pub peer_min: Option<f64>,
    /// Peer maximum.
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
    TableRow {
        region: p.region.code.clone(),
        region_name: p.region.name.clone(),
        indicator: i.id.clone(),
        label: i.label.clone(),
        theme: i.theme.clone(),
        group,
        unit: i.unit,
        year: area.year,
        value: area.value,
        count: area.count,
        denominator: area.denominator,
        status: area.status,
        gemeente: if total { i.gemeente.as_ref().and_then(|g| g.value) } else { None },
        nederland: nl.value,
        peer_median: i.peers.as_ref().filter(|_| total).map(|s| s.median),
        peer_min: i.peers.as_ref().filter(|_| total).map(|s| s.min),
        peer_max: i.peers.as_ref().filter(|_| total).map(|s| s.max),
        rank: i.rank.as_ref().filter(|_| total).map(|r| r.position),
        rank_of: i.rank.as_ref().filter(|_| total).map(|r| r.of),
        rating,
        rating_gemeente: if total { i.vs_gemeente.map(|r| r.word().to_string()) } else { None },
        source: area.source_ids(),
        sources: area.sources.clone(),
        nederland_computed: nl.computed_note(),
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
    out
}
