use super::*;
use proptest::prelude::*;

fn kinds(cleaned: &Cleaned) -> Vec<(&str, BoilerplateKind)> {
    cleaned
        .boilerplate
        .iter()
        .map(|b| (b.text.as_str(), b.kind))
        .collect()
}

fn paragraphs(cleaned: &Cleaned) -> Vec<&str> {
    cleaned.body.split("\n\n").collect()
}

#[test]
fn stray_headline_title_promo_and_related_list() {
    let text = include_str!("../../tests/fixtures/stray-title-promo-related.txt");
    let cleaned = clean(text, None);
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Aid convoy reaches besieged town of Dravik after weeks of shelling")
    );
    assert!(
        cleaned
            .body
            .starts_with("An aid convoy reached the besieged town of Dravik on Tuesday")
    );
    assert!(
        cleaned
            .body
            .ends_with("would return next week if the ceasefire held.")
    );
    assert_eq!(paragraphs(&cleaned).len(), 4);
    assert!(!cleaned.body.contains("Download"));
    assert!(!cleaned.body.contains("Floods"));
    assert!(!cleaned.body.contains("Related"));
    assert_eq!(
        cleaned.related,
        vec![
            "Ceasefire talks stall as both sides trade accusations",
            "Hospital in Dravik runs out of fuel, doctors say",
            "Opinion: The world is failing the people of Dravik",
        ]
    );
    assert_eq!(
        kinds(&cleaned),
        vec![
            (
                "Floods displace thousands in northern province, officials warn",
                BoilerplateKind::StrayHeadline
            ),
            (
                "Download our free app and sign up for breaking news alerts.",
                BoilerplateKind::Promo
            ),
            ("Related:", BoilerplateKind::Related),
            (
                "Ceasefire talks stall as both sides trade accusations",
                BoilerplateKind::Related
            ),
            (
                "Hospital in Dravik runs out of fuel, doctors say",
                BoilerplateKind::Related
            ),
            (
                "Opinion: The world is failing the people of Dravik",
                BoilerplateKind::Related
            ),
        ]
    );
}

#[test]
fn wire_story_with_byline_dateline_caption_and_credits() {
    let text = include_str!("../../tests/fixtures/wire-dateline-byline.txt");
    let cleaned = clean(text, None);
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Port strike enters second week as talks collapse")
    );
    assert!(
        cleaned
            .body
            .starts_with("Dock workers at Europe's largest port")
    );
    assert!(cleaned.body.ends_with("\"far below inflation\"."));
    assert_eq!(paragraphs(&cleaned).len(), 3);
    assert_eq!(
        kinds(&cleaned),
        vec![
            (
                "By Jane Okafor and Tomas Lind, Reuters",
                BoilerplateKind::Byline
            ),
            ("ROTTERDAM, March 3 (Reuters) -", BoilerplateKind::Dateline),
            (
                "Photo: Container cranes stand idle at the port on Thursday. REUTERS/Piet Janssen",
                BoilerplateKind::Caption
            ),
            (
                "(Reporting by Jane Okafor; Editing by Mark Hall)",
                BoilerplateKind::Byline
            ),
        ]
    );
}

#[test]
fn dateline_styles() {
    for (text, dateline, body_start) in [
        (
            "KYIV, Ukraine (AP) — Russian forces shelled the city overnight, officials said.",
            "KYIV, Ukraine (AP) —",
            "Russian forces",
        ),
        (
            "WASHINGTON (Reuters) — The Senate passed the bill late on Thursday, aides said.",
            "WASHINGTON (Reuters) —",
            "The Senate",
        ),
        (
            "BAMAKO, Jan 7 (AFP) - Soldiers were deployed to the north of the country, the army said.",
            "BAMAKO, Jan 7 (AFP) -",
            "Soldiers",
        ),
        (
            "NEW DELHI: The government announced new rules for drone imports on Monday.",
            "NEW DELHI:",
            "The government",
        ),
        (
            "Nairobi, Kenya (Xinhua) -- Heavy rains have killed at least 12 people this week, police said.",
            "Nairobi, Kenya (Xinhua) --",
            "Heavy rains",
        ),
    ] {
        let cleaned = clean(text, None);
        assert_eq!(
            kinds(&cleaned),
            vec![(dateline, BoilerplateKind::Dateline)],
            "{text}"
        );
        assert!(cleaned.body.starts_with(body_start), "{text}");
    }
}

#[test]
fn sentences_that_only_look_like_datelines_stay() {
    for text in [
        "US forces - the officials said - left the base on Friday.",
        "NATO members met in Brussels on Friday, diplomats said.",
        "Officials: the talks will resume next week in Geneva, they said.",
    ] {
        let cleaned = clean(text, None);
        assert_eq!(cleaned.body, text);
        assert!(cleaned.boilerplate.is_empty(), "{text}");
    }
}

