//! The evaluation's report: counts per folder given and over all, and how to print them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use sitrep_model::{Problem, ProblemKind};

use super::supervise::UnitResult;
use super::units::{Found, Unit};

/// Example reasons printed per problem kind.
const EXAMPLES: usize = 3;

/// The smallest input whose memory is also reported as a multiple of its size: below it, the
/// few hundred kB any document costs make the multiple meaningless.
const MIN_RATIO_BYTES: u64 = 64 * 1024;

/// What one folder (or all of them) gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// The folder as given; `None` for the total.
    pub dir: Option<PathBuf>,
    pub files: usize,
    pub inputs: usize,
    pub documents: usize,
    pub skipped: usize,
    /// Problems by kind, with a few examples each.
    pub problems: BTreeMap<ProblemKind, (usize, Vec<Problem>)>,
    /// Inputs by the reader they went to (see [`super::Outcome::read_as`]).
    pub read_as: BTreeMap<String, usize>,
    pub crashes: Vec<Crash>,
    pub hangs: Vec<String>,
    /// Inputs that are feeds by the independent count, and what came of their items.
    pub feeds: Feeds,
    /// The same, for inputs under a `wellformed` folder.
    pub wellformed: Feeds,
    pub wellformed_files: usize,
    /// The unit whose peak memory rose most over its worker's resident set before it.
    pub peak: Option<Peak>,
    /// Of the units of at least 64 kB, the one whose rise is the largest multiple of its size.
    pub peak_ratio: Option<Peak>,
    /// The highest peak resident set of a worker during any unit, in kB.
    pub highest_kb: u64,
    /// Seconds spent in units, and the slowest.
    pub busy_secs: f64,
    pub slowest: Option<(String, f64)>,
}

/// A unit that took its worker down.
#[derive(Debug, Clone, PartialEq)]
pub struct Crash {
    pub input: String,
    pub status: String,
    pub stderr: Vec<String>,
}

/// Feeds found by the independent count and what came out of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feeds {
    pub files: usize,
    /// Items they hold.
    pub items: usize,
    /// Of those files, the ones read as feeds, and the items these hold.
    pub read_as_feed: usize,
    pub items_of_read: usize,
    /// Items that came out of them: documents and problems.
    pub item_documents: usize,
    pub item_problems: usize,
    /// Feeds that were read as something else: by what, files and the items they hold.
    pub misread: BTreeMap<String, (usize, usize)>,
}

/// The largest rise in memory over a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Peak {
    pub input: String,
    pub size: u64,
    pub base_kb: u64,
    pub peak_kb: u64,
}

/// The whole evaluation: one summary per folder given, then the total.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub folders: Vec<Summary>,
    pub total: Summary,
    pub wall_secs: f64,
    pub timeout_secs: f64,
    pub workers: usize,
}

impl Report {
    /// Tallies every unit's result into its folder's summary and the total.
    pub fn new(dirs: &[PathBuf], found: &Found, results: &[UnitResult]) -> Report {
        let mut folders: Vec<Summary> = dirs
            .iter()
            .zip(&found.files)
            .map(|(dir, &files)| Summary {
                dir: Some(dir.clone()),
                files,
                ..Summary::default()
            })
            .collect();
        let mut total = Summary {
            files: found.files.iter().sum(),
            ..Summary::default()
        };
        for (root, problem) in &found.problems {
            for summary in [&mut folders[*root], &mut total] {
                summary.add_problems(&[(problem.kind, 1)], std::slice::from_ref(problem));
            }
        }
        for (unit, result) in found.units.iter().zip(results) {
            for summary in [&mut folders[unit.root], &mut total] {
                summary.add(unit, result);
            }
        }
        Report {
            folders,
            total,
            wall_secs: 0.0,
            timeout_secs: 0.0,
            workers: 0,
        }
    }

    /// No crash and no hang.
    pub fn passed(&self) -> bool {
        self.total.crashes.is_empty() && self.total.hangs.is_empty()
    }
}

impl Summary {
    fn add(&mut self, unit: &Unit, result: &UnitResult) {
        self.inputs += 1;
        self.wellformed_files += usize::from(unit.wellformed);
        let outcome = match result {
            UnitResult::Done(outcome) => outcome,
            UnitResult::Crashed { status, stderr } => {
                self.crashes.push(Crash {
                    input: unit.name.clone(),
                    status: status.clone(),
                    stderr: stderr.clone(),
                });
                return;
            }
            UnitResult::Hung => {
                self.hangs.push(unit.name.clone());
                return;
            }
        };
        self.documents += outcome.documents;
        self.add_problems(&outcome.problems, &outcome.examples);
        *self.read_as.entry(outcome.read_as.clone()).or_default() += 1;
        if let Some(items) = outcome.feed_items {
            self.feeds.add(outcome, items);
            if unit.wellformed {
                self.wellformed.add(outcome, items);
            }
        }
        self.busy_secs += outcome.secs;
        if self.slowest.as_ref().is_none_or(|(_, s)| outcome.secs > *s) {
            self.slowest = Some((unit.name.clone(), outcome.secs));
        }
        if let (Some(base_kb), Some(peak_kb)) = (outcome.base_kb, outcome.peak_kb) {
            self.highest_kb = self.highest_kb.max(peak_kb);
            let rise = peak_kb.saturating_sub(base_kb);
            let peak = Peak {
                input: unit.name.clone(),
                size: unit.size,
                base_kb,
                peak_kb,
            };
            if unit.size >= MIN_RATIO_BYTES
                && self
                    .peak_ratio
                    .as_ref()
                    .is_none_or(|p| peak.ratio() > p.ratio())
            {
                self.peak_ratio = Some(peak.clone());
            }
            if self.peak.as_ref().is_none_or(|p| rise > p.rise_kb()) {
                self.peak = Some(peak);
            }
        }
    }

