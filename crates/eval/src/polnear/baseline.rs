//! The baseline predictor of `sitrep eval polnear`: a floor for the claims extractor to beat,
//! and the proof that the command runs end to end. It is not the extractor.
//!
//! On the parsed [`Analysis`]:
//! - every quoted stretch ([`Quotes`]) of at least [`MIN_QUOTE_WORDS`] words is a content;
//!   its cue is the nearest verb of [`SPEECH_VERBS`] (by lemma) outside it in the sentences
//!   it touches, else, when a colon opens it, the verb before that colon, else the colon
//!   itself (headline style, "Residents: “...”"); its source is the cue's nominal subject
//!   with its dependents, or for a bare colon the words before it in its sentence;
//! - every other speech verb with a clausal complement (`ccomp`) gives a content (the
//!   complement with its dependents) and a source the same way.
//!
//! Tuned on PolNeAR train only ([`MIN_QUOTE_WORDS`]; the verb list is train's frequent cue
//! lemmas). There it scores exact F1 0.188, partial F1 0.325; on dev 0.227 and 0.362: far
//! below the floors (0.45, 0.75), which are the extractor's to reach.

use std::ops::Range;

use sitrep_nlp::{Analysis, Analyzer};

use crate::polnear::quotes::Quotes;
use crate::polnear::{Relation, Spans};

/// What `sitrep eval polnear` says the predictions come from.
pub const NAME: &str =
    "BASELINE (quoted stretches and speech verbs with their subjects; not the claims extractor)";

/// The fewest words a quoted stretch needs to be a content: shorter ones are mostly scare
/// quotes and titles ("so-called “experts”"). Chosen on PolNeAR train, partial F1 by the
/// minimum: 0.297 (1 word), 0.304 (2), 0.318 (4), 0.323 (6), 0.325 (8), 0.324 (10), 0.315 (14).
pub const MIN_QUOTE_WORDS: usize = 8;

/// Verbs that attribute, by lemma: the most frequent cue lemmas of PolNeAR train
/// (`polnear_stats`), speech and thought alike.
pub const SPEECH_VERBS: &[&str] = &[
    "say",
    "tell",
    "add",
    "write",
    "ask",
    "note",
    "report",
    "announce",
    "argue",
    "suggest",
    "explain",
    "claim",
    "insist",
    "warn",
    "declare",
    "acknowledge",
    "tweet",
    "state",
    "believe",
    "think",
    "deny",
    "admit",
    "predict",
    "promise",
    "respond",
    "reply",
    "recall",
    "urge",
    "confirm",
    "contend",
    "complain",
    "emphasize",
    "stress",
    "testify",
    "concede",
    "agree",
    "estimate",
    "show",
    "find",
    "continue",
    "accuse",
    "hope",
    "fear",
    "expect",
    "worry",
    "feel",
    "know",
    "indicate",
    "reveal",
    "assert",
    "allege",
    "maintain",
    "observe",
    "joke",
];

/// Relations predicted in `text` with the analyzer's models (which should include the
/// parser: without it only headline colons find a cue).
pub fn predict(analyzer: &Analyzer, text: &str) -> Vec<Relation> {
    predict_from(&analyzer.analyse(text), text)
}

/// Relations predicted from an analysis of `text`.
pub fn predict_from(a: &Analysis, text: &str) -> Vec<Relation> {
    let tree = Tree::new(a);
    let quotes = Quotes::find(text);
    let is_word = |t: usize| {
        text[a.tokens()[t].clone()]
            .chars()
            .any(char::is_alphanumeric)
    };
    let lemma = |t: usize| -> String {
        a.word(t).map_or_else(
            || text[a.tokens()[t].clone()].to_lowercase(),
            |w| w.lemma.to_lowercase().to_string(),
        )
    };
    let is_cue = |t: usize| {
        a.word(t).is_some_and(|w| w.upos == "VERB") && SPEECH_VERBS.contains(&lemma(t).as_str())
    };
    let mut out = Vec::new();
    let mut used_cues = vec![false; a.tokens().len()];
    let mut quoted_tokens = vec![false; a.tokens().len()];
    for region in quotes.regions() {
        let inside: Vec<usize> = token_range(a, region);
        if inside.iter().filter(|&&t| is_word(t)).count() < MIN_QUOTE_WORDS {
            continue;
        }
        let (first, last) = (inside[0], inside[inside.len() - 1]);
        for &t in &inside {
            quoted_tokens[t] = true;
        }
        let sentences = a.sentence_of(first)..=a.sentence_of(last);
        let around = a.sentences()[*sentences.start()].tokens.start
            ..a.sentences()[*sentences.end()].tokens.end;
        let nearest = around
            .filter(|&t| (t < first || t > last) && is_cue(t))
            .min_by_key(|&t| if t < first { first - t } else { t - last });
        let colon = first
            .checked_sub(1)
            .filter(|&t| &text[a.tokens()[t].clone()] == ":");
        let (cue, source) = match (nearest, colon) {
            (Some(verb), _) => (verb..verb + 1, tree.subject(verb)),
            (None, Some(colon)) => {
                let sentence = &a.sentences()[a.sentence_of(colon)];
                match (sentence.tokens.start..colon).rev().find(|&t| is_cue(t)) {
                    Some(verb) => (verb..verb + 1, tree.subject(verb)),
                    None => {
                        let before = sentence.tokens.start..colon;
                        (
                            colon..colon + 1,
                            (!before.is_empty() && before.len() <= 8).then_some(before),
                        )
                    }
                }
            }
            (None, None) => continue,
        };
        used_cues[cue.start] = true;
        out.push(relation(a, source, cue, Spans::single(region.clone())));
    }
    for verb in 0..a.tokens().len() {
        if used_cues[verb] || quoted_tokens[verb] || !is_cue(verb) {
            continue;
        }
        let Some(complement) = tree.children[verb]
            .iter()
            .copied()
            .find(|&c| a.word(c).is_some_and(|w| w.deprel == "ccomp"))
        else {
            continue;
        };
        let content = tree.extent(complement);
        if content.clone().any(|t| quoted_tokens[t]) {
            continue;
        }
        out.push(relation(
            a,
            tree.subject(verb),
            verb..verb + 1,
            Some(span(a, &content)),
        ));
    }
    out.sort_by_key(|r| (r.content.start(), r.cue.start()));
    out
}

