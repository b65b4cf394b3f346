//! Document: minijinja renders `report-templates/factsheet.typ.j2` into Typst markup,
//! Typst lays it out in-process through our own [`world::DocWorld`] (templates, fonts
//! and chart SVGs served from memory) and `typst-pdf` exports it. Returns PDF bytes;
//! writing them is the caller's business.
//!
//! A broken template is an [`Error::Typst`] or [`Error::Config`] with file and line,
//! never a panic. The date on the page and in the PDF metadata is the `--date` given,
//! so the same inputs give the same bytes.

pub mod achterstand;
pub mod check;
mod check_areas;
mod check_kort;
mod check_ledger;
mod check_profile;
mod check_text;
pub mod kort;
pub mod sandbox;
mod sources;
pub mod view;
pub mod world;

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::syntax::DiagSpanKind;
use typst::World;
use typst_layout::PagedDocument;

pub use view::{Meta, View};
pub use world::Engine;

use crate::charts::ChartSet;
use crate::error::{Error, Location};
use crate::templates::Templates;

/// The template that makes the factsheet.
pub const MAIN_TEMPLATE: &str = "factsheet.typ.j2";
/// The template of the two-page version (`--kort`).
pub const KORT_TEMPLATE: &str = "kort.typ.j2";

/// The most pages a factsheet of this level may have: a gemeente 8, a wijk 6, a buurt 4.
pub fn page_budget(level: crate::model::Level) -> usize {
    match level {
        crate::model::Level::Buurt => 4,
        crate::model::Level::Wijk => 6,
        _ => 8,
    }
}

/// Renders the Typst markup of the factsheet from the view.
pub fn markup(templates: &Templates, view: &View) -> crate::Result<String> {
    let name = if view.kort { KORT_TEMPLATE } else { MAIN_TEMPLATE };
    let t = templates.env().get_template(name).map_err(|e| template_error(templates, name, &e))?;
    t.render(view).map_err(|e| template_error(templates, name, &e))
}

fn template_error(templates: &Templates, name: &str, e: &minijinja::Error) -> Error {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Error::Config {
        at: Location { file: templates.shown_path(e.name().unwrap_or(name)).into(), line: e.line(), column: None },
        message,
        hint: if e.kind() == minijinja::ErrorKind::OutOfFuel {
            format!(
                "het sjabloon deed meer werk dan toegestaan ({} stappen); zoek naar lussen die niet stoppen",
                crate::templates::FUEL
            )
        } else {
            "verbeter het sjabloon; de velden die het mag gebruiken, staan in src/document/view/".into()
        },
    }
}

/// Parses `YYYY-MM-DD` into a Typst date.
pub fn parse_date(iso: &str) -> Option<Datetime> {
    let mut it = iso.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    if it.next().is_some() {
        return None;
    }
    Datetime::from_ymd(y, m, d)
}

/// How an error names a template file: `DIR/stijl.typ` for a user's own, else the
/// shipped one's path ([`Templates::shown_path`]).
type Shown<'s> = &'s dyn Fn(&str) -> String;

fn diagnostics(world: &world::DocWorld<'_>, shown_path: Shown<'_>, diags: &[SourceDiagnostic]) -> String {
    let mut out = Vec::new();
    for d in diags.iter().filter(|d| d.severity == Severity::Error) {
        let (file, line, col) = match d.span.get() {
            DiagSpanKind::Detached => ("?".to_string(), 0, 0),
            DiagSpanKind::Number { id, .. } | DiagSpanKind::Range { id, .. } => {
                let name = id.get().vpath().get_without_slash().to_string();
                let pos = world.source(id).ok().and_then(|src| {
                    let range = typst::WorldExt::range(world, d.span)?;
                    src.lines().byte_to_line_column(range.start)
                });
                let (l, c) = pos.map(|(l, c)| (l + 1, c + 1)).unwrap_or((0, 0));
                (name, l, c)
            }
        };
        let shown = if file == "factsheet.typ" {
            "factsheet.typ (gemaakt uit factsheet.typ.j2)".to_string()
        } else {
            shown_path(&file)
        };
        let mut s = format!("  {shown}:{line}:{col}: {}", d.message);
        if file == "factsheet.typ" {
            if let Some(text) = world.main_source().text().lines().nth(line.saturating_sub(1)) {
                s.push_str(&format!("\n      | {}", text.trim()));
            }
        }
        // Typst's hints name its own command line (`--root`), which this tool has not.
        for h in d.hints.iter().filter(|h| !h.v.contains("--root")) {
            s.push_str(&format!("\n  hint: {}", h.v));
        }
        out.push(s);
    }
    out.join("\n")
}

/// A laid-out factsheet with the files it was laid out from, so the PDF export can
/// point a refusal at the template line it comes from.
pub struct Laid<'e> {
    /// The pages.
    pub doc: PagedDocument,
    world: world::DocWorld<'e>,
}

/// The files a factsheet's Typst may read: the template folder's `.typ` files by name,
/// `charts` as `charts/STEM.svg`, and the verdict palette as `palet.typ`.
pub fn world_files(templates: &Templates, charts: &ChartSet) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = templates
        .names()
        .filter(|n| n.ends_with(".typ"))
        .filter_map(|n| templates.file(n).map(|b| (format!("/{n}"), b.to_vec())))
        .collect();
    files.extend(charts.files.iter().map(|(stem, svg)| (format!("/charts/{stem}.svg"), svg.clone().into_bytes())));
    // The verdict colours come from Rust, the one palette the charts draw with too.
    static PALETTE: std::sync::LazyLock<Vec<u8>> =
        std::sync::LazyLock::new(|| crate::compare::Verdict::typst_palette().into_bytes());
    files.push(("/palet.typ".into(), PALETTE.clone()));
    files
}

