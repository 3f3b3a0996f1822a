//! `casebook stats`: promised versus present per category, words per scenario
//! (min/median/max), and the difficulty mix, with totals for the book.

use std::fmt::Write;

use crate::document::count_words;
use crate::model::{Book, Difficulty, Scenario};

pub fn report(book: &Book) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<40} {:>9}  {:>15}  {:>23}",
        "category", "scenarios", "words min/med/max", "junior/mid/senior/staff"
    );
    let mut all: Vec<&Scenario> = Vec::new();
    for category in &book.categories {
        let scenarios: Vec<&Scenario> = category.scenarios.iter().collect();
        let _ = writeln!(
            out,
            "{:<40} {:>9}  {:>15}  {:>23}",
            truncate(&category.title, 40),
            format!("{}/{}", scenarios.len(), category.promised),
            word_summary(&scenarios),
            difficulty_mix(&scenarios)
        );
        all.extend(scenarios);
    }
    let promised: usize = book.categories.iter().map(|c| c.promised).sum();
    let _ = writeln!(
        out,
        "{:<40} {:>9}  {:>15}  {:>23}",
        "total",
        format!("{}/{}", all.len(), promised),
        word_summary(&all),
        difficulty_mix(&all)
    );
    let total_words: usize = all.iter().map(|s| words(s)).sum();
    let _ = writeln!(
        out,
        "\n{} words in scenarios; difficulty share: {}",
        total_words,
        difficulty_share(&all)
    );
    out
}

fn words(scenario: &Scenario) -> usize {
    count_words(&scenario.question) + count_words(&scenario.answer)
}

fn word_summary(scenarios: &[&Scenario]) -> String {
    let mut counts: Vec<usize> = scenarios.iter().map(|s| words(s)).collect();
    if counts.is_empty() {
        return "-".into();
    }
    counts.sort_unstable();
    format!(
        "{}/{}/{}",
        counts[0],
        counts[counts.len() / 2],
        counts[counts.len() - 1]
    )
}

fn difficulty_mix(scenarios: &[&Scenario]) -> String {
    Difficulty::ALL
        .iter()
        .map(|d| {
            scenarios
                .iter()
                .filter(|s| s.difficulty == *d)
                .count()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn difficulty_share(scenarios: &[&Scenario]) -> String {
    let total = scenarios.len().max(1) as f64;
    Difficulty::ALL
        .iter()
        .map(|d| {
            let n = scenarios.iter().filter(|s| s.difficulty == *d).count() as f64;
            format!("{} {:.0}%", d.as_str(), 100.0 * n / total)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

/// One line per scenario: number, difficulty, words in each half, file.
pub fn scenario_list(book: &Book) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>4}  {:<7} {:>8} {:>7}  file",
        "#", "level", "question", "answer"
    );
    for (_, scenario) in book.scenarios() {
        let _ = writeln!(
            out,
            "{:>4}  {:<7} {:>8} {:>7}  {}",
            scenario.number,
            scenario.difficulty.as_str(),
            count_words(&scenario.question),
            count_words(&scenario.answer),
            scenario.source.display()
        );
    }
    out
}
