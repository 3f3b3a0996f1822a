//! Shaping: turns a piece of text in one face into glyphs with advances
//! (kerning and standard ligatures applied by rustybuzz), splitting it into
//! runs where the fallback face must draw a character the face lacks.
//! Results are cached per (face, text): a book repeats its words a lot.

use std::collections::HashMap;
use std::str::FromStr;

use rustybuzz::{Feature, UnicodeBuffer};

use super::fonts::{FaceId, FontSet};

/// One shaped glyph. `advance` is in points at the size it was shaped for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub gid: u16,
    pub advance: f32,
    /// Byte offset in the shaped text where this glyph's cluster starts.
    pub cluster: u32,
}

/// A run of glyphs from one face, with the text they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedRun {
    pub face: FaceId,
    pub size: f32,
    pub text: String,
    pub glyphs: Vec<Glyph>,
}

impl ShapedRun {
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

#[derive(Default)]
pub struct Shaper {
    /// (face, text) → glyphs with advances in font units.
    cache: HashMap<(FaceId, String), Vec<(u16, i32, u32)>>,
}

impl Shaper {
    /// Shapes `text` set in `face` at `size`, one run per face actually used.
    pub fn shape(&mut self, text: &str, face: FaceId, size: f32) -> Vec<ShapedRun> {
        let fonts = FontSet::get();
        let mut runs = Vec::new();
        let mut start = 0;
        let mut current: Option<FaceId> = None;
        for (i, c) in text.char_indices() {
            let f = fonts.face_for(face, c);
            match current {
                Some(cf) if cf == f => {}
                Some(cf) => {
                    runs.push(self.shape_one(&text[start..i], cf, size));
                    start = i;
                    current = Some(f);
                }
                None => current = Some(f),
            }
        }
        if let Some(cf) = current {
            runs.push(self.shape_one(&text[start..], cf, size));
        }
        runs
    }

    fn shape_one(&mut self, text: &str, face: FaceId, size: f32) -> ShapedRun {
        let loaded = FontSet::get().face(face);
        let key = (face, text.to_string());
        let raw = self.cache.entry(key).or_insert_with(|| {
            let mut buffer = UnicodeBuffer::new();
            buffer.push_str(text);
            // Code is read character by character: no ligatures in monospace.
            let features: Vec<Feature> = if face == FaceId::Mono {
                ["-liga", "-calt"].iter().filter_map(|f| Feature::from_str(f).ok()).collect()
            } else {
                Vec::new()
            };
            let shaped = rustybuzz::shape(&loaded.face, &features, buffer);
            shaped
                .glyph_infos()
                .iter()
                .zip(shaped.glyph_positions())
                .map(|(info, pos)| (info.glyph_id as u16, pos.x_advance, info.cluster))
                .collect()
        });
        let scale = size / loaded.units_per_em;
        ShapedRun {
            face,
            size,
            text: text.to_string(),
            glyphs: raw
                .iter()
                .map(|&(gid, adv, cluster)| Glyph { gid, advance: adv as f32 * scale, cluster })
                .collect(),
        }
    }

    /// Width in points of `text` in `face` at `size`.
    pub fn width(&mut self, text: &str, face: FaceId, size: f32) -> f32 {
        self.shape(text, face, size).iter().map(ShapedRun::width).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kerning_and_ligatures_change_glyphs() {
        let mut shaper = Shaper::default();
        let runs = shaper.shape("office", FaceId::Serif, 10.0);
        assert_eq!(runs.len(), 1);
        // "ffi" becomes one ligature glyph in Noto Serif.
        assert!(runs[0].glyphs.len() < 6, "{:?}", runs[0].glyphs);
    }

    #[test]
    fn arrows_are_shaped_in_the_fallback_face() {
        let mut shaper = Shaper::default();
        let runs = shaper.shape("a → b", FaceId::Serif, 10.0);
        assert!(runs.iter().all(|r| r.glyphs.iter().all(|g| g.gid != 0)));
    }
}
