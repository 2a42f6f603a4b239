//! Claims, speakers and propositions in the store: the migrations from schema v3 and v4,
//! storing a document again, who counts as one speaker, the filters of the claims, speakers
//! and outlets queries, and stored propositions.
//! Documents and their claims are built here by hand: the store does not care where claims
//! come from.

use rusqlite::{Connection, params};
use sitrep_model::{
    Actor, Claim, ClaimSource, Cue, Directness, Document, Entity, SourceKind, Stance, TextSpan,
    content_id,
};
use sitrep_store::{
    ClaimQuery, MIGRATIONS, PropositionMember, PropositionRecord, SqliteStore, Store,
};

/// Code-point span of the `nth` whole-word occurrence of `needle` in `text`.
fn span(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let found = text
        .match_indices(needle)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + needle.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in {text:?}"))
        .0;
    let start = text[..found].chars().count();
    (start, start + needle.chars().count())
}

fn article(site: &str, published: &str, text: &str) -> Document {
    Document {
        id: content_id(text),
        source: format!("{site}.txt"),
        site: Some(site.into()),
        title: Some(text.split('.').next().unwrap().to_string()),
        published: Some(published.parse().unwrap()),
        text: text.into(),
        ..Default::default()
    }
}

/// Adds an entity (`PER`, `LOC`, `NORP`, `ORG`) at the first occurrence of `text`.
fn entity(doc: &mut Document, text: &str, kind: &str) {
    let (start, end) = span(&doc.text, text, 0);
    let id = format!("E{}", doc.entities.len() + 1);
    doc.entities.push(Entity {
        id,
        text: text.into(),
        start,
        end,
        kind: kind.into(),
        actor: None,
        place: None,
    });
}

/// Adds a claim: `source` (its `nth` occurrence) said `content` with `cue`; returns its
/// index. Kind `Person`, named, assert, indirect, confidence 0.9 unless changed after.
fn claim(doc: &mut Document, source: Option<(&str, usize)>, cue: &str, content: &str) -> usize {
    let text = doc.text.clone();
    let at = |needle: &str, nth: usize| {
        let (start, end) = span(&text, needle, nth);
        TextSpan {
            text: needle.into(),
            start,
            end,
        }
    };
    let cue_span = at(cue, 0);
    let i = doc.claims.len();
    doc.claims.push(Claim {
        id: format!("C{}", i + 1),
        sentence: text[..text.char_indices().nth(cue_span.start).unwrap().0]
            .matches(". ")
            .count(),
        source: source.map(|(s, nth)| {
            let span = at(s, nth);
            ClaimSource {
                text: span.text,
                start: span.start,
                end: span.end,
                kind: SourceKind::Person,
                anonymous: false,
                anonymity_cue: None,
                actor: None,
                same_as: None,
            }
        }),
        cue: Cue {
            text: cue_span.text,
            start: cue_span.start,
            end: cue_span.end,
            lemma: cue.trim_end_matches('d').trim_end_matches('e').to_string(),
        },
        content: at(content, 0),
        direct: Directness::Indirect,
        stance: Stance::Assert,
        recipient: None,
        time: None,
        confidence: 0.9,
        why: vec!["test claim".into()],
        terms: Vec::new(),
        anchors: Vec::new(),
    });
    i
}

fn source(doc: &mut Document, i: usize) -> &mut ClaimSource {
    doc.claims[i].source.as_mut().unwrap()
}

fn anonymous(doc: &mut Document, i: usize, kind: SourceKind) {
    let s = source(doc, i);
    s.anonymous = true;
    s.kind = kind;
}

fn body(doc: &mut Document, i: usize, kind: SourceKind, actor: Option<&str>) {
    let s = source(doc, i);
    s.kind = kind;
    s.actor = actor.map(|code| Actor {
        code: code.into(),
        name: Some(s.text.clone()),
        kind: None,
    });
}

fn open() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.db")).unwrap();
    (dir, store)
}

fn all() -> ClaimQuery {
    ClaimQuery::default()
}

