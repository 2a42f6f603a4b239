//! One document's analysis, computed once and read by every later stage.
//!
//! An [`Analysis`] holds the sentences of a text, its word tokens with byte spans, each
//! token's UPOS, Penn tag, lemma, head and relation (when the parser ran), and the entity
//! mentions as token spans. Times and quantities match on these tokens, claims and events
//! read heads and relations from them, and the output `Document` is built from them once, at
//! the end: no stage tokenizes again, so a quantity, an entity and a verb's subject that
//! cover the same words cover the same tokens.
//!
//! [`Analyzer`] builds it with whichever models are loaded: with none, an analysis has
//! sentences and tokens only (what the rule-based splitter and tokenizer give); with the
//! tagger, lemmatiser and parser, every token is analysed; with the entity recogniser,
//! mentions are found with the document's history ("Halvard" in the third sentence is what
//! it was in the first).
//!
//! Offsets are UTF-8 byte offsets into the analysed text; converting them to code points is
//! the output layer's job. This module knows no `Document`.
//!
//! A sentence has at most [`MAX_SENTENCE_TOKENS`] tokens: a longer one (a table flattened
//! into text, a list of numbers, a page without punctuation) is cut into pieces of at most
//! that many, each after the last comma, semicolon, colon or dash of its second half when
//! there is one. The parser's cost grows faster than linearly with a sentence's length (its
//! beam copies states as long as the sentence): before the cut, 100 KB of numbers in one
//! "sentence" took 33 s and 200 KB 225 s; real sentences are far shorter (the longest in UD
//! EWT's training part has 159 tokens).

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::analyzer::{Nlp, WordAnalysis, Workspace};
use crate::ner::{DocHistory, EntityLabel, EntitySpan, Ner, NerWorkspace};
use crate::sentences::split_sentences;
use crate::tokenize::tokenize_into;

/// The most tokens one sentence may have; longer ones are cut (see the module doc).
pub const MAX_SENTENCE_TOKENS: usize = 250;

/// One sentence: its byte span and the range of its tokens in [`Analysis::tokens`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceSpan {
    pub span: Range<usize>,
    pub tokens: Range<usize>,
}

/// An entity mention: a run of tokens (indices into [`Analysis::tokens`], end exclusive,
/// never across a sentence) and its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub tokens: Range<usize>,
    pub label: EntityLabel,
}

/// Sentences, tokens, their analyses and entity mentions of one text (see the module doc).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    sentences: Vec<SentenceSpan>,
    /// Byte span of each token, in text order.
    tokens: Vec<Range<usize>>,
    /// One per token when the parser ran, else empty.
    words: Vec<WordAnalysis>,
    mentions: Vec<Mention>,
}

impl Analysis {
    /// Sentences and tokens of `text` by the rule-based splitter and tokenizer, with no
    /// model: what [`Analyzer::analyse`] gives when none is loaded.
    pub fn tokens_only(text: &str) -> Analysis {
        let mut analysis = Analysis::default();
        analysis.split(text, &mut Vec::new());
        analysis
    }

    /// Fills the sentence and token layers.
    fn split(&mut self, text: &str, scratch: &mut Vec<Range<usize>>) {
        for span in split_sentences(text) {
            tokenize_into(text, span.clone(), scratch);
            let first = self.tokens.len();
            self.tokens.append(scratch);
            let end = self.tokens.len();
            if end - first <= MAX_SENTENCE_TOKENS {
                self.sentences.push(SentenceSpan {
                    span,
                    tokens: first..end,
                });
                continue;
            }
            // Pieces of a long sentence: the first keeps the sentence's start, the last its
            // end, and the others run from their first token to their last.
            let mut from = first;
            while from < end {
                let to = cut_point(text, &self.tokens, from, end);
                let start = if from == first {
                    span.start
                } else {
                    self.tokens[from].start
                };
                let stop = if to == end {
                    span.end
                } else {
                    self.tokens[to - 1].end
                };
                self.sentences.push(SentenceSpan {
                    span: start..stop,
                    tokens: from..to,
                });
                from = to;
            }
        }
    }

    /// The sentences, in text order.
    pub fn sentences(&self) -> &[SentenceSpan] {
        &self.sentences
    }

    /// The byte span of every token, in text order.
    pub fn tokens(&self) -> &[Range<usize>] {
        &self.tokens
    }

    /// The sentence (index into [`Analysis::sentences`]) token `token` belongs to.
    pub fn sentence_of(&self, token: usize) -> usize {
        self.sentences.partition_point(|s| s.tokens.end <= token)
    }

    /// Whether the tagger, lemmatiser and parser ran: then [`Analysis::word`] is set for
    /// every token.
    pub fn is_parsed(&self) -> bool {
        !self.tokens.is_empty() && self.words.len() == self.tokens.len()
    }

