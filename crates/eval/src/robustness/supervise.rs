//! The parent side: hands units to worker processes one at a time, enforces the time limit,
//! and turns a worker's death into a crash of the unit it was on.
//!
//! Each worker thread of the parent owns one child process. It sends a unit, then waits for
//! its outcome line: past the time limit the child is killed and the unit counted as a hang;
//! if the child's output ends first, the unit is a crash, with the child's exit status and
//! the last lines it wrote to stderr. Either way a fresh child (models loaded again) takes the
//! remaining units.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::units::Unit;
use super::worker::{Outcome, READY};

/// Lines of a crashed worker's stderr kept for the report.
const STDERR_LINES: usize = 6;

/// How the evaluation runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The most one unit may take.
    pub timeout: Duration,
    /// Worker processes side by side.
    pub workers: usize,
    /// The most a worker may take to load its models and say it is ready.
    pub startup: Duration,
}

/// How one unit ended.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitResult {
    Done(Outcome),
    /// The worker died on it: its exit status and last stderr lines.
    Crashed {
        status: String,
        stderr: Vec<String>,
    },
    /// It ran past the time limit and its worker was killed.
    Hung,
}

/// Runs every unit in a worker started by `spawn` (a command whose standard input, output and
/// error are set here), returning each unit's result in unit order. An error means the
/// evaluation itself could not run: a worker that does not start.
pub fn run_units(
    units: &[Unit],
    settings: &Settings,
    spawn: &(dyn Fn() -> Command + Sync),
) -> Result<Vec<UnitResult>, String> {
    let queue = Mutex::new((0..units.len()).collect::<VecDeque<usize>>());
    let results: Mutex<Vec<Option<UnitResult>>> = Mutex::new(vec![None; units.len()]);
    let stop = AtomicBool::new(false);
    let workers = settings.workers.clamp(1, units.len().max(1));
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut worker: Option<Worker> = None;
                    while !stop.load(Ordering::Relaxed) {
                        let Some(index) = queue.lock().expect("queue").pop_front() else {
                            break;
                        };
                        let mut current = match worker.take() {
                            Some(w) => w,
                            None => match Worker::start(spawn, settings.startup) {
                                Ok(w) => w,
                                Err(err) => {
                                    stop.store(true, Ordering::Relaxed);
                                    return Err(err);
                                }
                            },
                        };
                        let result = current.run(&units[index], settings.timeout);
                        if matches!(result, UnitResult::Done(_)) {
                            worker = Some(current);
                        }
                        results.lock().expect("results")[index] = Some(result);
                    }
                    if let Some(w) = worker {
                        w.finish();
                    }
                    Ok(())
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("a supervising thread panicked")?;
        }
        Ok::<(), String>(())
    })?;
    let results = results.into_inner().expect("results");
    Ok(results
        .into_iter()
        .map(|r| r.expect("every unit ran"))
        .collect())
}

/// One worker process and the threads reading its output.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    readers: Vec<JoinHandle<()>>,
}

impl Worker {
    fn start(spawn: &(dyn Fn() -> Command + Sync), startup: Duration) -> Result<Worker, String> {
        let mut command = spawn();
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|err| format!("cannot start a worker: {err}"))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let (send, lines) = std::sync::mpsc::channel();
        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        let tail = Arc::clone(&stderr_tail);
        let readers = vec![
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if send.send(line).is_err() {
                        break;
                    }
                }
            }),
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let mut tail = tail.lock().expect("stderr tail");
                    if tail.len() == STDERR_LINES {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            }),
        ];
        let mut worker = Worker {
            child,
            stdin,
            lines,
            stderr_tail,
            readers,
        };
        match worker.lines.recv_timeout(startup) {
            Ok(line) if line == READY => Ok(worker),
            Ok(line) => {
                let (status, stderr) = worker.kill();
                Err(format!(
                    "a worker did not start ({status}): it wrote {line:?}; stderr: {}",
                    stderr.join(" | ")
                ))
            }
            Err(RecvTimeoutError::Timeout) => {
                worker.kill();
                Err(format!(
                    "a worker did not start within {} s",
                    startup.as_secs()
                ))
            }
            Err(RecvTimeoutError::Disconnected) => {
                let (status, stderr) = worker.wait();
                Err(format!(
                    "a worker did not start ({status}): {}",
                    stderr.join(" | ")
                ))
            }
        }
    }

    /// Runs one unit. A worker whose unit did not end `Done` is gone.
    fn run(&mut self, unit: &Unit, timeout: Duration) -> UnitResult {
        let mut line = serde_json::to_string(unit).expect("a unit serialises");
        line.push('\n');
        if self
            .stdin
            .write_all(line.as_bytes())
            .and_then(|()| self.stdin.flush())
            .is_err()
        {
            return self.crashed();
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => match serde_json::from_str::<Outcome>(&line) {
                    Ok(outcome) if outcome.id == unit.id => return UnitResult::Done(outcome),
                    // Anything else on stdout is not a result: keep it for a crash report.
                    _ => self.remember(line),
                },
                Err(RecvTimeoutError::Timeout) => {
                    self.kill();
                    return UnitResult::Hung;
                }
                Err(RecvTimeoutError::Disconnected) => return self.crashed(),
            }
        }
    }

    fn remember(&self, line: String) {
        let mut tail = self.stderr_tail.lock().expect("stderr tail");
        if tail.len() == STDERR_LINES {
            tail.pop_front();
        }
        tail.push_back(format!("(stdout) {line}"));
    }

    fn crashed(&mut self) -> UnitResult {
        let (status, stderr) = self.wait();
        UnitResult::Crashed { status, stderr }
    }

    fn kill(&mut self) -> (String, Vec<String>) {
        // It may have exited already; the wait below reports how.
        let _ = self.child.kill();
        self.wait()
    }

    /// Waits for the child to end and its output to be read; its status and stderr tail.
    fn wait(&mut self) -> (String, Vec<String>) {
        let status = match self.child.wait() {
            Ok(status) => status.to_string(),
            Err(err) => format!("cannot wait for it: {err}"),
        };
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        let stderr = self.stderr_tail.lock().expect("stderr tail");
        (status, stderr.iter().cloned().collect())
    }

    /// Closes the worker's input (it stops at the end of it) and waits for it.
    fn finish(mut self) {
        drop(self.stdin);
        let _ = self.child.wait();
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }
}
