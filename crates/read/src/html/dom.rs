//! A compact HTML tree, built for reading, not for rendering.
//!
//! Tokens come from `html5gum`, a WHATWG-compliant tokenizer (character references, raw-text
//! elements such as `<script>`, comments, attribute quoting all as browsers do). The tree is
//! built here with a deliberately small subset of the standard's tree-construction rules,
//! the ones that decide which paragraph a piece of text belongs to:
//!
//! - void elements (`<br>`, `<img>`, `<meta>`, ...) never have children;
//! - a block start tag closes an open `<p>`; `<li>`, `<dt>`/`<dd>`, `<tr>`, `<td>`/`<th>`,
//!   `<option>` and headings close an open element of their own kind;
//! - an end tag closes the nearest open element of its name (and everything opened inside
//!   it), unless a table cell or similar boundary lies between; an end tag with nothing to
//!   close is ignored.
//!
//! Mis-nested formatting (`<b><i></b></i>`) is not repaired: for text extraction it does not
//! matter which inline element a word ends up in. The html5ever tree builder would do all of
//! this exactly, but building its reference-counted DOM costs about as much as the whole
//! extraction may (measured: 528 pages/s for parsing alone on the ScrapingHub pages, against
//! 1,300 pages/s for tokenizing with html5gum).
//!
//! Nodes live in one vector in document order, so a subtree is a contiguous range of
//! indices (`id..=end`): "is this block inside that container" is two comparisons. Only the
//! attributes extraction looks at are kept, each cut to [`MAX_ATTRIBUTE_BYTES`], and the text
//! of scripts and styles is dropped (JSON-LD excepted), so memory stays proportional to the
//! page's visible text. Nesting deeper than [`MAX_DEPTH`] is flattened, so every walk over
//! the tree can be a loop without risk.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, Tokenizer};

use super::reader::{BoundedReader, TooDeep};

/// "No node": the sentinel for a missing parent, child or sibling.
pub(crate) const NONE: u32 = u32::MAX;
/// Elements nested deeper than this are attached to their deepest allowed ancestor.
pub(crate) const MAX_DEPTH: usize = 200;
/// Attribute values are cut to this many bytes (a `data:` URL can be megabytes).
pub(crate) const MAX_ATTRIBUTE_BYTES: usize = 2048;

/// The element names extraction distinguishes; everything else is [`Tag::Other`] with a hash
/// of its name, so that `</my-widget>` still closes `<my-widget>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    A,
    Address,
    Area,
    Article,
    Aside,
    Audio,
    Base,
    Blockquote,
    Body,
    Br,
    Button,
    Canvas,
    Caption,
    Center,
    Col,
    Colgroup,
    Dd,
    Details,
    Dialog,
    Div,
    Dl,
    Dt,
    Embed,
    Fieldset,
    Figcaption,
    Figure,
    Footer,
    Form,
    Frameset,
    Head,
    Header,
    Heading(u8),
    Hgroup,
    Hr,
    Html,
    Iframe,
    Img,
    Input,
    Label,
    Legend,
    Li,
    Link,
    Main,
    Map,
    Math,
    Menu,
    Meta,
    Nav,
    Noscript,
    Object,
    Ol,
    Optgroup,
    Option,
    P,
    Param,
    Picture,
    Pre,
    Script,
    Section,
    Select,
    Source,
    Style,
    Summary,
    Svg,
    Table,
    Tbody,
    Td,
    Template,
    Textarea,
    Tfoot,
    Th,
    Thead,
    Time,
    Title,
    Tr,
    Track,
    Ul,
    Video,
    Wbr,
    Other(u32),
}

