//! `sitrep eval places`: place recognition and resolution against toponym gold sets
//! (GeoWebNews `GWN.xml`, GeoVirus `GeoVirus.xml`).
//!
//! The gold toponyms are those with coordinates (GeoWebNews also marks words that are not
//! places, or places without coordinates, which no resolver can be scored on). Two measures,
//! as geoparsing papers report them:
//!
//! * **gold toponyms given**: the resolver gets the gold spans of each article (the article's
//!   other gold toponyms are its context) and each answer is scored by its distance to the
//!   gold point: accuracy within 161 km (100 miles), mean and median error in km. A name the
//!   gazetteer does not know gets the article's focus place (marked as such in sitrep's
//!   output), so every gold toponym gets an answer;
//! * **end to end**: the pipeline's own place mentions from the raw text (the recogniser's
//!   locations and nationality words), matched one-to-one to gold toponyms by overlap:
//!   recognition precision, recall and F1, then the accuracy within 161 km of the matched
//!   ones, and of all gold toponyms (a missed or unresolved one is wrong).
//!
//! `SITREP_PLACES_VERBOSE=1` prints each gold toponym answered more than 161 km off (or not at
//! all) to standard error: name, answer, kind, precision, km (a developer aid).
//!
//! Offsets: GeoWebNews gives code-point offsets; GeoVirus's are often off by one or more, so
//! a gold name that is not at its offsets is looked for nearest to them (and left out,
//! counted, when it is nowhere in the text).

use std::ops::Range;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;
use sitrep_annotate::places::{Fallback, Precision, resolve, toponyms};
use sitrep_nlp::{Analysis, Gazetteer};

use crate::ratio;

/// One gold toponym: its byte span in the article text and its point.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldToponym {
    pub name: String,
    pub span: Range<usize>,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct GoldArticle {
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
}

/// What reading a gold file gave.
#[derive(Debug, Clone, Default)]
pub struct GoldSet {
    pub articles: Vec<GoldArticle>,
    /// Toponyms with coordinates whose name is nowhere in their article's text.
    pub misplaced: usize,
}

/// Great-circle distance in km between two points in degrees.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().clamp(0.0, 1.0).asin()
}

/// Reads a GeoWebNews or GeoVirus XML file.
pub fn read_gold(path: &Path) -> Result<GoldSet, String> {
    let xml = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    parse_gold(&xml).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses the XML of a GeoWebNews (`<article><text>…<toponyms><toponym>…`) or GeoVirus
/// (`<article><text>…<locations><location>…`) file.
pub fn parse_gold(xml: &str) -> Result<GoldSet, String> {
    let mut reader = Reader::from_str(xml);
    let mut set = GoldSet::default();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut raw: Vec<Vec<(String, String)>> = Vec::new();
    loop {
        let at = reader.buffer_position();
        match reader.read_event() {
            Err(e) => return Err(format!("XML error near byte {at}: {e}")),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => {
                let name = e.local_name().into_inner().to_string();
                if name == "article" {
                    text.clear();
                    raw.clear();
                }
                if name == "toponym" || name == "location" {
                    fields.clear();
                }
                path.push(name);
            }
            Ok(Event::End(_)) => {
                let name = path.pop().unwrap_or_default();
                match name.as_str() {
                    "toponym" | "location" => raw.push(std::mem::take(&mut fields)),
                    "article" => {
                        let article = article(&text, &raw, &mut set.misplaced);
                        set.articles.push(article);
                    }
                    _ => {}
                }
            }
            Ok(Event::Text(t)) => push_text(&path, &t.xml10_content(), &mut text, &mut fields),
            Ok(Event::CData(t)) => push_text(&path, &t.xml10_content(), &mut text, &mut fields),
            Ok(Event::GeneralRef(r)) => {
                let value = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r)
                        .unwrap_or_default()
                        .to_string(),
                };
                push_text(&path, &value, &mut text, &mut fields);
            }
            Ok(_) => {}
        }
    }
    Ok(set)
}

