//! HTML end to end on pages the team wrote: `sitrep extract` on an `.html` file, and
//! `sitrep eval html` on a tiny gold set (gzipped and plain pages), passing and failing.

use std::fs;
use std::io::Write;
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

const BODY_A: &str = "Harbour pilots at the port of Kessin walked out on Monday over pay, halting \
    container traffic for the first time in a decade, their union said.";
const BODY_B: &str = "The port authority said talks would resume on Wednesday and that ferries \
    to the islands were running to the normal timetable.";

fn page(title: &str, date: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>{title} | Kessin Daily</title>\
         <meta property=\"og:site_name\" content=\"Kessin Daily\">\
         <meta property=\"article:published_time\" content=\"{date}\"></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/port\">Port</a> <a href=\"/city\">City</a></nav>\
         <article><h1>{title}</h1>{body}</article>\
         <footer>© Kessin Daily. All rights reserved.</footer></body></html>"
    )
}

#[test]
fn extract_reads_an_html_file_with_its_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pilots.html");
    fs::write(
        &path,
        page(
            "Harbour pilots strike",
            "2026-03-02T07:00:00Z",
            &[BODY_A, BODY_B],
        ),
    )
    .unwrap();
    let out = sitrep(&["extract", "pilots.html", "--format", "json"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["title"], "Harbour pilots strike");
    assert_eq!(doc["site"], "Kessin Daily");
    assert_eq!(doc["published"], "2026-03-02");
    assert_eq!(doc["text"], format!("{BODY_A}\n\n{BODY_B}"));
    // "on Monday" is resolved against the page's date.
    let monday = doc["times"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["text"].as_str().unwrap().contains("Monday"))
        .unwrap();
    assert_eq!(monday["from"], "2026-03-02");
}

#[test]
fn eval_html_scores_pages_and_fails_below_the_floor() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    fs::create_dir(&pages).unwrap();
    // One page gzipped, one plain; the gold of the second holds a paragraph the page lacks.
    let mut gz = flate2::write::GzEncoder::new(
        fs::File::create(pages.join("a.html.gz")).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(page("Pilots strike", "2026-03-02", &[BODY_A, BODY_B]).as_bytes())
        .unwrap();
    gz.finish().unwrap();
    fs::write(
        pages.join("b.html"),
        page("Pilots strike", "2026-03-02", &[BODY_A]),
    )
    .unwrap();
    let truth = serde_json::json!({
        "a": {"articleBody": format!("{BODY_A}\n\n{BODY_B}"), "url": "https://kessin.example/a"},
        "b": {"articleBody": format!("{BODY_A}\n\n{BODY_B}"), "url": "https://kessin.example/b"},
    });
    fs::write(dir.path().join("truth.json"), truth.to_string()).unwrap();

    let out = sitrep(
        &[
            "eval",
            "html",
            "--pages",
            "pages",
            "--truth",
            "truth.json",
            "--floor",
            "0.8",
            "--verbose",
        ],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    // Page a is perfect; page b has all of its text right but about half the gold's: recall
    // (1 + 0.523) / 2, precision 1.
    assert!(stdout.contains("precision 1.0000"), "{stdout}");
    assert!(stdout.contains("F1 0.8645"), "{stdout}");
    assert!(stdout.contains("2 pages"), "{stdout}");
    assert!(stdout.contains("pages/s"), "{stdout}");

    let out = sitrep(
        &[
            "eval",
            "html",
            "--pages",
            "pages",
            "--truth",
            "truth.json",
            "--floor",
            "0.99",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("BELOW FLOOR"));

    let out = sitrep(
        &[
            "eval",
            "html",
            "--pages",
            "missing",
            "--truth",
            "truth.json",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
}
