//! Page content streams, written directly as PDF operators: glyph runs as
//! `TJ` arrays of glyph ids (the fonts keep them, `pdf_subset`) with kerning numbers, rules, shaded
//! boxes and images. The page model's origin is top-left with y down; PDF's is
//! bottom-left with y up, so every y is flipped here and nowhere else.

use std::collections::HashMap;

use super::fonts::{FaceId, FontSet};
use std::io::Write;

use super::page::{ClusterText, GlyphRun, Item, Page, PlacedGlyph, StructKind, StructNode, Tag};
use super::pdf_file::PdfSyntax;
use super::pdf_fonts::UsedGlyphs;

/// Image resource names, by image key, shared by all pages.
pub type ImageNames = HashMap<String, String>;

/// Which marked-content sequence an item is written in: an artifact's (the
/// running head and folio are pagination artifacts), or one with an MCID
/// for the structure element the item belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Section {
    None,
    Artifact,
    Pagination,
    Tagged(Tag),
}

/// The content stream of one page, every item inside a marked-content
/// sequence, and the structure element of each MCID (MCID k is `mcids[k]`).
///
/// `used` holds the text each glyph code maps to (every glyph of `page`
/// already recorded): a cluster whose glyphs do not read back as its text
/// through that map is wrapped in a `/Span` with `/ActualText`.
pub fn page_content(
    page: &Page,
    images: &ImageNames,
    structure: &[StructNode],
    used: &UsedGlyphs,
) -> (Vec<u8>, Vec<Tag>) {
    let mut out = Vec::with_capacity(16 * 1024);
    let mut text = TextState::default();
    let mut section = Section::None;
    let mut mcids: Vec<Tag> = Vec::new();
    let furniture = page.items.len();
    // Each line of a code block is a marked-content sequence of its own:
    // its lines hold no spaces between them, and text extraction and
    // assistive technology would run one line's end into the next's start.
    let mut code_line: Option<f32> = None;
    for (k, item) in page.items.iter().chain(&page.furniture).enumerate() {
        let new_code_line = match item {
            Item::Text(run)
                if structure
                    .get(run.tag.index())
                    .is_some_and(|n| n.kind == StructKind::Code) =>
            {
                let new = code_line.is_some_and(|b| (b - run.baseline).abs() > 0.5);
                code_line = Some(run.baseline);
                new
            }
            _ => {
                code_line = None;
                false
            }
        };
        if new_code_line {
            text.end(&mut out);
            out.extend_from_slice(b"EMC\n");
            section = Section::None;
        }
        let wanted = if k >= furniture {
            Section::Pagination
        } else {
            match item {
                Item::Text(GlyphRun { tag, .. }) | Item::Image { tag, .. }
                    if (tag.index()) < structure.len() =>
                {
                    Section::Tagged(*tag)
                }
                _ => Section::Artifact,
            }
        };
        if wanted != section {
            // A marked-content sequence holds whole text objects.
            text.end(&mut out);
            if section != Section::None {
                out.extend_from_slice(b"EMC\n");
            }
            match wanted {
                Section::Artifact => out.extend_from_slice(b"/Artifact BMC\n"),
                Section::Pagination => out.extend_from_slice(b"/Artifact<</Type/Pagination>>BDC\n"),
                Section::Tagged(tag) => {
                    out.push(b'/');
                    out.extend_from_slice(structure[tag.index()].kind.name().as_bytes());
                    let _ = writeln!(out, "<</MCID {}>>BDC", mcids.len());
                    mcids.push(tag);
                }
                Section::None => {}
            }
            section = wanted;
        }
        match item {
            Item::Text(run) => {
                text.run(&mut out, run, page.height, used);
            }
            Item::Rule {
                x1,
                y1,
                x2,
                y2,
                thickness,
                gray,
            } => {
                text.end(&mut out);
                out.extend_from_slice(b"q ");
                number(&mut out, *thickness);
                out.extend_from_slice(b" w ");
                number(&mut out, *gray);
                out.extend_from_slice(b" G 0 J ");
                point(&mut out, *x1, page.height - y1);
                out.extend_from_slice(b" m ");
                point(&mut out, *x2, page.height - y2);
                out.extend_from_slice(b" l S Q\n");
            }
            Item::Fill { rect, gray } => {
                text.end(&mut out);
                out.extend_from_slice(b"q ");
                number(&mut out, *gray);
                out.extend_from_slice(b" g ");
                point(&mut out, rect.x, page.height - rect.bottom());
                out.push(b' ');
                point(&mut out, rect.width, rect.height);
                out.extend_from_slice(b" re f Q\n");
            }
            Item::Image { rect, image, .. } => {
                let Some(name) = images.get(&image.key) else {
                    continue;
                };
                text.end(&mut out);
                out.extend_from_slice(b"q ");
                number(&mut out, rect.width);
                out.extend_from_slice(b" 0 0 ");
                number(&mut out, rect.height);
                out.push(b' ');
                point(&mut out, rect.x, page.height - rect.bottom());
                out.extend_from_slice(b" cm /");
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(b" Do Q\n");
            }
        }
    }
    text.end(&mut out);
    if section != Section::None {
        out.extend_from_slice(b"EMC\n");
    }
    (out, mcids)
}

