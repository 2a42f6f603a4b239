//! PETRARCH validation records (`PETR.UnitTest.records*.xml`) and the score of a coder on them.
//!
//! A file holds an `<Environment>` (the dictionary files the records are coded with, and
//! options), then `<Sentences>`: each `<Sentence id=".." date="YYYYMMDD" category="..">` has
//! its `<Text>`, a `<Parse>` (ignored here: sitrep parses the text itself) and what it should
//! code to, in `<EventCoding>` elements: a (source, target, CAMEO code) triple each
//! (`sourcecode="ARN" targetcode="GON" eventcode="064"`; a code may be a quoted actor name),
//! or `noevents="True"`, or `error="..."` (a sentence or a story the discards drop, a parse the
//! coder must reject). `<Config option=".." value="..">` between records changes an option
//! for the records after it. A record without an `<EventCoding>` expects nothing.
//!
//! [`score`] compares a coder's triples with the expected ones: precision, recall and F1 over
//! triples (as multisets per record), and the share of records coded exactly right ("no
//! events" records count: coding nothing is right for them).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::{f1, ratio};

/// A (source, target, code) coding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Triple {
    pub source: String,
    pub target: String,
    pub code: String,
}

/// What a record should code to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Events(Vec<Triple>),
    /// `noevents="True"`: nothing.
    NoEvents,
    /// `error="sentencediscard"`, `"storydiscard"`, `"bad_input_parse"`: nothing is coded.
    Error(String),
}

/// One validation record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub date: Option<NaiveDate>,
    pub category: String,
    pub text: String,
    pub expected: Expected,
    /// The `<Config>` options in force for this record, in file order (later wins).
    pub config: Vec<(String, String)>,
}

/// A validation file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    /// `<Environment>` entries: `Verbfile`, `Actorfile`, `Agentfile`, `Discardfile`, ...
    pub environment: Vec<(String, String)>,
    pub records: Vec<Record>,
}

/// Reads a validation file.
pub fn read_records(path: &Path) -> Result<Records, String> {
    let xml = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    parse_records(&xml).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the XML of a validation file.
pub fn parse_records(xml: &str) -> Result<Records, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Records::default();
    let mut config: Vec<(String, String)> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut current: Option<Record> = None;
    let mut text = String::new();
    let mut codings: Vec<Expected> = Vec::new();
    loop {
        let at = reader.buffer_position();
        let line = || 1 + xml[..(at as usize).min(xml.len())].matches('\n').count();
        let event = reader
            .read_event()
            .map_err(|e| format!("line {}: XML error: {e}", line()))?;
        let (e, has_end) = match event {
            Event::Eof => break,
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                if name == "Sentence"
                    && let Some(mut record) = current.take()
                {
                    record.text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    record.expected = merge(std::mem::take(&mut codings));
                    out.records.push(record);
                }
                continue;
            }
            Event::Text(t) => {
                let value = t.xml10_content();
                match path.as_slice() {
                    [.., parent, leaf] if parent == "Environment" => {
                        out.environment
                            .push((leaf.clone(), value.trim().to_string()));
                    }
                    [.., leaf] if leaf == "Text" && current.is_some() => text.push_str(&value),
                    _ => {}
                }
                continue;
            }
            Event::GeneralRef(r) if path.last().is_some_and(|l| l == "Text") => {
                let value = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r)
                        .unwrap_or_default()
                        .to_string(),
                };
                text.push_str(&value);
                continue;
            }
            _ => continue,
        };
        let name = e.local_name().into_inner().to_string();
        let attrs = || attributes(&e).map_err(|m| format!("line {}: {m}", line()));
        match name.as_str() {
            "Config" => {
                let attrs = attrs()?;
                let get = |k: &str| attrs.get(k).cloned().unwrap_or_default();
                config.push((get("option"), get("value")));
            }
            "EventCoding" if current.is_some() => {
                codings.push(coding(&attrs()?).map_err(|m| format!("line {}: {m}", line()))?)
            }
            "Sentence" => {
                let attrs = attrs()?;
                let id = attrs
                    .get("id")
                    .cloned()
                    .ok_or_else(|| format!("line {}: <Sentence> without an id", line()))?;
                let date = attrs
                    .get("date")
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok());
                current = Some(Record {
                    id,
                    date,
                    category: attrs.get("category").cloned().unwrap_or_default(),
                    text: String::new(),
                    expected: Expected::Events(Vec::new()),
                    config: config.clone(),
                });
                text.clear();
                codings.clear();
            }
            _ => {}
        }
        if has_end {
            path.push(name);
        }
    }
    Ok(out)
}

