use std::io::{Cursor, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;

use super::*;

mod arc_files;
mod damage;
mod limits;

fn record(warc_type: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2026-03-05T10:00:00Z\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn response(uri: &str, status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    record(
        "response",
        uri,
        "application/http; msgtype=response",
        &http(status, &[("Content-Type", content_type)], body),
    )
}

/// A generated news page; `n` makes every page different.
fn article(n: usize) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Story {n}</title></head><body>\
         <nav><a href=\"/\">Home</a></nav><article><h1>Story {n}: talks resume</h1>\
         <p>Delegations met for round {n} of talks in the capital on Tuesday, officials said.</p>\
         <p>About {} people attended, according to the organisers of meeting {n}.</p>\
         </article></body></html>",
        100 + n * 7
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn read_all(bytes: Vec<u8>, gzip: bool, seekable: bool) -> (Vec<RawDoc>, Vec<Problem>, PassedOver) {
    let source = if seekable {
        WarcSource::Seekable(Box::new(Cursor::new(bytes)))
    } else {
        WarcSource::Stream(Box::new(Cursor::new(bytes)))
    };
    let mut records = read_warc("crawl.warc.gz", source, gzip, 1_000_000);
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for item in records.by_ref() {
        match item {
            Ok(doc) => docs.push(doc),
            Err(problem) => problems.push(problem),
        }
    }
    (docs, problems, records.passed_over().clone())
}

#[test]
fn takes_html_responses_and_counts_everything_else() {
    let mut warc = record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: test\r\n",
    );
    warc.extend(record(
        "request",
        "https://news.example/a",
        "application/http; msgtype=request",
        b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n",
    ));
    warc.extend(response(
        "<https://news.example/a>",
        "200 OK",
        "text/html; charset=utf-8",
        article(1).as_bytes(),
    ));
    warc.extend(response(
        "https://news.example/logo.png",
        "200 OK",
        "image/png",
        b"\x89PNG....",
    ));
    warc.extend(response(
        "https://news.example/old",
        "301 Moved Permanently",
        "text/html",
        b"<html>moved</html>",
    ));
    warc.extend(response(
        "https://news.example/missing",
        "404 Not Found",
        "text/html",
        b"<html>not found</html>",
    ));
    warc.extend(record(
        "metadata",
        "https://news.example/a",
        "application/warc-fields",
        b"fetchTimeMs: 12\r\n",
    ));
    warc.extend(record(
        "resource",
        "https://news.example/b",
        "text/html",
        article(2).as_bytes(),
    ));
    let (docs, problems, passed) = read_all(warc, false, true);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].source, "crawl.warc.gz#record-3");
    assert_eq!(docs[0].url.as_deref(), Some("https://news.example/a"));
    assert_eq!(docs[0].html.as_deref(), Some(article(1).as_str()));
    assert_eq!(docs[0].published, None, "WARC-Date is the crawl date");
    assert_eq!(docs[0].encoding, "UTF-8");
    assert_eq!(docs[1].source, "crawl.warc.gz#record-8");
    let expected: PassedOver = [
        ("WARC warcinfo records", 1),
        ("WARC request records", 1),
        ("WARC metadata records", 1),
        ("non-HTML responses", 1),
        ("redirects (HTTP 3xx)", 1),
        ("error pages (HTTP 4xx/5xx)", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(passed, expected);
}

#[test]
fn charset_from_the_http_header_then_meta_then_fallback() {
    // "Мир" in Windows-1251, "łódź" in ISO-8859-2.
    let mut warc = response(
        "https://a.example/1",
        "200 OK",
        "text/html; charset=windows-1251",
        b"<html><p>\xcc\xe8\xf0</p></html>",
    );
    warc.extend(response(
        "https://a.example/2",
        "200 OK",
        "text/html",
        b"<html><head><meta charset=\"iso-8859-2\"></head><p>\xb3\xf3d\xbc</p></html>",
    ));
    warc.extend(response(
        "https://a.example/3",
        "200 OK",
        "text/html",
        b"<html><p>caf\xe9</p></html>",
    ));
    let (docs, problems, _) = read_all(warc, false, true);
    assert!(problems.is_empty());
    assert_eq!(docs[0].html.as_deref(), Some("<html><p>Мир</p></html>"));
    assert_eq!(docs[0].encoding, "windows-1251");
    assert!(docs[1].html.as_deref().unwrap().contains("łódź"));
    assert_eq!(docs[1].encoding, "ISO-8859-2");
    assert!(docs[2].html.as_deref().unwrap().contains("café"));
    assert_eq!(docs[2].encoding, "windows-1252");
}

#[test]
fn chunked_and_gzip_encoded_payloads_are_decoded() {
    let page = article(3);
    let chunked = format!(
        "{:x}\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n",
        10,
        &page[..10],
        page.len() - 10,
        &page[10..]
    );
    let mut warc = record(
        "response",
        "https://a.example/chunked",
        "application/http",
        &http(
            "200 OK",
            &[
                ("Content-Type", "text/html"),
                ("Transfer-Encoding", "chunked"),
            ],
            chunked.as_bytes(),
        ),
    );
    warc.extend(record(
        "response",
        "https://a.example/gz",
        "application/http",
        &http(
            "200 OK",
            &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            &gzip(page.as_bytes()),
        ),
    ));
    // Stored decoded with the header kept (as Common Crawl does): taken as it is.
    warc.extend(record(
        "response",
        "https://a.example/kept",
        "application/http",
        &http(
            "200 OK",
            &[("Content-Type", "text/html"), ("Content-Encoding", "br")],
            page.as_bytes(),
        ),
    ));
    let (docs, problems, _) = read_all(warc, false, true);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(docs.len(), 3);
    for doc in &docs {
        assert_eq!(doc.html.as_deref(), Some(page.as_str()), "{}", doc.source);
    }
}

#[test]
fn a_page_over_the_cap_is_a_problem_and_reading_goes_on() {
    let big = format!("<html><p>{}</p></html>", "x".repeat(2_000));
    let mut warc = response(
        "https://a.example/big",
        "200 OK",
        "text/html",
        big.as_bytes(),
    );
    warc.extend(response(
        "https://a.example/ok",
        "200 OK",
        "text/html",
        article(4).as_bytes(),
    ));
    let records = read_warc(
        "w.warc",
        WarcSource::Stream(Box::new(Cursor::new(warc))),
        false,
        1_000,
    );
    let items: Vec<_> = records.collect();
    assert_eq!(items.len(), 2);
    let problem = items[0].as_ref().unwrap_err();
    assert_eq!(problem.source, "w.warc#record-1");
    assert!(problem.reason.contains("over the 1000 bytes"), "{problem}");
    assert_eq!(
        items[1].as_ref().unwrap().url.as_deref(),
        Some("https://a.example/ok")
    );
}

#[test]
fn plain_warc_truncated_record_is_reported_with_its_offset() {
    let first = response(
        "https://a.example/1",
        "200 OK",
        "text/html",
        article(1).as_bytes(),
    );
    let second = response(
        "https://a.example/2",
        "200 OK",
        "text/html",
        article(2).as_bytes(),
    );
    let mut warc = first.clone();
    warc.extend_from_slice(&second[..second.len() - 100]);
    let (docs, problems, _) = read_all(warc, false, true);
    assert_eq!(docs.len(), 1);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].source, "crawl.warc.gz#record-2");
    assert!(
        problems[0]
            .reason
            .starts_with(&format!("at byte {}: record is truncated", first.len())),
        "{}",
        problems[0]
    );
}

