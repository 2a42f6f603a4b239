//! Finding relations in a document: the cue model (the role tags restricted to cues) tags
//! every paragraph (one Viterbi sequence each); each cue it finds is then linked by the
//! linking model to its source and content in a window around it (so a content may run over
//! sentences); a cue with no content is dropped, and so is a cue inside another relation's
//! content. Each relation gets a confidence from both models' posteriors and a `why` naming
//! the decisions and the tree paths that link source and content to the cue.

use std::cell::RefCell;
use std::ops::Range;

use sitrep_nlp::Analysis;
use sitrep_nlp::perceptron::FeatureSet;

use super::doc::Doc;
use super::features::token_features;
use super::lexicon::Lexicon;
use super::linking::{CueContext, link_features};
use super::model::Attributions;
use super::seq::SeqScratch;
use super::tags::{CueTag, Link};
use crate::claims::{FindAttributions, Found};

/// One relation found in a text: byte spans (each role as pieces in text order), the cue's
/// head token and lemma, the source's head token, a confidence in [0, 1] and why.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundAttribution {
    /// The source's pieces; `None` when the model found none (a passive, "it is said").
    pub source: Option<Vec<Range<usize>>>,
    pub cue: Vec<Range<usize>>,
    pub content: Vec<Range<usize>>,
    /// Token indices (into the `Analysis`) of each role.
    pub source_tokens: Vec<usize>,
    pub cue_tokens: Vec<usize>,
    pub content_tokens: Vec<usize>,
    /// The cue's head token (the token of the cue the parse attaches outside it).
    pub cue_head: usize,
    /// The cue's lemmas, joined by a space ("say", "accord to").
    pub cue_lemma: String,
    pub source_head: Option<usize>,
    pub confidence: f32,
    /// The decisions behind the relation, in words.
    pub why: String,
}

