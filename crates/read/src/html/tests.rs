use super::*;

#[test]
fn placeholder_extracts_paragraphs() {
    let a = extract_html("<p>Hello there, this is a sentence.</p>", None);
    assert_eq!(a.text, "Hello there, this is a sentence.");
}
