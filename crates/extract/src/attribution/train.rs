//! Training both models from gold relations (`sitrep train claims`).
//!
//! Each epoch passes once over the documents in a seeded random order: the cue model learns
//! from each paragraph's cue tags, then the linking model from each gold relation's
//! window (with the gold cues, so that it learns linking apart from cue finding). Both are
//! structured perceptrons ([`super::seq`]). After every epoch the averaged models are
//! compiled and handed to a callback, which may score them (on a development set); the best
//! scoring epoch's models are kept, or the last epoch's without scores.

use sitrep_nlp::corpus::attribution::AttributedDocument;
use sitrep_nlp::model_io::Rng;
use sitrep_nlp::perceptron::FeatureSet;

use super::doc::Doc;
use super::features::token_features;
use super::gold::{GoldRelation, cue_head_tags, link_tags};
use super::lexicon::{Lexicon, default_tsv};
use super::linking::{CueContext, link_features};
use super::model::Attributions;
use super::seq::SeqTrainer;
use super::tags::{CueTag, Link, cue_tag_transitions, free_transitions};

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub seed: u64,
    /// Averaged weights with a smaller magnitude are dropped from the compiled models. At 2
    /// (the default) the file is 3.6 MB and scores on PolNeAR dev as at 1 (4.6 MB; exact F1
    /// 0.457 / 0.459, partial 0.711 / 0.711); at 2.5, 3.1 MB and partial F1 −0.003.
    pub prune: f32,
    /// The cue lexicon (`LEMMA<TAB>CLASS` lines).
    pub lexicon: String,
    /// Whether the lexicon is extended with the training data's cue rates ([`attested_tsv`];
    /// each training document sees the rates of the other folds only).
    pub attested: bool,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            epochs: 16,
            seed: 1,
            prune: 2.0,
            lexicon: default_tsv(),
            attested: true,
        }
    }
}

/// A training document: its tokens and gold relations on them.
pub struct TrainingDoc<'t> {
    pub doc: Doc<'t>,
    pub gold: Vec<GoldRelation>,
}

impl<'t> TrainingDoc<'t> {
    /// `doc`'s relations from the gold article it was built from.
    pub fn new(doc: Doc<'t>, gold: &AttributedDocument) -> TrainingDoc<'t> {
        let relations = gold
            .relations
            .iter()
            .map(|r| GoldRelation::new(&doc, r))
            .filter(|r| !r.cue.is_empty() && !r.content.is_empty())
            .collect();
        TrainingDoc {
            doc,
            gold: relations,
        }
    }
}

/// One epoch as the callback and the report see it.
#[derive(Debug, Clone, PartialEq)]
pub struct EpochReport {
    pub epoch: usize,
    /// Role tags decoded wrongly during the epoch (on training data, before each update).
    pub role_errors: usize,
    /// Link tags decoded wrongly during the epoch.
    pub link_errors: usize,
    pub score: Option<f64>,
}

/// Feature keys of a sequence: position `i`'s are `keys[offsets[i]..offsets[i + 1]]`.
#[derive(Default)]
struct Sequence {
    keys: Vec<u32>,
    offsets: Vec<u32>,
    gold: Vec<u8>,
    /// Positions only the first tag may take (the cue's own tokens in a linking window).
    fixed: Vec<bool>,
}

impl Sequence {
    fn push(&mut self, feats: &FeatureSet) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.keys.extend_from_slice(&feats.keys);
        self.offsets.push(self.keys.len() as u32);
    }
}

/// Builds the lexicon for [`Doc::new`] from training options.
pub fn lexicon_of(opts: &TrainOptions) -> Result<Lexicon, String> {
    Lexicon::parse(&opts.lexicon)
}

/// Folds of the training documents for the attested cue rates: a document's own cues never
/// count towards its rates, so that the model learns how far a rate measured elsewhere holds.
const RATE_FOLDS: usize = 5;

/// Least number of cues a lemma heads in training to be listed with its rate.
const RATE_MIN_CUES: usize = 3;

/// Per-lemma (cue heads, occurrences) of documents.
type RateCounts = rustc_hash::FxHashMap<String, (usize, usize)>;

fn count_rates<'a>(docs: impl Iterator<Item = &'a TrainingDoc<'a>>) -> RateCounts {
    let mut counts = RateCounts::default();
    for d in docs {
        for t in &d.doc.tokens {
            counts.entry(t.lemma.to_string()).or_default().1 += 1;
        }
        for r in &d.gold {
            let h = super::linking::cue_head(&d.doc, &r.cue);
            counts
                .entry(d.doc.tokens[h].lemma.to_string())
                .or_default()
                .0 += 1;
        }
    }
    counts
}

