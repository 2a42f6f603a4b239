//! Training: the label set, held-out ambiguity lexicons, and ensemble members trained
//! greedily with the dynamic oracle (here) or globally with a beam ([`beam`]).

use std::collections::HashMap;

use super::features::{AmbiguityLexicon, Lexical, View, action_features, label_features};
use super::model::{BEAM_MARGIN, Parser, tag_hash};
use super::transition::{ACTIONS, NONE, ROOT, State, projectivize};
use crate::corpus::conllu::{Sentence, document_folds};
use crate::model_io::{Rng, hash_str};
use crate::perceptron::{FeatureSet, PerceptronTrainer, argmax_valid};
use crate::tagger::normalise;

mod beam;

const LEXICON_FOLDS: usize = 10;

/// The coarse class of a UPOS (see [`AmbiguityLexicon`]).
fn coarse_hash(upos: &str) -> u64 {
    let upos = if upos == "PROPN" { "NOUN" } else { upos };
    hash_str(upos) ^ 0xc0a5
}

impl AmbiguityLexicon {
    pub(super) fn build<'a>(sentences: impl Iterator<Item = &'a Sentence>) -> AmbiguityLexicon {
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

    /// The epochs every member goes through, whatever it learns: each epoch visits the
    /// examples in a new seeded order and lets `learn` update the transition and label models
    /// on each one. `learn` returns its (errors, decisions) for the error rate passed to
    /// `report(epoch, error %, actions, labeller)` after each epoch.
    fn train(
        &self,
        seed: u64,
        mut report: impl FnMut(usize, f64, &PerceptronTrainer, &PerceptronTrainer),
        mut learn: impl FnMut(Step<'_>) -> (usize, usize),
    ) -> (PerceptronTrainer, PerceptronTrainer) {
        let mut actions = PerceptronTrainer::new(4);
        let mut labeller = PerceptronTrainer::new(self.label_hash.len());
        let mut rng = Rng::new(seed);
        let mut order: Vec<usize> = (0..self.examples.len()).collect();
        let mut lex = Lexical::default();
        for epoch in 0..self.opts.iterations {
            rng.shuffle(&mut order);
            let (mut wrong, mut decisions) = (0usize, 0usize);
            for &index in &order {
                let example = &self.examples[index];
                let words: Vec<&str> = example.words.iter().map(String::as_str).collect();
                lex.fill(
                    &words,
                    example.tags.iter().copied(),
                    &self.fold_lexicons[example.fold],
                );
                let (w, d) = learn(Step {
                    epoch,
                    index,
                    example,
                    lex: &lex,
                    actions: &mut actions,
                    labeller: &mut labeller,
                    rng: &mut rng,
                });
                wrong += w;
                decisions += d;
            }
            report(
                epoch,
                100.0 * wrong as f64 / decisions.max(1) as f64,
                &actions,
                &labeller,
            );
        }
        (actions, labeller)
    }
}

/// One example's turn in a member's training (see [`MemberInputs::train`]).
struct Step<'a> {
    epoch: usize,
    /// The example's position in [`MemberInputs::examples`].
    index: usize,
    example: &'a Example,
    /// The example's word features, with the ambiguity lexicon of the other folds.
    lex: &'a Lexical,
    actions: &'a mut PerceptronTrainer,
    labeller: &'a mut PerceptronTrainer,
    rng: &'a mut Rng,
}

/// Trains one transition model and one label model by online learning with the dynamic
/// oracle; `report(epoch, transition error %, actions, labeller)` runs after each epoch.
fn train_member(
    inputs: &MemberInputs<'_>,
    seed: u64,
    report: impl FnMut(usize, f64, &PerceptronTrainer, &PerceptronTrainer),
) -> (PerceptronTrainer, PerceptronTrainer) {
    let MemberInputs {
        label_hash,
        root_label,
        opts,
        ..
    } = *inputs;
    let mut state = State::default();
    let mut feats = FeatureSet::default();
    let mut lfeats = FeatureSet::default();
    let mut lscores = vec![0f32; label_hash.len()];
    inputs.train(seed, report, |step| {
        let Step {
            epoch,
            example: ex,
            lex,
            actions,
            labeller,
            rng,
            ..
        } = step;
        let (mut steps, mut wrong) = (0usize, 0usize);
        state.reset(ex.words.len());
        let gold = &ex.gold_heads;
        while !state.is_terminal() {
            let view = View {
                s: &state,
                lex,
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
                        labeller,
                        &state,
                        lex,
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
        (wrong, steps)
    })
}

/// A tiny hand-written treebank: `form/TAG/head/deprel` per word, heads 1-based (tests).
#[cfg(test)]
pub(super) fn toy_treebank() -> Vec<Sentence> {
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
    crate::corpus::conllu::parse_conllu(&text).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::ParserWorkspace;

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

    #[test]
    fn coarse_classes_merge_proper_and_common_nouns() {
        let text = "1\tRebels\t_\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n\
                    2\tattacked\t_\tVERB\tVBD\t_\t0\troot\t_\t_\n\
                    3\tGao\t_\tPROPN\tNNP\t_\t2\tobj\t_\t_\n\n";
        let data = crate::corpus::conllu::parse_conllu(text).unwrap();
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