#[test]
fn one_paragraph_per_line_without_blank_lines() {
    let text = include_str!("../../tests/fixtures/no-blank-lines.txt");
    let cleaned = clean(text, None);
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Rebels seize second town in eastern offensive")
    );
    let body = paragraphs(&cleaned);
    assert_eq!(body.len(), 3);
    assert!(body[0].starts_with("Rebel fighters took control"));
    assert!(body[2].starts_with("About 12,000 people"));
    assert_eq!(
        kinds(&cleaned),
        vec![
            ("Share on Facebook", BoilerplateKind::Nav),
            ("Advertisement", BoilerplateKind::Nav)
        ]
    );
}

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    let text = include_str!("../../tests/fixtures/hard-wrapped.txt");
    let cleaned = clean(text, None);
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Drought cuts harvest by a third")
    );
    assert_eq!(
        paragraphs(&cleaned),
        vec![
            "Farmers in the southern highlands expect to harvest about a third less maize than \
             last year after the longest dry spell in two decades, the agriculture ministry \
             said on Monday.",
            "The ministry said food reserves would last until the next rains, but aid groups \
             warned that prices in rural markets had already doubled since January.",
        ]
    );
}

#[test]
fn headline_lines_in_one_block_are_not_joined() {
    let text = "Mali junta defies regional bloc over election timetable\n\
                Troops deployed to northern towns as talks stall\n\n\
                Troops were deployed to three northern towns on Monday as talks with the \
                regional bloc stalled, officials said.";
    let cleaned = clean(text, None);
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Troops deployed to northern towns as talks stall")
    );
    assert_eq!(
        kinds(&cleaned),
        vec![(
            "Mali junta defies regional bloc over election timetable",
            BoilerplateKind::StrayHeadline
        )]
    );
}

#[test]
fn captions_in_their_common_forms() {
    for caption in [
        "Soldiers patrol a market in Gao on Monday. (AFP photo)",
        "Image source, Getty Images",
        "A resident walks past a damaged building in Kharkiv | Getty Images",
        "File photo: Police officers stand guard outside parliament.",
        "Protesters gather in the capital. (Photo by Ana Ruiz/AFP)",
        "Rescue workers search the rubble. REUTERS/Umit Bektas",
    ] {
        let text = format!(
            "Quake toll rises\n\nRescuers pulled more survivors from the rubble on Tuesday, \
             officials said.\n\n{caption}\n\nThe death toll rose to 1,200, the ministry said."
        );
        let cleaned = clean(&text, None);
        assert_eq!(
            kinds(&cleaned),
            vec![(caption, BoilerplateKind::Caption)],
            "{caption}"
        );
        assert_eq!(paragraphs(&cleaned).len(), 2);
    }
}

#[test]
fn promo_lines_in_their_common_forms() {
    for promo in [
        "For the latest headlines, follow our Telegram channel.",
        "Subscribe to our daily newsletter.",
        "Sign up for our morning briefing newsletter",
        "Click here to read the full report.",
        "Share this article",
        "© 2024 Daily Courier. All rights reserved.",
        "Copyright 2023 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
        "Follow us on X and Instagram",
    ] {
        let text = format!(
            "Markets rally\n\nShares rose sharply on Wednesday after the central bank held \
             rates, traders said.\n\n{promo}\n\nThe currency also gained, dealers said."
        );
        let cleaned = clean(&text, None);
        let got = kinds(&cleaned);
        assert_eq!(got.len(), 1, "{promo}: {got:?}");
        assert_eq!(got[0].0, promo);
        assert!(
            matches!(got[0].1, BoilerplateKind::Promo | BoilerplateKind::Nav),
            "{promo}: {got:?}"
        );
        assert!(!cleaned.body.contains(promo));
    }
}

#[test]
fn bylines_in_their_common_forms() {
    for byline in [
        "By Jane Doe",
        "By JANE DOE",
        "By Jane Doe and John Roe, Reuters",
        "By Ahmed al-Rashid in Baghdad",
        "Reporting by Jane Doe; Editing by John Roe",
        "(Additional reporting by Li Wei in Beijing)",
        "Staff and agencies",
        "— AFP",
        "Updated: Jan. 7, 2022 10:32 GMT",
        "Published 7 January 2022",
    ] {
        let text = format!(
            "Election result delayed\n\n{byline}\n\nOfficials delayed the announcement of \
             the election result on Sunday, citing a recount in two districts."
        );
        let cleaned = clean(&text, None);
        assert_eq!(
            kinds(&cleaned),
            vec![(byline, BoilerplateKind::Byline)],
            "{byline}"
        );
        assert_eq!(cleaned.title.as_deref(), Some("Election result delayed"));
    }
}

