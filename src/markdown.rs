//! Markdown → document tree. The one place that knows pulldown-cmark: it builds
//! the `Block`/`Inline` tree every edition uses, and records the source facts
//! (headings, links, images, raw HTML, with byte offsets) that checks need.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::document::{Alignment, Block, Inline, LinkTarget, Table, slugify};

/// What the parser saw, with byte offsets into the text it was given.
#[derive(Debug, Default)]
pub struct SourceFacts {
    pub headings: Vec<HeadingFact>,
    pub links: Vec<(String, Range<usize>)>,
    pub images: Vec<ImageFact>,
    pub raw_html: Vec<Range<usize>>,
    /// Text the parser decoded from something else (entities such as
    /// `&#x1;`, backslash escapes, smart punctuation), with the offset of
    /// its source: characters that reach the editions without appearing
    /// literally in the file.
    pub decoded: Vec<(String, usize)>,
}

#[derive(Debug)]
pub struct HeadingFact {
    pub level: u8,
    pub text: String,
    pub range: Range<usize>,
}

#[derive(Debug)]
pub struct ImageFact {
    pub src: String,
    /// The canonical file, once the loader has resolved `src` in the book.
    pub resolved: Option<std::path::PathBuf>,
    /// True when the image is the only thing in its paragraph, as required.
    pub stands_alone: bool,
    pub range: Range<usize>,
}

pub struct Parsed {
    pub blocks: Vec<Block>,
    pub facts: SourceFacts,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_SMART_PUNCTUATION
}

/// Parses `text`; offsets in the facts are shifted by `base` so they point into
/// the whole source file when `text` is a slice of it.
pub fn parse(text: &str, base: usize) -> Parsed {
    let mut builder = TreeBuilder::default();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        // Smart quotes and dashes are drawable by construction; skip them.
        if let Event::Text(decoded) = &event
            && text.get(range.clone()) != Some(decoded.as_ref())
            && decoded.chars().any(|c| !"‘’“”–—…".contains(c))
        {
            builder
                .facts
                .decoded
                .push((decoded.to_string(), range.start + base));
        }
        let range = range.start + base..range.end + base;
        builder.event(event, range);
    }
    builder.finish()
}

/// Unit symbols a number keeps on its line ("10 min", "3 GB", "200 ms"):
/// a symbol belongs to its number as a digit does (the SI brochure's rule:
/// a no-break space between). Units written out as words ("10 minutes")
/// are ordinary words and may break.
const UNIT_SYMBOLS: &[&str] = &[
    "ns", "µs", "ms", "s", "sec", "min", "h", "hr", "B", "KB", "kB", "MB", "GB", "TB", "PB", "KiB",
    "MiB", "GiB", "TiB", "PiB", "Kbps", "Mbps", "Gbps", "MB/s", "GB/s", "vCPU", "vCPUs", "°C", "%",
];

/// Whether the space between the words `before` and `after` must not
/// break: a number followed by a unit symbol (brackets and punctuation
/// around them are ignored: "(took 10 min.)").
pub fn ties_number_to_unit(before: &str, after: &str) -> bool {
    let number = before.trim_start_matches(['(', '[', '~', '≈', '<', '>', '+', '−', '-', '$']);
    let is_number = number.chars().next().is_some_and(|c| c.is_ascii_digit())
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '–'));
    let unit = after.trim_end_matches(['.', ',', ';', ':', ')', ']', '?', '!', '’', '”']);
    is_number && UNIT_SYMBOLS.contains(&unit)
}

/// `text` with the space between each number and its unit symbol made a
/// no-break space (U+00A0), so neither edition breaks "10 min" apart: the
/// EPUB's reading system honours the character, the PDF's breaker too.
pub fn tie_numbers_to_units(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        out.push_str(word);
        if let Some(next) = words.peek() {
            let last = word.rsplit(char::is_whitespace).next().unwrap_or(word);
            let first = next.split(char::is_whitespace).next().unwrap_or(next);
            out.push(if ties_number_to_unit(last, first) {
                '\u{a0}'
            } else {
                ' '
            });
        }
    }
    out
}

/// Typographic quotes, apostrophes, dashes and ellipses in plain text (a
/// title from YAML), by the rules the Markdown parser applies to the body
/// ("Last Week's" → "Last Week’s"), so titles and body text match.
pub fn smart_punctuation(text: &str) -> String {
    let text = text
        .replace("---", "—")
        .replace("--", "–")
        .replace("...", "…");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (k, &c) in chars.iter().enumerate() {
        let before = k.checked_sub(1).map(|j| chars[j]);
        let opens = before.is_none_or(|b| b.is_whitespace() || "([{‘“—–-/".contains(b));
        out.push(match c {
            // An apostrophe inside or after a word closes; at a word's
            // start it opens a quote, unless nothing follows it.
            '\'' if opens && chars.get(k + 1).is_some_and(|n| !n.is_whitespace()) => '‘',
            '\'' => '’',
            '"' if opens => '“',
            '"' => '”',
            other => other,
        });
    }
    out
}

