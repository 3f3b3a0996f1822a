//! The page model: what layout produces and the PDF writer consumes. Pages of
//! positioned glyph runs, rules, filled boxes, images, link areas and named
//! destinations, in points with the origin at the page's top-left corner and
//! y growing downwards. Tests assert on this, never on PDF bytes.

use std::collections::HashMap;
use std::sync::Arc;

use super::fonts::FaceId;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Rect {
    pub fn right(&self) -> f32 {
        self.x + self.width
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }
    /// True when `other` lies inside, allowing `slack` points for rounding.
    pub fn contains(&self, other: &Rect, slack: f32) -> bool {
        other.x >= self.x - slack
            && other.y >= self.y - slack
            && other.right() <= self.right() + slack
            && other.bottom() <= self.bottom() + slack
    }
}

/// A glyph of a run: its x relative to the run's origin and the source text
/// of its cluster (empty for the second glyph of a cluster).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub gid: u16,
    pub x: f32,
    pub text: ClusterText,
}

/// The source text of a glyph cluster, in four bytes: a book has millions of
/// glyphs, so this record is most of the print edition's memory. A cluster
/// of one character (nearly all of them) is its UTF-8 bytes, zero-padded; a
/// longer one (a ligature, a letter with combining marks) is `0xFF` — never a
/// UTF-8 lead byte — and a 24-bit index into a table of interned cluster
/// texts, of which a book has a few dozen.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClusterText([u8; 4]);

/// Marks an interned cluster.
const INTERNED: u8 = 0xFF;

/// Cluster texts longer than one character, each stored once for the
/// process's life (the set is small and bounded by the fonts' ligatures and
/// the marks the sources use): text → index, and index → text.
type ClusterTable = (HashMap<&'static str, u32>, Vec<&'static str>);

fn interned() -> &'static std::sync::Mutex<ClusterTable> {
    static TABLE: std::sync::OnceLock<std::sync::Mutex<ClusterTable>> = std::sync::OnceLock::new();
    TABLE.get_or_init(Default::default)
}

impl ClusterText {
    pub const EMPTY: ClusterText = ClusterText([0; 4]);

    pub fn new(text: &str) -> ClusterText {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (None, _) => ClusterText::EMPTY,
            (Some(c), None) if c != '\0' => {
                let mut bytes = [0; 4];
                c.encode_utf8(&mut bytes);
                ClusterText(bytes)
            }
            _ => {
                let mut table = interned().lock().unwrap_or_else(|e| e.into_inner());
                let index = match table.0.get(text) {
                    Some(&index) => index,
                    None => {
                        let index = table.1.len() as u32;
                        if index >= 1 << 24 {
                            // Unreachable for any real book; keep the first character.
                            return ClusterText::new(
                                &text[..text.chars().next().map_or(0, char::len_utf8)],
                            );
                        }
                        let stored: &'static str = Box::leak(text.to_string().into_boxed_str());
                        table.1.push(stored);
                        table.0.insert(stored, index);
                        index
                    }
                };
                let [_, a, b, c] = index.to_be_bytes();
                ClusterText([INTERNED, a, b, c])
            }
        }
    }

    pub fn as_str(&self) -> &str {
        let lead = self.0[0];
        if lead == INTERNED {
            let index = u32::from_be_bytes([0, self.0[1], self.0[2], self.0[3]]) as usize;
            let table = interned().lock().unwrap_or_else(|e| e.into_inner());
            return table.1.get(index).copied().unwrap_or("");
        }
        let len = match lead {
            0 => 0,
            0x01..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        std::str::from_utf8(&self.0[..len]).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0[0] == 0
    }
}

impl std::fmt::Debug for ClusterText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl From<&str> for ClusterText {
    fn from(text: &str) -> ClusterText {
        ClusterText::new(text)
    }
}

/// The structure element (of the tagged PDF's structure tree) that content
/// belongs to: an index into `Document::structure`, or `ARTIFACT` for what
/// is not the book's content (running heads, folios, rules, leaders,
/// shading, workbook lines, a repeated table header, a line-end hyphen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag(pub u32);

impl Tag {
    pub const ARTIFACT: Tag = Tag(u32::MAX);

    pub fn is_artifact(&self) -> bool {
        *self == Tag::ARTIFACT
    }

    pub fn index(&self) -> usize {
        self.0 as usize
    }
}

/// Standard structure types of ISO 32000-1 (14.8.4), the only ones used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StructKind {
    Document,
    Part,
    Sect,
    /// `H1` … `H6`.
    H(u8),
    P,
    L,
    LI,
    Lbl,
    LBody,
    Table,
    THead,
    TBody,
    TR,
    /// A header cell, scope column.
    TH,
    TD,
    BlockQuote,
    Code,
    Figure,
    Link,
    TOC,
    TOCI,
    Index,
    /// A form field: holds the widget annotation of a fillable answer area.
    Form,
}

