//! The print edition's layout, checked on the page model: nothing outside the
//! text block, no heading last on a page, page references equal to where
//! their targets land, and bad input giving sensible pages, not panics.

mod print_common;

use casebook::print::page::Item;
use casebook::print::{self, PaperSize, PrintOptions};
use print_common::*;

fn options(paper: PaperSize) -> PrintOptions {
    PrintOptions {
        paper,
        workbook: true,
        questions_only: false,
    }
}

#[test]
fn nothing_is_set_outside_the_text_block() {
    for paper in [PaperSize::TradeSixByNine, PaperSize::A4, PaperSize::Letter] {
        let book = sample_book(3, 2);
        let document = print::layout(&book, &options(paper));
        let outside = items_outside_text_block(&document);
        assert!(outside.is_empty(), "{paper:?}: {outside:#?}");
    }
}

#[test]
fn no_page_ends_with_a_heading() {
    let book = sample_book(3, 3);
    let layout = casebook::print::layout(&book, &options(PaperSize::TradeSixByNine));
    for (index, page) in layout.pages.iter().enumerate() {
        let Some(last) = page
            .text_runs()
            .max_by(|a, b| a.baseline.total_cmp(&b.baseline))
        else {
            continue;
        };
        let is_heading = last.face == casebook::print::fonts::FaceId::SansBold && last.size > 10.0;
        let fills = page
            .items
            .iter()
            .any(|i| matches!(i, Item::Rule { thickness, .. } if (*thickness - 0.4).abs() < 0.01));
        assert!(
            !is_heading || fills,
            "page {index} ends with the heading {:?}",
            last.text()
        );
    }
}

#[test]
fn answer_and_question_pointers_name_the_page_their_target_is_on() {
    let book = sample_book(2, 3);
    let document = print::layout(&book, &options(PaperSize::TradeSixByNine));
    assert_eq!(
        check_pointers(&document),
        2 * 6,
        "every question and every answer has its pointer"
    );
}

#[test]
fn contents_and_index_numbers_are_the_real_pages() {
    let book = sample_book(2, 3);
    let document = print::layout(&book, &options(PaperSize::A4));
    let numbers = print::page_numbers(&document);
    let contents = document
        .pages
        .iter()
        .find(|p| page_lines(p).iter().any(|l| l == "Contents"))
        .expect("contents");
    let lines = page_lines(contents);
    for (_, scenario) in book.scenarios() {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&scenario.heading(&book.labels)))
            .expect("contents entry");
        let printed: String = line
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        assert_eq!(
            printed,
            numbers[&format!("question-{}", scenario.number)],
            "{line}"
        );
    }
    let index = document
        .pages
        .iter()
        .rev()
        .find(|p| page_lines(p).iter().any(|l| l == "Index"))
        .expect("index");
    // The index is set in two columns: read the left, then the right.
    let mut lines = column_lines(index, true);
    lines.extend(column_lines(index, false));
    let lines = lines.join("\n");
    for (tag, scenarios) in book.topic_index() {
        let entry = lines
            .lines()
            .find(|l| l.starts_with(&tag.name))
            .expect("index entry");
        for s in scenarios {
            assert!(
                entry.contains(&numbers[&format!("question-{}", s.number)]),
                "{entry}"
            );
        }
    }
}

#[test]
fn categories_open_on_right_hand_pages_and_scenarios_on_new_pages() {
    let book = sample_book(3, 2);
    let document = print::layout(&book, &options(PaperSize::TradeSixByNine));
    let destinations = document.destinations();
    for category in &book.categories {
        let (page, _) = destinations[format!("category-{}", category.id).as_str()];
        assert_eq!(page % 2, 0, "{} opens on a right-hand page", category.title);
        for scenario in &category.scenarios {
            for name in [
                format!("question-{}", scenario.number),
                format!("answer-{}", scenario.number),
            ] {
                let (page, y) = destinations[name.as_str()];
                assert!(
                    y < document.pages[page].text_block.y + 60.0,
                    "{name} starts at the top of page {page}"
                );
            }
        }
    }
    // Front matter is numbered i, ii…; the body from 1.
    let first_body = destinations["category-cat-1"].0;
    assert_eq!(document.pages[first_body].label, "1");
    assert!(
        document.pages[first_body - 1]
            .label
            .chars()
            .all(|c| "ivxlc".contains(c))
    );
}

#[test]
fn workbook_lines_fill_the_page_and_can_be_left_out() {
    let book = sample_book(1, 1);
    let with = print::layout(&book, &options(PaperSize::TradeSixByNine));
    let rules = |d: &casebook::print::page::Document| {
        d.pages
            .iter()
            .flat_map(|p| &p.items)
            .filter(
                |i| matches!(i, Item::Rule { thickness, .. } if (*thickness - 0.4).abs() < 0.01),
            )
            .count()
    };
    assert!(rules(&with) >= 8);
    let without = print::layout(
        &book,
        &PrintOptions {
            paper: PaperSize::TradeSixByNine,
            workbook: false,
            questions_only: false,
        },
    );
    assert_eq!(rules(&without), 0);
}

#[test]
fn bad_input_gives_sensible_pages() {
    let mut book = sample_book(1, 1);
    let scenario = &mut book.categories[0].scenarios[0];
    scenario.question.push(paragraph(&format!(
        "A word longer than any line: {}.",
        "x".repeat(200)
    )));
    scenario.question.push(code(&["y".repeat(300)]));
    scenario.question.push(table(40));
    let document = print::layout(&book, &options(PaperSize::TradeSixByNine));
    let text: String = document
        .pages
        .iter()
        .flat_map(page_lines)
        .collect::<Vec<_>>()
        .join("");
    assert!(
        text.matches('x').count() >= 200,
        "the long word is kept whole"
    );
    assert!(
        text.matches('y').count() >= 300,
        "no code character is lost"
    );
    // The 40-row table spans pages and repeats its header on each.
    let header_pages = document
        .pages
        .iter()
        .filter(|p| page_lines(p).iter().any(|l| l.starts_with("Column A")))
        .count();
    assert!(header_pages >= 2, "header repeated on {header_pages} pages");
    // A character no font has is reported, with its byte offset.
    assert_eq!(
        print::unsupported_chars("tofu \u{1F9C8}"),
        vec![(5, '\u{1F9C8}')]
    );
}

#[test]
fn bodies_set_again_instead_of_kept_give_the_same_pages() {
    // A large book keeps only some laid-out bodies between passes and sets
    // the rest again: that must change nothing on the page.
    let book = sample_book(3, 3);
    let options = options(PaperSize::TradeSixByNine);
    let kept = print::layout(&book, &options);
    let set_again = print::layout_keeping_bodies(&book, &options, 0);
    assert!(kept.pages.len() > 10);
    assert!(kept == set_again, "the pages differ");
}

#[test]
fn the_streamed_pdf_is_the_pdf_of_the_whole_document() {
    // render_pdf writes each page as the final pass finishes it; the result
    // is byte for byte the PDF written from every page held at once.
    let book = sample_book(2, 3);
    let options = options(PaperSize::A4);
    let streamed = print::render_pdf(&book, &options).unwrap();
    let whole = print::pdf_writer::write_pdf(&print::layout(&book, &options)).unwrap();
    assert!(
        streamed == whole,
        "{} and {} bytes",
        streamed.len(),
        whole.len()
    );
}
