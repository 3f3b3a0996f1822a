//! One scenario file: YAML front matter between `---` lines, the question,
//! the `# Answer` heading, the answer.

use std::path::Path;

use super::config::FrontMatter;
use super::{SourceFile, SourceKind, is_kebab_case, locate, parse_yaml, read_source_at};
use crate::diagnostic::{Diagnostic, LineIndex, Position};
use crate::markdown::{self, SourceFacts};
use crate::model::{Difficulty, Scenario};

/// A sensible thinking time before turning to the answer.
const THINK_MINUTES: std::ops::RangeInclusive<u32> = 5..=60;

/// `NN-<slug>.md`: two or more digits, a hyphen, a name.
fn has_numbered_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let digits = name.chars().take_while(char::is_ascii_digit).count();
    digits >= 2 && name[digits..].starts_with('-') && name.len() > digits + 4
}

/// The pieces of a scenario's text, before the model is built.
pub struct ScenarioParts<'a> {
    pub front_matter: &'a str,
    /// Line of the front matter's first YAML line, minus one.
    pub front_matter_line_offset: usize,
    pub body_start: usize,
}

/// Splits `---\n<yaml>\n---\n<body>`; `None` when the file has no front matter.
pub fn parse_scenario(text: &str) -> Option<ScenarioParts<'_>> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let open_len = text.len() - rest.len();
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some(ScenarioParts {
                front_matter: &rest[..offset],
                front_matter_line_offset: 1,
                body_start: open_len + offset + line.len(),
            });
        }
        offset += line.len();
    }
    None
}

/// Loads the scenario file at `canonical`; diagnostics name `path`, the
/// file as the author knows it.
pub(super) fn load_scenario(
    path: &Path,
    canonical: &Path,
    number: usize,
) -> Result<(Scenario, SourceFile, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = read_source_at(path, canonical).map_err(|d| vec![d])?;
    let Some(parts) = parse_scenario(&text) else {
        return Err(vec![
            Diagnostic::error(path, Position::START, "scenario has no front matter").with_hint(
                "start the file with `---`, the keys id, title, difficulty and tags, then `---`",
            ),
        ]);
    };
    let front: FrontMatter = parse_yaml(path, parts.front_matter, parts.front_matter_line_offset)
        .map_err(|d| vec![d])?;
    let body_start = parts.body_start;

    let mut problems = Vec::new();
    let index = LineIndex::new(&text);
    let key_position = |key: &str| {
        let p = locate(parts.front_matter, key);
        Position::new(p.line + parts.front_matter_line_offset, p.column)
    };
    if !is_kebab_case(&front.id) {
        problems.push(
            Diagnostic::error(
                path,
                key_position("id:"),
                format!("scenario id `{}` is not kebab-case", front.id),
            )
            .with_hint("use lower-case words joined by hyphens"),
        );
    }
    let difficulty = Difficulty::parse(&front.difficulty).unwrap_or_else(|| {
        problems.push(
            Diagnostic::error(
                path,
                key_position("difficulty:"),
                format!("unknown difficulty `{}`", front.difficulty),
            )
            .with_hint("use junior, mid, senior or staff"),
        );
        Difficulty::Mid
    });
    if let Some(minutes) = front.think_minutes
        && !THINK_MINUTES.contains(&minutes)
    {
        problems.push(
            Diagnostic::warning(
                path,
                key_position("think_minutes:"),
                format!("think time of {minutes} minutes"),
            )
            .with_hint(
                "suggest 5 to 60 minutes: long enough to decide, short enough to sit through",
            ),
        );
    }
    if !has_numbered_name(path) {
        problems.push(
            Diagnostic::warning(
                path,
                Position::START,
                "scenario file name does not start with a number",
            )
            .with_hint(
                "name it `NN-<slug>.md` (e.g. `03-late-file.md`): files are ordered by name",
            ),
        );
    }
    if front.title.trim().is_empty() {
        problems.push(Diagnostic::error(
            path,
            key_position("title:"),
            "scenario title is empty",
        ));
    }

    let body = &text[parts.body_start..];
    let answer_heading = markdown::find_answer_heading(body)
        .map(|r| r.start + parts.body_start..r.end + parts.body_start);
    let (question, answer, facts) = match &answer_heading {
        Some(heading) => {
            let q = markdown::parse(&text[parts.body_start..heading.start], parts.body_start);
            let a = markdown::parse(&text[heading.end..], heading.end);
            (q.blocks, a.blocks, merge_facts(q.facts, a.facts))
        }
        None => {
            problems.push(
                Diagnostic::error(
                    path,
                    index.position(&text, text.len()),
                    "scenario has no `# Answer` heading",
                )
                .with_hint("put a line `# Answer` between the question and the answer"),
            );
            let q = markdown::parse(body, parts.body_start);
            (q.blocks, Vec::new(), q.facts)
        }
    };

    let scenario = Scenario {
        id: front.id,
        number,
        title: crate::markdown::smart_punctuation(&front.title),
        difficulty,
        tags: front.tags,
        think_minutes: front.think_minutes,
        question,
        answer,
        source: path.to_path_buf(),
    };
    let source = SourceFile {
        path: path.to_path_buf(),
        text,
        kind: SourceKind::Scenario {
            number,
            question_start: body_start,
            answer_heading,
        },
        facts,
    };
    Ok((scenario, source, problems))
}

fn merge_facts(mut a: SourceFacts, b: SourceFacts) -> SourceFacts {
    a.headings.extend(b.headings);
    a.links.extend(b.links);
    a.images.extend(b.images);
    a.raw_html.extend(b.raw_html);
    a.decoded.extend(b.decoded);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_from_body() {
        let text = "---\nid: x\ntitle: T\n---\n## Situation\n";
        let parts = parse_scenario(text).unwrap();
        assert_eq!(parts.front_matter, "id: x\ntitle: T\n");
        assert_eq!(&text[parts.body_start..], "## Situation\n");
    }

    #[test]
    fn file_without_closing_fence_has_no_front_matter() {
        assert!(parse_scenario("---\nid: x\n## Situation\n").is_none());
        assert!(parse_scenario("## Situation\n").is_none());
    }
}
