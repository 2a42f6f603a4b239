//! The issue list (`Phoenix.IssueCoding.txt`, PETRARCH's optional `issuefile_name`): phrases
//! whose presence in a sentence tags its events with issue codes.
//!
//! # Format, as implemented
//!
//! ```text
//! <ISSUE CATEGORY="ROADS" TYPE="ALL">    a section (category and type kept as given)
//! n:pothole [ROADS]                      'n:' the word and its regular plural
//! v:resurface road [ROADS]               'v:' the verb's regular forms (-S, -ED, -ING)
//! toll+road [ROADS]                      '+' joins two words with a blank or a '-'
//! ~pothole poetry                        exclusion: no issues in a sentence with it
//! ~~pothole museum                       exclusion: no issues in a story with it
//! </ISSUE>
//! ```
//!
//! - Matching is by text, case-insensitive (words are stored upper case), with a blank before
//!   and after the phrase.
//! - The entry's text is everything before the first `[`, the code what is inside it. As in
//!   PETRARCH2, a line with neither a code nor `~` is ignored and text after the code is
//!   ignored, each with a warning (the Phoenix file has a few of both, e.g. two entries on
//!   one line, of which PETRARCH2 reads the first). A `[` without `]`, an empty code or an
//!   entry without words is an error; so is an `<ISSUE ...>` tag without `CATEGORY`, or
//!   `</ISSUE>` outside a section.
//! - [`Issue::variants`] expands `n:`, `v:` and `+` as PETRARCH2 does.

use super::{Ctx, Sym, content_lines};

/// What an issue line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    /// Tags events with the code.
    Code(Sym),
    /// `~`: a sentence with this phrase gets no issues.
    ExcludeSentence,
    /// `~~`: a story with this phrase gets no issues.
    ExcludeStory,
}

/// The expansion of an issue word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inflection {
    None,
    /// `n:`: singular and plural.
    Noun,
    /// `v:`: base, -S, -ED, -ING.
    Verb,
}

/// A word of an issue phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssueWord {
    pub word: Sym,
    pub inflection: Inflection,
    /// `+` after this word: the next word follows after a blank or a `-`.
    pub joined_to_next: bool,
}

/// One issue line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub words: Box<[IssueWord]>,
    pub kind: IssueKind,
    /// Index in [`Issues::sections`], if inside one.
    pub section: Option<u32>,
    pub line: u32,
}

/// An `<ISSUE CATEGORY="..." TYPE="...">` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueSection {
    pub category: String,
    pub kind: Option<String>,
    pub line: u32,
}

/// The issue list.
#[derive(Debug, Default)]
pub struct Issues {
    pub issues: Vec<Issue>,
    pub sections: Vec<IssueSection>,
}

impl Issues {
    pub fn len(&self) -> usize {
        self.issues.len()
    }

    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }
}

impl Issue {
    /// The texts the phrase stands for, upper case, words joined by blanks (or `-` for a
    /// `+` join): `n:` gives the word and its plural (`Y` → `IES`, else `S`), `v:` the word,
    /// `S`, `ED` (`D` after `E`) and `ING` (dropping a final `E`).
    pub fn variants(&self, symbols: &super::Symbols) -> Vec<String> {
        let mut out = vec![String::new()];
        for (i, w) in self.words.iter().enumerate() {
            let base = symbols.name(w.word);
            let forms: Vec<String> = match w.inflection {
                Inflection::None => vec![base.to_string()],
                Inflection::Noun => {
                    let plural = match base.strip_suffix('Y') {
                        Some(stem) => format!("{stem}IES"),
                        None => format!("{base}S"),
                    };
                    vec![base.to_string(), plural]
                }
                Inflection::Verb => {
                    let (ed, ing) = match base.strip_suffix('E') {
                        Some(stem) => (format!("{base}D"), format!("{stem}ING")),
                        None => (format!("{base}ED"), format!("{base}ING")),
                    };
                    vec![base.to_string(), format!("{base}S"), ed, ing]
                }
            };
            let seps: &[&str] = if i == 0 {
                &[""]
            } else if self.words[i - 1].joined_to_next {
                &[" ", "-"]
            } else {
                &[" "]
            };
            let mut next = Vec::with_capacity(out.len() * forms.len() * seps.len());
            for prefix in &out {
                for sep in seps {
                    for f in &forms {
                        next.push(format!("{prefix}{sep}{f}"));
                    }
                }
            }
            out = next;
        }
        out
    }
}

