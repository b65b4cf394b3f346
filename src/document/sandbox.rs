//! The budget of a user's own templates: Typst has no fuel, so `#let a = (0,)*1000000000`
//! in a `--templates` folder aborted the process, and a long loop grew to gigabytes.
//! A factsheet made from own templates is therefore laid out and exported in a worker:
//! a child process of the same binary (`wijkmonitor __typst-werker`) with an address
//! space limit (`setrlimit(RLIMIT_AS)`) and a wall clock the parent kills it on.
//!
//! Why a process and not a thread: an allocation that fails aborts a Rust process
//! (there is no stable way to unwind from it), and a thread cannot be stopped from
//! outside; a child's limits are enforced by the kernel, the same on every run, and its
//! end is always a clean error in the parent. The shipped templates are compiled
//! in-process as before (no cost, the same PDF bytes); the worker runs the same Typst
//! on the same inputs, so own templates give the same bytes either way.
//!
//! The request and answer travel over the worker's standard input and output as
//! length-prefixed fields.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::error::Error;

/// The limits of one compile of own templates.
#[derive(Debug, Clone)]
pub struct Budget {
    /// The binary to run as the worker (this program).
    pub exe: PathBuf,
    /// Address space of the worker, in bytes.
    pub memory: u64,
    /// Wall time of one compile.
    pub time: Duration,
}

impl Budget {
    /// The default budget with `exe` as the worker: 1 GiB of address space (the worker
    /// of Amsterdam's factsheet stays under 120 MB resident) and 10 s per layout (a
    /// factsheet's takes well under one).
    pub fn new(exe: PathBuf) -> Budget {
        Budget { exe, memory: 1 << 30, time: Duration::from_secs(10) }
    }
}

/// The hidden subcommand that runs the worker.
pub const WORKER_COMMAND: &str = "__typst-werker";
const MAGIC: &[u8] = b"wijkmonitor-typst-1\n";

/// What the worker is asked: the markup, the files it may include (virtual path, the
/// name an error shows, bytes), the date and the document id.
pub struct Request<'a> {
    /// The Typst markup of `/factsheet.typ`.
    pub markup: &'a str,
    /// Virtual path, shown name, bytes.
    pub files: Vec<(String, String, Vec<u8>)>,
    /// `--date`.
    pub date: &'a str,
    /// The region code (the PDF's document id).
    pub ident: &'a str,
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn take(input: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut len = [0u8; 8];
    input.read_exact(&mut len)?;
    let len = u64::from_le_bytes(len);
    let mut bytes = Vec::new();
    input.take(len).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != len {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(bytes)
}

fn text(input: &mut impl Read) -> std::io::Result<String> {
    String::from_utf8(take(input)?).map_err(|_| std::io::ErrorKind::InvalidData.into())
}

impl Request<'_> {
    fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put(&mut out, self.markup.as_bytes());
        put(&mut out, self.date.as_bytes());
        put(&mut out, self.ident.as_bytes());
        put(&mut out, &(self.files.len() as u64).to_le_bytes());
        for (path, shown, bytes) in &self.files {
            put(&mut out, path.as_bytes());
            put(&mut out, shown.as_bytes());
            put(&mut out, bytes);
        }
        out
    }
}

