//! Feature extraction: per-word values computed once per sentence ([`TokenInfo`]), name
//! chunks, document history, and the feature templates of both stages.

use std::collections::HashMap;

use super::stats::WordStats;
use crate::chars::shape;
use crate::gazetteer::{Category, PhraseIndex, PhraseMatch, fold_word, word_key};
use crate::model_io::hash_str;
use crate::perceptron::FeatureSet;

/// Capitalisation classes.
const CAP_LOWER: u64 = 0;
const CAP_INITIAL: u64 = 1;
const CAP_ALL: u64 = 2;
const CAP_MIXED: u64 = 3;
const CAP_NONE: u64 = 4;

/// The decision hash before the first word, and (stacked) outside the sentence.
pub(super) const NO_CLASS: u64 = 0x4e4f_434c;

/// Gazetteer match positions.
const POS_BEGIN: usize = 0;
const POS_INSIDE: usize = 1;
const POS_END: usize = 2;
const POS_SINGLE: usize = 3;

/// Per-word values the templates combine, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct TokenInfo {
    form: u64,
    lower: u64,
    prefix: [u64; 3],
    suffix: [u64; 4],
    shape: u64,
    cap: u64,
    /// Categories (bit masks) by position in the longest listed name covering the word.
    gaz: [u32; 4],
    stats: u16,
    upos: u64,
    first: bool,
    /// The capitalised run ("name chunk") the word belongs to, if any: see [`name_chunks`].
    chunk: Chunk,
    /// What earlier sentences of the document made of this word (see [`DocHistory`]).
    pub(super) hist: u8,
}

/// Entity types predicted so far for each word of a document ("extended prediction
/// history", Ratinov & Roth 2009): a name tagged ORG in one sentence is likely ORG when it
/// comes back in a context that says less. Reset it between documents.
#[derive(Debug, Clone, Default)]
pub struct DocHistory {
    /// Word key → counts of `O` and of each [`EntityLabel`] (in `ALL` order).
    seen: HashMap<u64, [u16; 6]>,
}

impl DocHistory {
    pub fn new() -> DocHistory {
        DocHistory::default()
    }

    /// Forgets everything (call at the start of each document).
    pub fn clear(&mut self) {
        self.seen.clear();
    }

    /// 0 = unseen; 1 = only ever outside entities; else 2 + the majority type, plus 8 when
    /// the word was also seen outside entities.
    pub(super) fn hint(&self, key: u64) -> u8 {
        let Some(c) = self.seen.get(&key) else {
            return 0;
        };
        let (best, &n) = c[1..]
            .iter()
            .enumerate()
            .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))
            .unwrap();
        if n == 0 {
            1
        } else {
            2 + best as u8 + if c[0] > 0 { 8 } else { 0 }
        }
    }

    pub(super) fn record(
        &mut self,
        keys: &[u64],
        info: &[TokenInfo],
        types: impl Iterator<Item = usize>,
    ) {
        for ((&k, t), ty) in keys.iter().zip(info).zip(types) {
            if t.cap == CAP_NONE {
                continue;
            }
            let c = self.seen.entry(k).or_default();
            c[ty] = c[ty].saturating_add(1);
        }
    }
}

/// A maximal run of capitalised words, joined across lower-case connectors ("Housing
/// Authority of New Orleans"): the candidate name a word sits in, seen as a whole so that the
/// left-to-right decoder knows at the first word how the name ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Chunk {
    /// 0 = not in a chunk; else 1 + position (begin, inside, end, single).
    pos: u8,
    /// Length bucket (1, 2, 3, 4+).
    len: u8,
    /// `CHUNK_*` flags.
    flags: u16,
    /// Lists that name the whole chunk exactly.
    gaz: u32,
    /// Lower-case first and last words of the chunk.
    first_word: u64,
    last_word: u64,
    /// Word range of the chunk in the sentence.
    start: u16,
    end: u16,
}

