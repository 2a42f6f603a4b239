//! URL inputs: fetched (only with a fetcher: reading is offline unless asked) and read as
//! what the response is.

use std::io::Cursor;
use std::path::Path;

use sitrep_model::{Problem, ProblemKind};

use super::open::open_stream;
use super::options::{InputKind, ReadOptions};
use super::origin::{Origin, extension};
use super::stream::Stream;
use crate::feed::{FeedItems, looks_like_feed, parse_feed};
use crate::payload::looks_like_html;

/// Fetches a URL input and reads the response as what it is: a feed, an HTML page, plain
/// text, or (by its first bytes) any other kind this reader knows.
pub(super) fn open_url(url: &str, opts: &ReadOptions) -> Stream {
    let problem =
        |kind: ProblemKind, reason: String| Stream::one(Err(Problem::new(url, kind, reason)));
    let Some(fetcher) = &opts.fetcher else {
        return problem(
            ProblemKind::Offline,
            "is a URL, and fetching is off".to_string(),
        );
    };
    let page = match fetcher.get(url) {
        Ok(page) => page,
        Err(err) => {
            let text = err.to_string();
            let reason = text.strip_prefix(&format!("{url}: ")).unwrap_or(&text);
            return problem(err.problem_kind(), reason.to_string());
        }
    };
    let media = page.media_type();
    let forced = opts.input;
    let feed = forced == Some(InputKind::Feed)
        || (forced.is_none() && !media.is_html() && looks_like_feed(&page.body));
    if feed {
        return match parse_feed(&page.body, Some(&page.url)) {
            Ok(feed) => Stream::Feed(Box::new(
                FeedItems::new(feed, url, opts.fetcher.clone()).max_item_bytes(opts.max_bytes),
            )),
            Err(reason) => problem(ProblemKind::MalformedFeed, reason),
        };
    }
    let html = forced == Some(InputKind::Html)
        || (forced.is_none()
            && (media.is_html() || (media.is_unspecific() && looks_like_html(&page.body))));
    let plain = media.essence == "text/plain" && matches!(forced, None | Some(InputKind::Text));
    if html || plain {
        let mut page = page;
        if html {
            // Forced: read as HTML whatever the server called it.
            page.content_type = Some(match &media.charset {
                Some(charset) => format!("text/html; charset={charset}"),
                None => "text/html".to_string(),
            });
        }
        // The problem is about the page where it was found; it is reported as the URL asked
        // for, the input's name.
        return Stream::one(
            page.to_raw_doc()
                .map_err(|p| Problem::new(url, p.kind, p.reason)),
        );
    }
    let known = forced.is_some()
        || media.is_unspecific()
        || media.essence.contains("json")
        || media.essence.contains("warc")
        || media.essence.contains("gzip")
        || media.essence.starts_with("text/");
    if !known {
        return problem(
            ProblemKind::Unsupported,
            format!(
                "not an HTML page or a feed (Content-Type {})",
                page.content_type.as_deref().unwrap_or("missing")
            ),
        );
    }
    let path_ext = url::Url::parse(&page.url)
        .ok()
        .and_then(|u| extension(Path::new(u.path())));
    let origin = Origin {
        name: url.to_string(),
        size: Some(page.body.len() as u64),
        ext: path_ext,
        is_file: false,
    };
    open_stream(origin, Box::new(Cursor::new(page.body)), opts)
}
