//! `sitrep bench` and `sitrep generate`: a reproducible corpus and the speed of extraction
//! on it, on one core.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use anyhow::{Context, Result};
use sitrep_nlp::Workspace;
use sitrep_nlp::ner::{DocHistory, Ner, NerWorkspace};
use sitrep_pipeline::{Options, Pipeline, synth};
use sitrep_read::RawDoc;

use crate::{BenchArgs, EXIT_OK, GenerateArgs};

pub fn generate(args: GenerateArgs) -> Result<u8> {
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    for n in 0..args.docs {
        writeln!(out, "{}", synth::article(args.seed, n))?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Turns a generated JSON Lines record into a read document, as the JSONL reader would.
fn raw(record: &str, n: usize) -> RawDoc {
    let v: serde_json::Value = serde_json::from_str(record).expect("the generator writes JSON");
    let field = |k: &str| v[k].as_str().map(str::to_string);
    RawDoc {
        source: format!("generated:{n}"),
        url: field("url"),
        site: field("site"),
        published: field("published").and_then(|d| d.parse().ok()),
        text: field("text"),
        ..RawDoc::default()
    }
}

pub fn run(args: BenchArgs) -> Result<u8> {
    if args.nlp {
        return run_nlp(&args);
    }
    let docs: Vec<RawDoc> = (0..args.docs)
        .map(|n| raw(&synth::article(args.seed, n), n))
        .collect();
    let bytes: usize = docs
        .iter()
        .map(|d| d.text.as_ref().map_or(0, String::len))
        .sum();
    let pipeline = Pipeline::new(Options {
        published: None,
        tokens: true,
    });
    println!(
        "extract (clean + sentences + tokens + dates + quantities), one thread: {} documents, {:.2} MB",
        docs.len(),
        bytes as f64 / 1e6
    );
    let mut secs = Vec::new();
    for run in 1..=args.runs.max(1) {
        let batch = docs.clone();
        let start = Instant::now();
        let mut sentences = 0usize;
        for raw in batch {
            let doc = pipeline.process(raw).map_err(|p| anyhow::anyhow!("{p}"))?;
            sentences += doc.sentences.len();
        }
        let s = start.elapsed().as_secs_f64();
        println!(
            "run {run}: {:.3} s  {:>7.1} MB/s  {:>9.0} documents/s  ({sentences} sentences)",
            s,
            bytes as f64 / 1e6 / s,
            docs.len() as f64 / s
        );
        secs.push(s);
    }
    secs.sort_by(f64::total_cmp);
    let best = secs[0];
    let median = secs[secs.len() / 2];
    println!(
        "best:   {:.1} MB/s, {:.0} documents/s\nmedian: {:.1} MB/s, {:.0} documents/s",
        bytes as f64 / 1e6 / best,
        docs.len() as f64 / best,
        bytes as f64 / 1e6 / median,
        docs.len() as f64 / median
    );
    Ok(EXIT_OK)
}

/// Words per second of the whole NLP core (sitrep's sentences and tokens, two-pass tagger,
/// lemmatiser, parser, entity recogniser with document memory) on one thread.
fn run_nlp(args: &BenchArgs) -> Result<u8> {
    let docs: Vec<String> = match &args.text {
        Some(dir) if dir.is_dir() => {
            let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
                .with_context(|| format!("{}: cannot list", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            files.sort();
            files.truncate(args.docs);
            files
                .iter()
                .map(|p| {
                    std::fs::read_to_string(p)
                        .with_context(|| format!("{}: cannot read", p.display()))
                })
                .collect::<Result<_>>()?
        }
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect(),
        None => (0..args.docs)
            .map(|n| {
                let raw = raw(&synth::article(args.seed, n), n);
                Pipeline::new(Options::default())
                    .process(raw)
                    .map(|d| d.text)
                    .unwrap_or_default()
            })
            .collect(),
    };
    let nlp = super::nlp::load_models(args.models.as_deref())?;
    let ner = match &args.models {
        Some(dir) => Ner::load(&dir.join(sitrep_nlp::ner::NER_FILE)),
        None => Ner::load_default(),
    }
    .context("cannot load the entity model")?;
    let bytes: usize = docs.iter().map(String::len).sum();
    println!(
        "NLP core (sentences, tokens, tagger, lemmatiser, parser, entities), one thread: {} documents, {:.2} MB",
        docs.len(),
        bytes as f64 / 1e6
    );
    let mut best = f64::INFINITY;
    let mut words = 0usize;
    let mut spans = Vec::new();
    let mut analysis = Vec::new();
    let mut entities = Vec::new();
    let mut ws = Workspace::default();
    let mut ner_ws = NerWorkspace::default();
    // Time per stage, from the best run: sentences and tokens, tags + lemmas + trees, entities.
    let mut best_stages = [0f64; 3];
    for run in 1..=args.runs.max(1) {
        let start = Instant::now();
        words = 0;
        let mut found = 0usize;
        let mut stages = [std::time::Duration::ZERO; 3];
        for text in &docs {
            let mut history = DocHistory::new();
            let mut clock = Instant::now();
            let mut lap = |stage: usize, stages: &mut [std::time::Duration; 3]| {
                let now = Instant::now();
                stages[stage] += now - clock;
                clock = now;
            };
            // As the pipeline does: a document's sentences and tokens, then the tags and trees
            // of all its sentences, then its entities.
            let sentences: Vec<Vec<&str>> = sitrep_nlp::split_sentences(text)
                .into_iter()
                .map(|sentence| {
                    spans.clear();
                    sitrep_nlp::tokenize_into(text, sentence, &mut spans);
                    spans.iter().map(|r| &text[r.clone()]).collect()
                })
                .collect();
            lap(0, &mut stages);
            nlp.analyze_all_into(&sentences, &mut ws, &mut analysis);
            lap(1, &mut stages);
            for forms in &sentences {
                ner.recognise_in_document(
                    forms,
                    None,
                    Some(&mut history),
                    &mut ner_ws,
                    &mut entities,
                );
                words += forms.len();
                found += entities.len();
            }
            lap(2, &mut stages);
        }
        let s = start.elapsed().as_secs_f64();
        println!(
            "run {run}: {s:.3} s  {:>9.0} words/s  ({words} words, {found} entities)",
            words as f64 / s
        );
        if s < best {
            best = s;
            best_stages = stages.map(|d| d.as_secs_f64());
        }
    }
    println!("best: {:.0} words/s", words as f64 / best);
    let per_word = |t: f64| 1e6 * t / words.max(1) as f64;
    println!(
        "per word (best run): sentences+tokens {:.2} us, tagger+lemmatiser+parser {:.2} us, entities {:.2} us",
        per_word(best_stages[0]),
        per_word(best_stages[1]),
        per_word(best_stages[2])
    );
    Ok(EXIT_OK)
}
