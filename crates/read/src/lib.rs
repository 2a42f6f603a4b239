//! Reading and cleaning: sitrep's first stage, from files to article title and body.
//!
//! The parts, each its own module:
//!
//! - [`decode()`](decode()) turns bytes into text: byte-order marks, UTF-8, a Windows-1252
//!   fallback for legacy files, and refusal of binary data with a reason.
//! - [`read_inputs`] turns paths (files, directories, `-` for stdin) into a lazy stream of
//!   [`RawDoc`]s and [`Problem`]s: plain text files are one document each, JSON Lines one
//!   document per line with its metadata. Bad input is reported with its file and line and
//!   never stops the stream; oversized input is refused without being loaded.
//! - The web inputs, told apart by name and content inside [`read_inputs`] (or forced with
//!   [`ReadOptions::input`]): WARC archives, gzip-compressed or not, one document per HTML
//!   response, damaged records reported and survived ([`warc`]); RSS, Atom and JSON Feed
//!   feeds, one document per item ([`feed`]); and `http(s)://` URLs, fetched by a bounded,
//!   polite client ([`fetch`]) when [`ReadOptions::fetcher`] is set. Media types and charsets
//!   of HTTP payloads are shared between them ([`payload`]).
//! - [`extract_html`] finds the article in an HTML page ([`html`]): its metadata (title, date,
//!   author, site, canonical URL, language) and its text as paragraphs for the cleaner, plus
//!   the headlines of related-story lists. The cleaner then runs on HTML text as on any text.
//! - [`clean()`](clean()) separates an article's title and body from what scrapers keep
//!   around them: stray headlines of other stories, promos, bylines, captions, navigation,
//!   wire datelines and "Read more:" lists. It is rule-based and driven by the pattern lists
//!   in `data/cleaner/`, embedded in the binary; nothing is learnt, so every decision can be
//!   traced to a rule or a list entry.
//!
//! ```
//! use sitrep_read::{clean, read_inputs, ReadOptions};
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("story.txt");
//! std::fs::write(&path, "Ceasefire holds in border town\n\n\
//!     The ceasefire in the border town of Dravik held overnight, residents said on Sunday.").unwrap();
//! for item in read_inputs(&[path], &ReadOptions::default()) {
//!     let raw = item.unwrap();
//!     let cleaned = clean(raw.text.as_deref().unwrap(), raw.title.as_deref());
//!     assert_eq!(cleaned.title.as_deref(), Some("Ceasefire holds in border town"));
//!     assert!(cleaned.body.starts_with("The ceasefire"));
//! }
//! ```

pub mod clean;
pub mod decode;
pub mod feed;
pub mod fetch;
pub mod html;
pub mod payload;
mod published;
mod raw;
mod rules;
pub mod source;
#[cfg(test)]
mod test_server;
pub mod warc;

pub use clean::{Cleaned, clean};
pub use decode::{DecodeError, Decoded, TextEncoding, decode};
pub use html::{HtmlArticle, extract_html};
pub use published::{date_in_name, parse_published};
pub use raw::RawDoc;
pub use sitrep_model::{Problem, ProblemKind};
pub use source::{InputKind, Inputs, ReadOptions, read_inputs};
