//! `import`, `claims` and `sources` end to end on `fixtures/claims.jsonl` (four stories of
//! the example corpus with claims annotated by hand, `scripts/claims-fixture.py`), and
//! `propositions` on stories ingested with the shipped finder.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn sitrep(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SITREP_DB")
        .output()
        .unwrap()
}

fn fixture() -> String {
    format!("{}/tests/fixtures/claims.jsonl", env!("CARGO_MANIFEST_DIR"))
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A store with the fixture imported, in a fresh folder.
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = sitrep(&["import", &fixture()], dir.path());
    ok(&out);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "imported 4, unchanged 0, skipped 0 (database sitrep.db)"
    );
    dir
}

fn claims_json(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["claims", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str::<serde_json::Value>(&ok(&sitrep(&all, dir)))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn contents(claims: &[serde_json::Value]) -> Vec<&str> {
    claims
        .iter()
        .map(|c| c["claim"]["content"]["text"].as_str().unwrap())
        .collect()
}

#[test]
fn import_stores_documents_as_they_are_and_reports_bad_lines() {
    let dir = store();
    let stats = ok(&sitrep(&["stats"], dir.path()));
    assert!(stats.contains("documents    4\n"), "{stats}");
    assert!(stats.contains("claims       38\n"), "{stats}");
    // Again: nothing new.
    let again = sitrep(&["import", &fixture()], dir.path());
    assert!(String::from_utf8_lossy(&again.stderr).contains("imported 0, unchanged 4"));
    assert!(ok(&sitrep(&["stats"], dir.path())).contains("claims       38\n"));
    // Moving a store: export, import elsewhere, export again gives the same lines.
    let exported = ok(&sitrep(&["export"], dir.path()));
    let other = tempfile::tempdir().unwrap();
    fs::write(other.path().join("all.jsonl"), &exported).unwrap();
    ok(&sitrep(&["import", "all.jsonl"], other.path()));
    assert_eq!(ok(&sitrep(&["export"], other.path())), exported);
    // Bad lines are reported with file and line; the good ones are stored.
    let mut lines: Vec<String> = exported.lines().map(str::to_string).collect();
    let mut wrong_id: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    wrong_id["id"] = "0123456789abcdef".into();
    lines[1] = wrong_id.to_string();
    lines.insert(2, "{\"id\": 3".into());
    lines.insert(3, String::new());
    fs::write(other.path().join("bad.jsonl"), lines.join("\n")).unwrap();
    let out = sitrep(&["import", "bad.jsonl", "--db", "third.db"], other.path());
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.jsonl:2: id 0123456789abcdef is not the content id"),
        "{err}"
    );
    assert!(err.contains("bad.jsonl:3: not a sitrep document"), "{err}");
    assert!(err.contains("imported 3, unchanged 0, skipped 2"), "{err}");
}

#[test]
fn claims_are_found_by_topic_person_stance_outlet_and_date() {
    let dir = store();
    let d = dir.path();
    // Topic, in time order, each with its document and speaker.
    let about = claims_json(d, &["--about", "instructors"]);
    assert_eq!(
        contents(&about),
        [
            "Halvard staff were “instructors” and did not take part in combat",
            "These are instructors. They are not deployed in combat, they do not carry out \
             operations and they were nowhere near Tolvan on the night of March 1",
            "a “small team” of instructors is present",
        ]
    );
    assert_eq!(about[0]["site"], "Meridian Press");
    assert_eq!(about[0]["published"], "2026-03-04");
    assert_eq!(about[1]["claim"]["source"]["text"], "Oradi");
    assert_eq!(about[1]["speaker"]["name"], "Stefan Oradi");
    // A person however named: "Defence Minister Stefan Oradi", "Oradi", "He".
    let oradi = claims_json(d, &["--source", "Stefan Oradi"]);
    let sources: Vec<&str> = oradi
        .iter()
        .map(|c| c["claim"]["source"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["Defence Minister Stefan Oradi", "Oradi", "He"]);
    let id = oradi[0]["speaker"]["id"].as_u64().unwrap().to_string();
    assert_eq!(claims_json(d, &["--speaker", &id]).len(), 3);
    // Denials, with the denied content as content.
    let denials = claims_json(d, &["--stance", "deny", "--site", "the karsvik herald"]);
    assert_eq!(
        contents(&denials),
        [
            "foreign fighters had taken part in the fighting at Tolvan",
            "These are instructors. They are not deployed in combat, they do not carry out \
             operations and they were nowhere near Tolvan on the night of March 1",
            "it had not been involved in the clash",
        ]
    );
    assert!(
        claims_json(d, &["--anonymous"])
            .iter()
            .all(|c| c["claim"]["source"]["anonymous"] == true)
    );
    assert_eq!(claims_json(d, &["--anonymous"]).len(), 16);
    assert_eq!(claims_json(d, &["--named"]).len(), 22);
    assert_eq!(
        claims_json(d, &["--since", "2026-03-05", "--until", "2026-03-05"]).len(),
        10
    );
    assert_eq!(claims_json(d, &["--min-confidence", "0.9"]).len(), 13);
    // The latest two, in time order.
    assert_eq!(
        contents(&claims_json(d, &["--limit", "2"])),
        [
            "Words of concern are a beginning. We expect action",
            "both countries to “de-escalate immediately”"
        ]
    );
}

#[test]
fn claims_print_as_text_and_csv() {
    let dir = store();
    let text = ok(&sitrep(
        &["claims", "--about", "\"several hundred\"", "--explain"],
        dir.path(),
    ));
    assert_eq!(
        text,
        "2026-03-05  The Continental Times  2416210c#5 C3\n  \
         source   Two European diplomats who declined to be named (anonymous official; \
         \"declined to be named\") [speaker 15]\n  \
         cue      told to The Continental Times: assert, mixed, confidence 0.90\n  \
         content  “several hundred” Halvard employees had arrived in three or four rotations, \
         and that the figure could rise\n  \
         why      annotated by hand for the claims fixture (no attribution finder in this \
         build)\n  \
         why      stance assert\n\n"
    );
    let csv = ok(&sitrep(
        &["claims", "--format", "csv", "--anonymous"],
        dir.path(),
    ));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[7], "source");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 16);
    assert!(rows.iter().all(|r| &r[9] == "true"));
    // A comma inside a field is quoted, not a new column.
    assert!(rows.iter().all(|r| r.len() == header.len()));
    // No claim matches: nothing printed, said on stderr.
    let none = sitrep(&["claims", "--about", "zeppelin"], dir.path());
    assert_eq!(ok(&none), "");
    assert!(String::from_utf8_lossy(&none.stderr).contains("no claims match"));
}

