//! Hostile and careless books. Each test makes its fixture from the `mini`
//! book (copied, then changed in one way: a path out of the book, a link, a
//! bad image, a control character…) because symbolic links, absolute paths
//! and decompression bombs do not travel well in git. Every test asserts the
//! exact diagnostic and its location, or that the output is valid.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A text no book file contains: if it appears in an edition, a file from
/// outside the book was read.
const SECRET: &str = "SECRET-OUTSIDE-THE-BOOK-5d1c";

/// A copy of the `mini` book at `<scratch>/book`, with `<scratch>/outside/`
/// beside it holding a secret chapter, a secret PNG and a secret folder.
fn hostile(test: &str) -> PathBuf {
    let dir = scratch_dir(&format!("hostile-{test}"));
    copy_tree(&fixture("mini"), &dir.join("book"));
    let outside = dir.join("outside");
    std::fs::create_dir_all(outside.join("scenarios")).unwrap();
    std::fs::write(outside.join("secret.md"), format!("# Secret\n\n{SECRET}\n")).unwrap();
    let mut png = std::fs::read(fixture("mini").join("small.png")).unwrap();
    png.extend_from_slice(SECRET.as_bytes());
    std::fs::write(outside.join("secret.png"), png).unwrap();
    dir.join("book")
}

fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, change(text)).unwrap();
}

/// `casebook check` on `book`: its exit status and what it printed.
fn check(book: &Path) -> (bool, String) {
    let output = casebook(&["check", "--book", book.to_str().unwrap()]);
    (output.status.success(), stdout(&output) + &stderr(&output))
}

