//! The sitrep pipeline: the stages composed, configured once, as every front end calls them
//! (the CLI's `extract`, `ingest`, `watch` and `bench`, later the server and a distributed
//! engine's per-partition task).
//!
//! ```text
//! RawDoc ──extract─► metadata, article text, related   (HTML-only documents: extract_html)
//!        ──clean───► title, body, boilerplate, related
//!        ──analyse─► Analysis: sentences, tokens, tags, lemmas, trees, entity mentions
//!        ──annotate► times (resolved against the publication date), quantities, on its tokens
//!        ──────────► Document (content id, code-point offsets), built once from the Analysis
//! ```
//!
//! A [`Config`] says what to compute (models folder, parser, layers, the publication-date
//! fallback); [`Pipeline::load`] loads what it needs once. [`Pipeline::process`] turns one
//! read document into a [`Document`]; it is pure and `Sync`, so [`ingest`] runs it over
//! batches in parallel (rayon) while a single writer stores each finished batch in one
//! transaction, and [`extract`] does the same without a store, linking near-duplicates in
//! memory with the store's own decision. The same input gives the same `Document` from
//! either.

mod actors;
mod extract;
mod ingest;
pub mod propositions;
pub mod synth;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use sitrep_extract::attribution::Attributions;
use sitrep_extract::claims::{ClaimDraft, ClaimLayer, FindAttributions};
use sitrep_model::{
    Boilerplate, BoilerplateKind, CharIndex, Claim, ClaimSource, Cue, DocPlace, Document, Entity,
    Place, PublishedFrom, Sentence, TextSpan, TimeExpr, Token, content_id,
};
use sitrep_nlp::model_io::ModelError;
use sitrep_nlp::{Analysis, Analyzer, Gazetteer, Ner, Nlp, ParserChoice, WordAnalysis};
use sitrep_read::{Problem, ProblemKind, RawDoc};

pub use extract::extract;
pub use ingest::{IngestReport, Progress, ingest};

/// What a pipeline computes, and with which models. Every front end builds its pipeline
/// from one of these, so the same input gives the same document from each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The model folder; `None`: `SITREP_MODELS`, else `data/models` found above the working
    /// directory or the executable.
    pub models: Option<PathBuf>,
    /// Which parser to load (`--fast`: the greedy one).
    pub parser: ParserChoice,
    /// Tag, lemmatise and parse every sentence (claims and events read the trees).
    pub parse: bool,
    /// Recognise entities (the `entities` layer).
    pub entities: bool,
    /// Find claims (the trained attribution finder and the claims layer); needs the parse.
    pub claims: bool,
    /// Write the token layer into the document (`--tokens`); the analysis has tokens either
    /// way.
    pub tokens: bool,
    /// Publication date for documents whose input has none (`--published`).
    pub published: Option<NaiveDate>,
}

impl Default for Config {
    /// Everything computed, with the accurate parser and the default models.
    fn default() -> Config {
        Config {
            models: None,
            parser: ParserChoice::Accurate,
            parse: true,
            entities: true,
            claims: true,
            tokens: false,
            published: None,
        }
    }
}

impl Config {
    /// Reading, cleaning, sentences, tokens, times and quantities only: no model is loaded
    /// (the HTML evaluation, and tests of the reading half).
    pub fn without_models() -> Config {
        Config {
            parse: false,
            entities: false,
            claims: false,
            ..Config::default()
        }
    }
}

/// A model the configuration asks for could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("cannot load the {what} ({source}); pass --models DIR or set SITREP_MODELS")]
pub struct LoadError {
    what: &'static str,
    source: ModelError,
}

/// The composed stages, configured once and shared by every worker thread.
#[derive(Debug, Clone)]
pub struct Pipeline {
    config: Config,
    analyzer: Analyzer,
    claims: Option<Claims>,
    /// Places are resolved against it (and claims' actors coded with it).
    gazetteer: Option<Arc<Gazetteer>>,
}

/// The claims stage: the attribution finder and the layer that describes what it finds.
#[derive(Debug, Clone)]
pub struct Claims {
    pub finder: Arc<dyn FindAttributions>,
    pub layer: ClaimLayer,
}

