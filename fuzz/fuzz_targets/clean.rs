//! The cleaner on any text (a file's body, a JSON "text", what the HTML extractor gives):
//! `clean`, with or without a title from metadata. The option byte: bit 0 gives the first
//! line of the input as the metadata title.
//!
//! Checks beyond "no panic": the cleaner only keeps, joins and collapses, so the body has no
//! character the input has not, and neither has a title found in the text; the body has no
//! surrounding whitespace; boilerplate and related headlines are not empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep_fuzz::{chars_subset, lossy, take_byte};
use sitrep_read::clean;

fuzz_target!(|data: &[u8]| {
    let (option, bytes) = take_byte(data);
    let text = lossy(bytes);
    let given = (option & 1 != 0).then(|| text.lines().next().unwrap_or(""));
    let cleaned = clean(&text, given);
    assert_eq!(
        cleaned.body.trim(),
        cleaned.body,
        "body with surrounding whitespace"
    );
    if let Some(c) = chars_subset(&cleaned.body, &text) {
        panic!("the body has {c:?}, which the input has not");
    }
    if let Some(title) = &cleaned.title {
        assert!(!title.trim().is_empty(), "empty title");
        if let Some(c) = chars_subset(title, &text) {
            panic!("the title has {c:?}, which the input has not");
        }
    }
    for b in &cleaned.boilerplate {
        assert!(!b.text.trim().is_empty(), "empty boilerplate {b:?}");
    }
    for r in &cleaned.related {
        assert!(!r.trim().is_empty(), "empty related headline");
    }
});
