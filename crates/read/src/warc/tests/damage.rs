//! Damaged gzip: a whole file compressed as one stream and cut or corrupted, per-record
//! members with one cut in the middle. The rules are in the module documentation.

use std::io::Read;

use super::*;

/// A plain WARC of `n` page records; with each record's start and the end of its block.
fn stream_of(n: usize) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut plain = Vec::new();
    let mut bounds = Vec::new();
    for k in 1..=n {
        let record = response(
            &format!("https://news.example/story/{k}"),
            "200 OK",
            "text/html; charset=utf-8",
            article(k).as_bytes(),
        );
        let start = plain.len();
        plain.extend_from_slice(&record);
        bounds.push((start, plain.len() - 4));
    }
    (plain, bounds)
}

/// How many bytes a decoder gets out of a cut gzip stream before it runs out of input.
fn decodable(cut: &[u8]) -> usize {
    let mut decoder = flate2::read::GzDecoder::new(cut);
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match decoder.read(&mut buf) {
            Ok(0) | Err(_) => return out.len(),
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
}

fn record_number(source: &str) -> usize {
    source
        .strip_prefix("crawl.warc.gz#record-")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a record source: {source}"))
}

#[test]
fn a_single_stream_cut_anywhere_gives_every_record_before_the_cut() {
    let (plain, bounds) = stream_of(20);
    let gz = gzip(&plain);
    let mut cuts: Vec<usize> = (1..13).map(|k| gz.len() * k / 13).collect();
    // In the header, at the end of the deflate data, inside the trailer.
    cuts.extend([5, gz.len() - 8, gz.len() - 3]);
    for cut in cuts {
        let available = decodable(&gz[..cut]);
        let whole = bounds.iter().filter(|(_, end)| *end <= available).count();
        // Between a record's block and the next record: no record is cut.
        let between = whole == bounds.len()
            || (whole > 0 && available >= bounds[whole - 1].1 && available < bounds[whole].0);
        for seekable in [true, false] {
            let (docs, problems, _) = read_all(gz[..cut].to_vec(), true, seekable);
            let context = format!("cut at {cut} of {}, {available} bytes decodable", gz.len());
            assert_eq!(docs.len(), whole, "{context}: {problems:?}");
            for (k, doc) in docs.iter().enumerate() {
                assert_eq!(doc.source, format!("crawl.warc.gz#record-{}", k + 1));
                assert_eq!(doc.html.as_deref(), Some(article(k + 1).as_str()));
            }
            assert_eq!(problems.len(), 1, "{context}: {problems:?}");
            let problem = &problems[0];
            assert!(
                problem
                    .reason
                    .starts_with("at byte 0: gzip member is truncated")
            );
            if between && whole > 0 {
                assert_eq!(problem.source, "crawl.warc.gz", "{context}");
            } else {
                assert_eq!(record_number(&problem.source), whole + 1, "{context}");
            }
        }
    }
}

#[test]
fn the_issue_case_nineteen_whole_records_then_a_cut() {
    let (plain, bounds) = stream_of(20);
    let gz = gzip(&plain);
    // Cut the compressed file where its decodable part ends inside the 20th record.
    let (start, end) = bounds[19];
    let cut = (10..gz.len())
        .rev()
        .find(|&c| (start + 1..end).contains(&decodable(&gz[..c])))
        .expect("a cut inside the last record");
    let (docs, problems, _) = read_all(gz[..cut].to_vec(), true, true);
    assert_eq!(docs.len(), 19);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].source, "crawl.warc.gz#record-20");
    assert!(
        problems[0]
            .reason
            .contains("read whole before the cut: records 1 to 19"),
        "{}",
        problems[0]
    );
    assert!(
        problems[0]
            .reason
            .contains(&format!("{cut} bytes into the file")),
        "{}",
        problems[0]
    );
}

#[test]
fn a_single_stream_failing_its_check_loses_its_last_record_and_says_so() {
    let (plain, _) = stream_of(20);
    let mut gz = gzip(&plain);
    let crc = gz.len() - 8;
    gz[crc] ^= 0x5a;
    for seekable in [true, false] {
        let (docs, problems, _) = read_all(gz.clone(), true, seekable);
        // Records that another record followed went out as they were read; the last one
        // waited for the check, which failed.
        assert_eq!(docs.len(), 19);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].source, "crawl.warc.gz#record-20");
        let reason = &problems[0].reason;
        assert!(reason.contains("gzip member is corrupt"), "{reason}");
        assert!(
            reason.contains("possibly damaged too: records 1 to 19"),
            "{reason}"
        );
    }
}

