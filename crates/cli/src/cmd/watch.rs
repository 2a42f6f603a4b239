//! `sitrep watch FEEDS.txt`: poll feeds, ingest their new items, never fetch an item twice.
//!
//! Each round polls the feeds of the list in order. A feed is asked for with the validators
//! of its last response (conditional GET), so an unchanged feed costs the server one
//! `304 Not Modified`. Its items are compared with those the store has handled (by feed and
//! item key, and by link across feeds: an article two feeds list is fetched once); only new
//! items become documents, from their own content or by fetching their link through the one
//! polite [`Fetcher`] (per-host delay, caps), and go through the usual pipeline and store.
//!
//! Every handled item is recorded with its outcome (the stored document, or why there is
//! none), except when fetching it failed in a way that may pass (timeout, network, 429, 5xx):
//! those are tried again next round. Ctrl-C stops between items and between feeds; what was
//! not handled is not recorded, so the next run picks it up.

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Args;
use sitrep_pipeline::Pipeline;
use sitrep_read::feed::{Feed, parse_feed};
use sitrep_read::fetch::{Fetched, Fetcher, Validators};
use sitrep_read::{Problem, ProblemKind};
use sitrep_store::{FeedItemRecord, FeedLog, FeedState, SqliteStore};

use crate::cmd::DbArgs;
use crate::{EXIT_OK, EXIT_PARTIAL};

#[derive(Args)]
pub struct WatchArgs {
    /// A file listing feeds, one URL (or file path, relative to this file) per line; `#`
    /// starts a comment.
    #[arg(value_name = "FEEDS.txt")]
    pub feeds: PathBuf,
    #[command(flatten)]
    pub db: DbArgs,
    /// Time between two polls of the list ("15m", "1h", "90s").
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = humantime::parse_duration)]
    pub every: std::time::Duration,
    /// Poll every feed once and exit (for cron and tests).
    #[arg(long)]
    pub once: bool,
    /// Pause between two requests to the same web host.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = humantime::parse_duration)]
    pub host_delay: std::time::Duration,
    /// Skip any feed or page larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    pub max_doc_size: usize,
    /// Print only problems and the per-round summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Publication date for items whose feed and page give none.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub published: Option<NaiveDate>,
    /// Add the tokens layer to each stored document.
    #[arg(long)]
    pub tokens: bool,
    /// NLP model directory (default: SITREP_MODELS, else data/models above the working
    /// directory or the executable).
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

/// Documents per store transaction while ingesting one feed's new items.
const BATCH: usize = 32;

/// One line of the feed list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FeedLocation {
    Url(String),
    File(PathBuf),
}

impl FeedLocation {
    /// The name the store keeps the feed under.
    fn key(&self) -> String {
        match self {
            FeedLocation::Url(url) => url.clone(),
            FeedLocation::File(path) => path.display().to_string(),
        }
    }
}

/// Reads the feed list: one feed per line, blank lines and `#` comments ignored; paths are
/// relative to the list's folder.
fn read_feed_list(path: &Path) -> Result<Vec<FeedLocation>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the feed list {}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    Ok(parse_feed_list(&text, base))
}

fn parse_feed_list(text: &str, base: &Path) -> Vec<FeedLocation> {
    text.lines()
        .map(|line| {
            // A comment starts a line or follows whitespace (URLs may hold a '#').
            let line = line.trim();
            match line.find(" #").or_else(|| line.find("\t#")) {
                Some(at) => line[..at].trim(),
                None => line,
            }
        })
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                FeedLocation::Url(line.to_string())
            } else {
                FeedLocation::File(base.join(line))
            }
        })
        .collect()
}

pub fn run(args: WatchArgs) -> Result<u8> {
    let feeds = read_feed_list(&args.feeds)?;
    if feeds.is_empty() {
        bail!("no feeds listed in {}", args.feeds.display());
    }
    let mut store = sitrep_store::open(&args.db.db).context("cannot open the database")?;
    let fetcher = super::fetcher(args.max_doc_size, args.host_delay);
    let pipeline = Pipeline::load(super::pipeline_config(
        args.models.as_deref(),
        args.tokens,
        args.published,
    ))?;
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        // Only fails when a handler is already set (never in this binary): then Ctrl-C
        // simply ends the process, which loses at most the batch being written.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let mut watcher = Watcher {
        store: &mut store,
        fetcher: &fetcher,
        pipeline: &pipeline,
        max_bytes: args.max_doc_size,
        stop: &stop,
        quiet: args.quiet,
    };
    loop {
        let started = Instant::now();
        let mut round = RoundTotals::default();
        for feed in &feeds {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let report = watcher.poll(feed)?;
            round.add(&report);
            watcher.print(feed, &report);
        }
        eprintln!(
            "round: {} feeds polled ({} not modified), {} new items, {} stored, {} problems",
            round.feeds, round.not_modified, round.new_items, round.stored, round.problems
        );
        if args.once || stop.load(Ordering::SeqCst) {
            return Ok(if round.problems == 0 {
                EXIT_OK
            } else {
                EXIT_PARTIAL
            });
        }
        let next = started + args.every;
        while Instant::now() < next && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(
                next.saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(250)),
            );
        }
        if stop.load(Ordering::SeqCst) {
            return Ok(EXIT_OK);
        }
    }
}

