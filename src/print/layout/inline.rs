//! Inline layout, in Typst's steps: collect (inline tree → styled spans),
//! prepare (spans → shaped boxes, glue and penalties, with hyphenation and
//! break points inside identifiers), break (Knuth–Plass or first-fit), and
//! finalize (lines of positioned glyph runs and link areas).

use crate::document::{Inline, LinkTarget as DocLink};
use crate::print::fonts::{FaceId, FontSet};
use crate::print::hyphenate::Hyphenation;
use crate::print::layout::breaks::{self, BreakKind};
use crate::print::linebreak::{self, FORBIDDEN, FORCED, Item};
use crate::print::page::{
    ClusterText, GlyphRun, Item as PageItem, LinkArea, LinkTarget, PlacedGlyph, Rect, Tag,
};
use std::sync::Arc;

/// A glyph of a word: face, size, glyph id, advance, cluster text.
type WordGlyph = (FaceId, f32, u16, f32, ClusterText);
/// A glyph set on a line: face, size, glyph id, x, advance, text, link, and
/// which link of the paragraph it is part of (0: none; `HYPHEN`: a line-end
/// hyphen, set as a run of its own so the PDF can mark it an artifact).
type LineGlyph = (
    FaceId,
    f32,
    u16,
    f32,
    f32,
    ClusterText,
    Option<LinkTarget>,
    u16,
);

/// `GlyphRun::link` of a mark the line breaker added at a line's end: a
/// hyphen, or the continuation mark of a broken identifier (the run's
/// text tells which). Such a run is an artifact, not the book's text.
pub const HYPHEN: u16 = u16::MAX;
/// A piece of a word between break points, and the break after it.
type WordPiece = (Vec<WordGlyph>, Option<breaks::BreakPoint>);
use crate::print::shape::Shaper;

/// The mark at the end of a line that breaks inside an identifier (inline
/// code, a path, a URL): a hooked arrow, the soft-wrap sign of editors and
/// code listings. It is no character of any name, path or URL, so a
/// reader copying the identifier cannot mistake it for part of it, as
/// they could a hyphen or a bare break.
pub const CONTINUATION_MARK: &str = "↩";
/// The mark is set smaller than the code it follows, so it reads as a
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
/// Inline code is set a little smaller than the text so its x-height matches.
pub const CODE_SCALE: f32 = 0.86;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Serif,
    Sans,
    Mono,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    /// Ragged right with the lines as even as the line count allows, for
    /// titles: no word left alone on a last line.
    Balanced,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    pub family: Family,
    pub size: f32,
    pub leading: f32,
    pub bold: bool,
    pub italic: bool,
    pub gray: f32,
    pub align: Align,
    pub hyphenate: bool,
}

/// A styled piece of text before shaping.
#[derive(Debug, Clone)]
pub struct Span {
    pub text: String,
    pub face: FaceId,
    pub size: f32,
    pub code: bool,
    pub link: Option<LinkTarget>,
}

/// A laid-out line: runs with x from the line's left edge and baselines from its top.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub runs: Vec<GlyphRun>,
    pub links: Vec<LinkArea>,
    pub height: f32,
    /// How far the line's spaces were stretched (positive, in units of their
    /// stretchability) or shrunk (negative) to justify it: TeX's glue set
    /// ratio, 1.0 being as loose as a space is meant to go.
    pub ratio: f32,
    /// The paragraph's word (counting whitespace-separated words of its
    /// text from 0) that the line starts in.
    pub first_word: u32,
    /// The line ends in a hyphen a reader sees: one hyphenation added (its
    /// run has `link == HYPHEN`) or the word's own ("trade-/offs"). For
    /// pagination, which would rather not end a page on one.
    pub hyphenated: bool,
}

/// Whether a laid-out line — its items, as a flow piece holds them —
/// ends in a hyphen a reader sees (one hyphenation added or the word's
/// own): for pagination, which would rather not end a page on one.
/// `Line::hyphenated` says the same before the line becomes a piece.
pub fn ends_in_hyphen(items: &[PageItem]) -> bool {
    items
        .iter()
        .filter_map(|item| match item {
            PageItem::Text(run) if !run.glyphs.is_empty() => Some(run),
            _ => None,
        })
        .max_by(|a, b| (a.x + a.width).total_cmp(&(b.x + b.width)))
        .and_then(|run| run.glyphs.iter().rev().find(|g| g.text.as_str() != " "))
        .is_some_and(|g| g.text.as_str() == "-")
}

/// How a link in the text resolves to the print edition's destinations.
pub fn link_target(target: &DocLink) -> Option<LinkTarget> {
    match target {
        DocLink::External(url) => Some(LinkTarget::External(url.clone())),
        DocLink::Question(n) => Some(LinkTarget::Internal(format!("question-{n}"))),
        DocLink::Answer(n) => Some(LinkTarget::Internal(format!("answer-{n}"))),
        DocLink::Chapter(id) => Some(LinkTarget::Internal(format!("chapter-{id}"))),
        DocLink::Unresolved(_) => None,
    }
}

