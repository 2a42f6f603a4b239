//! Readers: files, directories, JSON Lines and stdin, streamed as [`RawDoc`]s.
//!
//! [`read_inputs`] turns command-line paths into an iterator of documents and problems. It is
//! lazy: a directory is walked entry by entry, a JSON Lines file is read line by line, and
//! nothing is read before the caller asks for the next document, so a corpus of any size
//! runs in constant memory. Bad input never stops the iteration: it becomes a [`Problem`]
//! naming the file (and line) and the reason, and reading goes on with the next input.
//!
//! How an input is read:
//! - **URLs.** An input that starts with `http://` or `https://` is fetched with
//!   [`ReadOptions::fetcher`] (without one it is a problem: reading is offline unless asked);
//!   the response is an HTML page, a feed, or any of the kinds below, by its content type and
//!   first bytes. A page's charset comes from the HTTP header ([`crate::payload`]).
//! - **Compression.** A gzip input (by its magic number, whatever its name) is looked into:
//!   a WARC inside is read as a compressed WARC, member by member; anything else is
//!   decompressed as a stream and its kind decided on the decompressed bytes (the extension
//!   under `.gz` counts: `x.jsonl.gz` is JSON Lines).
//! - **WARC.** A `.warc` file or an input starting with `WARC/1.` is read record by record
//!   ([`crate::warc`]); records that are not HTML pages are counted in
//!   [`Inputs::passed_over`], not reported as problems.
//! - **Feeds.** An input whose first element is `<rss`, `<rdf:RDF` or an Atom `<feed`, or a
//!   JSON object with a JSON Feed `"version"`, is a feed: one document per item, items with
//!   only a link fetched when there is a fetcher ([`crate::feed`]). `.rss` and `.atom` files
//!   are feeds whatever they start with.
//! - **Forced kind.** [`ReadOptions::input`] overrides all detection (`--input KIND`).
//! - **Kind.** A `.jsonl`, `.ndjson` or `.json` file, or any input whose first non-blank byte
//!   is `{`, is JSON: normally JSON Lines (one document per line), but a file that opens with
//!   `[` or with a lone `{` line is one JSON document (an object or an array of objects). A
//!   `.html`/`.htm` file or an input starting with `<!doctype html`/`<html` is HTML, kept
//!   whole in [`RawDoc::html`] for [`crate::extract_html`] and decoded as a web page is (a
//!   `<meta charset>` is honoured, see [`crate::payload::decode_page`]). Anything else is
//!   plain text: the whole file is one document.
//! - **Size.** One document may be at most [`ReadOptions::max_bytes`]. A text file's size is
//!   taken from its metadata before it is read, so an oversized file is refused without being
//!   loaded; a JSON Lines line is read in bounded chunks and an oversized line is skipped
//!   without being held in memory.
//! - **Bytes.** The first 8 KB are checked for binary data before anything else; text is
//!   decoded by [`crate::decode()`] (BOMs, UTF-8, Windows-1252 fallback).
//! - **Directories** are walked recursively in file-name order, skipping hidden entries
//!   (names starting with `.`), following symbolic links.

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use encoding_rs::WINDOWS_1252;
use serde_json::{Map, Value};
use sitrep_model::{Problem, ProblemKind};

use crate::decode::{TextEncoding, check_binary, decode, normalise_line_ends};
use crate::feed::{FeedItems, looks_like_feed, parse_feed};
use crate::fetch::Fetcher;
use crate::payload::looks_like_html;
use crate::published::parse_published;
use crate::raw::RawDoc;
use crate::warc::{PassedOver, WarcRecords, WarcSource, looks_like_warc, read_warc};

/// How much of an input is read to decide what it is.
const SNIFF_BYTES: usize = 8 * 1024;

/// Reader settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// The largest document, in bytes: a text file, a JSON Lines line, a JSON file, a page.
    pub max_bytes: usize,
    /// Read every input as this kind instead of detecting it (`--input`).
    pub input: Option<InputKind>,
    /// The HTTP client for URL inputs and feed items that are only links; `None` keeps
    /// reading offline (such inputs are problems).
    pub fetcher: Option<Fetcher>,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            max_bytes: 10_000_000,
            input: None,
            fetcher: None,
        }
    }
}

