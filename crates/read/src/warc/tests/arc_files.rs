//! ARC files: version 1 and 2 headers, plain and gzip per record, damage, and how they are
//! told apart from other inputs.

use std::fs;

use super::*;
use crate::source::{InputKind, ReadOptions, read_inputs};

fn version_block(version: u8) -> Vec<u8> {
    let block = match version {
        1 => "1 0 Test Capture\nURL IP-address Archive-date Content-type Archive-length\n",
        _ => {
            "2 0 Test Capture\nURL IP-address Archive-date Content-type Result-code \
              Checksum Location Offset Filename Archive-length\n"
        }
    };
    arc_record(
        "filedesc://crawl.arc",
        "text/plain",
        block.as_bytes(),
        version,
    )
}

/// One ARC record with the header layout of `version`.
fn arc_record(url: &str, content_type: &str, block: &[u8], version: u8) -> Vec<u8> {
    let mut out = match version {
        1 => format!(
            "{url} 93.184.216.34 20140216050221 {content_type} {}\n",
            block.len()
        ),
        _ => format!(
            "{url} 93.184.216.34 20140216050221 {content_type} 200 SHA1XYZ - 0 crawl.arc {}\n",
            block.len()
        ),
    }
    .into_bytes();
    out.extend_from_slice(block);
    out.push(b'\n');
    out
}

fn capture(url: &str, status: &str, content_type: &str, body: &[u8], version: u8) -> Vec<u8> {
    let block = http(status, &[("Content-Type", content_type)], body);
    // The header's field is one token: the media type without parameters.
    let essence = content_type.split(';').next().unwrap();
    arc_record(url, essence, &block, version)
}

/// A version-`version` ARC file: pages 1 and 5, an image, a DNS record, a 404, a bare page.
fn arc_file(version: u8) -> Vec<Vec<u8>> {
    vec![
        version_block(version),
        capture(
            "http://news.example/1",
            "200 OK",
            "text/html",
            article(1).as_bytes(),
            version,
        ),
        arc_record(
            "dns:news.example",
            "text/dns",
            b"20140216050221\nnews.example. 300 IN A 93.184.216.34\n",
            version,
        ),
        capture(
            "http://news.example/logo.png",
            "200 OK",
            "image/png",
            b"\x89PNG\r\n",
            version,
        ),
        capture(
            "http://news.example/gone",
            "404 Not Found",
            "text/html",
            b"<html>gone</html>",
            version,
        ),
        capture(
            "http://news.example/5?title=Talks Resume Today",
            "200 OK",
            "text/html; charset=iso-8859-1",
            b"<html><p>caf\xe9 talks</p></html>",
            version,
        ),
        arc_record(
            "http://news.example/7",
            "text/html",
            article(7).as_bytes(),
            version,
        ),
    ]
}

fn read_arc_bytes(
    bytes: Vec<u8>,
    gzip: bool,
    seekable: bool,
) -> (Vec<RawDoc>, Vec<Problem>, PassedOver) {
    let source = if seekable {
        WarcSource::Seekable(Box::new(Cursor::new(bytes)))
    } else {
        WarcSource::Stream(Box::new(Cursor::new(bytes)))
    };
    let mut records = read_arc("crawl.arc", source, gzip, 1_000_000);
    let (mut docs, mut problems) = (Vec::new(), Vec::new());
    for item in records.by_ref() {
        match item {
            Ok(doc) => docs.push(doc),
            Err(problem) => problems.push(problem),
        }
    }
    (docs, problems, records.passed_over().clone())
}

#[test]
fn arc_records_plain_or_gzip_v1_or_v2_become_documents() {
    for version in [1, 2] {
        let records = arc_file(version);
        let plain = records.concat();
        let members: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
        for (bytes, gz) in [(plain, false), (members, true)] {
            for seekable in [true, false] {
                let context = format!("version {version}, gzip {gz}, seekable {seekable}");
                let (docs, problems, passed) = read_arc_bytes(bytes.clone(), gz, seekable);
                assert!(problems.is_empty(), "{context}: {problems:?}");
                let sources: Vec<_> = docs.iter().map(|d| d.source.as_str()).collect();
                assert_eq!(
                    sources,
                    [
                        "crawl.arc#record-2",
                        "crawl.arc#record-6",
                        "crawl.arc#record-7"
                    ],
                    "{context}"
                );
                assert_eq!(docs[0].url.as_deref(), Some("http://news.example/1"));
                assert_eq!(docs[0].html.as_deref(), Some(article(1).as_str()));
                assert_eq!(
                    docs[1].url.as_deref(),
                    Some("http://news.example/5?title=Talks%20Resume%20Today")
                );
                assert_eq!(
                    docs[1].html.as_deref(),
                    Some("<html><p>café talks</p></html>")
                );
                assert_eq!(docs[1].encoding, "windows-1252");
                assert_eq!(docs[2].html.as_deref(), Some(article(7).as_str()));
                let expected: PassedOver = [
                    ("ARC version blocks", 1),
                    ("ARC records that are not web pages", 1),
                    ("non-HTML responses", 1),
                    ("error pages (HTTP 4xx/5xx)", 1),
                ]
                .into_iter()
                .collect();
                assert_eq!(passed, expected, "{context}");
            }
        }
    }
}

