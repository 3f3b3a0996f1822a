//! Pagination: cuts a section's flow into pages. Pieces are placed top to
//! bottom; when one does not fit, the page ends at the last place a break is
//! allowed (which keeps headings with their text and two lines of a
//! paragraph on each side), spaces vanish at the top of a page, table rows
//! arriving at the top of a page bring their header along, and workbook
//! lines fill what is left of a page.
//!
//! This file decides the pages: which pieces go on each (`Placed`, one
//! `Frame` a page). `pages` then draws each frame onto a page of the
//! page model.

mod pages;

pub use pages::{paginate, rule_lines, translate};

use std::sync::Arc;

use super::flow::{CodeBox, Piece, PieceKind};
use super::geometry::{Geometry, WORKBOOK_MIN_LINES_BEFORE_TURN};

/// Placement rounding: a piece may overhang the text block by this much.
pub(super) const FIT_SLACK: f32 = 0.01;

/// A page should not end on a hyphenated line: when it would, the break
/// moves back to an earlier allowed one, if there is one no more than this
/// many body lines back (the page is then stretched to its foot, or its
/// spread evened out, see `spread`): far enough to pass a heading and its
/// spaces ("Fix" + two lines ending "bea-").
const HYPHEN_LOOKBACK_LINES: f32 = 5.0;

pub(super) enum Placed {
    Piece(usize, f32),
    /// A table's header repeated at the head of a page.
    Header(Arc<Piece>, f32),
    /// A code block's "continued" cue at the head of a page.
    Cue(Arc<CodeBox>, f32),
    Fill {
        label: usize,
        gap: f32,
        lines: usize,
        y: f32,
        /// The lines go on from the verso before: no label of their own.
        continued: bool,
    },
}

impl Placed {
    pub(super) fn y(&self) -> f32 {
        match self {
            Placed::Piece(_, y) | Placed::Header(_, y) | Placed::Cue(_, y) => *y,
            Placed::Fill { y, .. } => *y,
        }
    }

    pub(super) fn set_y(&mut self, to: f32) {
        match self {
            Placed::Piece(_, y) | Placed::Header(_, y) | Placed::Cue(_, y) => *y = to,
            Placed::Fill { y, .. } => *y = to,
        }
    }
}

/// A page's placed pieces, and whether it breaks inside the flow (and so
/// is stretched to end on the foot line).
#[derive(Default)]
pub(super) struct Frame {
    pub(super) placed: Vec<Placed>,
    pub(super) justify: bool,
}

/// How many pages a flow takes, and which of them (first and last, from
/// 0) hold its workbook lines: for choosing where a section starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub pages: usize,
    pub ruled: Option<(usize, usize)>,
}

/// The extent of `pieces` on pages. For a flow with workbook lines (a
/// question, the only flow asked before its first page is known) these are
/// exactly the pages `paginate` makes; other flows may come out otherwise,
/// as `spread::place_flush` moves breaks by the parity of their pages.
pub fn extent(pieces: &[Piece], geometry: &Geometry) -> Extent {
    let frames = place(pieces, geometry);
    let ruled: Vec<usize> = frames
        .iter()
        .enumerate()
        .filter(|(_, f)| f.placed.iter().any(|p| matches!(p, Placed::Fill { .. })))
        .map(|(k, _)| k)
        .collect();
    Extent {
        pages: frames.len(),
        ruled: ruled.first().zip(ruled.last()).map(|(a, b)| (*a, *b)),
    }
}

/// The last non-space piece of `pieces`.
fn last_content(pieces: &[Piece]) -> Option<&Piece> {
    pieces
        .iter()
        .rev()
        .find(|p| !matches!(p.kind, PieceKind::Space))
}

/// Places pieces top to bottom on pages, breaking where allowed.
pub(super) fn place(pieces: &[Piece], geometry: &Geometry) -> Vec<Frame> {
    place_within(pieces, geometry, &[])
}

