//! Bytes to text: encoding detection, binary rejection and line-ending normalisation.
//!
//! Scraped news arrives in whatever encoding the scraper's platform used. The decision order
//! is the one that cannot be fooled by the others:
//!
//! 1. A byte-order mark is authoritative: UTF-8, UTF-16LE or UTF-16BE. (UTF-32 is refused.)
//! 2. Binary data is refused before any decoding, with a reason a user can act on: the magic
//!    number of a common binary format (PNG, JPEG, PDF, ZIP, gzip, ELF, ...), a NUL byte
//!    (text never has one outside UTF-16), or a high share of control characters at the start.
//! 3. Valid UTF-8 is UTF-8. Text in a legacy single-byte encoding is almost never valid UTF-8
//!    (an `é` is one byte `0xE9`, which UTF-8 cannot have alone), so whatever fails UTF-8 is
//!    decoded as Windows-1252, the superset of Latin-1 that Windows and most old web pages
//!    use; it maps every byte, so this last step cannot fail.
//!
//! Finally CRLF and lone CR line ends become LF, so later stages split lines one way only.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use thiserror::Error;

/// How many leading bytes the control-character test looks at.
const SNIFF_WINDOW: usize = 8 * 1024;

/// Share of control characters (in percent) above which the start of a file is binary.
const MAX_CONTROL_PERCENT: usize = 10;

/// The encoding a text was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 with a leading byte-order mark (which is removed).
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// The fallback for bytes that are not valid UTF-8; also covers Latin-1 (ISO 8859-1).
    Windows1252,
}

impl TextEncoding {
    /// A short label for messages and the `RawDoc::encoding` field.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }
}

/// Decoded text and the encoding it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with LF line ends and no byte-order mark.
    pub text: String,
    pub encoding: TextEncoding,
}

/// Why bytes were not accepted as text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The bytes start with the signature of a known binary format.
    #[error("binary file ({0}), not text")]
    BinaryFormat(&'static str),
    /// A NUL byte: text files never contain one (UTF-16 is handled before this test).
    #[error("binary data, not text: NUL byte at offset {offset}")]
    NulByte { offset: usize },
    /// Too many control characters near the start.
    #[error("binary data, not text: {percent}% of the first {window} bytes are control characters")]
    ControlCharacters { percent: usize, window: usize },
    /// An encoding sitrep does not read.
    #[error("unsupported encoding: {0}")]
    Unsupported(&'static str),
}

/// Decodes a whole input to text. See the module documentation for the decision order.
///
/// ```
/// use sitrep_read::{decode, TextEncoding};
/// let d = decode(b"Caf\xe9 in Bamako\r\n").unwrap();
/// assert_eq!(d.text, "Café in Bamako\n");
/// assert_eq!(d.encoding, TextEncoding::Windows1252);
/// assert!(decode(b"%PDF-1.7\n...").is_err());
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE, 0x00, 0x00]) || bytes.starts_with(&[0x00, 0x00, 0xFE, 0xFF])
    {
        return Err(DecodeError::Unsupported("UTF-32"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, TextEncoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, TextEncoding::Utf16Be);
    }
    let (body, utf8_encoding) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, TextEncoding::Utf8Bom),
        None => (bytes, TextEncoding::Utf8),
    };
    check_binary(body)?;
    if let Some(offset) = body.iter().position(|&b| b == 0) {
        return Err(DecodeError::NulByte { offset });
    }
    let (text, encoding) = match std::str::from_utf8(body) {
        Ok(text) => (text.to_string(), utf8_encoding),
        Err(_) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(body);
            (text.into_owned(), TextEncoding::Windows1252)
        }
    };
    Ok(Decoded {
        text: normalise_line_ends(text),
        encoding,
    })
}

