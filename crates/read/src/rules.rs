//! The cleaner's data: pattern lists and stop words from `data/cleaner/`, embedded in the
//! binary and compiled once on first use.
//!
//! Keeping the phrases in data files means widening the cleaner to a new site is an edit to a
//! list, not to code, and the lists can be reviewed on their own. The files are embedded with
//! `include_str!` so the binary needs no data directory at run time.
//!
//! File format (documented again at the top of each file): one regex per line; `#` starts a
//! comment line; `@NAME = regex` defines a macro that later lines use as `{NAME}`. All lines
//! of a file are compiled into one alternation, so matching a paragraph against a whole list
//! is one regex search.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

/// Which list a pattern file is, for error messages and compile options.
struct PatternFile {
    name: &'static str,
    source: &'static str,
    case_insensitive: bool,
}

pub(crate) static PROMO: LazyLock<Regex> = LazyLock::new(|| {
    compile(&PatternFile {
        name: "promo.txt",
        source: include_str!("../../../data/cleaner/promo.txt"),
        case_insensitive: true,
    })
});

pub(crate) static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&PatternFile {
        name: "byline.txt",
        source: include_str!("../../../data/cleaner/byline.txt"),
        case_insensitive: true,
    })
});

pub(crate) static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    compile(&PatternFile {
        name: "caption.txt",
        source: include_str!("../../../data/cleaner/caption.txt"),
        case_insensitive: true,
    })
});

pub(crate) static NAV: LazyLock<Regex> = LazyLock::new(|| {
    compile(&PatternFile {
        name: "nav.txt",
        source: include_str!("../../../data/cleaner/nav.txt"),
        case_insensitive: true,
    })
});

/// Related-story headings, anchored at the start of a paragraph by [`compile_prefix`].
pub(crate) static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    compile_prefix(&PatternFile {
        name: "related_headings.txt",
        source: include_str!("../../../data/cleaner/related_headings.txt"),
        case_insensitive: true,
    })
});

/// Wire datelines; case-sensitive, and each pattern carries its own `^`.
pub(crate) static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&PatternFile {
        name: "dateline.txt",
        source: include_str!("../../../data/cleaner/dateline.txt"),
        case_insensitive: false,
    })
});

pub(crate) static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/cleaner/stopwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// The patterns of a file, with macros expanded, in file order.
fn patterns(file: &PatternFile) -> Vec<String> {
    let mut macros: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for (number, line) in file.source.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(definition) = line.strip_prefix('@') {
            let (name, body) = definition.split_once('=').unwrap_or_else(|| {
                panic!(
                    "{}:{}: a macro line is `@NAME = regex`",
                    file.name,
                    number + 1
                )
            });
            let body = expand(body.trim(), &macros, file.name, number + 1);
            macros.insert(name.trim().to_string(), body);
            continue;
        }
        out.push(expand(line, &macros, file.name, number + 1));
    }
    out
}

/// Replaces every `{NAME}` of a defined macro by `(?:body)`. Braces that do not name a macro
/// (repetitions such as `{1,4}`, Unicode classes such as `\p{L}`) are left as they are.
fn expand(line: &str, macros: &HashMap<String, String>, file: &str, number: usize) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if is_macro_name(&after[..close])
                    && !out.ends_with("\\p")
                    && !out.ends_with("\\P") =>
            {
                let name = &after[..close];
                let body = macros
                    .get(name)
                    .unwrap_or_else(|| panic!("{file}:{number}: undefined macro {{{name}}}"));
                out.push_str("(?:");
                out.push_str(body);
                out.push(')');
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_macro_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

fn build(file: &PatternFile, alternation: String) -> Regex {
    // Two settings keep matching on the regex crate's lazy DFA instead of its slow PikeVM
    // fallback; measured on a 2 KB wire story, each alone leaves cleaning at 1.2-1.4 ms per
    // article, both together bring it to about 0.05 ms:
    // - ASCII word boundaries: a Unicode `\b` makes the DFA give up on non-ASCII text (curly
    //   quotes are everywhere in news). The lists are English phrases, so an ASCII boundary
    //   finds the same matches.
    // - A 16 MB DFA cache: the case-insensitive alternations with Unicode classes are large
    //   automata, and the default 2 MB cache thrashes.
    let alternation = alternation.replace(r"\b", r"(?-u:\b)");
    RegexBuilder::new(&alternation)
        .case_insensitive(file.case_insensitive)
        .size_limit(64 << 20)
        .dfa_size_limit(16 << 20)
        .build()
        .unwrap_or_else(|e| panic!("{}: invalid pattern: {e}", file.name))
}

/// One regex matching any line of the file.
fn compile(file: &PatternFile) -> Regex {
    let alternation = patterns(file)
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    build(file, alternation)
}

/// One regex matching any line of the file at the start of the text.
fn compile_prefix(file: &PatternFile) -> Regex {
    let alternation = patterns(file)
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    build(file, format!("^(?:{alternation})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_list_compiles() {
        for regex in [
            &*PROMO,
            &*BYLINE,
            &*CAPTION,
            &*NAV,
            &*RELATED_HEADING,
            &*DATELINE,
        ] {
            assert!(!regex.as_str().is_empty());
        }
        assert!(STOP_WORDS.contains("the"));
        assert!(!STOP_WORDS.contains("mali"));
    }

    #[test]
    fn each_pattern_compiles_on_its_own() {
        // The alternation could hide a pattern that only parses next to its neighbours.
        for (name, source) in [
            ("promo", include_str!("../../../data/cleaner/promo.txt")),
            ("byline", include_str!("../../../data/cleaner/byline.txt")),
            ("caption", include_str!("../../../data/cleaner/caption.txt")),
            ("nav", include_str!("../../../data/cleaner/nav.txt")),
            (
                "related",
                include_str!("../../../data/cleaner/related_headings.txt"),
            ),
            (
                "dateline",
                include_str!("../../../data/cleaner/dateline.txt"),
            ),
        ] {
            let file = PatternFile {
                name,
                source,
                case_insensitive: true,
            };
            let list = patterns(&file);
            assert!(list.len() >= 3, "{name} has too few patterns");
            for p in list {
                assert!(Regex::new(&p).is_ok(), "{name}: {p}");
            }
        }
    }

    #[test]
    fn macros_expand_and_repetitions_survive() {
        let file = PatternFile {
            name: "t",
            source: "# comment\n@WORD = [a-z]+\n@TWO = {WORD} {WORD}\n^{TWO}{1,2}\\p{L}$\n",
            case_insensitive: false,
        };
        assert_eq!(
            patterns(&file),
            vec!["^(?:(?:[a-z]+) (?:[a-z]+)){1,2}\\p{L}$".to_string()]
        );
    }

    #[test]
    #[should_panic(expected = "undefined macro")]
    fn undefined_macros_are_reported() {
        patterns(&PatternFile {
            name: "t",
            source: "{NOPE}",
            case_insensitive: false,
        });
    }
}
