//! Training: the tag inventory and dictionary, held-out lexicons, the two passes and
//! jackknifing by document (see the module docs of [`crate::tagger`]).

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::{
    REFINE_REVERSE, TagLexicon, Tagger, TaggerWorkspace, TokenInfo, class_hash, greedy_pass,
};
use crate::corpus::conllu::{Sentence, document_folds};
use crate::model_io::{Rng, combine};
use crate::perceptron::{FeatureSet, LinearModel, PerceptronTrainer, argmax_valid};

impl TagLexicon {
    pub(super) fn build<'a>(
        sentences: impl Iterator<Item = &'a Sentence>,
        class_of: &HashMap<(String, String), u16>,
    ) -> TagLexicon {
        let mut counts: HashMap<&str, HashMap<u16, usize>> = HashMap::new();
        for s in sentences {
            for w in &s.words {
                if let Some(&c) = class_of.get(&(w.upos.clone(), w.xpos.clone())) {
                    *counts
                        .entry(w.form.as_str())
                        .or_default()
                        .entry(c)
                        .or_default() += 1;
                }
            }
        }
        let words = counts
            .into_iter()
            .map(|(word, classes)| {
                let total: usize = classes.values().sum();
                let mut set: Vec<(u16, usize)> = classes.into_iter().collect();
                set.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let mft = set[0].0;
                let mut members: Vec<u16> = set
                    .iter()
                    .filter(|(_, n)| *n * 20 >= total)
                    .map(|(c, _)| *c)
                    .collect();
                members.sort_unstable();
                let amb = members
                    .iter()
                    .fold(0xa3b1_u64, |h, &c| combine(h, u64::from(c)));
                (word.to_string(), (amb, mft))
            })
            .collect();
        TagLexicon { words }
    }
}

/// Tagger training settings.
#[derive(Debug, Clone)]
pub struct TaggerOptions {
    pub iterations: usize,
    pub seed: u64,
    /// Averaged weights with a smaller magnitude are dropped from the compiled model.
    pub prune: f32,
    /// A word enters the tag dictionary if seen at least this often...
    pub dict_min_count: usize,
    /// ...with its most frequent tag at least this share of the time.
    pub dict_min_share: f64,
    /// Train the second, refining pass. Its training inputs are first-pass tags predicted
    /// by `folds` first-pass taggers each trained without the sentences it tags.
    pub two_pass: bool,
    pub folds: usize,
    /// Print per-epoch progress to stderr.
    pub verbose: bool,
}

impl Default for TaggerOptions {
    fn default() -> TaggerOptions {
        TaggerOptions {
            iterations: 10,
            seed: 1,
            prune: 0.05,
            dict_min_count: 20,
            dict_min_share: 0.99,
            two_pass: true,
            folds: 5,
            verbose: true,
        }
    }
}

