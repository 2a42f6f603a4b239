//! The scorer on a hand-made document, every count worked out by hand.

use super::*;

const TEXT: &str = "“We will hold the bridge,” the colonel said. Officials denied that troops \
    had left, and a spokesman said the base stayed open. Troops reportedly left the town.\n\
    Residents: “The shelling never stopped.”";

/// Spans of unique strings of the text, or `WORD#N` for the N-th (0-based) occurrence.
fn sp(parts: &[&str]) -> Spans {
    Spans::new(parts.iter().map(|p| {
        let (needle, at) = match p.split_once('#') {
            Some((needle, n)) => {
                let n: usize = n.parse().unwrap();
                (needle, TEXT.match_indices(needle).nth(n).unwrap().0)
            }
            None => {
                assert_eq!(TEXT.matches(p).count(), 1, "{p:?} is not unique");
                (*p, TEXT.find(p).unwrap())
            }
        };
        at..at + needle.len()
    }))
    .unwrap()
}

fn rel(source: Option<&[&str]>, cue: &[&str], content: &[&str]) -> Relation {
    Relation {
        source: source.map(sp),
        cue: sp(cue),
        content: sp(content),
    }
}

fn gold() -> Vec<Attribution> {
    vec![
        // G1: direct.
        rel(
            Some(&["the colonel"]),
            &["said#0"],
            &["“We will hold the bridge,”"],
        ),
        // G2: indirect.
        rel(Some(&["Officials"]), &["denied"], &["that troops had left"]),
        // G3: no source, a discontiguous content.
        rel(None, &["reportedly"], &["Troops", "left the town"]),
        // G4: a colon as the cue, direct.
        rel(
            Some(&["Residents"]),
            &[":"],
            &["“The shelling never stopped.”"],
        ),
    ]
}

fn predicted() -> Vec<Relation> {
    vec![
        // P1: G1 without the marks (exact once trimmed).
        rel(
            Some(&["the colonel"]),
            &["said#0"],
            &["We will hold the bridge"],
        ),
        // P2: G2 with a content too long (partial), and P3 the same again (no second match).
        rel(
            Some(&["Officials"]),
            &["denied"],
            &["troops had left, and a spokesman said the base stayed open"],
        ),
        rel(
            Some(&["Officials"]),
            &["denied"],
            &["troops had left, and a spokesman said the base stayed open"],
        ),
        // P4: G3 as one piece (partial); P5: G3 exactly, a better overlap, so P5 takes G3.
        rel(None, &["reportedly"], &["Troops reportedly left the town"]),
        rel(None, &["reportedly"], &["Troops", "left the town."]),
        // P6: G4 without its source: no match.
        rel(None, &[":"], &["“The shelling never stopped.”"]),
    ]
}

fn scores() -> PolnearScores {
    let (g, p) = (gold(), predicted());
    score(&[DocPair {
        text: TEXT,
        gold: &g,
        predicted: &p,
    }])
}

fn counts(s: &Score) -> (usize, usize, usize, usize) {
    (s.gold, s.predicted, s.gold_found, s.predicted_correct)
}

#[test]
fn relation_matches_exact_and_partial() {
    let s = scores();
    assert_eq!(s.documents, 1);
    // Exact: G1-P1 and G3-P5.
    assert_eq!(counts(&s.all.exact), (4, 6, 2, 2));
    assert!((s.all.exact.precision() - 2.0 / 6.0).abs() < 1e-12);
    assert!((s.all.exact.recall() - 0.5).abs() < 1e-12);
    assert!((s.all.exact.f1() - 0.4).abs() < 1e-12);
    // Partial: G1-P1, G2-P2 (P3 finds G2 taken), G3-P5 (P4 overlaps less).
    assert_eq!(counts(&s.all.partial), (4, 6, 3, 3));
    assert!((s.all.partial.f1() - 0.6).abs() < 1e-12);
}