/// Lays out and exports the factsheet in a worker within `budget`: the page count and
/// the PDF, or the error Typst gave, or an error that says which limit was reached.
pub fn compile(budget: &Budget, request: &Request<'_>, own: &str) -> crate::Result<(usize, Vec<u8>)> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(&budget.exe)
        .arg(WORKER_COMMAND)
        .env("WIJKMONITOR_WERKER_GEHEUGEN", budget.memory.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io(&budget.exe, e))?;
    let input = request.encode();
    let mut stdin = child.stdin.take().expect("piped");
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let start = Instant::now();
    let (answer, killed) = std::thread::scope(|s| {
        s.spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let err = s.spawn(move || {
            let mut e = Vec::new();
            let _ = (&mut stderr).take(64 << 10).read_to_end(&mut e);
            e
        });
        let out = s.spawn(move || {
            let mut o = Vec::new();
            let _ = stdout.read_to_end(&mut o);
            o
        });
        let mut killed = false;
        loop {
            match child.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) if start.elapsed() > budget.time => {
                    let _ = child.kill();
                    killed = true;
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        let status = child.wait().ok();
        let (out, err) = (out.join().unwrap_or_default(), err.join().unwrap_or_default());
        ((status, out, err), killed)
    });
    let (status, out, err) = answer;
    let limit = |what: String| Error::Typst {
        diagnostics: format!("  {own}: {what}"),
        hint: "zoek in uw sjablonen naar lussen over grote reeksen (range), lijsten die met * vermenigvuldigd worden \
               of een lus die niet stopt; de meegeleverde sjablonen blijven ver binnen deze grens"
            .into(),
    };
    if killed {
        return Err(limit(format!(
            "het sjabloon deed er langer over dan {} s; Typst is gestopt",
            budget.time.as_secs()
        )));
    }
    let mut answer = out.as_slice();
    match answer.get(..2) {
        Some(b"OK") => {
            answer = &answer[2..];
            let pages = take(&mut answer).ok().and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
            match (pages, take(&mut answer)) {
                (Some(pages), Ok(pdf)) => Ok((pages as usize, pdf)),
                _ => Err(limit("de Typst-werker gaf een onvolledig antwoord".into())),
            }
        }
        Some(b"ER") => {
            answer = &answer[2..];
            let kind = take(&mut answer).ok().unwrap_or_default();
            let diagnostics = text(&mut answer).unwrap_or_default();
            let hint = text(&mut answer).unwrap_or_default();
            Err(if kind == b"standard" {
                Error::Standard { diagnostics, hint }
            } else {
                Error::Typst { diagnostics, hint }
            })
        }
        _ => {
            let said = String::from_utf8_lossy(&err);
            if said.contains("memory allocation")
                || said.contains("out of memory")
                || said.contains("capacity overflow")
            {
                Err(limit(format!(
                    "het sjabloon vroeg meer geheugen dan de grens van {} GiB; Typst is gestopt",
                    budget.memory >> 30
                )))
            } else {
                Err(limit(format!(
                    "de Typst-werker stopte onverwacht ({}): {}",
                    status.map(|s| s.to_string()).unwrap_or_default(),
                    said.lines().last().unwrap_or("")
                )))
            }
        }
    }
}

/// Limits this process's address space to `bytes` (the worker, before it starts).
fn limit_memory(bytes: u64) {
    #[cfg(unix)]
    {
        let lim = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
        // SAFETY: setrlimit reads the struct passed by reference; no other memory is touched.
        unsafe {
            libc::setrlimit(libc::RLIMIT_AS, &lim);
        }
    }
}

/// The worker: reads one request from standard input, answers on standard output.
pub fn serve() -> std::process::ExitCode {
    if let Some(bytes) = std::env::var("WIJKMONITOR_WERKER_GEHEUGEN").ok().and_then(|v| v.parse().ok()) {
        limit_memory(bytes);
    }
    let mut input = std::io::stdin().lock();
    let mut magic = vec![0u8; MAGIC.len()];
    if input.read_exact(&mut magic).is_err() || magic != MAGIC {
        eprintln!("geen opdracht voor de Typst-werker");
        return std::process::ExitCode::from(2);
    }
    let read = |input: &mut dyn Read| -> std::io::Result<_> {
        let mut input = input;
        let (markup, date, ident) = (text(&mut input)?, text(&mut input)?, text(&mut input)?);
        let n = u64::from_le_bytes(take(&mut input)?.try_into().map_err(|_| std::io::ErrorKind::InvalidData)?);
        let mut files = Vec::new();
        for _ in 0..n {
            files.push((text(&mut input)?, text(&mut input)?, take(&mut input)?));
        }
        Ok((markup, date, ident, files))
    };
    let Ok((markup, date, ident, files)) = read(&mut input) else {
        eprintln!("onvolledige opdracht voor de Typst-werker");
        return std::process::ExitCode::from(2);
    };
    let shown: std::collections::HashMap<String, String> =
        files.iter().map(|(p, s, _)| (p.trim_start_matches('/').to_string(), s.clone())).collect();
    let show = |name: &str| shown.get(name).cloned().unwrap_or_else(|| format!("report-templates/{name}"));
    let files = files.into_iter().map(|(p, _, b)| (p, b)).collect();
    let engine = super::Engine::new();
    let mut out = Vec::new();
    let result = super::layout_files(&engine, &show, markup, files, &date)
        .and_then(|laid| Ok((laid.doc.pages().len(), super::export_with(&laid, &show, &ident, &date)?)));
    match result {
        Ok((pages, pdf)) => {
            out.extend_from_slice(b"OK");
            put(&mut out, &(pages as u64).to_le_bytes());
            put(&mut out, &pdf);
        }
        Err(e) => {
            let (kind, diagnostics) = match &e {
                Error::Standard { diagnostics, .. } => ("standard", diagnostics.clone()),
                Error::Typst { diagnostics, .. } => ("typst", diagnostics.clone()),
                other => ("typst", format!("  {other}")),
            };
            out.extend_from_slice(b"ER");
            put(&mut out, kind.as_bytes());
            put(&mut out, diagnostics.as_bytes());
            put(&mut out, e.hint().unwrap_or("").as_bytes());
        }
    }
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(&out).and_then(|_| stdout.flush()).is_err() {
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