#[derive(Default)]
struct RoundTotals {
    feeds: u64,
    not_modified: u64,
    new_items: u64,
    stored: u64,
    problems: u64,
}

impl RoundTotals {
    fn add(&mut self, report: &FeedReport) {
        self.feeds += 1;
        self.not_modified += u64::from(report.not_modified);
        self.new_items += report.new_items;
        self.stored += report.stored;
        self.problems += report.problems.len() as u64;
    }
}

/// What polling one feed did.
#[derive(Debug, Default)]
struct FeedReport {
    not_modified: bool,
    /// Items not handled before this poll.
    new_items: u64,
    /// New documents stored.
    stored: u64,
    /// Items whose document was already stored (same content).
    unchanged: u64,
    /// Items left for the next round (transient failures, or a stop).
    retry: u64,
    problems: Vec<Problem>,
}

/// How one new item went.
enum Attempt {
    /// A document was made; whether it was stored is known after the ingest.
    Document {
        key: String,
        link: Option<String>,
        source: String,
    },
    /// No document, for good.
    Failed {
        key: String,
        link: Option<String>,
        reason: String,
    },
    /// No document this time; try again next round.
    Transient,
}

struct Watcher<'a> {
    store: &'a mut SqliteStore,
    fetcher: &'a Fetcher,
    pipeline: &'a Pipeline,
    max_bytes: usize,
    stop: &'a AtomicBool,
    quiet: bool,
}

