//! Evaluations: each compares sitrep's output with a gold annotation and prints scores that
//! `.ci/run` checks against floors.
//!
//! - [`seed`]: the seed article's hand annotation and its matching rules
//!   (`shared/seed/README.md`).
//! - [`ud`]: end-to-end dependency parsing from raw text against a UD treebank.
//! - [`html`]: the ScrapingHub article-extraction metric (shingle precision and recall).
//! - [`seed_html`]: the seed article wrapped in a generated news page, read back as HTML.
//! - [`robustness`]: other projects' test inputs through the readers and the pipeline in
//!   worker processes: documents, problems, crashes, hangs, peak memory, feed items.
//! - [`polnear`]: attribution relations (source, cue, content) against PolNeAR-style gold:
//!   exact and partial relation matches, role tokens, split by direct and indirect quotes;
//!   `sitrep eval polnear --gold DIR` (see the module for the measures and the command).
//! - [`timex`]: time expressions against TempEval-3 TIMEX3 gold: strict and relaxed span
//!   precision, recall and F1, type and value accuracy, by type and by folder;
//!   `sitrep eval timex --gold DIR`.

pub mod html;
pub mod petrarch;
pub mod places;
pub mod polnear;
pub mod robustness;
pub mod seed;
pub mod seed_claims;
pub mod seed_html;
pub mod timex;
pub mod ud;

/// `a / b`, 0 when `b` is 0: precision and recall of empty sets.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The harmonic mean of precision and recall, 0 when both are.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// The result of one category of an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub name: &'static str,
    pub status: Status,
    /// One line for each gold item that was not found, saying why.
    pub misses: Vec<String>,
}

/// How a category came out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Status {
    /// `found` of `total` gold items held; the floor is the share that must hold.
    Scored {
        found: usize,
        total: usize,
        floor: f64,
    },
    /// The extractor this category measures has not been built yet: reported, never passing.
    NotImplemented { total: usize },
}

impl Category {
    /// Whether the category meets its floor (a category not implemented has no floor to meet
    /// and is listed as such, not as a pass).
    pub fn meets_floor(&self) -> bool {
        match self.status {
            Status::Scored {
                found,
                total,
                floor,
            } => total == 0 || found as f64 >= floor * total as f64 - 1e-9,
            Status::NotImplemented { .. } => true,
        }
    }

    /// Gold items held and gold items in all (0 of 0 when not implemented).
    pub fn found_total(&self) -> (usize, usize) {
        match self.status {
            Status::Scored { found, total, .. } => (found, total),
            Status::NotImplemented { .. } => (0, 0),
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Status::Scored {
                found,
                total,
                floor,
            } => {
                let pct = if total == 0 {
                    100.0
                } else {
                    100.0 * found as f64 / total as f64
                };
                let verdict = if self.meets_floor() {
                    "ok"
                } else {
                    "BELOW FLOOR"
                };
                write!(
                    f,
                    "{:<12} {found:>3}/{total:<3} {pct:6.1}%  floor {:5.1}%  {verdict}",
                    self.name,
                    floor * 100.0
                )
            }
            Status::NotImplemented { total } => write!(
                f,
                "{:<12} {total:>3} gold items: not yet implemented (not counted as passing)",
                self.name
            ),
        }
    }
}
