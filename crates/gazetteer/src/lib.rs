//! sitrep's gazetteer: the name lists in `data/gazetteer/` (actors with CAMEO codes, countries
//! and nationality words, GeoNames places, given names and surnames, keyword lists) and a
//! compiled multi-word phrase index over them.
//!
//! It is a crate of its own because it is the one phrase index that entity recognition
//! (`sitrep-nlp`, whose NER model embeds it) and, next, place and actor resolution share:
//! whatever finds a name in text and whatever resolves it must agree on the lists and on how
//! a name is cut into words. It depends on nothing of sitrep but the stable hashes of
//! `sitrep-model`; the tokenizer that cuts names into words is passed in by the caller.
//!
//! Design:
//! * [`Gazetteer`] keeps the tables with their strings: it answers look-ups by name
//!   ([`Gazetteer::actor_code`], [`Gazetteer::country_code`], [`Gazetteer::places`]) for
//!   actor coding and place resolution.
//! * [`PhraseIndex`] is what the entity recogniser uses: every name is cut into words with
//!   the project tokenizer (passed to [`Gazetteer::phrase_index`], so that "Côte d'Ivoire"
//!   is split exactly like running text),
//!   each word is folded to lower case, and the hash of every word sequence is stored with a
//!   bit set of the lists ([`Category`]) it came from. Every proper prefix of a name is
//!   stored too (flagged [`PhraseIndex::PREFIX`]), so matching at a word stops as soon as no
//!   name can continue: a sentence costs a few hash probes per word. The index holds only
//!   64-bit hashes, which keeps it small enough to embed in the NER model file: the model
//!   and the exact lists it was trained with travel together ([`PhraseIndex::entries`] and
//!   [`PhraseIndex::from_entries`] are what the model file stores and reads).
//! * Matching ignores case on purpose: web and news text writes names in lower case or
//!   capitals; the recogniser combines the match with the word's own capitalisation, and
//!   learns how far to trust each list.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sitrep_model::hash::{combine, hash_str};

pub mod import;
pub mod locate;

/// The lists a phrase can belong to (bits of a `u32` mask).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Category {
    /// Country names (GeoNames, Phoenix country records, common aliases).
    Country = 0,
    /// Nationality adjectives and people nouns ("Malian", "Russians").
    Demonym = 1,
    /// Religious, political, ethnic and regional group words ("Sunni", "Democrats").
    NorpGroup = 2,
    /// GeoNames populated places.
    City = 3,
    /// US states and continents.
    Region = 4,
    /// Other names that Phoenix codes as a country: provinces, cities, spellings.
    CountryAlias = 5,
    /// Phoenix person entries (leaders and officials).
    Person = 6,
    /// Phoenix organisations: government bodies, IGOs, NGOs, media.
    Org = 7,
    /// Phoenix multinational corporations.
    Company = 8,
    /// Phoenix militant non-state groups.
    ArmedGroup = 9,
    /// Given names.
    GivenName = 10,
    /// Family names.
    Surname = 11,
    /// Words that end organisation names ("Inc", "Ministry", "Party", "Army").
    OrgKeyword = 12,
    /// Words that end place names ("River", "County", "Street").
    LocKeyword = 13,
    /// Titles and roles before names ("Mr", "President", "Gen.").
    PersonTitle = 14,
}

impl Category {
    pub const ALL: [Category; 15] = [
        Category::Country,
        Category::Demonym,
        Category::NorpGroup,
        Category::City,
        Category::Region,
        Category::CountryAlias,
        Category::Person,
        Category::Org,
        Category::Company,
        Category::ArmedGroup,
        Category::GivenName,
        Category::Surname,
        Category::OrgKeyword,
        Category::LocKeyword,
        Category::PersonTitle,
    ];

