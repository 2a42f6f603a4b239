//! Named-entity recognition: persons, organisations, places, nationality/religious/political
//! groups and other names over tokenised sentences.
//!
//! Design:
//! * **Model** — a greedy left-to-right BIO tagger on the crate's averaged perceptron
//!   ([`crate::perceptron`]). Each word gets the class (`O`, `B-PER`, `I-PER`, ...) with the
//!   best score among those the BIO scheme allows after the previous decision, so output
//!   spans are always well formed. Greedy decoding with the previous two decisions as
//!   features is as accurate as Viterbi decoding for NER (Ratinov & Roth 2009) at a fraction
//!   of the cost.
//! * **Two stages** (stacking): a second greedy pass sees the first pass's decisions on both
//!   sides of each word and at both ends of its name chunk, which a left-to-right decoder
//!   otherwise cannot. The second stage learns from first-stage decisions made by models
//!   that had not seen those sentences (jackknifing by document), so it learns how far the
//!   first stage can be trusted on new text. Sentence-only features are computed once and
//!   shared by both passes.
//! * **Features** — the word, its lower-case form, prefixes and suffixes, character shape,
//!   capitalisation class, sentence-initial flag, words and shapes at ±2, the previous
//!   decisions and their conjunctions; **gazetteer** features from a [`PhraseIndex`] (for
//!   each list — countries, nationalities, places, Phoenix persons, organisations, companies
//!   and armed groups, given names, surnames, organisation/place keywords, titles — whether
//!   the word begins, continues, ends or alone forms a listed name of up to six words, with
//!   the word's capitalisation); **name chunks** (the run of capitalised words a word sits
//!   in, joined across "of"/"and"/...: its length, first and last word, keyword and list
//!   flags, so that "Housing" already knows it starts "Housing Authority of New Orleans");
//!   **corpus statistics** from the UD English Web Treebank training file ([`WordStats`]:
//!   how often a word is capitalised mid-sentence and tagged PROPN there, which tells names
//!   from sentence-initial or shouted common words); **document history** ([`DocHistory`]:
//!   what earlier sentences of the document made of the word); optionally **UPOS** tags.
//! * **Training data** — the small UNER set is stretched by mention replacement: copies of
//!   each sentence with its entities swapped for other training mentions or gazetteer names
//!   of the same type, re-cased like the original, so the weights lean on context and
//!   capitalisation rather than on memorised names.
//! * **Labels** — PER, ORG, LOC, NORP and MISC internally ([`EntityLabel`]). The UNER layout
//!   reads and writes PER/ORG/LOC/OTH, OTH mapping to MISC. A model trained on UNER data
//!   never predicts NORP itself (UNER EWT marks no nationality words), so [`Ner::recognise`]
//!   adds NORP spans for capitalised nationality and group words from the gazetteer that the
//!   model left outside any entity ("Russian mercenaries"): the actor coder needs them, and
//!   the UNER writer drops them unless asked to keep them.
//! * **Everything travels in one file** (`ner.bin`, kind `NER`): the label set, the phrase
//!   index and word statistics the model was trained with, and the quantised weights of both
//!   stages, so loading cannot pair weights with different lists.
//! * Training is deterministic for a given seed (seeded shuffling, sorted serialisation);
//!   [`cross_validate`] splits folds by document (`# newdoc id`), so sentences of one document
//!   never sit on both sides.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::conllu::Sentence;
use crate::gazetteer::{Category, Gazetteer, PhraseIndex, PhraseMatch, fold_word, word_key};
use crate::model_io::{ModelError, Reader, Rng, Writer, hash_str, read_file};
use crate::perceptron::{FeatureSet, LinearModel, PerceptronTrainer, argmax_valid};

// ------------------------------------------------------------------------------------------
// Labels and spans

/// Entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityLabel {
    Per,
    Org,
    Loc,
    /// Nationalities, religious and political groups.
    Norp,
    /// Other names (UNER's OTH).
    Misc,
}

impl EntityLabel {
    pub const ALL: [EntityLabel; 5] = [
        EntityLabel::Per,
        EntityLabel::Org,
        EntityLabel::Loc,
        EntityLabel::Norp,
        EntityLabel::Misc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::Per => "PER",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Norp => "NORP",
            EntityLabel::Misc => "MISC",
        }
    }

    /// Parses a type name; UNER's `OTH` reads as MISC, OntoNotes-style `GPE` as LOC and
    /// `PERSON` as PER.
    pub fn parse(s: &str) -> Option<EntityLabel> {
        Some(match s {
            "PER" | "PERSON" => EntityLabel::Per,
            "ORG" => EntityLabel::Org,
            "LOC" | "GPE" => EntityLabel::Loc,
            "NORP" => EntityLabel::Norp,
            "MISC" | "OTH" => EntityLabel::Misc,
            _ => return None,
        })
    }

    /// The type in the UNER tag set (PER, ORG, LOC, OTH).
    pub fn uner(self) -> &'static str {
        match self {
            EntityLabel::Per => "PER",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Norp | EntityLabel::Misc => "OTH",
        }
    }
}

/// A recognised entity: words `start_word..end_word` (end exclusive) of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntitySpan {
    pub start_word: usize,
    pub end_word: usize,
    pub label: EntityLabel,
}

/// Spans of a BIO tag sequence, read the way conlleval reads them: an entity starts at `B-X`,
/// or at `I-X` after a tag that is not `B-X`/`I-X`, and runs over the following `I-X`.
/// Tags whose type is not an [`EntityLabel`] are skipped.
pub fn spans_from_tags<S: AsRef<str>>(tags: &[S]) -> Vec<EntitySpan> {
    typed_spans(tags)
        .into_iter()
        .filter_map(|(s, e, t)| {
            EntityLabel::parse(t).map(|label| EntitySpan {
                start_word: s,
                end_word: e,
                label,
            })
        })
        .collect()
}

/// conlleval chunking with the raw type strings (so that a scorer can report any type).
fn typed_spans<S: AsRef<str>>(tags: &[S]) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let tag = tag.as_ref();
        let (prefix, ty) = match tag.split_once('-') {
            Some((p, t)) if p == "B" || p == "I" || p == "E" || p == "S" => (p, t),
            _ => ("O", ""),
        };
        let continues = prefix == "I" && open.is_some_and(|(_, t)| t == ty);
        if !continues && let Some((s, t)) = open.take() {
            out.push((s, i, t));
        }
        if prefix != "O" && !continues {
            open = Some((i, ty));
        }
    }
    if let Some((s, t)) = open {
        out.push((s, tags.len(), t));
    }
    out
}

/// BIO tags for `n` words from spans (later spans never overwrite earlier ones).
pub fn tags_from_spans(n: usize, spans: &[EntitySpan], uner: bool) -> Vec<String> {
    let mut tags = vec!["O".to_string(); n];
    let mut taken = vec![false; n];
    for s in spans {
        let end = s.end_word.min(n);
        if s.start_word >= end || taken[s.start_word..end].iter().any(|&t| t) {
            continue;
        }
        let ty = if uner {
            s.label.uner()
        } else {
            s.label.as_str()
        };
        for (i, tag) in tags.iter_mut().enumerate().take(end).skip(s.start_word) {
            *tag = format!("{}-{ty}", if i == s.start_word { "B" } else { "I" });
            taken[i] = true;
        }
    }
    tags
}

// ------------------------------------------------------------------------------------------
// IOB2 files

/// Errors of the NER file and model functions.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    // The I/O error is part of the message rather than a `source`, so that error chains
    // do not print it twice.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("IOB2 line {line}: {message}")]
    Format { line: usize, message: String },
    #[error("gold and predicted files differ: {0}")]
    Mismatch(String),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Gazetteer(#[from] crate::gazetteer::GazetteerError),
    #[error(transparent)]
    Conllu(#[from] crate::conllu::ConlluError),
    #[error("no sentences in {0}")]
    Empty(String),
}

/// One sentence of an IOB2 file (the UNER layout: `index TAB word TAB tag TAB - TAB -`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IobSentence {
    /// Comment lines without the leading `# `.
    pub comments: Vec<String>,
    pub words: Vec<String>,
    /// BIO tags (`O`, `B-PER`, ...), one per word.
    pub tags: Vec<String>,
    /// The columns after the tag, kept for round trips (`-\t-`, or an annotator name).
    pub extra: Vec<String>,
    /// Optional UPOS tags (filled by a tagger before training or recognition; empty if none).
    pub upos: Vec<String>,
}

impl IobSentence {
    /// A sentence of words with every tag `O`.
    pub fn from_words<S: AsRef<str>>(words: &[S]) -> IobSentence {
        IobSentence {
            words: words.iter().map(|w| w.as_ref().to_string()).collect(),
            tags: vec!["O".to_string(); words.len()],
            ..IobSentence::default()
        }
    }

    /// The value of a `# key = value` comment.
    pub fn comment_value(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }

    pub fn spans(&self) -> Vec<EntitySpan> {
        spans_from_tags(&self.tags)
    }

    pub fn word_refs(&self) -> Vec<&str> {
        self.words.iter().map(String::as_str).collect()
    }
}

/// Parses IOB2 text: `#` comment lines, one word per line (`index TAB word TAB tag [TAB
/// ...]`), a blank line after each sentence.
pub fn parse_iob2(text: &str) -> Result<Vec<IobSentence>, NerError> {
    let mut out = Vec::new();
    let mut cur = IobSentence::default();
    let flush = |cur: &mut IobSentence, out: &mut Vec<IobSentence>| {
        if !cur.words.is_empty() {
            out.push(std::mem::take(cur));
        } else if !cur.comments.is_empty() {
            // Comments with no words (a trailing `# newdoc`) belong to the next sentence.
        }
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut cur, &mut out);
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            if !cur.words.is_empty() {
                flush(&mut cur, &mut out);
            }
            cur.comments
                .push(c.strip_prefix(' ').unwrap_or(c).to_string());
            continue;
        }
        let cols: Vec<&str> = line.splitn(4, '\t').collect();
        if cols.len() < 3 {
            return Err(NerError::Format {
                line: i + 1,
                message: "expected index, word and tag separated by tabs".into(),
            });
        }
        let tag = cols[2].trim();
        if tag != "O" && !(tag.starts_with("B-") || tag.starts_with("I-")) {
            return Err(NerError::Format {
                line: i + 1,
                message: format!("tag {tag:?} is not O, B-X or I-X"),
            });
        }
        cur.words.push(cols[1].to_string());
        cur.tags.push(tag.to_string());
        cur.extra.push(cols.get(3).unwrap_or(&"-\t-").to_string());
    }
    flush(&mut cur, &mut out);
    Ok(out)
}

/// Reads an IOB2 file.
pub fn read_iob2_file(path: &Path) -> Result<Vec<IobSentence>, NerError> {
    let text = crate::conllu::read_text(path).map_err(|error| NerError::Io {
        path: path.display().to_string(),
        error,
    })?;
    parse_iob2(&text)
}

