//! Rewrites an XML feed into a form feed-rs reads, without changing what it says.
//!
//! feed-rs picks its parser by the root element and reads only elements in the namespaces it
//! knows, so forms that are valid and common were refused or read as empty:
//!
//! - `<rss>` without a `version`, or with one it does not list (`0.93`, `0.94`, `2.0.1`):
//!   "no root element". The root is given `version="2.0"` (its 0.9x parser is the 2.0 one).
//!   A default namespace on `<rss>` (`xmlns="http://backend.userland.com/rss2"`) put every
//!   element out of its reach; it is dropped, as RSS has no namespace.
//! - RSS 0.90 (`<rdf:RDF>` with the Netscape namespace): bound to the RSS 1.0 namespace.
//! - Atom 0.3 (`http://purl.org/atom/ns#`, or `version="0.3"` in any namespace): the root is
//!   bound to the Atom 1.0 namespace and the 0.3 names of the feed's and entries' children
//!   become 1.0 names: `issued` → `published`, `modified` → `updated`, `tagline` →
//!   `subtitle`, `copyright` → `rights`. 0.3's text constructs say `type` (a MIME type,
//!   `text/plain` by default) and `mode` (`xml` by default, `escaped`, `base64`); they get
//!   1.0's `type` (`text`, `html`, `xhtml`). Base64 content and content of other types are
//!   dropped: without this an inline XHTML body (`type="application/xhtml+xml"`, the 0.3
//!   default mode) made feed-rs refuse the whole feed.
//! - Atom 1.0 text constructs (`title`, `subtitle`, `summary`, `rights`) whose `type` is
//!   not `text`, `html` or `xhtml` (`text/plain`, `application/xhtml+xml`, an empty one), and
//!   `content` of a type that cannot be read as text (`application/octet-stream`, base64):
//!   feed-rs refused the whole feed for one of them. Such a type is mapped to the 1.0 type
//!   it means (anything with `xhtml` is `xhtml`, with `html` is `html`, `text/*` is `text`),
//!   and what has no text meaning is dropped: a base64 title is no title. Content with a
//!   `src` keeps its address and loses only a type feed-rs cannot parse.
//! - `<rss>` whose items are not in a `<channel>` (or that has nothing at all): feed-rs
//!   needs the channel, so its content is wrapped in one.
//! - An XML declaration after the start of the document (`<?xml ... encoding="koi8-r"?>` in
//!   the middle of a feed): feed-rs switches its decoder on any declaration, and past the
//!   first 64 bytes its decoder panics. The text handed on is UTF-8 ([`super::xml_text`]),
//!   so every declaration is removed.
//!
//! Edits are splices into the original text at places quick-xml's tokenizer found (not
//! string searches, which would also match inside comments and CDATA), so everything else,
//! entities and CDATA included, reaches feed-rs byte for byte. The document is scanned only
//! when there may be something to change in it: an Atom feed, or an `<?xml` in the text.

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::sniff::{ATOM_10, FeedKind, RSS_10, RSS_090, Root};

/// A rewrite: a range of the original text and what replaces it.
type Edit = (Range<usize>, String);

/// The text with the rewrites above applied; `root` and `kind` are what
/// [`super::sniff`] found (nothing, for a document forced to be read as a feed).
pub(crate) fn normalise(text: String, root: Option<&Root>, kind: Option<FeedKind>) -> String {
    let mut edits = Vec::new();
    let mut atom = None;
    if let (Some(root), Some(kind)) = (root, kind) {
        let mut tag = root_tag(root, kind);
        if kind == FeedKind::Rss {
            wrap_in_channel(&text, root, &mut tag, &mut edits);
        }
        if let Some(tag) = tag {
            edits.push((root.span.clone(), tag));
        }
        if matches!(kind, FeedKind::Atom | FeedKind::Atom03) {
            atom = Some(Atom {
                root,
                v03: kind == FeedKind::Atom03,
            });
        }
    }
    let declaration = memchr::memmem::find(text.as_bytes(), b"<?xml").is_some();
    if atom.is_some() || declaration {
        scan(&text, atom, &mut edits);
    }
    splice(text, edits)
}

