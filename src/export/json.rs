//! JSON export: the region, its reference year and peers, and the rows, for programs.

use super::rows;
use crate::compare::Profile;

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