fn decode_utf16(units: &[u8], encoding: TextEncoding) -> Result<Decoded, DecodeError> {
    // A NUL code unit is as binary in UTF-16 as a NUL byte is in UTF-8.
    if let Some(pos) = units.chunks_exact(2).position(|pair| pair == [0, 0]) {
        return Err(DecodeError::NulByte {
            offset: 2 + 2 * pos,
        });
    }
    let codec = match encoding {
        TextEncoding::Utf16Be => UTF_16BE,
        _ => UTF_16LE,
    };
    let (text, _) = codec.decode_without_bom_handling(units);
    Ok(Decoded {
        text: normalise_line_ends(text.into_owned()),
        encoding,
    })
}

/// Refuses the start of an input that is clearly binary: a known magic number, a NUL byte or
/// too many control characters in the first 8 KB. Used on whole inputs by [`decode`] and on
/// the first block of a streamed file by the readers. Does not know about UTF-16: callers
/// check for a UTF-16 byte-order mark first.
pub(crate) fn check_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    if let Some(format) = binary_format(bytes) {
        return Err(DecodeError::BinaryFormat(format));
    }
    let window = &bytes[..bytes.len().min(SNIFF_WINDOW)];
    if let Some(offset) = window.iter().position(|&b| b == 0) {
        return Err(DecodeError::NulByte { offset });
    }
    let controls = window.iter().filter(|&&b| is_binary_control(b)).count();
    if !window.is_empty() && controls * 100 > window.len() * MAX_CONTROL_PERCENT {
        return Err(DecodeError::ControlCharacters {
            percent: controls * 100 / window.len(),
            window: window.len(),
        });
    }
    Ok(())
}

/// C0 controls other than the whitespace ones text uses (tab, LF, CR, form feed), and DEL.
fn is_binary_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F
}

/// Signatures of binary formats people are likely to point a text tool at by mistake.
const MAGIC_NUMBERS: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1F\x8B", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xFD7zXZ\x00", "xz archive"),
    (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
    (b"\x28\xB5\x2F\xFD", "zstd archive"),
    (b"Rar!\x1A\x07", "RAR archive"),
    (b"\x7FELF", "ELF executable"),
    (b"\xCF\xFA\xED\xFE", "Mach-O executable"),
    (b"\xCA\xFE\xBA\xBE", "Mach-O or Java class file"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "legacy Office document",
    ),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"ID3", "MP3 audio"),
    (b"\x00asm", "WebAssembly module"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"PAR1", "Parquet file"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
];

fn binary_format(bytes: &[u8]) -> Option<&'static str> {
    if let Some((_, name)) = MAGIC_NUMBERS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        // "BZh" alone is too weak: bzip2 follows it with the block size digit.
        if *name == "bzip2 archive" && !matches!(bytes.get(3), Some(b'1'..=b'9')) {
            return None;
        }
        return Some(name);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("MP4 or QuickTime media");
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") {
        return Some(match &bytes[8..12] {
            b"WEBP" => "WebP image",
            b"WAVE" => "WAV audio",
            b"AVI " => "AVI video",
            _ => "RIFF media",
        });
    }
    None
}

