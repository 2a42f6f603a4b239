//! sitrep's store: where analysed documents are kept, searched and exported.
//!
//! [`Store`] is the interface every front end writes and reads through (ingest, watch, the
//! listing and export commands, later the server); [`SqliteStore`] is the embedded
//! implementation (one file, default `sitrep.db`), and a shared server database (Postgres)
//! will come beside it behind the same trait. Only this crate knows SQL.
//!
//! What every implementation keeps:
//! - The primary key is the content id, so storing a document that is already there is a
//!   no-op ("unchanged"); every source it was read from is kept as provenance.
//! - Writes come in batches, one transaction per batch: a crash leaves whole batches only,
//!   and running the same ingest again adds what is missing without duplicates.
//! - A new document that is a near-duplicate of a stored one (or of one earlier in its batch)
//!   gets `duplicate_of` set to the first copy of the story, decided by
//!   [`sitrep_link::original_of`] over the candidates the store's band index returns.
//! - Every claim of a stored document is also a row of its own, written in the document's
//!   transaction, with its speaker: one record per speaker across documents by the rule of
//!   [`speakers`]. Re-storing a document adds no claim.
//! - Migrations never lose rows; one that adds a table for a layer fills it from the
//!   documents already stored.

use std::path::PathBuf;

use chrono::NaiveDate;
use sitrep_link::Signature;
use sitrep_model::Document;

mod claims;
mod feeds;
pub mod speakers;
mod sqlite;
pub use claims::{ClaimQuery, ClaimRecord, OutletProfile, SpeakerRef, SpeakerSummary};
pub use feeds::{FeedItemRecord, FeedLog, FeedState};
pub use sqlite::{MIGRATIONS, SqliteStore};

/// Errors of the store, each naming the database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: stored document {id} is not valid JSON: {source}")]
    Corrupt {
        path: PathBuf,
        id: String,
        source: serde_json::Error,
    },
    #[error("{path}: database schema version {found} is newer than this sitrep ({known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path}: no document has an id starting with {prefix:?}")]
    NotFound { path: PathBuf, prefix: String },
    #[error("{path}: id prefix {prefix:?} matches several documents; give more characters")]
    Ambiguous { path: PathBuf, prefix: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// What storing one batch did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BatchOutcome {
    /// Ids of documents newly stored.
    pub inserted: Vec<String>,
    /// Ids of documents that were already stored (their source is recorded as provenance).
    pub unchanged: Vec<String>,
    /// New documents found to be near-duplicates: (id, id of the original, similarity).
    pub duplicates: Vec<(String, String, f64)>,
}

/// Filters for [`Store::list`].
#[derive(Debug, Default, Clone)]
pub struct DocQuery {
    /// Full-text query (FTS5 syntax; plain words are ANDed).
    pub search: Option<String>,
    /// Only documents published on or after this date.
    pub since: Option<NaiveDate>,
    /// Only documents from this site (exact, case-insensitive).
    pub site: Option<String>,
    /// Leave out near-duplicate copies (each story once, under its first copy).
    pub originals_only: bool,
    /// Only the near-duplicate copies of this document.
    pub copies_of: Option<String>,
    pub limit: Option<usize>,
}

/// One line of a document listing.
#[derive(Debug, Clone, PartialEq)]
pub struct DocSummary {
    pub id: String,
    pub published: Option<String>,
    pub site: Option<String>,
    pub title: Option<String>,
    pub source: String,
    /// The original this document is a near-duplicate copy of.
    pub duplicate_of: Option<String>,
    /// Highlighted fragment of the body when the listing came from a search.
    pub snippet: Option<String>,
}

/// Counts over the whole store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub documents: u64,
    pub sources: u64,
    pub characters: u64,
    pub sentences: u64,
    pub times: u64,
    pub quantities: u64,
    pub entities: u64,
    pub claims: u64,
    pub speakers: u64,
    /// Documents that are near-duplicate copies of another.
    pub duplicates: u64,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    /// Documents per site, most first (documents without a site are counted under `None`).
    pub sites: Vec<(Option<String>, u64)>,
    pub schema_version: i64,
}

/// A store of analysed documents (see the crate doc for what every implementation keeps).
pub trait Store: Send {
    /// Where the store is, for messages (a file path, a database URL without credentials).
    fn location(&self) -> String;

