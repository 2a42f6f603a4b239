//! Part-of-speech tagger: two greedy averaged-perceptron passes over joint `UPOS+XPOS`
//! classes.
//!
//! Design:
//! * One model predicts the pair (e.g. `ADP+IN`, `SCONJ+IN`) instead of two models: in EWT
//!   the UPOS is nearly a function of the Penn tag plus the word, so the pair costs little
//!   extra and keeps UPOS and XPOS consistent with each other.
//! * Features are the classic rich set for English (word, lowercase/normalised word, case-
//!   sensitive form, prefixes and suffixes of 1–5 characters, word shape, hyphen/digit/capital
//!   flags, words at ±1 and ±2, suffixes of the neighbours, the two previous predicted tags and
//!   their combinations with the current word), plus the words' *ambiguity classes* (the set
//!   of tags a word had in training), which also tell known from unknown words.
//! * **Two passes.** A left-to-right tagger cannot see the tags of the words to its right. The
//!   first pass tags left to right; the second pass runs right to left with the same features
//!   plus the first pass's tags of the word and of its left neighbours, so every decision sees
//!   predicted tags on both sides. The second pass must learn from first-pass tags as wrong as
//!   they will be on new text, so it is trained on *jackknifed* first-pass tags: the training
//!   set is cut into folds by document, and each fold is tagged by a first pass trained
//!   without it. The parser's jackknifed training tags reuse the same folds (see
//!   [`train_tagger_jackknifed`]). On a held-out slice of EWT train (every 7th document) the
//!   second pass adds about 0.1 UPOS; right to left beat left to right.
//! * A tag dictionary assigns frequent, practically unambiguous words (e.g. `the`, `,`) their
//!   tag without scoring; it speeds tagging up and removes easy examples from training.
//! * Training is deterministic: sentences are shuffled per epoch with a seeded PRNG.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::conllu::{Sentence, document_folds};
use crate::model_io::{ModelError, Reader, Rng, Writer, combine, hash_str};
use crate::perceptron::{FeatureSet, LinearModel, PerceptronTrainer, argmax_valid};

/// Per-token values the feature templates combine, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
struct TokenInfo {
    form: u64,
    norm: u64,
    prefix: [u64; AFFIXES],
    suffix: [u64; AFFIXES],
    shape: u64,
    flags: u64,
    /// Ambiguity class (the set of tags seen with the word) and most frequent tag, or the
    /// `UNKNOWN` marker for words the lexicon has not seen.
    amb: u64,
    mft: u64,
}

const START: TokenInfo = TokenInfo {
    form: 0x0053_5441_5254,
    norm: 0x0053_5441_5254,
    prefix: [1, 2, 3, 4, 9],
    suffix: [1, 2, 3, 4, 9],
    shape: 0x5354,
    flags: 0xffff,
    amb: 0x5354,
    mft: 0x5354,
};
const END: TokenInfo = TokenInfo {
    form: 0x0045_4e44,
    norm: 0x0045_4e44,
    prefix: [5, 6, 7, 8, 10],
    suffix: [5, 6, 7, 8, 10],
    shape: 0x454e,
    flags: 0xfffe,
    amb: 0x454e,
    mft: 0x454e,
};
/// Longest prefix and suffix used as features.
const AFFIXES: usize = 5;
const NO_TAG: u64 = 0x004e_4f54_4147;
const UNKNOWN: u64 = 0x0055_4e4b_4e4f_574e;

/// Word → (ambiguity class hash, most frequent tag class): lets the tagger look at which
/// tags the *following* words can take, and tells it which words are unknown. During
/// training each sentence sees a lexicon built without its own fold, so unknown words are
/// as frequent in training as they will be in new text.
#[derive(Debug, Clone, PartialEq, Default)]
struct TagLexicon {
    words: FxHashMap<String, (u64, u16)>,
}

impl TagLexicon {
    fn build<'a>(
        sentences: impl Iterator<Item = &'a Sentence>,
        class_of: &HashMap<(String, String), u16>,
    ) -> TagLexicon {
        let mut counts: HashMap<&str, HashMap<u16, usize>> = HashMap::new();
        for s in sentences {
            for w in &s.words {
                if let Some(&c) = class_of.get(&(w.upos.clone(), w.xpos.clone())) {
                    *counts
                        .entry(w.form.as_str())
                        .or_default()
                        .entry(c)
                        .or_default() += 1;
                }
            }
        }
        let words = counts
            .into_iter()
            .map(|(word, classes)| {
                let total: usize = classes.values().sum();
                let mut set: Vec<(u16, usize)> = classes.into_iter().collect();
                set.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let mft = set[0].0;
                let mut members: Vec<u16> = set
                    .iter()
                    .filter(|(_, n)| *n * 20 >= total)
                    .map(|(c, _)| *c)
                    .collect();
                members.sort_unstable();
                let amb = members
                    .iter()
                    .fold(0xa3b1_u64, |h, &c| combine(h, u64::from(c)));
                (word.to_string(), (amb, mft))
            })
            .collect();
        TagLexicon { words }
    }

    fn lookup(&self, word: &str) -> (u64, u64) {
        let hit = self.words.get(word).or_else(|| {
            if word.chars().any(char::is_uppercase) {
                self.words.get(&word.to_lowercase())
            } else {
                None
            }
        });
        match hit {
            Some(&(amb, mft)) => (amb, 0x6d66_7400 + u64::from(mft)),
            None => (UNKNOWN, UNKNOWN),
        }
    }
}

