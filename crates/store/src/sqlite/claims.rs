//! Claims and speakers in SQLite: the `claims`, `speakers` and `claims_fts` tables (schema
//! v4).
//!
//! A document's claims are written in its transaction, right after the document; a
//! document already stored is skipped before this point, and `(doc_id, claim_id)` is unique
//! besides, so storing it again adds nothing. Each claim's speaker comes from
//! [`crate::speakers::speakers_of`]; the store adds the two decisions that need the other
//! documents: a surname alone is joined to the most quoted full name with that surname, and
//! a full name that arrives after its surname alone takes over that surname's claims when
//! it is the only full name with it.
//!
//! Reading: one WHERE clause built from a [`ClaimQuery`] serves claims, speakers and
//! outlets; each filter has an index (date, site, speaker, stance, anonymity, confidence)
//! or the full-text index over content and source.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use sitrep_model::{Claim, Document};

use super::{SqliteStore, quote_terms};
use crate::speakers::{SpeakerDraft, speakers_of};
use crate::{ClaimQuery, ClaimRecord, OutletProfile, Result, SpeakerRef, SpeakerSummary};

/// Writes the claims of a newly stored document and finds or creates their speakers; the
/// batch's writer then adds them to the full-text index ([`index_new`]).
pub(super) fn insert(conn: &Connection, doc: &Document) -> rusqlite::Result<()> {
    if doc.claims.is_empty() {
        return Ok(());
    }
    let speakers = speakers_of(doc);
    let mut insert = conn.prepare_cached(
        "INSERT INTO claims (doc_id, claim_id, ord, sentence, source_text, source_kind,
            anonymous, anonymity_cue, actor, same_as, cue_text, cue_lemma, content, direct,
            stance, recipient, time, confidence, published, site, speaker_id, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21, ?22)
         ON CONFLICT (doc_id, claim_id) DO NOTHING",
    )?;
    let published = doc.published.map(|d| d.to_string());
    for (ord, (claim, speaker)) in doc.claims.iter().zip(&speakers).enumerate() {
        let speaker_id = match speaker {
            Some(draft) => Some(speaker_id(conn, draft)?),
            None => None,
        };

        let source = claim.source.as_ref();
        let json = serde_json::to_string(claim).expect("a Claim always serialises");
        let added = insert.execute(params![
            doc.id,
            claim.id,
            ord as i64,
            claim.sentence as i64,
            source.map(|s| &s.text),
            source.map(|s| s.kind.name()),
            source.is_some_and(|s| s.anonymous),
            source.and_then(|s| s.anonymity_cue.as_ref()),
            source.and_then(|s| s.actor.as_ref()).map(|a| &a.code),
            source.and_then(|s| s.same_as.as_ref()),
            claim.cue.text,
            claim.cue.lemma,
            claim.content.text,
            claim.direct.name(),
            claim.stance.name(),
            claim.recipient,
            claim.time,
            claim.confidence,
            published,
            doc.site,
            speaker_id,
            json,
        ])?;
        // A claim id repeated within the document is stored once, and counted once.
        if let (1, Some(id)) = (added, speaker_id) {
            conn.prepare_cached("UPDATE speakers SET quoted = quoted + 1 WHERE id = ?1")?
                .execute([id])?;
        }
    }
    Ok(())
}

/// The key of the last claim stored: claims stored after it have greater keys.
pub(super) fn last_key(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(rowid), 0) FROM claims", [], |r| r.get(0))
}

/// Adds the claims stored after `after` to the full-text index, in one statement: FTS5
/// writes its pending terms out at every statement that touches it, and a row at a time
/// (a trigger) made storing claims 5 times slower than storing their documents; a
/// statement per document, 3 times.
pub(super) fn index_new(conn: &Connection, after: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO claims_fts(rowid, content, source_text)
         SELECT rowid, content, source_text FROM claims WHERE rowid > ?1",
    )?
    .execute([after])?;
    Ok(())
}

/// The id of the speaker `draft` describes, created when new.
fn speaker_id(conn: &Connection, draft: &SpeakerDraft) -> rusqlite::Result<i64> {
    if draft.surname_only
        && let Some(id) = conn
            .prepare_cached(
                "SELECT id FROM speakers WHERE surname = ?1 AND key LIKE 'person:%'
                 ORDER BY quoted DESC, id LIMIT 1",
            )?
            .query_row([&draft.surname], |r| r.get::<_, i64>(0))
            .optional()?
    {
        return Ok(id);
    }
    let known = conn
        .prepare_cached("SELECT id FROM speakers WHERE key = ?1")?
        .query_row([&draft.key], |r| r.get::<_, i64>(0))
        .optional()?;
    if let Some(id) = known {
        return Ok(id);
    }
    conn.prepare_cached(
        "INSERT INTO speakers (key, name, kind, anonymous, actor, surname)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        draft.key,
        draft.name,
        draft.kind.name(),
        draft.anonymous,
        draft.actor,
        draft.surname,
    ])?;
    let id = conn.last_insert_rowid();
    if !draft.surname_only
        && let Some(surname) = &draft.surname
    {
        adopt_surname(conn, id, surname)?;
    }
    Ok(id)
}

