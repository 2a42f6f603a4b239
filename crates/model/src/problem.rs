//! Problems: inputs, or parts of inputs, that could not be read or analysed as documents.
//!
//! Bad input never stops sitrep: every stage that refuses something (the reader, the
//! pipeline, the feed watcher) reports it as a [`Problem`] and goes on. A problem says where
//! (its source and line), what kind of trouble it is ([`ProblemKind`], for counting and for
//! programs), and why (a sentence for the user).

use std::fmt;

use serde::{Deserialize, Serialize};

/// An input, or part of one, that could not be read or analysed as a document.
///
/// Where a problem is, one rule for every producer:
///
/// - `source` names what the problem is about: a path (`-` for stdin), a URL, or a part of
///   an input that is not a line: `FILE#record-N` (a WARC record), `FEED#item-N` (a feed
///   item), `FILE[INDEX]` (an element of a JSON array, 0-based). It never ends in a line
///   number.
/// - `line` is the 1-based line of `source` the problem is on, for inputs read by line (a
///   JSON Lines line, the line of a JSON syntax error); `None` otherwise.
/// - [`Display`](fmt::Display) writes `source:line: reason`, or `source: reason` without a
///   line, the form compilers use.
///
/// So a document read from line 2 of `f.jsonl`, whose own source is `f.jsonl:2` in the
/// output, gives problems with `source == "f.jsonl"` and `line == Some(2)`, printed
/// `f.jsonl:2: reason`.
///
/// ```
/// use sitrep_model::{Problem, ProblemKind};
/// let p = Problem::new("f.jsonl", ProblemKind::MalformedJson, "malformed JSON").at_line(2);
/// assert_eq!(p.to_string(), "f.jsonl:2: malformed JSON");
/// let p = Problem::new("a.txt", ProblemKind::Empty, "empty file");
/// assert_eq!(p.to_string(), "a.txt: empty file");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The input or part of an input, never with a line (see the type's documentation).
    pub source: String,
    /// 1-based line in `source`, for inputs read by line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub kind: ProblemKind,
    /// Why, for the user: "empty file", "malformed JSON: ...".
    pub reason: String,
}

impl Problem {
    /// A problem with a whole input or part of one, without a line.
    pub fn new(source: impl Into<String>, kind: ProblemKind, reason: impl Into<String>) -> Problem {
        Problem {
            source: source.into(),
            line: None,
            kind,
            reason: reason.into(),
        }
    }

    /// The same problem, on 1-based line `line` of its source.
    pub fn at_line(self, line: usize) -> Problem {
        Problem {
            line: Some(line),
            ..self
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.source, line, self.reason),
            None => write!(f, "{}: {}", self.source, self.reason),
        }
    }
}

impl std::error::Error for Problem {}

/// What kind of trouble a [`Problem`] is. Serialised (and displayed) in `snake_case`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The input cannot be opened or read: a missing file, no permission, a read error.
    Io,
    /// The bytes are not text sitrep can decode: binary data, an encoding it does not read
    /// (UTF-32), a compressed payload that does not decompress or whose `Content-Encoding`
    /// it does not know.
    Decode,
    /// Over the per-document size cap (`--max-doc-size`): a file, a JSON Lines line, a page,
    /// a response, a feed.
    TooLarge,
    /// JSON that does not parse, or a value that is not an object: a JSON Lines line, a
    /// whole JSON document, an element of a JSON array.
    MalformedJson,
    /// A WARC or ARC record that cannot be read: not a record, bad headers, truncated, or in a
    /// corrupt gzip member.
    MalformedWarc,
    /// A feed that does not parse as RSS, Atom or JSON Feed.
    MalformedFeed,
    /// A line of a data table sitrep imports (a GeoNames dump for the gazetteer) without the
    /// table's columns or with a value that is not of its column's type.
    MalformedTable,
    /// A URL that could not be fetched: an HTTP error status, a network failure, a timeout,
    /// too many redirects, a bad URL.
    Fetch,
    /// A URL, or a feed item that is only a link, while fetching is off.
    Offline,
    /// A web resource of a type sitrep does not read (by its `Content-Type`).
    Unsupported,
    /// An empty input: a file, a stream or a page with nothing but whitespace.
    Empty,
    /// Nothing to analyse: a record without text or HTML, a feed item without its article or
    /// a link, a page without article text, a body that cleaning left empty.
    NoText,
    /// sitrep itself failed on this input (a panic: a bug). Caught, so that one input never
    /// takes its batch down; the reason carries the panic's message for a bug report.
    Internal,
}

impl ProblemKind {
    /// Every kind, in declaration order.
    pub const ALL: [ProblemKind; 13] = [
        ProblemKind::Io,
        ProblemKind::Decode,
        ProblemKind::TooLarge,
        ProblemKind::MalformedJson,
        ProblemKind::MalformedWarc,
        ProblemKind::MalformedFeed,
        ProblemKind::MalformedTable,
        ProblemKind::Fetch,
        ProblemKind::Offline,
        ProblemKind::Unsupported,
        ProblemKind::Empty,
        ProblemKind::NoText,
        ProblemKind::Internal,
    ];

    /// The `snake_case` name, as serialised.
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::Io => "io",
            ProblemKind::Decode => "decode",
            ProblemKind::TooLarge => "too_large",
            ProblemKind::MalformedJson => "malformed_json",
            ProblemKind::MalformedWarc => "malformed_warc",
            ProblemKind::MalformedFeed => "malformed_feed",
            ProblemKind::MalformedTable => "malformed_table",
            ProblemKind::Fetch => "fetch",
            ProblemKind::Offline => "offline",
            ProblemKind::Unsupported => "unsupported",
            ProblemKind::Empty => "empty",
            ProblemKind::NoText => "no_text",
            ProblemKind::Internal => "internal",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Runs `f`, turning a panic into the reason of a [`ProblemKind::Internal`] problem: the
/// panic's message, or a note that it had none. For the places where one input meets
/// third-party or complex code (a reader, the pipeline), so that a bug costs that input only.
/// What `f` touched may be half-updated after a panic: callers drop it.
///
/// ```
/// use sitrep_model::catch_panic;
/// assert_eq!(catch_panic(|| 2 + 2), Ok(4));
/// let reason = catch_panic(|| -> u8 { panic!("bad state") }).unwrap_err();
/// assert_eq!(reason, "sitrep failed on this input (a bug, please report it): bad state");
/// ```
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        format!("sitrep failed on this input (a bug, please report it): {message}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_display_file_and_line() {
        let p =
            Problem::new("feed.jsonl", ProblemKind::MalformedJson, "malformed JSON").at_line(12);
        assert_eq!(p.to_string(), "feed.jsonl:12: malformed JSON");
        let p = Problem { line: None, ..p };
        assert_eq!(p.to_string(), "feed.jsonl: malformed JSON");
    }

    #[test]
    fn kind_names_are_the_serialised_names() {
        for kind in ProblemKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{kind}\""));
            assert_eq!(serde_json::from_str::<ProblemKind>(&json).unwrap(), kind);
        }
    }

    #[test]
    fn a_problem_serialises_without_an_absent_line() {
        let p = Problem::new("a.txt", ProblemKind::Empty, "empty file");
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"source":"a.txt","kind":"empty","reason":"empty file"}"#
        );
        let p = p.at_line(3);
        let back: Problem = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }
}
