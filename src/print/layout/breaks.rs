//! Where a word may break, and what the break shows: a hyphen from the
//! language's patterns, nothing after a word's own hyphen or dash, or —
//! inside inline code, paths and URLs — a continuation mark after `_`, `.`
//! or `/`.

use crate::print::hyphenate::Hyphenation;

/// A hyphen's cost (TeX's `\hyphenpenalty`, 50 in plain TeX), raised so
/// a hyphen is taken only where it saves a visibly loose line: measured on
/// the real book at 6×9, 50 hyphenates about one justified line in ten,
/// 300 one in eighteen, for a median space 1.10× its natural width.
pub const HYPHEN_PENALTY: f32 = 300.0;
/// A break after a word's own hyphen ("trade-/offs") shows a hyphen just
/// as an added one does, so it costs the same (TeX's `\exhyphenpenalty`).
pub const EXPLICIT_HYPHEN_PENALTY: f32 = HYPHEN_PENALTY;
/// Breaking after a dash ("10–/15", "—/then"): no ladder of hyphens, but a
/// dash ending a line still reads as a pause in the wrong place.
pub const DASH_PENALTY: f32 = 100.0;
/// Breaking an identifier or URL after `_`, `.` or `/`, with a mark: a
/// reader copying the name must stop and think, so the breaker would
/// rather set a line at about 1.4 times its stretch than do it.
pub const IDENTIFIER_BREAK_PENALTY: f32 = 300.0;
/// Characters kept before the separator and after it when an identifier
/// breaks, so neither line holds a lone `x_` or `.py`.
const IDENTIFIER_MIN_PIECE: usize = 2;

/// What a break inside a word shows at the line's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// A hyphen is added ("offi-/cer").
    Hyphen,
    /// After the word's own hyphen: nothing is added, but the line ends in
    /// a hyphen (it counts against hyphen ladders).
    AfterHyphen,
    /// After a dash: nothing is added.
    AfterDash,
    /// Inside an identifier (code, a path, a URL): the continuation mark
    /// is added, so nobody copies the break as part of the name.
    Identifier,
}

impl BreakKind {
    /// Whether the line ends in a hyphen a reader sees (TeX's flagged
    /// penalty: consecutive ones cost `DOUBLE_HYPHEN_DEMERITS`).
    pub fn flagged(self) -> bool {
        matches!(self, BreakKind::Hyphen | BreakKind::AfterHyphen)
    }
}

/// A place a word may break: the byte offset of the text after the break.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakPoint {
    pub offset: usize,
    pub cost: f32,
    pub kind: BreakKind,
}

/// Whether `word` (whitespace-free) is an identifier: inline code, a URL,
/// a name with `_`, or a long token that is not all letters (German and
/// Dutch compounds run past 24 letters too; CamelCase stays an identifier).
fn is_identifier(word: &str, code: bool) -> bool {
    let core = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    let camel = core
        .chars()
        .zip(core.chars().skip(1))
        .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    let letters_only = core.chars().all(char::is_alphabetic) && !camel;
    code || word.contains("://")
        || word.contains('_')
        || (word.chars().count() > 24 && !letters_only)
}

/// Where `word` may break, in order of offset. Identifiers break only
/// after `_`, `.` or `/` (never at `-`, `(` or `:`, which are part of so
/// many names that a reader could not tell); words after their own hyphen
/// or a dash, and where the patterns allow when `hyphenate` is set.
pub fn break_points(
    word: &str,
    code: bool,
    hyphenate: bool,
    hyphenation: &Hyphenation,
) -> Vec<BreakPoint> {
    let mut points = Vec::new();
    let identifier = is_identifier(word, code);
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    for (k, &(_, c)) in chars.iter().enumerate() {
        let Some(&(next_i, next_c)) = chars.get(k + 1) else {
            break;
        };
        if identifier {
            if matches!(c, '_' | '.' | '/')
                && next_c != c
                && k >= IDENTIFIER_MIN_PIECE
                && chars.len() - (k + 1) >= IDENTIFIER_MIN_PIECE
            {
                points.push(BreakPoint {
                    offset: next_i,
                    cost: IDENTIFIER_BREAK_PENALTY,
                    kind: BreakKind::Identifier,
                });
            }
        } else if k > 0 && matches!(c, '-' | '–' | '—' | '/') {
            let (cost, kind) = if c == '-' {
                (EXPLICIT_HYPHEN_PENALTY, BreakKind::AfterHyphen)
            } else {
                (DASH_PENALTY, BreakKind::AfterDash)
            };
            points.push(BreakPoint {
                offset: next_i,
                cost,
                kind,
            });
        }
    }
    if hyphenate && !code && !identifier {
        // Hyphenate each alphabetic stretch ("trade-offs" → "trade", "offs").
        let mut start = None;
        for (k, &(i, c)) in chars.iter().enumerate() {
            if c.is_alphabetic() {
                start.get_or_insert(i);
            }
            let ends = !c.is_alphabetic() || k + 1 == chars.len();
            if ends && let Some(s) = start.take() {
                let end = if c.is_alphabetic() { word.len() } else { i };
                for b in hyphenation.breaks(&word[s..end]) {
                    points.push(BreakPoint {
                        offset: s + b,
                        cost: HYPHEN_PENALTY,
                        kind: BreakKind::Hyphen,
                    });
                }
            }
        }
    }
    points.sort_by_key(|p| p.offset);
    points.dedup_by_key(|p| p.offset);
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets_after(word: &str, code: bool) -> Vec<char> {
        let none = Hyphenation::for_language("xx");
        break_points(word, code, false, &none)
            .iter()
            .map(|p| word[..p.offset].chars().last().unwrap())
            .collect()
    }

    #[test]
    fn code_breaks_only_after_underscore_dot_and_slash() {
        let word = "spark.sql(adaptive-skew:join)_handle/x.value=on,insertInto";
        let after = offsets_after(word, true);
        assert!(!after.is_empty());
        assert!(
            after.iter().all(|c| matches!(c, '_' | '.' | '/')),
            "{after:?}"
        );
        let kinds: Vec<BreakKind> =
            break_points(word, true, true, &Hyphenation::for_language("en"))
                .iter()
                .map(|p| p.kind)
                .collect();
        assert!(
            kinds.iter().all(|k| *k == BreakKind::Identifier),
            "{kinds:?}"
        );
    }

    #[test]
    fn identifiers_keep_two_characters_each_side_of_a_break() {
        assert!(offsets_after("a_b", true).is_empty());
        assert!(offsets_after("x.py", true).is_empty());
        assert_eq!(offsets_after("ab_cd", true), vec!['_']);
        // No break inside a doubled separator ("__", "//").
        assert_eq!(offsets_after("ab__cd", true), vec!['_']);
    }

    #[test]
    fn words_break_after_their_own_hyphen_flagged_and_after_dashes_unflagged() {
        let none = Hyphenation::for_language("xx");
        let points = break_points("trade-offs", false, true, &none);
        assert_eq!(points.len(), 1);
        assert!(points[0].kind.flagged());
        let points = break_points("10–15", false, true, &none);
        assert_eq!(points[0].kind, BreakKind::AfterDash);
        assert!(!points[0].kind.flagged());
    }
}
