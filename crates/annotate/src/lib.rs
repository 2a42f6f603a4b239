//! Time expressions and quantities in a news body.
//!
//! [`find_times`] finds dates and other time expressions and resolves each to an inclusive
//! range of days, against the publication date where the expression is relative to it
//! ("Friday", "last week") and against the previous expression where it is relative to a
//! mention ("three years later"). [`find_quantities`] finds counts, percentages and sums of
//! money, with the noun phrase that says what is counted. [`annotate`] does both on a
//! document's [`Analysis`].
//!
//! # Design
//!
//! The analysis's tokens are cut once into word, number and punctuation pieces ([`scan`]:
//! the pipeline's one tokenizer and sentence splitter, nothing of its own); every word
//! is classified by one hash lookup in a lexicon ([`lexicon`]: month and weekday names,
//! number words, time words, currencies, plus the closed-class words and verbs listed in
//! `data/lexicon/`). Both annotators then walk the tokens left to right and try, at each
//! token, only the patterns that its class can open, keeping the longest match. There are
//! no regular expressions and no allocation per token, so the cost is linear with a small
//! constant: about 50 MB/s of on-CPU time on one core for an 8 MB body, and about 70 MB/s
//! over 4 KB documents, on generated news text far denser in dates and numbers than real
//! copy (measured with a release build on a loaded 2-core machine). Output spans are
//! code-point offsets: byte offsets converted by counting characters forward (spans come in
//! text order), with the [`CharIndex`] for any offset behind the last one.
//!
//! Quantities skip every token inside a time expression, which is what keeps "2012" in
//! "in 2012" and "7" in "7 January" from being counted.
//!
//! # Conventions for times
//!
//! | Expression | Resolves to |
//! |---|---|
//! | weekday ("Friday", "on Tuesday") | the latest such day on or before publication (the publication day itself when it is that weekday), except the day after publication rather than six days back ("Saturday" in a Friday story); the first on or after publication when the clause before it has a future cue ("will", "scheduled", "upcoming", "expected", "due", "set", "soon") |
//! | "Friday night", "yesterday morning", "tonight" | that day; the value adds TimeML's part of day ("2022-01-07TNI", "TMO", "TAF", "TEV") |
//! | "last Friday" / "next Friday" / "this Friday" | strictly before / strictly after / in the publication's Monday-Sunday week |
//! | month without year ("in December") | the nearer occurrence, a month ahead counting twice as far as a month back (the publication month itself is this year's); the next one from publication with a future cue or right after "by"/"until"; "May" and "March" count as months only after a preposition |
//! | day and month without year ("Jan 7") | the occurrence nearest to publication, a day ahead counting twice as far as a day back (ties go to the past); with a future cue, the first on or after publication |
//! | runs of days ("Jan. 7-8", "2 and 3 February", "7 to 9 January") | those days |
//! | "last/this/next week, month, quarter, year" | the calendar period (weeks run Monday to Sunday); "the weekend" has the value "2022-W01-WE" |
//! | "third quarter", "third-quarter", "the fiscal first quarter", "the second quarter of 2020" | that calendar quarter ("2021-Q3") of the year given (before or after: "the 2020 second quarter"), else of the year in which it last began by publication, future cue or not; "fiscal 2021" is the year |
//! | "the quarter"; "the latest quarter" | the quarter last mentioned, else the last one that ended before publication; the last one that ended |
//! | "this year's third quarter", "last year's quarter" | that quarter of the year named (the quarter last mentioned when none is named) |
//! | "9 a.m. Tuesday", "10:35 pm", "noon Thursday", "4 a.m. EST, Jan. 3" | the day named right after the time (also after a short aside in brackets, "10:35 a.m. (0735 GMT) Friday", which stays out of the span), else the last day mentioned, else the publication day; value "2022-01-04T09:00" |
//! | "year-earlier", "the year-ago quarter"; "a year ago" right after a quarter | the last mention a year back ("2020-Q3"): a comparison, which later expressions do not count from; "last year" right after a quarter is the year before publication, also a comparison |
//! | "now", "currently", "current"; "recently", "recent", "the past"; "the future" | no days; value `PRESENT_REF`, `PAST_REF`, `FUTURE_REF` |
//! | "in recent days/weeks/months/years", "the past few …", "the coming …" | a window ending (or starting) at publication: 7 days, 4 weeks, 3 months, 3 years (3 decades); value `PXD`, `PXW`, `PXM`, `PXY` |
//! | "the past week", "the last three years", "the next two weeks" | that many periods back or forward from publication, publication included; value `P1W`, `P3Y`, `P2W` |
//! | "Thanksgiving (Day)", "Christmas (Eve)", "Election Day", "Labor Day", "Memorial Day", "New Year's Day/Eve", "Halloween" | that day (US dates), the nearer occurrence, one ahead counting double; "last"/"next" before it pick the one before or after publication |
//! | "the first half of 1990", "the last half of 1989" | those six months; value "1990-H1", "1989-H2" |
//! | "the past year", "the last year" | the trailing year (as "the past week"), but the value is the calendar year before publication's ("2021"), as TimeML annotators give it |
//! | "the 1988 quarter"; "the 1988 period" after a quarter; "the year-ago third quarter" | the quarter last mentioned (or named) in that year, a year back for "year-ago": a comparison |
//! | "for the year", "of the year"; "the full year"; "the current fiscal year"; "the year two thousand" | the publication year (a report's); the year named |
//! | "N days ago" | that day; "N weeks ago" that week (value "2021-W51"); "N months ago" that month; "N years ago" that year |
//! | "early / mid / late" | days 1-10 / 11-20 / 21-end of a month; January-April / May-August / September-December of a year; years 0-3 / 4-6 / 7-9 of a decade. "the beginning/start of" = early, "the end of" = late |
//! | bare year ("2012") | that year, when the figure is 1800-2100 and reads as a year: after a preposition or "the", at the end of a clause, and not after an approximator ("about 2000"), before a scale, "%" or currency, right after a capitalised name ("France 2024") or before a plural noun with no cue ("1900 troops") |
//! | "by 2023", "until 2023" | the year (the span includes the preposition); "since 2012" runs from 2012 to publication; "before 2012" has no start and "after 2012" no end; the value is the named time's ("2012") |
//! | "the 1990s", "2012-2014" | the whole decade or run of years; "from 2012 to 2014" and "between 2012 and 2014" are two years, each its own expression (as TimeML annotates them) |
//! | "N years later/earlier", "the following/previous year", "that year" | the last expression with known days (windows like "in recent weeks" excepted), moved. A move by a unit at least as coarse as that expression keeps its shape ("2012" + 3 years = all of 2015); a finer move shifts both ends. With no such expression before, `from`/`to` stay null |
//! | "three days" (no "ago"/"later"), "a week", "two to three weeks" | a duration: no days, value `P3D`, `P1W`; "decade-long" is an adjective, not a time, but a length as one is a duration ("five-year", "16-hour", "a five year low": `P5Y`, `PT16H`; not an age, "10-year-old"); "five hours" `PT5H`; "several years", "a few days", "for years" `PXY`, `PXD`; "the year ended June 30" `P1Y`; "a quarter of", "three quarters of" are shares; "a day" is left alone (mostly a rate) |
//! | "$100 a year", "twice a month" | a set, value `P1Y` |
//! | "every Friday", "weekly", "on Sundays"; "each July", "every summer" | a set, value `XXXX-WXX-5`, `P1W`; `XXXX-07`, `XXXX-SU` |
//! | "2 1/2 years", "5 1/2 hours" | a duration, value `P2Y6M`, `PT5H30M` |
//! | seasons | meteorological, northern hemisphere; only with a year, "last/this/next/this past", or "the" ("over the summer": the latest begun by publication, the next in a future clause; not "the fall", mostly a drop) |
//! | "two more weeks", "a couple of years", "the weeks ahead", "a three hour meeting" | durations `P2W`, `P2Y`, `PXW`, `PT3H` |
//! | "7/1/2022" | reported as a date with no days: 7 January and July 1 are both common. Slashed dates resolve only when one field is over 12; "7.1.2022" is day-month-year |
//!
//! Without a publication date every expression relative to it keeps `from` and `to` null;
//! absolute ones still resolve. Values follow TimeML where one applies ("2022-01-07",
//! "2021-12", "2021-Q3", "2012", "199X", "2022-W01", "P3D", "PXM" for windows, "PAST_REF").
//!
//! # Conventions for quantities
//!
//! Vague amounts get `low`/`high` bounds and `approx: true`:
//!
//! | Words | low | high |
//! |---|---|---|
//! | a few | 2 | 5 |
//! | a handful of | 2 | 5 |
//! | a couple of | value 2 | |
//! | several | 3 | 9 |
//! | a few hundred / thousand | 200 / 2,000 | 500 / 5,000 |
//! | several hundred / thousand / dozen | 300 / 3,000 / 36 | 900 / 9,000 / 108 |
//! | dozens | 24 | 100 |
//! | hundreds / thousands / millions | 200 / 2,000 / 2,000,000 | 900 / 9,000 / 9,000,000 |
//! | tens of thousands | 20,000 | 90,000 |
//! | hundreds of thousands | 200,000 | 900,000 |
//!
//! "several" and "a few" alone count only with a noun after them ("several parts"). An
//! approximator before the amount ("about", "some", "nearly", "an estimated", "more than",
//! "up to", ...) sets `approx`; bounds ("more than", "at least", "up to", "fewer than",
//! "over", ...) are also kept as `qualifier`. Ranges ("2,500-3,000", "2,500 to 3,000",
//! "between 10 and 20", "two or three") set `low` and `high` and leave `value` null; "from
//! 5 to 10" is read as two amounts (a change), not a range. A figure followed by "%",
//! "percent" or "per cent" is a percentage (unit "percent"); a currency sign, code or word
//! makes it money, with the ISO code as unit where the currency is unambiguous ("$" and
//! "dollars" are taken as US dollars, as in wire copy) and the word otherwise ("franc",
//! "CFA franc").
//!
//! The unit of a count is the noun phrase after the amount (after "of" and a determiner:
//! "hundreds of people", "two of the soldiers"): up to five words, stopping at a closed-class
//! word or verb from the lexicon, a word shaped like a verb or adverb (-ed, -ing, -ly) after
//! the first, a capitalised word after a lowercase one, punctuation, or right after a
//! lowercase plural ("15 Western countries condemned" → "Western countries"). With no noun
//! after it, a count takes the unit of the nearest count before it in the same sentence
//! ("roughly 5,000 troops ... to 2,500-3,000" → "troops"), except right after a verb form
//! ("killing 12"), whose object is seldom the same thing. `unit_start`/`unit_end` are set
//! only when the unit is a span of the text (not for currency codes or "percent").
//!
//! Not counted: numbers inside time expressions, ordinals ("3rd"), "one" as a determiner
//! ("One officer", "one of the"), numbers glued to words ("G5", "COVID-19", "five-year",
//! "15-member"), labels ("Article 5", "No. 5", "France 24"), times of day ("10:30",
//! "10 am"), phone numbers and other runs of figures, malformed or version-like figures
//! ("1.2.3"), and scores ("3-1").

