//! `sitrep bench` and `sitrep generate`: a reproducible corpus and the speed of extraction
//! on it, on one core.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use anyhow::{Context, Result};
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
