//! HTML main-text extraction: from a news page to its metadata, its article text (ready for
//! the cleaner) and its related headlines.
//!
//! [`extract_html`] parses the page into a compact tree (`dom`), cuts it into blocks and picks
//! the container that holds the article (`content`: a maximum-sum search over block values
//! built from text length, link density and class/id hints), reads the metadata the page
//! declares (`meta`: JSON-LD, `<meta>` conventions, `<time>`, the URL), and collects the
//! headlines of related-story lists (`related`).
//!
//! The extractor does not decide everything: the text it returns is one paragraph per block,
//! joined by blank lines, exactly the shape of a scraped text file, and the caller runs
//! [`crate::clean()`] on it as on any text. Promos, captions, bylines, datelines and "Read
//! more:" lines that survive the HTML step are then removed by the same rules, kept in one
//! place (`data/cleaner/`) for text and HTML alike.
//!
//! Why an extractor of our own, measured on the visible part of the ScrapingHub
//! article-extraction benchmark (one thread, same metric as `sitrep eval html`): the best
//! crates.io extractors were `trafilatura` 0.6 (F1 0.954, 216 pages/s), `rs-trafilatura` 0.2
//! (0.951, 95 pages/s) and `dom_smoothie` 0.19, a readability port (0.951, 479 pages/s);
//! other readability ports scored 0.81 to 0.91. None reached F1 0.95 at the 500 pages/s
//! floor, and html5ever's tree builder alone parses these pages at about 530 pages/s. So the
//! page is tokenized with html5gum (WHATWG tokenizer, about 1,300 pages/s) into a tree built
//! only as far as extraction needs, leaving most of the time for the extraction itself.
//!
//! ```
//! let page = r#"<html lang="en"><head><title>Aid convoy reaches Dravik | Daily Post</title>
//!   <meta property="og:site_name" content="Daily Post">
//!   <meta property="article:published_time" content="2026-03-05T08:00:00Z"></head>
//!   <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Aid convoy reaches Dravik</h1>
//!   <p>An aid convoy reached the besieged town of Dravik on Tuesday, the agency said.</p>
//!   <p>The trucks carried food and medicine for about 3,000 people, it added.</p></article>
//!   <footer>© Daily Post</footer></body></html>"#;
//! let article = sitrep_read::extract_html(page, Some("https://post.example/dravik"));
//! assert_eq!(article.title.as_deref(), Some("Aid convoy reaches Dravik"));
//! assert_eq!(article.site.as_deref(), Some("Daily Post"));
//! assert_eq!(article.published, chrono::NaiveDate::from_ymd_opt(2026, 3, 5));
//! let cleaned = sitrep_read::clean(&article.text, article.title.as_deref());
//! assert!(cleaned.body.starts_with("An aid convoy"));
//! assert!(cleaned.body.ends_with("it added."));
//! ```

mod content;
mod dom;
mod hints;
mod lang;
mod meta;
mod reader;
mod related;

use chrono::NaiveDate;

/// Below this many characters of article text, a JSON-LD `articleBody` is preferred when it
/// is longer (pages that render their text with scripts still declare it).
const MIN_EXTRACTED_CHARS: usize = 250;

/// What [`extract_html`] found in a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlArticle {
    /// The article's title: its `<h1>` when that agrees with the declared title, else the
    /// declared title without the site suffix.
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub author: Option<String>,
    /// The site's name (`og:site_name`, JSON-LD publisher).
    pub site: Option<String>,
    /// The canonical URL, else the page URL given.
    pub url: Option<String>,
    /// ISO 639-1 code: declared by the page, else detected from the text.
    pub language: Option<String>,
    /// The article text for [`crate::clean()`]: one paragraph per block, joined by blank
    /// lines. Leading lines may still hold the title, a byline or a date.
    pub text: String,
    /// Headlines of related-story lists on the page.
    pub related: Vec<String>,
    /// What was survived on the way: tags cut short by the tokenizer's bound.
    pub warnings: Vec<String>,
}

/// Extracts the article of an HTML page. `url` is the page's address, used to resolve a
/// relative canonical link and as a last source of the publication date. Never fails: a page
/// without an article gives an empty `text`.
pub fn extract_html(html: &str, url: Option<&str>) -> HtmlArticle {
    let dom = dom::Dom::parse(html);
    let analysis = content::analyse(&dom);
    let located = content::find_container(&dom, &analysis);
    let container = located.container;
    let blocks = content::article_blocks(&dom, &analysis, &located);
    let (page, linked_body) = meta::read(&dom, container, url);
    let related = related::related_headlines(&dom, &analysis, container);

    let mut text = String::new();
    let mut chars = 0;
    for block in &blocks {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&block.text);
        chars += block.chars;
    }
    if chars < MIN_EXTRACTED_CHARS
        && let Some(body) = linked_body
        && body.chars().count() > chars * 2
    {
        text = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    let language = page.language.or_else(|| lang::detect_language(&text));
    let warnings = dom
        .cut_tags
        .iter()
        .map(|at| {
            format!(
                "the tag at byte {at} nests the HTML tokenizer too deep (thousands of \
                 attributes): the rest of the tag was skipped"
            )
        })
        .collect();
    HtmlArticle {
        title: page.title,
        published: page.published,
        author: page.author,
        site: page.site,
        url: page.canonical,
        language,
        text,
        related,
        warnings,
    }
}

#[cfg(test)]
mod tests;
