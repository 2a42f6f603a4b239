//! News feeds (RSS 0.9x/1.0/2.0, Atom 1.0 and 0.3, JSON Feed) and sitemaps: every item
//! becomes a [`RawDoc`].
//!
//! Reading a feed goes in steps, each its own module:
//!
//! 1. [`sniff`]: what kind of feed the start of an input is, by its root element past the
//!    prolog (comments, processing instructions, a doctype with an internal subset), or by a
//!    JSON object's own `version`.
//! 2. `xml_text`: the bytes to UTF-8 as XML decides (byte-order mark, first bytes,
//!    declaration), falling back rather than refusing: a feed declared UTF-8 with one stray
//!    Windows-1252 byte was lost whole.
//! 3. `normalise`: forms feed-rs refuses or misreads are rewritten at the tokenizer level
//!    (`<rss>` without a `version`, RSS 0.90's namespace, Atom 0.3, late XML declarations);
//!    then `feed-rs` parses RSS and Atom. JSON Feed is read by `json_feed` (leniently, item
//!    by item) and sitemaps by `sitemap` (each `<url>` an item that is only a link).
//! 4. `entries`: what an item is worth.
//!    - An item that carries its full article (RSS `content:encoded`, Atom `<content>`, JSON
//!      Feed `content_html`/`content_text`, or a summary that long) is a document as it
//!      stands: HTML goes to [`RawDoc::html`] for the HTML extractor, plain text to
//!      [`RawDoc::text`]. "Full" means at least [`MIN_ARTICLE_CHARS`] characters of text once
//!      tags are dropped; below that it is a teaser.
//!    - Any other item with a link is fetched ([`FeedItems`] does it lazily, through the
//!      [`Fetcher`](crate::fetch::Fetcher), only when it is asked for that item) and the page is the document, with
//!      the feed's title, date and author kept as metadata.
//!    - An item with neither is a [`Problem`]. Many of feedparser's test feeds are such
//!      fragments (a title and nothing else): they are read as feeds, and each item is a
//!      `NoText` problem (or `Offline`, when it has a link and fetching is off).
//!
//! The item's date is its publication date (`pubDate`, `published`, `date_published`,
//! `news:publication_date`; else the update date or `lastmod`), taken as written in the feed,
//! like any other metadata date ([`crate::parse_published`]). The feed's title (a news
//! sitemap's publication name) is the document's site.
//!
//! Each item has a stable [`FeedItem::key`] (its id/guid, else its link, else a hash of its
//! text), which a watcher stores to never fetch the same item twice.
//!
//! Memory: the feed's text (UTF-8 bytes become it in place, see [`parse_feed_owned`]), at most
//! one rewritten copy, and feed-rs's model, from which the items' strings are moved. Measured
//! peak for reading a 50 MB feed of 4,500 full-text items (RSS 2.0, Atom 0.3 rewritten, or
//! ISO-8859-1 decoded): 153-156 MB, about 3 times the feed.

mod atom_forms;
mod entries;
mod items;
mod json_feed;
mod normalise;
mod sitemap;
pub mod sniff;
mod xml_text;

use chrono::{NaiveDate, NaiveTime};
use sitrep_model::Problem;

use crate::fetch::Page;
use crate::published::parse_published;
use crate::raw::RawDoc;
use entries::{item_of, non_empty};
pub use items::FeedItems;
use json_feed::parse_json_feed;
pub use normalise::MAX_ITEMS;
use normalise::normalise;
pub use sitemap::MAX_SITEMAPS;
use sitemap::parse_sitemap;
pub use sniff::{FeedKind, sniff_feed};
use sniff::{Root, find_root, kind_of_root};
use xml_text::{decode_xml, decode_xml_owned};

/// Characters of text (tags dropped) from which a feed item's own content is taken as the
/// full article rather than a teaser.
pub const MIN_ARTICLE_CHARS: usize = 500;

