//! News feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed): every item becomes a [`RawDoc`].
//!
//! Parsing is `feed-rs`'s, which reads all three formats (and the XML encoding declaration)
//! into one model; this module decides what an item is worth:
//!
//! - An item that carries its full article (RSS `content:encoded`, Atom `<content>`, JSON
//!   Feed `content_html`/`content_text`, or a summary that long) is a document as it stands:
//!   HTML goes to [`RawDoc::html`] for the HTML extractor, plain text to [`RawDoc::text`].
//!   "Full" means at least [`MIN_ARTICLE_CHARS`] characters of text once tags are dropped;
//!   below that it is a teaser.
//! - Any other item with a link is fetched ([`FeedItems`] does it lazily, through the
//!   [`Fetcher`], only when it is asked for that item) and the page is the document, with the
//!   feed's title, date and author kept as metadata.
//! - An item with neither is a [`Problem`].
//!
//! The item's date is its publication date (`pubDate`, `published`, `date_published`; else
//! the update date), taken as written in the feed, like any other metadata date
//! ([`crate::parse_published`]). The feed's title is the document's site.
//!
//! Each item has a stable [`FeedItem::key`] (its id/guid, else its link, else a hash of its
//! text), which a watcher stores to never fetch the same item twice.

use chrono::{NaiveDate, NaiveTime};
use sitrep_model::{Problem, ProblemKind};

use crate::fetch::{Fetcher, Page};
use crate::published::parse_published;
use crate::raw::RawDoc;

/// Characters of text (tags dropped) from which a feed item's own content is taken as the
/// full article rather than a teaser.
pub const MIN_ARTICLE_CHARS: usize = 500;

/// A parsed feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// "RSS 2.0", "Atom", "JSON Feed", ...
    pub format: &'static str,
    pub title: Option<String>,
    pub items: Vec<FeedItem>,
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
    /// The full article, when the feed carries it.
    pub content: Option<ItemContent>,
}

/// An item's own article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemContent {
    Html(String),
    Text(String),
}

/// Whether bytes look like a feed: an RSS, Atom or RDF root element near the start, or a
/// JSON object whose `"version"` is a JSON Feed version URL.
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
    let head = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    let start = head.trim_ascii_start();
    if start.starts_with(b"{") {
        return json_feed_version(head);
    }
    if !start.starts_with(b"<") {
        return false;
    }
    // The root element comes after the XML declaration, comments and processing
    // instructions (stylesheets), so look at the first tags that are none of those.
    let window = &head[..head.len().min(4096)];
    let mut rest = window;
    while let Some(open) = memchr::memchr(b'<', rest) {
        rest = &rest[open + 1..];
        match rest.first() {
            Some(b'?' | b'!') => continue,
            _ => {
                let name_end = rest
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
                    .unwrap_or(rest.len());
                let name = &rest[..name_end];
                return match name {
                    b"rss" | b"rdf:RDF" | b"RDF" => true,
                    b"feed" => {
                        let tag_end = memchr::memchr(b'>', rest).unwrap_or(rest.len());
                        memchr::memmem::find(&rest[..tag_end], b"http://www.w3.org/2005/Atom")
                            .is_some()
                    }
                    _ => false,
                };
            }
        }
    }
    false
}

/// `"version"` followed by a JSON Feed version URL, near the start of a JSON object.
fn json_feed_version(head: &[u8]) -> bool {
    let window = &head[..head.len().min(8192)];
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&window[from..], b"\"version\"") {
        let rest = window[from + at + 9..].trim_ascii_start();
        if let Some(value) = rest.strip_prefix(b":") {
            let value = value.trim_ascii_start();
            if value.starts_with(b"\"https://jsonfeed.org/version/")
                || value.starts_with(b"\"http://jsonfeed.org/version/")
            {
                return true;
            }
        }
        from += at + 9;
    }
    false
}

/// Parses a feed from its raw bytes (the XML declaration or JSON decides the encoding).
/// `base_url` resolves relative links (the feed's own address).
pub fn parse_feed(bytes: &[u8], base_url: Option<&str>) -> Result<Feed, String> {
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
    let feed = parser
        .parse(bytes)
        .map_err(|err| format!("not a readable feed: {err}"))?;
    let format = match feed.feed_type {
        feed_rs::model::FeedType::Atom => "Atom",
        feed_rs::model::FeedType::JSON => "JSON Feed",
        feed_rs::model::FeedType::RSS0 => "RSS 0.9x",
        feed_rs::model::FeedType::RSS1 => "RSS 1.0",
        feed_rs::model::FeedType::RSS2 => "RSS 2.0",
    };
    let title = feed
        .title
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let items = feed.entries.into_iter().map(item_of).collect();
    Ok(Feed {
        format,
        title,
        items,
    })
}

