//! Reading one number off the token stream: figures ("5,000", "1.5", "2 500"), figures with
//! a scale ("1.5 million", "€20bn"), number words ("two hundred and fifty", "twenty-five",
//! "a dozen", "half a million"). Shared by the time annotator ("three years later") and
//! the quantity annotator.

use crate::lexicon::Lex;
use crate::scan::{Kind, Token};

/// The tokens and the text they came from, with the small queries every matcher needs.
#[derive(Clone, Copy)]
pub(crate) struct Tokens<'a> {
    pub text: &'a str,
    pub toks: &'a [Token],
}

impl<'a> Tokens<'a> {
    pub(crate) fn len(&self) -> usize {
        self.toks.len()
    }

    pub(crate) fn str(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.text[t.range()])
    }

    /// The role of token `i` when it is a word; [`Lex::None`] otherwise or past the end.
    pub(crate) fn lex(&self, i: usize) -> Lex {
        match self.toks.get(i) {
            Some(t) if t.kind == Kind::Word => t.lex,
            _ => Lex::None,
        }
    }

    pub(crate) fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Word)
    }

    pub(crate) fn is_num(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Num)
    }

    pub(crate) fn punct(&self, i: usize) -> Option<char> {
        match self.toks.get(i)?.kind {
            Kind::Punct(c) => Some(c),
            _ => None,
        }
    }

    pub(crate) fn is_punct(&self, i: usize, c: char) -> bool {
        self.punct(i) == Some(c)
    }

    /// A hyphen or dash.
    pub(crate) fn is_dash(&self, i: usize) -> bool {
        matches!(self.punct(i), Some('-' | '–' | '—' | '‐' | '‑' | '−'))
    }

    /// Token `i` exists and touches the token before it.
    pub(crate) fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.spaced)
    }

    pub(crate) fn cap(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.cap)
    }

    pub(crate) fn word_is(&self, i: usize, word: &str) -> bool {
        self.is_word(i) && self.str(i).eq_ignore_ascii_case(word)
    }

    pub(crate) fn same_sentence(&self, a: usize, b: usize) -> bool {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) => x.sentence == y.sentence,
            _ => false,
        }
    }

    /// A plain run of digits (no separators) of at most `max_len` digits, as an integer.
    pub(crate) fn digits(&self, i: usize, max_len: usize) -> Option<u32> {
        if !self.is_num(i) {
            return None;
        }
        let s = self.str(i);
        if s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }

    /// A word glued after token `i - 1` that is an ordinal suffix ("7th", "21st").
    pub(crate) fn ordinal_suffix(&self, i: usize) -> bool {
        let w = self.str(i);
        self.glued(i)
            && self.is_word(i)
            && ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(w))
    }
}

/// A number read at some token.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Number {
    /// Token after the number.
    pub end: usize,
    pub value: f64,
    /// The scale factor applied ("million" → 1e6), 1 when none.
    pub scale: f64,
    /// Written in figures.
    pub figures: bool,
    /// Just the word "one" (or "a"/"an" before a unit): a determiner as often as a count.
    pub bare_one: bool,
}

/// The value of a figure token: "5,000", "1.5", "2 500". `None` for malformed or
/// version-like figures ("1.2.3", "5,00").
#[cfg(test)]
pub(crate) fn figure_value(s: &str) -> Option<f64> {
    figure_decimal(s).map(|d| d.scaled(1.0))
}

/// A figure as an integer mantissa and a count of decimals: "4.1" is 41 and 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Decimal {
    mantissa: f64,
    decimals: i32,
}

impl Decimal {
    /// The value times `scale` (a power of ten), with one rounding: the mantissa is scaled
    /// first (exact while the product stays below 2^53) and the decimal point placed last,
    /// so "4.1 billion" is exactly 4,100,000,000, not 4.1 × 10⁹ = 4,099,999,999.9999995.
    pub(crate) fn scaled(self, scale: f64) -> f64 {
        self.mantissa * scale / 10f64.powi(self.decimals)
    }
}

