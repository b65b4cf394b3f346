//! The words of the domain as types, shared by every stage and holding no figures of
//! their own: a figure in long form ([`Observation`]) with its [`Source`]s, the
//! [`Unit`] of an indicator, a herkomst [`Group`], a region's [`Level`], code and
//! registry ([`region`]), renumbered regions ([`Renumbered`]), the indicator
//! [`Catalogue`], outlines ([`Geometry`]) and their simplification ([`simplify`]), and
//! shared ids ([`Atom`]). No file is read or written here and nothing is indexed: the
//! figures are kept by [`store`](crate::store) and indexed by
//! [`dataset`](crate::dataset).

pub mod atom;
pub mod catalogue;
pub mod geometry;
pub mod herkomst;
pub mod observation;
pub mod region;
pub mod renumbered;
pub mod simplify;
pub mod unit;

pub use atom::{Atom, Interner};
pub use catalogue::{Catalogue, Indicator, Polarity};
pub use geometry::{Geometry, Outlines};
pub use herkomst::Group;
pub use observation::{
    is_beside, is_kwb_table, is_marker, is_statline_id, kwb_edition, NationalMethod, Observation, Source,
    INDELINGSWIJZIGING, PUBLISHED_BOUNDS, TOTAAL,
};
pub use region::{Level, Region, Registry, NL};
pub use renumbered::Renumbered;
pub use unit::{Unit, UnitKind};

/// The paths the charts still use for the outlines and their simplification, which
/// lived in the store before it was split by job. Issue 29 changes `charts/` at the same
/// time; once it has landed, `charts/map.rs` imports [`geometry::Geometry`] and
/// [`simplify::simplify`] and this goes.
pub mod store {
    pub use super::geometry::Geometry;
    pub use super::simplify::simplify;
}
