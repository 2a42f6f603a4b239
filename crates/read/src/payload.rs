//! HTTP payloads to text: media types, charsets and what counts as an HTML page.
//!
//! WARC records and fetched pages are the same thing seen twice, an HTTP response, so both
//! readers share these rules:
//!
//! - **Media type.** The `Content-Type` header decides: `text/html` and
//!   `application/xhtml+xml` are pages. A missing or generic type (`application/octet-stream`)
//!   is decided by sniffing the first bytes for `<!doctype html`, `<html`, `<head` or `<body`.
//! - **Charset.** The order browsers use, minus their guessing: a byte-order mark wins; then
//!   the header's `charset=`; then a `<meta charset>` (or `http-equiv` content type) in the
//!   first 1024 bytes; then [`crate::decode()`]'s fallback (UTF-8, else Windows-1252). A page
//!   that declares UTF-8 but is not valid UTF-8 is decoded as Windows-1252 with a warning, as
//!   [`crate::decode()`] does for files: mislabelled legacy pages are common, and replacement
//!   characters in every accented word would be worse than the legacy reading.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::decode::{decode, normalise_line_ends};

/// How far into a page a `<meta charset>` is looked for (the HTML standard's prescan window).
const META_PRESCAN: usize = 1024;

/// A parsed `Content-Type` value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaType {
    /// `type/subtype`, lowercased, without parameters; empty when the header was empty.
    pub essence: String,
    /// The `charset` parameter as written (unquoted), if any.
    pub charset: Option<String>,
}

impl MediaType {
    /// Parses `text/html; charset="ISO-8859-1"` and the like. Never fails: whatever is not a
    /// parameter is the essence.
    ///
    /// ```
    /// use sitrep_read::payload::MediaType;
    /// let t = MediaType::parse("Text/HTML; charset=\"ISO-8859-1\"");
    /// assert_eq!(t.essence, "text/html");
    /// assert_eq!(t.charset.as_deref(), Some("ISO-8859-1"));
    /// assert!(t.is_html());
    /// ```
    pub fn parse(value: &str) -> MediaType {
        let mut parts = value.split(';');
        let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let charset = parts.find_map(|param| {
            let (name, value) = param.split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("charset") {
                return None;
            }
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
            (!value.is_empty()).then(|| value.to_string())
        });
        MediaType { essence, charset }
    }

    /// A web page: `text/html` or `application/xhtml+xml`.
    pub fn is_html(&self) -> bool {
        matches!(self.essence.as_str(), "text/html" | "application/xhtml+xml")
    }

    /// A type that says nothing about the content, so the bytes must decide.
    pub fn is_unspecific(&self) -> bool {
        matches!(
            self.essence.as_str(),
            "" | "application/octet-stream" | "unknown/unknown" | "application/unknown"
        )
    }

    /// A type feeds are served with. `text/xml` and `application/xml` are included: many
    /// feeds use them, and the content decides whether it really is a feed.
    pub fn is_feed_like(&self) -> bool {
        matches!(
            self.essence.as_str(),
            "application/rss+xml"
                | "application/atom+xml"
                | "application/rdf+xml"
                | "application/feed+json"
                | "application/json"
                | "text/xml"
                | "application/xml"
        )
    }
}

/// Whether the start of a payload is an HTML document: after whitespace, a byte-order mark
/// and comments, a doctype or one of the document-level tags.
///
/// ```
/// use sitrep_read::payload::looks_like_html;
/// assert!(looks_like_html(b"\n<!-- x --><!DOCTYPE html><html>"));
/// assert!(!looks_like_html(b"<?xml version=\"1.0\"?><rss>"));
/// ```
pub fn looks_like_html(head: &[u8]) -> bool {
    let mut rest = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<!--") {
            match memchr::memmem::find(rest, b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
            continue;
        }
        break;
    }
    let start = &rest[..rest.len().min(16)];
    let lower = start.to_ascii_lowercase();
    [&b"<!doctype html"[..], b"<html", b"<head", b"<body"]
        .iter()
        .any(|tag| lower.starts_with(tag))
}