mod calendar;
mod lexicon;
mod numbers;
pub mod places;
mod quantities;
mod scan;
mod times;

use chrono::NaiveDate;
use sitrep_model::{CharIndex, Quantity, TimeExpr, TimeKind, TimePrecision};
use sitrep_nlp::Analysis;

use numbers::Tokens;
use scan::Token;

/// Finds the time expressions of `text` (a cleaned body) in text order, resolved against
/// `published` where they are relative to it. Splits the text itself, without models: a
/// pipeline that has an [`Analysis`] calls [`annotate`].
///
/// ```
/// use chrono::NaiveDate;
/// use sitrep_model::CharIndex;
/// let text = "Advisers arrived in recent weeks, officials said Friday.";
/// let times = sitrep_annotate::find_times(text, NaiveDate::from_ymd_opt(2022, 1, 7), &CharIndex::new(text));
/// assert_eq!(times[1].text, "Friday");
/// assert_eq!(times[1].from, NaiveDate::from_ymd_opt(2022, 1, 7));
/// ```
pub fn find_times(text: &str, published: Option<NaiveDate>, ix: &CharIndex) -> Vec<TimeExpr> {
    let tokens = scan::scan(text);
    times_of(text, &tokens, published, ix)
}

/// Finds the quantities of `text`, skipping numbers inside the given time expressions
/// (code-point spans, as [`find_times`] returns them).
///
/// ```
/// use sitrep_model::CharIndex;
/// let text = "France has roughly 5,000 troops in the region.";
/// let q = sitrep_annotate::find_quantities(text, &[], &CharIndex::new(text));
/// assert_eq!((q[0].text.as_str(), q[0].value, q[0].unit.as_deref()), ("roughly 5,000", Some(5000.0), Some("troops")));
/// ```
pub fn find_quantities(text: &str, times: &[TimeExpr], ix: &CharIndex) -> Vec<Quantity> {
    let tokens = scan::scan(text);
    quantities_of(text, &tokens, times, ix)
}

