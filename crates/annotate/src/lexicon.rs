//! The words the annotators know, looked up once per word token.
//!
//! Every word token gets a [`Lex`] class when it is scanned, so the matchers compare small
//! enums instead of strings. The table is a hash map from the lowercase ASCII form; it is
//! built once ([`LazyLock`]) from the facts below (month and weekday names, number words,
//! time words, currencies) and from two word lists in `data/lexicon/`:
//! `function-words.txt` and `verbs.txt`, whose words become [`Lex::Stop`]: they end the
//! noun phrase that names what a quantity counts. A word with a specific role below keeps
//! that role even when a list also has it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// A calendar unit that time expressions count in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Period {
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

/// The role of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lex {
    /// Not a known word: may be part of what a quantity counts.
    None,
    /// A closed-class word or a verb: ends a unit phrase.
    Stop,
    /// January..December as 1..=12; `abbreviated` for "Jan", "Sept".
    Month {
        month: u8,
        abbreviated: bool,
    },
    /// Monday..Sunday as 0..=6.
    Weekday(u8),
    /// "Mondays": a recurrence.
    Weekdays(u8),
    /// zero..nineteen and the tens up to ninety.
    Number(u8),
    /// "a", "an": one, in "a year ago", "a dozen", "a million".
    Article,
    Half,
    /// hundred, thousand, million...: the power of ten.
    Scale(u8),
    /// "bn", "mn", "tn" after a figure ("€20bn").
    ShortScale(u8),
    /// "m", "k" after a figure, only in money ("$5m").
    MoneyScale(u8),
    Dozen,
    Dozens,
    Several,
    Few,
    Handful,
    Couple,
    /// "hundreds", "thousands": a vague multiple of the power of ten.
    Multiples(u8),
    /// "tens" (of thousands).
    Tens,
    Period(Period),
    Periods(Period),
    /// daily, weekly, monthly, yearly, annually.
    Every(Period),
    Season(Season),
    Weekend,
    /// morning, afternoon, evening, night.
    Daypart,
    Today,
    Yesterday,
    Tomorrow,
    Tonight,
    Last,
    Next,
    This,
    Past,
    Coming,
    Recent,
    Previous,
    Following,
    Same,
    That,
    Ago,
    Later,
    Earlier,
    Before,
    After,
    Afterwards,
    Since,
    By,
    Until,
    In,
    On,
    Of,
    The,
    From,
    Between,
    And,
    To,
    Or,
    During,
    Each,
    EveryWord,
    Now,
    /// "currently", "current", "nowadays": the present, vaguely (TimeML `PRESENT_REF`).
    Present,
    /// "recently", "lately": the past, vaguely (`PAST_REF`).
    Recently,
    /// "future" (in "the future"): `FUTURE_REF`.
    Future,
    /// "fiscal", before a year or a quarter.
    Fiscal,
    Early,
    Mid,
    Late,
    End,
    Beginning,
    Percent,
    Per,
    Cent,
    /// A currency word or code: index into [`CURRENCIES`].
    Currency(u8),
    /// A word that numbers a thing rather than counting ("Article 5", "flight 370").
    Label,
}

impl Lex {
    /// Whether a word in this role can be part of the noun phrase a quantity counts.
    pub(crate) fn in_unit(self) -> bool {
        matches!(
            self,
            Lex::None
                | Lex::Label
                | Lex::Daypart
                | Lex::Season(_)
                | Lex::Weekend
                | Lex::Future
                | Lex::Fiscal
        )
    }
}

