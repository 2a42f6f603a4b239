//! An HTML page from outside (a file, a WARC record, a fetched page, a feed item):
//! `extract_html`, with or without the page's URL, then the cleaner on what it found, as the
//! pipeline does. The option byte: bit 0 gives a URL.
//!
//! Checks beyond "no panic": a language is a 2-3 letter lower-case code; a title is not
//! empty; the cleaned body and title keep no character the extracted text and title do not
//! have, and the body has no surrounding whitespace.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep_fuzz::{chars_subset, lossy, take_byte};
use sitrep_read::{clean, extract_html};

fuzz_target!(|data: &[u8]| {
    let (option, bytes) = take_byte(data);
    let html = lossy(bytes);
    let url = (option & 1 != 0).then_some("https://news.example/world/2022/01/07/story.html");
    let page = extract_html(&html, url);
    if let Some(lang) = &page.language {
        assert!(
            (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase()),
            "language {lang:?}"
        );
    }
    if let Some(title) = &page.title {
        assert!(!title.trim().is_empty(), "empty title");
    }
    let cleaned = clean(&page.text, page.title.as_deref());
    assert_eq!(
        cleaned.body.trim(),
        cleaned.body,
        "body with surrounding whitespace"
    );
    if let Some(c) = chars_subset(&cleaned.body, &page.text) {
        panic!("the cleaned body has {c:?}, which the extracted text has not");
    }
});