/// Writes sentences in the IOB2 layout [`parse_iob2`] reads.
pub fn write_iob2(sentences: &[IobSentence]) -> String {
    let mut out = String::new();
    for s in sentences {
        for c in &s.comments {
            let _ = writeln!(out, "# {c}");
        }
        for (i, (w, t)) in s.words.iter().zip(&s.tags).enumerate() {
            let extra = s.extra.get(i).map_or("-\t-", String::as_str);
            let _ = writeln!(out, "{}\t{w}\t{t}\t{extra}", i + 1);
        }
        out.push('\n');
    }
    out
}

/// Whether a sentence opens a document (it carries a `# newdoc` comment).
pub fn starts_document(s: &IobSentence) -> bool {
    s.comments.iter().any(|c| c.starts_with("newdoc"))
}

/// Groups sentences into documents: a `# newdoc` comment starts a new one.
pub fn documents(sentences: &[IobSentence]) -> Vec<std::ops::Range<usize>> {
    let mut docs = Vec::new();
    let mut start = 0;
    for (i, s) in sentences.iter().enumerate() {
        if starts_document(s) && i > start {
            docs.push(start..i);
            start = i;
        }
    }
    if start < sentences.len() {
        docs.push(start..sentences.len());
    }
    docs
}

// ------------------------------------------------------------------------------------------
// Scoring

/// Precision, recall and F1 (fractions in 0..=1) with the counts behind them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn from_counts(gold: usize, predicted: usize, correct: usize) -> Prf {
        let precision = if predicted == 0 {
            0.0
        } else {
            correct as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            correct as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            gold,
            predicted,
            correct,
            precision,
            recall,
            f1,
        }
    }
}

/// Entity-level exact-match scores (conlleval), overall and per type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NerScores {
    pub overall: Prf,
    /// Keyed by the type string of the files (`PER`, `ORG`, `LOC`, `OTH`, ...).
    pub per_type: BTreeMap<String, Prf>,
}

impl std::fmt::Display for NerScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let line = |f: &mut std::fmt::Formatter<'_>, name: &str, p: &Prf| {
            writeln!(
                f,
                "{name:<8} P {:6.2}  R {:6.2}  F1 {:6.2}  (gold {}, predicted {}, correct {})",
                p.precision * 100.0,
                p.recall * 100.0,
                p.f1 * 100.0,
                p.gold,
                p.predicted,
                p.correct
            )
        };
        line(f, "overall", &self.overall)?;
        for (t, p) in &self.per_type {
            line(f, t, p)?;
        }
        Ok(())
    }
}

/// Scores predicted tags against gold tags, sentence by sentence: an entity counts as correct
/// only if its start, end and type all match (a partial overlap is a miss and a false alarm).
pub fn eval_ner(gold: &[IobSentence], pred: &[IobSentence]) -> Result<NerScores, NerError> {
    if gold.len() != pred.len() {
        return Err(NerError::Mismatch(format!(
            "{} gold sentences, {} predicted",
            gold.len(),
            pred.len()
        )));
    }
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for (i, (g, p)) in gold.iter().zip(pred).enumerate() {
        if g.tags.len() != p.tags.len() {
            return Err(NerError::Mismatch(format!(
                "sentence {} has {} gold words and {} predicted",
                i + 1,
                g.tags.len(),
                p.tags.len()
            )));
        }
        score_tags(&g.tags, &p.tags, &mut counts);
    }
    Ok(scores_from_counts(&counts))
}

fn score_tags<S: AsRef<str>>(
    gold: &[S],
    pred: &[S],
    counts: &mut BTreeMap<String, (usize, usize, usize)>,
) {
    let g = typed_spans(gold);
    let p = typed_spans(pred);
    for (_, _, t) in &g {
        counts.entry(t.to_string()).or_default().0 += 1;
    }
    for span in &p {
        let c = counts.entry(span.2.to_string()).or_default();
        c.1 += 1;
        if g.contains(span) {
            c.2 += 1;
        }
    }
}

fn scores_from_counts(counts: &BTreeMap<String, (usize, usize, usize)>) -> NerScores {
    let (mut g, mut p, mut c) = (0, 0, 0);
    let mut per_type = BTreeMap::new();
    for (t, &(tg, tp, tc)) in counts {
        g += tg;
        p += tp;
        c += tc;
        per_type.insert(t.clone(), Prf::from_counts(tg, tp, tc));
    }
    NerScores {
        overall: Prf::from_counts(g, p, c),
        per_type,
    }
}

// ------------------------------------------------------------------------------------------
// Word statistics from an unlabelled (POS-tagged) corpus

/// Per-word corpus statistics, keyed by the lower-cased word: how often it occurs, how often
/// it is capitalised when not sentence-initial, and how often it is tagged PROPN. Built from
/// a CoNLL-U treebank; only the buckets are stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordStats {
    words: FxHashMap<String, u16>,
}

fn bucket(part: usize, whole: usize) -> u16 {
    if whole == 0 {
        return 7;
    }
    let r = part as f64 / whole as f64;
    match r {
        0.0 => 0,
        r if r < 0.1 => 1,
        r if r < 0.4 => 2,
        r if r < 0.7 => 3,
        r if r < 0.95 => 4,
        r if r < 1.0 => 5,
        _ => 6,
    }
}

impl WordStats {
    /// Counts over `sentences` (gold UPOS from a treebank, or predicted tags).
    pub fn from_treebank(sentences: &[Sentence]) -> WordStats {
        let mut counts: HashMap<String, [usize; 4]> = HashMap::new();
        let mut folded = String::new();
        for s in sentences {
            for (i, w) in s.words.iter().enumerate() {
                fold_word(&w.form, &mut folded);
                let c = counts.entry(folded.clone()).or_default();
                c[0] += 1;
                if i > 0 && w.form.chars().any(char::is_alphabetic) {
                    c[1] += 1;
                    if w.form.chars().next().is_some_and(char::is_uppercase) {
                        c[2] += 1;
                    }
                }
                if w.upos == "PROPN" {
                    c[3] += 1;
                }
            }
        }
        let words = counts
            .into_iter()
            .map(|(w, [n, mid, cap, propn])| {
                let freq = (usize::BITS - n.leading_zeros()).min(15) as u16;
                (w, freq | (bucket(cap, mid) << 4) | (bucket(propn, n) << 8))
            })
            .collect();
        WordStats { words }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Packed statistics of a folded word (0 = unseen).
    fn get(&self, folded: &str) -> u16 {
        self.words.get(folded).copied().unwrap_or(0)
    }

    fn write(&self, w: &mut Writer) {
        let mut words: Vec<(&String, &u16)> = self.words.iter().collect();
        words.sort();
        w.u32(words.len() as u32);
        for (word, &v) in words {
            w.str(word);
            w.u16(v);
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<WordStats, ModelError> {
        let n = r.u32()? as usize;
        let mut words = FxHashMap::with_capacity_and_hasher(n.min(1 << 22), Default::default());
        for _ in 0..n {
            let word = r.str()?;
            words.insert(word, r.u16()?);
        }
        Ok(WordStats { words })
    }
}

/// What the recogniser consults besides the training sentences: the gazetteer phrase index
/// and corpus word statistics. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct NerResources {
    pub phrases: Arc<PhraseIndex>,
    pub words: Arc<WordStats>,
    /// Gazetteer names by type for mention replacement (training only; not saved).
    pub names: Arc<NamePools>,
}

/// Names to swap into training sentences (see [`NerOptions::augment`]).
#[derive(Debug, Clone, Default)]
pub struct NamePools {
    pub given: Vec<String>,
    pub surnames: Vec<String>,
    pub places: Vec<Vec<String>>,
    pub organisations: Vec<Vec<String>>,
}

/// "NEW YORK TIMES" → "New York Times" (function words stay lower case inside a name).
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if i > 0
            && matches!(
                lower.as_str(),
                "of" | "the" | "and" | "for" | "in" | "on" | "de"
            )
        {
            out.push_str(&lower);
            continue;
        }
        let mut chars = lower.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

fn words_of(name: &str) -> Vec<String> {
    crate::tokenize::tokenize(name, 0..name.len())
        .into_iter()
        .map(|r| name[r].to_string())
        .collect()
}

impl NamePools {
    pub fn from_gazetteer(g: &Gazetteer) -> NamePools {
        let short = |n: &&str| !n.is_empty() && n.split(' ').count() <= 4;
        NamePools {
            given: g.names(Category::GivenName).map(String::from).collect(),
            surnames: g.names(Category::Surname).map(String::from).collect(),
            places: g
                .names(Category::City)
                .chain(g.names(Category::Country))
                .chain(g.names(Category::Region))
                .filter(short)
                .map(words_of)
                .collect(),
            organisations: g
                .names(Category::Org)
                .chain(g.names(Category::Company))
                .filter(short)
                .map(|n| words_of(&title_case(n)))
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.given.is_empty() || self.surnames.is_empty()
    }

    /// A random name of type `t`, or `None` when the pools have none of that type.
    fn pick(&self, t: &str, rng: &mut Rng) -> Option<Vec<String>> {
        match t {
            "PER" if !self.is_empty() => {
                let given = &self.given[rng.below(self.given.len())];
                let surname = &self.surnames[rng.below(self.surnames.len())];
                Some(match rng.below(4) {
                    0 => vec![surname.clone()],
                    1 => vec![given.clone()],
                    _ => vec![given.clone(), surname.clone()],
                })
            }
            "LOC" if !self.places.is_empty() => {
                Some(self.places[rng.below(self.places.len())].clone())
            }
            "ORG" if !self.organisations.is_empty() => {
                Some(self.organisations[rng.below(self.organisations.len())].clone())
            }
            _ => None,
        }
    }
}

/// Re-cases a replacement name like the mention it replaces (web text writes names in
/// lower case or capitals too).
fn match_case(name: &mut [String], like: &[String]) {
    let has_letters = |w: &String| w.chars().any(char::is_alphabetic);
    let all_lower = like
        .iter()
        .filter(|w| has_letters(w))
        .all(|w| !w.chars().any(char::is_uppercase));
    let all_upper = like
        .iter()
        .filter(|w| has_letters(w))
        .all(|w| !w.chars().any(char::is_lowercase))
        && like.iter().map(|w| w.chars().count()).sum::<usize>() > 3;
    for w in name.iter_mut() {
        if all_lower {
            *w = w.to_lowercase();
        } else if all_upper {
            *w = w.to_uppercase();
        }
    }
}

impl NerResources {
    pub fn new(gazetteer: &Gazetteer, treebank: &[Sentence]) -> NerResources {
        NerResources {
            phrases: Arc::new(gazetteer.phrase_index()),
            words: Arc::new(WordStats::from_treebank(treebank)),
            names: Arc::new(NamePools::from_gazetteer(gazetteer)),
        }
    }
}

// ------------------------------------------------------------------------------------------
// Features

/// Capitalisation classes.
const CAP_LOWER: u64 = 0;
const CAP_INITIAL: u64 = 1;
const CAP_ALL: u64 = 2;
const CAP_MIXED: u64 = 3;
const CAP_NONE: u64 = 4;

/// Gazetteer match positions.
const POS_BEGIN: usize = 0;
const POS_INSIDE: usize = 1;
const POS_END: usize = 2;
const POS_SINGLE: usize = 3;

/// Per-word values the templates combine, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
struct TokenInfo {
    form: u64,
    lower: u64,
    prefix: [u64; 3],
    suffix: [u64; 4],
    shape: u64,
    cap: u64,
    /// Categories (bit masks) by position in the longest listed name covering the word.
    gaz: [u32; 4],
    stats: u16,
    upos: u64,
    first: bool,
    /// The capitalised run ("name chunk") the word belongs to, if any: see [`name_chunks`].
    chunk: Chunk,
    /// What earlier sentences of the document made of this word (see [`DocHistory`]).
    hist: u8,
}

/// Entity types predicted so far for each word of a document ("extended prediction
/// history", Ratinov & Roth 2009): a name tagged ORG in one sentence is likely ORG when it
/// comes back in a context that says less. Reset it between documents.
#[derive(Debug, Clone, Default)]
pub struct DocHistory {
    /// Word key → counts of `O` and of each [`EntityLabel`] (in `ALL` order).
    seen: HashMap<u64, [u16; 6]>,
}

impl DocHistory {
    pub fn new() -> DocHistory {
        DocHistory::default()
    }

    /// Forgets everything (call at the start of each document).
    pub fn clear(&mut self) {
        self.seen.clear();
    }

    /// 0 = unseen; 1 = only ever outside entities; else 2 + the majority type, plus 8 when
    /// the word was also seen outside entities.
    fn hint(&self, key: u64) -> u8 {
        let Some(c) = self.seen.get(&key) else {
            return 0;
        };
        let (best, &n) = c[1..]
            .iter()
            .enumerate()
            .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))
            .unwrap();
        if n == 0 {
            1
        } else {
            2 + best as u8 + if c[0] > 0 { 8 } else { 0 }
        }
    }

    fn record(&mut self, keys: &[u64], info: &[TokenInfo], types: impl Iterator<Item = usize>) {
        for ((&k, t), ty) in keys.iter().zip(info).zip(types) {
            if t.cap == CAP_NONE {
                continue;
            }
            let c = self.seen.entry(k).or_default();
            c[ty] = c[ty].saturating_add(1);
        }
    }
}

/// A maximal run of capitalised words, joined across lower-case connectors ("Housing
/// Authority of New Orleans"): the candidate name a word sits in, seen as a whole so that the
/// left-to-right decoder knows at the first word how the name ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Chunk {
    /// 0 = not in a chunk; else 1 + position (begin, inside, end, single).
    pos: u8,
    /// Length bucket (1, 2, 3, 4+).
    len: u8,
    /// `CHUNK_*` flags.
    flags: u16,
    /// Lists that name the whole chunk exactly.
    gaz: u32,
    /// Lower-case first and last words of the chunk.
    first_word: u64,
    last_word: u64,
    /// Word range of the chunk in the sentence.
    start: u16,
    end: u16,
}

