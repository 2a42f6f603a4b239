//! One module per subcommand.

pub mod bench;
pub mod docs;
pub mod eval;
pub mod extract;
pub mod ingest;

use sitrep_pipeline::{Options, Pipeline};
use sitrep_read::ReadOptions;

use crate::InputArgs;

/// The pipeline and reader options an input-taking command asked for.
pub fn configure(input: &InputArgs) -> (Pipeline, ReadOptions) {
    let pipeline = Pipeline::new(Options {
        published: input.published,
        tokens: input.tokens,
    });
    let read = ReadOptions {
        max_bytes: input.max_doc_size,
    };
    (pipeline, read)
}
