//! sitrep's NLP core: sentences and tokens with offsets, and (trained) tagging, lemmas,
//! dependency parsing and entity recognition.

pub mod sentences;
pub mod tokenize;

pub use sentences::split_sentences;
pub use tokenize::{tokenize, tokenize_into, tokenize_sentences};
pub mod analysis;
pub mod analyzer;
pub mod conllu;
pub mod lemma;
pub mod locate;
pub mod model_io;
pub mod parser;
pub mod perceptron;
pub mod tagger;
pub mod train;
pub mod ud_eval;

pub use analysis::{Analysis, Analyzer, Mention, SentenceSpan, Stage, StageTimes};
pub use analyzer::{Nlp, ParserChoice, WordAnalysis, Workspace};
pub use conllu::{Sentence, Word};
pub use train::{ParserTrainOptions, TrainedTagger, train_parser, train_tagger};
pub use ud_eval::{UdScores, eval_ud};
pub mod gazetteer;
pub mod ner;

pub use gazetteer::Gazetteer;
pub use ner::{
    EntityLabel, EntitySpan, IobSentence, Ner, NerOptions, NerScores, cross_validate, eval_ner,
    train_ner,
};
