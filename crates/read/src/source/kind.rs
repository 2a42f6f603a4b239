//! Kind detection: what an input's name and first bytes say it is (text, HTML, JSON Lines, one
//! JSON document), unless `--input` forces a kind.

use super::options::InputKind;
use super::origin::Origin;
use crate::feed::looks_like_feed;
use crate::payload::looks_like_html;
use crate::warc::{looks_like_arc, looks_like_warc};

/// What the first bytes say an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Html,
    JsonLines,
    /// One JSON value spread over the whole input (pretty-printed object, or an array).
    JsonDocument,
}

fn first_non_blank(bytes: &[u8]) -> Option<u8> {
    bytes.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Whether an input is a WARC archive: forced, or by its extension or first bytes.
pub(super) fn is_warc(forced: Option<InputKind>, origin: &Origin, head: &[u8]) -> bool {
    forced == Some(InputKind::Warc)
        || (forced.is_none() && (origin.ext_is(&["warc"]) || looks_like_warc(head)))
}

/// Whether an input is an ARC archive (the format before WARC): by its extension or its
/// `filedesc://` start, or by its start when a web archive is forced.
pub(super) fn is_arc(forced: Option<InputKind>, origin: &Origin, head: &[u8]) -> bool {
    match forced {
        None => origin.ext_is(&["arc"]) || looks_like_arc(head),
        Some(InputKind::Warc) => looks_like_arc(head),
        Some(_) => false,
    }
}

/// Whether an input is a feed: forced, or by its extension or first bytes.
pub(super) fn is_feed(forced: Option<InputKind>, origin: &Origin, head: &[u8]) -> bool {
    forced == Some(InputKind::Feed)
        || (forced.is_none() && (origin.ext_is(&["rss", "atom"]) || looks_like_feed(head)))
}

/// The kind `--input` forces, if any (WARC and feeds are dispatched before this).
pub(super) fn forced_kind(forced: Option<InputKind>, head: &[u8]) -> Option<Kind> {
    match forced? {
        InputKind::Text => Some(Kind::Text),
        InputKind::Html => Some(Kind::Html),
        InputKind::JsonLines => Some(json_kind(head)),
        InputKind::Warc | InputKind::Feed => None,
    }
}

/// JSON Lines, or one JSON document (an array, or an object opened on a line of its own).
fn json_kind(head: &[u8]) -> Kind {
    let first = first_non_blank(head);
    let first_line = head
        .split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .find(|l| !l.is_empty());
    if first == Some(b'[') || first_line == Some(b"{") {
        return Kind::JsonDocument;
    }
    Kind::JsonLines
}

pub(super) fn sniff_kind(head: &[u8], origin: &Origin) -> Kind {
    let first = first_non_blank(head);
    let json = origin.ext_is(&["jsonl", "ndjson", "json"]) || first == Some(b'{');
    if json {
        return json_kind(head);
    }
    if origin.ext_is(&["html", "htm", "xhtml"]) || looks_like_html(head) {
        return Kind::Html;
    }
    Kind::Text
}
