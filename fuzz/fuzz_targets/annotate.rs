//! Times and quantities (crates/annotate) on any text: `annotate` on the text's analysis as
//! the pipeline calls it (sentences and tokens; the tagger and parser do not change what is
//! matched), and `find_times` / `find_quantities`, which split the text themselves.
//!
//! The option byte picks the publication date: none, the earliest and latest dates chrono
//! has (a hostile input's metadata can say "+262143-12-31"), or a day within a few years of
//! 2022-01-07.
//!
//! Checks beyond "no panic": every span is inside the text, in text order, with the text it
//! claims; a unit span has the unit's text; resolved days and bounds are ordered (from <=
//! to, low <= high); no quantity overlaps a time expression; the two ways of calling agree.
#![no_main]

use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;
use sitrep_annotate::{annotate, find_quantities, find_times};
use sitrep_fuzz::{lossy, take_byte};
use sitrep_model::CharIndex;
use sitrep_nlp::Analysis;

fn published(option: u8) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(2022, 1, 7)?;
    match option {
        0 => None,
        1 => Some(NaiveDate::MIN),
        2 => Some(NaiveDate::MAX),
        n => base.checked_add_days(Days::new(u64::from(n) * 13)),
    }
}

fn span(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}

fuzz_target!(|data: &[u8]| {
    let (option, bytes) = take_byte(data);
    let text = lossy(bytes);
    let text = text.as_ref();
    let published = published(option);
    let ix = CharIndex::new(text);
    let chars: Vec<char> = text.chars().collect();
    let analysis = Analysis::tokens_only(text);
    let (times, quantities) = annotate(text, &analysis, published, &ix);

    let mut last = 0;
    for t in &times {
        assert!(t.start < t.end && t.end <= chars.len(), "time {t:?}");
        assert!(t.start >= last, "times out of order at {t:?}");
        last = t.start;
        assert_eq!(span(&chars, t.start, t.end), t.text, "time text");
        if let (Some(from), Some(to)) = (t.from, t.to) {
            assert!(from <= to, "time {t:?} ends before it starts");
        }
    }
    let mut last = 0;
    for q in &quantities {
        assert!(q.start < q.end && q.end <= chars.len(), "quantity {q:?}");
        assert!(q.start >= last, "quantities out of order at {q:?}");
        last = q.start;
        assert_eq!(span(&chars, q.start, q.end), q.text, "quantity text");
        for v in [q.value, q.low, q.high].into_iter().flatten() {
            assert!(v.is_finite(), "quantity {q:?} is not a finite number");
        }
        if let (Some(low), Some(high)) = (q.low, q.high) {
            assert!(low <= high, "quantity {q:?}: low above high");
        }
        match (q.unit_start, q.unit_end) {
            (None, None) => {}
            (Some(s), Some(e)) => {
                assert!(s < e && e <= chars.len(), "unit span of {q:?}");
                assert_eq!(Some(span(&chars, s, e)), q.unit, "unit text of {q:?}");
            }
            _ => panic!("half a unit span in {q:?}"),
        }
        for t in &times {
            assert!(
                q.end <= t.start || t.end <= q.start,
                "quantity {q:?} overlaps time {t:?}"
            );
        }
    }

    assert_eq!(
        find_times(text, published, &ix),
        times,
        "find_times and annotate differ"
    );
    assert_eq!(
        find_quantities(text, &times, &ix),
        quantities,
        "find_quantities and annotate differ"
    );
});
