//! The document as a reader gives it: [`RawDoc`], before extraction and cleaning.
//!
//! Every format reader (files and JSON Lines in [`crate::source`], [`crate::warc`],
//! [`crate::feed`], fetched pages in [`crate::fetch`]) makes these; the dispatcher in
//! [`crate::source`] hands them out. This module depends on none of them.

use chrono::NaiveDate;
use sitrep_model::{Problem, ProblemKind};

/// One document as read, before cleaning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawDoc {
    /// Where it came from: the path; `path:LINE` for a JSON Lines line; `path[INDEX]` for an
    /// element of a JSON array (0-based); `-` or `-:LINE` for stdin.
    pub source: String,
    /// The 1-based line of the input the document was read from (JSON Lines); `source` is
    /// then `INPUT:LINE`. Problems with the document put the line here, not in their source.
    pub line: Option<usize>,
    /// The input's own id (JSON "id"), when it has one.
    pub id_hint: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub site: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    /// Publication date from the metadata (a datetime is cut to its date as written).
    pub published: Option<NaiveDate>,
    /// The article text, for the cleaner. LF line ends.
    pub text: Option<String>,
    /// HTML, kept for an HTML main-text extractor when there is no text.
    pub html: Option<String>,
    /// The encoding the bytes were decoded from (see [`crate::TextEncoding::name`]).
    pub encoding: &'static str,
    /// Things worth telling the user that did not stop the document (an unreadable date).
    pub warnings: Vec<String>,
}

impl RawDoc {
    /// A problem with this document (say, nothing left to analyse), placed by the rule of
    /// [`Problem`]: the input in its source, the line of a JSON Lines document in its line.
    ///
    /// ```
    /// use sitrep_read::{ProblemKind, RawDoc};
    /// let raw = RawDoc { source: "f.jsonl:2".into(), line: Some(2), ..RawDoc::default() };
    /// let problem = raw.problem(ProblemKind::NoText, "has neither text nor HTML");
    /// assert_eq!((problem.source.as_str(), problem.line), ("f.jsonl", Some(2)));
    /// assert_eq!(problem.to_string(), "f.jsonl:2: has neither text nor HTML");
    /// ```
    pub fn problem(&self, kind: ProblemKind, reason: impl Into<String>) -> Problem {
        match self.line {
            Some(line) => {
                let input = self.source.strip_suffix(&format!(":{line}"));
                Problem::new(input.unwrap_or(&self.source), kind, reason).at_line(line)
            }
            None => Problem::new(self.source.clone(), kind, reason),
        }
    }
}
