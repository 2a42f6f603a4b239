//! The SQLite implementation of [`Store`]: one file (default `sitrep.db`).
//!
//! - A document is stored whole, as its JSON (the output contract), plus the columns that
//!   queries filter on (site, published, title) and a full-text index (FTS5) over title and
//!   body. Layers that later issues query across documents (claims, events, propositions,
//!   duplicate groups) get tables of their own in later migrations: claims and speakers in
//!   v4 (`claims.rs`); a migration that adds such a table fills it from the stored JSON in
//!   the same transaction.
//! - Writes come in batches, one transaction per batch, in WAL mode: a crash (even `kill -9`)
//!   leaves the database with whole batches only, and running the same ingest again adds what
//!   is missing without duplicates.
//! - Near-duplicates: each body's MinHash signature and LSH band keys are tables of their own;
//!   a new body's candidates are the documents sharing a band key, and
//!   [`sitrep_link::original_of`] makes the decision.
//! - The schema is versioned with `PRAGMA user_version`; [`MIGRATIONS`] are applied in order
//!   at open, all in one transaction.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use sitrep_link::{Candidate, Signature};
use sitrep_model::Document;

mod claims;
mod feeds;

use crate::{
    BatchOutcome, ClaimQuery, ClaimRecord, DocQuery, DocSummary, OutletProfile, Result,
    SpeakerSummary, Stats, Store, StoreError,
};

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
    // 4: claims and their speakers, queried across documents (`claims.rs`). Filled from the
    // documents already stored by `claims::backfill`.
    r#"
    CREATE TABLE speakers (
        id         INTEGER PRIMARY KEY,
        key        TEXT NOT NULL UNIQUE,
        name       TEXT NOT NULL,
        kind       TEXT NOT NULL,
        anonymous  INTEGER NOT NULL,
        actor      TEXT,
        surname    TEXT,
        quoted     INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX speakers_surname ON speakers(surname, quoted);
    CREATE TABLE claims (
        rowid          INTEGER PRIMARY KEY,
        doc_id         TEXT NOT NULL REFERENCES documents(id),
        claim_id       TEXT NOT NULL,
        ord            INTEGER NOT NULL,
        sentence       INTEGER NOT NULL,
        source_text    TEXT,
        source_kind    TEXT,
        anonymous      INTEGER NOT NULL,
        anonymity_cue  TEXT,
        actor          TEXT,
        same_as        TEXT,
        cue_text       TEXT NOT NULL,
        cue_lemma      TEXT NOT NULL,
        content        TEXT NOT NULL,
        direct         TEXT NOT NULL,
        stance         TEXT NOT NULL,
        recipient      TEXT,
        time           TEXT,
        confidence     REAL NOT NULL,
        published      TEXT,
        site           TEXT COLLATE NOCASE,
        speaker_id     INTEGER REFERENCES speakers(id),
        json           TEXT NOT NULL,
        UNIQUE (doc_id, claim_id)
    );
    CREATE INDEX claims_published ON claims(published);
    CREATE INDEX claims_site ON claims(site);
    CREATE INDEX claims_speaker ON claims(speaker_id);
    CREATE INDEX claims_stance ON claims(stance);
    CREATE INDEX claims_anonymous ON claims(anonymous);
    CREATE INDEX claims_confidence ON claims(confidence);
    CREATE VIRTUAL TABLE claims_fts USING fts5(
        content, source_text, content='claims', content_rowid='rowid',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER claims_ad AFTER DELETE ON claims BEGIN
        INSERT INTO claims_fts(claims_fts, rowid, content, source_text)
        VALUES ('delete', old.rowid, old.content, old.source_text);
    END;
    "#,
];

/// The SQLite store: one file, WAL mode, FTS5 over titles and bodies.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
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
        let mut store = SqliteStore {
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
        for (version, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql).map_err(wrap)?;
            // Tables that hold a layer of the stored documents are filled from their JSON.
            if version + 1 == 4 {
                claims::backfill(&tx).map_err(wrap)?;
            }
        }
        tx.pragma_update(None, "user_version", known)
            .map_err(wrap)?;
        tx.commit().map_err(wrap)
    }

    fn decode(&self, id: &str, json: &str) -> Result<Document> {
        serde_json::from_str(json).map_err(|source| StoreError::Corrupt {
            path: self.path.clone(),
            id: id.to_string(),
            source,
        })
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

impl Store for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn insert_batch(
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
        let mut found: Vec<Candidate> = Vec::new();
        let claims_before = claims::last_key(&tx).map_err(wrap)?;
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
                    found.clear();
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
                            let (id, blob, duplicate_of) = row.map_err(wrap)?;
                            if found.iter().any(|c| c.id == id) {
                                continue;
                            }
                            if let Some(signature) = Signature::from_bytes(&blob) {
                                found.push(Candidate {
                                    id,
                                    signature,
                                    duplicate_of,
                                });
                            }
                        }
                    }
                    if let Some(m) = sitrep_link::original_of(sig, &found) {
                        doc.duplicate_of = Some(m.original.clone());
                        outcome
                            .duplicates
                            .push((doc.id.clone(), m.original, m.similarity));
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
                claims::insert(&tx, doc).map_err(wrap)?;
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
        claims::index_new(&tx, claims_before).map_err(wrap)?;
        tx.commit().map_err(wrap)?;
        Ok(outcome)
    }

    fn contains(&self, id: &str) -> Result<bool> {
        self.conn
            .query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.err(e))
    }

    fn get(&self, id_prefix: &str) -> Result<Document> {
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

    fn list(&self, query: &DocQuery) -> Result<Vec<DocSummary>> {
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

    fn documents_after(&self, after: Option<u64>, limit: usize) -> Result<Vec<(u64, Document)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT rowid, id, json FROM documents WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows: Vec<(i64, String, String)> = stmt
            .query_map(params![after.map_or(0, |a| a as i64), limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(rowid, id, json)| Ok((rowid as u64, self.decode(&id, &json)?)))
            .collect()
    }

    fn stats(&self) -> Result<Stats> {
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
        (stats.claims, stats.speakers) = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM speakers)",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
            .map_err(e)?;
        stats.schema_version = self.schema_version()?;
        Ok(stats)
    }

    fn claims(&self, query: &ClaimQuery) -> Result<Vec<ClaimRecord>> {
        self.claims_inner(query)
    }

    fn speakers(&self, query: &ClaimQuery) -> Result<Vec<SpeakerSummary>> {
        self.speakers_inner(query)
    }

    fn sourcing(&self, query: &ClaimQuery) -> Result<Vec<OutletProfile>> {
        self.sourcing_inner(query)
    }
}
