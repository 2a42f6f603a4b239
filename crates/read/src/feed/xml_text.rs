//! An XML document's bytes to UTF-8 text, decided the way XML decides it, and never refused.
//!
//! XML says which encoding it is in by a byte-order mark, else by the pattern of its first
//! bytes (`<?xml` in UTF-16 or UTF-32), else by the `encoding` of its declaration, else
//! UTF-8. feed-rs leaves this to quick-xml, whose decoder refuses the whole document at the
//! first byte the declared encoding cannot have: a feed declared UTF-8 with one Windows-1252
//! `é` in it (common in hand-made feeds) was lost whole. Decoding here first makes that
//! a warning instead: text declared (or defaulting to) UTF-8 that is not valid UTF-8 is read
//! as Windows-1252, as [`crate::decode()`] does for plain text, and any other declared
//! encoding is decoded with replacement characters for bytes it cannot map. UTF-32, which
//! `encoding_rs` does not know, is decoded here.
//!
//! The declaration is removed from the text handed on: the text is UTF-8 now, and a parser
//! that read `encoding="big5"` would decode it a second time.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// A decoded XML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlText {
    /// The document without its byte-order mark and XML declaration.
    pub text: String,
    /// The encoding it was read in.
    pub encoding: &'static str,
    /// Why the encoding is not the one the document declares, or what could not be mapped.
    pub warning: Option<String>,
}

/// How far into the document the declaration is looked for: it must be first, and the
/// longest real one is well under this.
const DECL_WINDOW: usize = 1024;

/// Decodes a whole XML document (or the start of one, for sniffing).
pub(crate) fn decode_xml(bytes: &[u8]) -> XmlText {
    let (text, encoding, warning) = match unicode_form(bytes) {
        Some((Form::Utf32 { big_endian }, bom)) => {
            let text = decode_utf32(&bytes[bom..], big_endian);
            let name = if big_endian { "UTF-32BE" } else { "UTF-32LE" };
            (text, name, None)
        }
        Some((Form::Utf16(codec), bom)) => {
            let (text, had_errors) = codec.decode_without_bom_handling(&bytes[bom..]);
            (text.into_owned(), codec.name(), unmapped(had_errors, codec))
        }
        Some((Form::Utf8, bom)) => decode_declared(&bytes[bom..], Some(UTF_8)),
        None => {
            let declared =
                declared_label(bytes).map(|label| (Encoding::for_label(label.as_bytes()), label));
            match declared {
                // A declaration naming a 16-bit encoding in 8-bit bytes is wrong about
                // itself; so is a name nobody knows. Both are read as undeclared.
                Some((Some(codec), _)) if codec != UTF_16LE && codec != UTF_16BE => {
                    decode_declared(bytes, Some(codec))
                }
                Some((_, label)) => {
                    let (text, encoding, warning) = decode_declared(bytes, None);
                    let note = format!("declared encoding {label:?} is not one sitrep reads");
                    (text, encoding, Some(join(Some(note), warning)))
                }
                None => decode_declared(bytes, None),
            }
        }
    };
    XmlText {
        text: strip_declaration(text),
        encoding,
        warning,
    }
}

