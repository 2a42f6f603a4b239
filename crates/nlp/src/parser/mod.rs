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
//!   (`action_features_of` in `parser/features.rs`).

mod beam;
mod decode;
mod features;
mod model;
mod train;
mod transition;

pub use features::AmbiguityLexicon;
pub use model::{BEAM_MARGIN, Parser, ParserWorkspace, tag_hash};
pub use train::{ParserOptions, attachment_scores, train_parser_on};
pub use transition::{ACTIONS, Action, State, projectivize};
