//! Bounds on what one record may cost: the per-document cap on a page, lengths that lie,
//! members that inflate to far more than their size, endless header lines.

use std::io::{self, Cursor, Read};

use super::*;

fn page(n: usize) -> Vec<u8> {
    response(
        &format!("https://a.example/{n}"),
        "200 OK",
        "text/html",
        article(n).as_bytes(),
    )
}

/// A response record whose page is `size` bytes of one repeated paragraph.
fn big_page(size: usize) -> Vec<u8> {
    let para = "<p>Relief convoys reached the northern districts on Monday.</p>";
    let mut body = String::from("<html><body>");
    while body.len() < size {
        body.push_str(para);
    }
    response(
        "https://a.example/big",
        "200 OK",
        "text/html",
        body.as_bytes(),
    )
}

fn urls(docs: &[RawDoc]) -> Vec<String> {
    docs.iter()
        .map(|d| d.url.clone().unwrap_or_default())
        .collect()
}

fn read_capped(
    bytes: Vec<u8>,
    gzip: bool,
    seekable: bool,
    cap: usize,
) -> (Vec<RawDoc>, Vec<Problem>) {
    let source = if seekable {
        WarcSource::Seekable(Box::new(Cursor::new(bytes)))
    } else {
        WarcSource::Stream(Box::new(Cursor::new(bytes)))
    };
    let (mut docs, mut problems) = (Vec::new(), Vec::new());
    for item in read_warc("w.warc", source, gzip, cap) {
        match item {
            Ok(doc) => docs.push(doc),
            Err(problem) => problems.push(problem),
        }
    }
    (docs, problems)
}

#[test]
fn a_record_over_the_cap_is_skipped_plain_or_gzip_and_reading_goes_on() {
    let records = [page(1), big_page(300_000), page(3)];
    let plain = records.concat();
    let per_record: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    let one_stream = gzip(&plain);
    for (bytes, gz) in [(plain, false), (per_record, true), (one_stream, true)] {
        for seekable in [true, false] {
            let (docs, problems) = read_capped(bytes.clone(), gz, seekable, 100_000);
            assert_eq!(urls(&docs), ["https://a.example/1", "https://a.example/3"]);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].source, "w.warc#record-2");
            assert_eq!(problems[0].kind, ProblemKind::TooLarge);
            assert!(problems[0].reason.contains("over the 100000 bytes"));
        }
    }
}

/// A stream that makes a huge record on the fly, so the test holds none of it.
fn huge_record_stream(payload: u64) -> Box<dyn Read + Send> {
    let head = format!(
        "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://a.example/huge\r\n\
         Content-Type: text/html\r\nContent-Length: {payload}\r\n\r\n"
    );
    let mut tail = b"\r\n\r\n".to_vec();
    tail.extend(page(2));
    Box::new(
        Cursor::new(page(1))
            .chain(Cursor::new(head.into_bytes()))
            .chain(io::repeat(b'x').take(payload))
            .chain(Cursor::new(tail)),
    )
}

#[test]
fn a_huge_record_is_skipped_by_streaming() {
    let records = read_warc(
        "w.warc",
        WarcSource::Stream(huge_record_stream(64 << 20)),
        false,
        1_000_000,
    );
    let items: Vec<_> = records.collect();
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[2].is_ok());
    let problem = items[1].as_ref().unwrap_err();
    assert_eq!(problem.kind, ProblemKind::TooLarge);
    assert!(
        problem.reason.contains("page is 67108864 bytes"),
        "{problem}"
    );
}

/// `page(2)` with its `Content-Length` replaced.
fn lying(length: &str) -> Vec<u8> {
    let text = String::from_utf8(page(2)).unwrap();
    let real = article(2).len() + "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".len();
    text.replacen(
        &format!("Content-Length: {real}\r\n"),
        &format!("Content-Length: {length}\r\n"),
        1,
    )
    .into_bytes()
}

#[test]
fn a_length_past_the_end_of_a_plain_file_does_not_hide_the_records_after_it() {
    for length in ["99999999999999", "5000"] {
        let file = [page(1), lying(length), page(3), page(4)].concat();
        let (docs, problems) = read_capped(file, false, true, 1_000_000);
        // Record 2's page is still found: reading resumes inside its block.
        assert_eq!(
            urls(&docs),
            [
                "https://a.example/1",
                "https://a.example/3",
                "https://a.example/4"
            ],
            "length {length}"
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].source, "w.warc#record-2");
        assert!(
            problems[0].reason.contains("its length is wrong"),
            "{}",
            problems[0]
        );
    }
}

