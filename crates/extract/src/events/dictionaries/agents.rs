//! The agent dictionary (`*.agents.txt`): common nouns that give an actor a role
//! ("minister", "rebels"), with their codes.
//!
//! # Format, as implemented
//!
//! ```text
//! !WARDEN! = WARDEN, WARDENS, KEEPER, KEEPERS    a substitution marker
//! HARBOUR_MASTER [~PRT]          phrase, code: regular plural made by the coder
//! MOOSE {} [~ANM]                 no plural
//! GOOSE_HERD {GEESE_HERDS} [~AGR] irregular plural
//! ROAD!WARDEN! [~TRN]             one entry per item of the marker's list, no plural
//! RELIEF_BODY [NGO~]              code before the actor's code
//! ```
//!
//! - A phrase is words separated by `_` (consecutive) or blanks (other words may come
//!   between): [`Agent::loose`] records which.
//! - The code is in `[...]` (blanks inside are trimmed) and has `~` before it (added after the
//!   actor's code: [`AgentPlacement::After`]) or after it (added before:
//!   [`AgentPlacement::Before`]). A line without a code, a code without a `~` or with two, a
//!   `{` without `}` and text after the code are errors.
//! - `{...}` after the phrase gives the plural; `{}` says there is none. Without braces the
//!   coder makes the regular plural ([`super::regular_plural`] on the last word).
//! - `!NAME! = A, B, C` defines a substitution marker (items trimmed); a later phrase with
//!   `!NAME!` becomes one entry per item, with no plural. As in PETRARCH2 only the first
//!   marker of a phrase is substituted (the Phoenix file has `...AD!MINIST!RATIVE...` after a
//!   first marker, which stays as written). An undefined marker is an error.

use super::{Ctx, PhraseId, Sym, content_lines};
use rustc_hash::FxHashMap;

/// Where an agent's code goes relative to the actor's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentPlacement {
    /// `~GOV`: after the actor's code (`USA` + `GOV` = `USAGOV`).
    After,
    /// `NGO~`: before the actor's code.
    Before,
}

/// An agent's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentCode {
    pub code: Sym,
    pub placement: AgentPlacement,
}

/// The plural of an agent entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentPlural {
    /// None given: the regular plural of the last word.
    Regular,
    /// `{}`, or an entry made from a substitution marker: no plural.
    None,
    /// `{...}`: this phrase.
    Given(PhraseId),
}

/// One agent entry (one per item for a phrase with a substitution marker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agent {
    pub phrase: PhraseId,
    /// Bit `i` set: other words may come between word `i` and word `i + 1` (they were
    /// separated by a blank, not `_`). Gaps past the 32nd word are consecutive.
    pub loose: u32,
    pub plural: AgentPlural,
    pub code: AgentCode,
    pub line: u32,
}

/// The agent dictionary.
#[derive(Debug, Default)]
pub struct Agents {
    pub agents: Vec<Agent>,
    /// Substitution markers (`PERSON` for `!PERSON!`) and their items.
    pub markers: FxHashMap<String, Vec<String>>,
}

impl Agents {
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }
}