/// Lays out the markup with Typst, with the [`world_files`].
pub fn layout<'e>(
    engine: &'e Engine,
    templates: &Templates,
    markup: String,
    charts: &ChartSet,
    date: &str,
) -> crate::Result<Laid<'e>> {
    layout_files(engine, &|n| templates.shown_path(n), markup, world_files(templates, charts), date)
}

/// Lays out the markup with Typst, serving `files` (virtual path, bytes).
fn layout_files<'e>(
    engine: &'e Engine,
    shown_path: Shown<'_>,
    markup: String,
    files: Vec<(String, Vec<u8>)>,
    date: &str,
) -> crate::Result<Laid<'e>> {
    let today = parse_date(date).ok_or_else(|| Error::Config {
        at: Location { file: "--date".into(), line: None, column: None },
        message: format!("`{date}` is geen datum"),
        hint: "schrijf de datum als JJJJ-MM-DD, bijv. 2026-11-23".into(),
    })?;
    let world = world::DocWorld::new(engine, "/factsheet.typ", markup, files, today);
    let result = typst::compile::<PagedDocument>(&world);
    match result.output {
        Ok(doc) => Ok(Laid { doc, world }),
        Err(diags) => Err(Error::Typst {
            diagnostics: diagnostics(&world, shown_path, &diags),
            hint:
                "het sjabloon maakte Typst die niet te verwerken is; verbeter report-templates (zie de regel hierboven)"
                    .into(),
        }),
    }
}

/// Lays out and exports `markup` with its `files` (virtual path, bytes), the layout and
/// the PDF timed apart: what `bench --typst` measures, to see what a markup costs Typst.
pub fn compile_timed(
    engine: &Engine,
    markup: String,
    files: Vec<(String, Vec<u8>)>,
    date: &str,
    ident: &str,
) -> crate::Result<(usize, Vec<u8>, std::time::Duration, std::time::Duration)> {
    let show = |name: &str| name.to_string();
    let clock = std::time::Instant::now();
    let laid = layout_files(engine, &show, markup, files, date)?;
    let layout = clock.elapsed();
    let clock = std::time::Instant::now();
    let pdf = export_with(&laid, &show, ident, date)?;
    Ok((laid.doc.pages().len(), pdf, layout, clock.elapsed()))
}

/// The standards every factsheet meets: PDF/A-2b (raadsinformatiesystemen archive
/// council documents as PDF/A) and PDF/UA-1 (gemeenten must publish accessible
/// documents). Typst checks both while it writes and refuses a file that breaks one.
pub const STANDARDS: [typst_pdf::PdfStandard; 2] = [typst_pdf::PdfStandard::A_2b, typst_pdf::PdfStandard::Ua_1];

/// Exports the laid-out document as PDF/A-2b and PDF/UA-1 bytes with a fixed creation
/// date and document id, so equal inputs give equal bytes.
pub fn export(laid: &Laid<'_>, templates: &Templates, ident: &str, date: &str) -> crate::Result<Vec<u8>> {
    export_with(laid, &|n| templates.shown_path(n), ident, date)
}

fn export_with(laid: &Laid<'_>, shown_path: Shown<'_>, ident: &str, date: &str) -> crate::Result<Vec<u8>> {
    let dt = parse_date(date).and_then(|d| Datetime::from_ymd_hms(d.year()?, d.month()?, d.day()?, 12, 0, 0));
    let standards = typst_pdf::PdfStandards::new(&STANDARDS).map_err(|e| Error::Standard {
        diagnostics: format!("  {}", e.message()),
        hint: "de PDF-standaarden gaan niet samen; dit is een fout in wijkmonitor, meld die alstublieft".into(),
    })?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("wijkmonitor-{ident}")),
        creator: Smart::Custom(Some(format!("wijkmonitor {}", env!("CARGO_PKG_VERSION")))),
        timestamp: dt.map(typst_pdf::Timestamp::new_utc),
        standards,
        ..Default::default()
    };
    typst_pdf::pdf(&laid.doc, &options).map_err(|diags| Error::Standard {
        diagnostics: diagnostics(&laid.world, shown_path, &diags),
        hint:
            "de factsheet voldoet niet aan PDF/A-2b of PDF/UA-1 (zie de regel hierboven); gebruikt u eigen sjablonen \
               (--templates), geef dan elke afbeelding een alternatieve tekst en houd titel en taal van het document"
                .into(),
    })
}

/// The view of a region of the comparison's test data, for the checks' unit tests.
#[cfg(test)]
pub(crate) fn test_view(code: &str, kort: bool) -> (View, crate::model::Catalogue) {
    use crate::compare::testdata::dataset;
    use crate::compare::{Context, Options};
    let ds = dataset(&[]);
    let p = Context::new(&ds, None).profile(code, &Options::default()).unwrap();
    let n = crate::narrate::narrate(&crate::templates::Templates::builtin().unwrap(), &p, &ds.catalogue).unwrap();
    let charts = crate::charts::render(&Default::default(), &p);
    let meta = Meta { date: "2026-11-23".into(), fictional: false, kort };
    (view::build(&p, &n, &ds.catalogue, &meta, &charts), (*ds.catalogue).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly() {
        assert!(parse_date("2026-11-23").is_some());
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("23-11-2026x").is_none());
    }
}
