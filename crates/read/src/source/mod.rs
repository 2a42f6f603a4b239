//! Readers: files, directories, JSON Lines and stdin, streamed as [`RawDoc`](crate::RawDoc)s.
//!
//! [`read_inputs`] turns command-line paths into an iterator of documents and problems. It is
//! lazy: a directory is walked entry by entry, a JSON Lines file is read line by line, and
//! nothing is read before the caller asks for the next document, so a corpus of any size
//! runs in constant memory. Bad input never stops the iteration: it becomes a
//! [`Problem`](crate::Problem) naming the file (and line) and the reason, and reading goes on
//! with the next input.
//!
//! How an input is read:
//! - **URLs.** An input that starts with `http://` or `https://` is fetched with
//!   [`ReadOptions::fetcher`] (without one it is a problem: reading is offline unless asked);
//!   the response is an HTML page, a feed, or any of the kinds below, by its content type and
//!   first bytes. A page's charset comes from the HTTP header ([`crate::payload`]).
//! - **Compression.** A gzip input (by its magic number, whatever its name) is looked into:
//!   a WARC inside is read as a compressed WARC, member by member; anything else is
//!   decompressed as a stream and its kind decided on the decompressed bytes (the extension
//!   under `.gz` counts: `x.jsonl.gz` is JSON Lines).
//! - **WARC.** A `.warc` or `.arc` file (ARC: the format before WARC), or an input starting
//!   with `WARC/1.` or `filedesc://`, is read record by record
//!   ([`crate::warc`]); records that are not HTML pages are counted in
//!   [`Inputs::passed_over`], not reported as problems.
//! - **Feeds.** An input whose root element (past the XML declaration, comments, processing
//!   instructions and a doctype) is `<rss>` (any version or none), `<rdf:RDF>`, an Atom 1.0
//!   or 0.3 `<feed>`, a sitemap's `<urlset>` or `<sitemapindex>`, or a JSON object whose own
//!   `"version"` is a JSON Feed one, is a feed: one document per item, items with only a link
//!   fetched when there is a fetcher ([`crate::feed`]). `.rss` and `.atom` files are feeds
//!   whatever they start with. A feed is read whole up to [`ReadOptions::max_feed_bytes`]
//!   (5 × the per-document cap); each item is held to the per-document cap.
//! - **Forced kind.** [`ReadOptions::input`] overrides all detection (`--input KIND`).
//! - **Kind.** A `.jsonl`, `.ndjson` or `.json` file, or any input whose first non-blank byte
//!   is `{`, is JSON: normally JSON Lines (one document per line), but a file that opens with
//!   `[` or with a lone `{` line is one JSON document (an object or an array of objects). A
//!   `.html`/`.htm` file or an input starting with `<!doctype html`/`<html` is HTML, kept
//!   whole in [`RawDoc::html`](crate::RawDoc::html) for [`crate::extract_html`] and decoded
//!   as a web page is (a `<meta charset>` is honoured, see [`crate::payload::decode_page`]).
//!   Anything else is plain text: the whole file is one document.
//! - **Size.** One document may be at most [`ReadOptions::max_bytes`] (a feed, many
//!   documents, is capped as a whole at a multiple of it). A text file's size is
//!   taken from its metadata before it is read, so an oversized file is refused without being
//!   loaded; a JSON Lines line is read in bounded chunks and an oversized line is skipped
//!   without being held in memory.
//! - **Bytes.** The first 8 KB are checked for binary data before anything else; text is
//!   decoded by [`crate::decode()`] (BOMs, UTF-8, Windows-1252 fallback).
//! - **Directories** are walked recursively in file-name order, skipping hidden entries
//!   (names starting with `.`), following symbolic links.

mod inputs;
mod json;
mod kind;
mod open;
mod options;
mod origin;
mod stream;
mod urls;
mod whole;

pub use inputs::{Inputs, read_inputs};
pub use options::{FEED_CAP_FACTOR, InputKind, ReadOptions};
pub(crate) use origin::human_size;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod web_tests;
