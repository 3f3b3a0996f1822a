//! `casebook build`: load → check → render each edition → write atomically.
//! A render error, or any error in the sources, writes nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::document::slugify;
use crate::model::Book;
use crate::print::{PaperSize, PrintOptions};

/// An output format. Each edition renders the same `Book` into bytes.
pub trait Renderer {
    /// File extension of the edition, also its name on the command line.
    fn extension(&self) -> &'static str;
    fn render(&self, book: &Book) -> Result<Vec<u8>, String>;
}

pub struct EpubRenderer {
    pub timestamp: i64,
}

impl Renderer for EpubRenderer {
    fn extension(&self) -> &'static str {
        "epub"
    }
    fn render(&self, book: &Book) -> Result<Vec<u8>, String> {
        crate::epub::render_epub(book, self.timestamp)
    }
}

pub struct PdfRenderer {
    pub options: PrintOptions,
}

impl Renderer for PdfRenderer {
    fn extension(&self) -> &'static str {
        "pdf"
    }
    fn render(&self, book: &Book) -> Result<Vec<u8>, String> {
        crate::print::render_pdf(book, &self.options)
    }
}

pub struct BuildOptions {
    pub book_dir: PathBuf,
    pub out_dir: PathBuf,
    pub epub: bool,
    pub pdf: bool,
    /// Overrides `book.yaml`'s `paper`.
    pub paper: Option<PaperSize>,
    pub workbook: bool,
}

pub struct Written {
    pub path: PathBuf,
    pub bytes: usize,
    pub elapsed: Duration,
}

/// An edition rendered in memory, not yet written.
struct Rendered {
    path: PathBuf,
    bytes: Vec<u8>,
    elapsed: Duration,
}

pub enum BuildError {
    /// The sources have errors; nothing was written.
    Sources(Vec<Diagnostic>),
    /// An edition could not be rendered or written.
    Output(String),
}

pub struct BuildReport {
    pub written: Vec<Written>,
    /// Warnings found in the sources (the build went ahead).
    pub warnings: Vec<Diagnostic>,
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let loaded = crate::load::load_book(&options.book_dir).map_err(BuildError::Sources)?;
    let book = &loaded.book;
    let timestamp = build_timestamp(book);
    let paper = options
        .paper
        .or_else(|| book.meta.paper.as_deref().and_then(PaperSize::parse))
        .unwrap_or(PaperSize::A4);

    let mut renderers: Vec<Box<dyn Renderer + Send + Sync>> = Vec::new();
    if options.epub {
        renderers.push(Box::new(EpubRenderer { timestamp }));
    }
    if options.pdf {
        renderers.push(Box::new(PdfRenderer {
            options: PrintOptions {
                paper,
                workbook: options.workbook,
            },
        }));
    }

    // Check the sources while each edition renders on its own thread; write
    // nothing until the checks are clean and every edition has rendered, so a
    // failure never leaves one file fresh beside a stale other.
    let stem = &output_stem(book);
    let (diagnostics, results) = std::thread::scope(|scope| {
        let check = scope.spawn(|| crate::check::check_book(&loaded));
        let handles: Vec<_> = renderers
            .iter()
            .map(|renderer| {
                scope.spawn(move || {
                    let started = Instant::now();
                    let bytes = renderer.render(book).map_err(|e| {
                        BuildError::Output(format!("{} edition: {e}", renderer.extension()))
                    })?;
                    let path = options
                        .out_dir
                        .join(format!("{stem}.{}", renderer.extension()));
                    Ok(Rendered {
                        path,
                        bytes,
                        elapsed: started.elapsed(),
                    })
                })
            })
            .collect();
        let results: Vec<Result<Rendered, BuildError>> = handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(BuildError::Output("an edition's renderer crashed".into()))
                })
            })
            .collect();
        let diagnostics = check
            .join()
            .map_err(|_| BuildError::Output("internal error while checking the sources".into()));
        (diagnostics, results)
    });
    // Source errors come first: they are what the author must fix.
    let diagnostics = diagnostics?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildError::Sources(diagnostics));
    }
    let rendered = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    std::fs::create_dir_all(&options.out_dir).map_err(|e| {
        BuildError::Output(format!("cannot create {}: {e}", options.out_dir.display()))
    })?;
    let mut written = Vec::new();
    for edition in rendered {
        write_atomically(&edition.path, &edition.bytes).map_err(BuildError::Output)?;
        written.push(Written {
            path: edition.path,
            bytes: edition.bytes.len(),
            elapsed: edition.elapsed,
        });
    }
    Ok(BuildReport {
        written,
        warnings: diagnostics,
    })
}

/// The output file name without extension: the slug of title and subtitle.
pub fn output_stem(book: &Book) -> String {
    slugify(&crate::epub::pages::full_title(book))
}

/// Seconds since the epoch that date the editions: `SOURCE_DATE_EPOCH` when
/// set (the reproducible-builds convention), else midnight UTC of `book.yaml`'s
/// `date`. Never the clock, so two builds are byte-identical.
pub fn build_timestamp(book: &Book) -> i64 {
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return epoch;
    }
    chrono::NaiveDate::parse_from_str(&book.meta.date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    Ok(())
}
