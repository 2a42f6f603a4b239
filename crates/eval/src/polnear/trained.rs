//! The trained attribution extractor ([`sitrep_extract::attribution`]) as a predictor of
//! `sitrep eval polnear` (the default; the [`super::baseline`] stays behind `--baseline`), and
//! its training loop as `sitrep train claims` runs it: analyse the training and development
//! articles once (in parallel), train, score every epoch on the development articles and
//! keep the best epoch's models.
//!
//! Measured (840 train articles, 84 dev, 2 shared cores, release build): analysing both
//! splits takes about 15 s, an epoch about 2.5 s, scoring dev about 0.5 s; parsing does not
//! dominate, so nothing is cached on disk.

use std::path::Path;

use rayon::prelude::*;
use sitrep_extract::attribution::doc::Doc;
use sitrep_extract::attribution::lexicon::Lexicon;
use sitrep_extract::attribution::train::{attested_tsv, lexicon_of};
use sitrep_extract::attribution::{Attributions, EpochReport, TrainOptions, TrainingDoc, train};
use sitrep_nlp::corpus::attribution::{AttributedDocument, read_attribution_folder};
use sitrep_nlp::{Analysis, Analyzer};

use super::{DocPair, PolnearScores, Relation, score};

/// What `sitrep eval polnear` says the predictions come from.
pub const NAME: &str = "trained attribution extractor (data/models/attribution.bin)";

/// The relations the extractor finds in `text`.
pub fn predict(model: &Attributions, analyzer: &Analyzer, text: &str) -> Vec<Relation> {
    let analysis = analyzer.analyse(text);
    model
        .find_relations(text, &analysis)
        .iter()
        .map(|f| f.to_attribution())
        .collect()
}

/// Scores `model` on prepared documents (`docs[i]` built from `gold[i]`), in parallel.
pub fn score_prepared(
    model: &Attributions,
    docs: &[Doc<'_>],
    gold: &[AttributedDocument],
) -> PolnearScores {
    let predicted: Vec<Vec<Relation>> = docs
        .par_iter()
        .map(|d| {
            model
                .find_in(d)
                .iter()
                .map(|f| f.to_attribution())
                .collect()
        })
        .collect();
    let pairs: Vec<DocPair<'_>> = gold
        .iter()
        .zip(&predicted)
        .map(|(g, p)| DocPair {
            text: &g.text,
            gold: &g.relations,
            predicted: p,
        })
        .collect();
    score(&pairs)
}

/// The readable articles of a PolNeAR-style folder (unreadable ones are reported on stderr).
pub fn read_folder(dir: &Path) -> Result<Vec<AttributedDocument>, String> {
    let read = read_attribution_folder(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut docs = Vec::with_capacity(read.len());
    for doc in read {
        match doc {
            Ok(doc) => docs.push(doc),
            Err(e) => eprintln!("{e}"),
        }
    }
    if docs.is_empty() {
        return Err(format!("{}: no article could be read", dir.display()));
    }
    Ok(docs)
}

/// One epoch's line: the training errors and, with a development set, its scores.
pub fn epoch_line(report: &EpochReport, dev: Option<&PolnearScores>) -> String {
    let mut line = format!(
        "epoch {:2}: training errors roles {} links {}",
        report.epoch, report.role_errors, report.link_errors
    );
    if let Some(s) = dev {
        let b = &s.all;
        line.push_str(&format!(
            "; dev exact P/R/F1 {:.3}/{:.3}/{:.3}, partial {:.3}/{:.3}/{:.3}",
            b.exact.precision(),
            b.exact.recall(),
            b.exact.f1(),
            b.partial.precision(),
            b.partial.recall(),
            b.partial.f1()
        ));
    }
    line
}

/// Trains on the articles of `train_dir`, analysed by `analyzer`; with `dev_dir`, scores
/// every epoch there and keeps the epoch with the best exact + partial F1 (so dev chooses the
/// epoch count). `progress` sees every epoch's line.
pub fn train_folder(
    analyzer: &Analyzer,
    train_dir: &Path,
    dev_dir: Option<&Path>,
    opts: &TrainOptions,
    mut progress: impl FnMut(&str),
) -> Result<Attributions, String> {
    let train_docs = read_folder(train_dir)?;
    let dev_docs = match dev_dir {
        Some(dir) => read_folder(dir)?,
        None => Vec::new(),
    };
    let analyse = |docs: &[AttributedDocument]| -> Vec<Analysis> {
        docs.par_iter().map(|d| analyzer.analyse(&d.text)).collect()
    };
    let (train_a, dev_a) = (analyse(&train_docs), analyse(&dev_docs));
    let lexicon = lexicon_of(opts)?;
    let mut training: Vec<TrainingDoc<'_>> = train_docs
        .iter()
        .zip(&train_a)
        .map(|(d, a)| TrainingDoc::new(Doc::new(&d.text, a, &lexicon), d))
        .collect();
    let lexicon = Lexicon::parse(&attested_tsv(&training, opts))?;
    let dev: Vec<Doc<'_>> = dev_docs
        .iter()
        .zip(&dev_a)
        .map(|(d, a)| Doc::new(&d.text, a, &lexicon))
        .collect();
    let (model, _) = train(&mut training, opts, |report, model| {
        if dev.is_empty() {
            progress(&epoch_line(report, None));
            return None;
        }
        let s = score_prepared(model, &dev, &dev_docs);
        progress(&epoch_line(report, Some(&s)));
        Some(s.all.exact.f1() + s.all.partial.f1())
    });
    Ok(model)
}
