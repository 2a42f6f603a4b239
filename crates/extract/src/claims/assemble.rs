//! Repairs to what the attribution finder gives, before claims are described: rules of
//! English attribution that hold whatever the parse, because the parse is weakest exactly
//! where attributions are dense (lists of sources, dashes, participles).
//!
//! 1. **A relative source** ("all of whom", "who", "both of which") stands for the noun
//!    phrase before it: "A, B and C – all of whom declined to be named – told AFP" has A, B
//!    and C as its sources.
//! 2. **Coordinated sources** ("A, B and C told AFP"): one claim per source, each with the
//!    same cue and content, when the list is a real list: an "and" or "or" before its last
//!    item, and every item opening with a determiner, a number or a possessive (so that an
//!    apposition, "Jean Dupont, the minister", stays one source).
//! 3. **A cue without a subject of its own** ("... and accused Moscow of ...", "..., adding
//!    that ...") shares the source of the nearest earlier claim of its sentence.
//! 0. **A request for anonymity** ("who requested anonymity", "declined to be named") is
//!    what the text says about a source, not a claim: such a relation is dropped (the
//!    source keeps the phrase as its `anonymity_cue`). A relation without a source whose cue
//!    verb has a subject in the parse takes that subject (without its relative clause).
//! 4. **The cue after its content** ("Troops have arrived, army officials said Thursday."):
//!    a reporting verb (speech, argument, denial or admission in `data/claims/cues.tsv`)
//!    right after a noun phrase that follows a comma, at the end of its sentence (a time
//!    word may follow), makes the clause before the comma its content. This pattern is found
//!    by position, because a parser often makes such a verb a conjunct of the content's
//!    verb; a finder's relation that overlaps it without a reporting verb as cue gives way.
//! 5. **Nothing claimed**: a relation whose content has no verb is dropped when its cue is
//!    negated ("Marchetti did not name the Halvard Group") or when it has no source and its
//!    cue is not in the cue lexicon ("whose arrival was reported"); so is a sourceless
//!    relation whose cue the lexicon does not know at all ("appeared to point to"), and a
//!    question a negated or refused cue leaves open ("did not say how many", "declined to
//!    say whether").
//! 6. **One sentence, one attribution's**: a content that runs on into a later sentence
//!    holding another relation's cue ends before that sentence (the later sentence's
//!    quote is its own cue's content).
//! 7. **A quote on both sides of its cue** ("“A,” Oradi said. “B.”") is two claims of one
//!    source and cue, since a claim's content is one span and the cue is not what was said.
//! 8. **A source is a noun phrase**: punctuation at its edges is not part of it (", officials
//!    on both sides"); a source span that holds a clause ("she called on the Council", the
//!    verb before a coordinated cue) is the clause's subject; a participle set off by a
//!    comma ("Meridian Press, citing three sources,") is left out.

use std::ops::Range;

use super::Found;
use super::doc::Doc;
use super::lexicon::Lexicon;

/// Relative words that stand for an earlier noun phrase.
const RELATIVES: &[&str] = &["who", "whom", "which", "whose"];
/// Words that open an item of a list of sources.
const OPENERS: &[&str] = &[
    "a", "an", "the", "one", "two", "three", "four", "five", "several", "some", "many", "another",
    "his", "her", "their", "its", "our",
];
/// Marks that set a relative phrase off from its antecedent.
const SETS_OFF: &[&str] = &[",", "–", "—", "-", "(", "--"];

const CUES_TSV: &str = include_str!("../../../../data/claims/cues.tsv");
/// Cue classes that report what someone said.
const REPORTING: &[&str] = &["speech", "argument", "denial", "admission"];
/// Words that may come between a trailing cue and the end of its sentence.
const TRAILING: &[&str] = &[
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "earlier",
    "later",
    "last",
    "this",
    "week",
    "month",
    "in",
    "a",
    "statement",
    "recently",
    "privately",
    "publicly",
];

/// The reporting lemmas of the cue lexicon, read once.
static REPORTING_LEMMAS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        CUES_TSV
            .lines()
            .filter_map(|line| {
                let (lemma, class) = line.split_once('\t')?;
                REPORTING.contains(&class.trim()).then_some(lemma)
            })
            .collect()
    });