/// (speaker name, claim content) of every claim matching `query`, in the order returned.
fn said(store: &SqliteStore, query: &ClaimQuery) -> Vec<(String, String)> {
    store
        .claims(query)
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.speaker.map_or("-".into(), |s| s.name),
                r.claim.content.text,
            )
        })
        .collect()
}

/// The speaker id of each stored claim, by content.
fn speaker_of(store: &SqliteStore, content: &str) -> Option<u64> {
    let rows = store.claims(&all()).unwrap();
    let row = rows
        .iter()
        .find(|r| r.claim.content.text == content)
        .unwrap_or_else(|| panic!("no claim {content:?}"));
    row.speaker.as_ref().map(|s| s.id)
}

/// Three stories by two outlets about the fictional Varnian border.
fn corpus() -> Vec<Document> {
    let mut a = article(
        "Meridian Press",
        "2026-03-04",
        "Donald Trump said the convoy had crossed the river. Mr. Trump added that talks \
         would resume soon. He said the border was calm. A Western security official said \
         about 300 contractors had arrived. The Western security official said they came by \
         air. Paris said it was concerned about the deployment. The defence ministry said no \
         foreign troops were present.",
    );
    entity(&mut a, "Donald Trump", "PER");
    entity(&mut a, "Trump", "PER");
    let c = claim(
        &mut a,
        Some(("Donald Trump", 0)),
        "said",
        "the convoy had crossed the river",
    );
    let _ = c;
    let c = claim(
        &mut a,
        Some(("Mr. Trump", 0)),
        "added",
        "talks would resume soon",
    );
    let _ = c;
    let c = claim(&mut a, Some(("He", 0)), "said", "the border was calm");
    source(&mut a, c).same_as = Some("C1".into());
    let c = claim(
        &mut a,
        Some(("A Western security official", 0)),
        "said",
        "about 300 contractors had arrived",
    );
    anonymous(&mut a, c, SourceKind::Official);
    let c = claim(
        &mut a,
        Some(("The Western security official", 0)),
        "said",
        "they came by air",
    );
    anonymous(&mut a, c, SourceKind::Official);
    let c = claim(
        &mut a,
        Some(("Paris", 0)),
        "said",
        "it was concerned about the deployment",
    );
    body(&mut a, c, SourceKind::Government, Some("FRAGOV"));
    let c = claim(
        &mut a,
        Some(("The defence ministry", 0)),
        "said",
        "no foreign troops were present",
    );
    body(&mut a, c, SourceKind::Government, Some("VARGOV"));
    a.claims[c].stance = Stance::Deny;

    let mut b = article(
        "Coastal Tribune",
        "2026-03-06",
        "President Trump said the contractors were advisers. A Western security official \
         said several hundred contractors had arrived. The French government said it was \
         watching closely. The defence ministry said the contractors were invited. Reports \
         may be exaggerated, he said.",
    );
    entity(&mut b, "Trump", "PER");
    entity(&mut b, "French", "NORP");
    claim(
        &mut b,
        Some(("President Trump", 0)),
        "said",
        "the contractors were advisers",
    );
    let c = claim(
        &mut b,
        Some(("A Western security official", 0)),
        "said",
        "several hundred contractors had arrived",
    );
    anonymous(&mut b, c, SourceKind::Official);
    let c = claim(
        &mut b,
        Some(("The French government", 0)),
        "said",
        "it was watching closely",
    );
    body(&mut b, c, SourceKind::Government, Some("FRAGOV"));
    let c = claim(
        &mut b,
        Some(("The defence ministry", 0)),
        "said",
        "the contractors were invited",
    );
    body(&mut b, c, SourceKind::Government, Some("OSTGOV"));
    let c = claim(
        &mut b,
        Some(("he", 0)),
        "said",
        "Reports may be exaggerated",
    );
    b.claims[c].stance = Stance::Hedge;
    b.claims[c].confidence = 0.4;

    let mut c_doc = article(
        "meridian press",
        "2026-03-09",
        "The ministry said talks would open in Lindholm. Another ministry official said the \
         ministry was not consulted. Human Rights Watch said civilians had fled.",
    );
    claim(
        &mut c_doc,
        Some(("The ministry", 0)),
        "said",
        "talks would open in Lindholm",
    );
    let c = claim(
        &mut c_doc,
        Some(("Human Rights Watch", 0)),
        "said",
        "civilians had fled",
    );
    body(&mut c_doc, c, SourceKind::Institution, None);
    c_doc.claims[c].direct = Directness::Direct;
    body(&mut c_doc, 0, SourceKind::Government, None);
    vec![a, b, c_doc]
}

