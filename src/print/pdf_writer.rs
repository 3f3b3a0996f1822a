//! The PDF writer: turns the page model into PDF with printpdf (glyph runs as
//! shaped glyph ids with ToUnicode text, subset fonts, rules, images, link
//! annotations), then finishes the catalog with lopdf: nested outline, page
//! labels, language, dates from the book and a stable file ID, so two builds
//! of the same book are byte-identical.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Codepoint, Color, Destination, FontId, Greyscale, Line, LineCapStyle,
    LinePoint, LinkAnnotation, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, RawImage, RawImageData, RawImageFormat, TextItem, TextMatrix,
    XObjectId, XObjectTransform,
};

use super::fonts::{FaceId, FontSet};
use super::page::{Document, Item, LabelStyle, LinkTarget, OutlineEntry, Page, Rect};

/// Writes the document as PDF bytes.
pub fn write_pdf(document: &Document) -> Result<Vec<u8>, String> {
    let mut pdf = PdfDocument::new(&document.info.title);
    let fonts = FontSet::get();

    let used: BTreeSet<FaceId> = document
        .pages
        .iter()
        .flat_map(|p| p.items.iter().chain(&p.furniture))
        .filter_map(|i| {
            if let Item::Text(r) = i {
                Some(r.face)
            } else {
                None
            }
        })
        .collect();
    for face in &used {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(face.bytes(), 0, &mut warnings)
            .ok_or_else(|| format!("cannot read the embedded font {}", face.resource_name()))?;
        pdf.resources.fonts.map.insert(
            FontId(face.resource_name().into()),
            printpdf::font::PdfFont::new(parsed),
        );
    }

    let destinations = document.destinations();
    let mut images: BTreeMap<String, XObjectId> = BTreeMap::new();
    let mut pages = Vec::with_capacity(document.pages.len());
    for page in &document.pages {
        let mut ops = Vec::new();
        for item in page.items.iter().chain(&page.furniture) {
            match item {
                Item::Text(run) => {
                    let loaded = fonts.face(run.face);
                    let mut codepoints = Vec::with_capacity(run.glyphs.len());
                    for (k, g) in run.glyphs.iter().enumerate() {
                        // The TJ number after each glyph moves the pen from the
                        // glyph's /W width to where the next glyph really is.
                        let offset = match run.glyphs.get(k + 1) {
                            Some(next) => {
                                let wanted = (next.x - g.x) * 1000.0 / run.size;
                                let nominal = loaded.pdf_advance(g.gid) as f32;
                                let o = nominal - wanted;
                                if o.abs() < 0.01 {
                                    0.0
                                } else {
                                    (o * 100.0).round() / 100.0
                                }
                            }
                            None => 0.0,
                        };
                        let cid = if g.text.is_empty() {
                            None
                        } else {
                            Some(g.text.as_str().to_string())
                        };
                        codepoints.push(Codepoint {
                            gid: g.gid,
                            offset,
                            cid,
                        });
                    }
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFillColor {
                        col: gray(run.gray),
                    });
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(FontId(run.face.resource_name().into())),
                        size: Pt(run.size),
                    });
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(run.x), Pt(page.height - run.baseline)),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::GlyphIds(codepoints)],
                    });
                    ops.push(Op::EndTextSection);
                }
                Item::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    thickness,
                    gray: g,
                } => {
                    ops.push(Op::SaveGraphicsState);
                    ops.push(Op::SetOutlineColor { col: gray(*g) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*thickness) });
                    ops.push(Op::SetLineCapStyle {
                        cap: LineCapStyle::Butt,
                    });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x1),
                                        y: Pt(page.height - y1),
                                    },
                                    bezier: false,
                                },
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x2),
                                        y: Pt(page.height - y2),
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                    ops.push(Op::RestoreGraphicsState);
                }
                Item::Fill { rect, gray: g } => {
                    ops.push(Op::SaveGraphicsState);
                    ops.push(Op::SetFillColor { col: gray(*g) });
                    ops.push(Op::DrawRectangle {
                        rectangle: pdf_rect(rect, page.height, Some(PaintMode::Fill)),
                    });
                    ops.push(Op::RestoreGraphicsState);
                }
                Item::Image { rect, image } => {
                    let id = images
                        .entry(image.key.clone())
                        .or_insert_with(|| {
                            let id =
                                XObjectId(format!("Img{}", pdf.resources.xobjects.map.len() + 1));
                            let raw = RawImage {
                                pixels: RawImageData::U8(image.pixels.clone()),
                                width: image.width as usize,
                                height: image.height as usize,
                                data_format: RawImageFormat::RGB8,
                                tag: Vec::new(),
                            };
                            pdf.resources
                                .xobjects
                                .map
                                .insert(id.clone(), printpdf::XObject::Image(raw));
                            id
                        })
                        .clone();
                    ops.push(Op::UseXobject {
                        id,
                        transform: XObjectTransform {
                            translate_x: Some(Pt(rect.x)),
                            translate_y: Some(Pt(page.height - rect.bottom())),
                            scale_x: Some(rect.width / image.width as f32),
                            scale_y: Some(rect.height / image.height as f32),
                            dpi: Some(72.0),
                            ..Default::default()
                        },
                    });
                }
            }
        }
        for link in &page.links {
            let actions = match &link.target {
                LinkTarget::External(url) => Actions::Uri(url.clone()),
                LinkTarget::Internal(name) => match destinations.get(name.as_str()) {
                    Some(&(index, y)) => Actions::Goto(Destination::Xyz {
                        page: index + 1,
                        left: Some(0.0),
                        top: Some(page.height - y + 4.0),
                        zoom: None,
                    }),
                    None => continue,
                },
            };
            ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    pdf_rect(&link.rect, page.height, None),
                    actions,
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    None,
                    None,
                ),
            });
        }
        pages.push(PdfPage::new(
            printpdf::Mm::from(Pt(page.width)),
            printpdf::Mm::from(Pt(page.height)),
            ops,
        ));
    }
    pdf.with_pages(pages);

    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&options, &mut warnings);
    // The printpdf document is no longer needed: free it before compressing (peak memory).
    drop(pdf);
    finish_catalog(&mut lo, document)?;
    compress_streams(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok(bytes)
}