fn push_text(path: &[String], value: &str, text: &mut String, fields: &mut Vec<(String, String)>) {
    let n = path.len();
    if n >= 2 && path[n - 1] == "text" && path[n - 2] == "article" {
        text.push_str(value);
    } else if n >= 2 && (path[n - 2] == "toponym" || path[n - 2] == "location") {
        match fields.last_mut() {
            Some((k, v)) if *k == path[n - 1] => v.push_str(value),
            _ => fields.push((path[n - 1].clone(), value.to_string())),
        }
    }
}

/// An article's gold toponyms with coordinates, as byte spans of its text.
fn article(text: &str, raw: &[Vec<(String, String)>], misplaced: &mut usize) -> GoldArticle {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |c: usize| chars.get(c).map_or(text.len(), |&(b, _)| b);
    let mut toponyms = Vec::new();
    for fields in raw {
        let get = |keys: &[&str]| {
            fields
                .iter()
                .find(|(k, _)| keys.contains(&k.as_str()))
                .map(|(_, v)| v.trim().to_string())
        };
        let num = |keys: &[&str]| get(keys).and_then(|v| v.parse::<f64>().ok());
        let (Some(name), Some(lat), Some(lon), Some(start)) = (
            get(&["extractedName", "name"]),
            num(&["latitude", "lat"]),
            num(&["longitude", "lon"]),
            num(&["start"]),
        ) else {
            continue;
        };
        let start = start as usize;
        let at = byte_at(start);
        let span = if text.get(at..at + name.len()) == Some(name.as_str()) {
            Some(at..at + name.len())
        } else {
            // The name nearest to the given offset.
            text.match_indices(name.as_str())
                .map(|(b, _)| b)
                .min_by_key(|&b| b.abs_diff(at))
                .map(|b| b..b + name.len())
        };
        match span {
            Some(span) => toponyms.push(GoldToponym {
                name,
                span,
                lat,
                lon,
            }),
            None => *misplaced += 1,
        }
    }
    toponyms.sort_by_key(|t| (t.span.start, t.span.end));
    GoldArticle {
        text: text.to_string(),
        toponyms,
    }
}

/// Distances of resolved answers (km; `None` for no answer).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Errors {
    pub km: Vec<Option<f64>>,
}

impl Errors {
    pub fn n(&self) -> usize {
        self.km.len()
    }

    /// Share of answers within `km` of the gold point (no answer is wrong).
    pub fn within(&self, km: f64) -> f64 {
        if self.km.is_empty() {
            return 0.0;
        }
        self.km.iter().flatten().filter(|&&d| d <= km).count() as f64 / self.km.len() as f64
    }

    fn answered(&self) -> Vec<f64> {
        let mut d: Vec<f64> = self.km.iter().flatten().copied().collect();
        d.sort_by(f64::total_cmp);
        d
    }

    /// Mean error over the answered ones.
    pub fn mean(&self) -> f64 {
        let d = self.answered();
        if d.is_empty() {
            0.0
        } else {
            d.iter().sum::<f64>() / d.len() as f64
        }
    }

    /// Median error over the answered ones.
    pub fn median(&self) -> f64 {
        let d = self.answered();
        match d.len() {
            0 => 0.0,
            n if n % 2 == 1 => d[n / 2],
            n => (d[n / 2 - 1] + d[n / 2]) / 2.0,
        }
    }
}

/// The scores of one gold set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceScores {
    pub articles: usize,
    pub gold: usize,
    /// Gold toponyms given: one answer each.
    pub given: Errors,
    /// Of those, answered from the gazetteer (the rest by the article's focus or not at all).
    pub given_from_gazetteer: usize,
    /// End to end: the pipeline's mentions.
    pub predicted: usize,
    pub matched: usize,
    /// Errors of the matched mentions.
    pub matched_errors: Errors,
}

