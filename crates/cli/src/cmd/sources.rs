//! `sitrep sources`: who is quoted, how often, in how many documents, by which outlets, over
//! which dates, and how each outlet sources its claims (the share from anonymous sources);
//! `sitrep sources ID`: one speaker's statements over time, with the outlet of each.

use std::io::Write;

use anyhow::{Result, bail};
use clap::Args;
use sitrep_store::{ClaimQuery, OutletProfile, SpeakerSummary};

use crate::EXIT_OK;
use crate::cmd::DbArgs;
use crate::cmd::claims::{self, ClaimFilters, ListFormat};

#[derive(Args)]
pub struct SourcesArgs {
    /// One speaker (an id from the listing): their claims over time.
    #[arg(value_name = "ID")]
    pub speaker: Option<u64>,
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub filters: ClaimFilters,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// At most this many speakers (most quoted first), or claims of one speaker (the latest).
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

pub fn run(args: SourcesArgs) -> Result<u8> {
    let store = super::docs::open(&args.db)?;
    let query = ClaimQuery {
        speaker: args.speaker,
        limit: Some(args.limit),
        ..args.filters.query()
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if let Some(id) = args.speaker {
        let Some(speaker) = store.speakers(&query)?.into_iter().next() else {
            bail!("no claims of a speaker {id} match (ids are listed by `sitrep sources`)");
        };
        let claims = store.claims(&query)?;
        match args.format {
            ListFormat::Text => {
                header(&mut out, &speaker)?;
                for c in &claims {
                    writeln!(
                        out,
                        "{}  {:<20}  {:<8} {:<6}  {}  ({})",
                        c.published.as_deref().unwrap_or("-"),
                        c.site.as_deref().unwrap_or("-"),
                        c.claim.cue.text,
                        c.claim.stance.name(),
                        c.claim.content.text.replace('\n', " "),
                        claims::reference(c)
                    )?;
                }
            }
            ListFormat::Json => {
                let all: Vec<serde_json::Value> = claims.iter().map(claims::json).collect();
                let value = serde_json::json!({"speaker": speaker_json(&speaker), "claims": all});
                serde_json::to_writer_pretty(&mut out, &value)?;
                writeln!(out)?;
            }
            ListFormat::Csv => claims::csv(&mut out, &claims)?,
        }
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let speakers = store.speakers(&query)?;
    let outlets = store.sourcing(&query)?;
    match args.format {
        ListFormat::Text => {
            if speakers.is_empty() {
                eprintln!("no claims match");
            }
            listing(&mut out, &speakers, &outlets)?;
        }
        ListFormat::Json => {
            let value = serde_json::json!({
                "speakers": speakers.iter().map(speaker_json).collect::<Vec<_>>(),
                "outlets": outlets.iter().map(outlet_json).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        ListFormat::Csv => csv(&mut out, &speakers)?,
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn outlets_text(s: &SpeakerSummary) -> String {
    s.outlets
        .iter()
        .map(|(site, n)| format!("{} {n}", site.as_deref().unwrap_or("(no site)")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the speaker is: kinds, anonymity, actor.
fn described(s: &SpeakerSummary) -> String {
    let mut parts = vec![s.kinds.join("/")];
    if s.anonymous {
        parts.push("anonymous".into());
    }
    if let Some(actor) = &s.actor {
        parts.push(actor.clone());
    }
    parts.join(", ")
}

fn dates(s: &SpeakerSummary) -> String {
    let first = s.first.as_deref().unwrap_or("?");
    let last = s.last.as_deref().unwrap_or("?");
    if first == last {
        first.to_string()
    } else {
        format!("{first} .. {last}")
    }
}

fn header(out: &mut impl Write, s: &SpeakerSummary) -> std::io::Result<()> {
    writeln!(out, "# {}", s.name)?;
    writeln!(out, "speaker    {} ({})", s.id, described(s))?;
    writeln!(
        out,
        "quoted     {} in {}, {}",
        counted(s.claims, "claim"),
        counted(s.documents, "document"),
        dates(s)
    )?;
    writeln!(out, "outlets    {}", outlets_text(s))?;
    writeln!(out)
}

/// "1 claim", "2 claims".
fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * part as f64 / whole as f64)
    }
}

fn listing(
    out: &mut impl Write,
    speakers: &[SpeakerSummary],
    outlets: &[OutletProfile],
) -> std::io::Result<()> {
    writeln!(out, "  id  claims  docs  dates                     speaker")?;
    for s in speakers {
        writeln!(
            out,
            "{:>4}  {:>6}  {:>4}  {:<24}  {} ({})",
            s.id,
            s.claims,
            s.documents,
            dates(s),
            s.name,
            described(s)
        )?;
        writeln!(out, "{:46}quoted by {}", "", outlets_text(s))?;
    }
    if outlets.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\nsourcing by outlet        claims  with source  anonymous  share  speakers  anonymous"
    )?;
    let mut total = (0, 0, 0);
    for o in outlets {
        writeln!(
            out,
            "  {:<22}  {:>6}  {:>11}  {:>9}  {:>5}  {:>8}  {:>9}",
            o.site.as_deref().unwrap_or("(no site)"),
            o.claims,
            o.sourced,
            o.anonymous,
            percent(o.anonymous, o.sourced),
            o.speakers,
            o.anonymous_speakers
        )?;
        total = (
            total.0 + o.claims,
            total.1 + o.sourced,
            total.2 + o.anonymous,
        );
    }
    writeln!(
        out,
        "{} of {} claims with a source ({}) come from anonymous sources",
        total.2,
        total.1,
        percent(total.2, total.1)
    )
}

fn speaker_json(s: &SpeakerSummary) -> serde_json::Value {
    serde_json::json!({
        "id": s.id,
        "name": s.name,
        "kind": s.kind,
        "kinds": s.kinds,
        "anonymous": s.anonymous,
        "actor": s.actor,
        "claims": s.claims,
        "documents": s.documents,
        "anonymous_claims": s.anonymous_claims,
        "first": s.first,
        "last": s.last,
        "outlets": s.outlets.iter().map(|(site, n)| serde_json::json!({"site": site, "claims": n})).collect::<Vec<_>>(),
    })
}

fn outlet_json(o: &OutletProfile) -> serde_json::Value {
    serde_json::json!({
        "site": o.site,
        "claims": o.claims,
        "with_source": o.sourced,
        "anonymous": o.anonymous,
        "speakers": o.speakers,
        "anonymous_speakers": o.anonymous_speakers,
    })
}

fn csv(out: &mut impl Write, speakers: &[SpeakerSummary]) -> Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "name",
        "kinds",
        "anonymous",
        "actor",
        "claims",
        "documents",
        "anonymous_claims",
        "first",
        "last",
        "outlets",
    ])?;
    for s in speakers {
        w.write_record([
            s.id.to_string(),
            s.name.clone(),
            s.kinds.join("/"),
            s.anonymous.to_string(),
            s.actor.clone().unwrap_or_default(),
            s.claims.to_string(),
            s.documents.to_string(),
            s.anonymous_claims.to_string(),
            s.first.clone().unwrap_or_default(),
            s.last.clone().unwrap_or_default(),
            outlets_text(s),
        ])?;
    }
    w.flush()?;
    Ok(())
}
