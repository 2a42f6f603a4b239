//! What an element's class and id say about it: furniture, article text, or nothing.
//!
//! The word lists are `data/html/boilerplate_hints.txt` and `data/html/content_hints.txt`,
//! embedded at build time (their headers document the format). Class and id values are split
//! into lowercase words at non-letters and camelCase humps, and each list entry matches a word,
//! a word prefix (`comment*`) or a run of words (`most-read`). A page repeats the same class
//! strings many times, so [`HintCache`] classifies each distinct string once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// What the names of an element suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Hint {
    #[default]
    None,
    /// Page furniture: navigation, sharing, comments, ads.
    Boilerplate,
    /// A list of other stories ("related", "most-read"): furniture whose links are headlines.
    Related,
    /// A name wrappers of the article often carry ("content", "post").
    WeakContent,
    /// A name only the article text carries ("article-body", "entry-content").
    StrongContent,
}

impl Hint {
    /// Furniture of either kind.
    pub(crate) fn is_boilerplate(self) -> bool {
        matches!(self, Hint::Boilerplate | Hint::Related)
    }
}

/// One list entry: words that must follow each other; the last may be a prefix.
#[derive(Debug, Clone)]
struct Pattern {
    words: Vec<String>,
    last_is_prefix: bool,
}

impl Pattern {
    fn matches_at(&self, words: &[String], at: usize) -> bool {
        if at + self.words.len() > words.len() {
            return false;
        }
        let last = self.words.len() - 1;
        self.words.iter().enumerate().all(|(i, w)| {
            let word = &words[at + i];
            if i == last && self.last_is_prefix {
                word.starts_with(w.as_str())
            } else {
                word == w
            }
        })
    }

    fn matches(&self, words: &[String]) -> bool {
        (0..words.len()).any(|at| self.matches_at(words, at))
    }
}

/// The lists a word can belong to, as bits.
const RELATED: u8 = 1;
const FURNITURE: u8 = 2;
const STRONG: u8 = 4;
const WEAK: u8 = 8;

/// All list entries in one table, split by shape so that classifying a word is one hash
/// lookup and a few prefix comparisons (pages have thousands of distinct ids, so this runs
/// often).
#[derive(Default)]
struct Lists {
    /// Whole words and the lists they are in.
    words: HashMap<String, u8, BuildHasherDefault<Fnv>>,
    /// Prefixes by their first byte, with their lists.
    prefixes: HashMap<u8, Vec<(String, u8)>, BuildHasherDefault<Fnv>>,
    /// Runs of several words.
    sequences: Vec<(Pattern, u8)>,
}

impl Lists {
    fn add(&mut self, pattern: Pattern, list: u8) {
        match (pattern.words.len(), pattern.last_is_prefix) {
            (1, false) => *self.words.entry(pattern.words[0].clone()).or_default() |= list,
            (1, true) => {
                let prefix = pattern.words[0].clone();
                self.prefixes
                    .entry(prefix.as_bytes()[0])
                    .or_default()
                    .push((prefix, list));
            }
            _ => self.sequences.push((pattern, list)),
        }
    }

    /// The lists any of the words, or a run of them, is in.
    fn lists_of(&self, words: &[String]) -> u8 {
        let mut found = 0;
        for w in words {
            found |= self.words.get(w.as_str()).copied().unwrap_or(0);
            if let Some(prefixes) = w.as_bytes().first().and_then(|b| self.prefixes.get(b)) {
                for (prefix, list) in prefixes {
                    if w.starts_with(prefix.as_str()) {
                        found |= list;
                    }
                }
            }
        }
        if words.len() > 1 {
            for (pattern, list) in &self.sequences {
                if found & list == 0 && pattern.matches(words) {
                    found |= list;
                }
            }
        }
        found
    }
}

fn parse_patterns(source: &str) -> Vec<(String, Pattern)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in source.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        let (body, last_is_prefix) = match line.strip_suffix('*') {
            Some(body) => (body, true),
            None => (line, false),
        };
        let words: Vec<String> = body.split('-').map(str::to_ascii_lowercase).collect();
        if words.iter().any(String::is_empty) {
            panic!("html hint list: empty word in {line:?}");
        }
        out.push((
            section.clone(),
            Pattern {
                words,
                last_is_prefix,
            },
        ));
    }
    out
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let mut lists = Lists::default();
    for (section, pattern) in
        parse_patterns(include_str!("../../../../data/html/boilerplate_hints.txt"))
    {
        match section.as_str() {
            "related" => lists.add(pattern, RELATED),
            "furniture" => lists.add(pattern, FURNITURE),
            other => panic!("boilerplate_hints.txt: unknown section [{other}]"),
        }
    }
    for (section, pattern) in
        parse_patterns(include_str!("../../../../data/html/content_hints.txt"))
    {
        match section.as_str() {
            "strong" => lists.add(pattern, STRONG),
            "weak" => lists.add(pattern, WEAK),
            other => panic!("content_hints.txt: unknown section [{other}]"),
        }
    }
    lists
});

