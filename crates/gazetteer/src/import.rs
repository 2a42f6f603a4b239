//! Importing a GeoNames dump into the gazetteer: every village, for users who want them.
//!
//! The shipped `places.tsv` holds the places of 15,000 people or more. [`import_geonames`]
//! reads a dump of GeoNames' `geoname` table (the 19 tab-separated columns of
//! `allCountries.txt`, `cities500.txt` ... `cities15000.txt` and the per-country files such as
//! `ML.txt`, from download.geonames.org/export/dump/) and writes the places it keeps to
//! [`IMPORTED_PLACES`] in the gazetteer directory, in the columns of `places.tsv`.
//! [`Gazetteer::load`](crate::Gazetteer::load) reads that table after `places.tsv`.
//!
//! * Populated places (feature class `P`) become kind `city`, whatever their size (the kind
//!   says "a populated place"; resolution ranks by population); first-level regions (`ADM1`)
//!   become `admin1`. Abandoned, destroyed and historical places (`PPLQ`, `PPLW`, `PPLH`,
//!   `PPLCH`) are left out unless their code is asked for by name. Countries are built in.
//! * A place already in `places.tsv` (same geonameid) is skipped; so is a geonameid seen
//!   earlier in the same dump.
//! * Country codes are mapped from ISO alpha-2 to alpha-3 with `country_codes.tsv`.
//! * Alternate names: the ASCII form of the name, then at most [`MAX_ALTERNATES`] of the
//!   dump's alternates that are short Latin-script names starting with a capital (no codes,
//!   no digits); the rest are dropped.
//! * A malformed line (not 19 columns, a non-numeric geonameid, coordinate or population, not
//!   UTF-8, longer than [`MAX_LINE`] bytes) is reported as a [`Problem`] with its file and
//!   line, and the other lines are imported. A file whose first lines are all malformed is
//!   not a GeoNames dump: nothing is written.
//! * The table is written to a temporary file and renamed over the old one: an interrupted
//!   import leaves the previous table whole. An import replaces the previous one unless
//!   [`ImportOptions::add`] asks to keep the earlier import's other places.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use sitrep_model::{Problem, ProblemKind};

/// The imported table's file name in the gazetteer directory.
pub const IMPORTED_PLACES: &str = "places.imported.tsv";
/// The ISO alpha-2 → alpha-3 table's file name in the gazetteer directory.
pub const COUNTRY_CODES: &str = "country_codes.tsv";
/// The longest line read, in bytes; a longer one is malformed (the longest real GeoNames
/// lines, countries with every language's name, are a few tens of kilobytes).
pub const MAX_LINE: usize = 256 * 1024;
/// Alternate names kept per place, besides the ASCII form of its name.
pub const MAX_ALTERNATES: usize = 8;
/// Columns of GeoNames' `geoname` table.
pub const GEONAMES_COLUMNS: usize = 19;
/// A dump whose first this many data lines are all malformed is not a GeoNames dump.
const PROBE_LINES: usize = 5;
/// Populated-place codes left out unless asked for by name: abandoned, destroyed,
/// historical places and historical capitals.
const GONE: [&str; 4] = ["PPLQ", "PPLW", "PPLH", "PPLCH"];
/// The longest alternate name kept, in characters.
const MAX_ALTERNATE_CHARS: usize = 40;

/// Which GeoNames features to import: feature class `P` (every populated place but the
/// [`GONE`] ones), single populated-place codes (`PPLA`, `PPLX`, `STLMT` ...) and `ADM1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureFilter {
    class_p: bool,
    adm1: bool,
    codes: Vec<String>,
}

impl Default for FeatureFilter {
    /// `P,ADM1`.
    fn default() -> FeatureFilter {
        FeatureFilter {
            class_p: true,
            adm1: true,
            codes: Vec::new(),
        }
    }
}

