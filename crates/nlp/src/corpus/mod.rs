//! The file formats of training and evaluation data: CoNLL-U treebanks ([`conllu`]), IOB2
//! entity files ([`iob2`]) and attribution relations in BRAT standoff ([`attribution`]),
//! with the corpus-facing side of the runtime types (analysing, tagging, parsing and
//! recognising whole files of sentences).
//!
//! Nothing in the runtime modules uses this module (see the crate docs): text reaches the
//! models as plain word slices.

pub mod attribution;
pub mod conllu;
pub mod iob2;
