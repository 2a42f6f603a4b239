//! The report on documents the team wrote, with claims as the pipeline writes them.

use chrono::NaiveDate;
use sitrep_model::{
    Claim, ClaimSource, Cue, Directness, Document, Quantity, QuantityKind, Sentence, SourceKind,
    Stance, TextSpan, TimeAnchor, TimeExpr, TimeKind,
};

use super::*;

/// A document whose sentences are the given lines (joined by spaces).
fn doc(id: &str, site: &str, day: u32, sentences: &[&str]) -> Document {
    let text = sentences.join(" ");
    let mut at = 0;
    let spans = sentences
        .iter()
        .map(|s| {
            let start = at;
            at += s.chars().count() + 1;
            Sentence {
                start,
                end: start + s.chars().count(),
            }
        })
        .collect();
    Document {
        id: id.into(),
        site: Some(site.into()),
        title: Some(format!("{site} story")),
        published: NaiveDate::from_ymd_opt(2026, 3, day),
        text,
        sentences: spans,
        ..Document::default()
    }
}

fn span(d: &Document, text: &str) -> TextSpan {
    let at = d.text.find(text).unwrap_or_else(|| panic!("{text:?}"));
    let start = d.text[..at].chars().count();
    TextSpan {
        text: text.into(),
        start,
        end: start + text.chars().count(),
    }
}

/// A claim of `d`, its spans found by their text.
#[allow(clippy::too_many_arguments)]
fn claim(
    d: &Document,
    id: &str,
    sentence: usize,
    (source, anonymous): (&str, bool),
    cue: &str,
    content: &str,
    stance: Stance,
    terms: &str,
) -> Claim {
    let s = span(d, source);
    let c = span(d, cue);
    Claim {
        id: id.into(),
        sentence,
        source: Some(ClaimSource {
            text: s.text,
            start: s.start,
            end: s.end,
            kind: SourceKind::Official,
            anonymous,
            anonymity_cue: None,
            actor: None,
            same_as: None,
        }),
        cue: Cue {
            text: c.text,
            start: c.start,
            end: c.end,
            lemma: cue.into(),
        },
        content: span(d, content),
        direct: Directness::Indirect,
        stance,
        recipient: None,
        time: None,
        confidence: 0.9,
        why: Vec::new(),
        terms: terms.split_whitespace().map(str::to_string).collect(),
        anchors: Vec::new(),
    }
}

fn corpus() -> Vec<Document> {
    let mut a = doc(
        "aaaa1111",
        "Meridian Press",
        4,
        &[
            "About 300 contractors have deployed in Kessel, two officials said on Tuesday.",
            "The ministry denied that any contractors had deployed.",
        ],
    );
    a.claims = vec![
        claim(
            &a,
            "C1",
            0,
            ("two officials", true),
            "said",
            "About 300 contractors have deployed in Kessel",
            Stance::Assert,
            "300 contractor deploy kessel",
        ),
        claim(
            &a,
            "C2",
            1,
            ("The ministry", false),
            "denied",
            "any contractors had deployed",
            Stance::Deny,
            "contractor deploy",
        ),
    ];
    let count = |text: &str, value: f64, unit: &str| {
        let q = span(&a, text);
        Quantity {
            text: q.text,
            start: q.start,
            end: q.end,
            value: Some(value),
            low: None,
            high: None,
            approx: text.starts_with("About"),
            unit: Some(unit.into()),
            unit_start: None,
            unit_end: None,
            kind: QuantityKind::Count,
            qualifier: None,
        }
    };
    // "two officials" counts the sources: not a figure of the story.
    a.quantities = vec![
        count("About 300", 300.0, "contractors"),
        count("two", 2.0, "officials"),
    ];
    let t = span(&a, "on Tuesday");
    a.times = vec![TimeExpr {
        text: t.text,
        start: t.start,
        end: t.end,
        from: NaiveDate::from_ymd_opt(2026, 3, 3),
        to: NaiveDate::from_ymd_opt(2026, 3, 3),
        kind: TimeKind::Date,
        anchor: TimeAnchor::Published,
        value: None,
        precision: None,
    }];
    let mut b = doc(
        "bbbb2222",
        "Coastal Tribune",
        5,
        &["Several hundred trainers are present in Kessel <for now>, an officer said."],
    );
    b.claims = vec![claim(
        &b,
        "C1",
        0,
        ("an officer", true),
        "said",
        "Several hundred trainers are present in Kessel <for now>",
        Stance::Assert,
        "several hundred trainer present kessel",
    )];
    vec![a, b]
}

