//! Who a claim's source is across documents: the speaker identity rule.
//!
//! A speaker is one record however the text names it, so that "Trump", "Donald Trump" and
//! "Mr. Trump" count as one, and "the ministry" of two countries as two. For each claim of a
//! document, in text order ([`speakers_of`]):
//! 1. a source that repeats an earlier claim's source (`same_as`: "he", "the officer",
//!    "Mr. Keita") is that claim's speaker;
//! 2. an anonymous source is a speaker of its document only, never merged across documents
//!    (two "Western security officials" in two stories need not be one person); within the
//!    document, the same phrase (less "a", "the") is the same speaker;
//! 3. a named person (the person entity inside the source phrase, else its longest run of
//!    capitalised words) is keyed by the name's first and last word, lower-cased, diacritics
//!    folded, after titles and office words (`data/speakers/titles.txt`), initials and "Jr"
//!    are taken off: "President Donald J. Trump" and "Donald Trump" are `person:donald
//!    trump`. A surname alone ("Trump", "Mr. Trump") is joined to the full name with that
//!    surname in the same document (a quoted one first, else a person entity of the text);
//!    failing that it is left to the store ([`SpeakerDraft::surname_only`]), which joins it
//!    to the most quoted full name with that surname, or keeps it apart until one comes;
//! 4. a government, institution, group or media outlet is keyed by kind, actor code and its
//!    name less determiners, place words (the text's place and nationality entities) and, for
//!    a government, words that name no body in particular (`generic.txt`): "Paris" and "the
//!    French government" are `government:FRAGOV:`; "Mali's defence ministry" is
//!    `government:MLIGOV:defence ministry`. With no actor code, a name with a capital letter
//!    ("Human Rights Watch", "AFP") is keyed by itself across documents, and a common noun
//!    ("the ministry") stays a speaker of its document: which ministry it is, only the text
//!    around it says;
//! 5. documents ("a report") are speakers of their document; a bare pronoun no earlier claim
//!    resolves names nobody and has no speaker.
//!
//! The cases are tested in `tests/claims.rs`, through the store.

use std::collections::HashSet;
use std::sync::OnceLock;

use sitrep_model::{Claim, ClaimSource, Document, SourceKind};
use unicode_normalization::UnicodeNormalization;

const TITLES: &str = include_str!("../../../data/speakers/titles.txt");
const GENERIC: &str = include_str!("../../../data/speakers/generic.txt");

/// One claim's speaker as its document alone says it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerDraft {
    /// The identity: two claims with one key have one speaker.
    pub key: String,
    /// How to show it: the name as first written (titles off for persons).
    pub name: String,
    pub kind: SourceKind,
    pub anonymous: bool,
    pub actor: Option<String>,
    /// The last word of a person's name key, for joining a surname alone to its full name.
    pub surname: Option<String>,
    /// A surname alone, with no full name in its document: the store decides whom it is.
    pub surname_only: bool,
}

/// The speaker of each of `doc`'s claims (same order); `None` for a claim without a source
/// or whose source names nobody.
pub fn speakers_of(doc: &Document) -> Vec<Option<SpeakerDraft>> {
    let mut out: Vec<Option<SpeakerDraft>> = Vec::with_capacity(doc.claims.len());
    for (i, claim) in doc.claims.iter().enumerate() {
        let earlier = claim
            .source
            .as_ref()
            .and_then(|s| s.same_as.as_deref())
            .and_then(|id| doc.claims[..i].iter().position(|c| c.id == id))
            .and_then(|j| out[j].clone());
        let draft = earlier.or_else(|| describe(doc, claim, &out));
        out.push(draft);
    }
    out
}

