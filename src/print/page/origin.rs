//! Where print pages come from in the sources: the part of the book and the
//! block inside it that a page starts with, and each printed page's label
//! with that place — what the EPUB's page list needs to follow the print
//! edition's real pages.

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
