//! The flow: a section's content as a column of pieces (a line, a table row,
//! a code line, a space), each knowing whether a page may break before it.
//! Block layout produces flows; pagination cuts them into pages.

use std::sync::Arc;

use crate::print::page::{GlyphRun, Item, LinkArea, Origin, Tag};

#[derive(Debug, Clone)]
pub enum PieceKind {
    Content,
    /// Vertical space between blocks: dropped at the top of a page.
    Space,
    /// A table row: at the top of a new page, `header` is repeated before it.
    Row {
        header: Arc<Piece>,
    },
    /// A line (or the padding) of a code block: the block's shading is
    /// drawn once for each page's run of its lines, and a line arriving at
    /// the top of a page brings the block's "continued" cue first.
    Code {
        block: Arc<CodeBox>,
    },
    /// Workbook lines: a label, then ruled lines to the foot of the page (at
    /// least `min_lines`), leaving `reserve` points below for what follows.
    /// Where fewer fit, a verso's lines go on over the facing recto (a
    /// spread is one writing surface); elsewhere they start a fresh page.
    Fill {
        label: Box<Piece>,
        gap: f32,
        min_lines: usize,
        reserve: f32,
        /// The scenario whose answer space the lines are (for the fillable
        /// workbook's fields), if any.
        scenario: Option<u32>,
        /// The `Form` structure element the fields of these lines belong to.
        form: Tag,
    },
}

/// What a code block's pieces share: its shading's left edge, width and
/// gray, and the cue set at the head of a page the block continues on.
#[derive(Debug, Clone)]
pub struct CodeBox {
    pub x: f32,
    pub width: f32,
    pub gray: f32,
    pub cue: Piece,
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

    /// Does the piece's text end in a hyphen (its last glyph, right-most
    /// on the line, outside code)? A page should not end on such a line.
    pub fn ends_with_hyphen(&self) -> bool {
        line_ends_with_hyphen(self.items.iter().filter_map(|i| match i {
            Item::Text(run) => Some(run),
            _ => None,
        }))
    }
}

/// Does a line of `runs` end in a hyphen: the last glyph with text of its
/// right-most run, when that run is not code (a hyphen in code is the
/// code's own)?
pub fn line_ends_with_hyphen<'a>(runs: impl Iterator<Item = &'a GlyphRun>) -> bool {
    use crate::print::fonts::FaceId;
    let last = runs.max_by(|a, b| (a.x + a.width).total_cmp(&(b.x + b.width)));
    last.is_some_and(|run| {
        run.face != FaceId::Mono
            && run
                .glyphs
                .iter()
                .rev()
                .find(|g| !g.text.is_empty())
                .is_some_and(|g| matches!(g.text.as_str(), "-" | "\u{2010}"))
    })
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
