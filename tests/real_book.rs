//! The real book in `book/`: it must check clean, build, pass epubcheck and
//! stay within its size and speed budgets.

mod common;

use common::*;

#[test]
fn real_book_checks_without_errors() {
    let output = casebook(&["check", "--book", "book"]);
    assert!(
        output.status.success(),
        "casebook check found errors:\n{}",
        stdout(&output)
    );
}

#[test]
fn real_book_epub_passes_epubcheck_and_fits_the_size_budget() {
    let out = scratch_dir("real-epub");
    let epub = build_epub(&project_root().join("book"), &out);
    let size = std::fs::metadata(&epub).unwrap().len();
    assert!(
        size < 1_500_000,
        "the EPUB is {size} bytes; the budget is 1.5 MB"
    );
    let (errors, warnings, report) = epubcheck(&epub);
    assert_eq!((errors, warnings), (0, 0), "epubcheck: {report}");
}

#[test]
fn real_book_counts_table_matches_the_scenario_files() {
    let out = scratch_dir("real-counts");
    let files = read_epub(&build_epub(&project_root().join("book"), &out));
    let covers = files
        .iter()
        .find(|(name, text)| name.starts_with("OEBPS/ch-") && text.contains("<table>"))
        .map(|(_, text)| text.clone())
        .expect("a front-matter chapter holds the counts table");
    let yaml = std::fs::read_to_string(project_root().join("book/book.yaml")).unwrap();
    let dirs: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("dir: "))
        .collect();
    let rows: Vec<&str> = covers.split("<tr>").skip(2).collect();
    assert_eq!(
        rows.len(),
        dirs.len() + 1,
        "one row per category plus the total"
    );
    let mut total = 0;
    for (row, dir) in rows.iter().zip(&dirs) {
        let files_on_disk = std::fs::read_dir(project_root().join("book").join(dir))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "md")
            })
            .count();
        total += files_on_disk;
        assert!(
            row.contains(&format!("<td class=\"right\">{files_on_disk}</td>")),
            "{dir}: {row}"
        );
    }
    assert!(rows[dirs.len()].contains(&format!("<strong>{total}</strong>")));
}

mod print_common;

use casebook::print::{self, PaperSize, PrintOptions};

fn real_book() -> casebook::model::Book {
    match casebook::load::load_book(&project_root().join("book")) {
        Ok(loaded) => loaded.book,
        Err(diagnostics) => panic!("the book does not load: {diagnostics:?}"),
    }
}

#[test]
fn real_book_pages_keep_every_glyph_inside_the_text_block_in_every_paper_size() {
    let book = real_book();
    for paper in [PaperSize::TradeSixByNine, PaperSize::A4, PaperSize::Letter] {
        let document = print::layout(
            &book,
            &PrintOptions {
                paper,
                workbook: true,
                questions_only: false,
            },
        );
        let outside = print_common::items_outside_text_block(&document);
        assert!(
            outside.is_empty(),
            "{paper:?}: {} items outside, first: {:?}",
            outside.len(),
            outside.first()
        );
        let ending = pages_ending_with_a_heading(&book, &document);
        assert!(
            ending.is_empty(),
            "{paper:?}: pages end with a heading: {ending:?}"
        );
        let scenarios = book.scenario_count();
        assert_eq!(
            print_common::check_pointers(&document),
            2 * scenarios,
            "{paper:?}: one pointer per question and per answer"
        );
    }
}

#[test]
fn real_book_pdf_is_valid_with_every_font_embedded_and_subset() {
    let out = scratch_dir("real-pdf");
    let output = casebook(&["build", "--pdf", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = out.join("when-theory-ends-production-scenarios.pdf");
    let check = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .expect("qpdf is installed");
    assert!(
        check.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let fonts = std::process::Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .expect("pdffonts is installed");
    let listing = String::from_utf8_lossy(&fonts.stdout);
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert!(
        rows.len() >= 5,
        "serif, italic, bold, sans, mono at least: {listing}"
    );
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let flags = &columns[columns.len() - 5..columns.len() - 2];
        assert_eq!(
            flags,
            ["yes", "yes", "yes"],
            "embedded, subset, unicode: {row}"
        );
    }
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo is installed");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("Title:           When Theory Ends: Production Scenarios"),
        "{info}"
    );
    assert!(
        info.contains("Page size:       432 x 648 pts"),
        "6x9 from book.yaml: {info}"
    );
}

/// Pages whose last line of text is one of the book's section headings.
fn pages_ending_with_a_heading(
    book: &casebook::model::Book,
    document: &casebook::print::page::Document,
) -> Vec<String> {
    use casebook::document::{Block, plain_text};
    let mut headings = std::collections::HashSet::new();
    for (_, scenario) in book.scenarios() {
        for block in scenario.question.iter().chain(&scenario.answer) {
            if let Block::Heading { content, .. } = block {
                headings.insert(plain_text(content));
            }
        }
    }
    let mut found = Vec::new();
    for page in &document.pages {
        let mut runs: Vec<_> = page.text_runs().collect();
        runs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
        let Some(last) = runs.last() else { continue };
        let line: String = runs
            .iter()
            .filter(|r| (r.baseline - last.baseline).abs() < 0.5)
            .map(|r| r.text())
            .collect();
        if headings.contains(line.trim()) {
            found.push(format!("page {}: {line}", page.label));
        }
    }
    found
}
