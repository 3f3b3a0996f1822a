//! Font embedding for the PDF: each face the book uses becomes a subset
//! TrueType font (printpdf's subsetter) behind a Type0 / CIDFontType2
//! dictionary with Identity-H encoding, `/W` widths and a ToUnicode map, so
//! text extracts as the source's characters (a ligature as its letters).

use std::collections::{BTreeMap, HashMap};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::{FontId, ParsedFont};

use super::fonts::{FaceId, FontSet};
use super::page::{ClusterText, Document, Item};

/// Marks a glyph id the subset does not hold.
const NOT_IN_SUBSET: u16 = u16::MAX;

/// The glyphs of one face the document draws, and the text each stands for.
pub struct FaceGlyphs {
    pub face: FaceId,
    /// Original glyph id → the source text of its cluster.
    pub glyphs: BTreeMap<u16, String>,
}

impl FaceGlyphs {
    /// Original glyph id → code in the subset font. The subset keeps glyph 0
    /// and then the used glyphs in ascending order, so a glyph's code is its
    /// position in that list (checked against the subsetter's own mapping in
    /// `embed`).
    pub fn codes(&self) -> Vec<u16> {
        let mut codes = vec![NOT_IN_SUBSET; u16::MAX as usize + 1];
        codes[0] = 0;
        for (position, gid) in self.glyphs.keys().filter(|g| **g != 0).enumerate() {
            codes[*gid as usize] = position as u16 + 1;
        }
        codes
    }
}

/// Every face the document draws, with its glyphs, in `FaceId` order.
pub fn used_glyphs(document: &Document) -> Vec<FaceGlyphs> {
    // A table per face indexed by glyph id: a million glyphs are looked up,
    // a few thousand are distinct.
    let mut tables: BTreeMap<FaceId, Vec<Option<ClusterText>>> = BTreeMap::new();
    for page in &document.pages {
        for item in page.items.iter().chain(&page.furniture) {
            if let Item::Text(run) = item {
                let table = tables
                    .entry(run.face)
                    .or_insert_with(|| vec![None; u16::MAX as usize + 1]);
                for g in run.glyphs.iter() {
                    let slot = &mut table[g.gid as usize];
                    if slot.is_none_or(|text| text.is_empty()) {
                        *slot = Some(g.text);
                    }
                }
            }
        }
    }
    tables
        .into_iter()
        .map(|(face, table)| FaceGlyphs {
            face,
            glyphs: table
                .iter()
                .enumerate()
                .filter_map(|(gid, text)| text.map(|t| (gid as u16, t.as_str().to_string())))
                .collect(),
        })
        .collect()
}

/// The PDF objects of one embedded font, made without touching the document
/// (so faces can be subset on several threads), then added by `add_to`.
pub struct EmbeddedFont {
    face: FaceId,
    font_file: Vec<u8>,
    to_unicode: String,
    widths: Vec<Object>,
}

/// Subsets one face and prepares its objects.
pub fn embed(used: &FaceGlyphs) -> Result<EmbeddedFont, String> {
    let face = used.face;
    let mut warnings = Vec::new();
    let parsed = ParsedFont::from_bytes(face.bytes(), 0, &mut warnings)
        .ok_or_else(|| format!("cannot read the embedded font {}", face.resource_name()))?;
    let subset = printpdf::subset_font(&parsed, &used.glyphs)
        .map_err(|e| format!("cannot subset font {}: {e}", face.resource_name()))?;
    let codes = used.codes();
    for (original, (new, _)) in &subset.glyph_mapping {
        if codes[*original as usize] != *new {
            return Err(format!(
                "font {}: the subsetter numbered glyph {original} as {new}, expected {}",
                face.resource_name(),
                codes[*original as usize]
            ));
        }
    }
    let loaded = FontSet::get().face(face);
    let mut coded: Vec<(u16, String)> = Vec::with_capacity(used.glyphs.len());
    let mut widths = vec![Object::Integer(loaded.pdf_advance(0))];
    for (gid, text) in used.glyphs.iter().filter(|(g, _)| **g != 0) {
        widths.push(Object::Integer(loaded.pdf_advance(*gid)));
        if !text.is_empty() {
            coded.push((codes[*gid as usize], text.clone()));
        }
    }
    let to_unicode =
        printpdf::generate_cmap_string(&parsed, &FontId(face.resource_name().into()), &coded);
    Ok(EmbeddedFont {
        face,
        font_file: subset.bytes,
        to_unicode,
        widths,
    })
}