impl FeatureFilter {
    /// Parses a comma-separated list: `P`, `ADM1`, populated-place codes (`PPL...`,
    /// `STLMT`). Other classes and codes have no kind in the gazetteer and are refused.
    pub fn parse(list: &str) -> Result<FeatureFilter, String> {
        let mut filter = FeatureFilter {
            class_p: false,
            adm1: false,
            codes: Vec::new(),
        };
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let item = item.to_ascii_uppercase();
            match item.as_str() {
                "P" => filter.class_p = true,
                "ADM1" => filter.adm1 = true,
                code if code.starts_with("PPL") || code == "STLMT" => {
                    filter.codes.push(code.to_string())
                }
                other => {
                    return Err(format!(
                        "`{other}`: only populated places (class P or one of its codes, such as \
                         PPLA or PPLX) and first-level regions (ADM1) have a kind in the gazetteer"
                    ));
                }
            }
        }
        if !filter.class_p && !filter.adm1 && filter.codes.is_empty() {
            return Err("no feature class or code given".into());
        }
        Ok(filter)
    }

    /// The gazetteer kind of a feature this filter keeps, `None` if it is left out.
    pub fn kind(&self, class: &str, code: &str) -> Option<&'static str> {
        match class {
            "P" if self.codes.iter().any(|c| c == code)
                || (self.class_p && !GONE.contains(&code)) =>
            {
                Some("city")
            }
            "A" if self.adm1 && code == "ADM1" => Some("admin1"),
            _ => None,
        }
    }
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub features: FeatureFilter,
    /// Places of fewer people are left out (regions too).
    pub min_population: u64,
    /// Keep the earlier import's places that this dump does not have (a second country's
    /// file), instead of replacing the earlier import.
    pub add: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// The table written.
    pub path: PathBuf,
    /// Data lines read (malformed ones included).
    pub read: usize,
    /// Places written from this dump.
    pub imported: usize,
    /// Places skipped because `places.tsv` has them (same geonameid).
    pub shipped: usize,
    /// Places skipped because an earlier line of the dump had their geonameid.
    pub repeated: usize,
    /// Features of other classes or codes, or of too few people.
    pub left_out: usize,
    /// Places whose country code `country_codes.tsv` does not list.
    pub unknown_country: usize,
    /// Malformed lines (each reported).
    pub malformed: usize,
    /// Places kept from the earlier import ([`ImportOptions::add`]).
    pub kept: usize,
}

/// Reads the GeoNames dump `input` (named `source` in problems) and writes the places kept to
/// [`IMPORTED_PLACES`] in `dir`, which must hold `places.tsv` and `country_codes.tsv`. Each
/// malformed line goes to `on_problem`. Fails, writing nothing, when the dump cannot be read,
/// is empty, or is not a GeoNames dump, or when the table cannot be written.
pub fn import_geonames(
    input: &mut dyn BufRead,
    source: &str,
    dir: &Path,
    options: &ImportOptions,
    on_problem: &mut dyn FnMut(&Problem),
) -> Result<ImportSummary, Problem> {
    let io_problem = |path: &Path, e: std::io::Error| {
        Problem::new(path.display().to_string(), ProblemKind::Io, e.to_string())
    };
    let codes_path = dir.join(COUNTRY_CODES);
    let codes_text =
        std::fs::read_to_string(&codes_path).map_err(|e| io_problem(&codes_path, e))?;
    let countries: Vec<(&str, &str)> = codes_text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?.trim(), f.next()?.trim()))
        })
        .collect();
    let alpha3 = |iso2: &str| countries.iter().find(|(a, _)| *a == iso2).map(|&(_, b)| b);
    let shipped = shipped_ids(dir).map_err(|e| io_problem(&dir.join("places.tsv"), e))?;

    let out_path = dir.join(IMPORTED_PLACES);
    let tmp = tempfile::Builder::new()
        .prefix(".places.imported.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io_problem(dir, e))?;
    let mut out = BufWriter::new(tmp);
    let write_err = |e: std::io::Error| io_problem(&out_path, e);
    writeln!(
        out,
        "# GeoNames places imported by `sitrep gazetteer import` from {} (GeoNames, \
         www.geonames.org, CC BY 4.0)",
        file_name(source)
    )
    .map_err(write_err)?;
    writeln!(
        out,
        "# name\talternates\tcountry\tlat\tlon\tgeonameid\tpopulation\tkind\tadmin"
    )
    .map_err(write_err)?;

    let mut summary = ImportSummary {
        path: out_path.clone(),
        ..ImportSummary::default()
    };
    let mut seen: HashSet<u64, rustc_hash::FxBuildHasher> = HashSet::default();
    let mut buf = Vec::new();
    let mut row = String::new();
    let mut line_no = 0usize;
    let mut first_problems: Vec<Problem> = Vec::new();
    let mut good = 0usize;
    loop {
        line_no += 1;
        let too_long = match read_line_bounded(input, &mut buf, MAX_LINE) {
            Ok(None) => break,
            Ok(Some(too_long)) => too_long,
            Err(e) => {
                return Err(Problem::new(source, ProblemKind::Io, e.to_string()).at_line(line_no));
            }
        };
        let parsed = if too_long {
            Err((
                ProblemKind::TooLarge,
                format!("line longer than {MAX_LINE} bytes"),
            ))
        } else {
            match std::str::from_utf8(&buf) {
                Err(e) => Err((
                    ProblemKind::Decode,
                    format!("not UTF-8 text (byte {})", e.valid_up_to() + 1),
                )),
                Ok(text) => {
                    let text = text.trim_end_matches('\r');
                    if text.trim().is_empty() || text.starts_with('#') {
                        continue;
                    }
                    parse_line(text).map_err(|r| (ProblemKind::MalformedTable, r))
                }
            }
        };
        summary.read += 1;
        let feature = match parsed {
            Ok(feature) => feature,
            Err((kind, reason)) => {
                let problem = Problem::new(source, kind, reason).at_line(line_no);
                summary.malformed += 1;
                if good == 0 {
                    first_problems.push(problem.clone());
                    if first_problems.len() >= PROBE_LINES {
                        return Err(not_geonames(source, &first_problems));
                    }
                } else {
                    on_problem(&problem);
                }
                continue;
            }
        };
        if good == 0 {
            // The dump is a GeoNames dump after all: report what came before.
            for p in first_problems.drain(..) {
                on_problem(&p);
            }
        }
        good += 1;
        let Some(kind) = options.features.kind(feature.class, feature.code) else {
            summary.left_out += 1;
            continue;
        };
        if feature.population < options.min_population {
            summary.left_out += 1;
            continue;
        }
        if shipped.contains(&feature.geonameid) {
            summary.shipped += 1;
            continue;
        }
        let Some(country) = alpha3(feature.country) else {
            summary.unknown_country += 1;
            continue;
        };
        if !seen.insert(feature.geonameid) {
            summary.repeated += 1;
            continue;
        }
        row.clear();
        feature.write_row(kind, country, &mut row);
        out.write_all(row.as_bytes()).map_err(write_err)?;
        summary.imported += 1;
    }
    if good == 0 {
        if first_problems.is_empty() {
            return Err(Problem::new(
                source,
                ProblemKind::Empty,
                "no GeoNames lines to import",
            ));
        }
        return Err(not_geonames(source, &first_problems));
    }
    if options.add {
        summary.kept = keep_earlier(&out_path, &shipped, &seen, &mut out)?;
    }
    let tmp = out
        .into_inner()
        .map_err(|e| io_problem(&out_path, e.into_error()))?;
    // A temporary file is private; the table keeps the old table's permissions, else is an
    // ordinary file like places.tsv.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(&out_path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        tmp.as_file()
            .set_permissions(permissions)
            .map_err(|e| io_problem(&out_path, e))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| io_problem(&out_path, e))?;
    tmp.persist(&out_path)
        .map_err(|e| io_problem(&out_path, e.error))?;
    Ok(summary)
}

