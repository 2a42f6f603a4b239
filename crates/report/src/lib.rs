//! The situation report on a topic (`sitrep report TOPIC`).
//!
//! [`build`] reads the documents about a topic (the caller's search picks them) and gathers:
//! - a **summary**: how many stories from how many outlets over which dates, how many claims
//!   from how many sources, how many of those anonymous, and how many propositions are
//!   contested;
//! - the **contested propositions** ([`sitrep_extract::propositions`]): for each, who
//!   supports it, who opposes it and who reframes it, each claim with its source (anonymous
//!   or named, and what kind), outlet and date; then the other propositions that several
//!   claims share;
//! - the **numbers** as each source gives them: every quantity inside a claim's content with
//!   who said it ("about 400", one Malian army officer; "several hundred", a Western security
//!   official), then the reporters' own figures;
//! - a dated **timeline**: each resolved date (a day, or a short range) with the sentences
//!   that name it, statements dated by their cue ("said Friday") included;
//! - a **sourcing profile**: by outlet, how many claims and what share came from anonymous
//!   sources, and the kinds of sources.
//!
//! Every line cites its document and sentence with a numbered reference; the references list
//! each cited sentence with its outlet, date, title and document id. [`markdown`], [`html`]
//! (one self-contained file, references as anchors) and JSON (the [`Report`] itself) are the
//! three renderings. Machine-extracted content is labelled as such: nothing here is verified.

mod render;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use sitrep_extract::propositions::{ClaimInput, Position, PropositionLexicon, group};
use sitrep_model::{Claim, Document, Stance};

pub use render::{html, markdown};

/// A whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub topic: String,
    pub summary: Summary,
    pub contested: Vec<PropositionView>,
    /// Propositions that several claims share, none disputed.
    pub shared: Vec<PropositionView>,
    pub numbers: Vec<NumberView>,
    pub timeline: Vec<TimelineEntry>,
    pub sourcing: Vec<OutletProfile>,
    pub references: Vec<Reference>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub documents: usize,
    pub outlets: usize,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    pub claims: usize,
    pub sources: usize,
    pub anonymous_claims: usize,
    pub denials: usize,
    pub contested: usize,
}

/// A proposition with its claims by position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropositionView {
    pub id: String,
    pub label: String,
    pub framing: Option<String>,
    pub support: Vec<ClaimView>,
    pub oppose: Vec<ClaimView>,
    pub reframe: Vec<ClaimView>,
    /// Why its claims were grouped.
    pub links: Vec<String>,
}

/// One claim as a report line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimView {
    pub source: String,
    pub anonymous: bool,
    pub kind: String,
    pub cue: String,
    pub stance: String,
    pub content: String,
    pub outlet: Option<String>,
    pub date: Option<NaiveDate>,
    /// Why it stands where it does.
    pub why: String,
    /// Index into [`Report::references`] (0-based; shown 1-based).
    pub reference: usize,
}

/// A figure and who gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberView {
    pub text: String,
    pub unit: Option<String>,
    /// The claim's source, or `None` for the reporter's own voice.
    pub source: Option<String>,
    pub anonymous: bool,
    pub outlet: Option<String>,
    pub date: Option<NaiveDate>,
    pub reference: usize,
}

/// A date and what happened or was said on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The time expression as written ("late December", "Friday").
    pub text: String,
    /// The sentence naming it.
    pub sentence: String,
    pub outlet: Option<String>,
    pub reference: usize,
}

/// Sourcing of one outlet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutletProfile {
    pub outlet: String,
    pub documents: usize,
    pub claims: usize,
    pub anonymous: usize,
    /// Claims by source kind.
    pub kinds: BTreeMap<String, usize>,
}

/// A cited sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    pub doc_id: String,
    /// 1-based sentence number in the document.
    pub sentence: usize,
    pub text: String,
    pub outlet: Option<String>,
    pub date: Option<NaiveDate>,
    pub title: Option<String>,
    pub url: Option<String>,
}

/// Ranges longer than this many days are not timeline entries ("the past decade").
const MAX_TIMELINE_DAYS: i64 = 31;
/// Propositions shown besides the contested ones.
const MAX_SHARED: usize = 10;

