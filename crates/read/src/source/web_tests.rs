//! Input detection for the web formats (WARC, gzip, feeds, URLs) and `--input`.

use std::fs;
use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use flate2::Compression;
use flate2::write::GzEncoder;
use sitrep_model::Problem;

use super::*;
use crate::fetch::{FetchOptions, Fetcher};
use crate::raw::RawDoc;
use crate::test_server::{Reply, TestServer};

const PAGE: &str = "<!DOCTYPE html><html><body><article><p>Talks resumed in the capital on \
    Tuesday, officials said.</p></article></body></html>";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn warc_response(uri: &str, content_type: &str, body: &str) -> Vec<u8> {
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n{body}");
    format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    )
    .into_bytes()
}

fn warc_request(uri: &str) -> Vec<u8> {
    let block = "GET / HTTP/1.1\r\n\r\n";
    format!(
        "WARC/1.1\r\nWARC-Type: request\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    )
    .into_bytes()
}

fn rss(item_link: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Wire</title>\
         <item><title>One</title><link>{item_link}</link><guid>w-1</guid>\
         <pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item></channel></rss>"
    )
}

fn collect(inputs: impl Iterator<Item = Result<RawDoc, Problem>>) -> (Vec<RawDoc>, Vec<Problem>) {
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for item in inputs {
        match item {
            Ok(doc) => docs.push(doc),
            Err(problem) => problems.push(problem),
        }
    }
    (docs, problems)
}

fn with_kind(kind: Option<InputKind>) -> ReadOptions {
    ReadOptions {
        input: kind,
        ..ReadOptions::default()
    }
}

fn fetching() -> ReadOptions {
    ReadOptions {
        fetcher: Some(Fetcher::new(FetchOptions {
            host_delay: Duration::ZERO,
            use_env_proxy: false,
            read_timeout: Duration::from_secs(2),
            ..FetchOptions::default()
        })),
        ..ReadOptions::default()
    }
}

#[test]
fn warc_files_compressed_or_not_are_found_by_name_and_content() {
    let dir = tempfile::tempdir().unwrap();
    let mut plain = warc_request("https://a.example/1");
    plain.extend(warc_response("https://a.example/1", "text/html", PAGE));
    fs::write(dir.path().join("a.warc"), &plain).unwrap();
    // No telling extension: found by its first line, and inside gzip by the decompressed one.
    fs::write(dir.path().join("b.dat"), &plain).unwrap();
    let members: Vec<u8> = [
        warc_request("https://c.example/"),
        warc_response("https://c.example/", "text/html", PAGE),
    ]
    .iter()
    .flat_map(|record| gzip(record))
    .collect();
    fs::write(dir.path().join("c.warc.gz"), &members).unwrap();
    fs::write(dir.path().join("d.gz"), &members).unwrap();
    let mut inputs = read_inputs(&[dir.path().to_path_buf()], &ReadOptions::default());
    let (docs, problems) = collect(inputs.by_ref());
    assert!(problems.is_empty(), "{problems:?}");
    let sources: Vec<String> = docs
        .iter()
        .map(|d| d.source.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(
        sources,
        [
            "a.warc#record-2",
            "b.dat#record-2",
            "c.warc.gz#record-2",
            "d.gz#record-2"
        ]
    );
    assert!(docs.iter().all(|d| d.html.as_deref() == Some(PAGE)));
    assert_eq!(inputs.passed_over().get("WARC request records"), Some(&4));
}

#[test]
fn gzipped_json_lines_and_html_are_read_as_what_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("batch.jsonl.gz");
    fs::write(
        &jsonl,
        gzip(b"{\"text\": \"Talks resumed.\"}\n{\"text\": \"Aid arrived.\"}\n"),
    )
    .unwrap();
    let html = dir.path().join("page.gz");
    fs::write(&html, gzip(PAGE.as_bytes())).unwrap();
    let broken = dir.path().join("broken.txt.gz");
    fs::write(&broken, b"\x1f\x8bnot really gzip").unwrap();
    let (docs, problems) = collect(read_inputs(
        &[jsonl.clone(), html, broken],
        &ReadOptions::default(),
    ));
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].source, format!("{}:1", jsonl.display()));
    assert_eq!(docs[1].text.as_deref(), Some("Aid arrived."));
    assert_eq!(docs[2].html.as_deref(), Some(PAGE));
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].reason.starts_with("cannot read"),
        "{}",
        problems[0]
    );
}

#[test]
fn feed_files_are_found_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let long = "Officials said the talks would resume next week in the capital. ".repeat(10);
    let rss_path = dir.path().join("wire.xml");
    fs::write(
        &rss_path,
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><item>\
             <title>One</title><link>https://wire.example/1</link><description>{long}</description>\
             </item></channel></rss>"
        ),
    )
    .unwrap();
    let json_path = dir.path().join("notes.json");
    fs::write(
        &json_path,
        serde_json::json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Notes",
            "items": [{"id": "n1", "content_text": long, "title": "Note"}]
        })
        .to_string(),
    )
    .unwrap();
    let (docs, problems) = collect(read_inputs(&[rss_path, json_path], &ReadOptions::default()));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].site.as_deref(), Some("Wire"));
    assert_eq!(docs[0].source, "https://wire.example/1");
    assert!(
        docs[0]
            .html
            .as_deref()
            .unwrap()
            .contains("talks would resume")
    );
    assert_eq!(docs[1].title.as_deref(), Some("Note"));
    assert!(
        docs[1]
            .text
            .as_deref()
            .unwrap()
            .starts_with("Officials said")
    );
}