/// As `place`, with page `k` filled only to `limits[k]` points, where
/// given (a lower limit moves the page's break earlier: for evening out a
/// spread). Workbook lines always fill to the foot.
///
/// In a flow without workbook lines a piece also fits where it overhangs
/// the page by no more than its spaces can shrink (TeX's page builder
/// counts shrink too): the page is then set tighter to end on the foot
/// line, rather than leaving a heading and the block kept with it a line
/// too long for the page and the page several lines short. A flow with
/// workbook lines keeps its breaks, as `body::turns_over` measures it.
pub(super) fn place_within(pieces: &[Piece], geometry: &Geometry, limits: &[f32]) -> Vec<Frame> {
    let full = geometry.height - geometry.top - geometry.bottom;
    let height = full;
    let shrink_to_fit = !pieces
        .iter()
        .any(|p| matches!(p.kind, PieceKind::Fill { .. }));
    let mut frames: Vec<Frame> = vec![Frame::default()];
    let mut first_on_page = 0usize;
    let mut y = 0.0f32;
    // The spaces placed on the page so far, in points.
    let mut spaces = 0.0f32;
    let mut i = 0;
    while i < pieces.len() {
        let piece = &pieces[i];
        let limit = limits.get(frames.len() - 1).copied().unwrap_or(full);
        let shrinkable = if shrink_to_fit {
            spaces * super::spread::SPACE_SHRINK
        } else {
            0.0
        };
        let frame = frames.last_mut().expect("a page");
        let at_top = frame.placed.is_empty();
        if at_top {
            first_on_page = i;
            match &piece.kind {
                PieceKind::Space => {
                    i += 1;
                    continue;
                }
                PieceKind::Row { header } => {
                    frame.placed.push(Placed::Header(header.clone(), 0.0));
                    y = header.height;
                }
                // A code block going on from the page before says so.
                PieceKind::Code { block } if i > 0 && continues(pieces, i) => {
                    frame.placed.push(Placed::Cue(block.clone(), 0.0));
                    y = block.cue.height;
                }
                _ => {}
            }
        }
        if let PieceKind::Fill {
            label,
            gap,
            min_lines,
            reserve,
            ..
        } = &piece.kind
        {
            let room = |reserve: f32| {
                ((height - y - reserve - label.height) / gap)
                    .floor()
                    .max(0.0) as usize
            };
            let here = room(*reserve);
            if here >= *min_lines || at_top {
                let lines = here.max(1);
                frame.placed.push(Placed::Fill {
                    label: i,
                    gap: *gap,
                    lines,
                    y,
                    continued: false,
                });
                y += label.height + lines as f32 * gap;
                i += 1;
                continue;
            }
            // The lines fill the page's foot, right under the question, and
            // go on over the next page: on a verso that is the facing recto
            // (a spread is one writing surface); a recto is turned over only
            // by a question longer than a spread (the book pads the others
            // onto a spread, see `body::turns_over`).
            let foot = room(0.0);
            if foot >= WORKBOOK_MIN_LINES_BEFORE_TURN {
                frame.placed.push(Placed::Fill {
                    label: i,
                    gap: *gap,
                    lines: foot,
                    y,
                    continued: false,
                });
                let lines = (((height - reserve) / gap).floor() as usize).max(1);
                frames.push(Frame {
                    placed: vec![Placed::Fill {
                        label: i,
                        gap: *gap,
                        lines,
                        y: 0.0,
                        continued: true,
                    }],
                    justify: false,
                });
                y = lines as f32 * gap;
                i += 1;
                continue;
            }
            // A fresh page of lines: the page left ends the question's text.
            frames.push(Frame::default());
            y = 0.0;
            continue;
        }
        if y + piece.height <= limit + shrinkable + FIT_SLACK || at_top {
            frame.placed.push(Placed::Piece(i, y));
            y += piece.height;
            if matches!(piece.kind, PieceKind::Space) {
                spaces += piece.height;
            }
            i += 1;
            continue;
        }
        // Does not fit: end the page at the last allowed break.
        let allowed = |j: usize| {
            j > first_on_page
                && pieces[j].break_before
                && !ends_with_heading(&pieces[first_on_page..j])
        };
        let mut j = i;
        while j > first_on_page && !allowed(j) {
            j -= 1;
        }
        // Not on a hyphenated line, if an earlier break is near enough.
        if j > first_on_page
            && last_content(&pieces[first_on_page..j]).is_some_and(Piece::ends_with_hyphen)
        {
            let limit = HYPHEN_LOOKBACK_LINES * geometry.leading + FIT_SLACK;
            let mut k = j - 1;
            let mut given_up = 0.0;
            while k > first_on_page {
                given_up += pieces[k].height;
                if given_up > limit {
                    break;
                }
                if allowed(k)
                    && !last_content(&pieces[first_on_page..k]).is_some_and(Piece::ends_with_hyphen)
                {
                    j = k;
                    break;
                }
                k -= 1;
            }
        }
        if j > first_on_page {
            frame.placed.retain(|p| match p {
                Placed::Piece(k, _) | Placed::Fill { label: k, .. } => *k < j,
                Placed::Header(..) | Placed::Cue(..) => true,
            });
            i = j;
        }
        frame.justify = true;
        frames.push(Frame::default());
        y = 0.0;
        spaces = 0.0;
    }
    if frames.last().is_some_and(|f| f.placed.is_empty()) && frames.len() > 1 {
        frames.pop();
    }
    if let Some(last) = frames.last_mut() {
        last.justify = false;
    }
    frames
}