/// Markdown the book does not support, which would otherwise reach the
/// editions as literal text: footnotes, task-list boxes and strikethrough.
/// Returns what each is and where it starts.
pub fn unsupported_syntax(text: &str, base: usize) -> Vec<(&'static str, usize)> {
    let extended = options()
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(text, extended)
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let what = match event {
                Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => {
                    "a footnote"
                }
                Event::TaskListMarker(_) => "a task-list box",
                Event::Start(Tag::Strikethrough) => "strikethrough",
                _ => return None,
            };
            Some((what, range.start + base))
        })
        .collect()
}

/// An open container while the tree is being built.
enum Frame {
    Paragraph(Vec<Inline>),
    Heading {
        level: u8,
        content: Vec<Inline>,
        range: Range<usize>,
    },
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    Image {
        src: String,
        alt: String,
        range: Range<usize>,
    },
    CodeBlock {
        language: Option<String>,
        text: String,
    },
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    Quote(Vec<Block>),
    Table {
        table: Table,
        in_head: bool,
    },
    Row(Vec<Vec<Inline>>),
    Cell(Vec<Inline>),
    /// Something we do not render (footnotes, HTML blocks…): its contents are dropped.
    Ignored,
}

#[derive(Default)]
struct TreeBuilder {
    stack: Vec<Frame>,
    blocks: Vec<Block>,
    facts: SourceFacts,
    used_anchors: Vec<String>,
}

impl TreeBuilder {
    fn event(&mut self, event: Event, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.push_inline(Inline::Code(code.to_string())),
            Event::SoftBreak => self.push_inline(Inline::SoftBreak),
            Event::HardBreak => self.push_inline(Inline::HardBreak),
            // An HTML block is recorded once, at its start; its lines arrive as `Html`.
            Event::InlineHtml(_) => self.facts.raw_html.push(range),
            Event::Rule => self.push_block(Block::Rule),
            // Math, footnote references and task markers are not enabled.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag, range: Range<usize>) {
        let frame = match tag {
            Tag::Paragraph => Frame::Paragraph(Vec::new()),
            Tag::Heading { level, .. } => Frame::Heading {
                level: heading_level(level),
                content: Vec::new(),
                range,
            },
            Tag::Emphasis => Frame::Emphasis(Vec::new()),
            Tag::Strong => Frame::Strong(Vec::new()),
            Tag::Link { dest_url, .. } => {
                self.facts.links.push((dest_url.to_string(), range));
                Frame::Link {
                    url: dest_url.to_string(),
                    content: Vec::new(),
                }
            }
            Tag::Image { dest_url, .. } => Frame::Image {
                src: dest_url.to_string(),
                alt: String::new(),
                range,
            },
            Tag::CodeBlock(kind) => Frame::CodeBlock {
                language: match kind {
                    CodeBlockKind::Fenced(lang) if !lang.trim().is_empty() => {
                        Some(lang.split_whitespace().next().unwrap_or("").to_string())
                    }
                    _ => None,
                },
                text: String::new(),
            },
            Tag::List(start) => Frame::List {
                start,
                items: Vec::new(),
            },
            Tag::Item => Frame::Item(Vec::new()),
            Tag::BlockQuote(_) => Frame::Quote(Vec::new()),
            Tag::Table(alignments) => Frame::Table {
                table: Table {
                    alignments: alignments.iter().map(|a| alignment(*a)).collect(),
                    header: Vec::new(),
                    rows: Vec::new(),
                },
                in_head: false,
            },
            Tag::TableHead => {
                if let Some(Frame::Table { in_head, .. }) = self.stack.last_mut() {
                    *in_head = true;
                }
                Frame::Row(Vec::new())
            }
            Tag::TableRow => Frame::Row(Vec::new()),
            Tag::TableCell => Frame::Cell(Vec::new()),
            Tag::HtmlBlock => {
                self.facts.raw_html.push(range);
                Frame::Ignored
            }
            _ => Frame::Ignored,
        };
        self.stack.push(frame);
    }

