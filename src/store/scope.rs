//! Which part of the store a command reads. One factsheet needs Nederland, every
//! gemeente (national sums, peers and ranks among gemeenten), every region of its own
//! level only in thin form (peers and ranks among wijken or buurten, see
//! [`LevelFigures`](super::thin::LevelFigures)) and what lies in its own gemeente in full (the
//! wijken page, the buurten map, the rank within the gemeente) — not the figures of
//! every buurt of the country. The store keeps its figures in one file per level so
//! that a scope reads only the files it needs, and filters the rest row by row before a
//! figure is built.

use std::collections::BTreeSet;

use crate::model::region::{code_level, gemeente_digits, gemeente_of, Level};

/// A part of the store: whole levels plus everything inside some gemeenten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Everything, what an import merges into.
    all: bool,
    /// Levels whose figures are read for every region.
    levels: BTreeSet<Level>,
    /// Levels whose outlines are read for every region (a wijk's map draws its buurten).
    outline_levels: BTreeSet<Level>,
    /// The four digits of gemeente codes (`0344` of `GM0344`) whose outlines are all read, and whose figures of
    /// the levels `inside` too.
    gemeenten: BTreeSet<String>,
    /// The levels read inside `gemeenten` (a gemeente's wijken for its wijken page).
    inside: BTreeSet<Level>,
    /// Levels read for every region in thin form only; a store without the thin
    /// figures reads these levels whole instead.
    thin: BTreeSet<Level>,
}

impl Scope {
    /// The whole store.
    pub fn all() -> Scope {
        Scope { all: true, ..Scope::base() }
    }

    /// Nederland and the gemeenten: what every scope holds.
    pub fn base() -> Scope {
        let levels: BTreeSet<Level> = [Level::Land, Level::Gemeente].into();
        Scope {
            all: false,
            outline_levels: levels.clone(),
            levels,
            gemeenten: BTreeSet::new(),
            inside: BTreeSet::new(),
            thin: BTreeSet::new(),
        }
    }

    /// Nederland in full, every gemeente thin (and every gemeente's outline, for the
    /// locator map): what every factsheet needs beside its own gemeente.
    pub fn nederland() -> Scope {
        let mut s = Scope::base();
        s.levels.remove(&Level::Gemeente);
        s.thin.insert(Level::Gemeente);
        s
    }

    /// What the factsheet of one region needs: Nederland, every region of its level in
    /// thin form (ranks, peers), the outlines of its own gemeente (a wijk's or buurt's
    /// map shows its gemeente's wijken or its wijk's buurten, never another
    /// gemeente's), and the full figures of its gemeente, of its gemeente's regions of
    /// its level (the rank within the gemeente), of its gemeente's wijken (a
    /// gemeente's wijken page, a buurt's wijk) and, for a wijk, of its gemeente's
    /// buurten (the wijk's page of its buurten).
    pub fn region(code: &str) -> Scope {
        let mut s = Scope::nederland();
        // Not a code (a batch's line that named no known region): nothing more to read.
        let Some(level) = code_level(code) else { return s };
        s.gemeenten.extend(gemeente_of(code).map(|g| g[2..].to_string()));
        if level != Level::Land {
            s.inside.insert(Level::Gemeente);
        }
        // Every gemeente's outline is for a gemeente's locator map only: a wijk's or
        // buurt's maps stay inside its own gemeente.
        if matches!(level, Level::Wijk | Level::Buurt) {
            s.outline_levels.remove(&Level::Gemeente);
        }
        match level {
            Level::Land | Level::Gemeente => {}
            Level::Wijk | Level::Buurt => {
                s.thin.insert(level);
                s.inside.insert(level);
            }
        }
        if matches!(level, Level::Gemeente | Level::Buurt) {
            s.inside.insert(Level::Wijk);
        }
        // A wijk's page of its buurten: their figures in full.
        if level == Level::Wijk {
            s.inside.insert(Level::Buurt);
        }
        s
    }

    /// What a batch of every wijk or buurt of one gemeente needs: what each of their
    /// factsheets needs, which is the same for all but the region itself.
    pub fn children(gemeente: &str, level: Level) -> Scope {
        let mut s = Scope::region(gemeente);
        if matches!(level, Level::Wijk | Level::Buurt) {
            s.thin.insert(level);
            s.inside.insert(level);
        }
        if level == Level::Wijk {
            s.inside.insert(Level::Buurt);
        }
        s
    }

    /// What every part of a country-wide batch shares: Nederland, and the gemeenten and
    /// the whole `level` thin (see [`Scope::part`]).
    pub fn thin_level(level: Level) -> Scope {
        let mut s = Scope::nederland();
        s.thin.insert(level);
        s
    }