/// The charset a page declares in a `<meta>` tag within its first 1024 bytes: either
/// `<meta charset="...">` or `<meta http-equiv="Content-Type" content="...; charset=...">`.
///
/// ```
/// use sitrep_read::payload::meta_charset;
/// assert_eq!(meta_charset(b"<html><head><meta charset='koi8-r'>").as_deref(), Some("koi8-r"));
/// assert_eq!(meta_charset(b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-2\">").as_deref(), Some("iso-8859-2"));
/// assert_eq!(meta_charset(b"<p>charset=utf-8</p>"), None);
/// ```
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let window = bytes[..bytes.len().min(META_PRESCAN)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&window[from..], b"<meta") {
        let tag_start = from + at + 5;
        let tag_end = window[tag_start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(window.len(), |p| tag_start + p);
        let tag = &window[tag_start..tag_end];
        if let Some(pos) = memchr::memmem::find(tag, b"charset") {
            let after = tag[pos + 7..].trim_ascii_start();
            if let Some(value) = after.strip_prefix(b"=") {
                let value = value.trim_ascii_start();
                let value = value
                    .strip_prefix(b"\"")
                    .or_else(|| value.strip_prefix(b"'"))
                    .unwrap_or(value);
                let end = value
                    .iter()
                    .position(|&b| {
                        matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                    })
                    .unwrap_or(value.len());
                if end > 0 {
                    return Some(String::from_utf8_lossy(&value[..end]).into_owned());
                }
            }
        }
        from = tag_end.max(tag_start);
    }
    None
}

/// A page decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedPage {
    /// The text, LF line ends, no byte-order mark.
    pub text: String,
    /// The encoding's name as `encoding_rs` spells it ("UTF-8", "windows-1252", "Shift_JIS").
    pub encoding: &'static str,
    /// Declarations that were ignored, and why.
    pub warnings: Vec<String>,
}

/// Decodes an HTML page with the charset its HTTP header declared (if any), following the
/// order in the module documentation.
///
/// ```
/// use sitrep_read::payload::decode_page;
/// let page = decode_page(b"<p>Caf\xe9</p>", Some("iso-8859-1"));
/// assert_eq!(page.text, "<p>Café</p>");
/// assert_eq!(page.encoding, "windows-1252");
/// let page = decode_page("<meta charset=utf-8><p>Café</p>".as_bytes(), None);
/// assert_eq!(page.encoding, "UTF-8");
/// ```
pub fn decode_page(bytes: &[u8], header_charset: Option<&str>) -> DecodedPage {
    let mut warnings = Vec::new();
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return with_encoding(&bytes[bom_len..], encoding, warnings);
    }
    let mut declared = None;
    if let Some(label) = header_charset {
        match Encoding::for_label(label.as_bytes()) {
            Some(encoding) => declared = Some(encoding),
            None => warnings.push(format!(
                "unknown charset {label:?} in Content-Type; ignored"
            )),
        }
    }
    if declared.is_none()
        && let Some(label) = meta_charset(bytes)
    {
        match Encoding::for_label(label.as_bytes()) {
            // A page cannot describe itself as UTF-16 in ASCII; the standard reads it as UTF-8.
            Some(encoding) if encoding == UTF_16LE || encoding == UTF_16BE => {
                declared = Some(UTF_8);
            }
            Some(encoding) => declared = Some(encoding),
            None => warnings.push(format!("unknown charset {label:?} in <meta>; ignored")),
        }
    }
    match declared {
        Some(encoding) => with_encoding(bytes, encoding, warnings),
        None => match decode(bytes) {
            Ok(decoded) => DecodedPage {
                text: decoded.text,
                encoding: decoded.encoding.name(),
                warnings,
            },
            // Binary-looking bytes in a page the server called HTML: decode leniently and let
            // the HTML extractor find whatever text there is.
            Err(err) => {
                warnings.push(format!("{err}; decoded as windows-1252"));
                with_encoding(bytes, WINDOWS_1252, warnings)
            }
        },
    }
}