impl Tag {
    pub(crate) fn from_name(name: &[u8]) -> Tag {
        match name {
            b"a" => Tag::A,
            b"address" => Tag::Address,
            b"area" => Tag::Area,
            b"article" => Tag::Article,
            b"aside" => Tag::Aside,
            b"audio" => Tag::Audio,
            b"base" => Tag::Base,
            b"blockquote" => Tag::Blockquote,
            b"body" => Tag::Body,
            b"br" => Tag::Br,
            b"button" => Tag::Button,
            b"canvas" => Tag::Canvas,
            b"caption" => Tag::Caption,
            b"center" => Tag::Center,
            b"col" => Tag::Col,
            b"colgroup" => Tag::Colgroup,
            b"dd" => Tag::Dd,
            b"details" => Tag::Details,
            b"dialog" => Tag::Dialog,
            b"div" => Tag::Div,
            b"dl" => Tag::Dl,
            b"dt" => Tag::Dt,
            b"embed" => Tag::Embed,
            b"fieldset" => Tag::Fieldset,
            b"figcaption" => Tag::Figcaption,
            b"figure" => Tag::Figure,
            b"footer" => Tag::Footer,
            b"form" => Tag::Form,
            b"frameset" => Tag::Frameset,
            b"h1" => Tag::Heading(1),
            b"h2" => Tag::Heading(2),
            b"h3" => Tag::Heading(3),
            b"h4" => Tag::Heading(4),
            b"h5" => Tag::Heading(5),
            b"h6" => Tag::Heading(6),
            b"head" => Tag::Head,
            b"header" => Tag::Header,
            b"hgroup" => Tag::Hgroup,
            b"hr" => Tag::Hr,
            b"html" => Tag::Html,
            b"iframe" => Tag::Iframe,
            b"img" | b"image" => Tag::Img,
            b"input" => Tag::Input,
            b"label" => Tag::Label,
            b"legend" => Tag::Legend,
            b"li" => Tag::Li,
            b"link" => Tag::Link,
            b"main" => Tag::Main,
            b"map" => Tag::Map,
            b"math" => Tag::Math,
            b"menu" => Tag::Menu,
            b"meta" => Tag::Meta,
            b"nav" => Tag::Nav,
            b"noscript" => Tag::Noscript,
            b"object" => Tag::Object,
            b"ol" => Tag::Ol,
            b"optgroup" => Tag::Optgroup,
            b"option" => Tag::Option,
            b"p" => Tag::P,
            b"param" => Tag::Param,
            b"picture" => Tag::Picture,
            b"pre" | b"listing" | b"xmp" | b"plaintext" => Tag::Pre,
            b"script" => Tag::Script,
            b"section" => Tag::Section,
            b"select" => Tag::Select,
            b"source" => Tag::Source,
            b"style" => Tag::Style,
            b"summary" => Tag::Summary,
            b"svg" => Tag::Svg,
            b"table" => Tag::Table,
            b"tbody" => Tag::Tbody,
            b"td" => Tag::Td,
            b"template" => Tag::Template,
            b"textarea" => Tag::Textarea,
            b"tfoot" => Tag::Tfoot,
            b"th" => Tag::Th,
            b"thead" => Tag::Thead,
            b"time" => Tag::Time,
            b"title" => Tag::Title,
            b"tr" => Tag::Tr,
            b"track" => Tag::Track,
            b"ul" => Tag::Ul,
            b"video" => Tag::Video,
            b"wbr" => Tag::Wbr,
            other => Tag::Other(name_hash(other)),
        }
    }

