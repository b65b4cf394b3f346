//! Where things live: the per-user data directory, and the files shipped inside the
//! binary (catalogue, source mappings, templates, fonts, demo data).

use std::path::PathBuf;

/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "WIJKMONITOR_DATA_DIR";

/// The default data directory: `$WIJKMONITOR_DATA_DIR`, else the platform's per-user
/// data directory (`~/.local/share/wijkmonitor` on Linux).
pub fn default_data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("wijkmonitor")
}

/// Files embedded at build time.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

    /// The indicator catalogue shipped with the tool.
    pub static INDICATORS: &str = include_str!("../data/indicators.toml");

    /// Looks up one embedded file by name in a set.
    pub fn get(set: &[(&'static str, &'static [u8])], name: &str) -> Option<&'static [u8]> {
        set.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
    }
}
