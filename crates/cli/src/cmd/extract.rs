//! `sitrep extract`: read, run the pipeline, print; nothing is stored.

use std::io::{BufWriter, Write};

use anyhow::Result;
use rayon::prelude::*;
use sitrep_link::{DuplicateIndex, Signature};
use sitrep_model::Document;

use crate::{EXIT_OK, EXIT_PARTIAL, ExtractArgs, render};

/// Documents processed in parallel at a time; output keeps input order.
const CHUNK: usize = 64;

pub fn run(args: ExtractArgs) -> Result<u8> {
    let (pipeline, read) = super::configure(&args.input)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut skipped = 0usize;
    let mut duplicates = DuplicateIndex::new();
    let mut inputs = super::open_inputs(&args.input, &read).peekable();
    while inputs.peek().is_some() {
        let chunk: Vec<_> = inputs.by_ref().take(CHUNK).collect();
        let results: Vec<_> = chunk
            .into_par_iter()
            .map(|item| item.and_then(|raw| pipeline.process(raw)))
            .collect();
        for result in results {
            match result {
                Ok(mut doc) => {
                    link_duplicates(&mut duplicates, &mut doc);
                    render::write(&mut out, &doc, args.format)?;
                }
                Err(problem) => {
                    skipped += 1;
                    out.flush()?;
                    eprintln!("sitrep: skipped {problem}");
                }
            }
        }
    }
    out.flush()?;
    Ok(if skipped == 0 { EXIT_OK } else { EXIT_PARTIAL })
}

/// Marks a document that repeats an earlier one of the same run as its near-duplicate.
fn link_duplicates(index: &mut DuplicateIndex, doc: &mut Document) {
    if let Some(sig) = Signature::of_text(&doc.text) {
        doc.duplicate_of = index.find(&sig).map(|(id, _)| id.to_string());
        index.insert(&doc.id, sig, doc.duplicate_of.as_deref());
    }
}
