//! The claims layer on sentences the team wrote, analysed with the shipped models; the
//! attributions are given as the extractor would find them (byte spans located by text).

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use sitrep_model::{Directness, SourceKind, Stance};
use sitrep_nlp::{Analyzer, Gazetteer, Ner, Nlp};

use super::*;

fn models() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/models")
}

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| {
    let nlp = Nlp::load(&models()).expect("shipped models load");
    let ner = Ner::load(&models().join(sitrep_nlp::ner::NER_FILE)).expect("shipped NER loads");
    Analyzer::new(Some(Arc::new(nlp)), Some(Arc::new(ner)))
});

static LAYER: LazyLock<ClaimLayer> = LazyLock::new(|| {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/gazetteer");
    ClaimLayer::new(Some(Arc::new(
        Gazetteer::load(&dir).expect("gazetteer loads"),
    )))
});

/// The byte range of the `nth` (0-based) occurrence of `needle` in `text`.
fn at(text: &str, needle: &str, nth: usize) -> Range<usize> {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        .0;
    start..start + needle.len()
}

/// An attribution given by its texts (first occurrences after the previous one's cue).
fn found(
    text: &str,
    source: Option<(&str, usize)>,
    cue: (&str, usize),
    content: &[(&str, usize)],
) -> Found {
    Found {
        source: source.map(|(s, n)| at(text, s, n)),
        cue: at(text, cue.0, cue.1),
        content: content.iter().map(|&(c, n)| at(text, c, n)).collect(),
        confidence: 0.9,
        why: "test".into(),
    }
}

fn describe(text: &str, found: &[Found]) -> Vec<ClaimDraft> {
    let analysis = ANALYZER.analyse(text);
    LAYER.describe(text, &analysis, found)
}

const STORY: &str = "Foreign contractors have arrived in Kessel in recent weeks, Varnian army officials said Friday.\n\n\
One Varnian army officer, who requested anonymity, said that about 300 contractors may be operating near the border.\n\n\
But Ostrelia's government denied that any contractors had deployed, adding that \"trainers\" were present.\n\n\
Paris has said any deployment would be incompatible with its mission.\n\n\
A Western security official told AFP that \"several hundred\" contractors were in the north.\n\n\
The Western security official said they had been deployed last month.\n\n\
Minister Lena Varga said on Tuesday that she would visit Kessel. \"We will not leave,\" she said.";

#[test]
fn sources_get_kind_anonymity_cue_and_actor() {
    let claims = describe(
        STORY,
        &[
            found(
                STORY,
                Some(("Varnian army officials", 0)),
                ("said", 0),
                &[(
                    "Foreign contractors have arrived in Kessel in recent weeks",
                    0,
                )],
            ),
            found(
                STORY,
                Some(("One Varnian army officer, who requested anonymity", 0)),
                ("said", 1),
                &[("about 300 contractors may be operating near the border", 0)],
            ),
            found(
                STORY,
                Some(("Ostrelia's government", 0)),
                ("denied", 0),
                &[("any contractors had deployed", 0)],
            ),
            found(
                STORY,
                Some(("Paris", 0)),
                ("said", 2),
                &[("any deployment would be incompatible with its mission", 0)],
            ),
        ],
    );
    assert_eq!(claims.len(), 4);
    let officials = claims[0].source.as_ref().unwrap();
    assert_eq!(officials.kind, SourceKind::Official);
    assert!(officials.anonymous);
    let officer = claims[1].source.as_ref().unwrap();
    assert!(officer.anonymous);
    assert_eq!(
        officer.anonymity_cue.as_deref(),
        Some("requested anonymity")
    );
    assert_eq!(claims[1].stance, Stance::Hedge, "{:?}", claims[1].why);
    let government = claims[2].source.as_ref().unwrap();
    assert_eq!(government.kind, SourceKind::Government);
    assert!(!government.anonymous);
    assert_eq!(claims[2].stance, Stance::Deny);
    let paris = claims[3].source.as_ref().unwrap();
    assert_eq!(paris.kind, SourceKind::Government, "{:?}", claims[3].why);
    assert_eq!(
        paris.actor.as_ref().map(|a| a.code.as_str()),
        Some("FRAGOV")
    );
    assert_eq!(claims[3].stance, Stance::Assert);
    assert_eq!(
        claims[0].time.as_ref().map(|r| &STORY[r.clone()]),
        Some("Friday")
    );
    assert!(claims.iter().all(|c| c.direct == Directness::Indirect));
}

