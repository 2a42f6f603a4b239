//! One module per subcommand.

pub mod bench;
pub mod claims;
pub mod docs;
pub mod eval;
pub mod extract;
pub mod gazetteer;
pub mod import;
pub mod ingest;
pub mod nlp;
pub mod report;
pub mod sources;
pub mod watch;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use sitrep_pipeline::{Config, Pipeline};
use sitrep_read::fetch::{FetchOptions, Fetcher};
use sitrep_read::warc::PassedOver;
use sitrep_read::{InputKind, Inputs, Problem, RawDoc, ReadOptions, read_inputs};

/// Inputs and reading options shared by `extract` and `ingest`.
#[derive(Args, Clone)]
pub struct InputArgs {
    /// Files or folders (read recursively), http(s) URLs (fetched); `-` reads standard input.
    /// Text, JSON Lines, HTML, WARC (.warc, .warc.gz) and feeds are told apart by name and
    /// content.
    #[arg(required_unless_present = "feeds", value_name = "PATH|URL")]
    pub inputs: Vec<PathBuf>,
    /// A feed (RSS, Atom, JSON Feed) to read, by URL or file: its items are the documents,
    /// and items that are only links are fetched. Repeatable.
    #[arg(long = "feed", value_name = "URL|FILE")]
    pub feeds: Vec<String>,
    /// Read every input as this kind instead of detecting it.
    #[arg(long, value_enum, value_name = "KIND")]
    pub input: Option<InputKindArg>,
    /// Pause between two requests to the same web host ("1s", "500ms").
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = humantime::parse_duration)]
    pub host_delay: std::time::Duration,
    /// Publication date for documents whose input has none; relative dates ("Friday", "last
    /// week") are resolved against it. Without one they stay unresolved.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub published: Option<NaiveDate>,
    /// Skip any document larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    pub max_doc_size: usize,
    /// Write the tokens layer into each document (tags, lemmas and the dependency tree; the
    /// parser runs either way).
    #[arg(long)]
    pub tokens: bool,
    /// NLP model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    pub models: Option<std::path::PathBuf>,
    /// Worker threads analysing documents (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

/// `--input`: what every input is, when detection should not decide.
#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum InputKindArg {
    /// One plain-text article per input.
    Text,
    /// JSON Lines (or one JSON document).
    Jsonl,
    /// One HTML page per input.
    Html,
    /// A WARC archive, compressed or not.
    Warc,
    /// An RSS, Atom or JSON Feed feed.
    Feed,
}

impl From<InputKindArg> for sitrep_read::InputKind {
    fn from(kind: InputKindArg) -> sitrep_read::InputKind {
        match kind {
            InputKindArg::Text => sitrep_read::InputKind::Text,
            InputKindArg::Jsonl => sitrep_read::InputKind::JsonLines,
            InputKindArg::Html => sitrep_read::InputKind::Html,
            InputKindArg::Warc => sitrep_read::InputKind::Warc,
            InputKindArg::Feed => sitrep_read::InputKind::Feed,
        }
    }
}

/// The database: `--db`, else `SITREP_DB`, else `sitrep.db` in the working directory.
#[derive(Args, Clone)]
pub struct DbArgs {
    #[arg(
        long,
        env = "SITREP_DB",
        default_value = "sitrep.db",
        value_name = "FILE"
    )]
    pub db: PathBuf,
}

/// The pipeline configuration a command's flags ask for: the models folder, `--fast`, the
/// token layer and the publication-date fallback; everything else computed.
pub fn pipeline_config(
    models: Option<&std::path::Path>,
    tokens: bool,
    published: Option<chrono::NaiveDate>,
) -> Config {
    Config {
        models: models.map(std::path::Path::to_path_buf),
        parser: nlp::parser_choice(),
        tokens,
        published,
        ..Config::default()
    }
}

/// Loads the pipeline for `config`, saying on stderr how long the models took (benchmarks).
pub fn load_pipeline_timed(config: Config) -> anyhow::Result<Pipeline> {
    let started = std::time::Instant::now();
    let pipeline = Pipeline::load(config)?;
    if pipeline.analyzer().nlp().is_some() {
        eprintln!(
            "models loaded in {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(pipeline)
}

/// The pipeline and reader options an input-taking command asked for.
pub fn configure(input: &InputArgs) -> anyhow::Result<(Pipeline, ReadOptions)> {
    if let Some(n) = input.threads {
        // The pool is built once per process, before any parallel work.
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()?;
    }
    let config = pipeline_config(input.models.as_deref(), input.tokens, input.published);
    let pipeline = Pipeline::load(config)?;
    let read = ReadOptions {
        max_bytes: input.max_doc_size,
        input: input.input.map(InputKind::from),
        fetcher: Some(fetcher(input.max_doc_size, input.host_delay)),
        ..ReadOptions::default()
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
