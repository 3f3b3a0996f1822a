//! The print edition as a tagged PDF: the `pdfua` checker (a machine-checkable
//! subset of PDF/UA-1) finds nothing on the real book and the fixture book;
//! every text-showing and painting operator of every page sits in marked
//! content with an MCID that a structure element claims, or in an artifact;
//! poppler reads the structure back as the book's words in reading order;
//! and the page model carries the tags where the layout put them.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use casebook::document::{Block, plain_text};
use casebook::print::page::{Item, StructKind, Tag};
use casebook::print::{PaperSize, PrintOptions};
use common::*;

fn build_pdf(book: &Path, test: &str) -> PathBuf {
    let out = scratch_dir(test);
    build_book(book, &out, &["--pdf"]);
    output_with_extension(&out, "pdf")
}

/// Runs `pdfua check`; fails the test if the checker is missing.
fn pdfua_findings(pdf: &Path) -> (i32, String) {
    let output = Command::new("python3")
        .args(["-m", "pdfua", "check", "--format", "text"])
        .arg(pdf)
        .output()
        .expect("python3 runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !text.contains("No module named pdfua"),
        "pdfua is not installed: run scripts/install-test-tools.sh (or `make test`)"
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn pdfua_finds_nothing_on_the_real_book_or_the_fixture() {
    for (book, test) in [
        (project_root().join("book"), "tagged-real"),
        (fixture("mini"), "tagged-mini"),
    ] {
        let pdf = build_pdf(&book, test);
        let (code, report) = pdfua_findings(&pdf);
        assert_eq!(code, 0, "pdfua on {}:\n{report}", book.display());
        assert!(report.contains("errors=0 warnings=0"), "{report}");
        let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
        assert!(String::from_utf8_lossy(&info.stdout).contains("Tagged:          yes"));
    }
}

/// A letter with a combining mark that has no precomposed form ("q" +
/// U+0301) is two glyphs of one cluster: it reads back once, through
/// `/ActualText`, and the PDF still passes pdfua.
#[test]
fn a_cluster_of_several_glyphs_reads_back_as_its_text() {
    let dir = scratch_dir("tagged-clusters");
    let book = dir.join("book");
    copy_tree(&fixture("mini"), &book);
    let intro = book.join("front/intro.md");
    let text = std::fs::read_to_string(&intro).unwrap();
    std::fs::write(&intro, format!("{text}\nMarks: zq\u{301}z and ñ.\n")).unwrap();
    let pdf = build_pdf(&book, "tagged-clusters-out");
    let output = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let extracted = String::from_utf8_lossy(&output.stdout);
    assert!(
        extracted.contains("Marks: zq\u{301}z and ñ."),
        "{}",
        extracted
            .lines()
            .find(|l| l.contains("Marks"))
            .unwrap_or("no line")
    );
    let (code, report) = pdfua_findings(&pdf);
    assert_eq!(code, 0, "{report}");
}

/// In the fillable workbook, every field's widget is in the structure tree:
/// its `/StructParent` leads through the parent tree to a `Form` element
/// that holds an `OBJR` for that widget (PDF/UA-1 7.18.4), and pdfua still
/// finds nothing. Checked with pikepdf, which the pdfua checker installs.
#[test]
fn every_form_field_widget_sits_in_a_form_element() {
    let out = scratch_dir("tagged-fillable");
    build_book(&fixture("mini"), &out, &["--edition", "fillable"]);
    let pdf = output_with_extension(&out, "pdf");
    let script = r#"
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
nums = pdf.Root.StructTreeRoot.ParentTree.Nums
tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
widgets = placed = 0
for page in pdf.pages:
    for a in page.obj.get("/Annots", []):
        if a.get("/Subtype") != "/Widget":
            continue
        widgets += 1
        e = tree.get(int(a.StructParent)) if "/StructParent" in a else None
        if e is None or e.get("/S") != "/Form":
            continue
        kids = e.K if isinstance(e.K, pikepdf.Array) else [e.K]
        if any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
               and k.Obj.objgen == a.objgen for k in kids):
            placed += 1
print(widgets, placed)
"#;
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(&pdf)
        .output()
        .expect("python3 runs");
    let report = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let counts: Vec<usize> = report
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(counts[0] > 0, "the fixture's fillable edition has fields");
    assert_eq!(
        counts[0], counts[1],
        "widgets, and widgets in a Form element"
    );
    let (code, findings) = pdfua_findings(&pdf);
    assert_eq!(code, 0, "{findings}");
}

/// The PDF's objects by number, as written (the writer's own syntax:
/// `N 0 obj … endobj`; streams deflated).
fn objects(pdf: &[u8]) -> BTreeMap<u32, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut at = 0;
    while let Some(start) = find(&pdf[at..], b" 0 obj\n").map(|p| p + at) {
        let number_start = pdf[..start]
            .iter()
            .rposition(|b| !b.is_ascii_digit())
            .map_or(0, |p| p + 1);
        let number: u32 = std::str::from_utf8(&pdf[number_start..start])
            .unwrap()
            .parse()
            .unwrap();
        let body_start = start + 7;
        let end = find(&pdf[body_start..], b"\nendobj").unwrap() + body_start;
        out.insert(number, pdf[body_start..end].to_vec());
        at = end;
    }
    // Objects packed in object streams (`/Type/ObjStm`): `N` pairs of
    // number and offset, then the objects from `/First` on.
    let packed: Vec<Vec<u8>> = out
        .values()
        .filter(|body| find(body, b"/Type/ObjStm").is_some())
        .cloned()
        .collect();
    for body in packed {
        let data = stream_data(&body);
        let first = number_after(&body, "/First ").unwrap() as usize;
        let header: Vec<usize> = String::from_utf8_lossy(&data[..first])
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        for (k, pair) in header.chunks(2).enumerate() {
            let start = first + pair[1];
            let end = header
                .get(2 * k + 3)
                .map_or(data.len(), |next| first + next);
            out.insert(pair[0] as u32, data[start..end].trim_ascii_end().to_vec());
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The integer after `key` in a dictionary, e.g. `/StructParents 4`.
fn number_after(dict: &[u8], key: &str) -> Option<u32> {
    let at = find(dict, key.as_bytes())? + key.len();
    let digits: String = dict[at..]
        .iter()
        .skip_while(|b| **b == b' ')
        .take_while(|b| b.is_ascii_digit())
        .map(|b| *b as char)
        .collect();
    digits.parse().ok()
}

fn stream_data(object: &[u8]) -> Vec<u8> {
    let start = find(object, b"stream\n").unwrap() + 7;
    let end = find(object, b"\nendstream").unwrap();
    let data = &object[start..end];
    if find(&object[..start], b"/FlateDecode").is_some() {
        miniz_oxide::inflate::decompress_to_vec_zlib(data).expect("inflates")
    } else {
        data.to_vec()
    }
}

#[test]
fn every_operator_is_marked_content_the_structure_reaches_or_an_artifact() {
    let pdf = std::fs::read(build_pdf(&project_root().join("book"), "tagged-walk")).unwrap();
    let objects = objects(&pdf);
    // MCIDs each structure element claims, by page object.
    let mut claimed: BTreeSet<(u32, u32)> = BTreeSet::new();
    for body in objects.values() {
        let text = String::from_utf8_lossy(body);
        if !text.starts_with("<</Type/StructElem") {
            continue;
        }
        let element_page = number_after(body, "/Pg ");
        let kids = &text[text.find("/K[").unwrap() + 3..];
        let kids = &kids[..kids.rfind(']').unwrap()];
        let mut rest = kids;
        while !rest.trim().is_empty() {
            let rest_trim = rest.trim_start();
            if let Some(dict) = rest_trim.strip_prefix("<<") {
                let end = dict.find(">>").unwrap();
                let inner = &dict[..end];
                if inner.contains("/MCR") {
                    let page = number_after(inner.as_bytes(), "/Pg ").unwrap();
                    let mcid = number_after(inner.as_bytes(), "/MCID ").unwrap();
                    claimed.insert((page, mcid));
                }
                rest = &dict[end + 2..];
            } else {
                let token: String = rest_trim.chars().take_while(|c| *c != ' ').collect();
                let after = &rest_trim[token.len()..];
                if after.trim_start().starts_with("0 R") {
                    // A child element.
                    rest = &after.trim_start()[3..];
                } else {
                    let mcid: u32 = token.parse().expect("a bare MCID");
                    claimed.insert((element_page.expect("a page for bare MCIDs"), mcid));
                    rest = after;
                }
            }
        }
    }
    let mut pages = 0;
    let mut marked = 0;
    let mut artifacts = 0;
    for (number, body) in &objects {
        if !body.starts_with(b"<</Type/Page/") {
            continue;
        }
        pages += 1;
        assert!(find(body, b"/StructParents ").is_some() && find(body, b"/Tabs/S").is_some());
        let contents = number_after(body, "/Contents ").unwrap();
        let stream = stream_data(&objects[&contents]);
        let text = String::from_utf8_lossy(&stream);
        // A stack of open marked-content sequences: Some(mcid) or None for
        // an artifact.
        let mut open: Vec<Option<u32>> = Vec::new();
        let mut previous: Vec<&str> = Vec::new();
        for token in text.split_whitespace() {
            let opens = token.ends_with("BDC") || token.ends_with("BMC");
            match token {
                _ if opens => {
                    let joined = format!("{} {token}", previous.join(" "));
                    if joined.contains("/Artifact") {
                        open.push(None);
                    } else {
                        let mcid = joined
                            .rsplit("/MCID ")
                            .next()
                            .and_then(|s| {
                                s.trim_end_matches("BDC")
                                    .trim_end_matches(">>")
                                    .parse()
                                    .ok()
                            })
                            .unwrap_or_else(|| panic!("page {number}: BDC without MCID: {joined}"));
                        assert!(
                            claimed.contains(&(*number, mcid)),
                            "page object {number}: MCID {mcid} is claimed by no structure element"
                        );
                        open.push(Some(mcid));
                    }
                }
                "EMC" => {
                    open.pop().expect("EMC closes a sequence");
                }
                "TJ" | "Tj" | "'" | "\"" | "S" | "s" | "f" | "F" | "f*" | "B" | "b" | "Do" => {
                    match open.last() {
                        Some(Some(_)) => marked += 1,
                        Some(None) => artifacts += 1,
                        None => panic!("page object {number}: `{token}` outside marked content"),
                    }
                }
                _ => {}
            }
            if token.ends_with("BDC") || token.ends_with("BMC") || token == "EMC" {
                previous.clear();
            } else {
                previous.push(token);
                if previous.len() > 8 {
                    previous.remove(0);
                }
            }
        }
        assert!(
            open.is_empty(),
            "page object {number}: unclosed marked content"
        );
    }
    assert!(pages > 700, "{pages} pages");
    assert!(
        marked > 10_000 && artifacts > 1_000,
        "{marked} marked, {artifacts} artifacts"
    );
}

/// The words of a scenario's sources in reading order, as `normalise`d.
fn source_words(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        let text = match block {
            Block::Heading { content, .. } | Block::Paragraph(content) => plain_text(content),
            Block::CodeBlock { lines, .. } => lines.join(" "),
            Block::List { items, .. } => {
                for item in items {
                    source_words(item, out);
                }
                continue;
            }
            Block::Quote(inner) => {
                source_words(inner, out);
                continue;
            }
            Block::Table(table) => table
                .header
                .iter()
                .chain(table.rows.iter().flatten())
                .map(|cell| plain_text(cell))
                .collect::<Vec<_>>()
                .join(" "),
            Block::Image { alt, .. } => alt.clone(),
            Block::Rule => continue,
        };
        out.extend(
            text.split_whitespace()
                .map(normalise)
                .filter(|w| !w.is_empty()),
        );
    }
}

fn normalise(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn poppler_reads_the_structure_as_the_books_words_in_order() {
    let book_dir = project_root().join("book");
    let pdf = build_pdf(&book_dir, "tagged-words");
    let output = Command::new("pdfinfo")
        .arg("-struct-text")
        .arg(&pdf)
        .output()
        .expect("pdfinfo runs");
    let tree = String::from_utf8_lossy(&output.stdout);
    // An element's strings are its lines of text, a new string wherever
    // marked content is interrupted — by the hyphen added at a line end (an
    // artifact), among others — so a source word may be read as two strings.
    let mut text = String::new();
    for line in tree.lines() {
        let line = line.trim();
        text.push(' ');
        if let Some(quoted) = line.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
            text.push_str(quoted);
        }
    }
    let read: Vec<String> = text
        .split_whitespace()
        .map(normalise)
        .filter(|w| !w.is_empty())
        .collect();
    // Running heads and folios are artifacts: a category's running head
    // (its title) is read only where the title is content.
    let loaded = casebook::load::load_book(&book_dir).unwrap_or_else(|_| panic!("book loads"));
    let book = &loaded.book;
    let head = &book.categories[1].title;
    let as_content = tree.matches(&format!("\"{head}\"")).count();
    assert!(as_content <= 3, "{head:?} read {as_content} times");

    // The print edition's order: each category's questions, then its answers.
    let mut expected: Vec<String> = Vec::new();
    for category in &book.categories {
        for scenario in &category.scenarios {
            source_words(&scenario.question, &mut expected);
        }
        for scenario in &category.scenarios {
            source_words(&scenario.answer, &mut expected);
        }
    }
    // Each source word found, in order, within a few words of the last
    // one; where one is not (the book's own text — headings it adds, meta
    // lines, pointers, workbook labels — stands between blocks), the reading
    // picks up at the next place, not far on, where the source's next five
    // words stand together.
    const NEAR: usize = 8;
    const RESYNC: usize = 5;
    let mut grams: std::collections::HashMap<&[String], Vec<usize>> = Default::default();
    for (k, window) in read.windows(RESYNC).enumerate() {
        grams.entry(window).or_default().push(k);
    }
    // The reading starts where the first scenario's first words do: the
    // front matter before them (title pages, contents, chapters) is not
    // counted against the window.
    let mut at = grams
        .get(&expected[..RESYNC.min(expected.len())])
        .and_then(|positions| positions.first().copied())
        .unwrap_or(0);
    let mut found = 0;
    for (k, word) in expected.iter().enumerate() {
        let window = at..(at + NEAR).min(read.len());
        let hit = window.clone().find_map(|j| {
            if read[j] == *word {
                Some(j + 1)
            } else if read
                .get(j + 1)
                .is_some_and(|next| format!("{}{next}", read[j]) == *word)
            {
                // The two halves of a word hyphenated at a line end.
                Some(j + 2)
            } else {
                None
            }
        });
        if let Some(next) = hit {
            at = next;
            found += 1;
        } else if let Some(next) = expected.get(k..k + RESYNC)
            && let Some(positions) = grams.get(next)
            && let Some(&j) = positions.iter().find(|&&j| j >= at && j < at + 3000)
        {
            at = j + 1;
            found += 1;
        }
    }
    let share = found as f64 / expected.len() as f64;
    assert!(
        share >= 0.999,
        "{found} of {} source words read back in order ({:.3}%)",
        expected.len(),
        share * 100.0
    );
}

#[test]
fn the_page_model_carries_headings_header_cells_and_links() {
    let loaded =
        casebook::load::load_book(&project_root().join("book")).unwrap_or_else(|_| panic!("loads"));
    let options = PrintOptions {
        paper: PaperSize::TradeSixByNine,
        workbook: true,
        questions_only: false,
    };
    let document = casebook::print::layout(&loaded.book, &options);
    let kind = |tag: Tag| document.structure[tag.index()].kind;
    let text_of = |kind_wanted: StructKind, page: &casebook::print::page::Page| -> Vec<String> {
        page.text_runs()
            .filter(|r| !r.tag.is_artifact() && kind(r.tag) == kind_wanted)
            .map(|r| r.text())
            .collect()
    };
    // Scenario 1's question page: "Scenario 1" and its title are one H1,
    // its "Situation" an H2 under the same section.
    let page = document
        .pages
        .iter()
        .find(|p| p.destinations.iter().any(|(d, _)| d == "question-1"))
        .expect("scenario 1's page");
    let h1 = text_of(StructKind::H(1), page).join(" ");
    assert!(
        h1.starts_with("Scenario 1") && h1.contains(&loaded.book.categories[0].scenarios[0].title)
    );
    let h2 = text_of(StructKind::H(2), page);
    assert!(h2.iter().any(|t| t.trim() == "Situation"), "{h2:?}");
    let h1_tag = page
        .text_runs()
        .find(|r| !r.tag.is_artifact() && kind(r.tag) == StructKind::H(1))
        .unwrap()
        .tag;
    let h2_tag = page
        .text_runs()
        .find(|r| r.text().trim() == "Situation")
        .unwrap()
        .tag;
    let sect = document.structure[h1_tag.index()].parent;
    assert_eq!(kind(sect), StructKind::Sect);
    assert_eq!(document.structure[h2_tag.index()].parent, sect);
    // Running head and folio are never tagged.
    for item in &page.furniture {
        if let Item::Text(run) = item {
            assert!(run.tag.is_artifact());
        }
    }
    // A table's header cells are TH in a TR of a THead of a Table.
    let th = document
        .pages
        .iter()
        .flat_map(|p| p.text_runs())
        .find(|r| !r.tag.is_artifact() && kind(r.tag) == StructKind::TH)
        .expect("a header cell somewhere in the book");
    let row = document.structure[th.tag.index()].parent;
    let head = document.structure[row.index()].parent;
    assert_eq!(
        (
            kind(row),
            kind(head),
            kind(document.structure[head.index()].parent)
        ),
        (StructKind::TR, StructKind::THead, StructKind::Table)
    );
    // Every link area belongs to a Link element, with words for a reader.
    let mut links = 0;
    for page in &document.pages {
        for link in &page.links {
            links += 1;
            assert_eq!(kind(link.tag), StructKind::Link, "on page {}", page.label);
        }
    }
    assert!(links > 1000, "{links} links");
    let pointer = document
        .pages
        .iter()
        .flat_map(|p| &p.links)
        .find(|l| l.contents.starts_with("Answer to scenario 1,"))
        .expect("the question's pointer says where it goes");
    assert!(pointer.contents.contains(", page "));
}
