//! The byte layer under WARC and ARC records: the file's bytes, decompressed gzip member by
//! gzip member when compressed, with what a damaged member means for the records in it.
//!
//! Members are decoded one at a time (not as one multi-member stream, which stops at the
//! first bad member), and a buffer never holds bytes of two members, so a member is
//! finished, and its CRC and length checked, before any byte of the next one is read. While
//! a record is being read the layer is *bounded*: at the end of a member it looks at how the
//! next member starts (inflating its first kilobyte apart), and if that is the start of a
//! record, the member's end reads as the end of input. So a record whose `Content-Length`
//! runs past its member is damaged on its own and the next record is read as usual, while a
//! record some tool split over two members (warcio's `example-wrong-chunks.warc.gz`) is
//! still read whole.
//!
//! A member that fails is [`Damage::Cut`] when the decoder ran out of input (the file ends
//! inside the member, whether in its header, its deflate data or its trailer) and
//! [`Damage::Corrupt`] otherwise (bad deflate data, a CRC or length mismatch, a malformed
//! header). What the records make of each is the business of [`super::WarcRecords`].
//!
//! Gzip headers are checked here before the decoder sees them, with bounds: a file name or
//! comment field (zero-terminated, of any length in the format) longer than
//! [`MAX_HEADER_FIELD`] makes the member corrupt instead of being read into memory. After a
//! failure the search for the next member accepts only plausible headers (deflate method, no
//! reserved flag, an extra-flags value of 0, 2 or 4, a known operating-system code), so that
//! the bytes `1f 8b 08` inside compressed data are rarely taken for a member.

use std::io::{self, BufRead, Read, SeekFrom};

use flate2::bufread::GzDecoder;

use super::WarcSource;

/// Buffer for the compressed and the decompressed stream.
const BUFFER: usize = 64 * 1024;
/// The longest file name or comment accepted in a gzip member header.
const MAX_HEADER_FIELD: usize = 4 * 1024;
/// How much of the next member is inflated to see whether it starts a record, and from at
/// most how many compressed bytes.
const PEEK: usize = 1024;
const PEEK_COMPRESSED: usize = 16 * 1024;

/// Whether decompressed bytes are the start of a record (the format's first line).
pub(super) type StartsRecord = fn(&[u8]) -> bool;

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

/// How a gzip member failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Damage {
    /// The input ends inside the member: what was decoded before the cut is exactly what
    /// the whole member would have given up to there.
    Cut,
    /// The member's bytes are wrong (bad deflate data, CRC or length mismatch, bad header),
    /// or the file could not be read.
    Corrupt,
}

/// `Read` for a layer that keeps its own buffer: copies from what [`BufRead::fill_buf`] has.
fn read_from_buffer(input: &mut impl BufRead, out: &mut [u8]) -> io::Result<usize> {
    let available = input.fill_buf()?;
    let n = available.len().min(out.len());
    out[..n].copy_from_slice(&available[..n]);
    input.consume(n);
    Ok(n)
}

/// The file's bytes, buffered, with their absolute offset, and a way back for files.
pub(super) struct Packed {
    source: WarcSource,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Absolute offset of `buf[start]`.
    offset: u64,
    /// The file's size, for a file.
    size: Option<u64>,
}

