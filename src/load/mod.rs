//! Loading: reads `book/` (book.yaml, tags.yaml, front matter, scenarios) into
//! the `Book` model, and keeps each source's text and parser facts so checks
//! can point at a line and column. Problems become diagnostics, never panics.

pub mod config;
pub mod paths;
mod scenario;
mod text;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, LineIndex, Position};
use crate::document::{self, Alignment, Block, Inline, LinkTarget, Table};
use crate::markdown::{self, SourceFacts};
use crate::model::{Book, Category, Chapter, Metadata, PaperStock, Tag};
use config::{BookConfig, TagsConfig};
use paths::{Allowance, BookRoot};

pub use scenario::parse_scenario;
pub use text::{control_character_error, is_forbidden_control};

/// Where `key: value` stands in a YAML text (see `text::locate_value`).
pub fn locate_value(text: &str, key: &str, value: &str) -> Position {
    text::locate_value(text, key, value, 0)
}

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
    /// `book.yaml` or `tags.yaml`: kept so checks can scan their characters.
    Yaml,
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
    let book_text = read_source(&book_path)
        .map_err(|d| vec![d.with_hint("pass the folder that holds book.yaml with `--book DIR`")])?;
    let contained = BookRoot::new(root).map_err(|e| {
        vec![Diagnostic::error(
            root,
            Position::START,
            format!("cannot open the book folder: {e}"),
        )]
    })?;
    let config: BookConfig = parse_yaml(&book_path, &book_text, 0).map_err(|d| vec![d])?;

    let mut loader = Loader {
        root: root.to_path_buf(),
        contained,
        book_path: book_path.clone(),
        book_text: book_text.clone(),
        diagnostics: Vec::new(),
        files: Vec::new(),
        images: ImageNames::default(),
    };
    let tags = loader.load_tags();
    let meta = loader.metadata(&config);
    let front = loader.load_chapters(&config.front);
    let back = loader.load_chapters(&config.back);
    loader.check_chapter_ids(front.iter().chain(back.iter()));

    let mut categories = Vec::new();
    let mut next_number = 1;
    let mut category_ids: HashMap<&str, usize> = HashMap::new();
    for (index, category_config) in config.categories.iter().enumerate() {
        let position = loader.locate_value("id", &category_config.id);
        if !is_kebab_case(&category_config.id) {
            loader.diagnostics.push(
                Diagnostic::error(
                    &book_path,
                    position,
                    format!("category id `{}` is not kebab-case", category_config.id),
                )
                .with_hint("use lower-case words joined by hyphens, e.g. `data-quality`"),
            );
        }
        if let Some(first) = category_ids.insert(&category_config.id, index + 1) {
            loader.diagnostics.push(
                Diagnostic::error(
                    &book_path,
                    loader.locate_nth_value("id", &category_config.id, 1),
                    format!("duplicate category id `{}`", category_config.id),
                )
                .with_hint(format!(
                    "category {first} already uses it; ids must be unique"
                )),
            );
        }
        let intro = loader.category_intro(&category_config.intro);
        let mut scenarios = Vec::new();
        for path in loader.scenario_files(&category_config.dir) {
            match scenario::load_scenario(&path.display, &path.canonical, next_number) {
                Ok((mut scenario, mut source, mut problems)) => {
                    loader.diagnostics.append(&mut problems);
                    // Once per file: the facts cover both halves.
                    loader.resolve_images(
                        &mut source,
                        &mut [&mut scenario.question, &mut scenario.answer],
                    );
                    scenarios.push(scenario);
                    loader.files.push(source);
                    next_number += 1;
                }
                Err(mut problems) => loader.diagnostics.append(&mut problems),
            }
        }
        categories.push(Category {
            id: category_config.id.clone(),
            number: index + 1,
            title: crate::markdown::smart_punctuation(&category_config.title),
            intro,
            promised: category_config.count,
            scenarios,
        });
    }

    let Loader {
        mut files,
        mut diagnostics,
        ..
    } = loader;
    let labels = crate::labels::Labels::for_language(&config.language)
        .with_overrides(&config.labels)
        .unwrap_or_else(|key| {
            diagnostics.push(
                Diagnostic::error(&book_path, locate(&book_text, &format!("{key}:")), format!("unknown label `{key}`"))
                    .with_hint("the labels are: scenario, answer, answers, questions, answer_on_page, question_on_page, answer_to_scenario, question_of_scenario, back_to, next, category, scenarios, contents, index, index_note, your_approach, cover, title_page, copyright, total, junior, mid, senior, staff, think, part, print_index, cover_alt, published_by, edition, identifier, fiction_notice, colophon, answers_head, isbn, months"),
            );
            crate::labels::Labels::for_language(&config.language)
        });
    let mut book = Book {
        meta,
        root: root.to_path_buf(),
        front,
        categories,
        back,
        tags,
        labels,
    };
    expand_directives(&mut book);
    resolve_links(&mut book, &files, &mut diagnostics);
    files.push(SourceFile {
        path: book_path,
        text: book_text,
        kind: SourceKind::Yaml,
        facts: SourceFacts::default(),
    });
    Ok(Loaded {
        book,
        files,
        diagnostics,
    })
}

