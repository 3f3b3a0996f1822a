//! The full-wrap cover for a print-on-demand press: back, spine and front
//! on one PDF/X-4 page with bleed, laid out from the interior's page count
//! and paper stock. The front repeats the typographic design of `casebook
//! cover` (src/cover.rs) as vectors: every mark is type or a filled box, so
//! no raster image has a resolution to fall short of 300 ppi. Colours are
//! greys, in the interior's grey output intent.
//!
//! Figures are KDP's published cover rules (help page "Create a paperback
//! cover", as quoted by the calculators of publishing.co.uk, kdpprintcover.com
//! and print.ymirtool.com, checked 2026-12): 0.125 in bleed on every outer
//! edge; spine width = pages × paper thickness; spine text only from 79
//! pages, kept 0.0625 in clear of each fold; the barcode area 2 × 1.2 in at
//! the foot of the back cover, 0.25 in from the trim edges.

use std::io::Write;

use super::fonts::FaceId;
use super::layout::blocks::set_runs;
use super::layout::geometry::Geometry;
use super::page::{GlyphRun, Item};
use super::pdf_content::text_object;
use super::pdf_file::{PdfFile, PdfSyntax};
use super::pdf_fonts::{self, UsedGlyphs};
use super::pdf_writer::{pdf_date, stable_id, xmp_date};
use super::shape::Shaper;
use super::{PaperSize, pdfx};
use crate::model::{Book, PaperStock};

const INCH: f32 = 72.0;

/// Bleed on every outer edge: the press trims inside it.
pub const BLEED: f32 = 0.125 * INCH;

/// Thickness of one page (a leaf is two), in inches: KDP's black-and-white
/// interior papers (white 0.002252 in, cream 0.0025 in).
pub fn page_thickness(stock: PaperStock) -> f32 {
    match stock {
        PaperStock::White => 0.002252,
        PaperStock::Cream => 0.0025,
    }
}

/// KDP prints spine text only on books of at least this many pages.
pub const SPINE_TEXT_MIN_PAGES: usize = 79;

/// Spine text keeps this far from each fold (KDP's clearance).
const SPINE_CLEARANCE: f32 = 0.0625 * INCH;

/// Spine type smaller than this is not worth printing: below 6 pt a title
/// read sideways on a shelf is a smudge.
const SPINE_TEXT_MIN_SIZE: f32 = 6.0;
/// Spine type larger than this shouts on a thick book.
const SPINE_TEXT_MAX_SIZE: f32 = 16.0;
/// Type size as a share of the room between the clearances: capitals and
/// descenders of Noto take about 0.95 of the size; a little air is left.
const SPINE_TEXT_FILL: f32 = 0.8;
/// Spine text keeps this far from the head and foot of the spine.
const SPINE_END_MARGIN: f32 = 0.5 * INCH;

/// The barcode area KDP keeps on the back cover, and its distance from the
/// trimmed edges (bottom right).
const BARCODE_WIDTH: f32 = 2.0 * INCH;
const BARCODE_HEIGHT: f32 = 1.2 * INCH;
const BARCODE_INSET: f32 = 0.25 * INCH;

/// The cover design of `casebook cover`, in its own pixels (1600 wide),
/// scaled to the front panel's width.
const DESIGN_WIDTH: f32 = 1600.0;
const DESIGN_HEIGHT: f32 = 2560.0;
const DESIGN_MARGIN: f32 = 200.0;
/// The PNG's colours as greys (Rec. 601 luma): deep ink ground, paper
/// type, a mid-grey accent where the PNG has amber.
const GROUND: f32 = 0.14;
const INK: f32 = 0.94;
const ACCENT: f32 = 0.65;
/// The barcode area is white (bars need the paper's contrast).
const WHITE: f32 = 1.0;
const BLACK: f32 = 0.0;

/// Back cover text: 11.5 pt serif on 16 pt, the measure of the front.
const BACK_TEXT_SIZE: f32 = 11.5;
const BACK_TEXT_LEADING: f32 = 16.0;
/// Back text starts this far below the trimmed top.
const BACK_TEXT_TOP: f32 = 1.0 * INCH;

/// Where everything on the wrap goes, in points, PDF coordinates (origin
/// at the bottom left of the bleed, y up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wrap {
    pub trim_width: f32,
    pub trim_height: f32,
    pub spine: f32,
    pub pages: usize,
}

