//! Line breaking: Knuth–Plass total-fit over boxes, glue and penalties, so a
//! paragraph's breaks are chosen together (even spacing, few hyphens), with a
//! first-fit breaker for ragged text. Items know only widths; what they hold
//! is the caller's business.

/// One item of a paragraph, as in Knuth and Plass (1981).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    Box {
        width: f32,
    },
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    Penalty {
        width: f32,
        cost: f32,
        flagged: bool,
    },
}

/// A chosen break: the line ends at item `index` (a glue or penalty) and its
/// glue is set with `ratio` (negative: shrunk, positive: stretched).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub index: usize,
    pub ratio: f32,
}

/// A penalty that forces a break (the paragraph's end).
pub const FORCED: f32 = -10_000.0;
/// A penalty that forbids a break.
pub const FORBIDDEN: f32 = 10_000.0;
/// Added to every line's badness: fewer lines are better (TeX `\linepenalty`).
const LINE_PENALTY: f64 = 10.0;
/// Two hyphenated lines in a row start a ladder down the margin (TeX's
/// `\doublehyphendemerits`, plain TeX's value): worth a visibly looser line.
const DOUBLE_HYPHEN_DEMERITS: f64 = 10_000.0;
/// A third hyphenated line in a row, on top of the double-hyphen cost: a
/// ladder of three is what a reader notices first, so it costs about as
/// much as a line set at twice its stretch.
const THIRD_HYPHEN_DEMERITS: f64 = 600_000.0;
/// A hyphen on the paragraph's next-to-last line leaves its last line
/// starting with a fragment ("offi-/cer?"), the worst-looking end a
/// paragraph can have (TeX's `\finalhyphendemerits`, raised from plain
/// TeX's 5000: at this measure there is nearly always another way).
const FINAL_HYPHEN_DEMERITS: f64 = 200_000.0;
/// A last line shorter than this share of the measure (about eight
/// characters at 6×9) reads as a stray word under the paragraph…
const MIN_LAST_LINE: f32 = 0.12;
/// …so it costs as much as a line stretched to about 1.3 times its
/// stretchability: a cost, not a rule, because some paragraphs have no
/// other good ending.
const SHORT_LAST_LINE_DEMERITS: f64 = 60_000.0;
/// A last line that is only the end of a word hyphenated on the line
/// before ("cer?") costs as much as a line stretched to three times its
/// stretchability, on top of the two costs above: worth a loose line, but
/// not an absurd one. The shorter the fragment, the more it costs (up to
/// twice this, for a fragment of no width): where every ending leaves a
/// fragment, the longest one wins ("dif-/ferently." over "differ-/ently.").
const FRAGMENT_DEMERITS: f64 = 7_000_000.0;
/// How loose a line may get, in the second look at a paragraph that ended
/// on a fragment: the most a justified line is ever set to (`inline`
/// caps the ratio there too).
const FRAGMENT_TOLERANCE: f32 = 3.0;
/// A tight line next to a loose one is visible (TeX's `\adjdemerits`,
/// plain TeX's value).
const FITNESS_DEMERITS: f64 = 10_000.0;
/// First pass: glue may stretch to twice its stretchability — TeX's `\tolerance`
/// of 800 in ratio terms; loose enough for a narrow 6×9 measure.
const TOLERANCE: f32 = 2.0;
/// Badness of an underfull line that has no glue (one word alone): higher
/// than a line stretched to twenty times its stretchability, so the breaker
/// only chooses it when nothing else fits.
const UNSTRETCHABLE_BADNESS: f32 = 1.0e6;

#[derive(Clone, Copy)]
struct Node {
    index: usize,
    line: usize,
    fitness: u8,
    /// Running totals from the paragraph's start, in f64: a paragraph of
    /// tens of thousands of items would drift by fractions of a point in f32.
    width: f64,
    stretch: f64,
    shrink: f64,
    /// In f64: one overfull or unstretchable line costs 10¹², and the
    /// thousands a hyphen adds must still count next to it.
    demerits: f64,
    ratio: f32,
    /// Hyphenated lines in a row ending at this break (0: the line does
    /// not end in a hyphen).
    hyphens_in_row: u8,
    /// A paragraph's end whose last line is a short fragment after a hyphen.
    ends_on_fragment: bool,
    previous: Option<usize>,
}