#[test]
fn recipients_quotes_and_repeated_sources() {
    let claims = describe(
        STORY,
        &[
            found(
                STORY,
                Some(("A Western security official", 0)),
                ("told", 0),
                &[("\"several hundred\" contractors were in the north", 0)],
            ),
            found(
                STORY,
                Some(("The Western security official", 0)),
                ("said", 3),
                &[("they had been deployed last month", 0)],
            ),
            found(
                STORY,
                Some(("Minister Lena Varga", 0)),
                ("said", 4),
                &[("she would visit Kessel", 0)],
            ),
            found(
                STORY,
                Some(("she", 1)),
                ("said", 5),
                &[("We will not leave,", 0)],
            ),
        ],
    );
    // The layer adds the story's other relations (its first sentence ends with its cue):
    // look the given ones up by their cue.
    let index = |cue: (&str, usize)| {
        let at = at(STORY, cue.0, cue.1);
        claims
            .iter()
            .position(|c| c.cue == at)
            .expect("a claim with this cue")
    };
    let claims: Vec<&ClaimDraft> = [("told", 0), ("said", 3), ("said", 4), ("said", 5)]
        .into_iter()
        .map(|cue| &claims[index(cue)])
        .collect();
    assert_eq!(
        claims[0].recipient.as_ref().map(|r| &STORY[r.clone()]),
        Some("AFP")
    );
    assert_eq!(claims[0].direct, Directness::Mixed);
    let official = claims[0].source.as_ref().unwrap();
    assert!(official.anonymous);
    let repeat = claims[1].source.as_ref().unwrap();
    assert_eq!(
        repeat.same_as,
        Some(index(("told", 0))),
        "{:?}",
        claims[1].why
    );
    assert!(repeat.anonymous);
    let minister = claims[2].source.as_ref().unwrap();
    assert!(!minister.anonymous, "{:?}", claims[2].why);
    let she = claims[3].source.as_ref().unwrap();
    assert_eq!(she.same_as, Some(index(("said", 4))), "{:?}", claims[3].why);
    assert!(!she.anonymous);
    assert_eq!(claims[3].direct, Directness::Direct);
    assert_eq!(claims[3].stance, Stance::Deny, "{:?}", claims[3].why);
    assert!(claims.iter().all(|c| c.why.len() > 1));
}

#[test]
fn without_a_parse_there_are_no_claims() {
    let text = "Officials said the talks would resume.";
    let analysis = sitrep_nlp::Analysis::tokens_only(text);
    let f = found(
        text,
        Some(("Officials", 0)),
        ("said", 0),
        &[("the talks would resume", 0)],
    );
    assert!(LAYER.describe(text, &analysis, &[f]).is_empty());
}

/// (source text, cue text) of each claim.
fn who(text: &str, claims: &[ClaimDraft]) -> Vec<(String, String)> {
    claims
        .iter()
        .map(|c| {
            (
                c.source
                    .as_ref()
                    .map_or("-".to_string(), |s| text[s.span.clone()].to_string()),
                text[c.cue.clone()].to_string(),
            )
        })
        .collect()
}

#[test]
fn a_relative_source_stands_for_the_list_before_it_one_claim_each() {
    let text = "A Western diplomat, an aid worker in Karsvik and a Varnian lawmaker – all of whom \
                declined to be named – told Reuters that contractors were in the north.";
    let claims = describe(
        text,
        &[found(
            text,
            Some(("all of whom", 0)),
            ("told", 0),
            &[("contractors were in the north", 0)],
        )],
    );
    assert_eq!(
        who(text, &claims),
        [
            ("A Western diplomat".to_string(), "told".to_string()),
            ("an aid worker in Karsvik".to_string(), "told".to_string()),
            ("a Varnian lawmaker".to_string(), "told".to_string()),
        ]
    );
    for c in &claims {
        let source = c.source.as_ref().unwrap();
        assert!(source.anonymous, "{:?}", c.why);
        assert_eq!(
            source.anonymity_cue.as_deref(),
            Some("declined to be named")
        );
        assert!(
            c.why.iter().any(|w| w.contains("stands for")),
            "{:?}",
            c.why
        );
    }
    // The same content for each.
    assert!(claims.windows(2).all(|w| w[0].content == w[1].content));
}

