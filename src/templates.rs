//! The templates of a run: the sentences of `zinnen.toml` and the document templates
//! (`factsheet.typ.j2`, `stijl.typ`), shipped in the binary and optionally overridden by
//! a gemeente's own `--templates` folder, compiled once into one minijinja environment
//! and shared by every report. Both the narrate and the document stage read from it, so
//! it sits beside the pipeline, not in either stage; it also owns the escaping of text
//! for Typst, which the templates' `typ` and `typstr` filters apply.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use minijinja::{Environment, Value};

use crate::error::{Error, Location};
use crate::format;

/// Escapes text for Typst markup: every character with a markup meaning gets a
/// backslash, line breaks become spaces.
pub fn escape(s: String) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '\\' | '#' | '*' | '_' | '`' | '$' | '<' | '>' | '@' | '[' | ']' | '~' | '/' | '=' | '-' | '+' | '"'
            | '\'' | '{' | '}' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a Typst string literal (`"…"`).
pub fn escape_string(s: String) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Words that keep their capital inside a sentence: names of laws and schemes.
const NAMES: &[&str] = &["Wmo", "Wajong", "Wia", "Participatiewet"];

/// Lower-cases the first letter, keeping acronyms ("WOZ", "CBS") and names of laws
/// ("Wmo-cliënten") as they are.
pub fn lower_first(s: &str) -> String {
    if NAMES.iter().any(|n| s.starts_with(n) && !s[n.len()..].starts_with(|c: char| c.is_alphabetic())) {
        return s.to_string();
    }
    let mut c = s.chars();
    match (c.next(), s.chars().nth(1)) {
        (Some(f), Some(n)) if n.is_uppercase() => f.to_string() + c.as_str(),
        (Some(f), _) => f.to_lowercase().collect::<String>() + c.as_str(),
        _ => String::new(),
    }
}

/// File name of the sentence templates.
pub const SENTENCES: &str = "zinnen.toml";

/// The templates of one run, compiled once and shared by every report.
pub struct Templates {
    env: Environment<'static>,
    files: BTreeMap<String, Vec<u8>>,
    reading_guide: Vec<String>,
    /// The gemeente's own folder and the files that came from it, so an error names
    /// the file the user edited, not the shipped one.
    own: Option<(PathBuf, BTreeSet<String>)>,
    /// Own templates are laid out within this budget, in a worker process
    /// ([`crate::document::sandbox`]); `None` lays out in-process.
    budget: Option<crate::document::sandbox::Budget>,
}

/// How much work (minijinja "fuel") one template render may take: the factsheet needs
/// well under a tenth of it; a template with runaway loops stops with an error instead
/// of running for minutes.
pub const FUEL: u64 = 20_000_000;

/// Template files by name: (file name such as `zinnen.toml`, its content).
pub type Files = Vec<(String, Vec<u8>)>;

/// The largest template file read (the shipped factsheet template is 60 kB).
pub const MAX_TEMPLATE_BYTES: u64 = 4 << 20;

/// True for the files a template folder may hold: the sentences, minijinja templates
/// and the Typst files they include.
fn is_template_name(name: &str) -> bool {
    name == SENTENCES || name.ends_with(".typ") || name.ends_with(".j2")
}

