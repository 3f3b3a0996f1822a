//! The book's structure in print: cover, title page, copyright, contents
//! (dotted leaders, real page numbers), front matter, and for each category
//! an opener on a right-hand page, one page-starting question per scenario
//! (with workbook lines and "Answer on page N"), the category's answers
//! ("Question on page M"), then the topic index. Also running heads, folios,
//! page labels and the outline. Page numbers come from the previous pass
//! (`numbers`); `render_pdf` repeats until they settle.

mod back;
pub mod bodies;
mod body;
mod front;
mod index;

use std::collections::HashMap;

use super::PrintOptions;
use super::fonts::FaceId;
use super::hyphenate::Hyphenation;
use super::layout::blocks::{Layouter, set_origin, tag_into};
use super::layout::flow::{Flow, Piece};
use super::layout::geometry::Geometry;
use super::layout::inline::{self, Align, Family, TextStyle};
use super::layout::paginate::paginate;
use super::page::*;
use super::shape::Shaper;
use super::sink::{LaidOut, PageRecords, PageSink};
use crate::document::Block;
use crate::model::{Book, Category, Chapter, Scenario};
use bodies::{BodyCache, BodyWorkers};

/// Between a scenario's number and its title (or its category) in a
/// running head.
const HEAD_SEPARATOR: &str = " · ";
/// What marks a title cut short in a running head.
const ELLIPSIS: &str = "…";
/// A running head takes at most this share of the measure: the rest stays
/// white, so the head reads as a label over the page, not as a line of it.
const HEAD_SHARE: f32 = 0.8;

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
    bodies: &'a mut BodyCache,
    /// Lay out, ahead of this pass, the bodies the cache does not hold.
    workers: Option<&'a BodyWorkers<'a>>,
    /// The final pass takes bodies out of the cache; earlier ones copy them.
    final_pass: bool,
    numbers: &'a HashMap<String, String>,
    /// Pages of the current section and the one before, not yet finished.
    pages: Vec<Page>,
    /// Pages already finished and passed to the sink.
    passed: usize,
    sink: &'a mut dyn PageSink,
    records: PageRecords,
    /// The tagged PDF's structure tree, built as content is laid out.
    structure: StructTree,
    /// Index of the first body page (page "1").
    body_start: Option<usize>,
    front_start: usize,
}

/// The cache key of a body laid out by `cached_blocks` and `BodyWorkers`.
pub(super) fn body_key(kind: &str, id: impl std::fmt::Display) -> String {
    format!("{kind}-{id}")
}

/// One layout pass: the page numbers it sets in references, the bodies kept
/// from earlier passes, and where its pages go.
pub struct Pass<'a> {
    pub numbers: &'a HashMap<String, String>,
    pub bodies: &'a mut BodyCache,
    /// Takes bodies from the cache rather than copying them (the pass whose
    /// pages are written); a later pass sets again what it took.
    pub final_pass: bool,
    pub sink: &'a mut dyn PageSink,
}

