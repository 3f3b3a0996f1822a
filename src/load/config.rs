//! The shapes of `book.yaml`, `tags.yaml` and a scenario's front matter, as
//! serde reads them. Unknown keys are errors, so a typo never goes unnoticed.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookConfig {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub language: String,
    pub identifier: String,
    pub description: String,
    pub publisher: Option<String>,
    pub date: String,
    pub rights: String,
    pub cover: String,
    /// Default paper size of the print edition.
    pub paper: Option<String>,
    /// ISBN-13 of the print edition (hyphens and spaces allowed).
    pub isbn: Option<String>,
    /// "Second edition" and the like, for the copyright page.
    pub edition: Option<String>,
    /// The printing line ("10 9 8 7 6 5 4 3 2 1"), for the copyright page.
    pub printing: Option<String>,
    /// The print interior's paper (`white` or `cream`): sets the spine width.
    pub paper_stock: Option<String>,
    /// The back cover's text (default: `description`).
    pub back_cover: Option<String>,
    pub front: Vec<String>,
    pub categories: Vec<CategoryConfig>,
    #[serde(default)]
    pub back: Vec<String>,
    /// Overrides of the words casebook writes ("Scenario", "Answer on
    /// page"…), by key; see `labels.rs`.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    pub id: String,
    pub title: String,
    pub dir: String,
    pub count: usize,
    /// A Markdown file (ending in `.md`) or a short Markdown text.
    pub intro: String,
}

/// `tags.yaml`: tag id → display name, in the file's order.
pub type TagsConfig = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub id: String,
    pub title: String,
    pub difficulty: String,
    pub tags: Vec<String>,
    pub think_minutes: Option<u32>,
}