/// Reads a gemeente's own template folder: only the template files directly in it
/// (`is_template_name`, at most [`MAX_TEMPLATE_BYTES`] each) are read and served. A
/// symbolic link is followed only when it stays inside the folder and points
/// at a regular file; one that leaves the folder is an error (it could put any file of
/// the machine, secrets included, into a PDF). Anything else (folders, pipes, devices)
/// is skipped and named in the returned notes.
pub fn read_dir(dir: &Path) -> crate::Result<(Files, Vec<String>)> {
    let root = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    if !root.is_dir() {
        return Err(Error::Config {
            at: Location { file: dir.into(), line: None, column: None },
            message: "--templates moet een map zijn".into(),
            hint: "geef de map met uw zinnen.toml, factsheet.typ.j2 of stijl.typ".into(),
        });
    }
    let rd = std::fs::read_dir(&root).map_err(|e| Error::io(dir, e))?;
    let mut entries: Vec<std::fs::DirEntry> = rd.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    let (mut files, mut notes) = (Vec::new(), Vec::new());
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let meta = std::fs::symlink_metadata(&path).map_err(|err| Error::io(&path, err))?;
        let target = if meta.file_type().is_symlink() {
            let target = path.canonicalize().map_err(|err| Error::io(&path, err))?;
            if !target.starts_with(&root) {
                return Err(Error::Config {
                    at: Location { file: path.clone(), line: None, column: None },
                    message: format!("{name} is een koppeling naar {}, buiten de sjabloonmap", target.display()),
                    hint: "kopieer het bestand in de sjabloonmap in plaats van ernaar te verwijzen".into(),
                });
            }
            target
        } else {
            path.clone()
        };
        let meta = std::fs::metadata(&target).map_err(|err| Error::io(&target, err))?;
        if !meta.is_file() {
            notes.push(format!("{}: geen gewoon bestand, overgeslagen", path.display()));
            continue;
        }
        // Only what a template can use is read: an unrelated 3 GB video in the folder
        // was read whole (and a 40 GB one ran out of memory).
        if !is_template_name(&name) {
            notes.push(format!("{}: geen sjabloon (zinnen.toml, *.typ.j2, *.typ), niet gelezen", path.display()));
            continue;
        }
        if meta.len() > MAX_TEMPLATE_BYTES {
            return Err(Error::Config {
                at: Location { file: path.clone(), line: None, column: None },
                message: format!(
                    "{name} is {} MB; een sjabloon is hooguit {} MB",
                    meta.len() >> 20,
                    MAX_TEMPLATE_BYTES >> 20
                ),
                hint: "een sjabloon is tekst; zet afbeeldingen of andere grote bestanden niet in de sjabloonmap".into(),
            });
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(
                std::fs::File::open(&target).map_err(|err| Error::io(&target, err))?,
                MAX_TEMPLATE_BYTES,
            ),
            &mut bytes,
        )
        .map_err(|err| Error::io(&target, err))?;
        files.push((name, bytes));
    }
    Ok((files, notes))
}

#[derive(serde::Deserialize)]
struct SentenceFile {
    zinnen: BTreeMap<String, toml::Value>,
}

fn config_error(file: &str, line: Option<usize>, message: String, hint: &str) -> Error {
    Error::Config { at: Location { file: file.into(), line, column: None }, message, hint: hint.into() }
}

/// Line (1-based) of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|i| text[..i].matches('\n').count() + 1)
}

impl Templates {
    /// The templates shipped inside the binary.
    pub fn builtin() -> crate::Result<Templates> {
        Templates::with_overrides(Vec::new())
    }

    /// The shipped templates with some files replaced (name → content).
    pub fn with_overrides(overrides: Files) -> crate::Result<Templates> {
        Templates::build(overrides, None)
    }

    /// The shipped templates with the files of a gemeente's own folder (see
    /// [`read_dir`]) in their place; errors in those files name the folder.
    pub fn from_dir(dir: &Path, files: Files) -> crate::Result<Templates> {
        Templates::build(files, Some(dir))
    }

    /// Where a template file comes from, as the user knows it: `DIR/stijl.typ` for a
    /// file of their own folder, `report-templates/stijl.typ` for a shipped one.
    pub fn shown_path(&self, name: &str) -> String {
        match &self.own {
            Some((dir, names)) if names.contains(name) => dir.join(name).display().to_string(),
            _ => format!("report-templates/{name}"),
        }
    }

