//! What a record's block holds, for WARC and ARC alike: an HTTP response (status line,
//! headers, payload as sent) or a bare page, and how much of it is read.
//!
//! Only the first [`HTTP_HEAD_WINDOW`] bytes of a block are read to decide; a block that is
//! passed over, or a page over the per-document cap, is skipped by streaming, never held.
//! Transfer and content encodings the crawler kept are undone with the same cap on what
//! they decompress to, so a compressed page cannot inflate past it.

use std::io::{self, BufRead, Read};

use flate2::bufread::{DeflateDecoder, GzDecoder, ZlibDecoder};
use sitrep_model::ProblemKind;

use crate::payload::{MediaType, looks_like_html};

/// How much of a block is read to find the end of its HTTP headers.
const HTTP_HEAD_WINDOW: usize = 64 * 1024;
/// The largest buffer reserved up front for a payload.
const MAX_RESERVE: usize = 1024 * 1024;

/// What a block holds, once its head has been looked at.
pub(super) enum Found {
    Page(Page),
    /// Not a page: counted under this label. The rest of the block is still to be skipped.
    PassedOver(&'static str),
}

/// An HTML payload whose first bytes were already read.
pub(super) struct Page {
    pub(super) media: MediaType,
    encodings: Encodings,
    prefix: Vec<u8>,
    /// Bytes of the block still to read.
    rest: u64,
}

/// A page's body, or why it is refused.
pub(super) type Body = Result<Vec<u8>, (ProblemKind, String)>;

/// Reads the first bytes of a `length`-byte block (at most [`HTTP_HEAD_WINDOW`]).
pub(super) fn read_head(input: &mut impl BufRead, length: u64) -> io::Result<Vec<u8>> {
    let window = length.min(HTTP_HEAD_WINDOW as u64) as usize;
    read_exactly(input, window)
}

/// An HTTP response block whose first bytes are `head`; `None` when it is not one.
/// `fallback_type` is the archive's own idea of the payload's type, used when the HTTP
/// headers give none.
pub(super) fn http_response(head: &[u8], length: u64, fallback_type: &str) -> Option<Found> {
    let http = HttpHead::parse(head)?;
    if !(200..300).contains(&http.status) {
        return Some(Found::PassedOver(match http.status {
            300..=399 => "redirects (HTTP 3xx)",
            400..=599 => "error pages (HTTP 4xx/5xx)",
            _ => "other HTTP statuses",
        }));
    }
    let media = MediaType::parse(http.get("content-type").unwrap_or(fallback_type));
    let encodings = Encodings {
        chunked: http
            .get("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked")),
        content: http
            .get("content-encoding")
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty() && v != "identity"),
    };
    let body_start = &head[http.length..];
    let html = media.is_html() || (media.is_unspecific() && looks_like_html(body_start));
    if !html {
        return Some(Found::PassedOver("non-HTML responses"));
    }
    Some(Found::Page(Page {
        media,
        encodings,
        prefix: body_start.to_vec(),
        rest: length - head.len() as u64,
    }))
}

/// A block that is the page itself (a WARC `resource`, an ARC record without HTTP headers),
/// with `head` its first bytes.
pub(super) fn bare_page(media: MediaType, head: Vec<u8>, length: u64) -> Page {
    let rest = length - head.len() as u64;
    Page {
        media,
        encodings: Encodings::default(),
        prefix: head,
        rest,
    }
}

impl Page {
    /// Reads the rest of the page, or skips it when it is over `max_bytes`; the stream is
    /// left at the end of the block either way.
    pub(super) fn read(self, input: &mut impl BufRead, max_bytes: usize) -> io::Result<Body> {
        let total = self.prefix.len() as u64 + self.rest;
        if total > max_bytes as u64 {
            discard(input, self.rest)?;
            let reason = format!(
                "page is {total} bytes, over the {max_bytes} bytes per-document cap (--max-doc-size)"
            );
            return Ok(Err((ProblemKind::TooLarge, reason)));
        }
        let mut raw = self.prefix;
        raw.extend_from_slice(&read_exactly(input, self.rest as usize)?);
        Ok(self.encodings.decode(raw, max_bytes))
    }
}