    fn end(&mut self, tag: TagEnd) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Paragraph(content) => {
                if !content.is_empty() {
                    self.push_block(Block::Paragraph(content));
                }
            }
            Frame::Heading {
                level,
                content,
                range,
            } => {
                let text = crate::document::plain_text(&content);
                let anchor = self.unique_anchor(&text);
                self.facts.headings.push(HeadingFact { level, text, range });
                self.push_block(Block::Heading {
                    level,
                    anchor,
                    content,
                });
            }
            Frame::Emphasis(c) => self.push_inline(Inline::Emphasis(c)),
            Frame::Strong(c) => self.push_inline(Inline::Strong(c)),
            Frame::Link { url, content } => self.push_inline(Inline::Link {
                target: LinkTarget::Unresolved(url),
                content,
            }),
            Frame::Image { src, alt, range } => {
                let stands_alone =
                    matches!(self.stack.last(), Some(Frame::Paragraph(c)) if c.is_empty());
                self.facts.images.push(ImageFact {
                    src: src.clone(),
                    resolved: None,
                    stands_alone,
                    range,
                });
                if stands_alone {
                    // Replace the paragraph that holds only this image with an image block.
                    self.stack.pop();
                    self.push_block(Block::Image {
                        path: src.clone().into(),
                        src,
                        alt,
                        name: String::new(),
                    });
                    self.stack.push(Frame::Paragraph(Vec::new()));
                }
            }
            Frame::CodeBlock { language, text } => {
                let lines = text
                    .trim_end_matches('\n')
                    .split('\n')
                    .map(str::to_string)
                    .collect();
                self.push_block(Block::CodeBlock { language, lines });
            }
            Frame::List { start, items } => self.push_block(Block::List { start, items }),
            Frame::Item(blocks) => {
                if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                    items.push(blocks);
                }
            }
            Frame::Quote(blocks) => self.push_block(Block::Quote(blocks)),
            Frame::Table { table, .. } => self.push_block(Block::Table(table)),
            Frame::Row(cells) => {
                if let Some(Frame::Table { table, in_head }) = self.stack.last_mut() {
                    if *in_head && matches!(tag, TagEnd::TableHead) {
                        table.header = cells;
                        *in_head = false;
                    } else {
                        table.rows.push(cells);
                    }
                }
            }
            Frame::Cell(content) => {
                if let Some(Frame::Row(cells)) = self.stack.last_mut() {
                    cells.push(content);
                }
            }
            Frame::Ignored => {}
        }
    }

    fn text(&mut self, text: &str) {
        match self.stack.last_mut() {
            Some(Frame::CodeBlock { text: buffer, .. }) => buffer.push_str(text),
            Some(Frame::Image { alt, .. }) => alt.push_str(text),
            _ => self.push_inline(Inline::Text(tie_numbers_to_units(text))),
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        match self.stack.last_mut() {
            Some(
                Frame::Paragraph(c)
                | Frame::Heading { content: c, .. }
                | Frame::Emphasis(c)
                | Frame::Strong(c)
                | Frame::Link { content: c, .. }
                | Frame::Cell(c),
            ) => {
                // Merge adjacent text so shapers and hyphenators see whole words.
                if let (Some(Inline::Text(last)), Inline::Text(new)) = (c.last_mut(), &inline) {
                    last.push_str(new);
                } else {
                    c.push(inline);
                }
            }
            Some(Frame::Image { alt, .. }) => alt.push_str(&crate::document::plain_text(&[inline])),
            // Tight list items hold inline content without a paragraph.
            Some(Frame::Item(blocks)) => match blocks.last_mut() {
                Some(Block::Paragraph(c))
                    if !matches!(inline, Inline::SoftBreak) || !c.is_empty() =>
                {
                    if let (Some(Inline::Text(last)), Inline::Text(new)) = (c.last_mut(), &inline) {
                        last.push_str(new);
                    } else {
                        c.push(inline);
                    }
                }
                _ => blocks.push(Block::Paragraph(vec![inline])),
            },
            _ => {}
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.stack.last_mut() {
            None => self.blocks.push(block),
            Some(Frame::Item(blocks) | Frame::Quote(blocks)) => {
                // A block after tight-list text closes that implicit paragraph.
                blocks.push(block);
            }
            _ => {}
        }
    }

    fn unique_anchor(&mut self, text: &str) -> String {
        let base = match slugify(text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut anchor = base.clone();
        let mut n = 2;
        while self.used_anchors.contains(&anchor) {
            anchor = format!("{base}-{n}");
            n += 1;
        }
        self.used_anchors.push(anchor.clone());
        anchor
    }

    fn finish(mut self) -> Parsed {
        crate::document::shrink_to_fit(&mut self.blocks);
        self.facts.headings.shrink_to_fit();
        self.facts.links.shrink_to_fit();
        Parsed {
            blocks: self.blocks,
            facts: self.facts,
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alignment(a: pulldown_cmark::Alignment) -> Alignment {
    match a {
        pulldown_cmark::Alignment::Right => Alignment::Right,
        pulldown_cmark::Alignment::Center => Alignment::Center,
        _ => Alignment::Left,
    }
}

/// Finds the `# Answer` heading: the first level-1 heading whose text is
/// exactly "Answer", as the parser sees it (so one inside a code block does
/// not count). Returns its byte range.
pub fn find_answer_heading(text: &str) -> Option<Range<usize>> {
    let mut in_h1: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => in_h1 = Some((range.start, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, buffer)) = in_h1.as_mut() {
                    buffer.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                if let Some((start, heading)) = in_h1.take()
                    && heading.trim() == "Answer"
                {
                    return Some(start..range.end);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_nested_lists_tables_and_code() {
        let md = "## Title\n\n- one *two*\n- three\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n```sql\nselect 1;\n```\n";
        let parsed = parse(md, 0);
        assert_eq!(parsed.blocks.len(), 4);
        assert!(
            matches!(&parsed.blocks[0], Block::Heading { level: 2, anchor, .. } if anchor == "title")
        );
        match &parsed.blocks[1] {
            Block::List { start: None, items } => {
                assert_eq!(items.len(), 2);
                assert_eq!(
                    items[0],
                    vec![Block::Paragraph(vec![
                        Inline::Text("one ".into()),
                        Inline::Emphasis(vec![Inline::Text("two".into())])
                    ])]
                );
            }
            other => panic!("expected list, got {other:?}"),
        }
        match &parsed.blocks[2] {
            Block::Table(t) => {
                assert_eq!(t.header.len(), 2);
                assert_eq!(t.rows.len(), 1);
                assert_eq!(t.alignments, vec![Alignment::Left, Alignment::Right]);
            }
            other => panic!("expected table, got {other:?}"),
        }
        assert_eq!(
            parsed.blocks[3],
            Block::CodeBlock {
                language: Some("sql".into()),
                lines: vec!["select 1;".into()]
            }
        );
    }

    #[test]
    fn records_raw_html_with_offsets() {
        let md = "Text <br> more\n\n<div>\nblock\n</div>\n";
        let parsed = parse(md, 100);
        assert_eq!(parsed.facts.raw_html.len(), 2);
        assert_eq!(parsed.facts.raw_html[0].start, 105);
    }

    #[test]
    fn entities_are_recorded_as_decoded_text() {
        let parsed = parse("a &#x1; b\n", 10);
        assert!(
            parsed
                .facts
                .decoded
                .iter()
                .any(|(t, at)| t == "\u{1}" && *at == 12)
        );
    }

    #[test]
    fn footnotes_task_lists_and_strikethrough_are_found() {
        let found = unsupported_syntax("A[^1] ~~old~~\n\n- [ ] todo\n\n[^1]: note\n", 0);
        let kinds: Vec<&str> = found.iter().map(|(k, _)| *k).collect();
        assert!(kinds.contains(&"a footnote"));
        assert!(kinds.contains(&"strikethrough"));
        assert!(kinds.contains(&"a task-list box"));
        assert_eq!(found[0].1, 1);
    }

    #[test]
    fn answer_heading_inside_code_block_does_not_count() {
        let md = "## Situation\n\n```\n# Answer\n```\n\n# Answer\n\nbody\n";
        let range = find_answer_heading(md).unwrap();
        assert_eq!(&md[range], "# Answer\n");
    }

    #[test]
    fn titles_get_the_body_s_curly_quotes_and_dashes() {
        assert_eq!(
            smart_punctuation("Last Week's Patients"),
            "Last Week’s Patients"
        );
        assert_eq!(
            smart_punctuation("The \"Done\" Flag -- 'Green' at 3..."),
            "The “Done” Flag – ‘Green’ at 3…"
        );
        assert_eq!(smart_punctuation("Airflow's"), "Airflow’s");
    }

    #[test]
    fn numbers_are_tied_to_unit_symbols_not_to_words() {
        assert!(ties_number_to_unit("10", "min"));
        assert!(ties_number_to_unit("3", "GB"));
        assert!(ties_number_to_unit("1,200", "ms."));
        assert!(ties_number_to_unit("(40", "min)"));
        assert!(!ties_number_to_unit("10", "minutes"));
        assert!(!ties_number_to_unit("about", "min"));
        assert!(!ties_number_to_unit("v2", "GB"));
        assert_eq!(
            tie_numbers_to_units("think 10 min, or 3 GB in 10 minutes"),
            "think 10\u{a0}min, or 3\u{a0}GB in 10 minutes"
        );
        let parsed = parse("It took 15 min to scan 3 TB.", 0);
        let Block::Paragraph(inlines) = &parsed.blocks[0] else {
            panic!("{:?}", parsed.blocks)
        };
        assert_eq!(
            crate::document::plain_text(inlines),
            "It took 15\u{a0}min to scan 3\u{a0}TB."
        );
    }

    #[test]
    fn duplicate_headings_get_distinct_anchors() {
        let parsed = parse("## Fix\n\n## Fix\n", 0);
        let anchors: Vec<_> = parsed
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { anchor, .. } => anchor.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(anchors, vec!["fix", "fix-2"]);
    }
}
