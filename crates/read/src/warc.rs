//! WARC archives (`.warc`, `.warc.gz`): every crawled HTML page becomes a [`RawDoc`].
//!
//! A WARC file is a sequence of records: a version line (`WARC/1.0`), `Name: value` headers,
//! a blank line, `Content-Length` bytes of block, and two CRLFs. Crawlers compress each record
//! as its own gzip member (Common Crawl does), so a `.warc.gz` is a chain of members; some
//! tools compress the whole file as one. Both are read here, streaming: memory holds one
//! record's payload, never the file.
//!
//! What is taken: `response` records whose HTTP status is 200 and whose payload is HTML
//! (`Content-Type` `text/html` or `application/xhtml+xml`, or no type and HTML-looking bytes),
//! and `resource` records of an HTML type. Everything else (requests, metadata, `warcinfo`,
//! revisits, redirects, error pages, images, scripts) is passed over without a problem, and
//! counted by kind ([`WarcRecords::passed_over`]). The page is decoded with the HTTP charset,
//! else its `<meta charset>`, else the usual fallback ([`crate::payload::decode_page`]).
//! `WARC-Target-URI` becomes [`RawDoc::url`]; `WARC-Date` is when the page was crawled, not
//! published, so it is not used as the publication date.
//!
//! Damage is reported and survived. Why this reader is written here rather than taken from
//! crates.io: the `warc` crate decodes `.warc.gz` with one multi-member gzip stream, which
//! stops at the first corrupt member; here members are decoded one at a time, so that:
//! - a corrupt or truncated member is a [`Problem`] (file, record number, the member's byte
//!   offset, the reason) and reading resumes at the next gzip member header. In a file the
//!   search restarts one byte after the broken member's start, so a corruption that made the
//!   decoder run into the next member does not lose that member too;
//! - a record is only handed out once its member's CRC has been checked (when the record ends
//!   its member, as in per-record compression), so damaged bytes never reach the pipeline;
//! - a malformed record (no version line, bad `Content-Length`, truncated block) is a
//!   [`Problem`], and reading resumes at the next line that starts a record.
//!
//! Sources are named `FILE#record-N` (1-based, counting every record, damaged ones included),
//! and problems give the byte offset: the record's in an uncompressed file, its gzip member's
//! in a compressed one (the offset a CDX index would give).

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, BufRead, Read, Seek, SeekFrom};

use flate2::bufread::{DeflateDecoder, GzDecoder, ZlibDecoder};
use sitrep_model::{Problem, ProblemKind};

use crate::payload::{MediaType, decode_page, looks_like_html};
use crate::raw::RawDoc;

/// Kinds of input passed over without a problem, with how many of each.
pub type PassedOver = BTreeMap<&'static str, u64>;

/// The longest WARC or HTTP header line, and the most header bytes of one record.
const MAX_HEADER_LINE: usize = 64 * 1024;
const MAX_HEADER_BYTES: usize = 1024 * 1024;
/// How much of a response block is read to find the end of its HTTP headers.
const HTTP_HEAD_WINDOW: usize = 64 * 1024;
/// Buffer for the compressed and the decompressed stream.
const BUFFER: usize = 64 * 1024;
/// Records of one gzip member held back until the member's CRC is checked.
const MAX_PENDING: usize = 64;

/// A readable, seekable input (a file): lets the reader restart just after a broken member.
pub trait SeekRead: Read + Seek + Send {}
impl<T: Read + Seek + Send> SeekRead for T {}

/// Where a WARC file's bytes come from.
pub enum WarcSource {
    /// A file: damaged members are searched past from their own start.
    Seekable(Box<dyn SeekRead>),
    /// A stream (stdin, a download): the search for the next member starts where the decoder
    /// stopped.
    Stream(Box<dyn Read + Send>),
}

/// Whether bytes start like a WARC record.
pub fn looks_like_warc(head: &[u8]) -> bool {
    head.starts_with(b"WARC/1.") || head.starts_with(b"WARC/0.")
}

