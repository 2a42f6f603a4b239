//! Labelled dependency parser: arc-eager transitions, averaged perceptron; beam search with
//! global training (the shipped default, `parser/beam.rs`) or greedy with a dynamic oracle
//! (the `--fast` parser).
//!
//! Design:
//! * **Transition system.** Arc-eager (Nivre 2003) with the artificial root at the bottom of
//!   the stack and the UD constraint of exactly one root word: `RIGHT-ARC` from the root is
//!   allowed only while the root has no dependent (`SINGLE_ROOT`; relaxing it and repairing
//!   extra roots afterwards scored no better on EWT dev). Parsing stops when the buffer is
//!   empty; any word still headless then is attached to the root word (see
//!   [`Parser::parse_into`]).
//! * **Two classifiers.** One perceptron chooses among the four transitions, a second one picks
//!   the dependency label once an arc is made. Splitting keeps rows narrow (4 weights per
//!   action feature instead of ~100), which is what keeps the model small and the parser fast;
//!   the label classifier sees the head, the dependent and their already-attached children
//!   (e.g. an `aux:pass` sibling decides `nsubj` vs `nsubj:pass`).
//! * **Features.** The Zhang & Nivre (2011) arc-eager set: stack top, buffer words 0–2, heads,
//!   grandheads, leftmost/rightmost children and second ones, distance, valencies and label
//!   sets, plus the second stack item. A word's "tag" is its predicted UPOS+XPOS pair. Two
//!   tag-independent clues make the parser less brittle when the tagger is wrong: 3-letter
//!   suffixes and the word's *ambiguity class* (the set of tags it had in training, from a
//!   lexicon stored in the model). A third, the *coarse tag* (UPOS with PROPN merged into
//!   NOUN), backs the fine tag off in the main templates of both models: the tagger's most
//!   frequent errors are NOUN/PROPN and fine Penn distinctions that matter little for
//!   attachment (+0.3 UAS/LAS on held-out training documents).
//! * **Training.** Dynamic oracle (Goldberg & Nivre 2012): each transition's *cost* is the
//!   number of gold arcs it makes unreachable; the perceptron is updated whenever its choice
//!   costs more than the cheapest transition, and after the first epochs the parser follows
//!   its own (possibly wrong) choices, so it learns to recover from errors. Gold trees that are
//!   not projective are projectivised first by lifting the offending arcs, as arc-eager can
//!   only build projective trees. Training uses predicted (jackknifed) tags; see `train.rs`.
//!   Two models are trained on differently shuffled data and their weights averaged
//!   ([`ParserOptions::ensemble`]): for linear models that is an ensemble at no cost per
//!   decision (~0.2 UAS on held-out training documents). Averaging also shrinks the weights
//!   of features only one member relied on, so pruning averaged weights below 0.5 leaves a
//!   *smaller* table than one model's (14 MB instead of 20 MB) at the same accuracy.
//! * **Beam.** With [`ParserOptions::beam`] > 1 the same features score whole transition
//!   sequences: decoding keeps the best `beam` partial parses, training is a structured
//!   perceptron with early update on the static oracle's sequence (`parser/beam.rs`). Width 8
//!   adds 1.6 UAS and 1.3 LAS on EWT dev over the greedy parser and costs about half the
//!   core's throughput; feature groups that many beam items share are scored once per sentence
//!   ([`action_features_of`]).

use std::collections::HashMap;

use rustc_hash::FxHashMap;

mod beam;

use crate::conllu::{Sentence, document_folds};
use crate::model_io::{ModelError, Reader, Rng, Writer, combine, finalize, hash_str};
use crate::perceptron::{FeatureSet, LinearModel, PerceptronTrainer, argmax_valid};
use crate::tagger::normalise;

const NONE: u32 = u32::MAX;
const ROOT: u32 = 0;
/// Whether the root may take only one dependent during parsing (see the module docs).
const SINGLE_ROOT: bool = true;

/// The four arc-eager transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Shift = 0,
    Reduce = 1,
    LeftArc = 2,
    RightArc = 3,
}

pub const ACTIONS: [Action; 4] = [
    Action::Shift,
    Action::Reduce,
    Action::LeftArc,
    Action::RightArc,
];

/// A parser configuration. Positions: 0 is the artificial root, words are 1..=n.
#[derive(Debug, Default)]
pub struct State {
    n: usize,
    stack: Vec<u32>,
    next: usize,
    head: Vec<u32>,
    label: Vec<u8>,
    /// Leftmost / second-leftmost / rightmost / second-rightmost dependents.
    lc1: Vec<u32>,
    lc2: Vec<u32>,
    rc1: Vec<u32>,
    rc2: Vec<u32>,
    lval: Vec<u8>,
    rval: Vec<u8>,
    /// Bit sets of the labels of left and right dependents.
    lset: Vec<u64>,
    rset: Vec<u64>,
    on_stack: Vec<bool>,
    root_child: u32,
}

/// Field by field, so that `clone_from` (the beam copies states at every step) reuses the
/// target's buffers instead of allocating thirteen new ones (a derived `Clone` would).
impl Clone for State {
    fn clone(&self) -> State {
        let mut s = State::default();
        s.clone_from(self);
        s
    }

    fn clone_from(&mut self, other: &State) {
        let State {
            n,
            stack,
            next,
            head,
            label,
            lc1,
            lc2,
            rc1,
            rc2,
            lval,
            rval,
            lset,
            rset,
            on_stack,
            root_child,
        } = other;
        self.n = *n;
        self.stack.clone_from(stack);
        self.next = *next;
        self.head.clone_from(head);
        self.label.clone_from(label);
        self.lc1.clone_from(lc1);
        self.lc2.clone_from(lc2);
        self.rc1.clone_from(rc1);
        self.rc2.clone_from(rc2);
        self.lval.clone_from(lval);
        self.rval.clone_from(rval);
        self.lset.clone_from(lset);
        self.rset.clone_from(rset);
        self.on_stack.clone_from(on_stack);
        self.root_child = *root_child;
    }
}

