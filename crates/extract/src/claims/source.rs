//! Who a claim's source is: its kind, whether it is named, what in the text says it is not,
//! and its actor (country and agent, as CAMEO codes them).
//!
//! The rules, in order, on the source phrase's head (the token the rest of the phrase hangs
//! from; for "one of the officers" the noun after "of"):
//! 1. a personal pronoun ("he", "they") is resolved later to an earlier source (`coref`);
//! 2. a one-word name whose nationality word the document uses ("Ostrelia said" beside
//!    "Ostrelian troops") is a country: its government, whatever the recogniser made of it;
//! 3. an entity the recogniser found at the head decides: a person is a named person; an
//!    organisation is media when it is a news organisation (`media.txt`), a government when
//!    the name says so, else an institution; a place speaking ("Paris said") is that
//!    country's government (the place is kept, its use marked);
//! 4. a head noun of `source_nouns.tsv` ("officer", "ministry", "report") gives the kind;
//! 5. any other proper noun is a named person; anything else is unknown.
//!
//! A source is anonymous when it is a person, an official or unknown and no name of a person
//! is in its phrase ("a Western security official", "Malian army officials", "sources");
//! governments, institutions, groups, media and documents are identified by what they are.
//! The anonymity cue is the first phrase of `anonymity_cues.txt` in the claim's sentence
//! ("who requested anonymity", "people familiar with the matter").
//!
//! The actor: a country from a nationality word, a country name or a capital in the phrase
//! (`gazetteer` look-up, `capitals.tsv`), and an agent from the phrase's nouns (a military or
//! police noun wins over the head's: "Malian army officials" is MLIMIL).

use std::ops::Range;

use sitrep_model::{Actor, SourceKind};
use sitrep_nlp::{EntityLabel, Gazetteer};

use super::doc::Doc;
use super::lexicon::Lexicon;

/// What the rules found about one source phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFacts {
    pub kind: SourceKind,
    /// A personal pronoun: kind and anonymity come from its antecedent.
    pub pronoun: bool,
    /// A person's name is in the phrase.
    pub named: bool,
    pub anonymous: bool,
    pub anonymity_cue: Option<String>,
    pub actor: Option<Actor>,
    /// The head token: what `coref` compares ("the officer" with "one of the officers").
    pub head: Option<usize>,
    /// The phrase is "one of the ...", "some of the ...": a new mention, never a repeat.
    pub partitive: bool,
    /// The phrase's tokens.
    pub tokens: std::ops::Range<usize>,
    /// Reasons, for `why`.
    pub why: Vec<String>,
}

const PERSONAL_PRONOUNS: [&str; 10] = [
    "he", "she", "they", "we", "i", "it", "him", "her", "them", "us",
];
/// Quantifier heads whose "of" phrase names the source ("one of the officers").
const QUANTIFIERS: [&str; 12] = [
    "one", "two", "three", "some", "many", "several", "all", "most", "each", "none", "few", "both",
];
const GOVERNMENT_NAME_WORDS: [&str; 8] = [
    "ministry",
    "government",
    "kremlin",
    "white house",
    "pentagon",
    "elysee",
    "élysée",
    "state department",
];