    /// Tags, lemma, head and relation of token `token`, when the parser ran. The head is
    /// relative to the sentence (see [`Analysis::head`] for a token index).
    pub fn word(&self, token: usize) -> Option<&WordAnalysis> {
        self.words.get(token)
    }

    /// The token index of `token`'s head, `None` for a sentence's root or without a parse.
    pub fn head(&self, token: usize) -> Option<usize> {
        let head = self.word(token)?.head;
        let first = self.sentences[self.sentence_of(token)].tokens.start;
        usize::try_from(head).ok().map(|h| first + h)
    }

    /// Entity mentions in text order.
    pub fn mentions(&self) -> &[Mention] {
        &self.mentions
    }

    /// The byte span from the start of token `tokens.start` to the end of the last token.
    pub fn span_of(&self, tokens: &Range<usize>) -> Range<usize> {
        self.tokens[tokens.start].start..self.tokens[tokens.end - 1].end
    }
}

/// The models an [`Analysis`] is computed with, loaded once and shared by every thread.
#[derive(Debug, Clone, Default)]
pub struct Analyzer {
    nlp: Option<Arc<Nlp>>,
    ner: Option<Arc<Ner>>,
}

/// The stages of an analysis, as [`Analyzer::analyse_timed`] times them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Sentences and tokens.
    Tokens,
    /// Tags, lemmas and trees.
    Parse,
    /// Entity mentions.
    Entities,
}

/// Time spent in each [`Stage`], indexed by it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes(pub [Duration; 3]);

