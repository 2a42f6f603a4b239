//! The seed's claims, by the matching rules of `shared/seed/README.md`.
//!
//! - **claims**: a gold claim is found when one extracted claim has a source span containing
//!   the gold `source`, a content span containing the gold `content` (or contained in it and
//!   covering at least 60% of its characters), the same `stance`, `anonymous` and `direct`,
//!   and the cue text equal to `cue`. Each extracted claim matches at most one gold claim.
//!   A claim whose content starts inside a `not_claims` sentence is a false positive: each
//!   such sentence is one more check, held when no claim starts in it.
//! - **claim details**, scored separately on the claims found: `recipient` (the extracted
//!   recipient contains it), `anonymity_cue` (the extracted cue contains it), `source_actor`
//!   (the actor code starts with it), `same_source_as` (the extracted `same_as` is the claim
//!   that matched the gold claim named), `time` (the statement's time covers that date).

use chrono::NaiveDate;
use serde::Deserialize;
use sitrep_model::{Claim, Directness, Document, Stance};

use crate::Category;

/// One gold claim of the seed annotation.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldClaim {
    pub id: String,
    pub source: String,
    pub anonymous: bool,
    pub cue: String,
    pub content: String,
    pub stance: Stance,
    pub direct: Directness,
    pub anonymity_cue: Option<String>,
    pub source_actor: Option<String>,
    pub recipient: Option<String>,
    pub same_source_as: Option<String>,
    pub time: Option<NaiveDate>,
}

/// Floors: every gold claim, and every detail of the claims found.
pub const CLAIM_FLOOR: f64 = 1.0;
pub const DETAIL_FLOOR: f64 = 1.0;
pub const CONTESTED_FLOOR: f64 = 1.0;

/// A contested proposition of the gold annotation.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldContested {
    pub proposition: String,
    pub support: Vec<String>,
    pub oppose: Vec<String>,
}

/// The claims, claim-details and contested categories.
pub fn claims(
    doc: &Document,
    gold: &[GoldClaim],
    not_claims: &[String],
    contested: &[GoldContested],
) -> [Category; 3] {
    let mut taken = vec![false; doc.claims.len()];
    let mut matched: Vec<Option<usize>> = Vec::with_capacity(gold.len());
    let mut checks = Vec::new();
    for g in gold {
        let candidates: Vec<usize> = (0..doc.claims.len())
            .filter(|&i| !taken[i] && spans_match(&doc.claims[i], g))
            .collect();
        let hit = candidates
            .iter()
            .copied()
            .find(|&i| fields_match(&doc.claims[i], g));
        if let Some(i) = hit {
            taken[i] = true;
        }
        matched.push(hit);
        let why = match (hit, candidates.first()) {
            (Some(_), _) => "found".to_string(),
            (None, Some(&i)) => format!("spans found, fields differ: {}", describe(&doc.claims[i])),
            (None, None) => "no extracted claim with its source, cue and content".to_string(),
        };
        checks.push((
            format!("{} ({:?} {} {:?}): {why}", g.id, g.source, g.cue, g.content),
            hit.is_some(),
        ));
    }
    for sentence in not_claims {
        let starts_inside = doc.claims.iter().find(|c| {
            doc.text.match_indices(sentence.as_str()).any(|(at, _)| {
                let start = doc.text[..at].chars().count();
                let end = start + sentence.chars().count();
                (start..end).contains(&c.content.start)
            })
        });
        checks.push((
            match starts_inside {
                Some(c) => format!("no claim in {sentence:?}, but {} starts there", c.id),
                None => format!("no claim in {sentence:?}"),
            },
            starts_inside.is_none(),
        ));
    }
    let claims = crate::seed::scored("claims", CLAIM_FLOOR, checks);

    let mut details = Vec::new();
    let gold_index = |id: &str| gold.iter().position(|g| g.id == id);
    for (g, hit) in gold.iter().zip(&matched) {
        let Some(i) = *hit else { continue };
        let c = &doc.claims[i];
        let source = c.source.as_ref();
        if let Some(want) = &g.recipient {
            let got = c.recipient.as_deref();
            details.push((
                format!("{} recipient {want:?} (got {got:?})", g.id),
                got.is_some_and(|r| r.contains(want.as_str())),
            ));
        }
        if let Some(want) = &g.anonymity_cue {
            let got = source.and_then(|s| s.anonymity_cue.as_deref());
            details.push((
                format!("{} anonymity cue {want:?} (got {got:?})", g.id),
                got.is_some_and(|r| r.contains(want.as_str())),
            ));
        }
        if let Some(want) = &g.source_actor {
            let got = source
                .and_then(|s| s.actor.as_ref())
                .map(|a| a.code.as_str());
            details.push((
                format!("{} source actor {want} (got {got:?})", g.id),
                got.is_some_and(|code| code.starts_with(want.as_str())),
            ));
        }
        if let Some(want) = &g.same_source_as {
            let expected = gold_index(want)
                .and_then(|k| matched[k])
                .map(|k| &doc.claims[k].id);
            let got = source.and_then(|s| s.same_as.as_ref());
            details.push((
                format!("{} same source as {want} (got {got:?})", g.id),
                expected.is_some() && got == expected,
            ));
        }
        if let Some(want) = g.time {
            let got = c
                .time
                .as_deref()
                .and_then(|id| id.strip_prefix('T'))
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| doc.times.get(n.wrapping_sub(1)));
            details.push((
                format!(
                    "{} time {want} (got {:?})",
                    g.id,
                    got.map(|t| (t.from, t.to))
                ),
                got.is_some_and(|t| {
                    t.from.is_some_and(|f| f <= want) && t.to.is_some_and(|to| want <= to)
                }),
            ));
        }
    }
    let contested = contested_category(doc, gold, &matched, contested);
    [
        claims,
        crate::seed::scored("claim details", DETAIL_FLOOR, details),
        contested,
    ]
}