#[test]
fn an_apposition_is_one_source_and_a_list_needs_its_and() {
    let text = "Lena Varga, the defence minister, said the border was calm. \
                Officials in Paris and Berlin said talks would resume.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some(("Lena Varga, the defence minister", 0)),
                ("said", 0),
                &[("the border was calm", 0)],
            ),
            found(
                text,
                Some(("Officials in Paris and Berlin", 0)),
                ("said", 1),
                &[("talks would resume", 0)],
            ),
        ],
    );
    assert_eq!(
        who(text, &claims),
        [
            (
                "Lena Varga, the defence minister".to_string(),
                "said".to_string()
            ),
            (
                "Officials in Paris and Berlin".to_string(),
                "said".to_string()
            ),
        ]
    );
}

#[test]
fn a_cue_without_its_own_subject_shares_the_source_before_it() {
    let text = "The ministry denied that troops had crossed, adding that the patrol was routine. \
                The envoy has previously said the talks would go on.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some(("The ministry", 0)),
                ("denied", 0),
                &[("that troops had crossed", 0)],
            ),
            found(
                text,
                None,
                ("adding", 0),
                &[("that the patrol was routine", 0)],
            ),
            found(
                text,
                Some(("The envoy", 0)),
                ("has previously said", 0),
                &[("the talks would go on", 0)],
            ),
        ],
    );
    // The qualified cue is named by its verb.
    assert_eq!(
        who(text, &claims),
        [
            ("The ministry".to_string(), "denied".to_string()),
            ("The ministry".to_string(), "adding".to_string()),
            ("The envoy".to_string(), "said".to_string()),
        ]
    );
    assert!(
        claims[1]
            .why
            .iter()
            .any(|w| w.contains("no subject of its own"))
    );
    assert_eq!(claims[0].stance, Stance::Deny);
}

#[test]
fn a_cue_after_its_content_closes_the_sentence() {
    let text = "Foreign trainers have reached the northern bases, Varnian army officers said \
                Tuesday, amid protests in the capital.";
    // The finder's relation here has no reporting verb as cue: the pattern replaces it.
    let claims = describe(
        text,
        &[found(
            text,
            Some(("Varnian army officers", 0)),
            ("amid", 0),
            &[("protests in the capital", 0)],
        )],
    );
    assert_eq!(claims.len(), 1, "{claims:?}");
    assert_eq!(
        who(text, &claims),
        [("Varnian army officers".to_string(), "said".to_string())]
    );
    assert_eq!(
        &text[claims[0].content[0].clone()],
        "Foreign trainers have reached the northern bases"
    );
    assert!(
        claims[0].why.iter().any(|w| w.starts_with("pattern")),
        "{:?}",
        claims[0].why
    );
    // A clause after the comma with its own verb is not a trailing phrase.
    let text = "Trainers arrived last week, officials said, and the talks collapsed.";
    assert!(describe(text, &[]).is_empty());
}

#[test]
fn a_content_is_anchored_by_its_names_or_else_by_its_documents() {
    let text = "Foreign contractors have arrived in Kessel, Varnian officials said. \
                The Varnian government denied that any contractors had deployed to the country. \
                Kessel is quiet, the mayor of Kessel said.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some(("Varnian officials", 0)),
                ("said", 0),
                &[("Foreign contractors have arrived in Kessel", 0)],
            ),
            found(
                text,
                Some(("The Varnian government", 0)),
                ("denied", 0),
                &[("any contractors had deployed to the country", 0)],
            ),
        ],
    );
    assert_eq!(claims.len(), 2);
    assert_eq!(claims[0].anchors, ["kessel"]);
    // "the country" names nothing: the document's most named things stand for it, the most
    // named first.
    assert_eq!(
        claims[1].anchors.first().map(String::as_str),
        Some("kessel")
    );
}