impl Claims {
    /// The shipped attribution finder from the model folder `dir`, and the claims layer
    /// with the gazetteer (for actors: "Malian officers", "Moscow") when one is found beside
    /// the models (`../gazetteer`) or where [`Gazetteer::default_dir`] looks; without one,
    /// claims have no actor codes.
    pub fn load(dir: &std::path::Path) -> Result<Claims, LoadError> {
        Claims::load_with(dir, find_gazetteer(dir))
    }

    /// [`Claims::load`] with a gazetteer already loaded.
    pub fn load_with(
        dir: &std::path::Path,
        gazetteer: Option<Arc<Gazetteer>>,
    ) -> Result<Claims, LoadError> {
        let finder = Attributions::load(dir).map_err(|source| LoadError {
            what: "attribution model",
            source,
        })?;
        Ok(Claims {
            finder: Arc::new(finder),
            layer: ClaimLayer::new(gazetteer),
        })
    }
}

/// A sentence analysed by the NLP core: its byte span and its words with their byte spans.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSentence {
    pub span: Range<usize>,
    pub words: Vec<(Range<usize>, WordAnalysis)>,
}

/// Splits `text` into sentences and words with sitrep's own rules, then tags, lemmatises and
/// parses each sentence (the [`Analysis`] of `text`, by sentence). Offsets are bytes of
/// `text`.
pub fn parse_text(nlp: &Arc<Nlp>, text: &str) -> Vec<ParsedSentence> {
    let analysis = Analyzer::new(Some(Arc::clone(nlp)), None).analyse(text);
    analysis
        .sentences()
        .iter()
        .map(|s| ParsedSentence {
            span: s.span.clone(),
            words: s
                .tokens
                .clone()
                .map(|t| {
                    let word = analysis.word(t).cloned().unwrap_or_default();
                    (analysis.tokens()[t].clone(), word)
                })
                .collect(),
        })
        .collect()
}

/// The gazetteer beside the model folder `dir` (`../gazetteer`), else where
/// [`Gazetteer::default_dir`] looks; `None` when there is none or it does not load.
fn find_gazetteer(dir: &std::path::Path) -> Option<Arc<Gazetteer>> {
    dir.parent()
        .map(|p| p.join("gazetteer"))
        .filter(|g| g.join("actors.tsv").is_file())
        .or_else(Gazetteer::default_dir)
        .and_then(|g| Gazetteer::load(&g).ok())
        .map(Arc::new)
}