/// A parsed feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// "RSS 2.0", "Atom", "JSON Feed", "Sitemap", ...
    pub format: &'static str,
    pub title: Option<String>,
    pub items: Vec<FeedItem>,
    /// A sitemap index's sitemaps, in its order (empty for any other feed).
    pub sitemaps: Vec<String>,
    /// What is worth telling about the whole feed (its encoding was not the declared one, it
    /// was cut short); copied onto every item's document.
    pub warnings: Vec<String>,
    /// Items past [`MAX_ITEMS`], not read.
    pub items_left_out: usize,
}

/// One item of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    /// Stable identity: the id/guid, else the link, else `text:` and a hash of the text.
    pub key: String,
    /// The article's address.
    pub link: Option<String>,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub author: Option<String>,
    /// The item's own site name (a news sitemap's publication), over the feed's title.
    pub site: Option<String>,
    /// The full article, when the feed carries it.
    pub content: Option<ItemContent>,
}

/// An item's own article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemContent {
    Html(String),
    Text(String),
}

/// Whether bytes look like a feed: see [`sniff_feed`].
///
/// ```
/// use sitrep_read::feed::looks_like_feed;
/// assert!(looks_like_feed(b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"));
/// assert!(looks_like_feed(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
/// assert!(looks_like_feed(br#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#));
/// assert!(!looks_like_feed(b"<!DOCTYPE html><html>"));
/// assert!(!looks_like_feed(br#"{"text": "an article"}"#));
/// ```
pub fn looks_like_feed(head: &[u8]) -> bool {
    sniff_feed(head).is_some()
}

/// Parses a feed from its raw bytes (a BOM, the XML declaration or JSON decides the
/// encoding). `base_url` resolves relative links (the feed's own address).
pub fn parse_feed(bytes: &[u8], base_url: Option<&str>) -> Result<Feed, String> {
    if is_json(bytes) {
        return parse_json_feed(bytes, base_url);
    }
    parse_xml_feed(decode_xml(bytes), base_url)
}

/// [`parse_feed`] of bytes the caller no longer needs: a UTF-8 feed is parsed without a
/// second copy of it in memory.
pub fn parse_feed_owned(bytes: Vec<u8>, base_url: Option<&str>) -> Result<Feed, String> {
    if is_json(&bytes) {
        return parse_json_feed(&bytes, base_url);
    }
    parse_xml_feed(decode_xml_owned(bytes), base_url)
}

fn is_json(bytes: &[u8]) -> bool {
    let unmarked = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    unmarked.trim_ascii_start().starts_with(b"{")
}

fn parse_xml_feed(xml: xml_text::XmlText, base_url: Option<&str>) -> Result<Feed, String> {
    let root = find_root(&xml.text);
    let kind = root.as_ref().and_then(kind_of_root);
    let mut feed = match kind {
        Some(kind @ (FeedKind::Sitemap | FeedKind::SitemapIndex)) => {
            parse_sitemap(&xml.text, kind, base_url)
        }
        Some(FeedKind::Cdf) => {
            return Err(
                "a CDF channel (Microsoft's format of 1997), which sitrep does not read"
                    .to_string(),
            );
        }
        _ => {
            let normalised = normalise(xml.text, root.as_ref(), kind);
            let mut feed = parse_with_feed_rs(normalised.text.as_bytes(), base_url)?;
            feed.items_left_out = normalised.items_left_out;
            if let (Some(kind), Some(root)) = (kind, &root) {
                feed.format = format_name(kind, root);
            }
            feed
        }
    };
    if let Some(warning) = xml.warning {
        feed.warnings.insert(0, warning);
    }
    Ok(feed)
}

/// The name of a feed's format, by its root.
fn format_name(kind: FeedKind, root: &Root) -> &'static str {
    match kind {
        FeedKind::Rss
            if root
                .attribute("version")
                .is_some_and(|v| v.starts_with("0.9")) =>
        {
            "RSS 0.9x"
        }
        FeedKind::Rss => "RSS 2.0",
        FeedKind::Rdf
            if root
                .attributes
                .iter()
                .any(|(_, v)| v.trim() == sniff::RSS_090) =>
        {
            "RSS 0.90"
        }
        FeedKind::Rdf => "RSS 1.0",
        FeedKind::Atom => "Atom",
        FeedKind::Atom03 => "Atom 0.3",
        FeedKind::JsonFeed => "JSON Feed",
        FeedKind::Sitemap => "Sitemap",
        FeedKind::SitemapIndex => "Sitemap index",
        FeedKind::Cdf => "CDF",
    }
}

