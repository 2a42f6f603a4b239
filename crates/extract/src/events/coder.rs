//! The event coder, first version (branch `coder`, work in progress): (source, target, CAMEO
//! code) from a sentence's parse and the dictionaries.
//!
//! For each verb of a sentence whose lemma the verb dictionary lists:
//! - the code is that of the block's pattern that matches the most words (every word of the
//!   pattern found in order after the verb, in its subtree, or before it), else the verb's own
//!   code, else its block's;
//! - the source is the actor named in the subject's words (`nsubj`; a passive's `by` agent);
//!   a verb joined to another (`conj`) without a subject of its own shares its subject;
//! - the target is the actor named in the object's words (`obj`, a passive subject), else in
//!   the first oblique or indirect object naming one;
//! - a `not`/`never` on the verb marks the event negated.
//!
//! Actors are found by their longest dictionary phrase in the phrase's words (upper case), and
//! their code is the one in force on the sentence's date. Not yet: agents ("officials" →
//! GOV), compound actors, synsets with multi-word members, discards, issues, transformations,
//! the claim an event is reported in.

use chrono::NaiveDate;
use sitrep_nlp::Analysis;

use super::dictionaries::{Dictionaries, Element, EventCode, Sym};
use super::index::{ActorIndex, VerbIndex};

/// One coded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedEvent {
    /// The verb's token index.
    pub verb: usize,
    pub source: Option<String>,
    pub target: Option<String>,
    pub code: String,
    pub negated: bool,
    /// Why: the verb entry's and the pattern's dictionary lines.
    pub why: String,
}

/// The dictionaries and their look-ups.
pub struct Coder {
    pub dictionaries: Dictionaries,
    verbs: VerbIndex,
    actors: ActorIndex,
}

impl Coder {
    pub fn new(dictionaries: Dictionaries) -> Coder {
        let verbs = VerbIndex::build(&dictionaries);
        let actors = ActorIndex::build(&dictionaries);
        Coder {
            dictionaries,
            verbs,
            actors,
        }
    }

