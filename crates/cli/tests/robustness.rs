//! `sitrep eval robustness`: documents and problems counted right, per input kind, and a unit
//! that crashes or hangs its worker counted while the evaluation goes on (the faults are
//! simulated by the worker's test switch, so the test needs no real bug).

use std::path::Path;
use std::process::{Command, Output};

const ARTICLE: &str = "Ceasefire holds in border town\n\nThe ceasefire in the border town of \
    Dravik held overnight, residents said on Sunday, as shops reopened for the first time in a \
    week.\n";

/// An item long enough to be read as the feed's own article (not a link to fetch).
fn item_text(place: &str) -> String {
    format!(
        "Negotiators from both sides met again in {place} on Monday, a week after the talks \
         broke down over prisoner exchanges. Officials said the two delegations spent most of \
         the morning on the sequence of releases and on who would inspect the crossing points. \
         A spokesman for the mediators said the sides had agreed to keep the ceasefire in \
         place while the talks continue, and that a joint commission would meet on Thursday to \
         draw up lists of detainees. Residents of the border villages said the shelling had \
         stopped on Saturday night and that the first buses had left for the regional capital. \
         Aid groups asked for safe passage for convoys carrying food and medicine."
    )
}

fn write_inputs(dir: &Path) {
    std::fs::write(dir.join("0-abort.txt"), ARTICLE).unwrap();
    std::fs::write(dir.join("1-hang.txt"), ARTICLE).unwrap();
    std::fs::write(dir.join("a.txt"), ARTICLE).unwrap();
    std::fs::write(dir.join(".hidden.txt"), ARTICLE).unwrap();
    let lines = format!(
        "{}\nnot json\n{}\n",
        serde_json::json!({"text": item_text("Lindholm")}),
        serde_json::json!({"text": ARTICLE})
    );
    std::fs::write(dir.join("b.jsonl"), lines).unwrap();
    std::fs::write(dir.join("c.txt"), "  \n\n").unwrap();
    std::fs::create_dir(dir.join("wellformed")).unwrap();
    let feed = format!(
        "<?xml version=\"1.0\"?>\n<!-- the border desk <b>feed</b> -->\n\
         <rss version=\"2.0\"><channel><title>Border desk</title>\
         <item><title>Talks resume</title><description>{}</description></item>\
         <item><title>Talks go on</title><description>{}</description></item>\
         <item><title>Only a link</title><link>https://example.org/c</link></item>\
         </channel></rss>\n",
        item_text("Lindholm"),
        item_text("Kessel")
    );
    std::fs::write(dir.join("wellformed/d.rss"), feed).unwrap();
    let page = format!(
        "<!DOCTYPE html><html><head><title>Talks</title></head><body><article>\
         <h1>Talks resume</h1>\n<p>{}</p></article></body></html>",
        item_text("Lindholm")
    );
    let dat = format!(
        "#data\n{page}\n#errors\n(1,1): an expected error\n#document\n| <html>\n\n\
         #data\n#errors\n#document\n| <html>\n"
    );
    std::fs::write(dir.join("pages.dat"), dat).unwrap();
}

fn evaluate(dir: &Path, faults: Option<&str>, workers: &str) -> (Output, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    command
        .args(["eval", "robustness", "--timeout", "8", "--workers", workers])
        .arg(dir)
        .env_remove("SITREP_ROBUSTNESS_TEST_FAULTS");
    if let Some(faults) = faults {
        command.env("SITREP_ROBUSTNESS_TEST_FAULTS", faults);
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out, stdout)
}

fn line_with<'a>(stdout: &'a str, start: &str) -> &'a str {
    stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in:\n{stdout}"))
}

#[test]
fn counts_every_input_and_survives_a_crash_and_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    let name = |file: &str| dir.path().join(file).display().to_string();

    // One worker: it aborts on the first file, a new one hangs on the second and is killed,
    // and a third reads the rest.
    let faults = "abort:0-abort.txt,hang:1-hang.txt";
    let (out, stdout) = evaluate(dir.path(), Some(faults), "1");
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    // 7 files (the hidden one skipped), 8 inputs (two pages in the .dat file). Documents:
    // a.txt 1, b.jsonl 2, the feed's 2 items with their article, the first page. Skipped:
    // the bad JSON line, the blank file, the feed's link-only item (offline), the empty page.
    assert_eq!(
        line_with(&stdout, "files "),
        "files 7, inputs 8, documents 6, skipped 4, crashes 1, hangs 1",
        "{stdout}"
    );
    assert_eq!(
        line_with(&stdout, "read as: "),
        "read as: feed 1, html 1, jsonl 1, refused 2, text 1"
    );
    for (kind, n) in [("malformed_json", 1), ("empty", 2), ("offline", 1)] {
        assert_eq!(
            line_with(&stdout, &format!("{kind} ")),
            format!("{kind} {n}")
        );
    }
    assert!(stdout.contains(&format!("e.g. {}:2: malformed JSON", name("b.jsonl"))));
    assert!(stdout.contains(&format!("e.g. {}#data-2: empty input", name("pages.dat"))));
    assert!(stdout.contains(&format!("e.g. {}#item-3: ", name("wellformed/d.rss"))));
    assert_eq!(
        line_with(&stdout, "feeds "),
        "feeds (counted without the feed reader): 1 inputs holding 3 items; read as feeds 1, \
         holding 3: items out 3 (2 documents, 1 problems)"
    );
    assert_eq!(
        line_with(&stdout, "under wellformed/"),
        "under wellformed/: 1 inputs, 1 feeds holding 3 items; read as feeds 1: items out 3 of \
         3 held"
    );
    let crash = line_with(&stdout, "CRASH ");
    assert!(
        crash.starts_with(&format!("CRASH {}: ", name("0-abort.txt"))) && crash.contains("SIGABRT"),
        "{crash}"
    );
    assert!(
        stdout.contains("aborting as SITREP_ROBUSTNESS_TEST_FAULTS asks"),
        "{stdout}"
    );
    assert_eq!(
        line_with(&stdout, "HANG "),
        format!("HANG {}", name("1-hang.txt"))
    );
    assert!(
        stdout.contains("robustness: 1 crashes, 1 hangs in "),
        "{stdout}"
    );
    assert!(line_with(&stdout, "peak memory: +").contains(" times the input's "));

    // Without the faults, the two files are articles like a.txt, and the run passes.
    let (out, stdout) = evaluate(dir.path(), None, "2");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        line_with(&stdout, "files "),
        "files 7, inputs 8, documents 8, skipped 4, crashes 0, hangs 0"
    );
    assert_eq!(
        line_with(&stdout, "read as: "),
        "read as: feed 1, html 1, jsonl 1, refused 2, text 3"
    );
    assert!(
        stdout.contains("robustness: 0 crashes, 0 hangs in "),
        "{stdout}"
    );
}

#[test]
fn a_folder_that_does_not_exist_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["eval", "robustness"])
        .arg(dir.path().join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere: cannot read"));
}
