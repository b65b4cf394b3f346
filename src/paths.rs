//! Where things live and how they are written: the per-user data directory, the files
//! shipped inside the binary (catalogue, source mappings, templates, fonts, demo data),
//! and the one way every output file is written (temp file + rename).

use std::path::{Path, PathBuf};

use crate::error::Error;

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

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename,
/// so readers never see a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> crate::Result<()> {
    use std::io::Write;
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes).map_err(|e| Error::io(f.tmp.path(), e))?;
    f.commit()
}

/// A file that appears at its path only when complete: written to a temporary file in
/// the same folder and renamed into place by [`AtomicFile::commit`]. Dropped without a
/// commit (an error, a panic), it leaves nothing behind and an older file at the path
/// untouched.
pub struct AtomicFile {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl AtomicFile {
    /// Opens the temporary file beside `path`.
    pub fn create(path: &Path) -> crate::Result<Self> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".wijkmonitor-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, e))?;
        Ok(AtomicFile { path: path.to_path_buf(), tmp })
    }

    /// Flushes to disk and renames into place.
    pub fn commit(self) -> crate::Result<()> {
        let AtomicFile { path, tmp } = self;
        tmp.as_file().sync_all().map_err(|e| Error::io(tmp.path(), e))?;
        // Temporary files are created private (0600); a factsheet is an ordinary document.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if path.exists() {
                std::fs::metadata(&path).map(|m| m.permissions().mode()).unwrap_or(0o644)
            } else {
                0o644
            };
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
                .map_err(|e| Error::io(tmp.path(), e))?;
        }
        tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        Ok(())
    }
}

impl std::io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
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
