//! The EPUB edition of a small fixture book, checked for what a reader relies
//! on: reading order, navigation, question↔answer links, computed counts,
//! reproducibility and validity.

mod common;

use common::*;

/// The fixture's body in reading order: each category's opener and questions,
/// then its answer section and answers; the index last.
const BODY_ORDER: [&str; 11] = [
    "part-01.xhtml",
    "q-001.xhtml",
    "q-002.xhtml",
    "answers-01.xhtml",
    "a-001.xhtml",
    "a-002.xhtml",
    "part-02.xhtml",
    "q-003.xhtml",
    "answers-02.xhtml",
    "a-003.xhtml",
    "index.xhtml",
];

#[test]
fn spine_puts_each_category_answers_after_its_question_set() {
    let out = scratch_dir("spine");
    let files = read_epub(&build_epub(&fixture("mini"), &out));
    let body: Vec<String> = spine(&files)
        .into_iter()
        .skip_while(|f| !f.starts_with("part-"))
        .collect();
    assert_eq!(body, BODY_ORDER);
    let front: Vec<String> = spine(&files)
        .into_iter()
        .take_while(|f| !f.starts_with("part-"))
        .collect();
    assert_eq!(
        front,
        [
            "cover.xhtml",
            "title.xhtml",
            "copyright.xhtml",
            "contents.xhtml",
            "ch-intro.xhtml",
            "ch-covers.xhtml"
        ]
    );
}

#[test]
fn navigation_nests_scenarios_then_answers_under_each_category() {
    let out = scratch_dir("nav");
    let files = read_epub(&build_epub(&fixture("mini"), &out));
    let nav = &files["OEBPS/nav.xhtml"];
    let toc = &nav[..nav.find("epub:type=\"landmarks\"").unwrap()];
    let hrefs = attribute_values(toc, "href");
    let body: Vec<&str> = hrefs
        .iter()
        .map(String::as_str)
        .skip_while(|h| !h.starts_with("part-"))
        .collect();
    assert_eq!(body, BODY_ORDER);
    // Nesting: the first category's entry holds an <ol> with its scenarios and answers.
    let first = &toc[toc.find("part-01.xhtml").unwrap()..toc.find("part-02.xhtml").unwrap()];
    assert!(
        first.contains("<ol>"),
        "category entry has children: {first}"
    );
    // Landmarks: cover, contents and the start of the body.
    let landmarks = &nav[nav.find("epub:type=\"landmarks\"").unwrap()..];
    // Both navs are named, so assistive technology can tell them apart.
    assert!(nav.contains("role=\"doc-toc\" id=\"toc\" aria-label=\"Contents\""));
    assert!(nav.contains("epub:type=\"landmarks\" aria-label=\"Landmarks\""));
    for (kind, file) in [
        ("cover", "cover.xhtml"),
        ("toc", "contents.xhtml"),
        ("bodymatter", "part-01.xhtml"),
    ] {
        assert!(
            landmarks.contains(&format!("epub:type=\"{kind}\" href=\"{file}\"")),
            "landmark {kind}"
        );
    }
    assert!(
        nav.contains("lang=\"en\""),
        "the nav document declares its language"
    );
    assert!(
        files["OEBPS/toc.ncx"].contains("q-003.xhtml"),
        "the NCX carries the scenarios too"
    );
}

#[test]
fn every_question_links_to_its_answer_and_every_answer_back() {
    let out = scratch_dir("links");
    let files = read_epub(&build_epub(&fixture("mini"), &out));
    for n in 1..=3 {
        let question = &files[&format!("OEBPS/q-{n:03}.xhtml")];
        let answer = &files[&format!("OEBPS/a-{n:03}.xhtml")];
        assert!(question.contains(&format!("id=\"q-{n:03}\"")));
        assert!(answer.contains(&format!("id=\"a-{n:03}\"")));
        assert!(
            question.contains(&format!("href=\"a-{n:03}.xhtml#a-{n:03}\"")),
            "question {n} links to its answer"
        );
        assert!(
            answer.contains(&format!("href=\"q-{n:03}.xhtml#q-{n:03}\"")),
            "answer {n} links back"
        );
    }
    // Every internal link in the book lands on a file and an id that exist.
    for (name, text) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        for href in attribute_values(text, "href") {
            if href.starts_with("http") || href.ends_with(".css") {
                continue;
            }
            let (file, anchor) = href.split_once('#').unwrap_or((&href, ""));
            let target = files
                .get(&format!("OEBPS/{file}"))
                .unwrap_or_else(|| panic!("{name}: link to missing {file}"));
            if !anchor.is_empty() {
                assert!(
                    target.contains(&format!("id=\"{anchor}\"")),
                    "{name}: link to missing #{anchor} in {file}"
                );
            }
        }
    }
}