/// Per-thread buffers.
#[derive(Default)]
struct Scratch {
    feats: FeatureSet,
    roles: SeqScratch,
    links: SeqScratch,
    cue_starts: Vec<bool>,
    role_path: Vec<u8>,
    role_scores: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Attributions {
    /// The relations in `text`, given its analysis (which should include the parse: without
    /// one the models see words and quotation only and find far less).
    pub fn find_relations(&self, text: &str, analysis: &Analysis) -> Vec<FoundAttribution> {
        self.find_in(&Doc::new(text, analysis, &self.lexicon))
    }

    /// The relations in a prepared document.
    pub fn find_in(&self, doc: &Doc<'_>) -> Vec<FoundAttribution> {
        SCRATCH.with(|s| self.find_with(doc, &mut s.borrow_mut()))
    }

    /// Links given cues (each sorted token indices) to their sources and contents: the
    /// second half of [`Attributions::find_in`], for cues found otherwise (tests, oracle
    /// measurements). Their cue confidence is 1.
    pub fn link_cues(&self, doc: &Doc<'_>, cues: &[Vec<usize>]) -> Vec<FoundAttribution> {
        SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            s.cue_starts.clear();
            s.cue_starts.resize(doc.len(), false);
            for c in cues {
                s.cue_starts[c[0]] = true;
            }
            cues.iter()
                .filter_map(|cue| {
                    let cx = CueContext::new(doc, cue, &s.cue_starts);
                    self.link(doc, &cx, 1.0, s)
                })
                .collect()
        })
    }

    /// The cue model's tags of every token of `doc`.
    pub fn cue_tags(&self, doc: &Doc<'_>) -> Vec<CueTag> {
        SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            self.tag_roles(doc, s);
            s.role_path
                .iter()
                .map(|&t| CueTag::from_index(usize::from(t)))
                .collect()
        })
    }

    /// Tags every token, paragraph by paragraph (one Viterbi sequence each), into
    /// `s.role_path`, and keeps every token's role scores in `s.role_scores`.
    fn tag_roles(&self, doc: &Doc<'_>, s: &mut Scratch) {
        s.role_path.clear();
        s.role_scores.clear();
        for para in doc.paragraphs() {
            s.roles.scores.clear();
            for i in para {
                s.feats.clear();
                token_features(doc, i, &mut s.feats);
                self.roles.push_scores(&s.feats.keys, &mut s.roles);
            }
            self.roles.decode(&mut s.roles);
            s.role_path.extend_from_slice(&s.roles.path);
            s.role_scores.extend_from_slice(&s.roles.scores);
        }
    }

    fn find_with(&self, doc: &Doc<'_>, s: &mut Scratch) -> Vec<FoundAttribution> {
        if doc.is_empty() {
            return Vec::new();
        }
        self.tag_roles(doc, s);
        let cues = cue_spans(&s.role_path);
        s.cue_starts.clear();
        s.cue_starts.resize(doc.len(), false);
        for c in &cues {
            s.cue_starts[c[0]] = true;
        }
        let mut out = Vec::with_capacity(cues.len());
        for cue in cues {
            let cue_confidence = self.cue_confidence(&cue, &s.role_scores);
            let cx = CueContext::new(doc, &cue, &s.cue_starts);
            if let Some(found) = self.link(doc, &cx, cue_confidence, s) {
                out.push(found);
            }
        }
        drop_nested(&mut out);
        out
    }

    /// The mean over the cue's tokens of the cue model's local probability that the token
    /// is a cue (its emission scores through a softmax at the role temperature).
    fn cue_confidence(&self, cue: &[usize], scores: &[f32]) -> f32 {
        let n = CueTag::COUNT;
        let t = self.temperature[0];
        let mut sum = 0.0;
        for &i in cue {
            let row = &scores[i * n..(i + 1) * n];
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let exps: Vec<f32> = row.iter().map(|&v| ((v - max) / t).exp()).collect();
            let total: f32 = exps.iter().sum();
            sum += (total - exps[CueTag::Out as usize]) / total;
        }
        sum / cue.len() as f32
    }

    /// Links one cue to its source and content; `None` when the content is empty.
    fn link(
        &self,
        doc: &Doc<'_>,
        cx: &CueContext,
        cue_confidence: f32,
        s: &mut Scratch,
    ) -> Option<FoundAttribution> {
        let n = Link::COUNT;
        s.links.scores.clear();
        for i in cx.window.clone() {
            if cx.cue.contains(&i) {
                s.links
                    .scores
                    .extend([0.0, f32::NEG_INFINITY, f32::NEG_INFINITY]);
                continue;
            }
            s.feats.clear();
            link_features(doc, cx, i, &mut s.feats);
            self.links.push_scores(&s.feats.keys, &mut s.links);
        }
        self.links.decode(&mut s.links);
        let w = cx.window.start;
        let tokens_of = |tag: Link| -> Vec<usize> {
            s.links
                .path
                .iter()
                .enumerate()
                .filter(|&(_, &t)| t == tag as u8)
                .map(|(k, _)| w + k)
                .collect()
        };
        let content = tokens_of(Link::Content);
        if content.is_empty() {
            return None;
        }
        let source = tokens_of(Link::Source);
        self.links.posteriors(self.temperature[1], &mut s.links);
        let post = &s.links.posteriors;
        let mean = |tokens: &[usize], tag: Link| -> f32 {
            tokens
                .iter()
                .map(|&t| post[(t - w) * n + tag as usize])
                .sum::<f32>()
                / tokens.len().max(1) as f32
        };
        let content_confidence = mean(&content, Link::Content);
        let source_confidence = if source.is_empty() {
            // No source: as sure as the least doubtful "not a source" in the window.
            1.0 - (0..cx.window.len())
                .map(|k| post[k * n + Link::Source as usize])
                .fold(0.0, f32::max)
        } else {
            mean(&source, Link::Source)
        };
        let confidence = (cue_confidence * content_confidence * source_confidence).clamp(0.0, 1.0);
        let source_head = (!source.is_empty()).then(|| group_head(doc, &source));
        let cue_lemma: Vec<&str> = cx
            .cue
            .iter()
            .map(|&t| doc.tokens[t].lemma.as_str())
            .collect();
        let why = explain(
            doc,
            cx,
            &source,
            &content,
            [cue_confidence, source_confidence, content_confidence],
        );
        Some(FoundAttribution {
            source: (!source.is_empty()).then(|| byte_pieces(doc, &source)),
            cue: byte_pieces(doc, &cx.cue),
            content: byte_pieces(doc, &content),
            cue_head: cx.head,
            cue_lemma: cue_lemma.join(" "),
            source_head,
            confidence,
            why,
            source_tokens: source,
            cue_tokens: cx.cue.clone(),
            content_tokens: content,
        })
    }
}

