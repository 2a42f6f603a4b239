//! JSON Feed (1.0 and 1.1), read leniently item by item.
//!
//! feed-rs reads JSON Feed into a strict serde model: one item whose `id` is a number (the
//! spec tells readers to coerce it to a string), a feed without a `title`, a `tags` that is
//! not a list, or a `version` written `http://` lost every item of the feed. The format is
//! a dozen plain members, so it is read here, each item from a `serde_json::Value`: a member
//! of the wrong type is absent, an item that is not an object has neither article nor link
//! (and is reported as such), and the other items are unaffected. The document is read as a
//! stream, keeping only the members used and at most [`MAX_ITEMS`] items: a `Value` of the
//! whole feed would take many times its size (an empty item `{}` costs far more than its two
//! bytes).

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::entries::{full_article, item_key, non_empty};
use super::sniff::is_json_feed_version;
use super::{Feed, FeedItem, MAX_ITEMS};
use crate::published::parse_published;

/// Reads a JSON Feed. The version must be a JSON Feed one (any `jsonfeed.org/version/`).
pub(super) fn parse_json_feed(bytes: &[u8], base_url: Option<&str>) -> Result<Feed, String> {
    let decoded = crate::decode(bytes).map_err(|err| format!("not a readable JSON Feed: {err}"))?;
    let mut parts = Parts::default();
    serde_json::Deserializer::from_str(&decoded.text)
        .deserialize_map(PartsVisitor(&mut parts))
        .map_err(|err| format!("not a readable JSON Feed: malformed JSON: {err}"))?;
    if !matches!(&parts.top.get("version"), Some(Value::String(v)) if is_json_feed_version(v)) {
        return Err("not a JSON Feed: no jsonfeed.org \"version\"".to_string());
    }
    let feed_author = author(&parts.top);
    let base = base_url.and_then(|b| url::Url::parse(b).ok());
    let items = parts
        .items
        .into_iter()
        .map(|item| match item {
            Value::Object(item) => item_of(item, base.as_ref(), feed_author.as_deref()),
            _ => item_of(Map::new(), None, None),
        })
        .collect();
    let mut warnings = Vec::new();
    if decoded.encoding != crate::TextEncoding::Utf8 {
        warnings.push(format!("JSON Feed read as {}", decoded.encoding.name()));
    }
    Ok(Feed {
        format: "JSON Feed",
        title: string(&parts.top, "title"),
        items,
        sitemaps: Vec::new(),
        warnings,
        items_left_out: parts.left_out,
    })
}

/// What is kept of a JSON Feed while it is read: the few top-level members used, and at
/// most [`MAX_ITEMS`] items (the others are only counted).
#[derive(Default)]
struct Parts {
    top: Map<String, Value>,
    items: Vec<Value>,
    left_out: usize,
}

struct PartsVisitor<'a>(&'a mut Parts);

impl<'de> Visitor<'de> for PartsVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON Feed object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "items" => map.next_value_seed(ItemsSeed(&mut *self.0))?,
                "version" | "title" | "author" | "authors" => {
                    let value = map.next_value::<Value>()?;
                    self.0.top.insert(key, value);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The `items` array, kept up to [`MAX_ITEMS`].
struct ItemsSeed<'a>(&'a mut Parts);

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while self.0.items.len() < MAX_ITEMS {
            match seq.next_element::<Value>()? {
                Some(item) => self.0.items.push(item),
                None => return Ok(()),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {
            self.0.left_out += 1;
        }
        Ok(())
    }

    // `items` that is not a list holds no items.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

fn item_of(
    mut item: Map<String, Value>,
    base: Option<&url::Url>,
    feed_author: Option<&str>,
) -> FeedItem {
    let link = string(&item, "url")
        .or_else(|| string(&item, "external_url"))
        .map(|link| match base.and_then(|b| b.join(&link).ok()) {
            Some(absolute) => absolute.to_string(),
            None => link,
        });
    let title = string(&item, "title");
    let published = string(&item, "date_published")
        .or_else(|| string(&item, "date_modified"))
        .and_then(|date| parse_published(&date));
    let author = author(&item).or_else(|| feed_author.map(str::to_string));
    let id = match item.get("id") {
        Some(Value::String(id)) => id.trim().to_string(),
        Some(Value::Number(id)) => id.to_string(),
        _ => String::new(),
    };
    let mut take = |key: &str, is_text: bool| match item.get_mut(key).map(Value::take) {
        Some(Value::String(body)) => Some((body, is_text)),
        _ => None,
    };
    let content = full_article([
        take("content_html", false),
        take("content_text", true),
        take("summary", true),
    ]);
    let key = item_key(&id, link.as_deref(), title.as_deref(), &content);
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

/// A member that is a non-blank string, trimmed.
fn string(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key) {
        Some(Value::String(text)) => non_empty(text.clone()),
        _ => None,
    }
}

/// The first author's name: `authors` (1.1), else `author` (1.0).
fn author(object: &Map<String, Value>) -> Option<String> {
    let first = match object.get("authors") {
        Some(Value::Array(authors)) => authors.first(),
        _ => None,
    };
    first
        .or_else(|| object.get("author"))
        .and_then(Value::as_object)
        .and_then(|person| string(person, "name"))
}