    fn add_problems(&mut self, counts: &[(ProblemKind, usize)], examples: &[Problem]) {
        for &(kind, n) in counts {
            self.skipped += n;
            self.problems.entry(kind).or_default().0 += n;
        }
        for example in examples {
            let (_, kept) = self.problems.entry(example.kind).or_default();
            if kept.len() < EXAMPLES {
                kept.push(example.clone());
            }
        }
    }
}

impl Feeds {
    fn add(&mut self, outcome: &super::Outcome, items: usize) {
        self.files += 1;
        self.items += items;
        if outcome.read_as == "feed" {
            self.read_as_feed += 1;
            self.items_of_read += items;
            self.item_documents += outcome.feed_documents;
            self.item_problems += outcome.feed_problems;
        } else {
            let misread = self.misread.entry(outcome.read_as.clone()).or_default();
            misread.0 += 1;
            misread.1 += items;
        }
    }

    fn items_out(&self) -> usize {
        self.item_documents + self.item_problems
    }
}

impl Peak {
    fn rise_kb(&self) -> u64 {
        self.peak_kb.saturating_sub(self.base_kb)
    }

    /// The rise as a multiple of the input's size.
    fn ratio(&self) -> f64 {
        self.rise_kb() as f64 * 1024.0 / self.size.max(1) as f64
    }
}

impl fmt::Display for Peak {
    /// "+1.2 MB over the worker's 122.3 MB (to 123.4 MB), 381.4 times the input's 3.2 kB: NAME"
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "+{} over the worker's {} (to {}), {:.1} times the input's {}: {}",
            mb(self.rise_kb()),
            mb(self.base_kb),
            mb(self.peak_kb),
            self.ratio(),
            size(self.size),
            self.input
        )
    }
}