/// `base` followed by a `LEMMA<TAB>@N` line for every lemma counted often enough as a cue.
fn with_rates(base: &str, counts: &RateCounts) -> String {
    let mut lines: Vec<String> = counts
        .iter()
        .filter(|(lemma, _)| {
            !lemma.is_empty() && !lemma.contains(|c: char| c == '#' || c.is_whitespace())
        })
        .filter_map(|(lemma, &(cues, seen))| {
            let b = super::lexicon::rate_bucket(cues, seen);
            (cues >= RATE_MIN_CUES && b > 0).then(|| format!("{lemma}\t@{b}"))
        })
        .collect();
    lines.sort();
    let mut out = base.to_string();
    out.push_str("\n# Cue rates attested in the training data (cue heads per occurrence).\n");
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// The lexicon a model trained on `docs` ships: `opts.lexicon`, with the training data's
/// cue rates when `opts.attested`. Documents to score during training are built with it.
pub fn attested_tsv(docs: &[TrainingDoc<'_>], opts: &TrainOptions) -> String {
    if opts.attested {
        with_rates(&opts.lexicon, &count_rates(docs.iter()))
    } else {
        opts.lexicon.clone()
    }
}

/// Gives each training document the lexicon with the rates of the other folds.
fn relabel_by_fold(docs: &mut [TrainingDoc<'_>], opts: &TrainOptions) {
    for k in 0..RATE_FOLDS {
        let counts = count_rates(
            docs.iter()
                .enumerate()
                .filter(|(i, _)| i % RATE_FOLDS != k)
                .map(|(_, d)| d),
        );
        let lexicon =
            Lexicon::parse(&with_rates(&opts.lexicon, &counts)).expect("a lexicon that parsed");
        for (_, d) in docs
            .iter_mut()
            .enumerate()
            .filter(|(i, _)| i % RATE_FOLDS == k)
        {
            d.doc.relabel(&lexicon);
        }
    }
}

/// Trains the role and linking models on `docs` (built with [`lexicon_of`]`(opts)`; with
/// `opts.attested` they are relabelled fold by fold while their features are computed, and
/// left with [`attested_tsv`]'s lexicon, the model's).
/// `on_epoch` sees every epoch's compiled models and may return a score (higher is better);
/// returns the models of the best-scoring epoch (the last one without scores) and the
/// epochs' reports.
pub fn train(
    docs: &mut [TrainingDoc<'_>],
    opts: &TrainOptions,
    mut on_epoch: impl FnMut(&EpochReport, &Attributions) -> Option<f64>,
) -> (Attributions, Vec<EpochReport>) {
    let lexicon_tsv = attested_tsv(docs, opts);
    if opts.attested {
        relabel_by_fold(docs, opts);
    }
    let mut feats = FeatureSet::default();
    let mut roles_data: Vec<Vec<Sequence>> = Vec::with_capacity(docs.len());
    let mut links_data: Vec<Vec<Sequence>> = Vec::with_capacity(docs.len());
    for d in docs.iter() {
        let tags = cue_head_tags(&d.doc, &d.gold);
        let mut paragraphs = Vec::new();
        for para in d.doc.paragraphs() {
            let mut seq = Sequence::default();
            for i in para.clone() {
                feats.clear();
                token_features(&d.doc, i, &mut feats);
                seq.push(&feats);
            }
            // Pieces end at paragraph ends, so every paragraph's tags are a legal sequence.
            seq.gold = tags[para].iter().map(|&r| r as u8).collect();
            paragraphs.push(seq);
        }
        roles_data.push(paragraphs);
        let mut cue_starts = vec![false; d.doc.len()];
        for r in &d.gold {
            cue_starts[r.cue[0]] = true;
        }
        let mut links = Vec::with_capacity(d.gold.len());
        for r in &d.gold {
            let cx = CueContext::new(&d.doc, &r.cue, &cue_starts);
            let mut seq = Sequence::default();
            for i in cx.window.clone() {
                feats.clear();
                if !cx.cue.contains(&i) {
                    link_features(&d.doc, &cx, i, &mut feats);
                }
                seq.push(&feats);
                seq.fixed.push(cx.cue.contains(&i));
            }
            seq.gold = link_tags(cx.window.clone(), r)
                .iter()
                .map(|&t| t as u8)
                .collect();
            links.push(seq);
        }
        links_data.push(links);
    }

    if opts.attested {
        let lexicon = Lexicon::parse(&lexicon_tsv).expect("a lexicon that parsed");
        docs.iter_mut().for_each(|d| d.doc.relabel(&lexicon));
    }
    let docs: &[TrainingDoc<'_>] = docs;
    let mut roles = SeqTrainer::new(CueTag::COUNT, cue_tag_transitions());
    let mut links = SeqTrainer::new(Link::COUNT, free_transitions(Link::COUNT));
    let mut rng = Rng::new(opts.seed);
    let mut order: Vec<usize> = (0..docs.len()).collect();
    let mut best: Option<(f64, Attributions)> = None;
    let mut last = None;
    let mut reports = Vec::new();
    for epoch in 1..=opts.epochs {
        rng.shuffle(&mut order);
        let (mut role_errors, mut link_errors) = (0, 0);
        for &d in &order {
            for seq in &roles_data[d] {
                role_errors += roles.learn(&seq.keys, &seq.offsets, &seq.gold, |_, _| false);
            }
            for seq in &links_data[d] {
                link_errors += links.learn(&seq.keys, &seq.offsets, &seq.gold, |i, tag| {
                    seq.fixed[i] && tag != 0
                });
            }
        }
        let model = Attributions::new(
            &lexicon_tsv,
            roles.compile(opts.prune),
            links.compile(opts.prune),
        );
        let mut report = EpochReport {
            epoch,
            role_errors,
            link_errors,
            score: None,
        };
        report.score = on_epoch(&report, &model);
        if let Some(score) = report.score
            && best.as_ref().is_none_or(|(b, _)| score > *b)
        {
            best = Some((score, model.clone()));
        }
        last = Some(model);
        reports.push(report);
    }
    let model = match (best, last) {
        (Some((_, m)), _) | (None, Some(m)) => m,
        (None, None) => Attributions::new(
            &lexicon_tsv,
            roles.compile(opts.prune),
            links.compile(opts.prune),
        ),
    };
    (model, reports)
}