/// One glyph run as a text object of its own, drawn with text matrix
/// `matrix` (`[a b c d e f]`, in PDF coordinates: y up): for text set at an
/// angle, as on a cover's spine, which the page model's upright runs never
/// need. The run's own `x` and `baseline` are ignored.
pub fn text_object(out: &mut Vec<u8>, run: &GlyphRun, matrix: [f32; 6]) {
    let mut text = TextState::default();
    text.run_at(out, run, matrix, None);
    text.end(out);
}

/// What the open text object has set, so each run states only what changed.
#[derive(Default)]
struct TextState {
    open: bool,
    font: Option<(FaceId, f32)>,
    gray: Option<f32>,
}

impl TextState {
    fn run(&mut self, out: &mut Vec<u8>, run: &GlyphRun, page_height: f32, used: &UsedGlyphs) {
        self.run_at(
            out,
            run,
            [1.0, 0.0, 0.0, 1.0, run.x, page_height - run.baseline],
            Some(used),
        );
    }

    /// `run` with text matrix `matrix` (`[a b c d e f]`, PDF coordinates).
    /// With `used` (the text each glyph code maps to), a cluster that would
    /// not read back as its text is marked with `/ActualText`.
    fn run_at(
        &mut self,
        out: &mut Vec<u8>,
        run: &GlyphRun,
        matrix: [f32; 6],
        used: Option<&UsedGlyphs>,
    ) {
        if !self.open {
            out.extend_from_slice(b"BT\n");
            self.open = true;
        }
        if self.font != Some((run.face, run.size)) {
            out.push(b'/');
            out.extend_from_slice(run.face.resource_name().as_bytes());
            out.push(b' ');
            number(out, run.size);
            out.extend_from_slice(b" Tf\n");
            self.font = Some((run.face, run.size));
        }
        if self.gray != Some(run.gray) {
            number(out, run.gray);
            out.extend_from_slice(b" g\n");
            self.gray = Some(run.gray);
        }
        for (k, value) in matrix.iter().enumerate() {
            if k > 0 {
                out.push(b' ');
            }
            number(out, *value);
        }
        out.extend_from_slice(b" Tm [<");
        let face = FontSet::get().face(run.face);
        let glyphs = &run.glyphs[..];
        let mut k = 0;
        while k < glyphs.len() {
            // A cluster: a glyph with text and the glyphs that continue it.
            let end = k
                + 1
                + glyphs[k + 1..]
                    .iter()
                    .take_while(|g| g.text.is_empty())
                    .count();
            let cluster = &glyphs[k..end];
            let marked =
                used.is_some_and(|used| !reads_back(cluster, |gid| used.text_of(run.face, gid)));
            if marked {
                // Marked content inside a text object: close the TJ array
                // (its last number has already moved the pen), mark, reopen.
                out.extend_from_slice(b">] TJ\n/Span<</ActualText");
                out.text_string(cluster[0].text.as_str());
                out.extend_from_slice(b">>BDC [<");
            }
            for j in k..end {
                hex4(out, glyphs[j].gid);
                // The TJ number after a glyph moves the pen from the glyph's /W
                // width to where layout put the next glyph (kerning, justification).
                if let Some(next) = glyphs.get(j + 1) {
                    let wanted = (next.x - glyphs[j].x) * 1000.0 / run.size;
                    let adjustment = face.pdf_advance(glyphs[j].gid) as f32 - wanted;
                    if adjustment.abs() >= 0.01 {
                        out.push(b'>');
                        number(out, adjustment);
                        out.push(b'<');
                    }
                }
            }
            if marked {
                out.extend_from_slice(b">] TJ\nEMC [<");
            }
            k = end;
        }
        out.extend_from_slice(b">] TJ\n");
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        if self.open {
            out.extend_from_slice(b"ET\n");
            *self = TextState::default();
        }
    }
}

