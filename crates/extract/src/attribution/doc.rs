//! The document as the attribution model reads it: one row per token of the
//! [`Analysis`] with its parse (lemma, tags, relation, head as a document index), where it
//! sits (sentence, paragraph, quotation), its cue-lexicon class, and the stable hashes the
//! features are built from, computed once per token.
//!
//! A [`Doc`] is built from an `Analysis` ([`Doc::new`]) or, in tests, from a hand-written
//! parse ([`Doc::from_parsed`]), so that features and assembly can be checked on trees that
//! do not depend on the shipped parser.

use std::ops::Range;

use compact_str::CompactString;
use sitrep_nlp::Analysis;
use sitrep_nlp::model_io::hash_str;

use super::lexicon::{CueClass, Lexicon, Senses};

/// A hand-written parsed word: `(word, lemma, upos, head, relation)`, the head 1-based
/// within its sentence (0: root), as in CoNLL-U.
pub type ParsedWord<'w> = (&'w str, &'w str, &'static str, u32, &'static str);

/// No token (a root's head, a missing neighbour).
pub const NONE: u32 = u32::MAX;

/// Quotation flags of a token (bits of [`Token::quote`]).
pub mod quote {
    /// Inside a double-quoted stretch (the marks themselves included).
    pub const INSIDE: u8 = 1;
    /// An opening mark.
    pub const OPEN: u8 = 2;
    /// A closing mark.
    pub const CLOSE: u8 = 4;
    /// Inside a stretch that its paragraph never closes (a quote continued in the next
    /// paragraph, the newspaper way).
    pub const UNCLOSED: u8 = 8;
}

/// One token and what the features read of it.
#[derive(Debug, Clone)]
pub struct Token {
    pub span: Range<usize>,
    pub sent: u32,
    pub para: u32,
    /// Document index of the head; [`NONE`] for a sentence's root or without a parse.
    pub head: u32,
    /// Lower-cased lemma (the lower-cased word without a parse).
    pub lemma: CompactString,
    pub upos: &'static str,
    pub xpos: &'static str,
    /// The relation without its subtype (`nsubj:pass` is `nsubj`).
    pub rel: &'static str,
    pub quote: u8,
    /// The quoted stretch the token is in: 0 for none, else 1 + its index in the document.
    pub region: u32,
    pub cue: CueClass,
    /// WordNet classes of the lemma as its part of speech (verbs and nouns only).
    pub sem: Senses,
    /// The lemma's cue rate bucket in the training data ([`Lexicon::rate`]).
    pub rate: u8,
    /// Entity type of the mention the token is in (0: none; else 1 + the label's index).
    pub entity: u8,
    pub h_form: u64,
    pub h_lemma: u64,
    pub h_upos: u64,
    pub h_xpos: u64,
    pub h_rel: u64,
    /// The relation with its subtype (`nsubj:pass`, `obl:agent`: a passive's content and
    /// source).
    pub h_frel: u64,
    pub h_shape: u64,
    pub h_suffix: u64,
}

impl Token {
    pub fn is_verb(&self) -> bool {
        self.upos == "VERB"
    }

    pub fn is_word(&self, text: &str) -> bool {
        text[self.span.clone()].chars().any(char::is_alphanumeric)
    }
}

/// Tokens, sentences and the dependency trees of one text.
#[derive(Debug, Clone)]
pub struct Doc<'t> {
    pub text: &'t str,
    pub tokens: Vec<Token>,
    /// Token range of each sentence.
    pub sentences: Vec<Range<u32>>,
    /// Children of each token: `kids[kid_start[t]..kid_start[t + 1]]`, in text order.
    kid_start: Vec<u32>,
    kids: Vec<u32>,
}