    #[inline]
    pub fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

/// Normalises one word for phrase matching: lower case, curly apostrophes straightened.
pub fn fold_word(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        match c {
            '\u{2019}' | '\u{2018}' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// Hash of one folded word, the unit the phrase index chains.
#[inline]
pub fn word_key(folded: &str) -> u64 {
    hash_str(folded)
}

const PHRASE_SEED: u64 = 0x6761_7a65_7474_6572;

/// Chains one more word onto a phrase hash.
#[inline]
fn extend(h: u64, word: u64) -> u64 {
    combine(h, word)
}

/// A gazetteer match: words `start..end` form a listed name of the `categories` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch {
    pub start: usize,
    pub end: usize,
    pub categories: u32,
}

type HashKeyMap = HashMap<u64, u32, BuildHasherDefault<KeyHasher64>>;
/// The name look-ups: keys are the gazetteer's own names, so a fast non-keyed hash is safe
/// (about 200,000 keys are hashed at every start).
type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// Pass-through hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default)]
pub struct KeyHasher64(u64);

impl std::hash::Hasher for KeyHasher64 {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Hashed multi-word phrase index (see the module docs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhraseIndex {
    /// Phrase hash → category bits, plus [`PhraseIndex::PREFIX`] when a longer phrase
    /// continues it.
    entries: HashKeyMap,
    max_words: usize,
}

impl PhraseIndex {
    /// Flag bit: some longer listed phrase starts with this one.
    pub const PREFIX: u32 = 1 << 31;
    /// Names longer than this many words are not indexed.
    pub const MAX_WORDS: usize = 6;

    pub fn new() -> PhraseIndex {
        PhraseIndex::default()
    }

    /// Number of stored hashes (phrases and prefixes).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a name to the lists in `categories`; `words_of` cuts the (trimmed) name into
    /// words, as byte ranges of it, the way running text is cut.
    pub fn insert(
        &mut self,
        name: &str,
        categories: u32,
        words_of: impl Fn(&str) -> Vec<Range<usize>>,
    ) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let tokens = words_of(name);
        if tokens.is_empty() || tokens.len() > Self::MAX_WORDS {
            return;
        }
        let mut folded = String::new();
        let mut h = PHRASE_SEED;
        for (i, t) in tokens.iter().enumerate() {
            fold_word(&name[t.clone()], &mut folded);
            h = extend(h, word_key(&folded));
            let flags = if i + 1 == tokens.len() {
                categories
            } else {
                Self::PREFIX
            };
            *self.entries.entry(h).or_insert(0) |= flags;
        }
        self.max_words = self.max_words.max(tokens.len());
    }

    /// Categories of exactly this word sequence (given as [`word_key`]s), if listed.
    pub fn lookup(&self, keys: &[u64]) -> u32 {
        let mut h = PHRASE_SEED;
        for &k in keys {
            h = extend(h, k);
        }
        self.entries.get(&h).map_or(0, |v| v & !Self::PREFIX)
    }

    /// Every listed phrase in a sentence whose words are given as [`word_key`]s, in order of
    /// start then length.
    pub fn find_all(&self, keys: &[u64], out: &mut Vec<PhraseMatch>) {
        out.clear();
        for start in 0..keys.len() {
            let mut h = PHRASE_SEED;
            let stop = (start + self.max_words).min(keys.len());
            for end in start + 1..=stop {
                h = extend(h, keys[end - 1]);
                let Some(&v) = self.entries.get(&h) else {
                    break;
                };
                let categories = v & !Self::PREFIX;
                if categories != 0 {
                    out.push(PhraseMatch {
                        start,
                        end,
                        categories,
                    });
                }
                if v & Self::PREFIX == 0 {
                    break;
                }
            }
        }
    }

    /// The most words of any listed name, and every stored `(hash, flags)` pair in ascending
    /// order: what a model file keeps of the index (sorted, so that the same lists always
    /// give the same bytes).
    pub fn entries(&self) -> (usize, Vec<(u64, u32)>) {
        let mut entries: Vec<(u64, u32)> = self.entries.iter().map(|(&k, &v)| (k, v)).collect();
        entries.sort_unstable();
        (self.max_words, entries)
    }

    /// Rebuilds an index from what [`PhraseIndex::entries`] gave; `None` when `max_words` is
    /// more than [`PhraseIndex::MAX_WORDS`] (a corrupt file).
    pub fn from_entries(
        max_words: usize,
        entries: impl IntoIterator<Item = (u64, u32)>,
    ) -> Option<PhraseIndex> {
        if max_words > Self::MAX_WORDS {
            return None;
        }
        let entries = entries.into_iter();
        let mut map =
            HashKeyMap::with_capacity_and_hasher(entries.size_hint().0, Default::default());
        map.extend(entries);
        Some(PhraseIndex {
            entries: map,
            max_words,
        })
    }
}

/// One Phoenix actor entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The name as the dictionary spells it (upper case, words separated by spaces).
    pub name: String,
    /// CAMEO code in force now (see `scripts/gazetteer/build.py`).
    pub code: String,
    /// `country`, `country_alias`, `person`, `org`, `company`, `igo`, `ngo`,
    /// `armed_group` or `actor`.
    pub kind: String,
    /// Dated codes, `CODE:from-to;...` (empty when the code never changed).
    pub history: String,
    /// The first name of the dictionary record this name is a synonym of ("WAGNER GROUP" for
    /// "WAGNER"); empty when the name is the record's first.
    pub primary: String,
}

impl Actor {
    /// The record's first name: [`Actor::primary`], else the name itself.
    pub fn canonical(&self) -> &str {
        if self.primary.is_empty() {
            &self.name
        } else {
            &self.primary
        }
    }
}

/// One GeoNames place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    /// ISO 3166 alpha-3 country code (empty for continents).
    pub country: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonameid: u64,
    pub population: u64,
    /// `city`, `country`, `admin1` or `continent`.
    pub kind: String,
    /// The first-level region's code within its country (a city's region; a region's own
    /// code; a continent's code); empty when unknown.
    pub admin: String,
}

/// The raw text of the gazetteer files (what [`Gazetteer::load`] reads; tests build it by
/// hand). Missing optional lists are empty strings.
#[derive(Debug, Clone, Default)]
pub struct GazetteerSources {
    pub actors: String,
    pub countries: String,
    pub places: String,
    /// `places.imported.tsv` ([`import`]): places read after `places.tsv`, skipping the
    /// geonameids it has; found by [`Gazetteer::places`] but not in the phrase index.
    pub imported_places: String,
    /// `place_aliases.tsv`: short names of places (abbreviations of regions, other forms of
    /// country names), found by [`Gazetteer::places`] but not in the phrase index.
    pub place_aliases: String,
    pub norp_groups: String,
    pub given_names: String,
    pub surnames: String,
    pub org_keywords: String,
    pub loc_keywords: String,
    pub person_titles: String,
}

/// Errors while loading the gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{file} line {line}: {message}")]
    Format {
        file: &'static str,
        line: usize,
        message: String,
    },
    #[error("no gazetteer directory found: {0}")]
    NotFound(String),
}

