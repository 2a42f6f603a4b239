//! What a source does with its content: asserts it, denies it, or hedges it.
//!
//! In order (the first rule that applies):
//! - **deny**: the cue is a denial ("denied", "rejected", `deny_cues.txt`), or the content's
//!   main predicate is negated ("said there was no ...", "said it had not ...": a negation of
//!   `negations.txt` among its dependents). A denial keeps the denied content as its content.
//! - **hedge**: the cue presents the content as uncertain ("suggested", `hedge_cues.txt`),
//!   the cue is itself negated ("did not confirm"), or the content holds a hedging word
//!   ("may", "reportedly", "is believed to", `hedge_words.txt`).
//! - **assert** otherwise.

use std::ops::Range;

use sitrep_model::Stance;

use super::doc::Doc;
use super::lexicon::Lexicon;

/// The stance, with the reason.
pub fn stance(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    cue_head: Option<usize>,
    content: &[Range<usize>],
) -> (Stance, String) {
    let cue_lemma = cue_head.map(|c| doc.lemma_lower(c)).unwrap_or_default();
    if lexicon.deny_cues.contains(cue_lemma.as_str()) {
        return (Stance::Deny, format!("the cue \"{cue_lemma}\" denies"));
    }
    let content_tokens: Vec<usize> = content
        .iter()
        .flat_map(|piece| doc.tokens_in(piece))
        .collect();
    let negated = |t: usize| {
        doc.children(t).iter().copied().find(|&c| {
            let lower = doc.lower(c);
            lexicon.negations.contains(lower.as_str())
                && matches!(doc.deprel(c), "advmod" | "det" | "neg" | "cc:preconj")
        })
    };
    if let Some(head) = content_head(doc, &content_tokens)
        && let Some(neg) = negated(head)
            .or_else(|| {
                // "no mercenaries were deployed": the negation sits on the subject.
                doc.children(head)
                    .iter()
                    .copied()
                    .filter(|&c| doc.deprel(c).starts_with("nsubj"))
                    .find_map(negated)
            })
            .filter(|n| content_tokens.contains(n))
    {
        return (
            Stance::Deny,
            format!(
                "the content's predicate \"{}\" is negated by \"{}\"",
                doc.word(head),
                doc.word(neg)
            ),
        );
    }
    if lexicon.hedge_cues.contains(cue_lemma.as_str()) {
        return (Stance::Hedge, format!("the cue \"{cue_lemma}\" hedges"));
    }
    if let Some(cue) = cue_head
        && let Some(neg) = negated(cue)
    {
        return (
            Stance::Hedge,
            format!("the cue is negated by \"{}\"", doc.word(neg)),
        );
    }
    if let Some(t) = content_tokens.iter().copied().find(|&t| {
        let lemma = doc.lemma_lower(t);
        lexicon.hedge_words.contains(lemma.as_str())
            || lexicon.hedge_words.contains(doc.lower(t).as_str())
    }) {
        return (
            Stance::Hedge,
            format!("the content is hedged by \"{}\"", doc.word(t)),
        );
    }
    (Stance::Assert, "no denial or hedge".to_string())
}

/// The content's main predicate: the token of the content whose head lies outside it and
/// has the most of the content below it.
fn content_head(doc: &Doc<'_>, tokens: &[usize]) -> Option<usize> {
    let (first, last) = (*tokens.first()?, *tokens.last()?);
    doc.head_within(&(first..last + 1))
}
