//! The front of the print edition: cover (full bleed), title page,
//! copyright page, chapter titles and the contents with dotted leaders and
//! real page numbers, each entry a link.

use std::sync::Arc;

use super::{BookLayout, Start, answers_heading, body_key};
use crate::model::Chapter;
use crate::print::fonts::FaceId;
use crate::print::layout::blocks::{load_image, set_origin, set_runs};
use crate::print::layout::flow::{Flow, Piece, PieceKind};
use crate::print::layout::inline::{self, Align, Family};
use crate::print::page::*;

/// Dotted leaders: one dot every this many points, on a grid shared by all lines.
const LEADER_SPACING: f32 = 4.5;
/// Room kept at the right of contents entries for the page number.
const PAGE_NUMBER_BOX: f32 = 28.0;
/// Second lines of a long contents entry are indented by this much.
const CONTENTS_HANG: f32 = 12.0;
/// The half-title and the title page set their title this far down the
/// text block (a share of its height): high on the page, but clear of the
/// head, so the two titles sit at one height as the leaves turn.
const TITLE_DROP: f32 = 0.12;
/// The half-title's title, in body sizes and the regular weight: smaller
/// and lighter than the title page's (2.6, bold), the half-title being a
/// quiet announcement of it.
const HALF_TITLE_SCALE: f32 = 1.6;
/// Between the publisher and the year in the title page's imprint, in
/// leadings: enough to read as two lines of one device.
const IMPRINT_GAP: f32 = 0.25;
/// The copyright page's type, in body sizes: small print, still readable.
const COPYRIGHT_SCALE: f32 = 0.8;
/// The printer's number line of a first printing: each later printing
/// drops the lowest number, so no line needs rewording.
const PRINTING_LINE: &str = "10 9 8 7 6 5 4 3 2 1";
/// Room left under what is pushed to the foot of a page, so rounding never
/// carries it over onto a page of its own.
const FOOT_SLACK: f32 = 0.5;

/// The year of a `YYYY-MM-DD` date (the date as given if it has none).
fn year_of(date: &str) -> String {
    date.split('-').next().unwrap_or(date).to_string()
}

/// Appends `pieces` to `flow` so that they end at the foot of a text block
/// with `room` points left on its page: an empty piece fills the gap (a
/// space would vanish at the top of a page).
fn push_to_foot(flow: &mut Flow, room: f32, pieces: Vec<Piece>) {
    let height: f32 = pieces.iter().map(|p| p.height).sum();
    let gap = (room - height - FOOT_SLACK).max(0.0);
    let mut filler = Piece::content(gap);
    filler.break_before = false;
    flow.push(filler);
    for mut piece in pieces {
        piece.break_before = false;
        flow.push(piece);
    }
}