const CHUNK_LAST_ORG_KEYWORD: u16 = 1;
const CHUNK_ORG_KEYWORD: u16 = 2;
const CHUNK_LAST_LOC_KEYWORD: u16 = 4;
const CHUNK_TITLE_FIRST: u16 = 8;
const CHUNK_GIVEN_FIRST: u16 = 16;
const CHUNK_SURNAME_LAST: u16 = 32;
const CHUNK_PLACE_INSIDE: u16 = 64;
const CHUNK_ALL_CAPS: u16 = 128;
const CHUNK_SENTENCE_START: u16 = 256;
const CHUNK_CONNECTOR: u16 = 512;

const PAD_START: TokenInfo = TokenInfo {
    form: 0x0053_5441_5254,
    lower: 0x0053_5441_5254,
    prefix: [1, 2, 3],
    suffix: [1, 2, 3, 4],
    shape: 0x5354,
    cap: 9,
    gaz: [0; 4],
    stats: 0xfff0,
    upos: 0x5354,
    first: false,
    chunk: Chunk {
        pos: 9,
        len: 0,
        flags: 0,
        gaz: 0,
        first_word: 0,
        last_word: 0,
        start: 0,
        end: 0,
    },
    hist: 0,
};
const PAD_END: TokenInfo = TokenInfo {
    form: 0x0045_4e44,
    lower: 0x0045_4e44,
    prefix: [5, 6, 7],
    suffix: [5, 6, 7, 8],
    shape: 0x454e,
    cap: 10,
    gaz: [0; 4],
    stats: 0xfff1,
    upos: 0x454e,
    first: false,
    chunk: Chunk {
        pos: 10,
        len: 0,
        flags: 0,
        gaz: 0,
        first_word: 0,
        last_word: 0,
        start: 0,
        end: 0,
    },
    hist: 0,
};

fn cap_class(word: &str) -> u64 {
    let mut letters = 0;
    let mut upper = 0;
    let mut first_upper = false;
    for (i, c) in word.chars().enumerate() {
        if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
                if i == 0 {
                    first_upper = true;
                }
            }
        }
    }
    if letters == 0 {
        CAP_NONE
    } else if upper == 0 {
        CAP_LOWER
    } else if upper == letters && letters > 1 {
        CAP_ALL
    } else if first_upper && upper == 1 {
        CAP_INITIAL
    } else {
        CAP_MIXED
    }
}

/// Collapsed character-class shape: `Iraq` → `Xx`, `U.S.` → `X.X.`, `1990s` → `dx`.
fn shape(word: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if k != last {
            out.push(k);
            last = k;
        }
    }
}

/// Scratch buffers for one sentence.
#[derive(Debug, Default)]
pub struct NerWorkspace {
    info: Vec<TokenInfo>,
    keys: Vec<u64>,
    matches: Vec<PhraseMatch>,
    assigned: Vec<u32>,
    feats: FeatureSet,
    scores: Vec<i32>,
    classes: Vec<u8>,
    stack: Vec<u64>,
    word_keys: Vec<u32>,
    word_offsets: Vec<usize>,
    folded: String,
    buf: String,
}

fn token_infos(
    words: &[&str],
    upos: Option<&[&str]>,
    phrases: &PhraseIndex,
    stats: &WordStats,
    ws: &mut NerWorkspace,
) {
    ws.info.clear();
    ws.keys.clear();
    for (i, w) in words.iter().enumerate() {
        fold_word(w, &mut ws.folded);
        let lower = word_key(&ws.folded);
        ws.keys.push(lower);
        let mut prefix = [0u64; 3];
        let mut suffix = [0u64; 4];
        let chars = ws.folded.chars().count();
        for k in 1..=4usize {
            let n = k.min(chars);
            if k <= 3 {
                let end = ws
                    .folded
                    .char_indices()
                    .nth(n)
                    .map_or(ws.folded.len(), |(b, _)| b);
                prefix[k - 1] = hash_str(&ws.folded[..end]) ^ k as u64;
            }
            let start = ws
                .folded
                .char_indices()
                .nth(chars - n)
                .map_or(ws.folded.len(), |(b, _)| b);
            suffix[k - 1] = hash_str(&ws.folded[start..]) ^ ((k as u64) << 8);
        }
        shape(w, &mut ws.buf);
        ws.info.push(TokenInfo {
            form: hash_str(w),
            lower,
            prefix,
            suffix,
            shape: hash_str(&ws.buf),
            cap: cap_class(w),
            gaz: [0; 4],
            stats: stats.get(&ws.folded),
            upos: upos.and_then(|u| u.get(i)).map_or(0, |u| hash_str(u)),
            first: i == 0,
            chunk: Chunk::default(),
            hist: 0,
        });
    }
    // Longest listed name per category covering each word.
    phrases.find_all(&ws.keys, &mut ws.matches);
    ws.matches
        .sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start));
    ws.assigned.clear();
    ws.assigned.resize(words.len(), 0);
    for m in &ws.matches {
        for t in m.start..m.end {
            let new = m.categories & !ws.assigned[t];
            if new == 0 {
                continue;
            }
            ws.assigned[t] |= new;
            let pos = if m.end - m.start == 1 {
                POS_SINGLE
            } else if t == m.start {
                POS_BEGIN
            } else if t + 1 == m.end {
                POS_END
            } else {
                POS_INSIDE
            };
            ws.info[t].gaz[pos] |= new;
        }
    }
    name_chunks(words, phrases, ws);
}

fn is_connector(folded_key: u64) -> bool {
    static CONNECTORS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
        [
            "of", "and", "for", "the", "de", "del", "la", "von", "van", "&", "on", "upon",
        ]
        .iter()
        .map(|w| word_key(w))
        .collect()
    });
    CONNECTORS.contains(&folded_key)
}

/// Fills `TokenInfo::chunk` (see [`Chunk`]).
fn name_chunks(words: &[&str], phrases: &PhraseIndex, ws: &mut NerWorkspace) {
    let n = words.len();
    let capital =
        |i: usize, info: &[TokenInfo]| matches!(info[i].cap, CAP_INITIAL | CAP_ALL | CAP_MIXED);
    let mut i = 0;
    while i < n {
        if !capital(i, &ws.info) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut connector = false;
        loop {
            if end < n && capital(end, &ws.info) {
                end += 1;
            } else if end + 1 < n && is_connector(ws.keys[end]) && capital(end + 1, &ws.info) {
                end += 2;
                connector = true;
            } else {
                break;
            }
        }
        // Whether word `t` is covered by a name of the lists in `mask`.
        let listed = |mask: u32, t: usize| ws.assigned[t] & mask != 0;
        let org = Category::OrgKeyword.bit();
        let mut flags = 0;
        if listed(org, end - 1) {
            flags |= CHUNK_LAST_ORG_KEYWORD;
        }
        if (start..end).any(|t| listed(org, t)) {
            flags |= CHUNK_ORG_KEYWORD;
        }
        if listed(Category::LocKeyword.bit(), end - 1) {
            flags |= CHUNK_LAST_LOC_KEYWORD;
        }
        if listed(Category::PersonTitle.bit(), start) {
            flags |= CHUNK_TITLE_FIRST;
        }
        if listed(Category::GivenName.bit(), start) {
            flags |= CHUNK_GIVEN_FIRST;
        }
        if end - start > 1 && listed(Category::Surname.bit(), end - 1) {
            flags |= CHUNK_SURNAME_LAST;
        }
        let place = Category::City.bit() | Category::Country.bit() | Category::Region.bit();
        if (start..end).any(|t| listed(place, t)) {
            flags |= CHUNK_PLACE_INSIDE;
        }
        if (start..end).all(|t| ws.info[t].cap == CAP_ALL || !capital(t, &ws.info)) {
            flags |= CHUNK_ALL_CAPS;
        }
        if start == 0 {
            flags |= CHUNK_SENTENCE_START;
        }
        if connector {
            flags |= CHUNK_CONNECTOR;
        }
        let chunk = Chunk {
            pos: 0,
            len: (end - start).min(4) as u8,
            flags,
            gaz: phrases.lookup(&ws.keys[start..end]),
            first_word: ws.keys[start],
            last_word: ws.keys[end - 1],
            start: start.min(usize::from(u16::MAX)) as u16,
            end: end.min(usize::from(u16::MAX)) as u16,
        };
        for t in start..end {
            let pos = if end - start == 1 {
                POS_SINGLE
            } else if t == start {
                POS_BEGIN
            } else if t + 1 == end {
                POS_END
            } else {
                POS_INSIDE
            };
            ws.info[t].chunk = Chunk {
                pos: pos as u8 + 1,
                ..chunk
            };
        }
        i = end;
    }
}

