//! The cleaner: from a scraped article's text to its title, body, boilerplate and related
//! headlines.
//!
//! A scraped article is a column of paragraphs: some short lines on top (the article's title,
//! often a stray headline of another story, a byline), the body, and furniture mixed in
//! (promos, captions, share buttons) or hung below ("Read more:" and a list of headlines).
//! The cleaner works on that column in four steps:
//!
//! 1. **Paragraphs.** Blank lines separate paragraphs. A block of lines without blank lines
//!    is one hard-wrapped paragraph when its lines fill a common width (at most 120
//!    characters) and it ends like prose; otherwise each line is its own paragraph. A text
//!    with no blank line at all has one paragraph per line. Whitespace inside a paragraph is
//!    collapsed to single spaces.
//! 2. **Furniture.** Each short paragraph (at most 30 words; 45 for captions) is tested against the pattern
//!    lists in `data/cleaner/` (the private `rules` module): caption, byline, navigation, promo,
//!    a dateline on its own line. A long paragraph is never furniture, so a body paragraph
//!    that happens to say "subscribe" stays. A "Read more:"-style heading starts a related
//!    list: it and the short lines after it, up to the next body-like paragraph, leave the
//!    body and their headlines go to `related`.
//! 3. **Where the body starts.** The body starts at the first *body-like* paragraph (one
//!    that ends like a sentence, opens with a wire dateline, or is long) that is not
//!    furniture. The short lines above it are title candidates. Short lines further down
//!    that no rule recognises stay in the body: they are as likely to be subheadings or a
//!    list of facts as stray headlines, and losing body text is the worse mistake.
//! 4. **The title.** A scraper often keeps a neighbouring story's headline above the real
//!    one, so the first line is not reliably the title. Each candidate is scored by how many
//!    of its content words (stop words removed, a final "s" dropped, "Mali" matching
//!    "Malian") appear in the first paragraphs of the body, smoothed so a one-word label
//!    cannot win on a perfect ratio; ties go to the line nearest the body. The other
//!    candidates become `stray_headline` boilerplate. A title given by the input's metadata
//!    wins instead, and a leading copy of it is dropped from the body.
//!
//! Finally a wire dateline ("BAMAKO, Jan 7 (AFP) - ") at the start of the first body
//! paragraph is cut off and kept as `dateline` boilerplate.
//!
//! The cleaner never invents text: every body paragraph, the title and every related
//! headline is a piece of the input with its whitespace collapsed.

use std::borrow::Cow;

use sitrep_model::{Boilerplate, BoilerplateKind};

use crate::rules::{BYLINE, CAPTION, DATELINE, NAV, PROMO, RELATED_HEADING, STOP_WORDS};

/// Paragraphs longer than this are never furniture: promos, bylines and navigation are short.
const MAX_FURNITURE_WORDS: usize = 30;
/// Captions run longer (agency captions describe the scene, then credit it), but their
/// patterns are specific (a label or a credit), so they get more room.
const MAX_CAPTION_WORDS: usize = 45;
/// A paragraph this long is prose even without final punctuation.
const PROSE_WORDS: usize = 25;
/// A period-terminated paragraph needs this many words to count as prose ("Photo: AFP." does not).
const MIN_STATEMENT_WORDS: usize = 4;
/// Headlines often end in "?" or "!", so those need more words to count as prose.
const MIN_EXCLAMATION_WORDS: usize = 10;
/// A sentence introducing a quote or a list ends in ":"; a heading ("Read more:") is shorter.
const MIN_INTRODUCTION_WORDS: usize = 8;
/// A pure related-list heading ("Read more:", "You may also like") is at most this long.
const MAX_HEADING_WORDS: usize = 8;
/// The headline after an inline heading ("Read more: Mali receives ...") is at most this long.
const MAX_INLINE_HEADLINE_WORDS: usize = 30;
/// Hard-wrapped paragraphs are only recognised up to this line width.
const MAX_WRAP_WIDTH: usize = 120;
/// A line of a hard-wrapped paragraph fills at least this share (in percent) of the width.
const WRAP_FILL_PERCENT: usize = 70;
/// How much of the body the title candidates are compared with.
const TITLE_SAMPLE_PARAGRAPHS: usize = 3;
const TITLE_SAMPLE_WORDS: usize = 300;

