//! Publication dates of metadata strings, as every reader writes them: JSON Lines fields,
//! feed dates, HTML `<meta>` and JSON-LD dates.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// The publication date of a metadata string: a date (`2022-01-07`), an RFC 3339 / ISO 8601
/// datetime (its date as written, whatever the offset), or an RFC 2822 feed date.
///
/// ```
/// use chrono::NaiveDate;
/// use sitrep_read::parse_published;
/// let jan7 = NaiveDate::from_ymd_opt(2022, 1, 7);
/// assert_eq!(parse_published("2022-01-07"), jan7);
/// assert_eq!(parse_published("2022-01-07T23:30:00-05:00"), jan7);
/// assert_eq!(parse_published("Fri, 07 Jan 2022 10:00:00 +0000"), jan7);
/// assert_eq!(parse_published("last Friday"), None);
/// ```
pub fn parse_published(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(date);
    }
    if let Ok(datetime) = DateTime::parse_from_rfc3339(s) {
        return Some(datetime.date_naive());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(datetime) = NaiveDateTime::parse_from_str(s, format) {
            return Some(datetime.date());
        }
    }
    if let Ok(datetime) = DateTime::parse_from_rfc2822(s) {
        return Some(datetime.date_naive());
    }
    // Other ISO-like datetimes ("2022-01-07T10:00:00+0100", "2022-01-07 10:00 UTC"): the date
    // part is what we need.
    let (date, rest) = (s.get(..10)?, &s[10..]);
    if rest.starts_with(['T', ' ']) {
        return NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
    }
    None
}

/// A publication date written into a file name or a URL path, as archives and news sites
/// name their stories: `breitbart_2016-09-12_story.txt`, `20160912-story.html`,
/// `https://example.com/2019/11/20/story/`, `news/2019_11_20/`. The last path segment is
/// searched first (a file's own name says more than its folder), then the whole path.
/// Years outside 1900–2099, impossible days, and digits that run on ("120160912") are not
/// dates; a URL's host and query are not searched.
///
/// ```
/// use chrono::NaiveDate;
/// use sitrep_read::date_in_name;
/// let d = NaiveDate::from_ymd_opt(2016, 9, 12);
/// assert_eq!(date_in_name("corpus/breitbart_2016-09-12_tax-plan.txt"), d);
/// assert_eq!(date_in_name("https://example.com/2016/09/12/tax-plan/"), d);
/// assert_eq!(date_in_name("notes/tax-plan.txt"), None);
/// ```
pub fn date_in_name(name: &str) -> Option<NaiveDate> {
    // A URL: only its path counts.
    let path = match name.split_once("://") {
        Some((_, rest)) => {
            let rest = rest.split(['?', '#']).next().unwrap_or("");
            rest.find('/').map_or("", |i| &rest[i..])
        }
        None => name,
    };
    let path = path.trim_end_matches('/');
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    date_in_text(file).or_else(|| date_in_text(path))
}

/// The first date in `s` written as year, month, day with one separator (`-`, `_`, `.` or
/// `/`) or none (`20160912`), not inside a longer run of digits.
fn date_in_text(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |i: usize, n: usize| -> Option<u32> {
        let part = b.get(i..i + n)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |v, d| v * 10 + u32::from(d - b'0')))
    };
    for start in 0..b.len() {
        if !b[start].is_ascii_digit() || (start > 0 && b[start - 1].is_ascii_digit()) {
            continue;
        }
        let Some(year) = digits(start, 4).filter(|y| (1900..2100).contains(y)) else {
            continue;
        };
        let mut i = start + 4;
        let sep = b
            .get(i)
            .copied()
            .filter(|c| matches!(c, b'-' | b'_' | b'.' | b'/'));
        if sep.is_some() {
            i += 1;
        }
        let Some(month) = digits(i, 2) else { continue };
        i += 2;
        if let Some(sep) = sep {
            if b.get(i) != Some(&sep) {
                continue;
            }
            i += 1;
        }
        let Some(day) = digits(i, 2) else { continue };
        i += 2;
        if b.get(i).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        if let Some(date) = NaiveDate::from_ymd_opt(year as i32, month, day) {
            return Some(date);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_file_names_and_urls() {
        let d = NaiveDate::from_ymd_opt(2016, 9, 12);
        for s in [
            "breitbart_2016-09-12_tax-plan.txt",
            "/data/news/breitbart_2016-09-12_tax-plan.txt",
            "20160912-tax-plan.html",
            "reuters.2016.09.12.tax.txt",
            "archive/2016_09_12/story.txt",
            "archive/2016/09/12/story.txt",
            "https://example.com/2016/09/12/tax-plan/",
            "https://example.com/politics/2016-09-12/tax-plan?ref=2019-01-01",
            "https://example.com/2016/09/12/",
            "corpus.jsonl:3"
                .replace("corpus", "feed-2016-09-12")
                .as_str(),
        ] {
            assert_eq!(date_in_name(s), d, "{s}");
        }
        // The file's own date wins over its folder's.
        assert_eq!(
            date_in_name("2015-01-01/story_2016-09-12.txt"),
            d,
            "file name first"
        );
        for s in [
            "",
            "story.txt",
            "id_120160912.txt",
            "story-2016-13-45.txt",
            "2016-09.txt",
            "https://2016-09-12.example.com/story",
            "https://example.com/story?date=2016-09-12",
            "1850-01-01.txt",
            "2016-09/12.txt",
        ] {
            assert_eq!(date_in_name(s), None, "{s}");
        }
    }

    #[test]
    fn published_formats() {
        let jan7 = NaiveDate::from_ymd_opt(2022, 1, 7);
        for s in [
            "2022-01-07",
            " 2022-01-07 ",
            "2022-01-07T10:00:00Z",
            "2022-01-07T10:00:00.123+01:00",
            "2022-01-07T10:00:00",
            "2022-01-07 10:00:00",
            "2022-01-07T10:00",
            "2022-01-07T10:00:00+0100",
            "Fri, 07 Jan 2022 10:00:00 GMT",
        ] {
            assert_eq!(parse_published(s), jan7, "{s}");
        }
        for s in ["", "07/01/2022", "2022-13-45", "yesterday", "2022-01-07x"] {
            assert_eq!(parse_published(s), None, "{s}");
        }
    }
}
