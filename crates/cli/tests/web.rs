//! The web inputs end to end, against servers on 127.0.0.1 only: a damaged WARC archive
//! ingested record by record, a page and a feed fetched by URL, and `watch --once` run
//! several times without fetching any item twice.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use flate2::Compression;
use flate2::write::GzEncoder;
use sitrep_store::{FeedLog, Store};

fn sitrep(args: &[&str], cwd: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    command.args(args).current_dir(cwd).env_remove("SITREP_DB");
    // Loopback only: no proxy may take the requests elsewhere.
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        command.env_remove(var);
    }
    command.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// --- A tiny HTTP server on loopback ---------------------------------------------------

/// Status, headers and body of an answer.
type Answer = (u16, Vec<(String, String)>, Vec<u8>);

/// Every request's path and `If-None-Match` header.
type RequestLog = Arc<Mutex<Vec<(String, Option<String>)>>>;

struct Server {
    base: String,
    log: RequestLog,
}

impl Server {
    fn start(handler: impl Fn(&str, Option<&str>) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let thread_log = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&thread_log);
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Server { base, log }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn hits(&self, path: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .count()
    }
}

fn serve(
    stream: TcpStream,
    handler: &(dyn Fn(&str, Option<&str>) -> Answer + Send + Sync),
    log: &Mutex<Vec<(String, Option<String>)>>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut etag = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("if-none-match")
        {
            etag = Some(value.trim().to_string());
        }
    }
    log.lock().unwrap().push((path.clone(), etag.clone()));
    let (status, headers, body) = handler(&path, etag.as_deref());
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&body);
}

fn html(body: String) -> Answer {
    (
        200,
        vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        body.into_bytes(),
    )
}

fn not_found() -> Answer {
    (404, Vec::new(), Vec::new())
}

// --- Generated content ------------------------------------------------------------------

const PLACES: [&str; 7] = [
    "Dravik",
    "Port Selva",
    "Marenne",
    "Kostal",
    "Ibrena",
    "Tovar",
    "Lune",
];

