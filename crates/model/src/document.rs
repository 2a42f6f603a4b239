//! The document and its layers, field for field as the output contract.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};

/// One news article and everything sitrep found in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Content id: [`crate::content_id`] of `text`.
    pub id: String,
    /// Path, URL or feed item id the document came from (with `:LINE` for JSON Lines).
    pub source: String,
    pub url: Option<String>,
    pub site: Option<String>,
    pub author: Option<String>,
    pub title: Option<String>,
    /// Publication date: from the input's metadata, else the page's, else `--published`,
    /// else a date in the file name or URL, else unknown.
    pub published: Option<NaiveDate>,
    /// Where `published` came from (`null` when there is no date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_from: Option<PublishedFrom>,
    pub language: Option<String>,
    /// The cleaned article body; every span's offsets point into it.
    pub text: String,
    /// Lines moved out of the body, with what they were.
    #[serde(default)]
    pub boilerplate: Vec<Boilerplate>,
    /// Headlines of related stories listed under the article ("Read more:").
    #[serde(default)]
    pub related: Vec<String>,
    /// Id of an earlier near-duplicate of this document, if any.
    #[serde(default)]
    pub duplicate_of: Option<String>,
    #[serde(default)]
    pub sentences: Vec<Sentence>,
    /// Word tokens with their syntax; present only when asked for (`--tokens`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Vec<Token>>,
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// What the document is about and where it was filed from: its focus country, region and
    /// town (the places most of its place mentions are in) and its dateline's place.
    #[serde(default)]
    pub places: Vec<DocPlace>,
    #[serde(default)]
    pub quantities: Vec<Quantity>,
    #[serde(default)]
    pub times: Vec<TimeExpr>,
    #[serde(default)]
    pub claims: Vec<Claim>,
    #[serde(default)]
    pub events: Vec<Event>,
}

/// Where a document's publication date came from, most trusted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishedFrom {
    /// The input's own fields (a JSON Lines record, a feed item).
    Metadata,
    /// The HTML page's declarations (`<meta>`, JSON-LD).
    Page,
    /// The user's `--published`.
    Option,
    /// A date in the file's name or folder (`breitbart_2016-09-12_story.txt`).
    FileName,
    /// A date in the URL's path (`/2019/11/20/`).
    Url,
}

impl Document {
    /// The text of a code-point span of the body (empty when out of range).
    pub fn span_text(&self, start: usize, end: usize) -> String {
        self.text
            .chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect()
    }

    /// Every span the document carries, as `(layer, start, end, claimed text)`; the claimed
    /// text is `None` for layers that store only offsets. Used to check the contract that a
    /// span's text is `text[start..end]`.
    pub fn spans(&self) -> Vec<(&'static str, usize, usize, Option<&str>)> {
        let mut out = Vec::new();
        for s in &self.sentences {
            out.push(("sentence", s.start, s.end, None));
        }
        for t in self.tokens.iter().flatten() {
            out.push(("token", t.start, t.end, Some(t.text.as_str())));
        }
        for e in &self.entities {
            out.push(("entity", e.start, e.end, Some(e.text.as_str())));
        }
        for q in &self.quantities {
            out.push(("quantity", q.start, q.end, Some(q.text.as_str())));
            if let (Some(s), Some(e), Some(u)) = (q.unit_start, q.unit_end, q.unit.as_deref()) {
                out.push(("quantity.unit", s, e, Some(u)));
            }
        }
        for t in &self.times {
            out.push(("time", t.start, t.end, Some(t.text.as_str())));
        }
        for c in &self.claims {
            if let Some(source) = &c.source {
                out.push((
                    "claim.source",
                    source.start,
                    source.end,
                    Some(source.text.as_str()),
                ));
            }
            out.push((
                "claim.cue",
                c.cue.start,
                c.cue.end,
                Some(c.cue.text.as_str()),
            ));
            out.push((
                "claim.content",
                c.content.start,
                c.content.end,
                Some(c.content.text.as_str()),
            ));
        }
        out
    }
}

/// What a line moved out of the body was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoilerplateKind {
    /// A headline of another story scraped above the article.
    StrayHeadline,
    /// "Follow our channel", "subscribe", "download the app".
    Promo,
    /// A "Read more:" heading or one of its headlines.
    Related,
    /// Navigation, share buttons, cookie notices.
    Nav,
    /// A photo or video caption or credit.
    Caption,
    /// "By NAME", author and agency lines.
    Byline,
    /// "BAMAKO, Jan 7 (AFP) -": the place-and-date prefix of a wire story.
    Dateline,
}

impl BoilerplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BoilerplateKind::StrayHeadline => "stray_headline",
            BoilerplateKind::Promo => "promo",
            BoilerplateKind::Related => "related",
            BoilerplateKind::Nav => "nav",
            BoilerplateKind::Caption => "caption",
            BoilerplateKind::Byline => "byline",
            BoilerplateKind::Dateline => "dateline",
        }
    }
}

/// A line (or line prefix) removed from the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Boilerplate {
    pub text: String,
    pub kind: BoilerplateKind,
}

/// A sentence: a code-point span of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

