//! The event coder's dictionaries, in the standard PETRARCH2/TABARI formats.
//!
//! Users point sitrep at a folder ([`Dictionaries::load`]): if it holds a `PETR_config.ini`,
//! its `[Dictionaries]` section names the files (`verbfile_name`, `actorfile_list`,
//! `agentfile_name`, `discardfile_name`, `issuefile_name`, as PETRARCH2 reads them);
//! otherwise the PETRARCH2 defaults are used (`CAMEO.2.0.txt`, the three `Phoenix.*.actors.txt`,
//! `Phoenix.agents.txt`, `Phoenix.discards.txt`, `Phoenix.IssueCoding.txt`). A config file
//! can also be given directly ([`Dictionaries::load`] on a `.ini` path: names are relative to
//! the config's folder), or the files one by one ([`DictionaryFiles`]).
//!
//! # Rules common to every file, as implemented
//!
//! - Text is UTF-8 (a file that is not is an error naming the file and the first bad line);
//!   `\r\n` line ends are accepted.
//! - `#` starts a comment that runs to the end of the line, wherever it is.
//! - `<!-- ... -->` is a comment, on one line or over several; text before `<!--` and after
//!   `-->` on the same line is kept. (PETRARCH2 skips a whole line that *starts* with `<!`,
//!   and its verb reader stops recording patterns after such a line; sitrep treats such
//!   comments as comments and nothing more.)
//! - Blank lines (after comments are removed) are skipped.
//! - Words are upper-cased (ASCII and Unicode) when stored: the dictionaries are upper case by
//!   convention, and the discard and issue lists are matched regardless of case. Codes keep
//!   their case.
//! - Within a phrase, words are separated by blanks or `_`; see each format for what the
//!   separators mean.
//!
//! The formats themselves are described in the sub-modules: [`verbs`], [`actors`],
//! [`agents`], [`discards`], [`issues`].
//!
//! # Errors
//!
//! A line the reader cannot make sense of is a [`DictionaryError`] naming the file and the
//! line (`FILE:LINE: reason`, the house style of `sitrep_model::Problem`). Loading does not
//! stop at the first one: every file is read to its end and all the errors of all the files
//! come back together in a [`LoadError`], so that a user editing a dictionary sees every
//! mistake at once; but a dictionary with any error is not used (as PETRARCH would reject
//! it), [`Dictionaries::load`] returns the error.
//!
//! Lines PETRARCH2 silently ignores or misreads (and which the real Phoenix, CAMEO 2.0 and
//! PETR.Validate files contain) are accepted here, each with a warning (kept in
//! [`Dictionaries::warnings`], same form as errors), and read as PETRARCH2 reads them or, where
//! PETRARCH2 would store junk, ignored: a verb pattern naming a synset not defined before it
//! (ignored, the PETRARCH documentation's rule); a pattern code without a blank before its
//! `[` or cut by a `#` (PETRARCH2 reads a junk or empty code: ignored); text after a verb
//! block's first code (ignored); blank-separated words on a verb line (other forms of the
//! verb, as PETRARCH2 reads them); actor dates of 7 or 9+ digits (read as PETRARCH2 reads
//! them: the first 6 or 8 digits); an actor date without `<`, `>` or `-` (read as `>`, as
//! PETRARCH2 codes it); text after an actor's codes that is not a `[...]` (ignored); an agent
//! without a code (ignored) or with an unclosed `[` (the code runs to the end of the line); an
//! issue line without a code, text after an issue's code, a stray `</ISSUE>` (ignored).
//!
//! Only the files a PETRARCH2 config names are meant to load: of the other verb files in the
//! PETRARCH2 distribution, `CAMEO.verbpatterns.150430.txt` (an older TABARI-era file),
//! `CAMEO.2.0_unsorted.txt` and `newdict.txt` have lines this reader reports as errors.
//!
//! # Storage
//!
//! Every word and code is interned once ([`Symbols`], a [`Sym`] is a `u32`) and every phrase
//! is a slice of one shared array of symbols ([`Phrases`], a [`PhraseId`] is a `u32`), so the
//! ~65,000 lines of the Phoenix actor files take a few megabytes and load in milliseconds.

