//! What an attribution split holds: the facts the claims extractor's design rests on (how
//! many relations, how many without a source, how long contents are, how often they are
//! quoted, whether cue and content share a sentence, which side the cue is on, which cue
//! lemmas are frequent). `crates/eval/examples/polnear_stats.rs` prints them for a folder.

use std::collections::HashMap;
use std::fmt;

use sitrep_nlp::Analyzer;
use sitrep_nlp::corpus::attribution::PassedOver;

use crate::polnear::quotes::{QuoteKind, Quotes};
use crate::polnear::spans::DocTokens;
use crate::polnear::{AttributedDocument, Spans, quote_kind};

/// Counts over a split (see the module doc); [`fmt::Display`] prints them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SplitStats {
    /// Relations of each article.
    pub per_article: Vec<usize>,
    pub no_source: usize,
    /// Relations whose source, cue, content has more than one piece.
    pub discontiguous: [usize; 3],
    /// Cue lemmas (the lemmas of its tokens, joined by a space) and their counts.
    pub cue_lemmas: HashMap<String, usize>,
    /// Word tokens of each content.
    pub content_words: Vec<usize>,
    /// Contents by [`QuoteKind`], indexed as [`QuoteKind::ALL`].
    pub kinds: [usize; 3],
    /// Contents over more than one sentence.
    pub content_many_sentences: usize,
    /// Cue and content in no common sentence.
    pub cue_content_apart: usize,
    /// Source and cue in no common sentence (of relations with a source).
    pub source_cue_apart: usize,
    /// Cue wholly before the content, wholly after it, or neither (between its pieces).
    pub cue_before: usize,
    pub cue_after: usize,
    pub cue_within: usize,
    /// Source wholly before the cue, or after it.
    pub source_before_cue: usize,
    pub source_after_cue: usize,
    /// Relations whose source is another relation's source too.
    pub shared_source: usize,
    pub passed_over: PassedOver,
}

impl SplitStats {
    /// The counts over `docs`, analysed with `analyzer` (lemmas need the parser's models;
    /// without them, cues are counted by their lowercased words).
    pub fn collect(docs: &[AttributedDocument], analyzer: &Analyzer) -> SplitStats {
        let mut stats = SplitStats::default();
        for doc in docs {
            stats.add(doc, analyzer);
        }
        stats
    }

    fn add(&mut self, doc: &AttributedDocument, analyzer: &Analyzer) {
        let text = doc.text.as_str();
        let analysis = analyzer.analyse(text);
        let tokens = DocTokens::of_analysis(text, &analysis);
        let quotes = Quotes::find(text);
        let sentences = |s: &Spans| -> Vec<usize> {
            let mut out: Vec<usize> = tokens
                .of(s)
                .iter()
                .map(|&t| analysis.sentence_of(t))
                .collect();
            out.dedup();
            out
        };
        let apart = |a: &[usize], b: &[usize]| !a.iter().any(|s| b.contains(s));
        self.per_article.push(doc.relations.len());
        self.passed_over += doc.passed_over;
        for r in &doc.relations {
            let content = sentences(&r.content);
            let cue = sentences(&r.cue);
            self.content_many_sentences += usize::from(content.len() > 1);
            self.cue_content_apart += usize::from(apart(&cue, &content));
            self.kinds[quote_kind(text, &tokens, &quotes, &r.content) as usize] += 1;
            self.content_words.push(
                tokens
                    .of(&r.content)
                    .iter()
                    .filter(|&&t| text[tokens.span(t)].chars().any(char::is_alphanumeric))
                    .count(),
            );
            if r.cue.end() <= r.content.start() {
                self.cue_before += 1;
            } else if r.cue.start() >= r.content.end() {
                self.cue_after += 1;
            } else {
                self.cue_within += 1;
            }
            let lemma: Vec<String> = tokens
                .of(&r.cue)
                .iter()
                .map(|&t| {
                    analysis.word(t).map_or_else(
                        || text[tokens.span(t)].to_lowercase(),
                        |w| w.lemma.to_lowercase().to_string(),
                    )
                })
                .collect();
            *self.cue_lemmas.entry(lemma.join(" ")).or_default() += 1;
            for (i, spans) in [r.source.as_ref(), Some(&r.cue), Some(&r.content)]
                .iter()
                .enumerate()
            {
                self.discontiguous[i] += usize::from(spans.is_some_and(Spans::is_discontiguous));
            }
            let Some(source) = &r.source else {
                self.no_source += 1;
                continue;
            };
            self.source_cue_apart += usize::from(apart(&sentences(source), &cue));
            if source.end() <= r.cue.start() {
                self.source_before_cue += 1;
            } else if source.start() >= r.cue.end() {
                self.source_after_cue += 1;
            }
            let others = doc
                .relations
                .iter()
                .filter(|o| o.source.as_ref() == Some(source))
                .count();
            self.shared_source += usize::from(others > 1);
        }
    }

    pub fn relations(&self) -> usize {
        self.per_article.iter().sum()
    }
}

