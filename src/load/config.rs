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
    /// The print edition's ISBN, as printed ("978-…", hyphenated as given).
    pub isbn: Option<String>,
    /// The edition line of the copyright page ("First edition").
    pub edition: Option<String>,
    /// The printing line of the copyright page ("First printing, May 2027").
    pub printing: Option<String>,
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
