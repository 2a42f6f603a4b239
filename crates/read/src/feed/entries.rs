//! A parsed entry (feed-rs's, or a JSON Feed item) to a [`FeedItem`]: its link, key, dates
//! and whether it carries its whole article.
//!
//! Strings are moved out of the parsed entry, not copied, so a feed's items cost about the
//! size of their text once.

use super::{FeedItem, ItemContent, MIN_ARTICLE_CHARS};

pub(super) fn item_of(mut entry: feed_rs::model::Entry) -> FeedItem {
    let link = entry
        .links
        .iter()
        .find(|l| l.target.is_none() && l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.iter().find(|l| l.target.is_none()))
        .map(|l| l.href.trim().to_string())
        .or_else(|| permalink(&entry.id))
        .filter(|l| !l.is_empty());
    let title = entry.title.take().and_then(|t| non_empty(t.content));
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
    let from_content = entry.content.take().and_then(|c| {
        let is_text = c.content_type.to_string().starts_with("text/plain");
        Some((c.body?, is_text))
    });
    let from_summary = entry.summary.take().map(|t| {
        let is_text = t.content_type.to_string().starts_with("text/plain");
        (t.content, is_text)
    });
    let content = full_article([from_content, from_summary]);
    let key = item_key(entry.id.trim(), link.as_deref(), title.as_deref(), &content);
    FeedItem {
        key,
        link,
        title,
        published,
        author,
        site: None,
        content,
    }
}

/// An id that is an address (an RSS guid that is a permalink) is the article's address.
pub(super) fn permalink(id: &str) -> Option<String> {
    let id = id.trim();
    (id.starts_with("http://") || id.starts_with("https://")).then(|| id.to_string())
}

pub(super) fn non_empty(text: String) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == text.len() {
        Some(text)
    } else {
        Some(trimmed.to_string())
    }
}

/// The item's full article: the first candidate (body, is plain text) with at least
/// [`MIN_ARTICLE_CHARS`] characters of text.
pub(super) fn full_article<const N: usize>(
    candidates: [Option<(String, bool)>; N],
) -> Option<ItemContent> {
    for (body, is_text) in candidates.into_iter().flatten() {
        let chars = if is_text {
            body.trim().chars().count()
        } else {
            text_chars(&body)
        };
        if chars >= MIN_ARTICLE_CHARS {
            let body = non_empty(body).unwrap_or_default();
            return Some(if is_text {
                ItemContent::Text(body)
            } else {
                ItemContent::Html(body)
            });
        }
    }
    None
}

/// The item's stable key: its id, else its link, else a hash of its title and text.
pub(super) fn item_key(
    id: &str,
    link: Option<&str>,
    title: Option<&str>,
    content: &Option<ItemContent>,
) -> String {
    if !id.is_empty() {
        return id.to_string();
    }
    if let Some(link) = link {
        return link.to_string();
    }
    let text = match content {
        Some(ItemContent::Html(t) | ItemContent::Text(t)) => t.as_str(),
        None => "",
    };
    let seed = format!("{}\n{}", title.unwrap_or(""), text);
    format!("text:{}", sitrep_model::content_id(&seed))
}

/// Characters of an HTML fragment outside tags, runs of whitespace counted once.
pub(super) fn text_chars(html: &str) -> usize {
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