/// Reads a WARC file; `gzip` says whether it is gzip-compressed. `name` is used in sources
/// and problems; `max_bytes` caps one page's payload.
pub fn read_warc(name: &str, source: WarcSource, gzip: bool, max_bytes: usize) -> WarcRecords {
    let packed = Packed::new(source);
    let layer = if gzip {
        Layer::Gzip(GzState::Between(packed))
    } else {
        Layer::Plain(packed)
    };
    WarcRecords {
        name: name.to_string(),
        input: Unpacked {
            layer,
            out: vec![0; BUFFER],
            start: 0,
            end: 0,
            member_start: 0,
            members_started: 0,
            members_verified: 0,
        },
        max_bytes,
        records: 0,
        passed_over: PassedOver::new(),
        lost_sync: false,
        finished: false,
        pending: VecDeque::new(),
        ready: VecDeque::new(),
    }
}

/// The documents of one WARC file, record by record. See the module documentation.
pub struct WarcRecords {
    name: String,
    input: Unpacked,
    max_bytes: usize,
    /// Records started so far (the number of the current one).
    records: u64,
    passed_over: PassedOver,
    /// After a problem: skip silently to the next line that starts a record.
    lost_sync: bool,
    finished: bool,
    /// Outcomes whose gzip member has not been verified yet.
    pending: VecDeque<Held>,
    /// Outcomes ready to hand out.
    ready: VecDeque<Result<RawDoc, Problem>>,
}

impl WarcRecords {
    /// Records passed over so far, by kind ("WARC request records", "redirects", ...).
    pub fn passed_over(&self) -> &PassedOver {
        &self.passed_over
    }

    /// Records seen so far, damaged ones included.
    pub fn records(&self) -> u64 {
        self.records
    }
}

impl Iterator for WarcRecords {
    type Item = Result<RawDoc, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.finished {
                return None;
            }
            let record = self.records;
            let step = self.next_record();
            match step {
                Ok(Step::Doc(doc)) => self.hold(self.records, Outcome::Item(Box::new(Ok(*doc)))),
                Ok(Step::Problem(problem)) => {
                    self.hold(self.records, Outcome::Item(Box::new(Err(problem))));
                }
                Ok(Step::PassedOver(kind)) => self.hold(self.records, Outcome::PassedOver(kind)),
                Ok(Step::Resynced) => {}
                Ok(Step::End) => {
                    // Every member read to its end was whole.
                    self.finished = true;
                    while let Some(held) = self.pending.pop_front() {
                        self.hand_out(held.outcome);
                    }
                }
                Err(failure) if failure.layer_error => {
                    let problem = self.recover(failure, record);
                    self.ready.push_back(Err(problem));
                }
                Err(failure) => {
                    self.records += u64::from(failure.record == 0);
                    let record = self.records;
                    let problem =
                        self.problem(record, failure.offset, failure.kind, &failure.reason);
                    self.lost_sync = true;
                    self.hold(record, Outcome::Item(Box::new(Err(problem))));
                }
            }
            self.release_verified();
        }
    }
}

/// What one record gave.
enum Outcome {
    Item(Box<Result<RawDoc, Problem>>),
    PassedOver(&'static str),
}

/// An outcome waiting for the gzip member it came from to be verified.
struct Held {
    /// The member (by start order) the record ended in.
    member: u64,
    record: u64,
    outcome: Outcome,
}

impl WarcRecords {
    fn hold(&mut self, record: u64, outcome: Outcome) {
        self.pending.push_back(Held {
            member: self.input.members_started,
            record,
            outcome,
        });
        // A member holding many records (a whole file compressed as one stream) cannot be
        // verified before its end; past a bound, records go out unverified.
        while self.pending.len() > MAX_PENDING {
            if let Some(held) = self.pending.pop_front() {
                self.hand_out(held.outcome);
            }
        }
    }

    fn hand_out(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Item(item) => self.ready.push_back(*item),
            Outcome::PassedOver(kind) => *self.passed_over.entry(kind).or_default() += 1,
        }
    }

