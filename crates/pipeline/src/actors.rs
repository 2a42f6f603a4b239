//! Actors on entities: the CAMEO code of each entity the gazetteer's tables know, and the
//! entity types those tables settle where the recogniser disagrees.
//!
//! In order, for each entity:
//! 1. a place resolved as a country is that country (its ISO alpha-3 code, CAMEO's country
//!    code); a nationality word ("Malian") is its country; a place that speaks as a government
//!    ("Paris said", "Moscow denied") is that country's government (`FRAGOV`);
//! 2. else a name of the actor dictionary (Phoenix, `actors.tsv`: people, organisations,
//!    international bodies, armed groups) gives its code on the document's date: a code with a
//!    date restriction ("IGOUNO from 2007") is the one in force when the story was published,
//!    the current one when the date is unknown.
//!
//! A nationality word the recogniser made a person, a place or an organisation ("Malian" in "Malian
//! army" as ORG) becomes NORP, a country it made a person becomes LOC, and a person whose name
//! the dictionary lists as an organisation, a body, an armed group or a news organisation
//! becomes ORG ("Wagner" is the Wagner Group): a country or a demonym is never a person.

use chrono::NaiveDate;
use sitrep_model::{Actor, Document};
use sitrep_nlp::Gazetteer;

/// Fills `actor` on the document's entities and corrects types the tables settle.
pub(crate) fn actor_layer(doc: &mut Document, gazetteer: &Gazetteer) {
    let published = doc.published;
    for e in &mut doc.entities {
        let place = e.place.as_ref();
        let used_as = place.and_then(|p| p.used_as.as_deref());
        let country = place.and_then(|p| p.country.clone());
        let kind = place.and_then(|p| p.kind.as_deref());
        let demonym = used_as == Some("demonym") || gazetteer.nationality(&e.text).is_some();
        let actor = match (country, kind, used_as) {
            (Some(code), _, Some("government")) => Some(Actor {
                name: gazetteer
                    .country_place(&code)
                    .map(|p| format!("Government of {}", p.name)),
                code: format!("{code}GOV"),
                kind: Some("government".to_string()),
            }),
            (Some(code), Some("country"), _) => Some(Actor {
                code,
                name: place.map(|p| p.name.clone()),
                kind: Some("country".to_string()),
            }),
            _ => None,
        }
        .or_else(|| {
            gazetteer.nationality(&e.text).map(|code| Actor {
                code: code.to_string(),
                name: gazetteer.country_place(code).map(|p| p.name.clone()),
                kind: Some("country".to_string()),
            })
        })
        .or_else(|| {
            let entry = gazetteer.actor(&e.text)?;
            let code = code_on(&entry.code, &entry.history, published).to_string();
            // A news organisation is coded MED (or country + MED).
            let kind = if code.ends_with("MED") {
                "media"
            } else {
                entry.kind.as_str()
            };
            Some(Actor {
                name: Some(title_case(entry.canonical())),
                kind: Some(kind.to_string()),
                code,
            })
        });
        let dictionary_kind = actor.as_ref().and_then(|a| a.kind.as_deref());
        if demonym && matches!(e.kind.as_str(), "PER" | "ORG" | "LOC" | "MISC") {
            e.kind = "NORP".to_string();
        } else if kind == Some("country") && used_as.is_none() && e.kind == "PER" {
            e.kind = "LOC".to_string();
        } else if e.kind == "PER"
            && matches!(
                dictionary_kind,
                Some("org" | "company" | "igo" | "ngo" | "armed_group" | "media")
            )
        {
            // "Wagner" tagged a person is the Wagner Group the dictionary lists.
            e.kind = "ORG".to_string();
        }
        e.actor = actor;
    }
}

/// The code in force on `date`: the dated entry of `history` (`CODE:from-to;...`, dates
/// `YYYYMMDD`, either end open) that covers it, else `current`.
pub(crate) fn code_on<'a>(current: &'a str, history: &'a str, date: Option<NaiveDate>) -> &'a str {
    let Some(date) = date else { return current };
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    history
        .split(';')
        .filter_map(|entry| {
            let (code, span) = entry.split_once(':')?;
            let (from, to) = span.split_once('-')?;
            let after = from.is_empty() || day(from).is_some_and(|f| f <= date);
            let before = to.is_empty() || day(to).is_some_and(|t| date <= t);
            (after && before && !code.is_empty()).then_some(code)
        })
        .next()
        .unwrap_or(current)
}

/// "UNITED NATIONS" → "United Nations", "BANK OF ENGLAND" → "Bank of England" (the
/// dictionary writes names in capitals); other words of three letters or fewer stay capitals
/// ("AFP", "UN").
fn title_case(name: &str) -> String {
    const SMALL: [&str; 7] = ["OF", "THE", "AND", "FOR", "IN", "ON", "DE"];
    name.split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && SMALL.contains(&w) {
                return w.to_lowercase();
            }
            if w.chars().count() <= 3 && !SMALL.contains(&w) {
                return w.to_string();
            }
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_in_force_on_the_date() {
        let history = "IGOUNO:20070101-;KORGOVBUS:-20061201";
        let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(code_on("IGOUNO", history, on(2010, 5, 1)), "IGOUNO");
        assert_eq!(code_on("IGOUNO", history, on(2005, 5, 1)), "KORGOVBUS");
        // A date no entry covers, or none: the current code.
        assert_eq!(code_on("IGOUNO", history, on(2006, 12, 15)), "IGOUNO");
        assert_eq!(code_on("IGOUNO", history, None), "IGOUNO");
        assert_eq!(code_on("VRN", "", on(2010, 1, 1)), "VRN");
        assert_eq!(title_case("UNITED NATIONS"), "United Nations");
        assert_eq!(title_case("BANK OF ENGLAND"), "Bank of England");
        assert_eq!(title_case("AFP"), "AFP");
    }
}
