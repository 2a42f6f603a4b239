//! Robustness over other projects' test inputs: every input must give documents or clear
//! reasons, never a crash or a hang (`sitrep eval robustness DIR...`).
//!
//! The inputs ([`find_units`]) are every regular file under the folders given, walked as
//! `ingest` walks them, except html5lib tree-construction files, whose `#data` pages are one
//! HTML input each. Each goes through what `sitrep extract` does: the reader, then the whole
//! pipeline with the default models ([`serve`]), offline.
//!
//! Why worker processes: the point is to count a crash, not to die of it. A stack overflow
//! aborts the whole process (no unwinding catches it), so the units run in child processes
//! of the same binary, one unit at a time per child, the models loaded once per child
//! ([`run_units`]). A child that dies (a signal or an exit status, its last stderr lines
//! kept) is a crash of the unit it was on; a unit past the time limit is a hang and its child
//! is killed; either way a new child takes the rest.
//!
//! What is measured, per folder and over all ([`Report`]): files, inputs, documents,
//! problems by kind with examples, crashes, hangs, the reader each input went to, the time
//! in inputs and the slowest, and peak memory: before each unit the worker resets Linux's
//! peak resident set (`/proc/self/clear_refs`), so the rise of `VmHWM` over the resident set
//! before the unit is that unit's own, reported with its multiple of the input's size. Memory
//! the allocator kept from earlier units is reused without raising the peak, so for small
//! inputs the rise is a lower bound; a unit needing more than that shows in full. For
//! feeds, the items each holds are counted without the feed reader (`items.rs`) and set
//! against the items that came out (documents and problems), also for the files under a
//! `wellformed` folder (feedparser's well-formed feeds).
//!
//! The time limit is wall-clock time per unit, models excluded (a worker is timed only once it
//! says it is ready). Measured on the three peer suites (2026-12-03, 2 cores under other
//! builds' load): 3,923 units in 8.5 s with two workers, the slowest unit 0.3 s, so the
//! default 10 s limit leaves a wide margin; the workers warm the pipeline up on a short
//! document before the first unit so that first-use costs are not charged to it.

mod dat;
mod items;
mod memory;
mod report;
mod supervise;
mod units;
mod worker;

pub use report::{Crash, Feeds, Peak, Report, Summary};
pub use supervise::{Settings, UnitResult, run_units};
pub use units::{Found, Unit, find_units};
pub use worker::{Outcome, TEST_FAULTS_VAR, serve};

/// One line about one unit, for a verbose listing.
pub fn describe(unit: &Unit, result: &UnitResult) -> String {
    match result {
        UnitResult::Done(o) => {
            let problems: Vec<String> =
                o.problems.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let feed = o
                .feed_items
                .map(|n| {
                    format!(
                        ", feed of {n} items: {} out",
                        o.feed_documents + o.feed_problems
                    )
                })
                .unwrap_or_default();
            let peak = match (o.base_kb, o.peak_kb) {
                (Some(base), Some(peak)) => format!(", +{} kB", peak.saturating_sub(base)),
                _ => String::new(),
            };
            format!(
                "{}: {}, {} documents, problems [{}]{feed}, {:.3} s{peak}",
                unit.name,
                o.read_as,
                o.documents,
                problems.join(", "),
                o.secs
            )
        }
        UnitResult::Crashed { status, .. } => format!("{}: CRASH ({status})", unit.name),
        UnitResult::Hung => format!("{}: HANG", unit.name),
    }
}