    fn build(overrides: Files, own_dir: Option<&Path>) -> crate::Result<Templates> {
        let own_names: BTreeSet<String> = overrides.iter().map(|(n, _)| n.clone()).collect();
        let shown = |name: &str| match own_dir {
            Some(d) if own_names.contains(name) => d.join(name).display().to_string(),
            _ => name.to_string(),
        };
        let mut files: BTreeMap<String, Vec<u8>> =
            crate::paths::embedded::TEMPLATES.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
        let sentences_file = shown(SENTENCES);
        files.extend(overrides);
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL));
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        env.add_filter("capitalize_first", |s: String| {
            let mut c = s.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        });
        env.add_filter("lower_first", |s: String| lower_first(&s));
        env.add_filter("typ", escape);
        env.add_filter("typstr", escape_string);
        env.add_filter("num", |v: f64, d: Option<usize>| format::number(v, d.unwrap_or(0)));

        // The shipped sentences first, then a gemeente's own on top, sentence by
        // sentence: an own zinnen.toml only needs the sentences it changes, and keeps
        // working when a new version adds sentences.
        let shipped = crate::paths::embedded::get(crate::paths::embedded::TEMPLATES, SENTENCES).ok_or_else(|| {
            config_error(SENTENCES, None, "de zinssjablonen ontbreken".into(), "zet report-templates/zinnen.toml terug")
        })?;
        let own = files.get(SENTENCES).filter(|b| b.as_slice() != shipped);
        let mut reading_guide = Vec::new();
        for (file, bytes) in
            std::iter::once((SENTENCES.to_string(), shipped)).chain(own.map(|b| (sentences_file.clone(), b.as_slice())))
        {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let parsed: SentenceFile = toml::from_str(&text).map_err(|e| {
                let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
                config_error(
                    &file,
                    line,
                    e.message().to_string(),
                    "het bestand moet geldige TOML zijn met een tabel [zinnen]",
                )
            })?;
            for (key, value) in parsed.zinnen {
                match value {
                    toml::Value::String(s) => {
                        env.add_template_owned(format!("zinnen/{key}"), s).map_err(|e| {
                            config_error(
                                &file,
                                line_of(&text, &format!("{key} =")),
                                format!("zin `{key}`: {e}"),
                                "controleer de minijinja-opmaak van deze zin",
                            )
                        })?;
                    }
                    toml::Value::Array(items) if key == "leeswijzer" => {
                        reading_guide = items.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
                    }
                    _ => {
                        return Err(config_error(
                            &file,
                            line_of(&text, &format!("{key} =")),
                            format!("`{key}` moet tekst zijn"),
                            "zet de zin tussen aanhalingstekens",
                        ))
                    }
                }
            }
        }
        for (name, bytes) in &files {
            if name.ends_with(".j2") {
                let src = String::from_utf8_lossy(bytes).into_owned();
                env.add_template_owned(name.clone(), src).map_err(|e| {
                    config_error(
                        &shown(name),
                        e.line(),
                        e.to_string(),
                        "controleer de minijinja-opmaak van het sjabloon",
                    )
                })?;
            }
        }
        let own = own_dir.map(|d| (d.to_path_buf(), own_names));
        Ok(Templates { env, files, reading_guide, own, budget: None })
    }

    /// Lays out every factsheet of these templates within `budget` (for a user's own
    /// templates: Typst has no fuel of its own).
    pub fn with_budget(mut self, budget: crate::document::sandbox::Budget) -> Templates {
        self.budget = Some(budget);
        self
    }

    /// The files of the user's own folder, as an error names them.
    pub fn own_files(&self) -> Vec<String> {
        match &self.own {
            Some((dir, names)) => names.iter().map(|n| dir.join(n).display().to_string()).collect(),
            None => Vec::new(),
        }
    }

    /// The budget set with [`Templates::with_budget`].
    pub fn budget(&self) -> Option<&crate::document::sandbox::Budget> {
        self.budget.as_ref()
    }

    /// The minijinja environment (sentences as `zinnen/KEY`, documents by file name).
    pub fn env(&self) -> &Environment<'static> {
        &self.env
    }

    /// A template file's raw bytes (for Typst files served as they are).
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(|v| v.as_slice())
    }

    /// The reading guide's paragraphs (`leeswijzer` in `zinnen.toml`).
    pub fn reading_guide(&self) -> &[String] {
        &self.reading_guide
    }

    /// A fingerprint of every template file (name and bytes): parts of a batch made with
    /// other templates have another one, so `batch merge` can refuse to join them.
    pub fn fingerprint(&self) -> String {
        let mut all = Vec::new();
        for (name, bytes) in &self.files {
            all.extend_from_slice(name.as_bytes());
            all.push(0);
            all.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            all.extend_from_slice(bytes);
        }
        format!("{:016x}", crate::paths::fnv1a(&all))
    }

    /// Names of all template files.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(|k| k.as_str())
    }

    /// Renders the sentence `key` of `zinnen.toml` with `ctx`, white space folded.
    pub fn say(&self, key: &str, ctx: Value) -> crate::Result<String> {
        let t = self.env.get_template(&format!("zinnen/{key}")).map_err(|e| {
            config_error(
                SENTENCES,
                None,
                format!("zin `{key}` ontbreekt: {e}"),
                "voeg hem toe aan zinnen.toml (zie het meegeleverde bestand)",
            )
        })?;
        let s = t.render(ctx).map_err(|e| {
            config_error(
                SENTENCES,
                None,
                format!("zin `{key}`: {e}"),
                "een naam in de zin is niet beschikbaar; zie de toelichting erboven",
            )
        })?;
        Ok(s.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(escape("a #b *c* [d] $e$ <f> @g".into()), r"a \#b \*c\* \[d\] \$e\$ \<f\> \@g");
        assert_eq!(escape("Oude stad e.o.\n// x".into()), r"Oude stad e.o. \/\/ x");
        assert_eq!(escape_string("say \"hi\" \\".into()), r#"say \"hi\" \\"#);
    }

    #[test]
    fn lower_first_keeps_acronyms() {
        assert_eq!(lower_first("WOZ-waarde"), "WOZ-waarde");
        assert_eq!(lower_first("Bijstand"), "bijstand");
        // Regression: "Duidelijk hoger: wmo-cliënten".
        assert_eq!(lower_first("Wmo-cliënten"), "Wmo-cliënten");
        assert_eq!(lower_first("Wmoxyz"), "wmoxyz");
    }
}
