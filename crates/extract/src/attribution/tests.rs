//! The attribution extractor on parses and sentences the team wrote: features on a
//! hand-written tree, quotation flags, gold tags, a tiny model trained and read back, and the
//! shipped model (`data/models/attribution.bin`) on the cases the assembly must handle.

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use sitrep_nlp::model_io::hash_str;
use sitrep_nlp::perceptron::FeatureSet;
use sitrep_nlp::{Analyzer, Nlp};

use super::doc::{Doc, ParsedWord, quote};
use super::features::token_features;
use super::gold::{GoldRelation, cue_head_tags, cue_tags, link_tags, role_tags};
use super::lexicon::Lexicon;
use super::tags::{CueTag, Link, Role};
use super::*;
use crate::claims::FindAttributions;

type Word = ParsedWord<'static>;

/// "The minister said that the talks would resume ." (heads 1-based, CoNLL-U style).
const SAID: &[Word] = &[
    ("The", "the", "DET", 2, "det"),
    ("minister", "minister", "NOUN", 3, "nsubj"),
    ("said", "say", "VERB", 0, "root"),
    ("that", "that", "SCONJ", 8, "mark"),
    ("the", "the", "DET", 6, "det"),
    ("talks", "talk", "NOUN", 8, "nsubj"),
    ("would", "would", "AUX", 8, "aux"),
    ("resume", "resume", "VERB", 3, "ccomp"),
    (".", ".", "PUNCT", 3, "punct"),
];

/// Whether token `i`'s features include template `id` over `values`.
fn has_feature(doc: &Doc<'_>, i: usize, id: u32, values: &[u64]) -> bool {
    let mut all = FeatureSet::default();
    token_features(doc, i, &mut all);
    let mut one = FeatureSet::default();
    one.add(id, values);
    all.keys.contains(&one.keys[0])
}

#[test]
fn features_read_the_path_up_to_the_cue_verb() {
    let lexicon = Lexicon::shipped();
    let mut text = String::new();
    let doc = Doc::from_parsed(&mut text, &[&[SAID]], &lexicon);
    assert_eq!(doc.text, "The minister said that the talks would resume .");
    let speech = u64::from(lexicon.class("say"));
    assert_ne!(speech, 0);
    // "minister": in the nsubj of say.
    assert_eq!(doc.verb_above(1, 12), Some((2, 1)));
    assert!(has_feature(
        &doc,
        1,
        25,
        &[hash_str("nsubj"), hash_str("say")]
    ));
    assert!(!has_feature(
        &doc,
        1,
        25,
        &[hash_str("ccomp"), hash_str("say")]
    ));
    // "talks": in the nsubj of resume, which is the ccomp of say (a speech cue).
    assert_eq!(doc.verb_above(5, 12), Some((7, 5)));
    assert_eq!(doc.verb_above(7, 12), Some((2, 7)));
    assert!(has_feature(
        &doc,
        5,
        25,
        &[hash_str("nsubj"), hash_str("resume")]
    ));
    assert!(has_feature(
        &doc,
        5,
        29,
        &[hash_str("nsubj"), hash_str("ccomp"), hash_str("say")]
    ));
    assert!(has_feature(
        &doc,
        5,
        30,
        &[hash_str("nsubj"), hash_str("ccomp"), speech]
    ));
    // The cue's own lexicon class, and the subtree extents the linking reads.
    assert!(has_feature(&doc, 2, 33, &[speech]));
    assert!(!has_feature(&doc, 1, 33, &[speech]));
    assert_eq!(doc.extent(7), 3..8);
    assert_eq!(doc.extent(1), 0..2);
}

#[test]
fn quotation_flags_follow_marks_and_paragraphs() {
    let lexicon = Lexicon::shipped();
    let p1: &[Word] = &[
        ("“", "“", "PUNCT", 4, "punct"),
        ("We", "we", "PRON", 3, "nsubj"),
        ("fight", "fight", "VERB", 6, "ccomp"),
        ("”", "”", "PUNCT", 4, "punct"),
        ("he", "he", "PRON", 6, "nsubj"),
        ("said", "say", "VERB", 0, "root"),
    ];
    let p2: &[Word] = &[
        ("“", "“", "PUNCT", 3, "punct"),
        ("We", "we", "PRON", 3, "nsubj"),
        ("win", "win", "VERB", 0, "root"),
    ];
    let mut text = String::new();
    let doc = Doc::from_parsed(&mut text, &[&[p1], &[p2]], &lexicon);
    let q: Vec<u8> = doc.tokens.iter().map(|t| t.quote).collect();
    use quote::*;
    assert_eq!(q[0], INSIDE | OPEN);
    assert_eq!(q[1], INSIDE);
    assert_eq!(q[3], INSIDE | CLOSE);
    assert_eq!(q[4], 0);
    assert_eq!(doc.tokens[5].para, 0);
    assert_eq!(doc.tokens[6].para, 1);
    // The second paragraph's quote is never closed: it runs to the paragraph's end.
    assert_eq!(q[6], INSIDE | OPEN | UNCLOSED);
    assert_eq!(q[8], INSIDE | UNCLOSED);
    assert_ne!(doc.tokens[1].region, doc.tokens[7].region);
}

