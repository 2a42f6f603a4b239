//! File-level training API: what `sitrep train tagger|parser` calls.
//!
//! * [`train_tagger`] learns the tagger and the lemmatiser from a treebank (both only need
//!   gold words, tags and lemmas).
//! * [`train_parser`] learns the parser on *predicted* tags: the training treebank is split
//!   into `folds` parts by document and each part is tagged by a tagger trained on the others
//!   (jackknifing), so the parser sees the kind of tag errors it will meet at run time in new
//!   documents (folding by sentence would leave each document's names known to the tagger).
//! * [`train_all_sentences`] does both and shares the jackknife folds between the tagger's
//!   second pass and the parser (what the developer tool uses).
//!
//! Training is deterministic for a given seed and prints per-epoch scores to stderr.

use std::path::Path;
use std::time::Instant;

use crate::analyzer::{FAST_PARSER_FILE, LEMMA_FILE, PARSER_FILE, TAGGER_FILE};
use crate::corpus::conllu::{ConlluError, Sentence, read_conllu_file};
use crate::lemma::Lemmatizer;
use crate::model_io::{ModelError, Writer};
use crate::parser::{Parser, ParserOptions, train_parser_on};
use crate::tagger::{Tagger, TaggerOptions, train_tagger_jackknifed, train_tagger_on};

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

/// Writes a parser into `dir`: a beam parser as `parser.bin`, a greedy one as
/// `parser-fast.bin` (see [`crate::ParserChoice`]).
pub fn save_parser(parser: &Parser, dir: &Path) -> Result<(), ModelError> {
    let file = if parser.beam_width() > 1 {
        PARSER_FILE
    } else {
        FAST_PARSER_FILE
    };
    save_bytes(&dir.join(file), parser.to_bytes())
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

/// Replaces the XPOS/UPOS of `train` with jackknifed predictions (`folds` folds).
pub fn jackknife_tags(
    train: &[Sentence],
    folds: usize,
    opts: &TaggerOptions,
    verbose: bool,
) -> Vec<Sentence> {
    if folds < 2 {
        return train.to_vec();
    }
    let started = Instant::now();
    let opts = TaggerOptions {
        folds,
        verbose: false,
        ..opts.clone()
    };
    let trained = train_tagger_jackknifed(train, None, &opts, true);
    if verbose {
        let (u, x) = tag_accuracy_against(train, &trained.tagged);
        eprintln!(
            "jackknifed tags ({folds} folds): UPOS {u:.2} XPOS {x:.2} ({:.1}s)",
            started.elapsed().as_secs_f64()
        );
    }
    trained.tagged
}

/// UPOS and XPOS agreement of `pred` with `gold` (same words), in percent.
fn tag_accuracy_against(gold: &[Sentence], pred: &[Sentence]) -> (f64, f64) {
    let s = crate::ud_eval::eval_ud(gold, pred);
    (s.upos, s.xpos)
}

/// Trains tagger, lemmatiser and parser in one go, sharing the tagger's jackknife folds with
/// the parser's training tags (cheaper than [`train_tagger`] then [`train_parser`]). `dev`,
/// if given, is scored per epoch: tags with gold input, the parser on predicted tags.
pub fn train_all_sentences(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    opts: &ParserTrainOptions,
) -> (TrainedTagger, Parser) {
    let started = Instant::now();
    let tagger_opts = TaggerOptions {
        folds: opts.folds,
        verbose: true,
        ..opts.tagger.clone()
    };
    let trained = train_tagger_jackknifed(train, dev, &tagger_opts, opts.folds >= 2);
    let tagged = if opts.folds >= 2 {
        trained.tagged
    } else {
        train.to_vec()
    };
    let lemmatizer = Lemmatizer::train(train);
    if opts.parser.verbose {
        let (u, x) = tag_accuracy_against(train, &tagged);
        eprintln!(
            "tagger and jackknifed tags in {:.1}s ({} features); training tags UPOS {u:.2} XPOS {x:.2}",
            started.elapsed().as_secs_f64(),
            trained.tagger.n_features(),
        );
    }
    let dev_tagged = dev.map(|d| {
        let mut d = d.to_vec();
        trained.tagger.tag_sentences(&mut d);
        d
    });
    let parser = train_parser_on(&tagged, dev_tagged.as_deref(), &opts.parser);
    (
        TrainedTagger {
            tagger: trained.tagger,
            lemmatizer,
        },
        parser,
    )
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
