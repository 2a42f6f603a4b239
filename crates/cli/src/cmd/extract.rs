//! `sitrep extract`: read, run the pipeline, print; nothing is stored.

use std::io::{BufWriter, Write};

use anyhow::Result;
use clap::Args;

use crate::cmd::InputArgs;
use crate::render::Format;
use crate::{EXIT_OK, EXIT_PARTIAL, render};

#[derive(Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

pub fn run(args: ExtractArgs) -> Result<u8> {
    let (pipeline, read) = super::configure(&args.input)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut skipped = 0usize;
    let inputs = super::open_inputs(&args.input, &read);
    sitrep_pipeline::extract(&pipeline, inputs, |result| -> Result<()> {
        match result {
            Ok(doc) => render::write(&mut out, &doc, args.format)?,
            Err(problem) => {
                skipped += 1;
                out.flush()?;
                eprintln!("sitrep: skipped {problem}");
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(if skipped == 0 { EXIT_OK } else { EXIT_PARTIAL })
}
