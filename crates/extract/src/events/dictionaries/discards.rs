//! The discard list (`*.discards.txt`): phrases that mark a sentence, or a whole story, as
//! not to be coded (sports, entertainment, history).
//!
//! # Format, as implemented
//!
//! ```text
//! CHESS OLYMPIAD          a sentence containing it is not coded
//! +TIDDLYWINKS FINAL      '+': the whole story containing it is not coded
//! SNOOKER_                '_' at the end: the match must end at a word's end
//! ```
//!
//! - Matching is by text, case-insensitive (words are stored upper case), with a blank
//!   before the phrase: a phrase is a word prefix unless it ends with `_` (then the match
//!   must be followed by a blank or punctuation: [`Discard::whole_word`]). Words are split
//!   at blanks; `_` inside a phrase is a separator too.
//! - Blanks after the `+` are allowed. A line that is only `+` is an error.

use super::{Ctx, PhraseId, content_lines};

/// What a discard phrase discards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscardScope {
    Sentence,
    /// `+`: the whole story.
    Story,
}

/// One discard phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discard {
    pub phrase: PhraseId,
    pub scope: DiscardScope,
    /// The phrase ended with `_`: the text must not go on with letters after it (otherwise
    /// the last word is a stem).
    pub whole_word: bool,
    pub line: u32,
}

/// The discard list.
#[derive(Debug, Default)]
pub struct Discards {
    pub discards: Vec<Discard>,
}

impl Discards {
    pub fn len(&self) -> usize {
        self.discards.len()
    }

    pub fn is_empty(&self) -> bool {
        self.discards.is_empty()
    }
}

pub(crate) fn parse(text: &str, ctx: &mut Ctx, out: &mut Discards) {
    for (no, line) in content_lines(text) {
        let line = line.trim();
        let (scope, phrase) = match line.strip_prefix('+') {
            Some(p) => (DiscardScope::Story, p.trim()),
            None => (DiscardScope::Sentence, line),
        };
        if super::split_words(phrase).next().is_none() {
            ctx.error(no, "a discard without words");
            continue;
        }
        let whole_word = phrase.ends_with('_');
        let phrase = ctx.phrase(phrase);
        out.discards.push(Discard {
            phrase,
            scope,
            whole_word,
            line: no as u32,
        });
    }
}