fn face_for(style: &TextStyle, italic: bool, bold: bool, code: bool) -> FaceId {
    if code {
        return FaceId::Mono;
    }
    match style.family {
        Family::Serif => FaceId::serif(italic, bold),
        Family::Sans if bold => FaceId::SansBold,
        Family::Sans => FaceId::Sans,
        Family::Mono => FaceId::Mono,
    }
}

/// Collect: flattens an inline tree into styled spans.
pub fn collect(inlines: &[Inline], style: &TextStyle) -> Vec<Span> {
    let mut spans = Vec::new();
    collect_into(inlines, style, style.italic, style.bold, None, &mut spans);
    spans
}

fn collect_into(
    inlines: &[Inline],
    style: &TextStyle,
    italic: bool,
    bold: bool,
    link: Option<&LinkTarget>,
    out: &mut Vec<Span>,
) {
    for inline in inlines {
        let plain = |text: &str, code: bool| Span {
            text: text.to_string(),
            face: face_for(style, italic, bold, code),
            size: if code && style.family != Family::Mono {
                style.size * CODE_SCALE
            } else {
                style.size
            },
            code,
            link: link.cloned(),
        };
        match inline {
            Inline::Text(t) => out.push(plain(t, false)),
            Inline::Code(t) => out.push(plain(t, true)),
            Inline::SoftBreak => out.push(plain(" ", false)),
            Inline::HardBreak => out.push(plain("\n", false)),
            Inline::Emphasis(c) => collect_into(c, style, !italic, bold, link, out),
            Inline::Strong(c) => collect_into(c, style, italic, true, link, out),
            Inline::Link { target, content } => {
                let target = link_target(target);
                collect_into(content, style, italic, bold, target.as_ref().or(link), out)
            }
        }
    }
}

/// Spans from plain text in one style.
pub fn plain_spans(text: &str, style: &TextStyle) -> Vec<Span> {
    collect(&[Inline::Text(text.to_string())], style)
}

/// What an item of the paragraph stands for.
#[derive(Debug, Clone)]
enum Content {
    /// Glyphs (face, size, gid, advance, text) of a word piece.
    Glyphs(Vec<WordGlyph>, Option<LinkTarget>),
    /// An inter-word space: its glyph, so extracted text has the space.
    Space(FaceId, f32, u16, Option<LinkTarget>),
    /// A break inside a word that adds a mark if the line ends here: a
    /// hyphen, or the continuation mark (face, size, glyph, width, text).
    Mark(FaceId, f32, u16, f32, ClusterText),
    Nothing,
}

/// Lays out spans into lines of `width`.
pub fn layout_spans(
    spans: &[Span],
    style: &TextStyle,
    width: f32,
    shaper: &mut Shaper,
    hyphenation: &Hyphenation,
) -> Vec<Line> {
    let (items, contents, words, seqs) = prepare(spans, style, width, shaper, hyphenation);
    if items.len() <= 2 {
        return Vec::new();
    }
    let breaks = match style.align {
        Align::Justify => linebreak::break_lines(&items, width),
        Align::Balanced => linebreak::balanced(&items, width),
        _ => linebreak::first_fit(&items, width),
    };
    let mut lines = finalize(&items, &contents, &seqs, &breaks, style, width);
    // Each line's first word, for the EPUB's page-break markers.
    let mut start = 0;
    for (line, brk) in lines.iter_mut().zip(&breaks) {
        line.first_word = (start..brk.index)
            .find(|&k| matches!(items[k], Item::Box { .. }))
            .map_or(words.get(start).copied().unwrap_or(0), |k| words[k]);
        start = brk.index + 1;
    }
    lines
}

