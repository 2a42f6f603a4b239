//! Quantities: counts, shares and sums of money, with what they count.
//!
//! The walk visits each token once. Only figures, number words, vague amounts ("several",
//! "hundreds", "a few") and currency signs can open a quantity; from there the matcher reads
//! the amount (a number, a range, or a vague amount), looks back for an approximator
//! ("about", "more than") or "between", looks forward for "%", "percent" or a currency word,
//! and finally for the unit: the noun phrase after the amount. Tokens inside time
//! expressions are skipped, so "2012" in "in 2012" and "7" in "7 January" never count.

use crate::lexicon::{Lex, currency_symbol, currency_unit};
use crate::numbers::{Number, Tokens, read_number};
use crate::scan::Kind;
use sitrep_model::QuantityKind;

/// Words before an amount that make it approximate, longest first; the second element is
/// the qualifier kept for bounds ("more than 400" is not "about 400").
const APPROXIMATORS: &[(&[&str], Option<&str>)] = &[
    (&["no", "more", "than"], Some("no more than")),
    (&["as", "many", "as"], Some("as many as")),
    (&["as", "much", "as"], Some("as much as")),
    (&["as", "few", "as"], Some("as few as")),
    (&["more", "than"], Some("more than")),
    (&["fewer", "than"], Some("fewer than")),
    (&["less", "than"], Some("less than")),
    (&["at", "least"], Some("at least")),
    (&["at", "most"], Some("at most")),
    (&["up", "to"], Some("up to")),
    (&["upwards", "of"], Some("upwards of")),
    (&["just", "over"], Some("just over")),
    (&["just", "under"], Some("just under")),
    (&["well", "over"], Some("well over")),
    (&["an", "estimated"], None),
    (&["close", "to"], None),
    (&["over"], Some("over")),
    (&["under"], Some("under")),
    (&["above"], Some("above")),
    (&["below"], Some("below")),
    (&["about"], None),
    (&["around"], None),
    (&["roughly"], None),
    (&["some"], None),
    (&["nearly"], None),
    (&["almost"], None),
    (&["approximately"], None),
    (&["estimated"], None),
    (&["circa"], None),
];

/// Words right after a figure that make it a time of day.
const CLOCK_WORDS: &[&str] = &["am", "pm", "gmt", "utc", "hrs", "hours", "h"];

/// What a quantity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// A span of the text (byte offsets).
    Text { start: usize, end: usize },
    /// A name that is not a span: a currency code, "percent".
    Named(&'static str),
}

/// A quantity found on the tokens.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub approx: bool,
    pub qualifier: Option<&'static str>,
    pub kind: QuantityKind,
    pub unit: Option<Unit>,
    sentence: u32,
}

/// The amount read at a position, before its approximator, suffix and unit.
struct Amount {
    end: usize,
    value: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    approx: bool,
    /// A bare vague word ("several") that counts only with a noun after it.
    needs_unit: bool,
}

struct Matcher<'a> {
    t: Tokens<'a>,
    /// Byte ranges of the time expressions, sorted.
    times: &'a [(usize, usize)],
}

/// Finds the quantities in the tokens outside the `times` byte ranges (sorted by start).
pub(crate) fn find(t: Tokens, times: &[(usize, usize)]) -> Vec<Found> {
    let m = Matcher { t, times };
    let mut out: Vec<Found> = Vec::new();
    let mut floor = 0;
    let mut i = 0;
    while i < t.len() {
        match m.at(i, floor) {
            Some(mut q) => {
                // "killing 12": the object of a verb is not the thing counted before.
                let after_verb = q.start > 0
                    && t.is_word(q.start - 1)
                    && !t.cap(q.start - 1)
                    && is_lower_word_ending(t.str(q.start - 1), &["ed", "ing"]);
                if q.unit.is_none() && q.kind == QuantityKind::Count && !after_verb {
                    q.unit = out
                        .iter()
                        .rev()
                        .take_while(|p| p.sentence == q.sentence)
                        .find(|p| p.kind == QuantityKind::Count && p.unit.is_some())
                        .and_then(|p| p.unit);
                }
                i = q.end.max(i + 1);
                floor = i;
                out.push(q);
            }
            None => i += 1,
        }
    }
    out
}