/// Environment variable naming the gazetteer directory (overrides the search).
pub const GAZETTEER_ENV: &str = "SITREP_GAZETTEER";

/// The loaded gazetteer tables (immutable; `Send + Sync`).
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    actors: Vec<Actor>,
    actor_index: FastMap<String, u32>,
    countries: FastMap<String, (String, String)>,
    places: Vec<Place>,
    /// Places by the hash of their lower-cased name: a range of `place_ids`.
    place_index: FastMap<u64, (u32, u32)>,
    /// The places of each name, most populous first.
    place_ids: Vec<u32>,
    /// A country's place by ISO 3166 alpha-3 code.
    country_places: FastMap<String, u32>,
    /// A first-level region's place by country code and region code.
    regions: FastMap<(String, String), u32>,
    /// (name, category) pairs for [`Gazetteer::phrase_index`].
    phrases: Vec<(u32, u32, Category)>,
    /// The phrases' text, one after another (one buffer, not a string each: the lists hold
    /// about 130,000 names, and loading is on every start).
    phrase_text: String,
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Upper-cases a name and collapses separators, the key for actor look-ups ("the U.N." and
/// "U.N." find the same entry).
pub fn actor_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| c.is_whitespace() || c == '_') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_uppercase).map(|c| match c {
            '\u{2019}' | '\u{2018}' => '\'',
            c => c,
        }));
    }
    match out.strip_prefix("THE ") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => out,
    }
}

fn lower_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    lower_key_into(name, &mut out);
    out
}

/// [`lower_key`] into a buffer (cleared first): loading hashes about 200,000 names, and one
/// buffer saves as many allocations.
fn lower_key_into(name: &str, out: &mut String) {
    out.clear();
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
}

