//! The cue lexicon: words and two-word patterns that attribute, by class, as data
//! (`data/claims/cues.tsv`, embedded at build time; its README says where the entries come
//! from).
//!
//! The model learns every lemma's weight from the training data itself; the lexicon's classes
//! are what lets it generalise from frequent cues to rare ones of the same kind ("contend"
//! from "argue"), and they name the pattern in a relation's `why`.

use rustc_hash::FxHashMap;
use sitrep_nlp::model_io::{combine, hash_str};

/// A lexicon class: 0 for a word outside the lexicon, else 1 + the index into
/// [`CLASSES`].
pub type CueClass = u8;

/// The classes, as the data file names them.
pub const CLASSES: &[&str] = &[
    "speech",    // say, tell, add, announce
    "writing",   // write, tweet, post, publish
    "argument",  // argue, claim, insist, contend
    "denial",    // deny, reject, dismiss
    "admission", // admit, acknowledge, concede
    "question",  // ask, wonder, question
    "belief",    // believe, think, feel, know
    "intention", // want, plan, hope, intend
    "evidence",  // show, find, suggest, indicate
    "emotion",   // fear, worry, love, hate
    "report",    // report, reveal, confirm
    "source",    // according to, per
    "attested",  // no class above, but often a cue in the training data (`@N` entries)
];

/// The class of a word the lexicon lists only as attested in training (`LEMMA<TAB>@N` with
/// `N` at least [`ATTESTED_CLASS_RATE`]).
pub const ATTESTED: CueClass = CLASSES.len() as CueClass;

/// The least attested rate bucket that gives an unlisted word the [`ATTESTED`] class.
pub const ATTESTED_CLASS_RATE: u8 = 2;

/// The lexicon shipped with the crate.
pub const CUES_TSV: &str = include_str!("../../../../data/claims/cues.tsv");

/// WordNet 3.0's semantic classes (lexicographer files) of verbs and of the nouns of speech,
/// thought, feeling and acts (`data/claims/wordnet_classes.tsv`, derived by
/// `scripts/wordnet/classes.py`): `LEMMA<TAB>CLASS...` with the classes of the lemma's three
/// most frequent senses, in the lexicon's own format; a lexicon includes it by the line
/// [`WORDNET_LINE`].
pub const WORDNET_TSV: &str = include_str!("../../../../data/claims/wordnet_classes.tsv");

/// WordNet's lexicographer files, by their number in the database (a token's semantic
/// class is 1 + the index here; 0 none).
pub const SEMANTIC_CLASSES: &[&str] = &[
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
];

/// A lemma's semantic classes (1 + index into [`SEMANTIC_CLASSES`]) as one part of speech,
/// its most frequent sense's first; 0 pads.
pub type Senses = [u8; 3];

/// The line of a lexicon that stands for [`WORDNET_TSV`] (embedded in the binary, so that
/// a model file does not carry its 600 kB).
pub const WORDNET_LINE: &str = "%wordnet-3.0";

/// The lexicon models are trained with by default: the shipped cue lexicon followed by the
/// WordNet classes.
pub fn default_tsv() -> String {
    format!("{CUES_TSV}\n{WORDNET_LINE}\n")
}

/// Lemmas and two-lemma patterns with their class.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    words: FxHashMap<String, CueClass>,
    /// Keyed by [`pair_key`] of the two lemmas.
    pairs: FxHashMap<u64, CueClass>,
    /// Semantic classes of a lemma as a verb and as a noun.
    senses: FxHashMap<String, [Senses; 2]>,
    /// How often the lemma heads a cue in the training data, as a bucket (1 to 4; see
    /// [`rate_bucket`]).
    rates: FxHashMap<String, u8>,
}

/// The bucket of a lemma's cue rate (cue heads per occurrence) in training data: 0 below 5%
/// (not listed), 1 below 15%, 2 below 35%, 3 below 60%, else 4.
pub fn rate_bucket(cues: usize, occurrences: usize) -> u8 {
    let r = cues as f64 / occurrences.max(1) as f64;
    match r {
        r if r < 0.05 => 0,
        r if r < 0.15 => 1,
        r if r < 0.35 => 2,
        r if r < 0.6 => 3,
        _ => 4,
    }
}

impl Lexicon {
    /// The shipped lexicon.
    pub fn shipped() -> Lexicon {
        Lexicon::parse(&default_tsv()).expect("the shipped cue lexicon is well formed")
    }

