//! Fetching pages and feeds over HTTP: a blocking client that is bounded and polite.
//!
//! sitrep fetches what a user points it at (a URL on the command line, the links of a feed),
//! one request at a time, so a plain blocking client is enough. [`Fetcher`] wraps `ureq`
//! (rustls, no system TLS, gzip) with the rules a well-behaved crawler follows:
//!
//! - **Identity.** A user agent that names the program and what it is for
//!   ([`USER_AGENT`]), so site operators can tell who is calling.
//! - **Bounds.** Connect and read timeouts, a size cap on the decoded body (the same
//!   `--max-doc-size` as for files: an oversized page is refused as soon as the cap is passed,
//!   never held whole), and at most [`FetchOptions::max_redirects`] redirects.
//! - **Schemes.** Only `http` and `https`, for the first URL and for every redirect target.
//! - **Politeness.** At least [`FetchOptions::host_delay`] between the end of one request to a
//!   host and the start of the next (per host and port). The schedule is [`HostSchedule`], a
//!   pure function of a clock so it can be tested without sleeping; [`Fetcher`] sleeps through
//!   a [`Clock`], which tests replace.
//! - **Conditional GET.** [`Fetcher::get_conditional`] sends `If-None-Match` and
//!   `If-Modified-Since` from the validators of the previous response and reports
//!   `304 Not Modified` as [`Fetched::NotModified`], so polling a feed costs the server nothing
//!   when nothing changed.
//!
//! Redirects are followed here rather than inside `ureq`, so each hop is checked for its
//! scheme, counted against the cap, and scheduled against its own host.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sitrep_model::{Problem, ProblemKind};
use thiserror::Error;
use url::Url;

use crate::payload::{MediaType, decode_page, looks_like_html};
use crate::raw::RawDoc;

/// The `User-Agent` header: the program, its version and what it does, without a made-up
/// contact address.
pub const USER_AGENT: &str = concat!(
    "sitrep/",
    env!("CARGO_PKG_VERSION"),
    " (news analysis; offline-first)"
);