/// Total-fit breaks for `items`, which must end with a forced penalty.
/// Never fails: a second pass accepts any looseness, and a box wider than the
/// line becomes an overfull line of its own rather than a lost word.
pub fn break_lines(items: &[Item], line_width: f32) -> Vec<Break> {
    let setting = match knuth_plass(items, line_width, TOLERANCE) {
        // A paragraph ending on a fragment ("offi-/cer?") had no other
        // ending within the tolerance: look again with looser lines allowed,
        // and keep whichever costs less (the fragment's demerits say how
        // loose a line may get instead).
        Some(first) if first.ends_on_fragment => {
            match knuth_plass(items, line_width, FRAGMENT_TOLERANCE) {
                Some(looser) if looser.demerits < first.demerits => looser,
                _ => first,
            }
        }
        Some(first) => first,
        None => match knuth_plass(items, line_width, f32::INFINITY) {
            Some(any) => any,
            None => return first_fit(items, line_width),
        },
    };
    setting.breaks
}

/// The breaks the total-fit search chose, what they cost, and whether the
/// last line is only a fragment of a hyphenated word.
struct Setting {
    breaks: Vec<Break>,
    demerits: f64,
    ends_on_fragment: bool,
}

fn fitness_class(ratio: f32) -> u8 {
    if ratio < -0.5 {
        0
    } else if ratio <= 0.5 {
        1
    } else if ratio <= 1.0 {
        2
    } else {
        3
    }
}

fn knuth_plass(items: &[Item], line_width: f32, tolerance: f32) -> Option<Setting> {
    let mut nodes = vec![Node {
        index: 0,
        line: 0,
        fitness: 1,
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        demerits: 0.0,
        ratio: 0.0,
        hyphens_in_row: 0,
        ends_on_fragment: false,
        previous: None,
    }];
    let mut active: Vec<usize> = vec![0];
    let (mut width, mut stretch, mut shrink) = (0.0f64, 0.0f64, 0.0f64);

    for (i, item) in items.iter().enumerate() {
        let (is_break, penalty, flagged, break_width) = match *item {
            Item::Box { width: w } => {
                width += f64::from(w);
                continue;
            }
            Item::Glue { .. } => {
                let after_box = i > 0 && matches!(items[i - 1], Item::Box { .. });
                (after_box, 0.0, false, 0.0)
            }
            Item::Penalty {
                width: w,
                cost,
                flagged,
            } => (cost < FORBIDDEN, cost, flagged, w),
        };
        if is_break {
            let mut candidates: Vec<Node> = Vec::new();
            let mut still_active = Vec::with_capacity(active.len());
            for &a in &active {
                let node = nodes[a];
                let natural = (width - node.width) as f32 + break_width;
                let ratio = if natural < line_width {
                    let available = (stretch - node.stretch) as f32;
                    if available > 0.0 {
                        (line_width - natural) / available
                    } else {
                        f32::INFINITY
                    }
                } else if natural > line_width {
                    let available = (shrink - node.shrink) as f32;
                    if available > 0.0 {
                        (line_width - natural) / available
                    } else {
                        f32::NEG_INFINITY
                    }
                } else {
                    0.0
                };
                let forced = penalty <= FORCED;
                // A line that cannot shrink enough is overfull: this node can
                // never start a feasible line again.
                if ratio < -1.0 || forced {
                    if ratio < -1.0
                        && tolerance.is_infinite()
                        && active.len() == 1
                        && still_active.is_empty()
                        && candidates.is_empty()
                    {
                        // Nothing else can end here: accept the overfull line
                        // rather than lose text (only a box wider than the line).
                        candidates.push(make_node(
                            &nodes,
                            a,
                            Ending {
                                index: i,
                                ratio: -1.0,
                                badness: 1e9,
                                penalty,
                                flagged,
                                short: 0.0,
                            },
                        ));
                    }
                } else {
                    still_active.push(a);
                }
                if ratio >= -1.0 && ratio <= tolerance.max(if forced { f32::INFINITY } else { 0.0 })
                {
                    // A short line with no glue to stretch cannot be justified
                    // at all: worse than any stretched line, never free.
                    let (ratio, badness) = if ratio.is_infinite() {
                        (0.0, UNSTRETCHABLE_BADNESS)
                    } else {
                        (ratio, 100.0 * ratio.abs().powi(3))
                    };
                    candidates.push(make_node(
                        &nodes,
                        a,
                        Ending {
                            index: i,
                            ratio,
                            badness,
                            penalty,
                            flagged,
                            short: if forced {
                                (1.0 - natural / (MIN_LAST_LINE * line_width)).max(0.0)
                            } else {
                                0.0
                            },
                        },
                    ));
                }
            }
            active = still_active;
            // Keep the best candidate per fitness class and per length of
            // the hyphen run it ends (none, one, more): the next line's
            // costs depend on both.
            let mut best: [Option<Node>; 12] = [None; 12];
            for c in candidates {
                let run = usize::from(c.hyphens_in_row.min(2));
                let slot = &mut best[c.fitness as usize * 3 + run];
                if slot.is_none_or(|b| c.demerits < b.demerits) {
                    *slot = Some(c);
                }
            }
            for node in best.into_iter().flatten() {
                let (w, st, sh) = totals_after(items, i, width, stretch, shrink);
                nodes.push(Node {
                    width: w,
                    stretch: st,
                    shrink: sh,
                    ..node
                });
                active.push(nodes.len() - 1);
            }
            if active.is_empty() {
                return None;
            }
        }
        if let Item::Glue {
            width: w,
            stretch: st,
            shrink: sh,
        } = *item
        {
            width += f64::from(w);
            stretch += f64::from(st);
            shrink += f64::from(sh);
        }
    }
    let end = items.len().checked_sub(1)?;
    let best = active
        .iter()
        .copied()
        .filter(|&a| nodes[a].index == end)
        .min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))?;
    let (demerits, ends_on_fragment) = (nodes[best].demerits, nodes[best].ends_on_fragment);
    let mut breaks = Vec::new();
    let mut current = Some(best);
    while let Some(n) = current {
        if nodes[n].previous.is_some() {
            breaks.push(Break {
                index: nodes[n].index,
                ratio: nodes[n].ratio,
            });
        }
        current = nodes[n].previous;
    }
    breaks.reverse();
    Some(Setting {
        breaks,
        demerits,
        ends_on_fragment,
    })
}

