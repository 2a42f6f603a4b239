//! WARC archives, plain and gzip-compressed: `warc::read_warc` over an in-memory file,
//! seekable (a file) or not (stdin, a download).
//!
//! The option byte: bits 0-1 how the bytes are read: 0 as a plain WARC, 1 as they are but
//! said to be gzip (damaged or not gzip at all), 2 compressed here as one gzip member, 3
//! compressed here one member per record (as crawlers write them); bits 4-7, when not 0,
//! cut the compressed file to that many sixteenths (a truncated download); bit 2 reads it
//! as a stream instead of a seekable file; bit 3 caps a page at 256 bytes. Compressing here
//! lets the fuzzer mutate the records inside a valid gzip stream, which it could not
//! reach by flipping compressed bytes.
//!
//! Checks beyond "no panic": the reader ends; every problem names the file; every document
//! is `FILE#record-N` with N at most the records counted, has text or HTML, and its text
//! has LF line ends only.
#![no_main]

use std::io::{Cursor, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use sitrep_fuzz::{check_problem, take_byte};
use sitrep_read::warc::{WarcSource, read_warc};

const NAME: &str = "x.warc.gz";

fn gzip(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(part).expect("writing to memory");
        out.extend(encoder.finish().expect("writing to memory"));
    }
    out
}

/// The records of a plain WARC: cut before every line that starts with "WARC/".
fn records(bytes: &[u8]) -> Vec<&[u8]> {
    let mut starts: Vec<usize> = (1..bytes.len())
        .filter(|&i| bytes[i - 1] == b'\n' && bytes[i..].starts_with(b"WARC/"))
        .collect();
    starts.insert(0, 0);
    starts.push(bytes.len());
    starts.windows(2).map(|w| &bytes[w[0]..w[1]]).collect()
}

fuzz_target!(|data: &[u8]| {
    let (option, bytes) = take_byte(data);
    let (mut file, gz) = match option & 3 {
        0 => (bytes.to_vec(), false),
        1 => (bytes.to_vec(), true),
        2 => (gzip(&[bytes]), true),
        _ => (gzip(&records(bytes)), true),
    };
    let sixteenths = usize::from(option >> 4);
    if option & 3 >= 2 && sixteenths != 0 {
        file.truncate(file.len() * sixteenths / 16);
    }
    let source = if option & 4 != 0 {
        WarcSource::Stream(Box::new(Cursor::new(file)))
    } else {
        WarcSource::Seekable(Box::new(Cursor::new(file)))
    };
    let cap = if option & 8 != 0 { 256 } else { 10_000_000 };
    let mut reader = read_warc(NAME, source, gz, cap);
    let mut docs = Vec::new();
    for item in reader.by_ref() {
        match item {
            Ok(doc) => {
                assert!(
                    doc.text.is_some() || doc.html.is_some(),
                    "{}: neither text nor HTML",
                    doc.source
                );
                if let Some(text) = &doc.text {
                    assert!(!text.contains('\r'), "{}: CR in the text", doc.source);
                }
                docs.push(doc.source);
            }
            Err(problem) => check_problem(&problem, NAME),
        }
    }
    let prefix = format!("{NAME}#record-");
    for source in docs {
        let n: u64 = source
            .strip_prefix(&prefix)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("document source {source:?}"));
        assert!(
            n >= 1 && n <= reader.records(),
            "{source} of {} records",
            reader.records()
        );
    }
});
