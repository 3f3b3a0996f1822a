//! The topic index in print: its heading across the measure, then the
//! entries in two columns at a smaller size, each entry's turnover lines
//! indented, a letter heading over each letter's entries and kept with the
//! first of them, and the two columns of the last page balanced.

use super::{BookLayout, Start};
use crate::document::{Block, Inline};
use crate::print::layout::blocks::set_origin;
use crate::print::layout::flow::{Flow, Piece, PieceKind};
use crate::print::layout::inline::{self, Align, Family, TextStyle};
use crate::print::layout::paginate::translate;
use crate::print::page::*;

/// The index's type is this much smaller than the body's: small enough for
/// two columns of ~40 characters, still read at a glance.
pub(super) const INDEX_SIZE_DROP: f32 = 1.5;
/// White between the two columns, in index type sizes (about a pica).
const COLUMN_GAP_EM: f32 = 1.5;
/// An entry's turnover lines are indented by this, in index type sizes, so
/// the entry's first word stands out at the column's edge.
const TURNOVER_EM: f32 = 1.5;
/// Space above a letter heading, in index leadings.
const LETTER_SPACE: f32 = 0.8;
/// Placement rounding: a piece may overhang its column by this much.
const FIT_SLACK: f32 = 0.01;

/// Where the pieces of one column go: (piece, y from the column's top).
type Column = Vec<(usize, f32)>;

impl BookLayout<'_> {
    pub(super) fn index(&mut self) {
        let g = self.geometry;
        let book = self.book;
        let mut header = Flow::default();
        let mut title = self.chapter_title(&book.labels.print_index.clone());
        title[0].destinations.push(("index".into(), 0.0));
        set_origin(&mut title, Part::Index, Origin::HEAD);
        self.tag(&mut title, StructKind::H(1));
        let index = self.structure.open(StructKind::Index);
        header.extend(title);
        header.keep_with_next(2);
        let intro: Vec<Block> = vec![Block::Paragraph(vec![Inline::Emphasis(vec![
            Inline::Text("Topics, with the pages where scenarios on them begin.".into()),
        ])])];
        self.layouter()
            .blocks(&intro, 0.0, g.measure(), &mut header);
        set_origin(&mut header.pieces, Part::Index, Origin::HEAD);
        header.space(g.leading);

        let size = g.body - INDEX_SIZE_DROP;
        let base = TextStyle {
            family: Family::Serif,
            size,
            // The body's leading, scaled with the size.
            leading: g.leading * size / g.body,
            bold: false,
            italic: false,
            gray: 0.0,
            align: Align::Left,
            hyphenate: false,
        };
        let letter_style = TextStyle {
            family: Family::Sans,
            bold: true,
            ..base
        };
        let column_width = index_column_width(g.measure(), size);
        let turnover = size * TURNOVER_EM;
        let mut entries = Flow::default();
        let mut initial: Option<String> = None;
        for (entry, (tag, scenarios)) in book.topic_index().into_iter().enumerate() {
            let origin = entry as u32 + 1;
            let first = tag
                .name
                .chars()
                .next()
                .map(|c| c.to_uppercase().collect::<String>());
            if first != initial {
                initial = first;
                entries.space(base.leading * LETTER_SPACE);
                let letter = initial.clone().unwrap_or_default();
                let mut heading = self.text_in(&letter, letter_style, column_width);
                for p in &mut heading {
                    p.heading = true;
                }
                set_origin(&mut heading, Part::Index, origin);
                self.tag(&mut heading, StructKind::H(2));
                entries.extend(heading);
                entries.keep_with_next(1);
            }
            let mut spans = inline::plain_spans(&format!("{}  ", tag.name), &base);
            for (k, s) in scenarios.iter().enumerate() {
                let dest = format!("question-{}", s.number);
                let mut text = self.number(&dest);
                if k + 1 < scenarios.len() {
                    text.push(',');
                }
                let mut number = inline::plain_spans(&text, &base);
                number
                    .iter_mut()
                    .for_each(|n| n.link = Some(LinkTarget::Internal(dest.clone())));
                spans.extend(number);
                if k + 1 < scenarios.len() {
                    spans.extend(inline::plain_spans(" ", &base));
                }
            }
            // Turnover lines are set narrower by the indent, then moved in.
            let lines = self
                .layouter()
                .lines(&spans, &base, column_width - turnover);
            let mut pieces = self.layouter().line_pieces(lines, 0.0);
            for (k, p) in pieces.iter_mut().enumerate() {
                p.break_before = k == 0;
                if k > 0 {
                    for item in &mut p.items {
                        if let Item::Text(r) = item {
                            r.x += turnover;
                        }
                    }
                    for l in &mut p.links {
                        l.rect.x += turnover;
                    }
                }
            }
            set_origin(&mut pieces, Part::Index, origin);
            // Each locator's link says which scenario and page it leads to.
            for piece in &mut pieces {
                for link in &mut piece.links {
                    if let LinkTarget::Internal(dest) = &link.target
                        && let Some(s) = scenarios
                            .iter()
                            .find(|s| dest == &format!("question-{}", s.number))
                    {
                        link.contents = format!(
                            "{} {}: {}, {} {}",
                            book.labels.scenario,
                            s.number,
                            s.title,
                            book.labels.page,
                            self.number(dest)
                        );
                    }
                }
            }
            self.tag(&mut pieces, StructKind::P);
            entries.extend(pieces);
        }
        self.structure.close(index);

        self.begin_section(Start::RightPage);
        let head = self.matter_head(&book.labels.print_index.clone());
        let header_height: f32 = header.pieces.iter().map(|p| p.height).sum();
        let height = g.text_block(0).height;
        let layout = two_columns(&entries.pieces, height - header_height, height);
        let column_x = column_width + size * COLUMN_GAP_EM;
        for (k, columns) in layout.into_iter().enumerate() {
            let role = if k == 0 {
                PageRole::Opening
            } else {
                head.clone()
            };
            let mut page = self.blank_page(role);
            let block = page.text_block;
            let mut top = 0.0;
            if k == 0 {
                for piece in &header.pieces {
                    put(&mut page, piece, block.x, block.y + top);
                    top += piece.height;
                }
            }
            for (c, column) in columns.iter().enumerate() {
                for &(n, y) in column {
                    let x = block.x + c as f32 * column_x;
                    put(&mut page, &entries.pieces[n], x, block.y + top + y);
                }
            }
            let first_origin = if k == 0 {
                header.pieces.first().map(|p| p.origin)
            } else {
                columns
                    .iter()
                    .flatten()
                    .next()
                    .map(|&(n, _)| entries.pieces[n].origin)
            };
            page.starts_at = first_origin.filter(Origin::is_set).unwrap_or(Origin::NONE);
            self.pages.push(page);
        }
    }

    /// Plain `text` in `style`, set `width` wide.
    fn text_in(&mut self, text: &str, style: TextStyle, width: f32) -> Vec<Piece> {
        let spans = inline::plain_spans(text, &style);
        self.layouter().paragraph(&spans, &style, 0.0, width)
    }
}

