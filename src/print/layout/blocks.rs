//! Block layout: headings, paragraphs, lists, quotes, code blocks, tables,
//! images and rules become pieces of a flow, with the pagination rules of
//! each kind (no widows or orphans, headings kept with what follows, code
//! broken between lines, table rows carrying their header).

use std::sync::Arc;

use super::flow::{CodeBox, Flow, Piece, PieceKind};
use super::geometry::Geometry;
use super::inline::{self, Align, Family, Line, Span, TextStyle};
use crate::document::{Alignment, Block, Inline, Table};
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
/// May a page break fall before line `k` of an `n`-line paragraph? Before
/// its first line, or where at least two lines stay on each side.
pub fn break_allowed_before_line(k: usize, n: usize) -> bool {
    k == 0 || (k >= MIN_LINES_AT_BREAK && n - k >= MIN_LINES_AT_BREAK)
}

/// Hanging indent of list items, in ems of body text.
const LIST_INDENT_EM: f32 = 1.6;
/// Block quotes are indented this many ems, with a rule in the margin.
const QUOTE_INDENT_EM: f32 = 1.4;
/// Code blocks: padding inside the shaded box, in points.
const CODE_PADDING: f32 = 5.0;
/// Code shading, 0 black … 1 white: a 15% tint, the lightest a toner
/// press holds as an even tone (a 6% tint is halftoned into sparse dots or
/// dropped); the code's black text stays legible on it.
const CODE_SHADE: f32 = 0.85;
/// Rules are solid black (gray 0): a gray rule is halftoned on a toner
/// press and breaks up at 0.3 pt; thinness, not tint, keeps them quiet.
const RULE_GRAY: f32 = 0.0;
/// Table rules: hairlines between body rows, a heavier rule under the
/// header and to close the table, so its end reads at a glance.
const ROW_RULE_PT: f32 = 0.3;
const TABLE_RULE_PT: f32 = 0.8;
/// A block quote's margin rule, solid black and thinner than the 1.5 pt a
/// gray rule needed to read as a tone.
const QUOTE_RULE_PT: f32 = 0.75;
/// Code text is 100% black, as all text is: a 90% gray is halftoned.
const CODE_TEXT_GRAY: f32 = 0.0;
/// Lines a code block keeps at least on each side of a page break: two
/// lines of code out of context do not read as the block they belong to.
pub const MIN_CODE_LINES_AT_BREAK: usize = 3;
/// Body rows a table keeps at least on each side of a page break (a lone
/// row under a repeated header reads as a table of its own).
pub const MIN_ROWS_AT_BREAK: usize = 2;
/// The cue at the head of a page a code block goes on to: set in the
/// code's box as an artifact, so copying the code never picks it up.
const CODE_CONTINUED: &str = "(continued)";
/// Table cells: padding left/right and above/below text.
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 2.5;
/// Table text is a step smaller than body text.
const TABLE_SCALE: f32 = 0.9;
/// Nested lists and quotes stop indenting once the measure left would fall
/// below this many ems: deeper levels are set at the indent of the last one
/// that fitted, so text stays inside the text block however deep the
/// nesting (12 ems holds about 25 characters, a short line but a readable one).
const MIN_NESTED_MEASURE_EM: f32 = 12.0;
/// A table column is never narrower than this many ems of table text; a
/// table with more columns than fit is set as several tables, each with a
/// group of its columns (the first column repeated as the row label).
const MIN_COLUMN_EM: f32 = 3.5;
/// A table row taller than this share of the text block is split between
/// its lines, so a row longer than a page flows on to the next one.
const MAX_UNBROKEN_ROW: f32 = 0.3;

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

    /// Code: lines kept exactly (spaces included), wrapped at the measure with
    /// a hanging indent only when a line is too long; breaks fall between lines.
    fn code_block(&mut self, lines: &[String], x: f32, width: f32, flow: &mut Flow) {
        let g = self.geometry;
        let advance = self.shaper.width("0", FaceId::Mono, g.code).max(0.1);
        let usable = width - 2.0 * CODE_PADDING;
        let per_line = ((usable / advance).floor() as usize).max(8);
        let mut rows: Vec<String> = Vec::new();
        // The source line each row sets (a long line wraps into several).
        let mut row_lines: Vec<u32> = Vec::new();
        for (source_line, line) in lines.iter().enumerate() {
            let line = line.replace('\t', "    ");
            let chars: Vec<char> = line.chars().collect();
            if line.is_ascii() && chars.len() <= per_line {
                rows.push(line);
                row_lines.push(source_line as u32);
                continue;
            }
            // Characters from fallback faces (symbols, other scripts) are not
            // one column wide: measure them, in columns of the mono advance.
            let columns: Vec<f32> = if line.is_ascii() {
                vec![1.0; chars.len()]
            } else {
                chars
                    .iter()
                    .map(|&c| {
                        let mut buffer = [0u8; 4];
                        self.shaper
                            .width(c.encode_utf8(&mut buffer), FaceId::Mono, g.code)
                            / advance
                    })
                    .collect()
            };
            // Continuation lines are indented two columns under the first.
            let mut rest = &chars[..];
            let mut rest_columns = &columns[..];
            let mut first = true;
            while !rest.is_empty() {
                let room = if first { per_line } else { per_line - 2 };
                let mut used = 0.0;
                let fits = rest_columns
                    .iter()
                    .take_while(|&&w| {
                        used += w;
                        used <= room as f32 + 0.01
                    })
                    .count()
                    .max(1);
                let mut take = fits;
                if take < rest.len() {
                    // Prefer a break after a space or punctuation in the last third.
                    if let Some(p) = (room * 2 / 3..take)
                        .rev()
                        .find(|&i| matches!(rest[i - 1], ' ' | ',' | '.' | '/' | '(' | '_'))
                    {
                        take = p;
                    }
                }
                let piece: String = rest[..take].iter().collect();
                rows.push(if first { piece } else { format!("  {piece}") });
                row_lines.push(source_line as u32);
                rest = &rest[take..];
                rest_columns = &rest_columns[take..];
                first = false;
            }
        }
        let n = rows.len();
        let code_box = Arc::new(CodeBox {
            x,
            width,
            gray: CODE_SHADE,
            cue: self.code_cue(x, width),
        });
        let kind = || PieceKind::Code {
            block: code_box.clone(),
        };
        // The shading is drawn by pagination, once per page's run of the
        // block's pieces: the padding above and below is empty space.
        let mut top = Piece::content(CODE_PADDING);
        top.kind = kind();
        flow.push(top);
        let code = self.structure.leaf(StructKind::Code);
        // Lines with text before each row: a blank line does not count
        // towards the lines kept on each side of a break.
        let mut written = vec![0usize; n + 1];
        for (k, row) in rows.iter().enumerate() {
            written[k + 1] = written[k] + usize::from(!row.trim().is_empty());
        }
        for (k, row) in rows.iter().enumerate() {
            let mut piece = Piece::content(g.code_leading);
            piece.kind = kind();
            piece.break_before = written[k] >= MIN_CODE_LINES_AT_BREAK
                && written[n] - written[k] >= MIN_CODE_LINES_AT_BREAK;
            piece.origin.offset = row_lines.get(k).copied().unwrap_or(0);
            let baseline = g.code * 0.78 + (g.code_leading - g.code) / 2.0;
            let runs = self.shaper.shape(row, FaceId::Mono, g.code);
            piece
                .items
                .extend(set_runs(runs, x + CODE_PADDING, baseline, CODE_TEXT_GRAY));
            tag_into(self.structure, std::slice::from_mut(&mut piece), code);
            flow.push(piece);
        }
        let mut bottom = Piece::content(CODE_PADDING);
        bottom.kind = kind();
        bottom.break_before = false;
        flow.push(bottom);
    }

    /// The "continued" line set at the head of a page a code block goes on
    /// to: small italic, right-aligned in the box, an artifact.
    fn code_cue(&mut self, x: f32, width: f32) -> Piece {
        let g = self.geometry;
        let size = g.code * 0.9;
        let runs = self.shaper.shape(CODE_CONTINUED, FaceId::SerifItalic, size);
        let text_width: f32 = runs.iter().map(|r| r.width()).sum();
        let mut cue = Piece::content(g.code_leading);
        let baseline = g.code * 0.78 + (g.code_leading - g.code) / 2.0 + CODE_PADDING * 0.5;
        cue.height += CODE_PADDING * 0.5;
        cue.items = set_runs(
            runs,
            x + width - CODE_PADDING - text_width,
            baseline,
            CODE_TEXT_GRAY,
        );
        cue
    }

    fn table(&mut self, table: &Table, x: f32, width: f32, flow: &mut Flow) {
        let columns = table
            .header
            .len()
            .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
        if columns == 0 {
            return;
        }
        let mut style = self.body_style();
        style.size *= TABLE_SCALE;
        style.leading *= TABLE_SCALE;
        style.align = Align::Left;
        style.hyphenate = false;
        let mut header_style = style;
        header_style.bold = true;

        let max_columns = ((width / (style.size * MIN_COLUMN_EM)).floor() as usize).max(2);
        if columns > max_columns {
            self.table_in_column_groups(table, columns, max_columns, x, width, flow);
            return;
        }

        // Column widths: proportional to each column's natural width, but
        // never narrower than its longest word (or an equal share).
        let mut natural = vec![1.0f32; columns];
        let mut longest_word = vec![1.0f32; columns];
        for (r, row) in std::iter::once(&table.header)
            .chain(table.rows.iter())
            .enumerate()
        {
            let s = if r == 0 { &header_style } else { &style };
            for (c, cell) in row.iter().enumerate().take(columns) {
                let spans = inline::collect(cell, s);
                let mut w = 0.0;
                for span in &spans {
                    for word in span.text.split(' ') {
                        let ww = self.shaper.width(word, span.face, span.size);
                        longest_word[c] = longest_word[c].max(ww + 2.0 * CELL_PAD_X);
                    }
                    w += self.shaper.width(&span.text, span.face, span.size);
                }
                natural[c] = natural[c].max(w + 2.0 * CELL_PAD_X);
            }
        }
        let widths = column_widths(&natural, &longest_word, width);
        // Numbers line up on their last digit: a column of numbers is set
        // right-aligned whatever its Markdown alignment, unless centred.
        let aligns: Vec<Align> = (0..columns)
            .map(|c| match table.alignments.get(c) {
                Some(Alignment::Right) => Align::Right,
                Some(Alignment::Center) => Align::Center,
                _ if numeric_column(table, c) => Align::Right,
                _ => Align::Left,
            })
            .collect();
        // A header word wider than its column is hyphenated rather than
        // cut between letters, where its hyphenation points give pieces
        // that fit (else cutting is the only way to keep it in its column).
        let header_hyphenate: Vec<bool> = (0..columns)
            .map(|c| {
                let room = widths[c] - 2.0 * CELL_PAD_X + 0.01;
                let cell = table.header.get(c).map(Vec::as_slice).unwrap_or(&[]);
                let spans = inline::collect(cell, &header_style);
                let mut wide = false;
                let mut all_fit = true;
                for span in &spans {
                    for word in span.text.split(' ') {
                        if self.shaper.width(word, span.face, span.size) <= room {
                            continue;
                        }
                        wide = true;
                        let hyphen = self.shaper.width("-", span.face, span.size);
                        let mut cuts = self.hyphenation.breaks(word);
                        cuts.push(word.len());
                        let mut from = 0;
                        for cut in cuts {
                            let piece = word.get(from..cut).unwrap_or("");
                            if self.shaper.width(piece, span.face, span.size) + hyphen > room {
                                all_fit = false;
                            }
                            from = cut;
                        }
                    }
                }
                wide && all_fit
            })
            .collect();
        let body_hyphenate = vec![false; columns];
        let rows: Vec<Vec<Vec<Inline>>> = table
            .rows
            .iter()
            .map(|row| row.iter().map(|cell| true_minus(cell)).collect())
            .collect();

        let table_tag = self.structure.open(StructKind::Table);
        let head = self.structure.open(StructKind::THead);
        let header = Arc::new(self.table_row(
            &table.header,
            &widths,
            (&aligns, &header_hyphenate),
            &header_style,
            x,
            width,
            RowRule::Header,
        ));
        self.structure.close(head);
        let body = self.structure.open(StructKind::TBody);
        let tallest =
            (self.geometry.height - self.geometry.top - self.geometry.bottom) * MAX_UNBROKEN_ROW;
        // A header too tall to repeat on every page is set once, split
        // like a tall row, and the rows then flow without it.
        let repeat_header = header.height <= tallest;
        if repeat_header {
            flow.push((*header).clone());
        } else {
            let bands = split_row((*header).clone(), header_style.leading);
            let n = bands.len();
            for (b, mut band) in bands.into_iter().enumerate() {
                band.origin.offset = 0;
                band.break_before = break_allowed_before_line(b, n);
                flow.push(band);
            }
        }
        let count = rows.len();
        for (k, row) in rows.iter().enumerate() {
            let rule = if k + 1 == count {
                RowRule::Closing
            } else {
                RowRule::Hairline
            };
            let piece = self.table_row(
                row,
                &widths,
                (&aligns, &body_hyphenate),
                &style,
                x,
                width,
                rule,
            );
            let bands = if piece.height > tallest {
                split_row(piece, style.leading)
            } else {
                vec![piece]
            };
            let n = bands.len();
            for (b, mut band) in bands.into_iter().enumerate() {
                band.origin.offset = k as u32 + 1;
                // The header never stands alone at the foot of a page; a
                // split row keeps two lines on each side of a break.
                band.break_before = if b == 0 {
                    k >= MIN_ROWS_AT_BREAK && count - k >= MIN_ROWS_AT_BREAK
                } else {
                    break_allowed_before_line(b, n)
                };
                if repeat_header {
                    band.kind = PieceKind::Row {
                        header: header.clone(),
                    };
                }
                flow.push(band);
            }
        }
        self.structure.close(body);
        self.structure.close(table_tag);
    }

    /// A table wider than the text block allows, set as consecutive tables:
    /// each holds the first column (the rows' labels) and the next group
    /// of columns that fits.
    fn table_in_column_groups(
        &mut self,
        table: &Table,
        columns: usize,
        max_columns: usize,
        x: f32,
        width: f32,
        flow: &mut Flow,
    ) {
        let others: Vec<usize> = (1..columns).collect();
        for (g, group) in others.chunks(max_columns - 1).enumerate() {
            let chosen: Vec<usize> = std::iter::once(0).chain(group.iter().copied()).collect();
            let pick = |row: &Vec<Vec<Inline>>| -> Vec<Vec<Inline>> {
                chosen
                    .iter()
                    .map(|&c| row.get(c).cloned().unwrap_or_default())
                    .collect()
            };
            let part = Table {
                alignments: chosen
                    .iter()
                    .map(|&c| table.alignments.get(c).copied().unwrap_or(Alignment::Left))
                    .collect(),
                header: pick(&table.header),
                rows: table.rows.iter().map(pick).collect(),
            };
            if g > 0 {
                flow.space(self.geometry.leading * 0.55);
            }
            self.table(&part, x, width, flow);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        cells: &[Vec<Inline>],
        widths: &[f32],
        (aligns, hyphenate): (&[Align], &[bool]),
        style: &TextStyle,
        x: f32,
        width: f32,
        rule: RowRule,
    ) -> Piece {
        let header = rule == RowRule::Header;
        let mut cell_lines = Vec::new();
        let row_tag = self.structure.open(StructKind::TR);
        for (c, w) in widths.iter().enumerate() {
            let mut s = *style;
            s.align = aligns[c];
            s.hyphenate = hyphenate[c];
            let content = cells.get(c).map(Vec::as_slice).unwrap_or(&[]);
            let spans = inline::collect(content, &s);
            let lines = self.lines(&spans, &s, w - 2.0 * CELL_PAD_X);
            // Each cell is a TH or TD of its own, its text tagged before
            // the cells are merged into the row's piece.
            let mut cell = self.line_pieces(lines, 0.0);
            let kind = if header {
                StructKind::TH
            } else {
                StructKind::TD
            };
            self.tag(&mut cell, kind);
            cell_lines.push(cell);
        }
        self.structure.close(row_tag);
        let rows = cell_lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = rows as f32 * style.leading + 2.0 * CELL_PAD_Y;
        let mut piece = Piece::content(height);
        let mut cx = x;
        for (c, lines) in cell_lines.into_iter().enumerate() {
            let mut y = CELL_PAD_Y;
            for line in lines {
                for item in line.items {
                    if let Item::Text(run) = item {
                        piece.items.push(Item::Text(GlyphRun {
                            x: run.x + cx + CELL_PAD_X,
                            baseline: run.baseline + y,
                            ..run
                        }));
                    }
                }
                for link in line.links {
                    piece.links.push(LinkArea {
                        rect: Rect {
                            x: link.rect.x + cx + CELL_PAD_X,
                            y: link.rect.y + y,
                            ..link.rect
                        },
                        ..link
                    });
                }
                y += style.leading;
            }
            cx += widths[c];
        }
        let (thickness, gray) = match rule {
            RowRule::Header | RowRule::Closing => (TABLE_RULE_PT, RULE_GRAY),
            RowRule::Hairline => (ROW_RULE_PT, RULE_GRAY),
        };
        piece.items.push(Item::Rule {
            x1: x,
            y1: height,
            x2: x + width,
            y2: height,
            thickness,
            gray,
        });
        if header {
            piece.items.push(Item::Rule {
                x1: x,
                y1: 0.0,
                x2: x + width,
                y2: 0.0,
                thickness: TABLE_RULE_PT,
                gray: RULE_GRAY,
            });
        }
        piece
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

/// Splits a table row's piece into bands one text line tall (the first and
/// last keep the cell padding, the last the row's rule), so pagination can
/// break inside a row that would not fit on a page.
fn split_row(row: Piece, leading: f32) -> Vec<Piece> {
    let lines = (((row.height - 2.0 * CELL_PAD_Y) / leading).round() as usize).max(1);
    let band_of = |y: f32| (((y - CELL_PAD_Y) / leading).floor().max(0.0) as usize).min(lines - 1);
    let top_of = |b: usize| {
        if b == 0 {
            0.0
        } else {
            CELL_PAD_Y + b as f32 * leading
        }
    };
    let mut bands: Vec<Piece> = (0..lines)
        .map(|b| {
            let bottom = if b + 1 == lines {
                row.height
            } else {
                CELL_PAD_Y + (b + 1) as f32 * leading
            };
            Piece::content(bottom - top_of(b))
        })
        .collect();
    for item in row.items {
        let (b, item) = match item {
            Item::Text(run) => {
                let b = band_of(run.baseline - 0.5 * leading);
                (
                    b,
                    Item::Text(GlyphRun {
                        baseline: run.baseline - top_of(b),
                        ..run
                    }),
                )
            }
            Item::Rule {
                x1,
                y1,
                x2,
                y2,
                thickness,
                gray,
            } => {
                let b = if y1 <= 0.0 { 0 } else { lines - 1 };
                let shift = top_of(b);
                (
                    b,
                    Item::Rule {
                        x1,
                        y1: y1 - shift,
                        x2,
                        y2: y2 - shift,
                        thickness,
                        gray,
                    },
                )
            }
            other => (0, other),
        };
        bands[b].items.push(item);
    }
    for link in row.links {
        let b = band_of(link.rect.y + 0.5 * link.rect.height);
        let y = link.rect.y - top_of(b);
        bands[b].links.push(LinkArea {
            rect: Rect { y, ..link.rect },
            ..link
        });
    }
    bands
}

/// The rule under a table row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowRule {
    /// The header: a heavy rule above and below.
    Header,
    /// A body row: a hairline.
    Hairline,
    /// The last row: the heavy rule that closes the table.
    Closing,
}

/// Units a number in a table cell may carry and still be a number for
/// alignment: sizes, durations, counts and rates as the book writes them.
const NUMBER_UNITS: &[&str] = &[
    "%", "×", "x", "k", "m", "b", "bn", "kb", "mb", "gb", "tb", "pb", "kib", "mib", "gib", "tib",
    "ms", "µs", "s", "sec", "min", "mins", "h", "hr", "hrs", "d", "days", "pt", "mm",
];

/// Is `text` a number (a count, percentage, size, duration, time of day or
/// sum of money), as a table column of figures holds?
pub fn is_number(text: &str) -> bool {
    let t = text
        .trim()
        .trim_start_matches(['+', '-', '\u{2212}', '~', '≈', '<', '>', '≤', '≥', '±', ' ']);
    let t = t.trim_start_matches(['$', '€', '£']);
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | ':')))
        .unwrap_or(t.len());
    if t[..end].ends_with([',', '.', ':']) {
        return false;
    }
    let unit = t[end..].trim_start();
    // A rate: "$1,200/month", "40 MB/s".
    let unit = unit.split('/').next().unwrap_or("");
    unit.is_empty() || NUMBER_UNITS.contains(&unit.to_lowercase().as_str())
}

