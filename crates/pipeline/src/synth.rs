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

/// A generated document with `claims` claims already found, each with content terms, for
/// measuring what comes after extraction (storing claims, grouping propositions) at a scale
/// the models would take hours to produce. Terms come from 2,000 topics of six words each
/// (a claim takes four words of one topic) plus three words of a 20,000-word vocabulary
/// drawn with a skew, so that topics are shared by a few dozen claims and common words by
/// thousands, as in news.
pub fn claims_document(seed: u64, n: usize, claims: usize) -> sitrep_model::Document {
    use sitrep_model::{Claim, ClaimSource, Cue, Directness, SourceKind, Stance, TextSpan};
    let mut rng = SplitMix(SplitMix64::new(
        seed ^ (n as u64).wrapping_mul(0xA24B_AED4_963E_E407),
    ));
    let word = |i: u64| {
        const SYLLABLES: &[&str] = &[
            "ka", "ro", "mi", "sel", "tor", "va", "den", "lu", "bri", "an",
        ];
        let mut w = String::new();
        let mut i = i + 100;
        while i > 0 {
            w.push_str(SYLLABLES[(i % 10) as usize]);
            i /= 10;
        }
        w
    };
    let mut text = String::new();
    let mut found = Vec::with_capacity(claims);
    for c in 0..claims {
        let topic = rng.below(2_000);
        let mut terms: Vec<String> = (0..4).map(|_| word(topic * 6 + rng.below(6))).collect();
        for _ in 0..3 {
            // Skewed toward low ranks: the minimum of two uniform draws.
            let rank = rng.below(20_000).min(rng.below(20_000));
            terms.push(word(12_000 + rank));
        }
        terms.sort();
        terms.dedup();
        let speaker = format!("Official {}", word(rng.below(5_000)));
        let stance = match rng.below(10) {
            0 => Stance::Deny,
            1 => Stance::Hedge,
            _ => Stance::Assert,
        };
        let cue_word = if stance == Stance::Deny {
            "denied"
        } else {
            "said"
        };
        let start = text.len();
        text.push_str(&speaker);
        let source_end = text.len();
        text.push(' ');
        let cue_start = text.len();
        text.push_str(cue_word);
        let cue_end = text.len();
        text.push_str(" that ");
        let content_start = text.len();
        text.push_str(&terms.join(" "));
        let content_end = text.len();
        text.push_str(". ");
        found.push(Claim {
            id: format!("C{}", c + 1),
            sentence: c,
            source: Some(ClaimSource {
                text: speaker,
                start,
                end: source_end,
                kind: SourceKind::Official,
                anonymous: false,
                anonymity_cue: None,
                actor: None,
                same_as: None,
            }),
            cue: Cue {
                text: cue_word.into(),
                start: cue_start,
                end: cue_end,
                lemma: if stance == Stance::Deny {
                    "deny"
                } else {
                    "say"
                }
                .into(),
            },
            content: TextSpan {
                text: text[content_start..content_end].to_string(),
                start: content_start,
                end: content_end,
            },
            direct: Directness::Indirect,
            stance,
            recipient: None,
            time: None,
            confidence: 0.9,
            why: vec!["generated".into()],
            terms,
            // The place a story is about: four topics to a place.
            anchors: vec![word(50_000 + topic / 4)],
        });
    }
    let text = text.trim_end().to_string();
    sitrep_model::Document {
        id: sitrep_model::content_id(&text),
        source: format!("generated:{n}"),
        site: Some(format!("site{}.example", n % 40)),
        published: NaiveDate::from_ymd_opt(2026, 1, 1)
            .map(|d| d + Duration::days((n % 300) as i64)),
        text,
        claims: found,
        ..Default::default()
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
