//! The sitrep pipeline: the stages composed, as the CLI (and later a server or a distributed
//! engine's per-partition task) calls them.
//!
//! ```text
//! RawDoc ──extract─► metadata, article text, related   (HTML-only documents: extract_html)
//!        ──clean───► title, body, boilerplate, related
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

use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;
use sitrep_model::{
    Boilerplate, BoilerplateKind, CharIndex, Document, Entity, Sentence, Token, content_id,
};
use sitrep_nlp::ner::{DocHistory, NerWorkspace};
use sitrep_nlp::{Ner, Nlp, WordAnalysis, Workspace};
use sitrep_read::{Problem, ProblemKind, RawDoc};

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
    /// The trained tagger, lemmatiser and parser, when loaded (needed for `--tokens`).
    nlp: Option<Arc<Nlp>>,
    /// The entity recogniser, when loaded (fills the `entities` layer).
    ner: Option<Arc<Ner>>,
}

/// A sentence analysed by the NLP core: its byte span and its words with their byte spans.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSentence {
    pub span: Range<usize>,
    pub words: Vec<(Range<usize>, WordAnalysis)>,
}

/// Splits `text` into sentences and words with sitrep's own rules, then tags, lemmatises and
/// parses each sentence. Offsets are bytes of `text`.
pub fn parse_text(nlp: &Nlp, text: &str) -> Vec<ParsedSentence> {
    let sentences = sitrep_nlp::sentences::split_sentences(text);
    let spans = word_spans(text, &sentences);
    let analysis = analyse_words(nlp, text, &spans);
    sentences
        .into_iter()
        .zip(spans)
        .zip(analysis)
        .map(|((span, spans), analysis)| ParsedSentence {
            span,
            words: spans.into_iter().zip(analysis).collect(),
        })
        .collect()
}

/// The byte spans of each sentence's words.
fn word_spans(text: &str, sentences: &[Range<usize>]) -> Vec<Vec<Range<usize>>> {
    sentences
        .iter()
        .map(|span| {
            let mut words = Vec::new();
            sitrep_nlp::tokenize::tokenize_into(text, span.clone(), &mut words);
            words
        })
        .collect()
}

/// Tags, lemmas and trees of a document's sentences, all at once (see
/// [`Nlp::analyze_all_into`]).
fn analyse_words(nlp: &Nlp, text: &str, spans: &[Vec<Range<usize>>]) -> Vec<Vec<WordAnalysis>> {
    let words: Vec<Vec<&str>> = spans
        .iter()
        .map(|s| s.iter().map(|r| &text[r.clone()]).collect())
        .collect();
    let mut analysis = Vec::new();
    nlp.analyze_all_into(&words, &mut Workspace::default(), &mut analysis);
    analysis
}

/// The entity layer: each sentence's words through the recogniser, which remembers the
/// document's earlier decisions ("Halvard" in the third sentence is what it was in the first).
fn entities(ner: &Ner, text: &str, sentences: &[Range<usize>], ix: &CharIndex) -> Vec<Entity> {
    let mut ws = NerWorkspace::default();
    let mut history = DocHistory::new();
    let mut spans = Vec::new();
    let mut found = Vec::new();
    let mut out = Vec::new();
    for range in sentences {
        spans.clear();
        sitrep_nlp::tokenize::tokenize_into(text, range.clone(), &mut spans);
        let words: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
        ner.recognise_in_document(&words, None, Some(&mut history), &mut ws, &mut found);
        for e in &found {
            let (Some(first), Some(last)) = (spans.get(e.start_word), spans.get(e.end_word - 1))
            else {
                continue;
            };
            let (start, end) = ix.span(first.start, last.end);
            out.push(Entity {
                id: format!("E{}", out.len() + 1),
                text: text[first.start..last.end].to_string(),
                start,
                end,
                kind: e.label.as_str().to_string(),
                actor: None,
                place: None,
            });
        }
    }
    out
}

impl Pipeline {
    pub fn new(options: Options) -> Pipeline {
        Pipeline {
            options,
            nlp: None,
            ner: None,
        }
    }

    /// A pipeline that also runs the trained NLP core.
    pub fn with_nlp(options: Options, nlp: Arc<Nlp>) -> Pipeline {
        Pipeline {
            options,
            nlp: Some(nlp),
            ner: None,
        }
    }

