//! `casebook build`: load → check → render each edition → write atomically.
//! A render error, or any error in the sources, writes nothing.
//!
//! The PDF side is three files from one layout: `<stem>.pdf`, the screen
//! edition (cover, links, tagged: for reading and sharing), and for a
//! print-on-demand service `<stem>-print.pdf`, the PDF/X-4 interior, and
//! `<stem>-cover.pdf`, the full-wrap cover sized for the interior's pages.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::document::slugify;
use crate::model::Book;
use crate::print::page::PageMark;
use crate::print::{PaperSize, PrintOptions};

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
    /// What rendering found that the author should know (the build goes on).
    warnings: Vec<Diagnostic>,
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

    let book_paper = book
        .meta
        .paper
        .as_deref()
        .and_then(PaperSize::parse)
        .unwrap_or(PaperSize::A4);
    let pdf_options = PrintOptions {
        paper,
        workbook: options.workbook,
        questions_only: false,
    };
    // The EPUB's page list follows the book's own print edition (its paper,
    // with workbook space). When that is the PDF being made, the EPUB takes
    // its pagination from the PDF's layout; otherwise it lays the print
    // edition out for itself (and writes no PDF).
    let source_options = PrintOptions {
        paper: book_paper,
        workbook: true,
        questions_only: false,
    };
    let shared_layout = options.pdf && pdf_options == source_options;
    let stem = &output_stem(book);
    let page_source = format!(
        "{stem}.pdf, the print edition ({}), from the same sources",
        book_paper.describe()
    );
    let path_of = |extension: &str| options.out_dir.join(format!("{stem}.{extension}"));
    let print_path = |part: &str| options.out_dir.join(format!("{stem}-{part}.pdf"));

    // Check the sources while each edition renders on its own thread; write
    // nothing until the checks are clean and every edition has rendered, so a
    // failure never leaves one file fresh beside a stale other.
    let (diagnostics, results) = std::thread::scope(|scope| {
        let check = scope.spawn(|| crate::check::check_book(&loaded));
        let (marks_tx, marks_rx) = std::sync::mpsc::channel::<Vec<PageMark>>();
        let mut handles = Vec::new();
        if options.pdf {
            let pdf_options = &pdf_options;
            handles.push(scope.spawn(move || {
                let started = Instant::now();
                let editions = crate::print::render_editions(book, pdf_options)
                    .map_err(|e| BuildError::Output(format!("pdf edition: {e}")))?;
                if shared_layout {
                    // The EPUB may be gone already (it failed): nothing to do.
                    let _ = marks_tx.send(editions.marks);
                }
                let elapsed = started.elapsed();
                let warnings = editions
                    .low_resolution
                    .iter()
                    .map(|(path, ppi)| {
                        Diagnostic::warning(
                            Path::new(path),
                            crate::diagnostic::Position::START,
                            format!(
                                "this image prints at {ppi:.0} ppi in the print interior; \
                                 print services ask for {:.0}",
                                crate::print::pdf_writer::PRINT_PPI
                            ),
                        )
                        .with_hint("use an image with more pixels, or show it smaller")
                    })
                    .chain(too_many_pages(&options.book_dir, editions.interior_pages))
                    .collect();
                let cover_started = Instant::now();
                let cover = crate::print::cover_wrap::render_cover_wrap(
                    book,
                    pdf_options.paper,
                    editions.interior_pages,
                )
                .map_err(|e| BuildError::Output(format!("print cover: {e}")))?;
                Ok(vec![
                    Rendered {
                        path: path_of("pdf"),
                        bytes: editions.screen,
                        elapsed,
                        warnings: Vec::new(),
                    },
                    Rendered {
                        path: print_path("print"),
                        bytes: editions.print_interior,
                        elapsed,
                        warnings,
                    },
                    Rendered {
                        path: print_path("cover"),
                        bytes: cover,
                        elapsed: cover_started.elapsed(),
                        warnings: Vec::new(),
                    },
                ])
            }));
        } else {
            drop(marks_tx);
        }
        if options.epub {
            let source_options = &source_options;
            let page_source = &page_source;
            handles.push(scope.spawn(move || {
                let started = Instant::now();
                let marks = if shared_layout {
                    marks_rx.recv().map_err(|_| {
                        BuildError::Output(
                            "epub edition: the print edition's pagination is missing".into(),
                        )
                    })?
                } else {
                    crate::print::page_marks(book, source_options)
                };
                let print = crate::epub::PrintPages {
                    marks: &marks,
                    source: page_source.clone(),
                };
                let bytes = crate::epub::render_epub(book, timestamp, Some(&print))
                    .map_err(|e| BuildError::Output(format!("epub edition: {e}")))?;
                Ok(vec![Rendered {
                    path: path_of("epub"),
                    bytes,
                    elapsed: started.elapsed(),
                    warnings: Vec::new(),
                }])
            }));
        }
        let mut results: Vec<Result<Vec<Rendered>, BuildError>> = handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(BuildError::Output("an edition's renderer crashed".into()))
                })
            })
            .collect();
        // The EPUB first, as before: reports list it before the PDF.
        results.reverse();
        let diagnostics = check
            .join()
            .map_err(|_| BuildError::Output("internal error while checking the sources".into()));
        (diagnostics, results)
    });
    // Source errors come first: they are what the author must fix.
    let mut diagnostics = diagnostics?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildError::Sources(diagnostics));
    }
    let rendered: Vec<Rendered> = results
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map(|files| files.into_iter().flatten().collect())
        .map_err(|e| match e {
            BuildError::Output(message) => {
                BuildError::Output(format!("{message}; nothing was written"))
            }
            other => other,
        })?;
    std::fs::create_dir_all(&options.out_dir).map_err(|e| {
        BuildError::Output(format!(
            "cannot create {}: {e}; nothing was written",
            options.out_dir.display()
        ))
    })?;
    let files: Vec<(&Path, &[u8])> = rendered
        .iter()
        .map(|e| (e.path.as_path(), e.bytes.as_slice()))
        .collect();
    write_all_or_nothing(&files).map_err(BuildError::Output)?;
    diagnostics.extend(rendered.iter().flat_map(|e| e.warnings.iter().cloned()));
    let written = rendered
        .into_iter()
        .map(|edition| Written {
            bytes: edition.bytes.len(),
            path: edition.path,
            elapsed: edition.elapsed,
        })
        .collect();
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

