//! Training: mention replacement, the two stacked stages (the second on jackknifed
//! first-stage decisions), and cross-validation by document.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::features::{DocHistory, NO_CLASS, NerWorkspace, TokenInfo, features, token_infos};
use super::labels::{EntityLabel, typed_spans};
use super::model::{Class, Ner};
use super::resources::{NamePools, NerResources, match_case};
use super::score::{NerScores, Prf, eval_ner, score_tags, scores_from_counts};
use crate::corpus::iob2::{IobSentence, documents, starts_document};
use crate::model_io::Rng;
use crate::perceptron::{FeatureSet, LinearModel, PerceptronTrainer, argmax_valid};

/// NER training settings.
#[derive(Debug, Clone)]
pub struct NerOptions {
    pub iterations: usize,
    pub seed: u64,
    /// Averaged weights with a smaller magnitude are dropped from the compiled model.
    pub prune: f32,
    /// Print per-epoch progress to stderr.
    pub verbose: bool,
    /// Gazetteer phrases and corpus statistics (empty by default).
    pub resources: NerResources,
    /// Penalty on the `O` class at prediction time, in perceptron weight units (0 = none).
    pub out_penalty: f32,
    /// Mention-replacement copies of each training sentence with entities (0 = none).
    pub augment: usize,
    /// Share of replacement names drawn from the gazetteer pools rather than from other
    /// training mentions.
    pub gazetteer_share: f64,
    /// Train a second, stacked stage that sees the first stage's decisions on both sides of
    /// each word (first-stage decisions for its training data come from jackknifed models).
    pub stack: bool,
}

impl Default for NerOptions {
    fn default() -> NerOptions {
        NerOptions {
            iterations: 8,
            seed: 1,
            prune: 0.05,
            verbose: false,
            resources: NerResources::default(),
            out_penalty: 0.0,
            augment: 3,
            gazetteer_share: 0.3,
            stack: true,
        }
    }
}

/// Trains a recogniser on IOB2 sentences (PER/ORG/LOC/OTH or any [`EntityLabel`] names);
/// uses UPOS features if every training sentence carries tags. Deterministic for a seed.
pub fn train_ner(train: &[IobSentence], dev: Option<&[IobSentence]>, opts: &NerOptions) -> Ner {
    let mut ner = untrained(train, opts);
    let data = augmented(train, opts, opts.seed);
    let first = train_stage(&mut ner, &data, None, dev.filter(|_| !opts.stack), opts);
    ner.set_model(first, opts.out_penalty);
    if !opts.stack || train.is_empty() {
        return ner;
    }
    // Second stage: its training sentences need first-stage decisions made by models that
    // did not see them (jackknifing by document), or it would learn to trust a first stage
    // that is right far more often than on new text.
    let folds = document_folds(train, STACK_FOLDS, opts.seed);
    let mut second_data = Vec::with_capacity(data.len());
    let mut second_first = Vec::with_capacity(data.len());
    for (j, held) in folds.iter().enumerate() {
        let mut in_fold = vec![false; train.len()];
        for &i in held {
            in_fold[i] = true;
        }
        let rest: Vec<IobSentence> = (0..train.len())
            .filter(|&i| !in_fold[i])
            .map(|i| train[i].clone())
            .collect();
        let seed = opts.seed.wrapping_add(j as u64 + 1);
        let mut fold_model = ner.clone();
        let m = train_stage(
            &mut fold_model,
            &augmented(&rest, opts, seed),
            None,
            None,
            opts,
        );
        fold_model.set_model(m, opts.out_penalty);
        let part = augmented(
            &held.iter().map(|&i| train[i].clone()).collect::<Vec<_>>(),
            opts,
            seed,
        );
        second_first.extend(fold_model.first_pass(&part));
        second_data.extend(part);
    }
    let second = train_stage(&mut ner, &second_data, Some(&second_first), dev, opts);
    ner.stacked = Some(second);
    ner
}

/// Jackknife folds for the second stage.
const STACK_FOLDS: usize = 4;