#[test]
fn sources_count_speakers_outlets_and_anonymity() {
    let dir = store();
    let d = dir.path();
    let json: serde_json::Value =
        serde_json::from_str(&ok(&sitrep(&["sources", "--format", "json"], d))).unwrap();
    let speakers = json["speakers"].as_array().unwrap();
    let by_name = |name: &str| {
        speakers
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no speaker {name}"))
    };
    // One institution quoted by two outlets.
    let intelligence = by_name("Ostrelian military intelligence");
    assert_eq!(intelligence["claims"], 2);
    assert_eq!(intelligence["documents"], 2);
    assert_eq!(intelligence["outlets"].as_array().unwrap().len(), 2);
    // "Katarina Voss, a researcher ..." and "Voss": one person.
    assert_eq!(by_name("Katarina Voss")["claims"], 2);
    assert_eq!(by_name("Corin Albescu")["claims"], 2);
    assert_eq!(by_name("The security official")["anonymous"], true);
    // Most quoted first.
    assert_eq!(speakers[0]["name"], "The security official");
    assert_eq!(speakers[0]["claims"], 4);
    let meridian = &json["outlets"][0];
    assert_eq!(meridian["site"], "Meridian Press");
    assert_eq!(
        (&meridian["claims"], &meridian["anonymous"]),
        (&11.into(), &9.into())
    );
    // Filters narrow the claims counted.
    let anonymous: serde_json::Value = serde_json::from_str(&ok(&sitrep(
        &[
            "sources",
            "--anonymous",
            "--site",
            "Global Wire Service",
            "--format",
            "json",
        ],
        d,
    )))
    .unwrap();
    let names: Vec<&str> = anonymous["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Two EU diplomats, who declined to be named because discussions are confidential"]
    );
    let text = ok(&sitrep(&["sources", "--about", "instructors"], d));
    assert!(text.contains("Stefan Oradi (official)"), "{text}");
    assert!(!text.contains("Katarina Voss"), "{text}");
    assert!(
        text.contains("0 of 3 claims with a source (0%) come from anonymous sources"),
        "{text}"
    );
}

