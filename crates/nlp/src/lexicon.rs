//! The word lists behind tokenisation and sentence splitting (`data/nlp/`: abbreviations,
//! sentence openers, hyphen prefixes, fused contractions, unit suffixes), parsed once into
//! hash sets that the tokenizer and the sentence splitter share: a period the tokenizer
//! keeps on an abbreviation is then a sentence end exactly when the splitter says the
//! abbreviation can end one.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// How an abbreviation behaves at a possible sentence end (the sections of
/// `abbreviations.txt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbrevKind {
    /// Stands before a name or number and never ends a sentence ("Mr.", "Gen.", "vs.").
    Prefix,
    /// An abbreviation only when a number follows ("No. 5"); otherwise a plain word.
    Number,
    /// May end a sentence ("Inc.", "U.S.", "Jan.", initials).
    Final,
    /// Ends a sentence whenever a capitalised word follows ("etc.").
    Ending,
}

/// The lexicon's keys are a few bytes long, where SipHash's setup dominates.
type FastHash = rustc_hash::FxBuildHasher;

/// A short ASCII word folded to lower case and packed into an integer, so that the lists
/// consulted for most words (contractions, units, hyphen prefixes) are binary searches over
/// integers, with no hashing or allocation. `None` for longer or non-ASCII words, which are
/// in none of those lists.
fn pack_lowercase(word: &str) -> Option<u128> {
    if word.is_empty() || word.len() > 16 || !word.is_ascii() {
        return None;
    }
    Some(word.bytes().fold(0u128, |acc, b| {
        (acc << 8) | u128::from(b.to_ascii_lowercase())
    }))
}

/// A case-insensitive set of short ASCII words.
struct ShortWords(HashSet<u128, FastHash>);

impl ShortWords {
    fn new(words: impl Iterator<Item = &'static str>) -> ShortWords {
        ShortWords(words.filter_map(pack_lowercase).collect())
    }

    fn contains(&self, word: &str) -> bool {
        pack_lowercase(word).is_some_and(|w| self.0.contains(&w))
    }
}

/// The word lists, parsed once.
pub(crate) struct Lexicon {
    abbreviations: HashMap<String, AbbrevKind, FastHash>,
    starters: HashSet<&'static str, FastHash>,
    hyphen_prefixes: ShortWords,
    /// Packed lower-case fused word → byte lengths of its parts ("cannot" → [3, 3]).
    contractions: HashMap<u128, Vec<usize>, FastHash>,
    /// Bit `n` set when some contraction is `n` bytes long: most words skip the look-up.
    contraction_lengths: u32,
    units: ShortWords,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);

pub(crate) fn lexicon() -> &'static Lexicon {
    &LEXICON
}

/// The non-comment, non-empty lines of a word list.
fn entries(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    fn load() -> Lexicon {
        Lexicon::parse(
            include_str!("../../../data/nlp/abbreviations.txt"),
            include_str!("../../../data/nlp/sentence_starters.txt"),
            include_str!("../../../data/nlp/hyphen_prefixes.txt"),
            include_str!("../../../data/nlp/contractions.txt"),
            include_str!("../../../data/nlp/unit_suffixes.txt"),
        )
    }

    fn parse(
        abbreviations: &'static str,
        starters: &'static str,
        hyphen_prefixes: &'static str,
        contractions: &'static str,
        units: &'static str,
    ) -> Lexicon {
        // Entries as written win over the case variants generated from other entries
        // ("Ft." for Fort is a prefix; "ft." for feet may end a sentence).
        let mut written = HashMap::default();
        let mut variants = HashMap::new();
        let mut kind = AbbrevKind::Final;
        for line in entries(abbreviations) {
            match line {
                "[prefix]" => kind = AbbrevKind::Prefix,
                "[number]" => kind = AbbrevKind::Number,
                "[final]" => kind = AbbrevKind::Final,
                "[ending]" => kind = AbbrevKind::Ending,
                _ => {
                    written.insert(line.to_string(), kind);
                    // One-letter entries ("p.", "v.") get no variants: "P." is an initial.
                    if line.chars().count() <= 2 {
                        continue;
                    }
                    variants.insert(line.to_uppercase(), kind);
                    if !line.chars().any(char::is_uppercase) {
                        let mut chars = line.chars();
                        if let Some(first) = chars.next() {
                            let capitalized: String = first.to_uppercase().chain(chars).collect();
                            variants.insert(capitalized, kind);
                        }
                    }
                }
            }
        }
        for (variant, kind) in variants {
            written.entry(variant).or_insert(kind);
        }
        let contractions: HashMap<u128, Vec<usize>, FastHash> = entries(contractions)
            .filter_map(|line| {
                let parts: Vec<usize> = line.split('|').map(str::len).collect();
                pack_lowercase(&line.replace('|', "")).map(|word| (word, parts))
            })
            .collect();
        let contraction_lengths = contractions
            .values()
            .fold(0u32, |mask, parts| mask | 1 << parts.iter().sum::<usize>());
        Lexicon {
            abbreviations: written,
            starters: entries(starters).collect(),
            hyphen_prefixes: ShortWords::new(entries(hyphen_prefixes)),
            contractions,
            contraction_lengths,
            units: ShortWords::new(entries(units)),
        }
    }

    /// Whether `word` (a capitalised word after a possible sentence end) typically opens a
    /// sentence.
    pub(crate) fn is_sentence_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    /// Whether `word_with_dot` is in the abbreviation list (as written or as a case variant
    /// of an entry), whatever its kind; shapes such as "U.S." do not count.
    pub(crate) fn is_listed_abbreviation(&self, word_with_dot: &str) -> bool {
        self.abbreviations.contains_key(word_with_dot)
    }

    /// The abbreviation kind of `word_with_dot` (the word including its final period), by
    /// list or by shape: dotted acronyms ("U.S.", "e.g.") and capital initials ("F.").
    pub(crate) fn abbreviation_kind(&self, word_with_dot: &str) -> Option<AbbrevKind> {
        if let Some(&kind) = self.abbreviations.get(word_with_dot) {
            return Some(kind);
        }
        if is_dotted_acronym(word_with_dot) {
            return Some(AbbrevKind::Final);
        }
        let mut chars = word_with_dot.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(c), Some('.'), None) if c.is_uppercase() => Some(AbbrevKind::Final),
            _ => None,
        }
    }

    pub(crate) fn is_hyphen_prefix(&self, word: &str) -> bool {
        self.hyphen_prefixes.contains(word)
    }

    pub(crate) fn contraction_parts(&self, word: &str) -> Option<&[usize]> {
        if word.len() >= 32 || self.contraction_lengths & (1 << word.len()) == 0 {
            return None;
        }
        self.contractions
            .get(&pack_lowercase(word)?)
            .map(Vec::as_slice)
    }

    /// Whether `suffix` (the letters after a number) is a unit EWT splits off; one-letter
    /// units only in lower case ("10k", but "3M" is a name).
    pub(crate) fn is_unit(&self, suffix: &str) -> bool {
        if suffix.len() == 1 && !suffix.bytes().all(|b| b.is_ascii_lowercase()) {
            return false;
        }
        self.units.contains(suffix)
    }
}

