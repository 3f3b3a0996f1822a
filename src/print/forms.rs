//! The fillable workbook's form: one multi-line AcroForm text field over
//! each question's ruled "Your approach" space, so a reader can type an
//! approach in any PDF viewer with forms, save it, and print it with the
//! lines. Layout records where the lines are (`page::AnswerArea`); this
//! module only turns those rectangles into fields. Each field is its own
//! widget annotation, named after the scenario id, with a tooltip (`/TU`)
//! for screen readers, printable (`/F 4`), and a real (empty) appearance
//! stream, so viewers need not make one up (no `/NeedAppearances`).

use std::collections::HashMap;
use std::io::Write;

use super::page::{Page, Tag};
use super::pdf_file::{ObjectId, PdfFile, PdfSyntax};
use crate::model::Book;

/// Type size of what a reader types. Ruled lines are `WORKBOOK_PITCH`
/// (8.6 mm, 24.4 pt) apart; 12 pt keeps typed text readable when printed,
/// and a viewer's leading for it stays under one ruled line.
const FIELD_TEXT_PT: f32 = 12.0;
/// `/Ff` bit 13: a multi-line text field.
const MULTILINE: u32 = 1 << 12;
/// `/F` bit 3: the field prints with the page.
const PRINT: u32 = 1 << 2;

/// The fields a fillable PDF carries: names and tooltips by scenario
/// number, and the field objects written so far.
pub struct FormFields {
    labels: HashMap<u32, (String, String)>,
    font: Option<ObjectId>,
    fields: Vec<ObjectId>,
    /// Fields written so far per scenario: a question's ruling may go on
    /// over the facing page or a "Notes" page, each part a field of its own
    /// (fields sharing a name would mirror each other's text).
    parts: HashMap<u32, usize>,
}

impl FormFields {
    /// A field for every scenario: named after its id, its tooltip the
    /// workbook label and the scenario's heading.
    pub fn for_book(book: &Book) -> FormFields {
        let labels = book
            .categories
            .iter()
            .flat_map(|c| &c.scenarios)
            .map(|s| {
                (
                    s.number as u32,
                    (
                        s.id.clone(),
                        format!(
                            "{} — {}",
                            book.labels.your_approach,
                            s.heading(&book.labels)
                        ),
                    ),
                )
            })
            .collect();
        FormFields {
            labels,
            font: None,
            fields: Vec::new(),
            parts: HashMap::new(),
        }
    }

    /// Field objects written so far.
    pub fn count(&self) -> usize {
        self.fields.len()
    }

    /// Writes the widget of every answer area on `page` and returns, for
    /// each, its id (for the page's `/Annots`), its key in the parent tree
    /// (taken from `next_key`) and its `Form` element.
    pub(super) fn widgets(
        &mut self,
        file: &mut PdfFile,
        page: &Page,
        next_key: &mut usize,
    ) -> Vec<(ObjectId, usize, Tag)> {
        let mut ids = Vec::new();
        for area in &page.answer_areas {
            let Some((name, tooltip)) = self.labels.get(&area.scenario) else {
                continue;
            };
            let part = self.parts.entry(area.scenario).or_insert(0);
            *part += 1;
            let (name, tooltip) = if *part == 1 {
                (name.clone(), tooltip.clone())
            } else {
                (format!("{name}-{part}"), format!("{tooltip} ({})", *part))
            };
            let (name, tooltip) = (&name, &tooltip);
            let font = *self.font.get_or_insert_with(|| file.reserve());
            // The appearance: an empty text field's marked content, in a
            // form XObject the size of the field.
            let appearance = file.reserve();
            let mut dict = b"/Type/XObject/Subtype/Form/BBox[0 0 ".to_vec();
            dict.number(area.rect.width);
            dict.push(b' ');
            dict.number(area.rect.height);
            let _ = write!(dict, "]/Resources<</Font<</Helv {font} 0 R>>>>");
            file.stream(appearance, &dict, b"/Tx BMC EMC");

            let id = file.reserve();
            let mut body = b"<</Type/Annot/Subtype/Widget/FT/Tx/T".to_vec();
            body.text_string(name);
            body.extend_from_slice(b"/TU");
            body.text_string(tooltip);
            let key = *next_key;
            *next_key += 1;
            let _ = write!(body, "/Ff {MULTILINE}/F {PRINT}/StructParent {key}/Rect");
            body.extend_from_slice(&super::pdf_writer::pdf_rect(&area.rect, page.height));
            body.extend_from_slice(b"/DA");
            let mut da = b"/Helv ".to_vec();
            da.number(FIELD_TEXT_PT);
            da.extend_from_slice(b" Tf 0 g");
            body.literal_string(&da);
            let _ = write!(
                body,
                "/V()/Border[0 0 0]/MK<<>>/AP<</N {appearance} 0 R>>>>"
            );
            file.object(id, &body);
            self.fields.push(id);
            ids.push((id, key, area.tag));
        }
        ids
    }

    /// The catalog's `/AcroForm` entry (empty when no field was written),
    /// writing the font the fields' text is set in.
    pub(super) fn acroform(&self, file: &mut PdfFile) -> Vec<u8> {
        let Some(font) = self.font else {
            return Vec::new();
        };
        file.object(
            font,
            b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        );
        let mut out = b"/AcroForm<</Fields[".to_vec();
        for (k, id) in self.fields.iter().enumerate() {
            if k > 0 {
                out.push(b' ');
            }
            out.reference(*id);
        }
        let _ = write!(out, "]/DR<</Font<</Helv {font} 0 R>>>>/DA");
        let mut da = b"/Helv ".to_vec();
        da.number(FIELD_TEXT_PT);
        da.extend_from_slice(b" Tf 0 g");
        out.literal_string(&da);
        out.extend_from_slice(b">>");
        out
    }
}
