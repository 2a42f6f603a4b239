//! Averaged multiclass perceptron: the learner behind the tagger and the parser.
//!
//! Features are hashed to 32-bit keys ([`FeatureSet`]); a model maps a key to a row of class
//! weights. Two representations:
//!
//! * [`PerceptronTrainer`] — dense `f32` rows plus `f64` accumulators for averaging with the
//!   "w − u/c" trick (Daumé III): each update adds `c·δ` to `u`, so the average over all
//!   `c` steps is `w − u/c` without per-weight timestamps. Rows exist only for keys that were
//!   ever updated, which is what keeps training memory bounded.
//! * [`LinearModel`] — the compiled, immutable runtime form: averaged weights quantised
//!   (`i16` in model files, 8-bit in memory) with one scale per model, near-zero weights
//!   pruned, rows stored sparse as `(class, weight)` entries, looked up through an
//!   open-addressing table of keys. Sparse rows
//!   are what make wide models (≈100 tagger classes, 50 labels) fit the size budget: after
//!   averaging most keys carry weight for only a few classes.
//!
//! 32-bit keys make this a hashing-trick model: two features may share a key, and an unseen
//! feature may hit a stored key. With a few million keys in a 2³² space that is rare noise,
//! and training sees exactly the same collisions as prediction.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model_io::{ModelError, Reader, Writer, combine, mix64};

pub mod train;

pub use train::PerceptronTrainer;

/// Hasher for keys that are already uniformly distributed: passes them through.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type KeyMap = HashMap<u32, u32, BuildHasherDefault<KeyHasher>>;

/// The hashed features of one decision.
#[derive(Debug, Default, Clone)]
pub struct FeatureSet {
    pub keys: Vec<u32>,
}

#[inline]
fn to_key(h: u64) -> u32 {
    let k = (mix64(h) >> 32) as u32;
    if k == 0 { 1 } else { k }
}

#[inline]
fn seed(template: u32) -> u64 {
    u64::from(template).wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0x51_7cc1_b727_220a
}

impl FeatureSet {
    pub fn clear(&mut self) {
        self.keys.clear();
    }
    /// A feature of any number of values (the same key as `add1`..`add4` for one to four).
    #[inline]
    pub fn add(&mut self, template: u32, values: &[u64]) {
        let h = values.iter().fold(seed(template), |h, &v| combine(h, v));
        self.keys.push(to_key(h));
    }
    #[inline]
    pub fn add1(&mut self, template: u32, a: u64) {
        self.keys.push(to_key(combine(seed(template), a)));
    }
    #[inline]
    pub fn add2(&mut self, template: u32, a: u64, b: u64) {
        self.keys
            .push(to_key(combine(combine(seed(template), a), b)));
    }
    #[inline]
    pub fn add3(&mut self, template: u32, a: u64, b: u64, c: u64) {
        self.keys
            .push(to_key(combine(combine(combine(seed(template), a), b), c)));
    }
    #[inline]
    pub fn add4(&mut self, template: u32, a: u64, b: u64, c: u64, d: u64) {
        self.keys.push(to_key(combine(
            combine(combine(combine(seed(template), a), b), c),
            d,
        )));
    }
}

#[inline]
fn pack(class: usize, weight: i16) -> u32 {
    ((class as u32) << 16) | u32::from(weight as u16)
}

/// Compiled, immutable averaged-perceptron weights (see the module docs).
///
/// A parser decision probes dozens of random keys in tables of megabytes, far larger than
/// the caches, and the whole NLP core makes about 560 probes a word, so the layout is built
/// for cheap probes: weights are 8-bit (one scale per model; on the UD dev and held-out sets
/// this moved UAS/LAS/UPOS by at most 0.05 against 16-bit weights), models with at most four
/// classes keep them inline next to the key (8 bytes a feature, eight features a cache line),
/// wider models keep sparse rows of 2-byte `(class, weight)` entries, tables are a quarter
/// full (`SLOTS_PER_ROW`; not a power of two: see `home`) so that a probe mostly ends at
/// its first slot, and large tables sit in huge pages (`Buf`). [`LinearModel::score`]
/// announces every key's slot (and then every row's entries) before reading any, so the CPU
/// overlaps the misses.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    n_classes: usize,
    scale: f32,
    table: Table,
    n_rows: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Table {
    /// Open addressing: 0 = empty, else `key | start << 32 | (len - 1) << 56`; rows of
    /// `class << 8 | weight as u8` in `entries`.
    /// Rows with many entries are dense instead: `len - 1` is then [`DENSE`] and `start`
    /// indexes a row of `n_classes` weights in `dense`.
    Sparse {
        slots: Slots,
        entries: Buf<u16>,
        dense: Buf<i8>,
    },
    /// Open addressing: 0 = empty, else `key | w0 << 32 | w1 << 40 | w2 << 48 | w3 << 56`.
    Inline { slots: Slots },
}

