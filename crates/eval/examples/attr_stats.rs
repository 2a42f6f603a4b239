//! Facts about a PolNeAR-style split on sitrep's tokens that the attribution model's design
//! rests on: how far contents and sources reach from their cue's sentence, how often the
//! cue lexicon covers a cue, how relations nest.
//!
//! ```text
//! cargo run --release -p sitrep-eval --example attr_stats -- ../shared/data/polnear/train
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use sitrep_extract::attribution::doc::Doc;
use sitrep_extract::attribution::gold::GoldRelation;
use sitrep_extract::attribution::lexicon::Lexicon;
use sitrep_nlp::corpus::attribution::read_attribution_folder;
use sitrep_nlp::{Analyzer, Nlp};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .ok_or("usage: attr_stats DIR")?
        .into();
    let docs: Vec<_> = read_attribution_folder(&dir)?
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let analyzer = Analyzer::new(Some(Arc::new(Nlp::load_default()?)), None);
    let analyses: Vec<_> = docs.par_iter().map(|d| analyzer.analyse(&d.text)).collect();
    let lexicon = Lexicon::shipped();
    let mut offsets: BTreeMap<(i64, i64), usize> = BTreeMap::new();
    let mut src_offsets: BTreeMap<i64, usize> = BTreeMap::new();
    let mut paragraphs_crossed = 0;
    let (mut covered, mut total) = (0, 0);
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    let mut nested = 0;
    let mut cue_len: BTreeMap<usize, usize> = BTreeMap::new();
    let mut content_sentences: BTreeMap<usize, usize> = BTreeMap::new();
    for (d, a) in docs.iter().zip(&analyses) {
        let doc = Doc::new(&d.text, a, &lexicon);
        let gold: Vec<GoldRelation> = d
            .relations
            .iter()
            .map(|r| GoldRelation::new(&doc, r))
            .collect();
        for (k, g) in gold.iter().enumerate() {
            if g.cue.is_empty() || g.content.is_empty() {
                continue;
            }
            let cs = doc.tokens[g.cue[0]].sent as i64;
            let lo = doc.tokens[g.content[0]].sent as i64 - cs;
            let hi = doc.tokens[*g.content.last().unwrap()].sent as i64 - cs;
            *offsets.entry((lo, hi)).or_default() += 1;
            *content_sentences.entry((hi - lo) as usize).or_default() += 1;
            if let Some(&s) = g.source.first() {
                *src_offsets
                    .entry(doc.tokens[s].sent as i64 - cs)
                    .or_default() += 1;
            }
            let cp = doc.tokens[g.cue[0]].para;
            if g.content.iter().any(|&t| doc.tokens[t].para != cp) {
                paragraphs_crossed += 1;
            }
            total += 1;
            *cue_len.entry(g.cue.len()).or_default() += 1;
            if g.cue.iter().any(|&t| doc.tokens[t].cue != 0) {
                covered += 1;
            } else {
                let words: Vec<String> = g
                    .cue
                    .iter()
                    .map(|&t| doc.tokens[t].lemma.to_string())
                    .collect();
                *missing.entry(words.join(" ")).or_default() += 1;
            }
            let (first, last) = (g.content[0], *g.content.last().unwrap());
            if gold
                .iter()
                .enumerate()
                .any(|(j, o)| j != k && o.cue.first().is_some_and(|&c| c > first && c < last))
            {
                nested += 1;
            }
        }
    }
    println!("{total} relations with cue and content");
    println!("content sentence offsets from the cue's sentence (first, last): count");
    for ((lo, hi), n) in &offsets {
        if *n * 1000 >= total {
            println!("  ({lo:+}, {hi:+}): {n}");
        }
    }
    println!("content over k+1 sentences: {content_sentences:?}");
    println!("source sentence offset: {src_offsets:?}");
    println!("contents crossing the cue's paragraph: {paragraphs_crossed}");
    println!("cue lengths (tokens): {cue_len:?}");
    println!("nested (another cue inside the content's extent): {nested}");
    println!(
        "cues with a lexicon word: {covered} ({:.1}%)",
        100.0 * covered as f64 / total as f64
    );
    let mut missing: Vec<_> = missing.into_iter().collect();
    missing.sort_by_key(|m| std::cmp::Reverse(m.1));
    println!("most frequent cues without a lexicon word:");
    for (w, n) in missing.iter().take(80) {
        print!("{w}={n}; ");
    }
    println!();
    Ok(())
}
