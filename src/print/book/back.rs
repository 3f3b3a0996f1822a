//! What frames every page of the print edition — running heads, folios,
//! page labels — and the outline and the document information. (The topic
//! index, at the back of the book, is in `index`.)

use super::{BookLayout, date_to_epoch};
use crate::print::fonts::FaceId;
use crate::print::layout::blocks::set_runs;
use crate::print::page::*;

/// Running heads, their rule and folios print solid black: a grey tint of
/// small sans type or a 0.3 pt rule is halftoned on a toner press and comes
/// out ragged or drops out (issue 16); their smaller size and the sans face
/// already keep them quieter than the text.
const FURNITURE_GRAY: f32 = 0.0;
/// The running head's baseline, as a share of the top margin down from the
/// trim: a little below the margin's middle, so the head sits nearer the
/// text it labels than the paper's edge, with its rule 4 pt under it.
const HEAD_BASELINE_SHARE: f32 = 0.55;
/// The folio's baseline, as a share of the bottom margin up from the trim:
/// a little under the margin's middle, nearer the edge than the head is, so
/// the folio reads as the page's number, not the text's last line.
const FOLIO_BASELINE_SHARE: f32 = 0.45;
/// The running head's rule, this far under the head's baseline.
const HEAD_RULE_DROP: f32 = 4.0;

impl BookLayout<'_> {
    pub(super) fn label_ranges(&self) -> Vec<LabelRange> {
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

    /// The label, running head and folio of page `index`.
    pub(super) fn furnish(&mut self, index: usize, page: &mut Page, ranges: &[LabelRange]) {
        let g = self.geometry;
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
        let block = page.text_block;
        let right_hand = Page::is_right_hand(index);
        let mut furniture = Vec::new();
        let (head, folio) = match &page.role {
            PageRole::Running {
                left_head,
                right_head,
            } => (
                Some(if right_hand {
                    right_head.clone()
                } else {
                    left_head.clone()
                }),
                true,
            ),
            PageRole::Opening => (None, true),
            _ => (None, false),
        };
        if let Some(head) = head {
            let baseline = g.top * HEAD_BASELINE_SHARE;
            furniture.extend(self.furniture_text(
                &head,
                baseline,
                right_hand,
                block,
                FURNITURE_GRAY,
            ));
            furniture.push(Item::Rule {
                x1: block.x,
                y1: baseline + HEAD_RULE_DROP,
                x2: block.right(),
                y2: baseline + HEAD_RULE_DROP,
                thickness: 0.3,
                gray: FURNITURE_GRAY,
            });
        }
        if folio && !label.is_empty() {
            let baseline = g.height - g.bottom * FOLIO_BASELINE_SHARE;
            // Folios at the outer corner, where a thumb finds them.
            furniture.extend(self.furniture_text(
                &label,
                baseline,
                right_hand,
                block,
                FURNITURE_GRAY,
            ));
        }
        page.label = label;
        page.furniture = furniture;
    }

    /// A running head or folio: sans, furniture size, set flush to the outer
    /// edge of the text block (right on right-hand pages, left on left-hand).
    fn furniture_text(
        &mut self,
        text: &str,
        baseline: f32,
        right_hand: bool,
        block: Rect,
        gray: f32,
    ) -> Vec<Item> {
        let size = self.geometry.furniture;
        let runs = self.shaper.shape(text, FaceId::Sans, size);
        let width: f32 = runs.iter().map(|r| r.width()).sum();
        let x = if right_hand {
            block.right() - width
        } else {
            block.x
        };
        set_runs(runs, x, baseline, gray)
    }

    pub(super) fn outline(&self) -> Vec<OutlineEntry> {
        let book = self.book;
        let entry = |title: &str, destination: String| OutlineEntry {
            title: title.into(),
            destination,
            children: Vec::new(),
        };
        let mut outline = Vec::new();
        let mut front = entry("Front matter", "title".into());
        front
            .children
            .push(entry(&self.book.labels.contents, "contents".into()));
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
                let mut questions = entry(&self.book.labels.questions, format!("question-{first}"));
                let mut answers = entry(
                    &self.book.labels.answers,
                    format!("answers-{}", category.id),
                );
                for s in &category.scenarios {
                    questions.children.push(entry(
                        &s.heading(&self.book.labels),
                        format!("question-{}", s.number),
                    ));
                    answers.children.push(entry(
                        &s.heading(&self.book.labels),
                        format!("answer-{}", s.number),
                    ));
                }
                cat.children.push(questions);
                if !self.options.questions_only {
                    cat.children.push(answers);
                }
            }
            outline.push(cat);
        }
        for c in &book.back {
            outline.push(entry(&c.title, format!("chapter-{}", c.id)));
        }
        outline.push(entry(&self.book.labels.print_index, "index".into()));
        outline
    }

    pub(super) fn info(&self) -> DocumentInfo {
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
