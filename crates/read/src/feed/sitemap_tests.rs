//! Sitemaps and sitemap indexes read as feeds of links.

use std::io::{Cursor, Write};
use std::time::Duration;

use sitrep_model::{Problem, ProblemKind};

use super::*;
use crate::fetch::{FetchOptions, Fetcher};
use crate::source::{Inputs, ReadOptions};
use crate::test_server::{Reply, TestServer};

const NEWS_SITEMAP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://port.example/2026/03/strike-ends</loc>
    <lastmod>2026-03-05</lastmod>
    <news:news>
      <news:publication><news:name>Port Gazette</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-03-04T18:00:00+01:00</news:publication_date>
      <news:title>Strike ends &amp; cranes move</news:title>
    </news:news>
    <image:image><image:loc>https://port.example/cranes.jpg</image:loc></image:image>
  </url>
  <url>
    <loc> /2026/03/tides </loc>
    <lastmod>2026-03-06T08:00:00Z</lastmod>
  </url>
  <url><lastmod>2026-03-07</lastmod></url>
</urlset>"#;

fn fetcher() -> Fetcher {
    Fetcher::new(FetchOptions {
        host_delay: Duration::ZERO,
        use_env_proxy: false,
        read_timeout: Duration::from_secs(2),
        ..FetchOptions::default()
    })
}

fn read(name: &str, bytes: &[u8], fetcher: Option<Fetcher>) -> Vec<Result<RawDoc, Problem>> {
    let opts = ReadOptions {
        fetcher,
        ..ReadOptions::default()
    };
    Inputs::from_reader(name, Cursor::new(bytes.to_vec()), &opts).collect()
}

fn page(text: &str) -> Reply {
    Reply::ok(
        "text/html; charset=utf-8",
        format!("<html><body><article><p>{text}</p></article></body></html>"),
    )
}

#[test]
fn a_news_sitemap_gives_links_with_titles_dates_and_site() {
    assert_eq!(sniff_feed(NEWS_SITEMAP.as_bytes()), Some(FeedKind::Sitemap));
    let feed = parse_feed(
        NEWS_SITEMAP.as_bytes(),
        Some("https://port.example/sitemap.xml"),
    )
    .unwrap();
    assert_eq!(feed.format, "Sitemap");
    assert_eq!(feed.items.len(), 2, "a <url> without <loc> is no item");
    let news = &feed.items[0];
    assert_eq!(
        news.link.as_deref(),
        Some("https://port.example/2026/03/strike-ends")
    );
    assert_eq!(news.title.as_deref(), Some("Strike ends & cranes move"));
    assert_eq!(news.published, NaiveDate::from_ymd_opt(2026, 3, 4));
    assert_eq!(news.site.as_deref(), Some("Port Gazette"));
    assert_eq!(news.key, "https://port.example/2026/03/strike-ends");
    let plain = &feed.items[1];
    assert_eq!(
        plain.link.as_deref(),
        Some("https://port.example/2026/03/tides"),
        "trimmed and resolved against the sitemap's address"
    );
    assert_eq!(plain.title, None);
    assert_eq!(
        plain.published,
        NaiveDate::from_ymd_opt(2026, 3, 6),
        "lastmod"
    );
}

#[test]
fn sitemap_items_are_offline_problems_without_a_fetcher() {
    let items = read("sitemap.xml", NEWS_SITEMAP.as_bytes(), None);
    assert_eq!(items.len(), 2);
    let problem = items[0].as_ref().unwrap_err();
    assert_eq!(problem.kind, ProblemKind::Offline);
    assert_eq!(problem.source, "sitemap.xml#item-1");
    assert!(problem.reason.contains("strike-ends"), "{problem}");
}

#[test]
fn sitemap_items_are_fetched_with_the_sitemaps_metadata() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/a" => page("The strike ended on Wednesday night."),
        _ => Reply::status(404),
    });
    let sitemap = format!(
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:n=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>{}</loc>\
         <n:news><n:publication><n:name>Gazette</n:name></n:publication>\
         <n:title>Strike over</n:title><n:publication_date>2026-03-04</n:publication_date>\
         </n:news></url><url><loc>{}</loc></url></urlset>",
        server.url("/a"),
        server.url("/gone")
    );
    let items = read("news.xml", sitemap.as_bytes(), Some(fetcher()));
    assert_eq!(items.len(), 2);
    let doc = items[0].as_ref().unwrap();
    assert_eq!(doc.title.as_deref(), Some("Strike over"));
    assert_eq!(doc.site.as_deref(), Some("Gazette"));
    assert_eq!(doc.published, NaiveDate::from_ymd_opt(2026, 3, 4));
    assert!(doc.html.as_deref().unwrap().contains("strike ended"));
    let problem = items[1].as_ref().unwrap_err();
    assert_eq!(problem.source, "news.xml#item-2");
    assert!(problem.reason.contains("404"), "{problem}");
}