impl State {
    pub fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.stack.push(ROOT);
        self.next = 1;
        for v in [
            &mut self.head,
            &mut self.lc1,
            &mut self.lc2,
            &mut self.rc1,
            &mut self.rc2,
        ] {
            v.clear();
            v.resize(n + 1, NONE);
        }
        for v in [&mut self.label, &mut self.lval, &mut self.rval] {
            v.clear();
            v.resize(n + 1, 0);
        }
        for v in [&mut self.lset, &mut self.rset] {
            v.clear();
            v.resize(n + 1, 0);
        }
        self.on_stack.clear();
        self.on_stack.resize(n + 1, false);
        self.on_stack[0] = true;
        self.root_child = NONE;
    }

    pub fn is_terminal(&self) -> bool {
        self.next > self.n
    }

    fn s0(&self) -> u32 {
        *self.stack.last().unwrap()
    }

    pub fn is_valid(&self, action: Action) -> bool {
        let buffer = self.next <= self.n;
        let s0 = self.s0();
        match action {
            Action::Shift => buffer,
            Action::Reduce => s0 != ROOT && self.head[s0 as usize] != NONE,
            Action::LeftArc => buffer && s0 != ROOT && self.head[s0 as usize] == NONE,
            Action::RightArc => buffer && (s0 != ROOT || !SINGLE_ROOT || self.root_child == NONE),
        }
    }

    /// The (head, dependent) an arc transition would create.
    pub fn arc_of(&self, action: Action) -> Option<(u32, u32)> {
        let (s0, b0) = (self.s0(), self.next as u32);
        match action {
            Action::LeftArc => Some((b0, s0)),
            Action::RightArc => Some((s0, b0)),
            _ => None,
        }
    }

    fn add_arc(&mut self, h: u32, d: u32, label: u8) {
        let (hu, du) = (h as usize, d as usize);
        self.head[du] = h;
        self.label[du] = label;
        let bit = 1u64 << label.min(63);
        if d < h {
            if self.lc1[hu] == NONE || d < self.lc1[hu] {
                self.lc2[hu] = self.lc1[hu];
                self.lc1[hu] = d;
            } else if self.lc2[hu] == NONE || d < self.lc2[hu] {
                self.lc2[hu] = d;
            }
            self.lval[hu] = self.lval[hu].saturating_add(1);
            self.lset[hu] |= bit;
        } else {
            if self.rc1[hu] == NONE || d > self.rc1[hu] {
                self.rc2[hu] = self.rc1[hu];
                self.rc1[hu] = d;
            } else if self.rc2[hu] == NONE || d > self.rc2[hu] {
                self.rc2[hu] = d;
            }
            self.rval[hu] = self.rval[hu].saturating_add(1);
            self.rset[hu] |= bit;
        }
        if h == ROOT && self.root_child == NONE {
            self.root_child = d;
        }
    }

    /// Applies a valid transition (`label` is used by arcs only).
    pub fn apply(&mut self, action: Action, label: u8) {
        let b0 = self.next as u32;
        match action {
            Action::Shift => {
                self.stack.push(b0);
                self.on_stack[b0 as usize] = true;
                self.next += 1;
            }
            Action::Reduce => {
                let s0 = self.stack.pop().unwrap();
                self.on_stack[s0 as usize] = false;
            }
            Action::LeftArc => {
                let s0 = self.stack.pop().unwrap();
                self.on_stack[s0 as usize] = false;
                self.add_arc(b0, s0, label);
            }
            Action::RightArc => {
                let s0 = self.s0();
                self.add_arc(s0, b0, label);
                self.stack.push(b0);
                self.on_stack[b0 as usize] = true;
                self.next += 1;
            }
        }
    }

    /// Can `k`, currently on the stack, still become the head of a buffer word?
    fn stack_head_reachable(&self, k: u32) -> bool {
        k != NONE
            && self.on_stack[k as usize]
            && (k != ROOT || !SINGLE_ROOT || self.root_child == NONE)
    }

    fn in_buffer(&self, k: u32) -> bool {
        k != NONE && k != ROOT && k as usize >= self.next
    }

    /// Dynamic-oracle cost: gold arcs (positions in `gold`, `gold[0]` unused) that become
    /// unreachable by taking `action` here. Requires a projective gold tree.
    pub fn cost(&self, action: Action, gold: &[u32]) -> u32 {
        let s0 = self.s0();
        let b0 = self.next as u32;
        let buffer = self.next..=self.n;
        match action {
            Action::Shift => {
                let mut c = 0;
                for &k in &self.stack {
                    if k != ROOT && self.head[k as usize] == NONE && gold[k as usize] == b0 {
                        c += 1;
                    }
                }
                if self.stack_head_reachable(gold[b0 as usize]) {
                    c += 1;
                }
                c
            }
            Action::Reduce => buffer.filter(|&k| gold[k] == s0).count() as u32,
            Action::LeftArc => {
                let g = gold[s0 as usize];
                let mut c = u32::from(g != b0 && self.in_buffer(g));
                c += buffer.filter(|&k| gold[k] == s0).count() as u32;
                c
            }
            Action::RightArc => {
                let g = gold[b0 as usize];
                let mut c = 0;
                if g != s0 && (self.in_buffer(g) || self.stack_head_reachable(g)) {
                    c += 1;
                }
                for &k in &self.stack {
                    if k != ROOT && self.head[k as usize] == NONE && gold[k as usize] == b0 {
                        c += 1;
                    }
                }
                if SINGLE_ROOT && s0 == ROOT && g != ROOT {
                    // The single root slot is taken: the gold root word loses its arc.
                    c += buffer
                        .filter(|&k| k as u32 != b0 && gold[k] == ROOT)
                        .count() as u32;
                }
                c
            }
        }
    }

    /// Heads as positions (`NONE` = unattached), index 0 is the root.
    pub fn heads(&self) -> &[u32] {
        &self.head
    }
}

/// Lifts non-projective arcs (to the head's head) until the tree is projective.
/// `heads[d]` for d in 1..=n, 0 = root; `heads[0]` is ignored.
pub fn projectivize(heads: &mut [u32]) -> usize {
    let n = heads.len() - 1;
    let dominates = |heads: &[u32], h: u32, mut k: u32| -> bool {
        let mut steps = 0;
        while k != ROOT && steps <= n {
            if k == h {
                return true;
            }
            k = heads[k as usize];
            steps += 1;
        }
        h == ROOT
    };
    let mut lifted = 0;
    loop {
        let mut worst: Option<(usize, u32)> = None;
        for d in 1..=n {
            let h = heads[d];
            let (lo, hi) = if (h as usize) < d {
                (h as usize, d)
            } else {
                (d, h as usize)
            };
            let crossing = (lo + 1..hi).any(|k| !dominates(heads, h, k as u32));
            if crossing {
                let span = hi - lo;
                if worst.is_none_or(|(_, s)| span < s as usize) {
                    worst = Some((d, span as u32));
                }
            }
        }
        match worst {
            Some((d, _)) if heads[d] != ROOT => {
                heads[d] = heads[heads[d] as usize];
                lifted += 1;
            }
            _ => return lifted,
        }
    }
}

/// Hash constants for empty feature slots.
const NULL_W: u64 = 0x6e75_6c6c;
const NULL_P: u64 = 0x6e75_6c70;
const ROOT_W: u64 = 0x726f_6f74;
const ROOT_P: u64 = 0x726f_6f70;
const NO_LABEL: u64 = 0x6e6f_6c61;

fn distance_bucket(a: u32, b: u32) -> u64 {
    let d = a.abs_diff(b);
    match d {
        0..=5 => u64::from(d),
        6..=7 => 6,
        8..=10 => 7,
        _ => 8,
    }
}

/// Per-word feature values (word and tag hashes) for positions 0..=n.
#[derive(Debug, Default)]
struct Lexical {
    w: Vec<u64>,
    p: Vec<u64>,
    /// Last three characters of the lowercased word: a tag-independent clue for words the
    /// tagger gets wrong (`-ing`, `-ed`, `-ly`).
    suffix: Vec<u64>,
    /// Ambiguity class: the set of tags the word had in the training data (or "unknown").
    /// Lets the parser see past a single wrong predicted tag.
    amb: Vec<u64>,
    /// Coarse tags (see [`AmbiguityLexicon`]).
    c: Vec<u64>,
}

/// Word → ambiguity class (hash of the set of its frequent UPOS+XPOS tags in training).
/// During training each sentence uses a lexicon built without its own fold, so unknown
/// words are as common as in new text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AmbiguityLexicon {
    words: FxHashMap<String, u64>,
    /// Tag hash → coarse class (the UPOS, with PROPN merged into NOUN): the parser's
    /// back-off for the fine tag, which the tagger gets wrong more often.
    coarse: HashMap<u64, u64>,
}

/// The coarse class of a UPOS (see [`AmbiguityLexicon`]).
fn coarse_hash(upos: &str) -> u64 {
    let upos = if upos == "PROPN" { "NOUN" } else { upos };
    hash_str(upos) ^ 0xc0a5
}

const UNKNOWN_AMB: u64 = 0x756e_6b61_6d62;
const LEXICON_FOLDS: usize = 10;

impl AmbiguityLexicon {
    fn build<'a>(sentences: impl Iterator<Item = &'a Sentence>) -> AmbiguityLexicon {
        let mut counts: HashMap<String, HashMap<u64, usize>> = HashMap::new();
        let mut coarse = HashMap::new();
        for s in sentences {
            for w in &s.words {
                coarse
                    .entry(tag_hash(&w.upos, &w.xpos))
                    .or_insert_with(|| coarse_hash(&w.upos));
                *counts
                    .entry(normalise(&w.form))
                    .or_default()
                    .entry(tag_hash(&w.upos, &w.xpos))
                    .or_default() += 1;
            }
        }
        let words = counts
            .into_iter()
            .map(|(word, tags)| {
                let total: usize = tags.values().sum();
                let mut members: Vec<u64> = tags
                    .into_iter()
                    .filter(|(_, n)| n * 10 >= total)
                    .map(|(t, _)| t)
                    .collect();
                members.sort_unstable();
                let amb = members
                    .into_iter()
                    .fold(0x0061_6d62, crate::model_io::combine);
                (word, amb)
            })
            .collect();
        AmbiguityLexicon { words, coarse }
    }

    fn lookup(&self, norm: &str) -> u64 {
        self.words.get(norm).copied().unwrap_or(UNKNOWN_AMB)
    }

    fn coarse_of(&self, tag: u64) -> u64 {
        self.coarse.get(&tag).copied().unwrap_or(tag)
    }
}

impl Lexical {
    fn fill(
        &mut self,
        words: &[&str],
        tag_hashes: impl Iterator<Item = u64>,
        lexicon: &AmbiguityLexicon,
    ) {
        self.w.clear();
        self.p.clear();
        self.suffix.clear();
        self.amb.clear();
        self.w.push(ROOT_W);
        self.p.push(ROOT_P);
        self.suffix.push(ROOT_W);
        self.amb.push(ROOT_W);
        for word in words {
            let norm = normalise(word);
            self.amb.push(lexicon.lookup(&norm));
            self.w.push(hash_str(&norm));
            let cut = norm.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
            self.suffix.push(hash_str(&norm[cut..]) ^ 0x5f);
        }
        self.p.extend(tag_hashes);
        self.c.clear();
        self.c.extend(self.p.iter().map(|&t| lexicon.coarse_of(t)));
    }
}

struct View<'a> {
    s: &'a State,
    lex: &'a Lexical,
    label_hash: &'a [u64],
}

