//! What the attribution extractor adds to the NLP core's time: one thread, the first N
//! articles of a PolNeAR-style folder, the analysis (tagger, lemmatiser, beam parser; no
//! entities) against `Attributions::find_relations` on it, each the best of three passes.
//!
//! ```text
//! cargo run --release -p sitrep-eval --example attr_speed -- ../shared/data/polnear/train [N]
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use sitrep_eval::polnear::trained::read_folder;
use sitrep_extract::attribution::Attributions;
use sitrep_nlp::{Analyzer, Nlp};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir: PathBuf = args.next().ok_or("usage: attr_speed DIR [N]")?.into();
    let n: usize = args.next().map_or(Ok(100), |s| s.parse())?;
    let mut docs = read_folder(&dir)?;
    docs.truncate(n);
    let models = Nlp::default_model_dir().ok_or("no model directory")?;
    let analyzer = Analyzer::new(Some(Arc::new(Nlp::load(&models)?)), None);
    let started = Instant::now();
    let model = Attributions::load(&models)?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    // Each article's analysis and its attribution are timed one after the other, so that
    // the load of a shared machine weighs on both alike; the best of three passes is kept.
    let (mut analysis, mut attribution, mut found) = (f64::MAX, f64::MAX, 0);
    for _ in 0..3 {
        let (mut a_secs, mut f_secs) = (0.0, 0.0);
        found = 0;
        for d in &docs {
            let t = Instant::now();
            let a = analyzer.analyse(&d.text);
            let mid = Instant::now();
            found += model.find_relations(&d.text, &a).len();
            f_secs += mid.elapsed().as_secs_f64();
            a_secs += (mid - t).as_secs_f64();
        }
        analysis = analysis.min(a_secs);
        attribution = attribution.min(f_secs);
    }
    println!(
        "{} articles, {words} words; attribution.bin loads in {load_ms:.0} ms",
        docs.len()
    );
    println!(
        "analysis {:.2} s ({:.0} words/s); attribution {:.3} s ({:.0} words/s, {found} relations): +{:.1}% over the analysis",
        analysis,
        words as f64 / analysis,
        attribution,
        words as f64 / attribution,
        100.0 * attribution / analysis
    );
    Ok(())
}
