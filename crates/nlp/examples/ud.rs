//! Developer tool for the trained NLP core (until the CLI wires the same library calls):
//!
//! ```text
//! cargo run --release -p sitrep-nlp --example ud -- train --train TRAIN.conllu --dev DEV.conllu --out data/models
//! cargo run --release -p sitrep-nlp --example ud -- eval --gold DEV.conllu [--models DIR]
//! cargo run --release -p sitrep-nlp --example ud -- bench --gold DEV.conllu [--models DIR] [--rounds N]
//! cargo run --release -p sitrep-nlp --example ud -- parse FILE.conllu [--models DIR]
//! ```
//!
//! `train` options: `--tagger-iters N`, `--parser-iters N`, `--folds K`, `--seed S`,
//! `--tagger-passes 1|2`, `--parser-prune W`, `--ensemble N` (parser models averaged),
//! `--beam N` (parser beam width; 1 = the greedy parser, written as `parser-fast.bin`),
//! `--only tagger|parser` (parser-only loads the tagger from `--out` for dev scoring),
//! `--holdout K` (model selection without the dev set: every K-th training document is held
//! out and scored instead of `--dev`), `--jk-cache FILE` (reuse jackknifed training tags
//! between parser experiments; delete the file when the tagger changes).
//!
//! `eval` and `bench` take `--beam-width N --beam-margin M` to decode with another width or a
//! dynamic beam.
//!
//! `bench` reports the best of N rounds in thread CPU time (the machine is shared, so wall
//! time is noisy): tagger alone, and tag + lemma + parse through `Nlp::analyze_into`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use sitrep_nlp::conllu::{Sentence, read_conllu_file, write_conllu};
use sitrep_nlp::lemma::Lemmatizer;
use sitrep_nlp::parser::{ParserWorkspace, tag_hash, train_parser_on};
use sitrep_nlp::tagger::{Tagger, TaggerOptions, TaggerWorkspace, train_tagger_jackknifed};
use sitrep_nlp::train::{
    ParserTrainOptions, TrainedTagger, jackknife_tags, save_parser, train_tagger_sentences,
};
use sitrep_nlp::{Nlp, Workspace, eval_ud};

mod common;
use common::{arg, num};

fn load(args: &[String]) -> Nlp {
    let started = Instant::now();
    let nlp = match arg(args, "--models") {
        Some(dir) => Nlp::load(&PathBuf::from(dir)),
        None => Nlp::load_default(),
    }
    .expect("load models");
    let mut nlp = nlp;
    if let Some(width) = arg(args, "--beam-width") {
        let margin = num(args, "--beam-margin", f32::INFINITY);
        nlp.set_parser_beam(width.parse().expect("--beam-width N"), margin);
    }
    eprintln!(
        "models loaded in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    nlp
}

/// CPU time of the calling thread in seconds (Linux), falling back to wall time elsewhere.
fn thread_cpu_seconds(wall: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns as f64 * 1e-9)
}

/// Best-of-`rounds` CPU seconds of `f`.
fn best_cpu(rounds: usize, mut f: impl FnMut()) -> f64 {
    let origin = Instant::now();
    (0..rounds)
        .map(|_| {
            let start = thread_cpu_seconds(origin);
            f();
            thread_cpu_seconds(origin) - start
        })
        .fold(f64::INFINITY, f64::min)
}

/// Splits a treebank into (kept, held out): every `k`-th document (`# newdoc`) is held out,
/// so held-out words are as often unseen as in new text.
fn split_holdout(sentences: Vec<Sentence>, k: usize) -> (Vec<Sentence>, Vec<Sentence>) {
    let mut doc = 0usize;
    let (mut kept, mut held) = (Vec::new(), Vec::new());
    for (i, s) in sentences.into_iter().enumerate() {
        if i > 0 && s.comments.iter().any(|c| c.starts_with("newdoc")) {
            doc += 1;
        }
        if doc % k == k - 1 {
            held.push(s);
        } else {
            kept.push(s);
        }
    }
    (kept, held)
}

