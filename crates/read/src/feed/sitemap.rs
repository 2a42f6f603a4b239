//! Sitemaps (`<urlset>`) and sitemap indexes (`<sitemapindex>`), read as feeds.
//!
//! A sitemap lists a site's pages: each `<url>` is an item whose `<loc>` is its link, with
//! no article of its own, so it is fetched like any link-only feed item (and is an `Offline`
//! problem when fetching is off). Google News sitemaps add a `<news:news>` block per URL; its
//! `news:title` is the item's title, its `news:publication_date` the date and its
//! `news:publication/news:name` the site. Without them the date is `<lastmod>`, as an Atom
//! entry's is its update date when it has no publication date. Namespaces are ignored:
//! sitemaps are written with any prefix or none, and the local names say enough. Only
//! direct children count (`<image:image><image:loc>` inside a `<url>` is not its link).
//!
//! A sitemap index lists sitemaps: their addresses (the first [`MAX_SITEMAPS`]) become
//! [`Feed::sitemaps`], which [`super::FeedItems`] expands one level deep when it has a
//! fetcher (see there).
//!
//! At most [`MAX_ITEMS`] URLs are read (the protocol's limit for one sitemap); the others are
//! counted and reported.
//!
//! A syntax error ends the list: the URLs before it are kept, with a warning on the feed,
//! so a truncated download still gives its first items.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::entries::item_key;
use super::sniff::FeedKind;
use super::{Feed, FeedItem, MAX_ITEMS};

/// The most sitemaps of a sitemap index that are read (see [`super::FeedItems`]).
pub const MAX_SITEMAPS: usize = 50;
use crate::published::parse_published;

/// Reads a sitemap or a sitemap index (`kind` says which) from its decoded text.
pub(super) fn parse_sitemap(text: &str, kind: FeedKind, base_url: Option<&str>) -> Feed {
    let base = base_url.and_then(|b| url::Url::parse(b).ok());
    let absolute = |link: String| match base.as_ref().and_then(|b| b.join(&link).ok()) {
        Some(url) => url.to_string(),
        None => link,
    };
    let mut reader = Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut entry = Entry::default();
    let mut text_buf = String::new();
    let mut items = Vec::new();
    let mut sitemaps = Vec::new();
    let mut warnings = Vec::new();
    let mut left_out = 0;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => {
                let at = reader.error_position();
                warnings.push(format!(
                    "sitemap is malformed at byte {at} ({err}): read up to there"
                ));
                break;
            }
        };
        match event {
            Event::Start(tag) => {
                path.push(tag.local_name().into_inner().to_string());
                text_buf.clear();
            }
            Event::Empty(_) => {}
            Event::Text(t) => text_buf.push_str(&t.xml10_content()),
            Event::CData(t) => text_buf.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text_buf.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    text_buf.push_str(s);
                }
            }
            Event::End(_) => {
                // Only paths of up to five names matter: a deep path is not even looked at,
                // which keeps hostile nesting linear.
                let names: Vec<&str> = match path.len() {
                    ..=5 => path.iter().map(String::as_str).collect(),
                    _ => Vec::new(),
                };
                let value = text_buf.trim();
                match names.as_slice() {
                    [_, "url"] => {
                        let done = std::mem::take(&mut entry);
                        if items.len() == MAX_ITEMS {
                            left_out += usize::from(done.loc.is_some());
                        } else if let Some(item) = done.into_item(&absolute) {
                            items.push(item);
                        }
                    }
                    [_, "sitemap"] => {
                        if let Some(loc) = std::mem::take(&mut entry).loc {
                            if sitemaps.len() == MAX_SITEMAPS {
                                left_out += 1;
                            } else {
                                sitemaps.push(absolute(loc));
                            }
                        }
                    }
                    [_, "url" | "sitemap", "loc"] => entry.loc = non_blank(value),
                    [_, "url", "lastmod"] => entry.lastmod = non_blank(value),
                    [_, "url", "news", "title"] => entry.title = non_blank(value),
                    [_, "url", "news", "publication_date"] => entry.date = non_blank(value),
                    [_, "url", "news", "publication", "name"] => entry.site = non_blank(value),
                    _ => {}
                }
                path.pop();
                text_buf.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let format = match kind {
        FeedKind::SitemapIndex => "Sitemap index",
        _ => "Sitemap",
    };
    Feed {
        format,
        title: None,
        items,
        sitemaps,
        warnings,
        items_left_out: left_out,
    }
}

fn non_blank(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// What one `<url>` (or `<sitemap>`) said.
#[derive(Default)]
struct Entry {
    loc: Option<String>,
    lastmod: Option<String>,
    title: Option<String>,
    date: Option<String>,
    site: Option<String>,
}

impl Entry {
    fn into_item(self, absolute: &impl Fn(String) -> String) -> Option<FeedItem> {
        let link = absolute(self.loc?);
        let published = self
            .date
            .as_deref()
            .and_then(parse_published)
            .or_else(|| self.lastmod.as_deref().and_then(parse_published));
        Some(FeedItem {
            key: item_key("", Some(&link), None, &None),
            link: Some(link),
            title: self.title,
            published,
            author: None,
            site: self.site,
            content: None,
        })
    }
}