#[test]
fn garbage_between_records_is_one_problem_then_reading_resumes() {
    let mut warc = response(
        "https://a.example/1",
        "200 OK",
        "text/html",
        article(1).as_bytes(),
    );
    warc.extend_from_slice(b"some stray bytes\r\nmore junk\r\n\r\n");
    warc.extend(response(
        "https://a.example/2",
        "200 OK",
        "text/html",
        article(2).as_bytes(),
    ));
    let mut no_length = b"WARC/1.0\r\nWARC-Type: response\r\n\r\n".to_vec();
    no_length.extend(response(
        "https://a.example/3",
        "200 OK",
        "text/html",
        article(3).as_bytes(),
    ));
    warc.extend(no_length);
    let (docs, problems, _) = read_all(warc, false, true);
    let urls: Vec<_> = docs.iter().map(|d| d.url.clone().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "https://a.example/1",
            "https://a.example/2",
            "https://a.example/3"
        ]
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].reason.contains("not a WARC record"));
    assert!(problems[1].reason.contains("Content-Length"));
}

#[test]
fn a_whole_file_gzip_member_is_read_record_by_record() {
    let mut plain = Vec::new();
    for n in 0..50 {
        plain.extend(response(
            &format!("https://a.example/{n}"),
            "200 OK",
            "text/html",
            article(n).as_bytes(),
        ));
    }
    let (docs, problems, _) = read_all(gzip(&plain), true, false);
    assert!(problems.is_empty());
    assert_eq!(docs.len(), 50);
    assert_eq!(docs[49].url.as_deref(), Some("https://a.example/49"));
}