/// An RSS or Atom document (UTF-8, normalised) read by feed-rs.
fn parse_with_feed_rs(text: &[u8], base_url: Option<&str>) -> Result<Feed, String> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base_url)
        // Missing ids stay empty so this module can key them on the link or the text,
        // rather than on feed-rs's random fallback.
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(|text| {
            // Keep the date as written: noon UTC of that date survives any conversion.
            parse_published(text).map(|date| {
                date.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
                    .and_utc()
            })
        })
        .build();
    // A last net: feed-rs (or quick-xml under it) panicking on some input it was not
    // written for is a reason about that feed, not the end of the batch.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(text)))
        .map_err(|_| "not a readable feed: the feed parser failed on it".to_string())?;
    let feed = parsed.map_err(|err| format!("not a readable feed: {err}"))?;
    let format = match feed.feed_type {
        feed_rs::model::FeedType::Atom => "Atom",
        feed_rs::model::FeedType::JSON => "JSON Feed",
        feed_rs::model::FeedType::RSS0 => "RSS 0.9x",
        feed_rs::model::FeedType::RSS1 => "RSS 1.0",
        feed_rs::model::FeedType::RSS2 => "RSS 2.0",
    };
    let title = feed.title.and_then(|t| non_empty(t.content));
    let items = feed.entries.into_iter().map(item_of).collect();
    Ok(Feed {
        format,
        title,
        items,
        sitemaps: Vec::new(),
        warnings: Vec::new(),
        items_left_out: 0,
    })
}

impl FeedItem {
    /// The size in bytes of the item's own article (0 when it has none).
    pub fn content_len(&self) -> usize {
        match &self.content {
            Some(ItemContent::Html(t) | ItemContent::Text(t)) => t.len(),
            None => 0,
        }
    }

    /// The document's source: the item's link, else the feed and the item's position.
    pub fn source(&self, feed_source: &str, index: usize) -> String {
        self.link
            .clone()
            .unwrap_or_else(|| format!("{feed_source}#item-{}", index + 1))
    }

    /// The document for an item that carries its article; `None` when it must be fetched.
    pub fn own_document(&self, feed: &Feed, source: String) -> Option<RawDoc> {
        let content = self.content.as_ref()?;
        let mut doc = self.metadata(feed, source);
        match content {
            // A fragment: wrapped so the extractor sees one article element.
            ItemContent::Html(html) => {
                doc.html = Some(format!(
                    "<!DOCTYPE html><html><body><article>{html}</article></body></html>"
                ));
            }
            ItemContent::Text(text) => doc.text = Some(text.replace("\r\n", "\n")),
        }
        Some(doc)
    }

    /// The document for an item whose link was fetched; the problem, when the page is not one,
    /// is about the page (see [`Page::to_raw_doc`]).
    pub fn fetched_document(&self, feed: &Feed, page: &Page) -> Result<RawDoc, Problem> {
        let from_page = page.to_raw_doc()?;
        let mut doc = self.metadata(feed, from_page.source.clone());
        doc.url = from_page.url;
        doc.html = from_page.html;
        doc.text = from_page.text;
        doc.encoding = from_page.encoding;
        doc.warnings.extend(from_page.warnings);
        Ok(doc)
    }

    fn metadata(&self, feed: &Feed, source: String) -> RawDoc {
        RawDoc {
            source,
            url: self.link.clone(),
            title: self.title.clone(),
            site: self.site.clone().or_else(|| feed.title.clone()),
            author: self.author.clone(),
            published: self.published,
            encoding: "UTF-8",
            warnings: feed.warnings.clone(),
            ..RawDoc::default()
        }
    }
}

#[cfg(test)]
mod forms_tests;
#[cfg(test)]
mod sitemap_tests;
#[cfg(test)]
mod tests;
