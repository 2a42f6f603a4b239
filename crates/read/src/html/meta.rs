//! A page's metadata: title, publication date, author, site name, canonical URL, language.
//!
//! Pages state their metadata several times, for different consumers, and not always
//! consistently. Each field is taken from the most deliberate statement first:
//!
//! - **published**: JSON-LD `datePublished` (what search engines read), then the `<meta>`
//!   conventions (`article:published_time`, Parse.ly, Sailthru, Dublin Core, `pubdate`, ...),
//!   then an `itemprop="datePublished"` element, then the first `<time datetime>` inside the
//!   article, then a date in the URL path (`/2022/01/07/`).
//! - **title**: the article's `<h1>` when it agrees with the title the page declares
//!   (`og:title`, JSON-LD `headline` or `<title>`), since the `<h1>` carries no site suffix;
//!   otherwise the declared title with its site suffix (" | Site", " - Site") cut off.
//! - **author**: JSON-LD `author`, `<meta name="author">` and its variants (URLs are not
//!   names and are skipped), then a `rel="author"` link or an `itemprop="author"` element.
//! - **site**: `og:site_name`, then JSON-LD `publisher.name`, then `application-name`.
//! - **canonical URL**: `<link rel="canonical">`, then `og:url`, made absolute against the
//!   page URL when relative.
//! - **language**: `<html lang>`, then `content-language`, then `og:locale`; the caller falls
//!   back on detecting it from the text.

use chrono::NaiveDate;
use serde_json::Value;

use super::dom::{AttrName, Dom, NONE, NodeKind, Tag};
use crate::clean::title_words;
use crate::published::parse_published;

/// Metadata read from the page itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PageMeta {
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub author: Option<String>,
    pub site: Option<String>,
    pub canonical: Option<String>,
    pub language: Option<String>,
}

/// `<meta>` keys (name, property or itemprop, lowercased) that carry a publication date, in
/// order of preference.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "article:published",
    "og:published_time",
    "og:article:published_time",
    "published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date_published",
    "article.published",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.issued",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "citation_publication_date",
    "date",
];

/// `<meta>` keys that carry an author's name.
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "twitter:creator",
];

/// Separators between a headline and the site name in `<title>` and `og:title`.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " // ", " « ", " » ",
];

/// The `<meta>` statements of a page, keyed by lowercased name, property or itemprop.
struct Metas<'a> {
    entries: Vec<(String, &'a str)>,
}

impl<'a> Metas<'a> {
    fn read(dom: &'a Dom) -> Metas<'a> {
        let mut entries = Vec::new();
        for id in dom.elements(Tag::Meta) {
            let Some(content) = dom.attr(id, AttrName::Content) else {
                continue;
            };
            if content.trim().is_empty() {
                continue;
            }
            for key in [
                AttrName::Name,
                AttrName::Property,
                AttrName::Itemprop,
                AttrName::HttpEquiv,
            ] {
                if let Some(key) = dom.attr(id, key) {
                    entries.push((key.trim().to_ascii_lowercase(), content.trim()));
                }
            }
        }
        Metas { entries }
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    fn first_of<'k>(&'k self, keys: &'k [&'k str]) -> impl Iterator<Item = &'a str> + 'k {
        keys.iter().filter_map(|k| self.get(k))
    }
}

/// What the JSON-LD blocks of a page say about its article.
#[derive(Debug, Default)]
struct LinkedData {
    headline: Option<String>,
    published: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    body: Option<String>,
}

/// Schema.org types that describe an article (or the page showing one).
fn is_article_type(value: &Value) -> bool {
    let is = |t: &str| {
        t.ends_with("Article")
            || matches!(
                t,
                "BlogPosting" | "LiveBlogPosting" | "Report" | "WebPage" | "ItemPage" | "Blog"
            )
    };
    match value.get("@type") {
        Some(Value::String(t)) => is(t),
        Some(Value::Array(types)) => types.iter().any(|t| t.as_str().is_some_and(is)),
        _ => false,
    }
}

