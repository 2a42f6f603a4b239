use std::time::Duration;

use super::*;
use crate::fetch::{FetchOptions, Fetcher};
use crate::test_server::{Reply, TestServer};
use entries::text_chars;

/// A paragraph long enough that an item carrying it counts as a full article.
fn long_text(topic: &str) -> String {
    let sentence = format!(
        "The {topic} talks in the capital continued on Tuesday, with both delegations \
         saying progress had been made on the remaining questions. "
    );
    sentence.repeat(6)
}

fn rss(link_only_url: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/style.xsl"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour Daily</title>
  <link>https://harbour.example/</link>
  <item>
    <title>Port talks resume</title>
    <link>https://harbour.example/port-talks</link>
    <guid isPermaLink="false">harbour-1001</guid>
    <pubDate>Tue, 03 Mar 2026 23:30:00 -0500</pubDate>
    <dc:creator>A. Writer</dc:creator>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>{}</p><p>Second paragraph.</p>]]></content:encoded>
  </item>
  <item>
    <title>Strike called off</title>
    <link>{link_only_url}</link>
    <pubDate>Wed, 04 Mar 2026 08:00:00 +0000</pubDate>
    <description>Union leaders called off the strike. Read more.</description>
  </item>
  <item>
    <title>Headline only</title>
    <description>Nothing else here.</description>
  </item>
</channel>
</rss>"#,
        long_text("port")
    )
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Valley Wire</title>
  <id>urn:valley:feed</id>
  <updated>2026-03-05T10:00:00Z</updated>
  <entry>
    <title>Bridge reopens</title>
    <id>urn:valley:42</id>
    <link rel="alternate" href="/2026/bridge"/>
    <link rel="replies" href="/2026/bridge#comments"/>
    <published>2026-03-05T01:30:00+09:00</published>
    <updated>2026-03-06T00:00:00Z</updated>
    <author><name>B. Reporter</name></author>
    <content type="html">&lt;p&gt;HTMLBODY&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain text entry</title>
    <id>urn:valley:43</id>
    <updated>2026-03-06T09:00:00Z</updated>
    <content type="text">PLAINBODY</content>
  </entry>
</feed>"#;

fn atom() -> String {
    ATOM.replace("HTMLBODY", &long_text("bridge"))
        .replace("PLAINBODY", &long_text("valley"))
}

fn json_feed(link_only_url: &str) -> String {
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Border Notes",
        "items": [
            {
                "id": "bn-1",
                "url": "https://border.example/1",
                "title": "Crossing reopens",
                "content_html": format!("<p>{}</p>", long_text("crossing")),
                "date_published": "2026-03-02T18:00:00-08:00",
                "authors": [{"name": "C. Columnist"}]
            },
            {
                "id": "bn-2",
                "url": link_only_url,
                "title": "Trucks queue",
                "summary": "A short summary.",
                "date_published": "2026-03-03"
            }
        ]
    })
    .to_string()
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchOptions {
        host_delay: Duration::ZERO,
        use_env_proxy: false,
        read_timeout: Duration::from_secs(2),
        ..FetchOptions::default()
    })
}

#[test]
fn rss_items_full_content_and_link_only() {
    let feed = parse_feed(rss("https://harbour.example/strike").as_bytes(), None).unwrap();
    assert_eq!(feed.format, "RSS 2.0");
    assert_eq!(feed.title.as_deref(), Some("Harbour Daily"));
    assert_eq!(feed.items.len(), 3);
    let first = &feed.items[0];
    assert_eq!(first.key, "harbour-1001");
    assert_eq!(
        first.link.as_deref(),
        Some("https://harbour.example/port-talks")
    );
    assert_eq!(first.title.as_deref(), Some("Port talks resume"));
    // The date as written (23:30 at -05:00 is already the 4th in UTC).
    assert_eq!(first.published, NaiveDate::from_ymd_opt(2026, 3, 3));
    assert_eq!(first.author.as_deref(), Some("A. Writer"));
    match &first.content {
        Some(ItemContent::Html(html)) => assert!(html.contains("Second paragraph.")),
        other => panic!("expected the content:encoded article, got {other:?}"),
    }
    let second = &feed.items[1];
    assert_eq!(second.content, None, "a teaser is not an article");
    assert_eq!(second.key, "https://harbour.example/strike");
    let third = &feed.items[2];
    assert!(third.key.starts_with("text:"));
    assert_eq!(third.link, None);
    // Keys are stable across parses.
    let again = parse_feed(rss("https://harbour.example/strike").as_bytes(), None).unwrap();
    assert_eq!(again.items[2].key, third.key);
}