pub(crate) fn parse(text: &str, ctx: &mut Ctx, out: &mut Issues) {
    let mut section: Option<u32> = None;
    for (no, line) in content_lines(text) {
        let line = line.trim();
        if let Some(tag) = line.strip_prefix("</") {
            if !tag.trim_start().to_ascii_uppercase().starts_with("ISSUE") {
                ctx.error(no, format!("unknown closing tag {line:?}"));
            } else if section.take().is_none() {
                ctx.warn(no, "</ISSUE> outside a section: ignored, as PETRARCH2 does");
            }
            continue;
        }
        if line.starts_with('<') {
            match parse_section(line) {
                Ok((category, kind)) => {
                    out.sections.push(IssueSection {
                        category,
                        kind,
                        line: no as u32,
                    });
                    section = Some(out.sections.len() as u32 - 1);
                }
                Err(reason) => ctx.error(no, reason),
            }
            continue;
        }
        let (kind, phrase) = if let Some(p) = line.strip_prefix("~~") {
            (IssueKind::ExcludeStory, p)
        } else if let Some(p) = line.strip_prefix('~') {
            (IssueKind::ExcludeSentence, p)
        } else {
            let Some(open) = line.find('[') else {
                ctx.warn(no, "an issue without a code: ignored, as PETRARCH2 does");
                continue;
            };
            let Some(close) = line[open..].find(']').map(|i| open + i) else {
                ctx.error(no, "a '[' without ']'");
                continue;
            };
            let code = line[open + 1..close].trim();
            if code.is_empty() {
                ctx.error(no, "an empty code");
                continue;
            }
            if !line[close + 1..].trim().is_empty() {
                ctx.warn(
                    no,
                    "text after the code: ignored, as PETRARCH2 does (one entry per line)",
                );
            }
            (IssueKind::Code(ctx.code(code)), &line[..open])
        };
        let mut words = Vec::new();
        for token in phrase.split_whitespace() {
            let (inflection, token) = if let Some(t) = strip_prefix_ci(token, "n:") {
                (Inflection::Noun, t)
            } else if let Some(t) = strip_prefix_ci(token, "v:") {
                (Inflection::Verb, t)
            } else {
                (Inflection::None, token)
            };
            let parts: Vec<&str> = token.split('+').collect();
            for (k, part) in parts.iter().enumerate() {
                let (inflection, part) = match strip_prefix_ci(part, "n:") {
                    Some(p) => (Inflection::Noun, p),
                    None => match strip_prefix_ci(part, "v:") {
                        Some(p) => (Inflection::Verb, p),
                        None if k == 0 => (inflection, *part),
                        None => (Inflection::None, *part),
                    },
                };
                if part.is_empty() {
                    continue;
                }
                let word = ctx.word(part);
                words.push(IssueWord {
                    word,
                    inflection,
                    joined_to_next: k + 1 < parts.len(),
                });
            }
        }
        if let Some(last) = words.last_mut() {
            last.joined_to_next = false;
        } else {
            ctx.error(no, "an issue without words");
            continue;
        }
        out.issues.push(Issue {
            words: words.into_boxed_slice(),
            kind,
            section,
            line: no as u32,
        });
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.as_bytes().get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix.as_bytes())
        .then(|| &s[prefix.len()..])
}

/// `<ISSUE CATEGORY="X" TYPE="Y">`.
fn parse_section(line: &str) -> Result<(String, Option<String>), String> {
    let inner = line
        .strip_prefix('<')
        .and_then(|l| l.strip_suffix('>'))
        .ok_or("a tag must be one line: <ISSUE CATEGORY=\"...\">")?;
    let mut parts = inner.splitn(2, char::is_whitespace);
    if !parts.next().unwrap_or("").eq_ignore_ascii_case("ISSUE") {
        return Err(format!("unknown tag {line:?}"));
    }
    let attrs = parts.next().unwrap_or("");
    let attr = |name: &str| -> Option<String> {
        let upper = attrs.to_ascii_uppercase();
        let at = upper.find(&format!("{name}=\""))? + name.len() + 2;
        let end = attrs[at..].find('"')? + at;
        Some(attrs[at..end].to_string())
    };
    let category = attr("CATEGORY").ok_or("an <ISSUE> tag without CATEGORY=\"...\"")?;
    Ok((category, attr("TYPE")))
}