fn is_page_type(value: &Value) -> bool {
    matches!(value.get("@type"), Some(Value::String(t)) if t == "WebPage" || t == "ItemPage")
}

/// The names in a JSON-LD `author` (a string, a Person, or a list of either).
fn person_names(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.trim().to_string()],
        Value::Array(items) => items.iter().flat_map(person_names).collect(),
        Value::Object(map) => map
            .get("name")
            .and_then(Value::as_str)
            .map(|s| vec![s.trim().to_string()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|n| !n.is_empty() && !looks_like_url(n))
    .collect()
}

fn string_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(items) => items.iter().find_map(|v| string_of(Some(v))),
        Value::Object(map) => string_of(map.get("@id").or_else(|| map.get("url"))),
        _ => None,
    }
}

impl LinkedData {
    fn read(dom: &Dom) -> LinkedData {
        let mut objects = Vec::new();
        for id in dom.elements(Tag::Script) {
            let is_json_ld = dom
                .attr(id, AttrName::Type)
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
            if !is_json_ld {
                continue;
            }
            let child = dom.nodes[id as usize].first_child;
            let Some(text) = (child != NONE).then(|| dom.text_of_node(child)).flatten() else {
                continue;
            };
            // Some sites end the block with a stray ";" or wrap it in a CDATA comment.
            let text = text
                .trim()
                .trim_start_matches("//<![CDATA[")
                .trim_end_matches("//]]>")
                .trim()
                .trim_end_matches(';');
            if let Ok(value) = serde_json::from_str::<Value>(text) {
                collect_objects(value, &mut objects, 0);
            }
        }
        // An article type beats a plain web page, which beats anything with a date.
        let article = objects
            .iter()
            .find(|o| is_article_type(o) && !is_page_type(o))
            .or_else(|| objects.iter().find(|o| is_article_type(o)))
            .or_else(|| objects.iter().find(|o| o.get("datePublished").is_some()));
        let Some(article) = article else {
            return LinkedData::default();
        };
        let publisher = article
            .get("publisher")
            .and_then(|p| p.get("name").or(Some(p)))
            .and_then(|n| n.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let author = article
            .get("author")
            .or_else(|| article.get("creator"))
            .map(person_names)
            .filter(|names| !names.is_empty())
            .map(|names| dedup(names).join(", "));
        LinkedData {
            headline: string_of(article.get("headline")).or_else(|| string_of(article.get("name"))),
            published: string_of(article.get("datePublished"))
                .or_else(|| string_of(article.get("dateCreated"))),
            author,
            publisher,
            url: string_of(article.get("url"))
                .or_else(|| string_of(article.get("mainEntityOfPage"))),
            body: string_of(article.get("articleBody")),
        }
    }
}

fn dedup(mut names: Vec<String>) -> Vec<String> {
    let mut seen = Vec::new();
    names.retain(|n| {
        let fresh = !seen.contains(n);
        seen.push(n.clone());
        fresh
    });
    names
}

/// Flattens JSON-LD: top-level arrays, `@graph` lists and `mainEntity` objects.
fn collect_objects(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect_objects(item, out, depth + 1);
            }
        }
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                collect_objects(graph, out, depth + 1);
            }
            if let Some(main) = map.get("mainEntity").cloned()
                && main.is_object()
            {
                collect_objects(main, out, depth + 1);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

fn looks_like_url(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("www.")
        || s.starts_with('/')
}

/// A date as pages write them: ISO dates and datetimes, RFC 2822, `2022/01/07`, `20220107`,
/// `January 7, 2022`, `7 January 2022`.
pub(crate) fn parse_page_date(s: &str) -> Option<NaiveDate> {
    parse_any_date(s).filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
}

/// [`parse_page_date`] without the plausibility check (templates fill unset dates with
/// `0001-01-01`).
fn parse_any_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(date) = parse_published(s) {
        return Some(date);
    }
    let head: String = s.chars().take(10).collect();
    for format in ["%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(&head, format) {
            return Some(date);
        }
        if let Some(prefix) = head.get(..8)
            && format == "%Y%m%d"
            && let Ok(date) = NaiveDate::parse_from_str(prefix, format)
        {
            return Some(date);
        }
    }
    month_name_date(s)
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// "January 7, 2022", "Jan. 7 2022", "7 January 2022", "Friday 7 Jan 2022 10:00".
fn month_name_date(s: &str) -> Option<NaiveDate> {
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let month_at = |w: &str| -> Option<u32> {
        if w.len() < 3 || !w.is_ascii() {
            return None;
        }
        let index = MONTHS.iter().position(|m| w.starts_with(m))?;
        Some(index as u32 + 1)
    };
    let number = |w: &str| -> Option<u32> {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        digits.parse().ok()
    };
    for (i, word) in words.iter().enumerate() {
        let Some(month) = month_at(word) else {
            continue;
        };
        // Month Day Year
        if let (Some(day), Some(year)) = (
            words.get(i + 1).and_then(|w| number(w)),
            words.get(i + 2).and_then(|w| number(w)),
        ) && year >= 1900
        {
            return NaiveDate::from_ymd_opt(year as i32, month, day);
        }
        // Day Month Year
        if let (Some(day), Some(year)) = (
            i.checked_sub(1).and_then(|j| number(&words[j])),
            words.get(i + 1).and_then(|w| number(w)),
        ) && year >= 1900
        {
            return NaiveDate::from_ymd_opt(year as i32, month, day);
        }
    }
    None
}

