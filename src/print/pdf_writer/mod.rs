//! The PDF writer: turns the page model into PDF, one page at a time. It is a
//! `PageSink`: each page the final layout pass finishes is written at once —
//! its images (the first time each is seen), its deflated content stream
//! (`pdf_content`), its page object and link annotations — and then dropped,
//! so memory does not grow with the book. What needs the whole book comes at
//! the end: the fonts (subset keeping glyph ids, so pages could use those ids
//! before every glyph was known; `pdf_fonts`), the shared resources, internal
//! links' targets, the page tree, the nested outline, page labels, language,
//! metadata and a stable file ID. Dates come from the book, so two builds of
//! the same book are byte-identical.

use std::io::Write;

use super::page::{
    Document, DocumentInfo, Item, LabelRange, LabelStyle, LinkTarget, OutlineEntry, Page, Rect,
    StructKind, StructNode, Tag,
};
use super::pdf_content::{self, ImageNames};
use super::pdf_file::{ObjectId, PdfFile, PdfSyntax};
use super::pdf_fonts::{self, UsedGlyphs};
use super::sink::{LaidOut, PageRecords, PageSink};

/// Deflate level for content streams: level 6 makes files about 3% smaller
/// than level 3 at twice the time; level 1 makes them 28% larger (2.6 MB
/// against 2.0 MB for the book) for about 40 ms less work.
const DEFLATE_LEVEL: u8 = 3;

/// The least resolution a raster image should have at its printed size:
/// print-on-demand services ask for 300 ppi and warn below it.
pub const PRINT_PPI: f32 = 300.0;

/// An internal link whose annotation is written at the end, when its target
/// page is known.
struct PendingLink {
    id: ObjectId,
    /// `[x1 y1 x2 y2]` in PDF coordinates, already formatted.
    rect: Vec<u8>,
    destination: String,
    /// The annotation's key in the structure's parent tree.
    key: usize,
    contents: String,
}

