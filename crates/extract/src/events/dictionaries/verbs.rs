//! The verb dictionary (`CAMEO.2.0.txt`): synsets, verb synonym blocks and their patterns,
//! and transformations.
//!
//! # Format, as implemented
//!
//! ```text
//! &BOAT                          a synset: '&' and a name ...
//! +FERRY                         ... and its members, '+' lines
//! +STEAM_LAUNCH_                 '_' at the end: no plural for this member
//! &RIVER_                        '_' at the end of the name: no plurals for any member
//! +&CANAL                        a member may be another synset
//!
//! --- PADDLE [040] ---           a verb block: name and default code ('---' if none)
//! PADDLE                         a verb: regular forms made by the coder
//! ROW {ROWS ROWED ROWING} [041]  irregular forms given; its own code
//! +PUSH_OFF {}                   a multi-word verb: '+' marks the verb word; {} no forms
//! UP_+STREAM                     (the verb word need not be first)
//! - * &BOAT (ACROSS RIVER) [042]          a pattern: see below
//! ~ a (a b ROW) SAY = a b 043    a transformation
//! ```
//!
//! A `+` line belongs to the synset whose `&` line it follows (with only `+` lines between);
//! anywhere else it is a multi-word verb. `;` starts a comment on a verb line (TABARI style,
//! two lines of `CAMEO.2.0.txt` use it).
//!
//! A pattern is `-`, the words before the verb, `*` (the verb), the words after it, and the
//! code in `[...]` (the last `[...]` on the line). Its elements ([`Element`]):
//!
//! - a word or words joined by `_` (consecutive), each word maybe a synset (`&NAME`);
//!   several elements after one another are words that follow in that order;
//! - `{A B C}`: a noun phrase whose head is the last word (synsets allowed);
//! - `(PREP ...)`: a prepositional phrase: the preposition, then any elements but another
//!   prepositional phrase (`(TO)`, `(FOR {FINANCIAL AID})`, `(INTO $)`);
//! - `$` the source, `+` the target, `^` a skip, `%` a compound marker (TABARI's markers;
//!   PETRARCH2 reads them as literal words).
//!
//! `_` against the `*` (`IN_*`, `*_LAWS`) says the neighbouring word is next to the verb
//! ([`Pattern::before_adjacent`], [`Pattern::after_adjacent`]); `*WORD` (no blank) is read as
//! `* WORD`. A word with `/` (`TO/FOR`) is kept as one word, as written.
//!
//! A pattern naming a synset not defined before it is ignored with a warning (the PETRARCH
//! documentation's rule). Errors: a pattern without one `*` or without a code, unbalanced
//! `(`, `)`, `{`, `}`, an empty `()` or `{}`, a marker inside `{}`, a nested `(`, a pattern
//! or verb before any block, a verb line that is not `FORM {FORMS} [CODE]`, a multi-word
//! verb without exactly one `+`, a block header without a name, a transformation not of the
//! form `~ S (S T VERB) VERB = S T CODE`.
//!
//! Codes ([`EventCode`]) are kept as written (`042`, `042:043`, `:173`, `---`, `080!`):
//! [`EventCode::parts`] splits them at `:`.

use super::{Ctx, PhraseId, Sym, content_lines};
use rustc_hash::FxHashMap;

/// A verb or pattern code, as written inside `[...]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventCode(pub Sym);

impl EventCode {
    /// The text before and after a `:` (`("042", Some("043"))`, `("", Some("173"))`), or the
    /// whole code and `None`.
    pub fn parts<'a>(&self, symbols: &'a super::Symbols) -> (&'a str, Option<&'a str>) {
        let s = symbols.name(self.0);
        match s.split_once(':') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        }
    }

    /// Whether this is the null code `---` (no event).
    pub fn is_null(&self, symbols: &super::Symbols) -> bool {
        symbols.name(self.0) == "---"
    }
}

/// A verb block: verbs that share patterns (a `--- NAME [CODE] ---` header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbBlock {
    pub name: PhraseId,
    /// The block's default code (`---` when the header has none).
    pub code: EventCode,
    pub line: u32,
}

/// A form of a verb: its words and which one is the verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerbForm {
    pub words: PhraseId,
    /// Index of the verb word in `words` (the `+` one, or 0 for a single word).
    pub verb: u8,
}