    /// Hands out what came from members whose end (CRC and length) has been checked.
    fn release_verified(&mut self) {
        while let Some(held) = self.pending.front() {
            if held.member > self.input.members_verified {
                break;
            }
            let held = self.pending.pop_front().expect("front exists");
            self.hand_out(held.outcome);
        }
    }
}

/// What reading one record gave.
enum Step {
    Doc(Box<RawDoc>),
    /// A record that is readable but refused (too large, undecodable payload); the stream
    /// is still in step.
    Problem(Problem),
    PassedOver(&'static str),
    /// Lines skipped while looking for the next record after a problem.
    Resynced,
    End,
}

/// A read that failed part-way: the stream is out of step and must be resynchronised.
struct Failure {
    /// The record it happened in (0 when no record had started).
    record: u64,
    /// Byte offset of the record (uncompressed file) or its gzip member.
    offset: u64,
    kind: ProblemKind,
    reason: String,
    /// The byte layer failed (I/O or gzip), rather than the WARC structure.
    layer_error: bool,
}

impl WarcRecords {
    fn problem(
        &self,
        record: u64,
        offset: u64,
        kind: ProblemKind,
        reason: impl std::fmt::Display,
    ) -> Problem {
        let source = format!("{}#record-{record}", self.name);
        Problem::new(source, kind, format!("at byte {offset}: {reason}"))
    }

    /// Turns a failure of the byte layer into one problem and puts the reader back in step.
    /// Whatever the failed member gave before failing is dropped (it may be damaged): the
    /// problem names the first record that started in it, and numbering resumes after it.
    /// `records_before` is the record count before the failing step.
    fn recover(&mut self, failure: Failure, records_before: u64) -> Problem {
        let failed_member = self.input.members_started;
        let mut first_record = None;
        while let Some(held) = self.pending.back() {
            if held.member < failed_member {
                break;
            }
            first_record = Some(held.record);
            self.pending.pop_back();
        }
        self.release_verified();
        let offset = match self.input.layer {
            Layer::Gzip(_) => self.input.member_start,
            Layer::Plain(_) => failure.offset,
        };
        let record = first_record.unwrap_or(if failure.record == 0 {
            records_before + 1
        } else {
            failure.record
        });
        self.records = record;
        let problem = self.problem(record, offset, failure.kind, &failure.reason);
        if matches!(self.input.layer, Layer::Plain(_)) {
            // An uncompressed file that cannot be read on (it ended, or the disk failed).
            self.finished = true;
            return problem;
        }
        if let Err(err) = self.input.resync() {
            // The input cannot be read any further (an I/O error on the file itself).
            self.finished = true;
            return Problem {
                reason: format!("{}; then: cannot read further: {err}", problem.reason),
                ..problem
            };
        }
        self.lost_sync = true;
        problem
    }

    fn failure(&self, record: u64, offset: u64, err: &io::Error) -> Failure {
        let (kind, reason) = match &self.input.layer {
            Layer::Gzip(_) => (
                ProblemKind::MalformedWarc,
                format!(
                    "gzip member is corrupt or truncated ({err}); reading resumes at the next member"
                ),
            ),
            Layer::Plain(_) if err.kind() == io::ErrorKind::UnexpectedEof => (
                ProblemKind::MalformedWarc,
                format!("record is truncated ({err})"),
            ),
            Layer::Plain(_) => (ProblemKind::Io, format!("cannot read: {err}")),
        };
        Failure {
            record,
            offset,
            kind,
            reason,
            layer_error: true,
        }
    }