/// The kinds of input, for overriding detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputKind {
    /// The whole input is one plain-text article.
    Text,
    /// JSON Lines (or one JSON document: an object or an array of objects).
    JsonLines,
    /// The whole input is one HTML page.
    Html,
    /// A WARC archive, compressed or not.
    Warc,
    /// An RSS, Atom or JSON Feed feed.
    Feed,
}

/// Reads every input: files, directories (recursively) and `-` for stdin, in the order given.
///
/// ```
/// use sitrep_read::{read_inputs, ReadOptions};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.txt"), "Troops arrived in the capital on Friday.").unwrap();
/// std::fs::write(dir.path().join("b.jsonl"), "{\"text\": \"Talks resumed.\"}\nnot json\n").unwrap();
/// let items: Vec<_> = read_inputs(&[dir.path().to_path_buf()], &ReadOptions::default()).collect();
/// assert_eq!(items.len(), 3);
/// assert!(items[0].is_ok() && items[1].is_ok());
/// assert_eq!(items[2].as_ref().unwrap_err().line, Some(2));
/// ```
pub fn read_inputs(paths: &[PathBuf], opts: &ReadOptions) -> Inputs {
    Inputs {
        opts: opts.clone(),
        pending: paths.iter().cloned().collect(),
        walker: None,
        current: None,
        passed_over: PassedOver::new(),
    }
}

/// The iterator returned by [`read_inputs`].
pub struct Inputs {
    opts: ReadOptions,
    pending: VecDeque<PathBuf>,
    walker: Option<Walker>,
    current: Option<Stream>,
    passed_over: PassedOver,
}

impl Inputs {
    /// Reads one stream as an input named `name`, the way stdin is read: its kind comes from
    /// the name's extension or its content. For callers that already hold a reader (tests, an
    /// HTTP upload).
    pub fn from_reader(
        name: impl Into<String>,
        reader: impl Read + Send + 'static,
        opts: &ReadOptions,
    ) -> Inputs {
        let name = name.into();
        let ext = extension(Path::new(&name));
        let stream = open_stream(
            Origin {
                name,
                size: None,
                ext,
                is_file: false,
            },
            Box::new(reader),
            opts,
        );
        Inputs {
            opts: opts.clone(),
            pending: VecDeque::new(),
            walker: None,
            current: Some(stream),
            passed_over: PassedOver::new(),
        }
    }

    /// What was read past without a problem so far (WARC records that are not HTML pages,
    /// redirects, ...), by kind, for a summary line.
    pub fn passed_over(&self) -> PassedOver {
        let mut all = self.passed_over.clone();
        if let Some(Stream::Warc(records)) = &self.current {
            for (kind, n) in records.passed_over() {
                *all.entry(kind).or_default() += n;
            }
        }
        all
    }
}

impl fmt::Debug for Inputs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inputs")
            .field("opts", &self.opts)
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}

impl Iterator for Inputs {
    type Item = Result<RawDoc, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(stream) = &mut self.current {
                match stream.next() {
                    Some(item) => return Some(item),
                    None => {
                        if let Some(Stream::Warc(records)) = self.current.take() {
                            for (kind, n) in records.passed_over() {
                                *self.passed_over.entry(kind).or_default() += n;
                            }
                        }
                    }
                }
                continue;
            }
            if let Some(walker) = &mut self.walker {
                match walker.next() {
                    Some(Ok(entry)) => {
                        if entry.file_type().is_file() {
                            self.current = Some(open_file(entry.path(), &self.opts));
                        }
                    }
                    Some(Err(err)) => {
                        let source = err
                            .path()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default();
                        let reason = format!("cannot read: {err}");
                        return Some(Err(Problem::new(source, ProblemKind::Io, reason)));
                    }
                    None => self.walker = None,
                }
                continue;
            }
            let path = self.pending.pop_front()?;
            if path.as_os_str() == "-" {
                let origin = Origin {
                    name: "-".to_string(),
                    size: None,
                    ext: None,
                    is_file: false,
                };
                self.current = Some(open_stream(origin, Box::new(io::stdin()), &self.opts));
                continue;
            }
            if let Some(url) = path.to_str().filter(|p| is_url(p)) {
                self.current = Some(open_url(url, &self.opts));
                continue;
            }
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.walker = Some(walk(&path)),
                Ok(_) => self.current = Some(open_file(&path, &self.opts)),
                Err(err) => {
                    let reason = format!("cannot read: {err}");
                    return Some(Err(Problem::new(
                        path.display().to_string(),
                        ProblemKind::Io,
                        reason,
                    )));
                }
            }
        }
    }
}

