//! What the fuzz targets share: cutting option bytes off an input, and the invariants that
//! hold for every reader's output (problems name their source, spans lie inside their text).
//!
//! A target takes its options (an input's name, a forced kind, a size cap) from the first
//! bytes of the fuzzer's input rather than through `arbitrary`, so that a seed is a plain
//! file with one or two bytes in front and a crasher can be read with `xxd`.

use std::borrow::Cow;
use std::ops::Range;

use sitrep_model::{Document, Problem};

/// The first byte of `data` (0 when empty) and the rest.
pub fn take_byte(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&b, rest)) => (b, rest),
        None => (0, data),
    }
}

/// The bytes as text: invalid UTF-8 becomes U+FFFD, so every mutation still reaches the
/// code under test (a target that returned early on invalid UTF-8 would waste most of them).
pub fn lossy(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A problem says where and why: its source starts with the input's name (a record, an item
/// or an array element of it may follow), a line is 1-based, and the reason is not empty.
pub fn check_problem(problem: &Problem, name: &str) {
    assert!(
        problem.source.starts_with(name),
        "problem source {:?} does not name the input {name:?}",
        problem.source
    );
    assert!(problem.line != Some(0), "line 0 in {problem:?}");
    assert!(
        !problem.reason.trim().is_empty(),
        "no reason in {problem:?}"
    );
}

/// Byte ranges that are in order, do not overlap, are not empty, lie inside `text` on
/// character boundaries and (when `within` is given) inside that range.
pub fn check_ranges(
    text: &str,
    ranges: &[Range<usize>],
    within: Option<&Range<usize>>,
    what: &str,
) {
    let mut last_end = within.map_or(0, |w| w.start);
    let limit = within.map_or(text.len(), |w| w.end);
    for r in ranges {
        assert!(r.start < r.end, "empty {what} {r:?}");
        assert!(
            r.start >= last_end,
            "{what} {r:?} overlaps or precedes the one before (end {last_end})"
        );
        assert!(r.end <= limit, "{what} {r:?} past its limit {limit}");
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{what} {r:?} not on character boundaries"
        );
        last_end = r.end;
    }
}

/// Every non-whitespace character of `text[range]` is inside one of `ranges` (which are in
/// order): what the sentence splitter and the tokenizer promise.
pub fn check_covers(text: &str, range: Range<usize>, ranges: &[Range<usize>], what: &str) {
    let mut next = ranges.iter().peekable();
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        while next.peek().is_some_and(|r| r.end <= at) {
            next.next();
        }
        let inside = next.peek().is_some_and(|r| r.start <= at);
        assert!(
            inside || c.is_whitespace(),
            "{c:?} at byte {at} is in no {what}"
        );
    }
}

/// A document keeps the output contract: its id is its text's content id, and every span of
/// every layer lies inside the text, with the text it claims.
pub fn check_document(doc: &Document) {
    assert_eq!(
        doc.id,
        sitrep_model::content_id(&doc.text),
        "id is not the text's"
    );
    assert!(!doc.text.trim().is_empty(), "a document with an empty body");
    let chars = doc.text.chars().count();
    for (layer, start, end, claimed) in doc.spans() {
        assert!(
            start <= end && end <= chars,
            "{layer} span {start}..{end} outside {chars} characters"
        );
        if let Some(claimed) = claimed {
            assert_eq!(
                doc.span_text(start, end),
                claimed,
                "{layer} span {start}..{end}"
            );
        }
    }
}

/// Whether every character of `part` other than whitespace occurs somewhere in `whole`: what
/// is left after removing things from a text (the cleaner keeps, joins and collapses; it
/// never writes).
pub fn chars_subset(part: &str, whole: &str) -> Option<char> {
    let mut seen = std::collections::HashSet::new();
    seen.extend(whole.chars());
    part.chars()
        .find(|c| !c.is_whitespace() && !seen.contains(c))
}