/// Lowercases and maps digits to `0`, so that numbers share statistics.
pub(crate) fn normalise(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii_digit() {
            out.push('0');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Collapsed character-class shape: `Iraq` → `Xx`, `1990s` → `dx`, `U.S.` → `X.X.`.
fn shape(word: &str) -> String {
    let mut out = String::new();
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
    out
}

impl TokenInfo {
    fn new(word: &str, first: bool, lexicon: &TagLexicon) -> TokenInfo {
        let (amb, mft) = lexicon.lookup(word);
        let norm = normalise(word);
        let chars: Vec<char> = norm.chars().collect();
        let mut prefix = [0u64; AFFIXES];
        let mut suffix = [0u64; AFFIXES];
        let mut buf = String::new();
        for k in 1..=AFFIXES {
            let n = k.min(chars.len());
            buf.clear();
            buf.extend(&chars[..n]);
            prefix[k - 1] = hash_str(&buf) ^ k as u64;
            buf.clear();
            buf.extend(&chars[chars.len() - n..]);
            suffix[k - 1] = hash_str(&buf) ^ (k as u64) << 8;
        }
        let mut flags = 0u64;
        let mut letters = 0;
        let mut uppers = 0;
        for (i, c) in word.chars().enumerate() {
            if c == '-' {
                flags |= 1;
            }
            if c.is_ascii_digit() {
                flags |= 2;
            }
            if c.is_uppercase() {
                uppers += 1;
                if i == 0 {
                    flags |= 4;
                }
            }
            if c.is_alphabetic() {
                letters += 1;
            }
        }
        if letters > 0 && uppers == letters {
            flags |= 8;
        }
        if first {
            flags |= 16;
        }
        if letters == 0 {
            flags |= 32;
        }
        TokenInfo {
            form: hash_str(word),
            norm: hash_str(&norm),
            prefix,
            suffix,
            shape: hash_str(&shape(word)),
            flags,
            amb,
            mft,
        }
    }
}

/// Feature templates (numbers are part of the hashed keys: never reuse one for another meaning).
fn features(info: &[TokenInfo], i: usize, prev1: u64, prev2: u64, f: &mut FeatureSet) {
    let at = |j: isize| -> &TokenInfo {
        if j < 0 {
            &START
        } else if j as usize >= info.len() {
            &END
        } else {
            &info[j as usize]
        }
    };
    let i = i as isize;
    let w = at(i);
    let (p1, p2, n1, n2) = (at(i - 1), at(i - 2), at(i + 1), at(i + 2));
    f.clear();
    f.add1(0, 0);
    f.add1(1, w.norm);
    f.add1(2, w.form);
    for k in 0..4 {
        f.add1(3 + k as u32, w.suffix[k]);
        f.add1(7 + k as u32, w.prefix[k]);
    }
    f.add1(45, w.suffix[4]);
    f.add1(46, w.prefix[4]);
    f.add1(11, w.shape);
    f.add1(12, w.flags);
    f.add1(13, p1.norm);
    f.add1(14, p2.norm);
    f.add1(15, n1.norm);
    f.add1(16, n2.norm);
    f.add1(17, prev1);
    f.add2(18, prev1, prev2);
    f.add2(19, prev1, w.norm);
    f.add1(20, p1.suffix[2]);
    f.add1(21, n1.suffix[2]);
    f.add2(22, w.norm, n1.norm);
    f.add2(23, p1.norm, w.norm);
    f.add1(24, n1.shape);
    f.add2(25, prev1, w.suffix[2]);
    f.add2(26, w.flags, w.shape);
    f.add2(27, prev1, n1.norm);
    f.add1(28, prev2);
    f.add2(29, w.suffix[1], n1.suffix[1]);
    f.add1(30, n1.flags);
    f.add2(31, n1.norm, n2.norm);
    // Ambiguity classes: what the neighbours can be, and whether the word is known at all.
    f.add1(32, w.amb);
    f.add1(33, n1.amb);
    f.add1(34, n2.amb);
    f.add1(35, p1.amb);
    f.add2(36, w.amb, n1.amb);
    f.add2(37, prev1, w.amb);
    f.add2(38, prev1, n1.amb);
    f.add1(39, n1.mft);
    f.add3(40, w.amb, n1.amb, n2.amb);
    if w.amb == UNKNOWN {
        f.add2(41, w.suffix[2], w.flags);
        f.add2(42, w.shape, prev1);
        f.add2(43, w.suffix[1], n1.amb);
        f.add3(44, w.flags, p1.flags, n1.flags);
    }
    f.add3(47, p1.norm, w.norm, n1.norm);
}

/// Extra templates of the second pass: the first pass's tags around the word, above all on
/// its right, which a left-to-right tagger cannot otherwise see. `first` holds class hashes.
fn refine_features(
    first: &[u64],
    info: &[TokenInfo],
    i: usize,
    reverse: bool,
    prev1: u64,
    f: &mut FeatureSet,
) {
    // Offsets ahead in the pass's direction: the side the pass has not tagged yet.
    let at = |k: usize| {
        let j = if reverse {
            i.checked_sub(k)
        } else {
            Some(i + k)
        };
        j.and_then(|j| first.get(j)).copied().unwrap_or(END_TAG)
    };
    let (t0, t1, t2) = (at(0), at(1), at(2));
    let w = &info[i];
    f.add1(60, t0);
    f.add1(61, t1);
    f.add1(62, t2);
    f.add2(63, t1, t2);
    f.add2(64, prev1, t1);
    f.add2(65, t0, w.norm);
    f.add2(66, t0, t1);
    f.add2(67, w.norm, t1);
    f.add3(68, prev1, t0, t1);
    f.add2(69, t0, w.suffix[2]);
    f.add2(70, t1, w.amb);
}

/// Direction of the refining pass.
const REFINE_REVERSE: bool = true;
const END_TAG: u64 = 0x0000_454e_4454_4147;

/// A trained tagger (immutable; `Send + Sync`).
#[derive(Debug, Clone, PartialEq)]
pub struct Tagger {
    upos: Vec<String>,
    xpos: Vec<String>,
    class_hash: Vec<u64>,
    tag_dict: FxHashMap<String, u16>,
    lexicon: TagLexicon,
    /// First pass: greedy left to right.
    model: LinearModel,
    /// Optional second pass, which also sees the first pass's tags of the following words.
    refiner: Option<LinearModel>,
}

/// Reusable scratch space for tagging.
#[derive(Debug, Default)]
pub struct TaggerWorkspace {
    info: Vec<TokenInfo>,
    feats: FeatureSet,
    scores: Vec<i32>,
    first: Vec<u64>,
}

fn class_hash(upos: &str, xpos: &str) -> u64 {
    hash_str(&format!("{upos}+{xpos}"))
}

/// One greedy pass over a sentence, left to right or (`reverse`) right to left. `fixed`
/// gives the tag of words the tag dictionary decides; `choose` picks the class of word `i`
/// from its features. `first` (class hashes of an earlier pass) adds the refining features.
#[allow(clippy::too_many_arguments)]
fn greedy_pass(
    info: &[TokenInfo],
    class_hash: &[u64],
    first: Option<&[u64]>,
    reverse: bool,
    feats: &mut FeatureSet,
    fixed: impl Fn(usize) -> Option<u16>,
    mut choose: impl FnMut(usize, &FeatureSet) -> u16,
    out: &mut Vec<u16>,
) {
    let n = info.len();
    out.clear();
    out.resize(n, 0);
    let (mut prev1, mut prev2) = (NO_TAG, NO_TAG);
    for k in 0..n {
        let i = if reverse { n - 1 - k } else { k };
        let class = match fixed(i) {
            Some(c) => c,
            None => {
                features(info, i, prev1, prev2, feats);
                if let Some(first) = first {
                    refine_features(first, info, i, reverse, prev1, feats);
                }
                choose(i, feats)
            }
        };
        out[i] = class;
        prev2 = prev1;
        prev1 = class_hash[usize::from(class)];
    }
}

impl Tagger {
    /// Number of joint tag classes.
    pub fn n_classes(&self) -> usize {
        self.upos.len()
    }

    pub fn upos_of(&self, class: u16) -> &str {
        &self.upos[usize::from(class)]
    }

    pub fn xpos_of(&self, class: u16) -> &str {
        &self.xpos[usize::from(class)]
    }

    /// Size of the feature tables (for reports).
    pub fn n_features(&self) -> usize {
        self.model.n_features() + self.refiner.as_ref().map_or(0, LinearModel::n_features)
    }

    /// Whether the tagger runs a second, refining pass.
    pub fn is_two_pass(&self) -> bool {
        self.refiner.is_some()
    }

    /// Tags one sentence; `out` receives one class id per word.
    pub fn tag_into(&self, words: &[&str], ws: &mut TaggerWorkspace, out: &mut Vec<u16>) {
        ws.info.clear();
        ws.info.extend(
            words
                .iter()
                .enumerate()
                .map(|(i, w)| TokenInfo::new(w, i == 0, &self.lexicon)),
        );
        let n = self.n_classes();
        let scores = &mut ws.scores;
        let mut choose = |model: &LinearModel, feats: &FeatureSet| {
            scores.clear();
            scores.resize(n, 0);
            model.score(&feats.keys, scores);
            argmax_valid(scores, |_| true).unwrap_or(0) as u16
        };
        let dict = |i: usize| self.tag_dict.get(words[i]).copied();
        let model = &self.model;
        greedy_pass(
            &ws.info,
            &self.class_hash,
            None,
            false,
            &mut ws.feats,
            dict,
            |_, f| choose(model, f),
            out,
        );
        if let Some(refiner) = &self.refiner {
            ws.first.clear();
            ws.first
                .extend(out.iter().map(|&c| self.class_hash[usize::from(c)]));
            greedy_pass(
                &ws.info,
                &self.class_hash,
                Some(&ws.first),
                REFINE_REVERSE,
                &mut ws.feats,
                dict,
                |_, f| choose(refiner, f),
                out,
            );
        }
    }

    /// Tags one sentence, returning `(upos, xpos)` pairs.
    pub fn tag(&self, words: &[&str]) -> Vec<(String, String)> {
        let mut ws = TaggerWorkspace::default();
        let mut classes = Vec::new();
        self.tag_into(words, &mut ws, &mut classes);
        classes
            .iter()
            .map(|&c| (self.upos_of(c).to_string(), self.xpos_of(c).to_string()))
            .collect()
    }

    /// Tags every sentence in place (UPOS and XPOS columns).
    pub fn tag_sentences(&self, sentences: &mut [Sentence]) {
        let mut ws = TaggerWorkspace::default();
        let mut classes = Vec::new();
        for s in sentences {
            let forms: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let words: Vec<&str> = forms.iter().map(String::as_str).collect();
            self.tag_into(&words, &mut ws, &mut classes);
            for (w, &c) in s.words.iter_mut().zip(&classes) {
                w.upos = self.upos_of(c).to_string();
                w.xpos = self.xpos_of(c).to_string();
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(b"TAG");
        w.strs(&self.upos);
        w.strs(&self.xpos);
        let mut dict: Vec<(&String, &u16)> = self.tag_dict.iter().collect();
        dict.sort();
        w.u32(dict.len() as u32);
        for (word, &class) in dict {
            w.str(word);
            w.u16(class);
        }
        let mut lexicon: Vec<(&String, &(u64, u16))> = self.lexicon.words.iter().collect();
        lexicon.sort();
        w.u32(lexicon.len() as u32);
        for (word, &(amb, mft)) in lexicon {
            w.str(word);
            w.u32(amb as u32);
            w.u32((amb >> 32) as u32);
            w.u16(mft);
        }
        self.model.write(&mut w);
        w.u8(u8::from(self.refiner.is_some()));
        if let Some(refiner) = &self.refiner {
            refiner.write(&mut w);
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        let mut r = Reader::new(bytes, b"TAG")?;
        let upos = r.strs()?;
        let xpos = r.strs()?;
        if upos.len() != xpos.len() || upos.is_empty() {
            return Err(ModelError::Corrupt("tag class tables disagree".into()));
        }
        let n = r.u32()? as usize;
        let mut tag_dict = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let word = r.str()?;
            let class = r.u16()?;
            if usize::from(class) >= upos.len() {
                return Err(ModelError::Corrupt(
                    "tag dictionary class out of range".into(),
                ));
            }
            tag_dict.insert(word, class);
        }
        let n = r.u32()? as usize;
        let mut words = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let word = r.str()?;
            let amb = u64::from(r.u32()?) | (u64::from(r.u32()?) << 32);
            let mft = r.u16()?;
            words.insert(word, (amb, mft));
        }
        let lexicon = TagLexicon { words };
        let model = LinearModel::read(&mut r)?;
        let refiner = match r.u8()? {
            0 => None,
            1 => Some(LinearModel::read(&mut r)?),
            other => return Err(ModelError::Corrupt(format!("tagger pass count {other}"))),
        };
        r.finish()?;
        if model.n_classes() != upos.len()
            || refiner
                .as_ref()
                .is_some_and(|m| m.n_classes() != upos.len())
        {
            return Err(ModelError::Corrupt("tagger model width".into()));
        }
        let class_hash = upos
            .iter()
            .zip(&xpos)
            .map(|(u, x)| class_hash(u, x))
            .collect();
        Ok(Tagger {
            upos,
            xpos,
            class_hash,
            tag_dict,
            lexicon,
            model,
            refiner,
        })
    }
}

/// Tagger training settings.
#[derive(Debug, Clone)]
pub struct TaggerOptions {
    pub iterations: usize,
    pub seed: u64,
    /// Averaged weights with a smaller magnitude are dropped from the compiled model.
    pub prune: f32,
    /// A word enters the tag dictionary if seen at least this often...
    pub dict_min_count: usize,
    /// ...with its most frequent tag at least this share of the time.
    pub dict_min_share: f64,
    /// Train the second, refining pass. Its training inputs are first-pass tags predicted
    /// by `folds` first-pass taggers each trained without the sentences it tags.
    pub two_pass: bool,
    pub folds: usize,
    /// Print per-epoch progress to stderr.
    pub verbose: bool,
}

impl Default for TaggerOptions {
    fn default() -> TaggerOptions {
        TaggerOptions {
            iterations: 10,
            seed: 1,
            prune: 0.05,
            dict_min_count: 20,
            dict_min_share: 0.99,
            two_pass: true,
            folds: 5,
            verbose: true,
        }
    }
}

/// UPOS and XPOS accuracy of a tagger on gold-tagged sentences.
pub fn tag_accuracy(tagger: &Tagger, gold: &[Sentence]) -> (f64, f64) {
    let mut ws = TaggerWorkspace::default();
    let mut classes = Vec::new();
    let (mut total, mut upos_ok, mut xpos_ok) = (0usize, 0usize, 0usize);
    for s in gold {
        let words = s.forms();
        tagger.tag_into(&words, &mut ws, &mut classes);
        for (w, &c) in s.words.iter().zip(&classes) {
            total += 1;
            upos_ok += usize::from(tagger.upos_of(c) == w.upos);
            xpos_ok += usize::from(tagger.xpos_of(c) == w.xpos);
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    (pct(upos_ok), pct(xpos_ok))
}

/// What is fixed for a whole training run, whatever subset a model learns from: the tag
/// classes (every UPOS+XPOS pair in the data, most frequent first) and the tag dictionary.
struct Inventory {
    upos: Vec<String>,
    xpos: Vec<String>,
    class_of: HashMap<(String, String), u16>,
    class_hash: Vec<u64>,
    tag_dict: FxHashMap<String, u16>,
}

impl Inventory {
    fn new(train: &[Sentence], opts: &TaggerOptions) -> Inventory {
        let mut pair_counts: HashMap<(String, String), usize> = HashMap::new();
        let mut word_counts: HashMap<&str, HashMap<(String, String), usize>> = HashMap::new();
        for s in train {
            for w in &s.words {
                let pair = (w.upos.clone(), w.xpos.clone());
                *pair_counts.entry(pair.clone()).or_default() += 1;
                *word_counts
                    .entry(w.form.as_str())
                    .or_default()
                    .entry(pair)
                    .or_default() += 1;
            }
        }
        let mut pairs: Vec<((String, String), usize)> = pair_counts.into_iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        pairs.truncate(256);
        let class_of: HashMap<(String, String), u16> = pairs
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.clone(), i as u16))
            .collect();
        let upos: Vec<String> = pairs.iter().map(|((u, _), _)| u.clone()).collect();
        let xpos: Vec<String> = pairs.iter().map(|((_, x), _)| x.clone()).collect();
        let class_hash = upos
            .iter()
            .zip(&xpos)
            .map(|(u, x)| class_hash(u, x))
            .collect();
        let mut tag_dict = FxHashMap::default();
        for (word, counts) in &word_counts {
            let total: usize = counts.values().sum();
            let (best, n) = counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .unwrap();
            if total >= opts.dict_min_count
                && *n as f64 / total as f64 >= opts.dict_min_share
                && let Some(&c) = class_of.get(best)
            {
                tag_dict.insert(word.to_string(), c);
            }
        }
        Inventory {
            upos,
            xpos,
            class_of,
            class_hash,
            tag_dict,
        }
    }

    fn tagger(
        &self,
        lexicon: TagLexicon,
        model: LinearModel,
        refiner: Option<LinearModel>,
    ) -> Tagger {
        Tagger {
            upos: self.upos.clone(),
            xpos: self.xpos.clone(),
            class_hash: self.class_hash.clone(),
            tag_dict: self.tag_dict.clone(),
            lexicon,
            model,
            refiner,
        }
    }
}

/// A training (sub)set ready for learning: the lexicon of the whole subset (what a tagger
/// trained on it ships) and, per sentence, token infos computed with a lexicon that excludes
/// the sentence's own fold, so unknown words are as frequent in training as in new text.
struct Prepared {
    lexicon: TagLexicon,
    info: Vec<Vec<TokenInfo>>,
    gold: Vec<Vec<Option<u16>>>,
    in_dict: Vec<Vec<bool>>,
}

const LEXICON_FOLDS: usize = 10;

impl Prepared {
    fn new(sentences: Vec<&Sentence>, inv: &Inventory) -> Prepared {
        let fold_of = document_folds(sentences.iter().copied(), LEXICON_FOLDS);
        let fold_lexicons: Vec<TagLexicon> = (0..LEXICON_FOLDS)
            .map(|fold| {
                TagLexicon::build(
                    sentences
                        .iter()
                        .zip(&fold_of)
                        .filter(|(_, f)| **f != fold)
                        .map(|(s, _)| *s),
                    &inv.class_of,
                )
            })
            .collect();
        let lexicon = TagLexicon::build(sentences.iter().copied(), &inv.class_of);
        let info = sentences
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let fold_lexicon = &fold_lexicons[fold_of[si]];
                s.words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| TokenInfo::new(&w.form, i == 0, fold_lexicon))
                    .collect()
            })
            .collect();
        let gold = sentences
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| inv.class_of.get(&(w.upos.clone(), w.xpos.clone())).copied())
                    .collect()
            })
            .collect();
        let in_dict = sentences
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .map(|w| inv.tag_dict.contains_key(&w.form))
                    .collect()
            })
            .collect();
        Prepared {
            lexicon,
            info,
            gold,
            in_dict,
        }
    }
}