/// Asserts that check fails with `expected` (a line `path:line:col: …`
/// whose path is relative to the book), and that build writes nothing.
fn assert_refused(book: &Path, expected: &str) {
    let (ok, report) = check(book);
    let expected = format!("{}/{expected}", book.display());
    assert!(!ok, "check passed:\n{report}");
    assert!(
        report.contains(&expected),
        "expected\n  {expected}\nin\n{report}"
    );
    let out = book.parent().unwrap().join("dist");
    let build = casebook(&[
        "build",
        "--book",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!build.status.success());
    let written = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
    assert_eq!(written, 0, "build wrote files for a refused book");
}

fn add_front(book: &Path, entry: &str) {
    edit(&book.join("book.yaml"), |t| {
        t.replace(
            "  - front/covers.md\n",
            &format!("  - front/covers.md\n  - {entry}\n"),
        )
    });
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

/// Parses `xml` as XML 1.0 (the `<!DOCTYPE html>` of XHTML allowed).
fn well_formed(xml: &str) -> Result<(), roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(xml, options).map(|_| ())
}

// Containment ---------------------------------------------------------------

#[test]
fn an_absolute_chapter_path_is_refused_at_its_line() {
    let book = hostile("absolute");
    let secret = book.parent().unwrap().join("outside/secret.md");
    add_front(&book, secret.to_str().unwrap());
    assert_refused(
        &book,
        &format!(
            "book.yaml:13:5: error: `{}` is an absolute path; paths are relative to the book folder",
            secret.display()
        ),
    );
}

#[test]
fn a_chapter_above_the_book_is_refused_at_its_line() {
    let book = hostile("parent");
    add_front(&book, "../outside/secret.md");
    assert_refused(
        &book,
        "book.yaml:13:5: error: `../outside/secret.md` lies outside the book folder",
    );
}

#[cfg(unix)]
#[test]
fn a_chapter_that_links_out_of_the_book_is_refused() {
    let book = hostile("chapter-link");
    link(
        &book.parent().unwrap().join("outside/secret.md"),
        &book.join("front/linked.md"),
    );
    add_front(&book, "front/linked.md");
    assert_refused(
        &book,
        "book.yaml:13:5: error: `front/linked.md` is a symbolic link to a file outside the book folder",
    );
}

#[cfg(unix)]
#[test]
fn a_scenario_that_links_out_of_the_book_is_refused_at_the_file() {
    let book = hostile("scenario-link");
    let at = book.join("scenarios/01-alpha/03-linked.md");
    link(&book.parent().unwrap().join("outside/secret.md"), &at);
    assert_refused(
        &book,
        "scenarios/01-alpha/03-linked.md:1:1: error: `scenarios/01-alpha/03-linked.md` is a symbolic link to a file outside the book folder",
    );
}

#[cfg(unix)]
#[test]
fn a_figure_that_links_out_of_the_book_is_refused_at_the_image() {
    let book = hostile("figure-link");
    link(
        &book.parent().unwrap().join("outside/secret.png"),
        &book.join("images/plan.png"),
    );
    edit(&book.join("front/intro.md"), |t| {
        t + "\n![The plan](images/plan.png)\n"
    });
    assert_refused(
        &book,
        "front/intro.md:6:1: error: image: `images/plan.png` is a symbolic link to a file outside the book folder",
    );
}

#[test]
fn a_category_folder_or_intro_outside_the_book_is_refused() {
    let book = hostile("category");
    edit(&book.join("book.yaml"), |t| {
        t.replace("dir: scenarios/02-beta", "dir: ../outside/scenarios")
            .replace(
                "intro: \"One scenario about beta.\"",
                "intro: ../outside/secret.md",
            )
    });
    assert_refused(
        &book,
        "book.yaml:21:10: error: `../outside/scenarios` lies outside the book folder",
    );
    assert_refused(
        &book,
        "book.yaml:23:12: error: `../outside/secret.md` lies outside the book folder",
    );
}

#[test]
fn the_cover_may_live_in_covers_beside_the_book_and_nowhere_else_outside() {
    let book = hostile("cover");
    let covers = book.parent().unwrap().join("covers");
    std::fs::create_dir_all(&covers).unwrap();
    std::fs::copy(book.join("cover.png"), covers.join("cover.png")).unwrap();
    edit(&book.join("book.yaml"), |t| {
        t.replace("cover: cover.png", "cover: ../covers/cover.png")
    });
    let (ok, report) = check(&book);
    assert!(ok, "{report}");
    edit(&book.join("book.yaml"), |t| {
        t.replace("cover: ../covers/cover.png", "cover: ../outside/secret.png")
    });
    assert_refused(
        &book,
        "book.yaml:9:8: error: `../outside/secret.png` lies outside the book folder",
    );
}

// Figures -----------------------------------------------------------------

/// Figures are read from the book, whatever the working directory: the PDF
/// embeds the cover and the figure (two images), and the EPUB ships the
/// figure under its archive name.
#[test]
fn figures_reach_both_editions_when_run_from_outside_the_book() {
    let book = hostile("figure-cwd");
    std::fs::create_dir_all(book.join("images")).unwrap();
    std::fs::copy(book.join("small.png"), book.join("images/plan.png")).unwrap();
    edit(&book.join("front/intro.md"), |t| {
        t + "\n![The plan](images/plan.png)\n"
    });
    let out = book.parent().unwrap().join("dist");
    build_book(&book, &out, &[]);
    let pdf = output_with_extension(&out, "pdf");
    let list = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .unwrap();
    let images = String::from_utf8_lossy(&list.stdout)
        .lines()
        .skip(2)
        .count();
    assert_eq!(images, 2, "{}", String::from_utf8_lossy(&list.stdout));
    let epub = out.join(pdf.with_extension("epub").file_name().unwrap());
    let files = read_epub(&epub);
    assert!(
        files.contains_key("OEBPS/images/images-plan.png"),
        "{:?}",
        files.keys()
    );
    assert!(files["OEBPS/ch-intro.xhtml"].contains("src=\"images/images-plan.png\""));
}

fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::new(width, height)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

fn jpeg_bytes(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::new(width, height)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid PNG header claiming 20000×20000 pixels (400 MP): about 70 bytes.
fn bomb_png() -> Vec<u8> {
    let mut bytes = png_bytes(1, 1);
    bytes[16..20].copy_from_slice(&20000u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&20000u32.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

#[test]
fn every_bad_figure_is_a_located_error() {
    let book = hostile("bad-images");
    let images = book.join("images");
    std::fs::create_dir_all(&images).unwrap();
    std::fs::write(images.join("bomb.png"), bomb_png()).unwrap();
    let jpeg = jpeg_bytes(64, 64);
    std::fs::write(images.join("cut.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
    std::fs::write(images.join("header.png"), &png_bytes(8, 8)[..33]).unwrap();
    std::fs::write(images.join("photo.png"), &jpeg).unwrap();
    std::fs::write(
        images.join("anim.gif"),
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    )
    .unwrap();
    edit(&book.join("front/intro.md"), |t| {
        t + "\n![a](images/bomb.png)\n\n![b](images/cut.jpg)\n\n![c](images/header.png)\n\n![d](images/photo.png)\n\n![e](images/anim.gif)\n"
    });
    let (ok, report) = check(&book);
    assert!(!ok);
    let at = |line: usize, message: &str| {
        format!(
            "{}/front/intro.md:{line}:1: error: {message}",
            book.display()
        )
    };
    for expected in [
        at(
            6,
            "image `images/bomb.png` is 20000×20000 pixels, more than the 40 megapixels an image may have",
        ),
        at(8, "image `images/cut.jpg` is not a readable JPEG"),
        at(10, "image `images/header.png` is not a"),
        at(
            12,
            "image `images/photo.png` holds JPEG data but its name says otherwise; rename it to end in .jpg",
        ),
        at(14, "image `images/anim.gif` is not a PNG or JPEG file"),
    ] {
        assert!(
            report.contains(&expected),
            "expected\n  {expected}\nin\n{report}"
        );
    }
}

#[test]
fn a_cover_bomb_is_refused_before_decoding() {
    let book = hostile("cover-bomb");
    std::fs::write(book.join("cover.png"), bomb_png()).unwrap();
    assert_refused(
        &book,
        "book.yaml:9:1: error: the cover image is 20000×20000 pixels, more than the 40 megapixels an image may have",
    );
}

// Characters --------------------------------------------------------------

#[test]
fn control_characters_are_located_errors_wherever_they_come_from() {
    let book = hostile("controls");
    let scenario = book.join("scenarios/01-alpha/01-alpha-one.md");
    edit(&scenario, |t| {
        t.replacen(
            "## Situation\n\n",
            "## Situation\n\nBell\u{7} here and &#x1; there. ",
            1,
        )
    });
    edit(&book.join("book.yaml"), |t| {
        t.replace("title: \"Mini Casebook\"", "title: \"Mini\\x07Casebook\"")
    });
    let (ok, report) = check(&book);
    assert!(!ok);
    let path = |p: &str| format!("{}/{p}", book.display());
    for expected in [
        format!(
            "{}:10:5: error: control character U+0007 in the text",
            path("scenarios/01-alpha/01-alpha-one.md")
        ),
        format!(
            "{}:10:16: error: control character U+0001 in the text",
            path("scenarios/01-alpha/01-alpha-one.md")
        ),
        format!(
            "{}:1:8: error: control character U+0007 in the text",
            path("book.yaml")
        ),
    ] {
        assert!(
            report.contains(&expected),
            "expected\n  {expected}\nin\n{report}"
        );
    }
}

#[test]
fn undrawable_characters_from_yaml_tags_and_entities_are_reported() {
    let book = hostile("undrawable");
    edit(&book.join("tags.yaml"), |t| {
        t.replace("airflow: Airflow", "airflow: \"Airflow \\U0001F9C8\"")
    });
    edit(&book.join("book.yaml"), |t| {
        t.replace(
            "subtitle: \"A Fixture\"",
            "subtitle: \"A Fixture \u{1F9C8}\"",
        )
    });
    edit(&book.join("front/intro.md"), |t| {
        t + "\nButter: &#x1F9C8;\n"
    });
    let (ok, report) = check(&book);
    assert!(!ok);
    let message = "error: character `\u{1F9C8}` (U+1F9C8) is in no font in fonts/";
    for expected in [
        format!("{}/tags.yaml:1:10: {message}", book.display()),
        format!("{}/book.yaml:2:22: {message}", book.display()),
        format!("{}/front/intro.md:6:9: {message}", book.display()),
    ] {
        assert!(
            report.contains(&expected),
            "expected\n  {expected}\nin\n{report}"
        );
    }
}

// Metadata and YAML -------------------------------------------------------

#[test]
fn an_impossible_date_is_refused() {
    let book = hostile("date");
    edit(&book.join("book.yaml"), |t| {
        t.replace("date: 2026-01-15", "date: 2026-02-31")
    });
    assert_refused(
        &book,
        "book.yaml:7:1: error: `date` must be a real calendar date written YYYY-MM-DD, found `2026-02-31`",
    );
}

#[test]
fn a_byte_order_mark_is_simply_accepted() {
    let book = hostile("bom");
    for file in [
        "book.yaml",
        "scenarios/01-alpha/01-alpha-one.md",
        "front/intro.md",
    ] {
        edit(&book.join(file), |t| format!("\u{FEFF}{t}"));
    }
    let (ok, report) = check(&book);
    assert!(ok, "{report}");
    assert!(!report.contains(": error:"), "{report}");
}

#[test]
fn invalid_utf8_and_repeated_keys_are_reported_at_their_line() {
    let book = hostile("utf8");
    let scenario = book.join("scenarios/01-alpha/02-alpha-two.md");
    let mut bytes = std::fs::read(&scenario).unwrap();
    let at = bytes.iter().position(|&b| b == b'#').unwrap();
    bytes.splice(at..at, *b"ok \xFF\xFE ");
    std::fs::write(&scenario, bytes).unwrap();
    edit(&book.join("tags.yaml"), |t| t + "airflow: Airflow again\n");
    let (ok, report) = check(&book);
    assert!(!ok);
    let lines = std::fs::read_to_string(book.join("tags.yaml"))
        .unwrap()
        .lines()
        .count();
    for expected in [
        format!(
            "{}/scenarios/01-alpha/02-alpha-two.md:8:4: error: byte 0xFF is not UTF-8 text",
            book.display()
        ),
        format!(
            "{}/tags.yaml:{lines}:1: error: key `airflow` is defined twice",
            book.display()
        ),
    ] {
        assert!(
            report.contains(&expected),
            "expected\n  {expected}\nin\n{report}"
        );
    }
    edit(&book.join("book.yaml"), |t| {
        t.replace("rights:", "title: \"Again\"\nrights:")
    });
    let (_, report) = check(&book);
    assert!(
        report.contains(&format!(
            "{}/book.yaml:8:1: error: duplicate field `title`",
            book.display()
        )),
        "{report}"
    );
}

#[test]
fn duplicate_category_ids_are_refused() {
    let book = hostile("category-ids");
    edit(&book.join("book.yaml"), |t| {
        t.replace("  - id: beta", "  - id: alpha")
    });
    assert_refused(
        &book,
        "book.yaml:19:9: error: duplicate category id `alpha`",
    );
}

#[test]
fn footnotes_task_lists_and_strikethrough_are_warned_about() {
    let book = hostile("syntax");
    edit(&book.join("front/intro.md"), |t| {
        t + "\nA claim[^1] and ~~old~~ text.\n\n- [ ] to do\n\n[^1]: The note.\n"
    });
    let output = casebook(&["check", "--strict", "--book", book.to_str().unwrap()]);
    let report = stdout(&output);
    let at = |l: usize, c: usize, what: &str| {
        format!(
            "{}/front/intro.md:{l}:{c}: warning: {what} is not supported and appears as literal text",
            book.display()
        )
    };
    for expected in [
        at(6, 8, "a footnote"),
        at(6, 17, "strikethrough"),
        at(8, 3, "a task-list box"),
    ] {
        assert!(
            report.contains(&expected),
            "expected\n  {expected}\nin\n{report}"
        );
    }
}

#[test]
fn titles_that_cannot_name_a_file_are_refused() {
    let book = hostile("titles");
    edit(&book.join("book.yaml"), |t| {
        t.replace("title: \"Mini Casebook\"", "title: \"!!!\"")
            .replace("subtitle: \"A Fixture\"\n", "")
    });
    assert_refused(
        &book,
        "book.yaml:1:1: error: the title has no letters or digits to name the output files after",
    );
    let long = "Word ".repeat(60);
    edit(&book.join("book.yaml"), |t| {
        t.replace("title: \"!!!\"", &format!("title: \"{long}\""))
    });
    assert_refused(
        &book,
        "book.yaml:1:1: error: title and subtitle make a file name of 299 bytes; at most 200 fit",
    );
}

#[test]
fn chapters_whose_names_collide_are_refused() {
    let book = hostile("chapter-names");
    for folder in ["a", "b"] {
        std::fs::create_dir_all(book.join("front").join(folder)).unwrap();
        std::fs::write(
            book.join("front").join(folder).join("notes.md"),
            "# Notes\n\nText.\n",
        )
        .unwrap();
    }
    add_front(&book, "front/a/notes.md\n  - front/b/notes.md");
    assert_refused(&book, "book.yaml:14:5: error: chapters `");
}

// Valid output from awkward but accepted sources ---------------------------

/// Names with spaces and `!`, a heading whose anchor matches a chapter id,
/// two figures with the same file name in different folders, and URLs with
/// quotes, spaces and angle brackets: the EPUB is valid (epubcheck 0/0) and
/// every content document is well-formed XML.
#[test]
fn awkward_names_anchors_and_urls_give_a_valid_epub() {
    let book = hostile("awkward");
    std::fs::write(
        book.join("front/my notes!.md"),
        "# My Notes\n\n## Intro\n\nSee [a](<https://example.com/a b>), \
         [b](https://example.com/?q=\"x\") and [c](https://example.com/\\<x\\>).\n\n\
         ![One](one/plan.png)\n\n![Two](two/plan.png)\n",
    )
    .unwrap();
    edit(&book.join("front/intro.md"), |t| {
        t + "\n## Intro\n\nMore.\n\n## Q 001\n\nAnd more.\n"
    });
    for folder in ["one", "two"] {
        std::fs::create_dir_all(book.join(folder)).unwrap();
        std::fs::write(
            book.join(folder).join("plan.png"),
            png_bytes(40 + folder.len() as u32, 30),
        )
        .unwrap();
    }
    add_front(&book, "\"front/my notes!.md\"");
    let out = book.parent().unwrap().join("dist");
    let epub = build_epub(&book, &out);
    let files = read_epub(&epub);
    for (name, text) in &files {
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
            well_formed(text).unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
        }
    }
    assert!(
        files.contains_key("OEBPS/images/one-plan.png")
            && files.contains_key("OEBPS/images/two-plan.png")
    );
    let (errors, warnings, report) = epubcheck(&epub);
    assert_eq!((errors, warnings), (0, 0), "{report}");
}