pub mod actors;
pub mod agents;
pub mod discards;
pub mod issues;
pub mod verbs;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use compact_str::CompactString;
use rustc_hash::FxHashMap;

pub use actors::{Actor, ActorCode, ActorKind, Actors, DateRestriction};
pub use agents::{Agent, AgentCode, AgentPlacement, AgentPlural, Agents};
pub use discards::{Discard, DiscardScope, Discards};
pub use issues::{Inflection, Issue, IssueKind, IssueWord, Issues};
pub use verbs::{
    Element, EventCode, Pattern, Synset, SynsetMember, Transformation, VerbBlock, VerbEntry,
    VerbForm, Verbs,
};

/// A malformed line of a dictionary (or a file that cannot be read): `FILE:LINE: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictionaryError {
    /// The file, as it was named to the loader.
    pub file: String,
    /// 1-based line; `None` for a problem with the whole file (cannot be read).
    pub line: Option<usize>,
    pub reason: String,
}

impl fmt::Display for DictionaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

impl std::error::Error for DictionaryError {}

/// Every error found while loading dictionaries, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub errors: Vec<DictionaryError>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// An interned word or code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

/// The interner of every word and code of the dictionaries.
#[derive(Debug, Default)]
pub struct Symbols {
    map: FxHashMap<CompactString, Sym>,
    names: Vec<CompactString>,
}

impl Symbols {
    /// The symbol of `s` as stored (no case change), adding it if new.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let sym = Sym(self.names.len() as u32);
        let name = CompactString::from(s);
        self.names.push(name.clone());
        self.map.insert(name, sym);
        sym
    }

    /// The symbol of `s` as stored, if any entry uses it. Dictionary words are upper case.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }

    /// The text of a symbol.
    pub fn name(&self, sym: Sym) -> &str {
        &self.names[sym.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// A phrase: a slice of [`Phrases`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhraseId(pub u32);

/// Every phrase of the dictionaries, as runs of one array of words.
#[derive(Debug, Default)]
pub struct Phrases {
    words: Vec<Sym>,
    /// `ends[i]` is the end of phrase `i` in `words`; it starts at `ends[i - 1]` (0 for 0).
    ends: Vec<u32>,
}

impl Phrases {
    /// The words of a phrase.
    pub fn get(&self, id: PhraseId) -> &[Sym] {
        let i = id.0 as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.words[start..self.ends[i] as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn push(&mut self, words: impl IntoIterator<Item = Sym>) -> PhraseId {
        self.words.extend(words);
        let id = PhraseId(self.ends.len() as u32);
        self.ends.push(self.words.len() as u32);
        id
    }
}

/// Which format a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictionaryKind {
    Verbs,
    Actors,
    Agents,
    Discards,
    Issues,
}

/// The files of a set of dictionaries. Only the verbs are required by the formats; any of
/// the others may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DictionaryFiles {
    pub verbs: Option<PathBuf>,
    pub actors: Vec<PathBuf>,
    pub agents: Option<PathBuf>,
    pub discards: Option<PathBuf>,
    pub issues: Option<PathBuf>,
}

impl DictionaryFiles {
    /// The PETRARCH2 default set, in `dir`.
    pub fn petrarch2_defaults(dir: &Path) -> DictionaryFiles {
        DictionaryFiles {
            verbs: Some(dir.join("CAMEO.2.0.txt")),
            actors: [
                "Phoenix.Countries.actors.txt",
                "Phoenix.International.actors.txt",
                "Phoenix.MilNonState.actors.txt",
            ]
            .iter()
            .map(|f| dir.join(f))
            .collect(),
            agents: Some(dir.join("Phoenix.agents.txt")),
            discards: Some(dir.join("Phoenix.discards.txt")),
            issues: Some(dir.join("Phoenix.IssueCoding.txt")),
        }
    }

    /// The files a PETRARCH2 config names in its `[Dictionaries]` section, in `dir`.
    ///
    /// The config is an INI file: `[section]` lines, `key = value` (or `key: value`) lines,
    /// comments starting with `#` or `;`. Keys outside `[Dictionaries]` are ignored; a key of
    /// `[Dictionaries]` that is not a dictionary, or a line that is neither, is an error.
    pub fn from_config(
        config_name: &str,
        text: &str,
        dir: &Path,
    ) -> Result<DictionaryFiles, LoadError> {
        let mut files = DictionaryFiles::default();
        let mut errors = Vec::new();
        let mut in_dicts = false;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            let mut error = |reason: String| {
                errors.push(DictionaryError {
                    file: config_name.to_string(),
                    line: Some(i + 1),
                    reason,
                })
            };
            if let Some(section) = line.strip_prefix('[') {
                match section.strip_suffix(']') {
                    Some(name) => in_dicts = name.trim().eq_ignore_ascii_case("Dictionaries"),
                    None => error("section header without ']'".to_string()),
                }
                continue;
            }
            let Some(sep) = line.find(['=', ':']) else {
                error("neither a [section] nor a key = value line".to_string());
                continue;
            };
            if !in_dicts {
                continue;
            }
            let key = line[..sep].trim().to_ascii_lowercase();
            let value = line[sep + 1..].trim();
            let one = |v: &str| (!v.is_empty()).then(|| dir.join(v));
            match key.as_str() {
                "verbfile_name" => files.verbs = one(value),
                "actorfile_list" => {
                    files.actors = value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(|v| dir.join(v))
                        .collect()
                }
                "agentfile_name" => files.agents = one(value),
                "discardfile_name" => files.discards = one(value),
                "issuefile_name" => files.issues = one(value),
                _ => error(format!("unknown dictionary key {key:?}")),
            }
        }
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(LoadError { errors })
        }
    }
}