fn attributes(e: &BytesStart) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|err| format!("bad attribute: {err}"))?;
        let key = a.key.local_name().into_inner().to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| format!("bad attribute value: {err}"))?;
        // A code may be a quoted actor name: `targetcode='"THE MINISTRY"'`.
        out.insert(key, value.trim().trim_matches('"').to_string());
    }
    Ok(out)
}

fn coding(attrs: &HashMap<String, String>) -> Result<Expected, String> {
    if attrs
        .get("noevents")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Ok(Expected::NoEvents);
    }
    if let Some(error) = attrs.get("error") {
        return Ok(Expected::Error(error.clone()));
    }
    let get = |k: &str| {
        attrs
            .get(k)
            .cloned()
            .ok_or_else(|| format!("<EventCoding> without {k}"))
    };
    Ok(Expected::Events(vec![Triple {
        source: get("sourcecode")?,
        target: get("targetcode")?,
        code: get("eventcode")?,
    }]))
}

/// A record's codings together: its triples, else "no events" or the error it names.
fn merge(codings: Vec<Expected>) -> Expected {
    let mut triples = Vec::new();
    let mut other = None;
    for c in codings {
        match c {
            Expected::Events(t) => triples.extend(t),
            c => other = other.or(Some(c)),
        }
    }
    match other {
        Some(c) if triples.is_empty() => c,
        _ => Expected::Events(triples),
    }
}

/// A coder's score on a set of records.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub records: usize,
    pub exact: usize,
    pub predicted: usize,
    pub gold: usize,
    pub matched: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    pub fn exact_share(&self) -> f64 {
        ratio(self.exact, self.records)
    }
}

