use std::fs;
use std::io::Cursor;
use std::path::PathBuf;

use chrono::NaiveDate;
use sitrep_model::{Problem, ProblemKind};

use super::*;
use crate::raw::RawDoc;

fn opts(max_bytes: usize) -> ReadOptions {
    ReadOptions {
        max_bytes,
        ..ReadOptions::default()
    }
}

fn read_all(paths: &[PathBuf], max_bytes: usize) -> Vec<Result<RawDoc, Problem>> {
    read_inputs(paths, &opts(max_bytes)).collect()
}

fn read_bytes(name: &str, bytes: &[u8], max_bytes: usize) -> Vec<Result<RawDoc, Problem>> {
    Inputs::from_reader(name, Cursor::new(bytes.to_vec()), &opts(max_bytes)).collect()
}

fn problem(item: &Result<RawDoc, Problem>) -> &Problem {
    item.as_ref().expect_err("expected a problem")
}

fn doc(item: &Result<RawDoc, Problem>) -> &RawDoc {
    item.as_ref().expect("expected a document")
}

#[test]
fn a_text_file_is_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.txt");
    fs::write(&path, "Title\r\n\r\nTroops arrived on Friday.\r\n").unwrap();
    let items = read_all(std::slice::from_ref(&path), 1_000);
    assert_eq!(items.len(), 1);
    let raw = doc(&items[0]);
    assert_eq!(raw.source, path.display().to_string());
    assert_eq!(
        raw.text.as_deref(),
        Some("Title\n\nTroops arrived on Friday.\n")
    );
    assert_eq!(raw.encoding, "UTF-8");
    assert_eq!(raw.title, None);
    assert!(raw.warnings.is_empty());
}

#[test]
fn directories_are_walked_in_name_order_skipping_hidden_entries() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("b/deeper")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join("z.txt"), "Last story text.").unwrap();
    fs::write(root.join("a.txt"), "First story text.").unwrap();
    fs::write(root.join("b/deeper/c.txt"), "Nested story text.").unwrap();
    fs::write(
        root.join("b/d.jsonl"),
        "{\"text\": \"Line one.\"}\n{\"text\": \"Line two.\"}\n",
    )
    .unwrap();
    fs::write(root.join(".hidden.txt"), "Never read.").unwrap();
    fs::write(root.join(".git/config.txt"), "Never read either.").unwrap();

    let sources: Vec<String> = read_all(&[root.to_path_buf()], 1_000)
        .into_iter()
        .map(|item| item.unwrap().source)
        .collect();
    let rel = |p: &str| root.join(p).display().to_string();
    assert_eq!(
        sources,
        vec![
            rel("a.txt"),
            rel("b/d.jsonl") + ":1",
            rel("b/d.jsonl") + ":2",
            rel("b/deeper/c.txt"),
            rel("z.txt"),
        ]
    );
}

#[test]
fn inputs_are_read_in_the_order_given_and_missing_paths_are_problems() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    fs::write(&a, "Story A.").unwrap();
    fs::write(&b, "Story B.").unwrap();
    let missing = dir.path().join("missing.txt");
    let items = read_all(&[b.clone(), missing.clone(), a.clone()], 1_000);
    assert_eq!(doc(&items[0]).text.as_deref(), Some("Story B."));
    assert_eq!(problem(&items[1]).source, missing.display().to_string());
    assert!(problem(&items[1]).reason.starts_with("cannot read"));
    assert_eq!(doc(&items[2]).text.as_deref(), Some("Story A."));
}