impl View<'_> {
    fn w(&self, i: u32) -> u64 {
        if i == NONE {
            NULL_W
        } else {
            self.lex.w[i as usize]
        }
    }
    fn p(&self, i: u32) -> u64 {
        if i == NONE {
            NULL_P
        } else {
            self.lex.p[i as usize]
        }
    }
    fn amb(&self, i: u32) -> u64 {
        if i == NONE {
            NULL_W
        } else {
            self.lex.amb[i as usize]
        }
    }
    fn c(&self, i: u32) -> u64 {
        if i == NONE {
            NULL_P
        } else {
            self.lex.c[i as usize]
        }
    }
    fn suf(&self, i: u32) -> u64 {
        if i == NONE {
            NULL_W
        } else {
            self.lex.suffix[i as usize]
        }
    }
    fn l(&self, i: u32) -> u64 {
        if i == NONE || self.s.head[i as usize] == NONE {
            NO_LABEL
        } else {
            self.label_hash[self.s.label[i as usize] as usize]
        }
    }
    fn get(&self, v: &[u32], i: u32) -> u32 {
        if i == NONE { NONE } else { v[i as usize] }
    }
    fn head(&self, i: u32) -> u32 {
        self.get(&self.s.head, i)
    }
    fn pos_p(&self, i: i64) -> u64 {
        if i < 1 || i as usize > self.s.n {
            NULL_P
        } else {
            self.lex.p[i as usize]
        }
    }
}

/// Action features of a state (all groups).
fn action_features(v: &View<'_>, f: &mut FeatureSet) {
    action_features_of(v, ALL_GROUPS, f);
}

/// Action-feature groups by what they read: the buffer front only (the same for every state
/// at a buffer position); the stack's top two words and the buffer front without their arcs
/// (the same for every state with those positions); the buffer front's left children; and
/// the rest (mostly the stack top's arcs). Beam decoding scores each group once per sentence
/// for all the states that share it (see `parser/beam.rs`). Features come in the same order
/// whatever the groups, so training is unchanged.
const BUFFER: u8 = 1;
const PAIR: u8 = 2;
const STATE: u8 = 4;
const N0_ARCS: u8 = 8;
const ALL_GROUPS: u8 = BUFFER | PAIR | STATE | N0_ARCS;

/// Action features of the given groups (the Zhang & Nivre 2011 arc-eager set plus the second
/// stack item and the back-off templates below).
fn action_features_of(v: &View<'_>, groups: u8, f: &mut FeatureSet) {
    // `add!(GROUP, template, values...)`: one feature, if its group is asked for.
    macro_rules! add {
        ($g:expr, $t:expr, $($a:expr),+) => {
            if groups & $g != 0 {
                f.add($t, &[$($a),+])
            }
        };
    }
    let s = v.s;
    f.clear();
    let s0 = s.s0();
    let s1 = if s.stack.len() >= 2 {
        s.stack[s.stack.len() - 2]
    } else {
        NONE
    };
    let at = |k: usize| if k <= s.n { k as u32 } else { NONE };
    let (n0, n1, n2) = (at(s.next), at(s.next + 1), at(s.next + 2));
    let (s0w, s0p, n0w, n0p) = (v.w(s0), v.p(s0), v.w(n0), v.p(n0));
    let (n1w, n1p, n2w, n2p) = (v.w(n1), v.p(n1), v.w(n2), v.p(n2));
    let s0h = v.head(s0);
    let s0h2 = v.head(s0h);
    let (s0l, s0l2) = (v.get(&s.lc1, s0), v.get(&s.lc2, s0));
    let (s0r, s0r2) = (v.get(&s.rc1, s0), v.get(&s.rc2, s0));
    let (n0l, n0l2) = (v.get(&s.lc1, n0), v.get(&s.lc2, n0));
    let dist = if n0 != NONE && s0 != ROOT {
        distance_bucket(s0, n0)
    } else {
        99
    };
    let val = |x: &Vec<u8>, i: u32| {
        if i == NONE {
            99
        } else {
            u64::from(x[i as usize])
        }
    };
    let set = |x: &Vec<u64>, i: u32| if i == NONE { 1 << 63 } else { x[i as usize] };
    let (s0vl, s0vr, n0vl) = (val(&s.lval, s0), val(&s.rval, s0), val(&s.lval, n0));
    let (s0sl, s0sr, n0sl) = (set(&s.lset, s0), set(&s.rset, s0), set(&s.lset, n0));

    add!(BUFFER, 0, 0);
    // Single words.
    add!(PAIR, 1, s0w);
    add!(PAIR, 2, s0p);
    add!(PAIR, 3, s0w, s0p);
    add!(BUFFER, 4, n0w);
    add!(BUFFER, 5, n0p);
    add!(BUFFER, 6, n0w, n0p);
    add!(BUFFER, 7, n1w);
    add!(BUFFER, 8, n1p);
    add!(BUFFER, 9, n1w, n1p);
    add!(BUFFER, 10, n2w);
    add!(BUFFER, 11, n2p);
    add!(BUFFER, 12, n2w, n2p);
    // Pairs.
    add!(PAIR, 13, s0w, s0p, n0w, n0p);
    add!(PAIR, 14, s0w, s0p, n0w);
    add!(PAIR, 15, s0w, n0w, n0p);
    add!(PAIR, 16, s0w, s0p, n0p);
    add!(PAIR, 17, s0p, n0w, n0p);
    add!(PAIR, 18, s0w, n0w);
    add!(PAIR, 19, s0p, n0p);
    add!(BUFFER, 20, n0p, n1p);
    // Triples.
    add!(BUFFER, 21, n0p, n1p, n2p);
    add!(PAIR, 22, s0p, n0p, n1p);
    add!(STATE, 23, v.p(s0h), s0p, n0p);
    add!(STATE, 24, s0p, v.p(s0l), n0p);
    add!(STATE, 25, s0p, v.p(s0r), n0p);
    add!(N0_ARCS, 26, s0p, n0p, v.p(n0l));
    // Distance.
    add!(PAIR, 27, s0w, dist);
    add!(PAIR, 28, s0p, dist);
    add!(PAIR, 29, n0w, dist);
    add!(PAIR, 30, n0p, dist);
    add!(PAIR, 31, s0w, n0w, dist);
    add!(PAIR, 32, s0p, n0p, dist);
    // Valency.
    add!(STATE, 33, s0w, s0vr);
    add!(STATE, 34, s0p, s0vr);
    add!(STATE, 35, s0w, s0vl);
    add!(STATE, 36, s0p, s0vl);
    add!(N0_ARCS, 37, n0w, n0vl);
    add!(N0_ARCS, 38, n0p, n0vl);
    // Unigrams of heads and children.
    add!(STATE, 39, v.w(s0h));
    add!(STATE, 40, v.p(s0h));
    add!(STATE, 41, v.l(s0));
    add!(STATE, 42, v.w(s0l));
    add!(STATE, 43, v.p(s0l));
    add!(STATE, 44, v.l(s0l));
    add!(STATE, 45, v.w(s0r));
    add!(STATE, 46, v.p(s0r));
    add!(STATE, 47, v.l(s0r));
    add!(N0_ARCS, 48, v.w(n0l));
    add!(N0_ARCS, 49, v.p(n0l));
    add!(N0_ARCS, 50, v.l(n0l));
    // Third order.
    add!(STATE, 51, v.w(s0h2));
    add!(STATE, 52, v.p(s0h2));
    add!(STATE, 53, v.l(s0h));
    add!(STATE, 54, v.w(s0l2));
    add!(STATE, 55, v.p(s0l2));
    add!(STATE, 56, v.l(s0l2));
    add!(STATE, 57, v.w(s0r2));
    add!(STATE, 58, v.p(s0r2));
    add!(STATE, 59, v.l(s0r2));
    add!(N0_ARCS, 60, v.w(n0l2));
    add!(N0_ARCS, 61, v.p(n0l2));
    add!(N0_ARCS, 62, v.l(n0l2));
    add!(STATE, 63, s0p, v.p(s0l), v.p(s0l2));
    add!(STATE, 64, s0p, v.p(s0r), v.p(s0r2));
    add!(STATE, 65, s0p, v.p(s0h), v.p(s0h2));
    add!(N0_ARCS, 66, n0p, v.p(n0l), v.p(n0l2));
    // Label sets.
    add!(STATE, 67, s0w, s0sr);
    add!(STATE, 68, s0p, s0sr);
    add!(STATE, 69, s0w, s0sl);
    add!(STATE, 70, s0p, s0sl);
    add!(N0_ARCS, 71, n0w, n0sl);
    add!(N0_ARCS, 72, n0p, n0sl);
    // Second stack item and whether the stack top is already attached.
    let s0_attached = u64::from(s0 != ROOT && s.head[s0 as usize] != NONE);
    add!(PAIR, 73, v.w(s1));
    add!(PAIR, 74, v.p(s1));
    add!(PAIR, 75, v.p(s1), s0p, n0p);
    add!(STATE, 76, s0_attached, s0p, n0p);
    add!(STATE, 77, s0_attached, s0w, n0p);
    add!(STATE, 78, v.l(s0), n0p);
    add!(PAIR, 79, v.pos_p(s.next as i64 - 1), n0p, s0p);
    add!(STATE, 80, u64::from(s.root_child == NONE), n0p);
    add!(PAIR, 81, v.suf(s0), n0p);
    add!(PAIR, 82, s0p, v.suf(n0));
    add!(BUFFER, 83, v.suf(n1));
    add!(PAIR, 84, v.suf(s0), v.suf(n0));
    let (s0a, n0a, n1a) = (v.amb(s0), v.amb(n0), v.amb(n1));
    add!(PAIR, 85, s0a);
    add!(BUFFER, 86, n0a);
    add!(BUFFER, 87, n1a);
    add!(PAIR, 88, s0a, n0a);
    add!(PAIR, 89, s0a, n0p);
    add!(PAIR, 90, s0p, n0a);
    add!(BUFFER, 91, n0a, n1a);
    // Coarse tags: a back-off that survives the tagger's fine-grained confusions.
    let (s0c, n0c, n1c, n2c) = (v.c(s0), v.c(n0), v.c(n1), v.c(n2));
    add!(PAIR, 140, s0c);
    add!(BUFFER, 141, n0c);
    add!(PAIR, 142, s0c, n0c);
    add!(PAIR, 143, s0c, n0c, n1c);
    add!(PAIR, 144, s0w, n0c);
    add!(PAIR, 145, s0c, n0w);
    add!(BUFFER, 146, n0c, n1c, n2c);
    add!(STATE, 147, v.c(s0h), s0c, n0c);
    add!(STATE, 148, s0c, v.c(s0l), n0c);
    add!(N0_ARCS, 149, s0c, n0c, v.c(n0l));
    add!(PAIR, 150, v.c(s1), s0c, n0c);
}

