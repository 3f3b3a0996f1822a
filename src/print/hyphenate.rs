//! Hyphenation: where a word may be broken, from Knuth–Liang patterns for the
//! book's language (the `hyphenation` crate's embedded dictionaries).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use hyphenation::{Hyphenator, Language, Load, Standard};

/// Letters that must stay before a break (TeX's `\lefthyphenmin`, 2 for
/// English): "re-", "un-" read as the prefixes they are.
const LEFT_MIN: usize = 2;
/// Letters that must follow a break (TeX's `\righthyphenmin`, 3 for
/// English): "-ed" or "-ly" alone at a line's start reads badly.
const RIGHT_MIN: usize = 3;
/// Words shorter than this are never broken: a five-letter word split
/// 2 + 3 ("ta-ble") saves almost no room and is read as two words.
const MIN_WORD_CHARS: usize = 6;

pub struct Hyphenation {
    dictionary: Option<&'static Standard>,
    /// Words already hyphenated: a book repeats its words, and layout runs twice.
    cache: RefCell<HashMap<String, Vec<usize>>>,
}

/// The patterns for a BCP 47 tag: the full tag first (`en-gb`), then the
/// usual dictionary for its primary language (`de` → German 1996 spelling,
/// `en` → US English), then the primary subtag itself (`fr`, `nl`, `sv`…).
pub fn pattern_language(tag: &str) -> Option<Language> {
    let tag = tag.replace('_', "-").to_ascii_lowercase();
    let primary = tag.split('-').next().unwrap_or("");
    let usual = match primary {
        "de" => "de-1996",
        "en" => "en-us",
        "el" => "el-monoton",
        "mn" => "mn-cyrl",
        "sr" => "sr-cyrl",
        "no" => "nb",
        other => other,
    };
    [tag.as_str(), usual, primary]
        .into_iter()
        .find_map(Language::try_from_code)
}

/// Dictionaries are embedded for every language the crate knows (about 2.8
/// MB of the binary) but deserialised only when a book asks for one, once
/// per process.
fn dictionary(language: Language) -> Option<&'static Standard> {
    static LOADED: OnceLock<Mutex<HashMap<Language, Option<&'static Standard>>>> = OnceLock::new();
    let mut loaded = LOADED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    *loaded.entry(language).or_insert_with(|| {
        Standard::from_embedded(language)
            .ok()
            .map(|d| &*Box::leak(Box::new(d)))
    })
}

impl Hyphenation {
    /// Whether patterns are embedded for the language of `tag` (`check`
    /// warns when they are not: the PDF then breaks lines at spaces only).
    pub fn has_patterns(tag: &str) -> bool {
        pattern_language(tag).is_some()
    }

    /// Patterns for a BCP 47 language tag; languages without embedded patterns
    /// are not hyphenated (their lines still break at spaces).
    pub fn for_language(tag: &str) -> Hyphenation {
        Hyphenation {
            dictionary: pattern_language(tag).and_then(dictionary),
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
        // Five letters are never split, however the patterns allow it.
        assert!(h.breaks("paper").is_empty());
    }
}
