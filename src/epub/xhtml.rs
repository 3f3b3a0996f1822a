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

pub fn inlines(content: &[Inline]) -> String {
    let mut out = String::new();
    write_inlines(content, &mut out);
    out
}

fn write_inlines(content: &[Inline], out: &mut String) {
    for inline in content {
        match inline {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Emphasis(c) => {
                out.push_str("<em>");
                write_inlines(c, out);
                out.push_str("</em>");
            }
            Inline::Strong(c) => {
                out.push_str("<strong>");
                write_inlines(c, out);
                out.push_str("</strong>");
            }
            Inline::Code(code) => {
                let _ = write!(out, "<code>{}</code>", escape(code));
            }
            Inline::Link { target, content } => match link_href(target) {
                Some(href) => {
                    let _ = write!(out, "<a href=\"{}\">", url_attribute(&href));
                    write_inlines(content, out);
                    out.push_str("</a>");
                }
                None => write_inlines(content, out),
            },
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak => out.push_str("<br/>\n"),
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
    let mut out = String::new();
    write_blocks(content, heading_shift, &mut out);
    out
}

fn write_blocks(content: &[Block], shift: i8, out: &mut String) {
    // A table is named by the heading it stands under (Markdown tables have
    // no captions), so a screen reader announces "Trade-offs, table".
    let mut section_heading: Option<String> = None;
    for block in content {
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
                    inlines(content)
                );
            }
            Block::Paragraph(content) => {
                let _ = writeln!(out, "<p>{}</p>", inlines(content));
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
                for (k, line) in lines.iter().enumerate() {
                    let end = if k + 1 < lines.len() { "\n" } else { "" };
                    let _ = write!(out, "<span class=\"line\">{}{end}</span>", escape(line));
                }
                out.push_str("</code></pre>\n");
            }
            Block::List { start, items } => {
                let (open, close) = match start {
                    Some(1) => ("<ol>".to_string(), "</ol>"),
                    Some(n) => (format!("<ol start=\"{n}\">"), "</ol>"),
                    None => ("<ul>".to_string(), "</ul>"),
                };
                out.push_str(&open);
                out.push('\n');
                for item in items {
                    out.push_str("<li>");
                    // A single paragraph item reads better without the <p> margin.
                    match item.as_slice() {
                        [Block::Paragraph(c)] => out.push_str(&inlines(c)),
                        _ => write_blocks(item, shift, out),
                    }
                    out.push_str("</li>\n");
                }
                out.push_str(close);
                out.push('\n');
            }
            Block::Quote(inner) => {
                out.push_str("<blockquote>\n");
                write_blocks(inner, shift, out);
                out.push_str("</blockquote>\n");
            }
            Block::Table(table) => write_table(table, section_heading.as_deref(), out),
            Block::Image { name, alt, .. } => {
                let _ = writeln!(
                    out,
                    "<figure><img src=\"{}\" alt=\"{}\"/></figure>",
                    escape(&href::image(name)),
                    escape(alt)
                );
            }
            Block::Rule => out.push_str("<hr/>\n"),
        }
    }
}

fn write_table(table: &Table, labelled_by: Option<&str>, out: &mut String) {
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
        let _ = write!(out, "<th scope=\"col\"{}>{}</th>", align(i), inlines(cell));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", align(i), inlines(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
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
