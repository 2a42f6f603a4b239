//! Reader settings: the size cap, a forced input kind, the HTTP client.

use crate::fetch::Fetcher;

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
