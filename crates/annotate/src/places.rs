//! Places: which mentions of a text name places, and where each one is.
//!
//! [`toponyms`] lists a document's place mentions: the recogniser's locations, and its
//! nationality words when the gazetteer knows their country ("Malian" is Mali, used as a
//! modifier). [`resolve`] gives each mention a place of the gazetteer (`data/gazetteer/`:
//! GeoNames countries, first-level regions, places of 15,000 people or more, continents),
//! with how exact it is ([`Precision`]) and why it was chosen.
//!
//! # Resolution
//!
//! Every mention's candidates are the gazetteer's places of that name (main or alternate
//! name, any case; "the" and a possessive "'s" off; a nationality word or a country alias
//! stands for its country). Each candidate is scored, and the best wins:
//!
//! * **kind**: a country or a continent outranks any town of its name (+7), a first-level
//!   region outranks a town (+3.5): "France" is never Tremblay-en-France, "Niger" is the
//!   country;
//! * **size**: log10 of the population (a city of a million scores 6, a town of 15,000 4.2);
//! * **qualifier**: a country or region named right after a comma ("Long Beach, CA", "Paris,
//!   Texas", a dateline's "BAMAKO, Mali") keeps only the candidates inside it (+20);
//! * **document**: the countries and regions the document's other mentions resolve to on
//!   their own (a first pass with kind, size and qualifier only) pull a candidate in the same
//!   country (+6 × their share of the mentions) and in the same region (+3 × share):
//!   "Georgia" among Atlanta and Savannah is the US state, among Tbilisi the country.
//!
//! A mention the gazetteer does not know gets no place, and never empties the others; with
//! [`Fallback::Focus`] it gets the document's focus instead (the place its other mentions
//! name most, the most exact level first), marked [`Precision::Focus`] so that nobody reads it
//! as a match. Resolution is deterministic and linear in the mentions (one hash look-up per
//! mention and a pass over the candidates).

use std::collections::HashMap;
use std::ops::Range;

use sitrep_nlp::gazetteer::Place as GazPlace;
use sitrep_nlp::{Analysis, EntityLabel, Gazetteer};

/// How exact a resolved place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    /// A city or town.
    Place,
    /// A first-level region (a state, a province).
    Region,
    Country,
    Continent,
    /// Not in the gazetteer: the document's focus place stands in for it.
    Focus,
}

impl Precision {
    pub fn name(self) -> &'static str {
        match self {
            Precision::Place => "place",
            Precision::Region => "region",
            Precision::Country => "country",
            Precision::Continent => "continent",
            Precision::Focus => "focus",
        }
    }

    fn of(kind: &str) -> Precision {
        match kind {
            "city" => Precision::Place,
            "admin1" => Precision::Region,
            "country" => Precision::Country,
            _ => Precision::Continent,
        }
    }
}

/// What to do with a name the gazetteer does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// No place.
    None,
    /// The document's focus place, marked [`Precision::Focus`].
    Focus,
}

/// One mention's place.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved<'g> {
    pub place: &'g GazPlace,
    /// The first-level region a city lies in, when the gazetteer knows it.
    pub region: Option<&'g GazPlace>,
    pub precision: Precision,
    /// Why this place: the deciding evidence, for `--explain` and the evaluation.
    pub why: String,
}

/// A place mention found in an analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toponym {
    /// Byte span in the text.
    pub span: Range<usize>,
    /// The index of the analysis's mention it is; `None` for a name the recogniser missed
    /// and the gazetteer found.
    pub mention: Option<usize>,
    /// A nationality word ("Malian"), not a place name.
    pub demonym: bool,
}

/// The fewest people a town the recogniser missed must have for the gazetteer alone to make
/// its name a place: smaller towns' names are too often surnames and ordinary words.
const GAZETTEER_ONLY_POPULATION: u64 = 100_000;
/// The most words of a place name looked up.
const MAX_NAME_WORDS: usize = 4;

