//! Actor dictionaries (`*.actors.txt`): named actors, their synonyms and their codes, with
//! date restrictions.
//!
//! # Format, as implemented
//!
//! A record is a primary line, then any synonym lines, then any restriction lines:
//!
//! ```text
//! NORTHLAND_  [NTH]            primary phrase, optional codes on the same line
//! +NORTHLANDER_                synonym: '+' and a phrase
//! GUNNAR_GUNNARSSON_           (a new record)
//!     [NTHGOV 19900101-951231] restriction line: whitespace, then [code date]
//!     [NTHELI >960101]
//!     [NTHELI]                 a code without a date: the default
//! ```
//!
//! - A phrase is words separated by blanks or `_`; a trailing `_` (TABARI's "no stemming")
//!   carries no meaning in PETRARCH2 and is dropped with the other separators. Words keep
//!   their punctuation (`U.S.`, `AL-QAEDA`, `(ACTING`).
//! - `[...]` groups, one or more, possibly adjacent (`[A 900101-901231][B 910101-911231]`),
//!   may follow the primary phrase on its line or fill a line of their own (which, after
//!   leading whitespace, starts with `[`). Inside: a code (no blanks), then optionally a
//!   restriction: `<DATE` (on or before), `>DATE` (on or after), `DATE-DATE` (between,
//!   inclusive), blanks allowed around `<`, `>`, `-`. A code without a date is a default,
//!   used when no restriction applies. The code `---` is the null code.
//! - A date is `YYYYMMDD` or `YYMMDD`; two-digit years `00`–`30` are 20YY, others 19YY (the
//!   KEDS/TABARI rule). A range whose end is before its start is accepted as written (it never
//!   applies; the Phoenix files have a few).
//! - `;` starts a comment, as in TABARI (the PETRARCH documentation's examples use it).
//! - Errors: a restriction line before any actor, a `[` without `]`, an empty code, a bad
//!   date or restriction, a synonym without words, text between or after the code groups.
//! - Kinds are not written in the files; [`ActorKind`] reads them from the CAMEO code's first
//!   three letters.
//!
//! Storage: all records in one `Vec`, their phrases and codes as ranges of two shared
//! arrays.

use std::ops::Range;

use chrono::NaiveDate;

use super::{Ctx, PhraseId, Sym, content_lines};

/// When a code applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRestriction {
    /// Always (a default code: used when no dated code applies).
    Default,
    /// On or before the date.
    Before(NaiveDate),
    /// On or after the date.
    After(NaiveDate),
    /// From the first date to the second, both included.
    Between(NaiveDate, NaiveDate),
}

impl DateRestriction {
    /// Whether a dated restriction covers `date` (`false` for [`DateRestriction::Default`]).
    pub fn covers(&self, date: NaiveDate) -> bool {
        match *self {
            DateRestriction::Default => false,
            DateRestriction::Before(d) => date <= d,
            DateRestriction::After(d) => date >= d,
            DateRestriction::Between(a, b) => a <= date && date <= b,
        }
    }
}

/// A code of an actor, with when it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorCode {
    pub code: Sym,
    pub restriction: DateRestriction,
}

/// What kind of actor a CAMEO actor code names (its first three letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorKind {
    /// `IGO`: an intergovernmental organisation.
    Igo,
    /// `NGO`: a non-governmental organisation.
    Ngo,
    /// `NGM`: a non-governmental movement.
    Ngm,
    /// `MNC`: a multinational corporation.
    Mnc,
    /// `IMG`: an international militarised group.
    Img,
    /// `---`: the null code.
    Null,
    /// Any other three letters: a country or region code (`AFG`, `USA`, `EUR`).
    Country,
    /// A code that is not three letters long at least.
    Other,
}

impl ActorKind {
    pub fn of_code(code: &str) -> ActorKind {
        match code.get(..3) {
            Some("IGO") => ActorKind::Igo,
            Some("NGO") => ActorKind::Ngo,
            Some("NGM") => ActorKind::Ngm,
            Some("MNC") => ActorKind::Mnc,
            Some("IMG") => ActorKind::Img,
            Some("---") => ActorKind::Null,
            Some(p) if p.bytes().all(|b| b.is_ascii_alphabetic()) => ActorKind::Country,
            _ => ActorKind::Other,
        }
    }
}

/// One actor record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    phrases: Range<u32>,
    codes: Range<u32>,
    /// Index of the file in [`Actors::files`].
    pub file: u16,
    /// Line of the primary phrase.
    pub line: u32,
}

/// Every actor of every actor file.
#[derive(Debug, Default)]
pub struct Actors {
    pub actors: Vec<Actor>,
    /// The names of the files read, in order.
    pub files: Vec<String>,
    phrases: Vec<PhraseId>,
    codes: Vec<ActorCode>,
}

impl Actors {
    /// The primary phrase, then the synonyms.
    pub fn phrases(&self, actor: &Actor) -> &[PhraseId] {
        &self.phrases[actor.phrases.start as usize..actor.phrases.end as usize]
    }

    /// The codes in file order (those of the primary line first).
    pub fn codes(&self, actor: &Actor) -> &[ActorCode] {
        &self.codes[actor.codes.start as usize..actor.codes.end as usize]
    }

    /// The code of an actor on a date: the first dated code that covers it, else the first
    /// default, else none.
    pub fn code_on(&self, actor: &Actor, date: NaiveDate) -> Option<Sym> {
        let codes = self.codes(actor);
        codes
            .iter()
            .find(|c| c.restriction.covers(date))
            .or_else(|| {
                codes
                    .iter()
                    .find(|c| c.restriction == DateRestriction::Default)
            })
            .map(|c| c.code)
    }