pub(crate) fn parse(text: &str, ctx: &mut Ctx, out: &mut Agents) {
    for (no, line) in content_lines(text) {
        let line = line.trim();
        if line.starts_with('!') && line.contains('=') {
            define_marker(line, no, ctx, out);
            continue;
        }
        let Some(open) = line.find('[') else {
            ctx.warn(
                no,
                "an agent without a code in [...]: ignored, as PETRARCH2 does",
            );
            continue;
        };
        let close = match line[open..].find(']') {
            Some(i) => open + i,
            None => {
                ctx.warn(
                    no,
                    "a '[' without ']': the code runs to the end of the line, as in PETRARCH2",
                );
                line.len()
            }
        };
        if close < line.len() && !line[close + 1..].trim().is_empty() {
            ctx.error(no, "text after the code");
            continue;
        }
        let code = line[open + 1..close].trim();
        let code = match (code.strip_prefix('~'), code.strip_suffix('~')) {
            (Some(c), None) if !c.is_empty() && !c.contains('~') => AgentCode {
                code: ctx.code(c),
                placement: AgentPlacement::After,
            },
            (None, Some(c)) if !c.is_empty() && !c.contains('~') => AgentCode {
                code: ctx.code(c),
                placement: AgentPlacement::Before,
            },
            _ => {
                ctx.error(
                    no,
                    format!("agent code {code:?} needs one '~', before or after it"),
                );
                continue;
            }
        };
        let head = &line[..open];
        let (phrase, plural) = match head.find('{') {
            Some(b) => {
                let Some(e) = head[b..].find('}').map(|i| b + i) else {
                    ctx.error(no, "a '{' without '}'");
                    continue;
                };
                if !head[e + 1..].trim().is_empty() {
                    ctx.error(no, "text between the plural and the code");
                    continue;
                }
                (&head[..b], Some(head[b + 1..e].trim()))
            }
            None => (head, None),
        };
        let phrase = phrase.trim();
        if phrase.is_empty() {
            ctx.error(no, "an agent without a phrase");
            continue;
        }
        if let Some(m) = phrase.find('!') {
            let Some(len) = phrase[m + 1..].find('!') else {
                ctx.error(no, "a '!' without its closing '!'");
                continue;
            };
            let name = &phrase[m + 1..m + 1 + len];
            let Some(items) = out.markers.get(name) else {
                ctx.error(no, format!("substitution marker !{name}! is not defined"));
                continue;
            };
            let items = items.clone();
            for item in items {
                let expanded = format!("{}{}{}", &phrase[..m], item, &phrase[m + 2 + len..]);
                let (phrase, loose) = loose_phrase(&expanded, ctx);
                out.agents.push(Agent {
                    phrase,
                    loose,
                    plural: AgentPlural::None,
                    code,
                    line: no as u32,
                });
            }
            continue;
        }
        let plural = match plural {
            None => AgentPlural::Regular,
            Some("") => AgentPlural::None,
            Some(p) => AgentPlural::Given(ctx.phrase(p)),
        };
        let (phrase, loose) = loose_phrase(phrase, ctx);
        out.agents.push(Agent {
            phrase,
            loose,
            plural,
            code,
            line: no as u32,
        });
    }
}

/// `!NAME! = A, B, C`.
fn define_marker(line: &str, no: usize, ctx: &mut Ctx, out: &mut Agents) {
    let (name, list) = line.split_once('=').expect("has '='");
    let name = name.trim();
    let Some(name) = name
        .strip_prefix('!')
        .and_then(|n| n.strip_suffix('!'))
        .filter(|n| !n.is_empty() && !n.contains('!'))
    else {
        ctx.error(no, "a substitution marker is !NAME! = ITEM, ITEM, ...");
        return;
    };
    let items: Vec<String> = list
        .split(',')
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect();
    if items.is_empty() {
        ctx.error(no, format!("substitution marker !{name}! without items"));
        return;
    }
    out.markers.insert(name.to_string(), items);
}

/// The phrase and which gaps were blanks.
fn loose_phrase(text: &str, ctx: &mut Ctx) -> (PhraseId, u32) {
    let mut loose = 0u32;
    let mut n = 0usize;
    let mut gap_blank = false;
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let sep = c == '_' || c.is_whitespace();
        match (sep, start) {
            (false, None) => {
                if n > 0 && gap_blank && n <= 32 {
                    loose |= 1 << (n - 1);
                }
                gap_blank = false;
                start = Some(i);
            }
            (true, Some(s)) => {
                words.push(ctx.word(&text[s..i]));
                n += 1;
                start = None;
                gap_blank = c.is_whitespace();
            }
            (true, None) => gap_blank |= c.is_whitespace(),
            (false, Some(_)) => {}
        }
    }
    (ctx.phrase_of(words), loose)
}