/// Describes the source phrase at byte range `span`; `sentence` is the claim's sentence (token
/// range), searched for an anonymity cue.
pub(crate) fn describe(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    gazetteer: Option<&Gazetteer>,
    span: &Range<usize>,
    sentence: &Range<usize>,
) -> SourceFacts {
    let tokens = doc.tokens_in(span);
    let mut why = Vec::new();
    let phrase_head = doc.head_within(&tokens);
    let head = phrase_head.map(|h| noun_of_quantifier(doc, h, &tokens));
    let partitive = head != phrase_head;
    let mention_at = |t: usize| {
        doc.analysis
            .mentions()
            .iter()
            .find(|m| m.tokens.contains(&t))
            .map(|m| m.label)
    };
    // A person's name, not a word of office the recogniser took for one ("Defence Ministry").
    let named = tokens.clone().any(|t| {
        mention_at(t) == Some(EntityLabel::Per)
            && lexicon
                .source_nouns
                .get(doc.lemma_lower(t).as_str())
                .is_none_or(|n| n.kind == SourceKind::Person)
    });
    let phrase = doc.text[span.clone()].to_lowercase();
    let (kind, pronoun) = match head {
        None => (SourceKind::Unknown, false),
        Some(h) => {
            let lemma = doc.lemma_lower(h);
            let word = doc.lower(h);
            if doc.upos(h) == "PRON" && PERSONAL_PRONOUNS.contains(&word.as_str()) {
                why.push(format!("source \"{word}\" is a pronoun"));
                (SourceKind::Unknown, true)
            } else if is_media(doc, lexicon, &tokens) {
                why.push("source is a news organisation".to_string());
                (SourceKind::Media, false)
            } else if tokens.len() == 1
                && doc.upos(h) == "PROPN"
                && doc.has_nationality_word_of(doc.word(h))
            {
                why.push(format!(
                    "the text has a nationality word of \"{}\": a country speaking stands for its government",
                    doc.word(h)
                ));
                (SourceKind::Government, false)
            } else if let Some((noun, kind)) = office_in_person_name(doc, lexicon, h, &tokens) {
                // "Varnia's Defence Ministry": no person's name holds "Ministry".
                why.push(format!(
                    "\"{noun}\" in the name is a {} noun, not part of a person's name",
                    kind.name()
                ));
                (kind, false)
            } else if let Some(label) = mention_at(h) {
                let kind = match label {
                    EntityLabel::Per => SourceKind::Person,
                    EntityLabel::Org if is_media(doc, lexicon, &tokens) => SourceKind::Media,
                    EntityLabel::Org
                        if GOVERNMENT_NAME_WORDS.iter().any(|w| phrase.contains(w)) =>
                    {
                        SourceKind::Government
                    }
                    EntityLabel::Org => SourceKind::Institution,
                    EntityLabel::Loc => SourceKind::Government,
                    EntityLabel::Norp => SourceKind::Group,
                    EntityLabel::Misc => SourceKind::Unknown,
                };
                why.push(format!(
                    "source head \"{}\" is a {} name: {}",
                    doc.word(h),
                    label.as_str(),
                    kind.name()
                ));
                if label == EntityLabel::Loc {
                    why.push("a place speaking stands for its government".to_string());
                }
                (kind, false)
            } else if is_media(doc, lexicon, &tokens) {
                why.push("source is a news organisation".to_string());
                (SourceKind::Media, false)
            } else if let Some(noun) = lexicon.source_nouns.get(lemma.as_str()) {
                why.push(format!(
                    "source head \"{lemma}\" is a {} noun",
                    noun.kind.name()
                ));
                (noun.kind, false)
            } else if lexicon.capitals.contains_key(&word)
                || gazetteer.is_some_and(|g| g.country_code(doc.word(h)).is_some())
            {
                why.push(format!(
                    "source \"{}\" is a country or capital: its government",
                    doc.word(h)
                ));
                (SourceKind::Government, false)
            } else if doc.upos(h) == "PROPN" {
                why.push(format!("source head \"{}\" is a proper noun", doc.word(h)));
                (SourceKind::Person, false)
            } else {
                (SourceKind::Unknown, false)
            }
        }
    };
    let named = named
        || (kind == SourceKind::Person && head.is_some_and(|h| doc.upos(h) == "PROPN"))
        || has_unrecognised_name(doc, lexicon, &tokens, &mention_at);
    let anonymous = !pronoun
        && !named
        && matches!(
            kind,
            SourceKind::Person | SourceKind::Official | SourceKind::Unknown
        );
    if anonymous {
        why.push("no name in the source: anonymous".to_string());
    }
    let anonymity_cue = if anonymous || pronoun {
        find_anonymity_cue(doc, lexicon, sentence)
    } else {
        None
    };
    if let Some(cue) = &anonymity_cue {
        why.push(format!("the text says so: \"{cue}\""));
    }
    let actor = actor_of(doc, lexicon, gazetteer, &tokens, head, kind);
    SourceFacts {
        kind,
        pronoun,
        named,
        anonymous,
        anonymity_cue,
        actor,
        head,
        partitive,
        tokens: tokens.clone(),
        why,
    }
}

/// A word of a body ("Ministry", "Army") in the person entity at the phrase's head, which the
/// recogniser took for a name: the word and its kind.
fn office_in_person_name(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    head: usize,
    tokens: &Range<usize>,
) -> Option<(String, SourceKind)> {
    let mention = doc
        .analysis
        .mentions()
        .iter()
        .find(|m| m.tokens.contains(&head) && m.label == EntityLabel::Per)?;
    mention
        .tokens
        .clone()
        .filter(|t| tokens.contains(t))
        .find_map(|t| {
            let lemma = doc.lemma_lower(t);
            let noun = lexicon.source_nouns.get(lemma.as_str())?;
            (noun.kind != SourceKind::Person && noun.kind != SourceKind::Official)
                .then_some((lemma, noun.kind))
        })
}

