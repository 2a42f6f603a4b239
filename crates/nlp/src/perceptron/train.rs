//! The training-time form of the averaged perceptron (see the module docs of
//! [`crate::perceptron`]), compiled into a [`LinearModel`] when training ends.

use super::{KeyMap, LinearModel, pack};

/// Training-time averaged perceptron with dense rows.
pub struct PerceptronTrainer {
    n_classes: usize,
    rows: KeyMap,
    weights: Vec<f32>,
    sums: Vec<f64>,
    /// Number of examples seen so far plus one (the averaging clock).
    clock: f64,
}

impl PerceptronTrainer {
    pub fn new(n_classes: usize) -> PerceptronTrainer {
        PerceptronTrainer {
            n_classes,
            rows: KeyMap::default(),
            weights: Vec::new(),
            sums: Vec::new(),
            clock: 1.0,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Adds the current (not averaged) weights of `keys` to `scores`.
    pub fn score(&self, keys: &[u32], scores: &mut [f32]) {
        let n = self.n_classes;
        for key in keys {
            if let Some(&row) = self.rows.get(key) {
                let w = &self.weights[row as usize * n..(row as usize + 1) * n];
                for (s, w) in scores.iter_mut().zip(w) {
                    *s += *w;
                }
            }
        }
    }

    fn row_of(&mut self, key: u32) -> usize {
        let next = self.rows.len() as u32;
        let row = *self.rows.entry(key).or_insert(next);
        if row == next {
            self.weights
                .resize(self.weights.len() + self.n_classes, 0.0);
            self.sums.resize(self.sums.len() + self.n_classes, 0.0);
        }
        row as usize
    }

    /// Perceptron update: rewards `truth`, penalises `guess` (no-op when equal).
    pub fn update(&mut self, keys: &[u32], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        let n = self.n_classes;
        let clock = self.clock;
        for &key in keys {
            let row = self.row_of(key);
            self.weights[row * n + truth] += 1.0;
            self.sums[row * n + truth] += clock;
            self.weights[row * n + guess] -= 1.0;
            self.sums[row * n + guess] -= clock;
        }
    }

    /// Adds `delta` to the weights of `keys` for `class` (structured updates).
    pub fn add(&mut self, keys: &[u32], class: usize, delta: f32) {
        let n = self.n_classes;
        let clock = self.clock;
        for &key in keys {
            let row = self.row_of(key);
            self.weights[row * n + class] += delta;
            self.sums[row * n + class] += clock * f64::from(delta);
        }
    }

    /// Advances the averaging clock: call once per training example.
    pub fn tick(&mut self) {
        self.clock += 1.0;
    }

    /// Compiles the averaged weights: entries with `|w| < prune` are dropped.
    pub fn compile(&self, prune: f32) -> LinearModel {
        PerceptronTrainer::compile_mean(&[self], prune)
    }

    /// The averaged weight of class `c` in `row`.
    fn averaged(&self, row: usize, c: usize) -> f32 {
        let i = row * self.n_classes + c;
        (f64::from(self.weights[i]) - self.sums[i] / self.clock) as f32
    }

    /// Compiles the mean of several trainers' averaged weights (same classes). For linear
    /// models the mean of the weights scores exactly as the mean of the models' scores, so
    /// this turns an ensemble (e.g. the same model trained on differently shuffled data)
    /// into one model with no extra cost per prediction. Entries with `|w| < prune` are
    /// dropped.
    pub fn compile_mean(trainers: &[&PerceptronTrainer], prune: f32) -> LinearModel {
        let n = trainers.first().map_or(1, |t| t.n_classes);
        assert!(trainers.iter().all(|t| t.n_classes == n), "same classes");
        let mut keys: Vec<u32> = trainers
            .iter()
            .flat_map(|t| t.rows.keys().copied())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let members = trainers.len().max(1) as f32;
        let mut mean = vec![0f32; keys.len() * n];
        for t in trainers {
            for (k, &key) in keys.iter().enumerate() {
                if let Some(&row) = t.rows.get(&key) {
                    for c in 0..n {
                        mean[k * n + c] += t.averaged(row as usize, c) / members;
                    }
                }
            }
        }
        let max_abs = mean.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max_abs > 0.0 {
            max_abs / 32767.0
        } else {
            1.0
        };
        let mut rows = Vec::with_capacity(keys.len());
        let mut entries = Vec::new();
        for (k, &key) in keys.iter().enumerate() {
            let start = entries.len();
            for c in 0..n {
                let w = mean[k * n + c];
                if w.abs() < prune {
                    continue;
                }
                let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                if q != 0 {
                    entries.push(pack(c, q));
                }
            }
            if entries.len() > start {
                rows.push((key, start as u32, (entries.len() - start) as u32));
            } else {
                entries.truncate(start);
            }
        }
        LinearModel::from_rows(n, scale, &rows, entries)
    }
}