/// Learns one pass: the first pass if `first` is `None`, else the refining pass given the
/// first-pass tags (class hashes) of every prepared sentence. `report` is called after each
/// epoch with the epoch number and the model so far.
fn learn_pass(
    inv: &Inventory,
    data: &Prepared,
    first: Option<&[Vec<u64>]>,
    opts: &TaggerOptions,
    mut report: impl FnMut(usize, f64, &PerceptronTrainer),
) -> PerceptronTrainer {
    let n_classes = inv.upos.len();
    let mut trainer = PerceptronTrainer::new(n_classes);
    let mut rng = Rng::new(opts.seed ^ u64::from(first.is_some()));
    let mut order: Vec<usize> = (0..data.info.len()).collect();
    let mut feats = FeatureSet::default();
    let mut scores = vec![0f32; n_classes];
    for epoch in 0..opts.iterations {
        rng.shuffle(&mut order);
        let (mut seen, mut correct) = (0usize, 0usize);
        let mut tags = Vec::new();
        for &si in &order {
            let (gold, in_dict) = (&data.gold[si], &data.in_dict[si]);
            greedy_pass(
                &data.info[si],
                &inv.class_hash,
                first.map(|f| f[si].as_slice()),
                first.is_some() && REFINE_REVERSE,
                &mut feats,
                |i| in_dict[i].then(|| gold[i].unwrap_or(0)),
                |i, feats| {
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    trainer.score(&feats.keys, &mut scores);
                    let guess = argmax_valid(&scores, |_| true).unwrap_or(0) as u16;
                    if let Some(truth) = gold[i] {
                        trainer.update(&feats.keys, usize::from(truth), usize::from(guess));
                        seen += 1;
                        correct += usize::from(truth == guess);
                    }
                    trainer.tick();
                    guess
                },
                &mut tags,
            );
        }
        report(epoch, 100.0 * correct as f64 / seen.max(1) as f64, &trainer);
    }
    trainer
}

