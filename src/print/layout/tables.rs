//! Tables: columns sized to their text (split into groups when too many
//! fit), figures right-aligned with true minus signs, rules between rows and
//! a heavier one to close, rows broken with at least two on each side and
//! the header repeated at the head of a page.

use std::sync::Arc;

use super::blocks::{Layouter, RULE_GRAY, break_allowed_before_line};
use super::flow::{Flow, Piece, PieceKind};
use super::inline::{self, Align, TextStyle};
use crate::document::{Alignment, Inline, Table};
use crate::print::page::{GlyphRun, Item, LinkArea, Rect, StructKind};

/// Table rules: hairlines between body rows, a heavier rule under the
/// header and to close the table, so its end reads at a glance.
const ROW_RULE_PT: f32 = 0.3;
const TABLE_RULE_PT: f32 = 0.8;
/// Body rows a table keeps at least on each side of a page break (a lone
/// row under a repeated header reads as a table of its own).
pub const MIN_ROWS_AT_BREAK: usize = 2;
/// A table column is never narrower than this many ems of table text; a
/// table with more columns than fit is set as several tables, each with a
/// group of its columns (the first column repeated as the row label).
const MIN_COLUMN_EM: f32 = 3.5;
/// A table row taller than this share of the text block is split between
/// its lines, so a row longer than a page flows on to the next one.
const MAX_UNBROKEN_ROW: f32 = 0.3;
/// Table text is a step smaller than body text.
const TABLE_SCALE: f32 = 0.9;
/// Table cells: padding left/right and above/below text.
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 2.5;

impl Layouter<'_> {
    pub(super) fn table(&mut self, table: &Table, x: f32, width: f32, flow: &mut Flow) {
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
