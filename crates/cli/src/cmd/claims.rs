//! `sitrep claims`: stored claims, searchable by topic, source, speaker, stance, outlet and
//! date; one block per claim in time order (text), or JSON, or CSV. The filters are shared
//! with `sitrep sources`.

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use sitrep_model::{Directness, Stance};
use sitrep_store::{ClaimQuery, ClaimRecord};

use crate::EXIT_OK;
use crate::cmd::DbArgs;

/// Which claims: the filters `claims` and `sources` share.
#[derive(Args, Clone, Default)]
pub struct ClaimFilters {
    /// Claims about this: full-text search over content and source (FTS5 syntax: words,
    /// "phrases", OR, NOT, prefix*).
    #[arg(long, value_name = "TEXT")]
    pub about: Option<String>,
    /// Only claims from anonymous sources.
    #[arg(long, conflicts_with = "named")]
    pub anonymous: bool,
    /// Only claims from identified sources.
    #[arg(long)]
    pub named: bool,
    /// Only claims of documents published on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<NaiveDate>,
    /// Only claims of documents published on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<NaiveDate>,
    /// Only claims of documents from this site (case-insensitive).
    #[arg(long)]
    pub site: Option<String>,
}

impl ClaimFilters {
    pub fn query(&self) -> ClaimQuery {
        ClaimQuery {
            about: self.about.clone(),
            anonymous: match (self.anonymous, self.named) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            since: self.since,
            until: self.until,
            site: self.site.clone(),
            ..ClaimQuery::default()
        }
    }
}

/// `--format` of the claims and sources listings.
#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Readable blocks.
    Text,
    /// One JSON document.
    Json,
    /// A header line, then one record a line.
    Csv,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum StanceArg {
    Assert,
    Deny,
    Hedge,
}

impl From<StanceArg> for Stance {
    fn from(s: StanceArg) -> Stance {
        match s {
            StanceArg::Assert => Stance::Assert,
            StanceArg::Deny => Stance::Deny,
            StanceArg::Hedge => Stance::Hedge,
        }
    }
}

#[derive(Args)]
pub struct ClaimsArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub filters: ClaimFilters,
    /// Claims whose source phrase has these words, or whose speaker's name contains this.
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// Only this speaker's claims (an id from `sitrep sources`).
    #[arg(long, value_name = "ID")]
    pub speaker: Option<u64>,
    /// What the source does with the content.
    #[arg(long, value_enum)]
    pub stance: Option<StanceArg>,
    /// Only claims the extractor is at least this sure of (0 to 1).
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f64>,
    /// Print why each claim was extracted and described as it is.
    #[arg(long)]
    pub explain: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// At most this many claims: the latest ones, shown in time order.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
}