    /// Elements that never have content (the standard's void elements).
    pub(crate) fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Area
                | Tag::Base
                | Tag::Br
                | Tag::Col
                | Tag::Embed
                | Tag::Hr
                | Tag::Img
                | Tag::Input
                | Tag::Link
                | Tag::Meta
                | Tag::Param
                | Tag::Source
                | Tag::Track
                | Tag::Wbr
        )
    }

    /// Start tags that close an open `<p>` (the standard's list, trimmed to what occurs).
    /// These are the block-level elements, so the text extractor's blocks start with them.
    pub(crate) fn closes_paragraph(self) -> bool {
        matches!(
            self,
            Tag::Address
                | Tag::Article
                | Tag::Aside
                | Tag::Blockquote
                | Tag::Center
                | Tag::Details
                | Tag::Dialog
                | Tag::Div
                | Tag::Dl
                | Tag::Dd
                | Tag::Dt
                | Tag::Fieldset
                | Tag::Figcaption
                | Tag::Figure
                | Tag::Footer
                | Tag::Form
                | Tag::Header
                | Tag::Heading(_)
                | Tag::Hgroup
                | Tag::Hr
                | Tag::Li
                | Tag::Main
                | Tag::Menu
                | Tag::Nav
                | Tag::Ol
                | Tag::P
                | Tag::Pre
                | Tag::Section
                | Tag::Summary
                | Tag::Table
                | Tag::Ul
        )
    }

    /// Elements an end tag search does not cross: closing `</div>` inside a table cell must
    /// not close a `<div>` around the table.
    fn is_scope_boundary(self) -> bool {
        matches!(
            self,
            Tag::Html | Tag::Table | Tag::Td | Tag::Th | Tag::Caption | Tag::Template | Tag::Object
        )
    }

    /// Table structure, which closes its own kind only within the same table.
    fn is_table_part(self) -> bool {
        matches!(
            self,
            Tag::Tr | Tag::Td | Tag::Th | Tag::Thead | Tag::Tbody | Tag::Tfoot | Tag::Caption
        )
    }
}

