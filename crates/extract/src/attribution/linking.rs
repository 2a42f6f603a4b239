//! The linking model's window and features: for one cue, which tokens around it are its
//! source and which its content.
//!
//! The window is the cue's paragraph from two sentences before the cue's sentence to five
//! after (on PolNeAR train 99.2% of contents and 99.9% of sources lie in it: 88% of contents
//! sit in the cue's sentence, 9% run on into later ones, mostly quotes, 2% start earlier).
//!
//! A token's features say how it relates to the cue: side and distance; in the same sentence
//! the tree path through their lowest common ancestor (the branch on the cue's side and the
//! branch on the token's, so "in the nsubj of the cue", "in the ccomp of the cue", "beside
//! the cue, which is the parataxis of this quote's root"), conjoined with the cue's lemma and
//! lexicon class; in another sentence the sentence offset; quotation (the token's, the cue's,
//! a quote mark between them); other cues between the token and this one (the usual reason a
//! nearby clause belongs to another relation); and the token's own word, tags and relation.

use std::ops::Range;

use sitrep_nlp::perceptron::FeatureSet;

use super::doc::{Doc, NONE, quote};
use super::features::bucket;

/// Sentences before and after the cue's sentence a window reaches (within its paragraph).
pub const BEFORE: u32 = 2;
pub const AFTER: u32 = 5;

/// The token range a cue whose head is `head` links over.
pub fn window(doc: &Doc<'_>, head: usize) -> Range<usize> {
    let t = &doc.tokens[head];
    let first_sent = t.sent.saturating_sub(BEFORE);
    let last_sent = (t.sent + AFTER).min(doc.sentences.len() as u32 - 1);
    let mut start = doc.sentences[first_sent as usize].start as usize;
    let mut end = doc.sentences[last_sent as usize].end as usize;
    while doc.tokens[start].para != t.para {
        start += 1;
    }
    while doc.tokens[end - 1].para != t.para {
        end -= 1;
    }
    // A cue whose sentence ends its paragraph with a colon ("He said:") introduces the
    // next paragraph: the window takes it in (within the same sentence limit).
    let last = doc.sentences[t.sent as usize].end as usize - 1;
    if doc.word(last) == ":" && end == last + 1 && end < doc.len() && doc.tokens[end].para != t.para
    {
        let limit = doc.sentences[last_sent as usize].end as usize;
        let next = doc.tokens[end].para;
        while end < limit && doc.tokens[end].para == next {
            end += 1;
        }
    }
    start..end
}

/// The head of a cue: its first token whose head lies outside it (or its first token).
pub fn cue_head(doc: &Doc<'_>, cue: &[usize]) -> usize {
    cue.iter()
        .copied()
        .find(|&t| doc.head(t).is_none_or(|h| !cue.contains(&h)))
        .unwrap_or(cue[0])
}

/// What the linking features know of one window token.
#[derive(Debug, Clone, Copy, Default)]
struct Info {
    /// 1 before the cue, 2 after it, 3 between its pieces.
    side: u64,
    dist: u64,
    sent_offset: u64,
    /// Whether the token is in the cue's sentence and its tree path to the cue is known.
    path: bool,
    /// The branch relations under the lowest common ancestor on the cue's and the token's
    /// side, and which the ancestor is (1 the cue's head, 2 the token, 3 another).
    cue_branch: u64,
    token_branch: u64,
    lca: u64,
    lca_upos: u64,
    depth: u64,
    /// The token's quoted stretch: 0 none, 1 the cue's own, 2 one that touches the cue's
    /// sentence, 3 another after the cue, 4 another before it.
    region: u64,
    between: u64,
}

/// What the features of one cue share: the cue, its window and what each window token's
/// relation to it is.
pub struct CueContext {
    pub cue: Vec<usize>,
    pub head: usize,
    pub window: Range<usize>,
    info: Vec<Info>,
    h_lemma: u64,
    class: u64,
    /// The cue head's relation, and which dependents it has (1 a subject, 2 a complement).
    cue_rel: u64,
    cue_kids: u64,
    in_quote: u64,
}