/// The refusal of a file that is not a GeoNames dump, with its first problem.
fn not_geonames(source: &str, problems: &[Problem]) -> Problem {
    let first = problems
        .first()
        .map(|p| format!("; line {}: {}", p.line.unwrap_or(0), p.reason))
        .unwrap_or_default();
    Problem::new(
        source,
        ProblemKind::MalformedTable,
        format!(
            "not a GeoNames dump: none of its first {} lines is a line of the geoname table \
             ({GEONAMES_COLUMNS} tab-separated columns){first}; nothing was imported",
            problems.len()
        ),
    )
}

fn file_name(source: &str) -> &str {
    Path::new(source)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(source)
}

/// The geonameids of `places.tsv` in `dir`.
fn shipped_ids(dir: &Path) -> std::io::Result<HashSet<u64, rustc_hash::FxBuildHasher>> {
    let text = std::fs::read_to_string(dir.join("places.tsv"))?;
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(5)?.trim().parse().ok())
        .collect())
}

/// Copies the earlier import's places that are neither shipped nor in the new dump; returns
/// how many.
fn keep_earlier(
    path: &Path,
    shipped: &HashSet<u64, rustc_hash::FxBuildHasher>,
    seen: &HashSet<u64, rustc_hash::FxBuildHasher>,
    out: &mut dyn Write,
) -> Result<usize, Problem> {
    let io_problem = |e: std::io::Error| {
        Problem::new(path.display().to_string(), ProblemKind::Io, e.to_string())
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io_problem(e)),
    };
    let mut kept = 0;
    for line in BufReader::new(file).lines() {
        let line = line.map_err(io_problem)?;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let id: Option<u64> = line.split('\t').nth(5).and_then(|s| s.trim().parse().ok());
        if id.is_some_and(|id| !shipped.contains(&id) && !seen.contains(&id)) {
            writeln!(out, "{line}").map_err(io_problem)?;
            kept += 1;
        }
    }
    Ok(kept)
}

