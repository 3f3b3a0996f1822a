//! The screen edition's annotations: link annotations (web links written
//! with their page; internal links at the end, once their target's page is
//! known) and the fillable workbook's form widgets, each with its key in
//! the structure tree's parent tree. The print interior has none.

use std::io::Write;

use super::PdfWriter;
use crate::print::page::{LinkTarget, Page, Rect, Tag};
use crate::print::pdf_file::{ObjectId, PdfSyntax};
use crate::print::sink::PageRecords;

/// An internal link whose annotation is written at the end, when its target
/// page is known.
pub(super) struct PendingLink {
    id: ObjectId,
    /// `[x1 y1 x2 y2]` in PDF coordinates, already formatted.
    rect: Vec<u8>,
    destination: String,
    /// The annotation's key in the structure's parent tree.
    key: usize,
    contents: String,
}

impl PdfWriter {
    /// Writes (or, for internal links, reserves) the annotations of `page`
    /// and returns each one's id, parent-tree key and element, in the order
    /// the page lists them: its links, then its form fields' widgets.
    pub(super) fn write_annotations(
        &mut self,
        page: &Page,
        print: bool,
    ) -> Vec<(ObjectId, usize, Tag)> {
        let mut annotations = Vec::new();
        // Links belong to the screen edition: the print interior has no
        // annotations at all (nor their OBJR in the structure tree).
        let links = if print { &[][..] } else { &page.links[..] };
        for link in links {
            let id = self.file.reserve();
            let rect = pdf_rect(&link.rect, page.height);
            let key = self.next_key;
            self.next_key += 1;
            let contents = if link.contents.is_empty() {
                match &link.target {
                    LinkTarget::External(url) => url.clone(),
                    LinkTarget::Internal(name) => name.clone(),
                }
            } else {
                link.contents.clone()
            };
            match &link.target {
                LinkTarget::External(url) => {
                    let mut body = link_annotation(&rect, key, &contents);
                    body.extend_from_slice(b"/A<</S/URI/URI");
                    body.literal_string(url.as_bytes());
                    body.extend_from_slice(b">>>>");
                    self.file.compressed_object(id, &body);
                }
                LinkTarget::Internal(name) => self.links.push(PendingLink {
                    id,
                    rect,
                    destination: name.clone(),
                    key,
                    contents,
                }),
            }
            annotations.push((id, key, link.tag));
        }
        if let Some(form) = &mut self.form {
            annotations.extend(form.widgets(&mut self.file, page, &mut self.next_key));
        }
        annotations
    }

    /// Writes the internal links' annotations, each landing on the exact
    /// spot of its destination.
    pub(super) fn write_internal_links(&mut self, records: &PageRecords) {
        for link in std::mem::take(&mut self.links) {
            let mut body = link_annotation(&link.rect, link.key, &link.contents);
            self.push_destination(&mut body, records, &link.destination);
            body.extend_from_slice(b">>");
            self.file.compressed_object(link.id, &body);
        }
    }
}

/// The start of a link annotation's dictionary, up to where its action or
/// destination goes: borderless, printable (`/F 4`), with its parent-tree
/// key and its description for assistive technology.
fn link_annotation(rect: &[u8], key: usize, contents: &str) -> Vec<u8> {
    let mut body = b"<</Type/Annot/Subtype/Link/F 4/Rect".to_vec();
    body.extend_from_slice(rect);
    let _ = write!(body, "/StructParent {key}/Contents");
    body.text_string(contents);
    body.extend_from_slice(b"/Border[0 0 0]");
    body
}

/// `[x1 y1 x2 y2]` for a page-model rectangle: PDF's origin is the page's
/// bottom-left corner, with y growing upwards.
pub(in crate::print) fn pdf_rect(rect: &Rect, page_height: f32) -> Vec<u8> {
    let mut out = b"[".to_vec();
    out.number(rect.x);
    out.push(b' ');
    out.number(page_height - rect.bottom());
    out.push(b' ');
    out.number(rect.right());
    out.push(b' ');
    out.number(page_height - rect.y);
    out.push(b']');
    out
}