/// The dictionaries of the event coder, loaded.
#[derive(Debug, Default)]
pub struct Dictionaries {
    pub symbols: Symbols,
    pub phrases: Phrases,
    pub verbs: Verbs,
    pub actors: Actors,
    pub agents: Agents,
    pub discards: Discards,
    pub issues: Issues,
    /// Lines accepted but (partly) ignored, as PETRARCH2 ignores them (see the module
    /// documentation).
    pub warnings: Vec<DictionaryError>,
}

impl Dictionaries {
    /// Loads the dictionaries of a folder (its `PETR_config.ini` if it has one, the
    /// PETRARCH2 default file names otherwise) or of a config file (names relative to its
    /// folder).
    pub fn load(path: impl AsRef<Path>) -> Result<Dictionaries, LoadError> {
        let path = path.as_ref();
        let config = if path.is_dir() {
            let c = path.join("PETR_config.ini");
            c.is_file().then_some(c)
        } else {
            Some(path.to_path_buf())
        };
        let files = match config {
            None => DictionaryFiles::petrarch2_defaults(path),
            Some(config) => {
                let name = config.display().to_string();
                let text = std::fs::read_to_string(&config).map_err(|e| LoadError {
                    errors: vec![DictionaryError {
                        file: name.clone(),
                        line: None,
                        reason: format!("cannot read: {e}"),
                    }],
                })?;
                let dir = config.parent().unwrap_or(Path::new("."));
                DictionaryFiles::from_config(&name, &text, dir)?
            }
        };
        Dictionaries::load_files(&files)
    }