/// A gold contested proposition holds when one proposition over the document's claims has at
/// least 3 of its `support` claims (those found) as support and at least 2 of its `oppose`
/// claims as oppose or reframe.
fn contested_category(
    doc: &Document,
    gold: &[GoldClaim],
    matched: &[Option<usize>],
    contested: &[GoldContested],
) -> Category {
    use sitrep_extract::propositions::{ClaimInput, Position, PropositionLexicon, group};
    let inputs: Vec<ClaimInput<'_>> = doc
        .claims
        .iter()
        .map(|c| ClaimInput {
            key: c.id.clone(),
            terms: &c.terms,
            anchors: &c.anchors,
            stance: c.stance,
            content: &c.content.text,
        })
        .collect();
    let props = group(&inputs, &PropositionLexicon::embedded());
    let claim_of = |id: &str| {
        gold.iter()
            .position(|g| g.id == id)
            .and_then(|k| matched[k])
    };
    let checks = contested
        .iter()
        .map(|g| {
            let best = props
                .iter()
                .map(|p| {
                    let count = |ids: &[String], ok: &dyn Fn(Position) -> bool| {
                        ids.iter()
                            .filter_map(|id| claim_of(id))
                            .filter(|&c| p.members.iter().any(|m| m.claim == c && ok(m.position)))
                            .count()
                    };
                    let support = count(&g.support, &|p| p == Position::Support);
                    let oppose = count(&g.oppose, &|p| p != Position::Support);
                    (
                        support.min(3) + oppose.min(2),
                        support,
                        oppose,
                        p.id.clone(),
                    )
                })
                .max();
            let (holds, why) = match best {
                Some((_, s, o, id)) => (
                    s >= 3 && o >= 2,
                    format!("best proposition {id}: {s} support, {o} oppose or reframe"),
                ),
                None => (false, "no proposition".to_string()),
            };
            (format!("{:?}: {why}", g.proposition), holds)
        })
        .collect();
    crate::seed::scored("contested", CONTESTED_FLOOR, checks)
}

/// Source, cue and content spans by the README's rule.
fn spans_match(c: &Claim, g: &GoldClaim) -> bool {
    let source_ok = c
        .source
        .as_ref()
        .is_some_and(|s| s.text.contains(g.source.as_str()));
    let content = c.content.text.as_str();
    let content_ok = content.contains(g.content.as_str())
        || (g.content.contains(content)
            && content.chars().count() * 10 >= g.content.chars().count() * 6);
    source_ok && content_ok && c.cue.text == g.cue
}