/// [`decode_xml`] of bytes the caller gives up: UTF-8 (the common case) becomes the text
/// in place, without a second copy of the feed in memory.
pub(crate) fn decode_xml_owned(bytes: Vec<u8>) -> XmlText {
    let utf8 = match unicode_form(&bytes) {
        Some((Form::Utf8, _)) => true,
        Some(_) => false,
        None => declared_label(&bytes)
            .is_none_or(|label| Encoding::for_label(label.as_bytes()) == Some(UTF_8)),
    };
    if !utf8 {
        return decode_xml(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => XmlText {
            text: strip_declaration(text),
            encoding: "UTF-8",
            warning: None,
        },
        Err(err) => decode_xml(err.as_bytes()),
    }
}

enum Form {
    Utf8,
    Utf16(&'static Encoding),
    Utf32 { big_endian: bool },
}

/// The Unicode form a byte-order mark or the first bytes of `<?` (or `<`) say, and the
/// length of the mark.
fn unicode_form(bytes: &[u8]) -> Option<(Form, usize)> {
    let form = match bytes {
        [0x00, 0x00, 0xFE, 0xFF, ..] => (Form::Utf32 { big_endian: true }, 4),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (Form::Utf32 { big_endian: false }, 4),
        [0xEF, 0xBB, 0xBF, ..] => (Form::Utf8, 3),
        [0xFE, 0xFF, ..] => (Form::Utf16(UTF_16BE), 2),
        [0xFF, 0xFE, ..] => (Form::Utf16(UTF_16LE), 2),
        [0x00, 0x00, 0x00, b'<', ..] => (Form::Utf32 { big_endian: true }, 0),
        [b'<', 0x00, 0x00, 0x00, ..] => (Form::Utf32 { big_endian: false }, 0),
        [0x00, b'<', 0x00, _, ..] => (Form::Utf16(UTF_16BE), 0),
        [b'<', 0x00, _, 0x00, ..] => (Form::Utf16(UTF_16LE), 0),
        _ => return None,
    };
    Some(form)
}

/// Decodes ASCII-compatible bytes in the declared encoding (`None`: UTF-8, the XML default).
/// UTF-8 that is not falls back to Windows-1252.
fn decode_declared(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> (String, &'static str, Option<String>) {
    let codec = declared.unwrap_or(UTF_8);
    if codec == UTF_8 {
        return match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), "UTF-8", None),
            Err(err) => {
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                let said = if declared.is_some() {
                    "declared UTF-8"
                } else {
                    "UTF-8 by default"
                };
                let warning = format!(
                    "{said} but not valid UTF-8 (byte {}): read as windows-1252",
                    err.valid_up_to()
                );
                (text.into_owned(), "windows-1252", Some(warning))
            }
        };
    }
    let (text, had_errors) = codec.decode_without_bom_handling(bytes);
    (text.into_owned(), codec.name(), unmapped(had_errors, codec))
}

fn unmapped(had_errors: bool, codec: &'static Encoding) -> Option<String> {
    had_errors.then(|| {
        format!(
            "bytes that are not {} were replaced with U+FFFD",
            codec.name()
        )
    })
}

