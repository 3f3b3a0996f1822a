//! Pagination: cuts a section's flow into pages. Pieces are placed top to
//! bottom; when one does not fit, the page ends at the last place a break is
//! allowed (which keeps headings with their text and two lines of a
//! paragraph on each side), spaces vanish at the top of a page, table rows
//! arriving at the top of a page bring their header along, and workbook
//! lines fill what is left of a page.

use std::sync::Arc;

use super::flow::{Piece, PieceKind};
use super::geometry::Geometry;
use crate::print::page::{AnswerArea, Item, LinkArea, Origin, Page, PageRole, Part, Rect, Tag};

/// Placement rounding: a piece may overhang the text block by this much.
const FIT_SLACK: f32 = 0.01;

enum Placed {
    Piece(usize, f32),
    Header(Arc<Piece>, f32),
    Fill {
        label: usize,
        gap: f32,
        lines: usize,
        y: f32,
    },
}

/// Lays out `pieces` on new pages starting at page index `first_index`.
pub fn paginate(
    pieces: &[Piece],
    geometry: &Geometry,
    first_index: usize,
    first_role: PageRole,
    role: PageRole,
) -> Vec<Page> {
    let height = geometry.height - geometry.top - geometry.bottom;
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut first_on_page = 0usize;
    let mut y = 0.0f32;
    let mut i = 0;
    while i < pieces.len() {
        let piece = &pieces[i];
        let page = pages.last_mut().expect("a page");
        let at_top = page.is_empty();
        if at_top {
            first_on_page = i;
            if matches!(piece.kind, PieceKind::Space) {
                i += 1;
                continue;
            }
            if let PieceKind::Row { header } = &piece.kind {
                page.push(Placed::Header(header.clone(), 0.0));
                y = header.height;
            }
        }
        if let PieceKind::Fill {
            label,
            gap,
            min_lines,
            reserve,
        } = &piece.kind
        {
            let room = height - y - reserve - label.height;
            if room < gap * *min_lines as f32 && !at_top {
                pages.push(Vec::new());
                y = 0.0;
                continue;
            }
            let room = height - y - reserve - label.height;
            let lines = ((room / gap).floor().max(0.0) as usize).max(1);
            page.push(Placed::Fill {
                label: i,
                gap: *gap,
                lines,
                y,
            });
            y += label.height + lines as f32 * gap;
            i += 1;
            continue;
        }
        if y + piece.height <= height + FIT_SLACK || at_top {
            page.push(Placed::Piece(i, y));
            y += piece.height;
            i += 1;
            continue;
        }
        // Does not fit: end the page at the last allowed break.
        let mut j = i;
        while j > first_on_page
            && (!pieces[j].break_before || ends_with_heading(&pieces[first_on_page..j]))
        {
            j -= 1;
        }
        if j > first_on_page {
            page.retain(|p| match p {
                Placed::Piece(k, _) | Placed::Fill { label: k, .. } => *k < j,
                Placed::Header(..) => true,
            });
            i = j;
        }
        pages.push(Vec::new());
        y = 0.0;
    }
    if pages.last().is_some_and(Vec::is_empty) && pages.len() > 1 {
        pages.pop();
    }

    pages
        .into_iter()
        .enumerate()
        .map(|(k, placed)| {
            let index = first_index + k;
            let block = geometry.text_block(index);
            let mut page = Page {
                width: geometry.width,
                height: geometry.height,
                text_block: block,
                role: if k == 0 {
                    first_role.clone()
                } else {
                    role.clone()
                },
                label: String::new(),
                items: Vec::new(),
                furniture: Vec::new(),
                links: Vec::new(),
                destinations: Vec::new(),
                starts_at: Origin::NONE,
                answer_areas: Vec::new(),
            };
            // The page starts where its first piece from the sources does
            // (a repeated table header is not where the page's text starts).
            page.starts_at = placed
                .iter()
                .find_map(|p| match p {
                    Placed::Piece(n, _) | Placed::Fill { label: n, .. } => {
                        Some(pieces[*n].origin).filter(Origin::is_set)
                    }
                    Placed::Header(..) => None,
                })
                .unwrap_or(Origin::NONE);
            for p in placed {
                match p {
                    Placed::Piece(n, y) => put(&mut page, &pieces[n], block, y),
                    Placed::Header(header, y) => {
                        // A header repeated on a continuation page is not
                        // the table's content a second time: an artifact.
                        let from = page.items.len();
                        put(&mut page, &header, block, y);
                        for item in &mut page.items[from..] {
                            if let Item::Text(run) = item {
                                run.tag = Tag::ARTIFACT;
                            }
                        }
                    }
                    Placed::Fill {
                        label,
                        gap,
                        lines,
                        y,
                    } => {
                        let PieceKind::Fill {
                            label: label_piece, ..
                        } = &pieces[label].kind
                        else {
                            continue;
                        };
                        put(&mut page, &pieces[label], block, y);
                        put(&mut page, label_piece, block, y);
                        let top = y + label_piece.height;
                        if let Part::QuestionEnd(scenario) = pieces[label].origin.part {
                            page.answer_areas.push(AnswerArea {
                                scenario,
                                rect: Rect {
                                    x: block.x,
                                    y: block.y + top,
                                    width: block.width,
                                    height: lines as f32 * gap,
                                },
                            });
                        }
                        for l in 1..=lines {
                            let ly = block.y + top + l as f32 * gap - 0.3;
                            page.items.push(Item::Rule {
                                x1: block.x,
                                y1: ly,
                                x2: block.right(),
                                y2: ly,
                                thickness: 0.4,
                                gray: 0.6,
                            });
                        }
                    }
                }
            }
            page
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::PaperSize;
    use crate::print::layout::blocks::break_allowed_before_line;

    /// A page whose text block is exactly `height` points tall.
    fn geometry(height: f32) -> Geometry {
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
