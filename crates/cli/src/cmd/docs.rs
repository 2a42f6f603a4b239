//! The store's read side: `docs`, `show`, `export`, `stats`.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result};
use sitrep_store::{DocQuery, Store};

use crate::{DbArgs, DocsArgs, EXIT_OK, ExportArgs, ExportFormat, Format, ShowArgs, render};

fn open(db: &DbArgs) -> Result<Box<dyn Store>> {
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
