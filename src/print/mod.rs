//! The print edition: lays the book out into pages (the page model in
//! `page`) and writes them as PDF (`pdf_writer`). Layout never touches PDF;
//! the writer never makes a layout decision.
//!
//! Pipeline: `fonts` + `shape` (glyphs) → `hyphenate` + `linebreak`
//! (paragraphs) → `layout` (blocks, flows, pages) → `book` (the book's
//! structure, page references resolved by re-laying out until they settle)
//! → `sink` → `pdf_writer`. The final pass hands each finished page to the
//! writer, which writes it and drops it, so memory does not grow with the
//! book's pages.

pub mod book;
pub mod cover_wrap;
pub mod fonts;
pub mod forms;
pub mod hyphenate;
pub mod layout;
pub mod linebreak;
pub mod page;
pub mod pdf_content;
pub mod pdf_file;
pub mod pdf_fonts;
pub mod pdf_subset;
pub mod pdf_writer;
pub mod pdfx;
pub mod shape;
pub mod sink;

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
    /// The questions-only handout: no answer sections and no "Answer on
    /// page N" pointers (for mock interviews and discussion prompts).
    pub questions_only: bool,
}

/// Layout passes before giving up on page references settling. Numbers only
/// change line widths in the index, so the second pass nearly always agrees.
const MAX_LAYOUT_PASSES: usize = 4;

/// Lays the book out until every page reference ("Answer on page N",
/// contents, index) equals where its target landed, and returns the last
/// pass with the sink its pages went to. The first pass only finds where
/// things land (its numbers are placeholders, so its pages are never the
/// book's); every later pass sends its pages to a fresh sink from `fresh`,
/// and the first whose numbers agree with those it was given is the book.
fn settle<S: sink::PageSink>(
    book: &Book,
    options: &PrintOptions,
    body_budget: usize,
    fresh: impl FnMut() -> S,
) -> (sink::LaidOut, S) {
    settle_with_bodies(
        book,
        options,
        book::bodies::BodyCache::new(body_budget),
        fresh,
    )
}

/// Passes at most that look for the inside margin before the final layout.
/// The gutter only ever grows from one pass to the next (see
/// `settle_with_bodies`), and grows at most once per step of the table in
/// `geometry::gutter_for_page_count`; in practice the second pass agrees
/// (a wider gutter adds pages, which never asks for a narrower one).
const MAX_GUTTER_PASSES: usize = 3;

/// The text block less wide than the paper's design only as a last resort:
/// when a wide gutter takes room, the outer margin gives first, down to
/// this. KDP's least outside margin is 0.25 in (0.375 in with bleed); we
/// keep 0.375 in so a thumb holding the book does not cover a line's end.
/// Keeping the measure also keeps every line break, so a wider gutter
/// costs no second layout.
const MIN_OUTER_MARGIN: f32 = 0.375 * 72.0;

/// The paper's geometry with inside margin `gutter` where that is wider
/// than the paper's own: the text block keeps its measure and moves
/// outwards while the outer margin stays at least `MIN_OUTER_MARGIN`, and
/// narrows after that.
pub fn bound_geometry(paper: PaperSize, gutter: Option<f32>) -> layout::geometry::Geometry {
    let mut geometry = layout::geometry::Geometry::for_paper(paper);
    if let Some(gutter) = gutter.filter(|g| *g > geometry.inner) {
        let measure = geometry.measure();
        geometry.inner = gutter;
        geometry.outer =
            (geometry.width - gutter - measure).max(MIN_OUTER_MARGIN.min(geometry.outer));
    }
    geometry
}