/// Deflate level for content streams: level 6 makes files about 3% smaller than
/// level 3 at twice the time (lopdf's own `compress` uses level 9).
const DEFLATE_LEVEL: u8 = 3;

/// Compresses every uncompressed stream, on all cores: page content streams
/// are independent, and this is most of the writer's time.
fn compress_streams(lo: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = lo
        .objects
        .values_mut()
        .filter_map(|o| {
            if let Object::Stream(s) = o {
                Some(s)
            } else {
                None
            }
        })
        .filter(|s| s.allows_compression && s.dict.get(b"Filter").is_err())
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = streams.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in streams.chunks_mut(chunk) {
            scope.spawn(move || {
                for stream in part {
                    let compressed =
                        miniz_oxide::deflate::compress_to_vec_zlib(&stream.content, DEFLATE_LEVEL);
                    if compressed.len() + 19 < stream.content.len() {
                        stream
                            .dict
                            .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                        stream.set_content(compressed);
                    }
                }
            });
        }
    });
}

fn gray(level: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: level,
        icc_profile: None,
    })
}

fn pdf_rect(rect: &Rect, page_height: f32, mode: Option<PaintMode>) -> printpdf::Rect {
    printpdf::Rect {
        x: Pt(rect.x),
        y: Pt(page_height - rect.bottom()),
        width: Pt(rect.width),
        height: Pt(rect.height),
        mode,
        winding_order: None,
    }
}