    /// The events of sentence `s` of an analysed text.
    pub fn code_sentence(
        &self,
        text: &str,
        a: &Analysis,
        s: usize,
        date: NaiveDate,
    ) -> Vec<CodedEvent> {
        let d = &self.dictionaries;
        let Some(sentence) = a.sentences().get(s) else {
            return Vec::new();
        };
        let tokens = sentence.tokens.clone();
        let word = |t: usize| text[a.tokens()[t].clone()].to_uppercase();
        let lemma = |t: usize| {
            a.word(t)
                .map_or_else(|| word(t), |w| w.lemma.as_str().to_uppercase())
        };
        let rel = |t: usize| a.word(t).map_or("", |w| w.deprel);
        let children = |h: usize| tokens.clone().filter(move |&t| a.head(t) == Some(h));
        let subtree = |root: usize| -> Vec<usize> {
            let mut out = vec![root];
            let mut i = 0;
            while i < out.len() {
                let h = out[i];
                out.extend(children(h));
                i += 1;
            }
            out.sort_unstable();
            out
        };
        // The actors a phrase names: the first, or every one when the phrase joins several
        // ("Mordor, Rohan and Bree": a compound actor, one event each).
        let actors_in = |ts: &[usize]| -> Vec<String> {
            let words: Vec<String> = ts.iter().map(|&t| word(t)).collect();
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let compound = ts.iter().any(|&t| rel(t) == "conj");
            let mut found = Vec::new();
            let mut i = 0;
            while i < refs.len() {
                match self.actors.longest_match(d, &refs[i..]) {
                    Some((actor, n)) => {
                        let actor = &d.actors.actors[actor as usize];
                        if let Some(code) = d.actors.code_on(actor, date) {
                            let code = d.symbols.name(code).to_string();
                            if !found.contains(&code) {
                                found.push(code);
                            }
                        }
                        if !compound && !found.is_empty() {
                            break;
                        }
                        i += n;
                    }
                    None => i += 1,
                }
            }
            found
        };
        let mut out = Vec::new();
        for v in tokens.clone() {
            if a.word(v).is_none_or(|w| w.upos != "VERB") {
                continue;
            }
            let entries = self.verbs.entries(d, &lemma(v));
            let Some(&entry) = entries.first() else {
                continue;
            };
            let entry = &d.verbs.verbs[entry as usize];
            let block = &d.verbs.blocks[entry.block as usize];
            // Each word as its lemma and as written: patterns list either ("TIES").
            let after: Vec<(String, String)> = subtree(v)
                .into_iter()
                .filter(|&t| t > v)
                .map(|t| (lemma(t), word(t)))
                .collect();
            let before: Vec<(String, String)> =
                (tokens.start..v).map(|t| (lemma(t), word(t))).collect();
            let best = d
                .verbs
                .patterns
                .iter()
                .filter(|p| p.block == entry.block)
                .filter_map(|p| {
                    let n_after = self.matches(&p.after, &after)?;
                    let n_before = self.matches(&p.before, &before)?;
                    Some((n_after + n_before, p))
                })
                .max_by_key(|(n, p)| (*n, std::cmp::Reverse(p.line)));
            let (code, why) = match best {
                Some((n, p)) if n > 0 => (p.code, format!("pattern of line {}", p.line)),
                _ => (
                    entry.code.unwrap_or(block.code),
                    format!("verb of line {}", entry.line),
                ),
            };
            let code = self.code_text(code);
            if code.is_empty() || code == "---" {
                continue;
            }
            // Subject and object, through a passive, and the subject of the verb a joined or
            // controlled verb depends on ("Arnor is about to restore": "restore" is the
            // complement of "about", whose subject is Arnor).
            let mut sources: Vec<String> = Vec::new();
            let mut targets: Vec<String> = Vec::new();
            let mut negated = false;
            for c in children(v) {
                match rel(c) {
                    "nsubj" | "obl:agent" if sources.is_empty() => sources = actors_in(&subtree(c)),
                    "nsubj:pass" | "obj" if targets.is_empty() => targets = actors_in(&subtree(c)),
                    "advmod" if matches!(lemma(c).as_str(), "NOT" | "NEVER" | "N'T") => {
                        negated = true
                    }
                    _ => {}
                }
            }
            let mut up = v;
            let mut hops = 0;
            while sources.is_empty()
                && hops < 3
                && matches!(rel(up), "conj" | "xcomp" | "ccomp" | "advcl")
                && let Some(h) = a.head(up)
            {
                if let Some(c) = children(h).find(|&c| rel(c) == "nsubj") {
                    sources = actors_in(&subtree(c));
                }
                up = h;
                hops += 1;
            }
            if targets.is_empty() {
                targets = children(v)
                    .filter(|&c| matches!(rel(c), "obl" | "iobj" | "ccomp" | "xcomp"))
                    .map(|c| actors_in(&subtree(c)))
                    .find(|found| !found.is_empty())
                    .unwrap_or_default();
            }
            if sources.is_empty() && targets.is_empty() {
                continue;
            }
            let slots = |found: Vec<String>| -> Vec<Option<String>> {
                if found.is_empty() {
                    vec![None]
                } else {
                    found.into_iter().map(Some).collect()
                }
            };
            for source in slots(sources) {
                for target in slots(targets.clone()) {
                    if source.is_some() && source == target {
                        continue;
                    }
                    out.push(CodedEvent {
                        verb: v,
                        source: source.clone(),
                        target,
                        code: code.clone(),
                        negated,
                        why: why.clone(),
                    });
                }
            }
        }
        out
    }

    /// How many words of `elements` are found in `words` in order; `None` when one is not.
    fn matches(&self, elements: &[Element], words: &[(String, String)]) -> Option<usize> {
        let d = &self.dictionaries;
        let mut at = 0;
        let mut n = 0;
        let mut need = |sym: Sym, at: &mut usize| -> Option<()> {
            let name = d.symbols.name(sym);
            let found = words[*at..]
                .iter()
                .position(|(lemma, word)| self.word_is(name, lemma) || self.word_is(name, word))?;
            *at += found + 1;
            n += 1;
            Some(())
        };
        for e in elements {
            match e {
                Element::Words(p) | Element::NounPhrase(p) => {
                    for &sym in d.phrases.get(*p) {
                        need(sym, &mut at)?;
                    }
                }
                Element::Prep {
                    preposition,
                    object,
                } => {
                    for &sym in d.phrases.get(*preposition) {
                        need(sym, &mut at)?;
                    }
                    for inner in object.iter() {
                        if let Element::Words(p) | Element::NounPhrase(p) = inner {
                            for &sym in d.phrases.get(*p) {
                                need(sym, &mut at)?;
                            }
                        }
                    }
                }
                Element::Source | Element::Target | Element::Skip | Element::Compound => {}
            }
        }
        Some(n)
    }

