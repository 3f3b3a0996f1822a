//! TrueType subsetting that keeps glyph ids: the subset has as many glyphs as
//! the font, but every glyph the book does not draw is emptied (a zero-length
//! `loca` entry), so a page can be written with the original glyph ids as its
//! codes (`/CIDToGIDMap /Identity`) before the book's last page has said which
//! glyphs it needs. Composite glyphs keep their components. Only the tables a
//! PDF renderer reads for an embedded CID font are kept; `post` loses its
//! glyph names.

use std::collections::BTreeSet;

/// Tables kept, in the order of their tags (a table directory is sorted).
const KEPT_TABLES: [&[u8; 4]; 12] = [
    b"OS/2", b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name",
    b"post", b"prep",
];

/// Composite glyph flags (OpenType `glyf` table).
const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The font's tables: tag → bytes.
fn tables(font: &[u8]) -> Option<Vec<([u8; 4], &[u8])>> {
    let count = u16_at(font, 4)? as usize;
    (0..count)
        .map(|k| {
            let record = 12 + 16 * k;
            let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
            let offset = u32_at(font, record + 8)? as usize;
            let length = u32_at(font, record + 12)? as usize;
            Some((tag, font.get(offset..offset.checked_add(length)?)?))
        })
        .collect()
}

/// Where each glyph's outline lies in `glyf`, from `loca`.
fn glyph_ranges(loca: &[u8], long: bool, glyphs: usize) -> Option<Vec<(usize, usize)>> {
    let at = |k: usize| -> Option<usize> {
        if long {
            u32_at(loca, 4 * k).map(|v| v as usize)
        } else {
            u16_at(loca, 2 * k).map(|v| 2 * v as usize)
        }
    };
    (0..glyphs).map(|g| Some((at(g)?, at(g + 1)?))).collect()
}