/// Word `j` of a sentence, or a padding word before the start and after the end.
fn window<'a>(info: &'a [TokenInfo]) -> impl Fn(isize) -> &'a TokenInfo + 'a {
    move |j: isize| -> &TokenInfo {
        if j < 0 {
            &PAD_START
        } else if j as usize >= info.len() {
            &PAD_END
        } else {
            &info[j as usize]
        }
    }
}

/// Calls `f` with each set bit index of `mask`.
#[inline]
fn for_bits(mut mask: u32, mut f: impl FnMut(u64)) {
    while mask != 0 {
        f(u64::from(mask.trailing_zeros()));
        mask &= mask - 1;
    }
}

/// All features of word `i` (cleared first): [`word_features`], [`stack_features`] when
/// `stack` is given, and [`decision_features`].
fn features(
    info: &[TokenInfo],
    i: usize,
    prev1: u64,
    prev2: u64,
    stack: Option<&[u64]>,
    f: &mut FeatureSet,
) {
    f.clear();
    word_features(info, i, f);
    if let Some(st) = stack {
        stack_features(info, i, st, f);
    }
    decision_features(info, i, prev1, prev2, stack, f);
}

/// Feature templates that depend only on the sentence (computed once per word, shared by
/// both stages). The numbers are part of the hashed keys: never reuse one.
fn word_features(info: &[TokenInfo], i: usize, f: &mut FeatureSet) {
    let at = window(info);
    let ii = i as isize;
    let w = at(ii);
    let (p1, p2, n1, n2) = (at(ii - 1), at(ii - 2), at(ii + 1), at(ii + 2));
    let first = u64::from(w.first);
    f.add1(0, 0);
    f.add1(1, w.lower);
    f.add1(2, w.form);
    for k in 0..3 {
        f.add1(3 + k as u32, w.prefix[k]);
    }
    for k in 0..4 {
        f.add1(6 + k as u32, w.suffix[k]);
    }
    f.add1(10, w.shape);
    f.add2(11, w.cap, first);
    f.add1(12, p1.lower);
    f.add1(13, p2.lower);
    f.add1(14, n1.lower);
    f.add1(15, n2.lower);
    f.add2(16, p1.lower, w.lower);
    f.add2(17, w.lower, n1.lower);
    f.add1(18, p1.shape);
    f.add1(19, n1.shape);
    f.add2(20, p1.shape, w.shape);
    f.add2(21, w.shape, n1.shape);
    f.add3(22, p1.cap, w.cap, n1.cap);
    f.add1(29, n1.suffix[2]);
    f.add1(30, p1.suffix[2]);
    // Corpus statistics: frequency, capitalisation and PROPN rates of the word, alone and
    // with the word's own capitalisation in this sentence.
    let stats = u64::from(w.stats);
    f.add1(31, stats);
    f.add3(32, stats >> 4, w.cap, first);
    f.add2(33, (stats >> 8) & 0xf, w.cap);
    f.add2(34, u64::from(n1.stats) >> 4, n1.cap);
    f.add2(35, u64::from(p1.stats) >> 4, p1.cap);
    // Gazetteer: every category at every position, alone and with capitalisation.
    for (pos, &mask) in w.gaz.iter().enumerate() {
        for_bits(mask, |c| {
            f.add2(40, c, pos as u64);
            f.add3(41, c, pos as u64, w.cap);
        });
    }
    let any = |t: &TokenInfo| t.gaz.iter().fold(0u32, |a, &b| a | b);
    f.add1(43, u64::from(any(w)));
    for_bits(any(p1), |c| f.add2(44, c, w.cap));
    for_bits(any(n1), |c| f.add2(45, c, w.cap));
    // Context words with the word's capitalisation ("X said", "in X", "Mr. X").
    f.add2(46, p1.lower, w.cap);
    f.add2(47, n1.lower, w.cap);
    f.add3(48, p2.lower, p1.lower, w.cap);
    f.add3(49, n1.lower, n2.lower, w.cap);
    // The name chunk the word sits in.
    let c = &w.chunk;
    if c.pos != 0 {
        let pos = u64::from(c.pos);
        f.add2(60, pos, u64::from(c.len));
        f.add2(61, pos, c.last_word);
        f.add2(62, pos, c.first_word);
        f.add2(64, pos, u64::from(c.gaz));
        for_bits(u32::from(c.flags), |b| f.add2(65, pos, b));
    } else {
        f.add1(67, w.cap);
    }
    // Document history.
    if w.hist != 0 {
        let h = u64::from(w.hist);
        f.add2(70, h, w.cap);
        f.add2(71, h, u64::from(c.pos));
    }
    // Part of speech, when the sentence carries tags.
    if w.upos != 0 {
        f.add1(50, w.upos);
        f.add2(51, w.upos, n1.upos);
        f.add2(52, p1.upos, w.upos);
        f.add2(53, w.upos, w.cap);
    }
}

/// The first stage's decision (class hash) at word `j` of a sentence, padded.
fn stacked_at(st: &[u64], j: isize) -> u64 {
    if j < 0 {
        NO_CLASS
    } else {
        st.get(j as usize).copied().unwrap_or(NO_CLASS ^ 1)
    }
}

/// Stacking: what the first stage decided around word `i` and at the ends of its chunk,
/// which gives the left-to-right second stage a view of the decisions to its right.
fn stack_features(info: &[TokenInfo], i: usize, st: &[u64], f: &mut FeatureSet) {
    let w = &info[i];
    let ii = i as isize;
    let (s0, sp, sn) = (
        stacked_at(st, ii),
        stacked_at(st, ii - 1),
        stacked_at(st, ii + 1),
    );
    f.add1(80, s0);
    f.add1(81, sp);
    f.add1(82, sn);
    f.add2(83, s0, sn);
    f.add2(84, sp, s0);
    f.add1(85, stacked_at(st, ii + 2));
    f.add1(86, stacked_at(st, ii - 2));
    f.add2(87, s0, w.cap);
    let c = &w.chunk;
    if c.pos != 0 {
        let pos = u64::from(c.pos);
        f.add2(89, stacked_at(st, c.start as isize), pos);
        f.add2(90, stacked_at(st, c.end as isize - 1), pos);
    }
}

/// Feature templates that involve the decoder's previous decisions.
fn decision_features(
    info: &[TokenInfo],
    i: usize,
    prev1: u64,
    prev2: u64,
    stack: Option<&[u64]>,
    f: &mut FeatureSet,
) {
    let at = window(info);
    let w = at(i as isize);
    let n1 = at(i as isize + 1);
    f.add1(23, prev1);
    f.add2(24, prev2, prev1);
    f.add2(25, prev1, w.lower);
    f.add2(26, prev1, w.shape);
    f.add3(27, prev1, w.cap, u64::from(w.first));
    f.add2(28, prev1, n1.cap);
    f.add2(36, prev1, u64::from(w.stats) >> 4);
    for (pos, &mask) in w.gaz.iter().enumerate() {
        for_bits(mask, |c| f.add3(42, c, pos as u64, prev1));
    }
    let c = &w.chunk;
    if c.pos != 0 {
        let pos = u64::from(c.pos);
        f.add3(63, pos, c.last_word, prev1);
        for_bits(u32::from(c.flags), |b| f.add3(66, pos, b, prev1));
    }
    if w.hist != 0 {
        f.add2(72, u64::from(w.hist), prev1);
    }
    if let Some(st) = stack {
        let ii = i as isize;
        f.add3(88, stacked_at(st, ii), stacked_at(st, ii + 1), prev1);
    }
    if w.upos != 0 {
        f.add2(54, prev1, w.upos);
    }
}

// ------------------------------------------------------------------------------------------
// The model

/// A BIO class: `O`, or the beginning or inside of an entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Out,
    Begin(EntityLabel),
    Inside(EntityLabel),
}

impl Class {
    fn name(self) -> String {
        match self {
            Class::Out => "O".into(),
            Class::Begin(l) => format!("B-{}", l.as_str()),
            Class::Inside(l) => format!("I-{}", l.as_str()),
        }
    }

    fn parse(tag: &str) -> Option<Class> {
        if tag == "O" {
            return Some(Class::Out);
        }
        let (p, t) = tag.split_once('-')?;
        let l = EntityLabel::parse(t)?;
        match p {
            "B" => Some(Class::Begin(l)),
            "I" => Some(Class::Inside(l)),
            _ => None,
        }
    }

    /// 0 for `O`, else 1 + the position of the type in [`EntityLabel::ALL`].
    fn type_index(self) -> usize {
        match self {
            Class::Out => 0,
            Class::Begin(l) | Class::Inside(l) => {
                1 + EntityLabel::ALL.iter().position(|&k| k == l).unwrap_or(0)
            }
        }
    }

    /// Whether this class may follow `prev` in BIO.
    fn may_follow(self, prev: Class) -> bool {
        match self {
            Class::Inside(l) => prev == Class::Begin(l) || prev == Class::Inside(l),
            _ => true,
        }
    }
}

/// The trained recogniser (immutable; `Send + Sync`).
#[derive(Debug, Clone, PartialEq)]
pub struct Ner {
    classes: Vec<Class>,
    class_hash: Vec<u64>,
    uses_upos: bool,
    /// Subtracted from the `O` score (integer model units): trades precision for recall.
    out_bias: i32,
    phrases: PhraseIndex,
    stats: WordStats,
    model: LinearModel,
    /// Second-stage model over the first stage's decisions (see [`NerOptions::stack`]).
    stacked: Option<LinearModel>,
}

const NO_CLASS: u64 = 0x4e4f_434c;

/// File name of the NER model inside a model directory.
pub const NER_FILE: &str = "ner.bin";

impl Ner {
    fn new(
        classes: Vec<Class>,
        uses_upos: bool,
        phrases: PhraseIndex,
        stats: WordStats,
        model: LinearModel,
    ) -> Ner {
        let class_hash = classes.iter().map(|c| hash_str(&c.name())).collect();
        Ner {
            classes,
            class_hash,
            uses_upos,
            out_bias: 0,
            phrases,
            stats,
            model,
            stacked: None,
        }
    }

    fn set_model(&mut self, model: LinearModel, out_penalty: f32) {
        self.out_bias = (out_penalty / model.scale()).round() as i32;
        self.model = model;
    }