fn text_string(text: &str) -> Object {
    // UTF-16BE with BOM: titles with "—" or "→" survive in every viewer.
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn pdf_date(epoch: i64) -> String {
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

/// Outline, page labels, language, metadata and ID, written with lopdf.
fn finish_catalog(lo: &mut lopdf::Document, document: &Document) -> Result<(), String> {
    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let destinations = document.destinations();
    let root = lo
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;

    // Nested outline.
    let outline_root = lo.new_object_id();
    let (first, last, count) = add_outline_level(
        lo,
        &document.outline,
        outline_root,
        &page_ids,
        &destinations,
        &document.pages,
    );
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (first, last) {
        outlines.set("First", Object::Reference(first));
        outlines.set("Last", Object::Reference(last));
    }
    outlines.set("Count", Object::Integer(count));
    lo.objects
        .insert(outline_root, Object::Dictionary(outlines));

    // Page labels.
    let mut nums = Vec::new();
    for range in &document.label_ranges {
        let mut label = Dictionary::new();
        match range.style {
            LabelStyle::None => {}
            LabelStyle::LowerRoman => label.set("S", Object::Name(b"r".to_vec())),
            LabelStyle::Decimal => label.set("S", Object::Name(b"D".to_vec())),
        }
        if range.style != LabelStyle::None {
            label.set("St", Object::Integer(range.start as i64));
        }
        nums.push(Object::Integer(range.first_page as i64));
        nums.push(Object::Dictionary(label));
    }
    let mut labels = Dictionary::new();
    labels.set("Nums", Object::Array(nums));

    let catalog = lo
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .map_err(|e| e.to_string())?;
    catalog.set("Outlines", Object::Reference(outline_root));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    catalog.set("PageLabels", Object::Dictionary(labels));
    catalog.set(
        "Lang",
        Object::String(
            document.info.language.as_bytes().to_vec(),
            StringFormat::Literal,
        ),
    );
    let mut viewer = Dictionary::new();
    viewer.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(viewer));

    // Metadata, dated by the book, not the clock.
    let info = &document.info;
    let mut dict = Dictionary::new();
    dict.set("Title", text_string(&info.title));
    dict.set("Author", text_string(&info.author));
    dict.set("Subject", text_string(&info.subject));
    dict.set("Keywords", text_string(&info.keywords.join(", ")));
    dict.set("Creator", text_string("casebook"));
    dict.set("Producer", text_string("casebook (printpdf, lopdf)"));
    let date = pdf_date(info.created);
    dict.set(
        "CreationDate",
        Object::String(date.clone().into_bytes(), StringFormat::Literal),
    );
    dict.set(
        "ModDate",
        Object::String(date.into_bytes(), StringFormat::Literal),
    );
    let info_id = lo.add_object(Object::Dictionary(dict));
    lo.trailer.set("Info", Object::Reference(info_id));

    // A file ID derived from the book's identifier and page count: stable across builds.
    let id = stable_id(&format!(
        "{}|{}|{}",
        info.identifier,
        document.pages.len(),
        info.created
    ));
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    Ok(())
}

fn stable_id(text: &str) -> Vec<u8> {
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

fn add_outline_level(
    lo: &mut lopdf::Document,
    entries: &[OutlineEntry],
    parent: ObjectId,
    page_ids: &[ObjectId],
    destinations: &std::collections::HashMap<&str, (usize, f32)>,
    pages: &[Page],
) -> (Option<ObjectId>, Option<ObjectId>, i64) {
    let ids: Vec<ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    let mut total = 0;
    for (k, entry) in entries.iter().enumerate() {
        let mut dict = Dictionary::new();
        dict.set("Title", text_string(&entry.title));
        dict.set("Parent", Object::Reference(parent));
        if k > 0 {
            dict.set("Prev", Object::Reference(ids[k - 1]));
        }
        if k + 1 < ids.len() {
            dict.set("Next", Object::Reference(ids[k + 1]));
        }
        if let Some(&(index, y)) = destinations.get(entry.destination.as_str())
            && let Some(&page_id) = page_ids.get(index)
        {
            let top = pages[index].height - y + 4.0;
            dict.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(page_id),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(top),
                    Object::Null,
                ]),
            );
        }
        let (first, last, count) =
            add_outline_level(lo, &entry.children, ids[k], page_ids, destinations, pages);
        if let (Some(first), Some(last)) = (first, last) {
            dict.set("First", Object::Reference(first));
            dict.set("Last", Object::Reference(last));
            // Categories open, their question/answer lists closed.
            let open = entry.children.iter().any(|c| !c.children.is_empty());
            dict.set("Count", Object::Integer(if open { count } else { -count }));
        }
        lo.objects.insert(ids[k], Object::Dictionary(dict));
        total += 1;
    }
    (ids.first().copied(), ids.last().copied(), total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_are_utc() {
        assert_eq!(pdf_date(0), "D:19700101000000Z");
        assert_eq!(pdf_date(1_795_651_200), "D:20261126000000Z");
    }
}
