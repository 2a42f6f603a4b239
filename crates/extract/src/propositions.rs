//! Propositions: claims, across documents, that are about the same thing, and where each
//! stands on it (support, oppose, reframe).
//!
//! Deterministic and explainable, with no all-pairs comparison:
//! 1. **Terms.** Each claim's content terms (lemmas, [`sitrep_model::Claim::terms`]) are
//!    mapped to classes of words that name the same thing (`term_classes.tsv`: "deployed",
//!    "arrived", "present" are one `presence`; "mercenaries", "advisers" one
//!    `armed_personnel`); other terms stand for themselves.
//! 2. **Candidates** come from an inverted index from term to claims; a term in more than
//!    [`MAX_POSTINGS`] claims is too common to propose a pair (it still counts toward what
//!    a proposed pair shares). Each claim meets at most that many candidates per term, so
//!    grouping grows with the number of claims, not its square: 100,000 generated claims
//!    are read from the store, grouped and written back in 2.5 s
//!    on the team's 2-core machine (`sitrep bench --propositions 100000`).
//! 3. **Links.** Two claims are linked when they name a common thing (share an anchor,
//!    `Claim::anchors`: "mali", "halvard"; a claim whose content names nothing is anchored
//!    by its document's names), share at least two terms, and the shared terms carry at
//!    least half of the smaller claim's weight (each term weighed by its inverse document
//!    frequency among the claims). Without the anchor, "mercenaries deployed to the
//!    country" in a story on Mali would join every story on contractors anywhere. Propositions are the linked groups of two
//!    or more claims (union-find), so the result does not depend on the order of the claims.
//! 4. **Positions.** A claim that denies its content opposes the proposition. Where a group's
//!    claims name one referent in contested ways (`framings.tsv`: "mercenaries" or
//!    "advisers"), the proposition's framing is the one its denials deny, else the one most
//!    of its claims use; a claim that uses the other side's word reframes it. Every other
//!    claim supports it.
//!
//! Every link and position carries the reason (`why`), so `sitrep propositions --explain` can
//! show why two claims were grouped and why a claim stands where it does.

use std::collections::{BTreeMap, HashMap};

use sitrep_model::Stance;

/// Terms in more claims than this do not propose pairs of claims: "year", "government" and
/// the like would link everything with everything, and cost the square of their count.
pub const MAX_POSTINGS: usize = 200;

const TERM_CLASSES: &str = include_str!("../../../data/claims/term_classes.tsv");
const FRAMINGS: &str = include_str!("../../../data/claims/framings.tsv");

/// One claim as propositions see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimInput<'a> {
    /// A stable key: document id and claim id ("2416210c120ccc82/C3").
    pub key: String,
    pub terms: &'a [String],
    /// What it names (`Claim::anchors`); empty for claims stored before anchors were kept.
    pub anchors: &'a [String],
    pub stance: Stance,
    /// The content, for the proposition's label.
    pub content: &'a str,
}

/// Where a claim stands on a proposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Position {
    Support,
    Oppose,
    Reframe,
}

impl Position {
    pub fn name(self) -> &'static str {
        match self {
            Position::Support => "support",
            Position::Oppose => "oppose",
            Position::Reframe => "reframe",
        }
    }
}

/// A claim in a proposition.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Index into the claims given to [`group`].
    pub claim: usize,
    pub position: Position,
    pub why: String,
}

/// Claims about the same proposition.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposition {
    /// Stable across runs: `P` and a hash of the smallest member key.
    pub id: String,
    /// The content of its most linked supporting claim (else its most linked claim).
    pub label: String,
    /// The terms most of its claims share, for a reader.
    pub terms: Vec<String>,
    /// The contested framing it is stated in, if any ("mercenary").
    pub framing: Option<String>,
    pub members: Vec<Member>,
    /// Why its claims are grouped: each link with the terms it rests on.
    pub links: Vec<String>,
}

impl Proposition {
    /// Claims on both sides: a support and an opposition or a reframing.
    pub fn is_contested(&self) -> bool {
        let has = |p| self.members.iter().any(|m| m.position == p);
        has(Position::Support) && (has(Position::Oppose) || has(Position::Reframe))
    }
}

/// The word lists propositions read.
#[derive(Debug, Clone)]
pub struct PropositionLexicon {
    classes: HashMap<&'static str, &'static str>,
    /// Lemma → (referent, side 0 or 1).
    framings: HashMap<&'static str, (&'static str, usize)>,
}

