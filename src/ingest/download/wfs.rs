//! Map outlines from PDOK: the WFS "CBS Wijken en Buurten"
//! (`service.pdok.nl/cbs/wijkenbuurten/<year>/wfs/v1_0`), layers `gemeenten`, `wijken`
//! and `buurten`, as GeoJSON pages of `count` features from `startIndex`.
//!
//! Why apart from the OData client: the service pages by index instead of a next link,
//! answers GeoJSON instead of OData, and its attributes are the KWB of the year under
//! PDOK's own names. Only the codes, names and outlines are kept (the figures come from
//! the StatLine table of the KWB, under CBS's names), written as one FeatureCollection
//! per layer that the importer reads like a GeoJSON file a user saved by hand. The
//! HTTP side (retries, cache, HTML pages) is the OData client's.

use serde_json::{Map, Value};

use super::{Client, Event};
use crate::error::Error;

/// PDOK's "CBS Wijken en Buurten" services, one per year below this address.
pub const DEFAULT_PDOK_URL: &str = "https://service.pdok.nl/cbs/wijkenbuurten";

/// The layers, coarse to fine.
pub const LAYERS: [&str; 3] = ["gemeenten", "wijken", "buurten"];

/// Features per request (PDOK serves up to 1.000 per page).
pub const PAGE: usize = 1000;

/// The properties kept: codes and names, under the names the source descriptions
/// (`data/sources/pdok-*.toml`) detect.
pub const KEPT: [&str; 6] = ["gemeentecode", "gemeentenaam", "wijkcode", "wijknaam", "buurtcode", "buurtnaam"];

/// The GetFeature URL of one page, in WGS84 (EPSG:4326).
pub fn page_url(base: &str, year: i32, layer: &str, start: usize) -> String {
    format!(
        "{}/{year}/wfs/v1_0?service=WFS&version=2.0.0&request=GetFeature&typeNames=wijkenbuurten:{layer}\
         &outputFormat=application/json&srsName=EPSG:4326&count={PAGE}&startIndex={start}",
        base.trim_end_matches('/')
    )
}

/// One downloaded layer.
#[derive(Debug, Clone)]
pub struct Layer {
    /// `gemeenten`, `wijken` or `buurten`.
    pub layer: String,
    /// Indeling year.
    pub year: i32,
    /// Features kept.
    pub features: usize,
    /// Pages fetched or read from the cache.
    pub pages: usize,
    /// Pages that came from the cache.
    pub cached_pages: usize,
    /// The layer as one GeoJSON FeatureCollection (codes, names, outlines), or empty
    /// when the layer has no features.
    pub geojson: Vec<u8>,
}

impl Layer {
    /// The file name the importer reads the year from (`wijken_2024.geojson`).
    pub fn file_name(&self) -> String {
        format!("{}_{}.geojson", self.layer, self.year)
    }
}

/// The features of one page and whether it was the last.
fn features_of(doc: &Value) -> Option<&Vec<Value>> {
    doc.get("features").and_then(Value::as_array)
}

/// Keeps a feature's codes, names and geometry.
fn slim(f: &Value) -> Value {
    let props: Map<String, Value> = f
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.iter().filter(|(k, _)| KEPT.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    serde_json::json!({"type": "Feature", "properties": props, "geometry": f.get("geometry").cloned().unwrap_or(Value::Null)})
}

impl Client {
    /// Downloads one layer of one year, page by page, all or nothing.
    pub fn wfs_layer(&self, base: &str, year: i32, layer: &str, on: &mut dyn FnMut(Event)) -> crate::Result<Layer> {
        let label = format!("PDOK-laag {layer} {year}");
        let mut kept: Vec<Value> = Vec::new();
        let mut crs: Option<Value> = None;
        let (mut pages, mut cached_pages) = (0, 0);
        let mut start = 0;
        let mut first_of_last_page: Option<Value> = None;
        loop {
            let url = page_url(base, year, layer, start);
            let (doc, cached) = self.get_json(&label, &url, on).map_err(|e| match e {
                Error::Download { message, status: Some(404), .. } => Error::Download {
                    status: Some(404),
                    message,
                    hint: format!(
                        "PDOK heeft deze laag misschien niet voor {year}; kies een ander jaar met --years, of sla de \
                         kaarten over met --zonder-kaarten"
                    ),
                },
                other => other,
            })?;
            pages += 1;
            cached_pages += usize::from(cached);
            let Some(features) = features_of(&doc) else {
                return Err(Error::Download {
                    status: None,
                    message: format!("{label}: het antwoord van {url} is geen GeoJSON FeatureCollection"),
                    hint: "controleer --pdok-url; standaard is https://service.pdok.nl/cbs/wijkenbuurten".into(),
                });
            };
            // A server that ignores startIndex would send the first page forever.
            if let (Some(prev), Some(first)) = (&first_of_last_page, features.first()) {
                if prev == first {
                    return Err(Error::Download {
                        status: None,
                        message: format!("{label}: de server stuurde dezelfde pagina twee keer ({url})"),
                        hint: "dit is een fout van de server; probeer het later opnieuw".into(),
                    });
                }
            }
            first_of_last_page = features.first().cloned();
            if crs.is_none() {
                crs = doc.get("crs").cloned();
            }
            kept.extend(features.iter().map(slim));
            on(Event::Page { table: &label, rows: kept.len(), cached });
            // The server may send fewer than asked (its own maximum): it says how many
            // match; without that, a short page is the last.
            let matched = doc.get("numberMatched").and_then(Value::as_u64).map(|n| n as usize);
            let done = match matched {
                Some(n) => kept.len() >= n,
                None => features.len() < PAGE,
            };
            if done || features.is_empty() {
                break;
            }
            start += features.len();
        }
        let features = kept.len();
        let geojson = if features == 0 {
            Vec::new()
        } else {
            let mut doc = serde_json::json!({"type": "FeatureCollection", "features": kept});
            if let Some(c) = crs {
                doc["crs"] = c;
            }
            serde_json::to_vec(&doc).expect("GeoJSON serialises")
        };
        Ok(Layer { layer: layer.to_string(), year, features, pages, cached_pages, geojson })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_asks_for_geojson_in_wgs84_from_an_index() {
        let u = page_url("https://service.pdok.nl/cbs/wijkenbuurten/", 2024, "buurten", 2000);
        assert!(u.starts_with("https://service.pdok.nl/cbs/wijkenbuurten/2024/wfs/v1_0?"), "{u}");
        assert!(u.contains("typeNames=wijkenbuurten:buurten") && u.contains("outputFormat=application/json"));
        assert!(u.contains("srsName=EPSG:4326") && u.contains("count=1000") && u.contains("startIndex=2000"));
    }

    #[test]
    fn only_codes_names_and_the_outline_are_kept() {
        let f = serde_json::json!({"type": "Feature", "id": "x",
            "properties": {"buurtcode": "BU03630000", "buurtnaam": "Kop Zeedijk", "wijkcode": "WK036300",
                           "aantalInwoners": 1000, "percentagePersonen0Tot15Jaar": 8},
            "geometry": {"type": "Polygon", "coordinates": [[[4.9, 52.37], [4.91, 52.37], [4.9, 52.38], [4.9, 52.37]]]}});
        let s = slim(&f);
        let props = s["properties"].as_object().unwrap();
        assert_eq!(props.len(), 3);
        assert_eq!(s["geometry"]["type"], "Polygon");
    }
}