/// The training sentences plus their mention-replacement copies (see [`replace_mentions`]).
fn augmented(train: &[IobSentence], opts: &NerOptions, seed: u64) -> Vec<IobSentence> {
    let mut data = train.to_vec();
    if opts.augment > 0 {
        data.extend(replace_mentions(
            train,
            opts.augment,
            seed,
            &opts.resources.names,
            opts.gazetteer_share,
        ));
    }
    data
}

/// Mention replacement (Dai & Adel 2020): `copies` variants of every sentence that has an
/// entity, each entity swapped for a random mention of the same type from elsewhere in the
/// training data. The contexts stay real while the names vary, so the model leans less on
/// memorised names and more on context, capitalisation and the gazetteer.
fn replace_mentions(
    train: &[IobSentence],
    copies: usize,
    seed: u64,
    pools: &NamePools,
    gazetteer_share: f64,
) -> Vec<IobSentence> {
    let mut by_type: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for s in train {
        for (a, b, t) in typed_spans(&s.tags) {
            by_type
                .entry(t.to_string())
                .or_default()
                .push(s.words[a..b].to_vec());
        }
    }
    let mut rng = Rng::new(seed ^ 0x6175_676d);
    let mut out = Vec::new();
    for s in train {
        let spans = typed_spans(&s.tags);
        if spans.is_empty() {
            continue;
        }
        for _ in 0..copies {
            let tagged = s.upos.len() == s.words.len();
            let mut words = Vec::with_capacity(s.words.len() + 4);
            let mut tags = Vec::with_capacity(s.words.len() + 4);
            let mut upos = Vec::new();
            let mut at = 0;
            for &(a, b, t) in &spans {
                words.extend_from_slice(&s.words[at..a]);
                tags.extend_from_slice(&s.tags[at..a]);
                if tagged {
                    upos.extend_from_slice(&s.upos[at..a]);
                }
                let from_gazetteer = rng.next_f64() < gazetteer_share;
                let name = match from_gazetteer.then(|| pools.pick(t, &mut rng)).flatten() {
                    Some(mut name) => {
                        match_case(&mut name, &s.words[a..b]);
                        name
                    }
                    None => {
                        let pool = &by_type[t];
                        pool[rng.below(pool.len())].clone()
                    }
                };
                for (i, w) in name.iter().enumerate() {
                    words.push(w.clone());
                    tags.push(format!("{}-{t}", if i == 0 { "B" } else { "I" }));
                    if tagged {
                        upos.push("PROPN".to_string());
                    }
                }
                at = b;
            }
            words.extend_from_slice(&s.words[at..]);
            tags.extend_from_slice(&s.tags[at..]);
            if tagged {
                upos.extend_from_slice(&s.upos[at..]);
            }
            out.push(IobSentence {
                comments: vec!["newdoc id = mention-replacement".to_string()],
                words,
                tags,
                upos,
                ..IobSentence::default()
            });
        }
    }
    out
}

/// A model with the label set of `train` and the resources of `opts`, and no weights yet.
fn untrained(train: &[IobSentence], opts: &NerOptions) -> Ner {
    let mut classes = vec![Class::Out];
    for s in train {
        for t in &s.tags {
            if let Some(c) = Class::parse(t)
                && !classes.contains(&c)
            {
                classes.push(c);
            }
        }
    }
    // Every seen type gets both its B and I class, in a fixed order.
    let mut types: Vec<EntityLabel> = classes
        .iter()
        .filter_map(|c| match c {
            Class::Begin(l) | Class::Inside(l) => Some(*l),
            Class::Out => None,
        })
        .collect();
    types.sort();
    types.dedup();
    let mut classes = vec![Class::Out];
    for l in types {
        classes.push(Class::Begin(l));
        classes.push(Class::Inside(l));
    }
    let uses_upos = !train.is_empty()
        && train
            .iter()
            .all(|s| s.upos.len() == s.words.len() && !s.upos.is_empty());
    let phrases = opts.resources.phrases.as_ref().clone();
    let stats = opts.resources.words.as_ref().clone();
    Ner::new(
        classes.clone(),
        uses_upos,
        phrases,
        stats,
        PerceptronTrainer::new(classes.len()).compile(opts.prune),
    )
}

