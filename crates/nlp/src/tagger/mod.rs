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

use rustc_hash::FxHashMap;

use crate::chars::shape;
use crate::model_io::{ModelError, Reader, Writer, hash_str};
use crate::perceptron::{FeatureSet, LinearModel, argmax_valid};

mod train;

pub use train::{
    JackknifedTagger, TaggerOptions, tag_accuracy, train_tagger_jackknifed, train_tagger_on,
};

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

/// A padding word before the start or after the end of a sentence: markers no real word
/// has, in every field the templates read.
const fn pad(word: u64, short: u64, affixes: [u64; AFFIXES], flags: u64) -> TokenInfo {
    TokenInfo {
        form: word,
        norm: word,
        prefix: affixes,
        suffix: affixes,
        shape: short,
        flags,
        amb: short,
        mft: short,
    }
}

const START: TokenInfo = pad(0x0053_5441_5254, 0x5354, [1, 2, 3, 4, 9], 0xffff);
const END: TokenInfo = pad(0x0045_4e44, 0x454e, [5, 6, 7, 8, 10], 0xfffe);
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
        shape(word, &mut buf);
        let shape = hash_str(&buf);
        TokenInfo {
            form: hash_str(word),
            norm: hash_str(&norm),
            prefix,
            suffix,
            shape,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_normalisation() {
        let shape = |w: &str| {
            let mut s = "stale".to_string();
            shape(w, &mut s);
            s
        };
        assert_eq!(shape("Iraq"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1990s"), "dx");
        assert_eq!(normalise("Year-2005"), "year-0000");
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