/// A hidden name beside `path` for one stage of a write: `.<name>.<what>-<pid>`.
fn beside(path: &Path, what: &str) -> PathBuf {
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{file_name}.{what}-{}", std::process::id()))
}

/// Writes every file or none. All contents go to temporary files first;
/// only when every one is on disk are the previous files moved aside and
/// the new ones renamed into place. If a rename fails, the files already
/// renamed are taken back and the previous ones restored, so readers see
/// the old set or the new set, never a mix. Temporaries a killed build left
/// behind are removed first.
pub fn write_all_or_nothing(files: &[(&Path, &[u8])]) -> Result<(), String> {
    for (path, _) in files {
        remove_stale_temporaries(path);
    }
    let mut temporaries = Vec::new();
    for (path, bytes) in files {
        let temporary = beside(path, "tmp");
        if let Err(e) = std::fs::write(&temporary, bytes) {
            let _ = std::fs::remove_file(&temporary);
            temporaries
                .iter()
                .for_each(|t: &PathBuf| drop(std::fs::remove_file(t)));
            return Err(format!(
                "cannot write {}: {e}; nothing was written",
                path.display()
            ));
        }
        temporaries.push(temporary);
    }
    // Move the previous files aside, then the new ones in.
    let mut backups: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut placed: Vec<&Path> = Vec::new();
    let mut failure = None;
    for ((path, _), temporary) in files.iter().zip(&temporaries) {
        if path.exists() {
            let backup = beside(path, "old");
            if let Err(e) = std::fs::rename(path, &backup) {
                failure = Some(format!("cannot replace {}: {e}", path.display()));
                break;
            }
            backups.push((path.to_path_buf(), backup));
        }
        if let Err(e) = std::fs::rename(temporary, path) {
            failure = Some(format!("cannot write {}: {e}", path.display()));
            break;
        }
        placed.push(path);
    }
    let Some(failure) = failure else {
        backups
            .iter()
            .for_each(|(_, b)| drop(std::fs::remove_file(b)));
        return Ok(());
    };
    // Undo: take back what was placed, restore what was moved aside.
    let mut unrestored = Vec::new();
    for path in placed {
        let _ = std::fs::remove_file(path);
    }
    for (path, backup) in backups {
        if std::fs::rename(&backup, &path).is_err() {
            unrestored.push(format!("{} (kept as {})", path.display(), backup.display()));
        }
    }
    temporaries
        .iter()
        .for_each(|t| drop(std::fs::remove_file(t)));
    if unrestored.is_empty() {
        Err(format!(
            "{failure}; nothing was written and the previous files are unchanged"
        ))
    } else {
        Err(format!(
            "{failure}; nothing new was written, but these previous files could not be put back: {}",
            unrestored.join(", ")
        ))
    }
}