fn with_encoding(
    bytes: &[u8],
    encoding: &'static Encoding,
    mut warnings: Vec<String>,
) -> DecodedPage {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors && encoding == UTF_8 {
        warnings.push("declared UTF-8 but is not valid UTF-8; decoded as windows-1252".into());
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
        return DecodedPage {
            text: normalise_line_ends(text.into_owned()),
            encoding: WINDOWS_1252.name(),
            warnings,
        };
    }
    if had_errors {
        warnings.push(format!(
            "bytes not valid in the declared {}; replaced with U+FFFD",
            encoding.name()
        ));
    }
    DecodedPage {
        text: normalise_line_ends(text.into_owned()),
        encoding: encoding.name(),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_charset_wins_over_meta() {
        // Windows-1251 Cyrillic "Мир" with a (wrong) meta saying Latin-1.
        let bytes = b"<meta charset=\"iso-8859-1\"><p>\xcc\xe8\xf0</p>";
        let page = decode_page(bytes, Some("windows-1251"));
        assert_eq!(page.text, "<meta charset=\"iso-8859-1\"><p>Мир</p>");
        assert_eq!(page.encoding, "windows-1251");
    }

    #[test]
    fn meta_charset_used_without_a_header() {
        let bytes = b"<html><head><meta http-equiv=\"content-type\" content=\"text/html;charset=ISO-8859-2\"></head><p>\xb3\xf3d\xbc</p>";
        let page = decode_page(bytes, None);
        assert_eq!(page.encoding, "ISO-8859-2");
        assert!(page.text.ends_with("<p>łódź</p>"), "{}", page.text);
    }

    #[test]
    fn bom_beats_every_declaration() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<p>Zürich</p>".as_bytes());
        let page = decode_page(&bytes, Some("windows-1252"));
        assert_eq!(page.text, "<p>Zürich</p>");
        assert_eq!(page.encoding, "UTF-8");
    }

    #[test]
    fn no_declaration_falls_back_to_utf8_then_windows_1252() {
        assert_eq!(
            decode_page("<p>Zürich</p>".as_bytes(), None).encoding,
            "UTF-8"
        );
        let legacy = decode_page(b"<p>Z\xfcrich \x93quoted\x94</p>", None);
        assert_eq!(legacy.text, "<p>Zürich “quoted”</p>");
        assert_eq!(legacy.encoding, "windows-1252");
    }

    #[test]
    fn mislabelled_utf8_and_unknown_labels_warn() {
        let page = decode_page(b"<p>caf\xe9</p>", Some("utf-8"));
        assert_eq!(page.text, "<p>café</p>");
        assert!(page.warnings[0].contains("not valid UTF-8"));
        let page = decode_page(b"<p>ok</p>", Some("x-klingon"));
        assert_eq!(page.encoding, "UTF-8");
        assert!(page.warnings[0].contains("x-klingon"));
    }

    #[test]
    fn meta_utf16_means_utf8() {
        let page = decode_page("<meta charset=utf-16><p>é</p>".as_bytes(), None);
        assert_eq!(page.encoding, "UTF-8");
        assert!(page.text.contains('é'));
    }

    #[test]
    fn meta_past_the_prescan_window_is_ignored() {
        let mut bytes = vec![b' '; 1100];
        bytes.extend_from_slice(b"<meta charset=koi8-r>");
        assert_eq!(meta_charset(&bytes), None);
    }

    #[test]
    fn media_types() {
        assert!(MediaType::parse("application/xhtml+xml").is_html());
        assert!(!MediaType::parse("text/plain; charset=utf-8").is_html());
        assert!(MediaType::parse("").is_unspecific());
        assert!(MediaType::parse("application/rss+xml; charset=utf-8").is_feed_like());
        assert_eq!(MediaType::parse("text/html;charset=").charset, None);
    }

    #[test]
    fn html_sniffing() {
        assert!(looks_like_html(b"  <HTML lang=en>"));
        assert!(looks_like_html(b"\xEF\xBB\xBF<!doctype HTML>"));
        assert!(looks_like_html(b"<body><p>x"));
        assert!(!looks_like_html(b"Plain text about <html> tags"));
        assert!(!looks_like_html(b"<!-- never closed"));
    }
}