#[test]
fn json_lines_good_bad_empty_and_huge_lines() {
    let huge = format!("{{\"text\": \"{}\"}}", "x".repeat(5_000));
    let input = format!(
        "{{\"id\": 17, \"title\": \" Talks resume \", \"text\": \"Talks resumed.\", \"extra\": [1, 2]}}\n\
         \n\
         {{\"text\": \"unterminated\n\
         {{\"title\": \"No body\", \"text\": \"  \"}}\n\
         {huge}\n\
         {{\"html\": \"<p>Only markup</p>\", \"url\": \"https://example.org/a\"}}\n\
         [1, 2]\n\
         {{\"text\": \"Last one.\", \"published\": \"2022-01-07T23:30:00-05:00\"}}"
    );
    let items = read_bytes("feed.jsonl", input.as_bytes(), 1_000);
    assert_eq!(items.len(), 7);

    let first = doc(&items[0]);
    assert_eq!(first.source, "feed.jsonl:1");
    assert_eq!(first.id_hint.as_deref(), Some("17"));
    assert_eq!(first.title.as_deref(), Some("Talks resume"));
    assert_eq!(first.text.as_deref(), Some("Talks resumed."));

    let malformed = problem(&items[1]);
    assert_eq!(malformed.line, Some(3));
    assert!(
        malformed
            .reason
            .starts_with("malformed JSON: EOF while parsing")
    );
    assert_eq!(
        malformed.to_string(),
        format!("feed.jsonl:3: {}", malformed.reason)
    );

    let empty = problem(&items[2]);
    assert_eq!(empty.line, Some(4));
    assert_eq!(empty.reason, "no non-empty \"text\" or \"html\" field");

    let big = problem(&items[3]);
    assert_eq!(big.line, Some(5));
    assert_eq!(
        big.reason,
        "line is 5 kB, over the 1 kB per-document cap (--max-doc-size)"
    );

    let html = doc(&items[4]);
    assert_eq!(html.source, "feed.jsonl:6");
    assert_eq!(html.text, None);
    assert_eq!(html.html.as_deref(), Some("<p>Only markup</p>"));
    assert_eq!(html.url.as_deref(), Some("https://example.org/a"));

    assert_eq!(
        problem(&items[5]).reason,
        "expected a JSON object, found an array"
    );

    let last = doc(&items[6]);
    assert_eq!(last.source, "feed.jsonl:8");
    assert_eq!(last.published, NaiveDate::from_ymd_opt(2022, 1, 7));
}

#[test]
fn problems_have_a_kind_and_keep_the_line_out_of_the_source() {
    let input = "{\"text\": \"One.\"}\n{\"text\": \"unterminated\n[1]\n{\"title\": \"x\"}\n";
    let items = read_bytes("f.jsonl", input.as_bytes(), 1_000);
    let one = doc(&items[0]);
    assert_eq!((one.source.as_str(), one.line), ("f.jsonl:1", Some(1)));
    let found: Vec<_> = items[1..]
        .iter()
        .map(|item| {
            let p = problem(item);
            (p.source.as_str(), p.line, p.kind)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("f.jsonl", Some(2), ProblemKind::MalformedJson),
            ("f.jsonl", Some(3), ProblemKind::MalformedJson),
            ("f.jsonl", Some(4), ProblemKind::NoText),
        ]
    );
    // A problem found later with a read document is placed the same way.
    let later = one.problem(ProblemKind::NoText, "no article body left");
    assert_eq!((later.source.as_str(), later.line), ("f.jsonl", Some(1)));
    assert_eq!(later.to_string(), "f.jsonl:1: no article body left");

    assert_eq!(
        problem(&read_bytes("e.txt", b" \n", 100)[0]).kind,
        ProblemKind::Empty
    );
    assert_eq!(
        problem(&read_bytes("b.txt", b"\0\x01", 100)[0]).kind,
        ProblemKind::Decode
    );
    assert_eq!(
        problem(&read_bytes("t.txt", b"too long", 3)[0]).kind,
        ProblemKind::TooLarge
    );
    let url = read_all(&[PathBuf::from("https://example.org/a")], 100);
    assert_eq!(problem(&url[0]).kind, ProblemKind::Offline);
}

