//! Features of the cue model: what one token and its surroundings say about its role,
//! independent of the tags around it (so they are computed once per token and Viterbi adds
//! the transitions).
//!
//! Beyond the word itself (form, lemma, tags, suffix, shape, neighbours), the parse: the
//! token's relation and head, and the chain of verbs above it, each with the relation the
//! walk reached it through ("in the ccomp of say", "in the nsubj of say"), with the verbs'
//! cue-lexicon classes; the token's own children (a verb with a `ccomp` child and a subject
//! is how an indirect quote looks); quotation state (inside, opening, closing, a quote left
//! open at its paragraph's end), sentence and paragraph starts; the nearest lexicon cue on
//! each side; the WordNet classes of the token and of the verb above it, and how often its
//! lemma heads a cue in the training data (other folds' counts while training); the
//! relation with its subtype (a passive); the entity type when the recogniser ran.

use sitrep_nlp::perceptron::FeatureSet;

use super::doc::{Doc, NONE, Token};

/// A distance as a small bucket: 0, 1, 2, 3–4, 5–8, 9–16, more.
pub fn bucket(d: usize) -> u64 {
    match d {
        0..=2 => d as u64,
        3..=4 => 3,
        5..=8 => 4,
        9..=16 => 5,
        _ => 6,
    }
}

/// Where a token sits: 1 first of its paragraph, 2 first of its sentence, 3 last of its
/// sentence, 0 elsewhere.
fn position(doc: &Doc<'_>, i: usize) -> u64 {
    let s = &doc.sentences[doc.tokens[i].sent as usize];
    if i == s.start as usize {
        if i == 0 || doc.tokens[i - 1].para != doc.tokens[i].para {
            1
        } else {
            2
        }
    } else if i + 1 == s.end as usize {
        3
    } else {
        0
    }
}

