//! Finalize: the breaks chosen, each line's items become positioned
//! glyph runs and link areas, its spaces set to justify it.

use super::{Align, Content, HYPHEN, Line, TextStyle};
use crate::print::fonts::FaceId;
use crate::print::linebreak::{self, FORCED, Item};
use crate::print::page::{ClusterText, GlyphRun, LinkArea, LinkTarget, PlacedGlyph, Rect, Tag};
use std::sync::Arc;

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

/// The lines that `breaks` cut from the paragraph's items.
pub(super) fn finalize(
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
