//! End-to-end UD evaluation: raw text in, sitrep's own sentences, tokens, tags and trees out,
//! scored against a gold CoNLL-U file in the manner of the CoNLL 2018 shared task.
//!
//! The raw text is rebuilt from the gold file: each sentence's `# text`, sentences joined by a
//! space, paragraphs (`# newpar`) and documents (`# newdoc`) by a blank line. Gold words get
//! character spans by finding each surface token in that text; the words of a multiword token
//! ("don't" → "do" "n't") get sub-spans when their forms spell the token, else the token's
//! span. A predicted word is aligned to the gold word with the same span; scores are F1 over
//! gold and predicted counts (precision over predicted, recall over gold):
//!
//! - sentences and words: spans equal;
//! - UPOS: aligned and the tag equal; UAS: aligned and the heads aligned to each other (or
//!   both the root); LAS: UAS and the universal relation equal.

use std::collections::HashMap;
use std::ops::Range;

use sitrep_nlp::conllu::Sentence;
use sitrep_nlp::ud_eval::universal_relation;

/// Precision, recall and F1 as fractions, with their counts (the entity scorer's type).
pub use sitrep_nlp::ner::Prf;

/// End-to-end scores.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RawScores {
    pub sentences: Prf,
    pub words: Prf,
    pub upos: Prf,
    pub uas: Prf,
    pub las: Prf,
}

/// One analysed word of the system under test: its character span in the raw text, and its
/// analysis (head as an index into the same sentence, -1 for the root).
#[derive(Debug, Clone, PartialEq)]
pub struct SystemWord {
    pub span: Range<usize>,
    pub upos: String,
    pub head: i32,
    pub deprel: String,
}

/// A system sentence: its span and its words.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemSentence {
    pub span: Range<usize>,
    pub words: Vec<SystemWord>,
}

/// The raw text of a gold file and the character spans of its sentences and words.
pub struct GoldText {
    pub text: String,
    pub sentences: Vec<Range<usize>>,
    /// Per sentence, per word.
    pub words: Vec<Vec<Range<usize>>>,
}

/// Rebuilds the raw text of `gold` and locates every sentence and word in it (char offsets
/// are byte offsets of the rebuilt string).
pub fn gold_text(gold: &[Sentence]) -> GoldText {
    let mut text = String::new();
    let mut sentences = Vec::with_capacity(gold.len());
    let mut words = Vec::with_capacity(gold.len());
    for (i, s) in gold.iter().enumerate() {
        let new_block = s
            .comments
            .iter()
            .any(|c| c.starts_with("newpar") || c.starts_with("newdoc"));
        if i > 0 {
            text.push_str(if new_block { "\n\n" } else { " " });
        }
        let start = text.len();
        let surface = s
            .text()
            .map(str::to_string)
            .unwrap_or_else(|| s.forms().join(" "));
        text.push_str(&surface);
        sentences.push(start..text.len());
        words.push(locate_words(s, &text, start));
    }
    GoldText {
        text,
        sentences,
        words,
    }
}

/// Spans of a sentence's words in `text`, searching from `from`.
fn locate_words(s: &Sentence, text: &str, from: usize) -> Vec<Range<usize>> {
    let mut spans = vec![0..0; s.words.len()];
    let mut cursor = from;
    let mut i = 0;
    let find = |cursor: usize, form: &str| -> Range<usize> {
        match text[cursor..].find(form) {
            Some(off) => cursor + off..cursor + off + form.len(),
            None => cursor..cursor,
        }
    };
    while i < s.words.len() {
        if let Some(mwt) = s.multiword_tokens.iter().find(|m| m.first == i) {
            let token = find(cursor, &mwt.form);
            let parts: String = s.words[mwt.first..=mwt.last]
                .iter()
                .map(|w| w.form.as_str())
                .collect();
            let mut at = token.start;
            let last = mwt.last.min(s.words.len() - 1);
            for (span, word) in spans[mwt.first..=last]
                .iter_mut()
                .zip(&s.words[mwt.first..=last])
            {
                *span = if parts == mwt.form {
                    let r = at..at + word.form.len();
                    at = r.end;
                    r
                } else {
                    token.clone()
                };
            }
            cursor = token.end;
            i = mwt.last + 1;
        } else {
            let r = find(cursor, &s.words[i].form);
            cursor = r.end;
            spans[i] = r;
            i += 1;
        }
    }
    spans
}