    /// The same pipeline, also recognising entities with `ner`.
    pub fn with_ner(mut self, ner: Arc<Ner>) -> Pipeline {
        self.ner = Some(ner);
        self
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Runs every stage on one read document. A document that has nothing to analyse (no
    /// text or HTML, or a body that cleaning left empty) is a [`Problem`] naming its source.
    pub fn process(&self, raw: RawDoc) -> Result<Document, Problem> {
        let mut doc = self.prepare(raw)?;
        self.analyse(&mut doc);
        Ok(doc)
    }

    /// The reading half of [`Pipeline::process`]: title, body, boilerplate, related headlines
    /// and metadata, without the analysis layers. An HTML-only document (`raw.text` is
    /// `None`) goes through [`sitrep_read::extract_html`] first, then the same cleaner as text.
    ///
    /// Metadata precedence: the input's own fields (JSON Lines) win, then what the page
    /// declares, then `--published` for the date.
    pub fn prepare(&self, raw: RawDoc) -> Result<Document, Problem> {
        let problem = |reason: &str| raw.problem(ProblemKind::NoText, reason);
        let page = match (&raw.text, &raw.html) {
            (Some(_), _) => None,
            (None, Some(html)) => Some(sitrep_read::extract_html(html, raw.url.as_deref())),
            (None, None) => return Err(problem("has neither text nor HTML")),
        };
        let input = match (&raw.text, &page) {
            (Some(text), _) => text.as_str(),
            (None, Some(page)) => page.text.as_str(),
            (None, None) => unreachable!("checked above"),
        };
        let given_title = raw
            .title
            .as_deref()
            .or_else(|| page.as_ref().and_then(|p| p.title.as_deref()));
        let mut cleaned = sitrep_read::clean(input, given_title);
        if cleaned.body.trim().is_empty() {
            return Err(problem(if page.is_some() {
                "no article text found in the HTML"
            } else {
                "no article body left after removing boilerplate"
            }));
        }
        let page = page.unwrap_or_default();
        // Related lists the HTML extractor took out of the page join those the cleaner found.
        for headline in page.related {
            if !cleaned.related.contains(&headline) {
                cleaned.boilerplate.push(Boilerplate {
                    text: headline.clone(),
                    kind: BoilerplateKind::Related,
                });
                cleaned.related.push(headline);
            }
        }
        Ok(Document {
            id: content_id(&cleaned.body),
            source: raw.source,
            url: raw.url.or(page.url),
            site: raw.site.or(page.site),
            author: raw.author.or(page.author),
            title: cleaned.title,
            published: raw.published.or(page.published).or(self.options.published),
            language: raw
                .language
                .or(page.language)
                .or_else(|| Some("en".to_string())),
            text: cleaned.body,
            boilerplate: cleaned.boilerplate,
            related: cleaned.related,
            ..Document::default()
        })
    }

    /// The token layer: rule-based tokens, with tags, lemmas and the dependency tree when the
    /// NLP core is loaded.
    fn tokens(&self, text: &str, sentences: &[Range<usize>], ix: &CharIndex) -> Vec<Token> {
        let mut tokens = Vec::new();
        let spans = word_spans(text, sentences);
        let analysis = match &self.nlp {
            Some(nlp) => analyse_words(nlp, text, &spans),
            None => Vec::new(),
        };
        for (i, spans) in spans.iter().enumerate() {
            for (k, tok) in spans.iter().enumerate() {
                let (start, end) = ix.span(tok.start, tok.end);
                let a = analysis.get(i).and_then(|a| a.get(k));
                tokens.push(Token {
                    sentence: i,
                    start,
                    end,
                    text: text[tok.clone()].to_string(),
                    upos: a.map(|a| a.upos.clone()),
                    xpos: a.map(|a| a.xpos.clone()),
                    lemma: a.map(|a| a.lemma.clone()),
                    head: a.map(|a| a.head),
                    deprel: a.map(|a| a.deprel.clone()),
                });
            }
        }
        tokens
    }

    /// Adds the sentence, token, time and quantity layers to a document whose `text` is set.
    pub fn analyse(&self, doc: &mut Document) {
        let text = doc.text.as_str();
        let ix = CharIndex::new(text);
        let sentences = sitrep_nlp::sentences::split_sentences(text);
        if self.options.tokens {
            doc.tokens = Some(self.tokens(text, &sentences, &ix));
        }
        if let Some(ner) = &self.ner {
            doc.entities = entities(ner, text, &sentences, &ix);
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
    use proptest::prelude::*;

    /// Words that make the annotators fire, mixed with arbitrary text.
    fn newsy() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            Just("about 400".to_string()),
            Just("several hundred".to_string()),
            Just("on Friday".to_string()),
            Just("late December".to_string()),
            Just("in 2012".to_string()),
            Just("three years later".to_string()),
            Just("“Mali’s army,” he said.".to_string()),
            Just("\n\n".to_string()),
            Just("Read more:".to_string()),
            "\\PC{0,12}",
        ];
        proptest::collection::vec(word, 1..40).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn every_span_is_its_text(text in newsy()) {
            let pipeline = Pipeline::new(Options {
                published: NaiveDate::from_ymd_opt(2022, 1, 7),
                tokens: true,
            });
            if let Ok(doc) = pipeline.process(raw(&text)) {
                let chars = doc.text.chars().count();
                for (layer, start, end, claimed) in doc.spans() {
                    prop_assert!(start <= end && end <= chars, "{layer} {start}..{end}");
                    if let Some(claimed) = claimed {
                        prop_assert_eq!(doc.span_text(start, end), claimed, "{}", layer);
                    }
                }
            }
        }
    }

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

    const PAGE: &str = "<html lang=\"en\"><head><title>Convoy reaches Dravik | Border Post</title>\
        <meta property=\"og:site_name\" content=\"Border Post\">\
        <meta property=\"article:published_time\" content=\"2026-03-04T08:00:00Z\"></head><body>\
        <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>Convoy reaches Dravik</h1>\
        <p>An aid convoy reached the border town of Dravik on Tuesday, two local officials said.</p>\
        <div class=\"promo\">Follow us on Telegram for the latest updates.</div>\
        <p>About 300 people collected food at the school, according to a regional aid worker.</p></article>\
        <aside><h3>Read more:</h3><ul><li><a href=\"/a\">Talks on a second crossing stall again</a></li></ul></aside>\
        </body></html>";

    fn page(html: &str) -> RawDoc {
        RawDoc {
            source: "f.jsonl:2".into(),
            html: Some(html.into()),
            ..RawDoc::default()
        }
    }

    #[test]
    fn html_documents_are_extracted_then_cleaned() {
        let pipeline = Pipeline::new(Options {
            published: NaiveDate::from_ymd_opt(2030, 1, 1),
            tokens: false,
        });
        let doc = pipeline.process(page(PAGE)).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Convoy reaches Dravik"));
        assert_eq!(
            doc.text,
            "An aid convoy reached the border town of Dravik on Tuesday, two local officials said.\n\n\
             About 300 people collected food at the school, according to a regional aid worker."
        );
        // The page's date wins over --published and resolves "Tuesday".
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2026, 3, 4));
        let tuesday = doc
            .times
            .iter()
            .find(|t| t.text.contains("Tuesday"))
            .unwrap();
        assert_eq!(tuesday.from, NaiveDate::from_ymd_opt(2026, 3, 3));
        assert_eq!(doc.site.as_deref(), Some("Border Post"));
        assert_eq!(doc.language.as_deref(), Some("en"));
        assert_eq!(
            doc.related,
            vec!["Talks on a second crossing stall again".to_string()]
        );
        assert!(
            doc.boilerplate
                .iter()
                .any(|b| b.kind == BoilerplateKind::Related)
        );
    }

    #[test]
    fn input_metadata_wins_over_the_page() {
        let raw = RawDoc {
            title: Some("Aid arrives in Dravik".into()),
            site: Some("Wire".into()),
            published: NaiveDate::from_ymd_opt(2026, 3, 5),
            url: Some("https://wire.example/a".into()),
            ..page(PAGE)
        };
        let doc = Pipeline::default().prepare(raw).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Aid arrives in Dravik"));
        assert_eq!(doc.site.as_deref(), Some("Wire"));
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(doc.url.as_deref(), Some("https://wire.example/a"));
        assert!(doc.sentences.is_empty(), "prepare does not analyse");
    }

    #[test]
    fn pages_without_text_and_empty_inputs_are_problems() {
        let err = Pipeline::default()
            .process(page("<nav><a href=\"/\">Home</a></nav>"))
            .unwrap_err();
        assert_eq!(err.source, "f.jsonl:2");
        assert!(err.reason.contains("HTML"), "{}", err.reason);
        let err = Pipeline::default()
            .process(RawDoc {
                source: "g.jsonl:1".into(),
                ..RawDoc::default()
            })
            .unwrap_err();
        assert!(err.reason.contains("neither text nor HTML"));
    }
}