#[test]
fn navigation_lines() {
    for nav in [
        "Home > World > Africa",
        "News » World » Middle East",
        "Skip to main content",
        "Facebook Twitter Email",
        "Share | Tweet | Email",
        "Topics: Mali, Russia, Sahel",
        "5 min read",
        "* * *",
    ] {
        let text = format!(
            "Port reopens after storm\n\nThe port reopened on Monday after a storm closed it \
             for three days, the harbour master said.\n\n{nav}\n\nShips queued to enter, \
             pilots said on Monday."
        );
        let cleaned = clean(&text, None);
        assert_eq!(kinds(&cleaned), vec![(nav, BoilerplateKind::Nav)], "{nav}");
    }
}

#[test]
fn body_sentences_that_mention_boilerplate_words_stay() {
    let long = "More than two million people subscribe to the state broadcaster's streaming \
                service, which the government has promised to follow with a free app for \
                rural users who cannot afford satellite television, the minister said.";
    let paragraphs_in = [
        "By Friday, most of the troops had left the city, residents said.",
        "Residents said they would follow our advice and stay indoors.",
        long,
        "He declined to share details of the deal, citing the talks.",
        "About 2 million people subscribe to the service, the company said.",
        "Next steps will be decided at a meeting on Friday, the chairman said.",
    ];
    let text = format!("Troops leave city\n\n{}", paragraphs_in.join("\n\n"));
    let cleaned = clean(&text, None);
    assert_eq!(paragraphs(&cleaned), paragraphs_in);
    assert!(cleaned.boilerplate.is_empty(), "{:?}", cleaned.boilerplate);
}

#[test]
fn inline_read_more_in_the_middle_of_the_body() {
    let text = "Talks resume\n\n\
        Negotiators met again in Doha on Sunday after a two-week pause, mediators said.\n\n\
        READ MORE: Ceasefire deal collapses after a week\n\n\
        Both delegations arrived late, and the session lasted only three hours, a diplomat said.";
    let cleaned = clean(text, None);
    assert_eq!(
        cleaned.related,
        vec!["Ceasefire deal collapses after a week"]
    );
    assert_eq!(paragraphs(&cleaned).len(), 2);
    assert!(cleaned.body.ends_with("a diplomat said."));
    assert_eq!(
        kinds(&cleaned),
        vec![(
            "READ MORE: Ceasefire deal collapses after a week",
            BoilerplateKind::Related
        )]
    );
}

#[test]
fn related_list_stops_at_the_next_paragraph() {
    let text = "Talks resume\n\n\
        Negotiators met again in Doha on Sunday after a two-week pause, mediators said.\n\n\
        You may also like\n\n\
        Ceasefire deal collapses after a week\n\n\
        Aid agencies warn of famine\n\n\
        Both delegations arrived late, and the session lasted only three hours, a diplomat said.";
    let cleaned = clean(text, None);
    assert_eq!(
        cleaned.related,
        vec![
            "Ceasefire deal collapses after a week",
            "Aid agencies warn of famine"
        ]
    );
    assert_eq!(paragraphs(&cleaned).len(), 2);
}

#[test]
fn unrecognised_short_lines_after_the_body_stay() {
    // A list of facts after the last paragraph is body; only a heading marks a related list.
    let text = "Tour dates announced\n\n\
        The band announced a 30-city tour on Monday, its first in a decade.\n\n\
        The tour dates:\n\n\
        June 9 -- Coral Arena, Westport\n\n\
        June 10 -- City Hall, Eastfield";
    let cleaned = clean(text, None);
    assert_eq!(paragraphs(&cleaned).len(), 4);
    assert!(cleaned.body.ends_with("June 10 -- City Hall, Eastfield"));
    assert!(cleaned.boilerplate.is_empty());
}

#[test]
fn a_dateline_marks_the_first_paragraph_even_when_it_ends_with_a_colon() {
    let text = "LONDON (AP) — The latest on the storm hitting the coast (all times local):\n\n\
        Ferries were cancelled on Monday morning.";
    let cleaned = clean(text, None);
    assert_eq!(cleaned.title, None);
    assert!(cleaned.body.starts_with("The latest on the storm"));
}

#[test]
fn subheadings_inside_the_body_stay() {
    let text = "Budget passed\n\n\
        Parliament passed the budget on Thursday by a narrow margin, the speaker said.\n\n\
        What changes for taxpayers\n\n\
        Income tax falls by one point for the lowest bracket, the finance ministry said.";
    let cleaned = clean(text, None);
    assert_eq!(paragraphs(&cleaned).len(), 3);
    assert_eq!(paragraphs(&cleaned)[1], "What changes for taxpayers");
}

