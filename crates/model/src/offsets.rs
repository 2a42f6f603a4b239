//! Conversion between UTF-8 byte offsets (what Rust slices use) and Unicode code-point
//! offsets (what the output contract uses).

/// Maps byte offsets of one text to code-point offsets and back.
///
/// Built once per document. For pure-ASCII text it stores nothing and every conversion is the
/// identity; otherwise it keeps the byte offset of every code point (4 bytes per character),
/// and byte → char conversion is a binary search.
///
/// ```
/// use sitrep_model::CharIndex;
/// let text = "Mali’s army";
/// let ix = CharIndex::new(text);
/// let byte = text.find("army").unwrap();
/// assert_eq!(ix.to_char(byte), 7);
/// assert_eq!(ix.to_byte(7), byte);
/// ```
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of each code point, plus the text length at the end; empty for ASCII.
    starts: Vec<u32>,
    len_bytes: usize,
}

impl CharIndex {
    /// Index `text`. Texts are capped well below 4 GiB by the readers.
    pub fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex {
                starts: Vec::new(),
                len_bytes: text.len(),
            };
        }
        let mut starts: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
        starts.push(text.len() as u32);
        CharIndex {
            starts,
            len_bytes: text.len(),
        }
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        if self.starts.is_empty() {
            self.len_bytes
        } else {
            self.starts.len() - 1
        }
    }

    /// The code-point offset of byte offset `byte`. A byte inside a multi-byte character maps
    /// to that character's offset; offsets past the end map to the end.
    pub fn to_char(&self, byte: usize) -> usize {
        if self.starts.is_empty() {
            return byte.min(self.len_bytes);
        }
        match self.starts.binary_search(&(byte as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The byte offset of code-point offset `ch` (the text length when past the end).
    pub fn to_byte(&self, ch: usize) -> usize {
        if self.starts.is_empty() {
            return ch.min(self.len_bytes);
        }
        self.starts
            .get(ch)
            .map(|&b| b as usize)
            .unwrap_or(self.len_bytes)
    }

    /// Converts a byte span to a code-point span.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        (self.to_char(start), self.to_char(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_is_identity() {
        let ix = CharIndex::new("plain text");
        assert_eq!(ix.to_char(5), 5);
        assert_eq!(ix.to_byte(5), 5);
        assert_eq!(ix.char_len(), 10);
    }

    #[test]
    fn curly_quotes_shift_offsets() {
        let text = "“several parts of Mali.”";
        let ix = CharIndex::new(text);
        assert_eq!(ix.char_len(), 24);
        assert_eq!(ix.to_char(3), 1);
        assert_eq!(ix.to_char(text.len()), 24);
        assert_eq!(ix.to_byte(24), text.len());
    }

    proptest! {
        #[test]
        fn round_trip(s in "\\PC{0,60}") {
            let ix = CharIndex::new(&s);
            for (i, (b, _)) in s.char_indices().enumerate() {
                prop_assert_eq!(ix.to_char(b), i);
                prop_assert_eq!(ix.to_byte(i), b);
            }
            prop_assert_eq!(ix.char_len(), s.chars().count());
        }
    }
}