impl Gazetteer {
    /// Reads the gazetteer files from `dir` (`actors.tsv`, `countries.tsv` and `places.tsv`
    /// are required; the word lists and the imported places, `places.imported.tsv`, are
    /// optional).
    pub fn load(dir: &Path) -> Result<Gazetteer, GazetteerError> {
        let read = |name: &str, required: bool| -> Result<String, GazetteerError> {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(s) => Ok(s),
                Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                    Ok(String::new())
                }
                Err(source) => Err(GazetteerError::Io {
                    path: path.display().to_string(),
                    source,
                }),
            }
        };
        Gazetteer::parse(&GazetteerSources {
            actors: read("actors.tsv", true)?,
            countries: read("countries.tsv", true)?,
            places: read("places.tsv", true)?,
            imported_places: read(import::IMPORTED_PLACES, false)?,
            place_aliases: read("place_aliases.tsv", false)?,
            norp_groups: read("norp_groups.tsv", false)?,
            given_names: read("given_names.txt", false)?,
            surnames: read("surnames.txt", false)?,
            org_keywords: read("org_keywords.txt", false)?,
            loc_keywords: read("loc_keywords.txt", false)?,
            person_titles: read("person_titles.txt", false)?,
        })
    }

    /// Loads from [`Gazetteer::default_dir`].
    pub fn load_default() -> Result<Gazetteer, GazetteerError> {
        let dir = Gazetteer::default_dir().ok_or_else(|| {
            GazetteerError::NotFound(format!(
                "set {GAZETTEER_ENV} or run from a checkout containing data/gazetteer/actors.tsv"
            ))
        })?;
        Gazetteer::load(&dir)
    }

    /// `$SITREP_GAZETTEER` if set, else the first `data/gazetteer` holding `actors.tsv`
    /// walking up from the working directory, the executable, then this crate's checkout.
    pub fn default_dir() -> Option<PathBuf> {
        locate::data_dir(GAZETTEER_ENV, "gazetteer", "actors.tsv")
    }

    /// Builds the tables from file contents.
    pub fn parse(src: &GazetteerSources) -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer::default();
        // Sized from the line counts: growing these tables cost a tenth of the load.
        let lines = |text: &str| text.bytes().filter(|&b| b == b'\n').count();
        g.actors.reserve(lines(&src.actors));
        g.actor_index.reserve(lines(&src.actors));
        g.places
            .reserve(lines(&src.places) + lines(&src.imported_places));
        g.phrases.reserve(
            2 * lines(&src.actors)
                + lines(&src.countries)
                + lines(&src.places)
                + lines(&src.given_names)
                + lines(&src.surnames),
        );
        for (line, l) in data_lines(&src.actors) {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 3 || f[0].trim().is_empty() || f[1].trim().is_empty() {
                return Err(GazetteerError::Format {
                    file: "actors.tsv",
                    line,
                    message: "expected name, code, kind".into(),
                });
            }
            let actor = Actor {
                name: f[0].trim().to_string(),
                code: f[1].trim().to_string(),
                kind: f[2].trim().to_string(),
                history: f.get(4).map_or(String::new(), |h| h.trim().to_string()),
                primary: f.get(5).map_or(String::new(), |p| p.trim().to_string()),
            };
            let category = match actor.kind.as_str() {
                "country" => Category::Country,
                "country_alias" => Category::CountryAlias,
                "person" => Category::Person,
                "company" => Category::Company,
                "armed_group" => Category::ArmedGroup,
                _ => Category::Org,
            };
            g.add_phrase(&actor.name, category);
            if let Some(rest) = actor.name.strip_prefix("THE ") {
                g.add_phrase(rest, category);
            }
            let index = g.actors.len() as u32;
            g.actor_index.entry(actor_key(&actor.name)).or_insert(index);
            g.actors.push(actor);
        }
        for (line, l) in data_lines(&src.countries) {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 3 {
                return Err(GazetteerError::Format {
                    file: "countries.tsv",
                    line,
                    message: "expected name, code, kind".into(),
                });
            }
            let category = if f[2] == "demonym" {
                Category::Demonym
            } else {
                Category::Country
            };
            g.add_phrase(f[0], category);
            g.countries
                .entry(lower_key(f[0]))
                .or_insert_with(|| (f[1].to_string(), f[2].to_string()));
        }
        let mut place_keys: Vec<(u64, u32)> = Vec::new();
        g.add_places(&src.places, "places.tsv", &mut place_keys, None)?;
        if !src.imported_places.is_empty() {
            // An imported place the shipped table has (a table imported before an update of
            // places.tsv, or a repeated line) is left out: one entry per geonameid.
            let mut ids: std::collections::HashSet<u64, rustc_hash::FxBuildHasher> =
                g.places.iter().map(|p| p.geonameid).collect();
            g.add_places(
                &src.imported_places,
                import::IMPORTED_PLACES,
                &mut place_keys,
                Some(&mut ids),
            )?;
        }
        let mut key = String::new();
        for (line, l) in data_lines(&src.place_aliases) {
            let f: Vec<&str> = l.split('\t').collect();
            let (alias, country, admin) = match f[..] {
                [alias, country] => (alias, country, ""),
                [alias, country, admin, ..] => (alias, country, admin.trim()),
                _ => ("", "", ""),
            };
            let index = if admin.is_empty() {
                g.country_places.get(country)
            } else {
                g.regions.get(&(country.to_string(), admin.to_string()))
            };
            let Some(&index) = index.filter(|_| !alias.trim().is_empty()) else {
                return Err(GazetteerError::Format {
                    file: "place_aliases.tsv",
                    line,
                    message: format!(
                        "expected alias, country, region code of a place in places.tsv; \
                         no place {country} {admin}"
                    ),
                });
            };
            lower_key_into(alias.trim(), &mut key);
            place_keys.push((hash_str(&key), index));
        }
        for (_, l) in data_lines(&src.norp_groups) {
            if let Some(forms) = l.split('\t').nth(2) {
                for form in forms.split('|') {
                    g.add_phrase(form, Category::NorpGroup);
                }
            }
        }
        let words = [
            (&src.given_names, Category::GivenName),
            (&src.surnames, Category::Surname),
            (&src.org_keywords, Category::OrgKeyword),
            (&src.loc_keywords, Category::LocKeyword),
            (&src.person_titles, Category::PersonTitle),
        ];
        for (text, category) in words {
            for (_, l) in data_lines(text) {
                g.add_phrase(l.trim(), category);
            }
        }
        // One run of ids per name, most populous first, so that `places` lists the likeliest
        // reading first.
        place_keys.sort_unstable();
        place_keys.dedup();
        g.place_ids.reserve(place_keys.len());
        g.place_index.reserve(place_keys.len());
        for run in place_keys.chunk_by(|a, b| a.0 == b.0) {
            let start = g.place_ids.len();
            g.place_ids.extend(run.iter().map(|&(_, i)| i));
            let places = &g.places;
            g.place_ids[start..].sort_by_key(|&i| std::cmp::Reverse(places[i as usize].population));
            g.place_index
                .insert(run[0].0, (start as u32, (g.place_ids.len() - start) as u32));
        }
        Ok(g)
    }

    /// The CAMEO code of a Phoenix actor name ("Ban Ki-moon", "the U.N."), if listed.
    pub fn actor_code(&self, name: &str) -> Option<&str> {
        self.actor(name).map(|a| a.code.as_str())
    }

    /// The Phoenix entry of an actor name, if listed.
    pub fn actor(&self, name: &str) -> Option<&Actor> {
        self.actor_index
            .get(&actor_key(name))
            .map(|&i| &self.actors[i as usize])
    }

    /// The country code of a country name or nationality word ("Mali", "Malian").
    pub fn country_code(&self, name: &str) -> Option<&str> {
        self.countries
            .get(&lower_key(name))
            .map(|(c, _)| c.as_str())
    }

    /// The country code of a nationality word ("Malian", "Russians"), not of a country name.
    pub fn nationality(&self, name: &str) -> Option<&str> {
        self.countries
            .get(&lower_key(name))
            .filter(|(_, kind)| kind == "demonym")
            .map(|(c, _)| c.as_str())
    }

    /// Places called `name` (main or alternate name, any case), most populous first.
    pub fn places(&self, name: &str) -> Vec<&Place> {
        self.place_index
            .get(&hash_str(&lower_key(name)))
            .map(|&(start, len)| {
                self.place_ids[start as usize..(start + len) as usize]
                    .iter()
                    .map(|&i| &self.places[i as usize])
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The place of a country by its ISO 3166 alpha-3 code ("MLI").
    pub fn country_place(&self, iso3: &str) -> Option<&Place> {
        self.country_places
            .get(iso3)
            .map(|&i| &self.places[i as usize])
    }

    /// The first-level region a place lies in (a city's state or province), if listed.
    pub fn region_of(&self, place: &Place) -> Option<&Place> {
        if place.kind != "city" || place.admin.is_empty() {
            return None;
        }
        self.region(&place.country, &place.admin)
    }

    /// A first-level region by its country (ISO alpha-3) and region code.
    pub fn region(&self, country: &str, admin: &str) -> Option<&Place> {
        self.regions
            .get(&(country.to_string(), admin.to_string()))
            .map(|&i| &self.places[i as usize])
    }

    pub fn n_actors(&self) -> usize {
        self.actors.len()
    }

    pub fn n_places(&self) -> usize {
        self.places.len()
    }

    /// Reads a table in `places.tsv`'s columns, pushing each name's key into `place_keys`.
    /// With `imported` (the geonameids read so far), places of a known geonameid are
    /// skipped and names do not feed the phrase index.
    fn add_places(
        &mut self,
        text: &str,
        file: &'static str,
        place_keys: &mut Vec<(u64, u32)>,
        mut imported: Option<&mut std::collections::HashSet<u64, rustc_hash::FxBuildHasher>>,
    ) -> Result<(), GazetteerError> {
        let mut key = String::new();
        for (line, l) in data_lines(text) {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 8 {
                return Err(GazetteerError::Format {
                    file,
                    line,
                    message: "expected 8 or more columns".into(),
                });
            }
            let num = |s: &str| s.trim().parse::<f64>().ok();
            let geonameid = f[5].trim().parse().unwrap_or(0);
            if let Some(ids) = imported.as_deref_mut()
                && geonameid != 0
                && !ids.insert(geonameid)
            {
                continue;
            }
            let place = Place {
                name: f[0].to_string(),
                country: f[2].to_string(),
                lat: num(f[3]),
                lon: num(f[4]),
                geonameid,
                population: f[6].trim().parse().unwrap_or(0),
                kind: f[7].to_string(),
                admin: f.get(8).map_or(String::new(), |a| a.trim().to_string()),
            };
            let category = match place.kind.as_str() {
                "city" => Category::City,
                "country" => Category::Country,
                _ => Category::Region,
            };
            let index = self.places.len() as u32;
            match place.kind.as_str() {
                "country" => {
                    self.country_places
                        .entry(place.country.clone())
                        .or_insert(index);
                }
                "admin1" if !place.admin.is_empty() => {
                    self.regions
                        .entry((place.country.clone(), place.admin.clone()))
                        .or_insert(index);
                }
                _ => {}
            }
            for name in std::iter::once(place.name.as_str())
                .chain(f[1].split('|').filter(|a| !a.is_empty()))
            {
                lower_key_into(name, &mut key);
                place_keys.push((hash_str(&key), index));
            }
            // Only the main name feeds the recogniser: GeoNames alternates include many
            // transliterations that collide with ordinary English words. Countries and US
            // states are the exception: their alternates are curated aliases and postal
            // codes ("U.S.", "KS"). Imported places stay out of it: the recogniser's lists
            // are those it was trained with, and villages' names are too often words.
            if imported.is_none() {
                self.add_phrase(&place.name, category);
                if place.kind == "admin1" || place.kind == "country" {
                    for alt in f[1].split('|').filter(|a| !a.is_empty()) {
                        self.add_phrase(alt, category);
                    }
                }
            }
            self.places.push(place);
        }
        Ok(())
    }

    fn add_phrase(&mut self, name: &str, category: Category) {
        let start = self.phrase_text.len() as u32;
        self.phrase_text.push_str(name);
        self.phrases
            .push((start, self.phrase_text.len() as u32, category));
    }

    fn phrase(&self, start: u32, end: u32) -> &str {
        &self.phrase_text[start as usize..end as usize]
    }

    /// Every name listed under `category`, in file order.
    pub fn names(&self, category: Category) -> impl Iterator<Item = &str> {
        self.phrases
            .iter()
            .filter(move |(_, _, c)| *c == category)
            .map(|&(a, b, _)| self.phrase(a, b))
    }

    /// Compiles every list into a [`PhraseIndex`], cutting names into words with `words_of`
    /// (see [`PhraseIndex::insert`]).
    pub fn phrase_index(&self, words_of: impl Fn(&str) -> Vec<Range<usize>>) -> PhraseIndex {
        let mut index = PhraseIndex::new();
        for &(a, b, category) in &self.phrases {
            index.insert(self.phrase(a, b), category.bit(), &words_of);
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names cut at spaces: enough for these lists (the pipeline passes sitrep-nlp's
    /// tokenizer, which also splits punctuation off).
    fn words(name: &str) -> Vec<Range<usize>> {
        name.split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let start = w.as_ptr() as usize - name.as_ptr() as usize;
                start..start + w.len()
            })
            .collect()
    }

    fn sample() -> Gazetteer {
        Gazetteer::parse(&GazetteerSources {
            actors: "# name\tcode\tkind\tsource\thistory\n\
                     VARNIA\tVRN\tcountry\tcountries\t\n\
                     KARSVIK\tVRN\tcountry_alias\tcountries\t\n\
                     ANA PETROVA\tVRNGOV\tperson\tcountries\tVRNELI:19900101-20100101;VRNGOV:20100101-\n\
                     THE UNITED NATIONS\tIGOUNO\tigo\tinternational\t\n\
                     NORTHERN SHIELD BRIGADES\tVRNREB\tarmed_group\tmilnonstate\t\n"
                .into(),
            countries: "Varnia\tVRN\tcountry\nVarnian\tVRN\tdemonym\nVarnians\tVRN\tdemonym\n"
                .into(),
            places: "# header\n\
                     Karsvik\tKarsvík|Karswick\tVRN\t10.5\t20.25\t42\t150000\tcity\t01\n\
                     Karsvik\t\tOTH\t1.0\t2.0\t43\t20000\tcity\t02\n\
                     New Port Amber\t\tVRN\t\t\t44\t30000\tcity\t01\n\
                     North Varnia\t\tVRN\t11.0\t21.0\t46\t900000\tadmin1\t01\n\
                     Varnia\t\tVRN\t10.0\t20.0\t47\t5000000\tcountry\t\n"
                .into(),
            place_aliases: "# alias\tcountry\tregion\nN.Va.\tVRN\t01\nRepublic of Varnia\tVRN\t\n"
                .into(),
            // One place again (skipped), one village.
            imported_places: "Karsvik\t\tVRN\t10.5\t20.25\t42\t150000\tcity\t01\n\
                              Smallby\t\tVRN\t1.0\t2.0\t45\t90\tcity\t01\n"
                .into(),
            norp_groups: "religion\tMUS\tSunni|Sunnis\n".into(),
            given_names: "# given\nAna\nMaria\n".into(),
            surnames: "Petrova\n".into(),
            org_keywords: "Ministry\nInc.\n".into(),
            loc_keywords: "River\n".into(),
            person_titles: "Mr.\nPresident\n".into(),
        })
        .unwrap()
    }

    fn keys(words: &[&str]) -> Vec<u64> {
        let mut s = String::new();
        words
            .iter()
            .map(|w| {
                fold_word(w, &mut s);
                word_key(&s)
            })
            .collect()
    }

    #[test]
    fn actor_codes_ignore_case_separators_and_the() {
        let g = sample();
        assert_eq!(g.actor_code("Ana Petrova"), Some("VRNGOV"));
        assert_eq!(g.actor_code("ANA_PETROVA"), Some("VRNGOV"));
        assert_eq!(g.actor_code("United Nations"), Some("IGOUNO"));
        assert_eq!(g.actor_code("the  United  Nations"), Some("IGOUNO"));
        assert_eq!(g.actor_code("Ana"), None);
        let a = g.actor("ana petrova").unwrap();
        assert_eq!(a.kind, "person");
        assert!(a.history.starts_with("VRNELI:"));
        assert_eq!(g.country_code("varnian"), Some("VRN"));
        assert_eq!(g.country_code("Atlantis"), None);
    }

    #[test]
    fn places_list_the_most_populous_first_and_find_alternates() {
        let g = sample();
        let found = g.places("KARSVIK");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].geonameid, 42);
        assert_eq!(found[0].lat, Some(10.5));
        assert_eq!(found[1].country, "OTH");
        assert_eq!(g.places("Karswick")[0].geonameid, 42);
        assert_eq!(g.places("new port amber")[0].lat, None);
    }

    #[test]
    fn phrase_index_finds_multiword_names_and_their_lists() {
        let g = sample();
        let index = g.phrase_index(words);
        let words = [
            "The", "Northern", "Shield", "Brigades", "met", "Ana", "Petrova", "in", "new", "port",
            "amber", "and", "Northern", "Shield", ".",
        ];
        let mut found = Vec::new();
        index.find_all(&keys(&words), &mut found);
        let spans: Vec<(usize, usize)> = found.iter().map(|m| (m.start, m.end)).collect();
        assert!(spans.contains(&(1, 4)), "{spans:?}");
        assert!(spans.contains(&(5, 7)));
        assert!(spans.contains(&(5, 6))); // "Ana" alone is a given name
        assert!(spans.contains(&(8, 11)));
        // A prefix of a listed name is not a match.
        assert!(!spans.contains(&(12, 14)));
        let cat = |s: usize, e: usize| found.iter().find(|m| (m.start, m.end) == (s, e)).unwrap();
        assert_eq!(cat(1, 4).categories, Category::ArmedGroup.bit());
        assert_eq!(cat(5, 7).categories, Category::Person.bit());
        assert_eq!(cat(5, 6).categories, Category::GivenName.bit());
        assert_eq!(cat(8, 11).categories, Category::City.bit());
        // A name listed in two files carries both bits.
        assert_eq!(
            index.lookup(&keys(&["Karsvik"])),
            Category::CountryAlias.bit() | Category::City.bit()
        );
        assert_eq!(index.lookup(&keys(&["Varnia"])), Category::Country.bit());
        assert_eq!(index.lookup(&keys(&["Sunnis"])), Category::NorpGroup.bit());
        assert_eq!(index.lookup(&keys(&["inc."])), Category::OrgKeyword.bit());
        assert_eq!(index.lookup(&keys(&["Mr."])), Category::PersonTitle.bit());
        assert_eq!(index.lookup(&keys(&["Petrova"])), Category::Surname.bit());
        assert_eq!(index.lookup(&keys(&["Northern", "Shield"])), 0);
        // Imported places are looked up, not recognised.
        assert_eq!(index.lookup(&keys(&["Smallby"])), 0);
        assert_eq!(g.places("smallby")[0].geonameid, 45);
        assert_eq!(g.n_places(), 6);
        // Aliases find their places, and are not recognised either.
        assert_eq!(g.places("n.va.")[0].name, "North Varnia");
        assert_eq!(g.places("Republic of Varnia")[0].kind, "country");
        assert_eq!(index.lookup(&keys(&["N.Va."])), 0);
    }

    /// An alias of a place the tables lack is an error naming the file and line.
    #[test]
    fn an_alias_of_no_place_is_an_error() {
        let err = Gazetteer::parse(&GazetteerSources {
            places: "Varnia\t\tVRN\t10.0\t20.0\t47\t5000000\tcountry\t\n".into(),
            place_aliases: "# aliases\nVarnia Republic\tVRN\t\nN.Va.\tVRN\t01\n".into(),
            ..GazetteerSources::default()
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "place_aliases.tsv line 3: expected alias, country, region code of a place in \
             places.tsv; no place VRN 01"
        );
    }

    #[test]
    fn phrase_index_survives_its_stored_form() {
        let index = sample().phrase_index(words);
        let (max_words, entries) = index.entries();
        assert!(entries.windows(2).all(|w| w[0] < w[1]));
        let back = PhraseIndex::from_entries(max_words, entries.iter().copied()).unwrap();
        assert_eq!(back, index);
        assert!(PhraseIndex::from_entries(PhraseIndex::MAX_WORDS + 1, entries).is_none());
    }

    /// The shipped tables (data/gazetteer) load and answer real look-ups.
    #[test]
    fn shipped_gazetteer_resolves_actors_countries_and_places() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/gazetteer");
        let g = Gazetteer::load(&dir).expect("shipped gazetteer loads");
        assert!(g.n_actors() > 30_000 && g.n_places() > 30_000);
        assert_eq!(g.actor_code("Hamid Karzai"), Some("AFGGOV"));
        assert_eq!(g.actor_code("the United Nations"), Some("IGOUNO"));
        assert_eq!(g.actor_code("Boko Haram"), Some("NGAREB"));
        assert_eq!(g.actor("Boko Haram").unwrap().kind, "armed_group");
        assert_eq!(g.country_code("Malian"), Some("MLI"));
        assert_eq!(g.country_code("mali"), Some("MLI"));
        assert_eq!(g.country_code("U.S."), Some("USA"));
        let timbuktu = g.places("Timbuktu");
        assert_eq!(timbuktu[0].country, "MLI");
        assert!((timbuktu[0].lat.unwrap() - 16.77).abs() < 0.1);
        // Style-guide abbreviations and a name's own shorter form find their places.
        assert_eq!(g.places("Calif.")[0].name, "California");
        assert_eq!(g.places("NSW")[0].name, "New South Wales");
        assert_eq!(g.places("New York")[0].name, "New York City");
        let index = g.phrase_index(words);
        let cats = index.lookup(&keys(&["World", "Health", "Organization"]));
        assert_ne!(cats & Category::Org.bit(), 0);
        assert_ne!(index.lookup(&keys(&["KS"])) & Category::Region.bit(), 0);
    }

    #[test]
    fn malformed_lines_are_reported_with_their_line_number() {
        let err = Gazetteer::parse(&GazetteerSources {
            actors: "# header\nGOOD\tABC\torg\nBROKEN LINE\n".into(),
            ..GazetteerSources::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
    }
}