#[test]
fn a_length_past_the_end_of_its_gzip_member_loses_only_its_record() {
    for length in ["99999999999999", "5000"] {
        let members: Vec<u8> = [page(1), lying(length), page(3), page(4)]
            .iter()
            .flat_map(|r| gzip(r))
            .collect();
        for seekable in [true, false] {
            let (docs, problems) = read_capped(members.clone(), true, seekable, 1_000_000);
            assert_eq!(
                urls(&docs),
                [
                    "https://a.example/1",
                    "https://a.example/3",
                    "https://a.example/4"
                ],
                "length {length}"
            );
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].source, "w.warc#record-2");
            assert!(
                problems[0]
                    .reason
                    .contains("runs past the end of its gzip member"),
                "{}",
                problems[0]
            );
        }
    }
}

#[test]
fn a_length_that_lies_on_a_stream_is_one_problem() {
    let file = [page(1), lying("99999999999999"), page(3)].concat();
    let (docs, problems) = read_capped(file, false, false, 1_000_000);
    assert_eq!(urls(&docs), ["https://a.example/1"]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].source, "w.warc#record-2");
}

#[test]
fn a_short_length_costs_its_record_only() {
    let file = [page(1), lying("40"), page(3)].concat();
    let (docs, problems) = read_capped(file, false, true, 1_000_000);
    assert_eq!(urls(&docs)[0], "https://a.example/1");
    assert_eq!(urls(&docs).last().unwrap(), "https://a.example/3");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].reason.contains("not a WARC record"));
}

#[test]
fn a_member_that_inflates_far_past_its_size_is_streamed() {
    // 32 MB of one byte compresses to about 32 KB: as a page over the cap, and as a line
    // with no end where a record should start.
    let inflated = 32 << 20;
    let mut bomb_record = format!(
        "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: https://a.example/bomb\r\n\
         Content-Type: text/html\r\nContent-Length: {inflated}\r\n\r\n"
    )
    .into_bytes();
    bomb_record.resize(bomb_record.len() + inflated, b'a');
    bomb_record.extend_from_slice(b"\r\n\r\n");
    let endless_line = vec![b'a'; inflated];
    let mut file = gzip(&page(1));
    file.extend(gzip(&bomb_record));
    file.extend(gzip(&endless_line));
    file.extend(gzip(&page(4)));
    assert!(file.len() < 200_000, "{}", file.len());
    let (docs, problems) = read_capped(file, true, true, 1_000_000);
    assert_eq!(urls(&docs), ["https://a.example/1", "https://a.example/4"]);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].kind, ProblemKind::TooLarge);
    assert!(problems[1].reason.contains("not a WARC record"));
}

#[test]
fn endless_headers_and_header_lines_are_problems() {
    let mut long_line = b"WARC/1.0\r\nWARC-Type: response\r\nX-Long: ".to_vec();
    long_line.resize(long_line.len() + 100_000, b'v');
    long_line.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n");
    let mut many = b"WARC/1.0\r\nWARC-Type: response\r\n".to_vec();
    for n in 0..40_000 {
        many.extend_from_slice(format!("X-Header-{n}: some value here\r\n").as_bytes());
    }
    many.extend_from_slice(b"Content-Length: 0\r\n\r\n\r\n\r\n");
    let file = [page(1), long_line, page(3), many, page(5)].concat();
    for seekable in [true, false] {
        let (docs, problems) = read_capped(file.clone(), false, seekable, 1_000_000);
        assert_eq!(
            urls(&docs),
            [
                "https://a.example/1",
                "https://a.example/3",
                "https://a.example/5"
            ]
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].reason.contains("header line is over 64 KB"));
        assert!(problems[1].reason.contains("WARC headers over 1 MB"));
    }
}

#[test]
fn a_gzip_header_with_an_endless_file_name_is_a_corrupt_member() {
    let mut named = vec![0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3];
    named.resize(named.len() + 100_000, b'n');
    let mut file = gzip(&page(1));
    file.extend(named);
    file.extend(gzip(&page(3)));
    let (docs, problems) = read_capped(file, true, true, 1_000_000);
    assert_eq!(urls(&docs), ["https://a.example/1", "https://a.example/3"]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].reason.contains("file name is over 4096 bytes"));
}
