use std::sync::Mutex;

use super::*;
use crate::test_server::{Reply, TestServer};

fn options() -> FetchOptions {
    FetchOptions {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(2),
        host_delay: Duration::ZERO,
        use_env_proxy: false,
        ..FetchOptions::default()
    }
}

fn page(body: &str) -> Reply {
    Reply::ok("text/html; charset=utf-8", body)
}

#[test]
fn follows_relative_and_absolute_redirects() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/old" => Reply::redirect("/middle"),
        "/middle" => Reply::status(301).header("Location", "final?x=1"),
        "/final?x=1" => page("<p>here</p>"),
        _ => Reply::status(404),
    });
    let fetched = Fetcher::new(options()).get(&server.url("/old")).unwrap();
    assert_eq!(fetched.url, server.url("/final?x=1"));
    assert_eq!(fetched.requested, server.url("/old"));
    assert_eq!(fetched.redirects, 2);
    assert_eq!(fetched.body, b"<p>here</p>");
    assert!(fetched.media_type().is_html());
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn redirect_cap_stops_a_loop() {
    let server = TestServer::start(|r| {
        let n: u32 = r.path.trim_start_matches("/hop/").parse().unwrap_or(0);
        Reply::redirect(&format!("/hop/{}", n + 1))
    });
    let err = Fetcher::new(options())
        .get(&server.url("/hop/0"))
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::TooManyRedirects {
            url: server.url("/hop/0"),
            limit: 5
        }
    );
    // The first request and five redirects, then no more.
    assert_eq!(server.requests().len(), 6);
    assert!(!err.is_transient());
}

#[test]
fn redirects_to_other_schemes_and_bad_urls_are_refused() {
    let server = TestServer::start(|_| Reply::redirect("ftp://files.invalid/x"));
    let fetcher = Fetcher::new(options());
    assert!(matches!(
        fetcher.get(&server.url("/")).unwrap_err(),
        FetchError::Scheme { url } if url.starts_with("ftp://")
    ));
    assert!(matches!(
        fetcher.get("file:///etc/hostname").unwrap_err(),
        FetchError::Scheme { .. }
    ));
    assert!(matches!(
        fetcher.get("http://").unwrap_err(),
        FetchError::BadUrl { .. }
    ));
    let no_location = TestServer::start(|_| Reply::status(302));
    assert!(matches!(
        fetcher.get(&no_location.url("/")).unwrap_err(),
        FetchError::BadRedirect { status: 302, .. }
    ));
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = TestServer::start(|_| Reply {
        stall: Some(Duration::from_secs(10)),
        ..page("late")
    });
    let fetcher = Fetcher::new(FetchOptions {
        read_timeout: Duration::from_millis(300),
        ..options()
    });
    let started = Instant::now();
    let err = fetcher.get(&server.url("/slow")).unwrap_err();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn size_cap_with_and_without_content_length() {
    let big = "x".repeat(5_000);
    let body = big.clone();
    let server = TestServer::start(move |r| match r.path.as_str() {
        "/sized" => page(&body),
        "/no_length" => Reply {
            no_length: true,
            ..page(&body)
        },
        _ => page("small"),
    });
    let fetcher = Fetcher::new(FetchOptions {
        max_bytes: 1_000,
        ..options()
    });
    for path in ["/sized", "/no_length"] {
        let err = fetcher.get(&server.url(path)).unwrap_err();
        assert_eq!(
            err,
            FetchError::TooLarge {
                url: server.url(path),
                limit: 1_000
            }
        );
    }
    assert_eq!(fetcher.get(&server.url("/ok")).unwrap().body, b"small");
    // Exactly at the cap is allowed.
    let exact = TestServer::start(|_| page(&"y".repeat(1_000)));
    assert_eq!(fetcher.get(&exact.url("/")).unwrap().body.len(), 1_000);
}

#[test]
fn error_statuses_say_whether_to_retry() {
    let server = TestServer::start(|r| match r.path.as_str() {
        "/gone" => Reply::status(404),
        "/busy" => Reply::status(503),
        _ => Reply::status(429),
    });
    let fetcher = Fetcher::new(options());
    let gone = fetcher.get(&server.url("/gone")).unwrap_err();
    assert_eq!(
        gone.to_string(),
        format!("{}: HTTP 404", server.url("/gone"))
    );
    assert!(!gone.is_transient());
    assert!(
        fetcher
            .get(&server.url("/busy"))
            .unwrap_err()
            .is_transient()
    );
    assert!(
        fetcher
            .get(&server.url("/slow-down"))
            .unwrap_err()
            .is_transient()
    );
}

#[test]
fn sends_the_user_agent_and_accept_headers() {
    let server = TestServer::start(|_| page("ok"));
    Fetcher::new(options()).get(&server.url("/")).unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("user-agent"), Some(USER_AGENT));
    assert!(USER_AGENT.starts_with("sitrep/0."));
    assert!(request.header("accept").unwrap().starts_with("text/html"));
}

