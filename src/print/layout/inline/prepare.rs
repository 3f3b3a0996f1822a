//! Prepare: styled spans become the line breaker's items — shaped word
//! pieces (boxes), spaces (glue) and the break points between them
//! (penalties: hyphenation, breaks inside identifiers, forced line ends) —
//! with, for each item, the content it stands for.

use super::{CONTINUATION_MARK, Content, HYPHEN, Span, TextStyle, WordGlyph};
use crate::print::fonts::{FaceId, FontSet};
use crate::print::hyphenate::Hyphenation;
use crate::print::layout::breaks::{self, BreakKind};
use crate::print::linebreak::{FORBIDDEN, FORCED, Item};
use crate::print::page::{ClusterText, LinkTarget};
use crate::print::shape::Shaper;

/// A piece of a word between break points, and the break after it.
type WordPiece = (Vec<WordGlyph>, Option<breaks::BreakPoint>);
/// The continuation mark is set smaller than the code it follows, so it reads as a
/// sign beside the text rather than a letter of it.
const CONTINUATION_MARK_SCALE: f32 = 0.8;
/// Breaking a word at an arbitrary letter: last resort for words wider than the line.
const EMERGENCY_BREAK_PENALTY: f32 = 1000.0;
/// Inter-word glue, as fractions of the space's width: stretch 1/2 (TeX's
/// value for Computer Modern) and shrink 2/5, a little more than TeX's
/// 1/3. Noto Serif's space is 0.26 em, so the tightest space is 0.156 em
/// against 0.173 em at 1/3 — 0.16 pt at 9.5 pt, hardly to be seen — and
/// the room it gives keeps a 6×9 paragraph from hyphenating or loosening
/// a line: measured on the real book, hyphenated lines 6.7% → 5.7% and
/// the median space 1.15× → 1.10× its natural width.
const SPACE_STRETCH: f32 = 0.5;
const SPACE_SHRINK: f32 = 0.4;
/// A space inside inline code stretches by a fifth of its width: about
/// what a text space stretches in points (a monospace space is 0.6 em),
/// so a line holding a long code span does not put all its looseness in
/// its few prose spaces, while the code's own spacing stays visibly even.
const CODE_SPACE_STRETCH: f32 = 0.2;
/// Where a paragraph's text divides into words.
const SPACES: [char; 4] = [' ', '\n', '\t', NO_BREAK_SPACE];
const NO_BREAK_SPACE: char = '\u{a0}';

