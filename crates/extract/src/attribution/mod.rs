//! Attribution relations: who (source) said or thought what (content), by which words (cue).

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
