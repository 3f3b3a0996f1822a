//! The files for a print-on-demand press, checked as a PDF/X-4 preflight
//! would check them (the parts of ISO 15930-7 a test can see here): the
//! print interior and the full-wrap cover carry the PDF/X keys in Info and
//! XMP, an output intent with an embedded printer profile, nested page
//! boxes and only grey, CMYK or ICC colours; the interior has no cover
//! page, an even page count and no annotations; the cover wrap is exactly
//! back + spine + front + bleed wide for the interior's page count and
//! paper stock, with spine text only when the spine has room for it; and
//! the inside margin follows the page count.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use casebook::print::layout::geometry::gutter_for_page_count;
use casebook::print::{PaperSize, PrintOptions};
use common::*;

const STEM: &str = "when-theory-ends-production-scenarios";
const INCH: f64 = 72.0;
const BLEED: f64 = 0.125 * INCH;

/// The real book, built once for every test here.
fn real_build() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = scratch_dir("print-production-real");
        build_book(&project_root().join("book"), &out, &[]);
        out
    })
}

fn interior() -> PathBuf {
    real_build().join(format!("{STEM}-print.pdf"))
}

fn cover() -> PathBuf {
    real_build().join(format!("{STEM}-cover.pdf"))
}

fn screen() -> PathBuf {
    real_build().join(format!("{STEM}.pdf"))
}

/// The file rewritten by qpdf in QDF form: every object on its own, every
/// stream decoded, so a test can read dictionaries and content as text.
fn qdf(pdf: &Path) -> Vec<u8> {
    let out = pdf.with_extension("qdf");
    let status = Command::new("qpdf")
        .args([
            "--qdf",
            "--object-streams=disable",
            "--decode-level=generalized",
        ])
        .arg(pdf)
        .arg(&out)
        .status()
        .expect("qpdf runs");
    assert!(status.success(), "qpdf could not rewrite {}", pdf.display());
    std::fs::read(out).unwrap()
}

/// Objects of a QDF file by number: everything between `N 0 obj` and `endobj`.
fn objects(qdf: &[u8]) -> BTreeMap<u32, Vec<u8>> {
    let text = qdf;
    let mut out = BTreeMap::new();
    let mut at = 0;
    while let Some(start) = find(&text[at..], b" 0 obj\n").map(|p| p + at) {
        let line_start = text[..start]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        let number = std::str::from_utf8(&text[line_start..start])
            .ok()
            .and_then(|n| n.parse().ok());
        let body = start + 7;
        let end = find(&text[body..], b"\nendobj").map_or(text.len(), |p| p + body);
        if let Some(number) = number {
            out.insert(number, text[body..end].to_vec());
        }
        at = end;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    find(haystack, needle.as_bytes()).is_some()
}

/// The dictionary part of an object (before `stream`), as text.
fn dict(object: &[u8]) -> String {
    let end = find(object, b"\nstream\n").unwrap_or(object.len());
    String::from_utf8_lossy(&object[..end]).into_owned()
}

/// A stream object's data (decoded by qpdf).
fn data(object: &[u8]) -> &[u8] {
    let start = find(object, b"\nstream\n").map_or(object.len(), |p| p + 8);
    let end = find(&object[start..], b"endstream").map_or(object.len(), |p| p + start);
    &object[start..end]
}

/// The object numbers `key` refers to in a dictionary's text (`/Key N 0 R`
/// or `/Key [ N 0 R … ]`).
fn references(dict: &str, key: &str) -> Vec<u32> {
    let Some(at) = dict.find(&format!("{key} ")) else {
        return Vec::new();
    };
    let rest = &dict[at + key.len()..];
    let tokens: Vec<&str> = rest.split_whitespace().collect();
    let mut out = Vec::new();
    let (list, mut k) = if tokens.first() == Some(&"[") {
        (true, 1)
    } else {
        (false, 0)
    };
    while k + 2 < tokens.len() + 1 && tokens.get(k + 2) == Some(&"R") {
        out.push(tokens[k].parse().unwrap());
        k += 3;
        if !list {
            break;
        }
    }
    out
}

/// Every page's boxes as pdfinfo reads them: (media, bleed, trim), each
/// `[x1 y1 x2 y2]`.
type Boxes = ([f64; 4], [f64; 4], [f64; 4]);

fn page_boxes(pdf: &Path) -> Vec<Boxes> {
    let pages = page_count(pdf);
    let output = Command::new("pdfinfo")
        .args(["-box", "-f", "1", "-l", &pages.to_string()])
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut boxes: BTreeMap<(usize, &str), [f64; 4]> = BTreeMap::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() == 7 && words[0] == "Page" {
            let name = match words[2] {
                "MediaBox:" => "media",
                "BleedBox:" => "bleed",
                "TrimBox:" => "trim",
                _ => continue,
            };
            let page: usize = words[1].parse().unwrap();
            let values: Vec<f64> = words[3..].iter().map(|w| w.parse().unwrap()).collect();
            boxes.insert((page, name), values.try_into().unwrap());
        }
    }
    (1..=pages)
        .map(|p| {
            (
                boxes[&(p, "media")],
                boxes[&(p, "bleed")],
                boxes[&(p, "trim")],
            )
        })
        .collect()
}