fn train_options(args: &[String]) -> ParserTrainOptions {
    let seed = num(args, "--seed", 1u64);
    let mut opts = ParserTrainOptions::default();
    // `--beam 1` trains the greedy (fast) parser, with its own defaults.
    if num(args, "--beam", opts.parser.beam) == 1 {
        opts.parser = sitrep_nlp::parser::ParserOptions::greedy();
    }
    opts.tagger.iterations = num(args, "--tagger-iters", opts.tagger.iterations);
    opts.tagger.seed = seed;
    opts.parser.iterations = num(args, "--parser-iters", opts.parser.iterations);
    opts.parser.seed = seed;
    opts.folds = num(args, "--folds", opts.folds);
    opts.tagger.prune = num(args, "--tagger-prune", opts.tagger.prune);
    opts.parser.prune = num(args, "--parser-prune", opts.parser.prune);
    opts.parser.explore_from = num(args, "--explore-from", opts.parser.explore_from);
    opts.parser.explore_p = num(args, "--explore-p", opts.parser.explore_p);
    opts.parser.ensemble = num(args, "--ensemble", opts.parser.ensemble);
    opts.parser.beam = num(args, "--beam", opts.parser.beam);
    if let Some(list) = arg(args, "--prune-report") {
        opts.parser.prune_report = list.split(',').map(|v| v.parse().unwrap()).collect();
    }
    opts.tagger.dict_min_share = num(args, "--dict-share", opts.tagger.dict_min_share);
    opts.tagger.two_pass = num(args, "--tagger-passes", 2u8) == 2;
    opts
}

/// Jackknifed training tags, read from / written to `cache` when given.
fn jackknifed(
    train: &[Sentence],
    opts: &ParserTrainOptions,
    cache: Option<&Path>,
) -> Vec<Sentence> {
    if let Some(path) = cache.filter(|p| p.is_file()) {
        let tagged = read_conllu_file(path).expect("read jackknife cache");
        if tagged.len() == train.len() {
            eprintln!("jackknifed tags from {}", path.display());
            return tagged;
        }
    }
    let tagged = jackknife_tags(train, opts.folds, &opts.tagger, true);
    if let Some(path) = cache {
        std::fs::write(path, write_conllu(&tagged)).expect("write jackknife cache");
    }
    tagged
}