/// The paragraph's items, the content each stands for, the word each
/// belongs to (counted from 0) and the link each is part of (0: none).
pub(super) fn prepare(
    spans: &[Span],
    style: &TextStyle,
    width: f32,
    shaper: &mut Shaper,
    hyphenation: &Hyphenation,
) -> (Vec<Item>, Vec<Content>, Vec<u32>, Vec<u16>) {
    let fonts = FontSet::get();
    let mut items = Vec::new();
    let mut contents = Vec::new();
    // The word each item belongs to: words are runs of text between
    // spaces, tabs and line breaks, across spans (`code`**bold** is one).
    let mut words: Vec<u32> = Vec::new();
    let mut word = 0u32;
    let mut next_word = 0u32;
    let mut in_word = false;
    // Which link each item is part of: each run of spans with one target
    // is a link of its own, numbered from 1.
    let mut seqs: Vec<u16> = Vec::new();
    let mut seq = 0u16;
    let mut links_seen = 0u16;
    let mut previous_link: Option<&LinkTarget> = None;
    for span in spans {
        // What came before belongs to the previous span's link.
        seqs.resize(items.len(), seq);
        seq = match &span.link {
            None => 0,
            Some(target) if previous_link == Some(target) => seq,
            Some(_) => {
                links_seen = links_seen.saturating_add(1).min(HYPHEN - 1);
                links_seen
            }
        };
        previous_link = span.link.as_ref();
        let space_gid = fonts
            .face(span.face)
            .face
            .glyph_index(' ')
            .map_or(0, |g| g.0);
        let space_width = shaper.width(" ", span.face, span.size);
        // A word that runs on across spans (`code`**bold**text) may be
        // wider than the line with no break point inside any one span:
        // allow a last-resort break where the spans meet.
        if matches!(items.last(), Some(Item::Box { .. }))
            && !span.text.starts_with([' ', '\n', '\t'])
        {
            items.push(Item::Penalty {
                width: 0.0,
                cost: EMERGENCY_BREAK_PENALTY,
                flagged: false,
            });
            contents.push(Content::Nothing);
        }
        let mut rest = span.text.as_str();
        while !rest.is_empty() {
            let word_end = rest.find(SPACES).unwrap_or(rest.len());
            if word_end > 0 {
                if !in_word {
                    word = next_word;
                    next_word += 1;
                    in_word = true;
                }
                words.resize(items.len(), word);
                push_word(
                    &rest[..word_end],
                    span,
                    style,
                    width,
                    shaper,
                    hyphenation,
                    &mut items,
                    &mut contents,
                );
                words.resize(items.len(), word);
                seqs.resize(items.len(), seq);
            }
            if word_end < rest.len() {
                let c = rest[word_end..].chars().next().unwrap_or(' ');
                // A no-break space keeps the word count going: the EPUB
                // counts words between plain spaces only.
                in_word = in_word && c == NO_BREAK_SPACE;
                if c == '\n' {
                    push_line_end(&mut items, &mut contents);
                } else {
                    let previous_is_glue = matches!(items.last(), Some(Item::Glue { .. }));
                    let after = &rest[word_end + c.len_utf8()..];
                    let next_word = &after[..after.find(SPACES).unwrap_or(after.len())];
                    if !previous_is_glue
                        && (c == NO_BREAK_SPACE
                            || crate::markdown::ties_number_to_unit(&rest[..word_end], next_word))
                    {
                        // The space stretches like any other but is no break.
                        items.push(Item::Penalty {
                            width: 0.0,
                            cost: FORBIDDEN,
                            flagged: false,
                        });
                        contents.push(Content::Nothing);
                    }
                    if !previous_is_glue {
                        // Spaces inside inline code never shrink (a space
                        // in code must stay plainly one) and stretch little.
                        let (stretch, shrink) = if span.code {
                            (space_width * CODE_SPACE_STRETCH, 0.0)
                        } else {
                            (space_width * SPACE_STRETCH, space_width * SPACE_SHRINK)
                        };
                        items.push(Item::Glue {
                            width: space_width,
                            stretch,
                            shrink,
                        });
                        contents.push(Content::Space(
                            span.face,
                            span.size,
                            space_gid,
                            span.link.clone(),
                        ));
                    }
                }
                rest = &rest[word_end + c.len_utf8()..];
            } else {
                rest = "";
            }
        }
    }
    // Trailing spaces never end a paragraph.
    while matches!(items.last(), Some(Item::Glue { .. })) {
        items.pop();
        contents.pop();
    }
    seqs.truncate(items.len());
    words.truncate(items.len());
    push_line_end(&mut items, &mut contents);
    words.resize(items.len(), word);
    seqs.resize(items.len(), seq);
    (items, contents, words, seqs)
}

/// A forced line end (a hard break, or the paragraph's end): glue that fills
/// the rest of the line, then a break that must be taken.
fn push_line_end(items: &mut Vec<Item>, contents: &mut Vec<Content>) {
    items.push(Item::Glue {
        width: 0.0,
        stretch: 1e5,
        shrink: 0.0,
    });
    contents.push(Content::Nothing);
    items.push(Item::Penalty {
        width: 0.0,
        cost: FORCED,
        flagged: false,
    });
    contents.push(Content::Nothing);
}

