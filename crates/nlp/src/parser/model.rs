//! The runtime parser: greedy or beam decoding, leftover attachment, and the model file.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::beam;
use super::features::{AmbiguityLexicon, Lexical, View, action_features, label_features};
use super::transition::{ACTIONS, NONE, ROOT, State};
use crate::model_io::{ModelError, Reader, Writer, hash_str};
use crate::perceptron::{FeatureSet, LinearModel, argmax_valid};

/// Beam decoding drops candidates scoring more than this below the best one (a dynamic beam):
/// confident stretches of a sentence then cost little more than greedy parsing. Tuned on
/// held-out training documents with a width-8, 20-epoch model: 200 kept UAS within 0.07 and
/// LAS within 0.04 of the full beam and made the parser 49% faster; with 8-bit weights, 175
/// costs another 0.03 UAS / 0.02 LAS for 7% more speed (160: -0.15 UAS, 150: -0.38). The
/// value is in the model's score units, so it fits models trained with the default options.
pub const BEAM_MARGIN: f32 = 175.0;

/// A trained parser (immutable; `Send + Sync`).
#[derive(Debug, Clone, PartialEq)]
pub struct Parser {
    pub(super) labels: Vec<String>,
    pub(super) label_hash: Vec<u64>,
    pub(super) root_label: u8,
    pub(super) lexicon: AmbiguityLexicon,
    pub(super) actions: LinearModel,
    pub(super) labeller: LinearModel,
    /// Beam width (1 = greedy); a model trained with a beam decodes with it.
    pub(super) beam: u8,
    /// Candidates scoring more than this below the best are dropped from the beam.
    pub(super) beam_margin: f32,
}

/// Reusable scratch space for parsing.
#[derive(Debug, Default)]
pub struct ParserWorkspace {
    pub(super) state: State,
    pub(super) lex: Lexical,
    pub(super) feats: FeatureSet,
    pub(super) scores: Vec<i32>,
    pub(super) beam: Vec<beam::Item>,
    pub(super) spare: Vec<beam::Item>,
    /// Beam decoding: the label given to each arc `(head, dependent)`, keyed by their hash.
    pub(super) labelled:
        HashMap<u64, u8, std::hash::BuildHasherDefault<crate::perceptron::KeyHasher>>,
    pub(super) groups: beam::GroupScores,
    /// Beam decoding: the search's buffers, and the label model's scores.
    pub(super) search: beam::SearchBuffers,
    pub(super) label_scores: Vec<i32>,
    /// Beam decoding: each item's feature groups, with the key of their cached scores.
    pub(super) item_feats: Vec<(u64, FeatureSet)>,
}

/// The stable hash of a word's (UPOS, XPOS) pair, the parser's "tag" feature value. Using
/// both keeps distinctions that matter for attachment and that the Penn tag lacks
/// (`IN` as ADP vs SCONJ, `VB*` as AUX vs VERB, `DT` as DET vs PRON).
pub fn tag_hash(upos: &str, xpos: &str) -> u64 {
    crate::model_io::combine(hash_str(upos), hash_str(xpos))
}

impl Parser {
    /// Decodes with this beam width and margin (see `parser/beam.rs`) instead of the trained
    /// ones: a speed/accuracy trade-off.
    pub fn set_beam(&mut self, width: u8, margin: f32) {
        self.beam = width.max(1);
        self.beam_margin = margin;
    }