#[test]
fn speakers_are_one_record_however_the_name_is_written() {
    let (_dir, mut store) = open();
    store.insert_batch(&mut corpus(), &[]).unwrap();
    let trump = speaker_of(&store, "the convoy had crossed the river").unwrap();
    // "Mr. Trump" in the same story, "he" by same_as, "President Trump" in another outlet.
    for content in [
        "talks would resume soon",
        "the border was calm",
        "the contractors were advisers",
    ] {
        assert_eq!(speaker_of(&store, content), Some(trump), "{content}");
    }
    let speakers = store
        .speakers(&ClaimQuery {
            speaker: Some(trump),
            ..all()
        })
        .unwrap();
    assert_eq!(speakers.len(), 1);
    let s = &speakers[0];
    assert_eq!(s.name, "Donald Trump");
    assert_eq!((s.claims, s.documents, s.anonymous_claims), (4, 2, 0));
    assert_eq!(
        s.outlets,
        vec![
            (Some("Meridian Press".into()), 3),
            (Some("Coastal Tribune".into()), 1)
        ]
    );
    assert_eq!(
        (s.first.as_deref(), s.last.as_deref()),
        (Some("2026-03-04"), Some("2026-03-06"))
    );
}

#[test]
fn anonymous_sources_stay_apart_across_documents() {
    let (_dir, mut store) = open();
    store.insert_batch(&mut corpus(), &[]).unwrap();
    let first = speaker_of(&store, "about 300 contractors had arrived").unwrap();
    // "The Western security official" of the same story is the same speaker ...
    assert_eq!(speaker_of(&store, "they came by air"), Some(first));
    // ... the one of the other outlet is not.
    let other = speaker_of(&store, "several hundred contractors had arrived").unwrap();
    assert_ne!(first, other);
    let anonymous = store
        .speakers(&ClaimQuery {
            anonymous: Some(true),
            ..all()
        })
        .unwrap();
    assert_eq!(anonymous.len(), 2);
    assert!(anonymous.iter().all(|s| s.anonymous));
}

#[test]
fn governments_by_country_ministries_by_country_and_name() {
    let (_dir, mut store) = open();
    store.insert_batch(&mut corpus(), &[]).unwrap();
    // "Paris" and "The French government" are France's government.
    assert_eq!(
        speaker_of(&store, "it was concerned about the deployment"),
        speaker_of(&store, "it was watching closely")
    );
    // The defence ministries of two countries are two speakers.
    assert_ne!(
        speaker_of(&store, "no foreign troops were present"),
        speaker_of(&store, "the contractors were invited")
    );
    // Without a country, "the ministry" is a speaker of its document only.
    let ministry = speaker_of(&store, "talks would open in Lindholm").unwrap();
    assert!(
        ![
            "no foreign troops were present",
            "the contractors were invited"
        ]
        .iter()
        .any(|c| speaker_of(&store, c) == Some(ministry))
    );
    // A pronoun that no earlier claim resolves names nobody.
    assert_eq!(speaker_of(&store, "Reports may be exaggerated"), None);
}

