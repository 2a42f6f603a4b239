//! sitrep's NLP core: sentences and tokens with offsets, and (trained) tagging, lemmas,
//! dependency parsing and entity recognition.

pub mod sentences;
pub mod tokenize;