fn fields_match(c: &Claim, g: &GoldClaim) -> bool {
    c.stance == g.stance
        && c.direct == g.direct
        && c.source
            .as_ref()
            .is_some_and(|s| s.anonymous == g.anonymous)
}

fn describe(c: &Claim) -> String {
    format!(
        "{} stance {:?}, {:?}, anonymous {:?}",
        c.id,
        c.stance,
        c.direct,
        c.source.as_ref().map(|s| s.anonymous)
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use sitrep_model::{ClaimSource, Cue, SourceKind, TextSpan};

    const TEXT: &str = "A Western official told AFP that contractors were in Kessel. \
        The official said they had left. The region is calm.";

    fn span(text: &str) -> TextSpan {
        let at = TEXT.find(text).unwrap();
        let start = TEXT[..at].chars().count();
        TextSpan {
            text: text.into(),
            start,
            end: start + text.chars().count(),
        }
    }

    pub(crate) fn claim(id: &str, source: &str, cue: &str, content: &str, stance: Stance) -> Claim {
        let s = span(source);
        let c = span(cue);
        Claim {
            id: id.into(),
            sentence: 0,
            source: Some(ClaimSource {
                text: s.text,
                start: s.start,
                end: s.end,
                kind: SourceKind::Official,
                anonymous: true,
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
            content: span(content),
            direct: Directness::Indirect,
            stance,
            recipient: None,
            time: None,
            confidence: 0.9,
            why: Vec::new(),
            terms: Vec::new(),
            anchors: Vec::new(),
        }
    }

    fn gold() -> Vec<GoldClaim> {
        serde_json::from_str(
            r#"[{"id": "G1", "source": "Western official", "anonymous": true, "cue": "told",
                 "recipient": "AFP", "content": "contractors were in Kessel", "stance": "assert",
                 "direct": "indirect"},
                {"id": "G2", "source": "The official", "anonymous": true, "cue": "said",
                 "same_source_as": "G1", "content": "they had left", "stance": "assert",
                 "direct": "indirect"}]"#,
        )
        .unwrap()
    }

    #[test]
    fn claims_match_by_spans_and_fields_and_details_are_scored_apart() {
        let mut first = claim(
            "C1",
            "A Western official",
            "told",
            "contractors were in Kessel",
            Stance::Assert,
        );
        first.recipient = Some("AFP".into());
        let mut second = claim("C2", "The official", "said", "they had left", Stance::Deny);
        second.source.as_mut().unwrap().same_as = Some("C1".into());
        let stray = claim(
            "C3",
            "The official",
            "said",
            "The region is calm",
            Stance::Assert,
        );
        let doc = Document {
            text: TEXT.into(),
            claims: vec![first, second, stray],
            ..Document::default()
        };
        let [claims, details, contested] =
            super::claims(&doc, &gold(), &["The region is calm".to_string()], &[]);
        assert_eq!(contested.found_total(), (0, 0));
        // G1 found; G2's stance differs; C3 starts in a sentence that holds no claim.
        assert_eq!(claims.found_total(), (1, 3), "{:?}", claims.misses);
        assert!(claims.misses.iter().any(|m| m.contains("fields differ")));
        assert!(claims.misses.iter().any(|m| m.contains("C3 starts there")));
        // Details only of claims found: G1's recipient.
        assert_eq!(details.found_total(), (1, 1), "{:?}", details.misses);
    }

    #[test]
    fn a_shorter_content_covering_most_of_the_gold_one_matches() {
        let g = &gold()[0];
        let c = claim(
            "C1",
            "A Western official",
            "told",
            "contractors were in",
            Stance::Assert,
        );
        assert!(spans_match(&c, g), "19 of 26 characters");
        let c = claim(
            "C1",
            "A Western official",
            "told",
            "in Kessel",
            Stance::Assert,
        );
        assert!(!spans_match(&c, g));
    }
}
