//! The seed evaluation: the matching rules of `shared/seed/README.md` applied to one extracted
//! document and its hand annotation.
//!
//! Claims are scored by [`crate::seed_claims`]. Events, whose coder is not built yet, are
//! reported as not implemented: listed, never counted as passing.

use chrono::NaiveDate;
use serde::Deserialize;
use sitrep_model::{Document, Quantity, TimeExpr};

use crate::{Category, Status};

/// The gold annotation file.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    pub document: GoldDocument,
    #[serde(default)]
    pub quantities: Vec<GoldQuantity>,
    #[serde(default)]
    pub times: Vec<GoldTime>,
    #[serde(default)]
    pub claims: Vec<crate::seed_claims::GoldClaim>,
    /// Sentences (their start) in which no claim may start.
    #[serde(default)]
    pub not_claims: Vec<String>,
    #[serde(default)]
    pub places: Vec<GoldPlace>,
    #[serde(default)]
    pub actors: Vec<GoldActor>,
    #[serde(default)]
    pub events: Vec<serde_json::Value>,
    #[serde(default)]
    pub contested: Vec<crate::seed_claims::GoldContested>,
}

/// A gold actor: an entity or claim source containing `text` whose actor has this `code`,
/// a code starting with `code_prefix`, this `name` or this `kind` (each when given).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldActor {
    pub text: String,
    pub code: Option<String>,
    pub code_prefix: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldDocument {
    /// The article file, relative to the gold file.
    pub file: String,
    pub published: Option<NaiveDate>,
    pub title: Option<String>,
    pub body_starts_with: Option<String>,
    pub body_ends_with: Option<String>,
    #[serde(default)]
    pub not_in_body: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuantity {
    pub text: String,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub low_between: Option<[f64; 2]>,
    pub high_between: Option<[f64; 2]>,
    pub approx: Option<bool>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldTime {
    pub text: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub from_between: Option<[NaiveDate; 2]>,
    pub to_between: Option<[NaiveDate; 2]>,
}

/// A gold place: an entity whose text is `text`, placed in `country`, and within `within_km`
/// of `lat`/`lon` when they are given.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPlace {
    pub text: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub within_km: Option<f64>,
}

pub const PLACE_FLOOR: f64 = 1.0;
pub const ACTOR_FLOOR: f64 = 1.0;

/// Floors: the share of gold items that must hold in each scored category.
pub const DOCUMENT_FLOOR: f64 = 1.0;
pub const QUANTITY_FLOOR: f64 = 1.0;
pub const TIME_FLOOR: f64 = 1.0;

/// Scores `doc` against `gold`, category by category. `claims_extracted` says whether the
/// pipeline that made `doc` finds claims: without a claim extractor the claims categories
/// are listed as not implemented rather than scored at zero.
pub fn evaluate(doc: &Document, gold: &Gold, claims_extracted: bool) -> Vec<Category> {
    let mut out = vec![
        document(doc, &gold.document),
        quantities(&doc.quantities, &gold.quantities),
        times(&doc.times, &gold.times),
    ];
    if claims_extracted {
        out.extend(crate::seed_claims::claims(
            doc,
            &gold.claims,
            &gold.not_claims,
            &gold.contested,
        ));
    } else {
        for name in ["claims", "claim details", "contested"] {
            out.push(Category {
                name,
                status: Status::NotImplemented {
                    total: gold.claims.len(),
                },
                misses: Vec::new(),
            });
        }
    }
    out.push(places(doc, &gold.places));
    out.push(actors(doc, &gold.actors));
    out.push(Category {
        name: "events",
        status: Status::NotImplemented {
            total: gold.events.len(),
        },
        misses: Vec::new(),
    });
    out
}

/// Actors: each gold actor held by an entity or a claim source containing its text.
fn actors(doc: &Document, gold: &[GoldActor]) -> Category {
    let checks = gold
        .iter()
        .map(|g| {
            // (actor, the claim source's kind) of every entity and source with the text.
            let mut found: Vec<(&sitrep_model::Actor, Option<&str>)> = doc
                .entities
                .iter()
                .filter(|e| e.text.contains(g.text.as_str()))
                .filter_map(|e| e.actor.as_ref().map(|a| (a, None)))
                .collect();
            found.extend(
                doc.claims
                    .iter()
                    .filter_map(|c| c.source.as_ref())
                    .filter(|s| s.text.contains(g.text.as_str()))
                    .filter_map(|s| s.actor.as_ref().map(|a| (a, Some(s.kind.name())))),
            );
            let holds = |(a, source_kind): &(&sitrep_model::Actor, Option<&str>)| {
                g.code.as_ref().is_none_or(|c| a.code == *c)
                    && g.code_prefix
                        .as_ref()
                        .is_none_or(|p| a.code.starts_with(p.as_str()))
                    && g.name.as_ref().is_none_or(|n| {
                        a.name.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(n))
                    })
                    && g.kind.as_ref().is_none_or(|k| {
                        a.kind.as_deref() == Some(k.as_str()) || *source_kind == Some(k.as_str())
                    })
            };
            let ok = found.iter().any(holds);
            let codes: Vec<&str> = found.iter().map(|(a, _)| a.code.as_str()).collect();
            (format!("{:?}: actors found {codes:?}", g.text), ok)
        })
        .collect();
    scored("actors", ACTOR_FLOOR, checks)
}

