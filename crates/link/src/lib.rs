//! Links documents across a corpus. For now: near-duplicates, the same wire story republished
//! by many sites with small edits and their own boilerplate.
//!
//! # Design
//!
//! A body becomes the set of its overlapping [`SHINGLE`]-word shingles (lower-cased words,
//! punctuation ignored, so quote style and spacing do not matter). Two copies of a story are
//! near-duplicates when the Jaccard similarity of their shingle sets is at least
//! [`THRESHOLD`]. Comparing every pair is quadratic, so each body is summarised by a MinHash
//! [`Signature`] of [`HASHES`] minima — the share of equal minima estimates the Jaccard
//! similarity — and the signature is cut into [`BANDS`] bands of [`ROWS`] minima
//! (locality-sensitive hashing): two documents are compared only when at least one band is
//! identical. With 32 bands of 4 rows, a pair at similarity 0.5 becomes a candidate with
//! probability 1 − (1 − 0.5⁴)³² ≈ 0.87, at 0.6 ≈ 0.99, at 0.8 > 0.9999, and a pair of
//! unrelated articles (similarity ≈ 0.01) almost never.
//!
//! # The threshold
//!
//! 0.5 over 5-word shingles: a syndicated copy with a changed headline, a dropped or
//! shortened paragraph and a few reworded sentences keeps most of its 5-word runs (0.68–0.98 in
//! the team's test set, `tests/fixtures/syndication/`), while two different articles on the
//! same event, even sharing names and phrases, stay far below (0.00–0.02 there). The tests
//! check both sides of the line.
//!
//! Hashes are fixed functions of the text (no per-process random seed), because signatures
//! are stored and compared across runs.

use std::collections::HashMap;

// The 64-bit finaliser (SplitMix64's): spreads the bits of a hash.
use sitrep_model::mix64 as mix;

/// Words per shingle.
pub const SHINGLE: usize = 5;
/// Minima per signature.
pub const HASHES: usize = 128;
/// LSH bands per signature.
pub const BANDS: usize = 32;
/// Minima per band.
pub const ROWS: usize = HASHES / BANDS;
/// Estimated Jaccard similarity from which two bodies are near-duplicates.
pub const THRESHOLD: f64 = 0.5;

/// One seed per MinHash function, derived from fixed constants.
fn seeds() -> &'static [u64; HASHES] {
    static SEEDS: std::sync::LazyLock<[u64; HASHES]> = std::sync::LazyLock::new(|| {
        let mut s = [0u64; HASHES];
        let mut state = 0x5172_6570_u64; // "srep"
        for seed in s.iter_mut() {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            *seed = mix(state);
        }
        s
    });
    &SEEDS
}

/// FNV-1a over a word's lower-cased characters.
fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in word.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The MinHash summary of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

impl Signature {
    /// The signature of a body, or `None` when it has no words.
    ///
    /// ```
    /// use sitrep_link::Signature;
    /// let a = Signature::of_text("Troops crossed the border at dawn, officials said on Monday.").unwrap();
    /// let b = Signature::of_text("troops crossed the border at dawn – officials said on Monday").unwrap();
    /// assert_eq!(a.similarity(&b), 1.0);
    /// ```
    pub fn of_text(text: &str) -> Option<Signature> {
        let words: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(word_hash)
            .collect();
        if words.is_empty() {
            return None;
        }
        let width = SHINGLE.min(words.len());
        let seeds = seeds();
        let mut mins = [u32::MAX; HASHES];
        for window in words.windows(width) {
            let shingle = window
                .iter()
                .fold(0x51_4E47_4C45_u64, |acc, &w| mix(acc ^ w));
            for (min, seed) in mins.iter_mut().zip(seeds) {
                let h = (mix(shingle ^ seed) >> 32) as u32;
                if h < *min {
                    *min = h;
                }
            }
        }
        Some(Signature(mins))
    }