/// A directory walk that skips hidden entries.
type Walker = walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>;

fn walk(root: &Path) -> Walker {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(is_visible)
}

/// The root is always visible (it may be "." or a hidden folder named on purpose).
fn is_visible(entry: &walkdir::DirEntry) -> bool {
    entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// The documents of one input, produced on demand.
enum Stream {
    /// A JSON Lines input, one line per call.
    Lines(JsonLines),
    /// Results already at hand (a text file, a JSON document, a problem).
    Ready(std::vec::IntoIter<Result<RawDoc, Problem>>),
    /// A WARC archive, one record per call.
    Warc(Box<WarcRecords>),
    /// A feed, one item per call (link-only items are fetched when reached).
    Feed(Box<FeedItems>),
}

impl Stream {
    fn one(item: Result<RawDoc, Problem>) -> Stream {
        Stream::Ready(vec![item].into_iter())
    }
}

impl Iterator for Stream {
    type Item = Result<RawDoc, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Stream::Lines(lines) => lines.next(),
            Stream::Ready(items) => items.next(),
            Stream::Warc(records) => records.next(),
            Stream::Feed(items) => items.next(),
        }
    }
}

/// What is known about an input before reading it.
struct Origin {
    /// The name used in sources and problems.
    name: String,
    /// Size from the file's metadata; `None` for stdin.
    size: Option<u64>,
    /// Lowercased file extension.
    ext: Option<String>,
    /// A file (messages say "file"), or a stream ("input").
    is_file: bool,
}

impl Origin {
    fn problem(&self, kind: ProblemKind, reason: impl Into<String>) -> Problem {
        Problem::new(self.name.clone(), kind, reason)
    }

    fn what(&self) -> &'static str {
        if self.is_file { "file" } else { "input" }
    }

    fn ext_is(&self, candidates: &[&str]) -> bool {
        self.ext.as_deref().is_some_and(|e| candidates.contains(&e))
    }
}

