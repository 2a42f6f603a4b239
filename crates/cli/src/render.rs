//! Human-readable renderings for `--format text`.

use std::io::{self, Write};

use clap::ValueEnum;
use sitrep_model::{Document, PublishedFrom};
use sitrep_store::DocSummary;

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One pretty-printed JSON object per document.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A readable summary.
    Text,
}

fn or_dash(s: Option<&str>) -> &str {
    s.unwrap_or("-")
}

/// A document in the chosen output format.
pub fn write(out: &mut impl Write, doc: &Document, format: Format) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, doc)?;
            writeln!(out)
        }
        Format::Jsonl => {
            serde_json::to_writer(&mut *out, doc)?;
            writeln!(out)
        }
        Format::Text => document(out, doc),
    }
}

/// "Kidal (place, Kidal, MLI, 18.44 1.41)": a resolved place in one line.
fn place_label(p: &sitrep_model::Place) -> String {
    let mut parts: Vec<String> = p.precision.iter().cloned().collect();
    parts.extend(p.admin1.iter().cloned());
    parts.extend(p.country.iter().cloned());
    if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
        parts.push(format!("{lat:.2} {lon:.2}"));
    }
    if let Some(used_as) = &p.used_as {
        parts.push(format!("as {used_as}"));
    }
    format!("{} ({})", p.name, parts.join(", "))
}

/// A document: metadata, body, boilerplate, then each layer one item a line with its span.
pub fn document(out: &mut impl Write, doc: &Document) -> io::Result<()> {
    writeln!(out, "# {}", or_dash(doc.title.as_deref()))?;
    writeln!(out, "id         {}", doc.id)?;
    writeln!(out, "source     {}", doc.source)?;
    let published = doc.published.map(|d| match doc.published_from {
        Some(PublishedFrom::FileName) => format!("{d} (from the file name)"),
        Some(PublishedFrom::Url) => format!("{d} (from the URL)"),
        Some(PublishedFrom::Option) => format!("{d} (--published)"),
        _ => d.to_string(),
    });
    writeln!(out, "published  {}", or_dash(published.as_deref()))?;
    writeln!(out, "site       {}", or_dash(doc.site.as_deref()))?;
    if let Some(url) = &doc.url {
        writeln!(out, "url        {url}")?;
    }
    if let Some(author) = &doc.author {
        writeln!(out, "author     {author}")?;
    }
    if let Some(original) = &doc.duplicate_of {
        writeln!(out, "copy of    {original} (near-duplicate)")?;
    }
    writeln!(
        out,
        "body       {} characters, {} sentences",
        doc.text.chars().count(),
        doc.sentences.len()
    )?;
    writeln!(out)?;
    for para in doc.text.split("\n\n") {
        writeln!(out, "  {para}")?;
    }
    if !doc.boilerplate.is_empty() {
        writeln!(out, "\nboilerplate")?;
        for b in &doc.boilerplate {
            writeln!(out, "  [{}] {}", b.kind.as_str(), b.text)?;
        }
    }
    if !doc.related.is_empty() {
        writeln!(out, "\nrelated")?;
        for r in &doc.related {
            writeln!(out, "  - {r}")?;
        }
    }
    if !doc.entities.is_empty() {
        writeln!(out, "\nentities")?;
        for e in &doc.entities {
            let place = e
                .place
                .as_ref()
                .map_or(String::new(), |p| format!("  -> {}", place_label(p)));
            writeln!(
                out,
                "  {:>6}..{:<6} {:<4} {}{place}",
                e.start, e.end, e.kind, e.text
            )?;
        }
    }
    if !doc.places.is_empty() {
        writeln!(out, "\nplaces")?;
        for p in &doc.places {
            let mentions = match p.role.as_str() {
                "dateline" => String::new(),
                _ => format!(", {} mentions", p.mentions),
            };
            writeln!(out, "  {:<9} {}{mentions}", p.role, place_label(&p.place))?;
        }
    }
    if !doc.times.is_empty() {
        writeln!(out, "\ntimes")?;
        for t in &doc.times {
            let range = match (t.from, t.to) {
                (Some(f), Some(to)) if f == to => f.to_string(),
                (Some(f), Some(to)) => format!("{f} .. {to}"),
                _ => "unresolved".to_string(),
            };
            writeln!(
                out,
                "  {:>6}..{:<6} {:<24} {range}  ({:?}, {:?})",
                t.start, t.end, t.text, t.kind, t.anchor
            )?;
        }
    }
    if !doc.quantities.is_empty() {
        writeln!(out, "\nquantities")?;
        for q in &doc.quantities {
            let amount = match (q.value, q.low, q.high) {
                (Some(v), _, _) => format!("{v}"),
                (None, Some(l), Some(h)) => format!("{l}-{h}"),
                _ => "?".to_string(),
            };
            writeln!(
                out,
                "  {:>6}..{:<6} {:<24} {}{amount}  {}",
                q.start,
                q.end,
                q.text,
                if q.approx { "~" } else { "" },
                or_dash(q.unit.as_deref())
            )?;
        }
    }
    writeln!(out)
}

/// A listing of stored documents, one a line (with the matching fragment under a search hit).
pub fn listing(out: &mut impl Write, docs: &[DocSummary]) -> io::Result<()> {
    for d in docs {
        writeln!(
            out,
            "{}  {:<10}  {:<22}  {}",
            d.id,
            or_dash(d.published.as_deref()),
            or_dash(d.site.as_deref()),
            or_dash(d.title.as_deref())
        )?;
        if let Some(original) = &d.duplicate_of {
            writeln!(out, "    near-duplicate of {original}")?;
        }
        if let Some(snippet) = &d.snippet {
            writeln!(out, "    {}", snippet.replace('\n', " "))?;
        }
    }
    Ok(())
}
