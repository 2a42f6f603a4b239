//! The store's read side for documents: `docs`, `show`, `export`, `stats`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use sitrep_store::{DocQuery, Store};

use crate::cmd::DbArgs;
use crate::render::Format;
use crate::{EXIT_OK, render};

#[derive(Args)]
pub struct DocsArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Full-text search over titles and bodies (FTS5 syntax: words, "phrases", OR, NOT, prefix*).
    #[arg(long, short)]
    pub search: Option<String>,
    /// Only documents published on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<NaiveDate>,
    /// Only documents from this site.
    #[arg(long)]
    pub site: Option<String>,
    /// Leave out near-duplicate copies: each story once, under its first copy.
    #[arg(long)]
    pub originals: bool,
    /// At most this many documents.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

#[derive(Args)]
pub struct ShowArgs {
    /// Document id or a prefix of at least 4 characters.
    pub id: String,
    #[command(flatten)]
    pub db: DbArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The output contract, one document per line.
    Jsonl,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub(crate) fn open(db: &DbArgs) -> Result<Box<dyn Store>> {
    if !db.db.exists() {
        anyhow::bail!(
            "{}: no database here; run `sitrep ingest` first or pass --db",
            db.db.display()
        );
    }
    let store = sitrep_store::open(&db.db).context("cannot open the database")?;
    Ok(Box::new(store))
}

pub fn run(args: DocsArgs) -> Result<u8> {
    let store = open(&args.db)?;
    let docs = store.list(&DocQuery {
        search: args.search,
        since: args.since,
        site: args.site,
        originals_only: args.originals,
        copies_of: None,
        limit: Some(args.limit),
    })?;
    let mut out = std::io::stdout().lock();
    render::listing(&mut out, &docs)?;
    Ok(EXIT_OK)
}

pub fn show(args: ShowArgs) -> Result<u8> {
    let store = open(&args.db)?;
    let doc = store.get(&args.id)?;
    let mut out = std::io::stdout().lock();
    render::write(&mut out, &doc, args.format)?;
    if args.format == Format::Text {
        let copies = store.list(&DocQuery {
            copies_of: Some(doc.id.clone()),
            ..DocQuery::default()
        })?;
        if !copies.is_empty() {
            writeln!(out, "near-duplicate copies (the same story elsewhere)")?;
            render::listing(&mut out, &copies)?;
        }
    }
    Ok(EXIT_OK)
}

pub fn export(args: ExportArgs) -> Result<u8> {
    let store = open(&args.db)?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        ExportFormat::Jsonl => sitrep_store::for_each_document(&*store, |doc| -> Result<()> {
            serde_json::to_writer(&mut out, &doc)?;
            writeln!(out)?;
            Ok(())
        })?,
    }
    out.flush()?;
    Ok(EXIT_OK)
}

pub fn stats(args: DbArgs) -> Result<u8> {
    let store = open(&args)?;
    let s = store.stats()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "database     {}", args.db.display())?;
    writeln!(out, "schema       v{}", s.schema_version)?;
    writeln!(out, "documents    {}", s.documents)?;
    writeln!(out, "sources      {}", s.sources)?;
    writeln!(out, "characters   {}", s.characters)?;
    writeln!(out, "sentences    {}", s.sentences)?;
    writeln!(out, "times        {}", s.times)?;
    writeln!(out, "quantities   {}", s.quantities)?;
    writeln!(out, "entities     {}", s.entities)?;
    writeln!(out, "claims       {}", s.claims)?;
    writeln!(out, "speakers     {}", s.speakers)?;
    writeln!(out, "duplicates   {} near-duplicate copies", s.duplicates)?;
    writeln!(
        out,
        "published    {} .. {}",
        s.first_published.as_deref().unwrap_or("?"),
        s.last_published.as_deref().unwrap_or("?")
    )?;
    writeln!(out, "sites")?;
    for (site, n) in &s.sites {
        writeln!(out, "  {n:>6}  {}", site.as_deref().unwrap_or("(none)"))?;
    }
    Ok(EXIT_OK)
}
