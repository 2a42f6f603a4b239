//! Extraction tests on pages the team wrote: a full news page (`tests/fixtures/news-page.html`)
//! and small pages, one layout each.

use chrono::NaiveDate;

use super::*;
use crate::clean;

const NEWS_PAGE: &str = include_str!("../../tests/fixtures/news-page.html");
const NEWS_URL: &str = "https://courier.example/news/2023/03/14/varesk-floods?utm=x";

/// The body the pipeline would keep: extraction, then the cleaner with the page's title.
fn body_of(html: &str) -> String {
    let article = extract_html(html, None);
    clean(&article.text, article.title.as_deref()).body
}

fn page(body: &str) -> String {
    format!("<!DOCTYPE html><html><head><title>Test page</title></head><body>{body}</body></html>")
}

const PARAGRAPH_A: &str = "The ceasefire in the border town of Dravik held overnight, residents said on Sunday, as aid agencies prepared the first convoy in three weeks.";
const PARAGRAPH_B: &str = "Trucks carrying flour, fuel and medicine waited at the crossing while officials from both sides checked the cargo lists, a process that took most of the morning.";
const PARAGRAPH_C: &str = "Local officials said the convoy would return on Thursday if the truce held, and that a second crossing could open before the end of the month.";

#[test]
fn the_news_page_gives_its_metadata() {
    let article = extract_html(NEWS_PAGE, Some(NEWS_URL));
    assert_eq!(
        article.title.as_deref(),
        Some("Floodwaters cut off Varesk as river bursts its banks")
    );
    assert_eq!(article.published, NaiveDate::from_ymd_opt(2023, 3, 14));
    // The meta author is a profile URL: the JSON-LD name wins, and a URL is never a name.
    assert_eq!(article.author.as_deref(), Some("Mira Okonjo"));
    assert_eq!(article.site.as_deref(), Some("The Harbour Courier"));
    // The relative canonical link is resolved against the page URL, query and all dropped.
    assert_eq!(
        article.url.as_deref(),
        Some("https://courier.example/news/2023/03/14/varesk-floods")
    );
    assert_eq!(article.language.as_deref(), Some("en"));
}

#[test]
fn the_news_page_gives_its_body_and_nothing_around_it() {
    let article = extract_html(NEWS_PAGE, Some(NEWS_URL));
    let cleaned = clean(&article.text, article.title.as_deref());
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Floodwaters cut off Varesk as river bursts its banks")
    );
    assert!(
        cleaned.body.starts_with("The river Tamsel burst its banks"),
        "{}",
        cleaned.body
    );
    assert!(
        cleaned
            .body
            .ends_with("whether to evacuate the upper town as well.")
    );
    // The subheading inside the article stays.
    assert!(cleaned.body.contains("\n\nRail line closed\n\n"));
    for furniture in [
        "Skip to content",
        "Business",
        "Ferry strike",
        "Regional Correspondent",
        "Share on Facebook",
        "Photo: Courier staff",
        "morning briefing",
        "Read more",
        "Floods",
        "riverwatcher",
        "lower quay and the water came in",
        "Your comment",
        "Advertisement",
        "All rights reserved",
        "cookies",
        "dataLayer",
    ] {
        assert!(!cleaned.body.contains(furniture), "{furniture:?} leaked");
    }
    // Every paragraph of the body is one block of the page.
    assert_eq!(cleaned.body.split("\n\n").count(), 6);
}

#[test]
fn the_news_page_gives_its_related_headlines() {
    let article = extract_html(NEWS_PAGE, None);
    for headline in [
        "Council delays vote on levee funding for a second time",
        "Engineers warned of weak spots in Tamsel defences last year",
        "Ostrel rail line reopens after winter repairs",
    ] {
        assert!(
            article.related.iter().any(|r| r == headline),
            "{headline:?} not in {:?}",
            article.related
        );
    }
    // Menu entries are not headlines; each headline is listed once.
    assert!(!article.related.iter().any(|r| r == "World"));
    let levee = article
        .related
        .iter()
        .filter(|r| r.starts_with("Council delays"))
        .count();
    assert_eq!(levee, 1);
}