fn prepare(
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

/// The stretch (positive) or shrink (negative) ratio that sets `line` (the
/// items between two breaks, `end` the content at the break: a hyphen adds
/// its width) exactly `width` wide; never below -1, TeX's limit on shrinking.
fn justification_ratio(line: &[Item], end: &Content, width: f32) -> f32 {
    let (mut natural, mut stretch, mut shrink) = (0.0f32, 0.0f32, 0.0f32);
    for item in line {
        match item {
            Item::Box { width } => natural += width,
            Item::Glue {
                width,
                stretch: s,
                shrink: k,
            } => {
                natural += width;
                stretch += s;
                shrink += k;
            }
            Item::Penalty { .. } => {}
        }
    }
    if let Content::Mark(_, _, _, w, _) = end {
        natural += w;
    }
    if natural < width && stretch > 0.0 {
        (width - natural) / stretch
    } else if natural > width && shrink > 0.0 {
        ((width - natural) / shrink).max(-1.0)
    } else {
        0.0
    }
}

fn finalize(
    items: &[Item],
    contents: &[Content],
    seqs: &[u16],
    breaks: &[linebreak::Break],
    style: &TextStyle,
    width: f32,
) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    let baseline = style.size * 0.78 + (style.leading - style.size) / 2.0;
    for brk in breaks {
        let end = brk.index;
        // Skip glue and penalties at the start of a line.
        while start < end && !matches!(items[start], Item::Box { .. }) {
            start += 1;
        }
        // Justify from the line's own measurements rather than the
        // breaker's ratio, so the line ends exactly at the measure (the
        // breaker's running sums can differ from them by a fraction of a
        // point on long paragraphs).
        let ratio = if style.align == Align::Justify {
            justification_ratio(&items[start..end], &contents[end], width).min(3.0)
        } else {
            0.0
        };
        let is_last = matches!(items[end], Item::Penalty { cost, .. } if cost <= FORCED);
        let ratio = if is_last { ratio.min(0.0) } else { ratio };
        let mut glyphs: Vec<LineGlyph> = Vec::new();
        let mut x = 0.0;
        for k in start..end {
            match (&items[k], &contents[k]) {
                (Item::Box { .. }, Content::Glyphs(gs, link)) => {
                    for (face, size, gid, advance, text) in gs {
                        glyphs.push((
                            *face,
                            *size,
                            *gid,
                            x,
                            *advance,
                            *text,
                            link.clone(),
                            seqs[k],
                        ));
                        x += advance;
                    }
                }
                (
                    Item::Glue {
                        width: w,
                        stretch,
                        shrink,
                    },
                    content,
                ) => {
                    let set = if ratio >= 0.0 {
                        w + ratio * stretch
                    } else {
                        w + ratio * shrink
                    };
                    if let Content::Space(face, size, gid, link) = content {
                        glyphs.push((
                            *face,
                            *size,
                            *gid,
                            x,
                            set,
                            ClusterText::new(" "),
                            link.clone(),
                            seqs[k],
                        ));
                    }
                    x += set;
                }
                _ => {}
            }
        }
        let mut hyphenated =
            matches!(&contents[end], Content::Mark(.., text) if text.as_str() == "-");
        if let Content::Mark(face, size, gid, w, text) = &contents[end] {
            let link = glyphs.last().and_then(|g| g.6.clone());
            glyphs.push((*face, *size, *gid, x, *w, *text, link, HYPHEN));
            x += w;
        } else if let Item::Penalty { flagged: true, .. } = items[end] {
            hyphenated = true;
        }
        // Drop a trailing space glyph; a line broken at a space keeps one
        // that takes no room, so the text reads (and extracts) with a space
        // between the line's last word and the next line's first.
        let mut end_space = None;
        while glyphs.last().is_some_and(|g| g.5.as_str() == " ") {
            if let Some(g) = glyphs.pop() {
                x = g.3;
                end_space = Some(g);
            }
        }
        if let Some(mut space) = end_space.filter(|_| !is_last) {
            space.3 = x;
            space.4 = 0.0;
            glyphs.push(space);
        } else if let Content::Space(face, size, gid, link) = &contents[end] {
            // Broken at the space itself: the space is not on either line.
            glyphs.push((
                *face,
                *size,
                *gid,
                x,
                0.0,
                ClusterText::new(" "),
                link.clone(),
                seqs[end],
            ));
        }
        let shift = match style.align {
            Align::Center => ((width - x) / 2.0).max(0.0),
            Align::Right => (width - x).max(0.0),
            _ => 0.0,
        };
        let mut line = Line {
            height: style.leading,
            ratio,
            hyphenated,
            ..Line::default()
        };
        // The glyphs of the run being built; they become the run's shared
        // glyph list when the next run starts or the line ends.
        let mut pending: Vec<PlacedGlyph> = Vec::new();
        for g in &glyphs {
            let extends = line
                .runs
                .last()
                .is_some_and(|r: &GlyphRun| r.face == g.0 && r.size == g.1 && r.link == g.7);
            if !extends {
                if let Some(run) = line.runs.last_mut() {
                    run.glyphs = std::mem::take(&mut pending).into();
                }
                line.runs.push(GlyphRun {
                    face: g.0,
                    size: g.1,
                    x: g.3 + shift,
                    baseline,
                    width: 0.0,
                    gray: style.gray,
                    glyphs: Arc::from([]),
                    tag: Tag::ARTIFACT,
                    link: g.7,
                });
            }
            if let Some(run) = line.runs.last_mut() {
                pending.push(PlacedGlyph {
                    gid: g.2,
                    x: g.3 + shift - run.x,
                    text: g.5,
                });
                run.width = g.3 + shift + g.4 - run.x;
            }
            if let Some(target) = &g.6 {
                let rect = Rect {
                    x: g.3 + shift,
                    y: 0.0,
                    width: g.4,
                    height: style.leading,
                };
                match line.links.last_mut() {
                    Some(last)
                        if &last.target == target && (last.rect.right() - rect.x).abs() < 0.01 =>
                    {
                        last.rect.width = rect.right() - last.rect.x;
                    }
                    _ => line.links.push(LinkArea {
                        rect,
                        target: target.clone(),
                        tag: Tag::ARTIFACT,
                        link: if g.7 == HYPHEN { 0 } else { g.7 },
                        contents: String::new(),
                    }),
                }
            }
        }
        if let Some(run) = line.runs.last_mut() {
            run.glyphs = pending.into();
        }
        lines.push(line);
        start = end + 1;
    }
    lines
}

#[cfg(test)]
#[path = "inline_tests.rs"]
mod tests;
