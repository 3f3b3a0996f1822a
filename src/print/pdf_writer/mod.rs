//! The PDF writer: turns the page model into PDF, one page at a time. It is a
//! `PageSink`: each page the final layout pass finishes is written at once —
//! its images (the first time each is seen; `images`), its deflated content
//! stream (`pdf_content`), its page object and annotations (`annotations`) —
//! and then dropped, so memory does not grow with the book. What needs the
//! whole book comes at the end: the fonts (subset keeping glyph ids, so pages
//! could use those ids before every glyph was known; `pdf_fonts`), the shared
//! resources, internal links' targets, the page tree, the outline and page
//! labels (`navigation`), the structure tree (`structure`), and language,
//! metadata, output intent and a stable file ID (`metadata`; the print
//! interior's PDF/X parts are in `pdfx`). Dates come from the book, so two
//! builds of the same book are byte-identical.

mod annotations;
mod images;
mod metadata;
mod navigation;
mod structure;

use std::io::Write;

use super::page::{Document, Item, Page, PageRole, StructNode, Tag};
use super::pdf_content::{self, ImageNames};
use super::pdf_file::{ObjectId, PdfFile, PdfSyntax};
use super::pdf_fonts::{self, UsedGlyphs};
use super::sink::{LaidOut, PageRecords, PageSink};
use annotations::PendingLink;
use structure::PageStructure;

pub(super) use annotations::pdf_rect;
pub use images::PRINT_PPI;
pub(super) use metadata::{pdf_date, stable_id, xmp_date, xmp_packet};

/// Deflate level for content streams: level 6 makes files about 3% smaller
/// than level 3 at twice the time; level 1 makes them 28% larger (2.6 MB
/// against 2.0 MB for the book) for about 40 ms less work.
const DEFLATE_LEVEL: u8 = 3;

/// Which file of the book a writer makes from the laid-out pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    /// For reading on a screen and sharing: the cover as page 1, links,
    /// tagged for PDF/UA, PDF/A's sRGB output intent.
    Screen,
    /// For a print-on-demand press: PDF/X-4 with a grey printer profile,
    /// no cover pages (the cover is its own file), no annotations, an even
    /// page count, trim and bleed boxes, images in grey.
    PrintInterior,
}

/// A page's content stream, deflated, with the structure element of each
/// of its MCIDs: the same for every edition of one layout, so made once.
pub struct PageContent {
    deflated: Vec<u8>,
    mcids: Vec<Tag>,
}

/// The screen edition and the print interior written from the same pages
/// as layout finishes them: each page's content stream is made and
/// deflated once, for both files (it is most of the writing's work).
pub struct ScreenAndPrint {
    pub screen: PdfWriter,
    pub print: PdfWriter,
}

impl ScreenAndPrint {
    pub fn new() -> ScreenAndPrint {
        ScreenAndPrint {
            screen: PdfWriter::new(),
            print: PdfWriter::print_interior(),
        }
    }
}

impl Default for ScreenAndPrint {
    fn default() -> Self {
        ScreenAndPrint::new()
    }
}

impl PageSink for ScreenAndPrint {
    fn page(&mut self, page: Page, structure: &[StructNode]) {
        let content = self.screen.write_page_with(&page, structure, None);
        self.print.write_page_with(&page, structure, content);
    }
}

/// Writes pages as they come; `finish` completes the file.
pub struct PdfWriter {
    edition: Edition,
    /// For each laid-out page handed in, its index in this file (`None`:
    /// left out, as the print interior leaves out the cover).
    kept: Vec<Option<usize>>,
    file: PdfFile,
    pages_id: ObjectId,
    resources_id: ObjectId,
    page_ids: Vec<ObjectId>,
    page_heights: Vec<f32>,
    /// The width of the pages written (for the blank pages that pad the
    /// print interior).
    page_width: f32,
    used: UsedGlyphs,
    image_names: ImageNames,
    images: Vec<(String, ObjectId)>,
    /// Keys of the images written to this file so far.
    images_written: std::collections::HashSet<String>,
    links: Vec<PendingLink>,
    /// Per page written, what the structure tree needs of it.
    structure: Vec<PageStructure>,
    /// The next parent-tree key (pages and annotations share one count).
    next_key: usize,
    /// The first page that could not be written; the edition is refused.
    error: Option<String>,
    /// Images printed under `PRINT_PPI`: key and pixels per inch.
    low_resolution: Vec<(String, f32)>,
    /// The fillable workbook's text fields (`None`: a plain PDF).
    form: Option<super::forms::FormFields>,
}

