//! Lemmatiser: a lexicon learned from the treebank, suffix rules learned from it, and hand
//! written English inflection rules keyed by Penn tag for everything else.
//!
//! Lookup order for `(form, xpos)`:
//! 1. the exception lexicon — `(form, xpos)` pairs from training whose majority lemma the rules
//!    below would get wrong (so the lexicon stores only what the rules cannot derive: irregular
//!    verbs, `I`, `n't` → `not`, ...);
//! 2. the same lexicon with the form lowercased (`SAW`/`Saw` → `see`);
//! 3. the longest matching learned suffix rule for the tag (`-aking` + VBG → strip 3, add `e`);
//! 4. hand rules for regular inflection (NNS, VBZ, VBD, VBN, VBG, JJR, JJS, RBR, RBS).
//!
//! Case follows the EWT convention: proper nouns (NNP/NNPS) keep their case, as do capitalised
//! adjectives the lexicon has not seen (nationality adjectives, `American` → `American`);
//! everything else is lowercased.

use rustc_hash::FxHashMap;

use crate::model_io::{ModelError, Reader, Writer};

mod train;

/// Tags whose words inflect, and so get suffix rules.
const INFLECTED: &[&str] = &[
    "NNS", "NNPS", "VBZ", "VBD", "VBN", "VBG", "VBP", "JJR", "JJS", "RBR", "RBS",
];
const MAX_SUFFIX: usize = 5;

/// A suffix rewrite: remove `strip` characters, then append `append`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rewrite {
    strip: u8,
    append: String,
}

impl Rewrite {
    fn between(form: &str, lemma: &str) -> Option<Rewrite> {
        let f: Vec<char> = form.chars().collect();
        let l: Vec<char> = lemma.chars().collect();
        let common = f.iter().zip(&l).take_while(|(a, b)| a == b).count();
        let strip = f.len() - common;
        // A rewrite that replaces most of the word is not a suffix rule.
        if common == 0 || strip > 4 {
            return None;
        }
        Some(Rewrite {
            strip: strip as u8,
            append: l[common..].iter().collect(),
        })
    }

    fn apply(&self, word: &str) -> Option<String> {
        let chars: Vec<char> = word.chars().collect();
        let keep = chars.len().checked_sub(usize::from(self.strip))?;
        if keep == 0 {
            return None;
        }
        let mut out: String = chars[..keep].iter().collect();
        out.push_str(&self.append);
        Some(out)
    }
}

/// A trained lemmatiser (immutable; `Send + Sync`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lemmatizer {
    exceptions: FxHashMap<String, String>,
    suffix_rules: FxHashMap<String, Rewrite>,
}

fn lexicon_key(form: &str, xpos: &str) -> String {
    format!("{form}\u{1}{xpos}")
}

fn is_proper(xpos: &str) -> bool {
    xpos == "NNP" || xpos == "NNPS"
}

fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

fn ends_with_double_consonant(stem: &str) -> bool {
    let b = stem.as_bytes();
    b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2] && b"bdfgklmnprtvz".contains(&b[b.len() - 1])
}

fn strip_suffix(word: &str, suffix: &str, min_stem: usize) -> Option<String> {
    word.strip_suffix(suffix)
        .filter(|stem| stem.chars().count() >= min_stem)
        .map(str::to_string)
}

/// Regular English inflection by Penn tag (the last resort for unseen words).
pub fn rule_lemma(word: &str, xpos: &str) -> String {
    let w = word;
    let plural = |w: &str| -> Option<String> {
        if let Some(stem) = strip_suffix(w, "ies", 2) {
            return Some(stem + "y");
        }
        for es in ["sses", "ches", "shes", "xes", "zes"] {
            if w.ends_with(es) {
                return strip_suffix(w, "es", 2);
            }
        }
        if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
            return None;
        }
        strip_suffix(w, "s", 2)
    };
    let undouble = |stem: String| -> String {
        if ends_with_double_consonant(&stem) && !stem.ends_with("ll") {
            stem[..stem.len() - 1].to_string()
        } else {
            stem
        }
    };
    let result = match xpos {
        "NNS" | "NNPS" | "VBZ" => plural(w),
        "VBD" | "VBN" => strip_suffix(w, "ied", 2)
            .map(|s| s + "y")
            .or_else(|| strip_suffix(w, "ed", 2).map(undouble)),
        "VBG" => strip_suffix(w, "ying", 1)
            .filter(|s| s.len() <= 1)
            .map(|s| s + "ie")
            .or_else(|| strip_suffix(w, "ing", 2).map(undouble)),
        "JJR" | "RBR" => strip_suffix(w, "ier", 2)
            .map(|s| s + "y")
            .or_else(|| strip_suffix(w, "er", 2).map(undouble)),
        "JJS" | "RBS" => strip_suffix(w, "iest", 2)
            .map(|s| s + "y")
            .or_else(|| strip_suffix(w, "est", 2).map(undouble)),
        _ => None,
    };
    result.unwrap_or_else(|| w.to_string())
}