/// PolNeAR is univocal: a cue inside another relation's content is part of that content,
/// not a relation of its own, so a relation whose cue head lies in another's content is
/// dropped (the outer one kept). On PolNeAR dev: exact F1 0.434 → 0.437, partial 0.673 →
/// 0.676; keeping the more confident of the two instead scored the same.
fn drop_nested(out: &mut Vec<FoundAttribution>) {
    let mut keep = vec![true; out.len()];
    // Which relations' contents hold each cue head (only cue heads are asked about): one
    // pass over the contents, not one per pair.
    let mut holders: std::collections::HashMap<usize, Vec<usize>> =
        out.iter().map(|r| (r.cue_head, Vec::new())).collect();
    for (b, r) in out.iter().enumerate() {
        for t in &r.content_tokens {
            if let Some(list) = holders.get_mut(t) {
                list.push(b);
            }
        }
    }
    for a in 0..out.len() {
        // Two relations each inside the other's content: the earlier one goes.
        keep[a] = !holders[&out[a].cue_head].iter().any(|&b| b != a && keep[b]);
    }
    let mut i = 0;
    out.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// The cue spans of a cue tag path: each `Pre* Head Post*` run (a stray tag, which no legal
/// path has, makes a span of its own).
pub fn cue_spans(path: &[u8]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut prev = CueTag::Out;
    for (i, &t) in path.iter().enumerate() {
        let tag = CueTag::from_index(usize::from(t));
        let continues = match tag {
            CueTag::Out => {
                prev = tag;
                continue;
            }
            CueTag::Pre => prev == CueTag::Pre,
            CueTag::Head => prev == CueTag::Pre,
            CueTag::Post => matches!(prev, CueTag::Head | CueTag::Post),
        };
        match out.last_mut() {
            Some(last) if continues => last.push(i),
            _ => out.push(vec![i]),
        }
        prev = tag;
    }
    out
}

/// Byte spans of runs of consecutive tokens.
pub fn byte_pieces(doc: &Doc<'_>, tokens: &[usize]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut prev = usize::MAX;
    for &t in tokens {
        let span = doc.tokens[t].span.clone();
        match out.last_mut() {
            Some(last) if prev + 1 == t => last.end = span.end,
            _ => out.push(span),
        }
        prev = t;
    }
    out
}

/// The token of a group whose head lies outside it (the first such, else the first token).
pub fn group_head(doc: &Doc<'_>, tokens: &[usize]) -> usize {
    tokens
        .iter()
        .copied()
        .find(|&t| {
            doc.head(t)
                .is_none_or(|h| tokens.binary_search(&h).is_err())
        })
        .unwrap_or(tokens[0])
}

/// How a group of tokens hangs on the cue, in words: "nsubj of the cue", "the cue is
/// parataxis of its head", "2 sentences after".
fn relation_to_cue(doc: &Doc<'_>, cx: &CueContext, tokens: &[usize]) -> String {
    let g = group_head(doc, tokens);
    let (gs, cs) = (doc.tokens[g].sent, doc.tokens[cx.head].sent);
    if gs != cs {
        let d = i64::from(gs) - i64::from(cs);
        let (n, side) = if d > 0 { (d, "after") } else { (-d, "before") };
        return format!(
            "{n} sentence{} {side} the cue's",
            if n == 1 { "" } else { "s" }
        );
    }
    if doc.head(g) == Some(cx.head) {
        return format!("{} of the cue", doc.tokens[g].rel);
    }
    if doc.within(g, cx.head) {
        return format!("in the cue's subtree, under {}", doc.tokens[g].rel);
    }
    if doc.within(cx.head, g) {
        return format!(
            "above the cue (the cue is {} of it)",
            doc.tokens[cx.head].rel
        );
    }
    if let (Some(a), Some(b)) = (doc.head(g), doc.head(cx.head))
        && a == b
    {
        return format!(
            "sibling of the cue ({} beside {})",
            doc.tokens[g].rel, doc.tokens[cx.head].rel
        );
    }
    "same sentence, by position".to_string()
}

fn explain(
    doc: &Doc<'_>,
    cx: &CueContext,
    source: &[usize],
    content: &[usize],
    p: [f32; 3],
) -> String {
    let cue_text = doc.text[doc.span_of(cx.cue[0]..cx.cue[cx.cue.len() - 1] + 1)].to_string();
    let class = cx
        .cue
        .iter()
        .map(|&t| Lexicon::class_name(doc.tokens[t].cue))
        .find(|c| !c.is_empty());
    let mut why = format!(
        "cue “{cue_text}”: cue model (p={:.2}{})",
        p[0],
        class.map_or(String::new(), |c| format!(", lexicon: {c}"))
    );
    if source.is_empty() {
        why.push_str(&format!("; no source (p={:.2})", p[1]));
    } else {
        why.push_str(&format!(
            "; source: {} (p={:.2})",
            relation_to_cue(doc, cx, source),
            p[1]
        ));
    }
    why.push_str(&format!(
        "; content: {} (p={:.2}), linking model",
        relation_to_cue(doc, cx, content),
        p[2]
    ));
    why
}

impl FoundAttribution {
    /// The relation in the shape of the PolNeAR reader and scorer.
    pub fn to_attribution(&self) -> sitrep_nlp::corpus::attribution::Attribution {
        use sitrep_nlp::corpus::attribution::{Attribution, Spans};
        let spans = |pieces: &[Range<usize>]| Spans::new(pieces.iter().cloned());
        Attribution {
            source: self.source.as_deref().and_then(spans),
            cue: spans(&self.cue).expect("a cue has tokens"),
            content: spans(&self.content).expect("a content has tokens"),
        }
    }
}

impl FoundAttribution {
    /// The relation as the claims layer takes it: the source as one span (the hull of its
    /// pieces when they share a sentence, else the piece holding its head), the cue as the
    /// hull of its pieces, the content as its pieces.
    pub fn to_found(&self, doc: &Doc<'_>) -> Found {
        let hull = |pieces: &[Range<usize>]| pieces[0].start..pieces[pieces.len() - 1].end;
        let source = self.source.as_deref().map(|pieces| {
            let one_sentence = self
                .source_tokens
                .windows(2)
                .all(|w| doc.tokens[w[0]].sent == doc.tokens[w[1]].sent);
            match self.source_head {
                Some(h) if !one_sentence => {
                    let at = doc.tokens[h].span.start;
                    pieces
                        .iter()
                        .find(|p| p.contains(&at))
                        .cloned()
                        .unwrap_or_else(|| hull(pieces))
                }
                _ => hull(pieces),
            }
        });
        Found {
            source,
            cue: hull(&self.cue),
            content: self.content.clone(),
            confidence: self.confidence,
            why: self.why.clone(),
        }
    }
}

impl FindAttributions for Attributions {
    fn find(&self, text: &str, analysis: &Analysis) -> Vec<Found> {
        let doc = Doc::new(text, analysis, &self.lexicon);
        self.find_in(&doc)
            .iter()
            .map(|f| f.to_found(&doc))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relation(cue_head: usize, content: &[usize]) -> FoundAttribution {
        FoundAttribution {
            source: None,
            cue: std::iter::once(cue_head..cue_head + 1).collect(),
            content: vec![],
            source_tokens: vec![],
            cue_tokens: vec![cue_head],
            content_tokens: content.to_vec(),
            cue_head,
            cue_lemma: "say".into(),
            source_head: None,
            confidence: 0.5,
            why: String::new(),
        }
    }

    #[test]
    fn a_cue_inside_another_content_is_dropped() {
        // "X said [Y told them [Z]]": "told" (4) lies in the content of "said" (1).
        let mut found = vec![
            relation(1, &[2, 3, 4, 5, 6]),
            relation(4, &[5, 6]),
            relation(9, &[10]),
        ];
        drop_nested(&mut found);
        let heads: Vec<usize> = found.iter().map(|f| f.cue_head).collect();
        assert_eq!(heads, [1, 9]);
        // Each inside the other's content: one of the two stays.
        let mut found = vec![relation(1, &[2, 3]), relation(3, &[0, 1])];
        drop_nested(&mut found);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].cue_head, 3);
    }
}