fn page_count(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives a page count")
}

fn inside(inner: &[f64; 4], outer: &[f64; 4]) -> bool {
    const SLACK: f64 = 0.01;
    inner[0] >= outer[0] - SLACK
        && inner[1] >= outer[1] - SLACK
        && inner[2] <= outer[2] + SLACK
        && inner[3] <= outer[3] + SLACK
}

fn page_text(pdf: &Path, page: usize) -> String {
    let output = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a PDF/X-4 preflight asks of every print file: the identification
/// in Info and XMP, the output intent with an embedded printer profile,
/// nested page boxes, colours only in grey, CMYK or ICC-based spaces.
fn assert_pdf_x4(pdf: &Path) {
    let name = pdf.display();
    let bytes = std::fs::read(pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.6"), "{name}: PDF/X-4 is PDF 1.6");
    let file = qdf(pdf);
    let objects = objects(&file);
    let trailer =
        String::from_utf8_lossy(&file[find(&file, b"trailer").expect("a trailer")..]).into_owned();
    let info = &objects[&references(&trailer, "/Info")[0]];
    let info = dict(info);
    assert!(
        info.contains("/GTS_PDFXVersion (PDF/X-4)"),
        "{name}: Info {info}"
    );
    assert!(info.contains("/Trapped /False"), "{name}: Info {info}");
    let root = dict(&objects[&references(&trailer, "/Root")[0]]);
    let metadata = &objects[&references(&root, "/Metadata")[0]];
    let xmp = String::from_utf8_lossy(data(metadata));
    assert!(
        xmp.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"),
        "{name}: {xmp}"
    );
    assert!(xmp.contains("<xmpMM:VersionID>") && xmp.contains("<xmpMM:RenditionClass>"));

    // One output intent, PDF/X's, with a printer profile embedded.
    assert_eq!(root.matches("/GTS_PDFX").count(), 1, "{name}: {root}");
    assert!(
        root.contains("/S /GTS_PDFX") && root.contains("/OutputConditionIdentifier"),
        "{name}: {root}"
    );
    let profile = references(&root, "/DestOutputProfile");
    assert_eq!(profile.len(), 1, "{name}: no embedded output profile");
    let icc = data(&objects[&profile[0]]);
    assert_eq!(
        &icc[12..16],
        b"prtr",
        "{name}: the output profile is not a printer profile"
    );
    assert_eq!(&icc[36..40], b"acsp");
    let channels = match &icc[16..20] {
        b"GRAY" => "1",
        b"CMYK" => "4",
        other => panic!(
            "{name}: output profile in {}",
            String::from_utf8_lossy(other)
        ),
    };
    assert!(dict(&objects[&profile[0]]).contains(&format!("/N {channels}")));

    // Boxes: TrimBox ⊆ BleedBox ⊆ MediaBox on every page.
    for (k, (media, bleed, trim)) in page_boxes(pdf).iter().enumerate() {
        assert!(
            inside(bleed, media) && inside(trim, bleed),
            "{name}: page {} boxes {media:?} {bleed:?} {trim:?}",
            k + 1
        );
    }

    // Colours: no RGB anywhere — not in any dictionary, not as an operator
    // of any page's content, and every image grey, CMYK or ICC-based.
    assert!(!contains(&file, "/DeviceRGB"), "{name}: DeviceRGB");
    for (number, object) in &objects {
        let d = dict(object);
        if d.contains("/Type /Page\n") {
            for content in references(&d, "/Contents") {
                let stream = data(&objects[&content]);
                let text = String::from_utf8_lossy(stream);
                for op in text.split_whitespace() {
                    assert!(
                        !matches!(op, "rg" | "RG"),
                        "{name}: page object {number} sets an RGB colour"
                    );
                }
            }
        }
        if d.contains("/Subtype /Image") {
            assert!(
                d.contains("/ColorSpace /DeviceGray")
                    || d.contains("/ColorSpace /DeviceCMYK")
                    || d.contains("/ICCBased"),
                "{name}: image {number}: {d}"
            );
        }
    }

    // qpdf finds nothing wrong with the file's syntax or streams.
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && report.contains("No syntax or stream encoding errors"),
        "{name}: {report}"
    );
}

#[test]
fn the_print_interior_and_the_cover_are_pdf_x4() {
    assert_pdf_x4(&interior());
    assert_pdf_x4(&cover());
}

#[test]
fn the_interior_has_no_cover_an_even_page_count_and_no_annotations() {
    let interior = interior();
    let pages = page_count(&interior);
    assert!(pages.is_multiple_of(2), "{pages} pages");
    // The screen edition's cover and its inside are not in the interior;
    // at most one blank page pads it to an even count.
    let screen_pages = page_count(&screen());
    assert!(
        pages == screen_pages - 2 || pages == screen_pages - 1,
        "{pages} against {screen_pages}"
    );
    // Page 1 is the title page (the screen edition's page 3), not the cover.
    assert_eq!(page_text(&interior, 1), page_text(&screen(), 3));
    assert!(page_text(&interior, 1).contains("When Theory Ends"));
    let file = qdf(&interior);
    for forbidden in [
        "/Annots",
        "/Subtype /Link",
        "/Subtype /Widget",
        "/AcroForm",
        "/OBJR",
    ] {
        assert!(!contains(&file, forbidden), "the interior has {forbidden}");
    }
    // Links stay in the screen edition (and it still claims PDF/A + UA).
    let screen = std::fs::read(screen()).unwrap();
    assert!(contains(&screen, "/Annots") && contains(&screen, "<pdfuaid:part>1</pdfuaid:part>"));
    assert!(
        !contains(&screen, "GTS_PDFX"),
        "the screen edition is no PDF/X"
    );
    // Page labels move with the pages: the title page is i, as in the
    // screen edition, where it is the third page.
    let file_text = String::from_utf8_lossy(&file);
    assert!(
        file_text.contains("/PageLabels <<\n    /Nums [\n      0\n      <<\n        /S /r"),
        "page labels"
    );
    // The interior keeps its tags: the structure tree is cheap and harmless.
    assert!(contains(&file, "/StructTreeRoot"));
}

#[test]
fn the_cover_wrap_is_back_spine_and_front_with_bleed() {
    let pages = page_count(&interior()) as f64;
    let (media, _, trim) = page_boxes(&cover())[0];
    let spine = pages * 0.002252 * INCH;
    let expected = 2.0 * 6.0 * INCH + spine + 2.0 * BLEED;
    assert!(
        (media[2] - expected).abs() < 0.02,
        "cover {} pt wide, expected {expected}",
        media[2]
    );
    assert!((media[3] - (9.0 * INCH + 2.0 * BLEED)).abs() < 0.02);
    assert_eq!(trim, [BLEED, BLEED, media[2] - BLEED, media[3] - BLEED]);
    // A 750-page spine carries the title and the author, inside the spine.
    let spine_left = BLEED + 6.0 * INCH;
    let output = Command::new("pdftotext")
        .args([
            "-r",
            "72",
            "-x",
            &format!("{}", spine_left.ceil()),
            "-y",
            "0",
        ])
        .args(["-W", &format!("{}", spine.floor()), "-H", "666"])
        .arg(cover())
        .arg("-")
        .output()
        .unwrap();
    let spine_text = String::from_utf8_lossy(&output.stdout);
    assert!(
        spine_text.contains("When Theory Ends") && spine_text.contains("The casebook authors"),
        "{spine_text}"
    );
    // The front has the typographic cover, the back the description.
    let all = page_text(&cover(), 1);
    assert!(
        all.contains("Production Scenarios") && all.contains("A scenario-based guide"),
        "{all}"
    );
}

/// The mini fixture copied, with extra `book.yaml` lines.
fn mini_with(test: &str, extra: &str) -> PathBuf {
    let dir = scratch_dir(test).join("book");
    let copy = Command::new("cp")
        .arg("-r")
        .arg(fixture("mini"))
        .arg(&dir)
        .status()
        .unwrap();
    assert!(copy.success());
    let yaml = dir.join("book.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}{extra}")).unwrap();
    dir
}

