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
    // A symbolic link (as /dev/stdout is) stays a link; the file it points to is written.
    let file = dir.path().join("echt.csv");
    std::fs::write(&file, "oud").unwrap();
    let link = dir.path().join("koppeling.csv");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    wijkmonitor(data.path()).args(["table", "GM9990", "--demo", "-o"]).arg(&link).assert().success();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("region,"));
    // A folder is refused with its name.
    wijkmonitor(data.path())
        .args(["table", "GM9990", "--demo", "-o"])
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(contains("dit is een map, geen gewoon bestand"));
}

/// Makes `--shard K/N` parts of the demo gemeente's wijken in `work/deelK`, dated
/// 2026-11-23 unless `extra` gives another `--date`.
fn parts(data: &Path, work: &Path, n: usize, extra: &[&str]) -> Vec<PathBuf> {
    let date: &[&str] = if extra.contains(&"--date") { &[] } else { &["--date", "2026-11-23"] };
    (1..=n)
        .map(|k| {
            let dir = work.join(format!("deel{k}"));
            wijkmonitor(data)
                .args(["batch", "--demo", "--all-wijken", "--gemeente", "GM9990"])
                .args(date)
                .args(["--shard", &format!("{k}/{n}"), "-o"])
                .arg(&dir)
                .args(extra)
                .assert()
                .success();
            dir
        })
        .collect()
}

fn merge(data: &Path, parts: &[PathBuf], out: &Path) -> assert_cmd::assert::Assert {
    wijkmonitor(data).args(["batch", "merge"]).args(parts).arg("-o").arg(out).assert()
}

fn set_index(part: &Path, f: impl Fn(&mut serde_json::Value)) {
    let p = part.join("index.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
}

#[test]
fn a_merge_never_follows_a_path_out_of_a_part() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let ps = parts(data.path(), work.path(), 2, &[]);
    let victim = work.path().join("victim.txt");
    std::fs::write(&victim, "van iemand anders").unwrap();
    for name in ["../victim.txt", "../../victim.pdf", "/tmp/x.pdf", "sub/../../victim.pdf", "..", ""] {
        set_index(&ps[0], |v| v[0]["file"] = name.into());
        let out = work.path().join("samen");
        merge(data.path(), &ps, &out)
            .failure()
            .stderr(contains("is geen bestandsnaam in de map van het deel").and(contains("hint:")));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "van iemand anders", "{name}");
        assert!(!out.exists(), "{name}: half-merged output");
    }
    // A PDF in a part that is a link to a file elsewhere is not taken either.
    let ps = parts(data.path(), &work.path().join("b"), 2, &[]);
    let index: serde_json::Value = serde_json::from_slice(&std::fs::read(ps[0].join("index.json")).unwrap()).unwrap();
    let pdf = ps[0].join(index[0]["file"].as_str().unwrap());
    std::fs::remove_file(&pdf).unwrap();
    std::os::unix::fs::symlink(&victim, &pdf).unwrap();
    merge(data.path(), &ps, &work.path().join("samen2")).failure().stderr(contains("ontbreekt of is niet compleet"));
    assert!(!work.path().join("samen2").exists());
}

#[test]
fn a_merge_refuses_parts_made_differently_missing_or_incomplete() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let halves = parts(data.path(), &work.path().join("half"), 2, &[]);
    let thirds = parts(data.path(), &work.path().join("derde"), 3, &[]);
    let out = work.path().join("samen");
    // 1/2 with 2/3: three of four regions, before.
    merge(data.path(), &[halves[0].clone(), thirds[1].clone()], &out)
        .failure()
        .stderr(contains("aantal delen (--shard K/N): 2 tegenover 3"));
    let kort = parts(data.path(), &work.path().join("kort"), 2, &["--kort"]);
    merge(data.path(), &[halves[0].clone(), kort[1].clone()], &out)
        .failure()
        .stderr(contains("--kort: false tegenover true"));
    let dated = work.path().join("datum");
    std::fs::create_dir(&dated).unwrap();
    let later = parts(data.path(), &dated, 2, &["--date", "2027-01-01"]);
    merge(data.path(), &[halves[0].clone(), later[1].clone()], &out).failure().stderr(contains("--date"));
    let own = tempfile::tempdir().unwrap();
    std::fs::write(own.path().join("zinnen.toml"), "[zinnen]\n").unwrap();
    let templ = parts(data.path(), &work.path().join("eigen"), 2, &["--templates", own.path().to_str().unwrap()]);
    merge(data.path(), &[halves[0].clone(), templ[1].clone()], &out).failure().stderr(contains("sjablonen"));
    // A part left out.
    merge(data.path(), &thirds[..2], &out).failure().stderr(contains("deel 3/3 ontbreekt"));
    // A PDF the index calls made, gone.
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(halves[1].join("index.json")).unwrap()).unwrap();
    std::fs::remove_file(halves[1].join(index[0]["file"].as_str().unwrap())).unwrap();
    merge(data.path(), &halves, &out).failure().stderr(contains("de PDF ontbreekt of is niet compleet"));
    assert!(!out.exists(), "nothing written when a part is refused");
    // The whole set made the same way merges.
    merge(data.path(), &thirds, &out).success();
}

