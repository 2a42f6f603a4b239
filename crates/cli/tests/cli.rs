//! The binary end to end on inputs the team wrote: extract formats, bad input in one ingest
//! run, the store's read side, and parsing with either parser.

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

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn extract_json_cleans_and_annotates_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let out = sitrep(
        &[
            "extract",
            &fixture("harbour-strike.txt"),
            "--published",
            "2026-03-05",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["title"],
        "Dock workers strike at Port Selva as talks stall: union sources"
    );
    let text = doc["text"].as_str().unwrap();
    assert!(text.starts_with("Dock workers at Port Selva walked off the job"));
    assert!(text.ends_with("two years later than planned, the organiser said."));
    assert!(!text.contains("newsletter"));
    assert!(!text.contains("football"));
    assert_eq!(
        doc["related"],
        serde_json::json!([
            "Grain prices climb as shipping slows",
            "Port Selva expansion plan wins approval"
        ])
    );
    let kinds: Vec<&str> = doc["boilerplate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"stray_headline") && kinds.contains(&"promo"),
        "{kinds:?}"
    );
    let tuesday = doc["times"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["text"].as_str().unwrap().contains("Tuesday"))
        .unwrap();
    assert_eq!(tuesday["from"], "2026-03-03");
    let workers = doc["quantities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"].as_str().unwrap().contains("1,200"))
        .unwrap();
    assert_eq!(workers["value"], 1200);
    assert_eq!(workers["approx"], true);
    assert_eq!(workers["unit"], "workers");
    // Every span is text[start..end] in code points.
    let chars: Vec<char> = text.chars().collect();
    for layer in ["times", "quantities"] {
        for item in doc[layer].as_array().unwrap() {
            let (s, e) = (
                item["start"].as_u64().unwrap(),
                item["end"].as_u64().unwrap(),
            );
            let got: String = chars[s as usize..e as usize].iter().collect();
            assert_eq!(got, item["text"].as_str().unwrap());
        }
    }
}

