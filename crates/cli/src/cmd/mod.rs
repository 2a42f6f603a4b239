//! One module per subcommand.

pub mod bench;
pub mod docs;
pub mod eval;
pub mod extract;
pub mod ingest;
pub mod nlp;
pub mod watch;

use sitrep_pipeline::{Options, Pipeline};
use sitrep_read::fetch::{FetchOptions, Fetcher};
use sitrep_read::warc::PassedOver;
use sitrep_read::{InputKind, Inputs, Problem, RawDoc, ReadOptions, read_inputs};

use crate::InputArgs;

/// The pipeline and reader options an input-taking command asked for; the NLP models are
/// loaded when the token layer is asked for.
pub fn configure(input: &InputArgs) -> anyhow::Result<(Pipeline, ReadOptions)> {
    let options = Options {
        published: input.published,
        tokens: input.tokens,
    };
    let pipeline = if input.tokens {
        let nlp = nlp::load_models(input.models.as_deref())?;
        Pipeline::with_nlp(options, std::sync::Arc::new(nlp))
    } else {
        Pipeline::new(options)
    };
    let ner = match &input.models {
        Some(dir) => sitrep_nlp::Ner::load(&dir.join(sitrep_nlp::ner::NER_FILE)),
        None => sitrep_nlp::Ner::load_default(),
    };
    let pipeline = match ner {
        Ok(ner) => pipeline.with_ner(std::sync::Arc::new(ner)),
        Err(e) => {
            eprintln!("sitrep: warning: no entity model ({e}); the entities layer stays empty");
            pipeline
        }
    };
    let read = ReadOptions {
        max_bytes: input.max_doc_size,
        input: input.input.map(InputKind::from),
        fetcher: Some(fetcher(input.max_doc_size, input.host_delay)),
    };
    Ok((pipeline, read))
}

/// The HTTP client for URL inputs, feeds and their items: the same size cap as files, and
/// `host_delay` between two requests to one host.
pub fn fetcher(max_bytes: usize, host_delay: std::time::Duration) -> Fetcher {
    Fetcher::new(FetchOptions {
        max_bytes,
        host_delay,
        ..FetchOptions::default()
    })
}

/// Everything an input-taking command reads: its paths and URLs in order, then each
/// `--feed`, read as a feed whatever it looks like.
pub fn open_inputs(input: &InputArgs, read: &ReadOptions) -> InputSet {
    let mut parts = vec![read_inputs(&input.inputs, read)];
    if !input.feeds.is_empty() {
        let feeds: Vec<std::path::PathBuf> = input.feeds.iter().map(Into::into).collect();
        let as_feeds = ReadOptions {
            input: Some(InputKind::Feed),
            ..read.clone()
        };
        parts.push(read_inputs(&feeds, &as_feeds));
    }
    InputSet { parts, current: 0 }
}

/// The inputs of one command, one reader after another.
pub struct InputSet {
    parts: Vec<Inputs>,
    current: usize,
}

impl InputSet {
    /// What was read past without a problem (WARC records that are not pages, ...).
    pub fn passed_over(&self) -> PassedOver {
        let mut all = PassedOver::new();
        for part in &self.parts {
            for (kind, n) in part.passed_over() {
                *all.entry(kind).or_default() += n;
            }
        }
        all
    }
}

impl Iterator for InputSet {
    type Item = Result<RawDoc, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(part) = self.parts.get_mut(self.current) {
            match part.next() {
                Some(item) => return Some(item),
                None => self.current += 1,
            }
        }
        None
    }
}

/// "3 WARC request records, 1 redirect (HTTP 3xx)": a summary of what was passed over.
pub fn describe_passed_over(passed: &PassedOver) -> Option<String> {
    if passed.is_empty() {
        return None;
    }
    let parts: Vec<String> = passed
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    Some(parts.join(", "))
}
