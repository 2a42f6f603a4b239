//! File-level API: what the CLI calls.

use std::path::Path;

use super::model::Ner;
use super::resources::NerResources;
use super::score::{NerScores, eval_ner};
use super::train::{NerOptions, train_ner};
use crate::corpus::iob2::{NerError, read_iob2_file, write_iob2};
use crate::gazetteer::Gazetteer;

/// Builds training resources from a gazetteer directory and an optional CoNLL-U treebank
/// (word statistics; without one they are empty).
pub fn load_resources(
    gazetteer_dir: &Path,
    treebank: Option<&Path>,
) -> Result<NerResources, NerError> {
    let gazetteer = Gazetteer::load(gazetteer_dir)?;
    let sentences = match treebank {
        Some(p) => crate::corpus::conllu::read_conllu_file(p)?,
        None => Vec::new(),
    };
    Ok(NerResources::new(&gazetteer, &sentences))
}

/// Trains on an IOB2 file (optionally scoring a dev file per epoch) and saves the model.
pub fn train_ner_file(
    train: &Path,
    dev: Option<&Path>,
    out: &Path,
    opts: &NerOptions,
) -> Result<Ner, NerError> {
    let sentences = read_iob2_file(train)?;
    if sentences.is_empty() {
        return Err(NerError::Empty(train.display().to_string()));
    }
    let dev = dev.map(read_iob2_file).transpose()?;
    let model = train_ner(&sentences, dev.as_deref(), opts);
    model.save(out)?;
    Ok(model)
}

/// Tags an IOB2 file's words and returns IOB2 text with UNER type names.
pub fn tag_iob2_file(model: &Ner, input: &Path) -> Result<String, NerError> {
    let sentences = read_iob2_file(input)?;
    Ok(write_iob2(&model.tag_sentences(&sentences, true, false)))
}

/// Tags a gold IOB2 file with `model` and scores the result.
pub fn eval_ner_file(model: &Ner, gold: &Path) -> Result<NerScores, NerError> {
    let sentences = read_iob2_file(gold)?;
    let pred = model.tag_sentences(&sentences, true, false);
    eval_ner(&sentences, &pred)
}

/// Scores two IOB2 files against each other.
pub fn eval_ner_files(gold: &Path, pred: &Path) -> Result<NerScores, NerError> {
    eval_ner(&read_iob2_file(gold)?, &read_iob2_file(pred)?)
}
