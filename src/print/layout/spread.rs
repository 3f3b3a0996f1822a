//! Flush page bottoms: every page that breaks inside a section is stretched
//! (TeX's vertical justification) so its last baseline lands where a full
//! page of body text has it, and the two pages of a spread end on the same
//! line. Where a spread's pages cannot both reach the foot line (a heading
//! kept with a table or code block leaves the recto short, a keep chain
//! leaves the verso short), the spread's breaks are moved: the verso gives
//! lines to the recto, or the recto stops earlier, until both pages can be
//! stretched to one line.

use super::flow::{Piece, PieceKind};
use super::geometry::Geometry;
use super::paginate::{FIT_SLACK, Frame, Placed, place_within};
use crate::print::page::{Item, Page};

/// A space between blocks or around a heading may grow by up to this
/// share of its own height (TeX's "plus" on paragraph glue): a paragraph
/// gap stays well under a blank line.
const SPACE_STRETCH: f32 = 1.0;
/// A space may shrink by this share of its height when the last line sits
/// below the line the page should end on (a code or table line ends lower
/// than a body line, or the facing page ends higher).
pub(super) const SPACE_SHRINK: f32 = 0.3;
/// What the spaces cannot take is shared between the page's lines, each
/// moving down by at most this many points: 3% of the 6×9 leading, not
/// seen from line to line, and up to a line and a half over a full page.
const LINE_STRETCH_PT: f32 = 0.4;
/// Facing pages end "on the same line" when their last baselines are
/// this close, in lines: a code or table line is not a body line, so two
/// full pages may differ by a fraction of one.
const EVEN_TOLERANCE_LINES: f32 = 0.25;
/// How far a spread's break may move to even it out, in half lines: up
/// to eight lines off the verso (its lines go to the recto) or off the
/// recto (they go overleaf). Past that, the page left would be a hole.
const MAX_SHIFT_HALF_LINES: usize = 16;
/// A spread evened out may end this many lines above the foot line at
/// most (a short spread, as a compositor sets one): further up, both
/// pages would show the hole one of them had, and the spread is left as
/// it was placed.
const MAX_SHORT_SPREAD_LINES: f32 = 3.0;

/// The baseline of the last line of a full page of body text, from the
/// text block's top: where a stretched page's last line goes.
pub(super) fn foot_line(geometry: &Geometry) -> f32 {
    let height = geometry.height - geometry.top - geometry.bottom;
    let lines = (height / geometry.leading + FIT_SLACK).floor().max(1.0);
    // As inline layout sets a baseline inside its line.
    let baseline = geometry.body * 0.78 + (geometry.leading - geometry.body) / 2.0;
    (lines - 1.0) * geometry.leading + baseline
}

fn placed_piece<'a>(p: &'a Placed, pieces: &'a [Piece]) -> Option<&'a Piece> {
    match p {
        Placed::Piece(n, _) => Some(&pieces[*n]),
        Placed::Header(h, _) => Some(h),
        Placed::Cue(b, _) => Some(&b.cue),
        Placed::Fill { .. } => None,
    }
}

fn is_space(p: &Placed, pieces: &[Piece]) -> bool {
    matches!(p, Placed::Piece(n, _) if matches!(pieces[*n].kind, PieceKind::Space))
}

/// The last baseline of text among `placed`, from the text block's top.
fn last_baseline(placed: &[Placed], pieces: &[Piece]) -> Option<f32> {
    placed
        .iter()
        .filter_map(|p| {
            let deepest = placed_piece(p, pieces)?
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text(run) => Some(run.baseline),
                    _ => None,
                })
                .max_by(f32::total_cmp)?;
            Some(p.y() + deepest)
        })
        .max_by(f32::total_cmp)
}

/// Where a page's last baseline is, and how far it may move: down by
/// `stretch` (spaces, then line gaps, never past the text block's foot),
/// up by `shrink` (spaces only).
#[derive(Debug, Clone, Copy)]
struct Reach {
    last: f32,
    stretch: f32,
    shrink: f32,
    /// The spaces above the page's last piece, in points, and the gaps
    /// between its pieces.
    spaces: f32,
    gaps: usize,
    end: usize,
}

impl Reach {
    /// The lowest and highest last baseline the page can be set to, the
    /// lowest no deeper than `foot` unless the page already ends below it.
    fn range(&self, foot: f32) -> (f32, f32) {
        let low = (self.last + self.stretch).min(foot.max(self.last));
        (self.last - self.shrink, low)
    }
}