/// A scenario or chapter file: the path diagnostics show (as the author
/// wrote it, under `--book`) and the canonical path that is read.
struct FoundFile {
    display: PathBuf,
    canonical: PathBuf,
}

/// The archive names of the book's figures: one per file on disk, safe for
/// any archive and URL, and unique across the book.
#[derive(Default)]
struct ImageNames {
    by_path: HashMap<PathBuf, String>,
    used: std::collections::HashSet<String>,
}

impl ImageNames {
    fn name_for(&mut self, canonical: &Path, relative: &str) -> String {
        if let Some(name) = self.by_path.get(canonical) {
            return name.clone();
        }
        let written = Path::new(relative);
        let extension = written
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let stem = match document::slugify(&written.with_extension("").to_string_lossy()) {
            s if s.is_empty() => "image".to_string(),
            s => s.chars().take(60).collect(),
        };
        let mut name = format!("{stem}.{extension}");
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{stem}-{n}.{extension}");
            n += 1;
        }
        self.used.insert(name.clone());
        self.by_path.insert(canonical.to_path_buf(), name.clone());
        name
    }
}

/// The state of one load: the book folder, `book.yaml` for locating
/// problems, and what has been found so far.
struct Loader {
    root: PathBuf,
    contained: BookRoot,
    book_path: PathBuf,
    book_text: String,
    diagnostics: Vec<Diagnostic>,
    files: Vec<SourceFile>,
    images: ImageNames,
}

impl Loader {
    /// Where `key: value` stands in book.yaml (the value, or the key when the
    /// value is written differently, e.g. folded).
    fn locate_value(&self, key: &str, value: &str) -> Position {
        self.locate_nth_value(key, value, 0)
    }

    fn locate_nth_value(&self, key: &str, value: &str, nth: usize) -> Position {
        text::locate_value(&self.book_text, key, value, nth)
    }

    /// Resolves a path written under `key` in book.yaml; a problem becomes a
    /// diagnostic at that key's value.
    fn resolve_config_path(
        &mut self,
        key: &str,
        relative: &str,
        allowance: Allowance,
    ) -> Option<PathBuf> {
        match self.contained.resolve(relative, allowance) {
            Ok(path) => Some(path),
            Err(message) => {
                let at = self.locate_value(key, relative);
                self.diagnostics.push(
                    Diagnostic::error(&self.book_path, at, message).with_hint(
                        "every file of the book must be inside the book folder; copy it there and use a path relative to it",
                    ),
                );
                None
            }
        }
    }

    fn load_tags(&mut self) -> Vec<Tag> {
        let path = self.root.join(TAGS_FILE);
        let text = match read_source(&path) {
            Ok(text) => text,
            Err(d) => {
                self.diagnostics.push(d);
                return Vec::new();
            }
        };
        self.diagnostics.extend(text::duplicate_keys(&path, &text));
        let mut tags = Vec::new();
        match parse_yaml::<TagsConfig>(&path, &text, 0) {
            Ok(map) => {
                for (id, name) in map {
                    if !is_kebab_case(&id) {
                        self.diagnostics.push(Diagnostic::error(
                            &path,
                            locate(&text, &id),
                            format!("tag id `{id}` is not kebab-case"),
                        ));
                    }
                    tags.push(Tag { id, name });
                }
            }
            Err(d) => self.diagnostics.push(d),
        }
        self.files.push(SourceFile {
            path,
            text,
            kind: SourceKind::Yaml,
            facts: SourceFacts::default(),
        });
        tags
    }

