//! The sitrep pipeline: the stages composed, as the CLI (and later a server or a distributed
//! engine's per-partition task) calls them.
//!
//! ```text
//! RawDoc ──clean──► title, body, boilerplate, related
//!        ──analyse─► sentences (and tokens with --tokens)
//!        ──annotate► times (resolved against the publication date), quantities
//!        ──────────► Document (content id, code-point offsets)
//! ```
//!
//! [`Pipeline::process`] turns one read document into a [`Document`]; it is pure and
//! `Sync`, so [`ingest`] runs it over batches of documents in parallel (rayon) while a single
//! writer stores each finished batch in one transaction.

mod ingest;
pub mod synth;

use chrono::NaiveDate;
use sitrep_model::{CharIndex, Document, Sentence, Token, content_id};
use sitrep_read::{Problem, RawDoc};

pub use ingest::{IngestReport, Progress, ingest};

/// What the pipeline does beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Publication date for documents whose input has none (`--published`).
    pub published: Option<NaiveDate>,
    /// Fill the `tokens` layer (`--tokens`).
    pub tokens: bool,
}

/// The composed stages, configured once and shared by every worker thread.
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    options: Options,
}

impl Pipeline {
    pub fn new(options: Options) -> Pipeline {
        Pipeline { options }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Runs every stage on one read document. A document that has nothing to analyse (only
    /// HTML, which a later reader handles, or a body that cleaning left empty) is a
    /// [`Problem`] naming its source.
    pub fn process(&self, raw: RawDoc) -> Result<Document, Problem> {
        let problem = |reason: &str| Problem {
            source: raw.source.clone(),
            line: None,
            reason: reason.to_string(),
        };
        let Some(input) = raw.text.as_deref() else {
            return Err(problem(
                "has only \"html\": HTML main-text extraction is not supported yet",
            ));
        };
        let cleaned = sitrep_read::clean(input, raw.title.as_deref());
        if cleaned.body.trim().is_empty() {
            return Err(problem("no article body left after removing boilerplate"));
        }
        let mut doc = Document {
            id: content_id(&cleaned.body),
            source: raw.source,
            url: raw.url,
            site: raw.site,
            author: raw.author,
            title: cleaned.title,
            published: raw.published.or(self.options.published),
            language: raw.language.or_else(|| Some("en".to_string())),
            text: cleaned.body,
            boilerplate: cleaned.boilerplate,
            related: cleaned.related,
            ..Document::default()
        };
        self.analyse(&mut doc);
        Ok(doc)
    }

    /// Adds the sentence, token, time and quantity layers to a document whose `text` is set.
    pub fn analyse(&self, doc: &mut Document) {
        let text = doc.text.as_str();
        let ix = CharIndex::new(text);
        let sentences = sitrep_nlp::sentences::split_sentences(text);
        if self.options.tokens {
            let mut tokens = Vec::new();
            for (i, range) in sentences.iter().enumerate() {
                for tok in sitrep_nlp::tokenize::tokenize(text, range.clone()) {
                    let (start, end) = ix.span(tok.start, tok.end);
                    tokens.push(Token {
                        sentence: i,
                        start,
                        end,
                        text: text[tok].to_string(),
                        upos: None,
                        xpos: None,
                        lemma: None,
                        head: None,
                        deprel: None,
                    });
                }
            }
            doc.tokens = Some(tokens);
        }
        doc.sentences = sentences
            .into_iter()
            .map(|r| {
                let (start, end) = ix.span(r.start, r.end);
                Sentence { start, end }
            })
            .collect();
        let (times, quantities) = sitrep_annotate::annotate(text, doc.published, &ix);
        doc.times = times;
        doc.quantities = quantities;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> RawDoc {
        RawDoc {
            source: "t.txt".into(),
            text: Some(text.into()),
            ..RawDoc::default()
        }
    }

    const ARTICLE: &str = "Border town shelled overnight, officials say\n\n\
        Artillery hit the border town of Dravik overnight, two local officials said on Tuesday.\n\n\
        About 300 people fled the town, according to a regional aid worker who asked not to be named.";

    #[test]
    fn process_fills_every_layer_with_code_point_spans() {
        let pipeline = Pipeline::new(Options {
            published: NaiveDate::from_ymd_opt(2026, 3, 5),
            tokens: true,
        });
        let doc = pipeline.process(raw(ARTICLE)).unwrap();
        assert_eq!(
            doc.title.as_deref(),
            Some("Border town shelled overnight, officials say")
        );
        assert!(doc.text.starts_with("Artillery hit"));
        assert_eq!(doc.id, content_id(&doc.text));
        assert_eq!(doc.sentences.len(), 2);
        assert!(doc.tokens.as_ref().unwrap().len() > 20);
        let tuesday = doc
            .times
            .iter()
            .find(|t| t.text.contains("Tuesday"))
            .unwrap();
        assert_eq!(tuesday.from, NaiveDate::from_ymd_opt(2026, 3, 3));
        let about = doc
            .quantities
            .iter()
            .find(|q| q.text.contains("300"))
            .unwrap();
        assert_eq!(about.value, Some(300.0));
        assert!(about.approx);
        for (layer, start, end, claimed) in doc.spans() {
            let got = doc.span_text(start, end);
            if let Some(claimed) = claimed {
                assert_eq!(got, claimed, "{layer} {start}..{end}");
            }
        }
    }

    #[test]
    fn without_a_date_relative_times_stay_unresolved() {
        let doc = Pipeline::default().process(raw(ARTICLE)).unwrap();
        let tuesday = doc
            .times
            .iter()
            .find(|t| t.text.contains("Tuesday"))
            .unwrap();
        assert_eq!((tuesday.from, tuesday.to), (None, None));
        assert!(doc.tokens.is_none());
    }

    #[test]
    fn html_only_and_empty_bodies_are_problems() {
        let html = RawDoc {
            source: "f.jsonl:2".into(),
            html: Some("<p>x</p>".into()),
            ..RawDoc::default()
        };
        let err = Pipeline::default().process(html).unwrap_err();
        assert_eq!(err.source, "f.jsonl:2");
        assert!(err.reason.contains("HTML"));
    }
}
