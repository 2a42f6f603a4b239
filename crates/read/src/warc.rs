//! Web archives: WARC (`.warc`, `.warc.gz`) and its predecessor ARC (`.arc`, `.arc.gz`).
//! Every crawled HTML page becomes a [`RawDoc`].
//!
//! A WARC file is a sequence of records: a version line (`WARC/1.0`), `Name: value` headers,
//! a blank line, `Content-Length` bytes of block, and two CRLFs (`warc/record.rs`). An ARC file
//! starts with a `filedesc://` version block, then records whose header is one line, `URL
//! IP-address archive-date content-type length` (version 1; version 2 has ten fields), and
//! `length` bytes of block, for web captures an HTTP response (`warc/arc.rs`). Crawlers compress
//! each record as its own gzip member (Common Crawl and the Internet Archive do), so a
//! `.warc.gz` is a chain of members; some tools compress the whole file as one. All are read
//! here, streaming: memory holds one record's page, never the file.
//!
//! What is taken: `response` records (ARC web captures) whose HTTP status is 2xx and whose
//! payload is HTML (`Content-Type` `text/html` or `application/xhtml+xml`, or no type and
//! HTML-looking bytes), and `resource` records (ARC records without HTTP headers) of an HTML
//! type. Everything else (requests, metadata, `warcinfo`, ARC version blocks, revisits,
//! redirects, error pages, images, scripts) is passed over without a problem, and counted by
//! kind ([`WarcRecords::passed_over`]). The page is decoded with the HTTP charset, else its
//! `<meta charset>`, else the usual fallback ([`crate::payload::decode_page`]).
//! `WARC-Target-URI` (the ARC URL) becomes [`RawDoc::url`]; `WARC-Date` is when the page was
//! crawled, not published, so it is not used as the publication date.
//!
//! **Damage is reported and survived.** The `warc` crate decodes `.warc.gz` as one
//! multi-member gzip stream, which stops at the first corrupt member; here members are
//! decoded one at a time (`warc/members.rs`), and a record ends with the member it started in
//! unless the next member does not start a record (a record some tool split in two). The
//! rules:
//! - *A record that ends its gzip member* (per-record compression) is handed out only once
//!   the member's CRC and length check out, so damaged bytes never reach the pipeline. A
//!   corrupt member (bad deflate data, wrong CRC or length, a bad header) is one [`Problem`]
//!   naming its record, and reading resumes at the next gzip member header; in a file the
//!   search restarts one byte after the broken member's start, so a corruption that made the
//!   decoder run into the next member does not lose that member too.
//! - *A member that holds several records* (a whole file compressed as one stream) cannot be
//!   checked before its end, which may be gigabytes on: each record in it goes out when the
//!   next one starts. Holding a window of records back would not help: in 180 trials on a
//!   20 MB stream (a bit flipped, 3 bytes inverted, or 512 random bytes written at a random
//!   place), the decoder noticed bad data before the member's CRC only once; otherwise it
//!   went on decoding wrong bytes to the end. So the last record of such a member waits for
//!   the check like any other, and when the check fails the problem says which records came
//!   from the member unchecked. Their WARC structure was checked (every `Content-Length` has
//!   to land on the next record's version line), which catches damage that shifts bytes.
//! - *A cut* (the input ends inside a member, as a copy or download that stopped does) is not
//!   damage to what came before it: inflating a prefix of a deflate stream gives a prefix of
//!   its output, exactly. Every record that ended before the cut is handed out; the record
//!   the cut falls in is a problem. A cut right after a record (inside the member's trailer)
//!   loses no record: the problem then names the file alone.
//! - A malformed record (no version line or ARC header, bad `Content-Length`, a block that
//!   runs into the next record's member or past the end of the file) is a [`Problem`], and
//!   reading resumes at the next line that starts a record. In an uncompressed file a `Content-Length` past
//!   the end of the file is caught before reading (the file's size is known), so a length
//!   that lies does not hide the records after it; in a gzip member or on a stream it covers
//!   the rest of its member, or of the stream.
//!
//! **Bounds.** One page over the per-document cap (`max_bytes`) is a `TooLarge` problem and
//! is skipped by streaming, never held; so is anything passed over, whatever its length.
//! A header line is cut at 64 KB (a WARC header line that long is a problem), a record's
//! headers at 1 MB, a gzip header's file name or comment at 4 KB, and at most 64 KB of a
//! block is read to find its HTTP headers. Decompression is streamed: a member that inflates
//! to gigabytes costs time, never memory. Held-back records are at most one per member.
//!
//! Sources are named `FILE#record-N` (1-based, counting every record, damaged ones and ARC
//! version blocks included), and problems give the byte offset: the record's in an
//! uncompressed file, its gzip member's in a compressed one (the offset a CDX index would
//! give). ARC problems are `MalformedWarc` too: the kind is "a web archive record".