/// Per-thread buffers reused from one document to the next.
#[derive(Default)]
struct Scratch {
    spans: Vec<Range<usize>>,
    nlp: Workspace,
    ner: NerWorkspace,
    found: Vec<EntitySpan>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Analyzer {
    /// An analyzer with the tagger, lemmatiser and parser (`nlp`) and the entity recogniser
    /// (`ner`) that are given; either may be absent.
    pub fn new(nlp: Option<Arc<Nlp>>, ner: Option<Arc<Ner>>) -> Analyzer {
        Analyzer { nlp, ner }
    }

    pub fn nlp(&self) -> Option<&Nlp> {
        self.nlp.as_deref()
    }

    pub fn ner(&self) -> Option<&Ner> {
        self.ner.as_deref()
    }

    /// The analysis of `text` (a cleaned body): sentences and tokens always, word analyses
    /// when the parser is loaded, mentions when the recogniser is.
    pub fn analyse(&self, text: &str) -> Analysis {
        SCRATCH.with(|scratch| self.analyse_with(text, &mut scratch.borrow_mut(), &mut |_| {}))
    }

    /// [`Analyzer::analyse`], adding the time each stage took to `times` (`sitrep bench`).
    pub fn analyse_timed(&self, text: &str, times: &mut StageTimes) -> Analysis {
        let mut clock = Instant::now();
        let mut lap = |stage: Stage| {
            let now = Instant::now();
            times.0[stage as usize] += now - clock;
            clock = now;
        };
        SCRATCH.with(|scratch| self.analyse_with(text, &mut scratch.borrow_mut(), &mut lap))
    }

    fn analyse_with(
        &self,
        text: &str,
        scratch: &mut Scratch,
        lap: &mut dyn FnMut(Stage),
    ) -> Analysis {
        let mut analysis = Analysis::default();
        analysis.split(text, &mut scratch.spans);
        lap(Stage::Tokens);
        if self.nlp.is_none() && self.ner.is_none() {
            return analysis;
        }
        let words: Vec<Vec<&str>> = analysis
            .sentences
            .iter()
            .map(|s| {
                analysis.tokens[s.tokens.clone()]
                    .iter()
                    .map(|r| &text[r.clone()])
                    .collect()
            })
            .collect();
        if let Some(nlp) = &self.nlp {
            nlp.analyze_all_into(&words, &mut scratch.nlp, &mut analysis.words);
            lap(Stage::Parse);
        }
        if let Some(ner) = &self.ner {
            let mut history = DocHistory::new();
            for (sentence, words) in analysis.sentences.iter().zip(&words) {
                ner.recognise_in_document(
                    words,
                    None,
                    Some(&mut history),
                    &mut scratch.ner,
                    &mut scratch.found,
                );
                let first = sentence.tokens.start;
                analysis.mentions.extend(
                    scratch
                        .found
                        .iter()
                        .filter(|e| e.start_word < e.end_word)
                        .map(|e| Mention {
                            tokens: first + e.start_word..first + e.end_word,
                            label: e.label,
                        }),
                );
            }
            lap(Stage::Entities);
        }
        analysis
    }
}

/// Where the piece of a long sentence that starts at token `from` ends (exclusive): after at
/// most [`MAX_SENTENCE_TOKENS`] tokens, after the last clause mark of the window's second half
/// when there is one.
fn cut_point(text: &str, tokens: &[Range<usize>], from: usize, end: usize) -> usize {
    let limit = (from + MAX_SENTENCE_TOKENS).min(end);
    if limit == end {
        return end;
    }
    let half = from + MAX_SENTENCE_TOKENS / 2;
    (half..limit)
        .rev()
        .find(|&t| {
            matches!(
                &text[tokens[t].clone()],
                "," | ";" | ":" | "\u{2014}" | "\u{2013}" | "-"
            )
        })
        .map_or(limit, |t| t + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const TEXT: &str = "Officials said on Tuesday that about 400 advisers had arrived in Bamako.\n\n\
        The ministry denied it. “They are instructors,” Mr. Keita told AFP.";

    fn models() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/models")
    }

    /// Issue 11: a "sentence" of thousands of numbers made the parser take minutes. Long
    /// sentences are cut into pieces of at most MAX_SENTENCE_TOKENS, after a comma when the
    /// window's second half has one; the pieces partition the tokens and cover the sentence.
    #[test]
    fn long_sentences_are_cut_into_bounded_pieces() {
        let mut text = String::new();
        for n in 0..1_000 {
            text.push_str(&format!("{n} "));
            if n == 400 {
                text.push_str(", ");
            }
        }
        text.push_str("end.");
        let a = Analysis::tokens_only(&text);
        let s = a.sentences();
        assert_eq!(
            s.len(),
            5,
            "{:?}",
            s.iter().map(|s| s.tokens.len()).collect::<Vec<_>>()
        );
        assert!(s.iter().all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
        assert_eq!(s[0].span.start, 0);
        assert_eq!(s.last().unwrap().span.end, text.len());
        assert_eq!(s.last().unwrap().tokens.end, a.tokens().len());
        for pair in s.windows(2) {
            assert_eq!(pair[0].tokens.end, pair[1].tokens.start);
            assert!(pair[0].span.end <= pair[1].span.start);
        }
        // The second piece ends after the comma, in its window's second half.
        assert_eq!(&text[a.tokens()[s[1].tokens.end - 1].clone()], ",");
        for sentence in s {
            let first = &a.tokens()[sentence.tokens.start];
            let last = &a.tokens()[sentence.tokens.end - 1];
            assert!(sentence.span.start <= first.start && last.end <= sentence.span.end);
        }
    }

    #[test]
    fn tokens_only_splits_sentences_and_words_without_models() {
        let a = Analysis::tokens_only(TEXT);
        assert_eq!(a.sentences().len(), 3);
        assert!(!a.is_parsed());
        assert!(a.mentions().is_empty());
        let words: Vec<&str> = a.tokens().iter().map(|r| &TEXT[r.clone()]).collect();
        assert_eq!(&words[..4], ["Officials", "said", "on", "Tuesday"]);
        assert!(words.contains(&"Mr."), "{words:?}");
        // Tokens partition the sentences and know their sentence.
        for (i, s) in a.sentences().iter().enumerate() {
            for t in s.tokens.clone() {
                assert_eq!(a.sentence_of(t), i);
                assert!(s.span.start <= a.tokens()[t].start && a.tokens()[t].end <= s.span.end);
            }
        }
        assert_eq!(a.head(0), None);
    }

    #[test]
    fn with_models_every_token_is_parsed_and_names_are_mentions() {
        let nlp = Nlp::load(&models()).expect("shipped models load");
        let ner = Ner::load(&models().join(crate::ner::NER_FILE)).expect("shipped NER loads");
        let a = Analyzer::new(Some(Arc::new(nlp)), Some(Arc::new(ner))).analyse(TEXT);
        assert!(a.is_parsed());
        let find = |w: &str| {
            a.tokens()
                .iter()
                .position(|r| &TEXT[r.clone()] == w)
                .unwrap()
        };
        // "Officials" is the subject of "said", the root of the first sentence.
        let said = find("said");
        assert_eq!(a.word(said).unwrap().deprel, "root");
        assert_eq!(a.head(find("Officials")), Some(said));
        assert_eq!(a.word(find("denied")).unwrap().lemma, "deny");
        let named: Vec<&str> = a
            .mentions()
            .iter()
            .map(|m| &TEXT[a.span_of(&m.tokens)])
            .collect();
        assert!(named.contains(&"Bamako"), "{named:?}");
        for m in a.mentions() {
            assert_eq!(
                a.sentence_of(m.tokens.start),
                a.sentence_of(m.tokens.end - 1)
            );
        }
    }
}