#[test]
fn an_empty_shard_is_a_valid_empty_part() {
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    // The demo gemeente has 12 wijken: shards 13 to 15 of 15 are empty.
    let ps = parts(data.path(), work.path(), 15, &[]);
    let empty = ps.last().unwrap();
    let index: serde_json::Value = serde_json::from_slice(&std::fs::read(empty.join("index.json")).unwrap()).unwrap();
    assert_eq!(index.as_array().unwrap().len(), 0, "the last of 15 shards has no wijk");
    merge(data.path(), &ps, &work.path().join("samen")).success();
    let whole = work.path().join("een");
    wijkmonitor(data.path())
        .args(["batch", "--demo", "--all-wijken", "--gemeente", "GM9990", "--date", "2026-11-23", "-o"])
        .arg(&whole)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(whole.join("cijfers.csv")).unwrap(),
        std::fs::read(work.path().join("samen/cijfers.csv")).unwrap()
    );
}

#[test]
fn a_merge_cut_short_by_a_full_disk_leaves_no_truncated_pdf() {
    // The parts on another file system than the output, so the PDFs are copied (not
    // linked), and a file size limit in place of a full disk.
    let shm = Path::new("/dev/shm");
    let Ok(parts_dir) = tempfile::tempdir_in(shm) else {
        eprintln!("no /dev/shm here; the copy path is not reached");
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let ps = parts(data.path(), parts_dir.path(), 1, &[]);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("samen");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("wijkmonitor"));
    cmd.arg("--data-dir").arg(data.path()).args(["batch", "merge"]).args(&ps).arg("-o").arg(&out);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit { rlim_cur: 20_000, rlim_max: 20_000 };
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
            Ok(())
        });
    }
    let run = cmd.output().unwrap();
    assert!(!run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for e in std::fs::read_dir(&out).into_iter().flatten().flatten() {
        let p = e.path();
        assert!(
            p.extension().is_none_or(|x| x != "pdf") || wijkmonitor::paths::is_complete_pdf(&p),
            "truncated {}",
            p.display()
        );
        assert!(!e.file_name().to_string_lossy().starts_with(".wijkmonitor-"), "temporary file left");
    }
}

#[test]
fn a_full_disk_is_said_as_a_full_disk() {
    let data = tempfile::tempdir().unwrap();
    // Standard output onto a full device: Dutch words and a hint, not the system's English.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("wijkmonitor"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["table", "GM9990", "--demo", "--format", "csv"])
        .stdout(full)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("de schijf is vol") && err.contains("hint: maak ruimte vrij"), "{err}");
    assert!(!err.contains("No space left"), "{err}");
    // A batch onto a small file system that fills up (where this user may mount one:
    // root, as CI runs): each PDF that does not fit says so under its own name.
    let small = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=400k", "tmpfs"])
        .arg(small.path())
        .status()
        .is_ok_and(|s| s.success());
    if mounted {
        let run = wijkmonitor(data.path())
            .args(["batch", "--demo", "--all-wijken", "--gemeente", "GM9990", "--date", "2026-11-23", "-o"])
            .arg(small.path().join("b"))
            .output()
            .unwrap();
        let _ = std::process::Command::new("umount").arg(small.path()).status();
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{err}");
        assert!(err.contains("-centrum.pdf") || err.contains("de schijf is vol"), "{err}");
        assert!(err.contains("de schijf is vol") && err.contains("maak ruimte vrij"), "{err}");
        assert!(!err.contains("fout in wijkmonitor") && !err.contains(".wijkmonitor-"), "{err}");
    }
    // -o onto the full device (written into, as a device is).
    wijkmonitor(data.path())
        .args(["factsheet", "GM9990", "--demo", "-o", "/dev/full"])
        .assert()
        .failure()
        .stderr(contains("de schijf is vol").and(contains("fout in wijkmonitor").not()));
}
