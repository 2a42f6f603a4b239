//! The walk over the inputs named on the command line: files, directories (recursively, in
//! file-name order, hidden entries skipped), `-` for stdin and URLs, one after another.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sitrep_model::{Problem, ProblemKind};

use super::open::{open_file, open_stream};
use super::options::ReadOptions;
use super::origin::{Origin, extension, is_url};
use super::stream::Stream;
use super::urls::open_url;
use crate::raw::RawDoc;
use crate::warc::PassedOver;

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
        current_name: String::new(),
        passed_over: PassedOver::new(),
        reader: None,
    }
}

/// The iterator returned by [`read_inputs`].
pub struct Inputs {
    opts: ReadOptions,
    pending: VecDeque<PathBuf>,
    walker: Option<Walker>,
    current: Option<Stream>,
    /// The input being read, for a problem when its reader fails.
    current_name: String,
    passed_over: PassedOver,
    /// The reader of the input being read, or of the last one.
    reader: Option<&'static str>,
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
        let current_name = name.clone();
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
            current_name,
            passed_over: PassedOver::new(),
            reader: None,
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

    /// The reader the input being read went to, or the last input once it is done, for
    /// reports (the robustness evaluation counts how each input was read): `"jsonl"`,
    /// `"warc"`, `"feed"`, or `"whole"` for an input read as one document (a text, an HTML
    /// page, one JSON document) or refused whole. `None` before any input was opened.
    ///
    /// ```
    /// use sitrep_read::{read_inputs, ReadOptions};
    /// let dir = tempfile::tempdir().unwrap();
    /// let lines = dir.path().join("talks.jsonl");
    /// std::fs::write(&lines, "{\"text\": \"Talks resumed.\"}\n").unwrap();
    /// let mut inputs = read_inputs(&[lines], &ReadOptions::default());
    /// assert_eq!(inputs.reader(), None);
    /// assert!(inputs.next().unwrap().is_ok());
    /// assert_eq!(inputs.reader(), Some("jsonl"));
    /// ```
    pub fn reader(&self) -> Option<&'static str> {
        self.reader
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

    /// The next document or problem. A reader that panics (a bug, in sitrep or in a parser it
    /// uses) costs only its input: the rest of that input is dropped with a
    /// [`ProblemKind::Internal`] problem naming it, and reading goes on with the next one.
    fn next(&mut self) -> Option<Self::Item> {
        match sitrep_model::catch_panic(|| self.advance()) {
            Ok(item) => item,
            Err(reason) => {
                self.current = None;
                let source = std::mem::take(&mut self.current_name);
                Some(Err(Problem::new(source, ProblemKind::Internal, reason)))
            }
        }
    }
}

impl Inputs {
    fn advance(&mut self) -> Option<Result<RawDoc, Problem>> {
        loop {
            if let Some(stream) = &mut self.current {
                self.reader = Some(stream.reader());
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
                        let path = entry.path();
                        self.current_name = path.display().to_string();
                        let file_type = entry.file_type();
                        if file_type.is_file() {
                            self.current = Some(open_file(path, &self.opts));
                        } else if !file_type.is_dir() {
                            // A FIFO, socket or device met in a folder is never opened: a FIFO
                            // without a writer would block the walk.
                            let reason =
                                format!("not a regular file ({})", special_kind(&file_type));
                            return Some(Err(Problem::new(
                                path.display().to_string(),
                                ProblemKind::Unsupported,
                                reason,
                            )));
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
            self.current_name = path.display().to_string();
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
                Ok(meta) if meta.is_file() || is_fifo(&meta.file_type()) => {
                    self.current = Some(open_file(&path, &self.opts));
                }
                Ok(meta) => {
                    let reason =
                        format!("not a regular file ({})", special_kind(&meta.file_type()));
                    return Some(Err(Problem::new(
                        path.display().to_string(),
                        ProblemKind::Unsupported,
                        reason,
                    )));
                }
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

#[cfg(unix)]
fn is_fifo(file_type: &std::fs::FileType) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(file_type)
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::FileType) -> bool {
    false
}

/// What a file that is neither a regular file nor a folder is, for a problem's reason.
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
    }
    let _ = file_type;
    "a special file"
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
