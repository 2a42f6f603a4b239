//! UD evaluation with CoNLL 2018 shared-task conventions, for gold tokenisation.
//!
//! * Every word counts, punctuation included.
//! * UPOS, XPOS and LEMMA are compared as exact strings.
//! * UAS: the head matches. LAS: the head matches and the *universal* part of the relation
//!   (before any `:`) matches, so `nsubj:pass` vs `nsubj` counts as correct — this is the
//!   CoNLL 2018 LAS. `las_full` additionally reports the stricter score with subtypes.
//! * Gold and predicted files are assumed to share tokenisation (this is the "gold
//!   tokenization" setting): sentences are paired in order and words by index. A predicted
//!   sentence with a different word count is scored against the gold words it has, and the
//!   missing ones count as errors; such sentences are counted in `misaligned_sentences`.

use crate::corpus::conllu::Sentence;

/// Scores in percent over all gold words.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UdScores {
    pub words: usize,
    pub upos: f64,
    pub xpos: f64,
    pub lemma: f64,
    pub uas: f64,
    pub las: f64,
    /// LAS comparing the full relation including subtypes (`obl:tmod`).
    pub las_full: f64,
    pub misaligned_sentences: usize,
}

/// The universal part of a dependency relation: `nsubj:pass` → `nsubj`.
pub fn universal_relation(deprel: &str) -> &str {
    deprel.split(':').next().unwrap_or(deprel)
}

/// Scores `pred` against `gold` (see the module docs for the conventions).
pub fn eval_ud(gold: &[Sentence], pred: &[Sentence]) -> UdScores {
    let mut counts = [0usize; 6];
    let mut words = 0;
    let mut misaligned = 0;
    let empty = Sentence::default();
    for (i, g) in gold.iter().enumerate() {
        let p = pred.get(i).unwrap_or(&empty);
        if p.words.len() != g.words.len() {
            misaligned += 1;
        }
        words += g.words.len();
        for (gw, pw) in g.words.iter().zip(&p.words) {
            let head_ok = gw.head.is_some() && gw.head == pw.head;
            let checks = [
                gw.upos == pw.upos,
                gw.xpos == pw.xpos,
                gw.lemma == pw.lemma,
                head_ok,
                head_ok && universal_relation(&gw.deprel) == universal_relation(&pw.deprel),
                head_ok && gw.deprel == pw.deprel,
            ];
            for (c, ok) in counts.iter_mut().zip(checks) {
                *c += usize::from(ok);
            }
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / words.max(1) as f64;
    UdScores {
        words,
        upos: pct(counts[0]),
        xpos: pct(counts[1]),
        lemma: pct(counts[2]),
        uas: pct(counts[3]),
        las: pct(counts[4]),
        las_full: pct(counts[5]),
        misaligned_sentences: misaligned,
    }
}

impl std::fmt::Display for UdScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "words {} | UPOS {:.2} | XPOS {:.2} | Lemma {:.2} | UAS {:.2} | LAS {:.2} (with subtypes {:.2})",
            self.words, self.upos, self.xpos, self.lemma, self.uas, self.las, self.las_full
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::conllu::parse_conllu;

    const GOLD: &str = "1\tShe\tshe\tPRON\tPRP\t_\t2\tnsubj:pass\t_\t_\n\
2\twas\tbe\tAUX\tVBD\t_\t3\taux:pass\t_\t_\n\
3\tseen\tsee\tVERB\tVBN\t_\t0\troot\t_\t_\n\
4\tyesterday\tyesterday\tNOUN\tNN\t_\t3\tobl:tmod\t_\t_\n\
5\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

    // Errors: words 1 and 2 have wrong heads, word 4 the wrong universal relation, word 5
    // wrong UPOS/XPOS/lemma.
    const PRED: &str = "1\tShe\tshe\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n\
2\twas\tbe\tAUX\tVBD\t_\t1\taux:pass\t_\t_\n\
3\tseen\tsee\tVERB\tVBN\t_\t0\troot\t_\t_\n\
4\tyesterday\tyesterday\tNOUN\tNN\t_\t3\tobj\t_\t_\n\
5\t.\tx\tSYM\tNFP\t_\t3\tpunct\t_\t_\n\n";

    #[test]
    fn scores_hand_made_pair() {
        let gold = parse_conllu(GOLD).unwrap();
        let pred = parse_conllu(PRED).unwrap();
        let s = eval_ud(&gold, &pred);
        assert_eq!(s.words, 5);
        // Heads right for words 3, 4 and 5 only.
        assert!((s.uas - 60.0).abs() < 1e-9, "{s}");
        // LAS: word 3 (root) and 5 (punct); word 4 has the wrong relation.
        assert!((s.las - 40.0).abs() < 1e-9, "{s}");
        assert!((s.las_full - 40.0).abs() < 1e-9, "{s}");
        assert!((s.upos - 80.0).abs() < 1e-9);
        assert!((s.xpos - 80.0).abs() < 1e-9);
        assert!((s.lemma - 80.0).abs() < 1e-9);
        assert_eq!(s.misaligned_sentences, 0);
    }

    #[test]
    fn las_ignores_subtypes_but_las_full_does_not() {
        let gold = parse_conllu(GOLD).unwrap();
        let mut pred = gold.clone();
        pred[0].words[0].deprel = "nsubj".into();
        pred[0].words[3].deprel = "obl".into();
        let s = eval_ud(&gold, &pred);
        assert_eq!((s.uas, s.las), (100.0, 100.0));
        assert!((s.las_full - 60.0).abs() < 1e-9);
        assert_eq!(universal_relation("acl:relcl"), "acl");
    }

    #[test]
    fn missing_words_count_as_errors() {
        let gold = parse_conllu(GOLD).unwrap();
        let mut pred = gold.clone();
        pred[0].words.truncate(4);
        let s = eval_ud(&gold, &pred);
        assert!((s.uas - 80.0).abs() < 1e-9);
        assert_eq!(s.misaligned_sentences, 1);
    }
}