impl PlaceScores {
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }
    pub fn f1(&self) -> f64 {
        crate::f1(self.precision(), self.recall())
    }
    /// End to end: gold toponyms recognised and resolved within 161 km, of all gold ones.
    pub fn end_to_end(&self) -> f64 {
        ratio(
            self.matched_errors
                .km
                .iter()
                .flatten()
                .filter(|&&d| d <= 161.0)
                .count(),
            self.gold,
        )
    }
}

/// Scores the resolver on `gold`, gold toponyms given; and, when `analyse` is given, end to
/// end from each article's raw text.
pub fn evaluate(
    gold: &GoldSet,
    gazetteer: &Gazetteer,
    analyse: Option<&(dyn Fn(&str) -> Analysis + Sync)>,
) -> PlaceScores {
    use rayon::prelude::*;
    let per: Vec<PlaceScores> = gold
        .articles
        .par_iter()
        .map(|a| score_article(a, gazetteer, analyse))
        .collect();
    let mut total = PlaceScores::default();
    for s in per {
        total.articles += s.articles;
        total.gold += s.gold;
        total.given.km.extend(s.given.km);
        total.given_from_gazetteer += s.given_from_gazetteer;
        total.predicted += s.predicted;
        total.matched += s.matched;
        total.matched_errors.km.extend(s.matched_errors.km);
    }
    total
}

fn score_article(
    a: &GoldArticle,
    gazetteer: &Gazetteer,
    analyse: Option<&(dyn Fn(&str) -> Analysis + Sync)>,
) -> PlaceScores {
    let mut s = PlaceScores {
        articles: 1,
        gold: a.toponyms.len(),
        ..PlaceScores::default()
    };
    let spans: Vec<Range<usize>> = a.toponyms.iter().map(|t| t.span.clone()).collect();
    let resolved = resolve(gazetteer, &a.text, &spans, Fallback::Focus);
    let verbose = std::env::var_os("SITREP_PLACES_VERBOSE").is_some();
    for (t, r) in a.toponyms.iter().zip(&resolved) {
        let km = r
            .as_ref()
            .and_then(|r| point(r.place))
            .map(|p| distance_km(p, (t.lat, t.lon)));
        if verbose && km.is_none_or(|d| d > 161.0) {
            eprintln!(
                "MISS\t{}\t{}\t{}\t{}\t{:.0}",
                t.name,
                r.as_ref().map_or("-", |r| r.place.name.as_str()),
                r.as_ref().map_or("-", |r| r.place.kind.as_str()),
                r.as_ref().map_or("-", |r| r.precision.name()),
                km.unwrap_or(-1.0)
            );
        }
        s.given.km.push(km);
        if r.as_ref().is_some_and(|r| r.precision != Precision::Focus) {
            s.given_from_gazetteer += 1;
        }
    }
    let Some(analyse) = analyse else {
        return s;
    };
    let analysis = analyse(&a.text);
    let found = toponyms(&a.text, &analysis, gazetteer);
    let spans: Vec<Range<usize>> = found.iter().map(|t| t.span.clone()).collect();
    let resolved = resolve(gazetteer, &a.text, &spans, Fallback::None);
    s.predicted = found.len();
    let mut used = vec![false; a.toponyms.len()];
    for (span, r) in spans.iter().zip(&resolved) {
        let Some(g) = (0..a.toponyms.len()).find(|&g| {
            !used[g] && a.toponyms[g].span.start < span.end && span.start < a.toponyms[g].span.end
        }) else {
            continue;
        };
        used[g] = true;
        s.matched += 1;
        let t = &a.toponyms[g];
        let km = r
            .as_ref()
            .and_then(|r| point(r.place))
            .map(|p| distance_km(p, (t.lat, t.lon)));
        s.matched_errors.km.push(km);
    }
    s
}

