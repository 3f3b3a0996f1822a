//! Block layout: headings, paragraphs, lists, quotes, code blocks, tables,
//! images and rules become pieces of a flow, with the pagination rules of
//! each kind (no widows or orphans, headings kept with what follows, code
//! broken between lines, table rows carrying their header). Code blocks
//! are set in `code_blocks`, tables in `tables`.

use std::sync::Arc;

use super::flow::{Flow, Piece, PieceKind};
use super::geometry::Geometry;
use super::inline::{self, Align, Family, Line, Span, TextStyle};
use crate::document::{Block, Inline};
use crate::print::fonts::FaceId;
use crate::print::hyphenate::Hyphenation;
use crate::print::page::{
    ClusterText, GlyphRun, Item, LinkArea, Origin, Part, PlacedGlyph, Rect, RgbImage, StructKind,
    StructTree, Tag,
};
use crate::print::shape::{ShapedRun, Shaper};

/// Lines a paragraph keeps together at a page break, each side (no widows,
/// no orphans).
pub const MIN_LINES_AT_BREAK: usize = 2;
pub use super::code_blocks::MIN_CODE_LINES_AT_BREAK;
pub use super::tables::{MIN_ROWS_AT_BREAK, is_number, true_minus};
/// May a page break fall before line `k` of an `n`-line paragraph? Before
/// its first line, or where at least two lines stay on each side.
pub fn break_allowed_before_line(k: usize, n: usize) -> bool {
    k == 0 || (k >= MIN_LINES_AT_BREAK && n - k >= MIN_LINES_AT_BREAK)
}

/// Hanging indent of list items, in ems of body text.
const LIST_INDENT_EM: f32 = 1.6;
/// Block quotes are indented this many ems, with a rule in the margin.
const QUOTE_INDENT_EM: f32 = 1.4;
/// Rules are solid black (gray 0): a gray rule is halftoned on a toner
/// press and breaks up at 0.3 pt; thinness, not tint, keeps them quiet.
pub(super) const RULE_GRAY: f32 = 0.0;
/// A block quote's margin rule, solid black and thinner than the 1.5 pt a
/// gray rule needed to read as a tone.
const QUOTE_RULE_PT: f32 = 0.75;
/// Nested lists and quotes stop indenting once the measure left would fall
/// below this many ems: deeper levels are set at the indent of the last one
/// that fitted, so text stays inside the text block however deep the
/// nesting (12 ems holds about 25 characters, a short line but a readable one).
const MIN_NESTED_MEASURE_EM: f32 = 12.0;

pub struct Layouter<'a> {
    pub geometry: Geometry,
    pub shaper: &'a mut Shaper,
    pub hyphenation: &'a Hyphenation,
    /// The part whose blocks are being laid out, and the number the next
    /// block gets (blocks are numbered in document order, nested ones
    /// included, as the EPUB numbers them): pieces record both.
    pub part: Part,
    pub next_block: u32,
    /// The structure tree the laid-out blocks are tagged into.
    pub structure: &'a mut StructTree,
}

/// Tags the text of `pieces` as content of `container`: each link of a
/// paragraph becomes a `Link` element inside it (holding its text and its
/// annotations), a line-end hyphen is an artifact, and text already tagged
/// keeps its tag.
pub fn tag_into(structure: &mut StructTree, pieces: &mut [Piece], container: Tag) {
    let mut links: Vec<(u16, Tag)> = Vec::new();
    let mut link_tag = |structure: &mut StructTree, seq: u16| -> Tag {
        if let Some((_, tag)) = links.iter().find(|(s, _)| *s == seq) {
            return *tag;
        }
        let open = structure.open;
        structure.open = Some(container);
        let tag = structure.leaf(StructKind::Link);
        structure.open = open;
        links.push((seq, tag));
        tag
    };
    for piece in pieces.iter_mut() {
        for item in &mut piece.items {
            if let Item::Text(run) = item {
                if !run.tag.is_artifact() {
                    continue;
                }
                run.tag = match run.link {
                    0 => container,
                    inline::HYPHEN => Tag::ARTIFACT,
                    seq => link_tag(structure, seq),
                };
            }
        }
        for link in &mut piece.links {
            if link.tag.is_artifact() {
                link.tag = link_tag(structure, link.link.max(1));
            }
        }
    }
}

/// Gives every piece of `pieces` that has no origin yet `origin`'s part and
/// block, keeping the offset inside the block it already has.
pub fn set_origin(pieces: &mut [Piece], part: Part, block: u32) {
    for piece in pieces {
        if piece.origin.block == Origin::UNSET && !matches!(piece.kind, PieceKind::Space) {
            piece.origin.part = part;
            piece.origin.block = block;
        }
    }
}