impl Wrap {
    pub fn new(paper: PaperSize, pages: usize, stock: PaperStock) -> Wrap {
        let geometry = Geometry::for_paper(paper);
        Wrap {
            trim_width: geometry.width,
            trim_height: geometry.height,
            spine: pages as f32 * page_thickness(stock) * INCH,
            pages,
        }
    }

    /// Back + spine + front with bleed at both outer edges.
    pub fn width(&self) -> f32 {
        2.0 * self.trim_width + self.spine + 2.0 * BLEED
    }

    pub fn height(&self) -> f32 {
        self.trim_height + 2.0 * BLEED
    }

    fn back_left(&self) -> f32 {
        BLEED
    }

    fn spine_left(&self) -> f32 {
        BLEED + self.trim_width
    }

    fn front_left(&self) -> f32 {
        BLEED + self.trim_width + self.spine
    }

    /// The spine's type size, when it has room for type at all.
    pub fn spine_text_size(&self) -> Option<f32> {
        if self.pages < SPINE_TEXT_MIN_PAGES {
            return None;
        }
        let size =
            ((self.spine - 2.0 * SPINE_CLEARANCE) * SPINE_TEXT_FILL).min(SPINE_TEXT_MAX_SIZE);
        (size >= SPINE_TEXT_MIN_SIZE).then_some(size)
    }
}

/// The drawing of the cover: boxes and type, each run with the text matrix
/// it is drawn with.
#[derive(Default)]
struct Drawing {
    shaper: Shaper,
    fills: Vec<([f32; 4], f32)>,
    runs: Vec<(GlyphRun, [f32; 6])>,
}

impl Drawing {
    fn fill(&mut self, x: f32, y: f32, width: f32, height: f32, gray: f32) {
        self.fills.push(([x, y, width, height], gray));
    }

    /// Text starting at (x, y) in PDF coordinates, upright.
    fn text(&mut self, text: &str, face: FaceId, size: f32, x: f32, y: f32, gray: f32) {
        self.text_turned(text, face, size, [1.0, 0.0, 0.0, 1.0, x, y], gray);
    }

    /// Text drawn with `matrix`, the runs of one line after another.
    fn text_turned(&mut self, text: &str, face: FaceId, size: f32, matrix: [f32; 6], gray: f32) {
        for item in set_runs(self.shaper.shape(text, face, size), 0.0, 0.0, gray) {
            if let Item::Text(run) = item {
                let [a, b, c, d, e, f] = matrix;
                let moved = [a, b, c, d, e + a * run.x, f + b * run.x];
                self.runs.push((run, moved));
            }
        }
    }
}

/// The front, spine and back of `book`'s cover for an interior of `pages`
/// pages, as a one-page PDF/X-4 file.
pub fn render_cover_wrap(book: &Book, paper: PaperSize, pages: usize) -> Result<Vec<u8>, String> {
    let wrap = Wrap::new(paper, pages, book.meta.paper_stock);
    let drawing = draw(book, &wrap)?;
    write_pdf(book, &wrap, &drawing)
}

/// Whether the cover for `pages` pages on `stock` carries spine text.
pub fn has_spine_text(paper: PaperSize, pages: usize, stock: PaperStock) -> bool {
    Wrap::new(paper, pages, stock).spine_text_size().is_some()
}