/// `settle`, starting from bodies already laid out (`Bodies`, shared by the
/// editions of one paper). The first pass also measures the book: when the
/// print interior's page count asks for a wider gutter than the bodies were
/// set for, the bodies are set again at the new measure and the first pass
/// repeated. The gutter never narrows between passes, so this settles.
fn settle_with_bodies<S: sink::PageSink>(
    book: &Book,
    options: &PrintOptions,
    mut bodies: book::bodies::BodyCache,
    mut fresh: impl FnMut() -> S,
) -> (sink::LaidOut, S) {
    let mut shaper = shape::Shaper::default();
    let hyphenation = hyphenate::Hyphenation::for_language(&book.meta.language);
    let mut gutter_passes = 0;
    let first = loop {
        gutter_passes += 1;
        let first = book::layout_book(
            book,
            options,
            &mut shaper,
            &hyphenation,
            book::Pass {
                numbers: &HashMap::new(),
                bodies: &mut bodies,
                final_pass: false,
                sink: &mut sink::Discard,
            },
        );
        let needed = layout::geometry::gutter_for_page_count(first.records.interior_pages());
        let before = bodies.geometry(options.paper);
        if needed <= before.inner || gutter_passes >= MAX_GUTTER_PASSES {
            break first;
        }
        bodies.set_gutter(Some(needed), options.paper);
        if bodies.geometry(options.paper).measure() == before.measure() {
            // The text block only moved: every line and page falls where
            // it did, so this pass's page numbers hold.
            break first;
        }
    };
    let mut numbers = first.records.page_numbers();
    let mut passes = 1;
    loop {
        passes += 1;
        let mut sink = fresh();
        let laid_out = book::layout_book(
            book,
            options,
            &mut shaper,
            &hyphenation,
            book::Pass {
                numbers: &numbers,
                bodies: &mut bodies,
                final_pass: true,
                sink: &mut sink,
            },
        );
        let found = laid_out.records.page_numbers();
        if found == numbers || passes >= MAX_LAYOUT_PASSES {
            return (laid_out, sink);
        }
        // Rare: the numbers moved something. Lay out again (the bodies this
        // pass took from the cache are set again by the next).
        numbers = found;
    }
}

/// Lays the book out into the page model, with every page reference
/// ("Answer on page N", contents, index) equal to where its target landed.
/// Holds every page: for tests and tools; the PDF edition streams instead.
pub fn layout(book: &Book, options: &PrintOptions) -> page::Document {
    layout_keeping_bodies(book, options, book::bodies::BODY_CACHE_BYTES)
}

/// `layout` with laid-out bodies kept between passes up to `budget` bytes
/// (0: every pass sets every body), for tests that the budget changes
/// nothing but time and memory.
pub fn layout_keeping_bodies(book: &Book, options: &PrintOptions, budget: usize) -> page::Document {
    let (laid_out, pages) = settle(book, options, budget, Vec::new);
    laid_out.with_pages(pages)
}

/// Destination name → printed page label.
pub fn page_numbers(document: &page::Document) -> HashMap<String, String> {
    document
        .destinations()
        .into_iter()
        .map(|(name, (index, _))| (name.to_string(), document.pages[index].label.clone()))
        .collect()
}

/// Typesets the book and returns the PDF bytes. The final layout pass writes
/// each page to the PDF as it finishes it, so no more than a section's pages
/// are ever held.
pub fn render_pdf(book: &Book, options: &PrintOptions) -> Result<Vec<u8>, String> {
    render_pdf_with_marks(book, options).map(|(bytes, _)| bytes)
}

/// Where each printed page begins, for the EPUB's page list, from layout
/// passes whose pages are dropped as they are made.
pub fn page_marks(book: &Book, options: &PrintOptions) -> Vec<page::PageMark> {
    let (laid_out, _) = settle(book, options, book::bodies::BODY_CACHE_BYTES, || {
        sink::Discard
    });
    laid_out.records.page_marks()
}

/// Typesets the book: the PDF bytes, and where each page begins.
pub fn render_pdf_with_marks(
    book: &Book,
    options: &PrintOptions,
) -> Result<(Vec<u8>, Vec<page::PageMark>), String> {
    let (laid_out, writer) = settle(
        book,
        options,
        book::bodies::BODY_CACHE_BYTES,
        pdf_writer::PdfWriter::new,
    );
    let marks = laid_out.records.page_marks();
    writer.finish(&laid_out).map(|bytes| (bytes, marks))
}

/// The screen edition and the print interior, from one layout.
pub struct Editions {
    /// For reading and sharing: cover, links, tags, PDF/A + UA.
    pub screen: Vec<u8>,
    /// For the press: PDF/X-4, no cover, no annotations, even page count.
    pub print_interior: Vec<u8>,
    /// The print interior's page count (for the cover's spine).
    pub interior_pages: usize,
    /// Where each page begins, for the EPUB's page list.
    pub marks: Vec<page::PageMark>,
    /// Images the interior prints under 300 ppi: path and resolution.
    pub low_resolution: Vec<(String, f32)>,
}

