//! A small fictional data set for the unit tests of compare and the stages after it:
//! Nederland and eight gemeenten with the structural features peers are chosen on and a
//! few outcomes with counts. Built in memory, no files.

use crate::dataset::Dataset;
use crate::model::region::{Level, Region, NL};
use crate::model::{Catalogue, Observation};
use crate::store::StoreData;

/// (code, inwoners, % 0–14, % 65+, adressen per km², % buiten Europa, % bijstand)
pub(crate) const GEMEENTEN: [(&str, f64, f64, f64, f64, f64, f64); 8] = [
    ("GM0001", 50_000.0, 16.0, 18.0, 1_800.0, 20.0, 8.0),
    ("GM0002", 52_000.0, 16.5, 18.5, 1_900.0, 21.0, 2.0),
    ("GM0003", 48_000.0, 15.5, 17.5, 1_700.0, 19.0, 2.5),
    ("GM0004", 51_000.0, 16.2, 18.2, 1_850.0, 22.0, 3.0),
    ("GM0005", 5_000.0, 12.0, 30.0, 200.0, 3.0, 1.0),
    ("GM0006", 6_000.0, 12.5, 29.0, 250.0, 4.0, 1.2),
    ("GM0007", 300_000.0, 14.0, 12.0, 4_000.0, 40.0, 6.0),
    ("GM0008", 280_000.0, 14.5, 12.5, 3_800.0, 38.0, 5.5),
];

fn obs(region: &str, indicator: &str, value: f64, count: Option<(f64, f64)>) -> Observation {
    crate::testkit::figure(region, indicator, 2024, Some(value)).counted(count.map(|c| c.0), count.map(|c| c.1))
}

/// The data set; `bijstand` of a gemeente can be overridden to show that outcomes never
/// move the peers.
pub(crate) fn dataset(bijstand: &[(&str, f64)]) -> Dataset {
    let mut data = StoreData::default();
    let region = |code: &str, name: &str, level| Region {
        code: code.into(),
        name: name.into(),
        level,
        gemeente_name: name.into(),
        year: 2024,
    };
    data.regions.push(region(NL, "Nederland", Level::Land));
    let mut add = |code: &str, f: (f64, f64, f64, f64, f64, f64)| {
        let (n, kids, old, dens, be, bij) = f;
        let bij = bijstand.iter().find(|(c, _)| *c == code).map(|(_, v)| *v).unwrap_or(bij);
        data.observations.push(obs(code, "inwoners", n, None));
        data.observations.push(obs(code, "aandeel_0_14", kids, None));
        data.observations.push(obs(code, "aandeel_65plus", old, None));
        data.observations.push(obs(code, "omgevingsadressendichtheid", dens, None));
        data.observations.push(obs(code, "herkomst_buiten_europa", be, None));
        let den = (n * 0.8).round();
        data.observations.push(obs(code, "bijstand", bij, Some(((bij / 100.0 * den).round(), den))));
        // Wmo use: GM0001 a third above the rest.
        let wmo = if code == "GM0001" { 80.0 } else { 60.0 };
        data.observations.push(obs(code, "wmo", wmo, Some(((wmo / 1000.0 * n).round(), n))));
    };
    add(NL, (17_900_000.0, 15.5, 20.5, 2_000.0, 19.0, 2.6));
    for (code, n, kids, old, dens, be, bij) in GEMEENTEN {
        data.regions.push(region(code, &format!("Gemeente {}", &code[5..]), Level::Gemeente));
        add(code, (n, kids, old, dens, be, bij));
    }
    Dataset::new(data, Catalogue::builtin())
}