/// A new full name takes over the claims of its surname alone, when it is the only full
/// name with that surname.
fn adopt_surname(conn: &Connection, id: i64, surname: &str) -> rusqlite::Result<()> {
    let others: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM speakers
             WHERE surname = ?1 AND key LIKE 'person:%' AND id != ?2",
        )?
        .query_row(params![surname, id], |r| r.get(0))?;
    if others > 0 {
        return Ok(());
    }
    let alone = conn
        .prepare_cached("SELECT id FROM speakers WHERE key = ?1")?
        .query_row([format!("surname:{surname}")], |r| r.get::<_, i64>(0))
        .optional()?;
    if let Some(old) = alone {
        conn.execute(
            "UPDATE claims SET speaker_id = ?1 WHERE speaker_id = ?2",
            params![id, old],
        )?;
        conn.execute(
            "UPDATE speakers SET quoted = quoted + (SELECT quoted FROM speakers WHERE id = ?2)
             WHERE id = ?1",
            params![id, old],
        )?;
        conn.execute("DELETE FROM speakers WHERE id = ?1", [old])?;
    }
    Ok(())
}

/// Fills the claims and speakers tables from the documents already stored (migration 4),
/// in storage order. A document whose JSON cannot be read keeps its row and adds no claim:
/// `get` reports it as corrupt, and the migration must not make the database unopenable.
pub(super) fn backfill(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT json FROM documents
         WHERE json_array_length(json, '$.claims') > 0 ORDER BY rowid",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let json: String = row.get(0)?;
        if let Ok(doc) = serde_json::from_str::<Document>(&json) {
            insert(conn, &doc)?;
        }
    }
    index_new(conn, 0)
}