/// Every lemma of the cue lexicon.
static CUE_LEMMAS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        CUES_TSV
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| Some(line.split_once('\t')?.0.trim()))
            .collect()
    });

fn reporting(lemma: &str) -> bool {
    REPORTING_LEMMAS.contains(lemma)
}

/// `found`, repaired (see the module doc); text order kept.
pub(crate) fn assemble(doc: &Doc<'_>, lexicon: &Lexicon, found: &[Found]) -> Vec<Found> {
    let found = with_trailing_cues(doc, found);
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    for (k, f) in found.iter().enumerate() {
        if asks_anonymity(doc, lexicon, f) {
            continue;
        }
        let mut f = f.clone();
        if claims_nothing(doc, &f).is_some() {
            continue;
        }
        cut_at_other_cues(doc, &mut f, &found, k);
        if f.source.is_none()
            && let Some(subject) = subject_of_cue(doc, &f)
        {
            f.why = format!(
                "{}; source: the cue's subject \"{}\"",
                f.why,
                &doc.text[subject.clone()]
            );
            f.source = Some(subject);
        }
        if let Some(source) = &f.source
            && let Some((antecedent, why)) = antecedent_of(doc, source)
        {
            f.why = format!("{}; {why}", f.why);
            f.source = Some(antecedent);
        }
        if let Some(source) = &f.source
            && let Some((tidy, why)) = noun_phrase_of(doc, source)
        {
            f.why = format!("{}; {why}", f.why);
            f.source = tidy;
        }
        if f.source.is_none()
            && let Some(shared) = shared_source(doc, &f, &out)
        {
            f.why = format!(
                "{}; no subject of its own: shares \"{}\", the source of the claim before it in the sentence",
                f.why,
                &doc.text[shared.clone()]
            );
            f.source = Some(shared);
        }
        for f in around_own_cue(doc, f) {
            match f.source.as_ref().map(|s| list_items(doc, s)) {
                Some(items) if items.len() > 1 => {
                    let n = items.len();
                    for (k, item) in items.into_iter().enumerate() {
                        let mut one = f.clone();
                        one.why = format!("{}; source {} of {n} in a list", f.why, k + 1);
                        one.source = Some(item);
                        out.push(one);
                    }
                }
                _ => out.push(f),
            }
        }
    }
    out
}

/// Rule 7: a content on both sides of its own source and cue, a closed quote before them
/// ("“A,” Oradi said. “B.”"), is two claims of the same source and cue, one per side, since
/// a claim's content is one span and "Oradi said" is not what Oradi said.
fn around_own_cue(doc: &Doc<'_>, f: Found) -> Vec<Found> {
    let (Some(first), Some(last)) = (f.content.first(), f.content.last()) else {
        return vec![f];
    };
    // The hole: the cue, with the source when it touches the cue ("Oradi said", "said Oradi").
    let mut hole = f.cue.clone();
    if let Some(source) = &f.source {
        let between = |a: usize, b: usize| a <= b && doc.text[a..b].trim().is_empty();
        if between(source.end, hole.start) || between(hole.end, source.start) {
            hole = hole.start.min(source.start)..hole.end.max(source.end);
        }
    }
    // Only a closed quote before the hole: "The risk, analysts say, is that ..." is one
    // content around a parenthetical cue.
    let closes_quote = doc.text[first.start.min(hole.start)..hole.start]
        .trim_end()
        .ends_with(['”', '"', '’', '\'']);
    if !(first.start < hole.start && hole.end < last.end && closes_quote) {
        return vec![f];
    }
    let edge = |c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '–' | '—');
    let side = |from: usize, to: usize| -> Vec<Range<usize>> {
        f.content
            .iter()
            .filter_map(|r| {
                let (a, b) = (r.start.max(from), r.end.min(to));
                if a >= b {
                    return None;
                }
                let piece = &doc.text[a..b];
                let trimmed_start = piece.trim_start_matches(edge);
                let start = a + (piece.len() - trimmed_start.len());
                let end = start + trimmed_start.trim_end_matches(char::is_whitespace).len();
                (start < end).then_some(start..end)
            })
            .collect()
    };
    let before = side(first.start, hole.start);
    let after = side(hole.end, last.end);
    let wordy = |pieces: &[Range<usize>]| {
        pieces
            .iter()
            .any(|r| doc.text[r.clone()].chars().any(char::is_alphanumeric))
    };
    match (wordy(&before), wordy(&after)) {
        (true, true) => [before, after]
            .into_iter()
            .enumerate()
            .map(|(k, content)| Found {
                content,
                why: format!(
                    "{}; the quote {} its source and cue",
                    f.why,
                    if k == 0 { "before" } else { "after" }
                ),
                ..f.clone()
            })
            .collect(),
        (true, false) => vec![Found {
            content: before,
            ..f
        }],
        (false, true) => vec![Found {
            content: after,
            ..f
        }],
        (false, false) => vec![f],
    }
}

