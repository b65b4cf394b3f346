//! Accessible and archival PDFs: every factsheet (full, `--kort`, each level) declares
//! PDF/A-2b and PDF/UA-1 (Typst checked both while writing), has one H1 and headings
//! that never skip a level, alt text on every figure, and tells the viewer to show the
//! title. No PDF/A or PDF/UA validator can be installed here, so these tests read the
//! tag tree with poppler (`pdfinfo -struct`, `-meta`) and the raw structure elements.

mod common;

use std::io::Read;
use std::path::Path;

use common::wijkmonitor;

/// The PDF's bytes with every Flate stream inflated (structure elements live in
/// compressed object streams).
fn inflated(pdf: &Path) -> String {
    let data = std::fs::read(pdf).unwrap();
    let mut out = String::from_utf8_lossy(&data).into_owned();
    let mut rest = &data[..];
    while let Some(at) = find(rest, b"stream") {
        let body = &rest[at + 6..];
        let body = body.strip_prefix(b"\r\n").or_else(|| body.strip_prefix(b"\n")).unwrap_or(body);
        let Some(end) = find(body, b"endstream") else { break };
        let mut text = Vec::new();
        if flate2::read::ZlibDecoder::new(&body[..end]).read_to_end(&mut text).is_ok() {
            out.push('\n');
            out.push_str(&String::from_utf8_lossy(&text));
        }
        rest = &body[end..];
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn poppler(args: &[&str], pdf: &Path) -> String {
    let out = std::process::Command::new("pdfinfo").args(args).arg(pdf).output().expect("pdfinfo (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The headings of the tag tree in order, as (level, text).
fn headings(pdf: &Path) -> Vec<(usize, String)> {
    poppler(&["-struct"], pdf)
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let level = l.strip_prefix('H')?.chars().next()?.to_digit(10)? as usize;
            let text = l.split('"').nth(1)?.to_string();
            Some((level, text))
        })
        .collect()
}

/// Checks one factsheet; returns its headings.
fn check(pdf: &Path, name: &str) -> Vec<(usize, String)> {
    let meta = poppler(&["-meta"], pdf);
    for id in
        ["<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>", "<pdfuaid:part>1</pdfuaid:part>"]
    {
        assert!(meta.contains(id), "{name}: {id} missing from the XMP metadata");
    }
    let h = headings(pdf);
    assert_eq!(h.iter().filter(|(l, _)| *l == 1).count(), 1, "{name}: one H1: {h:?}");
    assert_eq!(h[0], (1, name.to_string()), "{name}: the region's name comes first");
    for w in h.windows(2) {
        assert!(w[1].0 <= w[0].0 + 1, "{name}: heading level skipped: {w:?}");
    }
    let raw = inflated(pdf);
    let figures: Vec<&str> = raw.lines().filter(|l| l.contains("/Type/StructElem/S/Figure")).collect();
    assert!(!figures.is_empty(), "{name}: no figures tagged");
    for f in &figures {
        assert!(f.contains("/Alt"), "{name}: a figure without alt text: {f}");
    }
    assert_eq!(figures.len(), poppler(&["-struct"], pdf).matches("Figure").count(), "{name}: every figure read");
    assert!(raw.contains("/DisplayDocTitle true"), "{name}: the viewer is not told to show the title");
    h
}

#[test]
fn every_factsheet_is_pdf_a_and_pdf_ua_with_headings_and_alt_text() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for (region, name) in [("GM9990", "Voorbeeldstad"), ("WK999000", "Centrum"), ("BU99900000", "Centrum-Noord")] {
        for kort in [false, true] {
            let pdf = common::demo_factsheet(data.path(), out.path(), region, if kort { &["--kort"] } else { &[] });
            let h = check(&pdf, name);
            let titles: Vec<&str> = h.iter().map(|(_, t)| t.as_str()).collect();
            if !kort {
                // The sections are headings (and bookmarks), in page order.
                let order = ["Wat valt op", "Kerncijfers", "Demografie", "Herkomst", "Zo leest u deze factsheet"];
                let at: Vec<usize> = order
                    .iter()
                    .map(|o| titles.iter().position(|t| t == o).unwrap_or_else(|| panic!("{o}: {titles:?}")))
                    .collect();
                assert!(at.windows(2).all(|w| w[0] < w[1]), "{region}: {titles:?}");
            }
        }
    }
}

#[test]
fn the_alt_text_of_a_key_figure_says_its_numbers() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = common::demo_factsheet(data.path(), out.path(), "GM9990", &[]);
    // Alt text is a literal string when it is plain ASCII, else UTF-16BE in hex.
    let words = "Bijstandsuitkering: 4,8% in Voorbeeldstad, Nederland 2,6%";
    let hex: String = words.encode_utf16().map(|u| format!("{u:04X}")).collect();
    let raw = inflated(&pdf);
    assert!(
        raw.contains(&format!("/Alt({words}")) || raw.contains(&hex),
        "the bijstand spine row has no alt text with its figures"
    );
}

#[test]
fn a_template_that_breaks_pdf_ua_is_refused_with_its_line_and_rule() {
    // A user's own template with a chart but no alt text: no PDF, an error that names
    // the template line and the rule, and a hint.
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("factsheet.typ.j2"),
        "#set document(title: \"Proef\")\n#set text(lang: \"nl\")\n= {{ region.name|typ }}\n\n#image(\"charts/profiel.svg\", width: 50%)\n",
    )
    .unwrap();
    let pdf = dir.path().join("uit.pdf");
    let out = wijkmonitor(data.path())
        .args(["factsheet", "--demo", "--date", "2026-11-23", "--templates"])
        .arg(dir.path())
        .arg("-o")
        .arg(&pdf)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("error: de factsheet voldoet niet aan PDF/A-2b en PDF/UA-1"), "{err}");
    assert!(err.contains("factsheet.typ.j2):5:") && err.contains("missing alt text"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert!(!pdf.exists(), "a refused factsheet leaves no file");
}
