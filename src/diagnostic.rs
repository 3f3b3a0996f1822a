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
    fn display_matches_compiler_style() {
        let d = Diagnostic::error(Path::new("book/a.md"), Position::new(3, 7), "bad thing")
            .with_hint("do this");
        assert_eq!(
            d.to_string(),
            "book/a.md:3:7: error: bad thing\n  hint: do this"
        );
    }
}
