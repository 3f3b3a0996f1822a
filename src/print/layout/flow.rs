//! The flow: a section's content as a column of pieces (a line, a table row,
//! a code line, a space), each knowing whether a page may break before it.
//! Block layout produces flows; pagination cuts them into pages.

use std::sync::Arc;

use crate::print::page::{Item, LinkArea, Origin};

#[derive(Debug, Clone)]
pub enum PieceKind {
    Content,
    /// Vertical space between blocks: dropped at the top of a page.
    Space,
    /// A table row: at the top of a new page, `header` is repeated before it.
    Row {
        header: Arc<Piece>,
    },
    /// Workbook lines: a label, then ruled lines to the end of the page (at
    /// least `min_lines`, else a fresh page of them), leaving `reserve` points
    /// below for what follows.
    Fill {
        label: Box<Piece>,
        gap: f32,
        min_lines: usize,
        reserve: f32,
    },
}

/// One unbreakable slice of a flow. Items have x from the text block's left
/// edge and y from the piece's top.
#[derive(Debug, Clone)]
pub struct Piece {
    pub height: f32,
    pub items: Vec<Item>,
    pub links: Vec<LinkArea>,
    pub destinations: Vec<(String, f32)>,
    /// May a page break fall right before this piece?
    pub break_before: bool,
    /// Is this a heading (for the "no heading last on a page" check)?
    pub heading: bool,
    pub kind: PieceKind,
    /// Where in the sources the piece comes from (for the EPUB's page list).
    pub origin: Origin,
}

impl Piece {
    pub fn content(height: f32) -> Piece {
        Piece {
            height,
            items: Vec::new(),
            links: Vec::new(),
            destinations: Vec::new(),
            break_before: true,
            heading: false,
            kind: PieceKind::Content,
            origin: Origin::NONE,
        }
    }

    /// The baseline of the piece's first line of text, if it has one.
    pub fn first_baseline(&self) -> Option<f32> {
        self.items.iter().find_map(|i| match i {
            Item::Text(run) => Some(run.baseline),
            _ => None,
        })
    }

    pub fn space(height: f32) -> Piece {
        Piece {
            kind: PieceKind::Space,
            ..Piece::content(height)
        }
    }
}

/// Builds a flow, enforcing keep-with-next: after a heading, no break may
/// fall until `keep_lines` content pieces have followed it.
#[derive(Debug, Default)]
pub struct Flow {
    pub pieces: Vec<Piece>,
    keep: usize,
}

impl Flow {
    pub fn push(&mut self, mut piece: Piece) {
        if self.keep > 0 {
            piece.break_before = false;
            if !matches!(piece.kind, PieceKind::Space) {
                self.keep -= 1;
            }
        }
        self.pieces.push(piece);
    }

    /// The next `lines` content pieces stay on the page of what came before.
    pub fn keep_with_next(&mut self, lines: usize) {
        self.keep = self.keep.max(lines);
    }

    /// Vertical space, unless the flow is empty or already ends in space.
    pub fn space(&mut self, height: f32) {
        match self.pieces.last_mut() {
            None => {}
            Some(last) if matches!(last.kind, PieceKind::Space) => {
                last.height = last.height.max(height)
            }
            Some(_) => self.push(Piece::space(height)),
        }
    }

    pub fn extend(&mut self, pieces: Vec<Piece>) {
        for p in pieces {
            self.push(p);
        }
    }
}