#[test]
fn role_tokens() {
    let s = scores();
    // Sources: gold {the, colonel, Officials, Residents}, predicted {the, colonel, Officials}.
    assert_eq!(counts(&s.all.source), (4, 3, 3, 3));
    // Cues: said, denied, reportedly, ":" on both sides.
    assert_eq!(counts(&s.all.cue), (4, 4, 4, 4));
    // Contents: gold 5 + 4 + 4 + 4 = 17 words; predicted 5 + 11 + 5 (P5's 4 within P4's)
    // + 4 = 25; shared 5 + 3 (troops had left) + 4 + 4 = 16.
    assert_eq!(counts(&s.all.content), (17, 25, 16, 16));
}

#[test]
fn split_by_quote_kind() {
    let s = scores();
    let direct = s.kind(QuoteKind::Direct);
    let indirect = s.kind(QuoteKind::Indirect);
    assert_eq!(*s.kind(QuoteKind::Mixed), Breakdown::default());
    // Gold G1, G4 and predictions P1, P6 are direct; the rest indirect.
    assert_eq!(counts(&direct.exact), (2, 2, 1, 1));
    assert_eq!(counts(&indirect.exact), (2, 4, 1, 1));
    assert_eq!(counts(&direct.partial), (2, 2, 1, 1));
    assert_eq!(counts(&indirect.partial), (2, 4, 2, 2));
    // Tokens: each kind's gold against all predictions, and the reverse.
    assert_eq!(counts(&direct.content), (9, 9, 9, 9));
    assert_eq!(counts(&indirect.content), (8, 16, 7, 7));
    assert_eq!(counts(&direct.source), (3, 2, 2, 2));
    assert_eq!(counts(&indirect.source), (1, 1, 1, 1));
    // The split adds up to the whole.
    for measure in [
        |b: &Breakdown| b.exact,
        |b: &Breakdown| b.partial,
        |b: &Breakdown| b.content,
    ] {
        let sum = s
            .by_kind
            .iter()
            .map(|b| measure(b).predicted)
            .sum::<usize>();
        assert_eq!(sum, measure(&s.all).predicted);
    }
}

#[test]
fn a_missing_source_matches_only_a_missing_source() {
    let g = gold();
    // G3 predicted with a source: neither exact nor partial.
    let p = vec![rel(
        Some(&["Officials"]),
        &["reportedly"],
        &["Troops", "left the town"],
    )];
    let s = score(&[DocPair {
        text: TEXT,
        gold: &g[2..3],
        predicted: &p,
    }]);
    assert_eq!((s.all.exact.gold_found, s.all.partial.gold_found), (0, 0));
    // Content below half of gold's tokens: "left" is 1 of 4.
    let p = vec![rel(None, &["reportedly"], &["town."])];
    let s = score(&[DocPair {
        text: TEXT,
        gold: &g[2..3],
        predicted: &p,
    }]);
    assert_eq!(s.all.partial.gold_found, 0);
}

#[test]
fn ties_go_to_the_first_prediction() {
    let g = gold();
    let p = predicted();
    // P2 and P3 are the same: reversed, the first one (P3 in the old order) takes G2.
    let reversed: Vec<Relation> = vec![p[2].clone(), p[1].clone()];
    let s = score(&[DocPair {
        text: TEXT,
        gold: &g[1..2],
        predicted: &reversed,
    }]);
    assert_eq!(counts(&s.all.partial), (1, 2, 1, 1));
    assert_eq!(
        assign(vec![(0.5, 0, 1), (0.5, 0, 0), (0.9, 1, 0)], 2, 2),
        vec![Some(1), Some(0)]
    );
}

#[test]
fn empty_sides_score_zero_without_dividing_by_zero() {
    let s = score(&[DocPair {
        text: TEXT,
        gold: &[],
        predicted: &[],
    }]);
    assert_eq!(s.all.exact.f1(), 0.0);
    assert_eq!(s.all.exact.precision(), 0.0);
}

#[test]
fn gold_against_itself_is_perfect() {
    let g = gold();
    let s = score(&[DocPair {
        text: TEXT,
        gold: &g,
        predicted: &g,
    }]);
    let all = [
        s.all.exact,
        s.all.partial,
        s.all.source,
        s.all.cue,
        s.all.content,
    ];
    for m in all {
        assert_eq!((m.precision(), m.recall()), (1.0, 1.0), "{m:?}");
    }
}