    pub fn len(&self) -> usize {
        self.actors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    /// Number of phrases (primary and synonyms) of all actors.
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }

    /// Number of codes of all actors.
    pub fn code_count(&self) -> usize {
        self.codes.len()
    }
}

pub(crate) fn parse(text: &str, ctx: &mut Ctx, out: &mut Actors) {
    let mut open = false;
    for (no, line) in content_lines(text) {
        let line = match line.find(';') {
            Some(i) => &line[..i],
            None => &line[..],
        };
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('[') {
            if !open {
                ctx.error(no, "a code line before any actor");
                continue;
            }
            parse_codes(trimmed, no, ctx, out);
        } else if let Some(syn) = trimmed.strip_prefix('+') {
            if !open {
                ctx.error(no, "a synonym before any actor");
                continue;
            }
            if syn.contains('[') {
                ctx.error(
                    no,
                    "a synonym cannot have a code: put codes after the primary phrase",
                );
                continue;
            }
            if super::split_words(syn).next().is_none() {
                ctx.error(no, "a synonym without words");
                continue;
            }
            let p = ctx.phrase(syn);
            out.phrases.push(p);
            out.actors.last_mut().expect("open").phrases.end += 1;
        } else {
            let (phrase, codes) = match trimmed.find('[') {
                Some(i) => (&trimmed[..i], Some(&trimmed[i..])),
                None => (trimmed, None),
            };
            let start = out.phrases.len() as u32;
            let p = ctx.phrase(phrase);
            out.phrases.push(p);
            let c = out.codes.len() as u32;
            out.actors.push(Actor {
                phrases: start..start + 1,
                codes: c..c,
                file: ctx.file_index,
                line: no as u32,
            });
            open = true;
            if let Some(codes) = codes {
                parse_codes(codes, no, ctx, out);
            }
        }
    }
}

/// `[CODE RESTRICTION?]` groups, adjacent or separated by blanks, into the last actor.
fn parse_codes(mut s: &str, no: usize, ctx: &mut Ctx, out: &mut Actors) {
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return;
        }
        let Some(inner) = s.strip_prefix('[') else {
            ctx.warn(
                no,
                format!("text {s:?} after the codes ignored (PETRARCH2 reads it as a junk code)"),
            );
            return;
        };
        let Some(end) = inner.find(']') else {
            ctx.error(no, "a '[' without ']'");
            return;
        };
        let group = inner[..end].trim();
        s = &inner[end + 1..];
        let (code, rest) = match group.find(char::is_whitespace) {
            Some(i) => (&group[..i], group[i..].trim()),
            None => (group, ""),
        };
        if code.is_empty() {
            ctx.error(no, "an empty code");
            return;
        }
        let restriction = if rest.is_empty() {
            DateRestriction::Default
        } else {
            match parse_restriction(rest) {
                Ok((r, warning)) => {
                    if let Some(w) = warning {
                        ctx.warn(no, w);
                    }
                    r
                }
                Err(reason) => {
                    ctx.error(no, reason);
                    return;
                }
            }
        };
        let code = ctx.code(code);
        out.codes.push(ActorCode { code, restriction });
        out.actors.last_mut().expect("open").codes.end += 1;
    }
}

/// `<DATE`, `>DATE` or `DATE-DATE`, and a warning for what was read leniently.
pub(crate) fn parse_restriction(s: &str) -> Result<(DateRestriction, Option<String>), String> {
    let mut warning = None;
    let mut date = |d: &str| -> Result<NaiveDate, String> {
        let (date, w) = parse_date(d.trim())?;
        if w.is_some() {
            warning = w;
        }
        Ok(date)
    };
    let r = if let Some(d) = s.strip_prefix('<') {
        DateRestriction::Before(date(d)?)
    } else if let Some(d) = s.strip_prefix('>') {
        DateRestriction::After(date(d)?)
    } else if let Some((a, b)) = s.split_once('-') {
        DateRestriction::Between(date(a)?, date(b)?)
    } else if s.bytes().all(|b| b.is_ascii_digit()) {
        let d = date(s)?;
        warning = Some(format!(
            "a date without '<', '>' or '-': read as >{s} (PETRARCH2 codes it as 'on or after')"
        ));
        DateRestriction::After(d)
    } else {
        return Err(format!(
            "date restriction {s:?} is not <DATE, >DATE or DATE-DATE"
        ));
    };
    Ok((r, warning))
}

/// `YYYYMMDD` or `YYMMDD` (`00`–`30` → 20YY, else 19YY). As in PETRARCH2, a date of 7
/// digits is read as `YYMMDD` and one of more than 8 as `YYYYMMDD`, the rest ignored (with a
/// warning, the second value).
pub(crate) fn parse_date(s: &str) -> Result<(NaiveDate, Option<String>), String> {
    let bad = || format!("bad date {s:?}: not YYYYMMDD or YYMMDD");
    if s.len() < 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: Range<usize>| s[r].parse::<u32>().expect("digits");
    let (year, rest) = if s.len() <= 7 {
        let yy = num(0..2) as i32;
        (if yy <= 30 { 2000 + yy } else { 1900 + yy }, 2)
    } else {
        (num(0..4) as i32, 4)
    };
    let date = NaiveDate::from_ymd_opt(year, num(rest..rest + 2), num(rest + 2..rest + 4))
        .ok_or_else(|| format!("bad date {s:?}: no such day"))?;
    let warning = (s.len() != 6 && s.len() != 8).then(|| {
        format!(
            "date {s:?} has {} digits: read as {date} (as PETRARCH2 reads it)",
            s.len()
        )
    });
    Ok((date, warning))
}