/// A relation from token ranges (the content as spans already).
fn relation(
    a: &Analysis,
    source: Option<Range<usize>>,
    cue: Range<usize>,
    content: Option<Spans>,
) -> Relation {
    Relation {
        source: source.map(|s| span(a, &s)),
        cue: span(a, &cue),
        content: content.expect("a non-empty content"),
    }
}

/// The byte spans of a non-empty token range.
fn span(a: &Analysis, tokens: &Range<usize>) -> Spans {
    Spans::single(a.span_of(tokens)).expect("tokens are not empty")
}

/// The tokens that start in `region`.
fn token_range(a: &Analysis, region: &Range<usize>) -> Vec<usize> {
    let first = a.tokens().partition_point(|t| t.start < region.start);
    (first..a.tokens().len())
        .take_while(|&t| a.tokens()[t].start < region.end)
        .collect()
}

/// The dependency trees as child lists.
struct Tree<'a> {
    analysis: &'a Analysis,
    children: Vec<Vec<usize>>,
}

impl<'a> Tree<'a> {
    fn new(analysis: &'a Analysis) -> Tree<'a> {
        let mut children = vec![Vec::new(); analysis.tokens().len()];
        for t in 0..analysis.tokens().len() {
            if let Some(h) = analysis.head(t) {
                children[h].push(t);
            }
        }
        Tree { analysis, children }
    }

    /// The tokens from the first to the last of `t`'s subtree.
    fn extent(&self, t: usize) -> Range<usize> {
        let (mut lo, mut hi) = (t, t);
        let mut stack = vec![t];
        while let Some(n) = stack.pop() {
            lo = lo.min(n);
            hi = hi.max(n);
            stack.extend(&self.children[n]);
        }
        lo..hi + 1
    }

    /// The nominal subject of `verb` with its dependents.
    fn subject(&self, verb: usize) -> Option<Range<usize>> {
        self.children[verb]
            .iter()
            .find(|&&c| {
                self.analysis
                    .word(c)
                    .is_some_and(|w| w.deprel == "nsubj" || w.deprel == "nsubj:pass")
            })
            .map(|&c| self.extent(c))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sitrep_nlp::Nlp;

    use super::*;

    fn texts(text: &str, r: &Relation) -> (Option<String>, String, String) {
        (
            r.source.as_ref().map(|s| s.text(text)),
            r.cue.text(text),
            r.content.text(text),
        )
    }

    #[test]
    fn quotes_and_clausal_complements_with_the_parser() {
        let nlp = Nlp::load_default().expect("the shipped models load");
        let analyzer = Analyzer::new(Some(Arc::new(nlp)), None);
        let text = "“We will hold the bridge until dawn on Saturday,” the colonel said on Friday. \
            Officials said that the troops had left the town. The “experts” were wrong.";
        let found: Vec<_> = predict(&analyzer, text)
            .iter()
            .map(|r| texts(text, r))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    Some("the colonel".into()),
                    "said".into(),
                    "“We will hold the bridge until dawn on Saturday,”".into()
                ),
                (
                    Some("Officials".into()),
                    "said".into(),
                    "that the troops had left the town".into()
                ),
            ]
        );
    }

    #[test]
    fn a_headline_colon_is_the_cue_without_a_verb() {
        // Tokens only (no parser): no verb is known, the colon opens the quote.
        let text =
            "Residents: “The shelling never stopped for a single hour last night.”\nNo quote here.";
        let found: Vec<_> = predict_from(&Analysis::tokens_only(text), text)
            .iter()
            .map(|r| texts(text, r))
            .collect();
        assert_eq!(
            found,
            vec![(
                Some("Residents".into()),
                ":".into(),
                "“The shelling never stopped for a single hour last night.”".into()
            )]
        );
    }
}