/// A date in a URL path: `/2022/01/07/`, `/2022-01-07/`, `/20220107/`.
pub(crate) fn url_date(url: &str) -> Option<NaiveDate> {
    let path = url.split(['?', '#']).next()?;
    let parts: Vec<&str> = path.split(['/', '-', '_', '.']).collect();
    for w in parts.windows(3) {
        if w[0].len() == 4
            && (1..=2).contains(&w[1].len())
            && (1..=2).contains(&w[2].len())
            && let (Ok(y), Ok(m), Ok(d)) = (w[0].parse::<i32>(), w[1].parse(), w[2].parse())
            && (1990..=2100).contains(&y)
            && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
        {
            return Some(date);
        }
    }
    for part in path.split('/') {
        if part.len() == 8
            && part.bytes().all(|b| b.is_ascii_digit())
            && let Ok(date) = NaiveDate::parse_from_str(part, "%Y%m%d")
            && (1990..=2100).contains(&chrono::Datelike::year(&date))
        {
            return Some(date);
        }
    }
    None
}

/// "en-US", "en_us", "EN" → "en"; `None` for values that are not language tags.
pub(crate) fn normalise_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let valid =
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
    (valid && primary != "und" && primary != "mul" && primary != "zxx").then_some(primary)
}

/// Cuts the site name off a declared title: "Headline | Site" → "Headline".
pub(crate) fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let title = title.trim();
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    for sep in TITLE_SEPARATORS {
        let Some(at) = title.rfind(sep) else {
            continue;
        };
        let (head, tail) = (title[..at].trim(), title[at + sep.len()..].trim());
        if head.is_empty() {
            continue;
        }
        let site_key = site.map(key).unwrap_or_default();
        let tail_key = key(tail);
        let is_site = !site_key.is_empty()
            && (tail_key == site_key
                || site_key.contains(&tail_key)
                || tail_key.contains(&site_key));
        let looks_like_site = tail.split_whitespace().count() <= 4
            && head.split_whitespace().count() >= 4
            && !tail.ends_with(['.', '?', '!']);
        if is_site || looks_like_site {
            return strip_site_suffix(head, site);
        }
        // A site name first: "Site | Headline".
        if let Some(at) = title.find(sep) {
            let (first, rest) = (title[..at].trim(), title[at + sep.len()..].trim());
            if !site_key.is_empty() && key(first) == site_key && !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    title.to_string()
}

/// Whether two titles say the same: equal once case, punctuation and spacing are ignored, or
/// one is the other with words added (a site name, a kicker).
fn titles_agree(h1: &str, declared: &str) -> bool {
    let (a, b) = (title_words(h1), title_words(declared));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let joined_a = a.join(" ");
    let joined_b = b.join(" ");
    if joined_a == joined_b {
        return true;
    }
    let (short, long) = if joined_a.len() <= joined_b.len() {
        (&joined_a, &joined_b)
    } else {
        (&joined_b, &joined_a)
    };
    short.split(' ').count() >= 3 && long.contains(short.as_str())
}

fn make_absolute(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    if href.starts_with("http://") || href.starts_with("https://") {
        return Some(href.to_string());
    }
    let base = base?;
    let scheme_end = base.find("://")? + 3;
    if let Some(rest) = href.strip_prefix("//") {
        return Some(format!("{}{}", &base[..scheme_end], rest));
    }
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    if href.starts_with('/') {
        return Some(format!("{}{}", &base[..host_end], href));
    }
    let dir_end = base[host_end..]
        .rfind('/')
        .map_or(base.len(), |i| host_end + i + 1);
    let dir = if dir_end > base.len() {
        base
    } else {
        &base[..dir_end]
    };
    let joiner = if dir.ends_with('/') { "" } else { "/" };
    Some(format!("{dir}{joiner}{href}"))
}

/// An author's name as written in a byline: a "By " prefix and surrounding separators
/// removed; `None` for a URL, a handle or a text too long to be names.
fn author_name(text: &str) -> Option<String> {
    let text = text.trim();
    let text = match text.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => &text[3..],
        _ => text,
    };
    let text = text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '|' | ',' | '-' | '–'));
    let words = text.split_whitespace().count();
    ((1..=12).contains(&words) && !looks_like_url(text) && !text.starts_with('@'))
        .then(|| text.to_string())
}