/// The result of [`train_tagger_jackknifed`].
pub struct JackknifedTagger {
    /// The tagger trained on all the data.
    pub tagger: Tagger,
    /// The training sentences with UPOS/XPOS replaced by jackknifed predictions: each fold
    /// tagged by taggers trained without it.
    pub tagged: Vec<Sentence>,
}

/// Trains a tagger on gold-tagged sentences, reporting dev accuracy per epoch if given.
pub fn train_tagger_on(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    opts: &TaggerOptions,
) -> Tagger {
    train_tagger_jackknifed(train, dev, opts, false).tagger
}

/// Trains a tagger and, if `jackknife`, also tags the training data by `opts.folds`-fold
/// jackknifing (what the parser learns from). Both passes of the tagger share the folds: the
/// refining pass learns from jackknifed first-pass tags, and jackknifing the final tags
/// reuses them, so the whole costs `2 × (folds + 1)` pass trainings rather than nested
/// jackknifing.
pub fn train_tagger_jackknifed(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    opts: &TaggerOptions,
    jackknife: bool,
) -> JackknifedTagger {
    let inv = Inventory::new(train, opts);
    let folds = opts.folds;
    let two_pass = opts.two_pass && folds >= 2;
    let fold_of = document_folds(train, folds);
    let fold_members = |fold: usize| -> (Vec<&Sentence>, Vec<usize>) {
        let rest = train
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f != fold)
            .map(|(s, _)| s)
            .collect();
        let held = (0..train.len()).filter(|&i| fold_of[i] == fold).collect();
        (rest, held)
    };
    let quiet = |_: usize, _: f64, _: &PerceptronTrainer| {};
    let dev_line = |pass: &str, epoch: usize, acc: f64, tagger: Option<Tagger>| {
        if !opts.verbose {
            return;
        }
        let mut line = format!("tagger {pass} epoch {}: train acc {acc:.2}%", epoch + 1);
        if let (Some(dev), Some(tagger)) = (dev, tagger) {
            let (u, x) = tag_accuracy(&tagger, dev);
            line.push_str(&format!(" | dev UPOS {u:.2} XPOS {x:.2}"));
        }
        eprintln!("{line}");
    };

    // First pass on all data.
    let all = Prepared::new(train.iter().collect(), &inv);
    let first = learn_pass(&inv, &all, None, opts, |epoch, acc, t| {
        let tagger = dev.map(|_| inv.tagger(all.lexicon.clone(), t.compile(opts.prune), None));
        dev_line("pass 1", epoch, acc, tagger);
    })
    .compile(opts.prune);

    // Jackknifed first-pass tags of every training sentence (needed by the refining pass,
    // and they are the final jackknifed tags of a one-pass tagger).
    let mut first_hashes: Vec<Vec<u64>> = vec![Vec::new(); train.len()];
    let mut jackknifed: Vec<Vec<u16>> = vec![Vec::new(); train.len()];
    if two_pass || (jackknife && folds >= 2) {
        for fold in 0..folds {
            let (rest, held) = fold_members(fold);
            let part = Prepared::new(rest, &inv);
            let model = learn_pass(&inv, &part, None, opts, quiet).compile(opts.prune);
            let tagger = inv.tagger(part.lexicon, model, None);
            let mut ws = TaggerWorkspace::default();
            for &i in &held {
                tagger.tag_into(&train[i].forms(), &mut ws, &mut jackknifed[i]);
                first_hashes[i] = jackknifed[i]
                    .iter()
                    .map(|&c| inv.class_hash[usize::from(c)])
                    .collect();
            }
            if opts.verbose {
                eprintln!("tagger pass 1 jackknife fold {}/{folds} done", fold + 1);
            }
        }
    }

    let refiner = two_pass.then(|| {
        learn_pass(&inv, &all, Some(&first_hashes), opts, |epoch, acc, t| {
            let tagger = dev.map(|_| {
                inv.tagger(
                    all.lexicon.clone(),
                    first.clone(),
                    Some(t.compile(opts.prune)),
                )
            });
            dev_line("pass 2", epoch, acc, tagger);
        })
        .compile(opts.prune)
    });

    if two_pass && jackknife {
        for fold in 0..folds {
            let (rest, held) = fold_members(fold);
            let part = Prepared::new(rest, &inv);
            let rest_first: Vec<Vec<u64>> = (0..train.len())
                .filter(|&i| fold_of[i] != fold)
                .map(|i| first_hashes[i].clone())
                .collect();
            let refiner =
                learn_pass(&inv, &part, Some(&rest_first), opts, quiet).compile(opts.prune);
            // Second pass over the held-out fold given its jackknifed first-pass tags.
            let n = inv.upos.len();
            let mut feats = FeatureSet::default();
            let mut scores = vec![0i32; n];
            for &i in &held {
                let words = train[i].forms();
                let info: Vec<TokenInfo> = words
                    .iter()
                    .enumerate()
                    .map(|(k, w)| TokenInfo::new(w, k == 0, &part.lexicon))
                    .collect();
                greedy_pass(
                    &info,
                    &inv.class_hash,
                    Some(&first_hashes[i]),
                    REFINE_REVERSE,
                    &mut feats,
                    |k| inv.tag_dict.get(words[k]).copied(),
                    |_, f| {
                        scores.iter_mut().for_each(|s| *s = 0);
                        refiner.score(&f.keys, &mut scores);
                        argmax_valid(&scores, |_| true).unwrap_or(0) as u16
                    },
                    &mut jackknifed[i],
                );
            }
            if opts.verbose {
                eprintln!("tagger pass 2 jackknife fold {}/{folds} done", fold + 1);
            }
        }
    }

    let tagger = inv.tagger(all.lexicon.clone(), first, refiner);
    let mut tagged = Vec::new();
    if jackknife {
        tagged = train.to_vec();
        if folds >= 2 {
            for (s, classes) in tagged.iter_mut().zip(&jackknifed) {
                for (w, &c) in s.words.iter_mut().zip(classes) {
                    w.upos = inv.upos[usize::from(c)].clone();
                    w.xpos = inv.xpos[usize::from(c)].clone();
                }
            }
        }
    }
    JackknifedTagger { tagger, tagged }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse_conllu;

    fn toy_treebank() -> Vec<Sentence> {
        let rows = [
            "The/DET/DT dog/NOUN/NN barks/VERB/VBZ ./PUNCT/.",
            "A/DET/DT cat/NOUN/NN sleeps/VERB/VBZ ./PUNCT/.",
            "The/DET/DT cats/NOUN/NNS sleep/VERB/VBP ./PUNCT/.",
            "Dogs/NOUN/NNS bark/VERB/VBP loudly/ADV/RB ./PUNCT/.",
            "The/DET/DT bird/NOUN/NN sings/VERB/VBZ loudly/ADV/RB ./PUNCT/.",
            "A/DET/DT bird/NOUN/NN saw/VERB/VBD the/DET/DT dog/NOUN/NN ./PUNCT/.",
        ];
        let mut text = String::new();
        for row in rows {
            for (i, tok) in row.split(' ').enumerate() {
                let parts: Vec<&str> = tok.split('/').collect();
                text.push_str(&format!(
                    "{}\t{}\t_\t{}\t{}\t_\t_\t_\t_\t_\n",
                    i + 1,
                    parts[0],
                    parts[1],
                    parts[2]
                ));
            }
            text.push('\n');
        }
        parse_conllu(&text).unwrap()
    }

    #[test]
    fn learns_a_tiny_treebank_and_round_trips() {
        let data = toy_treebank();
        let opts = TaggerOptions {
            iterations: 8,
            prune: 0.0,
            dict_min_count: 1000,
            two_pass: false,
            verbose: false,
            ..TaggerOptions::default()
        };
        let tagger = train_tagger_on(&data, None, &opts);
        let (u, x) = tag_accuracy(&tagger, &data);
        assert_eq!((u, x), (100.0, 100.0));
        // Generalises by suffix/context: an unseen noun after a determiner.
        let tags = tagger.tag(&["The", "horse", "sleeps", "."]);
        assert_eq!(tags[0].1, "DT");
        assert_eq!(tags[2].1, "VBZ");
        let loaded = Tagger::from_bytes(&tagger.to_bytes()).unwrap();
        assert_eq!(loaded, tagger);
        assert_eq!(
            loaded.tag(&["A", "dog", "saw", "the", "cats"]),
            tagger.tag(&["A", "dog", "saw", "the", "cats"])
        );
    }

    #[test]
    fn shapes_and_normalisation() {
        assert_eq!(shape("Iraq"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1990s"), "dx");
        assert_eq!(normalise("Year-2005"), "year-0000");
    }

    #[test]
    fn two_pass_tagger_jackknifes_and_can_be_turned_off() {
        let data = toy_treebank();
        let opts = TaggerOptions {
            iterations: 6,
            prune: 0.0,
            dict_min_count: 1000,
            folds: 3,
            verbose: false,
            ..TaggerOptions::default()
        };
        let trained = train_tagger_jackknifed(&data, None, &opts, true);
        assert!(trained.tagger.is_two_pass());
        // Jackknifed copies keep the words and carry predicted tags from the known classes.
        assert_eq!(trained.tagged.len(), data.len());
        for (gold, tagged) in data.iter().zip(&trained.tagged) {
            assert_eq!(gold.forms(), tagged.forms());
            for w in &tagged.words {
                assert!(trained.tagger.upos.contains(&w.upos), "{}", w.upos);
            }
        }
        let bytes = trained.tagger.to_bytes();
        assert_eq!(Tagger::from_bytes(&bytes).unwrap(), trained.tagger);
        // The refining pass still gets the training data right.
        assert_eq!(tag_accuracy(&trained.tagger, &data), (100.0, 100.0));

        let one = train_tagger_on(
            &data,
            None,
            &TaggerOptions {
                two_pass: false,
                ..opts
            },
        );
        assert!(!one.is_two_pass());
        assert!(one.to_bytes().len() < bytes.len());
        assert_eq!(Tagger::from_bytes(&one.to_bytes()).unwrap(), one);
    }

    #[test]
    fn refining_features_look_ahead_in_the_direction_of_the_pass() {
        let lexicon = TagLexicon::default();
        let info: Vec<TokenInfo> = ["a", "b", "c"]
            .iter()
            .map(|w| TokenInfo::new(w, false, &lexicon))
            .collect();
        let (x, y, z) = (11u64, 22u64, 33u64);
        // Left to right at word 1 sees y (itself) then z; right to left over the mirrored
        // tags sees the same from the other side.
        let mut forward = FeatureSet::default();
        refine_features(&[x, y, z], &info, 1, false, NO_TAG, &mut forward);
        let mut backward = FeatureSet::default();
        refine_features(&[z, y, x], &info, 1, true, NO_TAG, &mut backward);
        assert_eq!(forward.keys, backward.keys);
        // At the edge the look-ahead is the end marker, not a neighbour's tag.
        let mut edge = FeatureSet::default();
        refine_features(&[x, y, z], &info, 2, false, NO_TAG, &mut edge);
        let mut inner = FeatureSet::default();
        refine_features(&[x, y, z, x], &info, 2, false, NO_TAG, &mut inner);
        assert_ne!(edge.keys, inner.keys);
    }
}
