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
    f.write_all(bytes).map_err(|e| f.write_error(e))?;
    f.commit()
}

/// FNV-1a, a stable 64-bit hash of bytes (the same across runs and platforms): cache
/// file names, and the fingerprint of the templates a batch part was made with.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3))
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
///
/// A path that names a character device (`/dev/null`) or a named pipe is written into,
/// as `-o -` writes into standard output: renaming a temporary file over it would
/// replace the device node with a regular file (as root, `-o /dev/null` destroyed
/// `/dev/null`). A block device, socket or folder is refused.
pub struct AtomicFile {
    path: PathBuf,
    target: Target,
}

enum Target {
    /// The temporary file beside the file, renamed onto `.1` on commit: the path asked
    /// for, or the file a symbolic link there points to.
    Temp(tempfile::NamedTempFile, PathBuf),
    /// A character device or pipe, written into directly.
    Direct(std::fs::File),
}

/// What stands at `path` when it is neither absent nor a regular file (symbolic links
/// followed): the Dutch words for it and whether it can be written into.
fn special_file(path: &Path) -> Option<(&'static str, bool)> {
    let meta = std::fs::metadata(path).ok()?;
    let ft = meta.file_type();
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some(("een map", false));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_char_device() {
            return Some(("een apparaat", true));
        }
        if ft.is_fifo() {
            return Some(("een benoemde pijp (FIFO)", true));
        }
        if ft.is_block_device() {
            return Some(("een blokapparaat (schijf)", false));
        }
        if ft.is_socket() {
            return Some(("een socket", false));
        }
    }
    Some(("geen gewoon bestand", false))
}

/// Opens a character device or named pipe for writing. A pipe is opened without
/// waiting: with no program reading from it, the open fails at once (instead of
/// hanging until one comes) and the write is refused with that reason.
fn open_special(path: &Path, what: &str) -> crate::Result<std::fs::File> {
    let refuse = |message: String| Error::Output {
        path: path.to_path_buf(),
        message,
        hint: "laat een programma uit de pijp lezen, of kies een gewoon bestand met -o".into(),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let file = std::fs::OpenOptions::new().write(true).custom_flags(libc::O_NONBLOCK).open(path).map_err(|e| {
            if e.raw_os_error() == Some(libc::ENXIO) {
                refuse(format!("{what} waaruit geen programma leest"))
            } else {
                Error::io(path, e)
            }
        })?;
        // Writes wait for the reader again, as writes into standard output do.
        use std::os::fd::AsRawFd;
        // SAFETY: fcntl on a file descriptor this function owns; no pointers passed.
        unsafe {
            let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        let _ = refuse;
        std::fs::OpenOptions::new().write(true).open(path).map_err(|e| Error::io(path, e))
    }
}

/// True when `path` names a terminal (`/dev/tty`, `/dev/stdout` on a terminal).
pub fn is_terminal_path(path: &Path) -> bool {
    use std::io::IsTerminal;
    matches!(special_file(path), Some((_, true)))
        && std::fs::OpenOptions::new().write(true).open(path).is_ok_and(|f| f.is_terminal())
}

impl AtomicFile {
    /// Opens the temporary file beside `path` (or the device or pipe at `path`).
    pub fn create(path: &Path) -> crate::Result<Self> {
        if let Some((what, writable)) = special_file(path) {
            if !writable {
                return Err(Error::Output {
                    path: path.to_path_buf(),
                    message: format!("dit is {what}, geen gewoon bestand; wijkmonitor schrijft er niet overheen"),
                    hint: "kies met -o een bestandsnaam (of - voor standaarduitvoer)".into(),
                });
            }
            let file = open_special(path, what)?;
            return Ok(AtomicFile { path: path.to_path_buf(), target: Target::Direct(file) });
        }
        // A symbolic link stays a link: the file it points to is replaced (renaming over
        // the link replaced it, so `-o /dev/stdout` redirected to a file turned the
        // system's /dev/stdout into a regular file).
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let real =
            if link { std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()) } else { path.to_path_buf() };
        let dir = real.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
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
        Ok(AtomicFile { path: path.to_path_buf(), target: Target::Temp(tmp, real) })
    }

    /// The error of a failed write, naming the file being written (not its temporary
    /// name, which the user never asked for).
    pub fn write_error(&self, e: std::io::Error) -> Error {
        Error::io(&self.path, e)
    }

    /// Flushes to disk and renames into place (a device or pipe is only flushed).
    pub fn commit(self) -> crate::Result<()> {
        let AtomicFile { path, target } = self;
        let (tmp, real) = match target {
            Target::Temp(tmp, real) => (tmp, real),
            Target::Direct(mut file) => {
                return std::io::Write::flush(&mut file).map_err(|e| Error::io(&path, e));
            }
        };
        tmp.as_file().sync_all().map_err(|e| Error::io(&path, e))?;
        // Temporary files are created private (0600); a factsheet is an ordinary document.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if real.exists() {
                std::fs::metadata(&real).map(|m| m.permissions().mode()).unwrap_or(0o644)
            } else {
                0o644
            };
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
                .map_err(|e| Error::io(tmp.path(), e))?;
        }
        tmp.persist(&real).map_err(|e| Error::io(&path, e.error))?;
        Ok(())
    }
}

impl std::io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.target {
            Target::Temp(tmp, _) => tmp.write(buf),
            Target::Direct(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.target {
            Target::Temp(tmp, _) => tmp.flush(),
            Target::Direct(file) => file.flush(),
        }
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
