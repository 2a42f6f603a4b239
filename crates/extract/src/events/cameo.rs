//! CAMEO event codes: what each means, how cooperative or hostile it is, and its PLOVER type.
//!
//! The tables live in `data/events/` (see its README for sources and licences):
//!
//! * `cameo_codes.tsv`: `CODE TAB DESCRIPTION`, one header line (GDELT's lookup table);
//! * `goldstein.tsv`: `CODE TAB SCORE`, one header line (GDELT's Goldstein scale);
//! * `cameo_plover.txt`: `CODE: TYPE[, MODE[, CONTEXT]] [# description]`, `#` comments (the
//!   PLOVER project's conversion table). A root may map to two types ("08: CONCEDE", "08:
//!   RETREAT"); the first is its default, and its sub-codes say which they are.
//!
//! Every code's values are looked up with its parents as fallbacks ("0871" → "087" → "08"):
//! a dictionary may use a code the tables do not list, and it still gets its root's values.
//! A malformed line is an error naming the file and line; loading stops there (the tables are
//! shipped, and a user's copy that does not parse must be fixed, not half used).

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

/// Environment variable naming the event tables' folder (overrides the search).
pub const EVENT_TABLES_ENV: &str = "SITREP_EVENT_TABLES";

/// A CAMEO code's PLOVER reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plover {
    /// The event type (`AGREE`, `ASSAULT`, ...).
    pub event_type: String,
    /// The mode within the type (`assist`, `massacre`, ...), when the table gives one.
    pub mode: Option<String>,
    /// The context (`military`, `economic`, ...), when the table gives one.
    pub context: Option<String>,
}

/// What the tables say about one code.
#[derive(Debug, Clone, Default, PartialEq)]
struct Entry {
    name: Option<String>,
    goldstein: Option<f32>,
    plover: Option<Plover>,
}

/// The loaded tables.
#[derive(Debug, Clone, Default)]
pub struct CameoTables {
    codes: FxHashMap<String, Entry>,
}

/// The text of the three tables (what [`CameoTables::load`] reads; tests write it by hand).
#[derive(Debug, Clone, Default)]
pub struct CameoSources {
    pub codes: String,
    pub goldstein: String,
    pub plover: String,
}

/// A table that cannot be read or a line that does not parse.
#[derive(Debug, thiserror::Error)]
pub enum CameoError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}: {message}")]
    Format {
        file: &'static str,
        line: usize,
        message: String,
    },
    #[error(
        "no event tables found: set {EVENT_TABLES_ENV} or run from a checkout with data/events"
    )]
    NotFound,
}

/// The root of a CAMEO code: its first two digits ("1823" → "18").
pub fn root(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

/// GDELT's quad class of a code: 1 verbal cooperation (roots 01–05), 2 material cooperation
/// (06–08), 3 verbal conflict (09–13), 4 material conflict (14–20); `None` for a code that is
/// not a CAMEO event code.
pub fn quad_class(code: &str) -> Option<u8> {
    let root: u8 = root(code).parse().ok()?;
    match root {
        1..=5 => Some(1),
        6..=8 => Some(2),
        9..=13 => Some(3),
        14..=20 => Some(4),
        _ => None,
    }
}

/// A CAMEO event code: two to four digits, its root 01 to 20.
pub fn is_event_code(code: &str) -> bool {
    (2..=4).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_digit())
        && quad_class(code).is_some()
}

impl CameoTables {
    /// `$SITREP_EVENT_TABLES` if set, else the first `data/events` holding `cameo_codes.tsv`
    /// walking up from the working directory, the executable, then this crate's checkout.
    pub fn default_dir() -> Option<PathBuf> {
        sitrep_nlp::locate::data_dir(EVENT_TABLES_ENV, "events", "cameo_codes.tsv")
    }

    /// Loads from [`CameoTables::default_dir`].
    pub fn load_default() -> Result<CameoTables, CameoError> {
        CameoTables::load(&CameoTables::default_dir().ok_or(CameoError::NotFound)?)
    }

