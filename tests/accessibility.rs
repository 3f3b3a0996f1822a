//! The EPUB through DAISY Ace (run headless on Debian's chromium), and
//! epubcheck with usage notes: no accessibility violation and no message of
//! any level, on the fixture book and on the real book. Ace is installed by
//! `scripts/install-test-tools.sh`; a missing Ace fails the test rather than
//! skipping it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn ace_cli() -> PathBuf {
    if let Ok(path) = std::env::var("ACE_CLI") {
        return PathBuf::from(path);
    }
    let tools = std::env::var("CASEBOOK_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into()))
                .join(".cache/casebook-tools")
        });
    let path = tools.join("ace/node_modules/.bin/ace-cli");
    assert!(
        path.is_file(),
        "DAISY Ace is not installed at {}: run scripts/install-test-tools.sh (or `make test`), or set ACE_CLI",
        path.display()
    );
    path
}

/// Runs Ace on `epub`; returns the rules it reports as failed, one line each.
fn ace_violations(epub: &Path, out: &Path) -> Vec<String> {
    let chromium =
        std::env::var("PUPPETEER_EXECUTABLE_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let output = Command::new(ace_cli())
        .args(["--force", "--silent", "--outdir"])
        .arg(out)
        .arg(epub)
        .env("PUPPETEER_EXECUTABLE_PATH", chromium)
        .output()
        .expect("ace runs");
    let report = std::fs::read_to_string(out.join("report.json")).unwrap_or_else(|_| {
        panic!(
            "Ace wrote no report: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    // Every assertion carries an outcome; a violation's is "fail". The
    // summary at the end must say "pass" as well.
    let failed: Vec<String> = report
        .match_indices("\"earl:outcome\": \"fail\"")
        .map(|(at, _)| {
            let before = &report[..at];
            before
                .rfind("\"dct:title\": \"")
                .map(|t| before[t + 14..].split('"').next().unwrap_or("").to_string())
                .unwrap_or_default()
        })
        .collect();
    assert!(
        report.contains("\"earl:outcome\": \"pass\"") || !failed.is_empty(),
        "unreadable Ace report"
    );
    failed
}

fn check_epub(book: &Path, test: &str) -> std::collections::BTreeMap<String, String> {
    let out = scratch_dir(test);
    let epub = build_epub(book, &out);
    let files = read_epub(&epub);
    let opf = &files["OEBPS/content.opf"];
    assert!(
        opf.contains("<package xml:lang=\""),
        "the package declares its language"
    );
    let violations = ace_violations(&epub, &out.join("ace"));
    assert!(
        violations.is_empty(),
        "Ace reports {} violations: {:?}",
        violations.len(),
        violations
    );
    let (errors, warnings, report) = epubcheck_with_usage(&epub);
    assert_eq!((errors, warnings), (0, 0), "{report}");
    let usages = report.matches("\"severity\" : \"USAGE\"").count()
        + report.matches("\"severity\":\"USAGE\"").count();
    assert_eq!(usages, 0, "epubcheck -u usage notes:\n{report}");
    files
}

#[test]
fn fixture_epub_has_no_ace_violation_and_no_epubcheck_message() {
    let _ = check_epub(&fixture("mini"), "ace-mini");
}

#[test]
fn real_book_epub_has_no_ace_violation_and_no_epubcheck_message() {
    let files = check_epub(&project_root().join("book"), "ace-book");
    let opf = &files["OEBPS/content.opf"];
    // The publisher as reading systems read it; subjects are the categories.
    assert!(
        opf.contains("<dc:publisher>casebook</dc:publisher>"),
        "dc:publisher"
    );
    assert_eq!(
        opf.matches("<dc:subject").count(),
        10,
        "one subject per category"
    );
}

/// A German book made by `casebook init`: Ace and epubcheck pass it too.
#[test]
fn german_init_book_has_no_ace_violation() {
    let dir = scratch_dir("ace-init-de");
    let book = dir.join("de");
    let output = casebook(&[
        "init",
        book.to_str().unwrap(),
        "--language",
        "de",
        "--title",
        "SQL-Fälle",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let files = check_epub(&book, "ace-init-de-build");
    assert!(files["OEBPS/content.opf"].contains("<package xml:lang=\"de\" "));
}