/// The place mentions of an analysed text, in text order: the recogniser's locations, its
/// nationality words whose country the gazetteer knows, and the proper nouns outside any
/// entity that the gazetteer lists as a country, a first-level region or a town of 100,000
/// people or more ("BAMAKO, Mali" in a dateline, "Paris said").
pub fn toponyms(text: &str, analysis: &Analysis, gazetteer: &Gazetteer) -> Vec<Toponym> {
    let mut out: Vec<Toponym> = analysis
        .mentions()
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let span = analysis.span_of(&m.tokens);
            let name = &text[span.clone()];
            // "Malian", and a continent's adjective ("European").
            let demonym = gazetteer.nationality(name).is_some()
                || (name.ends_with('n')
                    && gazetteer
                        .places(name)
                        .first()
                        .is_some_and(|p| p.kind == "continent"));
            match m.label {
                EntityLabel::Loc => Some(Toponym {
                    span,
                    mention: Some(i),
                    demonym,
                }),
                EntityLabel::Norp if demonym => Some(Toponym {
                    span,
                    mention: Some(i),
                    demonym: true,
                }),
                _ => None,
            }
        })
        .collect();
    let tokens = analysis.tokens();
    let mut in_entity = vec![false; tokens.len()];
    for m in analysis.mentions() {
        for t in m.tokens.clone() {
            in_entity[t] = true;
        }
    }
    let proper = |t: usize| {
        let word = &text[tokens[t].clone()];
        // A dateline's capitals ("BAMAKO, Mali") are tagged anyhow.
        let capitals = word.chars().count() >= 3 && word.chars().all(|c| c.is_uppercase());
        !in_entity[t]
            && word.starts_with(|c: char| c.is_uppercase())
            && (capitals || analysis.word(t).is_none_or(|w| w.upos == "PROPN"))
    };
    for s in analysis.sentences() {
        let mut t = s.tokens.start;
        while t < s.tokens.end {
            if !proper(t) {
                t += 1;
                continue;
            }
            let longest = (1..=MAX_NAME_WORDS)
                .take_while(|n| t + n <= s.tokens.end && (t..t + n).all(|k| !in_entity[k]))
                .filter(|&n| {
                    let span = tokens[t].start..tokens[t + n - 1].end;
                    gazetteer
                        .places(&text[span])
                        .iter()
                        .any(|p| p.kind != "city" || p.population >= GAZETTEER_ONLY_POPULATION)
                })
                .last();
            match longest {
                Some(n) => {
                    out.push(Toponym {
                        span: tokens[t].start..tokens[t + n - 1].end,
                        mention: None,
                        demonym: false,
                    });
                    t += n;
                }
                None => t += 1,
            }
        }
    }
    out.sort_by_key(|t| t.span.start);
    out
}

/// Score of a candidate's kind: a country or continent outranks any town of its name.
fn kind_prior(kind: &str) -> f64 {
    match kind {
        "country" | "continent" => 7.0,
        "admin1" => 3.5,
        _ => 0.0,
    }
}

/// The name as the gazetteer lists it: "the" and a possessive off, spaces collapsed.
fn clean_name(name: &str) -> String {
    let name = name.trim().trim_end_matches(',');
    let name = name
        .strip_suffix("'s")
        .or_else(|| name.strip_suffix("\u{2019}s"))
        .unwrap_or(name);
    let name = name
        .strip_prefix("the ")
        .or_else(|| name.strip_prefix("The "))
        .unwrap_or(name);
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The gazetteer's places a name may be: by name, else the country of a nationality word or
/// country alias.
fn candidates<'g>(gazetteer: &'g Gazetteer, name: &str) -> Vec<&'g GazPlace> {
    let name = clean_name(name);
    let mut found = gazetteer.places(&name);
    if found.is_empty() && name.ends_with('.') {
        // A sentence's full stop after the name ("... in Paris.").
        found = gazetteer.places(name.trim_end_matches('.'));
    }
    if found.is_empty()
        && let Some(place) = gazetteer
            .country_code(&name)
            .and_then(|iso| gazetteer.country_place(iso))
    {
        found.push(place);
    }
    found.dedup_by_key(|p| p.geonameid);
    found
}

