//! What kind of feed a document is, by its root element or its JSON Feed `version`.
//!
//! The root element of an XML document is the first element after the prolog: the XML
//! declaration, comments, processing instructions (stylesheets) and a doctype, which may
//! carry an internal subset (`<!DOCTYPE rss [ <!ENTITY ...> ]>`) full of `<` and `>`. The
//! earlier hand-written scan skipped `<!` and `<?` one bracket at a time, so a comment
//! holding `<b>` made `b` the root and the feed was read as plain text. Here quick-xml, a
//! real XML tokenizer (its doctype parser knows internal subsets, quoted `>` and comments
//! within them), reads the prolog, and its namespace resolver says what the root's
//! namespace is.
//!
//! Kinds, by root (namespace prefixes are ignored where the name says enough):
//! - `rss`, any version or none: RSS 0.9x/2.0;
//! - `RDF` (any prefix) declaring an RSS 1.0 or 0.90 namespace, or no default namespace
//!   (feed-rs then reads unprefixed `channel` and `item` as RSS 1.0): RSS 1.0/0.90;
//! - `feed` in the Atom 1.0 namespace or in none (feed-rs reads it as Atom either way);
//!   `feed` in the Atom 0.3 namespace (`http://purl.org/atom/ns#`) or with a
//!   `version="0.x"` attribute: Atom 0.3. A `feed` in another namespace is not a feed;
//! - `urlset` and `sitemapindex`: a sitemap and a sitemap index;
//! - `CHANNEL`: Microsoft's CDF (1997), recognised only to be refused by name rather than
//!   read as a text document of raw XML.
//!
//! A JSON object is a JSON Feed when its own `version` member (not one nested deeper)
//! is a string starting with `https://jsonfeed.org/version/` once JSON escapes are read:
//! publishers write `"https:\/\/jsonfeed.org\/version\/1"`, which the earlier byte match
//! missed, so the feed went to the JSON Lines reader and every item was lost.
//!
//! Only the start of an input is looked at ([`SNIFF_WINDOW`], the 8 KB the reader sniffs for
//! every kind): in the 2,087 of feedparser's test feeds that expat can read, the root element
//! starts within the first 670 bytes, and a real feed's prolog is a declaration and a
//! stylesheet or two. A prolog longer than that (a doctype with a long internal subset) is
//! not recognised by content; `--feed`, `--input feed` or a `.rss`/`.atom` name still read it
//! as a feed, since parsing reads the whole document.

use std::fmt;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::xml_text::decode_xml;

/// How much of an input is looked at: as much as the reader sniffs for every kind.
pub const SNIFF_WINDOW: usize = 8 * 1024;

pub(crate) const ATOM_10: &str = "http://www.w3.org/2005/Atom";
pub(crate) const ATOM_03: &str = "http://purl.org/atom/ns#";
pub(crate) const RSS_10: &str = "http://purl.org/rss/1.0/";
pub(crate) const RSS_090: &str = "http://my.netscape.com/rdf/simple/0.9/";

/// The kinds of feed sitrep reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedKind {
    /// `<rss>`: RSS 0.9x or 2.0, with any `version` or none.
    Rss,
    /// `<rdf:RDF>`: RSS 1.0 or 0.90.
    Rdf,
    /// Atom 1.0.
    Atom,
    /// Atom 0.3, the draft before 1.0 (other element names, another namespace).
    Atom03,
    /// A JSON Feed (any 1.x version).
    JsonFeed,
    /// A sitemap (`<urlset>`), Google News sitemaps included.
    Sitemap,
    /// A sitemap index (`<sitemapindex>`): a list of sitemaps.
    SitemapIndex,
    /// Microsoft's Channel Definition Format, which is not read.
    Cdf,
}

impl fmt::Display for FeedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FeedKind::Rss => "RSS",
            FeedKind::Rdf => "RSS 1.0 (RDF)",
            FeedKind::Atom => "Atom",
            FeedKind::Atom03 => "Atom 0.3",
            FeedKind::JsonFeed => "JSON Feed",
            FeedKind::Sitemap => "sitemap",
            FeedKind::SitemapIndex => "sitemap index",
            FeedKind::Cdf => "CDF channel",
        })
    }
}

/// What kind of feed the start of an input is, if it is one.
///
/// ```
/// use sitrep_read::feed::{FeedKind, sniff_feed};
/// let rss = b"<?xml version=\"1.0\"?>\n<!-- made by <b>hand</b> -->\n<rss><channel>";
/// assert_eq!(sniff_feed(rss), Some(FeedKind::Rss));
/// let json = br#"{"version": "https:\/\/jsonfeed.org\/version\/1", "items": []}"#;
/// assert_eq!(sniff_feed(json), Some(FeedKind::JsonFeed));
/// assert_eq!(sniff_feed(b"<!DOCTYPE html><html><body>"), None);
/// ```
pub fn sniff_feed(head: &[u8]) -> Option<FeedKind> {
    let head = &head[..head.len().min(SNIFF_WINDOW)];
    let unmarked = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    if unmarked.trim_ascii_start().starts_with(b"{") {
        return is_json_feed(unmarked).then_some(FeedKind::JsonFeed);
    }
    let text = decode_xml(head).text;
    if !text.trim_start().starts_with('<') {
        return None;
    }
    kind_of_root(&find_root(&text)?)
}