/// Two proper nouns in a row that no entity of another kind covers and that are no words of
/// office: a name the recogniser missed ("Its spokesman, Emre Kastan").
fn has_unrecognised_name(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    tokens: &Range<usize>,
    mention_at: &impl Fn(usize) -> Option<EntityLabel>,
) -> bool {
    let name_word = |t: usize| {
        doc.upos(t) == "PROPN"
            && mention_at(t).is_none_or(|l| l == EntityLabel::Per)
            && !lexicon
                .source_nouns
                .contains_key(doc.lemma_lower(t).as_str())
            && !lexicon.media_name_words.contains(doc.lower(t).as_str())
    };
    (tokens.start + 1..tokens.end).any(|t| name_word(t - 1) && name_word(t))
}

/// "one of the Malian army officers": the noun after "of", when the head is a quantifier.
fn noun_of_quantifier(doc: &Doc<'_>, head: usize, tokens: &Range<usize>) -> usize {
    let lemma = doc.lemma_lower(head);
    if !(QUANTIFIERS.contains(&lemma.as_str()) || doc.upos(head) == "NUM") {
        return head;
    }
    doc.children(head)
        .iter()
        .copied()
        .find(|&c| {
            tokens.contains(&c)
                && matches!(doc.upos(c), "NOUN" | "PROPN")
                && doc.children(c).iter().any(|&g| doc.lemma_lower(g) == "of")
        })
        .unwrap_or(head)
}

fn is_media(doc: &Doc<'_>, lexicon: &Lexicon, tokens: &Range<usize>) -> bool {
    let listed = tokens.clone().any(|t| {
        lexicon
            .media
            .iter()
            .any(|m| doc.matches_at(t, m, tokens.end))
    });
    // A proper name of two words or more ending in a news word: "Meridian Press" (and
    // "Meridian Press, citing three sources").
    let named_like_news = (tokens.start + 1..tokens.end).any(|t| {
        doc.upos(t) == "PROPN"
            && doc.upos(t - 1) == "PROPN"
            && (t + 1 == tokens.end || doc.upos(t + 1) != "PROPN")
            && lexicon.media_name_words.contains(doc.lower(t).as_str())
    });
    listed || named_like_news
}

/// The first anonymity phrase in the sentence, as the text writes it.
fn find_anonymity_cue(doc: &Doc<'_>, lexicon: &Lexicon, sentence: &Range<usize>) -> Option<String> {
    for phrase in &lexicon.anonymity_cues {
        for t in sentence.clone() {
            if doc.matches_at(t, phrase, sentence.end) {
                let span = doc.span(t).start..doc.span(t + phrase.len() - 1).end;
                return Some(doc.text[span].to_string());
            }
        }
    }
    None
}

/// Country and agent of a source phrase, when the phrase says them.
fn actor_of(
    doc: &Doc<'_>,
    lexicon: &Lexicon,
    gazetteer: Option<&Gazetteer>,
    tokens: &Range<usize>,
    head: Option<usize>,
    kind: SourceKind,
) -> Option<Actor> {
    let country = tokens.clone().find_map(|t| {
        let word = doc.word(t);
        gazetteer
            .and_then(|g| g.country_code(word))
            .or_else(|| lexicon.capitals.get(&word.to_lowercase()).copied())
    })?;
    let noun_agent = |t: usize| {
        lexicon
            .source_nouns
            .get(doc.lemma_lower(t).as_str())
            .and_then(|n| n.agent)
    };
    // A military or police word anywhere in the phrase says more than "official".
    let forces = tokens
        .clone()
        .filter_map(noun_agent)
        .find(|a| matches!(*a, "MIL" | "COP" | "REB"));
    let agent = forces
        .or_else(|| head.and_then(noun_agent))
        .or((kind == SourceKind::Government).then_some("GOV"));
    let code = format!("{country}{}", agent.unwrap_or(""));
    let name = doc.text[doc.analysis.span_of(tokens)].to_string();
    Some(Actor {
        code,
        name: Some(name),
        kind: Some(kind.name().to_string()),
    })
}
