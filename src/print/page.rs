//! The page model: what layout produces and the PDF writer consumes. Pages of
//! positioned glyph runs, rules, filled boxes, images, link areas and named
//! destinations, in points with the origin at the page's top-left corner and
//! y growing downwards. Tests assert on this, never on PDF bytes.
//!
//! This file holds the pages and what is on them; its parts hold the
//! glyphs' source text (`glyph`), the structure tree layout builds for the
//! tagged PDF (`structure`), where pages start in the sources (`origin`)
//! and page labels (`labels`). Everything is re-exported here, so every
//! type is `print::page::Name` wherever it lives.

use std::collections::HashMap;
use std::sync::Arc;

use super::fonts::FaceId;

mod glyph;
mod labels;
mod origin;
mod structure;

pub use glyph::{ClusterText, PlacedGlyph};
pub use labels::{LabelRange, LabelStyle, roman};
pub use origin::{Origin, PageMark, Part, page_marks};
pub use structure::{StructKind, StructNode, StructTree, Tag, shift_tag};

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

impl Item {
    /// The area the item marks: a run's box, a fill's or image's rectangle,
    /// the rectangle a rule spans (zero-height for a horizontal rule).
    pub fn bounds(&self) -> Rect {
        match self {
            Item::Text(run) => run.bounds(),
            Item::Fill { rect, .. } | Item::Image { rect, .. } => *rect,
            Item::Rule { x1, y1, x2, y2, .. } => Rect {
                x: x1.min(*x2),
                y: y1.min(*y2),
                width: (x2 - x1).abs(),
                height: (y2 - y1).abs(),
            },
        }
    }
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
    /// A page of the given size and text block with nothing on it yet.
    pub fn blank(width: f32, height: f32, text_block: Rect, role: PageRole) -> Page {
        Page {
            width,
            height,
            text_block,
            role,
            label: String::new(),
            items: Vec::new(),
            furniture: Vec::new(),
            links: Vec::new(),
            destinations: Vec::new(),
            starts_at: Origin::NONE,
            answer_areas: Vec::new(),
        }
    }

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