fn open_file(path: &Path, opts: &ReadOptions) -> Stream {
    let name = path.display().to_string();
    let mut file = match File::open(path) {
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
    let mut magic = [0u8; 8];
    let head = match read_prefix(&mut file, &mut magic) {
        Ok(n) => &magic[..n],
        Err(err) => {
            return Stream::one(Err(
                origin.problem(ProblemKind::Io, format!("cannot read: {err}"))
            ));
        }
    };
    if file.seek(io::SeekFrom::Start(0)).is_err() {
        // A pipe given as a path (`<(zcat x.gz)`): read it as a stream, start included.
        origin.size = None;
        let replay: Box<dyn Read + Send> = Box::new(Cursor::new(head.to_vec()).chain(file));
        return open_stream(origin, replay, opts);
    }
    if head.starts_with(&GZIP_MAGIC) {
        origin.ext = inner_extension(path);
        origin.size = None;
        return open_gzip(origin, GzInput::File(file), opts);
    }
    if opts.input == Some(InputKind::Warc)
        || (opts.input.is_none() && (origin.ext_is(&["warc"]) || looks_like_warc(head)))
    {
        let records = read_warc(
            &origin.name,
            WarcSource::Seekable(Box::new(file)),
            false,
            opts.max_bytes,
        );
        return Stream::Warc(Box::new(records));
    }
    open_stream(origin, Box::new(file), opts)
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

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
    let warc = opts.input == Some(InputKind::Warc)
        || (opts.input.is_none() && (origin.ext_is(&["warc"]) || looks_like_warc(head)));
    if warc {
        let source = match input {
            GzInput::File(file) => WarcSource::Seekable(Box::new(file)),
            GzInput::Stream(reader) => WarcSource::Stream(reader),
        };
        return Stream::Warc(Box::new(read_warc(
            &origin.name,
            source,
            true,
            opts.max_bytes,
        )));
    }
    let raw: Box<dyn Read + Send> = match input {
        GzInput::File(file) => Box::new(file),
        GzInput::Stream(reader) => reader,
    };
    let decompressed = flate2::read::MultiGzDecoder::new(raw);
    open_stream(origin, Box::new(decompressed), opts)
}

/// Fetches a URL input and reads the response as what it is: a feed, an HTML page, plain
/// text, or (by its first bytes) any other kind this reader knows.
fn open_url(url: &str, opts: &ReadOptions) -> Stream {
    let problem =
        |kind: ProblemKind, reason: String| Stream::one(Err(Problem::new(url, kind, reason)));
    let Some(fetcher) = &opts.fetcher else {
        return problem(
            ProblemKind::Offline,
            "is a URL, and fetching is off".to_string(),
        );
    };
    let page = match fetcher.get(url) {
        Ok(page) => page,
        Err(err) => {
            let text = err.to_string();
            let reason = text.strip_prefix(&format!("{url}: ")).unwrap_or(&text);
            return problem(err.problem_kind(), reason.to_string());
        }
    };
    let media = page.media_type();
    let forced = opts.input;
    let feed = forced == Some(InputKind::Feed)
        || (forced.is_none() && !media.is_html() && looks_like_feed(&page.body));
    if feed {
        return match parse_feed(&page.body, Some(&page.url)) {
            Ok(feed) => Stream::Feed(Box::new(FeedItems::new(feed, url, opts.fetcher.clone()))),
            Err(reason) => problem(ProblemKind::MalformedFeed, reason),
        };
    }
    let html = forced == Some(InputKind::Html)
        || (forced.is_none()
            && (media.is_html() || (media.is_unspecific() && looks_like_html(&page.body))));
    let plain = media.essence == "text/plain" && matches!(forced, None | Some(InputKind::Text));
    if html || plain {
        let mut page = page;
        if html {
            // Forced: read as HTML whatever the server called it.
            page.content_type = Some(match &media.charset {
                Some(charset) => format!("text/html; charset={charset}"),
                None => "text/html".to_string(),
            });
        }
        // The problem is about the page where it was found; it is reported as the URL asked
        // for, the input's name.
        return Stream::one(
            page.to_raw_doc()
                .map_err(|p| Problem::new(url, p.kind, p.reason)),
        );
    }
    let known = forced.is_some()
        || media.is_unspecific()
        || media.essence.contains("json")
        || media.essence.contains("warc")
        || media.essence.contains("gzip")
        || media.essence.starts_with("text/");
    if !known {
        return problem(
            ProblemKind::Unsupported,
            format!(
                "not an HTML page or a feed (Content-Type {})",
                page.content_type.as_deref().unwrap_or("missing")
            ),
        );
    }
    let path_ext = url::Url::parse(&page.url)
        .ok()
        .and_then(|u| extension(Path::new(u.path())));
    let origin = Origin {
        name: url.to_string(),
        size: Some(page.body.len() as u64),
        ext: path_ext,
        is_file: false,
    };
    open_stream(origin, Box::new(Cursor::new(page.body)), opts)
}

/// Whether a command-line input is a web address.
fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// What the first bytes say an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Html,
    JsonLines,
    /// One JSON value spread over the whole input (pretty-printed object, or an array).
    JsonDocument,
}

