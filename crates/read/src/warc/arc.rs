//! One ARC record, the Internet Archive's format before WARC (and what warcio reads as
//! `arc`): a header line, `length` bytes of block, and a newline.
//!
//! The header is `URL IP-address archive-date content-type length` in version 1, and
//! `URL IP-address archive-date content-type result-code checksum location offset filename
//! length` in version 2. The first record of a file is its version block, whose URL is
//! `filedesc://NAME` and whose block starts with the version number (`1 0 ...` or
//! `2 0 ...`); it sets how later headers are split. Fields are separated by spaces, and
//! URLs written by old crawlers may hold spaces too, so a header is read from its right end:
//! every field left over at the start belongs to the URL (its spaces become `%20`). A line
//! counts as a header when its first field starts with a URL scheme, its date is digits and
//! its length a number; after a problem, reading resumes at the next such line.
//!
//! A web capture's block is the HTTP response as received, and is read as a WARC `response`
//! is ([`super::block`]); a block without HTTP headers is a page when the header's content
//! type is HTML. Other records (DNS lookups, non-HTML captures, version blocks) are counted.

use std::io;

use super::block::{Found, bare_page, discard, http_response, read_head};
use super::{Failure, Step, WarcRecords, read_line};
use crate::payload::{MediaType, looks_like_html};

/// The longest ARC header line.
const MAX_HEADER_LINE: usize = 64 * 1024;

/// Whether bytes start like an ARC file (its version block).
pub fn looks_like_arc(head: &[u8]) -> bool {
    head.starts_with(b"filedesc://")
}

/// Whether the bytes at the start of a gzip member begin an ARC record: their first line
/// (after line ends) is a header.
pub(super) fn starts_arc_record(bytes: &[u8]) -> bool {
    let Some(start) = bytes.iter().position(|b| !matches!(b, b'\r' | b'\n')) else {
        return false;
    };
    let rest = &bytes[start..];
    memchr::memchr(b'\n', rest)
        .is_some_and(|end| ArcHeader::parse(rest[..end].trim_ascii_end(), Layout::V1).is_some())
}

/// The header layout, from the version block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// `URL IP-address archive-date content-type length`.
    V1,
    /// `URL IP-address archive-date content-type result-code checksum location offset
    /// filename length`.
    V2,
}

impl Layout {
    /// Fields after the URL (the content type is the third of them in both).
    fn fields_after_url(self) -> usize {
        match self {
            Layout::V1 => 4,
            Layout::V2 => 9,
        }
    }
}

/// A parsed ARC header line.
#[derive(Debug, PartialEq, Eq)]
struct ArcHeader {
    url: String,
    content_type: String,
    /// The length field, which may not be a number.
    length: Result<u64, String>,
}

impl ArcHeader {
    /// `None` when the line does not look like an ARC header at all. The layout the version
    /// block announced is tried first, then the other one (a file whose version block is
    /// lost, or the version block's own line).
    fn parse(line: &[u8], layout: Layout) -> Option<ArcHeader> {
        let text = std::str::from_utf8(line).ok()?;
        let fields: Vec<&str> = text.split_ascii_whitespace().collect();
        let other = match layout {
            Layout::V1 => Layout::V2,
            Layout::V2 => Layout::V1,
        };
        ArcHeader::with_layout(&fields, layout).or_else(|| ArcHeader::with_layout(&fields, other))
    }

    fn with_layout(fields: &[&str], layout: Layout) -> Option<ArcHeader> {
        let after = layout.fields_after_url();
        if fields.len() <= after || !has_scheme(fields[0]) {
            return None;
        }
        let url_end = fields.len() - after;
        let rest = &fields[url_end..];
        let date = rest[1];
        if date.len() < 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Version 2's result code: an HTTP status, or "-".
        if layout == Layout::V2 && rest[3] != "-" && !rest[3].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let length_field = fields[fields.len() - 1];
        Some(ArcHeader {
            url: fields[..url_end].join("%20"),
            content_type: rest[2].to_string(),
            length: length_field
                .parse::<u64>()
                .map_err(|_| length_field.to_string()),
        })
    }
}