#[test]
fn a_negated_cue_without_a_clause_and_a_sourceless_unknown_cue_claim_nothing() {
    let text = "Marchetti did not name the company. \
                The reference appeared to point to the company. \
                Marchetti said the company had sent staff.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some(("Marchetti", 0)),
                ("did not name", 0),
                &[("the company", 0)],
            ),
            found(
                text,
                None,
                ("appeared", 0),
                &[("The reference appeared to point to the company", 0)],
            ),
            found(
                text,
                Some(("Marchetti", 1)),
                ("said", 0),
                &[("the company had sent staff", 0)],
            ),
        ],
    );
    let cues: Vec<&str> = claims.iter().map(|c| &text[c.cue.clone()]).collect();
    assert_eq!(cues, ["said"]);
}

#[test]
fn a_content_ends_where_another_attributions_sentence_begins() {
    let text = "The risk, analysts say, is that neither side can climb down. \
                \"Both capitals have gone too far,\" Voss said.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some(("analysts", 0)),
                ("say", 0),
                &[(
                    "The risk, analysts say, is that neither side can climb down. \"Both capitals have gone too far",
                    0,
                )],
            ),
            found(
                text,
                Some(("Voss", 0)),
                ("said", 0),
                &[("Both capitals have gone too far", 0)],
            ),
        ],
    );
    assert_eq!(claims.len(), 2);
    let content = &text[claims[0].content_cover()];
    assert_eq!(
        content,
        "The risk, analysts say, is that neither side can climb down."
    );
}

#[test]
fn a_quote_on_both_sides_of_its_cue_is_two_claims() {
    let text = "“These are instructors, not fighters,” Oradi said. “Anyone who says otherwise should show the evidence.”";
    let claims = describe(
        text,
        &[found(text, Some(("Oradi", 0)), ("said", 0), &[(text, 0)])],
    );
    let contents: Vec<&str> = claims.iter().map(|c| &text[c.content_cover()]).collect();
    assert_eq!(
        contents,
        [
            "“These are instructors, not fighters,”",
            "“Anyone who says otherwise should show the evidence.”"
        ]
    );
    assert!(claims.iter().all(|c| &text[c.cue.clone()] == "said"));
}

#[test]
fn an_outlet_named_like_a_newspaper_is_media_and_an_open_question_is_no_claim() {
    let text = "Meridian Press reported that about 300 contractors were in Kessel. \
                The ministry declined to say how many contractors were in Kessel.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some(("Meridian Press", 0)),
                ("reported", 0),
                &[("about 300 contractors were in Kessel", 0)],
            ),
            found(
                text,
                Some(("The ministry", 0)),
                ("declined to say", 0),
                &[("how many contractors were in Kessel", 0)],
            ),
        ],
    );
    assert_eq!(claims.len(), 1, "{claims:#?}");
    let source = claims[0].source.as_ref().unwrap();
    assert_eq!(source.kind, SourceKind::Media);
}

#[test]
fn a_country_the_gazetteer_lacks_is_known_by_its_nationality_word() {
    let text = "Dravenia said the border would stay closed. Dravenian troops were seen near Olt on \
                Monday. Petrescu said the talks had failed.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some(("Dravenia", 0)),
                ("said", 0),
                &[("the border would stay closed", 0)],
            ),
            found(
                text,
                Some(("Petrescu", 0)),
                ("said", 1),
                &[("the talks had failed", 0)],
            ),
        ],
    );
    assert_eq!(claims.len(), 2);
    let country = claims[0].source.as_ref().unwrap();
    assert_eq!(country.kind, SourceKind::Government, "{:?}", claims[0].why);
    assert!(!country.anonymous);
    // A name without a nationality word in the text stays a person.
    let person = claims[1].source.as_ref().unwrap();
    assert_eq!(person.kind, SourceKind::Person, "{:?}", claims[1].why);
}