#[test]
fn a_thin_book_on_cream_paper_has_a_narrower_wrap_no_spine_text_and_its_isbn_on_the_back() {
    let book = mini_with(
        "print-production-mini",
        "paper_stock: cream\nisbn: 978-0-306-40615-7\nback_cover: \"What the back says.\"\n",
    );
    let out = book.parent().unwrap().join("out");
    build_book(&book, &out, &["--pdf"]);
    let interior = out.join("mini-casebook-a-fixture-print.pdf");
    let cover = out.join("mini-casebook-a-fixture-cover.pdf");
    assert_pdf_x4(&interior);
    assert_pdf_x4(&cover);
    let pages = page_count(&interior);
    assert!(pages.is_multiple_of(2) && pages < 79, "{pages} pages");
    let (trim_width, _) = {
        let (media, _, _) = page_boxes(&interior)[0];
        (media[2], media[3])
    };
    let (media, _, _) = page_boxes(&cover)[0];
    let expected = 2.0 * trim_width + pages as f64 * 0.0025 * INCH + 2.0 * BLEED;
    assert!(
        (media[2] - expected).abs() < 0.02,
        "cover {} pt wide, expected {expected}",
        media[2]
    );
    let text = page_text(&cover, 1);
    // Under 79 pages: the title is on the front only, not on the spine.
    assert_eq!(text.matches("Casebook").count(), 1, "{text}");
    assert_eq!(text.matches("Test Author").count(), 1, "{text}");
    assert!(
        text.contains("What the back says.") && !text.contains("A tiny book"),
        "{text}"
    );
    assert!(
        text.contains("ISBN 978-0-306-40615-7") && text.contains("9780306406157"),
        "{text}"
    );
}