/// Is column `c` of `table` a column of numbers (every body cell with
/// text in it is one, and one at least has text)?
fn numeric_column(table: &Table, c: usize) -> bool {
    let mut any = false;
    for row in &table.rows {
        let text = row
            .get(c)
            .map(|cell| crate::document::plain_text(cell))
            .unwrap_or_default();
        if text.trim().is_empty() || text.trim() == "—" || text.trim() == "–" {
            continue;
        }
        if !is_number(&text) {
            return false;
        }
        any = true;
    }
    any
}

/// A cell with each hyphen-minus that makes a number negative ("-3",
/// "(-0.5%)") set as a true minus sign, U+2212, the width of a plus and on
/// the figures' axis; hyphens inside words and dates stay.
pub fn true_minus(cell: &[Inline]) -> Vec<Inline> {
    fn text(t: &str) -> String {
        let chars: Vec<char> = t.chars().collect();
        let mut out = String::with_capacity(t.len());
        for (k, &c) in chars.iter().enumerate() {
            let before_ok =
                k == 0 || matches!(chars[k - 1], ' ' | '(' | '[' | '\u{a0}' | '≈' | '~');
            let after_digit = chars
                .get(k + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == '$');
            out.push(if c == '-' && before_ok && after_digit {
                '\u{2212}'
            } else {
                c
            });
        }
        out
    }
    cell.iter()
        .map(|inline| match inline {
            Inline::Text(t) => Inline::Text(text(t)),
            Inline::Emphasis(inner) => Inline::Emphasis(true_minus(inner)),
            Inline::Strong(inner) => Inline::Strong(true_minus(inner)),
            other => other.clone(),
        })
        .collect()
}

