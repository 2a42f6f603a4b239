//! Hostile inputs in a batch: whatever one input does to a parser, `ingest` commits every
//! good document and reports the bad input with its reason (issue 11).

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

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
         <p>{body}</p></article></body></html>"
    )
}

/// The tag that overflowed html5gum's stack: 50,000 double-quoted attributes.
fn hostile_tag() -> String {
    format!("<div {}>", "a=\"v\" ".repeat(50_000))
}

/// A WARC file of one HTML response record.
fn warc_of(html: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
         WARC-Target-URI: https://news.example/attrs\r\nWARC-Date: 2026-03-04T10:00:00Z\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    out.extend_from_slice(http.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out
}

#[test]
fn a_page_with_fifty_thousand_attributes_costs_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let stories = [
        (
            "Ceasefire holds in Dravik",
            "The ceasefire in the border town of Dravik held overnight, residents said on Sunday.",
        ),
        (
            "Aid convoy reaches the north",
            "An aid convoy reached the northern town on Tuesday after a week on the road.",
        ),
        (
            "Talks resume in Lindholm",
            "Negotiators from both sides met in Lindholm on Monday for a second round of talks.",
        ),
    ];
    for (n, (title, body)) in stories.iter().enumerate() {
        fs::write(input.join(format!("good{n}.html")), page(title, body)).unwrap();
    }
    let hostile = page(
        "Attributes",
        &format!(
            "{}Officials met in the capital on Friday.</div>",
            hostile_tag()
        ),
    );
    fs::write(input.join("hostile.html"), &hostile).unwrap();
    let crawled = page(
        "Attributes, crawled",
        &format!(
            "{}Officials met in the capital again on Saturday.</div>",
            hostile_tag()
        ),
    );
    fs::write(input.join("hostile.warc"), warc_of(&crawled)).unwrap();
    let long = "Officials in the capital said the talks would go on through the week. ".repeat(10);
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><item>\
         <title>Attributes in a feed</title><description><![CDATA[{}<p>{long}</p></div>]]>\
         </description></item></channel></rss>",
        hostile_tag()
    );
    fs::write(input.join("hostile.rss"), feed).unwrap();

    let out = sitrep(&["ingest", "in", "--db", "t.db", "--quiet"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("ingested 6, unchanged 0, skipped 0"),
        "{stderr}"
    );

    let out = sitrep(&["docs", "--db", "t.db", "--search", "capital"], dir.path());
    let listing = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        listing.lines().filter(|l| !l.starts_with(' ')).count(),
        3,
        "{listing}"
    );
}

/// Claims on hostile text (issue 12): a 5,000-word sentence with no punctuation, a story of
/// 2,000 quotes, and quote marks opened and never closed across paragraphs are each read
/// to the end in one batch with a good story, whose claim is stored as usual. (Their cost
/// is linear: measured in the README, not asserted here.)
#[test]
fn claims_survive_a_huge_sentence_thousands_of_quotes_and_unclosed_quote_marks() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let words = [
        "officials",
        "said",
        "the",
        "army",
        "had",
        "moved",
        "troops",
        "near",
        "border",
        "and",
        "that",
        "talks",
        "would",
        "resume",
    ];
    let sentence: Vec<&str> = (0..5_000)
        .map(|i| words[(i * 7 + i / 3) % words.len()])
        .collect();
    fs::write(input.join("sentence.txt"), sentence.join(" ")).unwrap();
    let quotes: Vec<String> = (0..2_000)
        .map(|i| format!("\"The army moved {i} troops,\" official {i} said."))
        .collect();
    fs::write(input.join("quotes.txt"), quotes.join("\n\n")).unwrap();
    let unclosed: Vec<String> = (0..500)
        .map(|i| format!("“The army moved {i} troops, official {i} said. Talks would resume"))
        .collect();
    fs::write(input.join("unclosed.txt"), unclosed.join("\n\n")).unwrap();
    fs::write(
        input.join("good.txt"),
        "Negotiators met in Lindholm on Monday, and the envoy said the talks would resume.",
    )
    .unwrap();

    let out = sitrep(&["ingest", "in", "--db", "t.db", "--quiet"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("ingested 4, unchanged 0, skipped 0"),
        "{stderr}"
    );
    let claims = |about: &str| -> Vec<serde_json::Value> {
        let out = sitrep(
            &[
                "claims", "--db", "t.db", "--format", "json", "--about", about, "--limit", "100000",
            ],
            dir.path(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).unwrap()
    };
    // Every quote of the 2,000 is a claim with its own official as the source.
    let quoted = claims("troops");
    let sources: std::collections::HashSet<&str> = quoted
        .iter()
        .filter_map(|c| c["claim"]["source"]["text"].as_str())
        .filter(|s| s.starts_with("official "))
        .collect();
    assert!(
        sources.len() >= 2_000,
        "{} distinct officials",
        sources.len()
    );
    let good = claims("envoy");
    assert_eq!(good.len(), 1, "{good:#?}");
    assert_eq!(good[0]["claim"]["source"]["text"], "the envoy");
}
