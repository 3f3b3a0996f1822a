//! Hyphenation: where a word may be broken, from Knuth–Liang patterns for the
//! book's language (the `hyphenation` crate's embedded dictionaries).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

/// Letters that must stay before a break (TeX's `\lefthyphenmin`).
const LEFT_MIN: usize = 2;
/// Letters that must follow a break (TeX's `\righthyphenmin`): "-ed" alone on a
/// line reads badly.
const RIGHT_MIN: usize = 3;
/// Words shorter than this are never broken.
const MIN_WORD_CHARS: usize = 5;

pub struct Hyphenation {
    dictionary: Option<&'static Standard>,
    /// Words already hyphenated: a book repeats its words, and layout runs twice.
    cache: RefCell<HashMap<String, Vec<usize>>>,
}

fn english() -> Option<&'static Standard> {
    static EN: OnceLock<Option<Standard>> = OnceLock::new();
    EN.get_or_init(|| Standard::from_embedded(Language::EnglishUS).ok())
        .as_ref()
}

impl Hyphenation {
    /// Patterns for a BCP 47 language tag; languages without embedded patterns
    /// are not hyphenated (their lines still break at spaces).
    /// Whether patterns are embedded for the language of `tag` (`check`
    /// warns when they are not: the PDF then breaks lines at spaces only).
    pub fn has_patterns(tag: &str) -> bool {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        primary == "en"
    }

    pub fn for_language(tag: &str) -> Hyphenation {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let dictionary = match primary.as_str() {
            "en" => english(),
            _ => None,
        };
        Hyphenation {
            dictionary,
            cache: RefCell::default(),
        }
    }

    /// Byte offsets inside `word` where a hyphen may go.
    pub fn breaks(&self, word: &str) -> Vec<usize> {
        let Some(dictionary) = self.dictionary else {
            return Vec::new();
        };
        let letters = word.chars().count();
        if letters < MIN_WORD_CHARS || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        if let Some(breaks) = self.cache.borrow().get(word) {
            return breaks.clone();
        }
        let lower = word.to_lowercase();
        if lower.len() != word.len() {
            return Vec::new();
        }
        let breaks: Vec<usize> = dictionary
            .hyphenate(&lower)
            .breaks
            .into_iter()
            .filter(|&b| {
                let before = word[..b].chars().count();
                before >= LEFT_MIN && letters - before >= RIGHT_MIN
            })
            .collect();
        self.cache
            .borrow_mut()
            .insert(word.to_string(), breaks.clone());
        breaks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_get_break_points() {
        let h = Hyphenation::for_language("en");
        let word = "reconciliation";
        let breaks = h.breaks(word);
        assert!(!breaks.is_empty());
        assert!(breaks.iter().all(|&b| b >= 2 && word.len() - b >= 3));
        assert!(h.breaks("data").is_empty());
    }
}
