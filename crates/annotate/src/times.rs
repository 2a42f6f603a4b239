//! Time expressions: finding them on the token stream and resolving them to day ranges.
//!
//! The matcher walks the tokens left to right. At each token it tries the patterns that can
//! start with that token's class (a month name, a weekday, a figure, "last", "the", ...),
//! keeps the longest match, reports it and jumps past it; tokens that start nothing cost one
//! enum comparison. Because the walk is left to right, an expression anchored on an earlier
//! mention ("three years later", "the following day") resolves against the last expression
//! already found that covers known days.

use chrono::{Datelike, NaiveDate};
use sitrep_model::{TimeAnchor, TimeKind, TimePrecision};

use crate::calendar::{
    Direction, Part, Span, add_days, day_span, decade_span, month_span, month_year, part_of,
    period_letter, period_span, period_value, quarter_of, quarter_span, season_code,
    season_occurrence, season_span, shift, weekday_date, weekend, year_span, ymd,
};
use crate::lexicon::{Lex, Period, Season, currency_symbol};
use crate::numbers::{Tokens, read_number};
use crate::scan::Kind;

/// Years a bare four-digit figure may name.
const BARE_YEARS: std::ops::RangeInclusive<u32> = 1800..=2100;
/// Years a figure may name where the context says it is a year ("January 1066").
const CONTEXT_YEARS: std::ops::RangeInclusive<u32> = 1000..=2999;

/// Words before a bare weekday or month that put the clause in the future.
const FUTURE_CUES: &[&str] = &[
    "will",
    "shall",
    "ll",
    "scheduled",
    "upcoming",
    "planned",
    "expected",
    "due",
    "set",
    "soon",
    "planning",
    "plans",
];

/// Time zones after a time of day ("9 a.m. EST").
const TIME_ZONES: &[&str] = &[
    "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "gmt", "utc", "bst", "cet",
];

/// How much farther a month ahead of publication counts than one behind, for a bare month
/// name ("in December").
const MONTH_AHEAD_WEIGHT: i32 = 2;

/// Words right before a bare month that make it a deadline ahead ("by May", "until
/// June"); before a weekday they as often look back ("until Thursday, they had not").
const DEADLINE_CUES: &[&str] = &["by", "until", "till"];

/// Words before a four-digit figure that make it an amount rather than a year.
const AMOUNT_CUES: &[&str] = &[
    "about",
    "around",
    "roughly",
    "some",
    "nearly",
    "almost",
    "approximately",
    "than",
    "least",
    "estimated",
    "over",
    "under",
    "just",
];

/// A time expression found on the tokens.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    /// First token and the token after the last.
    pub start: usize,
    pub end: usize,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: TimeKind,
    pub anchor: TimeAnchor,
    pub value: Option<String>,
    /// The calendar unit the value names (see [`TimePrecision`]); a part of a period
    /// ("late 2012") keeps the period's.
    pub precision: Option<TimePrecision>,
    /// The calendar unit the range is a whole one of, for "late …" and "… later".
    granularity: Option<Period>,
    /// A window around publication ("recent weeks"), which takes a leading "in".
    window: bool,
    /// Not a time the story moves to, so no mention to count from: a vague reference
    /// ("now"), a comparison ("a year ago" after a quarter).
    aside: bool,
}

impl Found {
    fn new(start: usize, end: usize, kind: TimeKind, anchor: TimeAnchor) -> Found {
        Found {
            start,
            end,
            from: None,
            to: None,
            kind,
            anchor,
            value: None,
            precision: None,
            granularity: None,
            window: false,
            aside: false,
        }
    }

    fn span(mut self, span: Option<Span>) -> Found {
        if let Some((from, to)) = span {
            self.from = Some(from);
            self.to = Some(to);
        }
        self
    }

    fn value(mut self, value: Option<String>) -> Found {
        self.value = value;
        self
    }

    /// A whole calendar `period`, which is also the precision.
    fn granularity(mut self, period: Period) -> Found {
        self.granularity = Some(period);
        self.precision = Some(precision_of(period));
        self
    }

    fn precision(mut self, precision: TimePrecision) -> Found {
        self.precision = Some(precision);
        self
    }

    fn starting_at(mut self, start: usize) -> Found {
        self.start = start;
        self
    }

    fn window(mut self) -> Found {
        self.window = true;
        self
    }

    fn aside(mut self) -> Found {
        self.aside = true;
        self
    }

    fn resolved(&self) -> Option<Span> {
        Some((self.from?, self.to?))
    }
}

/// The last expression with known days: what "later" and "the following year" count from.
#[derive(Debug, Clone, Copy)]
struct Mention {
    span: Span,
    granularity: Option<Period>,
}

struct Matcher<'a> {
    t: Tokens<'a>,
    published: Option<NaiveDate>,
    mention: Option<Mention>,
}

/// Finds and resolves the time expressions in the tokens, in text order.
pub(crate) fn find(t: Tokens, published: Option<NaiveDate>) -> Vec<Found> {
    let mut m = Matcher {
        t,
        published,
        mention: None,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match m.at(i) {
            Some(found) => {
                // A window around publication ("in recent weeks") is too loose to count from.
                if let (Some(span), TimeKind::Date | TimeKind::Range, false) =
                    (found.resolved(), found.kind, found.window || found.aside)
                {
                    m.mention = Some(Mention {
                        span,
                        granularity: found.granularity,
                    });
                }
                i = found.end.max(i + 1);
                out.push(found);
            }
            None => i += 1,
        }
    }
    out
}

/// The precision of a value naming a whole `period`.
pub(crate) fn precision_of(period: Period) -> TimePrecision {
    match period {
        Period::Day => TimePrecision::Day,
        Period::Week => TimePrecision::Week,
        Period::Month => TimePrecision::Month,
        Period::Quarter => TimePrecision::Quarter,
        Period::Year => TimePrecision::Year,
        Period::Decade => TimePrecision::Decade,
    }
}

fn rank(period: Period) -> u8 {
    match period {
        Period::Day => 0,
        Period::Week => 1,
        Period::Month => 2,
        Period::Quarter => 3,
        Period::Year => 4,
        Period::Decade => 5,
    }
}

fn longest(candidates: impl IntoIterator<Item = Option<Found>>) -> Option<Found> {
    let mut best: Option<Found> = None;
    for c in candidates.into_iter().flatten() {
        if best.as_ref().is_none_or(|b| c.end > b.end) {
            best = Some(c);
        }
    }
    best
}

fn date_found(start: usize, end: usize, date: Option<NaiveDate>, anchor: TimeAnchor) -> Found {
    Found::new(start, end, TimeKind::Date, anchor)
        .span(date.map(day_span))
        .value(date.map(|d| d.to_string()))
        .granularity(Period::Day)
}

/// When a holiday falls.
#[derive(Debug, Clone, Copy)]
enum Holiday {
    /// Month and day.
    Fixed(u32, u32),
    /// Month, weekday (Monday 0) and which one (1-5; 0 the last).
    Nth(u32, u32, u32),
    /// The Tuesday after the first Monday of November.
    ElectionDay,
}

impl Holiday {
    fn on(self, year: i32) -> Option<NaiveDate> {
        let weekday_from = |d: NaiveDate| i64::from(d.weekday().num_days_from_monday());
        match self {
            Holiday::Fixed(m, d) => ymd(year, m, d),
            Holiday::Nth(m, weekday, 0) => {
                let (_, last) = month_span(year, m)?;
                add_days(
                    last,
                    -(weekday_from(last) - i64::from(weekday)).rem_euclid(7),
                )
            }
            Holiday::Nth(m, weekday, nth) => {
                let first = ymd(year, m, 1)?;
                let offset = (i64::from(weekday) - weekday_from(first)).rem_euclid(7);
                add_days(first, offset + 7 * (i64::from(nth) - 1))
            }
            Holiday::ElectionDay => {
                let first = ymd(year, 11, 1)?;
                add_days(first, (7 - weekday_from(first)).rem_euclid(7) + 1)
            }
        }
    }
}

/// A vague reference to the present, past or future ("now", "recently", "the future"):
/// a TimeML value and no days. It is no mention to count from.
fn vague(start: usize, end: usize, value: &str) -> Found {
    Found::new(start, end, TimeKind::Date, TimeAnchor::Published)
        .value(Some(value.to_string()))
        .aside()
}

/// "first".."fourth": the quarter number.
fn quarter_number(word: &str) -> Option<u32> {
    ["first", "second", "third", "fourth"]
        .iter()
        .position(|w| w.eq_ignore_ascii_case(word))
        .map(|q| q as u32 + 1)
}

/// A weekend: its days and TimeML value ("2022-W01-WE").
fn weekend_found(start: usize, end: usize, span: Option<Span>) -> Found {
    let value = span.map(|(saturday, _)| {
        let w = saturday.iso_week();
        format!("{:04}-W{:02}-WE", w.year(), w.week())
    });
    Found::new(start, end, TimeKind::Range, TimeAnchor::Published)
        .span(span)
        .value(value)
        .precision(TimePrecision::Week)
}

/// A TimeML duration: "P3M", "P10Y" for a decade, "PXM" for an unknown count.
fn duration_value(n: Option<i64>, period: Period) -> String {
    let (n, letter) = match (n, period) {
        (Some(n), Period::Decade) => (Some(n * 10), "Y"),
        (n, Period::Quarter) => (n, "Q"),
        (n, other) => (n, period_letter(other)),
    };
    match n {
        Some(n) => format!("P{n}{letter}"),
        None => format!("PX{letter}"),
    }
}

/// `n` and a half `period`s as a TimeML duration: "P2Y6M", "P3M15D", "P1DT12H".
fn half_more(n: i64, period: Period) -> String {
    match period {
        Period::Day => format!("P{n}DT12H"),
        Period::Week => format!("P{}DT12H", 7 * n + 3),
        Period::Month => format!("P{n}M15D"),
        Period::Quarter => format!("P{}M15D", 3 * n + 1),
        Period::Year => format!("P{n}Y6M"),
        Period::Decade => format!("P{}Y", 10 * n + 5),
    }
}

fn period_found(
    start: usize,
    end: usize,
    at: Option<NaiveDate>,
    period: Period,
    anchor: TimeAnchor,
) -> Found {
    let kind = if period == Period::Day {
        TimeKind::Date
    } else {
        TimeKind::Range
    };
    Found::new(start, end, kind, anchor)
        .span(at.and_then(|d| period_span(d, period)))
        .value(at.map(|d| period_value(d, period)))
        .granularity(period)
}

