//! Rule-based sentence splitter for cleaned news article bodies.
//!
//! Design: the body is first cut into paragraphs — at blank lines, or at every line break
//! when the text has no blank line at all (one paragraph per line). A paragraph break always
//! ends a sentence; a single line break inside a paragraph is just a space.
//!
//! Inside a paragraph, every run of terminators (". ! ? …", also spaced ". . .") with the
//! closing quotes and brackets right after it is a candidate end, taken when whitespace
//! follows and:
//! - after closing quotes or brackets, or an ellipsis: the next word is not in lower case
//!   (“We will fight!” he said. stays one sentence);
//! - after a bare "!" or "?": always;
//! - after a single period, it depends on the word before it. An ordinary word: always (a
//!   lower-case start is "eBay" or careless writing, not a continuation). A number of one or
//!   two digits opening the sentence: never (a list item, "2."). An abbreviation
//!   (`data/nlp/abbreviations.txt`, dotted acronyms, capital initials): never before a
//!   lower-case word; a title ("Mr.", "Gen.") never; "No." unless a number follows; "etc."
//!   before any capital; others ("Inc.", "U.S.", "Jan.", "F.") only when the next word is a
//!   typical sentence opener ("The", "He", "But" — `data/nlp/sentence_starters.txt`) or an
//!   opening quote, so "U.S. Army", "Jan. 7" and "John F. Kennedy" stay whole.
//!
//! Periods inside tokens (decimals, domains, "U.S.") are never followed by whitespace and
//! so never end a sentence; the one exception is a lower-case word glued to a capitalised
//! one ("said.The"), a space lost in extraction, which the tokenizer splits the same way.
//!
//! Measured on UD English EWT (web text, not news) with `examples/ewt_eval.rs`; the rules
//! that helped there were kept only where they also suit news copy.
//!
//! The abbreviation decisions share the tokenizer's lexicon (`lexicon.rs`), so a period the
//! tokenizer keeps on an abbreviation is not taken as a sentence end unless the abbreviation can end one.

use std::ops::Range;

use crate::chars::{
    is_closer, is_glued_sentence_end, is_word_char, starts_like_url, whitespace_at,
};
use crate::lexicon::{AbbrevKind, lexicon};

/// Sentence spans of `text` as byte ranges, in order, without surrounding whitespace,
/// together covering every non-whitespace character.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / 100 + 1);
    let breaks_at_every_line = !has_blank_line(text);
    let mut paragraph_start: Option<usize> = None;
    let mut paragraph_end = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        if line.trim().is_empty() {
            if let Some(start) = paragraph_start.take() {
                split_paragraph(text, start..paragraph_end, &mut out);
            }
        } else {
            paragraph_start.get_or_insert(line_start);
            paragraph_end = line_end;
            if breaks_at_every_line {
                let start = paragraph_start.take().unwrap_or(line_start);
                split_paragraph(text, start..line_end, &mut out);
            }
        }
        line_start = line_end;
    }
    if let Some(start) = paragraph_start {
        split_paragraph(text, start..paragraph_end, &mut out);
    }
    out
}

/// Whether some line between two line breaks is empty or whitespace only.
fn has_blank_line(text: &str) -> bool {
    let mut lines = text.split('\n');
    lines.next();
    let mut previous: Option<&str> = None;
    for line in lines {
        if previous.is_some_and(|p| p.trim().is_empty()) {
            return true;
        }
        previous = Some(line);
    }
    false
}

/// What ends a candidate sentence end.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Terminator {
    /// A single period: may belong to an abbreviation.
    Period,
    /// Two or more periods, or "…".
    Ellipsis,
    /// Contains "?" or "!".
    Strong,
}

fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