/// Removes `.<name>.tmp-<pid>` and `.<name>.old-<pid>` files beside `path`
/// whose process is gone (a build that was killed). A running build's files
/// are left alone.
fn remove_stale_temporaries(path: &Path) {
    for stale in stale_temporaries(path) {
        let _ = std::fs::remove_file(stale);
    }
}

/// The `.<name>.tmp-<pid>` and `.<name>.old-<pid>` entries beside `path`
/// (files of a build, folders of a release) left by a process that is gone.
pub fn stale_temporaries(path: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return Vec::new();
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut stale = Vec::new();
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = entry_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest
            .strip_prefix("tmp-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !process_is_running(pid)
        {
            stale.push(entry.path());
        }
    }
    stale
}

/// Whether process `pid` still runs. Where that cannot be told (no
/// `/proc`), assume it does, so nothing a live build owns is removed.
fn process_is_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_all_or_nothing(&[(path, bytes)])
}

/// A warning when the print interior is longer than the largest paperback
/// KDP binds: the file is still right, but that service would refuse it.
fn too_many_pages(book_dir: &Path, pages: usize) -> Option<Diagnostic> {
    let most = crate::print::layout::geometry::KDP_MAX_PAGES;
    (pages > most).then(|| {
        Diagnostic::warning(
            &book_dir.join("book.yaml"),
            crate::diagnostic::Position::START,
            format!(
                "the print interior has {pages} pages; Amazon KDP binds paperbacks of at most {most}"
            ),
        )
        .with_hint(
            "use a service that binds thicker books, a larger `paper`, or `--no-workbook` \
             (the ruled answer space is most of the extra pages)",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("casebook-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_failed_rename_restores_the_previous_files() {
        let dir = scratch("restore");
        let first = dir.join("book.epub");
        std::fs::write(&first, "old epub").unwrap();
        let second = dir.join("book.pdf");
        std::fs::write(&second, "old pdf").unwrap();
        // Where the old PDF would be moved aside stands a non-empty folder,
        // so moving it fails after the new EPUB has already been placed.
        let blocker = beside(&second, "old");
        std::fs::create_dir_all(blocker.join("x")).unwrap();
        let err =
            write_all_or_nothing(&[(&first, b"new epub"), (&second, b"new pdf")]).unwrap_err();
        assert!(err.contains("previous files are unchanged"), "{err}");
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "old epub");
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "old pdf");
        std::fs::remove_dir_all(&blocker).unwrap();
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn stale_temporaries_of_dead_builds_are_removed() {
        let dir = scratch("stale");
        let target = dir.join("book.pdf");
        // PID 4194304 is above Linux's maximum, so no process has it.
        let stale = dir.join(".book.pdf.tmp-4194304");
        std::fs::write(&stale, "half").unwrap();
        write_all_or_nothing(&[(&target, b"whole")]).unwrap();
        assert!(!stale.exists());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "whole");
    }
}