#[test]
fn a_surname_alone_waits_for_its_full_name() {
    let (_dir, mut store) = open();
    let mut early = article(
        "Coastal Tribune",
        "2026-03-01",
        "Mr. Keïta said the road was open.",
    );
    claim(
        &mut early,
        Some(("Mr. Keïta", 0)),
        "said",
        "the road was open",
    );
    store.insert_batch(&mut [early], &[]).unwrap();
    let alone = speaker_of(&store, "the road was open").unwrap();
    // A later story names him in full (without the diacritic): his earlier claim follows.
    let mut full = article(
        "Meridian Press",
        "2026-03-02",
        "Ibrahim Boubacar Keita said the bridge was closed.",
    );
    entity(&mut full, "Ibrahim Boubacar Keita", "PER");
    claim(
        &mut full,
        Some(("Ibrahim Boubacar Keita", 0)),
        "said",
        "the bridge was closed",
    );
    // Another Keita, quoted once.
    let mut other = article(
        "Meridian Press",
        "2026-03-03",
        "Salif Keita said the concert was cancelled.",
    );
    entity(&mut other, "Salif Keita", "PER");
    claim(
        &mut other,
        Some(("Salif Keita", 0)),
        "said",
        "the concert was cancelled",
    );
    // "Keita" alone again: the most quoted full name with that surname.
    let mut later = article(
        "Coastal Tribune",
        "2026-03-04",
        "Keita said the road was closed.",
    );
    claim(
        &mut later,
        Some(("Keita", 0)),
        "said",
        "the road was closed",
    );
    store.insert_batch(&mut [full, other, later], &[]).unwrap();
    let ibrahim = speaker_of(&store, "the bridge was closed").unwrap();
    assert_ne!(ibrahim, alone);
    assert_eq!(speaker_of(&store, "the road was open"), Some(ibrahim));
    assert_eq!(speaker_of(&store, "the road was closed"), Some(ibrahim));
    assert_ne!(
        speaker_of(&store, "the concert was cancelled"),
        Some(ibrahim)
    );
    let names: Vec<String> = store
        .speakers(&all())
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["Ibrahim Boubacar Keita", "Salif Keita"]);
}

#[test]
fn storing_a_document_again_adds_no_claim() {
    let (_dir, mut store) = open();
    let docs = corpus();
    store.insert_batch(&mut docs.clone(), &[]).unwrap();
    let before = (store.claims(&all()).unwrap(), store.stats().unwrap());
    // Again, alone and within one batch twice.
    store.insert_batch(&mut docs.clone(), &[]).unwrap();
    store
        .insert_batch(&mut [docs[0].clone(), docs[0].clone()], &[])
        .unwrap();
    let after = (store.claims(&all()).unwrap(), store.stats().unwrap());
    assert_eq!(after.0, before.0);
    assert_eq!((after.1.claims, after.1.speakers), (14, before.1.speakers));
}

#[test]
fn filters_find_quotes_by_topic_person_outlet_and_time() {
    let (_dir, mut store) = open();
    store.insert_batch(&mut corpus(), &[]).unwrap();
    let contents =
        |q: ClaimQuery| -> Vec<String> { said(&store, &q).into_iter().map(|(_, c)| c).collect() };
    // Topic: content words; in time order.
    assert_eq!(
        contents(ClaimQuery {
            about: Some("contractors".into()),
            ..all()
        }),
        [
            "about 300 contractors had arrived",
            "the contractors were advisers",
            "several hundred contractors had arrived",
            "the contractors were invited"
        ]
    );
    // Not valid FTS5 syntax: searched as plain words.
    assert_eq!(
        contents(ClaimQuery {
            about: Some("\"contractors-advisers".into()),
            ..all()
        }),
        ["the contractors were advisers"]
    );
    // Person: the source phrase, or the speaker's name ("he" is Donald Trump).
    assert_eq!(
        contents(ClaimQuery {
            source: Some("donald".into()),
            ..all()
        })
        .len(),
        4
    );
    assert_eq!(
        contents(ClaimQuery {
            source: Some("security official".into()),
            stance: Some(Stance::Assert),
            ..all()
        })
        .len(),
        3
    );
    assert_eq!(
        contents(ClaimQuery {
            stance: Some(Stance::Deny),
            ..all()
        }),
        ["no foreign troops were present"]
    );
    // Outlet, case-insensitive; dates inclusive.
    assert_eq!(
        contents(ClaimQuery {
            site: Some("MERIDIAN PRESS".into()),
            ..all()
        })
        .len(),
        9
    );
    assert_eq!(
        contents(ClaimQuery {
            since: Some("2026-03-06".parse().unwrap()),
            until: Some("2026-03-06".parse().unwrap()),
            ..all()
        })
        .len(),
        5
    );
    assert_eq!(
        contents(ClaimQuery {
            min_confidence: Some(0.5),
            since: Some("2026-03-06".parse().unwrap()),
            ..all()
        })
        .len(),
        6
    );
    // The latest two, in time order.
    assert_eq!(
        contents(ClaimQuery {
            limit: Some(2),
            ..all()
        }),
        ["talks would open in Lindholm", "civilians had fled"]
    );
    let sourcing = store.sourcing(&all()).unwrap();
    let meridian = &sourcing[0];
    // Sites compare without case: "meridian press" is the same outlet.
    assert!(
        meridian
            .site
            .as_deref()
            .unwrap()
            .eq_ignore_ascii_case("meridian press")
    );
    assert_eq!(
        (
            meridian.claims,
            meridian.sourced,
            meridian.anonymous,
            meridian.anonymous_speakers
        ),
        (9, 9, 2, 1)
    );
}