impl StructKind {
    /// The type's name in PDF (`/S`, and the marked-content tag).
    pub fn name(&self) -> &'static str {
        match self {
            StructKind::Document => "Document",
            StructKind::Part => "Part",
            StructKind::Sect => "Sect",
            StructKind::H(1) => "H1",
            StructKind::H(2) => "H2",
            StructKind::H(3) => "H3",
            StructKind::H(4) => "H4",
            StructKind::H(5) => "H5",
            StructKind::H(_) => "H6",
            StructKind::P => "P",
            StructKind::L => "L",
            StructKind::LI => "LI",
            StructKind::Lbl => "Lbl",
            StructKind::LBody => "LBody",
            StructKind::Table => "Table",
            StructKind::THead => "THead",
            StructKind::TBody => "TBody",
            StructKind::TR => "TR",
            StructKind::TH => "TH",
            StructKind::TD => "TD",
            StructKind::BlockQuote => "BlockQuote",
            StructKind::Code => "Code",
            StructKind::Figure => "Figure",
            StructKind::Link => "Link",
            StructKind::TOC => "TOC",
            StructKind::TOCI => "TOCI",
            StructKind::Index => "Index",
            StructKind::Form => "Form",
        }
    }
}

/// A node of the structure tree: its type, its parent (`ARTIFACT` for the
/// root), and for a figure its text alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct StructNode {
    pub kind: StructKind,
    pub parent: Tag,
    pub alt: Option<String>,
}

/// Builds a structure tree: nodes in document order, each under the node
/// open when it was made.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StructTree {
    pub nodes: Vec<StructNode>,
    /// The node new nodes go under (`ARTIFACT`: the tree's root level).
    pub open: Option<Tag>,
}

impl StructTree {
    /// A new node under the open one, left closed.
    pub fn leaf(&mut self, kind: StructKind) -> Tag {
        let tag = Tag(self.nodes.len() as u32);
        self.nodes.push(StructNode {
            kind,
            parent: self.open.unwrap_or(Tag::ARTIFACT),
            alt: None,
        });
        tag
    }

    /// A new node under the open one, which new nodes then go under.
    pub fn open(&mut self, kind: StructKind) -> Tag {
        let tag = self.leaf(kind);
        self.open = Some(tag);
        tag
    }

    /// Closes `tag`: new nodes go under its parent again.
    pub fn close(&mut self, tag: Tag) {
        let parent = self.nodes[tag.index()].parent;
        self.open = (!parent.is_artifact()).then_some(parent);
    }

    /// Appends `local` (a tree made on its own, say a body laid out once
    /// and reused) under the open node; returns the offset its tags moved by.
    pub fn graft(&mut self, local: &[StructNode]) -> u32 {
        let base = self.nodes.len() as u32;
        let container = self.open.unwrap_or(Tag::ARTIFACT);
        for node in local {
            let parent = if node.parent.is_artifact() {
                container
            } else {
                Tag(node.parent.0 + base)
            };
            self.nodes.push(StructNode {
                parent,
                ..node.clone()
            });
        }
        base
    }
}

/// Moves a grafted body's tags by `base` (artifacts stay artifacts).
pub fn shift_tag(tag: Tag, base: u32) -> Tag {
    if tag.is_artifact() {
        tag
    } else {
        Tag(tag.0 + base)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub face: FaceId,
    pub size: f32,
    /// Left end of the baseline.
    pub x: f32,
    pub baseline: f32,
    /// Width from `x` to the end of the last glyph's advance.
    pub width: f32,
    /// 0 = black … 1 = white.
    pub gray: f32,
    /// Shared, not copied, when a laid-out body is reused by a later pass or
    /// moved onto its page: glyph lists are most of a book's memory.
    pub glyphs: Arc<[PlacedGlyph]>,
    /// The structure element the run's text belongs to.
    pub tag: Tag,
    /// Which link of its paragraph the run is part of (0: none), until the
    /// paragraph is tagged and the link gets a `Link` element of its own.
    pub link: u16,
}

impl GlyphRun {
    /// The run's box, from ascender to descender (approximated by the size).
    pub fn bounds(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.baseline - self.size * 0.8,
            width: self.width,
            height: self.size,
        }
    }

    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text.as_str()).collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(GlyphRun),
    /// A straight line from (x1, y1) to (x2, y2).
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        thickness: f32,
        gray: f32,
    },
    /// A filled rectangle (code block shading).
    Fill {
        rect: Rect,
        gray: f32,
    },
    /// An RGB image scaled into `rect`.
    Image {
        rect: Rect,
        image: Arc<RgbImage>,
        tag: Tag,
    },
}

