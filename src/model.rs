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
