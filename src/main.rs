//! The `casebook` command line: build, release, check, stats, new, cover.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use casebook::build::{BuildError, BuildOptions, BuildReport};
use casebook::diagnostic::Diagnostic;
use casebook::print::PaperSize;
use casebook::release::{Progress, ReleaseOptions, SingleEdition};

#[derive(Parser)]
#[command(
    name = "casebook",
    version,
    about = "Compile a book of practice scenarios (question, then answer) from Markdown into EPUB and PDF.",
    after_help = "Typical session:\n  casebook check            # every problem in book/, with file:line:col\n  casebook build            # dist/<title>.epub, .pdf, -print.pdf and -cover.pdf\n  casebook release          # every edition, checksums and a ZIP in dist/release/\n  casebook new data-quality \"The Join That Doubled Revenue\"\n\nRun `casebook <command> --help` for each command's options and an example."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a new book: sources that build and pass `check --strict` at once.
    #[command(
        after_help = "Examples:\n  casebook init my-book --title \"SRE Scenarios\"\n  casebook init --language de --title \"SQL-Fälle\"   # into ./book\n\nWrites book.yaml (with a fresh identifier and today's date), tags.yaml, a front\nchapter, two categories with one scenario each (its sections say what belongs in\nthem) and a generated cover. Refuses a folder that is not empty.\nThen: casebook check --book DIR, and casebook build --book DIR."
    )]
    Init {
        /// The new book's folder (created; must be new or empty).
        #[arg(default_value = "book")]
        dir: PathBuf,
        /// The book's title.
        #[arg(long, default_value = "My Casebook")]
        title: String,
        /// The book's language, a BCP 47 tag (it picks hyphenation patterns).
        #[arg(long, default_value = "en")]
        language: String,
    },
    /// Build the editions (EPUB and PDF) into the output folder.
    #[command(
        after_help = "Examples:\n  casebook build                       # every file below into dist/\n  casebook build --epub --out /tmp/out # only the EPUB\n  casebook build --pdf --paper letter --no-workbook\n  casebook build --edition fillable    # one edition alone (workbook|screen|fillable|questions)\n\nFiles, named from the title slug:\n  <slug>.epub         for e-readers and phones\n  <slug>.pdf          the screen edition, for reading and sharing: cover, links,\n                      tagged, with PDF/UA-1 and PDF/A-2a identification\n  <slug>-print.pdf    the print interior for a print-on-demand service: PDF/X-4,\n                      no cover, no links, an even page count, the gutter chosen\n                      from the page count\n  <slug>-cover.pdf    the full-wrap cover for that service: back, spine and front\n                      with 0.125 in bleed, the spine sized from the interior's\n                      pages and book.yaml's paper_stock (PDF/X-4)\n--pdf makes the three PDFs, --epub the EPUB; neither flag makes all four.\n\nThe sources are checked first; any error stops the build and nothing is written.\nWrites are all or nothing: every edition goes to a temporary file, and only when\nall are on disk are they renamed into place (the previous files are restored if a\nrename fails). SOURCE_DATE_EPOCH, when set, dates the editions."
    )]
    Build {
        #[command(flatten)]
        editions: EditionArgs,
        /// Make one PDF edition alone: workbook (ruled, in --paper or the
        /// book's paper), screen (no ruled space), fillable (workbook with a
        /// text field over each question's lines) or questions (handout: every
        /// question, no answers).
        #[arg(long, value_enum, conflicts_with_all = ["epub", "pdf", "no_workbook"])]
        edition: Option<EditionChoice>,
    },
    /// Make the downloadable guide: every edition, README.txt, SHA256SUMS and one ZIP.
    #[command(
        after_help = "Example:\n  casebook release                  # into dist/release/\n  casebook release --out /tmp/guide\n\nWrites, named from the title slug plus the edition:\n  <slug>.epub                    for e-readers (with the print edition's page numbers)\n  <slug>-workbook-<paper>.pdf    the print workbook in book.yaml's paper (print on demand)\n  <slug>-workbook-a4.pdf         home-print workbooks (A4 and Letter; the book's own paper\n  <slug>-workbook-letter.pdf       is not made twice)\n  <slug>-screen.pdf              for tablets and laptops: no ruled space\n  <slug>-workbook-fillable.pdf   a text field over each question's ruled space\n  <slug>-questions.pdf           every question, no answers: a mock-interview handout\n  <slug>-print.pdf               the workbook's PDF/X-4 interior, for a print-on-demand service\n  <slug>-cover.pdf               its full-wrap cover (back, spine, front, bleed)\n  README.txt, SHA256SUMS         what each file is for; `sha256sum -c SHA256SUMS`\n  <slug>.zip                     all of the above\n\nOne line per edition as it finishes (size, time), then the total; a progress line\nwhile it runs when the output is a terminal. The sources are checked first: an\nerror writes nothing. The folder is written beside the target and renamed over it,\nso a failure leaves the previous release. Two releases of the same sources are\nbyte-identical (dates from SOURCE_DATE_EPOCH or book.yaml's date)."
    )]
    Release {
        /// The book's source folder (holds book.yaml).
        #[arg(long, default_value = "book")]
        book: PathBuf,
        /// The release folder (replaced as a whole).
        #[arg(long, default_value = "dist/release")]
        out: PathBuf,
    },
    /// Build, then rebuild the editions whenever a source under the book changes.
    #[command(
        after_help = "Examples:\n  casebook watch                     # both editions into dist/\n  casebook watch --epub --out /tmp/preview\n\nChanges are debounced (an editor's save is often several writes); each rebuild\nprints one line with its time. A rebuild with errors prints them and keeps the\nlast good editions. Ctrl-C stops."
    )]
    Watch {
        #[command(flatten)]
        editions: EditionArgs,
        /// How long the sources must stay quiet before a rebuild, in milliseconds.
        #[arg(long, default_value_t = 250)]
        debounce_ms: u64,
        /// Stop after this many rebuilds (for scripts and tests).
        #[arg(long, hide = true)]
        max_rebuilds: Option<usize>,
    },
    /// Report every problem in the sources, as path:line:col: error|warning: message.
    #[command(
        after_help = "Examples:\n  casebook check\n  casebook check --strict --book tests/fixtures/mini\n  casebook check --format json     # one JSON object per line, for editors\n  casebook check --format github   # annotations in a GitHub Actions log\n\nJSON lines look like:\n  {\"path\":\"book/scenarios/01-x/02-y.md\",\"line\":12,\"column\":5,\"severity\":\"error\",\n   \"message\":\"unknown tag `kafak`\",\"hint\":\"use a tag defined in book/tags.yaml…\"}\n\nExit status: 0 when clean, 1 when there are errors (or warnings with --strict).\nThe count of errors and warnings goes to standard error in every format."
    )]
    Check {
        #[arg(long, default_value = "book")]
        book: PathBuf,
        /// Treat warnings (word counts, category counts…) as failures.
        #[arg(long)]
        strict: bool,
        /// How to print each problem: text (path:line:col: …), json (one object
        /// per line) or github (workflow annotations).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Per category: promised vs present, words per scenario, difficulty mix.
    #[command(
        after_help = "Examples:\n  casebook stats\n  casebook stats --scenarios   # also one line per scenario"
    )]
    Stats {
        #[arg(long, default_value = "book")]
        book: PathBuf,
        /// Also list every scenario with its difficulty and word counts.
        #[arg(long)]
        scenarios: bool,
    },
    /// Write a new scenario file with the next number and the template sections.
    #[command(
        after_help = "Example:\n  casebook new streaming-kafka \"The Consumer Group Nobody Owned\"\n\nPrints the new file's path. The category id is one of book.yaml's categories."
    )]
    New {
        /// Category id from book.yaml (e.g. data-quality).
        category: String,
        /// The scenario's title.
        title: String,
        #[arg(long, default_value = "book")]
        book: PathBuf,
    },
    /// Render a typographic cover (1600×2560 PNG) from book.yaml's title, subtitle and authors.
    #[command(
        after_help = "Example:\n  casebook cover                    # writes covers/cover.png\n  casebook cover --output my.png\n\n`build` uses whatever image book.yaml's `cover` names; this command is one way to make it."
    )]
    Cover {
        #[arg(long, default_value = "book")]
        book: PathBuf,
        /// Where to write the PNG (default: the path book.yaml's `cover` names).
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// What `build` and `watch` make, and from where to where.
#[derive(clap::Args)]
struct EditionArgs {
    /// The book's source folder (holds book.yaml).
    #[arg(long, default_value = "book")]
    book: PathBuf,
    /// Where to write the editions.
    #[arg(long, default_value = "dist")]
    out: PathBuf,
    /// Make the EPUB edition (with neither flag, both are made).
    #[arg(long)]
    epub: bool,
    /// Make the PDFs: the screen edition, the print interior and its cover
    /// (with neither flag, everything is made).
    #[arg(long)]
    pdf: bool,
    /// Paper size of the PDF: a4, letter or 6x9 (default: book.yaml's `paper`).
    #[arg(long, value_parser = parse_paper)]
    paper: Option<PaperSize>,
    /// Leave out the ruled "Your approach" pages (a screen edition of the PDF).
    #[arg(long)]
    no_workbook: bool,
}

impl EditionArgs {
    fn options(self) -> BuildOptions {
        let both = !self.epub && !self.pdf;
        BuildOptions {
            book_dir: self.book,
            out_dir: self.out,
            epub: self.epub || both,
            pdf: self.pdf || both,
            paper: self.paper,
            workbook: !self.no_workbook,
        }
    }
}

/// The PDF editions `build --edition` makes alone.
#[derive(Clone, Copy, clap::ValueEnum)]
enum EditionChoice {
    Workbook,
    Screen,
    Fillable,
    Questions,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Github,
}

fn parse_paper(text: &str) -> Result<PaperSize, String> {
    PaperSize::parse(text)
        .ok_or_else(|| format!("unknown paper size `{text}`; use a4, letter or 6x9"))
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            editions,
            edition: Some(edition),
        } => {
            bound_memory_for_large_books(&editions.book);
            let edition = match edition {
                EditionChoice::Workbook => SingleEdition::Workbook,
                EditionChoice::Screen => SingleEdition::Screen,
                EditionChoice::Fillable => SingleEdition::Fillable,
                EditionChoice::Questions => SingleEdition::Questions,
            };
            let started = Instant::now();
            let result = casebook::release::build_edition(
                &editions.book,
                &editions.out,
                edition,
                editions.paper,
            );
            report_build(result, started)
        }
        Command::Build {
            editions,
            edition: None,
        } => {
            let options = editions.options();
            bound_memory_for_large_books(&options.book_dir);
            run_build(&options)
        }
        Command::Release { book, out } => {
            bound_memory_for_large_books(&book);
            run_release(ReleaseOptions {
                book_dir: book,
                out_dir: out,
            })
        }
        Command::Check {
            book,
            strict,
            format,
        } => run_check(&book, strict, format),
        Command::Watch {
            editions,
            debounce_ms,
            max_rebuilds,
        } => {
            let build = editions.options();
            bound_memory_for_large_books(&build.book_dir);
            let options = casebook::watch::WatchOptions {
                build,
                debounce: std::time::Duration::from_millis(debounce_ms),
                max_rebuilds,
            };
            match casebook::watch::watch(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => fail(&message),
            }
        }
        Command::Init {
            dir,
            title,
            language,
        } => match casebook::scaffold::init_book(&dir, &title, &language) {
            Ok(files) => {
                for file in &files {
                    println!("wrote {}", file.display());
                }
                println!(
                    "next: casebook check --book {0}   then   casebook build --book {0}",
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        },
        Command::Stats { book, scenarios } => match casebook::load::load_book(&book) {
            Ok(loaded) => {
                print!("{}", casebook::stats::report(&loaded.book));
                if scenarios {
                    print!("\n{}", casebook::stats::scenario_list(&loaded.book));
                }
                ExitCode::SUCCESS
            }
            Err(diagnostics) => report_failure(&diagnostics),
        },
        Command::New {
            category,
            title,
            book,
        } => match casebook::scaffold::new_scenario(&book, &category, &title) {
            Ok(path) => {
                println!("{}", path.display());
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        },
        Command::Cover { book, output } => {
            match casebook::cover::render_cover_file(&book, output.as_deref()) {
                Ok(path) => {
                    println!("wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(message) => fail(&message),
            }
        }
    }
}

fn run_build(options: &BuildOptions) -> ExitCode {
    let started = Instant::now();
    report_build(casebook::build::build(options), started)
}

fn report_build(result: Result<BuildReport, BuildError>, started: Instant) -> ExitCode {
    match result {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            for file in &report.written {
                println!(
                    "wrote {} ({:.1} KB, {:.0} ms)",
                    file.path.display(),
                    file.bytes as f64 / 1024.0,
                    file.elapsed.as_secs_f64() * 1000.0
                );
            }
            println!("done in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
            ExitCode::SUCCESS
        }
        Err(BuildError::Sources(diagnostics)) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!("build stopped: {errors} error(s) in the sources; nothing was written");
            ExitCode::FAILURE
        }
        Err(BuildError::Output(message)) => fail(&message),
    }
}

fn run_release(options: ReleaseOptions) -> ExitCode {
    use std::io::{IsTerminal, Write};
    let started = Instant::now();
    let terminal = std::io::stdout().is_terminal();
    let mut stdout = std::io::stdout();
    let mut ticks = 0usize;
    // On a terminal a progress line is redrawn in place and cleared before
    // each edition's line; elsewhere (a log, a pipe) only the lines.
    let mut progress = |event: Progress| match event {
        Progress::Finished(file, done, total) => {
            if terminal {
                let _ = write!(stdout, "\r\x1b[2K");
            }
            let _ = writeln!(
                stdout,
                "[{done}/{total}] {} ({:.1} KB, {:.0} ms)",
                file.name,
                file.bytes.len() as f64 / 1024.0,
                file.elapsed.as_secs_f64() * 1000.0
            );
        }
        Progress::Waiting(done, total) if terminal => {
            const SPINNER: [char; 4] = ['|', '/', '-', '\\'];
            ticks += 1;
            let _ = write!(
                stdout,
                "\r\x1b[2K{} rendering editions: {done}/{total} done, {:.1} s",
                SPINNER[ticks % SPINNER.len()],
                started.elapsed().as_secs_f64()
            );
            let _ = stdout.flush();
        }
        Progress::Waiting(..) => {}
    };
    match casebook::release::release(&options, &mut progress) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            let bytes: usize = report.files.iter().map(|(_, b)| b).sum();
            println!(
                "wrote {} ({} files, {:.1} MB) in {:.0} ms",
                report.dir.display(),
                report.files.len(),
                bytes as f64 / (1024.0 * 1024.0),
                started.elapsed().as_secs_f64() * 1000.0
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            if terminal {
                print!("\r\x1b[2K");
            }
            match e {
                BuildError::Sources(diagnostics) => {
                    for d in &diagnostics {
                        eprintln!("{d}");
                    }
                    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                    eprintln!(
                        "release stopped: {errors} error(s) in the sources; nothing was written"
                    );
                    ExitCode::FAILURE
                }
                BuildError::Output(message) => fail(&message),
            }
        }
    }
}

fn run_check(book: &std::path::Path, strict: bool, format: Format) -> ExitCode {
    let diagnostics = match casebook::load::load_book(book) {
        Ok(loaded) => casebook::check::check_book(&loaded),
        Err(diagnostics) => diagnostics,
    };
    for d in &diagnostics {
        match format {
            Format::Text => println!("{d}"),
            Format::Json => println!("{}", d.to_json()),
            Format::Github => println!("{}", d.to_github()),
        }
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    eprintln!("{errors} error(s), {warnings} warning(s)");
    if casebook::check::failed(&diagnostics, strict) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn report_failure(diagnostics: &[Diagnostic]) -> ExitCode {
    for d in diagnostics {
        eprintln!("{d}");
    }
    ExitCode::FAILURE
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// The layout allocates and frees many small vectors (glyph runs, lines,
/// pieces) on two threads; mimalloc's per-thread heaps make that markedly
/// faster than the system allocator (see the README's measurements).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (its number in mimalloc's `mi_option_e`,
/// the same in the v2 and v3 sources libmimalloc-sys 0.1.49 builds).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

unsafe extern "C" {
    /// Part of mimalloc's C library, which libmimalloc-sys links in.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Markdown in the book folder above which freed memory goes back to the
/// OS at once: about twice the real book (1.1 MB).
const LARGE_BOOK_SOURCE_BYTES: u64 = 2 << 20;

/// By default mimalloc keeps freed memory for 10 ms before giving it back.
/// A build frees a lot at once on several threads (a layout pass, the EPUB
/// once archived, the checks), so the freed pages of one phase are still
/// resident when the next allocates: the 2,000-scenario book peaked at 305
/// MB that way, 240 MB with memory returned at once. For the real book the
/// delay is worth keeping: returning memory breaks up huge pages, and the
/// page faults that follow cost 0.04 s of its 0.33 s (peak 125 → 80 MB).
fn bound_memory_for_large_books(book_dir: &std::path::Path) {
    if markdown_bytes(book_dir, 0) > LARGE_BOOK_SOURCE_BYTES {
        // SAFETY: sets an integer option; mimalloc reads options at any time.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
}

/// Bytes of `.md` files under `dir` (symbolic links not followed; a few
/// levels deep, as a book is: front/, scenarios/<category>/).
fn markdown_bytes(dir: &std::path::Path, depth: usize) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() && depth < 3 => markdown_bytes(&entry.path(), depth + 1),
            Ok(kind) if kind.is_file() && entry.path().extension().is_some_and(|e| e == "md") => {
                entry.metadata().map_or(0, |m| m.len())
            }
            _ => 0,
        })
        .sum()
}
