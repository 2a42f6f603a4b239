//! The main text of a page: which container holds the article, and which of its blocks are
//! article text.
//!
//! Three steps:
//!
//! 1. **Blocks.** The page is cut into blocks the way a browser lays it out: every block-level
//!    element (`<p>`, `<div>`, `<li>`, headings, table cells, ...) starts a new block, a
//!    double `<br>` too; inline elements (`<a>`, `<span>`, `<b>`) stay inside the block
//!    around them. A block remembers its text, how much of it is link text, and its *owner*,
//!    the innermost block-level element around it. Scripts, styles, forms' controls, hidden
//!    elements, media and inline furniture (a share button or a pop-up card inside a
//!    paragraph) are skipped. A table row whose cells are short and hold no blocks is one
//!    block (a data table row reads as a line); other cells are blocks of their own (a layout
//!    table). Text of scripts written without spaces counts double, so a Japanese paragraph
//!    weighs what its English translation would.
//! 2. **The container.** Each block gets a value: its plain characters, minus a fixed cost
//!    per block, minus a multiple of the link characters by which links outweigh plain text.
//!    Article paragraphs are long and links in a sentence cost nothing, so they are worth a
//!    lot; menus, link lists, share rows and one-line furniture are worth less than nothing.
//!    An element's score is the sum of the values of the blocks inside it, except that a
//!    block inside *furniture* nested in the element (an element named like boilerplate in
//!    `data/html/boilerplate_hints.txt`, or a `<nav>`, `<aside>`, `<footer>`, `<form>`,
//!    `<figure>`) counts against it whatever its value: a long comment thread must not pull
//!    the container out to the page. The element with the best score, weighted by what its
//!    own names say (`article-body` is a strong hint, an `<article>` tag a lesser one, being
//!    inside furniture a strong penalty), is the container. This is a maximum-sum subtree
//!    search, in the spirit of maximum subsequence segmentation: no threshold decides alone,
//!    and articles split into several sibling `<div>`s by ads are found whole. Two
//!    corrections follow: a container holding several `<article>`s side by side narrows to
//!    the one with the page's `<h1>`, and siblings of the container that score a good share
//!    of its score (a standfirst in its own `<div>`) join it.
//! 3. **The text.** The blocks of the container (and joined siblings), minus those inside
//!    nested furniture and those that are mostly link text, in document order, one
//!    paragraph each. Deciding what the remaining short lines are (a promo, a caption, a
//!    "Read more:" heading) is left to the text cleaner, which applies the same rules to text
//!    and HTML input.

use super::dom::{AttrName, Dom, NONE, NodeKind, Tag, is_unreadable, push_space};
use super::hints::{Hint, HintCache};
use crate::clean::is_unspaced_script;

/// Each block costs this much: a one-line block adds nothing unless it is longer than this.
const BLOCK_COST: f64 = 25.0;
/// Each character by which a block's link text outweighs its plain text costs this much.
const LINK_WEIGHT: f64 = 1.5;
/// A block with more than this share of link text is not article text.
const MAX_LINK_DENSITY: f64 = 0.6;
/// A table row reads as one line when every cell holds no block and at most this much text.
const MAX_INLINE_CELL_BYTES: usize = 300;

/// A sibling of the container continues the article when its score is at least this share
/// of the container's, and at least [`MIN_SIBLING_SCORE`].
const SIBLING_SHARE: f64 = 0.2;
const MIN_SIBLING_SCORE: f64 = 50.0;

/// Weights of a candidate container by its own names and tag.
const STRONG_HINT_WEIGHT: f64 = 1.3;
const WEAK_HINT_WEIGHT: f64 = 1.05;
const ARTICLE_TAG_WEIGHT: f64 = 1.15;
const MAIN_TAG_WEIGHT: f64 = 1.05;
const FURNITURE_WEIGHT: f64 = 0.2;

/// What kind of element a block's text sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Paragraph,
    Heading(u8),
    ListItem,
    /// A data table row, cells separated by spaces.
    Row,
    Quote,
    Other,
}

/// A run of text that a browser would lay out as one block.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub text: String,
    /// Size of the text in Latin-script characters (see [`text_size`]), and how much of it
    /// is inside links.
    pub chars: usize,
    pub link_chars: usize,
    /// The innermost block-level element around the text.
    pub owner: u32,
    pub kind: BlockKind,
    /// Byte ranges of the text that are link texts.
    pub links: Vec<(usize, usize)>,
}

