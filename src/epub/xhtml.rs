//! Document tree → XHTML. Escaping, inline markup, block markup, and the file
//! names every cross-reference in the EPUB is built from.

use std::fmt::Write;

use crate::document::{Alignment, Block, Inline, LinkTarget, Table};

/// Where things live inside the EPUB (relative to OEBPS/).
pub mod href {
    pub fn question_file(number: usize) -> String {
        format!("q-{number:03}.xhtml")
    }
    pub fn answer_file(number: usize) -> String {
        format!("a-{number:03}.xhtml")
    }
    pub fn question(number: usize) -> String {
        format!("{}#q-{number:03}", question_file(number))
    }
    pub fn answer(number: usize) -> String {
        format!("{}#a-{number:03}", answer_file(number))
    }
    pub fn category_file(number: usize) -> String {
        format!("part-{number:02}.xhtml")
    }
    pub fn answers_file(number: usize) -> String {
        format!("answers-{number:02}.xhtml")
    }
    pub fn chapter_file(id: &str) -> String {
        format!("ch-{id}.xhtml")
    }
    pub fn image(file_name: &str) -> String {
        format!("images/{file_name}")
    }
}

/// Escapes text for XHTML content and attribute values. Characters XML
/// forbids are dropped: `check` refuses them in the sources, so this only
/// guards the output's well-formedness against anything that slipped past.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if crate::load::is_forbidden_control(c) => {}
            _ => out.push(c),
        }
    }
    out
}

/// A URL as an attribute value: characters a URL may not hold literally
/// (spaces, quotes, angle brackets, controls, non-ASCII) are
/// percent-encoded as UTF-8, then the result is escaped. `%` is kept, so an
/// address that is already encoded is not encoded twice.
pub fn url_attribute(url: &str) -> String {
    let mut encoded = String::with_capacity(url.len());
    for c in url.chars() {
        let keep = c.is_ascii_graphic()
            && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}');
        if keep {
            encoded.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                let _ = write!(encoded, "%{byte:02X}");
            }
        }
    }
    escape(&encoded)
}

/// The XHTML id of an authored heading. Authored ids carry `h_`; the ids
/// casebook generates (`q-001`, `part-01`, `answers-01`…) never contain an
/// underscore, so a heading such as `## Q 001` cannot collide with them.
pub fn heading_id(anchor: &str) -> String {
    format!("h_{anchor}")
}

/// A complete XHTML content document.
pub fn document(language: &str, title: &str, body_type: &str, body: &str) -> String {
    let body_attr = if body_type.is_empty() {
        String::new()
    } else {
        format!(" epub:type=\"{body_type}\"")
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{language}\" xml:lang=\"{language}\">\n\
<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n\
<body{body_attr}>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// A print page's break marker: where page `label` of the print edition
/// begins (EPUB Accessibility 1.1's page-break markers, named by the label).
pub fn page_break(label: &str) -> String {
    format!(
        "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{}\" aria-label=\"{}\"></span>",
        page_id(label),
        escape(label)
    )
}

/// The id of page `label`'s marker: `page-12`, `page-xiv`.
pub fn page_id(label: &str) -> String {
    let safe: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("page-{safe}")
}

/// Page breaks that fall inside one document's blocks: (block, offset,
/// label), in page order. Blocks are numbered in document order, nested
/// ones included, exactly as the print layout numbers them; the offset is
/// the word a paragraph's page starts in, a code block's line, a table's
/// row (0 the header).
pub type Breaks = [(u32, u32, String)];

/// Walks blocks, numbering them, and hands out the breaks of each.
struct BreakCursor<'a> {
    breaks: &'a Breaks,
    next_block: u32,
    /// Breaks already written.
    written: Vec<bool>,
}

impl BreakCursor<'_> {
    /// The next block's number and its breaks (offset, label), unwritten.
    fn enter(&mut self) -> (u32, Vec<(u32, &str)>) {
        let block = self.next_block;
        self.next_block += 1;
        let mut found = Vec::new();
        for (k, (b, offset, label)) in self.breaks.iter().enumerate() {
            if *b == block && !self.written[k] {
                self.written[k] = true;
                found.push((*offset, label.as_str()));
            }
        }
        found.sort_by_key(|(offset, _)| *offset);
        (block, found)
    }
}

