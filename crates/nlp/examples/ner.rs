//! Developer tool for the entity recogniser (until the CLI wires the same library calls):
//!
//! ```text
//! cargo run --release -p sitrep-nlp --example ner -- cv --data UNER.iob2 [--folds 5]
//! cargo run --release -p sitrep-nlp --example ner -- train --train UNER.iob2 [--dev DEV.iob2] --out data/models/ner.bin
//! cargo run --release -p sitrep-nlp --example ner -- eval --gold FILE.iob2 [--model data/models/ner.bin]
//! cargo run --release -p sitrep-nlp --example ner -- tag FILE.iob2 [--model data/models/ner.bin]
//! cargo run --release -p sitrep-nlp --example ner -- bench FILE.iob2 [--model data/models/ner.bin]
//! cargo run --release -p sitrep-nlp --example ner -- text "Some text." [--model data/models/ner.bin]
//! ```
//!
//! Training options: `--gazetteer DIR` (default `data/gazetteer`), `--treebank FILE.conllu`
//! (UD EWT train, for word statistics), `--iters N`, `--seed S`, `--prune X`,
//! `--augment N`, `--gazetteer-share X`, `--stack 0|1`, `--out-penalty X`,
//! `--tagger DIR` (tag words with `DIR/tagger.bin` and train with UPOS features),
//! `--gold-upos FILE.conllu` (gold UPOS by sent_id, for upper-bound experiments),
//! `--no-resources`. `cv` also takes `--folds K`, `--fold-seed S` and
//! `--predictions FILE` (held-out predictions as IOB2).

use std::path::{Path, PathBuf};
use std::time::Instant;

use sitrep_nlp::ner::{
    IobSentence, Ner, NerOptions, cross_validate_with_predictions, eval_ner, load_resources,
    read_iob2_file, train_ner, write_iob2,
};
use sitrep_nlp::tagger::Tagger;

mod common;
use common::{arg, num};

fn options(args: &[String]) -> NerOptions {
    let gazetteer = PathBuf::from(arg(args, "--gazetteer").unwrap_or("data/gazetteer".into()));
    let treebank = arg(args, "--treebank").map(PathBuf::from);
    let started = Instant::now();
    let resources = if args.iter().any(|a| a == "--no-resources") {
        Default::default()
    } else {
        load_resources(&gazetteer, treebank.as_deref()).expect("gazetteer and treebank")
    };
    eprintln!(
        "resources: {} phrase hashes, {} corpus words ({:.1}s)",
        resources.phrases.len(),
        resources.words.len(),
        started.elapsed().as_secs_f64()
    );
    let defaults = NerOptions::default();

    NerOptions {
        iterations: num(args, "--iters", defaults.iterations),
        seed: num(args, "--seed", defaults.seed),
        prune: num(args, "--prune", defaults.prune),
        verbose: true,
        resources,
        out_penalty: num(args, "--out-penalty", defaults.out_penalty),
        augment: num(args, "--augment", defaults.augment),
        gazetteer_share: num(args, "--gazetteer-share", defaults.gazetteer_share),
        stack: num(args, "--stack", u8::from(defaults.stack)) != 0,
    }
}

/// Adds predicted UPOS tags when `--tagger DIR` is given.
fn with_upos(args: &[String], mut sentences: Vec<IobSentence>) -> Vec<IobSentence> {
    if let Some(dir) = arg(args, "--tagger") {
        let bytes = std::fs::read(Path::new(&dir).join("tagger.bin")).expect("tagger.bin");
        let tagger = Tagger::from_bytes(&bytes).expect("tagger model");
        for s in &mut sentences {
            s.upos = tagger
                .tag(&s.word_refs())
                .into_iter()
                .map(|(u, _)| u)
                .collect();
        }
    }
    if let Some(path) = arg(args, "--gold-upos") {
        // Gold tags from a treebank with the same sentences (matched by sent_id): an upper
        // bound for what tagger features can add.
        let treebank = sitrep_nlp::conllu::read_conllu_file(Path::new(&path)).expect("treebank");
        let by_id: std::collections::HashMap<&str, &sitrep_nlp::conllu::Sentence> = treebank
            .iter()
            .filter_map(|s| s.sent_id().map(|id| (id, s)))
            .collect();
        for s in &mut sentences {
            if let Some(t) = s.comment_value("sent_id").and_then(|id| by_id.get(id))
                && t.words.len() == s.words.len()
            {
                s.upos = t.words.iter().map(|w| w.upos.clone()).collect();
            } else {
                s.upos = vec!["X".to_string(); s.words.len()];
            }
        }
    }
    sentences
}