/// "U.S.", "e.g.", "J.R.R.": two or more single letters, each followed by a period.
fn is_dotted_acronym(word: &str) -> bool {
    let mut letters = 0;
    let mut expect_letter = true;
    for c in word.chars() {
        if expect_letter {
            if !c.is_alphabetic() {
                return false;
            }
            letters += 1;
        } else if c != '.' {
            return false;
        }
        expect_letter = !expect_letter;
    }
    expect_letter && letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_entry_is_found() {
        let lex = lexicon();
        let lists = [
            include_str!("../../../data/nlp/hyphen_prefixes.txt"),
            include_str!("../../../data/nlp/unit_suffixes.txt"),
        ];
        for word in entries(lists[0]) {
            assert!(lex.is_hyphen_prefix(word), "{word}");
            assert!(lex.is_hyphen_prefix(&word.to_uppercase()), "{word}");
        }
        for word in entries(lists[1]) {
            assert!(lex.is_unit(word), "{word}");
        }
        for line in entries(include_str!("../../../data/nlp/contractions.txt")) {
            let word = line.replace('|', "");
            let parts: Vec<usize> = line.split('|').map(str::len).collect();
            assert_eq!(
                lex.contraction_parts(&word),
                Some(parts.as_slice()),
                "{word}"
            );
        }
        for line in entries(include_str!("../../../data/nlp/abbreviations.txt")) {
            if !line.starts_with('[') {
                assert!(lex.abbreviation_kind(line).is_some(), "{line}");
            }
        }
        for word in entries(include_str!("../../../data/nlp/sentence_starters.txt")) {
            assert!(lex.is_sentence_starter(word), "{word}");
        }
        assert!(!lex.is_sentence_starter("Army"));
        assert!(lex.contraction_parts("cannon").is_none());
        assert!(!lex.is_unit("M"));
    }

    #[test]
    fn lexicon_case_variants() {
        let lex = lexicon();
        assert_eq!(lex.abbreviation_kind("Etc."), Some(AbbrevKind::Ending));
        assert_eq!(lex.abbreviation_kind("ETC."), Some(AbbrevKind::Ending));
        assert_eq!(lex.abbreviation_kind("Inc."), Some(AbbrevKind::Final));
        assert_eq!(lex.abbreviation_kind("p."), Some(AbbrevKind::Number));
        assert_eq!(lex.abbreviation_kind("P."), Some(AbbrevKind::Final));
        assert_eq!(lex.abbreviation_kind("Ill."), Some(AbbrevKind::Final));
        assert_eq!(lex.abbreviation_kind("ill."), None);
        assert_eq!(lex.abbreviation_kind("Ft."), Some(AbbrevKind::Prefix));
        assert_eq!(lex.abbreviation_kind("ft."), Some(AbbrevKind::Final));
        assert_eq!(lex.abbreviation_kind("N.A.T.O."), Some(AbbrevKind::Final));
        assert_eq!(lex.abbreviation_kind("F."), Some(AbbrevKind::Final));
        assert_eq!(lex.abbreviation_kind("of."), None);
    }
}