impl Packed {
    pub(super) fn new(mut source: WarcSource) -> Packed {
        let size = match &mut source {
            WarcSource::Seekable(file) => {
                let size = file.seek(SeekFrom::End(0)).ok();
                // A file that cannot seek back is read from where it is, as a stream would be.
                if file.seek(SeekFrom::Start(0)).is_err() {
                    None
                } else {
                    size
                }
            }
            WarcSource::Stream(_) => None,
        };
        Packed {
            source,
            buf: vec![0; BUFFER],
            start: 0,
            end: 0,
            offset: 0,
            size,
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

    /// Moves to the next plausible gzip member header; `false` at the end of input.
    fn seek_member(&mut self) -> io::Result<bool> {
        loop {
            let data = self.fill_at_least(10)?;
            if data.len() < 10 {
                let len = data.len();
                self.consume(len);
                return Ok(false);
            }
            match memchr::memchr(0x1f, data) {
                None => {
                    let len = data.len();
                    self.consume(len);
                }
                Some(i) if data.len() - i < 10 => self.consume(i),
                Some(i) => {
                    if plausible_member(&data[i..i + 10]) {
                        self.consume(i);
                        return Ok(true);
                    }
                    self.consume(i + 1);
                }
            }
        }
    }

    /// Checks the gzip header that starts here, reading as far as it goes; `Err(reason)`
    /// for one that is malformed or cut short.
    fn check_header(&mut self) -> io::Result<Result<(), (Damage, String)>> {
        let mut needed = 10;
        loop {
            let data = self.fill_at_least(needed)?;
            let got = data.len();
            match header_length(data) {
                Header::Complete => return Ok(Ok(())),
                Header::Bad(reason) => return Ok(Err((Damage::Corrupt, reason))),
                Header::NeedMore(_) if got < needed => {
                    let reason = "the file ends inside the gzip member's header".to_string();
                    return Ok(Err((Damage::Cut, reason)));
                }
                // `more` is always past what `data` holds, so this makes progress.
                Header::NeedMore(more) => needed = more,
            }
        }
    }
}

/// Whether the member that starts here starts a record; a member that does not inflate is
/// taken as one (the record before it ends where its own member does).
fn starts_record(packed: &mut Packed, is_start: StartsRecord) -> bool {
    let Ok(data) = packed.fill_at_least(PEEK_COMPRESSED) else {
        return true;
    };
    let mut decoder = GzDecoder::new(data);
    let mut out = [0u8; PEEK];
    let mut got = 0;
    while got < PEEK {
        match decoder.read(&mut out[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    got == 0 || is_start(&out[..got])
}

/// Whether ten bytes look like the start of a gzip member written by a real compressor.
fn plausible_member(head: &[u8]) -> bool {
    head[0] == 0x1f
        && head[1] == 0x8b
        && head[2] == 8
        && head[3] & 0xE0 == 0
        && matches!(head[8], 0 | 2 | 4)
        && (head[9] <= 13 || head[9] == 255)
}

/// How far a gzip header is known to go.
enum Header {
    Complete,
    /// At least this many bytes are needed to see the header's end.
    NeedMore(usize),
    Bad(String),
}

/// Walks a gzip header (RFC 1952) in `data`, which starts at the member.
fn header_length(data: &[u8]) -> Header {
    if data.len() < 10 {
        return Header::NeedMore(10);
    }
    if data[..3] != [0x1f, 0x8b, 8] || data[3] & 0xE0 != 0 {
        return Header::Bad("not a gzip member header (magic, method or flags)".to_string());
    }
    let flags = data[3];
    let mut at = 10;
    if flags & FEXTRA != 0 {
        if data.len() < at + 2 {
            return Header::NeedMore(at + 2);
        }
        at += 2 + usize::from(u16::from_le_bytes([data[at], data[at + 1]]));
        if data.len() < at {
            return Header::NeedMore(at);
        }
    }
    for (flag, what) in [(FNAME, "file name"), (FCOMMENT, "comment")] {
        if flags & flag == 0 {
            continue;
        }
        let window = &data[at..data.len().min(at + MAX_HEADER_FIELD + 1)];
        match memchr::memchr(0, window) {
            Some(i) => at += i + 1,
            None if window.len() > MAX_HEADER_FIELD => {
                return Header::Bad(format!(
                    "the gzip member's {what} is over {MAX_HEADER_FIELD} bytes"
                ));
            }
            None => return Header::NeedMore(at + MAX_HEADER_FIELD + 1),
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    if data.len() < at {
        return Header::NeedMore(at);
    }
    Header::Complete
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

/// The record text: the file's bytes, decompressed member by member when gzipped.
pub(super) struct Unpacked {
    layer: Layer,
    out: Vec<u8>,
    start: usize,
    end: usize,
    /// Offset of the member the buffered bytes come from.
    member_start: u64,
    /// Gzip members started, and the number of the last one read to a verified end.
    members_started: u64,
    members_verified: u64,
    /// While set, the end of the current member reads as the end of input when the next
    /// member starts a record.
    bounded: bool,
    starts_record: StartsRecord,
    /// How the last member failed, and the decoder's reason, until [`Unpacked::resync`].
    damage: Option<(Damage, String)>,
}

impl Unpacked {
    pub(super) fn new(source: WarcSource, gzip: bool, starts_record: StartsRecord) -> Unpacked {
        let packed = Packed::new(source);
        Unpacked {
            layer: if gzip {
                Layer::Gzip(GzState::Between(packed))
            } else {
                Layer::Plain(packed)
            },
            out: vec![0; BUFFER],
            start: 0,
            end: 0,
            member_start: 0,
            members_started: 0,
            members_verified: 0,
            bounded: false,
            starts_record,
            damage: None,
        }
    }

    pub(super) fn is_gzip(&self) -> bool {
        matches!(self.layer, Layer::Gzip(_))
    }

    /// Offset of the next byte: in the file for plain input, of its member for gzip.
    pub(super) fn offset(&self) -> u64 {
        match &self.layer {
            Layer::Plain(packed) => packed.offset - (self.end - self.start) as u64,
            Layer::Gzip(_) => self.member_start,
        }
    }

    /// Offset of the member the next byte comes from.
    pub(super) fn member_start(&self) -> u64 {
        self.member_start
    }

    /// Members started so far; the current one's number.
    pub(super) fn members_started(&self) -> u64 {
        self.members_started
    }

    /// The number of the last member read to a verified end.
    pub(super) fn members_verified(&self) -> u64 {
        self.members_verified
    }

    /// How the layer failed, after a read error from it; `None` when it did not.
    pub(super) fn damage(&self) -> Option<(Damage, String)> {
        self.damage.clone()
    }

    /// Compressed bytes read so far (for a gzip input), or the plain offset.
    pub(super) fn file_offset(&self) -> u64 {
        match &self.layer {
            Layer::Plain(packed) => packed.offset,
            Layer::Gzip(GzState::Member { decoder, .. }) => decoder.get_ref().offset,
            Layer::Gzip(GzState::Between(packed) | GzState::Broken { packed, .. }) => packed.offset,
            Layer::Gzip(GzState::Switching) => 0,
        }
    }

    /// Bytes left in an uncompressed file after the next byte, when the size is known.
    pub(super) fn plain_bytes_left(&self) -> Option<u64> {
        match &self.layer {
            Layer::Plain(packed) => Some(packed.size?.saturating_sub(self.offset())),
            Layer::Gzip(_) => None,
        }
    }

    /// Bounds reading to the current member (see the module documentation).
    pub(super) fn set_bounded(&mut self, bounded: bool) {
        self.bounded = bounded;
    }

    /// Refills the empty buffer. `stop_at_member_end` leaves the layer between members
    /// instead of starting the next one.
    fn refill(&mut self, stop_at_member_end: bool) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        if let Layer::Plain(packed) = &mut self.layer {
            self.end = packed.read(&mut self.out)?;
            return Ok(());
        }
        loop {
            match self.take_gz() {
                GzState::Between(mut packed) => {
                    let at_end = match packed.fill_buf() {
                        Ok(head) => head.is_empty(),
                        Err(err) => return Err(self.fail(packed, None, Damage::Corrupt, err)),
                    };
                    if stop_at_member_end
                        || at_end
                        || (self.bounded && starts_record(&mut packed, self.starts_record))
                    {
                        self.set_gz(GzState::Between(packed));
                        return Ok(());
                    }
                    let start = packed.offset;
                    self.member_start = start;
                    // A failed header counts as a member of its own, so that it fails alone.
                    self.members_started += 1;
                    match packed.check_header() {
                        Ok(Ok(())) => self.set_gz(GzState::Member {
                            decoder: Box::new(GzDecoder::new(packed)),
                            start,
                        }),
                        Ok(Err((damage, reason))) => {
                            let err = match damage {
                                Damage::Cut => io::Error::new(
                                    io::ErrorKind::UnexpectedEof,
                                    format!(
                                        "the file ends inside the header of the gzip member at byte {start}"
                                    ),
                                ),
                                Damage::Corrupt => io::Error::new(
                                    io::ErrorKind::InvalidData,
                                    format!(
                                        "bytes at offset {start} are not a gzip member ({reason})"
                                    ),
                                ),
                            };
                            return Err(self.fail(packed, Some(start), damage, err));
                        }
                        Err(err) => {
                            return Err(self.fail(packed, Some(start), Damage::Corrupt, err));
                        }
                    }
                }
                GzState::Member { mut decoder, start } => match decoder.read(&mut self.out) {
                    Ok(0) => {
                        self.members_verified = self.members_started;
                        self.set_gz(GzState::Between(decoder.into_inner()));
                        if stop_at_member_end {
                            return Ok(());
                        }
                    }
                    Ok(n) => {
                        self.end = n;
                        self.set_gz(GzState::Member { decoder, start });
                        return Ok(());
                    }
                    Err(err) => {
                        // The decoder reports the end of input as such, and bad data (deflate
                        // codes, CRC, length) as invalid input.
                        let damage = if err.kind() == io::ErrorKind::UnexpectedEof {
                            Damage::Cut
                        } else {
                            Damage::Corrupt
                        };
                        return Err(self.fail(decoder.into_inner(), Some(start), damage, err));
                    }
                },
                broken @ GzState::Broken { .. } => {
                    self.set_gz(broken);
                    return Err(io::Error::other("gzip stream out of step"));
                }
                GzState::Switching => {
                    return Err(io::Error::other("gzip reader left in a bad state"));
                }
            }
        }
    }

    /// Records how a member failed and keeps its bytes for [`Unpacked::resync`].
    fn fail(
        &mut self,
        packed: Packed,
        start: Option<u64>,
        damage: Damage,
        err: io::Error,
    ) -> io::Error {
        self.damage = Some((damage, err.to_string()));
        self.set_gz(GzState::Broken { packed, start });
        err
    }

    fn take_gz(&mut self) -> GzState {
        match &mut self.layer {
            Layer::Gzip(gz) => std::mem::replace(gz, GzState::Switching),
            Layer::Plain(_) => GzState::Switching,
        }
    }

    fn set_gz(&mut self, state: GzState) {
        if let Layer::Gzip(gz) = &mut self.layer {
            *gz = state;
        }
    }

    /// When the buffer is empty inside a member, reads on far enough to know whether the
    /// member ends here, and if so checks its CRC and length. Bytes of a following record in
    /// the same member stay buffered.
    pub(super) fn settle(&mut self) -> io::Result<()> {
        if self.start == self.end && matches!(self.layer, Layer::Gzip(GzState::Member { .. })) {
            self.refill(true)?;
        }
        Ok(())
    }

    /// After a failure: drops buffered bytes and moves to the next gzip member (for a file,
    /// searching from one byte past the failed member's start). Plain input just goes on;
    /// the record parser skips to the next record.
    pub(super) fn resync(&mut self) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        self.damage = None;
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
mod tests {
    use super::*;

    #[test]
    fn gzip_headers_are_walked_with_bounds() {
        let base = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        assert!(matches!(header_length(&base), Header::Complete));
        assert!(matches!(header_length(&base[..6]), Header::NeedMore(10)));
        let mut named = base.to_vec();
        named[3] = FNAME;
        named.extend_from_slice(b"crawl.warc");
        assert!(matches!(header_length(&named), Header::NeedMore(_)));
        named.push(0);
        assert!(matches!(header_length(&named), Header::Complete));
        let mut endless = base.to_vec();
        endless[3] = FNAME | FCOMMENT;
        endless.extend(std::iter::repeat_n(b'a', MAX_HEADER_FIELD + 10));
        assert!(
            matches!(header_length(&endless), Header::Bad(reason) if reason.contains("file name"))
        );
        let mut extra = base.to_vec();
        extra[3] = FEXTRA | FHCRC;
        extra.extend_from_slice(&[3, 0, 1, 2, 3]);
        assert!(matches!(header_length(&extra), Header::NeedMore(17)));
        extra.extend_from_slice(&[0, 0]);
        assert!(matches!(header_length(&extra), Header::Complete));
        let mut reserved = base;
        reserved[3] = 0x20;
        assert!(matches!(header_length(&reserved), Header::Bad(_)));
    }

    #[test]
    fn only_plausible_headers_are_taken_when_searching() {
        let good = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        assert!(plausible_member(&good));
        let mut odd_xfl = good;
        odd_xfl[8] = 7;
        assert!(!plausible_member(&odd_xfl));
        let mut odd_os = good;
        odd_os[9] = 77;
        assert!(!plausible_member(&odd_os));
        let mut unknown = good;
        unknown[9] = 255;
        assert!(plausible_member(&unknown));
    }
}