#[test]
fn extract_text_and_jsonl_formats() {
    let dir = tempfile::tempdir().unwrap();
    let out = sitrep(
        &[
            "extract",
            &fixture("harbour-strike.txt"),
            "--format",
            "text",
        ],
        dir.path(),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# Dock workers strike at Port Selva"));
    assert!(text.contains("[promo] Sign up for our daily business newsletter"));
    // No --published: "Tuesday" cannot be resolved.
    assert!(text.contains("unresolved"));
    let out = sitrep(
        &[
            "extract",
            &fixture("harbour-strike.txt"),
            "--format",
            "jsonl",
            "--tokens",
        ],
        dir.path(),
    );
    let line = String::from_utf8(out.stdout).unwrap();
    assert_eq!(line.lines().count(), 1);
    let doc: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(doc["tokens"][0]["text"], "Dock");
}

#[test]
fn one_ingest_run_reports_every_bad_input_and_stores_every_good_document() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    png.extend((0u8..=255).cycle().take(4096));
    fs::write(input.join("photo.txt"), png).unwrap();
    fs::write(input.join("empty.txt"), "").unwrap();
    // Windows-1252: "é" is 0xE9, the curly apostrophe 0x92.
    let mut latin =
        b"Troops left the caf\xe9 district on Monday, the mayor\x92s office said.".to_vec();
    latin.extend_from_slice(b"\n\nResidents returned in the evening.");
    fs::write(input.join("latin1.txt"), latin).unwrap();
    fs::write(
        input.join("wire.jsonl"),
        concat!(
            r#"{"id":"a","title":"Talks resume","published":"2026-03-02","site":"Wire","text":"Talks resumed in the capital on Monday."}"#,
            "\n",
            r#"{"id":"b","title":"Broken", "text": "unterminated"#,
            "\n",
            r#"{"id":"c","title":"Aid arrives","published":"2026-03-03T10:00:00Z","site":"Wire","text":"Aid reached the northern town after a week."}"#,
            "\n"
        ),
    )
    .unwrap();
    let big = "The convoy moved north along the river road. ".repeat(50 * 1024 * 1024 / 45 + 1);
    fs::write(input.join("huge.txt"), big).unwrap();

    let out = sitrep(&["ingest", "in", "--db", "t.db", "--quiet"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("photo.txt") && stderr.contains("binary"),
        "{stderr}"
    );
    assert!(
        stderr.contains("empty.txt") && stderr.contains("empty"),
        "{stderr}"
    );
    assert!(stderr.contains("wire.jsonl:2"), "{stderr}");
    assert!(
        stderr.contains("huge.txt") && stderr.contains("cap"),
        "{stderr}"
    );
    assert!(!stderr.contains("latin1.txt"), "{stderr}");
    assert!(
        stderr.contains("ingested 3, unchanged 0, skipped 4"),
        "{stderr}"
    );

    let out = sitrep(&["docs", "--db", "t.db", "--search", "café"], dir.path());
    let listing = String::from_utf8(out.stdout).unwrap();
    assert_eq!(listing.lines().count(), 2, "{listing}");
    assert!(
        listing.contains("[café]") || listing.contains("[caf"),
        "{listing}"
    );

    let out = sitrep(
        &[
            "docs",
            "--db",
            "t.db",
            "--site",
            "wire",
            "--since",
            "2026-03-03",
        ],
        dir.path(),
    );
    let listing = String::from_utf8(out.stdout).unwrap();
    assert_eq!(listing.lines().count(), 1, "{listing}");
    assert!(listing.contains("Aid arrives"));
    let id = listing.split_whitespace().next().unwrap();

    let out = sitrep(
        &["show", &id[..8], "--db", "t.db", "--format", "json"],
        dir.path(),
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["published"], "2026-03-03");
    assert_eq!(
        doc["source"],
        format!("in{}wire.jsonl:3", std::path::MAIN_SEPARATOR)
    );

    let out = sitrep(&["export", "--db", "t.db"], dir.path());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);

    let out = sitrep(&["stats", "--db", "t.db"], dir.path());
    let stats = String::from_utf8(out.stdout).unwrap();
    assert!(stats.contains("documents    3"), "{stats}");

    // The same run again changes nothing.
    let out = sitrep(&["ingest", "in", "--db", "t.db", "--quiet"], dir.path());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ingested 0, unchanged 3, skipped 4"));
}

#[test]
fn store_commands_without_a_database_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = sitrep(&["docs"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no database here"));
    assert!(!dir.path().join("sitrep.db").exists());
}

/// `sitrep parse` on raw text with the default (beam) parser and with `--fast` (greedy): both
/// write CoNLL-U in which the reporting verb is the root and the reported clause its `ccomp`.
#[test]
fn parse_text_with_either_parser() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("story.txt");
    fs::write(
        &text,
        "The ministry said that troops left the town on Monday.\n",
    )
    .unwrap();
    for fast in [false, true] {
        let mut args = vec!["parse", text.to_str().unwrap()];
        if fast {
            args.insert(0, "--fast");
        }
        let out = sitrep(&args, dir.path());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let conllu = String::from_utf8(out.stdout).unwrap();
        let rows: Vec<Vec<&str>> = conllu
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split('\t').collect())
            .collect();
        assert_eq!(rows.len(), 11, "{conllu}");
        let said = rows.iter().find(|r| r[1] == "said").unwrap();
        assert_eq!((said[6], said[7]), ("0", "root"), "fast {fast}: {conllu}");
        let left = rows.iter().find(|r| r[1] == "left").unwrap();
        assert_eq!(
            (left[6], left[7]),
            (said[0], "ccomp"),
            "fast {fast}: {conllu}"
        );
        let troops = rows.iter().find(|r| r[1] == "troops").unwrap();
        assert_eq!(
            (troops[6], troops[7]),
            (left[0], "nsubj"),
            "fast {fast}: {conllu}"
        );
    }
}
