//! Rule-based word tokenizer following the Universal Dependencies English (EWT)
//! conventions, so that the tagger and parser trained on EWT see the words they were
//! trained on.
//!
//! Design: the text is cut at whitespace into chunks; a chunk that is a plain run of
//! letters and digits (most of them) is one token after two table look-ups (fused
//! contractions like "cannot", numbers with a unit like "5pm"). Any other chunk is scanned
//! character by character: word runs are glued together across connectors when EWT keeps
//! them as one token ("5,000", "1.5", "U.S", "e-mail", "713-853-3989", "AT&T",
//! "user@example.com"), clitics are split off ("do" "n't", "Mali" "’s"), a final period
//! stays on an abbreviation ("Mr.", "U.S.", "etc.") and every other punctuation mark is a
//! token of its own, except runs such as "...", "?!" and "--".
//!
//! Conventions taken from the EWT training data rather than guessed: a period that ends
//! both an abbreviation and the sentence goes to the sentence ("in the U.S" "."); hyphenated
//! compounds are split ("well" "-" "known") except after bound prefixes ("e-mail",
//! "non-violence") and in phone numbers, while numeric ranges are split ("1969" "-"
//! "1970"); units glued to numbers are split ("5" "pm") but ordinals and decades are not
//! ("20th", "1990s"); fused forms are split like their spelled-out originals ("can" "not",
//! "gon" "na"); "$" and "%" are tokens of their own.
//!
//! Everything language-specific comes from the word lists in `data/nlp/` (abbreviations,
//! sentence openers, hyphen prefixes, fused contractions, unit suffixes), built once into
//! hash sets (`lexicon.rs`, shared with the sentence splitter). No regular expressions: the
//! scan is byte- and char-based so that it keeps up with the rest of the pipeline on every
//! document.
//!
//! Offsets are UTF-8 byte offsets into the text; the pipeline converts them to code points.

use std::ops::Range;

use crate::chars::{
    is_ascii_whitespace, is_closer, is_glued_sentence_end, is_word_char, starts_like_url,
    whitespace_at,
};
use crate::lexicon::{AbbrevKind, Lexicon, lexicon};
use crate::sentences::split_sentences;

/// Whether `word` is one of the clitics EWT splits after an apostrophe ("'s", "'re").
fn is_clitic(word: &str) -> bool {
    const CLITICS: [&str; 6] = ["s", "re", "ll", "ve", "d", "m"];
    word.len() <= 2 && CLITICS.iter().any(|c| c.eq_ignore_ascii_case(word))
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '`')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Sentence-final punctuation; a run of these ("...", "?!", "!!!") is one token.
pub(crate) fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Punctuation whose repetitions form one token ("--", "***", "''", "==").
fn repeats_as_one(c: char) -> bool {
    matches!(
        c,
        '-' | '*' | '=' | '_' | '~' | '<' | '>' | '+' | '\'' | '`' | '#' | '^' | '|' | '—' | '–'
    )
}

/// Emoticons kept whole when they make up a chunk.
const EMOTICONS: &[&str] = &[
    ":)", ":-)", ":(", ":-(", ";)", ";-)", ":D", ":-D", ":P", ":-P", ":p", ":-p", "=)", "(:", ":/",
    ":'(", "^_^", "<3", ":o", ":O", ":]", ":[",
];

/// Word tokens of `text[range]` as byte ranges of `text`, in order, non-overlapping and
/// covering every non-whitespace character of the range. An out-of-bounds range is clamped
/// to the text and to character boundaries.
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(range.len() / 5 + 1);
    tokenize_into(text, range, &mut out);
    out
}

/// [`tokenize`] into a buffer the caller reuses (cleared first), to save an allocation per
/// sentence on hot paths.
pub fn tokenize_into(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    out.clear();
    let range = clamp_range(text, range);
    let mut scratch = Vec::new();
    Chunker {
        text,
        range_end: range.end,
        lex: lexicon(),
        out,
        chars: &mut scratch,
    }
    .run(range.start);
}