/// Lays out the whole book, with page numbers for references from
/// `pass.numbers`, passing each finished page to `pass.sink`. Bodies the
/// cache lacks are laid out on all cores, just ahead of the pass. The shaper
/// and hyphenation caches are passed in so later passes reuse them.
pub fn layout_book(
    book: &Book,
    options: &PrintOptions,
    shaper: &mut Shaper,
    hyphenation: &Hyphenation,
    pass: Pass<'_>,
) -> LaidOut {
    let jobs: Vec<bodies::Job> = bodies::bodies_in_order(book)
        .into_iter()
        .filter(|(key, _, _)| !pass.bodies.contains(key))
        .collect();
    let workers = BodyWorkers::new(jobs);
    let geometry = pass.bodies.geometry(options.paper);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    std::thread::scope(|scope| {
        if !workers.is_empty() {
            for _ in 0..threads {
                scope.spawn(|| workers.work(book, geometry));
            }
        }
        let mut layout = BookLayout {
            book,
            options,
            geometry,
            shaper,
            hyphenation,
            bodies: pass.bodies,
            workers: (!workers.is_empty()).then_some(&workers),
            final_pass: pass.final_pass,
            numbers: pass.numbers,
            pages: Vec::new(),
            passed: 0,
            sink: pass.sink,
            records: PageRecords::default(),
            structure: StructTree::default(),
            body_start: None,
            front_start: 0,
        };
        let laid_out = layout.build();
        workers.stop();
        laid_out
    })
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
        let body = if self.final_pass {
            self.bodies.take(&key)
        } else {
            self.bodies.get(&key).cloned()
        };
        let body = match body {
            Some(body) => body,
            None => {
                let body = match self.workers.and_then(|w| w.take(&key)) {
                    Some(body) => body,
                    None => bodies::lay_out_body(
                        self.geometry,
                        self.shaper,
                        self.hyphenation,
                        part,
                        blocks,
                    ),
                };
                if !self.final_pass {
                    self.bodies.offer(&key, &body);
                }
                body
            }
        };
        // The body's own structure goes under the element open now (the
        // scenario's or chapter's), its tags moved to match.
        let base = self.structure.graft(&body.structure);
        let mut pieces = body.pieces;
        shift_tags(&mut pieces, base);
        flow.extend(pieces);
    }

    /// Pages laid out so far, passed on or not.
    pub(super) fn page_count(&self) -> usize {
        self.passed + self.pages.len()
    }

    /// Finishes the pages laid out so far (label, running head, folio) and
    /// passes them on. Called when a section starts: by then every label
    /// range a page so far can fall in is known.
    fn pass_on(&mut self) {
        let ranges = self.label_ranges();
        for mut page in std::mem::take(&mut self.pages) {
            self.furnish(self.passed, &mut page, &ranges);
            self.records.record(&page);
            self.sink.page(page, &self.structure.nodes);
            self.passed += 1;
        }
    }

    pub(super) fn layouter(&mut self) -> Layouter<'_> {
        Layouter {
            geometry: self.geometry,
            shaper: self.shaper,
            hyphenation: self.hyphenation,
            part: Part::None,
            next_block: 0,
            structure: &mut self.structure,
        }
    }

    /// Tags `pieces` as one new `kind` element under the open one.
    pub(super) fn tag(&mut self, pieces: &mut [Piece], kind: StructKind) -> Tag {
        self.layouter().tag(pieces, kind)
    }

    /// Tags `pieces` as content of `tag`.
    pub(super) fn tag_into(&mut self, pieces: &mut [Piece], tag: Tag) {
        tag_into(&mut self.structure, pieces, tag);
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
        self.begin_section(start);
        let pages = paginate(
            &flow.pieces,
            &self.geometry,
            self.page_count(),
            first_role,
            role,
        );
        self.pages.extend(pages);
    }

    /// Finishes the pages so far and, for a section that opens on a
    /// right-hand page, adds a blank verso where needed.
    pub(super) fn begin_section(&mut self, start: Start) {
        self.pass_on();
        if start == Start::RightPage && !Page::is_right_hand(self.page_count()) {
            let blank = self.blank_page(PageRole::Blank);
            self.pages.push(blank);
        }
    }

    pub(super) fn blank_page(&self, role: PageRole) -> Page {
        Page::blank(
            self.geometry.width,
            self.geometry.height,
            self.geometry.text_block(self.page_count()),
            role,
        )
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
        let sect = self.structure.open(StructKind::Sect);
        let mut title = self.chapter_title(&chapter.title);
        title[0]
            .destinations
            .push((body_key("chapter", &chapter.id), 0.0));
        set_origin(&mut title, part, Origin::HEAD);
        self.tag(&mut title, StructKind::H(1));
        flow.extend(title);
        flow.keep_with_next(2);
        self.cached_blocks(
            body_key("chapter", &chapter.id),
            part,
            &chapter.blocks,
            &mut flow,
        );
        self.structure.close(sect);
        let head = self.matter_head(&chapter.title);
        self.section(flow, Start::RightPage, PageRole::Opening, head);
    }

    /// The running heads of front and back matter: the book's title on the
    /// verso, the section's on the recto.
    pub(super) fn matter_head(&mut self, section: &str) -> PageRole {
        PageRole::Running {
            left_head: self.fitted_head("", &self.book.meta.title.clone(), ""),
            right_head: self.fitted_head("", section, ""),
        }
    }

    /// The running heads of a scenario's question pages: the scenario's
    /// number and the category on the verso, its title and number on the
    /// recto, so either page of a spread says whose pages these are, the
    /// numbers at the outer corners where a thumb leafing through finds them.
    pub(super) fn question_head(&mut self, category: &Category, scenario: &Scenario) -> PageRole {
        let number = scenario.number.to_string();
        PageRole::Running {
            left_head: self.fitted_head(&format!("{number}{HEAD_SEPARATOR}"), &category.title, ""),
            right_head: self.fitted_head("", &scenario.title, &format!("{HEAD_SEPARATOR}{number}")),
        }
    }

    /// The running heads of a scenario's answer pages: as its question's,
    /// the verso naming the category's answers.
    pub(super) fn answer_head(&mut self, category: &Category, scenario: &Scenario) -> PageRole {
        let number = scenario.number.to_string();
        let answers = self
            .book
            .labels
            .answers_head
            .replace("{category}", &category.title);
        PageRole::Running {
            left_head: self.fitted_head(&format!("{number}{HEAD_SEPARATOR}"), &answers, ""),
            right_head: self.fitted_head("", &scenario.title, &format!("{HEAD_SEPARATOR}{number}")),
        }
    }

    /// The widest a running head may be.
    pub(super) fn head_width(&self) -> f32 {
        self.geometry.measure() * HEAD_SHARE
    }

    /// `prefix`, `title` and `suffix` as one running head, the title cut
    /// after a whole word and marked with an ellipsis where the whole would
    /// be wider than `head_width`.
    pub(super) fn fitted_head(&mut self, prefix: &str, title: &str, suffix: &str) -> String {
        let size = self.geometry.furniture;
        let limit = self.head_width();
        let mut width = |text: &str| -> f32 {
            self.shaper
                .shape(text, FaceId::Sans, size)
                .iter()
                .map(|r| r.width())
                .sum()
        };
        let whole = format!("{prefix}{title}{suffix}");
        if width(&whole) <= limit {
            return whole;
        }
        let words: Vec<&str> = title.split_whitespace().collect();
        for keep in (1..words.len()).rev() {
            let cut = words[..keep]
                .join(" ")
                .trim_end_matches([',', ';', ':', '—', '–', '-'])
                .to_string();
            let head = format!("{prefix}{cut}{ELLIPSIS}{suffix}");
            if width(&head) <= limit {
                return head;
            }
        }
        // Not even one word fits: the first word alone, cut by characters.
        let mut cut: String = title.to_string();
        while !cut.is_empty() {
            cut.pop();
            let head = format!("{prefix}{}{ELLIPSIS}{suffix}", cut.trim_end());
            if width(&head) <= limit {
                return head;
            }
        }
        format!("{prefix}{ELLIPSIS}{suffix}")
    }

    pub(super) fn build(&mut self) -> LaidOut {
        let book = self.book;
        let document = self.structure.open(StructKind::Document);
        self.cover();
        self.front_start = self.page_count();
        self.half_title();
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
        self.structure.close(document);
        self.pass_on();
        LaidOut {
            structure: std::mem::take(&mut self.structure.nodes),
            records: std::mem::take(&mut self.records),
            outline: self.outline(),
            label_ranges: self.label_ranges(),
            info: self.info(),
        }
    }
}

/// Moves the tags of a grafted body's pieces by `base` (a repeated table
/// header, shared by the rows of its table, is moved once).
fn shift_tags(pieces: &mut [Piece], base: u32) {
    use super::layout::flow::PieceKind;
    let shift_piece = |piece: &mut Piece| {
        for item in &mut piece.items {
            match item {
                Item::Text(run) => run.tag = shift_tag(run.tag, base),
                Item::Image { tag, .. } => *tag = shift_tag(*tag, base),
                _ => {}
            }
        }
        for link in &mut piece.links {
            link.tag = shift_tag(link.tag, base);
        }
    };
    let mut headers: HashMap<*const Piece, std::sync::Arc<Piece>> = HashMap::new();
    for piece in pieces.iter_mut() {
        shift_piece(piece);
        if let PieceKind::Row { header } = &mut piece.kind {
            let key = std::sync::Arc::as_ptr(header);
            let shifted = headers.entry(key).or_insert_with(|| {
                let mut copy = (**header).clone();
                shift_piece(&mut copy);
                std::sync::Arc::new(copy)
            });
            *header = shifted.clone();
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
