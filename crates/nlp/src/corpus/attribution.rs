//! Attribution corpora in the PolNeAR layout: one article per `text/NAME.txt` and its
//! attribution relations in BRAT standoff, `attributions/NAME_ANNOTATOR.ann`.
//!
//! A relation is a source (who; optional), a cue (the words that attribute: "said",
//! "according to", ":") and a content (what is attributed), each a set of possibly
//! discontiguous spans. Spans here are UTF-8 byte ranges into the article text, as every
//! sitrep stage uses them; BRAT counts code points, and the reader converts each offset once.
//!
//! # What the files hold, and how each shape is read
//!
//! Surveyed on PolNeAR train (919 files; the counts below are theirs) and dev (94): every
//! offset there counts code points (each of the 97,146 span texts equals the article's code
//! points at its offsets, none its bytes; curly quotes and a leading byte-order mark
//! included).
//!
//! - `T<n> TAB Label START END[;START END]* TAB text`: a span. Labels `Source`, `Cue`,
//!   `Content` (its pieces may be discontiguous: 3,307 contents in two pieces, up to 20; 10
//!   sources and 1 cue in two), `Attribution` and `Attribution-no-source` (the relation's
//!   anchor, over the cue), `Discuss` and `Discard` (annotators' flags, used by no relation:
//!   counted and passed over). The text is checked against the article. When a span crosses
//!   a line break its text runs over the next lines of the file (6 times in train): those
//!   lines belong to the span.
//! - `E<n> TAB Anchor:T<a> Role:T<x> ...`: a relation, its roles in any order (six orders
//!   occur). Roles `Source`, `Cue`, `Content`, and `Content2` (64 times, 7 of them without a
//!   `Content`: a further content span, merged into the content). The anchor's name does
//!   not decide whether there is a source (one `Attribution-no-source` in dev has one, four
//!   `Attribution`s have none): the `Source` role does. A role whose span carries another
//!   label (3 times: a cue labelled `Discuss`, a source and a content swapped) is read as
//!   the relation says, and counted.
//! - Relations with the anchor alone (34 in train, most of them stubs beside a full relation
//!   on the same anchor) and relations without a cue or a content (4) are not attribution
//!   relations: counted and passed over, as are spans no relation uses (20).
//! - `#<n> TAB AnnotatorNotes ...` (3) and other BRAT records (`R`, `A`, `M`, `N`): passed
//!   over. An empty `.ann` file is an article without relations.
//! - A leading byte-order mark (2 texts) is not part of the text; offsets count it, and are
//!   shifted.
//! - 16 train articles and 2 dev articles were annotated by five or six annotators (the
//!   agreement set), one file each: the reader takes the first in file-name order, so every
//!   article counts once, and counts the others. (PolNeAR's own loader picks one at random.)
//!
//! Anything else is an error naming the file and the line: a line that is no record, an
//! offset that is not a number or falls outside the text, a span text that differs from the
//! article, an unknown span or role reference, an unknown relation type or role.

use std::collections::HashMap;
use std::fmt;
use std::ops::{AddAssign, Range};
use std::path::{Path, PathBuf};

/// The text of one role: byte ranges into the article, sorted, disjoint, none empty (pieces
/// that overlap or touch are one piece).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spans(Vec<Range<usize>>);

impl Spans {
    /// The spans of `pieces` in text order, overlapping or touching pieces merged and empty
    /// ones dropped; `None` when nothing is left.
    pub fn new(pieces: impl IntoIterator<Item = Range<usize>>) -> Option<Spans> {
        let mut pieces: Vec<Range<usize>> =
            pieces.into_iter().filter(|r| r.start < r.end).collect();
        pieces.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(pieces.len());
        for piece in pieces {
            match merged.last_mut() {
                Some(last) if piece.start <= last.end => last.end = last.end.max(piece.end),
                _ => merged.push(piece),
            }
        }
        (!merged.is_empty()).then_some(Spans(merged))
    }

    /// One contiguous span; `None` when it is empty.
    pub fn single(range: Range<usize>) -> Option<Spans> {
        Spans::new(std::iter::once(range))
    }

    /// The pieces, in text order.
    pub fn pieces(&self) -> &[Range<usize>] {
        &self.0
    }

    /// Where the first piece starts.
    pub fn start(&self) -> usize {
        self.0[0].start
    }