/// [`figure_value`] before its decimal point is placed.
fn figure_decimal(s: &str) -> Option<Decimal> {
    // Digits accumulate into an integer mantissa (exact below 2^53) and one division by a
    // power of ten places the decimal point, so "0.1" reads as the nearest double to 0.1.
    let mut mantissa = 0f64;
    let mut decimals = 0i32;
    let mut dot = false;
    let mut groups = 0usize;
    let mut group_len = 0usize;
    let mut grouped_by = None;
    for c in s.chars() {
        match c {
            '0'..='9' => {
                mantissa = mantissa * 10.0 + f64::from(c as u8 - b'0');
                group_len += 1;
                if dot {
                    decimals += 1;
                }
            }
            '.' => {
                if dot || (groups > 0 && group_len != 3) {
                    return None;
                }
                dot = true;
                group_len = 0;
            }
            ',' | '\u{A0}' | '\u{202F}' | '\u{2009}' => {
                let sep = if c == ',' { ',' } else { ' ' };
                if dot || grouped_by.is_some_and(|g| g != sep) {
                    return None;
                }
                grouped_by = Some(sep);
                let first = groups == 0;
                if (first && !(1..=3).contains(&group_len)) || (!first && group_len != 3) {
                    return None;
                }
                groups += 1;
                group_len = 0;
            }
            _ => return None,
        }
    }
    if (groups > 0 && !dot && group_len != 3) || (dot && decimals == 0) || group_len == 0 && !dot {
        return None;
    }
    Some(Decimal { mantissa, decimals })
}

fn pow10(exp: u8) -> f64 {
    10f64.powi(i32::from(exp))
}

/// Reads a number starting at token `i`. `money` allows the money-only scales ("$5m").
pub(crate) fn read_number(t: &Tokens, i: usize, money: bool) -> Option<Number> {
    if t.is_num(i) {
        return read_figures(t, i, money);
    }
    match t.lex(i) {
        Lex::Article => {
            // "a hundred", "a million", "a dozen" (with more words: "a hundred thousand").
            match t.lex(i + 1) {
                Lex::Scale(_) | Lex::Dozen => read_words(t, i + 1, 1.0),
                _ => None,
            }
        }
        Lex::Half => {
            // "half a million"
            if t.lex(i + 1) == Lex::Article
                && let Lex::Scale(exp) = t.lex(i + 2)
                && exp >= 3
            {
                Some(Number {
                    end: i + 3,
                    value: 0.5 * pow10(exp),
                    scale: pow10(exp),
                    figures: false,
                    bare_one: false,
                })
            } else {
                None
            }
        }
        Lex::Number(_) => read_words(t, i, 0.0),
        _ => None,
    }
}

fn read_figures(t: &Tokens, i: usize, money: bool) -> Option<Number> {
    let figure = figure_decimal(t.str(i))?;
    let mut end = i + 1;
    let mut scale = 1.0;
    match t.lex(end) {
        Lex::Scale(exp) | Lex::ShortScale(exp) => {
            scale = pow10(exp);
            end += 1;
        }
        Lex::MoneyScale(exp) if money && t.glued(end) => {
            scale = pow10(exp);
            end += 1;
        }
        _ => {}
    }
    // "1.5 million" may also be "1.5 hundred thousand"; a second scale word multiplies.
    if scale > 1.0
        && let Lex::Scale(exp) = t.lex(end)
        && exp >= 3
    {
        scale *= pow10(exp);
        end += 1;
    }
    Some(Number {
        end,
        value: figure.scaled(scale),
        scale,
        figures: true,
        bare_one: false,
    })
}

