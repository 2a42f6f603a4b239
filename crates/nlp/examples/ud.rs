//! Developer tool for the trained NLP core (until the CLI wires the same library calls):
//!
//! ```text
//! cargo run --release -p sitrep-nlp --example ud -- train --train TRAIN.conllu --dev DEV.conllu --out data/models
//! cargo run --release -p sitrep-nlp --example ud -- eval --gold DEV.conllu [--models DIR]
//! cargo run --release -p sitrep-nlp --example ud -- parse FILE.conllu [--models DIR]
//! ```
//!
//! `train` options: `--tagger-iters N`, `--parser-iters N`, `--folds K`, `--seed S`,
//! `--only tagger|parser` (parser-only loads the tagger from `--out` for dev scoring).

use std::path::PathBuf;
use std::time::Instant;

use sitrep_nlp::conllu::read_conllu_file;
use sitrep_nlp::tagger::Tagger;
use sitrep_nlp::train::{ParserTrainOptions, save_parser, train_parser, train_tagger};
use sitrep_nlp::{Nlp, Workspace, eval_ud};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn num<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    arg(args, name)
        .map(|v| v.parse().unwrap_or_else(|_| panic!("{name}: not a number")))
        .unwrap_or(default)
}

fn load(args: &[String]) -> Nlp {
    let started = Instant::now();
    let nlp = match arg(args, "--models") {
        Some(dir) => Nlp::load(&PathBuf::from(dir)),
        None => Nlp::load_default(),
    }
    .expect("load models");
    eprintln!(
        "models loaded in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    nlp
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("train") => {
            let train = PathBuf::from(arg(&args, "--train").expect("--train FILE"));
            let dev = arg(&args, "--dev").map(PathBuf::from);
            let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| "data/models".into()));
            let only = arg(&args, "--only");
            let seed = num(&args, "--seed", 1u64);
            let mut opts = ParserTrainOptions::default();
            opts.tagger.iterations = num(&args, "--tagger-iters", opts.tagger.iterations);
            opts.tagger.seed = seed;
            opts.parser.iterations = num(&args, "--parser-iters", opts.parser.iterations);
            opts.parser.seed = seed;
            opts.folds = num(&args, "--folds", opts.folds);
            opts.tagger.prune = num(&args, "--tagger-prune", opts.tagger.prune);
            opts.parser.prune = num(&args, "--parser-prune", opts.parser.prune);
            opts.parser.explore_from = num(&args, "--explore-from", opts.parser.explore_from);
            opts.parser.explore_p = num(&args, "--explore-p", opts.parser.explore_p);
            if let Some(list) = arg(&args, "--prune-report") {
                opts.parser.prune_report = list.split(',').map(|v| v.parse().unwrap()).collect();
            }
            opts.tagger.dict_min_share = num(&args, "--dict-share", opts.tagger.dict_min_share);
            let started = Instant::now();
            let tagger: Option<Tagger> = if only.as_deref() != Some("parser") {
                let mut topts = opts.tagger.clone();
                topts.verbose = true;
                let trained = train_tagger(&train, dev.as_deref(), &topts).expect("train tagger");
                trained.save(&out).expect("save tagger");
                Some(trained.tagger)
            } else {
                std::fs::read(out.join("tagger.bin"))
                    .ok()
                    .and_then(|b| Tagger::from_bytes(&b).ok())
            };
            if only.as_deref() != Some("tagger") {
                let parser = train_parser(&train, dev.as_deref(), tagger.as_ref(), &opts)
                    .expect("train parser");
                save_parser(&parser, &out).expect("save parser");
            }
            eprintln!(
                "total training time {:.1}s",
                started.elapsed().as_secs_f64()
            );
        }
        Some("eval") => {
            let gold = read_conllu_file(&PathBuf::from(arg(&args, "--gold").expect("--gold FILE")))
                .expect("read gold");
            let nlp = load(&args);
            let started = Instant::now();
            let pred = nlp.annotate(&gold);
            let secs = started.elapsed().as_secs_f64();
            let words: usize = gold.iter().map(|s| s.words.len()).sum();
            println!("{}", eval_ud(&gold, &pred));
            // The parser alone, given gold tags: how much do tagging errors cost?
            let mut gold_tagged = gold.clone();
            nlp.parser().parse_sentences(&mut gold_tagged);
            let s = eval_ud(&gold, &gold_tagged);
            println!("parser with gold tags: UAS {:.2} LAS {:.2}", s.uas, s.las);
            // Raw speed of tag+parse+lemma without building CoNLL-U structures.
            let forms: Vec<Vec<&str>> = gold.iter().map(|s| s.forms()).collect();
            let mut ws = Workspace::default();
            let mut out = Vec::new();
            let rounds = 3;
            let started = Instant::now();
            for _ in 0..rounds {
                for f in &forms {
                    nlp.analyze_into(f, &mut ws, &mut out);
                }
            }
            let raw = started.elapsed().as_secs_f64() / rounds as f64;
            println!(
                "speed: annotate {:.0} words/s, analyze_into {:.0} words/s (1 thread)",
                words as f64 / secs,
                words as f64 / raw
            );
        }
        Some("parse") => {
            let file = PathBuf::from(args.get(1).expect("parse FILE"));
            let nlp = load(&args);
            let text = nlp.annotate_conllu_file(&file).expect("read input");
            print!("{text}");
        }
        _ => {
            eprintln!("usage: ud train|eval|parse ... (see the source header)");
            std::process::exit(2);
        }
    }
}