/// The speaker of one claim whose source repeats no earlier one.
fn describe(
    doc: &Document,
    claim: &Claim,
    before: &[Option<SpeakerDraft>],
) -> Option<SpeakerDraft> {
    let source = claim.source.as_ref()?;
    let words = phrase_words(&source.text);
    if words.len() == 1 && is_pronoun(&words[0]) {
        return None;
    }
    let actor = source.actor.as_ref().map(|a| a.code.clone());
    let draft = |key: String, name: String| SpeakerDraft {
        key,
        name,
        kind: source.kind,
        anonymous: source.anonymous,
        actor: actor.clone(),
        surname: None,
        surname_only: false,
    };
    let phrase = strip_determiners(&words).join(" ");
    if source.anonymous {
        let key = format!("anon:{}:{}", doc.id, fold(&phrase));
        return Some(draft(key, source.text.clone()));
    }
    let kind = source.kind.name();
    match source.kind {
        SourceKind::Person | SourceKind::Official | SourceKind::Unknown => {
            let Some(name) = person_name(doc, source) else {
                let key = format!("{kind}:{}:{}", doc.id, fold(&phrase));
                return Some(draft(key, source.text.clone()));
            };
            let key_words = name_key(&name);
            match key_words.as_slice() {
                [] => Some(draft(
                    format!("{kind}:{}:{}", doc.id, fold(&phrase)),
                    source.text.clone(),
                )),
                [surname] => Some(match full_name_in(doc, before, surname) {
                    Some(full) => full,
                    None => SpeakerDraft {
                        surname: Some(surname.clone()),
                        surname_only: true,
                        ..draft(format!("surname:{surname}"), name)
                    },
                }),
                [first, .., last] => Some(SpeakerDraft {
                    surname: Some(last.clone()),
                    ..draft(format!("person:{first} {last}"), name)
                }),
            }
        }
        SourceKind::Document => {
            let key = format!("document:{}:{}", doc.id, fold(&phrase));
            Some(draft(key, source.text.clone()))
        }
        SourceKind::Government
        | SourceKind::Institution
        | SourceKind::Group
        | SourceKind::Media => {
            let body = body_name(doc, source);
            let key = match &actor {
                Some(code) => format!("{kind}:{code}:{body}"),
                None if phrase.chars().any(char::is_uppercase) => format!("{kind}::{body}"),
                None => format!("{kind}:{}:{body}", doc.id),
            };
            Some(draft(key, source.text.clone()))
        }
    }
}

/// The full name of a surname in this document: an earlier quoted person's, else a person
/// entity of the text whose name ends with it (the most mentioned; the first on a tie).
fn full_name_in(
    doc: &Document,
    before: &[Option<SpeakerDraft>],
    surname: &str,
) -> Option<SpeakerDraft> {
    if let Some(found) = before.iter().rev().flatten().find(|d| {
        !d.surname_only && d.key.starts_with("person:") && d.surname.as_deref() == Some(surname)
    }) {
        return Some(found.clone());
    }
    let mut names: Vec<(String, Vec<String>, usize)> = Vec::new();
    for e in doc.entities.iter().filter(|e| e.kind == "PER") {
        let key = name_key(&e.text);
        if key.len() < 2 || key.last().map(String::as_str) != Some(surname) {
            continue;
        }
        match names.iter_mut().find(|(_, k, _)| *k == key) {
            Some(entry) => entry.2 += 1,
            None => names.push((strip_titles(&e.text), key, 1)),
        }
    }
    let best = names
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (n.2, usize::MAX - i))?;
    let (name, key, _) = best.1;
    Some(SpeakerDraft {
        key: format!("person:{} {}", key[0], surname),
        name: name.clone(),
        kind: SourceKind::Person,
        anonymous: false,
        actor: None,
        surname: Some(surname.to_string()),
        surname_only: false,
    })
}

/// The person's name in a source phrase: the longest person entity inside it, else its
/// longest run of capitalised words with titles taken off.
fn person_name(doc: &Document, source: &ClaimSource) -> Option<String> {
    let entity = doc
        .entities
        .iter()
        .filter(|e| e.kind == "PER" && e.start >= source.start && e.end <= source.end)
        .max_by_key(|e| e.end - e.start);
    if let Some(e) = entity {
        let name = strip_titles(&e.text);
        if !name.is_empty() {
            return Some(name);
        }
    }
    let words = phrase_words(&source.text);
    let mut best: Vec<&str> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for w in words.iter().map(String::as_str).chain([""]) {
        if w.chars().next().is_some_and(char::is_uppercase) {
            run.push(w);
            continue;
        }
        let name: Vec<&str> = drop_titles(&run).to_vec();
        if name.len() >= best.len() && !name.is_empty() {
            best = name;
        }
        run.clear();
    }
    (!best.is_empty()).then(|| best.join(" "))
}