/// Wraps the content of an `<rss>` without any `channel` in one. Without the word anywhere
/// in the text there is certainly no such element; the root's end tag is the last one.
fn wrap_in_channel(text: &str, root: &Root, tag: &mut Option<String>, edits: &mut Vec<Edit>) {
    if root.empty || memchr::memmem::find(text.as_bytes(), b"channel").is_some() {
        return;
    }
    let Some(end) = text.rfind(&format!("</{}", root.name)) else {
        return;
    };
    if end < root.span.end {
        return;
    }
    let start_tag = tag
        .take()
        .unwrap_or_else(|| text[root.span.clone()].to_string());
    *tag = Some(format!("{start_tag}<channel>"));
    edits.push((end..end, "</channel>".to_string()));
}

/// The root's start tag rewritten for feed-rs, if it needs to be.
fn root_tag(root: &Root, kind: FeedKind) -> Option<String> {
    let own_binding = match root.prefix() {
        Some(prefix) => format!("xmlns:{prefix}"),
        None => "xmlns".to_string(),
    };
    let mut attributes = root.attributes.clone();
    match kind {
        FeedKind::Rss => {
            let version_ok = matches!(root.attribute("version"), Some("2.0" | "0.91" | "0.92"));
            let own_namespace = root.attribute(&own_binding).is_some();
            if version_ok && !own_namespace {
                return None;
            }
            // RSS has no namespace: the root's own (`<r:rss xmlns:r="...userland...">`)
            // becomes the one feed-rs reads RSS elements in.
            attributes.retain(|(key, _)| key != "version" && key != "xmlns");
            if root.prefix().is_some() {
                attributes.retain(|(key, _)| *key != own_binding);
                attributes.push((own_binding, RSS_10.to_string()));
            }
            attributes.insert(0, ("version".to_string(), "2.0".to_string()));
        }
        FeedKind::Rdf => {
            if !root.attributes.iter().any(|(_, v)| v.trim() == RSS_090) {
                return None;
            }
            for (_, value) in &mut attributes {
                if value.trim() == RSS_090 {
                    *value = RSS_10.to_string();
                }
            }
        }
        FeedKind::Atom03 => {
            attributes.retain(|(key, _)| *key != own_binding && key != "version");
            attributes.insert(0, (own_binding, ATOM_10.to_string()));
        }
        _ => return None,
    }
    Some(start_tag(&root.name, &attributes, root.empty))
}

fn start_tag(name: &str, attributes: &[(String, String)], empty: bool) -> String {
    let mut tag = format!("<{name}");
    for (key, value) in attributes {
        // Raw values stay escaped; one written in single quotes may hold a double quote.
        tag.push_str(&format!(" {key}=\"{}\"", value.replace('"', "&quot;")));
    }
    tag.push_str(if empty { "/>" } else { ">" });
    tag
}

/// An open element seen by the scan, and its new name if it was renamed.
struct Open {
    local: String,
    renamed: Option<String>,
}

/// An Atom feed's root, and whether it is Atom 0.3.
#[derive(Clone, Copy)]
struct Atom<'a> {
    root: &'a Root,
    v03: bool,
}