#[test]
fn unreadable_dates_and_wrong_types_are_warnings_not_problems() {
    let input = b"{\"text\": \"A.\", \"published\": \"sometime last week\", \"author\": [\"x\"]}\n\
                  {\"text\": \"B.\", \"published\": 1641513600}\n\
                  {\"text\": \"C.\", \"published\": \"2022-01-07 10:00 UTC\", \"title\": \"\"}\n";
    let items = read_bytes("f.jsonl", input, 1_000);
    let a = doc(&items[0]);
    assert_eq!(a.published, None);
    assert_eq!(a.author, None);
    assert_eq!(a.warnings.len(), 2);
    assert!(a.warnings.iter().any(|w| w.contains("sometime last week")));
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("\"author\" is an array"))
    );
    let b = doc(&items[1]);
    assert_eq!(b.published, None);
    assert_eq!(
        b.warnings,
        vec!["\"published\" is a number, not a date string; ignored"]
    );
    let c = doc(&items[2]);
    assert_eq!(c.published, NaiveDate::from_ymd_opt(2022, 1, 7));
    assert_eq!(c.title, None, "empty strings are unknown values");
    assert!(c.warnings.is_empty());
}

#[test]
fn invalid_utf8_in_a_line_falls_back_to_windows_1252() {
    let input = b"{\"text\": \"Caf\xe9 owner\x92s view.\"}\n";
    let items = read_bytes("f.jsonl", input, 1_000);
    let raw = doc(&items[0]);
    assert_eq!(raw.text.as_deref(), Some("Café owner’s view."));
    assert_eq!(raw.encoding, "windows-1252");
    assert_eq!(raw.warnings.len(), 1);
}

#[test]
fn json_lines_are_detected_by_content_and_stdin_sources_carry_line_numbers() {
    let items = read_bytes("-", b"\n  {\"text\": \"From a pipe.\"}\n", 1_000);
    assert_eq!(doc(&items[0]).source, "-:2");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.txt");
    fs::write(&path, "{\"text\": \"Hidden JSONL.\"}\n").unwrap();
    let items = read_all(std::slice::from_ref(&path), 1_000);
    assert_eq!(doc(&items[0]).source, format!("{}:1", path.display()));
}

#[test]
fn a_bom_before_the_first_json_line_is_ignored() {
    let items = read_bytes("f.jsonl", b"\xEF\xBB\xBF{\"text\": \"Marked.\"}\n", 1_000);
    assert_eq!(doc(&items[0]).text.as_deref(), Some("Marked."));
}

#[test]
fn whole_json_documents_objects_and_arrays() {
    let pretty = b"{\n  \"title\": \"Pretty\",\n  \"text\": \"Printed over lines.\"\n}\n";
    let items = read_bytes("one.json", pretty, 1_000);
    assert_eq!(items.len(), 1);
    let raw = doc(&items[0]);
    assert_eq!(raw.source, "one.json");
    assert_eq!(raw.title.as_deref(), Some("Pretty"));

    let array = b"[{\"text\": \"First.\"}, {\"title\": \"none\"}, {\"text\": \"Third.\"}]";
    let items = read_bytes("many.json", array, 1_000);
    assert_eq!(items.len(), 3);
    assert_eq!(doc(&items[0]).source, "many.json[0]");
    assert_eq!(problem(&items[1]).source, "many.json[1]");
    assert_eq!(doc(&items[2]).text.as_deref(), Some("Third."));

    let broken = b"{\n  \"text\": \"no end\"\n";
    let items = read_bytes("broken.json", broken, 1_000);
    assert_eq!(problem(&items[0]).line, Some(3));
}

