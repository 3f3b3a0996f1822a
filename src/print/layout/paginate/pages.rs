//! Drawing the placed frames: each becomes a page of the page model —
//! its pieces' items moved into the text block, repeated table headers
//! and "continued" cues marked as artifacts, code blocks shaded behind
//! their lines, workbook lines ruled with their answer areas.

use std::sync::Arc;

use super::Placed;
use crate::print::layout::flow::{CodeBox, Piece, PieceKind};
use crate::print::layout::geometry::{Geometry, WORKBOOK_RULE_PT};
use crate::print::page::{AnswerArea, Item, LinkArea, Origin, Page, PageRole, Rect, Tag};

/// Lays out `pieces` on new pages starting at page index `first_index`.
pub fn paginate(
    pieces: &[Piece],
    geometry: &Geometry,
    first_index: usize,
    first_role: PageRole,
    role: PageRole,
) -> Vec<Page> {
    let frames = crate::print::layout::spread::place_flush(pieces, geometry, first_index);

    frames
        .into_iter()
        .enumerate()
        .map(|(k, frame)| {
            let index = first_index + k;
            let block = geometry.text_block(index);
            let page_role = if k == 0 {
                first_role.clone()
            } else {
                role.clone()
            };
            let mut page = Page::blank(geometry.width, geometry.height, block, page_role);
            // The page starts where its first piece from the sources does
            // (a repeated table header, a "continued" cue or ruling going
            // on from the page before are not where its text starts).
            page.starts_at = frame
                .placed
                .iter()
                .find_map(|p| match p {
                    Placed::Piece(n, _)
                    | Placed::Fill {
                        label: n,
                        continued: false,
                        ..
                    } => Some(pieces[*n].origin).filter(Origin::is_set),
                    _ => None,
                })
                .unwrap_or(Origin::NONE);
            let mut shading = Shading::default();
            for p in frame.placed {
                let code_box = match &p {
                    Placed::Piece(n, _) => match &pieces[*n].kind {
                        PieceKind::Code { block } => Some(block.clone()),
                        _ => None,
                    },
                    Placed::Cue(b, _) => Some(b.clone()),
                    _ => None,
                };
                match code_box {
                    Some(b) => shading.open(&mut page, b, p.y()),
                    None => shading.close(&mut page),
                }
                match p {
                    Placed::Piece(n, y) => {
                        put(&mut page, &pieces[n], block, y);
                        shading.extend(y + pieces[n].height);
                    }
                    Placed::Header(header, y) => put_artifact(&mut page, &header, block, y),
                    Placed::Cue(code, y) => {
                        put_artifact(&mut page, &code.cue, block, y);
                        shading.extend(y + code.cue.height);
                    }
                    Placed::Fill {
                        label,
                        gap,
                        lines,
                        y,
                        continued,
                    } => {
                        let PieceKind::Fill {
                            label: label_piece,
                            scenario,
                            form,
                            ..
                        } = &pieces[label].kind
                        else {
                            continue;
                        };
                        let mut top = y;
                        if !continued {
                            put(&mut page, &pieces[label], block, y);
                            put(&mut page, label_piece, block, y);
                            top += label_piece.height;
                        }
                        if let Some(scenario) = *scenario {
                            page.answer_areas.push(AnswerArea {
                                scenario,
                                tag: *form,
                                rect: Rect {
                                    x: block.x,
                                    y: block.y + top,
                                    width: block.width,
                                    height: lines as f32 * gap,
                                },
                            });
                        }
                        rule_lines(&mut page, block, top, gap, lines);
                    }
                }
            }
            shading.close(&mut page);
            page
        })
        .collect()
}

/// `lines` workbook lines `gap` apart below `top` (from the text block's top).
pub fn rule_lines(page: &mut Page, block: Rect, top: f32, gap: f32, lines: usize) {
    for l in 1..=lines {
        let ly = block.y + top + l as f32 * gap - WORKBOOK_RULE_PT;
        page.items.push(Item::Rule {
            x1: block.x,
            y1: ly,
            x2: block.right(),
            y2: ly,
            thickness: WORKBOOK_RULE_PT,
            gray: 0.0,
        });
    }
}

/// A code block's shading on a page: one rectangle behind each run of its
/// pieces (drawn per line, abutting fills show hairline seams when printed).
#[derive(Default)]
struct Shading {
    /// The block, the run's top and bottom, and where its fill goes in the
    /// page's items (before the run's text, so the text is drawn over it).
    open: Option<(Arc<CodeBox>, f32, f32, usize)>,
}

impl Shading {
    fn open(&mut self, page: &mut Page, code: Arc<CodeBox>, y: f32) {
        if self
            .open
            .as_ref()
            .is_some_and(|(b, ..)| Arc::ptr_eq(b, &code))
        {
            return;
        }
        self.close(page);
        self.open = Some((code, y, y, page.items.len()));
    }

    fn extend(&mut self, bottom: f32) {
        if let Some((_, _, end, _)) = &mut self.open {
            *end = end.max(bottom);
        }
    }

    fn close(&mut self, page: &mut Page) {
        let Some((code, top, bottom, at)) = self.open.take() else {
            return;
        };
        let block = page.text_block;
        page.items.insert(
            at,
            Item::Fill {
                rect: Rect {
                    x: block.x + code.x,
                    y: block.y + top,
                    width: code.width,
                    height: bottom - top,
                },
                gray: code.gray,
            },
        );
    }
}

/// Puts a piece whose text is not the sources' content at this place (a
/// repeated header, a cue): its text is an artifact.
fn put_artifact(page: &mut Page, piece: &Piece, block: Rect, y: f32) {
    let from = page.items.len();
    put(page, piece, block, y);
    for item in &mut page.items[from..] {
        if let Item::Text(run) = item {
            run.tag = Tag::ARTIFACT;
        }
    }
}

/// Copies a piece's items onto the page at `y` below the text block's top.
fn put(page: &mut Page, piece: &Piece, block: Rect, y: f32) {
    let (dx, dy) = (block.x, block.y + y);
    for item in &piece.items {
        page.items.push(translate(item, dx, dy));
    }
    for link in &piece.links {
        page.links.push(LinkArea {
            rect: Rect {
                x: link.rect.x + dx,
                y: link.rect.y + dy,
                ..link.rect
            },
            ..link.clone()
        });
    }
    for (name, dest_y) in &piece.destinations {
        page.destinations.push((name.clone(), dest_y + dy));
    }
}

pub fn translate(item: &Item, dx: f32, dy: f32) -> Item {
    match item {
        Item::Text(run) => Item::Text(crate::print::page::GlyphRun {
            x: run.x + dx,
            baseline: run.baseline + dy,
            ..run.clone()
        }),
        Item::Rule {
            x1,
            y1,
            x2,
            y2,
            thickness,
            gray,
        } => Item::Rule {
            x1: x1 + dx,
            y1: y1 + dy,
            x2: x2 + dx,
            y2: y2 + dy,
            thickness: *thickness,
            gray: *gray,
        },
        Item::Fill { rect, gray } => Item::Fill {
            rect: Rect {
                x: rect.x + dx,
                y: rect.y + dy,
                ..*rect
            },
            gray: *gray,
        },
        Item::Image { rect, image, tag } => Item::Image {
            rect: Rect {
                x: rect.x + dx,
                y: rect.y + dy,
                ..*rect
            },
            image: image.clone(),
            tag: *tag,
        },
    }
}