/// Trains one stage's weights on `train` (with `first` holding the first-stage decisions per
/// sentence when training the second stage). Prints progress, and dev F1 when given.
fn train_stage(
    ner: &mut Ner,
    train: &[IobSentence],
    first: Option<&[Vec<u64>]>,
    dev: Option<&[IobSentence]>,
    opts: &NerOptions,
) -> LinearModel {
    let classes = ner.classes.clone();
    let uses_upos = ner.uses_upos;

    // Token infos do not depend on the weights: compute them once.
    let mut ws = NerWorkspace::default();
    let kept: Vec<usize> = (0..train.len())
        .filter(|&i| !train[i].words.is_empty())
        .collect();
    let stack: Option<Vec<&[u64]>> = first.map(|f| kept.iter().map(|&i| f[i].as_slice()).collect());
    let train: Vec<&IobSentence> = kept.iter().map(|&i| &train[i]).collect();
    let mut docs: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, s) in train.iter().enumerate() {
        if i == 0 || starts_document(s) {
            docs.push(i..i + 1);
        } else if let Some(d) = docs.last_mut() {
            d.end = i + 1;
        }
    }
    let mut data: Vec<(Vec<TokenInfo>, Vec<u64>, Vec<usize>)> = train
        .iter()
        .map(|s| {
            let words = s.word_refs();
            let upos: Vec<&str> = s.upos.iter().map(String::as_str).collect();
            token_infos(
                &words,
                uses_upos.then_some(upos.as_slice()),
                &ner.phrases,
                &ner.stats,
                &mut ws,
            );
            let gold = s
                .tags
                .iter()
                .map(|t| {
                    Class::parse(t)
                        .and_then(|c| classes.iter().position(|&k| k == c))
                        .unwrap_or(0)
                })
                .collect();
            (ws.info.clone(), ws.keys.clone(), gold)
        })
        .collect();

    let n = classes.len();
    let mut trainer = PerceptronTrainer::new(n);
    let mut rng = Rng::new(opts.seed);
    let mut feats = FeatureSet::default();
    let mut history = DocHistory::new();
    let mut docs_start = vec![false; data.len()];
    for d in &docs {
        docs_start[d.start] = true;
    }
    let mut scores = vec![0f32; n];
    for epoch in 0..opts.iterations {
        rng.shuffle(&mut docs);
        let (mut right, mut total) = (0usize, 0usize);
        for si in docs.iter().flat_map(|d| d.clone()) {
            if docs_start[si] {
                history.clear();
            }
            let (info, keys, gold) = &mut data[si];
            for (t, &k) in info.iter_mut().zip(keys.iter()) {
                t.hist = history.hint(k);
            }
            let mut guesses = Vec::with_capacity(info.len());
            let (mut prev1, mut prev2) = (NO_CLASS, NO_CLASS);
            let mut prev_class = Class::Out;
            let st = stack.as_ref().map(|st| st[si]);
            for (i, &truth) in gold.iter().enumerate() {
                features(info, i, prev1, prev2, st, &mut feats);
                scores.iter_mut().for_each(|s| *s = 0.0);
                trainer.score(&feats.keys, &mut scores);
                let guess =
                    argmax_valid(&scores, |c| classes[c].may_follow(prev_class)).unwrap_or(0);
                trainer.update(&feats.keys, truth, guess);
                trainer.tick();
                right += usize::from(guess == truth);
                total += 1;
                prev2 = prev1;
                prev1 = ner.class_hash[guess];
                prev_class = classes[guess];
                guesses.push(classes[guess].type_index());
            }
            history.record(keys, info, guesses.into_iter());
        }
        if opts.verbose {
            let mut line = format!(
                "ner epoch {}: train word accuracy {:.2}%",
                epoch + 1,
                100.0 * right as f64 / total.max(1) as f64
            );
            if let Some(dev) = dev {
                let model = trainer.compile(opts.prune);
                if first.is_some() {
                    ner.stacked = Some(model);
                } else {
                    ner.set_model(model, opts.out_penalty);
                }
                let pred = ner.tag_sentences(dev, false, false);
                if let Ok(s) = eval_ner(dev, &pred) {
                    let _ = write!(line, ", dev F1 {:.2}", s.overall.f1 * 100.0);
                }
            }
            eprintln!("{line}");
        }
    }
    trainer.compile(opts.prune)
}

