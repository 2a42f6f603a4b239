//! `kill -9` during an ingest: the database opens, holds only whole documents, and the same
//! ingest run again completes the rest without duplicates.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sitrep_model::content_id;
use sitrep_store::{Store, StoreError};

const DOCS: u64 = 2_000;

fn sitrep() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
}

#[test]
fn kill_9_during_ingest_loses_nothing_committed_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let db = dir.path().join("crash.db");
    let status = sitrep()
        .args(["generate", "--docs", &DOCS.to_string(), "--output"])
        .arg(&corpus)
        .status()
        .unwrap();
    assert!(status.success());

    let ingest = || {
        let mut cmd = sitrep();
        cmd.arg("ingest")
            .arg(&corpus)
            .arg("--db")
            .arg(&db)
            .args(["--quiet", "--batch-size", "50"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    };

    let mut child = ingest().spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    let stored_before_kill = loop {
        assert!(Instant::now() < deadline, "ingest stored nothing in time");
        if let Some(status) = child.try_wait().unwrap() {
            panic!("ingest finished ({status}) before it could be killed");
        }
        if db.exists()
            && let Ok(store) = sitrep_store::open(&db)
            && let Ok(stats) = store.stats()
            && stats.documents >= 200
        {
            break stats.documents;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let store = sitrep_store::open(&db).expect("the database opens after kill -9");
    assert!(store.check_integrity().unwrap().is_empty());
    let stats = store.stats().unwrap();
    assert!(stats.documents >= stored_before_kill);
    assert!(
        stats.documents < DOCS,
        "the kill came too late to test anything"
    );
    // Whole documents only: every stored row decodes and its id is its body's hash.
    let mut checked = 0u64;
    sitrep_store::for_each_document(&store, |doc| {
        assert_eq!(doc.id, content_id(&doc.text));
        assert!(!doc.sentences.is_empty());
        checked += 1;
        Ok::<_, StoreError>(())
    })
    .unwrap();
    assert_eq!(checked, stats.documents);
    drop(store);

    let out = ingest().output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let done = DOCS - stats.documents;
    assert!(
        stderr.contains(&format!(
            "ingested {done}, unchanged {}, skipped 0",
            stats.documents
        )),
        "{stderr}"
    );
    let store = sitrep_store::open(&db).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.documents, DOCS);
    assert_eq!(stats.sources, DOCS);
}
