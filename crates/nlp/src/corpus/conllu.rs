//! CoNLL-U reading and writing (the Universal Dependencies file format).
//!
//! A sentence is a block of comment lines (`# key = value`), word lines (`ID` is an integer),
//! multiword-token lines (`ID` is a range `1-2`) and empty-node lines (`ID` like `1.1`),
//! ended by a blank line. sitrep's models work on *words* only, so empty nodes are dropped
//! on reading; multiword-token lines are kept beside the words (as [`MultiwordToken`]) so that
//! a file read and written again keeps its tokenisation, which the CoNLL 2018 scorer relies on.
//!
//! Heads are stored 0-based within the sentence with `-1` for the root (the convention of the
//! runtime API), and `None` when the file has `_`.

use std::fmt::Write as _;
use std::path::Path;

use crate::analyzer::{Nlp, Workspace};
use crate::parser::{Parser, ParserWorkspace, tag_hash};
use crate::tagger::{Tagger, TaggerWorkspace};

/// One syntactic word of a sentence (one CoNLL-U word line).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0-based index of the head word, `-1` for the root, `None` if unknown (`_`).
    pub head: Option<i32>,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

/// A multiword token line (`first-last FORM _ ...`), with word indices 0-based inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiwordToken {
    pub first: usize,
    pub last: usize,
    pub form: String,
    pub misc: String,
}

/// One sentence: its comment lines (without the leading `#`), words and multiword tokens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    /// Comment lines as they appear after `#`, trimmed of the single following space.
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    pub multiword_tokens: Vec<MultiwordToken>,
}

impl Sentence {
    /// The value of a `# key = value` comment, e.g. `sent_id` or `text`.
    pub fn comment_value(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }

    pub fn sent_id(&self) -> Option<&str> {
        self.comment_value("sent_id")
    }

    pub fn text(&self) -> Option<&str> {
        self.comment_value("text")
    }

    /// The word forms, borrowed.
    pub fn forms(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.form.as_str()).collect()
    }
}

/// Sentences per pseudo-document when a treebank has no `# newdoc` marks (about the mean
/// document length of UD English-EWT).
const PSEUDO_DOCUMENT: usize = 20;

/// Assigns each sentence to one of `folds` cross-validation folds by *document*: documents
/// start at `# newdoc` comments (or, when there are none, every 20 sentences — fewer for a
/// small treebank, so that every fold gets some) and go to folds in turn. Folding by document rather than by sentence matters for jackknifing and
/// held-out lexicons: sentences of one document share names and topic words, so a model
/// trained on the other folds sees as many unknown words as it will in new text.
pub fn document_folds<'a>(
    sentences: impl IntoIterator<Item = &'a Sentence>,
    folds: usize,
) -> Vec<usize> {
    let folds = folds.max(1);
    let sentences: Vec<&Sentence> = sentences.into_iter().collect();
    let marked = sentences
        .iter()
        .any(|s| s.comments.iter().any(|c| c.starts_with("newdoc")));
    let pseudo = (sentences.len() / (folds * 4)).clamp(1, PSEUDO_DOCUMENT);
    let mut doc = 0usize;
    sentences
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let starts = if marked {
                s.comments.iter().any(|c| c.starts_with("newdoc"))
            } else {
                i % pseudo == 0
            };
            if starts && i > 0 {
                doc += 1;
            }
            doc % folds
        })
        .collect()
}

/// A malformed CoNLL-U line.
#[derive(Debug, thiserror::Error)]
pub enum ConlluError {
    #[error("line {line}: expected 10 tab-separated columns, found {found}")]
    Columns { line: usize, found: usize },
    #[error("line {line}: bad ID `{id}`")]
    BadId { line: usize, id: String },
    #[error("line {line}: bad HEAD `{head}`")]
    BadHead { line: usize, head: String },
    #[error("line {line}: word ID {id} out of sequence (expected {expected})")]
    Sequence {
        line: usize,
        id: usize,
        expected: usize,
    },
    // The I/O error is part of the message rather than a `source`, so that error chains
    // do not print it twice.
    #[error("reading {path}: {error}")]
    Io { path: String, error: std::io::Error },
}

