//! The typefaces of the print edition, embedded in the binary from `fonts/`
//! (open licences beside them), parsed once, and asked which characters they
//! can draw.

use std::sync::OnceLock;

use rustybuzz::Face;

/// One face of the book's type family. The order is the order of `FACES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    Serif,
    SerifItalic,
    SerifBold,
    SerifBoldItalic,
    Sans,
    SansBold,
    Mono,
    /// Arrows, maths and other symbols the text faces lack.
    Fallback,
}

impl FaceId {
    pub const ALL: [FaceId; 8] = [
        FaceId::Serif,
        FaceId::SerifItalic,
        FaceId::SerifBold,
        FaceId::SerifBoldItalic,
        FaceId::Sans,
        FaceId::SansBold,
        FaceId::Mono,
        FaceId::Fallback,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The PDF resource name, also the subset tag before the font's name:
    /// six capitals, as PDF readers expect of a subset, and fixed, so two
    /// builds write the same bytes.
    pub fn resource_name(self) -> &'static str {
        match self {
            FaceId::Serif => "CBSERF",
            FaceId::SerifItalic => "CBSERI",
            FaceId::SerifBold => "CBSERB",
            FaceId::SerifBoldItalic => "CBSERX",
            FaceId::Sans => "CBSANS",
            FaceId::SansBold => "CBSANB",
            FaceId::Mono => "CBMONO",
            FaceId::Fallback => "CBSYMB",
        }
    }

    pub fn bytes(self) -> &'static [u8] {
        match self {
            FaceId::Serif => include_bytes!("../../fonts/NotoSerif-Regular.ttf"),
            FaceId::SerifItalic => include_bytes!("../../fonts/NotoSerif-Italic.ttf"),
            FaceId::SerifBold => include_bytes!("../../fonts/NotoSerif-Bold.ttf"),
            FaceId::SerifBoldItalic => include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf"),
            FaceId::Sans => include_bytes!("../../fonts/NotoSans-Regular.ttf"),
            FaceId::SansBold => include_bytes!("../../fonts/NotoSans-Bold.ttf"),
            FaceId::Mono => include_bytes!("../../fonts/JetBrainsMono-Regular.ttf"),
            FaceId::Fallback => include_bytes!("../../fonts/DejaVuSans.ttf"),
        }
    }

    /// The serif face with the given emphasis.
    pub fn serif(italic: bool, bold: bool) -> FaceId {
        match (italic, bold) {
            (false, false) => FaceId::Serif,
            (true, false) => FaceId::SerifItalic,
            (false, true) => FaceId::SerifBold,
            (true, true) => FaceId::SerifBoldItalic,
        }
    }
}

/// Characters below this are answered from a bitmap made on first use:
/// Latin, punctuation, arrows and maths, which is nearly every character of
/// the book, asked about once per character of text.
const COVERAGE_LIMIT: u32 = 0x3000;

/// A parsed face with the metrics layout needs, in font units.
pub struct LoadedFace {
    pub face: Face<'static>,
    pub units_per_em: f32,
    pub ascender: f32,
    pub descender: f32,
    coverage: OnceLock<Vec<u64>>,
}

impl LoadedFace {
    pub fn has_char(&self, c: char) -> bool {
        let code = c as u32;
        if code < COVERAGE_LIMIT {
            let bits = self.coverage.get_or_init(|| {
                let mut bits = vec![0u64; COVERAGE_LIMIT as usize / 64];
                for code in 0..COVERAGE_LIMIT {
                    if char::from_u32(code).is_some_and(|c| self.looks_up(c)) {
                        bits[code as usize / 64] |= 1 << (code % 64);
                    }
                }
                bits
            });
            bits[code as usize / 64] & (1 << (code % 64)) != 0
        } else {
            self.looks_up(c)
        }
    }

    fn looks_up(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// The advance of a glyph in thousandths of an em, truncated the way the
    /// PDF's `/W` widths are, so the writer's kerning numbers agree with it.
    pub fn pdf_advance(&self, gid: u16) -> i64 {
        let advance = self
            .face
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
            .unwrap_or(0);
        (advance as f32 * 1000.0 / self.units_per_em) as i64
    }
}

pub struct FontSet {
    faces: Vec<LoadedFace>,
}

impl FontSet {
    pub fn get() -> &'static FontSet {
        static FONTS: OnceLock<FontSet> = OnceLock::new();
        FONTS.get_or_init(|| FontSet {
            faces: FaceId::ALL
                .iter()
                .map(|id| {
                    let face = Face::from_slice(id.bytes(), 0).expect("embedded font parses");
                    LoadedFace {
                        units_per_em: face.units_per_em() as f32,
                        ascender: face.ascender() as f32,
                        descender: face.descender() as f32,
                        face,
                        coverage: OnceLock::new(),
                    }
                })
                .collect(),
        })
    }

    pub fn face(&self, id: FaceId) -> &LoadedFace {
        &self.faces[id.index()]
    }

    /// The face that draws `c` for text set in `preferred`: itself, or the fallback.
    pub fn face_for(&self, preferred: FaceId, c: char) -> FaceId {
        if is_invisible(c) || self.face(preferred).has_char(c) {
            preferred
        } else if self.face(FaceId::Fallback).has_char(c) {
            FaceId::Fallback
        } else if self.face(FaceId::Serif).has_char(c) {
            FaceId::Serif
        } else {
            preferred
        }
    }

    /// True when some face of the book can draw `c`.
    pub fn can_draw(&self, c: char) -> bool {
        is_invisible(c) || self.faces.iter().any(|f| f.has_char(c))
    }
}

/// Characters that draw nothing and need no glyph: controls, joiners, soft hyphen.
fn is_invisible(c: char) -> bool {
    c.is_control() || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{FE0F}')
}

/// Characters of `text` that no embedded face can draw, with their byte offsets.
pub fn unsupported_chars(text: &str) -> Vec<(usize, char)> {
    let fonts = FontSet::get();
    text.char_indices()
        .filter(|&(_, c)| !fonts.can_draw(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_come_from_the_fallback() {
        let fonts = FontSet::get();
        assert_eq!(fonts.face_for(FaceId::Serif, 'a'), FaceId::Serif);
        for c in ['→', '≈', '≤', '≥'] {
            assert!(fonts.can_draw(c), "{c} should be drawable");
        }
    }

    #[test]
    fn a_character_no_font_has_is_reported_with_its_offset() {
        assert_eq!(unsupported_chars("ok \u{1F9C8} ok"), vec![(3, '\u{1F9C8}')]);
        assert!(unsupported_chars("plain → text ≤ 5").is_empty());
    }
}
