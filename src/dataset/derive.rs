//! Derived indicators: the catalogue's `derive` computes a share or rate from a count and
//! its population of the same region and year (jeugdzorg per 1.000 jongeren), credited
//! to both tables; without the population the figure is suppressed, never 0.

use std::sync::Arc;

use super::Dataset;
use crate::model::{Observation, Source, TOTAAL};

/// The derived figures of every region and year with a count (see the module header).
pub(super) fn figures(ds: &Dataset) -> Vec<Observation> {
    let mut new = Vec::new();
    for ind in &ds.catalogue.indicators {
        let Some(d) = &ind.derive else { continue };
        let Some(num) = ds.lookup(&d.numerator, TOTAAL) else { continue };
        for (region, years) in num {
            for (&year, &i) in years {
                let n = &ds.observations[i];
                let den = ds.get(&d.denominator, TOTAAL, region, year);
                let value = match (n.value, den.and_then(|o| o.value)) {
                    (Some(a), Some(b)) if b > 0.0 => Some(a / b * d.scale),
                    _ => None,
                };
                if value.is_none() && !n.suppressed {
                    continue;
                }
                // Credited to the count's tables and the population's others.
                let extra: Vec<&Arc<Source>> = den
                    .iter()
                    .flat_map(|o| o.sources.iter())
                    .filter(|d| !n.sources.iter().any(|x| x.id == d.id))
                    .collect();
                let sources: Arc<[Arc<Source>]> =
                    if extra.is_empty() { n.sources.clone() } else { n.sources.iter().chain(extra).cloned().collect() };
                new.push(
                    Observation::new(region.clone(), year, ind.id.as_str(), value, sources, n.released.clone())
                        .counted(n.value, den.and_then(|o| o.value)),
                );
            }
        }
    }
    new
}
