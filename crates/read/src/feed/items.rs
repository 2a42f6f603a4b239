//! A feed's documents, item by item: an item's own article, or its link fetched on demand,
//! or a problem naming `FEED#item-N`.
//!
//! Each item is held to the per-document size cap on its own: a feed may be far larger than
//! one document (it is capped as a whole, see [`crate::ReadOptions::max_feed_bytes`]), but
//! an item whose article is over the cap is a `TooLarge` problem, not a document.
//!
//! A sitemap index's sitemaps are expanded one level deep when there is a fetcher: after
//! the index's own items (it has none), each listed sitemap is fetched when the reader gets
//! to it, and its URLs follow as items named after that sitemap. A sitemap that is itself
//! an index is not expanded further (a problem says so), and at most
//! [`MAX_SITEMAPS`] are read: a news site's index lists hundreds, each of up to 50,000 URLs.
//! Without a fetcher each listed sitemap is an `Offline` problem, as a link-only item is.
//!
//! Items (or sitemaps) a feed lists past the bounds ([`MAX_ITEMS`], [`MAX_SITEMAPS`]) are
//! reported in one `TooLarge` problem after the items read, so nothing is left out silently;
//! so is a feed without any item.

use std::collections::VecDeque;
use std::io::Read;

use sitrep_model::{Problem, ProblemKind};

use super::{Feed, MAX_ITEMS, MAX_SITEMAPS, parse_feed};
use crate::fetch::Fetcher;
use crate::raw::RawDoc;
use crate::source::human_size;

/// A sitemap index being expanded.
#[derive(Clone)]
struct Index {
    source: String,
    /// The sitemaps it lists past [`MAX_SITEMAPS`].
    left_out: usize,
}

/// The documents of a feed, item by item, fetching links on demand.
pub struct FeedItems {
    feed: Feed,
    feed_source: String,
    fetcher: Option<Fetcher>,
    next: usize,
    max_item_bytes: usize,
    /// The sitemaps of an index still to read, with their position in it.
    sitemaps: VecDeque<(usize, String)>,
    /// The index the sitemaps came from.
    index: Option<Index>,
    /// Set while a feed without items (and without sitemaps) is still to be reported.
    empty: bool,
}

impl FeedItems {
    /// `fetcher` is used for items without their own article; without one such items are
    /// problems (reading stays offline).
    pub fn new(feed: Feed, feed_source: impl Into<String>, fetcher: Option<Fetcher>) -> FeedItems {
        let mut feed = feed;
        let listed = std::mem::take(&mut feed.sitemaps);
        let feed_source = feed_source.into();
        let index = (!listed.is_empty()).then(|| Index {
            source: feed_source.clone(),
            left_out: std::mem::take(&mut feed.items_left_out)
                + listed.len().saturating_sub(MAX_SITEMAPS),
        });
        let empty = feed.items.is_empty() && index.is_none();
        let sitemaps = listed.into_iter().take(MAX_SITEMAPS).enumerate().collect();
        FeedItems {
            empty,
            feed,
            feed_source,
            fetcher,
            next: 0,
            max_item_bytes: usize::MAX,
            sitemaps,
            index,
        }
    }

    /// Holds each item's own article to `max_bytes` (the per-document cap).
    pub fn max_item_bytes(mut self, max_bytes: usize) -> FeedItems {
        self.max_item_bytes = max_bytes;
        self
    }

    fn problem(&self, index: usize, kind: ProblemKind, reason: String) -> Problem {
        let source = format!("{}#item-{}", self.feed_source, index + 1);
        Problem::new(source, kind, reason)
    }

    fn item(&self, index: usize) -> Result<RawDoc, Problem> {
        let feed = &self.feed;
        let item = &feed.items[index];
        let size = item.content_len();
        if size > self.max_item_bytes {
            let reason = format!(
                "feed item is {}, over the {} per-document cap (--max-doc-size)",
                human_size(size as u64),
                human_size(self.max_item_bytes as u64)
            );
            return Err(self.problem(index, ProblemKind::TooLarge, reason));
        }
        let source = item.source(&self.feed_source, index);
        if let Some(doc) = item.own_document(feed, source) {
            return Ok(doc);
        }
        let Some(link) = item.link.as_deref() else {
            return Err(self.problem(
                index,
                ProblemKind::NoText,
                "feed item has neither its article nor a link to it".to_string(),
            ));
        };
        let Some(fetcher) = &self.fetcher else {
            return Err(self.problem(
                index,
                ProblemKind::Offline,
                format!("feed item has only a link ({link}); fetching is off"),
            ));
        };
        // The reason names the page (or the URL that failed): the item's link may redirect.
        let result = match fetcher.get(link) {
            Ok(page) => item
                .fetched_document(feed, &page)
                .map_err(|p| (p.kind, p.to_string())),
            Err(err) => Err((err.problem_kind(), err.to_string())),
        };
        result.map_err(|(kind, reason)| self.problem(index, kind, reason))
    }

