//! Renumbered wijken and buurten: CBS gives a wijk or buurt a new code while its
//! boundaries stay the same ("Indelingswijziging 2"), so its figures before the new
//! code stand under the old one. [`Renumbered`] holds the links (new code → old code and
//! the first year of the new code) and is the one place where a region's figure of a
//! year is looked up across them: the dataset's full figures and a level's thin figures
//! both ask it, so they cannot follow the link differently.

use std::collections::{BTreeMap, HashMap};

/// New code → (old code, first year of the new code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renumbered(HashMap<String, (String, i32)>);

impl FromIterator<(String, (String, i32))> for Renumbered {
    fn from_iter<I: IntoIterator<Item = (String, (String, i32))>>(links: I) -> Renumbered {
        Renumbered(links.into_iter().collect())
    }
}

impl Renumbered {
    /// The earlier code a renumbered region's figures before a year are under, with that
    /// year (the first year of its own code).
    pub fn from(&self, code: &str) -> Option<(&str, i32)> {
        self.0.get(code).map(|(c, y)| (c.as_str(), *y))
    }

    /// True when `code` is a renumbered region.
    pub fn contains(&self, code: &str) -> bool {
        self.0.contains_key(code)
    }

    /// The links whose new code satisfies `keep` (one level's).
    pub fn filtered(&self, keep: impl Fn(&str) -> bool) -> Renumbered {
        Renumbered(self.0.iter().filter(|(c, _)| keep(c)).map(|(c, v)| (c.clone(), v.clone())).collect())
    }

    /// The links sorted by new code, as a file keeps them.
    pub fn sorted(&self) -> BTreeMap<String, (String, i32)> {
        self.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// The figure of `code` in `year`: its own (`find(code)`), else, for a year before
    /// its new code, the old code's.
    pub fn figure<T>(&self, code: &str, year: i32, mut find: impl FnMut(&str) -> Option<T>) -> Option<T> {
        if let Some(own) = find(code) {
            return Some(own);
        }
        match self.0.get(code) {
            Some((old, since)) if year < *since => find(old),
            _ => None,
        }
    }

    /// The latest figure of `code` at or before `max_year`, with its year: the later of
    /// its own (`latest(code, max_year)`) and, before its new code, the old code's.
    pub fn latest<T>(
        &self,
        code: &str,
        max_year: Option<i32>,
        mut latest: impl FnMut(&str, Option<i32>) -> Option<(i32, T)>,
    ) -> Option<(i32, T)> {
        let own = latest(code, max_year);
        let Some((old, since)) = self.0.get(code) else { return own };
        let before = since - 1;
        let earlier = latest(old, Some(max_year.map_or(before, |m| m.min(before))));
        match (own, earlier) {
            (Some(o), Some(e)) if e.0 > o.0 => Some(e),
            (Some(o), _) => Some(o),
            (None, e) => e,
        }
    }

    /// Every year of `code`'s figures: its own (`years(code)`), and the old code's before
    /// the new code began; a year of its own wins.
    pub fn years<T>(&self, code: &str, mut years: impl FnMut(&str) -> Vec<(i32, T)>) -> BTreeMap<i32, T> {
        let mut out: BTreeMap<i32, T> = years(code).into_iter().collect();
        if let Some((old, since)) = self.0.get(code) {
            for (y, t) in years(old) {
                if y < *since {
                    out.entry(y).or_insert(t);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renumbered_region_reads_its_old_codes_figures_before_its_new_code() {
        let links: Renumbered = [("WK0007AA".to_string(), ("WK000701".to_string(), 2024))].into_iter().collect();
        let figures: HashMap<(&str, i32), f64> =
            [(("WK000701", 2022), 1.0), (("WK000701", 2024), 9.0), (("WK0007AA", 2024), 2.0)].into();
        let figures = &figures;
        let find = |y: i32| move |c: &str| figures.get(&(c, y)).copied();
        assert_eq!(links.figure("WK0007AA", 2022, find(2022)), Some(1.0), "the old code's, before 2024");
        assert_eq!(links.figure("WK0007AA", 2024, find(2024)), Some(2.0), "its own");
        assert_eq!(links.figure("WK0007AA", 2025, find(2025)), None);
        assert_eq!(links.figure("WK000701", 2024, find(2024)), Some(9.0), "the old code is not linked back");
        let latest = |c: &str, max: Option<i32>| {
            figures
                .iter()
                .filter(|((fc, y), _)| *fc == c && max.is_none_or(|m| *y <= m))
                .map(|((_, y), v)| (*y, *v))
                .max_by_key(|(y, _)| *y)
        };
        assert_eq!(links.latest("WK0007AA", None, latest), Some((2024, 2.0)));
        assert_eq!(links.latest("WK0007AA", Some(2023), latest), Some((2022, 1.0)), "not the old code's 2024");
        let years = |c: &str| figures.iter().filter(|((fc, _), _)| *fc == c).map(|((_, y), v)| (*y, *v)).collect();
        let all = links.years("WK0007AA", years);
        assert_eq!(all.into_iter().collect::<Vec<_>>(), [(2022, 1.0), (2024, 2.0)]);
        assert_eq!(links.from("WK0007AA"), Some(("WK000701", 2024)));
        assert!(links.filtered(|c| c.starts_with("BU")).sorted().is_empty());
    }
}