/// The glyphs a composite glyph is made of (none for a simple glyph).
fn components(outline: &[u8]) -> Vec<u16> {
    let mut found = Vec::new();
    let Some(contours) = u16_at(outline, 0) else {
        return found;
    };
    if (contours as i16) >= 0 {
        return found;
    }
    let mut at = 10;
    while let (Some(flags), Some(glyph)) = (u16_at(outline, at), u16_at(outline, at + 2)) {
        found.push(glyph);
        at += 4;
        at += if flags & ARG_1_AND_2_ARE_WORDS != 0 {
            4
        } else {
            2
        };
        if flags & WE_HAVE_A_SCALE != 0 {
            at += 2;
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            at += 4;
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            at += 8;
        }
        if flags & MORE_COMPONENTS == 0 {
            break;
        }
    }
    found
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A subset of `font` holding glyph 0, the glyphs in `used` and every
/// component they need, each under its original id.
pub fn subset_keeping_ids(font: &[u8], used: &BTreeSet<u16>) -> Result<Vec<u8>, String> {
    let broken = || "the font's tables cannot be read".to_string();
    let tables = tables(font).ok_or_else(broken)?;
    let table = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, d)| *d);
    let head = table(b"head").ok_or_else(broken)?;
    let maxp = table(b"maxp").ok_or_else(broken)?;
    let loca = table(b"loca").ok_or_else(broken)?;
    let glyf = table(b"glyf").ok_or_else(broken)?;
    let long = u16_at(head, 50).ok_or_else(broken)? != 0;
    let glyphs = u16_at(maxp, 4).ok_or_else(broken)? as usize;
    let ranges = glyph_ranges(loca, long, glyphs).ok_or_else(broken)?;
    let outline = |g: u16| -> &[u8] {
        ranges
            .get(g as usize)
            .and_then(|&(start, end)| glyf.get(start..end))
            .unwrap_or(&[])
    };

    // Glyph 0 (.notdef), the used glyphs, and components, transitively.
    let mut keep = vec![false; glyphs];
    let mut pending: Vec<u16> = std::iter::once(0).chain(used.iter().copied()).collect();
    while let Some(g) = pending.pop() {
        match keep.get_mut(g as usize) {
            Some(kept) if !*kept => *kept = true,
            _ => continue,
        }
        pending.extend(components(outline(g)));
    }

    // New glyf and (long) loca: kept outlines, 4-byte aligned; the rest empty.
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (glyphs + 1));
    for (g, kept) in keep.iter().enumerate() {
        new_loca.extend((new_glyf.len() as u32).to_be_bytes());
        if *kept {
            new_glyf.extend_from_slice(outline(g as u16));
            while !new_glyf.len().is_multiple_of(4) {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend((new_glyf.len() as u32).to_be_bytes());

    let mut new_head = head.to_vec();
    new_head[8..12].fill(0); // checkSumAdjustment, set below
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes()); // long loca
    let mut new_post = Vec::new();
    if let Some(post) = table(b"post").filter(|p| p.len() >= 32) {
        // Format 3: the same metrics, no glyph names.
        new_post.extend_from_slice(&0x0003_0000u32.to_be_bytes());
        new_post.extend_from_slice(&post[4..32]);
    }

    let mut chosen: Vec<([u8; 4], &[u8])> = Vec::new();
    for tag in KEPT_TABLES {
        let data: &[u8] = match tag {
            b"glyf" => &new_glyf,
            b"loca" => &new_loca,
            b"head" => &new_head,
            b"post" if !new_post.is_empty() => &new_post,
            _ => match table(tag) {
                Some(data) => data,
                None => continue,
            },
        };
        chosen.push((*tag, data));
    }

    // Offset table and directory, then the tables, each 4-byte aligned.
    let count = chosen.len() as u16;
    let power = 1u16 << (15 - count.leading_zeros() as u16);
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&(power * 16).to_be_bytes());
    out.extend_from_slice(&(power.trailing_zeros() as u16).to_be_bytes());
    out.extend_from_slice(&(count * 16 - power * 16).to_be_bytes());
    let mut offset = 12 + 16 * chosen.len();
    let mut head_at = 0;
    for (tag, data) in &chosen {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = offset;
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &chosen {
        out.extend_from_slice(data);
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out[head_at + 8..head_at + 12].copy_from_slice(&adjustment.to_be_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::fonts::FaceId;
    use rustybuzz::ttf_parser::{Face, GlyphId, OutlineBuilder};

    struct Count(usize);
    impl OutlineBuilder for Count {
        fn move_to(&mut self, _: f32, _: f32) {
            self.0 += 1;
        }
        fn line_to(&mut self, _: f32, _: f32) {
            self.0 += 1;
        }
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1;
        }
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1;
        }
        fn close(&mut self) {}
    }

    fn segments(face: &Face, glyph: u16) -> usize {
        let mut count = Count(0);
        face.outline_glyph(GlyphId(glyph), &mut count);
        count.0
    }

    #[test]
    fn used_glyphs_keep_their_ids_and_outlines_and_the_rest_are_empty() {
        let bytes = FaceId::Serif.bytes();
        let original = Face::parse(bytes, 0).unwrap();
        let a = original.glyph_index('a').unwrap().0;
        let z = original.glyph_index('z').unwrap().0;
        // "é" is a composite glyph in Noto Serif: its components must survive.
        let e_acute = original.glyph_index('é').unwrap().0;
        let used: BTreeSet<u16> = [a, e_acute].into();
        let subset = subset_keeping_ids(bytes, &used).unwrap();
        assert!(subset.len() < bytes.len() / 4, "{} bytes", subset.len());
        let face = Face::parse(&subset, 0).unwrap();
        assert_eq!(face.number_of_glyphs(), original.number_of_glyphs());
        assert_eq!(segments(&face, a), segments(&original, a));
        assert!(segments(&face, a) > 0);
        assert_eq!(segments(&face, e_acute), segments(&original, e_acute));
        assert!(segments(&face, e_acute) > segments(&face, original.glyph_index('e').unwrap().0));
        assert_eq!(segments(&face, z), 0, "an unused glyph is emptied");
        assert_eq!(
            face.glyph_hor_advance(GlyphId(z)),
            original.glyph_hor_advance(GlyphId(z))
        );
        assert_eq!(checksum(&subset), 0xB1B0_AFBA, "whole-font checksum");
    }
}
