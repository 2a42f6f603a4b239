//! Attribution relations: who (source) said or thought what (content), by which words (cue),
//! found by two trained sequence models over the [`sitrep_nlp::Analysis`] and its parse.
//!
//! 1. The cue model ([`features`], [`tags::CueTag`]) tags every token of a paragraph as a
//!    cue's head word, a cue token before or after its head, or none, by Viterbi over the
//!    legal tag sequences ([`viterbi`]). (Tagging sources and contents too, which PolNeAR's
//!    univocal annotation allows, made it find cues worse: see [`tags`].)
//! 2. The linking model ([`linking`], [`tags::Link`]) decides, for each cue, which tokens of
//!    a window around it (two sentences before to five after, within the paragraph) are the
//!    cue's source and which its content, from the tree path between each token and the cue
//!    ("nsubj of the cue", "ccomp of the cue", "the cue is parataxis of this quote's root"),
//!    quotation and the other cues in between. A cue with no content is dropped.
//! 3. [`find`] assembles the relations with a confidence (from both models' posteriors) and a
//!    `why` (the cue's lexicon class, how source and content hang on the cue in the parse).
//!
//! Both models are structured averaged perceptrons ([`seq`], on the team's
//! `sitrep_nlp::perceptron`), trained by [`train`] (`sitrep train claims`) on PolNeAR and
//! stored with the cue lexicon ([`lexicon`], `data/claims/cues.tsv`) in `attribution.bin`
//! ([`model`]). The lexicon also holds WordNet's semantic classes of verbs and nouns and the
//! training data's cue rate of each lemma. On PolNeAR dev: exact F1 0.457, partial 0.711 (the
//! baseline rules: 0.227, 0.362); data/models/README.md has the recipe and the breakdown. [`Attributions`]
//! implements the claims layer's [`crate::claims::FindAttributions`].

pub mod doc;
pub mod features;
pub mod find;
pub mod gold;
pub mod lexicon;
pub mod linking;
pub mod model;
pub mod seq;
pub mod tags;
pub mod train;
pub mod viterbi;

pub use find::FoundAttribution;
pub use model::{ATTRIBUTION_FILE, Attributions};
pub use train::{EpochReport, TrainOptions, TrainingDoc, train};

#[cfg(test)]
mod tests;
