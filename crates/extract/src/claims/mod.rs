//! Claims: an attribution described for an analyst.
//!
//! The trained extractor finds attributions as spans: a source (maybe none), a cue and a
//! content (maybe in pieces around an inserted cue). [`ClaimLayer::describe`] turns each into
//! a [`ClaimDraft`] on the document's [`Analysis`]:
//! - the source: kind, named or anonymous, the anonymity cue the text gives, its actor
//!   ([`source`]), and the earlier claim whose source it repeats ([`coref`]);
//! - the stance: assert, deny or hedge ([`stance`]);
//! - direct, indirect or mixed: by the quoted stretches ([`sitrep_nlp::quotes`]);
//! - the recipient: the object of a cue such as "told" ("told AFP");
//! - the time of the statement: a time word hanging from the cue ("said Friday"), as a span
//!   for the caller to match with its times;
//! - a confidence in [0, 1] and the reasons for each decision (`why`).
//!
//! Everything is rule-based on the parse and the lists in `data/claims/` (each rule in its
//! module's documentation), so every field can be traced to a rule or a list entry.

mod assemble;
mod coref;
pub(crate) mod doc;
pub mod lexicon;
pub mod source;
mod stance;

use std::ops::Range;

use sitrep_model::{Actor, Directness, SourceKind, Stance};
use sitrep_nlp::quotes::{QuoteKind, Quotes};
use sitrep_nlp::{Analysis, Gazetteer};

use doc::Doc;
use lexicon::Lexicon;

/// An attribution as found in the text: byte spans of the analysed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub source: Option<Range<usize>>,
    pub cue: Range<usize>,
    /// The content, in pieces when a cue or an aside cuts it.
    pub content: Vec<Range<usize>>,
    /// How sure the extractor is, in [0, 1].
    pub confidence: f32,
    /// Why the extractor found it (pattern, model decision).
    pub why: String,
}

/// Whatever finds attributions in an analysed text: the trained extractor.
pub trait FindAttributions: Send + Sync + std::fmt::Debug {
    /// The attributions of `text` (analysed as `analysis`), in text order.
    fn find(&self, text: &str, analysis: &Analysis) -> Vec<Found>;
}

/// A claim's source, described.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDraft {
    pub span: Range<usize>,
    pub kind: SourceKind,
    pub anonymous: bool,
    pub anonymity_cue: Option<String>,
    pub actor: Option<Actor>,
    /// Index (in the drafts) of the earliest claim whose source this one repeats.
    pub same_as: Option<usize>,
}

/// A claim, described, in byte spans of the analysed text.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimDraft {
    /// The sentence of the cue (index into the analysis's sentences).
    pub sentence: usize,
    pub source: Option<SourceDraft>,
    pub cue: Range<usize>,
    /// The cue's head lemma ("say", "deny", "accord to").
    pub cue_lemma: String,
    pub content: Vec<Range<usize>>,
    pub direct: Directness,
    pub stance: Stance,
    pub recipient: Option<Range<usize>>,
    /// A time word hanging from the cue ("said Friday").
    pub time: Option<Range<usize>>,
    pub confidence: f32,
    pub why: Vec<String>,
    /// The content's lemmas of nouns, verbs, adjectives and numbers (see [`content_terms`]).
    pub terms: Vec<String>,
    /// What the content names (see [`content_anchors`]).
    pub anchors: Vec<String>,
}

impl ClaimDraft {
    /// The span from the content's first piece to its last.
    pub fn content_cover(&self) -> Range<usize> {
        let start = self.content.first().map_or(0, |r| r.start);
        let end = self.content.last().map_or(start, |r| r.end);
        start..end
    }
}

/// The claims layer: the lexicon and, when loaded, the gazetteer (countries, nationalities).
#[derive(Debug, Clone)]
pub struct ClaimLayer {
    lexicon: Lexicon,
    gazetteer: Option<std::sync::Arc<Gazetteer>>,
}

impl ClaimLayer {
    pub fn new(gazetteer: Option<std::sync::Arc<Gazetteer>>) -> ClaimLayer {
        ClaimLayer {
            lexicon: Lexicon::embedded(),
            gazetteer,
        }
    }