    /// The full figures and outlines inside some gemeenten (their four digits) that
    /// [`Scope::children`] (for gemeenten: [`Scope::region`]) reads there for `level`,
    /// and nothing else: one part of a country-wide batch, read beside
    /// [`Scope::thin_level`], which is read once.
    pub fn part(gemeenten: impl IntoIterator<Item = String>, level: Level) -> Scope {
        let mut inside: BTreeSet<Level> = [Level::Gemeente, Level::Wijk].into();
        inside.insert(level);
        // A wijk's page of its buurten.
        if level == Level::Wijk {
            inside.insert(Level::Buurt);
        }
        Scope {
            all: false,
            levels: BTreeSet::new(),
            outline_levels: BTreeSet::new(),
            gemeenten: gemeenten.into_iter().collect(),
            inside,
            thin: BTreeSet::new(),
        }
    }

    /// Levels wanted in thin form (see [`LevelFigures`](super::thin::LevelFigures)) that the
    /// scope does not read whole anyway.
    pub fn thin(&self) -> Vec<Level> {
        self.thin.iter().copied().filter(|l| !self.covers(*l)).collect()
    }

    /// The same scope with every figure of `level` (a store without thin figures).
    pub fn whole(mut self, level: Level) -> Scope {
        self.levels.insert(level);
        self
    }

    /// What a batch of every region of `level` needs: that level, the one above it
    /// for a gemeente's wijken page, and the outlines below it for a wijk's buurten map.
    pub fn level(level: Level) -> Scope {
        let mut s = Scope::base();
        s.levels.insert(level);
        s.outline_levels.insert(level);
        match level {
            Level::Gemeente => {
                s.levels.insert(Level::Wijk);
                s.outline_levels.insert(Level::Wijk);
            }
            Level::Wijk => {
                s.outline_levels.insert(Level::Buurt);
            }
            Level::Buurt => {
                s.levels.insert(Level::Wijk);
                s.outline_levels.insert(Level::Wijk);
            }
            Level::Land => {}
        }
        s
    }

    /// The union of two scopes (a batch of several regions).
    pub fn with(mut self, other: &Scope) -> Scope {
        self.all |= other.all;
        self.levels.extend(other.levels.iter().copied());
        self.outline_levels.extend(other.outline_levels.iter().copied());
        self.gemeenten.extend(other.gemeenten.iter().cloned());
        self.inside.extend(other.inside.iter().copied());
        self.thin.extend(other.thin.iter().copied());
        self
    }

    /// True for the whole store.
    pub fn is_all(&self) -> bool {
        self.all
    }

    fn in_gemeenten(&self, code: &str) -> bool {
        // Asked for every row read: the gemeente's four digits compared in place
        // (`gemeente_of` would build a string each time).
        !self.gemeenten.is_empty()
            && match code_level(code) {
                Some(Level::Gemeente | Level::Wijk | Level::Buurt) => {
                    gemeente_digits(code).is_some_and(|digits| self.gemeenten.contains(digits))
                }
                _ => false,
            }
    }

    /// Whether the figures of region `code` are read. A code of no known level is
    /// always read (it is never a wijk's or buurt's).
    pub fn wants(&self, code: &str) -> bool {
        self.all
            || match code_level(code) {
                None => true,
                Some(l) => self.levels.contains(&l) || (self.inside.contains(&l) && self.in_gemeenten(code)),
            }
    }

    /// The gemeenten (their four digits, `0344`) whose wijken or buurten are read
    /// without their whole level; `None` when the scope takes every region of `level`
    /// or nothing of it. A store that keeps its wijk and buurt files sorted by region
    /// reads just these gemeenten's rows.
    pub fn gemeenten_inside(&self, level: Level) -> Option<&BTreeSet<String>> {
        (!self.covers(level) && self.inside.contains(&level) && !self.gemeenten.is_empty()).then_some(&self.gemeenten)
    }

    /// The gemeenten whose outlines of `level` are read without the level's others;
    /// `None` when the scope takes every outline of `level` or none.
    pub fn outline_gemeenten(&self, level: Level) -> Option<&BTreeSet<String>> {
        (!self.all && !self.outline_levels.contains(&level) && !self.gemeenten.is_empty()).then_some(&self.gemeenten)
    }

    /// The gemeenten (four digits) whose areas' achterstandsindex is read: the
    /// factsheet's own gemeente with its wijken and buurten; `None` for every area, when
    /// the scope reads a whole level (a batch of every gemeente, a level read whole).
    pub fn index_gemeenten(&self) -> Option<&BTreeSet<String>> {
        let whole = self.all || self.levels.iter().any(|l| *l != Level::Land);
        (!whole).then_some(&self.gemeenten)
    }

    /// Whether the outline of region `code` is read.
    pub fn wants_outline(&self, code: &str) -> bool {
        self.all || code_level(code).is_none_or(|l| self.outline_levels.contains(&l)) || self.in_gemeenten(code)
    }