/// Does a cluster read back as its own text through the ToUnicode map
/// (`mapped`)? Only a single glyph mapped to exactly the cluster's text does;
/// a cluster of several glyphs would read its text once per glyph, and a
/// glyph first recorded with other text (one glyph drawn for two spellings)
/// would read as that other text.
fn reads_back(cluster: &[PlacedGlyph], mapped: impl Fn(u16) -> Option<ClusterText>) -> bool {
    match cluster {
        [glyph] => mapped(glyph.gid) == Some(glyph.text),
        _ => false,
    }
}

fn point(out: &mut Vec<u8>, x: f32, y: f32) {
    number(out, x);
    out.push(b' ');
    number(out, y);
}

fn number(out: &mut Vec<u8>, value: f32) {
    out.number(value);
}

fn hex4(out: &mut Vec<u8>, code: u16) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        out.push(DIGITS[((code >> shift) & 0xF) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(glyphs: &[(u16, &str)]) -> GlyphRun {
        GlyphRun {
            face: FaceId::Serif,
            size: 10.0,
            x: 50.0,
            baseline: 100.0,
            width: 100.0,
            gray: 0.0,
            glyphs: glyphs
                .iter()
                .enumerate()
                .map(|(k, (gid, text))| PlacedGlyph {
                    gid: *gid,
                    x: k as f32 * 5.0,
                    text: (*text).into(),
                })
                .collect::<Vec<_>>()
                .into(),
            tag: Tag::ARTIFACT,
            link: 0,
        }
    }

    fn content(runs: &[GlyphRun]) -> String {
        let mut used = UsedGlyphs::default();
        runs.iter().for_each(|r| used.record(r));
        let mut out = Vec::new();
        let mut text = TextState::default();
        for r in runs {
            text.run(&mut out, r, 600.0, &used);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_cluster_of_two_glyphs_reads_back_once_through_actual_text() {
        // "q" with a combining acute: two glyphs, one cluster.
        let out = content(&[run(&[(10, "a"), (11, "q\u{301}"), (12, ""), (13, "b")])]);
        // Kerning numbers aside, the two glyphs sit alone in the span.
        let bare: String = out
            .split(['>', '<'])
            .filter(|piece| !piece.starts_with('-'))
            .collect::<Vec<_>>()
            .join("|");
        assert!(
            bare.contains("[|000A||] TJ\n/Span||/ActualText|FEFF00710301|||BDC [|000B|000C||] TJ\nEMC [|000D|] TJ"),
            "{out}\n{bare}"
        );
    }

    #[test]
    fn a_glyph_drawn_for_two_texts_is_marked_where_the_map_disagrees() {
        let out = content(&[run(&[(20, "a")]), run(&[(20, "b"), (21, "c")])]);
        assert_eq!(out.matches("/ActualText").count(), 1, "{out}");
        assert!(out.contains("/Span<</ActualText(b)>>BDC [<0014>"), "{out}");
    }

    #[test]
    fn plain_text_has_no_actual_text() {
        let out = content(&[run(&[(30, "a"), (31, "fi"), (32, "c")])]);
        assert!(!out.contains("ActualText"), "{out}");
    }

    #[test]
    fn glyph_codes_are_four_hex_digits() {
        let mut out = Vec::new();
        hex4(&mut out, 0x1A);
        hex4(&mut out, 0xBEEF);
        assert_eq!(out, b"001ABEEF");
    }
}
