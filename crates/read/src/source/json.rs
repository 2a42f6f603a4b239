//! JSON inputs: JSON Lines read line by line in bounded memory (an oversized line is skipped
//! without being held), one JSON document (an object, or an array of objects), and the
//! record fields that become a document's metadata.

use std::io::{self, BufRead};

use encoding_rs::WINDOWS_1252;
use serde_json::{Map, Value};
use sitrep_model::{Problem, ProblemKind};

use super::origin::{Origin, human_size};
use crate::decode::{TextEncoding, normalise_line_ends};
use crate::published::parse_published;
use crate::raw::RawDoc;

/// The documents of a whole-input JSON value: an object, or an array of objects.
pub(super) fn json_document(
    origin: &Origin,
    text: &str,
    encoding: TextEncoding,
) -> Vec<Result<RawDoc, Problem>> {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            let reason = format!("malformed JSON: {err}");
            return vec![Err(origin
                .problem(ProblemKind::MalformedJson, reason)
                .at_line(err.line()))];
        }
    };
    match value {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let source = format!("{}[{i}]", origin.name);
                record_to_doc(item, source.clone(), encoding)
                    .map_err(|(kind, reason)| Problem::new(source, kind, reason))
            })
            .collect(),
        other => vec![
            record_to_doc(other, origin.name.clone(), encoding)
                .map_err(|(kind, reason)| origin.problem(kind, reason)),
        ],
    }
}

/// A JSON Lines input being read line by line.
pub(super) struct JsonLines {
    name: String,
    /// "file" or "input", for messages.
    what: &'static str,
    reader: Box<dyn BufRead + Send>,
    max_bytes: usize,
    /// Lines read so far (the number of the last line read).
    line: usize,
    buf: Vec<u8>,
    /// Whether any non-blank line was seen, to report an empty input.
    seen_content: bool,
    finished: bool,
    /// The encoding of the input as a whole (lines may still fall back to Windows-1252).
    pub(super) encoding: TextEncoding,
}

impl JsonLines {
    pub(super) fn new(
        origin: &Origin,
        reader: Box<dyn BufRead + Send>,
        max_bytes: usize,
    ) -> JsonLines {
        JsonLines {
            name: origin.name.clone(),
            what: origin.what(),
            reader,
            max_bytes,
            line: 0,
            buf: Vec::new(),
            seen_content: false,
            finished: false,
            encoding: TextEncoding::Utf8,
        }
    }

    fn problem(&self, kind: ProblemKind, reason: impl Into<String>) -> Problem {
        Problem::new(self.name.clone(), kind, reason)
    }

    /// Parses the line in `self.buf`.
    fn parse_line(&mut self) -> Result<RawDoc, Problem> {
        let line = self.line;
        let mut bytes = self.buf.as_slice();
        if line == 1 {
            bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        }
        let mut warnings = Vec::new();
        let (text, encoding) = match std::str::from_utf8(bytes) {
            Ok(text) => (std::borrow::Cow::Borrowed(text), self.encoding),
            Err(_) => {
                warnings.push("line is not valid UTF-8; decoded as windows-1252".to_string());
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                (text, TextEncoding::Windows1252)
            }
        };
        let value: Value = serde_json::from_str(&text).map_err(|err| {
            let reason = format!("malformed JSON: {err}");
            self.problem(ProblemKind::MalformedJson, reason)
                .at_line(line)
        })?;
        let source = format!("{}:{line}", self.name);
        let mut doc = record_to_doc(value, source, encoding)
            .map_err(|(kind, reason)| self.problem(kind, reason).at_line(line))?;
        doc.line = Some(line);
        warnings.append(&mut doc.warnings);
        doc.warnings = warnings;
        Ok(doc)
    }
}

impl Iterator for JsonLines {
    type Item = Result<RawDoc, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            let read = read_capped_line(self.reader.as_mut(), self.max_bytes, &mut self.buf);
            let line = match read {
                Err(err) => {
                    self.finished = true;
                    let reason = format!("cannot read: {err}");
                    return Some(Err(self
                        .problem(ProblemKind::Io, reason)
                        .at_line(self.line + 1)));
                }
                Ok(None) => {
                    self.finished = true;
                    if !self.seen_content {
                        let reason = format!("empty {}", self.what);
                        return Some(Err(self.problem(ProblemKind::Empty, reason)));
                    }
                    return None;
                }
                Ok(Some(line)) => line,
            };
            self.line += 1;
            if line.over_cap {
                self.seen_content = true;
                let reason = format!(
                    "line is {}, over the {} per-document cap (--max-doc-size)",
                    human_size(line.len as u64),
                    human_size(self.max_bytes as u64)
                );
                return Some(Err(self
                    .problem(ProblemKind::TooLarge, reason)
                    .at_line(self.line)));
            }
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
            if self.buf.trim_ascii().is_empty() {
                continue;
            }
            self.seen_content = true;
            return Some(self.parse_line());
        }
        None
    }
}