fn split_paragraph(text: &str, paragraph: Range<usize>, out: &mut Vec<Range<usize>>) {
    let raw = &text[paragraph.clone()];
    let start = paragraph.start + (raw.len() - raw.trim_start().len());
    let end = paragraph.start + raw.trim_end().len();
    if start >= end {
        return;
    }
    let bytes = text.as_bytes();
    let mut sentence_start = start;
    // Candidate ends are found with memchr (ASCII terminators) and memmem ("…"), which
    // skip the bulk of the text far faster than a byte loop.
    // The next "…" at or after a position, `end` when there is none: searched again only
    // once the scan has passed it, so a paragraph without one is searched once (searching at
    // every terminator made long paragraphs quadratic).
    let ellipses = memchr::memmem::Finder::new("…");
    let ellipsis_from = |k: usize| ellipses.find(&bytes[k..end]).map_or(end, |o| k + o);
    let mut next_ellipsis = ellipsis_from(start);
    let mut i = start;
    while i < end {
        if next_ellipsis < i {
            next_ellipsis = ellipsis_from(i);
        }
        let ascii = memchr::memchr3(b'.', b'!', b'?', &bytes[i..end]).map_or(end, |o| i + o);
        let term_start = ascii.min(next_ellipsis);
        if term_start >= end {
            break;
        }
        i = term_start;
        let mut periods = 0;
        let mut ellipsis = false;
        let mut strong = false;
        let mut closers = false;
        let mut j = i;
        while j < end {
            let c = char_at(text, j);
            match c {
                '.' => periods += 1,
                '…' => ellipsis = true,
                '!' | '?' => strong = true,
                c if is_closer(c) => closers = true,
                // Spaced ellipses and repeats (". . .", "? ? ?") are one terminator.
                ' ' if is_spaced_terminator(bytes, j, end) => {}
                _ => break,
            }
            j += c.len_utf8();
        }
        let terminator = if strong {
            Terminator::Strong
        } else if ellipsis || periods > 1 {
            Terminator::Ellipsis
        } else {
            Terminator::Period
        };
        if j >= end {
            break;
        }
        let (space, _) = whitespace_at(text, j);
        if space {
            let mut next = j;
            while next < end {
                let (ws, len) = whitespace_at(text, next);
                if !ws {
                    break;
                }
                next += len;
            }
            if ends_sentence(text, sentence_start, term_start, terminator, closers, next) {
                out.push(sentence_start..j);
                sentence_start = next;
            }
            i = next;
        } else {
            if !closers
                && terminator != Terminator::Ellipsis
                && is_glued_end(text, start, term_start, j, terminator)
            {
                out.push(sentence_start..j);
                sentence_start = j;
            }
            i = j;
        }
    }
    out.push(sentence_start..end);
}

/// Whether the terminator at `term_start`, followed by whitespace and then the text at
/// `next`, ends a sentence.
fn ends_sentence(
    text: &str,
    sentence_start: usize,
    term_start: usize,
    terminator: Terminator,
    closers: bool,
    next: usize,
) -> bool {
    let n = char_at(text, next);
    // A URL opening the next sentence is in lower case but still starts it.
    let n = if starts_like_url(&text[next..]) {
        'U'
    } else {
        n
    };
    // "!" and "?" end a sentence even before a lower-case word, unless a closing quote or
    // bracket shows that the sentence goes on: “We will fight!” he said.
    if terminator == Terminator::Strong && !closers {
        return true;
    }
    if terminator != Terminator::Period || closers {
        return !n.is_lowercase();
    }
    let lex = lexicon();
    let word_start = word_start_before(text, term_start, |c| is_word_char(c) || c == '.');
    let word = &text[word_start..term_start];
    // "2." or "*3." opening a sentence numbers a list item; it does not end anything.
    if (1..=2).contains(&word.len())
        && word.bytes().all(|b| b.is_ascii_digit())
        && text[sentence_start..word_start]
            .chars()
            .all(|c| !is_word_char(c) && !c.is_whitespace())
    {
        return false;
    }
    match lex.abbreviation_kind(&text[word_start..term_start + 1]) {
        // After an ordinary word a period ends the sentence, even before a lower-case word
        // ("eBay", or a writer who does not capitalise).
        None => true,
        _ if n.is_lowercase() => false,
        Some(AbbrevKind::Prefix) => false,
        Some(AbbrevKind::Ending) => true,
        Some(AbbrevKind::Number) => !n.is_ascii_digit(),
        Some(AbbrevKind::Final) => {
            if n.is_numeric() {
                false
            } else if n.is_uppercase() {
                let rest = &text[next..];
                let word_len = rest
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(rest.len());
                lex.is_sentence_starter(&rest[..word_len])
            } else {
                // An opening quote starts a new sentence; a dash or bracket continues
                // ("WASHINGTON, D.C. — The", "Acme Ltd. (London)").
                matches!(n, '"' | '“' | '‘' | '\'')
            }
        }
    }
}

/// Whether the space at `at` separates two terminators of a spaced run (". . .").
fn is_spaced_terminator(bytes: &[u8], at: usize, end: usize) -> bool {
    let Some(&next) = bytes.get(at + 1) else {
        return false;
    };
    at + 1 < end && matches!(next, b'.' | b'?' | b'!') && (at + 2 >= end || bytes[at + 2] == b' ')
}