mod arc;
mod block;
mod members;
mod record;

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, BufRead, Read, Seek};

use sitrep_model::{Problem, ProblemKind};

pub use arc::looks_like_arc;
use block::Page;
use members::{Damage, Unpacked};
pub use record::looks_like_warc;

use crate::payload::decode_page;
use crate::raw::RawDoc;

/// Kinds of input passed over without a problem, with how many of each.
pub type PassedOver = BTreeMap<&'static str, u64>;

/// A readable, seekable input (a file): lets the reader restart just after a broken member.
pub trait SeekRead: Read + Seek + Send {}
impl<T: Read + Seek + Send> SeekRead for T {}

/// Where an archive's bytes come from.
pub enum WarcSource {
    /// A file: damaged members are searched past from their own start, and a record's
    /// length is checked against the file's size.
    Seekable(Box<dyn SeekRead>),
    /// A stream (stdin, a download): the search for the next member starts where the decoder
    /// stopped.
    Stream(Box<dyn Read + Send>),
}

/// Reads a WARC file; `gzip` says whether it is gzip-compressed. `name` is used in sources
/// and problems; `max_bytes` caps one page's payload.
pub fn read_warc(name: &str, source: WarcSource, gzip: bool, max_bytes: usize) -> WarcRecords {
    WarcRecords::new(name, source, gzip, max_bytes, Format::Warc)
}

/// Reads an ARC file, as [`read_warc`] reads a WARC file.
pub fn read_arc(name: &str, source: WarcSource, gzip: bool, max_bytes: usize) -> WarcRecords {
    WarcRecords::new(name, source, gzip, max_bytes, Format::Arc(arc::Layout::V1))
}

/// Which archive format the records are in.
enum Format {
    Warc,
    /// ARC, with the header layout its version block announced.
    Arc(arc::Layout),
}

/// The documents of one web archive, record by record. See the module documentation.
pub struct WarcRecords {
    name: String,
    input: Unpacked,
    format: Format,
    max_bytes: usize,
    /// Records started so far (the number of the current one).
    records: u64,
    passed_over: PassedOver,
    /// After a problem: skip silently to the next line that starts a record.
    lost_sync: bool,
    finished: bool,
    /// The gzip member the last record started in, and the first record that started in it.
    member: (u64, u64),
    /// Outcomes whose gzip member has not been verified yet.
    pending: VecDeque<Held>,
    /// Outcomes ready to hand out.
    ready: VecDeque<Result<RawDoc, Problem>>,
}