#[test]
fn br_separated_text_becomes_paragraphs() {
    let html = page(&format!(
        "<div class=\"post\">{PARAGRAPH_A}<br><br>{PARAGRAPH_B}<br/><br/>{PARAGRAPH_C}</div>"
    ));
    let article = extract_html(&html, None);
    assert_eq!(
        article.text,
        format!("{PARAGRAPH_A}\n\n{PARAGRAPH_B}\n\n{PARAGRAPH_C}")
    );
    // A single <br> is a line break inside the paragraph.
    let html = page(&format!("<p>{PARAGRAPH_A}<br>{PARAGRAPH_B}</p>"));
    assert_eq!(
        extract_html(&html, None).text,
        format!("{PARAGRAPH_A}\n{PARAGRAPH_B}")
    );
}

#[test]
fn pages_without_article_tags_and_with_nested_divs() {
    let html = page(&format!(
        "<div id=\"top\"><div class=\"menu\"><a href=\"/\">Home</a> | <a href=\"/a\">About</a></div></div>\
         <div class=\"wrap\"><div class=\"col\"><div class=\"inner\">\
           <div><p>{PARAGRAPH_A}</p></div><div><p>{PARAGRAPH_B}</p><p>{PARAGRAPH_C}</p></div>\
         </div></div><div class=\"col\"><a href=\"/x\">Other story one</a><br><a href=\"/y\">Other story two</a></div></div>"
    ));
    assert_eq!(
        body_of(&html),
        format!("{PARAGRAPH_A}\n\n{PARAGRAPH_B}\n\n{PARAGRAPH_C}")
    );
}

#[test]
fn a_long_comment_thread_does_not_win_over_the_article() {
    let comment = "I have lived near the crossing for thirty years and I can tell you that nothing about this truce is different from the last four, which all ended the same way within a week of being signed. ";
    let html = page(&format!(
        "<article><h1>Ceasefire holds in Dravik</h1><p>{PARAGRAPH_A}</p><p>{PARAGRAPH_B}</p></article>\
         <div id=\"comments\"><div class=\"comment\"><p>{}</p></div><div class=\"comment\"><p>{}</p></div></div>",
        comment.repeat(3),
        comment.repeat(2)
    ));
    assert_eq!(body_of(&html), format!("{PARAGRAPH_A}\n\n{PARAGRAPH_B}"));
}

#[test]
fn a_table_layout_page_gives_its_text_cell() {
    let html = page(&format!(
        "<table width=\"100%\"><tr>\
           <td class=\"left\"><a href=\"/\">Home</a><br><a href=\"/news\">News</a><br><a href=\"/contact\">Contact</a></td>\
           <td class=\"main\"><font size=\"2\"><b>Ceasefire holds</b><br><br>{PARAGRAPH_A}<br><br>{PARAGRAPH_B}<br><br>{PARAGRAPH_C}</font></td>\
         </tr></table>"
    ));
    let article = extract_html(&html, None);
    assert!(article.text.contains(PARAGRAPH_A) && article.text.contains(PARAGRAPH_C));
    assert!(!article.text.contains("Contact"));
}

#[test]
fn a_data_table_in_an_article_reads_row_by_row() {
    let html = page(&format!(
        "<article><p>{PARAGRAPH_A}</p><table><tr><th>Town</th><th>Evacuated</th></tr>\
         <tr><td>Dravik</td><td>250</td></tr><tr><td>Ostrel</td><td>40</td></tr></table><p>{PARAGRAPH_B}</p></article>"
    ));
    let article = extract_html(&html, None);
    assert!(
        article
            .text
            .contains("\n\nTown Evacuated\n\nDravik 250\n\nOstrel 40\n\n"),
        "{}",
        article.text
    );
}

#[test]
fn malformed_html_is_read_as_browsers_would() {
    // Unclosed paragraphs and divs, a stray end tag, an unquoted attribute, a huge attribute,
    // an unclosed comment at the very end.
    let huge = "x".repeat(200_000);
    let html = format!(
        "<html><body><div class=main><p>{PARAGRAPH_A}<p>{PARAGRAPH_B}</span>\
         <div data-blob=\"{huge}\"><p>{PARAGRAPH_C}</div></body><!-- unterminated"
    );
    let article = extract_html(&html, None);
    assert_eq!(
        article.text,
        format!("{PARAGRAPH_A}\n\n{PARAGRAPH_B}\n\n{PARAGRAPH_C}")
    );
}