/// Shares `total` among columns by natural width, each at least its longest word
/// when that is possible.
fn column_widths(natural: &[f32], minimum: &[f32], total: f32) -> Vec<f32> {
    let n = natural.len() as f32;
    let sum: f32 = natural.iter().sum();
    if sum <= total {
        // Everything fits on one line: spread the slack evenly.
        let extra = (total - sum) / n;
        return natural.iter().map(|w| w + extra).collect();
    }
    let floors: Vec<f32> = minimum.iter().map(|m| m.min(total / n)).collect();
    let floor_sum: f32 = floors.iter().sum();
    let flexible: f32 = natural
        .iter()
        .zip(&floors)
        .map(|(w, f)| (w - f).max(0.0))
        .sum();
    let room = (total - floor_sum).max(0.0);
    natural
        .iter()
        .zip(&floors)
        .map(|(w, f)| {
            f + if flexible > 0.0 {
                (w - f).max(0.0) / flexible * room
            } else {
                room / n
            }
        })
        .collect()
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

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn figures_sizes_and_money_are_numbers_and_words_are_not() {
        for text in [
            "182,400", "12%", "3.1 GB", "$38M", "-5", "−0.5%", "07:00", "40 MB/s", "1.2×",
        ] {
            assert!(is_number(text), "{text}");
        }
        for text in [
            "2 Jan",
            "waiting",
            "v412",
            "05:00 refresh",
            "1.",
            "about 30",
        ] {
            assert!(!is_number(text), "{text}");
        }
    }

    #[test]
    fn a_negative_number_gets_a_true_minus_and_a_hyphen_stays_a_hyphen() {
        let cell = vec![Inline::Text(
            "-32.30 and (-5%) in well-known 2025-03-02".into(),
        )];
        assert_eq!(
            true_minus(&cell),
            vec![Inline::Text(
                "\u{2212}32.30 and (\u{2212}5%) in well-known 2025-03-02".into()
            )]
        );
    }
}