/// The country or region named right after a comma that follows byte `end` ("Long Beach,
/// CA"; "BAMAKO, Mali"): the longest of the next one to three words the gazetteer lists as a
/// country or first-level region.
fn qualifier<'g>(gazetteer: &'g Gazetteer, text: &str, end: usize) -> Vec<&'g GazPlace> {
    let rest = &text[end..];
    let Some(after) = rest.strip_prefix(',') else {
        return Vec::new();
    };
    let after = after.trim_start_matches([' ', '\u{a0}']);
    if rest.len() - after.len() > 3 {
        return Vec::new();
    }
    let words: Vec<&str> = after
        .split([' ', '\n', '\t'])
        .take(3)
        .map(|w| w.trim_end_matches([',', ';', ':', ')', '(']))
        .collect();
    for n in (1..=words.len()).rev() {
        let name = words[..n].join(" ");
        let name = name.trim_end_matches('.');
        if name.is_empty() || !name.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        let places: Vec<&GazPlace> = candidates(gazetteer, name)
            .into_iter()
            .filter(|p| p.kind == "country" || p.kind == "admin1")
            .collect();
        if !places.is_empty() {
            return places;
        }
    }
    Vec::new()
}

/// Whether `place` lies inside `area` (a country or a first-level region).
fn inside(place: &GazPlace, area: &GazPlace) -> bool {
    match area.kind.as_str() {
        "country" => place.country == area.country && place.geonameid != area.geonameid,
        "admin1" => {
            place.country == area.country
                && place.admin == area.admin
                && place.geonameid != area.geonameid
        }
        _ => false,
    }
}