/// UPOS and XPOS accuracy of a tagger on gold-tagged sentences.
pub fn tag_accuracy(tagger: &Tagger, gold: &[Sentence]) -> (f64, f64) {
    let mut ws = TaggerWorkspace::default();
    let mut classes = Vec::new();
    let (mut total, mut upos_ok, mut xpos_ok) = (0usize, 0usize, 0usize);
    for s in gold {
        let words = s.forms();
        tagger.tag_into(&words, &mut ws, &mut classes);
        for (w, &c) in s.words.iter().zip(&classes) {
            total += 1;
            upos_ok += usize::from(tagger.upos_of(c) == w.upos);
            xpos_ok += usize::from(tagger.xpos_of(c) == w.xpos);
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    (pct(upos_ok), pct(xpos_ok))
}

/// What is fixed for a whole training run, whatever subset a model learns from: the tag
/// classes (every UPOS+XPOS pair in the data, most frequent first) and the tag dictionary.
struct Inventory {
    upos: Vec<String>,
    xpos: Vec<String>,
    class_of: HashMap<(String, String), u16>,
    class_hash: Vec<u64>,
    tag_dict: FxHashMap<String, u16>,
}

impl Inventory {
    fn new(train: &[Sentence], opts: &TaggerOptions) -> Inventory {
        let mut pair_counts: HashMap<(String, String), usize> = HashMap::new();
        let mut word_counts: HashMap<&str, HashMap<(String, String), usize>> = HashMap::new();
        for s in train {
            for w in &s.words {
                let pair = (w.upos.clone(), w.xpos.clone());
                *pair_counts.entry(pair.clone()).or_default() += 1;
                *word_counts
                    .entry(w.form.as_str())
                    .or_default()
                    .entry(pair)
                    .or_default() += 1;
            }
        }
        let mut pairs: Vec<((String, String), usize)> = pair_counts.into_iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        pairs.truncate(256);
        let class_of: HashMap<(String, String), u16> = pairs
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.clone(), i as u16))
            .collect();
        let upos: Vec<String> = pairs.iter().map(|((u, _), _)| u.clone()).collect();
        let xpos: Vec<String> = pairs.iter().map(|((_, x), _)| x.clone()).collect();
        let class_hash = upos
            .iter()
            .zip(&xpos)
            .map(|(u, x)| class_hash(u, x))
            .collect();
        let mut tag_dict = FxHashMap::default();
        for (word, counts) in &word_counts {
            let total: usize = counts.values().sum();
            let (best, n) = counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .unwrap();
            if total >= opts.dict_min_count
                && *n as f64 / total as f64 >= opts.dict_min_share
                && let Some(&c) = class_of.get(best)
            {
                tag_dict.insert(word.to_string(), c);
            }
        }
        Inventory {
            upos,
            xpos,
            class_of,
            class_hash,
            tag_dict,
        }
    }

    fn tagger(
        &self,
        lexicon: TagLexicon,
        model: LinearModel,
        refiner: Option<LinearModel>,
    ) -> Tagger {
        Tagger {
            upos: self.upos.clone(),
            xpos: self.xpos.clone(),
            class_hash: self.class_hash.clone(),
            tag_dict: self.tag_dict.clone(),
            lexicon,
            model,
            refiner,
        }
    }
}

/// A training (sub)set ready for learning: the lexicon of the whole subset (what a tagger
/// trained on it ships) and, per sentence, token infos computed with a lexicon that excludes
/// the sentence's own fold, so unknown words are as frequent in training as in new text.
struct Prepared {
    lexicon: TagLexicon,
    info: Vec<Vec<TokenInfo>>,
    gold: Vec<Vec<Option<u16>>>,
    in_dict: Vec<Vec<bool>>,
}

const LEXICON_FOLDS: usize = 10;

impl Prepared {
    fn new(sentences: Vec<&Sentence>, inv: &Inventory) -> Prepared {
        let fold_of = document_folds(sentences.iter().copied(), LEXICON_FOLDS);
        let fold_lexicons: Vec<TagLexicon> = (0..LEXICON_FOLDS)
            .map(|fold| {
                TagLexicon::build(
                    sentences
                        .iter()
                        .zip(&fold_of)
                        .filter(|(_, f)| **f != fold)
                        .map(|(s, _)| *s),
                    &inv.class_of,
                )
            })
            .collect();
        let lexicon = TagLexicon::build(sentences.iter().copied(), &inv.class_of);
        let info = sentences
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let fold_lexicon = &fold_lexicons[fold_of[si]];
                s.words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| TokenInfo::new(&w.form, i == 0, fold_lexicon))
                    .collect()
            })
            .collect();
        let gold = sentences
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| inv.class_of.get(&(w.upos.clone(), w.xpos.clone())).copied())
                    .collect()
            })
            .collect();
        let in_dict = sentences
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| inv.tag_dict.contains_key(&w.form))
                    .collect()
            })
            .collect();
        Prepared {
            lexicon,
            info,
            gold,
            in_dict,
        }
    }
}

