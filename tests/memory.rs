//! Bounded memory: a book several times the size of the real one builds
//! both editions within a fixed peak. The PDF's final layout pass writes each
//! page as it finishes it, laid-out bodies are kept between passes only up to
//! a budget, and the EPUB archives each document as it is made; holding the
//! pages, every body or every document again would take this build well past
//! the limit (measured this way, the build before bounded memory peaked at
//! 221 MB; now about 115 MB).
//!
//! Alone in its own test binary, so the peak of the children this process
//! has waited for (`getrusage(RUSAGE_CHILDREN)`) is the casebook build's.

mod common;

use std::path::Path;

use common::{build_book, project_root, scratch_dir};

/// Scenarios in the test book: the real book's copied until there are this many.
const SCENARIOS: usize = 400;
/// Peak resident memory allowed for both editions of that book.
const LIMIT_MB: i64 = 165;

/// The real book's scenarios copied with new ids and titles, as
/// `scripts/make-big-book.sh` does, with each category's count updated.
fn make_big_book(out: &Path, scenarios: usize) {
    let source = project_root().join("book");
    let book = out.join("book");
    std::fs::create_dir_all(book.join("scenarios")).unwrap();
    std::fs::copy(source.join("tags.yaml"), book.join("tags.yaml")).unwrap();
    std::fs::create_dir_all(book.join("front")).unwrap();
    for entry in std::fs::read_dir(source.join("front")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), book.join("front").join(entry.file_name())).unwrap();
    }
    std::fs::create_dir_all(out.join("covers")).unwrap();
    std::fs::copy(
        project_root().join("covers/cover.png"),
        out.join("covers/cover.png"),
    )
    .unwrap();
    let mut files = Vec::new();
    for category in std::fs::read_dir(source.join("scenarios")).unwrap() {
        let category = category.unwrap().path();
        for file in std::fs::read_dir(&category).unwrap() {
            files.push(file.unwrap().path());
        }
    }
    files.sort();
    let mut made = 0;
    'copies: for copy in 1.. {
        for file in &files {
            if made == scenarios {
                break 'copies;
            }
            let category = file.parent().unwrap().file_name().unwrap();
            let folder = book.join("scenarios").join(category);
            std::fs::create_dir_all(&folder).unwrap();
            let text = std::fs::read_to_string(file).unwrap();
            let text: String = text
                .lines()
                .map(|line| {
                    if let Some(id) = line.strip_prefix("id: ") {
                        format!("id: {id}-copy-{copy}\n")
                    } else if let Some(title) = line.strip_prefix("title: \"") {
                        let title = title.trim_end_matches('"');
                        format!("title: \"{title} (copy {copy})\"\n")
                    } else {
                        format!("{line}\n")
                    }
                })
                .collect();
            let name = format!("{copy:02}-{}", file.file_name().unwrap().to_string_lossy());
            std::fs::write(folder.join(name), text).unwrap();
            made += 1;
        }
    }
    let yaml = std::fs::read_to_string(source.join("book.yaml")).unwrap();
    let mut folder = None;
    let yaml: String = yaml
        .lines()
        .map(|line| {
            if let Some(dir) = line.trim().strip_prefix("dir: ") {
                folder = Some(dir.to_string());
            }
            match (line.trim().strip_prefix("count: "), &folder) {
                (Some(_), Some(dir)) => {
                    let n = std::fs::read_dir(book.join(dir)).unwrap().count();
                    format!("    count: {n}\n")
                }
                _ => format!("{line}\n"),
            }
        })
        .collect();
    std::fs::write(book.join("book.yaml"), yaml).unwrap();
}

/// Largest peak resident set, in MB, of the children this process waited for.
fn children_peak_mb() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid rusage for getrusage to fill.
    let result = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(result, 0, "getrusage failed");
    usage.ru_maxrss / 1024 // kilobytes on Linux
}

#[test]
#[cfg(target_os = "linux")]
fn a_book_four_times_the_real_one_builds_both_editions_in_bounded_memory() {
    let dir = scratch_dir("memory");
    make_big_book(&dir, SCENARIOS);
    let book = dir.join("book");
    let out = dir.join("dist");
    build_book(&book, &out, &[]);
    let pdf = std::fs::read(out.join("when-theory-ends-production-scenarios.pdf")).unwrap();
    let pages = pdf.windows(10).filter(|w| w == b"/Type/Page").count();
    assert!(pages > 2400, "{pages} pages: the whole book was built");
    let peak = children_peak_mb();
    eprintln!("both editions of {SCENARIOS} scenarios ({pages} pages): peak {peak} MB");
    assert!(
        peak <= LIMIT_MB,
        "both editions of a {SCENARIOS}-scenario book peaked at {peak} MB (limit {LIMIT_MB} MB)"
    );
}