    /// Loads the given files.
    pub fn load_files(files: &DictionaryFiles) -> Result<Dictionaries, LoadError> {
        let mut list: Vec<(DictionaryKind, &Path)> = Vec::new();
        list.extend(
            files
                .verbs
                .iter()
                .map(|p| (DictionaryKind::Verbs, p.as_path())),
        );
        list.extend(
            files
                .actors
                .iter()
                .map(|p| (DictionaryKind::Actors, p.as_path())),
        );
        list.extend(
            files
                .agents
                .iter()
                .map(|p| (DictionaryKind::Agents, p.as_path())),
        );
        list.extend(
            files
                .discards
                .iter()
                .map(|p| (DictionaryKind::Discards, p.as_path())),
        );
        list.extend(
            files
                .issues
                .iter()
                .map(|p| (DictionaryKind::Issues, p.as_path())),
        );
        let mut errors = Vec::new();
        let mut texts = Vec::new();
        for (kind, path) in list {
            let name = path.display().to_string();
            match read_text(path) {
                Ok(text) => texts.push((kind, name, text)),
                Err(reason) => errors.push(DictionaryError {
                    file: name,
                    line: reason.0,
                    reason: reason.1,
                }),
            }
        }
        let sources: Vec<(DictionaryKind, &str, &str)> = texts
            .iter()
            .map(|(k, n, t)| (*k, n.as_str(), t.as_str()))
            .collect();
        match Dictionaries::parse(&sources) {
            Ok(d) if errors.is_empty() => Ok(d),
            Ok(_) => Err(LoadError { errors }),
            Err(mut e) => {
                errors.append(&mut e.errors);
                Err(LoadError { errors })
            }
        }
    }

    /// Parses dictionaries from text: `(kind, file name for messages, text)`, in order.
    pub fn parse(sources: &[(DictionaryKind, &str, &str)]) -> Result<Dictionaries, LoadError> {
        let mut d = Dictionaries::default();
        let mut errors = Vec::new();
        for &(kind, name, text) in sources {
            let mut ctx = Ctx {
                file: name,
                file_index: d.actors.files.len() as u16,
                symbols: &mut d.symbols,
                phrases: &mut d.phrases,
                errors: &mut errors,
                warnings: &mut d.warnings,
                buf: String::new(),
            };
            match kind {
                DictionaryKind::Verbs => verbs::parse(text, &mut ctx, &mut d.verbs),
                DictionaryKind::Actors => {
                    d.actors.files.push(name.into());
                    actors::parse(text, &mut ctx, &mut d.actors)
                }
                DictionaryKind::Agents => agents::parse(text, &mut ctx, &mut d.agents),
                DictionaryKind::Discards => discards::parse(text, &mut ctx, &mut d.discards),
                DictionaryKind::Issues => issues::parse(text, &mut ctx, &mut d.issues),
            }
        }
        if errors.is_empty() {
            Ok(d)
        } else {
            Err(LoadError { errors })
        }
    }

    /// The words of a phrase, joined by blanks (for messages and tests).
    pub fn phrase_text(&self, id: PhraseId) -> String {
        let mut s = String::new();
        for (i, &w) in self.phrases.get(id).iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.symbols.name(w));
        }
        s
    }
}

/// Reads a file as UTF-8; the error is (line of the first bad byte, reason).
fn read_text(path: &Path) -> Result<String, (Option<usize>, String)> {
    let bytes = std::fs::read(path).map_err(|e| (None, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        (Some(line), "not UTF-8 text".to_string())
    })
}

/// What a parser needs: where it is, the shared stores, and where to put errors.
pub(crate) struct Ctx<'a> {
    pub file: &'a str,
    /// Index of the file among the actor files (for [`Actor::file`]).
    pub file_index: u16,
    pub symbols: &'a mut Symbols,
    pub phrases: &'a mut Phrases,
    pub errors: &'a mut Vec<DictionaryError>,
    pub warnings: &'a mut Vec<DictionaryError>,
    buf: String,
}

