//! The report as Markdown and as one self-contained HTML page.

use std::fmt::Write;

use crate::{ClaimView, NumberView, PropositionView, Report};

/// A date, or a dash.
fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| "undated".to_string(), |d| d.to_string())
}

/// "One Malian army officer (anonymous official)".
fn who(c: &ClaimView) -> String {
    let mut kind = c.kind.clone();
    if c.anonymous {
        kind = format!("anonymous {kind}");
    }
    format!("{} ({kind})", c.source)
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "0%".to_string()
    } else {
        format!("{:.0}%", 100.0 * part as f64 / whole as f64)
    }
}

fn summary_line(r: &Report) -> String {
    let s = &r.summary;
    let span = match (s.first, s.last) {
        (Some(a), Some(b)) if a == b => format!("on {a}"),
        (Some(a), Some(b)) => format!("from {a} to {b}"),
        _ => "undated".to_string(),
    };
    let count = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let outlets = match s.outlets {
        0 => "no named outlet".to_string(),
        n => count(n, "outlet", "outlets"),
    };
    format!(
        "{} from {outlets} {span}; {} from {}, {} of them from anonymous sources; {}; {}.",
        count(s.documents, "story", "stories"),
        count(s.claims, "claim", "claims"),
        count(s.sources, "source", "sources"),
        percent(s.anonymous_claims, s.claims),
        count(s.denials, "denial", "denials"),
        count(
            s.contested,
            "contested proposition",
            "contested propositions"
        ),
    )
}

/// The report in Markdown: headings, bullet lines with `[n]` references, and the references
/// at the end.
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Situation report: {}\n", r.topic);
    let _ = writeln!(
        out,
        "_Machine-extracted by sitrep from news text: claims are what sources are reported to \
         say, not verified facts. Each line cites the sentence it comes from._\n"
    );
    let _ = writeln!(out, "## Summary\n\n{}\n", summary_line(r));
    let _ = writeln!(out, "## Contested\n");
    if r.contested.is_empty() {
        let _ = writeln!(out, "No proposition is both asserted and disputed.\n");
    }
    for p in &r.contested {
        md_proposition(&mut out, p);
    }
    if !r.shared.is_empty() {
        let _ = writeln!(out, "## Also reported by several sources\n");
        for p in &r.shared {
            md_proposition(&mut out, p);
        }
    }
    let _ = writeln!(out, "## Numbers, as each source gives them\n");
    if r.numbers.is_empty() {
        let _ = writeln!(out, "No figures.\n");
    }
    for n in &r.numbers {
        let _ = writeln!(out, "- {} [{}]", number_line(n), n.reference + 1);
    }
    let _ = writeln!(out, "\n## Timeline\n");
    if r.timeline.is_empty() {
        let _ = writeln!(out, "No dated sentence.\n");
    }
    for t in &r.timeline {
        let when = if t.from == t.to {
            t.from.to_string()
        } else {
            format!("{} to {}", t.from, t.to)
        };
        let _ = writeln!(
            out,
            "- **{when}** ({}): {} [{}]",
            t.text,
            t.sentence,
            t.reference + 1
        );
    }
    let _ = writeln!(out, "\n## Sourcing\n");
    let _ = writeln!(
        out,
        "| outlet | stories | claims | anonymous | source kinds |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---|");
    for p in &r.sourcing {
        let kinds: Vec<String> = p.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            p.outlet,
            p.documents,
            p.claims,
            percent(p.anonymous, p.claims),
            kinds.join(", ")
        );
    }
    let _ = writeln!(out, "\n## References\n");
    for (i, s) in r.references.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. {}, {}, \"{}\" (document {}, sentence {}): {}",
            i + 1,
            s.outlet.as_deref().unwrap_or("unknown outlet"),
            date(s.date),
            s.title.as_deref().unwrap_or("untitled"),
            &s.doc_id[..s.doc_id.len().min(12)],
            s.sentence,
            s.text
        );
    }
    out
}

fn md_proposition(out: &mut String, p: &PropositionView) {
    let _ = writeln!(out, "### {}\n", p.label);
    if let Some(f) = &p.framing {
        let _ = writeln!(out, "Stated as \"{f}\".\n");
    }
    for (title, claims) in [
        ("Supports", &p.support),
        ("Opposes", &p.oppose),
        ("Reframes", &p.reframe),
    ] {
        if claims.is_empty() {
            continue;
        }
        let _ = writeln!(out, "**{title}**\n");
        for c in claims {
            let _ = writeln!(
                out,
                "- {}, {} {}: \"{}\" — {} [{}]",
                who(c),
                date(c.date),
                c.cue,
                c.content,
                c.outlet.as_deref().unwrap_or("unknown outlet"),
                c.reference + 1
            );
        }
        let _ = writeln!(out);
    }
}

fn number_line(n: &NumberView) -> String {
    let unit = n
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let by = match &n.source {
        Some(s) if n.anonymous => format!("according to {s} (anonymous)"),
        Some(s) => format!("according to {s}"),
        None => "in the reporter's voice".to_string(),
    };
    format!(
        "**{}**{unit}, {by}, {} {}",
        n.text,
        n.outlet.as_deref().unwrap_or("unknown outlet"),
        date(n.date)
    )
}

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn cite(reference: usize) -> String {
    format!(
        "<a class=\"ref\" href=\"#ref-{0}\">[{0}]</a>",
        reference + 1
    )
}