#[test]
fn a_bad_arc_record_is_a_problem_and_reading_resumes() {
    let mut records = arc_file(1);
    // Record 3 (the DNS record) gets a length that is not a number; record 4 loses its
    // header line; record 6 is cut short at the end of the file.
    let dns = String::from_utf8(records[2].clone()).unwrap();
    let (header, block) = dns.split_once('\n').unwrap();
    let (fields, _) = header.rsplit_once(' ').unwrap();
    records[2] = format!("{fields} sixty\n{block}").into_bytes();
    let header_end = records[3].iter().position(|&b| b == b'\n').unwrap();
    records[3].drain(..=header_end);
    let mut plain = records[..6].concat();
    plain.truncate(plain.len() - 10);
    for seekable in [true, false] {
        let (docs, problems, _) = read_arc_bytes(plain.clone(), false, seekable);
        let sources: Vec<_> = docs.iter().map(|d| d.source.as_str()).collect();
        assert_eq!(sources, ["crawl.arc#record-2"], "{problems:?}");
        let reasons: Vec<_> = problems
            .iter()
            .map(|p| (p.source.as_str(), p.reason.as_str()))
            .collect();
        assert_eq!(problems.len(), 2, "{reasons:?}");
        assert_eq!(problems[0].source, "crawl.arc#record-3");
        assert!(problems[0].reason.contains("invalid length \"sixty\""));
        // The headerless record is skipped with record 3's damage; the 404 is passed over.
        assert_eq!(problems[1].source, "crawl.arc#record-5");
        assert!(problems[1].reason.contains("truncated"), "{reasons:?}");
    }
}

#[test]
fn a_corrupt_arc_member_costs_its_record_only() {
    let records = arc_file(1);
    let mut members: Vec<Vec<u8>> = records.iter().map(|r| gzip(r)).collect();
    let len = members[1].len();
    members[1][len - 6] ^= 0x40;
    let (docs, problems, _) = read_arc_bytes(members.concat(), true, true);
    let sources: Vec<_> = docs.iter().map(|d| d.source.as_str()).collect();
    assert_eq!(sources, ["crawl.arc#record-6", "crawl.arc#record-7"]);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].source, "crawl.arc#record-2");
    assert!(problems[0].reason.contains("gzip member is corrupt"));
}

#[test]
fn arc_files_are_found_by_name_and_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let records = arc_file(1);
    let plain = records.concat();
    let members: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    fs::write(dir.path().join("a.arc"), &plain).unwrap();
    fs::write(dir.path().join("b.arc.gz"), &members).unwrap();
    fs::write(dir.path().join("c.dat"), &plain).unwrap();
    fs::write(dir.path().join("d.gz"), &members).unwrap();
    let items: Vec<_> = read_inputs(&[dir.path().to_path_buf()], &ReadOptions::default()).collect();
    let sources: Vec<String> = items
        .iter()
        .map(|item| {
            item.as_ref()
                .map(|d| d.source.clone())
                .unwrap_or_else(|p| p.to_string())
        })
        .map(|s| s.rsplit('/').next().unwrap().to_string())
        .collect();
    let mut expected = Vec::new();
    for name in ["a.arc", "b.arc.gz", "c.dat", "d.gz"] {
        for n in [2, 6, 7] {
            expected.push(format!("{name}#record-{n}"));
        }
    }
    assert_eq!(sources, expected);
    // Forcing a web archive reads ARC content as ARC.
    let forced = ReadOptions {
        input: Some(InputKind::Warc),
        ..ReadOptions::default()
    };
    let items: Vec<_> = read_inputs(&[dir.path().join("c.dat")], &forced).collect();
    assert_eq!(items.iter().filter(|i| i.is_ok()).count(), 3);
}