/// The root element of an XML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Root {
    /// The qualified name as written (`rdf:RDF`).
    pub name: String,
    /// The namespace the name resolves to.
    pub namespace: Option<String>,
    /// The attributes as written: name and raw (still escaped) value.
    pub attributes: Vec<(String, String)>,
    /// Where the start tag is in the text.
    pub span: std::ops::Range<usize>,
    /// `<root/>`.
    pub empty: bool,
}

impl Root {
    pub(crate) fn local_name(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    pub(crate) fn prefix(&self) -> Option<&str> {
        self.name.split_once(':').map(|(prefix, _)| prefix)
    }

    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
    }

    /// Whether any namespace declared on the root is `namespace`.
    fn declares(&self, namespace: &str) -> bool {
        self.attributes.iter().any(|(key, value)| {
            (key == "xmlns" || key.starts_with("xmlns:")) && value.trim() == namespace
        })
    }
}

/// The first element of a document after its prolog, if the prolog is well-formed enough
/// to find it. Text before the root (which XML does not allow) means this is not XML.
pub(crate) fn find_root(text: &str) -> Option<Root> {
    let mut reader = NsReader::from_str(text);
    loop {
        let start = usize::try_from(reader.buffer_position()).ok()?;
        let (resolved, event) = reader.read_resolved_event().ok()?;
        let namespace = match resolved {
            ResolveResult::Bound(ns) => Some(ns.into_inner().to_string()),
            ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
        };
        let end = usize::try_from(reader.buffer_position()).ok()?;
        match event {
            Event::Start(tag) => return Some(root_of(&tag, namespace, start..end, false)),
            Event::Empty(tag) => return Some(root_of(&tag, namespace, start..end, true)),
            Event::Text(text) if text.trim_ascii().is_empty() => {}
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            _ => return None,
        }
    }
}

fn root_of(
    tag: &BytesStart<'_>,
    namespace: Option<String>,
    span: std::ops::Range<usize>,
    empty: bool,
) -> Root {
    let attributes = tag
        .attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .map(|a| (a.key.into_inner().to_string(), a.value.into_owned()))
        .collect();
    Root {
        name: tag.name().into_inner().to_string(),
        namespace,
        attributes,
        span,
        empty,
    }
}

pub(crate) fn kind_of_root(root: &Root) -> Option<FeedKind> {
    let namespace = root.namespace.as_deref();
    let kind = match root.local_name() {
        "rss" => FeedKind::Rss,
        "RDF"
            if root.declares(RSS_10)
                || root.declares(RSS_090)
                || root.attribute("xmlns").is_none() =>
        {
            FeedKind::Rdf
        }
        "feed"
            if namespace == Some(ATOM_03)
                || root
                    .attribute("version")
                    .is_some_and(|v| v.starts_with("0.")) =>
        {
            FeedKind::Atom03
        }
        "feed" if namespace.is_none() || namespace == Some(ATOM_10) => FeedKind::Atom,
        "urlset" => FeedKind::Sitemap,
        "sitemapindex" => FeedKind::SitemapIndex,
        "CHANNEL" if root.prefix().is_none() => FeedKind::Cdf,
        _ => return None,
    };
    Some(kind)
}

/// Whether a JSON object's own `version` member is a JSON Feed version. The object may be
/// cut off anywhere after it (only the start of an input is read).
pub(crate) fn is_json_feed(json: &[u8]) -> bool {
    let mut version = None;
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    // The visitor stops at the version: the error serde_json then gives for the rest of the
    // object (or its cut-off end) is expected.
    let _ = deserializer.deserialize_map(VersionSeeker(&mut version));
    version.is_some_and(|v| is_json_feed_version(&v))
}

/// `https://jsonfeed.org/version/1.1` and the like (publishers also write `http://`).
pub(crate) fn is_json_feed_version(version: &str) -> bool {
    let version = version.trim();
    version.starts_with("https://jsonfeed.org/version/")
        || version.starts_with("http://jsonfeed.org/version/")
}

/// Reads an object's members until `version`, skipping the values of the others.
struct VersionSeeker<'a>(&'a mut Option<String>);

impl<'de> Visitor<'de> for VersionSeeker<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "version" {
                *self.0 = map.next_value::<Option<String>>()?;
                return Ok(());
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}