    /// Loads `ner.bin` from the model directory [`crate::Nlp::default_model_dir`] finds.
    pub fn load_default() -> Result<Ner, ModelError> {
        let dir = crate::analyzer::Nlp::default_model_dir().ok_or_else(|| {
            ModelError::NotFound(format!(
                "set {} or run from a checkout containing data/models/{NER_FILE}",
                crate::analyzer::MODELS_ENV
            ))
        })?;
        Ner::load(&dir.join(NER_FILE))
    }

    /// Loads a model file written by [`Ner::save`].
    pub fn load(path: &Path) -> Result<Ner, ModelError> {
        Ner::from_bytes(&read_file(path)?)
    }

    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        Writer {
            bytes: self.to_bytes(),
        }
        .save(path)
    }

    /// Entity types the model predicts.
    pub fn labels(&self) -> Vec<EntityLabel> {
        let mut out: Vec<EntityLabel> = self
            .classes
            .iter()
            .filter_map(|c| match c {
                Class::Begin(l) => Some(*l),
                _ => None,
            })
            .collect();
        out.sort();
        out
    }

    /// Whether the model was trained with UPOS features (then pass tags to `recognise`).
    pub fn uses_upos(&self) -> bool {
        self.uses_upos
    }

    /// Number of stored feature weights rows (for reports).
    pub fn n_features(&self) -> usize {
        self.model.n_features() + self.stacked.as_ref().map_or(0, LinearModel::n_features)
    }

    /// The gazetteer phrase index the model was trained with.
    pub fn phrases(&self) -> &PhraseIndex {
        &self.phrases
    }

    /// Entities of one tokenised sentence. `upos` (one tag per word) is used if the model was
    /// trained with tags; otherwise it is ignored.
    pub fn recognise(&self, words: &[&str], upos: Option<&[&str]>) -> Vec<EntitySpan> {
        let mut ws = NerWorkspace::default();
        let mut out = Vec::new();
        self.recognise_into(words, upos, &mut ws, &mut out);
        out
    }

    /// [`Ner::recognise`] reusing scratch buffers and the output vector.
    pub fn recognise_into(
        &self,
        words: &[&str],
        upos: Option<&[&str]>,
        ws: &mut NerWorkspace,
        out: &mut Vec<EntitySpan>,
    ) {
        self.recognise_in_document(words, upos, None, ws, out);
    }

    /// Entities of every sentence of one document, in order: each sentence also sees what
    /// the earlier ones made of the same words (see [`DocHistory`]).
    pub fn recognise_document(
        &self,
        sentences: &[Vec<&str>],
        upos: Option<&[Vec<&str>]>,
    ) -> Vec<Vec<EntitySpan>> {
        let mut ws = NerWorkspace::default();
        let mut history = DocHistory::new();
        sentences
            .iter()
            .enumerate()
            .map(|(i, words)| {
                let mut out = Vec::new();
                let tags = upos.and_then(|u| u.get(i)).map(Vec::as_slice);
                self.recognise_in_document(words, tags, Some(&mut history), &mut ws, &mut out);
                out
            })
            .collect()
    }

    /// [`Ner::recognise_into`] for one sentence of a document, consulting and updating the
    /// document's `history` (pass `None` for a sentence on its own).
    pub fn recognise_in_document(
        &self,
        words: &[&str],
        upos: Option<&[&str]>,
        history: Option<&mut DocHistory>,
        ws: &mut NerWorkspace,
        out: &mut Vec<EntitySpan>,
    ) {
        out.clear();
        let upos = upos.filter(|u| self.uses_upos && u.len() == words.len());
        self.classify(words, upos, history, ws);
        let mut open: Option<(usize, EntityLabel)> = None;
        for (i, &c) in ws.classes.iter().enumerate() {
            let class = self.classes[usize::from(c)];
            let continues = matches!((class, open), (Class::Inside(l), Some((_, o))) if l == o);
            if !continues && let Some((s, label)) = open.take() {
                out.push(EntitySpan {
                    start_word: s,
                    end_word: i,
                    label,
                });
            }
            if let Class::Begin(l) | Class::Inside(l) = class
                && !continues
            {
                open = Some((i, l));
            }
        }
        if let Some((s, label)) = open {
            out.push(EntitySpan {
                start_word: s,
                end_word: words.len(),
                label,
            });
        }
        if !self.classes.contains(&Class::Begin(EntityLabel::Norp)) {
            self.add_norp(words, ws, out);
        }
    }

    /// Capitalised nationality and group words the model left outside every entity.
    fn add_norp(&self, words: &[&str], ws: &NerWorkspace, out: &mut Vec<EntitySpan>) {
        let norp = Category::Demonym.bit() | Category::NorpGroup.bit();
        let mut taken = vec![false; words.len()];
        for s in out.iter() {
            taken[s.start_word..s.end_word]
                .iter_mut()
                .for_each(|t| *t = true);
        }
        let mut added = false;
        for m in &ws.matches {
            if m.categories & norp == 0
                || taken[m.start..m.end].iter().any(|&t| t)
                || !words[m.start]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            {
                continue;
            }
            // Longest first (the matches are sorted so), never overlapping.
            taken[m.start..m.end].iter_mut().for_each(|t| *t = true);
            out.push(EntitySpan {
                start_word: m.start,
                end_word: m.end,
                label: EntityLabel::Norp,
            });
            added = true;
        }
        if added {
            out.sort();
        }
    }

    /// Greedy BIO decoding into `ws.classes`.
    fn classify(
        &self,
        words: &[&str],
        upos: Option<&[&str]>,
        history: Option<&mut DocHistory>,
        ws: &mut NerWorkspace,
    ) {
        token_infos(words, upos, &self.phrases, &self.stats, ws);
        if let Some(h) = &history {
            for (info, &k) in ws.info.iter_mut().zip(&ws.keys) {
                info.hist = h.hint(k);
            }
        }
        self.decode(&self.model, false, ws);
        if let Some(second) = &self.stacked {
            ws.stack.clear();
            ws.stack
                .extend(ws.classes.iter().map(|&c| self.class_hash[usize::from(c)]));
            self.decode(second, true, ws);
        }
        if let Some(h) = history {
            h.record(
                &ws.keys,
                &ws.info,
                ws.classes
                    .iter()
                    .map(|&c| self.classes[usize::from(c)].type_index()),
            );
        }
    }

    /// One greedy left-to-right pass of `model` over `ws.info` into `ws.classes`. The
    /// sentence-only features are computed once per sentence (`ws.word_keys`), so the second
    /// stage adds only its own.
    fn decode(&self, model: &LinearModel, stacked: bool, ws: &mut NerWorkspace) {
        let n = ws.info.len();
        if !stacked {
            ws.word_keys.clear();
            ws.word_offsets.clear();
            ws.word_offsets.push(0);
            for i in 0..n {
                ws.feats.clear();
                word_features(&ws.info, i, &mut ws.feats);
                ws.word_keys.extend_from_slice(&ws.feats.keys);
                ws.word_offsets.push(ws.word_keys.len());
            }
        }
        ws.classes.clear();
        ws.scores.resize(self.classes.len(), 0);
        let (mut prev1, mut prev2) = (NO_CLASS, NO_CLASS);
        let mut prev_class = Class::Out;
        for i in 0..n {
            ws.feats.clear();
            ws.feats
                .keys
                .extend_from_slice(&ws.word_keys[ws.word_offsets[i]..ws.word_offsets[i + 1]]);
            let stack = stacked.then_some(ws.stack.as_slice());
            if let Some(st) = stack {
                stack_features(&ws.info, i, st, &mut ws.feats);
            }
            decision_features(&ws.info, i, prev1, prev2, stack, &mut ws.feats);
            ws.scores.iter_mut().for_each(|s| *s = 0);
            model.score(&ws.feats.keys, &mut ws.scores);
            ws.scores[0] -= self.out_bias;
            let best =
                argmax_valid(&ws.scores, |c| self.classes[c].may_follow(prev_class)).unwrap_or(0);
            ws.classes.push(best as u8);
            prev2 = prev1;
            prev1 = self.class_hash[best];
            prev_class = self.classes[best];
        }
    }

    /// First-stage decisions (class hashes) for sentences read as documents, for training
    /// the second stage.
    fn first_pass(&self, sentences: &[IobSentence]) -> Vec<Vec<u64>> {
        let single = Ner {
            stacked: None,
            ..self.clone()
        };
        let mut ws = NerWorkspace::default();
        let mut spans = Vec::new();
        let mut history = DocHistory::new();
        sentences
            .iter()
            .map(|s| {
                if starts_document(s) {
                    history.clear();
                }
                let words = s.word_refs();
                let upos: Vec<&str> = s.upos.iter().map(String::as_str).collect();
                let upos = (!upos.is_empty()).then_some(upos.as_slice());
                single.recognise_in_document(&words, upos, Some(&mut history), &mut ws, &mut spans);
                ws.classes
                    .iter()
                    .map(|&c| self.class_hash[usize::from(c)])
                    .collect()
            })
            .collect()
    }

    /// Tags sentences, returning copies with predicted BIO tags; `uner` writes the UNER type
    /// names (NORP and MISC as OTH) and `keep_norp` keeps the gazetteer NORP spans (UNER
    /// EWT annotates no nationality words, so an evaluation there drops them).
    pub fn tag_sentences(
        &self,
        sentences: &[IobSentence],
        uner: bool,
        keep_norp: bool,
    ) -> Vec<IobSentence> {
        let mut ws = NerWorkspace::default();
        let mut spans = Vec::new();
        let mut history = DocHistory::new();
        sentences
            .iter()
            .map(|s| {
                if starts_document(s) {
                    history.clear();
                }
                let words = s.word_refs();
                let upos: Vec<&str> = s.upos.iter().map(String::as_str).collect();
                let upos = (!upos.is_empty()).then_some(upos.as_slice());
                self.recognise_in_document(&words, upos, Some(&mut history), &mut ws, &mut spans);
                if !keep_norp {
                    spans.retain(|s| s.label != EntityLabel::Norp);
                }
                IobSentence {
                    tags: tags_from_spans(words.len(), &spans, uner),
                    ..s.clone()
                }
            })
            .collect()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(b"NER");
        let names: Vec<String> = self.classes.iter().map(|c| c.name()).collect();
        w.strs(&names);
        w.u8(u8::from(self.uses_upos));
        w.u32(self.out_bias as u32);
        self.phrases.write(&mut w);
        self.stats.write(&mut w);
        self.model.write(&mut w);
        w.u8(u8::from(self.stacked.is_some()));
        if let Some(m) = &self.stacked {
            m.write(&mut w);
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Ner, ModelError> {
        let mut r = Reader::new(bytes, b"NER")?;
        let names = r.strs()?;
        let classes = names
            .iter()
            .map(|n| Class::parse(n).ok_or_else(|| ModelError::Corrupt(format!("class {n}"))))
            .collect::<Result<Vec<Class>, ModelError>>()?;
        if classes.first() != Some(&Class::Out) || classes.len() > 255 {
            return Err(ModelError::Corrupt("NER class table".into()));
        }
        let uses_upos = r.u8()? != 0;
        let out_bias = r.u32()? as i32;
        let phrases = PhraseIndex::read(&mut r)?;
        let stats = WordStats::read(&mut r)?;
        let model = LinearModel::read(&mut r)?;
        let stacked = if r.u8()? != 0 {
            Some(LinearModel::read(&mut r)?)
        } else {
            None
        };
        r.finish()?;
        if model.n_classes() != classes.len()
            || stacked
                .as_ref()
                .is_some_and(|m| m.n_classes() != classes.len())
        {
            return Err(ModelError::Corrupt("NER model width".into()));
        }
        let mut ner = Ner::new(classes, uses_upos, phrases, stats, model);
        ner.out_bias = out_bias;
        ner.stacked = stacked;
        Ok(ner)
    }
}

// ------------------------------------------------------------------------------------------
// Training

/// NER training settings.
#[derive(Debug, Clone)]
pub struct NerOptions {
    pub iterations: usize,
    pub seed: u64,
    /// Averaged weights with a smaller magnitude are dropped from the compiled model.
    pub prune: f32,
    /// Print per-epoch progress to stderr.
    pub verbose: bool,
    /// Gazetteer phrases and corpus statistics (empty by default).
    pub resources: NerResources,
    /// Penalty on the `O` class at prediction time, in perceptron weight units (0 = none).
    pub out_penalty: f32,
    /// Mention-replacement copies of each training sentence with entities (0 = none).
    pub augment: usize,
    /// Share of replacement names drawn from the gazetteer pools rather than from other
    /// training mentions.
    pub gazetteer_share: f64,
    /// Train a second, stacked stage that sees the first stage's decisions on both sides of
    /// each word (first-stage decisions for its training data come from jackknifed models).
    pub stack: bool,
}

impl Default for NerOptions {
    fn default() -> NerOptions {
        NerOptions {
            iterations: 8,
            seed: 1,
            prune: 0.05,
            verbose: false,
            resources: NerResources::default(),
            out_penalty: 0.0,
            augment: 3,
            gazetteer_share: 0.3,
            stack: true,
        }
    }
}

/// Trains a recogniser on IOB2 sentences (PER/ORG/LOC/OTH or any [`EntityLabel`] names);
/// uses UPOS features if every training sentence carries tags. Deterministic for a seed.
pub fn train_ner(train: &[IobSentence], dev: Option<&[IobSentence]>, opts: &NerOptions) -> Ner {
    let mut ner = untrained(train, opts);
    let data = augmented(train, opts, opts.seed);
    let first = train_stage(&mut ner, &data, None, dev.filter(|_| !opts.stack), opts);
    ner.set_model(first, opts.out_penalty);
    if !opts.stack || train.is_empty() {
        return ner;
    }
    // Second stage: its training sentences need first-stage decisions made by models that
    // did not see them (jackknifing by document), or it would learn to trust a first stage
    // that is right far more often than on new text.
    let folds = document_folds(train, STACK_FOLDS, opts.seed);
    let mut second_data = Vec::with_capacity(data.len());
    let mut second_first = Vec::with_capacity(data.len());
    for (j, held) in folds.iter().enumerate() {
        let mut in_fold = vec![false; train.len()];
        for &i in held {
            in_fold[i] = true;
        }
        let rest: Vec<IobSentence> = (0..train.len())
            .filter(|&i| !in_fold[i])
            .map(|i| train[i].clone())
            .collect();
        let seed = opts.seed.wrapping_add(j as u64 + 1);
        let mut fold_model = ner.clone();
        let m = train_stage(
            &mut fold_model,
            &augmented(&rest, opts, seed),
            None,
            None,
            opts,
        );
        fold_model.set_model(m, opts.out_penalty);
        let part = augmented(
            &held.iter().map(|&i| train[i].clone()).collect::<Vec<_>>(),
            opts,
            seed,
        );
        second_first.extend(fold_model.first_pass(&part));
        second_data.extend(part);
    }
    let second = train_stage(&mut ner, &second_data, Some(&second_first), dev, opts);
    ner.stacked = Some(second);
    ner
}

/// Jackknife folds for the second stage.
const STACK_FOLDS: usize = 4;

/// The training sentences plus their mention-replacement copies (see [`replace_mentions`]).
fn augmented(train: &[IobSentence], opts: &NerOptions, seed: u64) -> Vec<IobSentence> {
    let mut data = train.to_vec();
    if opts.augment > 0 {
        data.extend(replace_mentions(
            train,
            opts.augment,
            seed,
            &opts.resources.names,
            opts.gazetteer_share,
        ));
    }
    data
}

/// Mention replacement (Dai & Adel 2020): `copies` variants of every sentence that has an
/// entity, each entity swapped for a random mention of the same type from elsewhere in the
/// training data. The contexts stay real while the names vary, so the model leans less on
/// memorised names and more on context, capitalisation and the gazetteer.
fn replace_mentions(
    train: &[IobSentence],
    copies: usize,
    seed: u64,
    pools: &NamePools,
    gazetteer_share: f64,
) -> Vec<IobSentence> {
    let mut by_type: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for s in train {
        for (a, b, t) in typed_spans(&s.tags) {
            by_type
                .entry(t.to_string())
                .or_default()
                .push(s.words[a..b].to_vec());
        }
    }
    let mut rng = Rng::new(seed ^ 0x6175_676d);
    let mut out = Vec::new();
    for s in train {
        let spans = typed_spans(&s.tags);
        if spans.is_empty() {
            continue;
        }
        for _ in 0..copies {
            let tagged = s.upos.len() == s.words.len();
            let mut words = Vec::with_capacity(s.words.len() + 4);
            let mut tags = Vec::with_capacity(s.words.len() + 4);
            let mut upos = Vec::new();
            let mut at = 0;
            for &(a, b, t) in &spans {
                words.extend_from_slice(&s.words[at..a]);
                tags.extend_from_slice(&s.tags[at..a]);
                if tagged {
                    upos.extend_from_slice(&s.upos[at..a]);
                }
                let from_gazetteer = rng.next_f64() < gazetteer_share;
                let name = match from_gazetteer.then(|| pools.pick(t, &mut rng)).flatten() {
                    Some(mut name) => {
                        match_case(&mut name, &s.words[a..b]);
                        name
                    }
                    None => {
                        let pool = &by_type[t];
                        pool[rng.below(pool.len())].clone()
                    }
                };
                for (i, w) in name.iter().enumerate() {
                    words.push(w.clone());
                    tags.push(format!("{}-{t}", if i == 0 { "B" } else { "I" }));
                    if tagged {
                        upos.push("PROPN".to_string());
                    }
                }
                at = b;
            }
            words.extend_from_slice(&s.words[at..]);
            tags.extend_from_slice(&s.tags[at..]);
            if tagged {
                upos.extend_from_slice(&s.upos[at..]);
            }
            out.push(IobSentence {
                comments: vec!["newdoc id = mention-replacement".to_string()],
                words,
                tags,
                upos,
                ..IobSentence::default()
            });
        }
    }
    out
}

/// A model with the label set of `train` and the resources of `opts`, and no weights yet.
fn untrained(train: &[IobSentence], opts: &NerOptions) -> Ner {
    let mut classes = vec![Class::Out];
    for s in train {
        for t in &s.tags {
            if let Some(c) = Class::parse(t)
                && !classes.contains(&c)
            {
                classes.push(c);
            }
        }
    }
    // Every seen type gets both its B and I class, in a fixed order.
    let mut types: Vec<EntityLabel> = classes
        .iter()
        .filter_map(|c| match c {
            Class::Begin(l) | Class::Inside(l) => Some(*l),
            Class::Out => None,
        })
        .collect();
    types.sort();
    types.dedup();
    let mut classes = vec![Class::Out];
    for l in types {
        classes.push(Class::Begin(l));
        classes.push(Class::Inside(l));
    }
    let uses_upos = !train.is_empty()
        && train
            .iter()
            .all(|s| s.upos.len() == s.words.len() && !s.upos.is_empty());
    let phrases = opts.resources.phrases.as_ref().clone();
    let stats = opts.resources.words.as_ref().clone();
    Ner::new(
        classes.clone(),
        uses_upos,
        phrases,
        stats,
        PerceptronTrainer::new(classes.len()).compile(opts.prune),
    )
}

/// Trains one stage's weights on `train` (with `first` holding the first-stage decisions per
/// sentence when training the second stage). Prints progress, and dev F1 when given.
fn train_stage(
    ner: &mut Ner,
    train: &[IobSentence],
    first: Option<&[Vec<u64>]>,
    dev: Option<&[IobSentence]>,
    opts: &NerOptions,
) -> LinearModel {
    let classes = ner.classes.clone();
    let uses_upos = ner.uses_upos;

    // Token infos do not depend on the weights: compute them once.
    let mut ws = NerWorkspace::default();
    let kept: Vec<usize> = (0..train.len())
        .filter(|&i| !train[i].words.is_empty())
        .collect();
    let stack: Option<Vec<&[u64]>> = first.map(|f| kept.iter().map(|&i| f[i].as_slice()).collect());
    let train: Vec<&IobSentence> = kept.iter().map(|&i| &train[i]).collect();
    let mut docs: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, s) in train.iter().enumerate() {
        if i == 0 || starts_document(s) {
            docs.push(i..i + 1);
        } else if let Some(d) = docs.last_mut() {
            d.end = i + 1;
        }
    }
    let mut data: Vec<(Vec<TokenInfo>, Vec<u64>, Vec<usize>)> = train
        .iter()
        .map(|s| {
            let words = s.word_refs();
            let upos: Vec<&str> = s.upos.iter().map(String::as_str).collect();
            token_infos(
                &words,
                uses_upos.then_some(upos.as_slice()),
                &ner.phrases,
                &ner.stats,
                &mut ws,
            );
            let gold = s
                .tags
                .iter()
                .map(|t| {
                    Class::parse(t)
                        .and_then(|c| classes.iter().position(|&k| k == c))
                        .unwrap_or(0)
                })
                .collect();
            (ws.info.clone(), ws.keys.clone(), gold)
        })
        .collect();

    let n = classes.len();
    let mut trainer = PerceptronTrainer::new(n);
    let mut rng = Rng::new(opts.seed);
    let mut feats = FeatureSet::default();
    let mut history = DocHistory::new();
    let mut docs_start = vec![false; data.len()];
    for d in &docs {
        docs_start[d.start] = true;
    }
    let mut scores = vec![0f32; n];
    for epoch in 0..opts.iterations {
        rng.shuffle(&mut docs);
        let (mut right, mut total) = (0usize, 0usize);
        for si in docs.iter().flat_map(|d| d.clone()) {
            if docs_start[si] {
                history.clear();
            }
            let (info, keys, gold) = &mut data[si];
            for (t, &k) in info.iter_mut().zip(keys.iter()) {
                t.hist = history.hint(k);
            }
            let mut guesses = Vec::with_capacity(info.len());
            let (mut prev1, mut prev2) = (NO_CLASS, NO_CLASS);
            let mut prev_class = Class::Out;
            let st = stack.as_ref().map(|st| st[si]);
            for (i, &truth) in gold.iter().enumerate() {
                features(info, i, prev1, prev2, st, &mut feats);
                scores.iter_mut().for_each(|s| *s = 0.0);
                trainer.score(&feats.keys, &mut scores);
                let guess =
                    argmax_valid(&scores, |c| classes[c].may_follow(prev_class)).unwrap_or(0);
                trainer.update(&feats.keys, truth, guess);
                trainer.tick();
                right += usize::from(guess == truth);
                total += 1;
                prev2 = prev1;
                prev1 = ner.class_hash[guess];
                prev_class = classes[guess];
                guesses.push(classes[guess].type_index());
            }
            history.record(keys, info, guesses.into_iter());
        }
        if opts.verbose {
            let mut line = format!(
                "ner epoch {}: train word accuracy {:.2}%",
                epoch + 1,
                100.0 * right as f64 / total.max(1) as f64
            );
            if let Some(dev) = dev {
                let model = trainer.compile(opts.prune);
                if first.is_some() {
                    ner.stacked = Some(model);
                } else {
                    ner.set_model(model, opts.out_penalty);
                }
                let pred = ner.tag_sentences(dev, false, false);
                if let Ok(s) = eval_ner(dev, &pred) {
                    let _ = write!(line, ", dev F1 {:.2}", s.overall.f1 * 100.0);
                }
            }
            eprintln!("{line}");
        }
    }
    trainer.compile(opts.prune)
}

