//! `sitrep eval polnear` end to end on a tiny PolNeAR-style folder the team wrote: the
//! baseline's scores, the floors, the trained extractor (the default), an unreadable gold
//! file, a missing folder.

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

const TEXT: &str = "Bridge holds\n\n“We will hold the bridge until the very end of the week,” the \
    colonel said on Friday. Officials said that the troops had left the town.\n\nAccording to \
    the port authority, ferries were running on time.";

/// A BRAT span record for `needle` inside `context` (unique in the text), with code point
/// offsets.
fn span(id: &str, label: &str, context: &str, needle: &str) -> String {
    assert_eq!(TEXT.matches(context).count(), 1, "{context}");
    let at = TEXT.find(context).unwrap() + context.find(needle).unwrap();
    let start = TEXT[..at].chars().count();
    let end = start + needle.chars().count();
    format!("{id}\t{label} {start} {end}\t{needle}\n")
}

/// Three relations: a direct quote and an indirect one the baseline finds, and "according
/// to", which it does not.
fn gold() -> String {
    let quote = "“We will hold the bridge until the very end of the week,”";
    let indirect = "that the troops had left the town";
    [
        span("T1", "Source", "the colonel", "the colonel"),
        span("T2", "Cue", "colonel said", "said"),
        span("T3", "Content", quote, quote),
        span("T4", "Attribution", "colonel said", "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n".into(),
        span("T5", "Source", "Officials", "Officials"),
        span("T6", "Cue", "Officials said", "said"),
        span("T7", "Content", indirect, indirect),
        span("T8", "Attribution", "Officials said", "said"),
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n".into(),
        span("T9", "Cue", "According to", "According to"),
        span(
            "T10",
            "Content",
            "ferries were running on time",
            "ferries were running on time",
        ),
        span(
            "T11",
            "Attribution-no-source",
            "According to",
            "According to",
        ),
        "E3\tAttribution-no-source:T11 Cue:T9 Content:T10\n".into(),
    ]
    .concat()
}

/// Writes the gold folder: article `a` (the relations above), article `b` (no relation,
/// annotated by two annotators: the first file is read), and with `broken`, article `c`
/// whose annotation file has a malformed line 2.
fn write_gold(dir: &Path, broken: bool) {
    fs::create_dir_all(dir.join("gold/text")).unwrap();
    fs::create_dir_all(dir.join("gold/attributions")).unwrap();
    fs::write(dir.join("gold/text/a.txt"), TEXT).unwrap();
    fs::write(dir.join("gold/attributions/a_0001.ann"), gold()).unwrap();
    fs::write(dir.join("gold/text/b.txt"), "Nothing attributed here.").unwrap();
    fs::write(dir.join("gold/attributions/b_0001.ann"), "").unwrap();
    fs::write(dir.join("gold/attributions/b_0002.ann"), "junk").unwrap();
    if broken {
        fs::write(dir.join("gold/text/c.txt"), TEXT).unwrap();
        fs::write(
            dir.join("gold/attributions/c_0001.ann"),
            format!(
                "{}T2\tCue 7 x\tsaid\n",
                span("T1", "Cue", "Officials said", "said")
            ),
        )
        .unwrap();
    }
}

#[test]
fn the_baseline_is_scored_against_the_floors() {
    let dir = tempfile::tempdir().unwrap();
    write_gold(dir.path(), false);
    let args = |partial: &str, exact: &str| -> Vec<String> {
        [
            "eval",
            "polnear",
            "--gold",
            "gold",
            "--floor-partial",
            partial,
            "--floor-exact",
            exact,
            "--baseline",
        ]
        .map(String::from)
        .to_vec()
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        sitrep(&a, dir.path())
    };
    let out = run(args("0.8", "0.8"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("predictor: BASELINE"), "{stdout}");
    assert!(
        stdout.contains("passed over: 1 other annotators' files"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 articles, 3 gold relations: direct 1 (33%), mixed 0 (0%), indirect 2 (67%); 2 predicted"),
        "{stdout}"
    );
    // The quote and the clausal complement exactly; "according to" missed.
    assert!(
        stdout.contains("  exact                1.000   0.667   0.800  floor 0.80  ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  partial              1.000   0.667   0.800  floor 0.80  ok"),
        "{stdout}"
    );
    assert!(stdout.contains("meets the floors"), "{stdout}");

    let out = run(args("0.9", "0.8"));
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("BELOW FLOOR"));

    let out = sitrep(&["eval", "polnear", "--gold", "missing"], dir.path());
    assert_eq!(out.status.code(), Some(1));
}

/// Without `--baseline` the shipped `attribution.bin` predicts: all three cues and contents,
/// "according to" included, which the fixture's gold gives no source while the model takes
/// "the port authority" for it (so partial F1 misses the floor: exit 3).
#[test]
fn the_trained_extractor_is_the_default() {
    let dir = tempfile::tempdir().unwrap();
    write_gold(dir.path(), false);
    let out = sitrep(&["eval", "polnear", "--gold", "gold"], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("predictor: trained attribution extractor"),
        "{stdout}"
    );
    assert!(stdout.contains("3 gold relations"), "{stdout}");
    assert!(stdout.contains("; 3 predicted"), "{stdout}");
    assert!(
        stdout.contains("  exact                0.667   0.667   0.667  floor 0.45  ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  cue tokens           1.000   1.000   1.000\n  content tokens       1.000   1.000   1.000"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PolNeAR evaluation (trained): BELOW FLOOR"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn an_unreadable_gold_file_is_reported_and_the_rest_scored() {
    let dir = tempfile::tempdir().unwrap();
    write_gold(dir.path(), true);
    let out = sitrep(
        &[
            "eval",
            "polnear",
            "--gold",
            "gold",
            "--floor-partial",
            "0",
            "--floor-exact",
            "0",
        ],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}{stderr}");
    assert!(stderr.contains("c_0001.ann:2: T2: bad offsets"), "{stderr}");
    assert!(
        stdout.contains("gold: 2 articles (1 unreadable)"),
        "{stdout}"
    );
    assert!(stdout.contains("meets the floors"), "{stdout}");
}