impl<'t> Doc<'t> {
    /// The document of `analysis` (of `text`).
    pub fn new(text: &'t str, analysis: &Analysis, lexicon: &Lexicon) -> Doc<'t> {
        let n = analysis.tokens().len();
        let mut entity = vec![0u8; n];
        for m in analysis.mentions() {
            let label = sitrep_nlp::EntityLabel::ALL
                .iter()
                .position(|&l| l == m.label)
                .map_or(0, |i| i as u8 + 1);
            for t in m.tokens.clone() {
                entity[t] = label;
            }
        }
        let mut rows = Vec::with_capacity(n);
        for (s, sentence) in analysis.sentences().iter().enumerate() {
            for t in sentence.tokens.clone() {
                let span = analysis.tokens()[t].clone();
                let word = &text[span.clone()];
                let (lemma, upos, xpos, full_rel, head) = match analysis.word(t) {
                    Some(w) => (
                        lower(&w.lemma),
                        w.upos,
                        w.xpos,
                        w.deprel,
                        analysis.head(t).map_or(NONE, |h| h as u32),
                    ),
                    None => (lower(word), "X", "X", "dep", NONE),
                };
                let rel = full_rel.split(':').next().unwrap_or(full_rel);
                rows.push(Row {
                    span,
                    sent: s as u32,
                    lemma,
                    upos,
                    xpos,
                    rel,
                    full_rel,
                    head,
                    entity: entity[t],
                });
            }
        }
        let sentences = analysis
            .sentences()
            .iter()
            .map(|s| s.tokens.start as u32..s.tokens.end as u32)
            .collect();
        Doc::build(text, rows, sentences, lexicon)
    }

    /// A document from a hand-written parse: each sentence a list of `(word, lemma, upos,
    /// head, relation)` with heads 1-based within the sentence (0: root), as in CoNLL-U.
    /// The text is the words joined by single spaces, sentences by a space, and paragraphs
    /// (a sentence list in `paragraphs`) by a newline.
    pub fn from_parsed(
        text: &'t mut String,
        paragraphs: &[&[&[ParsedWord<'_>]]],
        lexicon: &Lexicon,
    ) -> Doc<'t> {
        text.clear();
        let mut rows = Vec::new();
        let mut sentences = Vec::new();
        for (p, sents) in paragraphs.iter().enumerate() {
            if p > 0 {
                text.push('\n');
            }
            for (s, words) in sents.iter().enumerate() {
                if s > 0 {
                    text.push(' ');
                }
                let first = rows.len() as u32;
                for (i, &(word, lemma, upos, head, rel)) in words.iter().enumerate() {
                    if i > 0 {
                        text.push(' ');
                    }
                    let start = text.len();
                    text.push_str(word);
                    rows.push(Row {
                        span: start..text.len(),
                        sent: sentences.len() as u32,
                        lemma: lower(lemma),
                        upos,
                        xpos: upos,
                        rel: rel.split(':').next().unwrap_or(rel),
                        full_rel: rel,
                        head: if head == 0 { NONE } else { first + head - 1 },
                        entity: 0,
                    });
                }
                sentences.push(first..rows.len() as u32);
            }
        }
        let text: &'t String = text;
        Doc::build(text, rows, sentences, lexicon)
    }

    fn build(
        text: &'t str,
        rows: Vec<Row>,
        sentences: Vec<Range<u32>>,
        lexicon: &Lexicon,
    ) -> Doc<'t> {
        let n = rows.len();
        let paras = paragraphs(text, &rows);
        let (quotes, regions) = quote_flags(text, &rows, &paras);
        let mut tokens: Vec<Token> = Vec::with_capacity(n);
        for (i, r) in rows.into_iter().enumerate() {
            let word = &text[r.span.clone()];
            let lower_word = lower(word);
            tokens.push(Token {
                h_form: hash_str(&lower_word),
                h_lemma: hash_str(&r.lemma),
                h_upos: hash_str(r.upos),
                h_xpos: hash_str(r.xpos),
                h_rel: hash_str(r.rel),
                h_frel: hash_str(r.full_rel),
                h_shape: shape(word),
                h_suffix: hash_str(suffix(&lower_word, 3)),
                cue: 0,
                sem: Senses::default(),
                rate: 0,
                span: r.span,
                sent: r.sent,
                para: paras[i],
                head: r.head,
                lemma: r.lemma,
                upos: r.upos,
                xpos: r.xpos,
                rel: r.rel,
                quote: quotes[i],
                region: regions[i],
                entity: r.entity,
            });
        }
        label(&mut tokens, lexicon);
        let mut count = vec![0u32; n + 1];
        for t in &tokens {
            if t.head != NONE {
                count[t.head as usize + 1] += 1;
            }
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let kid_start = count.clone();
        let mut kids = vec![0u32; kid_start[n] as usize];
        let mut fill = count;
        for (i, t) in tokens.iter().enumerate() {
            if t.head != NONE {
                let h = t.head as usize;
                kids[fill[h] as usize] = i as u32;
                fill[h] += 1;
            }
        }
        Doc {
            text,
            tokens,
            sentences,
            kid_start,
            kids,
        }
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Looks every token up again in `lexicon` (its class, senses and rate).
    pub fn relabel(&mut self, lexicon: &Lexicon) {
        label(&mut self.tokens, lexicon);
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The children of token `t`, in text order.
    pub fn children(&self, t: usize) -> &[u32] {
        &self.kids[self.kid_start[t] as usize..self.kid_start[t + 1] as usize]
    }

    /// The word of token `t`.
    pub fn word(&self, t: usize) -> &str {
        &self.text[self.tokens[t].span.clone()]
    }

    /// The head of `t`, if any.
    pub fn head(&self, t: usize) -> Option<usize> {
        let h = self.tokens[t].head;
        (h != NONE).then_some(h as usize)
    }

    /// The token range of `t`'s sentence.
    pub fn sentence_of(&self, t: usize) -> Range<usize> {
        let s = &self.sentences[self.tokens[t].sent as usize];
        s.start as usize..s.end as usize
    }

    /// The nearest verb above `t` (not `t` itself) and the child of it through which the
    /// walk reached it (its relation says "in the ccomp of say"). At most `limit` steps; a
    /// cycle in a damaged tree ends the walk.
    pub fn verb_above(&self, t: usize, limit: usize) -> Option<(usize, usize)> {
        let mut at = t;
        for _ in 0..limit {
            let h = self.head(at)?;
            if self.tokens[h].is_verb() {
                return Some((h, at));
            }
            at = h;
        }
        None
    }

    /// The first and last token of `t`'s subtree (bounded by its sentence).
    pub fn extent(&self, t: usize) -> Range<usize> {
        let (mut lo, mut hi) = (t, t);
        let mut stack = vec![t];
        let sentence = self.sentence_of(t);
        let mut steps = 0;
        while let Some(n) = stack.pop() {
            lo = lo.min(n);
            hi = hi.max(n);
            steps += 1;
            if steps > sentence.len() {
                break;
            }
            stack.extend(self.children(n).iter().map(|&c| c as usize));
        }
        lo..hi + 1
    }

    /// Whether `t` lies in the subtree of `top` (or is `top`).
    pub fn within(&self, mut t: usize, top: usize) -> bool {
        for _ in 0..=self.sentence_of(top).len() {
            if t == top {
                return true;
            }
            match self.head(t) {
                Some(h) => t = h,
                None => return false,
            }
        }
        false
    }

    /// The token range of every paragraph, in order.
    pub fn paragraphs(&self) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for (i, t) in self.tokens.iter().enumerate() {
            match out.last_mut() {
                Some(last) if self.tokens[last.start].para == t.para => last.end = i + 1,
                _ => out.push(i..i + 1),
            }
        }
        out
    }

    /// Byte span of the tokens `range` (not empty).
    pub fn span_of(&self, range: Range<usize>) -> Range<usize> {
        self.tokens[range.start].span.start..self.tokens[range.end - 1].span.end
    }
}

/// Sets every token's lexicon class, WordNet classes and rate; a two-lemma pattern
/// ("according to") marks its first word.
fn label(tokens: &mut [Token], lexicon: &Lexicon) {
    for t in tokens.iter_mut() {
        t.cue = lexicon.class(&t.lemma);
        t.sem = lexicon.senses(&t.lemma, t.upos);
        t.rate = lexicon.rate(&t.lemma);
    }
    for i in 0..tokens.len().saturating_sub(1) {
        if tokens[i].sent == tokens[i + 1].sent
            && let Some(class) = lexicon.pair(tokens[i].h_lemma, tokens[i + 1].h_lemma)
        {
            tokens[i].cue = class;
        }
    }
}

/// What a token's row holds before the flags and hashes are computed.
struct Row {
    span: Range<usize>,
    sent: u32,
    lemma: CompactString,
    upos: &'static str,
    xpos: &'static str,
    rel: &'static str,
    full_rel: &'static str,
    head: u32,
    entity: u8,
}

fn lower(s: &str) -> CompactString {
    if s.chars().any(char::is_uppercase) {
        CompactString::from(s.to_lowercase())
    } else {
        CompactString::from(s)
    }
}

/// The last `n` characters of `s`.
fn suffix(s: &str, n: usize) -> &str {
    let start = s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    &s[start..]
}

/// A coarse shape: capitalised, all capitals, lower case, digits, punctuation, other.
fn shape(word: &str) -> u64 {
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    let class = if first.is_uppercase() {
        if word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
            && word.len() > 1
        {
            1
        } else {
            2
        }
    } else if first.is_lowercase() {
        3
    } else if first.is_ascii_digit() {
        4
    } else if word.chars().all(|c| !c.is_alphanumeric()) {
        5
    } else {
        6
    };
    0x5aa9_0000 + class
}

/// The paragraph index of each token (a paragraph ends at a newline).
fn paragraphs(text: &str, rows: &[Row]) -> Vec<u32> {
    let mut out = Vec::with_capacity(rows.len());
    let (mut para, mut from) = (0u32, 0usize);
    for r in rows {
        para += memchr_count(&text.as_bytes()[from..r.span.start.max(from)]);
        from = r.span.start.max(from);
        out.push(para);
    }
    out
}

fn memchr_count(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u32
}

/// Quotation flags of every token, by paragraph: `“` (or `"` when none is open) opens a
/// stretch and `”` (or `"`) closes it; a stretch still open at the paragraph's end runs to
/// it. Outside double quotes, a `‘` token opens a stretch that the next `’` token closes, if
/// its paragraph does (else it was no quote).
fn quote_flags(text: &str, rows: &[Row], paras: &[u32]) -> (Vec<u8>, Vec<u32>) {
    use quote::*;
    let mut flags = vec![0u8; rows.len()];
    let mut regions = vec![0u32; rows.len()];
    let mut region = 0;
    let mut i = 0;
    while i < rows.len() {
        let para = paras[i];
        let end = (i..rows.len())
            .find(|&j| paras[j] != para)
            .unwrap_or(rows.len());
        let mut open: Option<(usize, bool)> = None; // (start, double)
        for j in i..end {
            let w = &text[rows[j].span.clone()];
            match (w, open) {
                ("“" | "\"" | "``", None) => open = Some((j, true)),
                ("“", Some((_, false))) => open = Some((j, true)),
                ("”" | "''", Some((s, true))) | ("\"", Some((s, true))) => {
                    region += 1;
                    mark(&mut flags, &mut regions, region, s, j, 0);
                    open = None;
                }
                ("‘", None) => open = Some((j, false)),
                ("’", Some((s, false))) => {
                    region += 1;
                    mark(&mut flags, &mut regions, region, s, j, 0);
                    open = None;
                }
                _ => {}
            }
        }
        if let Some((s, true)) = open {
            region += 1;
            mark(&mut flags, &mut regions, region, s, end - 1, UNCLOSED);
            flags[end - 1] &= !CLOSE;
        }
        i = end;
    }
    (flags, regions)
}

fn mark(flags: &mut [u8], regions: &mut [u32], region: u32, start: usize, end: usize, extra: u8) {
    for f in &mut flags[start..=end] {
        *f |= quote::INSIDE | extra;
    }
    regions[start..=end].iter_mut().for_each(|r| *r = region);
    flags[start] |= quote::OPEN;
    flags[end] |= quote::CLOSE;
}