/// Splits class or id values into lowercase words: at every non-alphanumeric character, at
/// digits, and where a lowercase letter is followed by an uppercase one.
pub(crate) fn name_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in value.chars() {
        if !c.is_alphabetic() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Classifies the words of an element's names. A related-list name wins over everything; a
/// furniture word next to a content word ("content-with-sidebar", "comment-body") says
/// nothing either way: such names are as often wrappers of the article as furniture, and the
/// furniture around them is usually named on its own.
pub(crate) fn classify(words: &[String]) -> Hint {
    let found = LISTS.lists_of(words);
    if found & RELATED != 0 {
        return Hint::Related;
    }
    let furniture = found & FURNITURE != 0;
    let strong = found & STRONG != 0;
    let weak = found & (STRONG | WEAK) != 0;
    match (furniture, strong, weak) {
        (true, _, true) => Hint::None,
        (true, _, false) => Hint::Boilerplate,
        (false, true, _) => Hint::StrongContent,
        (false, false, true) => Hint::WeakContent,
        (false, false, false) => Hint::None,
    }
}

/// FNV-1a: class strings are short and not adversarial enough to need SipHash, which was a
/// visible share of the extraction time.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// Classifies name strings, each distinct one once per page.
#[derive(Default)]
pub(crate) struct HintCache<'a> {
    seen: HashMap<&'a str, Hint, BuildHasherDefault<Fnv>>,
}

impl<'a> HintCache<'a> {
    /// The hint of an element with these class and id values.
    pub(crate) fn hint(&mut self, class: Option<&'a str>, id: Option<&'a str>) -> Hint {
        let mut best = Hint::None;
        for value in [class, id].into_iter().flatten() {
            let hint = *self
                .seen
                .entry(value)
                .or_insert_with(|| classify(&name_words(value)));
            best = match (best, hint) {
                (Hint::Related, _) | (_, Hint::Related) => Hint::Related,
                (Hint::Boilerplate, _) | (_, Hint::Boilerplate) => Hint::Boilerplate,
                (Hint::StrongContent, _) | (_, Hint::StrongContent) => Hint::StrongContent,
                (Hint::WeakContent, _) | (_, Hint::WeakContent) => Hint::WeakContent,
                _ => Hint::None,
            };
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words() {
        assert_eq!(
            name_words("postShareBar article__body col-md-8"),
            vec!["post", "share", "bar", "article", "body", "col", "md"]
        );
        assert_eq!(name_words("HTMLContent"), vec!["htmlcontent"]);
    }

    #[test]
    fn lists_classify_names() {
        let hint = |s: &str| classify(&name_words(s));
        assert_eq!(hint("comments-section"), Hint::Boilerplate);
        assert_eq!(hint("commentList"), Hint::Boilerplate);
        assert_eq!(hint("article-comments"), Hint::None);
        assert_eq!(hint("content-with-sidebar"), Hint::None);
        assert_eq!(hint("most-read-list"), Hint::Related);
        assert_eq!(hint("relatedStories"), Hint::Related);
        assert_eq!(hint("ad"), Hint::Boilerplate);
        assert_eq!(hint("article-body"), Hint::StrongContent);
        assert_eq!(hint("entry-content clearfix"), Hint::StrongContent);
        assert_eq!(hint("main-wrapper"), Hint::WeakContent);
        // Word boundaries matter: "head" and "read" are not "ad", "mostly" is not "most-read".
        assert_eq!(hint("head thread"), Hint::None);
        assert_eq!(hint("mostly-readable"), Hint::None);
    }

    #[test]
    fn the_cache_combines_class_and_id() {
        let mut cache = HintCache::default();
        assert_eq!(
            cache.hint(Some("story"), Some("comments")),
            Hint::Boilerplate
        );
        assert_eq!(cache.hint(Some("share"), Some("related")), Hint::Related);
        assert_eq!(cache.hint(Some("story-body"), None), Hint::StrongContent);
        assert_eq!(cache.hint(None, None), Hint::None);
    }
}
