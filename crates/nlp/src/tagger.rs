//! Part-of-speech tagger: greedy left-to-right averaged perceptron over joint `UPOS+XPOS`
//! classes.
//!
//! Design:
//! * One model predicts the pair (e.g. `ADP+IN`, `SCONJ+IN`) instead of two models: in EWT
//!   the UPOS is nearly a function of the Penn tag plus the word, so the pair costs little
//!   extra and keeps UPOS and XPOS consistent with each other.
//! * Features are the classic rich set for English (word, lowercase/normalised word, case-
//!   sensitive form, prefixes and suffixes of 1–4 characters, word shape, hyphen/digit/capital
//!   flags, words at ±1 and ±2, suffixes of the neighbours, the two previous predicted tags and
//!   their combinations with the current word).
//! * A tag dictionary assigns frequent, practically unambiguous words (e.g. `the`, `,`) their
//!   tag without scoring; it speeds tagging up and removes easy examples from training.
//! * Training is deterministic: sentences are shuffled per epoch with a seeded PRNG.

use std::collections::HashMap;

use crate::conllu::Sentence;
use crate::model_io::{ModelError, Reader, Rng, Writer, combine, hash_str};
use crate::perceptron::{FeatureSet, LinearModel, PerceptronTrainer, argmax_valid};

/// Per-token values the feature templates combine, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
struct TokenInfo {
    form: u64,
    norm: u64,
    prefix: [u64; 4],
    suffix: [u64; 4],
    shape: u64,
    flags: u64,
    /// Ambiguity class (the set of tags seen with the word) and most frequent tag, or the
    /// `UNKNOWN` marker for words the lexicon has not seen.
    amb: u64,
    mft: u64,
}

const START: TokenInfo = TokenInfo {
    form: 0x5354_4152_54,
    norm: 0x5354_4152_54,
    prefix: [1, 2, 3, 4],
    suffix: [1, 2, 3, 4],
    shape: 0x5354,
    flags: 0xffff,
    amb: 0x5354,
    mft: 0x5354,
};
const END: TokenInfo = TokenInfo {
    form: 0x454e_44,
    norm: 0x454e_44,
    prefix: [5, 6, 7, 8],
    suffix: [5, 6, 7, 8],
    shape: 0x454e,
    flags: 0xfffe,
    amb: 0x454e,
    mft: 0x454e,
};
const NO_TAG: u64 = 0x4e4f_5441_47;
const UNKNOWN: u64 = 0x554e_4b4e_4f57_4e;

