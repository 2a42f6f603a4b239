//! The ScrapingHub article-extraction metric: how much of a page's gold `articleBody` the
//! extracted text holds, and how much else it holds.
//!
//! As the benchmark's own evaluator computes it: a text's tokens are its `\w+` runs (Unicode
//! letters, digits and `_`, case kept, punctuation dropped); its shingles are the multiset of
//! its overlapping 4-token windows (a text of 1 to 3 tokens is one shorter shingle, an empty
//! text has none). Per page, `tp` is the sum over shingles of the smaller of the gold and
//! predicted counts, `fp` and `fn` the excesses of each side. Precision is `tp / (tp + fp)`,
//! recall `tp / (tp + fn)`, both 1 when `fp = fn = 0`; a page whose prediction has no shingle
//! is left out of the precision average (it still counts, as 0, in recall). Precision and
//! recall are averaged over pages, and F1 is computed from the two averages, so a long page
//! weighs no more than a short one.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// Shingle length, in tokens.
const SHINGLE_TOKENS: usize = 4;

/// Python's Unicode `\w`: letters, numbers and the underscore. (The regex crate's `\w` also
/// takes combining marks, which would join words Python splits.)
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{N}_]+").expect("a valid pattern"));

/// One page's counts and scores.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScore {
    pub id: String,
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    /// `None` when the prediction has no shingle (left out of the precision average).
    pub precision: Option<f64>,
    pub recall: f64,
}

/// Scores over a set of pages.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlScores {
    /// Mean precision over pages with a non-empty prediction.
    pub precision: f64,
    /// Mean recall over all pages.
    pub recall: f64,
    /// Harmonic mean of the two means.
    pub f1: f64,
    /// Number of pages scored.
    pub pages: usize,
    /// Pages whose prediction was empty.
    pub empty: usize,
    /// Each page's scores, in input order.
    pub per_page: Vec<PageScore>,
}

/// The multiset of a text's shingles.
pub fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens: Vec<&str> = WORD.find_iter(text).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    let windows = tokens.len().saturating_sub(SHINGLE_TOKENS - 1).max(1);
    for start in 0..windows {
        let end = (start + SHINGLE_TOKENS).min(tokens.len());
        *out.entry(tokens[start..end].to_vec()).or_insert(0) += 1;
    }
    out
}