fn document(doc: &Document, gold: &GoldDocument) -> Category {
    let mut checks: Vec<(String, bool)> = Vec::new();
    if let Some(title) = &gold.title {
        checks.push((
            format!("title is {title:?} (got {:?})", doc.title),
            doc.title.as_deref() == Some(title.as_str()),
        ));
    }
    if let Some(start) = &gold.body_starts_with {
        checks.push((
            format!("body starts with {start:?}"),
            doc.text.starts_with(start.as_str()),
        ));
    }
    if let Some(end) = &gold.body_ends_with {
        checks.push((
            format!("body ends with {end:?}"),
            doc.text.ends_with(end.as_str()),
        ));
    }
    for s in &gold.not_in_body {
        checks.push((
            format!("{s:?} is not in the body"),
            !doc.text.contains(s.as_str()),
        ));
    }
    for r in &gold.related {
        checks.push((
            format!("related holds {r:?}"),
            doc.related.iter().any(|x| x == r),
        ));
    }
    scored("document", DOCUMENT_FLOOR, checks)
}

pub(crate) fn scored(name: &'static str, floor: f64, checks: Vec<(String, bool)>) -> Category {
    let total = checks.len();
    let misses: Vec<String> = checks
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(what, _)| what)
        .collect();
    Category {
        name,
        status: Status::Scored {
            found: total - misses.len(),
            total,
            floor,
        },
        misses,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

fn within(x: Option<f64>, range: [f64; 2]) -> bool {
    x.is_some_and(|x| x >= range[0] - 1e-9 && x <= range[1] + 1e-9)
}

/// Why an extracted quantity does not hold a gold one, or `None` when it does.
fn quantity_mismatch(q: &Quantity, g: &GoldQuantity) -> Option<String> {
    let mut why = Vec::new();
    let exact = |name: &str, got: Option<f64>, want: Option<f64>, why: &mut Vec<String>| {
        if let Some(w) = want
            && !got.is_some_and(|g| close(g, w))
        {
            why.push(format!("{name} {got:?} ≠ {w}"));
        }
    };
    exact("value", q.value, g.value, &mut why);
    exact("low", q.low, g.low, &mut why);
    exact("high", q.high, g.high, &mut why);
    if let Some(r) = g.low_between
        && !within(q.low, r)
    {
        why.push(format!("low {:?} not in {r:?}", q.low));
    }
    if let Some(r) = g.high_between
        && !within(q.high, r)
    {
        why.push(format!("high {:?} not in {r:?}", q.high));
    }
    if let Some(a) = g.approx
        && q.approx != a
    {
        why.push(format!("approx {} ≠ {a}", q.approx));
    }
    if let Some(u) = &g.unit
        && !q.unit.as_deref().is_some_and(|x| x.contains(u.as_str()))
    {
        why.push(format!("unit {:?} does not contain {u:?}", q.unit));
    }
    (!why.is_empty()).then(|| why.join(", "))
}

fn quantities(got: &[Quantity], gold: &[GoldQuantity]) -> Category {
    let checks = gold
        .iter()
        .map(|g| {
            let candidates: Vec<&Quantity> = got
                .iter()
                .filter(|q| q.text.contains(g.text.as_str()))
                .collect();
            let ok = candidates.iter().any(|q| quantity_mismatch(q, g).is_none());
            let why = match candidates.first() {
                None => "no extracted quantity contains it".to_string(),
                Some(q) => quantity_mismatch(q, g).unwrap_or_default(),
            };
            (format!("{:?}: {why}", g.text), ok)
        })
        .collect();
    scored("quantities", QUANTITY_FLOOR, checks)
}

fn places(doc: &Document, gold: &[GoldPlace]) -> Category {
    let checks = gold
        .iter()
        .map(|g| {
            let placed: Vec<&sitrep_model::Place> = doc
                .entities
                .iter()
                .filter(|e| e.text == g.text)
                .filter_map(|e| e.place.as_ref())
                .collect();
            let mismatch = |p: &sitrep_model::Place| -> Option<String> {
                if let Some(c) = &g.country
                    && p.country.as_deref() != Some(c.as_str())
                {
                    return Some(format!("placed in {:?}, not {c}", p.country));
                }
                if let (Some(lat), Some(lon), Some(km)) = (g.lat, g.lon, g.within_km) {
                    let Some(point) = p.lat.zip(p.lon) else {
                        return Some("no coordinates".into());
                    };
                    let d = crate::places::distance_km(point, (lat, lon));
                    if d > km {
                        return Some(format!("{d:.0} km from the gold point (limit {km} km)"));
                    }
                }
                None
            };
            let ok = placed.iter().any(|p| mismatch(p).is_none());
            let why = match placed.first() {
                None => "no entity of that text has a place".to_string(),
                Some(p) => mismatch(p).unwrap_or_default(),
            };
            (format!("{:?}: {why}", g.text), ok)
        })
        .collect();
    scored("places", PLACE_FLOOR, checks)
}

fn date_within(x: Option<NaiveDate>, range: [NaiveDate; 2]) -> bool {
    x.is_some_and(|x| x >= range[0] && x <= range[1])
}

fn time_mismatch(t: &TimeExpr, g: &GoldTime) -> Option<String> {
    let mut why = Vec::new();
    if let Some(f) = g.from
        && t.from != Some(f)
    {
        why.push(format!("from {:?} ≠ {f}", t.from));
    }
    if let Some(to) = g.to
        && t.to != Some(to)
    {
        why.push(format!("to {:?} ≠ {to}", t.to));
    }
    if let Some(r) = g.from_between
        && !date_within(t.from, r)
    {
        why.push(format!("from {:?} not in {} .. {}", t.from, r[0], r[1]));
    }
    if let Some(r) = g.to_between
        && !date_within(t.to, r)
    {
        why.push(format!("to {:?} not in {} .. {}", t.to, r[0], r[1]));
    }
    (!why.is_empty()).then(|| why.join(", "))
}

fn times(got: &[TimeExpr], gold: &[GoldTime]) -> Category {
    let checks = gold
        .iter()
        .map(|g| {
            let candidates: Vec<&TimeExpr> = got
                .iter()
                .filter(|t| t.text.contains(g.text.as_str()))
                .collect();
            let ok = candidates.iter().any(|t| time_mismatch(t, g).is_none());
            let why = match candidates.first() {
                None => "no extracted time contains it".to_string(),
                Some(t) => time_mismatch(t, g).unwrap_or_default(),
            };
            (format!("{:?}: {why}", g.text), ok)
        })
        .collect();
    scored("times", TIME_FLOOR, checks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_model::{QuantityKind, TimeAnchor, TimeKind};

    fn gold() -> Gold {
        serde_json::from_str(
            r#"{
            "document": {"file": "a.txt", "published": "2026-03-05", "title": "Talks resume",
                "body_starts_with": "Delegations met", "body_ends_with": "in April.",
                "not_in_body": ["Subscribe now"], "related": ["Earlier talks failed"]},
            "quantities": [{"text": "about 300", "value": 300, "approx": true, "unit": "people"},
                           {"text": "several dozen", "low_between": [20, 40], "high_between": [60, 100]}],
            "times": [{"text": "Tuesday", "from": "2026-03-03", "to": "2026-03-03"}],
            "places": [{"text": "Dravik"}]
        }"#,
        )
        .unwrap()
    }

    fn quantity(text: &str, value: Option<f64>, low: Option<f64>, high: Option<f64>) -> Quantity {
        Quantity {
            text: text.into(),
            start: 0,
            end: 0,
            value,
            low,
            high,
            approx: true,
            unit: Some("displaced people".into()),
            unit_start: None,
            unit_end: None,
            kind: QuantityKind::Count,
            qualifier: None,
        }
    }

    fn doc() -> Document {
        Document {
            title: Some("Talks resume".into()),
            text: "Delegations met on Tuesday. A deal is expected in April.".into(),
            related: vec!["Earlier talks failed".into()],
            quantities: vec![
                quantity("about 300", Some(300.0), None, None),
                quantity("several dozen", None, Some(30.0), Some(120.0)),
            ],
            times: vec![TimeExpr {
                text: "on Tuesday".into(),
                start: 0,
                end: 0,
                from: NaiveDate::from_ymd_opt(2026, 3, 3),
                to: NaiveDate::from_ymd_opt(2026, 3, 3),
                kind: TimeKind::Date,
                anchor: TimeAnchor::Published,
                value: None,
                precision: None,
            }],
            ..Document::default()
        }
    }

    #[test]
    fn scores_each_category_by_the_rules() {
        let cats = evaluate(&doc(), &gold(), true);
        assert_eq!(
            cats[0].status,
            Status::Scored {
                found: 5,
                total: 5,
                floor: 1.0
            }
        );
        // "several dozen": high 120 is outside 60..100.
        assert_eq!(
            cats[1].status,
            Status::Scored {
                found: 1,
                total: 2,
                floor: 1.0
            }
        );
        assert!(!cats[1].meets_floor());
        assert!(cats[1].misses[0].contains("high Some(120.0) not in"));
        assert!(cats[2].meets_floor());
        assert_eq!(cats[3].name, "claims");
        assert_eq!(
            cats[3].status,
            Status::Scored {
                found: 0,
                total: 0,
                floor: 1.0
            }
        );
        assert_eq!(cats[6].name, "places");
        assert_eq!(
            cats[6].status,
            Status::Scored {
                found: 0,
                total: 1,
                floor: 1.0
            }
        );
        assert!(cats[6].misses[0].contains("no entity of that text has a place"));
        assert_eq!(cats[7].name, "actors");
        assert_eq!(cats[8].status, Status::NotImplemented { total: 0 });
    }

    /// An actor holds when an entity or a claim source containing its text has the code, a
    /// code with the prefix, the name or the kind asked for.
    #[test]
    fn actors_are_matched_by_code_prefix_name_and_kind() {
        let gold: Gold = serde_json::from_str(
            r#"{"document": {"file": "a.txt"},
                "actors": [{"text": "Varnian army", "code_prefix": "VRN"},
                           {"text": "Kessel", "code": "VRNGOV"},
                           {"text": "Northern Shield", "name": "Northern Shield Brigades"},
                           {"text": "Wire", "kind": "media"}]}"#,
        )
        .unwrap();
        let actor = |code: &str, name: &str, kind: &str| {
            Some(sitrep_model::Actor {
                code: code.into(),
                name: Some(name.into()),
                kind: Some(kind.into()),
            })
        };
        let entity = |text: &str, actor| sitrep_model::Entity {
            id: String::new(),
            text: text.into(),
            start: 0,
            end: 0,
            kind: "ORG".into(),
            actor,
            place: None,
        };
        let mut d = Document {
            entities: vec![
                entity("Kessel", actor("VRN", "Varnia", "country")),
                entity(
                    "Northern Shield",
                    actor("VRNREB", "Northern Shield Brigades", "armed_group"),
                ),
                entity("Wire", actor("MED", "Wire", "media")),
            ],
            ..Document::default()
        };
        let cat = |d: &Document| evaluate(d, &gold, true)[7].clone();
        // "Varnian army" is in no entity or source; Kessel is coded VRN, not VRNGOV.
        assert_eq!(
            cat(&d).status,
            Status::Scored {
                found: 2,
                total: 4,
                floor: 1.0
            }
        );
        d.entities[0].actor = actor("VRNGOV", "Government of Varnia", "government");
        let mut claim = crate::seed_claims::tests::claim(
            "C1",
            "A Western official",
            "told",
            "contractors were in Kessel",
            sitrep_model::Stance::Assert,
        );
        let source = claim.source.as_mut().unwrap();
        source.text = "two Varnian army officers".into();
        source.actor = actor("VRNMIL", "Varnian army officers", "official");
        d.claims.push(claim);
        assert_eq!(
            cat(&d).status,
            Status::Scored {
                found: 4,
                total: 4,
                floor: 1.0
            }
        );
    }

    #[test]
    fn a_wrong_title_and_a_leaked_promo_fail_the_document() {
        let mut d = doc();
        d.title = Some("Other".into());
        d.text.push_str(" Subscribe now for more.");
        let cat = &evaluate(&d, &gold(), true)[0];
        assert_eq!(
            cat.status,
            Status::Scored {
                found: 2,
                total: 5,
                floor: 1.0
            }
        );
        assert!(!cat.meets_floor());
    }
}
