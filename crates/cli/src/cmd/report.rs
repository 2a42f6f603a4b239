//! `sitrep report TOPIC` and `sitrep propositions`: the situation report on a topic and the
//! propositions of the stored claims.

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

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum PropositionFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct PropositionsArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Only claims of documents this full-text query finds.
    #[arg(long, value_name = "TEXT")]
    pub about: Option<String>,
    /// Only documents published on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<NaiveDate>,
    /// Only propositions that are both asserted and disputed (opposed or reframed).
    #[arg(long)]
    pub contested: bool,
    /// Print why claims were grouped (the terms each link rests on) and why each claim
    /// stands where it does.
    #[arg(long)]
    pub explain: bool,
    #[arg(long, value_enum, default_value_t = PropositionFormat::Text)]
    pub format: PropositionFormat,
    /// At most this many documents (the most recent).
    #[arg(long, default_value_t = 10_000)]
    pub limit: usize,
}

/// `sitrep propositions`: the claims of the stored originals grouped into propositions, with
/// each claim's position.
pub fn propositions(args: PropositionsArgs) -> Result<u8> {
    let store = super::docs::open(&args.db)?;
    let found = store
        .list(&DocQuery {
            search: args.about.clone(),
            since: args.since,
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
    let report = sitrep_report::build(args.about.as_deref().unwrap_or(""), &docs);
    let mut views: Vec<&sitrep_report::PropositionView> = report.contested.iter().collect();
    if !args.contested {
        views.extend(report.shared.iter());
    }
    let mut out = std::io::stdout().lock();
    if args.format == PropositionFormat::Json {
        serde_json::to_writer_pretty(&mut out, &views)?;
        writeln!(out)?;
        return Ok(EXIT_OK);
    }
    for p in views {
        writeln!(out, "{}  {}", p.id, p.label)?;
        if let Some(f) = &p.framing {
            writeln!(out, "  stated as \"{f}\"")?;
        }
        for (position, claims) in [
            ("support", &p.support),
            ("oppose", &p.oppose),
            ("reframe", &p.reframe),
        ] {
            for c in claims {
                let anonymous = if c.anonymous { ", anonymous" } else { "" };
                writeln!(
                    out,
                    "  {position:<8} {} ({}{anonymous}) {}: \"{}\"  [{} {}, {}]",
                    c.source,
                    c.kind,
                    c.cue,
                    c.content,
                    c.outlet.as_deref().unwrap_or("-"),
                    c.date.map_or("-".to_string(), |d| d.to_string()),
                    reference(&report, c.reference)
                )?;
                if args.explain {
                    writeln!(out, "           why: {}", c.why)?;
                }
            }
        }
        if args.explain {
            for link in &p.links {
                writeln!(out, "  grouped: {link}")?;
            }
        }
        writeln!(out)?;
    }
    Ok(EXIT_OK)
}

/// "document 2416210c, sentence 5".
fn reference(report: &sitrep_report::Report, index: usize) -> String {
    let r = &report.references[index];
    format!(
        "document {}, sentence {}",
        &r.doc_id[..r.doc_id.len().min(8)],
        r.sentence
    )
}
