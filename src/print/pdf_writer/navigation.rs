//! How a reader moves through the file: the nested outline (bookmarks), the
//! page labels that make the viewer show "iii" and "12" rather than page
//! indexes, and the destinations that outline entries and internal links
//! jump to — all written at the end, once every page's place is known.

use std::io::Write;

use super::PdfWriter;
use crate::print::page::{LabelRange, LabelStyle, OutlineEntry};
use crate::print::pdf_file::{ObjectId, PdfSyntax};
use crate::print::sink::PageRecords;

impl PdfWriter {
    /// Writes the outline and returns its root's id.
    pub(super) fn write_outline(
        &mut self,
        outline: &[OutlineEntry],
        records: &PageRecords,
    ) -> ObjectId {
        let outline_root = self.file.reserve();
        let (first, last, count) = self.outline_level(outline, outline_root, records);
        let mut outlines = b"<</Type/Outlines".to_vec();
        if let (Some(first), Some(last)) = (first, last) {
            let _ = write!(outlines, "/First {first} 0 R/Last {last} 0 R");
        }
        let _ = write!(outlines, "/Count {count}>>");
        self.file.object(outline_root, &outlines);
        outline_root
    }

    /// Writes one level of the outline under `parent`: (first, last, count).
    fn outline_level(
        &mut self,
        entries: &[OutlineEntry],
        parent: ObjectId,
        records: &PageRecords,
    ) -> (Option<ObjectId>, Option<ObjectId>, i64) {
        let ids: Vec<ObjectId> = entries.iter().map(|_| self.file.reserve()).collect();
        for (k, entry) in entries.iter().enumerate() {
            let (first, last, count) = self.outline_level(&entry.children, ids[k], records);
            let mut dict = b"<</Title".to_vec();
            dict.text_string(&entry.title);
            let _ = write!(dict, "/Parent {parent} 0 R");
            if k > 0 {
                let _ = write!(dict, "/Prev {} 0 R", ids[k - 1]);
            }
            if k + 1 < ids.len() {
                let _ = write!(dict, "/Next {} 0 R", ids[k + 1]);
            }
            self.push_destination(&mut dict, records, &entry.destination);
            if let (Some(first), Some(last)) = (first, last) {
                // Categories open, their question/answer lists closed.
                let open = entry.children.iter().any(|c| !c.children.is_empty());
                let _ = write!(
                    dict,
                    "/First {first} 0 R/Last {last} 0 R/Count {}",
                    if open { count } else { -count }
                );
            }
            dict.extend_from_slice(b">>");
            self.file.object(ids[k], &dict);
        }
        (ids.first().copied(), ids.last().copied(), ids.len() as i64)
    }

    /// The catalog's `/PageLabels` entry for the book's label ranges.
    pub(super) fn page_labels(&self, ranges: &[LabelRange]) -> Vec<u8> {
        let mut labels = b"/PageLabels<</Nums[".to_vec();
        for (k, range) in self.label_ranges(ranges).iter().enumerate() {
            if k > 0 {
                labels.push(b' ');
            }
            let _ = write!(labels, "{} <<", range.first_page);
            match range.style {
                LabelStyle::None => {}
                LabelStyle::LowerRoman => labels.extend_from_slice(b"/S/r"),
                LabelStyle::Decimal => labels.extend_from_slice(b"/S/D"),
            }
            if range.style != LabelStyle::None {
                let _ = write!(labels, "/St {}", range.start);
            }
            labels.extend_from_slice(b">>");
        }
        labels.extend_from_slice(b"]>>");
        labels
    }

    /// The book's page label ranges, moved to where their first kept page
    /// is in this file (a range whose pages were all left out goes).
    fn label_ranges(&self, ranges: &[LabelRange]) -> Vec<LabelRange> {
        let mut moved: Vec<LabelRange> = Vec::new();
        for range in ranges {
            let first = if self.kept.is_empty() {
                Some(range.first_page)
            } else {
                self.kept[range.first_page.min(self.kept.len())..]
                    .iter()
                    .find_map(|k| *k)
            };
            let Some(first) = first else {
                continue;
            };
            if moved.last().is_some_and(|last| last.first_page == first) {
                moved.pop();
            }
            moved.push(LabelRange {
                first_page: first,
                ..*range
            });
        }
        moved
    }

    /// `/Dest[page /XYZ null top null]`, the spot keeping the reader's
    /// zoom, when `name` is a destination on a page of this file; nothing
    /// otherwise.
    pub(super) fn push_destination(&self, out: &mut Vec<u8>, records: &PageRecords, name: &str) {
        let Some((page, top)) = self.destination(records, name) else {
            return;
        };
        out.extend_from_slice(b"/Dest[");
        out.reference(page);
        out.extend_from_slice(b"/XYZ null ");
        out.number(top);
        out.extend_from_slice(b" null]");
    }

    /// The page of this file that destination `name` is on, and the top of
    /// the view there (4 pt above the destination's y, in PDF coordinates).
    fn destination(&self, records: &PageRecords, name: &str) -> Option<(ObjectId, f32)> {
        let &(index, y) = records.destinations.get(name)?;
        // A laid-out page's place in this file (the print interior leaves
        // the cover out, so its numbering starts two pages later).
        let index = self.kept.get(index).copied().unwrap_or(Some(index))?;
        let page = *self.page_ids.get(index)?;
        Some((page, self.page_heights[index] - y + 4.0))
    }
}