/// Is piece `i`, a code piece, a line after its block's first piece (so a
/// page starting with it starts in the middle of the block)?
fn continues(pieces: &[Piece], i: usize) -> bool {
    match (&pieces[i].kind, &pieces[i - 1].kind) {
        (PieceKind::Code { block }, PieceKind::Code { block: before }) => {
            Arc::ptr_eq(block, before)
        }
        _ => false,
    }
}

/// Would a page holding `pieces` end with a heading? Spaces do not count:
/// a heading followed only by its space after is still last on the page.
fn ends_with_heading(pieces: &[Piece]) -> bool {
    pieces
        .iter()
        .rev()
        .find(|p| !matches!(p.kind, PieceKind::Space))
        .is_some_and(|p| p.heading)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::PaperSize;
    use crate::print::layout::blocks::break_allowed_before_line;
    use crate::print::page::PageRole;

    /// A page whose text block is exactly `height` points tall.
    pub(super) fn geometry(height: f32) -> Geometry {
        let g = Geometry::for_paper(PaperSize::A4);
        Geometry {
            height: height + g.top + g.bottom,
            ..g
        }
    }

    /// A `filler`-point block, then a paragraph of `lines` ten-point lines;
    /// returns how many of the paragraph's lines land on each page.
    fn paragraph_lines_per_page(filler: f32, lines: usize) -> Vec<usize> {
        let mut pieces = vec![Piece::content(filler)];
        for k in 0..lines {
            let mut line = Piece::content(10.0);
            line.break_before = break_allowed_before_line(k, lines);
            line.destinations.push((format!("line-{k}"), 0.0));
            pieces.push(line);
        }
        let pages = paginate(
            &pieces,
            &geometry(100.0),
            0,
            PageRole::Plain,
            PageRole::Plain,
        );
        pages
            .iter()
            .map(|p| {
                p.destinations
                    .iter()
                    .filter(|(name, _)| name.starts_with("line-"))
                    .count()
            })
            .collect()
    }

    #[test]
    fn a_heading_and_its_space_never_end_a_page() {
        let mut pieces = vec![Piece::content(80.0)];
        let mut heading = Piece::content(12.0);
        heading.heading = true;
        heading.destinations.push(("heading".into(), 0.0));
        pieces.push(heading);
        pieces.push(Piece::space(4.0));
        for _ in 0..4 {
            pieces.push(Piece::content(10.0));
        }
        let pages = paginate(
            &pieces,
            &geometry(100.0),
            0,
            PageRole::Plain,
            PageRole::Plain,
        );
        let page_of_heading = pages
            .iter()
            .position(|p| p.destinations.iter().any(|(n, _)| n == "heading"))
            .unwrap();
        assert_eq!(
            page_of_heading, 1,
            "the heading moves to the page of its text"
        );
    }

    #[test]
    fn a_paragraph_never_leaves_one_line_alone_at_a_page_break() {
        // Room for one line: the whole paragraph moves on (no orphan).
        assert_eq!(paragraph_lines_per_page(85.0, 5), vec![0, 5]);
        // Room for two: two stay, three go.
        assert_eq!(paragraph_lines_per_page(75.0, 5), vec![2, 3]);
        // Room for four of five: three stay so two go (no widow).
        assert_eq!(paragraph_lines_per_page(55.0, 5), vec![3, 2]);
        // A three-line paragraph cannot split at all.
        assert_eq!(paragraph_lines_per_page(75.0, 3), vec![0, 3]);
    }
}

