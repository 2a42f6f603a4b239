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
    long_about = "sitrep reads news articles (plain text, JSON Lines, folders, stdin), cleans \
        them (title, body, boilerplate, related headlines), finds sentences, dates resolved \
        against the publication date and quantities with what they count, and stores them in \
        an embedded SQLite database you can search and export.\n\n\
        Exit status: 0 success; 1 fatal error; 2 bad command line; 3 finished, but some \
        inputs were skipped (each reported on stderr with file, line and reason) or an \
        evaluation scored below its floor."
)]
struct Cli {
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
    /// Measure extraction speed (MB/s, documents/s) on a generated corpus, on one core.
    Bench(BenchArgs),
    /// Write a generated corpus of wire-style articles as JSON Lines (for tests and benchmarks).
    Generate(GenerateArgs),
}

/// Inputs and reading options shared by `extract` and `ingest`.
#[derive(Args, Clone)]
struct InputArgs {
    /// Files or folders (read recursively); `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    inputs: Vec<PathBuf>,
    /// Publication date for documents whose input has none; relative dates ("Friday", "last
    /// week") are resolved against it. Without one they stay unresolved.
    #[arg(long, value_name = "YYYY-MM-DD")]
    published: Option<NaiveDate>,
    /// Skip any document larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    max_doc_size: usize,
    /// Add the tokens layer to each document.
    #[arg(long)]
    tokens: bool,
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

#[derive(Subcommand)]
enum EvalCommand {
    /// The seed article against its hand annotation (shared/seed/README.md's rules).
    Seed(EvalSeedArgs),
}

#[derive(Args)]
struct EvalSeedArgs {
    /// The gold file; the article is the file it names, beside it.
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// Print every miss, not just the scores.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Args)]
struct BenchArgs {
    /// Number of generated documents.
    #[arg(long, default_value_t = 2000)]
    docs: usize,
    /// Repeat the measurement this many times and report the best and the median.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    seed: u64,
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
