//! Shaping: turns a piece of text in one face into glyphs with advances
//! (kerning and standard ligatures applied by rustybuzz), splitting it into
//! runs where the fallback face must draw a character the face lacks.
//! Results are cached per (face, text): a book repeats its words a lot.

use std::collections::HashMap;
use std::str::FromStr;

use std::sync::OnceLock;

use rustybuzz::{Direction, Feature, ShapePlan, UnicodeBuffer, script};

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

/// Glyph id, advance in font units, cluster byte offset.
type RawGlyph = (u16, i32, u32);

#[derive(Default)]
pub struct Shaper {
    /// Per face: text → glyphs with advances in font units.
    cache: HashMap<FaceId, HashMap<String, Vec<RawGlyph>>>,
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
        let per_face = self.cache.entry(face).or_default();
        if !per_face.contains_key(text) {
            per_face.insert(text.to_string(), shape_uncached(text, face));
        }
        let raw = &per_face[text];
        let scale = size / loaded.units_per_em;
        ShapedRun {
            face,
            size,
            text: text.to_string(),
            glyphs: raw
                .iter()
                .map(|&(gid, adv, cluster)| Glyph {
                    gid,
                    advance: adv as f32 * scale,
                    cluster,
                })
                .collect(),
        }
    }

    /// Width in points of `text` in `face` at `size`.
    pub fn width(&mut self, text: &str, face: FaceId, size: f32) -> f32 {
        self.shape(text, face, size)
            .iter()
            .map(ShapedRun::width)
            .sum()
    }
}

/// Shape plans, one per face: building a plan (looking up the font's OpenType
/// features) costs more than shaping a word, so it is done once.
fn plan(face: FaceId) -> &'static ShapePlan {
    static PLANS: OnceLock<Vec<ShapePlan>> = OnceLock::new();
    let plans = PLANS.get_or_init(|| {
        FaceId::ALL
            .iter()
            .map(|&id| {
                let loaded = FontSet::get().face(id);
                ShapePlan::new(
                    &loaded.face,
                    Direction::LeftToRight,
                    Some(script::LATIN),
                    None,
                    &features(id),
                )
            })
            .collect()
    });
    &plans[face.index()]
}

fn features(face: FaceId) -> Vec<Feature> {
    // Code is read character by character: no ligatures in monospace.
    if face == FaceId::Mono {
        ["-liga", "-calt"]
            .iter()
            .filter_map(|f| Feature::from_str(f).ok())
            .collect()
    } else {
        Vec::new()
    }
}

fn shape_uncached(text: &str, face: FaceId) -> Vec<(u16, i32, u32)> {
    let loaded = FontSet::get().face(face);
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(Direction::LeftToRight);
    buffer.set_script(script::LATIN);
    let shaped = rustybuzz::shape_with_plan(&loaded.face, plan(face), buffer);
    shaped
        .glyph_infos()
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(info, pos)| (info.glyph_id as u16, pos.x_advance, info.cluster))
        .collect()
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