impl BookLayout<'_> {
    pub(super) fn cover(&mut self) {
        let Some(image) = self.book.meta.cover_file.as_deref().and_then(load_image) else {
            return;
        };
        let mut page = self.blank_page(PageRole::Cover);
        let (w, h) = (self.geometry.width, self.geometry.height);
        // Full bleed: scale to cover the page, cropping what overhangs.
        let scale = (w / image.width as f32).max(h / image.height as f32);
        let (iw, ih) = (image.width as f32 * scale, image.height as f32 * scale);
        let figure = self.structure.leaf(StructKind::Figure);
        self.structure.nodes[figure.index()].alt = Some(
            self.book
                .labels
                .cover_alt
                .replace("{title}", &self.book.meta.title),
        );
        page.items.push(Item::Image {
            rect: Rect {
                x: (w - iw) / 2.0,
                y: (h - ih) / 2.0,
                width: iw,
                height: ih,
            },
            image: Arc::new(image),
            tag: figure,
        });
        page.destinations.push(("cover".into(), 0.0));
        self.pages.push(page);
        // The inside of the cover, so the title page is a right-hand page.
        let blank = self.blank_page(PageRole::Cover);
        self.pages.push(blank);
    }

    /// The half-title: the title alone, on the first right-hand page of the
    /// front matter, where a reader opening the book meets it before the
    /// title page.
    pub(super) fn half_title(&mut self) {
        let g = self.geometry;
        let mut flow = Flow::default();
        flow.push(Piece::content(g.text_block(0).height * TITLE_DROP));
        let mut title = self.text(
            &self.book.meta.title.clone(),
            self.style(
                Family::Sans,
                g.body * HALF_TITLE_SCALE,
                false,
                false,
                Align::Left,
            ),
        );
        self.tag(&mut title, StructKind::P);
        flow.extend(title);
        set_origin(&mut flow.pieces, Part::Title, Origin::HEAD);
        self.section(flow, Start::RightPage, PageRole::Plain, PageRole::Plain);
    }

    pub(super) fn title_page(&mut self) {
        let g = self.geometry;
        let meta = &self.book.meta;
        let mut flow = Flow::default();
        flow.push(Piece::content(g.text_block(0).height * TITLE_DROP));
        let mut title = self.text(
            &meta.title,
            self.style(Family::Sans, g.body * 2.6, true, false, Align::Left),
        );
        self.tag(&mut title, StructKind::H(1));
        flow.extend(title);
        if let Some(subtitle) = &meta.subtitle {
            flow.push(Piece::space(g.leading * 0.6));
            let mut s = self.text(
                subtitle,
                self.style(Family::Sans, g.body * 1.5, false, false, Align::Left),
            );
            self.tag(&mut s, StructKind::P);
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
        let mut a = self.text(
            &authors,
            self.style(Family::Serif, g.body * 1.25, false, true, Align::Left),
        );
        self.tag(&mut a, StructKind::P);
        flow.extend(a);
        // The imprint, composed at the foot of the text block: the
        // publisher over the year, as a publisher's device would sit.
        let mut imprint = Vec::new();
        if let Some(publisher) = &meta.publisher {
            let mut p = self.text(
                publisher,
                self.style(Family::Sans, g.body * 1.1, true, false, Align::Left),
            );
            self.tag(&mut p, StructKind::P);
            imprint.extend(p);
        }
        if !imprint.is_empty() {
            imprint.push(Piece::content(g.leading * IMPRINT_GAP));
        }
        let mut year = self.text(
            &year_of(&meta.date),
            self.style(Family::Sans, g.body * 0.9, false, false, Align::Left),
        );
        self.tag(&mut year, StructKind::P);
        imprint.extend(year);
        let above: f32 = flow.pieces.iter().map(|p| p.height).sum();
        push_to_foot(&mut flow, g.text_block(0).height - above, imprint);
        if let Some(first) = flow.pieces.first_mut() {
            first.destinations.push(("title".into(), 0.0));
        }
        set_origin(&mut flow.pieces, Part::Title, Origin::HEAD);
        self.section(flow, Start::RightPage, PageRole::Plain, PageRole::Plain);
    }

    /// The copyright page, the verso of the title page: who holds the
    /// rights, who published it when, which edition and printing this is,
    /// the ISBN and identifier, and what it is set in; in a smaller size at
    /// the foot of the page, as trade books set it.
    pub(super) fn copyright_page(&mut self) {
        let g = self.geometry;
        let small = self.style(
            Family::Serif,
            g.body * COPYRIGHT_SCALE,
            false,
            false,
            Align::Left,
        );
        let mut pieces = Vec::new();
        for (k, group) in self.copyright_lines().into_iter().enumerate() {
            if k > 0 {
                pieces.push(Piece::content(small.leading));
            }
            for line in group {
                let mut p = self.text(&line, small);
                self.tag(&mut p, StructKind::P);
                pieces.extend(p);
            }
        }
        let mut flow = Flow::default();
        push_to_foot(&mut flow, g.text_block(0).height, pieces);
        set_origin(&mut flow.pieces, Part::Copyright, Origin::HEAD);
        self.section(flow, Start::NewPage, PageRole::Plain, PageRole::Plain);
    }

    /// The copyright page's lines, in groups set apart by a blank line.
    /// Unset, the edition line names the edition's month (from the book's
    /// date) and the printing line is the printer's number line, whose
    /// lowest number is the printing: 1 for a first printing.
    pub(super) fn copyright_lines(&self) -> Vec<Vec<String>> {
        let meta = &self.book.meta;
        let labels = &self.book.labels;
        let mut groups = Vec::new();
        let title = match &meta.subtitle {
            Some(subtitle) => format!("{}: {subtitle}", meta.title),
            None => meta.title.clone(),
        };
        groups.push(vec![title, meta.rights.clone()]);
        if !labels.fiction_notice.is_empty() {
            groups.push(vec![labels.fiction_notice.clone()]);
        }
        let mut edition = Vec::new();
        if let Some(publisher) = &meta.publisher {
            edition.push(
                labels
                    .published_by
                    .replace("{publisher}", publisher)
                    .replace("{date}", &year_of(&meta.date)),
            );
        }
        edition.push(match &meta.edition {
            Some(line) => line.clone(),
            None => labels
                .edition
                .replace("{date}", &labels.month_year(&meta.date)),
        });
        edition.push(match &meta.printing {
            Some(line) => line.clone(),
            None => PRINTING_LINE.to_string(),
        });
        groups.push(edition);
        let mut numbers = Vec::new();
        if let Some(isbn) = &meta.isbn {
            let number = isbn.trim().trim_start_matches("ISBN").trim();
            numbers.push(labels.isbn.replace("{isbn}", number));
        }
        numbers.push(format!("{}: {}", labels.identifier, meta.identifier));
        groups.push(numbers);
        groups.push(vec![labels.colophon.clone()]);
        groups
    }

    pub(super) fn chapter_title(&mut self, title: &str) -> Vec<Piece> {
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
    pub(super) fn leader_entry(
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
        let mut dots: Option<Item> = None;
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
                tag: Tag::ARTIFACT,
                link: 1,
                contents: format!("{title}, {} {number}", self.book.labels.page),
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
            let baseline = piece.first_baseline().unwrap_or(g.body);
            // A space before the number: invisible beside the leader, it
            // keeps title and number apart when the text is read out.
            let runs = self.shaper.shape(&format!(" {number}"), face, g.body);
            let number_width: f32 = runs.iter().map(|r| r.width()).sum();
            let x = g.measure() - number_width;
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
                    dots = Some(Item::Text(GlyphRun {
                        face: FaceId::Serif,
                        size: g.body,
                        x: x0,
                        baseline,
                        width: (last - first) as f32 * LEADER_SPACING + dot_glyph.advance,
                        // Solid, like all print text: the dots' spacing,
                        // not a tint, keeps the leaders light.
                        gray: 0.0,
                        glyphs: glyphs.into(),
                        tag: Tag::ARTIFACT,
                        link: 0,
                    }));
                }
            }
            piece.items.extend(set_runs(runs, x, baseline, 0.0));
        }
        // The entry is a TOCI holding one Link (its title, its page number
        // and its annotation); the leader dots are an artifact.
        for piece in &mut pieces {
            for item in &mut piece.items {
                if let Item::Text(run) = item {
                    run.link = 1;
                }
            }
        }
        self.tag(&mut pieces, StructKind::TOCI);
        if let (Some(dots), Some(last)) = (dots, pieces.last_mut()) {
            last.items.push(dots);
        }
        pieces
    }

    /// Contents entries for front or back chapters; `entry` counts the
    /// contents' entries (the EPUB's contents has the same, in order).
    fn chapter_entries(&mut self, chapters: &[Chapter], entry: &mut u32, flow: &mut Flow) {
        for chapter in chapters {
            let mut pieces = self.leader_entry(
                &chapter.title,
                0.0,
                false,
                &body_key("chapter", &chapter.id),
            );
            *entry += 1;
            set_origin(&mut pieces, Part::Contents, *entry);
            flow.extend(pieces);
        }
    }

    pub(super) fn contents(&mut self) {
        let g = self.geometry;
        let book = self.book;
        let mut flow = Flow::default();
        let mut title = self.chapter_title(&self.book.labels.contents.clone());
        title[0].destinations.push(("contents".into(), 0.0));
        set_origin(&mut title, Part::Contents, Origin::HEAD);
        self.tag(&mut title, StructKind::H(1));
        let toc = self.structure.open(StructKind::TOC);
        flow.extend(title);
        flow.keep_with_next(2);
        let mut entry = 0;
        self.chapter_entries(&book.front, &mut entry, &mut flow);
        let indent = g.body * 1.5;
        for category in &book.categories {
            flow.space(g.leading * 0.6);
            let title = format!("{}. {}", category.number, category.title);
            let mut e = self.leader_entry(&title, 0.0, true, &format!("category-{}", category.id));
            entry += 1;
            set_origin(&mut e, Part::Contents, entry);
            flow.extend(e);
            flow.keep_with_next(2);
            for scenario in &category.scenarios {
                let mut e = self.leader_entry(
                    &scenario.heading(&self.book.labels),
                    indent,
                    false,
                    &format!("question-{}", scenario.number),
                );
                entry += 1;
                set_origin(&mut e, Part::Contents, entry);
                flow.extend(e);
            }
            if !category.scenarios.is_empty() && !self.options.questions_only {
                let mut e = self.leader_entry(
                    &answers_heading(&self.book.labels, &category.title),
                    indent,
                    false,
                    &format!("answers-{}", category.id),
                );
                entry += 1;
                set_origin(&mut e, Part::Contents, entry);
                flow.extend(e);
            }
        }
        self.chapter_entries(&book.back, &mut entry, &mut flow);
        flow.space(g.leading * 0.6);
        let mut e = self.leader_entry(&self.book.labels.print_index.clone(), 0.0, true, "index");
        entry += 1;
        set_origin(&mut e, Part::Contents, entry);
        flow.extend(e);
        self.structure.close(toc);
        let head = self.matter_head(&self.book.labels.contents.clone());
        self.section(flow, Start::RightPage, PageRole::Opening, head);
    }
}