/// The width of each of the index's two columns at type `size`.
pub(super) fn index_column_width(measure: f32, size: f32) -> f32 {
    (measure - size * COLUMN_GAP_EM) / 2.0
}

/// Cuts `pieces` into pages of two columns, `first` points tall on the
/// first page and `height` on the others, breaking only where a piece
/// allows it and never after a heading; the last page's two columns are
/// balanced (the left one as long as the right, or one piece longer).
fn two_columns(pieces: &[Piece], first: f32, height: f32) -> Vec<[Column; 2]> {
    let mut pages = Vec::new();
    let mut start = 0;
    while start < pieces.len() {
        let room = if pages.is_empty() { first } else { height };
        let (left, middle) = fill_column(pieces, start, room);
        let (right, end) = fill_column(pieces, middle, room);
        if end >= pieces.len() {
            pages.push(balance(pieces, start, room).unwrap_or([left, right]));
            break;
        }
        pages.push([left, right]);
        start = end;
    }
    if pages.is_empty() {
        pages.push([Vec::new(), Vec::new()]);
    }
    pages
}

/// Fills one column from `start`: what it holds, and where the next starts.
fn fill_column(pieces: &[Piece], start: usize, room: f32) -> (Column, usize) {
    let mut i = skip_spaces(pieces, start);
    let first = i;
    let mut placed: Column = Vec::new();
    let mut y = 0.0;
    while i < pieces.len() {
        let piece = &pieces[i];
        if y + piece.height <= room + FIT_SLACK || placed.is_empty() {
            placed.push((i, y));
            y += piece.height;
            i += 1;
            continue;
        }
        // Does not fit: end the column at the last allowed break.
        let mut j = i;
        while j > first && !break_allowed(pieces, first, j) {
            j -= 1;
        }
        if j > first {
            placed.retain(|&(k, _)| k < j);
            i = j;
        }
        break;
    }
    (placed, i)
}