#[test]
fn gold_relations_become_role_and_link_tags() {
    let rel = GoldRelation {
        source: vec![0, 1],
        cue: vec![2],
        content: vec![4, 5, 6, 7],
    };
    let tags = role_tags(9, std::slice::from_ref(&rel));
    use Role::*;
    assert_eq!(
        tags,
        [
            BeginSource,
            InSource,
            BeginCue,
            Out,
            BeginContent,
            InContent,
            InContent,
            InContent,
            Out
        ]
    );
    // The cue model learns only the cue tags.
    let cues = cue_tags(9, std::slice::from_ref(&rel));
    assert_eq!(cues, [Out, Out, BeginCue, Out, Out, Out, Out, Out, Out]);
    let links = link_tags(1..9, &rel);
    assert_eq!(links[0], Link::Source);
    assert_eq!(links[1], Link::Out);
    assert_eq!(links[3], Link::Content);
    assert_eq!(links[7], Link::Out);
}

/// A model trained on three written documents finds their relation again, and its file
/// reads back to the same model.
#[test]
fn a_tiny_model_learns_and_round_trips() {
    let lexicon = Lexicon::shipped();
    let mut texts = [String::new(), String::new(), String::new()];
    let [a, b, c] = &mut texts;
    let gold = GoldRelation {
        source: vec![0, 1],
        cue: vec![2],
        content: vec![3, 4, 5, 6, 7],
    };
    let mut docs: Vec<TrainingDoc<'_>> = [a, b, c]
        .into_iter()
        .map(|t| TrainingDoc {
            doc: Doc::from_parsed(t, &[&[SAID]], &lexicon),
            gold: vec![gold.clone()],
        })
        .collect();
    let opts = TrainOptions {
        epochs: 8,
        prune: 0.0,
        ..TrainOptions::default()
    };
    let mut epochs = 0;
    let (model, reports) = train(&mut docs, &opts, |_, _| {
        epochs += 1;
        None
    });
    assert_eq!(epochs, 8);
    assert_eq!(reports.len(), 8);
    let found = model.find_in(&docs[0].doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].cue_tokens, [2]);
    assert_eq!(found[0].source_tokens, [0, 1]);
    assert_eq!(found[0].content_tokens, [3, 4, 5, 6, 7]);
    assert_eq!(found[0].cue_lemma, "say");
    assert_eq!(found[0].source_head, Some(1));
    assert!((0.0..=1.0).contains(&found[0].confidence));
    let back = Attributions::from_bytes(&model.to_bytes()).expect("reads back");
    assert_eq!(back, model);
    assert_eq!(back.find_in(&docs[0].doc), found);
    // A damaged file is an error, not a panic.
    let bytes = model.to_bytes();
    assert!(Attributions::from_bytes(&bytes[..bytes.len() / 2]).is_err());
}

fn models() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/models")
}

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| {
    let nlp = Nlp::load(&models()).expect("shipped NLP models load");
    Analyzer::new(Some(Arc::new(nlp)), None)
});

static SHIPPED: LazyLock<Attributions> =
    LazyLock::new(|| Attributions::load(&models()).expect("shipped attribution model loads"));

/// The relations the shipped model finds, as (source, cue, content) texts.
fn relations(text: &str) -> Vec<(Option<String>, String, String)> {
    let analysis = ANALYZER.analyse(text);
    SHIPPED
        .find_relations(text, &analysis)
        .iter()
        .map(|f| {
            let join = |pieces: &[std::ops::Range<usize>]| -> String {
                pieces
                    .iter()
                    .map(|p| &text[p.clone()])
                    .collect::<Vec<_>>()
                    .join(" … ")
            };
            (
                f.source.as_deref().map(join),
                join(&f.cue),
                join(&f.content),
            )
        })
        .collect()
}

/// The one relation whose cue contains `cue`.
fn with_cue(text: &str, cue: &str) -> (Option<String>, String, String) {
    let found = relations(text);
    let mut hits = found.iter().filter(|r| r.1.contains(cue));
    let hit = hits
        .next()
        .unwrap_or_else(|| panic!("no cue {cue:?} in {found:?}"));
    assert!(hits.next().is_none(), "{found:?}");
    hit.clone()
}

#[test]
fn the_shipped_model_finds_the_obvious_relation() {
    let text = "The minister said on Monday that the talks would resume.";
    let (source, cue, content) = with_cue(text, "said");
    assert_eq!(source.as_deref(), Some("The minister"));
    assert_eq!(cue, "said");
    assert!(content.contains("the talks would resume"), "{content}");
    assert!(!content.contains("minister"), "{content}");
}

#[test]
fn a_cue_after_its_content() {
    let text = "The talks will resume next week, the officer said.";
    let (source, _, content) = with_cue(text, "said");
    assert_eq!(source.as_deref(), Some("the officer"));
    assert!(
        content.starts_with("The talks will resume next week"),
        "{content}"
    );
    assert!(!content.contains("officer"), "{content}");
}

