//! Political events (CAMEO/PLOVER, in the manner of PETRARCH2 and GDELT): who did what to
//! whom, coded from sentences.
//!
//! - [`dictionaries`]: the coder's dictionaries in the standard PETRARCH2/TABARI formats
//!   (verbs with synsets and patterns, actors, agents, discards, issues), read from a folder
//!   the user points sitrep at.

pub mod dictionaries;