/// Start of the run of characters satisfying `part` that ends at byte `end`.
fn word_start_before(text: &str, end: usize, part: impl Fn(char) -> bool) -> usize {
    let mut start = end;
    while let Some(c) = char_before(text, start) {
        if !part(c) {
            break;
        }
        start -= c.len_utf8();
    }
    start
}

/// "said.The", "really?Yes": a terminator glued to a capitalised word, outside URLs and
/// e-mail addresses (which the tokenizer keeps whole).
fn is_glued_end(
    text: &str,
    paragraph_start: usize,
    term_start: usize,
    after: usize,
    terminator: Terminator,
) -> bool {
    let right_len = text[after..]
        .find(|c: char| !is_word_char(c))
        .unwrap_or(text.len() - after);
    let right = &text[after..after + right_len];
    let left_start = word_start_before(text, term_start, is_word_char);
    let left = &text[left_start..term_start];
    let glued = match terminator {
        Terminator::Period => is_glued_sentence_end(left, right),
        _ => !left.is_empty() && is_glued_sentence_end("ab", right),
    };
    if !glued {
        return false;
    }
    let chunk_start =
        word_start_before(text, term_start, |c| !c.is_whitespace()).max(paragraph_start);
    let chunk = &text[chunk_start..term_start];
    !(chunk.contains('@')
        || chunk.contains("://")
        || chunk
            .char_indices()
            .any(|(o, _)| starts_like_url(&chunk[o..])))
}

#[cfg(test)]
mod tests {

    /// A long paragraph of short sentences and no "…" is split in one pass (it took 6 s for
    /// 2 MB and 104 s for 8 MB when every terminator searched the rest for an ellipsis).
    #[test]
    fn a_long_paragraph_without_an_ellipsis_splits_in_linear_time() {
        let text = "Hello world. ".repeat(200_000);
        let spans = split_sentences(&text);
        assert_eq!(spans.len(), 200_000);
        assert_eq!(&text[spans[199_999].clone()], "Hello world.");
        // An ellipsis after the long run is still found.
        let text = format!("{}They waited… Then rain.", "Hello world. ".repeat(50_000));
        let spans = split_sentences(&text);
        assert_eq!(&text[spans[50_000].clone()], "They waited…");
        assert_eq!(spans.len(), 50_002);
    }

    use super::*;
    use proptest::prelude::*;

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_on_terminators() {
        assert_eq!(
            sentences("Troops left. Did they return? No! They stayed…  Then rain."),
            [
                "Troops left.",
                "Did they return?",
                "No!",
                "They stayed…",
                "Then rain."
            ]
        );
    }

    #[test]
    fn paragraph_break_always_ends_a_sentence() {
        assert_eq!(
            sentences("First line without a stop\n\nSecond paragraph here.\n  \nThird"),
            [
                "First line without a stop",
                "Second paragraph here.",
                "Third"
            ]
        );
    }

    #[test]
    fn single_newline_is_a_space_when_paragraphs_exist() {
        assert_eq!(
            sentences("The army said\nit would leave.\n\nNext one."),
            ["The army said\nit would leave.", "Next one."]
        );
    }

    #[test]
    fn every_line_is_a_paragraph_when_there_are_no_blank_lines() {
        assert_eq!(
            sentences("Headline without stop\nBody sentence one. Body two.\n"),
            ["Headline without stop", "Body sentence one.", "Body two."]
        );
    }

    #[test]
    fn titles_never_end_a_sentence() {
        assert_eq!(
            sentences("Mr. Smith met Dr. Jones and Gen. Assimi Goita. Lt. Col. Ba agreed."),
            [
                "Mr. Smith met Dr. Jones and Gen. Assimi Goita.",
                "Lt. Col. Ba agreed."
            ]
        );
        assert_eq!(
            sentences("It was Mali vs. Niger. Prices rose, e.g. Bread."),
            ["It was Mali vs. Niger.", "Prices rose, e.g. Bread."]
        );
    }

