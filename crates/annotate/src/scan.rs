//! The annotators' token stream, refined from the document's [`Analysis`].
//!
//! Times and quantities match on the analysis's own tokens and sentences (one tokenizer,
//! one abbreviation list, one sentence splitter for the whole pipeline), cut finer: each
//! word token is split into runs of letters, runs of figures and single punctuation marks,
//! so that "5bn" is a number glued to the word "bn" and "mid-December" three pieces glued
//! together. A piece never crosses a token boundary, except that a figure continues over a
//! thin or no-break space before a group of three digits ("2\u{202F}500"), which the
//! tokenizer cuts as whitespace. Each piece is classified by one hash lookup in the lexicon.
//!
//! Pieces keep byte offsets (converted to code points only for the spans reported), whether
//! whitespace precedes them (so "2,500-3,000", "mid-December" and "COVID-19" can be told
//! from "2,500 - 3,000"), and their sentence: quantities look back for a unit only within a
//! sentence, and the future-tense check for "on Tuesday" stops at its start.
//!
//! A number piece is a run of digits with inner `,` or `.` separators ("5,000", "1.5",
//! "7.1.2022"). Letters and digits never share a piece.

use sitrep_nlp::Analysis;

use crate::lexicon::{Lex, lookup};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Num,
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    /// Byte offsets into the text.
    pub start: u32,
    pub end: u32,
    pub kind: Kind,
    /// The word's role; [`Lex::None`] for numbers and punctuation.
    pub lex: Lex,
    /// Whitespace (or the start of the text) precedes the token.
    pub spaced: bool,
    /// The first character is upper case.
    pub cap: bool,
    /// Sentence number, counted from 0.
    pub sentence: u32,
}

impl Token {
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The byte length of a digit-group space (thin, narrow no-break, no-break) at `at`.
fn group_space(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at..at + 3) {
        Some([0xE2, 0x80, 0x89]) | Some([0xE2, 0x80, 0xAF]) => Some(3),
        _ => match bytes.get(at..at + 2) {
            Some([0xC2, 0xA0]) => Some(2),
            _ => None,
        },
    }
}

/// Exactly three digits at `at`: a digit group.
fn three_digits(bytes: &[u8], at: usize) -> bool {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    digit(at) && digit(at + 1) && digit(at + 2) && !digit(at + 3)
}

fn char_at(text: &str, at: usize) -> char {
    let b = text.as_bytes()[at];
    if b < 0x80 {
        b as char
    } else {
        text[at..].chars().next().unwrap_or('\u{FFFD}')
    }
}

/// The end of the number piece starting at `start`, inside a token ending at `limit`.
fn number_end(bytes: &[u8], start: usize, limit: usize) -> usize {
    let digit = |i: usize| i < limit && bytes[i].is_ascii_digit();
    let mut j = start;
    loop {
        while digit(j) {
            j += 1;
        }
        if !(matches!(bytes.get(j), Some(b',' | b'.')) && digit(j + 1)) {
            return j;
        }
        j += 1;
    }
}

/// The pieces of `text`'s tokens (see the module doc), in text order.
pub(crate) fn from_analysis(text: &str, analysis: &Analysis) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5 + 1);
    // Where the last piece ended: a figure may run on into the next token.
    let mut done = 0usize;
    let spans = analysis.tokens();
    let sentence_of = analysis
        .sentences()
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.tokens.clone().map(move |_| i as u32));
    for ((index, range), sentence) in spans.iter().enumerate().zip(sentence_of) {
        let mut i = range.start.max(done);
        let mut spaced = i == range.start && (i == 0 || done < range.start);
        while i < range.end {
            let c = char_at(text, i);
            let start = i;
            let kind = if c.is_ascii_digit() {
                i = number_end(bytes, i, range.end);
                // "2 500": the figure runs on over a group space into the next tokens.
                let mut next = index + 1;
                while i == spans[next - 1].end
                    && let Some(after) = spans.get(next)
                    && group_space(bytes, i).is_some_and(|len| i + len == after.start)
                    && three_digits(bytes, after.start)
                {
                    i = number_end(bytes, after.start, after.end);
                    next += 1;
                }
                Kind::Num
            } else if c.is_alphabetic() {
                i += c.len_utf8();
                while i < range.end {
                    let d = char_at(text, i);
                    if !d.is_alphabetic() {
                        break;
                    }
                    i += d.len_utf8();
                }
                Kind::Word
            } else {
                i += c.len_utf8();
                Kind::Punct(c)
            };
            let lex = if kind == Kind::Word {
                lookup(&text[start..i])
            } else {
                Lex::None
            };
            tokens.push(Token {
                start: start as u32,
                end: i as u32,
                kind,
                lex,
                spaced,
                cap: c.is_uppercase(),
                sentence,
            });
            spaced = false;
        }
        done = done.max(i);
    }
    tokens
}

/// The pieces of `text` analysed without models (tests and the text-only entry points).
pub(crate) fn scan(text: &str) -> Vec<Token> {
    from_analysis(text, &Analysis::tokens_only(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        scan(text).iter().map(|t| &text[t.range()]).collect()
    }

    #[test]
    fn numbers_keep_their_separators() {
        assert_eq!(
            texts("2,500-3,000 by 2023, 1.5m and 2\u{202F}500."),
            [
                "2,500",
                "-",
                "3,000",
                "by",
                "2023",
                ",",
                "1.5",
                "m",
                "and",
                "2\u{202F}500",
                "."
            ]
        );
    }

    #[test]
    fn figures_run_on_over_group_spaces_but_pieces_stay_inside_tokens() {
        assert_eq!(
            texts("2\u{A0}500\u{A0}000 people, not 2 500."),
            ["2\u{A0}500\u{A0}000", "people", ",", "not", "2", "500", "."]
        );
        // The tokenizer's "do" + "n't" stay two words here too.
        let text = "They don't know.";
        let toks = scan(text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.range()]).collect();
        assert_eq!(words, ["They", "do", "n", "'", "t", "know", "."]);
        assert!(toks[1].spaced && !toks[2].spaced);
    }

    #[test]
    fn letters_and_digits_split_and_glue_is_recorded() {
        let text = "COVID-19 in Mali’s 3rd region";
        let toks = scan(text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.range()]).collect();
        assert_eq!(
            words,
            [
                "COVID", "-", "19", "in", "Mali", "’", "s", "3", "rd", "region"
            ]
        );
        assert!(!toks[2].spaced);
        assert!(toks[3].spaced);
        assert!(toks[0].cap && !toks[3].cap);
    }

    #[test]
    fn sentences_split_at_final_marks_and_paragraphs() {
        let text = "He left on Jan. 7 with Mr. Keita. “Yes.” Then\n\nNew one";
        let toks = scan(text);
        let sentence_of = |w: &str| {
            toks.iter()
                .find(|t| &text[t.range()] == w)
                .map(|t| t.sentence)
                .unwrap()
        };
        assert_eq!(sentence_of("Keita"), 0);
        assert_eq!(sentence_of("Yes"), 1);
        assert_eq!(sentence_of("Then"), 2);
        assert_eq!(sentence_of("New"), 3);
    }
}
