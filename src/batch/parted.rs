//! A country-wide batch in parts: every gemeente, wijk or buurt of the country made one
//! part of whole gemeenten at a time, each part with a dataset of only its own full
//! figures beside what all parts share ([`Parted`]), so what the batch holds is one
//! part's figures, not the country's; and the memory given back between parts.

use super::run::{parts, Batch, Item, RunOptions, Summary};
use crate::document::{Engine, Meta};
use crate::model::region::{gemeente_digits, Level};
use crate::report::Reporter;
use crate::session::Parted;
use crate::store::Scope;

/// What every part's reporter is made of, beside the part's dataset.
pub struct Make<'a> {
    /// Compiled templates.
    pub templates: &'a crate::templates::Templates,
    /// Fonts and the Typst library, shared by every part.
    pub engine: &'a Engine,
    /// Comparison options (peers, year).
    pub options: crate::compare::Options,
    /// Date, fictional data, `--kort`.
    pub meta: Meta,
}

/// Makes the factsheets of `codes`, a country-wide selection of `level`, in parts of
/// whole gemeenten of about `size` regions: each part's full figures read, its
/// factsheets made and its figures dropped before the next (what the batch holds is
/// one part's). A part that cannot be read fails its regions; the others go on.
pub fn in_parts(
    parted: &Parted,
    (level, size): (Level, usize),
    codes: &[String],
    make: &Make<'_>,
    opts: &RunOptions,
    progress: &(dyn Fn(&Item) + Sync),
) -> crate::Result<Summary> {
    let batch = Batch::start(parted.registry(), &make.meta, codes, opts)?;
    let registry = parted.registry();
    // Parts are weighed by all regions of their gemeenten (what a part reads), so that a
    // shard does not make one part read the country.
    let weight = |digits: &str| match level {
        Level::Wijk | Level::Buurt => registry.children(&format!("GM{digits}"), level).len().max(1),
        _ => 1,
    };
    for range in parts(codes, size, weight) {
        let gemeenten = codes[range.clone()].iter().filter_map(|c| gemeente_digits(c)).map(String::from);
        match parted.dataset(Some(&Scope::part(gemeenten, level))) {
            Ok(ds) => {
                let reporter = Reporter::new(&ds, make.templates, make.engine, make.options.clone(), make.meta.clone());
                batch.part(&reporter, range, progress);
                drop(reporter);
                drop(ds);
                release_free_memory();
            }
            Err(e) => range.for_each(|k| batch.fail(k, &e, progress)),
        }
    }
    batch.finish()
}

/// Factsheets between two [`release_free_memory`] calls inside a part (one call costs
/// about as much as a few milliseconds of a factsheet).
const RELEASE_EVERY: usize = 50;

/// `progress`, which also gives free memory back every `RELEASE_EVERY` (50) factsheets:
/// the allocator's arenas grow with the factsheets made, not only with the parts read.
/// Every batch's progress goes through it, `bench`'s too, so both hold the same memory.
pub fn releasing<'p>(progress: &'p (dyn Fn(&Item) + Sync)) -> impl Fn(&Item) + Sync + 'p {
    let finished = std::sync::atomic::AtomicUsize::new(0);
    move |item| {
        if (finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1).is_multiple_of(RELEASE_EVERY) {
            release_free_memory();
        }
        progress(item);
    }
}

/// Gives the memory the allocator holds free back to the system. After a part, glibc's
/// arenas keep what its figures and factsheets used: measured on a quarter of all
/// buurten, 62–105 MB in use but 150–175 MB free inside the arenas, so the resident
/// size crept up part by part. Elsewhere (another allocator) nothing is needed.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: glibc's malloc_trim takes no pointers and may be called at any time.
        unsafe {
            malloc_trim(0);
        }
    }
}