    fn next_record(&mut self) -> Result<Step, Failure> {
        // Blank lines between records are tolerated.
        let offset = match self.skip_blank_lines() {
            Ok(Some(offset)) => offset,
            Ok(None) => return Ok(Step::End),
            Err(err) => {
                let offset = self.input.member_start;
                return Err(self.failure(0, offset, &err));
            }
        };
        let line = match read_line(&mut self.input, MAX_HEADER_LINE) {
            Ok(line) => line.unwrap_or_default(),
            Err(err) => return Err(self.failure(0, offset, &err)),
        };
        if !looks_like_warc(&line) {
            if self.lost_sync {
                return Ok(Step::Resynced);
            }
            return Err(Failure {
                record: 0,
                offset,
                kind: ProblemKind::MalformedWarc,
                reason: "not a WARC record (expected a \"WARC/1.x\" version line)".to_string(),
                layer_error: false,
            });
        }
        self.lost_sync = false;
        self.records += 1;
        let record = self.records;
        let fail = |this: &Self, err: io::Error| this.failure(record, offset, &err);
        let headers = match read_headers(&mut self.input) {
            Ok(Ok(headers)) => headers,
            Ok(Err(reason)) => {
                return Err(Failure {
                    record,
                    offset,
                    kind: ProblemKind::MalformedWarc,
                    reason,
                    layer_error: false,
                });
            }
            Err(err) => return Err(fail(self, err)),
        };
        let Some(length) = header(&headers, "content-length").and_then(|v| v.parse::<u64>().ok())
        else {
            return Err(Failure {
                record,
                offset,
                kind: ProblemKind::MalformedWarc,
                reason: "WARC record without a valid Content-Length".to_string(),
                layer_error: false,
            });
        };
        let step = self
            .read_block(record, offset, &headers, length)
            .map_err(|err| fail(self, err))?;
        // The two CRLFs that end a record, then make sure the member holding it was whole.
        self.skip_record_end().map_err(|err| fail(self, err))?;
        self.input.settle().map_err(|err| fail(self, err))?;
        Ok(step)
    }

    /// Skips blank lines; returns the offset of what follows, or `None` at the end.
    fn skip_blank_lines(&mut self) -> io::Result<Option<u64>> {
        loop {
            let buf = self.input.fill_buf()?;
            match buf.first() {
                None => return Ok(None),
                Some(b'\r' | b'\n') => self.input.consume(1),
                Some(_) => return Ok(Some(self.input.offset())),
            }
        }
    }

    fn skip_record_end(&mut self) -> io::Result<()> {
        for _ in 0..4 {
            match self.input.fill_buf()?.first() {
                Some(b'\r' | b'\n') => self.input.consume(1),
                _ => break,
            }
        }
        Ok(())
    }

