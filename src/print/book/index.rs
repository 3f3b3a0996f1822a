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
/// On the last page a long entry may run on from the foot of the left
/// column to the head of the right one, keeping at least this many of its
/// lines on each side: the reader's eye goes on across the same page, so
/// the entry needs no "continued", and without it a page whose last
/// entries are long can be balanced only to within their length (the
/// real book's last index page was five lines out at 6×9). Between pages
/// an entry is never split.
const MIN_ENTRY_LINES_AT_COLUMN_BREAK: usize = 2;
/// On the last page a space between letter groups may grow by up to this
/// share of its height (to twice its height), so that the shorter column
/// ends on the same line as the longer, as a flushed two-column index in
/// TeX does with its stretchable letter space; the gap still reads as the
/// one between letters, and a short right column no longer leaves the page
/// ragged where an entry too long to move decides the split.
const LETTER_SPACE_STRETCH: f32 = 1.0;
/// A split inside an entry is taken only where it leaves the longer column
/// more than this many lines shorter than the best split between entries
/// does: whole entries read better, but a run-on that evens the columns by
/// two lines or more is worth it.
const ENTRY_SPLIT_COST_LINES: f32 = 1.0;

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
/// that makes the page shortest and its two columns' feet most even, the
/// left one never the shorter; the shorter column's letter spaces grow
/// (at most by `LETTER_SPACE_STRETCH`) so that it ends on the longer's line.
fn balance(pieces: &[Piece], start: usize, room: f32) -> Option<[Column; 2]> {
    let start = skip_spaces(pieces, start);
    let mut best: Option<(f32, [Column; 2])> = None;
    for split in start + 1..=pieces.len() {
        let inside_entry = split < pieces.len() && !break_allowed(pieces, start, split);
        if inside_entry && !entry_may_run_on(pieces, split) {
            continue;
        }
        let left = Stack::of(pieces, start, split);
        let right = Stack::of(pieces, split, pieces.len());
        let tallest = left.height.max(right.height);
        if tallest > room + FIT_SLACK {
            continue;
        }
        let left_grows = (tallest - left.height).min(left.stretch);
        let right_grows = (tallest - right.height).min(right.stretch);
        let (left_foot, right_foot) = (left.height + left_grows, right.height + right_grows);
        if right_foot > left_foot + FIT_SLACK {
            // The left column is never the shorter: a reader's eye ends the
            // page at the foot of the right one.
            continue;
        }
        // Uneven feet cost as much as the same height more of page.
        let mut cost = tallest + (left_foot - right_foot);
        if inside_entry {
            cost += ENTRY_SPLIT_COST_LINES * pieces[split].height;
        }
        if best.as_ref().is_none_or(|(b, _)| cost < *b - FIT_SLACK) {
            best = Some((
                cost,
                [
                    left.place(pieces, left_grows),
                    right.place(pieces, right_grows),
                ],
            ));
        }
    }
    best.map(|(_, columns)| columns)
}

/// One column of the last page before it is placed: its pieces, its
/// height (space at its top and foot left out) and how much its letter
/// spaces between may grow in all.
struct Stack {
    pieces: std::ops::Range<usize>,
    height: f32,
    stretch: f32,
}

impl Stack {
    fn of(pieces: &[Piece], from: usize, to: usize) -> Stack {
        let first = skip_spaces(pieces, from).min(to);
        let is_space = |p: &Piece| matches!(p.kind, PieceKind::Space);
        let tail: f32 = pieces[first..to]
            .iter()
            .rev()
            .take_while(|p| is_space(p))
            .map(|p| p.height)
            .sum();
        let all: f32 = pieces[first..to].iter().map(|p| p.height).sum();
        let spaces: f32 = pieces[first..to]
            .iter()
            .filter(|p| is_space(p))
            .map(|p| p.height)
            .sum();
        Stack {
            pieces: first..to,
            height: (all - tail).max(0.0),
            stretch: (spaces - tail).max(0.0) * LETTER_SPACE_STRETCH,
        }
    }