impl Block {
    /// The texts of the links in the block, trimmed, empty ones skipped.
    pub(crate) fn link_texts(&self) -> impl Iterator<Item = &str> {
        self.links
            .iter()
            .map(|&(start, end)| self.text[start..end].trim())
            .filter(|t| !t.is_empty())
    }

    pub(crate) fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }

    /// What the block adds to a container: its plain characters less a fixed cost, and
    /// less a multiple of the link characters by which links outweigh plain text. Links in
    /// a sentence cost nothing; a block that is mostly a link (a menu entry, a teaser
    /// headline) costs more the longer it is.
    fn value(&self) -> f64 {
        let plain = (self.chars - self.link_chars) as f64;
        let excess_links = (self.link_chars as f64 - plain).max(0.0);
        plain - LINK_WEIGHT * excess_links - BLOCK_COST
    }
}

/// The size of a word in Latin-script characters: a character of a script written without
/// spaces (Chinese, Japanese, Thai) carries about as much as two Latin ones, so a Japanese
/// paragraph is not mistaken for a one-liner.
fn text_size(word: &str) -> usize {
    word.chars()
        .map(|c| if is_unspaced_script(c) { 2 } else { 1 })
        .sum()
}

/// Elements that start a new block: every element that closes an open `<p>` (the parser's
/// list of block-level elements, [`Tag::closes_paragraph`]), and the document's roots and
/// table parts, which close no paragraph but are laid out as blocks too.
fn is_block(tag: Tag) -> bool {
    tag.closes_paragraph()
        || matches!(
            tag,
            Tag::Body
                | Tag::Caption
                | Tag::Frameset
                | Tag::Html
                | Tag::Legend
                | Tag::Tbody
                | Tag::Td
                | Tag::Tfoot
                | Tag::Th
                | Tag::Thead
                | Tag::Tr
        )
}

/// Elements that are page furniture by their tag.
fn is_furniture_tag(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Nav
            | Tag::Aside
            | Tag::Footer
            | Tag::Form
            | Tag::Figure
            | Tag::Figcaption
            | Tag::Menu
            | Tag::Dialog
            | Tag::Label
            | Tag::Legend
            | Tag::Header
    )
}

/// Whether an element is hidden from readers by its attributes.
fn is_hidden(dom: &Dom, id: u32) -> bool {
    if dom.attr(id, AttrName::Hidden).is_some() {
        return true;
    }
    if dom
        .attr(id, AttrName::AriaHidden)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    dom.attr(id, AttrName::Style).is_some_and(|style| {
        style.split(';').any(|declaration| {
            let Some((property, value)) = declaration.split_once(':') else {
                return false;
            };
            let (property, value) = (property.trim(), value.trim());
            (property.eq_ignore_ascii_case("display") && value.eq_ignore_ascii_case("none"))
                || (property.eq_ignore_ascii_case("visibility")
                    && value.eq_ignore_ascii_case("hidden"))
        })
    })
}

/// What the page analysis knows about every element.
pub(crate) struct Analysis {
    pub blocks: Vec<Block>,
    /// Per node: whether the element is furniture (by tag or name).
    pub furniture: Vec<bool>,
    /// Per node: the hint of the element's class and id.
    pub hints: Vec<Hint>,
    /// Per node: whether the element is furniture or inside furniture.
    pub within_furniture: Vec<bool>,
}

/// The run of text being collected into a block.
#[derive(Default)]
struct Run {
    text: String,
    chars: usize,
    link_chars: usize,
    /// Whitespace was seen since the last word.
    space: bool,
    /// `<br>`s since the last word.
    breaks: u8,
    /// Where the open link's text starts, if a link is open.
    link_start: Option<usize>,
    links: Vec<(usize, usize)>,
}

struct Segmenter<'a> {
    dom: &'a Dom,
    blocks: Vec<Block>,
    run: Run,
    /// Innermost block-level elements, innermost last.
    owners: Vec<u32>,
    link_depth: usize,
    /// Per table row: whether it reads as one line.
    inline_rows: Vec<bool>,
}