/// How a candidate line ends: at item `index`, set with `ratio` at
/// `badness`, with the break's `penalty`; `flagged` when it ends in a
/// hyphen; `short` above 0 when it is a paragraph's last line shorter than
/// `MIN_LAST_LINE` of the measure, by that share of it (1: no width).
struct Ending {
    index: usize,
    ratio: f32,
    badness: f32,
    penalty: f32,
    flagged: bool,
    short: f32,
}

/// The node for a line from the break `from` ending as `end` says, with
/// TeX's demerits: (line penalty + badness)², plus the break's penalty²,
/// plus the costs of hyphen ladders, a fragment on the last line, a short
/// last line and a jump in looseness from the line before.
fn make_node(nodes: &[Node], from: usize, end: Ending) -> Node {
    let previous = nodes[from];
    let base = (LINE_PENALTY + f64::from(end.badness)).powi(2);
    let penalty = f64::from(end.penalty);
    let forced = end.penalty <= FORCED;
    let mut demerits = if forced {
        base
    } else if penalty >= 0.0 {
        base + penalty * penalty
    } else {
        base - penalty * penalty
    };
    let hyphens_in_row = if end.flagged {
        previous.hyphens_in_row.saturating_add(1)
    } else {
        0
    };
    if hyphens_in_row >= 2 {
        demerits += DOUBLE_HYPHEN_DEMERITS;
    }
    if hyphens_in_row >= 3 {
        demerits += THIRD_HYPHEN_DEMERITS;
    }
    if forced && previous.hyphens_in_row > 0 {
        demerits += FINAL_HYPHEN_DEMERITS;
    }
    let short = end.short > 0.0;
    let ends_on_fragment = forced && previous.hyphens_in_row > 0 && short;
    if ends_on_fragment {
        demerits += FRAGMENT_DEMERITS * (1.0 + f64::from(end.short));
    }
    if short {
        demerits += SHORT_LAST_LINE_DEMERITS;
    }
    let fitness = fitness_class(end.ratio);
    // The last line is set at its natural width, whatever the ratio says.
    if previous.previous.is_some()
        && !forced
        && (fitness as i32 - previous.fitness as i32).abs() > 1
    {
        demerits += FITNESS_DEMERITS;
    }
    Node {
        index: end.index,
        line: previous.line + 1,
        fitness,
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        demerits: previous.demerits + demerits,
        ratio: end.ratio,
        hyphens_in_row,
        ends_on_fragment,
        previous: Some(from),
    }
}