/// FNV-1a: a stable hash to match the names of elements sitrep does not know.
fn name_hash(name: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in name {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// The attributes extraction reads; all others are not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttrName {
    AriaHidden,
    Charset,
    Class,
    Content,
    Datetime,
    Hidden,
    Href,
    HttpEquiv,
    Id,
    Itemprop,
    Lang,
    Name,
    Property,
    Rel,
    Role,
    Style,
    Type,
}

impl AttrName {
    fn from_name(name: &[u8]) -> Option<AttrName> {
        Some(match name {
            b"aria-hidden" => AttrName::AriaHidden,
            b"charset" => AttrName::Charset,
            b"class" => AttrName::Class,
            b"content" => AttrName::Content,
            b"datetime" => AttrName::Datetime,
            b"hidden" => AttrName::Hidden,
            b"href" => AttrName::Href,
            b"http-equiv" => AttrName::HttpEquiv,
            b"id" => AttrName::Id,
            b"itemprop" => AttrName::Itemprop,
            b"lang" | b"xml:lang" => AttrName::Lang,
            b"name" => AttrName::Name,
            b"property" => AttrName::Property,
            b"rel" => AttrName::Rel,
            b"role" => AttrName::Role,
            b"style" => AttrName::Style,
            b"type" => AttrName::Type,
            _ => return None,
        })
    }
}

/// A stored attribute; its value is a range of [`Dom::attr_text`] (one buffer for all
/// values instead of an allocation each).
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub name: AttrName,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Root,
    Element {
        tag: Tag,
        /// Range into [`Dom::attrs`].
        attrs: (u32, u32),
    },
    /// Range into [`Dom::text`].
    Text {
        start: u32,
        end: u32,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub parent: u32,
    pub first_child: u32,
    pub last_child: u32,
    pub next_sibling: u32,
    /// The last node of this node's subtree: descendants are `id + 1..=end`.
    pub end: u32,
}

/// The parsed page.
#[derive(Debug, Clone)]
pub(crate) struct Dom {
    pub nodes: Vec<Node>,
    pub attrs: Vec<Attr>,
    /// The values of all stored attributes, back to back.
    pub attr_text: String,
    /// All stored text, character references decoded; text nodes are ranges into it.
    pub text: String,
    /// Byte offsets of tags cut short because the tokenizer nested past its stack budget
    /// (`reader`): the rest of each such tag was skipped.
    pub cut_tags: Vec<usize>,
}

impl Dom {
    pub(crate) fn parse(html: &str) -> Dom {
        let mut builder = Builder::new(html.len());
        let mut from = 0;
        while from < html.len() {
            let Err(too_deep) = builder.tokenize(&html[from..]) else {
                break;
            };
            // The tokenizer was inside a tag (see `reader`): keep the element with the
            // attributes read so far and go on after the tag's `>`, in text.
            let at = from + too_deep.at;
            builder.close_pending_tag();
            builder.dom.cut_tags.push(at);
            from = match memchr::memchr(b'>', &html.as_bytes()[at..]) {
                Some(gt) => at + gt + 1,
                None => html.len(),
            };
        }
        builder.finish()
    }

    pub(crate) fn tag(&self, id: u32) -> Option<Tag> {
        match self.nodes[id as usize].kind {
            NodeKind::Element { tag, .. } => Some(tag),
            _ => None,
        }
    }

    pub(crate) fn attr(&self, id: u32, name: AttrName) -> Option<&str> {
        match self.nodes[id as usize].kind {
            NodeKind::Element { attrs, .. } => self.attrs[attrs.0 as usize..attrs.1 as usize]
                .iter()
                .find(|a| a.name == name)
                .map(|a| &self.attr_text[a.start as usize..a.end as usize]),
            _ => None,
        }
    }

    pub(crate) fn text_of_node(&self, id: u32) -> Option<&str> {
        match self.nodes[id as usize].kind {
            NodeKind::Text { start, end } => Some(&self.text[start as usize..end as usize]),
            _ => None,
        }
    }

    pub(crate) fn parent(&self, id: u32) -> u32 {
        self.nodes[id as usize].parent
    }

    /// Whether `id` is `ancestor` or inside it.
    pub(crate) fn is_within(&self, id: u32, ancestor: u32) -> bool {
        id >= ancestor && id <= self.nodes[ancestor as usize].end
    }

    /// The children of `id`, in order.
    pub(crate) fn children(&self, id: u32) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// Every element with this tag, in document order.
    pub(crate) fn elements(&self, tag: Tag) -> impl Iterator<Item = u32> + '_ {
        (0..self.nodes.len() as u32).filter(move |&id| self.tag(id) == Some(tag))
    }

    /// The text of a subtree, whitespace collapsed, without script or style text.
    pub(crate) fn text_content(&self, id: u32) -> String {
        let mut out = String::new();
        let end = self.nodes[id as usize].end;
        let mut i = id;
        while i <= end {
            match &self.nodes[i as usize].kind {
                NodeKind::Text { start, end } => {
                    push_collapsed(&mut out, &self.text[*start as usize..*end as usize]);
                }
                NodeKind::Element { tag, .. } if i > id && is_unreadable(*tag) => {
                    i = self.nodes[i as usize].end;
                }
                NodeKind::Element { tag, .. } if is_line_break(*tag) => push_space(&mut out),
                _ => {}
            }
            i += 1;
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out
    }
}

/// Elements whose text is never page text.
pub(crate) fn is_unreadable(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Script
            | Tag::Style
            | Tag::Noscript
            | Tag::Template
            | Tag::Svg
            | Tag::Math
            | Tag::Iframe
            | Tag::Object
            | Tag::Select
            | Tag::Textarea
            | Tag::Button
            | Tag::Head
            | Tag::Title
            | Tag::Canvas
            | Tag::Audio
            | Tag::Video
            | Tag::Map
    )
}

/// Elements after which words must not run together even in a one-line rendering.
fn is_line_break(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Br
            | Tag::P
            | Tag::Div
            | Tag::Li
            | Tag::Td
            | Tag::Th
            | Tag::Tr
            | Tag::Heading(_)
            | Tag::Dd
            | Tag::Dt
    )
}

/// Appends `text` with every whitespace run as one space, none at the start of `out`.
pub(crate) fn push_collapsed(out: &mut String, text: &str) {
    for (i, word) in text.split(char::is_whitespace).enumerate() {
        if i > 0 {
            push_space(out);
        }
        out.push_str(word);
    }
}

/// A single separating space, unless `out` is empty or already ends with one.
pub(crate) fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

pub(crate) struct Children<'a> {
    dom: &'a Dom,
    next: u32,
}

impl Iterator for Children<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id as usize].next_sibling;
        Some(id)
    }
}