impl Segmenter<'_> {
    fn flush(&mut self) {
        let mut run = std::mem::take(&mut self.run);
        if let Some(start) = run.link_start {
            // A block inside a link (a teaser card): the link goes on in the next block.
            self.run.link_start = Some(0);
            if run.text.len() > start {
                run.links.push((start, run.text.len()));
            }
        }
        if run.chars == 0 {
            return;
        }
        let owner = *self.owners.last().unwrap_or(&0);
        let kind = match self.dom.tag(owner) {
            Some(Tag::P) => BlockKind::Paragraph,
            Some(Tag::Heading(n)) => BlockKind::Heading(n),
            Some(Tag::Li | Tag::Dd | Tag::Dt) => BlockKind::ListItem,
            Some(Tag::Tr) => BlockKind::Row,
            Some(Tag::Blockquote) => BlockKind::Quote,
            _ => BlockKind::Other,
        };
        self.blocks.push(Block {
            text: run.text,
            chars: run.chars,
            link_chars: run.link_chars,
            owner,
            kind,
            links: run.links,
        });
    }

    fn text(&mut self, text: &str) {
        let in_link = self.link_depth > 0;
        let mut words = text.split(char::is_whitespace).peekable();
        if text.starts_with(char::is_whitespace) {
            self.run.space = true;
        }
        while let Some(word) = words.next() {
            if word.is_empty() {
                if words.peek().is_some() {
                    self.run.space = true;
                }
                continue;
            }
            if !self.run.text.is_empty() {
                if self.run.breaks > 0 {
                    self.run.text.push('\n');
                    self.run.chars += 1;
                } else if self.run.space {
                    self.run.text.push(' ');
                    self.run.chars += 1;
                }
            }
            self.run.breaks = 0;
            self.run.space = false;
            let n = text_size(word);
            self.run.text.push_str(word);
            self.run.chars += n;
            if in_link {
                self.run.link_chars += n;
            }
            if words.peek().is_some() {
                self.run.space = true;
            }
        }
        if text.ends_with(char::is_whitespace) {
            self.run.space = true;
        }
    }

    fn line_break(&mut self) {
        if self.run.chars == 0 {
            return;
        }
        if self.run.breaks >= 1 {
            // Two <br>s in a row separate paragraphs.
            self.flush();
        } else {
            self.run.breaks += 1;
        }
    }

    /// Whether a table cell is read inline, as part of its row's line.
    fn inline_cell(&self, id: u32) -> bool {
        let parent = self.dom.parent(id);
        self.dom.tag(parent) == Some(Tag::Tr) && self.inline_rows[parent as usize]
    }

    fn enter(&mut self, id: u32, tag: Tag) {
        match tag {
            Tag::Td | Tag::Th if self.inline_cell(id) => {
                let text = &mut self.run.text;
                push_space(text);
                self.run.space = false;
            }
            Tag::A => {
                if self.link_depth == 0 {
                    self.run.link_start = Some(self.run.text.len());
                }
                self.link_depth += 1;
            }
            _ if is_block(tag) => {
                self.flush();
                self.owners.push(id);
            }
            _ => {}
        }
    }

    fn exit(&mut self, id: u32, tag: Tag) {
        match tag {
            Tag::Td | Tag::Th if self.inline_cell(id) => self.run.space = true,
            Tag::A => {
                self.link_depth = self.link_depth.saturating_sub(1);
                if self.link_depth == 0
                    && let Some(start) = self.run.link_start.take()
                    && self.run.text.len() > start
                {
                    self.run.links.push((start, self.run.text.len()));
                }
            }
            _ if is_block(tag) => {
                self.flush();
                self.owners.pop();
            }
            _ => {}
        }
    }
}

/// Per table row: whether its cells are short and hold no blocks.
fn inline_rows(dom: &Dom) -> Vec<bool> {
    let n = dom.nodes.len();
    // Bottom-up over the arena (children come after parents): text bytes and whether a
    // block-level element is inside.
    let mut text_bytes = vec![0usize; n];
    let mut has_block = vec![false; n];
    for id in (0..n).rev() {
        let node = &dom.nodes[id];
        if let NodeKind::Text { start, end } = node.kind {
            text_bytes[id] = (end - start) as usize;
        }
        if node.parent != NONE {
            let p = node.parent as usize;
            text_bytes[p] += text_bytes[id];
            let block_here = match node.kind {
                NodeKind::Element { tag, .. } => is_block(tag) && !matches!(tag, Tag::Td | Tag::Th),
                _ => false,
            };
            has_block[p] |= has_block[id] || block_here;
        }
    }
    let mut rows = vec![false; n];
    for id in dom.elements(Tag::Tr) {
        let mut any = false;
        let all_short = dom.children(id).all(|c| match dom.tag(c) {
            Some(Tag::Td | Tag::Th) => {
                any = true;
                !has_block[c as usize] && text_bytes[c as usize] <= MAX_INLINE_CELL_BYTES
            }
            _ => true,
        });
        rows[id as usize] = any && all_short;
    }
    rows
}

