//! The words casebook itself writes into a book ("Scenario 3", "Answer on
//! page 41", "Contents"…), in one place: a table per language, chosen from
//! `book.yaml`'s `language`, and any of them overridden by `book.yaml`'s
//! `labels:`. A language with no table gets the English words.

use serde::Deserialize;

/// Every generated word or phrase. `{n}` in `think` stands for the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Labels {
    /// "Scenario" in "Scenario 12: The Title".
    pub scenario: String,
    /// "Answer" in "Answer 12: The Title".
    pub answer: String,
    /// A category's answer section: "Answers" (and "Answers — Category").
    pub answers: String,
    /// A category's question set in the PDF's outline.
    pub questions: String,
    pub answer_on_page: String,
    pub question_on_page: String,
    /// The link from a question to its answer: "Answer to scenario 12".
    pub answer_to_scenario: String,
    /// The link from an answer back: "Question: scenario 12".
    pub question_of_scenario: String,
    /// The end of an answer: "Back to Scenario 12".
    pub back_to: String,
    /// "Next" in "Next: Scenario 13".
    pub next: String,
    /// "Category" in "Category 3" on an opener.
    pub category: String,
    /// The list of scenarios on a category's opener.
    pub scenarios: String,
    pub contents: String,
    pub index: String,
    /// The line under the index's title.
    pub index_note: String,
    /// The workbook's ruled space.
    pub your_approach: String,
    pub cover: String,
    pub title_page: String,
    pub copyright: String,
    pub total: String,
    pub junior: String,
    pub mid: String,
    pub senior: String,
    pub staff: String,
    /// The meta line's thinking time, `{n}` for the minutes.
    pub think: String,
    /// "Part" in "Part 3" on the PDF's category opener.
    pub part: String,
    /// The PDF's index title and running head.
    pub print_index: String,
    /// The EPUB's list of the print edition's pages.
    pub print_pages: String,
    /// "page" in a PDF link's description ("Scenario 3: …, page 41").
    pub page: String,
    /// The cover image's text alternative, `{title}` for the book's title.
    pub cover_alt: String,
    /// The copyright page: `{publisher}` and `{date}`.
    pub published_by: String,
    /// The copyright page: `{date}`.
    pub edition: String,
    pub identifier: String,
    /// A closing line on the copyright page (empty for none).
    pub fiction_notice: String,
    /// The PDF's colophon line.
    pub colophon: String,
    /// The print running head over a category's answers, `{category}` for
    /// its title.
    pub answers_head: String,
    /// The copyright page's ISBN line, `{isbn}` for the number as given.
    pub isbn: String,
    /// The twelve month names, space-separated (edition and printing dates).
    pub months: String,
}

impl Default for Labels {
    fn default() -> Self {
        Labels::english()
    }
}

impl Labels {
    fn english() -> Labels {
        let s = |t: &str| t.to_string();
        Labels {
            scenario: s("Scenario"),
            answer: s("Answer"),
            answers: s("Answers"),
            questions: s("Questions"),
            answer_on_page: s("Answer on page"),
            question_on_page: s("Question on page"),
            answer_to_scenario: s("Answer to scenario"),
            question_of_scenario: s("Question: scenario"),
            back_to: s("Back to"),
            next: s("Next"),
            category: s("Category"),
            scenarios: s("Scenarios"),
            contents: s("Contents"),
            index: s("Topic index"),
            index_note: s("Each number is a scenario; it leads to the scenario\u{2019}s question."),
            your_approach: s("Your approach"),
            cover: s("Cover"),
            title_page: s("Title page"),
            copyright: s("Copyright"),
            total: s("Total"),
            junior: s("Junior"),
            mid: s("Mid-level"),
            senior: s("Senior"),
            staff: s("Staff"),
            think: s("think {n} min"),
            part: s("Part"),
            print_index: s("Index"),
            print_pages: s("Print pages"),
            page: s("page"),
            cover_alt: s("Cover of {title}"),
            published_by: s("Published by {publisher}, {date}."),
            edition: s("Edition of {date}."),
            identifier: s("Identifier"),
            fiction_notice: s(
                "Every company, person and incident in this book is invented. Any resemblance to real systems is the nature of production, not a retelling.",
            ),
            colophon: s("Set in Noto Serif, Noto Sans and JetBrains Mono; typeset by casebook."),
            answers_head: s("Answers: {category}"),
            isbn: s("ISBN {isbn}"),
            months: s(
                "January February March April May June July August September October November December",
            ),
        }
    }

    fn german() -> Labels {
        let s = |t: &str| t.to_string();
        Labels {
            scenario: s("Szenario"),
            answer: s("Antwort"),
            answers: s("Antworten"),
            questions: s("Fragen"),
            answer_on_page: s("Antwort auf Seite"),
            question_on_page: s("Frage auf Seite"),
            answer_to_scenario: s("Antwort zu Szenario"),
            question_of_scenario: s("Frage: Szenario"),
            back_to: s("Zurück zu"),
            next: s("Weiter"),
            category: s("Kategorie"),
            scenarios: s("Szenarien"),
            contents: s("Inhalt"),
            index: s("Stichwortverzeichnis"),
            index_note: s("Jede Zahl ist ein Szenario; sie führt zu seiner Frage."),
            your_approach: s("Ihr Lösungsweg"),
            cover: s("Umschlag"),
            title_page: s("Titelseite"),
            copyright: s("Impressum"),
            total: s("Gesamt"),
            junior: s("Einsteiger"),
            mid: s("Fortgeschritten"),
            senior: s("Erfahren"),
            staff: s("Experte"),
            think: s("{n} Min. Bedenkzeit"),
            part: s("Teil"),
            print_index: s("Register"),
            print_pages: s("Seiten der Druckausgabe"),
            page: s("Seite"),
            cover_alt: s("Umschlag von {title}"),
            published_by: s("Erschienen bei {publisher}, {date}."),
            edition: s("Ausgabe vom {date}."),
            identifier: s("Kennung"),
            fiction_notice: s(
                "Alle Unternehmen, Personen und Vorfälle in diesem Buch sind erfunden.",
            ),
            colophon: s("Gesetzt aus Noto Serif, Noto Sans und JetBrains Mono mit casebook."),
            answers_head: s("Antworten: {category}"),
            isbn: s("ISBN {isbn}"),
            months: s(
                "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
            ),
        }
    }