#[test]
fn according_to() {
    let text = "According to the ministry, the border was closed overnight.";
    let (source, cue, content) = with_cue(text, "ccording");
    assert_eq!(cue, "According to");
    assert_eq!(source.as_deref(), Some("the ministry"));
    assert!(
        content.contains("the border was closed overnight"),
        "{content}"
    );
}

#[test]
fn told_someone_that() {
    let text = "The general told reporters that the troops had withdrawn from the town.";
    let (source, cue, content) = with_cue(text, "told");
    assert_eq!(source.as_deref(), Some("The general"));
    assert!(cue.starts_with("told"), "{cue}");
    assert!(
        content.contains("the troops had withdrawn from the town"),
        "{content}"
    );
    assert!(!content.contains("general"), "{content}");
}

#[test]
fn coordinated_sources() {
    let text = "The mayor and the governor said the roads would reopen on Friday.";
    let (source, _, content) = with_cue(text, "said");
    assert_eq!(source.as_deref(), Some("The mayor and the governor"));
    assert!(content.contains("the roads would reopen"), "{content}");
}

#[test]
fn a_quote_over_two_sentences() {
    let text = "“We will not leave. We will stay here until the end,” the protesters said.";
    let (source, _, content) = with_cue(text, "said");
    assert_eq!(source.as_deref(), Some("the protesters"));
    assert!(content.contains("We will not leave."), "{content}");
    assert!(content.contains("until the end"), "{content}");
}

/// Through the claims layer's trait: one source span, the cue's hull, the content's pieces.
#[test]
fn the_claims_layer_sees_byte_spans() {
    let text = "The minister said on Monday that the talks would resume.";
    let analysis = ANALYZER.analyse(text);
    let found = FindAttributions::find(&*SHIPPED, text, &analysis);
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!(f.source.clone().map(|s| &text[s]), Some("The minister"));
    assert_eq!(&text[f.cue.clone()], "said");
    assert!(!f.content.is_empty());
    let content: Vec<&str> = f.content.iter().map(|p| &text[p.clone()]).collect();
    assert_eq!(content, ["that the talks would resume"]);
    assert!(f.why.contains("cue “said”"), "{}", f.why);
    assert!((0.0..=1.0).contains(&f.confidence));
}

/// "The minister has repeatedly said that ...": the cue piece is tagged around its head
/// ("said"), and its spans decode back from the tags.
#[test]
fn a_cue_is_tagged_around_its_head() {
    const HAS_SAID: &[Word] = &[
        ("The", "the", "DET", 2, "det"),
        ("minister", "minister", "NOUN", 5, "nsubj"),
        ("has", "have", "AUX", 5, "aux"),
        ("repeatedly", "repeatedly", "ADV", 5, "advmod"),
        ("said", "say", "VERB", 0, "root"),
        ("so", "so", "ADV", 5, "advmod"),
        (".", ".", "PUNCT", 5, "punct"),
    ];
    let lexicon = Lexicon::shipped();
    let mut text = String::new();
    let doc = Doc::from_parsed(&mut text, &[&[HAS_SAID]], &lexicon);
    let rel = GoldRelation {
        source: vec![0, 1],
        cue: vec![2, 3, 4],
        content: vec![5],
    };
    let tags = cue_head_tags(&doc, std::slice::from_ref(&rel));
    use CueTag::*;
    assert_eq!(tags, [Out, Out, Pre, Pre, Head, Out, Out]);
    let path: Vec<u8> = tags.iter().map(|&t| t as u8).collect();
    assert_eq!(super::find::cue_spans(&path), [vec![2, 3, 4]]);
    // Two adjacent cues: a head followed by a new piece's head.
    assert_eq!(
        super::find::cue_spans(&[0, 2, 3, 2, 0, 1, 2]),
        [vec![1, 2], vec![3], vec![5, 6]]
    );
}

/// The lexicon reads WordNet classes (through its include line) and training cue rates;
/// a frequent unlisted cue gets the "attested" class.
#[test]
fn the_lexicon_reads_senses_and_rates() {
    let lexicon = Lexicon::shipped();
    let communication = 1 + super::lexicon::SEMANTIC_CLASSES
        .iter()
        .position(|&c| c == "verb.communication")
        .unwrap() as u8;
    assert_eq!(lexicon.senses("say", "VERB")[0], communication);
    assert_eq!(lexicon.senses("say", "ADJ"), [0, 0, 0]);
    assert_ne!(lexicon.senses("statement", "NOUN")[0], 0);
    let tsv = format!("{}endorse\t@3\nsay\t@4\n", super::lexicon::default_tsv());
    let lexicon = Lexicon::parse(&tsv).unwrap();
    assert_eq!(lexicon.rate("endorse"), 3);
    assert_eq!(lexicon.class("endorse"), super::lexicon::ATTESTED);
    // A listed word keeps its class.
    assert_eq!(Lexicon::class_name(lexicon.class("say")), "speech");
    assert!(Lexicon::parse("x\t@9").is_err());
}