/// Result of [`cross_validate`].
#[derive(Debug, Clone, Default)]
pub struct CvReport {
    /// Scores of each held-out fold.
    pub folds: Vec<NerScores>,
    /// Mean over folds of precision, recall and F1 (overall and per type).
    pub mean: BTreeMap<String, (f64, f64, f64)>,
    /// Scores of all held-out predictions pooled together.
    pub pooled: NerScores,
}

impl std::fmt::Display for CvReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "mean over {} folds:", self.folds.len())?;
        for (t, (p, r, f1)) in &self.mean {
            writeln!(
                f,
                "{t:<8} P {:6.2}  R {:6.2}  F1 {:6.2}",
                p * 100.0,
                r * 100.0,
                f1 * 100.0
            )?;
        }
        writeln!(f, "pooled:")?;
        write!(f, "{}", self.pooled)
    }
}

/// Splits documents (see [`documents`]) into `k` folds of similar size: documents are
/// shuffled with `seed`, then each goes to the fold with the fewest words so far.
pub fn document_folds(sentences: &[IobSentence], k: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut docs = documents(sentences);
    Rng::new(seed).shuffle(&mut docs);
    let k = k.max(1);
    let mut folds: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut sizes = vec![0usize; k];
    for d in docs {
        let f = (0..k).min_by_key(|&f| (sizes[f], f)).unwrap();
        sizes[f] += sentences[d.clone()]
            .iter()
            .map(|s| s.words.len())
            .sum::<usize>();
        folds[f].extend(d);
    }
    for f in &mut folds {
        f.sort_unstable();
    }
    folds
}

/// k-fold cross-validation by document: trains on k−1 folds, scores the held-out one (UNER
/// type names, gazetteer NORP spans dropped), and reports per-fold, mean and pooled scores.
pub fn cross_validate(
    sentences: &[IobSentence],
    k: usize,
    seed: u64,
    opts: &NerOptions,
) -> CvReport {
    cross_validate_with_predictions(sentences, k, seed, opts).0
}

/// [`cross_validate`], also returning every sentence as predicted by the model that did not
/// see it (in the input order), for error analysis.
pub fn cross_validate_with_predictions(
    sentences: &[IobSentence],
    k: usize,
    seed: u64,
    opts: &NerOptions,
) -> (CvReport, Vec<IobSentence>) {
    let folds = document_folds(sentences, k, seed);
    let mut report = CvReport::default();
    let mut pooled: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut predictions: Vec<Option<IobSentence>> = vec![None; sentences.len()];
    for (fi, held) in folds.iter().enumerate() {
        let mut in_fold = vec![false; sentences.len()];
        for &i in held {
            in_fold[i] = true;
        }
        let train: Vec<IobSentence> = (0..sentences.len())
            .filter(|&i| !in_fold[i])
            .map(|i| sentences[i].clone())
            .collect();
        let test: Vec<IobSentence> = held.iter().map(|&i| sentences[i].clone()).collect();
        let model = train_ner(&train, None, opts);
        let pred = model.tag_sentences(&test, true, false);
        for (g, p) in test.iter().zip(&pred) {
            score_tags(&g.tags, &p.tags, &mut pooled);
        }
        let scores = eval_ner(&test, &pred).unwrap_or_default();
        if opts.verbose {
            eprintln!(
                "fold {}: {} sentences, F1 {:.2}",
                fi + 1,
                test.len(),
                scores.overall.f1 * 100.0
            );
        }
        report.folds.push(scores);
        for (&i, p) in held.iter().zip(pred) {
            predictions[i] = Some(p);
        }
    }
    let n = report.folds.len().max(1) as f64;
    let mut add = |name: &str, p: &Prf| {
        let e = report
            .mean
            .entry(name.to_string())
            .or_insert((0.0, 0.0, 0.0));
        e.0 += p.precision / n;
        e.1 += p.recall / n;
        e.2 += p.f1 / n;
    };
    for s in &report.folds {
        add("overall", &s.overall);
        for (t, p) in &s.per_type {
            add(t, p);
        }
    }
    report.pooled = scores_from_counts(&pooled);
    (report, predictions.into_iter().flatten().collect())
}

