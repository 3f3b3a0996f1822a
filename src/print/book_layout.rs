//! The book's structure in print: cover, title page, copyright, contents
//! (dotted leaders, real page numbers), front matter, and for each category
//! an opener on a right-hand page, one page-starting question per scenario
//! (with workbook lines and "Answer on page N"), the category's answers
//! ("Question on page M"), then the topic index. Also running heads, folios,
//! page labels and the outline. Page numbers come from the previous pass
//! (`numbers`); `render_pdf` repeats until they settle.

use std::collections::HashMap;
use std::sync::Arc;

use super::PrintOptions;
use super::fonts::FaceId;
use super::hyphenate::Hyphenation;
use super::layout::blocks::{Layouter, load_image, placed};
use super::layout::flow::{Flow, Piece, PieceKind};
use super::layout::geometry::Geometry;
use super::layout::inline::{self, Align, Family, Span, TextStyle};
use super::layout::paginate::paginate;
use super::page::*;
use super::shape::Shaper;
use crate::document::Block;
use crate::model::{Book, Scenario};

/// Workbook lines are as far apart as a ruled notebook's (about 1/4 inch).
const WORKBOOK_GAP_PT: f32 = 18.0;
/// Fewer lines than this are no room to write: start a fresh page of them.
const WORKBOOK_MIN_LINES: usize = 8;
/// Dotted leaders: one dot every this many points, on a grid shared by all lines.
const LEADER_SPACING: f32 = 4.5;
/// Room kept at the right of contents entries for the page number.
const PAGE_NUMBER_BOX: f32 = 28.0;
/// Second lines of a long contents entry are indented by this much.
const CONTENTS_HANG: f32 = 12.0;

/// How a section starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    NewPage,
    RightPage,
}

pub struct BookLayout<'a> {
    book: &'a Book,
    options: &'a PrintOptions,
    pub geometry: Geometry,
    shaper: &'a mut Shaper,
    hyphenation: &'a Hyphenation,
    /// Scenario and chapter bodies laid out in an earlier pass: they hold no
    /// page numbers, so later passes reuse them instead of setting them again.
    flows: &'a mut HashMap<String, Vec<Piece>>,
    numbers: &'a HashMap<String, String>,
    pages: Vec<Page>,
    /// Index of the first body page (page "1").
    body_start: Option<usize>,
    front_start: usize,
}

/// Lays out the whole book, with page numbers for references from `numbers`.
/// The shaper and hyphenation caches are passed in so later passes reuse them.
pub fn layout_book(
    book: &Book,
    options: &PrintOptions,
    numbers: &HashMap<String, String>,
    shaper: &mut Shaper,
    hyphenation: &Hyphenation,
    flows: &mut HashMap<String, Vec<Piece>>,
) -> Document {
    let mut layout = BookLayout {
        book,
        options,
        geometry: Geometry::for_paper(options.paper),
        shaper,
        hyphenation,
        flows,
        numbers,
        pages: Vec::new(),
        body_start: None,
        front_start: 0,
    };
    layout.build()
}

