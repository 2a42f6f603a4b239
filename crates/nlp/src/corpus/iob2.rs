//! The IOB2 layout of UNER (`index TAB word TAB tag TAB - TAB -`): reading, writing and
//! grouping sentences into documents.

use std::fmt::Write as _;
use std::path::Path;

use crate::model_io::ModelError;
use crate::ner::{
    DocHistory, EntityLabel, EntitySpan, Ner, NerWorkspace, spans_from_tags, tags_from_spans,
};

/// Errors of the NER file and model functions.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    // The I/O error is part of the message rather than a `source`, so that error chains
    // do not print it twice.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("IOB2 line {line}: {message}")]
    Format { line: usize, message: String },
    #[error("gold and predicted files differ: {0}")]
    Mismatch(String),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Gazetteer(#[from] crate::gazetteer::GazetteerError),
    #[error(transparent)]
    Conllu(#[from] crate::corpus::conllu::ConlluError),
    #[error("no sentences in {0}")]
    Empty(String),
}

/// One sentence of an IOB2 file (the UNER layout: `index TAB word TAB tag TAB - TAB -`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IobSentence {
    /// Comment lines without the leading `# `.
    pub comments: Vec<String>,
    pub words: Vec<String>,
    /// BIO tags (`O`, `B-PER`, ...), one per word.
    pub tags: Vec<String>,
    /// The columns after the tag, kept for round trips (`-\t-`, or an annotator name).
    pub extra: Vec<String>,
    /// Optional UPOS tags (filled by a tagger before training or recognition; empty if none).
    pub upos: Vec<String>,
}

impl IobSentence {
    /// A sentence of words with every tag `O`.
    pub fn from_words<S: AsRef<str>>(words: &[S]) -> IobSentence {
        IobSentence {
            words: words.iter().map(|w| w.as_ref().to_string()).collect(),
            tags: vec!["O".to_string(); words.len()],
            ..IobSentence::default()
        }
    }

    /// The value of a `# key = value` comment.
    pub fn comment_value(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }

    pub fn spans(&self) -> Vec<EntitySpan> {
        spans_from_tags(&self.tags)
    }

    pub fn word_refs(&self) -> Vec<&str> {
        self.words.iter().map(String::as_str).collect()
    }
}

/// Parses IOB2 text: `#` comment lines, one word per line (`index TAB word TAB tag [TAB
/// ...]`), a blank line after each sentence.
pub fn parse_iob2(text: &str) -> Result<Vec<IobSentence>, NerError> {
    let mut out = Vec::new();
    let mut cur = IobSentence::default();
    let flush = |cur: &mut IobSentence, out: &mut Vec<IobSentence>| {
        if !cur.words.is_empty() {
            out.push(std::mem::take(cur));
        } else if !cur.comments.is_empty() {
            // Comments with no words (a trailing `# newdoc`) belong to the next sentence.
        }
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut cur, &mut out);
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            if !cur.words.is_empty() {
                flush(&mut cur, &mut out);
            }
            cur.comments
                .push(c.strip_prefix(' ').unwrap_or(c).to_string());
            continue;
        }
        let cols: Vec<&str> = line.splitn(4, '\t').collect();
        if cols.len() < 3 {
            return Err(NerError::Format {
                line: i + 1,
                message: "expected index, word and tag separated by tabs".into(),
            });
        }
        let tag = cols[2].trim();
        if tag != "O" && !(tag.starts_with("B-") || tag.starts_with("I-")) {
            return Err(NerError::Format {
                line: i + 1,
                message: format!("tag {tag:?} is not O, B-X or I-X"),
            });
        }
        cur.words.push(cols[1].to_string());
        cur.tags.push(tag.to_string());
        cur.extra.push(cols.get(3).unwrap_or(&"-\t-").to_string());
    }
    flush(&mut cur, &mut out);
    Ok(out)
}

/// Reads an IOB2 file.
pub fn read_iob2_file(path: &Path) -> Result<Vec<IobSentence>, NerError> {
    let text = crate::corpus::conllu::read_text(path).map_err(|error| NerError::Io {
        path: path.display().to_string(),
        error,
    })?;
    parse_iob2(&text)
}

/// Writes sentences in the IOB2 layout [`parse_iob2`] reads.
pub fn write_iob2(sentences: &[IobSentence]) -> String {
    let mut out = String::new();
    for s in sentences {
        for c in &s.comments {
            let _ = writeln!(out, "# {c}");
        }
        for (i, (w, t)) in s.words.iter().zip(&s.tags).enumerate() {
            let extra = s.extra.get(i).map_or("-\t-", String::as_str);
            let _ = writeln!(out, "{}\t{w}\t{t}\t{extra}", i + 1);
        }
        out.push('\n');
    }
    out
}

