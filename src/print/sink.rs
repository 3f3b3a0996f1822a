//! Where a layout pass puts its pages. Each page, once finished (running
//! head, folio and label set), goes to a `PageSink` and the pass keeps only
//! what page references need: each page's label and where each named
//! destination landed. The PDF writer is a sink that writes the page and
//! drops it, so a book's pages are never all in memory; tests collect them
//! into a `Vec<Page>` instead.

use std::collections::HashMap;

use super::page::{
    Document, DocumentInfo, LabelRange, Origin, OutlineEntry, Page, PageMark, PageRole, StructNode,
    page_marks,
};

pub trait PageSink {
    /// Takes the next page of the book, finished, with the structure tree
    /// as far as it has been built (every tag on the page is in it).
    fn page(&mut self, page: Page, structure: &[StructNode]);
}

/// Collects every page: for tests and anything that wants the whole book.
impl PageSink for Vec<Page> {
    fn page(&mut self, page: Page, _: &[StructNode]) {
        self.push(page);
    }
}

/// Drops every page: a pass that only finds out where things land.
pub struct Discard;

impl PageSink for Discard {
    fn page(&mut self, _: Page, _: &[StructNode]) {}
}

/// Hands every page to two sinks: one layout written as two PDFs (the print
/// workbook and the fillable one).
pub struct Both<A, B>(pub A, pub B);

impl<A: PageSink, B: PageSink> PageSink for Both<A, B> {
    fn page(&mut self, page: Page, structure: &[StructNode]) {
        self.0.page(page.clone(), structure);
        self.1.page(page, structure);
    }
}

/// What a pass keeps of each page it has passed on.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageRecords {
    /// The printed label of each page, by index.
    pub labels: Vec<String>,
    /// Destination name → (page index, y) of its first occurrence.
    pub destinations: HashMap<String, (usize, f32)>,
    /// Where each page starts in the sources, and whether it is a blank
    /// verso (for the EPUB's page list).
    pub starts: Vec<(Origin, bool)>,
    /// How many pages were the cover (and its inside): the screen edition
    /// has them, the print interior does not.
    pub covers: usize,
}

impl PageRecords {
    pub fn record(&mut self, page: &Page) {
        let index = self.labels.len();
        self.labels.push(page.label.clone());
        self.starts
            .push((page.starts_at, page.role == PageRole::Blank));
        if page.role == PageRole::Cover {
            self.covers += 1;
        }
        for (name, y) in &page.destinations {
            self.destinations.entry(name.clone()).or_insert((index, *y));
        }
    }

    /// Each labelled page's label and where it starts (see
    /// `page::page_marks`).
    pub fn page_marks(&self) -> Vec<PageMark> {
        page_marks(
            self.labels
                .iter()
                .zip(&self.starts)
                .map(|(label, (at, blank))| (label.as_str(), *at, *blank)),
        )
    }

    /// The print interior's page count: every page but the cover's, made
    /// even (a leaf has two sides; the writer pads with blank pages).
    pub fn interior_pages(&self) -> usize {
        let pages = self.labels.len() - self.covers;
        pages + pages % 2
    }

    /// Destination name → printed page label.
    pub fn page_numbers(&self) -> HashMap<String, String> {
        self.destinations
            .iter()
            .map(|(name, (index, _))| (name.clone(), self.labels[*index].clone()))
            .collect()
    }
}

/// A laid-out book without its pages: what the end of the PDF needs (outline,
/// page labels, metadata, destinations) once the pages have been written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LaidOut {
    pub records: PageRecords,
    /// The structure tree of the tagged PDF.
    pub structure: Vec<StructNode>,
    pub outline: Vec<OutlineEntry>,
    pub label_ranges: Vec<LabelRange>,
    pub info: DocumentInfo,
}

impl LaidOut {
    pub fn with_pages(self, pages: Vec<Page>) -> Document {
        Document {
            pages,
            structure: self.structure,
            outline: self.outline,
            label_ranges: self.label_ranges,
            info: self.info,
        }
    }
}