    /// Estimated Jaccard similarity of the two shingle sets (share of equal minima).
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }

    /// Whether the two bodies are near-duplicates.
    pub fn is_near_duplicate(&self, other: &Signature) -> bool {
        self.similarity(other) >= THRESHOLD
    }

    /// The LSH key of each band: documents sharing a key in the same band are candidates.
    /// Keys fit in 63 bits so that they store as SQLite integers unchanged.
    pub fn band_keys(&self) -> [i64; BANDS] {
        let mut keys = [0i64; BANDS];
        for (band, key) in keys.iter_mut().enumerate() {
            let rows = &self.0[band * ROWS..(band + 1) * ROWS];
            let h = rows
                .iter()
                .fold(band as u64, |acc, &r| mix(acc ^ u64::from(r)));
            *key = (h >> 1) as i64;
        }
        keys
    }

    /// Little-endian bytes, for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|m| m.to_le_bytes()).collect()
    }

    /// The inverse of [`Signature::to_bytes`]; `None` for a blob of the wrong size.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != HASHES * 4 {
            return None;
        }
        let mut mins = [0u32; HASHES];
        for (m, chunk) in mins.iter_mut().zip(bytes.chunks_exact(4)) {
            *m = u32::from_le_bytes(chunk.try_into().expect("4 bytes"));
        }
        Some(Signature(mins))
    }
}

/// A document already seen that a new body may copy: its id, its signature and the original
/// it is itself a copy of, if any. The store reads these from its band tables, the
/// [`DuplicateIndex`] from memory; both decide with [`original_of`].
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub signature: Signature,
    pub duplicate_of: Option<String>,
}

/// The decision that a body is a near-duplicate: of which original, at what similarity.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The first copy of the story (never itself a copy).
    pub original: String,
    pub similarity: f64,
}

/// The near-duplicate decision, the one place it is made: the most similar candidate at or
/// above [`THRESHOLD`], ties going to the smaller original id so that the answer does not
/// depend on the order candidates come in. When that candidate is itself a copy, the
/// original it copies is returned, so that a group of copies all point at one document.
pub fn original_of<'a>(
    signature: &Signature,
    candidates: impl IntoIterator<Item = &'a Candidate>,
) -> Option<Match> {
    let mut best: Option<Match> = None;
    for c in candidates {
        let similarity = signature.similarity(&c.signature);
        if similarity < THRESHOLD {
            continue;
        }
        let original = c.duplicate_of.as_deref().unwrap_or(&c.id);
        let better = best.as_ref().is_none_or(|b| {
            similarity > b.similarity
                || (similarity == b.similarity && original < b.original.as_str())
        });
        if better {
            best = Some(Match {
                original: original.to_string(),
                similarity,
            });
        }
    }
    best
}

/// An in-memory near-duplicate index, for runs without a store (`sitrep extract`): the same
/// bands the store keeps in its tables, the same decision ([`original_of`]), so that a run
/// of `extract` links the copies `ingest` would.
#[derive(Debug, Default)]
pub struct DuplicateIndex {
    bands: HashMap<(usize, i64), Vec<usize>>,
    docs: Vec<Candidate>,
    by_id: HashMap<String, usize>,
}

impl DuplicateIndex {
    pub fn new() -> DuplicateIndex {
        DuplicateIndex::default()
    }

    /// The original that a body with this signature copies, among the indexed documents.
    pub fn find(&self, signature: &Signature) -> Option<Match> {
        let mut seen = Vec::new();
        for (band, key) in signature.band_keys().into_iter().enumerate() {
            seen.extend(self.bands.get(&(band, key)).into_iter().flatten().copied());
        }
        seen.sort_unstable();
        seen.dedup();
        original_of(signature, seen.iter().map(|&i| &self.docs[i]))
    }

    /// Links document `id` as the store does when it is written: a document already indexed
    /// (the same content again) keeps its first decision; a new one is matched against those
    /// before it, then indexed. Returns the original it copies, if any.
    pub fn link(&mut self, id: &str, signature: Option<Signature>) -> Option<String> {
        if let Some(&i) = self.by_id.get(id) {
            return self.docs[i].duplicate_of.clone();
        }
        let signature = signature?;
        let duplicate_of = self.find(&signature).map(|m| m.original);
        self.insert(id, signature, duplicate_of.as_deref());
        duplicate_of
    }