impl Ner {
    /// First-stage decisions (class hashes) for sentences read as documents, for training
    /// the second stage.
    pub(super) fn first_pass(&self, sentences: &[IobSentence]) -> Vec<Vec<u64>> {
        let single = Ner {
            stacked: None,
            ..self.clone()
        };
        single.recognise_documents(sentences, |_, _, ws| {
            ws.classes
                .iter()
                .map(|&c| self.class_hash[usize::from(c)])
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::iob2::sentence;
    use crate::gazetteer::{Gazetteer, GazetteerSources};
    use crate::model_io::ModelError;
    use crate::ner::{EntitySpan, NER_FILE};

    fn gazetteer() -> Gazetteer {
        Gazetteer::parse(&GazetteerSources {
            actors: "VARNIA\tVRN\tcountry\tcountries\t\n\
                     ANA PETROVA\tVRNGOV\tperson\tcountries\t\n\
                     NORDLAND SHIPPING\tMNCVRN\tcompany\tinternational\t\n"
                .into(),
            countries: "Varnia\tVRN\tcountry\nVarnian\tVRN\tdemonym\n".into(),
            places: "Karsvik\t\tVRN\t1\t2\t42\t150000\tcity\t01\n\
                     Ostamo\t\tVRN\t1\t2\t43\t50000\tcity\t01\n\
                     Lindby\t\tVRN\t1\t2\t44\t40000\tcity\t01\n"
                .into(),
            given_names: "Ana\nIvo\nMila\nTomas\n".into(),
            surnames: "Petrova\nKovar\nSalo\n".into(),
            org_keywords: "Ministry\nShipping\nParty\n".into(),
            person_titles: "President\nMr.\n".into(),
            ..GazetteerSources::default()
        })
        .unwrap()
    }

    fn tiny_corpus() -> Vec<IobSentence> {
        vec![
            sentence(
                "Ana Petrova visited Karsvik on Monday .",
                "B-PER I-PER O B-LOC O O O",
            ),
            sentence(
                "President Ivo Kovar said Nordland Shipping would leave Ostamo .",
                "O B-PER I-PER O B-ORG I-ORG O O B-LOC O",
            ),
            sentence(
                "The Ministry of Trade fined Nordland Shipping .",
                "O B-ORG I-ORG I-ORG O B-ORG I-ORG O",
            ),
            sentence("Mila Salo lives in Lindby .", "B-PER I-PER O O B-LOC O"),
            sentence("It rained all week in Lindby .", "O O O O O B-LOC O"),
            sentence(
                "Mr. Kovar and Ana Petrova met the Green Party .",
                "O B-PER O B-PER I-PER O O B-ORG I-ORG O",
            ),
            sentence("Nobody said anything .", "O O O O"),
            sentence(
                "Tomas Kovar flew from Ostamo to Karsvik .",
                "B-PER I-PER O O B-LOC O B-LOC O",
            ),
        ]
    }

    fn options() -> NerOptions {
        let g = gazetteer();
        NerOptions {
            iterations: 10,
            resources: NerResources::new(&g, &[]),
            ..NerOptions::default()
        }
    }

    #[test]
    fn training_on_a_tiny_set_learns_it() {
        let corpus = tiny_corpus();
        let model = train_ner(&corpus, None, &options());
        assert_eq!(
            model.labels(),
            [EntityLabel::Per, EntityLabel::Org, EntityLabel::Loc]
        );
        let pred = model.tag_sentences(&corpus, false, false);
        let scores = eval_ner(&corpus, &pred).unwrap();
        assert_eq!(scores.overall.f1, 1.0, "{scores}");
        // A new sentence built from known patterns.
        let words = ["Mila", "Kovar", "visited", "Lindby", "."];
        let spans = model.recognise(&words, None);
        assert_eq!(
            spans,
            [
                EntitySpan {
                    start_word: 0,
                    end_word: 2,
                    label: EntityLabel::Per
                },
                EntitySpan {
                    start_word: 3,
                    end_word: 4,
                    label: EntityLabel::Loc
                }
            ]
        );
        // Capitalised nationality words become NORP spans (the UNER data has none).
        let words = ["Varnian", "troops", "left", "Karsvik", "."];
        let spans = model.recognise(&words, None);
        assert!(spans.contains(&EntitySpan {
            start_word: 0,
            end_word: 1,
            label: EntityLabel::Norp
        }));
        let tagged = model.tag_sentences(&[IobSentence::from_words(&words)], true, true);
        assert_eq!(tagged[0].tags[0], "B-OTH");
        let tagged = model.tag_sentences(&[IobSentence::from_words(&words)], true, false);
        assert_eq!(tagged[0].tags[0], "O");
        // Empty input is fine.
        assert!(model.recognise(&[], None).is_empty());
    }

    #[test]
    fn odd_input_gives_well_formed_spans() {
        let model = train_ner(&tiny_corpus(), None, &options());
        let long = "X".repeat(500);
        let words = [
            "",
            "🙂",
            "Ana",
            "---",
            &long,
            "Kovar",
            "Ostamo",
            "\u{200b}",
            "İSTANBUL",
            ".",
        ];
        for n in 0..=words.len() {
            let spans = model.recognise(&words[..n], None);
            let mut last_end = 0;
            for s in &spans {
                assert!(s.start_word >= last_end && s.start_word < s.end_word && s.end_word <= n);
                last_end = s.end_word;
            }
        }
        // UPOS of the wrong length is ignored rather than trusted.
        let spans = model.recognise(&words, Some(&["NOUN"]));
        assert_eq!(spans, model.recognise(&words, None));
    }

    #[test]
    fn training_is_deterministic_and_save_load_keeps_predictions() {
        let corpus = tiny_corpus();
        let a = train_ner(&corpus, None, &options());
        let b = train_ner(&corpus, None, &options());
        assert_eq!(a.to_bytes(), b.to_bytes());
        let dir = std::env::temp_dir().join(format!("sitrep-ner-test-{}", std::process::id()));
        let path = dir.join(NER_FILE);
        a.save(&path).unwrap();
        let loaded = Ner::load(&path).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(loaded, a);
        let probe = [
            "President",
            "Mila",
            "Petrova",
            "thanked",
            "Nordland",
            "Shipping",
            "in",
            "Varnia",
            ".",
        ];
        assert_eq!(loaded.recognise(&probe, None), a.recognise(&probe, None));
        assert!(matches!(
            Ner::from_bytes(&a.to_bytes()[..40]),
            Err(ModelError::Corrupt(_))
        ));
    }

    #[test]
    fn folds_never_split_a_document() {
        let mut sentences = Vec::new();
        for d in 0..7 {
            for k in 0..(d % 3 + 1) {
                let mut s = sentence("Ana left", "B-PER O");
                if k == 0 {
                    s.comments.push(format!("newdoc id = d{d}"));
                }
                s.comments.push(format!("sent_id = d{d}-{k}"));
                sentences.push(s);
            }
        }
        let docs = documents(&sentences);
        assert_eq!(docs.len(), 7);
        let folds = document_folds(&sentences, 3, 5);
        assert_eq!(folds, document_folds(&sentences, 3, 5));
        let mut all: Vec<usize> = folds.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..sentences.len()).collect::<Vec<_>>());
        for d in &docs {
            let owner: Vec<usize> = d
                .clone()
                .map(|i| folds.iter().position(|f| f.contains(&i)).unwrap())
                .collect();
            assert!(owner.windows(2).all(|w| w[0] == w[1]), "{owner:?}");
        }
        assert!(folds.iter().all(|f| !f.is_empty()));
    }
}