const CHUNK_LAST_ORG_KEYWORD: u16 = 1;
const CHUNK_ORG_KEYWORD: u16 = 2;
const CHUNK_LAST_LOC_KEYWORD: u16 = 4;
const CHUNK_TITLE_FIRST: u16 = 8;
const CHUNK_GIVEN_FIRST: u16 = 16;
const CHUNK_SURNAME_LAST: u16 = 32;
const CHUNK_PLACE_INSIDE: u16 = 64;
const CHUNK_ALL_CAPS: u16 = 128;
const CHUNK_SENTENCE_START: u16 = 256;
const CHUNK_CONNECTOR: u16 = 512;

/// A padding word before the start or after the end of a sentence: markers no real word
/// has, in every field the templates read.
const fn pad(
    word: u64,
    short: u64,
    prefix: [u64; 3],
    suffix: [u64; 4],
    class: u8,
    stats: u16,
) -> TokenInfo {
    TokenInfo {
        form: word,
        lower: word,
        prefix,
        suffix,
        shape: short,
        cap: class as u64,
        gaz: [0; 4],
        stats,
        upos: short,
        first: false,
        chunk: Chunk {
            pos: class,
            len: 0,
            flags: 0,
            gaz: 0,
            first_word: 0,
            last_word: 0,
            start: 0,
            end: 0,
        },
        hist: 0,
    }
}

const PAD_START: TokenInfo = pad(0x0053_5441_5254, 0x5354, [1, 2, 3], [1, 2, 3, 4], 9, 0xfff0);
const PAD_END: TokenInfo = pad(0x0045_4e44, 0x454e, [5, 6, 7], [5, 6, 7, 8], 10, 0xfff1);

fn cap_class(word: &str) -> u64 {
    let mut letters = 0;
    let mut upper = 0;
    let mut first_upper = false;
    for (i, c) in word.chars().enumerate() {
        if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
                if i == 0 {
                    first_upper = true;
                }
            }
        }
    }
    if letters == 0 {
        CAP_NONE
    } else if upper == 0 {
        CAP_LOWER
    } else if upper == letters && letters > 1 {
        CAP_ALL
    } else if first_upper && upper == 1 {
        CAP_INITIAL
    } else {
        CAP_MIXED
    }
}

/// Scratch buffers for one sentence.
#[derive(Debug, Default)]
pub struct NerWorkspace {
    pub(super) info: Vec<TokenInfo>,
    pub(super) keys: Vec<u64>,
    pub(super) matches: Vec<PhraseMatch>,
    assigned: Vec<u32>,
    pub(super) feats: FeatureSet,
    pub(super) scores: Vec<i32>,
    pub(super) classes: Vec<u8>,
    pub(super) stack: Vec<u64>,
    pub(super) word_keys: Vec<u32>,
    pub(super) word_offsets: Vec<usize>,
    folded: String,
    buf: String,
}

pub(super) fn token_infos(
    words: &[&str],
    upos: Option<&[&str]>,
    phrases: &PhraseIndex,
    stats: &WordStats,
    ws: &mut NerWorkspace,
) {
    ws.info.clear();
    ws.keys.clear();
    for (i, w) in words.iter().enumerate() {
        fold_word(w, &mut ws.folded);
        let lower = word_key(&ws.folded);
        ws.keys.push(lower);
        let mut prefix = [0u64; 3];
        let mut suffix = [0u64; 4];
        let chars = ws.folded.chars().count();
        for k in 1..=4usize {
            let n = k.min(chars);
            if k <= 3 {
                let end = ws
                    .folded
                    .char_indices()
                    .nth(n)
                    .map_or(ws.folded.len(), |(b, _)| b);
                prefix[k - 1] = hash_str(&ws.folded[..end]) ^ k as u64;
            }
            let start = ws
                .folded
                .char_indices()
                .nth(chars - n)
                .map_or(ws.folded.len(), |(b, _)| b);
            suffix[k - 1] = hash_str(&ws.folded[start..]) ^ ((k as u64) << 8);
        }
        shape(w, &mut ws.buf);
        ws.info.push(TokenInfo {
            form: hash_str(w),
            lower,
            prefix,
            suffix,
            shape: hash_str(&ws.buf),
            cap: cap_class(w),
            gaz: [0; 4],
            stats: stats.get(&ws.folded),
            upos: upos.and_then(|u| u.get(i)).map_or(0, |u| hash_str(u)),
            first: i == 0,
            chunk: Chunk::default(),
            hist: 0,
        });
    }
    // Longest listed name per category covering each word.
    phrases.find_all(&ws.keys, &mut ws.matches);
    ws.matches
        .sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start));
    ws.assigned.clear();
    ws.assigned.resize(words.len(), 0);
    for m in &ws.matches {
        for t in m.start..m.end {
            let new = m.categories & !ws.assigned[t];
            if new == 0 {
                continue;
            }
            ws.assigned[t] |= new;
            let pos = if m.end - m.start == 1 {
                POS_SINGLE
            } else if t == m.start {
                POS_BEGIN
            } else if t + 1 == m.end {
                POS_END
            } else {
                POS_INSIDE
            };
            ws.info[t].gaz[pos] |= new;
        }
    }
    name_chunks(words, phrases, ws);
}