fn first_non_blank(bytes: &[u8]) -> Option<u8> {
    bytes.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// The kind `--input` forces, if any (WARC and feeds are dispatched before this).
fn forced_kind(forced: Option<InputKind>, head: &[u8]) -> Option<Kind> {
    match forced? {
        InputKind::Text => Some(Kind::Text),
        InputKind::Html => Some(Kind::Html),
        InputKind::JsonLines => Some(json_kind(head)),
        InputKind::Warc | InputKind::Feed => None,
    }
}

/// JSON Lines, or one JSON document (an array, or an object opened on a line of its own).
fn json_kind(head: &[u8]) -> Kind {
    let first = first_non_blank(head);
    let first_line = head
        .split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .find(|l| !l.is_empty());
    if first == Some(b'[') || first_line == Some(b"{") {
        return Kind::JsonDocument;
    }
    Kind::JsonLines
}

fn sniff_kind(head: &[u8], origin: &Origin) -> Kind {
    let first = first_non_blank(head);
    let json = origin.ext_is(&["jsonl", "ndjson", "json"]) || first == Some(b'{');
    if json {
        return json_kind(head);
    }
    if origin.ext_is(&["html", "htm", "xhtml"]) || looks_like_html(head) {
        return Kind::Html;
    }
    Kind::Text
}

fn open_stream(origin: Origin, mut reader: Box<dyn Read + Send>, opts: &ReadOptions) -> Stream {
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
    if forced == Some(InputKind::Warc)
        || (forced.is_none() && (origin.ext_is(&["warc"]) || looks_like_warc(&head)))
    {
        let replay: Box<dyn Read + Send> = Box::new(Cursor::new(head).chain(reader));
        let records = read_warc(&origin.name, WarcSource::Stream(replay), false, max_bytes);
        return Stream::Warc(Box::new(records));
    }
    if forced == Some(InputKind::Feed)
        || (forced.is_none() && (origin.ext_is(&["rss", "atom"]) || looks_like_feed(&head)))
    {
        let bytes = match read_whole(&origin, head, reader, max_bytes) {
            Ok(bytes) => bytes,
            Err(problem) => return Stream::one(Err(problem)),
        };
        let base = is_url(&origin.name).then_some(origin.name.as_str());
        return match parse_feed(&bytes, base) {
            Ok(feed) => Stream::Feed(Box::new(FeedItems::new(
                feed,
                origin.name.clone(),
                opts.fetcher.clone(),
            ))),
            Err(reason) => Stream::one(Err(origin.problem(ProblemKind::MalformedFeed, reason))),
        };
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

/// An HTML file, decoded as a page: its `<meta charset>` is honoured (a Cyrillic or Japanese
/// legacy page is not Windows-1252), as for fetched pages.
fn html_file(origin: &Origin, bytes: &[u8]) -> Stream {
    let page = crate::payload::decode_page(bytes, None);
    if page.text.trim().is_empty() {
        return Stream::one(Err(
            origin.problem(ProblemKind::Empty, format!("empty {}", origin.what()))
        ));
    }
    Stream::one(Ok(RawDoc {
        source: origin.name.clone(),
        encoding: page.encoding,
        html: Some(page.text),
        warnings: page.warnings,
        ..RawDoc::default()
    }))
}

/// Reads a whole input of at most `max_bytes`, refusing a larger one by its metadata size
/// before reading, or (for a stream) as soon as the cap is passed.
fn read_whole(
    origin: &Origin,
    head: Vec<u8>,
    reader: Box<dyn Read + Send>,
    max_bytes: usize,
) -> Result<Vec<u8>, Problem> {
    let cap = human_size(max_bytes as u64);
    let over_cap = |size: Option<u64>| {
        let what = origin.what();
        origin.problem(
            ProblemKind::TooLarge,
            match size {
                Some(size) => format!(
                    "{what} is {}, over the {cap} per-document cap (--max-doc-size)",
                    human_size(size)
                ),
                None => format!("{what} is over the {cap} per-document cap (--max-doc-size)"),
            },
        )
    };
    if let Some(size) = origin.size
        && size > max_bytes as u64
    {
        return Err(over_cap(Some(size)));
    }
    let mut bytes = head;
    let limit = (max_bytes as u64 + 1).saturating_sub(bytes.len() as u64);
    reader
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|err| origin.problem(ProblemKind::Io, format!("cannot read: {err}")))?;
    if bytes.len() > max_bytes {
        return Err(over_cap(None));
    }
    Ok(bytes)
}

fn from_decoded(
    origin: &Origin,
    kind: Kind,
    text: String,
    encoding: TextEncoding,
    max_bytes: usize,
) -> Stream {
    if text.trim().is_empty() {
        return Stream::one(Err(
            origin.problem(ProblemKind::Empty, format!("empty {}", origin.what()))
        ));
    }
    match kind {
        Kind::Text | Kind::Html => {
            let mut doc = RawDoc {
                source: origin.name.clone(),
                encoding: encoding.name(),
                ..RawDoc::default()
            };
            if kind == Kind::Html {
                doc.html = Some(text);
            } else {
                doc.text = Some(text);
            }
            Stream::one(Ok(doc))
        }
        Kind::JsonDocument => Stream::Ready(json_document(origin, &text, encoding).into_iter()),
        Kind::JsonLines => {
            // Only UTF-16 input gets here: already decoded, so re-encode as UTF-8 lines.
            let reader = BufReader::new(Cursor::new(text.into_bytes()));
            let mut lines = JsonLines::new(origin, Box::new(reader), max_bytes);
            lines.encoding = encoding;
            Stream::Lines(lines)
        }
    }
}

/// The documents of a whole-input JSON value: an object, or an array of objects.
fn json_document(
    origin: &Origin,
    text: &str,
    encoding: TextEncoding,
) -> Vec<Result<RawDoc, Problem>> {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            let reason = format!("malformed JSON: {err}");
            return vec![Err(origin
                .problem(ProblemKind::MalformedJson, reason)
                .at_line(err.line()))];
        }
    };
    match value {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let source = format!("{}[{i}]", origin.name);
                record_to_doc(item, source.clone(), encoding)
                    .map_err(|(kind, reason)| Problem::new(source, kind, reason))
            })
            .collect(),
        other => vec![
            record_to_doc(other, origin.name.clone(), encoding)
                .map_err(|(kind, reason)| origin.problem(kind, reason)),
        ],
    }
}

