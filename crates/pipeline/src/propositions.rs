//! Grouping the stored claims into propositions and storing the grouping: after an ingest
//! that stored claims, and whenever a front end finds the stored grouping older than the
//! claims (`Store::propositions_stale`).
//!
//! The whole store is grouped again each time, so a later article can join or split earlier
//! groups and the result does not depend on the order documents came in. The grouping is
//! indexed by term (no comparison of all pairs); its cost is measured in `sitrep bench
//! --propositions`.

pub use sitrep_extract::propositions::PropositionLexicon;
use sitrep_extract::propositions::{ClaimInput, group};
use sitrep_store::{ClaimQuery, PropositionMember, PropositionRecord, Store, StoreError};

/// Groups every stored claim and replaces the stored propositions; returns how many
/// propositions there are.
pub fn regroup(store: &mut dyn Store) -> Result<usize, StoreError> {
    let records = store.claims(&ClaimQuery::default())?;
    let through = records.iter().map(|r| r.key).max().unwrap_or(0);
    let propositions = group_records(&records, &PropositionLexicon::embedded());
    store.replace_propositions(&propositions, through)?;
    Ok(propositions.len())
}

/// Regroups when claims were stored since the last grouping; `None` when it was current.
pub fn regroup_if_stale(store: &mut dyn Store) -> Result<Option<usize>, StoreError> {
    if store.propositions_stale()? {
        regroup(store).map(Some)
    } else {
        Ok(None)
    }
}

/// The propositions of stored claims, as the store keeps them.
pub fn group_records(
    records: &[sitrep_store::ClaimRecord],
    lexicon: &PropositionLexicon,
) -> Vec<PropositionRecord> {
    let inputs: Vec<ClaimInput<'_>> = records
        .iter()
        .map(|r| ClaimInput {
            key: format!("{}/{}", r.doc_id, r.claim.id),
            terms: &r.claim.terms,
            anchors: &r.claim.anchors,
            stance: r.claim.stance,
            content: &r.claim.content.text,
        })
        .collect();
    group(&inputs, lexicon)
        .into_iter()
        .map(|p| {
            let contested = p.is_contested();
            PropositionRecord {
                members: p
                    .members
                    .iter()
                    .map(|m| PropositionMember {
                        claim_key: records[m.claim].key,
                        position: m.position.name().to_string(),
                        why: m.why.clone(),
                    })
                    .collect(),
                id: p.id,
                label: p.label,
                terms: p.terms,
                framing: p.framing,
                contested,
                links: p.links,
            }
        })
        .collect()
}
