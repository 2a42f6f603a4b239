//! The `sitrep` binary: one module per subcommand, each a thin layer over the pipeline,
//! store and evaluation crates.

mod cmd;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit status when everything worked.
pub const EXIT_OK: u8 = 0;
/// Exit status of a fatal error: the database could not be opened or written, an output
/// could not be written, a gold file could not be read.
pub const EXIT_ERROR: u8 = 1;
/// Exit status when the command finished but skipped some inputs (each reported on stderr),
/// or an evaluation scored below its floor.
pub const EXIT_PARTIAL: u8 = 3;

#[derive(Parser)]
#[command(
    name = "sitrep",
    version,
    about = "News articles in, an attributed situation picture out.",
    long_about = "sitrep reads news articles (plain text, JSON Lines, HTML, WARC archives, feeds, \
        web pages by URL, folders, stdin), cleans \
        them (title, body, boilerplate, related headlines), finds sentences, dates resolved \
        against the publication date and quantities with what they count, and stores them in \
        an embedded SQLite database you can search and export.\n\n\
        Exit status: 0 success; 1 fatal error; 2 bad command line; 3 finished, but some \
        inputs were skipped (each reported on stderr with file, line and reason) or an \
        evaluation scored below its floor."
)]
struct Cli {
    /// Parse with the greedy parser (parser-fast.bin): about 1.5 times the throughput of the
    /// NLP core for about 1.7 points of attachment accuracy (see data/models/README.md).
    #[arg(long, global = true)]
    fast: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract documents from files and print them (nothing is stored).
    Extract(ExtractArgs),
    /// Extract documents and store them in the database.
    Ingest(IngestArgs),
    /// List stored documents, newest first; filter by full-text search, date and site.
    Docs(DocsArgs),
    /// Print one stored document by its id (or an unambiguous id prefix).
    Show(ShowArgs),
    /// Write every stored document out.
    Export(ExportArgs),
    /// Counts over the database.
    Stats(DbArgs),
    /// Score sitrep against gold annotations.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Measure extraction speed (MB/s, documents/s) on a generated corpus, on one core; with
    /// --nlp, the NLP core in words per second.
    Bench(BenchArgs),
    /// Write a generated corpus of wire-style articles as JSON Lines (for tests and benchmarks).
    Generate(GenerateArgs),
    /// Train the NLP core's models from a treebank (deterministic for a seed).
    Train(TrainArgs),
    /// Tag, lemmatise and parse: CoNLL-U words in (gold tokens), or raw text (own sentences
    /// and tokens); CoNLL-U out.
    Parse(ParseArgs),
    /// Tag entities in an IOB2 file's tokens (UNER layout in and out).
    Ner(NerArgs),
    /// Poll feeds and ingest their new items, remembering what was fetched (Ctrl-C stops
    /// between feeds).
    Watch(WatchArgs),
}

/// Inputs and reading options shared by `extract` and `ingest`.
#[derive(Args, Clone)]
struct InputArgs {
    /// Files or folders (read recursively), http(s) URLs (fetched); `-` reads standard input.
    /// Text, JSON Lines, HTML, WARC (.warc, .warc.gz) and feeds are told apart by name and
    /// content.
    #[arg(required_unless_present = "feeds", value_name = "PATH|URL")]
    inputs: Vec<PathBuf>,
    /// A feed (RSS, Atom, JSON Feed) to read, by URL or file: its items are the documents,
    /// and items that are only links are fetched. Repeatable.
    #[arg(long = "feed", value_name = "URL|FILE")]
    feeds: Vec<String>,
    /// Read every input as this kind instead of detecting it.
    #[arg(long, value_enum, value_name = "KIND")]
    input: Option<InputKindArg>,
    /// Pause between two requests to the same web host ("1s", "500ms").
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = humantime::parse_duration)]
    host_delay: std::time::Duration,
    /// Publication date for documents whose input has none; relative dates ("Friday", "last
    /// week") are resolved against it. Without one they stay unresolved.
    #[arg(long, value_name = "YYYY-MM-DD")]
    published: Option<NaiveDate>,
    /// Skip any document larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    max_doc_size: usize,
    /// Write the tokens layer into each document (tags, lemmas and the dependency tree; the
    /// parser runs either way).
    #[arg(long)]
    tokens: bool,
    /// NLP model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    models: Option<std::path::PathBuf>,
    /// Worker threads analysing documents (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
}

/// `--input`: what every input is, when detection should not decide.
#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum InputKindArg {
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