/// Learns one pass: the first pass if `first` is `None`, else the refining pass given the
/// first-pass tags (class hashes) of every prepared sentence. `report` is called after each
/// epoch with the epoch number and the model so far.
fn learn_pass(
    inv: &Inventory,
    data: &Prepared,
    first: Option<&[Vec<u64>]>,
    opts: &TaggerOptions,
    mut report: impl FnMut(usize, f64, &PerceptronTrainer),
) -> PerceptronTrainer {
    let n_classes = inv.upos.len();
    let mut trainer = PerceptronTrainer::new(n_classes);
    let mut rng = Rng::new(opts.seed ^ u64::from(first.is_some()));
    let mut order: Vec<usize> = (0..data.info.len()).collect();
    let mut feats = FeatureSet::default();
    let mut scores = vec![0f32; n_classes];
    for epoch in 0..opts.iterations {
        rng.shuffle(&mut order);
        let (mut seen, mut correct) = (0usize, 0usize);
        let mut tags = Vec::new();
        for &si in &order {
            let (gold, in_dict) = (&data.gold[si], &data.in_dict[si]);
            greedy_pass(
                &data.info[si],
                &inv.class_hash,
                first.map(|f| f[si].as_slice()),
                first.is_some() && REFINE_REVERSE,
                &mut feats,
                |i| in_dict[i].then(|| gold[i].unwrap_or(0)),
                |i, feats| {
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    trainer.score(&feats.keys, &mut scores);
                    let guess = argmax_valid(&scores, |_| true).unwrap_or(0) as u16;
                    if let Some(truth) = gold[i] {
                        trainer.update(&feats.keys, usize::from(truth), usize::from(guess));
                        seen += 1;
                        correct += usize::from(truth == guess);
                    }
                    trainer.tick();
                    guess
                },
                &mut tags,
            );
        }
        report(epoch, 100.0 * correct as f64 / seen.max(1) as f64, &trainer);
    }
    trainer
}

/// The result of [`train_tagger_jackknifed`].
pub struct JackknifedTagger {
    /// The tagger trained on all the data.
    pub tagger: Tagger,
    /// The training sentences with UPOS/XPOS replaced by jackknifed predictions: each fold
    /// tagged by taggers trained without it.
    pub tagged: Vec<Sentence>,
}

/// Trains a tagger on gold-tagged sentences, reporting dev accuracy per epoch if given.
pub fn train_tagger_on(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    opts: &TaggerOptions,
) -> Tagger {
    train_tagger_jackknifed(train, dev, opts, false).tagger
}

