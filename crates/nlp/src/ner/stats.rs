//! Per-word statistics from an unlabelled (POS-tagged) corpus, as the recogniser stores and
//! consults them (training counts them: `ner/resources.rs`).

use rustc_hash::FxHashMap;

use crate::model_io::{ModelError, Reader, Writer};

/// Per-word corpus statistics, keyed by the lower-cased word: how often it occurs, how often
/// it is capitalised when not sentence-initial, and how often it is tagged PROPN. Built from
/// a CoNLL-U treebank; only the buckets are stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordStats {
    pub(super) words: FxHashMap<String, u16>,
}

impl WordStats {
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Packed statistics of a folded word (0 = unseen).
    pub(super) fn get(&self, folded: &str) -> u16 {
        self.words.get(folded).copied().unwrap_or(0)
    }

    pub(super) fn write(&self, w: &mut Writer) {
        let mut words: Vec<(&String, &u16)> = self.words.iter().collect();
        words.sort();
        w.u32(words.len() as u32);
        for (word, &v) in words {
            w.str(word);
            w.u16(v);
        }
    }

    pub(super) fn read(r: &mut Reader<'_>) -> Result<WordStats, ModelError> {
        let n = r.u32()? as usize;
        let mut words = FxHashMap::with_capacity_and_hasher(n.min(1 << 22), Default::default());
        for _ in 0..n {
            let word = r.str()?;
            words.insert(word, r.u16()?);
        }
        Ok(WordStats { words })
    }
}