#[cfg(test)]
mod flow_tests {
    use super::tests::geometry;
    use super::*;
    use crate::print::layout::flow::CodeBox;
    use crate::print::page::{Item, Page, PageRole};

    /// A `filler`-point block, then a code block of `lines` ten-point lines
    /// (as `blocks` marks them); returns the code lines on each page and
    /// whether each page after the first starts with the cue.
    fn code_lines_per_page(filler: f32, lines: usize) -> (Vec<usize>, Vec<bool>, Vec<usize>) {
        let mut cue = Piece::content(10.0);
        cue.destinations.push(("cue".into(), 0.0));
        let block = Arc::new(CodeBox {
            x: 0.0,
            width: 100.0,
            gray: 0.85,
            cue,
        });
        let mut pieces = vec![Piece::content(filler)];
        for k in 0..lines {
            let mut line = Piece::content(10.0);
            line.kind = PieceKind::Code {
                block: block.clone(),
            };
            line.break_before = k == 0
                || k >= crate::print::layout::blocks::MIN_CODE_LINES_AT_BREAK
                    && lines - k >= crate::print::layout::blocks::MIN_CODE_LINES_AT_BREAK;
            line.destinations.push((format!("line-{k}"), 0.0));
            pieces.push(line);
        }
        let pages = paginate(
            &pieces,
            &geometry(100.0),
            0,
            PageRole::Plain,
            PageRole::Plain,
        );
        let count = |p: &Page, prefix: &str| {
            p.destinations
                .iter()
                .filter(|(n, _)| n.starts_with(prefix))
                .count()
        };
        let fills = pages
            .iter()
            .map(|p| {
                p.items
                    .iter()
                    .filter(|i| matches!(i, Item::Fill { .. }))
                    .count()
            })
            .collect();
        (
            pages.iter().map(|p| count(p, "line-")).collect(),
            pages.iter().skip(1).map(|p| count(p, "cue") == 1).collect(),
            fills,
        )
    }

    #[test]
    fn code_keeps_three_lines_each_side_and_says_it_goes_on() {
        // Room for two lines: the block moves on whole.
        assert_eq!(code_lines_per_page(75.0, 8).0, vec![0, 8]);
        // Room for four: four stay, the rest go on under the cue.
        let (lines, cues, fills) = code_lines_per_page(55.0, 8);
        assert_eq!(lines, vec![4, 4]);
        assert_eq!(cues, vec![true]);
        // One shading rectangle per page, not one per line.
        assert_eq!(fills, vec![1, 1]);
        // Room for six of eight: five stay so three go.
        assert_eq!(code_lines_per_page(35.0, 8).0, vec![5, 3]);
    }
}
