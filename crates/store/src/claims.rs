//! Claims and speakers as the store answers for them: the filters and the rows of
//! [`crate::Store::claims`], [`crate::Store::speakers`] and [`crate::Store::sourcing`].
//!
//! Every claim of a stored document is a row of its own, with the document's date and site
//! beside it, so that quotes can be searched by topic, by person, by outlet and over time
//! without opening documents. Who the speaker is follows the identity rule of
//! [`crate::speakers`]. Propositions (claims grouped across documents) will refer to a claim
//! by its [`ClaimRecord::key`].

use chrono::NaiveDate;
use sitrep_model::{Claim, Stance};

/// Filters over stored claims; every one given must hold.
#[derive(Debug, Default, Clone)]
pub struct ClaimQuery {
    /// Full-text search over the claim's content and source (FTS5 syntax; plain words are
    /// ANDed; text that is not valid syntax is searched as plain words).
    pub about: Option<String>,
    /// The source: every word in the source phrase, or the speaker's name containing it.
    pub source: Option<String>,
    /// Only this speaker's claims.
    pub speaker: Option<u64>,
    /// Only claims whose source is anonymous (`true`) or identified (`false`).
    pub anonymous: Option<bool>,
    pub stance: Option<Stance>,
    /// Only claims of documents published on or after this date.
    pub since: Option<NaiveDate>,
    /// Only claims of documents published on or before this date.
    pub until: Option<NaiveDate>,
    /// Only claims of documents from this site (case-insensitive).
    pub site: Option<String>,
    pub min_confidence: Option<f64>,
    /// At most this many (the latest ones); for speakers, this many speakers.
    pub limit: Option<usize>,
}

/// A speaker as a claim refers to it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerRef {
    pub id: u64,
    pub name: String,
}

/// A stored claim with the document it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRecord {
    /// The store's key of the claim, stable within one store.
    pub key: u64,
    pub doc_id: String,
    pub published: Option<String>,
    pub site: Option<String>,
    pub title: Option<String>,
    pub speaker: Option<SpeakerRef>,
    pub claim: Claim,
}

/// A speaker with what the matching claims say of them.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerSummary {
    pub id: u64,
    pub name: String,
    /// The kind of source it was first quoted as.
    pub kind: String,
    pub anonymous: bool,
    pub actor: Option<String>,
    pub claims: u64,
    pub documents: u64,
    /// Claims in which the source is anonymous.
    pub anonymous_claims: u64,
    /// The outlets that quote them, with how many claims; most first.
    pub outlets: Vec<(Option<String>, u64)>,
    /// Every kind of source the claims describe them as, sorted.
    pub kinds: Vec<String>,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// How one outlet sources its claims.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletProfile {
    pub site: Option<String>,
    pub claims: u64,
    /// Claims with a source.
    pub sourced: u64,
    /// Claims whose source is anonymous.
    pub anonymous: u64,
    pub speakers: u64,
    pub anonymous_speakers: u64,
}
