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
//! - A person's text (`author`, `dc:creator`, `managingEditor`, `webMaster`, `itunes:author`)
//!   with an e-mail address right next to a character outside ASCII (`Mira@wn.uy€`):
//!   feed-rs slices one byte past the address and panics inside the character, which cost
//!   the whole feed. A space is put between the address and such a character.
//! - Items past [`MAX_ITEMS`] are cut (from the end of the last one kept to the end of their
//!   parent), so that feed-rs never builds more entries than that.
//!
//! Edits are splices into the original text at places quick-xml's tokenizer found (not
//! string searches, which would also match inside comments and CDATA), so everything else,
//! entities and CDATA included, reaches feed-rs byte for byte. Every document is scanned
//! once for them: reading a 50 MB feed of 4,500 items took 0.78 s with the scan, 0.45 s
//! without.

use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::atom_forms::{Atom, Translation, translate};
use super::sniff::{ATOM_10, FeedKind, RSS_10, RSS_090, Root};

/// A rewrite: a range of the original text and what replaces it.
type Edit = (Range<usize>, String);

/// The most items read from one feed (of any kind). 50,000 is the most URLs a sitemap may
/// list; no news feed comes near it. Parsed items cost memory whatever their size (feed-rs's
/// entry and ours, about 750 bytes for an empty `<item/>` of 7 bytes), so without a bound a
/// feed of empty items would take a hundred times its size.
pub const MAX_ITEMS: usize = 50_000;

/// A feed ready for feed-rs.
pub(crate) struct Normalised {
    pub text: String,
    /// Items past [`MAX_ITEMS`], cut from the text.
    pub items_left_out: usize,
}