/// Resolves the toponyms at byte spans `spans` of `text` (one document, text order) against
/// the gazetteer (see the module doc).
pub fn resolve<'g>(
    gazetteer: &'g Gazetteer,
    text: &str,
    spans: &[Range<usize>],
    fallback: Fallback,
) -> Vec<Option<Resolved<'g>>> {
    struct Mention<'g> {
        candidates: Vec<&'g GazPlace>,
        qualified: Vec<bool>,
        base: Vec<f64>,
    }
    let mentions: Vec<Mention<'g>> = spans
        .iter()
        .map(|span| {
            let candidates = candidates(gazetteer, &text[span.clone()]);
            let areas = qualifier(gazetteer, text, span.end);
            let qualified: Vec<bool> = candidates
                .iter()
                .map(|c| areas.iter().any(|a| inside(c, a)))
                .collect();
            // A town and the region named after it ("Kidal", "Mopti"): the town, as news
            // means it; the region's size does not count.
            let town_of_region = |region: &GazPlace| {
                region.kind == "admin1"
                    && candidates.iter().any(|c| {
                        c.kind == "city" && c.country == region.country && c.admin == region.admin
                    })
            };
            let base = candidates
                .iter()
                .zip(&qualified)
                .map(|(c, &q)| {
                    let own = if town_of_region(c) {
                        0.0
                    } else {
                        kind_prior(&c.kind) + (c.population as f64 + 10.0).log10()
                    };
                    own + if q { 20.0 } else { 0.0 }
                })
                .collect();
            Mention {
                candidates,
                qualified,
                base,
            }
        })
        .collect();
    // Pass 1: each mention on its own.
    let best = |scores: &[f64]| -> Option<usize> {
        (0..scores.len()).max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
    };
    let first: Vec<Option<&GazPlace>> = mentions
        .iter()
        .map(|m| best(&m.base).map(|k| m.candidates[k]))
        .collect();
    let mut countries: HashMap<&str, f64> = HashMap::new();
    let mut regions: HashMap<(&str, &str), f64> = HashMap::new();
    for p in first.iter().flatten() {
        *countries.entry(p.country.as_str()).or_default() += 1.0;
        if !p.admin.is_empty() && matches!(p.kind.as_str(), "city" | "admin1") {
            *regions
                .entry((p.country.as_str(), p.admin.as_str()))
                .or_default() += 1.0;
        }
    }
    let others = first.iter().flatten().count() as f64;
    // Pass 2: with the document's other mentions.
    let mut out: Vec<Option<Resolved<'g>>> = mentions
        .iter()
        .zip(&first)
        .map(|(m, own)| {
            let rest = others - f64::from(u8::from(own.is_some()));
            let share = |count: f64, mine: bool| {
                if rest <= 0.0 {
                    0.0
                } else {
                    ((count - f64::from(u8::from(mine))) / rest).max(0.0)
                }
            };
            let scores: Vec<f64> = m
                .candidates
                .iter()
                .zip(&m.base)
                .map(|(c, base)| {
                    let own_country = own.is_some_and(|o| o.country == c.country);
                    let own_region = own.is_some_and(|o| {
                        o.country == c.country && o.admin == c.admin && !c.admin.is_empty()
                    });
                    let country = countries.get(c.country.as_str()).copied().unwrap_or(0.0);
                    let region = regions
                        .get(&(c.country.as_str(), c.admin.as_str()))
                        .copied()
                        .unwrap_or(0.0);
                    base + 6.0 * share(country, own_country) + 3.0 * share(region, own_region)
                })
                .collect();
            let k = best(&scores)?;
            let place = m.candidates[k];
            let mut why = match m.candidates.len() {
                1 => format!("the only {} of that name", place.kind),
                n => format!("best of {n} places of that name"),
            };
            if m.qualified[k] {
                why.push_str("; inside the country or region named after the comma");
            } else if kind_prior(&place.kind) > 0.0 && n_towns(&m.candidates) > 0 {
                why.push_str(&format!("; a {} outranks towns of its name", place.kind));
            }
            if scores[k] - m.base[k] > 1.0 {
                why.push_str("; in the country the document's other places are in");
            }
            Some(Resolved {
                place,
                region: gazetteer.region_of(place),
                precision: Precision::of(&place.kind),
                why,
            })
        })
        .collect();
    if fallback == Fallback::Focus
        && out.iter().any(Option::is_none)
        && let Some(focus) = focus(gazetteer, &out)
    {
        for r in out.iter_mut().filter(|r| r.is_none()) {
            *r = Some(Resolved {
                place: focus.place,
                region: focus.region,
                precision: Precision::Focus,
                why: format!(
                    "not in the gazetteer: the document's focus, {}",
                    focus.place.name
                ),
            });
        }
    }
    out
}

fn n_towns(candidates: &[&GazPlace]) -> usize {
    candidates.iter().filter(|c| c.kind == "city").count()
}

/// A document's resolved places rolled up: the country most of them are in, the region of
/// that country most of them are in, and the town of that region most named, each with its
/// count. Mentions placed at the focus and places without a country (continents) do not count.
struct Rollup<'g> {
    total: usize,
    country: &'g str,
    n_country: usize,
    in_country: Vec<&'g GazPlace>,
    region: Option<(&'g str, usize)>,
    town: Option<(&'g GazPlace, usize)>,
}

fn rollup<'g>(resolved: &[Option<Resolved<'g>>]) -> Option<Rollup<'g>> {
    let places: Vec<&'g GazPlace> = resolved
        .iter()
        .flatten()
        .filter(|r| r.precision != Precision::Focus && !r.place.country.is_empty())
        .map(|r| r.place)
        .collect();
    let (country, n_country) = top(places.iter().map(|p| p.country.as_str()))?;
    let in_country: Vec<&'g GazPlace> = places
        .iter()
        .copied()
        .filter(|p| p.country == country)
        .collect();
    let region = top(in_country
        .iter()
        .filter(|p| matches!(p.kind.as_str(), "city" | "admin1") && !p.admin.is_empty())
        .map(|p| p.admin.as_str()));
    let town = region.and_then(|(admin, _)| {
        let (id, n) = top(in_country
            .iter()
            .filter(|p| p.kind == "city" && p.admin == admin)
            .map(|p| p.geonameid))?;
        Some((*in_country.iter().find(|p| p.geonameid == id)?, n))
    });
    Some(Rollup {
        total: places.len(),
        country,
        n_country,
        in_country,
        region,
        town,
    })
}