/// 1,000 records, one gzip member each, like a Common Crawl News file.
fn members(count: usize) -> Vec<Vec<u8>> {
    (1..=count)
        .map(|n| {
            gzip(&response(
                &format!("https://news.example/story/{n}"),
                "200 OK",
                "text/html; charset=utf-8",
                article(n).as_bytes(),
            ))
        })
        .collect()
}

/// Flips bytes in the middle of a member's compressed data (past the 10-byte header, before
/// the 8-byte trailer).
fn flip_middle(member: &mut [u8]) {
    let mid = 10 + (member.len() - 18) / 2;
    for b in &mut member[mid..mid + 3] {
        *b ^= 0xFF;
    }
}

#[test]
fn thousand_members_with_damage_every_good_record_read_every_bad_one_reported() {
    let mut members = members(1_000);
    let flipped = [7usize, 123, 500, 501, 876];
    for &n in &flipped {
        flip_middle(&mut members[n - 1]);
    }
    // A wrong CRC in the trailer, and a broken magic number.
    let crc_member = 333;
    let len = members[crc_member - 1].len();
    members[crc_member - 1][len - 6] ^= 0x55;
    let magic_member = 640;
    members[magic_member - 1][1] = 0x00;
    let mut file: Vec<u8> = members.concat();
    // Truncate the last member.
    let last = members[999].len();
    file.truncate(file.len() - last / 2);
    let mut bad: Vec<usize> = flipped.to_vec();
    bad.extend([crc_member, magic_member, 1_000]);
    bad.sort();

    for seekable in [true, false] {
        let (docs, problems, _) = read_all(file.clone(), true, seekable);
        let bad_seen: Vec<usize> = problems
            .iter()
            .map(|p| {
                p.source
                    .strip_prefix("crawl.warc.gz#record-")
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        assert_eq!(bad_seen, bad, "seekable {seekable}: {problems:#?}");
        assert_eq!(docs.len(), 1_000 - bad.len(), "seekable {seekable}");
        for doc in &docs {
            let n: usize = doc
                .source
                .strip_prefix("crawl.warc.gz#record-")
                .unwrap()
                .parse()
                .unwrap();
            assert!(!bad.contains(&n));
            assert_eq!(
                doc.url.as_deref(),
                Some(format!("https://news.example/story/{n}").as_str())
            );
            assert_eq!(doc.html.as_deref(), Some(article(n).as_str()));
        }
        // Offsets are those of the members, as an index would give them.
        let offset_of = |n: usize| members[..n - 1].iter().map(Vec::len).sum::<usize>();
        let seven = &problems[0];
        assert!(
            seven
                .reason
                .starts_with(&format!("at byte {}: gzip member", offset_of(7))),
            "{seven}"
        );
        assert!(problems.last().unwrap().reason.contains("truncated"));
    }
}

#[test]
fn empty_and_non_gzip_inputs_end_cleanly() {
    let (docs, problems, _) = read_all(Vec::new(), true, true);
    assert!(docs.is_empty() && problems.is_empty());
    let (docs, problems, _) = read_all(b"WARC/1.0\r\n".to_vec(), false, true);
    assert!(docs.is_empty());
    assert_eq!(problems.len(), 1);
    let (docs, problems, _) = read_all(b"plain text, not gzip".to_vec(), true, false);
    assert!(docs.is_empty());
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].reason.contains("not a gzip member"),
        "{:?}",
        problems[0]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096), gz in any::<bool>(), seekable in any::<bool>()) {
        let (docs, problems, _) = read_all(bytes, gz, seekable);
        prop_assert!(docs.len() + problems.len() < 10_000);
    }

    #[test]
    fn damaged_archives_never_panic(cuts in proptest::collection::vec((0usize..4000, any::<u8>()), 1..8), truncate in 0usize..4000) {
        let mut file: Vec<u8> = members(4).concat();
        for (at, byte) in cuts {
            let at = at % file.len();
            file[at] = byte;
        }
        file.truncate(file.len().saturating_sub(truncate % 200));
        let (docs, problems, _) = read_all(file.clone(), true, true);
        prop_assert!(docs.len() <= 4);
        prop_assert!(problems.len() <= file.len());
        let (docs, _, _) = read_all(file, false, false);
        prop_assert!(docs.len() <= 4);
    }
}