/// Finds the edits inside the document: declarations to remove and, for Atom, the children
/// of the feed and its entries to translate. A syntax error ends the scan: the edits found
/// so far stand and feed-rs reports the error.
fn scan(text: &str, atom: Option<Atom<'_>>, edits: &mut Vec<Edit>) {
    let mut reader = Reader::from_str(text);
    let mut open: Vec<Open> = Vec::new();
    // Set while the subtree of a dropped element is skipped: its depth.
    let mut dropping: Option<(usize, usize)> = None;
    loop {
        let start = reader.buffer_position() as usize;
        let Ok(event) = reader.read_event() else {
            return;
        };
        let end = reader.buffer_position() as usize;
        match event {
            Event::Eof => return,
            Event::Decl(_) => edits.push((start..end, String::new())),
            Event::Start(tag) => {
                let depth = open.len();
                let edit = atom
                    .filter(|_| dropping.is_none())
                    .and_then(|atom| translate(&tag, atom, &open, false));
                let mut renamed = None;
                match edit {
                    Some(Translation::Drop) => dropping = Some((depth, start)),
                    Some(Translation::Tag { name, tag }) => {
                        edits.push((start..end, tag));
                        renamed = Some(name);
                    }
                    None => {}
                }
                let local = tag.local_name().into_inner().to_string();
                open.push(Open { local, renamed });
            }
            Event::Empty(tag) => {
                if let Some(atom) = atom.filter(|_| dropping.is_none()) {
                    match translate(&tag, atom, &open, true) {
                        Some(Translation::Drop) => edits.push((start..end, String::new())),
                        Some(Translation::Tag { tag, .. }) => edits.push((start..end, tag)),
                        None => {}
                    }
                }
            }
            Event::End(tag) => {
                let Some(closed) = open.pop() else { return };
                match dropping {
                    Some((depth, from)) if depth == open.len() => {
                        edits.push((from..end, String::new()));
                        dropping = None;
                    }
                    Some(_) => {}
                    None => {
                        if let Some(name) = closed.renamed {
                            let prefix = tag.name().prefix().map(|p| p.into_inner());
                            let name = match prefix {
                                Some(prefix) => format!("{prefix}:{name}"),
                                None => name,
                            };
                            edits.push((start..end, format!("</{name}>")));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

enum Translation {
    /// The element and everything in it go.
    Drop,
    /// The start tag becomes `tag`; its end tag gets the local name `name`.
    Tag { name: String, tag: String },
}

/// The Atom 1.0 form, as feed-rs reads it, of a child of the feed or of an entry, if it
/// differs.
fn translate(
    tag: &BytesStart<'_>,
    atom: Atom<'_>,
    open: &[Open],
    empty: bool,
) -> Option<Translation> {
    let qname = tag.name();
    let prefix = qname.prefix().map(|p| p.into_inner());
    if prefix != atom.root.prefix() {
        return None;
    }
    let in_feed = open.len() == 1;
    let in_entry = open.len() == 2 && open[1].local == "entry";
    if !(in_feed || in_entry) {
        return None;
    }
    let local = qname.local_name().into_inner();
    let name = match local {
        "issued" if atom.v03 => "published",
        "modified" if atom.v03 => "updated",
        "tagline" if atom.v03 => "subtitle",
        "copyright" if atom.v03 => "rights",
        other => other,
    };
    let mut attributes: Vec<(String, String)> = tag
        .attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .map(|a| (a.key.into_inner().to_string(), a.value.into_owned()))
        .collect();
    let text_construct = matches!(
        name,
        "title" | "subtitle" | "summary" | "content" | "rights"
    );
    let retyped = if text_construct {
        let value = |key: &str| {
            attributes
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_ascii_lowercase())
        };
        match text_type(value("type"), value("mode"), atom.v03) {
            TextType::Keep => false,
            TextType::Is(new_type) => {
                attributes.retain(|(key, _)| key != "type" && key != "mode");
                attributes.push(("type".to_string(), new_type.to_string()));
                true
            }
            TextType::Untyped if name == "content" && value("src").is_some() => {
                attributes.retain(|(key, _)| key != "type" && key != "mode");
                true
            }
            TextType::Untyped => return Some(Translation::Drop),
        }
    } else {
        false
    };
    if name == local && !retyped {
        return None;
    }
    let qualified = match prefix {
        Some(prefix) => format!("{prefix}:{name}"),
        None => name.to_string(),
    };
    Some(Translation::Tag {
        name: name.to_string(),
        tag: start_tag(&qualified, &attributes, empty),
    })
}

/// What a text construct's type becomes.
enum TextType {
    /// It is already one feed-rs reads.
    Keep,
    /// It becomes this Atom 1.0 type.
    Is(&'static str),
    /// It has no text meaning (base64, an image).
    Untyped,
}

/// The Atom 1.0 type of a text construct, from its `type` and (Atom 0.3) `mode`, lowercased.
fn text_type(media: Option<String>, mode: Option<String>, v03: bool) -> TextType {
    if !v03
        && mode.is_none()
        && matches!(
            media.as_deref(),
            None | Some("text" | "html" | "xhtml" | "text/html")
        )
    {
        return TextType::Keep;
    }
    // Atom 0.3 defaults: a MIME type of text/plain, in "xml" mode.
    let media = media.unwrap_or_else(|| if v03 { "text/plain" } else { "text" }.to_string());
    let mode = mode.unwrap_or_else(|| if v03 { "xml" } else { "" }.to_string());
    if mode == "base64" {
        return TextType::Untyped;
    }
    let textual = media.is_empty() || media == "text" || media.starts_with("text/");
    let new_type = if media.contains("xhtml") || (media.contains("html") && mode == "xml") {
        "xhtml"
    } else if media.contains("html") {
        "html"
    } else if textual {
        "text"
    } else {
        return TextType::Untyped;
    };
    TextType::Is(new_type)
}

/// Applies edits (ranges of the original text and their replacements) in one pass.
fn splice(text: String, mut edits: Vec<Edit>) -> String {
    if edits.is_empty() {
        return text;
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (range, replacement) in edits {
        // A dropped element already covers the edits inside it.
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::sniff::{find_root, kind_of_root};
    use super::*;

    fn normalised(text: &str) -> String {
        let root = find_root(text).unwrap();
        let kind = kind_of_root(&root);
        normalise(text.to_string(), Some(&root), kind)
    }

    #[test]
    fn rss_gets_a_version_and_loses_its_default_namespace() {
        assert_eq!(
            normalised("<!-- <b> --><rss xmlns='urn:x' a='say \"hi\"'><channel/></rss>"),
            "<!-- <b> --><rss version=\"2.0\" a=\"say &quot;hi&quot;\"><channel/></rss>"
        );
        let untouched = "<rss version=\"2.0\"><channel/></rss>";
        assert_eq!(normalised(untouched), untouched);
    }

    #[test]
    fn atom03_names_and_text_types_become_atom10() {
        let feed = r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><tagline>T</tagline>
<entry><issued>2004-01-01</issued><content type="text/html" mode="escaped">&lt;p&gt;x</content>
<content type="image/png" mode="base64">iVBOR<x/></content><summary/><author><name>N</name></author></entry></feed>"#;
        assert_eq!(
            normalised(feed),
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><subtitle type="text">T</subtitle>
<entry><published>2004-01-01</published><content type="html">&lt;p&gt;x</content>
<summary type="text"/><author><name>N</name></author></entry></feed>"#
        );
    }

    #[test]
    fn atom10_text_types_feed_rs_refuses_are_mapped_or_dropped() {
        let feed = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="">T</title><entry>
<title type="application/xhtml+xml" mode="xml"><div>x</div></title>
<summary type="application/octet-stream">AAAA</summary><summary type="html">ok</summary>
<content type="image/png" src="/a.png"/></entry></feed>"#;
        assert_eq!(
            normalised(feed),
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">T</title><entry>
<title type="xhtml"><div>x</div></title>
<summary type="html">ok</summary>
<content src="/a.png"/></entry></feed>"#
        );
    }

    #[test]
    fn a_prefixed_rss_is_bound_to_the_namespace_feed_rs_reads() {
        assert_eq!(
            normalised("<r:rss version=\"2.0\" xmlns:r=\"urn:userland\"><r:channel/></r:rss>"),
            "<r:rss version=\"2.0\" xmlns:r=\"http://purl.org/rss/1.0/\"><r:channel/></r:rss>"
        );
    }

    #[test]
    fn rss_without_a_channel_gets_one() {
        assert_eq!(
            normalised("<rss>\n<item><title>x</title></item>\n</rss>\n<!-- end -->"),
            "<rss version=\"2.0\"><channel>\n<item><title>x</title></item>\n</channel></rss>\n<!-- end -->"
        );
        assert_eq!(
            normalised("<rss version=\"2.0\"></rss>"),
            "<rss version=\"2.0\"><channel></channel></rss>"
        );
    }

    #[test]
    fn declarations_after_the_start_are_removed_but_not_inside_cdata() {
        let feed = "<rss version=\"2.0\"><?xml version=\"1.0\" encoding=\"koi8-r\"?>\
                    <channel><![CDATA[<?xml version=\"1.0\"?>]]></channel></rss>";
        assert_eq!(
            normalised(feed),
            "<rss version=\"2.0\"><channel><![CDATA[<?xml version=\"1.0\"?>]]></channel></rss>"
        );
    }

    #[test]
    fn rss090_is_bound_to_the_rss10_namespace() {
        let feed = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel/></rdf:RDF>"#;
        assert!(normalised(feed).contains(r#"xmlns="http://purl.org/rss/1.0/""#));
    }
}