#[derive(Debug, PartialEq)]
pub struct RgbImage {
    /// Stable key, so identical images are written once.
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A named destination in the book.
    Internal(String),
    External(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    pub rect: Rect,
    pub target: LinkTarget,
    /// The `Link` element the annotation belongs to (its `OBJR`).
    pub tag: Tag,
    /// Which link of its paragraph the area covers (as `GlyphRun::link`).
    pub link: u16,
    /// What the link does, in words, for the annotation's `/Contents`
    /// ("Answer to scenario 12"); empty: the link's own text.
    pub contents: String,
}

/// What a page is for; decides its running head and furniture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRole {
    Cover,
    /// Half-title, title, copyright: no head, no folio.
    Plain,
    /// Pages with a running head: `left_head` on a left-hand page (verso),
    /// `right_head` on a right-hand one (recto), each already shortened to
    /// fit (see `BookLayout::fitted_head`).
    Running {
        left_head: String,
        right_head: String,
    },
    /// The first page of a section (category opener, answer-section opener,
    /// chapter, contents, index): no running head, folio only.
    Opening,
    /// Inserted so the next part opens on a right-hand page.
    Blank,
}

/// A part of the book as both editions structure it: what a place in the
/// print edition corresponds to in the EPUB's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Part {
    /// Nothing in the sources (the cover, a blank page, furniture).
    #[default]
    None,
    Title,
    Copyright,
    /// The contents: `block` is the entry (0 the heading, then one per line).
    Contents,
    /// A front (then back) chapter, by its position in `front` then `back`.
    Chapter(u32),
    /// A category's opener, by category number: heading and intro.
    Opener(u32),
    /// The scenario list on a category's opener: `block` is the entry.
    OpenerList(u32),
    /// A scenario's question, by scenario number: heading and body.
    Question(u32),
    /// After a question's body: the workbook space and the answer pointer.
    QuestionEnd(u32),
    /// The heading of a category's answer section, by category number.
    AnswersOpener(u32),
    /// A scenario's answer: heading, back-link and body.
    Answer(u32),
    /// The topic index: `block` is the entry (0 the heading and note).
    Index,
}

/// Where a piece of the print edition comes from: a part, the block inside
/// it (numbered in document order, nested blocks included), and the place
/// inside the block — the word a line starts with, a code block's source
/// line, a table's row (0 the header). The EPUB puts page-break markers
/// here, so its page list follows the print edition's real pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Origin {
    pub part: Part,
    pub block: u32,
    pub offset: u32,
}

impl Origin {
    /// Before the part's heading, at the start of its document.
    pub const HEAD: u32 = u32::MAX - 1;
    /// Not set yet (layout fills it in as blocks finish).
    pub const UNSET: u32 = u32::MAX;
    pub const NONE: Origin = Origin {
        part: Part::None,
        block: Origin::UNSET,
        offset: 0,
    };

    pub fn head(part: Part) -> Origin {
        Origin {
            part,
            block: Origin::HEAD,
            offset: 0,
        }
    }

    pub fn is_set(&self) -> bool {
        self.part != Part::None && self.block != Origin::UNSET
    }
}

impl Default for Origin {
    fn default() -> Origin {
        Origin::NONE
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    /// Where body text may go on this page.
    pub text_block: Rect,
    pub role: PageRole,
    /// The printed page number: "iii" in the front matter, "12" in the body;
    /// empty for the cover.
    pub label: String,
    pub items: Vec<Item>,
    /// Running head and folio, kept apart from the body items.
    pub furniture: Vec<Item>,
    pub links: Vec<LinkArea>,
    /// Named destinations on this page, with the y they point at.
    pub destinations: Vec<(String, f32)>,
    /// Where in the sources the page's first content comes from
    /// (`Origin::NONE` for a page with none: cover, blank, workbook only).
    pub starts_at: Origin,
    /// The ruled answer space on this page, one per question whose lines it
    /// holds: where the fillable workbook puts its text fields.
    pub answer_areas: Vec<AnswerArea>,
}

/// A question's ruled "Your approach" space: the rectangle its lines fill.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerArea {
    /// The scenario's number (its field's name comes from the scenario id).
    pub scenario: u32,
    /// From the top of the first line's space to the last line.
    pub rect: Rect,
    /// The `Form` element its field's widget belongs to.
    pub tag: Tag,
}

impl Page {
    pub fn is_right_hand(index: usize) -> bool {
        // Page 1 of the PDF (index 0) is a right-hand page.
        index.is_multiple_of(2)
    }