/// A word token with its morphology and syntax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Index of the sentence the token belongs to.
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub upos: Option<String>,
    /// Penn Treebank tag.
    pub xpos: Option<String>,
    pub lemma: Option<String>,
    /// Index of the head token within the sentence, 0-based; -1 for the root.
    pub head: Option<i32>,
    /// Universal Dependencies relation to the head.
    pub deprel: Option<String>,
}

/// A CAMEO-style actor code and its name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub code: String,
    pub name: Option<String>,
    /// What the actor is: `country`, `government`, `person`, `org`, `company`, `igo`, `ngo`,
    /// `armed_group`, `media`, `military`, ... when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A resolved place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub name: String,
    /// ISO 3166-1 alpha-3 country code.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonameid: Option<u64>,
    /// `city`, `admin1` (a state, a province), `country` or `continent`.
    pub kind: Option<String>,
    /// The first-level region (state, province) a city lies in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    /// How exact the point is: `place`, `region`, `country`, `continent`, or `focus` (a name
    /// the gazetteer lacks, placed at the document's focus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<String>,
    /// How the text uses the name when not as a location: `government` ("Paris said"),
    /// `demonym` ("Malian troops").
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub used_as: Option<String>,
    /// Why this place, for `--explain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// A place a document as a whole is about, or was filed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocPlace {
    /// `focus` (what the story is about, one per level: country, region, town) or
    /// `dateline` (where it was filed: "BAMAKO, Jan 7 (AFP) -").
    pub role: String,
    /// The document's place mentions inside it.
    pub mentions: usize,
    #[serde(flatten)]
    pub place: Place,
}

/// A named entity mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// PER, ORG, LOC, NORP or MISC.
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: Option<Actor>,
    pub place: Option<Place>,
}

/// What a quantity measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    /// A number of things ("400 troops").
    Count,
    /// A share ("12%", "12 percent").
    Percent,
    /// An amount of money; `unit` holds the currency.
    Money,
}

/// A number found in the text, with what it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The point value, when there is one ("about 400" → 400).
    #[serde(serialize_with = "number")]
    pub value: Option<f64>,
    /// Bounds of a range or of a vague amount ("several hundred" → 300..900).
    #[serde(serialize_with = "number")]
    pub low: Option<f64>,
    #[serde(serialize_with = "number")]
    pub high: Option<f64>,
    /// True for approximated or vague amounts ("about", "nearly", "dozens").
    pub approx: bool,
    /// What is counted: the noun phrase after the number, or the noun it refers back to; the
    /// currency for money, "percent" for shares.
    pub unit: Option<String>,
    pub unit_start: Option<usize>,
    pub unit_end: Option<usize>,
    pub kind: QuantityKind,
    /// "more than", "at least", "up to": how the bound relates to the value, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

/// Writes whole numbers without a fraction (`400`, not `400.0`).
fn number<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        None => s.serialize_none(),
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
    }
}

/// The shape of a time expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeKind {
    /// One day.
    Date,
    /// A stretch of days: a month, a year, "in recent weeks".
    Range,
    /// A length of time ("three days").
    Duration,
    /// A recurrence ("every Friday").
    Set,
}

/// What a time expression was resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeAnchor {
    /// The publication date ("Friday", "last week").
    Published,
    /// Nothing: the expression is complete ("7 January 2022", "2012").
    Absolute,
    /// A date mentioned earlier in the text ("three years later").
    Mention,
}

/// How finely a resolved time expression places its time: the calendar unit its value
/// names ("2022-01-07" a day, "2022-W01" a week, "2021-12" a month, "2022-Q1" a quarter,
/// "2012" a year, "199X" a decade, "19" a century; "2022-01-07T09:00" and "Friday night" a
/// time of day). A part of a period keeps the period's ("late 2012": year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    Time,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

/// A date or time expression, resolved to an inclusive range of days when possible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeExpr {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// First day covered; `null` when it cannot be resolved (no anchor).
    pub from: Option<NaiveDate>,
    /// Last day covered, inclusive.
    pub to: Option<NaiveDate>,
    pub kind: TimeKind,
    pub anchor: TimeAnchor,
    /// A TimeML-style value ("2022-01-07", "2021-12", "P3D") when one applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The calendar unit a resolved date or range is given to (none for durations, sets
    /// and vague references such as "now").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<TimePrecision>,
}

/// Who or what a claim's source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Person,
    Official,
    Government,
    Institution,
    Group,
    Media,
    Document,
    Unknown,
}

impl SourceKind {
    /// The `snake_case` name, as serialised.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Person => "person",
            SourceKind::Official => "official",
            SourceKind::Government => "government",
            SourceKind::Institution => "institution",
            SourceKind::Group => "group",
            SourceKind::Media => "media",
            SourceKind::Document => "document",
            SourceKind::Unknown => "unknown",
        }
    }
}

/// The source of a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimSource {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub kind: SourceKind,
    pub anonymous: bool,
    pub anonymity_cue: Option<String>,
    pub actor: Option<Actor>,
    /// Id of the claim whose source this one repeats ("the officer").
    pub same_as: Option<String>,
}

