//! The figures of a factsheet as a table (`wijkmonitor table`): exactly the rows the
//! PDF shows, from the same [`Profile`], as CSV or JSON bytes. Numbers are plain
//! (decimal point, no thousands separator) so spreadsheets and scripts read them.

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
    pub group: String,
    /// Unit.
    pub unit: String,
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
    /// Source table(s).
    pub source: Option<String>,
}

fn row(p: &Profile, i: &IndicatorResult, group: &str, area: &Cell, nl: &Cell, rating: String) -> TableRow {
    let total = group == crate::model::observation::TOTAAL;
    TableRow {
        region: p.region.code.clone(),
        region_name: p.region.name.clone(),
        indicator: i.id.clone(),
        label: i.label.clone(),
        theme: i.theme.clone(),
        group: group.to_string(),
        unit: i.unit.clone(),
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
        source: area.source.clone(),
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
            out.push(row(p, i, &g.group, &g.area, &g.nederland, g.rating.word().to_string()));
        }
    }
    out
}

/// CSV bytes (comma-separated, header row, UTF-8).
pub fn csv(p: &Profile) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows(p) {
        w.serialize(r).expect("rows serialise");
    }
    w.into_inner().unwrap_or_default()
}

/// JSON bytes: `{ region, year, peers, rows }`.
pub fn json(p: &Profile) -> Vec<u8> {
    let v = serde_json::json!({
        "region": { "code": p.region.code, "name": p.region.name, "level": p.region.level.noun(), "gemeente": p.gemeente.as_ref().map(|g| &g.name) },
        "year": p.year,
        "peers": p.peers.as_ref().map(|s| s.members.iter().map(|m| serde_json::json!({"code": m.code, "name": m.name})).collect::<Vec<_>>()),
        "rows": rows(p),
    });
    let mut b = serde_json::to_vec_pretty(&v).expect("json serialises");
    b.push(b'\n');
    b
}