/// Whether a sentence opens a document (it carries a `# newdoc` comment).
pub fn starts_document(s: &IobSentence) -> bool {
    s.comments.iter().any(|c| c.starts_with("newdoc"))
}

/// Groups sentences into documents: a `# newdoc` comment starts a new one.
pub fn documents(sentences: &[IobSentence]) -> Vec<std::ops::Range<usize>> {
    let mut docs = Vec::new();
    let mut start = 0;
    for (i, s) in sentences.iter().enumerate() {
        if starts_document(s) && i > start {
            docs.push(start..i);
            start = i;
        }
    }
    if start < sentences.len() {
        docs.push(start..sentences.len());
    }
    docs
}

impl Ner {
    /// Tags sentences, returning copies with predicted BIO tags; `uner` writes the UNER type
    /// names (NORP and MISC as OTH) and `keep_norp` keeps the gazetteer NORP spans (UNER
    /// EWT annotates no nationality words, so an evaluation there drops them).
    pub fn tag_sentences(
        &self,
        sentences: &[IobSentence],
        uner: bool,
        keep_norp: bool,
    ) -> Vec<IobSentence> {
        self.recognise_documents(sentences, |s, spans, _| {
            if !keep_norp {
                spans.retain(|s| s.label != EntityLabel::Norp);
            }
            IobSentence {
                tags: tags_from_spans(s.words.len(), spans, uner),
                ..s.clone()
            }
        })
    }

    /// Recognises `sentences` read as documents (the history starts afresh at each
    /// `# newdoc`, with the UPOS tags a sentence carries), and maps each sentence, its
    /// entities and the workspace the recogniser left (its decisions) through `each`.
    pub(crate) fn recognise_documents<T>(
        &self,
        sentences: &[IobSentence],
        mut each: impl FnMut(&IobSentence, &mut Vec<EntitySpan>, &NerWorkspace) -> T,
    ) -> Vec<T> {
        let mut ws = NerWorkspace::default();
        let mut spans = Vec::new();
        let mut history = DocHistory::new();
        sentences
            .iter()
            .map(|s| {
                if starts_document(s) {
                    history.clear();
                }
                let words = s.word_refs();
                let upos: Vec<&str> = s.upos.iter().map(String::as_str).collect();
                let upos = (!upos.is_empty()).then_some(upos.as_slice());
                self.recognise_in_document(&words, upos, Some(&mut history), &mut ws, &mut spans);
                each(s, &mut spans, &ws)
            })
            .collect()
    }
}

/// A sentence of space-separated words with space-separated tags (for tests).
#[cfg(test)]
pub(crate) fn sentence(words: &str, tags: &str) -> IobSentence {
    let words: Vec<&str> = words.split(' ').collect();
    let tags: Vec<String> = tags.split(' ').map(String::from).collect();
    assert_eq!(words.len(), tags.len());
    IobSentence {
        tags,
        ..IobSentence::from_words(&words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::EntityLabel;

    const SNIPPET: &str = "# newdoc id = doc-a
# sent_id = doc-a-1
# text = Ana Petrova visited Karsvik .
1\tAna\tB-PER\t-\tann
2\tPetrova\tI-PER\t-\tann
3\tvisited\tO\t-\t-
4\tKarsvik\tB-LOC\t-\tann
5\t.\tO\t-\t-

# sent_id = doc-a-2
1\tThe\tO\t-\t-
2\tVarnian\tB-OTH\t-\t-
3\tPost\tI-OTH\t-\t-
4\treported\tO\t-\t-

";

    #[test]
    fn iob2_round_trips_and_keeps_comments_and_extra_columns() {
        let sentences = parse_iob2(SNIPPET).unwrap();
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].comments[0], "newdoc id = doc-a");
        assert_eq!(sentences[0].comment_value("sent_id"), Some("doc-a-1"));
        assert_eq!(
            sentences[0].words,
            ["Ana", "Petrova", "visited", "Karsvik", "."]
        );
        assert_eq!(sentences[0].tags[1], "I-PER");
        assert_eq!(sentences[0].extra[0], "-\tann");
        assert_eq!(write_iob2(&sentences), SNIPPET);
        let spans = sentences[1].spans();
        assert_eq!(
            spans,
            [EntitySpan {
                start_word: 1,
                end_word: 3,
                label: EntityLabel::Misc
            }]
        );
        assert!(parse_iob2("1\tword\n").is_err());
        assert!(parse_iob2("1\tword\tX-PER\t-\t-\n").is_err());
    }
}
