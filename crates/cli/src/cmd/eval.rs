//! `sitrep eval`: scores against gold annotations, failing below the floors.

use std::path::Path;

use anyhow::{Context, Result};
use sitrep_eval::seed::{Gold, evaluate};
use sitrep_pipeline::{Options, Pipeline};
use sitrep_read::{ReadOptions, read_inputs};

use crate::{EXIT_OK, EXIT_PARTIAL, EvalSeedArgs};

pub fn seed(args: EvalSeedArgs) -> Result<u8> {
    let gold_text = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("{}: cannot read the gold file", args.gold.display()))?;
    let gold: Gold = serde_json::from_str(&gold_text)
        .with_context(|| format!("{}: not a seed gold file", args.gold.display()))?;
    let article = args
        .gold
        .parent()
        .unwrap_or(Path::new("."))
        .join(&gold.document.file);
    let pipeline = Pipeline::new(Options {
        published: gold.document.published,
        tokens: false,
    });
    let raw = read_inputs(std::slice::from_ref(&article), &ReadOptions::default())
        .next()
        .with_context(|| format!("{}: no document read", article.display()))?
        .map_err(|p| anyhow::anyhow!("{p}"))?;
    let doc = pipeline.process(raw).map_err(|p| anyhow::anyhow!("{p}"))?;
    println!("seed evaluation: {}", article.display());
    let categories = evaluate(&doc, &gold);
    let mut failed = false;
    for cat in &categories {
        println!("  {cat}");
        if !cat.meets_floor() {
            failed = true;
        }
        if args.verbose || !cat.meets_floor() {
            for miss in &cat.misses {
                println!("      miss: {miss}");
            }
        }
    }
    if failed {
        println!("seed evaluation: BELOW FLOOR");
        Ok(EXIT_PARTIAL)
    } else {
        println!("seed evaluation: all scored categories meet their floors");
        Ok(EXIT_OK)
    }
}
