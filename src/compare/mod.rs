//! Compare: everything a factsheet says about numbers, computed once as a [`Profile`].
//! For every indicator of an area: its latest figure with count and denominator, the
//! gemeente's and Nederland's figure for the same year, the peers' median and range, its
//! rank among all areas of its level, a rating against Nederland and the gemeente, the
//! series over the years, and the same per herkomst group. The PDF, the `table` export
//! and the text all read this one result, so they cannot disagree.
//!
//! Pure code: no IO. A [`Context`] holds what every report shares (peer indexes and the
//! distribution of each indicator per level), so a batch builds it once.

pub mod achterstand;
pub mod composition;
mod context;
pub mod peers;
pub mod rating;
mod result;
#[cfg(test)]
pub(crate) mod testdata;
pub mod themes;
pub mod verdict;
pub mod wijken;

pub use context::Context;
pub use peers::{Peer, PeerIndex, PeerSet};
pub use rating::{Figure, NotRated, Rating, Step};
pub use result::{
    Cell, Composition, GroupResult, IndicatorResult, Part, PeerStats, Profile, Rank, SourceRef, Status, ThemeSummary,
    TrendPoint, MIN_TREND_POINTS, STALE_AFTER,
};
pub use themes::{profile_rows, ProfileKind, ProfileRow};
pub use verdict::{Benchmark, Verdict};

/// What a report asks for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Use figures up to this year (default: the latest).
    pub year: Option<i32>,
    /// Number of peers.
    pub peers: usize,
    /// The achterstandsindex computed with a recipe of the user's (`--index-config`),
    /// shared by every report of a run; `None`: the index the store kept.
    pub achterstand: Option<std::sync::Arc<achterstand::Indexes>>,
}

impl Default for Options {
    fn default() -> Self {
        Options { year: None, peers: peers::DEFAULT_PEERS, achterstand: None }
    }
}