    fn metadata(&mut self, config: &BookConfig) -> Metadata {
        let path = self.book_path.clone();
        let text = &self.book_text;
        let diagnostics = &mut self.diagnostics;
        let uuid = config.identifier.strip_prefix("urn:uuid:").unwrap_or("");
        if !is_uuid(uuid) {
            diagnostics.push(
                Diagnostic::error(&path, locate(text, "identifier:"), "`identifier` must be a `urn:uuid:` followed by a UUID")
                    .with_hint("generate one once (e.g. `python3 -c 'import uuid; print(uuid.uuid4())'`) and never change it"),
            );
        }
        if !is_iso_date(&config.date) {
            diagnostics.push(
                Diagnostic::error(
                    &path,
                    locate(text, "date:"),
                    format!(
                        "`date` must be a real calendar date written YYYY-MM-DD, found `{}`",
                        config.date
                    ),
                )
                .with_hint("e.g. `2026-11-26`; it dates both editions"),
            );
        }
        if !is_language_tag(&config.language) {
            diagnostics.push(
                Diagnostic::error(
                    &path,
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
                    &path,
                    locate(text, "paper:"),
                    format!("unknown paper size `{paper}`"),
                )
                .with_hint("use `a4`, `letter` or `6x9`"),
            );
        }
        if let Some(isbn) = &config.isbn
            && let Err(problem) = crate::model::isbn13_digits(isbn)
        {
            diagnostics.push(
                Diagnostic::error(&path, locate(text, "isbn:"), format!("`isbn` {problem}"))
                    .with_hint("write the ISBN-13 your agency issued, e.g. `978-0-306-40615-7`"),
            );
        }
        let paper_stock = match config.paper_stock.as_deref().map(PaperStock::parse) {
            None => PaperStock::default(),
            Some(Some(stock)) => stock,
            Some(None) => {
                diagnostics.push(
                    Diagnostic::error(
                        &path,
                        locate(text, "paper_stock:"),
                        format!(
                            "unknown paper stock `{}`",
                            config.paper_stock.as_deref().unwrap_or_default()
                        ),
                    )
                    .with_hint("use `white` or `cream`; it sets the cover's spine width"),
                );
                PaperStock::default()
            }
        };
        // A missing cover is `check`'s to report (with the hint to render one);
        // a cover that exists must be inside the book or in `covers/` beside it.
        let cover = self.root.join(&config.cover);
        let cover_file =
            if Path::new(&config.cover).is_absolute() || cover.exists() || cover.is_symlink() {
                self.resolve_config_path("cover", &config.cover, Allowance::Cover)
            } else {
                None
            };
        Metadata {
            title: crate::markdown::smart_punctuation(&config.title),
            subtitle: config
                .subtitle
                .as_deref()
                .map(crate::markdown::smart_punctuation),
            authors: config.authors.clone(),
            language: config.language.clone(),
            identifier: config.identifier.clone(),
            description: config.description.clone(),
            publisher: config.publisher.clone(),
            date: config.date.clone(),
            rights: config.rights.clone(),
            cover,
            cover_file,
            paper: config.paper.clone(),
            isbn: config.isbn.clone(),
            edition: config.edition.clone(),
            printing: config.printing.clone(),
            paper_stock,
            back_cover: config.back_cover.clone(),
        }
    }

