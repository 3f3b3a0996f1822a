//! Page geometry and type sizes for each paper size, with the reason for each
//! number. Everything is in PostScript points (1/72 inch).

use crate::print::PaperSize;
use crate::print::page::Rect;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    /// Margin on the binding side; larger on 6×9 so text clears the gutter.
    pub inner: f32,
    pub outer: f32,
    pub top: f32,
    pub bottom: f32,
    /// Body text size and leading.
    pub body: f32,
    pub leading: f32,
    /// Code block size and leading: a 64-character line must fit the measure.
    pub code: f32,
    pub code_leading: f32,
    /// Running head and folio size.
    pub furniture: f32,
}

const INCH: f32 = 72.0;
const MM: f32 = 72.0 / 25.4;

/// Workbook ruling pitch, 8.6 mm: adult handwriting wants 8–9 mm between
/// lines (wide-ruled exercise paper is 8.7 mm); the 6.35 mm of college
/// ruling suits small practised hands at a desk, not a book held open.
pub const WORKBOOK_PITCH: f32 = 8.6 * MM;
/// The fewest ruled lines a question gets: twelve lines (over half a 6×9
/// page) hold the notes even a short question asks for — first moves, the
/// order of work, what to tell whom.
pub const WORKBOOK_MIN_LINES: usize = 12;
/// Ruled lines per minute of the scenario's think time beyond that: a line
/// of notes per 100 seconds of thinking, so 25 minutes get 15 lines and the
/// book's longest think time (30 minutes) 18, most of a 6×9 page, while a
/// question of a page and a bit still fits on one spread with its lines.
pub const WORKBOOK_LINES_PER_MINUTE: f32 = 0.6;
/// Think time assumed for a scenario that states none (the scaffold's).
pub const WORKBOOK_DEFAULT_MINUTES: u32 = 15;
/// Where a question's lines do not all fit under it, they start at the
/// foot of its page and go on over the next; fewer than this many at the
/// foot are not worth ruling, and the lines start on the next page.
pub const WORKBOOK_MIN_LINES_BEFORE_TURN: usize = 3;
/// Ruling: solid black (a toner press halftones a gray line into dots) and
/// thin, so the lines guide the hand without shouting over the writing.
pub const WORKBOOK_RULE_PT: f32 = 0.4;

/// 6×9 top margin (trim to text block), 0.7 in: it holds the running head
/// and its rule, with the head's cap line 0.3 in from the trim (KDP keeps
/// 0.25 in clear) and a leading's white between the rule and the text.
/// Together with the bottom margin and the leading below it was chosen to
/// bring the real book's print interior under the 828 pages KDP binds
/// (`KDP_MAX_PAGES`): at 0.8 in / 0.75 in / 13.3 pt it had 848 pages.
pub const SIX_BY_NINE_TOP: f32 = 0.7 * INCH;
/// 6×9 bottom margin, 0.625 in: more white than over the running head,
/// so the text block sits a little above the page's middle as the
/// classical proportions have it, and room under the text for the folio
/// (its baseline 0.28 in from the trim, well inside KDP's 0.25 in).
pub const SIX_BY_NINE_BOTTOM: f32 = 0.625 * INCH;
/// 6×9 leading, 13 pt on 9.5 pt type (1.37): inside the 1.35–1.4 that
/// suits a serif at a 65-character measure, and 42 lines to the page
/// instead of 40. Lower would crowd Noto Serif's tall lowercase.
pub const SIX_BY_NINE_LEADING: f32 = 13.0;

/// The ruled lines a question with `think_minutes` gets at least.
pub fn workbook_lines(think_minutes: Option<u32>) -> usize {
    let minutes = think_minutes.unwrap_or(WORKBOOK_DEFAULT_MINUTES) as f32;
    ((minutes * WORKBOOK_LINES_PER_MINUTE).ceil() as usize).max(WORKBOOK_MIN_LINES)
}

