//! Political events (CAMEO/PLOVER, in the manner of PETRARCH2 and GDELT): who did what to
//! whom, coded from sentences.
//!
//! - [`cameo`]: what each CAMEO code means (name, root, quad class, Goldstein score, PLOVER
//!   type), from the tables in `data/events/`;
//! - [`index`]: the look-ups the coder builds from the dictionaries (verbs by verb word,
//!   actors by longest phrase);
//! - [`dictionaries`]: the coder's dictionaries in the standard PETRARCH2/TABARI formats
//!   (verbs with synsets and patterns, actors, agents, discards, issues), read from a folder
//!   the user points sitrep at.

pub mod cameo;
pub mod coder;
pub mod dictionaries;
pub mod index;
