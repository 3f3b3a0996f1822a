//! Checks: everything `casebook check` reports beyond what the loader found —
//! counts, duplicates, required sections, word ranges, tags, images, raw HTML,
//! the cover, and characters no font can draw. Every finding is a `Diagnostic`.

mod sections;

use std::collections::HashMap;
use std::path::{Component, Path};

use crate::diagnostic::{self, Diagnostic};
use crate::load::{BOOK_FILE, Loaded, SourceFile, SourceKind, locate};
use crate::model::{Book, Scenario};

pub use sections::{ANSWER_SECTIONS, QUESTION_SECTIONS, WordRange};

/// Minimum cover size in pixels, the size e-book stores ask for.
pub const COVER_MIN_WIDTH: u32 = 1600;
pub const COVER_MIN_HEIGHT: u32 = 2560;

/// Tags a scenario may carry: at least one so it appears in the index, at most
/// six so the index stays a map rather than a copy of the book.
const TAGS_PER_SCENARIO: std::ops::RangeInclusive<usize> = 1..=6;

/// Runs every check and returns the loader's diagnostics with the checks',
/// sorted by file and position.
pub fn check_book(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut found = loaded.diagnostics.clone();
    let book = &loaded.book;
    let scenarios = scenario_sources(loaded);
    check_counts(book, &mut found);
    check_duplicates(&scenarios, &mut found);
    check_tags(book, &scenarios, &mut found);
    check_cover(book, &mut found);
    for (file, scenario) in &scenarios {
        sections::check_scenario(file, scenario, &mut found);
    }
    for file in &loaded.files {
        check_raw_html(file, &mut found);
        check_images(book, file, &mut found);
        check_characters(file, &mut found);
    }
    diagnostic::sort(&mut found);
    found.dedup();
    found
}

/// Each scenario with the source it was loaded from.
fn scenario_sources(loaded: &Loaded) -> Vec<(&SourceFile, &Scenario)> {
    let scenarios: Vec<&Scenario> = loaded.book.scenarios().map(|(_, s)| s).collect();
    loaded
        .files
        .iter()
        .filter_map(|file| match file.kind {
            SourceKind::Scenario { number, .. } => scenarios
                .iter()
                .find(|s| s.number == number)
                .map(|s| (file, *s)),
            SourceKind::Chapter => None,
        })
        .collect()
}

fn book_yaml(book: &Book) -> (std::path::PathBuf, String) {
    let path = book.root.join(BOOK_FILE);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    (path, text)
}

fn check_counts(book: &Book, found: &mut Vec<Diagnostic>) {
    let (path, text) = book_yaml(book);
    for category in &book.categories {
        let present = category.scenarios.len();
        if present != category.promised {
            found.push(
                Diagnostic::warning(
                    &path,
                    locate(&text, &format!("id: {}", category.id)),
                    format!(
                        "category `{}` promises {} scenarios but has {}",
                        category.id, category.promised, present
                    ),
                )
                .with_hint(if present < category.promised {
                    "write the missing scenarios (`casebook new`), or lower `count`"
                } else {
                    "raise `count`, or move the extra scenarios"
                }),
            );
        }
    }
}

fn check_duplicates(scenarios: &[(&SourceFile, &Scenario)], found: &mut Vec<Diagnostic>) {
    let mut ids: HashMap<&str, &Path> = HashMap::new();
    let mut titles: HashMap<String, &Path> = HashMap::new();
    for (file, scenario) in scenarios {
        if let Some(first) = ids.insert(&scenario.id, &file.path) {
            found.push(
                Diagnostic::error(
                    &file.path,
                    locate(&file.text, "id:"),
                    format!("duplicate scenario id `{}`", scenario.id),
                )
                .with_hint(format!(
                    "`{}` already uses it; ids must be unique across the book",
                    first.display()
                )),
            );
        }
        if let Some(first) = titles.insert(scenario.title.to_lowercase(), &file.path) {
            found.push(
                Diagnostic::error(
                    &file.path,
                    locate(&file.text, "title:"),
                    format!("duplicate scenario title `{}`", scenario.title),
                )
                .with_hint(format!("`{}` already has this title", first.display())),
            );
        }
    }
}

