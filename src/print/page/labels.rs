//! Page labels: the numbering styles of the book's ranges of pages (none on
//! the cover, roman in the front matter, arabic in the body), as the PDF's
//! page labels write them, and roman numerals for the folios.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelStyle {
    /// No number (the cover).
    None,
    LowerRoman,
    Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelRange {
    pub first_page: usize,
    pub style: LabelStyle,
    pub start: usize,
}

/// Lower-case roman numerals for front-matter folios.
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
    }
}
