//! `casebook release` on the real book: every file is there and passes its
//! checker, the fillable workbook's fields sit on the ruled space, the
//! handout holds no answer, two releases are byte-identical, and a release
//! from broken sources writes nothing and keeps the previous one.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use casebook::print::page::{Item, LinkTarget, Part};
use casebook::print::{PaperSize, PrintOptions};
use common::*;

const STEM: &str = "when-theory-ends-production-scenarios";

/// The files a release of the real book holds, in the ZIP's order.
fn expected_files() -> Vec<String> {
    let mut names: Vec<String> = [
        ".epub",
        "-workbook-6x9.pdf",
        "-workbook-a4.pdf",
        "-workbook-letter.pdf",
        "-screen.pdf",
        "-workbook-fillable.pdf",
        "-questions.pdf",
        "-print.pdf",
        "-cover.pdf",
    ]
    .iter()
    .map(|suffix| format!("{STEM}{suffix}"))
    .collect();
    names.extend([
        "README.txt".into(),
        "SHA256SUMS".into(),
        format!("{STEM}.zip"),
    ]);
    names
}

fn release(book: &str, out: &Path) -> std::process::Output {
    casebook(&["release", "--book", book, "--out", out.to_str().unwrap()])
}

fn released(test: &str) -> PathBuf {
    let out = scratch_dir(test).join("release");
    let output = release("book", &out);
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

fn run(program: &str, args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"))
}

fn real_book() -> casebook::model::Book {
    casebook::load::load_book(&project_root().join("book"))
        .unwrap_or_else(|_| panic!("the real book loads"))
        .book
}

#[test]
fn a_release_holds_every_edition_and_each_passes_its_checker() {
    let out = released("release-files");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected = expected_files();
    expected.sort();
    assert_eq!(names, expected);
    // Nothing left beside the release folder.
    let beside: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");

    let sums = run("sha256sum", &["-c", "SHA256SUMS"], &out);
    assert!(sums.status.success(), "{}", stdout(&sums));
    let listed = String::from_utf8_lossy(&sums.stdout).lines().count();
    assert_eq!(listed, 10, "nine editions and README.txt");

    for name in names.iter().filter(|n| n.ends_with(".pdf")) {
        let check = run("qpdf", &["--check", name], &out);
        assert!(
            check.status.success()
                && stdout(&check).contains("No syntax or stream encoding errors"),
            "qpdf --check {name}: {}{}",
            stdout(&check),
            stderr(&check)
        );
    }
    let (errors, warnings, report) = epubcheck(&out.join(format!("{STEM}.epub")));
    assert_eq!((errors, warnings), (0, 0), "epubcheck: {report}");

    // Papers: the book's 6×9 and the two home papers.
    for (suffix, size) in [
        ("-workbook-6x9.pdf", "432 x 648 pts"),
        ("-workbook-a4.pdf", "595.28 x 841.89 pts"),
        ("-workbook-letter.pdf", "612 x 792 pts"),
    ] {
        let info = run("pdfinfo", &[&format!("{STEM}{suffix}")], &out);
        assert!(stdout(&info).contains(size), "{suffix}: {}", stdout(&info));
    }

    // The ZIP holds the other files in a fixed order, dated, 0644.
    let zip_bytes = std::fs::read(out.join(format!("{STEM}.zip"))).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let entries: Vec<String> = (0..archive.len())
        .map(|k| archive.by_index(k).unwrap().name().to_string())
        .collect();
    assert_eq!(entries, expected_files()[..11].to_vec());
    for k in 0..archive.len() {
        let mut entry = archive.by_index(k).unwrap();
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
        let date = entry.last_modified().unwrap();
        assert_eq!((date.year(), date.month(), date.day()), (2026, 11, 26));
        let mut inside = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut inside).unwrap();
        let name = entry.name().to_string();
        assert_eq!(inside, std::fs::read(out.join(&name)).unwrap(), "{name}");
    }

    let readme = std::fs::read_to_string(out.join("README.txt")).unwrap();
    for name in expected.iter().filter(|n| *n != "README.txt") {
        assert!(readme.contains(name.as_str()), "README.txt names {name}");
    }
}

#[test]
fn two_releases_are_byte_identical() {
    let first = released("release-twice-a");
    let second = released("release-twice-b");
    for name in expected_files() {
        let cmp = Command::new("cmp")
            .arg(first.join(&name))
            .arg(second.join(&name))
            .output()
            .unwrap();
        assert!(cmp.status.success(), "{name} differs: {}", stdout(&cmp));
    }
}