/// Result of [`cross_validate`].
#[derive(Debug, Clone, Default)]
pub struct CvReport {
    /// Scores of each held-out fold.
    pub folds: Vec<NerScores>,
    /// Mean over folds of precision, recall and F1 (overall and per type).
    pub mean: BTreeMap<String, (f64, f64, f64)>,
    /// Scores of all held-out predictions pooled together.
    pub pooled: NerScores,
}

impl std::fmt::Display for CvReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "mean over {} folds:", self.folds.len())?;
        for (t, (p, r, f1)) in &self.mean {
            writeln!(
                f,
                "{t:<8} P {:6.2}  R {:6.2}  F1 {:6.2}",
                p * 100.0,
                r * 100.0,
                f1 * 100.0
            )?;
        }
        writeln!(f, "pooled:")?;
        write!(f, "{}", self.pooled)
    }
}

/// Splits documents (see [`documents`]) into `k` folds of similar size: documents are
/// shuffled with `seed`, then each goes to the fold with the fewest words so far.
pub fn document_folds(sentences: &[IobSentence], k: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut docs = documents(sentences);
    Rng::new(seed).shuffle(&mut docs);
    let k = k.max(1);
    let mut folds: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut sizes = vec![0usize; k];
    for d in docs {
        let f = (0..k).min_by_key(|&f| (sizes[f], f)).unwrap();
        sizes[f] += sentences[d.clone()]
            .iter()
            .map(|s| s.words.len())
            .sum::<usize>();
        folds[f].extend(d);
    }
    for f in &mut folds {
        f.sort_unstable();
    }
    folds
}