    /// Moves on to the next sitemap of an index: `Ok` once its items are the current ones,
    /// `Err` with the problem when it cannot be read, `None` when there is none left.
    fn next_sitemap(&mut self) -> Option<Result<(), Problem>> {
        let index = self.index.clone()?;
        let Some((position, url)) = self.sitemaps.pop_front() else {
            self.index = None;
            return (index.left_out > 0).then(|| {
                Err(Problem::new(
                    index.source,
                    ProblemKind::TooLarge,
                    format!(
                        "sitemap index lists {} more sitemaps than the {MAX_SITEMAPS} read",
                        index.left_out
                    ),
                ))
            });
        };
        let source = format!("{}#sitemap-{}", index.source, position + 1);
        let problem = |kind, reason: String| Err(Problem::new(source.clone(), kind, reason));
        let Some(fetcher) = &self.fetcher else {
            return Some(problem(
                ProblemKind::Offline,
                format!("sitemap index lists {url}; fetching is off"),
            ));
        };
        let page = match fetcher.get(&url) {
            Ok(page) => page,
            Err(err) => return Some(problem(err.problem_kind(), err.to_string())),
        };
        let body = match gunzip(page.body, fetcher.options().max_bytes) {
            Ok(body) => body,
            Err(reason) => return Some(problem(ProblemKind::Decode, format!("{url}: {reason}"))),
        };
        let sitemap = match parse_feed(&body, Some(&page.url)) {
            Ok(feed) if feed.format == "Sitemap" => feed,
            Ok(feed) if !feed.sitemaps.is_empty() => {
                return Some(problem(
                    ProblemKind::Unsupported,
                    format!(
                        "{url} is a sitemap index inside a sitemap index: not expanded (one level only)"
                    ),
                ));
            }
            Ok(feed) => feed,
            Err(reason) => {
                return Some(problem(
                    ProblemKind::MalformedFeed,
                    format!("{url}: {reason}"),
                ));
            }
        };
        self.empty = sitemap.items.is_empty();
        self.feed = sitemap;
        self.feed_source = url;
        self.next = 0;
        Some(Ok(()))
    }
}

/// A sitemap served gzipped (`sitemap1.xml.gz`, not as a transfer encoding), decompressed
/// up to `max_bytes`.
fn gunzip(body: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, String> {
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(body);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&body[..])
        .take(max_bytes as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|err| format!("gzip data is damaged: {err}"))?;
    if out.len() > max_bytes {
        return Err(format!(
            "decompressed sitemap is over {}",
            human_size(max_bytes as u64)
        ));
    }
    Ok(out)
}

impl Iterator for FeedItems {
    type Item = Result<RawDoc, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if std::mem::take(&mut self.empty) {
                // Without this a feed with no items would give nothing at all.
                let reason = format!("{} has no items", self.feed.format);
                return Some(Err(Problem::new(
                    self.feed_source.clone(),
                    ProblemKind::Empty,
                    reason,
                )));
            }
            let index = self.next;
            if index < self.feed.items.len() {
                self.next += 1;
                return Some(self.item(index));
            }
            if self.feed.items_left_out > 0 {
                let left_out = std::mem::take(&mut self.feed.items_left_out);
                let reason = format!(
                    "{} lists {} more items than the {MAX_ITEMS} read",
                    self.feed.format, left_out
                );
                let source = self.feed_source.clone();
                return Some(Err(Problem::new(source, ProblemKind::TooLarge, reason)));
            }
            match self.next_sitemap()? {
                Ok(()) => {}
                Err(problem) => return Some(Err(problem)),
            }
        }
    }
}