/// Cuts the page into blocks and classifies every element (step 1).
pub(crate) fn analyse(dom: &Dom) -> Analysis {
    let n = dom.nodes.len();
    let mut seg = Segmenter {
        dom,
        blocks: Vec::new(),
        run: Run::default(),
        owners: vec![0],
        link_depth: 0,
        inline_rows: inline_rows(dom),
    };
    let mut cache = HintCache::default();
    let mut hints = vec![Hint::None; n];
    let mut furniture = vec![false; n];
    let mut within_furniture = vec![false; n];
    // Open elements as (last descendant, id, tag): a walk without recursion.
    let mut open: Vec<(u32, u32, Tag)> = Vec::new();
    let mut i: u32 = 1;
    while (i as usize) < n {
        while let Some(&(end, id, tag)) = open.last() {
            if end >= i {
                break;
            }
            open.pop();
            seg.exit(id, tag);
        }
        let node = &dom.nodes[i as usize];
        match node.kind {
            NodeKind::Text { start, end } => {
                seg.text(&dom.text[start as usize..end as usize]);
            }
            NodeKind::Element { tag, .. } => {
                if is_unreadable(tag) || is_hidden(dom, i) {
                    i = node.end + 1;
                    continue;
                }
                // The names on <html> and <body> describe the whole page ("single-post
                // has-sidebar"), not a part of it.
                let hint = if matches!(tag, Tag::Html | Tag::Body) {
                    Hint::None
                } else {
                    cache.hint(dom.attr(i, AttrName::Class), dom.attr(i, AttrName::Id))
                };
                hints[i as usize] = hint;
                if hint.is_boilerplate() && !is_block(tag) && tag != Tag::A {
                    // Furniture inside a paragraph (a share button, a pop-up card, a
                    // screen-reader label) is never text of the paragraph.
                    i = node.end + 1;
                    continue;
                }
                furniture[i as usize] = hint.is_boilerplate() || is_furniture_tag(tag);
                let parent = node.parent;
                within_furniture[i as usize] =
                    furniture[i as usize] || (parent != NONE && within_furniture[parent as usize]);
                match tag {
                    Tag::Br => seg.line_break(),
                    Tag::Hr => seg.flush(),
                    _ if tag.is_void() => {}
                    _ => {
                        seg.enter(i, tag);
                        open.push((node.end, i, tag));
                    }
                }
            }
            NodeKind::Root => {}
        }
        i += 1;
    }
    while let Some((_, id, tag)) = open.pop() {
        seg.exit(id, tag);
    }
    seg.flush();
    Analysis {
        blocks: seg.blocks,
        furniture,
        hints,
        within_furniture,
    }
}

/// The weight of a candidate container by its own names and tag.
fn container_weight(dom: &Dom, analysis: &Analysis, id: u32) -> f64 {
    let strong_itemprop = dom.attr(id, AttrName::Itemprop).is_some_and(|v| {
        v.split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("articleBody"))
    });
    let mut weight = match analysis.hints[id as usize] {
        _ if strong_itemprop => STRONG_HINT_WEIGHT,
        Hint::StrongContent => STRONG_HINT_WEIGHT,
        Hint::WeakContent => WEAK_HINT_WEIGHT,
        Hint::Boilerplate | Hint::Related => FURNITURE_WEIGHT,
        Hint::None => 1.0,
    };
    match dom.tag(id) {
        Some(Tag::Article) => weight *= ARTICLE_TAG_WEIGHT,
        Some(Tag::Main) => weight *= MAIN_TAG_WEIGHT,
        _ => {}
    }
    // A container inside furniture (one comment of a thread, a sidebar box) is no article.
    if analysis.within_furniture[id as usize] {
        weight = weight.min(FURNITURE_WEIGHT);
    }
    weight
}