    /// Stores a batch of documents in one transaction. Documents already stored (same content
    /// id) are left as they are and reported as unchanged; their source is recorded.
    ///
    /// `signatures[i]` is the MinHash signature of `docs[i]`'s body (missing or `None`: no
    /// near-duplicate check). A new document whose body is a near-duplicate of one already
    /// stored (or earlier in the batch) gets `duplicate_of` set to that document — to the
    /// original when the match is itself a copy — both in `docs` and in the store.
    fn insert_batch(
        &mut self,
        docs: &mut [Document],
        signatures: &[Option<Signature>],
    ) -> Result<BatchOutcome>;

    /// Whether a document with this content id is stored.
    fn contains(&self, id: &str) -> Result<bool>;

    /// The document whose id is `id` or starts with it (at least 4 characters).
    fn get(&self, id_prefix: &str) -> Result<Document>;

    /// Lists documents, newest first, filtered by `query`.
    fn list(&self, query: &DocQuery) -> Result<Vec<DocSummary>>;

    /// Up to `limit` documents in the order they were stored, after the one whose sequence
    /// number is `after` (from the start with `None`), each with its sequence number: a
    /// cursor for exports and, later, a change feed.
    fn documents_after(&self, after: Option<u64>, limit: usize) -> Result<Vec<(u64, Document)>>;

    /// Counts over the store.
    fn stats(&self) -> Result<Stats>;

    /// Claims matching `query`, the latest `limit` of them, in time order (date, then
    /// document in storage order, then text order).
    fn claims(&self, query: &ClaimQuery) -> Result<Vec<ClaimRecord>>;

    /// The speakers of the claims matching `query`, most quoted first (up to `limit`), each
    /// counted over those claims only.
    fn speakers(&self, query: &ClaimQuery) -> Result<Vec<SpeakerSummary>>;

    /// How each outlet sources the claims matching `query` (`limit` ignored), most claims
    /// first.
    fn sourcing(&self, query: &ClaimQuery) -> Result<Vec<OutletProfile>>;
}

/// Calls `each` with every stored document in the order they were stored, a page at a time,
/// stopping at its first error.
pub fn for_each_document<E: From<StoreError>>(
    store: &dyn Store,
    mut each: impl FnMut(Document) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    const PAGE: usize = 256;
    let mut after = None;
    loop {
        let page = store.documents_after(after, PAGE)?;
        let Some(&(last, _)) = page.last() else {
            return Ok(());
        };
        for (_, doc) in page {
            each(doc)?;
        }
        after = Some(last);
    }
}