#[test]
fn question_and_answer_halves_land_in_their_own_sections() {
    let out = scratch_dir("halves");
    let files = read_epub(&build_epub(&fixture("mini"), &out));
    let question = &files["OEBPS/q-001.xhtml"];
    let answer = &files["OEBPS/a-001.xhtml"];
    assert!(question.contains("<h2>Scenario 1: The First Alpha Problem</h2>"));
    assert!(question.contains("Junior · Airflow, Idempotency · think 10\u{a0}min"));
    assert!(question.contains("<h3 id=\"h_situation\">Situation</h3>"));
    assert!(
        !question.contains("Short answer"),
        "the answer does not leak into the question"
    );
    // A `# Answer` inside a code block stays in the question, as code.
    assert!(
        question
            .contains("# Answer\n</span><span class=\"line\">this heading is inside a code block")
    );
    assert!(answer.contains("<h4 id=\"h_short-answer\">Short answer</h4>"));
    assert!(
        answer.contains("<section epub:type=\"chapter\" role=\"doc-chapter\" class=\"answer\"")
    );
    // The reading loop: back to the question, on to the next scenario.
    assert!(
        answer
            .contains("<a role=\"doc-backlink\" href=\"q-001.xhtml#q-001\">Back to Scenario 1</a>")
    );
    assert!(answer.contains(
        "<a href=\"q-002.xhtml#q-002\">Next: Scenario 2<span aria-hidden=\"true\"> →</span></a>"
    ));
    assert!(!answer.contains("Situation"));
}

#[test]
fn counts_in_front_matter_are_computed_from_the_sources() {
    let out = scratch_dir("counts");
    let files = read_epub(&build_epub(&fixture("mini"), &out));
    let covers = &files["OEBPS/ch-covers.xhtml"];
    let rows: Vec<&str> = covers.split("<tr>").skip(2).collect();
    assert!(
        rows[0].contains("Alpha Failures &amp; Fixes")
            && rows[0].contains("<td class=\"right\">2</td>"),
        "{}",
        rows[0]
    );
    assert!(rows[1].contains("Beta Incidents") && rows[1].contains("<td class=\"right\">1</td>"));
    assert!(rows[2].contains("<strong>3</strong>"), "total row");
    let intro = &files["OEBPS/ch-intro.xhtml"];
    assert!(intro.contains("This fixture holds 3 scenarios."));
    assert!(
        intro.contains("href=\"q-001.xhtml#q-001\"")
            && intro.contains("href=\"a-001.xhtml#a-001\"")
    );
    assert!(intro.contains("href=\"ch-covers.xhtml\""));
}

#[test]
fn topic_index_lists_each_used_tag_with_its_scenarios() {
    let out = scratch_dir("index");
    let files = read_epub(&build_epub(&fixture("mini"), &out));
    let index = &files["OEBPS/index.xhtml"];
    let airflow = &index[index.find("Airflow").unwrap()..];
    let airflow = &airflow[..airflow.find("</li>").unwrap()];
    assert_eq!(
        attribute_values(airflow, "href"),
        ["q-001.xhtml#q-001", "q-003.xhtml#q-003"]
    );
    assert!(index.contains("Apache Kafka") && index.contains("Idempotency"));
    assert!(
        index.find("Airflow").unwrap() < index.find("Apache Kafka").unwrap(),
        "sorted by name"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let first = std::fs::read(build_epub(&fixture("mini"), &scratch_dir("repro-1"))).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = std::fs::read(build_epub(&fixture("mini"), &scratch_dir("repro-2"))).unwrap();
    assert!(first == second, "EPUB differs between builds");
}

#[test]
fn package_carries_accessibility_and_identity_metadata() {
    let out = scratch_dir("metadata");
    let files = read_epub(&build_epub(&fixture("mini"), &out));
    let opf = &files["OEBPS/content.opf"];
    assert!(opf.contains("urn:uuid:0b7c6d52-7a51-4b8e-9a0c-2f7e0d5f9a11"));
    assert!(opf.contains("<meta property=\"dcterms:modified\">2026-01-15T00:00:00Z</meta>"));
    for property in [
        "schema:accessMode",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
    ] {
        assert!(opf.contains(property), "missing {property}");
    }
    assert!(opf.contains("properties=\"cover-image\""));
    for (name, text) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        assert!(
            text.contains("xml:lang=\"en\""),
            "{name} declares its language"
        );
    }
}

#[test]
fn fixture_epub_passes_epubcheck_without_errors_or_warnings() {
    let epub = build_epub(&fixture("mini"), &scratch_dir("epubcheck-mini"));
    let (errors, warnings, report) = epubcheck(&epub);
    assert_eq!((errors, warnings), (0, 0), "epubcheck: {report}");
}
