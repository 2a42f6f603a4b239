//! The arc-eager transition system: configurations ([`State`]), the four transitions, the
//! dynamic oracle's costs, and projectivisation of training trees.

pub(super) const NONE: u32 = u32::MAX;
pub(super) const ROOT: u32 = 0;
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
    pub(super) n: usize,
    pub(super) stack: Vec<u32>,
    pub(super) next: usize,
    pub(super) head: Vec<u32>,
    pub(super) label: Vec<u8>,
    /// Leftmost / second-leftmost / rightmost / second-rightmost dependents.
    pub(super) lc1: Vec<u32>,
    pub(super) lc2: Vec<u32>,
    pub(super) rc1: Vec<u32>,
    pub(super) rc2: Vec<u32>,
    pub(super) lval: Vec<u8>,
    pub(super) rval: Vec<u8>,
    /// Bit sets of the labels of left and right dependents.
    pub(super) lset: Vec<u64>,
    pub(super) rset: Vec<u64>,
    pub(super) on_stack: Vec<bool>,
    pub(super) root_child: u32,
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

    pub(super) fn s0(&self) -> u32 {
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

    pub(super) fn add_arc(&mut self, h: u32, d: u32, label: u8) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model_io::Rng;

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
}