/// Opens (creating if needed) the SQLite database at `path`; see [`SqliteStore::open`].
pub fn open(path: &std::path::Path) -> Result<SqliteStore> {
    SqliteStore::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_model::content_id;

    fn doc(text: &str, site: &str, published: &str) -> Document {
        Document {
            id: content_id(text),
            source: format!("{site}.txt"),
            site: Some(site.into()),
            title: Some(format!("About {}", &text[..10])),
            published: Some(published.parse().unwrap()),
            text: text.into(),
            ..Default::default()
        }
    }

    fn open() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("t.db")).unwrap();
        (dir, store)
    }

    #[test]
    fn migrates_to_the_latest_version() {
        let (_dir, store) = open();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn reopening_keeps_documents_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let mut store = SqliteStore::open(&path).unwrap();
            store
                .insert_batch(
                    &mut [doc(
                        "Ceasefire talks resumed in the capital.",
                        "a",
                        "2026-03-01",
                    )],
                    &[],
                )
                .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.stats().unwrap().documents, 1);
    }

    #[test]
    fn same_content_is_stored_once_with_both_sources() {
        let (_dir, mut store) = open();
        let first = doc("Ceasefire talks resumed in the capital.", "a", "2026-03-01");
        let mut again = first.clone();
        again.source = "elsewhere.jsonl:3".into();
        let out = store.insert_batch(&mut [first.clone()], &[]).unwrap();
        assert_eq!(out.inserted, vec![first.id.clone()]);
        let out = store.insert_batch(&mut [again], &[]).unwrap();
        assert_eq!(out.unchanged, vec![first.id.clone()]);
        let stats = store.stats().unwrap();
        assert_eq!((stats.documents, stats.sources), (1, 2));
    }

    #[test]
    fn get_by_prefix_round_trips() {
        let (_dir, mut store) = open();
        let d = doc(
            "Aid convoys reached the northern town on Monday.",
            "b",
            "2026-03-02",
        );
        store.insert_batch(&mut [d.clone()], &[]).unwrap();
        assert_eq!(store.get(&d.id[..6]).unwrap(), d);
        assert!(matches!(
            store.get("ffff0000"),
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(store.get("zz"), Err(StoreError::NotFound { .. })));
    }

    #[test]
    fn search_since_and_site_filter() {
        let (_dir, mut store) = open();
        store
            .insert_batch(
                &mut [
                    doc(
                        "Mercenaries were seen near the border town.",
                        "wire",
                        "2026-03-01",
                    ),
                    doc(
                        "The minister denied that mercenaries had arrived.",
                        "daily",
                        "2026-03-05",
                    ),
                    doc(
                        "Aid convoys reached the northern town on Monday.",
                        "wire",
                        "2026-03-06",
                    ),
                ],
                &[],
            )
            .unwrap();
        let found = store
            .list(&DocQuery {
                search: Some("mercenaries".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(found.len(), 2);
        assert!(
            found
                .iter()
                .all(|d| d.snippet.as_deref().unwrap().contains("["))
        );
        let recent = store
            .list(&DocQuery {
                since: Some("2026-03-02".parse().unwrap()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(recent.len(), 2);
        assert_eq!(recent[0].published.as_deref(), Some("2026-03-06"));
        let wire = store
            .list(&DocQuery {
                site: Some("WIRE".into()),
                search: Some("mercenaries".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(wire.len(), 1);
        // Not valid FTS5 syntax: searched again as plain words.
        let odd = store
            .list(&DocQuery {
                search: Some("border-town\"".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(odd.len(), 1);
    }

    #[test]
    fn near_duplicates_point_at_the_first_copy_across_batches() {
        let (_dir, mut store) = open();
        let body = "Army engineers began building a temporary crossing on Thursday afternoon, \
            and two helicopters lifted stranded families from rooftops in the lower town, \
            according to the civil protection agency, which said more than 2,000 people had \
            been moved by boat.";
        let original = doc(body, "wire", "2026-03-01");
        let copy_text = format!("{body} Reporting by a staff writer.");
        let copy = doc(&copy_text, "daily", "2026-03-02");
        let copy2 = doc(
            &format!("{copy_text} All rights reserved."),
            "weekly",
            "2026-03-03",
        );
        let other = doc(
            "The central bank held rates steady on Thursday.",
            "biz",
            "2026-03-02",
        );
        let sig = |d: &Document| Signature::of_text(&d.text);
        let out = store
            .insert_batch(&mut [original.clone()], &[sig(&original)])
            .unwrap();
        assert!(out.duplicates.is_empty());
        let mut batch = [copy.clone(), other.clone(), copy2.clone()];
        let sigs: Vec<_> = batch.iter().map(sig).collect();
        let out = store.insert_batch(&mut batch, &sigs).unwrap();
        assert_eq!(out.inserted.len(), 3);
        let dups: Vec<(&str, &str)> = out
            .duplicates
            .iter()
            .map(|(a, b, _)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            dups,
            vec![
                (copy.id.as_str(), original.id.as_str()),
                (copy2.id.as_str(), original.id.as_str())
            ]
        );
        assert_eq!(batch[0].duplicate_of.as_deref(), Some(original.id.as_str()));
        assert_eq!(batch[1].duplicate_of, None);
        let stored = store.get(&copy2.id).unwrap();
        assert_eq!(stored.duplicate_of.as_deref(), Some(original.id.as_str()));
    }

    #[test]
    fn export_visits_every_document_in_order() {
        let (_dir, mut store) = open();
        let a = doc("First report of shelling overnight.", "a", "2026-03-01");
        let b = doc("Second report of shelling at dawn.", "a", "2026-03-02");
        store
            .insert_batch(&mut [a.clone(), b.clone()], &[])
            .unwrap();
        // More documents than one page of the cursor.
        let mut more: Vec<Document> = (0..300)
            .map(|i| {
                doc(
                    &format!("Report number {i} of the shelling."),
                    "b",
                    "2026-03-03",
                )
            })
            .collect();
        store.insert_batch(&mut more, &[]).unwrap();
        let mut seen = Vec::new();
        for_each_document(&store, |d| {
            seen.push(d.id);
            Ok::<_, StoreError>(())
        })
        .unwrap();
        let expected: Vec<String> = [a.id, b.id]
            .into_iter()
            .chain(more.into_iter().map(|d| d.id))
            .collect();
        assert_eq!(seen, expected);
        let page = store.documents_after(Some(2), 3).unwrap();
        assert_eq!(page.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [3, 4, 5]);
        assert!(store.check_integrity().unwrap().is_empty());
    }
}
