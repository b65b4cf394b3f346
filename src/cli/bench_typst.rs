//! `bench --dump DIR` and `bench --typst DIR`: what a factsheet's markup costs Typst.
//! The first writes the markup of a real factsheet (its last, budget-fitting layout)
//! with every file it includes (templates, palette, chart SVGs) into a folder; the second
//! lays such a folder out and exports it, repeatedly, and prints the time per run. Edit
//! a copy of the folder (no show rules, plain table cells, no verdict boxes …) and time
//! both: that is how the performance notes in docs/performance.md were measured.

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use wijkmonitor::document::Engine;

/// Writes `markup` and `files` (virtual path, bytes) into `dir`: `factsheet.typ` and the
/// files by their path.
pub fn dump(dir: &Path, markup: &str, files: &Files) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join("charts")).with_context(|| format!("map {} maken", dir.display()))?;
    std::fs::write(dir.join("factsheet.typ"), markup)?;
    for (path, bytes) in files {
        std::fs::write(dir.join(path.trim_start_matches('/')), bytes)?;
    }
    Ok(())
}

/// The files a markup includes: (virtual path, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// Reads a folder written by [`dump`] (perhaps edited): the markup and the other files.
fn read(dir: &Path) -> anyhow::Result<(String, Files)> {
    let markup = std::fs::read_to_string(dir.join("factsheet.typ"))
        .with_context(|| format!("{} heeft geen factsheet.typ (maak er een met bench REGIO --dump)", dir.display()))?;
    let mut files = Vec::new();
    for sub in ["", "charts"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else { continue };
        for e in rd.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_file())) {
            let name = e.file_name().to_string_lossy().to_string();
            if name == "factsheet.typ" {
                continue;
            }
            let path = if sub.is_empty() { format!("/{name}") } else { format!("/{sub}/{name}") };
            files.push((path, std::fs::read(e.path())?));
        }
    }
    files.sort();
    Ok((markup, files))
}

/// Lays out and exports the folder `repeat` times and prints the mean time per run.
pub fn time(dir: &Path, repeat: usize) -> anyhow::Result<()> {
    let (markup, files) = read(dir)?;
    let engine = Engine::new();
    let (mut layout, mut pdf, mut pages, mut bytes) = (Duration::ZERO, Duration::ZERO, 0, 0);
    // One warm-up run: fonts and Typst's first-use caches are not the markup's cost.
    wijkmonitor::document::compile_timed(&engine, markup.clone(), files.clone(), "2026-01-01", "bench")?;
    for _ in 0..repeat.max(1) {
        let (p, b, l, e) =
            wijkmonitor::document::compile_timed(&engine, markup.clone(), files.clone(), "2026-01-01", "bench")?;
        typst::comemo::evict(0);
        (pages, bytes) = (p, b.len());
        layout += l;
        pdf += e;
    }
    let n = repeat.max(1) as u32;
    let per_page = |d: Duration| d.as_secs_f64() * 1e3 / pages.max(1) as f64;
    outln!(
        "{}: {pages} pagina's, {} bytes; opmaak {} ms ({} per pagina), pdf {} ms (gemiddelde van {n})",
        dir.display(),
        wijkmonitor::format::count(bytes as f64),
        wijkmonitor::format::number((layout / n).as_secs_f64() * 1e3, 1),
        wijkmonitor::format::number(per_page(layout / n), 1),
        wijkmonitor::format::number((pdf / n).as_secs_f64() * 1e3, 1),
    );
    Ok(())
}
