//! The text `sitrep eval polnear` prints, and its floors.

use std::fmt::Write as _;

use crate::polnear::quotes::QuoteKind;
use crate::polnear::{Breakdown, PolnearScores, Score};

/// The F1 floors `.ci/run` holds the command to (issue 12's acceptance on PolNeAR dev).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Floors {
    pub exact: f64,
    pub partial: f64,
}

impl Default for Floors {
    fn default() -> Floors {
        Floors {
            exact: 0.45,
            partial: 0.75,
        }
    }
}

impl Floors {
    /// Whether exact and partial F1 both reach their floors.
    pub fn met_by(&self, scores: &PolnearScores) -> bool {
        scores.all.exact.f1() >= self.exact && scores.all.partial.f1() >= self.partial
    }
}

/// The scores as printed: a table of precision, recall and F1 for every measure, the floors
/// and their verdicts, then the same table for each quote kind. `predictor` names what made
/// the predictions.
pub fn render(scores: &PolnearScores, floors: &Floors, predictor: &str) -> String {
    let mut out = String::new();
    let gold = scores.all.exact.gold;
    let kinds: Vec<String> = QuoteKind::ALL
        .iter()
        .map(|&k| {
            let n = scores.kind(k).exact.gold;
            format!("{} {n} ({:.0}%)", k.name(), percent(n, gold))
        })
        .collect();
    let _ = writeln!(out, "  predictor: {predictor}");
    let _ = writeln!(
        out,
        "  {} articles, {gold} gold relations: {}; {} predicted",
        scores.documents,
        kinds.join(", "),
        scores.all.exact.predicted
    );
    let _ = writeln!(
        out,
        "  {:<16} {:>9} {:>7} {:>7}",
        "", "precision", "recall", "F1"
    );
    table(&mut out, &scores.all, Some(floors), "  ");
    for kind in QuoteKind::ALL {
        let b = scores.kind(kind);
        let _ = writeln!(
            out,
            "  {} contents (gold {}, predicted {}):",
            kind.name(),
            b.exact.gold,
            b.exact.predicted
        );
        table(&mut out, b, None, "    ");
    }
    out
}

fn table(out: &mut String, b: &Breakdown, floors: Option<&Floors>, indent: &str) {
    let rows: [(&str, &Score, Option<f64>); 5] = [
        ("exact", &b.exact, floors.map(|f| f.exact)),
        ("partial", &b.partial, floors.map(|f| f.partial)),
        ("source tokens", &b.source, None),
        ("cue tokens", &b.cue, None),
        ("content tokens", &b.content, None),
    ];
    for (name, s, floor) in rows {
        let verdict = match floor {
            Some(f) if s.f1() < f => format!("  floor {f:.2}  BELOW FLOOR"),
            Some(f) => format!("  floor {f:.2}  ok"),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{indent}{name:<16} {:>9.3} {:>7.3} {:>7.3}{verdict}",
            s.precision(),
            s.recall(),
            s.f1()
        );
    }
}

fn percent(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(gold: usize, predicted: usize, found: usize) -> Score {
        Score {
            gold,
            predicted,
            gold_found: found,
            predicted_correct: found,
        }
    }

    #[test]
    fn prints_every_measure_with_floors_and_verdicts() {
        let all = Breakdown {
            exact: score(10, 8, 4),
            partial: score(10, 8, 8),
            source: score(20, 10, 10),
            cue: score(10, 10, 5),
            content: score(100, 50, 40),
        };
        let scores = PolnearScores {
            documents: 2,
            all,
            by_kind: [all, Breakdown::default(), Breakdown::default()],
        };
        let floors = Floors::default();
        assert!(!floors.met_by(&scores));
        let text = render(&scores, &floors, "test predictor");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "  predictor: test predictor");
        assert_eq!(
            lines[1],
            "  2 articles, 10 gold relations: direct 10 (100%), mixed 0 (0%), indirect 0 (0%); 8 predicted"
        );
        // exact: P 0.5, R 0.4, F1 4/9; partial: P 1, R 0.8, F1 8/9.
        assert_eq!(
            lines[3],
            "  exact                0.500   0.400   0.444  floor 0.45  BELOW FLOOR"
        );
        assert_eq!(
            lines[4],
            "  partial              1.000   0.800   0.889  floor 0.75  ok"
        );
        assert_eq!(lines[7], "  content tokens       0.800   0.400   0.533");
        assert_eq!(lines[8], "  direct contents (gold 10, predicted 8):");
        assert_eq!(lines.len(), 3 + 5 + 3 * 6);
        let lower = Floors {
            exact: 0.4,
            partial: 0.8,
        };
        assert!(lower.met_by(&scores));
    }
}
