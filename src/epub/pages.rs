//! The EPUB's content documents, in reading order: cover, title page,
//! copyright, contents, front matter, each category (opener, questions, answer
//! section, answers), back matter, topic index.

use std::fmt::Write;

use epub_builder::ReferenceType;

use super::xhtml::{self, escape, href};
use crate::model::{Book, Category, Chapter, Scenario};

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

pub fn book_pages(book: &Book, cover_image: Option<&str>) -> Vec<Page> {
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
    let mut pages = Vec::new();
    if let Some(image) = cover_image {
        let body = format!(
            "<section class=\"cover\">\n<img epub:type=\"cover\" role=\"doc-cover\" src=\"{}\" alt=\"{}\"/>\n</section>\n",
            escape(image),
            escape(&format!("Cover of {}", full_title(book)))
        );
        pages.push(page(
            COVER_FILE.into(),
            "Cover",
            Some("Cover".into()),
            Some(ReferenceType::Cover),
            "",
            body,
        ));
    }
    pages.push(page(
        TITLE_FILE.into(),
        &book.meta.title,
        Some("Title page".into()),
        Some(ReferenceType::TitlePage),
        "frontmatter",
        title_page(book),
    ));
    pages.push(page(
        COPYRIGHT_FILE.into(),
        "Copyright",
        Some("Copyright".into()),
        Some(ReferenceType::Copyright),
        "frontmatter",
        copyright_page(book),
    ));
    pages.push(page(
        CONTENTS_FILE.into(),
        "Contents",
        Some("Contents".into()),
        Some(ReferenceType::Toc),
        "frontmatter",
        contents_page(book),
    ));
    for chapter in &book.front {
        pages.push(page(
            href::chapter_file(&chapter.id),
            &chapter.title,
            Some(chapter.title.clone()),
            None,
            "frontmatter",
            chapter_body(chapter),
        ));
    }
    for category in &book.categories {
        let landmark = (category.number == 1).then_some(ReferenceType::Text);
        pages.push(page(
            href::category_file(category.number),
            &category.title,
            Some(category_nav_title(category)),
            landmark,
            "bodymatter",
            category_opener(book, category),
        ));
        for scenario in &category.scenarios {
            pages.push(page(
                href::question_file(scenario.number),
                &scenario.heading(),
                None,
                None,
                "bodymatter",
                question_body(book, category, scenario),
            ));
        }
        let answers_title = answers_title(category);
        pages.push(page(
            href::answers_file(category.number),
            &answers_title,
            None,
            None,
            "bodymatter",
            answers_opener(category),
        ));
        for scenario in &category.scenarios {
            pages.push(page(
                href::answer_file(scenario.number),
                &answer_heading(scenario),
                None,
                None,
                "bodymatter",
                answer_body(book, scenario),
            ));
        }
    }
    for chapter in &book.back {
        pages.push(page(
            href::chapter_file(&chapter.id),
            &chapter.title,
            Some(chapter.title.clone()),
            None,
            "backmatter",
            chapter_body(chapter),
        ));
    }
    pages.push(page(
        INDEX_FILE.into(),
        "Topic index",
        Some("Topic index".into()),
        Some(ReferenceType::Index),
        "backmatter",
        index_page(book),
    ));
    pages
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

pub fn answers_title(category: &Category) -> String {
    format!("Answers — {}", category.title)
}

pub fn answer_heading(scenario: &Scenario) -> String {
    format!("Answer {}: {}", scenario.number, scenario.title)
}

fn title_page(book: &Book) -> String {
    let mut body = String::from("<section epub:type=\"titlepage\" class=\"title-page\">\n");
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

fn copyright_page(book: &Book) -> String {
    let meta = &book.meta;
    let mut body = String::from("<section epub:type=\"copyright-page\" class=\"copyright\">\n");
    let _ = writeln!(
        body,
        "<p><strong>{}</strong></p>",
        escape(&full_title(book))
    );
    let _ = writeln!(body, "<p>{}</p>", escape(&meta.rights));
    let _ = writeln!(body, "<p>Edition of {}.</p>", escape(&meta.date));
    let _ = writeln!(body, "<p>Identifier: {}</p>", escape(&meta.identifier));
    body.push_str("<p>Every company, person and incident in this book is invented. Any resemblance to real systems is the nature of production, not a retelling.</p>\n");
    body.push_str("</section>\n");
    body
}

fn contents_page(book: &Book) -> String {
    let mut body = String::from(
        "<nav epub:type=\"toc\" role=\"doc-toc\" class=\"contents\" aria-labelledby=\"contents-title\">\n<h1 id=\"contents-title\">Contents</h1>\n<ol class=\"contents-list\">\n",
    );
    for chapter in &book.front {
        let _ = writeln!(
            body,
            "<li><a href=\"{}\">{}</a></li>",
            href::chapter_file(&chapter.id),
            escape(&chapter.title)
        );
    }
    for category in &book.categories {
        let _ = writeln!(
            body,
            "<li class=\"contents-category\"><a href=\"{}\">{}</a>\n<ol>",
            href::category_file(category.number),
            escape(&category_nav_title(category))
        );
        for scenario in &category.scenarios {
            let _ = writeln!(
                body,
                "<li><a href=\"{}\">{}</a></li>",
                href::question(scenario.number),
                escape(&scenario.heading())
            );
        }
        let _ = writeln!(
            body,
            "<li class=\"contents-answers\"><a href=\"{}\">{}</a></li>\n</ol></li>",
            href::answers_file(category.number),
            escape(&answers_title(category))
        );
    }
    for chapter in &book.back {
        let _ = writeln!(
            body,
            "<li><a href=\"{}\">{}</a></li>",
            href::chapter_file(&chapter.id),
            escape(&chapter.title)
        );
    }
    let _ = writeln!(
        body,
        "<li><a href=\"{INDEX_FILE}\">Topic index</a></li>\n</ol>\n</nav>"
    );
    body
}

fn chapter_body(chapter: &Chapter) -> String {
    format!(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"ch-{}\">\n<h1>{}</h1>\n{}</section>\n",
        escape(&chapter.id),
        escape(&chapter.title),
        xhtml::blocks(&chapter.blocks, 0)
    )
}

fn category_opener(book: &Book, category: &Category) -> String {
    let mut body = format!(
        "<section epub:type=\"part\" role=\"doc-part\" class=\"category-opener\" id=\"part-{:02}\">\n<p class=\"part-label\">Category {}</p>\n<h1>{}</h1>\n{}",
        category.number,
        category.number,
        escape(&category.title),
        xhtml::blocks(&category.intro, 0)
    );
    body.push_str("<h2>Scenarios</h2>\n<ol class=\"scenario-list\">\n");
    for scenario in &category.scenarios {
        let _ = writeln!(
            body,
            "<li><a href=\"{}\">{}</a> <span class=\"meta\">{}</span></li>",
            href::question(scenario.number),
            escape(&scenario.heading()),
            escape(scenario.difficulty.label())
        );
    }
    let _ = writeln!(
        body,
        "</ol>\n<p class=\"xref\"><a href=\"{}\">{}</a></p>\n</section>",
        href::answers_file(category.number),
        escape(&answers_title(category))
    );
    let _ = book;
    body
}

fn question_body(book: &Book, category: &Category, scenario: &Scenario) -> String {
    format!(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" class=\"scenario\" id=\"q-{n:03}\">\n\
<p class=\"running-label\">{category}</p>\n<h2>{heading}</h2>\n<p class=\"meta\">{meta}</p>\n\
<div class=\"question\">\n{question}</div>\n\
<p class=\"xref\"><a href=\"{answer}\">Answer to scenario {n}<span aria-hidden=\"true\"> →</span></a></p>\n</section>\n",
        n = scenario.number,
        category = escape(&category.title),
        heading = escape(&scenario.heading()),
        meta = escape(&book.meta_line(scenario)),
        // One outline across the book: category h1, scenario h2, its
        // sections h3.
        question = xhtml::blocks(&scenario.question, 1),
        answer = href::answer(scenario.number),
    )
}

fn answers_opener(category: &Category) -> String {
    let mut body = format!(
        "<section class=\"answers-opener\" id=\"answers-{0:02}\" aria-labelledby=\"answers-{0:02}-title\">\n<h2 id=\"answers-{0:02}-title\">{1}</h2>\n<ol class=\"scenario-list\">\n",
        category.number,
        escape(&answers_title(category))
    );
    for scenario in &category.scenarios {
        let _ = writeln!(
            body,
            "<li><a href=\"{}\">{}</a></li>",
            href::answer(scenario.number),
            escape(&answer_heading(scenario))
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
            format!("Next: Scenario {}", next.number),
        ),
        Some((category, _)) => (
            href::category_file(category.number),
            format!("Next: Category {}, {}", category.number, category.title),
        ),
        None => (INDEX_FILE.to_string(), "Next: Topic index".to_string()),
    }
}

fn answer_body(book: &Book, scenario: &Scenario) -> String {
    let (next_href, next_text) = next_after(book, scenario);
    format!(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" class=\"answer\" id=\"a-{n:03}\">\n<h3>{heading}</h3>\n\
<p class=\"xref\"><a role=\"doc-backlink\" href=\"{question}\"><span aria-hidden=\"true\">← </span>Question: scenario {n}</a></p>\n{answer}\
<nav class=\"reading-loop\" aria-label=\"After answer {n}\">\n\
<a role=\"doc-backlink\" href=\"{question}\">Back to Scenario {n}</a>\n\
<a href=\"{next_href}\">{next_text}<span aria-hidden=\"true\"> →</span></a>\n</nav>\n</section>\n",
        n = scenario.number,
        heading = escape(&answer_heading(scenario)),
        question = href::question(scenario.number),
        // Under the category (h1) and its answers (h2): the answer h3, its
        // sections h4.
        answer = xhtml::blocks(&scenario.answer, 2),
        next_text = escape(&next_text),
    )
}

fn index_page(book: &Book) -> String {
    let mut body = String::from(
        "<section epub:type=\"index\" role=\"doc-index\" class=\"topic-index\">\n<h1>Topic index</h1>\n\
<p class=\"index-note\">Each number is a scenario; it leads to the scenario\u{2019}s question.</p>\n",
    );
    // Entries under letter groups, so a reader can jump down a long list.
    let mut letter: Option<char> = None;
    for (tag, scenarios) in book.topic_index() {
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
                    "<a href=\"{}\" aria-label=\"Scenario {n}: {}\">{n}</a>",
                    href::question(s.number),
                    escape(&s.title),
                    n = s.number
                )
            })
            .collect();
        let _ = writeln!(
            body,
            "<li><span class=\"index-term\">{}</span> {}</li>",
            escape(&tag.name),
            links.join(", ")
        );
    }
    if letter.is_some() {
        body.push_str("</ul>\n");
    }
    body.push_str("</section>\n");
    body
}
