//! The Typst `World` of one factsheet: the main source is the rendered markup, every
//! other file (Typst includes from `report-templates/`, the chart SVGs) is served from
//! memory, fonts come from the [`Engine`] that a batch shares. No file system access, no
//! packages, a fixed date: the same inputs give the same PDF.

use std::collections::HashMap;
use std::path::PathBuf;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};

/// What every document shares: the standard library and the parsed bundled fonts.
pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Engine {
    /// Parses the fonts embedded from `fonts/`.
    pub fn new() -> Engine {
        let fonts: Vec<Font> = crate::paths::embedded::FONTS
            .iter()
            .filter(|(n, _)| n.ends_with(".ttf") || n.ends_with(".otf"))
            .flat_map(|(_, b)| Font::iter(Bytes::new(*b)))
            .collect();
        Engine {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }

    /// Number of font faces loaded.
    pub fn font_count(&self) -> usize {
        self.fonts.len()
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// The file id of a virtual path like `/factsheet.typ`.
pub fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("valid virtual path")).intern()
}

/// One document's world.
pub struct DocWorld<'a> {
    engine: &'a Engine,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl<'a> DocWorld<'a> {
    /// A world whose main file `main_name` holds `markup`; `files` maps virtual paths to
    /// bytes.
    pub fn new(
        engine: &'a Engine,
        main_name: &str,
        markup: String,
        files: Vec<(String, Vec<u8>)>,
        today: Datetime,
    ) -> Self {
        let main = Source::new(file_id(main_name), markup);
        let files = files.into_iter().map(|(p, b)| (file_id(&p), Bytes::new(b))).collect();
        DocWorld { engine, main, files, today }
    }

    /// The main source (for mapping diagnostics to lines).
    pub fn main_source(&self) -> &Source {
        &self.main
    }
}

impl typst::World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(PathBuf::from(id.get().vpath().get_with_slash())))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
