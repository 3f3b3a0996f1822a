//! `casebook new`: writes a new scenario file with the next number in its
//! category and every section the content guide requires, ready to fill in.

use std::path::PathBuf;

use crate::document::slugify;
use crate::load::config::BookConfig;

pub fn new_scenario(
    book_dir: &std::path::Path,
    category_id: &str,
    title: &str,
) -> Result<PathBuf, String> {
    let book_path = book_dir.join(crate::load::BOOK_FILE);
    let text = std::fs::read_to_string(&book_path)
        .map_err(|e| format!("cannot read {}: {e}", book_path.display()))?;
    let config: BookConfig =
        crate::load::parse_yaml(&book_path, &text, 0).map_err(|d| d.to_string())?;
    let Some(category) = config.categories.iter().find(|c| c.id == category_id) else {
        let ids: Vec<&str> = config.categories.iter().map(|c| c.id.as_str()).collect();
        return Err(format!(
            "no category `{category_id}` in book.yaml; the categories are: {}",
            ids.join(", ")
        ));
    };
    let slug = slugify(title);
    if slug.is_empty() {
        return Err("the title needs at least one letter or digit".into());
    }
    let dir = book_dir.join(&category.dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let next = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .split('-')
                .next()?
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap_or(0)
        + 1;
    let path = dir.join(format!("{next:02}-{slug}.md"));
    if path.exists() {
        return Err(format!(
            "{} already exists; nothing was written",
            path.display()
        ));
    }
    std::fs::write(&path, template(&slug, title))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn template(id: &str, title: &str) -> String {
    let title = title.replace('"', "'");
    format!(
        "---
id: {id}
title: \"{title}\"
difficulty: mid            # junior | mid | senior | staff
tags: []                   # 1-6 ids from book/tags.yaml
think_minutes: 15
---
## Situation

A fictional company, its system (tools, volume, schedule, who depends on it), what
happened and when, who is asking. Real numbers. Symptoms, not the root cause.

## Constraints

- The clock:
- What you may not do:
- Who is watching:

## What you have

Evidence to reason from: a log excerpt, a query result, a metric table, a config.

## Your task

1. What do you do in the first 30 minutes?
2. How do you find the cause?
3. How do you repair the data without loss, and stop it recurring?

# Answer

## Short answer

The decision in two to four sentences.

## Walkthrough

### Contain

### Diagnose

### Fix

### Verify

### Prevent

## Trade-offs

| Option | When it is right | Cost |
|---|---|---|
| | | |

## Common mistakes

- 

## What interviewers listen for

- 

## Takeaway

One sentence worth remembering.
"
    )
}

/// The guidance every new book's scenarios start with: what belongs in each
/// section, written so that the new book passes `check --strict` at once.
const GUIDE_QUESTION: &str = include_str!("scaffold_text/question.md");
const GUIDE_ANSWER: &str = include_str!("scaffold_text/answer.md");

/// `casebook init`: a new book in `dir` (which must be new or empty) that
/// builds and passes `check --strict` at once: `book.yaml` with a fresh
/// identifier and today's date, `tags.yaml`, one front chapter, two
/// categories with one scenario each, and a generated cover. Returns the
/// files written.
pub fn init_book(
    dir: &std::path::Path,
    title: &str,
    language: &str,
) -> Result<Vec<PathBuf>, String> {
    if title.trim().is_empty() || slugify(title).is_empty() {
        return Err("the title needs at least one letter or digit".into());
    }
    if !crate::load::is_language_tag(language) {
        return Err(format!(
            "`{language}` is not a BCP 47 language tag; use e.g. `en`, `en-GB` or `de`"
        ));
    }
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| format!("{} exists and cannot be read: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "{} is not empty; init writes only into a new or empty folder, so nothing was written",
                dir.display()
            ));
        }
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let today = chrono::DateTime::from_timestamp(seconds, 0).map_or_else(
        || "2026-01-01".to_string(),
        |d| d.format("%Y-%m-%d").to_string(),
    );
    let year = &today[..4];
    let quoted = |text: &str| format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
    let book_yaml = format!(
        r#"# The book's metadata and structure; `casebook check` validates every key.
title: {title}
authors:
  - "Your Name"
language: {language}
# Generated once by `casebook init`; never change it (readers match editions by it).
identifier: "urn:uuid:{uuid}"
description: >-
  One paragraph on what the book is for and who it is for; it goes into the
  EPUB's metadata.
date: {today}
rights: "Copyright © {year} Your Name. All rights reserved."
cover: cover.png
paper: a4
front:
  - front/01-introduction.md
categories:
  - id: first-category
    title: "First Category"
    dir: scenarios/01-first-category
    count: 1
    intro: "What the scenarios of this category have in common."
  - id: second-category
    title: "Second Category"
    dir: scenarios/02-second-category
    count: 1
    intro: "What the scenarios of this category have in common."
"#,
        title = quoted(title),
        uuid = uuid::Uuid::new_v4(),
    );
    let tags_yaml = "# Tag id: display name. Scenarios may use only these ids.
incident-response: Incident response
data-quality: Data quality
pipelines: Pipelines
";
    let introduction = "# Introduction\n\n\
This book holds {{scenario-count}} scenarios in {{category-count}} categories. Each one is a \
question that makes the reader decide, then an answer that shows how an experienced engineer \
decides and why.\n\n\
{{category-table}}\n";
    let scenario = |id: &str, title: &str, tag: &str| {
        format!(
            "---\nid: {id}\ntitle: \"{title}\"\ndifficulty: mid\ntags: [{tag}]\nthink_minutes: 15\n---\n\
{GUIDE_QUESTION}\n# Answer\n\n{GUIDE_ANSWER}"
        )
    };
    let files: Vec<(PathBuf, String)> = vec![
        (dir.join(crate::load::BOOK_FILE), book_yaml),
        (dir.join(crate::load::TAGS_FILE), tags_yaml.to_string()),
        (
            dir.join("front/01-introduction.md"),
            introduction.to_string(),
        ),
        (
            dir.join("scenarios/01-first-category/01-your-first-scenario.md"),
            scenario(
                "your-first-scenario",
                "Your First Scenario",
                "incident-response",
            ),
        ),
        (
            dir.join("scenarios/02-second-category/01-another-scenario.md"),
            scenario("another-scenario", "Another Scenario", "data-quality"),
        ),
    ];
    let created = !dir.exists();
    let result = write_new_book(dir, files);
    if result.is_err() {
        // Leave nothing half-made: the folder was new or empty.
        if created {
            let _ = std::fs::remove_dir_all(dir);
        } else if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_dir_all(entry.path())
                    .or_else(|_| std::fs::remove_file(entry.path()));
            }
        }
    }
    result
}

fn write_new_book(
    dir: &std::path::Path,
    files: Vec<(PathBuf, String)>,
) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    written.push(crate::cover::render_cover_file(dir, None)?);
    Ok(written)
}
