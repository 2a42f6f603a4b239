//! The whole pipeline on one read document: `Pipeline::process` (HTML extraction, cleaning,
//! sentences, tokens, the tagger, lemmatiser and parser, entities, times, quantities), as
//! `extract` and `ingest` run it on every input.
//!
//! The option byte: bit 0 gives the bytes as HTML instead of text, bit 1 a title from
//! metadata, bit 2 a publication date, bit 3 runs with the shipped models (found as the CLI
//! finds them: `SITREP_MODELS`, else `data/models` of this checkout; loaded once per
//! process), else with none (reading, times and quantities only).
//!
//! Checks beyond "no panic": a document keeps the output contract (its id is its text's,
//! every span of every layer, tokens included, is inside the text with the text it claims)
//! and keeps its source; a problem names the input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitrep_fuzz::{check_document, check_problem, lossy, take_byte};
use sitrep_pipeline::{Config, Pipeline};
use sitrep_read::RawDoc;

const NAME: &str = "x.txt";

fn pipeline(models: bool) -> &'static Pipeline {
    static WITH: OnceLock<Pipeline> = OnceLock::new();
    static WITHOUT: OnceLock<Pipeline> = OnceLock::new();
    if models {
        WITH.get_or_init(|| {
            let config = Config {
                tokens: true,
                ..Config::default()
            };
            Pipeline::load(config).expect("the shipped models (set SITREP_MODELS)")
        })
    } else {
        WITHOUT.get_or_init(|| {
            let config = Config {
                tokens: true,
                ..Config::without_models()
            };
            Pipeline::load(config).expect("a pipeline without models")
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let (option, bytes) = take_byte(data);
    let content = lossy(bytes).into_owned();
    let (text, html) = if option & 1 != 0 {
        (None, Some(content))
    } else {
        (Some(content), None)
    };
    let raw = RawDoc {
        source: NAME.to_string(),
        title: (option & 2 != 0).then(|| "Ceasefire holds in border town".to_string()),
        published: (option & 4 != 0)
            .then(|| chrono::NaiveDate::from_ymd_opt(2022, 1, 7))
            .flatten(),
        text,
        html,
        encoding: "UTF-8",
        ..RawDoc::default()
    };
    match pipeline(option & 8 != 0).process(raw) {
        Ok(doc) => {
            assert_eq!(doc.source, NAME);
            check_document(&doc);
        }
        Err(problem) => check_problem(&problem, NAME),
    }
});