    /// Whether any figure of `level` can be in the scope (so its file must be opened;
    /// Nederland's figures are in the gemeenten's file).
    pub fn touches(&self, level: Level) -> bool {
        self.all
            || self.levels.contains(&level)
            || (level == Level::Gemeente && self.levels.contains(&Level::Land))
            || (!self.gemeenten.is_empty() && self.inside.contains(&level))
    }

    /// Whether any outline of `level` can be in the scope.
    pub fn touches_outlines(&self, level: Level) -> bool {
        self.all || self.outline_levels.contains(&level) || !self.gemeenten.is_empty()
    }

    /// Whether every figure of `level` is in the scope (no filtering by row needed).
    pub fn covers(&self, level: Level) -> bool {
        self.all || self.levels.contains(&level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wijk_reads_every_wijk_thin_and_its_own_gemeentes_buurten_only() {
        let s = Scope::region("WK034401");
        assert!(s.wants("NL01") && s.wants("GM0344") && s.wants("WK034402"));
        assert!(!s.wants("GM0001") && !s.wants("WK099901"), "other gemeenten and their wijken in thin form");
        assert_eq!(s.thin(), [Level::Gemeente, Level::Wijk]);
        assert!(s.touches(Level::Gemeente), "Nederland is in the gemeenten's file");
        assert!(s.clone().whole(Level::Wijk).wants("WK099901"), "or whole, from a store without them");
        // The achterstandsindex of its own gemeente's areas only; all of it when a
        // level is read whole (a batch of every gemeente, a store without thin figures).
        assert_eq!(s.index_gemeenten().map(|g| g.iter().cloned().collect::<Vec<_>>()), Some(vec!["0344".to_string()]));
        assert!(s.clone().whole(Level::Wijk).index_gemeenten().is_none());
        assert!(Scope::level(Level::Gemeente).index_gemeenten().is_none());
        assert_eq!(
            Scope::thin_level(Level::Buurt).index_gemeenten().map(|g| g.len()),
            Some(0),
            "the parts read theirs"
        );
        assert_eq!(s.clone().whole(Level::Wijk).thin(), [Level::Gemeente]);
        // Its gemeente's buurten in full (the page of its buurten), no other's.
        assert!(s.wants("BU03440101") && s.touches(Level::Buurt) && !s.covers(Level::Buurt), "its buurten");
        assert!(!s.wants("BU09990101"), "no other gemeente's buurten");
        assert!(s.wants_outline("BU03440101"), "its own buurten's outlines");
        assert!(s.wants_outline("GM0344") && !s.wants_outline("GM0001"), "no other gemeente's outline");
        assert!(Scope::region("GM0344").wants_outline("GM0001"), "a gemeente's locator map shows them all");
        assert!(!s.wants_outline("BU09990101"), "not another gemeente's");
        assert!(s.wants_outline("WK034402") && !s.wants_outline("WK099901"), "its gemeente's wijken only");
        let gm = Scope::region("GM0344");
        assert!(gm.wants("WK034401") && !gm.wants("WK099901"), "its own wijken for the wijken page");
        assert!(gm.touches(Level::Wijk) && !gm.covers(Level::Wijk) && !gm.touches(Level::Buurt));
    }

    #[test]
    fn a_part_and_the_shared_base_read_what_the_childrens_scope_reads() {
        for level in [Level::Gemeente, Level::Wijk, Level::Buurt] {
            let children = Scope::children("GM0344", level);
            let (base, part) = (Scope::thin_level(level), Scope::part(["0344".to_string()], level));
            let mut thin = vec![Level::Gemeente, level];
            thin.dedup();
            assert_eq!(base.thin(), thin, "the gemeenten and the level thin");
            for code in ["NL01", "GM0344", "GM0363", "WK034401", "WK036301", "BU03440101", "BU03630101"] {
                let read = base.wants(code) || part.wants(code);
                assert_eq!(read, children.wants(code), "{level:?} {code}");
                assert_eq!(
                    children.wants_outline(code),
                    base.wants_outline(code) || part.wants_outline(code),
                    "{level:?} {code}"
                );
            }
            assert!(part.wants("GM0344") && !part.wants("GM0363"), "its own gemeenten in full");
            assert!(!base.wants("GM0344") && !part.wants("NL01"), "Nederland read once, not with each part");
        }
    }

    #[test]
    fn a_gemeente_batch_reads_the_wijken_for_their_page_but_no_buurt_figures() {
        let s = Scope::level(Level::Gemeente);
        assert!(s.wants("WK099901"));
        assert!(!s.wants("BU09990101") && !s.touches(Level::Buurt));
        let wijken = Scope::level(Level::Wijk);
        assert!(!wijken.wants("BU09990101") && wijken.wants_outline("BU09990101"), "outlines for the buurten map");
        assert!(Scope::level(Level::Gemeente).with(&Scope::all()).is_all());
    }
}
