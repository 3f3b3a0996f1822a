//! The real book in `book/`: it must check clean, build, pass epubcheck and
//! stay within its size and speed budgets.

mod common;

use common::*;

#[test]
fn real_book_checks_without_errors() {
    let output = casebook(&["check", "--book", "book"]);
    assert!(
        output.status.success(),
        "casebook check found errors:\n{}",
        stdout(&output)
    );
}

#[test]
fn real_book_epub_passes_epubcheck_and_fits_the_size_budget() {
    let out = scratch_dir("real-epub");
    let epub = build_epub(&project_root().join("book"), &out);
    let size = std::fs::metadata(&epub).unwrap().len();
    assert!(
        size < 1_500_000,
        "the EPUB is {size} bytes; the budget is 1.5 MB"
    );
    let (errors, warnings, report) = epubcheck(&epub);
    assert_eq!((errors, warnings), (0, 0), "epubcheck: {report}");
}

#[test]
fn real_book_counts_table_matches_the_scenario_files() {
    let out = scratch_dir("real-counts");
    let files = read_epub(&build_epub(&project_root().join("book"), &out));
    let covers = files
        .iter()
        .find(|(name, text)| name.starts_with("OEBPS/ch-") && text.contains("<table>"))
        .map(|(_, text)| text.clone())
        .expect("a front-matter chapter holds the counts table");
    let yaml = std::fs::read_to_string(project_root().join("book/book.yaml")).unwrap();
    let dirs: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("dir: "))
        .collect();
    let rows: Vec<&str> = covers.split("<tr>").skip(2).collect();
    assert_eq!(
        rows.len(),
        dirs.len() + 1,
        "one row per category plus the total"
    );
    let mut total = 0;
    for (row, dir) in rows.iter().zip(&dirs) {
        let files_on_disk = std::fs::read_dir(project_root().join("book").join(dir))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "md")
            })
            .count();
        total += files_on_disk;
        assert!(
            row.contains(&format!("<td class=\"right\">{files_on_disk}</td>")),
            "{dir}: {row}"
        );
    }
    assert!(rows[dirs.len()].contains(&format!("<strong>{total}</strong>")));
}
