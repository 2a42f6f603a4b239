//! sitrep's embedded store: one SQLite file (default `sitrep.db`).
//!
//! Design:
//! - A document is stored whole, as its JSON (the output contract), plus the columns that
//!   queries filter on (site, published, title) and a full-text index (FTS5) over title and
//!   body. Layers that later issues query across documents (claims, events, propositions,
//!   duplicate groups) get tables of their own in later migrations.
//! - The primary key is the content id, so storing a document that is already there is a
//!   no-op ("unchanged"); every source it was read from is kept in `sources` as provenance.
//! - Writes come in batches, one transaction per batch, in WAL mode: a crash (even `kill -9`)
//!   leaves the database with whole batches only, and running the same ingest again adds what
//!   is missing without duplicates.
//! - The schema is versioned with `PRAGMA user_version`; [`MIGRATIONS`] are applied in order
//!   at open, all in one transaction.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use sitrep_link::Signature;
use sitrep_model::Document;

mod feeds;
pub use feeds::{FeedItemRecord, FeedState};

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

/// Schema migrations, applied in order; `PRAGMA user_version` is the number applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: documents, their sources, and the full-text index.
    r#"
    CREATE TABLE documents (
        rowid        INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        source       TEXT NOT NULL,
        url          TEXT,
        site         TEXT,
        author       TEXT,
        title        TEXT,
        published    TEXT,
        language     TEXT,
        text         TEXT NOT NULL,
        duplicate_of TEXT,
        json         TEXT NOT NULL,
        ingested_at  TEXT NOT NULL
    );
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_site ON documents(site);
    CREATE TABLE sources (
        source     TEXT NOT NULL,
        doc_id     TEXT NOT NULL REFERENCES documents(id),
        first_seen TEXT NOT NULL,
        PRIMARY KEY (source, doc_id)
    );
    CREATE INDEX sources_doc ON sources(doc_id);
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='rowid',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    "#,
    // 2: near-duplicate detection: MinHash signatures and their LSH band keys.
    r#"
    CREATE TABLE signatures (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id),
        sig    BLOB NOT NULL
    );
    CREATE TABLE minhash_bands (
        band   INTEGER NOT NULL,
        key    INTEGER NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id)
    );
    CREATE INDEX minhash_bands_key ON minhash_bands(band, key);
    CREATE INDEX documents_duplicate_of ON documents(duplicate_of);
    "#,
    // 3: feed watching: each feed's cache validators, and every item already handled.
    r#"
    CREATE TABLE feeds (
        url           TEXT PRIMARY KEY,
        title         TEXT,
        etag          TEXT,
        last_modified TEXT,
        last_polled   TEXT
    );
    CREATE TABLE feed_items (
        feed       TEXT NOT NULL,
        item_key   TEXT NOT NULL,
        link       TEXT,
        fetched_at TEXT NOT NULL,
        doc_id     TEXT,
        outcome    TEXT NOT NULL,
        PRIMARY KEY (feed, item_key)
    );
    CREATE INDEX feed_items_link ON feed_items(link);
    "#,
];

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
    /// Documents that are near-duplicate copies of another.
    pub duplicates: u64,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    /// Documents per site, most first (documents without a site are counted under `None`).
    pub sites: Vec<(Option<String>, u64)>,
    pub schema_version: i64,
}