    fn read_block(
        &mut self,
        record: u64,
        offset: u64,
        headers: &Headers,
        length: u64,
    ) -> io::Result<Step> {
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
        let (payload_type, encodings, payload) = match warc_type.as_str() {
            "response" => {
                let window = length.min(HTTP_HEAD_WINDOW as u64) as usize;
                let head = read_up_to(&mut self.input, window)?;
                let Some(http) = HttpHead::parse(&head) else {
                    discard(&mut self.input, length - head.len() as u64)?;
                    return Ok(Step::PassedOver("responses that are not HTTP"));
                };
                if !(200..300).contains(&http.status) {
                    discard(&mut self.input, length - head.len() as u64)?;
                    return Ok(Step::PassedOver(match http.status {
                        300..=399 => "redirects (HTTP 3xx)",
                        400..=599 => "error pages (HTTP 4xx/5xx)",
                        _ => "other HTTP statuses",
                    }));
                }
                let media = match http.get("content-type") {
                    Some(value) => MediaType::parse(value),
                    // No type in the HTTP headers: Common Crawl's identified type, else sniff.
                    None => MediaType::parse(
                        header(headers, "warc-identified-payload-type").unwrap_or(""),
                    ),
                };
                let encodings = Encodings {
                    chunked: http
                        .get("transfer-encoding")
                        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked")),
                    content: http
                        .get("content-encoding")
                        .map(|v| v.trim().to_ascii_lowercase())
                        .filter(|v| !v.is_empty() && v != "identity"),
                };
                let body_start = &head[http.length..];
                let html =
                    media.is_html() || (media.is_unspecific() && looks_like_html(body_start));
                if !html {
                    discard(&mut self.input, length - head.len() as u64)?;
                    return Ok(Step::PassedOver("non-HTML responses"));
                }
                let rest = length - head.len() as u64;
                (
                    media,
                    encodings,
                    Prefixed {
                        prefix: body_start.to_vec(),
                        rest,
                    },
                )
            }
            "resource" if block_type.is_html() => (
                block_type,
                Encodings::default(),
                Prefixed {
                    prefix: Vec::new(),
                    rest: length,
                },
            ),
            other => {
                discard(&mut self.input, length)?;
                return Ok(Step::PassedOver(warc_type_kind(other)));
            }
        };
        let total = payload.prefix.len() as u64 + payload.rest;
        if total > self.max_bytes as u64 {
            discard(&mut self.input, payload.rest)?;
            return Ok(Step::Problem(self.problem(
                record,
                offset,
                ProblemKind::TooLarge,
                format!(
                    "page is {total} bytes, over the {} bytes per-document cap (--max-doc-size)",
                    self.max_bytes
                ),
            )));
        }
        let mut raw = payload.prefix;
        let rest = read_up_to(&mut self.input, payload.rest as usize)?;
        if (rest.len() as u64) < payload.rest {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("Content-Length says {length} bytes, the file ends before"),
            ));
        }
        raw.extend_from_slice(&rest);
        let body = match encodings.decode(raw, self.max_bytes) {
            Ok(body) => body,
            Err((kind, reason)) => {
                return Ok(Step::Problem(self.problem(record, offset, kind, reason)));
            }
        };
        let page = decode_page(&body, payload_type.charset.as_deref());
        warnings.extend(page.warnings);
        Ok(Step::Doc(Box::new(RawDoc {
            source: format!("{}#record-{record}", self.name),
            url,
            html: Some(page.text),
            encoding: page.encoding,
            warnings,
            ..RawDoc::default()
        })))
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

/// A payload whose first bytes were already read.
struct Prefixed {
    prefix: Vec<u8>,
    /// Bytes still to read from the stream.
    rest: u64,
}

/// How an HTTP payload was encoded for transfer, as recorded.
#[derive(Default)]
struct Encodings {
    chunked: bool,
    content: Option<String>,
}

impl Encodings {
    /// Undoes chunking and gzip/deflate compression (crawlers that store the payload as sent
    /// keep them); the decoded body is capped at `max_bytes`.
    fn decode(&self, raw: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, (ProblemKind, String)> {
        let raw = if self.chunked {
            // Common Crawl de-chunks but keeps the header; a body that does not parse as
            // chunks is taken as it is.
            dechunk(&raw).unwrap_or(raw)
        } else {
            raw
        };
        let over = || {
            let reason =
                format!("page is over the {max_bytes} bytes per-document cap (--max-doc-size)");
            (ProblemKind::TooLarge, reason)
        };
        let decoded = match self.content.as_deref() {
            None => raw,
            Some(kind @ ("gzip" | "x-gzip" | "deflate")) => {
                let mut out = Vec::new();
                let limit = max_bytes as u64 + 1;
                let result = match kind {
                    "deflate" if raw.first().is_some_and(|b| b & 0x0F == 8) => {
                        ZlibDecoder::new(raw.as_slice())
                            .take(limit)
                            .read_to_end(&mut out)
                    }
                    "deflate" => DeflateDecoder::new(raw.as_slice())
                        .take(limit)
                        .read_to_end(&mut out),
                    _ => GzDecoder::new(raw.as_slice())
                        .take(limit)
                        .read_to_end(&mut out),
                };
                match result {
                    Ok(_) => out,
                    // Common Crawl stores the payload decoded but keeps the header: a body
                    // that is not compressed after all is taken as it is.
                    Err(_) if looks_like_html(&raw) => raw,
                    Err(err) => {
                        let reason = format!("cannot undo Content-Encoding {kind}: {err}");
                        return Err((ProblemKind::Decode, reason));
                    }
                }
            }
            // An encoding this reader cannot undo, on a body that was stored decoded.
            Some(_) if looks_like_html(&raw) => raw,
            Some(other) => {
                let reason = format!("Content-Encoding {other} is not supported");
                return Err((ProblemKind::Decode, reason));
            }
        };
        if decoded.len() > max_bytes {
            return Err(over());
        }
        Ok(decoded)
    }
}

/// Decodes a chunked body; `None` when it is not one.
fn dechunk(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    loop {
        let line_end = memchr::memchr(b'\n', rest)?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = size_text.trim().split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        if rest.len() < size {
            return None;
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))?;
    }
}

/// Header names lowercased, values trimmed, in order.
type Headers = Vec<(String, String)>;

fn header<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Reads `Name: value` lines up to the blank line. `Ok(Err(reason))` for malformed headers
/// (the stream is readable but out of step).
fn read_headers(input: &mut Unpacked) -> io::Result<Result<Headers, String>> {
    let mut headers: Headers = Vec::new();
    let mut total = 0;
    loop {
        let Some(line) = read_line(input, MAX_HEADER_LINE)? else {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file ends inside the record's headers",
            ));
        };
        if line.is_empty() {
            return Ok(Ok(headers));
        }
        total += line.len();
        if total > MAX_HEADER_BYTES {
            return Ok(Err("WARC headers over 1 MB".to_string()));
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

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// One line without its line end (`\n` or `\r\n`); `None` at the end of input. A line
/// longer than `cap` is consumed but cut to `cap` bytes.
fn read_line(input: &mut impl BufRead, cap: usize) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let mut any = false;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(any.then_some(line));
        }
        any = true;
        let newline = memchr::memchr(b'\n', buf);
        let chunk = &buf[..newline.unwrap_or(buf.len())];
        let room = cap.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len() + usize::from(newline.is_some());
        input.consume(used);
        if newline.is_some() {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some(line));
        }
    }
}