#[test]
fn utf16_files_are_decoded() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "Kyiv — “shelling”\r\nresumed.".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let items = read_bytes("story.txt", &bytes, 1_000);
    let raw = doc(&items[0]);
    assert_eq!(raw.text.as_deref(), Some("Kyiv — “shelling”\nresumed."));
    assert_eq!(raw.encoding, "UTF-16LE");

    // UTF-16 JSON Lines work too.
    let mut bytes = vec![0xFE, 0xFF];
    for unit in "{\"text\": \"One.\"}\n{\"text\": \"Two.\"}\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    let items = read_bytes("feed.jsonl", &bytes, 1_000);
    assert_eq!(items.len(), 2);
    assert_eq!(doc(&items[1]).source, "feed.jsonl:2");
    assert_eq!(doc(&items[1]).encoding, "UTF-16BE");
}

#[test]
fn latin1_files_are_decoded() {
    let items = read_bytes("old.txt", b"Caf\xe9 owner\x92s view.", 1_000);
    let raw = doc(&items[0]);
    assert_eq!(raw.text.as_deref(), Some("Café owner’s view."));
    assert_eq!(raw.encoding, "windows-1252");
}

#[test]
fn binary_files_are_problems() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00";
    let items = read_bytes("photo.txt", png, 1_000);
    assert_eq!(
        problem(&items[0]).reason,
        "binary file (PNG image), not text"
    );
    // Random bytes with NULs, even named .jsonl: one problem, not one per line.
    let noise: Vec<u8> = (0u32..3_000).map(|i| (i * 7919 % 251) as u8).collect();
    let items = read_bytes("noise.jsonl", &noise, 10_000);
    assert_eq!(items.len(), 1);
    assert!(problem(&items[0]).reason.contains("NUL byte"));
}

#[test]
fn empty_files_are_problems() {
    for (name, bytes) in [
        ("a.txt", &b""[..]),
        ("b.txt", b" \n\t\n"),
        ("c.jsonl", b"\n\n"),
    ] {
        let items = read_bytes(name, bytes, 1_000);
        assert_eq!(items.len(), 1, "{name}");
        assert_eq!(problem(&items[0]).reason, "empty input", "{name}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.txt");
    fs::write(&path, "").unwrap();
    let items = read_all(&[path], 1_000);
    assert_eq!(problem(&items[0]).reason, "empty file");
}

#[test]
fn oversized_text_files_are_refused_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    fs::write(&path, "word ".repeat(300)).unwrap();
    let items = read_all(std::slice::from_ref(&path), 1_000);
    assert_eq!(
        problem(&items[0]).to_string(),
        format!(
            "{}: file is 1.5 kB, over the 1 kB per-document cap (--max-doc-size)",
            path.display()
        )
    );
    // A stream has no size up front: it is refused once the cap is passed.
    let items = read_bytes("-", "word ".repeat(300).as_bytes(), 1_000);
    assert_eq!(
        problem(&items[0]).reason,
        "input is over the 1 kB per-document cap (--max-doc-size)"
    );
    // Exactly at the cap is fine.
    let items = read_bytes("-", &[b'a'; 1_000], 1_000);
    assert!(items[0].is_ok());
}

#[test]
fn html_is_kept_for_the_html_extractor() {
    let items = read_bytes("page.txt", b"<!DOCTYPE html><html><p>Hi</p></html>", 1_000);
    let raw = doc(&items[0]);
    assert_eq!(raw.text, None);
    assert!(raw.html.as_deref().unwrap().contains("<p>Hi</p>"));
    let items = read_bytes("page.htm", b"<p>Fragment</p>", 1_000);
    assert_eq!(doc(&items[0]).html.as_deref(), Some("<p>Fragment</p>"));
}

#[test]
fn html_files_are_decoded_by_their_meta_charset() {
    // "Мир" in windows-1251: not UTF-8, and not Windows-1252 either.
    let page = b"<html><head><meta charset=\"windows-1251\"></head><p>\xcc\xe8\xf0</p></html>";
    let items = read_bytes("page.html", page, 1_000);
    let raw = doc(&items[0]);
    assert!(raw.html.as_deref().unwrap().contains("<p>Мир</p>"));
    assert_eq!(raw.encoding, "windows-1251");
    // Without a declaration, UTF-8 is UTF-8.
    let items = read_bytes("page.html", "<p>Café</p>".as_bytes(), 1_000);
    assert_eq!(doc(&items[0]).html.as_deref(), Some("<p>Café</p>"));
}