#[test]
fn atom_entries_resolve_relative_links_and_keep_text_content() {
    let feed = parse_feed(atom().as_bytes(), Some("https://valley.example/feed.atom")).unwrap();
    assert_eq!(feed.format, "Atom");
    assert_eq!(feed.title.as_deref(), Some("Valley Wire"));
    let bridge = &feed.items[0];
    assert_eq!(bridge.key, "urn:valley:42");
    assert_eq!(
        bridge.link.as_deref(),
        Some("https://valley.example/2026/bridge")
    );
    assert_eq!(bridge.published, NaiveDate::from_ymd_opt(2026, 3, 5));
    assert_eq!(bridge.author.as_deref(), Some("B. Reporter"));
    assert!(
        matches!(&bridge.content, Some(ItemContent::Html(h)) if h.starts_with("<p>The bridge"))
    );
    let plain = &feed.items[1];
    assert_eq!(
        plain.published,
        NaiveDate::from_ymd_opt(2026, 3, 6),
        "updated when not published"
    );
    let doc = plain
        .own_document(&feed, plain.source("valley.atom", 1))
        .unwrap();
    assert_eq!(doc.source, "valley.atom#item-2");
    assert!(
        doc.text.as_deref().unwrap().starts_with("The valley talks"),
        "{doc:?}"
    );
    assert_eq!(doc.html, None);
    assert_eq!(doc.site.as_deref(), Some("Valley Wire"));
}

#[test]
fn json_feed_items() {
    let feed = parse_feed(json_feed("https://border.example/2").as_bytes(), None).unwrap();
    assert_eq!(feed.format, "JSON Feed");
    assert_eq!(feed.title.as_deref(), Some("Border Notes"));
    let first = &feed.items[0];
    assert_eq!(first.published, NaiveDate::from_ymd_opt(2026, 3, 2));
    assert_eq!(first.author.as_deref(), Some("C. Columnist"));
    assert!(matches!(first.content, Some(ItemContent::Html(_))));
    assert_eq!(feed.items[1].content, None);
    assert_eq!(feed.items[1].published, NaiveDate::from_ymd_opt(2026, 3, 3));
}

#[test]
fn link_only_items_are_fetched_from_their_page() {
    let server = TestServer::start(|r| {
        match r.path.as_str() {
        "/strike" => Reply::ok(
            "text/html; charset=iso-8859-1",
            &b"<html><body><article><p>Union leaders in Sel\xe7uk called off the strike.</p></article></body></html>"[..],
        ),
        _ => Reply::status(404),
    }
    });
    let feed = parse_feed(rss(&server.url("/strike")).as_bytes(), None).unwrap();
    let items: Vec<_> = FeedItems::new(feed, "harbour.rss", Some(fetcher())).collect();
    assert_eq!(items.len(), 3);
    let own = items[0].as_ref().unwrap();
    assert_eq!(own.source, "https://harbour.example/port-talks");
    assert_eq!(own.site.as_deref(), Some("Harbour Daily"));
    assert!(
        own.html
            .as_deref()
            .unwrap()
            .starts_with("<!DOCTYPE html><html><body><article><p>The port")
    );
    let fetched = items[1].as_ref().unwrap();
    assert_eq!(fetched.url.as_deref(), Some(server.url("/strike").as_str()));
    assert_eq!(fetched.title.as_deref(), Some("Strike called off"));
    assert_eq!(fetched.published, NaiveDate::from_ymd_opt(2026, 3, 4));
    assert_eq!(fetched.encoding, "windows-1252");
    assert!(fetched.html.as_deref().unwrap().contains("Selçuk"));
    let problem = items[2].as_ref().unwrap_err();
    assert_eq!(problem.source, "harbour.rss#item-3");
    assert!(problem.reason.contains("neither"));
    assert_eq!(server.hits("/strike"), 1);
}

#[test]
fn without_a_fetcher_link_only_items_are_problems() {
    let feed = parse_feed(rss("https://harbour.example/strike").as_bytes(), None).unwrap();
    let items: Vec<_> = FeedItems::new(feed, "harbour.rss", None).collect();
    assert!(items[0].is_ok());
    let problem = items[1].as_ref().unwrap_err();
    assert!(problem.reason.contains("fetching is off"), "{problem}");
}

#[test]
fn fetch_failures_name_the_item_and_the_url() {
    let server = TestServer::start(|_| Reply::ok("application/pdf", "%PDF-1.4"));
    let feed = parse_feed(json_feed(&server.url("/doc.pdf")).as_bytes(), None).unwrap();
    let items: Vec<_> = FeedItems::new(feed, "border.json", Some(fetcher())).collect();
    let problem = items[1].as_ref().unwrap_err();
    assert_eq!(problem.source, "border.json#item-2");
    assert!(problem.reason.contains("not an HTML page"), "{problem}");
}

#[test]
fn sniffing_tells_feeds_from_pages() {
    assert!(looks_like_feed(rss("x").as_bytes()));
    assert!(looks_like_feed(atom().as_bytes()));
    assert!(looks_like_feed(json_feed("x").as_bytes()));
    assert!(looks_like_feed(
        b"<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"x\">"
    ));
    assert!(!looks_like_feed(b"<?xml version=\"1.0\"?><svg></svg>"));
    assert!(
        !looks_like_feed(b"<feed xmlns=\"urn:x-games:scores\"><entry/></feed>"),
        "a feed element in another namespace than Atom's"
    );
    assert!(!looks_like_feed(b"{\"version\": \"1\", \"text\": \"x\"}"));
}

#[test]
fn malformed_feeds_are_errors() {
    assert!(parse_feed(b"<rss version=\"2.0\"><channel><item>", None).is_err());
    assert!(parse_feed(b"not a feed at all", None).is_err());
}

#[test]
fn text_length_ignores_tags_and_collapses_whitespace() {
    assert_eq!(text_chars("<p>ab  <b>c</b></p>\n\n<p>d</p>"), 6);
}