/// The WHERE clause (over `claims c` joined to `speakers s`) and its arguments for a query;
/// `about` is the full-text query to use (the query's own, or its words quoted).
fn filters(query: &ClaimQuery, about: Option<&str>) -> (String, Vec<Value>) {
    let mut sql = String::from("WHERE 1");
    let mut args: Vec<Value> = Vec::new();
    if let Some(q) = about {
        sql.push_str(" AND c.rowid IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)");
        args.push(q.to_string().into());
    }
    if let Some(source) = &query.source {
        let terms = quote_terms(source);
        sql.push_str(" AND (s.name LIKE ? ESCAPE '\\'");
        args.push(format!("%{}%", escape_like(source.trim())).into());
        if !terms.is_empty() {
            sql.push_str(" OR c.rowid IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)");
            args.push(format!("source_text : ({terms})").into());
        }
        sql.push(')');
    }
    if let Some(id) = query.speaker {
        sql.push_str(" AND c.speaker_id = ?");
        args.push((id as i64).into());
    }
    if let Some(anonymous) = query.anonymous {
        sql.push_str(" AND c.anonymous = ?");
        args.push(i64::from(anonymous).into());
    }
    if let Some(stance) = query.stance {
        sql.push_str(" AND c.stance = ?");
        args.push(stance.name().to_string().into());
    }
    if let Some(since) = query.since {
        sql.push_str(" AND c.published >= ?");
        args.push(since.to_string().into());
    }
    if let Some(until) = query.until {
        sql.push_str(" AND c.published <= ?");
        args.push(until.to_string().into());
    }
    if let Some(site) = &query.site {
        sql.push_str(" AND c.site = ?");
        args.push(site.clone().into());
    }
    if let Some(min) = query.min_confidence {
        sql.push_str(" AND c.confidence >= ?");
        args.push(min.into());
    }
    (sql, args)
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn as_u64(row: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(row.get::<_, i64>(i)?.max(0) as u64)
}

impl SqliteStore {
    /// Runs `read` with the query's full-text search as given, and again with its words
    /// quoted when it is not valid FTS5 syntax ("U.S.-led").
    fn with_about<T>(
        &self,
        query: &ClaimQuery,
        read: impl Fn(Option<&str>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        match &query.about {
            None => read(None),
            Some(about) => read(Some(about)).or_else(|_| read(Some(&quote_terms(about)))),
        }
        .map_err(|e| self.err(e))
    }

    pub(super) fn claims_inner(&self, query: &ClaimQuery) -> Result<Vec<ClaimRecord>> {
        let mut records = self.with_about(query, |about| {
            let (filter, args) = filters(query, about);
            let limit = query.limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
            let sql = format!(
                "SELECT c.rowid, c.doc_id, c.published, c.site, d.title, c.speaker_id, s.name,
                    c.json
                 FROM claims c JOIN documents d ON d.id = c.doc_id
                 LEFT JOIN speakers s ON s.id = c.speaker_id
                 {filter}
                 ORDER BY c.published DESC NULLS LAST, d.rowid DESC, c.ord DESC{limit}"
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| {
                Ok((
                    as_u64(r, 0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        records.reverse();
        records
            .into_iter()
            .map(
                |(key, doc_id, published, site, title, speaker, name, json)| {
                    let claim: Claim = serde_json::from_str(&json).map_err(|source| {
                        crate::StoreError::Corrupt {
                            path: self.path.clone(),
                            id: doc_id.clone(),
                            source,
                        }
                    })?;
                    Ok(ClaimRecord {
                        key,
                        doc_id,
                        published,
                        site,
                        title,
                        speaker: speaker.zip(name).map(|(id, name)| SpeakerRef {
                            id: id as u64,
                            name,
                        }),
                        claim,
                    })
                },
            )
            .collect()
    }

    pub(super) fn speakers_inner(&self, query: &ClaimQuery) -> Result<Vec<SpeakerSummary>> {
        // One row per speaker and outlet; summed per speaker here (a document has one site,
        // so documents add up across outlets).
        let rows = self.with_about(query, |about| {
            let (filter, args) = filters(query, about);
            let sql = format!(
                "SELECT s.id, s.name, s.kind, s.anonymous, s.actor, c.site, count(*),
                    count(DISTINCT c.doc_id), sum(c.anonymous), min(c.published),
                    max(c.published), group_concat(DISTINCT c.source_kind)
                 FROM claims c JOIN speakers s ON s.id = c.speaker_id
                 {filter}
                 GROUP BY s.id, c.site"
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| {
                Ok(SpeakerSummary {
                    id: as_u64(r, 0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    anonymous: r.get(3)?,
                    actor: r.get(4)?,
                    claims: as_u64(r, 6)?,
                    documents: as_u64(r, 7)?,
                    anonymous_claims: as_u64(r, 8)?,
                    outlets: vec![(r.get(5)?, as_u64(r, 6)?)],
                    kinds: r
                        .get::<_, Option<String>>(11)?
                        .map(|k| k.split(',').map(str::to_string).collect())
                        .unwrap_or_default(),
                    first: r.get(9)?,
                    last: r.get(10)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let mut speakers: Vec<SpeakerSummary> = Vec::new();
        let mut at: HashMap<u64, usize> = HashMap::new();
        for row in rows {
            match at.get(&row.id) {
                None => {
                    at.insert(row.id, speakers.len());
                    speakers.push(row);
                }
                Some(&i) => {
                    let s = &mut speakers[i];
                    s.claims += row.claims;
                    s.documents += row.documents;
                    s.anonymous_claims += row.anonymous_claims;
                    s.outlets.extend(row.outlets);
                    s.kinds.extend(row.kinds);
                    s.first = min_date(s.first.take(), row.first);
                    s.last = max_date(s.last.take(), row.last);
                }
            }
        }
        for s in &mut speakers {
            s.outlets
                .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            s.kinds.sort();
            s.kinds.dedup();
        }
        speakers.sort_by(|a, b| b.claims.cmp(&a.claims).then(a.id.cmp(&b.id)));
        if let Some(n) = query.limit {
            speakers.truncate(n);
        }
        Ok(speakers)
    }

    pub(super) fn sourcing_inner(&self, query: &ClaimQuery) -> Result<Vec<OutletProfile>> {
        self.with_about(query, |about| {
            let (filter, args) = filters(query, about);
            let sql = format!(
                "SELECT c.site, count(*), count(c.source_text), sum(c.anonymous),
                    count(DISTINCT c.speaker_id),
                    count(DISTINCT CASE WHEN c.anonymous THEN c.speaker_id END)
                 FROM claims c LEFT JOIN speakers s ON s.id = c.speaker_id
                 {filter}
                 GROUP BY c.site ORDER BY count(*) DESC, c.site"
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| {
                Ok(OutletProfile {
                    site: r.get(0)?,
                    claims: as_u64(r, 1)?,
                    sourced: as_u64(r, 2)?,
                    anonymous: as_u64(r, 3)?,
                    speakers: as_u64(r, 4)?,
                    anonymous_speakers: as_u64(r, 5)?,
                })
            })?;
            rows.collect()
        })
    }
}

fn min_date(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_date(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}