impl Layouter<'_> {
    /// Tags `pieces` as one new `kind` element under the open node.
    pub fn tag(&mut self, pieces: &mut [Piece], kind: StructKind) -> Tag {
        let tag = self.structure.leaf(kind);
        tag_into(self.structure, pieces, tag);
        tag
    }

    /// A Markdown body (a chapter, intro, question or answer) of `part`,
    /// its blocks numbered from 0.
    pub fn body(&mut self, part: Part, blocks: &[Block], x: f32, width: f32, flow: &mut Flow) {
        self.part = part;
        self.next_block = 0;
        self.blocks(blocks, x, width, flow);
    }

    pub fn body_style(&self) -> TextStyle {
        TextStyle {
            family: Family::Serif,
            size: self.geometry.body,
            leading: self.geometry.leading,
            bold: false,
            italic: false,
            gray: 0.0,
            align: Align::Justify,
            hyphenate: true,
        }
    }

    pub fn heading_style(&self, level: u8) -> TextStyle {
        let g = &self.geometry;
        let (size, family) = match level {
            1 => (g.body * 1.9, Family::Sans),
            2 => (g.body * 1.25, Family::Sans),
            3 => (g.body * 1.05, Family::Sans),
            _ => (g.body, Family::Serif),
        };
        TextStyle {
            family,
            size,
            leading: size * 1.25,
            bold: true,
            italic: level >= 4,
            gray: 0.0,
            align: Align::Balanced,
            hyphenate: false,
        }
    }

    /// Lays out spans into lines of `width`.
    pub fn lines(&mut self, spans: &[Span], style: &TextStyle, width: f32) -> Vec<Line> {
        inline::layout_spans(spans, style, width, self.shaper, self.hyphenation)
    }

    /// Lines as flow pieces at `x`, with widow and orphan control.
    pub fn line_pieces(&self, lines: Vec<Line>, x: f32) -> Vec<Piece> {
        let n = lines.len();
        lines
            .into_iter()
            .enumerate()
            .map(|(k, line)| {
                let mut piece = Piece::content(line.height);
                piece.break_before = break_allowed_before_line(k, n);
                piece.origin.offset = line.first_word;
                piece.items = line
                    .runs
                    .into_iter()
                    .map(|r| Item::Text(GlyphRun { x: r.x + x, ..r }))
                    .collect();
                piece.links = line
                    .links
                    .into_iter()
                    .map(|l| LinkArea {
                        rect: Rect {
                            x: l.rect.x + x,
                            ..l.rect
                        },
                        ..l
                    })
                    .collect();
                piece
            })
            .collect()
    }

    /// A paragraph of `spans` in `style`, as pieces.
    pub fn paragraph(
        &mut self,
        spans: &[Span],
        style: &TextStyle,
        x: f32,
        width: f32,
    ) -> Vec<Piece> {
        let lines = self.lines(spans, style, width);
        self.line_pieces(lines, x)
    }

    /// The indent a nested list or quote may take from `width`: `wanted`,
    /// or less where the measure would fall below `MIN_NESTED_MEASURE_EM`.
    fn nested_indent(&self, width: f32, wanted: f32) -> f32 {
        let minimum = self.geometry.body * MIN_NESTED_MEASURE_EM;
        wanted.min((width - minimum).max(0.0))
    }

    pub fn heading(&mut self, level: u8, content: &[Inline], x: f32, width: f32, flow: &mut Flow) {
        let style = self.heading_style(level);
        let spans = inline::collect(content, &style);
        let mut pieces = self.paragraph(&spans, &style, x, width);
        for (k, p) in pieces.iter_mut().enumerate() {
            p.heading = true;
            p.break_before = k == 0;
        }
        self.tag(&mut pieces, StructKind::H(level.clamp(1, 6)));
        flow.space(self.geometry.leading * if level <= 2 { 1.0 } else { 0.7 });
        flow.extend(pieces);
        flow.keep_with_next(MIN_LINES_AT_BREAK);
        flow.space(self.geometry.leading * 0.3);
    }

    /// Lays out `blocks` into `flow`, at `x` from the text block's left, `width` wide.
    pub fn blocks(&mut self, blocks: &[Block], x: f32, width: f32, flow: &mut Flow) {
        let gap = self.geometry.leading * 0.55;
        for block in blocks {
            let ordinal = self.next_block;
            self.next_block += 1;
            let first_new = flow.pieces.len();
            match block {
                Block::Heading { level, content, .. } => {
                    self.heading(*level, content, x, width, flow)
                }
                Block::Paragraph(content) => {
                    flow.space(gap);
                    let style = self.body_style();
                    let spans = inline::collect(content, &style);
                    let mut pieces = self.paragraph(&spans, &style, x, width);
                    self.tag(&mut pieces, StructKind::P);
                    flow.extend(pieces);
                    // A lead-in ("Prove it on the replica:") stays with the
                    // first line of what it introduces.
                    if crate::document::plain_text(content)
                        .trim_end()
                        .ends_with(':')
                    {
                        flow.keep_with_next(1);
                    }
                }
                Block::List { start, items } => {
                    flow.space(gap);
                    self.list(*start, items, x, width, flow);
                }
                Block::Quote(inner) => {
                    flow.space(gap);
                    let indent = self.nested_indent(width, self.geometry.body * QUOTE_INDENT_EM);
                    let mut quoted = Flow::default();
                    let quote = self.structure.open(StructKind::BlockQuote);
                    self.blocks(inner, x + indent, width - indent, &mut quoted);
                    self.structure.close(quote);
                    for mut piece in quoted.pieces {
                        if !matches!(piece.kind, PieceKind::Space) || flow.pieces.last().is_some() {
                            piece.items.push(Item::Rule {
                                x1: x + 2.0,
                                y1: 0.0,
                                x2: x + 2.0,
                                y2: piece.height,
                                thickness: QUOTE_RULE_PT,
                                gray: RULE_GRAY,
                            });
                        }
                        flow.push(piece);
                    }
                }
                Block::CodeBlock { lines, .. } => {
                    flow.space(gap);
                    self.code_block(lines, x, width, flow);
                }
                Block::Table(table) => {
                    flow.space(gap);
                    self.table(table, x, width, flow);
                }
                Block::Image { path, alt, .. } => {
                    flow.space(gap);
                    self.image(path, alt, x, width, flow);
                }
                Block::Rule => {
                    flow.space(gap);
                    let mut piece = Piece::content(self.geometry.leading);
                    let middle = x + width / 2.0;
                    piece.items.push(Item::Rule {
                        x1: middle - width / 6.0,
                        y1: piece.height / 2.0,
                        x2: middle + width / 6.0,
                        y2: piece.height / 2.0,
                        thickness: 0.5,
                        gray: RULE_GRAY,
                    });
                    flow.push(piece);
                }
            }
            let part = self.part;
            let first_new = first_new.min(flow.pieces.len());
            set_origin(&mut flow.pieces[first_new..], part, ordinal);
        }
    }

    fn list(
        &mut self,
        start: Option<u64>,
        items: &[Vec<Block>],
        x: f32,
        width: f32,
        flow: &mut Flow,
    ) {
        // The marker hangs in the indent; at the nesting limit the indent
        // is kept only where the marker still has room left of it.
        let wanted = self.geometry.body * LIST_INDENT_EM;
        let indent = match self.nested_indent(width, wanted) {
            i if x >= wanted || i == wanted => i,
            _ => wanted.min(width),
        };
        let style = self.body_style();
        let list = self.structure.open(StructKind::L);
        for (k, item) in items.iter().enumerate() {
            if k > 0 {
                flow.space(self.geometry.leading * 0.2);
            }
            let entry = self.structure.open(StructKind::LI);
            let label = self.structure.leaf(StructKind::Lbl);
            let body = self.structure.open(StructKind::LBody);
            let marker = match start {
                Some(n) => format!("{}.", n + k as u64),
                None => "•".to_string(),
            };
            let mut inner = Flow::default();
            self.blocks(item, x + indent, width - indent, &mut inner);
            self.structure.close(body);
            self.structure.close(entry);
            let mut first = true;
            for mut piece in inner.pieces {
                if first && !matches!(piece.kind, PieceKind::Space) {
                    first = false;
                    let baseline = piece.first_baseline().unwrap_or(style.size);
                    let runs = self.shaper.shape(&marker, FaceId::Serif, style.size);
                    let marker_width: f32 = runs.iter().map(|r| r.width()).sum();
                    let mx = x + indent - marker_width - style.size * 0.5;
                    let mut marker_runs = set_runs(runs, mx, baseline, 0.0);
                    for item in &mut marker_runs {
                        if let Item::Text(run) = item {
                            run.tag = label;
                        }
                    }
                    // The label comes first in the content, as in reading.
                    piece.items.splice(0..0, marker_runs);
                }
                if matches!(piece.kind, PieceKind::Space) && flow.pieces.is_empty() {
                    continue;
                }
                flow.push(piece);
            }
        }
        self.structure.close(list);
    }

    fn image(&mut self, path: &std::path::Path, alt: &str, x: f32, width: f32, flow: &mut Flow) {
        let max_height = (self.geometry.height - self.geometry.top - self.geometry.bottom) * 0.6;
        match load_image(path) {
            Some(image) => {
                let figure = self.structure.leaf(StructKind::Figure);
                self.structure.nodes[figure.index()].alt = Some(alt.to_string());
                let scale = (width / image.width as f32).min(max_height / image.height as f32);
                let (w, h) = (image.width as f32 * scale, image.height as f32 * scale);
                let mut piece = Piece::content(h);
                piece.items.push(Item::Image {
                    rect: Rect {
                        x: x + (width - w) / 2.0,
                        y: 0.0,
                        width: w,
                        height: h,
                    },
                    image: Arc::new(image),
                    tag: figure,
                });
                flow.push(piece);
            }
            None => {
                let mut style = self.body_style();
                style.italic = true;
                let spans = inline::plain_spans(&format!("[{alt}]"), &style);
                let mut pieces = self.paragraph(&spans, &style, x, width);
                self.tag(&mut pieces, StructKind::P);
                flow.extend(pieces);
            }
        }
    }
}