/// Scores system output over the rebuilt text against the gold file.
pub fn score_raw(gold: &[Sentence], gold_text: &GoldText, system: &[SystemSentence]) -> RawScores {
    let gold_sents: std::collections::HashSet<(usize, usize)> = gold_text
        .sentences
        .iter()
        .map(|r| (r.start, r.end))
        .collect();
    let sent_ok = system
        .iter()
        .filter(|s| gold_sents.contains(&(s.span.start, s.span.end)))
        .count();

    // Gold words by span: (sentence, word index).
    let mut gold_at: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    let mut gold_words = 0;
    for (si, spans) in gold_text.words.iter().enumerate() {
        for (wi, r) in spans.iter().enumerate() {
            gold_words += 1;
            gold_at.entry((r.start, r.end)).or_insert((si, wi));
        }
    }
    let mut counts = [0usize; 4]; // words, upos, uas, las
    let mut system_words = 0;
    for s in system {
        for w in &s.words {
            system_words += 1;
            let Some(&(gs, gw)) = gold_at.get(&(w.span.start, w.span.end)) else {
                continue;
            };
            let g = &gold[gs].words[gw];
            counts[0] += 1;
            counts[1] += usize::from(g.upos == w.upos);
            let system_head = (w.head >= 0)
                .then(|| s.words.get(w.head as usize))
                .flatten()
                .map(|h| (h.span.start, h.span.end));
            let gold_head = g.head.filter(|&h| h >= 0).map(|h| {
                let r = &gold_text.words[gs][h as usize];
                (r.start, r.end)
            });
            let head_ok = g.head.is_some() && system_head == gold_head;
            counts[2] += usize::from(head_ok);
            counts[3] += usize::from(
                head_ok && universal_relation(&g.deprel) == universal_relation(&w.deprel),
            );
        }
    }
    RawScores {
        sentences: Prf::from_counts(gold_text.sentences.len(), system.len(), sent_ok),
        words: Prf::from_counts(gold_words, system_words, counts[0]),
        upos: Prf::from_counts(gold_words, system_words, counts[1]),
        uas: Prf::from_counts(gold_words, system_words, counts[2]),
        las: Prf::from_counts(gold_words, system_words, counts[3]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_nlp::conllu::parse_conllu;

    const GOLD: &str = "# newdoc id = d1\n# sent_id = 1\n# text = I don't know.\n\
        1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
        2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
        2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n\
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
        4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
        5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n\
        # sent_id = 2\n# text = Go home.\n\
        1\tGo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n\
        2\thome\thome\tADV\tRB\t_\t1\tadvmod\t_\tSpaceAfter=No\n\
        3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";

    fn word(span: Range<usize>, upos: &str, head: i32, deprel: &str) -> SystemWord {
        SystemWord {
            span,
            upos: upos.into(),
            head,
            deprel: deprel.into(),
        }
    }

    #[test]
    fn rebuilds_text_and_spans_including_multiword_tokens() {
        let gold = parse_conllu(GOLD).unwrap();
        let g = gold_text(&gold);
        assert_eq!(g.text, "I don't know. Go home.");
        assert_eq!(g.sentences, vec![0..13, 14..22]);
        assert_eq!(g.words[0], vec![0..1, 2..4, 4..7, 8..12, 12..13]);
        assert_eq!(g.words[1], vec![14..16, 17..21, 21..22]);
    }

    #[test]
    fn scores_alignment_tags_and_trees() {
        let gold = parse_conllu(GOLD).unwrap();
        let g = gold_text(&gold);
        // Sentence 1 perfect; sentence 2 wrongly merged with nothing but split "home." badly
        // and a wrong label on "home".
        let system = vec![
            SystemSentence {
                span: 0..13,
                words: vec![
                    word(0..1, "PRON", 3, "nsubj"),
                    word(2..4, "AUX", 3, "aux"),
                    word(4..7, "PART", 3, "advmod"),
                    word(8..12, "VERB", -1, "root"),
                    word(12..13, "PUNCT", 3, "punct"),
                ],
            },
            SystemSentence {
                span: 14..22,
                words: vec![
                    word(14..16, "VERB", -1, "root"),
                    word(17..22, "NOUN", 0, "obj"),
                ],
            },
        ];
        let s = score_raw(&gold, &g, &system);
        assert_eq!(s.sentences.f1, 1.0);
        // 6 of 7 system words aligned to 8 gold words.
        assert_eq!(
            (s.words.correct, s.words.predicted, s.words.gold),
            (6, 7, 8)
        );
        assert!((s.words.precision - 6.0 / 7.0).abs() < 1e-9);
        assert!((s.words.recall - 6.0 / 8.0).abs() < 1e-9);
        assert!((s.uas.recall - 6.0 / 8.0).abs() < 1e-9);
        assert!((s.las.recall - 6.0 / 8.0).abs() < 1e-9);
    }
}
