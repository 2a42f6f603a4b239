//! The trained recogniser: greedy BIO decoding in one or two stacked stages, NORP spans from
//! the gazetteer, and the `ner.bin` file.

use std::path::Path;

use super::features::{
    DocHistory, NO_CLASS, NerWorkspace, decision_features, stack_features, token_infos,
    word_features,
};
use super::labels::{EntityLabel, EntitySpan};
use super::stats::WordStats;
use crate::gazetteer::{Category, PhraseIndex};
use crate::model_io::{ModelError, Reader, Writer, hash_str, read_file};
use crate::perceptron::{LinearModel, argmax_valid};

/// A BIO class: `O`, or the beginning or inside of an entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Class {
    Out,
    Begin(EntityLabel),
    Inside(EntityLabel),
}

impl Class {
    pub(super) fn name(self) -> String {
        match self {
            Class::Out => "O".into(),
            Class::Begin(l) => format!("B-{}", l.as_str()),
            Class::Inside(l) => format!("I-{}", l.as_str()),
        }
    }

    pub(super) fn parse(tag: &str) -> Option<Class> {
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
    pub(super) fn type_index(self) -> usize {
        match self {
            Class::Out => 0,
            Class::Begin(l) | Class::Inside(l) => {
                1 + EntityLabel::ALL.iter().position(|&k| k == l).unwrap_or(0)
            }
        }
    }

    /// Whether this class may follow `prev` in BIO.
    pub(super) fn may_follow(self, prev: Class) -> bool {
        match self {
            Class::Inside(l) => prev == Class::Begin(l) || prev == Class::Inside(l),
            _ => true,
        }
    }
}

/// The trained recogniser (immutable; `Send + Sync`).
#[derive(Debug, Clone, PartialEq)]
pub struct Ner {
    pub(super) classes: Vec<Class>,
    pub(super) class_hash: Vec<u64>,
    pub(super) uses_upos: bool,
    /// Subtracted from the `O` score (integer model units): trades precision for recall.
    pub(super) out_bias: i32,
    pub(super) phrases: PhraseIndex,
    pub(super) stats: WordStats,
    pub(super) model: LinearModel,
    /// Second-stage model over the first stage's decisions (see [`NerOptions::stack`]).
    pub(super) stacked: Option<LinearModel>,
}

/// File name of the NER model inside a model directory.
pub const NER_FILE: &str = "ner.bin";

impl Ner {
    pub(super) fn new(
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

    pub(super) fn set_model(&mut self, model: LinearModel, out_penalty: f32) {
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

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(b"NER");
        let names: Vec<String> = self.classes.iter().map(|c| c.name()).collect();
        w.strs(&names);
        w.u8(u8::from(self.uses_upos));
        w.u32(self.out_bias as u32);
        write_phrases(&self.phrases, &mut w);
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
        let phrases = read_phrases(&mut r)?;
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

/// Writes the gazetteer phrase index into the model: the longest name's word count, then
/// every `(hash, flags)` entry as three `u32`s, in hash order.
fn write_phrases(phrases: &PhraseIndex, w: &mut Writer) {
    let (max_words, entries) = phrases.entries();
    w.u32(max_words as u32);
    w.u32(entries.len() as u32);
    for (k, v) in entries {
        w.u32(k as u32);
        w.u32((k >> 32) as u32);
        w.u32(v);
    }
}

/// Reads what [`write_phrases`] wrote (the entries in one slice: the index holds about a
/// hundred thousand of them, and this is on the model's load path).
fn read_phrases(r: &mut Reader<'_>) -> Result<PhraseIndex, ModelError> {
    let max_words = r.u32()? as usize;
    if max_words > PhraseIndex::MAX_WORDS {
        return Err(ModelError::Corrupt("phrase length".into()));
    }
    let n = r.u32()? as usize;
    let bytes = r.take(
        n.checked_mul(12)
            .ok_or_else(|| ModelError::Corrupt("phrase index size".into()))?,
    )?;
    let entries = bytes.chunks_exact(12).map(|c| {
        let lo = u64::from(u32::from_le_bytes(c[0..4].try_into().unwrap()));
        let hi = u64::from(u32::from_le_bytes(c[4..8].try_into().unwrap()));
        let v = u32::from_le_bytes(c[8..12].try_into().unwrap());
        (lo | (hi << 32), v)
    });
    PhraseIndex::from_entries(max_words, entries)
        .ok_or_else(|| ModelError::Corrupt("phrase length".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;
    use crate::ner::resources::name_words;

    #[test]
    fn the_phrase_index_survives_the_model_file() {
        let mut index = PhraseIndex::new();
        index.insert("Ana Petrova", Category::Person.bit(), name_words);
        index.insert("Acme Inc.", Category::Company.bit(), name_words);
        index.insert("Karsvik", Category::City.bit(), name_words);
        let mut w = Writer::new(b"TST");
        write_phrases(&index, &mut w);
        let mut r = Reader::new(&w.bytes, b"TST").unwrap();
        assert_eq!(read_phrases(&mut r).unwrap(), index);
        r.finish().unwrap();
        // A longest name past the index's limit is a corrupt file.
        w.bytes[12] = 99;
        let mut r = Reader::new(&w.bytes, b"TST").unwrap();
        assert!(matches!(read_phrases(&mut r), Err(ModelError::Corrupt(_))));
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
