//! The `sitrep` binary: the command line and dispatch. Each subcommand is a module of `cmd/`
//! with its arguments beside its handler, a thin layer over the pipeline, store and
//! evaluation crates.

mod cmd;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd::DbArgs;
use crate::cmd::bench::{BenchArgs, GenerateArgs};
use crate::cmd::claims::ClaimsArgs;
use crate::cmd::docs::{DocsArgs, ExportArgs, ShowArgs};
use crate::cmd::eval::EvalCommand;
use crate::cmd::extract::ExtractArgs;
use crate::cmd::gazetteer::GazetteerCommand;
use crate::cmd::import::ImportArgs;
use crate::cmd::ingest::IngestArgs;
use crate::cmd::nlp::{NerArgs, ParseArgs, TrainArgs};
use crate::cmd::report::{PropositionsArgs, ReportArgs};
use crate::cmd::sources::SourcesArgs;
use crate::cmd::watch::WatchArgs;

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
    /// The situation report on a topic: contested propositions (who supports, who opposes,
    /// who reframes), the numbers as each source gives them, a dated timeline and a sourcing
    /// profile, every line citing its sentence (Markdown, HTML or JSON).
    Report(ReportArgs),
    /// Claims across stored documents grouped into propositions, each claim's position
    /// (support, oppose, reframe); `--explain` says why.
    Propositions(PropositionsArgs),
    /// Stored claims, in time order: filter by topic, source, speaker, stance, outlet, date.
    Claims(ClaimsArgs),
    /// Who is quoted: each speaker's claims, documents, outlets and dates, and each outlet's
    /// share of anonymous sources; with an ID, one speaker's statements over time.
    Sources(SourcesArgs),
    /// Store documents of the output contract (JSON Lines, as `export` writes them) as they
    /// are, without analysing them again.
    Import(ImportArgs),
    /// Score sitrep against gold annotations.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// The gazetteer's tables: import a GeoNames dump (every village).
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
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
        Command::Report(a) => cmd::report::run(a),
        Command::Propositions(a) => cmd::report::propositions(a),
        Command::Claims(a) => cmd::claims::run(a),
        Command::Sources(a) => cmd::sources::run(a),
        Command::Import(a) => cmd::import::run(a),
        Command::Gazetteer(GazetteerCommand::Import(a)) => cmd::gazetteer::import(a),
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
        Command::Eval(EvalCommand::Robustness(a)) => cmd::eval::robustness(a),
        Command::Eval(EvalCommand::RobustnessWorker(a)) => cmd::eval::robustness_worker(a),
        Command::Eval(EvalCommand::Polnear(a)) => cmd::eval::polnear(a),
        Command::Eval(EvalCommand::Places(a)) => cmd::eval::places(a),
        Command::Eval(EvalCommand::Timex(a)) => cmd::eval::timex(a),
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
