//! Opening an input: a file or a stream, looked into by its first bytes. Gzip is decompressed
//! (a WARC inside is read member by member), WARC archives and feeds go to their readers, and
//! everything else to kind detection.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek};
use std::path::Path;

use sitrep_model::{Problem, ProblemKind};

use super::json::JsonLines;
use super::kind::{Kind, forced_kind, is_arc, is_feed, is_warc, sniff_kind};
use super::options::{FEED_CAP_FACTOR, ReadOptions};
use super::origin::{Origin, extension, is_url};
use super::stream::Stream;
use super::whole::{from_decoded, html_file, read_whole, read_whole_capped};
use crate::decode::{check_binary, decode};
use crate::feed::{FeedItems, parse_feed_owned};
use crate::warc::{WarcSource, read_arc, read_warc};

/// How much of an input is read to decide what it is.
const SNIFF_BYTES: usize = 8 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// [`read_warc`] or [`read_arc`].
type ReadArchive = fn(&str, WarcSource, bool, usize) -> crate::warc::WarcRecords;

pub(super) fn open_file(path: &Path, opts: &ReadOptions) -> Stream {
    let name = path.display().to_string();
    let mut file = match open_for_reading(path, opts.fifo_wait) {
        Ok(file) => file,
        Err(err) => {
            let reason = format!("cannot open: {err}");
            return Stream::one(Err(Problem::new(name, ProblemKind::Io, reason)));
        }
    };
    let size = file.metadata().ok().map(|m| m.len());
    let mut origin = Origin {
        name,
        size,
        ext: extension(path),
        is_file: true,
    };
    // Compressed files and WARC archives are read from the file itself (not a copy of its
    // start chained to the rest), so that the WARC reader can seek past damaged members.
    let mut magic = [0u8; 16];
    let head = match read_prefix(&mut file, &mut magic) {
        Ok(n) => &magic[..n],
        Err(err) => {
            return Stream::one(Err(
                origin.problem(ProblemKind::Io, format!("cannot read: {err}"))
            ));
        }
    };
    if file.seek(io::SeekFrom::Start(0)).is_err() {
        // A pipe given as a path (`<(zcat x.gz)`, a FIFO): read it as a stream, start
        // included. One with no writer reads as an empty input.
        origin.size = None;
        origin.is_file = false;
        let replay: Box<dyn Read + Send> = Box::new(Cursor::new(head.to_vec()).chain(file));
        return open_stream(origin, replay, opts);
    }
    if head.starts_with(&GZIP_MAGIC) {
        origin.ext = inner_extension(path);
        origin.size = None;
        return open_gzip(origin, GzInput::File(file), opts);
    }
    let archive = if is_arc(opts.input, &origin, head) {
        Some(read_arc as ReadArchive)
    } else if is_warc(opts.input, &origin, head) {
        Some(read_warc as ReadArchive)
    } else {
        None
    };
    if let Some(read) = archive {
        let source = WarcSource::Seekable(Box::new(file));
        return Stream::Warc(Box::new(read(&origin.name, source, false, opts.max_bytes)));
    }
    open_stream(origin, Box::new(file), opts)
}

pub(super) fn open_stream(
    origin: Origin,
    mut reader: Box<dyn Read + Send>,
    opts: &ReadOptions,
) -> Stream {
    let max_bytes = opts.max_bytes;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if let Err(err) = (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
    {
        return Stream::one(Err(
            origin.problem(ProblemKind::Io, format!("cannot read: {err}"))
        ));
    }
    if head.starts_with(&GZIP_MAGIC) {
        let mut origin = origin;
        if origin.ext_is(&["gz"]) {
            origin.ext = inner_extension(Path::new(&origin.name));
        }
        origin.size = None;
        let replay: Box<dyn Read + Send> = Box::new(Cursor::new(head).chain(reader));
        return open_gzip(origin, GzInput::Stream(replay), opts);
    }
    let forced = opts.input;
    if is_arc(forced, &origin, &head) {
        let replay: Box<dyn Read + Send> = Box::new(Cursor::new(head).chain(reader));
        let records = read_arc(&origin.name, WarcSource::Stream(replay), false, max_bytes);
        return Stream::Warc(Box::new(records));
    }
    if is_warc(forced, &origin, &head) {
        let replay: Box<dyn Read + Send> = Box::new(Cursor::new(head).chain(reader));
        let records = read_warc(&origin.name, WarcSource::Stream(replay), false, max_bytes);
        return Stream::Warc(Box::new(records));
    }
    if is_feed(forced, &origin, &head) {
        return open_feed(origin, head, reader, opts);
    }
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if utf16 {
        // UTF-16 cannot be split into lines byte-wise: decode the whole input first.
        let bytes = match read_whole(&origin, head, reader, max_bytes) {
            Ok(bytes) => bytes,
            Err(problem) => return Stream::one(Err(problem)),
        };
        return match decode(&bytes) {
            Ok(decoded) => {
                let head = decoded.text.as_bytes();
                let kind = forced_kind(forced, head).unwrap_or_else(|| sniff_kind(head, &origin));
                from_decoded(&origin, kind, decoded.text, decoded.encoding, max_bytes)
            }
            Err(err) => Stream::one(Err(origin.problem(ProblemKind::Decode, err.to_string()))),
        };
    }
    let unmarked = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&head);
    if let Err(err) = check_binary(unmarked) {
        return Stream::one(Err(origin.problem(ProblemKind::Decode, err.to_string())));
    }
    let kind = forced_kind(forced, unmarked).unwrap_or_else(|| sniff_kind(unmarked, &origin));
    if kind == Kind::JsonLines {
        let reader = BufReader::new(Cursor::new(head).chain(reader));
        return Stream::Lines(JsonLines::new(&origin, Box::new(reader), max_bytes));
    }
    let bytes = match read_whole(&origin, head, reader, max_bytes) {
        Ok(bytes) => bytes,
        Err(problem) => return Stream::one(Err(problem)),
    };
    if kind == Kind::Html {
        return html_file(&origin, &bytes);
    }
    match decode(&bytes) {
        Ok(decoded) => from_decoded(&origin, kind, decoded.text, decoded.encoding, max_bytes),
        Err(err) => Stream::one(Err(origin.problem(ProblemKind::Decode, err.to_string()))),
    }
}

