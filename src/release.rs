//! `casebook release`: every edition a reader of the downloadable guide
//! needs, from one load of the sources, into one folder — the EPUB, the
//! print workbook in the book's paper, home-print workbooks in A4 and
//! Letter, a screen edition, a fillable workbook and a questions-only
//! handout — with `README.txt`, `SHA256SUMS` and one ZIP of them all.
//!
//! The editions render at once on their own threads (the fillable workbook
//! is the print workbook's layout written a second time, and the EPUB's
//! page list comes from that same layout). Nothing touches the disk until
//! the sources check clean and every edition has rendered; the release is
//! then written into a hidden folder beside the target and renamed over
//! it, so a failure leaves the previous release as it was. Every date
//! comes from the build timestamp, so two releases are byte-identical.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::build::{BuildError, build_timestamp, output_stem};
use crate::diagnostic::Diagnostic;
use crate::model::Book;
use crate::print::{PaperSize, PrintOptions};

/// One file of the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    Epub,
    /// The ruled workbook in a paper: the book's own (for print on demand)
    /// or a home printer's.
    Workbook(PaperSize),
    /// The PDF without ruled space, in the book's paper.
    Screen,
    /// The print workbook with a text field over each question's lines.
    Fillable,
    /// Every question, no answers, no "Answer on page N".
    Questions,
    /// The print workbook as a print-on-demand service takes it: PDF/X-4,
    /// no cover, no links.
    PrintInterior,
    /// Its full-wrap cover (back, spine, front, bleed).
    PrintCover,
}

/// The editions `casebook build --edition` makes alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SingleEdition {
    Workbook,
    Screen,
    Fillable,
    Questions,
}

impl Edition {
    /// The file name: the title slug plus the edition.
    pub fn file_name(&self, stem: &str) -> String {
        match self {
            Edition::Epub => format!("{stem}.epub"),
            Edition::Workbook(paper) => format!("{stem}-workbook-{}.pdf", paper_slug(*paper)),
            Edition::Screen => format!("{stem}-screen.pdf"),
            Edition::Fillable => format!("{stem}-workbook-fillable.pdf"),
            Edition::Questions => format!("{stem}-questions.pdf"),
            Edition::PrintInterior => format!("{stem}-print.pdf"),
            Edition::PrintCover => format!("{stem}-cover.pdf"),
        }
    }

    /// What the file is for, one line of `README.txt`.
    fn purpose(&self, book_paper: PaperSize) -> String {
        match self {
            Edition::Epub => "EPUB 3 for e-readers and phones: reflowable text, links from each \
                 question to its answer, and the print edition's page numbers."
                .into(),
            Edition::Workbook(paper) if *paper == book_paper => format!(
                "The print workbook ({}, mirrored margins, ruled answer space after each \
                 question) with its cover as page 1, for reading or printing it yourself.",
                paper.describe()
            ),
            Edition::Workbook(paper) => format!(
                "The workbook for a home or office printer on {} paper: the same book, \
                 ruled answer space included.",
                paper.describe()
            ),
            Edition::Screen => format!(
                "For reading on a tablet or laptop: no ruled space, so questions and answers \
                 follow closely ({}: the print book's type size fills a tablet screen).",
                book_paper.describe()
            ),
            Edition::Fillable => "The print workbook with a text field over each question's \
                 ruled space: type your approach in any PDF viewer that supports forms, save \
                 it, and print it with the lines."
                .into(),
            Edition::Questions => "Every question and no answers (no \"Answer on page N\"): a \
                 handout for mock interviews or design-discussion prompts."
                .into(),
            Edition::PrintInterior => "The print workbook's interior as a print-on-demand \
                 service takes it: PDF/X-4, no cover page, no links, an even page count. \
                 Upload it with the cover below."
                .into(),
            Edition::PrintCover => "The full-wrap cover for that interior: back, spine and \
                 front on one page with 0.125 in bleed, the spine sized for its page count \
                 and paper (PDF/X-4)."
                .into(),
        }
    }
}

fn paper_slug(paper: PaperSize) -> &'static str {
    match paper {
        PaperSize::A4 => "a4",
        PaperSize::Letter => "letter",
        PaperSize::TradeSixByNine => "6x9",
    }
}

pub struct ReleaseOptions {
    pub book_dir: PathBuf,
    /// The release folder (replaced as a whole).
    pub out_dir: PathBuf,
}

/// A file of the release, rendered.
#[derive(Debug, Clone)]
pub struct ReleaseFile {
    pub name: String,
    pub bytes: Vec<u8>,
    /// From the start of the release to when it was ready.
    pub elapsed: Duration,
}

/// What the caller hears while the release runs (on the calling thread).
pub enum Progress<'a> {
    /// An edition finished rendering.
    Finished(&'a ReleaseFile, usize, usize),
    /// Still working: editions done, editions in all.
    Waiting(usize, usize),
}