#[test]
fn it_is_the_earlier_source_unless_another_subject_came_between() {
    let text = "Varnia's Defence Ministry said four soldiers had been killed when a patrol came \
                under attack. It said border guards had fired first.\n\n\
                Ostrelia's Interior Ministry gave a different account. It said Varnian forces had \
                crossed the border.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some(("Varnia's Defence Ministry", 0)),
                ("said", 0),
                &[(
                    "four soldiers had been killed when a patrol came under attack",
                    0,
                )],
            ),
            found(
                text,
                Some(("It", 0)),
                ("said", 1),
                &[("border guards had fired first", 0)],
            ),
            found(
                text,
                Some(("It", 1)),
                ("said", 2),
                &[("Varnian forces had crossed the border", 0)],
            ),
        ],
    );
    assert_eq!(claims.len(), 3);
    let ministry = claims[0].source.as_ref().unwrap();
    assert_eq!(ministry.kind, SourceKind::Government, "{:?}", claims[0].why);
    assert!(!ministry.anonymous);
    // A subject inside the earlier claim's content ("a patrol came") does not come between.
    let first_it = claims[1].source.as_ref().unwrap();
    assert_eq!(first_it.same_as, Some(0), "{:?}", claims[1].why);
    assert_eq!(first_it.kind, SourceKind::Government);
    // The other ministry, which no claim quotes, is the nearer subject: not the first one.
    let second_it = claims[2].source.as_ref().unwrap();
    assert_eq!(second_it.same_as, None, "{:?}", claims[2].why);
}

#[test]
fn a_source_span_is_cut_to_its_noun_phrase() {
    let text = "At least 12 people were killed overnight, officials on both sides said. \
                In a televised address she called on the council to act and said the country \
                would defend itself. Meridian Press, citing three sources, reported that about \
                300 contractors were in the province.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some((", officials on both sides", 0)),
                ("said", 0),
                &[("At least 12 people were killed overnight", 0)],
            ),
            found(
                text,
                Some(("she called on the council", 0)),
                ("said", 1),
                &[("the country would defend itself", 0)],
            ),
            found(
                text,
                Some(("Meridian Press, citing three sources,", 0)),
                ("reported", 0),
                &[("about 300 contractors were in the province", 0)],
            ),
        ],
    );
    let sources: Vec<&str> = claims
        .iter()
        .map(|c| &text[c.source.as_ref().unwrap().span.clone()])
        .collect();
    assert_eq!(
        sources,
        ["officials on both sides", "she", "Meridian Press"],
        "{:?}",
        claims.iter().map(|c| &c.why).collect::<Vec<_>>()
    );
    assert_eq!(claims[2].source.as_ref().unwrap().kind, SourceKind::Media);
}

#[test]
fn a_spokesman_with_a_name_is_not_anonymous() {
    let text = "Its spokesman, Emre Kastan, said the company had done nothing wrong.";
    let claims = describe(
        text,
        &[found(
            text,
            Some(("Its spokesman, Emre Kastan", 0)),
            ("said", 0),
            &[("the company had done nothing wrong", 0)],
        )],
    );
    let source = claims[0].source.as_ref().unwrap();
    assert!(!source.anonymous, "{:?}", claims[0].why);
}

#[test]
fn a_question_takes_no_position() {
    let text = "Reporters asked whether the men belonged to the Halvard Group. \
                The ministry said the men belonged to the Halvard Group.";
    let claims = describe(
        text,
        &[
            found(
                text,
                Some(("Reporters", 0)),
                ("asked", 0),
                &[("whether the men belonged to the Halvard Group", 0)],
            ),
            found(
                text,
                Some(("The ministry", 0)),
                ("said", 0),
                &[("the men belonged to the Halvard Group", 1)],
            ),
        ],
    );
    assert!(claims[0].terms.is_empty(), "{:?}", claims[0].why);
    assert!(claims[0].why.iter().any(|w| w.contains("a question")));
    assert!(
        claims[1].terms.contains(&"belong".to_string()),
        "{:?}",
        claims[1].terms
    );
}
