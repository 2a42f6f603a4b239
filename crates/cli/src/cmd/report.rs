//! `sitrep report TOPIC`: the situation report on a topic from the store.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use sitrep_store::DocQuery;

use crate::EXIT_OK;
use crate::cmd::DbArgs;

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown: headings, bullet lines, numbered references.
    Markdown,
    /// One self-contained HTML file (no scripts, no external resources).
    Html,
    /// The report's data, for other tools.
    Json,
}

#[derive(Args)]
pub struct ReportArgs {
    /// What the report is about: a full-text query over the stored documents (FTS5 syntax:
    /// words, "phrases", OR, NOT, prefix*).
    pub topic: String,
    #[command(flatten)]
    pub db: DbArgs,
    /// Only documents published on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<NaiveDate>,
    /// Only documents from this site.
    #[arg(long)]
    pub site: Option<String>,
    /// At most this many documents (the most recent).
    #[arg(long, default_value_t = 500)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Builds the report from the originals among the documents the topic finds (a syndicated
/// copy counts once), oldest first.
pub fn run(args: ReportArgs) -> Result<u8> {
    let store = super::docs::open(&args.db)?;
    let found = store
        .list(&DocQuery {
            search: Some(args.topic.clone()),
            since: args.since,
            site: args.site.clone(),
            originals_only: true,
            limit: Some(args.limit),
            ..DocQuery::default()
        })
        .context("cannot search the store")?;
    let mut docs = found
        .iter()
        .map(|summary| store.get(&summary.id))
        .collect::<Result<Vec<_>, _>>()
        .context("cannot read a document")?;
    docs.sort_by(|a, b| (a.published, &a.id).cmp(&(b.published, &b.id)));
    let report = sitrep_report::build(&args.topic, &docs);
    let text = match args.format {
        ReportFormat::Markdown => sitrep_report::markdown(&report),
        ReportFormat::Html => sitrep_report::html(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("{}: cannot write the report", path.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(EXIT_OK)
}
