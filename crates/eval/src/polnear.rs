//! Attribution relations against PolNeAR-style gold (`sitrep eval polnear`, issue 12 point 7).
//!
//! A relation is (source, cue, content), each a set of byte spans; the source may be absent.
//! Gold comes from [`sitrep_nlp::corpus::attribution`]; predictions are [`Relation`]s of the
//! same shape from any predictor (`fn(&str) -> Vec<Relation>`): the trained extractor
//! ([`trained`]) or the rule-based [`baseline`].
//!
//! # The measures
//!
//! Per document, on the tokens of [`sitrep_nlp::Analysis::tokens_only`] (what the extractor
//! sees). A span's tokens are the word tokens (a letter or a digit) it overlaps, or, when it
//! overlaps none (a colon as the cue), every token it overlaps.
//!
//! - **exact**: source, cue and content each equal after trimming outer whitespace and
//!   punctuation ([`spans::canonical`]; a discontiguous span is compared piece by piece, and
//!   pieces separated only by whitespace and punctuation count as one); a missing source
//!   equals a missing source.
//! - **partial**: the cues share a token; the sources share a token, or both are missing;
//!   the predicted content holds at least half of the gold content's tokens.
//! - Each gold relation matches at most one prediction and each prediction at most one gold
//!   relation: candidates are taken greedily, best overlap first (the Dice coefficient of
//!   their tokens, all three roles together), ties in gold then prediction order; so the
//!   outcome does not depend on anything but the two lists.
//! - **source / cue / content tokens**: per role, the set of tokens gold relations give the
//!   role against the set predictions give it (a token two relations share counts once).
//! - Precision is over predictions, recall over gold, F1 their harmonic mean.
//!
//! Each measure is also split by [`QuoteKind`] (direct, mixed, indirect; [`quotes`] defines
//! them): a gold relation counts for the recall of its own kind, a prediction for the
//! precision of its own, each judged against everything on the other side. So the split's
//! counts add up to the whole.
//!
//! # `sitrep eval polnear --gold DIR`
//!
//! Reads `DIR/text` and `DIR/attributions` (PolNeAR's layout), runs the predictor on every
//! article, prints the measures ([`report::render`]) and exits 3 when exact or partial F1 is
//! below its floor (`--floor-exact 0.45`, `--floor-partial 0.75`, the issue's). The predictor
//! is the trained extractor (`attribution.bin` in the model folder), or with `--baseline` the
//! [`baseline`]; the output says which. Gold
//! files that cannot be read are printed with file and line and the article left out (exit
//! 3); what the reader passed over (annotator flags, stub relations) is counted in one line.
//! `crates/eval/examples/polnear_stats.rs` prints what a split holds.

pub mod baseline;
pub use sitrep_nlp::quotes;
pub mod report;
pub mod spans;
pub mod stats;
pub mod trained;

use std::collections::HashMap;
use std::ops::Range;

pub use sitrep_nlp::corpus::attribution::{AttributedDocument, Attribution, Spans};

use crate::polnear::quotes::{QuoteKind, Quotes};
use crate::polnear::spans::{DocTokens, canonical, shared};
use crate::ratio;

/// A predicted relation: the gold shape.
pub type Relation = Attribution;

/// One document to score: its text, gold relations and predictions (byte spans of `text`).
#[derive(Debug, Clone, Copy)]
pub struct DocPair<'a> {
    pub text: &'a str,
    pub gold: &'a [Attribution],
    pub predicted: &'a [Relation],
}

/// Counts behind a precision and a recall. `gold_found` (gold items a prediction matches)
/// and `predicted_correct` (predictions that match) are equal over a whole set; they differ
/// within one kind of a split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Score {
    pub gold: usize,
    pub predicted: usize,
    pub gold_found: usize,
    pub predicted_correct: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.predicted_correct, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.gold_found, self.gold)
    }

    pub fn f1(&self) -> f64 {
        crate::f1(self.precision(), self.recall())
    }
}

/// The measures over one set of relations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Breakdown {
    pub exact: Score,
    pub partial: Score,
    pub source: Score,
    pub cue: Score,
    pub content: Score,
}

/// Every measure, over all relations and by quote kind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolnearScores {
    pub documents: usize,
    pub all: Breakdown,
    /// Indexed as [`QuoteKind::ALL`].
    pub by_kind: [Breakdown; 3],
}

