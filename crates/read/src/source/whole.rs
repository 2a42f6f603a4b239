//! Inputs read whole: a plain-text article, an HTML page, one JSON document, each at most
//! the per-document size cap.

use std::io::{BufReader, Cursor, Read};

use sitrep_model::{Problem, ProblemKind};

use super::json::{JsonLines, json_document};
use super::kind::Kind;
use super::origin::{Origin, human_size};
use super::stream::Stream;
use crate::decode::TextEncoding;
use crate::raw::RawDoc;

/// An HTML file, decoded as a page: its `<meta charset>` is honoured (a Cyrillic or Japanese
/// legacy page is not Windows-1252), as for fetched pages.
pub(super) fn html_file(origin: &Origin, bytes: &[u8]) -> Stream {
    let page = crate::payload::decode_page(bytes, None);
    if page.text.trim().is_empty() {
        return Stream::one(Err(
            origin.problem(ProblemKind::Empty, format!("empty {}", origin.what()))
        ));
    }
    Stream::one(Ok(RawDoc {
        source: origin.name.clone(),
        encoding: page.encoding,
        html: Some(page.text),
        warnings: page.warnings,
        ..RawDoc::default()
    }))
}

/// Reads a whole input of at most `max_bytes`, refusing a larger one by its metadata size
/// before reading, or (for a stream) as soon as the cap is passed.
pub(super) fn read_whole(
    origin: &Origin,
    head: Vec<u8>,
    reader: Box<dyn Read + Send>,
    max_bytes: usize,
) -> Result<Vec<u8>, Problem> {
    read_whole_capped(
        origin,
        head,
        reader,
        max_bytes,
        "per-document cap (--max-doc-size)",
    )
}

/// [`read_whole`] with another cap than the per-document one, named `cap_name` in the reason.
pub(super) fn read_whole_capped(
    origin: &Origin,
    head: Vec<u8>,
    reader: Box<dyn Read + Send>,
    max_bytes: usize,
    cap_name: &str,
) -> Result<Vec<u8>, Problem> {
    let cap = human_size(max_bytes as u64);
    let over_cap = |size: Option<u64>| {
        let what = origin.what();
        origin.problem(
            ProblemKind::TooLarge,
            match size {
                Some(size) => format!("{what} is {}, over the {cap} {cap_name}", human_size(size)),
                None => format!("{what} is over the {cap} {cap_name}"),
            },
        )
    };
    if let Some(size) = origin.size
        && size > max_bytes as u64
    {
        return Err(over_cap(Some(size)));
    }
    let mut bytes = head;
    let limit = (max_bytes as u64 + 1).saturating_sub(bytes.len() as u64);
    reader
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|err| origin.problem(ProblemKind::Io, format!("cannot read: {err}")))?;
    if bytes.len() > max_bytes {
        return Err(over_cap(None));
    }
    Ok(bytes)
}

pub(super) fn from_decoded(
    origin: &Origin,
    kind: Kind,
    text: String,
    encoding: TextEncoding,
    max_bytes: usize,
) -> Stream {
    if text.trim().is_empty() {
        return Stream::one(Err(
            origin.problem(ProblemKind::Empty, format!("empty {}", origin.what()))
        ));
    }
    match kind {
        Kind::Text | Kind::Html => {
            let mut doc = RawDoc {
                source: origin.name.clone(),
                encoding: encoding.name(),
                ..RawDoc::default()
            };
            if kind == Kind::Html {
                doc.html = Some(text);
            } else {
                doc.text = Some(text);
            }
            Stream::one(Ok(doc))
        }
        Kind::JsonDocument => Stream::Ready(json_document(origin, &text, encoding).into_iter()),
        Kind::JsonLines => {
            // Only UTF-16 input gets here: already decoded, so re-encode as UTF-8 lines.
            let reader = BufReader::new(Cursor::new(text.into_bytes()));
            let mut lines = JsonLines::new(origin, Box::new(reader), max_bytes);
            lines.encoding = encoding;
            Stream::Lines(lines)
        }
    }
}
