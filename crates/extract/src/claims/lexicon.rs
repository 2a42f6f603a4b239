//! The claims lexicon: the word lists of `data/claims/` (see its README), embedded at build
//! time, and the capitals of `data/gazetteer/capitals.tsv`.

use std::collections::{HashMap, HashSet};

use sitrep_model::SourceKind;

/// A head noun of sources: its kind and CAMEO agent code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceNoun {
    pub kind: SourceKind,
    pub agent: Option<&'static str>,
}

/// Every list the claims layer reads, parsed once.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub deny_cues: HashSet<&'static str>,
    pub hedge_cues: HashSet<&'static str>,
    pub hedge_words: HashSet<&'static str>,
    pub negations: HashSet<&'static str>,
    pub recipient_cues: HashSet<&'static str>,
    /// Phrases as lower-case word sequences, longest first.
    pub anonymity_cues: Vec<Vec<&'static str>>,
    /// News organisations as lower-case word sequences.
    pub media: Vec<Vec<String>>,
    /// Last words of news organisations' names ("press", "herald").
    pub media_name_words: HashSet<&'static str>,
    pub source_nouns: HashMap<&'static str, SourceNoun>,
    /// Lower-cased capital city → ISO 3166-1 alpha-3 code.
    pub capitals: HashMap<String, &'static str>,
}

const DENY_CUES: &str = include_str!("../../../../data/claims/deny_cues.txt");
const HEDGE_CUES: &str = include_str!("../../../../data/claims/hedge_cues.txt");
const HEDGE_WORDS: &str = include_str!("../../../../data/claims/hedge_words.txt");
const NEGATIONS: &str = include_str!("../../../../data/claims/negations.txt");
const RECIPIENT_CUES: &str = include_str!("../../../../data/claims/recipient_cues.txt");
const ANONYMITY_CUES: &str = include_str!("../../../../data/claims/anonymity_cues.txt");
const MEDIA: &str = include_str!("../../../../data/claims/media.txt");
const MEDIA_NAME_WORDS: &str = include_str!("../../../../data/claims/media_name_words.txt");
const SOURCE_NOUNS: &str = include_str!("../../../../data/claims/source_nouns.tsv");
const CAPITALS: &str = include_str!("../../../../data/gazetteer/capitals.tsv");

/// The entries of a list: lines without comments, trimmed, non-empty.
fn entries(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

/// A phrase as lower-case words (split on spaces; the lists hold ASCII-lower entries).
fn words(phrase: &'static str) -> Vec<&'static str> {
    phrase.split_whitespace().collect()
}

impl Lexicon {
    /// The embedded lists. A malformed line in a shipped list is a build defect, caught by the
    /// tests; here it is skipped.
    pub fn embedded() -> Lexicon {
        let mut anonymity_cues: Vec<Vec<&str>> = entries(ANONYMITY_CUES).map(words).collect();
        anonymity_cues.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let media = entries(MEDIA)
            .map(|name| name.split_whitespace().map(str::to_lowercase).collect())
            .collect();
        let source_nouns = entries(SOURCE_NOUNS)
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let lemma = cols.next()?.trim();
                let kind = source_kind(cols.next()?.trim())?;
                let agent = cols
                    .next()
                    .map(str::trim)
                    .filter(|a| *a != "-" && !a.is_empty());
                Some((lemma, SourceNoun { kind, agent }))
            })
            .collect();
        let capitals = entries(CAPITALS)
            .filter_map(|line| {
                let (code, city) = line.split_once('\t')?;
                Some((city.trim().to_lowercase(), code.trim()))
            })
            .collect();
        Lexicon {
            deny_cues: entries(DENY_CUES).collect(),
            hedge_cues: entries(HEDGE_CUES).collect(),
            hedge_words: entries(HEDGE_WORDS).collect(),
            negations: entries(NEGATIONS).collect(),
            recipient_cues: entries(RECIPIENT_CUES).collect(),
            anonymity_cues,
            media,
            media_name_words: entries(MEDIA_NAME_WORDS).collect(),
            source_nouns,
            capitals,
        }
    }
}

/// A kind's name in `source_nouns.tsv`.
fn source_kind(name: &str) -> Option<SourceKind> {
    Some(match name {
        "person" => SourceKind::Person,
        "official" => SourceKind::Official,
        "government" => SourceKind::Government,
        "institution" => SourceKind::Institution,
        "group" => SourceKind::Group,
        "media" => SourceKind::Media,
        "document" => SourceKind::Document,
        "unknown" => SourceKind::Unknown,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of the shipped lists parses: a typo in a kind would silently drop a noun.
    #[test]
    fn the_shipped_lists_parse_whole() {
        let lexicon = Lexicon::embedded();
        let nouns = entries(SOURCE_NOUNS).count();
        assert_eq!(lexicon.source_nouns.len(), nouns);
        assert_eq!(
            lexicon.source_nouns["officer"],
            SourceNoun {
                kind: SourceKind::Official,
                agent: Some("MIL")
            }
        );
        assert!(lexicon.deny_cues.contains("deny"));
        assert!(lexicon.hedge_words.contains("may"));
        assert_eq!(lexicon.capitals["paris"], "FRA");
        // A few capitals share a name (two Kingstons): one entry each.
        assert!(lexicon.capitals.len() + 5 >= entries(CAPITALS).count());
        // Longest phrases first, so "spoke on condition of anonymity" wins over its tail.
        assert!(
            lexicon
                .anonymity_cues
                .windows(2)
                .all(|w| w[0].len() >= w[1].len())
        );
        for list in [
            DENY_CUES,
            HEDGE_CUES,
            HEDGE_WORDS,
            NEGATIONS,
            RECIPIENT_CUES,
            ANONYMITY_CUES,
        ] {
            for entry in entries(list) {
                assert_eq!(entry, entry.to_lowercase(), "lists are lower case: {entry}");
            }
        }
    }
}
