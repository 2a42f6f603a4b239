//! Later mentions of one source within a document: "he", "the officer", "Mr. Keita".
//!
//! A claim's source repeats an earlier claim's source (`same_as`, the earliest claim of the
//! chain) when, looking back from the nearest earlier claim:
//! - it is a personal pronoun, and the earlier source is not a pronoun and agrees in number
//!   ("he", "she": one person or official; "they": a plural, a group, an institution or a
//!   government);
//! - it is a definite description ("the officer", "The Western security official") whose
//!   head noun is the earlier source's head noun (lemma); "one of the officers" is a new
//!   mention, not a repeat;
//! - it is a name whose last word is the last word of an earlier named source ("Keita",
//!   "Mr. Keita" after "Ibrahim Boubacar Keita").
//!
//! The repeat takes the earlier source's kind, anonymity and actor when it has none of its
//! own.

use super::doc::Doc;
use super::source::SourceFacts;

/// How many earlier sources a pronoun or a definite description looks back over: a repeat
/// is near its antecedent, and the bound keeps a document of thousands of quotes linear.
const LOOK_BACK: usize = 64;

/// For each source (in document order), the index of the earliest source it repeats.
pub fn resolve(doc: &Doc<'_>, sources: &[Option<&SourceFacts>]) -> Vec<Option<usize>> {
    let mut same_as: Vec<Option<usize>> = vec![None; sources.len()];
    let marks = Marks::of(doc, sources);
    // The latest named source by its head word (a name is looked up, not searched for).
    let mut named: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for i in 0..sources.len() {
        let Some(facts) = sources[i] else { continue };
        let Some(head) = facts.head else { continue };
        let found = if facts.pronoun && another_subject_between(doc, head, &marks) {
            None
        } else if facts.pronoun
            || !facts.partitive && is_definite(doc, head) && doc.upos(head) == "NOUN"
        {
            (i.saturating_sub(LOOK_BACK)..i).rev().find(|&j| {
                let Some(earlier) = sources[j] else {
                    return false;
                };
                let Some(earlier_head) = earlier.head else {
                    return false;
                };
                if earlier.pronoun {
                    return false;
                }
                if facts.pronoun {
                    return agrees(doc, head, earlier, earlier_head);
                }
                doc.lemma_lower(head) == doc.lemma_lower(earlier_head)
                    && modifiers_in(doc, facts, earlier)
            })
        } else if facts.named && doc.upos(head) == "PROPN" {
            named.get(&doc.lower(head)).copied()
        } else {
            None
        };
        same_as[i] = found.map(|j| same_as[j].unwrap_or(j));
        if facts.named && !facts.pronoun {
            named.insert(doc.lower(head), i);
        }
    }
    same_as
}

/// Whether a main clause's subject that is no claim's source, and that the pronoun at
/// `pronoun` could stand for, comes between it and the start of the sentence before: "Ostrelia's Interior
/// Ministry gave a different account. It said ..." — "It" is that ministry, not the source of
/// an earlier claim. Only that far back, so that the look is linear in the document.
fn another_subject_between(doc: &Doc<'_>, pronoun: usize, marks: &Marks) -> bool {
    let sentence = doc.analysis.sentence_of(pronoun);
    let from = doc.analysis.sentences()[sentence.saturating_sub(1)]
        .tokens
        .start;
    let plural = |t: usize| {
        doc.analysis
            .word(t)
            .is_some_and(|w| matches!(w.xpos, "NNS" | "NNPS"))
    };
    let word = doc.lower(pronoun);
    (from..pronoun).any(|t| {
        matches!(doc.deprel(t), "nsubj" | "nsubj:pass")
            && matches!(doc.upos(t), "NOUN" | "PROPN")
            && doc.head(t).is_some_and(|v| main_clause(doc, v))
            && !marks.in_source[t]
            && match word.as_str() {
                "it" => !plural(t) && !marks.person[t],
                "he" | "she" | "him" | "her" => marks.person[t],
                "they" | "them" => plural(t),
                _ => false,
            }
    })
}

/// A sentence's main verb or one coordinated with it: not a clause inside what someone said.
fn main_clause(doc: &Doc<'_>, verb: usize) -> bool {
    match doc.deprel(verb) {
        "root" => true,
        "conj" => doc.head(verb).is_some_and(|h| doc.deprel(h) == "root"),
        _ => false,
    }
}

/// Per token: whether it is in a claim's source, and in a person's name.
struct Marks {
    in_source: Vec<bool>,
    person: Vec<bool>,
}

impl Marks {
    fn of(doc: &Doc<'_>, sources: &[Option<&SourceFacts>]) -> Marks {
        let mut in_source = vec![false; doc.len()];
        for s in sources.iter().flatten() {
            for t in s.tokens.clone() {
                in_source[t] = true;
            }
        }
        let mut person = vec![false; doc.len()];
        for m in doc.analysis.mentions() {
            if m.label == sitrep_nlp::EntityLabel::Per {
                for t in m.tokens.clone() {
                    person[t] = true;
                }
            }
        }
        Marks { in_source, person }
    }
}

/// "the officer": the head noun has a definite determiner.
/// Whether every word that narrows a definite description ("The *Western security*
/// official") is in the earlier phrase: "the Western security official" repeats "a Western
/// security official", not "a Malian elected official" mentioned since.
fn modifiers_in(doc: &Doc<'_>, facts: &SourceFacts, earlier: &SourceFacts) -> bool {
    let Some(head) = facts.head else {
        return true;
    };
    let earlier_words: Vec<String> = earlier.tokens.clone().map(|t| doc.lower(t)).collect();
    (facts.tokens.start..head)
        .filter(|&t| !matches!(doc.upos(t), "DET" | "PUNCT" | "PRON"))
        .all(|t| earlier_words.contains(&doc.lower(t)))
}

fn is_definite(doc: &Doc<'_>, head: usize) -> bool {
    doc.children(head).iter().any(|&c| {
        doc.deprel(c) == "det" && matches!(doc.lower(c).as_str(), "the" | "this" | "that")
    })
}

/// Number agreement of a pronoun with an earlier source's head.
fn agrees(doc: &Doc<'_>, pronoun: usize, earlier: &SourceFacts, earlier_head: usize) -> bool {
    use sitrep_model::SourceKind::*;
    let plural_head = doc
        .analysis
        .word(earlier_head)
        .is_some_and(|w| matches!(w.xpos, "NNS" | "NNPS"));
    match doc.lower(pronoun).as_str() {
        "he" | "she" | "him" | "her" | "i" => {
            !plural_head && matches!(earlier.kind, Person | Official | Unknown)
        }
        "they" | "them" | "we" | "us" => {
            plural_head || matches!(earlier.kind, Government | Institution | Group | Media)
        }
        "it" => {
            !plural_head
                && matches!(
                    earlier.kind,
                    Government | Institution | Group | Media | Document
                )
        }
        _ => false,
    }
}
