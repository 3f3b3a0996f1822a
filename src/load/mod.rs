//! Loading: reads `book/` (book.yaml, tags.yaml, front matter, scenarios) into
//! the `Book` model, and keeps each source's text and parser facts so checks
//! can point at a line and column. Problems become diagnostics, never panics.

pub mod config;
mod scenario;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, LineIndex, Position};
use crate::document::{self, Alignment, Block, Inline, LinkTarget, Table};
use crate::markdown::{self, SourceFacts};
use crate::model::{Book, Category, Chapter, Metadata, Tag};
use config::{BookConfig, TagsConfig};

pub use scenario::parse_scenario;

/// One Markdown source as loaded, kept for the checks.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub kind: SourceKind,
    pub facts: SourceFacts,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SourceKind {
    Chapter,
    Scenario {
        number: usize,
        /// Byte offset where the question begins (after the front matter).
        question_start: usize,
        /// The `# Answer` heading, when present.
        answer_heading: Option<Range<usize>>,
    },
}

impl SourceFile {
    pub fn position(&self, offset: usize) -> Position {
        LineIndex::new(&self.text).position(&self.text, offset)
    }
}

pub struct Loaded {
    pub book: Book,
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

pub const BOOK_FILE: &str = "book.yaml";
pub const TAGS_FILE: &str = "tags.yaml";

/// Loads the book in `root`. `Err` holds the diagnostics when `book.yaml`
/// itself cannot be read, since nothing else can be found without it.
pub fn load_book(root: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let book_path = root.join(BOOK_FILE);
    let book_text = read_source(&book_path).map_err(|d| vec![d])?;
    let config: BookConfig = parse_yaml(&book_path, &book_text, 0).map_err(|d| vec![d])?;

    let mut diagnostics = Vec::new();
    let tags = load_tags(root, &mut diagnostics);
    let meta = metadata(root, &book_path, &book_text, &config, &mut diagnostics);

    let mut files = Vec::new();
    let front = load_chapters(root, &config.front, &mut files, &mut diagnostics);
    let back = load_chapters(root, &config.back, &mut files, &mut diagnostics);

    let mut categories = Vec::new();
    let mut next_number = 1;
    for (index, category_config) in config.categories.iter().enumerate() {
        let position = locate(&book_text, &category_config.id);
        if !is_kebab_case(&category_config.id) {
            diagnostics.push(
                Diagnostic::error(
                    &book_path,
                    position,
                    format!("category id `{}` is not kebab-case", category_config.id),
                )
                .with_hint("use lower-case words joined by hyphens, e.g. `data-quality`"),
            );
        }
        let intro = category_intro(
            root,
            &category_config.intro,
            &book_path,
            &book_text,
            &mut diagnostics,
        );
        let dir = root.join(&category_config.dir);
        let mut scenarios = Vec::new();
        match scenario_files(&dir) {
            Ok(paths) => {
                for path in paths {
                    match scenario::load_scenario(&path, next_number) {
                        Ok((scenario, source, mut problems)) => {
                            diagnostics.append(&mut problems);
                            scenarios.push(scenario);
                            files.push(source);
                            next_number += 1;
                        }
                        Err(mut problems) => diagnostics.append(&mut problems),
                    }
                }
            }
            Err(message) => diagnostics.push(
                Diagnostic::error(
                    &book_path,
                    locate(&book_text, &category_config.dir),
                    message,
                )
                .with_hint("create the folder, or fix `dir` in book.yaml"),
            ),
        }
        categories.push(Category {
            id: category_config.id.clone(),
            number: index + 1,
            title: category_config.title.clone(),
            intro,
            promised: category_config.count,
            scenarios,
        });
    }

    let mut book = Book {
        meta,
        root: root.to_path_buf(),
        front,
        categories,
        back,
        tags,
    };
    expand_directives(&mut book);
    resolve_links(&mut book, &files, &mut diagnostics);
    Ok(Loaded {
        book,
        files,
        diagnostics,
    })
}

fn read_source(path: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(path, Position::START, format!("cannot read file: {e}"))
            .with_hint("check the path in book.yaml and that the file is UTF-8 text")
    })
}

/// Parses YAML into `T`; a syntax error, unknown key or missing key becomes a
/// diagnostic at the YAML's own line (shifted by `line_offset` when the YAML is
/// a scenario's front matter).
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| {
        let position = e.location().map_or(Position::new(1 + line_offset, 1), |l| {
            Position::new(l.line() + line_offset, l.column())
        });
        let message = e.to_string();
        // serde_yaml appends " at line X column Y"; we print our own position.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        let hint = if message.contains("unknown field") {
            "remove the key or fix its spelling; the README lists every key"
        } else if message.contains("missing field") {
            "add the key; the README lists every required key"
        } else {
            "check the YAML syntax: indentation, colons and quotes"
        };
        Diagnostic::error(path, position, message).with_hint(hint)
    })
}