#[test]
fn corrupt_data_inside_a_single_stream_is_reported_and_reading_stops_cleanly() {
    let (plain, _) = stream_of(20);
    let gz = gzip(&plain);
    for at in [gz.len() / 3, gz.len() / 2, gz.len() * 4 / 5] {
        let mut bad = gz.clone();
        for b in &mut bad[at..at + 16] {
            *b ^= 0xA5;
        }
        for seekable in [true, false] {
            let (docs, problems, _) = read_all(bad.clone(), true, seekable);
            assert!(docs.len() < 20, "damage at {at}");
            assert!(!problems.is_empty(), "damage at {at}");
            // The member's failure is reported, whatever the damage made of its records.
            assert!(
                problems
                    .iter()
                    .any(|p| p.reason.contains("gzip member is corrupt")),
                "damage at {at}: {problems:?}"
            );
            // Numbers never repeat.
            let mut numbers: Vec<usize> = docs
                .iter()
                .map(|d| record_number(&d.source))
                .chain(problems.iter().map(|p| record_number(&p.source)))
                .collect();
            let count = numbers.len();
            numbers.sort();
            numbers.dedup();
            assert_eq!(numbers.len(), count, "damage at {at}: {problems:?}");
        }
    }
}

#[test]
fn per_record_members_with_one_cut_in_the_middle() {
    let members = members(12);
    for broken in [1usize, 6, 12] {
        let mut file = Vec::new();
        for (k, member) in members.iter().enumerate() {
            if k + 1 == broken {
                file.extend_from_slice(&member[..member.len() / 2]);
            } else {
                file.extend_from_slice(member);
            }
        }
        let (docs, problems, _) = read_all(file.clone(), true, true);
        let numbers: Vec<usize> = docs.iter().map(|d| record_number(&d.source)).collect();
        let expected: Vec<usize> = (1..=12).filter(|&k| k != broken).collect();
        assert_eq!(numbers, expected, "member {broken} cut: {problems:?}");
        for doc in &docs {
            let n = record_number(&doc.source);
            assert_eq!(doc.html.as_deref(), Some(article(n).as_str()));
        }
        assert_eq!(problems.len(), 1, "member {broken} cut: {problems:?}");
        assert_eq!(record_number(&problems[0].source), broken);
        let offset: usize = members[..broken - 1].iter().map(Vec::len).sum();
        assert!(
            problems[0]
                .reason
                .starts_with(&format!("at byte {offset}: gzip member is")),
            "{}",
            problems[0]
        );

        // A stream cannot go back: the member after the cut one may be lost with it, but
        // every record before it is read and nothing comes out twice.
        let (docs, problems, _) = read_all(file, true, false);
        let numbers: Vec<usize> = docs.iter().map(|d| record_number(&d.source)).collect();
        assert!(numbers.starts_with(&(1..broken).collect::<Vec<_>>()));
        assert!(docs.len() + 2 >= 11, "member {broken} cut: {problems:?}");
        assert_eq!(record_number(&problems[0].source), broken);
    }
}

#[test]
fn a_cut_inside_a_members_trailer_keeps_its_record() {
    let members = members(5);
    let mut file = members.concat();
    file.truncate(file.len() - 5);
    let (docs, problems, _) = read_all(file, true, true);
    assert_eq!(docs.len(), 5);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].source, "crawl.warc.gz");
    assert!(
        problems[0]
            .reason
            .contains("read whole before the cut: record 5"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_record_split_over_members_is_read_whole() {
    // Headers in one member, the page in the next, the closing line ends and the next
    // record in a third: how warcio's example-wrong-chunks.warc.gz is made.
    let first = response(
        "https://news.example/story/1",
        "200 OK",
        "text/html",
        article(1).as_bytes(),
    );
    let second = response(
        "https://news.example/story/2",
        "200 OK",
        "text/html",
        article(2).as_bytes(),
    );
    let body_at = first.len() - 4 - article(1).len();
    let mut file = gzip(&first[..body_at]);
    file.extend(gzip(&first[body_at..first.len() - 4]));
    let mut rest = first[first.len() - 4..].to_vec();
    rest.extend_from_slice(&second);
    file.extend(gzip(&rest));
    for seekable in [true, false] {
        let (docs, problems, _) = read_all(file.clone(), true, seekable);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].html.as_deref(), Some(article(1).as_str()));
        assert_eq!(docs[1].source, "crawl.warc.gz#record-2");
    }
}