fn is_connector(folded_key: u64) -> bool {
    static CONNECTORS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
        [
            "of", "and", "for", "the", "de", "del", "la", "von", "van", "&", "on", "upon",
        ]
        .iter()
        .map(|w| word_key(w))
        .collect()
    });
    CONNECTORS.contains(&folded_key)
}

/// Fills `TokenInfo::chunk` (see [`Chunk`]).
fn name_chunks(words: &[&str], phrases: &PhraseIndex, ws: &mut NerWorkspace) {
    let n = words.len();
    let capital =
        |i: usize, info: &[TokenInfo]| matches!(info[i].cap, CAP_INITIAL | CAP_ALL | CAP_MIXED);
    let mut i = 0;
    while i < n {
        if !capital(i, &ws.info) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        let mut connector = false;
        loop {
            if end < n && capital(end, &ws.info) {
                end += 1;
            } else if end + 1 < n && is_connector(ws.keys[end]) && capital(end + 1, &ws.info) {
                end += 2;
                connector = true;
            } else {
                break;
            }
        }
        // Whether word `t` is covered by a name of the lists in `mask`.
        let listed = |mask: u32, t: usize| ws.assigned[t] & mask != 0;
        let org = Category::OrgKeyword.bit();
        let mut flags = 0;
        if listed(org, end - 1) {
            flags |= CHUNK_LAST_ORG_KEYWORD;
        }
        if (start..end).any(|t| listed(org, t)) {
            flags |= CHUNK_ORG_KEYWORD;
        }
        if listed(Category::LocKeyword.bit(), end - 1) {
            flags |= CHUNK_LAST_LOC_KEYWORD;
        }
        if listed(Category::PersonTitle.bit(), start) {
            flags |= CHUNK_TITLE_FIRST;
        }
        if listed(Category::GivenName.bit(), start) {
            flags |= CHUNK_GIVEN_FIRST;
        }
        if end - start > 1 && listed(Category::Surname.bit(), end - 1) {
            flags |= CHUNK_SURNAME_LAST;
        }
        let place = Category::City.bit() | Category::Country.bit() | Category::Region.bit();
        if (start..end).any(|t| listed(place, t)) {
            flags |= CHUNK_PLACE_INSIDE;
        }
        if (start..end).all(|t| ws.info[t].cap == CAP_ALL || !capital(t, &ws.info)) {
            flags |= CHUNK_ALL_CAPS;
        }
        if start == 0 {
            flags |= CHUNK_SENTENCE_START;
        }
        if connector {
            flags |= CHUNK_CONNECTOR;
        }
        let chunk = Chunk {
            pos: 0,
            len: (end - start).min(4) as u8,
            flags,
            gaz: phrases.lookup(&ws.keys[start..end]),
            first_word: ws.keys[start],
            last_word: ws.keys[end - 1],
            start: start.min(usize::from(u16::MAX)) as u16,
            end: end.min(usize::from(u16::MAX)) as u16,
        };
        for t in start..end {
            let pos = if end - start == 1 {
                POS_SINGLE
            } else if t == start {
                POS_BEGIN
            } else if t + 1 == end {
                POS_END
            } else {
                POS_INSIDE
            };
            ws.info[t].chunk = Chunk {
                pos: pos as u8 + 1,
                ..chunk
            };
        }
        i = end;
    }
}