/// Reads a CoNLL-U file.
pub fn read_conllu_file(path: &Path) -> Result<Vec<Sentence>, ConlluError> {
    let text = read_text(path).map_err(|error| ConlluError::Io {
        path: path.display().to_string(),
        error,
    })?;
    parse_conllu(&text)
}

/// Reads a UTF-8 text file (CoNLL-U, IOB2); if it is not UTF-8, the error names the line of
/// the first bad byte.
pub(crate) fn read_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(std::fs::read(path)?).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("line {line}: not UTF-8 text (byte offset {valid})"),
        )
    })
}

fn field(s: &str) -> String {
    s.to_string()
}

/// Parses CoNLL-U text into sentences.
pub fn parse_conllu(text: &str) -> Result<Vec<Sentence>, ConlluError> {
    let mut sentences = Vec::new();
    let mut current = Sentence::default();
    let mut open = false;
    for (line_index, raw_line) in text.lines().enumerate() {
        let line_no = line_index + 1;
        let line = raw_line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if open {
                sentences.push(std::mem::take(&mut current));
                open = false;
            }
            continue;
        }
        open = true;
        if let Some(comment) = line.strip_prefix('#') {
            current
                .comments
                .push(comment.strip_prefix(' ').unwrap_or(comment).to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(ConlluError::Columns {
                line: line_no,
                found: cols.len(),
            });
        }
        let id = cols[0];
        if id.contains('.') {
            // Empty node (enhanced dependencies only): not a word.
            continue;
        }
        let bad_id = || ConlluError::BadId {
            line: line_no,
            id: id.to_string(),
        };
        if let Some((a, b)) = id.split_once('-') {
            let first: usize = a.parse().map_err(|_| bad_id())?;
            let last: usize = b.parse().map_err(|_| bad_id())?;
            if first == 0 || last < first {
                return Err(bad_id());
            }
            current.multiword_tokens.push(MultiwordToken {
                first: first - 1,
                last: last - 1,
                form: field(cols[1]),
                misc: field(cols[9]),
            });
            continue;
        }
        let n: usize = id.parse().map_err(|_| bad_id())?;
        let expected = current.words.len() + 1;
        if n != expected {
            return Err(ConlluError::Sequence {
                line: line_no,
                id: n,
                expected,
            });
        }
        let head = match cols[6] {
            "_" => None,
            h => Some(
                h.parse::<i32>().map_err(|_| ConlluError::BadHead {
                    line: line_no,
                    head: h.to_string(),
                })? - 1,
            ),
        };
        current.words.push(Word {
            form: field(cols[1]),
            lemma: field(cols[2]),
            upos: field(cols[3]),
            xpos: field(cols[4]),
            feats: field(cols[5]),
            head,
            deprel: field(cols[7]),
            deps: field(cols[8]),
            misc: field(cols[9]),
        });
    }
    if open {
        sentences.push(current);
    }
    Ok(sentences)
}

fn or_blank(s: &str) -> &str {
    if s.is_empty() { "_" } else { s }
}

/// Writes sentences as CoNLL-U text (comments, multiword tokens and words; empty fields as `_`).
pub fn write_conllu(sentences: &[Sentence]) -> String {
    let mut out = String::new();
    for sentence in sentences {
        write_sentence(&mut out, sentence);
    }
    out
}

/// Appends one sentence (with its terminating blank line) to `out`.
pub fn write_sentence(out: &mut String, sentence: &Sentence) {
    for comment in &sentence.comments {
        if comment.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {comment}");
        }
    }
    for (i, word) in sentence.words.iter().enumerate() {
        for mwt in sentence.multiword_tokens.iter().filter(|m| m.first == i) {
            let _ = writeln!(
                out,
                "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}",
                mwt.first + 1,
                mwt.last + 1,
                or_blank(&mwt.form),
                or_blank(&mwt.misc)
            );
        }
        let head = match word.head {
            Some(h) => (h + 1).to_string(),
            None => "_".to_string(),
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            i + 1,
            or_blank(&word.form),
            or_blank(&word.lemma),
            or_blank(&word.upos),
            or_blank(&word.xpos),
            or_blank(&word.feats),
            head,
            or_blank(&word.deprel),
            or_blank(&word.deps),
            or_blank(&word.misc)
        );
    }
    out.push('\n');
}