/// One line read by [`read_capped_line`].
struct LineRead {
    /// Length in bytes without the newline.
    len: usize,
    /// The line was longer than the cap; its bytes were discarded.
    over_cap: bool,
}

/// Reads one line into `buf` (without the newline), keeping at most `cap` bytes: a longer
/// line is consumed to its end but not kept, so a 1 GB line costs no memory. `None` at EOF.
fn read_capped_line(
    reader: &mut (dyn BufRead + Send),
    cap: usize,
    buf: &mut Vec<u8>,
) -> io::Result<Option<LineRead>> {
    buf.clear();
    let mut len = 0;
    let mut over_cap = false;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(any.then_some(LineRead { len, over_cap }));
        }
        any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let chunk = &available[..newline.unwrap_or(available.len())];
        len += chunk.len();
        if !over_cap {
            if buf.len() + chunk.len() > cap {
                over_cap = true;
                buf.clear();
                buf.shrink_to(0);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = chunk.len() + usize::from(newline.is_some());
        reader.consume(used);
        if newline.is_some() {
            return Ok(Some(LineRead { len, over_cap }));
        }
    }
}

/// A JSON object to a document. Unknown fields are ignored; a field of the wrong type is
/// ignored with a warning; a record with neither text nor HTML is refused.
fn record_to_doc(
    value: Value,
    source: String,
    encoding: TextEncoding,
) -> Result<RawDoc, (ProblemKind, String)> {
    let Value::Object(mut record) = value else {
        let found = json_kind_name(&value);
        return Err((
            ProblemKind::MalformedJson,
            format!("expected a JSON object, found {found}"),
        ));
    };
    let mut warnings = Vec::new();
    let mut field = |name: &str| string_field(&mut record, name, &mut warnings);
    let text = field("text").filter(|t| !t.trim().is_empty());
    let html = field("html").filter(|t| !t.trim().is_empty());
    let id_hint = field("id");
    let url = field("url");
    let title = field("title");
    let site = field("site");
    let author = field("author");
    let language = field("language");
    if text.is_none() && html.is_none() {
        let reason = "no non-empty \"text\" or \"html\" field".to_string();
        return Err((ProblemKind::NoText, reason));
    }
    let published = match record.remove("published") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => {
            let date = parse_published(&s);
            if date.is_none() {
                warnings.push(format!(
                    "\"published\" {s:?} is not a date or datetime; ignored"
                ));
            }
            date
        }
        Some(other) => {
            warnings.push(format!(
                "\"published\" is {}, not a date string; ignored",
                json_kind_name(&other)
            ));
            None
        }
    };
    Ok(RawDoc {
        source,
        line: None,
        id_hint,
        url,
        title: title.map(|t| t.trim().to_string()),
        site,
        author,
        language,
        published,
        text: text.map(normalise_line_ends),
        html,
        encoding: encoding.name(),
        warnings,
    })
}

/// A string field; numbers are accepted as their text (ids often are numbers); empty strings
/// are unknown values, like null.
fn string_field(
    record: &mut Map<String, Value>,
    name: &str,
    warnings: &mut Vec<String>,
) -> Option<String> {
    match record.remove(name)? {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => None,
        other => {
            warnings.push(format!(
                "\"{name}\" is {}, not a string; ignored",
                json_kind_name(&other)
            ));
            None
        }
    }
}

fn json_kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use std::io::BufReader;

    use super::*;

    #[test]
    fn capped_line_reader_handles_chunk_boundaries() {
        let input = b"short\r\nthis line is far too long\nok\nend-without-newline";
        // A 4-byte buffer makes every line cross several chunks.
        let mut reader = BufReader::with_capacity(4, &input[..]);
        let mut buf = Vec::new();
        let mut lines = Vec::new();
        while let Some(line) = read_capped_line(&mut reader, 10, &mut buf).unwrap() {
            lines.push((
                String::from_utf8(buf.clone()).unwrap(),
                line.len,
                line.over_cap,
            ));
        }
        assert_eq!(
            lines,
            vec![
                ("short\r".to_string(), 6, false),
                (String::new(), 25, true),
                ("ok".to_string(), 2, false),
                (String::new(), 19, true),
            ]
        );
    }
}
