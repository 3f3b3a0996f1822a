//! The EPUB's page list follows the print edition's real pages: one build
//! makes both, and for 30 pages spread over the book the first words that
//! `pdftotext` finds on PDF page N are the words right after the EPUB's
//! page-break marker N.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use casebook::print::page::{Item, Origin, Part};
use casebook::print::{PaperSize, PrintOptions};
use common::*;

/// Words as both tests compare them: letters and digits only, lower case.
fn normalise(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text of an XHTML document as words, with each page-break marker as
/// a word of its own: `\u{1}label`.
fn words_with_markers(xhtml: &str) -> Vec<String> {
    let body = &xhtml[xhtml.find("<body").unwrap_or(0)..];
    let mut text = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        if tag.contains("doc-pagebreak") {
            let label = attribute_values(tag, "aria-label")
                .pop()
                .expect("a marker has a label");
            text.push_str(&format!(" \u{1}{label} "));
        } else {
            // Inline elements join their text to its neighbours; any other
            // element (cells, items, paragraphs, code lines) separates words.
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if !matches!(name.as_str(), "em" | "strong" | "a" | "code") {
                text.push(' ');
            }
        }
        rest = &rest[close..];
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    text.split_whitespace()
        .map(|w| {
            if w.starts_with('\u{1}') {
                w.to_string()
            } else {
                normalise(w)
            }
        })
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn the_epub_page_list_follows_the_print_pages() {
    let out = scratch_dir("page-list");
    let book_dir = project_root().join("book");
    build_book(&book_dir, &out, &[]);
    let pdf = output_with_extension(&out, "pdf");
    let files = read_epub(&output_with_extension(&out, "epub"));

    // The page model of the same edition: each PDF page's label, furniture
    // and where it starts.
    let loaded = casebook::load::load_book(&book_dir).unwrap_or_else(|_| panic!("book loads"));
    let options = PrintOptions {
        paper: PaperSize::TradeSixByNine,
        workbook: true,
        questions_only: false,
    };
    let document = casebook::print::layout(&loaded.book, &options);
    let pdf_pages = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&pdf_pages.stdout);
    let pages_line = info.lines().find(|l| l.starts_with("Pages:")).unwrap_or("");
    assert_eq!(
        pages_line.split_whitespace().nth(1),
        Some(document.pages.len().to_string().as_str()),
        "the PDF has the page model's {} pages:\n{info}",
        document.pages.len()
    );

    // Every labelled page has exactly one marker, in page order, and one
    // page-list entry that links to it.
    let mut words: Vec<String> = Vec::new();
    for file in spine(&files) {
        words.extend(words_with_markers(&files[&format!("OEBPS/{file}")]));
    }
    let markers: Vec<&str> = words
        .iter()
        .filter_map(|w| w.strip_prefix('\u{1}'))
        .collect();
    let labels: Vec<&str> = document
        .pages
        .iter()
        .map(|p| p.label.as_str())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(markers, labels, "one marker per printed page, in order");
    let nav = &files["OEBPS/nav.xhtml"];
    let list = &nav[nav
        .find("epub:type=\"page-list\"")
        .expect("a page-list nav")..];
    assert_eq!(
        list.matches("<li>").count(),
        labels.len(),
        "one page-list entry per page"
    );
    let ncx = &files["OEBPS/toc.ncx"];
    assert_eq!(ncx.matches("<pageTarget ").count(), labels.len());
    assert!(ncx.contains(&format!(
        "<meta name=\"dtb:totalPageCount\" content=\"{}\" />",
        labels.len()
    )));
    let opf = &files["OEBPS/content.opf"];
    for feature in ["pageBreakMarkers", "pageNavigation", "printPageNumbers"] {
        assert!(opf.contains(feature), "accessibility feature {feature}");
    }
    assert!(opf.contains("property=\"pageBreakSource\""));
    assert!(opf.contains(
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>"
    ));
    assert!(opf.contains("<meta property=\"a11y:certifiedBy\">"));
    // The guide names the copyright page with the guide's own term.
    assert!(opf.contains("<reference type=\"copyright-page\""));

    // Thirty pages that begin inside the text of a chapter, question or
    // answer (mid-paragraph, in a list, a table or code), spread evenly.
    // (The index's numbers differ by design: pages in print, scenarios in
    // the EPUB.)
    let inside: Vec<usize> = (0..document.pages.len())
        .filter(|&i| {
            let start = document.pages[i].starts_at;
            start.is_set()
                && start.block < Origin::HEAD
                && matches!(
                    start.part,
                    Part::Chapter(_) | Part::Opener(_) | Part::Question(_) | Part::Answer(_)
                )
        })
        .collect();
    assert!(
        inside.len() >= 30,
        "only {} pages start mid-text",
        inside.len()
    );
    let chosen: Vec<usize> = (0..30)
        .map(|k| inside[k * (inside.len() - 1) / 29])
        .collect();
    let position: BTreeMap<&str, usize> = words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.strip_prefix('\u{1}').map(|l| (l, i)))
        .collect();
    let mut failures = Vec::new();
    for index in chosen {
        let page = &document.pages[index];
        let text = Command::new("pdftotext")
            .args([
                "-f",
                &(index + 1).to_string(),
                "-l",
                &(index + 1).to_string(),
            ])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext runs");
        let mut page_words: Vec<String> = String::from_utf8_lossy(&text.stdout)
            .split_whitespace()
            .map(normalise)
            .filter(|w| !w.is_empty())
            .collect();
        // Running head and folio are not the page's text.
        for item in &page.furniture {
            if let Item::Text(run) = item {
                for word in run.text().split_whitespace().map(normalise) {
                    if let Some(at) = page_words.iter().position(|w| *w == word) {
                        page_words.remove(at);
                    }
                }
            }
        }
        // A list's numbers are drawn in print and generated in the EPUB.
        if page_words
            .first()
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
        {
            page_words.remove(0);
        }
        let printed: String = page_words.iter().take(5).cloned().collect();
        let after = position[page.label.as_str()] + 1;
        let text_words = |range: &[String]| -> Vec<String> {
            range
                .iter()
                .filter(|w| !w.starts_with('\u{1}'))
                .cloned()
                .collect()
        };
        let following = text_words(&words[after..(after + 40).min(words.len())]);
        let epub: String = following.iter().take(12).cloned().collect();
        // The page may begin with the second half of a hyphenated word: the
        // marker stands before the whole word, so allow the first word's
        // length of lead.
        let lead = following.first().map_or(0, String::len);
        let in_order = printed.len() >= 8 && epub.find(&printed).is_some_and(|at| at <= lead);
        // In a table, print repeats the header at the top of the page and
        // pdftotext may read the cells column by column: then the six words
        // after the marker must all be near the top of the page, and neither
        // of the two words before the marker may be one of the page's first
        // two (the marker is not late).
        let top: Vec<&String> = page_words.iter().take(25).collect();
        let preceding = text_words(&words[after.saturating_sub(40)..after - 1]);
        let near_top = following.len() >= 6 && following[..6].iter().all(|w| top.contains(&w));
        let late = preceding
            .iter()
            .rev()
            .take(2)
            .any(|w| page_words.iter().take(2).any(|p| p == w));
        let in_table = near_top && !late;
        if !in_order && !in_table {
            failures.push(format!(
                "page {} (PDF page {}): print starts {:?}, the EPUB after its marker {:?}",
                page.label,
                index + 1,
                page_words.iter().take(5).collect::<Vec<_>>(),
                following.iter().take(12).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
