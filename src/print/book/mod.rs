//! The book's structure in print: cover, title page, copyright, contents
//! (dotted leaders, real page numbers), front matter, and for each category
//! an opener on a right-hand page, one page-starting question per scenario
//! (with workbook lines and "Answer on page N"), the category's answers
//! ("Question on page M"), then the topic index. Also running heads, folios,
//! page labels and the outline. Page numbers come from the previous pass
//! (`numbers`); `render_pdf` repeats until they settle.

mod back;
mod body;
mod front;

use std::collections::HashMap;

use super::PrintOptions;
use super::hyphenate::Hyphenation;
use super::layout::blocks::{Layouter, set_origin};
use super::layout::flow::{Flow, Piece};
use super::layout::geometry::Geometry;
use super::layout::inline::{self, Align, Family, TextStyle};
use super::layout::paginate::paginate;
use super::page::*;
use super::shape::Shaper;
use crate::document::Block;
use crate::model::{Book, Chapter};

/// How a section starts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
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

/// The cache key of a body laid out by `cached_blocks` and `body_flows`.
pub(super) fn body_key(kind: &str, id: impl std::fmt::Display) -> String {
    format!("{kind}-{id}")
}

/// Lays out every chapter, question and answer body on all cores, before the
/// first pass: they hold no page numbers, so each is set once, and they are
/// most of the book's text. Each thread has its own shaping and hyphenation
/// caches; the jobs are dealt out in turn so long and short ones mix.
pub fn body_flows(book: &Book, options: &PrintOptions) -> HashMap<String, Vec<Piece>> {
    let geometry = Geometry::for_paper(options.paper);
    let mut jobs: Vec<(String, Part, &[Block])> = Vec::new();
    for (k, chapter) in book.front.iter().chain(&book.back).enumerate() {
        jobs.push((
            body_key("chapter", &chapter.id),
            Part::Chapter(k as u32),
            &chapter.blocks,
        ));
    }
    for (_, scenario) in book.scenarios() {
        let n = scenario.number as u32;
        jobs.push((
            body_key("question", scenario.number),
            Part::Question(n),
            &scenario.question,
        ));
        jobs.push((
            body_key("answer", scenario.number),
            Part::Answer(n),
            &scenario.answer,
        ));
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let jobs = &jobs;
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                scope.spawn(move || {
                    let mut shaper = Shaper::default();
                    let hyphenation = Hyphenation::for_language(&book.meta.language);
                    let mut layouter = Layouter {
                        geometry,
                        shaper: &mut shaper,
                        hyphenation: &hyphenation,
                        part: Part::None,
                        next_block: 0,
                    };
                    jobs.iter()
                        .skip(first)
                        .step_by(threads)
                        .map(|(key, part, blocks)| {
                            let mut flow = Flow::default();
                            layouter.body(*part, blocks, 0.0, geometry.measure(), &mut flow);
                            (key.clone(), flow.pieces)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
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
    pub(super) fn cached_blocks(
        &mut self,
        key: String,
        part: Part,
        blocks: &[Block],
        flow: &mut Flow,
    ) {
        flow.space(self.geometry.leading);
        if let Some(pieces) = self.flows.get(&key) {
            flow.extend(pieces.clone());
            return;
        }
        let mut inner = Flow::default();
        let width = self.geometry.measure();
        self.layouter().body(part, blocks, 0.0, width, &mut inner);
        self.flows.insert(key, inner.pieces.clone());
        flow.extend(inner.pieces);
    }

    pub(super) fn layouter(&mut self) -> Layouter<'_> {
        Layouter {
            geometry: self.geometry,
            shaper: self.shaper,
            hyphenation: self.hyphenation,
            part: Part::None,
            next_block: 0,
        }
    }

    pub(super) fn style(
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

    pub(super) fn number(&self, destination: &str) -> String {
        self.numbers
            .get(destination)
            .cloned()
            .unwrap_or_else(|| "0".into())
    }

    /// Adds a section: its flow paginated on new pages.
    pub(super) fn section(
        &mut self,
        flow: Flow,
        start: Start,
        first_role: PageRole,
        role: PageRole,
    ) {
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

    pub(super) fn blank_page(&self, role: PageRole) -> Page {
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
            starts_at: Origin::NONE,
        }
    }

    pub(super) fn text(&mut self, text: &str, style: TextStyle) -> Vec<Piece> {
        let width = self.geometry.measure();
        let spans = inline::plain_spans(text, &style);
        self.layouter().paragraph(&spans, &style, 0.0, width)
    }

    /// A front or back chapter (`position` in front then back): its title,
    /// then its body, from a right-hand page.
    fn chapter(&mut self, chapter: &Chapter, position: usize) {
        let part = Part::Chapter(position as u32);
        let mut flow = Flow::default();
        let mut title = self.chapter_title(&chapter.title);
        title[0]
            .destinations
            .push((body_key("chapter", &chapter.id), 0.0));
        set_origin(&mut title, part, Origin::HEAD);
        flow.extend(title);
        flow.keep_with_next(2);
        self.cached_blocks(
            body_key("chapter", &chapter.id),
            part,
            &chapter.blocks,
            &mut flow,
        );
        let head = PageRole::Running {
            right_head: chapter.title.clone(),
        };
        self.section(flow, Start::RightPage, PageRole::Opening, head);
    }

    pub(super) fn build(&mut self) -> Document {
        let book = self.book;
        self.cover();
        self.front_start = self.pages.len();
        self.title_page();
        self.copyright_page();
        self.contents();
        for (k, chapter) in book.front.iter().enumerate() {
            self.chapter(chapter, k);
        }
        for category in &book.categories {
            self.category(category);
        }
        for (k, chapter) in book.back.iter().enumerate() {
            self.chapter(chapter, book.front.len() + k);
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
}

/// The heading of a category's answer section, the same words as the EPUB's.
pub fn answers_heading(labels: &crate::labels::Labels, category_title: &str) -> String {
    format!("{} — {category_title}", labels.answers)
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
