//! Hostile input, round two, from a server: a download reads within bounds (a gzip
//! bomb, a body of one endless line), waits within one deadline per request and says
//! that it waits, follows a next link only within the table it reads, caches nothing
//! that failed, and names each cause (a redirect loop, bytes that are no UTF-8, a base
//! URL that is no URL) in its own words. The servers are made here, on the loopback
//! address, answer a bounded number of requests and stop by themselves.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::{snapshot_dir, wijkmonitor};
use predicates::prelude::*;
use predicates::str::contains;

/// What the server does with a request for `path`: the bytes to send, and a pause
/// between bytes (the slow server) or none.
type Answer = Box<dyn Fn(&str, u16) -> (Vec<u8>, Option<Duration>) + Send>;

/// Serves `answer` on 127.0.0.1 for at most `requests` requests or 120 s; returns the
/// base URL of the feed.
fn server(requests: usize, answer: Answer) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let start = Instant::now();
        let mut served = 0;
        while served < requests && start.elapsed() < Duration::from_secs(120) {
            let Ok((stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            served += 1;
            stream.set_nonblocking(false).unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (bytes, pause) = answer(&path, port);
            let mut stream = stream;
            match pause {
                None => {
                    let _ = stream.write_all(&bytes);
                }
                Some(p) => {
                    for b in bytes {
                        if stream.write_all(&[b]).is_err() || start.elapsed() > Duration::from_secs(60) {
                            break;
                        }
                        std::thread::sleep(p);
                    }
                }
            }
        }
    });
    format!("http://127.0.0.1:{port}/ODataFeed/odata")
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n", body.len())
        .into_bytes();
    out.extend_from_slice(body);
    out
}

fn download(data: &std::path::Path, base: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    wijkmonitor(data)
        .args([
            "data",
            "download",
            "--tables",
            "86088NED",
            "--zonder-kaarten",
            "--retry-delay",
            "0",
            "--base-url",
            base,
        ])
        .args(extra)
        .timeout(Duration::from_secs(120))
        .assert()
}

/// The files in the download cache (under the data folder).
fn cached(data: &std::path::Path) -> Vec<String> {
    snapshot_dir(data).into_iter().map(|(n, _)| n).filter(|n| n.contains("cache")).collect()
}

#[test]
fn a_gzip_bomb_or_an_endless_line_is_refused_and_never_cached() {
    use flate2::write::GzEncoder;
    // 64 MB of JSON values packed into about 64 kB.
    let mut body = b"{\"value\":[".to_vec();
    body.extend(std::iter::repeat_n(b"0,".as_slice(), 32 << 20).flatten());
    body.extend_from_slice(b"0]}");
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&body).unwrap();
    let packed = gz.finish().unwrap();
    drop(body);
    assert!(packed.len() < 200_000, "{}", packed.len());
    let data = tempfile::tempdir().unwrap();
    let base = server(
        8,
        Box::new(move |_, _| {
            (http("200 OK", "Content-Type: application/json\r\nContent-Encoding: gzip\r\n", &packed), None)
        }),
    );
    download(data.path(), &base, &["--attempts", "2"])
        .failure()
        .stderr(contains("zo groot is geen pagina van CBS").and(contains("hint:")));
    assert!(cached(data.path()).is_empty(), "a refused answer was cached: {:?}", cached(data.path()));
    // One line of 50 MB, plain.
    let line = format!("{{\"value\":[\"{}\"]}}", "x".repeat(50 << 20)).into_bytes();
    let base = server(8, Box::new(move |_, _| (http("200 OK", "Content-Type: application/json\r\n", &line), None)));
    download(data.path(), &base, &["--attempts", "2"]).failure().stderr(contains("groter dan 48 MB"));
    assert!(cached(data.path()).is_empty());
}

#[test]
fn a_slow_server_meets_one_deadline_and_the_user_hears_of_it() {
    let data = tempfile::tempdir().unwrap();
    let body = br#"{"value": [{"Key": "Perioden", "Type": "TimeDimension"}]}"#.to_vec();
    let base = server(
        8,
        Box::new(move |_, _| {
            (http("200 OK", "Content-Type: application/json\r\n", &body), Some(Duration::from_secs(1)))
        }),
    );
    let start = Instant::now();
    download(data.path(), &base, &["--timeout", "8", "--attempts", "4"]).failure().stderr(
        contains("wacht al 5 s op antwoord")
            .and(contains("geen volledig antwoord binnen 8 s"))
            .and(contains("--timeout")),
    );
    // Before: four tries of the full time each.
    assert!(start.elapsed() < Duration::from_secs(30), "{:?}", start.elapsed());
}

#[test]
fn a_next_link_elsewhere_is_not_followed() {
    let data = tempfile::tempdir().unwrap();
    let base = server(
        8,
        Box::new(|path, port| {
            let body = if path.contains("Elders") {
                r#"{"value": [{"Key": "Geheim", "Type": "Topic"}]}"#.to_string()
            } else {
                format!(
                    r#"{{"value": [{{"Key": "Perioden", "Type": "TimeDimension"}}], "odata.nextLink": "http://127.0.0.1:{port}/ODataFeed/odata/86088NED/Elders?$skip=1"}}"#
                )
            };
            (http("200 OK", "Content-Type: application/json\r\n", body.as_bytes()), None)
        }),
    );
    download(data.path(), &base, &[]).failure().stderr(contains("naar een ander adres").and(contains("Elders")));
}

#[test]
fn each_cause_has_its_own_message() {
    let data = tempfile::tempdir().unwrap();
    // A redirect loop.
    let base = server(40, Box::new(|path, _| (http("302 Found", &format!("Location: {path}x\r\n"), b""), None)));
    download(data.path(), &base, &[])
        .failure()
        .stderr(contains("omleidingslus").and(contains("CBS is misschien druk").not()));
    // Bytes that are no UTF-8.
    let base = server(
        8,
        Box::new(|_, _| (http("200 OK", "Content-Type: application/json\r\n", b"{\"value\": [\"\xff\xfe\"]}"), None)),
    );
    download(data.path(), &base, &[])
        .failure()
        .stderr(contains("geen geldige UTF-8").and(contains("CBS is misschien druk").not()));
    // A base URL that is no URL.
    download(data.path(), "http//geen adres", &[])
        .failure()
        .stderr(contains("geen bruikbaar adres").and(contains("CBS is misschien druk").not()));
}