    /// The column's pieces placed from its top, its letter spaces grown by
    /// `grow` in all, shared in proportion to their heights.
    fn place(&self, pieces: &[Piece], grow: f32) -> Column {
        let share = if self.stretch > 0.0 {
            grow / self.stretch * LETTER_SPACE_STRETCH
        } else {
            0.0
        };
        let mut column = Vec::new();
        let mut y = 0.0;
        for i in self.pieces.clone() {
            let piece = &pieces[i];
            column.push((i, y));
            y += piece.height;
            if matches!(piece.kind, PieceKind::Space) {
                y += piece.height * share;
            }
        }
        column
    }
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

/// May the right column start at `pieces[at]`, a turnover line of an
/// entry, with at least `MIN_ENTRY_LINES_AT_COLUMN_BREAK` of the entry's
/// lines on each side? (An entry's lines share its origin; a letter
/// heading and space are not lines of it.)
fn entry_may_run_on(pieces: &[Piece], at: usize) -> bool {
    let line = |p: &Piece| !p.heading && !matches!(p.kind, PieceKind::Space);
    let piece = &pieces[at];
    if piece.break_before || !line(piece) {
        return false;
    }
    let of_entry = |p: &&Piece| line(p) && p.origin.block == piece.origin.block;
    let before = pieces[..at].iter().rev().take_while(of_entry).count();
    let after = pieces[at..].iter().take_while(of_entry).count();
    before >= MIN_ENTRY_LINES_AT_COLUMN_BREAK && after >= MIN_ENTRY_LINES_AT_COLUMN_BREAK
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

    /// An entry of `lines` lines, every line after the first a turnover.
    fn entry(block: u32, lines: usize) -> Vec<Piece> {
        (0..lines)
            .map(|k| {
                let mut p = line(10.0);
                p.break_before = k == 0;
                p.origin.block = block;
                p
            })
            .collect()
    }

    #[test]
    fn a_long_entry_runs_on_to_the_right_column_where_that_balances_the_last_page() {
        // Two one-line entries, then one of six lines: split between
        // entries the columns are 2 | 6 (the left shorter: refused) or
        // 8 | 0; run on after two of the long entry's lines they are 4 | 4.
        let mut pieces = entry(1, 1);
        pieces.extend(entry(2, 1));
        pieces.extend(entry(3, 6));
        let pages = two_columns(&pieces, 100.0, 100.0);
        assert_eq!(column_heights(&pieces, &pages[0]), [40.0, 40.0]);
    }

    #[test]
    fn the_shorter_columns_letter_spaces_grow_towards_the_longer_ones_foot() {
        // An entry of three lines (too short to split), then three one-line
        // entries, each after a letter space of 8: the best split is 48 | 28,
        // and the right column's one space between may double, to 16, so
        // its last line moves down 8 towards the left column's foot.
        let mut pieces = entry(1, 3);
        for block in 2..5 {
            pieces.push(Piece::space(8.0));
            pieces.extend(entry(block, 1));
        }
        let pages = two_columns(&pieces, 100.0, 100.0);
        let [left, right] = &pages[0];
        assert_eq!(left.last(), Some(&(4, 38.0)), "the left column as set");
        assert_eq!(right.first(), Some(&(6, 0.0)));
        assert_eq!(right.last(), Some(&(8, 26.0)), "10 + 8 + 8 of stretch");
    }

    #[test]
    fn a_split_entry_keeps_two_lines_on_each_side() {
        // One line, then an entry of three: 2 | 2 would leave one of its
        // lines alone in a column, so the entry is not split and stays in
        // one column (1 | 3 is refused, the left being shorter).
        let mut pieces = entry(1, 1);
        pieces.extend(entry(2, 3));
        let pages = two_columns(&pieces, 100.0, 100.0);
        let [left, right] = &pages[0];
        let entry_columns: Vec<usize> = (1..4)
            .map(|n| usize::from(right.iter().any(|&(i, _)| i == n)))
            .collect();
        assert!(
            entry_columns.iter().all(|&c| c == entry_columns[0]),
            "left {left:?} right {right:?}"
        );
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
