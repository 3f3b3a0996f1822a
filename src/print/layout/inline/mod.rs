//! Inline layout, in Typst's steps: collect (inline tree → styled spans),
//! prepare (spans → shaped boxes, glue and penalties, with hyphenation and
//! break points inside identifiers), break (Knuth–Plass or first-fit), and
//! finalize (lines of positioned glyph runs and link areas).
//!
//! The steps live in their own files: `collect` here, `prepare` (shaping,
//! spaces, break points in words), `finalize` (justifying and placing the
//! glyphs of each line).

mod finalize;
mod prepare;

use crate::document::{Inline, LinkTarget as DocLink};
use crate::print::fonts::FaceId;
use crate::print::hyphenate::Hyphenation;
use crate::print::linebreak::{self, Item};
use crate::print::page::{ClusterText, GlyphRun, Item as PageItem, LinkArea, LinkTarget};
use crate::print::shape::Shaper;

/// A glyph of a word: face, size, glyph id, advance, cluster text.
type WordGlyph = (FaceId, f32, u16, f32, ClusterText);

/// `GlyphRun::link` of a mark the line breaker added at a line's end: a
/// hyphen, or the continuation mark of a broken identifier (the run's
/// text tells which). Such a run is an artifact, not the book's text.
pub const HYPHEN: u16 = u16::MAX;

/// The mark at the end of a line that breaks inside an identifier (inline
/// code, a path, a URL): a hooked arrow, the soft-wrap sign of editors and
/// code listings. It is no character of any name, path or URL, so a
/// reader copying the identifier cannot mistake it for part of it, as
/// they could a hyphen or a bare break.
pub const CONTINUATION_MARK: &str = "↩";
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
    let (items, contents, words, seqs) = prepare::prepare(spans, style, width, shaper, hyphenation);
    if items.len() <= 2 {
        return Vec::new();
    }
    let breaks = match style.align {
        Align::Justify => linebreak::break_lines(&items, width),
        Align::Balanced => linebreak::balanced(&items, width),
        _ => linebreak::first_fit(&items, width),
    };
    let mut lines = finalize::finalize(&items, &contents, &seqs, &breaks, style, width);
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

#[cfg(test)]
mod tests;