impl Watcher<'_> {
    fn print(&self, feed: &FeedLocation, report: &FeedReport) {
        for problem in &report.problems {
            eprintln!("sitrep: skipped {problem}");
        }
        if self.quiet {
            return;
        }
        if report.not_modified {
            eprintln!("{}: not modified", feed.key());
        } else {
            eprintln!(
                "{}: {} new items, {} stored, {} already stored, {} to retry, {} problems",
                feed.key(),
                report.new_items,
                report.stored,
                report.unchanged,
                report.retry,
                report.problems.len()
            );
        }
    }

    fn poll(&mut self, feed: &FeedLocation) -> Result<FeedReport> {
        let key = feed.key();
        let mut report = FeedReport::default();
        let mut state = self.store.feed_state(&key)?.unwrap_or(FeedState {
            url: key.clone(),
            ..FeedState::default()
        });
        state.last_polled = Some(now());
        let problem = |kind, reason: String| Problem::new(key.clone(), kind, reason);
        let (bytes, validators) = match feed {
            FeedLocation::Url(url) => {
                let asked = Validators {
                    etag: state.etag.clone(),
                    last_modified: state.last_modified.clone(),
                };
                match self.fetcher.get_conditional(url, &asked) {
                    Ok(Fetched::NotModified(fresh)) => {
                        state.etag = fresh.etag.or(state.etag);
                        state.last_modified = fresh.last_modified.or(state.last_modified);
                        self.store.save_feed_state(&state)?;
                        report.not_modified = true;
                        return Ok(report);
                    }
                    Ok(Fetched::Page(page)) => (page.body, Some(page.validators)),
                    Err(err) => {
                        self.store.save_feed_state(&state)?;
                        let text = err.to_string();
                        let reason = text.strip_prefix(&format!("{url}: ")).unwrap_or(&text);
                        report
                            .problems
                            .push(problem(err.problem_kind(), reason.to_string()));
                        return Ok(report);
                    }
                }
            }
            FeedLocation::File(path) => match read_capped(path, self.max_bytes) {
                Ok(bytes) => (bytes, None),
                Err((kind, reason)) => {
                    report.problems.push(problem(kind, reason));
                    return Ok(report);
                }
            },
        };
        let base = matches!(feed, FeedLocation::Url(_)).then_some(key.as_str());
        let parsed = match parse_feed(&bytes, base) {
            Ok(parsed) => parsed,
            Err(reason) => {
                self.store.save_feed_state(&state)?;
                report
                    .problems
                    .push(problem(ProblemKind::MalformedFeed, reason));
                return Ok(report);
            }
        };
        self.ingest_new_items(&key, &parsed, &mut report)?;
        // Validators are saved only once the items are handled: a crash before this point
        // asks for the whole feed again rather than getting a 304 and missing items.
        if let Some(validators) = validators {
            state.etag = validators.etag;
            state.last_modified = validators.last_modified;
        }
        state.title = parsed.title.clone();
        self.store.save_feed_state(&state)?;
        Ok(report)
    }

    fn ingest_new_items(&mut self, key: &str, feed: &Feed, report: &mut FeedReport) -> Result<()> {
        let mut fresh = Vec::new();
        let mut links_this_round = HashSet::new();
        for (index, item) in feed.items.iter().enumerate() {
            if self.store.feed_item_handled(key, &item.key)? {
                continue;
            }
            if let Some(link) = &item.link {
                if self.store.link_handled(link)? {
                    let doc_id = self.store.doc_id_for_source(link)?;
                    self.store.record_feed_item(&FeedItemRecord {
                        feed: key,
                        item_key: &item.key,
                        link: Some(link),
                        doc_id: doc_id.as_deref(),
                        outcome: "already handled from another feed",
                    })?;
                    continue;
                }
                if !links_this_round.insert(link.clone()) {
                    continue;
                }
            }
            fresh.push(index);
        }
        report.new_items = fresh.len() as u64;
        if fresh.is_empty() {
            return Ok(());
        }
        let attempts = RefCell::new(Vec::with_capacity(fresh.len()));
        let fetcher = self.fetcher;
        let stop = self.stop;
        let documents = fresh.iter().map_while(|&index| {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            let item = &feed.items[index];
            let source = item.source(key, index);
            let problem = |kind, reason: String| Problem::new(source.clone(), kind, reason);
            let made = match item.own_document(feed, source.clone()) {
                Some(doc) => Ok(doc),
                None => match item.link.as_deref() {
                    None => Err((
                        false,
                        ProblemKind::NoText,
                        "feed item has neither its article nor a link to it".to_string(),
                    )),
                    Some(link) => match fetcher.get(link) {
                        Ok(page) => item
                            .fetched_document(feed, &page)
                            .map_err(|p| (false, p.kind, p.to_string())),
                        Err(err) => Err((err.is_transient(), err.problem_kind(), err.to_string())),
                    },
                },
            };
            let mut attempts = attempts.borrow_mut();
            Some(match made {
                Ok(doc) => {
                    attempts.push(Attempt::Document {
                        key: item.key.clone(),
                        link: item.link.clone(),
                        source: doc.source.clone(),
                    });
                    Ok(doc)
                }
                Err((true, kind, reason)) => {
                    attempts.push(Attempt::Transient);
                    Err(problem(kind, format!("{reason} (will retry)")))
                }
                Err((false, kind, reason)) => {
                    attempts.push(Attempt::Failed {
                        key: item.key.clone(),
                        link: item.link.clone(),
                        reason: reason.clone(),
                    });
                    Err(problem(kind, reason))
                }
            })
        });
        let ingest =
            sitrep_pipeline::ingest(self.pipeline, documents, self.store, BATCH, |_, _| {})
                .context("storing the feed's items")?;
        report.stored = ingest.progress.ingested;
        report.unchanged = ingest.progress.unchanged;
        let attempts = attempts.into_inner();
        // Items not reached before a stop are left for the next run.
        report.retry += report.new_items - attempts.len() as u64;
        for attempt in attempts {
            match attempt {
                Attempt::Transient => report.retry += 1,
                Attempt::Failed {
                    key: item_key,
                    link,
                    reason,
                } => {
                    self.store.record_feed_item(&FeedItemRecord {
                        feed: key,
                        item_key: &item_key,
                        link: link.as_deref(),
                        doc_id: None,
                        outcome: &reason,
                    })?;
                }
                Attempt::Document {
                    key: item_key,
                    link,
                    source,
                } => {
                    let doc_id = self.store.doc_id_for_source(&source)?;
                    let outcome = match &doc_id {
                        Some(_) => "stored".to_string(),
                        None => ingest
                            .problems
                            .iter()
                            .find(|p| p.source == source)
                            .map_or_else(|| "not stored".to_string(), |p| p.reason.clone()),
                    };
                    self.store.record_feed_item(&FeedItemRecord {
                        feed: key,
                        item_key: &item_key,
                        link: link.as_deref(),
                        doc_id: doc_id.as_deref(),
                        outcome: &outcome,
                    })?;
                }
            }
        }
        report.problems.extend(ingest.problems);
        Ok(())
    }
}

/// A feed file, refused when over the size cap.
fn read_capped(
    path: &Path,
    max_bytes: usize,
) -> std::result::Result<Vec<u8>, (ProblemKind, String)> {
    use std::io::Read;
    let file =
        std::fs::File::open(path).map_err(|e| (ProblemKind::Io, format!("cannot open: {e}")))?;
    let mut bytes = Vec::new();
    file.take(max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| (ProblemKind::Io, format!("cannot read: {e}")))?;
    if bytes.len() > max_bytes {
        return Err((
            ProblemKind::TooLarge,
            format!("feed is over the {max_bytes} bytes cap (--max-doc-size)"),
        ));
    }
    Ok(bytes)
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_list_lines_comments_and_paths() {
        let list = "# my feeds\n\nhttps://wire.example/rss.xml\n  http://b.example/feed#main  # note\nlocal/notes.xml\n\t# indented comment\n";
        assert_eq!(
            parse_feed_list(list, Path::new("/lists")),
            vec![
                FeedLocation::Url("https://wire.example/rss.xml".into()),
                FeedLocation::Url("http://b.example/feed#main".into()),
                FeedLocation::File(PathBuf::from("/lists/local/notes.xml")),
            ]
        );
    }
}