impl Ctx<'_> {
    pub fn error(&mut self, line: usize, reason: impl Into<String>) {
        self.errors.push(DictionaryError {
            file: self.file.to_string(),
            line: Some(line),
            reason: reason.into(),
        });
    }

    pub fn warn(&mut self, line: usize, reason: impl Into<String>) {
        self.warnings.push(DictionaryError {
            file: self.file.to_string(),
            line: Some(line),
            reason: reason.into(),
        });
    }

    /// The symbol of a word, upper-cased.
    pub fn word(&mut self, w: &str) -> Sym {
        if w.is_ascii() && !w.bytes().any(|b| b.is_ascii_lowercase()) {
            return self.symbols.intern(w);
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        if w.is_ascii() {
            buf.extend(w.chars().map(|c| c.to_ascii_uppercase()));
        } else {
            buf.extend(w.chars().flat_map(char::to_uppercase));
        }
        let sym = self.symbols.intern(&buf);
        self.buf = buf;
        sym
    }

    /// A code, as written.
    pub fn code(&mut self, c: &str) -> Sym {
        self.symbols.intern(c)
    }

    /// A phrase of words separated by blanks or `_` (empty words dropped), upper-cased.
    pub fn phrase(&mut self, text: &str) -> PhraseId {
        let start = self.phrases.words.len();
        for w in split_words(text) {
            let s = self.word(w);
            self.phrases.words.push(s);
        }
        let id = PhraseId(self.phrases.ends.len() as u32);
        self.phrases.ends.push(self.phrases.words.len() as u32);
        debug_assert!(self.phrases.words.len() >= start);
        id
    }

    /// A phrase of already interned words.
    pub fn phrase_of(&mut self, words: impl IntoIterator<Item = Sym>) -> PhraseId {
        self.phrases.push(words)
    }
}

/// The words of a phrase: separated by blanks or `_`.
pub(crate) fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
}

/// The content lines of a dictionary: comments (`#`, `<!-- -->`) removed, blank lines
/// skipped; each with its 1-based number.
pub(crate) fn content_lines(text: &str) -> impl Iterator<Item = (usize, Cow<'_, str>)> {
    let mut in_xml = false;
    text.split('\n').enumerate().filter_map(move |(i, raw)| {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let line = strip_comments(raw, &mut in_xml);
        (!line.trim().is_empty()).then_some((i + 1, line))
    })
}

/// Removes `#` comments and `<!-- -->` comments (which may span lines: `in_xml` carries the
/// state from line to line).
fn strip_comments<'a>(raw: &'a str, in_xml: &mut bool) -> Cow<'a, str> {
    if !*in_xml && !raw.contains(['#', '<']) {
        return Cow::Borrowed(raw);
    }
    let mut out: Option<String> = None;
    let mut rest = raw;
    let mut kept = String::new();
    loop {
        if *in_xml {
            match rest.find("-->") {
                Some(end) => {
                    *in_xml = false;
                    rest = &rest[end + 3..];
                    out.get_or_insert_with(String::new);
                }
                None => break,
            }
        }
        let hash = rest.find('#');
        let xml = rest.find("<!--");
        match (hash, xml) {
            (Some(h), Some(x)) if h < x => {
                kept.push_str(&rest[..h]);
                break;
            }
            (Some(h), None) => {
                kept.push_str(&rest[..h]);
                break;
            }
            (_, Some(x)) => {
                kept.push_str(&rest[..x]);
                out.get_or_insert_with(String::new);
                *in_xml = true;
                rest = &rest[x + 4..];
            }
            (None, None) => {
                kept.push_str(rest);
                break;
            }
        }
    }
    if out.is_none() && kept.len() == raw.len() {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(kept)
}

/// Regular English noun plural as the PETRARCH formats describe it: `Y` → `IES`, `S` →
/// `ES` (the documentation says `SS` → `SSES`; PETRARCH2's code does it for any final `S`),
/// otherwise `S`. Upper-case input gives upper-case output.
pub fn regular_plural(word: &str) -> String {
    if let Some(stem) = word.strip_suffix('Y') {
        format!("{stem}IES")
    } else if word.ends_with('S') {
        format!("{word}ES")
    } else {
        format!("{word}S")
    }
}

#[cfg(test)]
mod tests;
