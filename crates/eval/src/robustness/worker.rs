//! The worker: a child process that runs units as `sitrep extract` would and says what came
//! out, one JSON line per unit, so that a unit that crashes or hangs takes down only the
//! worker, never the evaluation.
//!
//! Protocol: the worker loads its pipeline, writes `ready`, then for each [`Unit`] read as a
//! JSON line on its input writes one [`Outcome`] as a JSON line, and stops at the end of its
//! input. Each unit is read by [`sitrep_read`] (offline: an item that is only a link is an
//! `offline` problem, not fetched), a tree-construction page with the HTML kind forced, and
//! every document goes through [`sitrep_pipeline::extract`], as `sitrep extract` does.

use std::cell::RefCell;
use std::io::{self, BufRead, Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sitrep_model::{Problem, ProblemKind};
use sitrep_pipeline::Pipeline;
use sitrep_read::{InputKind, Inputs, RawDoc, ReadOptions, read_inputs};

use super::items::{MAX_SCAN_BYTES, feed_items};
use super::memory;
use super::units::Unit;

/// The first line a worker writes, once its models are loaded.
pub(crate) const READY: &str = "ready";

/// Example problems kept per kind, per unit.
const EXAMPLES_PER_KIND: usize = 3;

/// Test-only: `hang:NAME,abort:NAME,...` makes the worker sleep for ever, or abort, on a
/// unit whose name ends with NAME, so that tests of the evaluation need no real bug.
pub const TEST_FAULTS_VAR: &str = "SITREP_ROBUSTNESS_TEST_FAULTS";

/// What came out of one unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: usize,
    /// The reader it went to: `feed`, `warc`, `jsonl`, `html`, `text` (a text or one JSON
    /// document), `refused` (a problem with the whole input), or `nothing` (no document and
    /// no problem, as a WARC file holding no page).
    pub read_as: String,
    pub documents: usize,
    pub problems: Vec<(ProblemKind, usize)>,
    /// The first few problems of each kind.
    pub examples: Vec<Problem>,
    /// Documents and problems that were feed items.
    pub feed_documents: usize,
    pub feed_problems: usize,
    /// The items the input holds, counted without the feed reader; `None`: not a feed.
    pub feed_items: Option<usize>,
    /// The worker's resident set before the unit and its peak during it, in kB.
    pub base_kb: Option<u64>,
    pub peak_kb: Option<u64>,
    /// Reading and the pipeline, in seconds (the feed count excluded).
    pub secs: f64,
}

/// Runs the units that come in on `input`, writing an outcome line for each to `output`.
pub fn serve(pipeline: &Pipeline, input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let faults = std::env::var(TEST_FAULTS_VAR).unwrap_or_default();
    warm_up(pipeline);
    writeln!(output, "{READY}")?;
    output.flush()?;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let unit: Unit = serde_json::from_str(&line)
            .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))?;
        simulate_fault(&faults, &unit.name);
        let outcome = run_unit(pipeline, &unit);
        serde_json::to_writer(&mut output, &outcome)?;
        writeln!(output)?;
        output.flush()?;
    }
    Ok(())
}

/// Runs a short text and a short page through the pipeline, so that what it builds on first
/// use (tables, patterns) is not counted in the time and memory of the first unit.
fn warm_up(pipeline: &Pipeline) {
    let text = "Ceasefire holds in border town\n\nThe ceasefire held overnight, residents said \
        on Sunday. About 300 soldiers left the town on 4 March 2026.";
    let page =
        format!("<html><head><title>Ceasefire</title></head><body><p>{text}</p></body></html>");
    let docs = [
        RawDoc {
            source: "warm-up.txt".into(),
            text: Some(text.into()),
            ..RawDoc::default()
        },
        RawDoc {
            source: "warm-up.html".into(),
            html: Some(page),
            ..RawDoc::default()
        },
    ];
    let done: Result<(), std::convert::Infallible> =
        sitrep_pipeline::extract(pipeline, docs.into_iter().map(Ok), |_| Ok(()));
    let Ok(()) = done;
}

fn simulate_fault(faults: &str, name: &str) {
    for fault in faults.split(',') {
        match fault.split_once(':') {
            Some(("hang", target)) if !target.is_empty() && name.ends_with(target) => loop {
                std::thread::sleep(Duration::from_secs(3600));
            },
            Some(("abort", target)) if !target.is_empty() && name.ends_with(target) => {
                eprintln!("{name}: aborting as {TEST_FAULTS_VAR} asks");
                std::process::abort();
            }
            _ => {}
        }
    }
}