/// The features of token `i` (template ids are private to this function and the model file
/// they were trained with).
pub fn token_features(doc: &Doc<'_>, i: usize, f: &mut FeatureSet) {
    let toks = &doc.tokens;
    let t = &toks[i];
    let sentence = doc.sentence_of(i);
    let at = |k: isize| -> Option<&Token> {
        let j = i as isize + k;
        (j >= sentence.start as isize && j < sentence.end as isize).then(|| &toks[j as usize])
    };
    const EDGE: u64 = 0xed9e;
    let lemma_at = |k| at(k).map_or(EDGE, |t: &Token| t.h_lemma);
    let upos_at = |k| at(k).map_or(EDGE, |t: &Token| t.h_upos);
    let form_at = |k| at(k).map_or(EDGE, |t: &Token| t.h_form);
    let quote_at = |k| at(k).map_or(0xff, |t: &Token| u64::from(t.quote));

    // No bias feature: the transitions (row 0 the start) are each tag's bias, and a bias
    // weight grows so large that it coarsens the whole model's 8-bit run-time weights.
    f.add1(2, t.h_form);
    f.add1(3, t.h_lemma);
    f.add1(4, t.h_upos);
    f.add1(5, t.h_xpos);
    f.add1(6, t.h_rel);
    f.add1(64, t.h_frel);
    f.add1(7, t.h_suffix);
    f.add1(8, t.h_shape);
    f.add1(9, lemma_at(-1));
    f.add1(10, lemma_at(1));
    f.add1(11, lemma_at(-2));
    f.add1(12, lemma_at(2));
    f.add1(13, upos_at(-1));
    f.add1(14, upos_at(1));
    f.add2(15, upos_at(-2), upos_at(-1));
    f.add2(16, upos_at(1), upos_at(2));
    f.add3(17, upos_at(-1), t.h_upos, upos_at(1));
    f.add2(18, form_at(-1), t.h_form);
    f.add2(19, t.h_form, form_at(1));

    // The head.
    let head = (t.head != NONE).then(|| &toks[t.head as usize]);
    let (h_lemma, h_upos, h_rel) =
        head.map_or((EDGE, EDGE, EDGE), |h| (h.h_lemma, h.h_upos, h.h_rel));
    f.add1(20, h_lemma);
    f.add2(21, t.h_rel, h_lemma);
    f.add2(22, t.h_rel, h_upos);
    f.add2(23, t.h_rel, h_rel);
    f.add3(24, t.h_upos, t.h_rel, h_upos);

    // The chain of verbs above: "in the ccomp of say".
    let mut from = i;
    let mut rels = [EDGE; 3];
    for level in 0..3 {
        let Some((verb, child)) = doc.verb_above(from, 12) else {
            break;
        };
        let v = &toks[verb];
        let rel = toks[child].h_rel;
        rels[level] = rel;
        let class = u64::from(v.cue);
        match level {
            0 => {
                f.add2(25, rel, v.h_lemma);
                f.add2(26, rel, class);
                f.add3(27, t.h_upos, rel, class);
                f.add3(28, t.h_rel, rel, v.h_lemma);
            }
            1 => {
                f.add3(29, rels[0], rel, v.h_lemma);
                f.add3(30, rels[0], rel, class);
            }
            _ => {
                f.add4(31, rels[0], rels[1], rel, class);
            }
        }
        from = verb;
    }
    f.add3(32, rels[0], rels[1], rels[2]);

    // The token's own lexicon class and children.
    let class = u64::from(t.cue);
    f.add1(33, class);
    f.add2(34, class, t.h_upos);
    f.add2(35, class, t.h_rel);
    let mut has = 0u64;
    for &c in doc.children(i) {
        let c = &toks[c as usize];
        f.add2(36, t.h_lemma, c.h_rel);
        f.add2(37, class, c.h_rel);
        f.add2(38, t.h_upos, c.h_rel);
        has = has.wrapping_mul(31).wrapping_add(c.h_rel & 0xffff);
        if c.quote & super::doc::quote::INSIDE != 0 && t.quote & super::doc::quote::INSIDE == 0 {
            f.add2(39, c.h_rel, class);
        }
    }
    f.add2(40, class, has);

    // Quotation and position.
    let q = u64::from(t.quote);
    f.add1(41, q);
    f.add2(42, q, t.h_upos);
    f.add2(43, q, t.h_rel);
    f.add3(44, quote_at(-1), q, quote_at(1));
    f.add2(45, q, t.h_lemma);
    let pos = position(doc, i);
    f.add1(46, pos);
    f.add2(47, pos, q);

    // The nearest lexicon cue on either side within the sentence.
    let left = (sentence.start..i).rev().find(|&j| toks[j].cue != 0);
    let right = (i + 1..sentence.end).find(|&j| toks[j].cue != 0);
    match left {
        Some(j) => f.add2(48, bucket(i - j), u64::from(toks[j].cue)),
        None => f.add1(48, 99),
    }
    match right {
        Some(j) => f.add2(49, bucket(j - i), u64::from(toks[j].cue)),
        None => f.add1(49, 99),
    }
    f.add2(
        50,
        left.map_or(99, |j| bucket(i - j)),
        right.map_or(99, |j| bucket(j - i)),
    );

    // WordNet classes: what the word means, for the rare cue words (and their verbs above).
    let sem = u64::from(t.sem[0]);
    if sem != 0 {
        f.add1(52, sem);
        f.add2(53, sem, t.h_rel);
        f.add2(54, sem, has);
        f.add2(55, sem, q);
        for &s in &t.sem[1..] {
            if s != 0 {
                f.add1(56, u64::from(s));
            }
        }
        for &c in doc.children(i) {
            f.add2(57, sem, toks[c as usize].h_rel);
        }
    }
    if let Some((verb, child)) = doc.verb_above(i, 12) {
        f.add2(58, toks[child].h_rel, u64::from(toks[verb].sem[0]));
        f.add2(59, toks[child].h_rel, u64::from(toks[verb].rate));
    }

    // How often the lemma is a cue in the training data (other folds' counts in training).
    let rate = u64::from(t.rate);
    f.add1(60, rate);
    f.add2(61, rate, t.h_upos);
    f.add2(62, rate, t.h_rel);
    f.add2(63, rate, has);

    // Entity type.
    if t.entity != 0 {
        f.add2(51, u64::from(t.entity), t.h_rel);
    }
}