    /// The beam width the parser decodes with (1 = greedy).
    pub fn beam_width(&self) -> u8 {
        self.beam
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn label_of(&self, id: u8) -> &str {
        &self.labels[usize::from(id)]
    }

    /// The relation label `id`, if the model has that many.
    pub fn try_label_of(&self, id: u8) -> Option<&str> {
        self.labels.get(usize::from(id)).map(String::as_str)
    }

    /// Feature table sizes (action model, label model) for reports.
    pub fn n_features(&self) -> (usize, usize) {
        (self.actions.n_features(), self.labeller.n_features())
    }

    fn choose_label(&self, ws: &mut ParserWorkspace, head: u32, dep: u32) -> u8 {
        self.label_in(&ws.state, &ws.lex, head, dep, &mut ws.feats, &mut ws.scores)
    }

    /// The label model's choice for the arc `head → dep` in `state` (the root's own label for
    /// the root's dependent).
    pub(super) fn label_in(
        &self,
        state: &State,
        lex: &Lexical,
        head: u32,
        dep: u32,
        feats: &mut FeatureSet,
        scores: &mut Vec<i32>,
    ) -> u8 {
        if head == ROOT {
            return self.root_label;
        }
        let view = View {
            s: state,
            lex,
            label_hash: &self.label_hash,
        };
        label_features(&view, head, dep, feats);
        scores.clear();
        scores.resize(self.labels.len(), 0);
        self.labeller.score(&feats.keys, scores);
        let root = usize::from(self.root_label);
        argmax_valid(scores, |l| l != root).unwrap_or(0) as u8
    }

    /// Parses one sentence given its words and (predicted) UPOS and XPOS tags. `heads` gets
    /// 0-based head indices (`-1` = root) and `labels` label ids (see [`Parser::label_of`]).
    pub fn parse_into(
        &self,
        words: &[&str],
        upos: &[&str],
        xpos: &[&str],
        ws: &mut ParserWorkspace,
        heads: &mut Vec<i32>,
        labels: &mut Vec<u8>,
    ) {
        let hashes: Vec<u64> = upos.iter().zip(xpos).map(|(u, x)| tag_hash(u, x)).collect();
        self.parse_hashed(words, &hashes, ws, heads, labels);
    }

    /// [`Parser::parse_into`] with tags given as [`tag_hash`] values (no per-call hashing).
    pub fn parse_hashed(
        &self,
        words: &[&str],
        tag_hashes: &[u64],
        ws: &mut ParserWorkspace,
        heads: &mut Vec<i32>,
        labels: &mut Vec<u8>,
    ) {
        let n = words.len();
        heads.clear();
        labels.clear();
        if n == 0 {
            return;
        }
        assert_eq!(tag_hashes.len(), n, "one tag per word");
        ws.lex
            .fill(words, tag_hashes.iter().copied(), &self.lexicon);
        ws.state.reset(n);
        if self.beam > 1 {
            self.beam_parse(n, ws);
        }
        while !ws.state.is_terminal() {
            let view = View {
                s: &ws.state,
                lex: &ws.lex,
                label_hash: &self.label_hash,
            };
            action_features(&view, &mut ws.feats);
            ws.scores.clear();
            ws.scores.resize(4, 0);
            self.actions.score(&ws.feats.keys, &mut ws.scores);
            let state = &ws.state;
            let best = argmax_valid(&ws.scores, |a| state.is_valid(ACTIONS[a]))
                .expect("a non-terminal state has a valid transition");
            let action = ACTIONS[best];
            let label = match ws.state.arc_of(action) {
                Some((h, d)) => self.choose_label(ws, h, d),
                None => 0,
            };
            ws.state.apply(action, label);
        }
        self.attach_leftovers(words, ws);
        for d in 1..=n {
            heads.push(ws.state.head[d] as i32 - 1);
            labels.push(ws.state.label[d]);
        }
    }

    /// Words still headless at the end: the first becomes the root if there is none, the rest
    /// attach to the root word with a label from the label model (punctuation as `punct`).
    fn attach_leftovers(&self, words: &[&str], ws: &mut ParserWorkspace) {
        let n = ws.state.n;
        for d in 1..=n as u32 {
            let extra_root = ws.state.head[d as usize] == ROOT && ws.state.root_child != d;
            if ws.state.head[d as usize] != NONE && !extra_root {
                continue;
            }
            if ws.state.root_child == NONE {
                ws.state.add_arc(ROOT, d, self.root_label);
                continue;
            }
            let h = ws.state.root_child;
            let is_punct = words[d as usize - 1].chars().all(|c| !c.is_alphanumeric());
            let label = self
                .labels
                .iter()
                .position(|l| l == "punct")
                .filter(|_| is_punct)
                .map(|l| l as u8)
                .unwrap_or_else(|| self.choose_label(ws, h, d));
            ws.state.add_arc(h, d, label);
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(b"DEP");
        w.strs(&self.labels);
        w.u8(self.root_label);
        let mut lexicon: Vec<(&String, &u64)> = self.lexicon.words.iter().collect();
        lexicon.sort();
        w.u32(lexicon.len() as u32);
        for (word, &amb) in lexicon {
            w.str(word);
            w.u32(amb as u32);
            w.u32((amb >> 32) as u32);
        }
        let mut coarse: Vec<(&u64, &u64)> = self.lexicon.coarse.iter().collect();
        coarse.sort();
        w.u32(coarse.len() as u32);
        for (&tag, &class) in coarse {
            for v in [tag, class] {
                w.u32(v as u32);
                w.u32((v >> 32) as u32);
            }
        }
        self.actions.write(&mut w);
        self.labeller.write(&mut w);
        if self.beam > 1 {
            w.u8(self.beam);
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Parser, ModelError> {
        let mut r = Reader::new(bytes, b"DEP")?;
        let labels = r.strs()?;
        let root_label = r.u8()?;
        let n = r.u32()? as usize;
        let mut words = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let word = r.str()?;
            let amb = u64::from(r.u32()?) | (u64::from(r.u32()?) << 32);
            words.insert(word, amb);
        }
        let n = r.u32()? as usize;
        let mut coarse = HashMap::with_capacity(n);
        for _ in 0..n {
            let tag = u64::from(r.u32()?) | (u64::from(r.u32()?) << 32);
            let class = u64::from(r.u32()?) | (u64::from(r.u32()?) << 32);
            coarse.insert(tag, class);
        }
        let lexicon = AmbiguityLexicon { words, coarse };
        let actions = LinearModel::read(&mut r)?;
        let labeller = LinearModel::read(&mut r)?;
        let beam = if r.is_done() { 1 } else { r.u8()?.max(1) };
        r.finish()?;
        if labels.is_empty()
            || labels.len() > 64
            || usize::from(root_label) >= labels.len()
            || actions.n_classes() != 4
            || labeller.n_classes() != labels.len()
        {
            return Err(ModelError::Corrupt("parser tables disagree".into()));
        }
        let label_hash = labels.iter().map(|l| hash_str(l)).collect();
        Ok(Parser {
            labels,
            label_hash,
            root_label,
            lexicon,
            actions,
            labeller,
            beam,
            beam_margin: BEAM_MARGIN,
        })
    }
}
