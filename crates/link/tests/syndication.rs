//! The near-duplicate threshold on the team's syndication set: copies of one wire story with
//! edits, trims, an update and restyled punctuation are near-duplicates of the original; two
//! other articles about the same floods are not.

use sitrep_link::{DuplicateIndex, Signature, THRESHOLD};

fn signature(name: &str) -> Signature {
    let path = format!(
        "{}/tests/fixtures/syndication/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    Signature::of_text(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const COPIES: [&str; 4] = [
    "copy-edited.txt",
    "copy-trimmed.txt",
    "copy-updated.txt",
    "copy-restyled.txt",
];
const OTHERS: [&str; 2] = ["other-same-event.txt", "other-follow-up.txt"];

#[test]
fn copies_are_above_the_threshold_and_other_articles_far_below() {
    let original = signature("original.txt");
    for name in COPIES {
        let s = original.similarity(&signature(name));
        eprintln!("{name}: {s:.2}");
        assert!(s >= THRESHOLD, "{name}: {s}");
    }
    for name in OTHERS {
        let s = original.similarity(&signature(name));
        eprintln!("{name}: {s:.2}");
        assert!(s < THRESHOLD / 2.0, "{name}: {s}");
    }
}

#[test]
fn every_copy_is_grouped_under_the_first_one_seen() {
    let mut index = DuplicateIndex::new();
    assert_eq!(
        index.link("original", Some(signature("original.txt"))),
        None
    );
    for name in OTHERS {
        assert_eq!(index.link(name, Some(signature(name))), None, "{name}");
    }
    for name in COPIES {
        let found = index.link(name, Some(signature(name)));
        assert_eq!(found.as_deref(), Some("original"), "{name}");
    }
}
