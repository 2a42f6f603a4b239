//! A first-order sequence model on the team's averaged perceptron: emission weights per
//! feature key and tag (a [`LinearModel`] once compiled) plus a transition score per tag
//! pair, decoded by Viterbi over the legal transitions. Both attribution models are one.
//!
//! Training is the structured perceptron (Collins 2002): decode a sequence with the current
//! weights and, where the best path differs from the gold one, reward the gold tags'
//! features and transitions and penalise the predicted ones; the weights kept are the
//! averages over all steps.

use sitrep_nlp::model_io::{ModelError, Reader, Writer};
use sitrep_nlp::perceptron::{LinearModel, PerceptronTrainer};

use super::viterbi::{best_path, posteriors};

/// A compiled sequence model.
#[derive(Debug, Clone, PartialEq)]
pub struct SeqModel {
    pub n: usize,
    pub emissions: LinearModel,
    /// `(prev + 1) * n + tag`, row 0 the start; in perceptron weight units.
    pub transitions: Vec<f32>,
    pub allowed: Vec<bool>,
}

/// Per-thread buffers of decoding.
#[derive(Debug, Default)]
pub struct SeqScratch {
    pub scores: Vec<f32>,
    pub ints: Vec<i32>,
    pub path: Vec<u8>,
    pub posteriors: Vec<f32>,
    viterbi: Vec<f32>,
    back: Vec<u8>,
}

impl SeqModel {
    /// Adds the emission scores of one position (its feature `keys`) to `scratch.scores`.
    pub fn push_scores(&self, keys: &[u32], scratch: &mut SeqScratch) {
        scratch.ints.clear();
        scratch.ints.resize(self.n, 0);
        self.emissions.score(keys, &mut scratch.ints);
        let scale = self.emissions.scale();
        scratch
            .scores
            .extend(scratch.ints.iter().map(|&s| s as f32 * scale));
    }

    /// Decodes `scratch.scores` into `scratch.path`.
    pub fn decode(&self, scratch: &mut SeqScratch) {
        best_path(
            &scratch.scores,
            self.n,
            &self.transitions,
            &self.allowed,
            &mut scratch.path,
            &mut scratch.viterbi,
            &mut scratch.back,
        );
    }

    /// Tag posteriors of `scratch.scores` into `scratch.posteriors`.
    pub fn posteriors(&self, temperature: f32, scratch: &mut SeqScratch) {
        posteriors(
            &scratch.scores,
            self.n,
            &self.transitions,
            &self.allowed,
            temperature,
            &mut scratch.posteriors,
        );
    }

    pub fn write(&self, w: &mut Writer) {
        w.u16(self.n as u16);
        for &t in &self.transitions {
            w.f32(t);
        }
        for &a in &self.allowed {
            w.u8(u8::from(a));
        }
        self.emissions.write(w);
    }

    pub fn read(r: &mut Reader<'_>) -> Result<SeqModel, ModelError> {
        let n = usize::from(r.u16()?);
        if n == 0 || n > 16 {
            return Err(ModelError::Corrupt(format!("{n} tags")));
        }
        let transitions = (0..(n + 1) * n)
            .map(|_| r.f32())
            .collect::<Result<_, _>>()?;
        let allowed = (0..(n + 1) * n)
            .map(|_| r.u8().map(|b| b != 0))
            .collect::<Result<_, _>>()?;
        let emissions = LinearModel::read(r)?;
        if emissions.n_classes() != n {
            return Err(ModelError::Corrupt("emission width".into()));
        }
        Ok(SeqModel {
            n,
            emissions,
            transitions,
            allowed,
        })
    }
}

/// The structured perceptron over sequences of one tag set.
pub struct SeqTrainer {
    n: usize,
    emissions: PerceptronTrainer,
    transitions: Vec<f32>,
    sums: Vec<f64>,
    clock: f64,
    allowed: Vec<bool>,
    scores: Vec<f32>,
    scratch: SeqScratch,
}

impl SeqTrainer {
    pub fn new(n: usize, allowed: Vec<bool>) -> SeqTrainer {
        SeqTrainer {
            n,
            emissions: PerceptronTrainer::new(n),
            transitions: vec![0.0; (n + 1) * n],
            sums: vec![0.0; (n + 1) * n],
            clock: 1.0,
            allowed,
            scores: Vec::new(),
            scratch: SeqScratch::default(),
        }
    }

    /// One training step on a sequence: `keys[offsets[i]..offsets[i + 1]]` are position
    /// `i`'s features, `gold` its tags; `forbid(i, tag)` rules a tag out at a position (both
    /// in decoding and, never being predicted, in the update). Returns the positions decoded
    /// wrongly.
    pub fn learn(
        &mut self,
        keys: &[u32],
        offsets: &[u32],
        gold: &[u8],
        forbid: impl Fn(usize, usize) -> bool,
    ) -> usize {
        let n = self.n;
        let len = gold.len();
        self.scores.clear();
        self.scores.resize(len * n, 0.0);
        for i in 0..len {
            let k = &keys[offsets[i] as usize..offsets[i + 1] as usize];
            self.emissions
                .score(k, &mut self.scores[i * n..(i + 1) * n]);
            for tag in 0..n {
                if forbid(i, tag) {
                    self.scores[i * n + tag] = f32::NEG_INFINITY;
                }
            }
        }
        best_path(
            &self.scores,
            n,
            &self.transitions,
            &self.allowed,
            &mut self.scratch.path,
            &mut self.scratch.viterbi,
            &mut self.scratch.back,
        );
        let path = std::mem::take(&mut self.scratch.path);
        let mut wrong = 0;
        for i in 0..len {
            let (g, p) = (usize::from(gold[i]), usize::from(path[i]));
            if g != p {
                wrong += 1;
                let k = &keys[offsets[i] as usize..offsets[i + 1] as usize];
                self.emissions.add(k, g, 1.0);
                self.emissions.add(k, p, -1.0);
            }
            let (gp, pp) = if i == 0 {
                (0, 0)
            } else {
                (usize::from(gold[i - 1]) + 1, usize::from(path[i - 1]) + 1)
            };
            if (gp, g) != (pp, p) {
                self.bump(gp * n + g, 1.0);
                self.bump(pp * n + p, -1.0);
            }
        }
        self.scratch.path = path;
        self.emissions.tick();
        self.clock += 1.0;
        wrong
    }

    fn bump(&mut self, i: usize, delta: f32) {
        self.transitions[i] += delta;
        self.sums[i] += self.clock * f64::from(delta);
    }

    /// The averaged model, emission weights below `prune` dropped.
    pub fn compile(&self, prune: f32) -> SeqModel {
        SeqModel {
            n: self.n,
            emissions: self.emissions.compile(prune),
            transitions: self
                .transitions
                .iter()
                .zip(&self.sums)
                .map(|(&w, &s)| (f64::from(w) - s / self.clock) as f32)
                .collect(),
            allowed: self.allowed.clone(),
        }
    }
}
