//! The print edition: lays the book out into pages (the page model in
//! `page`) and writes them as PDF (`pdf_writer`). Layout never touches PDF;
//! the writer never makes a layout decision.
//!
//! Pipeline: `fonts` + `shape` (glyphs) → `hyphenate` + `linebreak`
//! (paragraphs) → `layout` (blocks, flows, pages) → `book_layout` (the book's
//! structure, page references resolved by re-laying out until they settle)
//! → `pdf_writer`.

pub mod book;
pub mod fonts;
pub mod hyphenate;
pub mod layout;
pub mod linebreak;
pub mod page;
pub mod pdf_content;
pub mod pdf_fonts;
pub mod pdf_writer;
pub mod shape;

use std::collections::HashMap;

use crate::model::Book;

/// Paper sizes the print edition supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperSize {
    A4,
    Letter,
    /// 6 × 9 inch trade paperback, mirrored margins for binding.
    TradeSixByNine,
}

impl PaperSize {
    pub fn parse(text: &str) -> Option<PaperSize> {
        match text {
            "a4" => Some(PaperSize::A4),
            "letter" => Some(PaperSize::Letter),
            "6x9" => Some(PaperSize::TradeSixByNine),
            _ => None,
        }
    }

    /// The paper as a reader would name it.
    pub fn describe(&self) -> &'static str {
        match self {
            PaperSize::A4 => "A4",
            PaperSize::Letter => "US Letter",
            PaperSize::TradeSixByNine => "6 × 9 in",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintOptions {
    pub paper: PaperSize,
    /// Ruled "Your approach" lines after each scenario's questions.
    pub workbook: bool,
}

/// Layout passes before giving up on page references settling. Numbers only
/// change line widths in the index, so the second pass nearly always agrees.
const MAX_LAYOUT_PASSES: usize = 4;

/// Lays the book out into the page model, with every page reference
/// ("Answer on page N", contents, index) equal to where its target landed.
pub fn layout(book: &Book, options: &PrintOptions) -> page::Document {
    let mut shaper = shape::Shaper::default();
    let hyphenation = hyphenate::Hyphenation::for_language(&book.meta.language);
    let mut flows = book::body_flows(book, options);
    let mut numbers: HashMap<String, String> = HashMap::new();
    let mut document = page::Document::default();
    for _ in 0..MAX_LAYOUT_PASSES {
        // Free the previous pass's pages before laying out the next: peak
        // memory is one document, not two.
        document.pages = Vec::new();
        document = book::layout_book(
            book,
            options,
            &numbers,
            &mut shaper,
            &hyphenation,
            &mut flows,
        );
        let found = page_numbers(&document);
        if found == numbers {
            break;
        }
        numbers = found;
    }
    document
}

/// Destination name → printed page label.
pub fn page_numbers(document: &page::Document) -> HashMap<String, String> {
    document
        .destinations()
        .into_iter()
        .map(|(name, (index, _))| (name.to_string(), document.pages[index].label.clone()))
        .collect()
}

/// Typesets the book and returns the PDF bytes.
pub fn render_pdf(book: &Book, options: &PrintOptions) -> Result<Vec<u8>, String> {
    render_pdf_with_marks(book, options).map(|(bytes, _)| bytes)
}

/// Where each printed page begins, for the EPUB's page list, from a layout
/// of the print edition that is then dropped.
pub fn page_marks(book: &Book, options: &PrintOptions) -> Vec<page::PageMark> {
    layout(book, options).page_marks()
}

/// Typesets the book: the PDF bytes, and where each page begins.
pub fn render_pdf_with_marks(
    book: &Book,
    options: &PrintOptions,
) -> Result<(Vec<u8>, Vec<page::PageMark>), String> {
    let document = layout(book, options);
    let marks = document.page_marks();
    // Layout keeps text inside the text block (nesting clamped, wide
    // tables split into column groups, tall rows broken); should anything
    // still escape, the edition is refused rather than printed with text
    // off the page.
    if let Some(problem) = document.text_outside_block() {
        return Err(format!(
            "layout error: {problem}; please report it with the source that produced it"
        ));
    }
    pdf_writer::write_pdf(&document).map(|bytes| (bytes, marks))
}

/// Characters that no font in `fonts/` can draw (for `casebook check`).
/// True when a font in fonts/ has a glyph for `c`.
pub fn can_draw(c: char) -> bool {
    fonts::FontSet::get().can_draw(c)
}

pub fn unsupported_chars(text: &str) -> Vec<(usize, char)> {
    fonts::unsupported_chars(text)
}
