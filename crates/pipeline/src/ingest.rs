//! Ingest: read → process (in parallel) → store, one transaction per batch.
//!
//! The reader is sequential (files are read in a fixed order), documents of a batch are
//! processed in parallel, and the calling thread writes each finished batch. A crash loses at
//! most the batch being written, and since ids are content hashes, running the same ingest
//! again stores exactly what is missing.

use rayon::prelude::*;
use sitrep_link::Signature;
use sitrep_model::Document;
use sitrep_read::{Problem, RawDoc};
use sitrep_store::{Store, StoreError};

use crate::Pipeline;

/// Counts so far, passed to the progress callback after every batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Documents read (including those later skipped).
    pub read: u64,
    pub ingested: u64,
    pub unchanged: u64,
    pub skipped: u64,
    /// Newly stored documents that are near-duplicates of stored ones.
    pub duplicates: u64,
    /// Bytes of document text processed.
    pub bytes: u64,
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub progress: Progress,
    /// Every input or document that was skipped, with where and why.
    pub problems: Vec<Problem>,
    /// The propositions after the stored claims were grouped again (`None`: no new claims).
    pub propositions: Option<usize>,
}

/// Ingests everything `inputs` yields into `store`, `batch_size` documents per transaction.
/// Bad inputs are collected in the report and the batch goes on; only a store error (disk
/// full, database locked) stops the ingest, after which everything committed before stays.
pub fn ingest(
    pipeline: &Pipeline,
    inputs: impl Iterator<Item = Result<RawDoc, Problem>>,
    store: &mut dyn Store,
    batch_size: usize,
    mut on_progress: impl FnMut(&Progress, &[Problem]),
) -> Result<IngestReport, StoreError> {
    let mut report = IngestReport::default();
    let mut batch: Vec<RawDoc> = Vec::with_capacity(batch_size);
    let mut inputs = inputs.peekable();
    while inputs.peek().is_some() {
        let mut new_problems = Vec::new();
        for item in inputs.by_ref() {
            report.progress.read += 1;
            match item {
                Ok(raw) => {
                    batch.push(raw);
                    if batch.len() >= batch_size.max(1) {
                        break;
                    }
                }
                Err(problem) => new_problems.push(problem),
            }
        }
        let processed: Vec<Result<(Document, Option<Signature>), Problem>> =
            std::mem::take(&mut batch)
                .into_par_iter()
                .map(|raw| {
                    let doc = pipeline.process(raw)?;
                    let signature = Signature::of_text(&doc.text);
                    Ok((doc, signature))
                })
                .collect();
        let mut docs = Vec::with_capacity(processed.len());
        let mut signatures = Vec::with_capacity(processed.len());
        for result in processed {
            match result {
                Ok((doc, signature)) => {
                    report.progress.bytes += doc.text.len() as u64;
                    docs.push(doc);
                    signatures.push(signature);
                }
                Err(problem) => new_problems.push(problem),
            }
        }
        if !docs.is_empty() {
            let outcome = store.insert_batch(&mut docs, &signatures)?;
            report.progress.ingested += outcome.inserted.len() as u64;
            report.progress.duplicates += outcome.duplicates.len() as u64;
            report.progress.unchanged += outcome.unchanged.len() as u64;
        }
        report.progress.skipped += new_problems.len() as u64;
        on_progress(&report.progress, &new_problems);
        report.problems.extend(new_problems);
    }
    // New claims may join, split or contest earlier propositions: group the store again.
    report.propositions = crate::propositions::regroup_if_stale(store)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn raw(source: &str, text: &str) -> Result<RawDoc, Problem> {
        Ok(RawDoc {
            source: source.into(),
            text: Some(text.into()),
            ..RawDoc::default()
        })
    }

    #[test]
    fn batches_store_good_documents_and_report_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = sitrep_store::open(&dir.path().join("t.db")).unwrap();
        let pipeline = Pipeline::load(Config::without_models()).unwrap();
        let inputs = vec![
            raw(
                "a.txt",
                "Talks resumed on Monday between the two delegations.",
            ),
            Err(Problem::new(
                "b.jsonl",
                sitrep_read::ProblemKind::MalformedJson,
                "expected value at line 1 column 1",
            )
            .at_line(2)),
            raw("c.txt", "Aid reached the town after a week of fighting."),
            raw(
                "d.txt",
                "Talks resumed on Monday between the two delegations.",
            ),
        ];
        let mut calls = 0;
        let report = ingest(&pipeline, inputs.into_iter(), &mut store, 2, |_, _| {
            calls += 1
        })
        .unwrap();
        assert_eq!(report.progress.read, 4);
        assert_eq!(report.progress.ingested, 2);
        assert_eq!(report.progress.unchanged, 1);
        assert_eq!(report.progress.skipped, 1);
        assert_eq!(report.problems[0].line, Some(2));
        assert_eq!(calls, 2);
        assert_eq!(store.stats().unwrap().documents, 2);
    }
}