/// Sums at the start of the line after a break at `index`: glue and
/// non-forced penalties right after a break are discarded.
fn totals_after(
    items: &[Item],
    index: usize,
    width: f64,
    stretch: f64,
    shrink: f64,
) -> (f64, f64, f64) {
    let (mut w, mut st, mut sh) = (width, stretch, shrink);
    for (j, item) in items.iter().enumerate().skip(index) {
        match *item {
            Item::Box { .. } => break,
            Item::Glue {
                width,
                stretch,
                shrink,
            } => {
                w += f64::from(width);
                st += f64::from(stretch);
                sh += f64::from(shrink);
            }
            Item::Penalty { cost, .. } => {
                if cost <= FORCED && j > index {
                    break;
                }
            }
        }
    }
    (w, st, sh)
}

/// Halvings of the search for the narrowest measure that keeps a
/// balanced title's line count: the measure is then within 2⁻¹⁶ of its
/// width of the best, far below a glyph.
const BALANCE_STEPS: usize = 16;

/// Ragged-right breaking for titles: as many lines as first-fit needs, but
/// each filled only to the narrowest measure that still gives that many
/// lines, so the lines come out about equal and the last is never one
/// short word under a long line ("…Six Minutes / Early" becomes
/// "…That Died / Six Minutes Early").
pub fn balanced(items: &[Item], line_width: f32) -> Vec<Break> {
    let natural = first_fit(items, line_width);
    if natural.len() <= 1 {
        return natural;
    }
    // First-fit never needs more lines on a wider measure: search for the
    // narrowest one that needs no more lines than the full measure.
    // A measure counts only if its lines fit it: first-fit lets a word
    // wider than the line run over, and a narrow measure can move such a
    // run to where it overflows even the full measure.
    let (mut narrow, mut wide) = (0.0f32, line_width);
    for _ in 0..BALANCE_STEPS {
        let middle = (narrow + wide) / 2.0;
        let lines = first_fit(items, middle);
        if lines.len() <= natural.len() && widest_line(items, &lines) <= f64::from(middle) + 0.01 {
            wide = middle;
        } else {
            narrow = middle;
        }
    }
    let balanced = first_fit(items, wide);
    if widest_line(items, &balanced) > widest_line(items, &natural).max(f64::from(line_width)) {
        return natural;
    }
    balanced
}

/// The natural width of the widest line `breaks` make of `items`: its
/// boxes and inner glue, and the width of a penalty it ends at (a hyphen).
fn widest_line(items: &[Item], breaks: &[Break]) -> f64 {
    let mut widest = 0.0f64;
    let mut start = 0;
    for brk in breaks {
        let mut width = 0.0f64;
        for item in &items[start.min(brk.index)..brk.index] {
            width += match item {
                Item::Box { width } | Item::Glue { width, .. } => f64::from(*width),
                Item::Penalty { .. } => 0.0,
            };
        }
        if let Some(Item::Penalty { width: w, .. }) = items.get(brk.index) {
            width += f64::from(*w);
        }
        widest = widest.max(width);
        start = brk.index + 1;
    }
    widest
}

