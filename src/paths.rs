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

/// Temporary files of unfinished writes are named `.wijkmonitor-XXXXXX.tmp`.
pub const TMP_PREFIX: &str = ".wijkmonitor-";
/// See [`TMP_PREFIX`].
pub const TMP_SUFFIX: &str = ".tmp";

/// Removes the temporary files that unfinished writes left in `dir` (a batch that was
/// killed, a full disk); returns how many.
pub fn remove_stale_tmp(dir: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else { return 0 };
    rd.flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            n.starts_with(TMP_PREFIX) && n.ends_with(TMP_SUFFIX) && e.file_type().is_ok_and(|t| t.is_file())
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// True when `path` is a complete PDF: it starts with `%PDF-` and its last kilobyte
/// holds the `%%EOF` trailer (an empty or cut-off file does not).
pub fn is_complete_pdf(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else { return false };
    let mut head = [0u8; 5];
    if f.read_exact(&mut head).is_err() || &head != b"%PDF-" {
        return false;
    }
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut tail = Vec::new();
    if f.seek(SeekFrom::Start(len.saturating_sub(1024))).is_err() || f.read_to_end(&mut tail).is_err() {
        return false;
    }
    tail.windows(5).any(|w| w == b"%%EOF")
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
        if !dir.is_dir() {
            return Err(Error::Output {
                path: dir.to_path_buf(),
                message: "deze map bestaat niet, dus het bestand kan daar niet geschreven worden".into(),
                hint: format!("maak de map eerst (mkdir -p {}) of kies een andere -o", dir.display()),
            });
        }
        let tmp = tempfile::Builder::new().prefix(TMP_PREFIX).suffix(TMP_SUFFIX).tempfile_in(dir).map_err(|e| {
            Error::Output {
                path: path.to_path_buf(),
                message: format!("hier kan niet geschreven worden: {e}"),
                hint: "controleer of de map schrijfbaar is en de schijf niet vol".into(),
            }
        })?;
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

    /// The recipe of the achterstandsindex shipped with the tool.
    pub static INDEX: &str = include_str!("../data/index.toml");

    /// Looks up one embedded file by name in a set.
    pub fn get(set: &[(&'static str, &'static [u8])], name: &str) -> Option<&'static [u8]> {
        set.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
    }
}

#[cfg(test)]
mod embedded_tests {
    /// Regression: the build script wrote each file's absolute path, so a target folder
    /// shared with a worktree that was later removed went on embedding (and looking for)
    /// the worktree's files, and the build failed with "couldn't read /tmp/wt/…".
    #[test]
    fn embedded_files_are_named_from_the_package_root_not_by_a_checkouts_path() {
        let generated = include_str!(concat!(env!("OUT_DIR"), "/embedded.rs"));
        assert!(!generated.contains(env!("CARGO_MANIFEST_DIR")), "an absolute path in {generated}");
        assert!(generated.contains(r#"concat!(env!("CARGO_MANIFEST_DIR"), "/report-templates/stijl.typ")"#));
        let style = super::embedded::get(super::embedded::TEMPLATES, "stijl.typ").expect("the style embedded");
        assert_eq!(style, std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/report-templates/stijl.typ")).unwrap());
    }
}
