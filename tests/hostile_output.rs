//! Hostile input, round two, the output side: nothing outside the output folder is
//! ever touched. `-o` onto a device or pipe writes into it (never renames over it), and
//! `batch merge` trusts nothing a part says: names are plain names in the part, parts
//! made another way or missing are refused, and a PDF lands whole or not at all.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::wijkmonitor;
use predicates::prelude::*;
use predicates::str::contains;

fn mkfifo(p: &Path) {
    let ok = std::process::Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo failed");
}

/// Runs the binary with `args` while reading `fifo` (opened before the binary starts,
/// so it always has a reader); returns the exit status and what came through the pipe.
fn through_pipe(data: &Path, args: &[&str], fifo: &Path) -> (std::process::ExitStatus, Vec<u8>, String) {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut reader = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(fifo).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wijkmonitor"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .arg("-o")
        .arg(fifo)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut got, mut buf) = (Vec::new(), [0u8; 65536]);
    let started = std::time::Instant::now();
    loop {
        match reader.read(&mut buf) {
            Ok(0) if child.try_wait().unwrap().is_some() => break,
            Ok(n) if n > 0 => got.extend_from_slice(&buf[..n]),
            _ => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
        assert!(started.elapsed().as_secs() < 300, "no end to the write into the pipe");
    }
    let out = child.wait_with_output().unwrap();
    (out.status, got, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn output_onto_a_device_or_pipe_goes_into_it_and_never_replaces_it() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pijp");
    mkfifo(&fifo);
    let (status, got, err) = through_pipe(data.path(), &["table", "GM9990", "--demo", "--format", "csv"], &fifo);
    assert!(status.success(), "{err}");
    assert!(got.starts_with(b"region,region_name"), "{}", String::from_utf8_lossy(&got));
    let (status, got, err) =
        through_pipe(data.path(), &["factsheet", "GM9990", "--demo", "--date", "2026-11-23"], &fifo);
    assert!(status.success(), "{err}");
    assert!(got.starts_with(b"%PDF-") && got.len() > 10_000);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe was replaced");
    // A pipe nobody reads from: refused at once, not a hang, and still a pipe.
    wijkmonitor(data.path())
        .args(["table", "GM9990", "--demo", "-o"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .failure()
        .stderr(contains("waaruit geen programma leest").and(contains("hint:")));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left beside the pipe");

    // A character device: the null device's numbers, made where root may (CI runs as
    // root); elsewhere the system's own /dev/null, which an ordinary user cannot
    // replace but which the write must still go into.
    let dev = dir.path().join("null");
    let made = std::process::Command::new("mknod").arg(&dev).args(["c", "1", "3"]).status().is_ok_and(|s| s.success());
    let dev = if made { dev } else { PathBuf::from("/dev/null") };
    for args in [&["table", "GM9990", "--demo", "--format", "xlsx"][..], &["factsheet", "GM9990", "--demo"][..]] {
        wijkmonitor(data.path()).args(args).arg("-o").arg(&dev).assert().success();
        let meta = std::fs::metadata(&dev).unwrap();
        assert!(meta.file_type().is_char_device() && meta.len() == 0, "{args:?}: the device became a file");
    }
    // A folder is refused with its name.
    wijkmonitor(data.path())
        .args(["table", "GM9990", "--demo", "-o"])
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(contains("dit is een map, geen gewoon bestand"));
}