#[test]
fn given_title_wins_and_its_copy_leaves_the_body() {
    let text = "Aid convoy reaches Dravik\n\n\
        An aid convoy reached the besieged town of Dravik on Tuesday, the aid agency said.";
    let cleaned = clean(text, Some("  Aid convoy reaches  Dravik "));
    assert_eq!(cleaned.title.as_deref(), Some("Aid convoy reaches Dravik"));
    assert!(cleaned.body.starts_with("An aid convoy"));
    assert!(cleaned.boilerplate.is_empty());

    // A different leading line is then a stray headline, not the title.
    let cleaned = clean(text, Some("Convoy brings food to besieged town"));
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Convoy brings food to besieged town")
    );
    assert_eq!(
        kinds(&cleaned),
        vec![("Aid convoy reaches Dravik", BoilerplateKind::StrayHeadline)]
    );
    // An empty given title counts as none.
    let cleaned = clean(text, Some("   "));
    assert_eq!(cleaned.title.as_deref(), Some("Aid convoy reaches Dravik"));
}

#[test]
fn ties_go_to_the_line_nearest_the_body() {
    let text = "Weather update\n\nSports roundup\n\n\
        The committee approved the proposal by seven votes to two, the chairman announced.";
    let cleaned = clean(text, None);
    assert_eq!(cleaned.title.as_deref(), Some("Sports roundup"));
}

#[test]
fn whitespace_is_tidied() {
    let text =
        "  Title   here  \r\n\r\n   The  committee\tapproved the   proposal on Monday.  \r\n";
    let cleaned = clean(text, None);
    assert_eq!(cleaned.title.as_deref(), Some("Title here"));
    assert_eq!(
        cleaned.body,
        "The committee approved the proposal on Monday."
    );
}

#[test]
fn degenerate_inputs() {
    assert_eq!(clean("", None), Cleaned::default());
    assert_eq!(clean(" \n\n \t", None), Cleaned::default());
    let one = clean("Talks resumed on Monday between the two delegations.", None);
    assert_eq!(one.title, None);
    assert_eq!(
        one.body,
        "Talks resumed on Monday between the two delegations."
    );
    // Only short lines: the first is the title, the rest the body.
    let short = clean(
        "Explosions heard in the capital\nResidents report power cuts",
        None,
    );
    assert_eq!(
        short.title.as_deref(),
        Some("Explosions heard in the capital")
    );
    assert_eq!(short.body, "Residents report power cuts");
}

#[test]
fn stemming_and_prefix_matching() {
    assert_eq!(stem("advisers".into()), "adviser");
    assert_eq!(stem("crisis".into()), "crisis");
    assert_eq!(stem("press".into()), "press");
    assert!(related_words("mali", "malian"));
    assert!(related_words("russian", "russia"));
    assert!(!related_words("war", "warn"));
    assert!(!related_words("state", "statement"));
    assert_eq!(
        content_words("Russian advisers in Mali’s capital"),
        vec!["russian", "adviser", "mali", "capital"]
    );
}

/// The input with every whitespace run collapsed: what any output text must be a piece of.
fn collapsed(text: &str) -> String {
    tidy(text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_and_never_invents_text(
        text in "(\\PC{0,40}[\n]{0,3}){0,12}",
        title in proptest::option::of("\\PC{0,20}"),
    ) {
        let cleaned = clean(&text, title.as_deref());
        let source = collapsed(&text);
        prop_assert_eq!(cleaned.body.trim(), cleaned.body.as_str());
        for paragraph in cleaned.body.split("\n\n").filter(|p| !p.is_empty()) {
            prop_assert!(source.contains(paragraph), "{:?} not in {:?}", paragraph, source);
            prop_assert_eq!(tidy(paragraph), paragraph);
        }
        if title.as_deref().map(str::trim).unwrap_or("").is_empty()
            && let Some(t) = &cleaned.title
        {
            prop_assert!(source.contains(t.as_str()));
        }
        for headline in &cleaned.related {
            prop_assert!(source.contains(headline.as_str()));
        }
        for b in &cleaned.boilerplate {
            prop_assert!(source.contains(b.text.as_str()));
        }
    }

    #[test]
    fn news_shaped_input_keeps_its_paragraphs(
        paragraphs in proptest::collection::vec("[A-Z][a-z]{2,8}( [a-z]{2,9}){5,20}\\.", 1..6),
    ) {
        let text = format!("Headline about something\n\n{}", paragraphs.join("\n\n"));
        let cleaned = clean(&text, None);
        prop_assert_eq!(cleaned.title.as_deref(), Some("Headline about something"));
        prop_assert_eq!(cleaned.body, paragraphs.join("\n\n"));
    }
}