#[test]
fn conditional_get_returns_not_modified_on_the_second_poll() {
    let server = TestServer::start(|r| {
        if r.header("if-none-match") == Some("\"v1\"") {
            Reply::status(304).header("ETag", "\"v1\"")
        } else {
            Reply::ok("application/rss+xml", "<rss version=\"2.0\"></rss>")
                .header("ETag", "\"v1\"")
                .header("Last-Modified", "Tue, 03 Mar 2026 10:00:00 GMT")
        }
    });
    let fetcher = Fetcher::new(options());
    let url = server.url("/feed.xml");
    let Fetched::Page(first) = fetcher
        .get_conditional(&url, &Validators::default())
        .unwrap()
    else {
        panic!("the first poll has no validators and gets the feed")
    };
    assert_eq!(first.validators.etag.as_deref(), Some("\"v1\""));
    let second = fetcher.get_conditional(&url, &first.validators).unwrap();
    assert_eq!(
        second,
        Fetched::NotModified(Validators {
            etag: Some("\"v1\"".into()),
            last_modified: None
        })
    );
    let requests = server.requests();
    assert_eq!(requests[0].header("if-none-match"), None);
    assert_eq!(requests[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(
        requests[1].header("if-modified-since"),
        Some("Tue, 03 Mar 2026 10:00:00 GMT")
    );
}

/// A clock that only moves when the fetcher sleeps, recording every sleep.
struct FakeClock {
    start: Instant,
    slept: Mutex<Vec<Duration>>,
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        self.start + self.slept.lock().unwrap().iter().sum::<Duration>()
    }

    fn sleep(&self, duration: Duration) {
        self.slept.lock().unwrap().push(duration);
    }
}

#[test]
fn per_host_delay_is_applied_between_requests_to_the_same_host_only() {
    let a = TestServer::start(|_| page("a"));
    let b = TestServer::start(|_| page("b"));
    let clock = Arc::new(FakeClock {
        start: Instant::now(),
        slept: Mutex::new(Vec::new()),
    });
    let fetcher = Fetcher::with_clock(
        FetchOptions {
            host_delay: Duration::from_secs(3),
            ..options()
        },
        clock.clone(),
    );
    fetcher.get(&a.url("/1")).unwrap();
    fetcher.get(&b.url("/1")).unwrap(); // another host (port): no wait
    fetcher.get(&a.url("/2")).unwrap(); // waits the full delay on the fake clock
    fetcher.get(&a.url("/3")).unwrap();
    assert_eq!(
        *clock.slept.lock().unwrap(),
        vec![Duration::from_secs(3), Duration::from_secs(3)]
    );
}

#[test]
fn per_host_delay_separates_real_requests() {
    let server = TestServer::start(|_| page("x"));
    let delay = Duration::from_millis(150);
    let fetcher = Fetcher::new(FetchOptions {
        host_delay: delay,
        ..options()
    });
    for path in ["/1", "/2", "/3"] {
        fetcher.get(&server.url(path)).unwrap();
    }
    let times: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    for pair in times.windows(2) {
        // The server logs a request after the client sent it, so the gap it sees is at least
        // the client's pause (sleeps never end early).
        assert!(
            pair[1] - pair[0] >= delay - Duration::from_millis(5),
            "{pair:?}"
        );
    }
}

#[test]
fn schedule_counts_the_pause_from_the_end_of_a_request() {
    let mut schedule = HostSchedule::new(Duration::from_secs(2));
    let t0 = Instant::now();
    assert_eq!(schedule.book("h:80", t0), Duration::ZERO);
    // The response took 5 s: the next request waits 2 s from its end.
    schedule.release("h:80", t0 + Duration::from_secs(5));
    assert_eq!(
        schedule.book("h:80", t0 + Duration::from_secs(6)),
        Duration::from_secs(1)
    );
    // Booked but not yet released: a third caller queues behind the second.
    assert_eq!(
        schedule.book("h:80", t0 + Duration::from_secs(6)),
        Duration::from_secs(3)
    );
    // Long after, no wait.
    assert_eq!(
        schedule.book("h:80", t0 + Duration::from_secs(60)),
        Duration::ZERO
    );
}