fn train(args: &[String]) {
    let train_path = PathBuf::from(arg(args, "--train").expect("--train FILE"));
    let out = PathBuf::from(arg(args, "--out").unwrap_or_else(|| "data/models".into()));
    let only = arg(args, "--only");
    let opts = train_options(args);
    let mut train = read_conllu_file(&train_path).expect("read train");
    let dev: Option<Vec<Sentence>> = match num(args, "--holdout", 0usize) {
        0 => arg(args, "--dev").map(|p| read_conllu_file(Path::new(&p)).expect("read dev")),
        k => {
            let (rest, held) = split_holdout(train, k);
            train = rest;
            eprintln!(
                "holdout: every {k}th training document ({} sentences)",
                held.len()
            );
            Some(held)
        }
    };
    let started = Instant::now();
    let cache = arg(args, "--jk-cache").map(PathBuf::from);
    let (tagger, tagged) = match only.as_deref() {
        Some("tagger") => {
            let mut topts = opts.tagger.clone();
            topts.verbose = true;
            let trained = train_tagger_sentences(&train, dev.as_deref(), &topts);
            trained.save(&out).expect("save tagger");
            (Some(trained.tagger), None)
        }
        Some("parser") => {
            let tagger = std::fs::read(out.join("tagger.bin"))
                .ok()
                .and_then(|b| Tagger::from_bytes(&b).ok());
            (tagger, Some(jackknifed(&train, &opts, cache.as_deref())))
        }
        _ => {
            // Tagger and parser share the jackknife folds.
            let topts = TaggerOptions {
                folds: opts.folds,
                verbose: true,
                ..opts.tagger.clone()
            };
            let trained = train_tagger_jackknifed(&train, dev.as_deref(), &topts, true);
            eprintln!(
                "tagger + jackknife trained in {:.1}s ({} features)",
                started.elapsed().as_secs_f64(),
                trained.tagger.n_features()
            );
            let tagger = TrainedTagger {
                tagger: trained.tagger,
                lemmatizer: Lemmatizer::train(&train),
            };
            tagger.save(&out).expect("save tagger");
            if let Some(path) = &cache {
                std::fs::write(path, write_conllu(&trained.tagged)).expect("write jackknife cache");
            }
            (Some(tagger.tagger), Some(trained.tagged))
        }
    };
    if let Some(tagged) = tagged {
        let dev_tagged = dev.map(|mut d| {
            if let Some(t) = &tagger {
                t.tag_sentences(&mut d);
            }
            d
        });
        let parser_started = Instant::now();
        let parser = train_parser_on(&tagged, dev_tagged.as_deref(), &opts.parser);
        let (a, l) = parser.n_features();
        eprintln!(
            "parser trained in {:.1}s ({a} action features, {l} label features)",
            parser_started.elapsed().as_secs_f64()
        );
        save_parser(&parser, &out).expect("save parser");
    }
    eprintln!(
        "total training time {:.1}s",
        started.elapsed().as_secs_f64()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("train") => train(&args),
        Some("eval") => {
            let mut gold =
                read_conllu_file(&PathBuf::from(arg(&args, "--gold").expect("--gold FILE")))
                    .expect("read gold");
            // `--holdout K`: score the sentences `train --holdout K` held out of this file.
            if let Some(k) = arg(&args, "--holdout").map(|k| k.parse::<usize>().unwrap()) {
                gold = split_holdout(gold, k).1;
            }
            let nlp = load(&args);
            let pred = nlp.annotate(&gold);
            println!("{}", eval_ud(&gold, &pred));
            // The parser alone, given gold tags: how much do tagging errors cost?
            let mut gold_tagged = gold.clone();
            nlp.parser().parse_sentences(&mut gold_tagged);
            let s = eval_ud(&gold, &gold_tagged);
            println!("parser with gold tags: UAS {:.2} LAS {:.2}", s.uas, s.las);
            if let Some(path) = arg(&args, "--write") {
                std::fs::write(path, write_conllu(&pred)).expect("write predictions");
            }
        }
        Some("bench") => {
            let gold = read_conllu_file(&PathBuf::from(arg(&args, "--gold").expect("--gold FILE")))
                .expect("read gold");
            let nlp = load(&args);
            let rounds = num(&args, "--rounds", 5usize);
            let forms: Vec<Vec<&str>> = gold.iter().map(|s| s.forms()).collect();
            let words: usize = forms.iter().map(Vec::len).sum();
            let mut tws = TaggerWorkspace::default();
            let mut classes = Vec::new();
            let tag = best_cpu(rounds, || {
                for f in &forms {
                    nlp.tagger().tag_into(f, &mut tws, &mut classes);
                }
            });
            // The parser alone, on precomputed tags.
            let tagged: Vec<Vec<u64>> = forms
                .iter()
                .map(|f| {
                    nlp.tagger().tag_into(f, &mut tws, &mut classes);
                    classes
                        .iter()
                        .map(|&c| tag_hash(nlp.tagger().upos_of(c), nlp.tagger().xpos_of(c)))
                        .collect()
                })
                .collect();
            let mut pws = ParserWorkspace::default();
            let (mut heads, mut labels) = (Vec::new(), Vec::new());
            let parse = best_cpu(rounds, || {
                for (f, t) in forms.iter().zip(&tagged) {
                    nlp.parser()
                        .parse_hashed(f, t, &mut pws, &mut heads, &mut labels);
                }
            });
            let mut ws = Workspace::default();
            let mut out = Vec::new();
            let all = best_cpu(rounds, || {
                for f in &forms {
                    nlp.analyze_into(f, &mut ws, &mut out);
                }
            });
            println!(
                "speed (best of {rounds}, thread CPU time): tagger {:.0} words/s, parser {:.0} words/s, tag+lemma+parse {:.0} words/s",
                words as f64 / tag,
                words as f64 / parse,
                words as f64 / all
            );
        }
        Some("parse") => {
            let file = PathBuf::from(args.get(1).expect("parse FILE"));
            let nlp = load(&args);
            let text = nlp.annotate_conllu_file(&file).expect("read input");
            print!("{text}");
        }
        _ => {
            eprintln!("usage: ud train|eval|bench|parse ... (see the source header)");
            std::process::exit(2);
        }
    }
}