    /// A pattern word against a sentence word (upper case): equal, or a member of the
    /// synset it names (`&NAME`, one-word members).
    fn word_is(&self, pattern: &str, word: &str) -> bool {
        if let Some(_name) = pattern.strip_prefix('&') {
            let d = &self.dictionaries;
            return d.symbols.get(pattern).is_some_and(|sym| {
                d.verbs.synsets.get(&sym).is_some_and(|set| {
                    set.members.iter().any(|m| {
                        let p = d.phrases.get(m.phrase);
                        p.len() == 1 && d.symbols.name(p[0]) == word
                    })
                })
            });
        }
        pattern == word
    }

    fn code_text(&self, code: EventCode) -> String {
        let text = self.dictionaries.symbols.name(code.0);
        // "042:043": the first part is the event's code.
        text.split(':').next().unwrap_or("").to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::{Arc, LazyLock};

    use sitrep_nlp::{Analyzer, Ner, Nlp};

    use super::*;
    use crate::events::dictionaries::DictionaryKind;

    static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| {
        let models = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/models");
        let nlp = Nlp::load(&models).expect("shipped models load");
        let ner = Ner::load(&models.join(sitrep_nlp::ner::NER_FILE)).expect("NER loads");
        Analyzer::new(Some(Arc::new(nlp)), Some(Arc::new(ner)))
    });

    fn coder() -> Coder {
        let verbs = "&TIES\n+TIES\n+RELATIONS\n\
                     --- RESTORE [060] ---\n\
                     RESTORE\n\
                     - * DIPLOMATIC &TIES (WITH +) [064]\n\
                     --- CRITICIZE [111] ---\n\
                     CRITICIZE {CRITICIZES CRITICIZED CRITICIZING}\n\
                     CONDEMN [112]\n";
        let actors = "VARNIA_ [VRN]\n\
                      OSTRELIA_ [OST]\n\
                      KESSLAND_ [KES]\n\
                      ANA_PETROVA_\n\t[VRNELI 19900101-20100101]\n\t[VRNGOV >20100101]\n";
        Coder::new(
            Dictionaries::parse(&[
                (DictionaryKind::Verbs, "verbs.txt", verbs),
                (DictionaryKind::Actors, "actors.txt", actors),
            ])
            .unwrap(),
        )
    }

    fn code(
        text: &str,
        date: (i32, u32, u32),
    ) -> Vec<(Option<String>, Option<String>, String, bool)> {
        let a = ANALYZER.analyse(text);
        let date = NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap();
        coder()
            .code_sentence(text, &a, 0, date)
            .into_iter()
            .map(|e| (e.source, e.target, e.code, e.negated))
            .collect()
    }

    fn ev(
        s: &str,
        t: &str,
        c: &str,
        negated: bool,
    ) -> (Option<String>, Option<String>, String, bool) {
        (Some(s.into()), Some(t.into()), c.into(), negated)
    }

    #[test]
    fn a_pattern_decides_the_code_and_the_parse_the_actors() {
        assert_eq!(
            code(
                "Varnia will restore diplomatic ties with Ostrelia.",
                (2022, 1, 7)
            ),
            [ev("VRN", "OST", "064", false)]
        );
        // Without the pattern's words, the block's code.
        assert_eq!(
            code("Varnia restored the bridge to Ostrelia.", (2022, 1, 7)),
            [ev("VRN", "OST", "060", false)]
        );
    }

    /// A compound subject is one event per actor; a verb controlled by another takes its
    /// subject.
    #[test]
    fn compounds_and_controlled_verbs() {
        assert_eq!(
            code("Varnia and Ostrelia condemned Kessland.", (2022, 1, 7)),
            [
                ev("VRN", "KES", "112", false),
                ev("OST", "KES", "112", false)
            ]
        );
        assert_eq!(
            code(
                "Varnia is about to restore diplomatic ties with Ostrelia.",
                (2022, 1, 7)
            ),
            [ev("VRN", "OST", "064", false)]
        );
    }

    #[test]
    fn passives_negation_and_dated_codes() {
        assert_eq!(
            code("Ostrelia was criticized by Varnia.", (2022, 1, 7)),
            [ev("VRN", "OST", "111", false)]
        );
        assert_eq!(
            code("Varnia did not condemn Ostrelia.", (2022, 1, 7)),
            [ev("VRN", "OST", "112", true)]
        );
        assert_eq!(
            code("Ana Petrova criticized Ostrelia.", (2005, 3, 1)),
            [ev("VRNELI", "OST", "111", false)]
        );
        assert_eq!(
            code("Ana Petrova criticized Ostrelia.", (2015, 3, 1)),
            [ev("VRNGOV", "OST", "111", false)]
        );
    }
}