/// What the client sends as `Accept`: pages and feeds first, anything else last.
const ACCEPT: &str = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,\
    application/feed+json;q=0.9,application/xml;q=0.8,*/*;q=0.5";

/// Client settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    pub user_agent: String,
    /// Time to resolve the host and open the connection (TLS included).
    pub connect_timeout: Duration,
    /// Time to wait for the response headers, and again for the body.
    pub read_timeout: Duration,
    /// The largest body, in bytes, after content decoding.
    pub max_bytes: usize,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// Pause between the end of one request to a host and the start of the next.
    pub host_delay: Duration,
    /// Use the `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` environment variables.
    pub use_env_proxy: bool,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            user_agent: USER_AGENT.to_string(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_bytes: 10_000_000,
            max_redirects: 5,
            host_delay: Duration::from_secs(1),
            use_env_proxy: true,
        }
    }
}

/// Time as the fetcher sees it: real time, or a fake one in tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> Instant;
    fn sleep(&self, duration: Duration);
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// When each host may next be asked for something.
///
/// [`book`](Self::book) reserves the next free slot for a host and says how long to wait for
/// it; [`release`](Self::release) marks the end of the request, so the pause runs from the
/// end of a slow response, not from its start.
///
/// ```
/// use std::time::{Duration, Instant};
/// use sitrep_read::fetch::HostSchedule;
/// let mut schedule = HostSchedule::new(Duration::from_secs(1));
/// let t0 = Instant::now();
/// assert_eq!(schedule.book("a.example:443", t0), Duration::ZERO);
/// schedule.release("a.example:443", t0);
/// assert_eq!(schedule.book("a.example:443", t0), Duration::from_secs(1));
/// assert_eq!(schedule.book("b.example:443", t0), Duration::ZERO);
/// ```
#[derive(Debug, Clone)]
pub struct HostSchedule {
    delay: Duration,
    next_free: HashMap<String, Instant>,
}

/// Past this many remembered hosts, those whose pause is over are forgotten.
const MAX_REMEMBERED_HOSTS: usize = 10_000;

impl HostSchedule {
    pub fn new(delay: Duration) -> HostSchedule {
        HostSchedule {
            delay,
            next_free: HashMap::new(),
        }
    }

    /// Reserves the next request to `host` at or after `now`; returns the wait before it.
    pub fn book(&mut self, host: &str, now: Instant) -> Duration {
        if self.next_free.len() > MAX_REMEMBERED_HOSTS {
            self.next_free.retain(|_, free| *free > now);
        }
        let start = match self.next_free.get(host) {
            Some(&free) if free > now => free,
            _ => now,
        };
        // Hold the host for the whole pause even before the request ends, so a second caller
        // cannot slip in while the first is still waiting for its response.
        self.next_free.insert(host.to_string(), start + self.delay);
        start - now
    }

    /// Records that a request to `host` ended at `now`: the next one waits a full delay.
    pub fn release(&mut self, host: &str, now: Instant) {
        let free = now + self.delay;
        let entry = self.next_free.entry(host.to_string()).or_insert(free);
        if *entry < free {
            *entry = free;
        }
    }
}

/// Cache validators of a response, sent back on the next request for the same URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A successful response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The URL asked for.
    pub requested: String,
    /// The URL the content came from, after redirects.
    pub url: String,
    pub status: u16,
    /// The `Content-Type` header as sent.
    pub content_type: Option<String>,
    /// The body, content-decoded (gzip), at most [`FetchOptions::max_bytes`].
    pub body: Vec<u8>,
    /// `ETag` and `Last-Modified` of this response.
    pub validators: Validators,
    /// Redirects followed.
    pub redirects: u32,
}

impl Page {
    /// The parsed content type (empty when the server sent none).
    pub fn media_type(&self) -> MediaType {
        MediaType::parse(self.content_type.as_deref().unwrap_or(""))
    }

    /// The page as a document: HTML (by its content type, or by its first bytes when the
    /// type says nothing) in [`RawDoc::html`], plain text in [`RawDoc::text`], decoded with
    /// the declared charset ([`decode_page`]). Other types are refused, with a problem about
    /// the page where it was found. The source is the URL asked for; [`RawDoc::url`] is where
    /// the page was found after redirects.
    pub fn to_raw_doc(&self) -> Result<RawDoc, Problem> {
        let media = self.media_type();
        let is_html = media.is_html() || (media.is_unspecific() && looks_like_html(&self.body));
        if !is_html && media.essence != "text/plain" {
            let reason = format!(
                "not an HTML page (Content-Type {})",
                self.content_type.as_deref().unwrap_or("missing")
            );
            return Err(Problem::new(&self.url, ProblemKind::Unsupported, reason));
        }
        let page = decode_page(&self.body, media.charset.as_deref());
        if page.text.trim().is_empty() {
            return Err(Problem::new(&self.url, ProblemKind::Empty, "empty page"));
        }
        let mut doc = RawDoc {
            source: self.requested.clone(),
            url: Some(self.url.clone()),
            encoding: page.encoding,
            warnings: page.warnings,
            ..RawDoc::default()
        };
        if is_html {
            doc.html = Some(page.text);
        } else {
            doc.text = Some(page.text);
        }
        Ok(doc)
    }
}

/// What a conditional request got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Page(Page),
    /// `304 Not Modified`: the copy from the last request is current. Carries the validators
    /// of the 304 response when it sent new ones.
    NotModified(Validators),
}

/// Why a URL could not be fetched. Every variant names the URL.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FetchError {
    #[error("{url}: not a valid URL ({reason})")]
    BadUrl { url: String, reason: String },
    #[error("{url}: only http and https URLs are fetched")]
    Scheme { url: String },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: u32 },
    #[error("{url}: HTTP {status} redirect without a usable Location header")]
    BadRedirect { url: String, status: u16 },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: response is over the {limit} bytes cap (--max-doc-size)")]
    TooLarge { url: String, limit: usize },
    #[error("{url}: timed out ({stage})")]
    Timeout { url: String, stage: String },
    #[error("{url}: {reason}")]
    Network { url: String, reason: String },
}

impl FetchError {
    /// The URL the error is about (the redirect target, for errors after a redirect).
    pub fn url(&self) -> &str {
        match self {
            FetchError::BadUrl { url, .. }
            | FetchError::Scheme { url }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Network { url, .. } => url,
        }
    }

    /// The kind of problem this error is for the input that was being fetched.
    pub fn problem_kind(&self) -> ProblemKind {
        match self {
            FetchError::TooLarge { .. } => ProblemKind::TooLarge,
            _ => ProblemKind::Fetch,
        }
    }

    /// Whether trying again later may work: timeouts, network failures, `429` and `5xx`.
    /// A watcher retries these on its next round and remembers the others as done.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Network { .. } => true,
            FetchError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// The polite HTTP client. Cheap to clone; clones share the host schedule.
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

struct Inner {
    agent: ureq::Agent,
    options: FetchOptions,
    schedule: Mutex<HostSchedule>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetcher")
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

/// Two handles are equal when they are the same client (clones of one another).
impl PartialEq for Fetcher {
    fn eq(&self, other: &Fetcher) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Fetcher {}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Fetcher {
        Fetcher::with_clock(options, Arc::new(SystemClock))
    }

    /// A fetcher whose politeness pauses are taken through `clock`.
    pub fn with_clock(options: FetchOptions, clock: Arc<dyn Clock>) -> Fetcher {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(options.user_agent.as_str())
            .timeout_resolve(Some(options.connect_timeout))
            .timeout_connect(Some(options.connect_timeout))
            .timeout_recv_response(Some(options.read_timeout))
            .timeout_recv_body(Some(options.read_timeout));
        if !options.use_env_proxy {
            config = config.proxy(None);
        }
        let agent: ureq::Agent = config.build().into();
        Fetcher {
            inner: Arc::new(Inner {
                agent,
                schedule: Mutex::new(HostSchedule::new(options.host_delay)),
                options,
                clock,
            }),
        }
    }

    pub fn options(&self) -> &FetchOptions {
        &self.inner.options
    }

    /// Fetches a URL, following redirects. Any status other than 2xx is an error.
    pub fn get(&self, url: &str) -> Result<Page, FetchError> {
        match self.get_conditional(url, &Validators::default())? {
            Fetched::Page(page) => Ok(page),
            // Only possible when a server answers 304 to a request without validators.
            Fetched::NotModified(_) => Err(FetchError::Status {
                url: url.to_string(),
                status: 304,
            }),
        }
    }

    /// Fetches a URL with the validators of the previous response; a `304` is
    /// [`Fetched::NotModified`].
    pub fn get_conditional(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        let mut current = parse_http_url(url)?;
        let mut redirects = 0;
        loop {
            let response = self.exchange(&current, validators)?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let location = header(&response, "location");
                let target = location
                    .as_deref()
                    .and_then(|l| current.join(l).ok())
                    .ok_or_else(|| FetchError::BadRedirect {
                        url: current.to_string(),
                        status,
                    })?;
                if redirects >= self.inner.options.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: url.to_string(),
                        limit: self.inner.options.max_redirects,
                    });
                }
                redirects += 1;
                current = check_scheme(target)?;
                continue;
            }
            let new_validators = Validators {
                etag: header(&response, "etag"),
                last_modified: header(&response, "last-modified"),
            };
            if status == 304 && !validators.is_empty() {
                return Ok(Fetched::NotModified(new_validators));
            }
            if !(200..300).contains(&status) {
                return Err(FetchError::Status {
                    url: current.to_string(),
                    status,
                });
            }
            let content_type = header(&response, "content-type");
            let body = self.read_body(&current, response)?;
            return Ok(Fetched::Page(Page {
                requested: url.to_string(),
                url: current.to_string(),
                status,
                content_type,
                body,
                validators: new_validators,
                redirects,
            }));
        }
    }

    /// One request to one URL, waiting for the host's turn first.
    fn exchange(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        let host = host_key(url);
        let wait = {
            let now = self.inner.clock.now();
            let mut schedule = self
                .inner
                .schedule
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            schedule.book(&host, now)
        };
        if !wait.is_zero() {
            self.inner.clock.sleep(wait);
        }
        let mut request = self.inner.agent.get(url.as_str()).header("Accept", ACCEPT);
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag.as_str());
        }
        if let Some(date) = &validators.last_modified {
            request = request.header("If-Modified-Since", date.as_str());
        }
        let result = request.call();
        // The pause is counted from the end of the exchange (headers received or failure).
        let now = self.inner.clock.now();
        self.inner
            .schedule
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .release(&host, now);
        result.map_err(|err| from_ureq(url.as_str(), err))
    }

    fn read_body(
        &self,
        url: &Url,
        response: ureq::http::Response<ureq::Body>,
    ) -> Result<Vec<u8>, FetchError> {
        let max = self.inner.options.max_bytes;
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit: max,
        };
        // A declared length over the cap is refused before reading anything (it is the
        // encoded length, so only a hint when the body is compressed).
        let encoded = header(&response, "content-encoding").is_some();
        if !encoded
            && response
                .body()
                .content_length()
                .is_some_and(|len| len > max as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        let reader = response.into_body().into_reader();
        reader
            .take(max as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|err| from_io(url.as_str(), err))?;
        if body.len() > max {
            return Err(too_large());
        }
        Ok(body)
    }
}

/// Parses a URL and refuses schemes other than http and https.
fn parse_http_url(url: &str) -> Result<Url, FetchError> {
    let parsed = Url::parse(url.trim()).map_err(|err| FetchError::BadUrl {
        url: url.to_string(),
        reason: err.to_string(),
    })?;
    check_scheme(parsed)
}

fn check_scheme(url: Url) -> Result<Url, FetchError> {
    if matches!(url.scheme(), "http" | "https") && url.host().is_some() {
        Ok(url)
    } else {
        Err(FetchError::Scheme {
            url: url.to_string(),
        })
    }
}

/// The politeness key of a URL: host and port.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn from_ureq(url: &str, err: ureq::Error) -> FetchError {
    match err {
        ureq::Error::Timeout(stage) => FetchError::Timeout {
            url: url.to_string(),
            stage: timeout_stage(stage),
        },
        ureq::Error::Io(io) => from_io(url, io),
        ureq::Error::BadUri(reason) => FetchError::BadUrl {
            url: url.to_string(),
            reason,
        },
        other => FetchError::Network {
            url: url.to_string(),
            reason: other.to_string(),
        },
    }
}

fn from_io(url: &str, err: std::io::Error) -> FetchError {
    if let Some(inner) = err.get_ref().and_then(|e| e.downcast_ref::<ureq::Error>()) {
        if let ureq::Error::Timeout(stage) = inner {
            return FetchError::Timeout {
                url: url.to_string(),
                stage: timeout_stage(*stage),
            };
        }
        return FetchError::Network {
            url: url.to_string(),
            reason: inner.to_string(),
        };
    }
    if matches!(
        err.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    ) {
        return FetchError::Timeout {
            url: url.to_string(),
            stage: "reading".to_string(),
        };
    }
    FetchError::Network {
        url: url.to_string(),
        reason: err.to_string(),
    }
}

fn timeout_stage(stage: ureq::Timeout) -> String {
    match stage {
        ureq::Timeout::Resolve => "resolving the host",
        ureq::Timeout::Connect => "connecting",
        ureq::Timeout::RecvResponse => "waiting for the response",
        ureq::Timeout::RecvBody => "reading the body",
        _ => "sending or receiving",
    }
    .to_string()
}

#[cfg(test)]
mod tests;
