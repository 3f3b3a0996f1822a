//! The shape of one scenario: the sections the content guide requires, in
//! order, and each half's word range.

use std::ops::RangeInclusive;

use crate::diagnostic::Diagnostic;
use crate::document::{Block, count_words, plain_text};
use crate::load::{SourceFile, SourceKind};
use crate::model::Scenario;

pub const QUESTION_SECTIONS: [&str; 3] = ["Situation", "Constraints", "Your task"];
pub const ANSWER_SECTIONS: [&str; 6] = [
    "Short answer",
    "Walkthrough",
    "Trade-offs",
    "Common mistakes",
    "What interviewers listen for",
    "Takeaway",
];

/// The content guide's word ranges for each half.
pub struct WordRange;
impl WordRange {
    pub const QUESTION: RangeInclusive<usize> = 150..=400;
    pub const ANSWER: RangeInclusive<usize> = 450..=1200;
}

pub fn check_scenario(file: &SourceFile, scenario: &Scenario, found: &mut Vec<Diagnostic>) {
    let SourceKind::Scenario {
        question_start,
        answer_heading,
        ..
    } = &file.kind
    else {
        return;
    };
    let question_at = file.position(*question_start);

    // Level-1 headings belong to the book; only `# Answer` may appear.
    for heading in file.facts.headings.iter().filter(|h| h.level == 1) {
        let is_split = answer_heading
            .as_ref()
            .is_some_and(|a| a.start == heading.range.start);
        if !is_split {
            found.push(
                Diagnostic::error(
                    &file.path,
                    file.position(heading.range.start),
                    format!("level-1 heading `# {}` in a scenario", heading.text),
                )
                .with_hint("use `##` for sections; `# Answer` is the only level-1 heading"),
            );
        }
    }

    if scenario.question.is_empty() {
        found.push(Diagnostic::error(
            &file.path,
            question_at,
            "the question half is empty",
        ));
    } else {
        check_sections(
            file,
            &scenario.question,
            &QUESTION_SECTIONS,
            "question",
            *question_start,
            found,
        );
        check_words(
            file,
            &scenario.question,
            WordRange::QUESTION,
            "question",
            *question_start,
            found,
        );
    }
    if let Some(heading) = answer_heading {
        if scenario.answer.is_empty() {
            found.push(
                Diagnostic::error(
                    &file.path,
                    file.position(heading.start),
                    "the answer half is empty",
                )
                .with_hint("write the answer after `# Answer`"),
            );
        } else {
            check_sections(
                file,
                &scenario.answer,
                &ANSWER_SECTIONS,
                "answer",
                heading.start,
                found,
            );
            check_words(
                file,
                &scenario.answer,
                WordRange::ANSWER,
                "answer",
                heading.start,
                found,
            );
        }
    }
    check_heading_order(file, found);
}

fn check_sections(
    file: &SourceFile,
    blocks: &[Block],
    required: &[&str],
    half: &str,
    at: usize,
    found: &mut Vec<Diagnostic>,
) {
    let present: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading {
                level: 2, content, ..
            } => Some(plain_text(content)),
            _ => None,
        })
        .collect();
    let missing: Vec<String> = required
        .iter()
        .filter(|section| !present.iter().any(|p| p == *section))
        .map(|section| format!("`## {section}`"))
        .collect();
    if !missing.is_empty() {
        let noun = if missing.len() == 1 {
            "section"
        } else {
            "sections"
        };
        found.push(
            Diagnostic::error(
                &file.path,
                file.position(at),
                format!("the {half} lacks the {noun} {}", missing.join(", ")),
            )
            .with_hint(format!(
                "the {half} needs, in order: {}",
                required
                    .iter()
                    .map(|s| format!("`## {s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    // Sections that are present must keep the guide's order.
    let positions: Vec<(usize, &str)> = required
        .iter()
        .filter_map(|section| {
            present
                .iter()
                .position(|p| p == section)
                .map(|i| (i, *section))
        })
        .collect();
    for pair in positions.windows(2) {
        if pair[1].0 < pair[0].0 {
            let offset = heading_offset(file, pair[1].1).unwrap_or(at);
            found.push(
                Diagnostic::warning(
                    &file.path,
                    file.position(offset),
                    format!("`## {}` comes before `## {}`", pair[1].1, pair[0].1),
                )
                .with_hint(format!("the order is: {}", required.join(", "))),
            );
        }
    }
}

fn heading_offset(file: &SourceFile, text: &str) -> Option<usize> {
    file.facts
        .headings
        .iter()
        .find(|h| h.level == 2 && h.text == text)
        .map(|h| h.range.start)
}

fn check_words(
    file: &SourceFile,
    blocks: &[Block],
    range: RangeInclusive<usize>,
    half: &str,
    at: usize,
    found: &mut Vec<Diagnostic>,
) {
    let words = count_words(blocks);
    if !range.contains(&words) {
        found.push(
            Diagnostic::warning(
                &file.path,
                file.position(at),
                format!(
                    "the {half} has {words} words; the guide asks for {} to {}",
                    range.start(),
                    range.end()
                ),
            )
            .with_hint(if words < *range.start() {
                "add the specifics a reader needs to decide"
            } else {
                "cut what does not help the reader decide"
            }),
        );
    }
}

/// Headings must not skip levels (`##` then `####`): screen readers navigate by them.
fn check_heading_order(file: &SourceFile, found: &mut Vec<Diagnostic>) {
    let mut previous = 1;
    for heading in &file.facts.headings {
        if heading.level > previous + 1 {
            found.push(
                Diagnostic::warning(
                    &file.path,
                    file.position(heading.range.start),
                    format!("heading level jumps from {previous} to {}", heading.level),
                )
                .with_hint("use the next level down, e.g. `###` under `##`"),
            );
        }
        previous = heading.level;
    }
}
