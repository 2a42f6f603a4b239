//! `sitrep gazetteer import`: a GeoNames dump into the gazetteer, for users who want every
//! village (the shipped table has the places of 15,000 people or more). The work is
//! `sitrep_gazetteer::import`; this reads the file, prints the malformed lines and a summary.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand};
use sitrep_gazetteer::Gazetteer;
use sitrep_gazetteer::import::{FeatureFilter, IMPORTED_PLACES, ImportOptions, import_geonames};

use crate::{EXIT_OK, EXIT_PARTIAL};

/// Malformed lines printed; the rest are counted.
const MAX_PRINTED: usize = 20;

#[derive(Subcommand)]
pub enum GazetteerCommand {
    /// Import a GeoNames dump (every village): its places go to places.imported.tsv in the
    /// gazetteer folder, which place resolution reads after the shipped places.tsv. A second
    /// import replaces the first (unless --add).
    #[command(
        long_about = "Import a GeoNames dump (every village): its places go to \
        places.imported.tsv in the gazetteer folder, which place resolution reads after the \
        shipped places.tsv (places of 15,000 people or more).\n\n\
        FILE is one of GeoNames' dumps of its geoname table (19 tab-separated columns), from \
        https://download.geonames.org/export/dump/ (CC BY 4.0; sitrep does not download it): \
        allCountries.txt, cities500.txt, cities1000.txt, cities5000.txt, cities15000.txt or a \
        country's file such as ML.txt. Unzip it first (or pipe `unzip -p cities500.zip` into \
        `-`); a gzip-compressed file is read as is.\n\n\
        Populated places (class P) become kind `city`, first-level regions (ADM1) `admin1`; \
        places already shipped (same geonameid) are skipped; alternate names are cut to a few \
        short Latin-script ones. Imported places are found when resolving a place name; they \
        do not enter the entity recogniser's lists.\n\n\
        A malformed line is reported as FILE:LINE: reason and skipped; the other lines are \
        imported, and the exit status is then 3. A file that is not a GeoNames dump is an \
        error and nothing is written. The table is replaced atomically.\n\n\
        Example: sitrep gazetteer import cities500.txt --min-population 1000"
    )]
    Import(GazetteerImportArgs),
}

#[derive(Args)]
pub struct GazetteerImportArgs {
    /// A GeoNames dump (allCountries.txt, citiesN.txt, a country's XX.txt), unzipped; `-`
    /// reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The gazetteer folder to import into (default: SITREP_GAZETTEER, else data/gazetteer
    /// above the working directory or the executable).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// Leave out places of fewer people (GeoNames gives 0 when it does not know).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub min_population: u64,
    /// What to import, comma-separated: P (populated places except abandoned, destroyed and
    /// historical ones), populated-place codes by name (PPLA, PPLC, PPLX, PPLQ, ...), ADM1
    /// (first-level regions).
    #[arg(long, value_name = "LIST", default_value = "P,ADM1", value_parser = FeatureFilter::parse)]
    pub features: FeatureFilter,
    /// Keep the places of the earlier import that this dump does not have (to import several
    /// countries' files one after another) instead of replacing it.
    #[arg(long)]
    pub add: bool,
}

pub fn import(args: GazetteerImportArgs) -> Result<u8> {
    let dir = match args.into {
        Some(dir) => dir,
        None => Gazetteer::default_dir().ok_or_else(|| {
            anyhow!("no gazetteer folder found: give --into DIR or set SITREP_GAZETTEER")
        })?,
    };
    let source = args.file.display().to_string();
    let raw: Box<dyn Read> = if source == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(File::open(&args.file).with_context(|| format!("cannot read {source}"))?)
    };
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let head = reader
        .fill_buf()
        .with_context(|| format!("cannot read {source}"))?;
    let mut input: Box<dyn BufRead> = if head.starts_with(b"PK\x03\x04") {
        return Err(anyhow!(
            "{source}: a zip archive; unzip it first, or pipe it in: unzip -p {source} | \
             sitrep gazetteer import -"
        ));
    } else if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::bufread::MultiGzDecoder::new(reader),
        ))
    } else {
        Box::new(reader)
    };
    let options = ImportOptions {
        features: args.features,
        min_population: args.min_population,
        add: args.add,
    };
    let mut printed = 0;
    let summary = import_geonames(&mut input, &source, &dir, &options, &mut |problem| {
        if printed < MAX_PRINTED {
            eprintln!("sitrep: skipped {problem}");
        }
        printed += 1;
    })
    .map_err(|p| anyhow!("{p}"))?;
    if summary.malformed > MAX_PRINTED {
        eprintln!(
            "sitrep: ... and {} more malformed lines",
            summary.malformed - MAX_PRINTED
        );
    }
    let mut extra = String::new();
    if summary.unknown_country > 0 {
        extra.push_str(&format!(", {} of unknown country", summary.unknown_country));
    }
    if summary.repeated > 0 {
        extra.push_str(&format!(", {} repeated", summary.repeated));
    }
    if args.add {
        extra.push_str(&format!(", {} kept from the earlier import", summary.kept));
    }
    eprintln!(
        "{source}: {} lines read, {} places imported into {}, {} already shipped, {} left out \
         by feature or population{extra}, {} malformed",
        summary.read,
        summary.imported,
        dir.join(IMPORTED_PLACES).display(),
        summary.shipped,
        summary.left_out,
        summary.malformed
    );
    Ok(if summary.malformed > 0 {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    })
}
