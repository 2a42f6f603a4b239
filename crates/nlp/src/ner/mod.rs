//! Named-entity recognition: persons, organisations, places, nationality/religious/political
//! groups and other names over tokenised sentences.
//!
//! Design:
//! * **Model** — a greedy left-to-right BIO tagger on the crate's averaged perceptron
//!   ([`crate::perceptron`]). Each word gets the class (`O`, `B-PER`, `I-PER`, ...) with the
//!   best score among those the BIO scheme allows after the previous decision, so output
//!   spans are always well formed. Greedy decoding with the previous two decisions as
//!   features is as accurate as Viterbi decoding for NER (Ratinov & Roth 2009) at a fraction
//!   of the cost.
//! * **Two stages** (stacking): a second greedy pass sees the first pass's decisions on both
//!   sides of each word and at both ends of its name chunk, which a left-to-right decoder
//!   otherwise cannot. The second stage learns from first-stage decisions made by models
//!   that had not seen those sentences (jackknifing by document), so it learns how far the
//!   first stage can be trusted on new text. Sentence-only features are computed once and
//!   shared by both passes.
//! * **Features** — the word, its lower-case form, prefixes and suffixes, character shape,
//!   capitalisation class, sentence-initial flag, words and shapes at ±2, the previous
//!   decisions and their conjunctions; **gazetteer** features from a [`PhraseIndex`](crate::gazetteer::PhraseIndex) (for
//!   each list — countries, nationalities, places, Phoenix persons, organisations, companies
//!   and armed groups, given names, surnames, organisation/place keywords, titles — whether
//!   the word begins, continues, ends or alone forms a listed name of up to six words, with
//!   the word's capitalisation); **name chunks** (the run of capitalised words a word sits
//!   in, joined across "of"/"and"/...: its length, first and last word, keyword and list
//!   flags, so that "Housing" already knows it starts "Housing Authority of New Orleans");
//!   **corpus statistics** from the UD English Web Treebank training file ([`WordStats`]:
//!   how often a word is capitalised mid-sentence and tagged PROPN there, which tells names
//!   from sentence-initial or shouted common words); **document history** ([`DocHistory`]:
//!   what earlier sentences of the document made of the word); optionally **UPOS** tags.
//! * **Training data** — the small UNER set is stretched by mention replacement: copies of
//!   each sentence with its entities swapped for other training mentions or gazetteer names
//!   of the same type, re-cased like the original, so the weights lean on context and
//!   capitalisation rather than on memorised names.
//! * **Labels** — PER, ORG, LOC, NORP and MISC internally ([`EntityLabel`]). The UNER layout
//!   reads and writes PER/ORG/LOC/OTH, OTH mapping to MISC. A model trained on UNER data
//!   never predicts NORP itself (UNER EWT marks no nationality words), so [`Ner::recognise`]
//!   adds NORP spans for capitalised nationality and group words from the gazetteer that the
//!   model left outside any entity ("Russian mercenaries"): the actor coder needs them, and
//!   the UNER writer drops them unless asked to keep them.
//! * **Everything travels in one file** (`ner.bin`, kind `NER`): the label set, the phrase
//!   index and word statistics the model was trained with, and the quantised weights of both
//!   stages, so loading cannot pair weights with different lists.
//! * Training is deterministic for a given seed (seeded shuffling, sorted serialisation);
//!   [`cross_validate`] splits folds by document (`# newdoc id`), so sentences of one document
//!   never sit on both sides.

mod api;
mod features;
mod labels;
mod model;
mod resources;
mod score;
mod stats;
mod train;

pub use crate::corpus::iob2::{
    IobSentence, NerError, documents, parse_iob2, read_iob2_file, starts_document, write_iob2,
};
pub use api::{eval_ner_file, eval_ner_files, load_resources, tag_iob2_file, train_ner_file};
pub use features::{DocHistory, NerWorkspace};
pub use labels::{EntityLabel, EntitySpan, spans_from_tags, tags_from_spans};
pub use model::{NER_FILE, Ner};
pub use resources::{NamePools, NerResources};
pub use score::{NerScores, Prf, eval_ner};
pub use stats::WordStats;
pub use train::{
    CvReport, NerOptions, cross_validate, cross_validate_with_predictions, document_folds,
    train_ner,
};
