//! The print interior's page budget, measured on the page model of the real
//! book: it fits the 828 pages Amazon KDP binds in a paperback, and the
//! margins that brought it there still keep the running head and folio
//! clear of the trim and of the text. `cargo test --release --test
//! print_page_budget -- --nocapture` prints where the pages go.

mod print_common;

use std::collections::BTreeMap;

use casebook::model::Book;
use casebook::print::layout::geometry::{Geometry, KDP_MAX_PAGES};
use casebook::print::page::{Document, Item, Page, PageRole, Part, Rect};
use casebook::print::{self, PaperSize, PrintOptions};

const INCH: f32 = 72.0;
/// KDP's least margin on every side of an interior without bleed: nothing
/// printed may come nearer the trim than this.
const KDP_LIVE_AREA_INSET: f32 = 0.25 * INCH;

fn real_book() -> Book {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    match casebook::load::load_book(&root) {
        Ok(loaded) => loaded.book,
        Err(diagnostics) => panic!("the book does not load: {diagnostics:?}"),
    }
}

fn print_workbook(book: &Book) -> Document {
    print::layout(
        book,
        &PrintOptions {
            paper: PaperSize::TradeSixByNine,
            workbook: true,
            questions_only: false,
        },
    )
}

/// Pages of the print interior: every page but the cover's, padded to an
/// even count as the writer pads it.
fn interior_pages(document: &Document) -> usize {
    let pages = document
        .pages
        .iter()
        .filter(|p| p.role != PageRole::Cover)
        .count();
    pages + pages % 2
}

fn is_notes_page(page: &Page) -> bool {
    print_common::page_lines(page)
        .first()
        .is_some_and(|line| line == "Notes")
}

/// What each page of the interior is, for the budget: the part it starts
/// in (or the part running on to it), split for questions into pages with
/// text and pages of ruled lines only.
fn kind(page: &Page, part: Part) -> &'static str {
    if page.role == PageRole::Blank {
        return "blank (next part opens on a recto)";
    }
    if is_notes_page(page) {
        return "Notes page (keeps a question on a spread)";
    }
    match part {
        Part::Title | Part::Copyright | Part::Contents | Part::None => "front matter",
        Part::Chapter(_) => "front and back chapters",
        Part::Opener(_) | Part::OpenerList(_) => "category openers",
        Part::Question(_) => "question pages with text",
        Part::QuestionEnd(_) => {
            if print_common::page_lines(page).len() <= 2 {
                "ruled continuation pages"
            } else {
                "question pages with text"
            }
        }
        Part::AnswersOpener(_) | Part::Answer(_) => "answer pages",
        Part::Index => "index",
    }
}

fn budget(document: &Document) -> BTreeMap<&'static str, usize> {
    let mut kinds = BTreeMap::new();
    let mut part = Part::None;
    for page in document.pages.iter().filter(|p| p.role != PageRole::Cover) {
        if page.starts_at.is_set() {
            part = page.starts_at.part;
        }
        *kinds.entry(kind(page, part)).or_default() += 1;
    }
    kinds
}

#[test]
fn the_real_books_print_interior_fits_a_kdp_paperback() {
    let document = print_workbook(&real_book());
    let pages = interior_pages(&document);
    println!("print interior: {pages} pages (KDP binds at most {KDP_MAX_PAGES})");
    for (kind, count) in budget(&document) {
        println!("  {count:4}  {kind}");
    }
    assert!(
        pages <= KDP_MAX_PAGES,
        "the print interior has {pages} pages, more than the {KDP_MAX_PAGES} KDP binds"
    );
}

/// Over every page with furniture: how near the trim any of it comes, the
/// least white between the running head's rule and the page's first item,
/// and between the page's last item and the folio's top.
struct Clearances {
    to_trim: f32,
    under_head: f32,
    over_folio: f32,
}

fn clearances(document: &Document) -> Clearances {
    let mut c = Clearances {
        to_trim: f32::MAX,
        under_head: f32::MAX,
        over_folio: f32::MAX,
    };
    for page in document.pages.iter().filter(|p| p.role != PageRole::Cover) {
        let middle = page.height / 2.0;
        let (mut head_bottom, mut folio_top) = (None::<f32>, None::<f32>);
        for item in &page.furniture {
            let b = item.bounds();
            c.to_trim = c
                .to_trim
                .min(b.x)
                .min(b.y)
                .min(page.width - b.right())
                .min(page.height - b.bottom());
            if b.y < middle {
                head_bottom = Some(head_bottom.map_or(b.bottom(), |h| h.max(b.bottom())));
            } else {
                folio_top = Some(folio_top.map_or(b.y, |f| f.min(b.y)));
            }
        }
        let bounds: Vec<Rect> = page.items.iter().map(Item::bounds).collect();
        if let (Some(head), Some(top)) = (head_bottom, bounds.iter().map(|b| b.y).reduce(f32::min))
        {
            c.under_head = c.under_head.min(top - head);
        }
        if let (Some(folio), Some(bottom)) = (
            folio_top,
            bounds.iter().map(|b| b.bottom()).reduce(f32::max),
        ) {
            c.over_folio = c.over_folio.min(folio - bottom);
        }
    }
    c
}

#[test]
fn running_heads_and_folios_keep_clear_of_the_trim_and_the_text() {
    let document = print_workbook(&real_book());
    let leading = Geometry::for_paper(PaperSize::TradeSixByNine).leading;
    let c = clearances(&document);
    println!(
        "furniture to trim {:.1} pt, head rule to text {:.1} pt, text to folio {:.1} pt",
        c.to_trim, c.under_head, c.over_folio
    );
    assert!(
        c.to_trim >= KDP_LIVE_AREA_INSET,
        "furniture {:.1} pt from the trim, inside KDP's {KDP_LIVE_AREA_INSET} pt",
        c.to_trim
    );
    // A line's white at least between the head's rule and the text, and
    // between the text (or the ruling's last line) and the folio.
    assert!(
        c.under_head >= leading,
        "{:.1} pt under the head",
        c.under_head
    );
    assert!(
        c.over_folio >= leading,
        "{:.1} pt over the folio",
        c.over_folio
    );
}

/// The parts that open on a recto (a category's opener, so its questions
/// start a spread; a front or back chapter; the index) do, and a blank
/// page is only ever the verso before one of them: the answer sections and
/// the questions open on whichever page comes next, so no other page of
/// the interior is left blank.
#[test]
fn openers_open_on_rectos_and_blank_pages_only_precede_them() {
    let book = real_book();
    let document = print_workbook(&book);
    let opens_on_a_recto = |page: &Page| {
        page.starts_at.block == casebook::print::page::Origin::HEAD
            && matches!(
                page.starts_at.part,
                Part::Opener(_) | Part::Chapter(_) | Part::Index | Part::Title
            )
    };
    let mut openers = 0;
    for (index, page) in document.pages.iter().enumerate() {
        if opens_on_a_recto(page) {
            openers += 1;
            assert!(
                Page::is_right_hand(index),
                "page {index} ({:?}) opens on a verso",
                page.starts_at.part
            );
        }
        if page.role == PageRole::Blank {
            let next = document.pages.get(index + 1);
            assert!(
                next.is_none_or(opens_on_a_recto),
                "blank page {index} is followed by {:?}",
                next.map(|p| p.starts_at)
            );
        }
    }
    // Ten categories, four front chapters, the half-title and the title
    // page (both start in the title part), the index.
    let expected = book.categories.len() + book.front.len() + book.back.len() + 3;
    assert_eq!(openers, expected, "every part that opens on a recto found");
}