/// Memory for a table: slots or sparse-row entries. Tables of megabytes are mapped directly
/// and, on Linux, advised to use transparent huge pages: building them then takes one page
/// fault per 2 MiB instead of one per 4 KiB (the NLP models load in half the time), and
/// lookups, which land at random across the table, miss the TLB less.
enum Buf<T> {
    Mapped(memmap2::MmapMut, std::marker::PhantomData<T>),
    Heap(Vec<T>),
}

type Slots = Buf<u64>;

impl<T: bytemuck::Pod> Buf<T> {
    /// Tables smaller than this stay on the heap.
    const MAP_FROM: usize = 2 << 20;

    fn zeroed(len: usize) -> Buf<T> {
        let bytes = len * std::mem::size_of::<T>();
        if bytes >= Self::MAP_FROM
            && let Ok(map) = memmap2::MmapMut::map_anon(bytes)
        {
            // A hint: if the kernel declines, the table works the same on small pages.
            #[cfg(target_os = "linux")]
            let _ = map.advise(memmap2::Advice::HugePage);
            return Buf::Mapped(map, std::marker::PhantomData);
        }
        Buf::Heap(vec![T::zeroed(); len])
    }

    fn from_slice(values: &[T]) -> Buf<T> {
        let mut buf = Buf::zeroed(values.len());
        buf.copy_from_slice(values);
        buf
    }
}

impl<T: bytemuck::Pod> std::ops::Deref for Buf<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            // Mappings are page-aligned, so the cast cannot fail.
            Buf::Mapped(map, _) => bytemuck::cast_slice(map),
            Buf::Heap(v) => v,
        }
    }
}

impl<T: bytemuck::Pod> std::ops::DerefMut for Buf<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Buf::Mapped(map, _) => bytemuck::cast_slice_mut(map),
            Buf::Heap(v) => v,
        }
    }
}

impl<T: bytemuck::Pod> Clone for Buf<T> {
    fn clone(&self) -> Buf<T> {
        Buf::from_slice(self)
    }
}

impl<T: bytemuck::Pod + PartialEq> PartialEq for Buf<T> {
    fn eq(&self, other: &Buf<T>) -> bool {
        **self == **other
    }
}

impl<T: bytemuck::Pod> std::fmt::Debug for Buf<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Buf({} values)", self.len())
    }
}

const MAX_START: usize = 1 << 24;
const INLINE_CLASSES: usize = 4;
const BATCH: usize = 16;
/// Table slots per stored row: a quarter-full table settles most lookups, hits and misses
/// alike, at the first slot probed. At two-thirds full the probe loop's unpredictable exits
/// cost the whole NLP core 17% of its speed on news text (3 slots per row: 15%), for tables
/// a third of the size.
const SLOTS_PER_ROW: usize = 4;
/// A sparse table's row with at least `n_classes / DENSE_SHARE` weights is stored dense: the
/// tagger's most used features carry weights for dozens of its 102 classes, and adding a
/// whole row at once is cheaper than as many scattered adds.
const DENSE_SHARE: usize = 3;
/// The length field of a dense row's slot (a sparse row of 256 entries cannot occur below
/// 256 classes).
const DENSE: usize = 0xff;

/// Requantises 16-bit weights (model files, [`PerceptronTrainer::compile_mean`]) to the
/// 8-bit runtime form: `(step, weights)` with `w8 = round(w16 / step)`, the largest weight
/// at ±127. Idempotent on weights already within ±127.
fn to_i8(weights: impl Iterator<Item = i16> + Clone) -> (f32, impl Iterator<Item = i8>) {
    let max = weights
        .clone()
        .map(|w| w.unsigned_abs())
        .max()
        .unwrap_or(0)
        .max(127);
    let step = f32::from(max) / 127.0;
    (
        step,
        weights.map(move |w| (f32::from(w) / step).round().clamp(-127.0, 127.0) as i8),
    )
}