fn author_text(dom: &Dom, id: u32) -> Option<String> {
    author_name(&dom.text_content(id))
}

/// Reads the metadata; `container` is the element holding the article (for the `<h1>` and the
/// `<time>`), `url` the page's address if known.
pub(crate) fn read(dom: &Dom, container: u32, url: Option<&str>) -> (PageMeta, Option<String>) {
    let metas = Metas::read(dom);
    let linked = LinkedData::read(dom);

    let site = [
        metas.get("og:site_name"),
        linked.publisher.as_deref(),
        metas.get("application-name"),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .find(|s| !s.is_empty() && !looks_like_url(s))
    .map(str::to_string);

    let published = linked
        .published
        .as_deref()
        .and_then(parse_page_date)
        .or_else(|| metas.first_of(DATE_KEYS).find_map(parse_page_date))
        .or_else(|| itemprop_date(dom))
        .or_else(|| time_element_date(dom, container))
        .or_else(|| url.and_then(url_date));

    let author = linked
        .author
        .as_deref()
        .and_then(author_name)
        .or_else(|| metas.first_of(AUTHOR_KEYS).find_map(author_name))
        .or_else(|| author_element(dom));

    let canonical = canonical_link(dom)
        .or_else(|| metas.get("og:url").map(str::to_string))
        .or_else(|| linked.url.clone().filter(|u| !u.starts_with('#')))
        .and_then(|href| make_absolute(&href, url))
        .or_else(|| url.map(str::to_string));

    let language = dom
        .elements(Tag::Html)
        .find_map(|id| dom.attr(id, AttrName::Lang))
        .and_then(normalise_language)
        .or_else(|| metas.get("content-language").and_then(normalise_language))
        .or_else(|| metas.get("language").and_then(normalise_language))
        .or_else(|| metas.get("og:locale").and_then(normalise_language));

    let title = choose_title(dom, container, &metas, &linked, site.as_deref());

    (
        PageMeta {
            title,
            published,
            author,
            site,
            canonical,
            language,
        },
        linked.body,
    )
}

fn choose_title(
    dom: &Dom,
    container: u32,
    metas: &Metas,
    linked: &LinkedData,
    site: Option<&str>,
) -> Option<String> {
    let document_title = dom
        .elements(Tag::Title)
        .next()
        .map(|id| dom.text_content(id))
        .filter(|t| !t.is_empty());
    let declared: Vec<String> = [
        metas.get("og:title").map(str::to_string),
        metas.get("twitter:title").map(str::to_string),
        linked.headline.clone(),
        document_title.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    // What the declared titles say without their site names: an <h1> holding only the site's
    // name (a blog's logo) must not agree with "Post title | Blog name".
    let cores: Vec<String> = declared
        .iter()
        .map(|d| strip_site_suffix(d, site))
        .collect();
    // The <h1>s inside the article first, then the others.
    let mut h1s: Vec<u32> = dom.elements(Tag::Heading(1)).collect();
    h1s.sort_by_key(|&id| !dom.is_within(id, container) && !dom.is_within(container, id));
    for &h1 in &h1s {
        let text = dom.text_content(h1);
        if !text.is_empty() && cores.iter().any(|d| titles_agree(&text, d)) {
            return Some(text);
        }
    }
    if let Some(first) = cores.first() {
        return Some(first.clone()).filter(|t| !t.is_empty());
    }
    h1s.first()
        .map(|&id| dom.text_content(id))
        .filter(|t| !t.is_empty())
}

fn canonical_link(dom: &Dom) -> Option<String> {
    dom.elements(Tag::Link).find_map(|id| {
        let rel = dom.attr(id, AttrName::Rel)?;
        rel.split_whitespace()
            .any(|r| r.eq_ignore_ascii_case("canonical"))
            .then(|| dom.attr(id, AttrName::Href))
            .flatten()
            .map(str::to_string)
    })
}

fn itemprop_date(dom: &Dom) -> Option<NaiveDate> {
    (0..dom.nodes.len() as u32).find_map(|id| {
        let prop = dom.attr(id, AttrName::Itemprop)?;
        if !prop
            .split_whitespace()
            .any(|p| p == "datePublished" || p == "dateCreated")
        {
            return None;
        }
        dom.attr(id, AttrName::Content)
            .or_else(|| dom.attr(id, AttrName::Datetime))
            .and_then(parse_page_date)
            .or_else(|| parse_page_date(&dom.text_content(id)))
    })
}

/// The first `<time>` with a `datetime` inside the article, else on the page.
fn time_element_date(dom: &Dom, container: u32) -> Option<NaiveDate> {
    let times: Vec<u32> = dom.elements(Tag::Time).collect();
    let date_of = |&id: &u32| dom.attr(id, AttrName::Datetime).and_then(parse_page_date);
    times
        .iter()
        .filter(|&&id| dom.is_within(id, container))
        .find_map(date_of)
        .or_else(|| times.iter().find_map(date_of))
}

fn author_element(dom: &Dom) -> Option<String> {
    for id in 0..dom.nodes.len() as u32 {
        let NodeKind::Element { tag, .. } = dom.nodes[id as usize].kind else {
            continue;
        };
        let by_rel = matches!(tag, Tag::A | Tag::Link)
            && dom.attr(id, AttrName::Rel).is_some_and(|r| {
                r.split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("author"))
            });
        let by_itemprop = dom
            .attr(id, AttrName::Itemprop)
            .is_some_and(|p| p.split_whitespace().any(|p| p == "author"));
        if (by_rel && tag == Tag::A) || by_itemprop {
            // An itemprop=author element may wrap a Person with its own itemprop=name.
            let named = (id + 1..=dom.nodes[id as usize].end).find(|&c| {
                dom.attr(c, AttrName::Itemprop)
                    .is_some_and(|p| p.split_whitespace().any(|p| p == "name"))
            });
            let found = match named {
                Some(name) => dom
                    .attr(name, AttrName::Content)
                    .map(str::to_string)
                    .or_else(|| author_text(dom, name)),
                None => dom
                    .attr(id, AttrName::Content)
                    .map(str::to_string)
                    .or_else(|| author_text(dom, id)),
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_dates_in_common_shapes() {
        let jan7 = NaiveDate::from_ymd_opt(2022, 1, 7);
        for s in [
            "2022-01-07",
            "2022-01-07T10:00:00.000Z",
            "2022-01-07T10:00:00+0100",
            "2022/01/07",
            "20220107",
            "January 7, 2022",
            "Jan. 7, 2022 10:45 AM",
            "Friday 7 January 2022",
            "Fri, 07 Jan 2022 10:00:00 GMT",
        ] {
            assert_eq!(parse_page_date(s), jan7, "{s}");
        }
        assert_eq!(parse_page_date("yesterday"), None);
        // Templates fill unset dates with the year 1.
        assert_eq!(parse_page_date("0001-01-01T00:00:00Z"), None);
        assert_eq!(parse_page_date("May 2022"), None);
    }

    #[test]
    fn url_dates() {
        let jan7 = NaiveDate::from_ymd_opt(2022, 1, 7);
        assert_eq!(url_date("https://x.com/2022/01/07/mali-advisers/"), jan7);
        assert_eq!(url_date("https://x.com/news/2022-01-07-mali"), jan7);
        assert_eq!(url_date("https://x.com/a/20220107/mali"), jan7);
        assert_eq!(url_date("https://x.com/story/12345678"), None);
        assert_eq!(url_date("https://x.com/2022/13/45/x"), None);
    }

    #[test]
    fn site_suffixes_are_cut() {
        assert_eq!(
            strip_site_suffix(
                "Aid convoy reaches Dravik | The Daily Post",
                Some("The Daily Post")
            ),
            "Aid convoy reaches Dravik"
        );
        assert_eq!(
            strip_site_suffix("Aid convoy reaches besieged town - Post", None),
            "Aid convoy reaches besieged town"
        );
        assert_eq!(
            strip_site_suffix(
                "Daily Post | Aid convoy reaches besieged town",
                Some("Daily Post")
            ),
            "Aid convoy reaches besieged town"
        );
        // A dash inside a short headline is kept.
        assert_eq!(strip_site_suffix("Mali - Russia", None), "Mali - Russia");
    }

    #[test]
    fn languages_normalise() {
        assert_eq!(normalise_language("en-US").as_deref(), Some("en"));
        assert_eq!(normalise_language("pt_BR").as_deref(), Some("pt"));
        assert_eq!(normalise_language("FR").as_deref(), Some("fr"));
        assert_eq!(normalise_language("und"), None);
        assert_eq!(normalise_language("{{lang}}"), None);
    }

    #[test]
    fn relative_links_become_absolute() {
        let base = Some("https://news.example/world/2022/story.html");
        assert_eq!(
            make_absolute("/world/a", base).as_deref(),
            Some("https://news.example/world/a")
        );
        assert_eq!(
            make_absolute("//cdn.example/x", base).as_deref(),
            Some("https://cdn.example/x")
        );
        assert_eq!(
            make_absolute("b.html", base).as_deref(),
            Some("https://news.example/world/2022/b.html")
        );
        assert_eq!(make_absolute("b.html", None), None);
    }

    #[test]
    fn author_names_lose_their_by() {
        assert_eq!(
            author_name("By ANA SWANSON").as_deref(),
            Some("ANA SWANSON")
        );
        assert_eq!(author_name(" by Jane Doe | ").as_deref(), Some("Jane Doe"));
        assert_eq!(author_name("https://facebook.com/jane"), None);
        assert_eq!(author_name("@janedoe"), None);
    }

    #[test]
    fn titles_agree_on_words_not_punctuation() {
        assert!(titles_agree("Mali: army sources", "Mali - army sources"));
        assert!(titles_agree(
            "Aid convoy reaches town",
            "Aid convoy reaches town | Post"
        ));
        assert!(!titles_agree("Weather", "Aid convoy reaches town"));
    }
}