/// Opens a file or a FIFO for reading. A plain open of a FIFO blocks until a writer opens it,
/// maybe forever; here it is opened without waiting, then given `wait` for a writer to come
/// (on Linux, `poll` reports nothing on a FIFO that never had a writer). One that gets no
/// writer in time is an error saying so; one that does reads as a stream.
#[cfg(unix)]
fn open_for_reading(path: &Path, wait: std::time::Duration) -> io::Result<File> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    if file.metadata()?.file_type().is_fifo() {
        let timeout = Timespec {
            tv_sec: wait.as_secs().try_into().unwrap_or(i64::MAX),
            tv_nsec: wait.subsec_nanos().into(),
        };
        let mut fds = [PollFd::new(&file, PollFlags::IN)];
        let ready = loop {
            match poll(&mut fds, Some(&timeout)) {
                Err(rustix::io::Errno::INTR) => continue,
                other => break other?,
            }
        };
        if ready == 0 {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "a FIFO with no writer: none opened it within {} s",
                    wait.as_secs_f64()
                ),
            ));
        }
    }
    // Reads block again (while a writer is still writing), as for any stream.
    fcntl_setfl(&file, fcntl_getfl(&file)? - OFlags::NONBLOCK)?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_for_reading(path: &Path, _: std::time::Duration) -> io::Result<File> {
    File::open(path)
}

/// A feed: read whole up to the whole-feed cap, then item by item, each item held to the
/// per-document cap.
fn open_feed(
    origin: Origin,
    head: Vec<u8>,
    reader: Box<dyn Read + Send>,
    opts: &ReadOptions,
) -> Stream {
    let cap_name = format!("whole-feed cap ({FEED_CAP_FACTOR} × --max-doc-size)");
    let bytes = match read_whole_capped(&origin, head, reader, opts.max_feed_bytes(), &cap_name) {
        Ok(bytes) => bytes,
        Err(problem) => return Stream::one(Err(problem)),
    };
    let base = is_url(&origin.name).then_some(origin.name.as_str());
    match parse_feed_owned(bytes, base) {
        Ok(feed) => {
            let items = FeedItems::new(feed, origin.name.clone(), opts.fetcher.clone())
                .max_item_bytes(opts.max_bytes);
            Stream::Feed(Box::new(items))
        }
        Err(reason) => Stream::one(Err(origin.problem(ProblemKind::MalformedFeed, reason))),
    }
}

/// Reads as much of `buf` as the input has.
fn read_prefix(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// The extension under `.gz`: `jsonl` for `x.jsonl.gz`.
fn inner_extension(path: &Path) -> Option<String> {
    let stem = path.file_stem()?;
    extension(Path::new(stem))
}

/// A gzip input: a file (seekable) or a stream.
enum GzInput {
    File(File),
    Stream(Box<dyn Read + Send>),
}

/// Records every byte read through it, so a stream's start can be read twice.
struct Tee<R> {
    inner: R,
    copy: Vec<u8>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.copy.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// A gzip input: a WARC inside is read member by member (so damage is survived); anything
/// else is decompressed as one stream and read as what it holds.
fn open_gzip(origin: Origin, input: GzInput, opts: &ReadOptions) -> Stream {
    let mut head = vec![0u8; SNIFF_BYTES];
    let (head_len, input) = match input {
        GzInput::File(mut file) => {
            let n = read_prefix(&mut flate2::read::GzDecoder::new(&file), &mut head).unwrap_or(0);
            if let Err(err) = file.seek(io::SeekFrom::Start(0)) {
                return Stream::one(Err(
                    origin.problem(ProblemKind::Io, format!("cannot read: {err}"))
                ));
            }
            (n, GzInput::File(file))
        }
        GzInput::Stream(reader) => {
            let mut tee = Tee {
                inner: reader,
                copy: Vec::new(),
            };
            let n =
                read_prefix(&mut flate2::read::GzDecoder::new(&mut tee), &mut head).unwrap_or(0);
            let replay: Box<dyn Read + Send> = Box::new(Cursor::new(tee.copy).chain(tee.inner));
            (n, GzInput::Stream(replay))
        }
    };
    let head = &head[..head_len];
    let archive = if is_arc(opts.input, &origin, head) {
        Some(read_arc as ReadArchive)
    } else if is_warc(opts.input, &origin, head) {
        Some(read_warc as ReadArchive)
    } else {
        None
    };
    if let Some(read) = archive {
        let source = match input {
            GzInput::File(file) => WarcSource::Seekable(Box::new(file)),
            GzInput::Stream(reader) => WarcSource::Stream(reader),
        };
        return Stream::Warc(Box::new(read(&origin.name, source, true, opts.max_bytes)));
    }
    let raw: Box<dyn Read + Send> = match input {
        GzInput::File(file) => Box::new(file),
        GzInput::Stream(reader) => reader,
    };
    let decompressed = flate2::read::MultiGzDecoder::new(raw);
    open_stream(origin, Box::new(decompressed), opts)
}
