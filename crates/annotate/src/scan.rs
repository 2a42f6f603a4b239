//! The scanner: one pass over the text into word, number and punctuation tokens.
//!
//! Both annotators match on this token stream instead of running regular expressions over
//! the text, so the cost is one decode of each character plus one table lookup per word.
//! Tokens keep byte offsets (converted to code points only for the spans reported), whether
//! whitespace precedes them (so "2,500-3,000", "mid-December" and "COVID-19" can be told
//! from "2,500 - 3,000"), and a rough sentence number: quantities look back for a unit only
//! within a sentence, and the future-tense check for "on Tuesday" stops at its start.
//!
//! A number token is a run of digits with inner `,` or `.` separators ("5,000", "1.5",
//! "7.1.2022") and thin or no-break spaces before groups of three ("2 500"). Letters and
//! digits never share a token: "5bn" is a number glued to the word "bn".

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

/// Abbreviations whose period does not end a sentence (titles, months, "No.").
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "maj", "capt", "cpl", "adm", "gov",
    "sen", "rep", "pres", "st", "jr", "sr", "rev", "fr", "no", "nos", "vs", "approx", "est", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

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

fn char_at(text: &str, at: usize) -> char {
    let b = text.as_bytes()[at];
    if b < 0x80 {
        b as char
    } else {
        text[at..].chars().next().unwrap_or('\u{FFFD}')
    }
}

/// The end of the number token starting at `start`.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut j = start;
    loop {
        while digit(j) {
            j += 1;
        }
        if matches!(bytes.get(j), Some(b',' | b'.')) && digit(j + 1) {
            j += 1;
            continue;
        }
        if let Some(len) = group_space(bytes, j) {
            let k = j + len;
            if digit(k) && digit(k + 1) && digit(k + 2) && !digit(k + 3) {
                j = k;
                continue;
            }
        }
        return j;
    }
}

fn is_opening(c: char) -> bool {
    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[')
}

/// Splits `text` into tokens.
pub(crate) fn scan(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5 + 1);
    let mut i = 0;
    let mut spaced = true;
    let mut newlines = 0u32;
    let mut sentence = 0u32;
    // A sentence-final mark was seen; the next spaced token that can open a sentence does.
    let mut pending_end = false;
    while i < bytes.len() {
        let c = char_at(text, i);
        if c.is_whitespace() {
            spaced = true;
            if c == '\n' {
                newlines += 1;
            }
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let kind = if c.is_ascii_digit() {
            i = number_end(bytes, i);
            Kind::Num
        } else if c.is_alphabetic() {
            i += c.len_utf8();
            while i < bytes.len() {
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
        if !tokens.is_empty() && (newlines >= 2 || (pending_end && spaced && is_opening(c))) {
            sentence += 1;
        }
        if spaced {
            pending_end = false;
        }
        let word = &text[start..i];
        let lex = if kind == Kind::Word {
            lookup(word)
        } else {
            Lex::None
        };
        if let Kind::Punct('.' | '!' | '?' | '…') = kind {
            pending_end = !ends_abbreviation(&tokens, text, c, spaced);
        }
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
        newlines = 0;
    }
    tokens
}

/// Whether the period just scanned closes an abbreviation ("Jan.", "U.S.") rather than a
/// sentence.
fn ends_abbreviation(tokens: &[Token], text: &str, mark: char, spaced: bool) -> bool {
    if mark != '.' || spaced {
        return false;
    }
    match tokens.last() {
        Some(t) if t.kind == Kind::Word => {
            let word = &text[t.range()];
            word.chars().count() == 1 || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
        }
        _ => false,
    }
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