fn reach(frame: &Frame, pieces: &[Piece], height: f32) -> Option<Reach> {
    let last = last_baseline(&frame.placed, pieces)?;
    // Never past the text block's foot (a page may end in a piece with no
    // text at its bottom: an image, a blank code line, padding).
    let bottom = frame
        .placed
        .iter()
        .filter(|p| !is_space(p, pieces))
        .map(|p| p.y() + placed_piece(p, pieces).map_or(0.0, |piece| piece.height))
        .fold(0.0f32, f32::max);
    // A page filled past its foot by what its spaces can shrink
    // (`place_within`) must shrink at least that much.
    let room = height - bottom;
    // Only spaces above the last piece move it.
    let end = frame
        .placed
        .iter()
        .rposition(|p| !is_space(p, pieces))
        .unwrap_or(0);
    let spaces: f32 = frame.placed[..end]
        .iter()
        .filter(|p| is_space(p, pieces))
        .filter_map(|p| placed_piece(p, pieces).map(|piece| piece.height))
        .sum();
    let gaps = end.max(1);
    Some(Reach {
        last,
        stretch: (spaces * SPACE_STRETCH + gaps as f32 * LINE_STRETCH_PT).min(room),
        shrink: spaces * SPACE_SHRINK,
        spaces,
        gaps,
        end,
    })
}

/// Stretches (or slightly shrinks) the spaces, then the line gaps, of a
/// page so its last baseline lands on `target`, as near as it can.
fn justify_to(frame: &mut Frame, pieces: &[Piece], target: f32, height: f32) {
    let Some(r) = reach(frame, pieces, height) else {
        return;
    };
    let delta = (target - r.last).min(r.stretch).max(-r.shrink);
    let (per_space, per_line) = if delta >= 0.0 {
        let by_spaces = delta.min(r.spaces * SPACE_STRETCH);
        let rest = ((delta - by_spaces) / r.gaps as f32).min(LINE_STRETCH_PT);
        (
            if r.spaces > 0.0 {
                by_spaces / r.spaces
            } else {
                0.0
            },
            rest,
        )
    } else {
        (
            if r.spaces > 0.0 {
                delta / r.spaces
            } else {
                0.0
            },
            0.0,
        )
    };
    let mut shift = 0.0;
    for (k, p) in frame.placed.iter_mut().enumerate().take(r.end + 1) {
        if k > 0 {
            shift += per_line;
        }
        let y = p.y();
        p.set_y(y + shift);
        if let Placed::Piece(n, _) = p
            && matches!(pieces[*n].kind, PieceKind::Space)
        {
            shift += pieces[*n].height * per_space;
        }
    }
}

/// The line a spread's two pages can both end on (the lowest both reach,
/// no deeper than the foot line), if there is one.
fn common_line(a: &Reach, b: &Reach, foot: f32, tolerance: f32) -> Option<f32> {
    let (a_high, a_low) = a.range(foot);
    let (b_high, b_low) = b.range(foot);
    let low = a_low.min(b_low);
    let high = a_high.max(b_high);
    (high <= low + tolerance).then_some(low.max(high))
}

/// How good a spread is: whether its pages end on one line, and how high
/// that line is above the foot line (or how far apart they are).
fn spread_cost(frames: &[Frame], k: usize, pieces: &[Piece], geometry: &Geometry) -> Option<f32> {
    let height = geometry.height - geometry.top - geometry.bottom + FIT_SLACK;
    let foot = foot_line(geometry);
    let tolerance = EVEN_TOLERANCE_LINES * geometry.leading;
    let (v, r) = (frames.get(k)?, frames.get(k + 1)?);
    let (a, b) = (reach(v, pieces, height)?, reach(r, pieces, height)?);
    common_line(&a, &b, foot, tolerance).map(|line| foot - line)
}

/// A way of breaking a spread, best first: whether it adds a page to the
/// flow, how far (in half points) its common line is above the foot
/// line, and how far (in half lines) its breaks moved.
type Score = (bool, i32, usize);

/// Does frame `k` break inside the flow, without workbook lines?
fn balanceable(frames: &[Frame], k: usize) -> bool {
    frames
        .get(k)
        .is_some_and(|f| f.justify && !f.placed.iter().any(|p| matches!(p, Placed::Fill { .. })))
}