#[test]
fn a_release_from_broken_sources_writes_nothing_and_keeps_the_previous() {
    let root = scratch_dir("release-broken");
    let out = root.join("release");
    let good = release("tests/fixtures/mini", &out);
    assert!(good.status.success(), "{}", stderr(&good));
    let before = folder_bytes(&out);
    assert!(before.len() >= 9, "{:?}", before.keys());
    let bad = release("tests/fixtures/bad-sources", &out);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("nothing was written"),
        "{}",
        stderr(&bad)
    );
    let after = folder_bytes(&out);
    assert!(before == after, "the previous release changed");
    let entries: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");

    // Into a folder that does not exist yet: it is not created.
    let fresh = root.join("never");
    let bad = release("tests/fixtures/bad-sources", &fresh);
    assert!(!bad.status.success());
    assert!(!fresh.exists());
}

#[test]
fn each_fillable_field_lies_over_its_questions_ruled_lines() {
    let book = real_book();
    let options = PrintOptions {
        paper: PaperSize::TradeSixByNine,
        workbook: true,
        questions_only: false,
    };
    let document = casebook::print::layout(&book, &options);
    let scenarios: BTreeSet<u32> = book
        .categories
        .iter()
        .flat_map(|c| &c.scenarios)
        .map(|s| s.number as u32)
        .collect();
    // A question's ruling may go on over the next page, and a "Notes" page
    // adds lines to the question it faces: each is an area of its own.
    let pitch = casebook::print::layout::geometry::WORKBOOK_PITCH;
    let mut seen: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    let mut areas = 0;
    for (index, page) in document.pages.iter().enumerate() {
        for area in &page.answer_areas {
            areas += 1;
            seen.entry(area.scenario).or_default().push(index);
            assert!(
                page.text_block.contains(&area.rect, 0.5),
                "page {}: {:?} outside {:?}",
                page.label,
                area.rect,
                page.text_block
            );
            // Every ruled line of the area lies inside it, spanning it.
            let lines: Vec<(f32, f32, f32)> = page
                .items
                .iter()
                .filter_map(|item| match item {
                    Item::Rule { x1, y1, x2, y2, .. }
                        if y1 == y2
                            && *y1 > area.rect.y
                            && *y1 <= area.rect.bottom() + 0.5
                            && *x1 >= area.rect.x - 0.5
                            && *x2 <= area.rect.right() + 0.5 =>
                    {
                        Some((*x1, *x2, *y1))
                    }
                    _ => None,
                })
                .collect();
            let expected = (area.rect.height / pitch).round() as usize;
            assert!(expected >= 1);
            assert_eq!(lines.len(), expected, "page {}", page.label);
            for (x1, x2, _) in &lines {
                assert!((x1 - area.rect.x).abs() < 0.5 && (x2 - area.rect.right()).abs() < 0.5);
            }
            // A label above the area ("Your approach" where the question's
            // lines start, "Notes" on a notes page) or none where the lines
            // go on from the page before, starting at the text block's top.
            match page
                .text_runs()
                .find(|r| r.text().contains("Your approach") || r.text() == "Notes")
            {
                Some(label) => assert!(label.baseline <= area.rect.y + 0.5),
                None => assert!((area.rect.y - page.text_block.y).abs() < 0.5),
            }
        }
    }
    assert_eq!(
        seen.keys().copied().collect::<BTreeSet<_>>(),
        scenarios,
        "every question has its ruled space"
    );
    // "Your approach" and the question's own lines, then the answer pointer
    // right under the last of them.
    for (scenario, pages) in &seen {
        let pointer = pages.iter().find_map(|&index| {
            let page = &document.pages[index];
            let link = page
                .links
                .iter()
                .find(|l| l.target == LinkTarget::Internal(format!("answer-{scenario}")))?;
            Some((page, link))
        });
        let (page, link) = pointer.expect("the answer pointer on a page of the lines");
        let area = page
            .answer_areas
            .iter()
            .find(|a| a.scenario == *scenario)
            .unwrap();
        assert!(
            link.rect.y >= area.rect.bottom() - 0.5,
            "page {}",
            page.label
        );
    }

    // The PDF lists one AcroForm text field per area, named after the
    // scenario id (a further area of the same question: "-2", "-3"), on the
    // area's page, with a tooltip, multi-line, printable.
    let out = released("release-fields");
    let file = format!("{STEM}-workbook-fillable.pdf");
    let info = run("pdfinfo", &[&file], &out);
    assert!(stdout(&info).contains("Form:            AcroForm"));
    let json = run("qpdf", &["--json", &file], &out);
    let text = stdout(&json);
    let ids: BTreeMap<String, u32> = book
        .categories
        .iter()
        .flat_map(|c| &c.scenarios)
        .map(|s| (s.id.clone(), s.number as u32))
        .collect();
    assert_eq!(ids.len(), scenarios.len(), "scenario ids are distinct");
    let fields = fields_of(&text);
    assert_eq!(fields.len(), areas);
    let names: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names.len(), fields.len(), "field names are distinct");
    for field in &fields {
        let id = match field.name.rsplit_once('-') {
            Some((id, n)) if n.parse::<u32>().is_ok() && ids.contains_key(id) => id,
            _ => field.name.as_str(),
        };
        let number = ids[id];
        assert!(
            seen[&number].contains(&(field.page - 1)),
            "{} on page {}",
            field.name,
            field.page
        );
        assert!(field.tooltip.starts_with("Your approach — Scenario"));
        assert_eq!(field.kind, "/Tx");
        assert_eq!(field.flags & 4096, 4096, "multi-line");
        assert_eq!(field.annotation_flags & 4, 4, "prints");
    }
}