impl Default for PdfWriter {
    fn default() -> Self {
        PdfWriter::new()
    }
}

impl PageSink for PdfWriter {
    fn page(&mut self, page: Page, structure: &[StructNode]) {
        self.write_page(&page, structure);
    }
}

impl PdfWriter {
    pub fn new() -> PdfWriter {
        PdfWriter::for_edition(Edition::Screen)
    }

    /// The print interior's writer (see `Edition::PrintInterior`).
    pub fn print_interior() -> PdfWriter {
        PdfWriter::for_edition(Edition::PrintInterior)
    }

    fn for_edition(edition: Edition) -> PdfWriter {
        let mut file = match edition {
            Edition::Screen => PdfFile::new(),
            Edition::PrintInterior => PdfFile::with_version("1.6"),
        };
        let pages_id = file.reserve();
        let resources_id = file.reserve();
        PdfWriter {
            edition,
            kept: Vec::new(),
            file,
            pages_id,
            resources_id,
            page_ids: Vec::new(),
            page_heights: Vec::new(),
            page_width: 0.0,
            used: UsedGlyphs::default(),
            image_names: ImageNames::new(),
            images: Vec::new(),
            images_written: Default::default(),
            links: Vec::new(),
            structure: Vec::new(),
            next_key: 0,
            error: None,
            low_resolution: Vec::new(),
            form: None,
        }
    }

    /// A writer that puts a text field over each page's answer areas (the
    /// fillable workbook).
    pub fn fillable(form: super::forms::FormFields) -> PdfWriter {
        PdfWriter {
            form: Some(form),
            ..PdfWriter::new()
        }
    }

    /// Pages written so far.
    pub fn pages_written(&self) -> usize {
        self.page_ids.len()
    }

    /// Bytes of PDF written so far.
    pub fn bytes_written(&self) -> usize {
        self.file.len()
    }

    fn write_page(&mut self, page: &Page, structure: &[StructNode]) {
        self.write_page_with(page, structure, None);
    }

    /// Writes `page`, with its content stream made here or, when `shared`,
    /// the one another edition made of the same page (the bytes are the
    /// same: image names follow the layout, not the file). Returns the
    /// content, for the next edition.
    fn write_page_with(
        &mut self,
        page: &Page,
        structure: &[StructNode],
        shared: Option<PageContent>,
    ) -> Option<PageContent> {
        if self.error.is_some() {
            return shared;
        }
        // Layout keeps text inside the text block (nesting clamped, wide
        // tables split into column groups, tall rows broken); should anything
        // still escape, the edition is refused rather than printed with text
        // off the page.
        if let Some(problem) = page.text_outside_block() {
            self.error = Some(format!(
                "layout error: {problem}; please report it with the source that produced it"
            ));
            return shared;
        }
        self.name_images(page);
        let print = self.edition == Edition::PrintInterior;
        if print && page.role == PageRole::Cover {
            // The cover is its own file in print; its inside goes with it.
            self.kept.push(None);
            return shared;
        }
        self.kept.push(Some(self.page_ids.len()));
        if print {
            self.note_low_resolution(page);
        }
        for item in page.items.iter().chain(&page.furniture) {
            if let Item::Text(run) = item {
                self.used.record(run);
            }
        }
        self.write_new_images(page, print);
        let content = shared.unwrap_or_else(|| {
            let (content, mcids) =
                pdf_content::page_content(page, &self.image_names, structure, &self.used);
            PageContent {
                deflated: miniz_oxide::deflate::compress_to_vec_zlib(&content, DEFLATE_LEVEL),
                mcids,
            }
        });
        let content_id = self.file.reserve();
        self.file
            .stream(content_id, b"/Filter/FlateDecode", &content.deflated);

        let page_key = self.next_key;
        self.next_key += 1;
        let annotations = self.write_annotations(page, print);

        let id = self.file.reserve();
        let mut body = Vec::new();
        let _ = write!(body, "<</Type/Page/Parent {} 0 R", self.pages_id);
        if print {
            // The interior has no bleed (nothing printed runs off the
            // page), so its trim and bleed boxes are the page.
            body.extend(super::pdfx::page_boxes(page.width, page.height, 0.0));
        } else {
            body.extend_from_slice(b"/MediaBox[0 0 ");
            body.number(page.width);
            body.push(b' ');
            body.number(page.height);
            body.push(b']');
        }
        let _ = write!(
            body,
            "/Contents {content_id} 0 R/Resources {} 0 R/StructParents {page_key}/Tabs/S",
            self.resources_id
        );
        if !annotations.is_empty() {
            body.extend_from_slice(b"/Annots");
            reference_array(&mut body, annotations.iter().map(|(a, _, _)| *a));
        }
        body.extend_from_slice(b">>");
        self.file.object(id, &body);
        self.page_ids.push(id);
        self.page_heights.push(page.height);
        self.page_width = page.width;
        self.structure.push(PageStructure {
            key: page_key,
            mcids: content.mcids.clone(),
            annotations,
        });
        Some(content)
    }

