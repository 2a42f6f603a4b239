//! Character classes and word shapes shared by the tokenizer, the sentence splitter and the
//! feature templates of the tagger and the recogniser, so that each is defined once and the
//! splitter's idea of a word or a URL is the tokenizer's.

/// Collapsed character-class shape: `Iraq` → `Xx`, `U.S.` → `X.X.`, `1990s` → `dx`. Written
/// into `out` (cleared first), so that feature extraction reuses one buffer per sentence.
pub(crate) fn shape(word: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if k != last {
            out.push(k);
            last = k;
        }
    }
}

/// Characters that make up words: letters, digits and the marks that combine with them.
/// Everything else (punctuation, symbols, emoji) is split off.
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if c.is_alphanumeric() {
        return true;
    }
    // Combining marks, joiners, variation selectors and soft hyphens belong to the letters
    // around them;
    // the Indic and Thai blocks hold many vowel signs and viramas that are not "alphabetic".
    matches!(c as u32,
        0x00AD
        | 0x0300..=0x036F
        | 0x0483..=0x0489
        | 0x0591..=0x05C7
        | 0x0610..=0x061A
        | 0x064B..=0x065F
        | 0x0670
        | 0x06D6..=0x06ED
        | 0x0900..=0x0963
        | 0x0966..=0x0DFF
        | 0x0E00..=0x0EFF
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200C..=0x200D
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F
        | 0xE0100..=0xE01EF)
}

/// Closing quotes and brackets that stay with the sentence they close.
pub(crate) fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›')
}

/// Prefixes of a chunk that make it a URL, kept whole.
const URL_STARTS: &[&str] = &["http://", "https://", "ftp://", "www.", "mailto:"];

pub(crate) fn starts_like_url(s: &str) -> bool {
    if !matches!(
        s.as_bytes().first(),
        Some(b'h' | b'H' | b'f' | b'F' | b'w' | b'W' | b'm' | b'M')
    ) {
        return false;
    }
    URL_STARTS
        .iter()
        .any(|p| s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
}

/// "said.The": a lower-case word and a capitalised one glued by a period — a sentence end
/// whose space was lost in extraction, not an abbreviation or a domain name.
pub(crate) fn is_glued_sentence_end(left: &str, right: &str) -> bool {
    let mut r = right.chars();
    left.chars().count() >= 2
        && left.chars().all(char::is_lowercase)
        && r.next().is_some_and(char::is_uppercase)
        && {
            let rest = r.as_str();
            !rest.is_empty() && rest.chars().all(char::is_lowercase)
        }
}

pub(crate) const fn is_ascii_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// Whether the character at byte `i` is whitespace, and its length in bytes.
pub(crate) fn whitespace_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (is_ascii_whitespace(b), 1);
    }
    let c = text[i..].chars().next().unwrap_or(' ');
    (c.is_whitespace(), c.len_utf8())
}