/// What the cleaner made of an article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    /// The article's title, when one was given or found.
    pub title: Option<String>,
    /// The body: kept paragraphs joined by a blank line, no leading or trailing whitespace.
    pub body: String,
    /// Everything moved out of the body, in input order, with what it was.
    pub boilerplate: Vec<Boilerplate>,
    /// Headlines of the related-story lists, without their headings.
    pub related: Vec<String>,
}

/// Cleans one article's text. `given_title` is the title from the input's metadata (JSON
/// Lines "title"), which then wins over any line of the text.
///
/// ```
/// let text = "Other story: floods in the south\n\n\
///     Aid convoy reaches besieged town\n\n\
///     An aid convoy reached the besieged town of Dravik on Tuesday, the aid agency said.\n\n\
///     Follow our WhatsApp channel for the latest updates.\n\n\
///     The convoy carried food and medicine for about 3,000 people.";
/// let cleaned = sitrep_read::clean(text, None);
/// assert_eq!(cleaned.title.as_deref(), Some("Aid convoy reaches besieged town"));
/// assert!(cleaned.body.starts_with("An aid convoy"));
/// assert!(!cleaned.body.contains("WhatsApp"));
/// assert_eq!(cleaned.boilerplate.len(), 2);
/// ```
pub fn clean(raw: &str, given_title: Option<&str>) -> Cleaned {
    let raw: Cow<str> = if raw.contains('\r') {
        Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(raw)
    };
    let mut units = split_paragraphs(&raw);
    let given_title = given_title.map(tidy).filter(|t| !t.is_empty());
    let mut roles = assign_roles(&units, given_title.as_deref());

    let title = match given_title {
        Some(title) => {
            demote_candidates(&mut roles);
            Some(title)
        }
        None => choose_title(&units, &mut roles),
    };
    let dateline = cut_dateline(&mut units, &roles);
    assemble(units, roles, title, dateline)
}

/// A paragraph of the input, whitespace collapsed, with the facts the rules look at.
#[derive(Debug, Clone)]
struct Paragraph {
    text: String,
    words: usize,
    ending: Ending,
}

/// How a paragraph ends, closing quotes and brackets aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// ". " or "…": a statement.
    Statement,
    /// "?" or "!".
    Exclamation,
    /// ":", introducing a quote or a list.
    Colon,
    Other,
}

impl Paragraph {
    fn new(text: String) -> Paragraph {
        let words = word_count(&text);
        let ending = ending(&text);
        Paragraph {
            text,
            words,
            ending,
        }
    }

    /// Reads like article prose: ends like a sentence, opens with a wire dateline, or is too
    /// long to be a headline.
    fn is_prose(&self) -> bool {
        self.words >= PROSE_WORDS
            || match self.ending {
                Ending::Statement => self.words >= MIN_STATEMENT_WORDS,
                Ending::Exclamation => self.words >= MIN_EXCLAMATION_WORDS,
                Ending::Colon => self.words >= MIN_INTRODUCTION_WORDS,
                Ending::Other => false,
            }
            || dateline_prefix(&self.text).is_some_and(|end| !self.text[end..].trim().is_empty())
    }
}

/// Words of a text: whitespace-separated runs, except that scripts written without spaces
/// (Chinese, Japanese, Thai, ...) count one word per two characters, a typical word length
/// there; otherwise a Japanese paragraph would be one "word" and never prose.
pub(crate) fn word_count(text: &str) -> usize {
    let mut words = 0;
    let mut unspaced = 0;
    for word in text.split_whitespace() {
        let n = word.chars().filter(|&c| is_unspaced_script(c)).count();
        if n == 0 {
            words += 1;
        } else {
            unspaced += n;
            // Latin letters or digits around the ideographs ("Kindle版") are one more word.
            if word
                .chars()
                .any(|c| c.is_alphanumeric() && !is_unspaced_script(c))
            {
                words += 1;
            }
        }
    }
    words + unspaced.div_ceil(2)
}

/// Characters of scripts that do not put spaces between words.
pub(crate) fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x20000..=0x2FFFF // CJK extensions B and later
    )
}

fn ending(text: &str) -> Ending {
    let last = text
        .chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*'));
    match last {
        Some('.' | '…' | '。') => Ending::Statement,
        Some('?' | '!' | '？' | '！') => Ending::Exclamation,
        Some(':' | '：') => Ending::Colon,
        _ => Ending::Other,
    }
}