impl WarcRecords {
    fn new(
        name: &str,
        source: WarcSource,
        gzip: bool,
        max_bytes: usize,
        format: Format,
    ) -> WarcRecords {
        WarcRecords {
            name: name.to_string(),
            input: Unpacked::new(
                source,
                gzip,
                match format {
                    Format::Warc => record::starts_warc_record,
                    Format::Arc(_) => arc::starts_arc_record,
                },
            ),
            format,
            max_bytes,
            records: 0,
            passed_over: PassedOver::new(),
            lost_sync: false,
            finished: false,
            member: (0, 0),
            pending: VecDeque::new(),
            ready: VecDeque::new(),
        }
    }

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
            match self.next_record() {
                Ok(Step::End) => {
                    // Every member read to its end was whole.
                    self.finished = true;
                    while let Some(held) = self.pending.pop_front() {
                        self.hand_out(held.outcome);
                    }
                }
                Ok(step) => {
                    match step {
                        Step::Doc(doc) => self.hold(Outcome::Item(Box::new(Ok(*doc)))),
                        Step::Problem(problem) => self.hold(Outcome::Item(Box::new(Err(problem)))),
                        Step::PassedOver(kind) => self.hold(Outcome::PassedOver(kind)),
                        Step::Resynced | Step::End => {}
                    }
                    // A failure of the member's end (CRC, length, a cut trailer) is noted by
                    // the layer; it concerns what was just read.
                    if self.input.damage().is_none() {
                        let _ = self.input.settle();
                    }
                    if self.input.damage().is_some() {
                        let problem = self.recover(None);
                        self.ready.push_back(Err(problem));
                    }
                }
                Err(failure) if failure.layer => {
                    let problem = self.recover(Some(failure.record));
                    self.ready.push_back(Err(problem));
                }
                Err(failure) => {
                    // Bytes that are not a record take a number of their own, but do not
                    // show that their member holds several records: they may be what a
                    // corrupt member decoded to, and go with its record if it fails.
                    let record = match failure.record {
                        0 => {
                            self.records += 1;
                            self.records
                        }
                        n => n,
                    };
                    let problem =
                        self.problem(record, failure.offset, failure.kind, &failure.reason);
                    self.lost_sync = true;
                    self.finished |= failure.fatal;
                    self.hold(Outcome::Item(Box::new(Err(problem))));
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
    /// The gzip layer failed (see [`Unpacked::damage`]), rather than the record structure.
    layer: bool,
    /// Nothing more can be read (an I/O error on an uncompressed file).
    fatal: bool,
}

impl WarcRecords {
    /// Counts a record that starts here; returns its number. A second record starting in
    /// the same gzip member shows the member holds several: what came before goes out.
    fn begin_record(&mut self) -> u64 {
        self.lost_sync = false;
        self.records += 1;
        let member = self.input.members_started();
        if member == self.member.0 && self.input.is_gzip() {
            while let Some(held) = self.pending.pop_front() {
                self.hand_out(held.outcome);
            }
        } else {
            self.member = (member, self.records);
        }
        self.records
    }

    fn hold(&mut self, outcome: Outcome) {
        self.pending.push_back(Held {
            member: self.input.members_started(),
            record: self.records,
            outcome,
        });
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
            if held.member > self.input.members_verified() {
                break;
            }
            let held = self.pending.pop_front().expect("front exists");
            self.hand_out(held.outcome);
        }
    }

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

    /// Turns a failed gzip member into one problem, applies the module's rules to what it
    /// gave, and puts the reader back in step. `in_progress` is the record being read when
    /// the member failed: `None` between records, `Some(0)` before one was numbered.
    fn recover(&mut self, in_progress: Option<u64>) -> Problem {
        let (damage, detail) = self
            .input
            .damage()
            .unwrap_or((Damage::Corrupt, "read error".to_string()));
        let member = self.input.members_started();
        let offset = self.input.member_start();
        let mut dropped = None;
        match damage {
            // What was decoded before a cut is exactly what the file held.
            Damage::Cut => {
                while let Some(held) = self.pending.pop_front() {
                    self.hand_out(held.outcome);
                }
            }
            Damage::Corrupt => {
                while self
                    .pending
                    .back()
                    .is_some_and(|held| held.member >= member)
                {
                    let held = self.pending.pop_back().expect("back exists");
                    dropped = Some(held.record);
                }
            }
        }
        let lost = dropped.or(in_progress.filter(|&n| n > 0));
        let first_lost = lost.unwrap_or(self.records + 1);
        // Records of this member that went out before its end (a member holding several).
        let earlier = (self.member.0 == member && self.member.1 < first_lost)
            .then(|| records_phrase(self.member.1, first_lost - 1));
        let reason = match damage {
            Damage::Cut => {
                let mut reason = format!(
                    "gzip member is truncated: the input ends inside it, {} bytes into the \
                     file ({detail})",
                    self.input.file_offset()
                );
                if let Some(earlier) = &earlier {
                    reason.push_str(&format!("; read whole before the cut: {earlier}"));
                }
                reason
            }
            Damage::Corrupt => {
                let mut reason = format!("gzip member is corrupt ({detail})");
                if let Some(earlier) = &earlier {
                    reason.push_str(&format!(
                        "; handed out before the member's end could be checked, so possibly \
                         damaged too: {earlier}"
                    ));
                }
                reason.push_str("; reading resumes at the next member");
                reason
            }
        };
        let problem = if damage == Damage::Cut && in_progress.is_none() {
            // A cut right after a whole record (in the member's trailer) loses no record.
            Problem::new(
                self.name.clone(),
                ProblemKind::MalformedWarc,
                format!("at byte {offset}: {reason}"),
            )
        } else {
            // What the failed member gave after its first lost record is one loss: numbering
            // resumes after it, so a member's record keeps its number whatever the damage
            // made of its bytes.
            self.records = first_lost;
            self.problem(first_lost, offset, ProblemKind::MalformedWarc, reason)
        };
        self.lost_sync = true;
        if let Err(err) = self.input.resync() {
            // The input cannot be read any further (an I/O error on the file itself).
            self.finished = true;
            return Problem {
                reason: format!("{}; then: cannot read further: {err}", problem.reason),
                ..problem
            };
        }
        problem
    }

    fn failure(&self, record: u64, offset: u64, err: &io::Error) -> Failure {
        if self.input.damage().is_some() {
            return Failure {
                record,
                offset,
                kind: ProblemKind::MalformedWarc,
                reason: String::new(),
                layer: true,
                fatal: false,
            };
        }
        if err.kind() != io::ErrorKind::UnexpectedEof {
            return Failure {
                record,
                offset,
                kind: ProblemKind::Io,
                reason: format!("cannot read: {err}"),
                layer: false,
                fatal: !self.input.is_gzip(),
            };
        }
        let reason = if self.input.is_gzip() {
            format!("record runs past the end of its gzip member ({err})")
        } else {
            format!("record is truncated ({err})")
        };
        Failure::malformed(record, offset, reason)
    }

    /// In an uncompressed file: a block that would run past the end of the file is refused
    /// before it is read, and reading resumes inside it.
    fn check_length(&self, record: u64, offset: u64, length: u64) -> Result<(), Failure> {
        match self.input.plain_bytes_left() {
            Some(left) if length > left => Err(Failure::malformed(
                record,
                offset,
                format!(
                    "record is truncated or its length is wrong: the block is {length} bytes, \
                     the file ends {left} bytes into it; reading resumes at the next record"
                ),
            )),
            _ => Ok(()),
        }
    }

    fn next_record(&mut self) -> Result<Step, Failure> {
        // Blank lines between records are tolerated.
        let offset = match self.skip_blank_lines() {
            Ok(Some(offset)) => offset,
            Ok(None) => return Ok(Step::End),
            Err(err) => return Err(self.failure(0, self.input.offset(), &err)),
        };
        // A record ends in the gzip member it started in.
        self.input.set_bounded(true);
        let step = match self.format {
            Format::Warc => self.warc_record(offset),
            Format::Arc(_) => self.arc_record(offset),
        };
        if step.is_ok() {
            self.skip_record_end();
        }
        self.input.set_bounded(false);
        step
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

    /// The line ends that close a record. A read error here is left to the layer (it notes
    /// a damaged member) or to the next record.
    fn skip_record_end(&mut self) {
        for _ in 0..4 {
            match self.input.fill_buf() {
                Ok([b'\r' | b'\n', ..]) => self.input.consume(1),
                _ => break,
            }
        }
    }

    /// Reads a page's payload and decodes it: a document, or the problem that refuses it.
    fn page_step(
        &mut self,
        record: u64,
        offset: u64,
        url: Option<String>,
        page: Page,
        mut warnings: Vec<String>,
    ) -> io::Result<Step> {
        let charset = page.media.charset.clone();
        let body = match page.read(&mut self.input, self.max_bytes)? {
            Ok(body) => body,
            Err((kind, reason)) => {
                return Ok(Step::Problem(self.problem(record, offset, kind, reason)));
            }
        };
        let page = decode_page(&body, charset.as_deref());
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

/// "record 7" or "records 3 to 7".
fn records_phrase(from: u64, to: u64) -> String {
    if from == to {
        format!("record {from}")
    } else {
        format!("records {from} to {to}")
    }
}

/// One line without its line end (`\n` or `\r\n`), and whether it is whole; `None` at the
/// end of input. A line longer than `cap` is consumed but cut to `cap` bytes.
fn read_line(input: &mut impl BufRead, cap: usize) -> io::Result<Option<(Vec<u8>, bool)>> {
    let mut line = Vec::new();
    let mut whole = true;
    let mut any = false;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(any.then_some((line, whole)));
        }
        any = true;
        let newline = memchr::memchr(b'\n', buf);
        let chunk = &buf[..newline.unwrap_or(buf.len())];
        let room = cap.saturating_sub(line.len());
        whole &= chunk.len() <= room;
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len() + usize::from(newline.is_some());
        input.consume(used);
        if newline.is_some() {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some((line, whole)));
        }
    }
}

#[cfg(test)]
mod tests;