#[test]
fn one_speaker_over_time_by_outlet() {
    let dir = store();
    let d = dir.path();
    let json: serde_json::Value =
        serde_json::from_str(&ok(&sitrep(&["sources", "--format", "json"], d))).unwrap();
    let id = json["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Ostrelian military intelligence")
        .unwrap()["id"]
        .to_string();
    let text = ok(&sitrep(&["sources", &id], d));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "# Ostrelian military intelligence");
    assert_eq!(
        lines[2],
        "quoted     2 claims in 2 documents, 2026-03-04 .. 2026-03-05"
    );
    assert_eq!(
        lines[3],
        "outlets    Meridian Press 1, The Continental Times 1"
    );
    assert!(
        lines[5].starts_with(
            "2026-03-04  Meridian Press        claimed  assert  “up to 1,000” foreign"
        )
    );
    assert!(
        lines[6].starts_with("2026-03-05  The Continental Times  says     assert  “up to 1,000”")
    );
    let missing = sitrep(&["sources", "9999"], d);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no claims of a speaker 9999"));
}

/// Team-written stories for propositions: two outlets on one question (are there
/// mercenaries in Kessel?) and one on something else.
const KESSEL: &str = r#"{"title":"Mercenaries in Kessel","site":"Meridian Press","published":"2026-03-02","text":"Foreign mercenaries have deployed to Kessel province, Ostrelian officials said on Monday.\n\nThe officials said about 300 mercenaries had arrived in Kessel in recent weeks."}
{"title":"Varnia denies","site":"The Karsvik Herald","published":"2026-03-03","text":"The Varnian government on Tuesday denied that any mercenaries had deployed to Kessel province.\n\nThe defence minister said the men in Kessel were instructors who had arrived to train the army."}
{"title":"Harvest","site":"Global Wire Service","published":"2026-03-04","text":"The harvest in Lindholm was the best in a decade, farmers said on Wednesday.\n\nGrain prices in Lindholm fell by a third, traders said."}
"#;

fn propositions_json(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["propositions", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(&sitrep(&all, dir))).unwrap()
}

/// (site, position) of each claim of a proposition.
fn positions(p: &serde_json::Value) -> Vec<(String, String)> {
    p["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["site"].as_str().unwrap().to_string(),
                c["position"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn propositions_group_claims_across_outlets_with_positions_and_reasons() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("stories.jsonl"), KESSEL).unwrap();
    ok(&sitrep(&["ingest", "stories.jsonl", "--quiet"], dir.path()));

    let props = propositions_json(dir.path(), &[]);
    assert_eq!(props.len(), 1, "{props:#?}");
    let p = &props[0];
    assert_eq!(p["contested"], true);
    assert_eq!(p["framing"], "mercenary");
    let mut got = positions(p);
    got.sort();
    let want: Vec<(String, String)> = [
        ("Meridian Press", "support"),
        ("Meridian Press", "support"),
        ("The Karsvik Herald", "oppose"),
        ("The Karsvik Herald", "reframe"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    // Each link names what it rests on, the place included.
    let links = p["links"].as_array().unwrap();
    assert!(
        links.iter().all(|l| l.as_str().unwrap().contains("kessel")),
        "{links:?}"
    );

    // The text view explains; --contested and --about filter.
    let text = ok(&sitrep(&["propositions", "--explain"], dir.path()));
    assert!(text.contains("denies its content"), "{text}");
    assert!(
        text.contains("says \"instructor\" where the proposition says \"mercenary\""),
        "{text}"
    );
    assert!(text.contains("grouped: "), "{text}");
    assert_eq!(propositions_json(dir.path(), &["--contested"]).len(), 1);
    assert!(propositions_json(dir.path(), &["--about", "harvest"]).is_empty());

    // Ingesting the same stories again changes nothing; a later story joins the proposition.
    ok(&sitrep(&["ingest", "stories.jsonl", "--quiet"], dir.path()));
    let again = propositions_json(dir.path(), &[]);
    assert_eq!(positions(&again[0]).len(), 4);
    fs::write(
        dir.path().join("later.jsonl"),
        r#"{"title":"More mercenaries","site":"Coastal Tribune","published":"2026-03-05","text":"More foreign mercenaries have deployed to Kessel province, a Western diplomat said on Thursday."}"#,
    )
    .unwrap();
    ok(&sitrep(&["ingest", "later.jsonl", "--quiet"], dir.path()));
    let later = propositions_json(dir.path(), &[]);
    assert_eq!(later.len(), 1, "{later:#?}");
    assert!(
        positions(&later[0]).contains(&("Coastal Tribune".to_string(), "support".to_string())),
        "{:?}",
        positions(&later[0])
    );
}
