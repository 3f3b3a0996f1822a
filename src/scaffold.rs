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
