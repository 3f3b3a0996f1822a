//! The print edition's front and back matter and its running heads, checked
//! on the page model of the real book and of small books: a half-title on a
//! recto, the title page's imprint at its foot, the copyright page's edition,
//! printing and ISBN lines, the index in two columns at a smaller size, and
//! running heads that name the scenario, never on an opener, never wider
//! than the measure.

mod common;
mod print_common;

use std::sync::OnceLock;

use casebook::model::Book;
use casebook::print::page::{Document, GlyphRun, Item, Page, PageRole, Part};
use casebook::print::{self, PaperSize, PrintOptions};
use common::project_root;
use print_common::*;

fn options() -> PrintOptions {
    PrintOptions {
        paper: PaperSize::TradeSixByNine,
        workbook: true,
        questions_only: false,
    }
}

fn real_book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(
        || match casebook::load::load_book(&project_root().join("book")) {
            Ok(loaded) => loaded.book,
            Err(diagnostics) => panic!("the book does not load: {diagnostics:?}"),
        },
    )
}

/// The real book laid out once for every test here.
fn real_document() -> &'static Document {
    static DOCUMENT: OnceLock<Document> = OnceLock::new();
    DOCUMENT.get_or_init(|| print::layout(real_book(), &options()))
}

/// The mini fixture with `extra` appended to its book.yaml, loaded.
fn mini_book_with(extra: &str) -> Book {
    let dir = std::env::temp_dir().join(format!("casebook-matter-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    common::copy_tree(&project_root().join("tests/fixtures/mini"), &dir);
    let yaml = dir.join("book.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str(extra);
    std::fs::write(&yaml, text).unwrap();
    let book = match casebook::load::load_book(&dir) {
        Ok(loaded) => loaded.book,
        Err(diagnostics) => panic!("the fixture does not load: {diagnostics:?}"),
    };
    let _ = std::fs::remove_dir_all(&dir);
    book
}

/// The page holding destination `name`.
fn page_of<'a>(document: &'a Document, name: &str) -> (usize, &'a Page) {
    let (index, _) = document.destinations()[name];
    (index, &document.pages[index])
}

/// The first page of the front matter: the first with a label.
fn front_start(document: &Document) -> usize {
    document
        .pages
        .iter()
        .position(|p| !p.label.is_empty())
        .expect("a labelled page")
}

/// The running head of a page: its furniture above the text block.
fn head(page: &Page) -> Vec<&GlyphRun> {
    page.furniture
        .iter()
        .filter_map(|i| match i {
            Item::Text(run) if run.baseline < page.text_block.y => Some(run),
            _ => None,
        })
        .collect()
}

fn head_text(page: &Page) -> String {
    head(page).iter().map(|r| r.text()).collect()
}

/// Does `text` hold `number` as a number of its own (not inside 112)?
fn names_number(text: &str, number: u32) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .any(|w| w == number.to_string())
}

fn all_text(page: &Page) -> String {
    page_lines(page).join("\n")
}

#[test]
fn the_half_title_is_a_recto_holding_only_the_title() {
    let sample = sample_book(2, 2);
    let sample_document = print::layout(&sample, &options());
    for (book, document) in [(real_book(), real_document()), (&sample, &sample_document)] {
        let first = front_start(document);
        let page = &document.pages[first];
        assert!(Page::is_right_hand(first), "the half-title is a recto");
        assert_eq!(page.label, "i");
        assert_eq!(page.role, PageRole::Plain, "no head, no folio");
        assert!(page.furniture.is_empty());
        assert_eq!(page_lines(page), vec![book.meta.title.clone()]);
        // Then the title page, on the next recto, with the subtitle.
        let (title_index, title_page) = page_of(document, "title");
        assert_eq!(title_index, first + 2);
        assert!(all_text(title_page).contains(book.meta.subtitle.as_deref().unwrap()));
        assert_eq!(document.pages[first + 1].role, PageRole::Blank);
    }
}

#[test]
fn the_title_page_sets_its_imprint_at_the_foot() {
    let book = real_book();
    let (_, page) = page_of(real_document(), "title");
    let block = page.text_block;
    let publisher = book.meta.publisher.as_deref().unwrap();
    let runs: Vec<&GlyphRun> = page.text_runs().collect();
    let imprint = runs
        .iter()
        .find(|r| r.text() == publisher)
        .expect("the publisher is on the title page");
    let year = runs
        .iter()
        .find(|r| r.text() == book.meta.date[..4])
        .expect("the year is on the title page");
    // In the bottom tenth of the text block, the year under the publisher,
    // the year last of all.
    assert!(
        imprint.baseline > block.y + block.height * 0.9,
        "the imprint at {} is not at the foot of {block:?}",
        imprint.baseline
    );
    assert!(year.baseline > imprint.baseline);
    assert!(year.baseline <= block.bottom() + 0.5);
    assert!(runs.iter().all(|r| r.baseline <= year.baseline));
    // The title is in the top part of the page.
    let title = runs
        .iter()
        .find(|r| r.text().starts_with(&book.meta.title[..4]))
        .unwrap();
    assert!(title.baseline < block.y + block.height * 0.3);
}

#[test]
fn the_copyright_page_has_edition_and_printing_lines_at_the_foot_of_the_verso() {
    let document = real_document();
    let (title_index, _) = page_of(document, "title");
    let page = &document.pages[title_index + 1];
    assert!(
        !Page::is_right_hand(title_index + 1),
        "the copyright page is a verso"
    );
    let text = all_text(page);
    // Unset in book.yaml: the edition's month and year from the book's
    // date, and the printer's number line of a first printing.
    assert!(text.contains("Edition of November 2026."), "{text}");
    assert!(text.contains("10 9 8 7 6 5 4 3 2 1"), "{text}");
    assert!(text.contains("Published by casebook, 2026."), "{text}");
    assert!(text.contains("Identifier: urn:uuid:"), "{text}");
    assert!(text.contains("Noto Serif"), "the colophon names the fonts");
    assert!(!text.contains("ISBN"), "no ISBN when none is set: {text}");
    // Small type, ending at the foot of the text block.
    let runs: Vec<&GlyphRun> = page.text_runs().collect();
    let body = print::layout::geometry::Geometry::for_paper(PaperSize::TradeSixByNine).body;
    assert!(runs.iter().all(|r| r.size < body));
    let last = runs.iter().map(|r| r.baseline).fold(0.0, f32::max);
    let first = runs.iter().map(|r| r.baseline).fold(f32::MAX, f32::min);
    let block = page.text_block;
    assert!(last > block.bottom() - 10.0, "ends at the foot: {last}");
    assert!(first > block.y + block.height * 0.5, "starts low: {first}");
}

#[test]
fn the_copyright_page_prints_the_isbn_edition_and_printing_given() {
    let book = mini_book_with(
        "isbn: \"ISBN 978-1-23456-789-7\"\nedition: \"Second edition\"\nprinting: \"Third printing, March 2027\"\n",
    );
    assert_eq!(book.meta.isbn.as_deref(), Some("ISBN 978-1-23456-789-7"));
    let document = print::layout(&book, &options());
    let (title_index, _) = page_of(&document, "title");
    let text = all_text(&document.pages[title_index + 1]);
    // As given, hyphens kept, the ISBN once.
    assert!(text.contains("ISBN 978-1-23456-789-7"), "{text}");
    assert_eq!(text.matches("ISBN").count(), 1, "{text}");
    assert!(text.contains("Second edition"), "{text}");
    assert!(text.contains("Third printing, March 2027"), "{text}");
    assert!(
        !text.contains("10 9 8 7"),
        "the given printing replaces the number line"
    );
    assert!(
        !text.contains("Edition of"),
        "the given edition replaces the default"
    );
}

#[test]
fn the_index_is_set_in_two_balanced_columns_at_a_smaller_size() {
    let document = real_document();
    let geometry = print::layout::geometry::Geometry::for_paper(PaperSize::TradeSixByNine);
    let (first, _) = page_of(document, "index");
    let pages = &document.pages[first..];
    assert!(pages.len() >= 2, "the real book's index takes two pages");
    for (k, page) in pages.iter().enumerate() {
        assert!(
            page.links
                .iter()
                .all(|l| l.rect.right() <= page.text_block.right() + 0.5)
        );
        let block = page.text_block;
        let middle = block.x + block.width / 2.0;
        // The entries (the heading and its note excepted): serif at the
        // index size, each run wholly in one half of the measure.
        let entries: Vec<&GlyphRun> = page
            .text_runs()
            .filter(|r| (r.size - (geometry.body - 1.5)).abs() < 0.01)
            .collect();
        assert!(entries.len() > 20, "index page {k} holds entries");
        let left: Vec<&&GlyphRun> = entries.iter().filter(|r| r.x < middle).collect();
        let right: Vec<&&GlyphRun> = entries.iter().filter(|r| r.x >= middle).collect();
        assert!(
            !left.is_empty() && !right.is_empty(),
            "two columns on index page {k}"
        );
        assert!(
            left.iter().all(|r| r.x + r.width <= middle),
            "a left-column run crosses into the right column on index page {k}"
        );
        // Nothing of the entries at the body size.
        assert!(
            page.text_runs()
                .filter(|r| r.baseline > block.y + 80.0 || k > 0)
                .all(|r| r.size < geometry.body),
            "index page {k} has body-size text among its entries"
        );
        // Turnover lines are indented: some runs start right of the
        // column's edge, by the turnover indent.
        let column_edges = [block.x, right.iter().map(|r| r.x).fold(f32::MAX, f32::min)];
        let indented = entries
            .iter()
            .filter(|r| column_edges.iter().any(|e| (r.x - e - 12.0).abs() < 0.5))
            .count();
        assert!(
            indented > 0,
            "turnover lines on index page {k} are indented"
        );
    }
    // The last page's columns end within a few lines of each other, the
    // left one not the shorter.
    let last = pages.last().unwrap();
    let middle = last.text_block.x + last.text_block.width / 2.0;
    let bottom = |left: bool| {
        last.text_runs()
            .filter(|r| (r.x < middle) == left)
            .map(|r| r.baseline)
            .fold(0.0, f32::max)
    };
    let leading = geometry.leading * (geometry.body - 1.5) / geometry.body;
    let (l, r) = (bottom(true), bottom(false));
    assert!(
        l + 0.5 >= r && l - r <= 3.0 * leading,
        "last index page: left column ends at {l}, right at {r}"
    );
}

#[test]
fn a_short_index_is_balanced_over_two_columns_on_its_one_page() {
    // Three topics under two letters: five lines, which one column would
    // hold; balanced, the right column takes the last letter's.
    let book = sample_book(2, 2);
    let document = print::layout(&book, &options());
    let (first, page) = page_of(&document, "index");
    assert_eq!(first + 1, document.pages.len(), "one index page");
    let right = column_lines(page, false);
    assert_eq!(right.len(), 2, "{right:?}");
    assert_eq!(right[0], "S");
    assert!(right[1].starts_with("SQL "), "{right:?}");
    let left = column_lines(page, true);
    let n = left.len();
    assert!(n >= 3, "{left:?}");
    assert_eq!(left[n - 3], "A");
    assert!(left[n - 2].starts_with("Airflow ") && left[n - 1].starts_with("Apache Kafka "));
}

#[test]
fn index_letter_headings_stay_with_their_first_entry() {
    let document = real_document();
    let (first, _) = page_of(document, "index");
    for page in &document.pages[first..] {
        let block = page.text_block;
        let middle = block.x + block.width / 2.0;
        for column in [true, false] {
            let mut runs: Vec<&GlyphRun> = page
                .text_runs()
                .filter(|r| (r.x < middle) == column && r.baseline > block.y + 60.0)
                .collect();
            runs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
            if let Some(last) = runs.last() {
                assert!(
                    last.face != casebook::print::fonts::FaceId::SansBold,
                    "the letter heading {:?} ends a column on page {}",
                    last.text(),
                    page.label
                );
            }
        }
    }
}

/// The scenario each page belongs to, from where its content starts (a
/// page of ruled lines only continues the page before).
fn scenario_of_pages(document: &Document) -> Vec<Option<(u32, bool)>> {
    let mut current = None;
    document
        .pages
        .iter()
        .map(|page| {
            match page.starts_at.part {
                Part::Question(n) | Part::QuestionEnd(n) => current = Some((n, false)),
                Part::Answer(n) => current = Some((n, true)),
                Part::None if page.role != PageRole::Blank => {}
                _ => current = None,
            }
            current
        })
        .collect()
}

#[test]
fn every_question_and_answer_page_names_its_scenario_in_its_head() {
    let book = real_book();
    let document = real_document();
    let mut checked = 0;
    for (index, (page, scenario)) in document
        .pages
        .iter()
        .zip(scenario_of_pages(document))
        .enumerate()
    {
        let Some((number, answer)) = scenario else {
            continue;
        };
        // (An answers opener starts with its section's heading, so it is
        // not counted here: `no_section_opener_carries_a_running_head`.)
        let head = head_text(page);
        assert!(
            names_number(&head, number),
            "page {} (scenario {number}) has the head {head:?}",
            page.label
        );
        let (category, scenario) = book
            .categories
            .iter()
            .find_map(|c| {
                c.scenarios
                    .iter()
                    .find(|s| s.number as u32 == number)
                    .map(|s| (c, s))
            })
            .unwrap();
        if Page::is_right_hand(index) {
            // The recto: the scenario's title (or its first words).
            let words: Vec<&str> = scenario.title.split_whitespace().collect();
            assert!(head.starts_with(words[0]), "recto head {head:?}");
        } else {
            assert!(head.contains(&category.title[..8]), "verso head {head:?}");
            assert_eq!(head.contains("Answers"), answer, "verso head {head:?}");
        }
        checked += 1;
    }
    assert!(
        checked > 2 * book.scenario_count(),
        "checked {checked} pages"
    );
}

#[test]
fn no_section_opener_carries_a_running_head() {
    let document = real_document();
    let mut openers = 0;
    for page in &document.pages {
        let opens = page.destinations.iter().any(|(name, _)| {
            name.starts_with("category-")
                || name.starts_with("answers-")
                || name.starts_with("chapter-")
                || name == "contents"
                || name == "index"
                || name == "title"
        });
        if !opens {
            if page.role == PageRole::Blank {
                assert!(page.furniture.is_empty(), "a blank page is blank");
            }
            continue;
        }
        openers += 1;
        assert!(
            head(page).is_empty(),
            "the opener on page {} has the head {:?}",
            page.label,
            head_text(page)
        );
    }
    let book = real_book();
    // Contents, index, each front chapter, each category and answers opener.
    assert!(openers >= 2 + book.front.len() + 2 * book.categories.len());
}

#[test]
fn no_running_head_is_wider_than_the_measure() {
    let document = real_document();
    for page in &document.pages {
        let runs = head(page);
        if runs.is_empty() {
            continue;
        }
        let left = runs.iter().map(|r| r.x).fold(f32::MAX, f32::min);
        let right = runs.iter().map(|r| r.x + r.width).fold(0.0, f32::max);
        let block = page.text_block;
        assert!(
            left >= block.x - 0.5 && right <= block.right() + 0.5,
            "the head {:?} on page {} runs out of the measure",
            head_text(page),
            page.label
        );
        assert!(right - left <= block.width * 0.8 + 0.5);
    }
}

#[test]
fn a_long_title_is_cut_at_a_word_in_its_running_head() {
    let mut book = sample_book(1, 2);
    let long = "A Very Long Scenario Title That Goes On and On About Partitions, Retries, Watermarks \
                and Everything Else That Can Go Wrong in One Night";
    book.categories[0].scenarios[0].title = long.into();
    let document = print::layout(&book, &options());
    let heads: Vec<String> = document
        .pages
        .iter()
        .enumerate()
        .filter(|(i, _)| Page::is_right_hand(*i))
        .map(|(_, p)| head_text(p))
        .filter(|h| h.starts_with("A Very Long"))
        .collect();
    assert!(!heads.is_empty(), "the long title heads a recto");
    for head in heads {
        assert!(head.ends_with("… · 1"), "{head}");
        let cut = head.trim_end_matches("… · 1");
        assert!(long.starts_with(cut), "cut at a word: {head}");
        let next = long[cut.len()..].chars().next();
        assert!(
            next == Some(' ') || next == Some(','),
            "cut at a word: {head}"
        );
    }
}

/// The print edition holds no grey below what a toner press prints clean:
/// all text (body, code, running heads, folios, leaders) and every rule are
/// solid black; the only tint is a fill (the code shading) of at least 15%.
#[test]
fn print_text_and_rules_are_solid_black_and_tints_are_at_least_fifteen_percent() {
    let mut fills = 0;
    for (k, page) in real_document().pages.iter().enumerate() {
        for item in page.items.iter().chain(&page.furniture) {
            match item {
                Item::Text(run) => assert_eq!(run.gray, 0.0, "page {k}: grey text {run:?}"),
                Item::Rule { gray, .. } => assert_eq!(*gray, 0.0, "page {k}: a grey rule"),
                Item::Fill { gray, .. } => {
                    fills += 1;
                    assert!(*gray <= 0.85, "page {k}: a fill lighter than 15%: {gray}");
                }
                Item::Image { .. } => {}
            }
        }
    }
    assert!(fills > 0, "the real book has shaded code");
}