/// Builds the report on `topic` from the documents about it (near-duplicate copies should be
/// left out by the caller: a syndicated story counts once).
pub fn build(topic: &str, docs: &[Document]) -> Report {
    let mut refs = References::default();
    let claims: Vec<(&Document, &Claim)> = docs
        .iter()
        .flat_map(|d| d.claims.iter().map(move |c| (d, c)))
        .collect();
    let inputs: Vec<ClaimInput<'_>> = claims
        .iter()
        .map(|(d, c)| ClaimInput {
            key: format!("{}/{}", d.id, c.id),
            terms: &c.terms,
            anchors: &c.anchors,
            stance: c.stance,
            content: &c.content.text,
        })
        .collect();
    let propositions = group(&inputs, &PropositionLexicon::embedded());
    let mut contested = Vec::new();
    let mut shared = Vec::new();
    for p in &propositions {
        let mut view = PropositionView {
            id: p.id.clone(),
            label: p.label.clone(),
            framing: p.framing.clone(),
            support: Vec::new(),
            oppose: Vec::new(),
            reframe: Vec::new(),
            links: p.links.clone(),
        };
        for m in &p.members {
            let (d, c) = claims[m.claim];
            let line = claim_view(d, c, m.why.clone(), &mut refs);
            match m.position {
                Position::Support => view.support.push(line),
                Position::Oppose => view.oppose.push(line),
                Position::Reframe => view.reframe.push(line),
            }
        }
        if p.is_contested() {
            contested.push(view);
        } else if shared.len() < MAX_SHARED {
            shared.push(view);
        }
    }
    // Most disputed first: by how many claims oppose or reframe, then by size.
    contested.sort_by_key(|v| {
        (
            std::cmp::Reverse(v.oppose.len() + v.reframe.len()),
            std::cmp::Reverse(v.support.len()),
        )
    });
    shared.sort_by_key(|v| std::cmp::Reverse(v.support.len()));

    let numbers = numbers(docs, &mut refs);
    let timeline = timeline(docs, &mut refs);
    let sourcing = sourcing(docs);
    let mut sources: Vec<String> = claims
        .iter()
        .filter_map(|(d, c)| {
            c.source.as_ref().map(|s| match &s.same_as {
                Some(first) => format!("{}/{}", d.id, first),
                None => format!("{}/{}", d.id, c.id),
            })
        })
        .collect();
    sources.sort();
    sources.dedup();
    let mut outlets: Vec<&str> = docs.iter().filter_map(|d| d.site.as_deref()).collect();
    outlets.sort_unstable();
    outlets.dedup();
    let summary = Summary {
        documents: docs.len(),
        outlets: outlets.len(),
        first: docs.iter().filter_map(|d| d.published).min(),
        last: docs.iter().filter_map(|d| d.published).max(),
        claims: claims.len(),
        sources: sources.len(),
        anonymous_claims: claims
            .iter()
            .filter(|(_, c)| c.source.as_ref().is_some_and(|s| s.anonymous))
            .count(),
        denials: claims
            .iter()
            .filter(|(_, c)| c.stance == Stance::Deny)
            .count(),
        contested: contested.len(),
    };
    Report {
        topic: topic.to_string(),
        summary,
        contested,
        shared,
        numbers,
        timeline,
        sourcing,
        references: refs.list,
    }
}

/// Cited sentences, each once, numbered in order of first citation.
#[derive(Default)]
struct References {
    list: Vec<Reference>,
    index: HashMap<(String, usize), usize>,
}

impl References {
    fn cite(&mut self, doc: &Document, sentence: usize) -> usize {
        let key = (doc.id.clone(), sentence);
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let text = doc
            .sentences
            .get(sentence)
            .map(|s| doc.span_text(s.start, s.end))
            .unwrap_or_default();
        self.list.push(Reference {
            doc_id: doc.id.clone(),
            sentence: sentence + 1,
            text,
            outlet: doc.site.clone(),
            date: doc.published,
            title: doc.title.clone(),
            url: doc.url.clone(),
        });
        self.index.insert(key, self.list.len() - 1);
        self.list.len() - 1
    }
}

fn claim_view(doc: &Document, c: &Claim, why: String, refs: &mut References) -> ClaimView {
    let source = c.source.as_ref();
    ClaimView {
        source: source.map_or_else(|| "(no source given)".to_string(), |s| s.text.clone()),
        anonymous: source.is_some_and(|s| s.anonymous),
        kind: source.map_or("unknown", |s| s.kind.name()).to_string(),
        cue: c.cue.text.clone(),
        stance: c.stance.name().to_string(),
        content: c.content.text.clone(),
        outlet: doc.site.clone(),
        date: doc.published,
        why,
        reference: refs.cite(doc, c.sentence),
    }
}

/// The sentence (index) a code-point offset of `doc` falls in.
fn sentence_at(doc: &Document, at: usize) -> usize {
    doc.sentences
        .partition_point(|s| s.end <= at)
        .min(doc.sentences.len().saturating_sub(1))
}