fn load_model(args: &[String]) -> Ner {
    let path = PathBuf::from(arg(args, "--model").unwrap_or("data/models/ner.bin".into()));
    let started = Instant::now();
    let model = Ner::load(&path).expect("load NER model");
    eprintln!(
        "model loaded in {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    model
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("cv") => {
            let data = PathBuf::from(arg(&args, "--data").expect("--data FILE"));
            let sentences = with_upos(&args, read_iob2_file(&data).expect("read IOB2"));
            let opts = NerOptions {
                verbose: false,
                ..options(&args)
            };
            let folds = num(&args, "--folds", 5usize);
            let started = Instant::now();
            let (report, predictions) = cross_validate_with_predictions(
                &sentences,
                folds,
                num(&args, "--fold-seed", 1u64),
                &opts,
            );
            if let Some(path) = arg(&args, "--predictions") {
                std::fs::write(&path, write_iob2(&predictions)).expect("write predictions");
            }
            for (i, f) in report.folds.iter().enumerate() {
                eprintln!("fold {}: F1 {:.2}", i + 1, f.overall.f1 * 100.0);
            }
            println!("{report}");
            eprintln!("{:.1}s", started.elapsed().as_secs_f64());
        }
        Some("train") => {
            let train = PathBuf::from(arg(&args, "--train").expect("--train FILE"));
            let out = PathBuf::from(arg(&args, "--out").unwrap_or("data/models/ner.bin".into()));
            let sentences = with_upos(&args, read_iob2_file(&train).expect("read IOB2"));
            let dev = arg(&args, "--dev")
                .map(|d| with_upos(&args, read_iob2_file(Path::new(&d)).expect("read dev")));
            let opts = options(&args);
            let started = Instant::now();
            let model = train_ner(&sentences, dev.as_deref(), &opts);
            model.save(&out).expect("save model");
            eprintln!(
                "trained in {:.1}s: {} feature rows, {} bytes -> {}",
                started.elapsed().as_secs_f64(),
                model.n_features(),
                std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0),
                out.display()
            );
        }
        Some("eval") => {
            let gold = PathBuf::from(arg(&args, "--gold").expect("--gold FILE"));
            let model = load_model(&args);
            let sentences = with_upos(&args, read_iob2_file(&gold).expect("read IOB2"));
            let pred = model.tag_sentences(&sentences, true, false);
            print!("{}", eval_ner(&sentences, &pred).expect("score"));
        }
        Some("tag") => {
            let input = PathBuf::from(args.get(1).expect("tag FILE"));
            let model = load_model(&args);
            let sentences = with_upos(&args, read_iob2_file(&input).expect("read IOB2"));
            print!(
                "{}",
                write_iob2(&model.tag_sentences(&sentences, true, false))
            );
        }
        Some("text") => {
            // Recognise entities in plain text given on the command line (one document).
            let text = args.get(1).expect("text TEXT").clone();
            let model = load_model(&args);
            let sentences: Vec<Vec<&str>> = sitrep_nlp::tokenize_sentences(&text)
                .into_iter()
                .map(|(_, tokens)| tokens.into_iter().map(|r| &text[r]).collect())
                .collect();
            for (words, spans) in sentences
                .iter()
                .zip(model.recognise_document(&sentences, None))
            {
                let shown: Vec<String> = spans
                    .iter()
                    .map(|s| {
                        format!(
                            "[{}]/{}",
                            words[s.start_word..s.end_word].join(" "),
                            s.label.as_str()
                        )
                    })
                    .collect();
                println!("{}\n  {}", words.join(" "), shown.join("  "));
            }
        }
        Some("bench") => {
            let input = PathBuf::from(args.get(1).expect("bench FILE"));
            let model = load_model(&args);
            let sentences = read_iob2_file(&input).expect("read IOB2");
            let words: Vec<Vec<&str>> = sentences.iter().map(|s| s.word_refs()).collect();
            let mut ws = Default::default();
            let mut out = Vec::new();
            let (mut n_words, mut n_entities) = (0usize, 0usize);
            let started = Instant::now();
            for _ in 0..5 {
                for w in &words {
                    model.recognise_into(w, None, &mut ws, &mut out);
                    n_words += w.len();
                    n_entities += out.len();
                }
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{n_words} words in {secs:.3}s: {:.0} words/s ({n_entities} entities)",
                n_words as f64 / secs
            );
        }
        _ => {
            eprintln!("usage: ner cv|train|eval|tag|bench ... (see the source header)");
            std::process::exit(2);
        }
    }
}
