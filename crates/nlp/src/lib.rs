//! sitrep's NLP core: sentences and tokens with offsets, and (trained) tagging, lemmas,
//! dependency parsing and entity recognition.
//!
//! # Runtime, corpus and training
//!
//! Only one side of the crate is on the path that analyses text:
//!
//! * **Runtime**: what loading the shipped models and analysing text needs. [`sentences`] and
//!   [`tokenize`](mod@tokenize) (with the word lists and character classes they share,
//!   `lexicon.rs` and `chars.rs`, so that neither depends on the other's internals),
//!   [`model_io`] (model files and stable hashes), the compiled weights of [`perceptron`],
//!   the runtime parts of [`tagger`], [`lemma`], [`parser`] and [`ner`], [`analyzer`]
//!   ([`Nlp`]), [`analysis`] (the [`Analysis`] of a document that every later stage reads), and [`locate`] and the [`gazetteer`] (the `sitrep-gazetteer` crate,
//!   re-exported). They take a sentence as word slices (`&[&str]`) and return plain results.
//! * **Corpus and evaluation**: the files of training and evaluation data ([`corpus`]:
//!   CoNLL-U and IOB2 readers and writers, and the file-level methods of the runtime types,
//!   such as [`Nlp::annotate`], [`Tagger::tag_sentences`](tagger::Tagger::tag_sentences) or
//!   [`Ner::tag_sentences`]), and scoring ([`ud_eval`], [`eval_ner`]).
//! * **Training**: the file-level [`train`] module (what `sitrep train` calls) and each
//!   component's own `train` module beside the code it trains (`tagger/train.rs`,
//!   `lemma/train.rs`, `parser/train.rs` with `parser/train/beam.rs`, `ner/train.rs` with
//!   `ner/resources.rs` and `ner/api.rs`, `perceptron/train.rs`). A trainer sits inside its
//!   component so that it can fill the model's fields without making them public.
//!
//! Dependencies run one way: corpus and training code uses the runtime types, never the
//! reverse. A component's `mod.rs` re-exports its training items so that their public paths
//! (`sitrep_nlp::tagger::TaggerOptions`, `sitrep_nlp::ner::train_ner`, ...) stay as they
//! were, but no runtime code uses them; the `boundary` test below checks it.

pub mod analysis;
pub mod analyzer;
mod chars;
pub mod corpus;
pub mod lemma;
mod lexicon;
pub mod model_io;
pub mod ner;
pub mod parser;
pub mod perceptron;
pub mod quotes;
pub mod sentences;
pub mod tagger;
pub mod tokenize;
pub mod train;
pub mod ud_eval;

pub use analysis::{Analysis, Analyzer, Mention, SentenceSpan, Stage, StageTimes};
pub use analyzer::{Nlp, ParserChoice, WordAnalysis, Workspace};
pub use corpus::conllu::{self, Sentence, Word};
pub use gazetteer::Gazetteer;
pub use ner::{
    EntityLabel, EntitySpan, IobSentence, Ner, NerOptions, NerScores, cross_validate, eval_ner,
    train_ner,
};
pub use sentences::split_sentences;
/// The gazetteer is its own crate (shared with place and actor resolution); its old path
/// here stays.
pub use sitrep_gazetteer as gazetteer;
/// Data folders are found the gazetteer's way (the lowest crate that reads `data/`).
pub use sitrep_gazetteer::locate;
pub use tokenize::{tokenize, tokenize_into, tokenize_sentences};
pub use train::{ParserTrainOptions, TrainedTagger, train_parser, train_tagger};
pub use ud_eval::{UdScores, eval_ud};

#[cfg(test)]
mod boundary {
    /// The runtime source files (tests excluded).
    const RUNTIME: &[(&str, &str)] = &[
        ("analysis.rs", include_str!("analysis.rs")),
        ("analyzer.rs", include_str!("analyzer.rs")),
        ("chars.rs", include_str!("chars.rs")),
        ("lexicon.rs", include_str!("lexicon.rs")),
        ("lemma/mod.rs", include_str!("lemma/mod.rs")),
        ("model_io.rs", include_str!("model_io.rs")),
        ("ner/features.rs", include_str!("ner/features.rs")),
        ("ner/labels.rs", include_str!("ner/labels.rs")),
        ("ner/mod.rs", include_str!("ner/mod.rs")),
        ("ner/model.rs", include_str!("ner/model.rs")),
        ("ner/stats.rs", include_str!("ner/stats.rs")),
        ("parser/beam.rs", include_str!("parser/beam.rs")),
        ("parser/features.rs", include_str!("parser/features.rs")),
        ("parser/mod.rs", include_str!("parser/mod.rs")),
        ("parser/model.rs", include_str!("parser/model.rs")),
        ("parser/transition.rs", include_str!("parser/transition.rs")),
        ("perceptron/mod.rs", include_str!("perceptron/mod.rs")),
        ("sentences.rs", include_str!("sentences.rs")),
        ("tagger/mod.rs", include_str!("tagger/mod.rs")),
        ("tokenize.rs", include_str!("tokenize.rs")),
    ];

    /// Names that belong to the corpus and training side.
    const FORBIDDEN: &[&str] = &[
        "corpus",
        "conllu",
        "iob2",
        "ud_eval",
        "train",
        "Sentence",
        "Trainer",
        "score::",
        "resources::",
        "api::",
    ];

    /// What a runtime file says outside comments, tests, `mod` lines and re-exports.
    fn code(src: &str) -> String {
        let src = src.split("#[cfg(test)]").next().unwrap_or("");
        let mut out = String::new();
        let mut in_reexport = false;
        for line in src.lines() {
            let t = line.trim_start();
            if t.starts_with("pub use ") || in_reexport {
                in_reexport = !t.ends_with(';');
                continue;
            }
            if t.starts_with("//") || t.starts_with("mod ") || t.starts_with("pub mod ") {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Whether `code` has `name` not inside a longer identifier (`Sentence` is the CoNLL-U
    /// type, `SentenceSpan` is not).
    fn mentions(code: &str, name: &str) -> bool {
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        code.match_indices(name).any(|(at, _)| {
            let glued_before = code[..at].chars().next_back().is_some_and(ident);
            // A name ending in punctuation ("score::") may be followed by anything.
            let glued_after = name.chars().last().is_some_and(ident)
                && code[at + name.len()..].chars().next().is_some_and(ident);
            !glued_before && !glued_after
        })
    }

    #[test]
    fn runtime_modules_use_no_corpus_or_training_code() {
        for (file, src) in RUNTIME {
            let code = code(src);
            for name in FORBIDDEN {
                assert!(!mentions(&code, name), "{file} mentions `{name}`");
            }
        }
        assert!(mentions("use crate::corpus::conllu;", "conllu"));
        assert!(!mentions("struct SentenceSpan;", "Sentence"));
    }
}