/// The schema-3 `documents` and `sources` rows, written as sitrep wrote them then.
fn insert_as_v3(conn: &Connection, doc: &Document) {
    conn.execute(
        "INSERT INTO documents (id, source, url, site, author, title, published, language,
            text, duplicate_of, json, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '2026-03-10T00:00:00Z')",
        params![
            doc.id,
            doc.source,
            doc.url,
            doc.site,
            doc.author,
            doc.title,
            doc.published.map(|d| d.to_string()),
            doc.language,
            doc.text,
            doc.duplicate_of,
            serde_json::to_string(doc).unwrap(),
        ],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO sources (source, doc_id, first_seen) VALUES (?1, ?2, '2026-03-10T00:00:00Z')",
        params![doc.source, doc.id],
    )
    .unwrap();
}

#[test]
fn migrating_from_v3_keeps_every_document_and_indexes_every_claim() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let docs = corpus();
    // A document written before claims were in the contract (no "claims" key).
    let no_claims = article("Coastal Tribune", "2026-03-11", "Rain fell on the capital.");
    {
        let conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        for doc in docs.iter().chain([&no_claims]) {
            insert_as_v3(&conn, doc);
        }
        let mut json: serde_json::Value = serde_json::to_value(&no_claims).unwrap();
        json.as_object_mut().unwrap().remove("claims");
        conn.execute(
            "UPDATE documents SET json = ?1 WHERE id = ?2",
            params![json.to_string(), no_claims.id],
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    for doc in docs.iter().chain([&no_claims]) {
        assert_eq!(&store.get(&doc.id).unwrap(), doc);
    }
    let stats = store.stats().unwrap();
    assert_eq!((stats.documents, stats.sources, stats.claims), (4, 4, 14));
    let stored = store.claims(&all()).unwrap();
    for doc in &docs {
        let mine: Vec<&Claim> = stored
            .iter()
            .filter(|r| r.doc_id == doc.id)
            .map(|r| &r.claim)
            .collect();
        assert_eq!(mine, doc.claims.iter().collect::<Vec<_>>());
    }
    // The speakers are decided as if the documents had been stored now.
    let fresh = {
        let (_d, mut s) = open();
        s.insert_batch(&mut corpus(), &[]).unwrap();
        said(&s, &all())
    };
    assert_eq!(said(&store, &all()), fresh);
    assert!(store.check_integrity().unwrap().is_empty());
}

/// A proposition over the stored claims whose contents contain the given words, each with
/// its position.
fn proposition(store: &SqliteStore, id: &str, members: &[(&str, &str)]) -> PropositionRecord {
    let claims = store.claims(&all()).unwrap();
    let members: Vec<PropositionMember> = members
        .iter()
        .map(|(words, position)| {
            let c = claims
                .iter()
                .find(|c| c.claim.content.text.contains(words))
                .unwrap_or_else(|| panic!("no claim with {words:?}"));
            PropositionMember {
                claim_key: c.key,
                position: position.to_string(),
                why: format!("{position} by test"),
            }
        })
        .collect();
    PropositionRecord {
        id: id.into(),
        label: id.to_lowercase(),
        terms: vec!["term".into()],
        framing: None,
        contested: members.iter().any(|m| m.position != "support"),
        links: vec![format!("{} linked by test", members.len())],
        members,
    }
}

fn ids(views: &[sitrep_store::PropositionView]) -> Vec<&str> {
    views.iter().map(|v| v.proposition.id.as_str()).collect()
}

#[test]
fn propositions_are_stored_queried_and_known_stale() {
    let (_dir, mut store) = open();
    store.insert_batch(&mut corpus(), &[]).unwrap();
    // Claims stored, never grouped: stale.
    assert!(store.propositions_stale().unwrap());
    let through = store
        .claims(&all())
        .unwrap()
        .iter()
        .map(|c| c.key)
        .max()
        .unwrap();
    let contested = proposition(
        &store,
        "P1",
        &[
            ("contractors had arrived", "support"),
            ("no foreign troops", "oppose"),
        ],
    );
    let shared = proposition(
        &store,
        "P2",
        &[("talks", "support"), ("border was calm", "support")],
    );
    store
        .replace_propositions(&[shared.clone(), contested.clone()], through)
        .unwrap();
    assert!(!store.propositions_stale().unwrap());

    // Contested first; every member comes back with its claim, in time order.
    let views = store.propositions(&all(), false).unwrap();
    assert_eq!(ids(&views), ["P1", "P2"]);
    assert_eq!(views[0].proposition.members.len(), 2);
    for view in &views {
        for (m, c) in view.proposition.members.iter().zip(&view.claims) {
            assert_eq!(m.claim_key, c.key);
        }
    }
    assert_eq!(views[1].proposition, shared);
    assert_eq!(ids(&store.propositions(&all(), true).unwrap()), ["P1"]);
    // A filter selects propositions by any of their claims, and keeps all their claims.
    let about = ClaimQuery {
        about: Some("troops".into()),
        ..all()
    };
    let found = store.propositions(&about, false).unwrap();
    assert_eq!(ids(&found), ["P1"]);
    assert_eq!(found[0].claims.len(), 2);
    let limited = ClaimQuery {
        limit: Some(1),
        ..all()
    };
    assert_eq!(ids(&store.propositions(&limited, false).unwrap()), ["P1"]);

    // A new grouping replaces the old one whole.
    store.replace_propositions(&[shared], through).unwrap();
    assert_eq!(ids(&store.propositions(&all(), false).unwrap()), ["P2"]);

    // A document stored later makes the grouping stale.
    let mut later = vec![article(
        "Coastal Tribune",
        "2026-03-12",
        "The envoy said the talks went well.",
    )];
    claim(
        &mut later[0],
        Some(("The envoy", 0)),
        "said",
        "the talks went well",
    );
    store.insert_batch(&mut later, &[]).unwrap();
    assert!(store.propositions_stale().unwrap());
}

#[test]
fn migrating_from_v4_keeps_every_claim_and_asks_for_a_grouping() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    let docs = corpus();
    {
        // A v4 database: this version's v4 tables, without what v5 adds.
        let mut store = SqliteStore::open(&path).unwrap();
        store.insert_batch(&mut docs.clone(), &[]).unwrap();
        drop(store);
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE proposition_claims; DROP TABLE propositions;
             DROP TABLE propositions_state; PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let before = {
        let conn = Connection::open(&path).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM claims", [], |r| r.get(0))
            .unwrap();
        n
    };
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 5);
    for doc in &docs {
        assert_eq!(&store.get(&doc.id).unwrap(), doc);
    }
    assert_eq!(store.claims(&all()).unwrap().len() as i64, before);
    assert!(store.propositions_stale().unwrap());
    assert!(store.propositions(&all(), false).unwrap().is_empty());
    assert!(store.check_integrity().unwrap().is_empty());
}