#[derive(Args)]
struct WatchArgs {
    /// A file listing feeds, one URL (or file path, relative to this file) per line; `#`
    /// starts a comment.
    #[arg(value_name = "FEEDS.txt")]
    feeds: PathBuf,
    #[command(flatten)]
    db: DbArgs,
    /// Time between two polls of the list ("15m", "1h", "90s").
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = humantime::parse_duration)]
    every: std::time::Duration,
    /// Poll every feed once and exit (for cron and tests).
    #[arg(long)]
    once: bool,
    /// Pause between two requests to the same web host.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = humantime::parse_duration)]
    host_delay: std::time::Duration,
    /// Skip any feed or page larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    max_doc_size: usize,
    /// Print only problems and the per-round summary.
    #[arg(long, short)]
    quiet: bool,
    /// Publication date for items whose feed and page give none.
    #[arg(long, value_name = "YYYY-MM-DD")]
    published: Option<NaiveDate>,
    /// Add the tokens layer to each stored document.
    #[arg(long)]
    tokens: bool,
    /// NLP model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    models: Option<PathBuf>,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One pretty-printed JSON object per document.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A readable summary.
    Text,
}

#[derive(Args)]
struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

/// The database: `--db`, else `SITREP_DB`, else `sitrep.db` in the working directory.
#[derive(Args, Clone)]
struct DbArgs {
    #[arg(
        long,
        env = "SITREP_DB",
        default_value = "sitrep.db",
        value_name = "FILE"
    )]
    db: PathBuf,
}

#[derive(Args)]
struct IngestArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    db: DbArgs,
    /// Documents per transaction.
    #[arg(long, default_value_t = 256)]
    batch_size: usize,
    /// Do not draw the progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct DocsArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Full-text search over titles and bodies (FTS5 syntax: words, "phrases", OR, NOT, prefix*).
    #[arg(long, short)]
    search: Option<String>,
    /// Only documents published on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: Option<NaiveDate>,
    /// Only documents from this site.
    #[arg(long)]
    site: Option<String>,
    /// Leave out near-duplicate copies: each story once, under its first copy.
    #[arg(long)]
    originals: bool,
    /// At most this many documents.
    #[arg(long, default_value_t = 50)]
    limit: usize,
}

#[derive(Args)]
struct ShowArgs {
    /// Document id or a prefix of at least 4 characters.
    id: String,
    #[command(flatten)]
    db: DbArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// The output contract, one document per line.
    Jsonl,
}

#[derive(Args)]
struct ExportArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct TrainArgs {
    #[command(subcommand)]
    command: TrainCommand,
}

#[derive(Subcommand)]
enum TrainCommand {
    /// The UPOS+XPOS tagger and the lemmatiser (writes tagger.bin and lemma.bin).
    Tagger(TrainModelArgs),
    /// The dependency parser, trained on jackknifed tags (writes parser.bin).
    Parser(TrainModelArgs),
    /// The entity recogniser from IOB2 (UNER layout), with gazetteer features (writes ner.bin).
    Ner(TrainNerArgs),
}