/// CRLF and lone CR become LF. Allocates only when there is a CR.
pub(crate) fn normalise_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_passes_through() {
        let d = decode("Mali’s army".as_bytes()).unwrap();
        assert_eq!(d.text, "Mali’s army");
        assert_eq!(d.encoding, TextEncoding::Utf8);
    }

    #[test]
    fn utf8_bom_is_removed() {
        let d = decode(b"\xEF\xBB\xBFTroops arrived.").unwrap();
        assert_eq!(d.text, "Troops arrived.");
        assert_eq!(d.encoding, TextEncoding::Utf8Bom);
        assert_eq!(d.encoding.name(), "UTF-8 (BOM)");
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let bytes = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&bytes);
        }
        out
    }

    #[test]
    fn utf16_with_bom_in_both_byte_orders() {
        let text = "Bamako — “advisers”\r\nsecond line";
        let le = decode(&utf16(text, false)).unwrap();
        assert_eq!(le.text, "Bamako — “advisers”\nsecond line");
        assert_eq!(le.encoding, TextEncoding::Utf16Le);
        let be = decode(&utf16(text, true)).unwrap();
        assert_eq!(be.text, le.text);
        assert_eq!(be.encoding, TextEncoding::Utf16Be);
    }

    #[test]
    fn utf16_with_a_nul_unit_is_binary() {
        let mut bytes = utf16("ab", false);
        bytes.extend_from_slice(&[0, 0]);
        assert_eq!(
            decode(&bytes).unwrap_err(),
            DecodeError::NulByte { offset: 6 }
        );
    }

    #[test]
    fn latin1_and_windows_1252_fall_back() {
        // é is 0xE9 in both; 0x92 is the right single quote in Windows-1252 only.
        let d = decode(b"Caf\xe9 owner\x92s view, 50\x80").unwrap();
        assert_eq!(d.text, "Café owner’s view, 50€");
        assert_eq!(d.encoding, TextEncoding::Windows1252);
        assert_eq!(d.encoding.name(), "windows-1252");
    }

    #[test]
    fn line_ends_become_lf() {
        let d = decode(b"a\r\nb\rc\n").unwrap();
        assert_eq!(d.text, "a\nb\nc\n");
    }

    #[test]
    fn png_header_is_rejected_by_name() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        let err = decode(png).unwrap_err();
        assert_eq!(err, DecodeError::BinaryFormat("PNG image"));
        assert_eq!(err.to_string(), "binary file (PNG image), not text");
    }

    #[test]
    fn other_magic_numbers_are_rejected() {
        for (bytes, name) in [
            (&b"%PDF-1.4\n%..."[..], "PDF document"),
            (&b"PK\x03\x04\x14\x00"[..], "ZIP archive or Office document"),
            (&b"\x1F\x8B\x08\x00"[..], "gzip archive"),
            (&b"\x7FELF\x02\x01\x01"[..], "ELF executable"),
            (&b"\xFF\xD8\xFF\xE0\x00\x10JFIF"[..], "JPEG image"),
        ] {
            assert_eq!(decode(bytes).unwrap_err(), DecodeError::BinaryFormat(name));
        }
        // Text that merely starts like a magic number is still text.
        assert!(decode(b"BZh is not bzip2 without a digit").is_ok());
    }

    #[test]
    fn random_bytes_with_nuls_are_rejected() {
        let bytes: Vec<u8> = (0u32..512).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(
            decode(&bytes).unwrap_err(),
            DecodeError::NulByte { .. }
        ));
        // A NUL far past the sniff window is still found by the whole-input scan.
        let mut late = vec![b'a'; 20_000];
        late[15_000] = 0;
        assert_eq!(
            decode(&late).unwrap_err(),
            DecodeError::NulByte { offset: 15_000 }
        );
    }

    #[test]
    fn control_characters_without_nul_are_rejected() {
        let bytes: Vec<u8> = (0..400)
            .map(|i| if i % 3 == 0 { 0x01 } else { b'x' })
            .collect();
        let err = decode(&bytes).unwrap_err();
        assert!(matches!(
            err,
            DecodeError::ControlCharacters {
                percent: 33,
                window: 400
            }
        ));
        assert!(err.to_string().contains("control characters"));
        // A few escape characters in real text are fine.
        assert!(decode(b"A form feed \x0c and a tab\t are text; one \x1b too.").is_ok());
    }

    #[test]
    fn utf32_is_refused() {
        assert_eq!(
            decode(b"\xFF\xFE\x00\x00a\x00\x00\x00").unwrap_err(),
            DecodeError::Unsupported("UTF-32")
        );
    }

    #[test]
    fn empty_input_is_empty_text() {
        let d = decode(b"").unwrap();
        assert_eq!(d.text, "");
    }
}