    /// Reads `cameo_codes.tsv`, `goldstein.tsv` and `cameo_plover.txt` from `dir`.
    pub fn load(dir: &Path) -> Result<CameoTables, CameoError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| CameoError::Io {
                path: path.display().to_string(),
                source,
            })
        };
        CameoTables::parse(&CameoSources {
            codes: read("cameo_codes.tsv")?,
            goldstein: read("goldstein.tsv")?,
            plover: read("cameo_plover.txt")?,
        })
    }

    /// Builds the tables from their text.
    pub fn parse(src: &CameoSources) -> Result<CameoTables, CameoError> {
        let mut tables = CameoTables::default();
        for (_, code, rest) in tab_rows(&src.codes, "cameo_codes.tsv")? {
            tables.entry(code).name = Some(rest.trim().to_string());
        }
        for (line, code, rest) in tab_rows(&src.goldstein, "goldstein.tsv")? {
            let score: f32 = rest.trim().parse().map_err(|_| CameoError::Format {
                file: "goldstein.tsv",
                line,
                message: format!("score {:?} is not a number", rest.trim()),
            })?;
            if !(-10.0..=10.0).contains(&score) {
                return Err(CameoError::Format {
                    file: "goldstein.tsv",
                    line,
                    message: format!("score {score} is outside -10..10"),
                });
            }
            tables.entry(code).goldstein = Some(score);
        }
        for (i, raw) in src.plover.lines().enumerate() {
            let line = i + 1;
            let text = raw.split('#').next().unwrap_or("").trim();
            if text.is_empty() || text.chars().all(|c| c == '~') {
                continue;
            }
            let bad = |message: String| CameoError::Format {
                file: "cameo_plover.txt",
                line,
                message,
            };
            let (code, mapping) = text
                .split_once(':')
                .ok_or_else(|| bad("expected CODE: TYPE, MODE, CONTEXT".into()))?;
            let code = code.trim();
            if !is_event_code(code) {
                return Err(bad(format!("{code:?} is not a CAMEO event code")));
            }
            let mut fields = mapping.split(',').map(str::trim);
            let event_type = fields.next().unwrap_or("");
            if event_type.is_empty() || !event_type.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(bad(format!(
                    "{event_type:?} is not a PLOVER event type (upper-case letters)"
                )));
            }
            let word = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_string);
            let plover = Plover {
                event_type: event_type.to_string(),
                mode: word(fields.next()),
                context: word(fields.next()),
            };
            if fields.next().is_some() {
                return Err(bad("more than three fields after the code".into()));
            }
            // A root listed twice keeps its first type; codes below it carry their own.
            let entry = tables.entry(code);
            if entry.plover.is_none() {
                entry.plover = Some(plover);
            }
        }
        Ok(tables)
    }

    fn entry(&mut self, code: &str) -> &mut Entry {
        self.codes.entry(code.to_string()).or_default()
    }

    /// The code itself, then its parents, down to its root.
    fn lookup<'a, T>(&'a self, code: &str, value: impl Fn(&'a Entry) -> Option<T>) -> Option<T> {
        (2..=code.len().min(4))
            .rev()
            .filter_map(|n| code.get(..n))
            .find_map(|c| self.codes.get(c).and_then(&value))
    }

    /// The code's description ("Use conventional military force").
    pub fn name(&self, code: &str) -> Option<&str> {
        self.lookup(code, |e| e.name.as_deref())
    }

    /// The code's Goldstein score, -10 (most hostile) to +10 (most cooperative).
    pub fn goldstein(&self, code: &str) -> Option<f32> {
        self.lookup(code, |e| e.goldstein)
    }

    /// The code's PLOVER type, mode and context.
    pub fn plover(&self, code: &str) -> Option<&Plover> {
        self.lookup(code, |e| e.plover.as_ref())
    }

    /// How many codes the tables list.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// The rows of a `CODE TAB VALUE` table after its header line: (line, code, value).
