//! Code blocks: lines kept exactly as written, wrapped at the measure with a
//! hanging indent only when too long, shaded, broken between lines with at
//! least three on each side and a "continued" cue at the head of the next
//! page.

use std::sync::Arc;

use super::blocks::{Layouter, set_runs, tag_into};
use super::flow::{CodeBox, Flow, Piece, PieceKind};
use crate::print::fonts::FaceId;
use crate::print::page::StructKind;

/// Code blocks: padding inside the shaded box, in points.
const CODE_PADDING: f32 = 5.0;
/// Code shading, 0 black … 1 white: a 15% tint, the lightest a toner
/// press holds as an even tone (a 6% tint is halftoned into sparse dots or
/// dropped); the code's black text stays legible on it.
const CODE_SHADE: f32 = 0.85;
/// Code text is 100% black, as all text is: a 90% gray is halftoned.
const CODE_TEXT_GRAY: f32 = 0.0;
/// Lines a code block keeps at least on each side of a page break: two
/// lines of code out of context do not read as the block they belong to.
pub const MIN_CODE_LINES_AT_BREAK: usize = 3;
/// The cue at the head of a page a code block goes on to: set in the
/// code's box as an artifact, so copying the code never picks it up.
const CODE_CONTINUED: &str = "(continued)";

impl Layouter<'_> {
    /// Code: lines kept exactly (spaces included), wrapped at the measure with
    /// a hanging indent only when a line is too long; breaks fall between lines.
    pub(super) fn code_block(&mut self, lines: &[String], x: f32, width: f32, flow: &mut Flow) {
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
}
