//! Look-up tables the event coder builds once from the [`Dictionaries`]: verbs by their verb
//! word, actors by the words of their phrases (longest match first).
//!
//! The coder reads a sentence's tokens from the `Analysis` (lemma and word, upper-cased as the
//! dictionaries are); it asks [`VerbIndex::entries`] for the verb entries of a verb's lemma
//! and [`ActorIndex::longest_match`] for the actor a run of words starts with.

use rustc_hash::FxHashMap;

use super::dictionaries::{Dictionaries, PhraseId, Sym};

/// Verb entries by the symbol of their verb word (the `+` word of a multi-word verb): the base
/// form, and each irregular form given in `{...}`.
#[derive(Debug, Default)]
pub struct VerbIndex {
    by_word: FxHashMap<Sym, Vec<u32>>,
}

impl VerbIndex {
    pub fn build(d: &Dictionaries) -> VerbIndex {
        let mut by_word: FxHashMap<Sym, Vec<u32>> = FxHashMap::default();
        for (i, entry) in d.verbs.verbs.iter().enumerate() {
            let forms = std::iter::once(&entry.base).chain(entry.irregular.iter().flatten());
            for form in forms {
                let words = d.phrases.get(form.words);
                if let Some(&word) = words.get(form.verb as usize) {
                    let list = by_word.entry(word).or_default();
                    if list.last() != Some(&(i as u32)) {
                        list.push(i as u32);
                    }
                }
            }
        }
        VerbIndex { by_word }
    }

    /// The verb entries (indices of `Verbs::verbs`) whose verb word is `word` (upper case).
    pub fn entries(&self, d: &Dictionaries, word: &str) -> &[u32] {
        d.symbols
            .get(word)
            .and_then(|sym| self.by_word.get(&sym))
            .map_or(&[], Vec::as_slice)
    }
}

/// Actor phrases by their first word, longest first.
#[derive(Debug, Default)]
pub struct ActorIndex {
    by_first: FxHashMap<Sym, Vec<(PhraseId, u32)>>,
}

impl ActorIndex {
    pub fn build(d: &Dictionaries) -> ActorIndex {
        let mut by_first: FxHashMap<Sym, Vec<(PhraseId, u32)>> = FxHashMap::default();
        for (i, actor) in d.actors.actors.iter().enumerate() {
            for &phrase in d.actors.phrases(actor) {
                if let Some(&first) = d.phrases.get(phrase).first() {
                    by_first.entry(first).or_default().push((phrase, i as u32));
                }
            }
        }
        for list in by_first.values_mut() {
            // Longest phrase first; among equals, the earlier actor (dictionary order).
            list.sort_by_key(|&(p, a)| (std::cmp::Reverse(d.phrases.get(p).len()), a));
        }
        ActorIndex { by_first }
    }

    /// The actor (index of `Actors::actors`) whose phrase is the longest prefix of `words`
    /// (upper case), with the number of words it covers.
    pub fn longest_match(&self, d: &Dictionaries, words: &[&str]) -> Option<(u32, usize)> {
        let first = d.symbols.get(words.first()?)?;
        self.by_first
            .get(&first)?
            .iter()
            .find_map(|&(phrase, actor)| {
                let p = d.phrases.get(phrase);
                (p.len() <= words.len()
                    && p.iter()
                        .zip(words)
                        .all(|(&sym, w)| d.symbols.name(sym) == *w))
                .then_some((actor, p.len()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::dictionaries::DictionaryKind;

    fn sample() -> Dictionaries {
        let verbs = "--- MEET [040] ---\n\
                     MEET {MEETS MET MEETING}\n\
                     TALK [041]\n\
                     +SIT_DOWN {} [043]\n";
        let actors = "VARNIA_ [VRN]\n\
                      +VARNIAN_REPUBLIC_\n\
                      VARNIA_NORTH_ [VRNREB]\n\
                      OSTRELIA_ [OST]\n";
        Dictionaries::parse(&[
            (DictionaryKind::Verbs, "verbs.txt", verbs),
            (DictionaryKind::Actors, "actors.txt", actors),
        ])
        .unwrap()
    }

    #[test]
    fn verbs_are_found_by_any_of_their_forms() {
        let d = sample();
        let index = VerbIndex::build(&d);
        let meet = index.entries(&d, "MEET");
        assert_eq!(meet.len(), 1);
        assert_eq!(index.entries(&d, "MET"), meet);
        assert_eq!(index.entries(&d, "TALK").len(), 1);
        // A multi-word verb is found by its verb word.
        assert_eq!(index.entries(&d, "SIT").len(), 1);
        assert!(index.entries(&d, "SWIM").is_empty());
    }

    #[test]
    fn the_longest_actor_phrase_wins() {
        let d = sample();
        let index = ActorIndex::build(&d);
        let code = |words: &[&str]| {
            index.longest_match(&d, words).map(|(a, n)| {
                let actor = &d.actors.actors[a as usize];
                let code = d.actors.codes(actor)[0].code;
                (d.symbols.name(code).to_string(), n)
            })
        };
        assert_eq!(
            code(&["VARNIA", "NORTH", "SAID"]),
            Some(("VRNREB".into(), 2))
        );
        assert_eq!(code(&["VARNIA", "SAID"]), Some(("VRN".into(), 1)));
        assert_eq!(code(&["VARNIAN", "REPUBLIC"]), Some(("VRN".into(), 2)));
        assert_eq!(code(&["VARNIAN"]), None);
        assert_eq!(code(&["NOBODY"]), None);
    }
}