/// Reads exactly `n` bytes; the end of input before that is an error.
fn read_exactly(input: &mut impl Read, n: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(n.min(MAX_RESERVE));
    input.take(n as u64).read_to_end(&mut out)?;
    if out.len() < n {
        return Err(short_block(n as u64, out.len() as u64));
    }
    Ok(out)
}

/// Skips exactly `n` bytes; the end of input before that is an error.
pub(super) fn discard(input: &mut impl Read, n: u64) -> io::Result<()> {
    let skipped = io::copy(&mut input.take(n), &mut io::sink())?;
    if skipped < n {
        return Err(short_block(n, skipped));
    }
    Ok(())
}

/// The error for a block cut short: `wanted` more bytes were due, `got` came.
fn short_block(wanted: u64, got: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        format!("{got} of the {wanted} bytes still due in the block are there"),
    )
}

/// The status line and headers of an HTTP response.
struct HttpHead {
    status: u16,
    headers: Vec<(String, String)>,
    /// Bytes of the head, blank line included.
    length: usize,
}

impl HttpHead {
    fn parse(block: &[u8]) -> Option<HttpHead> {
        let (head_len, sep) = match memchr::memmem::find(block, b"\r\n\r\n") {
            Some(i) => (i, 4),
            None => (memchr::memmem::find(block, b"\n\n")?, 2),
        };
        let text = String::from_utf8_lossy(&block[..head_len]);
        let mut lines = text.lines();
        let status_line = lines.next()?;
        let mut parts = status_line.split_whitespace();
        if !parts.next()?.starts_with("HTTP/") {
            return None;
        }
        let status = parts.next()?.parse().ok()?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Some(HttpHead {
            status,
            headers,
            length: head_len + sep,
        })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// How an HTTP payload was encoded for transfer, as recorded.
#[derive(Default)]
struct Encodings {
    chunked: bool,
    content: Option<String>,
}

impl Encodings {
    /// Undoes chunking and gzip/deflate compression (crawlers that store the payload as sent
    /// keep them); the decoded body is capped at `max_bytes`.
    fn decode(&self, raw: Vec<u8>, max_bytes: usize) -> Body {
        let raw = if self.chunked {
            // Common Crawl de-chunks but keeps the header; a body that does not parse as
            // chunks is taken as it is.
            dechunk(&raw).unwrap_or(raw)
        } else {
            raw
        };
        let decoded = match self.content.as_deref() {
            None => raw,
            Some(kind @ ("gzip" | "x-gzip" | "deflate")) => {
                let mut out = Vec::new();
                let limit = max_bytes as u64 + 1;
                let result = match kind {
                    "deflate" if raw.first().is_some_and(|b| b & 0x0F == 8) => {
                        ZlibDecoder::new(raw.as_slice())
                            .take(limit)
                            .read_to_end(&mut out)
                    }
                    "deflate" => DeflateDecoder::new(raw.as_slice())
                        .take(limit)
                        .read_to_end(&mut out),
                    _ => GzDecoder::new(raw.as_slice())
                        .take(limit)
                        .read_to_end(&mut out),
                };
                match result {
                    Ok(_) => out,
                    // Common Crawl stores the payload decoded but keeps the header: a body
                    // that is not compressed after all is taken as it is.
                    Err(_) if looks_like_html(&raw) => raw,
                    Err(err) => {
                        let reason = format!("cannot undo Content-Encoding {kind}: {err}");
                        return Err((ProblemKind::Decode, reason));
                    }
                }
            }
            // An encoding this reader cannot undo, on a body that was stored decoded.
            Some(_) if looks_like_html(&raw) => raw,
            Some(other) => {
                let reason = format!("Content-Encoding {other} is not supported");
                return Err((ProblemKind::Decode, reason));
            }
        };
        if decoded.len() > max_bytes {
            let reason =
                format!("page is over the {max_bytes} bytes per-document cap (--max-doc-size)");
            return Err((ProblemKind::TooLarge, reason));
        }
        Ok(decoded)
    }
}

/// Decodes a chunked body; `None` when it is not one.
fn dechunk(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    loop {
        let line_end = memchr::memchr(b'\n', rest)?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = size_text.trim().split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        if rest.len() < size {
            return None;
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))?;
    }
}
