//! Atom as feed-rs reads it: Atom 0.3's names and `type`/`mode` pairs become Atom 1.0's, and
//! text constructs of types feed-rs refuses are mapped to the type they mean or dropped (see
//! [`super::normalise`] for why). Only the children of the feed and of its entries are
//! looked at, in the feed's own namespace prefix.

use quick_xml::events::BytesStart;

use super::normalise::start_tag;
use super::sniff::Root;

/// An Atom feed's root, and whether it is Atom 0.3.
#[derive(Clone, Copy)]
pub(super) struct Atom<'a> {
    pub root: &'a Root,
    pub v03: bool,
}

pub(super) enum Translation {
    /// The element and everything in it go.
    Drop,
    /// The start tag becomes `tag`; its end tag gets the local name `name`.
    Tag { name: String, tag: String },
}

/// The Atom 1.0 form, as feed-rs reads it, of a child of the feed or of an entry (the
/// caller knows which elements are), if it differs.
pub(super) fn translate(tag: &BytesStart<'_>, atom: Atom<'_>, empty: bool) -> Option<Translation> {
    let qname = tag.name();
    let prefix = qname.prefix().map(|p| p.into_inner());
    if prefix != atom.root.prefix() {
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
