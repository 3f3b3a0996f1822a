//! Source text before it is parsed: decoding (byte-order marks, invalid
//! UTF-8 at its line), characters XML forbids, and finding where a YAML key
//! or value stands so a problem serde cannot place still gets a line.

use std::path::Path;

use crate::diagnostic::{Diagnostic, LineIndex, Position};

const BYTE_ORDER_MARK: char = '\u{FEFF}';

/// UTF-8 text of a source file. A leading byte-order mark (which some
/// editors write) is dropped; bytes that are not UTF-8 are an error at the
/// line and column where they start.
pub fn decode_source(display: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with(BYTE_ORDER_MARK) {
                text.drain(..BYTE_ORDER_MARK.len_utf8());
            }
            Ok(text)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let at = LineIndex::new(&prefix).position(&prefix, prefix.len());
            Err(Diagnostic::error(
                display,
                at,
                format!("byte 0x{:02X} is not UTF-8 text", e.as_bytes()[valid]),
            )
            .with_hint("save the file as UTF-8"))
        }
    }
}

/// Characters that may not appear in XML 1.0 (and so in XHTML), or that it
/// discourages: C0 controls other than tab, line feed and carriage return,
/// DEL and the C1 controls, and the non-characters U+FFFE and U+FFFF. No font
/// draws them either.
pub fn is_forbidden_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

pub fn control_character_error(path: &Path, at: Position, c: char) -> Diagnostic {
    Diagnostic::error(
        path,
        at,
        format!("control character U+{:04X} in the text", c as u32),
    )
    .with_hint("delete it: control characters break the EPUB's XHTML and print as empty boxes")
}

/// The position of the `nth` (0-based) line `key: value` in a YAML text; of
/// the value's first line when it is written elsewhere (a list item, a
/// folded block), else of the first `key:`.
pub fn locate_value(text: &str, key: &str, value: &str, nth: usize) -> Position {
    let index = LineIndex::new(text);
    let first_line = value.lines().next().unwrap_or("").trim();
    let mut seen = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches("- ");
        if let Some(rest) = trimmed.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let rest = rest.trim().trim_matches(|c| c == '"' || c == '\'');
            if rest == value.trim() || (!first_line.is_empty() && rest == first_line) {
                if seen == nth {
                    return index.position(text, offset + line.find(rest).unwrap_or(0));
                }
                seen += 1;
            }
        }
        offset += line.len();
    }
    if !first_line.is_empty()
        && let Some(found) = text.find(first_line)
    {
        return index.position(text, found);
    }
    // The value is written differently (escaped, quoted, folded): point at
    // what follows the key.
    text.find(&format!("{key}:")).map_or(Position::START, |o| {
        let after = o + key.len() + 1;
        let gap = text[after..].len() - text[after..].trim_start_matches([' ', '\t']).len();
        index.position(text, after + gap)
    })
}

/// The position of the second line that starts with `key:` at the margin:
/// where a duplicated top-level key is repeated.
pub fn repeated_key(text: &str, key: &str) -> Option<Position> {
    let prefix = format!("{key}:");
    let mut offset = 0;
    let mut first = true;
    for line in text.split_inclusive('\n') {
        if line.starts_with(&prefix) {
            if !first {
                return Some(LineIndex::new(text).position(text, offset));
            }
            first = false;
        }
        offset += line.len();
    }
    None
}

/// Top-level keys written twice in a YAML mapping (serde keeps the last one
/// of a map silently, so `tags.yaml`'s duplicates are found here).
pub fn duplicate_keys(path: &Path, text: &str) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    let mut seen: Vec<(&str, usize)> = Vec::new();
    let mut found = Vec::new();
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let key = line
            .split_once(':')
            .map(|(k, _)| k)
            .filter(|k| !k.is_empty() && !k.starts_with([' ', '\t', '#', '-']));
        if let Some(key) = key {
            let key = key.trim_end().trim_matches(|c| c == '"' || c == '\'');
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                found.push(
                    Diagnostic::error(
                        path,
                        index.position(text, offset),
                        format!("key `{key}` is defined twice"),
                    )
                    .with_hint(format!("line {first} already defines it; keep one")),
                );
            } else {
                seen.push((key, number + 1));
            }
        }
        offset += line.len();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let text = decode_source(Path::new("a"), "\u{FEFF}title: x\n".as_bytes().to_vec()).unwrap();
        assert_eq!(text, "title: x\n");
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line_and_column() {
        let mut bytes = b"one\ntwo \xFF three\n".to_vec();
        let d = decode_source(Path::new("a.md"), std::mem::take(&mut bytes)).unwrap_err();
        assert_eq!((d.line, d.column), (2, 5));
        assert!(d.message.contains("0xFF"));
    }

    #[test]
    fn duplicate_top_level_keys_are_found_at_the_repeat() {
        let d = duplicate_keys(Path::new("tags.yaml"), "a: A\nb: B\n# c: C\na: again\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (4, 1));
        assert_eq!(
            repeated_key("t: 1\nx: 2\nt: 3\n", "t"),
            Some(Position::new(3, 1))
        );
    }

    #[test]
    fn controls_are_forbidden_but_tabs_and_newlines_are_not() {
        assert!(is_forbidden_control('\u{1}'));
        assert!(is_forbidden_control('\u{85}'));
        assert!(!is_forbidden_control('\t'));
        assert!(!is_forbidden_control('\n'));
        assert!(!is_forbidden_control('é'));
    }

    #[test]
    fn values_are_located_on_their_own_line() {
        let text = "categories:\n  - id: a\n    dir: x\n  - id: b\n    dir: x\n";
        assert_eq!(locate_value(text, "dir", "x", 1), Position::new(5, 10));
        assert_eq!(locate_value(text, "id", "b", 0), Position::new(4, 9));
    }
}