/// One verb line of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbEntry {
    pub base: VerbForm,
    /// `{...}`: the other forms as given (empty for `{}`); `None`: regular forms.
    pub irregular: Option<Box<[VerbForm]>>,
    /// The verb's own code; `None`: the block's.
    pub code: Option<EventCode>,
    /// Index in [`Verbs::blocks`] (the verb's synonym block).
    pub block: u32,
    pub line: u32,
}

/// An element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    /// Consecutive words (joined by `_` in the file); any may be a synset (`&NAME`).
    Words(PhraseId),
    /// `{...}`: a noun phrase, head last.
    NounPhrase(PhraseId),
    /// `(PREP ...)`.
    Prep {
        preposition: PhraseId,
        object: Box<[Element]>,
    },
    /// `$`: the source actor.
    Source,
    /// `+`: the target actor.
    Target,
    /// `^`: skip.
    Skip,
    /// `%`: compound.
    Compound,
}

/// A verb pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub before: Box<[Element]>,
    pub after: Box<[Element]>,
    /// `_*`: the last element before the verb is right before it.
    pub before_adjacent: bool,
    /// `*_`: the first element after the verb is right after it.
    pub after_adjacent: bool,
    pub code: EventCode,
    /// Index in [`Verbs::blocks`].
    pub block: u32,
    pub line: u32,
}

/// A member of a synset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynsetMember {
    /// The words (a single `&NAME` word for a nested synset).
    pub phrase: PhraseId,
    /// Whether the coder should also match the regular plural.
    pub plural: bool,
}

/// A synset (`&NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synset {
    /// The name with its `&`, without a trailing `_`.
    pub name: Sym,
    pub members: Vec<SynsetMember>,
    pub line: u32,
}

/// `~ S (S2 T2 VERB2) VERB = S T CODE`: when `VERB` (source `S`) takes the event `VERB2`
/// (source `S2`, target `T2`) as its object, code the event `S T CODE` instead. Variables
/// are letters, `.` (unspecified) or `_` (absent); verbs may be `Q` (any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transformation {
    pub source: Sym,
    pub inner_source: Sym,
    pub inner_target: Sym,
    pub inner_verb: Sym,
    pub verb: Sym,
    pub result_source: Sym,
    pub result_target: Sym,
    pub result_code: Sym,
    pub line: u32,
}

/// The verb dictionary.
#[derive(Debug, Default)]
pub struct Verbs {
    pub blocks: Vec<VerbBlock>,
    pub verbs: Vec<VerbEntry>,
    pub patterns: Vec<Pattern>,
    /// By name (with `&`).
    pub synsets: FxHashMap<Sym, Synset>,
    pub transformations: Vec<Transformation>,
}

pub(crate) fn parse(text: &str, ctx: &mut Ctx, out: &mut Verbs) {
    // The open synset and whether its name allows plurals.
    let mut synset: Option<(Sym, bool)> = None;
    for (no, line) in content_lines(text) {
        let line = line.trim();
        if line.starts_with("---") {
            synset = None;
            parse_block(line, no, ctx, out);
        } else if let Some(name) = line.strip_prefix('&') {
            let name = name.trim();
            if name.is_empty() || name.contains(char::is_whitespace) {
                ctx.error(no, "a synset name is '&' and one word");
                synset = None;
                continue;
            }
            let plural = !name.ends_with('_');
            let sym = ctx.word(&format!("&{}", name.trim_end_matches('_')));
            synset = Some((sym, plural));
            // A redefinition replaces the earlier one.
            out.synsets.insert(
                sym,
                Synset {
                    name: sym,
                    members: Vec::new(),
                    line: no as u32,
                },
            );
        } else if let (Some(member), Some(name)) = (line.strip_prefix('+'), synset) {
            let (name, name_plural) = name;
            let member = member.trim();
            if super::split_words(member).next().is_none() {
                ctx.error(no, "a synset member without words");
                continue;
            }
            let plural = name_plural && !member.ends_with('_');
            let phrase = ctx.phrase(member);
            out.synsets
                .get_mut(&name)
                .expect("open synset")
                .members
                .push(SynsetMember { phrase, plural });
        } else if line.starts_with('~') {
            synset = None;
            parse_transformation(line, no, ctx, out);
        } else if let Some(pattern) = line.strip_prefix('-') {
            synset = None;
            parse_pattern(pattern, no, ctx, out);
        } else {
            synset = None;
            parse_verb(line, no, ctx, out);
        }
    }
}