/// A name's identifying words: lower case, diacritics folded, titles, initials and
/// generational suffixes off; then its first and last word (or the one word).
fn name_key(name: &str) -> Vec<String> {
    let words: Vec<String> = phrase_words(name);
    let words: Vec<String> = drop_titles(&words)
        .iter()
        .map(|w| fold(w))
        .filter(|w| {
            let letters = w.trim_end_matches('.');
            letters.chars().count() > 1 && !matches!(letters, "jr" | "sr" | "ii" | "iii" | "iv")
        })
        .collect();
    match words.as_slice() {
        [] => Vec::new(),
        [one] => vec![one.clone()],
        [first, .., last] => vec![first.clone(), last.clone()],
    }
}

/// A name with its leading titles taken off ("Gen. Assimi Goita" → "Assimi Goita").
fn strip_titles(name: &str) -> String {
    drop_titles(&phrase_words(name)).join(" ")
}

/// The words of a name after its titles: after the last title or office word that has a
/// word after it ("Ostrelian Foreign Minister Corin Albescu" → "Corin Albescu"; "John
/// Major" keeps "Major", which ends the name).
fn drop_titles<S: AsRef<str>>(words: &[S]) -> &[S] {
    let titles = titles();
    let is_title = |w: &S| {
        let w = fold(w.as_ref());
        matches!(w.as_str(), "the" | "a" | "an") || titles.contains(w.trim_end_matches('.'))
    };
    if words.iter().all(is_title) {
        return &words[words.len()..];
    }
    match words[..words.len() - 1].iter().rposition(is_title) {
        Some(i) => &words[i + 1..],
        None => words,
    }
}

/// A body's name for its key: lower case, folded, without determiners, place and
/// nationality words (the text's LOC and NORP entities inside the phrase), and for a
/// government the words that name no particular body. A government named by one word with
/// its actor found ("Paris", "Moscow") is that country's government.
fn body_name(doc: &Document, source: &ClaimSource) -> String {
    let words = phrase_words(&source.text);
    let words = strip_determiners(&words);
    let government = source.kind == SourceKind::Government;
    if government && source.actor.is_some() && words.len() == 1 {
        return String::new();
    }
    let places: Vec<String> = doc
        .entities
        .iter()
        .filter(|e| matches!(e.kind.as_str(), "LOC" | "NORP" | "GPE"))
        .filter(|e| e.start >= source.start && e.end <= source.end)
        .flat_map(|e| phrase_words(&e.text))
        .map(|w| fold(&w))
        .collect();
    let generic = generic();
    words
        .iter()
        .map(|w| fold(w))
        .filter(|w| !places.contains(w))
        .filter(|w| !(government && generic.contains(w.as_str())))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words of a phrase: split on white space, outer punctuation and possessives off.
fn phrase_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
            let w = w.trim_start_matches('.');
            let w = w
                .strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(w);
            // A full stop ends a sentence, not a name, unless the word is an initial or a
            // short title ("J.", "Gen.").
            if w.ends_with('.') && w.chars().count() > 4 {
                w.trim_end_matches('.').to_string()
            } else {
                w.to_string()
            }
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn strip_determiners(words: &[String]) -> &[String] {
    let skip = words
        .iter()
        .take_while(|w| matches!(fold(w).as_str(), "the" | "a" | "an" | "another"))
        .count();
    &words[skip..]
}

fn is_pronoun(word: &str) -> bool {
    matches!(
        fold(word).as_str(),
        "he" | "she" | "they" | "we" | "i" | "it" | "him" | "her" | "them" | "us"
    )
}

/// Lower case without diacritics ("Touré" → "toure").
fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn word_list(text: &str) -> HashSet<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(fold)
        .collect()
}

fn titles() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| word_list(TITLES))
}

fn generic() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| word_list(GENERIC))
}
