//! The seed article as a web page: `sitrep eval seed --html`.
//!
//! The issue's acceptance test for HTML extraction is that the seed text, wrapped in a
//! realistic news page, gives the same title, body and related headlines as the text itself,
//! and the publication date from the page. The seed text cannot be copied into the repository,
//! so the page is built at run time from a team-written template
//! (`crates/eval/templates/news-page.html`: navigation, a trending bar, share buttons, a
//! sidebar with a newsletter box and an ad, comments, a footer, JSON-LD with
//! `datePublished`).
//!
//! Where each paragraph of the text goes is decided by what the text cleaner made of it, the
//! way a site's editor would lay the story out: the title in the `<h1>` (and `og:title`,
//! `<title>` with a site suffix), stray headlines of other stories in the trending bar, body
//! paragraphs as `<p>` in the article, promos as a promo box in place, bylines in the article
//! header, captions as a `<figure>`, and "Read more:" lists as an aside of links after the
//! article. Nothing is keyed to the seed's own strings: any text goes through the same
//! layout.

use chrono::NaiveDate;
use sitrep_model::{BoilerplateKind, Document};
use sitrep_read::clean;

use crate::{Category, Status};

/// The page template.
pub const TEMPLATE: &str = include_str!("../templates/news-page.html");

/// The site name the generated page carries.
pub const SITE: &str = "The Sitrep Gazette";

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a JSON string inside a `<script>`.
fn escape_json(text: &str) -> String {
    let quoted = serde_json::to_string(text).expect("a string serialises");
    quoted[1..quoted.len() - 1].replace("</", "<\\/")
}

fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A URL path segment from a title: "Russian advisers in Mali" → "russian-advisers-in-mali".
fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "article".to_string()
    } else {
        words.join("-")
    }
}

/// Builds a news page around an article text (see the module documentation).
pub fn news_page(text: &str, published: Option<NaiveDate>) -> String {
    let cleaned = clean(text, None);
    let title = cleaned.title.clone().unwrap_or_default();
    let body: Vec<&str> = cleaned.body.split("\n\n").collect();
    let dateline = cleaned
        .boilerplate
        .iter()
        .find(|b| b.kind == BoilerplateKind::Dateline)
        .map(|b| b.text.clone());
    let kind_of = |paragraph: &str| {
        cleaned
            .boilerplate
            .iter()
            .find(|b| b.text == paragraph)
            .map(|b| b.kind)
    };

    let mut article = String::new();
    let mut header_extra = String::new();
    let mut trending = String::new();
    let mut related = String::new();
    let mut placed_body = 0;
    let paragraphs = text.split("\n\n").map(tidy).filter(|p| !p.is_empty());
    for paragraph in paragraphs {
        if paragraph == title {
            continue;
        }
        let is_body = body.contains(&paragraph.as_str())
            || (placed_body == 0
                && dateline.is_some()
                && body.first().is_some_and(|first| paragraph.ends_with(first)));
        if is_body {
            placed_body += 1;
            article.push_str(&format!("            <p>{}</p>\n", escape(&paragraph)));
            continue;
        }
        match kind_of(&paragraph) {
            Some(BoilerplateKind::StrayHeadline) => trending.push_str(&format!(
                "<a class=\"trending-link\" href=\"/world/{}\">{}</a>",
                slug(&paragraph),
                escape(&paragraph)
            )),
            Some(BoilerplateKind::Promo) => article.push_str(&format!(
                "            <div class=\"promo-box\"><p>{}</p></div>\n",
                escape(&paragraph)
            )),
            Some(BoilerplateKind::Caption) => article.push_str(&format!(
                "            <figure class=\"wp-caption\"><img src=\"/media/photo.jpg\" alt=\"\"><figcaption>{}</figcaption></figure>\n",
                escape(&paragraph)
            )),
            Some(BoilerplateKind::Byline | BoilerplateKind::Dateline) => header_extra.push_str(
                &format!("<p class=\"byline\">{}</p>", escape(&paragraph)),
            ),
            Some(BoilerplateKind::Related) => {
                if cleaned.related.contains(&paragraph) {
                    related.push_str(&format!(
                        "          <li><a href=\"/world/{}\">{}</a></li>\n",
                        slug(&paragraph),
                        escape(&paragraph)
                    ));
                } else {
                    if !related.is_empty() {
                        related.push_str("          </ul>\n");
                    }
                    related.push_str(&format!(
                        "          <h3 class=\"related-title\">{}</h3>\n          <ul>\n",
                        escape(&paragraph)
                    ));
                }
            }
            // Navigation lines and anything else the cleaner set aside go to the menu area,
            // out of the article, as a site would have them.
            Some(BoilerplateKind::Nav) | None => trending.push_str(&format!(
                "<span class=\"nav-label\">{}</span>",
                escape(&paragraph)
            )),
        }
    }
    if !related.is_empty() {
        related.push_str("          </ul>\n");
    }
    if !header_extra.is_empty() {
        article.insert_str(0, &format!("            {header_extra}\n"));
    }
    TEMPLATE
        .replace("{{TITLE_JSON}}", &escape_json(&title))
        .replace("{{SITE_JSON}}", &escape_json(SITE))
        .replace("{{TITLE}}", &escape(&title))
        .replace("{{SITE}}", SITE)
        .replace("{{LANGUAGE}}", "en")
        .replace(
            "{{URL}}",
            &format!("https://gazette.example/world/{}", slug(&title)),
        )
        .replace(
            "{{PUBLISHED}}",
            &published.map(|d| d.to_string()).unwrap_or_default(),
        )
        .replace("{{TRENDING}}", &trending)
        .replace("{{RELATED}}", &related)
        .replace("{{BODY}}", &article)
}

