//! Extract without a store: read → process (in parallel) → link near-duplicates → hand over,
//! in input order.
//!
//! Near-duplicates are linked as the store links them when [`crate::ingest`] writes: each
//! new body against the documents before it, with the one decision
//! ([`sitrep_link::original_of`], through a [`DuplicateIndex`]), and a document read twice
//! keeps its first decision. So `extract` and `ingest` + `export` give the same documents.

use rayon::prelude::*;
use sitrep_link::{DuplicateIndex, Signature};
use sitrep_model::Document;
use sitrep_read::{Problem, RawDoc};

use crate::Pipeline;

/// Documents processed in parallel at a time; they are handed over in input order.
const CHUNK: usize = 64;

/// Runs `pipeline` over everything `inputs` yields and calls `each` with every document (or
/// the problem that kept an input from becoming one), in input order, stopping at the first
/// error `each` returns.
pub fn extract<E>(
    pipeline: &Pipeline,
    inputs: impl Iterator<Item = Result<RawDoc, Problem>>,
    mut each: impl FnMut(Result<Document, Problem>) -> Result<(), E>,
) -> Result<(), E> {
    let mut duplicates = DuplicateIndex::new();
    let mut inputs = inputs.peekable();
    while inputs.peek().is_some() {
        let chunk: Vec<_> = inputs.by_ref().take(CHUNK).collect();
        let results: Vec<_> = chunk
            .into_par_iter()
            .map(|item| {
                let doc = item.and_then(|raw| pipeline.process(raw))?;
                let signature = Signature::of_text(&doc.text);
                Ok((doc, signature))
            })
            .collect();
        for result in results {
            each(result.map(|(mut doc, signature)| {
                doc.duplicate_of = duplicates.link(&doc.id, signature);
                doc
            }))?;
        }
    }
    Ok(())
}