    /// Where the last piece ends.
    pub fn end(&self) -> usize {
        self.0[self.0.len() - 1].end
    }

    /// Whether there is more than one piece.
    pub fn is_discontiguous(&self) -> bool {
        self.0.len() > 1
    }

    /// The pieces' text, joined by a space (as BRAT writes it).
    pub fn text(&self, text: &str) -> String {
        let pieces: Vec<&str> = self.0.iter().map(|r| &text[r.clone()]).collect();
        pieces.join(" ")
    }

    /// The same spans merged with `other`'s.
    fn union(&self, other: &Spans) -> Spans {
        Spans::new(self.0.iter().chain(&other.0).cloned()).expect("non-empty spans")
    }
}

/// One attribution relation: who (when the text says), the cue, and what is attributed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attribution {
    pub source: Option<Spans>,
    pub cue: Spans,
    pub content: Spans,
}

/// One article and its relations.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributedDocument {
    /// The article's name: its text file's name without `.txt`.
    pub name: String,
    /// The article text (without a leading byte-order mark).
    pub text: String,
    /// The relations, in the order of their records.
    pub relations: Vec<Attribution>,
    /// The annotator whose file was read (the file name's last `_` part), when the name has
    /// one.
    pub annotator: Option<String>,
    /// What the reader counted and passed over.
    pub passed_over: PassedOver,
}

/// What the reader read past in an annotation file, by kind (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PassedOver {
    /// Relations with nothing but their anchor.
    pub anchor_only: usize,
    /// Relations without a cue or without a content.
    pub incomplete: usize,
    /// `Source`, `Cue` or `Content` spans no relation uses.
    pub unused_spans: usize,
    /// Spans of other labels (`Discuss`, `Discard`).
    pub flag_spans: usize,
    /// Roles whose span carries another label (read as the relation says).
    pub relabelled_roles: usize,
    /// Annotator notes and other BRAT records.
    pub other_records: usize,
    /// Other annotators' files of the same article (not read).
    pub other_annotators: usize,
}

impl AddAssign for PassedOver {
    fn add_assign(&mut self, o: PassedOver) {
        self.anchor_only += o.anchor_only;
        self.incomplete += o.incomplete;
        self.unused_spans += o.unused_spans;
        self.flag_spans += o.flag_spans;
        self.relabelled_roles += o.relabelled_roles;
        self.other_records += o.other_records;
        self.other_annotators += o.other_annotators;
    }
}