pub fn run(args: ClaimsArgs) -> Result<u8> {
    let store = super::docs::open(&args.db)?;
    let query = ClaimQuery {
        source: args.source.clone(),
        speaker: args.speaker,
        stance: args.stance.map(Stance::from),
        min_confidence: args.min_confidence,
        limit: Some(args.limit),
        ..args.filters.query()
    };
    let claims = store.claims(&query)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Text => {
            if claims.is_empty() {
                eprintln!("no claims match");
            }
            for c in &claims {
                block(&mut out, c, args.explain)?;
            }
        }
        ListFormat::Json => {
            let all: Vec<serde_json::Value> = claims.iter().map(json).collect();
            serde_json::to_writer_pretty(&mut out, &all)?;
            writeln!(out)?;
        }
        ListFormat::Csv => csv(&mut out, &claims)?,
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// `120ba2bf#3 C2`: the document's id prefix, the sentence index, the claim id.
pub fn reference(c: &ClaimRecord) -> String {
    format!(
        "{}#{} {}",
        &c.doc_id[..c.doc_id.len().min(8)],
        c.claim.sentence,
        c.claim.id
    )
}

fn or_dash(s: Option<&str>) -> &str {
    s.unwrap_or("-")
}

/// One claim: where it was published, who says it (and how identified), how, and what.
pub fn block(out: &mut impl Write, c: &ClaimRecord, explain: bool) -> std::io::Result<()> {
    let claim = &c.claim;
    writeln!(
        out,
        "{}  {}  {}",
        or_dash(c.published.as_deref()),
        or_dash(c.site.as_deref()),
        reference(c)
    )?;
    match &claim.source {
        None => writeln!(out, "  source   (none given)")?,
        Some(s) => {
            let mut about = vec![if s.anonymous {
                format!("anonymous {}", s.kind.name())
            } else {
                s.kind.name().to_string()
            }];
            if let Some(actor) = &s.actor {
                about.push(actor.code.clone());
            }
            if let Some(cue) = &s.anonymity_cue {
                about.push(format!("\"{cue}\""));
            }
            let speaker = match &c.speaker {
                Some(sp) if sp.name == s.text => format!(" [speaker {}]", sp.id),
                Some(sp) => format!(" [speaker {}: {}]", sp.id, sp.name),
                None => String::new(),
            };
            writeln!(out, "  source   {} ({}){speaker}", s.text, about.join("; "))?;
        }
    }
    let recipient = claim
        .recipient
        .as_ref()
        .map_or(String::new(), |r| format!(" to {r}"));
    writeln!(
        out,
        "  cue      {}{recipient}: {}, {}, confidence {:.2}",
        claim.cue.text,
        claim.stance.name(),
        claim.direct.name(),
        claim.confidence
    )?;
    let content = claim.content.text.replace('\n', " ");
    // A direct quote is shown in quotation marks, unless its span has its own.
    let quoted = content.starts_with(['“', '"', '«', '‘']);
    match claim.direct {
        Directness::Direct if !quoted => writeln!(out, "  content  “{content}”")?,
        _ => writeln!(out, "  content  {content}")?,
    }
    if explain {
        for why in &claim.why {
            writeln!(out, "  why      {why}")?;
        }
    }
    writeln!(out)
}

/// A claim with its document's date, site and title and its speaker, for JSON output.
pub fn json(c: &ClaimRecord) -> serde_json::Value {
    serde_json::json!({
        "doc_id": c.doc_id,
        "published": c.published,
        "site": c.site,
        "title": c.title,
        "speaker": c.speaker.as_ref().map(|s| serde_json::json!({"id": s.id, "name": s.name})),
        "claim": c.claim,
    })
}

/// Claims as CSV, one a row, the claim's fields flattened.
pub fn csv(out: &mut impl Write, claims: &[ClaimRecord]) -> Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record([
        "published",
        "site",
        "doc_id",
        "sentence",
        "claim_id",
        "speaker_id",
        "speaker",
        "source",
        "source_kind",
        "anonymous",
        "anonymity_cue",
        "actor",
        "cue",
        "cue_lemma",
        "stance",
        "direct",
        "recipient",
        "content",
        "confidence",
        "why",
    ])?;
    for c in claims {
        let claim = &c.claim;
        let source = claim.source.as_ref();
        w.write_record([
            c.published.clone().unwrap_or_default(),
            c.site.clone().unwrap_or_default(),
            c.doc_id.clone(),
            claim.sentence.to_string(),
            claim.id.clone(),
            c.speaker
                .as_ref()
                .map_or(String::new(), |s| s.id.to_string()),
            c.speaker.as_ref().map_or(String::new(), |s| s.name.clone()),
            source.map_or(String::new(), |s| s.text.clone()),
            source.map_or(String::new(), |s| s.kind.name().to_string()),
            source.is_some_and(|s| s.anonymous).to_string(),
            source
                .and_then(|s| s.anonymity_cue.clone())
                .unwrap_or_default(),
            source
                .and_then(|s| s.actor.as_ref())
                .map_or(String::new(), |a| a.code.clone()),
            claim.cue.text.clone(),
            claim.cue.lemma.clone(),
            claim.stance.name().to_string(),
            claim.direct.name().to_string(),
            claim.recipient.clone().unwrap_or_default(),
            claim.content.text.clone(),
            format!("{:.3}", claim.confidence),
            claim.why.join("; "),
        ])?;
    }
    w.flush()?;
    Ok(())
}