impl CueContext {
    /// The context of `cue` (sorted token indices); `cue_starts` marks the first token of
    /// every cue of the document (this one included).
    pub fn new(doc: &Doc<'_>, cue: &[usize], cue_starts: &[bool]) -> CueContext {
        let head = cue_head(doc, cue);
        let window = window(doc, head);
        let sentence = doc.sentence_of(head);
        // On the cue head's path to the root: the child through which the path came.
        let mut on_path = vec![NONE; sentence.len()];
        let (mut at, mut child) = (head, head);
        for _ in 0..sentence.len() {
            on_path[at - sentence.start] = child as u32;
            match doc.head(at) {
                Some(h) if on_path[h - sentence.start] == NONE => {
                    child = at;
                    at = h;
                }
                _ => break,
            }
        }
        let h = &doc.tokens[head];
        let cue_region = h.region;
        let sentence_regions: Vec<u32> = sentence
            .clone()
            .map(|t| doc.tokens[t].region)
            .filter(|&r| r != 0)
            .collect();
        let (first, last) = (cue[0], cue[cue.len() - 1]);
        // Prefix counts of other cues' first tokens over the window.
        let mut other = Vec::with_capacity(window.len() + 1);
        other.push(0u32);
        for t in window.clone() {
            let n = other[other.len() - 1] + u32::from(cue_starts[t] && !cue.contains(&t));
            other.push(n);
        }
        let count = |t: usize| other[t - window.start];
        let info = window
            .clone()
            .map(|i| {
                let t = &doc.tokens[i];
                let (side, distance) = if i < first {
                    (1, first - i)
                } else if i > last {
                    (2, i - last)
                } else {
                    (3, 0)
                };
                let between = if i < first {
                    count(first) - count(i + 1)
                } else if i > last {
                    count(i) - count(last + 1)
                } else {
                    0
                };
                let region = if t.region == 0 {
                    0
                } else if t.region == cue_region {
                    1
                } else if sentence_regions.contains(&t.region) {
                    2
                } else if i > last {
                    3
                } else {
                    4
                };
                let mut info = Info {
                    side,
                    dist: bucket(distance),
                    sent_offset: (i64::from(t.sent) - i64::from(h.sent)).clamp(-3, 3) as u64,
                    region,
                    between: u64::from(between.min(2)),
                    ..Info::default()
                };
                if sentence.contains(&i)
                    && let Some((cb, tb, lca, steps)) = path(doc, &on_path, &sentence, head, i)
                {
                    info.path = true;
                    info.cue_branch = branch(doc, cb);
                    info.token_branch = branch(doc, tb);
                    info.lca = if lca == head {
                        1
                    } else if lca == i {
                        2
                    } else {
                        3
                    };
                    info.lca_upos = doc.tokens[lca].h_upos;
                    info.depth = bucket(steps);
                }
                info
            })
            .collect();
        let mut cue_kids = 0;
        for &c in doc.children(head) {
            match doc.tokens[c as usize].rel {
                "nsubj" | "csubj" => cue_kids |= 1,
                "ccomp" | "xcomp" | "obj" => cue_kids |= 2,
                "aux" if doc.tokens[c as usize].h_frel == passive_aux() => cue_kids |= 4,
                _ => {}
            }
        }
        let class = cue
            .iter()
            .map(|&t| doc.tokens[t].cue)
            .find(|&c| c != 0)
            .unwrap_or(0);
        CueContext {
            cue: cue.to_vec(),
            head,
            window,
            info,
            h_lemma: h.h_lemma,
            class: u64::from(class),
            cue_rel: h.h_frel,
            cue_kids,
            in_quote: u64::from(h.quote & quote::INSIDE != 0),
        }
    }
}

/// The tree path between token `i` (of the cue's sentence) and the cue's head:
/// `(cue-side branch, token-side branch, lowest common ancestor, steps up from i)`;
/// branches are [`NONE`] when the ancestor is the cue's head or the token itself.
fn path(
    doc: &Doc<'_>,
    on_path: &[u32],
    sentence: &Range<usize>,
    head: usize,
    i: usize,
) -> Option<(u32, u32, usize, usize)> {
    let (mut at, mut child) = (i, NONE);
    for steps in 0..sentence.len() {
        let mark = on_path[at - sentence.start];
        if mark != NONE {
            let cue_side = if at == head { NONE } else { mark };
            return Some((cue_side, child, at, steps));
        }
        child = at as u32;
        at = doc.head(at)?;
    }
    None
}