fn check_tags(book: &Book, scenarios: &[(&SourceFile, &Scenario)], found: &mut Vec<Diagnostic>) {
    for (file, scenario) in scenarios {
        let tags_at = locate(&file.text, "tags:");
        if !TAGS_PER_SCENARIO.contains(&scenario.tags.len()) {
            found.push(
                Diagnostic::error(
                    &file.path,
                    tags_at,
                    format!(
                        "a scenario carries 1 to 6 tags; this one has {}",
                        scenario.tags.len()
                    ),
                )
                .with_hint(
                    "tags place the scenario in the topic index; pick the few that matter most",
                ),
            );
        }
        for (i, tag) in scenario.tags.iter().enumerate() {
            if scenario.tags[..i].contains(tag) {
                found.push(Diagnostic::error(
                    &file.path,
                    tags_at,
                    format!("tag `{tag}` is listed twice"),
                ));
            }
            if !book.tags.iter().any(|t| &t.id == tag) {
                let position = file
                    .text
                    .find(tag.as_str())
                    .map_or(tags_at, |o| file.position(o));
                found.push(
                    Diagnostic::error(&file.path, position, format!("unknown tag `{tag}`"))
                        .with_hint("use a tag defined in book/tags.yaml, or add it there with its display name"),
                );
            }
        }
    }
}

fn check_cover(book: &Book, found: &mut Vec<Diagnostic>) {
    let (path, text) = book_yaml(book);
    let at = locate(&text, "cover:");
    let cover = &book.meta.cover;
    if !cover.exists() {
        found.push(
            Diagnostic::error(&path, at, format!("cover image `{}` does not exist", cover.display()))
                .with_hint("run `casebook cover` to render one from the title, or point `cover` at your PNG/JPEG"),
        );
        return;
    }
    match image::image_dimensions(cover) {
        Ok((w, h)) if w < COVER_MIN_WIDTH || h < COVER_MIN_HEIGHT => found.push(
            Diagnostic::error(&path, at, format!("cover is {w}×{h} pixels; it must be at least {COVER_MIN_WIDTH}×{COVER_MIN_HEIGHT}"))
                .with_hint("stores reject smaller covers; supply a larger image or run `casebook cover`"),
        ),
        Ok(_) => {}
        Err(e) => found.push(
            Diagnostic::error(&path, at, format!("cover image cannot be read: {e}")).with_hint("use a PNG or JPEG file"),
        ),
    }
}

fn check_raw_html(file: &SourceFile, found: &mut Vec<Diagnostic>) {
    for range in &file.facts.raw_html {
        let snippet: String = file.text[range.clone()].chars().take(30).collect();
        found.push(
            Diagnostic::error(&file.path, file.position(range.start), format!("raw HTML `{}`", snippet.trim_end()))
                .with_hint("write it in Markdown; raw HTML breaks XHTML and some reading systems (put literal tags in `code`)"),
        );
    }
}

fn check_images(book: &Book, file: &SourceFile, found: &mut Vec<Diagnostic>) {
    for image in &file.facts.images {
        let at = file.position(image.range.start);
        let src = Path::new(&image.src);
        let escapes = src.is_absolute()
            || image.src.contains("://")
            || src.components().any(|c| matches!(c, Component::ParentDir));
        if escapes {
            found.push(
                Diagnostic::error(
                    &file.path,
                    at,
                    format!("image `{}` lies outside book/", image.src),
                )
                .with_hint("copy the image into book/images/ and use a path relative to book/"),
            );
        } else if !book.root.join(src).is_file() {
            found.push(
                Diagnostic::error(
                    &file.path,
                    at,
                    format!("image `{}` does not exist", image.src),
                )
                .with_hint("image paths are relative to book/"),
            );
        } else if !image.stands_alone {
            found.push(
                Diagnostic::error(
                    &file.path,
                    at,
                    "an image must stand alone in its own paragraph",
                )
                .with_hint("put a blank line before and after the image"),
            );
        }
    }
}

fn check_characters(file: &SourceFile, found: &mut Vec<Diagnostic>) {
    for (offset, c) in crate::print::unsupported_chars(&file.text) {
        found.push(
            Diagnostic::error(
                &file.path,
                file.position(offset),
                format!(
                    "character `{c}` (U+{:04X}) is in no font in fonts/",
                    c as u32
                ),
            )
            .with_hint("replace it, or add a font that has it to fonts/"),
        );
    }
}

/// The exit status `casebook check` should have.
pub fn failed(diagnostics: &[Diagnostic], strict: bool) -> bool {
    diagnostics.iter().any(|d| d.is_error() || strict)
}
