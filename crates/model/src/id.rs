//! Content ids: the same body gives the same id wherever and whenever it is read, which is
//! what makes re-ingesting a document a no-op.

use sha2::{Digest, Sha256};

/// Normalises a body for hashing: Unicode whitespace runs become one space, the ends are
/// trimmed, and typographic quotes and dashes become their ASCII forms, so that a re-scrape
/// that only changed spacing or quote style keeps its id.
pub fn normalise_for_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            other => other,
        });
    }
    out
}

/// The document id of the output contract: SHA-256 of the normalised body, first 16 hex digits.
///
/// ```
/// use sitrep_model::content_id;
/// assert_eq!(content_id("Mali’s  army"), content_id("Mali's army\n"));
/// assert_eq!(content_id("x").len(), 16);
/// ```
pub fn content_id(body: &str) -> String {
    let digest = Sha256::digest(normalise_for_id(body).as_bytes());
    let mut hex = String::with_capacity(16);
    for byte in &digest[..8] {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_bodies_differ() {
        assert_ne!(content_id("Troops arrived."), content_id("Troops left."));
    }

    #[test]
    fn normalisation_folds_space_and_quotes() {
        assert_eq!(normalise_for_id("  “a”\t–  b \n"), "\"a\" - b");
    }
}