/// The document's focus, from its resolved places rolled up ([`Rollup`]): the town of the
/// top region, else that region when two places are in it, else the country.
pub fn focus<'g>(
    gazetteer: &'g Gazetteer,
    resolved: &[Option<Resolved<'g>>],
) -> Option<Resolved<'g>> {
    let r = rollup(resolved)?;
    let chosen: &'g GazPlace = match (r.town, r.region) {
        (Some((town, _)), _) => town,
        (_, Some((admin, n))) if n >= 2 => gazetteer
            .region(r.country, admin)
            .or_else(|| gazetteer.country_place(r.country))?,
        _ => gazetteer
            .country_place(r.country)
            .or_else(|| r.in_country.first().copied())?,
    };
    Some(Resolved {
        place: chosen,
        region: gazetteer.region_of(chosen),
        precision: Precision::of(&chosen.kind),
        why: String::new(),
    })
}

/// One level of what a document is about: its country, the region of that country most of
/// its places are in, the town most named there.
#[derive(Debug, Clone)]
pub struct FocusLevel<'g> {
    pub resolved: Resolved<'g>,
    /// The document's place mentions inside it (itself included).
    pub mentions: usize,
}

/// What the document is about, most general first ([`Rollup`]): its country; the region of
/// that country that at least two of its places are in (a town in it or the region itself);
/// the town of that region named at least twice. Each level says why.
pub fn focus_levels<'g>(
    gazetteer: &'g Gazetteer,
    resolved: &[Option<Resolved<'g>>],
) -> Vec<FocusLevel<'g>> {
    let mut out = Vec::new();
    let Some(r) = rollup(resolved) else {
        return out;
    };
    let level = |place: &'g GazPlace, n: usize, what: &str| FocusLevel {
        resolved: Resolved {
            place,
            region: gazetteer.region_of(place),
            precision: Precision::of(&place.kind),
            why: format!(
                "{n} of the {} place mentions {what} {}",
                r.total, place.name
            ),
        },
        mentions: n,
    };
    if let Some(place) = gazetteer
        .country_place(r.country)
        .or_else(|| r.in_country.first().copied())
    {
        out.push(level(place, r.n_country, "are in"));
    }
    let Some((admin, n_region)) = r.region.filter(|(_, n)| *n >= 2) else {
        return out;
    };
    if let Some(place) = gazetteer.region(r.country, admin) {
        out.push(level(place, n_region, "are in"));
    }
    if let Some((town, n_town)) = r.town.filter(|(_, n)| *n >= 2) {
        out.push(level(town, n_town, "name"));
    }
    out
}

