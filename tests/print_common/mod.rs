//! Shared helpers for the print tests: a small book built in code, and the
//! text lines of a laid-out page.

#![allow(dead_code)]

use std::path::PathBuf;

use casebook::document::{Alignment, Block, Inline, Table};
use casebook::model::{Book, Category, Chapter, Difficulty, Metadata, Scenario, Tag};
use casebook::print::page::{Document, Item, LinkTarget, Page, PageRole};

pub fn paragraph(text: &str) -> Block {
    Block::Paragraph(vec![Inline::Text(text.to_string())])
}

pub fn code(lines: &[String]) -> Block {
    Block::CodeBlock {
        language: None,
        lines: lines.to_vec(),
    }
}

pub fn table(rows: usize) -> Block {
    let cell = |t: String| vec![Inline::Text(t)];
    Block::Table(Table {
        alignments: vec![Alignment::Left, Alignment::Right],
        header: vec![cell("Column A".into()), cell("Column B".into())],
        rows: (0..rows)
            .map(|r| vec![cell(format!("row {r}")), cell(format!("{}", r * 1000))])
            .collect(),
    })
}

const PROSE: &str = "Batch pipelines rarely fail loudly. These scenarios are about the loads that report \
success with missing rows, the retries that duplicate, and the one bad record or stuck lock that takes \
the morning down with it. A job that took forty minutes now takes six hours; a dashboard that was \
instant now times out at nine o'clock. Find where the time really goes before you buy more hardware.";

fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level,
        anchor: text.to_lowercase(),
        content: vec![Inline::Text(text.into())],
    }
}

fn question(n: usize) -> Vec<Block> {
    let mut blocks = vec![heading(2, "Situation")];
    for k in 0..(n % 3 + 2) {
        blocks.push(Block::Paragraph(vec![
            Inline::Text(format!("Paragraph {k}. ")),
            Inline::Strong(vec![Inline::Text("Strong words".into())]),
            Inline::Text(" and ".into()),
            Inline::Code("inline_code.identifier".into()),
            Inline::Text(format!(" then {PROSE}")),
        ]));
    }
    blocks.push(heading(2, "Your task"));
    blocks.push(Block::List {
        start: Some(1),
        items: (0..3)
            .map(|i| {
                vec![paragraph(&format!(
                    "Question {i}: what do you do first, and why?"
                ))]
            })
            .collect(),
    });
    blocks
}

fn answer(n: usize) -> Vec<Block> {
    let mut blocks = vec![
        heading(2, "Short answer"),
        paragraph(PROSE),
        heading(2, "Walkthrough"),
    ];
    for k in 0..(n % 4 + 3) {
        blocks.push(heading(3, &format!("Step {k}")));
        blocks.push(paragraph(PROSE));
        blocks.push(code(
            &(0..(k + 2))
                .map(|l| format!("SELECT {l} FROM table_{k} WHERE x = {l};"))
                .collect::<Vec<_>>(),
        ));
        blocks.push(Block::Quote(vec![paragraph(
            "A quoted remark from the incident channel.",
        )]));
    }
    blocks.push(table(5));
    blocks
}