/// What the `STATE` or `N0_ARCS` group of [`action_features_of`] reads from a state, hashed:
/// states with the same signature have the same features in that group, so beam decoding
/// reuses a group's scores without computing its features again. Keep in step with the
/// templates above (the `group_signatures_determine_the_features` test checks it).
fn group_signature(s: &State, group: u8) -> u64 {
    let at = |i: u32, v: &[u32]| if i == NONE { NONE } else { v[i as usize] };
    let label = |i: u32| {
        if i == NONE || s.head[i as usize] == NONE {
            u64::MAX
        } else {
            u64::from(s.label[i as usize])
        }
    };
    let count = |i: u32, v: &[u8]| {
        if i == NONE {
            u64::MAX
        } else {
            u64::from(v[i as usize])
        }
    };
    let set = |i: u32, v: &[u64]| if i == NONE { u64::MAX } else { v[i as usize] };
    let s0 = s.s0();
    let n0 = if s.next <= s.n { s.next as u32 } else { NONE };
    let mut h = combine(
        combine(finalize(u64::from(group) + 1), s0.into()),
        n0.into(),
    );
    let mut add = |x: u64| h = combine(h, x);
    if group == N0_ARCS {
        let (l1, l2) = (at(n0, &s.lc1), at(n0, &s.lc2));
        for x in [l1, l2] {
            add(x.into());
            add(label(x));
        }
        add(count(n0, &s.lval));
        add(set(n0, &s.lset));
    } else {
        let s0h = at(s0, &s.head);
        let s0h2 = at(s0h, &s.head);
        let (l1, l2) = (at(s0, &s.lc1), at(s0, &s.lc2));
        let (r1, r2) = (at(s0, &s.rc1), at(s0, &s.rc2));
        add(s0h2.into());
        for x in [s0, s0h, l1, l2, r1, r2] {
            add(x.into());
            add(label(x));
        }
        add(count(s0, &s.lval));
        add(count(s0, &s.rval));
        add(set(s0, &s.lset));
        add(set(s0, &s.rset));
        add(u64::from(s.root_child == NONE));
    }
    h
}

/// Label features for an arc `head → dep`, keyed by direction.
fn label_features(v: &View<'_>, head: u32, dep: u32, f: &mut FeatureSet) {
    let s = v.s;
    f.clear();
    let dir = u64::from(dep > head) + 7;
    let (hw, hp, dw, dp) = (v.w(head), v.p(head), v.w(dep), v.p(dep));
    let dist = if head == ROOT {
        99
    } else {
        distance_bucket(head, dep)
    };
    let hh = v.head(head);
    let set = |x: &Vec<u64>, i: u32| x[i as usize];
    f.add1(100, dir);
    f.add2(101, dir, hw);
    f.add2(102, dir, hp);
    f.add2(103, dir, dw);
    f.add2(104, dir, dp);
    f.add3(105, dir, hw, dp);
    f.add3(106, dir, hp, dw);
    f.add3(107, dir, hp, dp);
    f.add3(108, dir, hw, dw);
    f.add4(109, dir, hp, dp, dist);
    f.add3(110, dir, dw, dist);
    f.add3(111, dir, v.l(v.get(&s.lc1, dep)), dp);
    f.add3(112, dir, v.l(v.get(&s.rc1, dep)), dp);
    f.add3(113, dir, set(&s.lset, dep), dp);
    f.add3(114, dir, set(&s.rset, dep), dp);
    f.add3(115, dir, set(&s.lset, head), dp);
    f.add3(116, dir, set(&s.rset, head), dp);
    f.add4(117, dir, set(&s.lset, head), hp, dp);
    f.add3(118, dir, v.p(hh), hp);
    f.add3(119, dir, v.l(head), hp);
    f.add4(120, dir, v.l(head), hp, dp);
    f.add3(121, dir, dp, v.pos_p(i64::from(dep) - 1));
    f.add3(122, dir, dp, v.pos_p(i64::from(dep) + 1));
    f.add3(123, dir, hp, v.pos_p(i64::from(head) + 1));
    f.add3(124, dir, hp, v.pos_p(i64::from(head) - 1));
    f.add4(125, dir, hp, dp, v.p(hh));
    f.add3(126, dir, dp, v.w(v.get(&s.lc1, dep)));
    f.add3(127, dir, dp, v.p(v.get(&s.lc1, dep)));
    f.add4(128, dir, hp, dp, v.l(v.get(&s.rc1, head)));
    f.add4(129, dir, hp, dp, v.l(v.get(&s.lc1, head)));
    f.add3(130, dir, dw, hp);
    f.add4(131, dir, dw, dp, hp);
    f.add4(132, dir, hw, hp, dp);
    f.add2(133, dir, u64::from(head == ROOT));
    f.add3(134, dir, dp, v.pos_p(s.next as i64 + 1));
    // Coarse tags (see the action features).
    let (hc, dc) = (v.c(head), v.c(dep));
    f.add3(151, dir, hc, dc);
    f.add3(152, dir, hw, dc);
    f.add3(153, dir, hc, dw);
    f.add4(154, dir, hc, dc, dist);
    f.add3(155, dir, dc, v.l(v.get(&s.lc1, dep)));
}

/// Beam decoding drops candidates scoring more than this below the best one (a dynamic beam):
/// confident stretches of a sentence then cost little more than greedy parsing. Tuned on
/// held-out training documents with a width-8, 20-epoch model: 200 kept UAS within 0.07 and
/// LAS within 0.04 of the full beam and made the parser 49% faster; with 8-bit weights, 175
/// costs another 0.03 UAS / 0.02 LAS for 7% more speed (160: -0.15 UAS, 150: -0.38). The
/// value is in the model's score units, so it fits models trained with the default options.
pub const BEAM_MARGIN: f32 = 175.0;

/// A trained parser (immutable; `Send + Sync`).
#[derive(Debug, Clone, PartialEq)]
pub struct Parser {
    labels: Vec<String>,
    label_hash: Vec<u64>,
    root_label: u8,
    lexicon: AmbiguityLexicon,
    actions: LinearModel,
    labeller: LinearModel,
    /// Beam width (1 = greedy); a model trained with a beam decodes with it.
    beam: u8,
    /// Candidates scoring more than this below the best are dropped from the beam.
    beam_margin: f32,
}

/// Reusable scratch space for parsing.
#[derive(Debug, Default)]
pub struct ParserWorkspace {
    state: State,
    lex: Lexical,
    feats: FeatureSet,
    scores: Vec<i32>,
    beam: Vec<beam::Item>,
    spare: Vec<beam::Item>,
    /// Beam decoding: the label given to each arc `(head, dependent)`, keyed by their hash.
    labelled: HashMap<u64, u8, std::hash::BuildHasherDefault<crate::perceptron::KeyHasher>>,
    groups: beam::GroupScores,
    /// Beam decoding: the search's buffers, and the label model's scores.
    search: beam::SearchBuffers,
    label_scores: Vec<i32>,
    /// Beam decoding: each item's feature groups, with the key of their cached scores.
    item_feats: Vec<(u64, FeatureSet)>,
}

