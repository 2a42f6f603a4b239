//! File-level training API: what `sitrep train tagger|parser` calls.
//!
//! * [`train_tagger`] learns the tagger and the lemmatiser from a treebank (both only need
//!   gold words, tags and lemmas).
//! * [`train_parser`] learns the parser on *predicted* tags: the training treebank is split
//!   into `folds` interleaved parts and each part is tagged by a tagger trained on the others
//!   (jackknifing), so the parser sees the kind of tag errors it will meet at run time.
//!
//! Training is deterministic for a given seed and prints per-epoch scores to stderr.

use std::path::Path;
use std::time::Instant;

use crate::analyzer::{LEMMA_FILE, PARSER_FILE, TAGGER_FILE};
use crate::conllu::{ConlluError, Sentence, read_conllu_file};
use crate::lemma::Lemmatizer;
use crate::model_io::{ModelError, Writer};
use crate::parser::{Parser, ParserOptions, train_parser_on};
use crate::tagger::{Tagger, TaggerOptions, tag_accuracy, train_tagger_on};

/// Training failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Data(#[from] ConlluError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("no training sentences in {0}")]
    Empty(String),
}

/// A trained tagger and lemmatiser.
pub struct TrainedTagger {
    pub tagger: Tagger,
    pub lemmatizer: Lemmatizer,
}

impl TrainedTagger {
    /// Writes `tagger.bin` and `lemma.bin` into `dir`.
    pub fn save(&self, dir: &Path) -> Result<(), ModelError> {
        save_bytes(&dir.join(TAGGER_FILE), self.tagger.to_bytes())?;
        save_bytes(&dir.join(LEMMA_FILE), self.lemmatizer.to_bytes())
    }
}

/// Writes a parser as `parser.bin` into `dir`.
pub fn save_parser(parser: &Parser, dir: &Path) -> Result<(), ModelError> {
    save_bytes(&dir.join(PARSER_FILE), parser.to_bytes())
}

fn save_bytes(path: &Path, bytes: Vec<u8>) -> Result<(), ModelError> {
    Writer { bytes }.save(path)
}

fn read_nonempty(path: &Path) -> Result<Vec<Sentence>, TrainError> {
    let sentences = read_conllu_file(path)?;
    if sentences.is_empty() {
        return Err(TrainError::Empty(path.display().to_string()));
    }
    Ok(sentences)
}

/// Trains the tagger and the lemmatiser on `train`, printing dev accuracy per epoch.
pub fn train_tagger(
    train: &Path,
    dev: Option<&Path>,
    opts: &TaggerOptions,
) -> Result<TrainedTagger, TrainError> {
    let train = read_nonempty(train)?;
    let dev = dev.map(read_conllu_file).transpose()?;
    Ok(train_tagger_sentences(&train, dev.as_deref(), opts))
}

/// [`train_tagger`] on sentences already in memory.
pub fn train_tagger_sentences(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    opts: &TaggerOptions,
) -> TrainedTagger {
    let started = Instant::now();
    let tagger = train_tagger_on(train, dev, opts);
    let lemmatizer = Lemmatizer::train(train);
    if opts.verbose {
        let (exceptions, rules) = lemmatizer.sizes();
        eprintln!(
            "tagger trained in {:.1}s ({} features, {} classes); lemmatiser: {exceptions} lexicon exceptions, {rules} suffix rules",
            started.elapsed().as_secs_f64(),
            tagger.n_features(),
            tagger.n_classes()
        );
    }
    TrainedTagger { tagger, lemmatizer }
}

/// Parser training settings.
#[derive(Debug, Clone)]
pub struct ParserTrainOptions {
    pub parser: ParserOptions,
    /// Settings of the per-fold taggers used for jackknifing.
    pub tagger: TaggerOptions,
    /// Number of jackknife folds; `0` or `1` trains on gold tags instead.
    pub folds: usize,
}

impl Default for ParserTrainOptions {
    fn default() -> ParserTrainOptions {
        ParserTrainOptions {
            parser: ParserOptions::default(),
            tagger: TaggerOptions {
                verbose: false,
                ..TaggerOptions::default()
            },
            folds: 5,
        }
    }
}

/// Replaces the XPOS/UPOS of `train` with jackknifed predictions.
pub fn jackknife_tags(
    train: &[Sentence],
    folds: usize,
    opts: &TaggerOptions,
    verbose: bool,
) -> Vec<Sentence> {
    let mut tagged = train.to_vec();
    if folds < 2 {
        return tagged;
    }
    for fold in 0..folds {
        let started = Instant::now();
        let rest: Vec<Sentence> = train
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, s)| s.clone())
            .collect();
        let held: Vec<usize> = (0..train.len()).filter(|i| i % folds == fold).collect();
        let tagger = train_tagger_on(&rest, None, opts);
        let mut part: Vec<Sentence> = held.iter().map(|&i| train[i].clone()).collect();
        if verbose {
            let (u, x) = tag_accuracy(&tagger, &part);
            eprintln!(
                "jackknife fold {}/{folds}: held-out UPOS {u:.2} XPOS {x:.2} ({:.1}s)",
                fold + 1,
                started.elapsed().as_secs_f64()
            );
        }
        tagger.tag_sentences(&mut part);
        for (i, s) in held.into_iter().zip(part) {
            tagged[i] = s;
        }
    }
    tagged
}

/// Trains the parser on `train` with jackknifed tags. If `dev` is given it is tagged with
/// `dev_tagger` (gold tags if `None`) and scored after every epoch.
pub fn train_parser(
    train: &Path,
    dev: Option<&Path>,
    dev_tagger: Option<&Tagger>,
    opts: &ParserTrainOptions,
) -> Result<Parser, TrainError> {
    let train = read_nonempty(train)?;
    let dev = dev.map(read_conllu_file).transpose()?;
    Ok(train_parser_sentences(
        &train,
        dev.as_deref(),
        dev_tagger,
        opts,
    ))
}

/// [`train_parser`] on sentences already in memory.
pub fn train_parser_sentences(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    dev_tagger: Option<&Tagger>,
    opts: &ParserTrainOptions,
) -> Parser {
    let started = Instant::now();
    let verbose = opts.parser.verbose;
    let tagged = jackknife_tags(train, opts.folds, &opts.tagger, verbose);
    let dev_tagged = dev.map(|d| {
        let mut d = d.to_vec();
        if let Some(t) = dev_tagger {
            t.tag_sentences(&mut d);
        }
        d
    });
    let parser = train_parser_on(&tagged, dev_tagged.as_deref(), &opts.parser);
    if verbose {
        let (a, l) = parser.n_features();
        eprintln!(
            "parser trained in {:.1}s ({a} action features, {l} label features)",
            started.elapsed().as_secs_f64()
        );
    }
    parser
}
