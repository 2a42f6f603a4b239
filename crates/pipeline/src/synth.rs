//! A generator of wire-style articles, for benchmarks and crash tests: deterministic for a
//! seed, every body distinct, with the features the pipeline works on (a stray headline,
//! a promo line, a "Read more:" list, attributed and anonymous claims, numbers, relative and
//! absolute dates).

use chrono::{Duration, NaiveDate};
use sitrep_model::SplitMix64;

/// A small deterministic PRNG (SplitMix64): reproducible corpora without a dependency.
struct SplitMix(SplitMix64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const PLACES: &[&str] = &[
    "Karsvik", "Dunmere", "Tolvan", "Brenna", "Lindholm", "Mirel", "Ardeni", "Kessel",
];
const SOURCES: &[&str] = &[
    "a senior military officer, who requested anonymity,",
    "two diplomats who declined to be named",
    "the defence minister",
    "a spokesman for the interior ministry",
    "local officials",
    "a regional aid worker",
    "the United Nations envoy",
    "sources close to the presidency",
];
const CUES: &[&str] = &[
    "said",
    "told reporters",
    "said on Tuesday",
    "insisted",
    "claimed",
];
const DAYS: &[&str] = &[
    "on Monday",
    "on Friday",
    "last week",
    "in recent days",
    "earlier this month",
    "late February",
];
const AMOUNTS: &[&str] = &[
    "about 300",
    "several hundred",
    "at least 12",
    "more than 6,000",
    "between 200 and 250",
    "up to 1,000",
    "roughly 4,500",
    "dozens of",
    "17",
];
const THINGS: &[&str] = &[
    "contractors",
    "soldiers",
    "displaced people",
    "civilians",
    "trucks of aid",
    "rebel fighters",
];
const VERBS: &[&str] = &[
    "had crossed the border near",
    "were deployed around",
    "fled the fighting in",
    "arrived in",
    "were detained outside",
];

/// One generated article as a JSON Lines record (`id`, `url`, `title`, `published`, `site`,
/// `text`). Articles differ by their number `n`, which is woven into the body.
pub fn article(seed: u64, n: usize) -> String {
    let mut rng = SplitMix(SplitMix64::new(
        seed ^ (n as u64).wrapping_mul(0xA24B_AED4_963E_E407),
    ));
    let base = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date");
    let published = base + Duration::days(rng.below(300) as i64);
    let place = rng.pick(PLACES);
    let title = format!("Report {n}: tensions rise around {place}");
    let mut paras = vec![
        format!(
            "Unrelated: markets steady in {} as talks go on",
            rng.pick(PLACES)
        ),
        title.clone(),
    ];
    let count = 4 + rng.below(6) as usize;
    for i in 0..count {
        let sentence = format!(
            "{} {} {} {} {} {}, {} {}.",
            capitalise(rng.pick(AMOUNTS)),
            rng.pick(THINGS),
            rng.pick(VERBS),
            rng.pick(PLACES),
            rng.pick(DAYS),
            if i == 0 {
                format!("(dispatch {n})")
            } else {
                String::new()
            },
            rng.pick(SOURCES),
            rng.pick(CUES),
        );
        let extra = format!(
            "The conflict began in {} and spread {} years later to {}, where {}% of residents \
             now depend on aid worth ${} million.",
            2000 + rng.below(20),
            2 + rng.below(5),
            rng.pick(PLACES),
            5 + rng.below(60),
            1 + rng.below(90),
        );
        paras.push(format!("{sentence} {extra}"));
        if i == 1 {
            paras.push("For all the latest headlines follow our news channel.".to_string());
        }
    }
    paras.push("Read more:".to_string());
    paras.push(format!(
        "Aid convoy reaches {} after delay",
        rng.pick(PLACES)
    ));
    paras.push(format!("Ceasefire talks stall in {}", rng.pick(PLACES)));
    let text = paras.join("\n\n");
    serde_json::json!({
        "id": format!("gen-{seed}-{n}"),
        "url": format!("https://news.example/{seed}/{n}"),
        "title": title,
        "published": published.to_string(),
        "site": if n.is_multiple_of(3) { "Meridian Press" } else { "Global Wire" },
        "text": text,
    })
    .to_string()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_deterministic_and_distinct() {
        assert_eq!(article(7, 3), article(7, 3));
        assert_ne!(article(7, 3), article(7, 4));
        assert_ne!(article(7, 3), article(8, 3));
        assert!(article(7, 3).contains("(dispatch 3)"));
    }
}
