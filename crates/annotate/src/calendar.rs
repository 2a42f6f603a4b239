//! Calendar arithmetic on inclusive day ranges: the building blocks the time annotator
//! resolves expressions to. Every function returns `None` instead of panicking when a date
//! falls outside chrono's range.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::lexicon::{Period, Season};

/// An inclusive range of days.
pub(crate) type Span = (NaiveDate, NaiveDate);

pub(crate) fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

pub(crate) fn day_span(d: NaiveDate) -> Span {
    (d, d)
}

pub(crate) fn month_span(year: i32, month: u32) -> Option<Span> {
    let first = ymd(year, month, 1)?;
    let next = first.checked_add_months(Months::new(1))?;
    Some((first, next.pred_opt()?))
}

pub(crate) fn year_span(year: i32) -> Option<Span> {
    Some((ymd(year, 1, 1)?, ymd(year, 12, 31)?))
}

pub(crate) fn decade_span(first_year: i32) -> Option<Span> {
    Some((ymd(first_year, 1, 1)?, ymd(first_year + 9, 12, 31)?))
}

/// Monday to Sunday around `d`.
pub(crate) fn week_span(d: NaiveDate) -> Option<Span> {
    let monday = d.checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))?;
    Some((monday, monday.checked_add_days(Days::new(6))?))
}

/// Meteorological seasons of the northern hemisphere; winter `year` runs from December of
/// that year into February of the next.
pub(crate) fn season_span(year: i32, season: Season) -> Option<Span> {
    let (from_month, months) = match season {
        Season::Spring => (3, 3),
        Season::Summer => (6, 3),
        Season::Autumn => (9, 3),
        Season::Winter => (12, 3),
    };
    let first = ymd(year, from_month, 1)?;
    Some((
        first,
        first.checked_add_months(Months::new(months))?.pred_opt()?,
    ))
}

pub(crate) fn season_code(season: Season) -> &'static str {
    match season {
        Season::Spring => "SP",
        Season::Summer => "SU",
        Season::Autumn => "FA",
        Season::Winter => "WI",
    }
}

/// `d` moved by `n` periods (negative: back). Months and years clamp to the month's end.
pub(crate) fn shift(d: NaiveDate, n: i64, period: Period) -> Option<NaiveDate> {
    let months = |m: i64| {
        let m = Months::new(u32::try_from(m.unsigned_abs()).ok()?);
        if n < 0 {
            d.checked_sub_months(m)
        } else {
            d.checked_add_months(m)
        }
    };
    let days = |k: i64| {
        let k = Days::new(k.unsigned_abs());
        if n < 0 {
            d.checked_sub_days(k)
        } else {
            d.checked_add_days(k)
        }
    };
    match period {
        Period::Day => days(n),
        Period::Week => days(n.checked_mul(7)?),
        Period::Month => months(n),
        Period::Quarter => months(n.checked_mul(3)?),
        Period::Year => months(n.checked_mul(12)?),
        Period::Decade => months(n.checked_mul(120)?),
    }
}

pub(crate) fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    shift(d, n, Period::Day)
}

/// The quarter (1-4) `d` is in.
pub(crate) fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

/// Quarter `q` (1-4) of `year`.
pub(crate) fn quarter_span(year: i32, q: u32) -> Option<Span> {
    let (first, _) = month_span(year, 3 * q - 2)?;
    let (_, last) = month_span(year, 3 * q)?;
    Some((first, last))
}

/// The calendar period of kind `period` that contains `d`.
pub(crate) fn period_span(d: NaiveDate, period: Period) -> Option<Span> {
    match period {
        Period::Day => Some(day_span(d)),
        Period::Week => week_span(d),
        Period::Month => month_span(d.year(), d.month()),
        Period::Quarter => quarter_span(d.year(), quarter_of(d)),
        Period::Year => year_span(d.year()),
        Period::Decade => decade_span(d.year() - d.year().rem_euclid(10)),
    }
}

