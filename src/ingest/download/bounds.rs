//! The bounds of a download: how large one answer and one table may be, counted
//! before a parse builds them, and the same check on an answer read back from the
//! cache. Apart from the HTTP client so the numbers and their reasons sit in one place.

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::Value;

/// How large one answer may be: bytes, and JSON values (a value in memory is 10 to 30
/// times its text, so a cap on bytes alone let 50 MB of JSON take 1,6 GB).
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Bytes of the answer's body (unpacked).
    pub bytes: u64,
    /// JSON values.
    pub values: usize,
}

/// An OData page: CBS sends 10.000 rows of at most a few dozen columns, some MB.
pub(super) const ODATA_PAGE: Limits = Limits { bytes: 48 << 20, values: 4_000_000 };
/// A PDOK WFS page: 1.000 outlines at full resolution, tens of MB.
pub(super) const WFS_PAGE: Limits = Limits { bytes: 256 << 20, values: 24_000_000 };
/// The most values of one table, all pages together (the whole KWB with its years is
/// a few million).
pub(super) const MAX_TABLE_VALUES: usize = 30_000_000;
/// The most pages of one table (10.000 rows each).
pub(super) const MAX_PAGES: usize = 5_000;
/// How often a word is said while an answer is awaited.
pub(super) const WAIT_WORD: Duration = Duration::from_secs(5);

/// Counts the JSON values in `bytes` (numbers, strings, literals, arrays, objects),
/// without building them, stopping past `limit`: the cheap check that comes before a
/// parse that would build them all.
pub(super) fn count_values(bytes: &[u8], limit: usize) -> usize {
    let (mut n, mut in_string, mut escaped) = (0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                n += 1;
            }
            b'[' | b'{' | b',' => n += 1,
            _ => {}
        }
        if n > limit {
            break;
        }
    }
    n
}

/// Values of parsed rows (for the table's total).
pub(super) fn json_values<'a>(values: impl Iterator<Item = &'a Value>) -> usize {
    values.map(|v| 1 + v.as_object().map_or(0, |o| o.len())).sum()
}

/// A cached answer, when fresh and within the bounds of a new one (a cache written by
/// an older version may hold anything).
pub(super) fn read_cached(path: &Path, max_age: Duration, limits: Limits) -> Option<Value> {
    let meta = std::fs::metadata(path).ok()?;
    let age = SystemTime::now().duration_since(meta.modified().ok()?).unwrap_or_default();
    if age > max_age || !meta.is_file() || meta.len() > limits.bytes {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if count_values(&bytes, limits.values) > limits.values {
        return None;
    }
    serde_json::from_slice(&bytes).ok()
}