/// Places `pieces` on pages from page index `first_index`, moving the
/// breaks of a spread whose pages cannot end on one line, then stretches
/// every page that breaks inside the flow: a spread's pages to their
/// common line, a lone page (facing another section's) to the foot line.
pub(super) fn place_flush(pieces: &[Piece], geometry: &Geometry, first_index: usize) -> Vec<Frame> {
    let full = geometry.height - geometry.top - geometry.bottom;
    let half = geometry.leading / 2.0;
    let mut limits: Vec<f32> = Vec::new();
    let mut frames = place_within(pieces, geometry, &limits);
    // A flow with workbook lines keeps its breaks: where its ruling falls
    // is chosen before the page it starts on is known (`body::turns_over`).
    let balance = !pieces
        .iter()
        .any(|p| matches!(p.kind, PieceKind::Fill { .. }));
    // The first verso of the flow.
    let mut k = usize::from(Page::is_right_hand(first_index));
    while balance && k + 1 < frames.len() {
        let flush = geometry.leading * EVEN_TOLERANCE_LINES;
        let now = spread_cost(&frames, k, pieces, geometry)
            .filter(|&short| short <= MAX_SHORT_SPREAD_LINES * geometry.leading);
        if balanceable(&frames, k)
            && balanceable(&frames, k + 1)
            && now.is_none_or(|short| short > flush)
        {
            let pages = frames.len();
            // One page's break moved first (most spreads need no more),
            // then both.
            let single = (1..=MAX_SHIFT_HALF_LINES)
                .map(|v| (v, 0))
                .chain((1..=MAX_SHIFT_HALF_LINES).map(|r| (0, r)));
            let both = (1..=MAX_SHIFT_HALF_LINES)
                .flat_map(|v| (1..=MAX_SHIFT_HALF_LINES).map(move |r| (v, r)));
            // As placed, if its pages share a line (a better way must
            // share a lower one).
            let mut best: Option<(Score, Vec<f32>, Vec<Frame>)> = None;
            let placed_score: Option<Score> =
                now.map(|short| (false, (short * 2.0).round() as i32, 0));
            for shifts in [single.collect::<Vec<_>>(), both.collect()] {
                for &(off_verso, off_recto) in &shifts {
                    let mut tried = limits.clone();
                    tried.resize(k + 2, full);
                    tried[k] = full - off_verso as f32 * half;
                    tried[k + 1] = full - off_recto as f32 * half;
                    let placed = place_within(pieces, geometry, &tried);
                    if !(balanceable(&placed, k) && balanceable(&placed, k + 1)) {
                        continue;
                    }
                    let Some(short) = spread_cost(&placed, k, pieces, geometry)
                        .filter(|&short| short <= MAX_SHORT_SPREAD_LINES * geometry.leading)
                    else {
                        continue;
                    };
                    // Fewest pages, then the spread nearest the foot line,
                    // then the least moved.
                    let score = (
                        placed.len() > pages,
                        (short * 2.0).round() as i32,
                        off_verso + off_recto,
                    );
                    if best.as_ref().is_none_or(|(s, ..)| score < *s)
                        && placed_score.is_none_or(|s| score < s)
                    {
                        best = Some((score, tried, placed));
                    }
                }
                if best.is_some() {
                    break;
                }
            }
            if let Some((_, tried, placed)) = best {
                limits = tried;
                frames = placed;
            }
        }
        k += 2;
    }
    justify_pages(&mut frames, pieces, geometry, first_index);
    frames
}