impl Matcher<'_> {
    fn at(&self, i: usize) -> Option<Found> {
        let found = match self.t.lex(i) {
            Lex::Since | Lex::By | Lex::Until | Lex::Before | Lex::After => self.bounded(i),
            Lex::In => self
                .core(i + 1)
                .filter(|f| f.window)
                .map(|f| f.starting_at(i)),
            _ => self.core(i),
        }?;
        Some(self.quarter_of_year(found))
    }

    /// "'s" at `k`, glued to the word before.
    fn possessive(&self, k: usize) -> bool {
        let t = &self.t;
        matches!(t.punct(k), Some('\'' | '’'))
            && t.glued(k)
            && t.glued(k + 1)
            && t.word_is(k + 1, "s")
    }

    /// A year with a quarter of it after "'s": "this year's third quarter", "last year's
    /// quarter" (the quarter last mentioned, in that year). Anything else is kept as it is.
    fn quarter_of_year(&self, f: Found) -> Found {
        let t = &self.t;
        let k = f.end;
        let possessive = self.possessive(k);
        let year = f.from.filter(|_| f.granularity == Some(Period::Year));
        let (true, Some(year)) = (possessive, year) else {
            return f;
        };
        let j = k + 2;
        let named = (t.is_word(j)).then(|| quarter_number(t.str(j))).flatten();
        let (q, end) = match named {
            Some(q) if t.lex(j + 1) == Lex::Period(Period::Quarter) => (q, j + 2),
            Some(q)
                if t.is_dash(j + 1)
                    && t.glued(j + 1)
                    && t.lex(j + 2) == Lex::Period(Period::Quarter) =>
            {
                (q, j + 3)
            }
            _ => match self.mention {
                Some(m)
                    if m.granularity == Some(Period::Quarter)
                        && t.lex(j) == Lex::Period(Period::Quarter) =>
                {
                    (quarter_of(m.span.0), j + 1)
                }
                _ => return f,
            },
        };
        let y = year.year();
        Found::new(f.start, end, TimeKind::Range, f.anchor)
            .span(quarter_span(y, q))
            .value(Some(format!("{y:04}-Q{q}")))
            .granularity(Period::Quarter)
    }

    fn core(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        if t.is_num(i) {
            return longest([
                self.numeric_date(i),
                self.day_first(i),
                self.year(i, false),
                self.counted(i),
                self.quarter(i, i),
                self.clock(i),
                self.century(i),
            ]);
        }
        match t.lex(i) {
            Lex::Month { .. } => self.month_first(i, false),
            Lex::Weekday(d) => self.weekday(i, d),
            Lex::Weekdays(d) if t.cap(i) => Some(
                Found::new(i, i + 1, TimeKind::Set, TimeAnchor::Absolute)
                    .value(Some(format!("XXXX-WXX-{}", d + 1))),
            ),
            Lex::Today | Lex::Yesterday | Lex::Tomorrow | Lex::Tonight => self.deictic(i),
            Lex::Now | Lex::Present => Some(vague(i, i + 1, "PRESENT_REF")),
            Lex::Recently => Some(vague(i, i + 1, "PAST_REF")),
            Lex::Period(Period::Year) => self.year_earlier(i, i),
            Lex::Fiscal => self.fiscal(i),
            Lex::Last | Lex::Next | Lex::This | Lex::Past => {
                self.shifted(i).or_else(|| self.holiday(i + 1, i))
            }
            Lex::Coming => self.window(i, i + 1, 1),
            Lex::Recent => self
                .window(i, i + 1, -1)
                .or_else(|| Some(vague(i, i + 1, "PAST_REF"))),
            Lex::The => self.the(i),
            Lex::That => self.that(i),
            Lex::Early | Lex::Mid | Lex::Late | Lex::End | Lex::Beginning => self.part(i),
            Lex::Later | Lex::Earlier => self.later_this(i),
            Lex::Each | Lex::EveryWord => self.every(i),
            Lex::Every(period) if !t.cap(i) => Some(
                Found::new(i, i + 1, TimeKind::Set, TimeAnchor::Absolute)
                    .value(Some(format!("P1{}", period_letter(period)))),
            ),
            Lex::Season(season) => self.season_of_year(i, season),
            // "for years", "within weeks": a length of an unknown count.
            Lex::Periods(period)
                if period != Period::Quarter
                    && i > 0
                    && (t.word_is(i - 1, "for") || t.word_is(i - 1, "within")) =>
            {
                Some(
                    Found::new(i, i + 1, TimeKind::Duration, TimeAnchor::Absolute)
                        .value(Some(duration_value(None, period))),
                )
            }
            Lex::Number(_) => self.spoken(i).or_else(|| self.counted(i)),
            Lex::Article => self.counted(i).or_else(|| self.some_periods(i)),
            Lex::Several | Lex::Few => self.some_periods(i),
            _ if t.is_word(i) => self
                .quarter(i, i)
                .or_else(|| self.clock(i))
                .or_else(|| self.holiday(i, i)),
            _ => None,
        }
    }

    /// "since 2012", "by 2023", "until Friday", "before 2012", "after the war"? (the last
    /// only when a time expression follows).
    fn bounded(&self, i: usize) -> Option<Found> {
        let inner = self.core(i + 1)?;
        if !matches!(inner.kind, TimeKind::Date | TimeKind::Range) {
            return None;
        }
        let mut f = inner.clone().starting_at(i);
        match self.t.lex(i) {
            Lex::Since => {
                f.kind = TimeKind::Range;
                // Up to publication; a start after it (a wrong or early date in the metadata,
                // "since 2012" in a story dated 2010) leaves the end open, never before the start.
                f.to = self
                    .published
                    .filter(|&p| inner.from.is_none_or(|from| from <= p));
                f.anchor = TimeAnchor::Published;
                f.granularity = None;
            }
            Lex::Before => {
                f.kind = TimeKind::Range;
                f.to = inner.from.and_then(|d| add_days(d, -1));
                f.from = None;
                f.granularity = None;
            }
            Lex::After => {
                f.kind = TimeKind::Range;
                f.from = inner.to.and_then(|d| add_days(d, 1));
                f.to = None;
                f.granularity = None;
            }
            _ => {}
        }
        Some(f)
    }

    /// Whether the clause before token `i` is in the future tense.
    fn future(&self, i: usize) -> bool {
        let t = &self.t;
        let mut k = i;
        for _ in 0..8 {
            if k == 0 {
                break;
            }
            k -= 1;
            if !t.same_sentence(k, i) {
                break;
            }
            match t.toks[k].kind {
                Kind::Punct(',' | ';' | ':' | '"' | '“' | '”' | '—' | '–' | '(' | ')') => {
                    break;
                }
                Kind::Word => {
                    let w = t.str(k);
                    // Not after a past perfect ("had been due to expire Friday") or as an
                    // adjective ("lower-than-expected earnings ... Wednesday").
                    let not_ahead = k > 0
                        && (t.word_is(k - 1, "had")
                            || t.word_is(k - 1, "been")
                            || t.word_is(k - 1, "than")
                            || (t.is_dash(k - 1) && t.glued(k)));
                    if FUTURE_CUES.iter().any(|c| c.eq_ignore_ascii_case(w)) && !not_ahead {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    fn bare_direction(&self, i: usize) -> Direction {
        if self.future(i) {
            Direction::Future
        } else {
            Direction::Past
        }
    }

    /// A four-digit year figure at `i` in the range `years`.
    fn year_figure(&self, i: usize, years: &std::ops::RangeInclusive<u32>) -> Option<i32> {
        let t = &self.t;
        if t.str(i).len() != 4 {
            return None;
        }
        let y = t.digits(i, 4)?;
        if !years.contains(&y) || (t.glued(i + 1) && (t.is_word(i + 1) || t.is_num(i + 1))) {
            return None;
        }
        Some(y as i32)
    }

    /// "2022-01-07", "2022/01/07", "7.1.2022", "7/1/2022" (day and month told apart only
    /// when one of them is over 12; otherwise the date is reported unresolved).
    fn numeric_date(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        if i > 0 && t.glued(i) && (t.is_num(i - 1) || t.is_word(i - 1) || t.is_punct(i - 1, '/')) {
            return None;
        }
        let s = t.str(i);
        if s.bytes().filter(|&b| b == b'.').count() == 2 && !s.contains(',') {
            let mut parts = s.split('.');
            let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
            if d.len() > 2 || m.len() > 2 || y.len() != 4 {
                return None;
            }
            let date = ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
            return Some(date_found(i, i + 1, Some(date), TimeAnchor::Absolute));
        }
        let sep = t.punct(i + 1).filter(|c| matches!(c, '-' | '/'))?;
        let glued_run = (1..5).all(|k| t.glued(i + k));
        let run_goes_on =
            t.glued(i + 5) && (t.is_num(i + 5) || matches!(t.punct(i + 5), Some('-' | '/' | ':')));
        if !glued_run || !t.is_punct(i + 3, sep) || run_goes_on {
            return None;
        }
        let (a, b, c) = (t.str(i), t.str(i + 2), t.str(i + 4));
        if a.len() == 4 {
            let y = t.digits(i, 4)?;
            let m = t.digits(i + 2, 2)?;
            let d = t.digits(i + 4, 2)?;
            let date = ymd(y as i32, m, d)?;
            return Some(date_found(i, i + 5, Some(date), TimeAnchor::Absolute));
        }
        if sep != '/' || a.len() > 2 || b.len() > 2 || !(c.len() == 2 || c.len() == 4) {
            return None;
        }
        let (x, z) = (t.digits(i, 2)?, t.digits(i + 2, 2)?);
        let y = t.digits(i + 4, 4)? as i32;
        let y = match c.len() {
            2 if y < 50 => 2000 + y,
            2 => 1900 + y,
            _ => y,
        };
        if x == 0 || z == 0 || (x > 12 && z > 12) || x > 31 || z > 31 {
            return None;
        }
        let date = if x > 12 {
            ymd(y, z, x)
        } else if z > 12 || x == z {
            ymd(y, x, z)
        } else {
            // 7/1/2022: 7 January or July 1? Not guessed.
            return Some(Found::new(i, i + 5, TimeKind::Date, TimeAnchor::Absolute));
        };
        Some(date_found(i, i + 5, Some(date?), TimeAnchor::Absolute))
    }

    /// Token `k` does not continue the figure before it ("7:30", "7-9", "7pm").
    fn ends_cleanly(&self, k: usize) -> bool {
        let t = &self.t;
        !t.glued(k)
            || matches!(
                t.punct(k),
                Some(',' | '.' | ';' | ')' | '!' | '?' | '”' | '"' | '’' | '\'')
            )
    }

    /// A day of `month` without a year at token `i`: the occurrence nearest to publication,
    /// a day ahead counting twice as far as a day back (reports look back) unless there is
    /// a future cue.
    fn month_day_nearest(&self, i: usize, month: u32, day: u32) -> Option<NaiveDate> {
        let p = self.published?;
        let ahead = if self.future(i) { 1 } else { 2 };
        (p.year() - 1..=p.year() + 1)
            .filter_map(|y| ymd(y, month, day))
            .min_by_key(|d| {
                let days = (*d - p).num_days();
                (if days > 0 { ahead * days } else { -days }, *d)
            })
    }

    /// A year after a date, optionally after a comma: "January 7, 2022", "7 Jan 2022".
    fn year_after(&self, k: usize) -> Option<(i32, usize)> {
        let t = &self.t;
        let at = if t.is_punct(k, ',') { k + 1 } else { k };
        let y = self.year_figure(at, &CONTEXT_YEARS)?;
        Some((y, at + 1))
    }

    /// A day (or days `day..=last`) of `month`, with the year that follows at `after` or,
    /// without one, the occurrence nearest to publication.
    fn day_month(
        &self,
        start: usize,
        (day, last): (u32, u32),
        month: u32,
        after: usize,
    ) -> Option<Found> {
        if !(1..=31).contains(&day) {
            return None;
        }
        let (year, end, anchor) = match self.year_after(after) {
            Some((y, end)) => (Some(y), end, TimeAnchor::Absolute),
            None => {
                // A day that does not exist in any year ("February 30") is no date.
                ymd(2000, month, last)?;
                let year = self.month_day_nearest(start, month, day).map(|d| d.year());
                (year, after, TimeAnchor::Published)
            }
        };
        if let Some(y) = year {
            ymd(y, month, last)?;
        }
        if last == day {
            let date = year.and_then(|y| ymd(y, month, day));
            return Some(date_found(start, end, date, anchor));
        }
        let span = year.and_then(|y| Some((ymd(y, month, day)?, ymd(y, month, last)?)));
        Some(
            Found::new(start, end, TimeKind::Range, anchor)
                .span(span)
                .precision(TimePrecision::Day),
        )
    }

    /// The second day of "7-8 January", "2 and 3 February", "7 to 9 Jan" after the first
    /// day's last token `k - 1`: the day and the token after it.
    fn last_day(&self, k: usize, first: u32) -> Option<(u32, usize)> {
        let t = &self.t;
        let connected = (t.is_dash(k) && t.glued(k) && t.glued(k + 1))
            || matches!(t.lex(k), Lex::And | Lex::To);
        if !connected {
            return None;
        }
        let last = t.digits(k + 1, 2).filter(|&d| d > first && d <= 31)?;
        let after = if t.ordinal_suffix(k + 2) {
            k + 3
        } else {
            k + 2
        };
        Some((last, after))
    }

    /// "January 7, 2022", "Jan. 7", "January 2022", "January" (with context).
    /// `context` says the caller has already seen a word that makes a month name a month.
    fn month_first(&self, i: usize, context: bool) -> Option<Found> {
        let t = &self.t;
        let Lex::Month { month, abbreviated } = t.lex(i) else {
            return None;
        };
        let month = u32::from(month);
        if !t.cap(i) {
            return None;
        }
        let mut j = i + 1;
        let dotted = abbreviated && t.is_punct(j, '.') && t.glued(j);
        if dotted {
            j += 1;
        }
        if let Some(day) = t.digits(j, 2)
            && (t.ordinal_suffix(j + 1) || self.ends_cleanly(j + 1))
        {
            let after = if t.ordinal_suffix(j + 1) {
                j + 2
            } else {
                j + 1
            };
            return self.day_month(i, (day, day), month, after);
        }
        if let Some(day) = t.digits(j, 2)
            && let Some((last, after)) = self.last_day(j + 1, day)
        {
            return self.day_month(i, (day, last), month, after);
        }
        let k = if t.lex(j) == Lex::Of { j + 1 } else { j };
        if let Some((y, end)) = self.year_at(k) {
            return Some(
                Found::new(i, end, TimeKind::Range, TimeAnchor::Absolute)
                    .span(month_span(y, month))
                    .value(Some(format!("{y:04}-{month:02}")))
                    .granularity(Period::Month),
            );
        }
        // "June last year", "February this year", "March next year".
        if let (Lex::This | Lex::Last | Lex::Next, Lex::Period(Period::Year)) =
            (t.lex(j), t.lex(j + 1))
        {
            let offset = match t.lex(j) {
                Lex::Last => -1,
                Lex::Next => 1,
                _ => 0,
            };
            let year = self.published.map(|p| p.year() + offset);
            return Some(
                Found::new(i, j + 2, TimeKind::Range, TimeAnchor::Published)
                    .span(year.and_then(|y| month_span(y, month)))
                    .value(year.map(|y| format!("{y:04}-{month:02}")))
                    .granularity(Period::Month),
            );
        }
        if abbreviated {
            return None;
        }
        let prev = if i > 0 { t.lex(i - 1) } else { Lex::None };
        let cue = context
            || matches!(
                prev,
                Lex::In
                    | Lex::Since
                    | Lex::By
                    | Lex::Until
                    | Lex::Before
                    | Lex::After
                    | Lex::During
                    | Lex::From
                    | Lex::Of
                    | Lex::Between
                    | Lex::And
                    | Lex::To
                    | Lex::Or
                    | Lex::On
            );
        // "May" and "March" are also a verb; other months need only not to read as a
        // first name ("June Smith").
        let name_like = t.is_word(j) && t.cap(j) && t.lex(j) == Lex::None;
        if !cue && (matches!(month, 3 | 5) || name_like) {
            return None;
        }
        let deadline = i > 0 && DEADLINE_CUES.iter().any(|c| t.word_is(i - 1, c));
        let dir = if deadline {
            Direction::Future
        } else {
            self.bare_direction(i)
        };
        let dir = match (dir, self.published) {
            // Without a cue, the nearer occurrence, a month ahead counting double.
            (Direction::Past, Some(p)) => {
                let now = p.month() as i32;
                let back = (now - month as i32).rem_euclid(12);
                let ahead = (month as i32 - now).rem_euclid(12);
                if ahead > 0 && MONTH_AHEAD_WEIGHT * ahead < back {
                    Direction::Future
                } else {
                    Direction::Past
                }
            }
            (dir, _) => dir,
        };
        Some(self.month_in(i, j, month, dir))
    }

    fn month_in(&self, start: usize, end: usize, month: u32, dir: Direction) -> Found {
        let at = self
            .published
            .and_then(|p| ymd(month_year(p, month, dir), month, 1));
        period_found(start, end, at, Period::Month, TimeAnchor::Published)
    }

    /// "7 January 2022", "7th of Jan", "7 January".
    fn day_first(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let day = t.digits(i, 2)?;
        if i > 0 && t.glued(i) && !t.is_punct(i - 1, '(') {
            return None;
        }
        let mut j = i + 1;
        if t.ordinal_suffix(j) {
            j += 1;
        }
        let mut last = day;
        if let Some((d, after)) = self.last_day(j, day) {
            last = d;
            j = after;
        }
        if t.lex(j) == Lex::Of {
            j += 1;
        }
        let Lex::Month { month, abbreviated } = t.lex(j) else {
            return None;
        };
        if !t.cap(j) {
            return None;
        }
        let mut after = j + 1;
        if abbreviated && t.is_punct(after, '.') && t.glued(after) {
            after += 1;
        }
        self.day_month(i, (day, last), u32::from(month), after)
    }

    /// Whether the four-digit figure at `i` reads as a year here (see the crate docs).
    fn year_context(&self, i: usize) -> bool {
        let t = &self.t;
        if i > 0 && t.glued(i) {
            match t.toks[i - 1].kind {
                Kind::Word | Kind::Num => return false,
                Kind::Punct(c) if currency_symbol(c).is_some() => return false,
                Kind::Punct('#' | '+' | '/' | '-' | '.' | ':' | '–' | '№') => return false,
                _ => {}
            }
        }
        if t.glued(i + 1) && matches!(t.punct(i + 1), Some('%' | '/' | ':')) {
            return false;
        }
        let next = t.lex(i + 1);
        if matches!(
            next,
            Lex::Scale(_) | Lex::ShortScale(_) | Lex::Percent | Lex::Currency(_)
        ) || (t.lex(i + 1) == Lex::Per && t.lex(i + 2) == Lex::Cent)
        {
            return false;
        }
        if i > 0 {
            let prev = t.lex(i - 1);
            if t.is_word(i - 1) {
                let w = t.str(i - 1);
                if AMOUNT_CUES.iter().any(|c| c.eq_ignore_ascii_case(w))
                    || prev == Lex::Label
                    || (prev == Lex::To && t.word_is(i - 2, "up"))
                {
                    return false;
                }
            }
            if matches!(
                prev,
                Lex::In
                    | Lex::Since
                    | Lex::By
                    | Lex::Until
                    | Lex::Before
                    | Lex::After
                    | Lex::From
                    | Lex::Between
                    | Lex::Of
                    | Lex::During
                    | Lex::Early
                    | Lex::Mid
                    | Lex::Late
                    | Lex::The
                    | Lex::And
                    | Lex::To
                    | Lex::Or
                    | Lex::Season(_)
                    | Lex::Period(Period::Year)
            ) || t.word_is(i - 1, "for")
            {
                return true;
            }
            // A capitalised word right before a figure names something ("France 24",
            // "Resolution 2100"), unless it opens the sentence.
            if t.is_word(i - 1)
                && t.cap(i - 1)
                && prev == Lex::None
                && t.same_sentence(i - 1, i)
                && i >= 2
                && t.same_sentence(i - 2, i - 1)
            {
                return false;
            }
        }
        // Without a cue, a figure followed by a plural noun is a count ("1900 troops").
        if t.is_word(i + 1) && !t.cap(i + 1) && next == Lex::None {
            let w = t.str(i + 1);
            if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                return false;
            }
        }
        true
    }

    /// "2012", "the 1990s", "2012-2014". `context` skips the year-cue
    /// test (the caller saw "mid-", "late").
    fn year(&self, i: usize, context: bool) -> Option<Found> {
        let t = &self.t;
        if t.str(i).len() != 4 {
            return None;
        }
        let y = t.digits(i, 4)?;
        // Decades: "1990s", "1990’s".
        if y % 10 == 0 && CONTEXT_YEARS.contains(&y) {
            let s_at = if matches!(t.punct(i + 1), Some('\'' | '’')) && t.glued(i + 1) {
                i + 2
            } else {
                i + 1
            };
            if t.glued(s_at) && t.str(s_at) == "s" && !(t.glued(s_at + 1) && t.is_word(s_at + 1)) {
                let y = y as i32;
                return Some(
                    Found::new(i, s_at + 1, TimeKind::Range, TimeAnchor::Absolute)
                        .span(decade_span(y))
                        .value(Some(format!("{:03}X", y / 10)))
                        .granularity(Period::Decade),
                );
            }
        }
        let y = self.year_figure(i, &BARE_YEARS)?;
        if !context && !self.year_context(i) {
            return None;
        }
        // Ranges of years.
        let second = if t.is_dash(i + 1) && t.glued(i + 1) && t.glued(i + 2) {
            let s = t.str(i + 2);
            match (s.len(), t.digits(i + 2, 4)) {
                (4, Some(y2)) if y2 as i32 > y && BARE_YEARS.contains(&y2) => {
                    Some((y2 as i32, i + 3))
                }
                (2, Some(yy)) => {
                    let y2 = y - y % 100 + yy as i32;
                    (y2 > y).then_some((y2, i + 3))
                }
                // "2012-5000": not a year range, and not a year.
                _ => return None,
            }
        } else {
            // "from 2012 to 2014", "between 2012 and 2014": each year is its own
            // expression, as TimeML has them ("from", "to" are signals).
            None
        };
        if let Some((y2, end)) = second {
            return Some(
                Found::new(i, end, TimeKind::Range, TimeAnchor::Absolute)
                    .span(year_span(y).zip(year_span(y2)).map(|(a, b)| (a.0, b.1)))
                    .value(Some(format!("{y:04}/{y2:04}")))
                    .precision(TimePrecision::Year),
            );
        }
        Some(
            Found::new(i, i + 1, TimeKind::Range, TimeAnchor::Absolute)
                .span(year_span(y))
                .value(Some(format!("{y:04}")))
                .granularity(Period::Year),
        )
    }

    /// A small count at `i`: figures up to 999, number words, "a"/"an". Returns the value,
    /// the token after it and whether it was an article.
    fn count(&self, i: usize) -> Option<(u32, usize, bool)> {
        let t = &self.t;
        if t.is_num(i) {
            if i > 0 && t.glued(i) && (t.is_word(i - 1) || t.is_dash(i - 1)) {
                return None;
            }
            return Some((t.digits(i, 3)?, i + 1, false));
        }
        if t.lex(i) == Lex::Article {
            return Some((1, i + 1, true));
        }
        let n = read_number(t, i, false)?;
        if n.value.fract() != 0.0 || n.value > 1000.0 {
            return None;
        }
        Some((n.value as u32, n.end, false))
    }

    /// "three days ago", "three years later", "two weeks from now", "three days".
    fn counted(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let (n, j, article) = self.count(i)?;
        // "2 1/2 years": a half more.
        let half = !article
            && t.is_num(j)
            && t.str(j) == "1"
            && t.is_punct(j + 1, '/')
            && t.glued(j + 1)
            && t.glued(j + 2)
            && t.str(j + 2) == "2";
        let j = if half { j + 3 } else { j };
        // "two more weeks": as many.
        if !article
            && n > 1
            && t.word_is(j, "more")
            && let Lex::Periods(p) = t.lex(j + 1)
        {
            return Some(
                Found::new(i, j + 2, TimeKind::Duration, TimeAnchor::Absolute)
                    .value(Some(duration_value(Some(i64::from(n)), p))),
            );
        }
        // "a two-year contract", "the 16-hour flight", "a 30-day notice": a length as an
        // adjective, a duration (an age, "10-year-old", is not one).
        if !article && t.is_dash(j) && t.glued(j) && t.glued(j + 1) {
            let value = match t.lex(j + 1) {
                Lex::Period(p) if p != Period::Quarter => {
                    Some(duration_value(Some(i64::from(n)), p))
                }
                _ => self
                    .clock_unit(j + 1)
                    .filter(|&(_, plural)| !plural)
                    .map(|(letter, _)| format!("PT{n}{letter}")),
            };
            let adjective_goes_on = t.is_dash(j + 2) && t.glued(j + 2);
            return value.filter(|_| !adjective_goes_on).map(|v| {
                Found::new(i, j + 2, TimeKind::Duration, TimeAnchor::Absolute).value(Some(v))
            });
        }
        if let Some((letter, plural)) = self.clock_unit(j) {
            let f = self.clock_length(i, j, n, article, (letter, plural));
            return match (half, letter) {
                (false, _) => f,
                (true, 'H') => f.map(|f| f.value(Some(format!("PT{n}H30M")))),
                (true, 'M') => f.map(|f| f.value(Some(format!("PT{n}M30S")))),
                _ => None,
            };
        }
        if !article
            && matches!(t.lex(j), Lex::To | Lex::Or)
            && let Some((m, k, false)) = self.count(j + 1)
            && m > n
            && let Lex::Periods(period) = t.lex(k)
        {
            return Some(self.counted_range(i, k, i64::from(n), i64::from(m), period));
        }
        // "a five year low", "a two day rally": a length as an adjective, unhyphenated.
        if let Lex::Period(p) = t.lex(j)
            && n > 1
            && !article
            && p != Period::Quarter
            && t.is_word(j + 1)
            && t.lex(j + 1) == Lex::None
        {
            return Some(
                Found::new(i, j + 1, TimeKind::Duration, TimeAnchor::Absolute)
                    .value(Some(duration_value(Some(i64::from(n)), p))),
            );
        }
        let period = match t.lex(j) {
            Lex::Period(p) if n == 1 => p,
            Lex::Periods(p) if !article && (n != 1 || half) => p,
            _ => return None,
        };
        // "decade-long", "year-old": an adjective, not a time.
        if t.is_dash(j + 1) && t.glued(j + 1) {
            return None;
        }
        let n = i64::from(n);
        let k = j + 1;
        let ends_clause = !t.is_word(k + 1);
        match t.lex(k) {
            Lex::Ago => Some(self.ago(i, k + 1, n, period)),
            Lex::Later | Lex::Afterwards => Some(self.moved_mention(i, k + 1, n, period)),
            Lex::Earlier => {
                let f = self.moved_mention(i, k + 1, -n, period);
                // "up from $4 million a year earlier" after a quarter: a comparison, which
                // later expressions do not count from.
                Some(if period == Period::Year && self.mention_is_quarter() {
                    f.aside()
                } else {
                    f
                })
            }
            Lex::After if ends_clause => Some(self.moved_mention(i, k + 1, n, period)),
            Lex::Before if ends_clause => Some(self.moved_mention(i, k + 1, -n, period)),
            Lex::From if t.lex(k + 1) == Lex::Now => {
                let p = self.published;
                let date = p.and_then(|p| shift(p, n, period));
                Some(date_found(i, k + 2, date, TimeAnchor::Published))
            }
            // "a quarter of the vote", "three quarters of them": shares.
            _ if period == Period::Quarter && (article || t.lex(k) == Lex::Of) => None,
            // "a day" is mostly a rate ("twice a day").
            _ if article && period == Period::Day => None,
            // "$100 a year", "twice a week": a rate, a set.
            _ if article && self.after_amount(i) => Some(
                Found::new(i, j + 1, TimeKind::Set, TimeAnchor::Absolute)
                    .value(Some(duration_value(Some(1), period))),
            ),
            _ if half => Some(
                Found::new(i, j + 1, TimeKind::Duration, TimeAnchor::Absolute)
                    .value(Some(half_more(n, period))),
            ),
            _ => Some(
                Found::new(i, j + 1, TimeKind::Duration, TimeAnchor::Absolute)
                    .value(Some(duration_value(Some(n), period))),
            ),
        }
    }

    /// "hour(s)", "minute(s)", "second(s)" at `k`: the TimeML letter and whether plural.
    fn clock_unit(&self, k: usize) -> Option<(char, bool)> {
        let t = &self.t;
        // A capital names something ("60 Minutes").
        if !t.is_word(k) || t.cap(k) {
            return None;
        }
        let w = t.str(k).to_ascii_lowercase();
        let (unit, plural) = match w.strip_suffix('s') {
            Some(u) => (u.to_string(), true),
            None => (w, false),
        };
        let letter = match unit.as_str() {
            "hour" => 'H',
            "minute" => 'M',
            "second" => 'S',
            _ => return None,
        };
        Some((letter, plural))
    }

    /// "five hours", "one minute", "an hour" (a duration); "$15 an hour" (a rate).
    fn clock_length(
        &self,
        i: usize,
        j: usize,
        n: u32,
        article: bool,
        (letter, plural): (char, bool),
    ) -> Option<Found> {
        // "a second" is mostly "another"; "a three hour meeting" is a length.
        let adjective =
            !article && n > 1 && self.t.is_word(j + 1) && self.t.lex(j + 1) == Lex::None;
        let fits = if plural {
            n != 1 && !article
        } else {
            (n == 1 && !(article && letter == 'S')) || adjective
        };
        if !fits {
            return None;
        }
        if article && self.after_amount(i) {
            return Some(
                Found::new(i, j + 1, TimeKind::Set, TimeAnchor::Absolute)
                    .value(Some(format!("PT1{letter}"))),
            );
        }
        Some(
            Found::new(i, j + 1, TimeKind::Duration, TimeAnchor::Absolute)
                .value(Some(format!("PT{n}{letter}"))),
        )
    }

    /// "several years", "a few days", "few months", "several-year": a length of an unknown
    /// count ("PXY"); with "ago" a vague past.
    fn some_periods(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let j = match t.lex(i) {
            Lex::Article if t.lex(i + 1) == Lex::Few => i + 2,
            // "a couple of years": two.
            Lex::Article if t.lex(i + 1) == Lex::Couple && t.lex(i + 2) == Lex::Of => {
                let Lex::Periods(p) = t.lex(i + 3) else {
                    return None;
                };
                return Some(
                    Found::new(i, i + 4, TimeKind::Duration, TimeAnchor::Absolute)
                        .value(Some(duration_value(Some(2), p))),
                );
            }
            Lex::Several | Lex::Few => i + 1,
            _ => return None,
        };
        let (period, end) = match t.lex(j) {
            Lex::Periods(p) => (p, j + 1),
            _ if t.is_dash(j) && t.glued(j) && t.glued(j + 1) => match t.lex(j + 1) {
                Lex::Period(p) if !(t.is_dash(j + 2) && t.glued(j + 2)) => (p, j + 2),
                _ => return None,
            },
            _ => return None,
        };
        if t.lex(end) == Lex::Ago {
            return Some(vague(i, end + 1, "PAST_REF"));
        }
        Some(
            Found::new(i, end, TimeKind::Duration, TimeAnchor::Absolute)
                .value(Some(duration_value(None, period))),
        )
    }

    /// A year said in words: "nineteen ninety-six", "eighteen twelve": the year and the
    /// token after it.
    fn spoken_year(&self, i: usize) -> Option<(i32, usize)> {
        let t = &self.t;
        let hundreds = if t.word_is(i, "nineteen") {
            1900
        } else if t.word_is(i, "eighteen") {
            1800
        } else {
            return None;
        };
        if !t.is_word(i + 1) {
            return None;
        }
        let n = read_number(t, i + 1, false)?;
        if n.value.fract() != 0.0 || !(10.0..=99.0).contains(&n.value) {
            return None;
        }
        Some((hundreds + n.value as i32, n.end))
    }

    /// A year in figures or words at `k`: the year and the token after it.
    fn year_at(&self, k: usize) -> Option<(i32, usize)> {
        self.year_figure(k, &CONTEXT_YEARS)
            .map(|y| (y, k + 1))
            .or_else(|| self.spoken_year(k))
    }

    /// "nineteen ninety-six" as a year.
    fn spoken(&self, i: usize) -> Option<Found> {
        let (y, end) = self.spoken_year(i)?;
        Some(
            Found::new(i, end, TimeKind::Range, TimeAnchor::Absolute)
                .span(year_span(y))
                .value(Some(format!("{y:04}")))
                .granularity(Period::Year),
        )
    }

    /// "the 20th century", "11th century": value "19", "10" (TimeML's two-digit century).
    fn century(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let n = t.digits(i, 2).filter(|n| (1..=30).contains(n))?;
        if !(t.ordinal_suffix(i + 1) && t.word_is(i + 2, "century")) {
            return None;
        }
        let first = (n as i32 - 1) * 100;
        let span = ymd(first.max(1), 1, 1).zip(ymd(first + 99, 12, 31));
        Some(
            Found::new(i, i + 3, TimeKind::Range, TimeAnchor::Absolute)
                .span(span)
                .value(Some(format!("{:02}", n - 1)))
                .precision(TimePrecision::Century),
        )
    }

    /// "two to three weeks" (a duration), "two or three years ago" (a range of days).
    fn counted_range(&self, i: usize, k: usize, n: i64, m: i64, period: Period) -> Found {
        if self.t.lex(k + 1) == Lex::Ago {
            let (near, far) = (self.ago(i, k + 2, n, period), self.ago(i, k + 2, m, period));
            let span = far.from.zip(near.to);
            return Found::new(i, k + 2, TimeKind::Range, TimeAnchor::Published).span(span);
        }
        Found::new(i, k + 1, TimeKind::Duration, TimeAnchor::Absolute)
    }

    /// "N days ago" is a day; "N weeks ago" the week, "N months ago" the month, "N years
    /// ago" the year.
    fn ago(&self, start: usize, end: usize, n: i64, period: Period) -> Found {
        // "Profit rose from a year ago" after a quarter: that quarter, a year before.
        if period == Period::Year
            && self
                .mention
                .is_some_and(|m| m.granularity == Some(Period::Quarter))
        {
            return self.moved_mention(start, end, -n, period).aside();
        }
        let p = self.published;
        let at = p.and_then(|p| shift(p, -n, period));
        match period {
            Period::Day => date_found(start, end, at, TimeAnchor::Published),
            Period::Week | Period::Month | Period::Quarter => {
                period_found(start, end, at, period, TimeAnchor::Published)
            }
            Period::Year | Period::Decade => {
                period_found(start, end, at, Period::Year, TimeAnchor::Published)
            }
        }
    }

    /// The last mention moved by `n` periods. Moving by a unit at least as coarse as the
    /// mention keeps its shape ("2012" + three years = 2015, all of it); a finer unit
    /// moves both ends ("2012" + two days = 3 January 2012 to 2 January 2013).
    fn moved_mention(&self, start: usize, end: usize, n: i64, period: Period) -> Found {
        let Some(m) = self.mention else {
            return Found::new(start, end, TimeKind::Range, TimeAnchor::Mention);
        };
        let moved = shift(m.span.0, n, period);
        if let Some(g) = m.granularity
            && rank(period) >= rank(g)
        {
            return period_found(start, end, moved, g, TimeAnchor::Mention);
        }
        let span = moved.zip(shift(m.span.1, n, period));
        let kind = match span {
            Some((a, b)) if a == b => TimeKind::Date,
            _ => TimeKind::Range,
        };
        Found::new(start, end, kind, TimeAnchor::Mention).span(span)
    }

    /// The calendar `period` of the last mention, moved by `n` ("the following year").
    fn mention_period(&self, start: usize, end: usize, n: i64, period: Period) -> Found {
        let Some(m) = self.mention else {
            return Found::new(start, end, TimeKind::Range, TimeAnchor::Mention);
        };
        let base = if n > 0 { m.span.1 } else { m.span.0 };
        if period == Period::Day && n == 0 && m.span.0 != m.span.1 {
            return Found::new(start, end, TimeKind::Date, TimeAnchor::Mention);
        }
        let at = shift(base, n, period);
        period_found(start, end, at, period, TimeAnchor::Mention)
    }

    fn weekday(&self, i: usize, day: u8) -> Option<Found> {
        let t = &self.t;
        if !t.cap(i) {
            return None;
        }
        // "Friday, January 7": the date decides.
        let k = if t.is_punct(i + 1, ',') { i + 2 } else { i + 1 };
        if let Some(date) = longest([self.month_first(k, true), self.day_first(k)])
            && date.kind == TimeKind::Date
            && date.granularity == Some(Period::Day)
        {
            return Some(date.starting_at(i));
        }
        let dir = self.bare_direction(i);
        Some(self.weekday_in(i, i + 1, day, dir))
    }

    /// A weekday resolved in direction `dir`, with a following "night", "morning".
    fn weekday_in(&self, start: usize, end: usize, day: u8, dir: Direction) -> Found {
        let date = self.published.and_then(|p| {
            let d = weekday_date(p, day, dir)?;
            // The day after publication is "Monday" in a Sunday story far more often than
            // the Monday six days before.
            if dir == Direction::Past && (p - d).num_days() == 6 {
                add_days(p, 1)
            } else {
                Some(d)
            }
        });
        if self.t.lex(end) == Lex::Daypart {
            return self.daypart(date_found(start, end + 1, date, TimeAnchor::Published), end);
        }
        date_found(start, end, date, TimeAnchor::Published)
    }

    /// A day with a part of it ("Friday night", token `part`): TimeML's value of the part
    /// after the date ("2022-01-07TNI").
    fn daypart(&self, mut f: Found, part: usize) -> Found {
        let code = match self.t.str(part).to_ascii_lowercase().as_str() {
            "morning" => "MO",
            "afternoon" => "AF",
            "evening" => "EV",
            _ => "NI",
        };
        if let Some(v) = &mut f.value {
            v.push('T');
            v.push_str(code);
        }
        f.precision = Some(TimePrecision::Time);
        f
    }

    /// today, yesterday, tomorrow, tonight (with "morning", "night" after).
    fn deictic(&self, i: usize) -> Option<Found> {
        let offset = match self.t.lex(i) {
            Lex::Yesterday => -1,
            Lex::Tomorrow => 1,
            _ => 0,
        };
        let date = self.published.and_then(|p| add_days(p, offset));
        if self.t.lex(i) == Lex::Tonight {
            return Some(self.daypart(date_found(i, i + 1, date, TimeAnchor::Published), i));
        }
        if self.t.lex(i + 1) == Lex::Daypart {
            let f = date_found(i, i + 2, date, TimeAnchor::Published);
            return Some(self.daypart(f, i + 1));
        }
        Some(date_found(i, i + 1, date, TimeAnchor::Published))
    }

    /// "last week", "next Tuesday", "this year", "last summer", "the past three years".
    fn shifted(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let word = t.lex(i);
        let dir = match word {
            Lex::Last | Lex::Past => Direction::Last,
            Lex::Next => Direction::Next,
            _ => Direction::This,
        };
        let p = self.published;
        // "this past weekend" is the last one.
        if word == Lex::This && t.lex(i + 1) == Lex::Past {
            return self.shifted(i + 1).map(|f| f.starting_at(i));
        }
        let j = i + 1;
        let calendar_word = word != Lex::Past;
        match t.lex(j) {
            // "down from $5 million last year" after a quarter: the year (as TimeML
            // annotators read it), but a comparison the story does not move to.
            Lex::Period(Period::Year)
                if word == Lex::Last && !self.possessive(j + 1) && self.mention_is_quarter() =>
            {
                let at = p.and_then(|p| shift(p, -1, Period::Year));
                Some(period_found(i, j + 1, at, Period::Year, TimeAnchor::Published).aside())
            }
            Lex::Period(period) if calendar_word => {
                let offset = match dir {
                    Direction::Last => -1,
                    Direction::Next => 1,
                    _ => 0,
                };
                let at = p.and_then(|p| shift(p, offset, period));
                Some(period_found(i, j + 1, at, period, TimeAnchor::Published))
            }
            Lex::Period(period) => Some(self.trailing(i, j + 1, 1, period, -1)),
            Lex::Weekday(d) if calendar_word && t.cap(j) => Some(self.weekday_in(i, j + 1, d, dir)),
            Lex::Month { month, .. } if calendar_word && t.cap(j) => {
                Some(self.month_in(i, j + 1, u32::from(month), dir))
            }
            // "this past spring" is the last one.
            Lex::Season(season) if calendar_word || (i > 0 && t.lex(i - 1) == Lex::This) => {
                let occurrence = p.and_then(|p| season_occurrence(p, season, dir));
                Some(self.season_found(i, j + 1, season, occurrence))
            }
            Lex::Weekend => Some(weekend_found(i, j + 1, p.and_then(|p| weekend(p, dir)))),
            Lex::Daypart if word == Lex::Last && t.word_is(j, "night") => {
                let date = p.and_then(|p| add_days(p, -1));
                Some(self.daypart(date_found(i, j + 1, date, TimeAnchor::Published), j))
            }
            Lex::Daypart if word == Lex::This => {
                Some(self.daypart(date_found(i, j + 1, p, TimeAnchor::Published), j))
            }
            Lex::Few | Lex::Several if word != Lex::This => {
                let sign = if dir == Direction::Next { 1 } else { -1 };
                self.window(i, j + 1, sign)
            }
            _ if word == Lex::This => None,
            _ => {
                // "the last three years", "the next two weeks"
                let (n, k, article) = self.count(j)?;
                let period = match t.lex(k) {
                    Lex::Periods(period) if n > 1 && !article => period,
                    _ => return None,
                };
                let sign = if dir == Direction::Next { 1 } else { -1 };
                Some(self.trailing(i, k + 1, i64::from(n), period, sign))
            }
        }
    }

    /// `n` periods before (`sign` -1) or after (+1) publication, publication included.
    fn trailing(&self, start: usize, end: usize, n: i64, period: Period, sign: i64) -> Found {
        let p = self.published;
        let span = p.and_then(|p| {
            let other = shift(p, sign * n, period)?;
            Some(if sign < 0 { (other, p) } else { (p, other) })
        });
        Found::new(start, end, TimeKind::Range, TimeAnchor::Published)
            .span(span)
            .value(Some(duration_value(Some(n), period)))
            .precision(precision_of(period))
            .window()
    }

    /// "recent weeks", "coming days", "few months" (after "the past"): a window of a few
    /// periods (see the crate docs for the sizes) before or after publication.
    fn window(&self, start: usize, j: usize, sign: i64) -> Option<Found> {
        let Lex::Periods(period) = self.t.lex(j) else {
            return None;
        };
        let (n, unit) = match period {
            Period::Day => (7, Period::Day),
            Period::Week => (4, Period::Week),
            Period::Month => (3, Period::Month),
            Period::Quarter => (2, Period::Quarter),
            Period::Year => (3, Period::Year),
            Period::Decade => (3, Period::Decade),
        };
        Some(
            self.trailing(start, j + 1, n, unit, sign)
                .value(Some(duration_value(None, period))),
        )
    }

    /// Phrases opened by "the".
    fn the(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let j = i + 1;
        let period_at = |k: usize| match t.lex(k) {
            Lex::Period(p) => Some(p),
            _ => None,
        };
        match t.lex(j) {
            Lex::Following | Lex::Next if period_at(j + 1).is_some() => {
                let period = period_at(j + 1)?;
                Some(self.mention_period(i, j + 2, 1, period))
            }
            Lex::Previous => {
                let period = period_at(j + 1)?;
                Some(self.mention_period(i, j + 2, -1, period))
            }
            Lex::Same => {
                let period = period_at(j + 1)?;
                Some(self.mention_period(i, j + 2, 0, period))
            }
            Lex::Past | Lex::Last if period_at(j + 1).is_some() => {
                let period = period_at(j + 1)?;
                let f = self.trailing(i, j + 2, 1, period, -1);
                // "the past year": TimeML names the year before publication's ("1997").
                if period == Period::Year {
                    let before = self.published.and_then(|p| shift(p, -1, Period::Year));
                    return Some(f.value(before.map(|d| period_value(d, Period::Year))));
                }
                Some(f)
            }
            // "the 1988 quarter", "the 1989 period" after a quarter: that quarter of the year.
            _ if self.year_figure(j, &CONTEXT_YEARS).is_some()
                && (t.lex(j + 1) == Lex::Period(Period::Quarter)
                    || (t.word_is(j + 1, "period") && self.mention_is_quarter())) =>
            {
                let y = self.year_figure(j, &CONTEXT_YEARS)?;
                let q = match self.mention {
                    Some(m) if m.granularity == Some(Period::Quarter) => quarter_of(m.span.0),
                    _ => return None,
                };
                Some(
                    Found::new(i, j + 2, TimeKind::Range, TimeAnchor::Mention)
                        .span(quarter_span(y, q))
                        .value(Some(format!("{y:04}-Q{q}")))
                        .granularity(Period::Quarter)
                        .aside(),
                )
            }
            // "the first half of 1990", "the last half of 1989": value "1990-H1".
            _ if t.word_is(j + 1, "half") && t.lex(j + 2) == Lex::Of => {
                let second = match t.str(j).to_ascii_lowercase().as_str() {
                    "first" => false,
                    "second" | "last" | "latter" => true,
                    _ => return None,
                };
                let k = j + 3 + usize::from(t.lex(j + 3) == Lex::Fiscal);
                let (y, end) = self.year_at(k)?;
                let span = if second {
                    ymd(y, 7, 1).zip(ymd(y, 12, 31))
                } else {
                    ymd(y, 1, 1).zip(ymd(y, 6, 30))
                };
                Some(
                    Found::new(i, end, TimeKind::Range, TimeAnchor::Absolute)
                        .span(span)
                        .value(Some(format!("{y:04}-H{}", 1 + u8::from(second))))
                        .precision(TimePrecision::Year),
                )
            }
            // "the current fiscal year": this year.
            Lex::Present
                if t.lex(j + 1) == Lex::Fiscal && t.lex(j + 2) == Lex::Period(Period::Year) =>
            {
                Some(period_found(
                    i,
                    j + 3,
                    self.published,
                    Period::Year,
                    TimeAnchor::Published,
                ))
            }
            Lex::Past | Lex::Last | Lex::Next => {
                self.shifted(j).map(|f| f.starting_at(i)).or_else(|| {
                    // "the past" alone, not "the past president".
                    let noun_after = t.is_word(j + 1) && t.lex(j + 1) == Lex::None;
                    (t.lex(j) == Lex::Past && !noun_after).then(|| vague(i, j + 1, "PAST_REF"))
                })
            }
            Lex::Future => Some(vague(i, j + 1, "FUTURE_REF")),
            // "the year ended Sept. 30", "the fiscal year ending in June": a year's length
            // (its end is the date after it).
            _ if {
                let k = j + usize::from(t.lex(j) == Lex::Fiscal);
                t.lex(k) == Lex::Period(Period::Year)
                    && (t.word_is(k + 1, "ended") || t.word_is(k + 1, "ending"))
            } =>
            {
                let k = j + usize::from(t.lex(j) == Lex::Fiscal);
                Some(
                    Found::new(i, k + 1, TimeKind::Duration, TimeAnchor::Absolute)
                        .value(Some(duration_value(Some(1), Period::Year))),
                )
            }
            _ if t.word_is(j, "full") && t.lex(j + 1) == Lex::Period(Period::Year) => {
                Some(period_found(
                    i,
                    j + 2,
                    self.published,
                    Period::Year,
                    TimeAnchor::Published,
                ))
            }
            // "the year 2000", "the year two thousand".
            Lex::Period(Period::Year) if self.year_named(j + 1).is_some() => {
                let (y, end) = self.year_named(j + 1)?;
                Some(
                    Found::new(i, end, TimeKind::Range, TimeAnchor::Absolute)
                        .span(year_span(y))
                        .value(Some(format!("{y:04}")))
                        .granularity(Period::Year),
                )
            }
            Lex::Period(Period::Year) if self.year_of_report(i) => Some(period_found(
                i,
                j + 1,
                self.published,
                Period::Year,
                TimeAnchor::Published,
            )),
            _ if t.word_is(j, "near") && t.lex(j + 1) == Lex::Future => {
                Some(vague(i, j + 2, "FUTURE_REF"))
            }
            Lex::Period(Period::Quarter) if !matches!(t.lex(j + 1), Lex::Before | Lex::After) => {
                Some(self.the_quarter(i, j + 1))
            }
            _ if t.word_is(j, "latest")
                && (t.lex(j + 1) == Lex::Period(Period::Quarter) || t.word_is(j + 1, "period")) =>
            {
                // The latest reported: the last quarter that ended.
                let at = self.published.and_then(|p| shift(p, -1, Period::Quarter));
                Some(period_found(
                    i,
                    j + 2,
                    at,
                    Period::Quarter,
                    TimeAnchor::Published,
                ))
            }
            Lex::Present if matches!(t.lex(j + 1), Lex::Period(_)) => {
                let Lex::Period(period) = t.lex(j + 1) else {
                    return None;
                };
                Some(period_found(
                    i,
                    j + 2,
                    self.published,
                    period,
                    TimeAnchor::Published,
                ))
            }
            Lex::Period(Period::Year) if t.is_dash(j + 1) => {
                // "the year-earlier quarter"; "the year-earlier profit" leaves "the" out.
                self.year_earlier(j, i).filter(|f| f.end > j + 3)
            }
            Lex::Coming => self.window(i, j + 1, 1),
            Lex::Weekend => {
                let dir = self.bare_direction(i);
                let span = self.published.and_then(|p| weekend(p, dir));
                Some(weekend_found(i, j + 1, span))
            }
            // "the summer", "over the summer": the nearest one begun by publication, or
            // ahead in a future clause; "the summer of 1989".
            // Not "the fall" (mostly a drop), not "the spring of ..." without a year.
            Lex::Season(season) => self
                .season_of_year(j, season)
                .map(|f| f.starting_at(i))
                .or_else(|| {
                    if t.word_is(j, "fall") || t.lex(j + 1) == Lex::Of {
                        return None;
                    }
                    let dir = self.bare_direction(i);
                    let occurrence = self
                        .published
                        .and_then(|p| season_occurrence(p, season, dir));
                    Some(self.season_found(i, j + 1, season, occurrence))
                }),
            // "the weeks ahead", "the months ahead".
            Lex::Periods(period) if t.word_is(j + 1, "ahead") => self
                .trailing(i, j + 2, 1, period, 1)
                .value(Some(duration_value(None, period)))
                .into(),
            Lex::Period(period)
                if matches!(t.lex(j + 1), Lex::Before | Lex::After) && !t.is_word(j + 2) =>
            {
                let n = if t.lex(j + 1) == Lex::Before { -1 } else { 1 };
                Some(self.mention_period(i, j + 2, n, period))
            }
            Lex::End | Lex::Beginning | Lex::Early | Lex::Mid | Lex::Late => {
                self.part(j).map(|f| f.starting_at(i))
            }
            _ if t.is_num(j) => longest([
                self.year(j, true)
                    .filter(|f| f.granularity == Some(Period::Decade)),
                self.day_first(j),
                self.quarter(j, j),
                self.century(j),
            ])
            .map(|f| f.starting_at(i)),
            _ => self.quarter(j, i),
        }
    }

    /// A year after "the year": in figures, or in words ("two thousand", "nineteen
    /// eighty-four"); the year and the token after it.
    fn year_named(&self, k: usize) -> Option<(i32, usize)> {
        if let Some(found) = self.year_at(k) {
            return Some(found);
        }
        let n = read_number(&self.t, k, false)?;
        let whole = n.value.fract() == 0.0 && BARE_YEARS.contains(&(n.value as u32));
        whole.then_some((n.value as i32, n.end))
    }

    /// "for the year", "the first nine months of the year" ("the" at `i`): the current
    /// year, a report's; not "the year before", "the year's", "the year-earlier", "the
    /// year ended".
    fn year_of_report(&self, i: usize) -> bool {
        let t = &self.t;
        let j = i + 1;
        let before = i > 0
            && (matches!(t.lex(i - 1), Lex::Of | Lex::During)
                || ["for", "through", "throughout"]
                    .iter()
                    .any(|w| t.word_is(i - 1, w)));
        let goes_on = matches!(t.punct(j + 1), Some('\'' | '’'))
            || (t.is_dash(j + 1) && t.glued(j + 1))
            || matches!(
                t.lex(j + 1),
                Lex::Before | Lex::After | Lex::Earlier | Lex::Ago
            )
            || t.word_is(j + 1, "ended")
            || t.word_is(j + 1, "ending");
        before && !goes_on
    }

    /// A holiday US news names by day ("Thanksgiving Day", "Christmas", "Election Day",
    /// "New Year's Day") at `i`, the expression starting at `start` ("last" or "next" at
    /// `start` picks the one before or after publication; without, the nearer, one ahead
    /// counting double as for a day of a month).
    fn holiday(&self, i: usize, start: usize) -> Option<Found> {
        let t = &self.t;
        if !t.cap(i) || !t.is_word(i) {
            return None;
        }
        let day_word = |k: usize| t.word_is(k, "day") && t.cap(k);
        let w = t.str(i).to_ascii_lowercase();
        let (rule, end) = match w.as_str() {
            "thanksgiving" => (Holiday::Nth(11, 3, 4), i + 1 + usize::from(day_word(i + 1))),
            "christmas" if t.word_is(i + 1, "eve") => (Holiday::Fixed(12, 24), i + 2),
            "christmas" => (Holiday::Fixed(12, 25), i + 1 + usize::from(day_word(i + 1))),
            "halloween" => (Holiday::Fixed(10, 31), i + 1),
            "election" if day_word(i + 1) => (Holiday::ElectionDay, i + 2),
            "memorial" if day_word(i + 1) => (Holiday::Nth(5, 0, 0), i + 2),
            "labor" if day_word(i + 1) => (Holiday::Nth(9, 0, 1), i + 2),
            "new" if t.word_is(i + 1, "year") && self.possessive(i + 2) => {
                if day_word(i + 4) {
                    (Holiday::Fixed(1, 1), i + 5)
                } else if t.word_is(i + 4, "eve") {
                    (Holiday::Fixed(12, 31), i + 5)
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        let dir = match t.lex(start) {
            _ if start == i => None,
            Lex::Last => Some(Direction::Last),
            Lex::Next => Some(Direction::Next),
            _ => return None,
        };
        let date = self.published.and_then(|p| {
            let candidates = (p.year() - 1..=p.year() + 1).filter_map(|y| rule.on(y));
            match dir {
                Some(Direction::Last) => candidates.filter(|d| *d < p).max(),
                Some(_) => candidates.filter(|d| *d > p).min(),
                None => {
                    let ahead = if self.future(start) { 1 } else { 2 };
                    candidates.min_by_key(|d| {
                        let days = (*d - p).num_days();
                        (if days > 0 { ahead * days } else { -days }, *d)
                    })
                }
            }
        });
        Some(date_found(start, end, date, TimeAnchor::Published))
    }

    /// "the quarter", "the latest quarter": the quarter last mentioned, else the last one
    /// that ended before publication (the one results are reported for).
    fn the_quarter(&self, start: usize, end: usize) -> Found {
        match self.mention {
            Some(m) if m.granularity == Some(Period::Quarter) => period_found(
                start,
                end,
                Some(m.span.0),
                Period::Quarter,
                TimeAnchor::Mention,
            ),
            _ => {
                let at = self.published.and_then(|p| shift(p, -1, Period::Quarter));
                period_found(start, end, at, Period::Quarter, TimeAnchor::Published)
            }
        }
    }

    /// "third quarter", "third-quarter", "fiscal first quarter", "the second quarter of
    /// 1989", "fourth quarter 1989", "the 1988 second quarter" from `i` (the expression
    /// starting at `start`): that quarter of the year given, else of the year in which it
    /// last began by publication.
    fn quarter(&self, i: usize, start: usize) -> Option<Found> {
        let t = &self.t;
        let mut j = i;
        let year_before = self.year_figure(j, &CONTEXT_YEARS);
        if year_before.is_some() {
            j += 1;
        }
        if t.lex(j) == Lex::Fiscal {
            j += 1;
        }
        if !t.is_word(j) {
            return None;
        }
        let q = quarter_number(t.str(j))?;
        j += 1;
        if t.is_dash(j) && t.glued(j) && t.glued(j + 1) {
            j += 1;
        }
        if t.lex(j) != Lex::Period(Period::Quarter) {
            return None;
        }
        j += 1;
        let mut k = j;
        if t.lex(k) == Lex::Of {
            k += 1;
            if t.lex(k) == Lex::Fiscal {
                k += 1;
            }
        }
        let (year, end, anchor) = match (year_before, self.year_figure(k, &CONTEXT_YEARS)) {
            (Some(y), _) => (Some(y), j, TimeAnchor::Absolute),
            (None, Some(y)) => (Some(y), k + 1, TimeAnchor::Absolute),
            (None, None) => {
                // Even with a future cue ("will report third-quarter results") a quarter
                // named without a year is mostly the last one of that number.
                let year = self
                    .published
                    .map(|p| p.year() - i32::from(q > quarter_of(p)));
                (year, j, TimeAnchor::Published)
            }
        };
        Some(
            Found::new(start, end, TimeKind::Range, anchor)
                .span(year.and_then(|y| quarter_span(y, q)))
                .value(year.map(|y| format!("{y:04}-Q{q}")))
                .granularity(Period::Quarter),
        )
    }

    /// "fiscal 1990", "fiscal third quarter".
    fn fiscal(&self, i: usize) -> Option<Found> {
        if let Some(q) = self.quarter(i, i) {
            return Some(q);
        }
        let y = self.year_figure(i + 1, &CONTEXT_YEARS)?;
        Some(
            Found::new(i, i + 2, TimeKind::Range, TimeAnchor::Absolute)
                .span(year_span(y))
                .value(Some(format!("{y:04}")))
                .granularity(Period::Year),
        )
    }

    fn mention_is_quarter(&self) -> bool {
        self.mention
            .is_some_and(|m| m.granularity == Some(Period::Quarter))
    }

    /// "year-earlier", "year-ago" (with "quarter" or "period" after it when there is one):
    /// the last mention a year back ("third-quarter profit ... year-earlier profit").
    fn year_earlier(&self, i: usize, start: usize) -> Option<Found> {
        let t = &self.t;
        if !(t.is_dash(i + 1)
            && t.glued(i + 1)
            && t.glued(i + 2)
            && matches!(t.lex(i + 2), Lex::Earlier | Lex::Ago))
        {
            return None;
        }
        let mut end = i + 3;
        // "the year-ago third quarter": that quarter, a year before the one of that number
        // publication last saw begin.
        if let Some(q) = self.quarter(end, start)
            && let Some((from, _)) = q.resolved()
        {
            let at = shift(from, -1, Period::Year);
            return Some(
                period_found(start, q.end, at, Period::Quarter, TimeAnchor::Published).aside(),
            );
        }
        if t.lex(end) == Lex::Period(Period::Quarter) || t.word_is(end, "period") {
            end += 1;
        }
        // A comparison, not a time the story moves to: no mention to count from.
        Some(self.moved_mention(start, end, -1, Period::Year).aside())
    }

    /// "9 a.m.", "10:35 p.m. EST", "noon Thursday", "4 a.m. EDT Thursday": a time of day on
    /// the day named right after it, else on the publication day; value "2022-01-07T09:00".
    fn clock(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let (hour, minute, mut j) = if t.word_is(i, "noon") || t.word_is(i, "midday") {
            (12, 0, i + 1)
        } else if t.word_is(i, "midnight") {
            (24, 0, i + 1)
        } else {
            if i > 0 && t.glued(i) && !t.is_punct(i - 1, '(') {
                return None;
            }
            let h = t.digits(i, 2).filter(|h| (1..=12).contains(h))?;
            let mut j = i + 1;
            let mut m = 0;
            if t.is_punct(j, ':') && t.glued(j) && t.glued(j + 1) && t.str(j + 1).len() == 2 {
                m = t.digits(j + 1, 2).filter(|&m| m < 60)?;
                j += 2;
            }
            let (pm, k) = self.meridiem(j)?;
            let h = match (h, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
            (h, m, k)
        };
        if TIME_ZONES.iter().any(|z| t.word_is(j, z)) {
            j += 1;
        }
        // "10:35 a.m. (0735 GMT) Friday": the day after a short aside in brackets, which
        // stays out of the expression.
        let aside_end = t
            .is_punct(j, '(')
            .then(|| (j + 1..j + 7).find(|&k| t.is_punct(k, ')')))
            .flatten()
            .map(|close| close + 1);
        let after = aside_end.unwrap_or(j);
        let k = if t.is_punct(after, ',') {
            after + 1
        } else {
            after
        };
        let day = match t.lex(k) {
            Lex::Weekday(d) if t.cap(k) => {
                Some(self.weekday_in(k, k + 1, d, self.bare_direction(i)))
            }
            Lex::Today | Lex::Yesterday | Lex::Tomorrow => self.deictic(k),
            Lex::Month { .. } => self
                .month_first(k, true)
                .filter(|f| f.granularity == Some(Period::Day)),
            _ => None,
        };
        let (end, date, anchor) = match (day, self.mention) {
            (Some(f), _) if aside_end.is_some() => (j, f.from, f.anchor),
            (Some(f), _) => (f.end, f.from, f.anchor),
            // No day named: the day the story is on, the last one mentioned, else the
            // publication day.
            (None, Some(m)) if m.span.0 == m.span.1 => (j, Some(m.span.0), TimeAnchor::Mention),
            (None, _) => (j, self.published, TimeAnchor::Published),
        };
        let date_value = date.map_or_else(|| "XXXX-XX-XX".to_string(), |d| d.to_string());
        Some(
            Found::new(i, end, TimeKind::Date, anchor)
                .span(date.map(day_span))
                .value(Some(format!("{date_value}T{hour:02}:{minute:02}")))
                .granularity(Period::Day)
                .precision(TimePrecision::Time),
        )
    }

    /// "am", "pm", "a.m.", "p.m." at `j`: whether after noon, and the token after it.
    fn meridiem(&self, j: usize) -> Option<(bool, usize)> {
        let t = &self.t;
        let pm = if t.word_is(j, "pm") || t.word_is(j, "p") {
            true
        } else if t.word_is(j, "am") || t.word_is(j, "a") {
            false
        } else {
            return None;
        };
        if t.str(j).len() == 2 {
            return Some((pm, j + 1));
        }
        if !(t.is_punct(j + 1, '.') && t.glued(j + 1) && t.glued(j + 2) && t.word_is(j + 2, "m")) {
            return None;
        }
        let end = if t.is_punct(j + 3, '.') && t.glued(j + 3) {
            j + 4
        } else {
            j + 3
        };
        Some((pm, end))
    }

    /// Whether an amount comes right before token `i` ("$100 a year", "5% a year", "twice a
    /// week").
    fn after_amount(&self, i: usize) -> bool {
        let t = &self.t;
        i > 0
            && (t.is_num(i - 1)
                || matches!(
                    t.lex(i - 1),
                    Lex::Scale(_) | Lex::Percent | Lex::Currency(_)
                )
                || t.is_punct(i - 1, '%')
                || ["times", "once", "twice"]
                    .iter()
                    .any(|w| t.word_is(i - 1, w)))
    }

    /// "that year", "that day": the period of the last mention.
    fn that(&self, i: usize) -> Option<Found> {
        match self.t.lex(i + 1) {
            Lex::Period(period) => Some(self.mention_period(i, i + 2, 0, period)),
            _ => None,
        }
    }

    /// "later this year", "earlier this month", "later that year", "earlier today".
    fn later_this(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let later = t.lex(i) == Lex::Later;
        match (t.lex(i + 1), t.lex(i + 2)) {
            (Lex::This, Lex::Period(period)) => {
                let span = self.published.and_then(|p| {
                    let (from, to) = period_span(p, period)?;
                    Some(if later { (p, to) } else { (from, p) })
                });
                Some(
                    Found::new(i, i + 3, TimeKind::Range, TimeAnchor::Published)
                        .span(span)
                        .value(self.published.map(|p| period_value(p, period)))
                        .precision(precision_of(period))
                        .window(),
                )
            }
            (Lex::That, Lex::Period(period)) => Some(self.mention_period(i, i + 3, 0, period)),
            (Lex::Today, _) => Some(date_found(i, i + 2, self.published, TimeAnchor::Published)),
            _ => None,
        }
    }

    /// "early 2012", "mid-December", "late last year", "the end of 2021", "late Friday".
    fn part(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let part = match t.lex(i) {
            Lex::Early | Lex::Beginning => Part::Early,
            Lex::Mid => Part::Mid,
            _ => Part::Late,
        };
        let mut j = i + 1;
        if matches!(t.lex(i), Lex::End | Lex::Beginning) {
            if t.lex(j) != Lex::Of {
                return None;
            }
            j += 1;
            // "the end of the year": the current one.
            if t.lex(j) == Lex::The
                && let Lex::Period(period) = t.lex(j + 1)
            {
                let inner = period_found(j, j + 2, self.published, period, TimeAnchor::Published);
                return Some(self.narrow(i, inner, part));
            }
        } else if t.is_dash(j) && t.glued(j) && t.glued(j + 1) {
            j += 1;
        }
        let inner = if t.is_num(j) {
            self.year(j, true)
        } else {
            match t.lex(j) {
                Lex::Month { .. } => self.month_first(j, true),
                Lex::Last | Lex::Next | Lex::This => self.shifted(j),
                Lex::Weekday(d) if t.cap(j) => {
                    Some(self.weekday_in(j, j + 1, d, self.bare_direction(i)))
                }
                Lex::The => self.the(j),
                Lex::Season(season) => self.season_of_year(j, season),
                _ => None,
            }
        }?;
        if !matches!(inner.kind, TimeKind::Date | TimeKind::Range) || inner.window {
            return None;
        }
        Some(self.narrow(i, inner, part))
    }

    fn narrow(&self, start: usize, inner: Found, part: Part) -> Found {
        let mut f = inner.clone().starting_at(start);
        if let (Some(span), Some(period)) = (inner.resolved(), inner.granularity) {
            let narrowed = part_of(span, period, part);
            f.from = narrowed.map(|s| s.0);
            f.to = narrowed.map(|s| s.1);
            // A part of a period is no longer a whole one.
            f.granularity = (period == Period::Day).then_some(Period::Day);
        }
        f
    }

    /// "every Friday", "each year", "every two weeks".
    fn every(&self, i: usize) -> Option<Found> {
        let t = &self.t;
        let j = i + 1;
        if let Lex::Weekday(d) = t.lex(j) {
            return Some(
                Found::new(i, j + 1, TimeKind::Set, TimeAnchor::Absolute)
                    .value(Some(format!("XXXX-WXX-{}", d + 1))),
            );
        }
        // "each July", "every summer".
        if let Lex::Month { month, .. } = t.lex(j)
            && t.cap(j)
        {
            return Some(
                Found::new(i, j + 1, TimeKind::Set, TimeAnchor::Absolute)
                    .value(Some(format!("XXXX-{month:02}"))),
            );
        }
        if let Lex::Season(season) = t.lex(j) {
            return Some(
                Found::new(i, j + 1, TimeKind::Set, TimeAnchor::Absolute)
                    .value(Some(format!("XXXX-{}", season_code(season)))),
            );
        }
        let (n, k) = match t.lex(j) {
            Lex::Period(_) => (1, j),
            _ => {
                let (n, k, article) = self.count(j)?;
                if article {
                    return None;
                }
                (n, k)
            }
        };
        let period = match t.lex(k) {
            Lex::Period(p) | Lex::Periods(p) => p,
            _ => return None,
        };
        Some(
            Found::new(i, k + 1, TimeKind::Set, TimeAnchor::Absolute)
                .value(Some(format!("P{n}{}", period_letter(period)))),
        )
    }

    /// "summer 2021", "the summer of 2021" (a season name alone is too often a verb or a
    /// metaphor to report).
    fn season_of_year(&self, i: usize, season: Season) -> Option<Found> {
        let t = &self.t;
        let k = if t.lex(i + 1) == Lex::Of {
            i + 2
        } else {
            i + 1
        };
        let (y, end) = self.year_at(k)?;
        let span = season_span(y, season);
        let mut f = self.season_found(i, end, season, span.map(|s| (y, s)));
        f.anchor = TimeAnchor::Absolute;
        Some(f)
    }

    fn season_found(
        &self,
        start: usize,
        end: usize,
        season: Season,
        occurrence: Option<(i32, Span)>,
    ) -> Found {
        let anchor = if self.t.is_num(end - 1) {
            TimeAnchor::Absolute
        } else {
            TimeAnchor::Published
        };
        // A season is three months: a quarter's precision.
        Found::new(start, end, TimeKind::Range, anchor)
            .span(occurrence.map(|o| o.1))
            .value(occurrence.map(|(y, _)| format!("{y:04}-{}", season_code(season))))
            .precision(TimePrecision::Quarter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    /// The time expressions of `text` as (text, from, to) with dates as strings.
    fn times(text: &str, published: Option<NaiveDate>) -> Vec<(String, String, String)> {
        let toks = scan(text);
        let t = Tokens { text, toks: &toks };
        find(t, published)
            .into_iter()
            .map(|f| {
                let span = toks[f.start].start as usize..toks[f.end - 1].end as usize;
                let show = |d: Option<NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
                (text[span].to_string(), show(f.from), show(f.to))
            })
            .collect()
    }

    fn friday() -> Option<NaiveDate> {
        ymd(2022, 1, 7)
    }

    fn one(text: &str) -> (String, String, String) {
        let all = times(text, friday());
        assert_eq!(all.len(), 1, "{text}: {all:?}");
        all.into_iter().next().unwrap()
    }

    fn check(text: &str, span: &str, from: &str, to: &str) {
        assert_eq!(
            one(text),
            (span.to_string(), from.to_string(), to.to_string()),
            "{text}"
        );
    }

    #[test]
    fn absolute_dates() {
        check(
            "It happened on 7 January 2022.",
            "7 January 2022",
            "2022-01-07",
            "2022-01-07",
        );
        check(
            "on January 7, 2022, they",
            "January 7, 2022",
            "2022-01-07",
            "2022-01-07",
        );
        check(
            "on Jan. 7 2022 at",
            "Jan. 7 2022",
            "2022-01-07",
            "2022-01-07",
        );
        check(
            "the 21st of March 2019",
            "the 21st of March 2019",
            "2019-03-21",
            "2019-03-21",
        );
        check(
            "dated 2022-01-07.",
            "2022-01-07",
            "2022-01-07",
            "2022-01-07",
        );
        check(
            "dated 2021/12/30.",
            "2021/12/30",
            "2021-12-30",
            "2021-12-30",
        );
        check("on 25/12/2021", "25/12/2021", "2021-12-25", "2021-12-25");
        check("on 12/25/2021", "12/25/2021", "2021-12-25", "2021-12-25");
        check("on 7.1.2022", "7.1.2022", "2022-01-07", "2022-01-07");
        check(
            "in January 2022",
            "January 2022",
            "2022-01-01",
            "2022-01-31",
        );
        check(
            "Friday, January 7, 2022",
            "Friday, January 7, 2022",
            "2022-01-07",
            "2022-01-07",
        );
    }

    #[test]
    fn kinds_anchors_and_values() {
        let text = "In 2012, on 7 January 2022, on Friday, in recent months, for three days, \
                    two years later, every Friday, in the 1990s and late December.";
        let toks = scan(text);
        let found = find(Tokens { text, toks: &toks }, friday());
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.kind, f.anchor, f.value.as_deref()))
            .collect();
        use TimeAnchor::*;
        use TimeKind::*;
        assert_eq!(
            got,
            [
                (Range, Absolute, Some("2012")),
                (Date, Absolute, Some("2022-01-07")),
                (Date, Published, Some("2022-01-07")),
                (Range, Published, Some("PXM")),
                (Duration, Absolute, Some("P3D")),
                (Date, Mention, Some("2024-01-07")),
                (Set, Absolute, Some("XXXX-WXX-5")),
                (Range, Absolute, Some("199X")),
                (Range, Published, Some("2021-12")),
            ]
        );
        assert_eq!(found[3].from, ymd(2021, 10, 7));
    }

    #[test]
    fn runs_of_days() {
        check("on Jan. 7-8 in", "Jan. 7-8", "2022-01-07", "2022-01-08");
        check(
            "on 2 and 3 February 2020,",
            "2 and 3 February 2020",
            "2020-02-02",
            "2020-02-03",
        );
        check(
            "from 7 to 9 January",
            "7 to 9 January",
            "2022-01-07",
            "2022-01-09",
        );
        check(
            "since the 14th of October 2021",
            "since the 14th of October 2021",
            "2021-10-14",
            "2022-01-07",
        );
        check(
            "this past weekend",
            "this past weekend",
            "2022-01-01",
            "2022-01-02",
        );
        check(
            "two or three years ago",
            "two or three years ago",
            "2019-01-01",
            "2020-12-31",
        );
        let all = times("for two to three weeks", friday());
        assert_eq!(all, [("two to three weeks".into(), "-".into(), "-".into())]);
    }

    #[test]
    fn ambiguous_slashed_date_is_left_unresolved() {
        check("on 7/1/2022 there", "7/1/2022", "-", "-");
    }

    #[test]
    fn dates_without_year_take_the_nearest() {
        check("BAMAKO, Jan 7 (AFP)", "Jan 7", "2022-01-07", "2022-01-07");
        check(
            "on December 28 the",
            "December 28",
            "2021-12-28",
            "2021-12-28",
        );
        check("on 15 March", "15 March", "2022-03-15", "2022-03-15");
    }

    #[test]
    fn weekdays() {
        check(
            "officials said Friday.",
            "Friday",
            "2022-01-07",
            "2022-01-07",
        );
        check("said on Tuesday.", "Tuesday", "2022-01-04", "2022-01-04");
        check(
            "on Thursday night",
            "Thursday night",
            "2022-01-06",
            "2022-01-06",
        );
        // The weekday after publication is that day, not the one six days before.
        check("on Saturday", "Saturday", "2022-01-08", "2022-01-08");
        check("on Sunday", "Sunday", "2022-01-02", "2022-01-02");
        check("last Friday", "last Friday", "2021-12-31", "2021-12-31");
        check("next Tuesday", "next Tuesday", "2022-01-11", "2022-01-11");
        check(
            "talks will resume on Tuesday",
            "Tuesday",
            "2022-01-11",
            "2022-01-11",
        );
        check(
            "Talks resume, the minister said on Tuesday",
            "Tuesday",
            "2022-01-04",
            "2022-01-04",
        );
        check("late Thursday", "late Thursday", "2022-01-06", "2022-01-06");
    }

    #[test]
    fn deictic_and_calendar_periods() {
        check("said today", "today", "2022-01-07", "2022-01-07");
        check("said yesterday", "yesterday", "2022-01-06", "2022-01-06");
        check("due tomorrow", "tomorrow", "2022-01-08", "2022-01-08");
        check("last week", "last week", "2021-12-27", "2022-01-02");
        check("this week", "this week", "2022-01-03", "2022-01-09");
        check("next week", "next week", "2022-01-10", "2022-01-16");
        check("last month", "last month", "2021-12-01", "2021-12-31");
        check("this month", "this month", "2022-01-01", "2022-01-31");
        check("next month", "next month", "2022-02-01", "2022-02-28");
        check("last year", "last year", "2021-01-01", "2021-12-31");
        check("this year", "this year", "2022-01-01", "2022-12-31");
        check("next year", "next year", "2023-01-01", "2023-12-31");
        check("last night", "last night", "2022-01-06", "2022-01-06");
        check(
            "over the weekend",
            "the weekend",
            "2022-01-01",
            "2022-01-02",
        );
        check(
            "later this month",
            "later this month",
            "2022-01-07",
            "2022-01-31",
        );
        check(
            "earlier this year",
            "earlier this year",
            "2022-01-01",
            "2022-01-07",
        );
    }

    #[test]
    fn windows_around_publication() {
        check(
            "have arrived in recent weeks,",
            "in recent weeks",
            "2021-12-10",
            "2022-01-07",
        );
        check(
            "in recent days",
            "in recent days",
            "2021-12-31",
            "2022-01-07",
        );
        check(
            "over the past week",
            "the past week",
            "2021-12-31",
            "2022-01-07",
        );
        check(
            "in the past three years",
            "in the past three years",
            "2019-01-07",
            "2022-01-07",
        );
        check(
            "in the coming days",
            "in the coming days",
            "2022-01-07",
            "2022-01-14",
        );
        check(
            "the next two weeks",
            "the next two weeks",
            "2022-01-07",
            "2022-01-21",
        );
        check(
            "in the last few months",
            "in the last few months",
            "2021-10-07",
            "2022-01-07",
        );
    }

    #[test]
    fn counted_periods() {
        check(
            "three days ago",
            "three days ago",
            "2022-01-04",
            "2022-01-04",
        );
        check("2 weeks ago", "2 weeks ago", "2021-12-20", "2021-12-26");
        check("a year ago", "a year ago", "2021-01-01", "2021-12-31");
        check(
            "six months ago",
            "six months ago",
            "2021-07-01",
            "2021-07-31",
        );
        check(
            "two weeks from now",
            "two weeks from now",
            "2022-01-21",
            "2022-01-21",
        );
        let all = times("for three days", friday());
        assert_eq!(all, [("three days".into(), "-".into(), "-".into())]);
    }

    #[test]
    fn parts_of_months_and_years() {
        check(
            "In late December, 15",
            "late December",
            "2021-12-21",
            "2021-12-31",
        );
        check(
            "in early January",
            "early January",
            "2022-01-01",
            "2022-01-10",
        );
        check("mid-December", "mid-December", "2021-12-11", "2021-12-20");
        check(
            "late December 2020",
            "late December 2020",
            "2020-12-21",
            "2020-12-31",
        );
        check("in early 2012", "early 2012", "2012-01-01", "2012-04-30");
        check("mid-2012", "mid-2012", "2012-05-01", "2012-08-31");
        check(
            "late last year",
            "late last year",
            "2021-09-01",
            "2021-12-31",
        );
        check(
            "by the end of 2021",
            "by the end of 2021",
            "2021-09-01",
            "2021-12-31",
        );
        check(
            "in the early 1990s",
            "the early 1990s",
            "1990-01-01",
            "1993-12-31",
        );
    }

    #[test]
    fn years_and_decades() {
        check("began in 2012 and", "2012", "2012-01-01", "2012-12-31");
        check("by 2023.", "by 2023", "2023-01-01", "2023-12-31");
        check("since 2012,", "since 2012", "2012-01-01", "2022-01-07");
        // Published before the start (found by fuzzing with the earliest date chrono has).
        for published in [ymd(2010, 5, 1), Some(NaiveDate::MIN)] {
            let all = times("since 2012,", published);
            assert_eq!(
                all,
                [("since 2012".into(), "2012-01-01".into(), "-".into())]
            );
        }
        check("before 2012,", "before 2012", "-", "2011-12-31");
        check("in the 1990s", "the 1990s", "1990-01-01", "1999-12-31");
        check("2010s", "2010s", "2010-01-01", "2019-12-31");
        assert_eq!(
            times("from 2012 to 2014", None),
            [
                ("2012".into(), "2012-01-01".into(), "2012-12-31".into()),
                ("2014".into(), "2014-01-01".into(), "2014-12-31".into())
            ]
        );
        check("the 2012-14 crisis", "2012-14", "2012-01-01", "2014-12-31");
        check("the 2012 coup", "2012", "2012-01-01", "2012-12-31");
    }

    #[test]
    fn figures_that_are_not_years() {
        for text in [
            "some 2,500 troops",
            "2500 troops",
            "about 2000 people",
            "1900 soldiers",
            "the Paris 2024 Games",
            "Resolution 2100 says",
            "COVID-2019",
            "$2012",
            "2012%",
            "2012 million",
        ] {
            assert_eq!(times(text, friday()), [], "{text}");
        }
    }

    #[test]
    fn mentions_chain() {
        let all = times(
            "It began in 2012 and spread three years later. A year later it grew; \
             the following year it split. Two days later nothing.",
            friday(),
        );
        let got: Vec<(&str, &str, &str)> = all
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("2012", "2012-01-01", "2012-12-31"),
                ("three years later", "2015-01-01", "2015-12-31"),
                ("A year later", "2016-01-01", "2016-12-31"),
                ("the following year", "2017-01-01", "2017-12-31"),
                ("Two days later", "2017-01-03", "2018-01-02"),
            ]
        );
        check("the next day", "the next day", "-", "-");
        let day_after = times("On 3 May 2020 it fell. The next day it rose.", friday());
        assert_eq!(
            day_after[1],
            (
                "The next day".into(),
                "2020-05-04".into(),
                "2020-05-04".into()
            )
        );
        let previous = times("In 2019 and the previous year", friday());
        assert_eq!(previous[1].1, "2018-01-01");
    }

    #[test]
    fn sets_and_seasons() {
        let toks_text = "every Friday, weekly meetings, on Sundays, every two weeks";
        let toks = scan(toks_text);
        let found = find(
            Tokens {
                text: toks_text,
                toks: &toks,
            },
            friday(),
        );
        let values: Vec<_> = found
            .iter()
            .map(|f| (f.kind, f.value.clone().unwrap()))
            .collect();
        assert_eq!(
            values,
            [
                (TimeKind::Set, "XXXX-WXX-5".to_string()),
                (TimeKind::Set, "P1W".to_string()),
                (TimeKind::Set, "XXXX-WXX-7".to_string()),
                (TimeKind::Set, "P2W".to_string()),
            ]
        );
        check("last summer", "last summer", "2021-06-01", "2021-08-31");
        check(
            "in the summer of 2019",
            "the summer of 2019",
            "2019-06-01",
            "2019-08-31",
        );
        assert_eq!(times("prices fall and spring back", friday()), []);
    }

    #[test]
    fn without_publication_relative_stays_null() {
        let all = times(
            "On Friday, last week and in recent weeks, and on 7 January 2022 in 2012.",
            None,
        );
        let got: Vec<(&str, &str, &str)> = all
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Friday", "-", "-"),
                ("last week", "-", "-"),
                ("in recent weeks", "-", "-"),
                ("7 January 2022", "2022-01-07", "2022-01-07"),
                ("2012", "2012-01-01", "2012-12-31"),
            ]
        );
    }

    #[test]
    fn month_names_that_are_words() {
        assert_eq!(times("May I ask? They march on.", friday()), []);
        check("in May", "May", "2021-05-01", "2021-05-31");
        check(
            "elections will be held in March",
            "March",
            "2022-03-01",
            "2022-03-31",
        );
        assert_eq!(times("June Smith said", friday()), []);
    }

    /// The time expressions of `text` as (text, value), published on `published`.
    fn values(text: &str, published: Option<NaiveDate>) -> Vec<(String, String)> {
        let toks = scan(text);
        find(Tokens { text, toks: &toks }, published)
            .into_iter()
            .map(|f| {
                let span = toks[f.start].start as usize..toks[f.end - 1].end as usize;
                (
                    text[span].to_string(),
                    f.value.unwrap_or_else(|| "-".into()),
                )
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn vague_present_past_and_future() {
        let got = values(
            "Prices are now high and currently rising; current rates rose recently. \
             In the past, the recent slump passed. The future is open; in the near future too.",
            friday(),
        );
        assert_eq!(
            got,
            pairs(&[
                ("now", "PRESENT_REF"),
                ("currently", "PRESENT_REF"),
                ("current", "PRESENT_REF"),
                ("recently", "PAST_REF"),
                ("the past", "PAST_REF"),
                ("recent", "PAST_REF"),
                ("The future", "FUTURE_REF"),
                ("the near future", "FUTURE_REF"),
            ])
        );
        // Vague references have no days and are no mention to count from.
        let all = times(
            "In 2012 it began. Now, three years later, it ended.",
            friday(),
        );
        assert_eq!(all[1], ("Now".into(), "-".into(), "-".into()));
        assert_eq!(all[2].1, "2015-01-01");
        assert_eq!(values("the past president", friday()), []);
    }

    #[test]
    fn quarters() {
        // Published on 7 January 2022, in the first quarter.
        let got = values(
            "Third-quarter profit rose. The fourth quarter was weak. The first quarter will be \
             better. In the second quarter of 2020 and in fiscal 2021 it fell. The fiscal first \
             quarter ended.",
            friday(),
        );
        assert_eq!(
            got,
            pairs(&[
                ("Third-quarter", "2021-Q3"),
                ("The fourth quarter", "2021-Q4"),
                ("The first quarter", "2022-Q1"),
                ("the second quarter of 2020", "2020-Q2"),
                ("fiscal 2021", "2021"),
                ("The fiscal first quarter", "2022-Q1"),
            ])
        );
        // "the quarter" is the one last mentioned, else the last one that ended.
        assert_eq!(
            values(
                "Sales in the second quarter of 2020 rose; in the quarter costs fell.",
                friday()
            )[1],
            ("the quarter".to_string(), "2020-Q2".to_string())
        );
        assert_eq!(
            values("Sales in the latest quarter rose.", friday()),
            pairs(&[("the latest quarter", "2021-Q4")])
        );
        // The latest is the last that ended, whatever was mentioned; a year may come first.
        assert_eq!(
            values(
                "The first quarter began. Sales in the latest quarter and the 2020 second quarter.",
                friday()
            ),
            pairs(&[
                ("The first quarter", "2022-Q1"),
                ("the latest quarter", "2021-Q4"),
                ("the 2020 second quarter", "2020-Q2"),
            ])
        );
        // A future cue does not move a quarter named without a year.
        assert_eq!(
            values("It will report third-quarter results.", friday()),
            pairs(&[("third-quarter", "2021-Q3")])
        );
        // Shares are not times.
        assert_eq!(
            values("a quarter of the vote, three quarters of them", friday()),
            []
        );
    }

    #[test]
    fn a_quarter_of_a_named_year() {
        assert_eq!(
            values(
                "This year's third quarter beat last year's quarter and 2019's first-quarter \
                 sales; this year's results and the past two quarters did not.",
                friday()
            ),
            pairs(&[
                ("This year's third quarter", "2022-Q3"),
                ("last year's quarter", "2021-Q3"),
                ("2019's first-quarter", "2019-Q1"),
                ("this year", "2022"),
                ("the past two quarters", "P2Q"),
            ])
        );
    }

    #[test]
    fn a_year_back_after_a_quarter() {
        let got = values(
            "Third-quarter profit rose from year-earlier profit and from a year ago, and from \
             last year; in the year-ago quarter and in the quarter it did too.",
            friday(),
        );
        assert_eq!(
            got,
            pairs(&[
                ("Third-quarter", "2021-Q3"),
                ("year-earlier", "2020-Q3"),
                ("a year ago", "2020-Q3"),
                ("last year", "2021"),
                ("the year-ago quarter", "2020-Q3"),
                // The comparisons are not what the story moves to.
                ("the quarter", "2021-Q3"),
            ])
        );
        // Without a quarter before, "a year ago" and "last year" are years.
        assert_eq!(
            values("A year ago and last year.", friday()),
            pairs(&[("A year ago", "2021"), ("last year", "2021")])
        );
    }

    #[test]
    fn durations_and_rates_with_an_article() {
        assert_eq!(
            values(
                "It lasted a week, cost $100 a year, and met twice a month.",
                friday()
            ),
            pairs(&[("a week", "P1W"), ("a year", "P1Y"), ("a month", "P1M")])
        );
        let toks_text = "cost $100 a year";
        let toks = scan(toks_text);
        let found = find(
            Tokens {
                text: toks_text,
                toks: &toks,
            },
            friday(),
        );
        assert_eq!(found[0].kind, TimeKind::Set);
        // "a day" is mostly a rate: left alone.
        assert_eq!(values("three meals a day", friday()), []);
    }

    #[test]
    fn timeml_values_of_windows_parts_of_days_and_weekends() {
        assert_eq!(
            values(
                "over the past two months, in recent years, earlier this year, Friday night, \
                 yesterday morning, tonight, over the weekend, since 2012",
                friday()
            ),
            pairs(&[
                ("the past two months", "P2M"),
                ("in recent years", "PXY"),
                ("earlier this year", "2022"),
                ("Friday night", "2022-01-07TNI"),
                ("yesterday morning", "2022-01-06TMO"),
                ("tonight", "2022-01-07TNI"),
                ("the weekend", "2021-W52-WE"),
                ("since 2012", "2012"),
            ])
        );
    }

    #[test]
    fn more_future_cues() {
        assert_eq!(
            values("A summit is expected in April.", friday()),
            pairs(&[("April", "2022-04")])
        );
        assert_eq!(
            values("It must end by May.", friday()),
            pairs(&[("by May", "2022-05")])
        );
        // Before a weekday "until" often looks back.
        assert_eq!(
            values("Until Tuesday, they had not called.", friday()),
            pairs(&[("Until Tuesday", "2022-01-04")])
        );
        assert_eq!(
            values("Talks are set to resume on Tuesday.", friday()),
            pairs(&[("Tuesday", "2022-01-11")])
        );
    }

    #[test]
    fn a_bare_month_is_the_nearer_with_months_ahead_counting_double() {
        // Published in January: February is one month ahead (two doubled) against eleven
        // back; October is nine ahead against three back.
        assert_eq!(
            values(
                "The case is heard in February; it was filed in October.",
                friday()
            ),
            pairs(&[("February", "2022-02"), ("October", "2021-10")])
        );
        // June: five months ahead (ten doubled) against seven back.
        assert_eq!(
            values("It opened in June.", friday()),
            pairs(&[("June", "2021-06")])
        );
    }

    #[test]
    fn a_day_and_month_ahead_counts_double() {
        // Published on 6 May 2022: 23 October 2021 is 195 days back, 23 October 2022 170
        // days ahead (340 doubled).
        let may = ymd(2022, 5, 6);
        assert_eq!(
            values("He was shot on Oct. 23.", may),
            pairs(&[("Oct. 23", "2021-10-23")])
        );
        assert_eq!(
            values("A vote will be held on Oct. 23.", may),
            pairs(&[("Oct. 23", "2022-10-23")])
        );
        // A day just ahead is still the nearest.
        assert_eq!(values("on May 9", may), pairs(&[("May 9", "2022-05-09")]));
    }

    #[test]
    fn times_of_day() {
        assert_eq!(
            values(
                "It began at 9 a.m. Tuesday, ended at 10:35 pm, resumed at noon Thursday and \
                 at 4 a.m. EST, Jan. 3.",
                friday()
            ),
            pairs(&[
                ("9 a.m. Tuesday", "2022-01-04T09:00"),
                // No day named: the day last mentioned.
                ("10:35 pm", "2022-01-04T22:35"),
                ("noon Thursday", "2022-01-06T12:00"),
                ("4 a.m. EST, Jan. 3", "2022-01-03T04:00"),
            ])
        );
        // A figure with "a" after it is no time of day.
        assert_eq!(values("9 a day, I am 12 am I", friday()).len(), 1);
    }

    #[test]
    fn decade_long_is_not_a_time() {
        // "five-year" is a length (TimeML's duration); "decade-long" is not a time.
        assert_eq!(
            values(
                "a decade-long insurgency and a five-year transition",
                friday()
            ),
            pairs(&[("five-year", "P5Y")])
        );
    }

    /// (text, value, precision) of every time expression, through the crate's public
    /// [`crate::find_times`] (which fills the precision).
    fn resolved(text: &str) -> Vec<(String, String, String)> {
        crate::find_times(text, friday(), &sitrep_model::CharIndex::new(text))
            .into_iter()
            .map(|t| {
                let precision = t
                    .precision
                    .map_or("-".to_string(), |p| format!("{p:?}").to_lowercase());
                (t.text, t.value.unwrap_or_else(|| "-".into()), precision)
            })
            .collect()
    }

    fn triples(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        list.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn precision_follows_the_value() {
        // Published Friday 7 January 2022.
        assert_eq!(
            resolved(
                "The mayor spoke on 3 March 2021 and again last week; the plant shut in \
                 June 2020, reopened in the third quarter of 2021 and expects to grow this year."
            ),
            triples(&[
                ("3 March 2021", "2021-03-03", "day"),
                ("last week", "2021-W52", "week"),
                ("June 2020", "2020-06", "month"),
                ("the third quarter of 2021", "2021-Q3", "quarter"),
                ("this year", "2022", "year"),
            ])
        );
        assert_eq!(
            resolved(
                "Farms fenced the valley in the 1950s, early in the 19th century the \
                 river moved, and the ferry left at 6 p.m. Tuesday."
            ),
            triples(&[
                ("the 1950s", "195X", "decade"),
                ("the 19th century", "18", "century"),
                ("6 p.m. Tuesday", "2022-01-04T18:00", "time"),
            ])
        );
        // A part of a period keeps its precision; durations, sets and vague references
        // have none.
        assert_eq!(
            resolved(
                "Prices rose in late 2019, the talks lasted three days, the council meets \
                 every Monday and rents are high now."
            ),
            triples(&[
                ("late 2019", "2019", "year"),
                ("three days", "P3D", "-"),
                ("every Monday", "XXXX-WXX-1", "-"),
                ("now", "PRESENT_REF", "-"),
            ])
        );
        assert_eq!(
            resolved("Crews worked through Saturday night and the storm passed over the weekend."),
            triples(&[
                ("Saturday night", "2022-01-08TNI", "time"),
                ("the weekend", "2021-W52-WE", "week"),
            ])
        );
    }

    #[test]
    fn lengths_as_adjectives_and_in_hours() {
        assert_eq!(
            values(
                "The union signed a two-year deal after a 16-hour session, then took a \
                 30-day break; a 10-year-old boy watched.",
                friday()
            ),
            pairs(&[
                ("two-year", "P2Y"),
                ("16-hour", "PT16H"),
                ("30-day", "P30D")
            ])
        );
        assert_eq!(
            values(
                "The vote took five hours, the count one minute, and the appeal an hour.",
                friday()
            ),
            pairs(&[
                ("five hours", "PT5H"),
                ("one minute", "PT1M"),
                ("an hour", "PT1H")
            ])
        );
        // "a second" is "another", not a length.
        assert_eq!(
            values("He asked for a second chance.", friday()),
            pairs(&[])
        );
    }

    #[test]
    fn unknown_counts_of_periods() {
        assert_eq!(
            values(
                "The dispute ran for several years, calmed for a few days and flared again \
                 in the next several days; it began several years ago.",
                friday()
            ),
            pairs(&[
                ("several years", "PXY"),
                ("a few days", "PXD"),
                ("in the next several days", "PXD"),
                ("several years ago", "PAST_REF"),
            ])
        );
    }

    #[test]
    fn years_in_words_and_centuries() {
        assert_eq!(
            values(
                "The bridge opened in nineteen eighty-four and closed in March nineteen \
                 ninety-one; its towers date from the 12th century.",
                friday()
            ),
            pairs(&[
                ("nineteen eighty-four", "1984"),
                ("March nineteen ninety-one", "1991-03"),
                ("the 12th century", "11"),
            ])
        );
    }

    #[test]
    fn past_perfect_and_adjective_cues_do_not_point_ahead() {
        // Published Friday 7 January 2022.
        assert_eq!(
            values(
                "The offer had been due to expire Wednesday. Shares fell on weaker-than-expected \
                 sales Thursday. The board is planning to meet Monday.",
                friday()
            ),
            pairs(&[
                ("Wednesday", "2022-01-05"),
                ("Thursday", "2022-01-06"),
                ("Monday", "2022-01-10"),
            ])
        );
    }

    #[test]
    fn months_of_a_named_year_and_lengths_of_unknown_count() {
        // Published Friday 7 January 2022.
        assert_eq!(
            values(
                "Talks broke down in June last year and resumed in February this year; \
                 the two sides had not met for years and expect a deal within weeks.",
                friday()
            ),
            pairs(&[
                ("June last year", "2021-06"),
                ("February this year", "2022-02"),
                ("years", "PXY"),
                ("weeks", "PXW"),
            ])
        );
        assert_eq!(
            values(
                "Shares hit a five year low; revenue for the year ended June 30 fell, and \
                 the full year looks weak.",
                friday()
            ),
            pairs(&[
                ("five year", "P5Y"),
                ("the year", "P1Y"),
                ("June 30", "2021-06-30"),
                ("the full year", "2022"),
            ])
        );
    }

    #[test]
    fn holidays_and_the_year_of_a_report() {
        // Published Friday 7 January 2022.
        assert_eq!(
            values(
                "The boat sank on Thanksgiving Day and the crew was home by Christmas; \
                 the mayor lost on Election Day. Next Thanksgiving they will sail again.",
                friday()
            ),
            pairs(&[
                ("Thanksgiving Day", "2021-11-25"),
                ("by Christmas", "2021-12-25"),
                ("Election Day", "2021-11-02"),
                ("Next Thanksgiving", "2022-11-24"),
            ])
        );
        assert_eq!(
            values(
                "Sales for the year rose, but the year before, they fell; the year's best \
                 month was May.",
                friday()
            ),
            pairs(&[("the year", "2022"), ("the year before", "2021")])
        );
        assert_eq!(
            values("The bug was feared for the year two thousand.", friday()),
            pairs(&[("the year two thousand", "2000")])
        );
    }

    #[test]
    fn quarters_compared_a_year_back() {
        // Published Friday 7 January 2022: the last third quarter began in 2021.
        assert_eq!(
            values(
                "Third-quarter sales rose to $5 million from $4 million a year earlier, and \
                 year-earlier profit was lower. In the 2020 quarter costs were high; in the \
                 year-ago third quarter they were higher.",
                friday()
            ),
            pairs(&[
                ("Third-quarter", "2021-Q3"),
                ("a year earlier", "2020-Q3"),
                ("year-earlier", "2020-Q3"),
                ("the 2020 quarter", "2020-Q3"),
                ("the year-ago third quarter", "2020-Q3"),
            ])
        );
    }

    #[test]
    fn halves_the_past_year_and_weeks_ago() {
        assert_eq!(
            values(
                "Output fell in the first half of 2021 and over the past year; the plant \
                 closed three weeks ago and expects more losses in the current fiscal year.",
                friday()
            ),
            pairs(&[
                ("the first half of 2021", "2021-H1"),
                ("the past year", "2021"),
                ("three weeks ago", "2021-W50"),
                ("the current fiscal year", "2022"),
            ])
        );
    }

    #[test]
    fn halves_sets_of_months_and_the_day_of_a_time() {
        assert_eq!(
            values(
                "The siege lasted 2 1/2 years and the final assault 5 1/2 hours; pilgrims \
                 come each July and every summer.",
                friday()
            ),
            pairs(&[
                ("2 1/2 years", "P2Y6M"),
                ("5 1/2 hours", "PT5H30M"),
                ("each July", "XXXX-07"),
                ("every summer", "XXXX-SU"),
            ])
        );
        // Published Friday 7 January 2022.
        assert_eq!(
            values(
                "The blast came at 10:35 a.m. (0735 GMT) Wednesday. On Monday the guards \
                 changed at 6 a.m.",
                friday()
            ),
            pairs(&[
                ("10:35 a.m.", "2022-01-05T10:35"),
                ("Wednesday", "2022-01-05"),
                ("Monday", "2022-01-03"),
                ("6 a.m.", "2022-01-03T06:00"),
            ])
        );
    }

    #[test]
    fn seasons_year_ends_and_small_counts() {
        // Published Friday 7 January 2022.
        assert_eq!(
            values(
                "Rivals cut prices over the summer and this past spring, and the fall in \
                 demand hurt.",
                friday()
            ),
            pairs(&[("the summer", "2021-SU"), ("this past spring", "2021-SP"),])
        );
        assert_eq!(
            values(
                "The envoy stays two more weeks, talks resume in a couple of years, and a \
                 three hour meeting is planned for the weeks ahead.",
                friday()
            ),
            pairs(&[
                ("two more weeks", "P2W"),
                ("a couple of years", "P2Y"),
                ("three hour", "PT3H"),
                ("the weeks ahead", "PXW"),
            ])
        );
    }
}