    /// Blank pages at the end until the count is even: a printed book's
    /// leaves have two sides, and print services ask for an even count.
    fn pad_to_even(&mut self) {
        let Some(&height) = self.page_heights.last() else {
            return;
        };
        let width = self.page_width;
        while !self.page_ids.len().is_multiple_of(2) {
            let id = self.file.reserve();
            let mut body = Vec::new();
            let _ = write!(body, "<</Type/Page/Parent {} 0 R", self.pages_id);
            body.extend(super::pdfx::page_boxes(width, height, 0.0));
            let _ = write!(body, "/Resources {} 0 R>>", self.resources_id);
            self.file.object(id, &body);
            self.page_ids.push(id);
            self.page_heights.push(height);
        }
    }

    /// Writes what needs the whole book and returns the file.
    pub fn finish(mut self, laid_out: &LaidOut) -> Result<Vec<u8>, String> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let records = &laid_out.records;

        // Fonts, then the resources every page shares.
        let mut resources = b"<</Font<<".to_vec();
        for (face, glyphs) in self.used.faces() {
            let font = pdf_fonts::write_font(&mut self.file, face, &glyphs)?;
            let _ = write!(resources, "/{} {font} 0 R", face.resource_name());
        }
        resources.extend_from_slice(b">>");
        if !self.images.is_empty() {
            resources.extend_from_slice(b"/XObject<<");
            for (name, id) in &self.images {
                let _ = write!(resources, "/{name} {id} 0 R");
            }
            resources.extend_from_slice(b">>");
        }
        resources.extend_from_slice(b">>");
        self.file.object(self.resources_id, &resources);

        // Internal links land on the exact spot.
        self.write_internal_links(records);

        if self.edition == Edition::PrintInterior {
            self.pad_to_even();
        }
        let mut pages = b"<</Type/Pages/Kids".to_vec();
        reference_array(&mut pages, self.page_ids.iter().copied());
        let _ = write!(pages, "/Count {}>>", self.page_ids.len());
        self.file.object(self.pages_id, &pages);

        let outline_root = self.write_outline(&laid_out.outline, records);

        // The structure tree, the metadata stream and the output intent.
        let struct_root = self.write_structure(&laid_out.structure);
        let metadata = self.write_metadata(&laid_out.info);
        let output_intents = self.write_output_intents();

        // The catalog: page labels, language, viewer preferences.
        let mut catalog = Vec::new();
        let _ = write!(
            catalog,
            "<</Type/Catalog/Pages {} 0 R/Outlines {outline_root} 0 R/PageMode/UseOutlines",
            self.pages_id
        );
        catalog.extend(self.page_labels(&laid_out.label_ranges));
        if let Some(form) = &self.form {
            catalog.extend(form.acroform(&mut self.file));
        }
        catalog.extend_from_slice(b"/Lang");
        catalog.literal_string(laid_out.info.language.as_bytes());
        catalog.extend_from_slice(b"/ViewerPreferences<</DisplayDocTitle true>>");
        let _ = write!(
            catalog,
            "/MarkInfo<</Marked true>>/StructTreeRoot {struct_root} 0 R/Metadata {metadata} 0 R"
        );
        catalog.extend(output_intents);
        catalog.extend_from_slice(b">>");
        let catalog_id = self.file.reserve();
        self.file.object(catalog_id, &catalog);

        let info = &laid_out.info;
        let info_id = self.write_info(info);

        // A file ID derived from the book's identifier and page count: stable across builds.
        let id = stable_id(&format!(
            "{}|{}|{}",
            info.identifier,
            self.page_ids.len(),
            info.created
        ));
        let mut trailer = Vec::new();
        let _ = write!(trailer, "/Root {catalog_id} 0 R/Info {info_id} 0 R/ID[");
        trailer.hex_string(&id);
        trailer.hex_string(&id);
        trailer.push(b']');
        Ok(self.file.finish(&trailer))
    }
}

