//! One WARC record: a version line (`WARC/1.0`), `Name: value` headers, a blank line,
//! `Content-Length` bytes of block, and two CRLFs.
//!
//! Pages are `response` records (an HTTP response, see [`super::block`]) and `resource`
//! records of an HTML type; other types are counted by kind.

use sitrep_model::ProblemKind;

use super::block::{Found, bare_page, discard, http_response, read_head};
use super::{Failure, Step, WarcRecords, read_line};
use crate::payload::MediaType;

/// The longest WARC header line, and the most header bytes of one record.
const MAX_HEADER_LINE: usize = 64 * 1024;
const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// Whether bytes start like a WARC record.
pub fn looks_like_warc(head: &[u8]) -> bool {
    head.starts_with(b"WARC/1.") || head.starts_with(b"WARC/0.")
}

/// Whether the bytes at the start of a gzip member begin a WARC record (after the line ends
/// that close the one before, which some tools put there).
pub(super) fn starts_warc_record(bytes: &[u8]) -> bool {
    let start = bytes.iter().position(|b| !matches!(b, b'\r' | b'\n'));
    start.is_some_and(|i| looks_like_warc(&bytes[i..]))
}

/// Header names lowercased, values trimmed, in order.
type Headers = Vec<(String, String)>;

fn header<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

impl WarcRecords {
    /// Reads the record that starts at `offset` (the first byte is not a line end).
    pub(super) fn warc_record(&mut self, offset: u64) -> Result<Step, Failure> {
        let line = match read_line(&mut self.input, MAX_HEADER_LINE) {
            Ok(line) => line.map(|(line, _)| line).unwrap_or_default(),
            Err(err) => return Err(self.failure(0, offset, &err)),
        };
        if !looks_like_warc(&line) {
            if self.lost_sync {
                return Ok(Step::Resynced);
            }
            let reason = "not a WARC record (expected a \"WARC/1.x\" version line)";
            return Err(Failure::malformed(0, offset, reason));
        }
        let record = self.begin_record();
        let headers = match self.read_headers() {
            Ok(Ok(headers)) => headers,
            Ok(Err(reason)) => return Err(Failure::malformed(record, offset, reason)),
            Err(err) => return Err(self.failure(record, offset, &err)),
        };
        let Some(length) = header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok())
        else {
            let reason = "WARC record without a valid Content-Length";
            return Err(Failure::malformed(record, offset, reason));
        };
        self.check_length(record, offset, length)?;
        self.warc_block(record, offset, &headers, length)
            .map_err(|err| self.failure(record, offset, &err))
    }

    /// Reads `Name: value` lines up to the blank line. `Ok(Err(reason))` for malformed
    /// headers (the stream is readable but out of step).
    fn read_headers(&mut self) -> std::io::Result<Result<Headers, String>> {
        let mut headers: Headers = Vec::new();
        let mut total = 0;
        loop {
            let Some((line, whole)) = read_line(&mut self.input, MAX_HEADER_LINE)? else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the input ends inside the record's headers",
                ));
            };
            if line.is_empty() {
                return Ok(Ok(headers));
            }
            if !whole {
                return Ok(Err(format!(
                    "a WARC header line is over {} KB",
                    MAX_HEADER_LINE / 1024
                )));
            }
            total += line.len();
            if total > MAX_HEADER_BYTES {
                return Ok(Err(format!(
                    "WARC headers over {} MB",
                    MAX_HEADER_BYTES / (1024 * 1024)
                )));
            }
            if line[0] == b' ' || line[0] == b'\t' {
                // A folded continuation line.
                if let Some((_, value)) = headers.last_mut() {
                    value.push(' ');
                    value.push_str(String::from_utf8_lossy(&line).trim());
                }
                continue;
            }
            let text = String::from_utf8_lossy(&line);
            let Some((name, value)) = text.split_once(':') else {
                return Ok(Err(format!(
                    "malformed WARC header line {:?}",
                    truncate(&text, 80)
                )));
            };
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }

    fn warc_block(
        &mut self,
        record: u64,
        offset: u64,
        headers: &Headers,
        length: u64,
    ) -> std::io::Result<Step> {
        let warc_type = header(headers, "warc-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let url = header(headers, "warc-target-uri")
            .map(|u| u.trim_matches(|c| c == '<' || c == '>').to_string())
            .filter(|u| !u.is_empty());
        let block_type = MediaType::parse(header(headers, "content-type").unwrap_or(""));
        let mut warnings = Vec::new();
        if let Some(reason) = header(headers, "warc-truncated") {
            warnings.push(format!(
                "the crawler truncated this record ({reason}); the page may be incomplete"
            ));
        }
        let page = match warc_type.as_str() {
            "response" => {
                let head = read_head(&mut self.input, length)?;
                let rest = length - head.len() as u64;
                // No type in the HTTP headers: Common Crawl's identified type, else sniff.
                let identified = header(headers, "warc-identified-payload-type").unwrap_or("");
                match http_response(&head, length, identified) {
                    Some(Found::Page(page)) => page,
                    Some(Found::PassedOver(kind)) => {
                        discard(&mut self.input, rest)?;
                        return Ok(Step::PassedOver(kind));
                    }
                    None => {
                        discard(&mut self.input, rest)?;
                        return Ok(Step::PassedOver("responses that are not HTTP"));
                    }
                }
            }
            "resource" if block_type.is_html() => bare_page(block_type, Vec::new(), length),
            other => {
                discard(&mut self.input, length)?;
                return Ok(Step::PassedOver(warc_type_kind(other)));
            }
        };
        self.page_step(record, offset, url, page, warnings)
    }
}

/// The label a non-page WARC record type is counted under.
fn warc_type_kind(warc_type: &str) -> &'static str {
    match warc_type {
        "request" => "WARC request records",
        "metadata" => "WARC metadata records",
        "warcinfo" => "WARC warcinfo records",
        "revisit" => "WARC revisit records",
        "resource" => "WARC resource records that are not HTML",
        "conversion" => "WARC conversion records",
        _ => "WARC records of other types",
    }
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

impl Failure {
    /// A record that is readable but malformed: the stream is out of step.
    pub(super) fn malformed(record: u64, offset: u64, reason: impl Into<String>) -> Failure {
        Failure {
            record,
            offset,
            kind: ProblemKind::MalformedWarc,
            reason: reason.into(),
            layer: false,
            fatal: false,
        }
    }
}