fn join(first: Option<String>, second: Option<String>) -> String {
    [first, second]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

/// UTF-32 code units to text, an impossible unit (a surrogate, past U+10FFFF, a cut-off
/// last unit) becoming U+FFFD.
fn decode_utf32(bytes: &[u8], big_endian: bool) -> String {
    let mut text = String::with_capacity(bytes.len() / 4);
    let mut units = bytes.chunks_exact(4);
    for unit in &mut units {
        let unit: [u8; 4] = unit.try_into().expect("chunks of four");
        let value = if big_endian {
            u32::from_be_bytes(unit)
        } else {
            u32::from_le_bytes(unit)
        };
        text.push(char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    if !units.remainder().is_empty() {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

/// The `encoding` pseudo-attribute of a leading `<?xml ...?>` declaration, in ASCII bytes.
fn declared_label(bytes: &[u8]) -> Option<String> {
    let decl = declaration(bytes)?;
    let at = memchr::memmem::find(decl, b"encoding")?;
    let rest = decl[at + b"encoding".len()..].trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let quote = *rest.first().filter(|q| matches!(q, b'"' | b'\''))?;
    let value = &rest[1..];
    let end = memchr::memchr(quote, value)?;
    let label = std::str::from_utf8(&value[..end]).ok()?.trim();
    (!label.is_empty()).then(|| label.to_string())
}

/// The bytes of a leading XML declaration (from `<?xml` to `?>`), if the document has one.
fn declaration(bytes: &[u8]) -> Option<&[u8]> {
    let window = &bytes[..bytes.len().min(DECL_WINDOW)];
    let rest = window.strip_prefix(b"<?xml")?;
    if !rest.first().is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let end = memchr::memmem::find(rest, b"?>")?;
    Some(&window[..5 + end + 2])
}

/// The text without a leading byte-order mark and XML declaration.
fn strip_declaration(mut text: String) -> String {
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    if let Some(decl) = declaration(text.as_bytes()) {
        let len = decl.len();
        text.drain(..len);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn declared_encoding_is_honoured_and_the_declaration_removed() {
        let doc = decode_xml(b"<?xml version=\"1.0\" encoding='ISO-8859-7'?>\n<rss>\xe1</rss>");
        assert_eq!(doc.text, "\n<rss>α</rss>");
        assert_eq!(doc.encoding, "ISO-8859-7");
        assert_eq!(doc.warning, None);
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252_with_a_warning() {
        let doc = decode_xml(b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>Caf\xe9</rss>");
        assert_eq!(doc.text, "<rss>Café</rss>");
        assert_eq!(doc.encoding, "windows-1252");
        let warning = doc.warning.unwrap();
        assert!(warning.contains("declared UTF-8"), "{warning}");
    }

    #[test]
    fn a_long_declaration_is_still_read() {
        // quick-xml's decoder can only switch encodings within the first 64 bytes.
        let mut bytes = b"<?xml version=\"1.0\"".to_vec();
        bytes.extend(std::iter::repeat_n(b' ', 100));
        bytes.extend(b"encoding=\"iso-8859-1\"?><rss>\xe9</rss>");
        let doc = decode_xml(&bytes);
        assert_eq!(doc.text, "<rss>é</rss>");
        assert_eq!(doc.warning, None);
    }

    #[test]
    fn utf16_and_utf32_by_mark_or_pattern() {
        let mut marked = vec![0xFF, 0xFE];
        marked.extend(utf16le(
            "<?xml version=\"1.0\" encoding=\"utf-16\"?><feed/>",
        ));
        assert_eq!(decode_xml(&marked).text, "<feed/>");
        let unmarked = utf16le("<?xml version=\"1.0\"?><feed>é</feed>");
        assert_eq!(decode_xml(&unmarked).text, "<feed>é</feed>");
        let utf32: Vec<u8> = "<rss>€</rss>"
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        let doc = decode_xml(&utf32);
        assert_eq!(doc.text, "<rss>€</rss>");
        assert_eq!(doc.encoding, "UTF-32BE");
        // A cut-off last unit is a replacement character, not a failure.
        assert_eq!(decode_utf32(&[0, 0, 0, b'a', 0, 0], true), "a\u{FFFD}");
    }

    #[test]
    fn unknown_or_self_contradicting_labels_fall_back_to_utf8() {
        let doc = decode_xml(b"<?xml version=\"1.0\" encoding=\"bogus\"?><rss>\xc3\xa9</rss>");
        assert_eq!(doc.text, "<rss>é</rss>");
        assert!(doc.warning.unwrap().contains("\"bogus\""));
        let doc = decode_xml(b"<?xml version=\"1.0\" encoding=\"utf-16\"?><rss/>");
        assert_eq!(doc.text, "<rss/>");
        assert_eq!(doc.encoding, "UTF-8");
    }

    #[test]
    fn owned_bytes_decode_as_borrowed_ones() {
        let cases: [&[u8]; 4] = [
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>Caf\xc3\xa9</rss>",
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>Caf\xe9</rss>",
            b"\xef\xbb\xbf<rss>\xc3\xa9</rss>",
            b"<?xml version='1.0' encoding='koi8-r'?><rss>\xc1</rss>",
        ];
        for bytes in cases {
            assert_eq!(decode_xml_owned(bytes.to_vec()), decode_xml(bytes));
        }
    }

    #[test]
    fn a_bom_wins_over_the_declaration() {
        let doc =
            decode_xml(b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"latin-1\"?><a>\xc3\xa9</a>");
        assert_eq!(doc.text, "<a>é</a>");
    }
}