/// k-fold cross-validation by document: trains on k−1 folds, scores the held-out one (UNER
/// type names, gazetteer NORP spans dropped), and reports per-fold, mean and pooled scores.
pub fn cross_validate(
    sentences: &[IobSentence],
    k: usize,
    seed: u64,
    opts: &NerOptions,
) -> CvReport {
    cross_validate_with_predictions(sentences, k, seed, opts).0
}

/// [`cross_validate`], also returning every sentence as predicted by the model that did not
/// see it (in the input order), for error analysis.
pub fn cross_validate_with_predictions(
    sentences: &[IobSentence],
    k: usize,
    seed: u64,
    opts: &NerOptions,
) -> (CvReport, Vec<IobSentence>) {
    let folds = document_folds(sentences, k, seed);
    let mut report = CvReport::default();
    let mut pooled: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut predictions: Vec<Option<IobSentence>> = vec![None; sentences.len()];
    for (fi, held) in folds.iter().enumerate() {
        let mut in_fold = vec![false; sentences.len()];
        for &i in held {
            in_fold[i] = true;
        }
        let train: Vec<IobSentence> = (0..sentences.len())
            .filter(|&i| !in_fold[i])
            .map(|i| sentences[i].clone())
            .collect();
        let test: Vec<IobSentence> = held.iter().map(|&i| sentences[i].clone()).collect();
        let model = train_ner(&train, None, opts);
        let pred = model.tag_sentences(&test, true, false);
        for (g, p) in test.iter().zip(&pred) {
            score_tags(&g.tags, &p.tags, &mut pooled);
        }
        let scores = eval_ner(&test, &pred).unwrap_or_default();
        if opts.verbose {
            eprintln!(
                "fold {}: {} sentences, F1 {:.2}",
                fi + 1,
                test.len(),
                scores.overall.f1 * 100.0
            );
        }
        report.folds.push(scores);
        for (&i, p) in held.iter().zip(pred) {
            predictions[i] = Some(p);
        }
    }
    let n = report.folds.len().max(1) as f64;
    let mut add = |name: &str, p: &Prf| {
        let e = report
            .mean
            .entry(name.to_string())
            .or_insert((0.0, 0.0, 0.0));
        e.0 += p.precision / n;
        e.1 += p.recall / n;
        e.2 += p.f1 / n;
    };
    for s in &report.folds {
        add("overall", &s.overall);
        for (t, p) in &s.per_type {
            add(t, p);
        }
    }
    report.pooled = scores_from_counts(&pooled);
    (report, predictions.into_iter().flatten().collect())
}

// ------------------------------------------------------------------------------------------
// File-level API (what the CLI calls)

/// Builds training resources from a gazetteer directory and an optional CoNLL-U treebank
/// (word statistics; without one they are empty).
pub fn load_resources(
    gazetteer_dir: &Path,
    treebank: Option<&Path>,
) -> Result<NerResources, NerError> {
    let gazetteer = Gazetteer::load(gazetteer_dir)?;
    let sentences = match treebank {
        Some(p) => crate::conllu::read_conllu_file(p)?,
        None => Vec::new(),
    };
    Ok(NerResources::new(&gazetteer, &sentences))
}

/// Trains on an IOB2 file (optionally scoring a dev file per epoch) and saves the model.
pub fn train_ner_file(
    train: &Path,
    dev: Option<&Path>,
    out: &Path,
    opts: &NerOptions,
) -> Result<Ner, NerError> {
    let sentences = read_iob2_file(train)?;
    if sentences.is_empty() {
        return Err(NerError::Empty(train.display().to_string()));
    }
    let dev = dev.map(read_iob2_file).transpose()?;
    let model = train_ner(&sentences, dev.as_deref(), opts);
    model.save(out)?;
    Ok(model)
}

/// Tags an IOB2 file's words and returns IOB2 text with UNER type names.
pub fn tag_iob2_file(model: &Ner, input: &Path) -> Result<String, NerError> {
    let sentences = read_iob2_file(input)?;
    Ok(write_iob2(&model.tag_sentences(&sentences, true, false)))
}

/// Tags a gold IOB2 file with `model` and scores the result.
pub fn eval_ner_file(model: &Ner, gold: &Path) -> Result<NerScores, NerError> {
    let sentences = read_iob2_file(gold)?;
    let pred = model.tag_sentences(&sentences, true, false);
    eval_ner(&sentences, &pred)
}