pub fn inlines(content: &[Inline]) -> String {
    let mut out = String::new();
    write_inlines(content, &mut WordMarks::none(), &mut out);
    out
}

/// Page-break markers to place before words of a paragraph: counts words
/// (runs of text between spaces, tabs and line breaks, across inline
/// elements) as the print layout does.
struct WordMarks<'a> {
    /// (word, label), ascending by word.
    marks: Vec<(u32, &'a str)>,
    next: usize,
    word: u32,
    in_word: bool,
}

impl<'a> WordMarks<'a> {
    fn none() -> WordMarks<'a> {
        WordMarks::new(Vec::new())
    }

    fn new(marks: Vec<(u32, &'a str)>) -> WordMarks<'a> {
        WordMarks {
            marks,
            next: 0,
            word: 0,
            in_word: false,
        }
    }

    /// Writes `text`, escaped, with the markers of the words it starts.
    fn text(&mut self, text: &str, out: &mut String) {
        if self.next >= self.marks.len() {
            for c in text.chars() {
                self.step(c);
            }
            out.push_str(&escape(text));
            return;
        }
        let mut from = 0;
        for (i, c) in text.char_indices() {
            let starts_word = !matches!(c, ' ' | '\n' | '\t') && !self.in_word;
            if starts_word && self.marks_due(self.word) {
                out.push_str(&escape(&text[from..i]));
                from = i;
                self.write_due(self.word, out);
            }
            self.step(c);
        }
        out.push_str(&escape(&text[from..]));
    }

    fn step(&mut self, c: char) {
        if matches!(c, ' ' | '\n' | '\t') {
            self.in_word = false;
        } else if !self.in_word {
            self.in_word = true;
            self.word += 1;
        }
    }

    fn marks_due(&self, word: u32) -> bool {
        self.marks.get(self.next).is_some_and(|(w, _)| *w <= word)
    }

    fn write_due(&mut self, word: u32, out: &mut String) {
        while let Some((w, label)) = self.marks.get(self.next) {
            if *w > word {
                break;
            }
            out.push_str(&page_break(label));
            self.next += 1;
        }
    }

    /// Markers past the last word (the print paragraph had more words
    /// than this one counts): written at the end, so no page is lost.
    fn finish(&mut self, out: &mut String) {
        self.write_due(u32::MAX, out);
    }
}

fn write_inlines(content: &[Inline], marks: &mut WordMarks, out: &mut String) {
    for inline in content {
        match inline {
            Inline::Text(t) => marks.text(t, out),
            Inline::Emphasis(c) => {
                out.push_str("<em>");
                write_inlines(c, marks, out);
                out.push_str("</em>");
            }
            Inline::Strong(c) => {
                out.push_str("<strong>");
                write_inlines(c, marks, out);
                out.push_str("</strong>");
            }
            Inline::Code(code) => {
                out.push_str("<code>");
                marks.text(code, out);
                out.push_str("</code>");
            }
            Inline::Link { target, content } => match link_href(target) {
                Some(href) => {
                    let _ = write!(out, "<a href=\"{}\">", url_attribute(&href));
                    write_inlines(content, marks, out);
                    out.push_str("</a>");
                }
                None => write_inlines(content, marks, out),
            },
            Inline::SoftBreak => {
                marks.step(' ');
                out.push('\n');
            }
            Inline::HardBreak => {
                marks.step('\n');
                out.push_str("<br/>\n");
            }
        }
    }
}

fn link_href(target: &LinkTarget) -> Option<String> {
    match target {
        LinkTarget::External(url) => Some(url.clone()),
        LinkTarget::Question(n) => Some(href::question(*n)),
        LinkTarget::Answer(n) => Some(href::answer(*n)),
        LinkTarget::Chapter(id) => Some(href::chapter_file(id)),
        LinkTarget::Unresolved(_) => None,
    }
}

/// Renders blocks. `heading_shift` moves source heading levels so that a
/// document's outline stays in order under its own `<h1>`.
pub fn blocks(content: &[Block], heading_shift: i8) -> String {
    blocks_with_breaks(content, heading_shift, &[])
}

/// Renders blocks with the print edition's page-break markers in them.
/// A break whose block this body does not have is written at its end.
pub fn blocks_with_breaks(content: &[Block], heading_shift: i8, breaks: &Breaks) -> String {
    let mut out = String::new();
    let mut cursor = BreakCursor {
        breaks,
        next_block: 0,
        written: vec![false; breaks.len()],
    };
    write_blocks(content, heading_shift, &mut cursor, &mut out);
    for (k, (_, _, label)) in breaks.iter().enumerate() {
        if !cursor.written[k] {
            out.push_str(&page_break(label));
            out.push('\n');
        }
    }
    out
}

/// Inline content of one block, with the markers of the words they start.
fn marked_inlines(content: &[Inline], marks: Vec<(u32, &str)>) -> String {
    let mut out = String::new();
    let mut marks = WordMarks::new(marks);
    write_inlines(content, &mut marks, &mut out);
    marks.finish(&mut out);
    out
}

fn write_blocks(content: &[Block], shift: i8, cursor: &mut BreakCursor, out: &mut String) {
    // A table is named by the heading it stands under (Markdown tables have
    // no captions), so a screen reader announces "Trade-offs, table".
    let mut section_heading: Option<String> = None;
    for block in content {
        let (_, marks) = cursor.enter();
        match block {
            Block::Heading {
                level,
                anchor,
                content,
            } => {
                section_heading = Some(heading_id(anchor));
                let level = (*level as i8 + shift).clamp(2, 6);
                let _ = writeln!(
                    out,
                    "<h{level} id=\"{}\">{}</h{level}>",
                    heading_id(anchor),
                    marked_inlines(content, marks)
                );
            }
            Block::Paragraph(content) => {
                let _ = writeln!(out, "<p>{}</p>", marked_inlines(content, marks));
            }
            Block::CodeBlock { language, lines } => {
                let class = language
                    .as_deref()
                    .map(|l| format!(" class=\"language-{}\"", escape(l)))
                    .unwrap_or_default();
                // Each line ends in its own line feed, inside its span: the
                // text still reads as lines without the stylesheet, and an
                // empty line keeps its height.
                out.push_str(&format!("<pre><code{class}>"));
                let mut marks = marks.into_iter().peekable();
                for (k, line) in lines.iter().enumerate() {
                    while let Some((_, label)) = marks.next_if(|(l, _)| *l as usize <= k) {
                        out.push_str(&page_break(label));
                    }
                    let end = if k + 1 < lines.len() { "\n" } else { "" };
                    let _ = write!(out, "<span class=\"line\">{}{end}</span>", escape(line));
                }
                for (_, label) in marks {
                    out.push_str(&page_break(label));
                }
                out.push_str("</code></pre>\n");
            }
            Block::List { start, items } => {
                let (open, close) = match start {
                    Some(1) => ("<ol>".to_string(), "</ol>"),
                    Some(n) => (format!("<ol start=\"{n}\">"), "</ol>"),
                    None => ("<ul>".to_string(), "</ul>"),
                };
                // A break at the list itself (none is expected: its text is
                // in its items) goes before it.
                for (_, label) in marks {
                    out.push_str(&page_break(label));
                }
                out.push_str(&open);
                out.push('\n');
                for item in items {
                    out.push_str("<li>");
                    // A single paragraph item reads better without the <p> margin.
                    match item.as_slice() {
                        [Block::Paragraph(c)] => {
                            let (_, marks) = cursor.enter();
                            out.push_str(&marked_inlines(c, marks));
                        }
                        _ => write_blocks(item, shift, cursor, out),
                    }
                    out.push_str("</li>\n");
                }
                out.push_str(close);
                out.push('\n');
            }
            Block::Quote(inner) => {
                for (_, label) in marks {
                    out.push_str(&page_break(label));
                }
                out.push_str("<blockquote>\n");
                write_blocks(inner, shift, cursor, out);
                out.push_str("</blockquote>\n");
            }
            Block::Table(table) => write_table(table, section_heading.as_deref(), marks, out),
            Block::Image { name, alt, .. } => {
                for (_, label) in marks {
                    out.push_str(&page_break(label));
                }
                let _ = writeln!(
                    out,
                    "<figure><img src=\"{}\" alt=\"{}\"/></figure>",
                    escape(&href::image(name)),
                    escape(alt)
                );
            }
            Block::Rule => {
                for (_, label) in marks {
                    out.push_str(&page_break(label));
                }
                out.push_str("<hr/>\n");
            }
        }
    }
}

/// A table; a page break at row r (0 the header) opens that row's first cell.
fn write_table(
    table: &Table,
    labelled_by: Option<&str>,
    marks: Vec<(u32, &str)>,
    out: &mut String,
) {
    let mut marks = marks.into_iter().peekable();
    let mut breaks_at = |row: usize| -> String {
        let mut s = String::new();
        while let Some((_, label)) = marks.next_if(|(r, _)| *r as usize <= row) {
            s.push_str(&page_break(label));
        }
        s
    };
    let align = |i: usize| match table.alignments.get(i) {
        Some(Alignment::Right) => " class=\"right\"",
        Some(Alignment::Center) => " class=\"center\"",
        _ => "",
    };
    match labelled_by {
        Some(id) => {
            let _ = write!(
                out,
                "<div class=\"table-wrap\"><table aria-labelledby=\"{id}\">\n<thead><tr>"
            );
        }
        None => out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>"),
    }
    for (i, cell) in table.header.iter().enumerate() {
        let first = if i == 0 { breaks_at(0) } else { String::new() };
        let _ = write!(
            out,
            "<th scope=\"col\"{}>{first}{}</th>",
            align(i),
            inlines(cell)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (r, row) in table.rows.iter().enumerate() {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let first = if i == 0 {
                breaks_at(r + 1)
            } else {
                String::new()
            };
            let _ = write!(out, "<td{}>{first}{}</td>", align(i), inlines(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    let rest = breaks_at(usize::MAX);
    if !rest.is_empty() {
        let _ = writeln!(out, "{rest}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }

    #[test]
    fn links_to_questions_and_answers_use_their_anchors() {
        let content = vec![Inline::Link {
            target: LinkTarget::Answer(7),
            content: vec![Inline::Text("see".into())],
        }];
        assert_eq!(inlines(&content), "<a href=\"a-007.xhtml#a-007\">see</a>");
    }

    #[test]
    fn headings_shift_but_never_reach_h1() {
        let h = vec![Block::Heading {
            level: 2,
            anchor: "x".into(),
            content: vec![Inline::Text("X".into())],
        }];
        assert_eq!(blocks(&h, 0), "<h2 id=\"h_x\">X</h2>\n");
        assert_eq!(blocks(&h, -1), "<h2 id=\"h_x\">X</h2>\n");
    }

    #[test]
    fn forbidden_characters_are_dropped_and_urls_encoded() {
        assert_eq!(escape("a\u{1}b\u{7F}c"), "abc");
        assert_eq!(
            url_attribute("https://example.com/a b\"<c>?q=é&x=1%20"),
            "https://example.com/a%20b%22%3Cc%3E?q=%C3%A9&amp;x=1%20"
        );
    }

    #[test]
    fn a_table_is_named_by_the_heading_above_it() {
        let cell = |t: &str| vec![Inline::Text(t.into())];
        let blocks = vec![
            Block::Heading {
                level: 2,
                anchor: "trade-offs".into(),
                content: cell("Trade-offs"),
            },
            Block::Table(Table {
                alignments: vec![Alignment::Left, Alignment::Right],
                header: vec![cell("Option"), cell("Cost")],
                rows: vec![vec![cell("A"), cell("3")]],
            }),
        ];
        let html = super::blocks(&blocks, 0);
        assert!(
            html.contains("<table aria-labelledby=\"h_trade-offs\">"),
            "{html}"
        );
        assert!(html.contains("<td class=\"right\">3</td>"), "{html}");
    }

    #[test]
    fn generated_ids_cannot_be_heading_ids() {
        for generated in [
            href::question(1),
            href::answer(1),
            href::category_file(1),
            href::answers_file(1),
        ] {
            let id = generated
                .rsplit('#')
                .next()
                .unwrap()
                .trim_end_matches(".xhtml");
            assert!(!id.contains('_'), "{id}");
        }
        assert!(heading_id(&crate::document::slugify("Q 001")).contains('_'));
    }
}