/// Writes a whole laid-out document (every page in memory) as PDF bytes.
pub fn write_pdf(document: &Document) -> Result<Vec<u8>, String> {
    let mut writer = PdfWriter::new();
    let mut records = PageRecords::default();
    for page in &document.pages {
        records.record(page);
        writer.write_page(page, &document.structure);
    }
    let laid_out = LaidOut {
        records,
        structure: document.structure.clone(),
        outline: document.outline.clone(),
        label_ranges: document.label_ranges.clone(),
        info: document.info.clone(),
    };
    writer.finish(&laid_out)
}

/// `[a 0 R b 0 R …]`: an array of references (the page tree's kids, a
/// page's annotations).
fn reference_array(out: &mut Vec<u8>, ids: impl IntoIterator<Item = ObjectId>) {
    out.push(b'[');
    for (k, id) in ids.into_iter().enumerate() {
        if k > 0 {
            out.push(b' ');
        }
        out.reference(id);
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::page::{PageRole, Rect};

    fn page_with_text(words: usize) -> Page {
        let block = Rect {
            x: 50.0,
            y: 50.0,
            width: 300.0,
            height: 500.0,
        };
        let glyphs: Vec<crate::print::page::PlacedGlyph> = (0..words * 6)
            .map(|k| crate::print::page::PlacedGlyph {
                gid: 68 + (k % 26) as u16,
                x: k as f32 * 5.0 % 290.0,
                text: "a".into(),
            })
            .collect();
        let mut page = Page::blank(400.0, 600.0, block, PageRole::Plain);
        page.label = "1".into();
        page.items = vec![Item::Text(crate::print::page::GlyphRun {
            face: crate::print::fonts::FaceId::Serif,
            size: 10.0,
            x: 50.0,
            baseline: 100.0,
            width: 290.0,
            gray: 0.0,
            glyphs: glyphs.into(),
            tag: crate::print::page::Tag::ARTIFACT,
            link: 0,
        })];
        page
    }

    #[test]
    fn the_print_interior_leaves_out_the_cover_and_draws_images_in_grey() {
        let image = std::sync::Arc::new(crate::print::page::RgbImage {
            key: "figure".into(),
            width: 2,
            height: 1,
            pixels: vec![255, 0, 0, 0, 0, 255],
        });
        let mut cover = page_with_text(1);
        cover.role = PageRole::Cover;
        let mut figure = page_with_text(1);
        figure.items.push(Item::Image {
            rect: Rect {
                x: 60.0,
                y: 200.0,
                width: 100.0,
                height: 50.0,
            },
            image,
            tag: crate::print::page::Tag::ARTIFACT,
        });
        let mut both = ScreenAndPrint::new();
        both.page(cover, &[]);
        both.page(figure, &[]);
        let screen = both.screen.finish(&LaidOut::default()).unwrap();
        let print = both.print.finish(&LaidOut::default()).unwrap();
        let has = |bytes: &[u8], needle: &str| {
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        };
        assert!(has(&screen, "/DeviceRGB") && has(&screen, "/Count 2"));
        assert!(!has(&print, "/DeviceRGB") && has(&print, "/ColorSpace/DeviceGray"));
        // One page left, padded to two.
        assert!(has(&print, "/Count 2") && has(&print, "/GTS_PDFXVersion(PDF/X-4)"));
    }

    #[test]
    fn the_writer_keeps_no_page_once_written() {
        // A page handed to the writer is written and dropped: what the writer
        // holds afterwards is its bytes, not the page's glyphs. Write many
        // pages whose glyph lists are far larger than their compressed
        // streams, and check the writer's own state stays small.
        let mut writer = PdfWriter::new();
        let page = page_with_text(2000);
        let glyph_bytes = 12000 * std::mem::size_of::<crate::print::page::PlacedGlyph>();
        let mut weak = Vec::new();
        for _ in 0..50 {
            let mut copy = page.clone();
            if let Item::Text(run) = &mut copy.items[0] {
                // Each page its own glyph list, so a page kept would keep it alive.
                let fresh: std::sync::Arc<[crate::print::page::PlacedGlyph]> =
                    run.glyphs.iter().cloned().collect::<Vec<_>>().into();
                weak.push(std::sync::Arc::downgrade(&fresh));
                run.glyphs = fresh;
            }
            writer.page(copy, &[]);
        }
        assert!(
            weak.iter().all(|w| w.upgrade().is_none()),
            "a page was kept"
        );
        assert_eq!(writer.pages_written(), 50);
        assert!(
            writer.bytes_written() < 50 * glyph_bytes / 4,
            "{} bytes for 50 pages",
            writer.bytes_written()
        );
        let bytes = writer.finish(&LaidOut::default()).unwrap();
        assert!(bytes.starts_with(b"%PDF-1.7"));
        assert!(bytes.ends_with(b"%%EOF\n"));
    }
}