impl Lemmatizer {
    /// The lemma of `form` with Penn tag `xpos`.
    pub fn lemmatize(&self, form: &str, xpos: &str) -> String {
        if let Some(l) = self.exceptions.get(&lexicon_key(form, xpos)) {
            return l.clone();
        }
        let lower = form.to_lowercase();
        if lower != form
            && let Some(l) = self.exceptions.get(&lexicon_key(&lower, xpos))
        {
            return l.clone();
        }
        self.derive(form, &lower, xpos)
    }

    /// Rules only (learned suffixes, then hand rules), with the case convention applied.
    fn derive(&self, form: &str, lower: &str, xpos: &str) -> String {
        let keep_case = is_proper(xpos) || (xpos.starts_with("JJ") && is_capitalised(form));
        let base = if keep_case { form } else { lower };
        if INFLECTED.contains(&xpos) {
            let chars: Vec<char> = base.chars().collect();
            for k in (1..=MAX_SUFFIX.min(chars.len().saturating_sub(1))).rev() {
                let suffix: String = chars[chars.len() - k..].iter().collect();
                if let Some(rule) = self.suffix_rules.get(&lexicon_key(&suffix, xpos))
                    && let Some(l) = rule.apply(base)
                {
                    return l;
                }
            }
        }
        rule_lemma(base, xpos)
    }

    /// Number of lexicon exceptions and suffix rules (for reports).
    pub fn sizes(&self) -> (usize, usize) {
        (self.exceptions.len(), self.suffix_rules.len())
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(b"LEM");
        let mut ex: Vec<(&String, &String)> = self.exceptions.iter().collect();
        ex.sort();
        w.u32(ex.len() as u32);
        for (k, v) in ex {
            w.str(k);
            w.str(v);
        }
        let mut rules: Vec<(&String, &Rewrite)> = self.suffix_rules.iter().collect();
        rules.sort_by(|a, b| a.0.cmp(b.0));
        w.u32(rules.len() as u32);
        for (k, r) in rules {
            w.str(k);
            w.u8(r.strip);
            w.str(&r.append);
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Lemmatizer, ModelError> {
        let mut r = Reader::new(bytes, b"LEM")?;
        let n = r.u32()? as usize;
        let mut exceptions = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let k = r.str()?;
            let v = r.str()?;
            exceptions.insert(k, v);
        }
        let n = r.u32()? as usize;
        let mut suffix_rules = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let k = r.str()?;
            let strip = r.u8()?;
            let append = r.str()?;
            suffix_rules.insert(k, Rewrite { strip, append });
        }
        r.finish()?;
        Ok(Lemmatizer {
            exceptions,
            suffix_rules,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_rules_cover_regular_inflection() {
        let cases = [
            ("cities", "NNS", "city"),
            ("boxes", "NNS", "box"),
            ("dogs", "NNS", "dog"),
            ("glass", "NN", "glass"),
            ("carries", "VBZ", "carry"),
            ("watches", "VBZ", "watch"),
            ("stopped", "VBD", "stop"),
            ("walked", "VBN", "walk"),
            ("studied", "VBD", "study"),
            ("running", "VBG", "run"),
            ("lying", "VBG", "lie"),
            ("happier", "JJR", "happy"),
            ("bigger", "JJR", "big"),
            ("biggest", "JJS", "big"),
            ("fastest", "RBS", "fast"),
            ("calling", "VBG", "call"),
        ];
        for (form, xpos, lemma) in cases {
            assert_eq!(rule_lemma(form, xpos), lemma, "{form}/{xpos}");
        }
    }

    #[test]
    fn untrained_lemmatiser_applies_case_convention() {
        let l = Lemmatizer::default();
        assert_eq!(l.lemmatize("Dogs", "NNS"), "dog");
        assert_eq!(l.lemmatize("Americans", "NNPS"), "American");
        assert_eq!(l.lemmatize("Baghdad", "NNP"), "Baghdad");
        assert_eq!(l.lemmatize("The", "DT"), "the");
        assert_eq!(l.lemmatize("Iraqi", "JJ"), "Iraqi");
    }
}