fn is_lower_word_ending(w: &str, suffixes: &[&str]) -> bool {
    w.len() > 3 && suffixes.iter().any(|s| w.ends_with(s))
}

/// A lowercase word that looks like a plural noun: the head of a unit phrase.
fn plural_like(w: &str) -> bool {
    w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
}

impl Matcher<'_> {
    fn in_time(&self, i: usize) -> bool {
        let Some(tok) = self.t.toks.get(i) else {
            return false;
        };
        let (s, e) = (tok.start as usize, tok.end as usize);
        let k = self.times.partition_point(|&(_, end)| end <= s);
        self.times.get(k).is_some_and(|&(start, _)| start < e)
    }

    fn at(&self, i: usize, floor: usize) -> Option<Found> {
        let t = &self.t;
        let tok = t.toks[i];
        // The cheap test first: most tokens cannot open a quantity.
        let opens = match tok.kind {
            Kind::Num => true,
            Kind::Punct(c) => currency_symbol(c).is_some(),
            Kind::Word => matches!(
                tok.lex,
                Lex::Number(_)
                    | Lex::Article
                    | Lex::Half
                    | Lex::Several
                    | Lex::Multiples(_)
                    | Lex::Tens
                    | Lex::Dozens
                    | Lex::Currency(_)
            ),
        };
        if !opens || self.in_time(i) {
            return None;
        }
        // A currency before the amount: "$5 million", "US$5", "CFA 10,000 francs".
        let (mut start, mut currency, j) = match tok.kind {
            Kind::Punct(c) => {
                let sign = currency_symbol(c)?;
                let us = i > 0 && t.glued(i) && t.word_is(i - 1, "US");
                (if us { i - 1 } else { i }, Some(sign), i + 1)
            }
            Kind::Word => match tok.lex {
                Lex::Currency(code) if tok.cap && t.is_num(i + 1) => (i, Some(code), i + 1),
                Lex::Currency(_) => return None,
                _ => (i, None, i),
            },
            Kind::Num => (i, None, i),
        };
        if self.in_time(j) {
            return None;
        }
        let between = start > floor && t.lex(start - 1) == Lex::Between;
        let mut amount = self.amount(j, currency.is_some(), between)?;
        if between {
            start -= 1;
        }
        // Approximators before.
        let mut qualifier = None;
        if !between && let Some((len, q)) = self.approximator(start, floor) {
            start -= len;
            amount.approx = true;
            qualifier = q;
        }
        // Suffixes: percent, currency words, "or so", "or more".
        let mut end = amount.end;
        let mut kind = QuantityKind::Count;
        let mut unit = None;
        if t.is_punct(end, '%') || t.lex(end) == Lex::Percent {
            kind = QuantityKind::Percent;
            unit = Some(Unit::Named("percent"));
            end += 1;
        } else if t.lex(end) == Lex::Per && t.lex(end + 1) == Lex::Cent {
            kind = QuantityKind::Percent;
            unit = Some(Unit::Named("percent"));
            end += 2;
        } else if t.word_is(end, "percentage") && matches!(t.str(end + 1), "points" | "point") {
            kind = QuantityKind::Percent;
            unit = Some(Unit::Named("percentage points"));
            end += 2;
        } else if let Some((code, after)) = self.currency_word(end) {
            // "10,000 CFA francs" and "CFA 10,000 francs" both name the CFA franc.
            if currency.is_none_or(|c| currency_unit(c) != "CFA franc") {
                currency = Some(code);
            }
            end = after;
        } else if t.lex(end) == Lex::Of
            && let Some((code, after)) = self.currency_word(end + 1)
            && amount.value.is_none()
        {
            // "millions of dollars"
            currency = Some(code);
            end = after;
        }
        if let Some(code) = currency {
            kind = QuantityKind::Money;
            unit = Some(Unit::Named(currency_unit(code)));
        }
        if t.lex(end) == Lex::Or {
            if t.word_is(end + 1, "so") {
                amount.approx = true;
                end += 2;
            } else if t.word_is(end + 1, "more") && !t.is_word(end + 2) {
                amount.approx = true;
                qualifier = qualifier.or(Some("or more"));
                end += 2;
            }
        }
        if unit.is_none() {
            unit = self.unit_after(end).map(|(s, e)| Unit::Text {
                start: t.toks[s].start as usize,
                end: t.toks[e - 1].end as usize,
            });
        }
        if amount.needs_unit && unit.is_none() {
            return None;
        }
        Some(Found {
            start,
            end,
            value: amount.value,
            low: amount.low,
            high: amount.high,
            approx: amount.approx,
            qualifier,
            kind,
            unit,
            sentence: tok.sentence,
        })
    }

    /// An approximator phrase ending right before `start`: its length in tokens and its
    /// qualifier.
    fn approximator(&self, start: usize, floor: usize) -> Option<(usize, Option<&'static str>)> {
        let t = &self.t;
        APPROXIMATORS.iter().find_map(|&(words, qualifier)| {
            let len = words.len();
            if start < floor + len {
                return None;
            }
            let first = start - len;
            let all = words
                .iter()
                .enumerate()
                .all(|(k, w)| t.word_is(first + k, w) && t.same_sentence(first + k, start));
            all.then_some((len, qualifier))
        })
    }

    /// A currency word at `k` ("francs", "CFA francs", "US dollars"): its index and the
    /// token after it.
    fn currency_word(&self, k: usize) -> Option<(u8, usize)> {
        let t = &self.t;
        match (t.lex(k), t.lex(k + 1)) {
            (Lex::Currency(cfa), Lex::Currency(_)) if currency_unit(cfa) == "CFA franc" => {
                Some((cfa, k + 2))
            }
            (Lex::Currency(code), _) => Some((code, k + 1)),
            (Lex::Stop, Lex::Currency(code)) if t.word_is(k, "US") && t.cap(k) => {
                Some((code, k + 2))
            }
            _ => None,
        }
    }

    /// The amount at `j`: a vague amount, a number, or a range of two numbers.
    fn amount(&self, j: usize, money: bool, between: bool) -> Option<Amount> {
        let t = &self.t;
        if !between && let Some(vague) = self.vague(j) {
            return Some(vague);
        }
        let first = self.number(j, money, false)?;
        let mut amount = Amount {
            end: first.end,
            value: Some(first.value),
            low: None,
            high: None,
            approx: false,
            needs_unit: false,
        };
        // Ranges: "2,500-3,000", "2,500 to 3,000", "between 10 and 20", "two or three".
        let k = first.end;
        let dash = t.is_dash(k)
            && ((t.glued(k) && t.glued(k + 1)) || (t.punct(k) != Some('-') && !t.glued(k)));
        let connector = match t.lex(k) {
            Lex::And if between => true,
            Lex::To => !(j > 0 && t.lex(j - 1) == Lex::From),
            Lex::Or => !first.figures,
            _ => false,
        };
        let second = if dash || connector {
            let at = if money && t.punct(k + 1).and_then(currency_symbol).is_some() {
                k + 2
            } else {
                k + 1
            };
            self.number(at, money, true)
                .filter(|n| n.figures == first.figures && !self.in_time(at))
        } else {
            None
        };
        match second {
            Some(second) => {
                let low = if first.scale == 1.0 && second.scale > 1.0 {
                    first.value * second.scale
                } else {
                    first.value
                };
                if low >= second.value {
                    // "3-1" is a score, not a range; neither figure counts anything.
                    return if dash { None } else { Some(amount) };
                }
                amount.value = None;
                amount.low = Some(low);
                amount.high = Some(second.value);
                amount.end = second.end;
                amount.approx = t.lex(k) == Lex::Or;
            }
            None if between => return None,
            None if dash && first.figures && t.is_num(k + 1) => return None,
            None => {}
        }
        if first.bare_one && amount.value.is_some() {
            return None;
        }
        Some(amount)
    }

    /// A number at `j` that counts something: not a label, an identifier, a time of day or
    /// part of a word. `second` is set for the upper end of a range, which follows a dash.
    fn number(&self, j: usize, money: bool, second: bool) -> Option<Number> {
        let t = &self.t;
        if t.is_num(j) && !second {
            if j > 0 && t.glued(j) {
                match t.toks[j - 1].kind {
                    Kind::Word | Kind::Num => return None,
                    Kind::Punct(c)
                        if currency_symbol(c).is_none()
                            && !matches!(c, '(' | '"' | '“' | '‘' | '[') =>
                    {
                        return None;
                    }
                    _ => {}
                }
            }
            if j > 0 {
                // "Article 5", "No. 5", "France 24".
                let prev = if t.is_punct(j - 1, '.') && j > 1 {
                    j - 2
                } else {
                    j - 1
                };
                if t.lex(prev) == Lex::Label {
                    return None;
                }
                let name_like = t.is_word(j - 1)
                    && t.cap(j - 1)
                    && t.lex(j - 1) == Lex::None
                    && j >= 2
                    && t.same_sentence(j - 2, j)
                    && t.str(j).bytes().all(|b| b.is_ascii_digit());
                if name_like || t.is_num(j - 1) {
                    return None;
                }
            }
            // Phone numbers and figure runs ("20 22 33 44").
            if t.is_num(j + 1) {
                return None;
            }
        }
        let n = read_number(t, j, money)?;
        let after = n.end;
        if t.glued(after) {
            // "3rd", "5km", "10:30", "24/7", "five-year", "15-member".
            if t.is_word(after) || t.is_num(after) {
                return None;
            }
            match t.punct(after) {
                Some(':' | '/') => return None,
                Some(_) if t.is_dash(after) && t.is_word(after + 1) && t.glued(after + 1) => {
                    return None;
                }
                _ => {}
            }
        }
        if n.figures {
            let w = t.str(after);
            if t.is_word(after) && CLOCK_WORDS.iter().any(|c| c.eq_ignore_ascii_case(w)) {
                return None;
            }
            // "10 a.m."
            if (t.word_is(after, "a") || t.word_is(after, "p"))
                && t.is_punct(after + 1, '.')
                && t.glued(after + 1)
                && t.word_is(after + 2, "m")
            {
                return None;
            }
        }
        if !n.figures && n.bare_one && t.lex(after) == Lex::Of {
            return None;
        }
        Some(n)
    }

    /// "several hundred", "a few", "hundreds", "tens of thousands", "dozens". See the crate
    /// docs for the bounds.
    fn vague(&self, j: usize) -> Option<Amount> {
        let t = &self.t;
        let scaled = |k: usize| match t.lex(k) {
            Lex::Scale(e) => Some(10f64.powi(i32::from(e))),
            Lex::Dozen => Some(12.0),
            _ => None,
        };
        let make = |end: usize, low: f64, high: f64, needs_unit: bool| Amount {
            end,
            value: None,
            low: Some(low),
            high: Some(high),
            approx: true,
            needs_unit,
        };
        match t.lex(j) {
            Lex::Several => Some(match scaled(j + 1) {
                Some(s) => make(j + 2, 3.0 * s, 9.0 * s, false),
                None => make(j + 1, 3.0, 9.0, true),
            }),
            Lex::Article => match t.lex(j + 1) {
                Lex::Few => Some(match scaled(j + 2) {
                    Some(s) => make(j + 3, 2.0 * s, 5.0 * s, false),
                    None => make(j + 2, 2.0, 5.0, true),
                }),
                Lex::Handful if t.lex(j + 2) == Lex::Of => Some(make(j + 2, 2.0, 5.0, true)),
                Lex::Couple if t.lex(j + 2) == Lex::Of => Some(Amount {
                    end: j + 2,
                    value: Some(2.0),
                    low: None,
                    high: None,
                    approx: true,
                    needs_unit: true,
                }),
                _ => None,
            },
            Lex::Multiples(e) => {
                let s = 10f64.powi(i32::from(e));
                // "hundreds of thousands", "thousands of millions"
                if t.lex(j + 1) == Lex::Of
                    && let Lex::Multiples(e2) = t.lex(j + 2)
                    && e2 > e
                {
                    let s2 = 10f64.powi(i32::from(e2));
                    return Some(make(j + 3, 2.0 * s * s2, 9.0 * s * s2, false));
                }
                Some(make(j + 1, 2.0 * s, 9.0 * s, false))
            }
            Lex::Tens => match (t.lex(j + 1), t.lex(j + 2)) {
                (Lex::Of, Lex::Multiples(e)) => {
                    let s = 10f64.powi(i32::from(e));
                    Some(make(j + 3, 20.0 * s, 90.0 * s, false))
                }
                _ => None,
            },
            Lex::Dozens => Some(make(j + 1, 24.0, 100.0, false)),
            _ => None,
        }
    }

    /// The noun phrase after token `k` that names what is counted: token range.
    fn unit_after(&self, k: usize) -> Option<(usize, usize)> {
        let t = &self.t;
        let mut j = k;
        if t.lex(j) == Lex::Of {
            j += 1;
            // "two of the soldiers", "hundreds of their supporters"
            let determiner = [
                "the", "these", "those", "their", "its", "his", "her", "our", "whom",
            ]
            .iter()
            .any(|d| t.word_is(j, d));
            if determiner {
                j += 1;
            }
        }
        let first = j;
        let mut last = None;
        let mut words = 0;
        let mut prev_lower = false;
        while words < 5 && t.is_word(j) && !self.in_time(j) && t.lex(j).in_unit() {
            if !t.same_sentence(first, j) {
                break;
            }
            let w = t.str(j);
            let lower = !t.cap(j);
            let verb_shaped = lower && is_lower_word_ending(w, &["ed", "ing"]);
            if words > 0
                && ((t.cap(j) && prev_lower)
                    || verb_shaped
                    || (lower && is_lower_word_ending(w, &["ly"])))
            {
                break;
            }
            if words == 0 && verb_shaped {
                // "400 armed men" but not "3 killed": a participle needs a noun after it.
                let next_ok = t.is_word(j + 1)
                    && t.lex(j + 1).in_unit()
                    && !is_lower_word_ending(t.str(j + 1), &["ed", "ing", "ly"]);
                if !next_ok {
                    break;
                }
            }
            // Hyphenated compounds are one word: "pro-Russian", "peace-keeping".
            let mut e = j;
            while t.is_dash(e + 1) && t.glued(e + 1) && t.glued(e + 2) && t.is_word(e + 2) {
                e += 2;
            }
            words += 1;
            last = Some(e + 1);
            prev_lower = lower;
            if lower && plural_like(t.str(e)) {
                break;
            }
            j = e + 1;
        }
        last.map(|end| (first, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    #[derive(Debug, PartialEq)]
    struct Q {
        text: String,
        value: Option<f64>,
        low: Option<f64>,
        high: Option<f64>,
        approx: bool,
        unit: Option<String>,
        kind: QuantityKind,
        qualifier: Option<&'static str>,
    }

    fn quantities(text: &str) -> Vec<Q> {
        let toks = scan(text);
        let t = Tokens { text, toks: &toks };
        let times = crate::times::find(t, None);
        let spans: Vec<(usize, usize)> = times
            .iter()
            .map(|f| (toks[f.start].start as usize, toks[f.end - 1].end as usize))
            .collect();
        find(t, &spans)
            .into_iter()
            .map(|f| Q {
                text: text[toks[f.start].start as usize..toks[f.end - 1].end as usize].to_string(),
                value: f.value,
                low: f.low,
                high: f.high,
                approx: f.approx,
                unit: f.unit.map(|u| match u {
                    Unit::Text { start, end } => text[start..end].to_string(),
                    Unit::Named(name) => name.to_string(),
                }),
                kind: f.kind,
                qualifier: f.qualifier,
            })
            .collect()
    }

    fn one(text: &str) -> Q {
        let mut all = quantities(text);
        assert_eq!(all.len(), 1, "{text}: {all:?}");
        all.remove(0)
    }

    fn point(text: &str, span: &str, value: f64, approx: bool, unit: Option<&str>) {
        let q = one(text);
        assert_eq!(
            (
                q.text.as_str(),
                q.value,
                q.low,
                q.high,
                q.approx,
                q.unit.as_deref()
            ),
            (span, Some(value), None, None, approx, unit),
            "{text}"
        );
    }

    fn bounds(text: &str, span: &str, low: f64, high: f64, unit: Option<&str>) -> Q {
        let q = one(text);
        assert_eq!(
            (q.text.as_str(), q.value, q.low, q.high, q.unit.as_deref()),
            (span, None, Some(low), Some(high), unit),
            "{text}"
        );
        q
    }

    #[test]
    fn counts_with_their_units() {
        point(
            "said that about 400 Russian military personnel may be operating",
            "about 400",
            400.0,
            true,
            Some("Russian military personnel"),
        );
        point(
            "15 Western countries condemned the",
            "15",
            15.0,
            false,
            Some("Western countries"),
        );
        point(
            "has roughly 5,000 troops in the region",
            "roughly 5,000",
            5000.0,
            true,
            Some("troops"),
        );
        point(
            "four helicopters, weapons",
            "four",
            4.0,
            false,
            Some("helicopters"),
        );
        point(
            "two hundred people died",
            "two hundred",
            200.0,
            false,
            Some("people"),
        );
        point(
            "a dozen pro-Russian fighters arrived",
            "a dozen",
            12.0,
            false,
            Some("pro-Russian fighters"),
        );
        point("400 armed men", "400", 400.0, false, Some("armed men"));
        point(
            "1.5 million refugees",
            "1.5 million",
            1.5e6,
            false,
            Some("refugees"),
        );
        point(
            "half a million people",
            "half a million",
            5e5,
            false,
            Some("people"),
        );
        point(
            "some 2\u{202F}500 soldiers",
            "some 2\u{202F}500",
            2500.0,
            true,
            Some("soldiers"),
        );
        point(
            "an estimated 3 million",
            "an estimated 3 million",
            3e6,
            true,
            None,
        );
        point(
            "two of the soldiers were",
            "two",
            2.0,
            false,
            Some("soldiers"),
        );
    }

    #[test]
    fn qualifiers_are_kept() {
        for (text, qualifier) in [
            ("more than 400 people", "more than"),
            ("at least 12 civilians", "at least"),
            ("up to 3,000 troops", "up to"),
            ("fewer than 20 schools", "fewer than"),
        ] {
            let q = one(text);
            assert!(q.approx, "{text}");
            assert_eq!(q.qualifier, Some(qualifier), "{text}");
        }
        assert_eq!(one("nearly 50 villages").qualifier, None);
        assert!(one("nearly 50 villages").approx);
    }

    #[test]
    fn ranges() {
        bounds(
            "lower that number to 2,500-3,000 by 2023",
            "2,500-3,000",
            2500.0,
            3000.0,
            None,
        );
        bounds(
            "between 10 and 20 people",
            "between 10 and 20",
            10.0,
            20.0,
            Some("people"),
        );
        bounds(
            "2,500 to 3,000 soldiers",
            "2,500 to 3,000",
            2500.0,
            3000.0,
            Some("soldiers"),
        );
        bounds(
            "2 to 3 million people",
            "2 to 3 million",
            2e6,
            3e6,
            Some("people"),
        );
        let q = bounds(
            "two or three trucks",
            "two or three",
            2.0,
            3.0,
            Some("trucks"),
        );
        assert!(q.approx);
        assert_eq!(quantities("won 3-1 on Sunday"), []);
    }

    #[test]
    fn unit_refers_back_within_the_sentence() {
        let all = quantities(
            "France has roughly 5,000 troops there, but plans to lower that number to 2,500-3,000 by 2023. It has 40.",
        );
        assert_eq!(all.len(), 3);
        assert_eq!(all[1].unit.as_deref(), Some("troops"));
        assert_eq!(all[2].unit, None);
        let killed = quantities("Rebels seized 3 towns, killing 12 and injuring 3 more.");
        assert_eq!(
            killed.iter().map(|q| q.unit.as_deref()).collect::<Vec<_>>(),
            [Some("towns"), None, None]
        );
    }

    #[test]
    fn vague_amounts() {
        let q = bounds(
            "said “several hundred Russian mercenaries” from",
            "several hundred",
            300.0,
            900.0,
            Some("Russian mercenaries"),
        );
        assert!(q.approx);
        bounds("dozens of people", "dozens", 24.0, 100.0, Some("people"));
        bounds(
            "hundreds of civilians",
            "hundreds",
            200.0,
            900.0,
            Some("civilians"),
        );
        bounds("thousands fled", "thousands", 2000.0, 9000.0, None);
        bounds(
            "tens of thousands of people",
            "tens of thousands",
            20_000.0,
            90_000.0,
            Some("people"),
        );
        bounds(
            "hundreds of thousands of refugees",
            "hundreds of thousands",
            2e5,
            9e5,
            Some("refugees"),
        );
        bounds("a few soldiers", "a few", 2.0, 5.0, Some("soldiers"));
        bounds(
            "a few hundred metres",
            "a few hundred",
            200.0,
            500.0,
            Some("metres"),
        );
        bounds("several parts of Mali", "several", 3.0, 9.0, Some("parts"));
        point("a couple of trucks", "a couple", 2.0, true, Some("trucks"));
        assert_eq!(quantities("several were hurt and few came"), []);
    }

    #[test]
    fn percentages() {
        for text in [
            "12% of voters",
            "12 percent of voters",
            "12 per cent of voters",
        ] {
            let q = one(text);
            assert_eq!(
                (q.value, q.kind, q.unit.as_deref()),
                (Some(12.0), QuantityKind::Percent, Some("percent")),
                "{text}"
            );
        }
        let q = one("between 10 and 20% of");
        assert_eq!(
            (q.low, q.high, q.kind),
            (Some(10.0), Some(20.0), QuantityKind::Percent)
        );
    }

    #[test]
    fn money() {
        for (text, span, value, unit) in [
            ("a $5 million loan", "$5 million", 5e6, "USD"),
            ("a €20bn fund", "€20bn", 20e9, "EUR"),
            ("£3m", "£3m", 3e6, "GBP"),
            ("5 million dollars in aid", "5 million dollars", 5e6, "USD"),
            (
                "paid CFA 10,000 francs",
                "CFA 10,000 francs",
                10_000.0,
                "CFA franc",
            ),
            (
                "paid 10,000 CFA francs",
                "10,000 CFA francs",
                10_000.0,
                "CFA franc",
            ),
            ("US$5 billion", "US$5 billion", 5e9, "USD"),
            ("about 200 euros", "about 200 euros", 200.0, "EUR"),
        ] {
            let q = one(text);
            assert_eq!(
                (q.text.as_str(), q.value, q.kind, q.unit.as_deref()),
                (span, Some(value), QuantityKind::Money, Some(unit)),
                "{text}"
            );
        }
        let q = one("$2-3 billion");
        assert_eq!((q.low, q.high), (Some(2e9), Some(3e9)));
    }

    #[test]
    fn numbers_that_count_nothing() {
        for text in [
            "One Malian army officer said",
            "one of the officers",
            "the first and 3rd rounds",
            "a decade-long insurgency",
            "a five-year transition",
            "COVID-19 cases",
            "call +223 20 22 33 44 now",
            "at 10:30 and at 10 am and 9 p.m.",
            "version 1.2.3",
            "Article 5 says",
            "on France 24 television",
            "the G5 force",
            "24/7 coverage",
            "a 15-member council",
        ] {
            assert_eq!(quantities(text), [], "{text}");
        }
    }

    #[test]
    fn numbers_in_times_are_not_counted() {
        assert_eq!(
            quantities("It began in 2012, on 7 January 2022 and three years later."),
            []
        );
    }
}
