//! `sitrep report TOPIC` and `sitrep propositions`: the situation report on a topic and the
//! propositions of the stored claims.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use sitrep_store::{ClaimQuery, DocQuery};

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
    /// Only propositions with a claim this full-text query finds (over content and source).
    #[arg(long, value_name = "TEXT")]
    pub about: Option<String>,
    /// Only propositions with a claim of a document published on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<NaiveDate>,
    /// Only propositions with a claim of a document from this site.
    #[arg(long)]
    pub site: Option<String>,
    /// Only propositions that are both asserted and disputed (opposed or reframed).
    #[arg(long)]
    pub contested: bool,
    /// Print why claims were grouped (the terms each link rests on) and why each claim
    /// stands where it does.
    #[arg(long)]
    pub explain: bool,
    #[arg(long, value_enum, default_value_t = PropositionFormat::Text)]
    pub format: PropositionFormat,
    /// At most this many propositions (contested first, then the largest).
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
}

/// `sitrep propositions`: the stored grouping of the claims into propositions (grouped again
/// first when claims came after it), with each claim's position.
pub fn propositions(args: PropositionsArgs) -> Result<u8> {
    let mut store = super::docs::open(&args.db)?;
    sitrep_pipeline::propositions::regroup_if_stale(store.as_mut())
        .context("cannot group the stored claims")?;
    let views = store
        .propositions(
            &ClaimQuery {
                about: args.about.clone(),
                since: args.since,
                site: args.site.clone(),
                limit: Some(args.limit),
                ..ClaimQuery::default()
            },
            args.contested,
        )
        .context("cannot read the propositions")?;
    let mut out = std::io::stdout().lock();
    if args.format == PropositionFormat::Json {
        let json: Vec<serde_json::Value> = views.iter().map(proposition_json).collect();
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
        return Ok(EXIT_OK);
    }
    if views.is_empty() {
        writeln!(out, "no propositions match")?;
    }
    for view in &views {
        let p = &view.proposition;
        let state = if p.contested { "contested" } else { "shared" };
        writeln!(out, "{}  {state}  {}", p.id, p.label.replace('\n', " "))?;
        if let Some(f) = &p.framing {
            writeln!(out, "  stated as \"{f}\"")?;
        }
        for position in ["support", "oppose", "reframe"] {
            for (m, c) in p.members.iter().zip(&view.claims) {
                if m.position != position {
                    continue;
                }
                writeln!(
                    out,
                    "  {position:<8} {}: \"{}\"  [{}, {}, {}#{} {}]",
                    source_line(c),
                    c.claim.content.text.replace('\n', " "),
                    c.site.as_deref().unwrap_or("-"),
                    c.published.as_deref().unwrap_or("-"),
                    &c.doc_id[..c.doc_id.len().min(8)],
                    c.claim.sentence,
                    c.claim.id
                )?;
                if args.explain {
                    writeln!(out, "           why: {}", m.why)?;
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

/// "Mali's government (government) denied", "three security sources (official, anonymous)
/// told".
fn source_line(c: &sitrep_store::ClaimRecord) -> String {
    match &c.claim.source {
        None => format!("(no source) {}", c.claim.cue.text),
        Some(s) => {
            let anonymous = if s.anonymous { ", anonymous" } else { "" };
            format!(
                "{} ({}{anonymous}) {}",
                s.text,
                s.kind.name(),
                c.claim.cue.text
            )
        }
    }
}

fn proposition_json(view: &sitrep_store::PropositionView) -> serde_json::Value {
    let p = &view.proposition;
    serde_json::json!({
        "id": p.id,
        "label": p.label,
        "contested": p.contested,
        "framing": p.framing,
        "terms": p.terms,
        "links": p.links,
        "claims": p.members.iter().zip(&view.claims).map(|(m, c)| serde_json::json!({
            "position": m.position,
            "why": m.why,
            "doc_id": c.doc_id,
            "published": c.published,
            "site": c.site,
            "speaker": c.speaker.as_ref().map(|s| &s.name),
            "claim": c.claim,
        })).collect::<Vec<_>>(),
    })
}