/// A book of `categories` categories with `per_category` scenarios each.
pub fn sample_book(categories: usize, per_category: usize) -> Book {
    let mut number = 0;
    let tags = vec![
        Tag {
            id: "airflow".into(),
            name: "Airflow".into(),
        },
        Tag {
            id: "sql".into(),
            name: "SQL".into(),
        },
        Tag {
            id: "kafka".into(),
            name: "Apache Kafka".into(),
        },
    ];
    let categories = (1..=categories)
        .map(|c| Category {
            id: format!("cat-{c}"),
            number: c,
            title: format!("Category number {c}"),
            intro: vec![paragraph(PROSE)],
            promised: per_category,
            scenarios: (0..per_category)
                .map(|_| {
                    number += 1;
                    Scenario {
                        id: format!("scenario-{number}"),
                        number,
                        title: format!("The scenario numbered {number}"),
                        difficulty: Difficulty::Senior,
                        tags: vec![tags[number % 3].id.clone(), "sql".into()],
                        think_minutes: Some(15),
                        question: question(number),
                        answer: answer(number),
                        source: PathBuf::from(format!("s{number}.md")),
                    }
                })
                .collect(),
        })
        .collect();
    Book {
        meta: Metadata {
            title: "A Test Book".into(),
            subtitle: Some("For the print edition".into()),
            authors: vec!["The tests".into()],
            language: "en".into(),
            identifier: "urn:uuid:00000000-0000-0000-0000-000000000000".into(),
            description: "A book the tests build.".into(),
            publisher: Some("casebook".into()),
            date: "2026-01-02".into(),
            rights: "Copyright © 2026 the tests.".into(),
            cover: PathBuf::from("does/not/exist.png"),
            cover_file: None,
            paper: Some("6x9".into()),
            isbn: None,
            edition: None,
            printing: None,
            paper_stock: casebook::model::PaperStock::White,
            back_cover: None,
        },
        root: PathBuf::from("."),
        front: vec![Chapter {
            id: "01-intro".into(),
            title: "Introduction".into(),
            blocks: vec![paragraph(PROSE), paragraph(PROSE)],
            source: PathBuf::from("intro.md"),
        }],
        categories,
        back: Vec::new(),
        tags,
        labels: Default::default(),
    }
}

/// The text of a page, one string per baseline, top to bottom.
pub fn page_lines(page: &Page) -> Vec<String> {
    let mut runs: Vec<_> = page.text_runs().collect();
    runs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<(f32, String)> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some((baseline, text)) if (*baseline - run.baseline).abs() < 1.0 => {
                text.push_str(&run.text())
            }
            _ => lines.push((run.baseline, run.text())),
        }
    }
    lines.into_iter().map(|(_, t)| t).collect()
}

/// The text of one of a two-column page's columns (the left one, or the
/// right), one string per baseline, top to bottom.
pub fn column_lines(page: &Page, left: bool) -> Vec<String> {
    let middle = page.text_block.x + page.text_block.width / 2.0;
    let mut column = page.clone();
    column.items.retain(|item| match item {
        Item::Text(run) => (run.x < middle) == left,
        _ => false,
    });
    page_lines(&column)
}

/// Every item set outside its page's text block (cover pages excepted), as
/// readable descriptions; empty when the layout is clean.
pub fn items_outside_text_block(document: &Document) -> Vec<String> {
    let mut outside = Vec::new();
    for (index, page) in document.pages.iter().enumerate() {
        if page.role == PageRole::Cover {
            continue;
        }
        for item in &page.items {
            let bounds = item.bounds();
            // Glyph boxes are approximated by the type size, so allow a
            // little above the first line (ascenders) and below the last.
            let mut block = page.text_block;
            block.y -= 3.0;
            block.height += 6.0;
            if !block.contains(&bounds, 0.5) {
                outside.push(format!(
                    "page {index}: {bounds:?} outside {:?}: {item:?}",
                    page.text_block
                ));
            }
        }
    }
    outside
}

/// Checks that every "Answer on page N" / "Question on page M" names the
/// page its link lands on; returns how many pointers it checked.
pub fn check_pointers(document: &Document) -> usize {
    let destinations = document.destinations();
    let mut checked = 0;
    for page in &document.pages {
        for line in page_lines(page) {
            for (prefix, dest) in [
                ("Answer on page ", "answer-"),
                ("Question on page ", "question-"),
            ] {
                let Some(at) = line.find(prefix) else {
                    continue;
                };
                let number: String = line[at + prefix.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                let target = page
                    .links
                    .iter()
                    .find_map(|l| match &l.target {
                        LinkTarget::Internal(n) if n.starts_with(dest) => Some(n.clone()),
                        _ => None,
                    })
                    .expect("pointer is a link");
                let (target_page, _) = destinations[target.as_str()];
                assert_eq!(document.pages[target_page].label, number, "{line}");
                checked += 1;
            }
        }
    }
    checked
}