/// The text with the rewrites above applied; `root` and `kind` are what
/// [`super::sniff`] found (nothing, for a document forced to be read as a feed).
pub(crate) fn normalise(text: String, root: Option<&Root>, kind: Option<FeedKind>) -> Normalised {
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
    let items_left_out = scan(&text, atom, &mut edits);
    Normalised {
        text: splice(text, edits),
        items_left_out,
    }
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

pub(super) fn start_tag(name: &str, attributes: &[(String, String)], empty: bool) -> String {
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

/// Finds the edits inside the document: declarations to remove, items past [`MAX_ITEMS`] to
/// cut and, for Atom, the children of the feed and its entries to translate. Returns how
/// many items were cut. A syntax error ends the scan: the edits found so far stand and
/// feed-rs reports the error (or reads up to it).
fn scan(text: &str, atom: Option<Atom<'_>>, edits: &mut Vec<Edit>) -> usize {
    let mut reader = Reader::from_str(text);
    let mut open: Vec<Open> = Vec::new();
    // Set while the subtree of a dropped element is skipped: its depth and start.
    let mut dropping: Option<(usize, usize)> = None;
    let mut items = 0;
    let mut cut = Cut::NotYet;
    // Where the tokenizer stopped: the end, or a syntax error.
    let stop = loop {
        let start = reader.buffer_position() as usize;
        let Ok(event) = reader.read_event() else {
            break start;
        };
        let end = reader.buffer_position() as usize;
        // Nothing is edited inside the part cut off: that would only cost memory.
        let editing = !matches!(cut, Cut::From { .. }) && dropping.is_none();
        let in_feed_or_entry = open.len() == 1 || (open.len() == 2 && open[1].local == "entry");
        match event {
            Event::Eof => break start,
            Event::Decl(_) if editing => edits.push((start..end, String::new())),
            Event::Text(_) | Event::CData(_)
                if editing
                    && open
                        .last()
                        .is_some_and(|o| PERSON_ELEMENTS.contains(&o.local.as_str())) =>
            {
                if let Some(fixed) = person_text(&text[start..end]) {
                    edits.push((start..end, fixed));
                }
            }
            Event::Start(tag) => {
                let depth = open.len();
                let edit = atom
                    .filter(|_| editing && in_feed_or_entry)
                    .and_then(|atom| translate(&tag, atom, false));
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
                if let Some(atom) = atom.filter(|_| editing && in_feed_or_entry) {
                    match translate(&tag, atom, true) {
                        Some(Translation::Drop) => edits.push((start..end, String::new())),
                        Some(Translation::Tag { tag, .. }) => edits.push((start..end, tag)),
                        None => {}
                    }
                }
                if is_item(tag.local_name().into_inner(), &open) {
                    count_item(&mut items, &mut cut, open.len(), end);
                }
            }
            Event::End(tag) => {
                let Some(closed) = open.pop() else {
                    break start;
                };
                if let Cut::From { parent_depth, from } = cut
                    && open.len() + 1 == parent_depth
                {
                    // The end of the items' parent: everything since the last item kept goes.
                    edits.push((from..start, String::new()));
                    cut = Cut::Done;
                }
                if is_item(&closed.local, &open) {
                    count_item(&mut items, &mut cut, open.len(), end);
                }
                match dropping {
                    Some((depth, from)) if depth == open.len() => {
                        edits.push((from..end, String::new()));
                        dropping = None;
                    }
                    Some(_) => {}
                    None if editing => {
                        if let Some(name) = closed.renamed {
                            let prefix = tag.name().prefix().map(|p| p.into_inner());
                            let name = match prefix {
                                Some(prefix) => format!("{prefix}:{name}"),
                                None => name,
                            };
                            edits.push((start..end, format!("</{name}>")));
                        }
                    }
                    None => {}
                }
            }
            _ => {}
        }
    };
    // An element being dropped or items being cut when the document ends (cut short, or
    // at an error): what was not edited there is dealt with as text.
    let from = dropping.map_or(stop, |(_, from)| from);
    after_text_stops(text, from, cut, edits);
    items.saturating_sub(MAX_ITEMS)
}

/// Elements whose text feed-rs reads as "name <e-mail>" (local names).
const PERSON_ELEMENTS: &[&str] = &["author", "creator", "managingEditor", "webMaster", "name"];

/// A person's text (escaped text or a whole CDATA section) with a space between every e-mail
/// address and a character outside ASCII next to it, at its ends too (text split over
/// several pieces is joined by feed-rs); `None` when nothing needs to change.
fn person_text(raw: &str) -> Option<String> {
    let (cdata, inner) = match raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
    {
        Some(inner) => (true, std::borrow::Cow::Borrowed(inner)),
        None => (false, quick_xml::escape::unescape(raw).ok()?),
    };
    if !inner.contains('@') {
        return None;
    }
    // The characters feed-rs's address pattern can span, around an `@`.
    let left = |c: char| c.is_ascii_alphanumeric() || "._%+-<[(:".contains(c);
    let right = |c: char| c.is_ascii_alphanumeric() || ".->])".contains(c);
    let chars: Vec<char> = inner.chars().collect();
    let mut space_before = vec![false; chars.len() + 1];
    for (at, _) in chars.iter().enumerate().filter(|&(_, &c)| c == '@') {
        let mut a = at;
        while a > 0 && left(chars[a - 1]) {
            a -= 1;
        }
        let mut b = at + 1;
        while b < chars.len() && right(chars[b]) {
            b += 1;
        }
        // At a piece's end the neighbour is unknown: another piece may follow.
        if a == 0 || !chars[a - 1].is_ascii() {
            space_before[a] = true;
        }
        if b == chars.len() || !chars[b].is_ascii() {
            space_before[b] = true;
        }
    }
    if !space_before.iter().any(|&s| s) {
        return None;
    }
    let mut fixed = String::with_capacity(inner.len() + 8);
    for (k, c) in chars.iter().enumerate() {
        if space_before[k] {
            fixed.push(' ');
        }
        fixed.push(*c);
    }
    if space_before[chars.len()] {
        fixed.push(' ');
    }
    Some(if cdata {
        format!("<![CDATA[{fixed}]]>")
    } else {
        quick_xml::escape::escape(&fixed).into_owned()
    })
}

/// What the scan does from where it could not follow the document (a syntax error, or an
/// element it was dropping or items it was cutting when the text ended). feed-rs may read on
/// past an error (it peeks at events and skips some), and from there nothing says what is
/// markup and what is text: every later `<?xml ...?>` is removed as text (a declaration
/// feed-rs met there would panic its decoder), and a cut under way runs to the end, so
/// feed-rs never gets more than [`MAX_ITEMS`] items.
fn after_text_stops(text: &str, from: usize, cut: Cut, edits: &mut Vec<Edit>) {
    if let Cut::From { from, .. } = cut {
        edits.push((from..text.len(), String::new()));
        return;
    }
    let mut at = from;
    while let Some(found) = memchr::memmem::find(&text.as_bytes()[at..], b"<?xml") {
        let start = at + found;
        let Some(close) = memchr::memmem::find(&text.as_bytes()[start..], b"?>") else {
            break;
        };
        at = start + close + 2;
        edits.push((start..at, String::new()));
    }
}

/// Where the scan is with cutting items past [`MAX_ITEMS`].
#[derive(Clone, Copy)]
enum Cut {
    NotYet,
    /// Cutting from the end of the last item kept, until the end of its parent.
    From {
        parent_depth: usize,
        from: usize,
    },
    Done,
}

/// Whether an element closing under `open` is a feed item: an `item` or `entry` child of the
/// root or of a `channel` child of the root.
fn is_item(local: &str, open: &[Open]) -> bool {
    matches!(local, "item" | "entry")
        && (open.len() == 1 || (open.len() == 2 && open[1].local == "channel"))
}

/// Counts an item that ended at `end`, its parent at `parent_depth`; the cut starts after the
/// last item kept.
fn count_item(items: &mut usize, cut: &mut Cut, parent_depth: usize, end: usize) {
    *items += 1;
    if *items == MAX_ITEMS {
        *cut = Cut::From {
            parent_depth,
            from: end,
        };
    }
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
        normalise(text.to_string(), Some(&root), kind).text
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
    fn declarations_after_a_syntax_error_are_removed_as_text() {
        let feed = "<rss version=\"2.0\"><channel></item><title><?xml version='1.0' \
                    encoding='koi8-r'?>T</title></channel></rss>";
        assert_eq!(
            normalised(feed),
            "<rss version=\"2.0\"><channel></item><title>T</title></channel></rss>"
        );
    }

    #[test]
    fn declarations_in_an_element_left_open_at_the_end_are_removed() {
        let feed = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry>\
                    <summary mode=\"base64\">AB<?xml version='1.0' encoding='koi8-r'?>CD";
        assert_eq!(
            normalised(feed),
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><summary mode=\"base64\">ABCD"
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