impl BookLayout<'_> {
    /// Lays out `blocks` into `flow`, or reuses the pieces of an earlier pass.
    fn cached_blocks(&mut self, key: String, blocks: &[Block], flow: &mut Flow) {
        flow.space(self.geometry.leading);
        if let Some(pieces) = self.flows.get(&key) {
            flow.extend(pieces.clone());
            return;
        }
        let mut inner = Flow::default();
        let width = self.geometry.measure();
        self.layouter().blocks(blocks, 0.0, width, &mut inner);
        self.flows.insert(key, inner.pieces.clone());
        flow.extend(inner.pieces);
    }

    fn layouter(&mut self) -> Layouter<'_> {
        Layouter {
            geometry: self.geometry,
            shaper: self.shaper,
            hyphenation: self.hyphenation,
        }
    }

    fn style(
        &self,
        family: Family,
        size: f32,
        bold: bool,
        italic: bool,
        align: Align,
    ) -> TextStyle {
        TextStyle {
            family,
            size,
            leading: size * 1.3,
            bold,
            italic,
            gray: 0.0,
            align,
            hyphenate: false,
        }
    }

    fn number(&self, destination: &str) -> String {
        self.numbers
            .get(destination)
            .cloned()
            .unwrap_or_else(|| "0".into())
    }

    /// Adds a section: its flow paginated on new pages.
    fn section(&mut self, flow: Flow, start: Start, first_role: PageRole, role: PageRole) {
        if start == Start::RightPage && !Page::is_right_hand(self.pages.len()) {
            let blank = self.blank_page(PageRole::Blank);
            self.pages.push(blank);
        }
        let pages = paginate(
            &flow.pieces,
            &self.geometry,
            self.pages.len(),
            first_role,
            role,
        );
        self.pages.extend(pages);
    }

    fn blank_page(&self, role: PageRole) -> Page {
        Page {
            width: self.geometry.width,
            height: self.geometry.height,
            text_block: self.geometry.text_block(self.pages.len()),
            role,
            label: String::new(),
            items: Vec::new(),
            furniture: Vec::new(),
            links: Vec::new(),
            destinations: Vec::new(),
        }
    }

    fn text(&mut self, text: &str, style: TextStyle) -> Vec<Piece> {
        let width = self.geometry.measure();
        let spans = inline::plain_spans(text, &style);
        self.layouter().paragraph(&spans, &style, 0.0, width)
    }

    fn build(&mut self) -> Document {
        let book = self.book;
        self.cover();
        self.front_start = self.pages.len();
        self.title_page();
        self.copyright_page();
        self.contents();
        for chapter in &book.front {
            let mut flow = Flow::default();
            let mut title = self.chapter_title(&chapter.title);
            title[0]
                .destinations
                .push((format!("chapter-{}", chapter.id), 0.0));
            flow.extend(title);
            flow.keep_with_next(2);
            self.cached_blocks(
                format!("chapter-{}", chapter.id),
                &chapter.blocks,
                &mut flow,
            );
            let head = PageRole::Running {
                right_head: chapter.title.clone(),
            };
            self.section(flow, Start::RightPage, PageRole::Opening, head);
        }
        for category in &book.categories {
            self.category(category);
        }
        for chapter in &book.back {
            let mut flow = Flow::default();
            let mut title = self.chapter_title(&chapter.title);
            title[0]
                .destinations
                .push((format!("chapter-{}", chapter.id), 0.0));
            flow.extend(title);
            self.cached_blocks(
                format!("chapter-{}", chapter.id),
                &chapter.blocks,
                &mut flow,
            );
            let head = PageRole::Running {
                right_head: chapter.title.clone(),
            };
            self.section(flow, Start::RightPage, PageRole::Opening, head);
        }
        self.index();
        self.furniture();
        Document {
            pages: std::mem::take(&mut self.pages),
            outline: self.outline(),
            label_ranges: self.label_ranges(),
            info: self.info(),
        }
    }

    fn cover(&mut self) {
        let Some(image) = load_image(&self.book.meta.cover) else {
            return;
        };
        let mut page = self.blank_page(PageRole::Cover);
        let (w, h) = (self.geometry.width, self.geometry.height);
        // Full bleed: scale to cover the page, cropping what overhangs.
        let scale = (w / image.width as f32).max(h / image.height as f32);
        let (iw, ih) = (image.width as f32 * scale, image.height as f32 * scale);
        page.items.push(Item::Image {
            rect: Rect {
                x: (w - iw) / 2.0,
                y: (h - ih) / 2.0,
                width: iw,
                height: ih,
            },
            image: Arc::new(image),
        });
        page.destinations.push(("cover".into(), 0.0));
        self.pages.push(page);
        // The inside of the cover, so the title page is a right-hand page.
        let blank = self.blank_page(PageRole::Cover);
        self.pages.push(blank);
    }

    fn title_page(&mut self) {
        let g = self.geometry;
        let meta = &self.book.meta;
        let mut flow = Flow::default();
        flow.push(Piece::space(g.height * 0.18));
        let title = self.text(
            &meta.title,
            self.style(Family::Sans, g.body * 2.6, true, false, Align::Left),
        );
        flow.extend(title);
        if let Some(subtitle) = &meta.subtitle {
            flow.push(Piece::space(g.leading * 0.6));
            let s = self.text(
                subtitle,
                self.style(Family::Sans, g.body * 1.5, false, false, Align::Left),
            );
            flow.extend(s);
        }
        let mut rule = Piece::content(g.leading * 2.0);
        rule.items.push(Item::Rule {
            x1: 0.0,
            y1: g.leading,
            x2: g.measure() * 0.3,
            y2: g.leading,
            thickness: 1.2,
            gray: 0.0,
        });
        flow.push(rule);
        let authors = meta.authors.join(", ");
        let a = self.text(
            &authors,
            self.style(Family::Serif, g.body * 1.25, false, true, Align::Left),
        );
        flow.extend(a);
        if let Some(publisher) = &meta.publisher {
            flow.push(Piece::space(g.height * 0.25));
            let p = self.text(
                publisher,
                self.style(Family::Sans, g.body, false, false, Align::Left),
            );
            flow.extend(p);
        }
        if let Some(first) = flow.pieces.first_mut() {
            first.destinations.push(("title".into(), 0.0));
        }
        self.section(flow, Start::RightPage, PageRole::Plain, PageRole::Plain);
    }

    fn copyright_page(&mut self) {
        let g = self.geometry;
        let meta = &self.book.meta;
        let small = self.style(Family::Serif, g.body * 0.85, false, false, Align::Left);
        let mut flow = Flow::default();
        flow.push(Piece::space(g.height * 0.45));
        let mut lines = vec![meta.title.clone()];
        if let Some(subtitle) = &meta.subtitle {
            lines[0] = format!("{}: {subtitle}", meta.title);
        }
        lines.push(meta.rights.clone());
        if let Some(publisher) = &meta.publisher {
            lines.push(format!("Published by {publisher}, {}.", meta.date));
        } else {
            lines.push(format!("Edition of {}.", meta.date));
        }
        lines.push(format!("Identifier: {}", meta.identifier));
        lines.push("Set in Noto Serif, Noto Sans and JetBrains Mono; typeset by casebook.".into());
        for line in lines {
            let pieces = self.text(&line, small);
            flow.extend(pieces);
            flow.push(Piece::space(g.leading * 0.5));
        }
        self.section(flow, Start::NewPage, PageRole::Plain, PageRole::Plain);
    }

    fn chapter_title(&mut self, title: &str) -> Vec<Piece> {
        let g = self.geometry;
        let style = self.layouter().heading_style(1);
        let mut pieces = vec![Piece::space(g.leading * 2.0)];
        let mut t = self.text(title, style);
        for p in &mut t {
            p.heading = true;
            p.break_before = false;
        }
        pieces.extend(t);
        pieces.push(Piece::space(g.leading));
        // The destination sits on the first real piece.
        pieces.retain(|p| !matches!(p.kind, PieceKind::Space) || p.height > 0.0);
        let first = pieces
            .iter()
            .position(|p| !matches!(p.kind, PieceKind::Space))
            .unwrap_or(0);
        pieces.drain(..first);
        pieces
    }

    /// One contents (or index-like) entry: title, dotted leader, page number, all one link.
    fn leader_entry(
        &mut self,
        title: &str,
        indent: f32,
        bold: bool,
        destination: &str,
    ) -> Vec<Piece> {
        let g = self.geometry;
        let style = self.style(Family::Serif, g.body, bold, false, Align::Left);
        let width = g.measure() - indent - PAGE_NUMBER_BOX - CONTENTS_HANG;
        let spans = inline::plain_spans(title, &style);
        let lines = self.layouter().lines(&spans, &style, width);
        let mut pieces = self.layouter().line_pieces(lines, indent);
        let number = self.number(destination);
        let face = if bold {
            FaceId::SerifBold
        } else {
            FaceId::Serif
        };
        let count = pieces.len();
        for (k, piece) in pieces.iter_mut().enumerate() {
            piece.break_before = k == 0;
            if k > 0 {
                // Continuation lines hang under the entry's first word.
                for item in &mut piece.items {
                    if let Item::Text(r) = item {
                        r.x += CONTENTS_HANG;
                    }
                }
            }
            piece.links.clear();
            piece.links.push(LinkArea {
                rect: Rect {
                    x: indent,
                    y: 0.0,
                    width: g.measure() - indent,
                    height: piece.height,
                },
                target: LinkTarget::Internal(destination.to_string()),
            });
            if k + 1 < count {
                continue;
            }
            let end = piece
                .items
                .iter()
                .filter_map(|i| {
                    if let Item::Text(r) = i {
                        Some(r.x + r.width)
                    } else {
                        None
                    }
                })
                .fold(indent, f32::max);
            let baseline = piece
                .items
                .iter()
                .find_map(|i| {
                    if let Item::Text(r) = i {
                        Some(r.baseline)
                    } else {
                        None
                    }
                })
                .unwrap_or(g.body);
            let runs = self.shaper.shape(&number, face, g.body);
            let number_width: f32 = runs.iter().map(|r| r.width()).sum();
            let mut x = g.measure() - number_width;
            // Leader dots on a fixed grid, clear of the title and the number.
            let dot = self.shaper.shape(".", FaceId::Serif, g.body);
            if let Some(dot_glyph) = dot.first().and_then(|r| r.glyphs.first()).copied() {
                let first = ((end + LEADER_SPACING) / LEADER_SPACING).ceil() as i32;
                let last = ((x - LEADER_SPACING) / LEADER_SPACING).floor() as i32;
                if last >= first {
                    let x0 = first as f32 * LEADER_SPACING;
                    let glyphs: Vec<PlacedGlyph> = (first..=last)
                        .map(|d| PlacedGlyph {
                            gid: dot_glyph.gid,
                            x: d as f32 * LEADER_SPACING - x0,
                            text: ".".into(),
                        })
                        .collect();
                    piece.items.push(Item::Text(GlyphRun {
                        face: FaceId::Serif,
                        size: g.body,
                        x: x0,
                        baseline,
                        width: (last - first) as f32 * LEADER_SPACING + dot_glyph.advance,
                        gray: 0.45,
                        glyphs,
                    }));
                }
            }
            for run in runs {
                let w = run.width();
                piece.items.push(Item::Text(GlyphRun {
                    face: run.face,
                    size: run.size,
                    x,
                    baseline,
                    width: w,
                    gray: 0.0,
                    glyphs: placed(&run.glyphs, &run.text),
                }));
                x += w;
            }
        }
        pieces
    }

    fn contents(&mut self) {
        let g = self.geometry;
        let book = self.book;
        let mut flow = Flow::default();
        let mut title = self.chapter_title("Contents");
        title[0].destinations.push(("contents".into(), 0.0));
        flow.extend(title);
        flow.keep_with_next(2);
        for chapter in &book.front {
            let e = self.leader_entry(
                &chapter.title,
                0.0,
                false,
                &format!("chapter-{}", chapter.id),
            );
            flow.extend(e);
        }
        let indent = g.body * 1.5;
        for category in &book.categories {
            flow.space(g.leading * 0.6);
            let title = format!("{}. {}", category.number, category.title);
            let e = self.leader_entry(&title, 0.0, true, &format!("category-{}", category.id));
            flow.extend(e);
            flow.keep_with_next(2);
            for scenario in &category.scenarios {
                let e = self.leader_entry(
                    &scenario.heading(),
                    indent,
                    false,
                    &format!("question-{}", scenario.number),
                );
                flow.extend(e);
            }
            if !category.scenarios.is_empty() {
                let e = self.leader_entry(
                    &answers_heading(&category.title),
                    indent,
                    false,
                    &format!("answers-{}", category.id),
                );
                flow.extend(e);
            }
        }
        for chapter in &book.back {
            let e = self.leader_entry(
                &chapter.title,
                0.0,
                false,
                &format!("chapter-{}", chapter.id),
            );
            flow.extend(e);
        }
        flow.space(g.leading * 0.6);
        let e = self.leader_entry("Index", 0.0, true, "index");
        flow.extend(e);
        let head = PageRole::Running {
            right_head: "Contents".into(),
        };
        self.section(flow, Start::RightPage, PageRole::Opening, head);
    }

    fn category(&mut self, category: &crate::model::Category) {
        let g = self.geometry;
        let w = g.measure();
        if self.body_start.is_none() {
            let start = if Page::is_right_hand(self.pages.len()) {
                self.pages.len()
            } else {
                self.pages.len() + 1
            };
            self.body_start = Some(start);
        }
        let head = PageRole::Running {
            right_head: category.title.clone(),
        };

        // The opener.
        let mut flow = Flow::default();
        flow.push(Piece::space(g.height * 0.12));
        let mut part = self.text(
            &format!("Part {}", category.number),
            self.style(Family::Sans, g.body * 1.1, false, false, Align::Left),
        );
        part[0]
            .destinations
            .push((format!("category-{}", category.id), 0.0));
        flow.extend(part);
        flow.push(Piece::space(g.leading * 0.4));
        let mut title = self.text(
            &category.title,
            self.style(Family::Sans, g.body * 2.2, true, false, Align::Left),
        );
        title.iter_mut().for_each(|p| p.heading = true);
        flow.extend(title);
        flow.keep_with_next(2);
        self.layouter().blocks(&category.intro, 0.0, w, &mut flow);
        flow.space(g.leading);
        for scenario in &category.scenarios {
            let e = self.leader_entry(
                &scenario.heading(),
                0.0,
                false,
                &format!("question-{}", scenario.number),
            );
            flow.extend(e);
        }
        self.section(flow, Start::RightPage, PageRole::Opening, head.clone());

        // The questions, each from a new page.
        for scenario in &category.scenarios {
            let flow = self.question(scenario);
            self.section(flow, Start::NewPage, head.clone(), head.clone());
        }

        // The answers, from a new page, each answer from a new page.
        let answers_head = PageRole::Running {
            right_head: answers_heading(&category.title),
        };
        for (k, scenario) in category.scenarios.iter().enumerate() {
            let mut flow = Flow::default();
            if k == 0 {
                let mut t = self.chapter_title(&answers_heading(&category.title));
                t[0].destinations
                    .push((format!("answers-{}", category.id), 0.0));
                flow.extend(t);
                flow.keep_with_next(2);
            }
            self.answer(scenario, &mut flow);
            self.section(
                flow,
                Start::NewPage,
                answers_head.clone(),
                answers_head.clone(),
            );
        }
    }

    fn scenario_heading(
        &mut self,
        scenario: &Scenario,
        kicker: &str,
        destination: String,
        flow: &mut Flow,
    ) {
        let g = self.geometry;
        let mut k = self.text(
            kicker,
            self.style(Family::Sans, g.body * 0.85, false, false, Align::Left),
        );
        k.iter_mut().for_each(|p| p.heading = true);
        k[0].destinations.push((destination, 0.0));
        flow.extend(k);
        flow.keep_with_next(1);
        let mut title = self.text(
            &scenario.title,
            self.style(Family::Sans, g.body * 1.55, true, false, Align::Left),
        );
        title.iter_mut().for_each(|p| p.heading = true);
        flow.extend(title);
        flow.keep_with_next(1);
        let meta = self.book.meta_line(scenario);
        let m = self.text(
            &meta,
            self.style(Family::Sans, g.body * 0.85, false, false, Align::Left),
        );
        flow.extend(m);
        flow.space(g.leading * 0.5);
    }

    fn question(&mut self, scenario: &Scenario) -> Flow {
        let g = self.geometry;
        let mut flow = Flow::default();
        self.scenario_heading(
            scenario,
            &format!("Scenario {}", scenario.number),
            format!("question-{}", scenario.number),
            &mut flow,
        );
        self.cached_blocks(
            format!("question-{}", scenario.number),
            &scenario.question,
            &mut flow,
        );
        let pointer = self.pointer(
            &format!(
                "Answer on page {}",
                self.number(&format!("answer-{}", scenario.number))
            ),
            &format!("answer-{}", scenario.number),
        );
        if self.options.workbook {
            flow.space(g.leading);
            let mut label = self.text(
                "Your approach",
                self.style(Family::Sans, g.body * 0.95, true, false, Align::Left),
            );
            let mut label_piece = label.remove(0);
            label_piece.height += g.leading * 0.2;
            let reserve = pointer.iter().map(|p| p.height).sum::<f32>() + g.leading * 0.5;
            let mut fill = Piece::content(0.0);
            fill.kind = PieceKind::Fill {
                label: Box::new(label_piece),
                gap: WORKBOOK_GAP_PT,
                min_lines: WORKBOOK_MIN_LINES,
                reserve,
            };
            flow.push(fill);
            flow.push(Piece {
                break_before: false,
                ..Piece::space(g.leading * 0.5)
            });
            for mut p in pointer {
                p.break_before = false;
                flow.push(p);
            }
        } else {
            flow.space(g.leading);
            flow.extend(pointer);
        }
        flow
    }

    /// A right-aligned italic cross-reference line that links to `destination`.
    fn pointer(&mut self, text: &str, destination: &str) -> Vec<Piece> {
        let g = self.geometry;
        let style = self.style(Family::Serif, g.body, false, true, Align::Right);
        let mut spans: Vec<Span> = inline::plain_spans(&format!("{text} →"), &style);
        for s in &mut spans {
            s.link = Some(LinkTarget::Internal(destination.to_string()));
        }
        let w = g.measure();
        self.layouter().paragraph(&spans, &style, 0.0, w)
    }

    fn answer(&mut self, scenario: &Scenario, flow: &mut Flow) {
        let g = self.geometry;
        let w = g.measure();
        self.scenario_heading(
            scenario,
            &format!("Answer to scenario {}", scenario.number),
            format!("answer-{}", scenario.number),
            flow,
        );
        let back = self.number(&format!("question-{}", scenario.number));
        let style = self.style(Family::Serif, g.body, false, true, Align::Left);
        let mut spans = inline::plain_spans(&format!("← Question on page {back}"), &style);
        for s in &mut spans {
            s.link = Some(LinkTarget::Internal(format!(
                "question-{}",
                scenario.number
            )));
        }
        let p = self.layouter().paragraph(&spans, &style, 0.0, w);
        flow.extend(p);
        flow.keep_with_next(2);
        self.cached_blocks(
            format!("answer-{}", scenario.number),
            &scenario.answer,
            flow,
        );
    }

    fn index(&mut self) {
        let g = self.geometry;
        let book = self.book;
        let w = g.measure();
        let mut flow = Flow::default();
        let mut title = self.chapter_title("Index");
        title[0].destinations.push(("index".into(), 0.0));
        flow.extend(title);
        flow.keep_with_next(2);
        let intro: Vec<Block> = vec![Block::Paragraph(vec![crate::document::Inline::Emphasis(
            vec![crate::document::Inline::Text(
                "Topics, with the pages where scenarios on them begin.".into(),
            )],
        )])];
        self.layouter().blocks(&intro, 0.0, w, &mut flow);
        flow.space(g.leading * 0.5);
        let base = self.style(Family::Serif, g.body, false, false, Align::Left);
        let hang = g.body * 1.5;
        let mut initial = None;
        for (tag, scenarios) in book.topic_index() {
            let first = tag.name.chars().next().map(|c| c.to_ascii_uppercase());
            if first != initial {
                initial = first;
                flow.space(g.leading * 0.4);
            }
            let mut spans = inline::plain_spans(&format!("{}  ", tag.name), &base);
            for (k, s) in scenarios.iter().enumerate() {
                let dest = format!("question-{}", s.number);
                let mut text = self.number(&dest);
                if k + 1 < scenarios.len() {
                    text.push(',');
                }
                let mut number = inline::plain_spans(&text, &base);
                number
                    .iter_mut()
                    .for_each(|n| n.link = Some(LinkTarget::Internal(dest.clone())));
                spans.extend(number);
                if k + 1 < scenarios.len() {
                    spans.extend(inline::plain_spans(" ", &base));
                }
            }
            // Hanging indent: continuation lines sit under the entry's text.
            let lines = self.layouter().lines(&spans, &base, w - hang);
            let mut pieces = self.layouter().line_pieces(lines, 0.0);
            for (k, p) in pieces.iter_mut().enumerate() {
                p.break_before = k == 0;
                if k > 0 {
                    for item in &mut p.items {
                        if let Item::Text(r) = item {
                            r.x += hang;
                        }
                    }
                    for l in &mut p.links {
                        l.rect.x += hang;
                    }
                }
            }
            flow.extend(pieces);
        }
        let head = PageRole::Running {
            right_head: "Index".into(),
        };
        self.section(flow, Start::RightPage, PageRole::Opening, head);
    }

    fn label_ranges(&self) -> Vec<LabelRange> {
        let mut ranges = Vec::new();
        if self.front_start > 0 {
            ranges.push(LabelRange {
                first_page: 0,
                style: LabelStyle::None,
                start: 1,
            });
        }
        ranges.push(LabelRange {
            first_page: self.front_start,
            style: LabelStyle::LowerRoman,
            start: 1,
        });
        if let Some(body) = self.body_start {
            ranges.push(LabelRange {
                first_page: body,
                style: LabelStyle::Decimal,
                start: 1,
            });
        }
        ranges
    }

    /// Labels, running heads and folios on every page.
    fn furniture(&mut self) {
        let g = self.geometry;
        let ranges = self.label_ranges();
        let title = self.book.meta.title.clone();
        for index in 0..self.pages.len() {
            let range = ranges.iter().rev().find(|r| r.first_page <= index).copied();
            let label = match range {
                Some(r) => {
                    let n = index - r.first_page + r.start;
                    match r.style {
                        LabelStyle::None => String::new(),
                        LabelStyle::LowerRoman => roman(n),
                        LabelStyle::Decimal => n.to_string(),
                    }
                }
                None => String::new(),
            };
            let block = self.pages[index].text_block;
            let right_hand = Page::is_right_hand(index);
            let mut furniture = Vec::new();
            let (head, folio) = match &self.pages[index].role {
                PageRole::Running { right_head } => (
                    Some(if right_hand {
                        right_head.clone()
                    } else {
                        title.clone()
                    }),
                    true,
                ),
                PageRole::Opening => (None, true),
                _ => (None, false),
            };
            let size = g.furniture;
            if let Some(head) = head {
                let baseline = g.top * 0.55;
                let runs = self.shaper.shape(&head, FaceId::Sans, size);
                let width: f32 = runs.iter().map(|r| r.width()).sum();
                let mut x = if right_hand {
                    block.right() - width
                } else {
                    block.x
                };
                for run in runs {
                    let w = run.width();
                    furniture.push(Item::Text(GlyphRun {
                        face: run.face,
                        size,
                        x,
                        baseline,
                        width: w,
                        gray: 0.35,
                        glyphs: placed(&run.glyphs, &run.text),
                    }));
                    x += w;
                }
                furniture.push(Item::Rule {
                    x1: block.x,
                    y1: baseline + 4.0,
                    x2: block.right(),
                    y2: baseline + 4.0,
                    thickness: 0.3,
                    gray: 0.6,
                });
            }
            if folio && !label.is_empty() {
                let baseline = g.height - g.bottom * 0.45;
                let runs = self.shaper.shape(&label, FaceId::Sans, size);
                let width: f32 = runs.iter().map(|r| r.width()).sum();
                // Folios at the outer corner, where a thumb finds them.
                let mut x = if right_hand {
                    block.right() - width
                } else {
                    block.x
                };
                for run in runs {
                    let w = run.width();
                    furniture.push(Item::Text(GlyphRun {
                        face: run.face,
                        size,
                        x,
                        baseline,
                        width: w,
                        gray: 0.2,
                        glyphs: placed(&run.glyphs, &run.text),
                    }));
                    x += w;
                }
            }
            let page = &mut self.pages[index];
            page.label = label;
            page.furniture = furniture;
        }
    }

    fn outline(&self) -> Vec<OutlineEntry> {
        let book = self.book;
        let entry = |title: &str, destination: String| OutlineEntry {
            title: title.into(),
            destination,
            children: Vec::new(),
        };
        let mut outline = Vec::new();
        let mut front = entry("Front matter", "title".into());
        front.children.push(entry("Contents", "contents".into()));
        for c in &book.front {
            front
                .children
                .push(entry(&c.title, format!("chapter-{}", c.id)));
        }
        outline.push(front);
        for category in &book.categories {
            let mut cat = entry(
                &format!("{}. {}", category.number, category.title),
                format!("category-{}", category.id),
            );
            if !category.scenarios.is_empty() {
                let first = category.scenarios[0].number;
                let mut questions = entry("Questions", format!("question-{first}"));
                let mut answers = entry("Answers", format!("answers-{}", category.id));
                for s in &category.scenarios {
                    questions
                        .children
                        .push(entry(&s.heading(), format!("question-{}", s.number)));
                    answers
                        .children
                        .push(entry(&s.heading(), format!("answer-{}", s.number)));
                }
                cat.children.push(questions);
                cat.children.push(answers);
            }
            outline.push(cat);
        }
        for c in &book.back {
            outline.push(entry(&c.title, format!("chapter-{}", c.id)));
        }
        outline.push(entry("Index", "index".into()));
        outline
    }

    fn info(&self) -> DocumentInfo {
        let meta = &self.book.meta;
        let created = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| date_to_epoch(&meta.date));
        let keywords: Vec<String> = self
            .book
            .categories
            .iter()
            .map(|c| c.title.clone())
            .collect();
        DocumentInfo {
            title: match &meta.subtitle {
                Some(s) => format!("{}: {s}", meta.title),
                None => meta.title.clone(),
            },
            author: meta.authors.join(", "),
            subject: meta.description.clone(),
            keywords,
            language: meta.language.clone(),
            created,
            identifier: meta.identifier.clone(),
        }
    }
}

/// The heading of a category's answer section, the same words as the EPUB's.
pub fn answers_heading(category_title: &str) -> String {
    format!("Answers — {category_title}")
}

/// Seconds since 1970 at midnight UTC of a `YYYY-MM-DD` date (0 if unreadable).
pub fn date_to_epoch(date: &str) -> i64 {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().unwrap_or(1));
    let (y, m, d) = (
        parts.next().unwrap_or(1970),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146097 + doe - 719468) * 86400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_epoch_seconds() {
        assert_eq!(date_to_epoch("1970-01-01"), 0);
        assert_eq!(date_to_epoch("2026-11-26"), 1_795_651_200);
    }
}
