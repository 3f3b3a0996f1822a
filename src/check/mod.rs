//! Checks: everything `casebook check` reports beyond what the loader found —
//! counts, duplicates, required sections, word ranges, tags, images, raw HTML,
//! the cover, and characters no font can draw. Every finding is a `Diagnostic`.

mod sections;

use std::collections::HashMap;
use std::path::Path;

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
    check_counts(book, book_yaml(loaded), &mut found);
    check_duplicates(&scenarios, &mut found);
    check_tags(book, &scenarios, &mut found);
    check_cover(book, book_yaml(loaded), &mut found);
    check_output_name(book, book_yaml(loaded), &mut found);
    check_hyphenation(book, book_yaml(loaded), &mut found);
    check_yaml_values(loaded, &mut found);
    for (file, scenario) in &scenarios {
        sections::check_scenario(file, scenario, &mut found);
    }
    let mut inspected = HashMap::new();
    for file in &loaded.files {
        check_raw_html(file, &mut found);
        check_unsupported_syntax(file, &mut found);
        check_images(file, &mut inspected, &mut found);
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
            SourceKind::Chapter | SourceKind::Yaml => None,
        })
        .collect()
}

/// `book.yaml` as the loader read it (no second read of the file).
fn book_yaml(loaded: &Loaded) -> (&Path, &str) {
    loaded
        .files
        .iter()
        .find(|f| f.kind == SourceKind::Yaml && f.path.file_name().is_some_and(|n| n == BOOK_FILE))
        .map_or((Path::new(BOOK_FILE), ""), |f| {
            (f.path.as_path(), f.text.as_str())
        })
}