/// The SQLite store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let wrap = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(wrap)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(wrap)?;
        // WAL: readers never block the writer, and a crash loses at most the open batch.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(wrap)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(wrap)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(wrap)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// The schema version in the file.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let wrap = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        // IMMEDIATE: two processes opening a new file at once must not both migrate it.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(wrap)?;
        let found: i64 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(wrap)?;
        let known = MIGRATIONS.len() as i64;
        if found > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known,
            });
        }
        if found == known {
            // Up to date: end without writing, so that opening a store never competes with
            // another process's writes.
            return tx.rollback().map_err(wrap);
        }
        for sql in MIGRATIONS.iter().skip(found as usize) {
            tx.execute_batch(sql).map_err(wrap)?;
        }
        tx.pragma_update(None, "user_version", known)
            .map_err(wrap)?;
        tx.commit().map_err(wrap)
    }

    /// Stores a batch of documents in one transaction. Documents already stored (same content
    /// id) are left as they are and reported as unchanged; their source is recorded.
    ///
    /// `signatures[i]` is the MinHash signature of `docs[i]`'s body (missing or `None`: no
    /// near-duplicate check). A new document whose body is a near-duplicate of one already
    /// stored (or earlier in the batch) gets `duplicate_of` set to that document — to the
    /// original when the match is itself a copy — both in `docs` and in the store.
    pub fn insert_batch(
        &mut self,
        docs: &mut [Document],
        signatures: &[Option<Signature>],
    ) -> Result<BatchOutcome> {
        let path = self.path.clone();
        let wrap = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        // IMMEDIATE: take the write lock up front (waiting on the busy timeout) rather than
        // upgrading a read transaction, which fails at once when another connection wrote
        // in between.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(wrap)?;
        let mut outcome = BatchOutcome::default();
        {
            let mut exists = tx
                .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")
                .map_err(wrap)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO documents (id, source, url, site, author, title, published,
                        language, text, duplicate_of, json, ingested_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .map_err(wrap)?;
            let mut source = tx
                .prepare_cached(
                    "INSERT INTO sources (source, doc_id, first_seen) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO NOTHING",
                )
                .map_err(wrap)?;
            let mut insert_sig = tx
                .prepare_cached("INSERT INTO signatures (doc_id, sig) VALUES (?1, ?2)")
                .map_err(wrap)?;
            let mut insert_band = tx
                .prepare_cached("INSERT INTO minhash_bands (band, key, doc_id) VALUES (?1, ?2, ?3)")
                .map_err(wrap)?;
            let mut candidates = tx
                .prepare_cached(
                    "SELECT s.doc_id, s.sig, d.duplicate_of FROM minhash_bands b
                     JOIN signatures s ON s.doc_id = b.doc_id
                     JOIN documents d ON d.id = b.doc_id
                     WHERE b.band = ?1 AND b.key = ?2",
                )
                .map_err(wrap)?;
            for (i, doc) in docs.iter_mut().enumerate() {
                if exists.exists([&doc.id]).map_err(wrap)? {
                    source
                        .execute(params![doc.source, doc.id, now])
                        .map_err(wrap)?;
                    outcome.unchanged.push(doc.id.clone());
                    continue;
                }
                let signature = signatures.get(i).and_then(Option::as_ref);
                if let Some(sig) = signature {
                    let mut best: Option<(String, f64)> = None;
                    for (band, key) in sig.band_keys().into_iter().enumerate() {
                        let rows = candidates
                            .query_map(params![band as i64, key], |r| {
                                Ok((
                                    r.get::<_, String>(0)?,
                                    r.get::<_, Vec<u8>>(1)?,
                                    r.get::<_, Option<String>>(2)?,
                                ))
                            })
                            .map_err(wrap)?;
                        for row in rows {
                            let (id, blob, original) = row.map_err(wrap)?;
                            let Some(other) = Signature::from_bytes(&blob) else {
                                continue;
                            };
                            let sim = sig.similarity(&other);
                            if sim >= sitrep_link::THRESHOLD
                                && best.as_ref().is_none_or(|(_, b)| sim > *b)
                            {
                                best = Some((original.unwrap_or(id), sim));
                            }
                        }
                    }
                    if let Some((original, similarity)) = best {
                        doc.duplicate_of = Some(original.clone());
                        outcome
                            .duplicates
                            .push((doc.id.clone(), original, similarity));
                    }
                }
                let json = serde_json::to_string(&*doc).expect("a Document always serialises");
                insert
                    .execute(params![
                        doc.id,
                        doc.source,
                        doc.url,
                        doc.site,
                        doc.author,
                        doc.title,
                        doc.published.map(|d| d.to_string()),
                        doc.language,
                        doc.text,
                        doc.duplicate_of,
                        json,
                        now,
                    ])
                    .map_err(wrap)?;
                source
                    .execute(params![doc.source, doc.id, now])
                    .map_err(wrap)?;
                if let Some(sig) = signature {
                    insert_sig
                        .execute(params![doc.id, sig.to_bytes()])
                        .map_err(wrap)?;
                    for (band, key) in sig.band_keys().into_iter().enumerate() {
                        insert_band
                            .execute(params![band as i64, key, doc.id])
                            .map_err(wrap)?;
                    }
                }
                outcome.inserted.push(doc.id.clone());
            }
        }
        tx.commit().map_err(wrap)?;
        Ok(outcome)
    }

    /// Whether a document with this content id is stored.
    pub fn contains(&self, id: &str) -> Result<bool> {
        self.conn
            .query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.err(e))
    }

    /// The document whose id is `id` or starts with it (at least 4 characters).
    pub fn get(&self, id_prefix: &str) -> Result<Document> {
        let not_found = || StoreError::NotFound {
            path: self.path.clone(),
            prefix: id_prefix.to_string(),
        };
        if id_prefix.len() < 4 || !id_prefix.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(not_found());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, json FROM documents WHERE id >= ?1 AND id < ?2 LIMIT 2")
            .map_err(|e| self.err(e))?;
        let upper = format!("{id_prefix}\u{7f}");
        let rows: Vec<(String, String)> = stmt
            .query_map(params![id_prefix.to_ascii_lowercase(), upper], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))?;
        match rows.as_slice() {
            [] => Err(not_found()),
            [(id, json)] => self.decode(id, json),
            _ => Err(StoreError::Ambiguous {
                path: self.path.clone(),
                prefix: id_prefix.to_string(),
            }),
        }
    }

    fn decode(&self, id: &str, json: &str) -> Result<Document> {
        serde_json::from_str(json).map_err(|source| StoreError::Corrupt {
            path: self.path.clone(),
            id: id.to_string(),
            source,
        })
    }

    /// Lists documents, newest first, filtered by `query`.
    pub fn list(&self, query: &DocQuery) -> Result<Vec<DocSummary>> {
        match &query.search {
            Some(search) => match self.list_inner(query, Some(search)) {
                Ok(rows) => Ok(rows),
                // A query that is not valid FTS5 syntax ("U.S.-led", "a:b") is searched
                // again as plain words, each quoted.
                Err(_) => self.list_inner(query, Some(&quote_terms(search))),
            },
            None => self.list_inner(query, None),
        }
    }

    fn list_inner(&self, query: &DocQuery, search: Option<&str>) -> Result<Vec<DocSummary>> {
        let mut sql =
            String::from("SELECT d.id, d.published, d.site, d.title, d.source, d.duplicate_of, ");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(q) = search {
            sql.push_str(
                "snippet(documents_fts, 1, '[', ']', ' … ', 12)
                 FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
                 WHERE documents_fts MATCH ?",
            );
            args.push(q.to_string().into());
        } else {
            sql.push_str("NULL FROM documents d WHERE 1");
        }
        if let Some(since) = query.since {
            sql.push_str(" AND d.published >= ?");
            args.push(since.to_string().into());
        }
        if let Some(site) = &query.site {
            sql.push_str(" AND lower(d.site) = lower(?)");
            args.push(site.clone().into());
        }
        if query.originals_only {
            sql.push_str(" AND d.duplicate_of IS NULL");
        }
        if let Some(of) = &query.copies_of {
            sql.push_str(" AND d.duplicate_of = ?");
            args.push(of.clone().into());
        }
        if search.is_some() {
            sql.push_str(" ORDER BY rank");
        } else {
            sql.push_str(" ORDER BY d.published DESC NULLS LAST, d.rowid DESC");
        }
        if let Some(limit) = query.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(DocSummary {
                id: r.get(0)?,
                published: r.get(1)?,
                site: r.get(2)?,
                title: r.get(3)?,
                source: r.get(4)?,
                duplicate_of: r.get(5)?,
                snippet: r.get(6)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.err(e))
    }

    /// Calls `each` with every stored document in ingestion order, stopping at its first error.
    pub fn for_each_document<E>(
        &self,
        mut each: impl FnMut(Document) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E>
    where
        E: From<StoreError>,
    {
        let mut stmt = self
            .conn
            .prepare("SELECT id, json FROM documents ORDER BY rowid")
            .map_err(|e| E::from(self.err(e)))?;
        let mut rows = stmt.query([]).map_err(|e| E::from(self.err(e)))?;
        while let Some(row) = rows.next().map_err(|e| E::from(self.err(e)))? {
            let id: String = row.get(0).map_err(|e| E::from(self.err(e)))?;
            let json: String = row.get(1).map_err(|e| E::from(self.err(e)))?;
            each(self.decode(&id, &json)?)?;
        }
        Ok(())
    }

    /// Counts over the store.
    pub fn stats(&self) -> Result<Stats> {
        let e = |err| self.err(err);
        let mut stats = self
            .conn
            .query_row(
                "SELECT count(*), coalesce(sum(length(text)), 0),
                    coalesce(sum(json_array_length(json, '$.sentences')), 0),
                    coalesce(sum(json_array_length(json, '$.times')), 0),
                    coalesce(sum(json_array_length(json, '$.quantities')), 0),
                    coalesce(sum(json_array_length(json, '$.entities')), 0),
                    min(published), max(published)
                 FROM documents",
                [],
                |r| {
                    Ok(Stats {
                        documents: r.get::<_, i64>(0)? as u64,
                        characters: r.get::<_, i64>(1)? as u64,
                        sentences: r.get::<_, i64>(2)? as u64,
                        times: r.get::<_, i64>(3)? as u64,
                        quantities: r.get::<_, i64>(4)? as u64,
                        entities: r.get::<_, i64>(5)? as u64,
                        first_published: r.get(6)?,
                        last_published: r.get(7)?,
                        ..Stats::default()
                    })
                },
            )
            .map_err(e)?;
        stats.duplicates = self
            .conn
            .query_row(
                "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(e)? as u64;
        stats.sources = self
            .conn
            .query_row("SELECT count(*) FROM sources", [], |r| r.get::<_, i64>(0))
            .map_err(e)? as u64;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT site, count(*) AS n FROM documents GROUP BY site ORDER BY n DESC, site",
            )
            .map_err(e)?;
        stats.sites = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
            .and_then(|rows| rows.collect())
            .map_err(e)?;
        stats.schema_version = self.schema_version()?;
        Ok(stats)
    }

    /// Runs SQLite's integrity check; `Ok(())` when the file is sound.
    pub fn check_integrity(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| self.err(e))?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }
}

/// Turns free text into an FTS5 query of quoted terms (all must match).
fn quote_terms(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
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

    fn open() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
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
            let mut store = Store::open(&path).unwrap();
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
        let store = Store::open(&path).unwrap();
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
        let mut seen = Vec::new();
        store
            .for_each_document(|d| {
                seen.push(d.id);
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!(seen, vec![a.id, b.id]);
        assert!(store.check_integrity().unwrap().is_empty());
    }
}