    /// Describes every attribution found in `text` (analysed, with its parse, as
    /// `analysis`), in the order given (text order expected: `same_as` looks back).
    pub fn describe(&self, text: &str, analysis: &Analysis, found: &[Found]) -> Vec<ClaimDraft> {
        if !analysis.is_parsed() {
            return Vec::new();
        }
        let doc = Doc::new(text, analysis);
        let found = &assemble::assemble(&doc, &self.lexicon, found);
        let quotes = Quotes::find(text);
        let gazetteer = self.gazetteer.as_deref();
        let mut drafts = Vec::with_capacity(found.len());
        let mut document_names: Option<Vec<String>> = None;
        let mut facts = Vec::with_capacity(found.len());
        for f in found {
            let cue_tokens = doc.tokens_in(&f.cue);
            let cue_head = doc.head_within(&cue_tokens);
            let anchor = cue_head.unwrap_or(cue_tokens.start.min(doc.len().saturating_sub(1)));
            let sentence_tokens = doc.sentence_tokens(anchor);
            let mut why = vec![f.why.clone()];
            let source_facts = f.source.as_ref().map(|span| {
                source::describe(&doc, &self.lexicon, gazetteer, span, &sentence_tokens)
            });
            if let Some(s) = &source_facts {
                why.extend(s.why.iter().cloned());
            }
            let (stance, reason) = stance::stance(&doc, &self.lexicon, cue_head, &f.content);
            why.push(format!("stance {}: {reason}", stance.name()));
            let direct = directness(&doc, &quotes, &f.content);
            let recipient = cue_head.and_then(|c| self.recipient(&doc, c));
            let time = cue_head.and_then(|c| time_word(&doc, c));
            let question = is_question(&doc, cue_head, &f.content);
            let clause = f.content.iter().any(|piece| {
                doc.tokens_in(piece)
                    .any(|t| matches!(doc.upos(t), "VERB" | "AUX"))
            });
            if question {
                why.push(
                    "a question, not a statement: it takes no position on a proposition"
                        .to_string(),
                );
            } else if !clause {
                why.push(
                    "no clause in the content (\"citing three sources\"): it takes no position on a proposition"
                        .to_string(),
                );
            }
            drafts.push(ClaimDraft {
                sentence: analysis.sentence_of(anchor),
                source: None,
                cue: cue_word(&doc, &cue_tokens, cue_head).unwrap_or_else(|| f.cue.clone()),
                cue_lemma: cue_lemma(&doc, &cue_tokens, cue_head),
                content: f.content.clone(),
                direct,
                stance,
                recipient,
                time,
                confidence: f.confidence.clamp(0.0, 1.0),
                why,
                terms: if question || !clause {
                    Vec::new()
                } else {
                    content_terms(&doc, &f.content)
                },
                anchors: content_anchors(&doc, &f.content, &mut document_names),
            });
            facts.push(source_facts);
        }
        let refs: Vec<Option<&source::SourceFacts>> = facts.iter().map(Option::as_ref).collect();
        let same_as = coref::resolve(&doc, &refs);
        for (i, f) in found.iter().enumerate() {
            let (Some(span), Some(facts_i)) = (&f.source, &facts[i]) else {
                continue;
            };
            let mut source = SourceDraft {
                span: span.clone(),
                kind: facts_i.kind,
                anonymous: facts_i.anonymous,
                anonymity_cue: facts_i.anonymity_cue.clone(),
                actor: facts_i.actor.clone(),
                same_as: same_as[i],
            };
            if let Some(j) = same_as[i]
                && let Some(antecedent) = &facts[j]
            {
                if facts_i.pronoun || source.kind == SourceKind::Unknown {
                    source.kind = antecedent.kind;
                }
                source.anonymous = antecedent.anonymous;
                if source.anonymity_cue.is_none() {
                    source.anonymity_cue = antecedent.anonymity_cue.clone();
                }
                if source.actor.is_none() {
                    source.actor = antecedent.actor.clone();
                }
                let text = &text[found[j].source.clone().unwrap_or_default()];
                drafts[i]
                    .why
                    .push(format!("the source repeats \"{text}\" of an earlier claim"));
            }
            drafts[i].source = Some(source);
        }
        drafts
    }