    pub fn text_runs(&self) -> impl Iterator<Item = &GlyphRun> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(run) => Some(run),
            _ => None,
        })
    }

    /// The first text set outside its page's text block (cover pages
    /// excepted), described for an error message; `None` when every glyph
    /// is inside. Glyph boxes are approximated by the type size, so a little
    /// room is allowed above the first line and below the last.
    pub fn text_outside_block(&self) -> Option<String> {
        const SLACK: f32 = 0.5;
        if self.role == PageRole::Cover {
            return None;
        }
        let mut block = self.text_block;
        block.y -= 3.0;
        block.height += 6.0;
        for run in self.text_runs() {
            if !block.contains(&run.bounds(), SLACK) {
                let text: String = run.text().chars().take(40).collect();
                return Some(format!(
                    "on page {}, the text `{}` would be set outside the text block",
                    self.label,
                    text.trim()
                ));
            }
        }
        None
    }
}

/// One entry of the PDF outline (bookmarks), with its children.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    pub destination: String,
    pub children: Vec<OutlineEntry>,
}

/// Document metadata for the PDF's Info dictionary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocumentInfo {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    pub language: String,
    /// Seconds since 1970 for the creation date (from the book, never the clock).
    pub created: i64,
    pub identifier: String,
}

/// The laid-out book.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    /// The structure tree of the tagged PDF; pages' content points into it.
    pub structure: Vec<StructNode>,
    pub outline: Vec<OutlineEntry>,
    /// Page labels: (first page index, style, first number), as in /PageLabels.
    pub label_ranges: Vec<LabelRange>,
    pub info: DocumentInfo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelStyle {
    /// No number (the cover).
    None,
    LowerRoman,
    Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelRange {
    pub first_page: usize,
    pub style: LabelStyle,
    pub start: usize,
}

impl Document {
    /// The first text set outside its page's text block (cover pages
    /// excepted), described for an error message; `None` when every glyph
    /// is inside.
    pub fn text_outside_block(&self) -> Option<String> {
        self.pages.iter().find_map(Page::text_outside_block)
    }

    /// The print pages as the EPUB's page list needs them (see
    /// `page_marks`).
    pub fn page_marks(&self) -> Vec<PageMark> {
        page_marks(
            self.pages
                .iter()
                .map(|p| (p.label.as_str(), p.starts_at, p.role == PageRole::Blank)),
        )
    }

    /// Destination name → (page index, y).
    pub fn destinations(&self) -> HashMap<&str, (usize, f32)> {
        let mut map = HashMap::new();
        for (index, page) in self.pages.iter().enumerate() {
            for (name, y) in &page.destinations {
                map.entry(name.as_str()).or_insert((index, *y));
            }
        }
        map
    }
}

/// Each labelled page's label and where it starts, from (label, start,
/// blank verso) per page. A page with no content of its own (a blank verso)
/// starts where the next page does; one that only continues generated space
/// starts where the page before it did.
pub fn page_marks<'a>(pages: impl Iterator<Item = (&'a str, Origin, bool)>) -> Vec<PageMark> {
    let mut marks: Vec<PageMark> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for (label, starts_at, blank) in pages {
        if label.is_empty() {
            continue;
        }
        if starts_at.is_set() {
            for label in pending.drain(..) {
                marks.push(PageMark {
                    label,
                    at: starts_at,
                });
            }
            marks.push(PageMark {
                label: label.to_string(),
                at: starts_at,
            });
        } else if blank || marks.is_empty() {
            pending.push(label.to_string());
        } else {
            let at = marks.last().map_or(Origin::NONE, |m| m.at);
            marks.push(PageMark {
                label: label.to_string(),
                at,
            });
        }
    }
    let at = marks.last().map_or(Origin::NONE, |m| m.at);
    marks.extend(pending.into_iter().map(|label| PageMark { label, at }));
    marks
}

/// A printed page's label and where it begins in the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMark {
    pub label: String,
    pub at: Origin,
}

/// Lower-case roman numerals for front-matter folios.
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod cluster_tests {
    use super::*;

    #[test]
    fn clusters_keep_their_text_in_four_bytes() {
        assert_eq!(std::mem::size_of::<ClusterText>(), 4);
        assert_eq!(std::mem::size_of::<PlacedGlyph>(), 12);
        for text in ["a", "é", "→", "\u{1F9C8}", "fi", "ffi", "e\u{301}", ""] {
            assert_eq!(ClusterText::new(text).as_str(), text);
        }
        assert!(ClusterText::new("").is_empty());
        assert_eq!(ClusterText::new("fi"), ClusterText::new("fi"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
    }
}
