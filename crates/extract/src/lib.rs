//! Claims and events from the [`sitrep_nlp::Analysis`]: today the attribution relations
//! (who said what, by which cue) that claims are built from ([`attribution`]).

pub mod attribution;