/// Stretches the pages that break inside the flow: the two pages of a
/// spread to the line both reach, a page whose facing page is another
/// flow's to the foot line.
fn justify_pages(frames: &mut [Frame], pieces: &[Piece], geometry: &Geometry, first_index: usize) {
    let height = geometry.height - geometry.top - geometry.bottom + FIT_SLACK;
    let foot = foot_line(geometry);
    let tolerance = EVEN_TOLERANCE_LINES * geometry.leading;
    let mut targets = vec![foot; frames.len()];
    for k in 0..frames.len() {
        if Page::is_right_hand(first_index + k)
            || !balanceable(frames, k)
            || !balanceable(frames, k + 1)
        {
            continue;
        }
        let (Some(a), Some(b)) = (
            reach(&frames[k], pieces, height),
            reach(&frames[k + 1], pieces, height),
        ) else {
            continue;
        };
        if let Some(line) = common_line(&a, &b, foot, tolerance)
            .filter(|line| foot - line <= MAX_SHORT_SPREAD_LINES * geometry.leading)
        {
            targets[k] = line;
            targets[k + 1] = line;
        }
    }
    for (frame, target) in frames.iter_mut().zip(targets) {
        if frame.justify {
            justify_to(frame, pieces, target, height);
        } else if let Some(r) = reach(frame, pieces, height)
            && r.stretch < 0.0
        {
            // A section's last page filled by shrinking its spaces.
            justify_to(frame, pieces, r.last + r.stretch, height);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::PaperSize;
    use crate::print::fonts::FaceId;
    use crate::print::page::{GlyphRun, PageRole, Tag};

    /// A 6×9 page whose text block holds exactly ten lines.
    fn ten_line_geometry() -> Geometry {
        let g = Geometry::for_paper(PaperSize::TradeSixByNine);
        Geometry {
            height: 10.0 * g.leading + g.top + g.bottom,
            ..g
        }
    }

    /// A body line with one run of text on its baseline.
    fn line(g: &Geometry, name: String, break_before: bool) -> Piece {
        let mut piece = Piece::content(g.leading);
        piece.break_before = break_before;
        piece.items.push(Item::Text(GlyphRun {
            face: FaceId::Serif,
            size: g.body,
            x: 0.0,
            baseline: g.body * 0.78 + (g.leading - g.body) / 2.0,
            width: 10.0,
            gray: 0.0,
            glyphs: Vec::new().into(),
            tag: Tag::ARTIFACT,
            link: 0,
        }));
        piece.destinations.push((name, 0.0));
        piece
    }

    fn last_baseline_of(page: &crate::print::page::Page) -> f32 {
        page.text_runs()
            .map(|r| r.baseline)
            .fold(f32::MIN, f32::max)
    }

    #[test]
    fn a_verso_gives_lines_to_a_recto_left_short_by_a_heading_kept_with_its_block() {
        let g = ten_line_geometry();
        // Fourteen lines of text, then a heading held with seven lines
        // (a table, say): on a ten-line page the recto would end after
        // four lines, six short of its verso.
        let mut pieces: Vec<Piece> = (0..14)
            .map(|k| line(&g, format!("text-{k}"), k == 0 || (2..=12).contains(&k)))
            .collect();
        for k in 0..8 {
            pieces.push(line(&g, format!("kept-{k}"), k == 0));
        }
        // The flow starts on a verso (odd index): its first two pages face.
        let pages =
            super::super::paginate::paginate(&pieces, &g, 1, PageRole::Plain, PageRole::Plain);
        assert_eq!(pages.len(), 3);
        let count = |p: &crate::print::page::Page, prefix: &str| {
            p.destinations
                .iter()
                .filter(|(n, _)| n.starts_with(prefix))
                .count()
        };
        assert_eq!(count(&pages[0], "text-"), 7, "the verso gives three lines");
        assert_eq!(count(&pages[1], "text-"), 7);
        assert_eq!(count(&pages[2], "kept-"), 8, "the kept block stays whole");
        let (v, r) = (last_baseline_of(&pages[0]), last_baseline_of(&pages[1]));
        assert!((v - r).abs() < 0.5, "facing pages end on {v} and {r}");
    }

    #[test]
    fn a_line_that_fits_when_the_spaces_shrink_stays_and_the_page_ends_inside_its_block() {
        let g = ten_line_geometry();
        // Eleven lines' worth on a ten-line page, four of them two spaces
        // (which may give up 0.3 of themselves: 1.2 lines).
        let mut pieces = Vec::new();
        for k in 0..9 {
            if k == 3 || k == 6 {
                pieces.push(Piece::space(2.0 * g.leading));
            }
            pieces.push(line(&g, format!("text-{k}"), true));
        }
        let pages =
            super::super::paginate::paginate(&pieces, &g, 0, PageRole::Plain, PageRole::Plain);
        let on_first = pages[0]
            .destinations
            .iter()
            .filter(|(n, _)| n.starts_with("text-"))
            .count();
        assert_eq!(on_first, 7, "the seventh line fits by shrinking the spaces");
        let block = pages[0].text_block;
        let deepest = last_baseline_of(&pages[0]);
        assert!(
            deepest <= block.y + foot_line(&g) + 0.01,
            "last baseline {deepest} below the foot line {}",
            block.y + foot_line(&g)
        );
    }

    #[test]
    fn a_spread_is_not_evened_out_by_leaving_a_hole_on_both_pages() {
        let g = ten_line_geometry();
        // Half-line pieces: eleven, then ten held together (too many for
        // the verso's room), then twenty. The recto could stop after the
        // held ones and one more, level with the verso, but both pages
        // would then end four lines short: the recto stays full.
        let half = |name: String, break_before: bool| {
            let mut piece = line(&g, name, break_before);
            piece.height = g.leading / 2.0;
            piece
        };
        let mut pieces: Vec<Piece> = (0..11).map(|k| half(format!("a-{k}"), true)).collect();
        pieces.extend((0..10).map(|k| half(format!("kept-{k}"), k == 0)));
        pieces.extend((0..20).map(|k| half(format!("b-{k}"), true)));
        let pages =
            super::super::paginate::paginate(&pieces, &g, 1, PageRole::Plain, PageRole::Plain);
        let count = |p: &crate::print::page::Page| p.destinations.len();
        assert_eq!(count(&pages[0]), 11);
        assert_eq!(count(&pages[1]), 20, "the recto is filled");
    }
}