/// Currency words, codes and symbols, with the unit a money quantity reports. Symbols and
/// words name the ISO code where the currency is unambiguous in international copy ("$" and
/// "dollars" follow the wire convention of US dollars); otherwise the word itself.
pub(crate) const CURRENCIES: &[(&str, &str)] = &[
    ("$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₦", "NGN"),
    ("₹", "INR"),
    ("₽", "RUB"),
    ("₴", "UAH"),
    ("dollar", "USD"),
    ("dollars", "USD"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("sterling", "GBP"),
    ("yen", "JPY"),
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
    ("rouble", "RUB"),
    ("roubles", "RUB"),
    ("ruble", "RUB"),
    ("rubles", "RUB"),
    ("naira", "NGN"),
    ("cedi", "GHS"),
    ("cedis", "GHS"),
    ("hryvnia", "UAH"),
    ("hryvnias", "UAH"),
    ("franc", "franc"),
    ("francs", "franc"),
    ("rupee", "rupee"),
    ("rupees", "rupee"),
    ("dinar", "dinar"),
    ("dinars", "dinar"),
    ("riyal", "riyal"),
    ("riyals", "riyal"),
    ("rial", "rial"),
    ("rials", "rial"),
    ("dirham", "dirham"),
    ("dirhams", "dirham"),
    ("shilling", "shilling"),
    ("shillings", "shilling"),
    ("peso", "peso"),
    ("pesos", "peso"),
    ("lira", "lira"),
    ("usd", "USD"),
    ("eur", "EUR"),
    ("gbp", "GBP"),
    ("jpy", "JPY"),
    ("cny", "CNY"),
    ("rub", "RUB"),
    ("chf", "CHF"),
    ("xof", "XOF"),
    ("xaf", "XAF"),
    ("ngn", "NGN"),
    ("zar", "ZAR"),
    ("inr", "INR"),
    ("uah", "UAH"),
    // "CFA 10,000 francs", "10,000 CFA francs": the franc of the CFA zones.
    ("cfa", "CFA franc"),
];

/// The currency a symbol stands for, as an index into [`CURRENCIES`] (whose first entries
/// are the symbols, in this order).
pub(crate) fn currency_symbol(c: char) -> Option<u8> {
    // Called for every punctuation token: a match, not a search of the table.
    match c {
        '$' => Some(0),
        '€' => Some(1),
        '£' => Some(2),
        '¥' => Some(3),
        '₦' => Some(4),
        '₹' => Some(5),
        '₽' => Some(6),
        '₴' => Some(7),
        _ => None,
    }
}

/// The unit reported for the currency at `index`.
pub(crate) fn currency_unit(index: u8) -> &'static str {
    CURRENCIES[index as usize].1
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const MONTH_ABBREVIATIONS: &[(&str, u8)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

const NUMBER_WORDS: &[(&str, u8)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// Words with a fixed role.
const WORDS: &[(&str, Lex)] = &[
    ("a", Lex::Article),
    ("an", Lex::Article),
    ("half", Lex::Half),
    ("hundred", Lex::Scale(2)),
    ("thousand", Lex::Scale(3)),
    ("million", Lex::Scale(6)),
    ("billion", Lex::Scale(9)),
    ("trillion", Lex::Scale(12)),
    ("bn", Lex::ShortScale(9)),
    ("bln", Lex::ShortScale(9)),
    ("mn", Lex::ShortScale(6)),
    ("mln", Lex::ShortScale(6)),
    ("tn", Lex::ShortScale(12)),
    ("trn", Lex::ShortScale(12)),
    ("m", Lex::MoneyScale(6)),
    ("k", Lex::MoneyScale(3)),
    ("dozen", Lex::Dozen),
    ("dozens", Lex::Dozens),
    ("several", Lex::Several),
    ("few", Lex::Few),
    ("handful", Lex::Handful),
    ("couple", Lex::Couple),
    ("hundreds", Lex::Multiples(2)),
    ("thousands", Lex::Multiples(3)),
    ("millions", Lex::Multiples(6)),
    ("billions", Lex::Multiples(9)),
    ("tens", Lex::Tens),
    ("day", Lex::Period(Period::Day)),
    ("days", Lex::Periods(Period::Day)),
    ("week", Lex::Period(Period::Week)),
    ("weeks", Lex::Periods(Period::Week)),
    ("month", Lex::Period(Period::Month)),
    ("months", Lex::Periods(Period::Month)),
    ("year", Lex::Period(Period::Year)),
    ("years", Lex::Periods(Period::Year)),
    ("decade", Lex::Period(Period::Decade)),
    ("decades", Lex::Periods(Period::Decade)),
    ("quarter", Lex::Period(Period::Quarter)),
    ("quarters", Lex::Periods(Period::Quarter)),
    ("daily", Lex::Every(Period::Day)),
    ("weekly", Lex::Every(Period::Week)),
    ("monthly", Lex::Every(Period::Month)),
    ("yearly", Lex::Every(Period::Year)),
    ("annually", Lex::Every(Period::Year)),
    ("spring", Lex::Season(Season::Spring)),
    ("summer", Lex::Season(Season::Summer)),
    ("autumn", Lex::Season(Season::Autumn)),
    ("fall", Lex::Season(Season::Autumn)),
    ("winter", Lex::Season(Season::Winter)),
    ("weekend", Lex::Weekend),
    ("morning", Lex::Daypart),
    ("afternoon", Lex::Daypart),
    ("evening", Lex::Daypart),
    ("night", Lex::Daypart),
    ("today", Lex::Today),
    ("yesterday", Lex::Yesterday),
    ("tomorrow", Lex::Tomorrow),
    ("tonight", Lex::Tonight),
    ("last", Lex::Last),
    ("next", Lex::Next),
    ("this", Lex::This),
    ("past", Lex::Past),
    ("coming", Lex::Coming),
    ("recent", Lex::Recent),
    ("previous", Lex::Previous),
    ("preceding", Lex::Previous),
    ("following", Lex::Following),
    ("same", Lex::Same),
    ("that", Lex::That),
    ("ago", Lex::Ago),
    ("later", Lex::Later),
    ("earlier", Lex::Earlier),
    ("before", Lex::Before),
    ("after", Lex::After),
    ("afterwards", Lex::Afterwards),
    ("afterward", Lex::Afterwards),
    ("since", Lex::Since),
    ("by", Lex::By),
    ("until", Lex::Until),
    ("till", Lex::Until),
    ("in", Lex::In),
    ("on", Lex::On),
    ("of", Lex::Of),
    ("the", Lex::The),
    ("from", Lex::From),
    ("between", Lex::Between),
    ("and", Lex::And),
    ("to", Lex::To),
    ("or", Lex::Or),
    ("during", Lex::During),
    ("throughout", Lex::During),
    ("each", Lex::Each),
    ("every", Lex::EveryWord),
    ("now", Lex::Now),
    ("currently", Lex::Present),
    ("current", Lex::Present),
    ("nowadays", Lex::Present),
    ("recently", Lex::Recently),
    ("lately", Lex::Recently),
    ("future", Lex::Future),
    ("fiscal", Lex::Fiscal),
    ("early", Lex::Early),
    ("mid", Lex::Mid),
    ("late", Lex::Late),
    ("end", Lex::End),
    ("beginning", Lex::Beginning),
    ("start", Lex::Beginning),
    ("percent", Lex::Percent),
    ("pct", Lex::Percent),
    ("per", Lex::Per),
    ("cent", Lex::Cent),
    ("article", Lex::Label),
    ("chapter", Lex::Label),
    ("resolution", Lex::Label),
    ("flight", Lex::Label),
    ("route", Lex::Label),
    ("section", Lex::Label),
    ("paragraph", Lex::Label),
    ("page", Lex::Label),
    ("no", Lex::Label),
    ("number", Lex::Label),
    ("item", Lex::Label),
    ("level", Lex::Label),
    ("phase", Lex::Label),
    ("category", Lex::Label),
    ("grade", Lex::Label),
    ("room", Lex::Label),
    ("version", Lex::Label),
    ("episode", Lex::Label),
    ("volume", Lex::Label),
    ("vol", Lex::Label),
    ("platform", Lex::Label),
    ("gate", Lex::Label),
    ("highway", Lex::Label),
    ("road", Lex::Label),
];

const FUNCTION_WORDS: &str = include_str!("../../../data/lexicon/function-words.txt");
const VERBS: &str = include_str!("../../../data/lexicon/verbs.txt");

/// A small multiplicative hash: lexicon keys are short ASCII words, for which SipHash's
/// resistance to crafted collisions costs more than the lookup itself.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Table = HashMap<&'static str, Lex, BuildHasherDefault<WordHasher>>;

/// The longest word the table holds; longer words are never looked up.
const LONGEST: usize = 24;

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut table = Table::default();
    for list in [FUNCTION_WORDS, VERBS] {
        for line in list.lines() {
            let word = line.trim();
            if !word.is_empty() && !word.starts_with('#') && word.len() <= LONGEST {
                table.insert(word, Lex::Stop);
            }
        }
    }
    for (i, m) in MONTHS.iter().enumerate() {
        let month = i as u8 + 1;
        table.insert(
            m,
            Lex::Month {
                month,
                abbreviated: false,
            },
        );
    }
    for &(m, month) in MONTH_ABBREVIATIONS {
        table.insert(
            m,
            Lex::Month {
                month,
                abbreviated: true,
            },
        );
    }
    for (i, d) in WEEKDAYS.iter().enumerate() {
        table.insert(d, Lex::Weekday(i as u8));
    }
    for &(w, n) in NUMBER_WORDS {
        table.insert(w, Lex::Number(n));
    }
    for &(w, lex) in WORDS {
        table.insert(w, lex);
    }
    for (i, &(w, _)) in CURRENCIES.iter().enumerate() {
        if w.is_ascii() {
            table.insert(w, Lex::Currency(i as u8));
        }
    }
    table
});

/// Plural weekday names are found by stripping the "s", so they need no entries.
fn weekdays(lower: &str) -> Option<Lex> {
    let stem = lower.strip_suffix('s')?;
    WEEKDAYS
        .iter()
        .position(|d| *d == stem)
        .map(|i| Lex::Weekdays(i as u8))
}

/// The role of one word (any case).
pub(crate) fn lookup(word: &str) -> Lex {
    let bytes = word.as_bytes();
    if bytes.len() > LONGEST || !bytes.iter().all(u8::is_ascii_alphabetic) {
        return Lex::None;
    }
    let mut buf = [0u8; LONGEST];
    for (slot, b) in buf.iter_mut().zip(bytes) {
        *slot = b.to_ascii_lowercase();
    }
    // The buffer holds lowercase ASCII letters only.
    let lower = std::str::from_utf8(&buf[..bytes.len()]).unwrap_or_default();
    match TABLE.get(lower) {
        Some(&lex) => lex,
        None => weekdays(lower).unwrap_or(Lex::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_win_over_the_stop_lists() {
        assert_eq!(lookup("In"), Lex::In);
        assert_eq!(
            lookup("may"),
            Lex::Month {
                month: 5,
                abbreviated: false
            }
        );
        assert_eq!(lookup("last"), Lex::Last);
        assert_eq!(lookup("said"), Lex::Stop);
        assert_eq!(lookup("troops"), Lex::None);
    }

    #[test]
    fn weekdays_plural_and_numbers() {
        assert_eq!(lookup("Fridays"), Lex::Weekdays(4));
        assert_eq!(lookup("Friday"), Lex::Weekday(4));
        assert_eq!(lookup("twenty"), Lex::Number(20));
        assert_eq!(
            lookup("Sept"),
            Lex::Month {
                month: 9,
                abbreviated: true
            }
        );
        assert_eq!(lookup("Mali’s"), Lex::None);
    }

    #[test]
    fn currency_symbols_index_the_table() {
        for (i, (symbol, _)) in CURRENCIES.iter().enumerate().take(8) {
            let c = symbol.chars().next().unwrap();
            assert_eq!(currency_symbol(c), Some(i as u8), "{symbol}");
        }
    }

    #[test]
    fn currency_symbols_and_words() {
        assert_eq!(currency_symbol('€').map(currency_unit), Some("EUR"));
        assert_eq!(currency_symbol('x'), None);
        match lookup("francs") {
            Lex::Currency(i) => assert_eq!(currency_unit(i), "franc"),
            other => panic!("{other:?}"),
        }
    }
}
