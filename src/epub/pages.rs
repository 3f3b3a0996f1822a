//! The EPUB's content documents, in reading order: cover, title page,
//! copyright, contents, front matter, each category (opener, questions, answer
//! section, answers), back matter, topic index.

use std::fmt::Write;

use epub_builder::ReferenceType;

use super::xhtml::{self, escape, href, page_break};
use crate::model::{Book, Category, Chapter, Scenario};
use crate::print::page::{Origin, PageMark, Part};

/// The print edition's page breaks, by the part of the book they fall in.
#[derive(Default)]
pub struct PageBreaks {
    parts: std::collections::HashMap<Part, Vec<(u32, u32, String)>>,
}

impl PageBreaks {
    pub fn new(marks: &[PageMark]) -> PageBreaks {
        let mut parts: std::collections::HashMap<Part, Vec<(u32, u32, String)>> =
            Default::default();
        for mark in marks {
            parts.entry(mark.at.part).or_default().push((
                mark.at.block,
                mark.at.offset,
                mark.label.clone(),
            ));
        }
        PageBreaks { parts }
    }

    fn of(&self, part: Part) -> &[(u32, u32, String)] {
        self.parts.get(&part).map_or(&[], Vec::as_slice)
    }

    /// Markers of pages that start at the part's heading.
    fn head(&self, part: Part) -> String {
        self.block(part, Origin::HEAD)
    }

    /// Markers of pages that start at block (or entry) `block` of the part.
    fn block(&self, part: Part, block: u32) -> String {
        self.of(part)
            .iter()
            .filter(|(b, _, _)| *b == block)
            .map(|(_, _, label)| page_break(label))
            .collect()
    }

    /// Markers of pages that start at an entry of a list of `entries`
    /// entries numbered from `first`, beyond its end: written after it.
    fn beyond(&self, part: Part, end: u32) -> String {
        self.of(part)
            .iter()
            .filter(|(b, _, _)| *b >= end && *b < Origin::HEAD)
            .map(|(_, _, label)| page_break(label))
            .collect()
    }

    /// Every marker of the part, in page order.
    fn all(&self, part: Part) -> String {
        self.of(part)
            .iter()
            .map(|(_, _, label)| page_break(label))
            .collect()
    }

    /// The breaks inside a Markdown body of the part (not at its heading).
    fn body(&self, part: Part) -> Vec<(u32, u32, String)> {
        self.of(part)
            .iter()
            .filter(|(b, _, _)| *b < Origin::HEAD)
            .cloned()
            .collect()
    }