impl fmt::Display for SplitStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.relations();
        let pct = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        let mut per = self.per_article.clone();
        per.sort_unstable();
        writeln!(
            f,
            "{} articles, {n} relations; passed over: {}",
            per.len(),
            self.passed_over
        )?;
        writeln!(
            f,
            "relations per article: mean {:.1}, median {}, min {}, max {}; articles with none: {}",
            if per.is_empty() {
                0.0
            } else {
                n as f64 / per.len() as f64
            },
            quantile(&per, 0.5),
            per.first().unwrap_or(&0),
            per.last().unwrap_or(&0),
            per.iter().filter(|&&k| k == 0).count()
        )?;
        writeln!(
            f,
            "no source: {} ({:.1}%)",
            self.no_source,
            pct(self.no_source, n)
        )?;
        let [s, c, t] = self.discontiguous;
        writeln!(
            f,
            "discontiguous: sources {s}, cues {c}, contents {t} ({:.1}% of contents)",
            pct(t, n)
        )?;
        let mut words = self.content_words.clone();
        words.sort_unstable();
        writeln!(
            f,
            "content length in words: p10 {}, p25 {}, median {}, p75 {}, p90 {}, max {}",
            quantile(&words, 0.1),
            quantile(&words, 0.25),
            quantile(&words, 0.5),
            quantile(&words, 0.75),
            quantile(&words, 0.9),
            words.last().unwrap_or(&0)
        )?;
        let buckets = [
            (0, 5),
            (6, 10),
            (11, 20),
            (21, 40),
            (41, 80),
            (81, usize::MAX),
        ];
        let shares: Vec<String> = buckets
            .iter()
            .map(|&(lo, hi)| {
                let k = words.iter().filter(|&&w| w >= lo && w <= hi).count();
                let name = if hi == usize::MAX {
                    format!("{lo}+")
                } else {
                    format!("{lo}-{hi}")
                };
                format!("{name}: {:.1}%", pct(k, n))
            })
            .collect();
        writeln!(f, "  by length: {}", shares.join(", "))?;
        let kinds: Vec<String> = QuoteKind::ALL
            .iter()
            .map(|&k| format!("{} {:.1}%", k.name(), pct(self.kinds[k as usize], n)))
            .collect();
        writeln!(f, "quoted contents: {}", kinds.join(", "))?;
        writeln!(
            f,
            "sentences: contents over several {:.1}%; cue and content in no common sentence \
             {:.1}%; source and cue in none {:.1}% (of relations with a source)",
            pct(self.content_many_sentences, n),
            pct(self.cue_content_apart, n),
            pct(self.source_cue_apart, n - self.no_source)
        )?;
        writeln!(
            f,
            "cue before the content {:.1}%, after {:.1}%, within its extent {:.1}%",
            pct(self.cue_before, n),
            pct(self.cue_after, n),
            pct(self.cue_within, n)
        )?;
        let with_source = n - self.no_source;
        writeln!(
            f,
            "source before the cue {:.1}%, after {:.1}% (of relations with a source); source \
             shared with another relation {:.1}%",
            pct(self.source_before_cue, with_source),
            pct(self.source_after_cue, with_source),
            pct(self.shared_source, with_source)
        )?;
        let mut lemmas: Vec<(&String, &usize)> = self.cue_lemmas.iter().collect();
        lemmas.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let top: Vec<String> = lemmas
            .iter()
            .take(40)
            .map(|(l, k)| format!("{l} {k} ({:.1}%)", pct(**k, n)))
            .collect();
        writeln!(f, "distinct cue lemmas: {}", lemmas.len())?;
        writeln!(f, "most frequent cue lemmas: {}", top.join(", "))
    }
}

/// The `q` quantile of sorted values (nearest rank), 0 for none.
fn quantile(sorted: &[usize], q: f64) -> usize {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::polnear::Attribution;

    fn sp(text: &str, part: &str) -> Spans {
        let at = text.find(part).unwrap();
        Spans::single(at..at + part.len()).unwrap()
    }

    #[test]
    fn counts_over_a_hand_made_article() {
        let text = "“We stay,” the colonel said. Officials stated the town fell.\nThey added: \
            “It burned.”";
        let doc = AttributedDocument {
            name: "a".into(),
            text: text.into(),
            relations: vec![
                Attribution {
                    source: Some(sp(text, "the colonel")),
                    cue: sp(text, "said"),
                    content: sp(text, "“We stay,”"),
                },
                Attribution {
                    source: Some(sp(text, "Officials")),
                    cue: sp(text, "stated"),
                    content: sp(text, "the town fell"),
                },
                Attribution {
                    source: None,
                    cue: sp(text, "added"),
                    content: sp(text, "“It burned.”"),
                },
            ],
            annotator: None,
            passed_over: PassedOver::default(),
        };
        // Tokens only: cues are counted by their words.
        let s = SplitStats::collect(std::slice::from_ref(&doc), &Analyzer::default());
        assert_eq!(s.per_article, vec![3]);
        assert_eq!(s.no_source, 1);
        assert_eq!(s.kinds, [2, 0, 1]);
        assert_eq!(s.content_words, vec![2, 3, 2]);
        assert_eq!((s.cue_before, s.cue_after, s.cue_within), (2, 1, 0));
        assert_eq!((s.source_before_cue, s.source_after_cue), (2, 0));
        assert_eq!((s.cue_content_apart, s.content_many_sentences), (0, 0));
        assert_eq!(s.cue_lemmas.get("said"), Some(&1));
        assert_eq!(s.cue_lemmas.get("stated"), Some(&1));
        let printed = s.to_string();
        assert!(
            printed.starts_with("1 articles, 3 relations; passed over: nothing\n"),
            "{printed}"
        );
        assert!(printed.contains("quoted contents: direct 66.7%, mixed 0.0%, indirect 33.3%"));
    }
}