/// The report as one HTML page: no scripts, no external resources, references as anchors,
/// readable on a phone.
pub fn html(r: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Situation report: {}</title><style>{}</style></head><body><main>",
        esc(&r.topic),
        STYLE
    );
    let _ = write!(
        out,
        "<h1>Situation report: {}</h1><p class=\"note\">Machine-extracted by sitrep from news \
         text: claims are what sources are reported to say, not verified facts. Each line cites \
         the sentence it comes from.</p><h2>Summary</h2><p>{}</p><h2>Contested</h2>",
        esc(&r.topic),
        esc(&summary_line(r))
    );
    if r.contested.is_empty() {
        out.push_str("<p>No proposition is both asserted and disputed.</p>");
    }
    for p in &r.contested {
        html_proposition(&mut out, p);
    }
    if !r.shared.is_empty() {
        out.push_str("<h2>Also reported by several sources</h2>");
        for p in &r.shared {
            html_proposition(&mut out, p);
        }
    }
    out.push_str("<h2>Numbers, as each source gives them</h2><ul>");
    for n in &r.numbers {
        let by = match &n.source {
            Some(s) if n.anonymous => format!("according to {} (anonymous)", esc(s)),
            Some(s) => format!("according to {}", esc(s)),
            None => "in the reporter's voice".to_string(),
        };
        let _ = write!(
            out,
            "<li><strong>{}</strong>{} {by}, {} {} {}</li>",
            esc(&n.text),
            n.unit
                .as_deref()
                .map(|u| format!(" {}", esc(u)))
                .unwrap_or_default(),
            esc(n.outlet.as_deref().unwrap_or("unknown outlet")),
            date(n.date),
            cite(n.reference)
        );
    }
    out.push_str("</ul><h2>Timeline</h2><ul>");
    for t in &r.timeline {
        let when = if t.from == t.to {
            t.from.to_string()
        } else {
            format!("{} to {}", t.from, t.to)
        };
        let _ = write!(
            out,
            "<li><strong>{when}</strong> ({}): {} {}</li>",
            esc(&t.text),
            esc(&t.sentence),
            cite(t.reference)
        );
    }
    out.push_str(
        "</ul><h2>Sourcing</h2><table><thead><tr><th>outlet</th><th>stories</th><th>claims</th>\
         <th>anonymous</th><th>source kinds</th></tr></thead><tbody>",
    );
    for p in &r.sourcing {
        let kinds: Vec<String> = p.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.outlet),
            p.documents,
            p.claims,
            percent(p.anonymous, p.claims),
            esc(&kinds.join(", "))
        );
    }
    out.push_str("</tbody></table><h2>References</h2><ol class=\"refs\">");
    for (i, s) in r.references.iter().enumerate() {
        let title = s.title.as_deref().unwrap_or("untitled");
        let title = match &s.url {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                format!("<a href=\"{}\">{}</a>", esc(url), esc(title))
            }
            _ => esc(title),
        };
        let _ = write!(
            out,
            "<li id=\"ref-{}\">{}, {}, {title} (document {}, sentence {}): <q>{}</q></li>",
            i + 1,
            esc(s.outlet.as_deref().unwrap_or("unknown outlet")),
            date(s.date),
            esc(&s.doc_id[..s.doc_id.len().min(12)]),
            s.sentence,
            esc(&s.text)
        );
    }
    out.push_str("</ol></main></body></html>\n");
    out
}

fn html_proposition(out: &mut String, p: &PropositionView) {
    let _ = write!(out, "<section><h3>{}</h3>", esc(&p.label));
    if let Some(f) = &p.framing {
        let _ = write!(out, "<p>Stated as \u{201c}{}\u{201d}.</p>", esc(f));
    }
    out.push_str("<div class=\"cols\">");
    for (title, claims) in [
        ("Supports", &p.support),
        ("Opposes", &p.oppose),
        ("Reframes", &p.reframe),
    ] {
        let _ = write!(out, "<div><h4>{title}</h4><ul>");
        for c in claims {
            let _ = write!(
                out,
                "<li title=\"{}\"><strong>{}</strong>{} {}: \u{201c}{}\u{201d} <span class=\"meta\">{}, {}</span> {}</li>",
                esc(&c.why),
                esc(&c.source),
                if c.anonymous {
                    format!(" <span class=\"anon\">anonymous {}</span>", esc(&c.kind))
                } else {
                    format!(" <span class=\"kind\">{}</span>", esc(&c.kind))
                },
                esc(&c.cue),
                esc(&c.content),
                esc(c.outlet.as_deref().unwrap_or("unknown outlet")),
                date(c.date),
                cite(c.reference)
            );
        }
        out.push_str("</ul></div>");
    }
    out.push_str("</div></section>");
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#fff}\
main{max-width:60rem;margin:auto;padding:1rem}h1{font-size:1.6rem}h2{margin-top:2rem;\
border-bottom:1px solid #ccc}.note{color:#555;font-style:italic}.cols{display:grid;\
grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}.cols ul{padding-left:1.1rem}\
.anon{background:#fde8c8;padding:0 .3rem;border-radius:.2rem;font-size:.85em}.kind{color:#666;\
font-size:.85em}.meta{color:#666;font-size:.85em}.ref{font-size:.8em}table{border-collapse:\
collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem;text-align:left}.refs li{margin:\
.3rem 0}section{margin-bottom:1.5rem}";