/// Collapses every run of whitespace to one space and trims the ends.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Step 1: the input's paragraphs (see the module documentation).
fn split_paragraphs(raw: &str) -> Vec<Paragraph> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in raw.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let single_block = blocks.len() == 1;
    let mut out = Vec::new();
    for block in blocks {
        if single_block || !is_hard_wrapped(&block) {
            out.extend(block.iter().map(|line| tidy(line)));
        } else {
            out.extend(unwrap_block(&block));
        }
    }
    out.into_iter()
        .filter(|t| !t.is_empty())
        .map(Paragraph::new)
        .collect()
}

fn char_len(line: &str) -> usize {
    line.trim().chars().count()
}

/// A block is a hard-wrapped paragraph when its lines are of a text-file width and it ends
/// like prose; a list of headlines or a title above a byline does not end with a period.
fn is_hard_wrapped(block: &[&str]) -> bool {
    let width = block.iter().map(|l| char_len(l)).max().unwrap_or(0);
    block.len() > 1
        && width <= MAX_WRAP_WIDTH
        && block
            .last()
            .is_some_and(|l| ending(l.trim()) != Ending::Other)
}

/// Joins the lines of a hard-wrapped block: a line that fills the width continues on the
/// next; a short line ends a paragraph (the last line of one paragraph, a title, a byline).
fn unwrap_block(block: &[&str]) -> Vec<String> {
    let width = block.iter().map(|l| char_len(l)).max().unwrap_or(0);
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, line) in block.iter().enumerate() {
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line.trim());
        let fills_width = char_len(line) * 100 >= width * WRAP_FILL_PERCENT;
        if i + 1 == block.len() || !fills_width {
            out.push(tidy(&std::mem::take(&mut current)));
        }
    }
    out
}

/// What a paragraph turned out to be.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    Body,
    /// A short line above the body, maybe the title.
    TitleCandidate,
    Title,
    /// A copy of the metadata title at the top of the text.
    TitleCopy,
    Furniture(BoilerplateKind),
    /// A related-list heading, with the headline that follows it on the same line if any.
    RelatedHeading(Option<String>),
    RelatedHeadline,
}

/// Step 2: furniture recognised by the pattern lists, for a short paragraph.
fn furniture_kind(p: &Paragraph) -> Option<BoilerplateKind> {
    if !p.text.chars().any(char::is_alphanumeric) {
        // Rules and ornaments ("* * *", "---") carry nothing.
        return Some(BoilerplateKind::Nav);
    }
    let text = p.text.as_str();
    if p.words > MAX_FURNITURE_WORDS {
        return (p.words <= MAX_CAPTION_WORDS && CAPTION.is_match(text))
            .then_some(BoilerplateKind::Caption);
    }
    if CAPTION.is_match(text) {
        Some(BoilerplateKind::Caption)
    } else if BYLINE.is_match(text) {
        Some(BoilerplateKind::Byline)
    } else if NAV.is_match(text) {
        Some(BoilerplateKind::Nav)
    } else if PROMO.is_match(text) {
        Some(BoilerplateKind::Promo)
    } else if dateline_prefix(text).is_some_and(|end| text[end..].trim().is_empty()) {
        Some(BoilerplateKind::Dateline)
    } else {
        None
    }
}

/// Characters that separate a related-list heading from an inline headline.
fn is_heading_separator(c: char) -> bool {
    matches!(c, ':' | '|' | '-' | '–' | '—' | '»' | '>' | '›' | '•' | '·')
}

/// `Some(None)` for a pure related-list heading, `Some(Some(headline))` for a heading with
/// a headline on the same line, `None` for anything else.
fn related_heading(p: &Paragraph) -> Option<Option<String>> {
    if p.words > MAX_INLINE_HEADLINE_WORDS + MAX_HEADING_WORDS {
        return None;
    }
    let found = RELATED_HEADING.find(&p.text)?;
    let rest = &p.text[found.end()..];
    if rest.chars().next().is_some_and(char::is_alphanumeric) {
        return None; // the heading phrase ended inside a word
    }
    let rest = rest.trim_start();
    if rest
        .chars()
        .all(|c| is_heading_separator(c) || c.is_whitespace())
    {
        let pure =
            p.words <= MAX_HEADING_WORDS && matches!(p.ending, Ending::Other | Ending::Colon);
        return pure.then_some(None);
    }
    if !rest.starts_with(is_heading_separator) {
        return None;
    }
    let headline = rest
        .trim_start_matches(|c: char| is_heading_separator(c) || c.is_whitespace())
        .to_string();
    let headline_words = word_count(&headline);
    (headline_words <= MAX_INLINE_HEADLINE_WORDS).then_some(Some(headline))
}