fn point(p: &sitrep_nlp::gazetteer::Place) -> Option<(f64, f64)> {
    Some((p.lat?, p.lon?))
}

/// The scores as printed by `sitrep eval places`.
pub fn render(name: &str, gold: &GoldSet, s: &PlaceScores, end_to_end: bool) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "places evaluation: {name}: {} articles, {} gold toponyms with coordinates ({} not found in their text, left out)\n",
        s.articles, s.gold, gold.misplaced
    ));
    out.push_str(&format!(
        "  gold toponyms given: accuracy@161km {:.3}; error mean {:.0} km, median {:.0} km; {} of {} from the gazetteer, the rest the article's focus\n",
        s.given.within(161.0),
        s.given.mean(),
        s.given.median(),
        s.given_from_gazetteer,
        s.given.n()
    ));
    if end_to_end {
        out.push_str(&format!(
            "  end to end: recognition P {:.3} R {:.3} F1 {:.3} ({} found, {} matched); matched within 161 km {:.3} (mean {:.0} km, median {:.0} km); gold recognised and within 161 km {:.3}\n",
            s.precision(),
            s.recall(),
            s.f1(),
            s.predicted,
            s.matched,
            s.matched_errors.within(161.0),
            s.matched_errors.mean(),
            s.matched_errors.median(),
            s.end_to_end()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GWN: &str = r#"<?xml version="1.0" ?>
<articles>
  <article file="0">
    <title>Test</title>
    <text>Rain fell on Lyon &amp; Vienne.</text>
    <toponyms>
      <toponym><extractedName>Lyon</extractedName><type>Literal</type><start>13</start><end>17</end><latitude>45.75</latitude><longitude>4.85</longitude></toponym>
      <toponym><extractedName>Vienne</extractedName><type>Literal</type><start>20</start><end>26</end><latitude>45.52</latitude><longitude>4.87</longitude></toponym>
      <toponym><extractedName>Rain</extractedName><type>Non_Toponym</type><start>0</start><end>4</end></toponym>
    </toponyms>
  </article>
</articles>"#;

    const GEOVIRUS: &str = r#"<articles>
    <article>
        <source>x</source>
        <text>Cases rose in Kano, Nigeria.</text>
        <locations>
            <location><name>Kano</name><start>15</start><end>19</end><lat>12.0</lat><lon>8.5</lon></location>
            <location><name>Accra</name><start>1</start><end>6</end><lat>5.6</lat><lon>-0.2</lon></location>
        </locations>
    </article>
</articles>"#;

    #[test]
    fn both_formats_read_with_entities_and_drifting_offsets() {
        let gwn = parse_gold(GWN).unwrap();
        assert_eq!(gwn.articles.len(), 1);
        let a = &gwn.articles[0];
        assert_eq!(a.text, "Rain fell on Lyon & Vienne.");
        let names: Vec<&str> = a.toponyms.iter().map(|t| &a.text[t.span.clone()]).collect();
        assert_eq!(names, ["Lyon", "Vienne"], "no coordinates, no gold toponym");
        let gv = parse_gold(GEOVIRUS).unwrap();
        let a = &gv.articles[0];
        // Kano's offsets are one off; Accra is nowhere in the text.
        assert_eq!(&a.text[a.toponyms[0].span.clone()], "Kano");
        assert_eq!(a.toponyms.len(), 1);
        assert_eq!(gv.misplaced, 1);
    }

    #[test]
    fn distances_and_accuracy() {
        let paris = (48.8566, 2.3522);
        let london = (51.5074, -0.1278);
        let d = distance_km(paris, london);
        assert!((d - 343.5).abs() < 2.0, "{d}");
        let e = Errors {
            km: vec![Some(10.0), Some(200.0), None, Some(30.0)],
        };
        assert_eq!(e.within(161.0), 0.5);
        assert_eq!(e.median(), 30.0);
        assert!((e.mean() - 80.0).abs() < 1e-9);
    }
}
