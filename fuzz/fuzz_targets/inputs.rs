//! Reading one input stream the way stdin or a file is read, kind detection included:
//! `Inputs::from_reader` under a name whose extension picks the kind (text, JSON Lines, one
//! JSON document, HTML, feeds, WARC, gzip, none), sometimes with a kind forced as
//! `--input` does and with a small size cap.
//!
//! The option byte: bits 0-2 the name, bits 3-5 the forced kind (0, 6 and 7: none), bit 6
//! a 512-byte cap instead of the default.
//!
//! Checks beyond "no panic": the stream ends; every problem names the input, a 1-based
//! line and a reason; every document has a source and text or HTML, and its text has LF
//! line ends only (as `RawDoc::text` promises).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep_fuzz::{check_problem, take_byte};
use sitrep_read::{InputKind, Inputs, ReadOptions};

const NAMES: [&str; 8] = [
    "x.txt",
    "x.jsonl",
    "x.json",
    "x",
    "x.html",
    "x.rss",
    "x.warc",
    "x.jsonl.gz",
];
const KINDS: [InputKind; 5] = [
    InputKind::Text,
    InputKind::JsonLines,
    InputKind::Html,
    InputKind::Warc,
    InputKind::Feed,
];

fuzz_target!(|data: &[u8]| {
    let (option, bytes) = take_byte(data);
    let name = NAMES[usize::from(option & 7)];
    let kind = usize::from((option >> 3) & 7);
    let opts = ReadOptions {
        max_bytes: if option & 0x40 != 0 {
            512
        } else {
            ReadOptions::default().max_bytes
        },
        input: kind.checked_sub(1).and_then(|k| KINDS.get(k).copied()),
        ..ReadOptions::default()
    };
    let inputs = Inputs::from_reader(name, std::io::Cursor::new(bytes.to_vec()), &opts);
    for item in inputs {
        match item {
            Ok(doc) => {
                assert!(!doc.source.is_empty(), "a document without a source");
                assert!(
                    doc.text.is_some() || doc.html.is_some(),
                    "{}: neither text nor HTML",
                    doc.source
                );
                if let Some(text) = &doc.text {
                    assert!(!text.contains('\r'), "{}: CR in the text", doc.source);
                }
            }
            Err(problem) => check_problem(&problem, name),
        }
    }
});