/// The related-list heading test for one line, shared with the HTML extractor so that a
/// "Read more:" box on a page is recognised by the same rules as in text: `Some(None)` for a
/// pure heading, `Some(Some(headline))` for a heading with an inline headline.
pub(crate) fn related_heading_line(line: &str) -> Option<Option<String>> {
    related_heading(&Paragraph::new(tidy(line)))
}

/// Title comparison ignores case, punctuation and spacing.
fn same_title(a: &str, b: &str) -> bool {
    let (a, b) = (title_words(a), title_words(b));
    !a.is_empty() && a == b
}

/// A title's words, lowercased, without its punctuation and spacing: what title comparisons
/// look at (here and in the HTML metadata).
pub(crate) fn title_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Steps 2 and 3: a role for every paragraph, title candidates still undecided.
fn assign_roles(units: &[Paragraph], given_title: Option<&str>) -> Vec<Role> {
    let furniture: Vec<Option<BoilerplateKind>> = units.iter().map(furniture_kind).collect();
    let headings: Vec<Option<Option<String>>> = units.iter().map(related_heading).collect();
    let is_title_copy =
        |i: usize| given_title.is_some_and(|title| same_title(&units[i].text, title));
    let is_plain = |i: usize| furniture[i].is_none() && headings[i].is_none();

    let body_start = (0..units.len())
        .find(|&i| is_plain(i) && !is_title_copy(i) && units[i].is_prose())
        .unwrap_or_else(|| {
            // No prose at all (a list of short lines): with no title given, the first plain
            // line is the title and the rest is the body.
            let mut plain = (0..units.len()).filter(|&i| is_plain(i) && !is_title_copy(i));
            let first = plain.next();
            match (given_title, first, plain.next()) {
                (None, Some(_), Some(second)) => second,
                (_, Some(first), _) => first,
                (_, None, _) => units.len(),
            }
        });

    let mut roles = Vec::with_capacity(units.len());
    for i in 0..body_start {
        roles.push(if is_title_copy(i) {
            Role::TitleCopy
        } else if let Some(kind) = furniture[i] {
            Role::Furniture(kind)
        } else if let Some(inline) = &headings[i] {
            // A heading above the article has no list we can delimit: only it goes.
            Role::RelatedHeading(inline.clone())
        } else {
            Role::TitleCandidate
        });
    }

    let mut in_related_list = false;
    for i in body_start..units.len() {
        let role = if let Some(inline) = &headings[i] {
            in_related_list = true;
            Role::RelatedHeading(inline.clone())
        } else if let Some(kind) = furniture[i] {
            // Furniture inside a related list (a share row) neither ends nor joins the list.
            Role::Furniture(kind)
        } else if in_related_list && !units[i].is_prose() {
            Role::RelatedHeadline
        } else {
            in_related_list = false;
            Role::Body
        };
        roles.push(role);
    }

    roles
}

/// Step 4: picks the title among the candidates; the others become stray headlines.
fn choose_title(units: &[Paragraph], roles: &mut [Role]) -> Option<String> {
    let sample = body_sample(units, roles);
    let mut best: Option<(usize, f64)> = None;
    for (i, role) in roles.iter().enumerate() {
        if *role != Role::TitleCandidate {
            continue;
        }
        let score = overlap_score(&units[i].text, &sample);
        // `>=` with a tolerance: on a tie the later candidate, nearer the body, wins.
        if best.is_none_or(|(_, best_score)| score >= best_score - 1e-9) {
            best = Some((i, score));
        }
    }
    demote_candidates(roles);
    let (index, _) = best?;
    roles[index] = Role::Title;
    Some(units[index].text.clone())
}

/// Title candidates that were not chosen are headlines of other stories.
fn demote_candidates(roles: &mut [Role]) {
    for role in roles.iter_mut() {
        if *role == Role::TitleCandidate {
            *role = Role::Furniture(BoilerplateKind::StrayHeadline);
        }
    }
}