#[test]
fn hidden_and_script_text_is_never_read() {
    let html = page(&format!(
        "<article><p>{PARAGRAPH_A}</p><p style=\"display: none\">Hidden teaser text that should not appear anywhere.</p>\
         <noscript><p>Please enable JavaScript to read this article properly.</p></noscript>\
         <template><p>Template text.</p></template><p>{PARAGRAPH_B} <span class=\"sr-only\">(opens in a new window)</span></p></article>"
    ));
    let article = extract_html(&html, None);
    assert_eq!(article.text, format!("{PARAGRAPH_A}\n\n{PARAGRAPH_B}"));
}

#[test]
fn json_ld_article_body_fills_in_for_script_rendered_pages() {
    let html = format!(
        "<html><head><script type=\"application/ld+json\">{{\"@type\": \"NewsArticle\", \
         \"headline\": \"Ceasefire holds\", \"datePublished\": \"2026-03-05\", \
         \"articleBody\": \"{PARAGRAPH_A}\\n{PARAGRAPH_B}\"}}</script></head>\
         <body><div id=\"app\">Loading…</div></body></html>"
    );
    let article = extract_html(&html, None);
    assert_eq!(article.text, format!("{PARAGRAPH_A}\n\n{PARAGRAPH_B}"));
    assert_eq!(article.title.as_deref(), Some("Ceasefire holds"));
    assert_eq!(article.published, NaiveDate::from_ymd_opt(2026, 3, 5));
}

#[test]
fn dates_fall_back_on_meta_time_and_url() {
    let meta = "<html><head><meta name=\"parsely-pub-date\" content=\"2021-06-02T10:00:00Z\"></head><body><p>x</p></body></html>";
    assert_eq!(
        extract_html(meta, None).published,
        NaiveDate::from_ymd_opt(2021, 6, 2)
    );
    let time = page("<article><time datetime=\"2020-02-29\">Feb 29</time><p>x</p></article>");
    assert_eq!(
        extract_html(&time, None).published,
        NaiveDate::from_ymd_opt(2020, 2, 29)
    );
    let none = page("<p>x</p>");
    assert_eq!(
        extract_html(&none, Some("https://n.example/2019/11/18/story")).published,
        NaiveDate::from_ymd_opt(2019, 11, 18)
    );
    assert_eq!(extract_html(&none, None).published, None);
}

#[test]
fn titles_lose_their_site_suffix_and_language_is_detected() {
    let html = format!(
        "<html><head><title>Convoy reaches Dravik after truce - Border Post</title></head>\
         <body><p>{PARAGRAPH_A} {PARAGRAPH_B}</p></body></html>"
    );
    let article = extract_html(&html, None);
    assert_eq!(
        article.title.as_deref(),
        Some("Convoy reaches Dravik after truce")
    );
    // No lang attribute: the text says English.
    assert_eq!(article.language.as_deref(), Some("en"));
}

#[test]
fn empty_and_textless_pages_give_empty_text() {
    for html in [
        "",
        "<html></html>",
        "<script>x</script>",
        "<nav><a href=/>Home</a></nav>",
    ] {
        let article = extract_html(html, None);
        assert!(
            article.text.trim().is_empty() || html.contains("nav"),
            "{html:?}"
        );
    }
}

mod properties {
    use proptest::prelude::*;

    use super::extract_html;

    fn markup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<p>".to_string()),
            Just("</p>".to_string()),
            Just("<div class=\"article-body\">".to_string()),
            Just("</div>".to_string()),
            Just("<br>".to_string()),
            Just("<table><tr><td>".to_string()),
            Just("</td></tr>".to_string()),
            Just("<a href=x>".to_string()),
            Just("</a>".to_string()),
            Just("<script>".to_string()),
            Just("<!--".to_string()),
            Just("<h1>".to_string()),
            Just("<li>".to_string()),
            Just("<meta property=og:title content=".to_string()),
            Just("<script type=application/ld+json>{\"@graph\": [".to_string()),
            "[a-zA-Z .,é\u{4e2d}]{0,40}",
            ".{0,8}",
        ];
        prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn never_panics_on_tag_soup(html in markup()) {
            let article = extract_html(&html, Some("https://x.example/2020/01/02/a"));
            prop_assert!(!article.text.starts_with(char::is_whitespace));
        }

        #[test]
        fn never_panics_on_arbitrary_text(html in "\\PC{0,400}") {
            let _ = extract_html(&html, None);
        }
    }
}