/// The hash of `aux:pass` (a passive cue: "is supported by").
fn passive_aux() -> u64 {
    sitrep_nlp::model_io::hash_str("aux:pass")
}

/// Hash of a branch's relation (the child's relation to the ancestor), or of "none".
fn branch(doc: &Doc<'_>, child: u32) -> u64 {
    if child == NONE {
        0x0b7a
    } else {
        doc.tokens[child as usize].h_frel
    }
}

/// The features of token `i` of the cue's window.
pub fn link_features(doc: &Doc<'_>, cx: &CueContext, i: usize, f: &mut FeatureSet) {
    let t = &doc.tokens[i];
    let k = i - cx.window.start;
    let x = cx.info[k];
    let none = Info::default();
    let prev = if k > 0 { cx.info[k - 1] } else { none };
    let next = cx.info.get(k + 1).copied().unwrap_or(none);
    let form_at = |j: Option<usize>| {
        j.filter(|j| cx.window.contains(j))
            .map_or(0xed9e, |j| doc.tokens[j].h_form)
    };
    let upos_at = |j: Option<usize>| {
        j.filter(|j| cx.window.contains(j))
            .map_or(0xed9e, |j| doc.tokens[j].h_upos)
    };
    let (side, dist, so, q) = (x.side, x.dist, x.sent_offset, x.region);
    let cq = cx.in_quote;

    // No bias feature: the transitions (row 0 the start) are each tag's bias, and a bias
    // weight grows so large that it coarsens the whole model's 8-bit run-time weights.
    f.add2(2, side, dist);
    f.add3(3, side, dist, t.h_upos);
    f.add2(4, side, so);
    f.add3(5, side, t.h_upos, t.h_rel);
    f.add2(6, side, t.h_lemma);
    f.add3(7, side, q, cq);
    f.add3(8, side, x.between, so);
    f.add4(9, side, q, x.between, t.h_upos);
    f.add2(10, side, t.h_form);
    f.add3(11, side, u64::from(t.entity), t.h_rel);
    f.add3(12, side, t.h_frel, cx.cue_kids);

    if x.path {
        let (cb, tb, lk) = (x.cue_branch, x.token_branch, x.lca);
        f.add3(20, cb, tb, lk);
        f.add4(21, cb, tb, lk, side);
        f.add4(22, cb, tb, lk, cx.h_lemma);
        f.add4(23, cb, tb, lk, cx.class);
        f.add4(24, cb, tb, t.h_rel, side);
        f.add4(25, cb, tb, x.depth, side);
        f.add4(26, cb, tb, x.between, side);
        f.add4(27, cb, tb, q, cq);
        f.add3(28, tb, x.lca_upos, side);
        f.add3(29, tb, cx.h_lemma, side);
        f.add4(30, cx.cue_rel, cb, tb, lk);
        f.add4(31, cx.cue_kids, cb, tb, lk);
        f.add4(32, cx.cue_kids, cx.cue_rel, tb, side);
        f.add3(33, t.h_lemma, tb, lk);
        f.add4(34, t.h_upos, cb, tb, lk);
    } else {
        f.add3(40, so, q, cq);
        f.add4(41, so, q, x.between, t.h_upos);
        f.add3(42, so, cx.class, q);
    }
    f.add3(50, side, cx.h_lemma, dist);
    f.add3(51, side, cx.class, t.h_rel);
    f.add4(52, side, cx.class, q, dist);
    // Neighbours: where the path changes is where a span ends.
    f.add4(60, prev.token_branch, x.token_branch, side, x.lca);
    f.add4(61, x.token_branch, next.token_branch, side, x.lca);
    f.add4(62, upos_at(i.checked_sub(1)), t.h_upos, side, q);
    f.add4(63, t.h_upos, upos_at(Some(i + 1)), side, q);
    f.add3(64, form_at(i.checked_sub(1)), side, q);
    f.add3(65, form_at(Some(i + 1)), side, q);
    f.add3(66, prev.region, q, next.region);
}