/// Lays the book out once and writes each finished page to both the screen
/// edition and the print interior (`pdf_writer::ScreenAndPrint`: one
/// content stream for both), so the second file costs little more than its
/// fonts and page objects.
pub fn render_editions(book: &Book, options: &PrintOptions) -> Result<Editions, String> {
    let (laid_out, writers) = settle(
        book,
        options,
        book::bodies::BODY_CACHE_BYTES,
        pdf_writer::ScreenAndPrint::new,
    );
    // The two files' ends (fonts subset, structure trees) on two cores.
    let pdf_writer::ScreenAndPrint { screen, print } = writers;
    let low_resolution = print.low_resolution_images().to_vec();
    let (screen, print_interior) = std::thread::scope(|scope| {
        let print = scope.spawn(|| print.finish(&laid_out));
        let screen = screen.finish(&laid_out);
        let print = print
            .join()
            .unwrap_or_else(|_| Err("the print interior's writer crashed".into()));
        (screen, print)
    });
    Ok(Editions {
        interior_pages: laid_out.records.interior_pages(),
        marks: laid_out.records.page_marks(),
        screen: screen?,
        print_interior: print_interior?,
        low_resolution,
    })
}

/// Scenario and chapter bodies laid out once for a paper, for every edition
/// in that paper (they hold no page numbers and do not depend on the ruled
/// space or on which sections an edition has).
#[derive(Clone)]
pub struct Bodies {
    paper: PaperSize,
    cache: book::bodies::BodyCache,
}

impl Bodies {
    pub fn lay_out(book: &Book, paper: PaperSize) -> Bodies {
        let options = PrintOptions {
            paper,
            workbook: true,
            questions_only: false,
        };
        Bodies {
            paper,
            cache: book::bodies::BodyCache::lay_out_all(
                book,
                &options,
                book::bodies::BODY_CACHE_BYTES,
            ),
        }
    }

    /// A copy for one edition's layout (glyph lists are shared, not copied);
    /// empty when laid out for another paper.
    fn for_edition(&self, options: &PrintOptions) -> book::bodies::BodyCache {
        if options.paper == self.paper {
            // Set without a gutter of their own; a pass that finds the
            // edition needs one sets them again.
            self.cache.clone()
        } else {
            book::bodies::BodyCache::new(book::bodies::BODY_CACHE_BYTES)
        }
    }
}

/// `render_pdf` from bodies laid out already.
pub fn render_pdf_with_bodies(
    book: &Book,
    options: &PrintOptions,
    bodies: &Bodies,
) -> Result<Vec<u8>, String> {
    let (laid_out, writer) = settle_with_bodies(
        book,
        options,
        bodies.for_edition(options),
        pdf_writer::PdfWriter::new,
    );
    writer.finish(&laid_out)
}

/// The print workbook's PDFs from one layout.
pub struct Workbooks {
    pub plain: Vec<u8>,
    pub fillable: Vec<u8>,
    /// The PDF/X-4 print interior of the same pages.
    pub print_interior: Vec<u8>,
    /// Its page count (for the cover's spine).
    pub interior_pages: usize,
    /// Where each page begins, for the EPUB's page list.
    pub marks: Vec<page::PageMark>,
}

/// One layout of the print workbook, written three times from the same
/// pages: the plain PDF, the fillable one (a text field over each
/// question's ruled space) and the print interior, with where each page
/// begins for the EPUB's page list.
pub fn render_workbook_and_fillable(
    book: &Book,
    options: &PrintOptions,
    bodies: &Bodies,
) -> Result<Workbooks, String> {
    let (laid_out, sink::Both(plain_and_print, fillable)) =
        settle_with_bodies(book, options, bodies.for_edition(options), || {
            sink::Both(
                pdf_writer::ScreenAndPrint::new(),
                pdf_writer::PdfWriter::fillable(forms::FormFields::for_book(book)),
            )
        });
    let marks = laid_out.records.page_marks();
    Ok(Workbooks {
        plain: plain_and_print.screen.finish(&laid_out)?,
        fillable: fillable.finish(&laid_out)?,
        print_interior: plain_and_print.print.finish(&laid_out)?,
        interior_pages: laid_out.records.interior_pages(),
        marks,
    })
}

/// The fillable workbook alone: the PDF with a text field over each
/// question's ruled space.
pub fn render_fillable(book: &Book, options: &PrintOptions) -> Result<Vec<u8>, String> {
    let (laid_out, writer) = settle(book, options, book::bodies::BODY_CACHE_BYTES, || {
        pdf_writer::PdfWriter::fillable(forms::FormFields::for_book(book))
    });
    writer.finish(&laid_out)
}

/// Characters that no font in `fonts/` can draw (for `casebook check`).
/// True when a font in fonts/ has a glyph for `c`.
pub fn can_draw(c: char) -> bool {
    fonts::FontSet::get().can_draw(c)
}

pub fn unsupported_chars(text: &str) -> Vec<(usize, char)> {
    fonts::unsupported_chars(text)
}