/// The tokenizer's bytes as text. They come from a `&str`, so they are UTF-8 except where an
/// attribute value was cut inside a character; the strict check is the fast path.
fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// An emitter that does not ask for parse errors: the tokenizer then skips validating every
/// character (a seventh of the tokenizing time), and malformed pages are read the same.
struct WithoutErrors<E>(E);

impl<E: Emitter> ForwardingEmitter for WithoutErrors<E> {
    type Token = E::Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    #[inline]
    fn should_emit_errors(&mut self) -> bool {
        false
    }
}

/// What the builder is in the middle of.
enum Pending {
    None,
    StartTag {
        tag: Tag,
        attrs_start: usize,
        attribute: Option<AttrName>,
    },
    EndTag,
}

/// Whether the text of the element being read is kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextPolicy {
    Keep,
    Drop,
}

struct Builder {
    dom: Dom,
    /// Open elements, innermost last; the root is always at the bottom.
    stack: Vec<u32>,
    pending: Pending,
    /// Whether text of the current raw-text element is kept (JSON-LD scripts are).
    policy: TextPolicy,
}

impl Builder {
    fn new(input_len: usize) -> Builder {
        let root = Node {
            kind: NodeKind::Root,
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            end: 0,
        };
        Builder {
            dom: Dom {
                nodes: {
                    let mut nodes = Vec::with_capacity(input_len / 40 + 16);
                    nodes.push(root);
                    nodes
                },
                attrs: Vec::new(),
                attr_text: String::new(),
                cut_tags: Vec::new(),
                text: String::with_capacity(input_len / 4),
            },
            stack: vec![0],
            pending: Pending::None,
            policy: TextPolicy::Keep,
        }
    }