/// Sentences of `text` (see [`split_sentences`]) with their tokens.
pub fn tokenize_sentences(text: &str) -> Vec<(Range<usize>, Vec<Range<usize>>)> {
    split_sentences(text)
        .into_iter()
        .map(|s| {
            let tokens = tokenize(text, s.clone());
            (s, tokens)
        })
        .collect()
}

fn clamp_range(text: &str, range: Range<usize>) -> Range<usize> {
    let mut end = range.end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = range.start.min(end);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    start..end
}

struct Chunker<'a> {
    text: &'a str,
    /// End of the range being tokenized: look-ahead never goes past it.
    range_end: usize,
    lex: &'a Lexicon,
    out: &'a mut Vec<Range<usize>>,
    /// Characters of the current chunk with their byte offsets (reused between chunks).
    chars: &'a mut Vec<(usize, char)>,
}

impl Chunker<'_> {
    fn run(mut self, start: usize) {
        let bytes = self.text.as_bytes();
        let end = self.range_end;
        let mut i = start;
        while i < end {
            match BYTE_CLASS[usize::from(bytes[i])] {
                SPACE => {
                    i += 1;
                    continue;
                }
                NON_ASCII => {
                    let (ws, len) = whitespace_at(self.text, i);
                    if ws {
                        i += len;
                        continue;
                    }
                }
                _ => {}
            }
            let chunk_start = i;
            // Plain ASCII letters and digits first: the common case.
            while i < end && BYTE_CLASS[usize::from(bytes[i])] == ALNUM {
                i += 1;
            }
            let alnum_end = i;
            while i < end {
                match BYTE_CLASS[usize::from(bytes[i])] {
                    SPACE => break,
                    NON_ASCII => {
                        let (ws, len) = whitespace_at(self.text, i);
                        if ws {
                            break;
                        }
                        i += len;
                    }
                    _ => i += 1,
                }
            }
            if alnum_end == i {
                self.word(chunk_start, i);
            } else if !(alnum_end > chunk_start
                && i == alnum_end + 1
                && self.word_and_mark(chunk_start, alnum_end))
            {
                self.chunk(chunk_start, i);
            }
        }
    }

    /// A plain ASCII word followed by one punctuation mark that cannot interact with it
    /// ("said," "Mali." "(it)"): the common case of a non-plain chunk, without the general
    /// scan. Returns false, having done nothing, when the general scan is needed.
    fn word_and_mark(&mut self, start: usize, word_end: usize) -> bool {
        let mark = self.text.as_bytes()[word_end];
        match mark {
            b',' | b';' | b')' | b'"' | b'?' | b'!' => {}
            b'.' => {
                let with_dot = &self.text[start..=word_end];
                if self.lex.abbreviation_kind(with_dot).is_some() {
                    return false;
                }
            }
            _ => return false,
        }
        if starts_like_url(&self.text[start..word_end]) {
            return false;
        }
        self.word(start, word_end);
        self.out.push(word_end..word_end + 1);
        true
    }

    /// A plain run of ASCII letters and digits: one token, unless it is a fused
    /// contraction or a number with a unit.
    fn word(&mut self, start: usize, end: usize) {
        let word = &self.text[start..end];
        if let Some(parts) = self.lex.contraction_parts(word) {
            let mut at = start;
            for len in parts {
                self.out.push(at..at + len);
                at += len;
            }
            return;
        }
        let bytes = word.as_bytes();
        if bytes[0].is_ascii_digit() && bytes[bytes.len() - 1].is_ascii_alphabetic() {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            let suffix = &word[digits..];
            if suffix.bytes().all(|b| b.is_ascii_alphabetic()) && self.lex.is_unit(suffix) {
                self.out.push(start..start + digits);
                self.out.push(start + digits..end);
                return;
            }
        }
        self.out.push(start..end);
    }

    fn chunk(&mut self, start: usize, end: usize) {
        let chunk = &self.text[start..end];
        if EMOTICONS.contains(&chunk) {
            self.out.push(start..end);
            return;
        }
        self.chars.clear();
        self.chars
            .extend(chunk.char_indices().map(|(o, c)| (start + o, c)));
        let mut i = 0;
        while i < self.chars.len() {
            i = if is_word_char(self.chars[i].1) {
                self.word_token(i, end)
            } else {
                self.punct_token(i, end)
            };
        }
    }

    fn offset(&self, i: usize, chunk_end: usize) -> usize {
        self.chars.get(i).map_or(chunk_end, |&(o, _)| o)
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    /// End (char index) of the run of word characters starting at `i`.
    fn run_end(&self, mut i: usize) -> usize {
        while i < self.chars.len() && is_word_char(self.chars[i].1) {
            i += 1;
        }
        i
    }

    fn text_of(&self, from: usize, to: usize, chunk_end: usize) -> &str {
        &self.text[self.offset(from, chunk_end)..self.offset(to, chunk_end)]
    }

    /// A token starting with a word character at `i`; returns the index after it.
    fn word_token(&mut self, i: usize, chunk_end: usize) -> usize {
        let n = self.chars.len();
        let start = self.offset(i, chunk_end);
        if starts_like_url(&self.text[start..chunk_end]) {
            return self.url(i, chunk_end);
        }
        let mut end = self.run_end(i);
        // Start of the current run and of the current period-joined segment.
        let mut run_start = i;
        let mut segment_start = i;
        let mut runs = 1;
        while let Some(c) = self.char_at(end) {
            let next = end + 1;
            if next >= n || !is_word_char(self.chars[next].1) {
                break;
            }
            let right_end = self.run_end(next);
            let left = self.text_of(run_start, end, chunk_end);
            let right = self.text_of(next, right_end, chunk_end);
            let join = match c {
                // "U.S", "1.5", "example.com"; not "said.The" (a lost space) nor "Nov.28"
                // (an abbreviation and a number).
                '.' => {
                    let abbreviation_then_number = right.starts_with(|c: char| c.is_ascii_digit())
                        && left.starts_with(|c: char| c.is_alphabetic())
                        && self.is_listed_abbreviation(segment_start, end + 1, chunk_end);
                    !is_glued_sentence_end(left, right) && !abbreviation_then_number
                }
                // Thousands and clock times, also with a unit glued on ("1,350kg", "7:30PM").
                ',' => {
                    left.ends_with(|c: char| c.is_ascii_digit())
                        && self.number_with_unit(right) == Some(3)
                }
                ':' => all_digits(left) && self.number_with_unit(right).is_some(),
                // "9/11", "11/28/2000", and "w/o", "l/c"; but "and" "/" "or".
                '/' => {
                    (all_digits(left) && all_digits(right))
                        || (left.chars().count() == 1 && right.chars().count() == 1)
                }
                '&' => {
                    runs == 1
                        && left.len() <= 4
                        && right.len() <= 4
                        && left.chars().all(char::is_alphabetic)
                        && right.chars().all(char::is_alphabetic)
                }
                '@' | '_' => true,
                c if is_hyphen(c) => {
                    if runs == 1 && all_digits(left) && all_digits(right) {
                        if let Some(chain_end) = self.phone_number_end(i, chunk_end) {
                            runs += 1;
                            end = chain_end;
                            break;
                        }
                        false
                    } else {
                        self.lex.is_hyphen_prefix(left)
                    }
                }
                c if is_apostrophe(c) => {
                    let clitic = is_clitic(right);
                    let negation = right.eq_ignore_ascii_case("t")
                        && left.len() >= 2
                        && left.ends_with(['n', 'N']);
                    if clitic && !(runs == 1 && all_digits(left) && right.eq_ignore_ascii_case("s"))
                    {
                        // "Mali’s" → "Mali" "’s"; but "1960's" stays whole, as in EWT.
                        self.out.push(start..self.offset(end, chunk_end));
                        self.out
                            .push(self.offset(end, chunk_end)..self.offset(right_end, chunk_end));
                        return right_end;
                    }
                    if negation {
                        // "don't" → "do" "n't", "can't" → "ca" "n't".
                        let n_start = self.offset(end - 1, chunk_end);
                        self.out.push(start..n_start);
                        self.out.push(n_start..self.offset(right_end, chunk_end));
                        return right_end;
                    }
                    true
                }
                _ => false,
            };
            if !join {
                break;
            }
            if c != '.' {
                segment_start = next;
            }
            runs += 1;
            run_start = next;
            end = right_end;
        }
        let token_end = self.offset(end, chunk_end);
        // A period right after the token stays on it when the token is an abbreviation,
        // except at the end of the sentence: there EWT writes the abbreviation without it and
        // the period as the sentence's final punctuation ("in the U.S" ".").
        if self.char_at(end) == Some('.')
            && !self.char_at(end + 1).is_some_and(is_terminator)
            && !self.only_closers_after(token_end + 1)
        {
            let segment = &self.text[self.offset(segment_start, chunk_end)..token_end + 1];
            let attach = match self.lex.abbreviation_kind(segment) {
                Some(AbbrevKind::Prefix | AbbrevKind::Final | AbbrevKind::Ending) => true,
                Some(AbbrevKind::Number) => self
                    .next_visible_char(token_end + 1)
                    .is_some_and(|c| c.is_ascii_digit()),
                None => false,
            };
            if attach {
                self.out.push(start..token_end + 1);
                return end + 1;
            }
        }
        // Currency written with a country prefix: "US$", "HK$".
        if runs == 1
            && self.char_at(end) == Some('$')
            && self.char_at(end + 1).is_some_and(|c| c.is_ascii_digit())
            && (1..=3).contains(&(token_end - start))
            && self.text[start..token_end]
                .bytes()
                .all(|b| b.is_ascii_uppercase())
        {
            self.out.push(start..token_end + 1);
            return end + 1;
        }
        if runs == 1 && self.text[start..token_end].is_ascii() {
            self.word(start, token_end);
            return end;
        }
        // A unit glued to the last number of a compound: "11:30am" → "11:30" "am".
        let last = self.text_of(run_start, end, chunk_end);
        let digits = last.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && digits < last.len() && self.lex.is_unit(&last[digits..]) {
            let split = self.offset(run_start, chunk_end) + digits;
            self.out.push(start..split);
            self.out.push(split..token_end);
        } else {
            self.out.push(start..token_end);
        }
        end
    }

    /// Whether nothing but closing quotes, brackets and whitespace follows byte `from` in the
    /// range: the period before it ends the sentence.
    fn only_closers_after(&self, from: usize) -> bool {
        self.text[from..self.range_end]
            .chars()
            .all(|c| c.is_whitespace() || is_closer(c))
    }

    /// Whether the text from char `from` to char `dot_end` (just past a period) is in the
    /// abbreviation list.
    fn is_listed_abbreviation(&self, from: usize, dot_end: usize, chunk_end: usize) -> bool {
        self.lex
            .is_listed_abbreviation(self.text_of(from, dot_end, chunk_end))
    }

    /// The length of the leading digits of `run` when the rest is empty or a unit ("30",
    /// "30pm"); `None` otherwise.
    fn number_with_unit(&self, run: &str) -> Option<usize> {
        let digits = run.bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0 && (digits == run.len() || self.lex.is_unit(&run[digits..]))).then_some(digits)
    }

    /// Where a phone-number-like chain of digit groups joined by hyphens starting at `i`
    /// ends, if EWT keeps it whole: three or more groups ("1-800-991-9019", "11-20-2000") or
    /// a local number ("345-9945"). Ranges ("1969-1970", "3-4") are split.
    fn phone_number_end(&self, i: usize, chunk_end: usize) -> Option<usize> {
        let mut groups = Vec::new();
        let mut at = i;
        let mut chain_end = i;
        loop {
            let run = self.run_end(at);
            if !all_digits(self.text_of(at, run, chunk_end)) {
                break;
            }
            groups.push(run - at);
            chain_end = run;
            let next = run + 1;
            if !(run < self.chars.len()
                && is_hyphen(self.chars[run].1)
                && next < self.chars.len()
                && self.chars[next].1.is_ascii_digit())
            {
                break;
            }
            at = next;
        }
        let whole = groups.len() >= 3 || groups == [3, 4];
        whole.then_some(chain_end)
    }

    /// A URL from `i` to the end of the chunk, less trailing punctuation that belongs to the
    /// sentence (and closing brackets that were not opened inside the URL).
    fn url(&mut self, i: usize, chunk_end: usize) -> usize {
        let mut end = self.chars.len();
        while end > i + 1 {
            let c = self.chars[end - 1].1;
            let trailing = match c {
                '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '”' | '’' | '>' | '»' => true,
                ')' | ']' | '}' => {
                    let open = match c {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    let inner = &self.chars[i..end - 1];
                    let opened = inner.iter().filter(|&&(_, x)| x == open).count();
                    let closed = inner.iter().filter(|&&(_, x)| x == c).count();
                    opened <= closed
                }
                _ => false,
            };
            if !trailing {
                break;
            }
            end -= 1;
        }
        self.out
            .push(self.offset(i, chunk_end)..self.offset(end, chunk_end));
        end
    }

    /// A token starting with a non-word character at `i`; returns the index after it.
    fn punct_token(&mut self, i: usize, chunk_end: usize) -> usize {
        let n = self.chars.len();
        let c = self.chars[i].1;
        let start = self.offset(i, chunk_end);
        // "@handle", "#hashtag".
        let next = self.char_at(i + 1);
        if (c == '@' || c == '#') && next.is_some_and(|x| x.is_alphabetic() || x == '_') {
            let mut end = i + 1;
            while end < n && (is_word_char(self.chars[end].1) || self.chars[end].1 == '_') {
                end += 1;
            }
            self.out.push(start..self.offset(end, chunk_end));
            return end;
        }
        // Decimals without a leading zero: "$.04".
        if c == '.' && next.is_some_and(|x| x.is_ascii_digit()) {
            let end = self.run_end(i + 1);
            if all_digits(self.text_of(i + 1, end, chunk_end)) {
                self.out.push(start..self.offset(end, chunk_end));
                return end;
            }
        }
        // Decades: "'90s", "’72".
        if is_apostrophe(c) || c == '‘' {
            let run = self.run_end(i + 1);
            let word = self.text_of(i + 1, run, chunk_end);
            let digits = word.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 2 && (word.len() == 2 || &word[2..] == "s") {
                self.out.push(start..self.offset(run, chunk_end));
                return run;
            }
            // A clitic after a token that ended in punctuation ("U.N.’s"), or standing
            // alone ("'s").
            if is_apostrophe(c) && is_clitic(word) && (i > 0 || run == n) {
                self.out.push(start..self.offset(run, chunk_end));
                return run;
            }
        }
        let mut end = i + 1;
        if is_terminator(c) {
            while end < n && is_terminator(self.chars[end].1) {
                end += 1;
            }
        } else if is_apostrophe(c) || c == '‘' {
            // Doubled single quotes used as a double quote: "''", "’’", "‘’".
            while end < n && (is_apostrophe(self.chars[end].1) || self.chars[end].1 == '‘') {
                end += 1;
            }
        } else if repeats_as_one(c) {
            while end < n && self.chars[end].1 == c {
                end += 1;
            }
        }
        self.out.push(start..self.offset(end, chunk_end));
        end
    }

    /// The first non-whitespace character at or after byte `from`, within the range.
    fn next_visible_char(&self, from: usize) -> Option<char> {
        self.text[from..self.range_end]
            .chars()
            .find(|c| !c.is_whitespace())
    }
}