impl PropositionLexicon {
    pub fn embedded() -> PropositionLexicon {
        let lines = |s: &'static str| {
            s.lines()
                .map(|l| l.split('#').next().unwrap_or("").trim())
                .filter(|l| !l.is_empty())
        };
        let mut classes = HashMap::new();
        for line in lines(TERM_CLASSES) {
            if let Some((class, words)) = line.split_once('\t') {
                for w in words.split('|') {
                    classes.insert(w.trim(), class.trim());
                }
            }
        }
        let mut framings = HashMap::new();
        for line in lines(FRAMINGS) {
            let cols: Vec<&str> = line.split('\t').collect();
            if let [referent, a, b] = cols[..] {
                for (side, words) in [a, b].into_iter().enumerate() {
                    for w in words.split('|') {
                        framings.insert(w.trim(), (referent.trim(), side));
                    }
                }
            }
        }
        PropositionLexicon { classes, framings }
    }

    fn class<'t>(&self, term: &'t str) -> &'t str {
        self.classes.get(term).copied().unwrap_or(term)
    }
}

/// Groups claims into propositions (see the module doc). Propositions come in order of their
/// first claim; members in the order of the claims.
pub fn group(claims: &[ClaimInput<'_>], lexicon: &PropositionLexicon) -> Vec<Proposition> {
    let n = claims.len();
    // 1. Terms by class, each claim's set.
    let sets: Vec<Vec<&str>> = claims
        .iter()
        .map(|c| {
            let mut set: Vec<&str> = c.terms.iter().map(|t| lexicon.class(t)).collect();
            set.sort_unstable();
            set.dedup();
            set
        })
        .collect();
    // 2. Term ids (in the terms' sorted order, so sorted ids are sorted terms), the inverted
    // index and the weights.
    let mut vocabulary: Vec<&str> = sets.iter().flatten().copied().collect();
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let id_of: HashMap<&str, u32> = vocabulary
        .iter()
        .enumerate()
        .map(|(k, &t)| (t, k as u32))
        .collect();
    let ids: Vec<Vec<u32>> = sets
        .iter()
        .map(|set| set.iter().map(|t| id_of[t]).collect())
        .collect();
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); vocabulary.len()];
    for (i, set) in ids.iter().enumerate() {
        for &t in set {
            postings[t as usize].push(i);
        }
    }
    let weights: Vec<f64> = postings
        .iter()
        .map(|list| ((n as f64 + 1.0) / (list.len() as f64 + 1.0)).ln() + 1.0)
        .collect();
    let totals: Vec<f64> = ids
        .iter()
        .map(|set| set.iter().map(|&t| weights[t as usize]).sum())
        .collect();
    // 3. Links, each pair once (i < j): candidates through the terms rare enough to pair
    // claims, then every term the two share (common ones too) counted.
    let mut parent: Vec<usize> = (0..n).collect();
    let mut links: Vec<(usize, usize, Vec<&str>)> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    let mut shared: Vec<u32> = Vec::new();
    for i in 0..n {
        candidates.clear();
        for &t in &ids[i] {
            let list = &postings[t as usize];
            if list.len() <= MAX_POSTINGS {
                candidates.extend(list.iter().copied().filter(|&j| j > i));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &j in &candidates {
            shared_terms(&ids[i], &ids[j], &mut shared);
            if shared.len() < 2 || !share_anchor(&claims[i], &claims[j]) {
                continue;
            }
            let common: f64 = shared.iter().map(|&t| weights[t as usize]).sum();
            if common * 2.0 >= totals[i].min(totals[j]) {
                union(&mut parent, i, j);
                let terms = shared.iter().map(|&t| vocabulary[t as usize]).collect();
                links.push((i, j, terms));
            }
        }
    }
    // Groups of two or more, in order of their first claim, each with its links.
    let mut groups: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().0.push(i);
    }
    for (k, link) in links.iter().enumerate() {
        let root = find(&mut parent, link.0);
        if let Some(group) = groups.get_mut(&root) {
            group.1.push(k);
        }
    }
    let mut out: Vec<Proposition> = groups
        .into_values()
        .filter(|(members, _)| members.len() > 1)
        .map(|(members, own_links)| {
            let group_links: Vec<&(usize, usize, Vec<&str>)> =
                own_links.iter().map(|&k| &links[k]).collect();
            proposition(claims, &sets, &members, &group_links, lexicon)
        })
        .collect();
    out.sort_by_key(|p| p.members[0].claim);
    out
}

/// Whether two claims name a common thing (claims stored without anchors name anything).
fn share_anchor(a: &ClaimInput<'_>, b: &ClaimInput<'_>) -> bool {
    a.anchors.is_empty() || b.anchors.is_empty() || a.anchors.iter().any(|x| b.anchors.contains(x))
}

