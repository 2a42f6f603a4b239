//! What `sitrep watch` remembers between polls: per feed, the cache validators of its last
//! response (for conditional GET); per item, that it was handled, when, and what became of
//! it, so that no item is fetched twice.
//!
//! An item is keyed by its feed and its stable key (guid/id, else link). Its link is kept
//! too, so an article that two feeds list is fetched once: [`FeedLog::link_handled`].

use crate::Result;

/// A watched feed's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedState {
    pub url: String,
    pub title: Option<String>,
    /// `ETag` of the last full response, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified` of the last full response, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// When the feed was last asked for (RFC 3339, UTC).
    pub last_polled: Option<String>,
}

/// One handled feed item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedItemRecord<'a> {
    pub feed: &'a str,
    pub item_key: &'a str,
    pub link: Option<&'a str>,
    /// The stored document, when the item became one.
    pub doc_id: Option<&'a str>,
    /// `stored`, or why the item gave no document.
    pub outcome: &'a str,
}

/// What a store remembers of watched feeds and their items (`sitrep watch`).
pub trait FeedLog {
    /// The state of a feed, if it was ever polled.
    fn feed_state(&self, url: &str) -> Result<Option<FeedState>>;

    /// Creates or replaces a feed's state.
    fn save_feed_state(&mut self, state: &FeedState) -> Result<()>;

    /// Whether this item of this feed was handled already.
    fn feed_item_handled(&self, feed: &str, item_key: &str) -> Result<bool>;

    /// Whether an item with this link, from any feed, was handled already.
    fn link_handled(&self, link: &str) -> Result<bool>;

    /// Records a handled item (again: the later record wins).
    fn record_feed_item(&mut self, item: &FeedItemRecord<'_>) -> Result<()>;

    /// Items handled for a feed, and how many of them became stored documents.
    fn feed_item_counts(&self, feed: &str) -> Result<(u64, u64)>;

    /// The document stored from this source (the most recent, if several).
    fn doc_id_for_source(&self, source: &str) -> Result<Option<String>>;
}
