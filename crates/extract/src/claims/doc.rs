//! The analysed document as the claims layer reads it: tokens by byte span, their words,
//! lemmas, tags and relations, and each token's dependents.

use std::collections::HashSet;
use std::ops::Range;

use sitrep_nlp::Analysis;

/// One analysed text with the look-ups the claims layer needs.
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub analysis: &'a Analysis,
    /// Each token's dependents, in text order.
    children: Vec<Vec<usize>>,
    /// Capitalised words used as adjectives ("Ostrelian President", "Malian troops"), in
    /// lower case: the nationality words of the document.
    nationality_words: HashSet<String>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, analysis: &'a Analysis) -> Doc<'a> {
        let n = analysis.tokens().len();
        let mut children = vec![Vec::new(); n];
        for t in 0..n {
            if let Some(h) = analysis.head(t) {
                children[h].push(t);
            }
        }
        let mut doc = Doc {
            text,
            analysis,
            children,
            nationality_words: HashSet::new(),
        };
        doc.nationality_words = (0..n)
            .filter(|&t| doc.word(t).starts_with(|c: char| c.is_uppercase()))
            .filter(|&t| doc.upos(t) == "ADJ" || (t + 1 < n && doc.upos(t + 1) == "NOUN"))
            .map(|t| doc.lower(t))
            .collect();
        doc
    }

    /// Whether the document uses a nationality word made from `name` ("Ostrelia" and
    /// "Ostrelian troops", "Varnia" and "the Varnian President", "Mali" and "Malian"): the
    /// name is a country's, whatever the recogniser made of it.
    pub fn has_nationality_word_of(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        if name.chars().count() < 3 || !name.chars().all(char::is_alphabetic) {
            return false;
        }
        let stem = name.trim_end_matches(['a', 'e', 'y']);
        [
            format!("{name}n"),
            format!("{name}an"),
            format!("{name}ian"),
            format!("{name}ese"),
            format!("{name}i"),
            format!("{stem}an"),
            format!("{stem}ian"),
            format!("{stem}ese"),
        ]
        .iter()
        .any(|w| self.nationality_words.contains(w))
    }

    pub fn len(&self) -> usize {
        self.analysis.tokens().len()
    }

    /// The tokens that overlap byte range `range`.
    pub fn tokens_in(&self, range: &Range<usize>) -> Range<usize> {
        let tokens = self.analysis.tokens();
        let first = tokens.partition_point(|t| t.end <= range.start);
        let end = tokens.partition_point(|t| t.start < range.end);
        first..end.max(first)
    }

    pub fn span(&self, token: usize) -> Range<usize> {
        self.analysis.tokens()[token].clone()
    }

    pub fn word(&self, token: usize) -> &'a str {
        &self.text[self.analysis.tokens()[token].clone()]
    }

    pub fn lower(&self, token: usize) -> String {
        self.word(token).to_lowercase()
    }

    pub fn lemma(&self, token: usize) -> &'a str {
        self.analysis.word(token).map_or("", |w| w.lemma.as_str())
    }

    /// The lemma in lower case (the lemmatiser keeps proper nouns' capitals).
    pub fn lemma_lower(&self, token: usize) -> String {
        self.lemma(token).to_lowercase()
    }

    pub fn upos(&self, token: usize) -> &'static str {
        self.analysis.word(token).map_or("", |w| w.upos)
    }

    pub fn deprel(&self, token: usize) -> &'static str {
        self.analysis.word(token).map_or("", |w| w.deprel)
    }

    pub fn head(&self, token: usize) -> Option<usize> {
        self.analysis.head(token)
    }

    pub fn children(&self, token: usize) -> &[usize] {
        &self.children[token]
    }

    /// The tokens of `tokens` whose head lies outside it (or that are roots): the heads of the
    /// phrase, in text order.
    pub fn heads_within(&self, tokens: &Range<usize>) -> Vec<usize> {
        tokens
            .clone()
            .filter(|&t| self.head(t).is_none_or(|h| !tokens.contains(&h)))
            .collect()
    }

    /// The one head of a phrase: of the tokens whose head lies outside it, the one with the
    /// most of the phrase below it (a relative clause or an apposition hangs from the noun).
    pub fn head_within(&self, tokens: &Range<usize>) -> Option<usize> {
        let heads = self.heads_within(tokens);
        heads
            .iter()
            .copied()
            .max_by_key(|&h| (self.descendants_within(h, tokens), std::cmp::Reverse(h)))
    }

    fn descendants_within(&self, token: usize, tokens: &Range<usize>) -> usize {
        let mut count = 0;
        let mut stack = vec![token];
        while let Some(t) = stack.pop() {
            for &c in self.children(t) {
                if tokens.contains(&c) {
                    count += 1;
                    stack.push(c);
                }
            }
        }
        count
    }

    /// The sentence token `token` is in, as a token range.
    pub fn sentence_tokens(&self, token: usize) -> Range<usize> {
        let s = self.analysis.sentence_of(token);
        self.analysis.sentences()[s].tokens.clone()
    }

    /// Whether `tokens` (lower-case words) occur in order starting at token `at`, by word or
    /// by lemma.
    pub fn matches_at(&self, at: usize, words: &[impl AsRef<str>], limit: usize) -> bool {
        words.len() <= limit.saturating_sub(at)
            && words.iter().enumerate().all(|(i, w)| {
                let w = w.as_ref();
                self.lower(at + i) == w || self.lemma_lower(at + i) == w
            })
    }
}