    /// Feeds `html` to a new tokenizer, until its end or until the tokenizer nests past the
    /// stack budget.
    fn tokenize(&mut self, html: &str) -> Result<(), TooDeep> {
        let mut emitter = CallbackEmitter::new(
            |event: CallbackEvent<'_>, _: Span<()>| -> Option<std::convert::Infallible> {
                self.event(event);
                None
            },
        );
        // Switches the tokenizer to raw text after <script>, <style>, <title>, ...: the part
        // of tree construction that tokenizing depends on.
        emitter.naively_switch_states(true);
        let reader = BoundedReader::new(html.as_bytes());
        for token in Tokenizer::new_with_emitter(reader, WithoutErrors(emitter)) {
            token?;
        }
        Ok(())
    }

    /// Ends a start tag whose `>` was not reached, as if it had come.
    fn close_pending_tag(&mut self) {
        if let Pending::StartTag {
            tag, attrs_start, ..
        } = std::mem::replace(&mut self.pending, Pending::None)
        {
            self.start_tag(tag, attrs_start);
        }
    }

    fn current(&self) -> u32 {
        *self.stack.last().expect("the root is never popped")
    }

    fn current_tag(&self) -> Option<Tag> {
        self.dom.tag(self.current())
    }

    fn event(&mut self, event: CallbackEvent<'_>) {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.pending = Pending::StartTag {
                    tag: Tag::from_name(name),
                    attrs_start: self.dom.attrs.len(),
                    attribute: None,
                };
            }
            CallbackEvent::AttributeName { name } => {
                if let Pending::StartTag {
                    attrs_start,
                    attribute,
                    ..
                } = &mut self.pending
                {
                    *attribute = AttrName::from_name(name);
                    if let Some(name) = *attribute {
                        // The first of duplicate attributes wins, as in browsers.
                        let duplicate = self.dom.attrs[*attrs_start..]
                            .iter()
                            .any(|a| a.name == name);
                        if duplicate {
                            *attribute = None;
                        } else {
                            let at = self.dom.attr_text.len() as u32;
                            self.dom.attrs.push(Attr {
                                name,
                                start: at,
                                end: at,
                            });
                        }
                    }
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let Pending::StartTag {
                    attribute: Some(_), ..
                } = self.pending
                    && let Some(last) = self.dom.attrs.last_mut()
                {
                    let value = &value[..value.len().min(MAX_ATTRIBUTE_BYTES)];
                    last.start = self.dom.attr_text.len() as u32;
                    self.dom.attr_text.push_str(&utf8(value));
                    last.end = self.dom.attr_text.len() as u32;
                }
            }
            CallbackEvent::CloseStartTag { .. } => self.close_pending_tag(),
            CallbackEvent::EndTag { name } => {
                // Attributes on end tags are a parse error; drop any that were stored.
                self.pending = Pending::EndTag;
                self.end_tag(Tag::from_name(name));
                self.pending = Pending::None;
            }
            CallbackEvent::String { value } => self.text(value),
            CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
    }

    fn push_node(&mut self, kind: NodeKind) -> u32 {
        let id = self.dom.nodes.len() as u32;
        let parent = self.current();
        self.dom.nodes.push(Node {
            kind,
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            end: id,
        });
        let p = &mut self.dom.nodes[parent as usize];
        let previous = p.last_child;
        p.last_child = id;
        if previous == NONE {
            p.first_child = id;
        } else {
            self.dom.nodes[previous as usize].next_sibling = id;
        }
        id
    }

    fn start_tag(&mut self, tag: Tag, attrs_start: usize) {
        self.close_implied(tag);
        let attrs = (attrs_start as u32, self.dom.attrs.len() as u32);
        let id = self.push_node(NodeKind::Element { tag, attrs });
        if tag.is_void() {
            return;
        }
        if self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        }
        self.policy = match tag {
            Tag::Script => {
                let json = self
                    .dom
                    .attr(id, AttrName::Type)
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if json {
                    TextPolicy::Keep
                } else {
                    TextPolicy::Drop
                }
            }
            Tag::Style | Tag::Noscript | Tag::Template | Tag::Iframe | Tag::Textarea => {
                TextPolicy::Drop
            }
            _ => TextPolicy::Keep,
        };
    }

    /// The implied end tags a start tag causes (see the module documentation).
    fn close_implied(&mut self, tag: Tag) {
        if tag.closes_paragraph() && self.in_scope(|t| t == Tag::P, Tag::is_scope_boundary) {
            self.pop_until(|t| t == Tag::P);
        }
        // Which open element the start tag closes, and what stops the search for it.
        type Test = fn(Tag) -> bool;
        let (target, boundary): (Test, Test) = match tag {
            Tag::Li => (
                |t| t == Tag::Li,
                |t| matches!(t, Tag::Ul | Tag::Ol | Tag::Menu) || t.is_scope_boundary(),
            ),
            Tag::Dt | Tag::Dd => (
                |t| matches!(t, Tag::Dt | Tag::Dd),
                |t| t == Tag::Dl || t.is_scope_boundary(),
            ),
            Tag::Tr => (
                |t| t == Tag::Tr,
                |t| t == Tag::Table || (t.is_scope_boundary() && !t.is_table_part()),
            ),
            Tag::Td | Tag::Th => (
                |t| matches!(t, Tag::Td | Tag::Th),
                |t| matches!(t, Tag::Tr | Tag::Table),
            ),
            Tag::Thead | Tag::Tbody | Tag::Tfoot => (
                |t| matches!(t, Tag::Thead | Tag::Tbody | Tag::Tfoot),
                |t| t == Tag::Table,
            ),
            // Only the current element: an <option> or a heading left open.
            Tag::Option => (|t| t == Tag::Option, |_| true),
            Tag::Heading(_) => (|t| matches!(t, Tag::Heading(_)), |_| true),
            // Links do not nest: a new one closes the open one.
            Tag::A => (|t| t == Tag::A, Tag::is_scope_boundary),
            _ => return,
        };
        if self.in_scope(target, boundary) {
            self.pop_until(target);
        }
    }

    fn end_tag(&mut self, tag: Tag) {
        match tag {
            // Content after </body> or </html> still belongs to the page.
            Tag::Body | Tag::Html => return,
            Tag::Br => {
                // `</br>` is read as `<br>` by browsers.
                self.push_node(NodeKind::Element {
                    tag: Tag::Br,
                    attrs: (0, 0),
                });
                return;
            }
            _ => {}
        }
        let matches = |t: Tag| match tag {
            Tag::Heading(_) => matches!(t, Tag::Heading(_)),
            _ => t == tag,
        };
        let boundary = |t: Tag| {
            if tag.is_table_part() || tag == Tag::Table {
                t == Tag::Table && tag != Tag::Table || t == Tag::Html
            } else {
                t.is_scope_boundary()
            }
        };
        if self.in_scope(matches, boundary) {
            self.pop_until(matches);
        }
        self.policy = TextPolicy::Keep;
    }

    /// Whether an open element satisfying `target` is found before one satisfying `boundary`.
    fn in_scope(&self, target: impl Fn(Tag) -> bool, boundary: impl Fn(Tag) -> bool) -> bool {
        for &id in self.stack.iter().rev() {
            let Some(tag) = self.dom.tag(id) else {
                return false;
            };
            if target(tag) {
                return true;
            }
            if boundary(tag) {
                return false;
            }
        }
        false
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            let id = self.stack.pop().expect("checked");
            self.dom.nodes[id as usize].end = self.dom.nodes.len() as u32 - 1;
        }
    }

    /// Pops open elements up to and including the innermost one satisfying `target`.
    fn pop_until(&mut self, target: impl Fn(Tag) -> bool) {
        while self.stack.len() > 1 {
            let tag = self.current_tag();
            self.pop();
            if tag.is_some_and(&target) {
                break;
            }
        }
    }

    fn text(&mut self, value: &[u8]) {
        if self.policy == TextPolicy::Drop && !self.stack.is_empty() {
            let raw = matches!(
                self.current_tag(),
                Some(
                    Tag::Script
                        | Tag::Style
                        | Tag::Noscript
                        | Tag::Template
                        | Tag::Iframe
                        | Tag::Textarea
                )
            );
            if raw {
                return;
            }
        }
        let value = utf8(value);
        let parent = self.current();
        let last = self.dom.nodes[parent as usize].last_child;
        if last != NONE
            && let NodeKind::Text { end, .. } = &mut self.dom.nodes[last as usize].kind
            && *end as usize == self.dom.text.len()
        {
            self.dom.text.push_str(&value);
            *end = self.dom.text.len() as u32;
            return;
        }
        let start = self.dom.text.len() as u32;
        self.dom.text.push_str(&value);
        let end = self.dom.text.len() as u32;
        self.push_node(NodeKind::Text { start, end });
    }

    fn finish(mut self) -> Dom {
        while self.stack.len() > 1 {
            self.pop();
        }
        self.dom.nodes[0].end = self.dom.nodes.len() as u32 - 1;
        self.dom
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as nested tag names, for assertions: `div(p(#) p(#))`.
    fn shape(dom: &Dom, id: u32) -> String {
        let mut out = String::new();
        for child in dom.children(id) {
            if !out.is_empty() {
                out.push(' ');
            }
            match &dom.nodes[child as usize].kind {
                NodeKind::Text { .. } => out.push('#'),
                NodeKind::Element { tag, .. } => {
                    let name = match tag {
                        Tag::Heading(n) => format!("h{n}"),
                        Tag::Other(_) => "x".to_string(),
                        t => format!("{t:?}").to_lowercase(),
                    };
                    out.push_str(&name);
                    let inner = shape(dom, child);
                    if !inner.is_empty() {
                        out.push('(');
                        out.push_str(&inner);
                        out.push(')');
                    }
                }
                NodeKind::Root => {}
            }
        }
        out
    }

    #[test]
    fn implied_end_tags_close_paragraphs_and_items() {
        let dom = Dom::parse("<div><p>one<p>two<div>three</div><ul><li>a<li>b</ul></div>");
        assert_eq!(shape(&dom, 0), "div(p(#) p(#) div(#) ul(li(#) li(#)))");
    }

    #[test]
    fn subtrees_are_contiguous_ranges() {
        let dom = Dom::parse("<body><div id=a><p>x</p><p>y</p></div><p>z</p></body>");
        let div = dom.elements(Tag::Div).next().unwrap();
        let ps: Vec<u32> = dom.elements(Tag::P).collect();
        assert!(dom.is_within(ps[0], div) && dom.is_within(ps[1], div));
        assert!(!dom.is_within(ps[2], div));
        assert_eq!(dom.attr(div, AttrName::Id), Some("a"));
    }

    #[test]
    fn stray_end_tags_are_ignored_and_unclosed_ones_closed() {
        let dom = Dom::parse("<div></span><p>text</b></div></div><p>after");
        assert_eq!(shape(&dom, 0), "div(p(#)) p(#)");
    }

    #[test]
    fn end_tags_do_not_cross_table_cells() {
        let dom = Dom::parse("<div><table><tr><td><div>in</td><td>next</td></tr></table>out</div>");
        assert_eq!(shape(&dom, 0), "div(table(tr(td(div(#)) td(#))) #)");
    }

    #[test]
    fn scripts_are_dropped_but_json_ld_kept_and_entities_decoded() {
        let dom = Dom::parse(
            "<script>if (a<b) { x('<p>'); }</script>\
             <script type=\"application/ld+json\">{\"a\": 1}</script><p>Fish &amp; chips&nbsp;!</p>",
        );
        let scripts: Vec<u32> = dom.elements(Tag::Script).collect();
        assert_eq!(dom.text_content(scripts[0]), "");
        let json = dom.nodes[scripts[1] as usize].first_child;
        assert_eq!(dom.text_of_node(json), Some("{\"a\": 1}"));
        assert_eq!(dom.elements(Tag::P).count(), 1);
        let p = dom.elements(Tag::P).next().unwrap();
        assert_eq!(dom.text_content(p), "Fish & chips !");
    }

    #[test]
    fn huge_attributes_are_cut_and_unknown_ones_dropped() {
        let big = "x".repeat(100_000);
        let dom = Dom::parse(&format!("<div class=\"{big}\" data-x=\"{big}\">t</div>"));
        let div = dom.elements(Tag::Div).next().unwrap();
        assert_eq!(
            dom.attr(div, AttrName::Class).unwrap().len(),
            MAX_ATTRIBUTE_BYTES
        );
        assert_eq!(dom.attrs.len(), 1);
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let html = "<div>".repeat(10_000) + "deep" + &"</div>".repeat(10_000);
        let dom = Dom::parse(&html);
        assert_eq!(dom.text_content(0), "deep");
        let mut depth = 0;
        let mut id = dom.nodes.len() as u32 - 1;
        while id != NONE {
            id = dom.parent(id);
            depth += 1;
        }
        assert!(depth <= MAX_DEPTH + 1);
    }

    /// The issue 11 repro: one tag with 50,000 double-quoted attributes recursed through
    /// html5gum's states until the stack overflowed and the process aborted. Now the tag is cut
    /// where the tokenizer's stack budget ends, and the page goes on, on a worker thread's
    /// 2 MiB stack as on the main thread's.
    #[test]
    fn a_tag_with_fifty_thousand_attributes_is_cut_not_a_crash() {
        let html = format!(
            "<p>before</p><div class=\"box\" {}>inside</div><p>after</p>",
            "a=\"v\" ".repeat(50_000)
        );
        let dom = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || Dom::parse(&html))
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert_eq!(dom.cut_tags.len(), 1);
        let div = dom.elements(Tag::Div).next().unwrap();
        assert_eq!(dom.attr(div, AttrName::Class), Some("box"));
        assert_eq!(shape(&dom, 0), "p(#) div(#) p(#)");
        // The text of the cut tag's remains: the last attributes, up to its `>`, are skipped.
        assert_eq!(dom.text_content(div), "inside");
        assert_eq!(dom.text_content(0), "before inside after");
    }

    #[test]
    fn custom_elements_close_by_name() {
        let dom = Dom::parse("<my-box><p>a</p></my-box><p>b</p>");
        assert_eq!(shape(&dom, 0), "x(p(#)) p(#)");
    }
}