fn index(locs: &[String]) -> String {
    let entries: String = locs
        .iter()
        .map(|loc| format!("<sitemap><loc>{loc}</loc><lastmod>2026-03-01</lastmod></sitemap>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
         {entries}</sitemapindex>"
    )
}

#[test]
fn a_sitemap_index_without_a_fetcher_names_each_sitemap() {
    let locs = [
        "https://s.example/one.xml".to_string(),
        "/two.xml.gz".to_string(),
    ];
    let feed = parse_feed(index(&locs).as_bytes(), Some("https://s.example/index.xml")).unwrap();
    assert_eq!(feed.format, "Sitemap index");
    assert_eq!(
        feed.sitemaps,
        ["https://s.example/one.xml", "https://s.example/two.xml.gz"]
    );
    let items = read("index.xml", index(&locs).as_bytes(), None);
    assert_eq!(items.len(), 2);
    let second = items[1].as_ref().unwrap_err();
    assert_eq!(second.kind, ProblemKind::Offline);
    assert_eq!(second.source, "index.xml#sitemap-2");
    assert!(second.reason.contains("/two.xml.gz"), "{second}");
}

#[test]
fn a_sitemap_index_is_expanded_one_level_with_a_fetcher() {
    let server = TestServer::start(|r| {
        let base = format!("http://{}", r.header("host").unwrap_or("localhost"));
        match r.path.as_str() {
            "/one.xml" => Reply::ok(
                "application/xml",
                format!("<urlset><url><loc>{base}/story</loc></url></urlset>"),
            ),
            "/two.xml.gz" => {
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), Default::default());
                let xml = format!(
                    "<urlset><url><loc>{base}/story</loc></url><url><loc>{base}/other</loc></url></urlset>"
                );
                gz.write_all(xml.as_bytes()).unwrap();
                Reply::ok("application/x-gzip", gz.finish().unwrap())
            }
            "/nested.xml" => Reply::ok(
                "application/xml",
                format!(
                    "<sitemapindex><sitemap><loc>{base}/one.xml</loc></sitemap></sitemapindex>"
                ),
            ),
            "/empty.xml" => Reply::ok("application/xml", "<urlset></urlset>"),
            "/story" => page("Story text."),
            "/other" => page("Other text."),
            _ => Reply::status(404),
        }
    });
    let locs: Vec<String> = ["/one.xml", "/two.xml.gz", "/nested.xml", "/empty.xml"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let items = read("index.xml", index(&locs).as_bytes(), Some(fetcher()));
    let sources: Vec<String> = items
        .iter()
        .map(|item| match item {
            Ok(doc) => doc.source.clone(),
            Err(problem) => format!("{}: {:?}", problem.source, problem.kind),
        })
        .collect();
    assert_eq!(
        sources,
        [
            server.url("/story"),
            server.url("/story"),
            server.url("/other"),
            "index.xml#sitemap-3: Unsupported".to_string(),
            format!("{}: Empty", server.url("/empty.xml")),
        ]
    );
    assert_eq!(
        server.hits("/one.xml"),
        1,
        "the nested index is not followed"
    );
}

#[test]
fn a_sitemap_index_reads_at_most_its_cap_of_sitemaps() {
    let locs: Vec<String> = (0..MAX_SITEMAPS + 7)
        .map(|n| format!("https://s.example/{n}.xml"))
        .collect();
    let items = read("big-index.xml", index(&locs).as_bytes(), None);
    assert_eq!(items.len(), MAX_SITEMAPS + 1);
    let last = items.last().unwrap().as_ref().unwrap_err();
    assert_eq!(last.kind, ProblemKind::TooLarge);
    assert_eq!(
        last.reason,
        format!("sitemap index lists 7 more sitemaps than the {MAX_SITEMAPS} read")
    );
}

#[test]
fn a_truncated_sitemap_keeps_the_urls_before_the_cut() {
    let cut = &NEWS_SITEMAP[..NEWS_SITEMAP.find("<lastmod>2026-03-06").unwrap() - 20];
    let feed = parse_feed(cut.as_bytes(), None).unwrap();
    assert_eq!(feed.items.len(), 1);
    let broken = format!(
        "{}<url><loc>x</loc></nope></urlset>",
        &NEWS_SITEMAP[..NEWS_SITEMAP.find("<url>").unwrap()]
    );
    let feed = parse_feed(broken.as_bytes(), None).unwrap();
    assert!(feed.items.is_empty());
    assert!(
        feed.warnings[0].contains("malformed"),
        "{:?}",
        feed.warnings
    );
}