#[test]
fn the_report_shows_who_supports_who_denies_and_who_reframes() {
    let report = build("Kessel", &corpus());
    assert_eq!(report.summary.documents, 2);
    assert_eq!(report.summary.claims, 3);
    assert_eq!(report.summary.anonymous_claims, 2);
    assert_eq!(report.contested.len(), 1);
    let p = &report.contested[0];
    assert_eq!(p.support.len(), 1);
    assert_eq!(p.oppose[0].source, "The ministry");
    assert_eq!(p.reframe[0].source, "an officer");
    assert_eq!(report.numbers.len(), 1, "{:?}", report.numbers);
    assert_eq!(report.numbers[0].source.as_deref(), Some("two officials"));
    assert!(report.numbers[0].anonymous);
    assert_eq!(report.timeline.len(), 1);
    assert_eq!(
        report.timeline[0].from,
        NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()
    );
    assert_eq!(report.sourcing[0].claims, 2);
    // Each cited sentence once: the two of the first story and the one of the second.
    assert_eq!(report.references.len(), 3);

    let md = markdown(&report);
    assert!(md.contains("## Contested"), "{md}");
    assert!(
        md.contains("**Opposes**\n\n- The ministry (official), 2026-03-04 denied"),
        "{md}"
    );
    assert!(md.contains("two officials (anonymous official)"), "{md}");
    assert!(
        md.contains("**About 300** contractors, according to two officials (anonymous)"),
        "{md}"
    );
    assert!(md.contains("3. Coastal Tribune, 2026-03-05"), "{md}");
    assert!(md.contains("67% of them from anonymous sources"), "{md}");
}

#[test]
fn html_is_self_contained_and_escaped() {
    let page = html(&build("Kessel <b>", &corpus()));
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Situation report: Kessel &lt;b&gt;"));
    assert!(page.contains("&lt;for now&gt;"));
    assert!(!page.contains("<for now>"));
    assert!(!page.contains("<script"));
    assert!(!page.contains("src="));
    assert!(page.contains("href=\"#ref-1\""));
    assert!(page.contains("id=\"ref-3\""));
}

#[test]
fn years_day_numbers_and_vague_small_counts_are_not_figures() {
    let mut d = doc(
        "cccc3333",
        "Meridian Press",
        6,
        &[
            "Rebels have held 12 villages in several districts since at least 2022 and attacked on March 1 and 2, officials said.",
        ],
    );
    d.claims = vec![claim(
        &d,
        "C1",
        0,
        ("officials", true),
        "said",
        "Rebels have held 12 villages in several districts since at least 2022 and attacked on March 1 and 2",
        Stance::Assert,
        "rebel hold village attack",
    )];
    let bare = |text: &str, value: f64, unit: Option<&str>| {
        let q = span(&d, text);
        Quantity {
            text: q.text,
            start: q.start,
            end: q.end,
            value: Some(value),
            low: None,
            high: None,
            approx: false,
            unit: unit.map(str::to_string),
            unit_start: None,
            unit_end: None,
            kind: QuantityKind::Count,
            qualifier: None,
        }
    };
    let day = span(&d, " 2,");
    let mut two = bare("2,", 2.0, None);
    two.start = day.start + 1;
    two.end = day.start + 2;
    two.text = "2".into();
    let several = Quantity {
        value: None,
        low: Some(3.0),
        high: Some(9.0),
        ..bare("several", 0.0, Some("districts"))
    };
    d.quantities = vec![
        bare("12", 12.0, Some("villages")),
        several,
        bare("at least 2022", 2022.0, None),
        two,
    ];
    let t = span(&d, "March 1");
    d.times = vec![TimeExpr {
        text: t.text,
        start: t.start,
        end: t.end,
        from: NaiveDate::from_ymd_opt(2026, 3, 1),
        to: NaiveDate::from_ymd_opt(2026, 3, 1),
        kind: TimeKind::Date,
        anchor: TimeAnchor::Published,
        value: None,
        precision: None,
    }];
    let mut refs = References::default();
    let figures: Vec<String> = numbers(&[d], &mut refs)
        .into_iter()
        .map(|n| n.text)
        .collect();
    assert_eq!(figures, ["12"]);
}