const ALNUM: u8 = 0;
const SPACE: u8 = 1;
const PUNCT: u8 = 2;
const NON_ASCII: u8 = 3;

/// What each byte is, for the chunking loop: ASCII letter or digit, ASCII whitespace, other
/// ASCII, or part of a multi-byte character.
static BYTE_CLASS: [u8; 256] = {
    let mut class = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        class[b] = if c.is_ascii_alphanumeric() {
            ALNUM
        } else if is_ascii_whitespace(c) {
            SPACE
        } else {
            PUNCT
        };
        b += 1;
    }
    class
};

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_punctuation_off_words() {
        assert_eq!(
            words("Hello, world! (Really?) \"Yes.\""),
            [
                "Hello", ",", "world", "!", "(", "Really", "?", ")", "\"", "Yes", ".", "\""
            ]
        );
        assert_eq!(
            words("“several parts of Mali.”"),
            ["“", "several", "parts", "of", "Mali", ".", "”"]
        );
    }

    #[test]
    fn splits_negation_clitics() {
        assert_eq!(words("I don't know"), ["I", "do", "n't", "know"]);
        assert_eq!(words("can't won't"), ["ca", "n't", "wo", "n't"]);
        assert_eq!(words("DIDN’T"), ["DID", "N’T"]);
    }

    #[test]
    fn splits_other_clitics_with_both_apostrophes() {
        assert_eq!(
            words("it's we're they'll I've he'd I'm"),
            [
                "it", "'s", "we", "'re", "they", "'ll", "I", "'ve", "he", "'d", "I", "'m"
            ]
        );
        assert_eq!(words("Mali’s army"), ["Mali", "’s", "army"]);
        assert_eq!(words("the U.N.’s envoy"), ["the", "U.N.", "’s", "envoy"]);
        assert_eq!(words("‘sorry’ 's"), ["‘", "sorry", "’", "'s"]);
        assert_eq!(words("the Tigers' coach"), ["the", "Tigers", "'", "coach"]);
    }

    #[test]
    fn keeps_names_with_apostrophes_and_decades() {
        assert_eq!(words("O'Connell"), ["O'Connell"]);
        assert_eq!(
            words("in the '90s and 1960's"),
            ["in", "the", "'90s", "and", "1960's"]
        );
    }

    #[test]
    fn splits_fused_contractions() {
        assert_eq!(words("I cannot go"), ["I", "can", "not", "go"]);
        assert_eq!(words("gonna wanna"), ["gon", "na", "wan", "na"]);
        assert_eq!(words("Dont"), ["Do", "nt"]);
    }

    #[test]
    fn keeps_numbers_whole() {
        assert_eq!(
            words("5,000 troops, 1.5 million, 3.2% and 3,202.61"),
            [
                "5,000", "troops", ",", "1.5", "million", ",", "3.2", "%", "and", "3,202.61"
            ]
        );
        assert_eq!(words("at 5:00 on 9/11"), ["at", "5:00", "on", "9/11"]);
        assert_eq!(words("7:30PM, 1,350kg"), ["7:30", "PM", ",", "1,350", "kg"]);
    }

    #[test]
    fn splits_currency_and_units() {
        assert_eq!(words("$5 and €20bn"), ["$", "5", "and", "€", "20", "bn"]);
        assert_eq!(words("at 5pm, 35mm"), ["at", "5", "pm", ",", "35", "mm"]);
        assert_eq!(
            words("the 20th, 1990s, 3M"),
            ["the", "20th", ",", "1990s", ",", "3M"]
        );
    }

    #[test]
    fn splits_ranges_but_keeps_phone_numbers() {
        assert_eq!(words("2,500-3,000"), ["2,500", "-", "3,000"]);
        assert_eq!(words("1969-1970"), ["1969", "-", "1970"]);
        assert_eq!(
            words("call 713-853-3989 or 345-9945"),
            ["call", "713-853-3989", "or", "345-9945"]
        );
        assert_eq!(words("1-2-3-4a"), ["1-2-3", "-", "4a"]);
    }

    #[test]
    fn splits_hyphenated_compounds_except_bound_prefixes() {
        assert_eq!(words("Al-Zaman"), ["Al", "-", "Zaman"]);
        assert_eq!(words("well-known"), ["well", "-", "known"]);
        assert_eq!(
            words("e-mail non-violence post-war"),
            ["e-mail", "non-violence", "post-war"]
        );
        assert_eq!(
            words("fight -- now — then"),
            ["fight", "--", "now", "—", "then"]
        );
        assert_eq!(words("yes--no"), ["yes", "--", "no"]);
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        assert_eq!(
            words("Mr. Smith of the U.S. met Gen. Goita at 5 p.m. in St. Louis"),
            [
                "Mr.", "Smith", "of", "the", "U.S.", "met", "Gen.", "Goita", "at", "5", "p.m.",
                "in", "St.", "Louis"
            ]
        );
        assert_eq!(words("John F. Kennedy"), ["John", "F.", "Kennedy"]);
        assert_eq!(words("J.R.R. Tolkien"), ["J.R.R.", "Tolkien"]);
        assert_eq!(words("Lt. Col. Ba"), ["Lt.", "Col.", "Ba"]);
        assert_eq!(
            words("e.g. this, i.e. that"),
            ["e.g.", "this", ",", "i.e.", "that"]
        );
    }

    #[test]
    fn sentence_final_abbreviation_gives_up_its_period() {
        assert_eq!(
            words("He moved to the U.S."),
            ["He", "moved", "to", "the", "U.S", "."]
        );
        assert_eq!(
            words("apples, pears, etc."),
            ["apples", ",", "pears", ",", "etc", "."]
        );
        assert_eq!(
            words("He works at “Acme Inc.”"),
            ["He", "works", "at", "“", "Acme", "Inc", ".", "”"]
        );
        assert_eq!(words("pears, etc. and"), ["pears", ",", "etc.", "and"]);
    }

    #[test]
    fn number_abbreviations_need_a_number() {
        assert_eq!(words("ranked No. 5"), ["ranked", "No.", "5"]);
        assert_eq!(words("He said no."), ["He", "said", "no", "."]);
    }

    #[test]
    fn keeps_urls_emails_handles_and_hashtags() {
        assert_eq!(
            words("See https://example.com/a-b?c=d, or www.example.org."),
            [
                "See",
                "https://example.com/a-b?c=d",
                ",",
                "or",
                "www.example.org",
                "."
            ]
        );
        assert_eq!(
            words("(https://en.wikipedia.org/wiki/Mali_(country))"),
            ["(", "https://en.wikipedia.org/wiki/Mali_(country)", ")"]
        );
        assert_eq!(words("Visit example.com."), ["Visit", "example.com", "."]);
        assert_eq!(
            words("mail john.smith@example.com, @sitrep_news #Mali"),
            [
                "mail",
                "john.smith@example.com",
                ",",
                "@sitrep_news",
                "#Mali"
            ]
        );
    }

    #[test]
    fn keeps_punctuation_runs() {
        assert_eq!(
            words("Wait... what?! No!!!"),
            ["Wait", "...", "what", "?!", "No", "!!!"]
        );
        assert_eq!(words("so…"), ["so", "…"]);
        assert_eq!(words(":)"), [":)"]);
    }

    #[test]
    fn currency_prefixes_and_bare_decimals() {
        assert_eq!(words("US$4.5 billion"), ["US$", "4.5", "billion"]);
        assert_eq!(words("HK$20 or $.04"), ["HK$", "20", "or", "$", ".04"]);
    }

    #[test]
    fn doubled_single_quotes_are_one_token() {
        assert_eq!(
            words("‘’It was’’ ''so''"),
            ["‘’", "It", "was", "’’", "''", "so", "''"]
        );
    }

    #[test]
    fn slashes_between_letters_and_numbers() {
        assert_eq!(words("and/or w/o 9/11"), ["and", "/", "or", "w/o", "9/11"]);
    }

    #[test]
    fn abbreviation_glued_to_a_number() {
        assert_eq!(
            words("on Nov.28 at p.5"),
            ["on", "Nov.", "28", "at", "p.", "5"]
        );
    }

    #[test]
    fn handles_need_a_letter() {
        assert_eq!(words("@2.975 @AFP"), ["@", "2.975", "@AFP"]);
    }

    #[test]
    fn soft_hyphens_stay_inside_words() {
        assert_eq!(words("basic\u{ad}ally"), ["basic\u{ad}ally"]);
    }

    #[test]
    fn splits_glued_sentences() {
        assert_eq!(
            words("he said.The army"),
            ["he", "said", ".", "The", "army"]
        );
    }

    #[test]
    fn ampersand_acronyms() {
        assert_eq!(words("AT&T and PG&E's"), ["AT&T", "and", "PG&E", "'s"]);
        assert_eq!(words("bread&butter"), ["bread", "&", "butter"]);
    }

    #[test]
    fn respects_the_range_and_clamps_bad_ones() {
        let text = "One two. Three four.";
        let toks: Vec<&str> = tokenize(text, 9..20)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(toks, ["Three", "four", "."]);
        assert_eq!(tokenize(text, 15..100).len(), 2);
        let text = "é é";
        let toks: Vec<&str> = tokenize(text, 1..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(toks, ["é"]);
    }

    #[test]
    fn tokenize_sentences_pairs_sentences_with_tokens() {
        let text = "Mr. Ba left. He said “no.”";
        let got: Vec<(&str, Vec<&str>)> = tokenize_sentences(text)
            .into_iter()
            .map(|(s, t)| (&text[s], t.into_iter().map(|r| &text[r]).collect()))
            .collect();
        assert_eq!(
            got,
            [
                ("Mr. Ba left.", vec!["Mr.", "Ba", "left", "."]),
                ("He said “no.”", vec!["He", "said", "“", "no", ".", "”"]),
            ]
        );
    }

    fn check_tokens(text: &str, range: Range<usize>) -> Result<(), TestCaseError> {
        let tokens = tokenize(text, range.clone());
        let mut covered = vec![false; text.len()];
        let mut last = range.start;
        for t in &tokens {
            prop_assert!(t.start < t.end, "empty token {:?}", t);
            prop_assert!(t.start >= last, "out of order {:?}", t);
            prop_assert!(t.end <= range.end);
            prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            last = t.end;
            covered[t.clone()].iter_mut().for_each(|c| *c = true);
        }
        for (o, c) in text[range.clone()].char_indices() {
            if !c.is_whitespace() {
                prop_assert!(covered[range.start + o], "{:?} at {} not covered", c, o);
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn tokens_cover_arbitrary_unicode(text in "\\PC{0,80}") {
            check_tokens(&text, 0..text.len())?;
        }

        #[test]
        fn tokens_cover_any_chars(chars in proptest::collection::vec(any::<char>(), 0..80)) {
            let text: String = chars.into_iter().collect();
            check_tokens(&text, 0..text.len())?;
        }

        #[test]
        fn tokens_cover_wordy_text(
            text in "([A-Za-z]{1,6}|[0-9]{1,4}|[ .,'’\\-:/@&$%!?\"“”()]|n't|'s|U\\.S\\.|Mr\\.|\\.\\.\\.|http://x\\.y/z| ){0,40}"
        ) {
            check_tokens(&text, 0..text.len())?;
        }

        #[test]
        fn tokens_cover_sub_ranges(text in "\\PC{0,40}", a in 0usize..50, b in 0usize..50) {
            let (lo, hi) = (a.min(b).min(text.len()), a.max(b).min(text.len()));
            let range = clamp_range(&text, lo..hi);
            check_tokens(&text, range)?;
        }
    }
}