/// Decodes a PNG or JPEG into RGB pixels, within `images`' limits; `None`
/// when missing or unreadable (which `check` has already reported).
pub fn load_image(path: &std::path::Path) -> Option<RgbImage> {
    let bytes = std::fs::read(path).ok()?;
    let (info, pixels) = crate::images::decode_rgb(&bytes).ok()?;
    Some(RgbImage {
        key: path.display().to_string(),
        width: info.width,
        height: info.height,
        pixels,
    })
}

/// Glyphs of a shaped run as placed glyphs, with their cluster text.
/// Shaped runs as glyph-run items, set one after another from `x` on
/// `baseline` (a run per face, as the shaper split them).
pub fn set_runs(runs: Vec<ShapedRun>, mut x: f32, baseline: f32, gray: f32) -> Vec<Item> {
    let mut items = Vec::with_capacity(runs.len());
    for run in runs {
        let width = run.width();
        items.push(Item::Text(GlyphRun {
            face: run.face,
            size: run.size,
            x,
            baseline,
            width,
            gray,
            glyphs: placed(&run.glyphs, &run.text).into(),
            tag: Tag::ARTIFACT,
            link: 0,
        }));
        x += width;
    }
    items
}

pub fn placed(glyphs: &[crate::print::shape::Glyph], text: &str) -> Vec<PlacedGlyph> {
    let mut out = Vec::with_capacity(glyphs.len());
    let mut x = 0.0;
    for (k, g) in glyphs.iter().enumerate() {
        let start = g.cluster as usize;
        let same = k > 0 && glyphs[k - 1].cluster == g.cluster;
        let end = glyphs[k + 1..]
            .iter()
            .map(|n| n.cluster as usize)
            .find(|&c| c > start)
            .unwrap_or(text.len());
        let t = if same {
            ClusterText::EMPTY
        } else {
            ClusterText::new(text.get(start..end).unwrap_or(""))
        };
        out.push(PlacedGlyph {
            gid: g.gid,
            x,
            text: t,
        });
        x += g.advance;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::PaperSize;

    #[test]
    fn a_lead_in_ending_in_a_colon_stays_with_what_it_introduces() {
        let mut shaper = Shaper::default();
        let hyphenation = Hyphenation::for_language("en");
        let geometry = Geometry::for_paper(PaperSize::TradeSixByNine);
        let mut structure = StructTree::default();
        let mut layouter = Layouter {
            part: Part::None,
            next_block: 0,
            structure: &mut structure,
            geometry,
            shaper: &mut shaper,
            hyphenation: &hyphenation,
        };
        let text = |t: &str| vec![Inline::Text(t.into())];
        let blocks = vec![
            Block::Paragraph(text("Prove it on the replica:")),
            Block::List {
                start: None,
                items: vec![vec![Block::Paragraph(text("first"))]],
            },
            Block::Paragraph(text("An ordinary sentence.")),
            Block::List {
                start: None,
                items: vec![vec![Block::Paragraph(text("second"))]],
            },
        ];
        let mut flow = Flow::default();
        layouter.blocks(&blocks, 0.0, geometry.measure(), &mut flow);
        let lines: Vec<&Piece> = flow
            .pieces
            .iter()
            .filter(|p| !matches!(p.kind, PieceKind::Space))
            .collect();
        assert_eq!(lines.len(), 4);
        assert!(
            !lines[1].break_before,
            "no break between the lead-in and its list"
        );
        assert!(
            lines[3].break_before,
            "an ordinary paragraph does not hold its neighbour"
        );
    }
}