/// The columns of one GeoNames line that the gazetteer keeps.
#[derive(Debug)]
struct Feature<'a> {
    geonameid: u64,
    name: &'a str,
    ascii_name: &'a str,
    alternates: &'a str,
    lat: f64,
    lon: f64,
    class: &'a str,
    code: &'a str,
    country: &'a str,
    admin1: &'a str,
    population: u64,
}

fn parse_line(line: &str) -> Result<Feature<'_>, String> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != GEONAMES_COLUMNS {
        return Err(format!(
            "expected {GEONAMES_COLUMNS} tab-separated columns (GeoNames' geoname table), found {}",
            f.len()
        ));
    }
    let geonameid = f[0]
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| format!("geonameid `{}` is not a positive whole number", short(f[0])))?;
    let name = f[1].trim();
    if name.is_empty() {
        return Err("empty name".into());
    }
    let coordinate = |s: &str, what: &str, limit: f64| {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= limit)
            .ok_or_else(|| {
                format!(
                    "{what} `{}` is not a number between -{limit} and {limit}",
                    short(s)
                )
            })
    };
    let lat = coordinate(f[4], "latitude", 90.0)?;
    let lon = coordinate(f[5], "longitude", 180.0)?;
    let population = match f[14].trim() {
        "" => 0,
        s => s
            .parse::<u64>()
            .map_err(|_| format!("population `{}` is not a whole number", short(s)))?,
    };
    Ok(Feature {
        geonameid,
        name,
        ascii_name: f[2].trim(),
        alternates: f[3],
        lat,
        lon,
        class: f[6].trim(),
        code: f[7].trim(),
        country: f[8].trim(),
        admin1: f[10].trim(),
        population,
    })
}

/// A value quoted in a message, cut to 40 characters.
fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

impl Feature<'_> {
    /// Appends the `places.tsv` row (with its newline).
    fn write_row(&self, kind: &str, country: &str, out: &mut String) {
        use std::fmt::Write as _;
        out.push_str(&clean(self.name));
        out.push('\t');
        let mut seen: Vec<String> = vec![self.name.to_lowercase()];
        let mut written = 0;
        let mut push = |alt: &str, out: &mut String| {
            let lower = alt.to_lowercase();
            if alt.is_empty() || alt.contains(['|', '\t', '\r', '\n']) || seen.contains(&lower) {
                return false;
            }
            seen.push(lower);
            if written > 0 {
                out.push('|');
            }
            out.push_str(alt);
            written += 1;
            true
        };
        // The ASCII form always; the dump's alternates when they look like names.
        push(self.ascii_name, out);
        let mut kept = 0;
        for alt in self.alternates.split(',').map(str::trim) {
            if kept == MAX_ALTERNATES {
                break;
            }
            if name_like(alt) && push(alt, out) {
                kept += 1;
            }
        }
        let _ = writeln!(
            out,
            "\t{country}\t{:.4}\t{:.4}\t{}\t{}\t{kind}\t{}",
            self.lat,
            self.lon,
            self.geonameid,
            self.population,
            clean(self.admin1)
        );
    }
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\r', '\n'], " ").trim().to_string()
}

/// An alternate worth keeping: a short Latin-script name starting with a capital, without
/// digits, not a short all-capital code (airport and postal codes).
fn name_like(alt: &str) -> bool {
    let chars = alt.chars().count();
    chars <= MAX_ALTERNATE_CHARS
        && alt.starts_with(char::is_uppercase)
        && !(chars <= 4 && alt.chars().all(|c| !c.is_lowercase()))
        && alt.chars().all(|c| {
            !c.is_numeric()
                && (c.is_ascii_alphabetic()
                    || matches!(c, ' ' | '\'' | '-' | '.' | '\u{2019}')
                    || (c.is_alphabetic() && latin(c))
                    || ('\u{0300}'..='\u{036F}').contains(&c))
        })
}

/// A letter of the Latin script's blocks.
fn latin(c: char) -> bool {
    matches!(c,
        '\u{00C0}'..='\u{00FF}' | '\u{0100}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
        && c != '\u{00D7}'
        && c != '\u{00F7}'
}

/// Reads one line without its `\n` into `buf`, keeping at most `max` bytes: `None` at the
/// end of the input, else whether the line was longer than `max` (then `buf` is empty and
/// the rest of the line was skipped).
fn read_line_bounded(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any.then_some(too_long));
        }
        any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let chunk = &available[..newline.unwrap_or(available.len())];
        if !too_long {
            if buf.len() + chunk.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = newline.map_or(available.len(), |i| i + 1);
        r.consume(used);
        if newline.is_some() {
            return Ok(Some(too_long));
        }
    }
}