fn item_of(entry: feed_rs::model::Entry) -> FeedItem {
    let link = entry
        .links
        .iter()
        .find(|l| l.target.is_none() && l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.iter().find(|l| l.target.is_none()))
        .map(|l| l.href.trim().to_string())
        .or_else(|| {
            // An RSS guid that is a permalink is the article's address.
            let id = entry.id.trim();
            (id.starts_with("http://") || id.starts_with("https://")).then(|| id.to_string())
        })
        .filter(|l| !l.is_empty());
    let title = entry
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let published = entry
        .published
        .or(entry.updated)
        .map(|datetime| datetime.date_naive());
    let author = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().or(p.email.as_deref()))
        .map(str::trim)
        .find(|n| !n.is_empty())
        .map(str::to_string);
    let content = own_content(&entry);
    let key = match entry.id.trim() {
        "" => match &link {
            Some(link) => link.clone(),
            None => {
                let text = match &content {
                    Some(ItemContent::Html(t) | ItemContent::Text(t)) => t.as_str(),
                    None => "",
                };
                let seed = format!("{}\n{}", title.as_deref().unwrap_or(""), text);
                format!("text:{}", sitrep_model::content_id(&seed))
            }
        },
        id => id.to_string(),
    };
    FeedItem {
        key,
        link,
        title,
        published,
        author,
        content,
    }
}

/// The item's full article, if the feed carries one: the content, else the summary, when
/// it has at least [`MIN_ARTICLE_CHARS`] characters of text.
fn own_content(entry: &feed_rs::model::Entry) -> Option<ItemContent> {
    let from_content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?.trim();
        Some((body, c.content_type.to_string()))
    });
    let from_summary = entry
        .summary
        .as_ref()
        .map(|t| (t.content.trim(), t.content_type.to_string()));
    for (body, media) in [from_content, from_summary].into_iter().flatten() {
        let is_text = media.starts_with("text/plain");
        let chars = if is_text {
            body.chars().count()
        } else {
            text_chars(body)
        };
        if chars >= MIN_ARTICLE_CHARS {
            return Some(if is_text {
                ItemContent::Text(body.to_string())
            } else {
                ItemContent::Html(body.to_string())
            });
        }
    }
    None
}

/// Characters of an HTML fragment outside tags, runs of whitespace counted once.
fn text_chars(html: &str) -> usize {
    let mut count = 0;
    let mut in_tag = false;
    let mut last_space = true;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_whitespace() => {
                if !last_space {
                    count += 1;
                }
                last_space = true;
            }
            _ => {
                count += 1;
                last_space = false;
            }
        }
    }
    count
}

impl FeedItem {
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
        doc.warnings = from_page.warnings;
        Ok(doc)
    }

    fn metadata(&self, feed: &Feed, source: String) -> RawDoc {
        RawDoc {
            source,
            url: self.link.clone(),
            title: self.title.clone(),
            site: feed.title.clone(),
            author: self.author.clone(),
            published: self.published,
            encoding: "UTF-8",
            ..RawDoc::default()
        }
    }
}

/// The documents of a feed, item by item, fetching links on demand.
pub struct FeedItems {
    feed: Feed,
    feed_source: String,
    fetcher: Option<Fetcher>,
    next: usize,
}

impl FeedItems {
    /// `fetcher` is used for items without their own article; without one such items are
    /// problems (reading stays offline).
    pub fn new(feed: Feed, feed_source: impl Into<String>, fetcher: Option<Fetcher>) -> FeedItems {
        FeedItems {
            feed,
            feed_source: feed_source.into(),
            fetcher,
            next: 0,
        }
    }

    fn problem(&self, index: usize, kind: ProblemKind, reason: String) -> Problem {
        let source = format!("{}#item-{}", self.feed_source, index + 1);
        Problem::new(source, kind, reason)
    }
}

impl Iterator for FeedItems {
    type Item = Result<RawDoc, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        let index = self.next;
        let item = self.feed.items.get(index)?;
        self.next += 1;
        let source = item.source(&self.feed_source, index);
        if let Some(doc) = item.own_document(&self.feed, source) {
            return Some(Ok(doc));
        }
        let Some(link) = item.link.as_deref() else {
            return Some(Err(self.problem(
                index,
                ProblemKind::NoText,
                "feed item has neither its article nor a link to it".to_string(),
            )));
        };
        let Some(fetcher) = &self.fetcher else {
            return Some(Err(self.problem(
                index,
                ProblemKind::Offline,
                format!("feed item has only a link ({link}); fetching is off"),
            )));
        };
        // The reason names the page (or the URL that failed): the item's link may redirect.
        let result = match fetcher.get(link) {
            Ok(page) => item
                .fetched_document(&self.feed, &page)
                .map_err(|p| (p.kind, p.to_string())),
            Err(err) => Err((err.problem_kind(), err.to_string())),
        };
        Some(result.map_err(|(kind, reason)| self.problem(index, kind, reason)))
    }
}

#[cfg(test)]
mod tests;