impl EmbeddedFont {
    /// Adds the font's objects and returns the Type0 font dictionary's id.
    pub fn add_to(self, lo: &mut lopdf::Document) -> ObjectId {
        let loaded = FontSet::get().face(self.face);
        let metrics = &loaded.face;
        let scale = 1000.0 / loaded.units_per_em;
        let to_pdf = |v: f32| Object::Integer((v * scale).round() as i64);
        let name = format!(
            "{}+{}",
            self.face.resource_name(),
            postscript_name(self.face)
        );

        let length = self.font_file.len() as i64;
        let mut file_dict = Dictionary::new();
        file_dict.set("Length1", Object::Integer(length));
        let file = lo.add_object(Stream::new(file_dict, self.font_file));

        let bbox = metrics.global_bounding_box();
        let mut flags = 32; // nonsymbolic: the font uses standard Latin characters
        if metrics.is_monospaced() {
            flags |= 1;
        }
        if metrics.is_italic() {
            flags |= 64;
        }
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
        descriptor.set("FontName", Object::Name(name.clone().into_bytes()));
        descriptor.set("Flags", Object::Integer(flags));
        descriptor.set(
            "FontBBox",
            Object::Array(vec![
                to_pdf(bbox.x_min as f32),
                to_pdf(bbox.y_min as f32),
                to_pdf(bbox.x_max as f32),
                to_pdf(bbox.y_max as f32),
            ]),
        );
        descriptor.set("ItalicAngle", Object::Real(metrics.italic_angle()));
        descriptor.set("Ascent", to_pdf(loaded.ascender));
        descriptor.set("Descent", to_pdf(loaded.descender));
        let cap_height = metrics.capital_height().unwrap_or(metrics.ascender()) as f32;
        descriptor.set("CapHeight", to_pdf(cap_height));
        // StemV is required but unused by viewers for embedded fonts.
        descriptor.set("StemV", Object::Integer(80));
        descriptor.set("FontFile2", Object::Reference(file));
        let descriptor = lo.add_object(descriptor);

        let mut system_info = Dictionary::new();
        system_info.set(
            "Registry",
            Object::String(b"Adobe".to_vec(), StringFormat::Literal),
        );
        system_info.set(
            "Ordering",
            Object::String(b"Identity".to_vec(), StringFormat::Literal),
        );
        system_info.set("Supplement", Object::Integer(0));

        let mut cid_font = Dictionary::new();
        cid_font.set("Type", Object::Name(b"Font".to_vec()));
        cid_font.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
        cid_font.set("BaseFont", Object::Name(name.clone().into_bytes()));
        cid_font.set("CIDSystemInfo", Object::Dictionary(system_info));
        cid_font.set("FontDescriptor", Object::Reference(descriptor));
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
        cid_font.set(
            "W",
            Object::Array(vec![Object::Integer(0), Object::Array(self.widths)]),
        );
        let cid_font = lo.add_object(cid_font);

        let to_unicode =
            lo.add_object(Stream::new(Dictionary::new(), self.to_unicode.into_bytes()));

        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type0".to_vec()));
        font.set("BaseFont", Object::Name(name.into_bytes()));
        font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        font.set(
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font)]),
        );
        font.set("ToUnicode", Object::Reference(to_unicode));
        lo.add_object(font)
    }
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

/// Codes of every face the document uses, for the content streams.
pub fn code_tables(used: &[FaceGlyphs]) -> HashMap<FaceId, Vec<u16>> {
    used.iter().map(|u| (u.face, u.codes())).collect()
}
