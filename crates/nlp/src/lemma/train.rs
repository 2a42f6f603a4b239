//! Learning the lemmatiser from a gold-lemmatised treebank: majority lemmas per (form, tag),
//! suffix rules from the inflecting tags, and exceptions for whatever the rules get wrong.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::{INFLECTED, Lemmatizer, MAX_SUFFIX, Rewrite, is_proper, lexicon_key};
use crate::corpus::conllu::Sentence;

impl Lemmatizer {
    /// Learns from gold-lemmatised sentences.
    pub fn train(sentences: &[Sentence]) -> Lemmatizer {
        // Majority lemma per (form, xpos).
        let mut counts: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
        for s in sentences {
            for w in &s.words {
                if w.lemma.is_empty() || (w.lemma == "_" && w.form != "_") {
                    continue;
                }
                *counts
                    .entry((w.form.clone(), w.xpos.clone()))
                    .or_default()
                    .entry(w.lemma.clone())
                    .or_default() += 1;
            }
        }
        let mut types: Vec<(String, String, String)> = counts
            .into_iter()
            .map(|((form, xpos), lemmas)| {
                let best = lemmas
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                    .unwrap()
                    .0;
                (form, xpos, best)
            })
            .collect();
        types.sort();

        // Suffix rules from word types of inflecting tags: majority rewrite per suffix.
        let mut rule_counts: HashMap<String, HashMap<(u8, String), usize>> = HashMap::new();
        for (form, xpos, lemma) in &types {
            if !INFLECTED.contains(&xpos.as_str()) {
                continue;
            }
            let (base, target) = if is_proper(xpos) {
                (form.clone(), lemma.clone())
            } else {
                (form.to_lowercase(), lemma.to_lowercase())
            };
            let Some(rw) = Rewrite::between(&base, &target) else {
                continue;
            };
            let chars: Vec<char> = base.chars().collect();
            for k in 1..=MAX_SUFFIX.min(chars.len().saturating_sub(1)) {
                let suffix: String = chars[chars.len() - k..].iter().collect();
                *rule_counts
                    .entry(lexicon_key(&suffix, xpos))
                    .or_default()
                    .entry((rw.strip, rw.append.clone()))
                    .or_default() += 1;
            }
        }
        let mut suffix_rules = FxHashMap::default();
        for (key, rewrites) in rule_counts {
            let total: usize = rewrites.values().sum();
            let ((strip, append), n) = rewrites
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .unwrap();
            if n >= 2 && n * 2 > total {
                suffix_rules.insert(key, Rewrite { strip, append });
            }
        }
        let mut lemmatizer = Lemmatizer {
            exceptions: FxHashMap::default(),
            suffix_rules,
        };
        // Exceptions: whatever the rules (and lowercase lookup) do not already produce.
        for (form, xpos, lemma) in &types {
            let lower = form.to_lowercase();
            if lemmatizer.derive(form, &lower, xpos) != *lemma {
                lemmatizer
                    .exceptions
                    .insert(lexicon_key(form, xpos), lemma.clone());
            }
        }
        lemmatizer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::conllu::parse_conllu;

    fn tiny() -> Vec<Sentence> {
        let words = [
            ("I", "PRP", "I"),
            ("saw", "VBD", "see"),
            ("making", "VBG", "make"),
            ("taking", "VBG", "take"),
            ("baking", "VBG", "bake"),
            ("went", "VBD", "go"),
            ("mice", "NNS", "mouse"),
            ("n't", "RB", "not"),
            ("looked", "VBD", "look"),
        ];
        let mut text = String::new();
        for (i, (f, x, l)) in words.iter().enumerate() {
            text.push_str(&format!("{}\t{f}\t{l}\tX\t{x}\t_\t_\t_\t_\t_\n", i + 1));
        }
        parse_conllu(&text).unwrap()
    }

    #[test]
    fn learns_exceptions_and_suffix_rules() {
        let l = Lemmatizer::train(&tiny());
        assert_eq!(l.lemmatize("saw", "VBD"), "see");
        assert_eq!(l.lemmatize("Saw", "VBD"), "see");
        assert_eq!(l.lemmatize("went", "VBD"), "go");
        assert_eq!(l.lemmatize("mice", "NNS"), "mouse");
        assert_eq!(l.lemmatize("I", "PRP"), "I");
        // Unseen word: the learned `-aking` rule restores the final e.
        assert_eq!(l.lemmatize("staking", "VBG"), "stake");
        // Regular words need no exception entry.
        assert!(!l.exceptions.contains_key(&lexicon_key("looked", "VBD")));
        let loaded = Lemmatizer::from_bytes(&l.to_bytes()).unwrap();
        assert_eq!(loaded, l);
    }
}