/// Whether a field starts with a URL scheme (`http:`, `dns:`, `filedesc:`).
fn has_scheme(field: &str) -> bool {
    let Some((scheme, _)) = field.split_once(':') else {
        return false;
    };
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

impl WarcRecords {
    fn arc_layout(&self) -> Layout {
        match self.format {
            super::Format::Arc(layout) => layout,
            super::Format::Warc => Layout::V1,
        }
    }

    /// Reads the record that starts at `offset` (the first byte is not a line end).
    pub(super) fn arc_record(&mut self, offset: u64) -> Result<Step, Failure> {
        let line = match read_line(&mut self.input, MAX_HEADER_LINE) {
            Ok(line) => line.map(|(line, _)| line).unwrap_or_default(),
            Err(err) => return Err(self.failure(0, offset, &err)),
        };
        let Some(header) = ArcHeader::parse(&line, self.arc_layout()) else {
            if self.lost_sync {
                return Ok(Step::Resynced);
            }
            let reason = "not an ARC record (expected a header line \"URL IP-address \
                          archive-date content-type length\")";
            return Err(Failure::malformed(0, offset, reason));
        };
        let record = self.begin_record();
        let length = match header.length {
            Ok(length) => length,
            Err(field) => {
                let reason = format!("ARC record with an invalid length {field:?}");
                return Err(Failure::malformed(record, offset, reason));
            }
        };
        self.check_length(record, offset, length)?;
        self.arc_block(record, offset, header.url, &header.content_type, length)
            .map_err(|err| self.failure(record, offset, &err))
    }

    fn arc_block(
        &mut self,
        record: u64,
        offset: u64,
        url: String,
        content_type: &str,
        length: u64,
    ) -> io::Result<Step> {
        let head = read_head(&mut self.input, length)?;
        let rest = length - head.len() as u64;
        if url.starts_with("filedesc:") {
            discard(&mut self.input, rest)?;
            if head.starts_with(b"2 ") {
                self.format = super::Format::Arc(Layout::V2);
            } else if head.starts_with(b"1 ") {
                self.format = super::Format::Arc(Layout::V1);
            }
            return Ok(Step::PassedOver("ARC version blocks"));
        }
        let page = match http_response(&head, length, content_type) {
            Some(Found::Page(page)) => page,
            Some(Found::PassedOver(kind)) => {
                discard(&mut self.input, rest)?;
                return Ok(Step::PassedOver(kind));
            }
            None => {
                let media = MediaType::parse(content_type);
                let html = media.is_html() || (media.is_unspecific() && looks_like_html(&head));
                if !html {
                    discard(&mut self.input, rest)?;
                    return Ok(Step::PassedOver("ARC records that are not web pages"));
                }
                bare_page(media, head, length)
            }
        };
        let url = Some(url).filter(|u| !u.is_empty());
        self.page_step(record, offset, url, page, Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_from_the_right() {
        let header = ArcHeader::parse(
            b"http://example.com/a b c 93.184.216.119 20140216050221 text/html 1591",
            Layout::V1,
        )
        .unwrap();
        assert_eq!(header.url, "http://example.com/a%20b%20c");
        assert_eq!(header.content_type, "text/html");
        assert_eq!(header.length, Ok(1591));
        let v2 = b"http://a.example/ 1.2.3.4 20010101000000 text/html 200 \
                   3QJ4A - 1234 crawl.arc 77";
        let header = ArcHeader::parse(v2, Layout::V2).unwrap();
        assert_eq!(
            (
                header.url.as_str(),
                header.content_type.as_str(),
                header.length
            ),
            ("http://a.example/", "text/html", Ok(77))
        );
        let bad = ArcHeader::parse(
            b"dns:a.example 1.2.3.4 20010101000000 text/dns -1",
            Layout::V1,
        );
        assert_eq!(bad.unwrap().length, Err("-1".to_string()));
    }

    #[test]
    fn other_lines_are_not_headers() {
        for line in [
            &b"URL IP-address Archive-date Content-type Archive-length"[..],
            b"<p>Talks resumed in the capital on Tuesday, officials said.</p>",
            b"http://a.example/ 1.2.3.4 yesterday text/html 12",
            b"http://a.example/ 1.2.3.4 20010101000000",
            b"1 0 LiveWeb Capture",
            b"",
        ] {
            assert_eq!(ArcHeader::parse(line, Layout::V1), None, "{line:?}");
        }
        assert!(has_scheme("filedesc://x.arc") && has_scheme("dns:a.example"));
        assert!(!has_scheme("1:2") && !has_scheme("no-colon"));
    }
}