struct Field {
    name: String,
    tooltip: String,
    kind: String,
    flags: u64,
    annotation_flags: u64,
    page: usize,
}

/// The AcroForm fields from `qpdf --json`, read with the small JSON reader
/// the test needs.
fn fields_of(json: &str) -> Vec<Field> {
    let start = json.find("\"acroform\"").expect("qpdf lists the form");
    let fields_at = start + json[start..].find("\"fields\"").unwrap();
    let mut fields = Vec::new();
    for chunk in json[fields_at..].split("\"alternativename\"").skip(1) {
        let string = |key: &str| {
            let at = chunk.find(&format!("\"{key}\": \"")).unwrap() + key.len() + 5;
            chunk[at..].split('"').next().unwrap().to_string()
        };
        let number = |key: &str| -> u64 {
            let at = chunk.find(&format!("\"{key}\": ")).unwrap() + key.len() + 4;
            chunk[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap()
        };
        let tooltip = chunk
            .trim_start_matches([':', ' '])
            .trim_start_matches('"')
            .split('"')
            .next()
            .unwrap()
            .to_string();
        fields.push(Field {
            name: string("fullname"),
            tooltip,
            kind: string("fieldtype"),
            flags: number("fieldflags"),
            annotation_flags: number("annotationflags"),
            page: number("pageposfrom1") as usize,
        });
        if chunk.contains("\"hasacroform\"") {
            break;
        }
    }
    fields
}

/// The first ten words of each scenario's "Short answer", from the sources.
fn short_answer_openings() -> Vec<String> {
    let mut openings = Vec::new();
    let scenarios = project_root().join("book/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&scenarios)
        .unwrap()
        .flatten()
        .flat_map(|c| std::fs::read_dir(c.path()).unwrap().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let Some(at) = text.find("## Short answer") else {
            continue;
        };
        let paragraph: String = text[at..]
            .lines()
            .skip(1)
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<String> = normalized(&paragraph.replace(['*', '`'], ""))
            .split_whitespace()
            .take(10)
            .map(str::to_string)
            .collect();
        openings.push(words.join(" "));
    }
    openings
}

/// `pdftotext` of a PDF, whitespace collapsed and hyphens at line ends joined.
fn pdf_words(path: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    // A hyphen at a line's end is the line breaker's or the word's own:
    // keep both readings' words by joining without it and with it.
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let joined = text.replace("-\n", "");
    let kept = text.replace("-\n", "-");
    normalized(&format!("{joined} \u{0} {kept}"))
}

/// Typographic quotes as straight ones, whitespace collapsed: the sources'
/// and the typeset text's spelling made the same.
fn normalized(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201C}', '\u{201D}'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_handout_holds_every_question_and_no_answer() {
    let out = released("release-handout");
    let openings = short_answer_openings();
    assert!(openings.len() >= 100, "{} short answers", openings.len());
    let handout = pdf_words(&out.join(format!("{STEM}-questions.pdf")));
    for opening in &openings {
        assert!(
            !handout.contains(opening.as_str()),
            "answer text: {opening}"
        );
    }
    assert!(!handout.contains("Answer on page"));
    assert!(!handout.contains("Short answer"));
    // The same search finds the answers in the workbook: it would see them.
    let workbook = pdf_words(&out.join(format!("{STEM}-workbook-6x9.pdf")));
    let found = openings
        .iter()
        .filter(|o| workbook.contains(o.as_str()))
        .count();
    assert!(
        found * 10 >= openings.len() * 9,
        "{found} of {} found in the workbook",
        openings.len()
    );

    // Every question is in the handout's page model, and no answer part.
    let book = real_book();
    let document = casebook::print::layout(
        &book,
        &PrintOptions {
            paper: PaperSize::TradeSixByNine,
            workbook: false,
            questions_only: true,
        },
    );
    let names = document.destinations();
    for scenario in book.categories.iter().flat_map(|c| &c.scenarios) {
        assert!(names.contains_key(format!("question-{}", scenario.number).as_str()));
        assert!(!names.contains_key(format!("answer-{}", scenario.number).as_str()));
    }
    for page in &document.pages {
        assert!(!matches!(page.starts_at.part, Part::Answer(_)));
        assert!(page.answer_areas.is_empty());
        assert!(
            page.links
                .iter()
                .all(|l| !matches!(&l.target, LinkTarget::Internal(n) if n.starts_with("answer"))),
            "page {} links to an answer",
            page.label
        );
    }
}

#[test]
fn build_edition_makes_one_edition_alone() {
    let out = scratch_dir("release-edition");
    for (edition, file) in [
        ("fillable", format!("{STEM}-workbook-fillable.pdf")),
        ("questions", format!("{STEM}-questions.pdf")),
    ] {
        let output = casebook(&[
            "build",
            "--edition",
            edition,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(out.join(&file).exists(), "{file}");
    }
    let output = casebook(&[
        "build",
        "--edition",
        "workbook",
        "--paper",
        "a4",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.join(format!("{STEM}-workbook-a4.pdf")).exists());
    let names: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().collect();
    assert_eq!(names.len(), 3, "one file per edition, nothing else");
}

#[test]
fn release_prints_one_line_per_edition_and_a_total_without_escape_codes() {
    let out = scratch_dir("release-progress").join("release");
    let output = release("book", &out);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains('\x1b') && !text.contains('\r'), "{text:?}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10, "{text}");
    for line in &lines[..9] {
        assert!(line.contains(" KB, ") && line.ends_with(" ms)"), "{line}");
    }
    assert!(lines[9].starts_with("wrote ") && lines[9].contains("12 files"));
}

#[test]
fn every_editions_layout_keeps_text_in_the_block_and_links_to_real_places() {
    let book = real_book();
    let editions = [
        (PaperSize::TradeSixByNine, true, false),
        (PaperSize::A4, true, false),
        (PaperSize::Letter, true, false),
        (PaperSize::TradeSixByNine, false, false),
        (PaperSize::TradeSixByNine, false, true),
    ];
    for (paper, workbook, questions_only) in editions {
        let options = PrintOptions {
            paper,
            workbook,
            questions_only,
        };
        let document = casebook::print::layout(&book, &options);
        assert_eq!(document.text_outside_block(), None, "{options:?}");
        let destinations = document.destinations();
        let labels = casebook::print::page_numbers(&document);
        for page in &document.pages {
            for link in &page.links {
                if let LinkTarget::Internal(name) = &link.target {
                    assert!(
                        destinations.contains_key(name.as_str()),
                        "{options:?}: page {} links to a missing {name}",
                        page.label
                    );
                }
            }
            // The ruled space is there exactly when the edition has it.
            assert!(workbook || page.answer_areas.is_empty());
        }
        // "Answer on page N" names the answer's page; the handout has neither.
        for scenario in book.categories.iter().flat_map(|c| &c.scenarios) {
            let answer = format!("answer-{}", scenario.number);
            assert_eq!(labels.contains_key(&answer), !questions_only, "{options:?}");
            let pointer_page = document.pages.iter().find(|p| {
                p.links
                    .iter()
                    .any(|l| l.target == LinkTarget::Internal(answer.clone()))
            });
            match (questions_only, pointer_page) {
                (true, page) => assert!(page.is_none(), "{answer} linked in the handout"),
                (false, Some(page)) => {
                    let text: String = page.text_runs().map(|r| r.text()).collect();
                    assert!(
                        text.contains(&format!("on page {}", labels[&answer])),
                        "{options:?}: pointer to {answer}"
                    );
                }
                (false, None) => panic!("{options:?}: no pointer to {answer}"),
            }
        }
    }
}

/// Every file in `dir`, by name, with its bytes.
fn folder_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}