    #[test]
    fn final_abbreviations_end_a_sentence_before_an_opener() {
        assert_eq!(
            sentences("He lives in the U.S. The army left."),
            ["He lives in the U.S.", "The army left."]
        );
        assert_eq!(
            sentences("The U.S. Army and the U.N. Security Council met."),
            ["The U.S. Army and the U.N. Security Council met."]
        );
        assert_eq!(
            sentences("He works for Acme Inc. But he left. It was Jan. 7 and Sept. 11."),
            [
                "He works for Acme Inc.",
                "But he left.",
                "It was Jan. 7 and Sept. 11."
            ]
        );
        assert_eq!(
            sentences("Apples, pears etc. and more. Shares of Acme Corp., Co. and Ltd. rose."),
            [
                "Apples, pears etc. and more.",
                "Shares of Acme Corp., Co. and Ltd. rose."
            ]
        );
        assert_eq!(
            sentences("He moved to St. Louis, Mo. He was from Calif. and Texas."),
            [
                "He moved to St. Louis, Mo.",
                "He was from Calif. and Texas."
            ]
        );
    }

    #[test]
    fn news_paragraphs() {
        let text = "BAMAKO — Mali’s junta said on Friday it would stay until 2026. Col. \
            Abdoulaye Maiga told reporters: “We will not be intimidated.” The U.S. State \
            Department and the E.U. objected. ECOWAS imposed sanctions on Feb. 9.\n\n\
            “This is unacceptable,” said Dr. Aminata Touré. About 1.5 million people — \
            7.5% of the population — fled. Shares of Acme Co. Ltd. in St. Louis, Mo., fell \
            3.2% to $12.50 at 5 p.m. Tuesday. Is this the end? “No!” he shouted. They came \
            from the U.S. Their leader was No. 2 in the U.S. Army.";
        assert_eq!(
            sentences(text),
            [
                "BAMAKO — Mali’s junta said on Friday it would stay until 2026.",
                "Col. Abdoulaye Maiga told reporters: “We will not be intimidated.”",
                "The U.S. State Department and the E.U. objected.",
                "ECOWAS imposed sanctions on Feb. 9.",
                "“This is unacceptable,” said Dr. Aminata Touré.",
                "About 1.5 million people — 7.5% of the population — fled.",
                "Shares of Acme Co. Ltd. in St. Louis, Mo., fell 3.2% to $12.50 at 5 p.m. Tuesday.",
                "Is this the end?",
                "“No!” he shouted.",
                "They came from the U.S.",
                "Their leader was No. 2 in the U.S. Army.",
            ]
        );
    }

    #[test]
    fn initials_do_not_end_sentences() {
        assert_eq!(
            sentences("John F. Kennedy and J.R.R. Tolkien wrote. He read."),
            ["John F. Kennedy and J.R.R. Tolkien wrote.", "He read."]
        );
    }

    #[test]
    fn numbers_decimals_and_no() {
        assert_eq!(
            sentences("About 1.5 million fled, 3.2% of all. It ranked No. 5 in 2020. 12 died."),
            [
                "About 1.5 million fled, 3.2% of all.",
                "It ranked No. 5 in 2020.",
                "12 died."
            ]
        );
        assert_eq!(
            sentences("He said no. Then left."),
            ["He said no.", "Then left."]
        );
    }

    #[test]
    fn ellipsis_before_lower_case_continues() {
        assert_eq!(
            sentences("We waited... and waited. Then... Nothing."),
            ["We waited... and waited.", "Then...", "Nothing."]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("He said it would \"destroy the country.\" Then he left."),
            ["He said it would \"destroy the country.\"", "Then he left."]
        );
        assert_eq!(
            sentences("Attacks hit “several parts of Mali.” The army denied it."),
            [
                "Attacks hit “several parts of Mali.”",
                "The army denied it."
            ]
        );
        assert_eq!(
            sentences("“We will fight,” he said. “We will fight!” he said again."),
            [
                "“We will fight,” he said.",
                "“We will fight!” he said again."
            ]
        );
        assert_eq!(
            sentences("He left. “We lost,” she said. 'Why?' he asked."),
            ["He left.", "“We lost,” she said.", "'Why?' he asked."]
        );
    }

    #[test]
    fn closing_brackets_stay_with_their_sentence() {
        assert_eq!(
            sentences("Troops left (all of them.) Then rain fell (mostly). Done."),
            [
                "Troops left (all of them.)",
                "Then rain fell (mostly).",
                "Done."
            ]
        );
    }

    #[test]
    fn dashes_do_not_split() {
        assert_eq!(
            sentences("The army – and police — left -- quickly. Done."),
            ["The army – and police — left -- quickly.", "Done."]
        );
    }