    /// The table for a BCP 47 tag's primary language; English otherwise.
    pub fn for_language(tag: &str) -> Labels {
        match tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "de" => Labels::german(),
            _ => Labels::english(),
        }
    }

    /// A difficulty as the meta line shows it: "Senior".
    pub fn difficulty(&self, difficulty: crate::model::Difficulty) -> &str {
        use crate::model::Difficulty;
        match difficulty {
            Difficulty::Junior => &self.junior,
            Difficulty::Mid => &self.mid,
            Difficulty::Senior => &self.senior,
            Difficulty::Staff => &self.staff,
        }
    }

    /// A `YYYY-MM-DD` date as its month and year ("November 2026"); the
    /// date as given when it cannot be read.
    pub fn month_year(&self, date: &str) -> String {
        let mut parts = date.split('-');
        let year = parts.next().unwrap_or("");
        let month = parts.next().and_then(|m| m.parse::<usize>().ok());
        match month.and_then(|m| self.months.split_whitespace().nth(m.wrapping_sub(1))) {
            Some(name) if year.len() == 4 => format!("{name} {year}"),
            _ => date.to_string(),
        }
    }

    /// The meta line's thinking time: "think 15 min".
    pub fn think_time(&self, minutes: u32) -> String {
        self.think.replace("{n}", &minutes.to_string())
    }
}

impl Labels {
    /// The language's labels with `overrides` applied; an unknown key is
    /// returned as an error naming it.
    pub fn with_overrides(
        mut self,
        overrides: &std::collections::BTreeMap<String, String>,
    ) -> Result<Labels, String> {
        for (key, value) in overrides {
            let slot = match key.as_str() {
                "scenario" => &mut self.scenario,
                "answer" => &mut self.answer,
                "answers" => &mut self.answers,
                "questions" => &mut self.questions,
                "answer_on_page" => &mut self.answer_on_page,
                "question_on_page" => &mut self.question_on_page,
                "answer_to_scenario" => &mut self.answer_to_scenario,
                "question_of_scenario" => &mut self.question_of_scenario,
                "back_to" => &mut self.back_to,
                "next" => &mut self.next,
                "category" => &mut self.category,
                "scenarios" => &mut self.scenarios,
                "contents" => &mut self.contents,
                "index" => &mut self.index,
                "index_note" => &mut self.index_note,
                "your_approach" => &mut self.your_approach,
                "cover" => &mut self.cover,
                "title_page" => &mut self.title_page,
                "copyright" => &mut self.copyright,
                "total" => &mut self.total,
                "junior" => &mut self.junior,
                "mid" => &mut self.mid,
                "senior" => &mut self.senior,
                "staff" => &mut self.staff,
                "think" => &mut self.think,
                "part" => &mut self.part,
                "print_index" => &mut self.print_index,
                "print_pages" => &mut self.print_pages,
                "page" => &mut self.page,
                "cover_alt" => &mut self.cover_alt,
                "published_by" => &mut self.published_by,
                "edition" => &mut self.edition,
                "identifier" => &mut self.identifier,
                "fiction_notice" => &mut self.fiction_notice,
                "colophon" => &mut self.colophon,
                "answers_head" => &mut self.answers_head,
                "isbn" => &mut self.isbn,
                "months" => &mut self.months,
                other => return Err(other.to_string()),
            };
            *slot = value.clone();
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_books_get_german_words_and_overrides_win() {
        let labels = Labels::for_language("de-AT");
        assert_eq!(labels.scenario, "Szenario");
        assert_eq!(labels.think_time(15), "15 Min. Bedenkzeit");
        let mut overrides = std::collections::BTreeMap::new();
        overrides.insert("scenario".to_string(), "Fall".to_string());
        assert_eq!(
            labels.clone().with_overrides(&overrides).unwrap().scenario,
            "Fall"
        );
        overrides.insert("scenari".to_string(), "x".to_string());
        assert_eq!(labels.with_overrides(&overrides).unwrap_err(), "scenari");
        assert_eq!(Labels::for_language("fr").scenario, "Scenario");
    }

    #[test]
    fn dates_read_as_month_and_year() {
        let english = Labels::for_language("en");
        assert_eq!(english.month_year("2026-11-26"), "November 2026");
        assert_eq!(english.month_year("2027-01-01"), "January 2027");
        assert_eq!(
            Labels::for_language("de").month_year("2026-03-02"),
            "März 2026"
        );
        // Unreadable dates are shown as given rather than guessed at.
        assert_eq!(english.month_year("2026-13-01"), "2026-13-01");
        assert_eq!(english.month_year("someday"), "someday");
    }
}