/// Scores one page.
pub fn score_page(id: &str, gold: &str, predicted: &str) -> PageScore {
    let gold = shingles(gold);
    let predicted = shingles(predicted);
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (shingle, &g) in &gold {
        let p = predicted.get(shingle).copied().unwrap_or(0);
        tp += g.min(p);
        fn_ += g.saturating_sub(p);
    }
    for (shingle, &p) in &predicted {
        let g = gold.get(shingle).copied().unwrap_or(0);
        fp += p.saturating_sub(g);
    }
    let perfect = fp == 0 && fn_ == 0;
    let precision = if tp + fp == 0 {
        None
    } else if perfect {
        Some(1.0)
    } else {
        Some(tp as f64 / (tp + fp) as f64)
    };
    let recall = if perfect {
        1.0
    } else if tp + fn_ == 0 {
        0.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    PageScore {
        id: id.to_string(),
        tp,
        fp,
        fn_,
        precision,
        recall,
    }
}

/// Scores `(id, gold text, predicted text)` triples with the benchmark's averaging.
pub fn score_pages(pages: &[(String, String, String)]) -> HtmlScores {
    let per_page: Vec<PageScore> = pages
        .iter()
        .map(|(id, gold, predicted)| score_page(id, gold, predicted))
        .collect();
    let precisions: Vec<f64> = per_page.iter().filter_map(|p| p.precision).collect();
    let mean = |xs: &[f64]| {
        if xs.is_empty() {
            0.0
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let precision = mean(&precisions);
    let recalls: Vec<f64> = per_page.iter().map(|p| p.recall).collect();
    let recall = mean(&recalls);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    HtmlScores {
        precision,
        recall,
        f1,
        pages: per_page.len(),
        empty: per_page.len() - precisions.len(),
        per_page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: &str, gold: &str, predicted: &str) -> (String, String, String) {
        (id.into(), gold.into(), predicted.into())
    }

    #[test]
    fn tokens_drop_punctuation_and_keep_case() {
        let s = shingles("Troops, arrived! in the Capital.");
        assert_eq!(s.len(), 2);
        assert_eq!(s[&vec!["Troops", "arrived", "in", "the"]], 1);
        assert_eq!(s[&vec!["arrived", "in", "the", "Capital"]], 1);
        // Case is kept: "capital" is another token.
        assert!(
            !shingles("arrived in the capital")
                .contains_key(&vec!["arrived", "in", "the", "Capital"])
        );
    }

    #[test]
    fn shingles_are_a_multiset() {
        let s = shingles("a b c d a b c d");
        assert_eq!(s[&vec!["a", "b", "c", "d"]], 2);
        assert_eq!(s.values().sum::<usize>(), 5);
    }

    #[test]
    fn short_texts_are_one_shorter_shingle_and_empty_texts_none() {
        let s = shingles("Mali army");
        assert_eq!(s.len(), 1);
        assert_eq!(s[&vec!["Mali", "army"]], 1);
        assert!(shingles("").is_empty());
        assert!(shingles("... — !").is_empty());
    }

    #[test]
    fn known_counts() {
        // gold: 6 tokens → 3 shingles; predicted adds 2 tokens at the end → 5 shingles, 3 shared.
        let p = score_page(
            "x",
            "one two three four five six",
            "one two three four five six seven eight",
        );
        assert_eq!((p.tp, p.fp, p.fn_), (3, 2, 0));
        assert_eq!(p.precision, Some(0.6));
        assert_eq!(p.recall, 1.0);
        // Missing the start: predicted "three four five six" → 1 shingle, shared.
        let p = score_page("y", "one two three four five six", "three four five six");
        assert_eq!((p.tp, p.fp, p.fn_), (1, 0, 2));
        assert_eq!(p.precision, Some(1.0));
        assert!((p.recall - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn empty_predictions_are_left_out_of_precision_only() {
        let scores = score_pages(&[
            page("a", "one two three four five", "one two three four five"),
            page("b", "one two three four five", ""),
        ]);
        assert_eq!(scores.empty, 1);
        assert_eq!(scores.per_page[1].precision, None);
        assert_eq!(scores.per_page[1].recall, 0.0);
        assert_eq!(scores.precision, 1.0);
        assert_eq!(scores.recall, 0.5);
        assert!((scores.f1 - 2.0 * 0.5 / 1.5).abs() < 1e-12);
    }

    #[test]
    fn averages_are_per_page_not_per_shingle() {
        // A long perfect page and a short page with half its text wrong weigh the same.
        let long = (0..200)
            .map(|i| format!("t{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let scores = score_pages(&[
            page("long", &long, &long),
            page("short", "a b c d e", "a b c d x"),
        ]);
        // short: gold {abcd, bcde}, predicted {abcd, bcdx}: tp 1, fp 1, fn 1.
        assert_eq!(scores.per_page[1].precision, Some(0.5));
        assert!((scores.precision - 0.75).abs() < 1e-12);
        assert!((scores.recall - 0.75).abs() < 1e-12);
        assert!((scores.f1 - 0.75).abs() < 1e-12);
    }

    #[test]
    fn python_word_characters() {
        // Digits and underscores are word characters; a combining mark is not (Python's \w).
        let s = shingles("snake_case 2022 Café");
        assert!(s.contains_key(&vec!["snake_case", "2022", "Café"]));
        let s = shingles("a\u{0301}b");
        assert!(s.contains_key(&vec!["a", "b"]));
    }
}