/// Both annotations of a document, matched on the tokens and sentences of its analysis.
pub fn annotate(
    text: &str,
    analysis: &Analysis,
    published: Option<NaiveDate>,
    ix: &CharIndex,
) -> (Vec<TimeExpr>, Vec<Quantity>) {
    let tokens = scan::from_analysis(text, analysis);
    let times = times_of(text, &tokens, published, ix);
    let quantities = quantities_of(text, &tokens, &times, ix);
    (times, quantities)
}

/// Converts byte offsets to code points. Offsets come mostly in increasing order, so it
/// counts characters forward from the last one (linear over the text, and cache-friendly on
/// long documents) and asks the [`CharIndex`] only for an offset behind it.
struct Offsets<'a> {
    text: &'a [u8],
    ix: &'a CharIndex,
    byte: usize,
    char: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str, ix: &'a CharIndex) -> Offsets<'a> {
        Offsets {
            text: text.as_bytes(),
            ix,
            byte: 0,
            char: 0,
        }
    }

    fn char_at(&mut self, byte: usize) -> usize {
        if byte < self.byte || byte > self.text.len() {
            return self.ix.to_char(byte);
        }
        // Every byte that does not continue a UTF-8 sequence starts a character.
        let skipped = &self.text[self.byte..byte];
        self.char += skipped.iter().filter(|&&b| (b as i8) >= -0x40).count();
        self.byte = byte;
        self.char
    }
}

