//! Feature extraction: per-word values ([`Lexical`]), the ambiguity lexicon, and the action
//! and label feature templates over a [`State`] (read through a [`View`]).

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::transition::{NONE, ROOT, State};
use crate::model_io::{combine, hash_str, mix64};
use crate::perceptron::FeatureSet;
use crate::tagger::normalise;

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
pub(super) struct Lexical {
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
    pub(super) words: FxHashMap<String, u64>,
    /// Tag hash → coarse class (the UPOS, with PROPN merged into NOUN): the parser's
    /// back-off for the fine tag, which the tagger gets wrong more often.
    pub(super) coarse: HashMap<u64, u64>,
}

const UNKNOWN_AMB: u64 = 0x756e_6b61_6d62;

impl AmbiguityLexicon {
    fn lookup(&self, norm: &str) -> u64 {
        self.words.get(norm).copied().unwrap_or(UNKNOWN_AMB)
    }

    pub(super) fn coarse_of(&self, tag: u64) -> u64 {
        self.coarse.get(&tag).copied().unwrap_or(tag)
    }
}

impl Lexical {
    pub(super) fn fill(
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

pub(super) struct View<'a> {
    pub(super) s: &'a State,
    pub(super) lex: &'a Lexical,
    pub(super) label_hash: &'a [u64],
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
pub(super) fn action_features(v: &View<'_>, f: &mut FeatureSet) {
    action_features_of(v, ALL_GROUPS, f);
}

/// Action-feature groups by what they read: the buffer front only (the same for every state
/// at a buffer position); the stack's top two words and the buffer front without their arcs
/// (the same for every state with those positions); the buffer front's left children; and
/// the rest (mostly the stack top's arcs). Beam decoding scores each group once per sentence
/// for all the states that share it (see `parser/beam.rs`). Features come in the same order
/// whatever the groups, so training is unchanged.
pub(super) const BUFFER: u8 = 1;
pub(super) const PAIR: u8 = 2;
pub(super) const STATE: u8 = 4;
pub(super) const N0_ARCS: u8 = 8;
const ALL_GROUPS: u8 = BUFFER | PAIR | STATE | N0_ARCS;

/// Action features of the given groups (the Zhang & Nivre 2011 arc-eager set plus the second
/// stack item and the back-off templates below).
pub(super) fn action_features_of(v: &View<'_>, groups: u8, f: &mut FeatureSet) {
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
pub(super) fn group_signature(s: &State, group: u8) -> u64 {
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
    let mut h = combine(combine(mix64(u64::from(group) + 1), s0.into()), n0.into());
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
pub(super) fn label_features(v: &View<'_>, head: u32, dep: u32, f: &mut FeatureSet) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model_io::Rng;
    use crate::parser::beam;
    use crate::parser::train::toy_treebank;
    use crate::parser::transition::{ACTIONS, Action};

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
}