/// What a page contributes to the structure tree: its parent-tree key, the
/// element of each of its MCIDs, and its link annotations with their keys
/// and `Link` elements. Kept for every page (a few numbers each).
struct PageStructure {
    key: usize,
    mcids: Vec<Tag>,
    annotations: Vec<(ObjectId, usize, Tag)>,
}

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
    /// Each structure element's type and text alternative, as far as the
    /// pages so far need them.
    kinds: Vec<StructKind>,
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
            kinds: Vec::new(),
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
        // Images are named in the order the layout first shows them, pages
        // left out included, so every edition's content streams agree.
        for item in page.items.iter().chain(&page.furniture) {
            if let Item::Image { image, .. } = item
                && !self.image_names.contains_key(&image.key)
            {
                let name = format!("Img{}", self.image_names.len() + 1);
                self.image_names.insert(image.key.clone(), name);
            }
        }
        let print = self.edition == Edition::PrintInterior;
        if print && page.role == super::page::PageRole::Cover {
            // The cover is its own file in print; its inside goes with it.
            self.kept.push(None);
            return shared;
        }
        self.kept.push(Some(self.page_ids.len()));
        if print {
            self.note_low_resolution(page);
        }
        for item in page.items.iter().chain(&page.furniture) {
            match item {
                Item::Text(run) => self.used.record(run),
                Item::Image { image, .. } if !self.images_written.contains(&image.key) => {
                    let name = self.image_names[&image.key].clone();
                    let id = self.file.reserve();
                    let mut dict = Vec::new();
                    let _ = write!(
                        dict,
                        "/Type/XObject/Subtype/Image/Width {}/Height {}\
                         /ColorSpace/{}/BitsPerComponent 8",
                        image.width,
                        image.height,
                        if print { "DeviceGray" } else { "DeviceRGB" }
                    );
                    if print {
                        let grey = super::pdfx::grey_pixels(&image.pixels);
                        self.file.deflated_stream(id, &dict, &grey, DEFLATE_LEVEL);
                    } else {
                        self.file
                            .deflated_stream(id, &dict, &image.pixels, DEFLATE_LEVEL);
                    }
                    self.images_written.insert(image.key.clone());
                    self.images.push((name, id));
                }
                _ => {}
            }
        }
        let content = shared.unwrap_or_else(|| {
            let (content, mcids) =
                pdf_content::page_content(page, &self.image_names, structure, &self.used);
            PageContent {
                deflated: miniz_oxide::deflate::compress_to_vec_zlib(&content, DEFLATE_LEVEL),
                mcids,
            }
        });
        let mcids = content.mcids.clone();
        let content_id = self.file.reserve();
        self.file
            .stream(content_id, b"/Filter/FlateDecode", &content.deflated);

        let page_key = self.next_key;
        self.next_key += 1;
        let mut annotations = Vec::new();
        let mut tagged_annotations = Vec::new();
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
                    let mut body = b"<</Type/Annot/Subtype/Link/F 4/Rect".to_vec();
                    body.extend_from_slice(&rect);
                    let _ = write!(body, "/StructParent {key}/Contents");
                    body.text_string(&contents);
                    body.extend_from_slice(b"/Border[0 0 0]/A<</S/URI/URI");
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
            annotations.push(id);
            tagged_annotations.push((id, key, link.tag));
        }
        if let Some(form) = &mut self.form {
            for (id, key, tag) in form.widgets(&mut self.file, page, &mut self.next_key) {
                annotations.push(id);
                tagged_annotations.push((id, key, tag));
            }
        }
        // Element types for the tree, as far as this page needs them.
        if self.kinds.len() < structure.len() {
            self.kinds
                .extend(structure[self.kinds.len()..].iter().map(|n| n.kind));
        }
        self.structure.push(PageStructure {
            key: page_key,
            mcids,
            annotations: tagged_annotations,
        });

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
            body.extend_from_slice(b"/Annots[");
            for (k, a) in annotations.iter().enumerate() {
                if k > 0 {
                    body.push(b' ');
                }
                body.reference(*a);
            }
            body.push(b']');
        }
        body.extend_from_slice(b">>");
        self.file.object(id, &body);
        self.page_ids.push(id);
        self.page_heights.push(page.height);
        self.page_width = page.width;
        Some(content)
    }

    /// Notes each image on `page` printed at less than `PRINT_PPI` pixels
    /// per inch (once per image, at its lowest resolution in the book).
    fn note_low_resolution(&mut self, page: &Page) {
        for item in &page.items {
            let Item::Image { rect, image, .. } = item else {
                continue;
            };
            let ppi = (image.width as f32 / (rect.width / 72.0))
                .min(image.height as f32 / (rect.height / 72.0));
            if ppi >= PRINT_PPI {
                continue;
            }
            match self
                .low_resolution
                .iter_mut()
                .find(|(key, _)| *key == image.key)
            {
                Some((_, lowest)) => *lowest = lowest.min(ppi),
                None => self.low_resolution.push((image.key.clone(), ppi)),
            }
        }
    }

    /// Images the print interior shows at under `PRINT_PPI` (the image's
    /// key, its path, and its resolution there), for the build to warn of.
    pub fn low_resolution_images(&self) -> &[(String, f32)] {
        &self.low_resolution
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

    /// `[page /XYZ null top null]`: the spot, keeping the reader's zoom.
    fn destination(&self, records: &PageRecords, name: &str) -> Option<Vec<u8>> {
        let &(index, y) = records.destinations.get(name)?;
        // A laid-out page's place in this file (the print interior leaves
        // the cover out, so its numbering starts two pages later).
        let index = self.kept.get(index).copied().unwrap_or(Some(index))?;
        let page = *self.page_ids.get(index)?;
        let mut out = b"[".to_vec();
        out.reference(page);
        out.extend_from_slice(b"/XYZ null ");
        out.number(self.page_heights[index] - y + 4.0);
        out.extend_from_slice(b" null]");
        Some(out)
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
        for link in std::mem::take(&mut self.links) {
            let mut body = b"<</Type/Annot/Subtype/Link/F 4/Rect".to_vec();
            body.extend_from_slice(&link.rect);
            let _ = write!(body, "/StructParent {}/Contents", link.key);
            body.text_string(&link.contents);
            body.extend_from_slice(b"/Border[0 0 0]");
            if let Some(dest) = self.destination(records, &link.destination) {
                body.extend_from_slice(b"/Dest");
                body.extend_from_slice(&dest);
            }
            body.extend_from_slice(b">>");
            self.file.compressed_object(link.id, &body);
        }

        if self.edition == Edition::PrintInterior {
            self.pad_to_even();
        }
        let mut pages = b"<</Type/Pages/Kids[".to_vec();
        for (k, id) in self.page_ids.iter().enumerate() {
            if k > 0 {
                pages.push(b' ');
            }
            pages.reference(*id);
        }
        let _ = write!(pages, "]/Count {}>>", self.page_ids.len());
        self.file.object(self.pages_id, &pages);

        // Nested outline.
        let outline_root = self.file.reserve();
        let (first, last, count) = self.outline_level(&laid_out.outline, outline_root, records);
        let mut outlines = b"<</Type/Outlines".to_vec();
        if let (Some(first), Some(last)) = (first, last) {
            let _ = write!(outlines, "/First {first} 0 R/Last {last} 0 R");
        }
        let _ = write!(outlines, "/Count {count}>>");
        self.file.object(outline_root, &outlines);

        // The structure tree, the metadata stream and the output intent.
        let struct_root = self.write_structure(&laid_out.structure);
        let metadata = self.write_metadata(&laid_out.info);
        let output_intents = match self.edition {
            Edition::Screen => {
                let icc = self.file.reserve();
                self.file
                    .deflated_stream(icc, b"/N 3", SRGB_PROFILE, DEFLATE_LEVEL);
                format!(
                    "/OutputIntents[<</Type/OutputIntent/S/GTS_PDFA1\
                     /OutputConditionIdentifier(sRGB IEC61966-2.1)/Info(sRGB IEC61966-2.1)\
                     /DestOutputProfile {icc} 0 R>>]"
                )
                .into_bytes()
            }
            Edition::PrintInterior => super::pdfx::output_intents(&mut self.file),
        };

        // The catalog: page labels, language, viewer preferences.
        let mut catalog = Vec::new();
        let _ = write!(
            catalog,
            "<</Type/Catalog/Pages {} 0 R/Outlines {outline_root} 0 R/PageMode/UseOutlines\
             /PageLabels<</Nums[",
            self.pages_id
        );
        for (k, range) in self.label_ranges(&laid_out.label_ranges).iter().enumerate() {
            if k > 0 {
                catalog.push(b' ');
            }
            let _ = write!(catalog, "{} <<", range.first_page);
            match range.style {
                LabelStyle::None => {}
                LabelStyle::LowerRoman => catalog.extend_from_slice(b"/S/r"),
                LabelStyle::Decimal => catalog.extend_from_slice(b"/S/D"),
            }
            if range.style != LabelStyle::None {
                let _ = write!(catalog, "/St {}", range.start);
            }
            catalog.extend_from_slice(b">>");
        }
        catalog.extend_from_slice(b"]>>");
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

        // Metadata, dated by the book, not the clock.
        let info = &laid_out.info;
        let mut dict = b"<</Title".to_vec();
        dict.text_string(&info.title);
        dict.extend_from_slice(b"/Author");
        dict.text_string(&info.author);
        dict.extend_from_slice(b"/Subject");
        dict.text_string(&info.subject);
        dict.extend_from_slice(b"/Keywords");
        dict.text_string(&info.keywords.join(", "));
        dict.extend_from_slice(b"/Creator");
        dict.text_string("casebook");
        dict.extend_from_slice(b"/Producer");
        dict.text_string("casebook");
        let date = pdf_date(info.created);
        dict.extend_from_slice(b"/CreationDate");
        dict.literal_string(date.as_bytes());
        dict.extend_from_slice(b"/ModDate");
        dict.literal_string(date.as_bytes());
        if self.edition == Edition::PrintInterior {
            dict.extend_from_slice(super::pdfx::INFO_KEYS);
        }
        dict.extend_from_slice(b">>");
        let info_id = self.file.reserve();
        self.file.object(info_id, &dict);

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

    /// Writes the structure tree and returns its root's id. Each element's
    /// kids (elements, marked content on a page, annotations) are listed in
    /// the order the content first appears, so the tree reads in the order
    /// of the pages. Elements that hold no content are left out.
    fn write_structure(&mut self, nodes: &[StructNode]) -> ObjectId {
        enum Kid {
            Element(usize),
            Content { page: usize, mcid: usize },
            Annotation { page: usize, id: ObjectId },
        }
        let root_id = self.file.reserve();
        let mut kids: Vec<Vec<Kid>> = (0..nodes.len()).map(|_| Vec::new()).collect();
        let mut ids: Vec<Option<ObjectId>> = vec![None; nodes.len()];
        let mut top: Vec<usize> = Vec::new();
        let place = |tag: Tag,
                     file: &mut PdfFile,
                     kids: &mut Vec<Vec<Kid>>,
                     ids: &mut Vec<Option<ObjectId>>,
                     top: &mut Vec<usize>| {
            let mut node = tag.index();
            while ids[node].is_none() {
                ids[node] = Some(file.reserve());
                let parent = nodes[node].parent;
                if parent.is_artifact() {
                    top.push(node);
                    break;
                }
                kids[parent.index()].push(Kid::Element(node));
                node = parent.index();
            }
        };
        for (page, entry) in self.structure.iter().enumerate() {
            for (mcid, tag) in entry.mcids.iter().enumerate() {
                if tag.index() < nodes.len() {
                    place(*tag, &mut self.file, &mut kids, &mut ids, &mut top);
                    kids[tag.index()].push(Kid::Content { page, mcid });
                }
            }
            for (id, _, tag) in &entry.annotations {
                if tag.index() < nodes.len() {
                    place(*tag, &mut self.file, &mut kids, &mut ids, &mut top);
                    kids[tag.index()].push(Kid::Annotation { page, id: *id });
                }
            }
        }
        for (k, node) in nodes.iter().enumerate() {
            let Some(id) = ids[k] else { continue };
            let parent = if node.parent.is_artifact() {
                root_id
            } else {
                ids[node.parent.index()].unwrap_or(root_id)
            };
            let mut body = Vec::new();
            let _ = write!(
                body,
                "<</Type/StructElem/S/{}/P {parent} 0 R",
                node.kind.name()
            );
            if let Some(alt) = &node.alt {
                body.extend_from_slice(b"/Alt");
                body.text_string(alt);
            }
            if node.kind == StructKind::TH {
                body.extend_from_slice(b"/A<</O/Table/Scope/Column>>");
            }
            // Content all on one page (most elements) names the page once
            // and lists bare MCIDs.
            let mut pages = kids[k].iter().filter_map(|kid| match kid {
                Kid::Content { page, .. } => Some(*page),
                _ => None,
            });
            let one_page = pages.next().filter(|first| pages.all(|p| p == *first));
            if let Some(page) = one_page {
                let _ = write!(body, "/Pg {} 0 R", self.page_ids[page]);
            }
            body.extend_from_slice(b"/K[");
            for kid in &kids[k] {
                match kid {
                    Kid::Element(e) => {
                        if let Some(e) = ids[*e] {
                            let _ = write!(body, "{e} 0 R ");
                        }
                    }
                    Kid::Content { mcid, .. } if one_page.is_some() => {
                        let _ = write!(body, "{mcid} ");
                    }
                    Kid::Content { page, mcid } => {
                        let _ = write!(
                            body,
                            "<</Type/MCR/Pg {} 0 R/MCID {mcid}>> ",
                            self.page_ids[*page]
                        );
                    }
                    Kid::Annotation { page, id } => {
                        let _ = write!(
                            body,
                            "<</Type/OBJR/Pg {} 0 R/Obj {id} 0 R>> ",
                            self.page_ids[*page]
                        );
                    }
                }
            }
            body.extend_from_slice(b"]>>");
            self.file.compressed_object(id, &body);
        }
        // The parent tree: for each page, the element of each MCID; for
        // each annotation, its Link element.
        let mut nums = b"<</Nums[".to_vec();
        let element = |tag: &Tag| -> Option<ObjectId> { ids.get(tag.index()).copied().flatten() };
        for entry in &self.structure {
            let _ = write!(nums, "{} [", entry.key);
            for tag in &entry.mcids {
                match element(tag) {
                    Some(e) => {
                        let _ = write!(nums, "{e} 0 R ");
                    }
                    None => nums.extend_from_slice(b"null "),
                }
            }
            nums.extend_from_slice(b"] ");
            for (_, key, tag) in &entry.annotations {
                match element(tag) {
                    Some(e) => {
                        let _ = write!(nums, "{key} {e} 0 R ");
                    }
                    None => {
                        let _ = write!(nums, "{key} null ");
                    }
                }
            }
        }
        nums.extend_from_slice(b"]>>");
        let parent_tree = self.file.reserve();
        self.file.compressed_object(parent_tree, &nums);
        let mut root = b"<</Type/StructTreeRoot/K[".to_vec();
        for node in &top {
            if let Some(id) = ids[*node] {
                let _ = write!(root, "{id} 0 R ");
            }
        }
        let _ = write!(
            root,
            "]/ParentTree {parent_tree} 0 R/ParentTreeNextKey {}>>",
            self.next_key
        );
        self.file.object(root_id, &root);
        root_id
    }

    /// The XMP metadata: title, author, dates (the Info dictionary's, as
    /// PDF/A asks) and the PDF/UA-1 and PDF/A-2 identification.
    fn write_metadata(&mut self, info: &DocumentInfo) -> ObjectId {
        let date = xmp_date(info.created);
        // The screen edition claims PDF/UA-1 and PDF/A-2a; the print
        // interior PDF/X-4 (it has no links, so no PDF/UA claim).
        let (namespaces, identification) = match self.edition {
            Edition::Screen => (
                "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\" \
                 xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""
                    .to_string(),
                "<pdfuaid:part>1</pdfuaid:part>\n\
                 <pdfaid:part>2</pdfaid:part>\n\
                 <pdfaid:conformance>A</pdfaid:conformance>\n"
                    .to_string(),
            ),
            Edition::PrintInterior => (
                super::pdfx::XMP_NAMESPACES.to_string(),
                super::pdfx::xmp_properties(&info.identifier, "print-interior"),
            ),
        };
        let described = format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>\n\
<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>\n\
<pdf:Keywords>{keywords}</pdf:Keywords>\n",
            subject = xml_escape(&info.subject),
            language = xml_escape(&info.language),
            keywords = xml_escape(&info.keywords.join(", ")),
        );
        let xml = xmp_packet(
            &namespaces,
            &info.title,
            &info.author,
            &described,
            &date,
            &identification,
        );
        let id = self.file.reserve();
        // Uncompressed, so tools that do not inflate streams can read it.
        self.file
            .stream(id, b"/Type/Metadata/Subtype/XML", xml.as_bytes());
        id
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
            if let Some(dest) = self.destination(records, &entry.destination) {
                dict.extend_from_slice(b"/Dest");
                dict.extend_from_slice(&dest);
            }
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

pub(super) fn pdf_rect(rect: &Rect, page_height: f32) -> Vec<u8> {
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

/// The output intent's profile: sRGB from Debian's icc-profiles-free
/// (zlib licence, `src/print/srgb-icc-LICENSE.txt`).
const SRGB_PROFILE: &[u8] = include_bytes!("../srgb.icc");

/// Text for XML content.
/// An XMP metadata packet: title, creator and dates, then `described`
/// (further properties, already XML) and `identification` (the PDF/A, UA
/// or X properties, whose namespaces `namespaces` declares).
pub(super) fn xmp_packet(
    namespaces: &str,
    title: &str,
    author: &str,
    described: &str,
    date: &str,
    identification: &str,
) -> String {
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
{namespaces}>\n\
<dc:format>application/pdf</dc:format>\n\
<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>\n\
{described}\
<pdf:Producer>casebook</pdf:Producer>\n\
<xmp:CreatorTool>casebook</xmp:CreatorTool>\n\
<xmp:CreateDate>{date}</xmp:CreateDate>\n\
<xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
<xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
{identification}\
</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>",
        title = xml_escape(title),
        author = xml_escape(author),
    )
}

pub(super) fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// An XMP date: the same instant as `pdf_date`, in ISO 8601.
pub(super) fn xmp_date(epoch: i64) -> String {
    let d = pdf_date(epoch);
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[2..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14],
        &d[14..16]
    )
}

pub(super) fn pdf_date(epoch: i64) -> String {
    let days = epoch.div_euclid(86400);
    let secs = epoch.rem_euclid(86400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!(
        "D:{y:04}{m:02}{d:02}{:02}{:02}{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

pub(super) fn stable_id(text: &str) -> Vec<u8> {
    // Two FNV-1a hashes with different seeds: 16 bytes, no extra dependency.
    let mut out = Vec::with_capacity(16);
    for seed in [0xcbf29ce484222325u64, 0x84222325cbf29ce4u64] {
        let mut h = seed;
        for b in text.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        out.extend(h.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::page::{PageRole, Rect};

    #[test]
    fn pdf_dates_are_utc() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(1_795_651_200), "D:20261126000000Z");
    }

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
        Page {
            width: 400.0,
            height: 600.0,
            text_block: block,
            role: PageRole::Plain,
            label: "1".into(),
            items: vec![Item::Text(crate::print::page::GlyphRun {
                face: crate::print::fonts::FaceId::Serif,
                size: 10.0,
                x: 50.0,
                baseline: 100.0,
                width: 290.0,
                gray: 0.0,
                glyphs: glyphs.into(),
                tag: crate::print::page::Tag::ARTIFACT,
                link: 0,
            })],
            furniture: Vec::new(),
            links: Vec::new(),
            destinations: Vec::new(),
            starts_at: crate::print::page::Origin::NONE,
            answer_areas: Vec::new(),
        }
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