/// Reads up to `n` bytes (fewer only at the end of input).
fn read_up_to(input: &mut impl Read, n: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(n.min(BUFFER * 16));
    input.take(n as u64).read_to_end(&mut out)?;
    Ok(out)
}

/// Skips exactly `n` bytes; the end of input before that is an error.
fn discard(input: &mut impl Read, n: u64) -> io::Result<()> {
    let skipped = io::copy(&mut input.take(n), &mut io::sink())?;
    if skipped < n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!(
                "the record's block is {n} bytes, the file ends {} bytes into it",
                skipped
            ),
        ));
    }
    Ok(())
}

/// The status line and headers of an HTTP response.
struct HttpHead {
    status: u16,
    headers: Headers,
    /// Bytes of the head, blank line included.
    length: usize,
}

impl HttpHead {
    fn parse(block: &[u8]) -> Option<HttpHead> {
        let (head_len, sep) = match memchr::memmem::find(block, b"\r\n\r\n") {
            Some(i) => (i, 4),
            None => (memchr::memmem::find(block, b"\n\n")?, 2),
        };
        let text = String::from_utf8_lossy(&block[..head_len]);
        let mut lines = text.lines();
        let status_line = lines.next()?;
        let mut parts = status_line.split_whitespace();
        if !parts.next()?.starts_with("HTTP/") {
            return None;
        }
        let status = parts.next()?.parse().ok()?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Some(HttpHead {
            status,
            headers,
            length: head_len + sep,
        })
    }

    fn get(&self, name: &str) -> Option<&str> {
        header(&self.headers, name).filter(|v| !v.is_empty())
    }
}

// --- The byte layers -------------------------------------------------------------------

/// `Read` for a layer that keeps its own buffer: copies from what [`BufRead::fill_buf`] has.
fn read_from_buffer(input: &mut impl BufRead, out: &mut [u8]) -> io::Result<usize> {
    let available = input.fill_buf()?;
    let n = available.len().min(out.len());
    out[..n].copy_from_slice(&available[..n]);
    input.consume(n);
    Ok(n)
}

/// The file's bytes, buffered, with their absolute offset, and a way back for files.
struct Packed {
    source: WarcSource,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Absolute offset of `buf[start]`.
    offset: u64,
}