impl Pipeline {
    /// Loads the models `config` asks for (the tagger, lemmatiser and parser on two threads)
    /// and returns the pipeline.
    pub fn load(config: Config) -> Result<Pipeline, LoadError> {
        let dir = match &config.models {
            Some(dir) => Some(dir.clone()),
            None if config.parse || config.entities => {
                Some(Nlp::default_model_dir().ok_or_else(|| {
                    LoadError {
                    what: "NLP models",
                    source: ModelError::NotFound(
                        "no data/models folder found above the working directory or the executable"
                            .into(),
                    ),
                }
                })?)
            }
            None => None,
        };
        let (nlp, ner) = std::thread::scope(|scope| {
            let ner = scope.spawn(|| match (&dir, config.entities) {
                (Some(dir), true) => Ner::load(&dir.join(sitrep_nlp::ner::NER_FILE))
                    .map(|n| Some(Arc::new(n)))
                    .map_err(|source| LoadError {
                        what: "entity model",
                        source,
                    }),
                _ => Ok(None),
            });
            let nlp = match (&dir, config.parse) {
                (Some(dir), true) => Nlp::load_with(dir, config.parser)
                    .map(|n| Some(Arc::new(n)))
                    .map_err(|source| LoadError {
                        what: "tagger, lemmatiser and parser",
                        source,
                    }),
                _ => Ok(None),
            };
            let ner = ner
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (nlp, ner)
        });
        let gazetteer = match &dir {
            Some(dir) if config.entities || config.claims => find_gazetteer(dir),
            _ => None,
        };
        let claims = match (&dir, config.claims && config.parse) {
            (Some(dir), true) => Some(Claims::load_with(dir, gazetteer.clone())?),
            _ => None,
        };
        Ok(Pipeline {
            analyzer: Analyzer::new(nlp?, ner?),
            config,
            claims,
            gazetteer,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The same pipeline (the same loaded models) with another publication-date fallback.
    pub fn with_published(&self, published: Option<NaiveDate>) -> Pipeline {
        Pipeline {
            config: Config {
                published,
                ..self.config.clone()
            },
            analyzer: self.analyzer.clone(),
            claims: self.claims.clone(),
            gazetteer: self.gazetteer.clone(),
        }
    }

    /// The same pipeline, finding claims with `claims` (the trained attribution finder and the
    /// claims layer); claims need the parse.
    pub fn with_claims(mut self, claims: Claims) -> Pipeline {
        self.claims = Some(claims);
        self
    }

    /// The claims stage, when this pipeline finds claims.
    pub fn claims(&self) -> Option<&Claims> {
        self.claims.as_ref()
    }

    /// Whether this pipeline finds claims (it was given an attribution finder).
    pub fn finds_claims(&self) -> bool {
        self.claims.is_some()
    }

    /// The models this pipeline analyses with.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Runs every stage on one read document. A document that has nothing to analyse (no
    /// text or HTML, or a body that cleaning left empty) is a [`Problem`] naming its source;
    /// so is one on which a stage panics (a bug: [`ProblemKind::Internal`]), so that one
    /// document never takes a batch down.
    pub fn process(&self, raw: RawDoc) -> Result<Document, Problem> {
        let place = RawDoc {
            source: raw.source.clone(),
            line: raw.line,
            ..RawDoc::default()
        };
        sitrep_model::catch_panic(|| {
            #[cfg(test)]
            if raw.source == tests::PANICS {
                panic!("a stage failed");
            }
            let mut doc = self.prepare(raw)?;
            self.analyse(&mut doc);
            Ok(doc)
        })
        .unwrap_or_else(|reason| Err(place.problem(ProblemKind::Internal, reason)))
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
        let url = raw.url.or(page.url);
        let (published, published_from) =
            self.published_of(raw.published, page.published, &raw.source, url.as_deref());
        Ok(Document {
            id: content_id(&cleaned.body),
            source: raw.source,
            url,
            site: raw.site.or(page.site),
            author: raw.author.or(page.author),
            title: cleaned.title,
            published,
            published_from,
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

    /// The publication date and where it came from: the input's metadata, the page's,
    /// `--published`, then a date the file's name or the URL's path carries (a folder of
    /// `breitbart_2016-09-12_....txt` files resolves "Friday" without `--published`).
    fn published_of(
        &self,
        metadata: Option<NaiveDate>,
        page: Option<NaiveDate>,
        source: &str,
        url: Option<&str>,
    ) -> (Option<NaiveDate>, Option<PublishedFrom>) {
        let is_url = |s: &str| s.starts_with("http://") || s.starts_with("https://");
        // A JSON Lines source is `path:LINE`; a stdin source `-`.
        let file = source
            .rsplit_once(':')
            .filter(|(_, line)| line.bytes().all(|b| b.is_ascii_digit()))
            .map_or(source, |(path, _)| path);
        let candidates = [
            (metadata, PublishedFrom::Metadata),
            (page, PublishedFrom::Page),
            (self.config.published, PublishedFrom::Option),
            (url.and_then(sitrep_read::date_in_name), PublishedFrom::Url),
            (
                (!is_url(file) && file != "-")
                    .then(|| sitrep_read::date_in_name(file))
                    .flatten(),
                PublishedFrom::FileName,
            ),
            (
                is_url(file)
                    .then(|| sitrep_read::date_in_name(file))
                    .flatten(),
                PublishedFrom::Url,
            ),
        ];
        candidates
            .into_iter()
            .find_map(|(date, from)| date.map(|d| (Some(d), Some(from))))
            .unwrap_or((None, None))
    }

    /// Analyses a document whose `text` is set, once, and writes every layer from that
    /// [`Analysis`]: sentences, tokens (when the configuration asks for them), entities,
    /// times and quantities.
    pub fn analyse(&self, doc: &mut Document) {
        let analysis = self.analyzer.analyse(&doc.text);
        self.write_layers(doc, &analysis);
    }

    /// The layers of `doc` from its analysis (see [`Pipeline::analyse`]).
    pub fn write_layers(&self, doc: &mut Document, analysis: &Analysis) {
        self.write_layers_timed(doc, analysis, &mut LayerTimes::default());
    }

    /// [`Pipeline::write_layers`], adding each layer's time to `times` (for `sitrep bench`).
    pub fn write_layers_timed(
        &self,
        doc: &mut Document,
        analysis: &Analysis,
        times: &mut LayerTimes,
    ) {
        let mut clock = Instant::now();
        let mut lap = |slot: &mut Duration| {
            let now = Instant::now();
            *slot += now - clock;
            clock = now;
        };
        let text = doc.text.as_str();
        let ix = CharIndex::new(text);
        if self.config.tokens {
            doc.tokens = Some(token_layer(text, analysis, &ix));
        }
        doc.entities = entity_layer(text, analysis, &ix);
        doc.sentences = analysis
            .sentences()
            .iter()
            .map(|s| {
                let (start, end) = ix.span(s.span.start, s.span.end);
                Sentence { start, end }
            })
            .collect();
        lap(&mut times.spans);
        let (found_times, quantities) =
            sitrep_annotate::annotate(text, analysis, doc.published, &ix);
        doc.times = found_times;
        doc.quantities = quantities;
        lap(&mut times.dates);
        if let Some(claims) = &self.claims {
            let found = claims.finder.find(text, analysis);
            let drafts = claims.layer.describe(text, analysis, &found);
            doc.claims = claim_layer(text, &drafts, &doc.times, &ix);
        }
        lap(&mut times.claims);
        if let Some(gazetteer) = &self.gazetteer {
            place_layer(doc, analysis, gazetteer, &ix);
            actors::actor_layer(doc, gazetteer);
        }
        lap(&mut times.places);
    }
}

/// Time spent in each layer [`Pipeline::write_layers_timed`] writes, summed over documents.
#[derive(Debug, Clone, Copy, Default)]
pub struct LayerTimes {
    /// Sentences, tokens and entities as spans of the text.
    pub spans: Duration,
    /// Times and quantities.
    pub dates: Duration,
    /// Claims (attribution finder and claims layer).
    pub claims: Duration,
    /// Places (mentions, resolution, focus and dateline) and the entities' actors.
    pub places: Duration,
}

/// The claims layer: drafts in code points, with ids `C1`, `C2`, ... in text order, `same_as`
/// as claim ids, and the statement's time as the id (`T<n>`) of the time expression that
/// overlaps the time word.
fn claim_layer(
    text: &str,
    drafts: &[ClaimDraft],
    times: &[TimeExpr],
    ix: &CharIndex,
) -> Vec<Claim> {
    let id = |i: usize| format!("C{}", i + 1);
    let span = |r: &Range<usize>| {
        let (start, end) = ix.span(r.start, r.end);
        TextSpan {
            text: text[r.clone()].to_string(),
            start,
            end,
        }
    };
    drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let cue = span(&d.cue);
            let time = d.time.as_ref().and_then(|r| {
                let (start, end) = ix.span(r.start, r.end);
                times
                    .iter()
                    .position(|t| t.start < end && start < t.end)
                    .map(|k| format!("T{}", k + 1))
            });
            Claim {
                id: id(i),
                sentence: d.sentence,
                source: d.source.as_ref().map(|s| {
                    let at = span(&s.span);
                    ClaimSource {
                        text: at.text,
                        start: at.start,
                        end: at.end,
                        kind: s.kind,
                        anonymous: s.anonymous,
                        anonymity_cue: s.anonymity_cue.clone(),
                        actor: s.actor.clone(),
                        same_as: s.same_as.map(id),
                    }
                }),
                cue: Cue {
                    text: cue.text,
                    start: cue.start,
                    end: cue.end,
                    lemma: d.cue_lemma.clone(),
                },
                content: span(&d.content_cover()),
                direct: d.direct,
                stance: d.stance,
                recipient: d.recipient.as_ref().map(|r| text[r.clone()].to_string()),
                time,
                confidence: f64::from(d.confidence),
                why: d.why.clone(),
                terms: d.terms.clone(),
                anchors: d.anchors.clone(),
            }
        })
        .collect()
}

/// The token layer: every token of the analysis, with its tags, lemma and tree when parsed.
fn token_layer(text: &str, analysis: &Analysis, ix: &CharIndex) -> Vec<Token> {
    let tokens = analysis.tokens();
    analysis
        .sentences()
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.tokens.clone().map(move |t| (i, t)))
        .map(|(sentence, t)| {
            let span = &tokens[t];
            let (start, end) = ix.span(span.start, span.end);
            let a = analysis.word(t);
            Token {
                sentence,
                start,
                end,
                text: text[span.clone()].to_string(),
                upos: a.map(|a| a.upos.to_string()),
                xpos: a.map(|a| a.xpos.to_string()),
                lemma: a.map(|a| a.lemma.to_string()),
                head: a.map(|a| a.head),
                deprel: a.map(|a| a.deprel.to_string()),
            }
        })
        .collect()
}

/// The places of the entity layer: each location and nationality word resolved against the
/// gazetteer (`sitrep_annotate::places`); a place that speaks as a government's source ("Paris
/// said") keeps its place and is marked `use: government`, a nationality word `demonym`.
fn place_layer(doc: &mut Document, analysis: &Analysis, gazetteer: &Gazetteer, ix: &CharIndex) {
    use sitrep_annotate::places::{Fallback, focus_levels, resolve, toponyms};
    let text = doc.text.as_str();
    let found = toponyms(text, analysis, gazetteer);
    // The dateline the cleaner cut off ("BAMAKO, Jan 7 (AFP) -") is resolved with the body's
    // mentions, ahead of them: it is context for them ("Kidal" in a story filed from Bamako)
    // and they for it.
    let dateline = doc
        .boilerplate
        .iter()
        .find(|b| b.kind == BoilerplateKind::Dateline)
        .map(|b| b.text.trim().to_string())
        .filter(|d| dateline_place(d).is_some());
    let (context, offset) = match &dateline {
        Some(d) => (format!("{d}\n{text}"), d.len() + 1),
        None => (text.to_string(), 0),
    };
    let mut spans: Vec<Range<usize>> = dateline
        .as_deref()
        .and_then(dateline_place)
        .into_iter()
        .collect();
    spans.extend(
        found
            .iter()
            .map(|t| t.span.start + offset..t.span.end + offset),
    );
    let mut resolved = resolve(gazetteer, &context, &spans, Fallback::None);
    let filed_from = match dateline {
        Some(_) => resolved.remove(0),
        None => None,
    };
    let place_of = |r: &sitrep_annotate::places::Resolved, used_as: Option<String>| Place {
        name: r.place.name.clone(),
        country: (!r.place.country.is_empty()).then(|| r.place.country.clone()),
        lat: r.place.lat,
        lon: r.place.lon,
        geonameid: (r.place.geonameid != 0).then_some(r.place.geonameid),
        kind: Some(r.place.kind.clone()),
        admin1: r.region.map(|g| g.name.clone()),
        precision: Some(r.precision.name().to_string()),
        used_as,
        why: Some(r.why.clone()),
    };
    // Nationality words ("Russian advisers") say who, not where: the focus counts place
    // names, and nationality words only when a document has nothing else.
    let named: Vec<_> = found
        .iter()
        .zip(&resolved)
        .map(|(t, r)| r.clone().filter(|_| !t.demonym))
        .collect();
    let levels = match focus_levels(gazetteer, &named) {
        levels if levels.is_empty() => focus_levels(gazetteer, &resolved),
        levels => levels,
    };
    doc.places = levels
        .iter()
        .map(|level| DocPlace {
            role: "focus".to_string(),
            mentions: level.mentions,
            place: place_of(&level.resolved, None),
        })
        .collect();
    if let Some(r) = &filed_from {
        doc.places.push(DocPlace {
            role: "dateline".to_string(),
            mentions: 0,
            place: place_of(r, None),
        });
    }
    for (t, r) in found.iter().zip(resolved) {
        let Some(r) = r else { continue };
        let (start, end) = ix.span(t.span.start, t.span.end);
        let government = doc.claims.iter().any(|c| {
            c.source.as_ref().is_some_and(|s| {
                s.kind == sitrep_model::SourceKind::Government && s.start <= start && end <= s.end
            })
        });
        let used_as = if t.demonym {
            Some("demonym".to_string())
        } else if government {
            Some("government".to_string())
        } else {
            None
        };
        let index = match t.mention {
            Some(i) if i < doc.entities.len() => i,
            Some(_) => continue,
            None => {
                // A name the recogniser missed and the gazetteer knows: a location entity.
                doc.entities.push(Entity {
                    id: String::new(),
                    text: text[t.span.clone()].to_string(),
                    start,
                    end,
                    kind: "LOC".to_string(),
                    actor: None,
                    place: None,
                });
                doc.entities.len() - 1
            }
        };
        doc.entities[index].place = Some(place_of(&r, used_as));
    }
    // Entities in text order, numbered again (the gazetteer's are appended above).
    doc.entities.sort_by_key(|e| (e.start, e.end));
    for (i, e) in doc.entities.iter_mut().enumerate() {
        e.id = format!("E{}", i + 1);
    }
}

/// The byte span of a dateline's place: its words before the first comma, bracket or dash
/// ("BAMAKO" in "BAMAKO, Jan 7 (AFP) -", "WASHINGTON" in "WASHINGTON (Reuters) -"), when
/// they are letters; `None` for a dateline without one ("Jan 7 (AFP) -").
fn dateline_place(dateline: &str) -> Option<Range<usize>> {
    let end = dateline
        .find([',', '(', '\u{2014}', '\u{2013}'])
        .or_else(|| dateline.find(" -"))
        .unwrap_or(dateline.len());
    let name = dateline[..end].trim_end();
    let words = name.split_whitespace().count();
    let letters = name
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-'));
    (letters && (1..=4).contains(&words)).then_some(0..name.len())
}

/// The entity layer: the analysis's mentions as code-point spans.
fn entity_layer(text: &str, analysis: &Analysis, ix: &CharIndex) -> Vec<Entity> {
    analysis
        .mentions()
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let span = analysis.span_of(&m.tokens);
            let (start, end) = ix.span(span.start, span.end);
            Entity {
                id: format!("E{}", i + 1),
                text: text[span].to_string(),
                start,
                end,
                kind: m.label.as_str().to_string(),
                actor: None,
                place: None,
            }
        })
        .collect()
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

    /// The full pipeline (tagger, lemmatiser, parser, entities), loaded once for the tests.
    fn full() -> &'static Pipeline {
        static FULL: std::sync::LazyLock<Pipeline> = std::sync::LazyLock::new(|| {
            Pipeline::load(Config {
                published: NaiveDate::from_ymd_opt(2022, 1, 7),
                tokens: true,
                ..Config::default()
            })
            .expect("the shipped models load")
        });
        &FULL
    }