impl LinearModel {
    /// Builds the runtime tables from rows of `(key, start, len)` over 16-bit `entries`
    /// (`class << 16 | weight as u16`) with their `scale`.
    fn from_rows(
        n_classes: usize,
        scale: f32,
        rows: &[(u32, u32, u32)],
        entries: Vec<u32>,
    ) -> LinearModel {
        assert!(n_classes <= 256, "at most 256 classes per model");
        assert!(entries.len() < MAX_START, "too many weights for one model");
        let (step, weights) = to_i8(entries.iter().map(|&e| e as u16 as i16));
        let weights: Vec<i8> = weights.collect();
        let class = |e: u32| (e >> 16) as usize;
        // Rows whose weights all round to zero are dropped.
        let rows: Vec<(u32, usize, usize)> = rows
            .iter()
            .map(|&(key, start, len)| (key, start as usize, len as usize))
            .filter(|&(_, start, len)| weights[start..start + len].iter().any(|&w| w != 0))
            .collect();
        let capacity = (rows.len() * SLOTS_PER_ROW).max(16);
        let table = if n_classes <= INLINE_CLASSES {
            let mut slots = Slots::zeroed(capacity);
            for &(key, start, len) in &rows {
                let mut v = u64::from(key);
                for i in start..start + len {
                    v |= u64::from(weights[i] as u8) << (32 + 8 * class(entries[i]));
                }
                let i = free_slot(&slots, key);
                slots[i] = v;
            }
            Table::Inline { slots }
        } else {
            let mut slots = Slots::zeroed(capacity);
            let mut packed = Vec::with_capacity(entries.len());
            let mut dense = Vec::new();
            let dense_from = if n_classes < 256 {
                (n_classes / DENSE_SHARE).max(1)
            } else {
                usize::MAX
            };
            for &(key, start, len) in &rows {
                let nonzero = (start..start + len).filter(|&i| weights[i] != 0);
                let (first, last) = if nonzero.clone().count() >= dense_from {
                    let row = dense.len() / n_classes;
                    dense.resize(dense.len() + n_classes, 0i8);
                    for i in nonzero {
                        dense[row * n_classes + class(entries[i])] = weights[i];
                    }
                    (row, DENSE)
                } else {
                    let first = packed.len();
                    for i in nonzero {
                        packed
                            .push(((class(entries[i]) as u16) << 8) | u16::from(weights[i] as u8));
                    }
                    (first, packed.len() - first - 1)
                };
                assert!(first < MAX_START, "too many rows for one model");
                let i = free_slot(&slots, key);
                slots[i] = u64::from(key) | ((first as u64) << 32) | ((last as u64) << 56);
            }
            Table::Sparse {
                slots,
                entries: Buf::from_slice(&packed),
                dense: Buf::from_slice(&dense),
            }
        };
        LinearModel {
            n_classes,
            scale: scale * step,
            table,
            n_rows: rows.len(),
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of stored feature keys.
    pub fn n_features(&self) -> usize {
        self.n_rows
    }

    /// Every stored row as `(key, [(class, weight)])`, in a deterministic order.
    fn rows(&self) -> Vec<(u32, Vec<(usize, i16)>)> {
        let mut rows: Vec<(u32, Vec<(usize, i16)>)> = match &self.table {
            Table::Sparse {
                slots,
                entries,
                dense,
            } => slots
                .iter()
                .filter(|&&s| s != 0)
                .map(|&s| {
                    let row = match sparse_row(s) {
                        (row, None) => dense_row(dense, row, self.n_classes)
                            .iter()
                            .enumerate()
                            .filter(|&(_, &w)| w != 0)
                            .map(|(c, &w)| (c, i16::from(w)))
                            .collect(),
                        (start, Some(len)) => entries[start..start + len]
                            .iter()
                            .map(|&e| (usize::from(e >> 8), i16::from(e as u8 as i8)))
                            .collect(),
                    };
                    (s as u32, row)
                })
                .collect(),
            Table::Inline { slots } => slots
                .iter()
                .filter(|&&s| s != 0)
                .map(|&s| {
                    let row = (0..self.n_classes)
                        .map(|c| (c, i16::from((s >> (32 + 8 * c)) as u8 as i8)))
                        .filter(|&(_, w)| w != 0)
                        .collect();
                    (s as u32, row)
                })
                .collect(),
        };
        rows.sort_unstable_by_key(|r| r.0);
        rows
    }

    /// Asks the CPU to start loading the table slots of `keys`. The tables are far larger
    /// than the caches, so lookups wait on memory; announcing every key of a state (or of
    /// several states) before reading any lets those waits overlap.
    #[inline]
    pub fn prefetch(&self, keys: &[u32]) {
        let slots = match &self.table {
            Table::Inline { slots } | Table::Sparse { slots, .. } => slots,
        };
        for &k in keys {
            prefetch(&slots[home(k, slots.len())]);
        }
    }

    /// Adds the weights of `keys` to `scores` (integer units; see [`LinearModel::scale`]).
    #[inline]
    pub fn score(&self, keys: &[u32], scores: &mut [i32]) {
        self.prefetch(keys);
        self.score_fetched(keys, scores);
    }

    /// [`LinearModel::score`] without its own prefetch (the caller issued it).
    #[inline]
    pub fn score_fetched(&self, keys: &[u32], scores: &mut [i32]) {
        match &self.table {
            Table::Inline { slots } => {
                let mut acc = [0i32; INLINE_CLASSES];
                for &k in keys {
                    let v = find(slots, k);
                    if v != 0 {
                        for (c, a) in acc.iter_mut().enumerate() {
                            *a += i32::from((v >> (32 + 8 * c)) as u8 as i8);
                        }
                    }
                }
                for (s, a) in scores.iter_mut().zip(acc) {
                    *s += a;
                }
            }
            Table::Sparse {
                slots,
                entries,
                dense,
            } => {
                // Each row's entries are a second memory load that depends on the first:
                // find the rows of a batch and announce their entries, then add them.
                let n = self.n_classes;
                let scores = &mut scores[..n];
                for batch in keys.chunks(BATCH) {
                    let mut rows = [(0usize, None); BATCH];
                    let mut found = 0;
                    for &k in batch {
                        let v = find(slots, k);
                        if v != 0 {
                            let row = sparse_row(v);
                            match row {
                                (r, None) => {
                                    for w in dense_row(dense, r, n).iter().step_by(64) {
                                        prefetch(w);
                                    }
                                }
                                (start, Some(len)) => {
                                    for e in entries[start..start + len].iter().step_by(32) {
                                        prefetch(e);
                                    }
                                }
                            }
                            rows[found] = row;
                            found += 1;
                        }
                    }
                    for &row in &rows[..found] {
                        match row {
                            // Long rows: every class at once (vectorised), no scattered adds.
                            (r, None) => {
                                for (s, &w) in scores.iter_mut().zip(dense_row(dense, r, n)) {
                                    *s += i32::from(w);
                                }
                            }
                            (start, Some(len)) => {
                                for &e in &entries[start..start + len] {
                                    scores[usize::from(e >> 8)] += i32::from(e as u8 as i8);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The factor that turns integer scores back into perceptron weights.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Serialises into a model file under construction.
    pub fn write(&self, w: &mut Writer) {
        w.u16(self.n_classes as u16);
        w.f32(self.scale);
        w.u32(self.n_rows as u32);
        for (key, row) in self.rows() {
            w.u32(key);
            w.u8((row.len() - 1) as u8);
            for (class, weight) in row {
                w.u8(class as u8);
                w.u16(weight as u16);
            }
        }
    }

    /// Reads what [`LinearModel::write`] wrote.
    pub fn read(r: &mut Reader<'_>) -> Result<LinearModel, ModelError> {
        let n_classes = usize::from(r.u16()?);
        let scale = r.f32()?;
        let n_rows = r.u32()? as usize;
        let mut rows = Vec::with_capacity(n_rows);
        let mut entries = Vec::with_capacity(n_rows * 4);
        for _ in 0..n_rows {
            let key = r.u32()?;
            let len = usize::from(r.u8()?) + 1;
            let start = entries.len();
            let bytes = r.take(len * 3)?;
            for chunk in bytes.chunks_exact(3) {
                let class = usize::from(chunk[0]);
                if class >= n_classes {
                    return Err(ModelError::Corrupt(format!("class {class} out of range")));
                }
                let weight = i16::from_le_bytes([chunk[1], chunk[2]]);
                entries.push(pack(class, weight));
            }
            rows.push((key, start as u32, len as u32));
        }
        if entries.len() >= MAX_START || n_classes > 256 {
            return Err(ModelError::Corrupt("model too large".into()));
        }
        Ok(LinearModel::from_rows(n_classes, scale, &rows, entries))
    }
}

/// `(start, Some(len))` of a sparse row from its slot; `(row, None)` for a dense row.
#[inline]
fn sparse_row(slot: u64) -> (usize, Option<usize>) {
    let start = ((slot >> 32) & 0xff_ffff) as usize;
    match (slot >> 56) as usize {
        DENSE => (start, None),
        last => (start, Some(last + 1)),
    }
}

/// The weights of dense row `row` of a model with `n` classes.
#[inline]
fn dense_row(dense: &[i8], row: usize, n: usize) -> &[i8] {
    &dense[row * n..(row + 1) * n]
}

/// The slot holding `key`, or 0 (linear probing from its home slot).
#[inline]
fn find(slots: &[u64], key: u32) -> u64 {
    let mut i = home(key, slots.len());
    loop {
        let v = slots[i];
        if v == 0 || v as u32 == key {
            return v;
        }
        i += 1;
        if i == slots.len() {
            i = 0;
        }
    }
}

/// The first empty slot on `key`'s probe sequence (building only).
fn free_slot(slots: &[u64], key: u32) -> usize {
    let mut i = home(key, slots.len());
    while slots[i] != 0 {
        i = (i + 1) % slots.len();
    }
    i
}

/// A hint to fetch the cache line of `x` (nothing on targets without one).
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing and cannot fault; `x` is a valid
    // reference anyway.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// The home slot of `key` in a table of `len` slots (multiply-shift range reduction, so
/// tables need not be a power of two).
#[inline]
fn home(key: u32, len: usize) -> usize {
    // Keys are already uniform; the multiply only guards against patterned bits.
    let mixed = key.wrapping_mul(0x9e37_79b1) ^ (key >> 16);
    ((u64::from(mixed) * len as u64) >> 32) as usize
}

/// Index of the best-scoring class among those allowed by `valid` (ties → lowest index).
pub fn argmax_valid<S: PartialOrd + Copy>(
    scores: &[S],
    valid: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &s) in scores.iter().enumerate() {
        if valid(i) && best.is_none_or(|b| s > scores[b]) {
            best = Some(i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `model` written to a model file and read back (the whole file must be consumed).
    fn round_trip(model: &LinearModel) -> LinearModel {
        let mut w = Writer::new(b"TST");
        model.write(&mut w);
        let mut r = Reader::new(&w.bytes, b"TST").unwrap();
        let loaded = LinearModel::read(&mut r).unwrap();
        r.finish().unwrap();
        loaded
    }

    /// Two classes separable by one feature each; the perceptron must learn them.
    #[test]
    fn learns_a_separable_problem_and_survives_serialisation() {
        let mut t = PerceptronTrainer::new(3);
        let examples: Vec<(Vec<u32>, usize)> = vec![
            (vec![10, 99], 0),
            (vec![20, 99], 1),
            (vec![30, 99], 2),
            (vec![10, 20], 0),
        ];
        for _ in 0..10 {
            for (keys, truth) in &examples {
                let mut scores = vec![0.0; 3];
                t.score(keys, &mut scores);
                let guess = argmax_valid(&scores, |_| true).unwrap();
                t.update(keys, *truth, guess);
                t.tick();
            }
        }
        let model = t.compile(0.0);
        let predict = |m: &LinearModel, keys: &[u32]| {
            let mut s = vec![0i32; 3];
            m.score(keys, &mut s);
            argmax_valid(&s, |_| true).unwrap()
        };
        assert_eq!(predict(&model, &[10, 99]), 0);
        assert_eq!(predict(&model, &[20, 99]), 1);
        assert_eq!(predict(&model, &[30, 99]), 2);
        let loaded = round_trip(&model);
        for keys in [[10u32, 99], [20, 99], [30, 99], [5, 6]] {
            let mut a = vec![0i32; 3];
            let mut b = vec![0i32; 3];
            model.score(&keys, &mut a);
            loaded.score(&keys, &mut b);
            assert_eq!(a, b);
        }
        // Pruning with a huge threshold empties the model.
        assert_eq!(t.compile(1e9).n_features(), 0);
    }

    /// Tables of megabytes live in mapped memory rather than on the heap: they must score,
    /// clone and serialise exactly as small ones do.
    #[test]
    fn large_tables_score_like_small_ones() {
        for n_classes in [3, 10] {
            let mut t = PerceptronTrainer::new(n_classes);
            let keys: Vec<u32> = (1..=200_000u32)
                .map(|k| k.wrapping_mul(2_654_435_761))
                .collect();
            for (i, &k) in keys.iter().enumerate() {
                t.add(&[k], i % n_classes, 1.0 + (i % 7) as f32);
            }
            // Averaged over many later steps, every weight keeps nearly its value.
            for _ in 0..1000 {
                t.tick();
            }
            let model = t.compile(0.0);
            let slots = match &model.table {
                Table::Inline { slots } | Table::Sparse { slots, .. } => slots,
            };
            assert!(
                matches!(slots, Buf::Mapped(..)),
                "a table of megabytes is mapped"
            );
            assert_eq!(model.n_features(), keys.len());
            for (i, &k) in keys.iter().enumerate().step_by(997) {
                let mut scores = vec![0i32; n_classes];
                model.score(&[k], &mut scores);
                assert_eq!(argmax_valid(&scores, |_| true), Some(i % n_classes));
                assert_eq!(scores.iter().filter(|&&x| x != 0).count(), 1);
            }
            let mut absent = vec![0i32; n_classes];
            model.score(&[3, 5, 7], &mut absent);
            assert!(absent.iter().all(|&x| x == 0));
            assert_eq!(model.clone(), model);
            assert_eq!(round_trip(&model), model);
        }
    }

    /// Rows with a few weights stay sparse, rows with many become dense: both must give the
    /// trainer's averaged weights back (up to 8-bit rounding), alone and summed.
    #[test]
    fn dense_and_sparse_rows_score_as_trained() {
        let n = 102;
        let mut t = PerceptronTrainer::new(n);
        // Key k carries weights on its first k classes: 1..=102 weights a row.
        for k in 1..=n as u32 {
            for c in 0..k as usize {
                t.add(&[k], c, ((c * 7 + k as usize) % 11) as f32 - 5.0);
            }
        }
        for _ in 0..1000 {
            t.tick();
        }
        let model = t.compile(0.0);
        let Table::Sparse { dense, entries, .. } = &model.table else {
            panic!("102 classes make a sparse table");
        };
        assert!(
            !dense.is_empty() && !entries.is_empty(),
            "both kinds of row"
        );
        let step = model.scale();
        for keys in [
            vec![1u32],
            vec![33],
            vec![34],
            vec![102],
            vec![5, 60, 102, 999],
        ] {
            let mut want = vec![0f32; n];
            t.score(&keys, &mut want);
            let mut got = vec![0i32; n];
            model.score(&keys, &mut got);
            for (w, g) in want.iter().zip(&got) {
                assert!(
                    (w - *g as f32 * step).abs() <= step * keys.len() as f32,
                    "{keys:?}"
                );
            }
        }
        assert_eq!(round_trip(&model), model);
    }

    #[test]
    fn feature_keys_depend_on_template_and_values() {
        let mut f = FeatureSet::default();
        f.add1(1, 5);
        f.add1(2, 5);
        f.add2(1, 5, 6);
        f.add2(1, 6, 5);
        let mut sorted = f.keys.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 4);
        assert!(f.keys.iter().all(|&k| k != 0));
    }

    #[test]
    fn mean_of_trainers_scores_as_the_mean_of_their_scores() {
        let mut a = PerceptronTrainer::new(2);
        let mut b = PerceptronTrainer::new(2);
        // `a` learns key 1 → class 0; `b` learns key 2 → class 1 and key 1 → class 1, weakly.
        a.update(&[1], 0, 1);
        a.tick();
        b.update(&[2], 1, 0);
        b.update(&[2], 1, 0);
        b.tick();
        b.update(&[1], 1, 0);
        b.tick();
        let mean = PerceptronTrainer::compile_mean(&[&a, &b], 0.0);
        assert_eq!(mean.n_features(), 2);
        let score = |m: &LinearModel, keys: &[u32]| {
            let mut s = vec![0i32; 2];
            m.score(keys, &mut s);
            s.iter()
                .map(|&v| v as f32 * m.scale())
                .collect::<Vec<f32>>()
        };
        let (sa, sb) = (
            score(&a.compile(0.0), &[1, 2]),
            score(&b.compile(0.0), &[1, 2]),
        );
        let sm = score(&mean, &[1, 2]);
        // Equal up to the 8-bit quantisation: one step of each model per weight.
        let tol = 2.0 * (mean.scale() + a.compile(0.0).scale() + b.compile(0.0).scale());
        for c in 0..2 {
            assert!(
                (sm[c] - (sa[c] + sb[c]) / 2.0).abs() <= tol,
                "{sm:?} {sa:?} {sb:?}"
            );
        }
        // A single trainer compiles exactly as before.
        assert_eq!(PerceptronTrainer::compile_mean(&[&a], 0.0), a.compile(0.0));
    }
}