    /// Reads `lemma TAB class` lines (a lemma of two words is a pattern; `#` starts a
    /// comment). An unknown class is an error naming the line.
    pub fn parse(tsv: &str) -> Result<Lexicon, String> {
        let mut lexicon = Lexicon::default();
        let lines = tsv.lines().flat_map(|line| {
            let wordnet = line.trim() == WORDNET_LINE;
            let own = (!wordnet).then_some(line);
            own.into_iter()
                .chain(wordnet.then(|| WORDNET_TSV.lines()).into_iter().flatten())
        });
        for (n, line) in lines.enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (lemma, class) = line
                .split_once('\t')
                .ok_or_else(|| format!("cues.tsv:{}: expected LEMMA<TAB>CLASS", n + 1))?;
            if let Some(first) = class.split_whitespace().next()
                && (first.starts_with("verb.") || first.starts_with("noun."))
            {
                let mut senses = Senses::default();
                for (k, name) in class.split_whitespace().take(3).enumerate() {
                    senses[k] = SEMANTIC_CLASSES
                        .iter()
                        .position(|&c| c == name)
                        .ok_or_else(|| format!("cues.tsv:{}: unknown class {name:?}", n + 1))?
                        as u8
                        + 1;
                }
                let entry = lexicon
                    .senses
                    .entry(lemma.trim().to_lowercase())
                    .or_default();
                entry[usize::from(first.starts_with("noun."))] = senses;
                continue;
            }
            if let Some(bucket) = class.trim().strip_prefix('@') {
                let bucket: u8 = bucket
                    .parse()
                    .ok()
                    .filter(|b| (1..=4).contains(b))
                    .ok_or_else(|| format!("cues.tsv:{}: rate bucket 1 to 4", n + 1))?;
                lexicon.rates.insert(lemma.trim().to_lowercase(), bucket);
                continue;
            }
            let class = CLASSES
                .iter()
                .position(|&c| c == class.trim())
                .ok_or_else(|| format!("cues.tsv:{}: unknown class {class:?}", n + 1))?
                as CueClass
                + 1;
            let words: Vec<&str> = lemma.split_whitespace().collect();
            match words.as_slice() {
                [one] => {
                    lexicon.words.insert(one.to_lowercase(), class);
                }
                [a, b] => {
                    let key = pair_key(hash_str(&a.to_lowercase()), hash_str(&b.to_lowercase()));
                    lexicon.pairs.insert(key, class);
                }
                _ => return Err(format!("cues.tsv:{}: one or two words", n + 1)),
            }
        }
        for (lemma, &rate) in &lexicon.rates {
            if rate >= ATTESTED_CLASS_RATE && !lexicon.words.contains_key(lemma) {
                lexicon.words.insert(lemma.clone(), ATTESTED);
            }
        }
        Ok(lexicon)
    }

    /// The training-data cue rate bucket of a (lower-cased) lemma (0: not listed).
    pub fn rate(&self, lemma: &str) -> u8 {
        self.rates.get(lemma).copied().unwrap_or(0)
    }

    /// The class of a (lower-cased) lemma, 0 when it is not listed.
    pub fn class(&self, lemma: &str) -> CueClass {
        self.words.get(lemma).copied().unwrap_or(0)
    }

    /// The semantic classes of a (lower-cased) lemma of part of speech `upos` (verbs' and
    /// nouns' only).
    pub fn senses(&self, lemma: &str, upos: &str) -> Senses {
        let pos = match upos {
            "VERB" => 0,
            "NOUN" => 1,
            _ => return Senses::default(),
        };
        self.senses.get(lemma).map_or(Senses::default(), |s| s[pos])
    }

    /// The class of the two-lemma pattern of lemma hashes `a` then `b` ([`hash_str`]).
    pub fn pair(&self, a: u64, b: u64) -> Option<CueClass> {
        if self.pairs.is_empty() {
            return None;
        }
        self.pairs.get(&pair_key(a, b)).copied()
    }

    /// The name of a class (`""` for 0).
    pub fn class_name(class: CueClass) -> &'static str {
        match class {
            0 => "",
            c => CLASSES.get(usize::from(c) - 1).copied().unwrap_or(""),
        }
    }

    pub fn len(&self) -> usize {
        self.words.len() + self.pairs.len() + self.senses.len() + self.rates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The key of a two-lemma pattern.
fn pair_key(a: u64, b: u64) -> u64 {
    combine(combine(0x7a17, a), b)
}