    fn reading_only() -> Pipeline {
        Pipeline::load(Config::without_models()).unwrap()
    }

    /// The source of a test document on which `process` panics, as a bug in a stage would.
    pub(super) const PANICS: &str = "panics.txt";

    /// A stage that panics costs its document only: the document is an `Internal` problem
    /// naming it, with the panic's message, and the documents around it come out.
    #[test]
    fn a_panicking_stage_costs_one_document() {
        let mut docs = vec![
            raw("Troops arrived in the capital on Friday."),
            raw("Talks resumed on Monday."),
            raw("The convoy reached Dravik on Tuesday."),
        ];
        docs[1].source = PANICS.to_string();
        let mut out = Vec::new();
        extract(&reading_only(), docs.into_iter().map(Ok), |r| {
            out.push(r);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(out.len(), 3);
        assert!(out[0].is_ok() && out[2].is_ok());
        let problem = out[1].as_ref().unwrap_err();
        assert_eq!(problem.kind, ProblemKind::Internal);
        assert_eq!(
            problem.to_string(),
            "panics.txt: sitrep failed on this input (a bug, please report it): a stage failed"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Every span of every layer, entities and tokens included, is its text; an input
        /// that gives no document is one whose body cleaning left empty, and says so.
        #[test]
        fn every_span_is_its_text(text in newsy()) {
            match full().process(raw(&text)) {
                Ok(doc) => {
                    let chars = doc.text.chars().count();
                    let tokens = doc.tokens.as_ref().expect("the token layer was asked for");
                    prop_assert!(tokens.iter().all(|t| t.upos.is_some() && t.head.is_some()));
                    for (layer, start, end, claimed) in doc.spans() {
                        prop_assert!(start <= end && end <= chars, "{layer} {start}..{end}");
                        if let Some(claimed) = claimed {
                            prop_assert_eq!(doc.span_text(start, end), claimed, "{}", layer);
                        }
                    }
                }
                Err(problem) => {
                    prop_assert!(sitrep_read::clean(&text, None).body.trim().is_empty(), "{problem}");
                    prop_assert!(problem.reason.contains("no article body"), "{problem}");
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
        let pipeline = Pipeline::load(Config {
            published: NaiveDate::from_ymd_opt(2026, 3, 5),
            tokens: true,
            ..Config::default()
        })
        .unwrap();
        let doc = pipeline.process(raw(ARTICLE)).unwrap();
        assert_eq!(
            doc.title.as_deref(),
            Some("Border town shelled overnight, officials say")
        );
        assert!(doc.text.starts_with("Artillery hit"));
        assert_eq!(doc.id, content_id(&doc.text));
        assert_eq!(doc.sentences.len(), 2);
        let tokens = doc.tokens.as_ref().unwrap();
        assert!(tokens.len() > 20);
        // The parse is in the token layer: "hit" heads "Artillery".
        let hit = tokens.iter().position(|t| t.text == "hit").unwrap();
        assert_eq!(tokens[0].head, Some(hit as i32));
        assert_eq!(tokens[0].deprel.as_deref(), Some("nsubj"));
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
    fn places_are_resolved_with_their_precision_and_use() {
        let text = "Paris said on Friday that the talks in Kidal, Mali, would resume. \
                    Malian troops later crossed into Niger, near the town of Ayorou.";
        let mut doc = Document {
            text: text.to_string(),
            ..Document::default()
        };
        full().analyse(&mut doc);
        let place = |name: &str| {
            doc.entities
                .iter()
                .find(|e| e.text == name)
                .and_then(|e| e.place.clone())
                .unwrap_or_else(|| panic!("{name} has a place: {:?}", doc.entities))
        };
        let paris = place("Paris");
        assert_eq!(paris.country.as_deref(), Some("FRA"));
        assert_eq!(paris.kind.as_deref(), Some("city"));
        assert_eq!(paris.used_as.as_deref(), Some("government"), "{paris:?}");
        let kidal = place("Kidal");
        assert_eq!(kidal.country.as_deref(), Some("MLI"));
        assert_eq!(kidal.precision.as_deref(), Some("place"));
        let niger = place("Niger");
        assert_eq!(niger.country.as_deref(), Some("NER"));
        assert_eq!(niger.precision.as_deref(), Some("country"));
        let malian = place("Malian");
        assert_eq!(malian.country.as_deref(), Some("MLI"));
        assert_eq!(malian.used_as.as_deref(), Some("demonym"));
        // Entities stay in text order, numbered in that order.
        assert!(doc.entities.windows(2).all(|w| w[0].start <= w[1].start));
        assert_eq!(doc.entities[0].id, "E1");
        // Their actors: a speaking capital is its government, a country and a nationality
        // word are the country.
        let actor = |name: &str| {
            let e = doc.entities.iter().find(|e| e.text == name).unwrap();
            (e.kind.as_str(), e.actor.as_ref().map(|a| a.code.as_str()))
        };
        assert_eq!(actor("Paris"), ("LOC", Some("FRAGOV")));
        assert_eq!(actor("Mali"), ("LOC", Some("MLI")));
        assert_eq!(actor("Malian"), ("NORP", Some("MLI")));
        assert_eq!(actor("Niger"), ("LOC", Some("NER")));
        let paris = doc.entities.iter().find(|e| e.text == "Paris").unwrap();
        let name = paris.actor.as_ref().and_then(|a| a.name.as_deref());
        assert_eq!(name, Some("Government of France"));
    }

    /// The dateline is resolved with the body's places (a story about Lebanon filed from
    /// "TRIPOLI" was filed from Tripoli, Lebanon, not Libya's larger capital), and the
    /// document says what it is about: its country, and the region and town named twice.
    #[test]
    fn a_document_has_its_focus_places_and_its_dateline_place() {
        let text = "TRIPOLI, March 3 (Wire) - Lebanese troops moved into the port district on \
                    Tuesday, an army spokesman said.\n\n\
                    Residents of Beirut and Sidon said the roads to Beirut were closed, and \
                    Lebanon's government called a meeting in Beirut.";
        let doc = full().process(raw(text)).unwrap();
        assert!(doc.text.starts_with("Lebanese troops"), "{}", doc.text);
        let dateline = doc.places.iter().find(|p| p.role == "dateline").unwrap();
        assert_eq!(dateline.place.name, "Tripoli");
        assert_eq!(
            dateline.place.country.as_deref(),
            Some("LBN"),
            "{dateline:?}"
        );
        let focus: Vec<(&str, &str, usize)> = doc
            .places
            .iter()
            .filter(|p| p.role == "focus")
            .map(|p| {
                (
                    p.place.name.as_str(),
                    p.place.precision.as_deref().unwrap_or(""),
                    p.mentions,
                )
            })
            .collect();
        assert_eq!(focus[0].0, "Lebanon", "{focus:?}");
        assert_eq!(focus[0].1, "country");
        assert!(
            focus
                .iter()
                .any(|f| f.0 == "Beirut" && f.1 == "place" && f.2 == 3),
            "{focus:?}"
        );
        let why = doc.places[0].place.why.as_deref().unwrap();
        assert!(why.contains("place mentions are in Lebanon"), "{why}");
        // The same story filed from a dateline the gazetteer lacks has no dateline place.
        let doc = full()
            .process(raw(&text.replace("TRIPOLI", "QARNAYIL")))
            .unwrap();
        assert!(doc.places.iter().all(|p| p.role == "focus"));
        assert_eq!(doc.places[0].place.name, "Lebanon");
    }

    #[test]
    fn without_a_date_relative_times_stay_unresolved() {
        let doc = reading_only().process(raw(ARTICLE)).unwrap();
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
        let pipeline = Pipeline::load(Config {
            published: NaiveDate::from_ymd_opt(2030, 1, 1),
            ..Config::without_models()
        })
        .unwrap();
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
        let doc = reading_only().prepare(raw).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Aid arrives in Dravik"));
        assert_eq!(doc.site.as_deref(), Some("Wire"));
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(doc.url.as_deref(), Some("https://wire.example/a"));
        assert!(doc.sentences.is_empty(), "prepare does not analyse");
    }

    /// A folder of dated files: "Friday" resolves from the file name's date, marked as such;
    /// a URL's date likewise; the input's metadata and `--published` win over both.
    #[test]
    fn a_date_in_the_file_name_or_url_dates_an_undated_document() {
        let text = "Troops left the garrison town on Friday, a local official said.";
        let friday = |doc: &Document| doc.times.iter().find(|t| t.text == "Friday").unwrap().from;
        let pipeline = Pipeline::load(Config::default()).unwrap();
        let named = |source: &str| RawDoc {
            source: source.into(),
            ..raw(text)
        };
        // 2016-09-12 was a Monday: "Friday" is the 9th.
        let doc = pipeline
            .process(named("corpus/wire_2016-09-12_garrison.txt"))
            .unwrap();
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2016, 9, 12));
        assert_eq!(doc.published_from, Some(PublishedFrom::FileName));
        assert_eq!(friday(&doc), NaiveDate::from_ymd_opt(2016, 9, 9));
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["published_from"], "file_name");

        let doc = pipeline
            .process(RawDoc {
                url: Some("https://news.example/world/2016/09/12/garrison/".into()),
                ..named("feed.jsonl:4")
            })
            .unwrap();
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2016, 9, 12));
        assert_eq!(doc.published_from, Some(PublishedFrom::Url));

        let doc = pipeline
            .process(RawDoc {
                published: NaiveDate::from_ymd_opt(2016, 10, 1),
                ..named("wire_2016-09-12_garrison.txt")
            })
            .unwrap();
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2016, 10, 1));
        assert_eq!(doc.published_from, Some(PublishedFrom::Metadata));

        let doc = pipeline
            .with_published(NaiveDate::from_ymd_opt(2017, 1, 1))
            .process(named("wire_2016-09-12_garrison.txt"))
            .unwrap();
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2017, 1, 1));
        assert_eq!(doc.published_from, Some(PublishedFrom::Option));

        let doc = pipeline.process(named("garrison.txt")).unwrap();
        assert_eq!((doc.published, doc.published_from), (None, None));
        assert_eq!(friday(&doc), None);
    }

    #[test]
    fn pages_without_text_and_empty_inputs_are_problems() {
        let err = reading_only()
            .process(page("<nav><a href=\"/\">Home</a></nav>"))
            .unwrap_err();
        assert_eq!(err.source, "f.jsonl:2");
        assert!(err.reason.contains("HTML"), "{}", err.reason);
        let err = reading_only()
            .process(RawDoc {
                source: "g.jsonl:1".into(),
                ..RawDoc::default()
            })
            .unwrap_err();
        assert!(err.reason.contains("neither text nor HTML"));
    }
}