/// Scores two IOB2 files against each other.
pub fn eval_ner_files(gold: &Path, pred: &Path) -> Result<NerScores, NerError> {
    eval_ner(&read_iob2_file(gold)?, &read_iob2_file(pred)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::GazetteerSources;

    const SNIPPET: &str = "# newdoc id = doc-a
# sent_id = doc-a-1
# text = Ana Petrova visited Karsvik .
1\tAna\tB-PER\t-\tann
2\tPetrova\tI-PER\t-\tann
3\tvisited\tO\t-\t-
4\tKarsvik\tB-LOC\t-\tann
5\t.\tO\t-\t-

# sent_id = doc-a-2
1\tThe\tO\t-\t-
2\tVarnian\tB-OTH\t-\t-
3\tPost\tI-OTH\t-\t-
4\treported\tO\t-\t-

";

    #[test]
    fn iob2_round_trips_and_keeps_comments_and_extra_columns() {
        let sentences = parse_iob2(SNIPPET).unwrap();
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].comments[0], "newdoc id = doc-a");
        assert_eq!(sentences[0].comment_value("sent_id"), Some("doc-a-1"));
        assert_eq!(
            sentences[0].words,
            ["Ana", "Petrova", "visited", "Karsvik", "."]
        );
        assert_eq!(sentences[0].tags[1], "I-PER");
        assert_eq!(sentences[0].extra[0], "-\tann");
        assert_eq!(write_iob2(&sentences), SNIPPET);
        let spans = sentences[1].spans();
        assert_eq!(
            spans,
            [EntitySpan {
                start_word: 1,
                end_word: 3,
                label: EntityLabel::Misc
            }]
        );
        assert!(parse_iob2("1\tword\n").is_err());
        assert!(parse_iob2("1\tword\tX-PER\t-\t-\n").is_err());
    }

    #[test]
    fn spans_follow_conlleval_chunking() {
        let tags = [
            "I-PER", "I-PER", "B-PER", "O", "I-LOC", "B-ORG", "I-LOC", "I-LOC",
        ];
        let got: Vec<(usize, usize, EntityLabel)> = spans_from_tags(&tags)
            .iter()
            .map(|s| (s.start_word, s.end_word, s.label))
            .collect();
        assert_eq!(
            got,
            [
                (0, 2, EntityLabel::Per),
                (2, 3, EntityLabel::Per),
                (4, 5, EntityLabel::Loc),
                (5, 6, EntityLabel::Org),
                (6, 8, EntityLabel::Loc),
            ]
        );
        let spans = spans_from_tags(&tags);
        assert_eq!(
            tags_from_spans(9, &spans, true),
            [
                "B-PER", "I-PER", "B-PER", "O", "B-LOC", "B-ORG", "B-LOC", "I-LOC", "O"
            ]
        );
        let norp = [EntitySpan {
            start_word: 0,
            end_word: 1,
            label: EntityLabel::Norp,
        }];
        assert_eq!(tags_from_spans(2, &norp, true), ["B-OTH", "O"]);
        assert_eq!(tags_from_spans(2, &norp, false), ["B-NORP", "O"]);
    }

    fn sentence(words: &str, tags: &str) -> IobSentence {
        let words: Vec<&str> = words.split(' ').collect();
        let tags: Vec<String> = tags.split(' ').map(String::from).collect();
        assert_eq!(words.len(), tags.len());
        IobSentence {
            tags,
            ..IobSentence::from_words(&words)
        }
    }

    #[test]
    fn scorer_counts_exact_matches_only() {
        let gold = vec![
            sentence(
                "Ana Petrova met Lee in Karsvik",
                "B-PER I-PER O B-PER O B-LOC",
            ),
            sentence("The Varnian Post said so", "O B-ORG I-ORG O O"),
        ];
        // Correct: Lee (PER). Partial: "Ana" only (miss + false alarm). Type mismatch:
        // Karsvik as ORG. Boundary: "The Varnian Post". Spurious: "said" as PER.
        let pred = vec![
            sentence("Ana Petrova met Lee in Karsvik", "B-PER O O B-PER O B-ORG"),
            sentence("The Varnian Post said so", "B-ORG I-ORG I-ORG B-PER O"),
        ];
        let s = eval_ner(&gold, &pred).unwrap();
        assert_eq!(
            (s.overall.gold, s.overall.predicted, s.overall.correct),
            (4, 5, 1)
        );
        assert!((s.overall.precision - 0.2).abs() < 1e-12);
        assert!((s.overall.recall - 0.25).abs() < 1e-12);
        let f1 = 2.0 * 0.2 * 0.25 / 0.45;
        assert!((s.overall.f1 - f1).abs() < 1e-12);
        let per = s.per_type["PER"];
        assert_eq!((per.gold, per.predicted, per.correct), (2, 3, 1));
        assert!((per.recall - 0.5).abs() < 1e-12);
        let loc = s.per_type["LOC"];
        assert_eq!((loc.gold, loc.predicted, loc.correct), (1, 0, 0));
        assert_eq!(loc.precision, 0.0);
        let org = s.per_type["ORG"];
        assert_eq!((org.gold, org.predicted, org.correct), (1, 2, 0));
        // Identical files score 100.
        let perfect = eval_ner(&gold, &gold).unwrap();
        assert_eq!(perfect.overall.f1, 1.0);
        // Different sentence lengths are an error, not a silent zero.
        assert!(eval_ner(&gold[..1], &pred).is_err());
        let short = vec![sentence("Ana", "B-PER"), pred[1].clone()];
        assert!(eval_ner(&gold, &short).is_err());
    }

    fn gazetteer() -> Gazetteer {
        Gazetteer::parse(&GazetteerSources {
            actors: "VARNIA\tVRN\tcountry\tcountries\t\n\
                     ANA PETROVA\tVRNGOV\tperson\tcountries\t\n\
                     NORDLAND SHIPPING\tMNCVRN\tcompany\tinternational\t\n"
                .into(),
            countries: "Varnia\tVRN\tcountry\nVarnian\tVRN\tdemonym\n".into(),
            places: "Karsvik\t\tVRN\t1\t2\t42\t150000\tcity\t01\n\
                     Ostamo\t\tVRN\t1\t2\t43\t50000\tcity\t01\n\
                     Lindby\t\tVRN\t1\t2\t44\t40000\tcity\t01\n"
                .into(),
            given_names: "Ana\nIvo\nMila\nTomas\n".into(),
            surnames: "Petrova\nKovar\nSalo\n".into(),
            org_keywords: "Ministry\nShipping\nParty\n".into(),
            person_titles: "President\nMr.\n".into(),
            ..GazetteerSources::default()
        })
        .unwrap()
    }

    fn tiny_corpus() -> Vec<IobSentence> {
        vec![
            sentence(
                "Ana Petrova visited Karsvik on Monday .",
                "B-PER I-PER O B-LOC O O O",
            ),
            sentence(
                "President Ivo Kovar said Nordland Shipping would leave Ostamo .",
                "O B-PER I-PER O B-ORG I-ORG O O B-LOC O",
            ),
            sentence(
                "The Ministry of Trade fined Nordland Shipping .",
                "O B-ORG I-ORG I-ORG O B-ORG I-ORG O",
            ),
            sentence("Mila Salo lives in Lindby .", "B-PER I-PER O O B-LOC O"),
            sentence("It rained all week in Lindby .", "O O O O O B-LOC O"),
            sentence(
                "Mr. Kovar and Ana Petrova met the Green Party .",
                "O B-PER O B-PER I-PER O O B-ORG I-ORG O",
            ),
            sentence("Nobody said anything .", "O O O O"),
            sentence(
                "Tomas Kovar flew from Ostamo to Karsvik .",
                "B-PER I-PER O O B-LOC O B-LOC O",
            ),
        ]
    }

    fn options() -> NerOptions {
        let g = gazetteer();
        NerOptions {
            iterations: 10,
            resources: NerResources::new(&g, &[]),
            ..NerOptions::default()
        }
    }

    #[test]
    fn training_on_a_tiny_set_learns_it() {
        let corpus = tiny_corpus();
        let model = train_ner(&corpus, None, &options());
        assert_eq!(
            model.labels(),
            [EntityLabel::Per, EntityLabel::Org, EntityLabel::Loc]
        );
        let pred = model.tag_sentences(&corpus, false, false);
        let scores = eval_ner(&corpus, &pred).unwrap();
        assert_eq!(scores.overall.f1, 1.0, "{scores}");
        // A new sentence built from known patterns.
        let words = ["Mila", "Kovar", "visited", "Lindby", "."];
        let spans = model.recognise(&words, None);
        assert_eq!(
            spans,
            [
                EntitySpan {
                    start_word: 0,
                    end_word: 2,
                    label: EntityLabel::Per
                },
                EntitySpan {
                    start_word: 3,
                    end_word: 4,
                    label: EntityLabel::Loc
                }
            ]
        );
        // Capitalised nationality words become NORP spans (the UNER data has none).
        let words = ["Varnian", "troops", "left", "Karsvik", "."];
        let spans = model.recognise(&words, None);
        assert!(spans.contains(&EntitySpan {
            start_word: 0,
            end_word: 1,
            label: EntityLabel::Norp
        }));
        let tagged = model.tag_sentences(&[IobSentence::from_words(&words)], true, true);
        assert_eq!(tagged[0].tags[0], "B-OTH");
        let tagged = model.tag_sentences(&[IobSentence::from_words(&words)], true, false);
        assert_eq!(tagged[0].tags[0], "O");
        // Empty input is fine.
        assert!(model.recognise(&[], None).is_empty());
    }

    #[test]
    fn odd_input_gives_well_formed_spans() {
        let model = train_ner(&tiny_corpus(), None, &options());
        let long = "X".repeat(500);
        let words = [
            "",
            "🙂",
            "Ana",
            "---",
            &long,
            "Kovar",
            "Ostamo",
            "\u{200b}",
            "İSTANBUL",
            ".",
        ];
        for n in 0..=words.len() {
            let spans = model.recognise(&words[..n], None);
            let mut last_end = 0;
            for s in &spans {
                assert!(s.start_word >= last_end && s.start_word < s.end_word && s.end_word <= n);
                last_end = s.end_word;
            }
        }
        // UPOS of the wrong length is ignored rather than trusted.
        let spans = model.recognise(&words, Some(&["NOUN"]));
        assert_eq!(spans, model.recognise(&words, None));
    }

    #[test]
    fn training_is_deterministic_and_save_load_keeps_predictions() {
        let corpus = tiny_corpus();
        let a = train_ner(&corpus, None, &options());
        let b = train_ner(&corpus, None, &options());
        assert_eq!(a.to_bytes(), b.to_bytes());
        let dir = std::env::temp_dir().join(format!("sitrep-ner-test-{}", std::process::id()));
        let path = dir.join(NER_FILE);
        a.save(&path).unwrap();
        let loaded = Ner::load(&path).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(loaded, a);
        let probe = [
            "President",
            "Mila",
            "Petrova",
            "thanked",
            "Nordland",
            "Shipping",
            "in",
            "Varnia",
            ".",
        ];
        assert_eq!(loaded.recognise(&probe, None), a.recognise(&probe, None));
        assert!(matches!(
            Ner::from_bytes(&a.to_bytes()[..40]),
            Err(ModelError::Corrupt(_))
        ));
    }

    #[test]
    fn folds_never_split_a_document() {
        let mut sentences = Vec::new();
        for d in 0..7 {
            for k in 0..(d % 3 + 1) {
                let mut s = sentence("Ana left", "B-PER O");
                if k == 0 {
                    s.comments.push(format!("newdoc id = d{d}"));
                }
                s.comments.push(format!("sent_id = d{d}-{k}"));
                sentences.push(s);
            }
        }
        let docs = documents(&sentences);
        assert_eq!(docs.len(), 7);
        let folds = document_folds(&sentences, 3, 5);
        assert_eq!(folds, document_folds(&sentences, 3, 5));
        let mut all: Vec<usize> = folds.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..sentences.len()).collect::<Vec<_>>());
        for d in &docs {
            let owner: Vec<usize> = d
                .clone()
                .map(|i| folds.iter().position(|f| f.contains(&i)).unwrap())
                .collect();
            assert!(owner.windows(2).all(|w| w[0] == w[1]), "{owner:?}");
        }
        assert!(folds.iter().all(|f| !f.is_empty()));
    }

    /// The shipped model (data/models/ner.bin) on sentences written for this test.
    #[test]
    fn shipped_model_finds_plausible_entities() {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/models")
            .join(NER_FILE);
        let model = Ner::load(&path).expect("shipped NER model loads");
        let find = |sentence: &str| -> Vec<(String, EntityLabel)> {
            let words: Vec<&str> = sentence.split(' ').collect();
            model
                .recognise(&words, None)
                .iter()
                .map(|s| (words[s.start_word..s.end_word].join(" "), s.label))
                .collect()
        };
        let has = |found: &[(String, EntityLabel)], text: &str, label: EntityLabel| {
            assert!(
                found.iter().any(|(t, l)| t == text && *l == label),
                "{text}/{label:?} not in {found:?}"
            );
        };
        let a =
            find("The Varnian defence minister , Ana Petrova , met Reuters reporters in Karsvik .");
        has(&a, "Ana Petrova", EntityLabel::Per);
        has(&a, "Reuters", EntityLabel::Org);
        has(&a, "Karsvik", EntityLabel::Loc);
        let b = find(
            "Mali 's government denied that Russian mercenaries had been deployed near Timbuktu .",
        );
        has(&b, "Mali", EntityLabel::Loc);
        has(&b, "Russian", EntityLabel::Norp);
        has(&b, "Timbuktu", EntityLabel::Loc);
        assert_eq!(b.len(), 3, "{b:?}");
        let c = find(
            "Emmanuel Macron spoke with officials from the World Health Organization in Geneva on Tuesday .",
        );
        assert_eq!(
            c,
            [
                ("Emmanuel Macron".to_string(), EntityLabel::Per),
                ("World Health Organization".to_string(), EntityLabel::Org),
                ("Geneva".to_string(), EntityLabel::Loc),
            ]
        );
        // Lower-case prose with no names yields nothing.
        assert!(find("the meeting was postponed until next week because of the rain .").is_empty());
        // A document: the history carries a name's type to a later, terser mention.
        let doc = model.recognise_document(
            &[
                "Kestrel Dynamics Inc. said it would cut jobs ."
                    .split(' ')
                    .collect(),
                "Kestrel declined to comment .".split(' ').collect(),
            ],
            None,
        );
        assert_eq!(doc.len(), 2);
        assert_eq!(doc[0][0].label, EntityLabel::Org);
    }

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn models_are_shareable_across_threads() {
        assert_send_sync::<Ner>();
        assert_send_sync::<Gazetteer>();
    }
}
