//! Beam decoding of one sentence with the runtime [`Parser`]: the [`super::beam`] search over
//! transition sequences, with each item's feature groups scored once per sentence and shared
//! by every item that has the same context. Kept apart from the search so that the search
//! (a leaf) knows nothing of the parser, and the parser's file nothing of this decoding.

use super::beam::{GROUP_ORDER, GROUPS, PAIR_SEED, search};
use super::features::{BUFFER, PAIR, View, action_features_of, group_signature};
use super::model::{Parser, ParserWorkspace};
use super::transition::NONE;
use crate::model_io::{combine, mix64};
use crate::perceptron::FeatureSet;

impl Parser {
    /// Beam decoding of the words whose features are in `ws.lex`; leaves the best parse in
    /// `ws.state` (leftovers are attached by the caller).
    pub(super) fn beam_parse(&self, n: usize, ws: &mut ParserWorkspace) {
        let mut beam = std::mem::take(&mut ws.beam);
        let mut spare = std::mem::take(&mut ws.spare);
        let (lex, scores) = (&ws.lex, &mut ws.scores);
        let groups = &mut ws.groups;
        groups.reset(n);
        let (lfeats, lscores) = (&mut ws.feats, &mut ws.label_scores);
        let item_feats = &mut ws.item_feats;
        // The items of a beam mostly build the same arcs in slightly different contexts: each
        // arc is labelled once per sentence, in the first context (-0.08 LAS on held-out
        // documents, a few percent of decoding time).
        let labelled = &mut ws.labelled;
        labelled.clear();
        search(
            usize::from(self.beam),
            self.beam_margin,
            n,
            &mut beam,
            &mut spare,
            &mut ws.search,
            |items, out| {
                // Items share much of their context: a group's scores are looked up once per
                // sentence for every state with the same buffer position (BUFFER), the same
                // stack pair (PAIR), or the same signature (the arc-reading groups: their
                // features are computed only when the signature is new). The
                // weights live in tables far larger than the caches, so the keys still to
                // score are all announced before any is read: their memory loads overlap.
                if item_feats.len() < GROUPS * items.len() {
                    item_feats.resize_with(GROUPS * items.len(), || (0, FeatureSet::default()));
                }
                for (item, f) in items.iter().zip(item_feats.chunks_mut(GROUPS)) {
                    let state = &item.state;
                    if state.is_terminal() {
                        continue;
                    }
                    let view = View {
                        s: state,
                        lex,
                        label_hash: &self.label_hash,
                    };
                    for ((slot, feats), group) in f.iter_mut().zip(GROUP_ORDER) {
                        feats.clear();
                        *slot = match group {
                            BUFFER => state.next as u64,
                            PAIR => {
                                let s1 = match state.stack.len() {
                                    0 | 1 => NONE,
                                    k => state.stack[k - 2],
                                };
                                combine(
                                    combine(combine(PAIR_SEED, state.s0().into()), s1.into()),
                                    state.next as u64,
                                )
                            }
                            _ => group_signature(state, group),
                        };
                        if groups.get(group, *slot).is_none() {
                            action_features_of(&view, group, feats);
                            self.actions.prefetch(&feats.keys);
                        }
                    }
                }
                let scale = self.actions.scale();
                for (item, f) in items.iter().zip(item_feats.chunks(GROUPS)) {
                    if item.state.is_terminal() {
                        out.push([0.0; 4]);
                        continue;
                    }
                    let mut total = [0i32; 4];
                    for ((slot, feats), group) in f.iter().zip(GROUP_ORDER) {
                        let g = groups.get_or_insert_with(group, *slot, || {
                            scores.clear();
                            scores.resize(4, 0);
                            self.actions.score_fetched(&feats.keys, scores);
                            [scores[0], scores[1], scores[2], scores[3]]
                        });
                        for (t, x) in total.iter_mut().zip(g) {
                            *t += x;
                        }
                    }
                    out.push(total.map(|x| x as f32 * scale));
                }
            },
            |state, h, d| {
                *labelled
                    .entry(mix64(u64::from(h) << 32 | u64::from(d)))
                    .or_insert_with(|| self.label_in(state, lex, h, d, lfeats, lscores))
            },
            None,
        );
        ws.state.clone_from(&beam[0].state);
        ws.beam = beam;
        ws.spare = spare;
    }
}
