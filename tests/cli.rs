//! The command line as an author meets it: diagnostics with exact locations,
//! exit codes, builds that never leave partial files, the scaffold, help.

mod common;

use common::*;

#[test]
fn check_reports_every_problem_with_file_line_and_column() {
    let output = casebook(&["check", "--book", "tests/fixtures/bad-sources"]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    let dir = "tests/fixtures/bad-sources";
    for expected in [
        format!(
            "{dir}/book.yaml:9:1: error: cover is 200×320 pixels; it must be at least 1600×2560"
        ),
        format!("{dir}/book.yaml:12:5: warning: category `alpha` promises 4 scenarios but has 3"),
        format!("{dir}/scenarios/01-alpha/01-no-answer.md:5:17: error: unknown tag `not-a-tag`"),
        format!(
            "{dir}/scenarios/01-alpha/01-no-answer.md:7:1: error: the question lacks the section `## Constraints`"
        ),
        format!("{dir}/scenarios/01-alpha/01-no-answer.md:9:16: error: raw HTML `<br>`"),
        format!(
            "{dir}/scenarios/01-alpha/01-no-answer.md:9:34: error: image: `../outside.png` lies outside the book folder"
        ),
        format!(
            "{dir}/scenarios/01-alpha/01-no-answer.md:14:1: error: scenario has no `# Answer` heading"
        ),
        format!(
            "{dir}/scenarios/01-alpha/02-duplicate.md:2:1: error: duplicate scenario id `dup-id`"
        ),
        format!("{dir}/scenarios/01-alpha/02-duplicate.md:4:1: error: unknown difficulty `expert`"),
        format!(
            "{dir}/scenarios/01-alpha/02-duplicate.md:9:11: error: link target `scenario:missing-id` does not exist"
        ),
        format!(
            "{dir}/scenarios/01-alpha/02-duplicate.md:9:67: error: character `𝄞` (U+1D11E) is in no font in fonts/"
        ),
        format!(
            "{dir}/scenarios/01-alpha/02-duplicate.md:19:1: warning: the answer has 3 words; the guide asks for 450 to 1200"
        ),
        format!(
            "{dir}/scenarios/01-alpha/03-bad-front-matter.md:6:1: error: unknown field `colour`"
        ),
    ] {
        assert!(
            report.contains(&expected),
            "missing diagnostic:\n  {expected}\nin report:\n{report}"
        );
    }
    assert!(
        report.contains("  hint: use a tag defined in book/tags.yaml"),
        "hints follow diagnostics"
    );
}

#[test]
fn yaml_errors_point_at_the_yaml_line() {
    let output = casebook(&["check", "--book", "tests/fixtures/bad-yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output)
            .starts_with("tests/fixtures/bad-yaml/book.yaml:2:1: error: unknown field `titel`")
    );
}

#[test]
fn strict_check_fails_on_warnings_only_when_asked() {
    let relaxed = casebook(&["check", "--book", "tests/fixtures/mini"]);
    assert_eq!(relaxed.status.code(), Some(0), "{}", stdout(&relaxed));
    assert!(stdout(&relaxed).contains("warning: the question has"));
    let strict = casebook(&["check", "--strict", "--book", "tests/fixtures/mini"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn build_with_source_errors_writes_nothing_and_keeps_existing_files() {
    let out = scratch_dir("bad-build");
    let existing = out.join("mini-casebook-a-fixture.epub");
    std::fs::write(&existing, b"previous edition").unwrap();
    let output = casebook(&[
        "build",
        "--book",
        "tests/fixtures/bad-sources",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("nothing was written"));
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["mini-casebook-a-fixture.epub"],
        "no new or temporary files"
    );
    assert_eq!(std::fs::read(&existing).unwrap(), b"previous edition");
}

#[test]
fn build_reports_what_it_wrote() {
    let out = scratch_dir("report");
    let output = casebook(&[
        "build",
        "--epub",
        "--book",
        "tests/fixtures/mini",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("mini-casebook-a-fixture.epub (")
            && text.contains(" KB, ")
            && text.contains("done in"),
        "{text}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn missing_book_folder_is_a_clear_error() {
    let output = casebook(&["check", "--book", "tests/fixtures/no-such-book"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("no-such-book/book.yaml:1:1: error: cannot read file"));
}

#[test]
fn new_writes_the_next_numbered_scenario_from_the_template() {
    let book = scratch_dir("new-book");
    copy_tree(&fixture("mini"), &book);
    let output = casebook(&[
        "new",
        "alpha",
        "The Third Alpha Problem",
        "--book",
        book.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let path = std::path::PathBuf::from(stdout(&output).trim());
    assert!(
        path.ends_with("scenarios/01-alpha/03-the-third-alpha-problem.md"),
        "{}",
        path.display()
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("---\nid: the-third-alpha-problem\ntitle: \"The Third Alpha Problem\"")
    );
    for section in [
        "## Situation",
        "## Constraints",
        "## Your task",
        "# Answer",
        "## Short answer",
        "## Takeaway",
    ] {
        assert!(text.contains(section), "template has {section}");
    }
    // The same title again would overwrite nothing.
    let again = casebook(&[
        "new",
        "alpha",
        "The Third Alpha Problem",
        "--book",
        book.to_str().unwrap(),
    ]);
    assert!(again.status.success());
    assert!(stdout(&again).contains("04-the-third-alpha-problem.md"));
    let unknown = casebook(&["new", "gamma", "X", "--book", book.to_str().unwrap()]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("no category `gamma`")
            && stderr(&unknown).contains("alpha, beta")
    );
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in ["build", "check", "stats", "new", "cover"] {
        let output = casebook(&[command, "--help"]);
        assert!(output.status.success());
        let text = stdout(&output);
        assert!(
            text.contains("Example"),
            "`{command} --help` shows an example:\n{text}"
        );
    }
}

#[test]
fn stats_shows_promised_and_present_per_category() {
    let output = casebook(&["stats", "--book", "tests/fixtures/mini"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains("Alpha Failures & Fixes") && text.contains("2/2"),
        "{text}"
    );
    assert!(text.contains("total") && text.contains("3/3"));
    assert!(
        text.contains("1/1/0/1"),
        "difficulty mix junior/mid/senior/staff: {text}"
    );
    let listed = stdout(&casebook(&[
        "stats",
        "--scenarios",
        "--book",
        "tests/fixtures/mini",
    ]));
    let line = listed
        .lines()
        .find(|l| l.contains("01-alpha-one.md"))
        .expect("one line per scenario");
    let columns: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&columns[..2], ["1", "junior"], "{line}");
}

#[test]
fn check_speaks_json_and_github_annotations_with_the_same_findings() {
    let book = fixture("bad-sources");
    let book = book.to_str().unwrap();
    let text = stdout(&casebook(&["check", "--book", book]));
    let json = casebook(&["check", "--book", book, "--format", "json"]);
    let github = casebook(&["check", "--book", book, "--format", "github"]);
    assert!(!json.status.success() && !github.status.success());
    let findings: Vec<&str> = text.lines().filter(|l| !l.starts_with("  hint:")).collect();
    let json_lines: Vec<String> = stdout(&json).lines().map(str::to_string).collect();
    let github_lines: Vec<String> = stdout(&github).lines().map(str::to_string).collect();
    assert_eq!(json_lines.len(), findings.len());
    assert_eq!(github_lines.len(), findings.len());
    // The first finding, in all three forms: same file, line, column and message.
    let first = findings[0];
    let (location, rest) = first
        .split_once(": error: ")
        .expect("first finding is an error");
    let mut parts = location.rsplitn(3, ':');
    let (column, line, path) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    assert!(json_lines[0].starts_with(&format!(
        "{{\"path\":\"{path}\",\"line\":{line},\"column\":{column},\"severity\":\"error\",\"message\":\"{rest}\""
    )), "{}", json_lines[0]);
    assert!(
        github_lines[0].starts_with(&format!(
            "::error file={path},line={line},col={column}::{rest}"
        )),
        "{}",
        github_lines[0]
    );
    assert!(
        json_lines
            .iter()
            .all(|l| l.starts_with("{\"path\":") && l.ends_with('}'))
    );
}

#[test]
fn init_makes_a_book_that_passes_check_strict_builds_and_passes_epubcheck() {
    let dir = scratch_dir("init");
    let book = dir.join("new-book");
    let output = casebook(&["init", book.to_str().unwrap(), "--title", "SRE Scenarios"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let check = casebook(&["check", "--strict", "--book", book.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    assert_eq!(stdout(&check), "", "no diagnostics at all");
    let yaml = std::fs::read_to_string(book.join("book.yaml")).unwrap();
    assert!(yaml.contains("title: \"SRE Scenarios\""));
    assert!(yaml.contains("identifier: \"urn:uuid:"));
    let epub = build_epub(&book, &dir.join("dist"));
    let (errors, warnings, report) = epubcheck(&epub);
    assert_eq!((errors, warnings), (0, 0), "{report}");
    // A second init into the same folder refuses and changes nothing.
    let again = casebook(&["init", book.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("is not empty"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(book.join("book.yaml")).unwrap(),
        yaml
    );
}

#[test]
fn cover_refuses_to_write_outside_the_book() {
    let dir = scratch_dir("cover-outside");
    let book = dir.join("b");
    assert!(casebook(&["init", book.to_str().unwrap()]).status.success());
    let yaml = book.join("book.yaml");
    let text = std::fs::read_to_string(&yaml)
        .unwrap()
        .replace("cover: cover.png", "cover: ../elsewhere/cover.png");
    std::fs::write(&yaml, text).unwrap();
    let output = casebook(&["cover", "--book", book.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("outside the book folder"),
        "{}",
        stderr(&output)
    );
    assert!(
        !dir.join("elsewhere").exists(),
        "nothing is created outside the book"
    );
}

#[test]
fn a_language_without_hyphenation_patterns_is_warned_about() {
    let dir = scratch_dir("init-ja");
    let book = dir.join("ja");
    assert!(
        casebook(&[
            "init",
            book.to_str().unwrap(),
            "--language",
            "ja",
            "--title",
            "SQL Cases"
        ])
        .status
        .success()
    );
    let check = casebook(&["check", "--book", book.to_str().unwrap()]);
    assert!(check.status.success(), "a warning only");
    assert!(
        stdout(&check).contains(&format!(
            "{}/book.yaml:5:1: warning: no hyphenation patterns for `ja`",
            book.display()
        )),
        "{}",
        stdout(&check)
    );
}

#[test]
fn watch_rebuilds_on_a_change_and_keeps_the_last_good_edition_when_a_rebuild_fails() {
    use std::io::{BufRead, BufReader};
    let dir = scratch_dir("watch");
    let book = dir.join("book");
    let out = dir.join("dist");
    assert!(casebook(&["init", book.to_str().unwrap()]).status.success());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args([
            "watch",
            "--epub",
            "--debounce-ms",
            "150",
            "--max-rebuilds",
            "2",
            "--book",
        ])
        .arg(&book)
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("watch starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || lines.next().expect("a line").expect("text");
    assert!(next().starts_with("watching "));
    assert!(next().starts_with("built in "), "first build");
    let epub = out.join("my-casebook.epub");
    let good = std::fs::read(&epub).unwrap();
    // A change to a chapter: rebuilt.
    let intro = book.join("front/01-introduction.md");
    let text = std::fs::read_to_string(&intro).unwrap();
    std::fs::write(&intro, format!("{text}\nOne more sentence.\n")).unwrap();
    let line = next();
    assert!(
        line.starts_with("rebuilt in ") && line.contains("my-casebook.epub"),
        "{line}"
    );
    let rebuilt = std::fs::read(&epub).unwrap();
    assert_ne!(rebuilt, good, "the edition changed with its source");
    // A broken scenario: the rebuild fails and the last good edition stays.
    let scenario = book.join("scenarios/01-first-category/01-your-first-scenario.md");
    let text = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(
        &scenario,
        text.replace("difficulty: mid", "difficulty: expert"),
    )
    .unwrap();
    let line = next();
    assert!(line.starts_with("rebuild failed: 1 error(s)"), "{line}");
    assert_eq!(
        std::fs::read(&epub).unwrap(),
        rebuilt,
        "the last good edition is kept"
    );
    assert!(
        child.wait().unwrap().success(),
        "watch stops after --max-rebuilds"
    );
}

#[test]
fn a_german_book_from_init_passes_check_strict_and_epubcheck() {
    let dir = scratch_dir("init-de");
    let book = dir.join("de");
    assert!(
        casebook(&[
            "init",
            book.to_str().unwrap(),
            "--language",
            "de",
            "--title",
            "SQL-Fälle"
        ])
        .status
        .success()
    );
    let check = casebook(&["check", "--strict", "--book", book.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stdout(&check));
    let epub = build_epub(&book, &dir.join("dist"));
    let (errors, warnings, report) = epubcheck(&epub);
    assert_eq!((errors, warnings), (0, 0), "{report}");
    let files = read_epub(&epub);
    assert!(
        files["OEBPS/content.opf"].contains("<dc:language")
            && files["OEBPS/content.opf"].contains(">de<")
    );
    // The words casebook writes are German in both editions.
    let question = &files["OEBPS/q-001.xhtml"];
    assert!(
        question.contains("<h2>Szenario 1: Your First Scenario</h2>"),
        "{question}"
    );
    assert!(question.contains("Antwort zu Szenario 1"));
    assert!(files["OEBPS/a-001.xhtml"].contains("Zurück zu Szenario 1"));
    assert!(files["OEBPS/contents.xhtml"].contains(">Inhalt</h1>"));
    let out = dir.join("dist-pdf");
    assert!(
        casebook(&[
            "build",
            "--pdf",
            "--book",
            book.to_str().unwrap(),
            "--out",
            out.to_str().unwrap()
        ])
        .status
        .success()
    );
    let pdf = output_with_extension(&out, "pdf");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for words in [
        "Antwort auf Seite",
        "Inhalt",
        "Ihr Lösungsweg",
        "Szenario 1",
        "Register",
    ] {
        assert!(text.contains(words), "the PDF says {words}");
    }
    assert!(
        !text.contains("Answer on page"),
        "no English pointer left in the German PDF"
    );
    // book.yaml's labels: override a word; an unknown label is an error at its line.
    let yaml = book.join("book.yaml");
    let original = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{original}labels:\n  scenario: \"Fall\"\n")).unwrap();
    let epub = build_epub(&book, &dir.join("dist-labels"));
    assert!(read_epub(&epub)["OEBPS/q-001.xhtml"].contains("<h2>Fall 1: Your First Scenario</h2>"));
    std::fs::write(&yaml, format!("{original}labels:\n  scenari: \"Fall\"\n")).unwrap();
    let check = casebook(&["check", "--book", book.to_str().unwrap()]);
    let lines = original.lines().count();
    assert!(
        stdout(&check).contains(&format!(
            "{}/book.yaml:{}:3: error: unknown label `scenari`",
            book.display(),
            lines + 2
        )),
        "{}",
        stdout(&check)
    );
}