/// Number words: "two hundred and fifty thousand", "twenty-five", "three dozen". `current`
/// is 1 when an article ("a hundred") came before token `i`.
fn read_words(t: &Tokens, i: usize, current: f64) -> Option<Number> {
    let mut total = 0.0;
    let mut current = current;
    let mut j = i;
    let mut words = 0;
    let mut last_scale = f64::INFINITY;
    let mut scale: f64 = 1.0;
    // What the last word was: a unit (1..9 may follow a tens word), a tens word, a scale.
    let mut after_tens = false;
    let mut after_units = false;
    loop {
        match t.lex(j) {
            Lex::Number(n) => {
                let n = f64::from(n);
                if after_units || (after_tens && n >= 10.0) {
                    break;
                }
                current += n;
                after_tens = n >= 20.0;
                after_units = !after_tens;
                j += 1;
                words += 1;
                // "twenty-five"
                if after_tens
                    && t.is_dash(j)
                    && t.glued(j)
                    && t.glued(j + 1)
                    && matches!(t.lex(j + 1), Lex::Number(u) if (1..10).contains(&u))
                {
                    j += 1;
                }
            }
            Lex::Scale(2) if current < 100.0 => {
                current = current.max(1.0) * 100.0;
                scale = scale.max(100.0);
                after_tens = false;
                after_units = false;
                j += 1;
                words += 1;
            }
            Lex::Scale(exp) if exp >= 3 && pow10(exp) < last_scale => {
                let s = pow10(exp);
                total += current.max(1.0) * s;
                current = 0.0;
                last_scale = s;
                scale = scale.max(s);
                after_tens = false;
                after_units = false;
                j += 1;
                words += 1;
            }
            Lex::Dozen if words > 0 || current == 1.0 => {
                current = current.max(1.0) * 12.0;
                after_tens = false;
                after_units = true;
                j += 1;
                words += 1;
            }
            Lex::And
                if words > 0
                    && !after_tens
                    && !after_units
                    && matches!(t.lex(j + 1), Lex::Number(_)) =>
            {
                // "two hundred and fifty"
                j += 1;
            }
            _ => break,
        }
    }
    if words == 0 {
        return None;
    }
    let value = total + current;
    Some(Number {
        end: j,
        value,
        scale,
        figures: false,
        bare_one: value == 1.0 && words == 1 && t.lex(i) == Lex::Number(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    fn read(text: &str) -> Option<(f64, String)> {
        let toks = scan(text);
        let t = Tokens { text, toks: &toks };
        read_number(&t, 0, true).map(|n| {
            let end = if n.end == 0 {
                0
            } else {
                toks[n.end - 1].end as usize
            };
            (n.value, text[..end].to_string())
        })
    }

    #[test]
    fn figures() {
        assert_eq!(figure_value("5,000"), Some(5000.0));
        assert_eq!(figure_value("1,234.5"), Some(1234.5));
        assert_eq!(figure_value("1.5"), Some(1.5));
        assert_eq!(figure_value("2\u{202F}500"), Some(2500.0));
        assert_eq!(figure_value("5,00"), None);
        assert_eq!(figure_value("1.2.3"), None);
        assert_eq!(figure_value("12,3456"), None);
        assert_eq!(figure_value("1234,567"), None);
    }

    #[test]
    fn figures_with_scales() {
        assert_eq!(
            read("1.5 million people"),
            Some((1.5e6, "1.5 million".into()))
        );
        assert_eq!(read("20bn"), Some((20e9, "20bn".into())));
        assert_eq!(read("5m"), Some((5e6, "5m".into())));
        assert_eq!(read("3 million"), Some((3e6, "3 million".into())));
        // Decimals times a scale are exact, not 4.1 × 10⁹ in floating point.
        assert_eq!(
            read("4.1 billion"),
            Some((4_100_000_000.0, "4.1 billion".into()))
        );
        assert_eq!(read("2.3bn"), Some((2_300_000_000.0, "2.3bn".into())));
        assert_eq!(read("0.7 million"), Some((700_000.0, "0.7 million".into())));
    }

    #[test]
    fn number_words() {
        assert_eq!(read("four helicopters"), Some((4.0, "four".into())));
        assert_eq!(read("two hundred"), Some((200.0, "two hundred".into())));
        assert_eq!(
            read("two hundred and fifty thousand"),
            Some((250_000.0, "two hundred and fifty thousand".into()))
        );
        assert_eq!(read("twenty-five"), Some((25.0, "twenty-five".into())));
        assert_eq!(read("a dozen"), Some((12.0, "a dozen".into())));
        assert_eq!(
            read("half a million"),
            Some((500_000.0, "half a million".into()))
        );
        assert_eq!(
            read("a hundred thousand"),
            Some((100_000.0, "a hundred thousand".into()))
        );
        assert_eq!(read("three dozen"), Some((36.0, "three dozen".into())));
        assert_eq!(read("one and two"), Some((1.0, "one".into())));
        assert_eq!(read("a year"), None);
    }
}