/// Inputs of the entity recogniser's training and cross-validation.
#[derive(Args)]
struct NerDataArgs {
    /// Gazetteer folder (actors, places, countries, names).
    #[arg(long, value_name = "DIR", default_value = "data/gazetteer")]
    gazetteer: PathBuf,
    /// A UD treebank whose text gives word statistics (the EWT train file); optional.
    #[arg(long, value_name = "FILE")]
    treebank: Option<PathBuf>,
    /// Seed: the same data and seed give the same model.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Args)]
struct TrainNerArgs {
    /// Training data (IOB2).
    #[arg(long, value_name = "FILE")]
    train: PathBuf,
    /// Model file to write.
    #[arg(long, value_name = "FILE", default_value = "data/models/ner.bin")]
    out: PathBuf,
    #[command(flatten)]
    data: NerDataArgs,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum NerFormat {
    /// UNER layout: index, token, tag (PER, ORG, LOC, OTH).
    Iob2,
}

#[derive(Args)]
struct NerArgs {
    file: PathBuf,
    #[arg(long, value_enum, default_value_t = NerFormat::Iob2)]
    input: NerFormat,
    #[arg(long, value_enum, default_value_t = NerFormat::Iob2)]
    format: NerFormat,
    /// Model file (default: ner.bin in the model directory).
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
}

#[derive(Args)]
struct EvalNerArgs {
    /// Gold entities (IOB2, UNER layout).
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// Instead of scoring the shipped model, cross-validate: train on K-1 folds of the gold
    /// file (split by document) and score the held-out fold, K times.
    #[arg(long, value_name = "K")]
    cv: Option<usize>,
    #[command(flatten)]
    data: NerDataArgs,
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
}

#[derive(Args)]
struct TrainModelArgs {
    /// Training treebank (CoNLL-U).
    #[arg(long, value_name = "FILE")]
    train: PathBuf,
    /// Development treebank, scored after each epoch.
    #[arg(long, value_name = "FILE")]
    dev: Option<PathBuf>,
    /// Model directory to write.
    #[arg(long, value_name = "DIR", default_value = "data/models")]
    out: PathBuf,
    /// Seed of the shuffling: the same data and seed give the same model.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Training epochs (default: the model's own).
    #[arg(long)]
    epochs: Option<usize>,
    /// Parser only: beam width. The default trains the accurate parser (beam 8, written as
    /// parser.bin); 1 trains the greedy one (parser-fast.bin, used with --fast).
    #[arg(long, value_name = "N")]
    beam: Option<usize>,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum ParseInput {
    /// CoNLL-U: the words of column 2, sentence by sentence; annotations ignored.
    Conllu,
    /// Raw text: sitrep's own sentences and tokens.
    Text,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum ParseFormat {
    Conllu,
}

#[derive(Args)]
struct ParseArgs {
    file: PathBuf,
    /// What FILE is (default: CoNLL-U for `.conllu`, else text).
    #[arg(long, value_enum)]
    input: Option<ParseInput>,
    #[arg(long, value_enum, default_value_t = ParseFormat::Conllu)]
    format: ParseFormat,
    /// Model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    models: Option<PathBuf>,
}

#[derive(Args)]
struct EvalUdArgs {
    /// Gold treebank (CoNLL-U).
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    #[arg(long, value_name = "DIR")]
    models: Option<PathBuf>,
}

#[derive(Subcommand)]
enum EvalCommand {
    /// The seed article against its hand annotation (shared/seed/README.md's rules).
    Seed(EvalSeedArgs),
    /// Tagging, lemmas and dependency parsing against a UD treebank: with gold tokens (UPOS,
    /// XPOS, lemma, UAS, LAS; fails below the floors) and end to end from raw text.
    Ud(EvalUdArgs),
    /// Entity recognition against IOB2 gold (entity-level precision, recall, F1; fails below
    /// the floor).
    Ner(EvalNerArgs),
    /// HTML main-text extraction on ScrapingHub-style pages: shingle precision, recall and F1
    /// of the cleaned body against each page's gold articleBody, and pages per second.
    Html(EvalHtmlArgs),
}

#[derive(Args)]
struct EvalHtmlArgs {
    /// Folder of pages named ID.html.gz or ID.html.
    #[arg(long, value_name = "DIR")]
    pages: PathBuf,
    /// The gold file: a JSON object from page ID to {"articleBody": ..., "url": ...}.
    #[arg(long, value_name = "FILE")]
    truth: PathBuf,
    /// Exit with status 3 when F1 is below this.
    #[arg(long, default_value_t = 0.95)]
    floor: f64,
    /// Print each page's precision and recall, worst first.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Args)]
struct EvalSeedArgs {
    /// The gold file; the article is the file it names, beside it.
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// Print every miss, not just the scores.
    #[arg(long, short)]
    verbose: bool,
    /// Wrap the article in a generated news page (data template) and read it as HTML: title,
    /// body and related headlines must equal the text path's, and the page's date is checked.
    #[arg(long)]
    html: bool,
}

#[derive(Args)]
struct BenchArgs {
    /// Number of generated documents (with `--text DIR`: at most this many files).
    #[arg(long, default_value_t = 2000)]
    docs: usize,
    /// Repeat the measurement this many times and report the best and the median.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Measure the NLP core instead (tokenize + tag + lemmatise + parse + entities), in
    /// words per second on one thread.
    #[arg(long)]
    nlp: bool,
    /// With --nlp: the text to measure on: a file with one document per line, or a directory
    /// of `.txt` files, one document each, read in name order (default: the generated corpus).
    #[arg(long, value_name = "FILE|DIR", requires = "nlp")]
    text: Option<PathBuf>,
    /// Model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    models: Option<PathBuf>,
    /// Without --nlp: measure reading, cleaning, sentences, tokens, dates and quantities only
    /// (no tagger, parser or entity recogniser loaded).
    #[arg(long, conflicts_with = "nlp")]
    no_models: bool,
}

#[derive(Args)]
struct GenerateArgs {
    /// Number of documents.
    #[arg(long, default_value_t = 1000)]
    docs: usize,
    /// Seed of the generator: the same seed gives the same corpus.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cmd::nlp::use_fast_parser(cli.fast);
    let result = match cli.command {
        Command::Extract(a) => cmd::extract::run(a),
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Docs(a) => cmd::docs::run(a),
        Command::Show(a) => cmd::docs::show(a),
        Command::Export(a) => cmd::docs::export(a),
        Command::Stats(a) => cmd::docs::stats(a),
        Command::Eval(EvalCommand::Seed(a)) => cmd::eval::seed(a),
        Command::Bench(a) => cmd::bench::run(a),
        Command::Generate(a) => cmd::bench::generate(a),
        Command::Watch(a) => cmd::watch::run(a),
        Command::Train(a) => cmd::nlp::train(a),
        Command::Parse(a) => cmd::nlp::parse(a),
        Command::Eval(EvalCommand::Ud(a)) => cmd::nlp::eval_ud_cmd(a),
        Command::Eval(EvalCommand::Ner(a)) => cmd::nlp::eval_ner_cmd(a),
        Command::Ner(a) => cmd::nlp::ner(a),
        Command::Eval(EvalCommand::Html(a)) => cmd::eval::html(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // A closed pipe (`sitrep export | head`) is not an error worth a message.
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::from(EXIT_OK);
            }
            eprintln!("sitrep: error: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