/// A JSON Lines input being read line by line.
struct JsonLines {
    name: String,
    /// "file" or "input", for messages.
    what: &'static str,
    reader: Box<dyn BufRead + Send>,
    max_bytes: usize,
    /// Lines read so far (the number of the last line read).
    line: usize,
    buf: Vec<u8>,
    /// Whether any non-blank line was seen, to report an empty input.
    seen_content: bool,
    finished: bool,
    /// The encoding of the input as a whole (lines may still fall back to Windows-1252).
    encoding: TextEncoding,
}

impl JsonLines {
    fn new(origin: &Origin, reader: Box<dyn BufRead + Send>, max_bytes: usize) -> JsonLines {
        JsonLines {
            name: origin.name.clone(),
            what: origin.what(),
            reader,
            max_bytes,
            line: 0,
            buf: Vec::new(),
            seen_content: false,
            finished: false,
            encoding: TextEncoding::Utf8,
        }
    }

    fn problem(&self, kind: ProblemKind, reason: impl Into<String>) -> Problem {
        Problem::new(self.name.clone(), kind, reason)
    }

    /// Parses the line in `self.buf`.
    fn parse_line(&mut self) -> Result<RawDoc, Problem> {
        let line = self.line;
        let mut bytes = self.buf.as_slice();
        if line == 1 {
            bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        }
        let mut warnings = Vec::new();
        let (text, encoding) = match std::str::from_utf8(bytes) {
            Ok(text) => (std::borrow::Cow::Borrowed(text), self.encoding),
            Err(_) => {
                warnings.push("line is not valid UTF-8; decoded as windows-1252".to_string());
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                (text, TextEncoding::Windows1252)
            }
        };
        let value: Value = serde_json::from_str(&text).map_err(|err| {
            let reason = format!("malformed JSON: {err}");
            self.problem(ProblemKind::MalformedJson, reason)
                .at_line(line)
        })?;
        let source = format!("{}:{line}", self.name);
        let mut doc = record_to_doc(value, source, encoding)
            .map_err(|(kind, reason)| self.problem(kind, reason).at_line(line))?;
        doc.line = Some(line);
        warnings.append(&mut doc.warnings);
        doc.warnings = warnings;
        Ok(doc)
    }
}

impl Iterator for JsonLines {
    type Item = Result<RawDoc, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            let read = read_capped_line(self.reader.as_mut(), self.max_bytes, &mut self.buf);
            let line = match read {
                Err(err) => {
                    self.finished = true;
                    let reason = format!("cannot read: {err}");
                    return Some(Err(self
                        .problem(ProblemKind::Io, reason)
                        .at_line(self.line + 1)));
                }
                Ok(None) => {
                    self.finished = true;
                    if !self.seen_content {
                        let reason = format!("empty {}", self.what);
                        return Some(Err(self.problem(ProblemKind::Empty, reason)));
                    }
                    return None;
                }
                Ok(Some(line)) => line,
            };
            self.line += 1;
            if line.over_cap {
                self.seen_content = true;
                let reason = format!(
                    "line is {}, over the {} per-document cap (--max-doc-size)",
                    human_size(line.len as u64),
                    human_size(self.max_bytes as u64)
                );
                return Some(Err(self
                    .problem(ProblemKind::TooLarge, reason)
                    .at_line(self.line)));
            }
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
            if self.buf.trim_ascii().is_empty() {
                continue;
            }
            self.seen_content = true;
            return Some(self.parse_line());
        }
        None
    }
}