    /// The one spoken to: the object of a cue like "told" ("told AFP"), or "to" after "said"
    /// ("said to reporters").
    fn recipient(&self, doc: &Doc<'_>, cue: usize) -> Option<Range<usize>> {
        let lemma = doc.lemma_lower(cue);
        let telling = self.lexicon.recipient_cues.contains(lemma.as_str());
        let child = doc.children(cue).iter().copied().find(|&c| {
            let rel = doc.deprel(c);
            let nominal = matches!(doc.upos(c), "NOUN" | "PROPN" | "PRON");
            nominal
                && ((telling && matches!(rel, "obj" | "iobj"))
                    || (rel == "obl"
                        && doc
                            .children(c)
                            .iter()
                            .any(|&g| doc.deprel(g) == "case" && doc.lower(g) == "to")))
        })?;
        let span = doc.span(child);
        // The noun with its determiners and compounds before it ("the BBC", "state media").
        let start = doc
            .children(child)
            .iter()
            .copied()
            .filter(|&g| g < child && matches!(doc.deprel(g), "det" | "compound" | "amod"))
            .map(|g| doc.span(g).start)
            .min()
            .unwrap_or(span.start);
        Some(start..span.end)
    }
}

/// A time word that dates the statement: a temporal dependent of the cue ("said Friday",
/// "said on Tuesday").
fn time_word(doc: &Doc<'_>, cue: usize) -> Option<Range<usize>> {
    doc.children(cue)
        .iter()
        .copied()
        .find(|&c| {
            let rel = doc.deprel(c);
            // Parsers attach "Friday" in "said Friday" as a temporal modifier, an oblique or
            // even an object: the word decides.
            rel.ends_with(":tmod") || (!rel.starts_with("nsubj") && is_day_word(doc, c))
        })
        .map(|c| doc.span(c))
}

fn is_day_word(doc: &Doc<'_>, token: usize) -> bool {
    matches!(
        doc.lemma_lower(token).as_str(),
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "today"
            | "yesterday"
            | "week"
            | "month"
            | "year"
    )
}

/// Lemmas that are never what a content is about: auxiliaries and verbs of saying.
const LIGHT_LEMMAS: [&str; 8] = ["be", "have", "do", "say", "get", "will", "would", "can"];

/// The cue as a reader names it: its verb alone when the rest of the span only qualifies
/// it ("has previously said" is "said"); a negation keeps the whole span ("did not say").
fn cue_word(doc: &Doc<'_>, tokens: &Range<usize>, head: Option<usize>) -> Option<Range<usize>> {
    let head = head?;
    if tokens.len() < 2 || doc.upos(head) != "VERB" {
        return None;
    }
    let qualifies = |t: usize| {
        t == head
            || (matches!(doc.deprel(t), "aux" | "aux:pass" | "advmod")
                && !matches!(doc.lower(t).as_str(), "not" | "n't" | "never" | "no"))
    };
    tokens.clone().all(qualifies).then(|| doc.span(head))
}

/// The content's terms: the lower-case lemmas of its nouns, proper nouns, verbs, adjectives
/// and numbers, light verbs aside, each once, in text order.
/// Cues that ask rather than state.
const ASKING: &[&str] = &["ask", "wonder", "inquire", "enquire", "query", "question"];

/// A question ("asked whether the men belonged to ...", "asked: 'Who pays them?'"): a cue that
/// asks, before a content opening with "whether", "if" or a question word, or ending with a
/// question mark.
fn is_question(doc: &Doc<'_>, cue: Option<usize>, content: &[Range<usize>]) -> bool {
    let Some(cue) = cue else { return false };
    if !ASKING.contains(&doc.lemma_lower(cue).as_str()) {
        return false;
    }
    let (Some(first), Some(last)) = (content.first(), content.last()) else {
        return false;
    };
    let opening = doc
        .tokens_in(first)
        .find(|&t| doc.word(t).chars().any(char::is_alphanumeric))
        .map(|t| doc.lower(t));
    matches!(
        opening.as_deref(),
        Some("whether" | "if" | "who" | "what" | "when" | "where" | "why" | "how" | "which")
    ) || doc.text[last.clone()]
        .trim_end_matches(['"', '”', '’', '\'', ' '])
        .ends_with('?')
}

