//! Propositions as tables (schema v5): the latest grouping of the stored claims, one row per
//! proposition and one per claim in it, with the key of the last claim it covers so that a
//! front end can tell when claims came after it and group again.
//!
//! The grouping itself is not SQL (it lives in `sitrep-extract`); the store keeps its result
//! so that `sitrep propositions` and the server answer from an index instead of regrouping
//! every claim at every query.

use rusqlite::{Connection, params, params_from_iter};

use super::SqliteStore;
use super::claims::filters;
use crate::{ClaimQuery, PropositionMember, PropositionRecord, PropositionView, Result};

/// Replaces every stored proposition with `propositions` (inside the caller's transaction).
pub(super) fn replace(
    conn: &Connection,
    propositions: &[PropositionRecord],
    through: u64,
) -> rusqlite::Result<()> {
    conn.execute_batch("DELETE FROM proposition_claims; DELETE FROM propositions;")?;
    let mut proposition = conn.prepare_cached(
        "INSERT INTO propositions (id, label, terms, framing, contested, links, claims)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut member = conn.prepare_cached(
        "INSERT OR IGNORE INTO proposition_claims (proposition_id, claim_key, position, why)
         SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM claims WHERE rowid = ?2)",
    )?;
    for p in propositions {
        proposition.execute(params![
            p.id,
            p.label,
            serde_json::to_string(&p.terms).expect("strings serialise"),
            p.framing,
            p.contested,
            serde_json::to_string(&p.links).expect("strings serialise"),
            p.members.len() as i64,
        ])?;
        for m in &p.members {
            member.execute(params![p.id, m.claim_key as i64, m.position, m.why])?;
        }
    }
    conn.execute(
        "UPDATE propositions_state SET through = ?1,
            claims = (SELECT count(*) FROM claims WHERE rowid <= ?1)",
        [through as i64],
    )?;
    Ok(())
}

impl SqliteStore {
    pub(super) fn propositions_stale_inner(&self) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT (SELECT coalesce(max(rowid), 0) FROM claims) != through
                     OR (SELECT count(*) FROM claims) != claims
                 FROM propositions_state",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    pub(super) fn propositions_inner(
        &self,
        query: &ClaimQuery,
        contested_only: bool,
    ) -> Result<Vec<PropositionView>> {
        let rows = self.with_about(query, |about| {
            let (filter, args) = filters(query, about);
            let contested = if contested_only {
                "AND p.contested"
            } else {
                ""
            };
            let limit = query.limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
            let sql = format!(
                "SELECT p.id, p.label, p.terms, p.framing, p.contested, p.links
                 FROM propositions p
                 WHERE p.id IN (
                     SELECT pc.proposition_id FROM proposition_claims pc
                     JOIN claims c ON c.rowid = pc.claim_key
                     LEFT JOIN speakers s ON s.id = c.speaker_id
                     {filter})
                   {contested}
                 ORDER BY p.contested DESC, p.claims DESC, p.id{limit}"
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        let mut members = self
            .conn
            .prepare_cached(
                "SELECT claim_key, position, why FROM proposition_claims
                 WHERE proposition_id = ?1",
            )
            .map_err(|e| self.err(e))?;
        let mut views = Vec::with_capacity(rows.len());
        for (id, label, terms, framing, contested, links) in rows {
            let list = |json: &str| serde_json::from_str::<Vec<String>>(json).unwrap_or_default();
            let found: Vec<PropositionMember> = members
                .query_map([&id], |r| {
                    Ok(PropositionMember {
                        claim_key: r.get::<_, i64>(0)?.max(0) as u64,
                        position: r.get(1)?,
                        why: r.get(2)?,
                    })
                })
                .and_then(|rows| rows.collect())
                .map_err(|e| self.err(e))?;
            let keys: Vec<u64> = found.iter().map(|m| m.claim_key).collect();
            let claims = self.claims_by_keys(&keys)?;
            // Members in the claims' time order.
            let members = claims
                .iter()
                .filter_map(|c| found.iter().find(|m| m.claim_key == c.key).cloned())
                .collect();
            views.push(PropositionView {
                proposition: PropositionRecord {
                    id,
                    label,
                    terms: list(&terms),
                    framing,
                    contested,
                    links: list(&links),
                    members,
                },
                claims,
            });
        }
        Ok(views)
    }
}
