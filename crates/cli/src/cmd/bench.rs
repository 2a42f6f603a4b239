//! `sitrep bench` and `sitrep generate`: a reproducible corpus and the speed of extraction
//! on it, on one core.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use sitrep_model::Document;
use sitrep_nlp::{Stage, StageTimes};
use sitrep_pipeline::{Config, LayerTimes, Pipeline, synth};
use sitrep_read::RawDoc;
use sitrep_store::Store;

use crate::EXIT_OK;

#[derive(Args)]
pub struct BenchArgs {
    /// Number of generated documents (with `--text DIR`: at most this many files).
    #[arg(long, default_value_t = 2000)]
    pub docs: usize,
    /// Repeat the measurement this many times and report the best and the median.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Measure the NLP core instead (tokenize + tag + lemmatise + parse + entities), in
    /// words per second on one thread.
    #[arg(long)]
    pub nlp: bool,
    /// With --nlp: the text to measure on: a file with one document per line, or a directory
    /// of `.txt` files, one document each, read in name order (default: the generated corpus).
    #[arg(long, value_name = "FILE|DIR", requires = "nlp")]
    pub text: Option<PathBuf>,
    /// Model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Without --nlp: measure reading, cleaning, sentences, tokens, dates and quantities only
    /// (no tagger, parser or entity recogniser loaded).
    #[arg(long, conflicts_with = "nlp")]
    pub no_models: bool,
    /// Measure storing this many generated claims (ten a document) in a fresh SQLite store
    /// and grouping them into propositions, as after an ingest.
    #[arg(long, value_name = "CLAIMS", conflicts_with_all = ["nlp", "no_models"])]
    pub propositions: Option<usize>,
}

#[derive(Args)]
pub struct GenerateArgs {
    /// Number of documents.
    #[arg(long, default_value_t = 1000)]
    pub docs: usize,
    /// Seed of the generator: the same seed gives the same corpus.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

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
    if let Some(claims) = args.propositions {
        return run_propositions(&args, claims);
    }
    let docs: Vec<RawDoc> = (0..args.docs)
        .map(|n| raw(&synth::article(args.seed, n), n))
        .collect();
    let bytes: usize = docs
        .iter()
        .map(|d| d.text.as_ref().map_or(0, String::len))
        .sum();
    let config = if args.no_models {
        Config::without_models()
    } else {
        super::pipeline_config(args.models.as_deref(), false, None)
    };
    let pipeline = super::load_pipeline_timed(config)?;
    let stages = if args.no_models {
        "clean + sentences + tokens + dates + quantities"
    } else {
        "clean + sentences + tokens + tags + lemmas + parse + entities + dates + quantities"
    };
    println!(
        "extract ({stages}), one thread: {} documents, {:.2} MB",
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
        None => {
            let reading = Pipeline::load(Config::without_models())?;
            (0..args.docs)
                .map(|n| {
                    reading
                        .prepare(raw(&synth::article(args.seed, n), n))
                        .map(|d| d.text)
                        .unwrap_or_default()
                })
                .collect()
        }
    };
    // The analysis stage of the pipeline, as `extract` and `ingest` run it.
    let pipeline =
        super::load_pipeline_timed(super::pipeline_config(args.models.as_deref(), false, None))?;
    let analyzer = pipeline.analyzer();
    let bytes: usize = docs.iter().map(String::len).sum();
    println!(
        "NLP core (sentences, tokens, tagger, lemmatiser, parser, entities), one thread: {} documents, {:.2} MB",
        docs.len(),
        bytes as f64 / 1e6
    );
    let mut best = f64::INFINITY;
    let mut words = 0usize;
    let mut best_stages = StageTimes::default();
    // The layers after the NLP core, as `extract` writes them; relative dates resolve
    // against a fixed publication date.
    let published = chrono::NaiveDate::from_ymd_opt(2020, 1, 1);
    for run in 1..=args.runs.max(1) {
        words = 0;
        let mut found = 0usize;
        let mut stages = StageTimes::default();
        let mut layers = LayerTimes::default();
        let (mut claims, mut places) = (0usize, 0usize);
        let mut core = std::time::Duration::ZERO;
        for text in &docs {
            let started = Instant::now();
            let analysis = analyzer.analyse_timed(text, &mut stages);
            core += started.elapsed();
            words += analysis.tokens().len();
            found += analysis.mentions().len();
            let mut doc = Document {
                text: text.clone(),
                published,
                ..Document::default()
            };
            pipeline.write_layers_timed(&mut doc, &analysis, &mut layers);
            claims += doc.claims.len();
            places += doc.entities.iter().filter(|e| e.place.is_some()).count();
        }
        let s = core.as_secs_f64();
        let secs = |d: std::time::Duration| d.as_secs_f64();
        let rest = s + secs(layers.spans) + secs(layers.claims);
        if pipeline.claims().is_some() {
            println!(
                "run {run}: claims (attribution finder + claims layer) {:.3} s, {claims} claims: +{:.1}% over the NLP core",
                secs(layers.claims),
                100.0 * secs(layers.claims) / s
            );
        }
        println!(
            "run {run}: dates and quantities {:.3} s, places {:.3} s ({places} placed): +{:.1}% over the rest of the pipeline (budget 10%)",
            secs(layers.dates),
            secs(layers.places),
            100.0 * (secs(layers.dates) + secs(layers.places)) / rest
        );
        println!(
            "run {run}: {s:.3} s  {:>9.0} words/s  ({words} words, {found} entities)",
            words as f64 / s
        );
        if s < best {
            best = s;
            best_stages = stages;
        }
    }
    println!("best: {:.0} words/s", words as f64 / best);
    let per_word =
        |stage: Stage| 1e6 * best_stages.0[stage as usize].as_secs_f64() / words.max(1) as f64;
    println!(
        "per word (best run): sentences+tokens {:.2} us, tagger+lemmatiser+parser {:.2} us, entities {:.2} us",
        per_word(Stage::Tokens),
        per_word(Stage::Parse),
        per_word(Stage::Entities)
    );
    Ok(EXIT_OK)
}