fn check_counts(book: &Book, yaml: (&Path, &str), found: &mut Vec<Diagnostic>) {
    let (path, text) = yaml;
    for category in &book.categories {
        let present = category.scenarios.len();
        if present != category.promised {
            found.push(
                Diagnostic::warning(
                    path,
                    locate(text, &format!("id: {}", category.id)),
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

fn check_cover(book: &Book, yaml: (&Path, &str), found: &mut Vec<Diagnostic>) {
    let (path, text) = yaml;
    let at = locate(text, "cover:");
    let Some(cover) = &book.meta.cover_file else {
        // A cover outside the allowed places was reported by the loader.
        if !book.meta.cover.exists() && !book.meta.cover.is_symlink() {
            found.push(
                Diagnostic::error(path, at, format!("cover image `{}` does not exist", book.meta.cover.display()))
                    .with_hint("run `casebook cover` to render one from the title, or point `cover` at your PNG/JPEG"),
            );
        }
        return;
    };
    match crate::images::inspect(cover) {
        Ok(info) if info.width < COVER_MIN_WIDTH || info.height < COVER_MIN_HEIGHT => found.push(
            Diagnostic::error(path, at, format!("cover is {}×{} pixels; it must be at least {COVER_MIN_WIDTH}×{COVER_MIN_HEIGHT}", info.width, info.height))
                .with_hint("stores reject smaller covers; supply a larger image or run `casebook cover`"),
        ),
        Ok(_) => {}
        Err(e) => found.push(
            Diagnostic::error(path, at, format!("the cover image {e}")).with_hint("use a complete PNG or JPEG file, or run `casebook cover`"),
        ),
    }
}

/// The print edition hyphenates with the patterns of the book's language;
/// without them it still justifies, but breaks lines at spaces only.
fn check_hyphenation(book: &Book, yaml: (&Path, &str), found: &mut Vec<Diagnostic>) {
    if crate::print::hyphenate::Hyphenation::has_patterns(&book.meta.language) {
        return;
    }
    let (path, text) = yaml;
    found.push(
        Diagnostic::warning(
            path,
            locate(text, "language:"),
            format!(
                "no hyphenation patterns for `{}`; the PDF breaks lines at spaces only (patterns are embedded for English)",
                book.meta.language
            ),
        )
        .with_hint("the EPUB is unaffected (reading systems hyphenate); expect looser justified lines in the PDF"),
    );
}

/// Longest file name an edition may get: most file systems allow 255
/// bytes, and `.tmp-<pid>` and an edition suffix must still fit.
const MAX_OUTPUT_STEM: usize = 200;

/// The editions are named from the title: a title with no letters or digits
/// would make hidden files (`.epub`), a very long one a name the file system
/// refuses.
fn check_output_name(book: &Book, yaml: (&Path, &str), found: &mut Vec<Diagnostic>) {
    let (path, text) = yaml;
    let stem = crate::build::output_stem(book);
    let at = locate(text, "title:");
    if stem.is_empty() {
        found.push(
            Diagnostic::error(
                path,
                at,
                "the title has no letters or digits to name the output files after",
            )
            .with_hint("the editions are named from the title and subtitle; give the title a word"),
        );
    } else if stem.len() > MAX_OUTPUT_STEM {
        found.push(
            Diagnostic::error(
                path,
                at,
                format!("title and subtitle make a file name of {} bytes; at most {MAX_OUTPUT_STEM} fit", stem.len()),
            )
            .with_hint("shorten the title or the subtitle"),
        );
    }
}

/// Characters that reach the editions through YAML escapes (`"\x01"`,
/// `"\U0001F9C8"`) in `book.yaml` or `tags.yaml`, which a scan of the files'
/// literal text cannot see; reported at the value.
fn check_yaml_values(loaded: &Loaded, found: &mut Vec<Diagnostic>) {
    let book = &loaded.book;
    let yaml = |name: &str| {
        loaded
            .files
            .iter()
            .find(|f| f.kind == SourceKind::Yaml && f.path.file_name().is_some_and(|n| n == name))
    };
    let meta = &book.meta;
    let mut book_values: Vec<(&str, &str)> = vec![
        ("title", &meta.title),
        ("description", &meta.description),
        ("rights", &meta.rights),
    ];
    book_values.extend(meta.subtitle.as_deref().map(|v| ("subtitle", v)));
    book_values.extend(meta.publisher.as_deref().map(|v| ("publisher", v)));
    book_values.extend(meta.authors.iter().map(|v| ("authors", v.as_str())));
    book_values.extend(book.categories.iter().map(|c| ("title", c.title.as_str())));
    let tag_values: Vec<(&str, &str)> = book
        .tags
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    for (file, values) in [
        (yaml(BOOK_FILE), book_values),
        (yaml(crate::load::TAGS_FILE), tag_values),
    ] {
        let Some(file) = file else { continue };
        for (key, value) in values {
            for c in value.chars().filter(|c| !file.text.contains(*c)) {
                let at = crate::load::locate_value(&file.text, key, value);
                found.push(character_problem(&file.path, at, c));
            }
        }
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

fn check_unsupported_syntax(file: &SourceFile, found: &mut Vec<Diagnostic>) {
    if file.kind == SourceKind::Yaml {
        return;
    }
    for (what, offset) in crate::markdown::unsupported_syntax(&file.text, 0) {
        found.push(
            Diagnostic::warning(
                &file.path,
                file.position(offset),
                format!("{what} is not supported and appears as literal text"),
            )
            .with_hint("write it as plain text, a list or a parenthesis"),
        );
    }
}

/// Figures: in a paragraph of their own, PNG or JPEG by name and by content,
/// complete, and within the pixel limit (each file decoded once).
fn check_images(
    file: &SourceFile,
    inspected: &mut HashMap<std::path::PathBuf, Result<(), String>>,
    found: &mut Vec<Diagnostic>,
) {
    for image in &file.facts.images {
        let at = file.position(image.range.start);
        let Some(path) = &image.resolved else {
            continue; // the loader reported why it could not be resolved
        };
        if !image.stands_alone {
            found.push(
                Diagnostic::error(
                    &file.path,
                    at,
                    "an image must stand alone in its own paragraph",
                )
                .with_hint("put a blank line before and after the image"),
            );
        }
        if crate::images::ImageKind::from_extension(Path::new(&image.src)).is_none() {
            found.push(
                Diagnostic::error(
                    &file.path,
                    at,
                    format!("image `{}` is not a PNG or JPEG file", image.src),
                )
                .with_hint("convert it to PNG (diagrams) or JPEG (photographs)"),
            );
            continue;
        }
        let result = inspected
            .entry(path.clone())
            .or_insert_with(|| crate::images::inspect(path).map(|_| ()));
        if let Err(e) = result {
            found.push(
                Diagnostic::error(&file.path, at, format!("image `{}` {e}", image.src))
                    .with_hint("replace it with a complete PNG or JPEG of at most 40 megapixels"),
            );
        }
    }
}

fn character_problem(path: &Path, at: crate::diagnostic::Position, c: char) -> Diagnostic {
    if crate::load::is_forbidden_control(c) {
        return crate::load::control_character_error(path, at, c);
    }
    Diagnostic::error(
        path,
        at,
        format!(
            "character `{c}` (U+{:04X}) is in no font in fonts/",
            c as u32
        ),
    )
    .with_hint("replace it, or add a font that has it to fonts/")
}

fn is_problem_character(c: char) -> bool {
    crate::load::is_forbidden_control(c) || !crate::print::can_draw(c)
}

/// Characters XML forbids and characters no font draws: literal ones at
/// their exact place, and ones the parser decoded (entities, escapes) at
/// the start of their source.
fn check_characters(file: &SourceFile, found: &mut Vec<Diagnostic>) {
    for (offset, c) in file.text.char_indices() {
        if c != '\t' && c != '\n' && c != '\r' && is_problem_character(c) {
            found.push(character_problem(&file.path, file.position(offset), c));
        }
    }
    for (decoded, offset) in &file.facts.decoded {
        let source = file.text.get(*offset..).unwrap_or("");
        for c in decoded.chars().filter(|c| is_problem_character(*c)) {
            if !source.starts_with(c) {
                found.push(character_problem(&file.path, file.position(*offset), c));
            }
        }
    }
}

/// The exit status `casebook check` should have.
pub fn failed(diagnostics: &[Diagnostic], strict: bool) -> bool {
    diagnostics.iter().any(|d| d.is_error() || strict)
}
