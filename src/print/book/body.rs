//! The body of the print edition: each category's opener on a right-hand
//! page, its questions (a page each, with workbook lines and "Answer on page
//! N"), then its answer section (a page each, "Question on page M").

use super::{BookLayout, Start, answers_heading, body_key};
use crate::model::Scenario;
use crate::print::layout::blocks::set_origin;
use crate::print::layout::flow::{Flow, Piece, PieceKind};
use crate::print::layout::geometry::{WORKBOOK_PITCH, workbook_lines};
use crate::print::layout::inline::{self, Align, Family, Span};
use crate::print::layout::paginate::{self, paginate};
use crate::print::page::*;

/// The label of a ruled page added so the next question opens on a verso.
const NOTES_LABEL: &str = "Notes";
/// Pad with a "Notes" page for a question longer than a spread too, so its
/// ruled lines (not its text) face each other. Off: at 8.6 mm ruling most
/// questions take three pages, and padding them all costs about 86 pages
/// of the real book (853 → 939 at 6×9) to keep ~50 rulings from turning
/// over; a question that fits on a spread is always kept on one.
const LONG_QUESTIONS_RULING_ON_A_SPREAD: bool = false;

impl BookLayout<'_> {
    pub(super) fn category(&mut self, category: &crate::model::Category) {
        let g = self.geometry;
        let w = g.measure();
        if self.body_start.is_none() {
            let start = if Page::is_right_hand(self.page_count()) {
                self.page_count()
            } else {
                self.page_count() + 1
            };
            self.body_start = Some(start);
        }
        let head = self.matter_head(&category.title);

        // The opener.
        let part_tag = self.structure.open(StructKind::Part);
        let mut flow = Flow::default();
        flow.push(Piece::space(g.height * 0.12));
        let mut part = self.text(
            &format!("{} {}", self.book.labels.part, category.number),
            self.style(Family::Sans, g.body * 1.1, false, false, Align::Left),
        );
        part[0]
            .destinations
            .push((format!("category-{}", category.id), 0.0));
        let number = category.number as u32;
        set_origin(&mut part, Part::Opener(number), Origin::HEAD);
        self.tag(&mut part, StructKind::P);
        flow.extend(part);
        flow.push(Piece::space(g.leading * 0.4));
        let mut title = self.text(
            &category.title,
            self.style(Family::Sans, g.body * 2.2, true, false, Align::Balanced),
        );
        title.iter_mut().for_each(|p| p.heading = true);
        set_origin(&mut title, Part::Opener(number), Origin::HEAD);
        self.tag(&mut title, StructKind::H(1));
        flow.extend(title);
        flow.keep_with_next(2);
        self.layouter()
            .body(Part::Opener(number), &category.intro, 0.0, w, &mut flow);
        flow.space(g.leading);
        let list = self.structure.open(StructKind::TOC);
        for (k, scenario) in category.scenarios.iter().enumerate() {
            let mut e = self.leader_entry(
                &scenario.heading(&self.book.labels),
                0.0,
                false,
                &format!("question-{}", scenario.number),
            );
            set_origin(&mut e, Part::OpenerList(number), k as u32);
            flow.extend(e);
        }
        self.structure.close(list);
        self.section(flow, Start::RightPage, PageRole::Opening, head.clone());

        // The questions, each from a new page, each a section of its own;
        // in the workbook, each on one spread where it fits in one.
        let mut before: Option<(u32, PageRole)> = None;
        for scenario in &category.scenarios {
            let sect = self.structure.open(StructKind::Sect);
            let flow = self.question(scenario);
            self.structure.close(sect);
            let head = self.question_head(category, scenario);
            if self.options.workbook && self.turns_over(&flow) {
                // A recto faces the question before; a verso, this one. The
                // Notes page's running head names the question it serves.
                let (owner, notes_head) = if Page::is_right_hand(self.page_count()) {
                    match before.take() {
                        Some((n, h)) => (Some(n), Some(h)),
                        None => (None, None),
                    }
                } else {
                    (Some(scenario.number as u32), None)
                };
                let notes_head = notes_head.unwrap_or_else(|| head.clone());
                let notes = self.notes_page(owner, notes_head);
                self.pass_on();
                self.pages.push(notes);
            }
            self.section(flow, Start::NewPage, head.clone(), head.clone());
            before = Some((scenario.number as u32, head));
        }

        // The answers, from a new page, each answer from a new page (none in
        // the questions-only handout).
        if self.options.questions_only {
            return;
        }
        let answers_sect = self.structure.open(StructKind::Sect);
        for (k, scenario) in category.scenarios.iter().enumerate() {
            let mut flow = Flow::default();
            if k == 0 {
                let mut t =
                    self.chapter_title(&answers_heading(&self.book.labels, &category.title));
                self.tag(&mut t, StructKind::H(1));
                t[0].destinations
                    .push((format!("answers-{}", category.id), 0.0));
                set_origin(
                    &mut t,
                    Part::AnswersOpener(category.number as u32),
                    Origin::HEAD,
                );
                flow.extend(t);
                flow.keep_with_next(2);
            }
            let sect = self.structure.open(StructKind::Sect);
            self.answer(scenario, &mut flow);
            self.structure.close(sect);
            // The answer section's opener (its first page) has no head.
            let head = self.answer_head(category, scenario);
            let first = if k == 0 {
                PageRole::Opening
            } else {
                head.clone()
            };
            self.section(flow, Start::NewPage, first, head);
        }
        self.structure.close(answers_sect);
        self.structure.close(part_tag);
    }

    /// Would `flow`, a question, be turned over where a page's start later
    /// would keep it on one spread? A question of two pages belongs on a
    /// spread; of a longer one, its ruled lines do (a reader writes across
    /// a spread, not across a turned leaf).
    fn turns_over(&self, flow: &Flow) -> bool {
        let extent = paginate::extent(&flow.pieces, &self.geometry);
        let (first, last) = match extent.ruled {
            _ if extent.pages <= 2 => (0, extent.pages.saturating_sub(1)),
            Some(ruled) if LONG_QUESTIONS_RULING_ON_A_SPREAD => ruled,
            _ => return false,
        };
        // Turned over between pages `first` and `last` from `start`: a
        // recto among them, before the last.
        let turned = |start: usize| (start + first..start + last).any(Page::is_right_hand);
        let start = self.page_count();
        turned(start) && !turned(start + 1)
    }

    /// A ruled "Notes" page, set so the next question (or its ruling) opens
    /// on the page that keeps it on one spread; its lines are more answer
    /// space for the question it faces (`scenario`).
    fn notes_page(&mut self, scenario: Option<u32>, role: PageRole) -> Page {
        let g = self.geometry;
        let mut label = self.text(
            NOTES_LABEL,
            self.style(Family::Sans, g.body * 0.95, true, false, Align::Left),
        );
        let mut label_piece = label.remove(0);
        label_piece.height += g.leading * 0.2;
        let mut fill = Piece::content(0.0);
        fill.kind = PieceKind::Fill {
            label: Box::new(label_piece),
            gap: WORKBOOK_PITCH,
            min_lines: 1,
            reserve: 0.0,
            scenario,
            // The page's field (when fillable) is a form element of its own.
            form: self.structure.leaf(StructKind::Form),
        };
        // The label is generated, not the book's text: an artifact (the
        // ruled lines are too).
        let mut pages = paginate(&[fill], &g, self.page_count(), role.clone(), role);
        pages.truncate(1);
        pages
            .pop()
            .unwrap_or_else(|| self.blank_page(PageRole::Blank))
    }

    pub(super) fn scenario_heading(
        &mut self,
        scenario: &Scenario,
        kicker: &str,
        destination: String,
        part: Part,
        flow: &mut Flow,
    ) {
        let g = self.geometry;
        let mut k = self.text(
            kicker,
            self.style(Family::Sans, g.body * 0.85, false, false, Align::Left),
        );
        k.iter_mut().for_each(|p| p.heading = true);
        k[0].destinations.push((destination, 0.0));
        set_origin(&mut k, part, Origin::HEAD);
        // "Scenario 12" and the title are one heading.
        let heading = self.tag(&mut k, StructKind::H(1));
        flow.extend(k);
        flow.keep_with_next(1);
        let mut title = self.text(
            &scenario.title,
            self.style(Family::Sans, g.body * 1.55, true, false, Align::Balanced),
        );
        title.iter_mut().for_each(|p| p.heading = true);
        set_origin(&mut title, part, Origin::HEAD);
        self.tag_into(&mut title, heading);
        flow.extend(title);
        flow.keep_with_next(1);
        let meta = self.book.meta_line(scenario);
        let mut m = self.text(
            &meta,
            self.style(Family::Sans, g.body * 0.85, false, false, Align::Left),
        );
        set_origin(&mut m, part, Origin::HEAD);
        self.tag(&mut m, StructKind::P);
        flow.extend(m);
        flow.space(g.leading * 0.5);
    }

    pub(super) fn question(&mut self, scenario: &Scenario) -> Flow {
        let g = self.geometry;
        let mut flow = Flow::default();
        self.scenario_heading(
            scenario,
            &format!("{} {}", self.book.labels.scenario, scenario.number),
            format!("question-{}", scenario.number),
            Part::Question(scenario.number as u32),
            &mut flow,
        );
        self.cached_blocks(
            body_key("question", scenario.number),
            Part::Question(scenario.number as u32),
            &scenario.question,
            &mut flow,
        );
        let end = Part::QuestionEnd(scenario.number as u32);
        let mut pointer = self.pointer(
            &format!(
                "{} {}",
                self.book.labels.answer_on_page,
                self.number(&format!("answer-{}", scenario.number))
            ),
            &format!("answer-{}", scenario.number),
        );
        set_origin(&mut pointer, end, 0);
        let contents = format!(
            "{} {}, {} {}",
            self.book.labels.answer_to_scenario,
            scenario.number,
            self.book.labels.page,
            self.number(&format!("answer-{}", scenario.number))
        );
        self.tag_link_paragraph(&mut pointer, &contents);
        if self.options.questions_only {
            // The handout has no answers to point to.
            pointer.clear();
        }
        if self.options.workbook {
            flow.space(g.leading);
            let mut label = self.text(
                &self.book.labels.your_approach.clone(),
                self.style(Family::Sans, g.body * 0.95, true, false, Align::Left),
            );
            self.tag(&mut label, StructKind::P);
            let mut label_piece = label.remove(0);
            label_piece.height += g.leading * 0.2;
            let reserve = pointer.iter().map(|p| p.height).sum::<f32>() + g.leading * 0.5;
            let mut fill = Piece::content(0.0);
            fill.origin = Origin {
                part: end,
                block: 0,
                offset: 0,
            };
            fill.kind = PieceKind::Fill {
                label: Box::new(label_piece),
                gap: WORKBOOK_PITCH,
                min_lines: workbook_lines(scenario.think_minutes),
                reserve,
                scenario: Some(scenario.number as u32),
                // After the label, in the question's section: where a
                // fillable edition's field for this space is read.
                form: self.structure.leaf(StructKind::Form),
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
        } else if !pointer.is_empty() {
            flow.space(g.leading);
            flow.extend(pointer);
        }
        flow
    }

    /// Tags a one-link line ("Answer on page 41 →") as a paragraph whose
    /// link says in words where it goes.
    pub(super) fn tag_link_paragraph(&mut self, pieces: &mut [Piece], contents: &str) {
        for piece in pieces.iter_mut() {
            for link in &mut piece.links {
                link.contents = contents.to_string();
            }
        }
        self.tag(pieces, StructKind::P);
    }

    /// A right-aligned italic cross-reference line that links to `destination`.
    pub(super) fn pointer(&mut self, text: &str, destination: &str) -> Vec<Piece> {
        let g = self.geometry;
        let style = self.style(Family::Serif, g.body, false, true, Align::Right);
        let mut spans: Vec<Span> = inline::plain_spans(&format!("{text} →"), &style);
        for s in &mut spans {
            s.link = Some(LinkTarget::Internal(destination.to_string()));
        }
        let w = g.measure();
        self.layouter().paragraph(&spans, &style, 0.0, w)
    }

    pub(super) fn answer(&mut self, scenario: &Scenario, flow: &mut Flow) {
        let g = self.geometry;
        let w = g.measure();
        self.scenario_heading(
            scenario,
            &format!(
                "{} {}",
                self.book.labels.answer_to_scenario, scenario.number
            ),
            format!("answer-{}", scenario.number),
            Part::Answer(scenario.number as u32),
            flow,
        );
        let back = self.number(&format!("question-{}", scenario.number));
        let style = self.style(Family::Serif, g.body, false, true, Align::Left);
        let mut spans = inline::plain_spans(
            &format!("← {} {back}", self.book.labels.question_on_page),
            &style,
        );
        for s in &mut spans {
            s.link = Some(LinkTarget::Internal(format!(
                "question-{}",
                scenario.number
            )));
        }
        let mut p = self.layouter().paragraph(&spans, &style, 0.0, w);
        set_origin(&mut p, Part::Answer(scenario.number as u32), Origin::HEAD);
        let contents = format!(
            "{} {}, {} {back}",
            self.book.labels.question_of_scenario, scenario.number, self.book.labels.page
        );
        self.tag_link_paragraph(&mut p, &contents);
        flow.extend(p);
        flow.keep_with_next(2);
        self.cached_blocks(
            body_key("answer", scenario.number),
            Part::Answer(scenario.number as u32),
            &scenario.answer,
            flow,
        );
    }
}
