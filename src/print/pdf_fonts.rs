//! Font embedding for the PDF: each face the book uses becomes a subset
//! TrueType font (`pdf_subset`, glyph ids kept) behind a Type0 /
//! CIDFontType2 dictionary with Identity-H encoding and `/CIDToGIDMap
//! /Identity`, so a glyph's code in a content stream is its id in the font
//! and pages can be written before the book's last glyph is known. `/W`
//! widths and the ToUnicode map (text extracts as the source's characters, a
//! ligature as its letters) are written at the end, from the glyphs drawn.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use super::fonts::{FaceId, FontSet};
use super::page::{ClusterText, GlyphRun};
use super::pdf_file::{ObjectId, PdfFile, PdfSyntax};
use super::pdf_subset::subset_keeping_ids;

/// Deflate level for font files and ToUnicode maps: each is written once,
/// so the smaller file wins.
const FONT_DEFLATE_LEVEL: u8 = 6;

/// The glyphs each face has drawn so far, and the text each stands for.
#[derive(Default)]
pub struct UsedGlyphs {
    /// By face: glyph id → the source text of its cluster (first non-empty
    /// text seen). A table indexed by glyph id, because millions of glyphs are
    /// looked up and a few thousand are distinct.
    faces: BTreeMap<FaceId, Vec<Option<ClusterText>>>,
}

impl UsedGlyphs {
    /// Records the glyphs of `run`. A glyph that continues a cluster (the
    /// mark after its base letter, say) has no text of its own; it is
    /// recorded with its cluster's text, so every glyph code maps to some
    /// Unicode (PDF/UA-1 7.21.7), and the page marks that cluster with
    /// `/ActualText` (see `pdf_content`) so it still reads back once.
    pub fn record(&mut self, run: &GlyphRun) {
        let table = self
            .faces
            .entry(run.face)
            .or_insert_with(|| vec![None; u16::MAX as usize + 1]);
        let mut cluster = ClusterText::EMPTY;
        for g in run.glyphs.iter() {
            if !g.text.is_empty() {
                cluster = g.text;
            }
            let slot = &mut table[g.gid as usize];
            if slot.is_none_or(|text| text.is_empty()) {
                *slot = Some(cluster);
            }
        }
    }

    /// The text glyph `gid` of `face` maps to in the ToUnicode map: the
    /// first text it was recorded with.
    pub fn text_of(&self, face: FaceId, gid: u16) -> Option<ClusterText> {
        self.faces.get(&face)?.get(gid as usize).copied().flatten()
    }

    /// Each face drawn, in `FaceId` order, with its glyphs and their texts.
    pub fn faces(&self) -> Vec<(FaceId, BTreeMap<u16, String>)> {
        self.faces
            .iter()
            .map(|(face, table)| {
                let glyphs = table
                    .iter()
                    .enumerate()
                    .filter_map(|(gid, text)| text.map(|t| (gid as u16, t.as_str().to_string())))
                    .collect();
                (*face, glyphs)
            })
            .collect()
    }
}