/// Trains a tagger and, if `jackknife`, also tags the training data by `opts.folds`-fold
/// jackknifing (what the parser learns from). Both passes of the tagger share the folds: the
/// refining pass learns from jackknifed first-pass tags, and jackknifing the final tags
/// reuses them, so the whole costs `2 × (folds + 1)` pass trainings rather than nested
/// jackknifing.
pub fn train_tagger_jackknifed(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    opts: &TaggerOptions,
    jackknife: bool,
) -> JackknifedTagger {
    let inv = Inventory::new(train, opts);
    let folds = opts.folds;
    let two_pass = opts.two_pass && folds >= 2;
    let fold_of = document_folds(train, folds);
    let fold_members = |fold: usize| -> (Vec<&Sentence>, Vec<usize>) {
        let rest = train
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f != fold)
            .map(|(s, _)| s)
            .collect();
        let held = (0..train.len()).filter(|&i| fold_of[i] == fold).collect();
        (rest, held)
    };
    let quiet = |_: usize, _: f64, _: &PerceptronTrainer| {};
    let dev_line = |pass: &str, epoch: usize, acc: f64, tagger: Option<Tagger>| {
        if !opts.verbose {
            return;
        }
        let mut line = format!("tagger {pass} epoch {}: train acc {acc:.2}%", epoch + 1);
        if let (Some(dev), Some(tagger)) = (dev, tagger) {
            let (u, x) = tag_accuracy(&tagger, dev);
            line.push_str(&format!(" | dev UPOS {u:.2} XPOS {x:.2}"));
        }
        eprintln!("{line}");
    };

    // First pass on all data.
    let all = Prepared::new(train.iter().collect(), &inv);
    let first = learn_pass(&inv, &all, None, opts, |epoch, acc, t| {
        let tagger = dev.map(|_| inv.tagger(all.lexicon.clone(), t.compile(opts.prune), None));
        dev_line("pass 1", epoch, acc, tagger);
    })
    .compile(opts.prune);

    // Jackknifed first-pass tags of every training sentence (needed by the refining pass,
    // and they are the final jackknifed tags of a one-pass tagger).
    let mut first_hashes: Vec<Vec<u64>> = vec![Vec::new(); train.len()];
    let mut jackknifed: Vec<Vec<u16>> = vec![Vec::new(); train.len()];
    if two_pass || (jackknife && folds >= 2) {
        for fold in 0..folds {
            let (rest, held) = fold_members(fold);
            let part = Prepared::new(rest, &inv);
            let model = learn_pass(&inv, &part, None, opts, quiet).compile(opts.prune);
            let tagger = inv.tagger(part.lexicon, model, None);
            let mut ws = TaggerWorkspace::default();
            for &i in &held {
                tagger.tag_into(&train[i].forms(), &mut ws, &mut jackknifed[i]);
                first_hashes[i] = jackknifed[i]
                    .iter()
                    .map(|&c| inv.class_hash[usize::from(c)])
                    .collect();
            }
            if opts.verbose {
                eprintln!("tagger pass 1 jackknife fold {}/{folds} done", fold + 1);
            }
        }
    }

    let refiner = two_pass.then(|| {
        learn_pass(&inv, &all, Some(&first_hashes), opts, |epoch, acc, t| {
            let tagger = dev.map(|_| {
                inv.tagger(
                    all.lexicon.clone(),
                    first.clone(),
                    Some(t.compile(opts.prune)),
                )
            });
            dev_line("pass 2", epoch, acc, tagger);
        })
        .compile(opts.prune)
    });

    if two_pass && jackknife {
        for fold in 0..folds {
            let (rest, held) = fold_members(fold);
            let part = Prepared::new(rest, &inv);
            let rest_first: Vec<Vec<u64>> = (0..train.len())
                .filter(|&i| fold_of[i] != fold)
                .map(|i| first_hashes[i].clone())
                .collect();
            let refiner =
                learn_pass(&inv, &part, Some(&rest_first), opts, quiet).compile(opts.prune);
            // Second pass over the held-out fold given its jackknifed first-pass tags.
            let n = inv.upos.len();
            let mut feats = FeatureSet::default();
            let mut scores = vec![0i32; n];
            for &i in &held {
                let words = train[i].forms();
                let info: Vec<TokenInfo> = words
                    .iter()
                    .enumerate()
                    .map(|(k, w)| TokenInfo::new(w, k == 0, &part.lexicon))
                    .collect();
                greedy_pass(
                    &info,
                    &inv.class_hash,
                    Some(&first_hashes[i]),
                    REFINE_REVERSE,
                    &mut feats,
                    |k| inv.tag_dict.get(words[k]).copied(),
                    |_, f| {
                        scores.iter_mut().for_each(|s| *s = 0);
                        refiner.score(&f.keys, &mut scores);
                        argmax_valid(&scores, |_| true).unwrap_or(0) as u16
                    },
                    &mut jackknifed[i],
                );
            }
            if opts.verbose {
                eprintln!("tagger pass 2 jackknife fold {}/{folds} done", fold + 1);
            }
        }
    }

    let tagger = inv.tagger(all.lexicon.clone(), first, refiner);
    let mut tagged = Vec::new();
    if jackknife {
        tagged = train.to_vec();
        if folds >= 2 {
            for (s, classes) in tagged.iter_mut().zip(&jackknifed) {
                for (w, &c) in s.words.iter_mut().zip(classes) {
                    w.upos = inv.upos[usize::from(c)].clone();
                    w.xpos = inv.xpos[usize::from(c)].clone();
                }
            }
        }
    }
    JackknifedTagger { tagger, tagged }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::conllu::parse_conllu;

    fn toy_treebank() -> Vec<Sentence> {
        let rows = [
            "The/DET/DT dog/NOUN/NN barks/VERB/VBZ ./PUNCT/.",
            "A/DET/DT cat/NOUN/NN sleeps/VERB/VBZ ./PUNCT/.",
            "The/DET/DT cats/NOUN/NNS sleep/VERB/VBP ./PUNCT/.",
            "Dogs/NOUN/NNS bark/VERB/VBP loudly/ADV/RB ./PUNCT/.",
            "The/DET/DT bird/NOUN/NN sings/VERB/VBZ loudly/ADV/RB ./PUNCT/.",
            "A/DET/DT bird/NOUN/NN saw/VERB/VBD the/DET/DT dog/NOUN/NN ./PUNCT/.",
        ];
        let mut text = String::new();
        for row in rows {
            for (i, tok) in row.split(' ').enumerate() {
                let parts: Vec<&str> = tok.split('/').collect();
                text.push_str(&format!(
                    "{}\t{}\t_\t{}\t{}\t_\t_\t_\t_\t_\n",
                    i + 1,
                    parts[0],
                    parts[1],
                    parts[2]
                ));
            }
            text.push('\n');
        }
        parse_conllu(&text).unwrap()
    }

    #[test]
    fn learns_a_tiny_treebank_and_round_trips() {
        let data = toy_treebank();
        let opts = TaggerOptions {
            iterations: 8,
            prune: 0.0,
            dict_min_count: 1000,
            two_pass: false,
            verbose: false,
            ..TaggerOptions::default()
        };
        let tagger = train_tagger_on(&data, None, &opts);
        let (u, x) = tag_accuracy(&tagger, &data);
        assert_eq!((u, x), (100.0, 100.0));
        // Generalises by suffix/context: an unseen noun after a determiner.
        let tags = tagger.tag(&["The", "horse", "sleeps", "."]);
        assert_eq!(tags[0].1, "DT");
        assert_eq!(tags[2].1, "VBZ");
        let loaded = Tagger::from_bytes(&tagger.to_bytes()).unwrap();
        assert_eq!(loaded, tagger);
        assert_eq!(
            loaded.tag(&["A", "dog", "saw", "the", "cats"]),
            tagger.tag(&["A", "dog", "saw", "the", "cats"])
        );
    }

    #[test]
    fn two_pass_tagger_jackknifes_and_can_be_turned_off() {
        let data = toy_treebank();
        let opts = TaggerOptions {
            iterations: 6,
            prune: 0.0,
            dict_min_count: 1000,
            folds: 3,
            verbose: false,
            ..TaggerOptions::default()
        };
        let trained = train_tagger_jackknifed(&data, None, &opts, true);
        assert!(trained.tagger.is_two_pass());
        // Jackknifed copies keep the words and carry predicted tags from the known classes.
        assert_eq!(trained.tagged.len(), data.len());
        for (gold, tagged) in data.iter().zip(&trained.tagged) {
            assert_eq!(gold.forms(), tagged.forms());
            for w in &tagged.words {
                assert!(trained.tagger.upos.contains(&w.upos), "{}", w.upos);
            }
        }
        let bytes = trained.tagger.to_bytes();
        assert_eq!(Tagger::from_bytes(&bytes).unwrap(), trained.tagger);
        // The refining pass still gets the training data right.
        assert_eq!(tag_accuracy(&trained.tagger, &data), (100.0, 100.0));

        let one = train_tagger_on(
            &data,
            None,
            &TaggerOptions {
                two_pass: false,
                ..opts
            },
        );
        assert!(!one.is_two_pass());
        assert!(one.to_bytes().len() < bytes.len());
        assert_eq!(Tagger::from_bytes(&one.to_bytes()).unwrap(), one);
    }
}