impl fmt::Display for PassedOver {
    /// "3 anchor-only relations, 20 Discuss/Discard spans", or "nothing".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = [
            (self.anchor_only, "anchor-only relations"),
            (self.incomplete, "relations without a cue or a content"),
            (self.unused_spans, "spans of no relation"),
            (self.flag_spans, "Discuss/Discard spans"),
            (
                self.relabelled_roles,
                "roles on a span of another label (kept)",
            ),
            (self.other_records, "notes and other records"),
            (self.other_annotators, "other annotators' files"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            f.write_str("nothing")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// A file that could not be read as attribution data: `path:line: message`, or
/// `path: message` when no line is at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct AttributionError {
    pub path: String,
    /// 1-based line of `path`.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for AttributionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// The relations of `ann` (a BRAT standoff file's content) over `text` (the article as read,
/// byte-order mark included, as BRAT counts it), with what was passed over. `path` names the
/// annotation file in errors.
pub fn parse_attributions(
    path: &str,
    text: &str,
    ann: &str,
) -> Result<(Vec<Attribution>, PassedOver), AttributionError> {
    let error = |line: usize, message: String| AttributionError {
        path: path.to_string(),
        line: Some(line),
        message,
    };
    let offsets = Offsets::new(text);
    let records = records(ann).map_err(|(line, m)| error(line, m))?;
    let mut passed = PassedOver::default();
    let mut spans: HashMap<&str, (usize, &str, Spans)> = HashMap::new();
    let mut relations: Vec<(usize, &str)> = Vec::new();
    for record in &records {
        match record.kind {
            RecordKind::Span => {
                let (label, spans_of) =
                    parse_span(record, text, &offsets).map_err(|m| error(record.line, m))?;
                if spans
                    .insert(record.id, (record.line, label, spans_of))
                    .is_some()
                {
                    return Err(error(
                        record.line,
                        format!("{} is defined twice", record.id),
                    ));
                }
            }
            RecordKind::Relation => relations.push((record.line, record.body)),
            RecordKind::Other => passed.other_records += 1,
        }
    }
    let mut used: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::with_capacity(relations.len());
    for (line, body) in relations {
        let mut args = body.split_whitespace();
        let anchor = args.next().unwrap_or("");
        let (kind, anchor_id) = anchor.split_once(':').ok_or_else(|| {
            error(
                line,
                format!("expected TYPE:ID at the start of the relation, found {anchor:?}"),
            )
        })?;
        if !kind.starts_with("Attribution") {
            return Err(error(line, format!("unknown relation type {kind:?}")));
        }
        if !spans.contains_key(anchor_id) {
            return Err(error(
                line,
                format!("the anchor {anchor_id} is not a span of this file"),
            ));
        }
        let (mut source, mut cue, mut content): (Option<Spans>, Option<Spans>, Option<Spans>) =
            (None, None, None);
        let mut roles = 0;
        for arg in args {
            let (role, id) = arg
                .split_once(':')
                .ok_or_else(|| error(line, format!("expected ROLE:ID, found {arg:?}")))?;
            let (_, label, s) = spans
                .get(id)
                .ok_or_else(|| error(line, format!("{id} is not a span of this file")))?;
            let role = role.trim_end_matches(|c: char| c.is_ascii_digit());
            let slot = match role {
                "Source" => &mut source,
                "Cue" => &mut cue,
                "Content" => &mut content,
                _ => return Err(error(line, format!("unknown role {role:?}"))),
            };
            if *label != role {
                passed.relabelled_roles += 1;
            }
            *slot = Some(match slot.take() {
                Some(before) => before.union(s),
                None => s.clone(),
            });
            *used.entry(id).or_default() += 1;
            roles += 1;
        }
        match (cue, content) {
            _ if roles == 0 => passed.anchor_only += 1,
            (Some(cue), Some(content)) => out.push(Attribution {
                source,
                cue,
                content,
            }),
            _ => passed.incomplete += 1,
        }
    }
    for (id, (_, label, _)) in &spans {
        match *label {
            "Source" | "Cue" | "Content" if !used.contains_key(id) => passed.unused_spans += 1,
            "Source" | "Cue" | "Content" | "Attribution" | "Attribution-no-source" => {}
            _ => passed.flag_spans += 1,
        }
    }
    Ok((out, passed))
}

/// Reads a PolNeAR-style folder (`DIR/text/NAME.txt`, `DIR/attributions/NAME[_ANNOTATOR].ann`):
/// one result per article, in file-name order. A file that cannot be read is an error for its
/// article alone; the folder itself missing is the outer error.
pub fn read_attribution_folder(
    dir: &Path,
) -> Result<Vec<Result<AttributedDocument, AttributionError>>, AttributionError> {
    let ann_dir = dir.join("attributions");
    let text_dir = dir.join("text");
    let folder_error = |path: &Path, message: String| AttributionError {
        path: path.display().to_string(),
        line: None,
        message,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&ann_dir)
        .map_err(|e| folder_error(&ann_dir, format!("cannot list the annotation files: {e}")))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ann"))
        .collect();
    files.sort();
    if !text_dir.is_dir() {
        return Err(folder_error(
            &text_dir,
            "no text folder beside attributions/".into(),
        ));
    }
    // Articles in file-name order, each with its annotation files in file-name order.
    let mut articles: Vec<(String, Option<String>, Vec<PathBuf>)> = Vec::new();
    for file in files {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let (name, annotator) = article_of(&stem, &text_dir);
        match articles.last_mut() {
            Some((last, _, others)) if *last == name => others.push(file),
            _ => articles.push((name, annotator, vec![file])),
        }
    }
    Ok(articles
        .into_iter()
        .map(|(name, annotator, files)| {
            let mut doc = read_article(&text_dir.join(format!("{name}.txt")), &files[0])?;
            doc.name = name;
            doc.annotator = annotator;
            doc.passed_over.other_annotators = files.len() - 1;
            Ok(doc)
        })
        .collect())
}

/// The article an annotation file stem belongs to, and its annotator: the stem itself when
/// `NAME.txt` exists, else the stem without its last `_` part.
fn article_of(stem: &str, text_dir: &Path) -> (String, Option<String>) {
    if !text_dir.join(format!("{stem}.txt")).exists()
        && let Some((name, annotator)) = stem.rsplit_once('_')
    {
        return (name.to_string(), Some(annotator.to_string()));
    }
    (stem.to_string(), None)
}

/// One article from its text file and annotation file.
fn read_article(text_path: &Path, ann_path: &Path) -> Result<AttributedDocument, AttributionError> {
    let read = |path: &Path| {
        crate::corpus::conllu::read_text(path).map_err(|e| AttributionError {
            path: path.display().to_string(),
            line: None,
            message: format!("cannot read: {e}"),
        })
    };
    let text = read(text_path)?;
    let ann = read(ann_path)?;
    let (relations, passed_over) =
        parse_attributions(&ann_path.display().to_string(), &text, &ann)?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(AttributedDocument {
        name: String::new(),
        text,
        relations,
        annotator: None,
        passed_over,
    })
}

/// Code point offsets to byte offsets of the text without its byte-order mark.
struct Offsets {
    /// Byte offset of each code point, and the text's length last.
    bytes: Vec<usize>,
    /// Bytes of a leading byte-order mark (0 or 3).
    bom: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let mut bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        bytes.push(text.len());
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Offsets { bytes, bom }
    }

    /// The byte offset of code point `c` in the text as read (mark included).
    fn raw(&self, c: usize) -> Option<usize> {
        self.bytes.get(c).copied()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecordKind {
    /// `T`: a text-bound annotation.
    Span,
    /// `E`: an event (here, a relation).
    Relation,
    /// Notes (`#`) and the record kinds PolNeAR does not use.
    Other,
}

/// One record of a standoff file: its id, what follows the id, and its first line.
struct Record<'a> {
    kind: RecordKind,
    id: &'a str,
    /// The rest of the first line, then each continuation line after a newline.
    body: &'a str,
    line: usize,
}

/// Splits a standoff file into records. A line that starts no record continues the span
/// record before it (a span text with a line break); blank lines elsewhere are skipped.
fn records(ann: &str) -> Result<Vec<Record<'_>>, (usize, String)> {
    let mut out: Vec<Record<'_>> = Vec::new();
    // Byte offset of each line start, to widen a record's body over its continuation lines.
    let mut at = 0;
    for (index, raw) in ann.split('\n').enumerate() {
        let line_start = at;
        at += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some((id, rest)) = line.split_once('\t').filter(|(id, _)| is_record_id(id)) {
            let kind = match id.as_bytes()[0] {
                b'T' => RecordKind::Span,
                b'E' => RecordKind::Relation,
                _ => RecordKind::Other,
            };
            out.push(Record {
                kind,
                id,
                body: rest,
                line: index + 1,
            });
            continue;
        }
        match out.last_mut() {
            Some(last) if last.kind == RecordKind::Span => {
                // The body grows to the end of this line (within `ann`).
                let body_start = last.body.as_ptr() as usize - ann.as_ptr() as usize;
                last.body = &ann[body_start..line_start + line.len()];
            }
            _ if line.trim().is_empty() => {}
            _ => {
                return Err((
                    index + 1,
                    format!(
                        "not a standoff record (expected ID TAB ...): {:?}",
                        clip(line)
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// Whether `id` is a BRAT record id: a kind letter (or `#`) and a number.
fn is_record_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('T' | 'E' | 'R' | 'A' | 'M' | 'N' | '#'))
        && !chars.as_str().is_empty()
        && chars.all(|c| c.is_ascii_digit())
}

/// The label and spans of a `T` record (`Label START END[;START END]* TAB text`), checked
/// against the article.
fn parse_span<'a>(
    record: &Record<'a>,
    text: &str,
    offsets: &Offsets,
) -> Result<(&'a str, Spans), String> {
    let (head, quoted) = record
        .body
        .split_once('\t')
        .ok_or_else(|| format!("{}: expected LABEL OFFSETS TAB TEXT", record.id))?;
    let (label, ranges) = head
        .split_once(' ')
        .ok_or_else(|| format!("{}: expected a label and offsets", record.id))?;
    let mut raw_pieces = Vec::new();
    for piece in ranges.split(';') {
        let mut numbers = piece.split_whitespace().map(str::parse::<usize>);
        let (Some(Ok(start)), Some(Ok(end)), None) =
            (numbers.next(), numbers.next(), numbers.next())
        else {
            return Err(format!(
                "{}: bad offsets {piece:?} (expected START END)",
                record.id
            ));
        };
        let (Some(from), Some(to)) = (offsets.raw(start), offsets.raw(end)) else {
            return Err(format!(
                "{}: offsets {start} {end} outside the text ({} code points)",
                record.id,
                offsets.bytes.len() - 1
            ));
        };
        if start > end {
            return Err(format!(
                "{}: offsets {start} {end} run backwards",
                record.id
            ));
        }
        raw_pieces.push(from..to);
    }
    // BRAT writes the pieces' text joined by a space; a span ending at a line break may or
    // may not carry it.
    let expected: Vec<&str> = raw_pieces.iter().map(|r| &text[r.clone()]).collect();
    let expected = expected.join(" ");
    if expected.trim_end_matches('\n') != quoted.trim_end_matches(['\n', '\r']) {
        let continued = if quoted.trim_end().contains('\n') {
            " (the lines after it, which start no record, were read as its text)"
        } else {
            ""
        };
        return Err(format!(
            "{}: the span text {:?} is not the article's {:?} at these offsets (code points){continued}",
            record.id,
            clip(quoted),
            clip(&expected)
        ));
    }
    let shifted = raw_pieces
        .into_iter()
        .map(|r| r.start.saturating_sub(offsets.bom)..r.end.saturating_sub(offsets.bom));
    let spans = Spans::new(shifted).ok_or_else(|| format!("{}: an empty span", record.id))?;
    Ok((label, spans))
}

/// At most 60 characters of `s`, for messages.
fn clip(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", &s[..at]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short article with a direct quote, an indirect one without a named source, and
    /// curly quotes before the offsets (so that code points and bytes differ).
    const TEXT: &str = "“We will stay,” the minister said.\n\nOfficials said later that talks \
        had failed, according to reports.";

    fn byte_range(text: &str, needle: &str) -> Range<usize> {
        let at = text.find(needle).unwrap();
        at..at + needle.len()
    }

    fn char_offsets(text: &str, needle: &str) -> (usize, usize) {
        let r = byte_range(text, needle);
        (
            text[..r.start].chars().count(),
            text[..r.end].chars().count(),
        )
    }

    fn t(id: &str, label: &str, text: &str, needle: &str) -> String {
        let (s, e) = char_offsets(text, needle);
        format!("{id}\t{label} {s} {e}\t{needle}\n")
    }

    #[test]
    fn reads_relations_with_code_point_offsets_as_bytes() {
        let ann = [
            t("T1", "Content", TEXT, "“We will stay,”"),
            t("T2", "Source", TEXT, "the minister"),
            t("T3", "Cue", TEXT, "said"),
            t("T4", "Attribution", TEXT, "said"),
            "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n".into(),
            t("T5", "Cue", TEXT, "according to"),
            t("T6", "Content", TEXT, "talks had failed"),
            t("T7", "Attribution-no-source", TEXT, "according to"),
            "E2\tAttribution-no-source:T7 Cue:T5 Content:T6\n".into(),
        ]
        .concat();
        let (relations, passed) = parse_attributions("a.ann", TEXT, &ann).unwrap();
        assert_eq!(passed, PassedOver::default());
        assert_eq!(relations.len(), 2);
        let first = &relations[0];
        assert_eq!(
            first.content.pieces(),
            &[byte_range(TEXT, "“We will stay,”")]
        );
        assert_eq!(first.content.text(TEXT), "“We will stay,”");
        assert_eq!(first.source.as_ref().unwrap().text(TEXT), "the minister");
        assert_eq!(first.cue.pieces(), &[byte_range(TEXT, "said")]);
        assert_eq!(relations[1].source, None);
        assert_eq!(relations[1].cue.text(TEXT), "according to");
        assert_eq!(relations[1].content.text(TEXT), "talks had failed");
    }

    #[test]
    fn discontiguous_spans_second_contents_and_multi_line_span_texts() {
        // A content in two pieces across the paragraph break, whose text in the file runs
        // over three lines; a second content span given as Content2.
        let (a, b) = char_offsets(TEXT, "“We will stay,” the minister said.");
        let (c, d) = char_offsets(TEXT, "Officials");
        let ann = format!(
            "T1\tContent {a} {b};{c} {d}\t“We will stay,” the minister said. Officials\n{}{}{}\
             E1\tAttribution:T9 Cue:T3 Content:T1 Content2:T2 \n",
            t("T2", "Content", TEXT, "talks had failed"),
            t("T3", "Cue", TEXT, "according to"),
            t("T9", "Attribution", TEXT, "according to"),
        );
        let (relations, _) = parse_attributions("b.ann", TEXT, &ann).unwrap();
        let content = &relations[0].content;
        assert!(content.is_discontiguous());
        assert_eq!(
            content.pieces(),
            &[
                byte_range(TEXT, "“We will stay,” the minister said."),
                byte_range(TEXT, "Officials"),
                byte_range(TEXT, "talks had failed"),
            ]
        );
        // A span whose text holds the paragraph break: the lines after it belong to it.
        let (s, e) = char_offsets(TEXT, "said.\n\nOfficials");
        let ann = format!(
            "T1\tContent {s} {e}\tsaid.\n\nOfficials\n{}{}E1\tAttribution:T3 Content:T1 Cue:T2\n",
            t("T2", "Cue", TEXT, "according to"),
            t("T3", "Attribution", TEXT, "according to"),
        );
        let (relations, _) = parse_attributions("c.ann", TEXT, &ann).unwrap();
        assert_eq!(relations[0].content.text(TEXT), "said.\n\nOfficials");
    }

    #[test]
    fn stubs_incomplete_relations_flags_and_notes_are_counted_and_passed_over() {
        let ann = [
            t("T1", "Cue", TEXT, "said"),
            t("T2", "Content", TEXT, "“We will stay,”"),
            t("T3", "Attribution-no-source", TEXT, "said"),
            "E1\tAttribution-no-source:T3 \n".into(),
            "E2\tAttribution-no-source:T3 Cue:T1 Content:T2\n".into(),
            "E3\tAttribution-no-source:T3 Cue:T1\n".into(),
            t("T4", "Discard", TEXT, "according to reports."),
            t("T5", "Source", TEXT, "Officials"),
            "#1\tAnnotatorNotes T5\tis this one?\n".into(),
            t("T6", "Discuss", TEXT, "later"),
            "E4\tAttribution:T3 Source:T2 Cue:T6 Content:T1\n".into(),
        ]
        .concat();
        let (relations, passed) = parse_attributions("d.ann", TEXT, &ann).unwrap();
        assert_eq!(relations.len(), 2);
        assert_eq!(
            passed,
            PassedOver {
                anchor_only: 1,
                incomplete: 1,
                unused_spans: 1,
                flag_spans: 2,
                relabelled_roles: 3,
                other_records: 1,
                other_annotators: 0,
            }
        );
        // Roles are read as the relation says, whatever their span's label.
        assert_eq!(
            relations[1].source.as_ref().unwrap().text(TEXT),
            "“We will stay,”"
        );
        assert_eq!(relations[1].cue.text(TEXT), "later");
        assert_eq!(
            passed.to_string(),
            "1 anchor-only relations, 1 relations without a cue or a content, 1 spans of no \
             relation, 2 Discuss/Discard spans, 3 roles on a span of another label (kept), 1 \
             notes and other records"
        );
    }

    #[test]
    fn a_byte_order_mark_is_counted_by_offsets_and_dropped_from_the_text() {
        let text = format!("\u{feff}{TEXT}");
        let ann = [
            t("T1", "Content", &text, "“We will stay,”"),
            t("T2", "Cue", &text, "said"),
            t("T3", "Attribution", &text, "said"),
            "E1\tAttribution:T3 Cue:T2 Content:T1\n".into(),
        ]
        .concat();
        let (relations, _) = parse_attributions("e.ann", &text, &ann).unwrap();
        assert_eq!(
            relations[0].content.pieces(),
            &[byte_range(TEXT, "“We will stay,”")]
        );
        assert_eq!(relations[0].cue.text(TEXT), "said");
    }

    #[test]
    fn malformed_lines_are_errors_naming_file_and_line() {
        let ok = t("T1", "Cue", TEXT, "said");
        let cases = [
            (format!("{ok}T2\tCue 5 x\tsaid\n"), 2, "bad offsets"),
            (format!("{ok}T2\tCue 5 9000\tsaid\n"), 2, "outside the text"),
            (format!("{ok}T2\tCue 9 5\tsaid\n"), 2, "run backwards"),
            ("T2\tCue 0 4\tsaid\n".to_string(), 1, "is not the article's"),
            (
                format!("{ok}E1\tAttribution:T1 Cue:T7\n"),
                2,
                "T7 is not a span",
            ),
            (
                format!("{ok}E1\tAttribution:T1 Speaker:T1\n"),
                2,
                "unknown role",
            ),
            (
                format!("{ok}E1\tQuote:T1 Cue:T1\n"),
                2,
                "unknown relation type",
            ),
            (
                format!("{ok}E1\tAttribution:T1 Cue\n"),
                2,
                "expected ROLE:ID",
            ),
            (format!("{ok}{ok}"), 2, "defined twice"),
            (
                "E1\tAttribution:T1\nstray words\n".to_string(),
                2,
                "not a standoff record",
            ),
            (
                format!("{ok}T2\tCue\tx\n"),
                2,
                "expected a label and offsets",
            ),
            (format!("{ok}T2\tCue 0 1\n"), 2, "expected LABEL OFFSETS"),
            // A line that is no record after a span is read as its text, which then differs.
            (format!("{ok}T2 Cue 0 1\tx\n"), 1, "lines after it"),
        ];
        for (ann, line, message) in cases {
            let err = parse_attributions("f.ann", TEXT, &ann).unwrap_err();
            assert_eq!(err.line, Some(line), "{ann}: {err}");
            assert!(err.message.contains(message), "{ann}: {err}");
            assert!(
                err.to_string().starts_with(&format!("f.ann:{line}: ")),
                "{err}"
            );
        }
        // An empty file is an article without relations.
        assert_eq!(parse_attributions("g.ann", TEXT, "").unwrap().0, vec![]);
    }

    #[test]
    fn spans_are_sorted_and_merged() {
        let s = Spans::new([10..12, 0..4, 3..6, 6..8, 9..9]).unwrap();
        assert_eq!(s.pieces(), &[0..8, 10..12]);
        assert_eq!((s.start(), s.end()), (0, 12));
        assert_eq!(Spans::single(5..5), None);
    }

    #[test]
    fn folders_give_one_article_each_in_name_order() {
        let dir = std::env::temp_dir().join(format!("sitrep-attr-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("text")).unwrap();
        std::fs::create_dir_all(dir.join("attributions")).unwrap();
        let write = |path: &str, content: &str| std::fs::write(dir.join(path), content).unwrap();
        let good = [
            t("T1", "Cue", TEXT, "said"),
            t("T2", "Content", TEXT, "“We will stay,”"),
            t("T3", "Attribution", TEXT, "said"),
            "E1\tAttribution:T3 Cue:T1 Content:T2\n".into(),
        ]
        .concat();
        write("text/b.txt", TEXT);
        write("text/a_x.txt", TEXT);
        write("text/c.txt", TEXT);
        // Article b: two annotators, the first by name is read.
        write("attributions/b_2222.ann", "");
        write("attributions/b_1111.ann", &good);
        // Article a_x: its own name has an underscore.
        write("attributions/a_x.ann", &good);
        // Article c: a bad line on line 2.
        write("attributions/c_9999.ann", "T1\tCue 0 1\t“\nT2\tCue x\n");
        let docs = read_attribution_folder(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(docs.len(), 3);
        let a = docs[0].as_ref().unwrap();
        assert_eq!((a.name.as_str(), a.annotator.as_deref()), ("a_x", None));
        assert_eq!(a.relations.len(), 1);
        let b = docs[1].as_ref().unwrap();
        assert_eq!(
            (b.name.as_str(), b.annotator.as_deref()),
            ("b", Some("1111"))
        );
        assert_eq!(b.relations.len(), 1);
        assert_eq!(b.passed_over.other_annotators, 1);
        assert_eq!(b.text, TEXT);
        let err = docs[2].as_ref().unwrap_err();
        assert!(err.path.ends_with("c_9999.ann"), "{err}");
        assert_eq!(err.line, Some(2));
        assert!(read_attribution_folder(&dir.join("missing")).is_err());
    }
}
