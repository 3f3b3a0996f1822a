//! Diagnostics: every problem a user can cause in the sources becomes one
//! `Diagnostic` with a file, a line and a column, collected and shown all at
//! once, like a compiler's errors.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line; 0 when the problem belongs to the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: &Path, position: Position, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, position, message)
    }

    pub fn warning(path: &Path, position: Position, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, position, message)
    }

    fn new(
        severity: Severity,
        path: &Path,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            path: path.to_path_buf(),
            line: position.line,
            column: position.column,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.line.max(1),
            self.column.max(1),
            level,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl Diagnostic {
    fn level(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// One JSON object on one line, for editors and scripts:
    /// `{"path":…,"line":…,"column":…,"severity":…,"message":…,"hint":…}`.
    pub fn to_json(&self) -> String {
        let hint = self
            .hint
            .as_deref()
            .map_or_else(|| "null".to_string(), json_string);
        format!(
            "{{\"path\":{},\"line\":{},\"column\":{},\"severity\":\"{}\",\"message\":{},\"hint\":{}}}",
            json_string(&self.path.display().to_string()),
            self.line.max(1),
            self.column.max(1),
            self.level(),
            json_string(&self.message),
            hint
        )
    }

    /// A GitHub Actions workflow command, which the workflow page shows as an
    /// annotation on the file and line: `::error file=…,line=…,col=…::message`.
    pub fn to_github(&self) -> String {
        let mut message = self.message.clone();
        if let Some(hint) = &self.hint {
            message.push_str(&format!(" (hint: {hint})"));
        }
        format!(
            "::{} file={},line={},col={}::{}",
            self.level(),
            github_property(&self.path.display().to_string()),
            self.line.max(1),
            self.column.max(1),
            github_data(&message)
        )
    }
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Workflow-command escaping of a message.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow-command escaping of a property value (also `:` and `,`).
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
}

/// Maps byte offsets in a text to line and column, for diagnostics.
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let end = offset.min(text.len());
        let column = text.get(start..end).map_or(1, |s| s.chars().count() + 1);
        Position::new(line + 1, column)
    }
}

/// Sorts diagnostics by file and position so the report reads top to bottom.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_character_columns() {
        let text = "ab\nc—d\n\nxyz";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position::new(1, 1));
        assert_eq!(index.position(text, 3), Position::new(2, 1));
        // 'd' follows a three-byte em dash: column 3, not 5.
        assert_eq!(
            index.position(text, text.find('d').unwrap()),
            Position::new(2, 3)
        );
        assert_eq!(
            index.position(text, text.find('x').unwrap()),
            Position::new(4, 1)
        );
    }

    #[test]
    fn json_and_github_formats_escape_what_they_must() {
        let d = Diagnostic::warning(
            Path::new("book/a, b.md"),
            Position::new(3, 7),
            "a \"quoted\" word\nand 100%",
        )
        .with_hint("fix: it");
        assert_eq!(
            d.to_json(),
            r#"{"path":"book/a, b.md","line":3,"column":7,"severity":"warning","message":"a \"quoted\" word\nand 100%","hint":"fix: it"}"#
        );
        assert_eq!(
            d.to_github(),
            "::warning file=book/a%2C b.md,line=3,col=7::a \"quoted\" word%0Aand 100%25 (hint: fix: it)"
        );
        let plain = Diagnostic::error(Path::new("x.md"), Position::START, "m");
        assert!(plain.to_json().ends_with(r#""hint":null}"#));
    }

    #[test]
    fn display_matches_compiler_style() {
        let d = Diagnostic::error(Path::new("book/a.md"), Position::new(3, 7), "bad thing")
            .with_hint("do this");
        assert_eq!(
            d.to_string(),
            "book/a.md:3:7: error: bad thing\n  hint: do this"
        );
    }
}
