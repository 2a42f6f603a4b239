//! Gold relations on the model's tokens (training and evaluation only): each role of a
//! relation becomes the tokens its spans overlap, and the relations of a document become
//! the tag sequences both models learn from.

use std::ops::Range;

use sitrep_nlp::corpus::attribution::{Attribution, Spans};

use super::doc::Doc;
use super::tags::{CueTag, Link, Role};

/// A relation as token indices (sorted; the source empty when there is none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoldRelation {
    pub source: Vec<usize>,
    pub cue: Vec<usize>,
    pub content: Vec<usize>,
}

impl GoldRelation {
    /// The relation's tokens on `doc`'s tokens.
    pub fn new(doc: &Doc<'_>, r: &Attribution) -> GoldRelation {
        GoldRelation {
            source: r
                .source
                .as_ref()
                .map_or_else(Vec::new, |s| tokens_of(doc, s)),
            cue: tokens_of(doc, &r.cue),
            content: tokens_of(doc, &r.content),
        }
    }
}

/// The tokens that overlap `spans`, in order.
pub fn tokens_of(doc: &Doc<'_>, spans: &Spans) -> Vec<usize> {
    let mut out = Vec::new();
    for piece in spans.pieces() {
        out.extend(overlapping(doc, piece));
    }
    out.dedup();
    out
}

fn overlapping(doc: &Doc<'_>, piece: &Range<usize>) -> Range<usize> {
    let first = doc.tokens.partition_point(|t| t.span.end <= piece.start);
    let last = first + doc.tokens[first..].partition_point(|t| t.span.start < piece.end);
    first..last
}

/// The role tags of a document: every token of a relation's source, cue and content gets
/// that role, a piece's first token the begin tag. Tokens two relations claim (PolNeAR
/// allows none; overlapping tokens at span edges happen) keep the first relation's role.
pub fn role_tags(n: usize, relations: &[GoldRelation]) -> Vec<Role> {
    let mut owner = vec![usize::MAX; n];
    let mut kind = vec![0u8; n];
    for (r, rel) in relations.iter().enumerate() {
        for (k, tokens) in [(1u8, &rel.source), (2, &rel.cue), (3, &rel.content)] {
            for &t in tokens {
                if owner[t] == usize::MAX {
                    owner[t] = r;
                    kind[t] = k;
                }
            }
        }
    }
    (0..n)
        .map(|t| {
            let begin = t == 0 || owner[t - 1] != owner[t] || kind[t - 1] != kind[t];
            Role::of_kind(kind[t], begin)
        })
        .collect()
}

/// The cue model's tags of a document: [`role_tags`] with every source and content tag `O`.
pub fn cue_tags(n: usize, relations: &[GoldRelation]) -> Vec<Role> {
    role_tags(n, relations)
        .into_iter()
        .map(|r| if r.kind() == 2 { r } else { Role::Out })
        .collect()
}

/// The cue model's tags of a document: the cue tokens of [`role_tags`] in pieces (runs of
/// consecutive tokens of one relation's cue within one paragraph), each piece tagged
/// around its head (its first token the parse attaches outside the piece).
pub fn cue_head_tags(doc: &Doc<'_>, relations: &[GoldRelation]) -> Vec<CueTag> {
    let n = doc.len();
    let mut owner = vec![usize::MAX; n];
    let mut claimed = vec![false; n];
    for (r, rel) in relations.iter().enumerate() {
        for tokens in [&rel.source, &rel.cue, &rel.content] {
            for &t in tokens {
                if !claimed[t] {
                    claimed[t] = true;
                    if std::ptr::eq(tokens, &rel.cue) {
                        owner[t] = r;
                    }
                }
            }
        }
    }
    let mut tags = vec![CueTag::Out; n];
    let mut i = 0;
    while i < n {
        if owner[i] == usize::MAX {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < n && owner[end] == owner[i] && doc.tokens[end].para == doc.tokens[i].para {
            end += 1;
        }
        let head = (i..end)
            .find(|&t| doc.head(t).is_none_or(|h| h < i || h >= end))
            .unwrap_or(i);
        for (t, tag) in tags.iter_mut().enumerate().take(end).skip(i) {
            *tag = match t.cmp(&head) {
                std::cmp::Ordering::Less => CueTag::Pre,
                std::cmp::Ordering::Equal => CueTag::Head,
                std::cmp::Ordering::Greater => CueTag::Post,
            };
        }
        i = end;
    }
    tags
}

/// The link tags of one relation over the window `window`.
pub fn link_tags(window: Range<usize>, relation: &GoldRelation) -> Vec<Link> {
    let mut tags = vec![Link::Out; window.len()];
    for (tokens, tag) in [
        (&relation.source, Link::Source),
        (&relation.content, Link::Content),
    ] {
        for &t in tokens {
            if window.contains(&t) && !relation.cue.contains(&t) {
                tags[t - window.start] = tag;
            }
        }
    }
    tags
}