#[test]
fn a_wrong_isbn_check_digit_is_an_error_at_its_line() {
    let book = mini_with("print-production-isbn", "isbn: 978-0-306-40615-2\n");
    let output = casebook(&["check", "--book", book.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = format!("{}{}", stdout(&output), stderr(&output));
    let line = std::fs::read_to_string(book.join("book.yaml"))
        .unwrap()
        .lines()
        .count();
    assert!(
        text.contains(&format!("book.yaml:{line}:")) && text.contains("check digit 2"),
        "{text}"
    );
}

#[test]
fn the_inside_margin_follows_the_interior_page_count() {
    let book = match casebook::load::load_book(&project_root().join("book")) {
        Ok(loaded) => loaded.book,
        Err(diagnostics) => panic!("the book does not load: {diagnostics:?}"),
    };
    let document = casebook::print::layout(
        &book,
        &PrintOptions {
            paper: PaperSize::TradeSixByNine,
            workbook: true,
            questions_only: false,
        },
    );
    let covers = document
        .pages
        .iter()
        .filter(|p| p.role == casebook::print::page::PageRole::Cover)
        .count();
    let interior = document.pages.len() - covers;
    let interior = interior + interior % 2;
    // The paper's own inside margin, or the page count's gutter when that
    // is wider (KDP asks 0.875 in from 701 pages; we add 0.125 in for
    // writing): 1.0 in for the real book's ~755 pages today.
    let own =
        casebook::print::layout::geometry::Geometry::for_paper(PaperSize::TradeSixByNine).inner;
    let gutter = gutter_for_page_count(interior).max(own);
    if interior > 700 {
        assert_eq!(gutter, 1.0 * 72.0);
    }
    assert!(
        gutter > own,
        "{interior} pages need no wider gutter: the test proves nothing"
    );
    for (index, page) in document
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role != casebook::print::page::PageRole::Cover)
    {
        let inner = if index.is_multiple_of(2) {
            page.text_block.x
        } else {
            page.width - page.text_block.right()
        };
        assert!(
            (inner - gutter).abs() < 0.01,
            "page {} has a {inner} pt inside margin",
            page.label
        );
    }
}

#[test]
fn a_figure_prints_in_grey_and_a_low_resolution_one_is_warned_of() {
    let book = mini_with("print-production-figure", "");
    std::fs::create_dir_all(book.join("images")).unwrap();
    std::fs::copy(book.join("small.png"), book.join("images/plan.png")).unwrap();
    let intro = book.join("front/intro.md");
    let text = std::fs::read_to_string(&intro).unwrap();
    std::fs::write(&intro, format!("{text}\n![The plan](images/plan.png)\n")).unwrap();
    let out = book.parent().unwrap().join("out");
    let output = casebook(&[
        "build",
        "--pdf",
        "--book",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    // 200 × 320 pixels shown about 3.6 in tall: far under 300 ppi.
    let report = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        report.contains("plan.png") && report.contains("ppi in the print interior"),
        "{report}"
    );
    let interior = out.join("mini-casebook-a-fixture-print.pdf");
    assert_pdf_x4(&interior);
    let list = Command::new("pdfimages")
        .arg("-list")
        .arg(&interior)
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    let images: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(images.len(), 1, "the figure, not the cover: {list}");
    assert!(
        images[0].split_whitespace().nth(5) == Some("gray"),
        "{list}"
    );
}