/// Content words of the first body paragraphs, deduplicated.
fn body_sample(units: &[Paragraph], roles: &[Role]) -> Vec<String> {
    let mut words: Vec<String> = units
        .iter()
        .zip(roles)
        .filter(|(_, role)| **role == Role::Body)
        .take(TITLE_SAMPLE_PARAGRAPHS)
        .flat_map(|(p, _)| content_words(&p.text))
        .take(TITLE_SAMPLE_WORDS)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Lowercased, stemmed words that say what a text is about.
fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(w.as_str()))
        .map(stem)
        .collect()
}

/// A minimal stemmer: drops a plural "s" ("advisers" → "adviser") but not the "s" of
/// "-ss", "-us", "-is" ("press", "status", "crisis").
fn stem(mut word: String) -> String {
    if word.chars().count() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        word.pop();
    }
    word
}

/// Same stem, or one a short extension of the other ("mali"/"malian", "russia"/"russian",
/// "region"/"regional"); the shorter needs four letters so "war" does not match "warn".
fn related_words(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a_len, b_len) = (a.chars().count(), b.chars().count());
    let (short, short_len, long, long_len) = if a_len <= b_len {
        (a, a_len, b, b_len)
    } else {
        (b, b_len, a, a_len)
    };
    short_len >= 4 && long_len - short_len <= 3 && long.starts_with(short)
}

/// Matched content words over their number plus two: the smoothing keeps a one-word label
/// ("World") from beating a real headline on a perfect ratio.
fn overlap_score(candidate: &str, sample: &[String]) -> f64 {
    let mut words = content_words(candidate);
    words.sort();
    words.dedup();
    let matched = words
        .iter()
        .filter(|w| sample.iter().any(|s| related_words(w, s)))
        .count();
    matched as f64 / (words.len() as f64 + 2.0)
}

/// The byte length of a wire dateline at the start of `text`, if there is one.
fn dateline_prefix(text: &str) -> Option<usize> {
    // The patterns end with "dash, space"; a dateline alone on its line has no space after.
    let padded;
    let probe = if text.ends_with(is_heading_separator) {
        padded = format!("{text} ");
        padded.as_str()
    } else {
        text
    };
    DATELINE
        .find(probe)
        .filter(|m| m.start() == 0)
        .map(|m| m.end().min(text.len()))
}

/// Cuts a dateline off the first body paragraph; returns it.
fn cut_dateline(units: &mut [Paragraph], roles: &[Role]) -> Option<(usize, String)> {
    let first = roles.iter().position(|r| *r == Role::Body)?;
    let text = &units[first].text;
    let end = dateline_prefix(text)?;
    let rest = text[end..].trim_start();
    let starts_like_a_sentence = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'«".contains(c));
    if !starts_like_a_sentence {
        return None;
    }
    let dateline = text[..end].trim().to_string();
    units[first] = Paragraph::new(rest.to_string());
    Some((first, dateline))
}

fn assemble(
    units: Vec<Paragraph>,
    roles: Vec<Role>,
    title: Option<String>,
    dateline: Option<(usize, String)>,
) -> Cleaned {
    let mut cleaned = Cleaned {
        title,
        ..Cleaned::default()
    };
    let mut body: Vec<String> = Vec::new();
    let mut dateline = dateline;
    for (i, (unit, role)) in units.into_iter().zip(roles).enumerate() {
        if let Some((at, _)) = &dateline
            && *at == i
        {
            let (_, text) = dateline.take().expect("checked above");
            cleaned.boilerplate.push(Boilerplate {
                text,
                kind: BoilerplateKind::Dateline,
            });
        }
        match role {
            Role::Body => body.push(unit.text),
            Role::Title | Role::TitleCopy => {}
            Role::TitleCandidate => unreachable!("choose_title decides every candidate"),
            Role::Furniture(kind) => cleaned.boilerplate.push(Boilerplate {
                text: unit.text,
                kind,
            }),
            Role::RelatedHeading(inline) => {
                cleaned.related.extend(inline);
                cleaned.boilerplate.push(Boilerplate {
                    text: unit.text,
                    kind: BoilerplateKind::Related,
                });
            }
            Role::RelatedHeadline => {
                cleaned.related.push(unit.text.clone());
                cleaned.boilerplate.push(Boilerplate {
                    text: unit.text,
                    kind: BoilerplateKind::Related,
                });
            }
        }
    }
    cleaned.body = body.join("\n\n");
    cleaned
}

#[cfg(test)]
mod tests;