    fn load_chapters(&mut self, list: &[String]) -> Vec<Chapter> {
        let mut chapters = Vec::new();
        for relative in list {
            let Some(canonical) = self.resolve_config_path("front", relative, Allowance::BookOnly)
            else {
                continue;
            };
            let path = self.root.join(relative);
            let text = match read_source_at(&path, &canonical) {
                Ok(text) => text,
                Err(d) => {
                    self.diagnostics.push(d);
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
                    self.diagnostics.push(
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
            let stem = path
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let mut source = SourceFile {
                path: path.clone(),
                text,
                kind: SourceKind::Chapter,
                facts: parsed.facts,
            };
            self.resolve_images(&mut source, &mut [&mut blocks]);
            chapters.push(Chapter {
                id: chapter_id(&stem),
                title,
                blocks,
                source: path,
            });
            self.files.push(source);
        }
        chapters
    }

    /// Chapter ids name files in the EPUB and targets in the PDF: two
    /// chapters whose file names reduce to the same id would overwrite each
    /// other.
    fn check_chapter_ids<'a>(&mut self, chapters: impl Iterator<Item = &'a Chapter>) {
        let mut seen: HashMap<&str, &Path> = HashMap::new();
        for chapter in chapters {
            if let Some(first) = seen.insert(&chapter.id, &chapter.source) {
                let written = chapter
                    .source
                    .strip_prefix(&self.root)
                    .unwrap_or(&chapter.source);
                let at = locate(&self.book_text, &written.to_string_lossy());
                self.diagnostics.push(
                    Diagnostic::error(
                        &self.book_path,
                        at,
                        format!(
                            "chapters `{}` and `{}` have the same name",
                            first.display(),
                            chapter.source.display()
                        ),
                    )
                    .with_hint(
                        "chapter file names must differ in their letters and digits; rename one",
                    ),
                );
            }
        }
    }

    fn category_intro(&mut self, intro: &str) -> Vec<Block> {
        let relative = intro.trim();
        if !relative.ends_with(".md") || relative.contains('\n') {
            return markdown::parse(intro, 0).blocks;
        }
        let Some(canonical) = self.resolve_config_path("intro", relative, Allowance::BookOnly)
        else {
            return Vec::new();
        };
        let path = self.root.join(relative);
        match read_source_at(&path, &canonical) {
            Ok(text) => {
                let parsed = markdown::parse(&text, 0);
                let mut blocks = parsed.blocks;
                let mut source = SourceFile {
                    path,
                    text,
                    kind: SourceKind::Chapter,
                    facts: parsed.facts,
                };
                self.resolve_images(&mut source, &mut [&mut blocks]);
                self.files.push(source);
                blocks
            }
            Err(d) => {
                self.diagnostics.push(d);
                Vec::new()
            }
        }
    }

    /// The scenario files of a category folder: `*.md`, ordered by file name,
    /// each inside the book (a link out of it is an error at the file).
    fn scenario_files(&mut self, dir: &str) -> Vec<FoundFile> {
        let Some(canonical_dir) = self.resolve_config_path("dir", dir, Allowance::BookOnly) else {
            return Vec::new();
        };
        let entries = match std::fs::read_dir(&canonical_dir) {
            Ok(entries) => entries,
            Err(e) => {
                let at = self.locate_value("dir", dir);
                self.diagnostics.push(
                    Diagnostic::error(
                        &self.book_path,
                        at,
                        format!("cannot read scenario folder `{dir}`: {e}"),
                    )
                    .with_hint("create the folder, or fix `dir` in book.yaml"),
                );
                return Vec::new();
            }
        };
        let display_dir = self.root.join(dir);
        let mut names: Vec<std::ffi::OsString> = entries
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .filter(|n| Path::new(n).extension().is_some_and(|x| x == "md"))
            .collect();
        names.sort();
        let mut found = Vec::new();
        for name in names {
            let display = display_dir.join(&name);
            let relative = Path::new(dir).join(&name).to_string_lossy().into_owned();
            match self.contained.resolve(&relative, Allowance::BookOnly) {
                Ok(canonical) if canonical.is_file() => found.push(FoundFile { display, canonical }),
                Ok(_) => {}
                Err(message) => self.diagnostics.push(
                    Diagnostic::error(&display, Position::START, message)
                        .with_hint("scenario files must be inside the book folder; replace the link with the file"),
                ),
            }
        }
        found
    }

    /// Resolves every figure of a Markdown source against the book folder:
    /// the model then holds each image's canonical path and its archive
    /// name, so every edition reads the same file, whatever the working
    /// directory. A figure outside the book is an error at the image.
    fn resolve_images(&mut self, source: &mut SourceFile, parts: &mut [&mut [Block]]) {
        let mut resolved: HashMap<String, (PathBuf, String)> = HashMap::new();
        let index = LineIndex::new(&source.text);
        for image in &mut source.facts.images {
            if let Some((canonical, _)) = resolved.get(&image.src) {
                image.resolved = Some(canonical.clone());
                continue;
            }
            match self.contained.resolve(&image.src, Allowance::BookOnly) {
                Ok(canonical) => {
                    let name = self.images.name_for(&canonical, &image.src);
                    image.resolved = Some(canonical.clone());
                    resolved.insert(image.src.clone(), (canonical, name));
                }
                Err(message) => self.diagnostics.push(
                    Diagnostic::error(&source.path, index.position(&source.text, image.range.start), format!("image: {message}"))
                        .with_hint("figures must be files inside the book folder; paths are relative to it (e.g. `images/plan.png`)"),
                ),
            }
        }
        for blocks in parts.iter_mut() {
            document::for_each_block_mut(blocks, &mut |block| {
                if let Block::Image {
                    src, path, name, ..
                } = block
                    && let Some((canonical, archive_name)) = resolved.get(src.as_str())
                {
                    *path = canonical.clone();
                    *name = archive_name.clone();
                }
            });
        }
    }
}

/// A chapter's id from its file name: safe in file names, URLs and XML ids.
fn chapter_id(stem: &str) -> String {
    match document::slugify(stem) {
        s if s.is_empty() => "chapter".to_string(),
        s => s,
    }
}

fn read_source(path: &Path) -> Result<String, Diagnostic> {
    read_source_at(path, path)
}

/// Reads the file at `canonical` as UTF-8 text (a byte-order mark is
/// dropped); problems are reported at `display`, with the line and column of
/// the first byte that is not UTF-8.
fn read_source_at(display: &Path, canonical: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(canonical).map_err(|e| {
        Diagnostic::error(display, Position::START, format!("cannot read file: {e}"))
            .with_hint("check the path in book.yaml")
    })?;
    text::decode_source(display, bytes)
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
        let message = e.to_string();
        // serde reports a repeated key at the start of its mapping, or nowhere.
        let repeated = message
            .strip_prefix("duplicate field `")
            .and_then(|rest| rest.split('`').next())
            .and_then(|key| text::repeated_key(text, key));
        let position = match (repeated, e.location()) {
            (Some(p), _) => Position::new(p.line + line_offset, p.column),
            (None, Some(l)) => Position::new(l.line() + line_offset, l.column()),
            (None, None) => Position::new(1 + line_offset, 1),
        };
        // serde_yaml appends " at line X column Y"; we print our own position.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        let hint = if message.contains("duplicate field") {
            "the key is written twice; keep one"
        } else if message.contains("unknown field") {
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
        vec![Inline::Strong(text(book.labels.total.clone()))],
        vec![Inline::Strong(text(book.scenario_count().to_string()))],
    ]);
    Table {
        alignments: vec![Alignment::Right, Alignment::Left, Alignment::Right],
        header: vec![
            text("#".into()),
            text(book.labels.category.clone()),
            text(book.labels.scenarios.clone()),
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

/// `YYYY-MM-DD` naming a day that exists (no 31 February).
fn is_iso_date(text: &str) -> bool {
    let shape = text.split('-').map(str::len).eq([4, 2, 2]);
    shape
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

pub fn is_language_tag(text: &str) -> bool {
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
        assert!(!is_iso_date("2026-02-31"));
        assert!(is_iso_date("2028-02-29"));
        assert!(!is_iso_date("2027-02-29"));
        assert!(!is_iso_date("26-11-2026"));
        assert!(is_language_tag("en"));
        assert!(is_language_tag("en-GB"));
        assert!(!is_language_tag("English"));
        assert!(is_kebab_case("data-quality"));
        assert!(!is_kebab_case("Data_Quality"));
    }
}
