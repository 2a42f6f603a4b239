//! Sentences and tokens (crates/nlp): `split_sentences`, `tokenize` on each sentence and on
//! an arbitrary byte range, and `Analysis::tokens_only`, which the pipeline builds on.
//!
//! Checks beyond "no panic", the promises of their documentation: sentences are in order,
//! do not overlap, have no surrounding whitespace, lie on character boundaries and cover
//! every non-whitespace character; the tokens of a sentence lie inside it in order, hold no
//! whitespace and cover its every non-whitespace character; an out-of-bounds or mid-character
//! range is clamped; the analysis has the same tokens, and the same sentences but for those
//! over `MAX_SENTENCE_TOKENS` tokens, which it cuts into pieces.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep_fuzz::{check_covers, check_ranges, lossy, take_byte};
use sitrep_nlp::analysis::MAX_SENTENCE_TOKENS;
use sitrep_nlp::{Analysis, split_sentences, tokenize};

fuzz_target!(|data: &[u8]| {
    let (option, bytes) = take_byte(data);
    let text = lossy(bytes);
    let text = text.as_ref();
    let sentences = split_sentences(text);
    check_ranges(text, &sentences, None, "sentence");
    check_covers(text, 0..text.len(), &sentences, "sentence");
    let mut all_tokens = Vec::new();
    for s in &sentences {
        assert_eq!(
            text[s.clone()].trim(),
            &text[s.clone()],
            "sentence {s:?} not trimmed"
        );
        let tokens = tokenize(text, s.clone());
        check_ranges(text, &tokens, Some(s), "token");
        check_covers(text, s.clone(), &tokens, "token");
        for t in &tokens {
            assert!(
                !text[t.clone()].contains(char::is_whitespace),
                "token {t:?} {:?}",
                &text[t.clone()]
            );
        }
        all_tokens.extend(tokens);
    }
    let analysis = Analysis::tokens_only(text);
    assert_eq!(analysis.tokens(), &all_tokens[..]);
    // The analysis's sentences are the splitter's, a long one cut into pieces of at most
    // MAX_SENTENCE_TOKENS tokens that keep its start and end.
    let mut pieces = analysis.sentences().iter().peekable();
    for s in &sentences {
        let first = pieces.next().expect("a piece for every sentence");
        assert_eq!(first.span.start, s.start, "piece {first:?} of {s:?}");
        let mut last = first;
        while pieces.peek().is_some_and(|p| p.span.end <= s.end) {
            last = pieces.next().unwrap();
        }
        assert_eq!(last.span.end, s.end, "last piece {last:?} of {s:?}");
    }
    assert!(pieces.next().is_none());
    for piece in analysis.sentences() {
        assert!(piece.tokens.len() <= MAX_SENTENCE_TOKENS, "{piece:?}");
    }
    // A range the caller got wrong: from a byte chosen by the option to past the end.
    let start = usize::from(option) * text.len() / 256;
    let tokens = tokenize(text, start..text.len() + 7);
    check_ranges(text, &tokens, None, "token of a clamped range");
    assert!(tokens.first().is_none_or(|t| t.start >= start));
});
