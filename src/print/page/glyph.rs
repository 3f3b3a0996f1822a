//! A glyph run's glyphs: each glyph's id and x, and the source text of its
//! cluster in four bytes (a book has millions of glyphs, so this record is
//! most of the print edition's memory), which the PDF writer turns into the
//! text a reader can copy and search.

use std::collections::HashMap;

/// A glyph of a run: its x relative to the run's origin and the source text
/// of its cluster (empty for the second glyph of a cluster).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub gid: u16,
    pub x: f32,
    pub text: ClusterText,
}

/// The source text of a glyph cluster, in four bytes: a book has millions of
/// glyphs, so this record is most of the print edition's memory. A cluster
/// of one character (nearly all of them) is its UTF-8 bytes, zero-padded; a
/// longer one (a ligature, a letter with combining marks) is `0xFF` — never a
/// UTF-8 lead byte — and a 24-bit index into a table of interned cluster
/// texts, of which a book has a few dozen.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClusterText([u8; 4]);

/// Marks an interned cluster.
const INTERNED: u8 = 0xFF;

/// Cluster texts longer than one character, each stored once for the
/// process's life (the set is small and bounded by the fonts' ligatures and
/// the marks the sources use): text → index, and index → text.
type ClusterTable = (HashMap<&'static str, u32>, Vec<&'static str>);

fn interned() -> &'static std::sync::Mutex<ClusterTable> {
    static TABLE: std::sync::OnceLock<std::sync::Mutex<ClusterTable>> = std::sync::OnceLock::new();
    TABLE.get_or_init(Default::default)
}

impl ClusterText {
    pub const EMPTY: ClusterText = ClusterText([0; 4]);

    pub fn new(text: &str) -> ClusterText {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (None, _) => ClusterText::EMPTY,
            (Some(c), None) if c != '\0' => {
                let mut bytes = [0; 4];
                c.encode_utf8(&mut bytes);
                ClusterText(bytes)
            }
            _ => {
                let mut table = interned().lock().unwrap_or_else(|e| e.into_inner());
                let index = match table.0.get(text) {
                    Some(&index) => index,
                    None => {
                        let index = table.1.len() as u32;
                        if index >= 1 << 24 {
                            // Unreachable for any real book; keep the first character.
                            return ClusterText::new(
                                &text[..text.chars().next().map_or(0, char::len_utf8)],
                            );
                        }
                        let stored: &'static str = Box::leak(text.to_string().into_boxed_str());
                        table.1.push(stored);
                        table.0.insert(stored, index);
                        index
                    }
                };
                let [_, a, b, c] = index.to_be_bytes();
                ClusterText([INTERNED, a, b, c])
            }
        }
    }

    pub fn as_str(&self) -> &str {
        let lead = self.0[0];
        if lead == INTERNED {
            let index = u32::from_be_bytes([0, self.0[1], self.0[2], self.0[3]]) as usize;
            let table = interned().lock().unwrap_or_else(|e| e.into_inner());
            return table.1.get(index).copied().unwrap_or("");
        }
        let len = match lead {
            0 => 0,
            0x01..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        std::str::from_utf8(&self.0[..len]).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0[0] == 0
    }
}

impl std::fmt::Debug for ClusterText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl From<&str> for ClusterText {
    fn from(text: &str) -> ClusterText {
        ClusterText::new(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_keep_their_text_in_four_bytes() {
        assert_eq!(std::mem::size_of::<ClusterText>(), 4);
        assert_eq!(std::mem::size_of::<PlacedGlyph>(), 12);
        for text in ["a", "é", "→", "\u{1F9C8}", "fi", "ffi", "e\u{301}", ""] {
            assert_eq!(ClusterText::new(text).as_str(), text);
        }
        assert!(ClusterText::new("").is_empty());
        assert_eq!(ClusterText::new("fi"), ClusterText::new("fi"));
    }
}