impl Packed {
    fn new(source: WarcSource) -> Packed {
        Packed {
            source,
            buf: vec![0; BUFFER],
            start: 0,
            end: 0,
            offset: 0,
        }
    }

    fn read_source(&mut self, at: usize) -> io::Result<usize> {
        loop {
            let result = match &mut self.source {
                WarcSource::Seekable(r) => r.read(&mut self.buf[at..]),
                WarcSource::Stream(r) => r.read(&mut self.buf[at..]),
            };
            match result {
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }

    /// Makes at least `n` bytes available unless the input ends first; returns them all.
    fn fill_at_least(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.end - self.start < n {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if self.buf.len() < n {
                self.buf.resize(n, 0);
            }
            while self.end < n {
                let read = self.read_source(self.end)?;
                if read == 0 {
                    break;
                }
                self.end += read;
            }
        }
        Ok(&self.buf[self.start..self.end])
    }

    /// Goes back (or forward) to an absolute offset; `false` when the input is a stream.
    fn restart_at(&mut self, offset: u64) -> io::Result<bool> {
        let WarcSource::Seekable(file) = &mut self.source else {
            return Ok(false);
        };
        file.seek(SeekFrom::Start(offset))?;
        self.start = 0;
        self.end = 0;
        self.offset = offset;
        Ok(true)
    }

    /// Moves to the next plausible gzip member header (magic, deflate method, no reserved
    /// flags); `false` at the end of input.
    fn seek_member(&mut self) -> io::Result<bool> {
        loop {
            let data = self.fill_at_least(4)?;
            if data.len() < 4 {
                let len = data.len();
                self.consume(len);
                return Ok(false);
            }
            match memchr::memchr(0x1f, data) {
                None => {
                    let len = data.len();
                    self.consume(len);
                }
                Some(i) if data.len() - i < 4 => self.consume(i),
                Some(i) => {
                    if data[i + 1] == 0x8b && data[i + 2] == 8 && data[i + 3] & 0xE0 == 0 {
                        self.consume(i);
                        return Ok(true);
                    }
                    self.consume(i + 1);
                }
            }
        }
    }
}

impl Read for Packed {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_from_buffer(self, out)
    }
}

impl BufRead for Packed {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.start = 0;
            self.end = self.read_source(0)?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, amount: usize) {
        let amount = amount.min(self.end - self.start);
        self.start += amount;
        self.offset += amount as u64;
    }
}

/// The decompressing layer.
enum Layer {
    Plain(Packed),
    Gzip(GzState),
}

enum GzState {
    /// At a member boundary (or the start of the file).
    Between(Packed),
    /// Inside the member that starts at `start`.
    Member {
        decoder: Box<GzDecoder<Packed>>,
        start: u64,
    },
    /// A member failed; waiting for [`Unpacked::resync`]. `start` is the failed member's
    /// offset, when the failure was inside one.
    Broken { packed: Packed, start: Option<u64> },
    /// Only while switching states.
    Switching,
}

/// The WARC text stream: the file's bytes, decompressed member by member when gzipped. A
/// buffer never holds bytes of two members, so a member is finished (and its CRC checked)
/// before any byte of the next one is read.
struct Unpacked {
    layer: Layer,
    out: Vec<u8>,
    start: usize,
    end: usize,
    /// Offset of the member the buffered bytes come from.
    member_start: u64,
    /// Gzip members started, and the number of the last one read to a verified end.
    members_started: u64,
    members_verified: u64,
}

impl Unpacked {
    /// Offset of the next byte: in the file for plain WARC, of its member for gzip.
    fn offset(&self) -> u64 {
        match &self.layer {
            Layer::Plain(packed) => packed.offset - (self.end - self.start) as u64,
            Layer::Gzip(_) => self.member_start,
        }
    }