/// The 1-based position of the first occurrence of `needle` in a YAML text,
/// for problems serde cannot place (bad values, missing files).
pub fn locate(text: &str, needle: &str) -> Position {
    text.find(needle).map_or(Position::START, |offset| {
        LineIndex::new(text).position(text, offset)
    })
}

fn load_tags(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Tag> {
    let path = root.join(TAGS_FILE);
    let text = match read_source(&path) {
        Ok(text) => text,
        Err(d) => {
            diagnostics.push(d);
            return Vec::new();
        }
    };
    match parse_yaml::<TagsConfig>(&path, &text, 0) {
        Ok(map) => {
            let mut tags = Vec::new();
            for (id, name) in map {
                if !is_kebab_case(&id) {
                    diagnostics.push(Diagnostic::error(
                        &path,
                        locate(&text, &id),
                        format!("tag id `{id}` is not kebab-case"),
                    ));
                }
                tags.push(Tag { id, name });
            }
            tags
        }
        Err(d) => {
            diagnostics.push(d);
            Vec::new()
        }
    }
}

fn metadata(
    root: &Path,
    path: &Path,
    text: &str,
    config: &BookConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Metadata {
    let uuid = config.identifier.strip_prefix("urn:uuid:").unwrap_or("");
    if !is_uuid(uuid) {
        diagnostics.push(
            Diagnostic::error(path, locate(text, "identifier:"), "`identifier` must be a `urn:uuid:` followed by a UUID")
                .with_hint("generate one once (e.g. `python3 -c 'import uuid; print(uuid.uuid4())'`) and never change it"),
        );
    }
    if !is_iso_date(&config.date) {
        diagnostics.push(Diagnostic::error(
            path,
            locate(text, "date:"),
            format!("`date` must be YYYY-MM-DD, found `{}`", config.date),
        ));
    }
    if !is_language_tag(&config.language) {
        diagnostics.push(
            Diagnostic::error(
                path,
                locate(text, "language:"),
                format!("`language` `{}` is not a BCP 47 tag", config.language),
            )
            .with_hint("use e.g. `en`, `en-GB` or `de`"),
        );
    }
    if let Some(paper) = &config.paper
        && crate::print::PaperSize::parse(paper).is_none()
    {
        diagnostics.push(
            Diagnostic::error(
                path,
                locate(text, "paper:"),
                format!("unknown paper size `{paper}`"),
            )
            .with_hint("use `a4`, `letter` or `6x9`"),
        );
    }
    Metadata {
        title: config.title.clone(),
        subtitle: config.subtitle.clone(),
        authors: config.authors.clone(),
        language: config.language.clone(),
        identifier: config.identifier.clone(),
        description: config.description.clone(),
        publisher: config.publisher.clone(),
        date: config.date.clone(),
        rights: config.rights.clone(),
        cover: root.join(&config.cover),
        paper: config.paper.clone(),
    }
}

fn load_chapters(
    root: &Path,
    list: &[String],
    files: &mut Vec<SourceFile>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Chapter> {
    let mut chapters = Vec::new();
    for relative in list {
        let path = root.join(relative);
        let text = match read_source(&path) {
            Ok(text) => text,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let parsed = markdown::parse(&text, 0);
        let mut blocks = parsed.blocks;
        // The chapter's title is its first heading, which must be `#`.
        let title = match blocks.first() {
            Some(Block::Heading {
                level: 1, content, ..
            }) => {
                let title = document::plain_text(content);
                blocks.remove(0);
                title
            }
            _ => {
                diagnostics.push(
                    Diagnostic::error(
                        &path,
                        Position::START,
                        "a chapter must begin with a `# Title` heading",
                    )
                    .with_hint("add a level-1 heading as the file's first line"),
                );
                String::new()
            }
        };
        let id = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        chapters.push(Chapter {
            id,
            title,
            blocks,
            source: path.clone(),
        });
        files.push(SourceFile {
            path,
            text,
            kind: SourceKind::Chapter,
            facts: parsed.facts,
        });
    }
    chapters
}

fn category_intro(
    root: &Path,
    intro: &str,
    book_path: &Path,
    book_text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Block> {
    if intro.trim_end().ends_with(".md") && !intro.contains('\n') {
        match std::fs::read_to_string(root.join(intro.trim())) {
            Ok(text) => markdown::parse(&text, 0).blocks,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    book_path,
                    locate(book_text, intro.trim()),
                    format!("cannot read intro file `{}`: {e}", intro.trim()),
                ));
                Vec::new()
            }
        }
    } else {
        markdown::parse(intro, 0).blocks
    }
}

/// The scenario files of a category folder: `*.md`, ordered by file name.
fn scenario_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read scenario folder `{}`: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Replaces the front matter's directives with figures computed from the
/// sources, so no count is ever typed by hand:
/// a paragraph `{{category-table}}` becomes the table of categories and
/// counts; `{{scenario-count}}` and `{{category-count}}` in text become numbers.
fn expand_directives(book: &mut Book) {
    let total = book.scenario_count().to_string();
    let category_count = book.categories.len().to_string();
    let table = category_table(book);
    let expand_text = |inline: &mut Inline| {
        if let Inline::Text(text) = inline
            && text.contains("{{")
        {
            *text = text
                .replace("{{scenario-count}}", &total)
                .replace("{{category-count}}", &category_count);
        }
    };
    for chapter in book.front.iter_mut().chain(book.back.iter_mut()) {
        for block in chapter.blocks.iter_mut() {
            if let Block::Paragraph(content) = block
                && document::plain_text(content).trim() == "{{category-table}}"
            {
                *block = Block::Table(table.clone());
            }
        }
        document::for_each_inline_mut(&mut chapter.blocks, &mut { expand_text });
    }
}

fn category_table(book: &Book) -> Table {
    let text = |s: String| vec![Inline::Text(s)];
    let mut rows: Vec<Vec<Vec<Inline>>> = book
        .categories
        .iter()
        .map(|c| {
            vec![
                text(c.number.to_string()),
                text(c.title.clone()),
                text(c.scenarios.len().to_string()),
            ]
        })
        .collect();
    rows.push(vec![
        text(String::new()),
        vec![Inline::Strong(text("Total".into()))],
        vec![Inline::Strong(text(book.scenario_count().to_string()))],
    ]);
    Table {
        alignments: vec![Alignment::Right, Alignment::Left, Alignment::Right],
        header: vec![
            text("#".into()),
            text("Category".into()),
            text("Scenarios".into()),
        ],
        rows,
    }
}

/// Turns link URLs into `LinkTarget`s; a target that does not exist is an error.
fn resolve_links(book: &mut Book, files: &[SourceFile], diagnostics: &mut Vec<Diagnostic>) {
    let numbers: HashMap<String, usize> = book
        .scenarios()
        .map(|(_, s)| (s.id.clone(), s.number))
        .collect();
    let chapters: Vec<String> = book
        .front
        .iter()
        .chain(book.back.iter())
        .map(|c| c.id.clone())
        .collect();
    let resolve = |url: &str| -> Option<LinkTarget> {
        if url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:") {
            return Some(LinkTarget::External(url.to_string()));
        }
        if let Some(id) = url.strip_prefix("scenario:") {
            return numbers.get(id).map(|n| LinkTarget::Question(*n));
        }
        if let Some(id) = url.strip_prefix("answer:") {
            return numbers.get(id).map(|n| LinkTarget::Answer(*n));
        }
        let stem = Path::new(url).file_stem()?.to_string_lossy().into_owned();
        (url.ends_with(".md") && chapters.contains(&stem)).then_some(LinkTarget::Chapter(stem))
    };
    for file in files {
        for (url, range) in &file.facts.links {
            if resolve(url).is_none() {
                diagnostics.push(
                    Diagnostic::error(&file.path, file.position(range.start), format!("link target `{url}` does not exist"))
                        .with_hint("link to `scenario:<id>`, `answer:<id>`, a front or back chapter's `.md` file, or an `https://` address"),
                );
            }
        }
    }
    let mut apply = |inline: &mut Inline| {
        if let Inline::Link { target, .. } = inline
            && let LinkTarget::Unresolved(url) = target
            && let Some(resolved) = resolve(url)
        {
            *target = resolved;
        }
    };
    for chapter in book.front.iter_mut().chain(book.back.iter_mut()) {
        document::for_each_inline_mut(&mut chapter.blocks, &mut apply);
    }
    for category in book.categories.iter_mut() {
        document::for_each_inline_mut(&mut category.intro, &mut apply);
        for scenario in category.scenarios.iter_mut() {
            document::for_each_inline_mut(&mut scenario.question, &mut apply);
            document::for_each_inline_mut(&mut scenario.answer, &mut apply);
        }
    }
}

pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    parts.iter().map(|p| p.len()).eq([4, 2, 2])
        && numbers.len() == 3
        && (1..=12).contains(&numbers[1])
        && (1..=31).contains(&numbers[2])
}

fn is_language_tag(text: &str) -> bool {
    let mut parts = text.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_identifiers_dates_and_languages() {
        assert!(is_uuid("753dcf85-d633-46a2-9b08-e9a27baf2ef5"));
        assert!(!is_uuid("753dcf85-d633-46a2-9b08"));
        assert!(is_iso_date("2026-11-26"));
        assert!(!is_iso_date("2026-13-01"));
        assert!(!is_iso_date("26-11-2026"));
        assert!(is_language_tag("en"));
        assert!(is_language_tag("en-GB"));
        assert!(!is_language_tag("English"));
        assert!(is_kebab_case("data-quality"));
        assert!(!is_kebab_case("Data_Quality"));
    }
}
