//! Decoding outside bytes to text: `decode` (files), `decode_page` with an HTTP charset and
//! `meta_charset` (WARC records, fetched pages), `MediaType::parse` (Content-Type headers)
//! and `parse_published` (every metadata date).
//!
//! Checks beyond "no panic": decoded text has LF line ends only; valid UTF-8 without a
//! byte-order mark or CR that is accepted decodes to itself; a found
//! `<meta charset>` is non-empty ASCII; a media type's essence is in ASCII lower case.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep_fuzz::{lossy, take_byte};
use sitrep_read::payload::{MediaType, decode_page, meta_charset};
use sitrep_read::{TextEncoding, decode, parse_published};

/// Charset labels a header may carry (index chosen by the option byte); the last is none.
const CHARSETS: [&str; 8] = [
    "utf-8",
    "iso-8859-1",
    "shift_jis",
    "utf-16le",
    "koi8-r",
    "x-bogus",
    "gb18030",
    "",
];

fuzz_target!(|data: &[u8]| {
    let (option, bytes) = take_byte(data);
    match decode(bytes) {
        Ok(decoded) => {
            assert!(!decoded.text.contains('\r'), "CR left in decoded text");
            if let Ok(text) = std::str::from_utf8(bytes)
                && !text.starts_with('\u{feff}')
                && !text.contains('\r')
            {
                assert_eq!(decoded.encoding, TextEncoding::Utf8);
                assert_eq!(decoded.text, text);
            }
        }
        Err(err) => assert!(!err.to_string().is_empty()),
    }
    let charset = CHARSETS[usize::from(option) % CHARSETS.len()];
    let page = decode_page(bytes, (!charset.is_empty()).then_some(charset));
    assert!(!page.text.contains('\r'), "CR left in a decoded page");
    assert!(!page.encoding.is_empty());
    if let Some(label) = meta_charset(bytes) {
        assert!(
            !label.is_empty() && !label.contains('>'),
            "meta charset {label:?}"
        );
    }
    let text = lossy(bytes);
    let media = MediaType::parse(&text);
    assert_eq!(
        media.essence,
        media.essence.to_ascii_lowercase(),
        "essence not lower case"
    );
    let _ = media.is_html() || media.is_feed_like() || media.is_unspecific();
    let _ = parse_published(&text);
});