/// Scores predicted triples (by record id) against the records: a record's triples are
/// matched as multisets; a record with nothing expected (no events, a discard, a rejected
/// parse) is exactly right when nothing is predicted. Records without a prediction count as
/// predicting nothing.
pub fn score(records: &[Record], predicted: &HashMap<String, Vec<Triple>>) -> Score {
    let mut s = Score::default();
    for record in records {
        let gold: &[Triple] = match &record.expected {
            Expected::Events(t) => t,
            Expected::NoEvents | Expected::Error(_) => &[],
        };
        let mine = predicted.get(&record.id).map_or(&[][..], Vec::as_slice);
        let mut left: HashMap<&Triple, usize> = HashMap::new();
        for t in gold {
            *left.entry(t).or_default() += 1;
        }
        let mut matched = 0;
        for t in mine {
            if let Some(n) = left.get_mut(t).filter(|n| **n > 0) {
                *n -= 1;
                matched += 1;
            }
        }
        s.records += 1;
        s.predicted += mine.len();
        s.gold += gold.len();
        s.matched += matched;
        if matched == gold.len() && matched == mine.len() {
            s.exact += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<Validation>
<!-- a comment -->
<Environment>
    <Verbfile>Test.verbs.txt</Verbfile>
    <Actorfile>Test.actors.txt</Actorfile>
    <Config option="stop_on_error" value="True"></Config>
</Environment>
<Sentences>
<Sentence date="19950101" id="T-01" category="DEMO" sentence="true">
<!-- two codings -->
<EventCoding sourcecode="VAR" targetcode="OST" eventcode="042"></EventCoding>
<EventCoding sourcecode="OST" targetcode="VAR" eventcode="043"></EventCoding>
<Text>
Varnia's envoy met Ostrelia's
foreign minister &amp; aides.
</Text>
<Parse> (ROOT (S (NP (NNP Varnia)) ) ) </Parse>
</Sentence>
<Config option="comma_max" value="0"></Config>
<Sentence date="19950102" id="T-02" category="DISCARD" sentence="true">
<EventCoding error="sentencediscard"></EventCoding>
<Text>Football results.</Text>
</Sentence>
<Sentence date="19950103" id="T-03" category="NULL" sentence="true">
<EventCoding noevents = "True"></EventCoding>
<Text>The weather was mild.</Text>
</Sentence>
<Sentence date="19950104" id="T-04" category="ACTOR" sentence="true">
<EventCoding sourcecode='"THE HIGH COUNCIL"' targetcode="VAR" eventcode="111"></EventCoding>
<Text>The High Council criticised Varnia.</Text>
</Sentence>
</Sentences>
</Validation>"#;

    fn t(source: &str, target: &str, code: &str) -> Triple {
        Triple {
            source: source.into(),
            target: target.into(),
            code: code.into(),
        }
    }

    #[test]
    fn records_are_read_with_their_codings_text_and_options() {
        let set = parse_records(XML).unwrap();
        assert_eq!(
            set.environment[..2],
            [
                ("Verbfile".to_string(), "Test.verbs.txt".to_string()),
                ("Actorfile".to_string(), "Test.actors.txt".to_string())
            ]
        );
        assert_eq!(set.records.len(), 4);
        let r = &set.records[0];
        assert_eq!(r.id, "T-01");
        assert_eq!(r.date, NaiveDate::from_ymd_opt(1995, 1, 1));
        assert_eq!(
            r.text,
            "Varnia's envoy met Ostrelia's foreign minister & aides."
        );
        assert_eq!(
            r.expected,
            Expected::Events(vec![t("VAR", "OST", "042"), t("OST", "VAR", "043")])
        );
        assert_eq!(r.config, [("stop_on_error".into(), "True".into())]);
        assert_eq!(
            set.records[1].expected,
            Expected::Error("sentencediscard".into())
        );
        assert_eq!(set.records[1].config.last().unwrap().0, "comma_max");
        assert_eq!(set.records[2].expected, Expected::NoEvents);
        assert_eq!(
            set.records[3].expected,
            Expected::Events(vec![t("THE HIGH COUNCIL", "VAR", "111")])
        );
    }

    #[test]
    fn scores_count_triples_and_exact_records() {
        let set = parse_records(XML).unwrap();
        let mut predicted = HashMap::new();
        // T-01: one of two right, one wrong; T-02: nothing (right); T-03: one spurious; T-04
        // right.
        predicted.insert(
            "T-01".to_string(),
            vec![t("VAR", "OST", "042"), t("VAR", "OST", "043")],
        );
        predicted.insert("T-03".to_string(), vec![t("VAR", "OST", "010")]);
        predicted.insert(
            "T-04".to_string(),
            vec![t("THE HIGH COUNCIL", "VAR", "111")],
        );
        let s = score(&set.records, &predicted);
        assert_eq!((s.records, s.exact), (4, 2));
        assert_eq!((s.predicted, s.gold, s.matched), (4, 3, 2));
        assert!((s.precision() - 0.5).abs() < 1e-9);
        assert!((s.recall() - 2.0 / 3.0).abs() < 1e-9);
        // A duplicate prediction matches once.
        predicted.insert(
            "T-04".to_string(),
            vec![t("THE HIGH COUNCIL", "VAR", "111"); 2],
        );
        let s = score(&set.records, &predicted);
        assert_eq!((s.predicted, s.matched, s.exact), (5, 2, 1));
    }

    #[test]
    fn broken_xml_names_its_line() {
        let err =
            parse_records("<Validation>\n<Sentences>\n<Sentence id=\"x\">\n</Text>").unwrap_err();
        assert!(err.starts_with("line "), "{err}");
        let err = parse_records("<Validation><Sentence date=\"19950101\"></Sentence>").unwrap_err();
        assert!(err.contains("without an id"), "{err}");
    }
}