impl PolnearScores {
    pub fn kind(&self, kind: QuoteKind) -> &Breakdown {
        &self.by_kind[kind as usize]
    }
}

/// Scores predictions against gold, document by document (see the module doc).
pub fn score(docs: &[DocPair<'_>]) -> PolnearScores {
    let mut scores = PolnearScores {
        documents: docs.len(),
        ..PolnearScores::default()
    };
    for doc in docs {
        score_document(doc, &mut scores);
    }
    scores
}

/// Runs `predict` on every document's text and scores the predictions.
pub fn evaluate(
    docs: &[AttributedDocument],
    mut predict: impl FnMut(&str) -> Vec<Relation>,
) -> PolnearScores {
    let predicted: Vec<Vec<Relation>> = docs.iter().map(|d| predict(&d.text)).collect();
    let pairs: Vec<DocPair<'_>> = docs
        .iter()
        .zip(&predicted)
        .map(|(d, p)| DocPair {
            text: &d.text,
            gold: &d.relations,
            predicted: p,
        })
        .collect();
    score(&pairs)
}

/// The quote kind of a content: by where its word tokens start ([`quotes`]).
pub fn quote_kind(text: &str, tokens: &DocTokens, quotes: &Quotes, content: &Spans) -> QuoteKind {
    quotes.kind(
        tokens
            .of(content)
            .into_iter()
            .map(|t| tokens.span(t))
            .filter(|s| text[s.clone()].chars().any(char::is_alphanumeric))
            .map(|s| s.start),
    )
}

/// A relation ready for comparison.
struct Prepared {
    source: Option<Vec<usize>>,
    cue: Vec<usize>,
    content: Vec<usize>,
    exact: ExactKey,
    kind: QuoteKind,
}

/// The trimmed spans of a relation's three roles.
type ExactKey = (
    Option<Vec<Range<usize>>>,
    Vec<Range<usize>>,
    Vec<Range<usize>>,
);

impl Prepared {
    fn new(r: &Attribution, text: &str, tokens: &DocTokens, quotes: &Quotes) -> Prepared {
        Prepared {
            source: r.source.as_ref().map(|s| tokens.of(s)),
            cue: tokens.of(&r.cue),
            content: tokens.of(&r.content),
            exact: (
                r.source.as_ref().map(|s| canonical(text, s)),
                canonical(text, &r.cue),
                canonical(text, &r.content),
            ),
            kind: quote_kind(text, tokens, quotes, &r.content),
        }
    }

    fn roles(&self) -> [&[usize]; 3] {
        [
            self.source.as_deref().unwrap_or(&[]),
            &self.cue,
            &self.content,
        ]
    }
}

/// Whether `p` matches gold `g` partially, and how well (Dice over all roles' tokens).
fn partial(g: &Prepared, p: &Prepared) -> Option<f64> {
    let sources = match (&g.source, &p.source) {
        (None, None) => true,
        (Some(a), Some(b)) => shared(a, b) > 0,
        _ => false,
    };
    let content_shared = shared(&g.content, &p.content);
    let content = if g.content.is_empty() {
        g.exact.2 == p.exact.2
    } else {
        2 * content_shared >= g.content.len()
    };
    if !(sources && content && shared(&g.cue, &p.cue) > 0) {
        return None;
    }
    let (mut both, mut total) = (0, 0);
    for (a, b) in g.roles().into_iter().zip(p.roles()) {
        both += shared(a, b);
        total += a.len() + b.len();
    }
    Some(2.0 * both as f64 / total.max(1) as f64)
}

/// Gold index → prediction index, one to one, greedily by descending score (ties in gold,
/// then prediction order).
fn assign(
    mut candidates: Vec<(f64, usize, usize)>,
    gold: usize,
    predicted: usize,
) -> Vec<Option<usize>> {
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut of_gold = vec![None; gold];
    let mut taken = vec![false; predicted];
    for (_, g, p) in candidates {
        if of_gold[g].is_none() && !taken[p] {
            of_gold[g] = Some(p);
            taken[p] = true;
        }
    }
    of_gold
}

fn score_document(doc: &DocPair<'_>, scores: &mut PolnearScores) {
    let tokens = DocTokens::new(doc.text);
    let quotes = Quotes::find(doc.text);
    let prepare = |rs: &[Attribution]| -> Vec<Prepared> {
        rs.iter()
            .map(|r| Prepared::new(r, doc.text, &tokens, &quotes))
            .collect()
    };
    let gold = prepare(doc.gold);
    let predicted = prepare(doc.predicted);

    // Exact: candidates are the predictions with the same trimmed spans.
    let mut by_key: HashMap<&ExactKey, Vec<usize>> = HashMap::new();
    for (i, g) in gold.iter().enumerate() {
        by_key.entry(&g.exact).or_default().push(i);
    }
    let exact: Vec<(f64, usize, usize)> = predicted
        .iter()
        .enumerate()
        .flat_map(|(p, pr)| {
            by_key
                .get(&pr.exact)
                .into_iter()
                .flatten()
                .map(move |&g| (1.0, g, p))
        })
        .collect();
    let exact = assign(exact, gold.len(), predicted.len());

    // Partial: candidates share a cue token (found through an index, not all pairs).
    let mut by_cue_token: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, g) in gold.iter().enumerate() {
        for &t in &g.cue {
            by_cue_token.entry(t).or_default().push(i);
        }
    }
    let mut candidates = Vec::new();
    for (p, pr) in predicted.iter().enumerate() {
        let mut golds: Vec<usize> = pr
            .cue
            .iter()
            .filter_map(|t| by_cue_token.get(t))
            .flatten()
            .copied()
            .collect();
        golds.sort_unstable();
        golds.dedup();
        candidates.extend(
            golds
                .into_iter()
                .filter_map(|g| partial(&gold[g], pr).map(|s| (s, g, p))),
        );
    }
    let partial = assign(candidates, gold.len(), predicted.len());

    count_matches(&exact, &gold, &predicted, scores, |b| &mut b.exact);
    count_matches(&partial, &gold, &predicted, scores, |b| &mut b.partial);
    for role in 0..3 {
        count_tokens(&gold, &predicted, role, scores);
    }
}