/// The terms in both sorted sets, into `out`.
fn shared_terms(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    let (mut i, mut j) = (0, 0);
    out.clear();
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut root = i;
    while parent[root] != root {
        root = parent[root];
    }
    let mut at = i;
    while parent[at] != root {
        let next = parent[at];
        parent[at] = root;
        at = next;
    }
    root
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    // The smaller index is the root, so roots do not depend on link order.
    let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[hi] = lo;
}

/// One group made a proposition: framing, positions, label and reasons.
fn proposition(
    claims: &[ClaimInput<'_>],
    sets: &[Vec<&str>],
    members: &[usize],
    group_links: &[&(usize, usize, Vec<&str>)],
    lexicon: &PropositionLexicon,
) -> Proposition {
    // The framing: per referent, which side denials deny, else which side more claims use.
    let sides_of = |c: &ClaimInput<'_>| -> Vec<(&'static str, usize, String)> {
        c.terms
            .iter()
            .filter_map(|t| {
                lexicon
                    .framings
                    .get(t.as_str())
                    .map(|&(r, s)| (r, s, t.clone()))
            })
            .collect()
    };
    let mut tally: BTreeMap<&str, [(usize, usize); 2]> = BTreeMap::new();
    for &m in members {
        let denial = claims[m].stance == Stance::Deny;
        for (referent, side, _) in sides_of(&claims[m]) {
            let entry = tally.entry(referent).or_default();
            entry[side].0 += usize::from(denial);
            entry[side].1 += 1;
        }
    }
    // Only a referent named both ways in the group is contested; the first such decides.
    let framing: Option<(&str, usize)> = tally.iter().find_map(|(referent, sides)| {
        (sides[0].1 > 0 && sides[1].1 > 0).then(|| {
            let side = if sides[0].0 != sides[1].0 {
                usize::from(sides[1].0 > sides[0].0)
            } else {
                usize::from(sides[1].1 > sides[0].1)
            };
            (*referent, side)
        })
    });
    // The framing's word: the one its claims use most (the first met on a tie).
    let framing_word = framing.and_then(|(referent, side)| {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for &m in members {
            for (_, _, w) in sides_of(&claims[m])
                .into_iter()
                .filter(|(r, s, _)| *r == referent && *s == side)
            {
                match counts.iter_mut().find(|(word, _)| *word == w) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((w, 1)),
                }
            }
        }
        counts
            .iter()
            .rev()
            .max_by_key(|(_, n)| *n)
            .map(|(w, _)| w.clone())
    });
    let out_members: Vec<Member> = members
        .iter()
        .map(|&m| {
            let c = &claims[m];
            let other_side = framing.and_then(|(referent, side)| {
                sides_of(c)
                    .into_iter()
                    .find(|(r, s, _)| *r == referent && *s != side)
                    .map(|(_, _, w)| w)
            });
            let (position, why) = if c.stance == Stance::Deny {
                (Position::Oppose, format!("{} denies its content", c.key))
            } else if let Some(word) = other_side {
                (
                    Position::Reframe,
                    format!(
                        "{} says \"{word}\" where the proposition says \"{}\"",
                        c.key,
                        framing_word.as_deref().unwrap_or("?")
                    ),
                )
            } else {
                (
                    Position::Support,
                    format!(
                        "{} {} its content",
                        c.key,
                        if c.stance == Stance::Hedge {
                            "hedges but states"
                        } else {
                            "asserts"
                        }
                    ),
                )
            };
            Member {
                claim: m,
                position,
                why,
            }
        })
        .collect();
    // Label: the best-linked supporting claim.
    let mut degrees: HashMap<usize, usize> = HashMap::new();
    for (i, j, _) in group_links {
        *degrees.entry(*i).or_default() += 1;
        *degrees.entry(*j).or_default() += 1;
    }
    let degree = |m: usize| degrees.get(&m).copied().unwrap_or(0);
    let label_claim = out_members
        .iter()
        .filter(|m| m.position == Position::Support)
        .max_by_key(|m| (degree(m.claim), std::cmp::Reverse(m.claim)))
        .or_else(|| out_members.iter().max_by_key(|m| degree(m.claim)))
        .map_or(members[0], |m| m.claim);
    // Terms in at least half the claims, most common first.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &m in members {
        for &t in &sets[m] {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut terms: Vec<(&str, usize)> = counts
        .into_iter()
        .filter(|&(_, c)| c * 2 >= members.len())
        .collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let key = members
        .iter()
        .map(|&m| claims[m].key.as_str())
        .min()
        .unwrap_or("");
    Proposition {
        id: format!("P{:08x}", sitrep_model::hash::hash_str(key) as u32),
        label: claims[label_claim].content.to_string(),
        terms: terms.into_iter().map(|(t, _)| t.to_string()).collect(),
        framing: framing_word,
        members: out_members,
        links: group_links
            .iter()
            .map(|(i, j, shared)| {
                format!(
                    "{} and {} share {}",
                    claims[*i].key,
                    claims[*j].key,
                    shared.join(", ")
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(key: &str, terms: &'a [String], stance: Stance) -> ClaimInput<'a> {
        ClaimInput {
            key: key.into(),
            terms,
            anchors: &[],
            stance,
            content: "",
        }
    }

    fn terms(words: &str) -> Vec<String> {
        words.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn claims_group_by_shared_terms_and_stand_by_stance_and_framing() {
        let t = [
            terms("foreign contractor deploy kessel"),
            terms("several hundred contractor arrive north kessel"),
            terms("contractor deploy country"),
            terms("foreign trainer present kessel"),
            terms("harvest good year farmer"),
            terms("farmer expect good harvest"),
        ];
        let claims = vec![
            input("d1/C1", &t[0], Stance::Assert),
            input("d2/C1", &t[1], Stance::Hedge),
            input("d3/C1", &t[2], Stance::Deny),
            input("d3/C2", &t[3], Stance::Assert),
            input("d4/C1", &t[4], Stance::Assert),
            input("d4/C2", &t[5], Stance::Assert),
        ];
        let props = group(&claims, &PropositionLexicon::embedded());
        assert_eq!(props.len(), 2, "{props:#?}");
        let p = &props[0];
        let positions: Vec<(usize, Position)> =
            p.members.iter().map(|m| (m.claim, m.position)).collect();
        assert_eq!(
            positions,
            [
                (0, Position::Support),
                (1, Position::Support),
                (2, Position::Oppose),
                (3, Position::Reframe)
            ]
        );
        assert_eq!(p.framing.as_deref(), Some("contractor"));
        assert!(p.is_contested());
        assert!(
            p.members[3].why.contains("\"trainer\""),
            "{:?}",
            p.members[3]
        );
        assert!(
            p.links.iter().any(|l| l.contains("presence")),
            "{:?}",
            p.links
        );
        assert!(!props[1].is_contested());
        // The same claims in another order give the same propositions.
        let mut reversed = claims.clone();
        reversed.reverse();
        let again = group(&reversed, &PropositionLexicon::embedded());
        let ids = |ps: &[Proposition]| {
            let mut ids: Vec<String> = ps.iter().map(|p| p.id.clone()).collect();
            ids.sort();
            ids
        };
        assert_eq!(ids(&props), ids(&again));
    }

    #[test]
    fn claims_about_different_named_things_do_not_link() {
        let t = [
            terms("mercenary deploy country"),
            terms("contractor deploy country kessel"),
            terms("russian adviser arrive mali"),
        ];
        let (mali, varnia, kessel) = (
            ["mali".to_string(), "russian".to_string()],
            ["varnia".to_string(), "halvard".to_string()],
            ["kessel".to_string(), "varnia".to_string()],
        );
        let claims = vec![
            ClaimInput {
                anchors: &mali,
                ..input("mali/C1", &t[0], Stance::Deny)
            },
            ClaimInput {
                anchors: &kessel,
                ..input("varnia/C1", &t[1], Stance::Assert)
            },
            ClaimInput {
                anchors: &mali,
                ..input("mali/C2", &t[2], Stance::Assert)
            },
        ];
        let props = group(&claims, &PropositionLexicon::embedded());
        assert_eq!(props.len(), 1, "{props:#?}");
        let members: Vec<usize> = props[0].members.iter().map(|m| m.claim).collect();
        assert_eq!(members, [0, 2]);
        // The same terms with a common name do link.
        let claims = vec![
            ClaimInput {
                anchors: &varnia,
                ..input("a/C1", &t[0], Stance::Deny)
            },
            ClaimInput {
                anchors: &kessel,
                ..input("b/C1", &t[1], Stance::Assert)
            },
        ];
        assert_eq!(group(&claims, &PropositionLexicon::embedded()).len(), 1);
    }

    #[test]
    fn one_shared_term_is_not_a_link() {
        let t = [
            terms("contractor deploy kessel"),
            terms("contractor pay salary"),
        ];
        let claims = vec![
            input("a/C1", &t[0], Stance::Assert),
            input("b/C1", &t[1], Stance::Assert),
        ];
        assert!(group(&claims, &PropositionLexicon::embedded()).is_empty());
    }
}