/// `--- NAME [CODE] ---`.
fn parse_block(line: &str, no: usize, ctx: &mut Ctx, out: &mut Verbs) {
    let inner = line.trim_start_matches('-');
    let inner = inner.trim_end_matches(|c: char| c == '-' || c.is_whitespace());
    let (name, code) = match inner.find('[') {
        Some(open) => {
            let Some(close) = inner[open..].find(']').map(|i| open + i) else {
                ctx.error(no, "a '[' without ']'");
                return;
            };
            if !inner[close + 1..].trim().is_empty() {
                ctx.warn(
                    no,
                    "text after the block's code ignored (PETRARCH2 reads the first code only)",
                );
            }
            (&inner[..open], inner[open + 1..close].trim())
        }
        None => (inner, "---"),
    };
    if super::split_words(name).next().is_none() {
        ctx.error(
            no,
            "a verb block header without a name: --- NAME [CODE] ---",
        );
        return;
    }
    let code = EventCode(ctx.code(if code.is_empty() { "---" } else { code }));
    let name = ctx.phrase(name);
    out.blocks.push(VerbBlock {
        name,
        code,
        line: no as u32,
    });
}

/// `FORM {FORMS} [CODE]`.
fn parse_verb(line: &str, no: usize, ctx: &mut Ctx, out: &mut Verbs) {
    if out.blocks.is_empty() {
        ctx.error(no, "a verb before any '--- NAME [CODE] ---' block");
        return;
    }
    let line = line.split(';').next().unwrap_or("").trim_end();
    let end = line
        .find(|c: char| c.is_whitespace() || c == '{' || c == '[')
        .unwrap_or(line.len());
    let Some(base) = parse_form(&line[..end], no, ctx) else {
        return;
    };
    let mut rest = line[end..].trim_start();
    let mut irregular = None;
    // PETRARCH2 reads every blank-separated word of a verb line as a form: `LASH OUT` is LASH
    // with the other form OUT. Done the same way, with a warning.
    let bare_end = rest.find(['{', '[']).unwrap_or(rest.len());
    if !rest[..bare_end].trim().is_empty() {
        let mut forms = Vec::new();
        for f in rest[..bare_end].split_whitespace() {
            match parse_form(f, no, ctx) {
                Some(f) => forms.push(f),
                None => return,
            }
        }
        ctx.warn(
            no,
            format!(
                "{:?} read as other forms of the verb, as PETRARCH2 does (use {{...}} for forms, '_' and '+' for a multi-word verb)",
                rest[..bare_end].trim()
            ),
        );
        irregular = Some(forms);
        rest = rest[bare_end..].trim_start();
    }
    if let Some(r) = rest.strip_prefix('{') {
        let Some(close) = r.find('}') else {
            ctx.error(no, "a '{' without '}'");
            return;
        };
        let mut forms = irregular.take().unwrap_or_default();
        for f in r[..close].split_whitespace() {
            match parse_form(f, no, ctx) {
                Some(f) => forms.push(f),
                None => return,
            }
        }
        irregular = Some(forms);
        rest = r[close + 1..].trim_start();
    }
    let mut code = None;
    if let Some(r) = rest.strip_prefix('[') {
        let Some(close) = r.find(']') else {
            ctx.error(no, "a '[' without ']'");
            return;
        };
        let c = r[..close].trim();
        if c.is_empty() {
            ctx.error(no, "an empty code");
            return;
        }
        code = Some(EventCode(ctx.code(c)));
        rest = r[close + 1..].trim_start();
    }
    if !rest.is_empty() {
        ctx.error(
            no,
            format!("unexpected {rest:?}: a verb line is FORM {{FORMS}} [CODE]"),
        );
        return;
    }
    out.verbs.push(VerbEntry {
        base,
        irregular: irregular.map(Vec::into_boxed_slice),
        code,
        block: out.blocks.len() as u32 - 1,
        line: no as u32,
    });
}