fn mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.dir {
            Some(dir) => writeln!(f, "{}", dir.display())?,
            None => writeln!(f, "all folders")?,
        }
        writeln!(
            f,
            "  files {}, inputs {}, documents {}, skipped {}, crashes {}, hangs {}",
            self.files,
            self.inputs,
            self.documents,
            self.skipped,
            self.crashes.len(),
            self.hangs.len()
        )?;
        if !self.read_as.is_empty() {
            let kinds: Vec<String> = self
                .read_as
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            writeln!(f, "  read as: {}", kinds.join(", "))?;
        }
        if !self.problems.is_empty() {
            writeln!(f, "  skipped by kind:")?;
            for (kind, (n, examples)) in &self.problems {
                writeln!(f, "    {kind} {n}")?;
                for example in examples {
                    writeln!(f, "      e.g. {example}")?;
                }
            }
        }
        let feeds = &self.feeds;
        if feeds.files > 0 {
            writeln!(
                f,
                "  feeds (counted without the feed reader): {} inputs holding {} items; read as \
                 feeds {}, holding {}: items out {} ({} documents, {} problems)",
                feeds.files,
                feeds.items,
                feeds.read_as_feed,
                feeds.items_of_read,
                feeds.items_out(),
                feeds.item_documents,
                feeds.item_problems
            )?;
            if !feeds.misread.is_empty() {
                let misread: Vec<String> = feeds
                    .misread
                    .iter()
                    .map(|(k, (n, items))| format!("{k} {n} ({items} items)"))
                    .collect();
                writeln!(f, "    not read as feeds: {}", misread.join(", "))?;
            }
        }
        if self.wellformed_files > 0 {
            let w = &self.wellformed;
            writeln!(
                f,
                "  under wellformed/: {} inputs, {} feeds holding {} items; read as feeds {}: \
                 items out {} of {} held",
                self.wellformed_files,
                w.files,
                w.items,
                w.read_as_feed,
                w.items_out(),
                w.items
            )?;
        }
        if let Some(peak) = &self.peak {
            writeln!(f, "  peak memory: {peak}; highest {}", mb(self.highest_kb))?;
        }
        if let Some(peak) = &self.peak_ratio {
            writeln!(f, "    largest multiple (inputs of 64 kB or more): {peak}")?;
        }
        if let Some((input, secs)) = &self.slowest {
            writeln!(
                f,
                "  time: {:.1} s in inputs; slowest {:.2} s: {input}",
                self.busy_secs, secs
            )?;
        }
        for crash in &self.crashes {
            writeln!(f, "  CRASH {}: {}", crash.input, crash.status)?;
            for line in &crash.stderr {
                writeln!(f, "    | {line}")?;
            }
        }
        for hang in &self.hangs {
            writeln!(f, "  HANG {hang}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "robustness evaluation: {} folders, {} inputs, {} s per input, {} workers",
            self.folders.len(),
            self.total.inputs,
            self.timeout_secs,
            self.workers
        )?;
        for folder in &self.folders {
            write!(f, "{folder}")?;
        }
        if self.folders.len() > 1 {
            write!(f, "{}", self.total)?;
        }
        let crashes = self.total.crashes.len();
        let hangs = self.total.hangs.len();
        let verdict = if self.passed() { "ok" } else { "FAILED" };
        writeln!(
            f,
            "robustness: {crashes} crashes, {hangs} hangs in {:.1} s: {verdict}",
            self.wall_secs
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::robustness::Outcome;

    fn unit(id: usize, root: usize, name: &str, size: u64) -> Unit {
        Unit {
            id,
            root,
            path: PathBuf::from(name),
            name: name.to_string(),
            range: None,
            size,
            wellformed: name.contains("/wellformed/"),
        }
    }

    #[test]
    fn folders_and_the_total_tally_their_units() {
        let dirs = [PathBuf::from("a"), PathBuf::from("b")];
        let found = Found {
            units: vec![
                unit(0, 0, "a/wellformed/atom03.xml", 2_000),
                unit(1, 0, "a/wellformed/rss.xml", 100_000),
                unit(2, 1, "b/page.html", 50),
                unit(3, 1, "b/slow.txt", 10),
            ],
            files: vec![2, 2],
            problems: vec![],
        };
        let kb = |base, peak| (Some(base), Some(peak));
        let done = |id, read_as: &str, documents, memory: (Option<u64>, Option<u64>)| Outcome {
            id,
            read_as: read_as.to_string(),
            documents,
            base_kb: memory.0,
            peak_kb: memory.1,
            secs: 0.5,
            ..Outcome::default()
        };
        let no_link = Problem::new("a/wellformed/rss.xml#item-2", ProblemKind::Offline, "link");
        let results = [
            UnitResult::Done(Outcome {
                feed_items: Some(3),
                ..done(0, "text", 1, kb(100_000, 101_000))
            }),
            UnitResult::Done(Outcome {
                feed_items: Some(2),
                feed_documents: 1,
                feed_problems: 1,
                problems: vec![(ProblemKind::Offline, 1)],
                examples: vec![no_link.clone()],
                ..done(1, "feed", 1, kb(100_000, 100_500))
            }),
            UnitResult::Crashed {
                status: "signal: 6 (SIGABRT)".into(),
                stderr: vec!["stack overflow".into()],
            },
            UnitResult::Hung,
        ];
        let report = Report::new(&dirs, &found, &results);
        assert!(!report.passed());
        let a = &report.folders[0];
        assert_eq!((a.files, a.inputs, a.documents, a.skipped), (2, 2, 2, 1));
        assert_eq!(a.problems[&ProblemKind::Offline], (1, vec![no_link]));
        assert_eq!(a.feeds.files, 2);
        assert_eq!(a.feeds.items, 5);
        assert_eq!((a.feeds.read_as_feed, a.feeds.items_of_read), (1, 2));
        assert_eq!((a.feeds.item_documents, a.feeds.item_problems), (1, 1));
        assert_eq!(a.feeds.misread["text"], (1, 3));
        assert_eq!(a.wellformed, a.feeds);
        assert_eq!(a.wellformed_files, 2);
        // The largest rise is the small file's; the largest multiple, of the larger input.
        assert_eq!(a.peak.as_ref().unwrap().input, "a/wellformed/atom03.xml");
        assert_eq!(a.peak_ratio.as_ref().unwrap().input, "a/wellformed/rss.xml");
        assert_eq!(a.highest_kb, 101_000);
        assert!(a.crashes.is_empty() && a.hangs.is_empty());
        let b = &report.folders[1];
        assert_eq!((b.inputs, b.documents, b.crashes.len()), (2, 0, 1));
        assert_eq!(b.crashes[0].input, "b/page.html");
        assert_eq!(b.hangs, ["b/slow.txt"]);
        assert_eq!(b.peak, None);
        let total = &report.total;
        assert_eq!((total.files, total.inputs, total.documents), (4, 4, 2));
        assert_eq!((total.crashes.len(), total.hangs.len()), (1, 1));
        let printed = report.to_string();
        assert!(
            printed.contains("  CRASH b/page.html: signal: 6 (SIGABRT)\n    | stack overflow\n")
        );
        assert!(printed.contains("    not read as feeds: text 1 (3 items)\n"));
        assert!(printed.ends_with("robustness: 1 crashes, 1 hangs in 0.0 s: FAILED\n"));
    }
}
