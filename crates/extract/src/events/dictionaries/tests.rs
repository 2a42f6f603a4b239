//! Each format on small dictionaries written for these tests.

use chrono::NaiveDate;

use super::*;

fn parse_one(kind: DictionaryKind, name: &str, text: &str) -> Dictionaries {
    match Dictionaries::parse(&[(kind, name, text)]) {
        Ok(d) => d,
        Err(e) => panic!("unexpected errors:\n{e}"),
    }
}

fn errors(kind: DictionaryKind, name: &str, text: &str) -> Vec<String> {
    match Dictionaries::parse(&[(kind, name, text)]) {
        Ok(_) => Vec::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const VERBS: &str = "\
# a test verb dictionary
<!-- header
     over two lines -->
&BOAT
+FERRY
+STEAM_LAUNCH_
&RIVER_
+CREEK
+&BOAT

--- PADDLE [040] ---
PADDLE  # a comment
ROW {ROWS ROWED ROWING} [041]
+PUSH_OFF {}
UP_+STREAM {UP_+STREAMS}
SCULL {SCULLS};old style comment
- * &BOAT (ACROSS {WIDE &RIVER})   [042]   # PADDLE
- CREW * $ (TO +)   [043:044]
- IN_* ^ %  [:045]
---  DRIFT   [---]  ---
DRIFT
~ a (a b ROW) PADDLE = a b 046
";

#[test]
fn verbs_blocks_forms_and_codes() {
    let d = parse_one(DictionaryKind::Verbs, "v.txt", VERBS);
    let s = &d.symbols;
    let v = &d.verbs;
    assert_eq!(v.blocks.len(), 2);
    assert_eq!(d.phrase_text(v.blocks[0].name), "PADDLE");
    assert_eq!(s.name(v.blocks[0].code.0), "040");
    assert!(v.blocks[1].code.is_null(s));
    assert_eq!(v.verbs.len(), 6);
    let row = &v.verbs[1];
    assert_eq!(d.phrase_text(row.base.words), "ROW");
    assert_eq!(row.code.map(|c| s.name(c.0)), Some("041"));
    let forms: Vec<String> = row
        .irregular
        .as_ref()
        .unwrap()
        .iter()
        .map(|f| d.phrase_text(f.words))
        .collect();
    assert_eq!(forms, ["ROWS", "ROWED", "ROWING"]);
    assert_eq!(v.verbs[0].irregular, None);
    assert_eq!(v.verbs[0].code, None);
    // Multi-word verbs: the '+' word is the verb.
    let push = &v.verbs[2];
    assert_eq!(d.phrase_text(push.base.words), "PUSH OFF");
    assert_eq!(push.base.verb, 0);
    assert_eq!(push.irregular.as_deref(), Some(&[][..]));
    let up = &v.verbs[3];
    assert_eq!(d.phrase_text(up.base.words), "UP STREAM");
    assert_eq!(up.base.verb, 1);
    assert_eq!(up.irregular.as_ref().unwrap()[0].verb, 1);
    // The TABARI ';' comment.
    assert_eq!(v.verbs[4].irregular.as_ref().unwrap().len(), 1);
    assert_eq!(v.verbs[5].block, 1);
}

#[test]
fn verb_synsets() {
    let d = parse_one(DictionaryKind::Verbs, "v.txt", VERBS);
    let s = &d.symbols;
    let boat = &d.verbs.synsets[&s.get("&BOAT").unwrap()];
    let members: Vec<(String, bool)> = boat
        .members
        .iter()
        .map(|m| (d.phrase_text(m.phrase), m.plural))
        .collect();
    assert_eq!(
        members,
        [("FERRY".into(), true), ("STEAM LAUNCH".into(), false)]
    );
    let river = &d.verbs.synsets[&s.get("&RIVER").unwrap()];
    assert!(river.members.iter().all(|m| !m.plural));
    assert_eq!(d.phrase_text(river.members[1].phrase), "&BOAT");
}

#[test]
fn verb_patterns() {
    let d = parse_one(DictionaryKind::Verbs, "v.txt", VERBS);
    let s = &d.symbols;
    let p = &d.verbs.patterns;
    assert_eq!(p.len(), 3);
    // - * &BOAT (ACROSS {WIDE &RIVER}) [042]
    assert!(p[0].before.is_empty());
    let Element::Words(boat) = p[0].after[0] else {
        panic!("{:?}", p[0].after)
    };
    assert_eq!(d.phrase_text(boat), "&BOAT");
    let Element::Prep {
        preposition,
        object,
    } = &p[0].after[1]
    else {
        panic!("{:?}", p[0].after)
    };
    assert_eq!(d.phrase_text(*preposition), "ACROSS");
    let Element::NounPhrase(np) = object[0] else {
        panic!("{object:?}")
    };
    assert_eq!(d.phrase_text(np), "WIDE &RIVER");
    assert_eq!(s.name(p[0].code.0), "042");
    assert_eq!(p[0].block, 0);
    // - CREW * $ (TO +) [043:044]
    assert!(matches!(p[1].before[..], [Element::Words(_)]));
    assert_eq!(p[1].after[0], Element::Source);
    let Element::Prep { object, .. } = &p[1].after[1] else {
        panic!()
    };
    assert_eq!(object[..], [Element::Target]);
    assert_eq!(p[1].code.parts(s), ("043", Some("044")));
    // - IN_* ^ % [:045]
    assert!(p[2].before_adjacent && !p[2].after_adjacent);
    assert_eq!(p[2].after[..], [Element::Skip, Element::Compound]);
    assert_eq!(p[2].code.parts(s), ("", Some("045")));
}

#[test]
fn verb_transformations() {
    let d = parse_one(DictionaryKind::Verbs, "v.txt", VERBS);
    let s = &d.symbols;
    let t = &d.verbs.transformations[0];
    assert_eq!(s.name(t.inner_verb), "ROW");
    assert_eq!(s.name(t.verb), "PADDLE");
    assert_eq!(s.name(t.result_code), "046");
    assert_eq!(t.line, 22);
}

#[test]
fn verb_pattern_with_undefined_synset_is_ignored_with_a_warning() {
    let text = "--- SAIL [050] ---\nSAIL\n- * &YACHT [051]\n- * DINGHY [052]\n";
    let d = parse_one(DictionaryKind::Verbs, "v.txt", text);
    assert_eq!(d.verbs.patterns.len(), 1);
    assert_eq!(d.warnings.len(), 1);
    assert!(
        d.warnings[0]
            .to_string()
            .starts_with("v.txt:3: synset &YACHT")
    );
}

#[test]
fn malformed_verb_lines_name_file_and_line() {
    let text =
        "SAIL\n--- SAIL [050] ---\nA_B\n- DINGHY [052]\n- * (TO [053]\n- * X [054] Y\n~ a b = c\n";
    let e = errors(DictionaryKind::Verbs, "my.verbs", text);
    assert_eq!(e.len(), 6, "{e:?}");
    assert!(e[0].starts_with("my.verbs:1: a verb before any"));
    assert!(e[1].starts_with("my.verbs:3: multi-word verb"));
    assert!(e[2].starts_with("my.verbs:4: a pattern needs one '*'"));
    assert!(e[3].starts_with("my.verbs:5: a '(' without ')'"));
    assert!(e[4].starts_with("my.verbs:6: text after the pattern's code"));
    assert!(e[5].starts_with("my.verbs:7: a transformation"));
}

const ACTORS: &str = "\
<!-- test actors -->
NORTHLAND_  [NTH] # a country
+NORTHLANDER_
+NORTH LAND
GUNNAR_GUNNARSSON_  ; TABARI comment
\t[NTHGOV 19900101-951231]
\t[NTHELI >960101]
\t[NTHELI]
HILDA_HALVARD [NTHOPP <891231][IGOUNO 20010101-20051231]
    [---]
";

#[test]
fn actors_synonyms_codes_and_dates() {
    let d = parse_one(DictionaryKind::Actors, "a.txt", ACTORS);
    let a = &d.actors;
    let s = &d.symbols;
    assert_eq!(a.len(), 3);
    let north = &a.actors[0];
    let phrases: Vec<String> = a.phrases(north).iter().map(|&p| d.phrase_text(p)).collect();
    assert_eq!(phrases, ["NORTHLAND", "NORTHLANDER", "NORTH LAND"]);
    assert_eq!(a.codes(north).len(), 1);
    assert_eq!(a.codes(north)[0].restriction, DateRestriction::Default);
    assert_eq!(
        ActorKind::of_code(s.name(a.codes(north)[0].code)),
        ActorKind::Country
    );
    assert_eq!(north.line, 2);

    let gunnar = &a.actors[1];
    assert_eq!(d.phrase_text(a.phrases(gunnar)[0]), "GUNNAR GUNNARSSON");
    assert_eq!(
        a.codes(gunnar)[0].restriction,
        DateRestriction::Between(date(1990, 1, 1), date(1995, 12, 31))
    );
    assert_eq!(
        a.codes(gunnar)[1].restriction,
        DateRestriction::After(date(1996, 1, 1))
    );
    let on = |actor, y, m, dd| a.code_on(actor, date(y, m, dd)).map(|c| s.name(c));
    assert_eq!(on(gunnar, 1995, 12, 31), Some("NTHGOV"));
    assert_eq!(on(gunnar, 1996, 1, 1), Some("NTHELI"));
    assert_eq!(on(gunnar, 1980, 1, 1), Some("NTHELI"), "the default");

    let hilda = &a.actors[2];
    assert_eq!(a.codes(hilda).len(), 3);
    assert_eq!(
        a.codes(hilda)[0].restriction,
        DateRestriction::Before(date(1989, 12, 31))
    );
    assert_eq!(
        ActorKind::of_code(s.name(a.codes(hilda)[1].code)),
        ActorKind::Igo
    );
    assert_eq!(on(hilda, 2003, 6, 1), Some("IGOUNO"));
    assert_eq!(on(hilda, 2010, 6, 1), Some("---"));
}

#[test]
fn two_digit_years() {
    assert_eq!(actors::parse_date("300101").unwrap().0, date(2030, 1, 1));
    assert_eq!(actors::parse_date("310101").unwrap().0, date(1931, 1, 1));
    assert!(actors::parse_date("20100231").is_err());
    assert!(actors::parse_date("2010-1").is_err());
}

#[test]
fn malformed_actor_lines_name_file_and_line() {
    let text = "\t[ABC]\nNORTHLAND [NTH\nSOUTHLAND\n\t[STH 19991301-20000101]\n\t[STH ~2000]\n+\n";
    let e = errors(DictionaryKind::Actors, "x.actors.txt", text);
    assert_eq!(e.len(), 5, "{e:?}");
    assert!(e[0].starts_with("x.actors.txt:1: a code line before any actor"));
    assert!(e[1].starts_with("x.actors.txt:2: a '[' without ']'"));
    assert!(e[2].starts_with("x.actors.txt:4: bad date \"19991301\""));
    assert!(e[3].starts_with("x.actors.txt:5: date restriction"));
    assert!(e[4].starts_with("x.actors.txt:6: a synonym without words"));
}

const AGENTS: &str = "\
!WARDEN! = WARDEN, WARDENS , KEEPER
HARBOUR_MASTER [~PRT]   # regular plural
MOOSE {} [~ANM]
GOOSE_HERD {GEESE_HERDS} [~AGR]
ROAD!WARDEN! [~TRN]
RELIEF BODY  [ NGO~]
";

#[test]
fn agents_codes_plurals_and_markers() {
    let d = parse_one(DictionaryKind::Agents, "g.txt", AGENTS);
    let s = &d.symbols;
    let g = &d.agents.agents;
    assert_eq!(g.len(), 7);
    assert_eq!(d.phrase_text(g[0].phrase), "HARBOUR MASTER");
    assert_eq!(g[0].plural, AgentPlural::Regular);
    assert_eq!(g[0].code.placement, AgentPlacement::After);
    assert_eq!(s.name(g[0].code.code), "PRT");
    assert_eq!(g[0].loose, 0);
    assert_eq!(g[1].plural, AgentPlural::None);
    let AgentPlural::Given(p) = g[2].plural else {
        panic!()
    };
    assert_eq!(d.phrase_text(p), "GEESE HERDS");
    let roads: Vec<String> = g[3..6].iter().map(|a| d.phrase_text(a.phrase)).collect();
    assert_eq!(roads, ["ROADWARDEN", "ROADWARDENS", "ROADKEEPER"]);
    assert!(g[3..6].iter().all(|a| a.plural == AgentPlural::None));
    assert_eq!(g[6].code.placement, AgentPlacement::Before);
    assert_eq!(s.name(g[6].code.code), "NGO");
    assert_eq!(g[6].loose, 1, "a blank between RELIEF and BODY");
}

#[test]
fn malformed_agent_lines_name_file_and_line() {
    let text = "A [GOV]\nB {C [~X]\nD [~X] E\nF!NOPE! [~X]\n!BAD = X\n";
    let e = errors(DictionaryKind::Agents, "g.agents", text);
    assert_eq!(e.len(), 5, "{e:?}");
    assert!(e[0].starts_with("g.agents:1: agent code \"GOV\" needs one '~'"));
    assert!(e[1].starts_with("g.agents:2: a '{' without '}'"));
    assert!(e[2].starts_with("g.agents:3: text after the code"));
    assert!(e[3].starts_with("g.agents:4: substitution marker !NOPE!"));
    assert!(e[4].starts_with("g.agents:5: a substitution marker is"));
}

#[test]
fn discards_sentence_story_and_whole_words() {
    let text = "CHESS OLYMPIAD   # a note\n+ Tiddlywinks final\nSNOOKER_\n";
    let d = parse_one(DictionaryKind::Discards, "d.txt", text);
    let x = &d.discards.discards;
    assert_eq!(x.len(), 3);
    assert_eq!(x[0].scope, DiscardScope::Sentence);
    assert_eq!(d.phrase_text(x[1].phrase), "TIDDLYWINKS FINAL");
    assert_eq!(x[1].scope, DiscardScope::Story);
    assert!(!x[1].whole_word && x[2].whole_word);
    assert_eq!(d.phrase_text(x[2].phrase), "SNOOKER");
}

#[test]
fn malformed_discard_line_names_file_and_line() {
    let e = errors(
        DictionaryKind::Discards,
        "d.discards",
        "CHESS\n\n+   # nothing\n",
    );
    assert_eq!(e, ["d.discards:3: a discard without words"]);
}

const ISSUES: &str = "\
<ISSUE CATEGORY=\"ROADS\" TYPE=\"ALL\">
n:pothole [ROADS]
v:resurface road [ROADS]
toll+road [ROADS]
~pothole poetry
~~pothole museum
</ISSUE>
ferry [BOATS]
";

#[test]
fn issues_expansions_exclusions_and_sections() {
    let d = parse_one(DictionaryKind::Issues, "i.txt", ISSUES);
    let s = &d.symbols;
    let i = &d.issues.issues;
    assert_eq!(i.len(), 6);
    assert_eq!(d.issues.sections[0].category, "ROADS");
    assert_eq!(d.issues.sections[0].kind.as_deref(), Some("ALL"));
    assert_eq!(i[0].section, Some(0));
    assert_eq!(i[0].kind, IssueKind::Code(s.get("ROADS").unwrap()));
    assert_eq!(i[0].variants(s), ["POTHOLE", "POTHOLES"]);
    assert_eq!(
        i[1].variants(s),
        [
            "RESURFACE ROAD",
            "RESURFACES ROAD",
            "RESURFACED ROAD",
            "RESURFACING ROAD"
        ]
    );
    assert_eq!(i[2].variants(s), ["TOLL ROAD", "TOLL-ROAD"]);
    assert_eq!(i[3].kind, IssueKind::ExcludeSentence);
    assert_eq!(i[4].kind, IssueKind::ExcludeStory);
    assert_eq!(i[5].section, None);
}

#[test]
fn malformed_issue_lines_name_file_and_line() {
    let text = "<ISSUE TYPE=\"ALL\">\nferry [BOATS\nferry []\n[BOATS]\n";
    let e = errors(DictionaryKind::Issues, "i.issues", text);
    assert_eq!(e.len(), 4, "{e:?}");
    assert!(e[0].starts_with("i.issues:1: an <ISSUE> tag without CATEGORY"));
    assert!(e[1].starts_with("i.issues:2: a '[' without ']'"));
    assert!(e[2].starts_with("i.issues:3: an empty code"));
    assert!(e[3].starts_with("i.issues:4: an issue without words"));
}

#[test]
fn errors_of_every_file_are_collected() {
    let r = Dictionaries::parse(&[
        (DictionaryKind::Discards, "one.txt", "+\n"),
        (DictionaryKind::Actors, "two.txt", "\t[X]\n"),
    ]);
    let e = r.unwrap_err();
    assert_eq!(
        e.to_string(),
        "one.txt:1: a discard without words\ntwo.txt:1: a code line before any actor"
    );
}

#[test]
fn comments() {
    let lines: Vec<(usize, String)> =
        content_lines("a # b\r\n<!-- c\nd --> e\n  # f\nx <!-- y --> z\n#\n")
            .map(|(n, l)| (n, l.into_owned()))
            .collect();
    assert_eq!(
        lines,
        [
            (1, "a ".to_string()),
            (3, " e".to_string()),
            (5, "x  z".to_string())
        ]
    );
}

#[test]
fn config_and_folder_loading() {
    let dir = std::env::temp_dir().join(format!("sitrep-dict-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("v.txt"), VERBS).unwrap();
    std::fs::write(dir.join("a1.txt"), ACTORS).unwrap();
    std::fs::write(dir.join("a2.txt"), "SOUTHLAND [STH]\n").unwrap();
    std::fs::write(
        dir.join("PETR_config.ini"),
        "[Dictionaries]\nverbfile_name = v.txt\nactorfile_list = a1.txt, a2.txt\n\n[Options]\nx = 1\n",
    )
    .unwrap();
    let d = Dictionaries::load(&dir).unwrap();
    assert_eq!(d.verbs.blocks.len(), 2);
    assert_eq!(d.actors.len(), 4);
    assert_eq!(d.actors.actors[3].file, 1);
    std::fs::write(dir.join("a2.txt"), "SOUTHLAND [STH\n").unwrap();
    let e = Dictionaries::load(dir.join("PETR_config.ini")).unwrap_err();
    assert_eq!(e.errors.len(), 1);
    assert!(
        e.errors[0]
            .to_string()
            .ends_with("a2.txt:1: a '[' without ']'")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The shipped default dictionaries (`data/dictionaries`: Phoenix, CAMEO 2.0 and sitrep's
/// additions) load without errors, and the additions hold their dated codes.
#[test]
fn shipped_default_dictionaries_load_with_the_teams_additions() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/dictionaries");
    let d = Dictionaries::load(&dir).expect("shipped dictionaries load");
    assert!(d.actors.len() > 27_000 && d.verbs.patterns.len() > 4_000);
    assert!(
        d.actors
            .files
            .last()
            .unwrap()
            .ends_with("sitrep.actors.txt")
    );
    let actor_named = |name: &str| {
        d.actors
            .actors
            .iter()
            .find(|a| {
                d.actors
                    .phrases(a)
                    .iter()
                    .any(|&p| d.phrase_text(p).trim_end_matches('_') == name)
            })
            .unwrap_or_else(|| panic!("{name} is in the dictionaries"))
    };
    let on = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let code = |name: &str, date| {
        let actor = actor_named(name);
        d.actors
            .code_on(actor, date)
            .map(|c| d.symbols.name(c).to_string())
    };
    assert_eq!(code("WAGNER", on(2022, 1, 7)).as_deref(), Some("RUSUAF"));
    // Goita was an officer before the coup of 18 August 2020 and the government after it.
    assert_eq!(
        code("ASSIMI GOITA", on(2019, 6, 1)).as_deref(),
        Some("MLIMIL")
    );
    assert_eq!(
        code("ASSIMI GOITA", on(2022, 1, 7)).as_deref(),
        Some("MLIGOV")
    );
    assert_eq!(code("JNIM", on(2022, 1, 7)).as_deref(), Some("MLIREB"));
}