/// The byte range of tokens `start..end`.
fn byte_span(tokens: &[Token], start: usize, end: usize) -> (usize, usize) {
    (tokens[start].start as usize, tokens[end - 1].end as usize)
}

fn times_of(
    text: &str,
    tokens: &[Token],
    published: Option<NaiveDate>,
    ix: &CharIndex,
) -> Vec<TimeExpr> {
    let t = Tokens { text, toks: tokens };
    let mut offsets = Offsets::new(text, ix);
    times::find(t, published)
        .into_iter()
        .map(|f| {
            let (s, e) = byte_span(tokens, f.start, f.end);
            let (start, end) = (offsets.char_at(s), offsets.char_at(e));
            TimeExpr {
                text: text[s..e].to_string(),
                start,
                end,
                from: f.from,
                to: f.to,
                kind: f.kind,
                anchor: f.anchor,
                value: f.value,
                // A resolved date or range without a named unit ("two days later" after a
                // day) is as precise as its days when it is one.
                precision: match f.kind {
                    TimeKind::Date | TimeKind::Range => f.precision.or_else(|| {
                        (f.from.is_some() && f.from == f.to).then_some(TimePrecision::Day)
                    }),
                    TimeKind::Duration | TimeKind::Set => None,
                },
            }
        })
        .collect()
}