/// Figures with who gives them: inside a claim's content, its source; else the reporter.
/// Figures inside a source or cue are left out.
fn numbers(docs: &[Document], refs: &mut References) -> Vec<NumberView> {
    let mut out = Vec::new();
    for d in docs {
        for q in &d.quantities {
            // A figure in who says or how ("two diplomats who declined to be named", "citing
            // three sources") counts the sources, not the story.
            let sourcing = d.claims.iter().any(|c| {
                let inside = |start: usize, end: usize| start <= q.start && q.end <= end;
                inside(c.cue.start, c.cue.end)
                    || c.source.as_ref().is_some_and(|s| inside(s.start, s.end))
            });
            // "several parts of Mali", "a few days": a vague count under ten is no figure.
            let vague = q.value.is_none() && q.high.is_some_and(|h| h < 10.0);
            if sourcing || vague || is_date_part(d, q) {
                continue;
            }
            let claim = d
                .claims
                .iter()
                .find(|c| c.content.start <= q.start && q.end <= c.content.end);
            let source = claim.and_then(|c| c.source.as_ref());
            out.push(NumberView {
                text: q.text.clone(),
                unit: q.unit.clone(),
                source: source.map(|s| s.text.clone()),
                anonymous: source.is_some_and(|s| s.anonymous),
                outlet: d.site.clone(),
                date: d.published,
                reference: refs.cite(d, sentence_at(d, q.start)),
            });
        }
    }
    // Attributed figures first (they are what sources dispute), then by what they count;
    // a bare number in the reporter's voice ("2", "at least 12") says little on its own.
    out.retain(|n| n.source.is_some() || n.unit.is_some());
    out.sort_by(|a, b| {
        (a.source.is_none(), &a.unit, a.date).cmp(&(b.source.is_none(), &b.unit, b.date))
    });
    out
}

/// Whether a figure is part of a date rather than a count: a bare year ("since at least
/// 2022") or a bare day number right after a date ("the events of March 1 and 2").
fn is_date_part(d: &Document, q: &sitrep_model::Quantity) -> bool {
    if q.unit.is_some() || q.kind != sitrep_model::QuantityKind::Count {
        return false;
    }
    let Some(value) = q.value else {
        return false;
    };
    let whole = value.fract() == 0.0;
    let year = whole && (1800.0..=2100.0).contains(&value) && !q.text.contains(',');
    let day_after_date = whole
        && (1.0..=31.0).contains(&value)
        && d.times
            .iter()
            .any(|t| t.end <= q.start && q.start - t.end <= 5);
    year || day_after_date
}

/// Resolved dates of a day to a month, in date order, each with its sentence.
fn timeline(docs: &[Document], refs: &mut References) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    for d in docs {
        for t in &d.times {
            let (Some(from), Some(to)) = (t.from, t.to) else {
                continue;
            };
            if (to - from).num_days() > MAX_TIMELINE_DAYS {
                continue;
            }
            let sentence = sentence_at(d, t.start);
            let reference = refs.cite(d, sentence);
            out.push(TimelineEntry {
                from,
                to,
                text: t.text.clone(),
                sentence: refs.list[reference].text.clone(),
                outlet: d.site.clone(),
                reference,
            });
        }
    }
    out.sort_by_key(|a| (a.from, a.to, a.reference));
    out.dedup_by(|a, b| a.reference == b.reference && a.from == b.from);
    out
}

fn sourcing(docs: &[Document]) -> Vec<OutletProfile> {
    let mut by_outlet: BTreeMap<String, OutletProfile> = BTreeMap::new();
    for d in docs {
        let outlet = d
            .site
            .clone()
            .unwrap_or_else(|| "(unknown outlet)".to_string());
        let p = by_outlet
            .entry(outlet.clone())
            .or_insert_with(|| OutletProfile {
                outlet,
                documents: 0,
                claims: 0,
                anonymous: 0,
                kinds: BTreeMap::new(),
            });
        p.documents += 1;
        for c in &d.claims {
            p.claims += 1;
            let kind = c.source.as_ref().map_or("none", |s| s.kind.name());
            *p.kinds.entry(kind.to_string()).or_default() += 1;
            p.anonymous += usize::from(c.source.as_ref().is_some_and(|s| s.anonymous));
        }
    }
    let mut out: Vec<OutletProfile> = by_outlet.into_values().collect();
    out.sort_by_key(|p| std::cmp::Reverse(p.claims));
    out
}

#[cfg(test)]
mod tests;