/// Word → (ambiguity class hash, most frequent tag class): lets the tagger look at which
/// tags the *following* words can take, and tells it which words are unknown. During
/// training each sentence sees a lexicon built without its own fold, so unknown words are
/// as frequent in training as they will be in new text.
#[derive(Debug, Clone, PartialEq, Default)]
struct TagLexicon {
    words: HashMap<String, (u64, u16)>,
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
        let mut prefix = [0u64; 4];
        let mut suffix = [0u64; 4];
        let mut buf = String::new();
        for k in 1..=4 {
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
}

/// A trained tagger (immutable; `Send + Sync`).
#[derive(Debug, Clone, PartialEq)]
pub struct Tagger {
    upos: Vec<String>,
    xpos: Vec<String>,
    class_hash: Vec<u64>,
    tag_dict: HashMap<String, u16>,
    lexicon: TagLexicon,
    model: LinearModel,
}

/// Reusable scratch space for tagging.
#[derive(Debug, Default)]
pub struct TaggerWorkspace {
    info: Vec<TokenInfo>,
    feats: FeatureSet,
    scores: Vec<i32>,
}

fn class_hash(upos: &str, xpos: &str) -> u64 {
    hash_str(&format!("{upos}+{xpos}"))
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

    /// Size of the feature table (for reports).
    pub fn n_features(&self) -> usize {
        self.model.n_features()
    }

    /// Tags one sentence; `out` receives one class id per word.
    pub fn tag_into(&self, words: &[&str], ws: &mut TaggerWorkspace, out: &mut Vec<u16>) {
        out.clear();
        ws.info.clear();
        ws.info.extend(
            words
                .iter()
                .enumerate()
                .map(|(i, w)| TokenInfo::new(w, i == 0, &self.lexicon)),
        );
        ws.scores.resize(self.n_classes(), 0);
        let (mut prev1, mut prev2) = (NO_TAG, NO_TAG);
        for (i, word) in words.iter().enumerate() {
            let class = match self.tag_dict.get(*word) {
                Some(&c) => c,
                None => {
                    features(&ws.info, i, prev1, prev2, &mut ws.feats);
                    ws.scores.iter_mut().for_each(|s| *s = 0);
                    self.model.score(&ws.feats.keys, &mut ws.scores);
                    argmax_valid(&ws.scores, |_| true).unwrap_or(0) as u16
                }
            };
            out.push(class);
            prev2 = prev1;
            prev1 = self.class_hash[usize::from(class)];
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
        let mut tag_dict = HashMap::with_capacity(n);
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
        let mut words = HashMap::with_capacity(n);
        for _ in 0..n {
            let word = r.str()?;
            let amb = u64::from(r.u32()?) | (u64::from(r.u32()?) << 32);
            let mft = r.u16()?;
            words.insert(word, (amb, mft));
        }
        let lexicon = TagLexicon { words };
        let model = LinearModel::read(&mut r)?;
        r.finish()?;
        if model.n_classes() != upos.len() {
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

/// Trains a tagger on gold-tagged sentences, reporting dev accuracy per epoch if given.
pub fn train_tagger_on(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    opts: &TaggerOptions,
) -> Tagger {
    // Classes: every UPOS+XPOS pair in the data, most frequent first.
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
    let class_hashes: Vec<u64> = upos
        .iter()
        .zip(&xpos)
        .map(|(u, x)| class_hash(u, x))
        .collect();

    let mut tag_dict = HashMap::new();
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

    // Gold classes and token features per sentence (features of a token depend on the
    // predicted history, so only the token infos are cached).
    const LEXICON_FOLDS: usize = 10;
    let fold_lexicons: Vec<TagLexicon> = (0..LEXICON_FOLDS)
        .map(|fold| {
            TagLexicon::build(
                train
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % LEXICON_FOLDS != fold)
                    .map(|(_, s)| s),
                &class_of,
            )
        })
        .collect();
    let lexicon = TagLexicon::build(train.iter(), &class_of);
    let data: Vec<(Vec<TokenInfo>, Vec<Option<u16>>, Vec<bool>)> = train
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let fold_lexicon = &fold_lexicons[si % LEXICON_FOLDS];
            let info: Vec<TokenInfo> = s
                .words
                .iter()
                .enumerate()
                .map(|(i, w)| TokenInfo::new(&w.form, i == 0, fold_lexicon))
                .collect();
            let gold = s
                .words
                .iter()
                .map(|w| class_of.get(&(w.upos.clone(), w.xpos.clone())).copied())
                .collect();
            let in_dict = s
                .words
                .iter()
                .map(|w| tag_dict.contains_key(&w.form))
                .collect();
            (info, gold, in_dict)
        })
        .collect();

    let n_classes = upos.len();
    let mut trainer = PerceptronTrainer::new(n_classes);
    let mut rng = Rng::new(opts.seed);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut feats = FeatureSet::default();
    let mut scores = vec![0f32; n_classes];
    let build = |trainer: &PerceptronTrainer, tag_dict: &HashMap<String, u16>| Tagger {
        upos: upos.clone(),
        xpos: xpos.clone(),
        class_hash: class_hashes.clone(),
        tag_dict: tag_dict.clone(),
        lexicon: lexicon.clone(),
        model: trainer.compile(opts.prune),
    };
    for epoch in 0..opts.iterations {
        rng.shuffle(&mut order);
        let (mut seen, mut correct) = (0usize, 0usize);
        for &si in &order {
            let (info, gold, in_dict) = &data[si];
            let (mut prev1, mut prev2) = (NO_TAG, NO_TAG);
            for i in 0..info.len() {
                let guess = if in_dict[i] {
                    gold[i].unwrap_or(0)
                } else {
                    features(info, i, prev1, prev2, &mut feats);
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
                };
                prev2 = prev1;
                prev1 = class_hashes[usize::from(guess)];
            }
        }
        if opts.verbose {
            let mut line = format!(
                "tagger epoch {}: train acc {:.2}%",
                epoch + 1,
                100.0 * correct as f64 / seen.max(1) as f64
            );
            if let Some(dev) = dev {
                let tagger = build(&trainer, &tag_dict);
                let (u, x) = tag_accuracy(&tagger, dev);
                line.push_str(&format!(" | dev UPOS {u:.2} XPOS {x:.2}"));
            }
            eprintln!("{line}");
        }
    }
    build(&trainer, &tag_dict)
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
}
