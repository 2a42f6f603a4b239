//! The sitrep document and its layers.
//!
//! A [`Document`] is what every stage of sitrep reads and extends: the reader fills its
//! metadata, the cleaner its `text`, `boilerplate` and `related`, the NLP core its
//! `sentences` and `tokens`, the annotators its `times`, `quantities` and `entities`, and the
//! extractors its `claims` and `events`. A stage adds a layer; it never rewrites one before it.
//!
//! The serialised form is the JSON output contract described in the design's `SCHEMA.md`:
//! field names and meanings are stable, fields may be added. Every span (`start`, `end`) is a
//! pair of **Unicode code-point** offsets into [`Document::text`], end exclusive, so that
//! consumers in any language can slice the text without knowing Rust's UTF-8 byte offsets.
//! Inside the pipeline, stages work in byte offsets and convert with [`CharIndex`].
//!
//! What could not become a document (an unreadable file, a malformed JSON line, a page
//! without article text) is a [`Problem`]: where, of what [`ProblemKind`], and why.
//!
//! The crate also holds what every other sitrep crate may share without depending on one
//! another: the stable hashes and the SplitMix64 generator ([`hash`]).

mod document;
pub mod hash;
mod id;
mod offsets;
mod problem;

pub use document::*;
pub use hash::{SplitMix64, mix64};
pub use id::{content_id, normalise_for_id};
pub use offsets::CharIndex;
pub use problem::{Problem, ProblemKind, catch_panic};