/// `WORD`, `+WORD_WORD`, `WORD_+WORD`.
fn parse_form(s: &str, no: usize, ctx: &mut Ctx) -> Option<VerbForm> {
    let words: Vec<&str> = s.split('_').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        ctx.error(no, "a verb without words");
        return None;
    }
    let marked: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].starts_with('+'))
        .collect();
    let verb = match (words.len(), marked.as_slice()) {
        (1, []) | (1, [0]) => 0,
        (_, [i]) => *i,
        _ => {
            ctx.error(
                no,
                format!("multi-word verb {s:?} needs exactly one '+' before its verb word"),
            );
            return None;
        }
    };
    if verb > u8::MAX as usize {
        ctx.error(no, "too many words in a verb");
        return None;
    }
    let mut syms = Vec::with_capacity(words.len());
    for w in &words {
        let w = w.trim_start_matches('+');
        if w.is_empty() || w.contains(['{', '}', '[', ']', '+']) {
            ctx.error(no, format!("bad verb form {s:?}"));
            return None;
        }
        syms.push(ctx.word(w));
    }
    Some(VerbForm {
        words: ctx.phrase_of(syms),
        verb: verb as u8,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    Join,
    Star,
    Open(char),
    Close(char),
    Marker(char),
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        let special = matches!(c, '(' | ')' | '{' | '}' | '*' | '_' | '$' | '+' | '^' | '%');
        if c.is_whitespace() || special {
            if let Some(st) = start.take() {
                toks.push(Tok::Word(&s[st..i]));
            }
            match c {
                '(' | '{' => toks.push(Tok::Open(c)),
                ')' | '}' => toks.push(Tok::Close(c)),
                '*' => toks.push(Tok::Star),
                '_' => toks.push(Tok::Join),
                '$' | '+' | '^' | '%' => toks.push(Tok::Marker(c)),
                _ => {}
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        toks.push(Tok::Word(&s[st..]));
    }
    toks
}

/// `- BEFORE * AFTER [CODE]`.
fn parse_pattern(s: &str, no: usize, ctx: &mut Ctx, out: &mut Verbs) {
    if out.blocks.is_empty() {
        ctx.error(no, "a pattern before any '--- NAME [CODE] ---' block");
        return;
    }
    let Some(open) = s.rfind('[') else {
        ctx.error(no, "a pattern without a code in [...]");
        return;
    };
    let Some(close) = s[open..].find(']').map(|i| open + i) else {
        ctx.warn(
            no,
            "a '[' without ']' (a '#' inside the code starts a comment): PETRARCH2 reads an empty code, the pattern is ignored",
        );
        return;
    };
    if !s[close + 1..].trim().is_empty() {
        ctx.error(no, "text after the pattern's code");
        return;
    }
    let code = s[open + 1..close].trim();
    if code.is_empty() {
        ctx.error(no, "an empty code");
        return;
    }
    if !s[..open].ends_with(char::is_whitespace) {
        let glued = s[..close + 1].split_whitespace().last().unwrap_or("");
        ctx.warn(
            no,
            format!(
                "no blank before the code: PETRARCH2 reads {glued:?} as the code, so the pattern is ignored"
            ),
        );
        return;
    }
    let toks = tokenize(&s[..open]);
    let stars: Vec<usize> = (0..toks.len()).filter(|&i| toks[i] == Tok::Star).collect();
    let [star] = stars.as_slice() else {
        ctx.error(
            no,
            format!(
                "a pattern needs one '*' for the verb, this one has {}",
                stars.len()
            ),
        );
        return;
    };
    let before_adjacent = *star > 0 && toks[star - 1] == Tok::Join;
    let after_adjacent = toks.get(star + 1) == Some(&Tok::Join);
    let mut undefined = None;
    let before = match parse_elements(&toks[..*star], ctx, &out.synsets, &mut undefined) {
        Ok(e) => e,
        Err(reason) => return ctx.error(no, reason),
    };
    let after = match parse_elements(&toks[star + 1..], ctx, &out.synsets, &mut undefined) {
        Ok(e) => e,
        Err(reason) => return ctx.error(no, reason),
    };
    if let Some(name) = undefined {
        ctx.warn(
            no,
            format!("synset {name} is not defined before this pattern: pattern ignored"),
        );
        return;
    }
    let code = EventCode(ctx.code(code));
    out.patterns.push(Pattern {
        before: before.into_boxed_slice(),
        after: after.into_boxed_slice(),
        before_adjacent,
        after_adjacent,
        code,
        block: out.blocks.len() as u32 - 1,
        line: no as u32,
    });
}

/// Elements of one side of a pattern.
fn parse_elements(
    toks: &[Tok],
    ctx: &mut Ctx,
    synsets: &FxHashMap<Sym, Synset>,
    undefined: &mut Option<String>,
) -> Result<Vec<Element>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    // Words joined by '_' into one element; a '_' against anything else is dropped.
    let mut words: Vec<Sym> = Vec::new();
    let mut joined = false;
    let word = |w: &str, ctx: &mut Ctx, undefined: &mut Option<String>| {
        let s = ctx.word(w);
        if w.starts_with('&') && !synsets.contains_key(&s) && undefined.is_none() {
            *undefined = Some(w.to_string());
        }
        s
    };
    while i < toks.len() {
        match toks[i] {
            Tok::Word(w) => {
                if !joined && !words.is_empty() {
                    out.push(Element::Words(ctx.phrase_of(words.drain(..))));
                }
                words.push(word(w, ctx, undefined));
                joined = false;
            }
            Tok::Join => joined = true,
            tok => {
                if !words.is_empty() {
                    out.push(Element::Words(ctx.phrase_of(words.drain(..))));
                }
                joined = false;
                match tok {
                    Tok::Marker(c) => out.push(marker(c)),
                    Tok::Open('{') => {
                        let end = toks[i..]
                            .iter()
                            .position(|t| *t == Tok::Close('}'))
                            .ok_or("a '{' without '}'")?
                            + i;
                        let mut np = Vec::new();
                        for t in &toks[i + 1..end] {
                            match *t {
                                Tok::Word(w) => np.push(word(w, ctx, undefined)),
                                Tok::Join => {}
                                _ => return Err("only words may be inside {...}".into()),
                            }
                        }
                        if np.is_empty() {
                            return Err("an empty {}".into());
                        }
                        out.push(Element::NounPhrase(ctx.phrase_of(np)));
                        i = end;
                    }
                    Tok::Open(_) => {
                        let end = toks[i..]
                            .iter()
                            .position(|t| *t == Tok::Close(')'))
                            .ok_or("a '(' without ')'")?
                            + i;
                        let inner = &toks[i + 1..end];
                        if inner.contains(&Tok::Open('(')) {
                            return Err("a '(' inside (...)".into());
                        }
                        let first = inner
                            .iter()
                            .position(|t| *t != Tok::Join)
                            .ok_or("an empty ()")?;
                        let Tok::Word(p) = inner[first] else {
                            return Err("(...) must start with its preposition".into());
                        };
                        let preposition = ctx.phrase(p);
                        let object = parse_elements(&inner[first + 1..], ctx, synsets, undefined)?;
                        out.push(Element::Prep {
                            preposition,
                            object: object.into_boxed_slice(),
                        });
                        i = end;
                    }
                    Tok::Close(c) => return Err(format!("a '{c}' without its opening")),
                    Tok::Star => return Err("a second '*'".into()),
                    Tok::Word(_) | Tok::Join => unreachable!(),
                }
            }
        }
        i += 1;
    }
    if !words.is_empty() {
        out.push(Element::Words(ctx.phrase_of(words)));
    }
    Ok(out)
}

fn marker(c: char) -> Element {
    match c {
        '$' => Element::Source,
        '+' => Element::Target,
        '^' => Element::Skip,
        _ => Element::Compound,
    }
}

/// `~ S (S2 T2 VERB2) VERB = S T CODE`.
fn parse_transformation(line: &str, no: usize, ctx: &mut Ctx, out: &mut Verbs) {
    let bad = "a transformation is ~ S (S T VERB) VERB = S T CODE";
    let Some((lhs, rhs)) = line[1..].split_once('=') else {
        return ctx.error(no, bad);
    };
    let Some((head, rest)) = lhs.split_once('(') else {
        return ctx.error(no, bad);
    };
    let Some((inner, verb)) = rest.split_once(')') else {
        return ctx.error(no, bad);
    };
    let head: Vec<&str> = head.split_whitespace().collect();
    let inner: Vec<&str> = inner.split_whitespace().collect();
    let verb: Vec<&str> = verb.split_whitespace().collect();
    let result: Vec<&str> = rhs.split_whitespace().collect();
    let ([s], [s2, t2, v2], [v], [rs, rt, rc]) = (
        head.as_slice(),
        inner.as_slice(),
        verb.as_slice(),
        result.as_slice(),
    ) else {
        return ctx.error(no, bad);
    };
    let t = Transformation {
        source: ctx.code(s),
        inner_source: ctx.code(s2),
        inner_target: ctx.code(t2),
        inner_verb: ctx.word(v2),
        verb: ctx.word(v),
        result_source: ctx.code(rs),
        result_target: ctx.code(rt),
        result_code: ctx.code(rc),
        line: no as u32,
    };
    out.transformations.push(t);
}
