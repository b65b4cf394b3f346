//! Batch: the last stage. [`run()`] produces many factsheets in parallel with rayon, each
//! through the same [`crate::report::Reporter`] as a single factsheet, and folds the
//! per-region outcomes into one summary; one failing region never stops the rest, and
//! the figures of all regions land in one table beside the PDFs ([`tables`]). Writing
//! files happens here and in the CLI only, always to a temporary file that is renamed
//! into place, so an interrupted run leaves no half-written PDF.

pub mod parted;
pub mod run;
pub mod shard;
pub mod tables;

pub use parted::{in_parts, releasing, Make};
pub use run::{run, Item, Outcome, Selection, Summary};
pub use shard::{merge, Merged, PartInfo, Shard};