fn run_unit(pipeline: &Pipeline, unit: &Unit) -> Outcome {
    let mut outcome = Outcome {
        id: unit.id,
        ..Outcome::default()
    };
    let started = Instant::now();
    outcome.base_kb = memory::reset_peak_kb();
    let opts = ReadOptions::default();
    let mut inputs = match unit.range {
        None => read_inputs(std::slice::from_ref(&unit.path), &opts),
        Some((start, end)) => match read_range(&unit.path, start, end) {
            Ok(page) => {
                let as_html = ReadOptions {
                    input: Some(InputKind::Html),
                    ..opts
                };
                Inputs::from_reader(unit.name.clone(), io::Cursor::new(page), &as_html)
            }
            Err(err) => {
                let reason = format!("cannot read: {err}");
                let problem = Problem::new(unit.name.clone(), ProblemKind::Io, reason);
                let mut tally = Tally::default();
                tally.add(Err(problem), "refused");
                tally.finish(&mut outcome, None);
                return outcome;
            }
        },
    };
    // What each item was read as, in input order (extract hands results over in that order).
    let read_as: RefCell<Vec<&'static str>> = RefCell::new(Vec::new());
    let items = std::iter::from_fn(|| {
        let item = inputs.next()?;
        let kind = match inputs.reader() {
            Some("whole") => match &item {
                Ok(raw) if raw.html.is_some() => "html",
                Ok(_) => "text",
                Err(_) => "refused",
            },
            Some(reader) => reader,
            None => "nothing",
        };
        read_as.borrow_mut().push(kind);
        Some(item)
    });
    let mut tally = Tally::default();
    let mut index = 0;
    let done: Result<(), std::convert::Infallible> =
        sitrep_pipeline::extract(pipeline, items, |result| {
            tally.add(result.map(|_| ()), read_as.borrow()[index]);
            index += 1;
            Ok(())
        });
    let Ok(()) = done;
    outcome.secs = started.elapsed().as_secs_f64();
    outcome.peak_kb = memory::peak_kb();
    let last_reader = inputs.reader();
    tally.finish(&mut outcome, last_reader);
    if unit.range.is_none() {
        outcome.feed_items = read_for_scan(&unit.path).and_then(|b| feed_items(&b));
    }
    outcome
}

/// The counts of one unit's results.
#[derive(Default)]
struct Tally {
    first_read_as: Option<&'static str>,
    documents: usize,
    problems: Vec<(ProblemKind, usize)>,
    examples: Vec<Problem>,
    feed_documents: usize,
    feed_problems: usize,
}

impl Tally {
    fn add(&mut self, result: Result<(), Problem>, read_as: &'static str) {
        self.first_read_as.get_or_insert(read_as);
        let feed = read_as == "feed";
        match result {
            Ok(()) => {
                self.documents += 1;
                self.feed_documents += usize::from(feed);
            }
            Err(problem) => {
                // A problem with a whole feed (no items, items past the bound) is not an item.
                let item = problem.source.contains("#item-");
                self.feed_problems += usize::from(feed && item);
                let count = match self.problems.iter_mut().find(|(k, _)| *k == problem.kind) {
                    Some((_, count)) => count,
                    None => {
                        self.problems.push((problem.kind, 0));
                        &mut self.problems.last_mut().expect("just pushed").1
                    }
                };
                *count += 1;
                if *count <= EXAMPLES_PER_KIND {
                    self.examples.push(problem);
                }
            }
        }
    }

    fn finish(self, outcome: &mut Outcome, last_reader: Option<&'static str>) {
        // An input that gave nothing (a WARC file of requests only) is named by its reader.
        let read_as = self
            .first_read_as
            .or(last_reader.filter(|r| *r != "whole"))
            .unwrap_or("nothing");
        outcome.read_as = read_as.to_string();
        outcome.documents = self.documents;
        outcome.problems = self.problems;
        outcome.examples = self.examples;
        outcome.feed_documents = self.feed_documents;
        outcome.feed_problems = self.feed_problems;
    }
}

fn read_range(path: &Path, start: u64, end: u64) -> io::Result<Vec<u8>> {
    let mut file = std::fs::File::open(path)?;
    file.seek(io::SeekFrom::Start(start))?;
    let mut page = Vec::new();
    file.take(end.saturating_sub(start))
        .read_to_end(&mut page)?;
    Ok(page)
}

/// A regular file's bytes for the feed count, unless it is over the scan limit.
fn read_for_scan(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_SCAN_BYTES {
        return None;
    }
    std::fs::read(path).ok()
}