/// Ragged-right breaking: as many items on each line as fit.
pub fn first_fit(items: &[Item], line_width: f32) -> Vec<Break> {
    let mut breaks = Vec::new();
    let mut line_start_width = 0.0f64;
    let mut width = 0.0f64;
    let mut last_break: Option<(usize, f64)> = None;
    let mut i = 0;
    while i < items.len() {
        match items[i] {
            Item::Box { width: w } => {
                if width + f64::from(w) - line_start_width > f64::from(line_width)
                    && let Some((b, after)) = last_break.take()
                {
                    breaks.push(Break {
                        index: b,
                        ratio: 0.0,
                    });
                    line_start_width = after;
                    // Read the items after the break again, against the new
                    // line's start: a break point passed over because it did
                    // not fit the old line (one that adds a mark) may fit here.
                    width = after;
                    i = b + 1;
                    continue;
                }
                width += f64::from(w);
            }
            Item::Glue { width: w, .. } => {
                if i > 0 && matches!(items[i - 1], Item::Box { .. }) {
                    last_break = Some((i, width + f64::from(w)));
                }
                width += f64::from(w);
            }
            Item::Penalty {
                width: pw, cost, ..
            } => {
                if cost <= FORCED {
                    breaks.push(Break {
                        index: i,
                        ratio: 0.0,
                    });
                    line_start_width = width;
                    last_break = None;
                } else if cost < FORBIDDEN
                    && width + f64::from(pw) - line_start_width <= f64::from(line_width)
                {
                    last_break = Some((i, width));
                }
            }
        }
        i += 1;
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(lengths: &[f32]) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, &l) in lengths.iter().enumerate() {
            if i > 0 {
                items.push(Item::Glue {
                    width: 3.0,
                    stretch: 1.5,
                    shrink: 1.0,
                });
            }
            items.push(Item::Box { width: l });
        }
        items.push(Item::Glue {
            width: 0.0,
            stretch: 1e6,
            shrink: 0.0,
        });
        items.push(Item::Penalty {
            width: 0.0,
            cost: FORCED,
            flagged: false,
        });
        items
    }

    #[test]
    fn lines_never_exceed_the_measure_when_they_can_fit() {
        let items = words(&[20.0; 40]);
        let breaks = break_lines(&items, 100.0);
        assert!(breaks.len() >= 9);
        assert!(breaks.iter().all(|b| b.ratio >= -1.0));
        assert_eq!(breaks.last().unwrap().index, items.len() - 1);
    }

    #[test]
    fn balanced_lines_are_even_and_never_leave_one_word_alone() {
        // Five words of 40 and one of 30 on a 220 measure: first-fit puts
        // five on the first line and leaves the last word alone.
        let items = words(&[40.0, 40.0, 40.0, 40.0, 40.0, 30.0]);
        let ragged = first_fit(&items, 220.0);
        let even = balanced(&items, 220.0);
        assert_eq!(ragged.len(), even.len());
        let words_on_lines = |breaks: &[Break]| -> Vec<usize> {
            let mut start = 0;
            breaks
                .iter()
                .map(|b| {
                    let n = items[start..b.index]
                        .iter()
                        .filter(|i| matches!(i, Item::Box { .. }))
                        .count();
                    start = b.index + 1;
                    n
                })
                .collect()
        };
        assert_eq!(words_on_lines(&ragged), vec![5, 1]);
        assert_eq!(words_on_lines(&even), vec![3, 3]);
        // A title that fits one line stays one line.
        assert_eq!(balanced(&words(&[40.0, 40.0]), 220.0).len(), 1);
    }

    #[test]
    fn a_box_wider_than_the_line_still_ends_up_on_a_line() {
        let items = words(&[10.0, 500.0, 10.0]);
        let breaks = break_lines(&items, 100.0);
        assert_eq!(breaks.last().unwrap().index, items.len() - 1);
    }

    #[test]
    fn a_long_word_does_not_push_earlier_words_onto_lines_of_their_own() {
        // Short words, then a 70-wide identifier that fits only on a line of
        // its own: no justification is possible (too little stretch), yet the
        // breaker must not put each short word alone on a line.
        let items = words(&[20.0, 25.0, 18.0, 22.0, 70.0, 15.0, 15.0]);
        let breaks = break_lines(&items, 100.0);
        let first_line_end = breaks[0].index;
        let boxes_on_first_line = items[..first_line_end]
            .iter()
            .filter(|i| matches!(i, Item::Box { .. }))
            .count();
        assert!(
            boxes_on_first_line >= 3,
            "first line holds {boxes_on_first_line} words"
        );
    }

    #[test]
    fn where_every_ending_leaves_a_fragment_the_longest_wins() {
        // Four words, then one of three syllables that does not fit: either
        // hyphen leaves a fragment on the last line (setting the whole
        // word on its own line is too loose), "mid-end" rather than "end".
        let glue = Item::Glue {
            width: 3.0,
            stretch: 3.0,
            shrink: 0.5,
        };
        let hyphen = Item::Penalty {
            width: 3.0,
            cost: 50.0,
            flagged: true,
        };
        let mut items = Vec::new();
        for _ in 0..4 {
            items.push(Item::Box { width: 40.0 });
            items.push(glue);
        }
        items.extend([
            Item::Box { width: 10.0 },
            hyphen,
            Item::Box { width: 10.0 },
            hyphen,
            Item::Box { width: 12.0 },
            Item::Glue {
                width: 0.0,
                stretch: 1e6,
                shrink: 0.0,
            },
            Item::Penalty {
                width: 0.0,
                cost: FORCED,
                flagged: false,
            },
        ]);
        let breaks = break_lines(&items, 200.0);
        assert_eq!(breaks.len(), 2);
        assert_eq!(breaks[0].index, 9, "broken after the first syllable");
    }
}
