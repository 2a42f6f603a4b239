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

#[cfg(test)]
mod tests {
    use super::*;

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
