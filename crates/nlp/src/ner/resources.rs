//! What training draws on besides the training sentences: word statistics counted from a
//! treebank, the gazetteer phrase index, and gazetteer names for mention replacement.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::stats::WordStats;
use crate::corpus::conllu::Sentence;
use crate::gazetteer::{Category, Gazetteer, PhraseIndex, fold_word};
use crate::model_io::Rng;

fn bucket(part: usize, whole: usize) -> u16 {
    if whole == 0 {
        return 7;
    }
    let r = part as f64 / whole as f64;
    match r {
        0.0 => 0,
        r if r < 0.1 => 1,
        r if r < 0.4 => 2,
        r if r < 0.7 => 3,
        r if r < 0.95 => 4,
        r if r < 1.0 => 5,
        _ => 6,
    }
}

impl WordStats {
    /// Counts over `sentences` (gold UPOS from a treebank, or predicted tags).
    pub fn from_treebank(sentences: &[Sentence]) -> WordStats {
        let mut counts: HashMap<String, [usize; 4]> = HashMap::new();
        let mut folded = String::new();
        for s in sentences {
            for (i, w) in s.words.iter().enumerate() {
                fold_word(&w.form, &mut folded);
                let c = counts.entry(folded.clone()).or_default();
                c[0] += 1;
                if i > 0 && w.form.chars().any(char::is_alphabetic) {
                    c[1] += 1;
                    if w.form.chars().next().is_some_and(char::is_uppercase) {
                        c[2] += 1;
                    }
                }
                if w.upos == "PROPN" {
                    c[3] += 1;
                }
            }
        }
        let words = counts
            .into_iter()
            .map(|(w, [n, mid, cap, propn])| {
                let freq = (usize::BITS - n.leading_zeros()).min(15) as u16;
                (w, freq | (bucket(cap, mid) << 4) | (bucket(propn, n) << 8))
            })
            .collect();
        WordStats { words }
    }
}

/// What the recogniser consults besides the training sentences: the gazetteer phrase index
/// and corpus word statistics. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct NerResources {
    pub phrases: Arc<PhraseIndex>,
    pub words: Arc<WordStats>,
    /// Gazetteer names by type for mention replacement (training only; not saved).
    pub names: Arc<NamePools>,
}

/// Names to swap into training sentences (see [`NerOptions::augment`](super::NerOptions::augment)).
#[derive(Debug, Clone, Default)]
pub struct NamePools {
    pub given: Vec<String>,
    pub surnames: Vec<String>,
    pub places: Vec<Vec<String>>,
    pub organisations: Vec<Vec<String>>,
}

/// "NEW YORK TIMES" → "New York Times" (function words stay lower case inside a name).
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if i > 0
            && matches!(
                lower.as_str(),
                "of" | "the" | "and" | "for" | "in" | "on" | "de"
            )
        {
            out.push_str(&lower);
            continue;
        }
        let mut chars = lower.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

fn words_of(name: &str) -> Vec<String> {
    crate::tokenize::tokenize(name, 0..name.len())
        .into_iter()
        .map(|r| name[r].to_string())
        .collect()
}

impl NamePools {
    pub fn from_gazetteer(g: &Gazetteer) -> NamePools {
        let short = |n: &&str| !n.is_empty() && n.split(' ').count() <= 4;
        NamePools {
            given: g.names(Category::GivenName).map(String::from).collect(),
            surnames: g.names(Category::Surname).map(String::from).collect(),
            places: g
                .names(Category::City)
                .chain(g.names(Category::Country))
                .chain(g.names(Category::Region))
                .filter(short)
                .map(words_of)
                .collect(),
            organisations: g
                .names(Category::Org)
                .chain(g.names(Category::Company))
                .filter(short)
                .map(|n| words_of(&title_case(n)))
                .collect(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.given.is_empty() || self.surnames.is_empty()
    }

    /// A random name of type `t`, or `None` when the pools have none of that type.
    pub(super) fn pick(&self, t: &str, rng: &mut Rng) -> Option<Vec<String>> {
        match t {
            "PER" if !self.is_empty() => {
                let given = &self.given[rng.below(self.given.len())];
                let surname = &self.surnames[rng.below(self.surnames.len())];
                Some(match rng.below(4) {
                    0 => vec![surname.clone()],
                    1 => vec![given.clone()],
                    _ => vec![given.clone(), surname.clone()],
                })
            }
            "LOC" if !self.places.is_empty() => {
                Some(self.places[rng.below(self.places.len())].clone())
            }
            "ORG" if !self.organisations.is_empty() => {
                Some(self.organisations[rng.below(self.organisations.len())].clone())
            }
            _ => None,
        }
    }
}

/// Re-cases a replacement name like the mention it replaces (web text writes names in
/// lower case or capitals too).
pub(super) fn match_case(name: &mut [String], like: &[String]) {
    let has_letters = |w: &String| w.chars().any(char::is_alphabetic);
    let all_lower = like
        .iter()
        .filter(|w| has_letters(w))
        .all(|w| !w.chars().any(char::is_uppercase));
    let all_upper = like
        .iter()
        .filter(|w| has_letters(w))
        .all(|w| !w.chars().any(char::is_lowercase))
        && like.iter().map(|w| w.chars().count()).sum::<usize>() > 3;
    for w in name.iter_mut() {
        if all_lower {
            *w = w.to_lowercase();
        } else if all_upper {
            *w = w.to_uppercase();
        }
    }
}

/// A gazetteer name cut into words as running text is, so that a listed name matches the
/// words of a sentence: a lower-case word after the name keeps a final abbreviation period on
/// its word ("Acme Inc." inside a sentence is "Acme" "Inc."; at the very end of a text the
/// tokenizer would give the period to the sentence).
pub(crate) fn name_words(name: &str) -> Vec<Range<usize>> {
    let padded = format!("{name} x");
    let mut tokens = crate::tokenize::tokenize(&padded, 0..padded.len());
    tokens.pop();
    tokens
}

impl NerResources {
    pub fn new(gazetteer: &Gazetteer, treebank: &[Sentence]) -> NerResources {
        NerResources {
            phrases: Arc::new(gazetteer.phrase_index(name_words)),
            words: Arc::new(WordStats::from_treebank(treebank)),
            names: Arc::new(NamePools::from_gazetteer(gazetteer)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_like_running_text() {
        let words = |name: &str| -> Vec<String> {
            name_words(name)
                .into_iter()
                .map(|r| name[r].to_string())
                .collect()
        };
        assert_eq!(words("Acme Inc."), ["Acme", "Inc."]);
        assert_eq!(words("Côte d'Ivoire"), ["Côte", "d'Ivoire"]);
        assert_eq!(words("Mr."), ["Mr."]);
    }
}
