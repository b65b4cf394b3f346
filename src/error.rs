//! Typed library errors. Every variant knows where it happened (file, line, column or
//! region) and carries a `hint` that tells the user what to do; the CLI prints both as
//! `error:` and `hint:` lines.

use std::path::PathBuf;

/// Where in an input file a problem sits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (field number for CSV), when known.
    pub column: Option<usize>,
}

/// An I/O error in Dutch: "bestaat niet", "geen toegang", …; the system's text for
/// the rarer kinds.
pub fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "bestaat niet".into(),
        K::PermissionDenied => "geen toegang (rechten)".into(),
        K::AlreadyExists => "bestaat al".into(),
        K::IsADirectory => "is een map, geen bestand".into(),
        K::NotADirectory => "is geen map".into(),
        K::StorageFull => "de schijf is vol".into(),
        K::QuotaExceeded => "het schijfquotum is op".into(),
        K::FileTooLarge => "het bestand is groter dan het systeem toestaat".into(),
        K::ReadOnlyFilesystem => "alleen-lezen bestandssysteem".into(),
        K::BrokenPipe => "de uitvoer is gesloten".into(),
        K::InvalidData => format!("ongeldige gegevens ({e})"),
        K::UnexpectedEof => "het bestand houdt onverwacht op".into(),
        _ => e.to_string(),
    }
}

/// What to do about an I/O error of a kind the user can act on (a full disk, no
/// rights); `None` for the others.
pub fn io_hint(e: &std::io::Error) -> Option<&'static str> {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull | K::QuotaExceeded => {
            Some("maak ruimte vrij op de schijf waarop geschreven wordt (of kies met -o een andere plek) en probeer het opnieuw")
        }
        K::FileTooLarge => Some("het bestand wordt groter dan het systeem toestaat (ulimit -f); kies een andere plek"),
        K::ReadOnlyFilesystem => Some("kies met -o een plek op een schijf waarop geschreven mag worden"),
        K::PermissionDenied => Some("kies een map waarin u mag schrijven, of vraag de beheerder om rechten"),
        _ => None,
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// All errors of the wijkmonitor library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file could not be understood.
    #[error("{at}: {message}")]
    Input {
        /// Where.
        at: Location,
        /// What was wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// A region name or code could not be resolved.
    #[error("{message}")]
    Region {
        /// What was wrong.
        message: String,
        /// Suggestions or what to do.
        hint: String,
    },
    /// The local data store is missing, empty or damaged.
    #[error("{message}")]
    Store {
        /// What was wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// A file shipped with the tool or supplied by the user (catalogue, source mapping,
    /// template) is inconsistent.
    #[error("{at}: {message}")]
    Config {
        /// Where.
        at: Location,
        /// What was wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// Typst reported errors while laying out the factsheet.
    #[error("het factsheetsjabloon is niet te verwerken:\n{diagnostics}")]
    Typst {
        /// Rendered diagnostics, one per line, with file:line:column.
        diagnostics: String,
        /// What to do about it.
        hint: String,
    },
    /// The laid-out factsheet breaks PDF/A-2b or PDF/UA-1, so no PDF is written.
    #[error("de factsheet voldoet niet aan PDF/A-2b en PDF/UA-1:\n{diagnostics}")]
    Standard {
        /// Rendered diagnostics with the template line and the rule.
        diagnostics: String,
        /// What to do about it.
        hint: String,
    },
    /// A download from CBS open data failed.
    #[error("{message}")]
    Download {
        /// The HTTP status the server answered with, when the failure is one (404: the
        /// table or layer is not there).
        status: Option<u16>,
        /// What was wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// A spreadsheet export could not be assembled.
    #[error("de werkmap kon niet geschreven worden: {message}")]
    Export {
        /// What was wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// An output file cannot be written where it was asked for.
    #[error("{path}: {message}")]
    Output {
        /// The file or folder.
        path: PathBuf,
        /// What was wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// Plain I/O failure, said in Dutch for the usual kinds (the system's own words
    /// otherwise).
    #[error("{path}: {}", io_words(source))]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The hint to print below the error.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Input { hint, .. }
            | Error::Region { hint, .. }
            | Error::Store { hint, .. }
            | Error::Config { hint, .. }
            | Error::Typst { hint, .. }
            | Error::Standard { hint, .. }
            | Error::Download { hint, .. }
            | Error::Export { hint, .. }
            | Error::Output { hint, .. } => Some(hint.as_str()).filter(|h| !h.is_empty()),
            Error::Io { source, .. } => io_hint(source),
        }
    }

    /// Shorthand for an input error at a location.
    pub fn input(at: Location, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Input { at, message: message.into(), hint: hint.into() }
    }

    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

/// Result alias of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
