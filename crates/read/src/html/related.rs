//! Headlines of the related-story lists on a page.
//!
//! Two signals, the first shared with the text cleaner:
//!
//! - **A heading.** A block whose text is a related-list heading by the cleaner's rules
//!   (`data/cleaner/related_headings.txt`: "Read more:", "Related stories", "More from ...")
//!   starts a list; the link-text blocks after it are its headlines, up to the next block of
//!   prose or heading. An inline "Read more: <a>headline</a>" block gives its link.
//! - **A name.** Inside the article's container, an element named like a related list
//!   (`[related]` in `data/html/boilerplate_hints.txt`) gives the link texts inside it.
//!
//! Only link texts of at least [`MIN_HEADLINE_WORDS`] words count: menu entries ("World",
//! "Sport") are not headlines.

use super::content::{Analysis, Block, BlockKind};
use super::dom::{Dom, NONE};
use super::hints::Hint;
use crate::clean::related_heading_line;

/// A link text needs this many words to be a headline.
const MIN_HEADLINE_WORDS: usize = 4;
/// At most this many headlines are kept from one page.
const MAX_HEADLINES: usize = 30;
/// A block with more non-link characters than this ends a related list.
const MAX_LIST_PROSE_CHARS: usize = 80;

fn is_headline(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (MIN_HEADLINE_WORDS..=40).contains(&words)
}

/// Whether a block is inside an element named like a related list, itself inside `container`.
fn in_related_list(dom: &Dom, analysis: &Analysis, block: &Block, container: u32) -> bool {
    let mut at = block.owner;
    while at != NONE && at != container {
        if analysis.hints[at as usize] == Hint::Related {
            return true;
        }
        at = dom.parent(at);
    }
    false
}

/// The related headlines of a page, in page order, without duplicates.
pub(crate) fn related_headlines(dom: &Dom, analysis: &Analysis, container: u32) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |text: &str, out: &mut Vec<String>| {
        if out.len() < MAX_HEADLINES && is_headline(text) && !out.iter().any(|h| h == text) {
            out.push(text.to_string());
        }
    };
    let mut in_list = false;
    for block in &analysis.blocks {
        let heading = if block.chars <= 200 {
            related_heading_line(&block.text)
        } else {
            None
        };
        match heading {
            Some(None) => {
                in_list = true;
                continue;
            }
            Some(Some(_)) => {
                // "Read more: <a>headline</a>": the link is the headline.
                for link in block.link_texts() {
                    push(link, &mut out);
                }
                continue;
            }
            None => {}
        }
        let linked = block.link_density() > 0.5;
        if in_list {
            if linked {
                for link in block.link_texts() {
                    push(link, &mut out);
                }
                continue;
            }
            let prose = block.chars - block.link_chars > MAX_LIST_PROSE_CHARS;
            if prose || matches!(block.kind, BlockKind::Heading(_)) {
                in_list = false;
            }
        }
        if linked
            && dom.is_within(block.owner, container)
            && in_related_list(dom, analysis, block, container)
        {
            for link in block.link_texts() {
                push(link, &mut out);
            }
        }
    }
    out
}