/// The stable hash of a word's (UPOS, XPOS) pair, the parser's "tag" feature value. Using
/// both keeps distinctions that matter for attachment and that the Penn tag lacks
/// (`IN` as ADP vs SCONJ, `VB*` as AUX vs VERB, `DT` as DET vs PRON).
pub fn tag_hash(upos: &str, xpos: &str) -> u64 {
    crate::model_io::combine(hash_str(upos), hash_str(xpos))
}

impl Parser {
    /// Decodes with this beam width and margin (see `parser/beam.rs`) instead of the trained
    /// ones: a speed/accuracy trade-off.
    pub fn set_beam(&mut self, width: u8, margin: f32) {
        self.beam = width.max(1);
        self.beam_margin = margin;
    }

    /// The beam width the parser decodes with (1 = greedy).
    pub fn beam_width(&self) -> u8 {
        self.beam
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn label_of(&self, id: u8) -> &str {
        &self.labels[usize::from(id)]
    }

    /// Feature table sizes (action model, label model) for reports.
    pub fn n_features(&self) -> (usize, usize) {
        (self.actions.n_features(), self.labeller.n_features())
    }

    fn choose_label(&self, ws: &mut ParserWorkspace, head: u32, dep: u32) -> u8 {
        self.label_in(&ws.state, &ws.lex, head, dep, &mut ws.feats, &mut ws.scores)
    }

    /// The label model's choice for the arc `head → dep` in `state` (the root's own label for
    /// the root's dependent).
    fn label_in(
        &self,
        state: &State,
        lex: &Lexical,
        head: u32,
        dep: u32,
        feats: &mut FeatureSet,
        scores: &mut Vec<i32>,
    ) -> u8 {
        if head == ROOT {
            return self.root_label;
        }
        let view = View {
            s: state,
            lex,
            label_hash: &self.label_hash,
        };
        label_features(&view, head, dep, feats);
        scores.clear();
        scores.resize(self.labels.len(), 0);
        self.labeller.score(&feats.keys, scores);
        let root = usize::from(self.root_label);
        argmax_valid(scores, |l| l != root).unwrap_or(0) as u8
    }

    /// Parses one sentence given its words and (predicted) UPOS and XPOS tags. `heads` gets
    /// 0-based head indices (`-1` = root) and `labels` label ids (see [`Parser::label_of`]).
    pub fn parse_into(
        &self,
        words: &[&str],
        upos: &[&str],
        xpos: &[&str],
        ws: &mut ParserWorkspace,
        heads: &mut Vec<i32>,
        labels: &mut Vec<u8>,
    ) {
        let hashes: Vec<u64> = upos.iter().zip(xpos).map(|(u, x)| tag_hash(u, x)).collect();
        self.parse_hashed(words, &hashes, ws, heads, labels);
    }

    /// [`Parser::parse_into`] with tags given as [`tag_hash`] values (no per-call hashing).
    pub fn parse_hashed(
        &self,
        words: &[&str],
        tag_hashes: &[u64],
        ws: &mut ParserWorkspace,
        heads: &mut Vec<i32>,
        labels: &mut Vec<u8>,
    ) {
        let n = words.len();
        heads.clear();
        labels.clear();
        if n == 0 {
            return;
        }
        assert_eq!(tag_hashes.len(), n, "one tag per word");
        ws.lex
            .fill(words, tag_hashes.iter().copied(), &self.lexicon);
        ws.state.reset(n);
        if self.beam > 1 {
            self.beam_parse(n, ws);
        }
        while !ws.state.is_terminal() {
            let view = View {
                s: &ws.state,
                lex: &ws.lex,
                label_hash: &self.label_hash,
            };
            action_features(&view, &mut ws.feats);
            ws.scores.clear();
            ws.scores.resize(4, 0);
            self.actions.score(&ws.feats.keys, &mut ws.scores);
            let state = &ws.state;
            let best = argmax_valid(&ws.scores, |a| state.is_valid(ACTIONS[a]))
                .expect("a non-terminal state has a valid transition");
            let action = ACTIONS[best];
            let label = match ws.state.arc_of(action) {
                Some((h, d)) => self.choose_label(ws, h, d),
                None => 0,
            };
            ws.state.apply(action, label);
        }
        self.attach_leftovers(words, ws);
        for d in 1..=n {
            heads.push(ws.state.head[d] as i32 - 1);
            labels.push(ws.state.label[d]);
        }
    }

    /// Words still headless at the end: the first becomes the root if there is none, the rest
    /// attach to the root word with a label from the label model (punctuation as `punct`).
    fn attach_leftovers(&self, words: &[&str], ws: &mut ParserWorkspace) {
        let n = ws.state.n;
        for d in 1..=n as u32 {
            let extra_root = ws.state.head[d as usize] == ROOT && ws.state.root_child != d;
            if ws.state.head[d as usize] != NONE && !extra_root {
                continue;
            }
            if ws.state.root_child == NONE {
                ws.state.add_arc(ROOT, d, self.root_label);
                continue;
            }
            let h = ws.state.root_child;
            let is_punct = words[d as usize - 1].chars().all(|c| !c.is_alphanumeric());
            let label = self
                .labels
                .iter()
                .position(|l| l == "punct")
                .filter(|_| is_punct)
                .map(|l| l as u8)
                .unwrap_or_else(|| self.choose_label(ws, h, d));
            ws.state.add_arc(h, d, label);
        }
    }

    /// Parses sentences in place (HEAD and DEPREL), using their UPOS and XPOS columns as tags.
    pub fn parse_sentences(&self, sentences: &mut [Sentence]) {
        let mut ws = ParserWorkspace::default();
        let (mut heads, mut labels) = (Vec::new(), Vec::new());
        for s in sentences {
            let forms: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let words: Vec<&str> = forms.iter().map(String::as_str).collect();
            let tags: Vec<u64> = s.words.iter().map(|w| tag_hash(&w.upos, &w.xpos)).collect();
            self.parse_hashed(&words, &tags, &mut ws, &mut heads, &mut labels);
            for ((w, &h), &l) in s.words.iter_mut().zip(&heads).zip(&labels) {
                w.head = Some(h);
                w.deprel = self.label_of(l).to_string();
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(b"DEP");
        w.strs(&self.labels);
        w.u8(self.root_label);
        let mut lexicon: Vec<(&String, &u64)> = self.lexicon.words.iter().collect();
        lexicon.sort();
        w.u32(lexicon.len() as u32);
        for (word, &amb) in lexicon {
            w.str(word);
            w.u32(amb as u32);
            w.u32((amb >> 32) as u32);
        }
        let mut coarse: Vec<(&u64, &u64)> = self.lexicon.coarse.iter().collect();
        coarse.sort();
        w.u32(coarse.len() as u32);
        for (&tag, &class) in coarse {
            for v in [tag, class] {
                w.u32(v as u32);
                w.u32((v >> 32) as u32);
            }
        }
        self.actions.write(&mut w);
        self.labeller.write(&mut w);
        if self.beam > 1 {
            w.u8(self.beam);
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Parser, ModelError> {
        let mut r = Reader::new(bytes, b"DEP")?;
        let labels = r.strs()?;
        let root_label = r.u8()?;
        let n = r.u32()? as usize;
        let mut words = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let word = r.str()?;
            let amb = u64::from(r.u32()?) | (u64::from(r.u32()?) << 32);
            words.insert(word, amb);
        }
        let n = r.u32()? as usize;
        let mut coarse = HashMap::with_capacity(n);
        for _ in 0..n {
            let tag = u64::from(r.u32()?) | (u64::from(r.u32()?) << 32);
            let class = u64::from(r.u32()?) | (u64::from(r.u32()?) << 32);
            coarse.insert(tag, class);
        }
        let lexicon = AmbiguityLexicon { words, coarse };
        let actions = LinearModel::read(&mut r)?;
        let labeller = LinearModel::read(&mut r)?;
        let beam = if r.is_done() { 1 } else { r.u8()?.max(1) };
        r.finish()?;
        if labels.is_empty()
            || labels.len() > 64
            || usize::from(root_label) >= labels.len()
            || actions.n_classes() != 4
            || labeller.n_classes() != labels.len()
        {
            return Err(ModelError::Corrupt("parser tables disagree".into()));
        }
        let label_hash = labels.iter().map(|l| hash_str(l)).collect();
        Ok(Parser {
            labels,
            label_hash,
            root_label,
            lexicon,
            actions,
            labeller,
            beam,
            beam_margin: BEAM_MARGIN,
        })
    }
}

/// Parser training settings.
#[derive(Debug, Clone)]
pub struct ParserOptions {
    pub iterations: usize,
    pub seed: u64,
    /// Averaged weights below this magnitude are dropped from the compiled models.
    pub prune: f32,
    /// From this epoch (0-based) on, follow the model's own transitions...
    pub explore_from: usize,
    /// ...with this probability (otherwise the best zero-cost one).
    pub explore_p: f64,
    pub verbose: bool,
    /// Extra pruning thresholds to report dev scores and sizes for at the end (tuning aid).
    pub prune_report: Vec<f32>,
    /// Number of models trained on differently shuffled data and averaged into one (no cost
    /// at parse time beyond a somewhat larger feature table).
    pub ensemble: usize,
    /// Beam width: 1 trains the greedy parser (dynamic oracle), more a beam-search parser
    /// trained globally (see `parser/beam.rs`).
    pub beam: usize,
}

/// The shipped accurate parser's settings: beam 8, 20 epochs, one model, weights below 1
/// pruned (half the table of 0.5 for 0.17 UAS on dev, so that both parsers fit the budget).
impl Default for ParserOptions {
    fn default() -> ParserOptions {
        ParserOptions {
            iterations: 20,
            ensemble: 1,
            beam: 8,
            prune: 1.0,
            ..ParserOptions::greedy()
        }
    }
}

impl ParserOptions {
    /// The shipped fast parser's settings: greedy, dynamic oracle, 12 epochs, 2 models
    /// averaged.
    pub fn greedy() -> ParserOptions {
        ParserOptions {
            iterations: 12,
            seed: 1,
            prune: 0.5,
            explore_from: 1,
            explore_p: 1.0,
            verbose: true,
            prune_report: Vec::new(),
            ensemble: 2,
            beam: 1,
        }
    }
}

/// Unlabelled and labelled attachment scores (percent; labels compared on their universal
/// part, as in CoNLL 2018).
pub fn attachment_scores(gold: &[Sentence], pred: &[Sentence]) -> (f64, f64) {
    let s = crate::ud_eval::eval_ud(gold, pred);
    (s.uas, s.las)
}

struct Example {
    fold: usize,
    words: Vec<String>,
    tags: Vec<u64>,
    gold_heads: Vec<u32>,
    gold_labels: Vec<u8>,
}

/// Trains a parser. `train` must carry gold HEAD/DEPREL and the UPOS/XPOS tags the parser should
/// learn from (predicted ones, for robustness); `dev` likewise (scored per epoch if given).
pub fn train_parser_on(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    opts: &ParserOptions,
) -> Parser {
    let mut label_counts: HashMap<&str, usize> = HashMap::new();
    for s in train {
        for w in &s.words {
            *label_counts.entry(w.deprel.as_str()).or_default() += 1;
        }
    }
    let mut labels: Vec<(&str, usize)> = label_counts.into_iter().collect();
    labels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    labels.truncate(64);
    let mut labels: Vec<String> = labels.into_iter().map(|(l, _)| l.to_string()).collect();
    if !labels.iter().any(|l| l == "root") {
        labels.push("root".to_string());
        labels.truncate(64);
    }
    let root_label = labels.iter().position(|l| l == "root").unwrap_or(0) as u8;
    let label_id: HashMap<&str, u8> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u8))
        .collect();
    let label_hash: Vec<u64> = labels.iter().map(|l| hash_str(l)).collect();

    let lexicon = AmbiguityLexicon::build(train.iter());
    let fold_of = document_folds(train, LEXICON_FOLDS);
    let fold_lexicons: Vec<AmbiguityLexicon> = (0..LEXICON_FOLDS)
        .map(|fold| {
            AmbiguityLexicon::build(
                train
                    .iter()
                    .zip(&fold_of)
                    .filter(|(_, f)| **f != fold)
                    .map(|(s, _)| s),
            )
        })
        .collect();
    let mut lifted = 0;
    let examples: Vec<Example> = train
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.words.is_empty() && s.words.iter().all(|w| w.head.is_some()))
        .map(|(index, s)| {
            let mut gold_heads = vec![NONE];
            gold_heads.extend(s.words.iter().map(|w| (w.head.unwrap() + 1) as u32));
            lifted += projectivize(&mut gold_heads);
            let mut gold_labels = vec![0];
            gold_labels.extend(
                s.words
                    .iter()
                    .map(|w| label_id.get(w.deprel.as_str()).copied().unwrap_or(0)),
            );
            Example {
                fold: fold_of[index],
                words: s.words.iter().map(|w| w.form.clone()).collect(),
                tags: s.words.iter().map(|w| tag_hash(&w.upos, &w.xpos)).collect(),
                gold_heads,
                gold_labels,
            }
        })
        .collect();
    if opts.verbose {
        eprintln!(
            "parser: {} sentences, {} labels, {lifted} non-projective arcs lifted",
            examples.len(),
            labels.len()
        );
    }

    let compile =
        |actions: &[&PerceptronTrainer], labeller: &[&PerceptronTrainer], prune: f32| Parser {
            labels: labels.clone(),
            label_hash: label_hash.clone(),
            root_label,
            lexicon: lexicon.clone(),
            actions: PerceptronTrainer::compile_mean(actions, prune),
            labeller: PerceptronTrainer::compile_mean(labeller, prune),
            beam: opts.beam.clamp(1, 255) as u8,
            beam_margin: BEAM_MARGIN,
        };
    let score_dev = |parser: &Parser, dev: &[Sentence]| {
        let mut pred = dev.to_vec();
        parser.parse_sentences(&mut pred);
        attachment_scores(dev, &pred)
    };
    let mut members: Vec<(PerceptronTrainer, PerceptronTrainer)> = Vec::new();
    for member in 0..opts.ensemble.max(1) {
        let seed = opts.seed.wrapping_add(member as u64 * 0x9e37);
        let report = |epoch: usize,
                      errors: f64,
                      actions: &PerceptronTrainer,
                      labeller: &PerceptronTrainer| {
            if !opts.verbose {
                return;
            }
            let mut line = format!(
                "parser {} epoch {}: transition errors {errors:.2}%",
                member + 1,
                epoch + 1
            );
            if let Some(dev) = dev {
                let (uas, las) = score_dev(&compile(&[actions], &[labeller], opts.prune), dev);
                line.push_str(&format!(" | dev UAS {uas:.2} LAS {las:.2}"));
            }
            eprintln!("{line}");
        };
        let inputs = MemberInputs {
            examples: &examples,
            fold_lexicons: &fold_lexicons,
            label_hash: &label_hash,
            root_label,
            opts,
        };
        let (actions, labeller) = if opts.beam > 1 {
            beam::train_member_beam(&inputs, seed, report)
        } else {
            train_member(&inputs, seed, report)
        };
        members.push((actions, labeller));
    }
    let action_models: Vec<&PerceptronTrainer> = members.iter().map(|m| &m.0).collect();
    let label_models: Vec<&PerceptronTrainer> = members.iter().map(|m| &m.1).collect();
    if let Some(dev) = dev.filter(|_| opts.verbose) {
        if members.len() > 1 {
            let (uas, las) = score_dev(&compile(&action_models, &label_models, opts.prune), dev);
            eprintln!(
                "parser ensemble of {}: dev UAS {uas:.2} LAS {las:.2}",
                members.len()
            );
        }
        for &prune in &opts.prune_report {
            let parser = compile(&action_models, &label_models, prune);
            let (uas, las) = score_dev(&parser, dev);
            eprintln!(
                "prune {prune}: {} bytes, {:?} features | dev UAS {uas:.2} LAS {las:.2}",
                parser.to_bytes().len(),
                parser.n_features()
            );
        }
    }
    compile(&action_models, &label_models, opts.prune)
}

/// What every ensemble member is trained from.
#[derive(Clone, Copy)]
struct MemberInputs<'a> {
    examples: &'a [Example],
    fold_lexicons: &'a [AmbiguityLexicon],
    label_hash: &'a [u64],
    root_label: u8,
    opts: &'a ParserOptions,
}

