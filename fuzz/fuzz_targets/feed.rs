//! News feeds (RSS, Atom, JSON Feed): `feed::parse_feed`, with or without the feed's own
//! URL to resolve links against, then every item as a document, offline. The option byte:
//! bit 0 gives a base URL.
//!
//! Checks beyond "no panic": an item has a key; every item gives a document or a problem
//! naming the feed and the item, in order (problems with the whole feed name the feed); a document has text or HTML, and its text has LF line
//! ends only (as `RawDoc::text` promises).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep_fuzz::take_byte;
use sitrep_read::feed::{FeedItems, parse_feed};

const NAME: &str = "x.rss";

fuzz_target!(|data: &[u8]| {
    let (option, bytes) = take_byte(data);
    let base = (option & 1 != 0).then_some("https://news.example/feeds/world.xml");
    let Ok(feed) = parse_feed(bytes, base) else {
        return;
    };
    for item in &feed.items {
        assert!(!item.key.is_empty(), "an item without a key: {item:?}");
    }
    let count = feed.items.len();
    let mut seen = 0;
    for outcome in FeedItems::new(feed, NAME, None) {
        match outcome {
            Ok(doc) => {
                seen += 1;
                assert!(
                    doc.text.is_some() || doc.html.is_some(),
                    "{}: neither text nor HTML",
                    doc.source
                );
                if let Some(text) = &doc.text {
                    assert!(!text.contains('\r'), "{}: CR in the text", doc.source);
                }
            }
            // A problem with the whole feed (no items, items past the bound) names the feed.
            Err(problem) if problem.source == NAME => {
                assert!(!problem.reason.is_empty());
            }
            Err(problem) => {
                seen += 1;
                assert_eq!(problem.source, format!("{NAME}#item-{seen}"));
                assert!(!problem.reason.is_empty());
            }
        }
    }
    assert_eq!(seen, count, "items and outcomes differ");
});