impl Geometry {
    pub fn for_paper(paper: PaperSize) -> Geometry {
        match paper {
            // Trade paperback: 0.8" inner margin for the binding, 0.6" outer; a
            // 4.6" measure holds ~65 characters of 9.5 pt Noto Serif (whose large
            // x-height reads like 10.5 pt of a classic face). Top and bottom
            // margins and leading: see `SIX_BY_NINE_TOP` and after. Code at
            // 7.9 pt: 64 JetBrains Mono characters (0.6 em each) are 303 pt,
            // inside the 331 pt measure with the block's padding.
            PaperSize::TradeSixByNine => Geometry {
                width: 6.0 * INCH,
                height: 9.0 * INCH,
                inner: 0.8 * INCH,
                outer: 0.6 * INCH,
                top: SIX_BY_NINE_TOP,
                bottom: SIX_BY_NINE_BOTTOM,
                body: 9.5,
                leading: SIX_BY_NINE_LEADING,
                code: 7.9,
                code_leading: 10.4,
                furniture: 7.8,
            },
            // A4: 11 pt on 15.4 pt; 1.25" side margins keep the measure near
            // 70 characters instead of the 95 a full-width A4 line would hold.
            PaperSize::A4 => Geometry {
                width: 595.28,
                height: 841.89,
                inner: 1.3 * INCH,
                outer: 1.3 * INCH,
                top: 1.1 * INCH,
                bottom: 1.1 * INCH,
                body: 11.0,
                leading: 15.4,
                code: 9.0,
                code_leading: 12.0,
                furniture: 8.5,
            },
            // US Letter: wider and shorter than A4, so wider side margins for
            // the same ~70-character measure.
            PaperSize::Letter => Geometry {
                width: 8.5 * INCH,
                height: 11.0 * INCH,
                inner: 1.45 * INCH,
                outer: 1.45 * INCH,
                top: 1.0 * INCH,
                bottom: 1.0 * INCH,
                body: 11.0,
                leading: 15.4,
                code: 9.0,
                code_leading: 12.0,
                furniture: 8.5,
            },
        }
    }

    pub fn measure(&self) -> f32 {
        self.width - self.inner - self.outer
    }

    /// The text block of the page at `index` (index 0 is a right-hand page:
    /// its binding is on the left).
    pub fn text_block(&self, index: usize) -> Rect {
        let left = if index.is_multiple_of(2) {
            self.inner
        } else {
            self.outer
        };
        Rect {
            x: left,
            y: self.top,
            width: self.measure(),
            height: self.height - self.top - self.bottom,
        }
    }
}

/// The most pages Amazon KDP binds in a paperback (black-and-white
/// interior on white paper; the same help page as the gutter steps below).
/// A longer interior still builds, with a warning: another service or a
/// larger paper size can take it.
pub const KDP_MAX_PAGES: usize = 828;

/// The inside (binding) margin a print interior of `pages` pages needs, in
/// points: the print-on-demand minimum for its page count plus room for a
/// hand writing near the spine. A perfect-bound book opens less flat the
/// thicker it is, so the minimum grows with the page count. The steps are
/// Amazon KDP's published table (help page "Set trim size, bleed, and
/// margins", as quoted in full by publishing.co.uk's KDP margin guide and
/// others, checked 2026-12): 24–150 pages 0.375 in, 151–300 0.5 in,
/// 301–500 0.625 in, 501–700 0.75 in, 701–828 0.875 in (828 is KDP's
/// largest paperback; a longer book keeps the last step). The extra
/// 0.125 in is ours: the book is a workbook, and a pen needs to reach a
/// ruled line's inner end without the reader breaking the spine (the same
/// allowance publishing.co.uk recommends on top of KDP's minimum for 6 × 9).
pub fn gutter_for_page_count(pages: usize) -> f32 {
    /// (last page count of the step, KDP's minimum inside margin in inches).
    const KDP_GUTTER_STEPS: [(usize, f32); 4] =
        [(150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75)];
    const KDP_LARGEST_STEP: f32 = 0.875;
    /// Our allowance for writing near the spine, on top of KDP's minimum.
    const WRITING_ALLOWANCE: f32 = 0.125;
    let minimum = KDP_GUTTER_STEPS
        .iter()
        .find(|(last, _)| pages <= *last)
        .map_or(KDP_LARGEST_STEP, |(_, inches)| *inches);
    (minimum + WRITING_ALLOWANCE) * INCH
}

#[cfg(test)]
mod gutter_tests {
    use super::*;

    #[test]
    fn the_gutter_follows_kdp_steps_plus_the_writing_allowance() {
        let inches = |pages| gutter_for_page_count(pages) / INCH;
        assert_eq!(inches(24), 0.5);
        assert_eq!(inches(150), 0.5);
        assert_eq!(inches(151), 0.625);
        assert_eq!(inches(300), 0.625);
        assert_eq!(inches(301), 0.75);
        assert_eq!(inches(501), 0.875);
        assert_eq!(inches(700), 0.875);
        assert_eq!(inches(701), 1.0);
        assert_eq!(inches(828), 1.0);
        assert_eq!(inches(2000), 1.0);
    }
}
