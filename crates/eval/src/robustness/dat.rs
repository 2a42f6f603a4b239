//! html5lib tree-construction files (`.dat`): each test's `#data` section is one HTML page.
//!
//! The format, as that suite's README defines it: tests are separated by an empty line; a
//! test starts with a line `#data`, and every line after it up to a line `#errors` is the
//! page, passed on unchanged except that the newline ending its last line is dropped. The
//! sections after `#errors` (expected errors, fragment context, the expected tree) are not
//! read.

use std::ops::Range;

/// Whether `bytes` are a tree-construction file: they open with a `#data` line.
pub(crate) fn is_tree_construction(bytes: &[u8]) -> bool {
    bytes.starts_with(b"#data\n")
}

/// The byte range of each test's page, in file order. A `#data` section that the file ends
/// in, with no `#errors` line, runs to the end of the file (its final newline dropped).
pub(crate) fn pages(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut pages = Vec::new();
    // Where the page being read starts, while inside a `#data` section.
    let mut page_start: Option<usize> = None;
    let mut previous_blank = true;
    let mut at = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        match page_start {
            None if previous_blank && content == b"#data" => page_start = Some(at + line.len()),
            Some(start) if content == b"#errors" => {
                // The newline before `#errors` ends the page's last line: not part of it.
                pages.push(start..at.saturating_sub(1).max(start));
                page_start = None;
            }
            _ => {}
        }
        previous_blank = content.is_empty();
        at += line.len();
    }
    if let Some(start) = page_start {
        let end = if bytes.len() > start && bytes.ends_with(b"\n") {
            bytes.len() - 1
        } else {
            bytes.len()
        };
        pages.push(start..end);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(file: &str) -> Vec<&str> {
        pages(file.as_bytes())
            .into_iter()
            .map(|r| &file[r])
            .collect()
    }

    #[test]
    fn each_data_section_is_a_page_without_its_final_newline() {
        let file = "#data\n<p>One<p>Two\n#errors\n(1,3): expected-doctype\n#document\n| <html>\n\n\
                    #data\n<div>\n\n</div>\n#errors\n#new-errors\n(1:1) x\n#document-fragment\ntd\n\
                    #document\n| \"#data\"\n\n#data\n#errors\n#document\n| <html>\n";
        assert!(is_tree_construction(file.as_bytes()));
        assert_eq!(texts(file), ["<p>One<p>Two", "<div>\n\n</div>", ""]);
    }

    #[test]
    fn a_data_line_inside_a_tree_or_a_page_starts_nothing() {
        // "#data" as a text node of the expected tree (no blank line before it) and as a line
        // of a page are content, not a new test.
        let file = "#data\na\n#data\nb\n#errors\n#document\n#data\n| \"x\"\n";
        assert_eq!(texts(file), ["a\n#data\nb"]);
    }

    #[test]
    fn a_file_cut_inside_a_page_keeps_what_it_has() {
        assert_eq!(texts("#data\n<b>cut\n"), ["<b>cut"]);
        assert_eq!(texts("#data\n<b>cut"), ["<b>cut"]);
        assert!(!is_tree_construction(b"<html>#data\n"));
    }
}
