//! `sitrep import`: documents of the output contract (JSON Lines, as `sitrep export` writes
//! them) stored as they are, without running the pipeline: to move a store, to load an
//! export or documents another sitrep made, with every layer they carry (claims included).
//!
//! A line is refused, reported and skipped when it is not a document of the contract: JSON
//! that does not parse as one, an id that is not the content id of its text (the store's key
//! would lie), a span that is not `text[start..end]`, a line over `--max-doc-size`. Near-
//! duplicates are looked up as for ingest, so a later ingest finds the imported stories.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use sitrep_link::Signature;
use sitrep_model::{Document, Problem, ProblemKind, content_id};
use sitrep_store::Store;

use crate::cmd::DbArgs;
use crate::{EXIT_OK, EXIT_PARTIAL};

#[derive(Args)]
pub struct ImportArgs {
    /// JSON Lines files of documents (`sitrep export` output); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArgs,
    /// Skip any line longer than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    pub max_doc_size: usize,
    /// Documents per transaction.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
}

#[derive(Default)]
struct Counts {
    imported: usize,
    unchanged: usize,
    duplicates: usize,
}

pub fn run(args: ImportArgs) -> Result<u8> {
    let mut store = sitrep_store::open(&args.db.db).context("cannot open the database")?;
    let mut counts = Counts::default();
    let mut problems: Vec<Problem> = Vec::new();
    let mut batch: Vec<Document> = Vec::new();
    for input in &args.inputs {
        let name = input.display().to_string();
        let reader: Box<dyn Read> = if name == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            match File::open(input) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    report(
                        &mut problems,
                        Problem::new(&name, ProblemKind::Io, e.to_string()),
                    );
                    continue;
                }
            }
        };
        let mut lines = BoundedLines::new(BufReader::new(reader), args.max_doc_size);
        let mut number = 0;
        loop {
            number += 1;
            let line = match lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => {
                    let p = Problem::new(&name, ProblemKind::Io, e.to_string()).at_line(number);
                    report(&mut problems, p);
                    break;
                }
            };
            match document(line, args.max_doc_size) {
                Ok(None) => {}
                Ok(Some(doc)) => {
                    batch.push(doc);
                    if batch.len() >= args.batch_size.max(1) {
                        store_batch(&mut store, &mut batch, &mut counts)?;
                    }
                }
                Err((kind, reason)) => report(
                    &mut problems,
                    Problem::new(&name, kind, reason).at_line(number),
                ),
            }
        }
    }
    store_batch(&mut store, &mut batch, &mut counts)?;
    let duplicates = match counts.duplicates {
        0 => String::new(),
        n => format!("; {n} of the new documents are near-duplicates of stored stories"),
    };
    eprintln!(
        "imported {}, unchanged {}, skipped {} (database {}){duplicates}",
        counts.imported,
        counts.unchanged,
        problems.len(),
        args.db.db.display()
    );
    Ok(if problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

fn report(problems: &mut Vec<Problem>, problem: Problem) {
    eprintln!("sitrep: skipped {problem}");
    problems.push(problem);
}

fn store_batch(
    store: &mut dyn Store,
    batch: &mut Vec<Document>,
    counts: &mut Counts,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let signatures: Vec<Option<Signature>> =
        batch.iter().map(|d| Signature::of_text(&d.text)).collect();
    let outcome = store
        .insert_batch(batch, &signatures)
        .context("import stopped; every batch committed before this error is stored")?;
    counts.imported += outcome.inserted.len();
    counts.unchanged += outcome.unchanged.len();
    counts.duplicates += outcome.duplicates.len();
    batch.clear();
    Ok(())
}

/// One line as a document of the contract; `None` for a blank line.
fn document(line: Line, max: usize) -> Result<Option<Document>, (ProblemKind, String)> {
    let bytes = match line {
        Line::TooLong(n) => {
            return Err((
                ProblemKind::TooLarge,
                format!("line of {n} bytes or more is over the size cap of {max} bytes"),
            ));
        }
        Line::Bytes(bytes) => bytes,
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| (ProblemKind::Decode, format!("not UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        (
            ProblemKind::MalformedJson,
            format!("not a sitrep document: {e}"),
        )
    })?;
    let id = content_id(&doc.text);
    if doc.id != id {
        return Err((
            ProblemKind::MalformedJson,
            format!("id {} is not the content id of its text ({id})", doc.id),
        ));
    }
    let chars: Vec<char> = doc.text.chars().collect();
    for (layer, start, end, claimed) in doc.spans() {
        let Some(found) = chars.get(start..end) else {
            return Err((
                ProblemKind::MalformedJson,
                format!("{layer} span {start}..{end} is outside the text"),
            ));
        };
        if let Some(claimed) = claimed
            && !found.iter().copied().eq(claimed.chars())
        {
            return Err((
                ProblemKind::MalformedJson,
                format!("{layer} span {start}..{end} is not its text {claimed:?}"),
            ));
        }
    }
    Ok(Some(doc))
}

enum Line {
    Bytes(Vec<u8>),
    /// A line over the cap, skipped without being held: its length so far.
    TooLong(usize),
}

/// Lines of a reader, none held beyond `max` bytes.
struct BoundedLines<R> {
    reader: R,
    max: usize,
}

impl<R: BufRead> BoundedLines<R> {
    fn new(reader: R, max: usize) -> Self {
        BoundedLines { reader, max }
    }

    fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut line = Vec::new();
        let mut seen = 0usize;
        let mut any = false;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            any = true;
            let (chunk, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (&buf[..i], i + 1),
                None => (buf, buf.len()),
            };
            seen += chunk.len();
            if seen <= self.max {
                line.extend_from_slice(chunk);
            }
            let ended = done > chunk.len();
            self.reader.consume(done);
            if ended {
                break;
            }
        }
        Ok(match (any, seen > self.max) {
            (false, _) => None,
            (true, true) => Some(Line::TooLong(seen)),
            (true, false) => Some(Line::Bytes(line)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_over_the_cap_are_skipped_without_being_held() {
        let input = format!("short\n{}\nafter\nlast", "x".repeat(50));
        let mut lines = BoundedLines::new(BufReader::with_capacity(8, input.as_bytes()), 10);
        let mut got = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            got.push(match line {
                Line::Bytes(b) => String::from_utf8(b).unwrap(),
                Line::TooLong(n) => format!("too long: {n}"),
            });
        }
        assert_eq!(got, ["short", "too long: 50", "after", "last"]);
    }

    #[test]
    fn a_document_must_keep_the_contract() {
        let text = "Officials said the road was open.";
        let good = Document {
            id: content_id(text),
            source: "a.txt".into(),
            text: text.into(),
            ..Default::default()
        };
        let line = |d: &Document| Line::Bytes(serde_json::to_vec(d).unwrap());
        assert_eq!(document(line(&good), 1000).unwrap(), Some(good.clone()));
        let mut wrong_id = good.clone();
        wrong_id.id = "0000000000000000".into();
        assert!(
            document(line(&wrong_id), 1000)
                .unwrap_err()
                .1
                .contains("content id")
        );
        let mut bad_span = good.clone();
        bad_span.times.push(sitrep_model::TimeExpr {
            text: "road".into(),
            start: 0,
            end: 4,
            from: None,
            to: None,
            kind: sitrep_model::TimeKind::Date,
            anchor: sitrep_model::TimeAnchor::Absolute,
            value: None,
            precision: None,
        });
        let err = document(line(&bad_span), 1000).unwrap_err();
        assert_eq!(err.0, ProblemKind::MalformedJson);
        assert!(err.1.contains("time span 0..4"), "{}", err.1);
        assert_eq!(document(Line::Bytes(b"  ".to_vec()), 1000).unwrap(), None);
        assert_eq!(
            document(Line::Bytes(b"{\"id\":".to_vec()), 1000)
                .unwrap_err()
                .0,
            ProblemKind::MalformedJson
        );
    }
}
