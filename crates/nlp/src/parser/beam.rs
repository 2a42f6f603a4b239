//! Beam search with global training for the arc-eager parser (Zhang & Clark 2008; Zhang &
//! Nivre 2011): the transition model scores whole transition sequences (the sum of their
//! transitions' scores), decoding keeps the `width` best partial sequences, and training is a
//! structured perceptron with early update: as soon as the gold sequence drops out of the
//! beam, the features of the gold prefix are rewarded and those of the best prefix in the beam
//! penalised. Labels stay with the local label model, trained along the gold sequence.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::features::{BUFFER, N0_ARCS, PAIR, STATE};
use super::transition::{ACTIONS, Action, State};
use crate::perceptron::KeyHasher;

/// One partial parse in the beam.
#[derive(Debug, Clone, Default)]
pub(super) struct Item {
    pub(super) state: State,
    pub(super) score: f32,
    /// Whether this item is the gold sequence's prefix (training only).
    pub(super) gold: bool,
    pub(super) history: Vec<(Action, u8)>,
}

/// Scratch buffers of [`search`], kept between sentences.
#[derive(Debug, Default)]
pub(super) struct SearchBuffers {
    /// `(score, parent item, transition)` of each way to extend the beam.
    candidates: Vec<(f32, usize, Option<Action>)>,
    /// The transition scores of each item.
    scores: Vec<[f32; 4]>,
}

/// How a search ended.
pub(super) enum Outcome {
    /// Every item is terminal; the best is first.
    Finished,
    /// Training: the gold prefix fell out of the beam after this many transitions.
    GoldLost(usize),
}

/// Beam search over one sentence. `action_scores` scores the four transitions of every
/// item of the beam (terminal items' scores are ignored), `label` picks an arc's label; with
/// `gold`, the gold item is tracked for early update.
#[allow(clippy::too_many_arguments)]
pub(super) fn search(
    width: usize,
    margin: f32,
    n: usize,
    beam: &mut Vec<Item>,
    spare: &mut Vec<Item>,
    bufs: &mut SearchBuffers,
    mut action_scores: impl FnMut(&[Item], &mut Vec<[f32; 4]>),
    mut label: impl FnMut(&State, u32, u32) -> u8,
    gold: Option<&[(Action, u8)]>,
) -> Outcome {
    // `beam[..live]` is the beam; items past it (and in `spare`) are kept, not dropped, so
    // their buffers are reused from step to step and sentence to sentence.
    if beam.is_empty() {
        beam.push(Item::default());
    }
    let mut live = 1;
    let first = &mut beam[0];
    first.state.reset(n);
    first.score = 0.0;
    first.gold = gold.is_some();
    first.history.clear();
    let SearchBuffers {
        candidates,
        scores: all_scores,
    } = bufs;
    let mut step = 0;
    while beam[..live].iter().any(|item| !item.state.is_terminal()) {
        candidates.clear();
        all_scores.clear();
        action_scores(&beam[..live], all_scores);
        for (i, (item, scores)) in beam[..live].iter().zip(all_scores.iter()).enumerate() {
            if item.state.is_terminal() {
                candidates.push((item.score, i, None));
                continue;
            }
            for (a, &action) in ACTIONS.iter().enumerate() {
                if item.state.is_valid(action) {
                    candidates.push((item.score + scores[a], i, Some(action)));
                }
            }
        }
        // Best first; ties by parent, then transition: a total order, so the search is
        // deterministic.
        let order = |x: &(f32, usize, Option<Action>), y: &(f32, usize, Option<Action>)| {
            y.0.total_cmp(&x.0)
                .then(x.1.cmp(&y.1))
                .then((x.2.map(|a| a as u8)).cmp(&y.2.map(|a| a as u8)))
        };
        if candidates.len() > width {
            candidates.select_nth_unstable_by(width - 1, order);
            candidates.truncate(width);
        }
        candidates.sort_unstable_by(order);
        // Dynamic beam: drop candidates far behind the best, so confident stretches of the
        // sentence cost about as much as greedy parsing.
        let floor = candidates[0].0 - margin;
        while candidates.len() > 1 && candidates[candidates.len() - 1].0 < floor {
            candidates.pop();
        }
        if spare.len() < candidates.len() {
            spare.resize_with(candidates.len(), Item::default);
        }
        let mut gold_kept = false;
        for (slot, &(score, parent, action)) in spare.iter_mut().zip(candidates.iter()) {
            let from = &beam[parent];
            slot.state.clone_from(&from.state);
            slot.history.clone_from(&from.history);
            slot.score = score;
            slot.gold = from.gold;
            if let Some(action) = action {
                let gold_step = gold.and_then(|g| g.get(step)).filter(|_| from.gold);
                let label = match (gold_step, slot.state.arc_of(action)) {
                    (Some(&(a, l)), _) if a == action => l,
                    (_, Some((h, d))) => label(&slot.state, h, d),
                    _ => 0,
                };
                slot.gold = gold_step.is_some_and(|&(a, _)| a == action);
                slot.state.apply(action, label);
                slot.history.push((action, label));
            }
            gold_kept |= slot.gold;
        }
        std::mem::swap(beam, spare);
        live = candidates.len();
        step += 1;
        if gold.is_some() && !gold_kept {
            return Outcome::GoldLost(step);
        }
    }
    Outcome::Finished
}

/// The action-feature groups, in the order the decoder scores them.
pub(super) const GROUP_ORDER: [u8; 4] = [BUFFER, PAIR, STATE, N0_ARCS];
pub(super) const GROUPS: usize = GROUP_ORDER.len();
pub(super) const PAIR_SEED: u64 = 0x7061_6972;

/// Scores of action-feature groups already computed in this sentence: `BUFFER` by buffer
/// position, the other groups by a hash of what determines their keys (the stack pair's
/// positions for `PAIR`, [`group_signature`] for the arc-reading groups; 64-bit hashes, so
/// a collision within one sentence is practically impossible).
#[derive(Debug, Default)]
pub(super) struct GroupScores {
    by_next: Vec<Option<[i32; 4]>>,
    by_hash: HashMap<u64, [i32; 4], BuildHasherDefault<KeyHasher>>,
}

impl GroupScores {
    /// Forgets the last sentence's scores before one of `n` words.
    pub(super) fn reset(&mut self, n: usize) {
        self.by_next.clear();
        self.by_next.resize(n + 2, None);
        self.by_hash.clear();
    }

    pub(super) fn get(&self, group: u8, slot: u64) -> Option<[i32; 4]> {
        if group == BUFFER {
            self.by_next[slot as usize]
        } else {
            self.by_hash.get(&slot).copied()
        }
    }

    pub(super) fn get_or_insert_with(
        &mut self,
        group: u8,
        slot: u64,
        f: impl FnOnce() -> [i32; 4],
    ) -> [i32; 4] {
        if group == BUFFER {
            *self.by_next[slot as usize].get_or_insert_with(f)
        } else {
            *self.by_hash.entry(slot).or_insert_with(f)
        }
    }
}