    #[test]
    fn urls_and_emails_do_not_split() {
        assert_eq!(
            sentences(
                "See example.com for more. Mail press@un.org.Today. Visit http://a.org/x.Y now."
            ),
            [
                "See example.com for more.",
                "Mail press@un.org.Today.",
                "Visit http://a.org/x.Y now."
            ]
        );
    }

    #[test]
    fn glued_sentences_split() {
        assert_eq!(
            sentences("Troops left the city.The army denied it."),
            ["Troops left the city.", "The army denied it."]
        );
    }

    #[test]
    fn lower_case_continues_only_after_a_closing_quote_or_abbreviation() {
        assert_eq!(
            sentences("“Why?” asked the general. Stop! they said. Why? because."),
            [
                "“Why?” asked the general.",
                "Stop!",
                "they said.",
                "Why?",
                "because."
            ]
        );
        assert_eq!(
            sentences("Prices rose. eBay fell. Fruit, etc. and more."),
            ["Prices rose.", "eBay fell.", "Fruit, etc. and more."]
        );
    }

    #[test]
    fn list_numbers_and_spaced_ellipses() {
        assert_eq!(
            sentences("Two points. 1. Troops left. 2. Talks failed. . . . Then nothing."),
            [
                "Two points.",
                "1. Troops left.",
                "2. Talks failed. . . .",
                "Then nothing."
            ]
        );
    }

    #[test]
    fn abbreviations_before_dashes_and_brackets_continue() {
        assert_eq!(
            sentences("WASHINGTON, D.C. — The talks began at Acme Ltd. (London). Then done."),
            [
                "WASHINGTON, D.C. — The talks began at Acme Ltd. (London).",
                "Then done."
            ]
        );
    }

    #[test]
    fn a_url_can_open_a_sentence() {
        assert_eq!(
            sentences("Read the report... http://example.org/report is online."),
            ["Read the report...", "http://example.org/report is online."]
        );
    }

    #[test]
    fn spans_exclude_whitespace_and_handle_empty_text() {
        assert!(split_sentences("").is_empty());
        assert!(split_sentences(" \n\n \t").is_empty());
        let text = "  One.   Two.  ";
        assert_eq!(split_sentences(text), [2..6, 9..13]);
    }

    fn check_sentences(text: &str) -> Result<(), TestCaseError> {
        let spans = split_sentences(text);
        let mut covered = vec![false; text.len()];
        let mut last = 0;
        for s in &spans {
            prop_assert!(s.start < s.end, "empty sentence {:?}", s);
            prop_assert!(s.start >= last, "out of order {:?}", s);
            prop_assert!(s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            let body = &text[s.clone()];
            prop_assert_eq!(body.trim(), body, "surrounding whitespace");
            last = s.end;
            covered[s.clone()].iter_mut().for_each(|c| *c = true);
        }
        for (o, c) in text.char_indices() {
            if !c.is_whitespace() {
                prop_assert!(covered[o], "{:?} at {} not covered", c, o);
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn sentences_cover_arbitrary_unicode(text in "\\PC{0,120}") {
            check_sentences(&text)?;
        }

        #[test]
        fn sentences_cover_any_chars(chars in proptest::collection::vec(any::<char>(), 0..120)) {
            check_sentences(&chars.into_iter().collect::<String>())?;
        }

        #[test]
        fn tokens_of_sentences_cover_the_text(
            text in "([A-Za-z]{1,6}|[0-9]{1,3}|[ .!?…,\"“”'’()$%@-]|\n|\n\n|Mr\\.|U\\.S\\.|e\\.g\\.| ){0,60}"
        ) {
            let mut covered = vec![false; text.len()];
            for (sentence, tokens) in crate::tokenize::tokenize_sentences(&text) {
                for t in tokens {
                    prop_assert!(sentence.start <= t.start && t.end <= sentence.end);
                    covered[t].iter_mut().for_each(|c| *c = true);
                }
            }
            for (o, c) in text.char_indices() {
                prop_assert!(c.is_whitespace() || covered[o], "{:?} at {} not covered", c, o);
            }
        }

        #[test]
        fn sentences_cover_prose(
            text in "([A-Za-z]{1,6}|[0-9]{1,3}|[ .!?…\"“”'’()]|\n|\n\n|Mr\\.|U\\.S\\.|No\\.|etc\\.| ){0,60}"
        ) {
            check_sentences(&text)?;
        }
    }
}
