//! The tagged PDF's structure tree as layout builds it: the element each
//! piece of content belongs to (`Tag`), the standard element types, and a
//! builder that nests elements in document order and grafts bodies laid out
//! on their own. The PDF writer turns it into the file's structure tree.

/// The structure element (of the tagged PDF's structure tree) that content
/// belongs to: an index into `Document::structure`, or `ARTIFACT` for what
/// is not the book's content (running heads, folios, rules, leaders,
/// shading, workbook lines, a repeated table header, a line-end hyphen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag(pub u32);

impl Tag {
    pub const ARTIFACT: Tag = Tag(u32::MAX);

    pub fn is_artifact(&self) -> bool {
        *self == Tag::ARTIFACT
    }

    pub fn index(&self) -> usize {
        self.0 as usize
    }
}

/// Standard structure types of ISO 32000-1 (14.8.4), the only ones used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StructKind {
    Document,
    Part,
    Sect,
    /// `H1` … `H6`.
    H(u8),
    P,
    L,
    LI,
    Lbl,
    LBody,
    Table,
    THead,
    TBody,
    TR,
    /// A header cell, scope column.
    TH,
    TD,
    BlockQuote,
    Code,
    Figure,
    Link,
    TOC,
    TOCI,
    Index,
    /// A form field: holds the widget annotation of a fillable answer area.
    Form,
}

impl StructKind {
    /// The type's name in PDF (`/S`, and the marked-content tag).
    pub fn name(&self) -> &'static str {
        match self {
            StructKind::Document => "Document",
            StructKind::Part => "Part",
            StructKind::Sect => "Sect",
            StructKind::H(1) => "H1",
            StructKind::H(2) => "H2",
            StructKind::H(3) => "H3",
            StructKind::H(4) => "H4",
            StructKind::H(5) => "H5",
            StructKind::H(_) => "H6",
            StructKind::P => "P",
            StructKind::L => "L",
            StructKind::LI => "LI",
            StructKind::Lbl => "Lbl",
            StructKind::LBody => "LBody",
            StructKind::Table => "Table",
            StructKind::THead => "THead",
            StructKind::TBody => "TBody",
            StructKind::TR => "TR",
            StructKind::TH => "TH",
            StructKind::TD => "TD",
            StructKind::BlockQuote => "BlockQuote",
            StructKind::Code => "Code",
            StructKind::Figure => "Figure",
            StructKind::Link => "Link",
            StructKind::TOC => "TOC",
            StructKind::TOCI => "TOCI",
            StructKind::Index => "Index",
            StructKind::Form => "Form",
        }
    }
}

/// A node of the structure tree: its type, its parent (`ARTIFACT` for the
/// root), and for a figure its text alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct StructNode {
    pub kind: StructKind,
    pub parent: Tag,
    pub alt: Option<String>,
}

/// Builds a structure tree: nodes in document order, each under the node
/// open when it was made.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StructTree {
    pub nodes: Vec<StructNode>,
    /// The node new nodes go under (`ARTIFACT`: the tree's root level).
    pub open: Option<Tag>,
}

impl StructTree {
    /// A new node under the open one, left closed.
    pub fn leaf(&mut self, kind: StructKind) -> Tag {
        let tag = Tag(self.nodes.len() as u32);
        self.nodes.push(StructNode {
            kind,
            parent: self.open.unwrap_or(Tag::ARTIFACT),
            alt: None,
        });
        tag
    }

    /// A new node under the open one, which new nodes then go under.
    pub fn open(&mut self, kind: StructKind) -> Tag {
        let tag = self.leaf(kind);
        self.open = Some(tag);
        tag
    }

    /// Closes `tag`: new nodes go under its parent again.
    pub fn close(&mut self, tag: Tag) {
        let parent = self.nodes[tag.index()].parent;
        self.open = (!parent.is_artifact()).then_some(parent);
    }

    /// Appends `local` (a tree made on its own, say a body laid out once
    /// and reused) under the open node; returns the offset its tags moved by.
    pub fn graft(&mut self, local: &[StructNode]) -> u32 {
        let base = self.nodes.len() as u32;
        let container = self.open.unwrap_or(Tag::ARTIFACT);
        for node in local {
            let parent = if node.parent.is_artifact() {
                container
            } else {
                Tag(node.parent.0 + base)
            };
            self.nodes.push(StructNode {
                parent,
                ..node.clone()
            });
        }
        base
    }
}

/// Moves a grafted body's tags by `base` (artifacts stay artifacts).
pub fn shift_tag(tag: Tag, base: u32) -> Tag {
    if tag.is_artifact() {
        tag
    } else {
        Tag(tag.0 + base)
    }
}