/// TimeML-style value of the calendar period containing `d`.
pub(crate) fn period_value(d: NaiveDate, period: Period) -> String {
    match period {
        Period::Day => d.to_string(),
        Period::Week => {
            let w = d.iso_week();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
        Period::Month => format!("{:04}-{:02}", d.year(), d.month()),
        Period::Quarter => format!("{:04}-Q{}", d.year(), quarter_of(d)),
        Period::Year => format!("{:04}", d.year()),
        Period::Decade => format!("{:03}X", d.year().div_euclid(10)),
    }
}

pub(crate) fn period_letter(period: Period) -> &'static str {
    match period {
        Period::Day => "D",
        Period::Week => "W",
        Period::Month => "M",
        Period::Quarter => "Q",
        Period::Year | Period::Decade => "Y",
    }
}

/// Which occurrence of a weekday, month or season a bare or modified name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Bare name in a past-tense report: the latest on or before publication.
    Past,
    /// Bare name in a future-tense clause: the first on or after publication.
    Future,
    /// "last": strictly before the publication day (or month).
    Last,
    /// "next": strictly after.
    Next,
    /// "this": the one in the current week, month or year.
    This,
}

pub(crate) fn weekday_date(published: NaiveDate, day: u8, dir: Direction) -> Option<NaiveDate> {
    let today = published.weekday().num_days_from_monday() as i64;
    let day = i64::from(day);
    let back = (today - day).rem_euclid(7);
    let forward = (day - today).rem_euclid(7);
    match dir {
        Direction::Past => add_days(published, -back),
        Direction::Last => add_days(published, -(if back == 0 { 7 } else { back })),
        Direction::Future => add_days(published, forward),
        Direction::Next => add_days(published, if forward == 0 { 7 } else { forward }),
        Direction::This => add_days(week_span(published)?.0, day),
    }
}

/// The year of a month named without one.
pub(crate) fn month_year(published: NaiveDate, month: u32, dir: Direction) -> i32 {
    let (y, m) = (published.year(), published.month());
    match dir {
        Direction::Past => y - i32::from(month > m),
        Direction::Future => y + i32::from(month < m),
        Direction::Last => y - i32::from(month >= m),
        Direction::Next => y + i32::from(month <= m),
        Direction::This => y,
    }
}

/// The occurrence of a season a bare or modified season name means.
pub(crate) fn season_occurrence(
    published: NaiveDate,
    season: Season,
    dir: Direction,
) -> Option<(i32, Span)> {
    let y = published.year();
    let candidates = (y - 2..=y + 1).filter_map(|year| Some((year, season_span(year, season)?)));
    let mut list: Vec<(i32, Span)> = candidates.collect();
    list.sort_by_key(|(_, s)| s.0);
    let found = match dir {
        Direction::Past => list.iter().rev().find(|(_, s)| s.0 <= published),
        Direction::Last => list.iter().rev().find(|(_, s)| s.1 < published),
        Direction::Future => list.iter().find(|(_, s)| s.1 >= published),
        Direction::Next => list.iter().find(|(_, s)| s.0 > published),
        Direction::This => list
            .iter()
            .find(|(_, s)| s.0 <= published && published <= s.1)
            .or_else(|| list.iter().find(|(year, _)| *year == y)),
    };
    found.copied()
}

/// The Saturday and Sunday a weekend phrase means.
pub(crate) fn weekend(published: NaiveDate, dir: Direction) -> Option<Span> {
    const SATURDAY: u8 = 5;
    let saturday = match (dir, published.weekday()) {
        (Direction::Next, _) => add_days(weekday_date(published, SATURDAY, Direction::This)?, 7)?,
        // On a Sunday, "last weekend" is not the one that ends today.
        (Direction::Last, Weekday::Sun) => {
            add_days(weekday_date(published, SATURDAY, Direction::Past)?, -7)?
        }
        _ => weekday_date(published, SATURDAY, dir)?,
    };
    Some((saturday, add_days(saturday, 1)?))
}

/// Narrows a period to its early, middle or late part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Early,
    Mid,
    Late,
}