fn content_terms(doc: &Doc<'_>, content: &[Range<usize>]) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for t in content.iter().flat_map(|piece| doc.tokens_in(piece)) {
        if !matches!(doc.upos(t), "NOUN" | "PROPN" | "VERB" | "ADJ" | "NUM") {
            continue;
        }
        let lemma = doc.lemma_lower(t);
        if LIGHT_LEMMAS.contains(&lemma.as_str()) || !lemma.chars().any(char::is_alphanumeric) {
            continue;
        }
        if !terms.contains(&lemma) {
            terms.push(lemma);
        }
    }
    terms
}

/// Whether token `t` names something: a proper noun, or an adjective written with a capital
/// inside its sentence ("Russian", "Malian").
fn names(doc: &Doc<'_>, t: usize) -> bool {
    match doc.upos(t) {
        "PROPN" => doc.word(t).chars().any(char::is_alphabetic),
        "ADJ" => doc.word(t).starts_with(char::is_uppercase) && doc.sentence_tokens(t).start != t,
        _ => false,
    }
}

/// How many names the document gives a content that names nothing.
const DOCUMENT_ANCHORS: usize = 3;

/// The content's anchors: the lower-case lemmas of the names in it, each once. A content
/// that names nothing ("that any mercenaries had deployed to the country") is about what
/// its document is about: the [`DOCUMENT_ANCHORS`] names the document uses most (computed
/// once, into `document_names`).
fn content_anchors(
    doc: &Doc<'_>,
    content: &[Range<usize>],
    document_names: &mut Option<Vec<String>>,
) -> Vec<String> {
    let mut anchors: Vec<String> = Vec::new();
    for t in content.iter().flat_map(|piece| doc.tokens_in(piece)) {
        if names(doc, t) {
            let lemma = doc.lemma_lower(t);
            if !anchors.contains(&lemma) {
                anchors.push(lemma);
            }
        }
    }
    if anchors.is_empty() {
        anchors = document_names
            .get_or_insert_with(|| most_named(doc, DOCUMENT_ANCHORS))
            .clone();
    }
    anchors
}

/// The `k` names a document uses most (proper nouns only; ties to the earlier).
fn most_named(doc: &Doc<'_>, k: usize) -> Vec<String> {
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for t in 0..doc.len() {
        if doc.upos(t) != "PROPN" || !names(doc, t) {
            continue;
        }
        let lemma = doc.lemma_lower(t);
        match counts.iter_mut().find(|(l, _, _)| *l == lemma) {
            Some((_, n, _)) => *n += 1,
            None => counts.push((lemma, 1, t)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts.into_iter().take(k).map(|(l, _, _)| l).collect()
}

/// The cue's lemma: the head's lemma, or the lemmas of a short cue ("accord to").
fn cue_lemma(doc: &Doc<'_>, tokens: &Range<usize>, head: Option<usize>) -> String {
    if tokens.len() <= 3 && tokens.len() > 1 {
        let lemmas: Vec<String> = tokens.clone().map(|t| doc.lemma_lower(t)).collect();
        return lemmas.join(" ");
    }
    head.map(|h| doc.lemma_lower(h)).unwrap_or_default()
}

fn directness(doc: &Doc<'_>, quotes: &Quotes, content: &[Range<usize>]) -> Directness {
    let starts = content.iter().flat_map(|piece| {
        doc.tokens_in(piece)
            .filter(|&t| doc.word(t).chars().any(char::is_alphanumeric))
            .map(|t| doc.span(t).start)
    });
    match quotes.kind(starts) {
        QuoteKind::Direct => Directness::Direct,
        QuoteKind::Mixed => Directness::Mixed,
        QuoteKind::Indirect => Directness::Indirect,
    }
}

#[cfg(test)]
mod tests;
