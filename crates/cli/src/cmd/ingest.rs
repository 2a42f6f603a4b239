//! `sitrep ingest`: read, run the pipeline, store; a progress bar on stderr and a summary.

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cmd::DbArgs;
use crate::cmd::InputArgs;
use crate::{EXIT_OK, EXIT_PARTIAL};

#[derive(Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub db: DbArgs,
    /// Documents per transaction.
    #[arg(long, default_value_t = 256)]
    pub batch_size: usize,
    /// Do not draw the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: IngestArgs) -> Result<u8> {
    let (pipeline, read) = super::configure(&args.input)?;
    let mut store = sitrep_store::open(&args.db.db).context("cannot open the database")?;
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} {pos} documents read, {msg} ({per_sec})",
        )
        .expect("a valid template"),
    );
    let mut inputs = super::open_inputs(&args.input, &read);
    let report = sitrep_pipeline::ingest(
        &pipeline,
        inputs.by_ref(),
        &mut store,
        args.batch_size,
        |progress, problems| {
            for p in problems {
                bar.suspend(|| eprintln!("sitrep: skipped {p}"));
            }
            bar.set_position(progress.read);
            bar.set_message(format!(
                "{} ingested, {} unchanged, {} skipped, {:.1} MB",
                progress.ingested,
                progress.unchanged,
                progress.skipped,
                progress.bytes as f64 / 1e6
            ));
        },
    )
    .context("ingest stopped; every batch committed before this error is stored")?;
    bar.finish_and_clear();
    let p = &report.progress;
    let duplicates = match p.duplicates {
        0 => String::new(),
        n => format!("; {n} of the new documents are near-duplicates of stored stories"),
    };
    eprintln!(
        "ingested {}, unchanged {}, skipped {} (database {}){duplicates}",
        p.ingested,
        p.unchanged,
        p.skipped,
        args.db.db.display(),
    );
    if let Some(passed) = super::describe_passed_over(&inputs.passed_over()) {
        eprintln!("passed over (not articles): {passed}");
    }
    if !report.problems.is_empty() {
        eprintln!("skipped:");
        for problem in &report.problems {
            eprintln!("  {problem}");
        }
    }
    Ok(if report.problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}