/// The part of `span` (a week, month, year or decade, per `period`). Months split at days
/// 10 and 20, years into thirds (January-April, May-August, September-December), decades
/// into years 0-3, 4-6, 7-9, weeks into Monday-Tuesday, Wednesday-Thursday, Friday-Sunday.
pub(crate) fn part_of(span: Span, period: Period, part: Part) -> Option<Span> {
    let (from, to) = span;
    match period {
        Period::Day => Some(span),
        Period::Week => match part {
            Part::Early => Some((from, add_days(from, 1)?)),
            Part::Mid => Some((add_days(from, 2)?, add_days(from, 3)?)),
            Part::Late => Some((add_days(from, 4)?, to)),
        },
        Period::Month => match part {
            Part::Early => Some((from, ymd(from.year(), from.month(), 10)?)),
            Part::Mid => Some((
                ymd(from.year(), from.month(), 11)?,
                ymd(from.year(), from.month(), 20)?,
            )),
            Part::Late => Some((ymd(from.year(), from.month(), 21)?, to)),
        },
        // A quarter's months.
        Period::Quarter => {
            let month = |k: u32| month_span(from.year(), from.month() + k);
            match part {
                Part::Early => month(0),
                Part::Mid => month(1),
                Part::Late => month(2),
            }
        }
        Period::Year => {
            let y = from.year();
            match part {
                Part::Early => Some((from, ymd(y, 4, 30)?)),
                Part::Mid => Some((ymd(y, 5, 1)?, ymd(y, 8, 31)?)),
                Part::Late => Some((ymd(y, 9, 1)?, to)),
            }
        }
        Period::Decade => {
            let y = from.year();
            match part {
                Part::Early => Some((from, ymd(y + 3, 12, 31)?)),
                Part::Mid => Some((ymd(y + 4, 1, 1)?, ymd(y + 6, 12, 31)?)),
                Part::Late => Some((ymd(y + 7, 1, 1)?, to)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        ymd(y, m, day).unwrap()
    }

    #[test]
    fn weekdays_around_a_friday() {
        let friday = d(2022, 1, 7);
        assert_eq!(weekday_date(friday, 4, Direction::Past), Some(friday));
        assert_eq!(
            weekday_date(friday, 1, Direction::Past),
            Some(d(2022, 1, 4))
        );
        assert_eq!(
            weekday_date(friday, 4, Direction::Last),
            Some(d(2021, 12, 31))
        );
        assert_eq!(
            weekday_date(friday, 4, Direction::Next),
            Some(d(2022, 1, 14))
        );
        assert_eq!(
            weekday_date(friday, 1, Direction::Future),
            Some(d(2022, 1, 11))
        );
        assert_eq!(
            weekday_date(friday, 0, Direction::This),
            Some(d(2022, 1, 3))
        );
    }

    #[test]
    fn months_and_shifts() {
        let p = d(2022, 1, 7);
        assert_eq!(month_year(p, 12, Direction::Past), 2021);
        assert_eq!(month_year(p, 1, Direction::Past), 2022);
        assert_eq!(month_year(p, 1, Direction::Last), 2021);
        assert_eq!(month_year(p, 3, Direction::Future), 2022);
        assert_eq!(month_span(2024, 2), Some((d(2024, 2, 1), d(2024, 2, 29))));
        assert_eq!(shift(d(2012, 1, 1), 3, Period::Year), Some(d(2015, 1, 1)));
        assert_eq!(
            shift(d(2022, 3, 31), -1, Period::Month),
            Some(d(2022, 2, 28))
        );
        assert_eq!(period_value(p, Period::Decade), "202X");
        assert_eq!(period_value(p, Period::Week), "2022-W01");
    }

    #[test]
    fn parts_seasons_weekends() {
        let dec = month_span(2021, 12).unwrap();
        assert_eq!(
            part_of(dec, Period::Month, Part::Late),
            Some((d(2021, 12, 21), d(2021, 12, 31)))
        );
        let p = d(2022, 1, 7);
        assert_eq!(
            season_occurrence(p, Season::Summer, Direction::Last).map(|x| x.1),
            Some((d(2021, 6, 1), d(2021, 8, 31)))
        );
        assert_eq!(
            season_occurrence(p, Season::Winter, Direction::This).map(|x| x.1),
            Some((d(2021, 12, 1), d(2022, 2, 28)))
        );
        assert_eq!(
            weekend(p, Direction::Past),
            Some((d(2022, 1, 1), d(2022, 1, 2)))
        );
        assert_eq!(
            weekend(p, Direction::This),
            Some((d(2022, 1, 8), d(2022, 1, 9)))
        );
        let sunday = d(2022, 1, 9);
        assert_eq!(
            weekend(sunday, Direction::Past),
            Some((d(2022, 1, 8), sunday))
        );
        assert_eq!(
            weekend(sunday, Direction::Last),
            Some((d(2022, 1, 1), d(2022, 1, 2)))
        );
    }
}