/// Adds one document's relation matches to a measure, overall and by kind.
fn count_matches(
    of_gold: &[Option<usize>],
    gold: &[Prepared],
    predicted: &[Prepared],
    scores: &mut PolnearScores,
    measure: impl Fn(&mut Breakdown) -> &mut Score,
) {
    let mut matched_predictions = vec![false; predicted.len()];
    for (g, m) in gold.iter().zip(of_gold) {
        if let Some(p) = m {
            matched_predictions[*p] = true;
        }
        for b in [&mut scores.all, &mut scores.by_kind[g.kind as usize]] {
            let s = measure(b);
            s.gold += 1;
            s.gold_found += usize::from(m.is_some());
        }
    }
    for (p, &hit) in predicted.iter().zip(&matched_predictions) {
        for b in [&mut scores.all, &mut scores.by_kind[p.kind as usize]] {
            let s = measure(b);
            s.predicted += 1;
            s.predicted_correct += usize::from(hit);
        }
    }
}

/// Adds one document's token sets of one role (0 source, 1 cue, 2 content).
fn count_tokens(
    gold: &[Prepared],
    predicted: &[Prepared],
    role: usize,
    scores: &mut PolnearScores,
) {
    let set = |rs: &[Prepared], kind: Option<QuoteKind>| -> Vec<usize> {
        let mut out: Vec<usize> = rs
            .iter()
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .flat_map(|r| r.roles()[role].iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    fn measure(b: &mut Breakdown, role: usize) -> &mut Score {
        match role {
            0 => &mut b.source,
            1 => &mut b.cue,
            _ => &mut b.content,
        }
    }
    let (all_gold, all_predicted) = (set(gold, None), set(predicted, None));
    let s = measure(&mut scores.all, role);
    let both = shared(&all_gold, &all_predicted);
    s.gold += all_gold.len();
    s.predicted += all_predicted.len();
    s.gold_found += both;
    s.predicted_correct += both;
    for kind in QuoteKind::ALL {
        let (g, p) = (set(gold, Some(kind)), set(predicted, Some(kind)));
        let s = measure(&mut scores.by_kind[kind as usize], role);
        s.gold += g.len();
        s.gold_found += shared(&g, &all_predicted);
        s.predicted += p.len();
        s.predicted_correct += shared(&p, &all_gold);
    }
}

#[cfg(test)]
mod tests;