#[test]
fn input_kind_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("page.txt");
    fs::write(&txt, PAGE).unwrap();
    let html = dir.path().join("story.html");
    fs::write(&html, "Plain words in an .html file.").unwrap();
    let (docs, _) = collect(read_inputs(
        std::slice::from_ref(&txt),
        &with_kind(Some(InputKind::Html)),
    ));
    assert_eq!(docs[0].html.as_deref(), Some(PAGE));
    let (docs, _) = collect(read_inputs(
        std::slice::from_ref(&html),
        &with_kind(Some(InputKind::Text)),
    ));
    assert_eq!(
        docs[0].text.as_deref(),
        Some("Plain words in an .html file.")
    );
    // Detected without the override: the .txt page is HTML by content.
    let (docs, _) = collect(read_inputs(
        std::slice::from_ref(&txt),
        &ReadOptions::default(),
    ));
    assert!(docs[0].html.is_some());
    // A WARC forced on a text file is a problem about WARC, not a text document.
    let (docs, problems) = collect(read_inputs(&[html], &with_kind(Some(InputKind::Warc))));
    assert!(docs.is_empty());
    assert!(
        problems[0].reason.contains("not a WARC record"),
        "{:?}",
        problems[0]
    );
    let (docs, problems) = collect(read_inputs(&[txt], &with_kind(Some(InputKind::Feed))));
    assert!(docs.is_empty());
    assert!(problems[0].reason.contains("not a readable feed"));
    let (docs, _) = collect(Inputs::from_reader(
        "-",
        Cursor::new(b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n".to_vec()),
        &with_kind(Some(InputKind::JsonLines)),
    ));
    assert_eq!(docs.len(), 2);
}

#[test]
fn a_compressed_warc_on_a_stream_is_read_too() {
    let bytes: Vec<u8> = (1..=3)
        .flat_map(|n| {
            gzip(&warc_response(
                &format!("https://s.example/{n}"),
                "text/html",
                PAGE,
            ))
        })
        .collect();
    let (docs, problems) = collect(Inputs::from_reader(
        "-",
        Cursor::new(bytes),
        &ReadOptions::default(),
    ));
    assert!(problems.is_empty());
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[2].source, "-#record-3");
}

#[test]
fn urls_need_a_fetcher() {
    let (docs, problems) = collect(read_inputs(
        &[PathBuf::from("https://news.example/story")],
        &ReadOptions::default(),
    ));
    assert!(docs.is_empty());
    assert_eq!(problems[0].source, "https://news.example/story");
    assert_eq!(problems[0].reason, "is a URL, and fetching is off");
}

#[test]
fn urls_are_fetched_and_read_as_pages_feeds_or_problems() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/story" => Reply::ok(
            "text/html; charset=windows-1252",
            &b"<html><body><p>Caf\xe9 owners\x92 protest</p></body></html>"[..],
        ),
        "/feed" => Reply::ok("application/rss+xml", rss("/story")),
        "/plain" => Reply::ok("text/plain; charset=utf-8", "Talks resumed."),
        "/doc.pdf" => Reply::ok("application/pdf", "%PDF-1.7"),
        _ => Reply::status(404),
    });
    let urls: Vec<PathBuf> = ["/story", "/feed", "/plain", "/doc.pdf", "/gone"]
        .iter()
        .map(|p| PathBuf::from(server.url(p)))
        .collect();
    let items: Vec<_> = read_inputs(&urls, &fetching()).collect();
    assert_eq!(items.len(), 5);
    let page = items[0].as_ref().unwrap();
    assert_eq!(page.source, server.url("/story"));
    assert_eq!(page.url.as_deref(), Some(server.url("/story").as_str()));
    assert_eq!(page.encoding, "windows-1252");
    assert!(
        page.html
            .as_deref()
            .unwrap()
            .contains("Café owners’ protest")
    );
    // The feed's only item is a link (relative, resolved against the feed's URL): fetched.
    let item = items[1].as_ref().unwrap();
    assert_eq!(item.title.as_deref(), Some("One"));
    assert_eq!(item.site.as_deref(), Some("Wire"));
    assert_eq!(item.url.as_deref(), Some(server.url("/story").as_str()));
    assert_eq!(item.published, NaiveDate::from_ymd_opt(2026, 3, 2));
    assert!(item.html.is_some());
    assert_eq!(
        items[2].as_ref().unwrap().text.as_deref(),
        Some("Talks resumed.")
    );
    let pdf = items[3].as_ref().unwrap_err();
    assert_eq!(
        pdf.reason,
        "not an HTML page or a feed (Content-Type application/pdf)"
    );
    let gone = items[4].as_ref().unwrap_err();
    assert_eq!(
        gone.to_string(),
        format!("{}: HTTP 404", server.url("/gone"))
    );
    assert_eq!(server.hits("/story"), 2);
}

#[cfg(unix)]
#[test]
fn a_pipe_named_as_a_path_is_read_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this system: nothing to test
    }
    let bytes: Vec<u8> = (1..=2)
        .flat_map(|n| {
            gzip(&warc_response(
                &format!("https://p.example/{n}"),
                "text/html",
                PAGE,
            ))
        })
        .collect();
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || fs::write(writer_path, bytes).unwrap());
    let (docs, problems) = collect(read_inputs(&[fifo], &ReadOptions::default()));
    writer.join().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(docs.len(), 2);
    assert!(docs[0].source.ends_with("pipe#record-1"));
}

#[test]
fn inputs_can_move_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Inputs>();
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.warc"),
        warc_response("https://a.example/", "text/html", PAGE),
    )
    .unwrap();
    let inputs = read_inputs(&[dir.path().to_path_buf()], &fetching());
    let docs = std::thread::spawn(move || inputs.count()).join().unwrap();
    assert_eq!(docs, 1);
}