/// Writes one face's objects and returns the Type0 font dictionary's id.
pub fn write_font(
    file: &mut PdfFile,
    face: FaceId,
    glyphs: &BTreeMap<u16, String>,
) -> Result<ObjectId, String> {
    let used: BTreeSet<u16> = glyphs.keys().copied().collect();
    let font_file = subset_keeping_ids(face.bytes(), &used)
        .map_err(|e| format!("cannot subset font {}: {e}", face.resource_name()))?;
    let loaded = FontSet::get().face(face);
    let metrics = &loaded.face;
    let scale = 1000.0 / loaded.units_per_em;
    let to_pdf = |v: f32| (v * scale).round() as i64;
    let name = format!("{}+{}", face.resource_name(), postscript_name(face));

    let file_id = file.reserve();
    let mut dict = Vec::new();
    let _ = write!(dict, "/Length1 {}", font_file.len());
    file.deflated_stream(file_id, &dict, &font_file, FONT_DEFLATE_LEVEL);

    let bbox = metrics.global_bounding_box();
    let mut flags = 32; // nonsymbolic: the font uses standard Latin characters
    if metrics.is_monospaced() {
        flags |= 1;
    }
    if metrics.is_italic() {
        flags |= 64;
    }
    let cap_height = metrics.capital_height().unwrap_or(metrics.ascender()) as f32;
    let descriptor = file.reserve();
    let mut body = Vec::new();
    let _ = write!(
        body,
        "<</Type/FontDescriptor/FontName/{name}/Flags {flags}/FontBBox[{} {} {} {}]/ItalicAngle ",
        to_pdf(bbox.x_min as f32),
        to_pdf(bbox.y_min as f32),
        to_pdf(bbox.x_max as f32),
        to_pdf(bbox.y_max as f32),
    );
    body.number(metrics.italic_angle());
    // StemV is required but unused by viewers for embedded fonts.
    let _ = write!(
        body,
        "/Ascent {}/Descent {}/CapHeight {}/StemV 80/FontFile2 {file_id} 0 R>>",
        to_pdf(loaded.ascender),
        to_pdf(loaded.descender),
        to_pdf(cap_height),
    );
    file.object(descriptor, &body);

    let cid_font = file.reserve();
    let mut body = Vec::new();
    let _ = write!(
        body,
        "<</Type/Font/Subtype/CIDFontType2/BaseFont/{name}\
         /CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>\
         /FontDescriptor {descriptor} 0 R/CIDToGIDMap/Identity/W["
    );
    // Runs of consecutive glyph ids share one array: `first [w w w]`.
    let mut previous: Option<u16> = None;
    for &gid in &used {
        if previous.is_some_and(|p| p + 1 == gid) {
            body.push(b' ');
        } else {
            if previous.is_some() {
                body.push(b']');
            }
            let _ = write!(body, "{gid}[");
        }
        body.integer(loaded.pdf_advance(gid));
        previous = Some(gid);
    }
    if previous.is_some() {
        body.push(b']');
    }
    body.extend_from_slice(b"]>>");
    file.object(cid_font, &body);

    let to_unicode = file.reserve();
    file.deflated_stream(
        to_unicode,
        b"",
        &to_unicode_cmap(glyphs),
        FONT_DEFLATE_LEVEL,
    );

    let font = file.reserve();
    let body = format!(
        "<</Type/Font/Subtype/Type0/BaseFont/{name}/Encoding/Identity-H\
         /DescendantFonts[{cid_font} 0 R]/ToUnicode {to_unicode} 0 R>>"
    );
    file.object(font, body.as_bytes());
    Ok(font)
}

/// The ToUnicode CMap: each glyph code → the UTF-16 of its cluster's text.
fn to_unicode_cmap(glyphs: &BTreeMap<u16, String>) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
          /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
          /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
          1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, &String)> = glyphs
        .iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(g, t)| (*g, t))
        .collect();
    // A CMap section holds at most 100 entries.
    for chunk in entries.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", chunk.len());
        for (gid, text) in chunk {
            let _ = write!(out, "<{gid:04X}> <");
            for unit in text.encode_utf16() {
                let _ = write!(out, "{unit:04X}");
            }
            out.extend_from_slice(b">\n");
        }
        out.extend_from_slice(b"endbfchar\n");
    }
    out.extend_from_slice(b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// The font's PostScript name from its `name` table, for `/BaseFont`.
fn postscript_name(face: FaceId) -> String {
    let loaded = FontSet::get().face(face);
    loaded
        .face
        .names()
        .into_iter()
        .filter(|n| n.name_id == rustybuzz::ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .map(|n| {
            n.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .unwrap_or_else(|| format!("{face:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ligature_maps_back_to_its_letters() {
        let glyphs: BTreeMap<u16, String> = [
            (7, "fi".to_string()),
            (9, "→".to_string()),
            (11, String::new()),
        ]
        .into();
        let cmap = String::from_utf8(to_unicode_cmap(&glyphs)).unwrap();
        assert!(cmap.contains("2 beginbfchar\n<0007> <00660069>\n<0009> <2192>\n"));
        assert!(
            !cmap.contains("<000B>"),
            "a glyph with no text has no entry"
        );
    }
}