/// A news page; every `n` gives a different article.
fn article_page(n: usize) -> String {
    let place = PLACES[n % PLACES.len()];
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Report {n} from {place} | Test Wire</title></head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article>\
         <h1>Report {n} from {place}</h1>\
         <p>Officials in {place} said on Tuesday that {count} families had returned to their homes \
         after the flooding of the river valley, report number {n} of the series.</p>\
         <p>Relief workers distributed {kits} kits of food and medicine in the northern districts, \
         a spokesperson for the regional council told reporters.</p>\
         <p>The council expects to reopen {schools} schools in {place} before the end of the month.</p>\
         </article><footer>© Test Wire</footer></body></html>",
        count = 40 + n * 3,
        kits = 100 + n * 11,
        schools = 1 + n % 9,
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn warc_record(warc_type: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2026-03-05T10:00:00Z\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn warc_response(n: usize) -> Vec<u8> {
    let page = article_page(n);
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{page}");
    warc_record(
        "response",
        &format!("https://wire.example/story/{n}"),
        block.as_bytes(),
    )
}

#[test]
fn ingest_a_damaged_warc_gz_stores_every_good_record_and_reports_each_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let records = 1_000;
    let mut members: Vec<Vec<u8>> = (1..=records).map(|n| gzip(&warc_response(n))).collect();
    // Damage: bytes flipped inside the compressed data, a wrong CRC, a broken magic number,
    // and the last member cut in half.
    let flipped = [3usize, 250, 251, 777];
    for &n in &flipped {
        let member = &mut members[n - 1];
        let mid = 10 + (member.len() - 18) / 2;
        for b in &mut member[mid..mid + 3] {
            *b ^= 0xFF;
        }
    }
    let len = members[499].len();
    members[499][len - 6] ^= 0x55;
    members[899][1] = 0;
    let last = members[records - 1].len();
    let mut bytes = members.concat();
    bytes.truncate(bytes.len() - last / 2);
    // Request records around the responses are passed over, not reported.
    let mut file = gzip(&warc_record("warcinfo", "", b"software: sitrep test\r\n"));
    file.extend(gzip(&warc_record(
        "request",
        "https://wire.example/",
        b"GET / HTTP/1.1\r\n\r\n",
    )));
    file.extend(bytes);
    let path = dir.path().join("crawl.warc.gz");
    std::fs::write(&path, &file).unwrap();

    let db = dir.path().join("warc.db");
    let out = sitrep(
        &[
            "ingest",
            path.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--quiet",
        ],
        dir.path(),
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    // Record numbers count the two leading records.
    let mut bad: Vec<usize> = flipped.iter().map(|n| n + 2).collect();
    bad.extend([500 + 2, 900 + 2, records + 2]);
    bad.sort();
    for n in &bad {
        assert!(
            err.contains(&format!("crawl.warc.gz#record-{n}: at byte ")),
            "record {n} not reported:\n{err}"
        );
    }
    let reported = err.matches("sitrep: skipped").count();
    assert_eq!(reported, bad.len(), "{err}");
    assert!(err.contains("1 WARC request records"), "{err}");
    assert!(err.contains("1 WARC warcinfo records"), "{err}");

    let store = sitrep_store::open(&db).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.documents, (records - bad.len()) as u64);
    let one = store
        .list(&sitrep_store::DocQuery {
            search: Some("\"report number 42 of the series\"".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].source, format!("{}#record-44", path.display()));
    let doc = store.get(&one[0].id).unwrap();
    assert_eq!(doc.url.as_deref(), Some("https://wire.example/story/42"));
    assert_eq!(doc.title.as_deref(), Some("Report 42 from Dravik"));
    assert!(
        doc.text.starts_with("Officials in Dravik said"),
        "{}",
        doc.text
    );
    assert_eq!(
        doc.published, None,
        "the crawl date is not a publication date"
    );
}

#[test]
fn extract_and_ingest_urls_and_feeds_from_a_local_server() {
    let server = Server::start(|path, _| match path {
        "/story/1" => html(article_page(1)),
        "/story/2" => html(article_page(2)),
        "/old" => (
            301,
            vec![("Location".into(), "/story/1".into())],
            Vec::new(),
        ),
        "/feed.xml" => (
            200,
            vec![("Content-Type".into(), "application/rss+xml".into())],
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test Wire</title>\
             <item><title>Report 2</title><link>/story/2</link><guid>tw-2</guid>\
             <pubDate>Wed, 04 Mar 2026 08:00:00 +0000</pubDate></item>\
             </channel></rss>"
                .as_bytes()
                .to_vec(),
        ),
        _ => not_found(),
    });
    let dir = tempfile::tempdir().unwrap();
    let out = sitrep(
        &[
            "extract",
            &server.url("/old"),
            "--host-delay",
            "0s",
            "--format",
            "jsonl",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["url"], server.url("/story/1"));
    assert_eq!(doc["source"], server.url("/old"));
    assert_eq!(doc["title"], "Report 1 from Port Selva");

    let db = dir.path().join("web.db");
    let out = sitrep(
        &[
            "ingest",
            &server.url("/story/1"),
            &server.url("/missing"),
            "--feed",
            &server.url("/feed.xml"),
            "--db",
            db.to_str().unwrap(),
            "--host-delay",
            "0s",
            "--quiet",
        ],
        dir.path(),
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains(&format!("{}: HTTP 404", server.url("/missing"))),
        "{err}"
    );
    let store = sitrep_store::open(&db).unwrap();
    assert_eq!(store.stats().unwrap().documents, 2);
    let id = store
        .doc_id_for_source(&server.url("/story/2"))
        .unwrap()
        .expect("the feed item's page is stored");
    let doc = store.get(&id).unwrap();
    assert_eq!(doc.site.as_deref(), Some("Test Wire"));
    assert_eq!(
        doc.published.map(|d| d.to_string()).as_deref(),
        Some("2026-03-04")
    );

    // Offline is the default for libraries, not for the CLI; a bad --input is refused.
    let out = sitrep(&["extract", "x.txt", "--input", "pdf"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn watch_once_never_fetches_the_same_item_twice() {
    // The feed grows by one item when `version` is bumped; it answers 304 to its own ETag.
    let version = Arc::new(AtomicUsize::new(1));
    let feed_version = Arc::clone(&version);
    let server = Server::start(move |path, if_none_match| {
        let v = feed_version.load(Ordering::SeqCst);
        match path {
            "/feed.xml" => {
                let etag = format!("\"v{v}\"");
                if if_none_match == Some(etag.as_str()) {
                    return (304, vec![("ETag".into(), etag)], Vec::new());
                }
                let full_text = format!(
                    "<p>{}</p>",
                    "The harbour authority said the port would reopen to cargo ships on \
                     Friday after two weeks of repairs to the northern quay. "
                        .repeat(5)
                );
                let mut items = format!(
                    "<item><title>Report 1</title><link>/story/1</link><guid>g1</guid></item>\
                     <item><title>Report 2</title><link>/story/2</link><guid>g2</guid></item>\
                     <item><title>Harbour reopens</title><link>/story/full</link><guid>g-full</guid>\
                     <description><![CDATA[{full_text}]]></description></item>"
                );
                if v >= 2 {
                    items.push_str(
                        "<item><title>Report 3</title><link>/story/3</link><guid>g3</guid></item>",
                    );
                }
                (
                    200,
                    vec![
                        ("Content-Type".into(), "application/rss+xml".into()),
                        ("ETag".into(), etag),
                    ],
                    format!(
                        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>\
                         <title>Test Wire</title>{items}</channel></rss>"
                    )
                    .into_bytes(),
                )
            }
            "/story/1" => html(article_page(1)),
            "/story/2" => html(article_page(2)),
            "/story/3" => html(article_page(3)),
            _ => not_found(),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("feeds.txt");
    std::fs::write(
        &list,
        format!("# test feeds\n{}\n", server.url("/feed.xml")),
    )
    .unwrap();
    let db = dir.path().join("watch.db");
    let watch = || {
        sitrep(
            &[
                "watch",
                list.to_str().unwrap(),
                "--once",
                "--db",
                db.to_str().unwrap(),
                "--host-delay",
                "0s",
            ],
            dir.path(),
        )
    };
    let first = watch();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("3 new items, 3 stored"),
        "{}",
        stderr(&first)
    );
    let second = watch();
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("not modified"),
        "{}",
        stderr(&second)
    );
    version.store(2, Ordering::SeqCst);
    let third = watch();
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(
        stderr(&third).contains("1 new items, 1 stored"),
        "{}",
        stderr(&third)
    );
    let fourth = watch();
    assert!(
        stderr(&fourth).contains("not modified"),
        "{}",
        stderr(&fourth)
    );

    for page in ["/story/1", "/story/2", "/story/3"] {
        assert_eq!(server.hits(page), 1, "{page} fetched more than once");
    }
    assert_eq!(
        server.hits("/story/full"),
        0,
        "an item with its article is not fetched"
    );
    assert_eq!(server.hits("/feed.xml"), 4);
    let conditional: Vec<Option<String>> = server
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p == "/feed.xml")
        .map(|(_, etag)| etag.clone())
        .collect();
    assert_eq!(
        conditional,
        [
            None,
            Some("\"v1\"".to_string()),
            Some("\"v1\"".to_string()),
            Some("\"v2\"".to_string())
        ]
    );
    let store = sitrep_store::open(&db).unwrap();
    assert_eq!(store.stats().unwrap().documents, 4);
    assert_eq!(
        store.feed_item_counts(&server.url("/feed.xml")).unwrap(),
        (4, 4)
    );
}

#[test]
fn watch_stops_cleanly_on_ctrl_c_between_rounds() {
    use std::process::Stdio;
    let server = Server::start(|path, _| {
        match path {
        "/feed.xml" => (
            200,
            vec![("Content-Type".into(), "application/rss+xml".into())],
            b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Quiet</title></channel></rss>"
                .to_vec(),
        ),
        _ => not_found(),
    }
    });
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("feeds.txt");
    std::fs::write(&list, server.url("/feed.xml")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["watch", list.to_str().unwrap(), "--every", "1h", "--db"])
        .arg(dir.path().join("w.db"))
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first round to finish, then interrupt during the hour-long pause.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let round = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.starts_with("round:"))
        .expect("a first round");
    assert!(round.contains("1 feeds polled"), "{round}");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = std::time::Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "watch did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(exit.code(), Some(0));
    assert_eq!(server.hits("/feed.xml"), 1);
}

// --- One pipeline for every front end ---------------------------------------------------

/// The team's syndication fixtures (crates/link): an original, two edited copies of it and an
/// article on another story.
fn syndication(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../link/tests/fixtures/syndication");
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// Every line of JSON Lines output, as JSON values.
fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", stderr(out));
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `extract`, `ingest` + `export`, and `watch --once` of a loopback JSON Feed carrying the
/// same articles give the same documents, field for field (the `source` names the input,
/// so it differs for the feed), near-duplicate links and the entity layer included.
#[test]
fn extract_ingest_and_watch_give_the_same_documents() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let articles = [
        ("original.txt", "2026-03-05"),
        ("other-follow-up.txt", "2026-03-06"),
        ("copy-edited.txt", "2026-03-06"),
        ("copy-trimmed.txt", "2026-03-07"),
    ];
    let records: Vec<serde_json::Value> = articles
        .iter()
        .enumerate()
        .map(|(i, (name, date))| {
            serde_json::json!({
                "title": format!("Floods in Oskel, report {i}"),
                "url": format!("https://wire.example/oskel/{i}"),
                "site": "Wire Example",
                "published": date,
                "text": syndication(name),
            })
        })
        .collect();
    let jsonl: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(cwd.join("wire.jsonl"), jsonl).unwrap();
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Wire Example",
        "items": records.iter().map(|r| serde_json::json!({
            "id": r["url"],
            "url": r["url"],
            "title": r["title"],
            "date_published": format!("{}T09:00:00Z", r["published"].as_str().unwrap()),
            "content_text": r["text"],
        })).collect::<Vec<_>>(),
    });
    let feed = feed.to_string().into_bytes();
    let server = Server::start(move |path, _| match path {
        "/feed.json" => (
            200,
            vec![("Content-Type".into(), "application/feed+json".into())],
            feed.clone(),
        ),
        _ => not_found(),
    });
    std::fs::write(cwd.join("feeds.txt"), server.url("/feed.json")).unwrap();

    let extracted = json_lines(&sitrep(
        &["extract", "wire.jsonl", "--format", "jsonl"],
        cwd,
    ));
    let out = sitrep(&["ingest", "wire.jsonl", "--db", "a.db", "--quiet"], cwd);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = json_lines(&sitrep(&["export", "--db", "a.db"], cwd));
    let out = sitrep(
        &["watch", "feeds.txt", "--once", "--db", "b.db", "--quiet"],
        cwd,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let watched = json_lines(&sitrep(&["export", "--db", "b.db"], cwd));

    assert_eq!(extracted.len(), articles.len());
    assert_eq!(extracted, exported);
    assert_eq!(watched.len(), extracted.len());
    for (from_feed, from_file) in watched.iter().zip(&extracted) {
        let (mut a, mut b) = (from_feed.clone(), from_file.clone());
        assert_ne!(a["source"], b["source"]);
        a["source"] = serde_json::Value::Null;
        b["source"] = serde_json::Value::Null;
        assert_eq!(a, b);
    }
    // The copies point at the original; the other story stands alone; the parse and the
    // entities came with every front end.
    let original = extracted[0]["id"].clone();
    assert_eq!(extracted[0]["duplicate_of"], serde_json::Value::Null);
    assert_eq!(extracted[1]["duplicate_of"], serde_json::Value::Null);
    assert_eq!(extracted[2]["duplicate_of"], original);
    assert_eq!(extracted[3]["duplicate_of"], original);
    assert!(
        extracted
            .iter()
            .all(|d| !d["entities"].as_array().unwrap().is_empty())
    );
}