fn draw(book: &Book, wrap: &Wrap) -> Result<Drawing, String> {
    let meta = &book.meta;
    let mut shaper = Shaper::default();
    let mut drawing = Drawing::default();
    drawing.fill(0.0, 0.0, wrap.width(), wrap.height(), GROUND);

    // The front: the PNG cover's design at the panel's scale.
    let scale = wrap.trim_width / DESIGN_WIDTH;
    let vertical = wrap.trim_height / DESIGN_HEIGHT;
    let left = wrap.front_left() + DESIGN_MARGIN * scale;
    let measure = wrap.trim_width - 2.0 * DESIGN_MARGIN * scale;
    let top = BLEED + wrap.trim_height;
    let mut size = 230.0 * scale;
    let mut lines = wrap_words(&mut shaper, &meta.title, FaceId::SerifBold, size, measure);
    while lines.len() > 3 && size > 90.0 * scale {
        size -= 10.0 * scale;
        lines = wrap_words(&mut shaper, &meta.title, FaceId::SerifBold, size, measure);
    }
    let mut baseline = top - 820.0 * vertical;
    for line in &lines {
        drawing.text(line, FaceId::SerifBold, size, left, baseline, INK);
        baseline -= size * 1.1;
    }
    drawing.fill(
        left,
        baseline + size * 0.45 - 14.0 * scale,
        260.0 * scale,
        14.0 * scale,
        ACCENT,
    );
    baseline -= 120.0 * scale;
    if let Some(subtitle) = &meta.subtitle {
        let size = 96.0 * scale;
        for line in wrap_words(&mut shaper, subtitle, FaceId::Sans, size, measure) {
            drawing.text(&line, FaceId::Sans, size, left, baseline, INK);
            baseline -= 110.0 * scale;
        }
    }
    let authors = meta.authors.join(", ");
    let author_size = 64.0 * scale;
    let mut author_baseline = BLEED + 260.0 * vertical;
    for line in wrap_words(&mut shaper, &authors, FaceId::Sans, author_size, measure)
        .iter()
        .rev()
    {
        drawing.text(line, FaceId::Sans, author_size, left, author_baseline, INK);
        author_baseline += 80.0 * scale;
    }

    // The spine: title from the head, author at the foot, reading down
    // (the convention of English-language books: legible when the book
    // lies face up).
    if let Some(size) = wrap.spine_text_size() {
        let centre = wrap.spine_left() + wrap.spine / 2.0;
        // Rotated a quarter turn clockwise: text runs down the page with
        // the letters' tops towards the front; the baseline sits left of
        // the centre by half the height of a capital, so the type is centred.
        let x = centre - size * 0.35;
        let room = wrap.trim_height - 2.0 * SPINE_END_MARGIN;
        let mut title_size = size;
        let author_size = size * 0.8;
        let author_width = shaper.width(&authors, FaceId::Sans, author_size);
        while shaper.width(&meta.title, FaceId::SerifBold, title_size) + author_width + 2.0 * size
            > room
            && title_size > SPINE_TEXT_MIN_SIZE
        {
            title_size -= 0.5;
        }
        let head = BLEED + wrap.trim_height - SPINE_END_MARGIN;
        drawing.text_turned(
            &meta.title,
            FaceId::SerifBold,
            title_size,
            [0.0, -1.0, 1.0, 0.0, x, head],
            INK,
        );
        let foot = BLEED + SPINE_END_MARGIN + author_width;
        drawing.text_turned(
            &authors,
            FaceId::Sans,
            author_size,
            [0.0, -1.0, 1.0, 0.0, x, foot],
            INK,
        );
    }

    // The back: its text from the top, the barcode area at the foot.
    let back_left = wrap.back_left() + DESIGN_MARGIN * scale;
    let barcode_x = wrap.back_left() + wrap.trim_width - BARCODE_INSET - BARCODE_WIDTH;
    let barcode_y = BLEED + BARCODE_INSET;
    let text = meta.back_cover.as_deref().unwrap_or(&meta.description);
    let mut baseline = top - BACK_TEXT_TOP;
    for paragraph in text.split("\n\n") {
        for line in wrap_words(
            &mut shaper,
            paragraph,
            FaceId::Serif,
            BACK_TEXT_SIZE,
            measure,
        ) {
            if baseline - BACK_TEXT_LEADING < barcode_y + BARCODE_HEIGHT {
                return Err("the back cover text does not fit above the barcode area; shorten `back_cover` in book.yaml".into());
            }
            drawing.text(
                &line,
                FaceId::Serif,
                BACK_TEXT_SIZE,
                back_left,
                baseline,
                INK,
            );
            baseline -= BACK_TEXT_LEADING;
        }
        baseline -= BACK_TEXT_LEADING * 0.5;
    }
    drawing.fill(barcode_x, barcode_y, BARCODE_WIDTH, BARCODE_HEIGHT, WHITE);
    if let Some(isbn) = &meta.isbn {
        let digits = crate::model::isbn13_digits(isbn)?;
        draw_barcode(&mut drawing, &digits, isbn, barcode_x, barcode_y);
    }
    Ok(drawing)
}

/// Greedy word wrap by shaped width.
fn wrap_words(shaper: &mut Shaper, text: &str, face: FaceId, size: f32, width: f32) -> Vec<String> {
    crate::cover::wrap_words(text, width, |line| shaper.width(line, face, size))
}

/// EAN-13 bar patterns of the digits (ISO/IEC 15420): L and G codes for the
/// left half (G chosen by the first digit's parity pattern), R for the right.
const EAN_L: [u8; 10] = [0x0D, 0x19, 0x13, 0x3D, 0x23, 0x31, 0x2F, 0x3B, 0x37, 0x0B];
const EAN_G: [u8; 10] = [0x27, 0x33, 0x1B, 0x21, 0x1D, 0x39, 0x05, 0x11, 0x09, 0x17];
const EAN_PARITY: [u8; 10] = [0x00, 0x0B, 0x0D, 0x0E, 0x13, 0x19, 0x1C, 0x15, 0x16, 0x1A];

