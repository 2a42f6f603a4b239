//! Claims (and, next, events) from sitrep's one analysed document.
//!
//! - [`attribution`]: the trained extractor that finds attribution relations (who said what,
//!   by which cue) as source, cue and content spans: a sequence model over the parse, then
//!   linking. It implements [`claims::FindAttributions`].
//! - [`claims`]: an attribution (source, cue, content spans, as the trained extractor finds
//!   them) described for an analyst: the source's kind, whether it is anonymous and what in
//!   the text says so, its actor, the earlier claim whose source it repeats; the stance
//!   (assert, deny, hedge); direct, indirect or mixed quoting; the recipient; the time of the
//!   statement; a confidence and the reasons for every decision.
//! - [`propositions`]: claims across documents grouped by what they are about, each with its
//!   position (support, oppose, reframe) and the reasons.

pub mod attribution;
pub mod claims;
pub mod events;
pub mod propositions;