pub struct ReleaseReport {
    pub dir: PathBuf,
    /// Every file written, in the ZIP's order, the ZIP last.
    pub files: Vec<(String, usize)>,
    pub warnings: Vec<Diagnostic>,
}

/// How often the caller hears `Progress::Waiting`.
const TICK: Duration = Duration::from_millis(100);

/// Makes the release: renders every edition, then writes the folder whole.
pub fn release(
    options: &ReleaseOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<ReleaseReport, BuildError> {
    let started = Instant::now();
    let loaded = crate::load::load_book(&options.book_dir).map_err(BuildError::Sources)?;
    let book = &loaded.book;
    let timestamp = build_timestamp(book);
    let stem = output_stem(book);
    let book_paper = book_paper(book);
    let order = editions(book_paper);

    let (diagnostics, rendered) = std::thread::scope(|scope| {
        let check = scope.spawn(|| crate::check::check_book(&loaded));
        let (tx, rx) = mpsc::channel::<Result<(Edition, Vec<u8>), String>>();
        let print = PrintOptions {
            paper: book_paper,
            workbook: true,
            questions_only: false,
        };
        // The editions in the book's paper share one layout of the bodies:
        // the print workbook, the fillable one from the same pages, then the
        // EPUB with those pages' numbers; the screen edition; the handout.
        // The home papers each lay out their own, meanwhile.
        scope.spawn({
            let tx = tx.clone();
            let stem = &stem;
            let print = print.clone();
            let order = &order;
            move || {
                let bodies = crate::print::Bodies::lay_out(book, book_paper);
                std::thread::scope(|inner| {
                    for edition in order {
                        let options = match edition {
                            Edition::Screen => PrintOptions {
                                workbook: false,
                                ..print.clone()
                            },
                            Edition::Questions => PrintOptions {
                                workbook: false,
                                questions_only: true,
                                ..print.clone()
                            },
                            _ => continue,
                        };
                        let (tx, bodies, edition) = (tx.clone(), &bodies, *edition);
                        inner.spawn(move || {
                            let result =
                                crate::print::render_pdf_with_bodies(book, &options, bodies);
                            let _ = tx.send(result.map(|bytes| (edition, bytes)));
                        });
                    }
                    let send = |edition, result: Result<Vec<u8>, String>| {
                        let _ = tx.send(result.map(|bytes| (edition, bytes)));
                    };
                    match crate::print::render_workbook_and_fillable(book, &print, &bodies) {
                        Ok(crate::print::Workbooks {
                            plain,
                            fillable,
                            print_interior,
                            interior_pages,
                            marks,
                        }) => {
                            send(Edition::Workbook(book_paper), Ok(plain));
                            send(Edition::Fillable, Ok(fillable));
                            send(Edition::PrintInterior, Ok(print_interior));
                            send(
                                Edition::PrintCover,
                                crate::print::cover_wrap::render_cover_wrap(
                                    book,
                                    book_paper,
                                    interior_pages,
                                )
                                .map_err(|e| format!("print cover: {e}")),
                            );
                            let pages = crate::epub::PrintPages {
                                marks: &marks,
                                source: format!(
                                    "{}, the print edition ({}), from the same sources",
                                    Edition::Workbook(book_paper).file_name(stem),
                                    book_paper.describe()
                                ),
                            };
                            let epub = crate::epub::render_epub(book, timestamp, Some(&pages))
                                .map_err(|e| format!("epub edition: {e}"));
                            send(Edition::Epub, epub);
                        }
                        Err(e) => send(Edition::Workbook(book_paper), Err(e)),
                    }
                });
            }
        });
        // The home papers one after the other on one thread: the cores are
        // busy with the book's paper meanwhile, and fewer layouts at once
        // hold less memory.
        let home: Vec<PaperSize> = order
            .iter()
            .filter_map(|e| match e {
                Edition::Workbook(paper) if *paper != book_paper => Some(*paper),
                _ => None,
            })
            .collect();
        scope.spawn({
            let tx = tx.clone();
            let print = print.clone();
            move || {
                for paper in home {
                    let options = PrintOptions {
                        paper,
                        ..print.clone()
                    };
                    let result = crate::print::render_pdf(book, &options);
                    let _ = tx.send(result.map(|bytes| (Edition::Workbook(paper), bytes)));
                }
            }
        });
        drop(tx);
        let mut rendered: Vec<(Edition, ReleaseFile)> = Vec::new();
        let mut failure = None;
        loop {
            match rx.recv_timeout(TICK) {
                Ok(Ok((edition, bytes))) => {
                    let file = ReleaseFile {
                        name: edition.file_name(&stem),
                        bytes,
                        elapsed: started.elapsed(),
                    };
                    progress(Progress::Finished(&file, rendered.len() + 1, order.len()));
                    rendered.push((edition, file));
                }
                Ok(Err(message)) => {
                    failure.get_or_insert(message);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    progress(Progress::Waiting(rendered.len(), order.len()))
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let diagnostics = check
            .join()
            .map_err(|_| BuildError::Output("internal error while checking the sources".into()));
        let rendered = match failure {
            Some(message) => Err(BuildError::Output(format!(
                "{message}; nothing was written"
            ))),
            None if rendered.len() < order.len() => Err(BuildError::Output(
                "an edition's renderer crashed; nothing was written".into(),
            )),
            None => Ok(rendered),
        };
        (diagnostics, rendered)
    });
    // Source errors come first: they are what the author must fix.
    let diagnostics = diagnostics?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildError::Sources(diagnostics));
    }
    let mut rendered = rendered?;
    rendered.sort_by_key(|(edition, _)| order.iter().position(|e| e == edition));
    let mut files: Vec<(String, Vec<u8>)> = rendered
        .into_iter()
        .map(|(_, file)| (file.name, file.bytes))
        .collect();
    files.push((
        "README.txt".into(),
        readme(book, &stem, book_paper, &order).into_bytes(),
    ));
    files.push(("SHA256SUMS".into(), sha256sums(&files).into_bytes()));
    let zip = zip_all(&files, timestamp).map_err(BuildError::Output)?;
    files.push((format!("{stem}.zip"), zip));
    write_folder(&options.out_dir, &files).map_err(BuildError::Output)?;
    Ok(ReleaseReport {
        dir: options.out_dir.clone(),
        files: files.iter().map(|(n, b)| (n.clone(), b.len())).collect(),
        warnings: diagnostics,
    })
}

/// `book.yaml`'s `paper`, A4 when it names none.
fn book_paper(book: &Book) -> PaperSize {
    book.meta
        .paper
        .as_deref()
        .and_then(PaperSize::parse)
        .unwrap_or(PaperSize::A4)
}

/// The release's editions in the order README, SHA256SUMS and the ZIP list
/// them. A home paper that is the book's own paper is the print workbook.
pub fn editions(book_paper: PaperSize) -> Vec<Edition> {
    let mut editions = vec![Edition::Epub, Edition::Workbook(book_paper)];
    for paper in [PaperSize::A4, PaperSize::Letter] {
        if paper != book_paper {
            editions.push(Edition::Workbook(paper));
        }
    }
    editions.extend([
        Edition::Screen,
        Edition::Fillable,
        Edition::Questions,
        Edition::PrintInterior,
        Edition::PrintCover,
    ]);
    editions
}

fn readme(book: &Book, stem: &str, book_paper: PaperSize, order: &[Edition]) -> String {
    let title = crate::epub::pages::full_title(book);
    let mut out = format!("{title}\n{}\n\n", "=".repeat(title.chars().count()));
    out.push_str("The files of this release, and what each is for:\n\n");
    for edition in order {
        out.push_str(&format!("{}\n", edition.file_name(stem)));
        for line in wrap(&edition.purpose(book_paper), 72) {
            out.push_str(&format!("    {line}\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "SHA256SUMS\n    Checksums of the files above and this README; check them with\n    \
         `sha256sum -c SHA256SUMS`.\n\n{stem}.zip\n    All of the above in one archive.\n\n\
         Made by casebook from the book's sources; dated {}.\n",
        book.meta.date
    ));
    out
}

/// Words of `text` in lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("a line");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// `sha256sum`'s format: the hex digest, two spaces, the name.
fn sha256sums(files: &[(String, Vec<u8>)]) -> String {
    files
        .iter()
        .map(|(name, bytes)| format!("{}  {name}\n", hex(&Sha256::digest(bytes))))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One ZIP of `files`, in their order, each dated `timestamp` and readable
/// by all (0644). PDFs and the EPUB are compressed already, so they are
/// stored; the text files are deflated.
fn zip_all(files: &[(String, Vec<u8>)], timestamp: i64) -> Result<Vec<u8>, String> {
    use zip::write::SimpleFileOptions;
    let date = chrono::DateTime::from_timestamp(timestamp, 0).ok_or("build date out of range")?;
    let time = crate::epub::zip_timestamp(&date)?;
    let fail = |e: zip::result::ZipError| format!("writing the release ZIP: {e}");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        let method = if name.ends_with(".txt") || name == "SHA256SUMS" {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(time)
            .unix_permissions(0o644);
        zip.start_file(name.as_str(), options).map_err(fail)?;
        zip.write_all(bytes)
            .map_err(|e| format!("writing the release ZIP: {e}"))?;
    }
    Ok(zip.finish().map_err(fail)?.into_inner())
}

/// A hidden name beside `dir` for one stage of the swap.
fn beside(dir: &Path, what: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "release".into());
    dir.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// Writes `files` into a fresh folder beside `dir`, then renames it over
/// `dir`: readers see the previous release or the new one, never a mix. If
/// anything fails the previous release stays and the new folder is removed.
pub fn write_folder(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| {
        format!(
            "cannot create {}: {e}; nothing was written",
            parent.display()
        )
    })?;
    remove_stale_folders(dir);
    let fresh = beside(dir, "tmp");
    let _ = std::fs::remove_dir_all(&fresh);
    let written = (|| {
        std::fs::create_dir(&fresh)?;
        for (name, bytes) in files {
            std::fs::write(fresh.join(name), bytes)?;
        }
        Ok::<(), std::io::Error>(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(format!(
            "cannot write the release into {}: {e}; nothing was written",
            fresh.display()
        ));
    }
    let old = beside(dir, "old");
    let had_previous = dir.exists();
    if had_previous && let Err(e) = std::fs::rename(dir, &old) {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(format!(
            "cannot replace {}: {e}; the previous release is unchanged",
            dir.display()
        ));
    }
    if let Err(e) = std::fs::rename(&fresh, dir) {
        let _ = std::fs::remove_dir_all(&fresh);
        if had_previous {
            let _ = std::fs::rename(&old, dir);
        }
        return Err(format!(
            "cannot write {}: {e}; the previous release is unchanged",
            dir.display()
        ));
    }
    if had_previous {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Removes `.<name>.tmp-<pid>` and `.<name>.old-<pid>` folders beside `dir`
/// whose release was killed (its process is gone).
fn remove_stale_folders(dir: &Path) {
    for stale in crate::build::stale_temporaries(dir) {
        let _ = std::fs::remove_dir_all(stale);
    }
}

/// `casebook build --edition`: one PDF edition alone, in `paper` (default
/// the book's), written atomically into `out_dir`.
pub fn build_edition(
    book_dir: &Path,
    out_dir: &Path,
    edition: SingleEdition,
    paper: Option<PaperSize>,
) -> Result<crate::build::BuildReport, BuildError> {
    let started = Instant::now();
    let loaded = crate::load::load_book(book_dir).map_err(BuildError::Sources)?;
    let book = &loaded.book;
    let diagnostics = crate::check::check_book(&loaded);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildError::Sources(diagnostics));
    }
    let paper = paper.unwrap_or_else(|| book_paper(book));
    let options = PrintOptions {
        paper,
        workbook: matches!(edition, SingleEdition::Workbook | SingleEdition::Fillable),
        questions_only: edition == SingleEdition::Questions,
    };
    let stem = output_stem(book);
    let (name, bytes) = match edition {
        SingleEdition::Workbook => (
            Edition::Workbook(paper).file_name(&stem),
            crate::print::render_pdf(book, &options),
        ),
        SingleEdition::Fillable => (
            Edition::Fillable.file_name(&stem),
            crate::print::render_fillable(book, &options),
        ),
        SingleEdition::Screen => (
            Edition::Screen.file_name(&stem),
            crate::print::render_pdf(book, &options),
        ),
        SingleEdition::Questions => (
            Edition::Questions.file_name(&stem),
            crate::print::render_pdf(book, &options),
        ),
    };
    let bytes = bytes.map_err(|e| BuildError::Output(format!("{e}; nothing was written")))?;
    std::fs::create_dir_all(out_dir).map_err(|e| {
        BuildError::Output(format!(
            "cannot create {}: {e}; nothing was written",
            out_dir.display()
        ))
    })?;
    let path = out_dir.join(name);
    crate::build::write_atomically(&path, &bytes).map_err(BuildError::Output)?;
    Ok(crate::build::BuildReport {
        written: vec![crate::build::Written {
            path,
            bytes: bytes.len(),
            elapsed: started.elapsed(),
        }],
        warnings: diagnostics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let sums = sha256sums(&[("a.txt".into(), Vec::new())]);
        assert_eq!(
            sums,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.txt\n"
        );
    }

    #[test]
    fn a_home_paper_that_is_the_books_own_is_not_made_twice() {
        // EPUB, three workbooks, screen, fillable, questions, print interior, cover.
        assert_eq!(editions(PaperSize::TradeSixByNine).len(), 9);
        assert_eq!(editions(PaperSize::A4).len(), 8);
    }

    #[test]
    fn a_release_folder_replaces_the_previous_whole() {
        let root =
            std::env::temp_dir().join(format!("casebook-release-swap-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join("release");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("stale.pdf"), "old").unwrap();
        write_folder(&dir, &[("new.pdf".into(), b"new".to_vec())]).unwrap();
        assert!(!dir.join("stale.pdf").exists());
        assert_eq!(std::fs::read(dir.join("new.pdf")).unwrap(), b"new");
        let leftovers: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        let _ = std::fs::remove_dir_all(&root);
    }
}