/// Whether a relation claims nothing (rule 5), with the reason.
fn claims_nothing(doc: &Doc<'_>, f: &Found) -> Option<&'static str> {
    let cue = doc.tokens_in(&f.cue);
    let head = doc.head_within(&cue)?;
    let verbless = f.content.iter().all(|r| {
        doc.tokens_in(r)
            .all(|t| !matches!(doc.upos(t), "VERB" | "AUX"))
    });
    let known = CUE_LEMMAS.contains(doc.lemma_lower(head).as_str());
    let negated = doc
        .children(head)
        .iter()
        .any(|&c| matches!(doc.lower(c).as_str(), "not" | "n't" | "never"));
    // "did not say how many", "declined to say whether": a question left open.
    let open_question = f.content.first().is_some_and(|r| {
        let t = doc.tokens_in(r).start;
        t < doc.len()
            && matches!(
                doc.lower(t).as_str(),
                "how" | "whether" | "what" | "who" | "which" | "when" | "where" | "why" | "if"
            )
    });
    let refuses = matches!(doc.lemma_lower(head).as_str(), "decline" | "refuse")
        || doc
            .head(head)
            .is_some_and(|h| matches!(doc.lemma_lower(h).as_str(), "decline" | "refuse"));
    if negated && verbless {
        Some("a negated cue with no clause")
    } else if (negated || refuses) && open_question {
        Some("a question the source left open")
    } else if f.source.is_none() && !known {
        Some("no source and a cue the lexicon does not know")
    } else if f.source.is_none() && verbless && !reporting(&doc.lemma_lower(head)) {
        Some("no source, no clause, and a cue that does not report speech")
    } else {
        None
    }
}

/// Rule 6: `f`'s content cut before the first later sentence that holds another relation's
/// cue (`found[k]` is `f`).
fn cut_at_other_cues(doc: &Doc<'_>, f: &mut Found, found: &[Found], k: usize) {
    let (Some(first), Some(last)) = (f.content.first(), f.content.last()) else {
        return;
    };
    let (start, end) = (first.start, last.end);
    let own = doc.tokens_in(&f.cue).start;
    let own_sentence = doc.sentence_tokens(own.min(doc.len().saturating_sub(1)));
    let first_token = doc.tokens_in(first).start;
    // The relations are in text order, so their sentences open in order too: the first
    // qualifying one after the content's start is the cut, and the walk stops at the end.
    let mut cut = None;
    for (j, g) in found
        .iter()
        .enumerate()
        .skip(found.partition_point(|g| g.cue.start <= start))
    {
        let at = doc.tokens_in(&g.cue).start;
        let sentence = doc.sentence_tokens(at.min(doc.len().saturating_sub(1)));
        let opens = doc.span(sentence.start).start;
        if opens >= end {
            break;
        }
        if j != k && sentence.start > own_sentence.start && sentence.start > first_token {
            cut = Some(opens);
            break;
        }
    }
    let Some(cut) = cut else {
        return;
    };
    let mut pieces: Vec<Range<usize>> = Vec::new();
    for r in &f.content {
        if r.start >= cut {
            break;
        }
        let mut r = r.start..r.end.min(cut);
        // Trim the space before the cut.
        while r.end > r.start && doc.text[..r.end].ends_with(char::is_whitespace) {
            r.end -= doc.text[..r.end]
                .chars()
                .next_back()
                .map_or(1, char::len_utf8);
        }
        if !r.is_empty() {
            pieces.push(r);
        }
    }
    if !pieces.is_empty() {
        f.content = pieces;
        f.why = format!(
            "{}; content ends where another attribution's sentence begins",
            f.why
        );
    }
}

/// The noun phrase a relative source stands for, with the reason.
fn antecedent_of(doc: &Doc<'_>, source: &Range<usize>) -> Option<(Range<usize>, String)> {
    let tokens = doc.tokens_in(source);
    let relative = tokens
        .clone()
        .find(|&t| RELATIVES.contains(&doc.lower(t).as_str()))?;
    // The phrase before the relative phrase, set off by a comma, dash or bracket.
    let sentence = doc.sentence_tokens(relative);
    let mut before = tokens.start;
    while before > sentence.start && SETS_OFF.contains(&doc.word(before - 1)) {
        before -= 1;
    }
    if before == tokens.start || before <= sentence.start {
        return None;
    }
    // Back over the noun phrase: no finite verb, no clause boundary.
    let end = before;
    let mut start = end;
    while start > sentence.start {
        let t = start - 1;
        let w = doc.word(t);
        let verb = matches!(doc.upos(t), "VERB" | "AUX")
            && !matches!(doc.deprel(t), "amod" | "acl" | "compound");
        if verb || matches!(w, ";" | ":" | "“" | "\"" | "”") || w.eq_ignore_ascii_case("that") {
            break;
        }
        start = t;
    }
    // Leading commas or dashes are not part of it.
    while start < end && SETS_OFF.contains(&doc.word(start)) {
        start += 1;
    }
    (start < end).then(|| {
        let span = doc.span(start).start..doc.span(end - 1).end;
        let why = format!(
            "\"{}\" stands for \"{}\" before it",
            doc.word(relative),
            &doc.text[span.clone()]
        );
        (span, why)
    })
}

/// The items of a list of sources ("A, B and C"), or the source alone.
fn list_items(doc: &Doc<'_>, source: &Range<usize>) -> Vec<Range<usize>> {
    let tokens = doc.tokens_in(source);
    let mut items: Vec<Range<usize>> = Vec::new();
    let mut start = tokens.start;
    let mut last_joined = false;
    for t in tokens.clone() {
        let w = doc.lower(t);
        let joins = matches!(w.as_str(), "and" | "or");
        if w == "," || joins {
            if start < t {
                items.push(start..t);
            }
            start = t + 1;
            if joins {
                last_joined = true;
            } else if start < tokens.end && matches!(doc.lower(start).as_str(), "and" | "or") {
                // ", and": the comma closes the item, the word opens the last.
                continue;
            } else {
                last_joined = false;
            }
        }
    }
    if start < tokens.end {
        items.push(start..tokens.end);
    }
    let opens = |r: &Range<usize>| OPENERS.contains(&doc.lower(r.start).as_str());
    if items.len() < 2 || !last_joined || !items.iter().all(opens) {
        return vec![source.clone()];
    }
    items
        .into_iter()
        .map(|r| doc.span(r.start).start..doc.span(r.end - 1).end)
        .collect()
}

/// The source of the nearest earlier claim in `f`'s sentence, when `f`'s cue has no subject
/// of its own.
fn shared_source(doc: &Doc<'_>, f: &Found, earlier: &[Found]) -> Option<Range<usize>> {
    let cue = doc.tokens_in(&f.cue);
    let head = doc.head_within(&cue)?;
    let subject = doc
        .children(head)
        .iter()
        .any(|&c| doc.deprel(c).starts_with("nsubj") || doc.deprel(c).starts_with("expl"));
    if subject || doc.upos(head) != "VERB" {
        return None;
    }
    let sentence = doc.sentence_tokens(head);
    let opens = doc.span(sentence.start).start;
    earlier
        .iter()
        .rev()
        .take_while(|e| e.cue.start >= opens)
        .find_map(|e| {
            let e_cue = doc.tokens_in(&e.cue);
            (sentence.contains(&e_cue.start) && e_cue.start < cue.start)
                .then(|| e.source.clone())
                .flatten()
        })
}

/// `found` with the trailing-cue relations of every sentence (rule 4) in place of what
/// overlaps them, in text order. Linear in the relations: each sentence looks only at the
/// relations whose cue can reach into it (found by binary search on the sorted cues).
fn with_trailing_cues(doc: &Doc<'_>, found: &[Found]) -> Vec<Found> {
    let mut out: Vec<Found> = found.to_vec();
    out.sort_by_key(|f| f.cue.start);
    let longest = out.iter().map(|f| f.cue.len()).max().unwrap_or(0);
    let mut removed = vec![false; out.len()];
    let mut added: Vec<Found> = Vec::new();
    for sentence in doc.analysis.sentences() {
        let Some(pattern) = trailing_cue(doc, &sentence.tokens) else {
            continue;
        };
        // From the content to the sentence's end: the cue and the phrase after it too.
        let region = pattern.content[0].start..doc.span(sentence.tokens.end - 1).end;
        let overlaps = |r: &Range<usize>| r.start < region.end && region.start < r.end;
        let lo = out.partition_point(|f| f.cue.start + longest <= region.start);
        let hi = out.partition_point(|f| f.cue.start < region.end);
        let near: Vec<usize> = (lo..hi)
            .filter(|&k| !removed[k] && overlaps(&out[k].cue))
            .collect();
        // A finder's relation with this very cue keeps its source; its content too, unless
        // it has no verb ("said Friday, amid tensions ...": the words after the cue).
        if let Some(&k) = near.iter().find(|&&k| out[k].cue == pattern.cue) {
            let f = &mut out[k];
            let verbless = f.content.iter().all(|r| {
                doc.tokens_in(r)
                    .all(|t| !matches!(doc.upos(t), "VERB" | "AUX"))
            });
            if verbless {
                f.content = pattern.content.clone();
                f.why = format!("{}; content replaced: {}", f.why, pattern.why);
                if f.source.is_none() {
                    f.source = pattern.source.clone();
                }
            }
            continue;
        }
        if near.iter().any(|&k| {
            let cue = doc.tokens_in(&out[k].cue);
            doc.head_within(&cue)
                .is_some_and(|h| reporting(&doc.lemma_lower(h)))
        }) {
            continue;
        }
        for k in near {
            removed[k] = true;
        }
        added.push(pattern);
    }
    let mut kept: Vec<Found> = out
        .into_iter()
        .zip(removed)
        .filter_map(|(f, gone)| (!gone).then_some(f))
        .collect();
    kept.extend(added);
    kept.sort_by_key(|f| f.cue.start);
    kept
}

/// The trailing-cue relation of one sentence, if it has one.
fn trailing_cue(doc: &Doc<'_>, sentence: &Range<usize>) -> Option<Found> {
    // A reporting verb followed only by time words, then the sentence's end or a comma and
    // a phrase with no verb ("..., amid tensions with ...").
    let cue = sentence.clone().rev().find(|&c| {
        if doc.upos(c) != "VERB" || !reporting(&doc.lemma_lower(c)) {
            return false;
        }
        let mut t = c + 1;
        while t < sentence.end
            && (TRAILING.contains(&doc.lower(t).as_str()) || doc.upos(t) == "NUM")
        {
            t += 1;
        }
        t >= sentence.end
            || doc.upos(t) == "PUNCT"
                && (t..sentence.end).all(|u| !matches!(doc.upos(u), "VERB" | "AUX"))
    })?;
    // The source: a noun phrase right before it, after a comma.
    let mut start = cue;
    while start > sentence.start
        && matches!(
            doc.upos(start - 1),
            "DET" | "ADJ" | "NOUN" | "PROPN" | "NUM" | "PRON"
        )
    {
        start -= 1;
    }
    if start == cue || start <= sentence.start + 1 || doc.word(start - 1) != "," {
        return None;
    }
    // The content: the sentence before the comma, past an opening quote; it has a verb.
    let comma = start - 1;
    let mut first = sentence.start;
    while first < comma && matches!(doc.word(first), "“" | "\"" | "‘" | "'") {
        first += 1;
    }
    if !(first..comma).any(|t| matches!(doc.upos(t), "VERB" | "AUX")) {
        return None;
    }
    let span = |a: usize, b: usize| doc.span(a).start..doc.span(b - 1).end;
    Some(Found {
        source: Some(span(start, cue)),
        cue: doc.span(cue),
        content: vec![span(first, comma)],
        confidence: 0.8,
        why: format!(
            "pattern: content, then \"{} {}\" closing the sentence",
            &doc.text[span(start, cue)],
            doc.word(cue)
        ),
    })
}

/// Whether `f` is a source's request for anonymity rather than a claim: its cue and content
/// together end with one of the lexicon's anonymity phrases that starts at or before the cue.
fn asks_anonymity(doc: &Doc<'_>, lexicon: &Lexicon, f: &Found) -> bool {
    let Some(last) = f.content.last() else {
        return false;
    };
    let cue = doc.tokens_in(&f.cue);
    let end = doc.tokens_in(&(f.cue.start..last.end)).end;
    lexicon.anonymity_cues.iter().any(|phrase| {
        let n = phrase.len();
        end >= n && end - n <= cue.start && doc.matches_at(end - n, phrase, end)
    })
}

/// The subject of the cue's verb in the parse, without its relative clause or appositions,
/// when it comes before the cue.
fn subject_of_cue(doc: &Doc<'_>, f: &Found) -> Option<Range<usize>> {
    let cue = doc.tokens_in(&f.cue);
    let head = doc.head_within(&cue)?;
    let subject = *doc
        .children(head)
        .iter()
        .find(|&&c| doc.deprel(c) == "nsubj")?;
    if doc.lower(subject) == "it" {
        return None;
    }
    let (mut start, mut end) = (subject, subject + 1);
    let mut stack = vec![subject];
    while let Some(t) = stack.pop() {
        for &c in doc.children(t) {
            if matches!(doc.deprel(c), "acl:relcl" | "appos" | "punct" | "parataxis") {
                continue;
            }
            start = start.min(c);
            end = end.max(c + 1);
            stack.push(c);
        }
    }
    let span = doc.span(start).start..doc.span(end - 1).end;
    let content_start = f.content.first().map_or(usize::MAX, |r| r.start);
    (span.end <= f.cue.start && span.end <= content_start).then_some(span)
}

/// Rule 8: the noun phrase of a source span, when the span holds more (with the reason);
/// `Some((None, _))` when nothing of a phrase is left.
fn noun_phrase_of(doc: &Doc<'_>, source: &Range<usize>) -> Option<(Option<Range<usize>>, String)> {
    let tokens = doc.tokens_in(source);
    let (mut start, mut end) = (tokens.start, tokens.end);
    while start < end && doc.upos(start) == "PUNCT" {
        start += 1;
    }
    while end > start && doc.upos(end - 1) == "PUNCT" {
        end -= 1;
    }
    let mut why = Vec::new();
    if (start, end) != (tokens.start, tokens.end) {
        why.push("punctuation at its edges left out");
    }
    if let Some(head) = doc.head_within(&(start..end)) {
        if matches!(doc.upos(head), "VERB" | "AUX") {
            // A clause: its subject is the source.
            let subject = doc.children(head).iter().copied().find(|&c| {
                (start..end).contains(&c) && matches!(doc.deprel(c), "nsubj" | "nsubj:pass")
            });
            if let Some(subject) = subject {
                let (a, b) = subtree_within(doc, subject, start..end);
                (start, end) = (a, b);
                why.push("the source is the subject of the clause it was given as");
            }
        } else if let Some(comma) = (start + 1..end).find(|&t| {
            doc.word(t) == ","
                && t + 1 < end
                && doc.upos(t + 1) == "VERB"
                && doc
                    .analysis
                    .word(t + 1)
                    .is_some_and(|w| matches!(w.xpos, "VBG" | "VBN"))
                && doc.head(t + 1) == Some(head)
        }) {
            end = comma;
            why.push("a participle set off by a comma left out");
        }
    }
    if why.is_empty() {
        return None;
    }
    let why = format!("source: {}", why.join("; "));
    if start >= end {
        return Some((None, why));
    }
    Some((Some(doc.span(start).start..doc.span(end - 1).end), why))
}

/// The tokens below `top` (itself included) that lie in `within`, as one range from the first
/// to the last of them.
fn subtree_within(doc: &Doc<'_>, top: usize, within: Range<usize>) -> (usize, usize) {
    let (mut start, mut end) = (top, top + 1);
    let mut stack = vec![top];
    while let Some(t) = stack.pop() {
        for &c in doc.children(t) {
            if within.contains(&c) {
                start = start.min(c);
                end = end.max(c + 1);
                stack.push(c);
            }
        }
    }
    (start, end)
}
