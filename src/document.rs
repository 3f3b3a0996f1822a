//! The document tree: blocks and inlines, parsed once from Markdown and shared
//! by every edition. Plain data — no I/O, no formatting decisions.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        /// 2 for `##`, 3 for `###`… (level 1 is reserved for the book's own titles).
        level: u8,
        /// Anchor unique within its document, derived from the heading text.
        anchor: String,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    CodeBlock {
        language: Option<String>,
        lines: Vec<String>,
    },
    List {
        /// `Some(n)` for an ordered list starting at `n`.
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Table(Table),
    Image {
        /// The path as the source wrote it (relative to the book folder).
        src: String,
        /// The canonical path on disk, inside the book (set by the loader).
        path: PathBuf,
        alt: String,
        /// The image's file name inside an edition, unique across the book
        /// (set by the loader).
        name: String,
    },
    Rule,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub alignments: Vec<Alignment>,
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Code(String),
    Link {
        target: LinkTarget,
        content: Vec<Inline>,
    },
    /// A line break in the source inside a paragraph: a space when typeset.
    SoftBreak,
    HardBreak,
}

/// Where a link goes, resolved by the loader so renderers never parse URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `https://…` or `mailto:…`: left to the reader's browser.
    External(String),
    /// `scenario:<id>`: the question of a scenario, by global number.
    Question(usize),
    /// `answer:<id>`: the answer of a scenario, by global number.
    Answer(usize),
    /// A front or back chapter, by its id (file stem).
    Chapter(String),
    /// As written; only seen before the loader has resolved it.
    Unresolved(String),
}

/// The plain text of inlines, for titles, anchors, bookmarks and word counts.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    append_plain_text(inlines, &mut out);
    out
}

fn append_plain_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Link { content: c, .. } => {
                append_plain_text(c, out)
            }
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
        }
    }
}

/// Counts the words a reader reads: every block's text except code blocks.
/// A word is a whitespace-separated token holding a letter or digit.
pub fn count_words(blocks: &[Block]) -> usize {
    let mut text = String::new();
    collect_prose(blocks, &mut text);
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn collect_prose(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph(content) => {
                append_plain_text(content, out);
                out.push(' ');
            }
            Block::List { items, .. } => items.iter().for_each(|item| collect_prose(item, out)),
            Block::Quote(inner) => collect_prose(inner, out),
            Block::Table(table) => {
                for cell in table.header.iter().chain(table.rows.iter().flatten()) {
                    append_plain_text(cell, out);
                    out.push(' ');
                }
            }
            Block::CodeBlock { .. } | Block::Image { .. } | Block::Rule => {}
        }
    }
}

/// Makes a kebab-case anchor from heading text: "Trade-offs" → "trade-offs".
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Visits every block in a tree, containers before their contents, mutably
/// (used to resolve figures).
pub fn for_each_block_mut(blocks: &mut [Block], f: &mut impl FnMut(&mut Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::List { items, .. } => items.iter_mut().for_each(|i| for_each_block_mut(i, f)),
            Block::Quote(inner) => for_each_block_mut(inner, f),
            _ => {}
        }
    }
}

/// Gives back the spare capacity of every vector and string in a block tree.
/// The parser grows them by doubling; a large book's tree is held for the
/// whole build, and without this a third of it is unused capacity.
pub fn shrink_to_fit(blocks: &mut Vec<Block>) {
    fn inlines(list: &mut Vec<Inline>) {
        for inline in list.iter_mut() {
            match inline {
                Inline::Text(t) | Inline::Code(t) => t.shrink_to_fit(),
                Inline::Emphasis(c) | Inline::Strong(c) => inlines(c),
                Inline::Link { content, .. } => inlines(content),
                Inline::SoftBreak | Inline::HardBreak => {}
            }
        }
        list.shrink_to_fit();
    }
    for block in blocks.iter_mut() {
        match block {
            Block::Heading { content, .. } | Block::Paragraph(content) => inlines(content),
            Block::CodeBlock { lines, .. } => {
                lines.iter_mut().for_each(String::shrink_to_fit);
                lines.shrink_to_fit();
            }
            Block::List { items, .. } => {
                items.iter_mut().for_each(shrink_to_fit);
                items.shrink_to_fit();
            }
            Block::Quote(inner) => shrink_to_fit(inner),
            Block::Table(table) => {
                table.header.iter_mut().for_each(inlines);
                for row in &mut table.rows {
                    row.iter_mut().for_each(inlines);
                    row.shrink_to_fit();
                }
                table.header.shrink_to_fit();
                table.rows.shrink_to_fit();
            }
            Block::Image { .. } | Block::Rule => {}
        }
    }
    blocks.shrink_to_fit();
}

/// Visits every inline in a block tree, mutably (used to resolve links).
pub fn for_each_inline_mut(blocks: &mut [Block], f: &mut impl FnMut(&mut Inline)) {
    fn visit_inlines(inlines: &mut [Inline], f: &mut impl FnMut(&mut Inline)) {
        for inline in inlines {
            f(inline);
            match inline {
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Link { content: c, .. } => {
                    visit_inlines(c, f)
                }
                _ => {}
            }
        }
    }
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph(content) => visit_inlines(content, f),
            Block::List { items, .. } => items.iter_mut().for_each(|i| for_each_inline_mut(i, f)),
            Block::Quote(inner) => for_each_inline_mut(inner, f),
            Block::Table(table) => {
                for cell in table
                    .header
                    .iter_mut()
                    .chain(table.rows.iter_mut().flatten())
                {
                    visit_inlines(cell, f);
                }
            }
            Block::CodeBlock { .. } | Block::Image { .. } | Block::Rule => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_kebab_case() {
        assert_eq!(
            slugify("What interviewers listen for"),
            "what-interviewers-listen-for"
        );
        assert_eq!(slugify("Trade-offs"), "trade-offs");
        assert_eq!(slugify("  C++ & Rust!  "), "c-rust");
    }

    #[test]
    fn word_count_skips_code_blocks_and_punctuation() {
        let blocks = vec![
            Block::Paragraph(vec![
                Inline::Text("Two words — ".into()),
                Inline::Code("x".into()),
            ]),
            Block::CodeBlock {
                language: None,
                lines: vec!["not counted at all".into()],
            },
        ];
        assert_eq!(count_words(&blocks), 3);
    }
}