fn tab_rows<'a>(
    text: &'a str,
    file: &'static str,
) -> Result<Vec<(usize, &'a str, &'a str)>, CameoError> {
    let mut rows = Vec::new();
    for (i, raw) in text.lines().enumerate().skip(1) {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let bad = |message: String| CameoError::Format {
            file,
            line,
            message,
        };
        let (code, rest) = raw
            .split_once('\t')
            .ok_or_else(|| bad("expected CODE, a tab, then the value".into()))?;
        let code = code.trim();
        if !is_event_code(code) {
            return Err(bad(format!("{code:?} is not a CAMEO event code")));
        }
        rows.push((line, code, rest));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CameoTables {
        CameoTables::parse(&CameoSources {
            codes: "CAMEOEVENTCODE\tEVENTDESCRIPTION\n\
                    08\tYIELD\n\
                    087\tDe-escalate military engagement\n\
                    19\tFIGHT\n\
                    190\tUse conventional military force\n"
                .into(),
            goldstein: "CAMEOEVENTCODE\tGOLDSTEINSCALE\n08\t5.0\n087\t9.0\n19\t-10.0\n190\t-10.0\n"
                .into(),
            plover: "# a comment\n\
                     08: CONCEDE\n\
                     08: RETREAT\n\
                     087: RETREAT, ceasefire, military # De-escalate\n\
                     190: ASSAULT, , military\n\
                     ~~~~~\n"
                .into(),
        })
        .unwrap()
    }

    #[test]
    fn codes_have_names_scores_and_plover_types_with_their_parents_as_fallbacks() {
        let t = sample();
        assert_eq!(t.name("190"), Some("Use conventional military force"));
        assert_eq!(t.goldstein("190"), Some(-10.0));
        let assault = t.plover("190").unwrap();
        assert_eq!(assault.event_type, "ASSAULT");
        assert_eq!(assault.mode, None);
        assert_eq!(assault.context.as_deref(), Some("military"));
        // 0871 is not listed: its parent 087 speaks for it.
        assert_eq!(t.goldstein("0871"), Some(9.0));
        assert_eq!(t.plover("0871").unwrap().mode.as_deref(), Some("ceasefire"));
        // A root listed twice keeps its first type.
        assert_eq!(t.plover("08").unwrap().event_type, "CONCEDE");
        assert_eq!(t.plover("19"), None, "19 itself is not mapped");
        assert_eq!(t.name("195"), Some("FIGHT"));
        assert_eq!(t.name("21"), None);
    }

    #[test]
    fn roots_and_quad_classes() {
        assert_eq!(root("1823"), "18");
        assert_eq!(quad_class("010"), Some(1));
        assert_eq!(quad_class("057"), Some(1));
        assert_eq!(quad_class("0871"), Some(2));
        assert_eq!(quad_class("112"), Some(3));
        assert_eq!(quad_class("138"), Some(3));
        assert_eq!(quad_class("190"), Some(4));
        assert_eq!(quad_class("21"), None);
        assert_eq!(quad_class("x1"), None);
        assert!(is_event_code("0311") && !is_event_code("03111") && !is_event_code("3"));
    }

    #[test]
    fn malformed_lines_name_their_file_and_line() {
        let err = |src: CameoSources| CameoTables::parse(&src).unwrap_err().to_string();
        let ok = sample_sources();
        assert_eq!(
            err(CameoSources {
                goldstein: "CODE\tSCORE\n190\t-10.0\n191\tminus nine\n".into(),
                ..ok.clone()
            }),
            "goldstein.tsv:3: score \"minus nine\" is not a number"
        );
        assert_eq!(
            err(CameoSources {
                goldstein: "CODE\tSCORE\n190\t-12.0\n".into(),
                ..ok.clone()
            }),
            "goldstein.tsv:2: score -12 is outside -10..10"
        );
        assert_eq!(
            err(CameoSources {
                codes: "CODE\tNAME\n190 Use force\n".into(),
                ..ok.clone()
            }),
            "cameo_codes.tsv:2: expected CODE, a tab, then the value"
        );
        assert_eq!(
            err(CameoSources {
                plover: "# c\n190 ASSAULT\n".into(),
                ..ok.clone()
            }),
            "cameo_plover.txt:2: expected CODE: TYPE, MODE, CONTEXT"
        );
        assert_eq!(
            err(CameoSources {
                plover: "\n\n240: ASSAULT\n".into(),
                ..ok.clone()
            }),
            "cameo_plover.txt:3: \"240\" is not a CAMEO event code"
        );
        assert_eq!(
            err(CameoSources {
                plover: "190: assault\n".into(),
                ..ok
            }),
            "cameo_plover.txt:1: \"assault\" is not a PLOVER event type (upper-case letters)"
        );
    }

    fn sample_sources() -> CameoSources {
        CameoSources {
            codes: "CODE\tNAME\n190\tUse force\n".into(),
            goldstein: "CODE\tSCORE\n190\t-10.0\n".into(),
            plover: "190: ASSAULT\n".into(),
        }
    }

    /// The shipped tables load, and agree with each other.
    #[test]
    fn shipped_tables_load() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/events");
        let t = CameoTables::load(&dir).unwrap();
        assert!(t.len() > 300, "{}", t.len());
        assert_eq!(t.goldstein("190"), Some(-10.0));
        assert_eq!(t.plover("190").unwrap().event_type, "ASSAULT");
        assert_eq!(t.plover("112").unwrap().event_type, "ACCUSE");
        assert_eq!(t.name("044"), Some("Meet at a \"third\" location"));
        // Every listed code has a name and a score.
        for code in t.codes.keys() {
            assert!(t.name(code).is_some(), "{code} has no name");
            assert!(t.goldstein(code).is_some(), "{code} has no score");
        }
    }
}
