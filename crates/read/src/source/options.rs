//! Reader settings: the size caps, a forced input kind, the HTTP client.

use std::time::Duration;

use crate::fetch::Fetcher;

/// How many per-document caps a whole feed may be: a feed holds many documents (a month of
/// full-text items is easily over 10 MB), and each of its items is held to the per-document
/// cap on its own. 5 × the default 10 MB is 50 MB, the most a sitemap may be by the sitemap
/// protocol.
pub const FEED_CAP_FACTOR: usize = 5;

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
    /// How long a FIFO named as an input may wait for a writer before it is reported (a FIFO
    /// without one would otherwise block the reader forever).
    pub fifo_wait: Duration,
}

impl ReadOptions {
    /// The largest feed, read whole before its items are: [`FEED_CAP_FACTOR`] times
    /// [`ReadOptions::max_bytes`].
    pub fn max_feed_bytes(&self) -> usize {
        self.max_bytes.saturating_mul(FEED_CAP_FACTOR)
    }
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            max_bytes: 10_000_000,
            input: None,
            fetcher: None,
            fifo_wait: Duration::from_secs(2),
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