// ------------------------------------------------------------------------------------------
// The runtime types on CoNLL-U sentences (kept here so that the runtime modules never see
// this format).

impl Nlp {
    /// Analyses sentences read from CoNLL-U: the result keeps comments, multiword tokens,
    /// ID and FORM, and has predicted UPOS, XPOS, LEMMA, HEAD and DEPREL; FEATS, DEPS and
    /// MISC are left blank.
    pub fn annotate(&self, sentences: &[Sentence]) -> Vec<Sentence> {
        let mut ws = Workspace::default();
        let mut analyses = Vec::new();
        sentences
            .iter()
            .map(|s| {
                let words = s.forms();
                self.analyze_into(&words, &mut ws, &mut analyses);
                Sentence {
                    comments: s.comments.clone(),
                    multiword_tokens: s
                        .multiword_tokens
                        .iter()
                        .map(|m| MultiwordToken {
                            misc: String::new(),
                            ..m.clone()
                        })
                        .collect(),
                    words: s
                        .words
                        .iter()
                        .zip(&analyses)
                        .map(|(w, a)| Word {
                            form: w.form.clone(),
                            lemma: a.lemma.to_string(),
                            upos: a.upos.to_string(),
                            xpos: a.xpos.to_string(),
                            head: Some(a.head),
                            deprel: a.deprel.to_string(),
                            ..Word::default()
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// Reads CoNLL-U text, analyses its words and returns CoNLL-U with the predictions.
    pub fn annotate_conllu(&self, text: &str) -> Result<String, ConlluError> {
        Ok(write_conllu(&self.annotate(&parse_conllu(text)?)))
    }

    /// [`Nlp::annotate_conllu`] for a file.
    pub fn annotate_conllu_file(&self, path: &Path) -> Result<String, ConlluError> {
        Ok(write_conllu(&self.annotate(&read_conllu_file(path)?)))
    }
}

impl Tagger {
    /// Tags every sentence in place (UPOS and XPOS columns).
    pub fn tag_sentences(&self, sentences: &mut [Sentence]) {
        let mut ws = TaggerWorkspace::default();
        let mut classes = Vec::new();
        for s in sentences {
            let forms: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let words: Vec<&str> = forms.iter().map(String::as_str).collect();
            self.tag_into(&words, &mut ws, &mut classes);
            for (w, &c) in s.words.iter_mut().zip(&classes) {
                w.upos = self.upos_of(c).to_string();
                w.xpos = self.xpos_of(c).to_string();
            }
        }
    }
}

impl Parser {
    /// Parses sentences in place (HEAD and DEPREL), using their UPOS and XPOS columns as tags.
    pub fn parse_sentences(&self, sentences: &mut [Sentence]) {
        let mut ws = ParserWorkspace::default();
        let (mut heads, mut labels) = (Vec::new(), Vec::new());
        for s in sentences {
            let forms: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let words: Vec<&str> = forms.iter().map(String::as_str).collect();
            let tags: Vec<u64> = s.words.iter().map(|w| tag_hash(&w.upos, &w.xpos)).collect();
            self.parse_hashed(&words, &tags, &mut ws, &mut heads, &mut labels);
            for ((w, &h), &l) in s.words.iter_mut().zip(&heads).zip(&labels) {
                w.head = Some(h);
                w.deprel = self.label_of(l).to_string();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that is not UTF-8 is refused with the line of its first bad byte.
    #[test]
    fn non_utf8_files_are_refused_with_the_line() {
        let path =
            std::env::temp_dir().join(format!("sitrep-conllu-{}.conllu", std::process::id()));
        std::fs::write(
            &path,
            b"1\tok\t_\t_\t_\t_\t0\troot\t_\t_\n\n1\tcaf\xe9\t_\n",
        )
        .unwrap();
        let err = read_conllu_file(&path).unwrap_err().to_string();
        std::fs::remove_file(&path).unwrap();
        assert!(err.contains("line 3: not UTF-8"), "{err}");
        assert!(err.contains(&path.display().to_string()), "{err}");
    }

    const SAMPLE: &str = "# newdoc id = test-doc\n\
# sent_id = test-1\n\
# text = The ministry didn't comment.\n\
1\tThe\tthe\tDET\tDT\tDefinite=Def|PronType=Art\t2\tdet\t2:det\t_\n\
2\tministry\tministry\tNOUN\tNN\tNumber=Sing\t5\tnsubj\t5:nsubj\t_\n\
3-4\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n\
3\tdid\tdo\tAUX\tVBD\tMood=Ind|Tense=Past\t5\taux\t5:aux\t_\n\
4\tn't\tnot\tPART\tRB\t_\t5\tadvmod\t5:advmod\t_\n\
5\tcomment\tcomment\tVERB\tVB\tVerbForm=Inf\t0\troot\t0:root\tSpaceAfter=No\n\
6\t.\t.\tPUNCT\t.\t_\t5\tpunct\t5:punct\t_\n\
\n\
# sent_id = test-2\n\
# text = Rain fell\n\
1\tRain\train\tNOUN\tNN\t_\t2\tnsubj\t2:nsubj\t_\n\
1.1\tfell\tfall\tVERB\tVBD\t_\t_\t_\t0:root\t_\n\
2\tfell\tfall\tVERB\tVBD\t_\t0\troot\t0:root\t_\n\
\n";

    #[test]
    fn reads_words_comments_and_multiword_tokens() {
        let sentences = parse_conllu(SAMPLE).unwrap();
        assert_eq!(sentences.len(), 2);
        let first = &sentences[0];
        assert_eq!(first.sent_id(), Some("test-1"));
        assert_eq!(first.text(), Some("The ministry didn't comment."));
        assert_eq!(
            first.forms(),
            vec!["The", "ministry", "did", "n't", "comment", "."]
        );
        assert_eq!(first.words[0].head, Some(1));
        assert_eq!(first.words[4].head, Some(-1));
        assert_eq!(first.words[4].deprel, "root");
        assert_eq!(first.multiword_tokens.len(), 1);
        assert_eq!(first.multiword_tokens[0].first, 2);
        assert_eq!(first.multiword_tokens[0].last, 3);
        // The empty node 1.1 is skipped: only two words remain.
        assert_eq!(sentences[1].forms(), vec!["Rain", "fell"]);
    }

    #[test]
    fn round_trip_is_lossless_for_words() {
        let sentences = parse_conllu(SAMPLE).unwrap();
        let written = write_conllu(&sentences);
        let again = parse_conllu(&written).unwrap();
        assert_eq!(sentences, again);
        // The multiword line is written before its first word.
        assert!(written.contains("3-4\tdidn't\t_"));
        assert!(!written.contains("1.1\t"));
    }

    #[test]
    fn rejects_malformed_lines() {
        assert!(matches!(
            parse_conllu("1\tx\tx\n"),
            Err(ConlluError::Columns { line: 1, .. })
        ));
        assert!(matches!(
            parse_conllu("2\tx\tx\tX\tX\t_\t0\troot\t_\t_\n"),
            Err(ConlluError::Sequence { .. })
        ));
    }

    fn sentence(comments: &[&str]) -> Sentence {
        Sentence {
            comments: comments.iter().map(|c| c.to_string()).collect(),
            ..Sentence::default()
        }
    }

    #[test]
    fn folds_follow_documents() {
        // Three documents of 2, 1 and 3 sentences.
        let doc = |id: &str| sentence(&[&format!("newdoc id = {id}"), "sent_id = x"]);
        let plain = || sentence(&["sent_id = y"]);
        let sentences = vec![doc("a"), plain(), doc("b"), doc("c"), plain(), plain()];
        assert_eq!(document_folds(&sentences, 2), vec![0, 0, 1, 0, 0, 0]);
        assert_eq!(document_folds(&sentences, 3), vec![0, 0, 1, 2, 2, 2]);
        // Without `newdoc` marks a small treebank falls back to one sentence per document.
        let unmarked: Vec<Sentence> = (0..6).map(|_| plain()).collect();
        assert_eq!(document_folds(&unmarked, 3), vec![0, 1, 2, 0, 1, 2]);
        // A large unmarked one is cut into blocks of consecutive sentences.
        let many: Vec<Sentence> = (0..200).map(|_| plain()).collect();
        let folds = document_folds(&many, 2);
        assert_eq!(folds[..20], [0; 20]);
        assert_eq!(folds[20..40], [1; 20]);
    }
}