/// Floor of the page comparison: every check must hold.
pub const PAGE_FLOOR: f64 = 1.0;

/// Compares the document read from the page with the one read from the text: same title,
/// body and related headlines, and the publication date the page declares.
pub fn compare(
    from_text: &Document,
    from_page: &Document,
    published: Option<NaiveDate>,
) -> Category {
    let mut checks: Vec<(String, bool)> = vec![
        (
            format!(
                "title {:?} equals the text's {:?}",
                from_page.title, from_text.title
            ),
            from_page.title == from_text.title,
        ),
        (
            "body equals the text's".to_string(),
            from_page.text == from_text.text,
        ),
        (
            format!(
                "related {:?} equal the text's {:?}",
                from_page.related, from_text.related
            ),
            from_page.related == from_text.related,
        ),
    ];
    if let Some(date) = published {
        checks.push((
            format!(
                "published is the page's {date} (got {:?})",
                from_page.published
            ),
            from_page.published == Some(date),
        ));
    }
    let total = checks.len();
    let mut misses: Vec<String> = checks
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(what, _)| what)
        .collect();
    let found = total - misses.len();
    if from_page.text != from_text.text {
        // Name the first paragraph that differs, to make the miss actionable.
        let page: Vec<&str> = from_page.text.split("\n\n").collect();
        let text: Vec<&str> = from_text.text.split("\n\n").collect();
        let at = page
            .iter()
            .zip(&text)
            .position(|(a, b)| a != b)
            .unwrap_or(page.len().min(text.len()));
        misses.push(format!(
            "paragraph {} of the body: page {:?}, text {:?}",
            at + 1,
            page.get(at),
            text.get(at)
        ));
    }
    Category {
        name: "html page",
        status: Status::Scored {
            found,
            total,
            floor: PAGE_FLOOR,
        },
        misses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A team-written article in the seed's shape: a stray headline, the title, a promo in
    /// the body, a "Read more:" list.
    const ARTICLE: &str = "Port workers extend strike into second week\n\n\
        Aid convoy reaches besieged town of Dravik\n\n\
        An aid convoy reached the besieged town of Dravik on Tuesday, two local officials said, \
        after a ceasefire held for a third night.\n\n\
        Follow our WhatsApp channel for the latest updates.\n\n\
        The convoy carried food & medicine for about 3,000 people, according to the regional \
        aid office, which said a second convoy was planned for Friday.\n\n\
        Read more:\n\n\
        Ceasefire talks resume in the capital after a month\n\n\
        Aid agencies warn of shortages in border towns";

    #[test]
    fn the_page_places_each_paragraph_where_a_site_would() {
        let page = news_page(ARTICLE, NaiveDate::from_ymd_opt(2026, 3, 5));
        assert!(
            page.contains(
                "<h1 class=\"entry-title\">Aid convoy reaches besieged town of Dravik</h1>"
            )
        );
        assert!(page.contains("class=\"trending-link\" href=\"/world/port-workers-extend-strike-into-second-week\">Port workers"));
        assert!(page.contains("<div class=\"promo-box\"><p>Follow our WhatsApp channel"));
        assert!(page.contains("food &amp; medicine"));
        assert!(page.contains("<h3 class=\"related-title\">Read more:</h3>"));
        assert!(
            page.contains("<li><a href=\"/world/aid-agencies-warn-of-shortages-in-border-towns\">")
        );
        assert!(page.contains("\"datePublished\": \"2026-03-05\""));
        assert!(!page.contains("{{"), "a placeholder was left");
    }

    #[test]
    fn the_html_path_reads_the_page_back_as_the_text() {
        let page = news_page(ARTICLE, NaiveDate::from_ymd_opt(2026, 3, 5));
        let article = sitrep_read::extract_html(&page, None);
        let from_page = clean(&article.text, article.title.as_deref());
        let from_text = clean(ARTICLE, None);
        assert_eq!(from_page.title, from_text.title);
        assert_eq!(from_page.body, from_text.body);
        assert_eq!(article.related, from_text.related);
        assert_eq!(article.published, NaiveDate::from_ymd_opt(2026, 3, 5));
    }

    #[test]
    fn compare_names_what_differs() {
        let text = Document {
            title: Some("A".into()),
            text: "one\n\ntwo".into(),
            related: vec!["r".into()],
            ..Document::default()
        };
        let same = Document {
            published: NaiveDate::from_ymd_opt(2026, 3, 5),
            ..text.clone()
        };
        let cat = compare(&text, &same, NaiveDate::from_ymd_opt(2026, 3, 5));
        assert!(cat.meets_floor());
        let other = Document {
            text: "one\n\nthree".into(),
            ..same
        };
        let cat = compare(&text, &other, NaiveDate::from_ymd_opt(2026, 3, 5));
        assert!(!cat.meets_floor());
        assert!(cat.misses.iter().any(|m| m.contains("paragraph 2")));
    }
}