/// The most counted key, the first seen on a tie.
fn top<K: Eq + std::hash::Hash + Clone>(keys: impl Iterator<Item = K>) -> Option<(K, usize)> {
    let mut counts: HashMap<K, (usize, usize)> = HashMap::new();
    for (i, k) in keys.enumerate() {
        counts.entry(k).or_insert((0, i)).0 += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(k, (n, _))| (k, n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_nlp::gazetteer::GazetteerSources;

    /// A gazetteer the tests write: two Georgias, a Paris in France and in Texas, a country
    /// and a town of one name.
    fn gazetteer() -> Gazetteer {
        let places = "\
# name\talternates\tcountry\tlat\tlon\tgeonameid\tpopulation\tkind\tadmin
Paris\t\tFRA\t48.85\t2.35\t1\t2100000\tcity\t11
Paris\t\tUSA\t33.66\t-95.55\t2\t25000\tcity\tTX
Texas\tTX\tUSA\t31.0\t-99.0\t3\t\tadmin1\tTX
Georgia\tGA\tUSA\t33.0\t-83.5\t4\t10000000\tadmin1\tGA
Georgia\t\tGEO\t42.0\t43.5\t5\t3700000\tcountry\t
Atlanta\t\tUSA\t33.75\t-84.39\t6\t500000\tcity\tGA
Savannah\t\tUSA\t32.08\t-81.10\t7\t145000\tcity\tGA
Tbilisi\t\tGEO\t41.69\t44.83\t8\t1100000\tcity\t01
Niger\t\tNER\t17.6\t8.1\t9\t22000000\tcountry\t
Niger\t\tNGA\t9.9\t5.6\t10\t20000\tcity\t33
France\t\tFRA\t46.6\t2.4\t11\t67000000\tcountry\t
France\t\tFRA\t48.97\t2.53\t12\t35000\tcity\t11
United States\tUSA|U.S.\tUSA\t39.8\t-98.6\t13\t327000000\tcountry\t
Ile-de-France\t\tFRA\t48.7\t2.5\t14\t12000000\tadmin1\t11
";
        let countries = "# name\tcode\tkind\nFrench\tFRA\tdemonym\nGeorgian\tGEO\tdemonym\n";
        Gazetteer::parse(&GazetteerSources {
            places: places.into(),
            countries: countries.into(),
            ..GazetteerSources::default()
        })
        .expect("test gazetteer")
    }

    fn spans(text: &str, names: &[&str]) -> Vec<Range<usize>> {
        let mut from = 0;
        names
            .iter()
            .map(|n| {
                let at = from + text[from..].find(n).expect("name in text");
                from = at + n.len();
                at..at + n.len()
            })
            .collect()
    }

    fn ids(text: &str, names: &[&str], fallback: Fallback) -> Vec<Option<u64>> {
        let g = gazetteer();
        resolve(&g, text, &spans(text, names), fallback)
            .iter()
            .map(|r| r.as_ref().map(|r| r.place.geonameid))
            .collect()
    }

    #[test]
    fn a_country_outranks_a_town_of_its_name() {
        let text = "Troops crossed from Niger into France.";
        assert_eq!(
            ids(text, &["Niger", "France"], Fallback::None),
            [Some(9), Some(11)]
        );
    }

    #[test]
    fn a_qualifier_after_a_comma_decides_and_the_story_keeps_it() {
        let text = "The fair in Paris, Texas, opened. Paris was quiet.";
        assert_eq!(
            ids(text, &["Paris", "Texas", "Paris"], Fallback::None),
            [Some(2), Some(3), Some(2)]
        );
        assert_eq!(
            ids("Paris was quiet.", &["Paris"], Fallback::None),
            [Some(1)]
        );
    }

    #[test]
    fn the_document_decides_between_a_state_and_a_country() {
        let us = "Storms hit Atlanta and Savannah; Georgia declared an emergency.";
        assert_eq!(
            ids(us, &["Atlanta", "Savannah", "Georgia"], Fallback::None)[2],
            Some(4)
        );
        let caucasus = "Protests in Tbilisi grew; Georgia recalled its envoy.";
        assert_eq!(
            ids(caucasus, &["Tbilisi", "Georgia"], Fallback::None)[1],
            Some(5)
        );
    }

    #[test]
    fn an_unknown_name_empties_nothing_and_may_take_the_focus() {
        let text = "Crowds filled Frenchmen Street in Paris; the U.S. embassy in Paris closed.";
        let names = ["Frenchmen Street", "Paris", "U.S.", "Paris"];
        assert_eq!(
            ids(text, &names, Fallback::None),
            [None, Some(1), Some(13), Some(1)]
        );
        let g = gazetteer();
        let resolved = resolve(&g, text, &spans(text, &names), Fallback::Focus);
        let street = resolved[0].as_ref().expect("the focus stands in");
        assert_eq!(street.place.geonameid, 1);
        assert_eq!(street.precision, Precision::Focus);
        assert_eq!(
            resolved[1].as_ref().unwrap().region.map(|r| r.geonameid),
            Some(14)
        );
    }

    #[test]
    fn a_nationality_word_is_its_country() {
        let text = "French officials met Georgian envoys.";
        assert_eq!(
            ids(text, &["French", "Georgian"], Fallback::None),
            [Some(11), Some(5)]
        );
    }
}