/// A span of the body with its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSpan {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The word that introduces a claim ("said", "denied").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub lemma: String,
}

/// Whether a claim quotes its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Directness {
    Direct,
    Indirect,
    Mixed,
}

impl Directness {
    /// The `snake_case` name, as serialised.
    pub fn name(self) -> &'static str {
        match self {
            Directness::Direct => "direct",
            Directness::Indirect => "indirect",
            Directness::Mixed => "mixed",
        }
    }
}

/// What the source does with the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Assert,
    Deny,
    Hedge,
}

impl Stance {
    /// The `snake_case` name, as serialised.
    pub fn name(self) -> &'static str {
        match self {
            Stance::Assert => "assert",
            Stance::Deny => "deny",
            Stance::Hedge => "hedge",
        }
    }
}

/// An attributed statement: who says what, how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub id: String,
    pub sentence: usize,
    /// Who says it; `null` when the text does not say (a cue with no source, "reportedly").
    pub source: Option<ClaimSource>,
    pub cue: Cue,
    /// What is said: from its first piece to its last (a cue may stand inside it).
    pub content: TextSpan,
    pub direct: Directness,
    pub stance: Stance,
    /// Whom it was said to ("AFP" in "told AFP").
    pub recipient: Option<String>,
    /// Id of the time expression dating the statement ("said Friday"), an index into the
    /// document's times written `T<n>` (1-based).
    pub time: Option<String>,
    /// How sure the extractor is that this is an attribution, in [0, 1].
    #[serde(default)]
    pub confidence: f64,
    /// Why it was extracted and described as it is: the extractor's decision, then each rule
    /// that set a field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
    /// The content's words that say what it is about (lemmas of its nouns, verbs, adjectives
    /// and numbers, lower case): what propositions group claims by across documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// What the claim is about by name (lower-case lemmas of the content's proper nouns and
    /// capitalised adjectives: "mali", "russian"; where the content names nothing, "the
    /// country", the names its document mentions most): two claims are about the same
    /// proposition only if they share one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<String>,
}

/// PLOVER event type and mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plover {
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
}

/// An actor as an event participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventActor {
    pub code: String,
    pub text: String,
}

/// A coded event: who did what to whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub sentence: usize,
    /// CAMEO event code.
    pub code: String,
    pub root: String,
    pub quad: u8,
    pub goldstein: f64,
    pub plover: Option<Plover>,
    pub source: Option<EventActor>,
    pub target: Option<EventActor>,
    pub place: Option<Place>,
    pub date: Option<NaiveDate>,
    pub negated: bool,
    /// The claim the event is reported in; `null` for the reporter's own voice.
    pub claim: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        Document {
            id: crate::content_id("Mali’s army said 400."),
            source: "test.txt".into(),
            text: "Mali’s army said 400.".into(),
            published: NaiveDate::from_ymd_opt(2022, 1, 7),
            quantities: vec![Quantity {
                text: "400".into(),
                start: 17,
                end: 20,
                value: Some(400.0),
                low: None,
                high: None,
                approx: false,
                unit: None,
                unit_start: None,
                unit_end: None,
                kind: QuantityKind::Count,
                qualifier: None,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn json_follows_the_contract() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(json["published"], "2022-01-07");
        assert_eq!(json["quantities"][0]["value"], 400);
        assert!(json["quantities"][0]["value"].is_i64());
        assert!(json["url"].is_null());
        assert!(json.get("tokens").is_none());
        assert_eq!(json["duplicate_of"], serde_json::Value::Null);
    }

    #[test]
    fn round_trips_through_json() {
        let doc = sample();
        let back: Document = serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn span_text_counts_code_points() {
        let doc = sample();
        assert_eq!(doc.span_text(17, 20), "400");
        assert_eq!(doc.span_text(0, 6), "Mali’s");
    }

    #[test]
    fn claim_enum_names_match_serde() {
        let name = |v: serde_json::Value| v.as_str().unwrap().to_string();
        for kind in [
            SourceKind::Person,
            SourceKind::Official,
            SourceKind::Government,
            SourceKind::Institution,
            SourceKind::Group,
            SourceKind::Media,
            SourceKind::Document,
            SourceKind::Unknown,
        ] {
            assert_eq!(name(serde_json::to_value(kind).unwrap()), kind.name());
        }
        for d in [Directness::Direct, Directness::Indirect, Directness::Mixed] {
            assert_eq!(name(serde_json::to_value(d).unwrap()), d.name());
        }
        for s in [Stance::Assert, Stance::Deny, Stance::Hedge] {
            assert_eq!(name(serde_json::to_value(s).unwrap()), s.name());
        }
    }

    #[test]
    fn boilerplate_kind_names_match_serde() {
        for kind in [
            BoilerplateKind::StrayHeadline,
            BoilerplateKind::Promo,
            BoilerplateKind::Related,
            BoilerplateKind::Nav,
            BoilerplateKind::Caption,
            BoilerplateKind::Byline,
            BoilerplateKind::Dateline,
        ] {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::String(kind.as_str().into())
            );
        }
    }
}