/// The 95 modules of an EAN-13 symbol (true: a bar).
fn ean13_modules(digits: &str) -> Vec<bool> {
    let d: Vec<usize> = digits.bytes().map(|b| (b - b'0') as usize).collect();
    let mut modules = Vec::with_capacity(95);
    let mut push = |bits: u8, width: u32| {
        for k in (0..width).rev() {
            modules.push(bits >> k & 1 == 1);
        }
    };
    push(0b101, 3);
    for (k, digit) in d[1..7].iter().enumerate() {
        let g = EAN_PARITY[d[0]] >> (5 - k) & 1 == 1;
        push(if g { EAN_G[*digit] } else { EAN_L[*digit] }, 7);
    }
    push(0b01010, 5);
    for digit in &d[7..13] {
        push(!EAN_L[*digit] & 0x7F, 7);
    }
    push(0b101, 3);
    modules
}

/// The ISBN's EAN-13 bars in the barcode area, with the ISBN as written
/// above them, at the symbol's nominal size (0.33 mm modules).
fn draw_barcode(drawing: &mut Drawing, digits: &str, isbn: &str, x: f32, y: f32) {
    const MODULE: f32 = 0.33 / 25.4 * INCH;
    const BAR_HEIGHT: f32 = 0.6 * INCH;
    let modules = ean13_modules(digits);
    let left = x + (BARCODE_WIDTH - MODULE * modules.len() as f32) / 2.0;
    let bottom = y + 0.3 * INCH;
    let mut k = 0;
    while k < modules.len() {
        if modules[k] {
            let start = k;
            while k < modules.len() && modules[k] {
                k += 1;
            }
            drawing.fill(
                left + start as f32 * MODULE,
                bottom,
                (k - start) as f32 * MODULE,
                BAR_HEIGHT,
                BLACK,
            );
        } else {
            k += 1;
        }
    }
    let label = format!("ISBN {isbn}");
    let size = 8.0;
    let width = drawing.shaper.width(&label, FaceId::Sans, size);
    drawing.text(
        &label,
        FaceId::Sans,
        size,
        x + (BARCODE_WIDTH - width) / 2.0,
        bottom + BAR_HEIGHT + 5.0,
        BLACK,
    );
    let size = 7.0;
    let width = drawing.shaper.width(digits, FaceId::Mono, size);
    drawing.text(
        digits,
        FaceId::Mono,
        size,
        x + (BARCODE_WIDTH - width) / 2.0,
        bottom - 9.0,
        BLACK,
    );
}