    /// Refills the empty buffer. `stop_at_member_end` leaves the layer between members
    /// instead of starting the next one.
    fn refill(&mut self, stop_at_member_end: bool) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        let gz = match &mut self.layer {
            Layer::Plain(packed) => {
                self.end = packed.read(&mut self.out)?;
                return Ok(());
            }
            Layer::Gzip(gz) => gz,
        };
        loop {
            match std::mem::replace(gz, GzState::Switching) {
                GzState::Between(mut packed) => {
                    if stop_at_member_end {
                        *gz = GzState::Between(packed);
                        return Ok(());
                    }
                    let head = match packed.fill_at_least(2) {
                        Ok(head) => head,
                        Err(err) => {
                            *gz = GzState::Broken {
                                packed,
                                start: None,
                            };
                            return Err(err);
                        }
                    };
                    if head.is_empty() {
                        *gz = GzState::Between(packed);
                        return Ok(());
                    }
                    if head.len() < 2 || head[..2] != [0x1f, 0x8b] {
                        let at = packed.offset;
                        self.member_start = at;
                        // Counted as a member of its own, so that it fails alone.
                        self.members_started += 1;
                        *gz = GzState::Broken {
                            packed,
                            start: None,
                        };
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("bytes at offset {at} are not a gzip member"),
                        ));
                    }
                    let start = packed.offset;
                    self.member_start = start;
                    self.members_started += 1;
                    *gz = GzState::Member {
                        decoder: Box::new(GzDecoder::new(packed)),
                        start,
                    };
                }
                GzState::Member { mut decoder, start } => match decoder.read(&mut self.out) {
                    Ok(0) => {
                        self.members_verified = self.members_started;
                        *gz = GzState::Between(decoder.into_inner());
                        if stop_at_member_end {
                            return Ok(());
                        }
                    }
                    Ok(n) => {
                        self.end = n;
                        *gz = GzState::Member { decoder, start };
                        return Ok(());
                    }
                    Err(err) => {
                        *gz = GzState::Broken {
                            packed: decoder.into_inner(),
                            start: Some(start),
                        };
                        return Err(err);
                    }
                },
                broken @ GzState::Broken { .. } => {
                    *gz = broken;
                    return Err(io::Error::other("gzip stream out of step"));
                }
                GzState::Switching => {
                    return Err(io::Error::other("gzip reader left in a bad state"));
                }
            }
        }
    }

    /// When the buffer is empty inside a member, reads on far enough to know whether the
    /// member ends here, and if so checks its CRC and length. Bytes of a following record in
    /// the same member stay buffered.
    fn settle(&mut self) -> io::Result<()> {
        if self.start == self.end && matches!(self.layer, Layer::Gzip(GzState::Member { .. })) {
            self.refill(true)?;
        }
        Ok(())
    }

    /// After a failure: drops buffered bytes and moves to the next gzip member (for a file,
    /// searching from one byte past the failed member's start). Plain WARC just goes on; the
    /// record parser skips to the next version line.
    fn resync(&mut self) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        let Layer::Gzip(gz) = &mut self.layer else {
            return Ok(());
        };
        let (mut packed, failed_start) = match std::mem::replace(gz, GzState::Switching) {
            GzState::Between(packed) => (packed, None),
            GzState::Member { decoder, start } => (decoder.into_inner(), Some(start)),
            GzState::Broken { packed, start } => (packed, start),
            GzState::Switching => return Err(io::Error::other("gzip reader left in a bad state")),
        };
        let result = (|| {
            if let Some(start) = failed_start
                && !packed.restart_at(start + 1)?
            {
                // A stream cannot go back; at least get past the failed member's magic.
                while packed.offset <= start {
                    let available = packed.fill_buf()?.len();
                    if available == 0 {
                        break;
                    }
                    packed.consume(available.min((start + 1 - packed.offset) as usize));
                }
            }
            packed.seek_member()
        })();
        *gz = GzState::Between(packed);
        result.map(|_| ())
    }
}

impl Read for Unpacked {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_from_buffer(self, out)
    }
}

impl BufRead for Unpacked {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.refill(false)?;
        }
        Ok(&self.out[self.start..self.end])
    }

    fn consume(&mut self, amount: usize) {
        self.start = (self.start + amount).min(self.end);
    }
}

#[cfg(test)]
mod tests;
