//! Prints what a PolNeAR-style split holds (`sitrep_eval::polnear::stats`): relations per
//! article, sources, discontiguous spans, content lengths, quoting, sentences, cue order and
//! the most frequent cue lemmas.
//!
//! ```text
//! cargo run --release -p sitrep-eval --example polnear_stats -- ../shared/data/polnear/train
//! ```
//!
//! Lemmas come from the shipped models (`SITREP_MODELS`, else `data/models`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use sitrep_eval::polnear::stats::SplitStats;
use sitrep_nlp::corpus::attribution::read_attribution_folder;
use sitrep_nlp::{Analyzer, Nlp};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .ok_or("usage: polnear_stats DIR (with DIR/text and DIR/attributions)")?
        .into();
    let started = Instant::now();
    let mut docs = Vec::new();
    for doc in read_attribution_folder(&dir)? {
        match doc {
            Ok(doc) => docs.push(doc),
            Err(e) => eprintln!("{e}"),
        }
    }
    let analyzer = Analyzer::new(Some(Arc::new(Nlp::load_default()?)), None);
    let stats = SplitStats::collect(&docs, &analyzer);
    print!("{}: {stats}", dir.display());
    eprintln!("({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}