#[test]
fn inputs_can_move_to_a_reader_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Inputs>();
}

/// Issue 11: a FIFO named on the command line with no writer blocked the reader forever in
/// `open`; a FIFO inside a folder was silently ignored. Now the named one waits
/// `fifo_wait` for a writer and is then reported, and the one in a folder is reported at once;
/// the folder's files are still read.
#[cfg(unix)]
#[test]
fn fifos_never_block_and_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    fs::write(
        dir.path().join("story.txt"),
        "Troops left the town on Monday.",
    )
    .unwrap();

    let (send, receive) = std::sync::mpsc::channel();
    let paths = vec![fifo.clone(), dir.path().to_path_buf()];
    std::thread::spawn(move || {
        let opts = ReadOptions {
            fifo_wait: std::time::Duration::from_millis(200),
            ..opts(1_000)
        };
        let items: Vec<_> = read_inputs(&paths, &opts).collect();
        send.send(items).unwrap();
    });
    let items = receive
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("reading a FIFO without a writer must not block");
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(problem(&items[0]).kind, ProblemKind::Io);
    assert_eq!(
        problem(&items[0]).to_string(),
        format!(
            "{}: cannot open: a FIFO with no writer: none opened it within 0.2 s",
            fifo.display()
        )
    );
    assert_eq!(problem(&items[1]).kind, ProblemKind::Unsupported);
    assert_eq!(
        problem(&items[1]).to_string(),
        format!("{}: not a regular file (a FIFO)", fifo.display())
    );
    assert!(
        doc(&items[2])
            .text
            .as_deref()
            .unwrap()
            .starts_with("Troops left")
    );
}

/// A FIFO whose writer comes after the reader opened it (as `mkfifo p; producer > p &`
/// gives) is read as a stream.
#[cfg(unix)]
#[test]
fn a_fifo_with_a_writer_is_read_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(100));
        let line = b"{\"text\": \"Talks resumed in Lindholm.\"}\n";
        fs::write(writer_path, line).unwrap();
    });
    let items = read_all(std::slice::from_ref(&fifo), 1_000);
    writer.join().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        doc(&items[0]).text.as_deref(),
        Some("Talks resumed in Lindholm.")
    );
}

/// A reader that panics (a bug in a parser) costs only the rest of its input: the documents
/// read before it come out, then an `Internal` problem naming the input, and the next input is
/// read.
#[test]
fn a_panicking_reader_costs_only_its_input() {
    struct PanicsAfter {
        data: Cursor<Vec<u8>>,
    }
    impl std::io::Read for PanicsAfter {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.data.read(buf)? {
                0 => panic!("decoder bug"),
                n => Ok(n),
            }
        }
    }
    // More than the 8 KB sniffed at the start, so that the panic comes while reading lines.
    let line = "{\"text\": \"Talks resumed in Lindholm on Monday.\"}\n";
    let body = line.repeat(400);
    let reader = PanicsAfter {
        data: Cursor::new(body.into_bytes()),
    };
    let items: Vec<_> = Inputs::from_reader("feed.jsonl", reader, &opts(1_000)).collect();
    assert!(items.len() > 100, "{}", items.len());
    let (last, before) = items.split_last().unwrap();
    assert!(before.iter().all(|i| i.is_ok()));
    assert_eq!(problem(last).kind, ProblemKind::Internal);
    assert_eq!(problem(last).source, "feed.jsonl");
    assert!(
        problem(last).reason.ends_with("decoder bug"),
        "{}",
        problem(last)
    );
}