/// Word `j` of a sentence, or a padding word before the start and after the end.
fn window<'a>(info: &'a [TokenInfo]) -> impl Fn(isize) -> &'a TokenInfo + 'a {
    move |j: isize| -> &TokenInfo {
        if j < 0 {
            &PAD_START
        } else if j as usize >= info.len() {
            &PAD_END
        } else {
            &info[j as usize]
        }
    }
}

/// Calls `f` with each set bit index of `mask`.
#[inline]
fn for_bits(mut mask: u32, mut f: impl FnMut(u64)) {
    while mask != 0 {
        f(u64::from(mask.trailing_zeros()));
        mask &= mask - 1;
    }
}

/// All features of word `i` (cleared first): [`word_features`], [`stack_features`] when
/// `stack` is given, and [`decision_features`].
pub(super) fn features(
    info: &[TokenInfo],
    i: usize,
    prev1: u64,
    prev2: u64,
    stack: Option<&[u64]>,
    f: &mut FeatureSet,
) {
    f.clear();
    word_features(info, i, f);
    if let Some(st) = stack {
        stack_features(info, i, st, f);
    }
    decision_features(info, i, prev1, prev2, stack, f);
}

/// Feature templates that depend only on the sentence (computed once per word, shared by
/// both stages). The numbers are part of the hashed keys: never reuse one.
pub(super) fn word_features(info: &[TokenInfo], i: usize, f: &mut FeatureSet) {
    let at = window(info);
    let ii = i as isize;
    let w = at(ii);
    let (p1, p2, n1, n2) = (at(ii - 1), at(ii - 2), at(ii + 1), at(ii + 2));
    let first = u64::from(w.first);
    f.add1(0, 0);
    f.add1(1, w.lower);
    f.add1(2, w.form);
    for k in 0..3 {
        f.add1(3 + k as u32, w.prefix[k]);
    }
    for k in 0..4 {
        f.add1(6 + k as u32, w.suffix[k]);
    }
    f.add1(10, w.shape);
    f.add2(11, w.cap, first);
    f.add1(12, p1.lower);
    f.add1(13, p2.lower);
    f.add1(14, n1.lower);
    f.add1(15, n2.lower);
    f.add2(16, p1.lower, w.lower);
    f.add2(17, w.lower, n1.lower);
    f.add1(18, p1.shape);
    f.add1(19, n1.shape);
    f.add2(20, p1.shape, w.shape);
    f.add2(21, w.shape, n1.shape);
    f.add3(22, p1.cap, w.cap, n1.cap);
    f.add1(29, n1.suffix[2]);
    f.add1(30, p1.suffix[2]);
    // Corpus statistics: frequency, capitalisation and PROPN rates of the word, alone and
    // with the word's own capitalisation in this sentence.
    let stats = u64::from(w.stats);
    f.add1(31, stats);
    f.add3(32, stats >> 4, w.cap, first);
    f.add2(33, (stats >> 8) & 0xf, w.cap);
    f.add2(34, u64::from(n1.stats) >> 4, n1.cap);
    f.add2(35, u64::from(p1.stats) >> 4, p1.cap);
    // Gazetteer: every category at every position, alone and with capitalisation.
    for (pos, &mask) in w.gaz.iter().enumerate() {
        for_bits(mask, |c| {
            f.add2(40, c, pos as u64);
            f.add3(41, c, pos as u64, w.cap);
        });
    }
    let any = |t: &TokenInfo| t.gaz.iter().fold(0u32, |a, &b| a | b);
    f.add1(43, u64::from(any(w)));
    for_bits(any(p1), |c| f.add2(44, c, w.cap));
    for_bits(any(n1), |c| f.add2(45, c, w.cap));
    // Context words with the word's capitalisation ("X said", "in X", "Mr. X").
    f.add2(46, p1.lower, w.cap);
    f.add2(47, n1.lower, w.cap);
    f.add3(48, p2.lower, p1.lower, w.cap);
    f.add3(49, n1.lower, n2.lower, w.cap);
    // The name chunk the word sits in.
    let c = &w.chunk;
    if c.pos != 0 {
        let pos = u64::from(c.pos);
        f.add2(60, pos, u64::from(c.len));
        f.add2(61, pos, c.last_word);
        f.add2(62, pos, c.first_word);
        f.add2(64, pos, u64::from(c.gaz));
        for_bits(u32::from(c.flags), |b| f.add2(65, pos, b));
    } else {
        f.add1(67, w.cap);
    }
    // Document history.
    if w.hist != 0 {
        let h = u64::from(w.hist);
        f.add2(70, h, w.cap);
        f.add2(71, h, u64::from(c.pos));
    }
    // Part of speech, when the sentence carries tags.
    if w.upos != 0 {
        f.add1(50, w.upos);
        f.add2(51, w.upos, n1.upos);
        f.add2(52, p1.upos, w.upos);
        f.add2(53, w.upos, w.cap);
    }
}

