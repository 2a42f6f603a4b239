//! The two ways the PolNeAR scores compare spans: by their text trimmed of outer whitespace
//! and punctuation (exact), and by the tokens they cover (partial and token-level).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use sitrep_nlp::Analysis;
use sitrep_nlp::corpus::attribution::Spans;

/// A character that is neither whitespace nor punctuation (Unicode `P*`): letters, digits,
/// symbols such as `$` and `%`.
static SIGNIFICANT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\s\p{P}]").expect("a valid pattern"));

/// A character that is not whitespace.
static VISIBLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S").expect("a valid pattern"));

/// The spans as exact matching compares them: each piece trimmed of outer whitespace and
/// punctuation, pieces dropped when nothing is left, and neighbours joined when only
/// whitespace and punctuation lie between them. Two contiguous spans compare equal exactly
/// when they are equal after trimming; pieces cut at a comma equal the piece through it.
/// Spans of nothing but punctuation (a colon as the cue) are trimmed of whitespace only.
pub fn canonical(text: &str, spans: &Spans) -> Vec<Range<usize>> {
    let trimmed = trim_all(text, spans, &SIGNIFICANT);
    if trimmed.is_empty() {
        trim_all(text, spans, &VISIBLE)
    } else {
        trimmed
    }
}

fn trim_all(text: &str, spans: &Spans, keep: &Regex) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for piece in spans.pieces() {
        let slice = &text[piece.clone()];
        let mut found = keep.find_iter(slice);
        let Some(first) = found.next() else {
            continue;
        };
        let last = found.last().unwrap_or(first);
        let r = piece.start + first.start()..piece.start + last.end();
        match out.last_mut() {
            Some(prev) if !keep.is_match(&text[prev.end..r.start]) => prev.end = r.end,
            _ => out.push(r),
        }
    }
    out
}

/// A document's tokens as the extractor sees them: the tokens of
/// [`Analysis::tokens_only`], and which of them are words (hold a letter or a digit).
pub struct DocTokens {
    tokens: Vec<Range<usize>>,
    word: Vec<bool>,
}

impl DocTokens {
    pub fn new(text: &str) -> DocTokens {
        DocTokens::of_analysis(text, &Analysis::tokens_only(text))
    }

    /// The tokens of an analysis of `text` (the same tokens, whichever models ran).
    pub fn of_analysis(text: &str, analysis: &Analysis) -> DocTokens {
        let tokens = analysis.tokens().to_vec();
        let word = tokens
            .iter()
            .map(|r| text[r.clone()].chars().any(char::is_alphanumeric))
            .collect();
        DocTokens { tokens, word }
    }

    /// The byte span of token `i`.
    pub fn span(&self, i: usize) -> Range<usize> {
        self.tokens[i].clone()
    }

    /// The tokens of `spans`, in order: the word tokens it overlaps, or, when it overlaps
    /// none (a colon as the cue), every token it overlaps.
    pub fn of(&self, spans: &Spans) -> Vec<usize> {
        let mut all = Vec::new();
        for piece in spans.pieces() {
            let first = self.tokens.partition_point(|t| t.end <= piece.start);
            all.extend(
                (first..self.tokens.len()).take_while(|&i| self.tokens[i].start < piece.end),
            );
        }
        all.dedup();
        let words: Vec<usize> = all.iter().copied().filter(|&i| self.word[i]).collect();
        if words.is_empty() { all } else { words }
    }
}

/// How many items two sorted lists share.
pub fn shared(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, parts: &[&str]) -> Spans {
        Spans::new(parts.iter().map(|p| {
            let at = text.find(p).unwrap();
            at..at + p.len()
        }))
        .unwrap()
    }

    #[test]
    fn trimming_drops_outer_whitespace_and_punctuation_only() {
        let text = "He said: “We stay, $5 at most.” Then: left.";
        let a = canonical(text, &spans(text, &["“We stay, $5 at most.” "]));
        let b = canonical(text, &spans(text, &["We stay, $5 at most"]));
        assert_eq!(a, b);
        assert_eq!(&text[a[0].clone()], "We stay, $5 at most");
        // Cut at the comma: the same once trimmed; cut inside a word: not.
        let c = canonical(text, &spans(text, &["We stay,", " $5 at most."]));
        assert_eq!(c, a);
        let d = canonical(text, &spans(text, &["We st", "$5 at most"]));
        assert_ne!(d, a);
        // A colon cue keeps its colon.
        let colon = canonical(text, &Spans::single(7..9).unwrap());
        assert_eq!(&text[colon[0].clone()], ":");
    }

    #[test]
    fn tokens_are_words_or_else_marks() {
        let text = "Trump: “I don’t lose.”";
        let t = DocTokens::new(text);
        let words =
            |s: &Spans| -> Vec<&str> { t.of(s).iter().map(|&i| &text[t.span(i)]).collect() };
        assert_eq!(
            words(&spans(text, &["“I don’t lose.”"])),
            vec!["I", "do", "n’t", "lose"]
        );
        assert_eq!(words(&spans(text, &[":"])), vec![":"]);
        // A span ending inside a token takes the token.
        assert_eq!(words(&Spans::single(0..3).unwrap()), vec!["Trump"]);
        assert_eq!(shared(&[1, 3, 5, 8], &[2, 3, 8, 9]), 2);
    }
}