/// Storing `claims` generated claims and grouping all of them into propositions (reading
/// them back from the store, grouping, writing the grouping), each timed.
fn run_propositions(args: &BenchArgs, claims: usize) -> Result<u8> {
    const PER_DOC: usize = 10;
    let dir = tempfile::tempdir().context("cannot make a temporary folder")?;
    let mut store = sitrep_store::open(&dir.path().join("bench.db"))?;
    let docs = claims.div_ceil(PER_DOC);
    println!("propositions: {claims} generated claims in {docs} documents, a fresh SQLite store");
    let start = Instant::now();
    for first in (0..docs).step_by(500) {
        let mut batch: Vec<_> = (first..docs.min(first + 500))
            .map(|n| synth::claims_document(args.seed, n, PER_DOC.min(claims - n * PER_DOC)))
            .collect();
        store.insert_batch(&mut batch, &[])?;
    }
    println!("store:   {:.2} s", start.elapsed().as_secs_f64());
    let lexicon = sitrep_pipeline::propositions::PropositionLexicon::embedded();
    for run in 1..=args.runs.max(1) {
        let start = Instant::now();
        let records = store.claims(&sitrep_store::ClaimQuery::default())?;
        let read = start.elapsed().as_secs_f64();
        let grouped = sitrep_pipeline::propositions::group_records(&records, &lexicon);
        let group = start.elapsed().as_secs_f64() - read;
        let through = records.iter().map(|r| r.key).max().unwrap_or(0);
        store.replace_propositions(&grouped, through)?;
        let total = start.elapsed().as_secs_f64();
        let contested = grouped.iter().filter(|p| p.contested).count();
        println!(
            "regroup run {run}: {total:.2} s (read {read:.2} s, group {group:.2} s, write {:.2} s): {} propositions, {contested} contested",
            total - read - group,
            grouped.len()
        );
    }
    Ok(EXIT_OK)
}