/// One line read by [`read_capped_line`].
struct LineRead {
    /// Length in bytes without the newline.
    len: usize,
    /// The line was longer than the cap; its bytes were discarded.
    over_cap: bool,
}

/// Reads one line into `buf` (without the newline), keeping at most `cap` bytes: a longer
/// line is consumed to its end but not kept, so a 1 GB line costs no memory. `None` at EOF.
fn read_capped_line(
    reader: &mut (dyn BufRead + Send),
    cap: usize,
    buf: &mut Vec<u8>,
) -> io::Result<Option<LineRead>> {
    buf.clear();
    let mut len = 0;
    let mut over_cap = false;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(any.then_some(LineRead { len, over_cap }));
        }
        any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let chunk = &available[..newline.unwrap_or(available.len())];
        len += chunk.len();
        if !over_cap {
            if buf.len() + chunk.len() > cap {
                over_cap = true;
                buf.clear();
                buf.shrink_to(0);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = chunk.len() + usize::from(newline.is_some());
        reader.consume(used);
        if newline.is_some() {
            return Ok(Some(LineRead { len, over_cap }));
        }
    }
}

/// A JSON object to a document. Unknown fields are ignored; a field of the wrong type is
/// ignored with a warning; a record with neither text nor HTML is refused.
fn record_to_doc(
    value: Value,
    source: String,
    encoding: TextEncoding,
) -> Result<RawDoc, (ProblemKind, String)> {
    let Value::Object(mut record) = value else {
        let found = json_kind_name(&value);
        return Err((
            ProblemKind::MalformedJson,
            format!("expected a JSON object, found {found}"),
        ));
    };
    let mut warnings = Vec::new();
    let mut field = |name: &str| string_field(&mut record, name, &mut warnings);
    let text = field("text").filter(|t| !t.trim().is_empty());
    let html = field("html").filter(|t| !t.trim().is_empty());
    let id_hint = field("id");
    let url = field("url");
    let title = field("title");
    let site = field("site");
    let author = field("author");
    let language = field("language");
    if text.is_none() && html.is_none() {
        let reason = "no non-empty \"text\" or \"html\" field".to_string();
        return Err((ProblemKind::NoText, reason));
    }
    let published = match record.remove("published") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => {
            let date = parse_published(&s);
            if date.is_none() {
                warnings.push(format!(
                    "\"published\" {s:?} is not a date or datetime; ignored"
                ));
            }
            date
        }
        Some(other) => {
            warnings.push(format!(
                "\"published\" is {}, not a date string; ignored",
                json_kind_name(&other)
            ));
            None
        }
    };
    Ok(RawDoc {
        source,
        line: None,
        id_hint,
        url,
        title: title.map(|t| t.trim().to_string()),
        site,
        author,
        language,
        published,
        text: text.map(normalise_line_ends),
        html,
        encoding: encoding.name(),
        warnings,
    })
}

/// A string field; numbers are accepted as their text (ids often are numbers); empty strings
/// are unknown values, like null.
fn string_field(
    record: &mut Map<String, Value>,
    name: &str,
    warnings: &mut Vec<String>,
) -> Option<String> {
    match record.remove(name)? {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => None,
        other => {
            warnings.push(format!(
                "\"{name}\" is {}, not a string; ignored",
                json_kind_name(&other)
            ));
            None
        }
    }
}

fn json_kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// "52.4 MB", "10 MB", "1.5 kB", "100 bytes": sizes in decimal units, as file managers show.
fn human_size(bytes: u64) -> String {
    let scaled = |value: f64, unit: &str| {
        let text = format!("{value:.1}");
        let text = text.strip_suffix(".0").unwrap_or(&text);
        format!("{text} {unit}")
    };
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => scaled(bytes as f64 / 1e3, "kB"),
        1_000_000..1_000_000_000 => scaled(bytes as f64 / 1e6, "MB"),
        _ => scaled(bytes as f64 / 1e9, "GB"),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod web_tests;
