//! The book model: what the loader makes of `book/`, and what every stage after
//! it (checks, EPUB, print) reads. Plain data; no I/O.

use std::path::PathBuf;

use crate::document::Block;

#[derive(Debug, Clone)]
pub struct Book {
    pub meta: Metadata,
    /// The `book/` folder the sources came from.
    pub root: PathBuf,
    pub front: Vec<Chapter>,
    pub categories: Vec<Category>,
    pub back: Vec<Chapter>,
    pub tags: Vec<Tag>,
    /// The words casebook writes, in the book's language.
    pub labels: crate::labels::Labels,
}

#[derive(Debug, Clone)]
pub struct Metadata {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub language: String,
    /// Stable `urn:uuid:…`, never regenerated per build.
    pub identifier: String,
    pub description: String,
    pub publisher: Option<String>,
    /// Edition date, `YYYY-MM-DD`.
    pub date: String,
    pub rights: String,
    /// The cover's path as `book.yaml` names it (under the book folder);
    /// where `casebook cover` writes.
    pub cover: PathBuf,
    /// The cover's canonical path, when it exists and lies where a cover may
    /// (see `load::paths`): the file the editions read.
    pub cover_file: Option<PathBuf>,
    /// Default paper for the print edition (`a4`, `letter`, `6x9`).
    pub paper: Option<String>,
    /// ISBN-13 as `book.yaml` writes it (validated by the loader).
    pub isbn: Option<String>,
    pub edition: Option<String>,
    pub printing: Option<String>,
    /// The print interior's paper, which sets the cover's spine width.
    pub paper_stock: PaperStock,
    /// The back cover's text (`book.yaml`'s `back_cover`, else the description).
    pub back_cover: Option<String>,
}

/// The paper a print-on-demand service prints the interior on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaperStock {
    /// KDP's black-and-white on white paper: the default for non-fiction.
    #[default]
    White,
    Cream,
}

impl PaperStock {
    pub fn parse(text: &str) -> Option<PaperStock> {
        match text {
            "white" => Some(PaperStock::White),
            "cream" => Some(PaperStock::Cream),
            _ => None,
        }
    }
}

/// The 13 digits of an ISBN-13 written with or without hyphens and spaces,
/// or what is wrong with it. The check digit makes the weighted sum (1, 3,
/// 1, 3, …) of all 13 digits a multiple of 10 (ISO 2108).
pub fn isbn13_digits(text: &str) -> Result<String, String> {
    let digits: String = text.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{text}` is not 13 digits"));
    }
    if !digits.starts_with("978") && !digits.starts_with("979") {
        return Err(format!("`{text}` does not start with 978 or 979"));
    }
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(k, b)| (b - b'0') as u32 * if k % 2 == 0 { 1 } else { 3 })
        .sum();
    if !sum.is_multiple_of(10) {
        let body: u32 = sum - (digits.as_bytes()[12] - b'0') as u32;
        let expected = (10 - body % 10) % 10;
        return Err(format!(
            "`{text}` has check digit {} where its other digits give {expected}",
            digits.as_bytes()[12] as char
        ));
    }
    Ok(digits)
}

#[derive(Debug, Clone)]
pub struct Chapter {
    /// File stem, used for file names and links (`01-what-this-is`).
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
    pub source: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    /// 1-based position in the book.
    pub number: usize,
    pub title: String,
    pub intro: Vec<Block>,
    /// How many scenarios `book.yaml` promises.
    pub promised: usize,
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub id: String,
    /// Global number, 1… in book order.
    pub number: usize,
    pub title: String,
    pub difficulty: Difficulty,
    /// Tag ids, in the order the author wrote them.
    pub tags: Vec<String>,
    pub think_minutes: Option<u32>,
    pub question: Vec<Block>,
    pub answer: Vec<Block>,
    pub source: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difficulty {
    Junior,
    Mid,
    Senior,
    Staff,
}

impl Difficulty {
    pub const ALL: [Difficulty; 4] = [
        Difficulty::Junior,
        Difficulty::Mid,
        Difficulty::Senior,
        Difficulty::Staff,
    ];

    pub fn parse(text: &str) -> Option<Difficulty> {
        Self::ALL.into_iter().find(|d| d.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Junior => "junior",
            Difficulty::Mid => "mid",
            Difficulty::Senior => "senior",
            Difficulty::Staff => "staff",
        }
    }

    /// As printed in the meta line: "Senior".
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Junior => "Junior",
            Difficulty::Mid => "Mid-level",
            Difficulty::Senior => "Senior",
            Difficulty::Staff => "Staff",
        }
    }
}

#[cfg(test)]
mod isbn_tests {
    use super::*;

    #[test]
    fn isbn13_check_digits_are_verified() {
        assert_eq!(
            isbn13_digits("978-0-306-40615-7").as_deref(),
            Ok("9780306406157")
        );
        let wrong = isbn13_digits("978-0-306-40615-2").unwrap_err();
        assert!(wrong.contains("give 7"), "{wrong}");
        assert!(isbn13_digits("978030640615").is_err());
        assert!(isbn13_digits("1230306406157").is_err());
    }
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub id: String,
    pub name: String,
}

impl Book {
    pub fn scenarios(&self) -> impl Iterator<Item = (&Category, &Scenario)> {
        self.categories
            .iter()
            .flat_map(|c| c.scenarios.iter().map(move |s| (c, s)))
    }

    pub fn scenario_count(&self) -> usize {
        self.categories.iter().map(|c| c.scenarios.len()).sum()
    }

    pub fn tag_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.tags
            .iter()
            .find(|t| t.id == id)
            .map_or(id, |t| t.name.as_str())
    }

    /// Every tag that at least one scenario carries, sorted by display name,
    /// with the numbers of the scenarios that carry it: the topic index.
    pub fn topic_index(&self) -> Vec<(&Tag, Vec<&Scenario>)> {
        let mut entries: Vec<(&Tag, Vec<&Scenario>)> = self
            .tags
            .iter()
            .map(|tag| {
                let carriers = self
                    .scenarios()
                    .map(|(_, s)| s)
                    .filter(|s| s.tags.contains(&tag.id));
                (tag, carriers.collect::<Vec<_>>())
            })
            .filter(|(_, scenarios)| !scenarios.is_empty())
            .collect();
        entries.sort_by_key(|(tag, _)| tag.name.to_lowercase());
        entries
    }

    /// The line under a scenario's title: "Senior · Airflow, Completeness checks · think 15 min".
    pub fn meta_line(&self, scenario: &Scenario) -> String {
        let tags: Vec<&str> = scenario.tags.iter().map(|t| self.tag_name(t)).collect();
        let difficulty = self.labels.difficulty(scenario.difficulty);
        let mut line = format!("{difficulty} · {}", tags.join(", "));
        if let Some(minutes) = scenario.think_minutes {
            let think = crate::markdown::tie_numbers_to_units(&self.labels.think_time(minutes));
            line.push_str(&format!(" · {think}"));
        }
        line
    }
}

impl Scenario {
    /// "Scenario 12: The Load That Succeeded With Half the Rows".
    pub fn heading(&self, labels: &crate::labels::Labels) -> String {
        format!("{} {}: {}", labels.scenario, self.number, self.title)
    }
}