    /// The labels of every page, with the file its marker is in, in page
    /// order (for the page-list navigation).
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// One XHTML file of the book.
pub struct Page {
    pub file: String,
    /// Title in the navigation; `None` keeps the page out of it (it is reached
    /// through its parent's entry instead).
    pub nav_title: Option<String>,
    pub landmark: Option<ReferenceType>,
    pub xhtml: String,
}

pub const COVER_FILE: &str = "cover.xhtml";
pub const TITLE_FILE: &str = "title.xhtml";
pub const COPYRIGHT_FILE: &str = "copyright.xhtml";
pub const CONTENTS_FILE: &str = "contents.xhtml";
pub const INDEX_FILE: &str = "index.xhtml";

/// Every content document in reading order.
pub fn book_pages(book: &Book, cover_image: Option<&str>, breaks: &PageBreaks) -> Vec<Page> {
    let mut pages = Vec::new();
    each_page(book, cover_image, breaks, &mut |page| pages.push(page));
    pages
}

/// Makes each content document in reading order and hands it to `emit`, so
/// a caller can store it and drop it before the next is made: a large book's
/// XHTML is never all in memory at once.
pub fn each_page(
    book: &Book,
    cover_image: Option<&str>,
    breaks: &PageBreaks,
    emit: &mut dyn FnMut(Page),
) {
    let lang = &book.meta.language;
    let page = |file: String,
                title: &str,
                nav: Option<String>,
                landmark,
                body_type: &str,
                body: String| Page {
        xhtml: xhtml::document(lang, title, body_type, &body),
        file,
        nav_title: nav,
        landmark,
    };
    if let Some(image) = cover_image {
        let body = format!(
            "<section class=\"cover\">\n<img epub:type=\"cover\" role=\"doc-cover\" src=\"{}\" alt=\"{}\"/>\n</section>\n",
            escape(image),
            escape(&book.labels.cover_alt.replace("{title}", &full_title(book)))
        );
        emit(page(
            COVER_FILE.into(),
            &book.labels.cover,
            Some(book.labels.cover.clone()),
            Some(ReferenceType::Cover),
            "",
            body,
        ));
    }
    emit(page(
        TITLE_FILE.into(),
        &book.meta.title,
        Some(book.labels.title_page.clone()),
        Some(ReferenceType::TitlePage),
        "frontmatter",
        title_page(book, breaks),
    ));
    emit(page(
        COPYRIGHT_FILE.into(),
        &book.labels.copyright,
        Some(book.labels.copyright.clone()),
        Some(ReferenceType::Copyright),
        "frontmatter",
        copyright_page(book, breaks),
    ));
    emit(page(
        CONTENTS_FILE.into(),
        &book.labels.contents,
        Some(book.labels.contents.clone()),
        Some(ReferenceType::Toc),
        "frontmatter",
        contents_page(book, breaks),
    ));
    for (k, chapter) in book.front.iter().enumerate() {
        emit(page(
            href::chapter_file(&chapter.id),
            &chapter.title,
            Some(chapter.title.clone()),
            None,
            "frontmatter",
            chapter_body(chapter, Part::Chapter(k as u32), breaks),
        ));
    }
    for category in &book.categories {
        let landmark = (category.number == 1).then_some(ReferenceType::Text);
        emit(page(
            href::category_file(category.number),
            &category.title,
            Some(category_nav_title(category)),
            landmark,
            "bodymatter",
            category_opener(book, category, breaks),
        ));
        for scenario in &category.scenarios {
            emit(page(
                href::question_file(scenario.number),
                &scenario.heading(&book.labels),
                None,
                None,
                "bodymatter",
                question_body(book, category, scenario, breaks),
            ));
        }
        let answers_title = answers_title(book, category);
        emit(page(
            href::answers_file(category.number),
            &answers_title,
            None,
            None,
            "bodymatter",
            answers_opener(book, category, breaks),
        ));
        for scenario in &category.scenarios {
            emit(page(
                href::answer_file(scenario.number),
                &answer_heading(book, scenario),
                None,
                None,
                "bodymatter",
                answer_body(book, scenario, breaks),
            ));
        }
    }
    for (k, chapter) in book.back.iter().enumerate() {
        let part = Part::Chapter((book.front.len() + k) as u32);
        emit(page(
            href::chapter_file(&chapter.id),
            &chapter.title,
            Some(chapter.title.clone()),
            None,
            "backmatter",
            chapter_body(chapter, part, breaks),
        ));
    }
    emit(page(
        INDEX_FILE.into(),
        &book.labels.index,
        Some(book.labels.index.clone()),
        Some(ReferenceType::Index),
        "backmatter",
        index_page(book, breaks),
    ));
}

pub fn full_title(book: &Book) -> String {
    match &book.meta.subtitle {
        Some(sub) => format!("{}: {}", book.meta.title, sub),
        None => book.meta.title.clone(),
    }
}

pub fn category_nav_title(category: &Category) -> String {
    format!("{}. {}", category.number, category.title)
}

pub fn answers_title(book: &Book, category: &Category) -> String {
    format!("{} — {}", book.labels.answers, category.title)
}

pub fn answer_heading(book: &Book, scenario: &Scenario) -> String {
    format!(
        "{} {}: {}",
        book.labels.answer, scenario.number, scenario.title
    )
}

fn title_page(book: &Book, breaks: &PageBreaks) -> String {
    let mut body = String::from("<section epub:type=\"titlepage\" class=\"title-page\">\n");
    body.push_str(&breaks.all(Part::Title));
    let _ = writeln!(
        body,
        "<h1 class=\"book-title\">{}</h1>",
        escape(&book.meta.title)
    );
    if let Some(sub) = &book.meta.subtitle {
        let _ = writeln!(body, "<p class=\"book-subtitle\">{}</p>", escape(sub));
    }
    let _ = writeln!(
        body,
        "<p class=\"book-authors\">{}</p>",
        escape(&book.meta.authors.join(", "))
    );
    if let Some(publisher) = &book.meta.publisher {
        let _ = writeln!(
            body,
            "<p class=\"book-publisher\">{}</p>",
            escape(publisher)
        );
    }
    body.push_str("</section>\n");
    body
}

fn copyright_page(book: &Book, breaks: &PageBreaks) -> String {
    let meta = &book.meta;
    let mut body = String::from("<section epub:type=\"copyright-page\" class=\"copyright\">\n");
    body.push_str(&breaks.all(Part::Copyright));
    let _ = writeln!(
        body,
        "<p><strong>{}</strong></p>",
        escape(&full_title(book))
    );
    let _ = writeln!(body, "<p>{}</p>", escape(&meta.rights));
    let labels = &book.labels;
    let _ = writeln!(
        body,
        "<p>{}</p>",
        escape(&labels.edition.replace("{date}", &meta.date))
    );
    let _ = writeln!(
        body,
        "<p>{}: {}</p>",
        escape(&labels.identifier),
        escape(&meta.identifier)
    );
    if !labels.fiction_notice.is_empty() {
        let _ = writeln!(body, "<p>{}</p>", escape(&labels.fiction_notice));
    }
    body.push_str("</section>\n");
    body
}

fn contents_page(book: &Book, breaks: &PageBreaks) -> String {
    let mut body = format!(
        "<nav epub:type=\"toc\" role=\"doc-toc\" class=\"contents\" aria-labelledby=\"contents-title\">\n{}<h1 id=\"contents-title\">{}</h1>\n<ol class=\"contents-list\">\n",
        breaks.head(Part::Contents),
        escape(&book.labels.contents)
    );
    // Entries are numbered from 1 in the order the print contents lists
    // them; a print page starting at entry k is marked inside entry k.
    let mut entry = 0u32;
    let mut next = || {
        entry += 1;
        breaks.block(Part::Contents, entry)
    };
    for chapter in &book.front {
        let _ = writeln!(
            body,
            "<li>{}<a href=\"{}\">{}</a></li>",
            next(),
            href::chapter_file(&chapter.id),
            escape(&chapter.title)
        );
    }
    for category in &book.categories {
        let _ = writeln!(
            body,
            "<li class=\"contents-category\">{}<a href=\"{}\">{}</a>\n<ol>",
            next(),
            href::category_file(category.number),
            escape(&category_nav_title(category))
        );
        for scenario in &category.scenarios {
            let _ = writeln!(
                body,
                "<li>{}<a href=\"{}\">{}</a></li>",
                next(),
                href::question(scenario.number),
                escape(&scenario.heading(&book.labels))
            );
        }
        let _ = writeln!(
            body,
            "<li class=\"contents-answers\">{}<a href=\"{}\">{}</a></li>\n</ol></li>",
            if category.scenarios.is_empty() {
                String::new()
            } else {
                next()
            },
            href::answers_file(category.number),
            escape(&answers_title(book, category))
        );
    }
    for chapter in &book.back {
        let _ = writeln!(
            body,
            "<li>{}<a href=\"{}\">{}</a></li>",
            next(),
            href::chapter_file(&chapter.id),
            escape(&chapter.title)
        );
    }
    let last = next();
    let _ = writeln!(
        body,
        "<li>{last}<a href=\"{INDEX_FILE}\">{}</a></li>\n</ol>\n{}</nav>",
        escape(&book.labels.index),
        breaks.beyond(Part::Contents, entry + 1)
    );
    body
}

fn chapter_body(chapter: &Chapter, part: Part, breaks: &PageBreaks) -> String {
    format!(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"ch-{}\">\n{}<h1>{}</h1>\n{}</section>\n",
        escape(&chapter.id),
        breaks.head(part),
        escape(&chapter.title),
        xhtml::blocks_with_breaks(&chapter.blocks, 0, &breaks.body(part))
    )
}

fn category_opener(book: &Book, category: &Category, breaks: &PageBreaks) -> String {
    let part = Part::Opener(category.number as u32);
    let list = Part::OpenerList(category.number as u32);
    let mut body = format!(
        "<section epub:type=\"part\" role=\"doc-part\" class=\"category-opener\" id=\"part-{:02}\">\n{}<p class=\"part-label\">{} {}</p>\n<h1>{}</h1>\n{}",
        category.number,
        breaks.head(part),
        escape(&book.labels.category),
        category.number,
        escape(&category.title),
        xhtml::blocks_with_breaks(&category.intro, 0, &breaks.body(part))
    );
    let _ = writeln!(
        body,
        "<h2>{}</h2>\n<ol class=\"scenario-list\">",
        escape(&book.labels.scenarios)
    );
    for (k, scenario) in category.scenarios.iter().enumerate() {
        let _ = writeln!(
            body,
            "<li>{}<a href=\"{}\">{}</a> <span class=\"meta\">{}</span></li>",
            breaks.block(list, k as u32),
            href::question(scenario.number),
            escape(&scenario.heading(&book.labels)),
            escape(book.labels.difficulty(scenario.difficulty))
        );
    }
    let _ = writeln!(
        body,
        "</ol>\n{}<p class=\"xref\"><a href=\"{}\">{}</a></p>\n</section>",
        breaks.beyond(list, category.scenarios.len() as u32),
        href::answers_file(category.number),
        escape(&answers_title(book, category))
    );
    let _ = book;
    body
}

fn question_body(
    book: &Book,
    category: &Category,
    scenario: &Scenario,
    breaks: &PageBreaks,
) -> String {
    let part = Part::Question(scenario.number as u32);
    format!(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" class=\"scenario\" id=\"q-{n:03}\">\n\
<p class=\"running-label\">{category}</p>\n{head}<h2>{heading}</h2>\n<p class=\"meta\">{meta}</p>\n\
<div class=\"question\">\n{question}</div>\n\
{end}<p class=\"xref\"><a href=\"{answer}\">{answer_to} {n}<span aria-hidden=\"true\"> →</span></a></p>\n</section>\n",
        head = breaks.head(part),
        end = breaks.all(Part::QuestionEnd(scenario.number as u32)),
        n = scenario.number,
        category = escape(&category.title),
        heading = escape(&scenario.heading(&book.labels)),
        meta = escape(&book.meta_line(scenario)),
        // One outline across the book: category h1, scenario h2, its
        // sections h3.
        question = xhtml::blocks_with_breaks(&scenario.question, 1, &breaks.body(part)),
        answer = href::answer(scenario.number),
        answer_to = escape(&book.labels.answer_to_scenario),
    )
}

fn answers_opener(book: &Book, category: &Category, breaks: &PageBreaks) -> String {
    let mut body = format!(
        "<section class=\"answers-opener\" id=\"answers-{0:02}\" aria-labelledby=\"answers-{0:02}-title\">\n{2}<h2 id=\"answers-{0:02}-title\">{1}</h2>\n<ol class=\"scenario-list\">\n",
        category.number,
        escape(&answers_title(book, category)),
        breaks.all(Part::AnswersOpener(category.number as u32))
    );
    for scenario in &category.scenarios {
        let _ = writeln!(
            body,
            "<li><a href=\"{}\">{}</a></li>",
            href::answer(scenario.number),
            escape(&answer_heading(book, scenario))
        );
    }
    body.push_str("</ol>\n</section>\n");
    body
}

/// Where a reader goes after an answer: the next scenario's question, or
/// after a category's last answer the next category's opener, or after the
/// book's last answer the topic index.
fn next_after(book: &Book, scenario: &Scenario) -> (String, String) {
    let mut scenarios = book
        .scenarios()
        .skip_while(|(_, s)| s.number != scenario.number);
    let current = scenarios.next().map(|(c, _)| c.number);
    match scenarios.next() {
        Some((category, next)) if Some(category.number) == current => (
            href::question(next.number),
            format!(
                "{}: {} {}",
                book.labels.next, book.labels.scenario, next.number
            ),
        ),
        Some((category, _)) => (
            href::category_file(category.number),
            format!(
                "{}: {} {}, {}",
                book.labels.next, book.labels.category, category.number, category.title
            ),
        ),
        None => (
            INDEX_FILE.to_string(),
            format!("{}: {}", book.labels.next, book.labels.index),
        ),
    }
}

fn answer_body(book: &Book, scenario: &Scenario, breaks: &PageBreaks) -> String {
    let (next_href, next_text) = next_after(book, scenario);
    let part = Part::Answer(scenario.number as u32);
    format!(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" class=\"answer\" id=\"a-{n:03}\">\n{head}<h3>{heading}</h3>\n\
<p class=\"xref\"><a role=\"doc-backlink\" href=\"{question}\"><span aria-hidden=\"true\">← </span>{question_of} {n}</a></p>\n{answer}\
<nav class=\"reading-loop\" aria-label=\"After answer {n}\">\n\
<a role=\"doc-backlink\" href=\"{question}\">{back_to} {scenario_word} {n}</a>\n\
<a href=\"{next_href}\">{next_text}<span aria-hidden=\"true\"> →</span></a>\n</nav>\n</section>\n",
        n = scenario.number,
        head = breaks.head(part),
        heading = escape(&answer_heading(book, scenario)),
        question = href::question(scenario.number),
        // Under the category (h1) and its answers (h2): the answer h3, its
        // sections h4.
        answer = xhtml::blocks_with_breaks(&scenario.answer, 2, &breaks.body(part)),
        next_text = escape(&next_text),
        question_of = escape(&book.labels.question_of_scenario),
        back_to = escape(&book.labels.back_to),
        scenario_word = escape(&book.labels.scenario),
    )
}

fn index_page(book: &Book, breaks: &PageBreaks) -> String {
    let mut body = format!(
        "<section epub:type=\"index\" role=\"doc-index\" class=\"topic-index\">\n{}<h1>{}</h1>\n\
<p class=\"index-note\">{}</p>\n",
        breaks.head(Part::Index),
        escape(&book.labels.index),
        escape(&book.labels.index_note)
    );
    let mut entries = 0u32;
    // Entries under letter groups, so a reader can jump down a long list.
    let mut letter: Option<char> = None;
    for (tag, scenarios) in book.topic_index() {
        entries += 1;
        let first = tag
            .name
            .chars()
            .next()
            .map(|c| c.to_uppercase().next().unwrap_or(c));
        if first != letter {
            if letter.is_some() {
                body.push_str("</ul>\n");
            }
            letter = first;
            let shown = first.map(String::from).unwrap_or_default();
            let _ = write!(
                body,
                "<h2 class=\"index-letter\">{}</h2>\n<ul class=\"index-entries\">\n",
                escape(&shown)
            );
        }
        let links: Vec<String> = scenarios
            .iter()
            .map(|s| {
                format!(
                    "<a href=\"{}\" aria-label=\"{} {n}: {}\">{n}</a>",
                    href::question(s.number),
                    escape(&book.labels.scenario),
                    escape(&s.title),
                    n = s.number
                )
            })
            .collect();
        let _ = writeln!(
            body,
            "<li>{}<span class=\"index-term\">{}</span> {}</li>",
            breaks.block(Part::Index, entries),
            escape(&tag.name),
            // Each locator keeps its comma, so no line starts with one.
            links
                .iter()
                .enumerate()
                .map(|(k, link)| {
                    let comma = if k + 1 < links.len() { "," } else { "" };
                    format!("<span class=\"locator\">{link}{comma}</span>")
                })
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    if letter.is_some() {
        body.push_str("</ul>\n");
    }
    body.push_str(&breaks.beyond(Part::Index, entries + 1));
    body.push_str("</section>\n");
    body
}
