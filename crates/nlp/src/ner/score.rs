//! Entity-level scoring with conlleval's rules: a predicted entity counts only if its start,
//! end and type all match a gold one.

use std::collections::BTreeMap;

use super::labels::typed_spans;
use crate::corpus::iob2::{IobSentence, NerError};

/// Precision, recall and F1 (fractions in 0..=1) with the counts behind them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn from_counts(gold: usize, predicted: usize, correct: usize) -> Prf {
        let precision = if predicted == 0 {
            0.0
        } else {
            correct as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            correct as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            gold,
            predicted,
            correct,
            precision,
            recall,
            f1,
        }
    }
}

/// Entity-level exact-match scores (conlleval), overall and per type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NerScores {
    pub overall: Prf,
    /// Keyed by the type string of the files (`PER`, `ORG`, `LOC`, `OTH`, ...).
    pub per_type: BTreeMap<String, Prf>,
}

impl std::fmt::Display for NerScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let line = |f: &mut std::fmt::Formatter<'_>, name: &str, p: &Prf| {
            writeln!(
                f,
                "{name:<8} P {:6.2}  R {:6.2}  F1 {:6.2}  (gold {}, predicted {}, correct {})",
                p.precision * 100.0,
                p.recall * 100.0,
                p.f1 * 100.0,
                p.gold,
                p.predicted,
                p.correct
            )
        };
        line(f, "overall", &self.overall)?;
        for (t, p) in &self.per_type {
            line(f, t, p)?;
        }
        Ok(())
    }
}

/// Scores predicted tags against gold tags, sentence by sentence: an entity counts as correct
/// only if its start, end and type all match (a partial overlap is a miss and a false alarm).
pub fn eval_ner(gold: &[IobSentence], pred: &[IobSentence]) -> Result<NerScores, NerError> {
    if gold.len() != pred.len() {
        return Err(NerError::Mismatch(format!(
            "{} gold sentences, {} predicted",
            gold.len(),
            pred.len()
        )));
    }
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for (i, (g, p)) in gold.iter().zip(pred).enumerate() {
        if g.tags.len() != p.tags.len() {
            return Err(NerError::Mismatch(format!(
                "sentence {} has {} gold words and {} predicted",
                i + 1,
                g.tags.len(),
                p.tags.len()
            )));
        }
        score_tags(&g.tags, &p.tags, &mut counts);
    }
    Ok(scores_from_counts(&counts))
}

pub(super) fn score_tags<S: AsRef<str>>(
    gold: &[S],
    pred: &[S],
    counts: &mut BTreeMap<String, (usize, usize, usize)>,
) {
    let g = typed_spans(gold);
    let p = typed_spans(pred);
    for (_, _, t) in &g {
        counts.entry(t.to_string()).or_default().0 += 1;
    }
    for span in &p {
        let c = counts.entry(span.2.to_string()).or_default();
        c.1 += 1;
        if g.contains(span) {
            c.2 += 1;
        }
    }
}

pub(super) fn scores_from_counts(counts: &BTreeMap<String, (usize, usize, usize)>) -> NerScores {
    let (mut g, mut p, mut c) = (0, 0, 0);
    let mut per_type = BTreeMap::new();
    for (t, &(tg, tp, tc)) in counts {
        g += tg;
        p += tp;
        c += tc;
        per_type.insert(t.clone(), Prf::from_counts(tg, tp, tc));
    }
    NerScores {
        overall: Prf::from_counts(g, p, c),
        per_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::iob2::sentence;

    #[test]
    fn scorer_counts_exact_matches_only() {
        let gold = vec![
            sentence(
                "Ana Petrova met Lee in Karsvik",
                "B-PER I-PER O B-PER O B-LOC",
            ),
            sentence("The Varnian Post said so", "O B-ORG I-ORG O O"),
        ];
        // Correct: Lee (PER). Partial: "Ana" only (miss + false alarm). Type mismatch:
        // Karsvik as ORG. Boundary: "The Varnian Post". Spurious: "said" as PER.
        let pred = vec![
            sentence("Ana Petrova met Lee in Karsvik", "B-PER O O B-PER O B-ORG"),
            sentence("The Varnian Post said so", "B-ORG I-ORG I-ORG B-PER O"),
        ];
        let s = eval_ner(&gold, &pred).unwrap();
        assert_eq!(
            (s.overall.gold, s.overall.predicted, s.overall.correct),
            (4, 5, 1)
        );
        assert!((s.overall.precision - 0.2).abs() < 1e-12);
        assert!((s.overall.recall - 0.25).abs() < 1e-12);
        let f1 = 2.0 * 0.2 * 0.25 / 0.45;
        assert!((s.overall.f1 - f1).abs() < 1e-12);
        let per = s.per_type["PER"];
        assert_eq!((per.gold, per.predicted, per.correct), (2, 3, 1));
        assert!((per.recall - 0.5).abs() < 1e-12);
        let loc = s.per_type["LOC"];
        assert_eq!((loc.gold, loc.predicted, loc.correct), (1, 0, 0));
        assert_eq!(loc.precision, 0.0);
        let org = s.per_type["ORG"];
        assert_eq!((org.gold, org.predicted, org.correct), (1, 2, 0));
        // Identical files score 100.
        let perfect = eval_ner(&gold, &gold).unwrap();
        assert_eq!(perfect.overall.f1, 1.0);
        // Different sentence lengths are an error, not a silent zero.
        assert!(eval_ner(&gold[..1], &pred).is_err());
        let short = vec![sentence("Ana", "B-PER"), pred[1].clone()];
        assert!(eval_ner(&gold, &short).is_err());
    }
}