/// The first stage's decision (class hash) at word `j` of a sentence, padded.
fn stacked_at(st: &[u64], j: isize) -> u64 {
    if j < 0 {
        NO_CLASS
    } else {
        st.get(j as usize).copied().unwrap_or(NO_CLASS ^ 1)
    }
}

/// Stacking: what the first stage decided around word `i` and at the ends of its chunk,
/// which gives the left-to-right second stage a view of the decisions to its right.
pub(super) fn stack_features(info: &[TokenInfo], i: usize, st: &[u64], f: &mut FeatureSet) {
    let w = &info[i];
    let ii = i as isize;
    let (s0, sp, sn) = (
        stacked_at(st, ii),
        stacked_at(st, ii - 1),
        stacked_at(st, ii + 1),
    );
    f.add1(80, s0);
    f.add1(81, sp);
    f.add1(82, sn);
    f.add2(83, s0, sn);
    f.add2(84, sp, s0);
    f.add1(85, stacked_at(st, ii + 2));
    f.add1(86, stacked_at(st, ii - 2));
    f.add2(87, s0, w.cap);
    let c = &w.chunk;
    if c.pos != 0 {
        let pos = u64::from(c.pos);
        f.add2(89, stacked_at(st, c.start as isize), pos);
        f.add2(90, stacked_at(st, c.end as isize - 1), pos);
    }
}

/// Feature templates that involve the decoder's previous decisions.
pub(super) fn decision_features(
    info: &[TokenInfo],
    i: usize,
    prev1: u64,
    prev2: u64,
    stack: Option<&[u64]>,
    f: &mut FeatureSet,
) {
    let at = window(info);
    let w = at(i as isize);
    let n1 = at(i as isize + 1);
    f.add1(23, prev1);
    f.add2(24, prev2, prev1);
    f.add2(25, prev1, w.lower);
    f.add2(26, prev1, w.shape);
    f.add3(27, prev1, w.cap, u64::from(w.first));
    f.add2(28, prev1, n1.cap);
    f.add2(36, prev1, u64::from(w.stats) >> 4);
    for (pos, &mask) in w.gaz.iter().enumerate() {
        for_bits(mask, |c| f.add3(42, c, pos as u64, prev1));
    }
    let c = &w.chunk;
    if c.pos != 0 {
        let pos = u64::from(c.pos);
        f.add3(63, pos, c.last_word, prev1);
        for_bits(u32::from(c.flags), |b| f.add3(66, pos, b, prev1));
    }
    if w.hist != 0 {
        f.add2(72, u64::from(w.hist), prev1);
    }
    if let Some(st) = stack {
        let ii = i as isize;
        f.add3(88, stacked_at(st, ii), stacked_at(st, ii + 1), prev1);
    }
    if w.upos != 0 {
        f.add2(54, prev1, w.upos);
    }
}