    /// Indexes a document; `duplicate_of` is the original it copies, if any.
    pub fn insert(&mut self, id: &str, signature: Signature, duplicate_of: Option<&str>) {
        let i = self.docs.len();
        for (band, key) in signature.band_keys().into_iter().enumerate() {
            self.bands.entry((band, key)).or_default().push(i);
        }
        self.by_id.insert(id.to_string(), i);
        self.docs.push(Candidate {
            id: id.to_string(),
            signature,
            duplicate_of: duplicate_of.map(str::to_string),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const STORY: &str = "Artillery struck the border town of Dravik overnight, killing at least \
        six people and wounding dozens more, local officials said on Tuesday. The shelling began \
        shortly after midnight and lasted for nearly three hours, according to residents who \
        fled to shelters beneath the town's main school.";

    #[test]
    fn identical_text_is_similarity_one_and_bytes_round_trip() {
        let a = Signature::of_text(STORY).unwrap();
        assert_eq!(a.similarity(&a), 1.0);
        assert_eq!(Signature::from_bytes(&a.to_bytes()), Some(a.clone()));
        assert_eq!(Signature::from_bytes(&[1, 2, 3]), None);
    }

    #[test]
    fn no_words_no_signature_and_short_texts_still_hash() {
        assert!(Signature::of_text(" … — ").is_none());
        assert!(Signature::of_text("Ceasefire").is_some());
    }

    #[test]
    fn unrelated_texts_are_far_apart() {
        let a = Signature::of_text(STORY).unwrap();
        let b = Signature::of_text(
            "The central bank held interest rates steady on Thursday and signalled that it \
             expects inflation to ease later in the year as food prices fall.",
        )
        .unwrap();
        assert!(a.similarity(&b) < 0.1);
    }

    #[test]
    fn the_index_points_copies_of_copies_at_the_original() {
        let mut ix = DuplicateIndex::new();
        let original = Signature::of_text(STORY).unwrap();
        assert_eq!(ix.link("orig", Some(original)), None);
        let copy = Signature::of_text(&format!("{STORY} Reporting by a staff writer.")).unwrap();
        let found = ix.find(&copy).unwrap();
        assert_eq!(found.original, "orig");
        assert!(found.similarity >= THRESHOLD);
        assert_eq!(ix.link("copy", Some(copy.clone())).as_deref(), Some("orig"));
        // A copy of the copy points at the original, not at the copy.
        let copy2 =
            Signature::of_text(&format!("{STORY} Reporting by a staff writer. More.")).unwrap();
        assert_eq!(ix.link("copy2", Some(copy2)).as_deref(), Some("orig"));
        // The same document again keeps its decision and is not indexed twice.
        assert_eq!(ix.link("copy", None).as_deref(), Some("orig"));
        assert_eq!(ix.docs.len(), 3);
        assert!(
            ix.find(&Signature::of_text("Markets rallied on Friday.").unwrap())
                .is_none()
        );
    }

    #[test]
    fn the_decision_does_not_depend_on_candidate_order() {
        let sig = Signature::of_text(STORY).unwrap();
        let cand = |id: &str, dup: Option<&str>| Candidate {
            id: id.into(),
            signature: sig.clone(),
            duplicate_of: dup.map(str::to_string),
        };
        let a = [cand("b", None), cand("c", Some("a"))];
        let b = [cand("c", Some("a")), cand("b", None)];
        assert_eq!(original_of(&sig, &a), original_of(&sig, &b));
        assert_eq!(original_of(&sig, &a).unwrap().original, "a");
        let far = Signature::of_text("Markets rallied on Friday after the vote.").unwrap();
        assert_eq!(original_of(&far, &a), None);
    }

    proptest! {
        #[test]
        fn similarity_is_symmetric_and_bounded(a in "\\PC{0,200}", b in "\\PC{0,200}") {
            if let (Some(x), Some(y)) = (Signature::of_text(&a), Signature::of_text(&b)) {
                let s = x.similarity(&y);
                prop_assert!((0.0..=1.0).contains(&s));
                prop_assert_eq!(s, y.similarity(&x));
            }
        }
    }
}