fn quantities_of(
    text: &str,
    tokens: &[Token],
    times: &[TimeExpr],
    ix: &CharIndex,
) -> Vec<Quantity> {
    let mut time_bytes: Vec<(usize, usize)> = times
        .iter()
        .map(|t| (ix.to_byte(t.start), ix.to_byte(t.end)))
        .filter(|(s, e)| s < e)
        .collect();
    time_bytes.sort_unstable();
    let t = Tokens { text, toks: tokens };
    let mut offsets = Offsets::new(text, ix);
    quantities::find(t, &time_bytes)
        .into_iter()
        .map(|q| {
            let (s, e) = byte_span(tokens, q.start, q.end);
            let (start, end) = (offsets.char_at(s), offsets.char_at(e));
            let (unit, unit_start, unit_end) = match q.unit {
                Some(quantities::Unit::Text { start, end }) => {
                    let (us, ue) = (offsets.char_at(start), offsets.char_at(end));
                    (Some(text[start..end].to_string()), Some(us), Some(ue))
                }
                Some(quantities::Unit::Named(name)) => (Some(name.to_string()), None, None),
                None => (None, None, None),
            };
            Quantity {
                text: text[s..e].to_string(),
                start,
                end,
                value: q.value,
                low: q.low,
                high: q.high,
                approx: q.approx,
                unit,
                unit_start,
                unit_end,
                kind: q.kind,
                qualifier: q.qualifier.map(str::to_string),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sitrep_model::{QuantityKind, TimeAnchor, TimeKind};

    /// Both annotations of `text` split without models, published on 7 January 2022.
    fn annotate_on_7_january(text: &str, ix: &CharIndex) -> (Vec<TimeExpr>, Vec<Quantity>) {
        annotate(
            text,
            &Analysis::tokens_only(text),
            NaiveDate::from_ymd_opt(2022, 1, 7),
            ix,
        )
    }

    fn slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn spans_are_code_points() {
        let text = "“Mali’s army” said on Friday that about 400 Russian soldiers arrived in 2021.";
        let ix = CharIndex::new(text);
        let (times, quantities) = annotate_on_7_january(text, &ix);
        let friday = &times[0];
        assert_eq!(friday.text, "Friday");
        assert_eq!(slice(text, friday.start, friday.end), "Friday");
        assert_eq!(
            (friday.kind, friday.anchor),
            (TimeKind::Date, TimeAnchor::Published)
        );
        assert_eq!(times[1].text, "2021");
        assert_eq!(times[1].anchor, TimeAnchor::Absolute);
        let q = &quantities[0];
        assert_eq!(slice(text, q.start, q.end), "about 400");
        assert_eq!(
            slice(text, q.unit_start.unwrap(), q.unit_end.unwrap()),
            "Russian soldiers"
        );
        assert_eq!(q.kind, QuantityKind::Count);
        assert_eq!(quantities.len(), 1, "2021 is a time, not a count");
    }

    #[test]
    fn find_quantities_respects_given_times() {
        let text = "In 2012, 300 people fled.";
        let ix = CharIndex::new(text);
        let times = find_times(text, None, &ix);
        let with = find_quantities(text, &times, &ix);
        assert_eq!(with.len(), 1);
        assert_eq!(with[0].value, Some(300.0));
        // Without the times the year is just a figure: callers pass the times.
        let without = find_quantities(text, &[], &ix);
        assert_eq!(without.len(), 2);
    }

    #[test]
    fn outputs_are_sorted_by_start() {
        let text = "On 3 May 2020, 12 people died; two days later, about 40% more; by 2023, $5m.";
        let ix = CharIndex::new(text);
        let (times, quantities) = annotate_on_7_january(text, &ix);
        assert!(times.windows(2).all(|w| w[0].start < w[1].start));
        assert!(quantities.windows(2).all(|w| w[0].start < w[1].start));
        assert_eq!(times.len(), 3);
        assert_eq!(quantities.len(), 3);
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_match(s in "\\PC{0,120}") {
            check_spans(&s)?;
        }

        #[test]
        fn newsy_input_never_panics(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("about"), Just("400"), Just("2,500"), Just("-"), Just("3,000"),
                    Just("in"), Just("2012"), Just("late"), Just("December"), Just("Friday"),
                    Just("three"), Just("years"), Just("later"), Just("the"), Just("following"),
                    Just("year"), Just("$"), Just("5"), Just("million"), Just("%"), Just("."),
                    Just("several"), Just("hundred"), Just("troops"), Just("’s"), Just("/"),
                    Just("7"), Just("Jan"), Just("mid"), Just("between"), Just("and"),
                    Just("1990s"), Just("ago"), Just("of"), Just("a"), Just("dozen"),
                    Just("9999"), Just("31"), Just("02"), Just("\u{202F}"), Just("é"),
                ],
                0..40,
            ),
            glue in proptest::collection::vec(any::<bool>(), 40),
        ) {
            let mut text = String::new();
            for (w, g) in words.iter().zip(&glue) {
                if !g && !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(w);
            }
            check_spans(&text)?;
            for published in [NaiveDate::from_ymd_opt(1, 1, 1), NaiveDate::from_ymd_opt(262_000, 12, 31)] {
                let ix = CharIndex::new(&text);
                let _ = annotate(&text, &Analysis::tokens_only(&text), published, &ix);
            }
        }
    }

    fn check_spans(s: &str) -> Result<(), TestCaseError> {
        let ix = CharIndex::new(s);
        let (times, quantities) = annotate_on_7_january(s, &ix);
        for t in &times {
            prop_assert_eq!(&slice(s, t.start, t.end), &t.text);
            if let (Some(from), Some(to)) = (t.from, t.to) {
                prop_assert!(from <= to, "{:?}", t);
            }
        }
        for q in &quantities {
            prop_assert_eq!(&slice(s, q.start, q.end), &q.text);
            if let (Some(us), Some(ue), Some(unit)) = (q.unit_start, q.unit_end, q.unit.as_ref()) {
                prop_assert_eq!(&slice(s, us, ue), unit);
            }
            if let (Some(low), Some(high)) = (q.low, q.high) {
                prop_assert!(low < high, "{:?}", q);
            }
        }
        prop_assert!(times.windows(2).all(|w| w[0].end <= w[1].start));
        prop_assert!(quantities.windows(2).all(|w| w[0].end <= w[1].start));
        Ok(())
    }
}