impl MemberInputs<'_> {
    /// The training label model's guess for the arc `head → dep` in `state` (never the root
    /// label); `feats` keeps the arc's features for the update.
    fn guess_label(
        &self,
        labeller: &PerceptronTrainer,
        state: &State,
        lex: &Lexical,
        (head, dep): (u32, u32),
        feats: &mut FeatureSet,
        scores: &mut [f32],
    ) -> usize {
        let view = View {
            s: state,
            lex,
            label_hash: self.label_hash,
        };
        label_features(&view, head, dep, feats);
        scores.iter_mut().for_each(|s| *s = 0.0);
        labeller.score(&feats.keys, scores);
        let root = usize::from(self.root_label);
        argmax_valid(scores, |l| l != root).unwrap_or(0)
    }

    /// Empty transition and label models, the shuffling generator and the example order.
    fn start(&self, seed: u64) -> (PerceptronTrainer, PerceptronTrainer, Rng, Vec<usize>) {
        (
            PerceptronTrainer::new(4),
            PerceptronTrainer::new(self.label_hash.len()),
            Rng::new(seed),
            (0..self.examples.len()).collect(),
        )
    }
}

/// Trains one transition model and one label model by online learning with the dynamic
/// oracle; `report(epoch, transition error %, actions, labeller)` runs after each epoch.
fn train_member(
    inputs: &MemberInputs<'_>,
    seed: u64,
    mut report: impl FnMut(usize, f64, &PerceptronTrainer, &PerceptronTrainer),
) -> (PerceptronTrainer, PerceptronTrainer) {
    let MemberInputs {
        examples,
        fold_lexicons,
        label_hash,
        root_label,
        opts,
    } = *inputs;
    let (mut actions, mut labeller, mut rng, mut order) = inputs.start(seed);
    let mut state = State::default();
    let mut lex = Lexical::default();
    let mut feats = FeatureSet::default();
    let mut lfeats = FeatureSet::default();
    let mut lscores = vec![0f32; label_hash.len()];
    for epoch in 0..opts.iterations {
        rng.shuffle(&mut order);
        let (mut steps, mut wrong) = (0usize, 0usize);
        for &ei in &order {
            let ex = &examples[ei];
            let words: Vec<&str> = ex.words.iter().map(String::as_str).collect();
            lex.fill(&words, ex.tags.iter().copied(), &fold_lexicons[ex.fold]);
            state.reset(words.len());
            let gold = &ex.gold_heads;
            while !state.is_terminal() {
                let view = View {
                    s: &state,
                    lex: &lex,
                    label_hash,
                };
                action_features(&view, &mut feats);
                let mut scores = [0f32; 4];
                actions.score(&feats.keys, &mut scores);
                let mut costs = [u32::MAX; 4];
                for (i, &a) in ACTIONS.iter().enumerate() {
                    if state.is_valid(a) {
                        costs[i] = state.cost(a, gold);
                    }
                }
                let min_cost = *costs.iter().min().unwrap();
                let guess = argmax_valid(&scores, |i| costs[i] != u32::MAX).unwrap();
                let best = argmax_valid(&scores, |i| costs[i] == min_cost).unwrap();
                steps += 1;
                if costs[guess] > min_cost {
                    wrong += 1;
                    actions.update(&feats.keys, best, guess);
                }
                actions.tick();
                let follow = if epoch >= opts.explore_from && rng.next_f64() < opts.explore_p {
                    guess
                } else {
                    best
                };
                let action = ACTIONS[follow];
                let mut label = 0u8;
                if let Some((h, d)) = state.arc_of(action) {
                    if h == ROOT {
                        label = root_label;
                    } else {
                        let lguess = inputs.guess_label(
                            &labeller,
                            &state,
                            &lex,
                            (h, d),
                            &mut lfeats,
                            &mut lscores,
                        );
                        label = lguess as u8;
                        if gold[d as usize] == h {
                            let truth = ex.gold_labels[d as usize];
                            labeller.update(&lfeats.keys, usize::from(truth), lguess);
                            labeller.tick();
                            label = truth;
                        }
                    }
                }
                state.apply(action, label);
            }
        }
        report(
            epoch,
            100.0 * wrong as f64 / steps.max(1) as f64,
            &actions,
            &labeller,
        );
    }
    (actions, labeller)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gold heads in parser positions (index 0 unused) from 0-based CoNLL-style heads.
    fn positions(heads: &[i32]) -> Vec<u32> {
        let mut g = vec![NONE];
        g.extend(heads.iter().map(|&h| (h + 1) as u32));
        g
    }

    /// Follows the cheapest transition (ties: LeftArc, RightArc, Reduce, Shift).
    fn oracle_parse(gold: &[u32]) -> Vec<u32> {
        let mut s = State::default();
        s.reset(gold.len() - 1);
        while !s.is_terminal() {
            let order = [
                Action::LeftArc,
                Action::RightArc,
                Action::Reduce,
                Action::Shift,
            ];
            let a = order
                .into_iter()
                .filter(|&a| s.is_valid(a))
                .min_by_key(|&a| s.cost(a, gold))
                .unwrap();
            assert_eq!(s.cost(a, gold), 0, "a zero-cost transition must exist");
            s.apply(a, 0);
        }
        s.heads().to_vec()
    }

    #[test]
    fn static_oracle_reproduces_projective_trees() {
        // "Mali 's government denied that any mercenaries had deployed ."
        let trees: [&[i32]; 4] = [
            &[2, 0, 3, -1, 8, 6, 8, 8, 3, 3],
            &[-1],
            &[1, -1, 1],
            &[3, 3, 3, -1, 5, 3, 7, 5, 3],
        ];
        for heads in trees {
            let gold = positions(heads);
            let got = oracle_parse(&gold);
            assert_eq!(&got[1..], &gold[1..], "tree {heads:?}");
        }
    }

    /// Best number of gold arcs reachable from `s` by any transition sequence (brute force).
    fn best_reachable(s: &State, gold: &[u32]) -> u32 {
        if s.is_terminal() {
            return (1..=s.n)
                .filter(|&d| s.head[d] != NONE && s.head[d] == gold[d])
                .count() as u32;
        }
        ACTIONS
            .iter()
            .filter(|&&a| s.is_valid(a))
            .map(|&a| {
                let mut t = s.clone();
                t.apply(a, 0);
                best_reachable(&t, gold)
            })
            .max()
            .unwrap()
    }

    #[test]
    fn dynamic_oracle_costs_match_brute_force_search() {
        let trees: [&[i32]; 5] = [
            &[1, -1, 1, 2, 1],
            &[2, 2, -1, 4, 2, 2],
            &[-1, 0, 1, 2, 0],
            &[3, 3, 1, -1, 3, 4],
            &[1, 4, 4, 4, -1, 4],
        ];
        let mut rng = Rng::new(7);
        for heads in trees {
            let gold = positions(heads);
            for _walk in 0..30 {
                let mut s = State::default();
                s.reset(heads.len());
                while !s.is_terminal() {
                    let best_now = best_reachable(&s, &gold);
                    let valid: Vec<Action> =
                        ACTIONS.iter().copied().filter(|&a| s.is_valid(a)).collect();
                    for &a in &valid {
                        let mut t = s.clone();
                        t.apply(a, 0);
                        let loss = best_now - best_reachable(&t, &gold);
                        assert_eq!(s.cost(a, &gold), loss, "{heads:?} {a:?} {s:?}");
                    }
                    assert!(valid.iter().any(|&a| s.cost(a, &gold) == 0));
                    let a = valid[rng.below(valid.len())];
                    s.apply(a, 0);
                }
            }
        }
    }

    /// A tiny hand-written treebank: `form/TAG/head/deprel` per word, heads 1-based.
    fn toy_treebank() -> Vec<Sentence> {
        let rows = [
            "Officials/NNS/2/nsubj said/VBD/0/root that/IN/5/mark troops/NNS/5/nsubj left/VBD/2/ccomp ./././punct",
            "The/DT/2/det army/NN/3/nsubj denied/VBD/0/root the/DT/5/det report/NN/3/obj ./././punct",
            "Rebels/NNS/2/nsubj attacked/VBD/0/root the/DT/4/det town/NN/2/obj ./././punct",
            "The/DT/2/det minister/NN/3/nsubj said/VBD/0/root that/IN/7/mark the/DT/6/det rebels/NNS/7/nsubj fled/VBD/3/ccomp ./././punct",
            "Troops/NNS/2/nsubj denied/VBD/0/root that/IN/5/mark rebels/NNS/5/nsubj attacked/VBD/2/ccomp ./././punct",
            "The/DT/2/det report/NN/3/nsubj said/VBD/0/root troops/NNS/5/nsubj fled/VBD/3/ccomp ./././punct",
        ];
        let mut text = String::new();
        for row in rows {
            let words: Vec<&str> = row.split(' ').collect();
            for (i, tok) in words.iter().enumerate() {
                let parts: Vec<&str> = tok.split('/').collect();
                // `.` in the head column means "attach to the root word".
                let head = if parts[2] == "." {
                    words
                        .iter()
                        .position(|w| w.ends_with("/0/root"))
                        .map_or(0, |r| r + 1)
                } else {
                    parts[2].parse().unwrap()
                };
                let deprel = if parts[3] == "." { "punct" } else { parts[3] };
                let (form, tag) = if parts[0].is_empty() {
                    (".", ".")
                } else {
                    (parts[0], parts[1])
                };
                text.push_str(&format!(
                    "{}\t{form}\t_\tX\t{tag}\t_\t{head}\t{deprel}\t_\t_\n",
                    i + 1
                ));
            }
            text.push('\n');
        }
        crate::conllu::parse_conllu(&text).unwrap()
    }

    #[test]
    fn learns_a_tiny_treebank_and_round_trips() {
        for base in [ParserOptions::default(), ParserOptions::greedy()] {
            learns_and_round_trips(base);
        }
    }

    fn learns_and_round_trips(base: ParserOptions) {
        let data = toy_treebank();
        assert_eq!(data.len(), 6);
        let opts = ParserOptions {
            iterations: 10,
            prune: 0.0,
            verbose: false,
            ..base
        };
        let parser = train_parser_on(&data, None, &opts);
        assert_eq!(usize::from(parser.beam_width()), opts.beam);
        let mut pred = data.clone();
        parser.parse_sentences(&mut pred);
        let (uas, las) = attachment_scores(&data, &pred);
        assert_eq!((uas, las), (100.0, 100.0));
        // Serialisation keeps every weight: identical predictions on a new sentence.
        let loaded = Parser::from_bytes(&parser.to_bytes()).unwrap();
        assert_eq!(loaded, parser);
        let words = ["The", "army", "said", "rebels", "left", "."];
        let upos = ["X"; 6];
        let xpos = ["DT", "NN", "VBD", "NNS", "VBD", "."];
        let mut ws = ParserWorkspace::default();
        let (mut h1, mut l1, mut h2, mut l2) = (vec![], vec![], vec![], vec![]);
        parser.parse_into(&words, &upos, &xpos, &mut ws, &mut h1, &mut l1);
        loaded.parse_into(&words, &upos, &xpos, &mut ws, &mut h2, &mut l2);
        assert_eq!((&h1, &l1), (&h2, &l2));
        assert_eq!(h1, vec![1, 2, -1, 4, 2, 2]);
        assert_eq!(parser.label_of(l1[1]), "nsubj");
        assert_eq!(parser.label_of(l1[4]), "ccomp");
    }

    #[test]
    fn the_beam_gold_sequence_rebuilds_each_toy_tree() {
        for s in toy_treebank() {
            let mut heads = vec![NONE];
            heads.extend(s.words.iter().map(|w| (w.head.unwrap() + 1) as u32));
            let labels = vec![1u8; heads.len()];
            let mut state = State::default();
            state.reset(heads.len() - 1);
            for (action, label) in beam::gold_sequence(&heads, &labels, 0) {
                state.apply(action, label);
            }
            assert_eq!(&state.heads()[1..], &heads[1..]);
        }
    }

    /// Word features and the initial state of a six-word sentence.
    fn toy_start() -> (Lexical, State) {
        let lexicon = AmbiguityLexicon::build(toy_treebank().iter());
        let words = ["The", "army", "said", "rebels", "left", "."];
        let mut lex = Lexical::default();
        lex.fill(&words, (0..6).map(|i| i as u64 * 7 + 1), &lexicon);
        let mut state = State::default();
        state.reset(words.len());
        (lex, state)
    }

    /// A state copied over another (the beam's `clone_from`) is the same configuration.
    #[test]
    fn a_copied_state_is_the_same_configuration() {
        let (lex, mut state) = toy_start();
        for action in [
            Action::Shift,
            Action::LeftArc,
            Action::Shift,
            Action::RightArc,
        ] {
            state.apply(action, 2);
        }
        let mut copy = State::default();
        copy.reset(9);
        copy.apply(Action::Shift, 1);
        copy.clone_from(&state);
        let label_hash = [1, 2, 3];
        let features = |s: &State| {
            let mut f = FeatureSet::default();
            let view = View {
                s,
                lex: &lex,
                label_hash: &label_hash,
            };
            action_features(&view, &mut f);
            f.keys
        };
        assert_eq!((state.n, state.next), (6, 4));
        for s in [&copy, &state.clone()] {
            assert_eq!(features(s), features(&state));
            assert_eq!(
                (&s.head, &s.label, &s.lc1, &s.rc1),
                (&state.head, &state.label, &state.lc1, &state.rc1)
            );
            assert_eq!(
                (&s.lset, &s.rset, &s.stack, &s.on_stack),
                (&state.lset, &state.rset, &state.stack, &state.on_stack)
            );
            assert_eq!(
                (s.n, s.next, s.root_child),
                (state.n, state.next, state.root_child)
            );
        }
    }

    /// Random transition sequences over the toy sentences: whenever two states share a
    /// group signature, they have the same features in that group.
    #[test]
    fn group_signatures_determine_the_features() {
        let treebank = toy_treebank();
        let lexicon = AmbiguityLexicon::build(treebank.iter());
        let label_hash = [11, 12, 13, 14];
        let mut rng = Rng::new(5);
        let mut shared = 0;
        let long: Vec<String> = (0..16).map(|i| format!("w{}", i % 5)).collect();
        let mut sentences: Vec<Vec<&str>> = treebank.iter().map(|s| s.forms()).collect();
        sentences.push(long.iter().map(String::as_str).collect());
        for words in sentences {
            let mut lex = Lexical::default();
            lex.fill(&words, (0..words.len()).map(|i| i as u64 % 3 + 1), &lexicon);
            let mut seen: HashMap<u64, Vec<u32>> = HashMap::new();
            let mut f = FeatureSet::default();
            for _ in 0..200 {
                let mut state = State::default();
                state.reset(words.len());
                while !state.is_terminal() {
                    let view = View {
                        s: &state,
                        lex: &lex,
                        label_hash: &label_hash,
                    };
                    for group in [STATE, N0_ARCS] {
                        action_features_of(&view, group, &mut f);
                        match seen.entry(group_signature(&state, group)) {
                            std::collections::hash_map::Entry::Occupied(e) => {
                                assert_eq!(e.get(), &f.keys, "group {group}");
                                shared += 1;
                            }
                            std::collections::hash_map::Entry::Vacant(e) => {
                                e.insert(f.keys.clone());
                            }
                        }
                    }
                    let valid: Vec<Action> =
                        ACTIONS.into_iter().filter(|&a| state.is_valid(a)).collect();
                    let action = valid[rng.below(valid.len())];
                    state.apply(action, rng.below(4) as u8);
                }
            }
        }
        assert!(shared > 1000, "{shared} repeated signatures");
    }

    #[test]
    fn feature_groups_partition_the_action_features() {
        let (lex, mut state) = toy_start();
        let label_hash = [1, 2, 3];
        let (mut all, mut parts, mut f) = (
            FeatureSet::default(),
            FeatureSet::default(),
            FeatureSet::default(),
        );
        for action in [
            Action::Shift,
            Action::LeftArc,
            Action::Shift,
            Action::RightArc,
        ] {
            let view = View {
                s: &state,
                lex: &lex,
                label_hash: &label_hash,
            };
            action_features(&view, &mut all);
            parts.clear();
            for group in beam::GROUP_ORDER {
                action_features_of(&view, group, &mut f);
                parts.keys.extend_from_slice(&f.keys);
            }
            let (mut a, mut b) = (all.keys.clone(), parts.keys.clone());
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b);
            assert!(a.len() > 90);
            state.apply(action, 1);
        }
    }

    #[test]
    fn projectivize_lifts_crossing_arcs() {
        // 1 <- 3 crosses 2 -> 4 (word 2 is root; 4 hangs from 2, 1 from 3).
        let mut heads = vec![NONE, 3, 0, 2, 2];
        let lifted = projectivize(&mut heads);
        assert_eq!(lifted, 1);
        // Now every arc is projective and the oracle can rebuild it.
        let rebuilt = oracle_parse(&heads);
        assert_eq!(&rebuilt[1..], &heads[1..]);
    }

    #[test]
    fn coarse_classes_merge_proper_and_common_nouns() {
        let text = "1\tRebels\t_\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n\
                    2\tattacked\t_\tVERB\tVBD\t_\t0\troot\t_\t_\n\
                    3\tGao\t_\tPROPN\tNNP\t_\t2\tobj\t_\t_\n\n";
        let data = crate::conllu::parse_conllu(text).unwrap();
        let lexicon = AmbiguityLexicon::build(data.iter());
        let noun = lexicon.coarse_of(tag_hash("NOUN", "NNS"));
        assert_eq!(lexicon.coarse_of(tag_hash("PROPN", "NNP")), noun);
        assert_ne!(lexicon.coarse_of(tag_hash("VERB", "VBD")), noun);
        // A tag never seen in training backs off to itself.
        let unseen = tag_hash("ADJ", "JJ");
        assert_eq!(lexicon.coarse_of(unseen), unseen);
        // The parser file keeps the mapping.
        let parser = train_parser_on(
            &data,
            None,
            &ParserOptions {
                iterations: 2,
                verbose: false,
                ..ParserOptions::default()
            },
        );
        let loaded = Parser::from_bytes(&parser.to_bytes()).unwrap();
        assert_eq!(loaded.lexicon.coarse, parser.lexicon.coarse);
        assert_eq!(loaded.lexicon.coarse.len(), 3);
    }

    #[test]
    fn an_ensemble_of_two_learns_the_toy_treebank() {
        let data = toy_treebank();
        let opts = ParserOptions {
            iterations: 10,
            prune: 0.0,
            verbose: false,
            ensemble: 2,
            ..ParserOptions::default()
        };
        let parser = train_parser_on(&data, None, &opts);
        let mut pred = data.clone();
        parser.parse_sentences(&mut pred);
        assert_eq!(attachment_scores(&data, &pred), (100.0, 100.0));
    }
}