/// Each element's score: the values of the blocks inside it, a block inside furniture nested
/// in the element counting against it.
fn scores(dom: &Dom, analysis: &Analysis) -> Vec<f64> {
    let mut score = vec![0.0f64; dom.nodes.len()];
    for block in &analysis.blocks {
        let value = block.value();
        let mut inside_furniture = false;
        let mut at = block.owner;
        while at != NONE {
            score[at as usize] += if inside_furniture {
                -value.abs()
            } else {
                value
            };
            if analysis.furniture[at as usize] {
                inside_furniture = true;
            }
            at = dom.parent(at);
        }
    }
    score
}

/// Where the article is: the container, and siblings of it that continue it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located {
    pub container: u32,
    /// Siblings of the container holding more of the article (a standfirst in its own
    /// `<div>` before the body), in document order.
    pub siblings: Vec<u32>,
}

impl Located {
    /// The container, then its siblings: the roots of the article's blocks.
    fn roots(&self) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(self.container).chain(self.siblings.iter().copied())
    }
}

/// The element holding the article (step 2); the root when the page has no text.
pub(crate) fn find_container(dom: &Dom, analysis: &Analysis) -> Located {
    let n = dom.nodes.len();
    let score = scores(dom, analysis);
    let mut best = 0u32;
    let mut best_score = 0.0;
    for id in 1..n as u32 {
        if score[id as usize] <= 0.0 || dom.tag(id).is_none() {
            continue;
        }
        let weighted = score[id as usize] * container_weight(dom, analysis, id);
        if weighted > best_score {
            best_score = weighted;
            best = id;
        }
    }
    let container = headline_article(dom, best, &score).unwrap_or(best);
    Located {
        container,
        siblings: continuing_siblings(dom, analysis, container, &score),
    }
}

/// Siblings of the container that hold a good share of text themselves: the weighting by
/// names can pick an `article-body` whose standfirst sits in the `<div>` beside it.
fn continuing_siblings(dom: &Dom, analysis: &Analysis, container: u32, score: &[f64]) -> Vec<u32> {
    let parent = dom.parent(container);
    if container == 0 || parent == NONE || parent == 0 {
        return Vec::new();
    }
    let threshold = score[container as usize] * SIBLING_SHARE;
    dom.children(parent)
        // Another <article> beside the article is another story.
        .filter(|&s| s != container && dom.tag(s).is_some_and(|t| t != Tag::Article))
        .filter(|&s| !analysis.within_furniture[s as usize])
        .filter(|&s| score[s as usize] > threshold.max(MIN_SIBLING_SCORE))
        .collect()
}

/// When the container holds several `<article>`s side by side (a blog page showing the post
/// and then teasers of others in full), the article is the one with the page's `<h1>`.
fn headline_article(dom: &Dom, container: u32, score: &[f64]) -> Option<u32> {
    let mut articles = Vec::new();
    let end = dom.nodes[container as usize].end;
    let mut id = container + 1;
    while id <= end {
        if dom.tag(id) == Some(Tag::Article) {
            articles.push(id);
            // Nested articles (comments are articles too) belong to this one.
            id = dom.nodes[id as usize].end;
        }
        id += 1;
    }
    if articles.len() < 2 {
        return None;
    }
    let mut with_h1 = articles.iter().copied().filter(|&a| {
        (a + 1..=dom.nodes[a as usize].end).any(|d| dom.tag(d) == Some(Tag::Heading(1)))
    });
    let chosen = with_h1.next()?;
    (with_h1.next().is_none() && score[chosen as usize] > 0.0).then_some(chosen)
}

/// Whether a block inside `root` sits in furniture nested in it.
pub(crate) fn in_nested_furniture(
    dom: &Dom,
    analysis: &Analysis,
    block: &Block,
    root: u32,
) -> bool {
    let mut at = block.owner;
    while at != NONE && at != root {
        if analysis.furniture[at as usize] {
            return true;
        }
        at = dom.parent(at);
    }
    false
}

/// The article's blocks (step 3), in document order.
pub(crate) fn article_blocks<'a>(
    dom: &Dom,
    analysis: &'a Analysis,
    located: &Located,
) -> Vec<&'a Block> {
    analysis
        .blocks
        .iter()
        .filter(|b| {
            located.roots().any(|root| {
                dom.is_within(b.owner, root) && !in_nested_furniture(dom, analysis, b, root)
            })
        })
        .filter(|b| b.link_density() <= MAX_LINK_DENSITY)
        .collect()
}