fn write_pdf(book: &Book, wrap: &Wrap, drawing: &Drawing) -> Result<Vec<u8>, String> {
    let meta = &book.meta;
    let mut file = PdfFile::with_version("1.6");
    let mut content = Vec::new();
    for ([x, y, width, height], gray) in &drawing.fills {
        content.extend_from_slice(b"q ");
        content.number(*gray);
        content.extend_from_slice(b" g ");
        for (k, v) in [x, y, width, height].into_iter().enumerate() {
            if k > 0 {
                content.push(b' ');
            }
            content.number(*v);
        }
        content.extend_from_slice(b" re f Q\n");
    }
    let mut used = UsedGlyphs::default();
    for (run, matrix) in &drawing.runs {
        used.record(run);
        text_object(&mut content, run, *matrix);
    }
    let content_id = file.reserve();
    file.deflated_stream(content_id, b"", &content, 6);
    let mut fonts = b"<</Font<<".to_vec();
    for (face, glyphs) in used.faces() {
        let font = pdf_fonts::write_font(&mut file, face, &glyphs)?;
        let _ = write!(fonts, "/{} {font} 0 R", face.resource_name());
    }
    fonts.extend_from_slice(b">>>>");
    let pages_id = file.reserve();
    let page_id = file.reserve();
    let mut page = Vec::new();
    let _ = write!(page, "<</Type/Page/Parent {pages_id} 0 R");
    page.extend(pdfx::page_boxes(wrap.width(), wrap.height(), BLEED));
    let _ = write!(page, "/Contents {content_id} 0 R/Resources");
    page.extend(fonts);
    page.extend_from_slice(b">>");
    file.object(page_id, &page);
    file.object(
        pages_id,
        format!("<</Type/Pages/Kids[{page_id} 0 R]/Count 1>>").as_bytes(),
    );

    let title = format!("{}: cover", meta.title);
    let author = meta.authors.join(", ");
    let epoch = crate::build::build_timestamp(book);
    let date = xmp_date(epoch);
    let xml = super::pdf_writer::xmp_packet(
        pdfx::XMP_NAMESPACES,
        &title,
        &author,
        "",
        &date,
        &pdfx::xmp_properties(&meta.identifier, "cover"),
    );
    let metadata = file.reserve();
    file.stream(metadata, b"/Type/Metadata/Subtype/XML", xml.as_bytes());
    let mut catalog = Vec::new();
    let _ = write!(
        catalog,
        "<</Type/Catalog/Pages {pages_id} 0 R/Metadata {metadata} 0 R/Lang"
    );
    catalog.literal_string(meta.language.as_bytes());
    catalog.extend(pdfx::output_intents(&mut file));
    catalog.extend_from_slice(b">>");
    let catalog_id = file.reserve();
    file.object(catalog_id, &catalog);

    let mut info = b"<</Title".to_vec();
    info.text_string(&title);
    info.extend_from_slice(b"/Author");
    info.text_string(&author);
    info.extend_from_slice(b"/Creator(casebook)/Producer(casebook)/CreationDate");
    let pdf_date = pdf_date(epoch);
    info.literal_string(pdf_date.as_bytes());
    info.extend_from_slice(b"/ModDate");
    info.literal_string(pdf_date.as_bytes());
    info.extend_from_slice(pdfx::INFO_KEYS);
    info.extend_from_slice(b">>");
    let info_id = file.reserve();
    file.object(info_id, &info);
    let id = stable_id(&format!(
        "{}|cover|{}|{}",
        meta.identifier, wrap.pages, epoch
    ));
    let mut trailer = Vec::new();
    let _ = write!(trailer, "/Root {catalog_id} 0 R/Info {info_id} 0 R/ID[");
    trailer.hex_string(&id);
    trailer.hex_string(&id);
    trailer.push(b']');
    Ok(file.finish(&trailer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wrap_is_two_covers_a_spine_and_the_bleed() {
        let wrap = Wrap::new(PaperSize::TradeSixByNine, 756, PaperStock::White);
        let spine = 756.0 * 0.002252 * INCH;
        assert!((wrap.width() - (2.0 * 432.0 + spine + 2.0 * 9.0)).abs() < 1e-3);
        assert_eq!(wrap.height(), 648.0 + 18.0);
        let cream = Wrap::new(PaperSize::TradeSixByNine, 756, PaperStock::Cream);
        assert!((cream.spine - 756.0 * 0.0025 * INCH).abs() < 1e-3);
    }

    #[test]
    fn thin_spines_carry_no_text() {
        let paper = PaperSize::TradeSixByNine;
        // Below KDP's 79 pages: none, however wide the paper.
        assert!(!has_spine_text(paper, 78, PaperStock::Cream));
        // 79 pages of white paper is a 0.18 in spine: under 6 pt of room.
        assert!(!has_spine_text(paper, 79, PaperStock::White));
        // 6 pt type needs a 16.5 pt spine: 102 pages of white, 92 of cream.
        assert!(!has_spine_text(paper, 101, PaperStock::White));
        assert!(has_spine_text(paper, 102, PaperStock::White));
        assert!(!has_spine_text(paper, 91, PaperStock::Cream));
        assert!(has_spine_text(paper, 92, PaperStock::Cream));
        assert!(has_spine_text(paper, 756, PaperStock::White));
        let size = Wrap::new(paper, 120, PaperStock::White)
            .spine_text_size()
            .unwrap();
        let spine = 120.0 * 0.002252 * INCH;
        assert!(
            size <= spine - 2.0 * SPINE_CLEARANCE,
            "{size} pt type in a {spine} pt spine"
        );
    }

    #[test]
    fn an_ean13_symbol_has_95_modules_with_guard_bars() {
        let modules = ean13_modules("9780306406157");
        assert_eq!(modules.len(), 95);
        assert_eq!(&modules[..3], &[true, false, true]);
        assert_eq!(&modules[45..50], &[false, true, false, true, false]);
        assert_eq!(&modules[92..], &[true, false, true]);
        // Guards two bars each, every digit two: 2 + 12 + 2 + 12 + 2.
        let bars = (0..95)
            .filter(|&k| modules[k] && (k == 0 || !modules[k - 1]))
            .count();
        assert_eq!(bars, 30);
    }
}