#[allow(clippy::too_many_arguments)]
fn push_word(
    word: &str,
    span: &Span,
    style: &TextStyle,
    width: f32,
    shaper: &mut Shaper,
    hyphenation: &Hyphenation,
    items: &mut Vec<Item>,
    contents: &mut Vec<Content>,
) {
    let runs = shaper.shape(word, span.face, span.size);
    // Flatten to glyphs with word-relative clusters.
    let mut glyphs: Vec<(FaceId, f32, u16, f32, usize)> = Vec::new();
    let mut base = 0;
    for run in &runs {
        for g in &run.glyphs {
            glyphs.push((
                run.face,
                run.size,
                g.gid,
                g.advance,
                base + g.cluster as usize,
            ));
        }
        base += run.text.len();
    }
    let text_of = |k: usize| -> ClusterText {
        let start = glyphs[k].4;
        if k > 0 && glyphs[k - 1].4 == start {
            return ClusterText::EMPTY;
        }
        let end = glyphs[k + 1..]
            .iter()
            .map(|g| g.4)
            .find(|&c| c > start)
            .unwrap_or(word.len());
        ClusterText::new(word.get(start..end).unwrap_or(""))
    };
    let points = breaks::break_points(word, span.code, style.hyphenate, hyphenation);
    let mut pieces: Vec<WordPiece> = Vec::new();
    let mut current = Vec::new();
    let mut point_iter = points.iter().peekable();
    for k in 0..glyphs.len() {
        let cluster = glyphs[k].4;
        while point_iter.peek().is_some_and(|p| p.offset < cluster) {
            point_iter.next();
        }
        let starts_cluster = k == 0 || glyphs[k - 1].4 != cluster;
        if starts_cluster
            && k > 0
            && let Some(&&point) = point_iter.peek()
            && point.offset == cluster
        {
            pieces.push((std::mem::take(&mut current), Some(point)));
            point_iter.next();
        }
        let (face, size, gid, advance, _) = glyphs[k];
        current.push((face, size, gid, advance, text_of(k)));
    }
    pieces.push((current, None));

    // The marks a break may add: a hyphen in the word's face, the
    // continuation mark in whichever face draws it.
    let mut mark = |text: &str, size: f32| -> Content {
        let runs = shaper.shape(text, span.face, size);
        let (face, gid, width) = runs
            .first()
            .and_then(|r| r.glyphs.first().map(|g| (r.face, g.gid, g.advance)))
            .unwrap_or((span.face, 0, 0.0));
        Content::Mark(face, size, gid, width, ClusterText::new(text))
    };
    let hyphen = mark("-", span.size);
    let continuation = mark(CONTINUATION_MARK, span.size * CONTINUATION_MARK_SCALE);
    let mark_width = |content: &Content| match content {
        Content::Mark(_, _, _, w, _) => *w,
        _ => 0.0,
    };

    for (piece, after) in pieces {
        // A piece wider than the line is cut at letters, as a last resort.
        let mut chunk: Vec<WordGlyph> = Vec::new();
        let mut chunk_width = 0.0;
        // A chunk that may end in the continuation mark leaves it room.
        let ends_in_mark = span.code || after.is_some_and(|p| p.kind == BreakKind::Identifier);
        let room = width
            - if ends_in_mark {
                mark_width(&continuation)
            } else {
                0.0
            };
        for glyph in piece {
            // Cut between clusters; inside one only when a cluster alone is
            // wider than the line (marks stacked on a control character).
            let over = chunk_width + glyph.3 > room;
            if over && !chunk.is_empty() && (!glyph.4.is_empty() || chunk_width > room * 0.5) {
                items.push(Item::Box { width: chunk_width });
                contents.push(Content::Glyphs(
                    std::mem::take(&mut chunk),
                    span.link.clone(),
                ));
                // Inside code the cut shows the continuation mark too.
                let shown = if span.code {
                    continuation.clone()
                } else {
                    Content::Nothing
                };
                items.push(Item::Penalty {
                    width: mark_width(&shown),
                    cost: EMERGENCY_BREAK_PENALTY,
                    flagged: false,
                });
                contents.push(shown);
                chunk_width = 0.0;
            }
            chunk_width += glyph.3;
            chunk.push(glyph);
        }
        if !chunk.is_empty() {
            items.push(Item::Box { width: chunk_width });
            contents.push(Content::Glyphs(chunk, span.link.clone()));
        }
        if let Some(point) = after {
            let shown = match point.kind {
                BreakKind::Hyphen => hyphen.clone(),
                BreakKind::Identifier => continuation.clone(),
                BreakKind::AfterHyphen | BreakKind::AfterDash => Content::Nothing,
            };
            items.push(Item::Penalty {
                width: mark_width(&shown),
                cost: point.cost,
                flagged: point.kind.flagged(),
            });
            contents.push(shown);
        }
    }
}
