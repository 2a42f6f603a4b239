//! Character classes shared by the tokenizer, the sentence splitter and the feature
//! templates of the tagger and the recogniser.

/// Collapsed character-class shape: `Iraq` → `Xx`, `U.S.` → `X.X.`, `1990s` → `dx`. Written
/// into `out` (cleared first), so that feature extraction reuses one buffer per sentence.
pub(crate) fn shape(word: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    for c in word.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if k != last {
            out.push(k);
            last = k;
        }
    }
}
