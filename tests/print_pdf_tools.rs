//! The PDF itself, checked with the tools readers' software relies on:
//! `qpdf --check` finds no errors, `pdffonts` shows every font embedded and
//! subset, `pdftotext` gives back the source's words in order, and two builds
//! are byte-identical. (The tools come from poppler-utils and qpdf; `.ci/run`
//! installs them.)

mod print_common;

use std::path::PathBuf;
use std::process::Command;

use casebook::document::Block;
use casebook::document::plain_text;
use casebook::print::{self, PaperSize, PrintOptions};
use print_common::*;

fn write_pdf(name: &str, paper: PaperSize) -> (PathBuf, Vec<u8>, casebook::model::Book) {
    let book = sample_book(2, 2);
    let bytes = print::render_pdf(
        &book,
        &PrintOptions {
            paper,
            workbook: true,
            questions_only: false,
        },
    )
    .expect("renders");
    let dir = std::env::temp_dir().join("casebook-print-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes, book)
}

fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} must be installed: {e}"));
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn qpdf_finds_no_errors_in_any_paper_size() {
    for (name, paper) in [
        ("a4.pdf", PaperSize::A4),
        ("letter.pdf", PaperSize::Letter),
        ("6x9.pdf", PaperSize::TradeSixByNine),
    ] {
        let (path, _, _) = write_pdf(name, paper);
        let out = run("qpdf", &["--check", path.to_str().unwrap()]);
        assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    }
}

#[test]
fn every_font_is_embedded_and_subset() {
    let (path, _, _) = write_pdf("fonts.pdf", PaperSize::TradeSixByNine);
    let out = run("pdffonts", &[path.to_str().unwrap()]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(rows.len() >= 4, "{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "not embedded+subset+unicode: {row}"
        );
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn block_text(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph(content) => {
                out.push_str(&plain_text(content));
                out.push(' ');
            }
            Block::List { items, .. } => items.iter().for_each(|i| block_text(i, out)),
            Block::Quote(inner) => block_text(inner, out),
            Block::CodeBlock { lines, .. } => lines.iter().for_each(|l| {
                out.push_str(l);
                out.push(' ');
            }),
            Block::Table(t) => {
                for cell in t.header.iter().chain(t.rows.iter().flatten()) {
                    out.push_str(&plain_text(cell));
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

#[test]
fn pdftotext_gives_back_every_word_in_order() {
    let (path, _, book) = write_pdf("text.pdf", PaperSize::TradeSixByNine);
    let extracted = run("pdftotext", &[path.to_str().unwrap(), "-"]);
    // Rejoin words hyphenated at line ends.
    let rejoined = regex_free_dehyphenate(&extracted);
    let pdf_words = words(&rejoined);
    let mut source = String::new();
    // The book's order: a category's questions, then its answers.
    for category in &book.categories {
        for scenario in &category.scenarios {
            block_text(&scenario.question, &mut source);
        }
        for scenario in &category.scenarios {
            block_text(&scenario.answer, &mut source);
        }
    }
    // Every source word appears, in order, as a subsequence of the PDF's words.
    let mut at = 0;
    for word in words(&source) {
        match pdf_words[at..].iter().position(|w| *w == word) {
            Some(p) => at += p + 1,
            None => panic!("`{word}` missing or out of order after word {at} of the PDF"),
        }
    }
}

/// Joins "hyphen-\n   ated" into "hyphenated" (only where a line ends in a hyphen).
fn regex_free_dehyphenate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_end();
        if trimmed.ends_with('-')
            && trimmed
                .chars()
                .rev()
                .nth(1)
                .is_some_and(char::is_alphabetic)
        {
            out.push_str(&trimmed[..trimmed.len() - 1]);
            if let Some(next) = lines.peek_mut() {
                *next = next.trim_start();
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn two_builds_are_byte_identical() {
    let (_, first, _) = write_pdf("one.pdf", PaperSize::TradeSixByNine);
    let (_, second, _) = write_pdf("two.pdf", PaperSize::TradeSixByNine);
    assert!(first == second, "two builds differ");
}
