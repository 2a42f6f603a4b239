//! Global training of the beam parser: a structured perceptron with early update on the
//! static oracle's transition sequence (see `parser/beam.rs` for the search).

use super::{MemberInputs, Step};
use crate::parser::beam::{Outcome, SearchBuffers, search};
use crate::parser::features::{Lexical, View, action_features};
use crate::parser::transition::{Action, ROOT, State};
use crate::perceptron::{FeatureSet, PerceptronTrainer};

/// The canonical gold transition sequence of a projective tree (static oracle, preferring
/// LEFT-ARC, RIGHT-ARC, REDUCE, SHIFT among the transitions that lose no gold arc).
pub(super) fn gold_sequence(
    gold_heads: &[u32],
    gold_labels: &[u8],
    root_label: u8,
) -> Vec<(Action, u8)> {
    let mut s = State::default();
    s.reset(gold_heads.len() - 1);
    let mut seq = Vec::new();
    let order = [
        Action::LeftArc,
        Action::RightArc,
        Action::Reduce,
        Action::Shift,
    ];
    while !s.is_terminal() {
        let action = order
            .into_iter()
            .filter(|&a| s.is_valid(a))
            .min_by_key(|&a| s.cost(a, gold_heads))
            .expect("a non-terminal state has a valid transition");
        let label = match s.arc_of(action) {
            Some((ROOT, _)) => root_label,
            Some((_, d)) => gold_labels[d as usize],
            None => 0,
        };
        s.apply(action, label);
        seq.push((action, label));
    }
    seq
}

/// Feature keys and transition of each step of `history` (replayed from the start).
fn replay(
    history: &[(Action, u8)],
    n: usize,
    lex: &Lexical,
    label_hash: &[u64],
    state: &mut State,
    out: &mut Vec<(Vec<u32>, usize)>,
) {
    out.clear();
    state.reset(n);
    let mut feats = FeatureSet::default();
    for &(action, label) in history {
        let view = View {
            s: state,
            lex,
            label_hash,
        };
        action_features(&view, &mut feats);
        out.push((feats.keys.clone(), action as usize));
        state.apply(action, label);
    }
}

/// Trains one transition model (beam search, early update) and one label model (locally,
/// along the gold sequences); `report` as in `train_member`.
pub(super) fn train_member_beam(
    inputs: &MemberInputs<'_>,
    seed: u64,
    report: impl FnMut(usize, f64, &PerceptronTrainer, &PerceptronTrainer),
) -> (PerceptronTrainer, PerceptronTrainer) {
    let MemberInputs {
        examples,
        label_hash,
        root_label,
        opts,
        ..
    } = *inputs;
    let gold: Vec<Vec<(Action, u8)>> = examples
        .iter()
        .map(|ex| gold_sequence(&ex.gold_heads, &ex.gold_labels, root_label))
        .collect();
    let (mut beam, mut spare) = (Vec::new(), Vec::new());
    let mut bufs = SearchBuffers::default();
    let mut state = State::default();
    let (mut gold_steps, mut pred_steps) = (Vec::new(), Vec::new());
    let (mut feats, mut afeats) = (FeatureSet::default(), FeatureSet::default());
    let mut lscores = vec![0f32; label_hash.len()];
    inputs.train(seed, report, |step| {
        let Step {
            index,
            example,
            lex,
            actions,
            labeller,
            ..
        } = step;
        let n = example.words.len();
        let gold_seq = &gold[index];
        // Labels: local perceptron along the gold sequence.
        state.reset(n);
        for &(action, label) in gold_seq {
            if let Some(arc) = state.arc_of(action).filter(|&(h, _)| h != ROOT) {
                let guess =
                    inputs.guess_label(labeller, &state, lex, arc, &mut feats, &mut lscores);
                labeller.update(&feats.keys, usize::from(label), guess);
                labeller.tick();
            }
            state.apply(action, label);
        }
        // Transitions: beam search with early update.
        let outcome = search(
            opts.beam.max(1),
            f32::INFINITY,
            n,
            &mut beam,
            &mut spare,
            &mut bufs,
            |items, out| {
                for item in items {
                    let view = View {
                        s: &item.state,
                        lex,
                        label_hash,
                    };
                    let mut scores = [0f32; 4];
                    if !item.state.is_terminal() {
                        action_features(&view, &mut afeats);
                        actions.score(&afeats.keys, &mut scores);
                    }
                    out.push(scores);
                }
            },
            |s, h, d| {
                if h == ROOT {
                    return root_label;
                }
                inputs.guess_label(labeller, s, lex, (h, d), &mut feats, &mut lscores) as u8
            },
            Some(gold_seq),
        );
        let (gold_prefix, best) = match outcome {
            Outcome::GoldLost(step) => (&gold_seq[..step.min(gold_seq.len())], &beam[0].history),
            Outcome::Finished if !beam[0].gold => (&gold_seq[..], &beam[0].history),
            Outcome::Finished => {
                actions.tick();
                return (0, 1);
            }
        };
        replay(gold_prefix, n, lex, label_hash, &mut state, &mut gold_steps);
        replay(best, n, lex, label_hash, &mut state, &mut pred_steps);
        let same = gold_prefix
            .iter()
            .zip(best.iter())
            .take_while(|(g, p)| g == p)
            .count();
        for (keys, class) in &gold_steps[same..] {
            actions.add(keys, *class, 1.0);
        }
        for (keys, class) in &pred_steps[same..] {
            actions.add(keys, *class, -1.0);
        }
        actions.tick();
        (1, 1)
    })
}