/// The split of `pieces[start..]` into two columns no taller than `room`
/// whose longer column is shortest, the left one taking the extra piece.
fn balance(pieces: &[Piece], start: usize, room: f32) -> Option<[Column; 2]> {
    let start = skip_spaces(pieces, start);
    let stack = |from: usize, to: usize| -> (Column, f32) {
        let mut column = Vec::new();
        let mut y = 0.0;
        for (i, piece) in pieces
            .iter()
            .enumerate()
            .take(to)
            .skip(skip_spaces(pieces, from))
        {
            column.push((i, y));
            y += piece.height;
        }
        // Space at a column's foot is no part of its length.
        let tail: f32 = pieces[..to]
            .iter()
            .rev()
            .take_while(|p| matches!(p.kind, PieceKind::Space))
            .map(|p| p.height)
            .sum();
        (column, (y - tail).max(0.0))
    };
    let mut best: Option<(f32, [Column; 2])> = None;
    for split in start + 1..=pieces.len() {
        if split < pieces.len() && !break_allowed(pieces, start, split) {
            continue;
        }
        let (left, left_height) = stack(start, split);
        let (right, right_height) = stack(split, pieces.len());
        if left_height > room + FIT_SLACK || right_height > room + FIT_SLACK {
            continue;
        }
        if right_height > left_height + FIT_SLACK {
            // The left column is never the shorter: a reader's eye ends the
            // page at the foot of the right one.
            continue;
        }
        let longer = left_height.max(right_height);
        if best.as_ref().is_none_or(|(b, _)| longer < *b - FIT_SLACK) {
            best = Some((longer, [left, right]));
        }
    }
    best.map(|(_, columns)| columns)
}

/// May a column end before `pieces[at]`, the column having begun at
/// `first`? Where the piece allows a break and the column would not end
/// with a heading (spaces after a heading do not count).
fn break_allowed(pieces: &[Piece], first: usize, at: usize) -> bool {
    pieces[at].break_before
        && !pieces[first..at]
            .iter()
            .rev()
            .find(|p| !matches!(p.kind, PieceKind::Space))
            .is_some_and(|p| p.heading)
}

/// The first piece from `from` that is not space (space vanishes at the
/// top of a column).
fn skip_spaces(pieces: &[Piece], from: usize) -> usize {
    let mut i = from;
    while i < pieces.len() && matches!(pieces[i].kind, PieceKind::Space) {
        i += 1;
    }
    i
}

/// Copies a piece's items, links and destinations onto `page`, its top-left
/// at (`x`, `y`).
fn put(page: &mut Page, piece: &Piece, x: f32, y: f32) {
    for item in &piece.items {
        page.items.push(translate(item, x, y));
    }
    for link in &piece.links {
        let mut link = link.clone();
        link.rect.x += x;
        link.rect.y += y;
        page.links.push(link);
    }
    for (name, dest_y) in &piece.destinations {
        page.destinations.push((name.clone(), dest_y + y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(height: f32) -> Piece {
        Piece::content(height)
    }

    fn column_heights(pieces: &[Piece], columns: &[Column; 2]) -> [f32; 2] {
        columns
            .clone()
            .map(|c| c.iter().map(|&(n, _)| pieces[n].height).sum())
    }

    #[test]
    fn the_last_page_balances_its_two_columns() {
        let pieces: Vec<Piece> = (0..7).map(|_| line(10.0)).collect();
        let pages = two_columns(&pieces, 100.0, 100.0);
        assert_eq!(pages.len(), 1);
        // Seven lines: four on the left, three on the right, not 7 and 0.
        assert_eq!(column_heights(&pieces, &pages[0]), [40.0, 30.0]);
    }

    #[test]
    fn full_pages_fill_both_columns_and_the_first_leaves_room_for_the_heading() {
        let pieces: Vec<Piece> = (0..40).map(|_| line(10.0)).collect();
        let pages = two_columns(&pieces, 60.0, 100.0);
        assert_eq!(column_heights(&pieces, &pages[0]), [60.0, 60.0]);
        assert_eq!(column_heights(&pieces, &pages[1]), [100.0, 100.0]);
        // The remaining eight lines, balanced.
        assert_eq!(column_heights(&pieces, &pages[2]), [40.0, 40.0]);
    }

    #[test]
    fn a_letter_heading_never_ends_a_column() {
        // Nine lines, a heading, then lines: the heading would be the
        // tenth line of the first column; it moves on with its entry.
        let mut pieces: Vec<Piece> = (0..9).map(|_| line(10.0)).collect();
        let mut heading = line(10.0);
        heading.heading = true;
        pieces.push(heading);
        // The entry allows a break before it: only the heading rule stops it.
        pieces.push(line(10.0));
        pieces.extend((0..30).map(|_| line(10.0)));
        let pages = two_columns(&pieces, 100.0, 100.0);
        let first_column = &pages[0][0];
        assert_eq!(first_column.len(), 9);
        assert_eq!(pages[0][1][0].0, 9, "the heading opens the next column");
    }

    #[test]
    fn a_turnover_line_stays_with_its_entry() {
        // An entry of two lines that cannot be split, where the first
        // column has room for one of them.
        let mut pieces: Vec<Piece> = (0..9).map(|_| line(10.0)).collect();
        pieces.push(line(10.0));
        let mut turnover = line(10.0);
        turnover.break_before = false;
        pieces.push(turnover);
        pieces.extend((0..30).map(|_| line(10.0)));
        let pages = two_columns(&pieces, 100.0, 100.0);
        assert_eq!(pages[0][0].len(), 9);
        assert_eq!(pages[0][1][0].0, 9);
    }
}
